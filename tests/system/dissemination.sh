#!/usr/bin/env bash
# dissemination.sh - case work in `crix serve` over real HTTP with node's
# test runner (tests/system/dissemination.test.mjs): stable case ids over
# merges, splits and restarts, the viability review, the jurisdiction rules,
# dissemination through the report workflow, the crime package (JSON and
# printable HTML), outcomes per suspect, victims' tracking, the case-work
# statistics, who may do what, and bad input.
#     env CRIX=$PWD/build/crix bash tests/system/dissemination.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test dissemination.test.mjs
