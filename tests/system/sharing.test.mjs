// sharing.test.mjs - sharing over real HTTP: sharing groups, collections under
// every TLP, TAXII 2.1 (discovery, API root, collections, objects with
// paging and filters, an object and its versions, manifest, status, media
// types, 401/403/404/406/415), objects stored verbatim, lookups, and who
// sees what: a matrix of callers (the public, the owner, a colleague, a
// partner shared with directly, a partner in a sharing group, a named user,
// an unrelated member) x collections x read routes (TAXII collections,
// objects, object by id, manifest, lookup), asserted exactly.  Everything
// survives a restart (the lookup index is rebuilt from the store).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
	Accounts, startServer, scratch, req, killAll, seen,
} from './serve-lib.mjs';

after(killAll);

const TAXII = 'application/taxii+json;version=2.1';
const uuid = () => crypto.randomUUID();
const T0 = '2024-05-01T12:00:00.000Z';

function indicator(value, kind, extra = {}) {
	const path = { ipv4: 'ipv4-addr:value', domain: 'domain-name:value', url: 'url:value' }[kind];
	return {
		type: 'indicator', spec_version: '2.1', id: `indicator--${uuid()}`,
		created: T0, modified: T0, valid_from: T0, pattern_type: 'stix',
		pattern: `[${path} = '${value}']`, ...extra,
	};
}

function basic(user) {
	return 'Basic ' + Buffer.from(`${user.username}:${user.token}`).toString('base64');
}

