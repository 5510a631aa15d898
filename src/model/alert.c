/*
 * alert.c - scam alerts: validation, publishing and withdrawing (each with
 * its audit entry in the same transaction), who sees what (alert_may_see,
 * over tlp_may_see), the JSON view, listing and the STIX 2.1 bundle.
 */
#include "model/alert.h"

#include "model/audit.h"
#include "share/stix.h"
#include "share/tlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- validation ---- */

static const char *const alert_keys[] = {"title",  "category",   "tlp",    "summary",
                                         "advice", "indicators", "expires"};

/* Every member of in must be one the alert knows: a misspelt "expiry"
 * must not be dropped silently. */
static int check_members(json_t *in, struct crix_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v)
	{
		bool known = false;
		for (size_t i = 0; i < sizeof alert_keys / sizeof alert_keys[0] && !known; i++)
			known = strcmp(k, alert_keys[i]) == 0;
		if (!known) {
			char f[48]; /* a long name is cut alike in field and message */
			snprintf(f, sizeof f, "%.40s", k[0] ? k : "\"\"");
			return crix_error_field(err, f, CRIX_EINVAL, "%s: unknown field", f);
		}
	}
	return 0;
}

/*
 * A required text member of min..max bytes.  Control characters are refused
 * (multiline: but for newlines and tabs), since the text is shown as plain
 * text on public pages and in other systems.  OUT: *out, *len.
 */
static int get_text(json_t *in, const char *key, size_t min, size_t max, bool multiline,
                    const char **out, size_t *len, struct crix_error *err)
{
	json_t *v = json_object_get(in, key);
	if (v == NULL || json_is_null(v))
		return crix_error_field(err, key, CRIX_EINVAL, "%s: is required", key);
	if (!json_is_string(v))
		return crix_error_field(err, key, CRIX_EINVAL, "%s: must be a string", key);
	size_t n = json_string_length(v);
	if (n > max)
		return crix_error_field(err, key, CRIX_ETOOBIG, "%s: longer than %zu bytes", key,
		                        max);
	const unsigned char *s = (const unsigned char *)json_string_value(v);
	size_t words = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f) {
			if (!multiline || (s[i] != '\n' && s[i] != '\t' && s[i] != '\r'))
				return crix_error_field(err, key, CRIX_EINVAL,
				                        "%s: control character at byte %zu%s", key,
				                        i, multiline ? "" : " (one line of text)");
		}
		if (s[i] > ' ')
			words++;
	}
	if (n < min || words == 0)
		return crix_error_field(err, key, CRIX_EINVAL, "%s: must have at least %zu %s", key,
		                        min, min == 1 ? "character" : "characters");
	*out = (const char *)s;
	*len = n;
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* One indicator of the request, element i: a string (refanged, type
 * guessed) or {"type", "value"}.  OUT: *v. */
