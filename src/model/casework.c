#include "model/casework.h"

#include "ioc/callcode.h"
#include "model/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SET_MAX     256 /* distinct values of a criterion kept per case */
#define RECORDS_MAX 10000

/* ---- the case a request names ---- */

/* The case named by id (a case id or a report reference).  A merged id is
 * answered for its survivor (the API redirects before calling). */
static int find_case(const struct casework_env *env, const char *id, struct cases_handle *h,
                     struct crix_error *err)
{
	struct cases *k = env->reports->cases;
	if (cases_is_case_id(id))
		return cases_resolve_id(k, id, "id", h, err);
	char ref[REF_LEN + 1];
	struct crix_error e = {0};
	if (ref_parse(id, ref, &e) != 0)
		return crix_error_field(
		        err, "id", CRIX_EINVAL,
		        "id: a case id (CASE-2026-000123) or a report reference: %s", e.msg);
	struct store_report r;
	int rc = store_report_get(env->reports->store, ref, &r, err);
	if (rc == CRIX_ENOTFOUND)
		return crix_error_field(err, "id", CRIX_ENOTFOUND, "id: no report %s", ref);
	if (rc != 0)
		return rc;
	int64_t rid = r.id;
	store_report_clear(&r);
	return cases_handle_of(k, rid, h, err);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct store_case_record *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Every record filed under an id the case's reports carry, oldest first.
 * OUT: *out (store_case_record_array_free), *n. */
static int records_of(const struct casework_env *env, const struct cases_handle *h,
                      struct store_case_record **out, size_t *n, struct crix_error *err)
{
	int64_t seqs[256];
	size_t ns = cases_carried(env->reports->cases, h->anchor, seqs, 256);
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < ns; i++) {
		int64_t after = 0;
		for (;;) {
			struct store_case_record *page;
			size_t m;
			int rc = store_case_record_list(env->reports->store, seqs[i], after, 500,
			                                &page, &m, err);
			if (rc == 0 && *n + m > RECORDS_MAX)
				rc = crix_error_set(err, CRIX_ETOOBIG,
				                    "case %s: more than %d records", h->name,
				                    RECORDS_MAX);
			struct store_case_record *all =
			        rc == 0 && m ? realloc(*out, (*n + m) * sizeof *all) : *out;
			if (rc == 0 && m && all == NULL)
				rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
			if (rc != 0) {
				store_case_record_array_free(page, m);
				store_case_record_array_free(*out, *n);
				*out = NULL;
				*n = 0;
				return rc;
			}
			if (m == 0) {
				free(page);
				break;
			}
			*out = all;
			memcpy(all + *n, page, m * sizeof *page);
			*n += m;
			after = page[m - 1].id;
			free(page); /* the bodies moved into *out */
		}
	}
	if (*n > 1)
		qsort(*out, *n, sizeof **out, cmp_rec);
	return 0;
}

/* A record as JSON: its body with id, kind, at, actor and org_id. */
static json_t *record_json(const struct store_case_record *r)
{
	json_t *o = r->body != NULL ? json_loads(r->body, 0, NULL) : NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "at", json_string(r->at));
	json_object_set_new(o, "actor", json_string(r->actor));
	if (r->org_id)
		json_object_set_new(o, "org_id", json_integer(r->org_id));
	return o;
}

/* Was the case disseminated to org (0: to anyone)?  Over its records. */
static bool received_by(const struct store_case_record *recs, size_t n, int64_t org)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(recs[i].kind, "dissemination") == 0 &&
		    (org == 0 || recs[i].org_id == org))
			return true;
	return false;
}

/* The latest review, or NULL. */
static const struct store_case_record *last_review(const struct store_case_record *recs, size_t n)
{
	for (size_t i = n; i-- > 0;)
		if (strcmp(recs[i].kind, "review") == 0)
			return &recs[i];
	return NULL;
}

/* Fills r from body (borrowed; r->body is malloc'd) and writes it with its
 * audit entry into tx. */
static int put_record_tx(struct store_tx *tx, const struct principal *p,
                         const struct cases_handle *h, const char *kind, int64_t org, json_t *body,
                         struct store_case_record *r, struct crix_error *err)
{
	memset(r, 0, sizeof *r);
	r->case_seq = h->seq;
	snprintf(r->kind, sizeof r->kind, "%s", kind);
	clock_now_iso(r->at);
	snprintf(r->actor, sizeof r->actor, "%s", p->actor);
	r->org_id = org;
	r->body = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (r->body == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	char action[STORE_SHORT_MAX];
	snprintf(action, sizeof action, "case.%s", kind);
	int rc = store_case_record_insert(tx, r, err);
	if (rc == 0)
		rc = audit_append(tx, p->actor, action, "case", h->name, r->body, err);
	return rc;
}

/* Writes a record and its audit entry in one transaction.  body: the
 * record's JSON (borrowed). */
static int put_record(const struct casework_env *env, const struct principal *p,
                      const struct cases_handle *h, const char *kind, int64_t org, json_t *body,
                      struct store_case_record *r, struct crix_error *err)
{
	struct store_tx *tx;
	int rc = store_tx_begin(env->reports->store, &tx, err);
	if (rc != 0)
		return rc;
	rc = put_record_tx(tx, p, h, kind, org, body, r, err);
	if (rc == 0)
		rc = store_tx_commit(tx, err);
	else
		store_tx_rollback(tx);
	if (rc != 0) {
		free(r->body);
		r->body = NULL;
		return rc;
	}
	/* the statistics see it at once; a failure marks them for a rebuild */
	if (env->facts != NULL)
		casefacts_put(env->facts, r, NULL);
	return 0;
}

/* ---- input helpers ---- */

/* Rejects members of o other than the names given (the first is named). */
static int only(json_t *o, const char *const *names, size_t n, struct crix_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		size_t i = 0;
		while (i < n && strcmp(names[i], key) != 0)
			i++;
		if (i == n)
			return crix_error_field(err, key, CRIX_EINVAL, "%.60s: unknown member",
			                        key);
	}
	return 0;
}

/* A text member of 1..max-1 bytes with no control character but newline
 * and tab.  OUT: *s (NULL when absent and not required). */
static int text(json_t *o, const char *name, const char *field, size_t max, bool required,
                const char **s, struct crix_error *err)
{
	json_t *v = json_object_get(o, name);
	*s = NULL;
	if (v == NULL) {
		if (required)
			return crix_error_field(err, field, CRIX_EINVAL, "%s: is required", field);
		return 0;
	}
	size_t n = json_string_length(v);
	if (!json_is_string(v) || n == 0 || n >= max)
		return crix_error_field(err, field, CRIX_EINVAL, "%s: a string of 1 to %zu bytes",
		                        field, max - 1);
	const char *t = json_string_value(v);
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)t[i] < 0x20 && t[i] != '\n' && t[i] != '\t') || t[i] == 0x7f)
			return crix_error_field(err, field, CRIX_EINVAL,
			                        "%s: control character at byte %zu", field, i);
	*s = t;
	return 0;
}

static int body_object(json_t *in, struct crix_error *err)
{
	if (!json_is_object(in))
		return crix_error_field(err, "", CRIX_EINVAL, "the body must be a JSON object");
	return 0;
}

/* ---- review ---- */

static const char *const line_kinds[] = {"account", "phone", "email", "website",
                                         "wallet",  "ip",    "other"};

