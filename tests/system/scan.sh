#!/usr/bin/env bash
# scan.sh - drives `crix scan` over real files: exact matching (no substring
# hits), every list format's diagnostics, allow-lists, gzip and stdin, -j N
# giving the same output as one thread, --count/--stats, and grep-like exit
# status; the default -j.
#     env CRIX=$PWD/build/crix bash tests/system/scan.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"
cd "$T" || fail "cannot cd to $T"

cat >iocs.txt <<'X'
# test indicators
1.2.3.4
10.0.0.0/8
10.20.0.0/16
evil.example.com
d41d8cd98f00b204e9800998ecf8427e
http://phish.example.net/login.php?a=1
bob@evil.example.org
2001:db8::1
this is not an indicator
X

cat >log.txt <<'X'
1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "UA"
11.2.3.45 - - [10/Oct/2024:13:55:37 +0000] "GET /1.2.3.4x HTTP/1.1" 200 1 "-" "UA"
notevil.example.com evil.example.com.au www.evil.example.com
10.9.8.7 10.20.3.4 9.255.255.255 11.0.0.0
hash D41D8CD98F00B204E9800998ECF8427E sample_d41d8cd98f00b204e9800998ecf8427e.bin xd41d8cd98f00b204e9800998ecf8427e
ref "HTTP://Phish.Example.NET:80/./login.php?a=1" from=<bob@EVIL.example.org>
v6 2001:DB8:0:0::1 and 2001:db8::10 and ::ffff:1.2.3.4
X

check "help"
expect_exit 0 scan --help
expect_contains "$OUT" "--allow"
expect_exit 0 help scan

check "hits are exact and carry their source"
expect_exit 0 scan -q -i iocs.txt log.txt
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
const got = lines.map(l => { const o = JSON.parse(l); return `${o.line} ${o.match} ${o.indicator} ${o.type}`; });
const want = [
 "1 1.2.3.4 1.2.3.4 ipv4",
 "3 www.evil.example.com evil.example.com domain",
 "4 10.9.8.7 10.0.0.0/8 cidr4",
 "4 10.20.3.4 10.20.0.0/16 cidr4",
 "5 D41D8CD98F00B204E9800998ECF8427E d41d8cd98f00b204e9800998ecf8427e md5",
 "5 d41d8cd98f00b204e9800998ecf8427e d41d8cd98f00b204e9800998ecf8427e md5",
 "6 HTTP://Phish.Example.NET:80/./login.php?a=1 http://phish.example.net/login.php?a=1 url",
 "6 bob@EVIL.example.org bob@evil.example.org email",
 "7 2001:DB8:0:0::1 2001:db8::1 ipv6",
 "7 ::ffff:1.2.3.4 1.2.3.4 ipv4",
];
if (JSON.stringify(got) !== JSON.stringify(want)) {
  console.error("got:\n" + got.join("\n") + "\nwant:\n" + want.join("\n")); process.exit(1);
}
for (const l of lines) { const o = JSON.parse(l);
  if (o.file !== "log.txt" || o.source !== "iocs.txt" || typeof o.source_line !== "number") { console.error("bad fields: " + l); process.exit(1); } }
' "$OUT" || fail "hits differ from the expected exact matches"
# offsets point at the match
first=$(head -n 1 "$OUT")
off=$(node -e 'const o=JSON.parse(process.argv[1]);console.log(o.offset)' "$first")
expect_eq "$(bytes_at log.txt "$off" 7)" "1.2.3.4" "bytes at the first hit's offset"

check "a bad indicator line is reported with file and line"
expect_exit 0 scan -i iocs.txt log.txt
expect_contains "$ERR" "iocs.txt:10:" "stderr names the bad line"
check "--strict makes it an error"
expect_exit 2 scan --strict -i iocs.txt log.txt

check "no hit: exit 1"
printf 'nothing to see 5.6.7.8 good.example.org\n' >clean.txt
expect_exit 1 scan -q -i iocs.txt clean.txt
expect_empty "$OUT" "stdout with no hits"

check "unreadable log: exit 2 naming it, other logs still scanned"
expect_exit 2 scan -q -i iocs.txt missing.log log.txt
expect_contains "$ERR" "missing.log"
[ -s "$OUT" ] || fail "log.txt after missing.log was not scanned"

check "missing indicator file: exit 2"
expect_exit 2 scan -q -i nosuch.txt log.txt
expect_contains "$ERR" "nosuch.txt"

check "gzip and stdin give the same hits as the plain file"
expect_exit 0 scan -q -i iocs.txt log.txt
node -e 'for (const l of require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n")) { const o=JSON.parse(l); delete o.file; console.log(JSON.stringify(o)); }' "$OUT" >plain.jsonl
gzip -c log.txt >log.txt.gz
expect_exit 0 scan -q -i iocs.txt log.txt.gz
node -e 'for (const l of require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n")) { const o=JSON.parse(l); delete o.file; console.log(JSON.stringify(o)); }' "$OUT" >gz.jsonl
expect_same_file gz.jsonl plain.jsonl "gzip hits"
run scan -q -i iocs.txt <log.txt
expect_eq "$RC" 0 "exit status reading stdin"
node -e 'for (const l of require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n")) { const o=JSON.parse(l); if (o.file !== null) process.exit(1); delete o.file; console.log(JSON.stringify(o)); }' "$OUT" >stdin.jsonl || fail "file is not null for stdin"
expect_same_file stdin.jsonl plain.jsonl "stdin hits"