static int take_indicator(const struct alert_env *env, json_t *e, size_t i, struct ioc_value *v,
                          struct crix_error *err)
{
	char field[48];
	snprintf(field, sizeof field, "indicators[%zu]", i);
	const char *s;
	size_t n;
	enum ioc_type type = IOC_NONE;
	if (json_is_string(e)) {
		s = json_string_value(e);
		n = json_string_length(e);
	} else if (json_is_object(e)) {
		json_t *t = json_object_get(e, "type"), *jv = json_object_get(e, "value");
		if (json_object_size(e) != 2 || !json_is_string(t) || !json_is_string(jv))
			return crix_error_field(
			        err, field, CRIX_EINVAL,
			        "%s: must be {\"type\", \"value\"} with two strings", field);
		type = ioc_type_from_name(json_string_value(t));
		if (type == IOC_NONE)
			return crix_error_field(
			        err, field, CRIX_EINVAL,
			        "%s: unknown type '%.40s' (domain, url, phone, ...)", field,
			        json_string_value(t));
		s = json_string_value(jv);
		n = json_string_length(jv);
	} else {
		return crix_error_field(err, field, CRIX_EINVAL,
		                        "%s: must be a string or {\"type\", \"value\"}", field);
	}
	if (n == 0 || n > IOC_VALUE_MAX || strlen(s) != n)
		return crix_error_field(err, field, CRIX_EINVAL,
		                        "%s: must be 1 to %d bytes without NUL characters", field,
		                        IOC_VALUE_MAX);
	/* Analysts paste defanged values (evil[.]example, hxxp://...). */
	char *plain = malloc(n + 1);
	if (plain == NULL)
		return crix_error_oom(err);
	size_t pn = 0;
	struct crix_error e2 = {0};
	int rc = ioc_refang(s, n, plain, n + 1, NULL, &pn, &e2);
	if (rc == 0) {
		size_t a = 0, b = pn; /* surrounding blanks of a pasted line */
		while (a < b && (plain[a] == ' ' || plain[a] == '\t' || plain[a] == '\r'))
			a++;
		while (b > a &&
		       (plain[b - 1] == ' ' || plain[b - 1] == '\t' || plain[b - 1] == '\r'))
			b--;
		rc = type != IOC_NONE ? ioc_parse(env->ioc, type, plain + a, b - a, NULL, v, &e2)
		                      : ioc_guess(env->ioc, plain + a, b - a, NULL, v, &e2);
	}
	free(plain);
	if (rc == CRIX_ENOMEM)
		return crix_error_set(err, rc, "out of memory");
	if (rc != 0)
		return crix_error_field(err, field, CRIX_EINVAL, "%s: %s", field,
		                        type != IOC_NONE ? e2.msg : "not an indicator crix knows");
	return 0;
}

/* The indicators member as a canonical JSON array.  OUT: *out. */
static int take_indicators(const struct alert_env *env, json_t *in, json_t **out,
                           struct crix_error *err)
{
	json_t *arr = json_object_get(in, "indicators");
	*out = NULL;
	if (arr != NULL && !json_is_null(arr) && !json_is_array(arr))
		return crix_error_field(err, "indicators", CRIX_EINVAL,
		                        "indicators: must be an array");
	if (json_array_size(arr) > ALERT_INDICATORS_MAX)
		return crix_error_field(err, "indicators", CRIX_ETOOBIG, "indicators: more than %d",
		                        ALERT_INDICATORS_MAX);
	json_t *res = json_array();
	struct ioc_value *v = malloc(sizeof *v);
	if (res == NULL || v == NULL) {
		json_decref(res);
		free(v);
		return crix_error_oom(err);
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < json_array_size(arr); i++) {
		rc = take_indicator(env, json_array_get(arr, i), i, v, err);
		if (rc != 0)
			break;
		const char *tn = ioc_type_name(v->type);
		bool dup = false;
		for (size_t j = 0; j < json_array_size(res) && !dup; j++) {
			json_t *o = json_array_get(res, j);
			dup = strcmp(json_string_value(json_object_get(o, "type")), tn) == 0 &&
			      strcmp(json_string_value(json_object_get(o, "value")), v->v) == 0;
		}
		if (!dup && json_array_append_new(res, json_pack("{s:s,s:s#}", "type", tn, "value",
		                                                 v->v, (int)v->len)) != 0)
			rc = crix_error_oom(err);
	}
	free(v);
	if (rc != 0) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}

