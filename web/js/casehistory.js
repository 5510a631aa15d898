// casehistory.js - the case page's "History" section: who did what to the
// case and why, newest first (GET /api/v1/cases/{id}/decisions): analysts'
// splits, merges and confirmations, viability reviews, disseminations and
// outcomes.  Paged: "Show older entries" asks for the next page.
import { api } from './api.js';
import { h, $, put, when } from './dom.js';

const PAGE = 50;
let caseId = '';
let next = null; // the API's cursor for the next page, null at the end

function row(e) {
	const who = e.who || {};
	const td = (label, text) => h('td', { 'data-label': label, text });
	return h('tr', {}, td('When', when(e.at)), td('Kind', e.kind), td('What', e.what),
		td('Who', who.org ? `${who.user} (${who.org})` : who.user || ''), td('Reason', e.reason || ''));
}

async function load(append) {
	const q = `limit=${PAGE}${append && next !== null ? `&cursor=${next}` : ''}`;
	const r = await api('GET', `/api/v1/cases/${encodeURIComponent(caseId)}/decisions?${q}`);
	const rows = (r.entries || []).map(row);
	if (append) $('#history tbody').append(...rows);
	else put($('#history tbody'), ...rows);
	next = r.next;
	$('#history-more').classList.toggle('hidden', next === null);
	$('#history-none').classList.toggle('hidden', r.total > 0);
	$('#history').classList.toggle('hidden', r.total === 0);
	$('#history caption').textContent = `What was done to this case, newest first: ${$('#history tbody').children.length} of ${r.total}`;
}

// Called by the case page after each fresh view of the case.
export async function renderHistory(id) {
	caseId = id;
	await load(false);
}

export function wireHistory(onError) {
	$('#history-more').addEventListener('click', () => load(true).catch(onError));
}
