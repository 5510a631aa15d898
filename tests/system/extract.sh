#!/usr/bin/env bash
# extract.sh - drives `crix extract` (and the command-line front door) as a
# user would, and checks it against docs/cli.md and docs/extract.md: inputs
# (stdin, "-", files, gzip), the JSON lines and their offsets, the options,
# the exit status, and inputs larger than the CLI's chunks.
#     env CRIX=$PWD/build/crix bash tests/system/extract.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"
cd "$T" || fail "cannot cd to $T"
cp "$ROOT/data/samples/phishing-report.txt" report.txt || fail "no data/samples/phishing-report.txt"
TAB=$'\t'

# ---------------------------------------------------------------- the front door
check "crix --help"
expect_exit 0 --help
expect_contains "$OUT" extract "crix --help output"
expect_contains "$OUT" normalize "crix --help output"
check "crix help"
expect_exit 0 help
expect_contains "$OUT" extract "crix help output"
expect_contains "$OUT" normalize "crix help output"
check "crix --version"
expect_exit 0 --version
[ -s "$OUT" ] || fail "crix --version printed nothing on stdout"
check "crix extract --help"
expect_exit 0 extract --help
for opt in --refang --type --country; do
	expect_contains "$OUT" "$opt" "crix extract --help output"
done
cp "$OUT" extract-help.txt
check "crix help extract == crix extract --help"
expect_exit 0 help extract
expect_same_file "$OUT" extract-help.txt "crix help extract"
check "unknown command"
expect_exit 2 frobnicate
expect_contains "$ERR" frobnicate "stderr of crix frobnicate"
check "unknown option"
expect_exit 2 extract --frobnicate
[ -s "$ERR" ] || fail "crix extract --frobnicate gave no message on stderr"

# ---------------------------------------------------------------- inputs
printf 'Contact evil.com or 198.51.100.7 now.\n' >small.txt
printf 'x\nsecond line has CVE-2021-44228\n' >two.txt
printf 'domain\tevil.com\tevil.com\t8\t1\t%s\n' - >small.want
printf 'ipv4\t198.51.100.7\t198.51.100.7\t20\t1\t%s\n' - >>small.want
F=type,value,raw,offset,line,file

check "stdin input"
expect_exit 0 extract <small.txt
jl_tsv "$F" >got
expect_same_file got small.want "crix extract <small.txt"

check "'-' is stdin"
expect_exit 0 extract - <small.txt
jl_tsv "$F" >got
expect_same_file got small.want "crix extract - <small.txt"

check "file input has a \"file\" field"
expect_exit 0 extract small.txt
jl_tsv "$F" >got
sed "s/${TAB}-\$/${TAB}small.txt/" small.want >want
expect_same_file got want "crix extract small.txt"

check "several files, in order, offsets and lines per file"
expect_exit 0 extract small.txt two.txt
jl_tsv "$F" >got
printf 'cve\tCVE-2021-44228\tCVE-2021-44228\t18\t2\ttwo.txt\n' >>want
expect_same_file got want "crix extract small.txt two.txt"

check "a file and stdin"
expect_exit 0 extract two.txt - <small.txt
jl_tsv "$F" >got
{
	printf 'cve\tCVE-2021-44228\tCVE-2021-44228\t18\t2\ttwo.txt\n'
	cat small.want
} >want
expect_same_file got want "crix extract two.txt - <small.txt"

check "CRLF line ends and NUL bytes"
printf 'first\r\n\000 bin\000ary 198.51.100.9\000\r\nlast evil.com\r\n' >odd.txt
expect_exit 0 extract odd.txt
jl_tsv type,value,raw,offset,line >got
printf 'ipv4\t198.51.100.9\t198.51.100.9\t%s\t2\n' "$(off_of odd.txt 198.51.100.9)" >want
printf 'domain\tevil.com\tevil.com\t%s\t3\n' "$(off_of odd.txt evil.com)" >>want
expect_same_file got want "crix extract odd.txt"

