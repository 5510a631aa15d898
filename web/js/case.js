// case.js - the case a report is linked into: its triage summary and
// reports (GET /api/v1/cases/{id}), the indicators they share with the
// warning-list and over-common notes (GET /api/v1/reports/{ref}/case), the
// link graph as the correlation engine has it (GET /api/v1/cases/{id}/graph:
// the page guesses no links), and the analysts' decisions: split, merge,
// confirm (POST /api/v1/cases/{id}/...), each confirmed first and followed
// by a fresh view; the case's history (GET /api/v1/cases/{id}/decisions).
import { api } from './api.js';
import { staffPage, STAFF_KINDS } from './staff.js';
import { graph, graphList } from './charts.js';
import { h, $, put, say, param, when, money } from './dom.js';
import { onSubmit, confirmStep } from './forms.js';
import { reasons, points, losses, categories } from './triage.js';
import { wireCaseWork, renderCaseWork } from './casework.js';
import { wireHistory, renderHistory } from './casehistory.js';

const GRAPH_REPORTS_MAX = 30;
let ref = (param('ref') || '').trim();
let summary = null; // GET /api/v1/cases/{ref}
let splitValues = []; // the split form's indicator choices, by option index
let graphNow = null; // GET /api/v1/cases/{id}/graph, for the split form

// Who may decide, as the API decides it (account_may_decide_cases): the
// forms are hidden from others rather than answered with 403.
function mayDecide(me) {
	return me.role === 'admin' || (me.role === 'analyst' && STAFF_KINDS.has(me.org_kind));
}

function fact(dt, dd) {
	return [h('dt', { text: dt }), h('dd', { text: dd })];
}

async function render() {
	// ref is a case id (CASE-...) or the reference of any report in the case;
	// the shared-indicator notes are asked of the case's first report.
	const sum = await api('GET', `/api/v1/cases/${encodeURIComponent(ref)}`);
	const first = sum.first_reference || ref;
	$('#ref').textContent = sum.id || ref;
	const opened = /^CASE-/i.test(ref) ? first : ref; // back to the report the page came from
	$('#back').href = `/staff/report?ref=${encodeURIComponent(opened)}`;
	const [c, g] = await Promise.all([api('GET', `/api/v1/reports/${encodeURIComponent(first)}/case`),
		api('GET', `/api/v1/cases/${encodeURIComponent(sum.id || ref)}/graph`)]);
	summary = sum;
	const reports = sum.reports || [];
	put($('#facts'), ...fact('Case', sum.id), ...fact('Reports', `${sum.size}${sum.truncated ? ' (summed over the first 1000)' : ''}`),
		...fact('Victims', sum.vulnerable_victims ? `${sum.victims} (${sum.vulnerable_victims} vulnerable)` : String(sum.victims)),
		...fact('Losses', losses(sum.losses) || 'none reported'), ...fact('Categories', categories(sum.categories)),
		...fact('Regions', categories(sum.regions) || 'not known'), ...linesOfEnquiry(sum),
		...fact('First report', when(sum.first_report)), ...fact('Last report', when(sum.last_report)),
		...fact('Shared indicators', String((c.shared || []).length)));
	$('#score').textContent = points(sum.triage.score);
	put($('#reasons'), reasons(sum.triage));
	put($('#reports tbody'), ...reports.map((r) => h('tr', {},
		h('td', {}, h('a', { href: `/staff/report?ref=${encodeURIComponent(r.reference)}`, text: r.reference })),
		h('td', { text: r.status }), h('td', { text: r.category }), h('td', { text: when(r.created) }),
		h('td', { text: r.loss_minor > 0 ? money(r.loss_minor, r.currency) : '' }))));
	put($('#shared tbody'), ...(c.shared || []).map((x) => h('tr', {}, h('td', { text: x.type }),
		h('td', {}, h('a', { href: `/staff/?indicator=${encodeURIComponent(x.value)}`, text: x.value })),
		h('td', { class: 'num', text: String(x.reports) }),
		h('td', {}, x.allowed ? `on warning list ${x.warning_list || ''}: does not link` : x.over_common ? overCommon(x) : ''))));
	// Merges: the graph's "linked" edges, the only decisions the API lists.
	const links = (g.edges || []).filter((e) => e.kind === 'linked');
	put($('#merges'), links.length ? h('p', {}, 'Merged by analysts: ', links.map((e) => `${e.from} with ${e.to}`).join('; '), '.') : '');
	drawGraph(g);
	graphNow = g;
	fillSplit(reports);
	await Promise.all([renderCaseWork(sum), renderHistory(sum.id)]);
}

