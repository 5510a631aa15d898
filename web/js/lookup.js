// lookup.js - POST /api/v1/lookup from the browser: values pasted one per
// line, each shown with the shared indicators that match it and that the
// user may see, and the lines that are no indicator with the reason.
// Defanged values (hxxp, [.], (dot), [@]) are refanged by the API with the
// rules the CLI and report extraction use ("refang": true), and each line
// refanging changed is shown with what it was read as.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { h, $, put, say, when } from './dom.js';
import { onSubmit } from './forms.js';
import { tlpName } from './tlp.js';

const LOOKUP_MAX = 10000; // the API's limit (413 beyond)
let titles = new Map(); // collection id -> {title, owner_org}
let me = null;

async function collections() {
	try {
		const r = await api('GET', '/api/v1/collections');
		titles = new Map(r.collections.map((c) => [c.id, c]));
	} catch {
		titles = new Map(); // the lookup still works; collections show by id
	}
}

// The owner as far as the API tells it: the collections list gives the
// owner only to the owner's own organisation.
function owner(cid) {
	const c = titles.get(cid);
	if (c && c.owner_org !== undefined) return c.owner_org === me.org_id ? 'your organisation' : `organisation ${c.owner_org}`;
	return 'another organisation';
}

async function start() {
	me = await staffPage();
	const form = $('#lookup-form');
	onSubmit(form, async (f) => {
		// Blank lines are skipped; line numbers stay those of the text box.
		const lines = f.values.value.split(/\r?\n/);
		const values = [], lineOf = [];
		lines.forEach((l, i) => { if (l.trim()) { values.push(l.trim()); lineOf.push(i + 1); } });
		if (!values.length) throw Object.assign(new Error('Paste at least one value.'), { field: 'values' });
		if (values.length > LOOKUP_MAX) throw Object.assign(new Error(`values: at most ${LOOKUP_MAX.toLocaleString()} in one lookup (${values.length.toLocaleString()} given)`), { field: 'values' });
		const [r] = await Promise.all([api('POST', '/api/v1/lookup', { json: { values, refang: true } }), collections()]);
		const rows = [];
		for (const x of r.results) {
			x.matches.forEach((m, k) => {
				const c = titles.get(m.collection);
				rows.push(h('tr', {},
					k === 0 ? h('td', { rowspan: String(x.matches.length), text: String(lineOf[x.index]) }) : null,
					k === 0 ? h('td', { rowspan: String(x.matches.length) }, h('span', { text: x.value }),
						x.canonical !== x.value ? h('span', { class: 'hint', text: ` (read as ${x.canonical})` }) : null) : null,
					h('td', { text: m.type }), h('td', { class: 'mono', text: m.indicator }),
					h('td', {}, h('span', { class: `tlp tlp-${m.tlp.replace('+', '-')}`, text: tlpName(m.tlp) })),
					h('td', { text: c ? c.title : m.collection }), h('td', { text: owner(m.collection) }), h('td', { text: when(m.added) })));
			});
		}
		put($('#results tbody'), ...(rows.length ? rows : [h('tr', {}, h('td', { colspan: '8', text: 'No value matches an indicator you may see.' }))]));
		put($('#invalid tbody'), ...r.invalid.map((x) => h('tr', {}, h('td', { text: String(lineOf[x.index]) }),
			h('td', { text: values[x.index] }), h('td', { text: x.reason }))));
		const refanged = r.refanged || [];
		put($('#refanged tbody'), ...refanged.map((x) => h('tr', {}, h('td', { text: String(lineOf[x.index]) }),
			h('td', { class: 'mono', text: values[x.index] }), h('td', { class: 'mono', text: x.value }))));
		for (const id of ['#h-refanged', '#refanged-wrap']) $(id).classList.toggle('hidden', refanged.length === 0);
		$('#h-invalid').classList.toggle('hidden', r.invalid.length === 0);
		$('#invalid').classList.toggle('hidden', r.invalid.length === 0);
		$('#summary').textContent = `${r.looked_up} looked up: ${r.matched} with a match, ${r.invalid.length} not indicators, ${r.looked_up - r.matched - r.invalid.length} without a match you may see.`;
		$('#out').classList.remove('hidden');
		say('');
	});
}

start().catch((e) => say(e.message, 'error'));
