// sharing.js - collections and sharing groups (GET/POST/PATCH
// /api/v1/collections, GET/POST /api/v1/groups, POST and DELETE
// /api/v1/groups/{id}/members): the TLP chosen with what each level means,
// recipients, writers, and the groups' members, picked by name through the
// directory (GET /api/v1/directory/orgs and /users; picker.js).  The API
// decides who may see and change what; a change of TLP or recipients is
// confirmed first.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { h, $, put, say } from './dom.js';
import { onSubmit, confirmStep, clear } from './forms.js';
import { TLP, tlpName } from './tlp.js';
import { picker } from './picker.js';

let me = null;
let groups = [];
let editing = null; // the collection being changed, or null for a new one
const form = $('#coll-form');
const pick = {}; // the collection form's pickers by field name
const names = new Map(); // organisation id -> name, as the directory told it
const userNames = new Map(); // user id -> label, as the directory told it

// The directory's answers as picker options; names are kept to show later.
async function findOrgs(q) {
	const r = await api('GET', `/api/v1/directory/orgs?q=${encodeURIComponent(q)}`);
	for (const o of r.orgs) names.set(o.id, o.name);
	return { found: r.orgs.map((o) => ({ id: o.id, label: `${o.name} (${o.kind}, ${o.country})` })), more: r.more };
}

// A user as the picker and the list show them: the organisation says
// which of two same-named accounts it is.
const userLabel = (u) => `${u.username} (${u.role}, ${u.org_id === me.org_id ? 'your organisation' : u.org_name})`;

// Users of every organisation the caller may list (its own and its group
// partners'; GET /api/v1/directory/users?org=any), not only its own.
async function findUsers(q) {
	const r = await api('GET', `/api/v1/directory/users?org=any&q=${encodeURIComponent(q)}`);
	for (const u of r.users) userNames.set(u.id, userLabel(u));
	return { found: r.users.map((u) => ({ id: u.id, label: userLabel(u) })), more: r.more };
}

// Names for user ids the collections hold (?ids=, 64 at a time): those the
// caller may list; the others stay "user N".
async function nameUsers(list) {
	const want = [...new Set(list)].filter((id) => !userNames.has(id));
	for (let i = 0; i < want.length; i += 64) {
		const r = await api('GET', `/api/v1/directory/users?ids=${want.slice(i, i + 64).join(',')}`);
		for (const u of r.users) userNames.set(u.id, userLabel(u));
	}
}
const userName = (id) => (id === me.id ? 'you' : userNames.get(id) || `user ${id}`);

const ids = (field) => pick[field].ids();
const groupName = (id) => { const g = groups.find((x) => x.id === id); return g ? g.name : `group ${id}`; };
const orgName = (id) => (id === me.org_id ? 'your organisation' : names.get(id) || `organisation ${id}`);
const orgChips = (list) => list.map((id) => ({ id, label: orgName(id) }));

// The built-in alerts feed (share/alertfeed.h): no TLP or shares of its
// own; each alert it serves carries its own label.
const ALERT_FEED = 'c0d5a4a4-40a3-4697-b3ae-39824ac5a28f';

function shares(c) {
	if (c.id === ALERT_FEED) return 'each alert by its TLP: CLEAR ones everyone, GREEN ones every member';
	if (!c.shared_with) return 'set by the owner';
	const sw = c.shared_with, out = [];
	if (sw.orgs.length) out.push(`organisations ${sw.orgs.map((id) => names.get(id) || id).join(', ')}`);
	if (sw.groups.length) out.push(`groups ${sw.groups.map(groupName).join(', ')}`);
	if (sw.users.length) out.push(`users ${sw.users.map(userName).join(', ')}`);
	return out.join('; ') || 'nobody else';
}

