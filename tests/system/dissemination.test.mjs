// dissemination.test.mjs - case work over real HTTP: the real binary ($CRIX),
// a real SQLite database, accounts made with `crix admin`, a jurisdiction
// rules file.  Run through tests/system/dissemination.sh.  Covers stable
// case ids (merge: the older id survives and the other answers 308; split:
// the part without the oldest report gets a new id), the viability review,
// the recipient chosen by the rules (and skipped rules), dissemination
// through the report workflow (the victim's tracking shows it), the crime
// package as JSON and as a printable page (victim data only for
// law-enforcement investigators, other organisations 403), outcomes per
// suspect (tracking shows them), the case-work statistics (API and crix
// stats --casework, public suppression), a case of 1005 reports moved whole,
// the suspect's country from a phone number, the case's history (GET
// .../decisions), bad input naming the field, and that everything survives
// a kill -9 and restart.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Accounts, CATALOGUE, startServer, req, expectStatus, seen, scratch, crix, killAll } from './serve-lib.mjs';

after(killAll);

const CASE_RE = /^CASE-\d{4}-\d{6}$/;

describe('dissemination', () => {
	let srv;
	let dir;
	let rules;
	const T = {};
	const R = {}; // name -> {reference, tracking_secret}
	const C = {}; // name -> case id

	async function submit(name, body, token) {
		const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { token, json: body }), 201, `submit ${name}`);
		R[name] = r.json;
		return r.json.reference;
	}
	const get = async (p, who = 'ann', want = 200) => expectStatus(await req(srv, 'GET', p, { token: T[who] }), want, `GET ${p} as ${who}`);
	const post = async (p, json, who = 'ann', want = 200) => expectStatus(await req(srv, 'POST', p, { token: T[who], json }), want, `POST ${p} as ${who}`);
	const track = async (name) => expectStatus(await req(srv, 'GET', `/api/v1/track/${R[name].reference}`, { secret: R[name].tracking_secret }), 200, `track ${name}`).json;
	const start = () => startServer(dir, ['--rate-limit', '1000000', '--jurisdictions', rules]);

	before(async () => {
		dir = scratch('dissemination');
		const acc = new Accounts(dir).init();
		acc.org('le', 'Metro Police Cyber Unit', 'law-enforcement', 'GB');
		acc.org('le2', 'Other Force', 'law-enforcement', 'GB');
		acc.org('cert', 'National CERT', 'cert', 'GB');
		acc.org('bank', 'Example Bank', 'business', 'GB');
		acc.user('ann', 'cert', 'analyst');
		acc.user('view', 'cert', 'viewer');
		acc.user('inv', 'le', 'investigator');
		acc.user('inv2', 'le2', 'investigator');
		acc.user('bank', 'bank', 'analyst');
		for (const u of ['admin', 'ann', 'view', 'inv', 'inv2', 'bank']) T[u] = acc.token(u);
		rules = path.join(dir, 'rules.json');
		fs.writeFileSync(rules, JSON.stringify({
			rules: [
				{ name: 'Victims in London', victim_region: ['London'], org: 'Metro Police Cyber Unit' },
				{ name: 'Phishing to a force that does not exist', category: ['phishing'], org: 'No Such Force' },
				{ name: 'Money to Lithuania', suspect_country: ['LT'], org: 'National CERT' },
			],
			fallback: { org: 'Other Force' },
		}));
		srv = await start();
		// A and B share a phone (one case); A's victim is in London.
		await submit('A', { kind: 'crime', category: 'investment-fraud', description: 'Called from +44 7700 900555 <script>alert(1)</script>',
			loss: { amount_minor: 100000, currency: 'GBP' }, victim: { type: 'person', name: 'Alice Victim', email: 'alice@home.example', region: 'London' } });
		const fd = new FormData();
		fd.append('report', JSON.stringify({ kind: 'crime', category: 'investment-fraud', description: 'Same caller +44 7700 900555',
			victim: { type: 'person', name: 'Bob Victim', region: 'Kent' } }));
		const shot = Buffer.from('a screenshot of the call log');
		fd.append('evidence', new Blob([shot], { type: 'text/plain' }), 'calls.txt');
		const res = await fetch(`${srv.base}/api/v1/reports`, { method: 'POST', body: fd });
		R.B = await res.json();
		assert.equal(res.status, 201, JSON.stringify(R.B));
		R.B.sha = crypto.createHash('sha256').update(shot).digest('hex');
		// C is a phishing report of its own, paid to a Lithuanian account.
		await submit('C', { kind: 'crime', category: 'phishing', description: 'Paid LT12 1000 0111 0100 1000 to a fake shop', victim: { type: 'person', region: 'Kent' } });
		// D and E are separate cases, merged and split below.
		await submit('D', { kind: 'crime', category: 'phishing', description: 'Text from +44 7700 900777' });
		await submit('E', { kind: 'crime', category: 'phishing', description: 'Text from +44 7700 900888' });
	});

	after(async () => {
		if (srv && srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop('SIGKILL');
	});

	it('a case has a stable id; the old form (a report reference) still works', async () => {
		const a = (await get(`/api/v1/cases/${R.A.reference}`)).json;
		assert.match(a.id, CASE_RE);
		assert.equal(a.first_reference, R.A.reference);
		assert.equal(a.size, 2);
		assert.equal((await get(`/api/v1/cases/${R.B.reference}`)).json.id, a.id, 'whichever report asks');
		assert.equal((await get(`/api/v1/cases/${a.id}`)).json.id, a.id);
		assert.equal((await get(`/api/v1/cases/${a.id.toLowerCase()}`)).json.id, a.id);
		assert.equal((await get(`/api/v1/cases/${a.id}/graph`)).json.id, a.id);
		C.A = a.id;
		for (const k of ['C', 'D', 'E']) C[k] = (await get(`/api/v1/cases/${R[k].reference}`)).json.id;
		assert.equal(new Set(Object.values(C)).size, 4, 'four cases, four ids');
		const q = (await get('/api/v1/cases')).json;
		assert.ok(q.cases.every((c) => CASE_RE.test(c.id)));
		await get('/api/v1/cases/CASE-2026-999999', 'ann', 404);
	});

	it('merging keeps the older id; the other answers 308 with the survivor', async () => {
		const older = C.D < C.E ? 'D' : 'E';
		const younger = older === 'D' ? 'E' : 'D';
		const r = (await post(`/api/v1/cases/${C[younger]}/merge`, { case: C[older], note: 'same sender' })).json;
		assert.equal(r.case.id, C[older], 'the older case id survives');
		const res = await fetch(`${srv.base}/api/v1/cases/${C[younger]}/graph`, { headers: { Authorization: `Bearer ${T.ann}` }, redirect: 'manual' });
		assert.equal(res.status, 308);
		assert.equal(res.headers.get('location'), `/api/v1/cases/${C[older]}/graph`);
		const j = await res.json();
		assert.equal(j.merged_into, C[older]);
		// fetch follows it
		assert.equal((await get(`/api/v1/cases/${C[younger]}`)).json.id, C[older]);
		// split the younger report off: it gets a new id, the rest keeps the old one
		const s = (await post(`/api/v1/cases/${C[older]}/split`, { report: R[younger].reference })).json;
		assert.equal(s.case.id, C[older]);
		assert.match(s.report_case.id, CASE_RE);
		assert.notEqual(s.report_case.id, C[older]);
		assert.notEqual(s.report_case.id, C[younger], 'a new id, not the merged one revived');
		C.split = s.report_case.id;
		C.younger = C[younger];
	});

	it('reviews: analysts only, bad input names the field', async () => {
		for (const who of ['view', 'inv', 'bank']) await post(`/api/v1/cases/${C.A}/review`, { viable: true, reason: 'x' }, who, 403);
		const bad = [
			[{ reason: 'x' }, 'viable'],
			[{ viable: 'yes', reason: 'x' }, 'viable'],
			[{ viable: true }, 'reason'],
			[{ viable: true, reason: 'x', colour: 1 }, 'colour'],
			[{ viable: true, reason: 'x', lines_of_enquiry: {} }, 'lines_of_enquiry'],
			[{ viable: true, reason: 'x', lines_of_enquiry: [{ kind: 'pigeon', value: 'x' }] }, 'lines_of_enquiry[0].kind'],
			[{ viable: true, reason: 'x', lines_of_enquiry: [{ kind: 'phone' }] }, 'lines_of_enquiry[0].value'],
		];
		for (const [body, field] of bad) {
			const r = await post(`/api/v1/cases/${C.A}/review`, body, 'ann', 400);
			assert.equal(r.json.error.field, field, JSON.stringify(body));
		}
		// not viable: dissemination is refused
		await post(`/api/v1/cases/${C.A}/review`, { viable: false, reason: 'nothing to go on yet' });
		const r = await post(`/api/v1/cases/${C.A}/disseminate`, {}, 'ann', 409);
		assert.match(r.json.error.message, /viable/);
		const ok = (await post(`/api/v1/cases/${C.A}/review`, { viable: true, reason: 'a phone and a bank account to trace',
			lines_of_enquiry: [{ kind: 'phone', value: '+447700900555', note: 'caller' }, { kind: 'account', value: 'GB82WEST12345698765432' }] })).json;
		assert.equal(ok.case, C.A);
		assert.equal(ok.review.viable, true);
		assert.equal(ok.review.lines_of_enquiry.length, 2);
		const c = (await get(`/api/v1/cases/${C.A}`)).json;
		assert.equal(c.review.viable, true, 'the case view shows the latest review');
	});

	it('the jurisdiction rules choose the recipient and say why', async () => {
		const j = (await get(`/api/v1/cases/${C.A}/jurisdiction`)).json;
		assert.equal(j.recipient.name, 'Metro Police Cyber Unit');
		assert.equal(j.rule.name, 'Victims in London');
		assert.equal(j.rule.index, 0);
		assert.deepEqual(j.facts.victim_region.sort(), ['Kent', 'London']);
		assert.ok(j.facts.article.includes('budapest:8'), JSON.stringify(j.facts));
		// the caller's number gives the suspect's country, and says so
		assert.deepEqual(j.facts.suspect_country, ['GB']);
		assert.deepEqual(j.suspect_countries, [{ country: 'GB', type: 'phone', value: '+447700900555', ambiguous: false }]);
		// C: the phishing rule names a missing force, the LT rule a CERT: both skipped
		const c = (await get(`/api/v1/cases/${C.C}/jurisdiction`)).json;
		assert.deepEqual(c.facts.suspect_country, ['LT']);
		assert.deepEqual(c.suspect_countries.map((x) => `${x.country} ${x.type}`), ['LT iban']);
		assert.equal(c.recipient.name, 'Other Force');
		assert.equal(c.rule.index, -1, 'the fallback');
		assert.equal(c.skipped.length, 2, JSON.stringify(c.skipped));
		assert.match(c.skipped[0].rule, /rules\[1\]/);
		assert.match(c.skipped[1].reason, /not law-enforcement/);
		await get(`/api/v1/cases/${C.A}/jurisdiction`, 'bank', 403);
	});

	it('dissemination: analysts only, recipient checked, reports move and victims see it', async () => {
		await post(`/api/v1/cases/${C.A}/disseminate`, {}, 'view', 403);
		await post(`/api/v1/cases/${C.A}/disseminate`, {}, 'inv', 403);
		let r = await post(`/api/v1/cases/${C.A}/disseminate`, { recipient: 'National CERT', reason: 'x' }, 'ann', 400);
		assert.equal(r.json.error.field, 'recipient');
		r = await post(`/api/v1/cases/${C.A}/disseminate`, { recipient: 'Nobody' }, 'ann', 400);
		assert.equal(r.json.error.field, 'recipient');
		r = await post(`/api/v1/cases/${C.A}/disseminate`, { recipient: 'Other Force' }, 'ann', 400);
		assert.equal(r.json.error.field, 'reason', 'overriding the rules needs a reason');
		r = await post(`/api/v1/cases/${C.A}/disseminate`, { recipient: 7 }, 'ann', 400);
		assert.equal(r.json.error.field, 'recipient');
		// outcomes before any dissemination are refused
		await post(`/api/v1/cases/${C.A}/outcomes`, { suspect: 'S1', outcome: 'charged', date: '2026-01-05' }, 'inv', 409);
		r = await post(`/api/v1/cases/${C.A}/disseminate`, { note: 'urgent: ongoing calls' }, 'ann', 201);
		assert.equal(r.json.dissemination.recipient.name, 'Metro Police Cyber Unit');
		assert.equal(r.json.dissemination.overridden, false);
		assert.equal(r.json.reports.length, 2);
		assert.ok(r.json.reports.every((x) => x.status === 'disseminated' && x.moved), JSON.stringify(r.json.reports));
		for (const k of ['A', 'B']) {
			const t = await track(k);
			assert.equal(t.status, 'disseminated');
			assert.ok(t.history.some((h) => h.status === 'disseminated' && /Metro Police Cyber Unit/.test(JSON.stringify(h))), JSON.stringify(t.history));
			assert.ok(!/urgent/.test(JSON.stringify(t)), 'the internal note is not shown to the victim');
		}
		const staff = (await get(`/api/v1/reports/${R.A.reference}`)).json;
		assert.equal(staff.status, 'disseminated');
	});

	it('the crime package: recipient and reporting centre only; victim data for investigators, audited', async () => {
		const p = (await get(`/api/v1/cases/${C.A}/package`, 'inv')).json;
		assert.equal(p.case, C.A);
		assert.equal(p.victim_data, true);
		assert.equal(p.reports.length, 2);
		const a = p.reports.find((x) => x.reference === R.A.reference);
		assert.equal(a.victim.name, 'Alice Victim');
		assert.equal(a.region, 'London');
		assert.equal(a.loss.amount_minor, 100000);
		assert.ok(p.indicators.some((i) => i.type === 'phone' && i.value === '+447700900555' && i.reports.length === 2), JSON.stringify(p.indicators));
		assert.deepEqual(p.evidence.map((e) => [e.report, e.name, e.sha256]), [[R.B.reference, 'calls.txt', R.B.sha]]);
		assert.equal(p.review.viable, true);
		assert.equal(p.lines_of_enquiry.length, 2);
		assert.equal(p.disseminations.length, 1);
		const cert = (await get(`/api/v1/cases/${C.A}/package`, 'ann')).json;
		assert.equal(cert.victim_data, false);
		assert.ok(!JSON.stringify(cert).includes('Alice'), 'no victim data for an analyst');
		await get(`/api/v1/cases/${C.A}/package`, 'inv2', 403);
		await get(`/api/v1/cases/${C.A}/package`, 'bank', 403);
		await get(`/api/v1/cases/${C.A}/outcomes`, 'inv2', 403);
		expectStatus(await req(srv, 'GET', `/api/v1/cases/${C.A}/package`), 401, 'anonymous');
		// the printable page
		for (const opts of [{ q: '?format=html', h: {} }, { q: '', h: { Accept: 'text/html,application/xhtml+xml' } }]) {
			const r = expectStatus(await req(srv, 'GET', `/api/v1/cases/${C.A}/package${opts.q}`, { token: T.inv, headers: opts.h }), 200, 'html');
			assert.match(r.headers.get('content-type'), /^text\/html/);
			assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
			assert.ok(!/<script/i.test(r.text), 'no script, and the report text is escaped');
			assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
			assert.match(r.text, /@media print/);
			assert.ok(r.text.includes(R.B.sha));
			assert.ok(r.text.includes('Alice Victim'));
		}
		const bad = await get(`/api/v1/cases/${C.A}/package?format=pdf`, 'inv', 400);
		assert.equal(bad.json.error.field, 'format');
		// every read of victim data is in the audit chain
		const v = crix(['audit', '--data', dir, 'verify'], { allowFail: true });
		assert.equal(v.status, 0, v.stdout + v.stderr);
		const n = execFileSync('sqlite3', [path.join(dir, 'crix.db'), "SELECT count(*) FROM audit WHERE action = 'report.read-victim'"], { encoding: 'utf8' });
		assert.ok(Number(n.trim()) >= 6, `package reads audited: ${n}`);
	});

	it('outcomes per suspect by the receiving investigator; victims see them', async () => {
		await post(`/api/v1/cases/${C.A}/outcomes`, { suspect: 'S1', outcome: 'charged', date: '2026-01-05' }, 'ann', 403);
		await post(`/api/v1/cases/${C.A}/outcomes`, { suspect: 'S1', outcome: 'charged', date: '2026-01-05' }, 'inv2', 403);
		const bad = [
			[{ outcome: 'charged', date: '2026-01-05' }, 'suspect'],
			[{ suspect: 'S1', outcome: 'hanged', date: '2026-01-05' }, 'outcome'],
			[{ suspect: 'S1', outcome: 'charged', date: '5 Jan' }, 'date'],
			[{ suspect: 'S1', outcome: 'charged', date: '2999-01-05' }, 'date'],
			[{ suspect: 'S1', outcome: 'charged', date: '2026-01-05', legal_article: 7 }, 'legal_article'],
			[{ suspect: 'S1', outcome: 'charged', date: '2026-01-05', extra: 1 }, 'extra'],
		];
		for (const [body, field] of bad) {
			const r = await post(`/api/v1/cases/${C.A}/outcomes`, body, 'inv', 400);
			assert.equal(r.json.error.field, field, JSON.stringify(body));
		}
		let r = (await post(`/api/v1/cases/${C.A}/outcomes`, { suspect: 'S1', outcome: 'charged', date: '2026-01-05', legal_article: 'Directive 2013/40/EU Art. 4', note: 'remanded' }, 'inv', 201)).json;
		assert.equal(r.outcome.outcome, 'charged');
		assert.ok(r.reports.every((x) => x.status === 'outcome' && x.moved), JSON.stringify(r.reports));
		r = (await post(`/api/v1/cases/${C.A}/outcomes`, { suspect: 'S1', outcome: 'convicted', date: '2026-03-10', legal_article: 'Directive 2013/40/EU Art. 4' }, 'inv', 201)).json;
		assert.ok(r.reports.every((x) => x.status === 'outcome' && !x.moved), 'already at outcome');
		await post(`/api/v1/cases/${C.A}/outcomes`, { suspect: 'S2', outcome: 'cautioned', date: '2026-03-11' }, 'inv', 201);
		const list = (await get(`/api/v1/cases/${C.A}/outcomes`, 'inv')).json;
		assert.deepEqual(list.outcomes.map((o) => `${o.suspect} ${o.outcome}`), ['S1 charged', 'S1 convicted', 'S2 cautioned']);
		for (const k of ['A', 'B']) {
			const t = await track(k);
			assert.equal(t.status, 'outcome');
			assert.equal(t.outcome, 'judicial');
			assert.ok(JSON.stringify(t.history).includes('A suspect has been charged.'));
			assert.ok(!JSON.stringify(t).includes('S1'), 'the victim is not told who');
		}
	});

	it('statistics count cases, disseminations, outcomes, persons prosecuted and convicted', async () => {
		// C goes to the fallback force too (another case, another article)
		await post(`/api/v1/cases/${C.C}/review`, { viable: true, reason: 'an account abroad' });
		await post(`/api/v1/cases/${C.C}/disseminate`, {}, 'ann', 201);
		let s = (await get('/api/v1/stats?measure=casework&group_by=article')).json;
		assert.equal(s.measure, 'casework');
		const art4 = s.rows.find((x) => x.article === 'Directive 2013/40/EU Art. 4');
		assert.equal(art4.prosecuted, 1, 'one person prosecuted (charged, then convicted)');
		assert.equal(art4.convicted, 1);
		assert.equal(art4.outcomes, 2);
		assert.deepEqual({ cases: s.total.cases, disseminations: s.total.disseminations, outcomes: s.total.outcomes, prosecuted: s.total.prosecuted, convicted: s.total.convicted, reviews: s.total.reviews },
			{ cases: 2, disseminations: 2, outcomes: 3, prosecuted: 1, convicted: 1, reviews: 3 });
		s = (await get('/api/v1/stats?measure=casework&group_by=category,month')).json;
		assert.ok(s.rows.some((x) => x.category === 'phishing' && x.disseminations === 1), JSON.stringify(s.rows));
		s = (await get('/api/v1/stats?measure=casework&group_by=outcome')).json;
		assert.deepEqual(s.rows.map((x) => `${x.outcome}:${x.outcomes}`), ['cautioned:1', 'charged:1', 'convicted:1']);
		// the public: small cells suppressed, no total
		const pub = expectStatus(await req(srv, 'GET', '/api/v1/stats?measure=casework&group_by=article'), 200, 'public').json;
		assert.equal(pub.total, null);
		assert.ok(pub.rows.every((x) => x.suppressed === true && x.cases === null));
		for (const [q, field] of [['group_by=colour', 'group_by'], ['group_by=article,month,year', 'group_by'], ['from=yesterday', 'from'], ['format=svg', 'format'], ['category=phishing', 'category']]) {
			const r = await get(`/api/v1/stats?measure=casework&${q}`, 'ann', 400);
			assert.equal(r.json.error.field, field, q);
		}
		assert.equal((await get('/api/v1/stats?measure=bogus', 'ann', 400)).json.error.field, 'measure');
		// crix stats gives the same figures from the store
		const out = crix(['stats', '--data', dir, '--casework', '--by', 'article', '--format', 'json']);
		const cli = JSON.parse(out.stdout);
		assert.deepEqual(cli.total, (await get('/api/v1/stats?measure=casework')).json.total);
		const table = crix(['stats', '--data', dir, '--casework', '--by', 'outcome']);
		assert.match(table.stdout, /convicted/);
		const bad = crix(['stats', '--data', dir, '--casework', '--by', 'colour'], { allowFail: true });
		assert.equal(bad.status, 2);
		assert.match(bad.stderr, /article, category, month, year, outcome/);
	});

	it('a case of more than 1000 reports is disseminated whole, in one transaction', async () => {
		// 1005 reports in a chain: report i names the numbers i and i + 1,
		// so each number links two reports (never over-common) and all are one case
		const N = 1005;
		const num = (i) => `+44 7711 9${String(i).padStart(5, '0')}`; // no other report's numbers
		const lines = [];
		for (let i = 0; i < N; i++) lines.push(JSON.stringify({ category: 'investment-fraud', description: `Calls from ${num(i)} and ${num(i + 1)}` }));
		const b = expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bank, body: `${lines.join('\n')}\n`, type: 'application/x-ndjson' }), 200, 'bulk');
		assert.equal(b.json.accepted, N, JSON.stringify(b.json.results.filter((x) => x.error).slice(0, 3)));
		const first = b.json.results[0].reference;
		const c = (await get(`/api/v1/cases/${first}`)).json;
		assert.equal(c.size, N);
		await post(`/api/v1/cases/${c.id}/review`, { viable: true, reason: 'one boiler room' });
		const r = await post(`/api/v1/cases/${c.id}/disseminate`, { recipient: 'Other Force', reason: 'the national desk' }, 'ann', 201);
		assert.equal(r.json.reports.length, N, 'every report, not the first 1000');
		assert.ok(r.json.reports.every((x) => x.moved && x.status === 'disseminated'));
		const last = b.json.results[N - 1].reference;
		assert.equal((await get(`/api/v1/reports/${last}`)).json.status, 'disseminated', 'the 1005th report moved');
		// again: nothing left to move, and the answer says so for each
		const again = await post(`/api/v1/cases/${c.id}/disseminate`, { recipient: 'Other Force', reason: 'again' }, 'ann', 201);
		assert.ok(again.json.reports.every((x) => !x.moved && x.status === 'disseminated'));
	});

	it('the history: decisions, reviews, disseminations and outcomes, newest first, with who and why', async () => {
		const h = (await get(`/api/v1/cases/${C.A}/decisions`)).json;
		assert.equal(h.case, C.A);
		assert.equal(h.total, h.entries.length);
		assert.equal(h.next, null);
		const ats = h.entries.map((e) => e.at);
		assert.deepEqual(ats, [...ats].sort().reverse(), 'newest first');
		const kinds = new Set(h.entries.map((e) => e.kind));
		for (const k of ['review', 'dissemination', 'outcome']) assert.ok(kinds.has(k), `${k} in ${JSON.stringify(h.entries)}`);
		const rv = h.entries.find((e) => e.kind === 'review');
		assert.equal(rv.who.user, 'ann');
		assert.equal(rv.who.org, 'National CERT');
		assert.match(rv.what, /^reviewed: (not )?viable/);
		assert.ok(rv.reason && rv.reason.length > 0, 'the review\'s reason');
		const d = h.entries.find((e) => e.kind === 'dissemination');
		assert.match(d.what, /disseminated to Metro Police Cyber Unit/);
		const o = h.entries.find((e) => e.kind === 'outcome');
		assert.equal(o.who.org, 'Metro Police Cyber Unit');
		// the merged case: the merge with the analyst's note; the split
		// shows in the case of the report split off
		const older = C.D < C.E ? 'D' : 'E';
		const m = (await get(`/api/v1/cases/${C[older]}/decisions`)).json;
		const merge = m.entries.find((e) => e.kind === 'merge');
		assert.ok(merge, JSON.stringify(m));
		assert.equal(merge.who.user, 'ann');
		assert.equal(merge.reason, 'same sender');
		assert.match(merge.what, new RegExp(`merged the cases of (${R.D.reference}|${R.E.reference}) and`));
		const sp = (await get(`/api/v1/cases/${C.split}/decisions`)).json;
		assert.ok(sp.entries.some((e) => e.kind === 'split' && /links through nothing/.test(e.what)), JSON.stringify(sp));
		// paged
		const p1 = (await get(`/api/v1/cases/${C.A}/decisions?limit=1`)).json;
		assert.equal(p1.entries.length, 1);
		assert.equal(p1.next, 1);
		assert.deepEqual(p1.entries[0], h.entries[0]);
		const p2 = (await get(`/api/v1/cases/${C.A}/decisions?limit=1&cursor=${p1.next}`)).json;
		assert.deepEqual(p2.entries[0], h.entries[1]);
		const bad = await get(`/api/v1/cases/${C.A}/decisions?limit=0`, 'ann', 400);
		assert.equal(bad.json.error.field, 'limit');
		// a merged id answers 308 with the survivor's history
		const res = await fetch(`${srv.base}/api/v1/cases/${C.younger}/decisions`, { headers: { Authorization: `Bearer ${T.ann}` }, redirect: 'manual' });
		assert.equal(res.status, 308);
		assert.equal(res.headers.get('location'), `/api/v1/cases/${C.split}/decisions`);
		// the readers of the case: staff of the reporting side, as GET /cases/{id}
		for (const who of ['view', 'inv', 'bank']) {
			const want = (await req(srv, 'GET', `/api/v1/cases/${C.A}`, { token: T[who] })).status;
			await get(`/api/v1/cases/${C.A}/decisions`, who, want);
		}
		await get(`/api/v1/cases/${C.A}/decisions`, 'bank', 403);
	});

	it('everything survives kill -9 and a restart', async () => {
		assert.deepEqual(seen.filter((s) => s.status >= 500), [], 'no 5xx');
		srv.checkLog();
		await srv.stop('SIGKILL');
		srv = await start();
		const a = (await get(`/api/v1/cases/${R.B.reference}`)).json;
		assert.equal(a.id, C.A, 'the same id after the restart');
		assert.equal(a.disseminations.length, 1);
		assert.equal(a.outcomes, 3);
		assert.equal((await get(`/api/v1/cases/${C.younger}`)).json.id, C.split, 'a merged id leads to where its report is now');
		assert.equal((await get(`/api/v1/cases/${C.split}`)).json.id, C.split);
		assert.equal((await get(`/api/v1/cases/${C.A}/outcomes`, 'inv')).json.outcomes.length, 3);
		assert.equal((await get(`/api/v1/cases/${C.A}/package`, 'inv')).json.review.viable, true);
		// a bad rules file stops the start with a message naming the file and rule
		await srv.stop('SIGTERM');
		fs.writeFileSync(rules, JSON.stringify({ rules: [{ org: 'X' }, { victim_region: 'London', org: 'X' }] }));
		const r = crix(['serve', '--data', dir, '--listen', '127.0.0.1:0', '--catalogue', CATALOGUE, '--jurisdictions', rules], { allowFail: true });
		assert.equal(r.status, 2, r.stderr);
		assert.match(r.stderr, /rules\.json: rules\[1\]\.victim_region: an array/);
	});
});
