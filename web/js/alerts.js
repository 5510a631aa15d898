// alerts.js - the public scam alerts (GET /api/v1/alerts without signing
// in: the API gives the public the current TLP:CLEAR alerts only), each with
// its advice and the details to watch out for, newest first, a page at a time.
import { api } from './api.js';
import { h, $, say, when } from './dom.js';

const TYPE_NAMES = {
	domain: 'Website', url: 'Web address', email: 'Email address', phone: 'Phone number', iban: 'Bank account (IBAN)',
	ipv4: 'IP address', ipv6: 'IP address', btc: 'Bitcoin wallet', eth: 'Ethereum wallet',
};

// One alert as an article; its heading is a level 2 heading with an id so
// that a link can point at it (/alerts#alert-12).
export function alertCard(a, extra = []) {
	const inds = a.indicators || [];
	return h('article', { class: 'card alert', id: `alert-${a.id}`, 'aria-labelledby': `alert-${a.id}-title` },
		h('h2', { id: `alert-${a.id}-title`, text: a.title }),
		h('p', { class: 'hint' }, `${a.category_name} · published ${when(a.published)} by ${a.organisation}`,
			a.expires ? ` · until ${when(a.expires)}` : '', a.tlp === 'green' ? [' ', h('span', { class: 'badge', text: 'TLP:GREEN partners only' })] : ''),
		h('p', { class: 'text', text: a.summary }),
		h('h3', { text: 'What to do' }),
		h('p', { class: 'text', text: a.advice }),
		inds.length ? h('h3', { text: 'Watch out for' }) : '',
		inds.length ? h('ul', { class: 'indicators' }, ...inds.map((i) => h('li', {}, `${TYPE_NAMES[i.type] || i.type}: `, h('code', { text: i.value })))) : '',
		...extra);
}

let cursor = null;

async function load() {
	const list = $('#alerts');
	const more = $('#more');
	let page;
	try {
		page = await api('GET', `/api/v1/alerts?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
	} catch (e) {
		say(e.message, 'error');
		return;
	}
	if (!cursor && page.alerts.length === 0) list.append(h('p', { id: 'no-alerts', text: 'There are no scam alerts at the moment.' }));
	for (const a of page.alerts) list.append(alertCard(a));
	cursor = page.next;
	more.classList.toggle('hidden', !cursor);
}

// The public page only; the staff page imports alertCard.
if (location.pathname.replace(/\.html$/, '') === '/alerts') {
	$('#more').addEventListener('click', () => load());
	load();
}
