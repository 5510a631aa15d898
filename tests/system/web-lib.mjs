// web-lib.mjs - what the browser tests share (web.test.mjs, staff.test.mjs):
// chromium's flags, and the checks every page must pass: every form
// control labelled, text at WCAG 2.2 AA contrast.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('../node_modules/playwright-core');

export function launchChromium() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
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