# ---------------------------------------------------------------- the sample report
# Every distinct indicator of data/samples/phishing-report.txt, and nothing
# else: the bait (invoice.pdf.exe, stage2.dll, window.location.href, 4.2.1,
# v2.0.1, 3.14, 14:32:05, NGR-2024-0611, Statement_Q3.zip, the Message-ID's
# local part) must give nothing.
cat >sample-plain.want <<'EOF'
asn	AS64496
btc	1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa
card	411111******1111
cidr4	203.0.113.0/24
cve	CVE-2023-23397
eth	0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed
iban	GB82WEST12345698765432
ipv4	198.51.100.23
ipv6	2001:db8:85a3::8a2e:370:7334
md5	ff5b6678ff626a74448b1b0971648bc1
phone	+442079460958
sha1	b87e51ee95cb0b3915abb1de4bf2eec0c7975a80
sha256	a4ffee3536a82e98db5336bafa1b93844e57cf62581fde90b6b4783e3ce33453
sha256	ab2423775d2f1995775f50360cc99762a03754c381dbca6ce2831650272f7322
EOF
{
	cat sample-plain.want
	cat <<'EOF'
domain	cdn-northgate.net
domain	mx1.bulk-mailer-eu.net
email	accounts-team@mailbox-northgate.xyz
email	bounce-8812@mx1.bulk-mailer-eu.net
email	intel-desk@ngr-reporting-centre.org
email	security-alert@northgate-bank-secure.com
ipv4	192.0.2.10
ipv4	203.0.113.45
url	ftp://203.0.113.45/drop/
url	http://cdn-northgate.net/files/Statement_Q3.zip
url	https://login.northgate-verify.top/secure/auth.php
url	https://login.northgate-verify.top/secure/auth.php?session=8f3a2c&ref=mail
url	https://northgate-bank-secure.com/update
EOF
} | LC_ALL=C sort >sample-refang.want

check "sample report: indicators without --refang"
expect_exit 0 extract report.txt
jl_tsv type,value >tv
LC_ALL=C sort -u tv >got
expect_same_file got sample-plain.want "distinct type/value of crix extract report.txt"

check "sample report: raw == input bytes at offset, line numbers, order"
jl_offsets report.txt report.txt >n
[ "$(cat n)" -ge 14 ] || fail "only $(cat n) indicators checked"

check "sample report: indicators with --refang"
expect_exit 0 extract --refang report.txt
jl_tsv type,value >tv
LC_ALL=C sort -u tv >got
expect_same_file got sample-refang.want "distinct type/value of crix extract --refang report.txt"
cp "$OUT" sample-refang.json

check "sample report with --refang: raw/offset/line refer to the defanged text"
jl_offsets report.txt report.txt >n
[ "$(cat n)" -ge 27 ] || fail "only $(cat n) indicators checked"
# The same, by hand with tail/head for two of them.
raw='hxxps://login.northgate-verify[.]top/secure/auth.php?session=8f3a2c&ref=mail'
jl_tsv type,raw,offset,line >tv
grep -F "url${TAB}${raw}${TAB}" tv >got || fail "no url with raw $raw"
IFS=$TAB read -r _ _ off line <got
expect_eq "$off" "$(off_of report.txt "$raw")" "offset of $raw"
expect_eq "$line" "$(line_of report.txt "$raw")" "line of $raw"
expect_eq "$(bytes_at report.txt "$off" ${#raw})" "$raw" "bytes at offset $off"
sha=ab2423775d2f1995775f50360cc99762a03754c381dbca6ce2831650272f7322
grep -F "sha256${TAB}${sha}${TAB}" tv >got || fail "no sha256 $sha"
IFS=$TAB read -r _ _ off line <got
expect_eq "$(bytes_at report.txt "$off" 64)" "$sha" "bytes at offset $off"
expect_eq "$line" "$(line_of report.txt "$sha")" "line of $sha"

