// stix-export.test.mjs - `crix export stix --data DIR` over a real store
// filled through the real server (run from export.sh): reports as report
// objects referring to their suspects' indicators, a case of linked reports
// as a report of reports, organisations as identities, partners' sightings as
// sighting objects; every object valid against the official STIX 2.1
// schemas (stix-validate.mjs, STIX_SCHEMAS); and no victim name, e-mail,
// phone or account anywhere in the bundle, although the victims gave them
// (and the description names one).  Only reports whose reporter consented
// to sharing with partners are exported (--law-enforcement: with law
// enforcement), and the others are counted.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
	Accounts, startServer, scratch, req, killAll, expectStatus, crix, ROOT,
} from './serve-lib.mjs';

after(killAll);

const SCHEMAS = process.env.STIX_SCHEMAS;
const TAXII = 'application/taxii+json;version=2.1';
// who consented to what: 0 both, 1 partners only, 2 law enforcement only
const CONSENTS = [
	{ contact: true, share_with_partners: true, share_with_law_enforcement: true },
	{ share_with_partners: true, share_with_law_enforcement: false },
	{ contact: true, share_with_law_enforcement: true },
];
const VICTIMS = [
	{ name: 'Alice Victimova', email: 'alice.victimova@home-mail.example', phone: '+44 7700 900123', accounts: ['GB33BUKB20201555555555', 'alice-acct-778899'] },
	{ name: 'Bertram Zwoelfer', email: 'bertram.zwoelfer@home-mail.example', phone: '+44 7700 900456', accounts: ['GB94BARC10201530093459'] },
	{ name: 'Carla Quixoteer', email: 'carla.quixoteer@home-mail.example', phone: '+44 7700 900789', accounts: ['carla-wallet-acct'] },
];

function report(i, website, email, phone) {
	const v = VICTIMS[i];
	return {
		kind: 'crime', category: 'investment-fraud',
		description: `I am ${v.name} (${v.email}, ${v.phone}); they sent me to ${website}.`,
		loss: { amount_minor: 100000 * (i + 1), currency: 'GBP' }, payment_method: 'bank-transfer',
		suspect: { emails: [email], phones: [phone], websites: [website] },
		victim: { type: 'person', name: v.name, email: v.email, phone: v.phone, accounts: v.accounts, country: 'GB', region: 'Kent' },
		consents: CONSENTS[i],
	};
}

