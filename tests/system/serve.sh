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

node_test serve.test.mjs