check "sample report: Message-ID gives a domain with field message-id"
jl_tsv type,value,field >got
expect_contains got "domain${TAB}mx1.bulk-mailer-eu.net${TAB}message-id" "type/value/field list"

# ---------------------------------------------------------------- gzip
check "gzip input gives the same results as plain"
gzip -c report.txt >report.txt.gz || fail "gzip failed"
expect_exit 0 extract --refang report.txt.gz
jl_tsv type,value,raw,offset,line >got
jl_tsv type,value,raw,offset,line sample-refang.json >want
expect_same_file got want "crix extract --refang report.txt.gz"
jl_tsv file >tv
sort -u tv >got
printf 'report.txt.gz\n' >want
expect_same_file got want "\"file\" fields of crix extract report.txt.gz"

check "truncated gzip input is an error naming the file"
head -c 600 report.txt.gz >cut.gz
expect_exit 2 extract cut.gz
expect_contains "$ERR" "crix extract: cut.gz:" "stderr"

# ---------------------------------------------------------------- options
check "--type keeps only the named types"
expect_exit 0 extract --refang --type sha256,md5,cve,btc report.txt
jl_tsv type,value,raw,offset,line >got
jl_tsv type,value,raw,offset,line sample-refang.json >tv
grep -E '^(sha256|md5|cve|btc)'"$TAB" tv >want
expect_same_file got want "crix extract --type sha256,md5,cve,btc"
[ "$(wc -l <got)" -eq 5 ] || fail "want 5 indicators (2 sha256, md5, cve, btc), got $(wc -l <got)"
expect_exit 0 extract --type ipv4 small.txt
jl_tsv type,value >got
printf 'ipv4\t198.51.100.7\n' >want
expect_same_file got want "crix extract --type ipv4 small.txt"
expect_exit 1 extract --type cve small.txt
expect_empty "$OUT" "stdout of crix extract --type cve small.txt"

check "--type accepts every type name of docs/cli.md"
all=ipv4,ipv6,cidr4,cidr6,domain,url,email,md5,sha1,sha256,sha512,phone,iban,card,btc,eth,asn,cve
expect_exit 0 extract --refang --type "$all" report.txt
expect_same_file "$OUT" sample-refang.json "crix extract --refang --type (all types) report.txt"

check "--type with an unknown name"
expect_exit 2 extract --type ipv4,bogotype small.txt
expect_contains "$ERR" bogotype "stderr"

check "an option without its value"
for opt in --type --country; do
	expect_exit 2 extract "$opt" </dev/null
	[ -s "$ERR" ] || fail "crix extract $opt gave no message on stderr"
done

check "--refang: defanged text gives nothing without it"
printf 'evil[.]com and 198.51.100[.]7 and hxxp://bad[.]example[.]com/x and user[at]evil[.]org\n' >fang.txt
expect_exit 1 extract fang.txt
expect_empty "$OUT" "stdout of crix extract fang.txt"

check "--refang: values refanged, raw and offset as in the input"
expect_exit 0 extract --refang fang.txt
jl_tsv type,value,raw,offset,line >got
{
	printf 'domain\tevil.com\tevil[.]com\t0\t1\n'
	printf 'ipv4\t198.51.100.7\t198.51.100[.]7\t%s\t1\n' "$(off_of fang.txt '198.51.100[.]7')"
	printf 'url\thttp://bad.example.com/x\thxxp://bad[.]example[.]com/x\t%s\t1\n' \
		"$(off_of fang.txt 'hxxp://')"
	printf 'email\tuser@evil.org\tuser[at]evil[.]org\t%s\t1\n' "$(off_of fang.txt 'user[at]')"
} >want
expect_same_file got want "crix extract --refang fang.txt"

