// taxii-client.mjs - a strict TAXII 2.1 client for the conformance tests,
// written for crix (no third-party source).  On the wire it does what OASIS's
// Python taxii2-client 2.3 (taxii2client.v21) does, so that a server that
// passes here serves that client unchanged:
//  - every endpoint URL ends in '/' (one is added when missing); api_roots
//    from discovery are resolved against the discovery URL (urljoin), so
//    relative roots work; a collection's URL is {root}collections/{id}/;
//  - GETs send Accept: application/taxii+json;version=2.1 and a User-Agent,
//    authenticate with HTTP Basic, raise on any 4xx/5xx, and reject a 2xx
//    whose Content-Type does not carry every token of the Accept value with
//    application/taxii+json first;
//  - filters become query parameters as requests encodes them (brackets and
//    colons percent-encoded): match[FIELD]=a,b, match[version] joined by
//    commas, a single added_after, limit (left out when 0), next;
//  - paging (as_pages) asks with limit, then with next while "more" is true;
//    a page shorter than asked while more is true lowers the limit;
//  - add_objects POSTs the envelope with Accept and Content-Type TAXII 2.1,
//    builds the status URL as urljoin(collection URL, '../../status/ID') plus
//    '/', and polls it until "complete" (or the timeout);
//  - resources are validated as the client does: discovery needs a title;
//    an API root title, versions and max_content_length; a collection id,
//    title, can_read, can_write and its id in its URL; a status id, status
//    and the four counts adding up, each detail list as long as its count;
//  - reading a collection with can_read false, or writing one with can_write
//    false, fails in the client without a request (AccessError).
// X-TAXII-Date-Added-First/Last are not used by taxii2-client 2.3 (it pages
// by next); the tests read them themselves.  206 and Content-Range belong to
// TAXII 2.0 (taxii2client.v20) and are not part of 2.1.
import assert from 'node:assert/strict';

export const TAXII = 'application/taxii+json;version=2.1';
export const USER_AGENT = 'taxii2-client/2.3.0';

export class TaxiiHTTPError extends Error {
	constructor(status, url, body) {
		super(`${status} for ${url}: ${String(body).slice(0, 300)}`);
		this.status = status;
		this.body = body;
	}
}
export class TaxiiServiceError extends Error {}
export class ValidationError extends Error {}
export class AccessError extends Error {}

const slash = (u) => (u.endsWith('/') ? u : `${u}/`);

