// web.test.mjs - the crix web pages in Debian's chromium (playwright-core)
// against a real `crix serve --web web/`.  Run by tests/system/web.sh.
// Every page visited is checked for its Content-Security-Policy header and
// for console errors, page errors and CSP violations, and is saved as a
// screenshot in $SCREENSHOTS (or SCRATCH/screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Accounts, startServer, scratch, req, expectStatus, rawRequest, killAll, crix, CATALOGUE, ROOT } from './serve-lib.mjs';
import { WebTests, PAGE_CSP, PHONE_SCREEN, text, unlabelled, lowContrast } from './web-lib.mjs';

const WEB = path.join(ROOT, 'web');
const SITE = 'northgate-verify.top';
let srv, acc;
const web = new WebTests({ csp: () => [...PAGE_CSP, "frame-ancestors 'none'", "base-uri 'none'"],
	headers: { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } });
const { problems, visited, context, shot } = web;
const victim = {}; // reference and secret of the report made in the browser
let earlier; // a report made before, naming the same web site

before(async () => {
	const dir = scratch('web');
	acc = new Accounts(dir).init();
	acc.org('centre', 'National Reporting Centre', 'public-sector', 'GB');
	acc.org('police', 'Metro Police Cyber Unit', 'law-enforcement', 'GB');
	acc.user('ana', 'centre', 'analyst');
	acc.user('ivy', 'police', 'investigator');
	acc.user('val', 'centre', 'viewer');
	srv = await startServer(dir, ['--web', WEB, '--rate-limit', '100000']);
	await web.start(srv, dir);
	// The earlier report, from another victim, by the API.
	const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: {
		category: 'phishing', description: `A text message sent me to https://${SITE}/parcel to pay a fee.`,
		suspect: { websites: [SITE] } } }), 201, 'earlier report');
	earlier = r.json.reference;
});

after(async () => {
	await web.close();
	await killAll();
});

async function noProblems() {
	assert.deepEqual(problems, [], 'console errors, page errors or missing headers');
}

async function signIn(ctx, user) {
	const page = await ctx.newPage();
	await page.goto('/staff/login');
	await page.fill('#username', user.username);
	await page.fill('#password', user.password);
	await shot(page, `login-${user.username}`);
	await Promise.all([page.waitForURL('**/staff/'), page.click('button[type=submit]')]);
	await page.waitForSelector('#queue tbody tr');
	return page;
}

