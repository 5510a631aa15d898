/*
 * export.c - `crix export stix`: indicator lists as one STIX 2.1 bundle.
 *
 * Input lines are read one at a time (gzip read transparently) and each
 * distinct indicator's objects are written as soon as it is seen, so that
 * memory holds only the set of indicators already written (16 bytes each),
 * whatever the size of the input.  The bundle is written one object a line:
 *     {"type":"bundle","id":"bundle--...","objects":[
 *     {"type":"marking-definition",...},
 *     ...
 *     ]}
 * The objects themselves are built by src/share/stix.c.
 */
#include "cli/cli.h"
#include "ioc/ioc.h"
#include "model/cases.h"
#include "model/report.h"
#include "share/stix.h"
#include "share/tlp.h"
#include "share/uuid.h"
#include "util/jsonw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define LINE_MAX_BYTES (64u << 10) /* a longer input line is reported and skipped */
#define DISTINCT_MAX   (1u << 24)  /* indicators in one bundle */

void cli_export_help(FILE *f)
{
	fprintf(f,
	        "usage: crix export stix [--tlp LEVEL] [--org NAME] [--type T[,T...]] [--refang]\n"
	        "                        [--time TIME] [FILE...]\n"
	        "       crix export stix --data DIR [--reports] [--cases] [--orgs] [--sightings]\n"
	        "                        [--status S] [--law-enforcement] [--tlp LEVEL]\n"
	        "                        [--org NAME] [--time TIME]\n\n"
	        "Writes the indicators of indicator lists as one STIX 2.1 bundle on standard\n"
	        "output: for each distinct indicator its observable (ipv4-addr, ipv6-addr,\n"
	        "domain-name, url, email-addr, file, autonomous-system), an indicator with its\n"
	        "STIX pattern and a based-on relationship between them; a CVE as a\n"
	        "vulnerability.  Phone numbers, IBANs, cards and wallets have no STIX object and\n"
	        "are skipped.  Every object carries the TLP marking; the bundle holds its\n"
	        "marking definition and the producing organisation's identity.\n\n"
	        "Input: each FILE (gzip is read transparently; '-' is standard input), or\n"
	        "standard input when no FILE is given.  One indicator a line: a value (its type\n"
	        "is guessed), 'TYPE VALUE', or a JSON object with \"value\" and \"type\" as\n"
	        "crix extract writes them.  Blank lines and lines starting with '#' are "
	        "skipped.\n\n"
	        "Options:\n"
	        "  --tlp LEVEL   clear, green, amber (default), amber+strict or red\n"
	        "  --org NAME    the producing organisation (identity and created_by_ref)\n"
	        "  --type T,...  only these types: ipv4 ipv6 cidr4 cidr6 domain url email md5\n"
	        "                sha1 sha256 sha512 asn cve\n"
	        "  --refang      undo defanging (hxxp, [.], (dot), [at], ...) of each value\n"
	        "  --time TIME   created, modified and valid_from (default now), e.g.\n"
	        "                2024-05-01T12:00:00Z\n\n"
	        "From a crix data directory (--data DIR) instead of indicator lists:\n"
	        "  --reports     each report as a report object referring to the indicators\n"
	        "                found in the suspect's details (with their observables);\n"
	        "                no victim data: name, contact details, accounts and free\n"
	        "                text are never read\n"
	        "  --cases       reports (as --reports) and each case of two or more of them\n"
	        "                as a report (label \"case\") referring to its reports\n"
	        "  --status S    only reports with status S (e.g. disseminated)\n"
	        "                Only reports whose reporter consented to sharing with\n"
	        "                partners (consents.share_with_partners) are exported; the\n"
	        "                others are counted in the summary\n"
	        "  --law-enforcement\n"
	        "                instead, the reports whose reporter consented to sharing\n"
	        "                with law enforcement (consents.share_with_law_enforcement)\n"
	        "  --orgs        each organisation as an identity (sector from its kind)\n"
	        "  --sightings   each sighting partners reported, with the reporting\n"
	        "                organisation's identity as where_sighted_refs\n"
	        "  -h, --help    this help\n\n"
	        "A line that is not an indicator is reported as FILE:LINE: reason and skipped.\n"
	        "Standard error ends with a summary: N indicators exported, M skipped (type: "
	        "count).\n"
	        "Exit status: 0 if an indicator was exported, 1 if none, 2 on error.\n\n");
	cli_export_misp_help(f);
}

