#!/usr/bin/env bash
# cases.sh - cases in `crix serve` over real HTTP with node's test runner
# (tests/system/cases.test.mjs): the case view and graph, the triage queue
# and its weights file, analysts' splits, merges and confirmations of
# over-common values, who may do what, bad input, and the decisions
# surviving a restart (they are replayed over the rebuilt engine).
#     env CRIX=$PWD/build/crix bash tests/system/cases.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test cases.test.mjs
