// triage.js - a case's triage score and its reasons (GET /api/v1/cases),
// in words: each reason says what it was computed from and the points it
// added, so an analyst can see why a case is where it is.
import { h, money } from './dom.js';

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function words(r) {
	const v = r.value;
	switch (r.factor) {
	case 'victims': return plural(v, 'victim', 'victims');
	case 'vulnerable_victims': return plural(v, 'vulnerable victim', 'vulnerable victims');
	case 'losses': return `${money(v.total_minor, v.currency)} lost`;
	case 'recency': return `last report ${plural(v, 'day', 'days')} ago`;
	case 'ongoing': return `${plural(v, 'report', 'reports')} received recently (still taking victims)`;
	case 'lines_of_enquiry': return `${plural(v, 'line', 'lines')} of enquiry (accounts, phones, e-mails, wallets, cards)`;
	default: return `${r.factor}: ${typeof v === 'object' ? JSON.stringify(v) : v}`;
	}
}

export const points = (x) => (Math.round(x * 10) / 10).toLocaleString(undefined, { maximumFractionDigits: 1 });

// The reasons as a list: "3 victims: +30".
export function reasons(triage) {
	const rs = (triage && triage.reasons) || [];
	if (!rs.length) return h('p', { class: 'hint', text: 'No factor adds points.' });
	return h('ul', { class: 'reasons' }, ...rs.map((r) => h('li', { text: `${words(r)}: +${points(r.points)}` })));
}

export function losses(list) {
	return (list || []).map((l) => `${money(l.total_minor, l.currency)} (median ${money(l.median_minor, l.currency)}, ${plural(l.reports, 'report', 'reports')})`).join('; ');
}

export function categories(obj) {
	return Object.entries(obj || {}).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} (${n})`).join(', ');
}