// Python's urlencode(quote_plus): only letters, digits and _.-~ stay as they are.
function encode(s) {
	return encodeURIComponent(String(s)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

// taxii2client.common._filter_kwargs_to_query_params
export function filterParams(kw = {}) {
	const out = [];
	for (const [k, v] of Object.entries(kw)) {
		if (v === undefined || v === null || v === '' || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
		const list = Array.isArray(v) ? v : [v];
		if (k === 'version') out.push(['match[version]', list.join(',')]);
		else if (k === 'added_after') {
			if (list.length > 1) throw new Error("No more than one value for filter 'added_after' may be given");
			out.push(['added_after', list[0]]);
		} else if (k === 'limit') out.push(['limit', String(Math.trunc(Number(list[0])))]);
		else if (k === 'next') out.push(['next', list[0]]);
		else out.push([`match[${k}]`, list.join(',')]);
	}
	return out;
}

function query(params) {
	return params.length ? '?' + params.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&') : '';
}

// taxii2client.common._HTTPConnection
export class Connection {
	constructor({ user, password, token } = {}) {
		this.auth = user && password ? 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')
			: token ? `Bearer ${token}` : null;
		this.log = []; // every exchange: {method, url, status, headers, json}
	}

	headers(extra) {
		const h = { 'User-Agent': USER_AGENT, ...extra };
		if (this.auth) h.Authorization = this.auth;
		return h;
	}

	static validContentType(ct, accept) {
		const a = accept.replace(/ /g, '').split(';');
		const c = (ct || '').replace(/ /g, '').split(';');
		return a.every((t) => c.includes(t)) && c[0] === 'application/taxii+json';
	}

	async get(url, params = [], accept = TAXII) {
		const full = url + query(params);
		const r = await fetch(full, { headers: this.headers({ Accept: accept }) });
		const text = await r.text();
		let json;
		try { json = JSON.parse(text); } catch { json = undefined; }
		const ex = { method: 'GET', url: full, status: r.status, headers: r.headers, json, text };
		this.log.push(ex);
		if (r.status >= 400) throw new TaxiiHTTPError(r.status, full, text);
		if (!Connection.validContentType(r.headers.get('content-type'), accept))
			throw new TaxiiServiceError(`Unexpected Response. Got Content-Type: '${r.headers.get('content-type')}' for Accept: '${accept}'`);
		if (json === undefined) throw new TaxiiServiceError(`Invalid JSON was received from ${full}`);
		return ex;
	}

	async post(url, data, { accept = TAXII, contentType = TAXII } = {}) {
		const r = await fetch(url, { method: 'POST', headers: this.headers({ Accept: accept, 'Content-Type': contentType }), body: data });
		const text = await r.text();
		let json;
		try { json = JSON.parse(text); } catch { json = undefined; }
		this.log.push({ method: 'POST', url, status: r.status, headers: r.headers, json, text });
		if (r.status >= 400) throw new TaxiiHTTPError(r.status, url, text);
		if (json === undefined) throw new TaxiiServiceError(`Invalid JSON was received from ${url}`);
		return json;
	}
}

export class Status {
	constructor(url, conn, info) {
		this.url = slash(url);
		this.conn = conn;
		this.populate(info);
	}

	populate(s) {
		this.raw = s;
		Object.assign(this, {
			id: s.id, status: s.status, request_timestamp: s.request_timestamp, total_count: s.total_count,
			success_count: s.success_count, failure_count: s.failure_count, pending_count: s.pending_count,
			successes: s.successes || [], failures: s.failures || [], pendings: s.pendings || [],
		});
		if (!this.id) throw new ValidationError(`No 'id' in Status for request '${this.url}'`);
		if (!this.status) throw new ValidationError(`No 'status' in Status for request '${this.url}'`);
		for (const k of ['total_count', 'success_count', 'failure_count', 'pending_count'])
			if (this[k] === undefined || this[k] === null) throw new ValidationError(`No '${k}' in Status for request '${this.url}'`);
		for (const [list, count] of [['successes', 'success_count'], ['pendings', 'pending_count'], ['failures', 'failure_count']])
			if (this[list].length && this[list].length !== this[count]) throw new ValidationError(`Found ${list}=${this[list].length}, but ${count}=${this[count]}`);
		if (this.success_count + this.pending_count + this.failure_count !== this.total_count)
			throw new ValidationError('success_count + pending_count + failure_count != total_count');
	}

	async refresh() {
		this.populate((await this.conn.get(this.url)).json);
	}

	async waitUntilFinal(pollMs = 200, timeoutMs = 60000) {
		const t0 = Date.now();
		while (this.status !== 'complete' && Date.now() - t0 < timeoutMs) {
			await new Promise((r) => setTimeout(r, pollMs));
			await this.refresh();
		}
	}
}

export class Collection {
	constructor(url, conn, info) {
		this.url = slash(url);
		this.conn = conn;
		this.populate(info);
	}

	populate(c) {
		this.raw = c;
		Object.assign(this, { id: c.id, title: c.title, description: c.description, alias: c.alias, can_read: c.can_read, can_write: c.can_write, media_types: c.media_types || [] });
		if (!this.id) throw new ValidationError(`No 'id' in Collection for request '${this.url}'`);
		if (!this.title) throw new ValidationError(`No 'title' in Collection for request '${this.url}'`);
		if (this.can_read === undefined) throw new ValidationError(`No 'can_read' in Collection for request '${this.url}'`);
		if (this.can_write === undefined) throw new ValidationError(`No 'can_write' in Collection for request '${this.url}'`);
		if (!this.url.includes(this.id)) throw new ValidationError(`The collection '${this.id}' does not match the url for queries '${this.url}'`);
	}

	get objectsUrl() { return `${this.url}objects/`; }

	async refresh() { this.populate((await this.conn.get(this.url)).json); }

	canRead() { if (!this.can_read) throw new AccessError(`Collection '${this.url}' does not allow reading.`); }

	canWrite() { if (!this.can_write) throw new AccessError(`Collection '${this.url}' does not allow writing.`); }

	async getObjects(kw = {}) { this.canRead(); return this.conn.get(this.objectsUrl, filterParams(kw)); }

	async getObject(id, kw = {}) { this.canRead(); return this.conn.get(`${this.objectsUrl}${id}/`, filterParams(kw)); }

	async objectVersions(id, kw = {}) { this.canRead(); return this.conn.get(`${this.objectsUrl}${id}/versions/`, filterParams(kw)); }

	async getManifest(kw = {}) { this.canRead(); return this.conn.get(`${this.url}manifest/`, filterParams(kw)); }

	async addObjects(envelope, { wait = true, pollMs = 200, timeoutMs = 60000 } = {}) {
		this.canWrite();
		const data = typeof envelope === 'string' || Buffer.isBuffer(envelope) ? envelope : JSON.stringify(envelope);
		const json = await this.conn.post(this.objectsUrl, data);
		const st = new Status(new URL(`../../status/${json.id}`, this.url).href, this.conn, json);
		if (wait && st.status !== 'complete') await st.waitUntilFinal(pollMs, timeoutMs);
		return st;
	}
}

export class ApiRoot {
	constructor(url, conn) {
		this.url = slash(url);
		this.conn = conn;
	}

	async refreshInformation() {
		const r = (await this.conn.get(this.url)).json;
		Object.assign(this, { title: r.title, description: r.description, versions: r.versions || [], max_content_length: r.max_content_length });
		if (!this.title) throw new ValidationError(`No 'title' in API Root for request '${this.url}'`);
		if (!this.versions.length) throw new ValidationError(`No 'versions' in API Root for request '${this.url}'`);
		if (this.max_content_length === undefined || this.max_content_length === null) throw new ValidationError(`No 'max_content_length' in API Root for request '${this.url}'`);
		return r;
	}

	async collections() {
		const url = `${this.url}collections/`;
		const r = (await this.conn.get(url)).json;
		return (r.collections || []).map((c) => new Collection(`${url}${c.id}/`, this.conn, c));
	}

	async getStatus(id) {
		const url = `${this.url}status/${id}/`;
		return new Status(url, this.conn, (await this.conn.get(url)).json);
	}
}

export class Server {
	constructor(url, conn) {
		this.url = slash(url);
		this.conn = conn;
	}

	async refresh() {
		const r = (await this.conn.get(this.url)).json;
		if (!r.title) throw new ValidationError(`No 'title' in Server Discovery for request '${this.url}'`);
		this.title = r.title;
		this.raw = r;
		this.apiRoots = (r.api_roots || []).map((u) => new ApiRoot(new URL(u, this.url).href, this.conn));
		const i = (r.api_roots || []).indexOf(r.default);
		this.default = i >= 0 ? this.apiRoots[i] : undefined;
		return r;
	}
}

// taxii2client.v21.as_pages: yields each page's parsed envelope.
export async function* asPages(fn, perRequest = 0, kw = {}) {
	let env = await fn({ ...kw, limit: perRequest });
	yield env.json;
	const got = (env.json.objects || env.json.versions || []).length;
	if (env.json.more && got !== perRequest) perRequest = got;
	let guard = 0;
	while (env.json.more) {
		assert.ok(++guard < 100000, 'as_pages: more stays true forever');
		env = await fn({ ...kw, limit: perRequest, next: env.json.next || '' });
		yield env.json;
	}
}