/* The indicators already written: an open-addressing set of 16-byte keys.
 * A key is a version 5 UUID, never all zero, so zero marks a free slot. */
struct seen {
	struct uuid *slot;
	size_t cap, n;
};

static bool uuid_zero(const struct uuid *u)
{
	for (size_t i = 0; i < sizeof u->b; i++)
		if (u->b[i] != 0)
			return false;
	return true;
}

static size_t seen_pos(const struct seen *s, const struct uuid *k)
{
	uint64_t h;
	memcpy(&h, k->b, sizeof h); /* SHA-1 bytes: already well mixed */
	size_t i = (size_t)h & (s->cap - 1);
	while (!uuid_zero(&s->slot[i]) && memcmp(s->slot[i].b, k->b, sizeof k->b) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Adds k; OUT: *added false when it was there.  -1 when out of memory. */
static int seen_add(struct seen *s, const struct uuid *k, bool *added)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 1024;
		struct seen t = {calloc(ncap, sizeof *t.slot), ncap, 0};
		if (t.slot == NULL)
			return -1;
		for (size_t i = 0; i < s->cap; i++)
			if (!uuid_zero(&s->slot[i]))
				t.slot[seen_pos(&t, &s->slot[i])] = s->slot[i];
		t.n = s->n;
		free(s->slot);
		*s = t;
	}
	size_t i = seen_pos(s, k);
	*added = uuid_zero(&s->slot[i]);
	if (*added) {
		s->slot[i] = *k;
		s->n++;
	}
	return 0;
}

struct export
{
	const struct ioc_ctx *ctx;
	struct stix_producer prod;
	unsigned types; /* --type mask, 0: all */
	bool refang;
	struct jsonw_out *out;
	struct seen seen;
	unsigned long written; /* objects */
	unsigned long exported, duplicates, invalid, filtered;
	unsigned long skipped[IOC_TYPE_COUNT];
	char *refanged; /* scratch for --refang */
	/* --data: reports, cases, organisations, sightings from a store */
	const char *data;
	bool reports, cases, orgs, sightings;
	const char *status; /* --status: only reports with it */
	bool law;           /* --law-enforcement: the consent asked of each report */
	json_t *refs;       /* the ids of the objects of the value taken last */
	unsigned long n_reports, n_cases, n_orgs, n_sightings, no_objects, no_consent;
};

/* Writes one object as a line of the bundle's array. */
static int write_object(struct export *x, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s == NULL)
		return -1;
	if (x->written++ > 0)
		jsonw_out_str(x->out, ",\n");
	jsonw_out_str(x->out, s);
	free(s);
	return x->out->err == 0 ? 0 : -1;
}

/* Parses one value (type IOC_NONE: guessed) and writes its objects unless
 * they were written before.  Returns -1 only for errors that end the export
 * (memory, output, the cap); a bad value is reported and counted. */