test('the server answers pages safely', async () => {
	for (const [p, want] of [['/', 200], ['/report', 200], ['/css/site.css', 200], ['/js/api.js', 200], ['/nope', 404]]) {
		const r = await req(srv, 'GET', p, { headers: { 'Cache-Control': 'no-cache' } });
		assert.equal(r.status, want, `GET ${p}`);
		assert.match(r.headers.get('content-security-policy') || '', /script-src 'self'/, `CSP on ${p}`);
	}
	const js = await req(srv, 'GET', '/js/api.js');
	assert.match(js.headers.get('content-type'), /^text\/javascript/);
	assert.match(js.headers.get('cache-control'), /no-cache/);
	const etag = js.headers.get('etag');
	assert.ok(etag, 'an ETag');
	assert.equal((await req(srv, 'GET', '/js/api.js', { headers: { 'If-None-Match': etag } })).status, 304);
	const nf = await req(srv, 'GET', '/no/such/page');
	assert.match(nf.headers.get('content-type'), /^text\/html/);
	assert.ok(!nf.text.startsWith('{'), 'the 404 page is not JSON');
	expectStatus(await req(srv, 'GET', '/api/v1/nope'), 404, 'an API 404 stays JSON');
	// A directory without its slash is redirected to it.
	const dir = await rawRequest(srv.port, ['GET /staff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
	assert.equal(dir.status, 308);
	assert.match(dir.head, /\r\nLocation: \/staff\/\r\n/i);
	// Raw requests: fetch would normalise the dots away.
	for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/js/..%2f..%2f..%2fetc/passwd', '/.hidden', '/js/%00api.js']) {
		const r = await rawRequest(srv.port, [`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
		assert.ok([400, 404].includes(r.status), `GET ${p}: ${r.status}`);
		assert.ok(!/root:/.test(r.body), `GET ${p} leaked a file`);
	}
});

test('--web names a directory with an index.html', () => {
	const d = scratch('web-bad');
	const r = crix(['serve', '--data', d, '--listen', '127.0.0.1:0', '--catalogue', CATALOGUE, '--web', path.join(d, 'none')], { allowFail: true });
	assert.notEqual(r.status, 0);
	assert.match(r.stderr, /--web .*none: no readable index\.html/);
});

test('the form asks only what applies, and shows the server\'s errors next to their field', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto('/report');
	await page.waitForSelector('#category option[value=phishing]', { state: 'attached' });
	// Out of scope: where to go instead, and no way on.
	await page.selectOption('#category', 'immediate-danger');
	assert.match(await text(page, '#refer'), /112/);
	assert.equal(await page.isVisible('#next'), false, 'no Next for an out-of-scope category');
	await shot(page, 'report-out-of-scope');
	// An attempt at a fraud: no money step, no bank accounts asked.
	await page.selectOption('#category', 'investment-fraud');
	await page.check('input[name=kind][value=information]');
	assert.doesNotMatch(await text(page, '#progress'), /Money/);
	// Hacking: no money step, no names asked.
	await page.selectOption('#category', 'email-account-hacking');
	await page.check('input[name=kind][value=crime]');
	assert.doesNotMatch(await text(page, '#progress'), /Money/);
	await page.fill('#description', 'Someone got into my mail account and wrote to my contacts.');
	await page.click('#next');
	await page.click('#next');
	assert.equal(await page.isVisible('#h-suspect'), true);
	assert.equal(await page.isVisible('#s-names'), false, 'no names for hacking');
	assert.equal(await page.isVisible('#s-banks'), false, 'no bank accounts without money');
	// A phone number the API refuses: the error is next to the field.
	await page.fill('#s-phones', 'call me maybe');
	for (let i = 0; i < 3; i++) await page.click('#next'); // you, evidence, check
	assert.equal(await page.isVisible('#h-check'), true);
	await page.click('#next');
	await page.waitForFunction(() => document.querySelector('#err-s-phones').textContent.length > 0);
	assert.match(await text(page, '#err-s-phones'), /suspect\.phones/);
	assert.equal(await page.evaluate(() => document.activeElement.id), 's-phones');
	assert.equal(await page.isVisible('#h-suspect'), true, 'back on the step of the field');
	await shot(page, 'report-server-error');
	await ctx.close();
	// The refused report is a 400 the page expected: take it off the list.
	const i = problems.findIndex((p) => /status of 400/.test(p));
	if (i >= 0) problems.splice(i, 1);
	await noProblems();
});

test('a victim reports a phishing fraud with evidence and gets a reference and advice', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto('/');
	await shot(page, 'home');
	await page.click('text=Report a crime or a scam');
	await page.waitForSelector('#category option[value=phishing]', { state: 'attached' });
	await shot(page, 'report-what');
	assert.deepEqual(await unlabelled(page), [], 'unlabelled controls on /report');
	assert.deepEqual(await lowContrast(page), [], 'low-contrast text on /report');
	await page.selectOption('#category', 'phishing');
	await page.fill('#description', `An email from my bank asked me to log in at https://login.${SITE}/secure and I typed my card details.`);
	await page.click('#next');
	await page.fill('#occurred-start', '2026-11-02');
	await shot(page, 'report-when');
	await page.click('#next');
	// Phishing is a fraud: the money step is asked.
	assert.equal(await page.isVisible('#h-money'), true, 'the money step for a fraud');
	await page.selectOption('#payment-method', 'card');
	await page.fill('#amount', '120.50');
	await page.fill('#currency', 'EUR');
	await shot(page, 'report-money');
	await page.click('#next');
	await page.fill('#s-websites', SITE);
	await shot(page, 'report-suspect');
	// A reload keeps the answers and the step (sessionStorage).
	await page.reload();
	await page.waitForSelector('#h-suspect', { state: 'visible' });
	assert.equal(await page.inputValue('#s-websites'), SITE, 'the answers survive a reload');
	assert.equal(await page.inputValue('#category'), 'phishing');
	await page.click('#next');
	await page.fill('#v-name', 'Alex Example');
	await page.fill('#v-email', 'alex@example.org');
	await page.fill('#v-country', 'gb');
	await shot(page, 'report-you');
	await page.click('#next');
	await page.setInputFiles('#evidence', { name: 'bank-mail.eml', mimeType: 'message/rfc822',
		buffer: Buffer.from(`From: security@${SITE}\r\nSubject: Verify your card\r\n\r\nLog in at https://login.${SITE}/secure\r\n`) });
	await shot(page, 'report-evidence');
	await page.click('#next');
	assert.match(await text(page, '#summary'), /bank-mail\.eml/);
	assert.match(await text(page, '#summary'), /120\.50 EUR/);
	await shot(page, 'report-check');
	await page.click('#next');
	await page.waitForSelector('#receipt:not(.hidden)');
	victim.ref = (await text(page, '#r-ref')).trim();
	victim.secret = (await text(page, '#r-secret')).trim();
	assert.match(victim.ref, /^CRX[0-9A-Z]{11}$/);
	assert.ok(victim.secret.length >= 20, 'a tracking secret');
	assert.ok(await page.locator('#r-advice li').count() >= 2, 'advice is given');
	assert.match(await text(page, '.keep'), /Keep the reference number and the tracking secret safe/);
	assert.deepEqual(await lowContrast(page), [], 'low-contrast text on the receipt');
	assert.equal(await page.evaluate(() => sessionStorage.getItem('crix-report-draft')), null, 'the draft is gone once sent');
	await shot(page, 'report-receipt');
	// Printed: the receipt without the navigation and buttons.
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.isVisible('header.site'), false, 'no header in print');
	assert.equal(await page.isVisible('#print'), false, 'no buttons in print');
	assert.equal(await page.isVisible('#r-secret'), true, 'the secret is printed');
	await shot(page, 'report-receipt-print');
	await page.emulateMedia({ media: 'screen' });
	// The report holds the file, the loss and the victim's details.
	const r = expectStatus(await req(srv, 'GET', `/api/v1/reports/${victim.ref}?include=victim`, { token: acc.token('ivy') }), 200, 'the report');
	assert.equal(r.json.evidence.length, 1);
	assert.equal(r.json.evidence[0].name, 'bank-mail.eml');
	assert.deepEqual(r.json.report.loss, { amount_minor: 12050, currency: 'EUR' });
	assert.equal(r.json.victim.name, 'Alex Example');
	assert.equal(r.json.victim.country, 'GB');
	await ctx.close();
	await noProblems();
});

test('the victim tracks the report and adds information', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto(`/track?ref=${victim.ref}`);
	await page.fill('#secret', victim.secret);
	await shot(page, 'track-form');
	assert.deepEqual(await unlabelled(page), [], 'unlabelled controls on /track');
	await page.click('#lookup button[type=submit]');
	await page.waitForSelector('#view:not(.hidden)');
	assert.match(await text(page, '#t-facts'), /Received/);
	await page.fill('#a-text', 'They called again from +44 20 7946 0456.');
	await page.fill('#a-phones', '+44 20 7946 0456');
	await page.click('#add button[type=submit]');
	await page.waitForFunction(() => /You added information/.test(document.querySelector('#t-history').innerText));
	assert.equal((await text(page, '#t-additions-you-made')).trim(), '1');
	await shot(page, 'track-added');
	await ctx.close();
	await noProblems();
});

test('an analyst finds the report linked into a case and disseminates it', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana);
	assert.match(await text(page, '#queue'), new RegExp(victim.ref));
	assert.match(await text(page, '#queue'), new RegExp(earlier));
	await shot(page, 'queue');
	// Indicator search: the web site in another case finds both reports.
	await page.fill('#f-indicator', SITE.toUpperCase());
	await page.click('#filters button[type=submit]');
	await page.waitForFunction((n) => document.querySelectorAll('#queue tbody tr a').length === n, 2);
	await shot(page, 'indicator-search');
	await page.click(`#queue a:text("${victim.ref}")`);
	await page.waitForSelector('#facts dd');
	assert.equal(await page.isVisible('#victim-section'), false, 'an analyst does not see the victim');
	assert.equal(await page.isVisible('#victim-hidden'), true);
	assert.doesNotMatch(await page.content(), /Alex Example/);
	await shot(page, 'report-analyst');
	await page.click('#case-link');
	await page.waitForSelector('#graph-svg');
	assert.match(await text(page, '#reports'), new RegExp(earlier));
	assert.match(await text(page, '#shared'), new RegExp(SITE));
	assert.equal(await page.locator('#graph-svg circle').count(), 2, 'two reports in the graph');
	assert.ok(await page.locator('#graph-svg line.edge').count() >= 2, 'both linked to the web site');
	await shot(page, 'case');
	await page.click('#back');
	for (const st of ['triaged', 'under-review', 'disseminated']) {
		await page.waitForSelector(`#s-status option[value="${st}"]`, { state: 'attached' });
		await page.selectOption('#s-status', st);
		if (st === 'disseminated') await page.fill('#s-victim-note', 'Your report was passed to the Metro Police Cyber Unit.');
		await page.click('#status-form button[type=submit]');
		await page.waitForFunction((s) => document.querySelector('#cur-status')?.textContent === s, st);
	}
	// Analysts may not record outcomes: the form offers none.
	assert.equal(await page.locator('#s-status option').count(), 0);
	assert.equal(await page.isVisible('#no-moves'), true);
	await page.fill('#n-text', 'Same site as an earlier SMS report.');
	await page.click('#note-form button[type=submit]');
	await page.waitForFunction(() => /Same site as an earlier SMS report/.test(document.querySelector('#events').innerText));
	await shot(page, 'report-disseminated');
	await ctx.close();
	await noProblems();
});

