// cases.js - the case queue: GET /api/v1/cases?order=triage, highest
// triage score first, a page at a time; each row opens the case page.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { h, $, say, when, param } from './dom.js';
import { clear, showError } from './forms.js';
import { reasons, points, losses, categories } from './triage.js';

const form = $('#filters');
let cursor = null;

async function load(more) {
	const p = new URLSearchParams({ order: 'triage', limit: form.limit.value });
	if (more && cursor !== null) p.set('cursor', String(cursor));
	clear(form);
	let res;
	try {
		res = await api('GET', `/api/v1/cases?${p}`);
	} catch (e) {
		showError(form, e);
		return;
	}
	say('');
	const body = $('#cases tbody');
	if (!more) body.replaceChildren();
	for (const c of res.cases) {
		body.append(h('tr', { 'data-case': c.id },
			h('th', { scope: 'row' }, h('a', { href: `/staff/case?ref=${encodeURIComponent(c.id)}`, text: c.id })),
			h('td', {}, h('strong', { class: 'score', text: points(c.triage.score) }), reasons(c.triage)),
			h('td', { class: 'num', text: String(c.size) }),
			h('td', { class: 'num', text: c.vulnerable_victims ? `${c.victims} (${c.vulnerable_victims} vulnerable)` : String(c.victims) }),
			h('td', { text: losses(c.losses) }), h('td', { text: categories(c.categories) }),
			h('td', { text: when(c.first_report) }), h('td', { text: when(c.last_report) })));
	}
	if (!more && res.cases.length === 0) body.append(h('tr', {}, h('td', { colspan: '8', text: 'No case is waiting for work.' })));
	$('#total').textContent = `${res.total} ${res.total === 1 ? 'case waits' : 'cases wait'} for work.`;
	cursor = res.next;
	$('#more').classList.toggle('hidden', res.next === null || res.next === undefined);
	if (!more) history.replaceState(null, '', `?limit=${form.limit.value}`);
}

async function start() {
	await staffPage();
	if (param('limit') && [...form.limit.options].some((o) => o.value === param('limit'))) form.limit.value = param('limit');
	form.addEventListener('submit', (ev) => { ev.preventDefault(); load(false); });
	$('#more').addEventListener('click', () => load(true));
	await load(false);
}

start().catch((e) => say(e.message, 'error'));
