#!/usr/bin/env bash
# serve.sh - drives `crix serve` over real HTTP with node's test runner
# (tests/system/serve.test.mjs): intake, references, advice, indicators,
# tracking, the status flow, roles, sessions and CSRF, tokens, every limit,
# the error shape, rate limits, metrics, the audit chain against edits made
# with the sqlite3 tool, durability across kill -9, graceful stop, and garbage
# input.  Servers listen on free ports of 127.0.0.1; their data directories
# are scratch directories removed at the end.
#     env CRIX=$PWD/build/crix bash tests/system/serve.sh
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

check "node --test serve.test.mjs"
cd "$ROOT" || fail "cannot cd to $ROOT"
# The scratch directories of the node tests go under $T (removed on exit).
if ! env CRIX="$CRIX" TMPDIR="$T" timeout 300 node --test --test-timeout=150000 --test-reporter=spec \
	tests/system/serve.test.mjs; then
	fail "node --test tests/system/serve.test.mjs failed (see above)"
fi
done_ok
