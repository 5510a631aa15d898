// stats.test.mjs - GET /api/v1/stats over real HTTP against `crix serve`
// (run by tests/system/stats.sh): the fact table is kept in step with new
// reports and status changes, and rebuilt equal after a restart; the public
// gets cells below --stats-min-cell suppressed in JSON, CSV and SVG; SVG
// charts (bars, lines, by ?format=svg or Accept) are well-formed XML with
// escaped text (checked with xmllint); bad parameters name the field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Accounts, scratch, startServer, req, expectStatus, seen } from './serve-lib.mjs';

// Checks that text is well-formed XML whose root is an svg element.
function wellFormedSvg(text, what) {
	const r = spawnSync('xmllint', ['--noout', '-'], { input: text, encoding: 'utf8' });
	assert.equal(r.status, 0, `${what}: xmllint: ${r.stderr}`);
	assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 800 450"/, what);
	assert.match(text, /<title>[^<]+<\/title>/, `${what}: no title`);
}

function report(category, region, loss) {
	const r = { kind: 'crime', category, description: 'Statistics test report.', victim: { type: 'person', country: 'GB', region } };
	if (loss) r.loss = { amount_minor: loss, currency: 'GBP' };
	return r;
}

describe('statistics over HTTP', () => {
	let dir;
	let srv;
	let tok;
	const refs = [];

	before(async () => {
		dir = scratch('stats');
		const acc = new Accounts(dir).init();
		acc.org('le', 'Metro Police Cyber Unit', 'law-enforcement', 'GB');
		acc.user('lean', 'le', 'analyst');
		tok = acc.token('lean');
		srv = await startServer(dir, ['--rate-limit', '1000000', '--stats-min-cell', '3']);
	});

	after(async () => {
		if (srv && srv.proc.exitCode === null && srv.proc.signalCode === null) await srv.stop('SIGKILL');
	});

	it('new reports and status changes show at once', async () => {
		const empty = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category', { token: tok }), 200, 'empty');
		assert.equal(empty.json.total, 0);
		for (const loss of [1000, 2000, 3000, 4000]) {
			const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: report('investment-fraud', 'London', loss) }), 201, 'submit');
			refs.push(r.json.reference);
		}
		expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: report('phishing', 'Leeds & <Bradford>', 0) }), 201, 'submit');
		const s = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category', { token: tok }), 200, 'staff');
		assert.equal(s.json.total, 5);
		const inv = s.json.rows.find((r) => r.category === 'investment-fraud');
		assert.equal(inv.reports, 4);
		assert.deepEqual(inv.losses, [{ currency: 'GBP', sum_minor: 10000, median_minor: 2500, reports: 4 }]);
		expectStatus(await req(srv, 'POST', `/api/v1/reports/${refs[0]}/status`, { token: tok, json: { status: 'closed' } }), 200, 'close');
		const st = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=status', { token: tok }), 200, 'by status');
		assert.deepEqual(st.json.rows.map((r) => [r.status, r.reports]), [['closed', 1], ['received', 4]]);
	});

	it('the public gets cells below --stats-min-cell suppressed, in JSON, CSV and SVG', async () => {
		const p = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category'), 200, 'public');
		assert.equal(p.json.total, null);
		assert.equal(p.json.suppressed_below, 3);
		assert.deepEqual(p.json.rows.map((r) => [r.category, r.reports]), [['investment-fraud', 4], ['phishing', null]]);
		const csv = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category&format=csv'), 200, 'public csv');
		assert.ok(csv.text.includes('phishing,suppressed,,,,\n'), csv.text);
		const svg = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category&format=svg'), 200, 'public svg');
		assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
		wellFormedSvg(svg.text, 'public svg');
		assert.ok(svg.text.includes('<title>investment-fraud: 4</title>'), 'the bar of a shown cell');
		assert.ok(!svg.text.includes('<title>phishing:'), 'no bar for a suppressed cell');
		assert.ok(svg.text.includes('fewer than 3 reports are not shown'));
	});

	it('SVG: bars, lines over time, Accept, escaped text', async () => {
		const bars = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=region', { token: tok, headers: { Accept: 'image/svg+xml' } }), 200, 'accept svg');
		wellFormedSvg(bars.text, 'bars');
		assert.ok(bars.text.includes('Leeds &amp; &lt;Bradford&gt;'), 'region escaped');
		assert.ok(bars.text.includes('<title>Reports by region</title>'));
		const line = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=day&format=svg', { token: tok }), 200, 'line');
		wellFormedSvg(line.text, 'line');
		assert.match(line.text, /<path fill="none" stroke="#1f77b4" stroke-width="2" d="M[\d.]+ [\d.]+ "/);
		const two = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category,month&format=svg&category=%3Cb%3E%26x', { token: tok }), 200, 'two dims');
		wellFormedSvg(two.text, 'two dims');
		assert.ok(two.text.includes('&lt;b&gt;&amp;x'), 'filter escaped in the title');
		const legend = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=month,category&format=svg', { token: tok }), 200, 'legend');
		wellFormedSvg(legend.text, 'legend');
		assert.ok(legend.text.includes('>investment-fraud</text>') && legend.text.includes('>phishing</text>'));
	});

	it('bad parameters are 400 naming the field', async () => {
		for (const [q, field] of [['format=png', 'format'], ['group_by=category,category', 'group_by'], ['group_by=colour', 'group_by'], ['from=yesterday', 'from'], [`region=${'x'.repeat(200)}`, 'region']]) {
			const r = expectStatus(await req(srv, 'GET', `/api/v1/stats?${q}`), 400, q);
			assert.equal(r.json.error.field, field, q);
		}
	});

	it('after a restart the figures are rebuilt from the store, the same', async () => {
		const before = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category,status', { token: tok }), 200, 'before');
		await srv.stop('SIGTERM');
		srv.checkLog();
		srv = await startServer(dir, ['--rate-limit', '1000000']);
		const again = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category,status', { token: tok }), 200, 'after');
		assert.deepEqual(again.json, before.json);
		const pub = expectStatus(await req(srv, 'GET', '/api/v1/stats?group_by=category'), 200, 'public default');
		assert.equal(pub.json.suppressed_below, 5);
		srv.checkLog();
		assert.deepEqual(seen.filter((x) => x.status >= 500), []);
	});
});
