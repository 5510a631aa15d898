// directory.test.mjs - the directory over real HTTP (GET /api/v1/directory/orgs
// and /api/v1/directory/users): the real binary ($CRIX), a real SQLite store in
// a scratch directory, accounts made with `crix admin`.  Organisations are
// found by part of their name by any member of an organisation, without
// their users; users only within the caller's own organisation or one that
// shares a sharing group with it (a business analyst cannot enumerate
// another organisation's users); the public gets 401; q shorter than 2
// characters, too long or missing is 400 naming q; at most 20 answers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Accounts, startServer, req, expectStatus, scratch, killAll } from './serve-lib.mjs';

after(killAll);

describe('directory', () => {
	let srv, acc;
	const T = {};
	const get = async (p, who, want) => {
		const r = await req(srv, 'GET', p, who === 'anon' ? {} : { token: T[who] });
		return expectStatus(r, want, `GET ${p} as ${who}`);
	};

	before(async () => {
		const dir = scratch('directory');
		acc = new Accounts(dir).init();
		acc.org('centre', 'National Reporting Centre', 'public-sector', 'GB');
		acc.org('cert', 'Partner CERT', 'cert', 'GB');
		acc.org('shop', 'Shop C', 'business', 'FR');
		acc.org('bank', 'Bank B', 'business', 'GB');
		for (let i = 0; i < 25; i++) acc.org(`o${i}`, `Regional Office ${String(i).padStart(2, '0')}`, 'public-sector', 'GB');
		for (const [u, o, r] of [['ana', 'centre', 'analyst'], ['vic', 'centre', 'viewer'], ['ben', 'cert', 'analyst'],
			['cyd', 'shop', 'analyst'], ['bea', 'bank', 'analyst']]) {
			acc.user(u, o, r);
			T[u] = acc.token(u);
		}
		T.admin = acc.token('admin');
		srv = await startServer(dir, ['--rate-limit', '1000000']);
		// The centre and the CERT share a group; the shop and the bank are in none.
		expectStatus(await req(srv, 'POST', '/api/v1/groups', { token: T.ana, json: { name: 'fraud-taskforce', members: [acc.orgs.cert] } }),
			201, 'the group');
	});

	it('finds organisations by part of their name, prefix first, without users', async () => {
		const r = await get('/api/v1/directory/orgs?q=cert', 'cyd', 200);
		assert.deepEqual(r.json, { orgs: [{ id: acc.orgs.cert, name: 'Partner CERT', kind: 'cert', country: 'GB' }], more: false });
		const p = await get('/api/v1/directory/orgs?q=PART', 'vic', 200);
		assert.deepEqual(p.json.orgs.map((o) => o.name), ['Partner CERT']);
		// "re": the Reporting Centre and the offices hold it; the offices start with it.
		const many = await get('/api/v1/directory/orgs?q=re', 'bea', 200);
		assert.equal(many.json.orgs.length, 20, 'at most 20');
		assert.equal(many.json.more, true);
		assert.match(many.json.orgs[0].name, /^Regional Office 00$/);
		for (const o of many.json.orgs) assert.deepEqual(Object.keys(o).sort(), ['country', 'id', 'kind', 'name']);
		assert.deepEqual((await get('/api/v1/directory/orgs?q=nothing%20like%20it', 'cyd', 200)).json, { orgs: [], more: false });
	});

	it('q is required, 2 characters to 64 bytes, without control characters: 400 naming q', async () => {
		for (const q of ['', '?q=', '?q=a', `?q=${'a'.repeat(65)}`, '?q=a%09b', '?q=%FF%FE']) {
			for (const p of ['/api/v1/directory/orgs', '/api/v1/directory/users']) {
				const r = await get(p + q, 'ana', 400);
				assert.equal(r.json.error.field, 'q', `${p}${q}: ${r.text}`);
				assert.match(r.json.error.message, /^q: /);
			}
		}
		const r = await get('/api/v1/directory/orgs?q=a', 'ana', 400);
		assert.match(r.json.error.message, /at least 2 characters/);
		await get(`/api/v1/directory/orgs?q=${'a'.repeat(64)}`, 'ana', 200);
	});

	it('the public is 401', async () => {
		await get('/api/v1/directory/orgs?q=cert', 'anon', 401);
		await get(`/api/v1/directory/users?org=${acc.orgs.cert}&q=be`, 'anon', 401);
	});

	it('users: only of the caller\'s organisation or a sharing-group partner\'s', async () => {
		// A business analyst cannot enumerate another organisation's users.
		for (const org of ['centre', 'cert', 'bank']) {
			const r = await get(`/api/v1/directory/users?org=${acc.orgs[org]}&q=an`, 'cyd', 403);
			assert.equal(r.json.error.field, 'org');
			assert.doesNotMatch(r.text, /ana|ben|bea/, 'no username in the refusal');
		}
		// Its own organisation, with or without org=.
		assert.deepEqual((await get('/api/v1/directory/users?q=cy', 'cyd', 200)).json,
			{ users: [{ id: acc.users.cyd.id, org_id: acc.orgs.shop, org_name: 'Shop C', username: 'cyd', role: 'analyst' }], more: false });
		assert.deepEqual((await get(`/api/v1/directory/users?org=${acc.orgs.shop}&q=cy`, 'cyd', 200)).json.users.map((u) => u.username), ['cyd']);
		// The centre and the CERT share a group: each sees the other's users.
		assert.deepEqual((await get(`/api/v1/directory/users?org=${acc.orgs.cert}&q=be`, 'vic', 200)).json.users.map((u) => u.username), ['ben']);
		assert.deepEqual((await get(`/api/v1/directory/users?org=${acc.orgs.centre}&q=an`, 'ben', 200)).json.users.map((u) => u.username), ['ana']);
		// The bank is in no group with the centre.
		await get(`/api/v1/directory/users?org=${acc.orgs.bank}&q=be`, 'ana', 403);
		// An admin may list any organisation's users; its own org is admin's.
		assert.deepEqual((await get(`/api/v1/directory/users?org=${acc.orgs.bank}&q=be`, 'admin', 200)).json.users.map((u) => u.username), ['bea']);
		// Bad org: 400 naming org.
		for (const o of ['0', 'x', '-1', '99999999999999999999', 'all']) {
			const r = await get(`/api/v1/directory/users?org=${o}&q=an`, 'ana', 400);
			assert.equal(r.json.error.field, 'org', r.text);
		}
	});

	it('org=any: users of every organisation the caller may list, and nobody else\'s', async () => {
		const names = async (who, q) => (await get(`/api/v1/directory/users?org=any&q=${q}`, who, 200)).json.users.map((u) => `${u.username}@${u.org_name}`);
		// The centre sees its own and its partner CERT's; never the bank's or the shop's.
		assert.deepEqual(await names('vic', 'be'), ['ben@Partner CERT']);
		assert.deepEqual((await names('ana', 'an')), ['ana@National Reporting Centre']);
		assert.deepEqual(await names('ben', 'an'), ['ana@National Reporting Centre']);
		// The shop is in no group: only its own.
		assert.deepEqual(await names('cyd', 'an'), []);
		assert.deepEqual(await names('cyd', 'cy'), ['cyd@Shop C']);
		// An admin: everyone.
		assert.deepEqual(await names('admin', 'be'), ['bea@Bank B', 'ben@Partner CERT']);
		await get('/api/v1/directory/users?org=any&q=a', 'ana', 400);
		await get('/api/v1/directory/users?org=any&q=be', 'anon', 401);
	});

	it('ids=: names for stored ids, only of users the caller may list', async () => {
		const U = acc.users;
		const named = async (who, ids) => (await get(`/api/v1/directory/users?ids=${ids.join(',')}`, who, 200)).json.users.map((u) => u.username);
		const all = [U.ana.id, U.ben.id, U.bea.id, U.cyd.id, 999999];
		assert.deepEqual(await named('ana', all), ['ana', 'ben'], 'the bank\'s and the shop\'s left out, as is an unknown id');
		assert.deepEqual(await named('cyd', all), ['cyd']);
		assert.deepEqual(await named('admin', all), ['ana', 'ben', 'bea', 'cyd']);
		for (const bad of ['', 'x', '1,,2', '-1', Array.from({ length: 65 }, (_, i) => i + 1).join(',')]) {
			const r = await get(`/api/v1/directory/users?ids=${bad}`, 'ana', 400);
			assert.equal(r.json.error.field, 'ids', r.text);
		}
		await get(`/api/v1/directory/users?ids=${U.ana.id}`, 'anon', 401);
	});
});