int alert_validate(const struct alert_env *env, json_t *in, const char *now, struct store_alert *a,
                   struct crix_error *err)
{
	if (!json_is_object(in))
		return crix_error_set(err, CRIX_EINVAL, "the alert must be a JSON object");
	int rc = check_members(in, err);
	if (rc != 0)
		return rc;
	const char *title, *summary, *advice, *cat;
	size_t title_n, summary_n, advice_n, cat_n;
	rc = get_text(in, "title", ALERT_TITLE_MIN, ALERT_TITLE_MAX, false, &title, &title_n, err);
	if (rc == 0)
		rc = get_text(in, "summary", 1, ALERT_SUMMARY_MAX, true, &summary, &summary_n, err);
	if (rc == 0)
		rc = get_text(in, "advice", 1, ALERT_ADVICE_MAX, true, &advice, &advice_n, err);
	if (rc == 0)
		rc = get_text(in, "category", 1, sizeof a->category - 1, false, &cat, &cat_n, err);
	if (rc != 0)
		return rc;
	if (catalogue_offence(env->cat, cat) == NULL)
		return crix_error_field(err, "category", CRIX_EINVAL,
		                        "category: '%.64s' is not an offence of the catalogue (see "
		                        "GET /api/v1/offences)",
		                        cat);
	json_t *t = json_object_get(in, "tlp");
	enum tlp tlp = json_is_string(t) ? tlp_parse(json_string_value(t)) : 0;
	/* AMBER and RED are for named partners: collections share those. */
	if (tlp != TLP_CLEAR && tlp != TLP_GREEN)
		return crix_error_field(err, "tlp", CRIX_EINVAL,
		                        "tlp: an alert is \"clear\" (everyone) or \"green\" "
		                        "(members of partner organisations)");
	char expires[CLOCK_ISO_LEN] = "";
	json_t *x = json_object_get(in, "expires");
	if (x != NULL && !json_is_null(x)) {
		if (!json_is_string(x) || json_string_length(x) > 64)
			return crix_error_field(err, "expires", CRIX_EINVAL,
			                        "expires: a date or date and time (ISO 8601)");
		rc = clock_parse_iso(json_string_value(x), "expires", expires, NULL, err);
		if (rc != 0) {
			if (err != NULL)
				snprintf(err->field, sizeof err->field, "expires");
			return rc;
		}
		if (strcmp(expires, now) <= 0)
			return crix_error_field(err, "expires", CRIX_EINVAL,
			                        "expires: %s is not in the future", expires);
	}
	json_t *inds;
	rc = take_indicators(env, in, &inds, err);
	if (rc != 0)
		return rc;
	char *ind_text = json_dumps(inds, JSON_COMPACT);
	json_decref(inds);
	memcpy(a->title, title, title_n + 1);
	memcpy(a->category, cat, cat_n + 1);
	a->tlp = (int)tlp;
	memcpy(a->expires, expires, sizeof expires);
	a->summary = dup_n(summary, summary_n);
	a->advice = dup_n(advice, advice_n);
	a->indicators = ind_text;
	if (a->summary == NULL || a->advice == NULL || a->indicators == NULL) {
		store_alert_clear(a);
		return crix_error_oom(err);
	}
	return 0;
}

/* ---- who sees what ---- */

bool alert_current(const struct store_alert *a, const char *now)
{
	return strcmp(a->status, "published") == 0 &&
	       (a->expires[0] == '\0' || strcmp(a->expires, now) > 0);
}

/* Is p of the organisation that published a? */
static bool author_side(const struct principal *p, const struct store_alert *a)
{
	return p->authenticated && p->org_id > 0 && p->org_id == a->org_id;
}

bool alert_may_see(const struct principal *p, const struct store_alert *a, const char *now)
{
	struct share_object o = {
	        .tlp = (enum tlp)a->tlp, .owner_org = a->org_id, .owner_user = a->user_id};
	if (!tlp_may_see(p, NULL, &o))
		return false;
	return alert_current(a, now) || author_side(p, a);
}

enum alert_feed alert_feed_of(const struct principal *p, const struct store_alert *a,
                              const char *now)
{
	if (alert_current(a, now))
		return alert_may_see(p, a, now) ? ALERT_FEED_CURRENT : ALERT_FEED_NONE;
	struct share_object o = {
	        .tlp = (enum tlp)a->tlp, .owner_org = a->org_id, .owner_user = a->user_id};
	return strcmp(a->status, "withdrawn") == 0 && tlp_may_see(p, NULL, &o)
	               ? ALERT_FEED_WITHDRAWN
	               : ALERT_FEED_NONE;
}

