#!/usr/bin/env bash
# taxii-conformance.sh - TAXII 2.1 conformance over real HTTP with node's test
# runner (tests/system/taxii-conformance.test.mjs): each MUST of the OASIS
# TAXII 2.1 OS sections 1.6.8, 2, 3, 4 and 5 as a test named by its section,
# and a consumer flow through tests/system/taxii-client.mjs, which speaks as
# OASIS's taxii2-client 2.3 does on the wire (that client itself cannot run
# here: see docs/sharing.md, Conformance).
#     env CRIX=$PWD/build/crix bash tests/system/taxii-conformance.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test taxii-conformance.test.mjs
