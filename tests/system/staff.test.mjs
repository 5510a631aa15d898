// staff.test.mjs - the staff workspace in Debian's chromium (playwright-core)
// against a real `crix serve --web web/`: the case queue by triage score,
// analysts' merge and split on the case page, indicator lookup, and sharing
// controls seen from three organisations.  Run by tests/system/web.sh after
// web.test.mjs; every page is checked for its CSP, console errors, labels,
// contrast and a 390-px screen, and saved as a screenshot in $SCREENSHOTS
// (or SCRATCH/staff-screenshots).  The user picker finds users across
// organisations where the directory allows it (group partners), by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Accounts, startServer, scratch, req, expectStatus, killAll, ROOT } from './serve-lib.mjs';
import { WebTests, PHONE_SCREEN, text, widthOverflow } from './web-lib.mjs';

const WEB = path.join(ROOT, 'web');
const PHONE = '+44 7700 900123';
const FEED_DOMAIN = 'parcel-fee-check.top';
const TAXII = 'application/taxii+json;version=2.1';
let srv, acc;
const web = new WebTests();
const { problems, expected, visited, context, shot, accessible, signIn, refusalsSeen } = web;
const R = {}; // report references by name

before(async () => {
	const dir = scratch('staff');
	acc = new Accounts(dir).init();
	acc.org('centre', 'National Reporting Centre', 'public-sector', 'GB');
	acc.org('cert', 'Partner CERT', 'cert', 'GB');
	acc.org('shop', 'Shop C', 'business', 'FR');
	acc.user('ana', 'centre', 'analyst');
	acc.user('ivy', 'centre', 'investigator');
	acc.user('ben', 'cert', 'analyst');
	acc.user('cyd', 'shop', 'analyst');
	acc.token('ana');
	srv = await startServer(dir, ['--web', WEB, '--rate-limit', '100000']);
	await web.start(srv, dir, 'staff');
	// Case A: two crime reports naming the same phone number, with losses;
	// case B: one report naming only a web site.
	const submit = async (name, body) => {
		R[name] = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: body }), 201, `report ${name}`).json.reference;
	};
	await submit('a1', { kind: 'crime', category: 'investment-fraud', description: `A broker called from ${PHONE} and took my savings.`,
		suspect: { phones: [PHONE] }, loss: { amount_minor: 500000, currency: 'GBP' } });
	await submit('a2', { kind: 'crime', category: 'investment-fraud', description: `The same broker, ${PHONE}, again.`,
		suspect: { phones: [PHONE] }, loss: { amount_minor: 120000, currency: 'GBP' } });
	await submit('b1', { kind: 'crime', category: 'online-shopping-fraud', description: 'A shop that never delivered.',
		suspect: { websites: ['never-delivers.shop'] } });
	// The queue and the case page name cases by their stable ids (CASE-...).
	const caseId = async (ref) => expectStatus(await req(srv, 'GET', `/api/v1/cases/${ref}`, { token: acc.users.ana.token }), 200, `case of ${ref}`).json.id;
	R.caseA = await caseId(R.a1);
	R.caseB = await caseId(R.b1);
	assert.match(R.caseA, /^CASE-\d{4}-\d{6}$/);
	// A GREEN collection holding one indicator, for the lookup.
	const c = expectStatus(await req(srv, 'POST', '/api/v1/collections', { token: acc.users.ana.token,
		json: { title: 'Phishing feed', tlp: 'green' } }), 201, 'collection');
	const T0 = '2026-11-01T12:00:00.000Z';
	const r = await fetch(`${srv.base}/taxii2/api/collections/${c.json.id}/objects/`, { method: 'POST',
		headers: { Accept: TAXII, 'Content-Type': TAXII, Authorization: `Bearer ${acc.users.ana.token}` },
		body: JSON.stringify({ objects: [{ type: 'indicator', spec_version: '2.1', id: `indicator--${crypto.randomUUID()}`,
			created: T0, modified: T0, valid_from: T0, pattern_type: 'stix', pattern: `[domain-name:value = '${FEED_DOMAIN}']` }] }) });
	assert.equal(r.status, 202, `TAXII post: ${await r.text()}`);
});

