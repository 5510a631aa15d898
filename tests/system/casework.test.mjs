// casework.test.mjs - the case page's "Case work" section in Debian's
// chromium (playwright-core) against a real `crix serve --web web/
// --jurisdictions FILE`: two victims report the same fraud web site; an
// analyst reviews the case viable with a line of enquiry, sees the rules'
// recipient and disseminates it (confirmed); the printable crime package names
// both reports; an investigator of the receiving force records "charged" for
// suspect S1, which the victim then sees on /track; a viewer and another
// force's investigator see no forms.  Run by tests/system/web.sh after
// staff.test.mjs; every page is checked for its CSP, console errors, labels,
// contrast and a 390-px screen, and saved in $SCREENSHOTS (or
// SCRATCH/casework-screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Accounts, startServer, scratch, req, expectStatus, killAll, ROOT } from './serve-lib.mjs';
import { WebTests, PAGE_CSP, text, widthOverflow } from './web-lib.mjs';

const WEB = path.join(ROOT, 'web');
const SITE = 'cheap-phones-direct.shop';
const FORCE = 'Metro Police Cyber Unit';
let srv, acc;
// The pages' CSP; the package has its own, stricter one (no script at all).
const web = new WebTests({ csp: (where) => (where.startsWith('/api/') ? ["default-src 'none'"] : PAGE_CSP) });
const { problems, expected, context, shot, accessible, signIn, refusalsSeen } = web;
const V = {}; // the victims' {reference, secret} by name
let caseId = '';

before(async () => {
	const dir = scratch('casework');
	acc = new Accounts(dir).init();
	acc.org('centre', 'National Reporting Centre', 'public-sector', 'GB');
	acc.org('metro', FORCE, 'law-enforcement', 'GB');
	acc.org('county', 'County Constabulary', 'law-enforcement', 'GB');
	acc.user('ana', 'centre', 'analyst');
	acc.user('vic', 'centre', 'viewer');
	acc.user('ivy', 'metro', 'investigator');
	acc.user('ola', 'county', 'investigator');
	acc.token('ana');
	// The rules: online-shopping fraud goes to the Metro unit.
	const rules = path.join(dir, 'rules.json');
	fs.writeFileSync(rules, JSON.stringify({ rules: [{ name: 'Online shops', category: ['online-shopping-fraud'], org: FORCE }] }));
	srv = await startServer(dir, ['--web', WEB, '--rate-limit', '100000', '--jurisdictions', rules]);
	await web.start(srv, dir, 'casework');
	for (const [name, words] of [['v1', 'I paid for a phone that never came.'], ['v2', 'They took my money for a tablet.']]) {
		const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: { kind: 'crime', category: 'online-shopping-fraud',
			description: `${words} The shop was https://${SITE}/deals.`, suspect: { websites: [SITE] },
			loss: { amount_minor: 40000, currency: 'GBP' } } }), 201, `report ${name}`);
		V[name] = { ref: r.json.reference, secret: r.json.tracking_secret };
	}
	const c = expectStatus(await req(srv, 'GET', `/api/v1/cases/${V.v1.ref}`, { token: acc.users.ana.token }), 200, 'the case');
	caseId = c.json.id;
	assert.equal(c.json.size, 2, 'the two reports are one case');
});

after(async () => {
	await web.close();
	await killAll();
});

const status = (page, re) => page.waitForFunction((s) => new RegExp(s).test(document.querySelector('#status').textContent), re.source);

