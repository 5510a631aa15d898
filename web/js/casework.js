// casework.js - the case page's "Case work" section: the viability review
// (POST /api/v1/cases/{id}/review), the jurisdiction rules' choice (GET
// .../jurisdiction) and the dissemination (POST .../disseminate, confirmed
// first), the crime package (GET .../package, HTML or JSON) and the outcomes
// per suspect (GET/POST .../outcomes).  Forms are hidden from those the API
// would refuse, as the case page does with its decisions; the API decides.
import { api } from './api.js';
import { STAFF_KINDS, mayRecordOutcome } from './staff.js';
import { h, $, put, when, actorName } from './dom.js';
import { onSubmit, confirmStep } from './forms.js';

const LINE_KINDS = ['account', 'phone', 'email', 'website', 'wallet', 'ip', 'other'];
const LINES_MAX = 100; // CASEWORK_LINES_MAX
let me = null;
let sum = null; // the case summary the page last showed (GET /api/v1/cases/{id})
let reload = async () => {}; // the case page's fresh view
let nLines = 0; // line rows made so far: each row's inputs get new ids
let suggested = ''; // the rules' recipient's name, '' when none

// Who may review and disseminate (account_may_decide_cases).
function mayDecide() {
	return me.role === 'admin' || (me.role === 'analyst' && STAFF_KINDS.has(me.org_kind));
}

// An organisation the case was sent to (the disseminations' org_id).
function received() {
	return (sum.disseminations || []).some((d) => d.org_id === me.org_id);
}

// Who may read the package and the outcomes (account_may_read_package): the
// centre's staff, the recipients, admins; not other law-enforcement bodies.
function mayReadPackage() {
	return me.role === 'admin' || received() || (STAFF_KINDS.has(me.org_kind) && me.org_kind !== 'law-enforcement');
}

const who = actorName;

const path = (what) => `/api/v1/cases/${encodeURIComponent(sum.id)}/${what}`;

// One row of the lines of enquiry: kind, value, note and a Remove button.
// Inputs are named as the API names them ("lines_of_enquiry[0].value"), so
// an error lands next to its field; the names follow the rows' order.
function lineRow() {
	const n = ++nLines;
	const err = h('p', { class: 'error', id: `err-loe-${n}` });
	const ctl = (label, el) => h('div', { class: 'field' }, h('label', { for: el.id, text: label }), el);
	const kind = h('select', { id: `loe-kind-${n}`, 'data-part': 'kind', 'aria-describedby': err.id },
		...LINE_KINDS.map((k) => h('option', { value: k, text: k })));
	const value = h('input', { type: 'text', id: `loe-value-${n}`, 'data-part': 'value', maxlength: '511', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': err.id });
	const note = h('input', { type: 'text', id: `loe-note-${n}`, 'data-part': 'note', maxlength: '1999', 'aria-describedby': err.id });
	const row = h('fieldset', { class: 'line' }, h('legend', { text: 'Line of enquiry' }),
		ctl('Kind', kind), ctl('Value', value), ctl('Note (optional)', note), err);
	const rm = h('button', { type: 'button', class: 'secondary', text: 'Remove this line' });
	rm.addEventListener('click', () => { row.remove(); nameLines(); $('#rv-add').focus(); });
	row.append(h('div', { class: 'actions' }, rm));
	return row;
}

function nameLines() {
	const rows = [...$('#rv-lines').children];
	rows.forEach((row, i) => {
		row.querySelector('legend').textContent = `Line of enquiry ${i + 1}`;
		for (const el of row.querySelectorAll('[data-part]')) el.name = `lines_of_enquiry[${i}].${el.dataset.part}`;
	});
	$('#rv-add').disabled = rows.length >= LINES_MAX;
}

function reviewText(rv) {
	if (!rv) return h('p', { text: 'Not reviewed yet. A case must be reviewed viable before it is disseminated.' });
	const lines = rv.lines_of_enquiry || [];
	return h('div', {}, h('p', {}, h('strong', { text: rv.viable ? 'Viable' : 'Not viable' }), ` (${who(rv.actor)}, ${when(rv.at)}): `, rv.reason),
		lines.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'review-lines' },
			h('caption', { class: 'visually-hidden', text: 'Lines of enquiry of the latest review' }),
			h('thead', {}, h('tr', {}, ...['Kind', 'Value', 'Note'].map((t) => h('th', { scope: 'col', text: t })))),
			h('tbody', {}, ...lines.map((l) => h('tr', {}, h('td', { text: l.kind }), h('td', { text: l.value }), h('td', { text: l.note || '' }))))))
			: h('p', { class: 'hint', text: 'No lines of enquiry.' }));
}

