#!/usr/bin/env bash
# export.sh - drives `crix export stix`: every object of the bundles it writes
# validates against the official STIX 2.1 JSON schemas (../shared/data, with
# ajv from tests/node_modules), ids are deterministic across runs, the TLP
# marking and producer identity are on every object, types without a STIX
# object are skipped and counted, bad lines are named FILE:LINE, exit status;
# and --data: reports, cases, organisations and sightings from a store.
#     env CRIX=$PWD/build/crix bash tests/system/export.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"
VALIDATE=$ROOT/tests/system/stix-validate.mjs
# The official schemas are in the team's shared folder, beside the checkout
# (or named by CRIX_SHARED; /work/shared on the team's machines).
SCHEMAS=
for d in "${CRIX_SHARED:-}" "$ROOT/../shared" /work/shared; do
	if [ -n "$d" ] && [ -d "$d/data/stix21-schemas/schemas" ]; then
		SCHEMAS=$d/data/stix21-schemas/schemas
		break
	fi
done
if [ -z "$SCHEMAS" ]; then
	echo "export: SKIPPED: no STIX 2.1 schemas (set CRIX_SHARED to the shared folder)" >&2
	exit 0
fi
cd "$T" || fail "cannot cd to $T"
[ -d "$ROOT/tests/node_modules/ajv" ] || fail "ajv is missing: run scripts/install-deps"

cat >iocs.txt <<'X'
# one of each type crix exports, and some it cannot
198.51.100.7
2001:DB8::1
10.0.0.0/8
2001:db8::/32
evil.com
hxxps://www[.]evil[.]com/login?a=1&b='x'
bob@evil.com
d41d8cd98f00b204e9800998ecf8427e
da39a3ee5e6b4b0d3255bfef95601890afd80709
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
AS64496
CVE-2021-44228
+44 20 7946 0958
GB82WEST12345698765432
not an indicator at all
evil.com
X

check "help"
expect_exit 0 export --help
expect_contains "$OUT" "crix export stix"

check "bundle validates against the STIX 2.1 schemas"
expect_exit 0 export stix --refang --tlp amber --org "Example CERT" --time 2024-05-01T12:00:00Z iocs.txt
cp "$OUT" a.json
node "$VALIDATE" "$SCHEMAS" a.json >val.out 2>&1 || fail "schema validation: $(head -c 3000 val.out)"
expect_contains val.out "bundle valid"
expect_contains "$ERR" "iocs.txt:16:" "the bad line is named"
expect_contains "$ERR" "phone: 1" "skipped types are counted"

check "contents"
node -e '
const b = JSON.parse(require("fs").readFileSync("a.json", "utf8"));
const by = (t) => b.objects.filter((o) => o.type === t);
const fail = (m) => { console.error(m); process.exit(1); };
if (b.type !== "bundle") fail("not a bundle");
if (by("indicator").length !== 11) fail("indicators: " + by("indicator").length);
if (by("vulnerability").length !== 1) fail("no CVE");
if (by("identity").length !== 1 || by("identity")[0].name !== "Example CERT") fail("identity");
const amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
if (by("marking-definition").length !== 1 || by("marking-definition")[0].id !== amber) fail("marking");
for (const o of b.objects) {
  if (o.type === "marking-definition") continue;
  if (!(o.object_marking_refs || []).includes(amber)) fail("unmarked " + o.id);
}
const pats = by("indicator").map((o) => o.pattern);
for (const want of ["[url:value = \x27https://www.evil.com/login?a=1&b=\\\x27x\\\x27\x27]",
    "[ipv6-addr:value = \x272001:db8::1\x27]", "[ipv4-addr:value ISSUBSET \x2710.0.0.0/8\x27]"])
  if (!pats.includes(want)) fail("pattern missing: " + want + " in " + JSON.stringify(pats));
const ids = new Set(b.objects.map((o) => o.id));
if (ids.size !== b.objects.length) fail("duplicate ids");
for (const r of by("relationship"))
  if (!ids.has(r.source_ref) || !ids.has(r.target_ref)) fail("dangling " + r.id);
' || fail "bundle contents"

check "ids are deterministic"
expect_exit 0 export stix --refang --tlp amber --org "Example CERT" --time 2024-05-01T12:00:00Z iocs.txt
node -e '
const fs = require("fs");
const ids = (f) => JSON.parse(fs.readFileSync(f, "utf8")).objects.map((o) => o.id).join();
if (ids("a.json") !== ids(process.argv[1])) process.exit(1);
' "$OUT" || fail "a second export gave other ids"

check "every TLP validates"
for t in clear green amber+strict red; do
	expect_exit 0 export stix --tlp "$t" iocs.txt
	cp "$OUT" "t-$t.json"
	node "$VALIDATE" "$SCHEMAS" "t-$t.json" >val.out 2>&1 || fail "TLP $t: $(head -c 2000 val.out)"
done

check "stdin and gzip"
gzip -c iocs.txt >iocs.txt.gz
expect_exit 0 export stix --refang --time 2024-05-01T12:00:00Z iocs.txt.gz
cp "$OUT" gz.json
expect_exit 0 export stix --refang --time 2024-05-01T12:00:00Z <iocs.txt
node -e '
const fs = require("fs");
const n = (f) => JSON.parse(fs.readFileSync(f, "utf8")).objects.length;
if (n("gz.json") !== n(process.argv[1]) || n("gz.json") < 30) process.exit(1);
' "$OUT" || fail "gzip and stdin differ"

check "errors"
expect_exit 2 export stix --tlp purple iocs.txt
expect_contains "$ERR" "tlp"
expect_exit 2 export stix missing-file.txt
expect_contains "$ERR" "missing-file.txt"
expect_exit 2 export csv iocs.txt
printf '+44 20 7946 0958\n# nothing exportable\n' >none.txt
expect_exit 1 export stix none.txt

# Reports, cases, organisations and sightings from a store filled through
# the real server (tests/system/stix-export.test.mjs), validated the same
# way, with no victim data in the bundle; node_test ends the test.
export STIX_SCHEMAS=$SCHEMAS
node_test stix-export.test.mjs
