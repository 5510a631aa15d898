// stix-validate.mjs - validates STIX 2.1 bundles against the official JSON
// schemas (OASIS cti-stix2-json-schemas, draft 2020-12) with ajv.
//
//   node stix-validate.mjs SCHEMA_DIR BUNDLE.json...
//
// SCHEMA_DIR is the schemas/ folder (common/, observables/, sdos/, sros/).
// Every schema file is added to ajv under its own $id, so the relative $refs
// ("../common/core.json") resolve by $id as the schemas intend.  Each bundle
// is validated against common/bundle.json, and then EVERY object in it
// against the schema of its own type: the bundle schema alone would accept
// an object as a custom object when its own schema rejects it, so the
// per-type check is the one that matters.  An object whose type has no
// official schema (a custom object) is an error here.
//
// Prints one line per bundle: "FILE: bundle valid, N objects valid (type: n,
// ...)", or every error with the object's index, id and the failing path,
// and exits 1 when anything failed.
//
// Options the schemas need: unicodeRegExp off (their patterns use escapes
// such as "\-" that the u flag rejects), strict off (they use keywords ajv's
// strict mode warns about).  ajv-formats has no "idn-hostname": it is checked
// here as an ASCII (A-label) host name, which is stricter, since crix writes
// domains as A-labels.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

function die(msg) {
	process.stderr.write(msg + '\n');
	process.exit(2);
}

const [dir, ...files] = process.argv.slice(2);
if (!dir || files.length === 0) die('usage: node stix-validate.mjs SCHEMA_DIR BUNDLE.json...');

const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
ajv.addFormat('idn-hostname', (s) => s.length <= 253 && s.split('.').every((l) => LABEL.test(l)));

const byPath = new Map(); // "sdos/indicator.json" -> $id
let base = null;
for (const sub of ['common', 'observables', 'sdos', 'sros']) {
	const d = path.join(dir, sub);
	if (!fs.existsSync(d)) die(`${d}: missing (is SCHEMA_DIR the schemas/ folder?)`);
	for (const f of fs.readdirSync(d).filter((f) => f.endsWith('.json')).sort()) {
		const schema = JSON.parse(fs.readFileSync(path.join(d, f), 'utf8'));
		if (typeof schema.$id !== 'string') die(`${sub}/${f}: no $id`);
		ajv.addSchema(schema);
		byPath.set(`${sub}/${f}`, schema.$id);
		if (`${sub}/${f}` === 'common/bundle.json') base = schema.$id;
	}
}
if (base === null) die(`${dir}: no common/bundle.json`);

// The schema of an object's type, by where the official tree keeps it.
function schemaFor(type) {
	for (const sub of ['sdos', 'sros', 'observables', 'common']) {
		const id = byPath.get(`${sub}/${type}.json`);
		if (id !== undefined && (sub !== 'common' || type === 'marking-definition' || type === 'language-content'))
			return ajv.getSchema(id);
	}
	return null;
}

function errs(v) {
	return v.errors
		.slice(0, 8)
		.map((e) => `${e.instancePath || '/'} ${e.message}`)
		.join('; ');
}

let failed = false;
const bundleV = ajv.getSchema(base);
for (const file of files) {
	let doc;
	try {
		doc = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		console.log(`${file}: not JSON: ${e.message}`);
		failed = true;
		continue;
	}
	const bad = [];
	if (!bundleV(doc)) bad.push(`bundle: ${errs(bundleV)}`);
	const counts = {};
	const objects = Array.isArray(doc.objects) ? doc.objects : [];
	objects.forEach((o, i) => {
		const type = o && typeof o.type === 'string' ? o.type : '?';
		const v = schemaFor(type);
		if (v === null) {
			bad.push(`object ${i} (${o && o.id}): type ${type} has no official schema`);
			return;
		}
		if (!v(o)) bad.push(`object ${i} (${o.id}): ${errs(v)}`);
		else counts[type] = (counts[type] || 0) + 1;
	});
	if (bad.length > 0) {
		failed = true;
		console.log(`${file}: INVALID`);
		for (const b of bad.slice(0, 40)) console.log(`  ${b}`);
		continue;
	}
	const summary = Object.keys(counts)
		.sort()
		.map((t) => `${t}: ${counts[t]}`)
		.join(', ');
	console.log(`${file}: bundle valid, ${objects.length} objects valid (${summary})`);
}
process.exit(failed ? 1 : 0);
