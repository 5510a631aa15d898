// staff-report.js - one report as staff see it (GET /api/v1/reports/{ref});
// the victim's details only for the roles the API gives them to (and that
// read is audited by the API); status changes and notes.
import { api } from './api.js';
import { staffPage, maySeeVictim, mayMoveOn, mayRecordOutcome, NEXT } from './staff.js';
import { h, $, put, say, when, money, param, actorName } from './dom.js';

const ref = (param('ref') || '').trim();
let me;

function facts(el, rows) {
	put(el, ...rows.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)]));
}

function fieldError(form, name, msg) {
	const el = form[name];
	if (!el) return false;
	el.setAttribute('aria-invalid', 'true');
	const id = (el.getAttribute('aria-describedby') || '').split(' ').find((i) => i.startsWith('err-'));
	if (id) document.getElementById(id).textContent = msg;
	el.focus();
	return true;
}

function clear(form) {
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	for (const e of form.querySelectorAll('.error')) e.textContent = '';
}

// An event's detail: a note's text, or a victim's addition {text, suspect}.
function detail(d) {
	if (typeof d !== 'object' || d === null) return String(d);
	const parts = d.text ? [d.text] : [];
	for (const [k, v] of Object.entries(d.suspect || {})) parts.push(`suspect ${k.replace('_', ' ')}: ${[].concat(v).join(', ')}`);
	return parts.join('; ');
}

async function load() {
	const withVictim = maySeeVictim(me);
	const r = await api('GET', `/api/v1/reports/${encodeURIComponent(ref)}${withVictim ? '?include=victim' : ''}`);
	$('#ref').textContent = r.reference;
	document.title = `Report ${r.reference} - crix staff`;
	$('#case-link').href = `/staff/case?ref=${encodeURIComponent(r.reference)}`;
	facts($('#facts'), [
		['Status', h('span', { class: 'badge', id: 'cur-status', text: r.status })], ['Outcome', r.outcome],
		['Category', r.category], ['Kind', r.kind], ['Received', when(r.created)], ['Updated', when(r.updated)],
		['Channel', r.channel], ['Victim type', r.victim_type], ['Vulnerable victim', r.vulnerable ? 'yes' : 'no'],
	]);
	const b = r.report || {};
	const sus = b.suspect || {};
	facts($('#body'), [
		['Description', b.description], ['Occurred', b.occurred ? [b.occurred.start, b.occurred.end].filter(Boolean).join(' to ') : ''],
		['Loss', b.loss ? money(b.loss.amount_minor, b.loss.currency) : ''], ['Payment', b.payment_method],
		['Situations', (b.situations || []).join(', ')],
		...Object.entries(sus).map(([k, v]) => [`Suspect ${k.replace('_', ' ')}`, v.join(', ')]),
	]);
	if (r.victim && Object.keys(r.victim).length) {
		facts($('#victim'), Object.entries(r.victim).map(([k, v]) => [k.replace('_', ' '), typeof v === 'object' ? JSON.stringify(v) : String(v)]));
		$('#victim-section').classList.remove('hidden');
	} else if (withVictim) {
		facts($('#victim'), [['Details', 'The victim gave none.']]);
		$('#victim-section').classList.remove('hidden');
	} else {
		$('#victim-hidden').classList.remove('hidden');
	}
	put($('#indicators'), ...(r.indicators || []).map((i) => h('li', {}, h('span', { class: 'badge', text: i.type }), ' ',
		h('a', { href: `/staff/?indicator=${encodeURIComponent(i.value)}`, text: i.value }), ` (from ${i.field})`)));
	if (!(r.indicators || []).length) put($('#indicators'), h('li', { text: 'None found.' }));
	put($('#evidence'), ...(r.evidence || []).map((e) => h('li', {},
		withVictim ? h('a', { href: `/api/v1/reports/${encodeURIComponent(r.reference)}/evidence/${e.sha256}`, download: e.name || e.sha256, text: e.name || e.sha256 }) : h('span', { text: e.name || e.sha256 }),
		` (${e.type}, ${e.size} bytes, SHA-256 ${e.sha256})`)));
	if (!(r.evidence || []).length) put($('#evidence'), h('li', { text: 'No files.' }));
	put($('#events'), ...(r.events || []).map((e) => h('li', {}, h('strong', { text: when(e.at) }), ` ${e.type}`,
		e.status ? ` → ${e.status}` : '', e.outcome ? ` (${e.outcome})` : '', ` by ${actorName(e.actor)}`,
		e.detail ? `: ${detail(e.detail)}` : '', e.victim_visible && e.type === 'note' ? ' [victim sees this]' : '')));
	put($('#advice'), ...(r.advice || []).map((a) => h('li', { text: a.title })));
	const next = (NEXT[r.status] || []).filter((s) => s !== 'outcome' || mayRecordOutcome(me));
	$('#move').classList.toggle('hidden', !mayMoveOn(me));
	const sel = $('#s-status');
	put(sel, ...next.map((s) => h('option', { value: s, text: s })));
	$('#status-form').classList.toggle('hidden', next.length === 0);
	$('#no-moves').classList.toggle('hidden', next.length !== 0);
	$('#outcome-field').classList.toggle('hidden', sel.value !== 'outcome');
}

async function start() {
	me = await staffPage();
	if (!ref) { say('No report given: open one from the queue.', 'error'); return; }
	const sf = $('#status-form');
	sf.status.addEventListener('change', () => $('#outcome-field').classList.toggle('hidden', sf.status.value !== 'outcome'));
	sf.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clear(sf);
		const body = { status: sf.status.value };
		if (body.status === 'outcome') {
			if (!sf.outcome.value) { fieldError(sf, 'outcome', 'Choose the outcome.'); return; }
			body.outcome = sf.outcome.value;
		}
		if (sf.note.value.trim()) body.note = sf.note.value.trim();
		if (sf.victim_note.value.trim()) body.victim_note = sf.victim_note.value.trim();
		try {
			await api('POST', `/api/v1/reports/${encodeURIComponent(ref)}/status`, { json: body });
			sf.reset();
			await load();
			say(`The report is now ${body.status}.`, 'ok');
		} catch (e) {
			if (!fieldError(sf, e.field, e.message)) say(e.message, 'error');
		}
	});
	const nf = $('#note-form');
	nf.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clear(nf);
		if (!nf.text.value.trim()) { fieldError(nf, 'text', 'Write the note.'); return; }
		try {
			await api('POST', `/api/v1/reports/${encodeURIComponent(ref)}/notes`, { json: { text: nf.text.value.trim(), victim_visible: nf.victim_visible.checked } });
			nf.reset();
			await load();
			say('The note was added.', 'ok');
		} catch (e) {
			if (!fieldError(nf, e.field, e.message)) say(e.message, 'error');
		}
	});
	await load();
}

start().catch((e) => say(e.message, 'error'));
