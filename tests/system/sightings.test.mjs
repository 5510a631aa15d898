// sightings.test.mjs - sightings over real HTTP (issue 5): partners report
// that they saw shared indicators (POST /api/v1/sightings, by value through
// the lookup index or by STIX id); a value the caller may not see is
// unmatched exactly as an unknown one; totals (count, first and last seen,
// reporting organisations) are visible to the indicator's owner and to law
// enforcement only, over GET /api/v1/indicators/{id}/sightings and in the
// lookup answer; every bad field is a 400 naming it; totals survive a
// restart; `crix scan --report-to` sends a scan's hits as sightings; and
// over TAXII each sighting is a sighting object of its indicator's collection
// for exactly the same callers (a matrix of callers x TLP x routes), paged
// exactly among the other objects and valid against the official schemas.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
	Accounts, startServer, scratch, req, killAll, expectStatus, crix, ROOT,
} from './serve-lib.mjs';

// The official STIX 2.1 schemas, where export.sh finds them.
const SCHEMAS = [process.env.CRIX_SHARED, path.join(ROOT, '..', 'shared'), '/work/shared']
	.filter(Boolean).map((d) => path.join(d, 'data/stix21-schemas/schemas')).find((d) => fs.existsSync(d));

after(killAll);

const TAXII = 'application/taxii+json;version=2.1';
const T0 = '2024-05-01T12:00:00.000Z';

