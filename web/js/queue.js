// queue.js - the triage queue: GET /api/v1/reports, newest first, with the
// status, category, indicator and text filters, a page at a time.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { h, $, say, when, param } from './dom.js';

const form = $('#filters');
let cursor = null;

function query() {
	const p = new URLSearchParams();
	for (const k of ['status', 'category', 'indicator', 'q']) if (form[k].value.trim()) p.set(k, form[k].value.trim());
	return p;
}

async function load(more) {
	const p = query();
	p.set('limit', '50');
	if (more && cursor !== null) p.set('cursor', String(cursor));
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	for (const e of form.querySelectorAll('.error')) e.textContent = '';
	let res;
	try {
		res = await api('GET', `/api/v1/reports?${p}`);
	} catch (e) {
		const el = e.field && form[e.field];
		if (el) { el.setAttribute('aria-invalid', 'true'); $(`#err-f-${e.field}`).textContent = e.message; el.focus(); }
		say(e.message, 'error');
		return;
	}
	say('');
	const body = $('#queue tbody');
	if (!more) body.replaceChildren();
	for (const r of res.reports) {
		body.append(h('tr', {},
			h('td', {}, h('a', { href: `/staff/report?ref=${encodeURIComponent(r.reference)}`, text: r.reference })),
			h('td', { text: when(r.created) }), h('td', { text: r.category }),
			h('td', {}, h('span', { class: 'badge', text: r.status })),
			h('td', { text: r.channel }), h('td', { text: r.vulnerable ? 'yes' : '' })));
	}
	if (!more && res.reports.length === 0) body.append(h('tr', {}, h('td', { colspan: '6', text: 'No reports match.' })));
	cursor = res.next;
	$('#more').classList.toggle('hidden', res.next === null || res.next === undefined);
	// The filters stay in the address, so the view can be bookmarked.
	if (!more) history.replaceState(null, '', `?${query()}`);
}

async function start() {
	await staffPage();
	const cat = await api('GET', '/api/v1/offences');
	for (const o of cat.offences) form.category.append(h('option', { value: o.code, text: o.name }));
	for (const k of ['status', 'category', 'indicator', 'q']) if (param(k)) form[k].value = param(k);
	form.addEventListener('submit', (ev) => { ev.preventDefault(); load(false); });
	$('#more').addEventListener('click', () => load(true));
	await load(false);
}

start().catch((e) => say(e.message, 'error'));