int casework_review(const struct casework_env *env, const struct principal *p, const char *id,
                    json_t *in, json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (!account_may_decide_cases(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "viability reviews are for analysts of the reporting side");
	int rc = body_object(in, err);
	const char *reason;
	if (rc == 0)
		rc = only(in, (const char *const[]){"viable", "reason", "lines_of_enquiry"}, 3,
		          err);
	if (rc == 0 && !json_is_boolean(json_object_get(in, "viable")))
		rc = crix_error_field(err, "viable", CRIX_EINVAL, "viable: true or false");
	if (rc == 0)
		rc = text(in, "reason", "reason", 4000, true, &reason, err);
	json_t *lines = json_object_get(in, "lines_of_enquiry"), *clean = json_array();
	if (rc == 0 && lines != NULL &&
	    (!json_is_array(lines) || json_array_size(lines) > CASEWORK_LINES_MAX))
		rc = crix_error_field(err, "lines_of_enquiry", CRIX_EINVAL,
		                      "lines_of_enquiry: an array of up to %d lines",
		                      CASEWORK_LINES_MAX);
	size_t i;
	json_t *l;
	if (rc == 0 && lines != NULL)
		json_array_foreach(lines, i, l)
		{
			char f[64], fk[80], fv[80], fn[80];
			snprintf(f, sizeof f, "lines_of_enquiry[%zu]", i);
			snprintf(fk, sizeof fk, "%s.kind", f);
			snprintf(fv, sizeof fv, "%s.value", f);
			snprintf(fn, sizeof fn, "%s.note", f);
			const char *kind, *value, *note;
			if (!json_is_object(l)) {
				rc = crix_error_field(err, f, CRIX_EINVAL,
				                      "%s: an object {kind, value, note}", f);
				break;
			}
			struct crix_error e2 = {0};
			if (only(l, (const char *const[]){"kind", "value", "note"}, 3, &e2) != 0) {
				rc = crix_error_field(err, f, CRIX_EINVAL, "%s.%s", f, e2.msg);
				break;
			}
			if ((rc = text(l, "kind", fk, 32, true, &kind, err)) ||
			    (rc = text(l, "value", fv, 512, true, &value, err)) ||
			    (rc = text(l, "note", fn, 2000, false, &note, err)))
				break;
			size_t k = 0;
			while (k < sizeof line_kinds / sizeof *line_kinds &&
			       strcmp(line_kinds[k], kind))
				k++;
			if (k == sizeof line_kinds / sizeof *line_kinds) {
				rc = crix_error_field(err, fk, CRIX_EINVAL,
				                      "%s: one of account, phone, email, website, "
				                      "wallet, ip, other",
				                      fk);
				break;
			}
			json_t *e = json_pack("{s:s,s:s}", "kind", kind, "value", value);
			if (e != NULL && note != NULL)
				json_object_set_new(e, "note", json_string(note));
			json_array_append_new(clean, e);
		}
	struct cases_handle h;
	if (rc == 0)
		rc = find_case(env, id, &h, err);
	if (rc != 0) {
		json_decref(clean);
		return rc;
	}
	bool viable = json_is_true(json_object_get(in, "viable"));
	json_t *body = json_pack("{s:s,s:b,s:s,s:o}", "case", h.name, "viable", viable, "reason",
	                         reason, "lines_of_enquiry", clean);
	struct store_case_record r;
	rc = body != NULL ? put_record(env, p, &h, "review", 0, body, &r, err)
	                  : crix_error_set(err, CRIX_ENOMEM, "out of memory");
	json_decref(body);
	if (rc != 0)
		return rc;
	json_t *rv = record_json(&r);
	free(r.body);
	*out = json_pack("{s:s,s:o}", "case", h.name, "review", rv);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

/* ---- the facts of a case that rules match on ---- */

struct cfacts {
	char *vals[JURIS_CRITS][SET_MAX];
	size_t nv[JURIS_CRITS];
	uint32_t *members;
	size_t n_members;
	/* where each suspect's country came from: [{"country", "type", "value",
	 * "ambiguous"}], up to SET_MAX distinct indicators (origins_more: more) */
	json_t *origins;
	bool origins_more;
};

static void cfacts_free(struct cfacts *f)
{
	for (int c = 0; c < JURIS_CRITS; c++)
		for (size_t i = 0; i < f->nv[c]; i++)
			free(f->vals[c][i]);
	free(f->members);
	json_decref(f->origins);
	f->origins = NULL;
}

static int cf_add(struct cfacts *f, enum juris_crit c, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return 0;
	for (size_t i = 0; i < f->nv[c]; i++)
		if (strcasecmp(f->vals[c][i], v) == 0)
			return 0;
	if (f->nv[c] == SET_MAX)
		return 0; /* enough to match on; the rest adds nothing new in practice */
	char *d = strdup(v);
	if (d == NULL)
		return CRIX_ENOMEM;
	f->vals[c][f->nv[c]++] = d;
	return 0;
}

/*
 * A suspect's country from an indicator: an IBAN's country (where the money
 * went) or a phone number's (its calling code, longest prefix:
 * ioc/callcode.h).  A number whose code several countries share, with
 * nothing longer in the table ("US/CA"), is kept as an origin marked
 * ambiguous but gives the rules no country: never a guess.
 */
static int suspect_country(struct cfacts *f, const struct store_indicator *ind)
{
	char cc[IOC_CALLCODE_ISO_MAX] = "";
	bool ambiguous = false;
	if (strcmp(ind->type, "iban") == 0 && strlen(ind->value) >= 2) {
		cc[0] = ind->value[0];
		cc[1] = ind->value[1];
	} else if (strcmp(ind->type, "phone") == 0) {
		struct ioc_callcode c;
		if (ioc_callcode_country(ind->value, &c) != 0)
			return 0; /* a non-geographic code: no country */
		snprintf(cc, sizeof cc, "%s", c.countries);
		ambiguous = c.ambiguous;
	} else {
		return 0;
	}
	if (!ambiguous && cf_add(f, JURIS_COUNTRY, cc) != 0)
		return CRIX_ENOMEM;
	size_t i;
	json_t *o;
	json_array_foreach(f->origins, i,
	                   o) if (strcmp(json_string_value(json_object_get(o, "value")),
	                                 ind->value) == 0) return 0;
	if (json_array_size(f->origins) == SET_MAX) {
		f->origins_more = true;
		return 0;
	}
	o = json_pack("{s:s,s:s,s:s,s:b}", "country", cc, "type", ind->type, "value", ind->value,
	              "ambiguous", ambiguous);
	if (o == NULL || json_array_append_new(f->origins, o) != 0)
		return CRIX_ENOMEM;
	return 0;
}

/* Regions, suspects' countries (of the IBANs and phone numbers the reports
 * name), categories and their articles, over the case's
 * reports (up to CASEWORK_MOVE_MAX: a larger case is not disseminated). */
static int gather(const struct casework_env *env, const struct cases_handle *h, struct cfacts *f,
                  struct crix_error *err)
{
	memset(f, 0, sizeof *f);
	if ((f->origins = json_array()) == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	int rc = cases_members(env->reports->cases, h->anchor, &f->members, &f->n_members, err);
	size_t n = f->n_members < CASEWORK_MOVE_MAX ? f->n_members : CASEWORK_MOVE_MAX;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct store_report r;
		rc = store_report_brief(env->reports->store, f->members[i], &r, err);
		if (rc != 0)
			break;
		if (cf_add(f, JURIS_REGION, r.region) || cf_add(f, JURIS_CATEGORY, r.category))
			rc = CRIX_ENOMEM;
		const struct offence *o = catalogue_offence(env->reports->cat, r.category);
		for (size_t a = 0; rc == 0 && o != NULL && a < o->n_directive; a++) {
			char t[32];
			snprintf(t, sizeof t, "directive:%d", o->directive[a]);
			rc = cf_add(f, JURIS_ARTICLE, t);
		}
		for (size_t a = 0; rc == 0 && o != NULL && a < o->n_budapest; a++) {
			char t[32];
			snprintf(t, sizeof t, "budapest:%d", o->budapest[a]);
			rc = cf_add(f, JURIS_ARTICLE, t);
		}
		store_report_clear(&r);
		struct store_indicator *inds = NULL;
		size_t ni = 0;
		if (rc == 0)
			rc = store_indicator_list(env->reports->store, f->members[i],
			                          REPORT_INDICATORS_MAX, &inds, &ni, err);
		for (size_t j = 0; rc == 0 && j < ni; j++)
			rc = suspect_country(f, &inds[j]);
		store_indicator_array_free(inds, ni);
	}
	if (rc == CRIX_ENOMEM)
		crix_error_set(err, rc, "out of memory");
	return rc;
}

static json_t *facts_json(const struct cfacts *f)
{
	json_t *o = json_object();
	for (int c = 0; c < JURIS_CRITS; c++) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->nv[c]; i++)
			json_array_append_new(a, json_string(f->vals[c][i]));
		json_object_set_new(o, juris_crit_name((enum juris_crit)c), a);
	}
	return o;
}

