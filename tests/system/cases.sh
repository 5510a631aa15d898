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

check "prerequisites"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
if [ -z "$major" ] || [ "$major" -lt 20 ]; then
	fail "node >= 20 is needed (global fetch, node:test); found $(node --version 2>&1)"
fi
[ -f "$ROOT/data/offences.json" ] || fail "no catalogue at $ROOT/data"

check "node --test cases.test.mjs"
cd "$ROOT" || fail "cannot cd to $ROOT"
if ! env CRIX="$CRIX" TMPDIR="$T" timeout 300 node --test --test-timeout=150000 --test-reporter=spec \
	tests/system/cases.test.mjs; then
	fail "node --test tests/system/cases.test.mjs failed (see above)"
fi
done_ok