async function loadCollections() {
	const r = await api('GET', '/api/v1/collections');
	await nameUsers(r.collections.flatMap((c) => (c.shared_with ? c.shared_with.users : [])));
	put($('#colls tbody'), ...r.collections.map((c) => {
		const mine = c.owner_org !== undefined;
		const edit = mine ? h('button', { type: 'button', class: 'secondary', text: `Change ${c.title}`, onclick: () => startEdit(c) }) : '';
		return h('tr', { 'data-id': c.id },
			h('th', { scope: 'row' }, h('span', { text: c.title }), c.description ? h('span', { class: 'hint block', text: c.description }) : null),
			h('td', {}, c.tlp ? h('span', { class: `tlp tlp-${c.tlp.replace('+', '-')}`, text: tlpName(c.tlp) }) : c.id === ALERT_FEED ? 'each alert\'s own' : 'set by the owner'),
			h('td', { text: shares(c) }), h('td', { text: c.writers ? c.writers.map(orgName).join(', ') || 'the owner only' : '' }),
			h('td', { text: [c.can_read ? 'read' : '', c.can_write ? 'add objects' : ''].filter(Boolean).join(', ') }),
			h('td', {}, edit));
	}));
	if (!r.collections.length) put($('#colls tbody'), h('tr', {}, h('td', { colspan: '6', text: 'No collection is shared with you yet.' })));
}

function groupChoices(selected = []) {
	put($('#c-groups'), groups.length ? groups.map((g) => h('label', { class: 'check' },
		h('input', { type: 'checkbox', name: 'shared_with.groups', value: String(g.id), checked: selected.includes(g.id), 'aria-describedby': 'err-c-groups' }),
		h('span', { text: `${g.name} (${g.members.length} ${g.members.length === 1 ? 'organisation' : 'organisations'})` })))
		: h('p', { class: 'hint', text: 'You are in no sharing group yet.' }));
}

async function loadGroups() {
	const r = await api('GET', '/api/v1/groups');
	groups = r.groups;
	if (!editing) groupChoices([...form.querySelectorAll('input[name="shared_with.groups"]:checked')].map((i) => Number(i.value)));
	put($('#groups'), groups.length ? groups.map(groupCard) : h('p', { class: 'hint', text: 'Your organisation is in no sharing group.' }));
}

