// misp-cache-bench.mjs - GET /api/v1/misp/manifest.json built (a miss: what
// every request cost before the per-class cache) and served from the cache
// (a hit), in the same run over loopback, one client, with the server's
// CPU time per request (from /proc).
//   CRIX=build/crix MISP_OBJECTS=50000 ROUNDS=20 node bench/misp-cache-bench.mjs
// The store: MISP_OBJECTS indicator objects in 4 collections (imported with
// crix import stix, offline).  A miss is forced before each timed miss by a
// change (PATCH of a collection's description), which is not timed.
// Prints one table.  Exit 1 on a failed request.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CRIX = process.env.CRIX || 'build/crix';
const N = Number(process.env.MISP_OBJECTS || 50000);
const ROUNDS = Number(process.env.ROUNDS || 20);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'crix-misp-bench.'));
const die = (m) => { console.error(`misp-cache-bench: ${m}`); process.exit(1); };
const run = (args) => {
	const r = spawnSync(CRIX, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
	if (r.status !== 0) die(`crix ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
};
run(['admin', '--data', dir, 'init']);
const org = Number(run(['admin', '--data', dir, 'org', 'add', '--name', 'Bench CERT', '--kind', 'cert', '--country', 'GB']).split('\t')[0]);
run(['admin', '--data', dir, 'user', 'add', '--org', String(org), '--username', 'bench', '--role', 'analyst']);
const token = run(['admin', '--data', dir, 'token', 'add', '--username', 'bench']).trim();

async function serve() {
	const srv = spawn(CRIX, ['serve', '--data', dir, '--listen', '127.0.0.1:0', '--catalogue', path.join(ROOT, 'data')], { stdio: ['ignore', 'pipe', 'ignore'] });
	const port = await new Promise((resolve) => {
		let out = '';
		srv.stdout.on('data', (d) => { out += d; const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
	});
	return { srv, base: `http://127.0.0.1:${port}` };
}
const H = { Authorization: `Bearer ${token}` };
let { srv, base } = await serve();
const colls = [];
for (let c = 0; c < 4; c++) {
	const r = await fetch(`${base}/api/v1/collections`, { method: 'POST', headers: { ...H, 'Content-Type': 'application/json' }, body: JSON.stringify({ title: `bench ${c}`, tlp: 'amber' }) });
	if (r.status !== 201) die(`collection: ${r.status}`);
	colls.push((await r.json()).id);
}
srv.kill('SIGTERM');
await new Promise((r) => srv.on('exit', r));
const T0 = '2024-05-01T12:00:00.000Z';
const hex = (i, n) => i.toString(16).padStart(n, '0');
for (let c = 0; c < 4; c++) {
	const objs = [];
	for (let i = c; i < N; i += 4)
		objs.push({ type: 'indicator', spec_version: '2.1', id: `indicator--${hex(i, 8)}-0000-4000-8000-${hex(i, 12)}`, created: T0, modified: T0,
			valid_from: T0, pattern_type: 'stix', pattern: i % 2 ? `[domain-name:value = 'host${i}.example-bench.com']` : `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']` });
	const f = path.join(dir, `b${c}.json`);
	fs.writeFileSync(f, JSON.stringify({ type: 'bundle', id: `bundle--00000000-0000-4000-8000-${hex(c, 12)}`, objects: objs }));
	run(['import', 'stix', '--data', dir, '--collection', colls[c], f]);
}
({ srv, base } = await serve());

// the server's CPU time (user + system, ms) while fn runs, from /proc: perf
// cannot count instructions on every machine, and wall time is noisy on a
// shared one
const TICK = 1000 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
const cpu = () => { const f2 = fs.readFileSync(`/proc/${srv.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f2[11]) + Number(f2[12])) * TICK; };
async function counted(fn) {
	const c0 = cpu();
	await fn();
	return cpu() - c0;
}
async function manifest(want) {
	const r = await fetch(`${base}/api/v1/misp/manifest.json`, { headers: H });
	const text = await r.text();
	if (r.status !== 200 || r.headers.get('x-crix-cache') !== want) die(`manifest: ${r.status} ${r.headers.get('x-crix-cache')} (wanted ${want})`);
	return text;
}
async function change(i) {
	const r = await fetch(`${base}/api/v1/collections/${colls[0]}`, { method: 'PATCH', headers: { ...H, 'Content-Type': 'application/json' }, body: JSON.stringify({ description: `round ${i}` }) });
	if (r.status !== 200) die(`PATCH: ${r.status}`);
}
const first = await manifest('miss');
const HITS = 50; // hits per round: a hit is short, the CPU clock coarse
let missMs = 0, hitMs = 0, missCpu = 0, hitCpu = 0;
for (let i = 0; i < ROUNDS; i++) {
	await change(i);
	missCpu += await counted(async () => { const t = performance.now(); const m = await manifest('miss'); missMs += performance.now() - t; if (m !== first) die('a rebuilt manifest differs'); });
	hitCpu += await counted(async () => {
		for (let k = 0; k < HITS; k++) { const t = performance.now(); const h = await manifest('hit'); hitMs += performance.now() - t; if (h !== first) die('a hit differs from the built manifest'); }
	});
}
srv.kill('SIGTERM');
await new Promise((r) => srv.on('exit', r));
fs.rmSync(dir, { recursive: true, force: true });
const f = (x) => (Number.isNaN(x) ? 'n/a' : x.toFixed(x < 10 ? 2 : 0));
const per = { missMs: missMs / ROUNDS, hitMs: hitMs / (ROUNDS * HITS), missCpu: missCpu / ROUNDS, hitCpu: hitCpu / (ROUNDS * HITS) };
console.log(`| GET /api/v1/misp/manifest.json, ${N} indicator objects in 4 collections | wall ms/request | server CPU ms/request |`);
console.log('|---|---|---|');
console.log(`| built (miss; every request before the cache), ${ROUNDS} | ${f(per.missMs)} | ${f(per.missCpu)} |`);
console.log(`| cached (hit), ${ROUNDS * HITS} | ${f(per.hitMs)} | ${f(per.hitCpu)} |`);
console.log(`| ratio | ${f(per.missMs / per.hitMs)}x | ${f(per.missCpu / per.hitCpu)}x |`);
