#!/usr/bin/env bash
# sharing.sh - sharing over real HTTP with node's test runner
# (tests/system/sharing.test.mjs): sharing groups, collections under every
# TLP, TAXII 2.1 (media types, paging, filters, versions, manifest, status,
# 401/403/404/406/415), objects stored verbatim, lookups, the visibility
# matrix of callers x collections x read routes, and a restart.
#     env CRIX=$PWD/build/crix bash tests/system/sharing.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test sharing.test.mjs