function dissRow(d) {
	const by = d.overridden ? `override: ${d.reason || ''}` : d.rule ? `rule ${d.rule.name}${d.rule.index < 0 ? ' (fallback)' : ''}` : '';
	return h('tr', {}, h('td', { text: when(d.at) }), h('td', { text: d.recipient ? d.recipient.name : '' }),
		h('td', { text: by }), h('td', { text: who(d.actor) }));
}

// Each suspect's country with the indicator it came from; a shared calling
// code ("US/CA") is shown as such and matches no rule.
function origins(j) {
	const o = j.suspect_countries || [];
	if (!o.length) return 'none';
	return o.map((x) => `${x.country}${x.ambiguous ? ' (cannot tell which)' : ''} from ${x.type} ${x.value}`).join('; ')
		+ (j.suspect_countries_truncated ? '; and more' : '');
}

// The rules' choice (GET .../jurisdiction): recipient, rule, the facts.
async function showJurisdiction() {
	const j = await api('GET', path('jurisdiction'));
	suggested = j.recipient ? j.recipient.name : '';
	const facts = j.facts || {};
	const list = (k) => (facts[k] || []).join(', ') || 'none';
	const rule = j.rule ? `${j.rule.name} (${j.rule.index < 0 ? 'the fallback' : `rule ${j.rule.index + 1}`} of ${j.rule.file.split('/').pop()})` : 'none';
	put($('#juris'), h('dt', { text: 'Suggested recipient' }), h('dd', { id: 'juris-recipient', text: j.recipient ? j.recipient.name : 'no rule chooses one: name a recipient and a reason' }),
		h('dt', { text: 'Chosen by' }), h('dd', { id: 'juris-rule', text: rule }),
		h('dt', { text: 'Victims\' regions' }), h('dd', { text: list('victim_region') }),
		h('dt', { text: 'Suspects\' countries' }), h('dd', { id: 'juris-countries', text: origins(j) }),
		h('dt', { text: 'Categories' }), h('dd', { text: list('category') }),
		h('dt', { text: 'Articles' }), h('dd', { text: list('article') }));
	const sk = j.skipped || [];
	put($('#skipped'), sk.length ? h('p', { class: 'hint' }, 'Rules skipped: ', sk.map((x) => `${x.rule} (${x.reason})`).join('; '), '.') : '');
	return j;
}

async function showOutcomes() {
	const o = await api('GET', path('outcomes'));
	put($('#outcomes tbody'), ...(o.outcomes || []).map((x) => h('tr', {}, h('td', { text: x.suspect }), h('td', { text: x.outcome }),
		h('td', { text: x.date }), h('td', { text: x.legal_article || '' }), h('td', { text: `${who(x.actor)}, ${when(x.at)}` }))));
}

// Called by the case page after each fresh view of the case.
export async function renderCaseWork(summary) {
	sum = summary;
	put($('#review-now'), reviewText(sum.review));
	put($('#disseminations tbody'), ...(sum.disseminations || []).map(dissRow));
	$('#disseminations').classList.toggle('hidden', !(sum.disseminations || []).length);
	const pkg = mayReadPackage();
	$('#package').classList.toggle('hidden', !pkg);
	$('#no-package').classList.toggle('hidden', pkg);
	$('#pkg-html').href = `${path('package')}?format=html`;
	$('#pkg-json').href = path('package');
	const out = mayRecordOutcome(me) && (me.role === 'admin' ? (sum.disseminations || []).length > 0 : received());
	$('#outcome-form').classList.toggle('hidden', !out);
	$('#no-outcome').classList.toggle('hidden', out);
	$('#outcomes').classList.toggle('hidden', !pkg || !sum.outcomes);
	await Promise.all([showJurisdiction(), pkg && sum.outcomes ? showOutcomes() : null]);
}

