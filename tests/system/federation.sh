#!/usr/bin/env bash
# federation.sh - crix sync between three crix instances on loopback
# (tests/system/federation.test.mjs): an AMBER object shared with one
# organisation reaches that organisation's instance and no other; AMBER+STRICT
# and RED objects go nowhere; incremental runs; pushes; bad configurations.
#     env CRIX=$PWD/build/crix bash tests/system/federation.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

check "prerequisites"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
if [ -z "$major" ] || [ "$major" -lt 20 ]; then
	fail "node >= 20 is needed (global fetch, node:test); found $(node --version 2>&1)"
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	fail "the sqlite3 command-line tool is needed (Debian: apt-get install sqlite3)"
fi
[ -f "$ROOT/data/offences.json" ] || fail "no catalogue at $ROOT/data"

check "node --test federation.test.mjs"
cd "$ROOT" || fail "cannot cd to $ROOT"
# The scratch directories of the node tests go under $T (removed on exit).
if ! env CRIX="$CRIX" TMPDIR="$T" timeout 300 node --test --test-timeout=150000 --test-reporter=spec \
	tests/system/federation.test.mjs; then
	fail "node --test tests/system/federation.test.mjs failed (see above)"
fi
done_ok