// One group: its members, and for the owner's staff a form to add one and
// a button to remove each (confirmed first).
function groupCard(g) {
	const owner = g.owner_org === me.org_id;
	const f = h('form', { class: 'member-form', novalidate: true, 'data-group': String(g.id) });
	const members = h('ul', { class: 'members' }, ...g.members.map((o) => h('li', {}, h('span', { text: orgName(o) + (o === g.owner_org ? ' (owner)' : '') }),
		owner && o !== g.owner_org ? [' ', h('button', { type: 'button', class: 'link', text: `Remove ${orgName(o)}`, onclick: () => remove(f, g, o) })] : null)));
	if (owner) {
		const id = `m-${g.id}`;
		const box = h('input', { type: 'text', id, name: 'org', autocomplete: 'off', 'aria-describedby': `err-${id}` });
		f.append(h('div', { class: 'field' }, h('label', { for: id, text: `Add an organisation to ${g.name} (part of its name, or its id)` }),
			box, h('p', { class: 'error', id: `err-${id}` })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Add organisation' })),
		h('div', { class: 'confirm hidden', role: 'group', 'aria-label': 'Confirm the removal' }));
		const p = picker(box, findOrgs, 'organisation');
		onSubmit(f, async () => {
			const add = p.ids();
			if (!add.length) throw Object.assign(new Error('org: type part of a name and choose an organisation'), { field: 'org' });
			for (const o of add) await api('POST', `/api/v1/groups/${g.id}/members`, { json: { org: o } });
			await Promise.all([loadGroups(), loadCollections()]);
			say(`${add.map(orgName).join(', ')} ${add.length === 1 ? 'was' : 'were'} added to ${g.name}.`, 'ok');
		});
	}
	return h('div', { class: 'card group', 'data-group': String(g.id) },
		h('h3', { text: g.name }), h('p', { class: 'hint', text: `Group ${g.id}, made by ${orgName(g.owner_org)}.` }), members, owner ? f : null);
}

async function remove(f, g, org) {
	clear(f);
	if (!await confirmStep(f, `Remove ${orgName(org)} from ${g.name}? It stops seeing what is shared with the group.`, 'Yes, remove')) return;
	try {
		await api('DELETE', `/api/v1/groups/${g.id}/members/${org}`);
		await Promise.all([loadGroups(), loadCollections()]);
		say(`${orgName(org)} was removed from ${g.name}.`, 'ok');
	} catch (e) { say(e.message, 'error'); }
}

function startEdit(c) {
	editing = c;
	clear(form);
	form.title.value = c.title;
	form.description.value = c.description || '';
	form.querySelector(`input[name=tlp][value="${c.tlp}"]`).checked = true;
	for (const p of Object.values(pick)) p.clear();
	pick['shared_with.orgs'].set(orgChips(c.shared_with.orgs));
	pick['shared_with.users'].set(c.shared_with.users.map((id) => ({ id, label: userName(id) })));
	pick.writers.set(orgChips(c.writers));
	groupChoices(c.shared_with.groups);
	$('#coll-h').textContent = `Change ${c.title}`;
	$('#coll-submit').textContent = 'Save changes';
	$('#coll-cancel').classList.remove('hidden');
	form.title.focus();
}

function stopEdit() {
	editing = null;
	form.reset();
	clear(form);
	for (const p of Object.values(pick)) p.clear();
	groupChoices();
	$('#coll-h').textContent = 'New collection';
	$('#coll-submit').textContent = 'Create collection';
	$('#coll-cancel').classList.add('hidden');
}

async function start() {
	me = await staffPage();
	$('#c-users-me').textContent = `Your own user id is ${me.id}.`;
	pick['shared_with.orgs'] = picker($('#c-orgs'), findOrgs, 'organisation');
	pick['shared_with.users'] = picker($('#c-users'), findUsers, 'user');
	pick.writers = picker($('#c-writers'), findOrgs, 'organisation');
	const members = picker($('#g-members'), findOrgs, 'organisation');
	put($('#tlp-choices'), ...TLP.map(([v, name, means]) => h('label', { class: 'check tlp-choice' },
		h('input', { type: 'radio', name: 'tlp', value: v, 'aria-describedby': `tlp-${v.replace('+', '-')}-means err-c-tlp` }),
		h('span', {}, h('span', { class: `tlp tlp-${v.replace('+', '-')}`, text: name }), ' ',
			h('span', { id: `tlp-${v.replace('+', '-')}-means`, text: means })))));
	// AMBER is the default: shared, but not beyond whom the owner names.
	form.querySelector('input[name=tlp][value=amber]').defaultChecked = true;
	$('#coll-cancel').addEventListener('click', stopEdit);
	onSubmit(form, async (f) => {
		const tlp = (f.querySelector('input[name=tlp]:checked') || {}).value;
		if (!tlp) throw Object.assign(new Error('tlp: choose who may see it'), { field: 'tlp' });
		const body = { title: f.title.value.trim(), tlp,
			shared_with: { orgs: ids('shared_with.orgs'), groups: [...f.querySelectorAll('input[name="shared_with.groups"]:checked')].map((i) => Number(i.value)),
				users: ids('shared_with.users') }, writers: ids('writers') };
		if (f.description.value.trim() || editing) body.description = f.description.value.trim();
		const who = shares({ shared_with: body.shared_with });
		if (!await confirmStep(f, `${editing ? 'Save' : 'Create'} ${body.title || 'the collection'} as ${tlpName(tlp)}, shared with ${who}?`, editing ? 'Yes, save' : 'Yes, create')) return;
		if (editing) await api('PATCH', `/api/v1/collections/${encodeURIComponent(editing.id)}`, { json: body });
		else await api('POST', '/api/v1/collections', { json: body });
		stopEdit();
		await loadCollections();
		say(`${body.title} is ${tlpName(tlp)}, shared with ${who}.`, 'ok');
	});
	onSubmit($('#group-form'), async (f) => {
		const g = await api('POST', '/api/v1/groups', { json: { name: f.name.value.trim(), members: members.ids() } });
		f.reset();
		members.clear();
		await loadGroups();
		say(`Sharing group ${g.name} was made (${g.members.length} organisations).`, 'ok');
	});
	await Promise.all([loadGroups(), loadCollections()]);
}

start().catch((e) => say(e.message, 'error'));
