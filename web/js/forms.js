// forms.js - what the staff forms share: the API's error shown next to the
// field it names (the field's `name` is the API's field, so "shared_with.orgs"
// finds its input), and a confirmation step before a decision that changes
// what others see.
import { h, put, say } from './dom.js';

export function clear(form) {
	for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
	for (const e of form.querySelectorAll('.error')) e.textContent = '';
}

// Puts e (an ApiError) next to its field, or in the page's status line when
// the form has no such field.  alias maps an API field to another input
// (the case page's split names "type" and "value" in one select).
export function showError(form, e, alias = {}) {
	const name = alias[e.field] || e.field;
	let el = name ? form.elements.namedItem(name) : null;
	if (el instanceof RadioNodeList) el = el[0]; // a group of radio buttons
	if (!el || !el.setAttribute) { say(e.message, 'error'); return; }
	el.setAttribute('aria-invalid', 'true');
	const id = (el.getAttribute('aria-describedby') || '').split(' ').find((i) => i.startsWith('err-'));
	if (id) document.getElementById(id).textContent = e.message;
	else say(e.message, 'error');
	el.focus();
}

// Runs fn(form) on submit with the errors cleared first and shown after.
export function onSubmit(form, fn, alias) {
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		clear(form);
		try { await fn(form); } catch (e) { showError(form, e, alias); }
	});
}

// Asks in the form's .confirm box whether to go on: resolves true for the
// first button, false for Cancel.  The question takes the focus, so a
// screen reader reads it; nothing is sent before the answer.
export function confirmStep(form, question, yes) {
	const box = form.querySelector('.confirm');
	return new Promise((resolve) => {
		const done = (v) => { box.classList.add('hidden'); box.replaceChildren(); resolve(v); };
		const ok = h('button', { type: 'button', class: 'confirm-yes', text: yes, onclick: () => done(true) });
		const no = h('button', { type: 'button', class: 'secondary', text: 'Cancel', onclick: () => done(false) });
		put(box, h('p', { text: question, tabindex: '-1', class: 'confirm-q' }), h('div', { class: 'actions' }, ok, no));
		box.classList.remove('hidden');
		ok.focus();
	});
}
