// dom.js - building pages without innerHTML: every text from the API goes
// into text nodes, so nothing a victim or a suspect wrote can become markup
// (and the Content-Security-Policy forbids inline script and style anyway).

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false) continue;
		if (k === 'text') el.textContent = String(v);
		else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
		else if (k in el && !(el instanceof SVGElement) && typeof v !== 'string') el[k] = v;
		else el.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of children.flat()) {
		if (c === undefined || c === null || c === false) continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

// h('p', {class: 'x'}, 'text', child...): an HTML element.
export function h(tag, attrs, ...children) {
	return fill(document.createElement(tag), attrs, children);
}

// s('rect', {x: 1}): an SVG element.
export function s(tag, attrs, ...children) {
	return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// Replaces the children of el.
export function put(el, ...children) {
	el.replaceChildren();
	return fill(el, {}, children);
}

// A date and time for people, in their own locale and zone.
export function when(iso) {
	if (!iso) return '';
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

// An actor as the audit trail names it ("user:2:ana", "token:5:feed"):
// the name, which is what people know each other by.
export const actorName = (actor) => String(actor || '').replace(/^[a-z]+:\d+:/, '');

// Money in minor units as "1,234.56 EUR".
export function money(minor, currency) {
	const n = Number(minor) / 100;
	return `${n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

// Announces a message in the page's live region (#status).
export function say(text, kind = 'info') {
	const st = document.getElementById('status');
	if (!st) return;
	st.className = `notice ${kind}`;
	st.textContent = text;
}

export function param(name) {
	return new URL(location.href).searchParams.get(name);
}
