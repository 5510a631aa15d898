#!/usr/bin/env bash
# import.sh - STIX bundle import and MISP with node's test runner
# (tests/system/import.test.mjs): POST /api/v1/collections/{id}/import
# (counts, verbatim re-export, warning lists, rights, malformed bundles, a
# large bundle timed), crix import stix beside and after a running server,
# MISP feeds exported per caller and imported back.
#     env CRIX=$PWD/build/crix bash tests/system/import.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

node_test import.test.mjs
