// serve-lib.mjs - helpers for tests/system/serve.test.mjs: runs `crix admin`
// and `crix serve` (the real binary named by $CRIX) on scratch data
// directories, talks HTTP to the server, and records every response so that
// the tests can check the error shape of every 4xx and that no 500 was given.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import assert from 'node:assert/strict';

export const CRIX = process.env.CRIX;
export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CATALOGUE = path.join(ROOT, 'data');

if (!CRIX) throw new Error('CRIX is not set (env CRIX=$PWD/build/crix)');

const SANITIZER = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/;

// Scratch directories and servers, cleaned up however the run ends.
const dirs = [];
const servers = new Set();

export function scratch(name) {
	const d = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), `crix-serve-${name}.`));
	dirs.push(d);
	return d;
}

// Kills every server still running (the tests' after hooks call it so that a
// failed test never leaves one behind to keep node alive).
export async function killAll() {
	const waits = [];
	for (const s of servers) {
		try { s.proc.kill('SIGKILL'); } catch { /* gone */ }
		waits.push(s.exit);
	}
	await Promise.all(waits);
}

function cleanup() {
	for (const s of servers) {
		try { s.proc.kill('SIGKILL'); } catch { /* gone */ }
	}
	servers.clear();
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(1); });

// Runs crix ARGS to completion; fails on a crash or a sanitizer report.
export function crix(args, { input, allowFail = false, env } = {}) {
	const r = spawnSync(CRIX, args, { input, encoding: 'utf8', timeout: 120000, env: env ? { ...process.env, ...env } : undefined });
	if (r.error) throw r.error;
	const what = `crix ${args.join(' ')}`;
	assert.ok(r.signal === null, `${what} died of ${r.signal}: ${r.stderr}`);
	assert.ok(!SANITIZER.test(r.stderr), `${what} made a sanitizer report: ${r.stderr.slice(0, 3000)}`);
	if (!allowFail) assert.equal(r.status, 0, `${what} exited ${r.status}: ${r.stderr}`);
	return r;
}

// Accounts set up with crix admin before a server starts.
export class Accounts {
	constructor(dir) {
		this.dir = dir;
		this.orgs = {};
		this.users = {};
	}

	init() {
		const r = crix(['admin', '--data', this.dir, 'init']);
		const pw = /one-time password: (\S+)/.exec(r.stdout);
		assert.ok(pw, `crix admin init printed no one-time password: ${r.stdout}`);
		const org = /\(id (\d+),/.exec(r.stdout);
		this.users.admin = { username: 'admin', password: pw[1], org: Number(org ? org[1] : 1) };
		return this;
	}

	org(key, name, kind, country) {
		const r = crix(['admin', '--data', this.dir, 'org', 'add', '--name', name, '--kind', kind, '--country', country]);
		const id = Number(r.stdout.split('\t')[0]);
		assert.ok(id > 0, `org add printed no id: ${r.stdout}`);
		this.orgs[key] = id;
		return id;
	}

	user(username, orgKey, role) {
		const r = crix(['admin', '--data', this.dir, 'user', 'add', '--org', String(this.orgs[orgKey]),
			'--username', username, '--role', role]);
		const pw = /one-time password: (\S+)/.exec(r.stdout);
		assert.ok(pw, `user add printed no password: ${r.stdout}`);
		const id = Number(r.stdout.split('\t')[0]);
		this.users[username] = { username, password: pw[1], id, org: this.orgs[orgKey], role };
		return this.users[username];
	}

	token(username) {
		const r = crix(['admin', '--data', this.dir, 'token', 'add', '--username', username]);
		const tok = r.stdout.trim();
		assert.match(tok, /^\S{20,}$/, `token add printed no token: ${r.stdout}`);
		this.users[username].token = tok;
		return tok;
	}
}

// A running crix serve.
export class Server {
	constructor(proc, port, dir) {
		this.proc = proc;
		this.port = port;
		this.dir = dir;
		this.base = `http://127.0.0.1:${port}`;
		this.stderr = '';
		this.exit = new Promise((resolve) => {
			proc.on('exit', (code, signal) => { servers.delete(this); resolve({ code, signal }); });
		});
	}

	// Sends sig and waits for the exit: {code, signal}.
	async stop(sig = 'SIGTERM', timeoutMs = 60000) {
		this.proc.kill(sig);
		let timer;
		const t = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`crix serve did not exit within ${timeoutMs} ms of ${sig}`)), timeoutMs); });
		try {
			return await Promise.race([this.exit, t]);
		} finally {
			clearTimeout(timer);
		}
	}

	// Fails on sanitizer reports, 5xx answers or crashes logged so far.
	checkLog() {
		assert.ok(!SANITIZER.test(this.stderr), `crix serve made a sanitizer report: ${this.stderr.slice(this.stderr.search(SANITIZER), 4000)}`);
		const bad = this.stderr.split('\n').filter((l) => /"status":5\d\d/.test(l) && !/"status":503/.test(l));
		assert.deepEqual(bad, [], 'crix serve logged 5xx answers');
	}
}

