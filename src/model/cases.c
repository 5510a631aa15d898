#include "model/cases.h"

#include "ioc/ioc.h"
#include "model/audit.h"
#include "model/ref.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CASE_LIST_MAX 200

struct cases {
	pthread_mutex_t lock;
	struct corr *corr;
	struct warnlist *warn;
	struct triage_weights triage;
};

static bool on_warnlist(void *arg, unsigned type, const char *value, size_t len)
{
	return warnlist_holds(arg, type, value, len, NULL);
}

/*
 * The values a report links by: its own, and for each URL its host as a
 * domain or address, so that "https://fake-shop.com/sale" in one report and
 * "fake-shop.com" in another join.  Canonical URLs have canonical hosts
 * (lower case, A-labels, RFC 5952), so the text compares as is.  OUT: a new
 * array (free()) of *m values pointing into vals' strings.
 */
static struct corr_value *with_hosts(const struct corr_value *vals, size_t n, size_t *m)
{
	struct corr_value *out = malloc((2 * n + 1) * sizeof *out);
	if (out == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		out[k++] = vals[i];
		if (vals[i].type != IOC_URL)
			continue;
		const char *s = vals[i].value, *end = s + vals[i].len;
		const char *p = memchr(s, ':', vals[i].len);
		if (p == NULL || end - p < 3 || p[1] != '/' || p[2] != '/')
			continue;
		const char *h = p + 3, *e = h;
		unsigned type = IOC_DOMAIN;
		if (h < end && *h == '[') {
			const char *close = memchr(h, ']', (size_t)(end - h));
			if (close == NULL)
				continue;
			h++;
			e = close;
			type = IOC_IPV6;
		} else {
			bool digits = true;
			while (e < end && *e != '/' && *e != ':' && *e != '?' && *e != '#') {
				digits = digits && ((*e >= '0' && *e <= '9') || *e == '.');
				e++;
			}
			if (digits)
				type = IOC_IPV4;
		}
		/* crix's canonical URLs keep no user@ before the host; be safe */
		if (e > h && memchr(h, '@', (size_t)(e - h)) == NULL)
			out[k++] = (struct corr_value){type, h, (size_t)(e - h)};
	}
	*m = k;
	return out;
}

