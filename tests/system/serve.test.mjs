// serve.test.mjs - `crix serve` over real HTTP: the real binary ($CRIX), a
// real SQLite database in a scratch data directory, accounts made with
// `crix admin`.  Run through tests/system/serve.sh:
//     env CRIX=$PWD/build/crix bash tests/system/serve.sh
// Covers intake (JSON, multipart with evidence, bulk NDJSON and CSV),
// reference numbers and their check character, advice, indicators, victim
// tracking and additions, the status flow, roles and victim data, sessions,
// CSRF, tokens, org-admin limits, every cap, the error shape, 401/403/404/405,
// rate limits, /healthz, /metrics, the audit chain against edits behind
// crix's back, durability across kill -9, graceful stop, and garbage input.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
	Accounts, startServer, req, expectStatus, checkErrorShape, seen, scratch, crix,
	rawRequest, refCheckChar, sleep, pool, killAll,
} from './serve-lib.mjs';

after(killAll);

const REF_RE = /^CRX\d{2}[0-9A-Z]{8}[0-9A-Z]$/;

// A report with a bank-transfer loss and indicators in the description
// (defanged) and in the suspect's lists.
function fraudReport(extra = {}) {
	return {
		kind: 'crime',
		category: 'investment-fraud',
		description: 'They sent me to hxxps://invest-gold[.]example[.]com/login and wrote from 198.51.100[.]23.',
		occurred: { start: '2024-03-01', end: '2024-03-05T10:00:00Z' },
		loss: { amount_minor: 250000, currency: 'GBP' },
		payment_method: 'bank-transfer',
		suspect: {
			names: ['John Gold'],
			emails: ['Support@Invest-Gold.example.com'],
			phones: ['+44 20 7946 0123'],
			websites: ['invest-gold.example.com'],
		},
		victim: { type: 'person', name: 'Alice Victim', email: 'alice@home.example', phone: '+44 7700 900123', country: 'GB', region: 'London' },
		consents: { contact: true },
		...extra,
	};
}