/* Sets "suspect_countries" (where each came from) and, when there were more
 * indicators than listed, "suspect_countries_truncated" into o. */
static void origins_into(json_t *o, const struct cfacts *f)
{
	json_object_set(o, "suspect_countries", f->origins);
	if (f->origins_more)
		json_object_set_new(o, "suspect_countries_truncated", json_true());
}

/* An organisation by id or exact name.  CRIX_ENOTFOUND when none. */
static int org_find(struct store *s, int64_t id, const char *name, struct store_org *o,
                    struct crix_error *err)
{
	if (id > 0)
		return store_org_get(s, id, o, err);
	int64_t after = 0;
	for (;;) {
		struct store_org *page;
		size_t n;
		int rc = store_org_list(s, after, 500, &page, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < n; i++)
			if (strcmp(page[i].name, name) == 0) {
				*o = page[i];
				free(page);
				return 0;
			}
		after = n ? page[n - 1].id : 0;
		free(page);
		if (n == 0)
			return crix_error_set(err, CRIX_ENOTFOUND, "no organisation '%.100s'",
			                      name);
	}
}

static json_t *org_json(const struct store_org *o)
{
	return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)o->id, "name", o->name, "country",
	                 o->country);
}

static json_t *rule_json(const struct juris_rule *r)
{
	return json_pack("{s:s,s:i,s:s}", "file", r->file, "index", r->index, "name", r->name);
}

/* Tries the rules in order, then the fallback.  OUT: *org (id 0 when no
 * rule gives a usable recipient), *rule (NULL then), skipped (appended). */
static int suggest(const struct casework_env *env, const struct cfacts *f, struct store_org *org,
                   const struct juris_rule **rule, json_t *skipped, struct crix_error *err)
{
	memset(org, 0, sizeof *org);
	*rule = NULL;
	const struct jurisdiction *j = env->juris;
	if (j == NULL)
		return 0;
	struct juris_case c;
	for (int k = 0; k < JURIS_CRITS; k++) {
		c.values[k] = (const char *const *)f->vals[k];
		c.n_values[k] = f->nv[k];
	}
	for (size_t i = 0; i <= j->n; i++) {
		const struct juris_rule *r = i < j->n ? &j->rules[i] : j->fallback;
		if (r == NULL || (i < j->n && !juris_rule_matches(r, &c)))
			continue;
		struct crix_error e = {0};
		int rc = org_find(env->reports->store, r->org_id, r->org, org, &e);
		if (rc == 0 && account_kind_parse(org->kind) == ORG_LAW_ENFORCEMENT) {
			*rule = r;
			return 0;
		}
		if (rc != 0 && rc != CRIX_ENOTFOUND)
			return crix_error_set(err, rc, "%s", e.msg);
		char why[256];
		snprintf(why, sizeof why, "%s",
		         rc != 0 ? "the organisation does not exist"
		                 : "the organisation is not law-enforcement");
		char where[320];
		snprintf(where, sizeof where, "%s: %s", r->file, i < j->n ? "rules" : "fallback");
		if (i < j->n)
			snprintf(where + strlen(where), sizeof where - strlen(where), "[%d]",
			         r->index);
		json_array_append_new(skipped,
		                      json_pack("{s:s,s:s}", "rule", where, "reason", why));
		memset(org, 0, sizeof *org);
	}
	return 0;
}

/* Reads the case: staff of the reporting side. */
static int may_read_case(const struct principal *p, struct crix_error *err)
{
	struct store_report probe = {.org_id = -1};
	if (!account_may_read_report(p, &probe))
		return crix_error_set(err, CRIX_EACCES,
		                      "cases are for staff of law-enforcement, CERT and "
		                      "public-sector organisations");
	return 0;
}

int casework_jurisdiction(const struct casework_env *env, const struct principal *p, const char *id,
                          json_t **out, struct crix_error *err)
{
	*out = NULL;
	struct cases_handle h;
	struct cfacts f;
	int rc = may_read_case(p, err);
	if (rc == 0)
		rc = find_case(env, id, &h, err);
	if (rc != 0)
		return rc;
	rc = gather(env, &h, &f, err);
	struct store_org org;
	const struct juris_rule *rule = NULL;
	json_t *skipped = json_array();
	if (rc == 0)
		rc = suggest(env, &f, &org, &rule, skipped, err);
	if (rc == 0)
		*out = json_pack("{s:s,s:o,s:o,s:o,s:o}", "case", h.name, "facts", facts_json(&f),
		                 "recipient", rule ? org_json(&org) : json_null(), "rule",
		                 rule ? rule_json(rule) : json_null(), "skipped", skipped);
	else
		json_decref(skipped);
	if (rc == 0 && *out != NULL)
		origins_into(*out, &f);
	cfacts_free(&f);
	if (rc == 0 && *out == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	return rc;
}

/* ---- moving the linked reports ---- */

/* The workflow's order; a report moves on one step at a time. */
static const char *const chain[] = {"received", "triaged", "under-review", "disseminated",
                                    "outcome"};
#define CHAIN_N (sizeof chain / sizeof *chain)

static size_t chain_at(const char *status)
{
	size_t i = 0;
	while (i < CHAIN_N && strcmp(chain[i], status) != 0)
		i++;
	return i;
}

/*
 * Writes the record (body, borrowed) and moves every report of the case
 * that is in one of from[] on to target, through each status before it
 * (received -> triaged -> under-review -> disseminated), all in one
 * transaction with their events and audit entries: either the record and
 * every move are stored, or nothing is (the error names the report that
 * could not move).  Reports in other statuses (closed, moved already) are
 * listed as not moved.  A case of more than CASEWORK_MOVE_MAX reports is
 * refused (CRIX_ETOOBIG) rather than moved in part.  OUT: *r (r->body
 * malloc'd), *moved: [{"reference", "status", "moved"}].
 */
static int record_and_move(const struct casework_env *env, const struct principal *p,
                           const struct cases_handle *h, const struct cfacts *f, const char *kind,
                           int64_t org, json_t *body, const char *const *from, size_t n_from,
                           const char *target, const char *outcome, const char *victim_note,
                           struct store_case_record *r, json_t **moved, struct crix_error *err)
{
	*moved = NULL;
	memset(r, 0, sizeof *r);
	if (f->n_members > CASEWORK_MOVE_MAX)
		return crix_error_field(err, "id", CRIX_ETOOBIG,
		                        "case %s: %zu reports; a case is disseminated and its "
		                        "reports moved in one transaction of at most %d reports: "
		                        "split the case first",
		                        h->name, f->n_members, CASEWORK_MOVE_MAX);
	struct store_report *rep = calloc(f->n_members ? f->n_members : 1, sizeof *rep);
	if (rep == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	int rc = 0;
	size_t n = 0, to = chain_at(target);
	/* read first, outside the transaction; the store's status check
	 * (from) catches a report changed in between, and fails it all */
	for (; rc == 0 && n < f->n_members; n++)
		rc = store_report_brief(env->reports->store, f->members[n], &rep[n], err);
	if (rc != 0)
		n--; /* rep[n] was not filled */
	struct store_tx *tx = NULL;
	if (rc == 0)
		rc = store_tx_begin(env->reports->store, &tx, err);
	if (rc == 0)
		rc = put_record_tx(tx, p, h, kind, org, body, r, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		size_t k = 0;
		while (k < n_from && strcmp(from[k], rep[i].status) != 0)
			k++;
		if (k == n_from)
			continue;
		for (size_t st = chain_at(rep[i].status) + 1; rc == 0 && st <= to; st++)
			rc = report_move_tx(env->reports, tx, p, &rep[i], chain[st - 1], chain[st],
			                    st == to ? outcome : NULL,
			                    st == to ? victim_note : NULL, err);
	}
	if (rc == 0)
		rc = store_tx_commit(tx, err);
	else if (tx != NULL)
		store_tx_rollback(tx);
	json_t *list = rc == 0 ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < n_from && strcmp(from[k], rep[i].status) != 0)
			k++;
		if (rc == 0) {
			for (size_t st = chain_at(rep[i].status) + 1; k < n_from && st <= to; st++)
				report_moved(env->reports, rep[i].id, chain[st],
				             st == to ? outcome : NULL);
			json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "reference",
			                                      rep[i].ref, "status",
			                                      k < n_from ? target : rep[i].status,
			                                      "moved", k < n_from));
		}
		store_report_clear(&rep[i]);
	}
	free(rep);
	if (rc != 0) {
		free(r->body);
		r->body = NULL;
		return rc;
	}
	if (env->facts != NULL)
		casefacts_put(env->facts, r, NULL);
	*moved = list;
	return 0;
}