check "--count and --stats"
expect_exit 0 scan -q --count -i iocs.txt log.txt
expect_eq "$(cat "$OUT")" 10 "--count"
expect_exit 0 scan -q --stats -i iocs.txt log.txt
expect_contains "$OUT" "cidr4"
expect_contains "$OUT" "total"
expect_exit 2 scan --count --stats -i iocs.txt log.txt

check "allow-list removes values and says how many"
printf '10.0.0.0/8\nexample.com\n' >allow.txt
expect_exit 0 scan --allow allow.txt -i iocs.txt log.txt
expect_not_contains "$OUT" "cidr4" "hits after allow-listing 10/8"
expect_not_contains "$OUT" "evil.example.com" "hits after allow-listing example.com"
expect_contains "$ERR" "allow-listed"

check "-j 2 and the default (a thread per CPU) on a large file give the same output as -j 1"
for k in $(seq 1 40000); do echo "$k.1.1.1 - - [x] \"GET /p?q=$k HTTP/1.1\" 200 5 \"http://h$k.example.net/\" \"UA\""; done >big.txt
cat log.txt >>big.txt
for k in $(seq 1 4); do cat big.txt; done >big4.txt
expect_exit 0 scan -q -j1 -i iocs.txt big4.txt
cp "$OUT" j1.jsonl
expect_exit 0 scan -q -j 2 -i iocs.txt big4.txt
expect_same_file "$OUT" j1.jsonl "-j 2 output"
expect_exit 0 scan -q -i iocs.txt big4.txt
expect_same_file "$OUT" j1.jsonl "default -j output"
expect_exit 0 scan -i iocs.txt big4.txt
expect_contains "$ERR" "with $(nproc) thread" "the default -j (nproc: the CPUs it may use)"
if command -v taskset >/dev/null; then
	taskset -c 0 "$CRIX" scan -i iocs.txt big4.txt >/dev/null 2>pinned.err
	grep -q "with 1 thread (" pinned.err || fail "pinned to one CPU, the default is not -j1: $(cat pinned.err)"
fi
expect_exit 0 scan -q -j2 --count -i iocs.txt big4.txt
expect_eq "$(cat "$OUT")" "$(wc -l <j1.jsonl)" "-j2 --count"

check "every hit's line holds its offset: -j 2 over 4 MiB chunks, gzip over 16 MiB stream chunks, CRLF"
{ cat big4.txt; sed 's/$/\r/' big4.txt; printf 'no final newline 1.2.3.4'; } >big8.txt
gzip -1 -c big8.txt >big8.txt.gz
for f in big8.txt big8.txt.gz; do
	expect_exit 0 scan -q -j 2 -i iocs.txt "$f"
	node -e '
const t = require("fs").readFileSync(process.argv[2]);
const starts = [0];
for (let i = 0; i < t.length; i++) if (t[i] === 10) starts.push(i + 1);
const hits = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
if (hits.length < 8) { console.error("only " + hits.length + " hits"); process.exit(1); }
for (const h of hits) {
  const a = starts[h.line - 1], b = h.line < starts.length ? starts[h.line] : t.length + 1;
  if (!(h.offset >= a && h.offset < b)) { console.error("line " + h.line + " does not hold offset " + h.offset); process.exit(1); }
}
if (hits[hits.length - 1].line !== starts.length) { console.error("last hit not on the last line"); process.exit(1); }
' "$OUT" big8.txt || fail "$f: a hit's line does not hold its offset"
done

check "refang"
printf 'seen hxxp://phish[.]example[.]net/login.php?a=1 and 1.2.3[.]4\n' >defanged.txt
expect_exit 1 scan -q -i iocs.txt defanged.txt
expect_exit 0 scan -q --refang -i iocs.txt defanged.txt
expect_contains "$OUT" '"match":"1.2.3[.]4"'
expect_contains "$OUT" '"indicator":"http://phish.example.net/login.php?a=1"'

