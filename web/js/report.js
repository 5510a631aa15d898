// report.js - the victim's report form: steps that ask only what applies to
// the chosen category, answers kept in sessionStorage across a reload
// (never the evidence files), errors next to their field, and the receipt
// with the reference number, the tracking secret and the advice.
import { api, ApiError } from './api.js';
import { h, $, $$, put, say } from './dom.js';

const DRAFT = 'crix-report-draft';
const STEPS = { what: 'What happened', when: 'When', money: 'Money', suspect: 'The suspect', you: 'About you', evidence: 'Evidence', check: 'Check and send' };
const FILES_MAX = 10;
const FILE_MAX = 10 * 1024 * 1024;
const FILES_TOTAL_MAX = 32 * 1024 * 1024;
// Categories where money is asked for even though they are not frauds.
const MONEY_ALSO = new Set(['ransomware', 'extortion', 'sextortion']);

const form = $('#report');
let offences = [];
let current = 'what';

function offence() {
	return offences.find((o) => o.code === form.category.value) || null;
}

function kind() {
	return form.querySelector('input[name=kind]:checked').value;
}

// The steps that apply to the category chosen so far.
function steps() {
	const o = offence();
	const money = o && kind() === 'crime' && (o.group === 'fraud' || MONEY_ALSO.has(o.code));
	return Object.keys(STEPS).filter((s) => s !== 'money' || money);
}

function moneyApplies() {
	return steps().includes('money');
}

// Shows only the suspect questions that fit the category.
function fitQuestions() {
	const o = offence();
	const money = moneyApplies();
	for (const f of $$('[data-list]', form)) {
		const l = f.dataset.list;
		let show = true;
		if (f.hasAttribute('data-money')) show = money;
		else if (l === 'names' || l === 'social_profiles') show = !o || o.group !== 'cyber';
		f.classList.toggle('hidden', !show);
	}
	const refer = $('#refer');
	if (o && !o.in_scope && o.refer) {
		put(refer, h('p', {}, h('strong', { text: 'We cannot take this report. ' }), o.refer.why || ''),
			h('p', {}, 'Please contact ', h('a', { href: o.refer.url, text: o.refer.name }), '.'));
		refer.classList.remove('hidden');
	} else {
		refer.classList.add('hidden');
		refer.replaceChildren();
	}
	$('#category-desc').textContent = o ? o.description : '';
}

function show(step, focus = true) {
	current = step;
	const list = steps();
	for (const sec of $$('.step', form)) sec.classList.toggle('hidden', sec.dataset.step !== step);
	const prog = $('#progress');
	prog.replaceChildren(...list.map((s, i) => h('li', {
		'aria-current': s === step ? 'step' : null,
		class: i < list.indexOf(step) ? 'done' : null,
	}, `${i + 1}. ${STEPS[s]}`)));
	$('#back').classList.toggle('hidden', list.indexOf(step) === 0);
	const o = offence();
	const blocked = step === 'what' && o && !o.in_scope;
	$('#next').classList.toggle('hidden', !!blocked);
	$('#next').textContent = step === 'check' ? 'Send report' : 'Next';
	if (step === 'check') summary();
	save();
	if (focus) $(`#h-${step}`).focus();
}

// ---- errors next to their field ----

function errorFor(el) {
	const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/);
	const id = ids.find((i) => i.startsWith('err-'));
	return id ? document.getElementById(id) : null;
}

function setError(el, msg) {
	const e = errorFor(el);
	if (e) e.textContent = msg;
	el.setAttribute('aria-invalid', 'true');
}

function clearErrors(root) {
	for (const el of $$('[aria-invalid]', root)) el.removeAttribute('aria-invalid');
	for (const e of $$('.error', root)) e.textContent = '';
}

function lines(el) {
	return el.value.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
}