// The lines of enquiry: the latest review's when there is one (what an
// analyst chose to pursue), else how many the case links through (triage).
function linesOfEnquiry(sum) {
	const rv = sum.review;
	if (!rv) return fact('Lines of enquiry', `${sum.lines_of_enquiry} linked (not reviewed yet)`);
	const lines = rv.lines_of_enquiry || [];
	return [h('dt', { text: 'Lines of enquiry' }), h('dd', { id: 'fact-lines' },
		`${lines.length} from the review of ${when(rv.at)}`, lines.length ? ': ' : '',
		...lines.map((l, i) => h('span', { text: `${i ? '; ' : ''}${l.kind} ${l.value}${l.note ? ` (${l.note})` : ''}` })))];
}

// The graph as the correlation engine has it (GET /api/v1/cases/{id}/graph):
// the first reports, the indicators at least two of them link through, and
// the analysts' merges.
function drawGraph(g) {
	const shown = g.nodes.filter((n) => n.kind === 'report').slice(0, GRAPH_REPORTS_MAX);
	const ri = new Map(shown.map((n, i) => [n.id, i]));
	const holds = g.edges.filter((e) => e.kind === 'holds' && ri.has(e.from));
	const count = new Map();
	for (const e of holds) count.set(e.to, (count.get(e.to) || 0) + 1);
	const inds = g.nodes.filter((n) => n.kind === 'indicator' && count.get(n.id) >= 2);
	const ii = new Map(inds.map((n, i) => [n.id, i]));
	const edges = holds.filter((e) => ii.has(e.to)).map((e) => [ri.get(e.from), ii.get(e.to)]);
	const links = g.edges.filter((e) => e.kind === 'linked' && ri.has(e.from) && ri.has(e.to)).map((e) => [ri.get(e.from), ri.get(e.to)]);
	const reps = shown.map((n) => ({ reference: n.id }));
	put($('#graph'), graph(reps, inds, edges, ref, links), graphList(reps, inds, edges, ref, links));
	graphView(null);
	const all = g.nodes.filter((n) => n.kind === 'report').length;
	if (all > shown.length) $('#graph').append(h('p', { class: 'hint', text: `The graph shows the first ${shown.length} of ${all} reports.` }));
}

// The graph as a picture or as a list: a list on a phone's screen at first
// (the picture's labels would be half size there), the picture elsewhere;
// the button switches.  asList null: the default for the screen.
let asListChosen = null;
function graphView(asList) {
	if (asList !== null) asListChosen = asList;
	const list = asListChosen !== null ? asListChosen : matchMedia('(max-width: 30rem)').matches;
	$('#graph').classList.toggle('as-list', list);
	$('#graph-view').textContent = list ? 'Show as a graph' : 'Show as a list';
}

// "too common to link", and a button that puts the value in the confirm form.
function overCommon(x) {
	const b = h('button', { type: 'button', class: 'link', text: `Confirm ${x.value}…` });
	b.addEventListener('click', () => {
		const f = $('#confirm-form');
		if ([...f.type.options].some((o) => o.value === x.type)) f.type.value = x.type;
		f.value.value = x.value;
		f.value.focus();
	});
	return [h('span', { text: 'too common to link; ' }), b];
}