static int take(struct export *x, const char *where, enum ioc_type type, const char *s, size_t n)
{
	struct crix_error err;
	crix_error_clear(&err);
	if (x->refang) {
		size_t m;
		if (ioc_refang(s, n, x->refanged, LINE_MAX_BYTES, NULL, &m, &err) == 0) {
			s = x->refanged;
			n = m;
		}
	}
	struct ioc_value v;
	int rc = type == IOC_NONE ? ioc_guess(x->ctx, s, n, NULL, &v, &err)
	                          : ioc_parse(x->ctx, type, s, n, NULL, &v, &err);
	if (rc != 0) {
		x->invalid++;
		if (type == IOC_NONE)
			fprintf(stderr, "%s: '%.*s' is not an indicator of any type crix knows\n",
			        where, n > 80 ? 80 : (int)n, s);
		else
			fprintf(stderr, "%s: %s\n", where, err.msg);
		return 0;
	}
	if (x->types != 0 && (x->types & (1u << v.type)) == 0) {
		x->filtered++;
		return 0;
	}
	if (stix_object_type(v.type) == NULL) {
		x->skipped[v.type]++;
		return 0;
	}
	/* the key: a digest of type and value, so a value is written once */
	struct uuid ns, key;
	char name[IOC_VALUE_MAX + 16];
	int k = snprintf(name, sizeof name, "%s:%s", ioc_type_name(v.type), v.v);
	(void)uuid_parse(STIX_CRIX_NAMESPACE, &ns);
	uuid_v5(&ns, name, (size_t)k, &key);
	bool added;
	if (x->seen.n >= DISTINCT_MAX) {
		fprintf(stderr, "crix export: more than %u distinct indicators: split the input\n",
		        DISTINCT_MAX);
		return -1;
	}
	if (seen_add(&x->seen, &key, &added) != 0) {
		fprintf(stderr, "crix export: out of memory\n");
		return -1;
	}
	if (!added && x->refs == NULL) {
		x->duplicates++;
		return 0;
	}
	json_t *objs;
	if (stix_objects(&x->prod, &v, &objs, &err) != 0) {
		if (err.code == CRIX_ENOMEM) {
			fprintf(stderr, "crix export: out of memory\n");
			return -1;
		}
		x->invalid++;
		fprintf(stderr, "%s: %s\n", where, err.msg);
		return 0;
	}
	size_t i;
	json_t *o;
	rc = 0;
	/* a report refers to the indicator and its observable (or the
	 * vulnerability), written once however many reports hold them */
	json_array_foreach(objs, i, o)
	{
		const char *t = json_string_value(json_object_get(o, "type"));
		if (x->refs != NULL && t != NULL && strcmp(t, "relationship") != 0)
			json_array_append(x->refs, json_object_get(o, "id"));
		if (rc == 0 && added)
			rc = write_object(x, o);
	}
	json_decref(objs);
	if (!added) {
		x->duplicates++;
		return rc;
	}
	if (rc != 0) {
		fprintf(stderr, "crix export: writing output: %s\n",
		        x->out->err ? strerror(x->out->err) : "out of memory");
		return -1;
	}
	x->exported++;
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* One input line: a JSON object from crix extract, "TYPE VALUE", or a value. */
static int take_line(struct export *x, const char *where, char *s, size_t n)
{
	while (n > 0 && blank(s[n - 1]))
		n--;
	while (n > 0 && blank(*s)) {
		s++;
		n--;
	}
	if (n == 0 || *s == '#')
		return 0;
	if (*s == '{') {
		json_error_t je;
		json_t *j = json_loadb(s, n, 0, &je);
		json_t *val = json_object_get(j, "value"), *typ = json_object_get(j, "type");
		enum ioc_type t =
		        json_is_string(typ) ? ioc_type_from_name(json_string_value(typ)) : IOC_NONE;
		int rc = 0;
		if (j == NULL) {
			x->invalid++;
			fprintf(stderr, "%s: not JSON: %s\n", where, je.text);
		} else if (!json_is_string(val)) {
			x->invalid++;
			fprintf(stderr, "%s: the JSON object has no string \"value\"\n", where);
		} else if (typ != NULL && t == IOC_NONE) {
			x->invalid++;
			fprintf(stderr, "%s: unknown indicator type in \"type\"\n", where);
		} else {
			rc = take(x, where, t, json_string_value(val), json_string_length(val));
		}
		json_decref(j);
		return rc;
	}
	const char *sp = memchr(s, ' ', n);
	if (sp != NULL) {
		char name[16];
		size_t k = (size_t)(sp - s);
		if (k < sizeof name) {
			memcpy(name, s, k);
			name[k] = '\0';
			enum ioc_type t = ioc_type_from_name(name);
			if (t != IOC_NONE) {
				while (sp < s + n && blank(*sp))
					sp++;
				return take(x, where, t, sp, (size_t)(s + n - sp));
			}
		}
	}
	return take(x, where, IOC_NONE, s, n);
}

/* Reads one input; 0, or -1 after printing why (-2: the export must end). */
static int export_stream(struct export *x, const char *name, char *line)
{
	const char *shown = name ? name : "(stdin)";
	int fd = name == NULL ? dup(STDIN_FILENO) : open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "crix export: %s: %s\n", shown, strerror(errno));
		return -1;
	}
	gzFile gz = gzdopen(fd, "rb");
	if (gz == NULL) {
		fprintf(stderr, "crix export: %s: cannot read\n", shown);
		close(fd);
		return -1;
	}
	gzbuffer(gz, 1u << 17);
	unsigned long lineno = 0;
	bool cut = false; /* inside an overlong line */
	int rc = 0;
	char where[512];
	while (gzgets(gz, line, (int)LINE_MAX_BYTES) != NULL) {
		size_t n = strlen(line);
		bool whole = n > 0 && line[n - 1] == '\n';
		if (cut) {
			cut = !whole;
			continue;
		}
		lineno++;
		snprintf(where, sizeof where, "%s:%lu", shown, lineno);
		if (!whole && !gzeof(gz)) {
			x->invalid++;
			fprintf(stderr, "%s: line longer than %u bytes\n", where,
			        LINE_MAX_BYTES - 2);
			cut = true;
			continue;
		}
		if (take_line(x, where, line, n) != 0) {
			rc = -2;
			break;
		}
	}
	int zerr = Z_OK;
	const char *msg = gzerror(gz, &zerr);
	if (rc == 0 && zerr != Z_OK && zerr != Z_STREAM_END) {
		fprintf(stderr, "crix export: %s: %s\n", shown,
		        zerr == Z_ERRNO ? strerror(errno) : msg);
		rc = -1;
	}
	gzclose(gz);
	return rc;
}