// Minor units from "1249.99" or "1249,99"; null when it is not an amount.
function minorUnits(text) {
	const m = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s']/g, ''));
	if (!m) return null;
	return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

// Checks one step; marks the fields at fault and returns the first.
function check(step) {
	const sec = form.querySelector(`.step[data-step="${step}"]`);
	clearErrors(sec);
	const bad = [];
	const fail = (el, msg) => { setError(el, msg); bad.push(el); };
	if (step === 'what') {
		if (!form.category.value) fail(form.category, 'Choose the kind of crime or scam.');
		const d = form.description.value.trim();
		if (!d) fail(form.description, 'Tell us what happened.');
		else if (new TextEncoder().encode(d).length > 20000) fail(form.description, 'This is too long: 20,000 characters at most. Put the rest in an evidence file.');
	} else if (step === 'when') {
		const a = form['occurred.start'].value, b = form['occurred.end'].value;
		if (a && b && b < a) fail(form['occurred.end'], 'The end cannot be before the start.');
	} else if (step === 'money') {
		const amt = form.amount.value.trim();
		if (amt && minorUnits(amt) === null) fail(form.amount, 'Write the amount as a number, for example 250 or 1249.99.');
		if (amt && !/^[A-Z]{3}$/.test(form.currency.value.trim().toUpperCase())) fail(form.currency, 'Write the currency as three letters, for example EUR.');
	} else if (step === 'suspect') {
		for (const t of $$('textarea', sec)) if (lines(t).length > 50) fail(t, 'At most 50, one on each line.');
	} else if (step === 'you') {
		const c = form['victim.country'].value.trim().toUpperCase();
		if (c && !/^[A-Z]{2}$/.test(c)) fail(form['victim.country'], 'Write the country as two letters, for example GB.');
		const e = form['victim.email'].value.trim();
		if (e && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) fail(form['victim.email'], 'This does not look like an email address.');
	} else if (step === 'evidence') {
		const files = [...form.evidence.files];
		const total = files.reduce((n, f) => n + f.size, 0);
		if (files.length > FILES_MAX) fail(form.evidence, `At most ${FILES_MAX} files.`);
		else if (files.some((f) => f.size > FILE_MAX)) fail(form.evidence, `${files.find((f) => f.size > FILE_MAX).name} is larger than 10 MB.`);
		else if (total > FILES_TOTAL_MAX) fail(form.evidence, 'The files are larger than 32 MB together.');
	}
	if (bad.length) {
		say('Please correct the answers marked below.', 'error');
		bad[0].focus();
		return false;
	}
	say('');
	return true;
}

// ---- the report as the API takes it ----

function build() {
	const r = { category: form.category.value, kind: kind(), description: form.description.value.trim() };
	const start = form['occurred.start'].value, end = form['occurred.end'].value;
	if (start || end) r.occurred = Object.fromEntries(Object.entries({ start, end }).filter(([, v]) => v));
	const situations = $$('input[name=situation]:checked', form).map((c) => c.value);
	if (moneyApplies()) {
		if (form.payment_method.value) r.payment_method = form.payment_method.value;
		const minor = minorUnits(form.amount.value.trim());
		if (minor !== null && minor > 0) {
			r.loss = { amount_minor: minor, currency: form.currency.value.trim().toUpperCase() };
			if (!situations.includes('money-lost')) situations.push('money-lost');
		}
	}
	if (situations.length) r.situations = situations;
	const suspect = {};
	for (const f of $$('[data-list]', form)) {
		if (f.classList.contains('hidden')) continue;
		const v = lines($('textarea', f));
		if (v.length) suspect[f.dataset.list] = v;
	}
	if (Object.keys(suspect).length) r.suspect = suspect;
	const victim = { type: form.querySelector('input[name="victim.type"]:checked').value };
	for (const k of ['name', 'email', 'phone', 'country', 'region']) {
		let v = form[`victim.${k}`].value.trim();
		if (k === 'country') v = v.toUpperCase();
		if (v) victim[k] = v;
	}
	if (situations.includes('vulnerable')) victim.vulnerable = true;
	r.victim = victim;
	r.consents = {
		contact: form['consents.contact'].checked,
		share_with_law_enforcement: form['consents.share_with_law_enforcement'].checked,
	};
	return r;
}

function summary() {
	const r = build();
	const o = offence();
	const rows = [
		['Kind of crime', o ? o.name : r.category],
		['Did it happen', r.kind === 'crime' ? 'Yes' : 'It was an attempt'],
		['What happened', r.description],
		['When', r.occurred ? [r.occurred.start, r.occurred.end].filter(Boolean).join(' to ') : 'Not given'],
	];
	if (moneyApplies()) {
		const pm = form.payment_method.selectedOptions[0];
		rows.push(['Money', r.loss ? `${form.amount.value.trim()} ${r.loss.currency}${r.payment_method ? `, ${pm.textContent}` : ''}` : 'No loss given']);
	}
	for (const [k, v] of Object.entries(r.suspect || {})) rows.push([`Suspect: ${k.replace('_', ' ')}`, v.join(', ')]);
	rows.push(['You', [r.victim.name, r.victim.email, r.victim.phone, r.victim.country].filter(Boolean).join(', ') || 'No details given']);
	const files = [...form.evidence.files];
	rows.push(['Evidence', files.length ? files.map((f) => f.name).join(', ') : 'No files']);
	put($('#summary'), ...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
}

// ---- the draft in sessionStorage ----

function save() {
	const values = {};
	for (const el of form.elements) {
		if (!el.name || el.type === 'file') continue;
		if (el.type === 'radio') { if (el.checked) values[el.name] = el.value; }
		else if (el.type === 'checkbox') values[`${el.name}:${el.value}`] = el.checked;
		else values[el.name] = el.value;
	}
	try { sessionStorage.setItem(DRAFT, JSON.stringify({ values, step: current })); } catch { /* storage full or off */ }
}

function restore() {
	let d = null;
	try { d = JSON.parse(sessionStorage.getItem(DRAFT) || 'null'); } catch { d = null; }
	if (!d || typeof d.values !== 'object') return null;
	for (const el of form.elements) {
		if (!el.name || el.type === 'file') continue;
		if (el.type === 'radio') el.checked = d.values[el.name] === el.value;
		else if (el.type === 'checkbox') { const v = d.values[`${el.name}:${el.value}`]; if (typeof v === 'boolean') el.checked = v; }
		else if (typeof d.values[el.name] === 'string') el.value = d.values[el.name];
	}
	if (!form.querySelector('input[name=kind]:checked')) form.querySelector('input[name=kind]').checked = true;
	if (!form.querySelector('input[name="victim.type"]:checked')) form.querySelector('input[name="victim.type"]').checked = true;
	return steps().includes(d.step) ? d.step : 'what';
}

// ---- sending ----

function showServerError(err) {
	const path = (err.field || '').replace(/\[\d+\]$/, '');
	const el = path ? form.querySelector(`[data-field="${CSS.escape(path)}"]`) : null;
	const sec = el ? el.closest('.step') : null;
	if (el && sec && !el.closest('.hidden:not(.step)')) {
		show(sec.dataset.step, false);
		setError(el, err.message);
		say('Please correct the answer marked below.', 'error');
		el.focus();
	} else {
		say(`Your report could not be sent: ${err.message}`, 'error');
	}
}

async function send() {
	const r = build();
	const files = [...form.evidence.files];
	$('#next').disabled = true;
	say('Sending your report…');
	try {
		let res;
		if (files.length) {
			const fd = new FormData();
			fd.append('report', JSON.stringify(r));
			for (const f of files) fd.append('evidence', f, f.name);
			res = await api('POST', '/api/v1/reports', { form: fd });
		} else {
			res = await api('POST', '/api/v1/reports', { json: r });
		}
		receipt(res);
	} catch (e) {
		if (e instanceof ApiError) showServerError(e);
		else say(`Your report could not be sent: ${e.message}`, 'error');
	} finally {
		$('#next').disabled = false;
	}
}

function receipt(res) {
	try { sessionStorage.removeItem(DRAFT); } catch { /* ignore */ }
	form.classList.add('hidden');
	say('');
	$('#r-ref').textContent = res.reference;
	$('#r-secret').textContent = res.tracking_secret;
	$('#r-track').href = `/track?ref=${encodeURIComponent(res.reference)}`;
	put($('#r-advice'), ...(res.advice || []).map((a) => h('li', {},
		h('strong', { class: a.urgency === 'now' ? 'urgency-now' : null, text: a.urgency === 'now' ? `Now: ${a.title}` : a.title }),
		h('p', { text: a.text }))));
	$('#receipt').classList.remove('hidden');
	$('#h-receipt').focus();
}

// ---- start ----

async function start() {
	let cat;
	try {
		cat = await api('GET', '/api/v1/offences');
	} catch (e) {
		say(`The form cannot be loaded: ${e.message}`, 'error');
		return;
	}
	offences = cat.offences || [];
	const groups = { fraud: 'Fraud and scams', cyber: 'Hacking and attacks on computers', other: 'Other crimes' };
	for (const [g, label] of Object.entries(groups)) {
		const og = h('optgroup', { label });
		for (const o of offences.filter((x) => x.group === g)) og.append(h('option', { value: o.code, text: o.name }));
		form.category.append(og);
	}
	for (const p of cat.payment_methods || []) if (p.code !== 'none') form.payment_method.append(h('option', { value: p.code, text: p.name }));
	const sit = $('#situations');
	for (const s of cat.situations || []) {
		if (s.code === 'money-lost') continue; // follows from the amount
		sit.append(h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'situation', value: s.code }), ` ${s.name}`));
	}
	const step = restore() || 'what';
	fitQuestions();
	form.category.addEventListener('change', () => {
		const o = offence();
		// The category's usual situations, as a starting point.
		for (const c of $$('input[name=situation]', form)) if (o && (o.situations || []).includes(c.value)) c.checked = true;
		fitQuestions();
		show(current, false);
	});
	for (const r of $$('input[name=kind]', form)) r.addEventListener('change', () => { fitQuestions(); show(current, false); });
	form.addEventListener('input', save);
	form.addEventListener('change', save);
	$('#back').addEventListener('click', () => {
		const list = steps();
		show(list[Math.max(0, list.indexOf(current) - 1)]);
	});
	form.addEventListener('submit', (ev) => {
		ev.preventDefault();
		if (!check(current)) return;
		if (current === 'check') {
			for (const st of steps()) if (!check(st)) { show(st, false); check(st); return; }
			send();
			return;
		}
		const list = steps();
		show(list[list.indexOf(current) + 1]);
	});
	$('#print').addEventListener('click', () => window.print());
	show(step, false);
}

start();