json_t *alert_json(const struct catalogue *cat, const struct principal *p,
                   const struct store_alert *a, const char *now)
{
	const struct offence *off = catalogue_offence(cat, a->category);
	json_t *inds = json_loads(a->indicators != NULL ? a->indicators : "[]", 0, NULL);
	json_t *o = json_pack(
	        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s?,s:s,s:s?,s:b}", "id",
	        (json_int_t)a->id, "title", a->title, "summary",
	        a->summary != NULL ? a->summary : "", "advice", a->advice != NULL ? a->advice : "",
	        "category", a->category, "category_name", off != NULL ? off->name : a->category,
	        "tlp", tlp_name((enum tlp)a->tlp), "indicators", inds != NULL ? inds : json_array(),
	        "organisation", a->org_name, "published", a->published, "expires",
	        a->expires[0] ? a->expires : NULL, "status", a->status, "withdrawn",
	        a->withdrawn[0] ? a->withdrawn : NULL, "current", alert_current(a, now));
	if (o != NULL && author_side(p, a))
		json_object_set_new(o, "author", json_string(a->author));
	return o;
}

/* ---- publishing and withdrawing ---- */

/* *out: a as p sees it now; the end of every call that answers one alert. */
static int answer(const struct alert_env *env, const struct principal *p,
                  const struct store_alert *a, const char *now, json_t **out,
                  struct crix_error *err)
{
	*out = alert_json(env->cat, p, a, now);
	return *out != NULL ? 0 : crix_error_oom(err);
}

/* Writes the change and its audit entry in one transaction. */
static int commit_with_audit(struct store *s, const struct principal *p, struct store_alert *a,
                             bool insert, struct crix_error *err)
{
	struct store_tx *tx;
	int rc = store_tx_begin(s, &tx, err);
	if (rc != 0)
		return rc;
	rc = insert ? store_alert_insert(tx, a, err)
	            : store_alert_withdraw(tx, a->id, a->withdrawn, err);
	char id[32];
	snprintf(id, sizeof id, "%lld", (long long)a->id);
	json_t *d = json_pack("{s:s,s:s,s:s}", "title", a->title, "tlp", tlp_name((enum tlp)a->tlp),
	                      "category", a->category);
	char *dt = d != NULL ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(d);
	if (rc == 0 && dt == NULL)
		rc = crix_error_oom(err);
	if (rc == 0)
		rc = audit_append(tx, p->actor, insert ? "alert.publish" : "alert.withdraw",
		                  "alert", id, dt, err);
	free(dt);
	if (rc == 0)
		return store_tx_commit(tx, err);
	store_tx_rollback(tx);
	return rc;
}