after(async () => {
	await web.close();
	await killAll();
});

test('an analyst works the case queue: score and reasons, merge, split', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, '/staff/cases');
	await page.waitForSelector(`#cases tr[data-case="${R.caseA}"]`);
	const row = page.locator(`#cases tr[data-case="${R.caseA}"]`);
	assert.match(await row.innerText(), /2 victims: \+20/, 'the victims reason');
	assert.match(await row.innerText(), /6,200\.00 GBP lost|6200\.00 GBP lost/, 'the losses reason');
	assert.match(await row.innerText(), /investment-fraud \(2\)/);
	assert.match(await row.locator('.score').innerText(), /^\d/);
	// Highest score first: case A (two victims, losses) above case B.
	const order = await page.$$eval('#cases tbody tr', (trs) => trs.map((t) => t.dataset.case));
	assert.ok(order.indexOf(R.caseA) < order.indexOf(R.caseB), `queue order ${order}`);
	assert.equal(await page.getAttribute('a[href="/staff/cases"]', 'aria-current'), 'page', 'Cases in the navigation');
	await accessible(page, '/staff/cases');
	await shot(page, 'cases');
	await page.click(`#cases a:text("${R.caseA}")`);
	await page.waitForSelector('#graph-svg');
	assert.match(await text(page, '#reasons'), /2 victims/);
	assert.doesNotMatch(await text(page, '#reports'), new RegExp(R.b1));
	await accessible(page, '/staff/case');
	// Confirm refuses a value that is not over-common: the error is next to it.
	await page.selectOption('#cf-type', 'phone');
	await page.fill('#cf-value', PHONE);
	await page.click('#confirm-form button[type=submit]');
	expected.push(/status of 409/);
	await page.click('#confirm-form .confirm-yes');
	await page.waitForFunction(() => document.querySelector('#err-cf-value').textContent.length > 0);
	assert.match(await text(page, '#err-cf-value'), /not over-common/);
	assert.equal(await page.getAttribute('#cf-value', 'aria-invalid'), 'true');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'cf-value');
	// Merge with case B, through the confirmation step; Cancel sends nothing.
	await page.fill('#mg-case', R.b1);
	await page.fill('#mg-note', 'Same broker, a shop front.');
	await page.click('#merge-form button[type=submit]');
	assert.match(await text(page, '#merge-form .confirm'), new RegExp(`Merge case ${R.caseA} \\(2 reports\\) with case ${R.b1}`));
	await shot(page, 'case-merge-confirm');
	await page.click('#merge-form .confirm button.secondary');
	assert.equal(await page.isVisible('#merge-form .confirm'), false);
	assert.doesNotMatch(await text(page, '#reports'), new RegExp(R.b1), 'cancelled: nothing merged');
	await page.click('#merge-form button[type=submit]');
	await page.click('#merge-form .confirm-yes');
	await page.waitForFunction(() => /now has 3 reports/.test(document.querySelector('#status').textContent));
	assert.match(await text(page, '#reports'), new RegExp(R.b1), 'the case page shows the merged report');
	assert.match(await text(page, '#merges'), new RegExp(`Merged by analysts: .*${R.b1}`));
	assert.equal(await page.locator('#graph-svg circle').count(), 3, 'three reports in the graph');
	assert.equal(await page.locator('#graph-svg path.merged').count(), 1, 'the merge drawn');
	assert.match(await page.locator('#graph-desc').textContent(), new RegExp(`merged with ${R.b1}|${R.b1} merged with`));
	await shot(page, 'case-merged');
	// Merging again is refused next to the field.
	await page.fill('#mg-case', R.b1);
	await page.click('#merge-form button[type=submit]');
	expected.push(/status of 409/);
	await page.click('#merge-form .confirm-yes');
	await page.waitForFunction(() => /already one case/.test(document.querySelector('#err-mg-case').textContent));
	// Split B off again (detached).
	await page.selectOption('#sp-report', R.b1);
	await page.selectOption('#sp-value', '0');
	await page.click('#split-form button[type=submit]');
	assert.match(await text(page, '#split-form .confirm'), new RegExp(`Detach report ${R.b1}`));
	await page.click('#split-form .confirm-yes');
	await page.waitForFunction((b) => document.querySelector('#status').textContent.includes(`Report ${b} was split off`), R.b1);
	assert.doesNotMatch(await text(page, '#reports'), new RegExp(R.b1), 'the split report has left');
	assert.equal(await page.locator('#graph-svg circle').count(), 2);
	assert.equal(await page.locator('#graph-svg path.merged').count(), 0, 'the merge is gone with the split');
	assert.equal(await page.locator('#graph-svg line.edge').count(), 2, 'both reports hold the phone number');
	await shot(page, 'case-split');
	const c = expectStatus(await req(srv, 'GET', `/api/v1/cases/${R.a1}`, { token: acc.users.ana.token }), 200, 'the case');
	assert.deepEqual(c.json.reports.map((r) => r.reference).sort(), [R.a1, R.a2].sort());
	// Split a2 off through the phone number: the choices are what a2 links through.
	await page.selectOption('#sp-report', R.a2);
	const through = await page.$$eval('#sp-value option', (os) => os.map((o) => o.textContent));
	assert.ok(through.includes('phone: +447700900123'), `split choices ${through}`);
	assert.ok(!through.some((t) => /never-delivers/.test(t)), 'no value of a report that left');
	await page.selectOption('#sp-value', { label: 'phone: +447700900123' });
	await page.fill('#sp-note', 'spoofed caller id');
	await page.click('#split-form button[type=submit]');
	assert.match(await text(page, '#split-form .confirm'), new RegExp(`Split report ${R.a2} off case ${R.caseA} where it links through phone \\+447700900123`));
	await page.click('#split-form .confirm-yes');
	await page.waitForFunction((b) => document.querySelector('#status').textContent.includes(`Report ${b} was split off`), R.a2);
	assert.doesNotMatch(await text(page, '#reports'), new RegExp(R.a2));
	assert.equal(await page.locator('#graph-svg circle').count(), 1);
	const a2 = expectStatus(await req(srv, 'GET', `/api/v1/cases/${R.a2}`, { token: acc.users.ana.token }), 200, 'a2 alone');
	assert.equal(a2.json.size, 1);
	await refusalsSeen();
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('an analyst confirms an over-common value from the case page', async () => {
	// 51 information reports name one number (the cap is 50): it stops linking.
	const COMMON = '+44 20 7946 0999';
	const refs = [];
	for (let i = 0; i < 51; i++) {
		refs.push(expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: { kind: 'information', category: 'phishing',
			description: `A call centre rang from ${COMMON} (${i}).`, suspect: { phones: [COMMON] } } }), 201, 'common report').json.reference);
	}
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, `/staff/case?ref=${refs[0]}`);
	await page.waitForSelector('#graph-svg');
	assert.match(await text(page, '#shared'), /too common to link/);
	assert.equal(await page.locator('#reports tbody tr').count(), 1);
	await page.locator('#shared button', { hasText: 'Confirm +442079460999' }).click();
	assert.equal(await page.inputValue('#cf-type'), 'phone');
	assert.equal(await page.inputValue('#cf-value'), '+442079460999');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'cf-value');
	await page.fill('#cf-note', 'one boiler room');
	await page.click('#confirm-form button[type=submit]');
	assert.match(await text(page, '#confirm-form .confirm'), /Confirm phone \+442079460999 as one operation/);
	await page.click('#confirm-form .confirm-yes');
	await page.waitForFunction(() => /now has 51 reports/.test(document.querySelector('#status').textContent));
	assert.equal(await page.locator('#reports tbody tr').count(), 51);
	assert.match(await text(page, '#graph'), /first 30 of 51 reports/);
	await shot(page, 'case-confirmed');
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('an investigator sees the case without the decision forms', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ivy, `/staff/case?ref=${R.a1}`);
	await page.waitForSelector('#graph-svg');
	assert.equal(await page.isVisible('#decide'), false);
	assert.equal(await page.isVisible('#no-decide'), true);
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('an analyst looks values up and sees the indicator, and the lines that are none', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, '/staff/lookup');
	await page.waitForSelector('#lookup-form');
	await page.click('#lookup-form button[type=submit]');
	assert.match(await text(page, '#err-l-values'), /at least one value/);
	await page.fill('#l-values', `https://www.${FEED_DOMAIN.toUpperCase()}/pay\n\nnot a thing\n198.51.100.7`);
	await page.click('#lookup-form button[type=submit]');
	await page.waitForSelector('#out:not(.hidden)');
	const res = await text(page, '#results');
	assert.match(res, new RegExp(FEED_DOMAIN));
	assert.match(res, /TLP:GREEN/);
	assert.match(res, /Phishing feed/);
	assert.match(res, /your organisation/);
	assert.match(await text(page, '#invalid'), /3\s+not a thing\s+not an indicator/);
	assert.match(await text(page, '#summary'), /3 looked up: 1 with a match, 1 not indicators, 1 without/);
	await accessible(page, '/staff/lookup');
	await shot(page, 'lookup');
	// Over the API's limit: refused in the page, next to the field.
	// (Set directly: typing 10,001 lines would take the browser minutes.)
	await page.$eval('#l-values', (el, v) => { el.value = v; }, Array.from({ length: 10001 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join('\n'));
	await page.click('#lookup-form button[type=submit]');
	assert.match(await text(page, '#err-l-values'), /at most 10,000/);
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('sharing: a collection shared AMBER with one organisation is seen there, not by a third', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, '/staff/sharing');
	await page.waitForSelector('#tlp-choices input[value=red]');
	for (const t of ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']) assert.match(await text(page, '#c-tlp'), new RegExp(`TLP:${t.replace('+', '\\+')} `));
	assert.match(await text(page, '#c-tlp'), /Only you and the users you name/);
	assert.equal(await text(page, '#c-users-me'), `Your own user id is ${acc.users.ana.id}.`);
	await accessible(page, '/staff/sharing');
	// A sharing group with the shop, then the shop taken out again.
	await page.fill('#g-name', 'Fraud partners');
	await page.fill('#g-members', `${acc.orgs.cert}, ${acc.orgs.shop}`);
	await page.click('#group-form button[type=submit]');
	await page.waitForSelector('.group h3:text("Fraud partners")');
	const grp = page.locator('.group', { hasText: 'Fraud partners' });
	assert.match(await grp.innerText(), new RegExp(`organisation ${acc.orgs.shop}`));
	await grp.locator(`button:text("Remove organisation ${acc.orgs.shop}")`).click();
	await grp.locator('.confirm-yes').click();
	await page.waitForFunction((s) => !document.querySelector('#groups').innerText.includes(`organisation ${s} `) && !document.querySelector('#groups').innerText.includes(`Remove organisation ${s}`), acc.orgs.shop);
	await grp.locator('input[name=org]').fill('nope');
	await grp.locator('button[type=submit]').click();
	assert.match(await grp.locator('.error').innerText(), /not an organisation id/);
	// A bad recipient: the API's error next to the field.
	await page.fill('#c-title', 'Mule accounts');
	await page.check('#tlp-choices input[value=amber]');
	await page.fill('#c-orgs', '999999');
	await page.click('#coll-submit');
	assert.match(await text(page, '#coll-form .confirm'), /Mule accounts as TLP:AMBER, shared with organisations 999999/);
	expected.push(/status of 400/);
	await page.click('#coll-form .confirm-yes');
	await page.waitForFunction(() => document.querySelector('#err-c-orgs').textContent.length > 0);
	assert.match(await text(page, '#err-c-orgs'), /shared_with\.orgs/);
	await page.fill('#c-orgs', String(acc.orgs.cert));
	await page.click('#coll-submit');
	await page.click('#coll-form .confirm-yes');
	await page.waitForSelector('#colls tr:has-text("Mule accounts")');
	const row = page.locator('#colls tr', { hasText: 'Mule accounts' });
	assert.match(await row.innerText(), /TLP:AMBER/);
	assert.match(await row.innerText(), new RegExp(`organisations ${acc.orgs.cert}`));
	await shot(page, 'sharing');
	// Changed to AMBER+STRICT, also shared with the group.
	await row.locator('button:text("Change Mule accounts")').click();
	assert.deepEqual(await page.$$eval('#c-orgs-chips li', (l) => l.map((c) => Number(c.dataset.id))), [acc.orgs.cert], 'the recipient as a chip');
	assert.equal(await page.inputValue('#c-orgs'), '');
	await page.check('#tlp-choices input[value="amber+strict"]');
	await page.locator('#c-groups label', { hasText: 'Fraud partners' }).locator('input').check();
	await page.click('#coll-submit');
	await page.click('#coll-form .confirm-yes');
	await page.waitForFunction(() => /TLP:AMBER\+STRICT/.test(document.querySelector('#colls').innerText));
	assert.match(await text(page, '#colls'), /groups Fraud partners/);
	await shot(page, 'sharing-changed');
	await refusalsSeen();
	await ctx.close();
	// The partner CERT sees it; the shop (out of the group) does not.
	for (const [who, sees] of [['ben', true], ['cyd', false]]) {
		const c = await context();
		const p = await signIn(c, acc.users[who], '/staff/sharing');
		await p.waitForFunction(() => document.querySelector('#colls tbody tr'));
		const list = await text(p, '#colls');
		assert.equal(/Mule accounts/.test(list), sees, `${who} ${sees ? 'sees' : 'does not see'} the collection: ${list}`);
		if (sees) {
			assert.match(list, /TLP:AMBER\+STRICT/, 'a recipient is told the TLP');
			assert.doesNotMatch(list, /Fraud partners/, 'but not whom else it is shared with');
			assert.match(list, /read/);
			assert.equal(await p.locator('#colls button:text("Change Mule accounts")').count(), 0, 'only the owner changes it');
		}
		await shot(p, `sharing-${who}`);
		await c.close();
	}
	assert.deepEqual(problems, []);
});

test('the lookup page reads defanged values, and shows each line as read', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, '/staff/lookup');
	await page.waitForSelector('#lookup-form');
	const defanged = FEED_DOMAIN.replace('.', '[.]');
	await page.fill('#l-values', [`hxxps://www.${defanged}/pay`, FEED_DOMAIN.replace('.', '(dot)'), `bob[@]${defanged}`, '198.51.100.7',
		'not[.]a thing'].join('\n'));
	await page.click('#lookup-form button[type=submit]');
	await page.waitForSelector('#out:not(.hidden)');
	// The three forms of the feed's domain match it (the e-mail address by
	// its domain); each shows its refanged form.
	const res = await text(page, '#results');
	assert.match(res, new RegExp(`hxxps://www\\.${FEED_DOMAIN.replace('.', '\\[\\.\\]')}/pay \\(read as https://www\\.${FEED_DOMAIN.replace('.', '\\.')}/pay\\)`));
	assert.equal(await page.locator('#results tbody tr').count(), 3, res);
	assert.match(res, new RegExp(`bob\\[@\\]${FEED_DOMAIN.replace('.', '\\[\\.\\]')} \\(read as bob@`));
	assert.equal(await page.isVisible('#refanged'), true);
	const rows = await page.$$eval('#refanged tbody tr', (trs) => trs.map((t) => [...t.cells].map((c) => c.textContent)));
	assert.deepEqual(rows, [
		['1', `hxxps://www.${defanged}/pay`, `https://www.${FEED_DOMAIN}/pay`],
		['2', FEED_DOMAIN.replace('.', '(dot)'), FEED_DOMAIN],
		['3', `bob[@]${defanged}`, `bob@${FEED_DOMAIN}`],
		['5', 'not[.]a thing', 'not.a thing'],
	]);
	assert.match(await text(page, '#invalid'), /5\s+not\[\.\]a thing\s+not an indicator/);
	await accessible(page, '/staff/lookup (refanged)');
	await shot(page, 'lookup-refanged');
	// Nothing defanged: no such table.
	await page.fill('#l-values', FEED_DOMAIN);
	await page.click('#lookup-form button[type=submit]');
	await page.waitForFunction(() => document.querySelector('#refanged-wrap').classList.contains('hidden'));
	assert.equal(await page.isVisible('#h-refanged'), false);
	await ctx.close();
	assert.deepEqual(problems, []);
});

