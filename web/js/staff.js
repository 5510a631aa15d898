// staff.js - what every staff page shares: who is signed in (GET
// /api/v1/me, which also gives the session's CSRF token for writes), the
// navigation for their role, and signing out.
import { api, setCsrf } from './api.js';
import { h, $, put } from './dom.js';

// Roles and organisation kinds as the API decides them (docs/api.md).
export const STAFF_KINDS = new Set(['law-enforcement', 'cert', 'public-sector']);

export function maySeeVictim(me) {
	return me.role === 'admin' || (me.role === 'investigator' && me.org_kind === 'law-enforcement');
}

export function mayMoveOn(me) {
	return me.role === 'admin' || (['analyst', 'investigator'].includes(me.role) && STAFF_KINDS.has(me.org_kind));
}

export function mayRecordOutcome(me) {
	return maySeeVictim(me);
}

// Signs the page in: resolves with the user, or sends the browser to the
// sign-in page (and never resolves).
export async function staffPage() {
	let me;
	try {
		me = await api('GET', '/api/v1/me');
	} catch (e) {
		if (e.status === 401) {
			location.replace(`/staff/login?next=${encodeURIComponent(location.pathname + location.search)}`);
			return new Promise(() => {});
		}
		throw e;
	}
	setCsrf(me.csrf);
	const nav = $('#staff-nav');
	const items = [['/staff/', 'Queue'], ['/staff/cases', 'Cases'], ['/staff/lookup', 'Lookup'], ['/staff/sharing', 'Sharing'], ['/staff/alerts', 'Alerts'], ['/staff/stats', 'Statistics']];
	if (me.role === 'admin' || me.role === 'org-admin') items.push(['/staff/admin', 'Accounts']);
	const here = location.pathname.replace(/\.html$/, '');
	const out = h('button', { type: 'button', class: 'link', text: 'Sign out' });
	out.addEventListener('click', async () => {
		try { await api('POST', '/api/v1/logout'); } finally { location.assign('/staff/login'); }
	});
	put(nav, h('ul', {}, ...items.map(([href, text]) => h('li', {}, h('a', { href, text, 'aria-current': here === href || (href === '/staff/' && here === '/staff/index') ? 'page' : null }))),
		h('li', {}, h('span', { text: `${me.username} (${me.role})` })), h('li', {}, out)));
	return me;
}

export const STATUS_NAMES = { received: 'received', triaged: 'triaged', 'under-review': 'under review', disseminated: 'disseminated', outcome: 'outcome', closed: 'closed' };
// The moves the API allows from each status (POST /reports/{ref}/status).
export const NEXT = {
	received: ['triaged', 'closed'],
	triaged: ['under-review', 'closed'],
	'under-review': ['disseminated', 'closed'],
	disseminated: ['outcome'],
	outcome: [],
	closed: [],
};
