// import.test.mjs - STIX bundles into collections, over real HTTP and from
// the command line: POST /api/v1/collections/{id}/import answers with
// counts (stored, indicators, warning-listed, skipped patterns by reason,
// invalid objects by index); the objects come back from TAXII equal as
// JSON values; a warning-listed value never becomes an indicator and a
// lookup names its list; writer rights as for TAXII POST; malformed bundles
// are 400 naming the byte; a large bundle is timed (printed, not asserted);
// crix import stix refuses to run beside the server and works after it,
// and the restarted server finds what it imported.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
	Accounts, startServer, scratch, req, killAll, crix, CRIX,
} from './serve-lib.mjs';

after(killAll);

const TAXII = 'application/taxii+json;version=2.1';
const STIX = 'application/stix+json;version=2.1';
const uuid = () => crypto.randomUUID();
const T0 = '2024-05-01T12:00:00.000Z';
const ASAN = CRIX.includes('/asan/');
const BIG_MB = Number(process.env.CRIX_IMPORT_MB || (ASAN ? 4 : 50));

function indicator(pattern, extra = {}) {
	return {
		type: 'indicator', spec_version: '2.1', id: `indicator--${uuid()}`,
		created: T0, modified: T0, valid_from: T0, pattern_type: 'stix', pattern, ...extra,
	};
}

const bundle = (objects) => ({ type: 'bundle', id: `bundle--${uuid()}`, objects });

async function allObjects(srv, user, coll) {
	const out = [];
	let next = '';
	for (;;) {
		const r = await fetch(`${srv.base}/taxii2/api/collections/${coll}/objects/?limit=1000${next}`,
			{ headers: { Accept: TAXII, Authorization: `Bearer ${user.token}` } });
		assert.equal(r.status, 200);
		const j = await r.json();
		out.push(...(j.objects || []));
		if (!j.more) return out;
		next = `&next=${j.next}`;
	}
}