test('an analyst reviews the case, sees the rules\' recipient and disseminates it', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, `/staff/case?ref=${V.v1.ref}`);
	await page.waitForFunction((f) => (document.querySelector('#juris-recipient') || {}).textContent === f, FORCE);
	assert.match(await text(page, '#juris-rule'), /Online shops \(rule 1 of rules\.json\)/);
	assert.match(await text(page, '#juris'), /online-shopping-fraud/);
	assert.match(await text(page, '#review-now'), /Not reviewed yet/);
	await accessible(page, '/staff/case (case work)');
	// Not reviewed yet: the API refuses the dissemination, and the page says why.
	await page.click('#diss-form button[type=submit]');
	assert.match(await text(page, '#diss-form .confirm'), new RegExp(`Send case ${caseId} \\(2 reports\\) to ${FORCE}\\?`));
	expected.push(/status of 409/);
	await page.click('#diss-form .confirm-yes');
	await status(page, /review it as viable first/);
	// The review: no choice is refused at the field; an empty line's value is
	// refused by the API next to that value.
	await page.click('#review-form button[type=submit]');
	assert.match(await text(page, '#err-rv-viable'), /viable/);
	await page.check('#rv-yes');
	await page.fill('#rv-reason', 'Two victims, one shop; the domain registrar answers requests.');
	await page.click('#rv-add');
	await page.click('#rv-add');
	assert.equal(await page.locator('#rv-lines fieldset.line').count(), 2);
	await page.locator('#rv-lines fieldset.line').nth(1).locator('button', { hasText: 'Remove this line' }).click();
	assert.equal(await page.locator('#rv-lines fieldset.line').count(), 1);
	const line = page.locator('#rv-lines fieldset.line').first();
	await line.locator('select').selectOption('website');
	expected.push(/status of 400/);
	await page.click('#review-form button[type=submit]');
	await page.waitForFunction(() => /value/.test(document.querySelector('#rv-lines .error').textContent));
	assert.equal(await line.locator('input[name="lines_of_enquiry[0].value"]').getAttribute('aria-invalid'), 'true');
	await line.locator('input[name="lines_of_enquiry[0].value"]').fill(SITE);
	await line.locator('input[name="lines_of_enquiry[0].note"]').fill('registrar abuse desk');
	await shot(page, 'review-form');
	await page.click('#review-form button[type=submit]');
	await status(page, /review was recorded: viable, 1 line of enquiry/);
	assert.match(await text(page, '#review-now'), /Viable \(ana, /);
	assert.match(await text(page, '#review-lines'), new RegExp(`website\\s+${SITE.replace(/\./g, '\\.')}\\s+registrar abuse desk`));
	assert.equal(await page.locator('#rv-lines fieldset.line').count(), 0, 'the form is emptied');
	// Disseminate: Cancel sends nothing; then confirmed.
	await page.click('#diss-form button[type=submit]');
	await page.click('#diss-form .confirm button.secondary');
	assert.equal(await page.locator('#disseminations tbody tr').count(), 0, 'cancelled: not sent');
	await page.fill('#ds-note', 'Registrar data requested 20 Nov.');
	await page.click('#diss-form button[type=submit]');
	await shot(page, 'disseminate-confirm');
	await page.click('#diss-form .confirm-yes');
	await status(page, new RegExp(`disseminated to ${FORCE}`));
	const moved = await text(page, '#moved');
	for (const v of [V.v1, V.v2]) assert.match(moved, new RegExp(`${v.ref}\\s+disseminated\\s+moved`));
	assert.match(await text(page, '#disseminations'), new RegExp(`${FORCE}\\s+rule Online shops\\s+ana`));
	assert.match(await text(page, '#reports'), /disseminated/);
	await accessible(page, '/staff/case (disseminated)');
	await shot(page, 'disseminated');
	// The printable package opens in a new tab and names both reports.
	const [pkg] = await Promise.all([ctx.waitForEvent('page'), page.click('#pkg-html')]);
	await pkg.waitForLoadState();
	assert.match(new URL(pkg.url()).search, /format=html/);
	const body = await pkg.locator('body').innerText();
	for (const v of [V.v1, V.v2]) assert.match(body, new RegExp(v.ref), 'the package names each report');
	assert.match(body, new RegExp(FORCE));
	await shot(pkg, 'package');
	await pkg.close();
	const json = await page.request.get(await page.getAttribute('#pkg-json', 'href'));
	assert.equal(json.status(), 200);
	assert.equal((await json.json()).case, caseId);
	await refusalsSeen();
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('an investigator of the receiving force records an outcome the victim sees', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ivy, `/staff/case?ref=${caseId}`);
	await page.waitForSelector('#outcome-form:not(.hidden)');
	assert.equal(await page.isVisible('#review-form'), false, 'an investigator does not review');
	assert.equal(await page.isVisible('#diss-form'), false);
	// A missing suspect is refused next to the field.
	const day = new Date(Date.now() - 3 * 86400000).toISOString().slice(0, 10);
	await page.fill('#oc-date', day);
	await page.click('#outcome-form button[type=submit]');
	expected.push(/status of 400/);
	await page.click('#outcome-form .confirm-yes');
	await page.waitForFunction(() => document.querySelector('#err-oc-suspect').textContent.length > 0);
	assert.equal(await page.evaluate(() => document.activeElement.id), 'oc-suspect');
	await page.fill('#oc-suspect', 'S1');
	await page.selectOption('#oc-outcome', 'charged');
	await page.fill('#oc-article', 'Directive 2013/40/EU Art. 4');
	await page.click('#outcome-form button[type=submit]');
	assert.match(await text(page, '#outcome-form .confirm'), new RegExp(`suspect S1 was charged on ${day}`));
	await page.click('#outcome-form .confirm-yes');
	await status(page, /Outcome recorded for S1: charged/);
	assert.match(await text(page, '#outcomes'), new RegExp(`S1\\s+charged\\s+${day}\\s+Directive 2013/40/EU Art\\. 4\\s+ivy`));
	assert.match(await text(page, '#moved'), new RegExp(`${V.v1.ref}\\s+outcome\\s+moved`));
	await accessible(page, '/staff/case (investigator)');
	await shot(page, 'outcome');
	await refusalsSeen();
	await ctx.close();
	const vctx = await context();
	const v = await vctx.newPage();
	await v.goto(`/track?ref=${V.v2.ref}`);
	await v.fill('#secret', V.v2.secret);
	await v.click('#lookup button[type=submit]');
	await v.waitForSelector('#view:not(.hidden)');
	assert.match(await text(v, '#t-outcome'), /charged or prosecuted/);
	assert.match(await text(v, '#t-history'), new RegExp(`passed to the ${FORCE}|passed to ${FORCE}`));
	assert.doesNotMatch(await text(v, '#view'), /\bS1\b|Directive 2013/, 'the victim is not told who');
	await shot(v, 'track-outcome');
	await vctx.close();
	assert.deepEqual(problems, []);
});