/* "N indicators exported, M skipped (phone: 1, iban: 2)" and the rest. */
static void summary(const struct export *x)
{
	unsigned long skipped = 0;
	for (int t = 0; t < IOC_TYPE_COUNT; t++)
		skipped += x->skipped[t];
	fprintf(stderr, "crix export: %lu indicator%s exported, %lu skipped", x->exported,
	        x->exported == 1 ? "" : "s", skipped);
	if (skipped > 0) {
		const char *sep = " (";
		for (int t = 0; t < IOC_TYPE_COUNT; t++)
			if (x->skipped[t] > 0) {
				fprintf(stderr, "%s%s: %lu", sep, ioc_type_name((enum ioc_type)t),
				        x->skipped[t]);
				sep = ", ";
			}
		fprintf(stderr, ": no STIX 2.1 object)");
	}
	if (x->duplicates > 0)
		fprintf(stderr, ", %lu duplicate%s", x->duplicates, x->duplicates == 1 ? "" : "s");
	if (x->filtered > 0)
		fprintf(stderr, ", %lu left out by --type", x->filtered);
	if (x->invalid > 0)
		fprintf(stderr, ", %lu invalid", x->invalid);
	fprintf(stderr, "; TLP:%s\n", tlp_name(x->prod.tlp));
}

/* Writes the head of the bundle: its id, the marking, the identity. */
static int bundle_head(struct export *x)
{
	char id[STIX_ID_MAX];
	stix_bundle_id(id);
	jsonw_out_str(x->out, "{\"type\":\"bundle\",\"id\":\"");
	jsonw_out_str(x->out, id);
	jsonw_out_str(x->out, "\",\"objects\":[\n");
	json_t *m = stix_tlp_marking(x->prod.tlp);
	int rc = m == NULL ? -1 : write_object(x, m);
	json_decref(m);
	if (rc == 0 && x->prod.identity_id[0] != '\0') {
		json_t *i = stix_identity(&x->prod);
		rc = i == NULL ? -1 : write_object(x, i);
		json_decref(i);
	}
	return rc;
}

/* ---- --data: reports, cases, organisations and sightings of a store ---- */