describe('import: STIX bundles by POST and from files', () => {
	let dir, acc, srv, warn;
	const U = {};
	let coll;

	before(async () => {
		dir = scratch('import');
		warn = scratch('warn');
		fs.mkdirSync(path.join(warn, 'public-dns'));
		fs.writeFileSync(path.join(warn, 'public-dns', 'list.json'), JSON.stringify({
			name: 'List of known IPv4 public DNS resolvers', version: 1, type: 'string',
			description: 'test list', matching_attributes: ['ip-dst'], list: ['8.8.8.8', '9.9.9.9'],
		}));
		acc = new Accounts(dir).init();
		acc.org('A', 'CERT A', 'cert', 'GB');
		acc.org('B', 'Bank B', 'business', 'GB');
		acc.org('C', 'Shop C', 'business', 'FR');
		for (const [name, org, role] of [['aa1', 'A', 'analyst'], ['bb1', 'B', 'analyst'], ['cc1', 'C', 'analyst']]) {
			U[name.slice(1)] = acc.user(name, org, role);
			acc.token(name);
		}
		srv = await startServer(dir, ['--warninglists', warn]);
		const r = await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token,
			json: { title: 'imports', tlp: 'amber', writers: [acc.orgs.B] } });
		assert.equal(r.status, 201, r.text);
		coll = r.json.id;
	});

	const good = [
		indicator("[ipv4-addr:value = '45.155.205.233']"),
		indicator("[domain-name:value = 'crix-import-test.com'] OR [url:value = 'http://crix-import-test.net/x']"),
		indicator("[ipv4-addr:value = '8.8.8.8']"),
		indicator("[ipv4-addr:value = '45.155.205.1'] AND [domain-name:value = 'x.com']"),
		indicator('rule x { condition: true }', { pattern_type: 'yara' }),
		{ type: 'malware', spec_version: '2.1', id: `malware--${uuid()}`, created: T0, modified: T0, name: 'Émotet “loader”', is_family: true, x_nested: { a: [1, 2.5, null, { b: '\u0001' }] } },
		{ type: 'ipv4-addr', spec_version: '2.1', id: `ipv4-addr--${uuid()}`, value: '45.155.205.233' },
	];

	it('POST import: counts by outcome', async () => {
		const objects = [...good.slice(0, 3), { type: 'indicator', spec_version: '2.1' }, ...good.slice(3), 'not an object'];
		const body = JSON.stringify(bundle(objects), null, 2); // pretty: stored as sent, whitespace and all
		const r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.a1.token, type: STIX, body });
		assert.equal(r.status, 200, r.text);
		const j = r.json;
		assert.equal(j.objects, 9);
		assert.equal(j.stored, 7);
		assert.equal(j.indicators, 3, 'an IPv4, a domain and a URL');
		assert.equal(j.warninglisted, 1, '8.8.8.8');
		assert.deepEqual(Object.values(j.skipped_patterns).reduce((a, b) => a + b, 0), 2);
		assert.ok(Object.keys(j.skipped_patterns).some((k) => /AND/.test(k)), JSON.stringify(j.skipped_patterns));
		assert.ok(Object.keys(j.skipped_patterns).some((k) => /yara/.test(k)), JSON.stringify(j.skipped_patterns));
		assert.equal(j.invalid_count, 2);
		assert.deepEqual(j.invalid.map((x) => x.index), [3, 8]);
		assert.match(j.invalid[0].reason, /id/);
		// the same bundle again: nothing new, except the SCO, which has no
		// modified time: its version is its date_added (TAXII 2.1), new each time
		const again = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.a1.token, type: STIX, body });
		assert.equal(again.json.stored, 1);
		assert.equal(again.json.already_held, 6);
	});

	it('re-export: every object comes back equal as a JSON value', async () => {
		const back = await allObjects(srv, U.a1, coll);
		const byId = new Map(back.map((o) => [o.id, o]));
		for (const o of good) assert.deepEqual(byId.get(o.id), o, o.id);
		assert.equal(byId.size, good.length);
	});

	it('lookup: imported values match; a warning-listed one names its list', async () => {
		const r = await req(srv, 'POST', '/api/v1/lookup', { token: U.a1.token, json: { values: ['45.155.205.233', '8.8.8.8', 'www.crix-import-test.com'] } });
		assert.equal(r.status, 200, r.text);
		const by = Object.fromEntries(r.json.results.map((x) => [x.value, x]));
		assert.equal(by['45.155.205.233'].matches.length, 1);
		assert.equal(by['www.crix-import-test.com'].matches[0].indicator, 'crix-import-test.com');
		assert.deepEqual(by['8.8.8.8'].warninglist, ['public-dns']);
		assert.deepEqual(by['8.8.8.8'].matches, []);
	});

	it('TAXII POST: a warning-listed value is stored but never indexed', async () => {
		const o = indicator("[ipv4-addr:value = '9.9.9.9'] OR [ipv4-addr:value = '45.155.205.9']");
		const r = await fetch(`${srv.base}/taxii2/api/collections/${coll}/objects/`, { method: 'POST',
			headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${U.a1.token}` }, body: JSON.stringify({ objects: [o] }) });
		assert.equal(r.status, 202);
		const l = await req(srv, 'POST', '/api/v1/lookup', { token: U.a1.token, json: { values: ['9.9.9.9', '45.155.205.9'] } });
		const by = Object.fromEntries(l.json.results.map((x) => [x.value, x]));
		assert.deepEqual(by['9.9.9.9'].warninglist, ['public-dns']);
		assert.deepEqual(by['9.9.9.9'].matches, []);
		assert.equal(by['45.155.205.9'].matches[0].stix_id, o.id);
	});

	it('rights: a writer may import, others get 404, the public 401', async () => {
		const body = JSON.stringify(bundle([indicator("[ipv4-addr:value = '45.155.205.2']")]));
		let r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.b1.token, type: STIX, body });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.indicators, 1);
		r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.c1.token, type: STIX, body });
		assert.equal(r.status, 404, r.text);
		r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { type: STIX, body });
		assert.equal(r.status, 401, r.text);
	});

	it('bad bundles: 400 naming the byte, 415 for another type, what came before is kept', async () => {
		const ok = indicator("[ipv4-addr:value = '45.155.205.3']");
		const text = JSON.stringify(bundle([ok])).replace(/\]\}$/, ',}');
		let r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.a1.token, type: STIX, body: text });
		assert.equal(r.status, 400, r.text);
		assert.match(r.json.error.message, /byte \d+/);
		assert.equal(r.json.imported.stored, 1);
		r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.a1.token, type: STIX, body: '[1,2]' });
		assert.equal(r.status, 400);
		assert.match(r.json.error.message, /byte 0/);
		r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.a1.token, type: 'text/plain', body: '{}' });
		assert.equal(r.status, 415);
		r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.a1.token, type: STIX, body: '' });
		assert.equal(r.status, 400);
	});

	let bigFile, bigCount;
	it(`a large bundle (${BIG_MB} MB) by POST: imported in seconds (printed)`, async () => {
		bigFile = path.join(dir, 'big.json');
		const fd = fs.openSync(bigFile, 'w');
		fs.writeSync(fd, `{"type":"bundle","id":"bundle--${uuid()}","objects":[`);
		let size = 0;
		bigCount = 0;
		const pad = 'x'.repeat(200);
		while (size < BIG_MB * 1e6) {
			const a = bigCount >> 16 & 255, b = bigCount >> 8 & 255, c = bigCount & 255;
			const o = indicator(`[ipv4-addr:value = '10.${a}.${b}.${c}'] OR [domain-name:value = 'h${bigCount}.crix-big.com']`, { description: pad });
			const s = (bigCount ? ',' : '') + JSON.stringify(o);
			fs.writeSync(fd, s);
			size += s.length;
			bigCount++;
		}
		fs.writeSync(fd, ']}');
		fs.closeSync(fd);
		const t0 = performance.now();
		const r = await req(srv, 'POST', `/api/v1/collections/${coll}/import`, { token: U.a1.token, type: STIX, body: fs.readFileSync(bigFile) });
		const secs = (performance.now() - t0) / 1e3;
		assert.equal(r.status, 200, r.text.slice(0, 500));
		assert.equal(r.json.stored, bigCount);
		console.log(`# POST import: ${(size / 1e6).toFixed(1)} MB, ${bigCount} objects in ${secs.toFixed(2)} s (${Math.round(bigCount / secs)} objects/s)`);
	});

	it('crix import stix: refused while the server holds the data directory', () => {
		const r = crix(['import', 'stix', '--data', dir, '--collection', coll, bigFile], { allowFail: true });
		assert.equal(r.status, 2);
		assert.match(r.stderr, /in use by another crix/);
	});

	it('crix import stix after the server stopped; the restarted server finds the values', async () => {
		await srv.stop();
		const f = path.join(dir, 'cli.json');
		const objs = [indicator("[ipv4-addr:value = '45.155.205.77']"), indicator("[ipv4-addr:value = '9.9.9.9']")];
		fs.writeFileSync(f, JSON.stringify(bundle(objs)));
		let r = crix(['import', 'stix', '--data', dir, '--collection', coll, '--warninglists', warn, f]);
		const j = JSON.parse(r.stdout.trim());
		assert.equal(j.stored, 2);
		assert.equal(j.indicators, 1);
		assert.equal(j.warninglisted, 1);
		r = crix(['import', 'stix', '--data', dir, '--collection', coll, '-'], { input: JSON.stringify(bundle([indicator("[domain-name:value = 'stdin.crix-import-test.org']")])) });
		assert.equal(JSON.parse(r.stdout.trim()).indicators, 1);
		r = crix(['import', 'stix', '--data', dir, '--collection', 'nope', f], { allowFail: true });
		assert.equal(r.status, 2);
		assert.match(r.stderr, /collection nope not found/);
		fs.writeFileSync(f, '{"objects":[{}');
		r = crix(['import', 'stix', '--data', dir, '--collection', coll, f], { allowFail: true });
		assert.equal(r.status, 1);
		assert.match(r.stderr, /ends early at byte 14/);
		srv = await startServer(dir, ['--warninglists', warn]);
		const l = await req(srv, 'POST', '/api/v1/lookup', { token: U.a1.token, json: { values: ['45.155.205.77', 'stdin.crix-import-test.org', '10.0.0.5'] } });
		assert.equal(l.json.matched, 3, l.text);
	});
});

// MISP: a feed of what each caller may see, over HTTP and on disk, and
// imported back into another collection with the same indicator values.
describe('MISP: feeds per caller, events imported back', () => {
	let dir, acc, srv;
	const U = {};
	const C = {};
	const values = { X: ['45.155.205.10', 'misp-x.crix-test.com'], Y: ['http://misp-y.crix-test.net/login'], Z: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856'] };
	const RED = 'misp-red.crix-test.com';

	before(async () => {
		dir = scratch('misp');
		acc = new Accounts(dir).init();
		acc.org('A', 'CERT A', 'cert', 'GB');
		acc.org('B', 'Bank B', 'business', 'GB');
		acc.org('C', 'Shop C', 'business', 'FR');
		for (const [name, org, role] of [['aa1', 'A', 'analyst'], ['aa2', 'A', 'analyst'], ['bb1', 'B', 'analyst'], ['cc1', 'C', 'analyst']]) {
			U[name.slice(1)] = acc.user(name, org, role);
			acc.token(name);
		}
		srv = await startServer(dir);
		for (const [k, tlp, shared] of [['X', 'amber', { orgs: [acc.orgs.B] }], ['Y', 'green', undefined], ['Z', 'clear', undefined], ['W', 'amber', undefined]]) {
			const r = await req(srv, 'POST', '/api/v1/collections', { token: U.a1.token, json: { title: `misp ${k}`, tlp, ...(shared ? { shared_with: shared } : {}) } });
			assert.equal(r.status, 201, r.text);
			C[k] = r.json.id;
		}
		const pat = (v) => (v.startsWith('http') ? `[url:value = '${v}']` : /^[0-9.]+$/.test(v) ? `[ipv4-addr:value = '${v}']` : /^[0-9a-f]{64}$/.test(v) ? `[file:hashes.'SHA-256' = '${v}']` : `[domain-name:value = '${v}']`);
		for (const k of ['X', 'Y', 'Z']) {
			const objs = values[k].map((v) => indicator(pat(v)));
			if (k === 'X') objs.push(indicator(pat(RED), { object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'] }));
			const r = await req(srv, 'POST', `/api/v1/collections/${C[k]}/import`, { token: U.a1.token, type: STIX, body: JSON.stringify(bundle(objs)) });
			assert.equal(r.status, 200, r.text);
		}
	});

	const attrValues = (ev) => ev.Event.Attribute.map((a) => a.value).sort();

	it('the manifest and events: per caller, exactly what each may see', async () => {
		const want = {
			a1: { X: [...values.X, RED], Y: values.Y, Z: values.Z, W: [] },
			a2: { X: values.X, Y: values.Y, Z: values.Z, W: [] }, // RED was for a1 only
			b1: { X: values.X, Y: values.Y, Z: values.Z },
			c1: { Y: values.Y, Z: values.Z },
			public: { Z: values.Z },
		};
		for (const [who, colls] of Object.entries(want)) {
			const token = who === 'public' ? undefined : U[who].token;
			const m = await req(srv, 'GET', '/api/v1/misp/manifest.json', { token });
			assert.equal(m.status, 200, `${who}: ${m.text}`);
			assert.deepEqual(Object.keys(m.json).sort(), Object.keys(colls).map((k) => C[k]).sort(), who);
			for (const [k, vals] of Object.entries(colls)) {
				const e = m.json[C[k]];
				for (const f of ['info', 'Orgc', 'Tag', 'date', 'analysis', 'threat_level_id', 'timestamp']) assert.ok(e[f] !== undefined, `${who} ${k} manifest: ${f}`);
				const r = await req(srv, 'GET', `/api/v1/misp/events/${C[k]}.json`, { token });
				assert.equal(r.status, 200, r.text);
				assert.equal(r.json.Event.uuid, C[k]);
				assert.equal(r.json.Event.Orgc.name, 'CERT A');
				assert.deepEqual(attrValues(r.json), [...vals].sort(), `${who} sees ${k}`);
				for (const a of r.json.Event.Attribute) {
					assert.match(a.uuid, /^[0-9a-f-]{36}$/);
					assert.equal(a.to_ids, true);
					assert.ok(['ip-dst', 'domain', 'url', 'sha256'].includes(a.type), a.type);
				}
			}
			for (const k of ['X', 'Y', 'W'].filter((k) => !(k in colls))) {
				const r = await req(srv, 'GET', `/api/v1/misp/events/${C[k]}.json`, { token });
				assert.equal(r.status, 404, `${who} must not see ${k}`);
			}
		}
		const r = await req(srv, 'GET', '/api/v1/misp/events/not-a-uuid.json', { token: U.a1.token });
		assert.equal(r.status, 404);
	});

	it('the manifest is cached per caller class until something shared changes', async () => {
		const get = async (who) => {
			const m = await req(srv, 'GET', '/api/v1/misp/manifest.json', { token: who && U[who].token });
			assert.equal(m.status, 200, m.text);
			return { cache: m.headers.get('x-crix-cache'), json: m.json };
		};
		// each class has its own entry: a hit gives what the miss gave
		for (const who of ['a1', 'a2', 'c1', null]) {
			const first = await get(who);
			const again = await get(who);
			assert.equal(again.cache, 'hit', `${who}: second read`);
			assert.deepEqual(again.json, first.json, `${who}: the cached manifest is the built one`);
		}
		assert.deepEqual(Object.keys((await get(null)).json), [C.Z], 'the public\'s entry is not a member\'s');
		assert.equal(Object.keys((await get('a2')).json).length, 4);
		// a share that lets C see X: C's next read is rebuilt and shows it
		const p = await req(srv, 'PATCH', `/api/v1/collections/${C.X}`, { token: U.a1.token, json: { shared_with: { orgs: [acc.orgs.B, acc.orgs.C] } } });
		assert.equal(p.status, 200, p.text);
		let c = await get('c1');
		assert.equal(c.cache, 'miss');
		assert.deepEqual(Object.keys(c.json).sort(), [C.X, C.Y, C.Z].sort());
		// a new object (RED, for its poster a2 only): every class is rebuilt,
		// and only a2's event is newer
		const before = { a1: (await get('a1')).json[C.Y].timestamp, a2: (await get('a2')).json[C.Y].timestamp };
		await new Promise((r) => setTimeout(r, 1100));
		const red = indicator("[domain-name:value = 'misp-cache.crix-test.net']", { object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'] });
		const r = await req(srv, 'POST', `/api/v1/collections/${C.Y}/import`, { token: U.a2.token, type: STIX, body: JSON.stringify(bundle([red])) });
		assert.equal(r.status, 200, r.text);
		const a2 = await get('a2');
		assert.equal(a2.cache, 'miss');
		assert.ok(Number(a2.json[C.Y].timestamp) > Number(before.a2), 'a2\'s event is newer');
		const a1 = await get('a1');
		assert.equal(a1.cache, 'miss');
		assert.equal(a1.json[C.Y].timestamp, before.a1, 'a1 does not see a2\'s RED object');
		c = await get('c1');
		assert.equal(c.cache, 'miss');
		// put back as it was for the tests after this one
		const back = await req(srv, 'PATCH', `/api/v1/collections/${C.X}`, { token: U.a1.token, json: { shared_with: { orgs: [acc.orgs.B] } } });
		assert.equal(back.status, 200, back.text);
		assert.deepEqual(Object.keys((await get('c1')).json).sort(), [C.Y, C.Z].sort());
	});

	it('round trip: crix export misp -> crix import misp into another collection -> the same values', async () => {
		const feed = path.join(dir, 'feed');
		let r = crix(['export', 'misp', '--data', dir, '--user', 'aa1', '--out', feed]);
		assert.match(r.stderr, /4 events/);
		const man = JSON.parse(fs.readFileSync(path.join(feed, 'manifest.json'), 'utf8'));
		// hashes.csv: the MD5 of each attribute's value and its event
		const hashes = fs.readFileSync(path.join(feed, 'hashes.csv'), 'utf8').trim().split('\n').sort();
		const md5 = (v) => crypto.createHash('md5').update(v).digest('hex');
		assert.deepEqual(hashes, [
			...values.X.map((v) => `${md5(v)},${C.X}`), `${md5(RED)},${C.X}`,
			...values.Y.map((v) => `${md5(v)},${C.Y}`), ...values.Z.map((v) => `${md5(v)},${C.Z}`)].sort());
		const http = await req(srv, 'GET', '/api/v1/misp/manifest.json', { token: U.a1.token });
		assert.deepEqual(man, http.json, 'the feed on disk is the one served');
		// the public's export: CLEAR only
		r = crix(['export', 'misp', '--data', dir, '--out', path.join(dir, 'public')]);
		assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'public', 'manifest.json'), 'utf8'))), [C.Z]);
		await srv.stop();
		r = crix(['import', 'misp', '--data', dir, '--collection', C.W, feed]);
		const j = JSON.parse(r.stdout.trim());
		assert.equal(j.events, 4);
		assert.equal(j.converted, 5);
		assert.equal(j.indicators, 5);
		// the same feed again: nothing new
		r = crix(['import', 'misp', '--data', dir, '--collection', C.W, feed]);
		assert.equal(JSON.parse(r.stdout.trim()).stored, 0);
		// one event file, with types crix does not know counted
		const ev = path.join(dir, 'event.json');
		fs.writeFileSync(ev, JSON.stringify({ Event: { info: 'one', Tag: [{ name: 'tlp:green' }], Attribute: [
			{ type: 'ip-dst|port', value: '45.155.205.99|443', to_ids: true },
			{ type: 'btc', value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT', to_ids: true },
			{ type: 'comment', value: 'context', to_ids: false }] } }));
		r = crix(['import', 'misp', '--data', dir, '--collection', C.W, ev]);
		const k = JSON.parse(r.stdout.trim());
		assert.equal(k.converted, 1);
		assert.deepEqual(k.unsupported, { btc: 1, comment: 1 });
		fs.writeFileSync(ev, '{"Event": [1]}');
		r = crix(['import', 'misp', '--data', dir, '--collection', C.W, ev], { allowFail: true });
		assert.equal(r.status, 1);
		assert.match(r.stderr, /Event/);
		srv = await startServer(dir);
		const w = await req(srv, 'GET', `/api/v1/misp/events/${C.W}.json`, { token: U.a1.token });
		assert.deepEqual(attrValues(w.json), [...values.X, RED, ...values.Y, ...values.Z, '45.155.205.99'].sort());
		const red = w.json.Event.Attribute.find((a) => a.value === RED);
		assert.deepEqual(red.Tag, [{ name: 'tlp:red' }], 'the RED attribute stays RED');
		const w2 = await req(srv, 'GET', `/api/v1/misp/events/${C.W}.json`, { token: U.a2.token });
		assert.ok(!attrValues(w2.json).includes(RED), 'and is not seen by a colleague');
	});
});
