// staff-alerts.js - publishing and withdrawing alerts (POST /api/v1/alerts,
// POST /api/v1/alerts/{id}/withdraw) and the alerts the signed-in member may
// see (GET /api/v1/alerts; all=1 adds their organisation's withdrawn and
// expired ones).  The API decides who may publish, withdraw and see; errors
// are shown next to their field, as on the report form.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { alertCard } from './alerts.js';
import { h, $, $$, put, say } from './dom.js';

const form = $('#alert-form');
let me = null;
let cursor = null;

function clearErrors() {
	for (const el of $$('[aria-invalid]', form)) el.removeAttribute('aria-invalid');
	for (const e of $$('.error', form)) e.textContent = '';
}

// The input an API field names: "indicators[2]" is the indicators box
// (line 3), "tlp" the first radio button.
function inputFor(field) {
	const name = field.replace(/\[\d+\]$/, '');
	if (name === 'tlp') return $('#tlp-green');
	return ['title', 'category', 'summary', 'advice', 'indicators', 'expires'].includes(name) ? $(`#${name}`) : null;
}

function showError(e) {
	const el = e.field ? inputFor(e.field) : null;
	if (!el) {
		say(e.message, 'error');
		return;
	}
	const m = /^indicators\[(\d+)\]/.exec(e.field);
	const name = e.field.replace(/\[\d+\]$/, '');
	$(`#err-${name}`).textContent = m ? `Line ${Number(m[1]) + 1}: ${e.message}` : e.message;
	el.setAttribute('aria-invalid', 'true');
	el.focus();
	say('The alert was not published: see the message next to the field.', 'error');
}

async function publish(ev) {
	ev.preventDefault();
	clearErrors();
	const lines = form.indicators.value.split('\n').map((l) => l.trim()).filter((l) => l !== '');
	const body = {
		title: form.title.value.trim(), category: form.category.value, summary: form.summary.value,
		advice: form.advice.value, tlp: form.tlp.value, indicators: lines,
	};
	if (form.expires.value) body.expires = form.expires.value;
	let a;
	try {
		a = await api('POST', '/api/v1/alerts', { json: body });
	} catch (e) {
		showError(e);
		return;
	}
	form.reset();
	say(`Published alert ${a.id} (TLP:${a.tlp.toUpperCase()}): ${a.title}.`, 'ok');
	await reload();
}

async function withdraw(a, button) {
	if (!confirm(`Withdraw "${a.title}"? Nobody outside your organisation will see it any more.`)) return;
	button.disabled = true;
	try {
		await api('POST', `/api/v1/alerts/${a.id}/withdraw`);
	} catch (e) {
		button.disabled = false;
		say(e.message, 'error');
		return;
	}
	say(`Withdrew alert ${a.id}: ${a.title}.`, 'ok');
	await reload();
}

function card(a) {
	const state = a.status === 'withdrawn' ? 'Withdrawn' : a.current ? '' : 'Expired';
	const extra = [];
	if (state) extra.push(h('p', {}, h('span', { class: 'badge', text: state })));
	// Only the publishing organisation is told the author; admins may
	// withdraw any alert.  The API decides either way.
	if (a.status === 'published' && me.role !== 'viewer' && ('author' in a || me.role === 'admin')) {
		const b = h('button', { type: 'button', class: 'secondary', text: 'Withdraw', 'aria-label': `Withdraw ${a.title}` });
		b.addEventListener('click', () => withdraw(a, b));
		extra.push(h('div', { class: 'actions' }, b));
	}
	return alertCard(a, extra);
}

async function load() {
	const all = $('#show-all').checked ? '&all=1' : '';
	let page;
	try {
		page = await api('GET', `/api/v1/alerts?limit=20${all}${cursor ? `&cursor=${cursor}` : ''}`);
	} catch (e) {
		say(e.message, 'error');
		return;
	}
	if (!cursor && page.alerts.length === 0) $('#alerts').append(h('p', { text: 'No alerts.' }));
	for (const a of page.alerts) $('#alerts').append(card(a));
	cursor = page.next;
	$('#more').classList.toggle('hidden', !cursor);
}

async function reload() {
	cursor = null;
	put($('#alerts'));
	await load();
}

async function start() {
	me = await staffPage();
	if (me.role === 'viewer') {
		// The API refuses viewers (403); say so rather than offer a form.
		put(form, h('p', { class: 'hint', id: 'no-publish', text: 'Viewers read alerts; analysts and above publish them.' }));
	} else {
		const cat = await api('GET', '/api/v1/offences');
		put(form.category, h('option', { value: '', text: 'Choose one' }),
			...(cat.offences || []).filter((o) => o.in_scope !== false).map((o) => h('option', { value: o.code, text: o.name })));
		form.addEventListener('submit', publish);
	}
	$('#show-all').addEventListener('change', reload);
	$('#more').addEventListener('click', load);
	await reload();
}

start().catch((e) => say(e.message, 'error'));