/* The reports' STIX ids by crix report id, for the cases' groupings. */
struct rep_id {
	int64_t report, case_id;
	char id[STIX_ID_MAX];
	char created[CLOCK_ISO_LEN];
};

static int write_owned(struct export *x, json_t *o)
{
	int rc = o == NULL ? -1 : write_object(x, o);
	json_decref(o);
	return rc;
}

static int export_orgs(struct export *x, struct store *s, struct crix_error *err)
{
	int64_t after = 0;
	for (;;) {
		struct store_org *a;
		size_t n;
		int rc = store_org_list(s, after, 500, &a, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < n && rc == 0; i++) {
			char id[STIX_ID_MAX];
			/* the producer's identity is in the bundle's head already */
			json_t *o = stix_org_identity(&x->prod, a[i].name, a[i].kind, id, err);
			if (o != NULL && strcmp(id, x->prod.identity_id) == 0) {
				json_decref(o);
				continue;
			}
			rc = write_owned(x, o) != 0 ? (err->code ? err->code : CRIX_EIO) : 0;
			x->n_orgs++;
		}
		if (n > 0)
			after = a[n - 1].id;
		free(a);
		if (rc != 0 || n < 500)
			return rc;
	}
}

/*
 * One report: its indicators found in the suspect's details (never the
 * victim's, never free text, which may name the victim) as objects, and a
 * report object referring to them.  The victim's details are not read:
 * the reports come from store_report_brief_scan, which leaves them out.
 */