function fillSplit(reports) {
	const f = $('#split-form');
	const keep = f.report.value;
	put(f.report, ...reports.map((r) => h('option', { value: r.reference, text: `${r.reference} (${r.category})` })));
	if (reports.some((r) => r.reference === keep)) f.report.value = keep;
	fillSplitValues();
}

// The indicators the chosen report links through, as the engine has them
// (the graph's "holds" edges): splitting through any other is refused.
function fillSplitValues() {
	const f = $('#split-form');
	const byId = new Map(graphNow.nodes.filter((n) => n.kind === 'indicator').map((n) => [n.id, n]));
	const held = graphNow.edges.filter((e) => e.kind === 'holds' && e.from === f.report.value).map((e) => byId.get(e.to)).filter(Boolean);
	splitValues = [null, ...held];
	put(f.value, h('option', { value: '0', text: 'all its indicators: detach the report' }),
		...held.map((x, i) => h('option', { value: String(i + 1), text: `${x.type}: ${x.value}` })));
}

async function refresh(message) {
	await render();
	say(message, 'ok');
}

function wireDecisions() {
	const split = $('#split-form');
	split.report.addEventListener('change', fillSplitValues);
	// The API names "type" or "value" for the indicator: both are the one select.
	onSubmit(split, async (f) => {
		const x = splitValues[Number(f.value.value)] || null;
		const body = { report: f.report.value };
		if (x) { body.type = x.type; body.value = x.value; }
		if (f.note.value.trim()) body.note = f.note.value.trim();
		const q = x ? `Split report ${body.report} off case ${summary.id} where it links through ${x.type} ${x.value}?`
			: `Detach report ${body.report} from case ${summary.id}? It will link through none of its indicators, now or later.`;
		if (!await confirmStep(f, q, 'Yes, split it off')) return;
		const r = await api('POST', `/api/v1/cases/${encodeURIComponent(summary.id)}/split`, { json: body });
		f.note.value = '';
		// The page's own report may have left: show the case it left.
		if (body.report === ref && r.case.id !== r.report_case.id) {
			ref = r.case.id;
			history.replaceState(null, '', `?ref=${encodeURIComponent(ref)}`);
		}
		await refresh(`Report ${body.report} was split off. It is now in case ${r.report_case.id} (${r.report_case.size} ${r.report_case.size === 1 ? 'report' : 'reports'}); this case has ${r.case.size}.`);
	}, { type: 'value' });
	onSubmit($('#merge-form'), async (f) => {
		const other = f.case.value.trim();
		const body = { case: other };
		if (f.note.value.trim()) body.note = f.note.value.trim();
		if (!await confirmStep(f, `Merge case ${summary.id} (${summary.size} reports) with case ${other || '(none given)'}? From now on they are one case.`, 'Yes, merge')) return;
		const r = await api('POST', `/api/v1/cases/${encodeURIComponent(summary.id)}/merge`, { json: body });
		f.reset();
		await refresh(`Merged: case ${r.case.id} now has ${r.case.size} reports.`);
	});
	onSubmit($('#confirm-form'), async (f) => {
		const body = { type: f.type.value, value: f.value.value.trim() };
		if (f.note.value.trim()) body.note = f.note.value.trim();
		if (!await confirmStep(f, `Confirm ${body.type} ${body.value} as one operation? Every report holding it joins one case.`, 'Yes, confirm')) return;
		const r = await api('POST', `/api/v1/cases/${encodeURIComponent(summary.id)}/confirm`, { json: body });
		f.reset();
		await refresh(`Confirmed: case ${r.case.id} now has ${r.case.size} reports.`);
	});
}

async function start() {
	const me = await staffPage();
	if (!ref) { say('No report given.', 'error'); return; }
	$(mayDecide(me) ? '#decide' : '#no-decide').classList.remove('hidden');
	wireDecisions();
	wireCaseWork(me, refresh);
	wireHistory((e) => say(e.message, 'error'));
	$('#graph-view').addEventListener('click', () => graphView(!$('#graph').classList.contains('as-list')));
	await render();
}

start().catch((e) => say(e.message, 'error'));
