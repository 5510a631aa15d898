// case.js - the case a report is linked into (GET /api/v1/reports/{ref}/case):
// its reports, the indicators they share, and the link graph.  Which report
// holds which shared value comes from each report's own indicators (a URL
// links by its host, as the correlation engine does).
import { api } from './api.js';
import { staffPage } from './staff.js';
import { graph } from './charts.js';
import { h, $, put, say, param } from './dom.js';

const GRAPH_REPORTS_MAX = 30;
const ref = (param('ref') || '').trim();

function hostOf(v) {
	try { return new URL(v).hostname.replace(/^\[|\]$/g, ''); } catch { return null; }
}

function holds(indicators, shared) {
	return indicators.some((i) => i.value === shared.value || (i.type === 'url' && hostOf(i.value) === shared.value));
}

async function start() {
	await staffPage();
	if (!ref) { say('No report given.', 'error'); return; }
	$('#ref').textContent = ref;
	$('#back').href = `/staff/report?ref=${encodeURIComponent(ref)}`;
	const c = await api('GET', `/api/v1/reports/${encodeURIComponent(ref)}/case`);
	const reports = c.case.reports || [];
	put($('#facts'), h('dt', { text: 'Reports' }), h('dd', { text: `${c.case.size}${c.case.truncated ? ' (list truncated)' : ''}` }),
		h('dt', { text: 'Shared indicators' }), h('dd', { text: String((c.shared || []).length) }));
	put($('#reports tbody'), ...reports.map((r) => h('tr', {},
		h('td', {}, h('a', { href: `/staff/report?ref=${encodeURIComponent(r.reference)}`, text: r.reference })),
		h('td', { text: r.status }))));
	put($('#shared tbody'), ...(c.shared || []).map((x) => h('tr', {}, h('td', { text: x.type }),
		h('td', {}, h('a', { href: `/staff/?indicator=${encodeURIComponent(x.value)}`, text: x.value })),
		h('td', { class: 'num', text: String(x.reports) }),
		h('td', { text: x.allowed ? `on warning list ${x.warning_list || ''}: does not link` : x.over_common ? 'too common to link' : '' }))));
	const shown = reports.slice(0, GRAPH_REPORTS_MAX);
	const linking = (c.shared || []).filter((x) => !x.allowed && !x.over_common);
	const held = await Promise.all(shown.map((r) => api('GET', `/api/v1/reports/${encodeURIComponent(r.reference)}`).then((x) => x.indicators || [], () => [])));
	const edges = [];
	shown.forEach((r, ri) => linking.forEach((x, xi) => { if (holds(held[ri], x)) edges.push([ri, xi]); }));
	put($('#graph'), graph(shown, linking, edges, ref));
	if (reports.length > shown.length) $('#graph').append(h('p', { class: 'hint', text: `The graph shows the first ${shown.length} reports.` }));
}

start().catch((e) => say(e.message, 'error'));