static int export_report(struct export *x, struct store *s, const struct store_report *r,
                         char id[STIX_ID_MAX], struct crix_error *err)
{
	struct store_indicator *ind;
	size_t n;
	id[0] = '\0';
	int rc = store_indicator_list(s, r->id, 10000, &ind, &n, err);
	if (rc != 0)
		return rc;
	x->refs = json_array();
	char where[64];
	snprintf(where, sizeof where, "report %s", r->ref);
	for (size_t i = 0; i < n && rc == 0 && x->refs != NULL; i++) {
		enum ioc_type t = ioc_type_from_name(ind[i].type);
		if (strncmp(ind[i].field, "suspect.", 8) != 0 || t == IOC_NONE)
			continue;
		rc = take(x, where, t, ind[i].value, strlen(ind[i].value));
	}
	store_indicator_array_free(ind, n);
	json_t *refs = x->refs;
	x->refs = NULL;
	if (rc != 0 || refs == NULL) {
		json_decref(refs);
		return rc != 0 ? CRIX_EIO : crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	if (json_array_size(refs) == 0) {
		x->no_objects++; /* nothing a STIX report could refer to */
		json_decref(refs);
		return 0;
	}
	char desc[256];
	if (r->loss_minor > 0)
		snprintf(desc, sizeof desc, "%s report of %s; loss %lld.%02lld %s", r->kind,
		         r->category, (long long)(r->loss_minor / 100),
		         (long long)(r->loss_minor % 100), r->currency);
	else
		snprintf(desc, sizeof desc, "%s report of %s", r->kind, r->category);
	json_t *o = stix_report(&x->prod, r->ref, r->created, r->category, desc, refs, id, err);
	json_decref(refs);
	if (o == NULL)
		return err->code ? err->code : CRIX_ENOMEM;
	x->n_reports++;
	return write_owned(x, o) != 0 ? CRIX_EIO : 0;
}

static int cmp_case(const void *a, const void *b)
{
	const struct rep_id *x = a, *y = b;
	return x->case_id < y->case_id ? -1 : x->case_id > y->case_id ? 1 : 0;
}

/* Cases of two or more exported reports as reports of their reports
 * (label "case").  Not groupings: the official bundle schema lists no
 * grouping, and validators of bundles reject one. */
static int export_cases(struct export *x, struct store *s, struct rep_id *ids, size_t n,
                        struct crix_error *err)
{
	qsort(ids, n, sizeof *ids, cmp_case);
	int rc = 0;
	for (size_t i = 0, j; i < n && rc == 0; i = j) {
		for (j = i + 1; j < n && ids[j].case_id == ids[i].case_id; j++)
			;
		if (j - i < 2)
			continue;
		char ref[STORE_REF_MAX], st[STORE_SHORT_MAX], name[64], desc[96], gid[STIX_ID_MAX];
		if ((rc = store_report_ref(s, ids[i].case_id, ref, st, err)) != 0)
			return rc;
		snprintf(name, sizeof name, "case %s", ref);
		snprintf(desc, sizeof desc, "%zu reports linked through shared indicators", j - i);
		json_t *refs = json_array();
		for (size_t k = i; k < j && refs != NULL; k++)
			json_array_append_new(refs, json_string(ids[k].id));
		/* published: as of its latest report */
		const char *published = ids[i].created;
		for (size_t k2 = i; k2 < j; k2++)
			if (strcmp(ids[k2].created, published) > 0)
				published = ids[k2].created;
		json_t *o =
		        refs ? stix_report(&x->prod, name, published, "case", desc, refs, gid, err)
		             : NULL;
		json_decref(refs);
		if (o == NULL)
			return err->code ? err->code : CRIX_ENOMEM;
		rc = write_owned(x, o) != 0 ? CRIX_EIO : 0;
		x->n_cases++;
	}
	return rc;
}

static int export_reports(struct export *x, struct store *s, struct crix_error *err)
{
	struct cases *k = NULL;
	uint64_t n_ind;
	int rc = x->cases ? cases_open(s, 0, NULL, &k, &n_ind, err) : 0;
	struct rep_id *ids = NULL;
	size_t n_ids = 0, cap = 0;
	int64_t after = 0;
	while (rc == 0) {
		struct store_report *a;
		size_t n;
		if ((rc = store_report_brief_scan(s, after, 500, &a, &n, err)) != 0)
			break;
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (x->status != NULL && strcmp(a[i].status, x->status) != 0)
				continue;
			/* The reporter decides who may have the report: without consent
			 * it stays home (and out of the cases, which are of exported
			 * reports only). */
			char *body = NULL;
			if ((rc = store_report_body(s, a[i].id, &body, err)) != 0)
				break;
			bool consented =
			        report_consented(body, x->law ? "share_with_law_enforcement"
			                                      : "share_with_partners");
			free(body);
			if (!consented) {
				x->no_consent++;
				continue;
			}
			char id[STIX_ID_MAX];
			rc = export_report(x, s, &a[i], id, err);
			if (rc != 0 || id[0] == '\0' || k == NULL)
				continue;
			if (n_ids == cap) {
				cap = cap ? cap * 2 : 256;
				struct rep_id *p = realloc(ids, cap * sizeof *p);
				if (p == NULL) {
					rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
					break;
				}
				ids = p;
			}
			uint32_t size;
			ids[n_ids].report = a[i].id;
			ids[n_ids].case_id = cases_of(k, a[i].id, &size);
			if (ids[n_ids].case_id == 0)
				ids[n_ids].case_id = a[i].id;
			memcpy(ids[n_ids].id, id, sizeof id);
			memcpy(ids[n_ids].created, a[i].created, sizeof ids[n_ids].created);
			n_ids++;
		}
		if (n > 0)
			after = a[n - 1].id;
		store_report_array_free(a, n);
		if (n < 500)
			break;
	}
	if (rc == 0 && k != NULL)
		rc = export_cases(x, s, ids, n_ids, err);
	free(ids);
	cases_free(k);
	return rc;
}

/* Every sighting partners reported, with the reporting organisations'
 * identities (where_sighted_refs) written before them, once each (with
 * --orgs they are all there already). */
