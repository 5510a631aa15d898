// federation.test.mjs - crix sync between three crix instances on loopback:
// a hub where organisation A shares an AMBER collection with organisation B;
// B's own instance pulls it with B's credentials on the hub, C's instance
// tries with C's.  The AMBER object reaches B's instance (with its
// provenance, and matchable by lookup at once), never C's; an AMBER+STRICT
// object and a RED one go nowhere; a second run fetches only what is new;
// B pushes its own collection to the hub, again without what may not be
// passed on.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Accounts, startServer, scratch, req, killAll, crix } from './serve-lib.mjs';

after(killAll);

const TAXII = 'application/taxii+json;version=2.1';
const T0 = '2024-05-01T12:00:00.000Z';
const MARK = {
	amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
	strict: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
	red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

function ind(ip, mark) {
	const o = { type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`, created: T0,
		modified: T0, valid_from: T0, pattern_type: 'stix', pattern: `[ipv4-addr:value = '${ip}']` };
	if (mark) o.object_marking_refs = [MARK[mark]];
	return o;
}

async function post(srv, user, coll, objects) {
	const r = await fetch(`${srv.base}/taxii2/api/collections/${coll}/objects/`, {
		method: 'POST',
		headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${user.token}` },
		body: JSON.stringify({ objects }),
	});
	const j = await r.json();
	assert.equal(r.status, 202, JSON.stringify(j));
	assert.equal(j.success_count, objects.length);
}

async function objects(srv, user, coll) {
	const r = await fetch(`${srv.base}/taxii2/api/collections/${coll}/objects/?match[version]=all`, {
		headers: { Accept: TAXII, Authorization: `Bearer ${user.token}` },
	});
	assert.equal(r.status, 200);
	return (await r.json()).objects || [];
}