async function taxii(srv, method, p, user, { body, accept = TAXII, type = TAXII } = {}) {
	const headers = { Accept: accept };
	if (user) headers.Authorization = user.basic ? basic(user) : `Bearer ${user.token}`;
	if (body !== undefined) headers['Content-Type'] = type;
	const r = await fetch(srv.base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await r.text();
	let json;
	try { json = JSON.parse(text); } catch { json = undefined; }
	seen.push({ what: `${method} ${p}`, status: r.status, type: r.headers.get('content-type'), text: text.slice(0, 2000), json, raw: true });
	return { status: r.status, headers: r.headers, json, text };
}

describe('sharing: groups, collections, TAXII 2.1, lookups, visibility', () => {
	let dir, acc, srv;
	const U = {};
	const C = {}; // collection ids by name
	const VALUES = {}; // collection name -> the indicator value held there
	const posted = {}; // collection name -> the objects posted

	before(async () => {
		dir = scratch('sharing');
		acc = new Accounts(dir).init();
		acc.org('A', 'CERT A', 'cert', 'GB');
		acc.org('B', 'Bank B', 'business', 'GB');
		acc.org('C', 'Shop C', 'business', 'FR');
		acc.org('D', 'Telco D', 'business', 'DE');
		for (const [name, org, role] of [['aa1', 'A', 'analyst'], ['aa2', 'A', 'viewer'], ['bb1', 'B', 'analyst'],
			['cc1', 'C', 'analyst'], ['dd1', 'D', 'analyst']]) {
			U[name.slice(1)] = acc.user(name, org, role);
			acc.token(name);
		}
		srv = await startServer(dir);
	});

	it('sharing groups: created by an analyst, listed for members only', async () => {
		let r = await req(srv, 'POST', '/api/v1/groups', { token: U.a1.token, json: { name: 'fraud-taskforce', members: [acc.orgs.C] } });
		assert.equal(r.status, 201, r.text);
		U.group = r.json.id;
		assert.deepEqual(r.json.members.sort(), [acc.orgs.A, acc.orgs.C].sort());
		r = await req(srv, 'GET', '/api/v1/groups', { token: U.c1.token });
		assert.equal(r.json.groups.length, 1);
		r = await req(srv, 'GET', '/api/v1/groups', { token: U.d1.token });
		assert.equal(r.json.groups.length, 0);
		r = await req(srv, 'POST', '/api/v1/groups', { token: U.a2.token, json: { name: 'x' } });
		assert.equal(r.status, 403, 'a viewer may not make groups');
		r = await req(srv, 'POST', '/api/v1/groups', { token: U.a1.token, json: { name: 'y', members: [9999] } });
		assert.equal(r.status, 400);
		assert.equal(r.json.error.field, 'members');
		r = await req(srv, 'POST', `/api/v1/groups/${U.group}/members`, { token: U.c1.token, json: { org: acc.orgs.D } });
		assert.equal(r.status, 403, 'only the owner manages its group');
	});

	it('collections under every TLP; bad specs name the field', async () => {
		const specs = {
			clear: { tlp: 'clear' },
			green: { tlp: 'green' },
			amberB: { tlp: 'amber', shared_with: { orgs: [acc.orgs.B] } },
			amberG: { tlp: 'amber', shared_with: { groups: [U.group] } },
			strict: { tlp: 'amber+strict', shared_with: { orgs: [acc.orgs.B] } },
			red: { tlp: 'red', shared_with: { users: [U.b1.id] } },
		};
		for (const [name, spec] of Object.entries(specs)) {
			const r = await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: `feed ${name}`, ...spec } });
			assert.equal(r.status, 201, r.text);
			C[name] = r.json.id;
		}
		let r = await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: 'bad', tlp: 'purple' } });
		assert.equal(r.status, 400);
		assert.equal(r.json.error.field, 'tlp');
		r = await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: 'feed clear', tlp: 'clear' } });
		assert.equal(r.status, 409, 'a duplicate title');
		r = await req(srv, 'POST', '/api/v1/collections', { token: U.a2.token, json: { title: 'v', tlp: 'clear' } });
		assert.equal(r.status, 403, 'a viewer may not share');
	});

	it('TAXII POST: 202 with a status; verbatim; 401, 403, 404, 406, 415', async () => {
		let n = 1;
		for (const name of Object.keys(C)) {
			VALUES[name] = `198.51.100.${n++}`;
			posted[name] = [indicator(VALUES[name], 'ipv4', { name: `x-${name}`, labels: ['a', 'ü'], confidence: 85 }),
				{ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid()}`, value: VALUES[name] }];
			const r = await taxii(srv, 'POST', `/taxii2/api/collections/${C[name]}/objects/`, { ...U.a1, basic: true }, { body: { objects: posted[name] } });
			assert.equal(r.status, 202, r.text);
			assert.match(r.headers.get('content-type'), /application\/taxii\+json;version=2\.1/);
			assert.equal(r.json.status, 'complete');
			assert.equal(r.json.success_count, 2);
			const st = await taxii(srv, 'GET', `/taxii2/api/status/${r.json.id}/`, U.a1);
			assert.equal(st.status, 200);
			assert.equal(st.json.id, r.json.id);
			const other = await taxii(srv, 'GET', `/taxii2/api/status/${r.json.id}/`, U.b1);
			assert.equal(other.status, 404, 'a status is its poster\'s');
		}
		// a bad object is a failure in the status, not an error
		let r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.green}/objects/`, U.a1, {
			body: { objects: [{ type: 'indicator', id: 'indicator--nope' }, { type: 'x', id: 'x--1' }] },
		});
		assert.equal(r.status, 202);
		assert.equal(r.json.failure_count, 2);
		assert.match(r.json.failures[0].message, /id/);
		r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.green}/objects/`, null, { body: { objects: [] } });
		assert.equal(r.status, 401);
		assert.match(r.headers.get('www-authenticate') || '', /Basic/);
		r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.green}/objects/`, U.c1, { body: { objects: [] } });
		assert.equal(r.status, 403, 'c1 reads the green feed but may not write to it');
		r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.amberB}/objects/`, U.c1, { body: { objects: [] } });
		assert.equal(r.status, 404, 'an invisible collection does not exist');
		r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.green}/objects/`, U.a1, { body: { objects: [] }, type: 'application/json' });
		assert.equal(r.status, 415);
		r = await taxii(srv, 'GET', '/taxii2/', null, { accept: 'text/html' });
		assert.equal(r.status, 406);
		assert.equal(r.json.http_status, '406');
		r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.green}/objects/`, U.a1, { body: { objects: 'no' } });
		assert.equal(r.status, 400);
		const wrong = await fetch(srv.base + '/taxii2/api/collections/', { headers: { Accept: TAXII, Authorization: 'Basic ' + Buffer.from(`bb1:${U.a1.token}`).toString('base64') } });
		assert.equal(wrong.status, 401, 'Basic with another user\'s token');
	});

	it('discovery and API root', async () => {
		let r = await taxii(srv, 'GET', '/taxii2/', null);
		assert.equal(r.status, 200);
		assert.equal(r.json.api_roots.length, 1);
		assert.match(r.json.api_roots[0], /\/taxii2\/api\/$/);
		r = await taxii(srv, 'GET', '/taxii2/api/', null);
		assert.deepEqual(r.json.versions, [TAXII]);
		assert.ok(r.json.max_content_length >= 1 << 20);
	});

	// who: [clear, green, amberB, amberG, strict, red]
	const MATRIX = {
		public: [1, 0, 0, 0, 0, 0],
		a1: [1, 1, 1, 1, 1, 1], // the owner user
		a2: [1, 1, 1, 1, 1, 0], // a colleague (viewer): RED is for named users only
		b1: [1, 1, 1, 0, 1, 1], // shared with directly, and the named user of RED
		c1: [1, 1, 0, 1, 0, 0], // in the sharing group
		d1: [1, 1, 0, 0, 0, 0], // an unrelated member
	};
	const NAMES = ['clear', 'green', 'amberB', 'amberG', 'strict', 'red'];

	it('the visibility matrix over every read route', async () => {
		for (const [who, row] of Object.entries(MATRIX)) {
			const user = who === 'public' ? null : U[who];
			const cols = await taxii(srv, 'GET', '/taxii2/api/collections/', user);
			assert.equal(cols.status, 200);
			const listed = new Set((cols.json.collections || []).map((c) => c.id));
			const look = await req(srv, 'POST', '/api/v1/lookup', { token: user?.token, json: { values: NAMES.map((n) => VALUES[n]) } });
			assert.equal(look.status, 200, look.text);
			const found = new Set(look.json.results.map((x) => x.canonical));
			for (let i = 0; i < NAMES.length; i++) {
				const name = NAMES[i];
				const want = row[i] === 1;
				const what = `${who} x ${name}`;
				assert.equal(listed.has(C[name]), want, `${what}: collections`);
				const one = await taxii(srv, 'GET', `/taxii2/api/collections/${C[name]}/`, user);
				assert.equal(one.status, want ? 200 : 404, `${what}: collection`);
				const objs = await taxii(srv, 'GET', `/taxii2/api/collections/${C[name]}/objects/`, user);
				assert.equal(objs.status, want ? 200 : 404, `${what}: objects`);
				if (want) assert.equal(objs.json.objects.length, 2, `${what}: objects`);
				const byId = await taxii(srv, 'GET', `/taxii2/api/collections/${C[name]}/objects/${posted[name][0].id}/`, user);
				assert.equal(byId.status, want ? 200 : 404, `${what}: object by id`);
				const man = await taxii(srv, 'GET', `/taxii2/api/collections/${C[name]}/manifest/`, user);
				assert.equal(man.status, want ? 200 : 404, `${what}: manifest`);
				assert.equal(found.has(VALUES[name]), want, `${what}: lookup`);
			}
		}
	});

	it('an object\'s own TLP narrows its collection\'s', async () => {
		const red = indicator('evil-narrow.com', 'domain', { object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'] });
		const r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.green}/objects/`, U.a1, { body: { objects: [red] } });
		assert.equal(r.status, 202);
		for (const [who, want] of [['a1', 1], ['b1', 0], ['a2', 0]]) {
			const got = await taxii(srv, 'GET', `/taxii2/api/collections/${C.green}/objects/?match[id]=${red.id}`, U[who]);
			assert.equal((got.json.objects || []).length, want, `${who} sees the RED object in a GREEN feed`);
			const look = await req(srv, 'POST', '/api/v1/lookup', { token: U[who].token, json: { values: ['www.evil-narrow.com'] } });
			assert.equal(look.json.matched, want, `${who}: lookup of a subdomain`);
		}
	});

	it('objects come back verbatim, with paging, filters, versions and headers', async () => {
		const got = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/${posted.clear[0].id}/`, null);
		assert.deepEqual(got.json.objects[0], posted.clear[0], 'stored verbatim');
		// a newer version
		const v2 = { ...posted.clear[0], modified: '2024-06-01T00:00:00.000Z', name: 'v2' };
		let r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.clear}/objects/`, U.a1, { body: { objects: [v2, v2] } });
		assert.equal(r.json.success_count, 2, 'the same version twice is accepted once');
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/${v2.id}/versions/`, null);
		assert.deepEqual(r.json.versions, [T0, '2024-06-01T00:00:00.000Z']);
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/${v2.id}/`, null);
		assert.equal(r.json.objects.length, 1);
		assert.equal(r.json.objects[0].name, 'v2', 'the newest version by default');
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/${v2.id}/?match[version]=first`, null);
		assert.equal(r.json.objects[0].name, 'x-clear');
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/${v2.id}/?match[version]=all`, null);
		assert.equal(r.json.objects.length, 2);
		// more objects, then pages of 2
		const many = [];
		for (let i = 0; i < 5; i++) many.push(indicator(`203.0.113.${i + 1}`, 'ipv4'));
		r = await taxii(srv, 'POST', `/taxii2/api/collections/${C.clear}/objects/`, U.a1, { body: { objects: many } });
		assert.equal(r.json.success_count, 5);
		const ids = [];
		let next = null;
		let pages = 0;
		let lastAdded = null;
		do {
			const q = `?limit=2&match[type]=indicator${next ? `&next=${next}` : ''}`;
			r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/${q}`, null);
			assert.equal(r.status, 200, r.text);
			const first = r.headers.get('x-taxii-date-added-first');
			if (lastAdded) assert.ok(first > lastAdded, `date_added increases across pages: ${first} after ${lastAdded}`);
			lastAdded = r.headers.get('x-taxii-date-added-last');
			for (const o of r.json.objects || []) { ids.push(o.id); assert.equal(o.type, 'indicator'); }
			next = r.json.more ? r.json.next : null;
			pages++;
		} while (next && pages < 10);
		assert.equal(ids.length, 6, 'every indicator once (latest versions only)');
		assert.equal(new Set(ids).size, 6);
		// added_after: only what came after
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/manifest/`, null);
		const man = r.json.objects;
		assert.ok(man.every((m) => m.media_type === 'application/stix+json;version=2.1' && m.date_added && m.version));
		const cut = man[man.length - 3].date_added;
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/?added_after=${cut}&match[version]=all`, null);
		assert.equal(r.json.objects.length, 2);
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/?added_after=yesterday`, null);
		assert.equal(r.status, 400);
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.clear}/objects/?match[type]=nothing`, null);
		assert.deepEqual(r.json, { more: false }, 'an empty envelope');
	});

	it('lookups: canonical forms, hosts of URLs, bounds, invalid values named', async () => {
		let r = await req(srv, 'POST', '/api/v1/lookup', { json: { values: ['http://198.51.100.1/x', '198.051.100.1', 'not a thing', 42] } });
		assert.equal(r.status, 200);
		assert.equal(r.json.results.length, 1, r.text);
		assert.equal(r.json.results[0].matches[0].indicator, '198.51.100.1');
		assert.deepEqual(r.json.invalid.map((x) => x.index), [1, 2, 3]);
		r = await req(srv, 'POST', '/api/v1/lookup', { json: { values: new Array(10001).fill('1.1.1.1') } });
		assert.equal(r.status, 413);
		r = await req(srv, 'POST', '/api/v1/lookup', { json: { value: 'x' } });
		assert.equal(r.status, 400);
		assert.equal(r.json.error.field, 'values');
		// Defanged values: matched only when refang is asked for, echoed as sent
		// with the refanged text beside them.
		const defanged = ['hxxp://198.51.100[.]1/x', '198[.]51[.]100(dot)1', 'not[.]a thing'];
		r = await req(srv, 'POST', '/api/v1/lookup', { json: { values: defanged } });
		assert.equal(r.json.matched, 0, r.text);
		assert.equal(r.json.refanged, undefined, 'no refanged list unless asked');
		r = await req(srv, 'POST', '/api/v1/lookup', { json: { values: defanged, refang: true } });
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.results.map((x) => [x.index, x.value, x.canonical]),
			[[0, defanged[0], 'http://198.51.100.1/x'], [1, defanged[1], '198.51.100.1']]);
		assert.deepEqual(r.json.invalid, [{ index: 2, reason: 'not an indicator of any type crix knows' }]);
		assert.deepEqual(r.json.refanged, [{ index: 0, value: 'http://198.51.100.1/x' }, { index: 1, value: '198.51.100.1' },
			{ index: 2, value: 'not.a thing' }]);
		r = await req(srv, 'POST', '/api/v1/lookup', { json: { values: ['1.2.3.4'], refang: 'yes' } });
		assert.equal(r.status, 400);
		assert.equal(r.json.error.field, 'refang');
	});

	it('collections are managed by their owner; changes apply at once', async () => {
		let r = await req(srv, 'PATCH', `/api/v1/collections/${C.amberB}`, { token: U.b1.token, json: { tlp: 'clear' } });
		assert.equal(r.status, 403);
		r = await req(srv, 'PATCH', `/api/v1/collections/${C.amberB}`, { token: U.a1.token, json: { shared_with: { orgs: [acc.orgs.B, acc.orgs.D] } } });
		assert.equal(r.status, 200, r.text);
		r = await taxii(srv, 'GET', `/taxii2/api/collections/${C.amberB}/objects/`, U.d1);
		assert.equal(r.status, 200, 'D was added');
		r = await req(srv, 'GET', '/api/v1/collections', { token: U.a1.token });
		assert.ok(r.json.collections.some((c) => c.id === C.amberB && c.shared_with.orgs.includes(acc.orgs.D)));
	});

	it('survives a restart: objects, collections, groups and the lookup index', async () => {
		await srv.stop('SIGKILL');
		srv = await startServer(dir);
		const r = await req(srv, 'POST', '/api/v1/lookup', { token: U.c1.token, json: { values: [VALUES.amberG, VALUES.amberB] } });
		assert.deepEqual(r.json.results.map((x) => x.canonical), [VALUES.amberG]);
		const o = await taxii(srv, 'GET', `/taxii2/api/collections/${C.red}/objects/`, U.b1);
		assert.equal(o.json.objects.length, 2);
		srv.checkLog();
	});

	it('no 5xx, and every TAXII answer is TAXII JSON', () => {
		assert.deepEqual(seen.filter((s) => s.status >= 500), []);
		for (const s of seen.filter((x) => x.what.includes('/taxii2/')))
			assert.match(s.type || '', /application\/taxii\+json;version=2\.1/, s.what);
	});
});