export async function startServer(dir, extra = []) {
	const args = ['serve', '--data', dir, '--listen', '127.0.0.1:0', '--catalogue', CATALOGUE, ...extra];
	const proc = spawn(CRIX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let srv = null;
	let errText = '';
	proc.stderr.setEncoding('utf8');
	proc.stderr.on('data', (d) => { if (srv) srv.stderr += d; else errText += d; });
	const port = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`crix serve printed no 'listening on' within 30 s; stderr: ${errText}`)), 30000);
		proc.stdout.setEncoding('utf8');
		proc.stdout.on('data', (d) => {
			out += d;
			const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
			if (m) { clearTimeout(timer); resolve(Number(m[1])); }
		});
		proc.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`crix serve exited ${code ?? sig} before listening; stderr: ${errText}`)); });
	});
	srv = new Server(proc, port, dir);
	srv.stderr = errText;
	servers.add(srv);
	return srv;
}

// Every response the tests saw: {what, status, headers, text}.
export const seen = [];

// One HTTP request.  opts: token, cookie, csrf, secret, headers, json (sent
// as JSON), body (raw), type (Content-Type).  Returns {status, headers,
// text, json}.
export async function req(srv, method, p, opts = {}) {
	const headers = { ...(opts.headers || {}) };
	if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
	if (opts.cookie) headers.Cookie = opts.cookie;
	if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
	if (opts.secret !== undefined) headers['X-Tracking-Secret'] = opts.secret;
	let body = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['Content-Type'] = 'application/json';
	}
	if (opts.type) headers['Content-Type'] = opts.type;
	const r = await fetch(srv.base + p, { method, headers, body });
	const text = await r.text();
	let json;
	try { json = JSON.parse(text); } catch { json = undefined; }
	const res = { status: r.status, headers: r.headers, text, json };
	seen.push({ what: `${method} ${p.slice(0, 120)}`, status: r.status, type: r.headers.get('content-type'), text: text.slice(0, 2000), json, raw: !!opts.rawOk });
	return res;
}

// Asserts the status and, for 4xx, the error shape; returns the response.
export function expectStatus(res, want, what = '') {
	const wants = Array.isArray(want) ? want : [want];
	assert.ok(wants.includes(res.status), `${what}: status ${res.status}, want ${wants.join(' or ')}: ${res.text.slice(0, 600)}`);
	if (res.status >= 400) checkErrorShape(res, what);
	return res;
}

export function checkErrorShape(res, what = '') {
	const j = res.json;
	assert.ok(j && typeof j === 'object' && j.error && typeof j.error === 'object',
		`${what}: ${res.status} body is not {"error":{...}}: ${String(res.text).slice(0, 300)}`);
	assert.equal(typeof j.error.code, 'string', `${what}: error.code`);
	assert.ok(j.error.code.length > 0, `${what}: empty error.code`);
	assert.equal(typeof j.error.message, 'string', `${what}: error.message`);
	assert.ok(j.error.message.length > 0, `${what}: empty error.message`);
	if ('field' in j.error) assert.equal(typeof j.error.field, 'string', `${what}: error.field`);
	for (const k of Object.keys(j.error)) assert.ok(['code', 'message', 'field'].includes(k), `${what}: unexpected error member ${k}`);
}

// A raw HTTP/1.1 exchange over a socket: writes the parts (strings or
// Buffers), waiting for gate() before each part after the first when given,
// and resolves with {status, head, body} (or {status: 0} when the server
// closes without an answer).
export function rawRequest(port, parts, { between } = {}) {
	return new Promise((resolve, reject) => {
		const sock = net.connect(port, '127.0.0.1');
		const chunks = [];
		sock.on('data', (d) => chunks.push(d));
		sock.on('error', (e) => { if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return; reject(e); });
		sock.on('close', () => {
			const all = Buffer.concat(chunks).toString('latin1');
			const m = /^HTTP\/1\.[01] (\d{3})/.exec(all);
			const i = all.indexOf('\r\n\r\n');
			resolve({ status: m ? Number(m[1]) : 0, head: i >= 0 ? all.slice(0, i) : all, body: i >= 0 ? all.slice(i + 4) : '' });
		});
		sock.on('connect', async () => {
			try {
				for (let k = 0; k < parts.length; k++) {
					if (k > 0 && between) await between(k);
					if (sock.destroyed) return;
					sock.write(parts[k]);
				}
			} catch (e) {
				reject(e);
			}
		});
	});
}

// The check character of a reference: Damm's algorithm over x * y = 2x + y
// in GF(32) (x^5 + x^2 + 1), on Crockford's alphabet; written again here,
// independently of src/model/ref.c.
export function refCheckChar(s) {
	const alpha = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
	const mul = (a, b) => {
		let r = 0;
		while (b) {
			if (b & 1) r ^= a;
			b >>= 1;
			a <<= 1;
			if (a & 32) a ^= 0x25;
		}
		return r;
	};
	let i = 0;
	for (const c of s) i = mul(2, i) ^ Math.max(0, alpha.indexOf(c));
	return alpha[mul(2, i)];
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs fn over items with at most n at once.
export async function pool(items, n, fn) {
	let next = 0;
	const out = new Array(items.length);
	await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i], i);
		}
	}));
	return out;
}
