#!/usr/bin/env bash
# openapi.sh - drives `crix serve` against its own OpenAPI document: the
# document it serves is docs/openapi.json byte for byte; every documented
# operation, called without credentials or body, answers a status the
# document lists for it (with the one error shape for errors, and the
# documented members for successes); every documented path answers 405 with
# an exact Allow header to a method it does not list; an unknown path is 404.
#     env CRIX=$PWD/build/crix bash tests/system/openapi.sh
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/system/lib.sh
. "$ROOT/tests/system/lib.sh"
cd "$T" || fail "cannot cd to $T"

SERVER_PID=
# shellcheck disable=SC2317 # called by the EXIT trap
stop_server()
{
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=
	fi
}
trap 'stop_server; rm -rf "$T"' EXIT

check "the server starts"
"$CRIX" serve --data "$T/data" --listen 127.0.0.1:0 --catalogue "$ROOT/data" \
	--rate-limit 100000 >"$T/serve.out" 2>"$T/serve.err" &
SERVER_PID=$!
PORT=
for _ in $(seq 1 100); do
	PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/serve.out")
	[ -n "$PORT" ] && break
	kill -0 "$SERVER_PID" 2>/dev/null || fail "crix serve exited: $(excerpt "$T/serve.err")"
	sleep 0.1
done
[ -n "$PORT" ] || fail "crix serve did not say where it listens: $(excerpt "$T/serve.err")"
BASE=http://127.0.0.1:$PORT

check "GET /api/v1/openapi.json is docs/openapi.json"
node -e '
fetch(process.argv[1]).then(async (r) => {
	if (r.status !== 200) { console.error("status " + r.status); process.exit(1); }
	const ct = r.headers.get("content-type") || "";
	if (!ct.startsWith("application/json")) { console.error("content-type " + ct); process.exit(1); }
	process.stdout.write(Buffer.from(await r.arrayBuffer()));
}, (e) => { console.error(String(e)); process.exit(1); });
' "$BASE/api/v1/openapi.json" >"$T/served.json" 2>"$ERR" || fail "$(excerpt "$ERR")"
expect_same_file "$T/served.json" "$ROOT/docs/openapi.json" "the served document"

check "every operation answers as documented"
cat >"$T/ops.js" <<'EOF'
// node ops.js BASE DOC: calls every operation of DOC without credentials or
// body and checks the answers against DOC; prints one line per problem and
// exits 1 if there were any.
'use strict';
const fs = require('fs');
const [base, docPath] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const problems = [];
const bad = (what, why) => problems.push(`${what}: ${why}`);
const resolve = (ref) => ref.slice(2).split('/').reduce((o, k) => o && o[k], doc);
const deref = (o) => (o && o.$ref ? resolve(o.$ref) : o);
const sample = { ref: 'CRX26K7M2Q9XH4', id: '1', sha256: '0'.repeat(64) };
const fill = (p) => p.replace(/\{([^}]+)\}/g, (_, n) => sample[n] || 'x');

function errorShape(what, body) {
	let j;
	try { j = JSON.parse(body); } catch (e) { return bad(what, `error body is not JSON: ${body.slice(0, 200)}`); }
	const e = j && j.error;
	if (!e || typeof e.code !== 'string' || typeof e.message !== 'string')
		return bad(what, `not the error shape: ${body.slice(0, 200)}`);
	if ('field' in e && typeof e.field !== 'string') bad(what, 'error.field is not a string');
	for (const k of Object.keys(j)) if (k !== 'error') bad(what, `error answer has member ${k}`);
}

// The required members of a documented JSON answer (one level, through allOf).
function required(schema) {
	schema = deref(schema) || {};
	let req = schema.required || [];
	for (const s of schema.allOf || []) req = req.concat(required(s));
	return req;
}

async function call(method, url, headers) {
	const r = await fetch(url, { method: method.toUpperCase(), headers: headers || {}, redirect: 'manual' });
	return { status: r.status, headers: r.headers, body: await r.text() };
}

