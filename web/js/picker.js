// picker.js - an accessible combobox for choosing organisations or users by
// name (WAI-ARIA combobox with a listbox popup): type two characters or
// more, move through the options with the arrow keys, Enter chooses, Escape
// closes.  Each choice becomes a chip with its own Remove button; ids still
// go to the API.  A bare number typed in the box is taken as an id, as the
// box took before it searched.
import { h, put } from './dom.js';

const ID = /^[1-9][0-9]{0,15}$/;
let serial = 0;
let pointerDown = false;
document.addEventListener('pointerdown', () => { pointerDown = true; }, true);
document.addEventListener('pointerup', () => { pointerDown = false; }, true);

// input: the text box (it keeps its label, name and error).  search(q):
// [{id, label}].  what: "organisation" or "user", for messages.
export function picker(input, search, what) {
	const n = ++serial;
	const list = h('ul', { role: 'listbox', id: `pick-${n}-list`, class: 'pick-list hidden', 'aria-label': `${what}s found` });
	const chips = h('ul', { class: 'chips', id: `${input.id}-chips`, 'aria-label': `${what}s chosen` });
	const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
	input.setAttribute('role', 'combobox');
	input.setAttribute('aria-autocomplete', 'list');
	input.setAttribute('aria-expanded', 'false');
	input.setAttribute('aria-controls', list.id);
	input.removeAttribute('inputmode'); // names, not only numbers
	input.after(list, live);
	input.before(chips);
	let chosen = []; // [{id, label}]
	let options = [], active = -1, asked = 0;

	const close = () => {
		list.classList.add('hidden');
		input.setAttribute('aria-expanded', 'false');
		input.removeAttribute('aria-activedescendant');
		active = -1;
	};
	const mark = (i) => {
		active = i;
		[...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
		if (i >= 0) input.setAttribute('aria-activedescendant', `pick-${n}-${i}`);
		else input.removeAttribute('aria-activedescendant');
	};
	const drawChips = () => {
		put(chips, ...chosen.map((c) => h('li', { class: 'chip', 'data-id': String(c.id) }, h('span', { text: c.label }),
			h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${c.label}`, text: 'Remove',
				onclick: () => { self.set(chosen.filter((x) => x.id !== c.id)); input.focus(); } }))));
	};
	const choose = (o) => {
		if (!chosen.some((c) => c.id === o.id)) chosen.push(o);
		drawChips();
		input.value = '';
		close();
		live.textContent = `${o.label} added.`;
	};
	const show = (found, more) => {
		options = found.filter((o) => !chosen.some((c) => c.id === o.id));
		put(list, ...(options.length ? options.map((o, i) => h('li', { role: 'option', id: `pick-${n}-${i}`, 'aria-selected': 'false',
			text: o.label, onmousedown: (e) => { e.preventDefault(); choose(o); } }))
			: [h('li', { class: 'pick-none', text: `No ${what} by that name.` })]));
		list.classList.remove('hidden');
		input.setAttribute('aria-expanded', 'true');
		mark(-1);
		live.textContent = options.length ? `${options.length}${more ? ' or more' : ''} found; arrow down to choose.` : `No ${what} by that name.`;
	};

	input.addEventListener('input', async () => {
		const q = input.value.trim();
		if (q.length < 2 || ID.test(q) || /[,;]/.test(q)) { close(); return; }
		const mine = ++asked;
		try {
			const r = await search(q);
			if (mine === asked && input.value.trim() === q) show(r.found, r.more);
		} catch (e) {
			if (mine === asked) { close(); live.textContent = e.message; }
		}
	});
	input.addEventListener('keydown', (e) => {
		const open = input.getAttribute('aria-expanded') === 'true';
		if (e.key === 'ArrowDown' && open && options.length) { e.preventDefault(); mark((active + 1) % options.length); }
		else if (e.key === 'ArrowUp' && open && options.length) { e.preventDefault(); mark(active <= 0 ? options.length - 1 : active - 1); }
		else if (e.key === 'Enter' && open && active >= 0) { e.preventDefault(); choose(options[active]); }
		else if (e.key === 'Escape' && open) { e.preventDefault(); close(); }
	});
	// Leaving by keyboard closes the list at once; by pointer only after the
	// click, so that the page does not move under the pointer mid-click.
	input.addEventListener('blur', () => {
		if (!pointerDown) { close(); return; }
		document.addEventListener('pointerup', () => setTimeout(close, 0), { once: true, capture: true });
	});

	const self = {
		// The chosen ids and the bare ids typed; a name typed and not chosen
		// is an error naming the field.
		ids() {
			const parts = input.value.split(/[\s,;]+/).filter(Boolean);
			const bad = parts.find((p) => !ID.test(p));
			if (bad !== undefined) {
				throw Object.assign(new Error(`${input.name}: '${bad}' is not an ${what} id; type part of a name and choose from the list`),
					{ field: input.name });
			}
			return [...new Set([...chosen.map((c) => c.id), ...parts.map(Number)])];
		},
		set(list2) { chosen = list2.slice(); drawChips(); },
		clear() { chosen = []; drawChips(); input.value = ''; close(); },
	};
	return self;
}
