// stats.js - statistics from GET /api/v1/stats: a bar chart drawn here as
// SVG, the table, and the same query as a CSV download.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { bars } from './charts.js';
import { h, $, put, say, money } from './dom.js';

const form = $('#stats-form');

function query(fmt) {
	const p = new URLSearchParams({ group_by: form.group_by.value });
	if (form.from.value) p.set('from', form.from.value);
	if (form.to.value) p.set('to', form.to.value);
	if (fmt) p.set('format', fmt);
	return p;
}

async function load() {
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	for (const e of form.querySelectorAll('.error')) e.textContent = '';
	let st;
	try {
		st = await api('GET', `/api/v1/stats?${query()}`);
	} catch (e) {
		const el = e.field && form[e.field];
		if (el) { el.setAttribute('aria-invalid', 'true'); const m = $(`#err-${e.field}`); if (m) m.textContent = e.message; el.focus(); }
		say(e.message, 'error');
		return;
	}
	say('');
	const g = form.group_by.value;
	const label = form.group_by.selectedOptions[0].textContent;
	const rows = (st.rows || []).map((r) => ({ label: String(r[g] ?? '(none)'), value: typeof r.reports === 'number' ? r.reports : 0, row: r }));
	$('#total').textContent = st.total === null || st.total === undefined ? 'Small groups are suppressed and no total is given.' : `${st.total} reports in all.`;
	$('#chart-caption').textContent = `Reports by ${label}`;
	put($('#chart'), bars(rows, { title: `Reports by ${label}` }));
	$('#csv').href = `/api/v1/stats?${query('csv')}`;
	put($('#table thead'), h('tr', {}, h('th', { scope: 'col', text: label }), h('th', { scope: 'col', class: 'num', text: 'Reports' }),
		h('th', { scope: 'col', class: 'num', text: 'Vulnerable victims' }), h('th', { scope: 'col', text: 'Losses (sum; median)' })));
	put($('#table tbody'), ...rows.map(({ label: l, row }) => h('tr', {}, h('td', { text: l }),
		h('td', { class: 'num', text: String(row.reports) }), h('td', { class: 'num', text: String(row.vulnerable_victims ?? '') }),
		h('td', { text: (row.losses || []).map((x) => `${money(x.sum_minor, x.currency)}; ${money(x.median_minor, x.currency)}`).join(' / ') }))));
}

async function start() {
	await staffPage();
	form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
	await load();
}

start().catch((e) => say(e.message, 'error'));