test('a viewer and another force see the case work without the forms', async () => {
	for (const [who, pkg] of [['vic', true], ['ola', false]]) {
		const ctx = await context();
		const page = await signIn(ctx, acc.users[who], `/staff/case?ref=${caseId}`);
		await page.waitForFunction((f) => (document.querySelector('#juris-recipient') || {}).textContent === f, FORCE);
		for (const f of ['#review-form', '#diss-form', '#outcome-form']) assert.equal(await page.isVisible(f), false, `${who}: ${f} hidden`);
		assert.equal(await page.isVisible('#no-review'), true);
		assert.equal(await page.isVisible('#no-outcome'), true);
		assert.match(await text(page, '#review-now'), /Viable/);
		assert.equal(await page.isVisible('#package'), pkg, `${who}: the package link`);
		assert.equal(await page.isVisible('#no-package'), !pkg);
		if (pkg) await page.waitForFunction(() => /S1/.test(document.querySelector('#outcomes').innerText));
		await accessible(page, `/staff/case as ${who}`);
		await shot(page, `case-${who}`);
		await ctx.close();
	}
	assert.deepEqual(problems, []);
});

test('an analyst sends the case to another force: the reason is required, then that force may record outcomes', async () => {
	const OTHER = 'County Constabulary';
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, `/staff/case?ref=${caseId}`);
	await page.waitForFunction((f) => (document.querySelector('#juris-recipient') || {}).textContent === f, FORCE);
	// Not a law-enforcement organisation: refused next to the recipient.
	await page.fill('#ds-recipient', 'National Reporting Centre');
	await page.click('#diss-form button[type=submit]');
	expected.push(/status of 400/);
	await page.click('#diss-form .confirm-yes');
	await page.waitForFunction(() => /not a law-enforcement organisation/.test(document.querySelector('#err-ds-recipient').textContent));
	// Another force without a reason: refused next to the reason.
	await page.fill('#ds-recipient', String(acc.orgs.county));
	await page.click('#diss-form button[type=submit]');
	assert.match(await text(page, '#diss-form .confirm'), new RegExp(`to ${acc.orgs.county}\\?`));
	expected.push(/status of 400/);
	await page.click('#diss-form .confirm-yes');
	await page.waitForFunction(() => /reason: required/.test(document.querySelector('#err-ds-reason').textContent));
	assert.equal(await page.evaluate(() => document.activeElement.id), 'ds-reason');
	await page.fill('#ds-reason', 'The county force already holds the suspect');
	await page.click('#diss-form button[type=submit]');
	await page.click('#diss-form .confirm-yes');
	await status(page, new RegExp(`disseminated to ${OTHER}`));
	assert.match(await text(page, '#disseminations'), new RegExp(`${OTHER}\\s+override: The county force already holds the suspect\\s+ana`));
	// The reports are at outcome already: none moves, and the page says so.
	assert.match(await text(page, '#moved'), new RegExp(`${V.v1.ref}\\s+outcome\\s+already there`));
	await shot(page, 'disseminated-override');
	await refusalsSeen();
	await ctx.close();
	// The county's investigator now has the package and the outcome form.
	const c2 = await context();
	const p2 = await signIn(c2, acc.users.ola, `/staff/case?ref=${caseId}`);
	await p2.waitForSelector('#outcome-form:not(.hidden)');
	assert.equal(await p2.isVisible('#package'), true);
	await p2.waitForFunction(() => /S1/.test(document.querySelector('#outcomes').innerText));
	await c2.close();
	assert.deepEqual(problems, []);
});

