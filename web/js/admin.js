// admin.js - organisations, users and API tokens for admins and org-admins
// (the API decides what each may see and change).  New passwords and tokens
// are shown once, as the API returns them once.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { h, $, put, say, when } from './dom.js';


function clear(form) {
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	for (const e of form.querySelectorAll('.error')) e.textContent = '';
}

function showError(form, e) {
	const el = form.elements[e.field];
	if (!el) { say(e.message, 'error'); return; }
	el.setAttribute('aria-invalid', 'true');
	const id = (el.getAttribute('aria-describedby') || '').split(' ').find((i) => i.startsWith('err-'));
	if (id) document.getElementById(id).textContent = e.message;
	el.focus();
}

async function orgs() {
	const r = await api('GET', '/api/v1/orgs?limit=1000');
	put($('#orgs tbody'), ...r.orgs.map((o) => h('tr', {}, h('td', { text: String(o.id) }), h('td', { text: o.name }),
		h('td', { text: o.kind }), h('td', { text: o.country }), h('td', { text: o.region }))));
}

async function users() {
	const r = await api('GET', '/api/v1/users?limit=1000');
	put($('#users tbody'), ...r.users.map((u) => h('tr', {}, h('td', { text: String(u.id) }), h('td', { text: u.username }),
		h('td', { text: u.role }), h('td', { text: String(u.org_id) }), h('td', { text: u.disabled ? 'yes' : '' }))));
}

async function tokens() {
	const r = await api('GET', '/api/v1/tokens?limit=1000');
	put($('#tokens tbody'), ...r.tokens.map((t) => {
		const b = h('button', { type: 'button', class: 'secondary', text: `Revoke token ${t.id}` });
		b.addEventListener('click', async () => {
			try { await api('DELETE', `/api/v1/tokens/${t.id}`); await tokens(); say(`Token ${t.id} was revoked.`, 'ok'); } catch (e) { say(e.message, 'error'); }
		});
		return h('tr', {}, h('td', { text: String(t.id) }), h('td', { text: t.name }), h('td', { text: t.expires ? when(t.expires) : 'never' }),
			h('td', { text: t.revoked ? when(t.revoked) : '' }), h('td', {}, t.revoked ? '' : b));
	}));
}

function onSubmit(form, fn) {
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clear(form);
		try { await fn(form); } catch (e) { showError(form, e); }
	});
}

async function start() {
	const me = await staffPage();
	if (me.role !== 'admin') $('#org-form').classList.add('hidden');
	onSubmit($('#org-form'), async (f) => {
		const body = { name: f.name.value.trim(), kind: f.kind.value, country: f.country.value.trim().toUpperCase() };
		if (f.region.value.trim()) body.region = f.region.value.trim();
		const o = await api('POST', '/api/v1/orgs', { json: body });
		f.reset();
		await orgs();
		say(`Organisation ${o.name} was added (id ${o.id}).`, 'ok');
	});
	onSubmit($('#user-form'), async (f) => {
		const u = await api('POST', '/api/v1/users', { json: { org_id: Number(f.org_id.value), username: f.username.value.trim(), role: f.role.value } });
		f.reset();
		await users();
		put($('#user-made'), h('p', { text: `User ${u.username} was added. Their one-time password (shown only now):` }), h('p', { class: 'secret', text: u.password || '' }));
		$('#user-made').classList.remove('hidden');
	});
	onSubmit($('#token-form'), async (f) => {
		const t = await api('POST', '/api/v1/tokens', { json: { name: f.name.value.trim(), expires_days: Number(f.expires_days.value) } });
		f.reset();
		await tokens();
		put($('#token-made'), h('p', { text: `Token ${t.id} (shown only now; crix keeps only a keyed hash):` }), h('p', { class: 'secret', text: t.token }));
		$('#token-made').classList.remove('hidden');
	});
	await Promise.all([orgs(), users(), tokens()]);
}

start().catch((e) => say(e.message, 'error'));