check "-j N parses a large list (1.5 MB, in pieces) as one thread does"
awk 'BEGIN {
	for (i = 1; i <= 70000; i++) {
		if (i % 97 == 0) print "bad_value_" i
		else if (i % 101 == 0) print "# comment " i
		else if (i % 5 == 0) printf "10.%d.%d.%d\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256
		else if (i % 5 == 1) print "host" i ".example.com"
		else if (i % 5 == 2) print "host" (i - 1) ".example.com"
		else if (i % 5 == 3) print "http://u" i ".example.net/p?q=" i
		else print "user" i "@mail.example.org"
	}
	print "1.2.3.4"; print "evil.example.com"; printf "www.evil.example.com"
}' >big.txt
[ "$(wc -c <big.txt)" -gt 1100000 ] || fail "big.txt is too small to be cut into pieces"
expect_exit 0 scan -j1 -i big.txt log.txt
cp "$OUT" one.out
grep -v "loaded in\|scanned" "$ERR" >one.err
expect_exit 0 scan -j3 -i big.txt log.txt
cmp one.out "$OUT" || fail "-j3 hits differ from -j1"
grep -v "loaded in\|scanned" "$ERR" | cmp one.err - || fail "-j3 load report differs from -j1"
expect_contains one.err "big.txt:97: 'bad_value_97' is not an indicator"
expect_contains one.err "69317 records, 55157 added, 13439 duplicates, 0 allow-listed, 721 invalid"
expect_exit 2 scan -j3 --strict -i big.txt log.txt
expect_contains "$ERR" "big.txt:97: 'bad_value_97' is not an indicator"

check "--save-index then -x: the same hits as -i; the allow-list kept; mode 0600"
expect_exit 0 scan -q -i iocs.txt log.txt
cp "$OUT" by-list.out
expect_exit 0 scan -i iocs.txt --save-index saved.idx </dev/null
expect_contains "$ERR" "saved index saved.idx"
[ "$(stat -c %a saved.idx)" = 600 ] || fail "saved.idx has mode $(stat -c %a saved.idx), want 600"
ls | grep -q 'saved.idx.tmp' && fail "a temporary file is left beside saved.idx"
expect_exit 0 scan -x saved.idx log.txt
cmp by-list.out "$OUT" || fail "-x hits differ from -i"
expect_contains "$ERR" "index saved.idx: 8 indicators from 1 source"
expect_contains "$ERR" " s"
expect_exit 0 scan -q -j1 --index saved.idx log.txt
cmp by-list.out "$OUT" || fail "-x -j1 hits differ from -i"
gzip -c log.txt >logz.gz
expect_exit 0 scan -q -x saved.idx logz.gz
expect_contains "$OUT" '"indicator":"http://phish.example.net/login.php?a=1"'
expect_exit 0 scan -q -x saved.idx <log.txt
expect_contains "$OUT" '"indicator":"10.20.0.0/16"'
# saving while scanning: the hits, and the same file
expect_exit 0 scan -q -i iocs.txt --save-index scan-saved.idx log.txt
cmp by-list.out "$OUT" || fail "hits of a run that also saves differ"
cmp saved.idx scan-saved.idx || fail "a run that scans saved other bytes"
# an allow-list saved with the index still removes, and refuses what -i adds
expect_exit 0 scan -q --allow allow.txt -i iocs.txt log.txt
cp "$OUT" allowed.out
expect_exit 0 scan -q --allow allow.txt -i iocs.txt --save-index allowed.idx
expect_exit 0 scan -q -x allowed.idx log.txt
cmp allowed.out "$OUT" || fail "-x of an allow-listed index differs from -i with --allow"
expect_exit 0 scan -q -x allowed.idx -i iocs.txt log.txt
expect_not_contains "$OUT" "cidr4" "hits of 10/8 added after loading an index that allows it"
# -i and --allow add to a loaded index
printf '11.2.3.45\n' >more.txt
expect_exit 0 scan -q -x saved.idx -i more.txt log.txt
expect_contains "$OUT" '"indicator":"11.2.3.45"'
expect_contains "$OUT" '"indicator":"1.2.3.4"'
expect_exit 0 scan -q -x saved.idx --allow allow.txt log.txt
cmp allowed.out "$OUT" || fail "-x with --allow differs from -i with --allow"

check "-x refuses a damaged, truncated or foreign file (exit 2)"
head -c 3000 saved.idx >cut.idx
expect_exit 2 scan -x cut.idx log.txt
expect_contains "$ERR" "cut.idx: bad index file"
expect_exit 2 scan -x iocs.txt log.txt
expect_contains "$ERR" "iocs.txt: bad index file: not an index file"
cp saved.idx bad.idx
printf 'X' | dd of=bad.idx bs=1 seek=8 conv=notrunc 2>/dev/null
expect_exit 2 scan -x bad.idx log.txt
expect_contains "$ERR" "bad.idx: built by an incompatible crix version"
cp saved.idx bad.idx
# the main store's slot mask (header offset 352) made not a power of two minus one
printf '\x05' | dd of=bad.idx bs=1 seek=352 conv=notrunc 2>/dev/null
expect_exit 2 scan -x bad.idx log.txt
expect_contains "$ERR" "bad.idx: bad index file"
expect_exit 2 scan -x no-such.idx log.txt
expect_contains "$ERR" "no-such.idx"
expect_exit 2 scan -i iocs.txt --save-index no/such/dir.idx log.txt
expect_contains "$ERR" "no/such/dir.idx"

check "bad options"
expect_exit 2 scan log.txt
expect_exit 2 scan -j 0 -i iocs.txt log.txt
expect_exit 2 scan --format nope -i iocs.txt log.txt
expect_exit 2 scan --bogus -i iocs.txt log.txt

done_ok