check "--country for national phone numbers"
printf 'Call 020 7946 0958 today.\n' >phone.txt
expect_exit 1 extract phone.txt
expect_exit 0 extract --country GB phone.txt
jl_tsv type,value,raw,offset,line >got
printf 'phone\t+442079460958\t020 7946 0958\t5\t1\n' >want
expect_same_file got want "crix extract --country GB phone.txt"

check "--country that is not an ISO 3166-1 alpha-2 code"
for cc in GBR 1Z; do
	expect_exit 2 extract --country "$cc" phone.txt
	[ -s "$ERR" ] || fail "crix extract --country $cc gave no message on stderr"
done

# ---------------------------------------------------------------- exit status
check "exit 1 when nothing is found"
printf 'nothing to see here, version 1.2.3, setup.exe\n' >none.txt
expect_exit 1 extract none.txt
expect_empty "$OUT" "stdout of crix extract none.txt"
expect_exit 1 extract </dev/null
expect_empty "$OUT" "stdout of crix extract </dev/null"

check "exit 2 for a missing file, the other files still processed"
expect_exit 2 extract missing.txt small.txt
expect_contains "$ERR" "crix extract: missing.txt:" "stderr"
jl_tsv value,file >got
printf 'evil.com\tsmall.txt\n198.51.100.7\tsmall.txt\n' >want
expect_same_file got want "stdout of crix extract missing.txt small.txt"

check "exit 2 for a directory, the files before it processed"
mkdir adir
expect_exit 2 extract small.txt adir
expect_contains "$ERR" "crix extract: adir:" "stderr"
jl_tsv value,file >got
expect_same_file got want "stdout of crix extract small.txt adir"

check "exit 2 wins over exit 1"
expect_exit 2 extract none.txt missing.txt
expect_contains "$ERR" "crix extract: missing.txt:" "stderr"

# ---------------------------------------------------------------- JSON escaping
check "JSON escaping of raw and file"
# A backslash in raw (refang of "\."); a backslash, control bytes and bytes
# that are not UTF-8 next to indicators (whatever is found must come out as
# valid JSON with raw == the input bytes); a file name with a quote, a
# backslash, a tab and a control byte.
name=$'we"ird\\na\tme\001.txt'
printf 'evil\\.com\nhttp://evil.com/a\\b\nhttp://evil.com/c\001d x\n\377\376 evil.net\tevil.org\033[0m\n' >"$name"
expect_exit 0 extract --refang "$name"
jl_offsets "$name" "$name" >n
[ "$(cat n)" -ge 3 ] || fail "only $(cat n) indicators found in the escaping input"
# shellcheck disable=SC2016 # JavaScript, not shell
NAME=$name node -e '
	const fs = require("fs");
	const recs = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
	const want = process.env.NAME;
	for (const r of recs)
		if (r.file !== want) { console.error(`"file" is ${JSON.stringify(r.file)}, want ${JSON.stringify(want)}`); process.exit(1); }
	const raws = recs.map((r) => r.raw);
	for (const w of ["evil\\.com"])
		if (!raws.includes(w)) { console.error(`no raw ${JSON.stringify(w)} in ${JSON.stringify(raws)}`); process.exit(1); }
' "$OUT" || fail "escaped fields do not read back (above)"

