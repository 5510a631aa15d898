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

check "prerequisites"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
if [ -z "$major" ] || [ "$major" -lt 20 ]; then
	fail "node >= 20 is needed (global fetch, node:test); found $(node --version 2>&1)"
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	fail "the sqlite3 command-line tool is needed (Debian: apt-get install sqlite3)"
fi
[ -f "$ROOT/data/offences.json" ] || fail "no catalogue at $ROOT/data"

check "node --test sharing.test.mjs"
cd "$ROOT" || fail "cannot cd to $ROOT"
# The scratch directories of the node tests go under $T (removed on exit).
if ! env CRIX="$CRIX" TMPDIR="$T" timeout 300 node --test --test-timeout=150000 --test-reporter=spec \
	tests/system/sharing.test.mjs; then
	fail "node --test tests/system/sharing.test.mjs failed (see above)"
fi
done_ok
