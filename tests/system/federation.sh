#!/usr/bin/env bash
# federation.sh - crix sync between three crix instances on loopback
# (tests/system/federation.test.mjs): an AMBER object shared with one
# organisation reaches that organisation's instance and no other; AMBER+STRICT
# and RED objects go nowhere; incremental runs; pushes; bad configurations.
#     env CRIX=$PWD/build/crix bash tests/system/federation.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test federation.test.mjs
