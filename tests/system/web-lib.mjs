// web-lib.mjs - what the browser tests share (web.test.mjs, staff.test.mjs,
// casework.test.mjs): chromium's flags; a WebTests session that watches every
// page for console errors, page errors and its headers, saves screenshots and
// signs staff in; and the checks every page must pass: every form control
// labelled, text at WCAG 2.2 AA contrast, nothing wider than the screen.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('../node_modules/playwright-core');

export function launchChromium() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
}

// The CSP directives every page must send.
export const PAGE_CSP = ["default-src 'self'", "script-src 'self'", "style-src 'self'"];

// A phone's screen, for the 390-px checks.
export const PHONE_SCREEN = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };

export const text = (page, sel) => page.locator(sel).innerText();

// One test file's browser: made at the top of the file (so that its arrays
// and bound methods can be destructured there), started in before() once the
// server runs.  problems collects console errors, page errors and headers a
// page lacks; expected holds the regexps of API refusals a test provoked on
// purpose, each consuming one console error; visited, the pages' paths.
// opts.csp(pathname) names the CSP directives a page must send (PAGE_CSP by
// default); opts.headers, other headers it must send, exactly.
export class WebTests {
	constructor(opts = {}) {
		this.csp = opts.csp || (() => PAGE_CSP);
		this.headers = opts.headers || {};
		this.problems = [];
		this.expected = [];
		this.visited = new Set();
		this.nShot = 0;
		for (const m of ['context', 'watch', 'shot', 'accessible', 'signIn', 'refusalsSeen']) this[m] = this[m].bind(this);
	}

	// Launches chromium against srv; screenshots go to $SCREENSHOTS/sub (or
	// $SCREENSHOTS itself without a sub), else to a directory under dir.
	async start(srv, dir, sub = '') {
		this.srv = srv;
		const env = process.env.SCREENSHOTS;
		if (sub) this.shots = env ? path.join(env, sub) : path.join(dir, `${sub}-screenshots`);
		else this.shots = env || path.join(dir, 'screenshots');
		fs.mkdirSync(this.shots, { recursive: true });
		console.log(`screenshots: ${this.shots}`);
		this.browser = await launchChromium();
	}

	// Closes the browser, then checks the server's log and stops it.
	async close() {
		if (this.browser) await this.browser.close();
		if (this.srv) {
			this.srv.checkLog();
			await this.srv.stop();
		}
	}

	// A browser context (one user's cookies) whose pages are all watched.
	async context(opts = {}) {
		const ctx = await this.browser.newContext({ baseURL: this.srv.base, ...opts });
		ctx.on('page', this.watch);
		return ctx;
	}

	watch(page) {
		const { problems, expected } = this;
		page.on('console', (m) => {
			if (m.type() !== 'error') return;
			const i = expected.findIndex((re) => re.test(m.text()));
			if (i >= 0) expected.splice(i, 1);
			else problems.push(`${page.url()}: console: ${m.text()}`);
		});
		page.on('pageerror', (e) => problems.push(`${page.url()}: page error: ${e.message}`));
		page.on('response', (r) => {
			if (r.request().resourceType() !== 'document') return;
			const where = new URL(r.url()).pathname;
			this.visited.add(where);
			const csp = r.headers()['content-security-policy'] || '';
			for (const d of this.csp(where)) if (!csp.includes(d)) problems.push(`${r.url()}: Content-Security-Policy lacks ${d}: '${csp}'`);
			for (const [h, want] of Object.entries(this.headers))
				if (r.headers()[h] !== want) problems.push(`${r.url()}: no ${h}: ${want}`);
		});
	}

	async shot(page, name) {
		this.nShot++;
		await page.screenshot({ path: path.join(this.shots, `${String(this.nShot).padStart(2, '0')}-${name}.png`), fullPage: true });
	}

	async accessible(page, what) {
		assert.deepEqual(await unlabelled(page), [], `unlabelled controls on ${what}`);
		assert.deepEqual(await lowContrast(page), [], `low-contrast text on ${what}`);
	}

	// Signs in through the login page and lands on next.
	async signIn(ctx, user, next) {
		const page = await ctx.newPage();
		await page.goto(`/staff/login?next=${encodeURIComponent(next)}`);
		await page.fill('#username', user.username);
		await page.fill('#password', user.password);
		await Promise.all([page.waitForURL(`**${next}`), page.click('button[type=submit]')]);
		return page;
	}

	// Waits for the console errors of the refusals a test provoked (the
	// browser reports them a little after the page has shown the error).
	async refusalsSeen() {
		for (let i = 0; i < 50 && this.expected.length; i++) await new Promise((r) => setTimeout(r, 100));
		assert.deepEqual(this.expected, [], 'the refusals provoked were seen');
	}
}

// Form controls on the page with no label (WCAG 1.3.1, 4.1.2).
export async function unlabelled(page) {
	return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
		.filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label'))
		.map((el) => el.id || el.name || el.outerHTML.slice(0, 80)));
}

// Visible text below WCAG 2.2 AA contrast (4.5:1; 3:1 for large text),
// against the first opaque background up the tree.
export async function lowContrast(page) {
	return page.evaluate(() => {
		const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
		const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
			.reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
		const bg = (el) => {
			for (let e = el; e; e = e.parentElement) {
				const c = rgb(getComputedStyle(e).backgroundColor);
				if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
			}
			return [255, 255, 255];
		};
		const bad = [];
		for (const el of document.querySelectorAll('body *')) {
			if (el instanceof SVGElement || !el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
			if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
			const st = getComputedStyle(el);
			const a = lum(rgb(st.color)), b = lum(bg(el));
			const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
			const size = parseFloat(st.fontSize), bold = Number(st.fontWeight) >= 700;
			const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
			if (ratio < need) bad.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${el.textContent.trim().slice(0, 30)}": ${ratio.toFixed(2)}`);
		}
		return bad;
	});
}

// Asserts nothing on the page is wider than the screen (no sideways scroll).
export async function widthOverflow(page) {
	const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
	return sw > cw ? `${sw} px wide content on a ${cw} px screen` : '';
}