(async () => {
	for (const [path, item] of Object.entries(doc.paths)) {
		const listed = METHODS.filter((m) => item[m]);
		for (const m of listed) {
			const op = item[m];
			const what = `${m.toUpperCase()} ${path}`;
			const r = await call(m, base + fill(path));
			const resp = op.responses[String(r.status)];
			if (!resp) { bad(what, `answered ${r.status}, not documented (${Object.keys(op.responses).join(' ')}): ${r.body.slice(0, 200)}`); continue; }
			const ct = r.headers.get('content-type') || '';
			if (r.status >= 400) {
				const taxii = deref(resp).content?.['application/taxii+json;version=2.1'];
				if (taxii && ct.startsWith('application/taxii+json;version=2.1')) {
					// TAXII 2.1's own error message, under /taxii2/ only
					const j = JSON.parse(r.body);
					if (typeof j.title !== 'string' || j.http_status !== String(r.status))
						bad(what, `not a TAXII error message: ${r.body.slice(0, 200)}`);
					continue;
				}
				if (!ct.startsWith('application/json')) bad(what, `error content-type ${ct}`);
				errorShape(what, r.body);
				continue;
			}
			const content = deref(resp).content || {};
			const types = Object.keys(content);
			if (!types.some((t) => ct.startsWith(t))) bad(what, `content-type ${ct}, documented ${types.join(', ')}`);
			const js = content['application/json'];
			if (js && ct.startsWith('application/json')) {
				const j = JSON.parse(r.body);
				for (const k of required(js.schema))
					if (!(k in j)) bad(what, `answer lacks required member ${k}`);
			}
		}
		// A method the path does not list: 405 naming exactly those it does.
		const other = ['put', 'patch', 'delete', 'post', 'get'].find((m) => !item[m]);
		if (other) {
			const what = `${other.toUpperCase()} ${path}`;
			const r = await call(other, base + fill(path));
			if (r.status !== 405) { bad(what, `answered ${r.status}, want 405`); continue; }
			if (path.startsWith('/taxii2/')) {
				// under /taxii2/ every error is a TAXII 2.1 error message
				const j = JSON.parse(r.body);
				if (typeof j.title !== 'string' || j.http_status !== '405' || !(r.headers.get('content-type') || '').startsWith('application/taxii+json;version=2.1'))
					bad(what, `not a TAXII error message: ${r.body.slice(0, 200)}`);
			} else errorShape(what, r.body);
			// The path itself, or, when no literal path of the document is
			// the URL, every template that matches it (a literal path such
			// as /api/v1/reports/bulk wins over /api/v1/reports/{ref}).
			const url = fill(path), set = new Set();
			const literal = Object.keys(doc.paths).some((p2) => !p2.includes('{') && p2 === url);
			for (const [p2, item2] of Object.entries(doc.paths)) {
				if (literal && p2.includes('{')) continue;
				const re = new RegExp('^' + p2.replace(/\{[^}]+\}/g, '[^/]+') + '$');
				if (re.test(url)) METHODS.filter((x) => item2[x]).forEach((x) => set.add(x.toUpperCase()));
			}
			const allow = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).sort().join(',');
			const want = [...set].sort().join(',');
			if (allow !== want) bad(what, `Allow is [${allow}], the document lists [${want}]`);
		}
	}
	const r = await call('get', base + '/api/v1/no-such-route');
	if (r.status !== 404) bad('GET /api/v1/no-such-route', `answered ${r.status}, want 404`);
	else errorShape('GET /api/v1/no-such-route', r.body);
	if (problems.length) { console.log(problems.join('\n')); process.exit(1); }
})().catch((e) => { console.log(String(e)); process.exit(1); });
EOF
node "$T/ops.js" "$BASE" "$ROOT/docs/openapi.json" >"$OUT" 2>&1 || fail "$(head -n 40 "$OUT")"

check "the server stops cleanly"
kill "$SERVER_PID"
wait "$SERVER_PID"
rc=$?
SERVER_PID=
[ "$rc" -eq 0 ] || fail "crix serve exited $rc on SIGTERM: $(excerpt "$T/serve.err")"
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$T/serve.err"; then
	fail "crix serve made a sanitizer report: $(excerpt "$T/serve.err")"
fi

done_ok