describe('crix export stix --data', () => {
	let dir, acc, srv;
	const refs = [];
	let indicatorId;

	before(async () => {
		dir = scratch('stix-export');
		acc = new Accounts(dir).init();
		acc.org('A', 'CERT A', 'cert', 'GB');
		acc.org('B', 'Bank B', 'business', 'GB');
		acc.org('L', 'Police L', 'law-enforcement', 'GB');
		acc.user('aa1', 'A', 'analyst');
		acc.user('bb1', 'B', 'analyst');
		acc.token('aa1');
		acc.token('bb1');
		srv = await startServer(dir);
		// two reports share a website (one case); the third stands alone
		for (const [i, site, mail, phone] of [[0, 'gold-invest-scam.com', 'boss@gold-invest-scam.com', '+44 20 7946 0123'],
			[1, 'gold-invest-scam.com', 'sales@other-scam.net', '+44 20 7946 0456'], [2, 'lonely-scam.org', 'x@lonely-scam.org', '+44 20 7946 0789']]) {
			const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: report(i, site, mail, phone) }), 201, `report ${i}`);
			refs.push(r.json.reference);
		}
		// a shared indicator and a partner's sighting of it
		const c = expectStatus(await req(srv, 'POST', '/api/v1/collections', { token: acc.users.aa1.token, json: { title: 'g', tlp: 'green' } }), 201, 'collection').json.id;
		indicatorId = `indicator--${crypto.randomUUID()}`;
		const T0 = '2024-05-01T12:00:00.000Z';
		const r = await fetch(`${srv.base}/taxii2/api/collections/${c}/objects/`, {
			method: 'POST', headers: { Authorization: `Bearer ${acc.users.aa1.token}`, 'Content-Type': TAXII, Accept: TAXII },
			body: JSON.stringify({ objects: [{ type: 'indicator', spec_version: '2.1', id: indicatorId, created: T0, modified: T0, valid_from: T0, pattern_type: 'stix', pattern: "[domain-name:value = 'gold-invest-scam.com']" }] }),
		});
		assert.equal(r.status, 202);
		expectStatus(await req(srv, 'POST', '/api/v1/sightings', { token: acc.users.bb1.token, json: [{ value: 'www.gold-invest-scam.com', count: 9, first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-02T00:00:00Z', where: 'mail gateway', observed_data: [`observed-data--${crypto.randomUUID()}`] }] }), 200, 'sighting');
	});

	it('reports, a case, organisations and sightings: valid STIX, linked, no victim data', async (t) => {
		if (!SCHEMAS) return t.skip('no STIX_SCHEMAS');
		const r = crix(['export', 'stix', '--data', dir, '--reports', '--cases', '--orgs', '--sightings', '--org', 'National Reporting Centre', '--tlp', 'amber', '--time', '2026-05-01T00:00:00Z']);
		assert.match(r.stderr, /2 reports \(0 without an exportable indicator left out, 1 without consent to share with partners left out\), 1 cases, 4 organisations, 1 sightings/); // 4: crix admin init's too
		const file = path.join(dir, 'bundle.json');
		fs.writeFileSync(file, r.stdout);
		const v = spawnSync('node', [path.join(ROOT, 'tests/system/stix-validate.mjs'), SCHEMAS, file], { encoding: 'utf8' });
		assert.equal(v.status, 0, v.stdout + v.stderr);
		assert.match(v.stdout, /bundle valid/);
		for (const t2 of ['report', 'identity', 'sighting']) assert.match(v.stdout, new RegExp(`${t2}: \\d`), `${t2} validated`);
		const b = JSON.parse(r.stdout);
		const by = (type) => b.objects.filter((o) => o.type === type);
		const ids = new Set(b.objects.map((o) => o.id));
		assert.equal(ids.size, b.objects.length, 'duplicate ids');
		const centre = by('identity').find((o) => o.name === 'National Reporting Centre');
		assert.ok(centre);
		// reports: named by reference, created by the centre, refs resolve
		const reports = by('report').filter((o) => !o.labels.includes('case'));
		assert.deepEqual(reports.map((o) => o.name).sort(), [refs[0], refs[1]].sort(), 'the reports consenting to partners');
		assert.ok(!r.stdout.includes('lonely-scam'), 'nothing of the report without consent, its indicators neither');
		for (const o of reports) {
			assert.equal(o.created_by_ref, centre.id);
			assert.deepEqual(o.labels, ['investment-fraud']);
			for (const ref of o.object_refs) assert.ok(ids.has(ref), `dangling ${ref}`);
			const pats = o.object_refs.map((x) => b.objects.find((y) => y.id === x)).filter((y) => y.type === 'indicator').map((y) => y.pattern).join(' ');
			assert.match(pats, /scam/);
		}
		// the case: a report of the two reports sharing the website
		const groups = by('report').filter((o) => o.labels.includes('case'));
		assert.equal(groups.length, 1);
		assert.equal(groups[0].name, `case ${refs[0]}`);
		const inCase = groups[0].object_refs.map((x) => b.objects.find((y) => y.id === x).name).sort();
		assert.deepEqual(inCase, [refs[0], refs[1]].sort());
		// organisations with sectors from their kind
		const sector = (name) => by('identity').find((o) => o.name === name).sectors;
		assert.deepEqual(sector('Police L'), ['government-emergency-services']);
		assert.deepEqual(sector('Bank B'), ['commercial']);
		assert.deepEqual(sector('CERT A'), ['government-public-services']);
		// the sighting: of the shared indicator, where: the bank
		const s = by('sighting')[0];
		assert.equal(s.sighting_of_ref, indicatorId);
		assert.equal(s.count, 9);
		assert.equal(s.description, 'mail gateway');
		assert.equal(s.where_sighted_refs[0], by('identity').find((o) => o.name === 'Bank B').id);
		// no victim data anywhere
		const text = r.stdout.toLowerCase();
		for (const v2 of VICTIMS)
			for (const bad of [v2.name, v2.email, v2.phone, v2.phone.replaceAll(' ', ''), ...v2.accounts, v2.name.split(' ')[1]])
				assert.ok(!text.includes(bad.toLowerCase()), `victim data in the bundle: ${bad}`);
		assert.ok(!text.includes('home-mail.example'));
		assert.ok(!text.includes('kent'));
		// --status keeps only those reports (none are disseminated yet)
		const none = crix(['export', 'stix', '--data', dir, '--reports', '--status', 'disseminated'], { allowFail: true });
		assert.equal(none.status, 1);
	});

	it('--law-enforcement: the reports consenting to law enforcement instead, counted likewise', async (t) => {
		const r = crix(['export', 'stix', '--data', dir, '--cases', '--law-enforcement', '--org', 'National Reporting Centre']);
		assert.match(r.stderr, /2 reports \(0 without an exportable indicator left out, 1 without consent to share with law enforcement left out\), 0 cases/);
		const b = JSON.parse(r.stdout);
		const reports = b.objects.filter((o) => o.type === 'report');
		assert.deepEqual(reports.map((o) => o.name).sort(), [refs[0], refs[2]].sort(), 'no case: the linked report did not consent');
		assert.ok(!r.stdout.includes('other-scam.net'), 'nothing of the report consenting to partners only');
		assert.ok(r.stdout.includes('lonely-scam.org'));
		// no report consents to anything: nothing exported, exit 1
		const dir2 = scratch('stix-export-none');
		const acc2 = new Accounts(dir2).init();
		const srv2 = await startServer(dir2);
		const plain = { ...report(0, 'quiet-scam.com', 'a@quiet-scam.com', '+44 20 7946 0999') };
		delete plain.consents;
		expectStatus(await req(srv2, 'POST', '/api/v1/reports', { json: plain }), 201, 'report without consents');
		await srv2.stop();
		const none = crix(['export', 'stix', '--data', dir2, '--reports'], { allowFail: true });
		assert.equal(none.status, 1);
		assert.match(none.stderr, /0 reports \(0 without an exportable indicator left out, 1 without consent to share with partners left out\)/);
		assert.ok(acc2);
		if (SCHEMAS) {
			const file = path.join(dir, 'le.json');
			fs.writeFileSync(file, r.stdout);
			const v = spawnSync('node', [path.join(ROOT, 'tests/system/stix-validate.mjs'), SCHEMAS, file], { encoding: 'utf8' });
			assert.equal(v.status, 0, v.stdout + v.stderr);
		}
		t.diagnostic('consent honoured both ways');
	});

	it('usage errors', () => {
		for (const args of [['--reports'], ['--data', dir], ['--data', dir, '--reports', 'file.txt'], ['--data', dir, '--orgs', '--status', 'x'], ['--data', dir, '--orgs', '--law-enforcement'], ['--data', path.join(dir, 'nope'), '--orgs']]) {
			const r = crix(['export', 'stix', ...args], { allowFail: true });
			assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
			assert.match(r.stderr, /--data|--status|--reports|no crix database/);
		}
	});
});
