// api.js - the pages' only way to the crix REST API (/api/v1): same-origin
// fetch with the session cookie, the session's CSRF token on every write,
// and the API's one error shape turned into an ApiError naming the field.

let csrf = null;

export class ApiError extends Error {
	constructor(status, body) {
		const e = body && body.error ? body.error : {};
		super(e.message || `the server answered ${status}`);
		this.status = status;
		this.code = e.code || '';
		this.field = e.field || '';
	}
}

// api('POST', '/api/v1/...', {json, form, headers}): the answer's JSON.
export async function api(method, path, { json, form, headers = {} } = {}) {
	const opts = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
	if (json !== undefined) {
		opts.body = JSON.stringify(json);
		opts.headers['Content-Type'] = 'application/json';
	} else if (form !== undefined) {
		opts.body = form;
	}
	if (method !== 'GET' && csrf) opts.headers['X-CSRF-Token'] = csrf;
	let r;
	try {
		r = await fetch(path, opts);
	} catch (e) {
		throw new ApiError(0, { error: { message: 'The server cannot be reached. Check your connection and try again.' } });
	}
	const text = await r.text();
	let body = null;
	try { body = text ? JSON.parse(text) : null; } catch { body = null; }
	if (!r.ok) throw new ApiError(r.status, body);
	return body;
}

export function setCsrf(token) {
	csrf = token || null;
}