// The per-report results of a dissemination or an outcome: moved or why not.
function movedList(reports) {
	const bad = reports.filter((r) => r.error);
	return h('div', { class: 'table-wrap' }, h('table', { id: 'moved' },
		h('caption', { text: bad.length ? `The last step: ${bad.length} of ${reports.length} reports could not move` : `The last step: its ${reports.length} reports` }),
		h('thead', {}, h('tr', {}, ...['Report', 'Status', 'Result'].map((t) => h('th', { scope: 'col', text: t })))),
		h('tbody', {}, ...reports.map((r) => h('tr', {}, h('td', { text: r.reference }), h('td', { text: r.status || '' }),
			h('td', { text: r.error ? `not moved: ${r.error}` : r.moved ? 'moved' : 'already there' }))))));
}

export function wireCaseWork(user, refresh) {
	me = user;
	reload = refresh;
	const decide = mayDecide();
	for (const sel of ['#review-form', '#diss-form']) $(sel).classList.toggle('hidden', !decide);
	$('#no-review').classList.toggle('hidden', decide);
	$('#rv-add').addEventListener('click', () => {
		const row = lineRow();
		$('#rv-lines').append(row);
		nameLines();
		row.querySelector('select').focus();
	});
	onSubmit($('#review-form'), async (f) => {
		const v = f.querySelector('input[name=viable]:checked');
		if (!v) {
			const e = new Error('Say whether the case is viable.');
			e.field = 'viable';
			throw e;
		}
		const lines = [...$('#rv-lines').children].map((row) => {
			const get = (p) => row.querySelector(`[data-part=${p}]`).value.trim();
			const l = { kind: get('kind'), value: get('value') };
			if (get('note')) l.note = get('note');
			return l;
		});
		await api('POST', path('review'), { json: { viable: v.value === 'yes', reason: f.reason.value.trim(), lines_of_enquiry: lines } });
		f.reset();
		$('#rv-lines').replaceChildren();
		nameLines();
		await reload(`The review was recorded: ${v.value === 'yes' ? 'viable' : 'not viable'}, ${lines.length} ${lines.length === 1 ? 'line' : 'lines'} of enquiry.`);
	}, { lines_of_enquiry: 'rv-add' });
	onSubmit($('#diss-form'), async (f) => {
		const other = f.recipient.value.trim();
		const body = {};
		if (other) body.recipient = /^\d+$/.test(other) ? Number(other) : other;
		if (f.reason.value.trim()) body.reason = f.reason.value.trim();
		if (f.note.value.trim()) body.note = f.note.value.trim();
		const to = other || suggested || '(no recipient: name one)';
		if (!await confirmStep(f, `Send case ${sum.id} (${sum.size} reports) to ${to}? Its open reports move to disseminated and their victims are told who has it.`, 'Yes, disseminate')) return;
		const r = await api('POST', path('disseminate'), { json: body });
		f.reset();
		await reload(`Case ${r.case} was disseminated to ${r.dissemination.recipient.name}.`);
		put($('#diss-result'), movedList(r.reports || []));
	});
	$('#oc-date').max = new Date().toISOString().slice(0, 10);
	onSubmit($('#outcome-form'), async (f) => {
		const body = { suspect: f.suspect.value.trim(), outcome: f.outcome.value, date: f.date.value };
		if (f.legal_article.value.trim()) body.legal_article = f.legal_article.value.trim();
		if (f.note.value.trim()) body.note = f.note.value.trim();
		if (!await confirmStep(f, `Record that suspect ${body.suspect || '(none given)'} was ${body.outcome.replace(/-/g, ' ')} on ${body.date || '(no date)'}? The victims are told the kind of outcome, never who.`, 'Yes, record it')) return;
		const r = await api('POST', path('outcomes'), { json: body });
		f.reset();
		await reload(`Outcome recorded for ${r.outcome.suspect}: ${r.outcome.outcome}.`);
		put($('#diss-result'), movedList(r.reports || []));
	});
}

