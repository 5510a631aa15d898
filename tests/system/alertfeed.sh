#!/usr/bin/env bash
# alertfeed.sh - the built-in TAXII collection of alerts ("crix-alerts") over
# real HTTP with node's test runner (tests/system/alertfeed.test.mjs): who
# sees it listed and read (the public CLEAR alerts only, members GREEN ones
# too, nobody an expired one), the objects those of ?format=stix, paging
# and filters, a withdrawn alert served as its revocation, read-only,
# every object valid against the official STIX 2.1 schemas.
#     env CRIX=$PWD/build/crix bash tests/system/alertfeed.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test alertfeed.test.mjs