test('the case work fits a 390-px-wide screen', async () => {
	for (const who of ['ana', 'ivy']) {
		const ctx = await context({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
		const page = await signIn(ctx, acc.users[who], `/staff/case?ref=${caseId}`);
		await page.waitForFunction(() => ((document.querySelector('#juris-recipient') || {}).textContent || '').length > 0);
		if (who === 'ana') await page.click('#rv-add');
		assert.equal(await widthOverflow(page), '', `case work for ${who}`);
		await accessible(page, `/staff/case at 390 px (${who})`);
		await shot(page, `phone-case-${who}`);
		await ctx.close();
	}
	assert.deepEqual(problems, []);
});

// Issue 6/7 follow-ups: the case page's History (GET .../decisions) and the
// latest review's lines of enquiry in the summary.
test('the History section shows a merge and a review made here, with the analyst\'s name', async () => {
	// A third victim of another shop: a case of its own, merged below.
	const r = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: { kind: 'crime', category: 'online-shopping-fraud',
		description: 'Paid for a console at https://console-deals.shop/ and it never came.', suspect: { websites: ['console-deals.shop'] } } }), 201, 'report v3');
	V.v3 = { ref: r.json.reference, secret: r.json.tracking_secret };
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, `/staff/case?ref=${caseId}`);
	await page.waitForFunction(() => document.querySelectorAll('#history tbody tr').length > 0);
	await page.fill('#mg-case', V.v3.ref);
	await page.fill('#mg-note', 'Same courier address on both parcels');
	await page.click('#merge-form button[type=submit]');
	await page.click('#merge-form .confirm-yes');
	await status(page, /Merged: case .* now has 3 reports/);
	await page.check('#rv-yes');
	await page.fill('#rv-reason', 'Three victims now; the courier can be traced.');
	await page.click('#rv-add');
	const line = page.locator('#rv-lines fieldset.line').first();
	await line.locator('select').selectOption('phone');
	await line.locator('input[name="lines_of_enquiry[0].value"]').fill('+447700900321');
	await line.locator('input[name="lines_of_enquiry[0].note"]').fill('courier');
	await page.click('#review-form button[type=submit]');
	await status(page, /review was recorded: viable, 1 line of enquiry/);
	await page.waitForFunction(() => /merge/.test(document.querySelector('#history tbody').innerText));
	const rows = page.locator('#history tbody tr');
	// newest first: the review, then the merge
	assert.match(await rows.nth(0).innerText(), /review\s+reviewed: viable; 1 line of enquiry\s+ana \(National Reporting Centre\)\s+Three victims now; the courier can be traced\./);
	assert.match(await rows.nth(1).innerText(), new RegExp(`merge\\s+merged the cases of \\S+ and \\S+\\s+ana \\(National Reporting Centre\\)\\s+Same courier address on both parcels`));
	assert.match(await rows.nth(1).innerText(), new RegExp(V.v3.ref));
	assert.match(await text(page, '#history caption'), /newest first/);
	// the earlier work of this file is there too, and the investigator's outcome
	const all = await text(page, '#history tbody');
	assert.match(all, /dissemination\s+disseminated to Metro Police Cyber Unit/);
	assert.match(all, /outcome\s+outcome for S1: charged on .*\s+ivy \(Metro Police Cyber Unit\)/);
	// the summary's lines of enquiry are the latest review's, not the count
	assert.match(await text(page, '#fact-lines'), /1 from the review of .*: phone \+447700900321 \(courier\)/);
	await accessible(page, '/staff/case (history)');
	await shot(page, 'history');
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('the History section fits a 390-px-wide screen', async () => {
	const ctx = await context({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
	const page = await signIn(ctx, acc.users.vic, `/staff/case?ref=${caseId}`);
	await page.waitForFunction(() => /merge/.test((document.querySelector('#history tbody') || {}).innerText || ''));
	assert.equal(await page.isVisible('#history'), true, 'a viewer reads the history too');
	assert.equal(await widthOverflow(page), '', 'the history at 390 px');
	await accessible(page, '/staff/case history at 390 px');
	// on a phone each entry is a block, each cell under its column's name
	assert.equal(await page.locator('#history tbody td').first().evaluate((td) => getComputedStyle(td, '::before').content), '"When"');
	await shot(page, 'phone-history');
	await page.locator('#case-history').screenshot({ path: path.join(web.shots, 'phone-history-section.png') });
	await ctx.close();
	assert.deepEqual(problems, []);
});