int alert_publish(const struct alert_env *env, const struct principal *p, json_t *in, json_t **out,
                  struct crix_error *err)
{
	*out = NULL;
	if (!account_may_publish_alert(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "publishing alerts is for analysts and above of a member "
		                      "organisation");
	struct store_alert a = {0};
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	int rc = alert_validate(env, in, now, &a, err);
	if (rc != 0)
		return rc;
	struct store_org org;
	rc = store_org_get(env->store, p->org_id, &org, err);
	if (rc == 0) {
		snprintf(a.status, sizeof a.status, "published");
		snprintf(a.org_name, sizeof a.org_name, "%s", org.name);
		snprintf(a.author, sizeof a.author, "%s", p->username);
		a.org_id = p->org_id;
		a.user_id = p->user_id;
		memcpy(a.published, now, sizeof now);
		rc = commit_with_audit(env->store, p, &a, true, err);
	}
	if (rc == 0)
		rc = answer(env, p, &a, now, out, err);
	store_alert_clear(&a);
	return rc;
}

/* The alert id if p may see it now.  OUT: *a (store_alert_clear), now. */
static int fetch_visible(const struct alert_env *env, const struct principal *p, int64_t id,
                         struct store_alert *a, char now[CLOCK_ISO_LEN], struct crix_error *err)
{
	clock_now_iso(now);
	struct crix_error e = {0};
	int rc = store_alert_get(env->store, id, a, &e);
	if (rc == 0 && !alert_may_see(p, a, now)) {
		store_alert_clear(a);
		rc = CRIX_ENOTFOUND;
	}
	if (rc == CRIX_ENOTFOUND)
		return crix_error_set(err, rc, "alert %lld not found", (long long)id);
	if (rc != 0 && err != NULL)
		*err = e;
	return rc;
}

int alert_withdraw(const struct alert_env *env, const struct principal *p, int64_t id, json_t **out,
                   struct crix_error *err)
{
	*out = NULL;
	struct store_alert a;
	char now[CLOCK_ISO_LEN];
	int rc = fetch_visible(env, p, id, &a, now, err);
	if (rc != 0)
		return rc;
	if (!account_may_withdraw_alert(p, a.org_id))
		rc = crix_error_set(
		        err, CRIX_EACCES,
		        "only the organisation that published alert %lld may withdraw it",
		        (long long)id);
	else if (strcmp(a.status, "published") != 0)
		rc = crix_error_set(err, CRIX_EEXIST, "alert %lld is withdrawn already",
		                    (long long)id);
	if (rc == 0) {
		memcpy(a.withdrawn, now, sizeof a.withdrawn);
		rc = commit_with_audit(env->store, p, &a, false, err);
	}
	if (rc == 0) {
		snprintf(a.status, sizeof a.status, "withdrawn");
		rc = answer(env, p, &a, now, out, err);
	}
	store_alert_clear(&a);
	return rc;
}

int alert_view(const struct alert_env *env, const struct principal *p, int64_t id, json_t **out,
               struct crix_error *err)
{
	struct store_alert a;
	char now[CLOCK_ISO_LEN];
	*out = NULL;
	int rc = fetch_visible(env, p, id, &a, now, err);
	if (rc == 0) {
		rc = answer(env, p, &a, now, out, err);
		store_alert_clear(&a);
	}
	return rc;
}

/* ---- listing ---- */

/* Rows read per store call; rows the caller may not see are dropped, so a
 * page may take a few calls, and at most LIST_ROUNDS of them. */
#define LIST_ROUNDS 8

int alert_list(const struct alert_env *env, const struct principal *p, const struct alert_query *q,
               json_t **out, struct crix_error *err)
{
	*out = NULL;
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	struct store_alert_filter f = {.now = now};
	if (q->category != NULL) {
		if (catalogue_offence(env->cat, q->category) == NULL)
			return crix_error_field(
			        err, "category", CRIX_EINVAL,
			        "category: '%.64s' is not an offence of the catalogue",
			        q->category);
		snprintf(f.category, sizeof f.category, "%s", q->category);
	}
	if (q->all) {
		if (!p->authenticated || p->org_id <= 0)
			return crix_error_field(
			        err, "all", CRIX_EINVAL,
			        "all: adds your organisation's withdrawn and expired "
			        "alerts, so it needs you signed in");
		f.also_org = p->org_id;
	}
	/* Narrow the rows to the highest TLP the caller could see at all, asked
	 * of tlp_may_see; each row is still decided by alert_may_see below. */
	struct share_object green = {.tlp = TLP_GREEN};
	f.max_tlp = tlp_may_see(p, NULL, &green) ? TLP_GREEN : TLP_CLEAR;

	json_t *list = json_array();
	if (list == NULL)
		return crix_error_oom(err);
	int64_t before = q->before, next = 0;
	int rc = 0;
	for (int round = 0; rc == 0 && round < LIST_ROUNDS && json_array_size(list) < q->limit;
	     round++) {
		struct store_alert *rows;
		size_t n, want = q->limit - json_array_size(list);
		rc = store_alert_list(env->store, &f, before, want, &rows, &n, err);
		if (rc != 0)
			break;
		for (size_t i = 0; i < n && rc == 0; i++) {
			before = rows[i].id;
			if (!alert_may_see(p, &rows[i], now))
				continue;
			if (json_array_append_new(list, alert_json(env->cat, p, &rows[i], now)) !=
			    0)
				rc = crix_error_oom(err);
		}
		store_alert_array_free(rows, n);
		/* A short page means the store has no more. */
		next = n == want ? before : 0;
		if (n < want)
			break;
	}
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o,s:o}", "alerts", list, "next",
	                 next > 0 ? json_integer(next) : json_null());
	return *out != NULL ? 0 : crix_error_oom(err);
}