describe('crix serve', () => {
	let srv;
	let dir;
	let acc;
	let submitted = 0; // reports acknowledged by this server (for /metrics)
	const T = {}; // tokens by user
	let anonRef; // {reference, tracking_secret}
	let bizRefs = [];

	before(async () => {
		dir = scratch('main');
		acc = new Accounts(dir).init();
		acc.org('le', 'Metro Police Cyber Unit', 'law-enforcement', 'GB');
		acc.org('cert', 'National CERT', 'cert', 'GB');
		acc.org('bank', 'Example Bank', 'business', 'GB');
		acc.org('shop', 'Example Shop', 'business', 'GB');
		acc.org('ngo', 'Victim Help', 'ngo', 'GB');
		acc.user('inv', 'le', 'investigator');
		acc.user('lean', 'le', 'analyst');
		acc.user('levi', 'le', 'viewer');
		acc.user('leadmin', 'le', 'org-admin');
		acc.user('certan', 'cert', 'analyst');
		acc.user('bizan', 'bank', 'analyst');
		acc.user('shopan', 'shop', 'analyst');
		acc.user('ngoview', 'ngo', 'viewer');
		for (const u of ['admin', 'inv', 'lean', 'levi', 'leadmin', 'certan', 'bizan', 'shopan', 'ngoview']) T[u] = acc.token(u);
		// The public routes are rate limited per address; this server is
		// given a limit no test reaches (a second one tests the limit).
		srv = await startServer(dir, ['--rate-limit', '1000000']);
	});

	after(async () => {
		if (srv && srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop('SIGKILL');
	});

	it('GET /healthz answers ok', async () => {
		const r = expectStatus(await req(srv, 'GET', '/healthz'), 200, 'healthz');
		assert.equal(r.json.status, 'ok');
		assert.ok(Number.isInteger(r.json.schema) && r.json.schema >= 1);
	});

	it('GET /api/v1/offences lists the catalogue', async () => {
		const r = expectStatus(await req(srv, 'GET', '/api/v1/offences'), 200, 'offences');
		const txt = JSON.stringify(r.json);
		for (const code of ['investment-fraud', 'email-account-hacking', 'child-sexual-abuse-material', 'bank-transfer', 'money-lost'])
			assert.ok(txt.includes(`"${code}"`), `offences does not mention ${code}`);
	});

	it('anonymous JSON submission gives a reference, a secret, advice and indicators', async () => {
		const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: fraudReport() }), 201, 'submit');
		submitted++;
		const j = r.json;
		assert.match(j.reference, REF_RE);
		assert.equal(j.reference.length, 14);
		assert.equal(j.reference.slice(3, 5), j.created.slice(2, 4), 'the 2-digit year is the year of "created"');
		assert.equal(refCheckChar(j.reference.slice(0, 13)), j.reference[13], 'check character (Damm, GF(32))');
		assert.equal(typeof j.tracking_secret, 'string');
		assert.ok(j.tracking_secret.length >= 20, 'tracking secret is long');
		assert.equal(j.status, 'received');
		assert.equal(r.headers.get('location'), `/api/v1/track/${j.reference}`);
		// bank transfer + loss: first item is to call the bank, now
		assert.ok(Array.isArray(j.advice) && j.advice.length > 0);
		assert.equal(j.advice[0].urgency, 'now');
		assert.match(`${j.advice[0].title} ${j.advice[0].text}`, /bank/i);
		assert.match(j.advice[0].title, /call/i);
		// indicators: refanged text of the description, suspect fields
		const ind = j.indicators.map((i) => `${i.type} ${i.value} ${i.field}`);
		const has = (re) => assert.ok(ind.some((s) => re.test(s)), `no indicator like ${re} in ${JSON.stringify(ind)}`);
		has(/^url https:\/\/invest-gold\.example\.com\/login description$/);
		has(/^ipv4 198\.51\.100\.23 description$/);
		has(/^email support@invest-gold\.example\.com suspect\.emails$/i);
		has(/^phone \+442079460123 suspect\.phones$/);
		has(/^domain invest-gold\.example\.com suspect\.websites$/);
		anonRef = j;
	});

	it('advice is chosen for the case: account hacking gets two-factor, out of scope gets the referral first', async () => {
		let r = expectStatus(await req(srv, 'POST', '/api/v1/reports', {
			json: { category: 'email-account-hacking', description: 'Someone logged into my mail and sent messages to my friends.' },
		}), 201, 'account hacking');
		submitted++;
		assert.ok(r.json.advice.some((a) => /two-factor/i.test(`${a.title} ${a.text}`)), `no two-factor advice: ${JSON.stringify(r.json.advice.map((a) => a.title))}`);
		assert.ok(!r.json.advice.some((a) => /^Call your bank/.test(a.title)), 'no bank advice without a payment');
		r = expectStatus(await req(srv, 'POST', '/api/v1/reports', {
			json: { category: 'child-sexual-abuse-material', description: 'I saw images of children on a web site.' },
		}), 201, 'csam');
		submitted++;
		const first = r.json.advice[0];
		assert.match(first.id, /^refer-/, `first advice is not a referral: ${JSON.stringify(first)}`);
		assert.equal(first.urgency, 'now');
		assert.match(first.text, /inhope|hotline/i);
		assert.ok(!r.json.advice.some((a) => a.id === 'keep-records'), 'general advice is not given out of scope');
	});

	it('multipart submission stores evidence files by SHA-256 with size and type', async () => {
		const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), crypto.randomBytes(64)]);
		const txt = Buffer.from('From: scammer@phish-mail.example\nSubject: your parcel\n\nPay at hxxp://parcel-fee[.]example/pay\n');
		const fd = new FormData();
		fd.append('report', JSON.stringify({ category: 'phishing', kind: 'information', description: 'A text message about a parcel fee.' }));
		fd.append('evidence', new Blob([png], { type: 'image/png' }), 'screenshot.png');
		fd.append('evidence', new Blob([txt], { type: 'application/x-evil' }), 'message.eml');
		const res = await fetch(`${srv.base}/api/v1/reports`, { method: 'POST', body: fd });
		const j = await res.json();
		assert.equal(res.status, 201, JSON.stringify(j));
		submitted++;
		assert.match(j.reference, REF_RE);
		const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
		assert.equal(j.evidence.length, 2);
		const byName = Object.fromEntries(j.evidence.map((e) => [e.name, e]));
		assert.equal(byName['screenshot.png'].sha256, sha(png));
		assert.equal(byName['screenshot.png'].size, png.length);
		assert.equal(byName['screenshot.png'].type, 'image/png');
		assert.equal(byName['message.eml'].sha256, sha(txt));
		assert.equal(byName['message.eml'].size, txt.length);
		assert.match(byName['message.eml'].type, /^(text|message)\//, 'type is sniffed, not the client\'s word');
		// staff see the files; LE investigators may download them, intact
		let r = expectStatus(await req(srv, 'GET', `/api/v1/reports/${j.reference}`, { token: T.admin }), 200, 'staff view');
		assert.equal(r.json.evidence.length, 2);
		r = await req(srv, 'GET', `/api/v1/reports/${j.reference}/evidence/${sha(txt)}`, { token: T.inv });
		assert.equal(r.status, 200);
		assert.equal(r.text, txt.toString());
		assert.equal(r.headers.get('content-disposition'), 'attachment');
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${j.reference}/evidence/${sha(txt)}`, { token: T.lean }), 403, 'LE analyst evidence');
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${j.reference}/evidence/${'0'.repeat(64)}`, { token: T.inv }), 404, 'unknown evidence');
		// the stored file is there, named by its hash
		assert.ok(fs.existsSync(path.join(dir, 'evidence', sha(png).slice(0, 2), sha(png))));
	});

	it('the reference is accepted lower-case, with hyphens or spaces', async () => {
		const ref = anonRef.reference;
		const forms = [ref.toLowerCase(), `${ref.slice(0, 3)}-${ref.slice(3, 5)}-${ref.slice(5, 9)}-${ref.slice(9)}`,
			encodeURIComponent(`${ref.slice(0, 5)} ${ref.slice(5, 9)} ${ref.slice(9)}`), `${ref.slice(0, 7).toLowerCase()}-${ref.slice(7)}`];
		for (const f of forms) {
			const r = expectStatus(await req(srv, 'GET', `/api/v1/track/${f}`, { secret: anonRef.tracking_secret }), 200, `track ${f}`);
			assert.equal(r.json.reference, ref);
		}
	});

	it('every single-character substitution and adjacent swap of a reference is rejected', async () => {
		const ref = anonRef.reference;
		const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
		const variants = [];
		for (let i = 0; i < ref.length; i++)
			for (const c of alphabet)
				if (c !== ref[i]) variants.push(ref.slice(0, i) + c + ref.slice(i + 1));
		for (let i = 0; i + 1 < ref.length; i++)
			if (ref[i] !== ref[i + 1]) variants.push(ref.slice(0, i) + ref[i + 1] + ref[i] + ref.slice(i + 2));
		assert.ok(variants.length > 490);
		const bad = [];
		await pool(variants, 8, async (v) => {
			const r = await req(srv, 'GET', `/api/v1/track/${v}`, { secret: anonRef.tracking_secret });
			if (!(r.status === 400 || r.status === 404) || r.text.includes(ref)) bad.push(`${v}: ${r.status} ${r.text.slice(0, 100)}`);
			else checkErrorShape(r, `track ${v}`);
		});
		assert.deepEqual(bad, [], 'variants of a real reference that were not rejected');
	});

	it('tracking shows status and history; a wrong secret looks like an unknown reference', async () => {
		const { reference: ref, tracking_secret: secret } = anonRef;
		const r = expectStatus(await req(srv, 'GET', `/api/v1/track/${ref}`, { secret }), 200, 'track');
		assert.equal(r.json.status, 'received');
		assert.equal(r.json.category, 'investment-fraud');
		assert.equal(r.json.history.length, 1);
		assert.equal(r.json.history[0].type, 'submitted');
		assert.equal(r.json.history[0].status, 'received');
		assert.ok(!r.text.includes('Alice'), 'tracking shows no personal data');
		const wrong = await req(srv, 'GET', `/api/v1/track/${ref}`, { secret: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` });
		expectStatus(wrong, 404, 'wrong secret');
		// an unknown reference with a valid check character
		let unknown = ref.slice(0, 5) + (ref[5] === '0' ? '1' : '0') + ref.slice(6, 13);
		unknown += refCheckChar(unknown);
		const unk = await req(srv, 'GET', `/api/v1/track/${unknown}`, { secret });
		expectStatus(unk, 404, 'unknown reference');
		assert.equal(wrong.text, unk.text, 'wrong secret and unknown reference answer alike');
		expectStatus(await req(srv, 'GET', `/api/v1/track/${ref}`), 401, 'no secret');
		expectStatus(await req(srv, 'GET', `/api/v1/track/${ref}`, { secret: '' }), [401, 404], 'empty secret');
	});

	it('the victim adds information: 201, indicators extracted, seen by staff', async () => {
		const { reference: ref, tracking_secret: secret } = anonRef;
		const r = expectStatus(await req(srv, 'POST', `/api/v1/track/${ref}/additions`, {
			secret, json: { text: 'They now call from +44 20 7946 0999 and use 203.0.113[.]77', suspect: { emails: ['second@invest-gold.example.com'] } },
		}), 201, 'addition');
		const ind = r.json.indicators.map((i) => `${i.type} ${i.value}`);
		assert.ok(ind.includes('ipv4 203.0.113.77'), JSON.stringify(ind));
		assert.ok(ind.includes('email second@invest-gold.example.com'), JSON.stringify(ind));
		expectStatus(await req(srv, 'POST', `/api/v1/track/${ref}/additions`, { secret: 'wrong', json: { text: 'x' } }), 404, 'addition with wrong secret');
		expectStatus(await req(srv, 'POST', `/api/v1/track/${ref}/additions`, { secret, json: { colour: 'x' } }), 400, 'addition unknown field');
		expectStatus(await req(srv, 'POST', `/api/v1/track/${ref}/additions`, { secret, json: {} }), 400, 'empty addition');
		const s = expectStatus(await req(srv, 'GET', `/api/v1/reports/${ref}`, { token: T.lean }), 200, 'staff view');
		const add = s.json.events.find((e) => e.type === 'addition');
		assert.ok(add, `no addition event: ${JSON.stringify(s.json.events)}`);
		assert.match(JSON.stringify(add.detail), /203\.0\.113\[\.\]77/);
		assert.ok(s.json.indicators.some((i) => i.value === '203.0.113.77'), 'addition indicators are stored');
		assert.ok(s.json.indicators.some((i) => i.value === '198.51.100.23'), 'report indicators are stored');
		const t = expectStatus(await req(srv, 'GET', `/api/v1/track/${ref}`, { secret }), 200, 'track');
		assert.equal(t.json.additions, 1);
	});

	it('status flow: received -> triaged -> under-review -> disseminated -> outcome judicial', async () => {
		const { reference: ref, tracking_secret: secret } = anonRef;
		const st = (tok, body) => req(srv, 'POST', `/api/v1/reports/${ref}/status`, { token: tok, json: body });
		expectStatus(await st(T.levi, { status: 'triaged' }), 403, 'viewer changes status');
		expectStatus(await st(T.ngoview, { status: 'triaged' }), 403, 'ngo viewer changes status');
		expectStatus(await st(T.bizan, { status: 'triaged' }), 403, 'business changes status');
		expectStatus(await req(srv, 'POST', `/api/v1/reports/${ref}/status`, { json: { status: 'triaged' } }), 401, 'anonymous changes status');
		let r = expectStatus(await st(T.lean, { status: 'disseminated' }), 409, 'received -> disseminated');
		assert.equal(r.json.error.field, 'status');
		expectStatus(await st(T.lean, { status: 'outcome', outcome: 'judicial' }), [403, 409], 'analyst records outcome early');
		expectStatus(await st(T.lean, { status: 'flying' }), 400, 'unknown status');
		expectStatus(await st(T.lean, { status: 'triaged', outcome: 'judicial' }), 400, 'outcome without status outcome');
		r = expectStatus(await st(T.lean, { status: 'triaged', note: 'INTERNAL-ONLY suspect known to us', victim_note: 'We are looking at your report.' }), 200, 'triage');
		assert.equal(r.json.status, 'triaged');
		expectStatus(await st(T.lean, { status: 'triaged' }), 409, 'triaged -> triaged');
		expectStatus(await st(T.certan, { status: 'under-review' }), 200, 'cert analyst reviews');
		expectStatus(await st(T.lean, { status: 'received' }), 409, 'backwards');
		expectStatus(await st(T.lean, { status: 'disseminated', victim_note: 'Passed to the police.' }), 200, 'disseminate');
		expectStatus(await st(T.lean, { status: 'outcome', outcome: 'judicial' }), 403, 'LE analyst records outcome');
		expectStatus(await st(T.inv, { status: 'outcome' }), 400, 'outcome missing');
		expectStatus(await st(T.inv, { status: 'outcome', outcome: 'maybe' }), 400, 'bad outcome');
		r = expectStatus(await st(T.inv, { status: 'outcome', outcome: 'judicial', victim_note: 'The suspect was charged.' }), 200, 'outcome');
		assert.equal(r.json.outcome, 'judicial');
		expectStatus(await st(T.inv, { status: 'closed' }), 409, 'outcome -> closed');
		// the victim sees every change and the victim notes, never the internal note
		const t = expectStatus(await req(srv, 'GET', `/api/v1/track/${ref}`, { secret }), 200, 'track');
		assert.equal(t.json.status, 'outcome');
		assert.equal(t.json.outcome, 'judicial');
		const statuses = t.json.history.filter((h) => h.type === 'status').map((h) => h.status);
		assert.deepEqual(statuses, ['triaged', 'under-review', 'disseminated', 'outcome']);
		const notes = t.json.history.map((h) => h.note).filter(Boolean);
		assert.ok(notes.includes('We are looking at your report.'), JSON.stringify(t.json.history));
		assert.ok(notes.includes('The suspect was charged.'));
		assert.ok(!t.text.includes('INTERNAL-ONLY'), 'the internal note leaked to the victim');
		// staff see the internal note
		const s = expectStatus(await req(srv, 'GET', `/api/v1/reports/${ref}`, { token: T.lean }), 200, 'staff');
		assert.ok(s.text.includes('INTERNAL-ONLY'));
		assert.equal(s.json.status, 'outcome');
		// a staff note for the victim, and one that is not
		expectStatus(await req(srv, 'POST', `/api/v1/reports/${ref}/notes`, { token: T.lean, json: { text: 'VISIBLE-NOTE', victim_visible: true } }), 201, 'note');
		expectStatus(await req(srv, 'POST', `/api/v1/reports/${ref}/notes`, { token: T.lean, json: { text: 'HIDDEN-NOTE' } }), 201, 'note');
		expectStatus(await req(srv, 'POST', `/api/v1/reports/${ref}/notes`, { token: T.levi, json: { text: 'x' } }), 403, 'viewer note');
		const t2 = await req(srv, 'GET', `/api/v1/track/${ref}`, { secret });
		assert.ok(t2.text.includes('VISIBLE-NOTE') && !t2.text.includes('HIDDEN-NOTE'));
	});

	it('a report can be closed from received, not reopened', async () => {
		const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: { kind: 'information', category: 'suspicious-message', description: 'A strange text, I did not reply.' } }), 201, 'submit');
		submitted++;
		const ref = r.json.reference;
		expectStatus(await req(srv, 'POST', `/api/v1/reports/${ref}/status`, { token: T.lean, json: { status: 'closed' } }), 200, 'close');
		expectStatus(await req(srv, 'POST', `/api/v1/reports/${ref}/status`, { token: T.lean, json: { status: 'triaged' } }), 409, 'reopen');
	});

	it('reports that share an indicator are one case; staff see it, a business may not', async () => {
		const shop = `fake-shop-${Date.now()}.example.com`;
		const refs = [];
		for (const d of [`Bought shoes from https://${shop}/sale, never came`, `Paid ${shop} by card; call +44 7700 900777`, 'Text from +44 7700 900777 asking for a fee']) {
			const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: { category: 'online-shopping-fraud', description: d } }), 201, 'submit');
			submitted++;
			refs.push(r.json.reference);
		}
		const lone = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: { category: 'phishing', description: 'nothing shared here' } }), 201, 'submit');
		submitted++;
		// the first and third share nothing directly: the second joins them
		const c = expectStatus(await req(srv, 'GET', `/api/v1/reports/${refs[2]}/case`, { token: T.lean }), 200, 'case');
		assert.equal(c.json.case.size, 3);
		assert.deepEqual(c.json.case.reports.map((x) => x.reference).sort(), [...refs].sort());
		assert.equal(c.json.case.id, refs[0], 'the case is named after its first report');
		assert.ok(c.json.shared.some((x) => x.type === 'phone' && x.value === '+447700900777' && x.reports === 2));
		const l = expectStatus(await req(srv, 'GET', `/api/v1/reports/${lone.json.reference}/case`, { token: T.inv }), 200, 'lone case');
		assert.equal(l.json.case.size, 1);
		assert.deepEqual(l.json.shared, []);
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${refs[0]}/case`, { token: T.bizan }), 403, 'business case');
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${refs[0]}/case`), 401, 'anonymous case');
	});

	it('statistics: staff see every cell, the public gets small cells suppressed, CSV too', async () => {
		const staff = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category,month', { token: T.lean }), 200, 'staff stats');
		assert.deepEqual(staff.json.group_by, ['category', 'month']);
		assert.ok(staff.json.total >= 1);
		assert.equal(staff.json.suppressed_below, null);
		assert.equal(staff.json.rows.reduce((n, r) => n + r.reports, 0), staff.json.total);
		const pub = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category'), 200, 'public stats');
		assert.equal(pub.json.total, null);
		assert.equal(pub.json.suppressed_below, 5);
		for (const r of pub.json.rows) assert.ok(r.reports === null ? r.suppressed === true : r.reports >= 5, JSON.stringify(r));
		const csv = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=article&format=csv', { token: T.lean }), 200, 'csv');
		assert.match(csv.headers.get('content-type'), /^text\/csv/);
		assert.match(csv.text, /^article,reports,vulnerable_victims,currency,loss_sum_minor,loss_median_minor\n/);
		expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=colour'), 400, 'bad dimension');
		expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category,month,region', { token: T.lean }), 400, 'three dimensions');
	});

	it('a business submits with its token; bulk NDJSON gives a result per line', async () => {
		const one = expectStatus(await req(srv, 'POST', '/api/v1/reports', { token: T.bizan, json: fraudReport({ external_id: 'bank-1' }) }), 201, 'business submit');
		submitted++;
		bizRefs.push(one.json.reference);
		const lines = [
			JSON.stringify({ category: 'phishing', description: 'Phishing page at hxxps://bank-login[.]example[.]com/x', external_id: 'b-1' }),
			'{not json',
			'',
			JSON.stringify({ category: 'phishing', description: 'x', colour: 'red' }),
			JSON.stringify({ category: 'phishing', description: 5 }),
			JSON.stringify({ category: 'card-fraud', description: 'Card used at evil-shop.example', payment_method: 'card', loss: { amount_minor: 1999, currency: 'EUR' } }),
			JSON.stringify({ category: 'no-such-thing', description: 'x' }),
		];
		const r = expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: `${lines.join('\n')}\n`, type: 'application/x-ndjson' }), 200, 'bulk ndjson');
		const j = r.json;
		assert.equal(j.lines, 6);
		assert.equal(j.accepted, 2);
		assert.equal(j.rejected, 4);
		assert.equal(j.lines, j.accepted + j.rejected);
		assert.deepEqual(j.results.map((x) => x.line), [1, 2, 4, 5, 6, 7]);
		const by = Object.fromEntries(j.results.map((x) => [x.line, x]));
		assert.match(by[1].reference, REF_RE);
		assert.ok(by[1].tracking_secret);
		assert.match(by[2].error.message, /JSON/);
		assert.equal(by[4].error.field, 'colour');
		assert.equal(by[5].error.field, 'description');
		assert.match(by[6].reference, REF_RE);
		assert.equal(by[7].error.field, 'category');
		submitted += 2;
		bizRefs.push(by[1].reference, by[6].reference);
		// a bulk report can be tracked like any other
		expectStatus(await req(srv, 'GET', `/api/v1/track/${by[1].reference}`, { secret: by[1].tracking_secret }), 200, 'track bulk');
		const s = expectStatus(await req(srv, 'GET', `/api/v1/reports/${by[1].reference}`, { token: T.admin }), 200, 'bulk report');
		assert.equal(s.json.channel, 'bulk');
		assert.ok(s.json.indicators.some((i) => i.type === 'url' && i.value === 'https://bank-login.example.com/x'), JSON.stringify(s.json.indicators));
	});

	it('bulk CSV gives a result per record with line numbers and the field at fault', async () => {
		const csv = [
			'kind,category,description,amount_minor,currency,payment_method,suspect_emails,external_id',
			'crime,phishing,"Phish from evil-mail.example.com, with a comma",,,,a@evil-mail.example.com;b@evil-mail.example.com,c-1',
			'crime,investment-fraud,"a description',
			'over two lines",1200,EUR,bank-transfer,,c-2',
			'crime,no-such-category,x,,,,,c-3',
			'crime,phishing,y,12x,EUR,,,c-4',
			'crime,phishing,z,,,,not-an-email,c-5',
			'',
		].join('\r\n');
		const r = expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: csv, type: 'text/csv' }), 200, 'bulk csv');
		const j = r.json;
		assert.equal(j.lines, 5, JSON.stringify(j));
		assert.equal(j.accepted, 2);
		assert.equal(j.rejected, 3);
		assert.equal(j.lines, j.accepted + j.rejected);
		const by = Object.fromEntries(j.results.map((x) => [x.line, x]));
		assert.deepEqual(Object.keys(by).map(Number), [2, 3, 5, 6, 7], JSON.stringify(j.results));
		assert.match(by[2].reference, REF_RE);
		assert.match(by[3].reference, REF_RE);
		assert.equal(by[5].error.field, 'category');
		assert.equal(by[6].error.field, 'amount_minor');
		assert.match(by[7].error.field, /^suspect\.emails/);
		submitted += 2;
		bizRefs.push(by[2].reference, by[3].reference);
		const s = expectStatus(await req(srv, 'GET', `/api/v1/reports/${by[2].reference}`, { token: T.admin }), 200, 'csv report');
		assert.ok(s.json.indicators.some((i) => i.value === 'b@evil-mail.example.com'), JSON.stringify(s.json.indicators));
		const s3 = expectStatus(await req(srv, 'GET', `/api/v1/reports/${by[3].reference}`, { token: T.admin }), 200, 'csv report 3');
		assert.equal(s3.json.loss.amount_minor, 1200);
		assert.equal(s3.json.report.description, 'a description\r\nover two lines');
		// an unknown column fails the header, naming it
		const h = expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: 'category,colour\nphishing,red\n', type: 'text/csv' }), 200, 'bad header');
		assert.equal(h.json.accepted, 0);
		assert.equal(h.json.lines, h.json.accepted + h.json.rejected);
		assert.equal(h.json.results[0].line, 1);
		assert.match(h.json.results[0].error.message, /colour/);
	});

	it('bulk refuses the anonymous, viewers, other types and empty bodies', async () => {
		expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { body: '{}\n', type: 'application/x-ndjson' }), 401, 'anonymous bulk');
		expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.ngoview, body: '{}\n', type: 'application/x-ndjson' }), 403, 'viewer bulk');
		expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: '<a/>', type: 'application/xml' }), 415, 'xml bulk');
		expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: '', type: 'text/csv' }), 400, 'empty bulk');
	});

	it('roles: who lists, who reads, and victim details only for LE investigators and admins', async () => {
		const list = await req(srv, 'GET', '/api/v1/reports');
		expectStatus(list, 401, 'anonymous list');
		assert.match(list.headers.get('www-authenticate') || '', /Bearer/);
		// a business sees exactly its own organisation's reports
		const b = expectStatus(await req(srv, 'GET', '/api/v1/reports?limit=500', { token: T.bizan }), 200, 'business list');
		assert.deepEqual(b.json.reports.map((x) => x.reference).sort(), [...bizRefs].sort());
		assert.ok(!b.text.includes('alice@home.example') && !b.text.includes('Alice Victim'), 'victim data in a list');
		const other = expectStatus(await req(srv, 'GET', '/api/v1/reports', { token: T.shopan }), 200, 'other business list');
		assert.equal(other.json.reports.length, 0);
		// staff see them all, still without victim data
		const all = expectStatus(await req(srv, 'GET', '/api/v1/reports?limit=500', { token: T.lean }), 200, 'LE list');
		assert.equal(all.json.reports.length, submitted);
		assert.ok(!all.text.includes('alice@home.example'), 'victim data in the staff list');
		// paging
		const p1 = expectStatus(await req(srv, 'GET', '/api/v1/reports?limit=2', { token: T.lean }), 200, 'page 1');
		assert.equal(p1.json.reports.length, 2);
		assert.ok(p1.json.next !== null);
		const p2 = expectStatus(await req(srv, 'GET', `/api/v1/reports?limit=2&cursor=${p1.json.next}`, { token: T.lean }), 200, 'page 2');
		assert.ok(!p2.json.reports.some((x) => p1.json.reports.some((y) => y.reference === x.reference)), 'pages overlap');
		expectStatus(await req(srv, 'GET', '/api/v1/reports?status=flying', { token: T.lean }), 400, 'bad status filter');
		expectStatus(await req(srv, 'GET', '/api/v1/reports?limit=0', { token: T.lean }), 400, 'limit 0');
		const f = expectStatus(await req(srv, 'GET', '/api/v1/reports?status=outcome', { token: T.lean }), 200, 'status filter');
		assert.deepEqual(f.json.reports.map((x) => x.reference), [anonRef.reference]);
		// reading one report
		const own = bizRefs[0];
		let r = expectStatus(await req(srv, 'GET', `/api/v1/reports/${own}`, { token: T.bizan }), 200, 'business own report');
		assert.ok(!('victim' in r.json) && !r.text.includes('alice@home.example'));
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${anonRef.reference}`, { token: T.bizan }), 403, 'business other report');
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${own}`, { token: T.shopan }), 403, 'other business');
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${own}`, { token: T.ngoview }), 403, 'ngo viewer');
		for (const u of ['bizan', 'certan', 'lean', 'levi', 'ngoview', 'leadmin']) {
			r = await req(srv, 'GET', `/api/v1/reports/${own}?include=victim`, { token: T[u] });
			expectStatus(r, 403, `${u} include=victim`);
			assert.ok(!r.text.includes('alice@home.example'));
		}
		for (const u of ['inv', 'admin']) {
			r = expectStatus(await req(srv, 'GET', `/api/v1/reports/${own}?include=victim`, { token: T[u] }), 200, `${u} include=victim`);
			assert.equal(r.json.victim.email, 'alice@home.example');
			assert.equal(r.json.victim.name, 'Alice Victim');
		}
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${own}?include=everything`, { token: T.inv }), 400, 'include=everything');
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${own}`), 401, 'anonymous read');
		// a reference with a bad check character is 400; an unknown one is 404
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${own.slice(0, 13)}${own[13] === 'A' ? 'B' : 'A'}`, { token: T.admin }), 400, 'bad check char');
		let unknown = `${own.slice(0, 5)}${own[5] === '0' ? '1' : '0'}${own.slice(6, 13)}`;
		unknown += refCheckChar(unknown);
		expectStatus(await req(srv, 'GET', `/api/v1/reports/${unknown}`, { token: T.admin }), 404, 'unknown reference');
	});

	it('401 for no or a bad credential, 403 for a good one without the right', async () => {
		for (const auth of ['Bearer nope', 'Basic YWRtaW46YWRtaW4=', 'Bearer ', `Bearer ${T.admin}x`]) {
			const r = await req(srv, 'GET', '/api/v1/me', { headers: { Authorization: auth } });
			expectStatus(r, 401, `Authorization: ${auth}`);
		}
		expectStatus(await req(srv, 'GET', '/api/v1/me'), 401, 'no credential');
		const me = expectStatus(await req(srv, 'GET', '/api/v1/me', { token: T.bizan }), 200, 'me');
		assert.equal(me.json.username, 'bizan');
		assert.equal(me.json.org_kind, 'business');
		expectStatus(await req(srv, 'POST', '/api/v1/orgs', { token: T.bizan, json: { name: 'X', kind: 'cert', country: 'GB' } }), 403, 'analyst creates org');
		expectStatus(await req(srv, 'GET', `/api/v1/orgs/${acc.orgs.le}`, { token: T.bizan }), 403, 'other org');
		expectStatus(await req(srv, 'GET', '/api/v1/orgs/abc', { token: T.admin }), 400, 'bad org id');
		expectStatus(await req(srv, 'GET', '/api/v1/orgs/999999', { token: T.admin }), 404, 'unknown org');
	});

	it('login sets an HttpOnly SameSite=Strict cookie; writes need the CSRF token; logout ends it', async () => {
		const admin = acc.users.admin;
		expectStatus(await req(srv, 'POST', '/api/v1/login', { json: { username: 'admin', password: 'wrong-password' } }), 401, 'wrong password');
		expectStatus(await req(srv, 'POST', '/api/v1/login', { json: { username: 'nobody', password: 'wrong-password' } }), 401, 'unknown user');
		expectStatus(await req(srv, 'POST', '/api/v1/login', { json: { username: 'admin' } }), 400, 'no password');
		const r = expectStatus(await req(srv, 'POST', '/api/v1/login', { json: { username: admin.username, password: admin.password } }), 200, 'login');
		const set = r.headers.get('set-cookie') || '';
		const m = /crix_session=([^;]+)/.exec(set);
		assert.ok(m, `no crix_session cookie: ${set}`);
		assert.match(set, /HttpOnly/i);
		assert.match(set, /SameSite=Strict/i);
		assert.equal(typeof r.json.csrf, 'string');
		assert.ok(r.json.csrf.length >= 16);
		assert.equal(r.json.user.role, 'admin');
		const cookie = `crix_session=${m[1]}`;
		const me = expectStatus(await req(srv, 'GET', '/api/v1/me', { cookie }), 200, 'me by cookie');
		assert.equal(me.json.username, 'admin');
		const body = { json: { name: 'from the browser' } };
		expectStatus(await req(srv, 'POST', '/api/v1/tokens', { cookie, ...body }), 403, 'cookie write without CSRF');
		expectStatus(await req(srv, 'POST', '/api/v1/tokens', { cookie, csrf: 'f'.repeat(32), ...body }), 403, 'cookie write with a wrong CSRF');
		const t = expectStatus(await req(srv, 'POST', '/api/v1/tokens', { cookie, csrf: r.json.csrf, ...body }), 201, 'cookie write with CSRF');
		assert.match(t.json.token, /^crix_/);
		// a token is not a session: logout needs the cookie
		expectStatus(await req(srv, 'POST', '/api/v1/logout', { token: T.admin }), 400, 'logout by token');
		expectStatus(await req(srv, 'POST', '/api/v1/logout', { cookie }), 403, 'logout without CSRF');
		const lo = expectStatus(await req(srv, 'POST', '/api/v1/logout', { cookie, csrf: r.json.csrf }), 200, 'logout');
		assert.match(lo.headers.get('set-cookie') || '', /crix_session=;.*Max-Age=0/);
		expectStatus(await req(srv, 'GET', '/api/v1/me', { cookie }), 401, 'me after logout');
	});

	it('tokens: created, used, revoked (then 401); only their owner or an admin may revoke', async () => {
		const c = expectStatus(await req(srv, 'POST', '/api/v1/tokens', { token: T.bizan, json: { name: 'siem feed', expires_days: 30 } }), 201, 'create token');
		const { id, token } = c.json;
		assert.ok(Number.isInteger(id));
		assert.ok(c.json.expires);
		expectStatus(await req(srv, 'GET', '/api/v1/me', { token }), 200, 'new token works');
		expectStatus(await req(srv, 'POST', '/api/v1/tokens', { token: T.bizan, json: { name: 'x', expires_days: -1 } }), 400, 'negative days');
		expectStatus(await req(srv, 'POST', '/api/v1/tokens', { token: T.bizan, json: { name: 'x', user_id: acc.users.inv.id } }), 403, 'token for another user');
		expectStatus(await req(srv, 'POST', '/api/v1/tokens', { token: T.bizan, json: {} }), 400, 'token without name');
		expectStatus(await req(srv, 'DELETE', `/api/v1/tokens/${id}`, { token: T.shopan }), 403, 'revoke another\'s token');
		expectStatus(await req(srv, 'DELETE', '/api/v1/tokens/abc', { token: T.bizan }), 400, 'bad token id');
		expectStatus(await req(srv, 'DELETE', '/api/v1/tokens/999999', { token: T.bizan }), 404, 'unknown token id');
		const d = expectStatus(await req(srv, 'DELETE', `/api/v1/tokens/${id}`, { token: T.bizan }), 200, 'revoke');
		assert.equal(d.json.revoked, true);
		expectStatus(await req(srv, 'GET', '/api/v1/me', { token }), 401, 'revoked token');
		expectStatus(await req(srv, 'POST', '/api/v1/reports/bulk', { token, body: '{}', type: 'application/x-ndjson' }), 401, 'revoked token bulk');
		const l = expectStatus(await req(srv, 'GET', '/api/v1/tokens', { token: T.bizan }), 200, 'list tokens');
		const mine = l.json.tokens.find((x) => x.id === id);
		assert.ok(mine && mine.revoked, JSON.stringify(l.json));
		assert.ok(!l.text.includes(token), 'token list shows a token');
	});

	// API tokens' principals are cached in memory (src/http/authcache.c): a
	// change to the user must still hold at once, on every thread.
	it('a cached token sees its user disabled, re-enabled and re-roled at once', async () => {
		const u = expectStatus(await req(srv, 'POST', '/api/v1/users', { token: T.leadmin, json: { username: 'le.cached', role: 'analyst' } }), 201, 'user');
		const tok = expectStatus(await req(srv, 'POST', '/api/v1/tokens', { token: T.admin, json: { name: 'cached', user_id: u.json.id } }), 201, 'token').json.token;
		for (let i = 0; i < 20; i++) expectStatus(await req(srv, 'GET', '/api/v1/me', { token: tok }), 200, 'warm the cache');
		expectStatus(await req(srv, 'PATCH', `/api/v1/users/${u.json.id}`, { token: T.leadmin, json: { disabled: true } }), 200, 'disable');
		const after = await Promise.all(Array.from({ length: 16 }, () => req(srv, 'GET', '/api/v1/me', { token: tok })));
		for (const r of after) expectStatus(r, 401, 'disabled user\'s token');
		expectStatus(await req(srv, 'PATCH', `/api/v1/users/${u.json.id}`, { token: T.leadmin, json: { disabled: false, role: 'viewer' } }), 200, 'enable as viewer');
		const me = expectStatus(await req(srv, 'GET', '/api/v1/me', { token: tok }), 200, 'enabled again');
		assert.equal(me.json.role, 'viewer');
	});

	it('org-admins manage their own organisation only, and never make admins', async () => {
		const mk = (body) => req(srv, 'POST', '/api/v1/users', { token: T.leadmin, json: body });
		const ok = expectStatus(await mk({ username: 'le.new', role: 'analyst' }), 201, 'org-admin makes an analyst');
		assert.equal(ok.json.org_id, acc.orgs.le);
		assert.ok(ok.json.password && ok.json.password.length >= 12);
		expectStatus(await mk({ username: 'le.boss', role: 'admin' }), 403, 'org-admin makes an admin');
		expectStatus(await mk({ username: 'bank.new', role: 'analyst', org_id: acc.orgs.bank }), 403, 'org-admin in another org');
		expectStatus(await mk({ username: 'le.x', role: 'wizard' }), 400, 'unknown role');
		expectStatus(await mk({ username: 'BAD NAME', role: 'analyst' }), 400, 'bad username');
		expectStatus(await mk({ username: 'le.new', role: 'analyst' }), 409, 'duplicate username');
		expectStatus(await req(srv, 'POST', '/api/v1/orgs', { token: T.leadmin, json: { name: 'Y', kind: 'cert', country: 'GB' } }), 403, 'org-admin creates org');
		expectStatus(await req(srv, 'PATCH', `/api/v1/users/${acc.users.admin.id || 1}`, { token: T.leadmin, json: { disabled: true } }), 403, 'org-admin disables admin');
		expectStatus(await req(srv, 'PATCH', `/api/v1/users/${acc.users.bizan.id}`, { token: T.leadmin, json: { role: 'viewer' } }), 403, 'org-admin changes other org');
		expectStatus(await req(srv, 'PATCH', `/api/v1/users/${acc.users.lean.id}`, { token: T.lean, json: { role: 'admin' } }), 403, 'self promotion');
		const users = expectStatus(await req(srv, 'GET', '/api/v1/users', { token: T.leadmin }), 200, 'org-admin lists users');
		assert.ok(users.json.users.every((u) => u.org_id === acc.orgs.le));
		expectStatus(await req(srv, 'GET', `/api/v1/users?org_id=${acc.orgs.bank}`, { token: T.leadmin }), 403, 'org-admin lists other org');
		// admins may
		expectStatus(await req(srv, 'POST', '/api/v1/users', { token: T.admin, json: { username: 'bank.new', role: 'org-admin', org_id: acc.orgs.bank, password: 'a long password 1' } }), 201, 'admin makes a user');
	});

	it('every limit: body caps, text caps, list caps, unknown fields, bad JSON, wrong types', async () => {
		const sub = (json) => req(srv, 'POST', '/api/v1/reports', { json });
		let r = await req(srv, 'POST', '/api/v1/login', { body: JSON.stringify({ username: 'a', password: 'x'.repeat(9000) }), type: 'application/json' });
		expectStatus(r, 413, 'login body over 8 KiB');
		r = await req(srv, 'POST', `/api/v1/track/${anonRef.reference}/additions`, { secret: anonRef.tracking_secret, json: { text: 'y'.repeat(70000) } });
		expectStatus(r, 413, 'addition over 64 KiB');
		r = await req(srv, 'POST', '/api/v1/reports', { body: JSON.stringify({ category: 'phishing', description: 'z'.repeat(1100000) }), type: 'application/json' });
		expectStatus(r, 413, 'JSON body over 1 MiB');
		// a GET with a body (fetch will not send one)
		const raw = await rawRequest(srv.port, ['GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello']);
		assert.ok(raw.status === 413 || raw.status === 200, `GET with a body: ${raw.status}`);
		r = await sub({ category: 'phishing', description: 'd'.repeat(20001) });
		expectStatus(r, 413, 'description over 20000 bytes');
		assert.equal(r.json.error.field, 'description');
		r = await sub({ category: 'phishing', description: 'd'.repeat(20000) });
		expectStatus(r, 201, 'description of exactly 20000 bytes');
		submitted++;
		r = await sub({ category: 'phishing', description: 'x', suspect: { emails: Array.from({ length: 51 }, (_, i) => `s${i}@spam.example`) } });
		expectStatus(r, 413, '51 suspect emails');
		assert.equal(r.json.error.field, 'suspect.emails');
		r = await sub({ category: 'phishing', description: 'x', suspect: { names: ['n'.repeat(513)] } });
		expectStatus(r, 413, 'suspect name over 512');
		assert.equal(r.json.error.field, 'suspect.names[0]');
		r = await sub({ category: 'phishing', description: 'x', colour: 'red' });
		expectStatus(r, 400, 'unknown field');
		assert.equal(r.json.error.field, 'colour');
		assert.match(r.json.error.message, /colour/);
		r = await sub({ category: 'phishing', description: 'x', victim: { shoe_size: 44 } });
		expectStatus(r, 400, 'unknown nested field');
		assert.equal(r.json.error.field, 'victim.shoe_size');
		r = await req(srv, 'POST', '/api/v1/reports', { body: '{\n  "category": "phishing",\n  "description": "x",,\n}', type: 'application/json' });
		expectStatus(r, 400, 'bad JSON');
		assert.match(r.json.error.message, /line 3, column \d+/);
		const types = [
			[{ category: 'phishing', description: 5 }, 'description'],
			[{ category: 7, description: 'x' }, 'category'],
			[{ category: 'phishing', description: 'x', loss: { amount_minor: 'ten', currency: 'EUR' } }, 'loss.amount_minor'],
			[{ category: 'phishing', description: 'x', loss: { amount_minor: -5, currency: 'EUR' } }, 'loss.amount_minor'],
			[{ category: 'phishing', description: 'x', loss: { amount_minor: 1.5, currency: 'EUR' } }, 'loss.amount_minor'],
			[{ category: 'phishing', description: 'x', loss: { amount_minor: 5, currency: 'eur' } }, 'loss.currency'],
			[{ category: 'phishing', description: 'x', loss: 5 }, 'loss'],
			[{ category: 'phishing', description: 'x', suspect: { emails: 'a@b.example' } }, 'suspect.emails'],
			[{ category: 'phishing', description: 'x', suspect: { emails: [5] } }, 'suspect.emails[0]'],
			[{ category: 'phishing', description: 'x', suspect: { phones: ['call me'] } }, 'suspect.phones[0]'],
			[{ category: 'phishing', description: 'x', victim: { vulnerable: 'yes' } }, 'victim.vulnerable'],
			[{ category: 'phishing', description: 'x', victim: { country: 'gb' } }, 'victim.country'],
			[{ category: 'phishing', description: 'x', occurred: { start: 'last tuesday' } }, 'occurred.start'],
			[{ category: 'phishing', description: 'x', occurred: { start: '2099-01-01' } }, 'occurred.start'],
			[{ category: 'phishing', description: 'x', occurred: { start: '2024-05-02', end: '2024-05-01' } }, 'occurred.end'],
			[{ category: 'phishing', description: 'x', kind: 'rumour' }, 'kind'],
			[{ category: 'phishing', description: 'x', payment_method: 'seashells' }, 'payment_method'],
			[{ category: 'phishing', description: 'x', situations: ['bored'] }, 'situations[0]'],
			[{ category: 'phishing', description: 'x', consents: { contact: 'yes' } }, 'consents.contact'],
			[{ category: 'phishing' }, 'description'],
			[{ description: 'x' }, 'category'],
			[{ category: 'phishing', description: '' }, 'description'],
		];
		for (const [body, field] of types) {
			r = await sub(body);
			expectStatus(r, 400, `wrong ${field}: ${JSON.stringify(body).slice(0, 80)}`);
			assert.equal(r.json.error.field, field, `field for ${JSON.stringify(body).slice(0, 120)}: ${r.text}`);
		}
		// over-long codes are refused naming the field (413 "longer than", or 400)
		for (const [body, field] of [[{ loss: { amount_minor: 5, currency: 'euro' } }, 'loss.currency'], [{ victim: { country: 'gbr' } }, 'victim.country'],
			[{ kind: 'k'.repeat(33) }, 'kind'], [{ payment_method: 'p'.repeat(33) }, 'payment_method'], [{ external_id: 'e'.repeat(129) }, 'external_id']]) {
			r = await sub({ category: 'phishing', description: 'x', ...body });
			expectStatus(r, [400, 413], `long ${field}`);
			assert.equal(r.json.error.field, field);
		}
		for (const body of ['[]', '"x"', '5', 'null']) {
			r = await req(srv, 'POST', '/api/v1/reports', { body, type: 'application/json' });
			expectStatus(r, 400, `body ${body}`);
		}
		r = await req(srv, 'POST', '/api/v1/reports', { body: '', type: 'application/json' });
		expectStatus(r, 400, 'empty body');
		// more than 10 evidence files
		const fd = new FormData();
		fd.append('report', JSON.stringify({ category: 'phishing', description: 'x' }));
		for (let i = 0; i < 11; i++) fd.append('evidence', new Blob([`file ${i}`]), `f${i}.txt`);
		const res = await fetch(`${srv.base}/api/v1/reports`, { method: 'POST', body: fd });
		const ej = await res.json();
		seen.push({ what: 'POST 11 files', status: res.status, json: ej, text: JSON.stringify(ej) });
		assert.equal(res.status, 413, JSON.stringify(ej));
		checkErrorShape({ status: res.status, json: ej, text: JSON.stringify(ej) }, '11 files');
	});

	it('405 names the allowed methods; unknown routes are 404', async () => {
		let r = await req(srv, 'DELETE', '/api/v1/reports', { token: T.admin });
		expectStatus(r, 405, 'DELETE /api/v1/reports');
		const allow = (r.headers.get('allow') || '').split(/,\s*/).sort();
		assert.deepEqual(allow, ['GET', 'POST']);
		r = await req(srv, 'PUT', '/api/v1/login');
		expectStatus(r, 405, 'PUT /api/v1/login');
		assert.equal(r.headers.get('allow'), 'POST');
		r = await req(srv, 'POST', '/healthz');
		expectStatus(r, 405, 'POST /healthz');
		// (Other paths are web pages when crix finds web/: tests/system/web.sh.)
		for (const p of ['/api/v1/nope', '/api/v1/reports/x/y/z', '/api/v2/reports', '/api/v1/track']) {
			r = await req(srv, 'GET', p, { token: T.admin });
			expectStatus(r, 404, `GET ${p}`);
		}
	});

	it('garbage input gets 4xx JSON errors and the server stays up', async () => {
		const sub = (body, type) => req(srv, 'POST', '/api/v1/reports', { body, type });
		const cases = [
			['binary body', () => sub(crypto.randomBytes(4096), 'application/octet-stream')],
			['binary body, no type', () => sub(Buffer.from([0, 1, 2, 255, 254, 0, 10]))],
			['urlencoded body', () => sub('category=phishing&description=x', 'application/x-www-form-urlencoded')],
			['text/plain garbage', () => sub('hello world', 'text/plain')],
			['deep array nesting', () => sub('['.repeat(100000) + ']'.repeat(100000), 'application/json')],
			['deep object nesting', () => sub('{"category":"phishing","description":"x","suspect":' + '{"a":'.repeat(50000) + '1' + '}'.repeat(50001), 'application/json')],
			['invalid UTF-8', () => sub(Buffer.concat([Buffer.from('{"category":"phishing","description":"ab'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]), 'application/json')],
			['overlong UTF-8', () => sub(Buffer.concat([Buffer.from('{"category":"phishing","description":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), 'application/json')],
			['UTF-16 surrogate', () => sub('{"category":"phishing","description":"\\ud800"}', 'application/json')],
			['NUL in description', () => sub('{"category":"phishing","description":"a\\u0000b"}', 'application/json')],
			['NUL in a suspect email', () => sub('{"category":"phishing","description":"x","suspect":{"emails":["a\\u0000@b.example"]}}', 'application/json')],
			['NUL in a key', () => sub('{"category":"phishing","description":"x","a\\u0000b":1}', 'application/json')],
			['raw NUL byte', () => sub(Buffer.from('{"category":"phishing","description":"a\u0000b"}'), 'application/json')],
			['huge integer', () => sub('{"category":"phishing","description":"x","loss":{"amount_minor":99999999999999999999999,"currency":"EUR"}}', 'application/json')],
			['huge real', () => sub('{"category":"phishing","description":"x","loss":{"amount_minor":1e400,"currency":"EUR"}}', 'application/json')],
			['negative zero-ish', () => sub('{"category":"phishing","description":"x","loss":{"amount_minor":-9223372036854775808,"currency":"EUR"}}', 'application/json')],
			['amount over 10^15', () => sub('{"category":"phishing","description":"x","loss":{"amount_minor":1000000000000001,"currency":"EUR"}}', 'application/json')],
			['duplicate keys', () => sub('{"category":"phishing","description":"x","description":"y"}', 'application/json')],
			['trailing garbage', () => sub('{"category":"phishing","description":"x"} trailing', 'application/json')],
			['multipart without boundary', () => sub('--x\r\n', 'multipart/form-data')],
			['multipart, broken', () => sub('--b\r\nContent-Disposition: form-data; name="report"\r\n\r\n{"category":"phishing"', 'multipart/form-data; boundary=b')],
			['multipart without report', () => sub('--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nhello\r\n--b--\r\n', 'multipart/form-data; boundary=b')],
			['multipart to login', () => req(srv, 'POST', '/api/v1/login', { body: '--b\r\n\r\n--b--\r\n', type: 'multipart/form-data; boundary=b' })],
			['login with numbers', () => req(srv, 'POST', '/api/v1/login', { json: { username: 1, password: 2 } })],
			['login with a huge username', () => req(srv, 'POST', '/api/v1/login', { json: { username: 'u'.repeat(7000), password: 'x' } })],
			['long tracking secret', () => req(srv, 'GET', `/api/v1/track/${anonRef.reference}`, { secret: 's'.repeat(60000) })],
			['long bearer token', () => req(srv, 'GET', '/api/v1/me', { headers: { Authorization: `Bearer ${'t'.repeat(60000)}` } })],
			['long cookie', () => req(srv, 'GET', '/api/v1/me', { cookie: `crix_session=${'c'.repeat(60000)}` })],
			['long CSRF token', () => req(srv, 'GET', '/api/v1/me', { headers: { 'X-CSRF-Token': 'c'.repeat(60000) } })],
			['NUL in a reference', () => req(srv, 'GET', '/api/v1/track/CRX%00', { secret: 'x' })],
			['huge reference', () => req(srv, 'GET', `/api/v1/track/${'A'.repeat(5000)}`, { secret: 'x' })],
			['bad limit', () => req(srv, 'GET', '/api/v1/reports?limit=abc', { token: T.admin })],
			['huge limit', () => req(srv, 'GET', '/api/v1/reports?limit=99999999999999999999', { token: T.admin })],
			['negative cursor', () => req(srv, 'GET', '/api/v1/reports?cursor=-5', { token: T.admin })],
			['bad from', () => req(srv, 'GET', '/api/v1/reports?from=yesterday', { token: T.admin })],
			['long q', () => req(srv, 'GET', `/api/v1/reports?q=${'q'.repeat(5000)}`, { token: T.admin })],
			['long category filter', () => req(srv, 'GET', `/api/v1/reports?category=${'c'.repeat(5000)}`, { token: T.admin })],
			['huge token id', () => req(srv, 'DELETE', '/api/v1/tokens/99999999999999999999999', { token: T.admin })],
			['negative user id', () => req(srv, 'GET', '/api/v1/users/-1', { token: T.admin })],
			['status as a list', () => req(srv, 'POST', `/api/v1/reports/${anonRef.reference}/status`, { token: T.admin, json: ['triaged'] })],
			['status binary', () => req(srv, 'POST', `/api/v1/reports/${anonRef.reference}/status`, { token: T.admin, body: crypto.randomBytes(100), type: 'application/json' })],
			['org with control chars', () => req(srv, 'POST', '/api/v1/orgs', { token: T.admin, json: { name: 'a\u0001b', kind: 'cert', country: 'GB' } })],
			['org with NUL', () => req(srv, 'POST', '/api/v1/orgs', { token: T.admin, body: '{"name":"a\\u0000b","kind":"cert","country":"GB"}', type: 'application/json' })],
			['token with huge days', () => req(srv, 'POST', '/api/v1/tokens', { token: T.admin, json: { name: 'x', expires_days: 1e300 } })],
			['bulk binary', () => req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: crypto.randomBytes(2000), type: 'text/csv' })],
		];
		const bad = [];
		for (const [name, fn] of cases) {
			const r = await fn();
			if (r.status < 400 || r.status >= 500) {
				// bulk answers 200 with per-line errors
				if (name === 'bulk binary' && r.status === 200 && r.json && r.json.lines === r.json.accepted + r.json.rejected) continue;
				bad.push(`${name}: ${r.status} ${r.text.slice(0, 200)}`);
				continue;
			}
			try { checkErrorShape(r, name); } catch (e) { bad.push(`${name}: ${e.message}`); }
		}
		assert.deepEqual(bad, [], 'garbage that was not answered with a 4xx JSON error');
		// raw protocol abuse: enormous header values, a lying Content-Length
		const raws = [
			['huge header', [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Junk: ${'j'.repeat(300000)}\r\nConnection: close\r\n\r\n`]],
			['huge Content-Length', ['POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n{}']],
			['Content-Length over the cap', ['POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\nConnection: close\r\n\r\n{}']],
			['negative Content-Length', ['POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}']],
			['long URL', [`GET /api/v1/track/${'A'.repeat(200000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]],
			['not HTTP', [Buffer.concat([crypto.randomBytes(2000), Buffer.from('\r\n\r\n')])]],
			['chunked garbage', ['POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n']],
		];
		for (const [name, parts] of raws) {
			const r = await rawRequest(srv.port, parts);
			assert.ok(r.status === 0 || (r.status >= 400 && r.status < 500), `${name}: ${r.status} ${r.head.slice(0, 200)}`);
			seen.push({ what: `raw ${name}`, status: r.status, text: r.body, raw: true });
		}
		expectStatus(await req(srv, 'GET', '/healthz'), 200, 'healthz after garbage');
		srv.checkLog();
	});

	// An error message that echoes the input byte by byte or cut to a number
	// of bytes (%c, %.40s, %.64s) could hold invalid UTF-8, which JSON cannot
	// carry: messages are made valid UTF-8 (crix_utf8_sanitize) before use.
	it('input echoed in error messages stays valid UTF-8 (4xx, results for every line)', async () => {
		const bad = [];
		const probe = async (name, p) => {
			const r = await p;
			if (r.status < 400 || r.status >= 500) bad.push(`${name}: ${r.status} ${r.text.slice(0, 150)}`);
		};
		const sub = (json) => req(srv, 'POST', '/api/v1/reports', { json });
		await probe('UTF-8 in a reference', req(srv, 'GET', `/api/v1/track/${encodeURIComponent('CRXé✓')}`, { secret: 'x' }));
		await probe('escaped byte 0xff in a reference', req(srv, 'GET', '/api/v1/reports/CRX%ff%fe', { token: T.admin }));
		await probe('long unknown key ending in é', sub({ category: 'phishing', description: 'x', [`${'k'.repeat(39)}é`]: 1 }));
		await probe('long bad email with é at byte 64', sub({ category: 'phishing', description: 'x', suspect: { emails: [`${'a'.repeat(63)}é@x.com`] } }));
		await probe('long bad phone with é at byte 64', sub({ category: 'phishing', description: 'x', suspect: { phones: [`${'a'.repeat(63)}é`] } }));
		await probe('long bad web site with é at byte 64', sub({ category: 'phishing', description: 'x', suspect: { websites: [`${'a'.repeat(63)}é`] } }));
		const nd = `${JSON.stringify({ category: 'phishing', description: 'x', [`${'k'.repeat(39)}é`]: 1 })}\n`;
		const b1 = await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: nd, type: 'application/x-ndjson' });
		if (b1.json.results.length !== b1.json.lines) bad.push(`bulk NDJSON: ${b1.json.lines} lines, ${b1.json.results.length} results`);
		const b2 = await req(srv, 'POST', '/api/v1/reports/bulk', { token: T.bizan, body: `category,${'x'.repeat(59)}é\nphishing,a\n`, type: 'text/csv' });
		if (b2.json.results.length !== b2.json.lines) bad.push(`bulk CSV header: ${b2.json.lines} lines, ${b2.json.results.length} results`);
		assert.deepEqual(bad, []);
	});

	it('GET /metrics is Prometheus text that counts requests and reports', async () => {
		const r = await req(srv, 'GET', '/metrics');
		assert.equal(r.status, 200);
		assert.match(r.headers.get('content-type'), /^text\/plain/);
		assert.match(r.text, /^# TYPE crix_http_requests_total counter$/m);
		assert.match(r.text, /^crix_http_requests_total\{method="POST",route="\/api\/v1\/reports",status="201"\} \d+$/m);
		assert.match(r.text, /^crix_http_requests_total\{[^}]*status="404"\} \d+$/m);
		const m = /^crix_reports_received_total (\d+)$/m.exec(r.text);
		assert.ok(m, 'no crix_reports_received_total');
		assert.equal(Number(m[1]), submitted, 'crix_reports_received_total counts the acknowledged submissions');
		// every sample line parses
		for (const l of r.text.split('\n')) {
			if (l === '' || l.startsWith('#')) continue;
			assert.match(l, /^[a-z_]+(\{([a-z_]+="[^"]*",?)*\})? [0-9.e+-]+$/, `bad sample line: ${l}`);
		}
	});

	it('every 4xx had the error shape; no 500 anywhere', () => {
		const fails = [];
		for (const s of seen) {
			if (s.status >= 500) fails.push(`${s.what}: ${s.status} ${s.text}`);
			if (s.status >= 400 && s.status < 500 && !s.raw) {
				try { checkErrorShape(s, s.what); } catch (e) { fails.push(e.message); }
			}
		}
		assert.deepEqual(fails, []);
		assert.ok(seen.length > 600);
	});

	it('SIGTERM stops the server with exit 0; the audit chain verifies', async () => {
		srv.checkLog();
		const ex = await srv.stop('SIGTERM');
		assert.deepEqual(ex, { code: 0, signal: null }, `stderr: ${srv.stderr.slice(-2000)}`);
		srv.checkLog();
		assert.match(srv.stderr, /"msg":"stopped"/);
		const v = crix(['audit', 'verify', '--data', dir]);
		const n = /intact: (\d+) entries/.exec(v.stdout);
		assert.ok(n, v.stdout);
		assert.ok(Number(n[1]) > 20, `few audit entries: ${v.stdout}`);
	});

	it('the audit chain finds an edit and a deletion made behind crix\'s back', () => {
		const db = path.join(dir, 'crix.db');
		const acts = sql(db, "SELECT count(*) FROM audit WHERE action='report.read-victim';").trim();
		assert.ok(Number(acts) >= 2, `reads of victim data audited: ${acts}`);
		// a copy for the deletion
		const copy = scratch('audit-copy');
		for (const f of fs.readdirSync(dir)) if (f.startsWith('crix.db') || f === 'secret.key') fs.copyFileSync(path.join(dir, f), path.join(copy, f));
		sql(db, "UPDATE audit SET actor='x' WHERE id=3;");
		let v = crix(['audit', 'verify', '--data', dir], { allowFail: true });
		assert.equal(v.status, 1, `verify after an edit: ${v.stdout}${v.stderr}`);
		assert.match(`${v.stdout}${v.stderr}`, /entry 3\b/);
		assert.doesNotMatch(v.stdout, /entry [0-24-9]\b/);
		sql(path.join(copy, 'crix.db'), 'DELETE FROM audit WHERE id=5;');
		v = crix(['audit', 'verify', '--data', copy], { allowFail: true });
		assert.equal(v.status, 1, `verify after a deletion: ${v.stdout}${v.stderr}`);
		assert.match(v.stdout, /broken at entry 6\b/);
		// deleting the last entry cannot be told from the chain; the one before
		// the end is found
		sql(path.join(copy, 'crix.db'), "UPDATE audit SET detail='forged' WHERE id=(SELECT max(id) FROM audit);");
		v = crix(['audit', 'verify', '--data', copy], { allowFail: true });
		assert.equal(v.status, 1);
		assert.match(v.stdout, /broken at entry 6\b/, 'the first break is named');
	});
});

// Edits a database behind crix's back with the sqlite3 command-line tool.
function sql(db, text) {
	const r = spawnSync('sqlite3', [db, text], { encoding: 'utf8' });
	if (r.error) throw r.error;
	assert.equal(r.status, 0, `sqlite3 ${db} "${text}": ${r.stderr}`);
	return r.stdout;
}

describe('rate limit', () => {
	it('public requests over the limit get 429 with Retry-After; signed-in ones do not', async () => {
		const dir = scratch('rate');
		const acc = new Accounts(dir).init();
		const tok = acc.token('admin');
		const srv = await startServer(dir, ['--rate-limit', '3']);
		try {
			const body = { category: 'phishing', description: 'rate limit test' };
			const got = [];
			for (let i = 0; i < 5; i++) got.push(await req(srv, 'POST', '/api/v1/reports', { json: body }));
			assert.deepEqual(got.map((r) => r.status).slice(0, 3), [201, 201, 201]);
			const limited = got.find((r) => r.status === 429);
			assert.ok(limited, `no 429 in ${got.map((r) => r.status)}`);
			expectStatus(limited, 429, 'over the limit');
			const ra = limited.headers.get('retry-after');
			assert.match(ra || '', /^\d+$/);
			assert.ok(Number(ra) >= 1 && Number(ra) <= 60, `Retry-After ${ra}`);
			expectStatus(await req(srv, 'GET', '/api/v1/track/CRX260000000000', { secret: 'x' }), 429, 'track is limited too');
			// not limited: signed in, and the open routes
			expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: body, token: tok }), 201, 'signed in');
			expectStatus(await req(srv, 'GET', '/healthz'), 200, 'healthz');
			const ex = await srv.stop('SIGTERM');
			assert.equal(ex.code, 0);
			srv.checkLog();
		} finally {
			if (srv.proc.exitCode === null) await srv.stop('SIGKILL');
		}
	});
});

// Submits reports from n parallel loops until stop() says so; returns the
// acknowledged ones {reference, tracking_secret, marker}.
function submitLoops(srv, n, tag, { onAck } = {}) {
	const acked = [];
	let stopped = false;
	let seq = 0;
	const loops = Array.from({ length: n }, (_, k) => loop(k).catch((e) => { stopped = true; throw e; }));
	async function loop(k) {
		while (!stopped) {
			const i = seq++;
			const marker = `${tag}-${k}-${i}`;
			const host = `${marker.toLowerCase()}.durable.example.com`;
			let res;
			try {
				res = await fetch(`${srv.base}/api/v1/reports`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ category: 'phishing', description: `Phishing from hxxps://${host.replace(/\./g, '[.]')}/x marker ${marker}`, suspect: { emails: [`x${i}@${host}`] } }),
				});
			} catch {
				return; // the server went away
			}
			let j;
			try { j = await res.json(); } catch { return; }
			if (res.status === 201) {
				acked.push({ ...j, host });
				if (onAck) onAck(acked.length);
			} else if (res.status !== 503) {
				throw new Error(`submission answered ${res.status}: ${JSON.stringify(j)}`);
			} else {
				return;
			}
		}
	}
	return { acked, stop: () => { stopped = true; }, done: Promise.all(loops) };
}