// Presses Tab until sel has the focus (the keyboard's way to a field).
async function tabTo(page, sel, max = 80) {
	for (let i = 0; i < max; i++) {
		if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), sel)) return;
		await page.keyboard.press('Tab');
	}
	assert.fail(`Tab never reached ${sel}`);
}

test('sharing by name, keyboard only: a partner picked by typing part of its name', async () => {
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, '/staff/sharing');
	await page.waitForSelector('#tlp-choices input[value=red]');
	await tabTo(page, '#c-title');
	await page.keyboard.type('Partner feed');
	await page.keyboard.press('Tab'); // description
	await page.keyboard.press('Tab'); // the TLP radio group, at AMBER
	await page.keyboard.press('ArrowUp'); // GREEN
	assert.equal(await page.isChecked('#tlp-choices input[value=green]'), true);
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'c-orgs');
	const box = page.locator('#c-orgs');
	assert.equal(await box.getAttribute('role'), 'combobox');
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	// One letter asks nothing; "artn" (inside the name) finds the partner.
	await page.keyboard.type('a');
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	await page.keyboard.type('rtn');
	const list = page.locator(`#${await box.getAttribute('aria-controls')}`);
	await page.waitForFunction(() => document.querySelector('#c-orgs').getAttribute('aria-expanded') === 'true');
	assert.equal(await list.getAttribute('role'), 'listbox');
	assert.deepEqual(await list.locator('[role=option]').allInnerTexts(), ['Partner CERT (cert, GB)']);
	await accessible(page, '/staff/sharing with the list open');
	await shot(page, 'sharing-picker-open');
	await page.keyboard.press('ArrowDown');
	const opt = list.locator('[role=option]').first();
	assert.equal(await opt.getAttribute('aria-selected'), 'true');
	assert.equal(await box.getAttribute('aria-activedescendant'), await opt.getAttribute('id'));
	await page.keyboard.press('Enter'); // chooses; does not send the form
	assert.deepEqual(await page.$$eval('#c-orgs-chips li', (l) => l.map((c) => [Number(c.dataset.id), c.firstChild.textContent])),
		[[acc.orgs.cert, 'Partner CERT (cert, GB)']]);
	assert.equal(await box.inputValue(), '');
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	assert.equal(await page.locator('#coll-form .confirm').isVisible(), false);
	// A second one chosen, then removed again from its chip by keyboard.
	await page.keyboard.type('shop');
	await page.waitForSelector('#c-orgs[aria-expanded=true]');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter');
	assert.equal(await page.locator('#c-orgs-chips li').count(), 2);
	await page.keyboard.press('Shift+Tab');
	assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Remove Shop C (business, FR)');
	await page.keyboard.press('Enter');
	assert.equal(await page.locator('#c-orgs-chips li').count(), 1);
	assert.equal(await page.evaluate(() => document.activeElement.id), 'c-orgs');
	// Escape closes the list without choosing.
	await page.keyboard.type('shop');
	await page.waitForSelector('#c-orgs[aria-expanded=true]');
	await page.keyboard.press('Escape');
	assert.equal(await box.getAttribute('aria-expanded'), 'false');
	await page.keyboard.press('Control+A');
	await page.keyboard.press('Backspace');
	await shot(page, 'sharing-picker-chosen');
	// Enter sends the form; the confirmation names the partner; Enter confirms.
	await page.keyboard.press('Enter');
	await page.waitForSelector('#coll-form .confirm-yes:focus');
	assert.match(await text(page, '#coll-form .confirm'), /Partner feed as TLP:GREEN, shared with organisations Partner CERT\?/);
	await page.keyboard.press('Enter');
	await page.waitForSelector('#colls tr:has-text("Partner feed")');
	assert.match(await page.locator('#colls tr', { hasText: 'Partner feed' }).innerText(), /organisations Partner CERT/);
	// The API got the id.
	const r = expectStatus(await req(srv, 'GET', '/api/v1/collections', { token: acc.users.ana.token }), 200, 'collections');
	assert.deepEqual(r.json.collections.find((c) => c.title === 'Partner feed').shared_with.orgs, [acc.orgs.cert]);
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('users picked across organisations: a group partner\'s by name, never an outsider\'s', async () => {
	// The centre and the CERT share "Fraud partners" (the sharing test); the shop is in no group with them.
	const ctx = await context();
	const page = await signIn(ctx, acc.users.ana, '/staff/sharing');
	await page.waitForSelector('#tlp-choices input[value=red]');
	await page.fill('#c-title', 'Named only');
	await page.check('#tlp-choices input[value=red]');
	const box = page.locator('#c-users');
	const list = page.locator(`#${await box.getAttribute('aria-controls')}`);
	const options = async (q) => {
		await box.fill('');
		await box.pressSequentially(q);
		await page.waitForSelector('#c-users[aria-expanded=true]');
		return list.locator('li').allInnerTexts();
	};
	assert.deepEqual(await options('be'), ['ben (analyst, Partner CERT)'], 'a partner organisation\'s user, named with it');
	assert.deepEqual(await options('iv'), ['ivy (investigator, your organisation)']);
	assert.deepEqual(await options('cy'), ['No user by that name.'], 'the shop is no partner: its users are not listed');
	await shot(page, 'sharing-user-picker');
	await box.fill('be');
	await box.fill('');
	await box.pressSequentially('ben');
	await page.waitForSelector('#c-users[aria-expanded=true]');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter');
	assert.deepEqual(await page.$$eval('#c-users-chips li', (l) => l.map((c) => [Number(c.dataset.id), c.firstChild.textContent])),
		[[acc.users.ben.id, 'ben (analyst, Partner CERT)']]);
	// The shop's analyst named by a bare id (the API takes any user): kept as an id on the page.
	await box.fill(String(acc.users.cyd.id));
	await page.click('#coll-submit');
	await page.click('#coll-form .confirm-yes');
	await page.waitForSelector('#colls tr:has-text("Named only")');
	const want = new RegExp(`users ben \\(analyst, Partner CERT\\), user ${acc.users.cyd.id}`);
	assert.match(await page.locator('#colls tr', { hasText: 'Named only' }).innerText(), want);
	await ctx.close();
	// A fresh page names them from the directory by id, and the form's chips too.
	const c2 = await context();
	const p2 = await signIn(c2, acc.users.ana, '/staff/sharing');
	await p2.waitForSelector('#colls tr:has-text("Named only")');
	const row = p2.locator('#colls tr', { hasText: 'Named only' });
	assert.match(await row.innerText(), want);
	assert.doesNotMatch(await row.innerText(), /cyd/, 'never the name of a user ana may not list');
	await row.locator('button:text("Change Named only")').click();
	assert.deepEqual(await p2.$$eval('#c-users-chips li', (l) => l.map((c) => c.firstChild.textContent)),
		['ben (analyst, Partner CERT)', `user ${acc.users.cyd.id}`]);
	await c2.close();
	// The shop's analyst finds nobody of the centre or the CERT.
	const c3 = await context();
	const p3 = await signIn(c3, acc.users.cyd, '/staff/sharing');
	await p3.waitForSelector('#tlp-choices input[value=red]');
	await p3.locator('#c-users').pressSequentially('an');
	await p3.waitForSelector('#c-users[aria-expanded=true]');
	assert.deepEqual(await p3.locator(`#${await p3.locator('#c-users').getAttribute('aria-controls')} li`).allInnerTexts(), ['No user by that name.']);
	await c3.close();
	assert.deepEqual(problems, []);
});