int cases_add(struct cases *k, int64_t report, const struct corr_value *given, size_t n_given,
              bool extend, struct crix_error *err)
{
	size_t n;
	struct corr_value *vals = with_hosts(given, n_given, &n);
	if (vals == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
	if (report <= 0 || report >= UINT32_MAX) {
		free(vals);
		return crix_error_set(err, CRIX_ETOOBIG, "cases: report id %lld out of range",
		                      (long long)report);
	}
	pthread_mutex_lock(&k->lock);
	uint32_t r = (uint32_t)report;
	/* A report with no values was never added: its first values add it. */
	int rc = extend && corr_case(k->corr, r) != 0 ? corr_extend(k->corr, r, vals, n, err)
	                                              : corr_add(k->corr, r, vals, n, NULL, err);
	pthread_mutex_unlock(&k->lock);
	free(vals);
	return rc;
}

/* Makes sure the engine holds a report (one without indicators is not in it
 * until a decision names it).  Under the lock. */
static int hold(struct cases *k, int64_t report, struct crix_error *err)
{
	if (report <= 0 || report >= UINT32_MAX)
		return crix_error_set(err, CRIX_EINVAL, "cases: report id %lld out of range",
		                      (long long)report);
	if (corr_case(k->corr, (uint32_t)report) != 0)
		return 0;
	return corr_add(k->corr, (uint32_t)report, NULL, 0, NULL, err);
}

/* Applies one decision to the engine.  Under the lock. */
static int apply(struct cases *k, const struct store_case_decision *d, struct crix_error *err)
{
	int rc = hold(k, d->report_id, err);
	if (rc != 0)
		return rc;
	uint32_t r = (uint32_t)d->report_id;
	unsigned type = (unsigned)ioc_type_from_name(d->type);
	if (strcmp(d->kind, "exclude") == 0)
		return corr_exclude(k->corr, r, type, d->value, strlen(d->value), err);
	if (strcmp(d->kind, "detach") == 0)
		return corr_detach(k->corr, r, err);
	if (strcmp(d->kind, "link") == 0) {
		rc = hold(k, d->other_id, err);
		return rc != 0 ? rc : corr_link(k->corr, r, (uint32_t)d->other_id, err);
	}
	if (strcmp(d->kind, "confirm") == 0) {
		rc = corr_confirm(k->corr, type, d->value, strlen(d->value), err);
		return rc == CRIX_ENOTFOUND ? 0 : rc; /* its holders were split off since */
	}
	return crix_error_set(err, CRIX_EINVAL, "case decision %lld: unknown kind '%s'",
	                      (long long)d->id, d->kind);
}

/* Replays the analysts' decisions in the order they were made, after the
 * reports are loaded: the engine then holds what it held before the restart
 * (correlate.h says why the order is enough). */
static int replay(struct cases *k, struct store *s, struct crix_error *err)
{
	int64_t after = 0;
	for (;;) {
		struct store_case_decision *d;
		size_t n;
		int rc = store_decision_list(s, after, 256, &d, &n, err);
		if (rc != 0)
			return rc;
		if (n == 0)
			return 0;
		pthread_mutex_lock(&k->lock);
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = apply(k, &d[i], err);
		pthread_mutex_unlock(&k->lock);
		after = d[n - 1].id;
		free(d);
		if (rc != 0)
			return rc;
	}
}

int cases_open(struct store *s, uint32_t over_common, struct warnlist *warn, struct cases **out,
               uint64_t *indicators, struct crix_error *err)
{
	struct cases *k = calloc(1, sizeof *k);
	*out = NULL;
	*indicators = 0;
	if (k == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
	pthread_mutex_init(&k->lock, NULL);
	k->warn = warn;
	struct corr_opts o = {.over_common = over_common,
	                      .allowed = warn != NULL ? on_warnlist : NULL,
	                      .allowed_arg = warn};
	int rc = corr_new(&o, &k->corr, err);
	int64_t after = 0;
	struct corr_value *vals = NULL;
	size_t cap = 0;
	/* Rows come in insertion order: a report's values are together, and an
	 * addition's come later as a group of their own. */
	while (rc == 0) {
		struct store_indicator *page;
		size_t n;
		rc = store_indicator_scan(s, after, 10000, &page, &n, &after, err);
		if (rc != 0 || n == 0)
			break;
		if (n > cap) {
			free(vals);
			cap = n;
			vals = malloc(cap * sizeof *vals);
			if (vals == NULL) {
				store_indicator_array_free(page, n);
				rc = crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
				break;
			}
		}
		for (size_t i = 0; rc == 0 && i < n;) {
			size_t j = i;
			while (j < n && page[j].report_id == page[i].report_id) {
				vals[j - i] = (struct corr_value){
				        (unsigned)ioc_type_from_name(page[j].type), page[j].value,
				        strlen(page[j].value)};
				j++;
			}
			rc = cases_add(k, page[i].report_id, vals, j - i, true, err);
			i = j;
		}
		*indicators += n;
		store_indicator_array_free(page, n);
	}
	free(vals);
	if (rc == 0)
		rc = replay(k, s, err);
	if (rc != 0) {
		cases_free(k);
		return rc;
	}
	triage_defaults(&k->triage);
	*out = k;
	return 0;
}

void cases_free(struct cases *k)
{
	if (k == NULL)
		return;
	corr_free(k->corr);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

int64_t cases_of(struct cases *k, int64_t report, uint32_t *size)
{
	uint32_t r = report > 0 && report < UINT32_MAX ? (uint32_t)report : 0;
	pthread_mutex_lock(&k->lock);
	uint32_t first = corr_case(k->corr, r), n = corr_case_size(k->corr, r);
	pthread_mutex_unlock(&k->lock);
	if (size != NULL)
		*size = n ? n : 1;
	return first ? first : report;
}

int cases_view(struct cases *k, struct store *s, int64_t report, const struct corr_value *given,
               size_t n_given, json_t **out, struct crix_error *err)
{
	size_t n;
	struct corr_value *vals = with_hosts(given, n_given, &n);
	if (vals == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
	uint32_t members[CASE_LIST_MAX];
	uint32_t r = report > 0 && report < UINT32_MAX ? (uint32_t)report : 0;
	json_t *shared = json_array();
	pthread_mutex_lock(&k->lock);
	uint32_t size = corr_case_size(k->corr, r), first = corr_case(k->corr, r);
	size_t nm = corr_case_members(k->corr, r, members, CASE_LIST_MAX);
	for (size_t i = 0; i < n; i++) {
		struct corr_value_info vi;
		if (corr_value_info(k->corr, vals[i].type, vals[i].value, vals[i].len, &vi) != 0 ||
		    vi.reports < 2)
			continue;
		json_t *e = json_pack("{s:s,s:s%,s:I,s:b,s:b}", "type",
		                      ioc_type_name((enum ioc_type)vals[i].type), "value",
		                      vals[i].value, vals[i].len, "reports", (json_int_t)vi.reports,
		                      "over_common", vi.over_common, "allowed", vi.allowed);
		const char *list;
		if (e != NULL && vi.allowed &&
		    warnlist_holds(k->warn, vals[i].type, vals[i].value, vals[i].len, &list) &&
		    list != NULL)
			json_object_set_new(e, "warning_list", json_string(list));
		json_array_append_new(shared, e);
	}
	pthread_mutex_unlock(&k->lock);
	free(vals);
	if (size == 0) { /* a report without indicators is a case of its own */
		size = 1;
		first = r;
		members[0] = r;
		nm = 1;
	}
	char ref[STORE_REF_MAX], status[STORE_SHORT_MAX], first_ref[STORE_REF_MAX] = "";
	json_t *list = json_array();
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < nm; i++) {
		rc = store_report_ref(s, members[i], ref, status, err);
		if (rc == 0)
			json_array_append_new(
			        list, json_pack("{s:s,s:s}", "reference", ref, "status", status));
	}
	if (rc == 0)
		rc = store_report_ref(s, first, first_ref, status, err);
	if (rc != 0) {
		json_decref(list);
		json_decref(shared);
		return rc;
	}
	*out = json_pack("{s:{s:s,s:I,s:o,s:b},s:o}", "case", "id", first_ref, "size",
	                 (json_int_t)size, "reports", list, "truncated", size > nm, "shared",
	                 shared);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

void cases_set_triage(struct cases *k, const struct triage_weights *w)
{
	k->triage = *w;
}

/* ---- analysts' decisions ---- */

/* Reads cases: staff of the reporting side (they see every report). */
static int may_read(const struct principal *p, struct crix_error *err)
{
	struct store_report probe = {.org_id = -1};
	if (!account_may_read_report(p, &probe))
		return crix_error_set(err, CRIX_EACCES,
		                      "cases are for staff of law-enforcement, CERT and "
		                      "public-sector organisations");
	return 0;
}

int cases_decide(struct cases *k, struct store *s, const struct principal *p,
                 struct store_case_decision *d, struct crix_error *err)
{
	if (!account_may_decide_cases(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "splitting, merging and confirming are for analysts of the "
		                      "reporting side");
	clock_now_iso(d->at);
	snprintf(d->actor, sizeof d->actor, "%s", p->actor);
	char object[STORE_NAME_MAX];
	snprintf(object, sizeof object, "%lld", (long long)d->report_id);
	json_t *detail = json_pack("{s:s,s:I,s:s,s:s,s:s}", "kind", d->kind, "other",
	                           (json_int_t)d->other_id, "type", d->type, "value", d->value,
	                           "note", d->note);
	char *dt = detail != NULL ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(detail);
	if (dt == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	char action[STORE_SHORT_MAX + 8];
	snprintf(action, sizeof action, "case.%s", d->kind);
	/* The lock is held across the commit so that the engine applies
	 * decisions in the order the store keeps them (the order of replay). */
	pthread_mutex_lock(&k->lock);
	struct store_tx *tx;
	int rc = store_tx_begin(s, &tx, err);
	if (rc == 0) {
		rc = store_decision_insert(tx, d, err);
		if (rc == 0)
			rc = audit_append(tx, p->actor, action, "report", object, dt, err);
		if (rc == 0)
			rc = store_tx_commit(tx, err);
		else
			store_tx_rollback(tx);
	}
	if (rc == 0)
		rc = apply(k, d, err);
	pthread_mutex_unlock(&k->lock);
	free(dt);
	return rc;
}

/* ---- the case as staff see it ---- */

#define CASE_MEMBERS_MAX 1000 /* reports shown and summed in one case view */
#define CASE_VALUES_MAX  4096 /* indicators shown */

static bool enquiry_type(unsigned t)
{
	return t == IOC_IBAN || t == IOC_PHONE || t == IOC_EMAIL || t == IOC_BTC || t == IOC_ETH ||
	       t == IOC_CARD;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* One indicator of a case, with the members holding it. */
struct cval {
	unsigned type;
	char *value;
	uint32_t reports;
};

struct case_data {
	uint32_t anchor, size;
	uint32_t *members;
	size_t n_members;
	struct cval *vals;
	size_t n_vals;
	bool vals_truncated;
	uint32_t *holders; /* pairs (member index, value index) for the graph */
	size_t n_holders;
	uint32_t (*links)[2]; /* explicit links among members */
	size_t n_links;
};

static void case_data_free(struct case_data *c)
{
	for (size_t i = 0; i < c->n_vals; i++)
		free(c->vals[i].value);
	free(c->vals);
	free(c->members);
	free(c->holders);
	free(c->links);
}

/* Copies a case out of the engine (under the lock): members, values, which
 * member holds which value, and explicit links. */
static int case_collect(struct cases *k, uint32_t report, struct case_data *c)
{
	memset(c, 0, sizeof *c);
	c->members = malloc(CASE_MEMBERS_MAX * sizeof *c->members);
	c->vals = malloc(CASE_VALUES_MAX * sizeof *c->vals);
	c->holders = malloc(CASE_VALUES_MAX * 4 * sizeof *c->holders);
	c->links = malloc(CASE_MEMBERS_MAX * sizeof *c->links);
	struct corr_value *rv = malloc(CASE_VALUES_MAX * sizeof *rv);
	if (!c->members || !c->vals || !c->holders || !c->links || !rv) {
		free(rv);
		return CRIX_ENOMEM;
	}
	int rc = 0;
	pthread_mutex_lock(&k->lock);
	c->anchor = corr_case(k->corr, report);
	c->size = corr_case_size(k->corr, report);
	if (c->anchor == 0) { /* a report without indicators is a case of its own */
		c->anchor = report;
		c->size = 1;
		c->members[0] = report;
		c->n_members = 1;
	} else {
		c->n_members = corr_case_members(k->corr, report, c->members, CASE_MEMBERS_MAX);
	}
	qsort(c->members, c->n_members, sizeof *c->members, cmp_u32);
	for (size_t m = 0; rc == 0 && m < c->n_members; m++) {
		size_t n = corr_report_values(k->corr, c->members[m], rv, CASE_VALUES_MAX);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			size_t j = 0;
			while (j < c->n_vals &&
			       (c->vals[j].type != rv[i].type ||
			        strlen(c->vals[j].value) != rv[i].len ||
			        memcmp(c->vals[j].value, rv[i].value, rv[i].len) != 0))
				j++;
			if (j == c->n_vals) {
				if (c->n_vals == CASE_VALUES_MAX) {
					c->vals_truncated = true;
					continue;
				}
				char *v = strndup(rv[i].value, rv[i].len);
				if (v == NULL) {
					rc = CRIX_ENOMEM;
					break;
				}
				c->vals[c->n_vals++] = (struct cval){rv[i].type, v, 0};
			}
			c->vals[j].reports++;
			if (c->n_holders < CASE_VALUES_MAX * 2) {
				c->holders[2 * c->n_holders] = (uint32_t)m;
				c->holders[2 * c->n_holders + 1] = (uint32_t)j;
				c->n_holders++;
			}
		}
		uint32_t other[16];
		size_t nl = corr_report_links(k->corr, c->members[m], other, 16);
		for (size_t i = 0; i < nl && c->n_links < CASE_MEMBERS_MAX; i++)
			if (other[i] > c->members[m]) { /* each link once */
				c->links[c->n_links][0] = c->members[m];
				c->links[c->n_links][1] = other[i];
				c->n_links++;
			}
	}
	pthread_mutex_unlock(&k->lock);
	free(rv);
	return rc;
}

/* Days between two ISO times (b - a). */
static double days_between(const char *a, const char *b)
{
	int64_t ta, tb;
	char tmp[CLOCK_ISO_LEN];
	if (clock_parse_iso(a, "a", tmp, &ta, NULL) != 0 ||
	    clock_parse_iso(b, "b", tmp, &tb, NULL) != 0)
		return 0;
	return (double)(tb - ta) / 86400.0;
}

struct loss_acc {
	char currency[4];
	int64_t *v;
	size_t n;
};

/*
 * The case summary: reports (brief), victims, losses (total and median per
 * currency), categories, regions, first and last report, the triage score.
 * OUT: *out; *open, whether a report of it still waits for work.
 */
static int case_summary(struct cases *k, struct store *s, const struct case_data *c,
                        bool with_lists, json_t **out, double *score, bool *open,
                        struct crix_error *err)
{
	json_t *reports = json_array(), *cats = json_object(), *regions = json_object();
	struct loss_acc acc[TRIAGE_CURRENCIES] = {{{0}, NULL, 0}};
	size_t n_acc = 0;
	struct triage_input ti = {0};
	char first[CLOCK_ISO_LEN] = "", last[CLOCK_ISO_LEN] = "", now[CLOCK_ISO_LEN];
	char anchor_ref[STORE_REF_MAX] = "";
	clock_now_iso(now);
	*open = false;
	int rc = 0;
	for (size_t m = 0; rc == 0 && m < c->n_members; m++) {
		struct store_report r;
		rc = store_report_brief(s, c->members[m], &r, err);
		if (rc != 0)
			break;
		if (c->members[m] == c->anchor)
			snprintf(anchor_ref, sizeof anchor_ref, "%s", r.ref);
		if (strcmp(r.status, "received") == 0 || strcmp(r.status, "triaged") == 0 ||
		    strcmp(r.status, "under-review") == 0)
			*open = true;
		bool crime = strcmp(r.kind, "crime") == 0;
		ti.victims += crime;
		ti.vulnerable += crime && r.vulnerable;
		if (first[0] == '\0' || strcmp(r.created, first) < 0)
			snprintf(first, sizeof first, "%s", r.created);
		if (strcmp(r.created, last) > 0)
			snprintf(last, sizeof last, "%s", r.created);
		if (days_between(r.created, now) <= k->triage.ongoing_days)
			ti.ongoing++;
		json_object_set_new(
		        cats, r.category,
		        json_integer(json_integer_value(json_object_get(cats, r.category)) + 1));
		if (r.region[0])
			json_object_set_new(regions, r.region,
			                    json_integer(json_integer_value(json_object_get(
			                                         regions, r.region)) +
			                                 1));
		if (r.loss_minor > 0 && r.currency[0]) {
			size_t i = 0;
			while (i < n_acc && strcmp(acc[i].currency, r.currency) != 0)
				i++;
			if (i == n_acc && n_acc < TRIAGE_CURRENCIES)
				snprintf(acc[n_acc++].currency, 4, "%s", r.currency);
			if (i < n_acc) {
				int64_t *v = realloc(acc[i].v, (acc[i].n + 1) * sizeof *v);
				if (v == NULL)
					rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
				else
					(acc[i].v = v)[acc[i].n++] = r.loss_minor;
			}
		}
		if (with_lists)
			json_array_append_new(
			        reports,
			        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:b}", "reference",
			                  r.ref, "status", r.status, "kind", r.kind, "category",
			                  r.category, "created", r.created, "region", r.region,
			                  "loss_minor", (json_int_t)r.loss_minor, "currency",
			                  r.currency, "vulnerable", r.vulnerable != 0));
		store_report_clear(&r);
	}
	json_t *losses = json_array();
	for (size_t i = 0; i < n_acc; i++) {
		qsort(acc[i].v, acc[i].n, sizeof *acc[i].v, cmp_i64);
		int64_t sum = 0;
		for (size_t j = 0; j < acc[i].n; j++)
			sum += acc[i].v[j];
		int64_t med = acc[i].n % 2
		                      ? acc[i].v[acc[i].n / 2]
		                      : (acc[i].v[acc[i].n / 2 - 1] + acc[i].v[acc[i].n / 2]) / 2;
		json_array_append_new(losses,
		                      json_pack("{s:s,s:I,s:I,s:I}", "currency", acc[i].currency,
		                                "total_minor", (json_int_t)sum, "median_minor",
		                                (json_int_t)med, "reports", (json_int_t)acc[i].n));
		memcpy(ti.losses[i].currency, acc[i].currency, sizeof acc[i].currency);
		ti.losses[i].total_minor = sum;
		free(acc[i].v);
	}
	ti.n_losses = n_acc;
	for (size_t i = 0; i < c->n_vals; i++)
		ti.enquiry_lines += enquiry_type(c->vals[i].type);
	ti.age_days = last[0] ? days_between(last, now) : 0;
	if (ti.age_days < 0)
		ti.age_days = 0;
	json_t *reasons;
	*score = triage_score(&k->triage, &ti, &reasons);
	if (rc != 0) {
		json_decref(reports);
		json_decref(cats);
		json_decref(regions);
		json_decref(losses);
		json_decref(reasons);
		return rc;
	}
	*out = json_pack("{s:s,s:I,s:b,s:I,s:I,s:o,s:o,s:o,s:s,s:s,s:I,s:{s:f,s:o}}", "id",
	                 anchor_ref, "size", (json_int_t)c->size, "truncated",
	                 c->size > c->n_members, "victims", (json_int_t)ti.victims,
	                 "vulnerable_victims", (json_int_t)ti.vulnerable, "losses", losses,
	                 "categories", cats, "regions", regions, "first_report", first,
	                 "last_report", last, "lines_of_enquiry", (json_int_t)ti.enquiry_lines,
	                 "triage", "score", *score, "reasons", reasons);
	if (*out == NULL) {
		json_decref(reports);
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	if (with_lists) {
		json_t *inds = json_array();
		for (size_t i = 0; i < c->n_vals; i++)
			json_array_append_new(
			        inds, json_pack("{s:s,s:s,s:I,s:b}", "type",
			                        ioc_type_name((enum ioc_type)c->vals[i].type),
			                        "value", c->vals[i].value, "reports",
			                        (json_int_t)c->vals[i].reports, "line_of_enquiry",
			                        enquiry_type(c->vals[i].type)));
		json_object_set_new(*out, "reports", reports);
		json_object_set_new(*out, "indicators", inds);
		json_object_set_new(*out, "indicators_truncated", json_boolean(c->vals_truncated));
	} else {
		json_decref(reports);
	}
	return 0;
}

int cases_get(struct cases *k, struct store *s, const struct principal *p, int64_t report,
              bool graph, json_t **out, struct crix_error *err)
{
	*out = NULL;
	int rc = may_read(p, err);
	if (rc != 0)
		return rc;
	if (report <= 0 || report >= UINT32_MAX)
		return crix_error_set(err, CRIX_ENOTFOUND, "case not found");
	struct case_data c;
	if (case_collect(k, (uint32_t)report, &c) != 0) {
		case_data_free(&c);
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	double score;
	bool open;
	json_t *sum = NULL;
	rc = case_summary(k, s, &c, true, &sum, &score, &open, err);
	if (rc == 0 && graph) {
		/* Reports and indicators as nodes; "holds" edges from a report to
		 * its indicators, "linked" edges for analysts' merges. */
		json_t *nodes = json_array(), *edges = json_array();
		json_t *reps = json_object_get(sum, "reports");
		size_t i;
		json_t *r;
		json_array_foreach(reps, i, r)
		{
			json_array_append_new(
			        nodes,
			        json_pack("{s:s,s:s,s:O,s:O}", "id",
			                  json_string_value(json_object_get(r, "reference")),
			                  "kind", "report", "status", json_object_get(r, "status"),
			                  "category", json_object_get(r, "category")));
		}
		for (i = 0; i < c.n_vals; i++) {
			char id[32];
			snprintf(id, sizeof id, "i%zu", i);
			json_array_append_new(
			        nodes,
			        json_pack("{s:s,s:s,s:s,s:s}", "id", id, "kind", "indicator",
			                  "type", ioc_type_name((enum ioc_type)c.vals[i].type),
			                  "value", c.vals[i].value));
		}
		for (i = 0; i < c.n_holders; i++) {
			char id[32];
			snprintf(id, sizeof id, "i%u", c.holders[2 * i + 1]);
			json_t *rep = json_array_get(reps, c.holders[2 * i]);
			json_array_append_new(edges, json_pack("{s:O,s:s,s:s}", "from",
			                                       json_object_get(rep, "reference"),
			                                       "to", id, "kind", "holds"));
		}
		for (i = 0; rc == 0 && i < c.n_links; i++) {
			char a[STORE_REF_MAX], b[STORE_REF_MAX], st[STORE_SHORT_MAX];
			rc = store_report_ref(s, c.links[i][0], a, st, err);
			if (rc == 0)
				rc = store_report_ref(s, c.links[i][1], b, st, err);
			if (rc == 0)
				json_array_append_new(edges, json_pack("{s:s,s:s,s:s}", "from", a,
				                                       "to", b, "kind", "linked"));
		}
		json_t *g = json_pack("{s:O,s:O,s:o,s:o}", "id", json_object_get(sum, "id"), "size",
		                      json_object_get(sum, "size"), "nodes", nodes, "edges", edges);
		json_decref(sum);
		sum = g;
	}
	case_data_free(&c);
	if (rc != 0) {
		json_decref(sum);
		return rc;
	}
	*out = sum;
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

/* ---- the triage queue ---- */

struct qent {
	double score;
	uint32_t anchor;
	json_t *sum;
};

static int cmp_qent(const void *a, const void *b)
{
	const struct qent *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->anchor > y->anchor) - (x->anchor < y->anchor);
}

int cases_queue(struct cases *k, struct store *s, const struct principal *p, size_t offset,
                size_t limit, json_t **out, struct crix_error *err)
{
	*out = NULL;
	int rc = may_read(p, err);
	if (rc != 0)
		return rc;
	/* The cases that still wait for work: those with a report received,
	 * triaged or under review.  One pass over the reports by id. */
	uint32_t *anchors = NULL;
	size_t n_anchors = 0, cap = 0;
	int64_t after = 0;
	while (rc == 0) {
		struct store_report *page;
		size_t n;
		rc = store_report_brief_scan(s, after, 5000, &page, &n, err);
		if (rc != 0 || n == 0)
			break;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const char *st = page[i].status;
			if (strcmp(st, "received") != 0 && strcmp(st, "triaged") != 0 &&
			    strcmp(st, "under-review") != 0)
				continue;
			if (n_anchors == CASES_QUEUE_MAX) {
				rc = crix_error_set(err, CRIX_ETOOBIG,
				                    "more than %d open cases: narrow the queue",
				                    CASES_QUEUE_MAX);
				break;
			}
			int64_t id = page[i].id;
			uint32_t size;
			int64_t a = cases_of(k, id, &size);
			if (n_anchors == cap) {
				cap = cap ? cap * 2 : 256;
				uint32_t *na = realloc(anchors, cap * sizeof *na);
				if (na == NULL) {
					rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
					break;
				}
				anchors = na;
			}
			anchors[n_anchors++] = (uint32_t)a;
		}
		after = page[n - 1].id;
		store_report_array_free(page, n);
	}
	qsort(anchors, n_anchors, sizeof *anchors, cmp_u32);
	struct qent *q = n_anchors ? calloc(n_anchors, sizeof *q) : NULL;
	if (rc == 0 && n_anchors && q == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	size_t nq = 0;
	for (size_t i = 0; rc == 0 && i < n_anchors; i++) {
		if (i > 0 && anchors[i] == anchors[i - 1])
			continue;
		struct case_data c;
		if (case_collect(k, anchors[i], &c) != 0)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		bool open;
		if (rc == 0)
			rc = case_summary(k, s, &c, false, &q[nq].sum, &q[nq].score, &open, err);
		case_data_free(&c);
		if (rc == 0)
			q[nq++].anchor = anchors[i];
	}
	free(anchors);
	if (rc == 0)
		qsort(q, nq, sizeof *q, cmp_qent);
	json_t *list = json_array();
	for (size_t i = 0; i < nq; i++) {
		if (rc == 0 && i >= offset && i < offset + limit)
			json_array_append(list, q[i].sum);
		json_decref(q[i].sum);
	}
	free(q);
	if (rc != 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o,s:I,s:o}", "cases", list, "total", (json_int_t)nq, "next",
	                 offset + limit < nq ? json_integer((json_int_t)(offset + limit))
	                                     : json_null());
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

/* ---- requests: references in, decisions and views out ---- */

/* The store id of the report a reference names.  CRIX_ENOTFOUND names field. */
static int resolve(struct store *s, const char *ref_in, const char *field, int64_t *id,
                   struct crix_error *err)
{
	char ref[REF_LEN + 1];
	struct crix_error e = {0};
	if (ref_parse(ref_in, ref, &e) != 0)
		return crix_error_field(err, field, CRIX_EINVAL, "%s: %s", field, e.msg);
	struct store_report r;
	int rc = store_report_get(s, ref, &r, err);
	if (rc == CRIX_ENOTFOUND)
		return crix_error_field(err, field, CRIX_ENOTFOUND, "%s: no report %s", field, ref);
	if (rc != 0)
		return rc;
	*id = r.id;
	store_report_clear(&r);
	return 0;
}

int cases_view_ref(struct cases *k, struct store *s, const struct principal *p,
                   const char *case_ref, bool graph, json_t **out, struct crix_error *err)
{
	*out = NULL;
	int64_t id;
	int rc = may_read(p, err);
	if (rc == 0)
		rc = resolve(s, case_ref, "id", &id, err);
	return rc != 0 ? rc : cases_get(k, s, p, id, graph, out, err);
}

/* The optional "note" of a decision: a string of at most 500 bytes. */
static int take_note(json_t *in, char *note, size_t cap, struct crix_error *err)
{
	json_t *n = json_object_get(in, "note");
	note[0] = '\0';
	if (n == NULL)
		return 0;
	if (!json_is_string(n) || json_string_length(n) > 500 || json_string_length(n) >= cap)
		return crix_error_field(err, "note", CRIX_EINVAL,
		                        "note: a string of up to 500 "
		                        "bytes");
	memcpy(note, json_string_value(n), json_string_length(n) + 1);
	return 0;
}

/* "type" and "value" as a canonical indicator.  OUT: d->type, d->value. */
static int take_value(const struct ioc_ctx *ioc, json_t *in, struct store_case_decision *d,
                      struct crix_error *err)
{
	const char *t = json_string_value(json_object_get(in, "type"));
	json_t *jv = json_object_get(in, "value");
	enum ioc_type type = t != NULL ? ioc_type_from_name(t) : IOC_NONE;
	if (type == IOC_NONE)
		return crix_error_field(err, "type", CRIX_EINVAL,
		                        "type: an indicator type (domain, phone, iban, ...)");
	if (!json_is_string(jv) || json_string_length(jv) > IOC_VALUE_MAX)
		return crix_error_field(err, "value", CRIX_EINVAL, "value: a string");
	struct ioc_value v;
	struct crix_error e = {0};
	if (ioc_parse(ioc, type, json_string_value(jv), json_string_length(jv), NULL, &v, &e) != 0)
		return crix_error_field(err, "value", CRIX_EINVAL, "value: %s", e.msg);
	snprintf(d->type, sizeof d->type, "%s", ioc_type_name(type));
	memcpy(d->value, v.v, v.len + 1);
	return 0;
}

/* Does report link (or, being over-common, not link) through the value? */
static bool holds(struct cases *k, uint32_t report, const struct store_case_decision *d)
{
	unsigned type = (unsigned)ioc_type_from_name(d->type);
	size_t len = strlen(d->value);
	struct corr_value *rv = malloc(CASE_VALUES_MAX * sizeof *rv);
	if (rv == NULL)
		return false;
	pthread_mutex_lock(&k->lock);
	size_t n = corr_report_values(k->corr, report, rv, CASE_VALUES_MAX);
	bool found = false;
	for (size_t i = 0; i < n && !found; i++)
		found = rv[i].type == type && rv[i].len == len &&
		        memcmp(rv[i].value, d->value, len) == 0;
	pthread_mutex_unlock(&k->lock);
	free(rv);
	return found;
}

static int decide_check(const struct principal *p, json_t *in, struct crix_error *err)
{
	if (!account_may_decide_cases(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "splitting, merging and confirming are for analysts of the "
		                      "reporting side");
	if (!json_is_object(in))
		return crix_error_set(err, CRIX_EINVAL, "the body must be a JSON object");
	return 0;
}

int cases_split(struct cases *k, struct store *s, const struct ioc_ctx *ioc,
                const struct principal *p, const char *case_ref, json_t *in, json_t **out,
                struct crix_error *err)
{
	*out = NULL;
	struct store_case_decision d = {0};
	int64_t c, r;
	int rc = decide_check(p, in, err);
	if (rc == 0)
		rc = resolve(s, case_ref, "id", &c, err);
	if (rc == 0 && !json_is_string(json_object_get(in, "report")))
		rc = crix_error_field(err, "report", CRIX_EINVAL,
		                      "report: the reference of the report to split off");
	if (rc == 0)
		rc = resolve(s, json_string_value(json_object_get(in, "report")), "report", &r,
		             err);
	if (rc == 0)
		rc = take_note(in, d.note, sizeof d.note, err);
	if (rc != 0)
		return rc;
	if (cases_of(k, r, NULL) != cases_of(k, c, NULL))
		return crix_error_field(err, "report", CRIX_EINVAL, "report: not in case %s",
		                        case_ref);
	d.report_id = r;
	if (json_object_get(in, "type") != NULL || json_object_get(in, "value") != NULL) {
		if ((rc = take_value(ioc, in, &d, err)) != 0)
			return rc;
		if (r >= UINT32_MAX || !holds(k, (uint32_t)r, &d))
			return crix_error_field(err, "value", CRIX_EINVAL,
			                        "value: the report does not link through %s %s",
			                        d.type, d.value);
		snprintf(d.kind, sizeof d.kind, "exclude");
	} else {
		snprintf(d.kind, sizeof d.kind, "detach");
	}
	rc = cases_decide(k, s, p, &d, err);
	json_t *a = NULL, *b = NULL;
	if (rc == 0)
		rc = cases_get(k, s, p, c, false, &a, err);
	if (rc == 0)
		rc = cases_get(k, s, p, r, false, &b, err);
	if (rc != 0) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:I,s:o,s:o}", "decision", (json_int_t)d.id, "case", a, "report_case",
	                 b);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

int cases_merge(struct cases *k, struct store *s, const struct principal *p, const char *case_ref,
                json_t *in, json_t **out, struct crix_error *err)
{
	*out = NULL;
	struct store_case_decision d = {0};
	int64_t c, o;
	int rc = decide_check(p, in, err);
	if (rc == 0)
		rc = resolve(s, case_ref, "id", &c, err);
	if (rc == 0 && !json_is_string(json_object_get(in, "case")))
		rc = crix_error_field(
		        err, "case", CRIX_EINVAL,
		        "case: the id (or any report reference) of the case to merge");
	if (rc == 0)
		rc = resolve(s, json_string_value(json_object_get(in, "case")), "case", &o, err);
	if (rc == 0)
		rc = take_note(in, d.note, sizeof d.note, err);
	if (rc != 0)
		return rc;
	int64_t ca = cases_of(k, c, NULL), cb = cases_of(k, o, NULL);
	if (ca == cb)
		return crix_error_field(err, "case", CRIX_EEXIST, "case: already one case");
	d.report_id = ca;
	d.other_id = cb;
	snprintf(d.kind, sizeof d.kind, "link");
	rc = cases_decide(k, s, p, &d, err);
	json_t *a = NULL;
	if (rc == 0)
		rc = cases_get(k, s, p, c, false, &a, err);
	if (rc != 0)
		return rc;
	*out = json_pack("{s:I,s:o}", "decision", (json_int_t)d.id, "case", a);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

int cases_confirm(struct cases *k, struct store *s, const struct ioc_ctx *ioc,
                  const struct principal *p, const char *case_ref, json_t *in, json_t **out,
                  struct crix_error *err)
{
	*out = NULL;
	struct store_case_decision d = {0};
	int64_t c;
	int rc = decide_check(p, in, err);
	if (rc == 0)
		rc = resolve(s, case_ref, "id", &c, err);
	if (rc == 0)
		rc = take_value(ioc, in, &d, err);
	if (rc == 0)
		rc = take_note(in, d.note, sizeof d.note, err);
	if (rc != 0)
		return rc;
	if (c >= UINT32_MAX || !holds(k, (uint32_t)c, &d))
		return crix_error_field(err, "value", CRIX_EINVAL,
		                        "value: report %s does not hold %s %s", case_ref, d.type,
		                        d.value);
	struct corr_value_info vi;
	pthread_mutex_lock(&k->lock);
	rc = corr_value_info(k->corr, (unsigned)ioc_type_from_name(d.type), d.value,
	                     strlen(d.value), &vi);
	pthread_mutex_unlock(&k->lock);
	if (rc != 0 || !vi.over_common)
		return crix_error_field(err, "value", CRIX_EEXIST,
		                        "value: not over-common (it links already, or is "
		                        "warning-listed and never links)");
	d.report_id = c;
	snprintf(d.kind, sizeof d.kind, "confirm");
	rc = cases_decide(k, s, p, &d, err);
	json_t *a = NULL;
	if (rc == 0)
		rc = cases_get(k, s, p, c, false, &a, err);
	if (rc != 0)
		return rc;
	*out = json_pack("{s:I,s:o}", "decision", (json_int_t)d.id, "case", a);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}
