#!/usr/bin/env bash
# sightings.sh - sightings over real HTTP with node's test runner
# (tests/system/sightings.test.mjs): partners report sightings by value and
# by id, invisible values unmatched as unknown ones, totals for the owner and
# law enforcement only (their own route and the lookup answer), every bad
# field a 400 naming it, 10,000 in one request, a restart, and crix scan
# --report-to against the real server; over TAXII, sighting objects in their
# indicator's collection for the same callers (matrix), exactly paged.
#     env CRIX=$PWD/build/crix bash tests/system/sightings.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test sightings.test.mjs