test('an investigator records the outcome and the victim sees it', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ivy);
	await page.goto(`/staff/report?ref=${victim.ref}`);
	await page.waitForSelector('#victim-section:not(.hidden)');
	assert.deepEqual(await unlabelled(page), [], 'unlabelled controls on /staff/report');
	assert.deepEqual(await lowContrast(page), [], 'low-contrast text on /staff/report');
	assert.match(await text(page, '#victim'), /Alex Example/, 'an investigator sees the victim');
	assert.match(await text(page, '#evidence'), /bank-mail\.eml/);
	assert.match(await text(page, '#events'), /addition by victim: They called again from \+44 20 7946 0456\.; suspect phones: \+44 20 7946 0456/);
	await page.selectOption('#s-status', 'outcome');
	await page.selectOption('#s-outcome', 'judicial');
	await page.fill('#s-victim-note', 'A suspect was charged.');
	await page.click('#status-form button[type=submit]');
	await page.waitForFunction(() => document.querySelector('#cur-status')?.textContent === 'outcome');
	await shot(page, 'report-outcome');
	// The statistics page draws its chart.
	await page.click('a[href="/staff/stats"]');
	await page.waitForSelector('#chart-svg rect.bar');
	assert.match(await text(page, '#table'), /phishing/);
	const href = await page.getAttribute('#csv', 'href');
	assert.match(href, /format=csv/);
	const csv = await page.request.get(href);
	assert.equal(csv.status(), 200);
	assert.match(await csv.text(), /^category,reports/);
	await page.selectOption('#g', 'status');
	await page.click('#stats-form button[type=submit]');
	await page.waitForFunction(() => /outcome/.test(document.querySelector('#chart-svg desc').textContent));
	await shot(page, 'stats');
	await ctx.close();
	const vctx = await context();
	const v = await vctx.newPage();
	await v.goto(`/track?ref=${victim.ref}`);
	await v.fill('#secret', victim.secret);
	await v.click('#lookup button[type=submit]');
	await v.waitForSelector('#view:not(.hidden)');
	assert.match(await text(v, '#t-outcome'), /charged or prosecuted/);
	assert.match(await text(v, '#t-history'), /A suspect was charged\./);
	assert.match(await text(v, '#t-history'), /passed to the Metro Police Cyber Unit/);
	await shot(v, 'track-outcome');
	await vctx.close();
	await noProblems();
});

