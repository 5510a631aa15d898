# shellcheck shell=bash
# lib.sh - helpers shared by the system tests in tests/system (sourced, not run).
#
# A system test drives the real binary named by $CRIX:
#     env CRIX=$PWD/build/crix bash tests/system/extract.sh
# and exits 0 when every check passed, or 1 at the first failed check with a
# line "NAME: FAIL: CHECK: what went wrong" on stderr.  Every run of the
# binary is also checked for crashes (death by a signal) and for reports of
# AddressSanitizer, LeakSanitizer and UBSan, so the same scripts serve the
# ASan build.  Scratch files live in $T, removed on exit.  No network.
# Needs bash, coreutils, gzip and node (JSON checks).

set -u

TEST_NAME=$(basename "$0" .sh)
CHECK="setup"
NCHECKS=0

# Stops the test: names the test and the check that failed.
fail()
{
	printf '%s: FAIL: %s: %s\n' "$TEST_NAME" "$CHECK" "$*" >&2
	exit 1
}

# Starts a named check; the name appears in any failure message after it.
check()
{
	CHECK=$1
	NCHECKS=$((NCHECKS + 1))
}

# Prints the closing line of a test that got to its end.
done_ok()
{
	printf '%s: %d checks passed\n' "$TEST_NAME" "$NCHECKS"
	exit 0
}

if [ -z "${CRIX:-}" ]; then
	fail "CRIX is not set (run as: env CRIX=\$PWD/build/crix bash $0)"
fi
if [ ! -x "$CRIX" ]; then
	fail "CRIX=$CRIX is not an executable file (build it with: make build/crix)"