/* The categories and articles of a case, kept in its records so that the
 * statistics count them as they were when the work was done. */
static void snapshot(json_t *body, const struct cfacts *f)
{
	json_t *a = json_array(), *c = json_array();
	for (size_t i = 0; i < f->nv[JURIS_ARTICLE]; i++)
		json_array_append_new(a, json_string(f->vals[JURIS_ARTICLE][i]));
	for (size_t i = 0; i < f->nv[JURIS_CATEGORY]; i++)
		json_array_append_new(c, json_string(f->vals[JURIS_CATEGORY][i]));
	json_object_set_new(body, "articles", a);
	json_object_set_new(body, "categories", c);
}

/* ---- dissemination ---- */

int casework_disseminate(const struct casework_env *env, const struct principal *p, const char *id,
                         json_t *in, json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (!account_may_decide_cases(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "dissemination is for analysts of the reporting side");
	int rc = body_object(in, err);
	const char *reason = NULL, *note = NULL;
	if (rc == 0)
		rc = only(in, (const char *const[]){"recipient", "reason", "note"}, 3, err);
	if (rc == 0)
		rc = text(in, "reason", "reason", 4000, false, &reason, err);
	if (rc == 0)
		rc = text(in, "note", "note", 4000, false, &note, err);
	json_t *want = json_object_get(in, "recipient");
	if (rc == 0 && want != NULL && !(json_is_integer(want) && json_integer_value(want) > 0) &&
	    !(json_is_string(want) && json_string_length(want) > 0 &&
	      json_string_length(want) < STORE_NAME_MAX))
		rc = crix_error_field(err, "recipient", CRIX_EINVAL,
		                      "recipient: an organisation id or name");
	struct cases_handle h;
	if (rc == 0)
		rc = find_case(env, id, &h, err);
	if (rc != 0)
		return rc;
	struct store_case_record *recs;
	size_t nr;
	if ((rc = records_of(env, &h, &recs, &nr, err)) != 0)
		return rc;
	const struct store_case_record *rv = last_review(recs, nr);
	json_t *rvj = rv != NULL ? record_json(rv) : NULL;
	bool viable = rvj != NULL && json_is_true(json_object_get(rvj, "viable"));
	json_decref(rvj);
	store_case_record_array_free(recs, nr);
	if (!viable)
		return crix_error_field(err, "id", CRIX_EEXIST,
		                        "case %s: review it as viable first (POST .../review)",
		                        h.name);
	struct cfacts f;
	rc = gather(env, &h, &f, err);
	struct store_org rule_org, org;
	const struct juris_rule *rule = NULL;
	json_t *skipped = json_array();
	if (rc == 0)
		rc = suggest(env, &f, &rule_org, &rule, skipped, err);
	json_decref(skipped);
	if (rc == 0 && want != NULL) {
		struct crix_error e = {0};
		int r2 = org_find(env->reports->store,
		                  json_is_integer(want) ? json_integer_value(want) : 0,
		                  json_string_value(want), &org, &e);
		if (r2 == CRIX_ENOTFOUND)
			rc = crix_error_field(err, "recipient", CRIX_EINVAL,
			                      "recipient: no such organisation");
		else if (r2 != 0)
			rc = crix_error_set(err, r2, "%s", e.msg);
		else if (account_kind_parse(org.kind) != ORG_LAW_ENFORCEMENT)
			rc = crix_error_field(
			        err, "recipient", CRIX_EINVAL,
			        "recipient: '%s' is not a law-enforcement organisation", org.name);
		else if ((rule == NULL || org.id != rule_org.id) && reason == NULL)
			rc = crix_error_field(
			        err, "reason", CRIX_EINVAL,
			        "reason: required when the recipient is not the one the "
			        "jurisdiction rules choose");
	} else if (rc == 0) {
		if (rule == NULL)
			rc = crix_error_field(
			        err, "recipient", CRIX_EINVAL,
			        "recipient: no jurisdiction rule chooses one for this "
			        "case; name one (with a reason)");
		org = rule_org;
	}
	json_t *body = NULL;
	struct store_case_record r = {0};
	if (rc == 0) {
		body = json_pack("{s:s,s:o,s:o,s:b}", "case", h.name, "recipient", org_json(&org),
		                 "rule", rule ? rule_json(rule) : json_null(), "overridden",
		                 rule == NULL || org.id != rule_org.id);
		if (body == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	if (rc == 0) {
		if (reason != NULL)
			json_object_set_new(body, "reason", json_string(reason));
		if (note != NULL)
			json_object_set_new(body, "note", json_string(note));
		snapshot(body, &f);
	}
	json_t *moved = NULL;
	if (rc == 0) {
		char vnote[STORE_NAME_MAX + 96];
		snprintf(vnote, sizeof vnote, "Your report was passed to %s for investigation.",
		         org.name);
		static const char *const from[] = {"received", "triaged", "under-review"};
		rc = record_and_move(env, p, &h, &f, "dissemination", org.id, body, from, 3,
		                     "disseminated", NULL, vnote, &r, &moved, err);
	}
	json_decref(body);
	cfacts_free(&f);
	if (rc != 0)
		return rc;
	json_t *d = record_json(&r);
	free(r.body);
	*out = json_pack("{s:s,s:o,s:o}", "case", h.name, "dissemination", d, "reports", moved);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

/* ---- the crime package ---- */

/* May p read the package and outcomes of a case with these records? */
static int may_read_package(const struct principal *p, const struct store_case_record *recs,
                            size_t n, struct crix_error *err)
{
	bool recipient = p->org_id > 0 && received_by(recs, n, p->org_id);
	if (!account_may_read_package(p, recipient))
		return crix_error_set(err, CRIX_EACCES,
		                      "the crime package is for the organisation that received the "
		                      "case and the reporting centre");
	return 0;
}

/* The case named id and its records, for a caller who may read its package.
 * OUT: *h, *recs (free with store_case_record_array_free even on error), *n. */
static int readable_case(const struct casework_env *env, const struct principal *p, const char *id,
                         struct cases_handle *h, struct store_case_record **recs, size_t *n,
                         struct crix_error *err)
{
	int rc = find_case(env, id, h, err);
	if (rc == 0)
		rc = records_of(env, h, recs, n, err);
	if (rc == 0)
		rc = may_read_package(p, *recs, *n, err);
	return rc;
}

int casework_package(const struct casework_env *env, const struct principal *p, const char *id,
                     json_t **out, struct crix_error *err)
{
	*out = NULL;
	struct cases_handle h;
	struct store_case_record *recs = NULL;
	size_t nr = 0;
	int rc = readable_case(env, p, id, &h, &recs, &nr, err);
	uint32_t *m = NULL;
	size_t nm = 0;
	if (rc == 0)
		rc = cases_members(env->reports->cases, h.anchor, &m, &nm, err);
	if (rc != 0) {
		store_case_record_array_free(recs, nr);
		return rc;
	}
	bool victims = account_may_see_victim(p);
	json_t *reports = json_array(), *inds = json_object(), *evidence = json_array();
	size_t n = nm < CASEWORK_REPORTS_MAX ? nm : CASEWORK_REPORTS_MAX;
	char first[STORE_REF_MAX] = "";
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char ref[STORE_REF_MAX], st[STORE_SHORT_MAX];
		rc = store_report_ref(env->reports->store, m[i], ref, st, err);
		json_t *v = NULL;
		if (rc == 0)
			rc = report_view(env->reports, p, ref, victims, &v, err);
		if (rc != 0)
			break;
		if (m[i] == h.anchor)
			snprintf(first, sizeof first, "%s", ref);
		static const char *const keep[] = {
		        "reference", "kind",     "category",    "status",         "outcome",
		        "created",   "occurred", "loss",        "payment_method", "channel",
		        "region",    "country",  "victim_type", "vulnerable"};
		json_t *o = json_object();
		for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
			json_t *x = json_object_get(v, keep[k]);
			if (x != NULL)
				json_object_set(o, keep[k], x);
		}
		json_t *body = json_object_get(v, "report");
		json_t *desc = json_object_get(body, "description");
		if (desc != NULL)
			json_object_set(o, "description", desc);
		if (victims && json_object_get(v, "victim") != NULL)
			json_object_set(o, "victim", json_object_get(v, "victim"));
		size_t j;
		json_t *x;
		json_array_foreach(json_object_get(v, "indicators"), j, x)
		{
			char key[4200];
			snprintf(key, sizeof key, "%s\t%s",
			         json_string_value(json_object_get(x, "type")),
			         json_string_value(json_object_get(x, "value")));
			json_t *e = json_object_get(inds, key);
			if (e == NULL) {
				e = json_pack("{s:O,s:O,s:[]}", "type", json_object_get(x, "type"),
				              "value", json_object_get(x, "value"), "reports");
				json_object_set_new(inds, key, e);
			}
			json_t *rs = json_object_get(e, "reports");
			size_t q;
			json_t *y;
			bool have = false;
			json_array_foreach(rs, q, y) have =
			        have || strcmp(json_string_value(y), ref) == 0;
			if (!have)
				json_array_append_new(rs, json_string(ref));
		}
		json_array_foreach(json_object_get(v, "evidence"), j, x)
		{
			json_array_append_new(evidence,
			                      json_pack("{s:s,s:O,s:O,s:O,s:O}", "report", ref,
			                                "name", json_object_get(x, "name"), "size",
			                                json_object_get(x, "size"), "sha256",
			                                json_object_get(x, "sha256"), "type",
			                                json_object_get(x, "type")));
		}
		json_array_append_new(reports, o);
		json_decref(v);
	}
	free(m);
	json_t *ind_list = json_array();
	const char *key;
	json_t *val;
	json_object_foreach(inds, key, val) json_array_append(ind_list, val);
	json_decref(inds);
	json_t *review = json_null(), *diss = json_array(), *outs = json_array();
	for (size_t i = 0; i < nr; i++) {
		json_t *r = record_json(&recs[i]);
		if (strcmp(recs[i].kind, "review") == 0) {
			json_decref(review);
			review = r;
		} else if (strcmp(recs[i].kind, "dissemination") == 0) {
			json_array_append_new(diss, r);
		} else {
			json_array_append_new(outs, r);
		}
	}
	store_case_record_array_free(recs, nr);
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	if (rc == 0)
		*out = json_pack("{s:s,s:s,s:s,s:I,s:b,s:b,s:o,s:O,s:o,s:o,s:o,s:o,s:o}", "case",
		                 h.name, "first_reference", first, "generated", now, "size",
		                 (json_int_t)nm, "truncated", nm > n, "victim_data", victims,
		                 "review", review, "lines_of_enquiry",
		                 json_is_object(review)
		                         ? json_object_get(review, "lines_of_enquiry")
		                         : json_null(),
		                 "disseminations", diss, "outcomes", outs, "reports", reports,
		                 "indicators", ind_list, "evidence", evidence);
	if (rc == 0 && *out == NULL) /* json_pack released what it was given */
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	if (rc != 0) {
		json_decref(review);
		json_decref(diss);
		json_decref(outs);
		json_decref(reports);
		json_decref(ind_list);
		json_decref(evidence);
		return rc;
	}
	if (json_object_get(*out, "lines_of_enquiry") == NULL)
		json_object_set_new(*out, "lines_of_enquiry", json_array());
	/* the suspects' countries, each with the indicator it came from */
	struct cfacts f;
	if ((rc = gather(env, &h, &f, err)) == 0)
		origins_into(*out, &f);
	cfacts_free(&f);
	if (rc != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- the package as a printable page ---- */

#define HTML_MAX (16u << 20)

struct hbuf {
	char *p;
	size_t n, cap;
	bool bad;
};

static void put(struct hbuf *b, const char *s, size_t n)
{
	if (b->bad)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 8192;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *q = cap <= HTML_MAX ? realloc(b->p, cap) : NULL;
		if (q == NULL) {
			b->bad = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void lit(struct hbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Text, escaped for HTML element content and attribute values. */
static void esc(struct hbuf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&': lit(b, "&amp;"); break;
		case '<': lit(b, "&lt;"); break;
		case '>': lit(b, "&gt;"); break;
		case '"': lit(b, "&quot;"); break;
		case '\'': lit(b, "&#39;"); break;
		default: put(b, s, 1);
		}
	}
}

/* Any JSON value as text: strings as they are, the rest as compact JSON. */
static void esc_json(struct hbuf *b, const json_t *v)
{
	if (v == NULL || json_is_null(v))
		return;
	if (json_is_string(v)) {
		esc(b, json_string_value(v));
		return;
	}
	char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	esc(b, t);
	free(t);
}

static void cell(struct hbuf *b, const json_t *v)
{
	lit(b, "<td>");
	esc_json(b, v);
	lit(b, "</td>");
}

/* A column of a package table: its heading and the member it shows ("a.b":
 * member b of member a). */
struct col {
	const char *head, *key;
};

static const json_t *member(const json_t *x, const char *key)
{
	const char *dot = strchr(key, '.');
	if (dot == NULL)
		return json_object_get(x, key);
	char first[32];
	snprintf(first, sizeof first, "%.*s", (int)(dot - key), key);
	return json_object_get(json_object_get(x, first), dot + 1);
}

/* A heading and a table with a row per element of rows. */
static void table(struct hbuf *b, const char *title, const json_t *rows, const struct col *cols,
                  size_t n_cols)
{
	lit(b, "<h2>");
	lit(b, title);
	lit(b, "</h2><table><tr>");
	for (size_t c = 0; c < n_cols; c++) {
		lit(b, "<th>");
		lit(b, cols[c].head);
		lit(b, "</th>");
	}
	lit(b, "</tr>");
	size_t i;
	const json_t *x;
	json_array_foreach(rows, i, x)
	{
		lit(b, "<tr>");
		for (size_t c = 0; c < n_cols; c++)
			cell(b, member(x, cols[c].key));
		lit(b, "</tr>");
	}
	lit(b, "</table>\n");
}

char *casework_package_html(const json_t *pkg)
{
	struct hbuf b = {0};
	const char *name = json_string_value(json_object_get(pkg, "case"));
	lit(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	        "<title>Crime package ");
	esc(&b, name);
	lit(&b, "</title><style>"
	        "body{font:11pt/1.4 serif;margin:2em;color:#000}"
	        "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}"
	        "th,td{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top;"
	        "word-break:break-word}th{background:#eee}h1{font-size:16pt}h2{font-size:13pt;"
	        "border-bottom:1px solid #000}.restricted{font-weight:bold}"
	        "@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}"
	        "@page{margin:15mm}}"
	        "</style></head><body>\n");
	lit(&b, "<p class=\"restricted\">OFFICIAL-SENSITIVE: law enforcement use only</p>");
	lit(&b, "<h1>Crime package ");
	esc(&b, name);
	lit(&b, "</h1>\n<p>First report ");
	esc_json(&b, json_object_get(pkg, "first_reference"));
	lit(&b, "; ");
	esc_json(&b, json_object_get(pkg, "size"));
	lit(&b, " report(s); generated ");
	esc_json(&b, json_object_get(pkg, "generated"));
	lit(&b, ".</p>\n");
	size_t i;
	json_t *x;
	static const struct col dissem[] = {{"When", "at"},
	                                    {"To", "recipient.name"},
	                                    {"Rule", "rule.name"},
	                                    {"Reason", "reason"}};
	table(&b, "Dissemination", json_object_get(pkg, "disseminations"), dissem, 4);
	lit(&b, "<h2>Viability review</h2>");
	const json_t *rv = json_object_get(pkg, "review");
	if (json_is_object(rv)) {
		lit(&b, "<p>");
		lit(&b, json_is_true(json_object_get(rv, "viable")) ? "Viable" : "Not viable");
		lit(&b, " (");
		esc_json(&b, json_object_get(rv, "actor"));
		lit(&b, ", ");
		esc_json(&b, json_object_get(rv, "at"));
		lit(&b, "): ");
		esc_json(&b, json_object_get(rv, "reason"));
		lit(&b, "</p>");
	} else {
		lit(&b, "<p>Not reviewed.</p>");
	}
	static const struct col lines[] = {{"Kind", "kind"}, {"Value", "value"}, {"Note", "note"}};
	table(&b, "Lines of enquiry", json_object_get(pkg, "lines_of_enquiry"), lines, 3);
	lit(&b, "<h2>Reports</h2><table><tr><th>Reference</th><th>Category</th>"
	        "<th>Reported</th><th>Occurred</th><th>Loss</th><th>Channel</th><th>Region</th>"
	        "<th>Status</th></tr>");
	json_array_foreach(json_object_get(pkg, "reports"), i, x)
	{
		lit(&b, "<tr>");
		cell(&b, json_object_get(x, "reference"));
		cell(&b, json_object_get(x, "category"));
		cell(&b, json_object_get(x, "created"));
		const json_t *occ = json_object_get(x, "occurred"),
		             *loss = json_object_get(x, "loss");
		lit(&b, "<td>");
		esc_json(&b, json_object_get(occ, "start"));
		lit(&b, " ");
		esc_json(&b, json_object_get(occ, "end"));
		lit(&b, "</td><td>");
		json_int_t minor = json_integer_value(json_object_get(loss, "amount_minor"));
		if (minor > 0) { /* in minor units; shown as they are with the currency */
			char t[64];
			snprintf(t, sizeof t, "%lld (minor units) ", (long long)minor);
			lit(&b, t);
			esc_json(&b, json_object_get(loss, "currency"));
		}
		lit(&b, "</td>");
		cell(&b, json_object_get(x, "channel"));
		cell(&b, json_object_get(x, "region"));
		cell(&b, json_object_get(x, "status"));
		lit(&b, "</tr>");
		if (json_object_get(x, "description") != NULL) {
			lit(&b, "<tr><td colspan=\"8\">");
			esc_json(&b, json_object_get(x, "description"));
			lit(&b, "</td></tr>");
		}
		if (json_object_get(x, "victim") != NULL) {
			lit(&b, "<tr><td colspan=\"8\" class=\"restricted\">Victim: ");
			esc_json(&b, json_object_get(x, "victim"));
			lit(&b, "</td></tr>");
		}
	}
	lit(&b, "</table>\n");
	static const struct col countries[] = {
	        {"Country", "country"}, {"From", "type"}, {"Indicator", "value"}};
	table(&b,
	      "Suspects' countries (from IBANs and phone numbers; \"US/CA\": the code alone "
	      "cannot tell)",
	      json_object_get(pkg, "suspect_countries"), countries, 3);
	static const struct col inds[] = {
	        {"Type", "type"}, {"Value", "value"}, {"Reports", "reports"}};
	table(&b, "Indicators", json_object_get(pkg, "indicators"), inds, 3);
	static const struct col evidence[] = {
	        {"Report", "report"}, {"File", "name"}, {"Bytes", "size"}, {"SHA-256", "sha256"}};
	table(&b, "Evidence", json_object_get(pkg, "evidence"), evidence, 4);
	static const struct col outcomes[] = {{"Suspect", "suspect"},
	                                      {"Outcome", "outcome"},
	                                      {"Date", "date"},
	                                      {"Legal article", "legal_article"}};
	table(&b, "Outcomes", json_object_get(pkg, "outcomes"), outcomes, 4);
	lit(&b, "</body></html>\n");
	if (b.bad) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* ---- outcomes ---- */

static const char *const outcome_kinds[] = {"charged",   "convicted", "acquitted",
                                            "cautioned", "disrupted", "no-further-action"};

/* The report status's outcome code for a suspect's outcome. */
static const char *report_outcome(const char *o)
{
	if (strcmp(o, "charged") == 0 || strcmp(o, "convicted") == 0 || strcmp(o, "acquitted") == 0)
		return "judicial";
	if (strcmp(o, "cautioned") == 0 || strcmp(o, "disrupted") == 0)
		return "non-judicial";
	return "no-further-action";
}

/* What the victim is told: the kind of outcome, never who. */
static const char *victim_words(const char *o)
{
	if (strcmp(o, "charged") == 0)
		return "A suspect has been charged.";
	if (strcmp(o, "convicted") == 0)
		return "A suspect has been convicted.";
	if (strcmp(o, "acquitted") == 0)
		return "A suspect was tried and acquitted.";
	if (strcmp(o, "cautioned") == 0)
		return "A suspect has been cautioned.";
	if (strcmp(o, "disrupted") == 0)
		return "The activity behind your report has been disrupted.";
	return "The investigation has ended with no further action.";
}

int casework_outcome(const struct casework_env *env, const struct principal *p, const char *id,
                     json_t *in, json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (!account_may_record_outcome(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "outcomes are recorded by investigators of the organisation "
		                      "that received the case");
	const char *suspect, *outcome, *date, *article, *note;
	int rc = body_object(in, err);
	if (rc == 0)
		rc = only(in,
		          (const char *const[]){"suspect", "outcome", "date", "legal_article",
		                                "note"},
		          5, err);
	if (rc == 0 &&
	    ((rc = text(in, "suspect", "suspect", 200, true, &suspect, err)) ||
	     (rc = text(in, "outcome", "outcome", 32, true, &outcome, err)) ||
	     (rc = text(in, "date", "date", 32, true, &date, err)) ||
	     (rc = text(in, "legal_article", "legal_article", 128, false, &article, err)) ||
	     (rc = text(in, "note", "note", 4000, false, &note, err))))
		return rc;
	if (rc != 0)
		return rc;
	size_t k = 0;
	while (k < sizeof outcome_kinds / sizeof *outcome_kinds &&
	       strcmp(outcome_kinds[k], outcome))
		k++;
	if (k == sizeof outcome_kinds / sizeof *outcome_kinds)
		return crix_error_field(err, "outcome", CRIX_EINVAL,
		                        "outcome: one of charged, convicted, acquitted, cautioned, "
		                        "disrupted, no-further-action");
	char day[CLOCK_ISO_LEN], now[CLOCK_ISO_LEN];
	int64_t t;
	struct crix_error e = {0};
	if (strlen(date) != 10 || clock_parse_iso(date, "date", day, &t, &e) != 0)
		return crix_error_field(err, "date", CRIX_EINVAL, "date: a day YYYY-MM-DD");
	if (t > (int64_t)time(NULL) + 86400)
		return crix_error_field(err, "date", CRIX_EINVAL, "date: in the future");
	clock_now_iso(now);
	struct cases_handle h;
	struct store_case_record *recs = NULL;
	size_t nr = 0;
	if ((rc = find_case(env, id, &h, err)) || (rc = records_of(env, &h, &recs, &nr, err)))
		return rc;
	bool recipient = p->org_id > 0 && received_by(recs, nr, p->org_id);
	bool any = received_by(recs, nr, 0);
	store_case_record_array_free(recs, nr);
	if (!any)
		return crix_error_field(
		        err, "id", CRIX_EEXIST,
		        "case %s: not disseminated; outcomes follow a dissemination", h.name);
	if (!recipient && p->role != ROLE_ADMIN)
		return crix_error_set(err, CRIX_EACCES,
		                      "outcomes are recorded by investigators of the organisation "
		                      "that received the case");
	struct cfacts f;
	if ((rc = gather(env, &h, &f, err)) != 0)
		return rc;
	json_t *body = json_pack("{s:s,s:s,s:s,s:s}", "case", h.name, "suspect", suspect, "outcome",
	                         outcome, "date", date);
	struct store_case_record r = {0};
	if (body == NULL) {
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	} else {
		if (article != NULL)
			json_object_set_new(body, "legal_article", json_string(article));
		if (note != NULL)
			json_object_set_new(body, "note", json_string(note));
		snapshot(body, &f);
	}
	json_t *moved = NULL;
	static const char *const from[] = {"disseminated"};
	if (rc == 0)
		rc = record_and_move(env, p, &h, &f, "outcome", p->org_id, body, from, 1, "outcome",
		                     report_outcome(outcome), victim_words(outcome), &r, &moved,
		                     err);
	json_decref(body);
	cfacts_free(&f);
	if (rc != 0)
		return rc;
	json_t *o = record_json(&r);
	free(r.body);
	*out = json_pack("{s:s,s:o,s:o}", "case", h.name, "outcome", o, "reports", moved);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

int casework_outcomes(const struct casework_env *env, const struct principal *p, const char *id,
                      json_t **out, struct crix_error *err)
{
	*out = NULL;
	struct cases_handle h;
	struct store_case_record *recs = NULL;
	size_t nr = 0;
	int rc = readable_case(env, p, id, &h, &recs, &nr, err);
	json_t *list = json_array();
	for (size_t i = 0; rc == 0 && i < nr; i++)
		if (strcmp(recs[i].kind, "outcome") == 0)
			json_array_append_new(list, record_json(&recs[i]));
	store_case_record_array_free(recs, nr);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:s,s:o}", "case", h.name, "outcomes", list);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

int casework_attach(const struct casework_env *env, const char *id, json_t *view,
                    struct crix_error *err)
{
	struct cases_handle h;
	struct store_case_record *recs = NULL;
	size_t nr = 0;
	int rc = find_case(env, id, &h, err);
	if (rc == 0)
		rc = records_of(env, &h, &recs, &nr, err);
	if (rc != 0)
		return rc;
	json_t *review = json_null(), *diss = json_array();
	json_int_t outcomes = 0;
	for (size_t i = 0; i < nr; i++) {
		if (strcmp(recs[i].kind, "review") == 0) {
			json_decref(review);
			review = record_json(&recs[i]);
		} else if (strcmp(recs[i].kind, "dissemination") == 0) {
			json_array_append_new(diss, record_json(&recs[i]));
		} else {
			outcomes++;
		}
	}
	store_case_record_array_free(recs, nr);
	json_object_set_new(view, "review", review);
	json_object_set_new(view, "disseminations", diss);
	json_object_set_new(view, "outcomes", json_integer(outcomes));
	return 0;
}

/* ---- the case's history ---- */

/* Who did it: the user named in the actor ("user:3:alice") and their
 * organisation's name, looked up once per user per request. */
struct whocache {
	int64_t user[64], org_id[64];
	char org[64][STORE_NAME_MAX];
	size_t n;
};

static json_t *who_json(struct store *s, struct whocache *wc, const char *actor)
{
	const char *name = actor;
	int64_t uid = 0;
	if (strncmp(actor, "user:", 5) == 0) {
		char *end;
		long long v = strtoll(actor + 5, &end, 10);
		if (*end == ':' && v > 0) {
			uid = v;
			name = end + 1;
		}
	}
	const char *org = NULL;
	size_t i = 0;
	while (i < wc->n && wc->user[i] != uid)
		i++;
	if (uid > 0 && i == wc->n && wc->n < 64) {
		struct store_user u;
		struct store_org o;
		struct crix_error e = {0};
		wc->user[i] = uid;
		wc->org_id[i] = 0;
		wc->org[i][0] = '\0';
		if (store_user_get(s, uid, &u, &e) == 0 &&
		    store_org_get(s, u.org_id, &o, &e) == 0) {
			wc->org_id[i] = o.id;
			snprintf(wc->org[i], sizeof wc->org[i], "%s", o.name);
		}
		wc->n++;
	}
	if (uid > 0 && i < wc->n && wc->org[i][0] != '\0')
		org = wc->org[i];
	return json_pack("{s:s,s:s,s:o}", "actor", actor, "user", name, "org",
	                 org ? json_string(org) : json_null());
}

static const char *ref_of(struct store *s, int64_t id, char ref[STORE_REF_MAX])
{
	char st[STORE_SHORT_MAX];
	struct crix_error e = {0};
	if (store_report_ref(s, id, ref, st, &e) != 0)
		snprintf(ref, STORE_REF_MAX, "report #%lld", (long long)id);
	return ref;
}

static json_t *entry(const char *at, const char *kind, json_t *who, const char *what,
                     const char *reason, const char *id_name, int64_t id)
{
	return json_pack("{s:s,s:s,s:o,s:s,s:o,s:I}", "at", at, "kind", kind, "who", who, "what",
	                 what, "reason", reason && reason[0] ? json_string(reason) : json_null(),
	                 id_name, (json_int_t)id);
}

/* A decision as a history entry. */
static json_t *decision_entry(struct store *s, struct whocache *wc,
                              const struct store_case_decision *d)
{
	char a[STORE_REF_MAX], b[STORE_REF_MAX], what[4400];
	const char *kind;
	ref_of(s, d->report_id, a);
	if (strcmp(d->kind, "link") == 0) {
		kind = "merge";
		snprintf(what, sizeof what, "merged the cases of %s and %s", a,
		         ref_of(s, d->other_id, b));
	} else if (strcmp(d->kind, "exclude") == 0) {
		kind = "split";
		snprintf(what, sizeof what, "split %s off: it no longer links through %s %s", a,
		         d->type, d->value);
	} else if (strcmp(d->kind, "detach") == 0) {
		kind = "split";
		snprintf(what, sizeof what, "split %s off: it links through nothing", a);
	} else {
		kind = "confirm";
		snprintf(what, sizeof what, "confirmed that over-common %s %s links (held by %s)",
		         d->type, d->value, a);
	}
	return entry(d->at, kind, who_json(s, wc, d->actor), what, d->note, "decision", d->id);
}

/* A record of case work as a history entry. */
static json_t *record_entry(struct store *s, struct whocache *wc, const struct store_case_record *r)
{
	json_t *b = r->body ? json_loads(r->body, 0, NULL) : NULL;
	char what[1024];
	const char *reason = NULL;
	if (strcmp(r->kind, "review") == 0) {
		size_t n = json_array_size(json_object_get(b, "lines_of_enquiry"));
		snprintf(what, sizeof what, "reviewed: %s; %zu line%s of enquiry",
		         json_is_true(json_object_get(b, "viable")) ? "viable" : "not viable", n,
		         n == 1 ? "" : "s");
		reason = json_string_value(json_object_get(b, "reason"));
	} else if (strcmp(r->kind, "dissemination") == 0) {
		const char *to =
		        json_string_value(json_object_get(json_object_get(b, "recipient"), "name"));
		snprintf(what, sizeof what, "disseminated to %s%s", to ? to : "?",
		         json_is_true(json_object_get(b, "overridden"))
		                 ? " (not the jurisdiction rules' choice)"
		                 : "");
		reason = json_string_value(json_object_get(b, "reason"));
	} else {
		const char *sus = json_string_value(json_object_get(b, "suspect")),
		           *o = json_string_value(json_object_get(b, "outcome")),
		           *day = json_string_value(json_object_get(b, "date"));
		snprintf(what, sizeof what, "outcome for %s: %s on %s", sus ? sus : "?",
		         o ? o : "?", day ? day : "?");
		reason = json_string_value(json_object_get(b, "note"));
	}
	json_t *e = entry(r->at, r->kind, who_json(s, wc, r->actor), what, reason, "record", r->id);
	json_decref(b);
	return e;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static bool member_of(const uint32_t *m, size_t n, int64_t id)
{
	if (id <= 0 || id >= UINT32_MAX)
		return false;
	uint32_t key = (uint32_t)id;
	return bsearch(&key, m, n, sizeof *m, cmp_u32) != NULL;
}

/* Newest first; entries made in the same second keep the order they were
 * stored in (decisions and records each by id, decisions first). */
static int cmp_entry(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(y, "at")),
	               json_string_value(json_object_get(x, "at")));
	if (c != 0)
		return c;
	json_t *dx = json_object_get(x, "decision"), *dy = json_object_get(y, "decision");
	if ((dx != NULL) != (dy != NULL))
		return dx != NULL ? 1 : -1;
	json_int_t ix = json_integer_value(dx ? dx : json_object_get(x, "record")),
	           iy = json_integer_value(dy ? dy : json_object_get(y, "record"));
	return (iy > ix) - (iy < ix);
}

int casework_history(const struct casework_env *env, const struct principal *p, const char *id,
                     size_t offset, size_t limit, json_t **out, struct crix_error *err)
{
	*out = NULL;
	struct store *s = env->reports->store;
	struct cases_handle h;
	struct store_case_record *recs = NULL;
	size_t nr = 0, nm = 0, n = 0;
	uint32_t *m = NULL;
	json_t **all = NULL;
	struct whocache wc = {0};
	int rc = may_read_case(p, err);
	if (rc == 0)
		rc = find_case(env, id, &h, err);
	if (rc == 0)
		rc = records_of(env, &h, &recs, &nr, err);
	if (rc == 0)
		rc = cases_members(env->reports->cases, h.anchor, &m, &nm, err);
	if (rc == 0 && (all = malloc(CASEWORK_HISTORY_MAX * sizeof *all)) == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	if (rc == 0)
		qsort(m, nm, sizeof *m, cmp_u32);
	for (size_t i = 0; rc == 0 && i < nr; i++) {
		if (n == CASEWORK_HISTORY_MAX)
			rc = crix_error_set(err, CRIX_ETOOBIG,
			                    "case %s: more than %d history entries", h.name,
			                    CASEWORK_HISTORY_MAX);
		else if ((all[n++] = record_entry(s, &wc, &recs[i])) == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	/* Decisions are few (one per analyst's action): a pass over all of them,
	 * keeping those that name a report of the case. */
	int64_t after = 0;
	while (rc == 0) {
		struct store_case_decision *d = NULL;
		size_t nd = 0;
		rc = store_decision_list(s, after, 256, &d, &nd, err);
		for (size_t i = 0; rc == 0 && i < nd; i++) {
			if (!member_of(m, nm, d[i].report_id) && !member_of(m, nm, d[i].other_id))
				continue;
			if (n == CASEWORK_HISTORY_MAX)
				rc = crix_error_set(err, CRIX_ETOOBIG,
				                    "case %s: more than %d history entries", h.name,
				                    CASEWORK_HISTORY_MAX);
			else if ((all[n++] = decision_entry(s, &wc, &d[i])) == NULL)
				rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		}
		after = nd ? d[nd - 1].id : after;
		free(d);
		if (rc != 0 || nd < 256)
			break;
	}
	store_case_record_array_free(recs, nr);
	free(m);
	json_t *page = json_array();
	if (rc == 0) {
		qsort(all, n, sizeof *all, cmp_entry);
		for (size_t i = offset; i < n && i - offset < limit; i++)
			json_array_append(page, all[i]);
		bool more = offset < n && n - offset > limit;
		*out = json_pack("{s:s,s:o,s:I,s:o}", "case", h.name, "entries", page, "total",
		                 (json_int_t)n, "next",
		                 more ? json_integer((json_int_t)(offset + limit)) : json_null());
		if (*out == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	} else {
		json_decref(page);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(all[i]);
	free(all);
	return rc;
}

/* ---- statistics of case work ---- */

int casework_stats(struct store *s, const char *group_by, const char *from, const char *to,
                   unsigned min_cell, json_t **out, struct crix_error *err)
{
	struct casefacts *t;
	int rc = casefacts_open(s, &t, err);
	if (rc == 0)
		rc = casefacts_compute(t, group_by, from, to, min_cell, out, err);
	casefacts_free(t);
	return rc;
}