test('an admin sees the accounts page', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.admin);
	await page.click('a[href="/staff/admin"]');
	await page.waitForFunction(() => /Metro Police Cyber Unit/.test(document.querySelector('#orgs').innerText));
	await page.fill('#t-name', 'feed');
	await page.click('#token-form button[type=submit]');
	await page.waitForSelector('#token-made:not(.hidden)');
	assert.deepEqual(await unlabelled(page), [], 'unlabelled controls on /staff/admin');
	assert.match(await text(page, '#token-made'), /crix_/);
	await shot(page, 'accounts');
	await ctx.close();
	await noProblems();
});

// Presses Tab until the element matching sel has the focus.
async function tabTo(page, sel, max = 60) {
	for (let i = 0; i < max; i++) {
		if (await page.evaluate((s) => document.activeElement?.matches(s), sel)) return;
		await page.keyboard.press('Tab');
	}
	assert.fail(`Tab never reached ${sel}`);
}

test('the report form works with the keyboard alone', async () => {
	const ctx = await context();
	const page = await ctx.newPage();
	await page.goto('/report');
	await page.waitForSelector('#category option[value=phishing]', { state: 'attached' });
	await tabTo(page, '#category');
	const idx = await page.$eval('#category', (s) => [...s.options].findIndex((o) => o.value === 'online-shopping-fraud'));
	for (let i = 0; i < idx; i++) await page.keyboard.press('ArrowDown');
	assert.equal(await page.inputValue('#category'), 'online-shopping-fraud');
	// Next without a description: the error is next to the field, which has the focus.
	await tabTo(page, '#next');
	await page.keyboard.press('Enter');
	assert.match(await text(page, '#err-description'), /Tell us what happened/);
	assert.equal(await page.evaluate(() => document.activeElement.id), 'description');
	assert.equal(await page.getAttribute('#description', 'aria-invalid'), 'true');
	await shot(page, 'keyboard-error');
	await page.keyboard.type(`I paid for a phone on ${SITE} and it never came.`);
	await tabTo(page, '#next');
	await page.keyboard.press('Enter');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'h-when', 'the next step takes the focus');
	await tabTo(page, '#next');
	await page.keyboard.press('Enter');
	await tabTo(page, '#amount');
	await page.keyboard.type('89.99');
	await tabTo(page, '#next');
	await page.keyboard.press('Enter');
	await tabTo(page, '#s-websites');
	await page.keyboard.type(`https://${SITE}/shop`);
	for (let i = 0; i < 3; i++) { // suspect -> you -> evidence -> check
		await tabTo(page, '#next');
		await page.keyboard.press('Enter');
	}
	assert.equal(await page.evaluate(() => document.activeElement.id), 'h-check');
	await tabTo(page, '#next');
	await page.keyboard.press('Enter');
	await page.waitForSelector('#receipt:not(.hidden)');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'h-receipt');
	assert.match(await text(page, '#r-ref'), /^CRX/);
	await shot(page, 'keyboard-receipt');
	await ctx.close();
	await noProblems();
});

