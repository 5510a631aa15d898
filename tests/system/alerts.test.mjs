// alerts.test.mjs - scam alerts over real HTTP: the real binary ($CRIX), a
// real SQLite database in a scratch directory, accounts made with `crix
// admin`.  Run through tests/system/alerts.sh.  Asserts exactly who sees what
// (the public: current CLEAR alerts only; a member of another organisation:
// current CLEAR and GREEN; the author's organisation: its withdrawn and
// expired ones too, with ?all=1 and by id), who may publish and withdraw,
// bad input (400 naming the field), paging and the category filter, the
// STIX 2.1 bundles (every object valid against the official schemas, with
// tests/system/stix-validate.mjs), the audit entries and a restart.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Accounts, startServer, req, expectStatus, seen, scratch, crix, killAll, sleep, ROOT } from './serve-lib.mjs';

after(killAll);

// The official STIX 2.1 schemas, in the team's shared folder beside the
// checkout (or named by CRIX_SHARED), as export.sh finds them.
function schemaDir() {
	for (const d of [process.env.CRIX_SHARED, path.join(ROOT, '..', 'shared'), '/work/shared']) {
		if (d && fs.existsSync(path.join(d, 'data/stix21-schemas/schemas'))) return path.join(d, 'data/stix21-schemas/schemas');
	}
	return null;
}