async function collection(srv, user, spec) {
	const r = await req(srv, 'POST', '/api/v1/collections', { token: user.token, json: spec });
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

async function instance(name, orgKind, users) {
	const dir = scratch(name);
	const acc = new Accounts(dir).init();
	const u = {};
	for (const [org, kind] of orgKind) acc.org(org, `${org} ${name}`, kind, 'GB');
	for (const [user, org, role] of users) { u[user] = acc.user(user, org, role); acc.token(user); }
	const srv = await startServer(dir);
	return { dir, acc, u, srv };
}

function sync(dir, cfg) {
	const file = path.join(dir, 'sync.json');
	fs.writeFileSync(file, JSON.stringify(cfg), { mode: 0o600 });
	return crix(['sync', '--config', file], { allowFail: true });
}

describe('federation: crix sync between crix instances', () => {
	let hub, ib, ic;
	const C = {};
	const X = ind('198.51.100.10', 'amber');
	const Y = ind('198.51.100.11', 'strict');
	const R = ind('198.51.100.12', 'red');

	before(async () => {
		hub = await instance('hub', [['A', 'cert'], ['B', 'business'], ['C', 'business']],
			[['aaa', 'A', 'analyst'], ['bbb', 'B', 'analyst'], ['ccc', 'C', 'analyst']]);
		ib = await instance('b', [['B', 'business']], [['syncb', 'B', 'analyst']]);
		ic = await instance('c', [['C', 'business']], [['syncc', 'C', 'analyst']]);
		C.hub = await collection(hub.srv, hub.u.aaa, { title: 'for B', tlp: 'amber', shared_with: { orgs: [hub.acc.orgs.B] } });
		C.inbox = await collection(hub.srv, hub.u.aaa, { title: 'inbox', tlp: 'amber', writers: [hub.acc.orgs.B] });
		await post(hub.srv, hub.u.aaa, C.hub, [X, Y, R]);
		C.b = await collection(ib.srv, ib.u.syncb, { title: 'from hub', tlp: 'amber' });
		C.bown = await collection(ib.srv, ib.u.syncb, { title: 'b own', tlp: 'amber' });
		C.c = await collection(ic.srv, ic.u.syncc, { title: 'from hub', tlp: 'amber' });
	});

	const cfg = (inst, local, remoteUser, pull, push = []) => ({
		local: { url: `${inst.srv.base}/taxii2/api/`, username: local.username, token: local.token },
		partners: [{ name: 'hub', url: `${hub.srv.base}/taxii2/api/`, username: remoteUser.username, token: remoteUser.token, pull, push }],
	});

	it('the AMBER object reaches B; AMBER+STRICT and RED do not', async () => {
		const r = sync(ib.dir, cfg(ib, ib.u.syncb, hub.u.bbb, [{ collection: C.hub, into: C.b }]));
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /2 fetched, 1 passed on, 1 withheld/, 'RED is not even visible to B; AMBER+STRICT is, but stays');
		const got = await objects(ib.srv, ib.u.syncb, C.b);
		assert.deepEqual(got.map((o) => o.id), [X.id]);
		assert.deepEqual(got[0], X, 'federated verbatim');
		const look = await req(ib.srv, 'POST', '/api/v1/lookup', { token: ib.u.syncb.token, json: { values: ['198.51.100.10', '198.51.100.11'] } });
		assert.deepEqual(look.json.results.map((x) => x.canonical), ['198.51.100.10']);
		const rows = crix(['audit', 'verify', '--data', ib.dir]);
		assert.equal(rows.status, 0);
		// the state is written whole (temporary file, fsync, rename): the
		// rule's last date_added, private, and nothing left beside it
		const st = JSON.parse(fs.readFileSync(path.join(ib.dir, 'sync.json.state'), 'utf8'));
		assert.equal(Object.keys(st).length, 1);
		assert.match(Object.values(st)[0], /^\d{4}-\d\d-\d\dT/);
		assert.equal(fs.statSync(path.join(ib.dir, 'sync.json.state')).mode & 0o777, 0o600);
		assert.deepEqual(fs.readdirSync(ib.dir).filter((f) => f.startsWith('sync.json.state.')), []);
	});

	it('C, not shared with, gets nothing', async () => {
		const r = sync(ic.dir, cfg(ic, ic.u.syncc, hub.u.ccc, [{ collection: C.hub, into: C.c }]));
		assert.equal(r.status, 1, 'the rule fails: the collection is not visible to C');
		assert.match(r.stderr, /404/);
		assert.deepEqual(await objects(ic.srv, ic.u.syncc, C.c), []);
	});

	it('a second run fetches only what was added since', async () => {
		const Z = ind('198.51.100.13', null);
		await post(hub.srv, hub.u.aaa, C.hub, [Z]);
		const r = sync(ib.dir, cfg(ib, ib.u.syncb, hub.u.bbb, [{ collection: C.hub, into: C.b }]));
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /1 fetched, 1 passed on, 0 withheld/);
		const got = await objects(ib.srv, ib.u.syncb, C.b);
		assert.deepEqual(got.map((o) => o.id).sort(), [X.id, Z.id].sort());
	});

	it('B pushes its own collection to the hub, withholding what may not be passed on', async () => {
		const mine = ind('203.0.113.50', 'amber');
		const strict = ind('203.0.113.51', 'strict');
		await post(ib.srv, ib.u.syncb, C.bown, [mine, strict]);
		const r = sync(ib.dir, cfg(ib, ib.u.syncb, hub.u.bbb, [], [{ collection: C.bown, to: C.inbox }]));
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /2 fetched, 1 passed on, 1 withheld/);
		const got = await objects(hub.srv, hub.u.aaa, C.inbox);
		assert.deepEqual(got.map((o) => o.id), [mine.id]);
		// the inbox takes B's objects but does not show them to B
		const list = await fetch(`${hub.srv.base}/taxii2/api/collections/`, { headers: { Accept: TAXII, Authorization: `Bearer ${hub.u.bbb.token}` } });
		const inbox = (await list.json()).collections.find((c) => c.id === C.inbox);
		assert.deepEqual([inbox.can_read, inbox.can_write], [false, true]);
		const read = await fetch(`${hub.srv.base}/taxii2/api/collections/${C.inbox}/objects/`, { headers: { Accept: TAXII, Authorization: `Bearer ${hub.u.bbb.token}` } });
		assert.equal(read.status, 403);
	});

	it('a GREEN alert published on the hub reaches B through crix-alerts; its withdrawal follows', async () => {
		const FEED = 'c0d5a4a4-40a3-4697-b3ae-39824ac5a28f';
		const pub = await req(hub.srv, 'POST', '/api/v1/alerts', { token: hub.u.aaa.token, json: {
			title: 'Courier scam texts', tlp: 'green', category: 'phishing', summary: 'Texts ask for a redelivery fee.',
			advice: 'Do not pay.', indicators: ['courier-fee.example.com'],
		} });
		assert.equal(pub.status, 201, pub.text);
		C.balerts = await collection(ib.srv, ib.u.syncb, { title: 'hub alerts', tlp: 'green' });
		const rule = [{ collection: FEED, into: C.balerts }];
		let r = sync(ib.dir, cfg(ib, ib.u.syncb, hub.u.bbb, rule));
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /(\d+) fetched, \1 passed on, 0 withheld/, 'CLEAR and GREEN: all passed on');
		const latest = async () => {
			const x = await fetch(`${ib.srv.base}/taxii2/api/collections/${C.balerts}/objects/`, { headers: { Accept: TAXII, Authorization: `Bearer ${ib.u.syncb.token}` } });
			assert.equal(x.status, 200);
			return (await x.json()).objects || [];
		};
		let got = await latest();
		const report = got.find((o) => o.type === 'report');
		assert.equal(report.name, 'Courier scam texts');
		assert.ok(got.some((o) => o.type === 'indicator' && o.pattern === "[domain-name:value = 'courier-fee.example.com']"));
		// matchable on B at once
		const look = await req(ib.srv, 'POST', '/api/v1/lookup', { token: ib.u.syncb.token, json: { values: ['courier-fee.example.com'] } });
		assert.equal(look.json.matched, 1);
		// withdrawn on the hub: the hub serves its revocation, and the next sync brings it to B
		const w = await req(hub.srv, 'POST', `/api/v1/alerts/${pub.json.id}/withdraw`, { token: hub.u.aaa.token });
		assert.equal(w.status, 200, w.text);
		const hubNow = await fetch(`${hub.srv.base}/taxii2/api/collections/${FEED}/objects/`, { headers: { Accept: TAXII, Authorization: `Bearer ${hub.u.bbb.token}` } });
		const hubObjs = (await hubNow.json()).objects;
		assert.ok(hubObjs.every((o) => o.type === 'report' || o.type === 'indicator'), 'the alert itself is no longer served');
		assert.ok(hubObjs.every((o) => o.revoked === true));
		r = sync(ib.dir, cfg(ib, ib.u.syncb, hub.u.bbb, rule));
		assert.equal(r.status, 0, r.stderr);
		assert.match(r.stdout, /2 fetched, 2 passed on, 0 withheld/, 'the report and the indicator, revoked');
		got = await latest();
		assert.equal(got.find((o) => o.id === report.id).revoked, true, 'B serves the report revoked');
		assert.equal(got.find((o) => o.type === 'indicator').revoked, true, 'and the indicator');
		assert.equal(got.find((o) => o.id === report.id).description, undefined);
		const gone = await req(ib.srv, 'POST', '/api/v1/lookup', { token: ib.u.syncb.token, json: { values: ['courier-fee.example.com'] } });
		assert.equal(gone.json.matched, 0, 'the revoked indicator is matched no more on B');
	});

	it('bad configurations are named', async () => {
		const file = path.join(ib.dir, 'bad.json');
		fs.writeFileSync(file, JSON.stringify({ local: { url: 'ftp://x', username: 'a', token: 'b' }, partners: [] }), { mode: 0o600 });
		let r = crix(['sync', '--config', file], { allowFail: true });
		assert.equal(r.status, 2);
		assert.match(r.stderr, /local\.url/);
		fs.writeFileSync(file, '{"local": ', { mode: 0o600 });
		r = crix(['sync', '--config', file], { allowFail: true });
		assert.equal(r.status, 2);
		assert.match(r.stderr, /bad\.json:1/);
		for (const s of [hub.srv, ib.srv, ic.srv]) s.checkLog();
	});
});
