#!/usr/bin/env bash
# alerts.sh - scam alerts in `crix serve` over real HTTP with node's test
# runner (tests/system/alerts.test.mjs): who may publish and withdraw, exactly
# who sees what (the public, a member of another organisation, the author's
# organisation; withdrawn and expired alerts), paging and the category
# filter, bad input naming its field, the STIX 2.1 bundles validated against
# the official schemas, the audit chain, and alerts surviving a restart.
#     env CRIX=$PWD/build/crix bash tests/system/alerts.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test alerts.test.mjs