describe('alerts', () => {
	let srv;
	let dir;
	const T = {};
	const A = {}; // alert ids by name

	const as = (who) => (who === 'anon' ? {} : { token: T[who] });
	const get = async (p, who, want = 200) => expectStatus(await req(srv, 'GET', p, as(who)), want, `GET ${p} as ${who}`);
	const post = async (p, json, who, want) => expectStatus(await req(srv, 'POST', p, { ...as(who), json }), want, `POST ${p} as ${who}`);
	const titles = async (who, query = '') => (await get(`/api/v1/alerts${query}`, who)).json.alerts.map((a) => a.title);

	const alert = (title, tlp, extra = {}) => ({
		title, tlp, category: 'phishing',
		summary: `Texts claiming a parcel is held ask for a redelivery fee (${title}).`,
		advice: 'Do not click the link.\nForward the text to 7726, then delete it.',
		indicators: ['parcel-redeliver[.]example.com', '+44 7700 900123', 'hxxps://parcel-redeliver.example.com/pay'],
		...extra,
	});

	before(async () => {
		dir = scratch('alerts');
		const acc = new Accounts(dir).init();
		acc.org('cert', 'National CERT', 'cert', 'GB');
		acc.org('bank', 'Example Bank', 'business', 'GB');
		acc.user('ann', 'cert', 'analyst');
		acc.user('vic', 'cert', 'viewer');
		acc.user('bob', 'bank', 'analyst');
		for (const u of ['admin', 'ann', 'vic', 'bob']) T[u] = acc.token(u);
		srv = await startServer(dir, ['--rate-limit', '1000000']);
	});

	after(async () => {
		if (srv && srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop('SIGKILL');
	});

	it('analysts of member organisations publish; viewers and the public may not', async () => {
		const r = await post('/api/v1/alerts', alert('Parcel texts', 'clear'), 'ann', 201);
		A.clear = r.json.id;
		assert.equal(r.json.tlp, 'clear');
		assert.equal(r.json.status, 'published');
		assert.equal(r.json.organisation, 'National CERT');
		assert.equal(r.json.author, 'ann');
		assert.equal(r.json.category_name.length > 0, true);
		assert.deepEqual(r.json.indicators, [
			{ type: 'domain', value: 'parcel-redeliver.example.com' },
			{ type: 'phone', value: '+447700900123' },
			{ type: 'url', value: 'https://parcel-redeliver.example.com/pay' },
		], 'canonical, refanged values');
		A.green = (await post('/api/v1/alerts', alert('Fake bank calls', 'TLP:GREEN', { category: 'investment-fraud', expires: '2099-01-01' }), 'ann', 201)).json.id;
		A.bank = (await post('/api/v1/alerts', alert('Bank partner alert', 'green'), 'bob', 201)).json.id;
		const soon = new Date(Date.now() + 2500).toISOString();
		A.expiring = (await post('/api/v1/alerts', alert('Short-lived', 'clear', { expires: soon }), 'ann', 201)).json.id;
		await post('/api/v1/alerts', alert('Viewer', 'clear'), 'vic', 403);
		await post('/api/v1/alerts', alert('Nobody', 'clear'), 'anon', 401);
	});

	it('bad input is 400 naming the field', async () => {
		const bad = async (body, field) => {
			const r = await post('/api/v1/alerts', body, 'ann', 400);
			assert.equal(r.json.error.field, field, r.text);
			assert.ok(r.json.error.message.startsWith(field), r.text);
		};
		await bad(alert('Amber', 'amber'), 'tlp');
		await bad(alert('Red', 'red'), 'tlp');
		await bad(alert('No TLP', undefined), 'tlp');
		await bad(alert('Bad ioc', 'clear', { indicators: ['evil.example.com', 'fine.example.com', 'not an indicator'] }), 'indicators[2]');
		await bad(alert('Bad ip', 'clear', { indicators: [{ type: 'ipv4', value: '1.2.3.999' }] }), 'indicators[0]');
		await bad(alert('Bad category', 'clear', { category: 'made-up' }), 'category');
		await bad(alert('x', 'clear'), 'title');
		await bad(alert('Past', 'clear', { expires: '2001-01-01' }), 'expires');
		await bad({ ...alert('Typo', 'clear'), expiry: '2999-01-01' }, 'expiry');
		const big = await req(srv, 'POST', '/api/v1/alerts', { token: T.ann, json: alert('Big', 'clear', { advice: 'x'.repeat(8001) }) });
		expectStatus(big, 413, 'advice over its cap');
		assert.equal(big.json.error.field, 'advice');
		await get('/api/v1/alerts?all=1', 'anon', 400);
		await get('/api/v1/alerts?category=made-up', 'anon', 400);
		await get('/api/v1/alerts/abc', 'anon', 400);
		await get(`/api/v1/alerts/${A.clear}?format=xml`, 'anon', 400);
	});

	it('the public sees current CLEAR alerts only; members see GREEN ones too', async () => {
		assert.deepEqual(await titles('anon'), ['Short-lived', 'Parcel texts']);
		assert.deepEqual(await titles('bob'), ['Short-lived', 'Bank partner alert', 'Fake bank calls', 'Parcel texts']);
		assert.deepEqual(await titles('vic'), ['Short-lived', 'Bank partner alert', 'Fake bank calls', 'Parcel texts']);
		await get(`/api/v1/alerts/${A.green}`, 'anon', 404);
		await get(`/api/v1/alerts/${A.bank}`, 'anon', 404);
		await get('/api/v1/alerts/9999', 'anon', 404);
		const pub = (await get(`/api/v1/alerts/${A.clear}`, 'anon')).json;
		assert.equal(pub.title, 'Parcel texts');
		assert.equal('author' in pub, false, 'usernames stay inside the organisation');
		assert.equal((await get(`/api/v1/alerts/${A.bank}`, 'ann')).json.author, undefined);
		assert.equal((await get(`/api/v1/alerts/${A.green}`, 'vic')).json.author, 'ann');
		// the category filter and paging
		assert.deepEqual(await titles('bob', '?category=investment-fraud'), ['Fake bank calls']);
		const p1 = (await get('/api/v1/alerts?limit=3', 'bob')).json;
		assert.equal(p1.alerts.length, 3);
		assert.ok(Number.isInteger(p1.next));
		const p2 = (await get(`/api/v1/alerts?limit=3&cursor=${p1.next}`, 'bob')).json;
		assert.deepEqual(p2.alerts.map((a) => a.title), ['Parcel texts']);
		assert.equal(p2.next, null);
	});

	it('an expired alert is gone for everyone but its organisation', async () => {
		await sleep(3000);
		assert.deepEqual(await titles('anon'), ['Parcel texts']);
		assert.deepEqual(await titles('bob'), ['Bank partner alert', 'Fake bank calls', 'Parcel texts']);
		assert.deepEqual(await titles('ann'), ['Bank partner alert', 'Fake bank calls', 'Parcel texts']);
		assert.deepEqual(await titles('ann', '?all=1'), ['Short-lived', 'Bank partner alert', 'Fake bank calls', 'Parcel texts']);
		assert.deepEqual(await titles('bob', '?all=1'), ['Bank partner alert', 'Fake bank calls', 'Parcel texts']);
		await get(`/api/v1/alerts/${A.expiring}`, 'anon', 404);
		await get(`/api/v1/alerts/${A.expiring}`, 'bob', 404);
		const own = (await get(`/api/v1/alerts/${A.expiring}`, 'vic')).json;
		assert.equal(own.current, false);
		assert.equal(own.status, 'published');
	});

	it('every object of the alert bundles is valid STIX 2.1', async () => {
		const schemas = schemaDir();
		const files = [];
		for (const [id, who] of [[A.clear, 'anon'], [A.green, 'bob']]) {
			const r = await get(`/api/v1/alerts/${id}?format=stix`, who);
			assert.match(r.headers.get('content-type'), /^application\/stix\+json;version=2\.1/);
			const b = r.json;
			assert.equal(b.type, 'bundle');
			const report = b.objects.find((o) => o.type === 'report');
			assert.ok(report, 'a report object');
			const marking = b.objects.find((o) => o.type === 'marking-definition');
			assert.equal(marking.name, id === A.clear ? 'TLP:CLEAR' : 'TLP:GREEN');
			for (const o of b.objects) {
				if (o.type !== 'marking-definition') assert.deepEqual(o.object_marking_refs, [marking.id], `${o.id} carries the marking`);
			}
			const ids = new Set(b.objects.map((o) => o.id));
			for (const ref of report.object_refs) assert.ok(ids.has(ref), `object_refs ${ref} is in the bundle`);
			assert.equal(report.object_refs.length, b.objects.length - 2, 'the report refers to every object but the marking and itself');
			assert.ok(b.objects.some((o) => o.type === 'indicator' && o.pattern === "[domain-name:value = 'parcel-redeliver.example.com']"));
			assert.match(report.description, /phone \+447700900123/, 'indicators STIX has no object for are named');
			for (const o of b.objects.filter((x) => x.type === 'indicator'))
				assert.equal(o.valid_until, id === A.green ? '2099-01-01T00:00:00.000Z' : undefined, 'an expiring alert\'s indicators stop being valid then');
			const f = path.join(dir, `alert-${id}.json`);
			fs.writeFileSync(f, r.text);
			files.push(f);
		}
		await get(`/api/v1/alerts/${A.green}?format=stix`, 'anon', 404);
		if (schemas === null) {
			process.stderr.write('alerts: schema validation SKIPPED: no STIX 2.1 schemas (set CRIX_SHARED)\n');
			return;
		}
		const v = spawnSync('node', [path.join(ROOT, 'tests/system/stix-validate.mjs'), schemas, ...files], { encoding: 'utf8' });
		assert.equal(v.status, 0, `stix-validate: ${v.stdout}${v.stderr}`);
		assert.match(v.stdout, /report: 1/);
	});

	it('only the publishing organisation withdraws, once; then nobody else sees it', async () => {
		await post(`/api/v1/alerts/${A.clear}/withdraw`, undefined, 'bob', 403);
		await post(`/api/v1/alerts/${A.clear}/withdraw`, undefined, 'vic', 403);
		await post(`/api/v1/alerts/${A.clear}/withdraw`, undefined, 'anon', 401);
		await post(`/api/v1/alerts/9999/withdraw`, undefined, 'ann', 404);
		const w = await post(`/api/v1/alerts/${A.clear}/withdraw`, undefined, 'ann', 200);
		assert.equal(w.json.status, 'withdrawn');
		assert.ok(w.json.withdrawn);
		await post(`/api/v1/alerts/${A.clear}/withdraw`, undefined, 'ann', 409);
		assert.deepEqual(await titles('anon'), []);
		assert.deepEqual(await titles('bob'), ['Bank partner alert', 'Fake bank calls']);
		await get(`/api/v1/alerts/${A.clear}`, 'anon', 404);
		await get(`/api/v1/alerts/${A.clear}`, 'bob', 404);
		assert.equal((await get(`/api/v1/alerts/${A.clear}`, 'vic')).json.status, 'withdrawn');
		assert.deepEqual(await titles('ann', '?all=1'), ['Short-lived', 'Bank partner alert', 'Fake bank calls', 'Parcel texts']);
		// an instance admin may take down another organisation's alert
		await post(`/api/v1/alerts/${A.bank}/withdraw`, undefined, 'admin', 200);
		assert.deepEqual(await titles('ann'), ['Fake bank calls']);
	});

	it('publishing and withdrawing are audited, and alerts survive a restart', async () => {
		await srv.stop('SIGKILL');
		const v = crix(['audit', 'verify', '--data', dir]);
		assert.match(v.stdout, /\d+/);
		const rows = spawnSync('sqlite3', [path.join(dir, 'crix.db'), "SELECT action, object_id, actor FROM audit WHERE action LIKE 'alert.%' ORDER BY id"], { encoding: 'utf8' });
		assert.equal(rows.status, 0, rows.stderr);
		const lines = rows.stdout.trim().split('\n');
		assert.equal(lines.filter((l) => l.startsWith('alert.publish|')).length, 4);
		assert.ok(lines.some((l) => l.startsWith(`alert.withdraw|${A.clear}|user:`)), lines.join('\n'));
		assert.ok(lines.some((l) => l.startsWith(`alert.withdraw|${A.bank}|user:`)), lines.join('\n'));
		srv = await startServer(dir, ['--rate-limit', '1000000']);
		assert.deepEqual(await titles('bob'), ['Fake bank calls']);
		assert.deepEqual(await titles('ann', '?all=1'), ['Short-lived', 'Fake bank calls', 'Parcel texts']);
		assert.deepEqual(await titles('bob', '?all=1'), ['Bank partner alert', 'Fake bank calls']);
		srv.checkLog();
	});

	it('no answer was a 5xx', () => {
		const bad = seen.filter((s) => s.status >= 500);
		assert.deepEqual(bad.map((s) => `${s.what} ${s.status}`), []);
	});
});
