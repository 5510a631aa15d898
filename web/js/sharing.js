// sharing.js - collections and sharing groups (GET/POST/PATCH
// /api/v1/collections, GET/POST /api/v1/groups, POST and DELETE
// /api/v1/groups/{id}/members): the TLP chosen with what each level means,
// recipients, writers, and the groups' members.  The API decides who may
// see and change what; a change of TLP or recipients is confirmed first.
import { api } from './api.js';
import { staffPage } from './staff.js';
import { h, $, put, say } from './dom.js';
import { onSubmit, confirmStep, clear } from './forms.js';
import { TLP, tlpName } from './tlp.js';

let me = null;
let groups = [];
let editing = null; // the collection being changed, or null for a new one
const form = $('#coll-form');

// "3, 5 7" -> [3, 5, 7]; anything else is an error naming the field.
function ids(field) {
	const el = form.elements.namedItem(field);
	const parts = el.value.split(/[\s,;]+/).filter(Boolean);
	const bad = parts.find((p) => !/^[1-9][0-9]{0,15}$/.test(p));
	if (bad !== undefined) throw Object.assign(new Error(`${field}: '${bad}' is not an id (a whole number above 0)`), { field });
	return [...new Set(parts.map(Number))];
}

const groupName = (id) => { const g = groups.find((x) => x.id === id); return g ? g.name : `group ${id}`; };
const orgName = (id) => (id === me.org_id ? 'your organisation' : `organisation ${id}`);

function shares(c) {
	if (!c.shared_with) return 'set by the owner';
	const sw = c.shared_with, out = [];
	if (sw.orgs.length) out.push(`organisations ${sw.orgs.join(', ')}`);
	if (sw.groups.length) out.push(`groups ${sw.groups.map(groupName).join(', ')}`);
	if (sw.users.length) out.push(`users ${sw.users.join(', ')}`);
	return out.join('; ') || 'nobody else';
}

async function loadCollections() {
	const r = await api('GET', '/api/v1/collections');
	put($('#colls tbody'), ...r.collections.map((c) => {
		const mine = c.owner_org !== undefined;
		const edit = mine ? h('button', { type: 'button', class: 'secondary', text: `Change ${c.title}`, onclick: () => startEdit(c) }) : '';
		return h('tr', { 'data-id': c.id },
			h('th', { scope: 'row' }, h('span', { text: c.title }), c.description ? h('span', { class: 'hint block', text: c.description }) : null),
			h('td', {}, c.tlp ? h('span', { class: `tlp tlp-${c.tlp.replace('+', '-')}`, text: tlpName(c.tlp) }) : 'set by the owner'),
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
		f.append(h('div', { class: 'field' }, h('label', { for: id, text: `Add an organisation to ${g.name} (id)` }),
			h('input', { type: 'text', id, name: 'org', inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': `err-${id}` }),
			h('p', { class: 'error', id: `err-${id}` })),
		h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Add organisation' })),
		h('div', { class: 'confirm hidden', role: 'group', 'aria-label': 'Confirm the removal' }));
		onSubmit(f, async () => {
			const v = f.org.value.trim();
			if (!/^[1-9][0-9]{0,15}$/.test(v)) throw Object.assign(new Error(`org: '${v}' is not an organisation id`), { field: 'org' });
			await api('POST', `/api/v1/groups/${g.id}/members`, { json: { org: Number(v) } });
			await Promise.all([loadGroups(), loadCollections()]);
			say(`Organisation ${v} was added to ${g.name}.`, 'ok');
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
	form.elements.namedItem('shared_with.orgs').value = c.shared_with.orgs.join(', ');
	form.elements.namedItem('shared_with.users').value = c.shared_with.users.join(', ');
	form.writers.value = c.writers.join(', ');
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
	groupChoices();
	$('#coll-h').textContent = 'New collection';
	$('#coll-submit').textContent = 'Create collection';
	$('#coll-cancel').classList.add('hidden');
}

async function start() {
	me = await staffPage();
	$('#c-users-me').textContent = `Your own user id is ${me.id}.`;
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
		const parts = f.members.value.split(/[\s,;]+/).filter(Boolean);
		const bad = parts.find((p) => !/^[1-9][0-9]{0,15}$/.test(p));
		if (bad !== undefined) throw Object.assign(new Error(`members: '${bad}' is not an organisation id`), { field: 'members' });
		const g = await api('POST', '/api/v1/groups', { json: { name: f.name.value.trim(), members: parts.map(Number) } });
		f.reset();
		await loadGroups();
		say(`Sharing group ${g.name} was made (${g.members.length} organisations).`, 'ok');
	});
	await Promise.all([loadGroups(), loadCollections()]);
}

start().catch((e) => say(e.message, 'error'));
