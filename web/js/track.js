// track.js - the victim's view of a report: status, history, outcome and
// advice from GET /api/v1/track/{ref}, and additions.  The secret stays in
// this page's memory only.
import { api } from './api.js';
import { h, $, put, say, when, param } from './dom.js';

const OUTCOMES = { judicial: 'Someone was charged or prosecuted', 'non-judicial': 'Dealt with without a prosecution (for example a warning, or the site was taken down)', 'no-further-action': 'No further action is possible for now' };
const STATUSES = { received: 'Received', triaged: 'Being assessed', 'under-review': 'Being reviewed for lines of enquiry', disseminated: 'Passed to a police force or agency', outcome: 'Finished', closed: 'Closed' };

let ref = '';
let secret = '';

function fieldError(id, msg) {
	const el = document.getElementById(id);
	el.setAttribute('aria-invalid', 'true');
	$(`#err-${id}`).textContent = msg;
	return el;
}

function clear(form) {
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	for (const e of form.querySelectorAll('.error')) e.textContent = '';
}

async function load(focus) {
	const t = await api('GET', `/api/v1/track/${encodeURIComponent(ref)}`, { headers: { 'X-Tracking-Secret': secret } });
	$('#t-ref').textContent = t.reference;
	const facts = [
		['Status', STATUSES[t.status] || t.status],
		['Outcome', t.outcome ? (OUTCOMES[t.outcome] || t.outcome) : null],
		['Received', when(t.created)],
		['Last change', when(t.updated)],
		['Additions you made', String(t.additions || 0)],
	].filter(([, v]) => v);
	put($('#t-facts'), ...facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { id: `t-${k.toLowerCase().replace(/\W+/g, '-')}`, text: v })]));
	put($('#t-history'), ...(t.history || []).map((e) => h('li', {},
		h('strong', { text: when(e.at) }), ' ',
		e.type === 'addition' ? 'You added information.' : (e.status ? `${STATUSES[e.status] || e.status}. ` : ''),
		e.note || '')));
	put($('#t-advice'), ...(t.advice || []).map((a) => h('li', {}, h('strong', { text: a.title }), h('p', { text: a.text }))));
	$('#view').classList.remove('hidden');
	if (focus) $('#h-view').focus();
}

$('#lookup').addEventListener('submit', async (ev) => {
	ev.preventDefault();
	const f = ev.target;
	clear(f);
	const r = f.ref.value.replace(/[\s-]/g, '').toUpperCase();
	const s = f.secret.value.trim();
	let bad = null;
	if (!/^[0-9A-Z]{8,32}$/.test(r)) bad = fieldError('ref', 'Write the reference number as it was shown, for example CRX26DVYWJW09J.');
	if (!s) bad = bad || fieldError('secret', 'Write the tracking secret.');
	if (bad) { bad.focus(); return; }
	ref = r;
	secret = s;
	say('Looking up your report…');
	try {
		await load(true);
		say('');
	} catch (e) {
		$('#view').classList.add('hidden');
		if (e.status === 404) say('We found no report with this reference number and secret. Check both and try again.', 'error');
		else if (e.field === 'ref' || e.status === 400) { say(e.message, 'error'); fieldError('ref', e.message).focus(); }
		else say(e.message, 'error');
	}
});

$('#add').addEventListener('submit', async (ev) => {
	ev.preventDefault();
	const f = ev.target;
	clear(f);
	const lines = (t) => t.value.split('\n').map((l) => l.trim()).filter(Boolean);
	const body = {};
	if (f.text.value.trim()) body.text = f.text.value.trim();
	const suspect = {};
	if (lines(f.websites).length) suspect.websites = lines(f.websites);
	if (lines(f.phones).length) suspect.phones = lines(f.phones);
	if (Object.keys(suspect).length) body.suspect = suspect;
	if (!Object.keys(body).length) { fieldError('a-text', 'Write what you would like to add.').focus(); return; }
	try {
		await api('POST', `/api/v1/track/${encodeURIComponent(ref)}/additions`, { json: body, headers: { 'X-Tracking-Secret': secret } });
		f.reset();
		await load(false);
		say('Thank you: your information was added to the report.', 'ok');
	} catch (e) {
		const map = { text: 'a-text', 'suspect.websites': 'a-websites', 'suspect.phones': 'a-phones' };
		const id = map[(e.field || '').replace(/\[\d+\]$/, '')];
		if (id) fieldError(id, e.message).focus();
		else say(`Your information could not be added: ${e.message}`, 'error');
	}
});

const given = param('ref');
if (given) $('#ref').value = given;
