// alertfeed.test.mjs - the built-in TAXII 2.1 collection "crix-alerts" over
// real HTTP (src/share/alertfeed.c): listed under /taxii2/api/collections/
// (and GET /api/v1/collections for the signed-in)
// for whoever is served at least one alert (the public: current CLEAR ones;
// members: CLEAR and GREEN), 404 otherwise; its objects exactly those of
// GET /api/v1/alerts/{id}?format=stix; paging by limit/next and added_after
// exact, with the X-TAXII-Date-Added headers; manifest, versions and the
// match[] filters; expired alerts gone; a withdrawn alert served as revoked
// new versions of its report (without its text) and indicators; POST 403;
// every object valid against the official STIX 2.1 schemas.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Accounts, startServer, req, expectStatus, seen, scratch, killAll, sleep, ROOT } from './serve-lib.mjs';

after(killAll);

const TAXII = 'application/taxii+json;version=2.1';
const FEED = 'c0d5a4a4-40a3-4697-b3ae-39824ac5a28f';
const SCHEMAS = [process.env.CRIX_SHARED, path.join(ROOT, '..', 'shared'), '/work/shared']
	.filter(Boolean).map((d) => path.join(d, 'data/stix21-schemas/schemas')).find((d) => fs.existsSync(d));

describe('alerts over TAXII: the crix-alerts collection', () => {
	let srv, dir;
	const T = {};
	const A = {};

	const auth = (who) => (who === 'anon' ? {} : { Authorization: `Bearer ${T[who]}` });
	async function taxii(p, who, { method = 'GET', body } = {}) {
		const headers = { Accept: TAXII, ...auth(who) };
		if (body) headers['Content-Type'] = TAXII;
		const r = await fetch(`${srv.base}/taxii2/api/${p}`, { method, headers, body: body && JSON.stringify(body) });
		const text = await r.text();
		seen.push({ what: `${method} ${p}`, status: r.status });
		assert.match(r.headers.get('content-type') || '', /^application\/taxii\+json;version=2\.1/, `${p}: media type`);
		return { status: r.status, headers: r.headers, json: text ? JSON.parse(text) : undefined, text };
	}
	async function all(who, extra = '', limit = 1000) {
		let out = [], next, n = 0;
		do {
			const r = await taxii(`collections/${FEED}/objects/?limit=${limit}${extra}${next ? `&next=${encodeURIComponent(next)}` : ''}`, who);
			assert.equal(r.status, 200, r.text);
			const objs = r.json.objects || [];
			assert.ok(objs.length <= limit);
			if (objs.length) {
				assert.ok(r.headers.get('x-taxii-date-added-first'));
				assert.ok(r.headers.get('x-taxii-date-added-last'));
			}
			out = out.concat(objs);
			next = r.json.more ? r.json.next : undefined;
			assert.ok(++n < 500, 'paging ends');
		} while (next);
		return out;
	}
	const publish = async (who, body) => expectStatus(await req(srv, 'POST', '/api/v1/alerts', { token: T[who], json: body }), 201, 'publish').json.id;
	const alert = (title, tlp, extra = {}) => ({
		title, tlp, category: 'phishing',
		summary: `Texts claiming a parcel is held (${title}), naming Mr Innocent.`,
		advice: 'Do not click the link.',
		indicators: [`${title.toLowerCase().replace(/[^a-z]+/g, '-')}.example.com`, '+44 7700 900123', '203.0.113.9'],
		...extra,
	});
	// GET /api/v1/collections lists the feed exactly when TAXII does (signed-in callers)
	async function restListed(who) {
		const r = expectStatus(await req(srv, 'GET', '/api/v1/collections', { token: T[who] }), 200, 'collections');
		const mine = r.json.collections.filter((x) => x.id === FEED);
		const t = (await taxii('collections/', who)).json.collections || [];
		assert.equal(mine.length, t.some((x) => x.id === FEED) ? 1 : 0, `${who}: REST lists the feed as TAXII does`);
		if (mine.length) assert.deepEqual(mine[0], t.find((x) => x.id === FEED), `${who}: the same resource`);
		return mine.length === 1;
	}
	const stixOf = async (id, who) => expectStatus(await req(srv, 'GET', `/api/v1/alerts/${id}?format=stix`, { token: T[who] }), 200, 'stix').json.objects;

	before(async () => {
		dir = scratch('alertfeed');
		const acc = new Accounts(dir).init();
		acc.org('cert', 'National CERT', 'cert', 'GB');
		acc.org('bank', 'Example Bank', 'business', 'GB');
		acc.user('ann', 'cert', 'analyst');
		acc.user('bob', 'bank', 'analyst');
		for (const u of ['ann', 'bob']) T[u] = acc.token(u);
		srv = await startServer(dir, ['--rate-limit', '1000000']);
	});

	it('no alert: the collection is neither listed nor readable', async () => {
		for (const who of ['anon', 'ann']) {
			const c = await taxii('collections/', who);
			assert.equal(c.status, 200);
			assert.ok(!(c.json.collections || []).some((x) => x.id === FEED), who);
			assert.equal((await taxii(`collections/${FEED}/`, who)).status, 404);
			assert.equal((await taxii(`collections/${FEED}/objects/`, who)).status, 404);
			if (who !== 'anon') assert.equal(await restListed(who), false);
		}
	});

	it('listed for whoever is served an alert: the public CLEAR ones, members GREEN ones too', async () => {
		A.green = await publish('ann', alert('Fake bank calls', 'green', { expires: '2099-01-01' }));
		for (const [who, listed] of [['anon', false], ['ann', true], ['bob', true]]) {
			const c = await taxii('collections/', who);
			const mine = (c.json.collections || []).find((x) => x.id === FEED);
			assert.equal(!!mine, listed, `${who}: listed`);
			assert.equal((await taxii(`collections/${FEED}/objects/`, who)).status, listed ? 200 : 404, `${who}: objects`);
			if (who !== 'anon') assert.equal(await restListed(who), listed, `${who}: REST`);
			if (listed) assert.deepEqual([mine.title, mine.can_read, mine.can_write, mine.media_types], ['crix-alerts', true, false, ['application/stix+json;version=2.1']]);
		}
		A.clear = await publish('ann', alert('Parcel texts', 'clear'));
		A.bank = await publish('bob', alert('Bank partner', 'green'));
		const one = await taxii(`collections/${FEED}/`, 'anon');
		assert.equal(one.status, 200);
		assert.equal(one.json.id, FEED);
		// the public: the CLEAR alert's objects only, exactly its ?format=stix bundle's
		const pub = await all('anon');
		const clear = await stixOf(A.clear, 'ann');
		assert.deepEqual(pub.map((o) => o.id).sort(), clear.map((o) => o.id).sort());
		for (const o of clear) assert.deepEqual(pub.find((x) => x.id === o.id), o, `${o.id} as ?format=stix gives it`);
		// a member: all three; an object two alerts share appears once (its latest version)
		const bob = await all('bob');
		const want = new Set([...(await stixOf(A.green, 'bob')), ...clear, ...(await stixOf(A.bank, 'bob'))].map((o) => o.id));
		assert.deepEqual(bob.map((o) => o.id).sort(), [...want].sort());
		assert.equal(new Set(bob.map((o) => o.id)).size, bob.length, 'each object once');
		assert.equal(bob.filter((o) => o.type === 'report').length, 3);
	});

	it('pages exactly by limit/next and added_after; manifest, versions and filters', async () => {
		const whole = await all('bob');
		const man = (await taxii(`collections/${FEED}/manifest/?limit=1000`, 'bob')).json.objects;
		assert.deepEqual(man.map((m) => m.id), whole.map((o) => o.id), 'manifest in date_added order');
		const added = man.map((m) => m.date_added);
		assert.deepEqual([...added].sort(), added);
		assert.equal(new Set(added).size, added.length, 'date_added unique');
		for (const m of man) assert.equal(m.media_type, 'application/stix+json;version=2.1');
		for (const limit of [1, 2, 5]) assert.deepEqual((await all('bob', '', limit)).map((o) => o.id), whole.map((o) => o.id), `pages of ${limit}`);
		const first = await taxii(`collections/${FEED}/objects/?limit=1`, 'bob');
		assert.equal(first.headers.get('x-taxii-date-added-first'), added[0]);
		assert.equal(first.headers.get('x-taxii-date-added-last'), added[0]);
		for (const i of [0, 3, added.length - 2]) {
			const rest = await all('bob', `&added_after=${added[i]}`, 2);
			assert.deepEqual(rest.map((o) => o.id), whole.slice(i + 1).map((o) => o.id), `added_after #${i}`);
		}
		const reports = await all('bob', '&match[type]=report');
		assert.equal(reports.length, 3);
		const r0 = reports[0];
		const byId = await taxii(`collections/${FEED}/objects/${r0.id}/`, 'bob');
		assert.deepEqual(byId.json.objects, [r0]);
		const vers = await taxii(`collections/${FEED}/objects/${r0.id}/versions/`, 'bob');
		assert.deepEqual(vers.json.versions, [r0.modified]);
		assert.equal((await taxii(`collections/${FEED}/objects/report--${crypto.randomUUID()}/`, 'bob')).status, 404);
		assert.equal((await taxii(`collections/${FEED}/objects/?match[id]=${r0.id},${reports[1].id}`, 'bob')).json.objects.length, 2);
		assert.equal((await taxii(`collections/${FEED}/objects/?match[spec_version]=2.0`, 'bob')).json.more, false);
		for (const q of ['next=abc', 'added_after=yesterday', 'match[version]=soon', 'limit=0']) {
			const r = await taxii(`collections/${FEED}/objects/?${q}`, 'bob');
			assert.equal(r.status, 400, q);
			assert.equal(r.json.http_status, '400');
		}
		// an identity two alerts of one organisation share: one version each, the last by default
		const idents = await all('bob', '&match[type]=identity&match[version]=all');
		assert.ok(idents.length >= 3, 'an identity version per alert');
		assert.equal((await all('bob', '&match[type]=identity')).length, 2, 'two organisations, latest versions');
		// match[version] lists, as an ordinary collection takes them (sharing_versions_parse)
		const byIdent = new Map();
		for (const o of idents) byIdent.set(o.id, [...(byIdent.get(o.id) || []), o]);
		const [identId, versOf] = [...byIdent].find(([, v]) => v.length >= 2);
		const times = versOf.map((o) => o.modified).sort((x, y) => Date.parse(x) - Date.parse(y));
		const [t0, tn] = [times[0], times.at(-1)];
		const pick = async (v) => (await all('bob', `&match[id]=${identId}&match[version]=${v}`)).map((o) => o.modified).sort((x, y) => Date.parse(x) - Date.parse(y));
		assert.deepEqual(await pick('first'), [t0]);
		assert.deepEqual(await pick('last'), [tn]);
		assert.deepEqual(await pick(`${tn}`), [tn], 'one timestamp');
		assert.deepEqual(await pick('first,last'), [t0, tn], 'first,last');
		assert.deepEqual(await pick(`last,${t0}`), [t0, tn], 'last,<timestamp>');
		assert.deepEqual(await pick(`${tn},${t0}`), [t0, tn], 'two timestamps');
		const manifest = (await taxii(`collections/${FEED}/manifest/?match[id]=${identId}&match[version]=first,last`, 'bob')).json.objects;
		assert.deepEqual(manifest.map((m) => m.version).sort(), [t0, tn].sort(), 'and the manifest');
		for (const bad of ['all,first', 'first,first', `${t0},${t0}`, 'first,soon']) {
			const r = await taxii(`collections/${FEED}/objects/?match[version]=${bad}`, 'bob');
			assert.equal(r.status, 400, `match[version]=${bad}`);
			assert.match(r.json.description, /match\[version\]/);
		}
	});

	it('read-only: a POST is 403 for those who see it, 401 for the public', async () => {
		const body = { objects: [] };
		assert.equal((await taxii(`collections/${FEED}/objects/`, 'ann', { method: 'POST', body })).status, 403);
		assert.equal((await taxii(`collections/${FEED}/objects/`, 'anon', { method: 'POST', body })).status, 401);
	});

	it('an expired alert leaves the feed; a withdrawn one is served as its revocation', async () => {
		const soon = new Date(Date.now() + 2000).toISOString();
		A.short = await publish('ann', alert('Short lived', 'clear', { expires: soon }));
		const shortReport = (await stixOf(A.short, 'ann')).find((o) => o.type === 'report').id;
		assert.ok((await all('anon')).some((o) => o.id === shortReport));
		await sleep(2500);
		assert.ok(!(await all('anon')).some((o) => o.id === shortReport), 'expired: gone');
		const before = await all('anon');
		const last = (await taxii(`collections/${FEED}/manifest/?limit=1000`, 'anon')).json.objects.at(-1).date_added;
		const clear = await stixOf(A.clear, 'ann');
		const report = clear.find((o) => o.type === 'report');
		expectStatus(await req(srv, 'POST', `/api/v1/alerts/${A.clear}/withdraw`, { token: T.ann }), 200, 'withdraw');
		const now = await all('anon');
		const rep = now.find((o) => o.id === report.id);
		assert.equal(rep.revoked, true);
		assert.ok(rep.modified > report.modified);
		assert.equal(rep.description, undefined, 'the withdrawn text is not served');
		assert.doesNotMatch(JSON.stringify(now), /Innocent/);
		assert.equal(rep.name, `Withdrawn alert ${A.clear}`);
		const inds = clear.filter((o) => o.type === 'indicator');
		for (const i of inds) assert.equal(now.find((o) => o.id === i.id)?.revoked, true, `${i.id} revoked`);
		assert.ok(!now.some((o) => o.type === 'domain-name' || o.type === 'relationship'), 'the rest of it is gone');
		// a client polling by added_after gets exactly the revocations
		const fresh = await all('anon', `&added_after=${last}`);
		assert.deepEqual(fresh.map((o) => o.id).sort(), [report.id, ...inds.map((i) => i.id)].sort());
		assert.ok(before.length > 0);
		// members: the GREEN alerts are untouched, with the revocation beside them
		const bob = await all('bob');
		assert.equal(bob.filter((o) => o.type === 'report' && !o.revoked).length, 2);
		// the public still sees the collection: the revocation is served to it
		assert.ok((await taxii('collections/', 'anon')).json.collections.some((x) => x.id === FEED));
	});

	it('every object the feed serves is valid STIX 2.1', async () => {
		if (!SCHEMAS) {
			process.stderr.write('alertfeed: schema validation SKIPPED: no STIX 2.1 schemas (set CRIX_SHARED)\n');
			return;
		}
		const objs = await all('bob', '&match[version]=all');
		const file = path.join(dir, 'feed.json');
		fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: objs }));
		const v = spawnSync('node', [path.join(ROOT, 'tests/system/stix-validate.mjs'), SCHEMAS, file], { encoding: 'utf8' });
		assert.equal(v.status, 0, v.stdout + v.stderr);
	});

	it('no answer was a 5xx', () => {
		assert.deepEqual(seen.filter((s) => s.status >= 500).map((s) => `${s.what} ${s.status}`), []);
	});
});