async function checkStored(srv, token, acked) {
	const missing = [];
	await pool(acked, 8, async (a) => {
		const r = await req(srv, 'GET', `/api/v1/reports/${a.reference}`, { token });
		if (r.status !== 200) { missing.push(`${a.reference}: ${r.status}`); return; }
		if (r.json.status !== 'received') missing.push(`${a.reference}: status ${r.json.status}`);
		const vals = r.json.indicators.map((i) => i.value);
		if (!vals.includes(`https://${a.host}/x`) || !vals.some((v) => v.endsWith(`@${a.host}`)))
			missing.push(`${a.reference}: indicators ${JSON.stringify(vals)}`);
		if (r.json.events.length !== 1 || r.json.events[0].type !== 'submitted') missing.push(`${a.reference}: events ${JSON.stringify(r.json.events)}`);
		const t = await req(srv, 'GET', `/api/v1/track/${a.reference}`, { secret: a.tracking_secret });
		if (t.status !== 200 || t.json.status !== 'received') missing.push(`${a.reference}: track ${t.status}`);
	});
	return missing;
}

describe('durability', () => {
	it('every reference acknowledged before kill -9 is there, complete, after a restart', async () => {
		const dir = scratch('kill9');
		const acc = new Accounts(dir).init();
		const tok = acc.token('admin');
		let srv = await startServer(dir, ['--rate-limit', '1000000']);
		let killed;
		const s = submitLoops(srv, 8, 'k9', {
			onAck: (n) => { if (n >= 120 && !killed) killed = srv.stop('SIGKILL'); },
		});
		try {
			await s.done;
		} finally {
			s.stop();
		}
		const ex = await killed;
		assert.equal(ex.signal, 'SIGKILL');
		assert.ok(s.acked.length >= 120, `only ${s.acked.length} acknowledged`);
		srv = await startServer(dir, ['--rate-limit', '1000000']);
		try {
			const missing = await checkStored(srv, tok, s.acked);
			assert.deepEqual(missing, [], `acknowledged before kill -9 but lost or incomplete (of ${s.acked.length})`);
			// what is stored is exactly what was acknowledged, or more (a
			// request committed whose answer was cut off)
			const l = expectStatus(await req(srv, 'GET', '/api/v1/reports?limit=500', { token: tok }), 200, 'list');
			assert.ok(l.json.reports.length >= s.acked.length);
			const ex2 = await srv.stop('SIGTERM');
			assert.equal(ex2.code, 0);
			srv.checkLog();
			assert.equal(crix(['audit', 'verify', '--data', dir]).status, 0);
		} finally {
			if (srv.proc.exitCode === null) await srv.stop('SIGKILL');
		}
	});
});