static int export_sightings(struct export *x, struct store *s, struct crix_error *err)
{
	int64_t after = 0, *done = NULL;
	size_t n_done = 0, cap_done = 0;
	int rc = 0;
	for (;;) {
		struct store_sighting *a;
		size_t n;
		if ((rc = store_sighting_page(s, NULL, after, 1000, &a, &n, err)) != 0)
			break;
		for (size_t i = 0; i < n && rc == 0; i++) {
			struct store_org o;
			char oid[STIX_ID_MAX] = "";
			if (store_org_get(s, a[i].org_id, &o, err) == 0) {
				json_t *ident =
				        stix_org_identity(&x->prod, o.name, o.kind, oid, err);
				size_t k = 0;
				while (k < n_done && done[k] != o.id)
					k++;
				bool write = !x->orgs && k == n_done &&
				             strcmp(oid, x->prod.identity_id) != 0;
				if (write && n_done == cap_done) {
					cap_done = cap_done ? cap_done * 2 : 16;
					int64_t *d = realloc(done, cap_done * sizeof *d);
					if (d == NULL) {
						json_decref(ident);
						rc = crix_error_set(err, CRIX_ENOMEM,
						                    "out of memory");
						break;
					}
					done = d;
				}
				if (write) {
					done[n_done++] = o.id;
					rc = write_owned(x, ident) != 0 ? CRIX_EIO : 0;
				} else {
					json_decref(ident);
				}
			}
			crix_error_clear(err);
			json_t *sg = stix_sighting(&x->prod, a[i].sid, a[i].stix_id, oid,
			                           a[i].count, a[i].first_seen, a[i].last_seen,
			                           a[i].place, a[i].observed, err);
			if (rc == 0)
				rc = write_owned(x, sg) != 0 ? CRIX_EIO : 0;
			else
				json_decref(sg);
			x->n_sightings++;
		}
		if (n > 0)
			after = a[n - 1].id;
		free(a);
		if (rc != 0 || n < 1000)
			break;
	}
	free(done);
	return rc;
}

static int export_store(struct export *x)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/crix.db", x->data);
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "crix export: %s: no crix database here (wrong --data?)\n", path);
		return 1;
	}
	struct crix_error err = {0};
	struct store *s = NULL;
	int rc = store_open(NULL, x->data, &s, &err);
	if (rc == 0 && x->orgs)
		rc = export_orgs(x, s, &err);
	if (rc == 0 && (x->reports || x->cases))
		rc = export_reports(x, s, &err);
	if (rc == 0 && x->sightings)
		rc = export_sightings(x, s, &err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "crix export: %s\n",
		        err.msg[0]    ? err.msg
		        : x->out->err ? strerror(x->out->err)
		                      : "writing output failed");
		return 1;
	}
	fprintf(stderr,
	        "crix export: %lu reports (%lu without an exportable indicator left out, %lu "
	        "without consent to share with %s left out), %lu cases, %lu organisations, %lu "
	        "sightings\n",
	        x->n_reports, x->no_objects, x->no_consent, x->law ? "law enforcement" : "partners",
	        x->n_cases, x->n_orgs, x->n_sightings);
	return 0;
}

static int run(struct export *x, int argc, char **argv, int i)
{
	char *line = malloc(LINE_MAX_BYTES);
	x->refanged = malloc(LINE_MAX_BYTES);
	if (line == NULL || x->refanged == NULL) {
		free(line);
		fprintf(stderr, "crix export: out of memory\n");
		return 2;
	}
	int failed = 0;
	if (bundle_head(x) != 0) {
		fprintf(stderr, "crix export: writing output: %s\n",
		        x->out->err ? strerror(x->out->err) : "out of memory");
		failed = 1;
	} else if (x->data != NULL) {
		failed = export_store(x);
	} else if (i >= argc) {
		failed = export_stream(x, NULL, line) != 0;
	} else {
		for (; i < argc; i++) {
			int rc = export_stream(x, strcmp(argv[i], "-") == 0 ? NULL : argv[i], line);
			failed |= rc != 0;
			if (rc == -2)
				break;
		}
	}
	free(line);
	return failed;
}

