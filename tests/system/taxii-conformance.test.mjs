// taxii-conformance.test.mjs - TAXII 2.1 conformance of crix's TAXII server
// over real HTTP, against the OASIS TAXII 2.1 OS (10 June 2021) section by
// section (the number leads each test's name), and a whole consumer flow
// through taxii-client.mjs, which speaks as taxii2-client 2.3 does.
// OASIS's own Python client cannot run in make check (PyPI is out of reach,
// and no TAXII 2.1 client is packaged in Debian or on npm), so this is its
// wire behaviour, written again; scripts/taxii2client-check runs the client
// itself where it can be had.  See docs/sharing.md, Conformance.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Accounts, startServer, scratch, req, killAll, rawRequest } from './serve-lib.mjs';
import {
	TAXII, Connection, Server, ApiRoot, Collection, asPages, filterParams, TaxiiHTTPError, AccessError,
} from './taxii-client.mjs';

after(killAll);

const uuid = () => crypto.randomUUID();
// TAXII timestamps (section 2): RFC 3339, UTC, microseconds
const TAXII_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function indicator(n, extra = {}) {
	const t = `2024-05-01T12:00:${String(n % 60).padStart(2, '0')}.000Z`;
	return {
		type: 'indicator', spec_version: '2.1', id: `indicator--${uuid()}`, created: t, modified: t,
		name: `conformance ${n}`, valid_from: t, pattern_type: 'stix', pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`, ...extra,
	};
}

// Every raw exchange the tests make, for the checks that span them all.
const raw = [];

// One raw request (no client logic): {status, headers, json, text}.
async function call(srv, method, p, { auth, accept = TAXII, type, body, headers = {} } = {}) {
	const h = { ...headers };
	if (accept !== null) h.Accept = accept;
	if (auth) h.Authorization = auth;
	if (type) h['Content-Type'] = type;
	const r = await fetch(srv.base + p, { method, headers: h, body });
	const text = await r.text();
	let json;
	try { json = JSON.parse(text); } catch { json = undefined; }
	const ex = { method, url: p, status: r.status, headers: r.headers, json, text };
	raw.push(ex);
	return ex;
}

const basic = (u) => 'Basic ' + Buffer.from(`${u.username}:${u.token}`).toString('base64');

// Section 3.6.1: an error message; http_status, when given, is a string
// equal to the status line's.
function assertTaxiiError(ex, status, what) {
	assert.equal(ex.status, status, `${what}: status ${ex.status}, want ${status}: ${ex.text.slice(0, 300)}`);
	assert.match(ex.headers.get('content-type') || '', /^application\/taxii\+json;\s*version=2\.1$/, `${what}: Content-Type`);
	assert.ok(ex.json && typeof ex.json === 'object', `${what}: body is not JSON: ${ex.text.slice(0, 200)}`);
	assert.equal(typeof ex.json.title, 'string', `${what}: title`);
	assert.ok(ex.json.title.length > 0, `${what}: empty title`);
	if ('description' in ex.json) assert.equal(typeof ex.json.description, 'string', `${what}: description`);
	if ('http_status' in ex.json) assert.equal(ex.json.http_status, String(status), `${what}: http_status must be the string "${status}"`);
}

// No empty list anywhere (section 2, list: "Empty lists are prohibited").
function assertNoEmptyLists(v, where) {
	if (Array.isArray(v)) {
		assert.ok(v.length > 0, `${where}: an empty list`);
		v.forEach((x, i) => assertNoEmptyLists(x, `${where}[${i}]`));
	} else if (v && typeof v === 'object' && !where.includes('.objects[')) {
		for (const [k, x] of Object.entries(v)) assertNoEmptyLists(x, `${where}.${k}`);
	}
}

describe('TAXII 2.1 conformance (OASIS TAXII 2.1 OS)', () => {
	let dir, acc, srv, base, root;
	const U = {};
	const C = {}; // collection ids
	const posted = []; // objects posted to C.feed, in order

	before(async () => {
		dir = scratch('taxii');
		acc = new Accounts(dir).init();
		acc.org('A', 'CERT A', 'cert', 'GB');
		acc.org('B', 'Bank B', 'business', 'GB');
		acc.org('C', 'Shop C', 'business', 'FR');
		for (const [name, org] of [['aa1', 'A'], ['bb1', 'B'], ['cc1', 'C']]) {
			U[name.slice(1)] = acc.user(name, org, 'analyst');
			acc.token(name);
		}
		srv = await startServer(dir);
		base = `${srv.base}/taxii2/`;
		root = `${srv.base}/taxii2/api/`;
		const mk = async (title, spec) => {
			const r = await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title, ...spec } });
			assert.equal(r.status, 201, r.text);
			return r.json.id;
		};
		C.feed = await mk('conformance feed', { tlp: 'amber', shared_with: { orgs: [acc.orgs.B] } });
		C.paging = await mk('conformance paging', { tlp: 'green' });
		C.inbox = await mk('conformance inbox', { tlp: 'amber', writers: [acc.orgs.C] });
	});

	const conns = [];
	const client = (u) => {
		const c = new Connection({ user: u.username, password: u.token });
		conns.push(c);
		return c;
	};

	it('1.6.8 / 3.1: the TAXII 2.1 media type, with or without its version, in any case, among others, is never 406', async () => {
		for (const accept of [TAXII, 'application/taxii+json', 'application/taxii+json; version=2.1',
			`${TAXII},application/stix+json;version=2.1`, 'Application/TAXII+JSON;Version=2.1',
			'application/taxii+json;version=2.0, application/taxii+json;version=2.1', 'application/taxii+json;version="2.1"']) {
			for (const p of ['/taxii2/', '/taxii2/api/', '/taxii2/api/collections/', `/taxii2/api/collections/${C.paging}/objects/`]) {
				const r = await call(srv, 'GET', p, { auth: basic(U.b1), accept });
				assert.equal(r.status, 200, `${accept} on ${p}: ${r.text.slice(0, 200)}`);
				assert.equal(r.headers.get('content-type'), TAXII, `3.1: responses carry the media type and version (${p})`);
			}
		}
	});

	it('1.6.8 / 4.1 (406): an Accept with no TAXII media type is 406, as a TAXII error', async () => {
		for (const accept of ['text/html', 'application/xml', 'application/taxii+json;version=2.0', 'application/stix+json;version=2.1',
			'application/taxii+jsonx;version=2.1', 'application/taxii+json;version=2.10']) {
			for (const p of ['/taxii2/', '/taxii2/api/', `/taxii2/api/collections/${C.paging}/`, `/taxii2/api/collections/${C.paging}/manifest/`]) {
				assertTaxiiError(await call(srv, 'GET', p, { auth: basic(U.a1), accept }), 406, `Accept ${accept} on ${p}`);
			}
		}
		const r = await call(srv, 'POST', `/taxii2/api/collections/${C.paging}/objects/`, { auth: basic(U.a1), accept: 'text/html', type: TAXII, body: '{"objects":[]}' });
		assertTaxiiError(r, 406, 'POST with Accept text/html');
	});

	it('3.1 / 5.5 (415): POST takes application/taxii+json (with or without version); anything else is 415', async () => {
		const p = `/taxii2/api/collections/${C.paging}/objects/`;
		let r;
		for (const type of ['application/taxii+json', 'Application/TAXII+JSON; Version=2.1']) {
			r = await call(srv, 'POST', p, { auth: basic(U.a1), type, body: '{"objects":[]}' });
			assert.equal(r.status, 202, `${type}: ${r.text}`);
		}
		for (const type of ['application/json', 'text/plain', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0',
			'application/taxii+jsonx;version=2.1']) {
			r = await call(srv, 'POST', p, { auth: basic(U.a1), type, body: '{"objects":[]}' });
			assertTaxiiError(r, 415, `Content-Type ${type}`);
		}
	});

	it('1.6.9 / 5.5 (401): adding objects without credentials is 401 with a WWW-Authenticate challenge for Basic', async () => {
		const r = await call(srv, 'POST', `/taxii2/api/collections/${C.paging}/objects/`, { type: TAXII, body: '{"objects":[]}' });
		assertTaxiiError(r, 401, 'POST without credentials');
		assert.match(r.headers.get('www-authenticate') || '', /\bBasic\b/, 'the challenge names Basic (the scheme TAXII clients speak)');
	});

	it('1.6.9 / 5.1 (401): credentials that fail authentication are 401 with a Basic challenge, on every endpoint', async () => {
		const wrong = 'Basic ' + Buffer.from(`${U.b1.username}:${U.a1.token}`).toString('base64');
		const bad64 = 'Basic !!!';
		for (const auth of [wrong, bad64]) {
			for (const p of ['/taxii2/', '/taxii2/api/', '/taxii2/api/collections/', `/taxii2/api/collections/${C.feed}/objects/`,
				`/taxii2/api/collections/${C.feed}/manifest/`]) {
				const r = await call(srv, 'GET', p, { auth });
				assertTaxiiError(r, 401, `${p} with bad credentials`);
				assert.match(r.headers.get('www-authenticate') || '', /\bBasic\b/, `${p}: WWW-Authenticate`);
			}
		}
	});

	it('4.1 / 4.1.1: discovery: a title; api_roots HTTPS-absolute or relative ("/", not "//" or "../"), no query; default among them', async () => {
		const s = new Server(base, client(U.b1));
		const d = await s.refresh();
		assert.equal(typeof d.title, 'string');
		assert.ok(Array.isArray(d.api_roots) && d.api_roots.length > 0);
		for (const u of d.api_roots) {
			assert.ok(/^https:\/\//.test(u) || (u.startsWith('/') && !u.startsWith('//')), `api root ${u}: over http it must be relative`);
			assert.ok(!u.includes('?'), `api root ${u} has a query`);
		}
		assert.ok(d.api_roots.includes(d.default), 'default is one of api_roots');
		assert.equal(s.default.url, root, 'the client resolves the relative root against the discovery URL');
		// 8.2.1: a request without a User-Agent is not refused
		const r = await call(srv, 'GET', '/taxii2/', { headers: { 'User-Agent': '' } });
		assert.equal(r.status, 200);
	});

	it('4.2 / 4.2.1: API root: title, versions with the TAXII 2.1 media type, max_content_length > 0', async () => {
		const a = new ApiRoot(root, client(U.b1));
		const info = await a.refreshInformation();
		assert.equal(typeof info.title, 'string');
		assert.ok(info.versions.includes(TAXII));
		for (const v of info.versions) assert.match(v, /^application\/taxii\+json;version=\d+\.\d+$/, 'each version carries the version parameter');
		assert.ok(Number.isInteger(info.max_content_length) && info.max_content_length > 0);
	});

	it('4.2.1 (413): a body above max_content_length is 413; one just below it is not', async () => {
		const a = new ApiRoot(root, client(U.a1));
		const max = (await a.refreshInformation()).max_content_length;
		const p = `/taxii2/api/collections/${C.paging}/objects/`;
		const env = '{"objects":[]}';
		// announced by Content-Length, refused before the body is read (a client
		// still sending would see the connection close: raw socket, no body)
		const x = await rawRequest(srv.port, [`POST ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ${TAXII}\r\n` +
			`Content-Type: ${TAXII}\r\nAuthorization: ${basic(U.a1)}\r\nContent-Length: ${max + 1}\r\nConnection: close\r\n\r\n`]);
		const hdrs = new Headers(x.head.split('\r\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
		let r = { status: x.status, headers: hdrs, text: x.body, json: JSON.parse(x.body || 'null') };
		raw.push({ method: 'POST', url: p, ...r });
		assertTaxiiError(r, 413, 'max_content_length + 1 bytes');
		r = await call(srv, 'POST', p, { auth: basic(U.a1), type: TAXII, body: env + ' '.repeat(max - 1 - env.length) });
		assert.equal(r.status, 202, `max_content_length - 1 bytes: ${r.text.slice(0, 200)}`);
	});

	it('5.5 / 4.3 / 4.3.1: add objects: 202 with a complete status; polling the status URL the client builds; fields and counts', async () => {
		const conn = client(U.a1);
		const coll = (await new ApiRoot(root, conn).collections()).find((c) => c.id === C.feed);
		assert.ok(coll, 'the owner lists its collection');
		for (let i = 0; i < 23; i++) posted.push(indicator(i));
		const st = await coll.addObjects({ objects: posted });
		assert.equal(conn.log.at(-1).status, 202, '5.5: 202 Accepted');
		assert.match(st.id, UUID4, '4.3.1: id is an identifier (UUIDv4)');
		assert.equal(st.status, 'complete');
		assert.match(st.request_timestamp, TAXII_TS, '4.3.1: request_timestamp is a TAXII timestamp (microseconds)');
		assert.equal(st.total_count, 23);
		assert.equal(st.success_count, 23);
		assert.equal(st.failure_count, 0);
		assert.equal(st.pending_count, 0);
		assert.deepEqual(st.successes.map((s) => s.id), posted.map((o) => o.id));
		for (const s of st.successes) assert.equal(s.version, posted.find((o) => o.id === s.id).modified, 'status-details version is modified');
		assert.ok(!('failures' in st.raw) && !('pendings' in st.raw), '2: empty lists are left out, not sent as []');
		// the status URL as taxii2-client builds it: ../../status/ID from the collection, plus '/'
		assert.equal(st.url, `${root}status/${st.id}/`);
		await st.refresh();
		assert.equal(st.success_count, 23);
		const again = await new ApiRoot(root, conn).getStatus(st.id);
		assert.equal(again.id, st.id);
		// 4.3: someone else's status, and an unknown one, are 404
		assertTaxiiError(await call(srv, 'GET', `/taxii2/api/status/${st.id}/`, { auth: basic(U.b1) }), 404, 'another user\'s status');
		assertTaxiiError(await call(srv, 'GET', `/taxii2/api/status/${uuid()}/`, { auth: basic(U.a1) }), 404, 'an unknown status');
	});

	it('5.5: an exact duplicate is not an error; objects that cannot be taken are failures with id, version and message', async () => {
		const coll = new Collection(`${root}collections/${C.feed}/`, client(U.a1), { id: C.feed, title: 'x', can_read: true, can_write: true });
		let st = await coll.addObjects({ objects: [posted[0]] });
		assert.equal(st.success_count, 1, 'the same version again succeeds');
		assert.equal(st.failure_count, 0);
		const old = indicator(99, { spec_version: '2.0' });
		const noid = indicator(98, { id: 'indicator--not-a-uuid' });
		st = await coll.addObjects({ objects: [old, noid] });
		assert.equal(st.total_count, 2);
		assert.equal(st.failure_count, 2);
		assert.equal(st.success_count, 0);
		assert.ok(!('successes' in st.raw), 'no empty successes list');
		for (const [f, o] of [[st.failures[0], old], [st.failures[1], noid]]) {
			assert.equal(f.id, o.id);
			assert.equal(f.version, o.modified, '4.3.1: status-details version is required');
			assert.equal(typeof f.message, 'string');
		}
		// neither failed object is in the collection
		const r = await coll.getObjects({ id: [old.id, noid.id].join(',') });
		assert.ok(!('objects' in r.json));
	});

	it('5.5 (400/422): a body that is not JSON is 400; JSON that is not an envelope is 400 or 422', async () => {
		const p = `/taxii2/api/collections/${C.feed}/objects/`;
		assertTaxiiError(await call(srv, 'POST', p, { auth: basic(U.a1), type: TAXII, body: '{"objects": [' }), 400, 'not JSON');
		for (const body of ['[]', '{"objects": "no"}', '{"objects": {}}']) {
			const r = await call(srv, 'POST', p, { auth: basic(U.a1), type: TAXII, body });
			assert.ok([400, 422].includes(r.status), `${body}: ${r.status}`);
			assertTaxiiError(r, r.status, body);
		}
	});

	it('5.4 / 3.7: round trip: every object posted comes back as the same JSON value', async () => {
		const coll = new Collection(`${root}collections/${C.feed}/`, client(U.b1), { id: C.feed, title: 'x', can_read: true, can_write: false });
		const r = await coll.getObjects();
		assert.deepEqual(r.json.objects, posted);
		assert.equal(r.json.more, false);
	});

	it('3.3 / 3.5 / 3.7 / 3.2: limit across exactly one page boundary: more and next, then the end; sorted by date_added; X-TAXII-Date-Added headers', async () => {
		const w = new Collection(`${root}collections/${C.paging}/`, client(U.a1), { id: C.paging, title: 'x', can_read: true, can_write: true });
		const objs = Array.from({ length: 14 }, (_, i) => indicator(100 + i));
		await w.addObjects({ objects: objs.slice(0, 7) });
		await w.addObjects({ objects: objs.slice(7) });
		const coll = new Collection(`${root}collections/${C.paging}/`, client(U.c1), { id: C.paging, title: 'x', can_read: true, can_write: false });
		const p1 = await coll.getObjects({ limit: 7 });
		assert.deepEqual(p1.json.objects, objs.slice(0, 7));
		assert.equal(p1.json.more, true, '3.5: more objects: more is true');
		assert.equal(typeof p1.json.next, 'string');
		assert.ok(p1.json.next.length > 0);
		const p2 = await coll.getObjects({ limit: 7, next: p1.json.next });
		assert.deepEqual(p2.json.objects, objs.slice(7));
		assert.equal(p2.json.more, false, 'exactly at the end: more is false');
		assert.ok(!('next' in p2.json), 'no next on the last page');
		const man = await coll.getManifest();
		const added = man.json.objects.map((m) => m.date_added);
		assert.deepEqual([...added].sort(), added, '3.3: ascending date_added');
		assert.equal(new Set(added).size, added.length, 'date_added unique to each version');
		for (const [page, first, last] of [[p1, 0, 6], [p2, 7, 13]]) {
			assert.equal(page.headers.get('x-taxii-date-added-first'), added[first]);
			assert.equal(page.headers.get('x-taxii-date-added-last'), added[last]);
			assert.match(page.headers.get('x-taxii-date-added-first'), TAXII_TS);
		}
		// the alternative of 3.5: page by added_after = X-TAXII-Date-Added-Last
		const q2 = await coll.getObjects({ limit: 7, added_after: p1.headers.get('x-taxii-date-added-last') });
		assert.deepEqual(q2.json.objects, objs.slice(7));
		assert.equal(q2.json.more, false);
		const q3 = await coll.getObjects({ limit: 7, added_after: p2.headers.get('x-taxii-date-added-last') });
		assert.deepEqual(Object.keys(q3.json).filter((k) => k !== 'more'), [], '3.7: an empty envelope has no objects');
		C.pagingObjects = objs;
		C.pagingAdded = added;
	});

	it('3.4 added_after: strictly after, at any precision the client gives (seconds, milliseconds, microseconds)', async () => {
		const coll = new Collection(`${root}collections/${C.paging}/`, client(U.c1), { id: C.paging, title: 'x', can_read: true, can_write: false });
		const added = C.pagingAdded;
		const us = added[3];
		const after = async (t) => (await coll.getObjects({ added_after: t })).json.objects || [];
		assert.deepEqual((await after(us)).map((o) => o.id), C.pagingObjects.slice(4).map((o) => o.id), 'microseconds: strictly after');
		// a coarser timestamp just before the 5th object's date_added must take it
		const ms = `${added[4].slice(0, 23)}Z`; // truncated to milliseconds: not after added[4]
		const got = await after(ms);
		assert.ok(got.some((o) => o.id === C.pagingObjects[4].id) || added[4].slice(23, 26) === '000',
			`added_after=${ms} (milliseconds) must include the object added at ${added[4]}`);
		const sec = `${added[0].slice(0, 19)}Z`;
		assert.ok((await after(sec)).length >= 14 - 1, `added_after=${sec} (seconds) takes what came after that second began`);
		for (const bad of ['yesterday', '2024-13-01T00:00:00Z', '1']) {
			assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${C.paging}/objects/?added_after=${bad}`, { auth: basic(U.c1) }), 400, `added_after=${bad}`);
		}
	});

	it('3.4 limit: a positive integer; more than there are gives them all with more false; malformed is 400', async () => {
		const coll = new Collection(`${root}collections/${C.paging}/`, client(U.c1), { id: C.paging, title: 'x', can_read: true, can_write: false });
		const r = await coll.getObjects({ limit: 500 });
		assert.equal(r.json.objects.length, 14);
		assert.equal(r.json.more, false);
		for (const bad of ['0', '-1', 'abc', '1.5']) {
			assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${C.paging}/objects/?limit=${bad}`, { auth: basic(U.c1) }), 400, `limit=${bad}`);
		}
		assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${C.paging}/objects/?next=zzz`, { auth: basic(U.c1) }), 400, 'next=zzz');
	});

	it('3.4 a query parameter given twice is 400 naming it, never resolved quietly', async () => {
		const p = `/taxii2/api/collections/${C.paging}/objects/`;
		const o = C.pagingObjects;
		for (const [q, name] of [
			['limit=2&limit=5', 'limit'],
			['next=1&next=2', 'next'],
			[`added_after=${C.pagingAdded[0]}&added_after=${C.pagingAdded[3]}`, 'added_after'],
			[`match%5Bid%5D=${o[0].id}&match[id]=${o[1].id}`, 'match[id]'],
			['match[type]=indicator&match[version]=all&match[type]=malware', 'match[type]'],
			['match[version]=first&match[version]=last', 'match[version]'],
			['match[spec_version]=2.1&match[spec_version]=2.0', 'match[spec_version]'],
		]) {
			for (const view of ['', 'manifest/']) {
				const path = view ? p.replace(/objects\/$/, view) : p;
				const ex = await call(srv, 'GET', `${path}?${q}`, { auth: basic(U.c1) });
				assertTaxiiError(ex, 400, q);
				assert.ok(ex.json.description.includes(name), `${q}: the error names ${name}: ${ex.json.description}`);
			}
		}
		const ok = await call(srv, 'GET', `${p}?limit=2&match[type]=indicator`, { auth: basic(U.c1) });
		assert.equal(ok.status, 200, 'different parameters once each are fine');
	});

	it('3.4 / 3.4.1 match[id] and match[type]: one or several values (OR), fields ANDed, query keys percent-encoded as clients send them', async () => {
		const coll = new Collection(`${root}collections/${C.paging}/`, client(U.c1), { id: C.paging, title: 'x', can_read: true, can_write: false });
		const o = C.pagingObjects;
		let r = await coll.getObjects({ id: o[2].id });
		assert.deepEqual(r.json.objects, [o[2]]);
		assert.ok(r.url.includes('match%5Bid%5D='), 'the client percent-encodes the brackets');
		r = await coll.getObjects({ id: [o[5].id, o[1].id] });
		assert.deepEqual(r.json.objects, [o[1], o[5]], 'several ids: OR, in date_added order');
		r = await coll.getObjects({ type: ['malware', 'indicator'] });
		assert.equal(r.json.objects.length, 14);
		r = await coll.getObjects({ type: 'malware' });
		assert.ok(!('objects' in r.json), 'a STIX type with nothing: empty envelope, not an error');
		r = await coll.getObjects({ type: 'indicator', id: o[3].id });
		assert.deepEqual(r.json.objects, [o[3]]);
		r = await coll.getObjects({ type: 'malware', id: o[3].id });
		assert.ok(!('objects' in r.json), 'fields are ANDed');
		const plain = await call(srv, 'GET', `/taxii2/api/collections/${C.paging}/objects/?match[id]=${o[2].id}`, { auth: basic(U.c1) });
		assert.deepEqual(plain.json.objects, [o[2]], 'unencoded brackets work too');
	});

	it('3.4.1 match[version]: last by default; first; all; a timestamp; several (OR); all with others or duplicates is 400', async () => {
		const w = new Collection(`${root}collections/${C.paging}/`, client(U.a1), { id: C.paging, title: 'x', can_read: true, can_write: true });
		const v1 = indicator(200, { created: '2024-06-01T00:00:00.000Z', modified: '2024-06-01T00:00:00.000Z' });
		const v2 = { ...v1, modified: '2024-06-02T00:00:00.000Z', name: 'v2' };
		const v3 = { ...v1, modified: '2024-06-03T00:00:00.000Z', name: 'v3' };
		await w.addObjects({ objects: [v1, v2, v3] });
		const coll = new Collection(`${root}collections/${C.paging}/`, client(U.c1), { id: C.paging, title: 'x', can_read: true, can_write: false });
		const get = async (kw) => ((await coll.getObject(v1.id, kw)).json.objects || []).map((x) => x.modified);
		assert.deepEqual(await get({}), [v3.modified], 'default: the latest');
		assert.deepEqual(await get({ version: 'last' }), [v3.modified]);
		assert.deepEqual(await get({ version: 'first' }), [v1.modified]);
		assert.deepEqual(await get({ version: 'all' }), [v1.modified, v2.modified, v3.modified]);
		assert.deepEqual(await get({ version: v2.modified }), [v2.modified]);
		assert.deepEqual(await get({ version: ['first', 'last'] }), [v1.modified, v3.modified], 'first,last');
		assert.deepEqual(await get({ version: ['first', v2.modified] }), [v1.modified, v2.modified], 'first,<timestamp>');
		assert.deepEqual(await get({ version: [v3.modified, v2.modified] }), [v2.modified, v3.modified], 'two timestamps');
		const all = await coll.getObjects({ version: 'all', id: v1.id });
		assert.equal(all.json.objects.length, 3, 'the objects endpoint takes version too');
		const man = await coll.getManifest({ version: ['first', 'last'], id: v1.id });
		assert.deepEqual(man.json.objects.map((m) => m.version), [v1.modified, v3.modified], 'and the manifest');
		for (const bad of ['all,first', 'first,first', 'newest', `${v2.modified},${v2.modified}`]) {
			assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${C.paging}/objects/${v1.id}/?match[version]=${bad}`, { auth: basic(U.c1) }), 400, `match[version]=${bad}`);
		}
		C.versioned = [v1, v2, v3];
	});

	it('3.4.1 match[version]: first and last compare instants, not text: versions written at different precisions', async () => {
		const made = await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: 'conformance precision', tlp: 'green' } });
		assert.equal(made.status, 201, made.text);
		const id = made.json.id;
		const w = new Collection(`${root}collections/${id}/`, client(U.a1), { id, title: 'x', can_read: true, can_write: true });
		// as text "...00Z" sorts after "...00.75Z" and "...00.25Z"; as time it is the oldest
		const v1 = indicator(201, { created: '2024-07-01T00:00:00Z', modified: '2024-07-01T00:00:00Z' });
		const v2 = { ...v1, modified: '2024-07-01T00:00:00.25Z', name: 'v2' };
		const v3 = { ...v1, modified: '2024-07-01T00:00:00.5Z', name: 'v3' };
		const v4 = { ...v1, modified: '2024-07-01T00:00:00.75Z', name: 'v4' };
		await w.addObjects({ objects: [v3, v1, v4, v2] });
		const coll = new Collection(`${root}collections/${id}/`, client(U.c1), { id, title: 'x', can_read: true, can_write: false });
		const get = async (kw) => ((await coll.getObject(v1.id, kw)).json.objects || []).map((x) => x.modified);
		assert.deepEqual(await get({}), [v4.modified], 'default: the latest in time');
		assert.deepEqual(await get({ version: 'first' }), [v1.modified], 'the oldest in time');
		assert.deepEqual(await get({ version: ['first', 'last'] }), [v1.modified, v4.modified]);
		// a timestamp names an instant at any precision
		assert.deepEqual(await get({ version: '2024-07-01T00:00:00.500000Z' }), [v3.modified]);
		assert.deepEqual(await get({ version: '2024-07-01T00:00:00.000Z' }), [v1.modified]);
		const man = await coll.getManifest({ id: v1.id, version: 'last' });
		assert.deepEqual(man.json.objects.map((m) => m.version), [v4.modified], 'and the manifest');
	});

	it('3.4.1 match[spec_version]: 2.1 gives the objects; 2.0 none (crix holds STIX 2.1 only)', async () => {
		const coll = new Collection(`${root}collections/${C.paging}/`, client(U.c1), { id: C.paging, title: 'x', can_read: true, can_write: false });
		const all = (await coll.getObjects()).json.objects;
		assert.deepEqual((await coll.getObjects({ spec_version: '2.1' })).json.objects, all);
		assert.deepEqual((await coll.getObjects({ spec_version: ['2.0', '2.1'] })).json.objects, all);
		assert.ok(!('objects' in (await coll.getObjects({ spec_version: '2.0' })).json));
		for (const o of all) assert.equal(o.spec_version, '2.1');
	});

	it('5.3 / 5.3.1 manifest: id, date_added (a TAXII timestamp), version, media_type among the collection\'s; paging; headers', async () => {
		const conn = client(U.c1);
		const coll = (await new ApiRoot(root, conn).collections()).find((c) => c.id === C.paging);
		const pages = [];
		for await (const pg of asPages((kw) => coll.getManifest(kw), 5)) pages.push(pg);
		const recs = pages.flatMap((pg) => pg.objects || []);
		assert.equal(recs.length, 14 + 1, 'one record per object: the latest version of each by default');
		for (const m of recs) {
			assert.deepEqual(Object.keys(m).sort(), ['date_added', 'id', 'media_type', 'version']);
			assert.match(m.date_added, TAXII_TS);
			assert.ok(coll.media_types.includes(m.media_type), `${m.media_type} is one the collection lists`);
		}
		const last = conn.log.at(-1);
		assert.match(last.headers.get('x-taxii-date-added-first'), TAXII_TS);
		assert.match(last.headers.get('x-taxii-date-added-last'), TAXII_TS);
	});

	it('5.6 get an object: an envelope with it; X-TAXII headers; unknown object 404', async () => {
		const coll = new Collection(`${root}collections/${C.feed}/`, client(U.b1), { id: C.feed, title: 'x', can_read: true, can_write: false });
		const r = await coll.getObject(posted[4].id);
		assert.deepEqual(r.json.objects, [posted[4]]);
		assert.match(r.headers.get('x-taxii-date-added-first'), TAXII_TS);
		assert.equal(r.headers.get('x-taxii-date-added-first'), r.headers.get('x-taxii-date-added-last'));
		await assert.rejects(coll.getObject(`indicator--${uuid()}`), (e) => e instanceof TaxiiHTTPError && e.status === 404);
		assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${C.feed}/objects/indicator--${uuid()}/`, { auth: basic(U.b1) }), 404, 'unknown object');
	});

	it('5.8 / 5.8.1 versions: every version, oldest first; paged with limit and next; X-TAXII headers', async () => {
		const coll = new Collection(`${root}collections/${C.paging}/`, client(U.c1), { id: C.paging, title: 'x', can_read: true, can_write: false });
		const [v1, v2, v3] = C.versioned;
		const r = await coll.objectVersions(v1.id);
		assert.deepEqual(r.json.versions, [v1.modified, v2.modified, v3.modified]);
		assert.match(r.headers.get('x-taxii-date-added-first'), TAXII_TS);
		assert.match(r.headers.get('x-taxii-date-added-last'), TAXII_TS);
		const seenV = [];
		for await (const pg of asPages((kw) => coll.objectVersions(v1.id, kw), 1)) seenV.push(...(pg.versions || []));
		assert.deepEqual(seenV, [v1.modified, v2.modified, v3.modified]);
		await assert.rejects(coll.objectVersions(`indicator--${uuid()}`), (e) => e.status === 404);
	});

	it('5.1 / 5.1.1 / 5.2 / 5.2.1 collections: the fields, a stable order; none: an empty object; unknown and invisible: 404', async () => {
		const a = await call(srv, 'GET', '/taxii2/api/collections/', { auth: basic(U.b1) });
		const b = await call(srv, 'GET', '/taxii2/api/collections/', { auth: basic(U.b1) });
		assert.deepEqual(a.json, b.json, '3.3: a consistent order across requests');
		for (const c of a.json.collections) {
			assert.match(c.id, UUID4);
			assert.equal(typeof c.title, 'string');
			assert.equal(typeof c.can_read, 'boolean');
			assert.equal(typeof c.can_write, 'boolean');
			if ('media_types' in c) assert.ok(c.media_types.length > 0);
			const one = await call(srv, 'GET', `/taxii2/api/collections/${c.id}/`, { auth: basic(U.b1) });
			assert.deepEqual(one.json, c, '5.2: the same resource alone');
		}
		const pub = await call(srv, 'GET', '/taxii2/api/collections/', {});
		assert.equal(pub.status, 200);
		assert.deepEqual(pub.json, {}, '5.1.1: no collections: the key is left out');
		assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${uuid()}/`, { auth: basic(U.b1) }), 404, 'unknown collection');
		// C.feed is AMBER, shared with B only: C may not know it exists
		for (const p of ['', 'objects/', 'manifest/', `objects/${posted[0].id}/`, `objects/${posted[0].id}/versions/`])
			assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${C.feed}/${p}`, { auth: basic(U.c1) }), 404, `invisible collection ${p}`);
		assertTaxiiError(await call(srv, 'POST', `/taxii2/api/collections/${C.feed}/objects/`, { auth: basic(U.c1), type: TAXII, body: '{"objects":[]}' }), 404, 'POST to an invisible collection');
	});

	it('5.3 / 5.4 / 5.6 / 5.8 (403): can_read false (an inbox) is 403 on every read; can_write false is 403 on POST; the client refuses first', async () => {
		const conn = client(U.c1);
		const inbox = (await new ApiRoot(root, conn).collections()).find((c) => c.id === C.inbox);
		assert.ok(inbox, 'a writer lists the inbox');
		assert.equal(inbox.can_read, false);
		assert.equal(inbox.can_write, true);
		await assert.rejects(inbox.getObjects(), AccessError, 'taxii2-client checks can_read before asking');
		const st = await inbox.addObjects({ objects: [indicator(300)] });
		assert.equal(st.success_count, 1, 'a writer may post to the inbox');
		for (const p of ['objects/', 'manifest/', `objects/${posted[0].id}/`, `objects/${posted[0].id}/versions/`])
			assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${C.inbox}/${p}`, { auth: basic(U.c1) }), 403, `inbox ${p}`);
		const feedForB = (await new ApiRoot(root, client(U.b1)).collections()).find((c) => c.id === C.feed);
		assert.equal(feedForB.can_write, false);
		await assert.rejects(feedForB.addObjects({ objects: [] }), AccessError);
		assertTaxiiError(await call(srv, 'POST', `/taxii2/api/collections/${C.feed}/objects/`, { auth: basic(U.b1), type: TAXII, body: '{"objects":[]}' }), 403, 'POST by a reader');
	});

	it('3.1 (405): a method an endpoint does not take is 405 with Allow, as a TAXII error (5.7 Delete is not offered)', async () => {
		let r = await call(srv, 'DELETE', `/taxii2/api/collections/${C.feed}/objects/${posted[0].id}/`, { auth: basic(U.a1) });
		assertTaxiiError(r, 405, 'DELETE an object');
		assert.match(r.headers.get('allow') || '', /GET/);
		r = await call(srv, 'PUT', `/taxii2/api/collections/${C.feed}/objects/`, { auth: basic(U.a1), type: TAXII, body: '{}' });
		assertTaxiiError(r, 405, 'PUT objects');
		assert.match(r.headers.get('allow') || '', /POST/);
		r = await call(srv, 'GET', '/taxii2/api/nothing-here/', { auth: basic(U.a1) });
		assertTaxiiError(r, 404, 'no such endpoint');
	});

	it('consumer flow: discover, API root, collections, the first readable one, every object in pages of 7, equal to what was posted', async () => {
		const conn = client(U.b1);
		const server = new Server(base, conn);
		await server.refresh();
		const apiRoot = server.default;
		await apiRoot.refreshInformation();
		assert.ok(apiRoot.versions.includes(TAXII));
		const cols = await apiRoot.collections();
		const readable = cols.find((c) => c.can_read && c.title === 'conformance feed');
		assert.ok(readable, `a readable collection among ${cols.map((c) => c.title)}`);
		const got = [];
		let pages = 0;
		for await (const env of asPages((kw) => readable.getObjects(kw), 7)) {
			pages++;
			assert.ok((env.objects || []).length <= 7, 'never more than the limit');
			if (env.more) assert.ok(env.next, 'more without next would loop taxii2-client forever');
			got.push(...(env.objects || []));
		}
		assert.equal(pages, Math.ceil(posted.length / 7));
		assert.deepEqual(got, posted);
		// every request the client made was one taxii2-client would make
		for (const ex of conn.log) {
			const u = new URL(ex.url);
			assert.ok(u.pathname.endsWith('/'), `3.1: ${u.pathname} ends in /`);
			assert.equal(ex.status, 200);
		}
		assert.deepEqual(filterParams({ limit: 7, next: 'n', version: ['first', 'last'] }), [['limit', '7'], ['next', 'n'], ['match[version]', 'first,last']]);
	});

	it('3.4.1 match[version] lists on the built-in crix-alerts collection, as on any other (last: it adds that collection to the list)', async () => {
		const FEED = 'c0d5a4a4-40a3-4697-b3ae-39824ac5a28f';
		const ids = [];
		for (const title of ['Conformance one', 'Conformance two']) {
			const r = await req(srv, 'POST', '/api/v1/alerts', { token: U.a1.token, json: {
				title, tlp: 'clear', category: 'phishing', summary: `${title}: texts about a parcel.`, advice: 'Do not click.', indicators: [`${title.toLowerCase().replace(/ /g, '-')}.example.com`],
			} });
			assert.equal(r.status, 201, r.text);
			ids.push(r.json.id);
			await new Promise((res) => setTimeout(res, 20)); // the two publish times differ
		}
		const coll = new Collection(`${root}collections/${FEED}/`, client(U.b1), { id: FEED, title: 'crix-alerts', can_read: true, can_write: false });
		const idents = (await coll.getObjects({ type: 'identity', version: 'all' })).json.objects;
		assert.equal(idents.length, 2, 'CERT A\'s identity, one version per alert');
		const [t0, t1] = idents.map((o) => o.modified).sort((x, y) => Date.parse(x) - Date.parse(y));
		const get = async (version) => ((await coll.getObjects({ type: 'identity', version })).json.objects || []).map((o) => o.modified).sort();
		assert.deepEqual(await get(['first', 'last']), [t0, t1].sort(), 'first,last');
		assert.deepEqual(await get(['first', t1]), [t0, t1].sort(), 'first,<timestamp>');
		assert.deepEqual(await get([t1]), [t1]);
		assertTaxiiError(await call(srv, 'GET', `/taxii2/api/collections/${FEED}/objects/?match[version]=all,last`, { auth: basic(U.b1) }), 400, 'all,last on crix-alerts');
	});

	it('3.6.1 / 3.1 / 2: every TAXII answer carries the TAXII media type; every error is a TAXII error; no empty lists', () => {
		const all = [...raw, ...conns.flatMap((c) => c.log)];
		assert.ok(all.length > 100, `${all.length} exchanges`);
		for (const ex of all) {
			assert.match(ex.headers.get('content-type') || '', /^application\/taxii\+json;\s*version=2\.1$/, `${ex.method} ${ex.url}: ${ex.status}`);
			if (ex.status >= 400) assertTaxiiError(ex, ex.status, `${ex.method} ${ex.url}`);
			else if (ex.json) assertNoEmptyLists(ex.json, `${ex.method} ${ex.url}`);
			assert.ok(ex.status < 500, `${ex.method} ${ex.url}: ${ex.status}`);
		}
		srv.checkLog();
	});
});
