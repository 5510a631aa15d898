#!/usr/bin/env bash
# stats.sh - statistics end to end: GET /api/v1/stats over real HTTP
# (tests/system/stats.test.mjs with node's test runner), then `crix stats`
# on a data directory filled through a real server: the aligned table,
# CSV, JSON equal to the API's, SVG (well-formed, checked with xmllint),
# --public suppression, filters, and errors naming the option.
#     env CRIX=$PWD/build/crix bash tests/system/stats.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"

check "prerequisites"
command -v xmllint >/dev/null 2>&1 || fail "xmllint is needed (Debian: apt-get install libxml2-utils)"
command -v curl >/dev/null 2>&1 || fail "curl is needed (Debian: apt-get install curl)"

check "node --test stats.test.mjs"
(cd "$ROOT" && env CRIX="$CRIX" TMPDIR="$T" timeout 300 node --test --test-timeout=150000 \
	--test-reporter=spec tests/system/stats.test.mjs) || fail "tests/system/stats.test.mjs failed (see above)"

check "a data directory filled through the server"
D=$T/data
expect_exit 0 admin --data "$D" init
timeout 60 "$CRIX" serve --data "$D" --listen 127.0.0.1:0 --catalogue "$ROOT/data" \
	--rate-limit 1000000 >"$T/serve.out" 2>"$T/serve.err" &
SERVER=$!
for _ in $(seq 100); do
	grep -q 'listening on' "$T/serve.out" && break
	sleep 0.1
done
PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/serve.out")
[ -n "$PORT" ] || fail "crix serve did not start: $(excerpt "$T/serve.err")"
submit()
{
	local body="{\"kind\":\"crime\",\"category\":\"$1\",\"description\":\"CLI statistics test.\",\"victim\":{\"type\":\"person\",\"country\":\"GB\",\"region\":\"$2\"}"
	[ "$3" -gt 0 ] && body="$body,\"loss\":{\"amount_minor\":$3,\"currency\":\"$4\"}"
	curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$body}" \
		"http://127.0.0.1:$PORT/api/v1/reports" || fail "submitting a $1 report failed"
}
for loss in 1000 2000 3000 4000 5050 6000; do submit investment-fraud London "$loss" GBP; done
submit phishing "Leeds" 70000 JPY
submit ransomware "Yorkshire" 0 GBP
curl -sf -o "$T/api.json" "http://127.0.0.1:$PORT/api/v1/stats?group_by=category" ||
	fail "public GET /api/v1/stats failed"
kill "$SERVER"
wait "$SERVER"

check "crix stats: the aligned table, staff figures with a note"
expect_exit 0 stats --data "$D" --catalogue "$ROOT/data" --by category
cat >"$T/want" <<'EOF'
category          reports  vulnerable  currency  loss sum  loss median  with loss
----------------  -------  ----------  --------  --------  -----------  ---------
investment-fraud        6           0  GBP         210.50        35.00          6
phishing                1           0  JPY          70000        70000          1
ransomware              1           0

8 reports in all; amounts in major units of the currency
EOF
expect_same_file "$OUT" "$T/want" "crix stats --by category"
expect_contains "$ERR" "NOT suppressed"

check "crix stats --public: what the public API gives"
expect_exit 0 stats --data "$D" --catalogue "$ROOT/data" --by category --public --format json
node -e '
const fs = require("fs");
const a = JSON.parse(fs.readFileSync(process.argv[1], "utf8")), b = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
if (JSON.stringify(a) !== JSON.stringify(b)) { console.error("CLI", JSON.stringify(a), "\nAPI", JSON.stringify(b)); process.exit(1); }
' "$OUT" "$T/api.json" || fail "crix stats --public --format json differs from the public API"
expect_not_contains "$ERR" "NOT suppressed"
expect_exit 0 stats --data "$D" --catalogue "$ROOT/data" --by category --public
expect_contains "$OUT" "phishing          suppressed"
expect_contains "$OUT" "cells of fewer than 5 reports suppressed (no total)"

check "crix stats: CSV, filters, two dimensions"
expect_exit 0 stats --data "$D" --catalogue "$ROOT/data" --by region,category --format csv \
	--category investment-fraud --from 2020-01-01
expect_eq "$(cat "$OUT")" "region,category,reports,vulnerable_victims,currency,loss_sum_minor,loss_median_minor
London,investment-fraud,6,0,GBP,21050,3500" "csv"
expect_exit 0 stats --data "$D" --catalogue "$ROOT/data" --to 2020-01-01
expect_contains "$OUT" "0 reports in all"

check "crix stats: SVG charts are well-formed XML"
for by in category month category,day; do
	expect_exit 0 stats --data "$D" --catalogue "$ROOT/data" --by "$by" --format svg
	xmllint --noout "$OUT" 2>"$T/xml.err" || fail "--by $by: not well-formed: $(excerpt "$T/xml.err")"
	expect_contains "$OUT" 'viewBox="0 0 800 450"'
done
expect_contains "$OUT" "<path"

check "crix stats: errors name the option"
expect_exit 2 stats --data "$D" --by colour
expect_contains "$ERR" "--by: 'colour' is not one of"
expect_exit 2 stats --data "$D" --by category,month,region
expect_contains "$ERR" "at most two"
expect_exit 2 stats --data "$D" --from yesterday
expect_contains "$ERR" "from"
expect_exit 2 stats --data "$D" --format xml
expect_contains "$ERR" "--format: 'xml'"
expect_exit 2 stats --data "$D" --min-cell 0
expect_exit 2 stats --data "$D" --by
expect_exit 2 stats --bogus
expect_exit 1 stats --data "$T/nowhere" --catalogue "$ROOT/data"
expect_contains "$ERR" "no crix database here"
[ ! -e "$T/nowhere" ] || fail "crix stats created a data directory"
expect_exit 0 stats --help
expect_contains "$OUT" "usage: crix stats"
done_ok
