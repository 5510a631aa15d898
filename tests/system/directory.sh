#!/usr/bin/env bash
# directory.sh - the directory for picking organisations and users by name
# (GET /api/v1/directory/orgs, /api/v1/directory/users) over real HTTP with
# node's test runner (tests/system/directory.test.mjs): who may list what,
# 401 for the public, q bounded and named in every 400, at most 20 answers.
#     env CRIX=$PWD/build/crix bash tests/system/directory.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test directory.test.mjs
