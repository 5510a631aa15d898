// cases.test.mjs - cases over real HTTP: the real binary ($CRIX), a real
// SQLite database in a scratch directory, accounts made with `crix admin`.
// Run through tests/system/cases.sh.  Covers the case view (reports,
// indicators, victims, losses with medians, categories, regions, first and
// last report, triage reasons), the graph, the triage queue order and the
// weights file, splits (by value and whole reports), merges, confirmation of
// an over-common value, roles, bad input, the audit entries, and that every
// analyst's decision survives a restart.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Accounts, startServer, req, expectStatus, seen, scratch, crix, killAll } from './serve-lib.mjs';

after(killAll);

describe('cases', () => {
	let srv;
	let dir;
	const T = {};
	const R = {}; // references by name

	async function submit(name, body) {
		const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { token: T.bank, json: body }), 201, `submit ${name}`);
		R[name] = r.json.reference;
		return r.json.reference;
	}
	const get = async (p, who = 'ann', want = 200) => expectStatus(await req(srv, 'GET', p, { token: T[who] }), want, `GET ${p} as ${who}`);
	const post = async (p, json, who = 'ann', want = 200) => expectStatus(await req(srv, 'POST', p, { token: T[who], json }), want, `POST ${p} as ${who}`);

	before(async () => {
		dir = scratch('cases');
		const acc = new Accounts(dir).init();
		acc.org('le', 'Metro Police Cyber Unit', 'law-enforcement', 'GB');
		acc.org('cert', 'National CERT', 'cert', 'GB');
		acc.org('bank', 'Example Bank', 'business', 'GB');
		acc.user('ann', 'cert', 'analyst');
		acc.user('inv', 'le', 'investigator');
		acc.user('view', 'cert', 'viewer');
		acc.user('bank', 'bank', 'analyst');
		for (const u of ['admin', 'ann', 'inv', 'view', 'bank']) T[u] = acc.token(u);
		srv = await startServer(dir, ['--rate-limit', '1000000']);

		// A and B share a phone, B and C a domain; D is alone; E shares
		// A's bank account.
		await submit('A', { kind: 'crime', category: 'investment-fraud', description: 'Called from +44 7700 900555, paid to GB82 WEST 1234 5698 7654 32',
			loss: { amount_minor: 100000, currency: 'GBP' }, victim: { type: 'person', region: 'London', vulnerable: true } });
		await submit('B', { kind: 'crime', category: 'investment-fraud', description: 'Same caller +44 7700 900555 sent me to https://gold-invest.example.com/x',
			loss: { amount_minor: 300000, currency: 'GBP' }, victim: { type: 'person', region: 'Kent' } });
		await submit('C', { kind: 'information', category: 'phishing', description: 'Mail pointing at gold-invest.example.com',
			victim: { type: 'person', region: 'Kent' } });
		await submit('D', { kind: 'crime', category: 'phishing', description: 'nothing that links here',
			loss: { amount_minor: 5000, currency: 'EUR' } });
		await submit('E', { kind: 'crime', category: 'investment-fraud', description: 'I paid GB82WEST12345698765432 as well',
			loss: { amount_minor: 200000, currency: 'GBP' } });
	});

	after(async () => {
		if (srv && srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop('SIGKILL');
	});

	it('a case shows its reports, indicators, victims, losses, categories, regions and triage reasons', async () => {
		const c = (await get(`/api/v1/cases/${R.C}`)).json;
		assert.equal(c.first_reference, R.A, 'a case is named after its first report, whichever report asks');
		assert.equal(c.size, 4);
		assert.deepEqual(c.reports.map((r) => r.reference).sort(), [R.A, R.B, R.C, R.E].sort());
		assert.equal(c.victims, 3, 'crime reports are victims; the information report is not');
		assert.equal(c.vulnerable_victims, 1);
		assert.deepEqual(c.losses, [{ currency: 'GBP', total_minor: 600000, median_minor: 200000, reports: 3 }]);
		assert.deepEqual(c.categories, { 'investment-fraud': 3, phishing: 1 });
		assert.deepEqual(c.regions, { London: 1, Kent: 2 });
		assert.ok(c.first_report <= c.last_report);
		assert.equal(c.first_report, c.reports.find((r) => r.reference === R.A).created);
		const types = c.indicators.map((i) => `${i.type} ${i.value} ${i.reports}`);
		assert.ok(types.includes('phone +447700900555 2'), types.join(', '));
		assert.ok(types.includes('iban GB82WEST12345698765432 2'), types.join(', '));
		assert.ok(types.includes('domain gold-invest.example.com 2'), types.join(', '));
		assert.equal(c.lines_of_enquiry, 2, 'the phone and the bank account');
		const factors = Object.fromEntries(c.triage.reasons.map((r) => [r.factor, r]));
		assert.equal(factors.victims.value, 3);
		assert.equal(factors.victims.points, 30);
		assert.equal(factors.vulnerable_victims.points, 15);
		assert.equal(factors.lines_of_enquiry.points, 12);
		assert.equal(factors.ongoing.value, 4);
		assert.ok(factors.recency.points > 19.9);
		const sum = c.triage.reasons.reduce((s, r) => s + r.points, 0);
		assert.ok(Math.abs(sum - c.triage.score) < 0.05, `score ${c.triage.score} is the sum of its reasons ${sum}`);
		// losses by order of magnitude: 8 * log10(1 + 6000)
		assert.ok(Math.abs(factors.losses.points - 8 * Math.log10(6001)) < 0.01);
	});

	it('the graph has reports and indicators as nodes and holdings as edges', async () => {
		const g = (await get(`/api/v1/cases/${R.A}/graph`)).json;
		assert.equal(g.first_reference, R.A);
		const reports = g.nodes.filter((n) => n.kind === 'report').map((n) => n.id).sort();
		assert.deepEqual(reports, [R.A, R.B, R.C, R.E].sort());
		const phone = g.nodes.find((n) => n.kind === 'indicator' && n.type === 'phone');
		const holders = g.edges.filter((e) => e.to === phone.id && e.kind === 'holds').map((e) => e.from).sort();
		assert.deepEqual(holders, [R.A, R.B].sort());
		const ids = new Set(g.nodes.map((n) => n.id));
		for (const e of g.edges) assert.ok(ids.has(e.from) && ids.has(e.to), `edge ${JSON.stringify(e)} names a node`);
	});

	it('the triage queue puts the linked case first and explains each score', async () => {
		const q = (await get('/api/v1/cases?order=triage')).json;
		assert.equal(q.total, 2);
		assert.deepEqual(q.cases.map((c) => c.first_reference), [R.A, R.D]);
		assert.ok(q.cases[0].triage.score > q.cases[1].triage.score);
		assert.equal(q.next, null);
		const p1 = (await get('/api/v1/cases?order=triage&limit=1')).json;
		assert.equal(p1.cases.length, 1);
		assert.equal(p1.next, 1);
		const p2 = (await get(`/api/v1/cases?order=triage&limit=1&cursor=${p1.next}`)).json;
		assert.equal(p2.cases[0].first_reference, R.D);
		// a closed report leaves the queue
		await post(`/api/v1/reports/${R.D}/status`, { status: 'closed' });
		assert.deepEqual((await get('/api/v1/cases')).json.cases.map((c) => c.first_reference), [R.A]);
	});

	it('who may see and decide: staff read, analysts decide, businesses and the public neither', async () => {
		await get(`/api/v1/cases/${R.A}`, 'inv');
		await get(`/api/v1/cases/${R.A}`, 'view');
		await get(`/api/v1/cases/${R.A}`, 'bank', 403);
		await get('/api/v1/cases', 'bank', 403);
		expectStatus(await req(srv, 'GET', `/api/v1/cases/${R.A}`), 401, 'anonymous');
		await post(`/api/v1/cases/${R.A}/split`, { report: R.E }, 'view', 403);
		await post(`/api/v1/cases/${R.A}/split`, { report: R.E }, 'inv', 403);
		await post(`/api/v1/cases/${R.A}/merge`, { case: R.D }, 'bank', 403);
	});

	it('bad input gets a 4xx naming the field', async () => {
		const bad = [
			['GET', '/api/v1/cases?order=newest', undefined, 400, 'order'],
			['GET', '/api/v1/cases?limit=0', undefined, 400, 'limit'],
			['GET', '/api/v1/cases/CRX26XXXXXXXXX', undefined, 400, 'id'],
			['POST', `/api/v1/cases/${R.A}/split`, {}, 400, 'report'],
			['POST', `/api/v1/cases/${R.A}/split`, { report: R.D }, 400, 'report'],
			['POST', `/api/v1/cases/${R.A}/split`, { report: R.B, type: 'phone', value: 'not a phone' }, 400, 'value'],
			['POST', `/api/v1/cases/${R.A}/split`, { report: R.C, type: 'phone', value: '+44 7700 900555' }, 400, 'value'],
			['POST', `/api/v1/cases/${R.A}/split`, { report: R.B, type: 'colour', value: 'red' }, 400, 'type'],
			['POST', `/api/v1/cases/${R.A}/split`, { report: R.B, note: 7 }, 400, 'note'],
			['POST', `/api/v1/cases/${R.A}/merge`, { case: R.B }, 409, 'case'],
			['POST', `/api/v1/cases/${R.A}/merge`, {}, 400, 'case'],
			['POST', `/api/v1/cases/${R.A}/confirm`, { type: 'phone', value: '+447700900555' }, 409, 'value'],
		];
		for (const [m, p, json, want, field] of bad) {
			const r = expectStatus(await req(srv, m, p, { token: T.ann, json }), want, `${m} ${p} ${JSON.stringify(json)}`);
			assert.equal(r.json.error.field, field, `${m} ${p}: field`);
		}
		const r = expectStatus(await req(srv, 'POST', `/api/v1/cases/${R.A}/split`, { token: T.ann, body: '{"report":', type: 'application/json' }), 400, 'broken JSON');
		assert.match(r.json.error.message, /line 1/);
	});

	let beforeRestart;
	it('splits and merges re-form the cases at once, and are audited', async () => {
		// B no longer links through the phone: A+E and B+C
		let r = (await post(`/api/v1/cases/${R.A}/split`, { report: R.B, type: 'phone', value: '+44 7700 900555', note: 'a spoofed caller id' })).json;
		assert.ok(r.decision > 0);
		assert.deepEqual(r.case.first_reference, R.A);
		assert.equal(r.case.size, 2);
		assert.equal(r.report_case.first_reference, R.B);
		assert.equal(r.report_case.size, 2);
		// E is taken out of its case entirely
		r = (await post(`/api/v1/cases/${R.A}/split`, { report: R.E })).json;
		assert.equal(r.case.size, 1);
		assert.equal(r.report_case.first_reference, R.E);
		assert.equal(r.report_case.size, 1);
		// the analyst joins D's case (no shared value) to B's
		r = (await post(`/api/v1/cases/${R.D}/merge`, { case: R.C, note: 'same modus operandi' })).json;
		assert.equal(r.case.first_reference, R.B);
		assert.equal(r.case.size, 3);
		const g = (await get(`/api/v1/cases/${R.B}/graph`)).json;
		assert.ok(g.edges.some((e) => e.kind === 'linked'), 'the merge is an edge of the graph');
		// a new report holding the phone still does not join B
		await submit('F', { kind: 'crime', category: 'investment-fraud', description: 'they rang from +447700900555' });
		assert.equal((await get(`/api/v1/cases/${R.F}`)).json.first_reference, R.A);
		// a new report with E's bank account joins A, never E
		await submit('G', { kind: 'crime', category: 'investment-fraud', description: 'paid GB82WEST12345698765432' });
		assert.equal((await get(`/api/v1/cases/${R.G}`)).json.first_reference, R.A);
		assert.equal((await get(`/api/v1/cases/${R.E}`)).json.size, 1);
		beforeRestart = {};
		for (const k of Object.keys(R)) {
			const c = (await get(`/api/v1/cases/${R[k]}`)).json;
			beforeRestart[k] = `${c.id}/${c.size}`;
		}
	});

	it('an over-common value stops linking until an analyst confirms it', async () => {
		// 51 reports share one number (the cap is 50): it stops linking
		const refs = [];
		for (let i = 0; i < 51; i++) {
			const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { token: T.bank, json: { kind: 'crime', category: 'phishing', description: `call centre +44 20 7946 0999 case ${i}` } }), 201, 'submit common');
			refs.push(r.json.reference);
		}
		assert.equal((await get(`/api/v1/cases/${refs[0]}`)).json.size, 1);
		await post(`/api/v1/cases/${refs[0]}/confirm`, { type: 'phone', value: '+442079460999' }, 'view', 403);
		const r = (await post(`/api/v1/cases/${refs[0]}/confirm`, { type: 'phone', value: '+44 20 7946 0999', note: 'one boiler room' })).json;
		assert.equal(r.case.size, 51);
		await post(`/api/v1/cases/${refs[0]}/confirm`, { type: 'phone', value: '+442079460999' }, 'ann', 409);
		R.common = refs[0];
		beforeRestart.common = `${r.case.id}/51`;
	});

	it('every decision is in the audit chain', async () => {
		const v = crix(['audit', '--data', dir, 'verify'], { allowFail: true });
		assert.equal(v.status, 0, v.stdout + v.stderr);
	});

	it('the decisions survive a restart, and the weights come from the file given', async () => {
		const text = seen.filter((s) => s.status >= 500);
		assert.deepEqual(text, [], 'no 5xx');
		srv.checkLog();
		await srv.stop('SIGKILL');
		const wfile = path.join(dir, 'weights.json');
		fs.writeFileSync(wfile, JSON.stringify({ victim: 1, loss: 0, vulnerable: 0, recency: 0, ongoing: 0, enquiry: 0 }));
		srv = await startServer(dir, ['--rate-limit', '1000000', '--triage', wfile]);
		for (const k of Object.keys(beforeRestart)) {
			const c = (await get(`/api/v1/cases/${R[k]}`)).json;
			assert.equal(`${c.id}/${c.size}`, beforeRestart[k], `case of ${k} after the restart`);
		}
		const c = (await get(`/api/v1/cases/${R.common}`)).json;
		assert.equal(c.triage.score, 51, 'one point per victim, nothing else');
		await srv.stop('SIGKILL');
		// a bad weights file stops the start with a message naming it
		fs.writeFileSync(wfile, '{"victim": -1}');
		const bad = crix(['serve', '--data', dir, '--listen', '127.0.0.1:0', '--catalogue', path.join(path.dirname(new URL(import.meta.url).pathname), '../../data'), '--triage', wfile], { allowFail: true });
		assert.equal(bad.status, 2);
		assert.match(bad.stderr, /weights\.json: victim/);
	});
});