/* ---- STIX 2.1 ---- */

/* Appends to buf the indicators STIX 2.1 has no object for, as text. */
static int note_unexported(char **buf, size_t *len, const char *type, const char *value,
                           struct crix_error *err)
{
	size_t add = strlen(type) + strlen(value) + 4;
	char *p = realloc(*buf, *len + add + 1);
	if (p == NULL)
		return crix_error_oom(err);
	*len += (size_t)snprintf(p + *len, add + 1, "%s%s %s", *len ? ", " : "", type, value);
	*buf = p;
	return 0;
}

/* The STIX indicators of an alert that expires stop being valid then, so
 * that partners' tools stop matching them too. */
static int set_valid_until(json_t *objs, const char *expires, struct crix_error *err)
{
	size_t i;
	json_t *o;
	json_array_foreach(objs, i, o)
	{
		const char *t = json_string_value(json_object_get(o, "type"));
		if (t != NULL && strcmp(t, "indicator") == 0 &&
		    json_object_set_new(o, "valid_until", json_string(expires)) != 0)
			return crix_error_oom(err);
	}
	return 0;
}

/* The report SDO over the objects already in objs (all but the marking). */
static int alert_report_object(const struct stix_producer *prod, const struct store_alert *a,
                               json_t *objs, const char *others, json_t **out,
                               struct crix_error *err)
{
	char id[STIX_ID_MAX];
	json_t *props = json_pack("{s:s,s:I,s:s}", "type", "report", "alert", (json_int_t)a->id,
	                          "created_by_ref", prod->identity_id);
	if (props == NULL)
		return crix_error_oom(err);
	int rc = stix_id_v5("report", STIX_CRIX_NAMESPACE, props, id, err);
	json_decref(props);
	if (rc != 0)
		return rc;
	size_t dlen = strlen(a->summary) + strlen(a->advice) + strlen(others) + 128;
	char *desc = malloc(dlen);
	if (desc == NULL)
		return crix_error_oom(err);
	snprintf(desc, dlen, "%s\n\nAdvice:\n%s%s%s", a->summary, a->advice,
	         others[0] ? "\n\nIndicators without a STIX 2.1 object: " : "", others);
	json_t *refs = json_array();
	for (size_t i = 0; i < json_array_size(objs); i++) {
		const char *oid = json_string_value(json_object_get(json_array_get(objs, i), "id"));
		if (oid != NULL && strncmp(oid, "marking-definition--", 20) != 0)
			json_array_append_new(refs, json_string(oid));
	}
	json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s],s:[s],s:o,s:s,s:[s]}", "type",
	                      "report", "spec_version", "2.1", "id", id, "created", a->published,
	                      "modified", a->withdrawn[0] ? a->withdrawn : a->published, "name",
	                      a->title, "description", desc, "published", a->published,
	                      "report_types", "threat-report", "labels", a->category, "object_refs",
	                      refs, "created_by_ref", prod->identity_id, "object_marking_refs",
	                      tlp_marking_id(prod->tlp));
	free(desc);
	if (r != NULL && a->withdrawn[0])
		json_object_set_new(r, "revoked", json_true());
	if (r == NULL)
		return crix_error_oom(err);
	*out = r;
	return 0;
}