# ---------------------------------------------------------------- large inputs
# ~40 MiB of filler lines with indicators straddling power-of-two offsets
# (64 KiB .. 32 MiB), a line starting exactly at 16 MiB, and the last line
# without a newline: the CLI streams in chunks cut at line boundaries, so each
# must be found once, with its offset and line in the whole input.
node - <<'EOF' || fail "cannot generate big.txt"
const fs = require('fs');
const MiB = 1 << 20;
const size = 40 * MiB + 12345;
const fill = Buffer.from('the quick brown fox jumps over the lazy dog\n');
const buf = Buffer.alloc(size);
for (let i = 0; i < size; i += fill.length) fill.copy(buf, i, 0, Math.min(fill.length, size - i));
const items = [];
function put(pos, type, value, raw) {
	buf[pos - 1] = 0x20;
	buf.write(raw, pos, 'latin1');
	if (pos + raw.length < size) buf[pos + raw.length] = 0x20;
	items.push([type, value, raw, pos]);
}
put(64 * 1024 - 3, 'ipv4', '198.51.100.1', '198.51.100.1');
put(MiB - 7, 'domain', 'evil-1mib.com', 'evil-1mib.com');
put(4 * MiB - 2, 'email', 'mule@evil-4mib.net', 'mule@evil-4mib.net');
const url = 'https://evil-8mib.com/a/long/path/that/crosses/the/boundary?x=1';
put(8 * MiB - 30, 'url', url, url);
// "203.0.113.16" ends the line that ends at 16 MiB; the next line starts
// exactly at 16 MiB with a CVE.
put(16 * MiB - 13, 'ipv4', '203.0.113.16', '203.0.113.16');
buf[16 * MiB - 1] = 0x0a;
buf.write('CVE-2021-44228', 16 * MiB, 'latin1');
buf[16 * MiB + 14] = 0x20;
items.push(['cve', 'CVE-2021-44228', 'CVE-2021-44228', 16 * MiB]);
const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
put(24 * MiB + 5, 'sha256', sha, sha);
put(32 * MiB - 20, 'sha256', sha, sha);
const last = 'last-line-evil.com';
buf[size - last.length - 1] = 0x20;
buf.write(last, size - last.length, 'latin1');
items.push(['domain', last, last, size - last.length]);
fs.writeFileSync('big.txt', buf);
items.sort((a, b) => a[3] - b[3]);
let out = '', line = 1, p = 0;
for (const [type, value, raw, pos] of items) {
	for (; p < pos; p++) if (buf[p] === 0x0a) line++;
	out += `${type}\t${value}\t${raw}\t${pos}\t${line}\n`;
}
fs.writeFileSync('big.want', out);
EOF
[ "$(tail -c 1 big.txt)" != "" ] || fail "big.txt should not end with a newline"

check "input larger than the CLI's chunks: every indicator, offset and line"
expect_exit 0 extract big.txt
jl_tsv type,value,raw,offset,line >got
expect_same_file got big.want "crix extract big.txt"

check "large gzip input"
gzip -1 -c big.txt >big.txt.gz || fail "gzip failed"
rm -f big.txt
expect_exit 0 extract big.txt.gz
jl_tsv type,value,raw,offset,line >got
expect_same_file got big.want "crix extract big.txt.gz"
rm -f big.txt.gz

check "a 20 MiB line without newlines"
node -e '
	const fs = require("fs");
	const n = 20 * (1 << 20);
	const b = Buffer.alloc(n, "lorem ipsum ");
	b.write("198.51.100.7 ", 0, "latin1");
	b.write(" 203.0.113.9", n - 12, "latin1");
	fs.writeFileSync("long.txt", b);
' || fail "cannot generate long.txt"
expect_exit 0 extract long.txt
jl_tsv type,value,offset,line >got
printf 'ipv4\t198.51.100.7\t0\t1\nipv4\t203.0.113.9\t%s\t1\n' $((20 * 1048576 - 11)) >want
expect_same_file got want "crix extract long.txt"

check "a 20 MiB word without spaces or newlines"
node -e 'require("fs").writeFileSync("word.txt", Buffer.alloc(20 * (1 << 20), "a"))' ||
	fail "cannot generate word.txt"
expect_exit 1 extract word.txt
expect_empty "$OUT" "stdout of crix extract word.txt"
node -e 'require("fs").writeFileSync("dots.txt", Buffer.alloc(20 * (1 << 20), "a."))' ||
	fail "cannot generate dots.txt"
expect_exit 1 extract --refang dots.txt
expect_empty "$OUT" "stdout of crix extract --refang dots.txt"
rm -f long.txt word.txt dots.txt

done_ok