fi
# The tests cd into their scratch directory: make the path absolute.
case $CRIX in
/*) ;;
*) CRIX=$PWD/$CRIX ;;
esac
if ! command -v node >/dev/null 2>&1; then
	fail "node is needed for the JSON checks (Debian: apt-get install nodejs)"
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/crix-$TEST_NAME.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$T"' EXIT
OUT=$T/out
ERR=$T/err
RC=0
# Each run may take this long (the ASan build is slow on the large inputs).
RUN_TIMEOUT=${RUN_TIMEOUT:-600}

# Prints the first lines of a file for a failure message.
excerpt()
{
	head -c 2000 "$1" | head -n 20
}

# run ARGS...: runs $CRIX ARGS with stdin from the caller; stdout goes to $OUT,
# stderr to $ERR, the exit status to $RC.  Fails on a crash, a hang or a
# sanitizer report, whatever the exit status.
run()
{
	timeout "$RUN_TIMEOUT" "$CRIX" "$@" >"$OUT" 2>"$ERR"
	RC=$?
	if [ "$RC" -eq 124 ]; then
		fail "crix $* did not finish within ${RUN_TIMEOUT}s"
	fi
	if [ "$RC" -ge 128 ]; then
		fail "crix $* died of signal $((RC - 128)); stderr: $(excerpt "$ERR")"
	fi
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$ERR"; then
		fail "crix $* made a sanitizer report: $(excerpt "$ERR")"
	fi
	return 0
}

# expect_exit WANT ARGS...: runs crix ARGS (see run) and fails unless the
# exit status is WANT.
expect_exit()
{
	local want=$1
	shift
	run "$@"
	if [ "$RC" -ne "$want" ]; then
		fail "crix $* exited $RC, want $want; stderr: $(excerpt "$ERR")"
	fi
}

# expect_eq GOT WANT [WHAT]: fails unless the two strings are equal.
expect_eq()
{
	if [ "$1" != "$2" ]; then
		fail "${3:-value}: got [$1], want [$2]"
	fi
}

# expect_contains FILE TEXT [WHAT]: fails unless FILE contains TEXT (fixed string).
expect_contains()
{
	if ! grep -qF -- "$2" "$1"; then
		fail "${3:-$(basename "$1")} does not contain [$2]: $(excerpt "$1")"
	fi
}

# expect_not_contains FILE TEXT [WHAT]: fails if FILE contains TEXT.
expect_not_contains()
{
	if grep -qF -- "$2" "$1"; then
		fail "${3:-$(basename "$1")} contains [$2]: $(grep -F -- "$2" "$1" | head -n 3)"
	fi
}

# expect_same_file GOT WANT [WHAT]: fails unless the files are equal, showing a diff.
expect_same_file()
{
	if ! cmp -s "$1" "$2"; then
		fail "${3:-output} differs (- want, + got): $(diff -u "$2" "$1" | head -n 30)"
	fi
}

# expect_empty FILE [WHAT]
expect_empty()
{
	if [ -s "$1" ]; then
		fail "${2:-$(basename "$1")} is not empty: $(excerpt "$1")"
	fi
}

# bytes_at FILE OFFSET LEN: prints LEN bytes of FILE from the 0-based OFFSET.
bytes_at()
{
	tail -c +"$(($2 + 1))" "$1" | head -c "$3"
}

# The JSON-lines checker of crix extract output; see its usage below.
JL=$T/jl.js
cat >"$JL" <<'EOF'
// Checks crix extract output: every line is a JSON object with the fields of
// docs/cli.md, and the whole output is valid UTF-8.
//   node jl.js tsv OUT FIELD[,FIELD...]   prints the fields, tab-separated
//                                         ("-" for an absent field)
//   node jl.js offsets OUT INPUT [FILE]   checks raw == the bytes of INPUT at
//                                         offset, line, order, no overlap, for
//                                         the records whose "file" is FILE
//                                         (absent FILE: records without "file")
// Exits 1 with a message naming the output line at fault.
'use strict';
const fs = require('fs');
const TYPES = new Set(['ipv4', 'ipv6', 'cidr4', 'cidr6', 'domain', 'url', 'email', 'md5',
	'sha1', 'sha256', 'sha512', 'phone', 'iban', 'card', 'btc', 'eth', 'asn', 'cve']);
function die(msg) { process.stderr.write(msg + '\n'); process.exit(1); }
function load(path) {
	const buf = fs.readFileSync(path);
	let text;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
	} catch (e) {
		die('output is not valid UTF-8 (JSON text must be)');
	}
	if (text.length === 0) return [];
	if (!text.endsWith('\n')) die('output does not end with a newline');
	const lines = text.slice(0, -1).split('\n');
	return lines.map((l, i) => {
		let o;
		try { o = JSON.parse(l); } catch (e) { die(`output line ${i + 1} is not JSON (${e.message}): ${l.slice(0, 200)}`); }
		const bad = (why) => die(`output line ${i + 1}: ${why}: ${l.slice(0, 200)}`);
		if (o === null || typeof o !== 'object' || Array.isArray(o)) bad('not an object');
		if (!TYPES.has(o.type)) bad('unknown "type"');
		for (const k of ['value', 'raw'])
			if (typeof o[k] !== 'string' || o[k].length === 0) bad(`"${k}" is not a non-empty string`);
		if (!Number.isSafeInteger(o.offset) || o.offset < 0) bad('"offset" is not an integer >= 0');
		if (!Number.isSafeInteger(o.line) || o.line < 1) bad('"line" is not an integer >= 1');
		for (const k of ['file', 'field'])
			if (k in o && typeof o[k] !== 'string') bad(`"${k}" is not a string`);
		o._n = i + 1;
		return o;
	});
}
function esc(v) {
	if (v === undefined) return '-';
	return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
const [mode, out, arg, filt] = process.argv.slice(2);
const recs = load(out);
if (mode === 'tsv') {
	const fields = arg.split(',');
	let s = '';
	for (const o of recs) s += fields.map((f) => esc(o[f])).join('\t') + '\n';
	process.stdout.write(s);
} else if (mode === 'offsets') {
	const input = fs.readFileSync(arg);
	let pos = 0, line = 1, end = 0, n = 0;
	for (const o of recs) {
		if (filt === undefined ? 'file' in o : o.file !== filt) continue;
		n++;
		const what = `output line ${o._n} (${o.type} ${JSON.stringify(o.raw)} at ${o.offset})`;
		if (o.offset < end) die(`${what}: not in input order or overlaps the previous indicator (which ends at ${end})`);
		const raw = Buffer.from(o.raw, 'utf8');
		if (o.offset + raw.length > input.length) die(`${what}: runs past the end of the input (${input.length} bytes)`);
		const got = input.subarray(o.offset, o.offset + raw.length);
		// Card numbers are masked in raw: compare all but the masked digits.
		let same = true;
		for (let i = 0; i < raw.length; i++)
			if (raw[i] !== got[i] && !(o.type === 'card' && raw[i] === 0x2a && got[i] >= 0x30 && got[i] <= 0x39)) same = false;
		if (!same) die(`${what}: the input holds ${JSON.stringify(got.toString('latin1'))} there`);
		for (; pos < o.offset; pos++) if (input[pos] === 0x0a) line++;
		if (o.line !== line) die(`${what}: line ${o.line}, but offset ${o.offset} is on line ${line}`);
		end = o.offset + raw.length;
	}
	process.stdout.write(`${n}\n`);
} else {
	die('usage: jl.js tsv|offsets ...');
}
EOF

# jl_tsv FIELDS [OUTFILE]: checks the JSON lines in OUTFILE (default $OUT)
# and prints the named fields tab-separated, one record a line.
jl_tsv()
{
	node "$JL" tsv "${2:-$OUT}" "$1" || fail "bad crix extract output (above)"
}

# jl_offsets INPUT [FILE]: checks raw/offset/line/order of the records in $OUT
# taken from INPUT (those with "file" == FILE, or without "file" when FILE is
# not given) and prints how many there were.
jl_offsets()
{
	node "$JL" offsets "$OUT" "$@" || fail "output checked against $1: see the line above"
}

# off_of FILE TEXT: prints the 0-based byte offset of the first TEXT in FILE.
off_of()
{
	LC_ALL=C grep -aboF -- "$2" "$1" | head -n 1 | cut -d: -f1
}

# line_of FILE TEXT: prints the 1-based number of the first line holding TEXT.
line_of()
{
	LC_ALL=C grep -anF -- "$2" "$1" | head -n 1 | cut -d: -f1
}

# node_test NAME.test.mjs: runs one node:test file of tests/system against
# $CRIX (the servers it starts keep their scratch directories under $T) and
# ends the test: ok when every node test passed.  Needs node >= 20 (global
# fetch, node:test), the sqlite3 tool and the catalogue in data/.
node_test()
{
	local file=$1 major
	check "prerequisites"
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
	if [ -z "$major" ] || [ "$major" -lt 20 ]; then
		fail "node >= 20 is needed (global fetch, node:test); found $(node --version 2>&1)"
	fi
	if ! command -v sqlite3 >/dev/null 2>&1; then
		fail "the sqlite3 command-line tool is needed (Debian: apt-get install sqlite3)"
	fi
	[ -f "$ROOT/data/offences.json" ] || fail "no catalogue at $ROOT/data"
	check "node --test $file"
	cd "$ROOT" || fail "cannot cd to $ROOT"
	if ! env CRIX="$CRIX" TMPDIR="$T" timeout 300 node --test --test-timeout=150000 \
		--test-reporter=spec "tests/system/$file"; then
		fail "node --test tests/system/$file failed (see above)"
	fi
	done_ok
}