int alert_stix_objects(const struct store_alert *a, json_t **out, struct crix_error *err)
{
	*out = NULL;
	struct stix_producer prod;
	int rc = stix_producer_init(&prod, (enum tlp)a->tlp, a->org_name, a->published, err);
	json_t *objs = rc == 0 ? json_array() : NULL;
	json_t *inds = rc == 0 ? json_loads(a->indicators, 0, NULL) : NULL;
	struct ioc_value *v = malloc(sizeof *v);
	char *others = NULL;
	size_t others_len = 0;
	if (rc == 0 && (objs == NULL || inds == NULL || v == NULL))
		rc = crix_error_set(err, CRIX_ENOMEM, "alert %lld: cannot read its indicators",
		                    (long long)a->id);
	if (rc == 0 && (json_array_append_new(objs, stix_tlp_marking(prod.tlp)) != 0 ||
	                json_array_append_new(objs, stix_identity(&prod)) != 0))
		rc = crix_error_oom(err);
	for (size_t i = 0; rc == 0 && i < json_array_size(inds); i++) {
		json_t *o = json_array_get(inds, i);
		const char *t = json_string_value(json_object_get(o, "type"));
		const char *val = json_string_value(json_object_get(o, "value"));
		if (t == NULL || val == NULL || strlen(val) >= IOC_VALUE_MAX)
			continue;
		v->type = ioc_type_from_name(t);
		v->len = strlen(val);
		memcpy(v->v, val, v->len + 1);
		if (stix_object_type(v->type) == NULL) {
			rc = note_unexported(&others, &others_len, t, val, err);
			continue;
		}
		json_t *these = NULL;
		rc = stix_objects(&prod, v, &these, err);
		if (rc == 0 && a->expires[0])
			rc = set_valid_until(these, a->expires, err);
		if (rc == 0 && json_array_extend(objs, these) != 0)
			rc = crix_error_oom(err);
		json_decref(these);
	}
	json_t *report = NULL;
	if (rc == 0)
		rc = alert_report_object(&prod, a, objs, others != NULL ? others : "", &report,
		                         err);
	if (rc == 0 && json_array_append_new(objs, report) != 0)
		rc = crix_error_oom(err);
	free(others);
	free(v);
	json_decref(inds);
	if (rc != 0) {
		json_decref(objs);
		return rc;
	}
	*out = objs;
	return 0;
}

int alert_stix_withdrawal(const struct store_alert *a, json_t **out, struct crix_error *err)
{
	*out = NULL;
	json_t *all, *objs = json_array();
	int rc = alert_stix_objects(a, &all, err);
	if (rc != 0) {
		json_decref(objs);
		return rc;
	}
	char name[64];
	snprintf(name, sizeof name, "Withdrawn alert %lld", (long long)a->id);
	size_t i;
	json_t *o;
	json_array_foreach(all, i, o)
	{
		const char *t = json_string_value(json_object_get(o, "type"));
		bool report = t != NULL && strcmp(t, "report") == 0;
		if (rc != 0 || t == NULL || (!report && strcmp(t, "indicator") != 0))
			continue;
		json_t *r = json_deep_copy(o);
		if (r != NULL && report) {
			json_object_del(r, "description");
			json_object_del(r, "labels");
		}
		if (r == NULL ||
		    json_object_set_new(r, "modified", json_string(a->withdrawn)) != 0 ||
		    json_object_set_new(r, "revoked", json_true()) != 0 ||
		    (report && json_object_set_new(r, "name", json_string(name)) != 0)) {
			json_decref(r);
			rc = crix_error_oom(err);
		} else if (json_array_append_new(objs, r) != 0) {
			rc = crix_error_oom(err);
		}
	}
	json_decref(all);
	if (rc != 0) {
		json_decref(objs);
		return rc;
	}
	*out = objs;
	return 0;
}

int alert_stix(const struct alert_env *env, const struct principal *p, int64_t id, json_t **bundle,
               struct crix_error *err)
{
	*bundle = NULL;
	struct store_alert a;
	char now[CLOCK_ISO_LEN];
	int rc = fetch_visible(env, p, id, &a, now, err);
	if (rc != 0)
		return rc;
	json_t *objs;
	rc = alert_stix_objects(&a, &objs, err);
	if (rc == 0) {
		char bid[STIX_ID_MAX];
		stix_bundle_id(bid);
		*bundle = json_pack("{s:s,s:s,s:o}", "type", "bundle", "id", bid, "objects", objs);
		if (*bundle == NULL)
			rc = crix_error_oom(err);
	}
	store_alert_clear(&a);
	return rc;
}