describe('graceful stop', () => {
	it('SIGTERM while requests are in flight: they finish, exit 0, all acknowledged stored', async () => {
		const dir = scratch('term');
		const acc = new Accounts(dir).init();
		const tok = acc.token('admin');
		let srv = await startServer(dir, ['--rate-limit', '1000000']);
		// a request whose body arrives in two halves, with SIGTERM between
		const body = Buffer.from(JSON.stringify({ category: 'phishing', description: 'slow upload from hxxp://slow-upload[.]example/a' }));
		const half = Math.floor(body.length / 2);
		const s = submitLoops(srv, 8, 'term');
		let exitP;
		const slow = rawRequest(srv.port, [
			`POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
			body.subarray(0, half),
			body.subarray(half),
		], {
			between: async (k) => {
				if (k !== 2) return;
				// the request is admitted and waiting for its body: stop now
				for (let i = 0; i < 500 && s.acked.length < 20; i++) await sleep(10);
				await sleep(200);
				srv.proc.kill('SIGTERM');
				exitP = srv.exit;
				await sleep(200);
			},
		});
		const sr = await slow;
		await s.done;
		s.stop();
		let timer;
		const ex = await Promise.race([exitP, new Promise((res) => { timer = setTimeout(() => res({ code: 'timeout' }), 40000); })]);
		clearTimeout(timer);
		assert.deepEqual(ex, { code: 0, signal: null }, `exit after SIGTERM; stderr: ${srv.stderr.slice(-2000)}`);
		srv.checkLog();
		assert.equal(sr.status, 201, `the request in flight: ${sr.head}\n${sr.body}`);
		const slowRef = JSON.parse(sr.body);
		assert.ok(s.acked.length >= 1);
		srv = await startServer(dir, ['--rate-limit', '1000000']);
		try {
			const missing = await checkStored(srv, tok, s.acked);
			assert.deepEqual(missing, [], `acknowledged before SIGTERM but lost (of ${s.acked.length})`);
			const r = expectStatus(await req(srv, 'GET', `/api/v1/track/${slowRef.reference}`, { secret: slowRef.tracking_secret }), 200, 'slow request stored');
			assert.equal(r.json.status, 'received');
			assert.equal((await srv.stop('SIGTERM')).code, 0);
			srv.checkLog();
		} finally {
			if (srv.proc.exitCode === null) await srv.stop('SIGKILL');
		}
	});
});