int cli_export(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "misp") == 0)
		return cli_export_misp(argc, argv);
	if (argc < 2 || strcmp(argv[1], "stix") != 0) {
		fprintf(stderr, "crix export: %s%s%s (see 'crix export --help')\n",
		        argc < 2 ? "which format? stix or misp" : "unknown format '",
		        argc < 2 ? "" : argv[1], argc < 2 ? "" : "'; stix or misp");
		return 2;
	}
	const char *org = NULL, *time = NULL;
	enum tlp tlp = TLP_AMBER;
	struct export x = {0};
	int i = 2;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--refang") == 0) {
			x.refang = true;
		} else if (strcmp(a, "--reports") == 0) {
			x.reports = true;
		} else if (strcmp(a, "--cases") == 0) {
			x.cases = true;
		} else if (strcmp(a, "--orgs") == 0) {
			x.orgs = true;
		} else if (strcmp(a, "--law-enforcement") == 0) {
			x.law = true;
		} else if (strcmp(a, "--sightings") == 0) {
			x.sightings = true;
		} else if (strcmp(a, "--tlp") == 0 || strcmp(a, "--org") == 0 ||
		           strcmp(a, "--type") == 0 || strcmp(a, "--time") == 0 ||
		           strcmp(a, "--data") == 0 || strcmp(a, "--status") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "crix export: %s needs a value\n", a);
				return 2;
			}
			const char *v = argv[++i];
			if (strcmp(a, "--tlp") == 0) {
				tlp = tlp_parse(v);
				if (tlp == 0) {
					fprintf(stderr,
					        "crix export: --tlp: unknown level '%s' (clear, "
					        "green, "
					        "amber, amber+strict, red)\n",
					        v);
					return 2;
				}
			} else if (strcmp(a, "--org") == 0) {
				org = v;
			} else if (strcmp(a, "--data") == 0) {
				x.data = v;
			} else if (strcmp(a, "--status") == 0) {
				x.status = v;
			} else if (strcmp(a, "--time") == 0) {
				time = v;
			} else if (cli_parse_types("export", v, &x.types) != 0) {
				return 2;
			}
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr,
			        "crix export: unknown option '%s' (see 'crix export --help')\n", a);
			return 2;
		} else {
			break;
		}
	}
	bool from_store = x.reports || x.cases || x.orgs || x.sightings;
	if (from_store != (x.data != NULL) || (from_store && i < argc) ||
	    ((x.status != NULL || x.law) && !x.reports && !x.cases)) {
		fprintf(stderr, "crix export: %s\n",
		        x.data == NULL && from_store ? "--reports, --cases, --orgs and --sightings "
		                                       "read a store: give --data DIR"
		        : x.data != NULL && !from_store ? "--data DIR: say what to export: "
		                                          "--reports, --cases, --orgs, --sightings"
		        : i < argc ? "--data reads a store, not FILEs: give one or the other"
		                   : "--status and --law-enforcement go with --reports or --cases");
		return 2;
	}
	struct crix_error err;
	if (stix_producer_init(&x.prod, tlp, org, time, &err) != 0) {
		fprintf(stderr, "crix export: --%s\n", err.msg);
		return 2;
	}
	struct ioc_ctx *ctx;
	if (ioc_ctx_new(&ctx, &err) != 0) {
		fprintf(stderr, "crix export: %s\n", err.msg);
		return 2;
	}
	x.ctx = ctx;
	struct jsonw_out out;
	if (jsonw_out_init(&out, STDOUT_FILENO, 1u << 16) != 0) {
		fprintf(stderr, "crix export: out of memory\n");
		ioc_ctx_free(ctx);
		return 2;
	}
	x.out = &out;
	int failed = run(&x, argc, argv, i);
	jsonw_out_str(&out, "\n]}\n");
	if (jsonw_out_flush(&out) != 0) {
		if (!failed)
			fprintf(stderr, "crix export: writing output: %s\n", strerror(out.err));
		failed = 1;
	}
	summary(&x);
	jsonw_out_free(&out);
	free(x.refanged);
	free(x.seen.slot);
	ioc_ctx_free(ctx);
	if (x.data != NULL)
		return failed ? 2 : x.n_reports + x.n_orgs + x.n_sightings + x.n_cases > 0 ? 0 : 1;
	return failed ? 2 : x.exported > 0 ? 0 : 1;
}