// The size a text is drawn at on the screen: its CSS font size times the
// scale of the SVG it is in (an SVG drawn narrower than its viewBox shrinks
// its labels with it).
const drawnSize = (page, sel) => page.$$eval(sel, (els) => els.map((el) => {
	const svg = el.ownerSVGElement;
	const scale = svg ? svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : 1;
	return parseFloat(getComputedStyle(el).fontSize) * scale;
}));

test('the case graph reads on a phone: a list first, the picture at full size on request', async () => {
	// Two new reports naming one number: a case of two (the others were split).
	const GRAPH_PHONE = '+44 7700 900456';
	for (const name of ['g1', 'g2']) {
		R[name] = expectStatus(await req(srv, 'POST', '/api/v1/reports', { json: { kind: 'crime', category: 'investment-fraud',
			description: `A broker on ${GRAPH_PHONE} took a deposit.`, suspect: { phones: [GRAPH_PHONE] } } }), 201, name).json.reference;
	}
	const ctx = await context(PHONE_SCREEN);
	const page = await signIn(ctx, acc.users.ana, `/staff/case?ref=${R.g1}`);
	await page.waitForSelector('#graph-list');
	assert.equal(await page.isVisible('#graph-svg'), false, 'the picture is not the default on a phone');
	assert.equal(await text(page, '#graph-view'), 'Show as a graph');
	const items = await page.$$eval('#graph-list > li', (lis) => lis.map((li) => li.dataset.ref));
	assert.deepEqual(items.sort(), [R.g1, R.g2].sort(), 'both reports in the list');
	assert.match(await text(page, '#graph-list'), new RegExp(`${R.g1} \\(this report\\)`));
	assert.match(await text(page, '#graph-list'), /phone: \+447700900456[\s\S]*phone: \+447700900456/);
	for (const px of await drawnSize(page, '#graph-list li')) assert.ok(px >= 16, `list text at ${px} px`);
	assert.equal(await widthOverflow(page), '');
	await shot(page, 'phone-case-graph-list');
	// By keyboard: the picture, whose labels keep their size (it scrolls
	// sideways in its box instead of shrinking).
	await page.focus('#graph-view');
	await page.keyboard.press('Enter');
	await page.waitForSelector('#graph-svg', { state: 'visible' });
	assert.equal(await page.isVisible('#graph-list'), false);
	const sizes = await drawnSize(page, '#graph-svg text');
	assert.ok(sizes.length >= 3, 'labels drawn');
	for (const px of sizes) assert.ok(px >= 12.9, `graph label drawn at ${px.toFixed(1)} px`);
	assert.equal(await widthOverflow(page), '', 'the page does not scroll sideways; the graph box does');
	assert.ok(await page.$eval('#graph', (g) => g.scrollWidth > g.clientWidth), 'the graph scrolls in its box');
	await shot(page, 'phone-case-graph-picture');
	await page.keyboard.press('Enter');
	await page.waitForSelector('#graph-list', { state: 'visible' });
	await ctx.close();
	// On a wide screen the picture is the default, labels at full size.
	const wide = await context();
	const p2 = await signIn(wide, acc.users.ana, `/staff/case?ref=${R.g1}`);
	await p2.waitForSelector('#graph-svg', { state: 'visible' });
	assert.equal(await text(p2, '#graph-view'), 'Show as a list');
	for (const px of await drawnSize(p2, '#graph-svg text')) assert.ok(px >= 12.9, `graph label drawn at ${px.toFixed(1)} px`);
	await wide.close();
	assert.deepEqual(problems, []);
});

test('the new pages fit a 390-px-wide screen', async () => {
	const ctx = await context(PHONE_SCREEN);
	const page = await signIn(ctx, acc.users.ana, '/staff/cases');
	for (const [p, ready] of [['/staff/cases', '#cases tbody tr'], [`/staff/case?ref=${R.a1}`, '#graph-list'], ['/staff/lookup', '#lookup-form'],
		['/staff/sharing', '#colls tbody tr']]) {
		await page.goto(p);
		await page.waitForSelector(ready);
		assert.equal(await widthOverflow(page), '', p);
		await accessible(page, `${p} at 390 px`);
		await shot(page, `phone${p.replace(/[/?=]/g, '-')}`);
	}
	await ctx.close();
	assert.deepEqual(problems, []);
});

test('every new page was checked', () => {
	for (const p of ['/staff/cases', '/staff/case', '/staff/lookup', '/staff/sharing'])
		assert.ok(visited.has(p), `the tests never visited ${p}`);
	assert.ok(fs.readdirSync(web.shots).length >= 10, 'screenshots were saved');
});