function indicator(value, kind) {
	const p = { ipv4: 'ipv4-addr:value', domain: 'domain-name:value' }[kind];
	return {
		type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`,
		created: T0, modified: T0, valid_from: T0, pattern_type: 'stix', pattern: `[${p} = '${value}']`,
	};
}

describe('sightings', () => {
	let dir, acc, srv;
	const U = {};
	const IND = {};

	// every sighting of an indicator, following next
	async function allSightings(id, user) {
		let out = [], after = 0, page;
		do {
			page = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${id}/sightings?limit=1000${after ? `&after=${after}` : ''}`, { token: user.token }), 200, 'page').json;
			out = out.concat(page.sightings);
			after = page.next;
		} while (after);
		return { totals: page.totals, sightings: out };
	}

	async function post(user, body) {
		return req(srv, 'POST', '/api/v1/sightings', { token: user && user.token, json: body });
	}

	before(async () => {
		dir = scratch('sightings');
		acc = new Accounts(dir).init();
		acc.org('A', 'CERT A', 'cert', 'GB');
		acc.org('B', 'Bank B', 'business', 'GB');
		acc.org('D', 'Telco D', 'business', 'DE');
		acc.org('L', 'Police L', 'law-enforcement', 'GB');
		for (const [name, org, role] of [['aa1', 'A', 'analyst'], ['bb1', 'B', 'analyst'], ['bb2', 'B', 'viewer'],
			['dd1', 'D', 'analyst'], ['ll1', 'L', 'investigator']]) {
			U[name.slice(1)] = acc.user(name, org, role);
			acc.token(name);
		}
		srv = await startServer(dir);
		// A shares a GREEN collection with every member and an AMBER one with B
		const green = expectStatus(await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: 'green', tlp: 'green' } }), 201, 'green').json.id;
		const amber = expectStatus(await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: 'amber', tlp: 'amber', shared_with: { orgs: [acc.orgs.B, acc.orgs.L] } } }), 201, 'amber').json.id;
		IND.green = indicator('evil-green.com', 'domain');
		IND.amber = indicator('203.0.113.77', 'ipv4');
		for (const [c, o] of [[green, IND.green], [amber, IND.amber]]) {
			const r = await fetch(`${srv.base}/taxii2/api/collections/${c}/objects/`, {
				method: 'POST', headers: { Authorization: `Bearer ${U.a1.token}`, 'Content-Type': TAXII, Accept: TAXII },
				body: JSON.stringify({ objects: [o] }),
			});
			assert.equal(r.status, 202, await r.text());
		}
	});

	it('a partner reports sightings by value and by id; unknown and invisible values are unmatched alike', async () => {
		const r = expectStatus(await post(U.b1, [
			{ value: 'login.evil-green.com', count: 5, first_seen: '2026-01-02T03:04:05Z', last_seen: '2026-01-03T00:00:00Z', where: 'mail gateway' },
			{ indicator: IND.amber.id, count: 2, first_seen: '2026-01-01T00:00:00Z', observed_data: [`observed-data--${crypto.randomUUID()}`] },
			{ value: '198.51.100.99', first_seen: '2026-01-01T00:00:00Z' },
		]), 200, 'sightings by B');
		assert.equal(r.json.received, 3);
		assert.equal(r.json.stored, 2);
		assert.deepEqual(r.json.unmatched, [2]);
		assert.deepEqual(r.json.matched.map((m) => [m.index, m.indicators]), [[0, [IND.green.id]], [1, [IND.amber.id]]]);
		// D is not shared the AMBER collection: its value is as unknown to D
		const d = expectStatus(await post(U.d1, { sightings: [
			{ value: '203.0.113.77', first_seen: '2026-01-01T00:00:00Z' },
			{ indicator: IND.amber.id, first_seen: '2026-01-01T00:00:00Z' },
			{ value: 'evil-green.com', count: 3, first_seen: '2025-12-31T23:00:00Z', last_seen: '2026-02-01T00:00:00Z', where: 'dns resolver' },
		] }), 200, 'sightings by D');
		assert.deepEqual(d.json.unmatched, [0, 1]);
		assert.equal(d.json.stored, 1);
	});

	it('the owner and law enforcement see the totals and the sightings; other members do not', async () => {
		const p = `/api/v1/indicators/${IND.green.id}/sightings`;
		for (const u of [U.a1, U.l1]) {
			const r = expectStatus(await req(srv, 'GET', p, { token: u.token }), 200, `sightings for ${u.username}`);
			assert.equal(r.json.totals.length, 1);
			const t = r.json.totals[0];
			assert.equal(t.count, 8);
			assert.equal(t.orgs, 2);
			assert.match(t.first_seen, /^2025-12-31T23:00:00/);
			assert.match(t.last_seen, /^2026-02-01T00:00:00/);
			assert.equal(r.json.sightings.length, 2);
			assert.deepEqual(r.json.sightings.map((s) => s.where).sort(), ['dns resolver', 'mail gateway']);
			assert.deepEqual(r.json.sightings.map((s) => s.org_id).sort(), [acc.orgs.B, acc.orgs.D].sort());
		}
		for (const u of [U.b1, U.d1])
			expectStatus(await req(srv, 'GET', p, { token: u.token }), 404, `sightings for ${u.username}`);
		expectStatus(await req(srv, 'GET', p), 401, 'the public');
		expectStatus(await req(srv, 'GET', `/api/v1/indicators/indicator--${crypto.randomUUID()}/sightings`, { token: U.a1.token }), 404, 'unknown indicator');
		// one per page, with a cursor
		const p1 = expectStatus(await req(srv, 'GET', `${p}?limit=1`, { token: U.a1.token }), 200, 'page 1');
		assert.equal(p1.json.sightings.length, 1);
		assert.ok(p1.json.next);
		const p2 = expectStatus(await req(srv, 'GET', `${p}?limit=1&after=${p1.json.next}`, { token: U.a1.token }), 200, 'page 2');
		assert.equal(p2.json.sightings.length, 1);
		assert.notEqual(p2.json.sightings[0].id, p1.json.sightings[0].id);
		const amber = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.amber.id}/sightings`, { token: U.l1.token }), 200, 'amber for police');
		assert.equal(amber.json.totals[0].count, 2);
		assert.equal(amber.json.sightings[0].observed_data.length, 1);
	});

	it('as STIX: sightings of the indicator and the reporters as identities, valid against the schemas', async () => {
		const p = `/api/v1/indicators/${IND.green.id}/sightings?format=stix`;
		const r = expectStatus(await req(srv, 'GET', p, { token: U.l1.token }), 200, 'stix for police');
		const b = r.json;
		assert.equal(b.type, 'bundle');
		const sightings = b.objects.filter((o) => o.type === 'sighting');
		assert.equal(sightings.length, 2);
		const idents = new Map(b.objects.filter((o) => o.type === 'identity').map((o) => [o.id, o.name]));
		assert.deepEqual([...idents.values()].sort(), ['Bank B', 'Telco D']);
		for (const s of sightings) {
			assert.equal(s.sighting_of_ref, IND.green.id);
			assert.ok(idents.has(s.where_sighted_refs[0]));
			assert.deepEqual(s.object_marking_refs, ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003']);
		}
		assert.equal(sightings.reduce((n, s) => n + s.count, 0), 8);
		const page = await req(srv, 'GET', `${p}&limit=1`, { token: U.l1.token });
		assert.ok(page.headers.get('x-crix-next'), 'the next page is in X-Crix-Next');
		expectStatus(await req(srv, 'GET', p, { token: U.d1.token }), 404, 'stix for an unrelated business');
		const bad = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.green.id}/sightings?format=xml`, { token: U.l1.token }), 400, 'format');
		assert.equal(bad.json.error.field, 'format');
		if (SCHEMAS) {
			const file = path.join(dir, 'sightings.json');
			fs.writeFileSync(file, r.text);
			const v = spawnSync('node', [path.join(ROOT, 'tests/system/stix-validate.mjs'), SCHEMAS, file], { encoding: 'utf8' });
			assert.equal(v.status, 0, v.stdout + v.stderr);
		}
	});

	async function taxii(p, user) {
		const headers = { Accept: TAXII };
		if (user) headers.Authorization = `Bearer ${user.token}`;
		const r = await fetch(srv.base + p, { headers });
		const text = await r.text();
		return { status: r.status, headers: r.headers, json: text ? JSON.parse(text) : undefined, text };
	}

	// every object of a collection for user, one page of `limit` at a time
	async function allObjects(coll, user, limit, extra = '') {
		let out = [], next, page = 0;
		do {
			const r = await taxii(`/taxii2/api/collections/${coll}/objects/?limit=${limit}${extra}${next ? `&next=${next}` : ''}`, user);
			assert.equal(r.status, 200, r.text);
			assert.match(r.headers.get('content-type'), /^application\/taxii\+json;version=2\.1/);
			const objs = r.json.objects || [];
			assert.ok(objs.length <= limit);
			if (objs.length) {
				assert.ok(r.headers.get('x-taxii-date-added-first'), 'X-TAXII-Date-Added-First');
				assert.ok(r.headers.get('x-taxii-date-added-last'), 'X-TAXII-Date-Added-Last');
			}
			out = out.concat(objs.map((o) => ({ ...o, first: r.headers.get('x-taxii-date-added-first'), last: r.headers.get('x-taxii-date-added-last') })));
			next = r.json.more ? r.json.next : undefined;
			assert.ok(++page < 1000, 'paging ends');
		} while (next);
		return out;
	}

	it('over TAXII: sightings are sighting objects of the indicator\'s collection, for the owner and law enforcement only (matrix), valid against the schemas', async () => {
		// a CLEAR collection too: anonymous callers read it, but never its sightings
		const clear = expectStatus(await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: 'clear', tlp: 'clear' } }), 201, 'clear').json.id;
		IND.clear = indicator('198.51.100.200', 'ipv4');
		let r = await fetch(`${srv.base}/taxii2/api/collections/${clear}/objects/`, {
			method: 'POST', headers: { Authorization: `Bearer ${U.a1.token}`, 'Content-Type': TAXII, Accept: TAXII },
			body: JSON.stringify({ objects: [IND.clear] }),
		});
		assert.equal(r.status, 202);
		expectStatus(await post(U.d1, [{ indicator: IND.clear.id, count: 4, first_seen: '2026-01-05T00:00:00Z', where: 'firewall' }]), 200, 'D sights the CLEAR one');
		const colls = { clear, green: null, amber: null };
		const ids = {}; // collection name -> the sightings' STIX ids, from the REST route
		for (const [name, ind] of [['clear', IND.clear], ['green', IND.green], ['amber', IND.amber]]) {
			const all = await allSightings(ind.id, U.a1);
			colls[name] = all.totals[0].collection;
			ids[name] = all.sightings.map((x) => x.stix_id).sort();
		}
		assert.equal(ids.green.length, 2);
		assert.equal(ids.amber.length, 1);
		assert.equal(ids.clear.length, 1);
		// who: [clear, green, amber] as the sightings each sees: 1 all, 0 none (collection readable), -1 collection 404
		const MATRIX = {
			public: [0, -1, -1], // anonymous: CLEAR objects, no sightings
			a1: [1, 1, 1], // the indicator's owner organisation (CERT analyst)
			l1: [1, 1, 1], // law enforcement (investigator), shared the AMBER one
			b1: [0, 0, 0], // a partner who reported sightings itself: the indicators, not the sightings
			b2: [0, 0, 0], // its viewer
			d1: [0, 0, -1], // an unrelated business
		};
		for (const [who, row] of Object.entries(MATRIX)) {
			const user = who === 'public' ? null : U[who];
			for (const [i, name] of ['clear', 'green', 'amber'].entries()) {
				const what = `${who} x ${name}`;
				const base = `/taxii2/api/collections/${colls[name]}`;
				const want = row[i] === 1 ? ids[name] : [];
				const objs = await taxii(`${base}/objects/`, user);
				const man = await taxii(`${base}/manifest/`, user);
				const typed = await taxii(`${base}/objects/?match[type]=sighting`, user);
				const one = await taxii(`${base}/objects/${ids[name][0]}/`, user);
				const vers = await taxii(`${base}/objects/${ids[name][0]}/versions/`, user);
				if (row[i] === -1) {
					for (const x of [objs, man, typed, one, vers]) assert.equal(x.status, 404, `${what}: ${x.text}`);
					continue;
				}
				assert.equal(objs.status, 200, what);
				assert.deepEqual((objs.json.objects || []).filter((o) => o.type === 'sighting').map((o) => o.id).sort(), want, `${what}: objects`);
				assert.ok((objs.json.objects || []).some((o) => o.type === 'indicator'), `${what}: the indicator itself`);
				assert.deepEqual((man.json.objects || []).filter((o) => o.id.startsWith('sighting--')).map((o) => o.id).sort(), want, `${what}: manifest`);
				assert.deepEqual((typed.json.objects || []).map((o) => o.id).sort(), want, `${what}: match[type]=sighting`);
				// an object the caller may not see is as unknown as one that does not exist
				assert.equal(one.status, row[i] === 1 ? 200 : 404, `${what}: object by id`);
				if (row[i] === 1) assert.equal(one.json.objects[0].id, ids[name][0], `${what}: object by id`);
				assert.equal(vers.status, row[i] === 1 ? 200 : 404, `${what}: versions`);
				if (row[i] === 1) assert.deepEqual(vers.json.versions, [one.json.objects[0].modified], `${what}: versions`);
			}
		}
		// what a sighting object says: the same id as the REST route, the
		// indicator, its counts and times, the reporter's identity, a marking
		// never below AMBER+STRICT
		const stixB = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.green.id}/sightings?format=stix`, { token: U.a1.token }), 200, 'stix').json;
		const identOf = new Map(stixB.objects.filter((o) => o.type === 'identity').map((o) => [o.name, o.id]));
		const objs = await allObjects(colls.green, U.l1, 100, '&match[type]=sighting');
		const byWhere = new Map(objs.map((o) => [o.description, o]));
		const mail = byWhere.get('mail gateway');
		assert.equal(mail.sighting_of_ref, IND.green.id);
		assert.equal(mail.count, 5);
		assert.match(mail.first_seen, /^2026-01-02T03:04:05/);
		assert.match(mail.last_seen, /^2026-01-03T00:00:00/);
		assert.deepEqual(mail.where_sighted_refs, [identOf.get('Bank B')]);
		assert.equal(mail.created_by_ref, identOf.get('Bank B'));
		assert.equal(byWhere.get('dns resolver').created_by_ref, identOf.get('Telco D'));
		for (const o of objs) assert.deepEqual(o.object_marking_refs, ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'], 'AMBER+STRICT');
		const amberObj = (await allObjects(colls.amber, U.a1, 10, '&match[type]=sighting'))[0];
		assert.equal(amberObj.observed_data_refs.length, 1);
		if (SCHEMAS) {
			const file = path.join(dir, 'taxii-sightings.json');
			const clean = (await allObjects(colls.green, U.a1, 100)).concat(await allObjects(colls.amber, U.a1, 100)).map(({ first, last, ...o }) => o);
			assert.ok(clean.filter((o) => o.type === 'sighting').length >= 3);
			fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: clean }));
			const v = spawnSync('node', [path.join(ROOT, 'tests/system/stix-validate.mjs'), SCHEMAS, file], { encoding: 'utf8' });
			assert.equal(v.status, 0, v.stdout + v.stderr);
		}
	});

	it('over TAXII: paging by limit/next and added_after stays exact with sightings interleaved', async () => {
		const amberColl = (await allSightings(IND.amber.id, U.a1)).totals[0].collection;
		// indicators and sightings alternate in date_added
		for (let i = 0; i < 4; i++) {
			const o = indicator(`203.0.113.${100 + i}`, 'ipv4');
			const r = await fetch(`${srv.base}/taxii2/api/collections/${amberColl}/objects/`, {
				method: 'POST', headers: { Authorization: `Bearer ${U.a1.token}`, 'Content-Type': TAXII, Accept: TAXII },
				body: JSON.stringify({ objects: [o] }),
			});
			assert.equal(r.status, 202);
			expectStatus(await post(U.b1, [{ indicator: o.id, count: i + 1, first_seen: '2026-02-01T00:00:00Z' }]), 200, 'sighting');
		}
		for (const [who, sightings] of [['a1', true], ['l1', true], ['b1', false]]) {
			const whole = await allObjects(amberColl, U[who], 1000);
			assert.equal(whole.filter((o) => o.type === 'sighting').length, sightings ? 5 : 0, who);
			assert.equal(whole.filter((o) => o.type === 'indicator').length, 5, who);
			const man = (await taxii(`/taxii2/api/collections/${amberColl}/manifest/?limit=1000`, U[who])).json.objects;
			assert.deepEqual(man.map((m) => m.id), whole.map((o) => o.id), `${who}: manifest in date_added order`);
			const added = man.map((m) => m.date_added);
			assert.deepEqual([...added].sort(), added, 'increasing');
			for (const limit of [1, 2, 3]) {
				const paged = await allObjects(amberColl, U[who], limit);
				assert.deepEqual(paged.map((o) => o.id), whole.map((o) => o.id), `${who}: pages of ${limit}`);
				if (limit === 1)
					paged.forEach((o, i) => assert.deepEqual([o.first, o.last], [added[i], added[i]], `${who}: headers of page ${i}`));
			}
			// added_after each object: exactly those after it
			for (let i = 0; i < man.length; i++) {
				const rest = await allObjects(amberColl, U[who], 2, `&added_after=${added[i]}`);
				assert.deepEqual(rest.map((o) => o.id), whole.slice(i + 1).map((o) => o.id), `${who}: added_after ${i}`);
			}
		}
	});

	it('the lookup answer carries the totals for the owner and law enforcement only', async () => {
		for (const [u, want] of [[U.a1, true], [U.l1, true], [U.b1, false], [U.d1, false]]) {
			const r = expectStatus(await req(srv, 'POST', '/api/v1/lookup', { token: u.token, json: { values: ['evil-green.com'] } }), 200, `lookup ${u.username}`);
			const m = r.json.results[0].matches[0];
			assert.equal(m.stix_id, IND.green.id);
			if (want) assert.deepEqual({ count: m.sightings.count, orgs: m.sightings.orgs }, { count: 8, orgs: 2 }, u.username);
			else assert.equal(m.sightings, undefined, `${u.username} sees sighting totals`);
		}
	});

	it('bad sightings are 400 naming the field; too many 413; viewers 403; the public 401', async () => {
		const ok = { value: 'evil-green.com', first_seen: '2026-01-01T00:00:00Z' };
		const cases = [
			[[{ ...ok, count: 0 }], 'sightings[0].count'],
			[[ok, { ...ok, count: 'many' }], 'sightings[1].count'],
			[[{ value: 'evil-green.com' }], 'sightings[0].first_seen'],
			[[{ ...ok, first_seen: 'yesterday' }], 'sightings[0].first_seen'],
			[[{ ...ok, last_seen: '2025-01-01T00:00:00Z' }], 'sightings[0].last_seen'],
			[[{ ...ok, where: 'x'.repeat(200) }], 'sightings[0].where'],
			[[{ ...ok, where: 'a\u0001b' }], 'sightings[0].where'],
			[[{ ...ok, colour: 'red' }], 'sightings[0]'],
			[[{ first_seen: ok.first_seen }], 'sightings[0].value'],
			[[{ ...ok, indicator: IND.green.id }], 'sightings[0].value'],
			[[{ indicator: 'indicator--nope', first_seen: ok.first_seen }], 'sightings[0].indicator'],
			[[{ ...ok, observed_data: ['malware--x'] }], 'sightings[0].observed_data'],
			[[], 'sightings'],
			[{ values: [] }, 'sightings'],
			[[7], 'sightings[0]'],
		];
		for (const [body, field] of cases) {
			const r = expectStatus(await post(U.b1, body), 400, JSON.stringify(body).slice(0, 80));
			assert.equal(r.json.error.field, field, r.text);
		}
		const r = await req(srv, 'POST', '/api/v1/sightings', { token: U.b1.token, body: '[{"value":', type: 'application/json' });
		expectStatus(r, 400, 'broken JSON');
		expectStatus(await post(U.b1, Array.from({ length: 10001 }, () => ok)), 413, '10,001 sightings');
		expectStatus(await post(U.b2, [ok]), 403, 'a viewer');
		expectStatus(await post(null, [ok]), 401, 'the public');
		// nothing of the refused requests was stored
		const t = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.green.id}/sightings`, { token: U.a1.token }), 200, 'totals');
		assert.equal(t.json.totals[0].count, 8);
	});

	it('10,000 sightings in one request are stored and counted', async () => {
		const many = Array.from({ length: 10000 }, (_, i) => ({ value: i % 2 ? 'evil-green.com' : `192.0.2.${i % 250}`, first_seen: '2026-03-01T00:00:00Z' }));
		const r = expectStatus(await post(U.d1, many), 200, '10,000');
		assert.equal(r.json.stored, 5000);
		assert.equal(r.json.unmatched.length, 5000);
		const t = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.green.id}/sightings`, { token: U.a1.token }), 200, 'totals');
		assert.equal(t.json.totals[0].count, 5008);
		assert.equal(t.json.totals[0].orgs, 2);
	});

	it('totals survive a restart', async () => {
		await srv.stop();
		srv = await startServer(dir);
		const t = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.green.id}/sightings`, { token: U.l1.token }), 200, 'after restart');
		assert.equal(t.json.totals[0].count, 5008);
		assert.equal(t.json.totals[0].orgs, 2);
		srv.checkLog();
	});
	it('crix scan --report-to sends the hits as sightings; the owner sees them, an unrelated business not', async () => {
		const iocs = path.join(dir, 'iocs.txt');
		const log = path.join(dir, 'proxy.log');
		fs.writeFileSync(iocs, 'evil-green.com\n203.0.113.77\nunknown-bad.com\n');
		fs.writeFileSync(log, [
			'2026-03-02T10:00:00Z GET http://www.evil-green.com/login 200',
			'2026-03-02T10:00:01Z CONNECT 203.0.113.77:443',
			'2026-03-02T10:00:02Z GET http://cdn.evil-green.com/x.js 200',
			'2026-03-02T10:00:03Z GET http://unknown-bad.com/ 404',
			'2026-03-02T10:00:04Z GET http://fine.example.org/ 200',
		].join('\n') + '\n');
		const before = expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.green.id}/sightings`, { token: U.a1.token }), 200, 'before').json.totals[0];
		// D sees the GREEN indicator only
		const r = crix(['scan', '-i', iocs, '--report-to', srv.base + '/', '--token', U.d1.token, '--report-where', 'proxy log', log]);
		assert.equal(r.stdout.trim().split('\n').length, 4, r.stdout);
		assert.match(r.stderr, /reported 3 indicators as sightings: 1 stored, 2 not known/);
		const after = await allSightings(IND.green.id, U.a1);
		assert.equal(after.totals[0].count, before.count + 2);
		const mine = after.sightings.filter((x) => x.where === 'proxy log');
		assert.equal(mine.length, 1);
		assert.equal(mine[0].org_id, acc.orgs.D);
		assert.equal(mine[0].count, 2);
		expectStatus(await req(srv, 'GET', `/api/v1/indicators/${IND.green.id}/sightings`, { token: U.d1.token }), 404, 'an unrelated business');
		// B is shared the AMBER one too; CRIX_TOKEN stands in for --token
		const b = crix(['scan', '-q', '-i', iocs, '--report-to', srv.base, log], { env: { CRIX_TOKEN: U.b1.token } });
		assert.equal(b.status, 0);
		const amber = await allSightings(IND.amber.id, U.a1);
		assert.ok(amber.sightings.some((x) => x.where === 'crix scan' && x.org_id === acc.orgs.B && x.count === 1), JSON.stringify(amber));
		// failures are exit 2 with the reason
		const bad = crix(['scan', '-q', '-i', iocs, '--report-to', srv.base, '--token', 'crix_wrong', log], { allowFail: true });
		assert.equal(bad.status, 2);
		assert.match(bad.stderr, /--report-to: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/sightings: HTTP 401: /);
		const viewer = crix(['scan', '-q', '-i', iocs, '--report-to', srv.base, '--token', U.b2.token, log], { allowFail: true });
		assert.equal(viewer.status, 2);
		assert.match(viewer.stderr, /HTTP 403/);
		const down = crix(['scan', '-q', '-i', iocs, '--report-to', 'http://127.0.0.1:1', '--token', U.b1.token, log], { allowFail: true });
		assert.equal(down.status, 2);
		assert.match(down.stderr, /--report-to: http:\/\/127\.0\.0\.1:1\/api\/v1\/sightings: /);
		const notoken = crix(['scan', '-q', '-i', iocs, '--report-to', srv.base, log], { allowFail: true, env: { CRIX_TOKEN: '' } });
		assert.equal(notoken.status, 2);
		assert.match(notoken.stderr, /needs an API token/);
		const where = crix(['scan', '-q', '-i', iocs, '--report-where', 'x', log], { allowFail: true });
		assert.equal(where.status, 2);
		srv.checkLog();
	});
});