test('the report form fits a 390-px-wide phone screen', async () => {
	const ctx = await context(PHONE_SCREEN);
	const page = await ctx.newPage();
	const fits = async (what) => {
		const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
		assert.ok(sw <= cw, `${what}: ${sw} px wide content on a ${cw} px screen`);
	};
	for (const p of ['/', '/track']) {
		await page.goto(p);
		await fits(p);
		await shot(page, `phone${p.replace(/\//g, '-') || '-home'}`);
	}
	await page.goto('/report');
	await page.waitForSelector('#category option[value=phishing]', { state: 'attached' });
	await page.selectOption('#category', 'investment-fraud');
	await page.fill('#description', `A broker on https://${SITE}/very/long/path/that/should/wrap/instead/of/scrolling/${'x'.repeat(80)} took my savings.`);
	for (const step of ['what', 'when', 'money', 'suspect', 'you', 'evidence', 'check']) {
		await page.waitForSelector(`#h-${step}`, { state: 'visible' });
		await fits(`step ${step}`);
		await shot(page, `phone-report-${step}`);
		if (step !== 'check') await page.click('#next');
	}
	await ctx.close();
	await noProblems();
});

test('an analyst publishes alerts; the public sees the CLEAR one and not the GREEN one', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana);
	page.on('dialog', (d) => d.accept()); // the withdraw confirmation
	await page.click('#staff-nav a[href="/staff/alerts"]');
	await page.waitForURL('**/staff/alerts');
	await page.waitForSelector('#category option[value=phishing]', { state: 'attached' });
	assert.deepEqual(await unlabelled(page), []);
	assert.deepEqual(await lowContrast(page), []);
	const fillAlert = async (title, lines) => {
		await page.fill('#title', title);
		await page.selectOption('#category', 'phishing');
		await page.fill('#summary', `Texts say a parcel is held and ask for a fee at ${SITE}.\nThey look like the postal service.`);
		await page.fill('#advice', 'Do not click the link.\nForward the text to 7726 and delete it.');
		await page.fill('#indicators', lines);
	};
	// A bad second line: the error is next to the indicators box, which
	// gets the focus.
	await fillAlert('Parcel fee texts', `${SITE.replace('.', '[.]')}\nnot an indicator`);
	await page.click('#publish');
	await page.waitForFunction(() => document.querySelector('#err-indicators').textContent.length > 0);
	assert.match(await text(page, '#err-indicators'), /^Line 2: indicators\[1\]/);
	assert.equal(await page.evaluate(() => document.activeElement.id), 'indicators');
	assert.equal(await page.getAttribute('#indicators', 'aria-invalid'), 'true');
	await shot(page, 'staff-alert-error');
	// With the keyboard: TLP:CLEAR by arrow key, sent with Enter.
	await page.fill('#indicators', `${SITE.replace('.', '[.]')}\n+44 7700 900123`);
	await page.focus('#tlp-green');
	await page.keyboard.press('ArrowDown');
	assert.equal(await page.isChecked('#tlp-clear'), true);
	await page.focus('#expires');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => /Published alert/.test(document.querySelector('#status').textContent));
	assert.match(await text(page, '#status'), /TLP:CLEAR/);
	await fillAlert('Partners only: mule accounts', 'GB82 WEST 1234 5698 7654 32');
	await page.check('#tlp-green');
	await page.click('#publish');
	await page.waitForFunction(() => /TLP:GREEN/.test(document.querySelector('#status').textContent));
	await page.waitForSelector('#alerts article:nth-of-type(2)');
	assert.match(await text(page, '#alerts'), /Partners only: mule accounts[\s\S]*Parcel fee texts/);
	await shot(page, 'staff-alerts');

	// The public: from the start page to the alerts; the CLEAR one with
	// its advice and indicators, not the GREEN one.
	const pub = await context();
	const p2 = await pub.newPage();
	await p2.goto('/');
	await Promise.all([p2.waitForURL('**/alerts'), p2.click('main a[href="/alerts"]')]);
	await p2.waitForSelector('#alerts article');
	const shown = await text(p2, '#alerts');
	assert.match(shown, /Parcel fee texts/);
	assert.match(shown, /Forward the text to 7726/);
	assert.match(shown, new RegExp(`Website: ${SITE.replace('.', '\\.')}`));
	assert.match(shown, /Phone number: \+447700900123/);
	assert.doesNotMatch(shown, /Partners only/);
	assert.equal(await p2.locator('#alerts article').count(), 1);
	assert.deepEqual(await lowContrast(p2), []);
	await shot(p2, 'public-alerts');
	// The track page and the report receipt link to them too.
	await p2.goto('/track');
	assert.equal(await p2.locator('a#t-alerts[href="/alerts"]').count(), 1);
	await p2.goto('/report');
	assert.equal(await p2.locator('a#r-alerts[href="/alerts"]').count(), 1);

	// Withdrawn: gone from the public page.
	await page.click('#alerts article:has-text("Parcel fee texts") button:has-text("Withdraw")');
	await page.waitForFunction(() => /Withdrew alert/.test(document.querySelector('#status').textContent));
	await p2.goto('/alerts');
	await p2.waitForSelector('#no-alerts');
	await shot(p2, 'public-alerts-none');
	await pub.close();
	// A viewer of the same organisation reads the GREEN alert, with no form
	// and no Withdraw button (the API would refuse both).
	const vctx = await context();
	const vp = await signIn(vctx, acc.users.val);
	await vp.goto('/staff/alerts');
	await vp.waitForSelector('#no-publish');
	await vp.waitForSelector('#alerts article');
	assert.match(await text(vp, '#alerts'), /Partners only: mule accounts/);
	assert.equal(await vp.locator('#alerts button').count(), 0);
	assert.equal(await vp.locator('#title').count(), 0);
	await shot(vp, 'staff-alerts-viewer');
	await vctx.close();
	await ctx.close();
	const i = problems.findIndex((p) => /status of 400/.test(p));
	if (i >= 0) problems.splice(i, 1);
	await noProblems();
});

test('every page was checked', () => {
	for (const p of ['/', '/report', '/track', '/alerts', '/staff/login', '/staff/', '/staff/report', '/staff/case', '/staff/stats', '/staff/admin', '/staff/alerts'])
		assert.ok(visited.has(p), `the tests never visited ${p}`);
	assert.ok(fs.readdirSync(web.shots).length >= 20, 'screenshots were saved');
});
