#include "model/cases.h"

#include "ioc/ioc.h"
#include "model/audit.h"
#include "model/ref.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CASE_LIST_MAX 200

static int cmp_u32_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* A stable case id (store_case_id in memory): ids[seq - 1]. */
struct cid {
	int64_t report;      /* the report that carries it */
	int64_t merged_into; /* 0 while live */
	int64_t next;        /* the next id the same report carries, 0 for none */
	char name[STORE_SHORT_MAX];
};

struct cases {
	pthread_mutex_t lock;
	struct corr *corr;
	struct warnlist *warn;
	struct triage_weights triage;
	struct store *store; /* where ids are kept (set by cases_open) */
	struct cid *ids;
	size_t n_ids, cap_ids;
	int64_t *carried; /* carried[report]: the first id it carries (a seq), 0 for none */
	size_t n_carried;
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

/* ---- stable case ids ----
 *
 * An id is carried by a report.  A case's id is the oldest live id (the
 * smallest seq) carried by one of its reports; a case whose reports carry
 * none gets a new one, carried by its oldest report.  When cases merge, the
 * younger live ids are retired (merged_into the survivor) and stay
 * resolvable: an id leads to its carrier, and the carrier to its case now.
 * When a case splits (cases_decide), the part holding the oldest report
 * keeps the id and each other part gets a new one.  Ids are settled when a
 * case is read or decided on, never on intake, so linking a new report
 * still costs time proportional to its own values.  Everything here runs
 * under k->lock.
 */

/* Changes of ids to write, in order. */
struct idops {
	struct store_case_id *v;
	size_t n, cap;
	bool *insert;
};

static void idops_free(struct idops *o)
{
	free(o->v);
	free(o->insert);
}

static int idops_push(struct idops *o, int64_t seq, const struct cid *c, bool insert,
                      const char *created)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct store_case_id *v = realloc(o->v, cap * sizeof *v);
		if (v == NULL)
			return CRIX_ENOMEM;
		o->v = v;
		bool *ins = realloc(o->insert, cap * sizeof *ins);
		if (ins == NULL)
			return CRIX_ENOMEM;
		o->insert = ins;
		o->cap = cap;
	}
	struct store_case_id *e = &o->v[o->n];
	memset(e, 0, sizeof *e);
	e->seq = seq;
	e->report_id = c->report;
	e->merged_into = c->merged_into;
	snprintf(e->name, sizeof e->name, "%s", c->name);
	snprintf(e->created, sizeof e->created, "%s", created != NULL ? created : "");
	o->insert[o->n++] = insert;
	return 0;
}

/* Threads seq onto the list of ids its carrier holds. */
static int carry(struct cases *k, int64_t seq, int64_t report)
{
	if (report <= 0)
		return CRIX_EINVAL;
	if ((size_t)report >= k->n_carried) {
		size_t n = k->n_carried ? k->n_carried : 1024;
		while (n <= (size_t)report)
			n *= 2;
		int64_t *c = realloc(k->carried, n * sizeof *c);
		if (c == NULL)
			return CRIX_ENOMEM;
		memset(c + k->n_carried, 0, (n - k->n_carried) * sizeof *c);
		k->carried = c;
		k->n_carried = n;
	}
	struct cid *c = &k->ids[seq - 1];
	c->report = report;
	c->next = k->carried[report];
	k->carried[report] = seq;
	return 0;
}

/* Takes seq off its carrier's list. */
static void uncarry(struct cases *k, int64_t seq)
{
	int64_t r = k->ids[seq - 1].report;
	int64_t *at = &k->carried[r];
	while (*at != 0 && *at != seq)
		at = &k->ids[*at - 1].next;
	if (*at == seq)
		*at = k->ids[seq - 1].next;
	k->ids[seq - 1].next = 0;
}

static int ids_grow(struct cases *k)
{
	if (k->n_ids < k->cap_ids)
		return 0;
	size_t cap = k->cap_ids ? k->cap_ids * 2 : 256;
	struct cid *v = realloc(k->ids, cap * sizeof *v);
	if (v == NULL)
		return CRIX_ENOMEM;
	k->ids = v;
	k->cap_ids = cap;
	return 0;
}

/* Forgets every id (before reloading them). */
static void ids_clear(struct cases *k)
{
	k->n_ids = 0;
	if (k->carried != NULL)
		memset(k->carried, 0, k->n_carried * sizeof *k->carried);
}

/* Reads every id from the store. */
static int ids_load(struct cases *k, struct store *s, struct crix_error *err)
{
	ids_clear(k);
	int64_t after = 0;
	for (;;) {
		struct store_case_id *v;
		size_t n;
		int rc = store_case_id_list(s, after, 1024, &v, &n, err);
		if (rc != 0)
			return rc;
		if (n == 0)
			return 0;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (v[i].seq != (int64_t)k->n_ids + 1) {
				rc = crix_error_set(err, CRIX_EIO,
				                    "case ids: seq %lld out of order",
				                    (long long)v[i].seq);
				break;
			}
			if (ids_grow(k) != 0) {
				rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
				break;
			}
			struct cid *c = &k->ids[k->n_ids++];
			*c = (struct cid){.merged_into = v[i].merged_into};
			snprintf(c->name, sizeof c->name, "%s", v[i].name);
			if (carry(k, v[i].seq, v[i].report_id) != 0)
				rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		}
		after = v[n - 1].seq;
		free(v);
		if (rc != 0)
			return rc;
	}
}

/* Writes the changes in one transaction.  The memory already holds them;
 * when the write fails it is reloaded from the store, so the two agree. */
static int idops_flush(struct cases *k, struct idops *o, struct crix_error *err)
{
	if (o->n == 0)
		return 0;
	struct store_tx *tx;
	int rc = store_tx_begin(k->store, &tx, err);
	for (size_t i = 0; rc == 0 && i < o->n; i++)
		rc = o->insert[i] ? store_case_id_insert(tx, &o->v[i], err)
		                  : store_case_id_update(tx, &o->v[i], err);
	if (rc == 0)
		rc = store_tx_commit(tx, err);
	else if (tx != NULL)
		store_tx_rollback(tx);
	if (rc != 0)
		ids_load(k, k->store, NULL);
	o->n = 0;
	return rc;
}

/* The case's reports, every one (a report the engine does not hold is a
 * case of its own).  OUT: *out (free()), *n. */
static int members_all(struct cases *k, uint32_t report, uint32_t **out, size_t *n)
{
	uint32_t size = corr_case_size(k->corr, report);
	*out = malloc((size ? size : 1) * sizeof **out);
	if (*out == NULL)
		return CRIX_ENOMEM;
	if (size == 0) {
		(*out)[0] = report;
		*n = 1;
		return 0;
	}
	*n = corr_case_members(k->corr, report, *out, size);
	return 0;
}

/* The oldest report of the case of report. */
static uint32_t anchor_of(struct cases *k, uint32_t report)
{
	uint32_t a = corr_case(k->corr, report);
	return a ? a : report;
}

/*
 * The report a split records as its source (other_id): the case's oldest
 * report, whose case keeps the case's id (settle_split), unless it is the
 * one split off, then the oldest other member; 0 for a case of one.  The
 * split then shows in the history of the case it left as well as in that
 * of the report's new case.
 */
static int64_t split_source(int64_t report, const uint32_t *m, size_t n, uint32_t anchor)
{
	if (anchor != report)
		return anchor;
	uint32_t best = 0;
	for (size_t i = 0; i < n; i++)
		if (m[i] != report && (best == 0 || m[i] < best))
			best = m[i];
	return best;
}

/* Gives the case of report its one live id: a new one when its reports
 * carry none, the oldest when they carry several (the others retire into
 * it).  OUT: *seq. */
static int settle_locked(struct cases *k, uint32_t report, struct idops *o, int64_t *seq)
{
	uint32_t *m;
	size_t n;
	if (members_all(k, report, &m, &n) != 0)
		return CRIX_ENOMEM;
	int64_t best = 0;
	for (size_t i = 0; i < n; i++)
		for (int64_t q = m[i] < k->n_carried ? k->carried[m[i]] : 0; q != 0;
		     q = k->ids[q - 1].next)
			if (k->ids[q - 1].merged_into == 0 && (best == 0 || q < best))
				best = q;
	int rc = 0;
	if (best != 0) {
		for (size_t i = 0; rc == 0 && i < n; i++)
			for (int64_t q = m[i] < k->n_carried ? k->carried[m[i]] : 0;
			     rc == 0 && q != 0; q = k->ids[q - 1].next)
				if (k->ids[q - 1].merged_into == 0 && q != best) {
					k->ids[q - 1].merged_into = best;
					rc = idops_push(o, q, &k->ids[q - 1], false, NULL);
				}
	} else if ((rc = ids_grow(k)) == 0) {
		char now[CLOCK_ISO_LEN];
		clock_now_iso(now);
		best = (int64_t)k->n_ids + 1;
		struct cid *c = &k->ids[k->n_ids++];
		*c = (struct cid){0};
		snprintf(c->name, sizeof c->name, "CASE-%.4s-%06lld", now, (long long)best);
		rc = carry(k, best, anchor_of(k, report));
		if (rc == 0)
			rc = idops_push(o, best, c, true, now);
	}
	free(m);
	*seq = best;
	return rc;
}

/* The live id of the case of report, settled and written.  OUT: name. */
static int settle(struct cases *k, uint32_t report, int64_t *seq, char name[STORE_SHORT_MAX],
                  struct crix_error *err)
{
	struct idops o = {0};
	int rc = settle_locked(k, report, &o, seq);
	if (rc != 0) {
		idops_free(&o);
		ids_load(k, k->store, NULL);
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	rc = idops_flush(k, &o, err);
	idops_free(&o);
	if (rc == 0 && name != NULL)
		snprintf(name, STORE_SHORT_MAX, "%s", k->ids[*seq - 1].name);
	return rc;
}

/* After a split of the case whose reports were m[0..n) and whose id was
 * seq: the part holding the oldest report (anchor) keeps seq, each other
 * part gets an id of its own. */
static int settle_split(struct cases *k, const uint32_t *m, size_t n, uint32_t anchor, int64_t seq,
                        struct crix_error *err)
{
	struct idops o = {0};
	int rc = 0;
	if (anchor_of(k, (uint32_t)k->ids[seq - 1].report) != anchor_of(k, anchor)) {
		uncarry(k, seq);
		rc = carry(k, seq, anchor);
		if (rc == 0)
			rc = idops_push(&o, seq, &k->ids[seq - 1], false, NULL);
	}
	uint32_t *seen = malloc((n ? n : 1) * sizeof *seen);
	size_t ns = 0;
	if (seen == NULL)
		rc = CRIX_ENOMEM;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		uint32_t a = anchor_of(k, m[i]);
		size_t j = 0;
		while (j < ns && seen[j] != a)
			j++;
		if (j < ns)
			continue;
		seen[ns++] = a;
		int64_t got;
		rc = settle_locked(k, a, &o, &got);
	}
	free(seen);
	if (rc != 0) {
		idops_free(&o);
		ids_load(k, k->store, NULL);
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	rc = idops_flush(k, &o, err);
	idops_free(&o);
	return rc;
}

/* The seq a "CASE-YYYY-NNNNNN" names, 0 when it is not of that form or
 * unknown. */
static int64_t id_parse(const struct cases *k, const char *text)
{
	if (strncasecmp(text, "CASE-", 5) != 0)
		return 0;
	const char *p = text + 5;
	for (int i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	if (p[4] != '-' || p[5] == '\0' || strlen(p + 5) > 12)
		return 0;
	int64_t seq = 0;
	for (const char *q = p + 5; *q; q++) {
		if (*q < '0' || *q > '9')
			return 0;
		seq = seq * 10 + (*q - '0');
	}
	if (seq <= 0 || seq > (int64_t)k->n_ids || strcasecmp(k->ids[seq - 1].name, text) != 0)
		return 0;
	return seq;
}

bool cases_is_case_id(const char *text)
{
	return text != NULL && strncasecmp(text, "CASE-", 5) == 0;
}

int cases_resolve_id(struct cases *k, const char *text, const char *field, struct cases_handle *h,
                     struct crix_error *err)
{
	memset(h, 0, sizeof *h);
	pthread_mutex_lock(&k->lock);
	int64_t seq = id_parse(k, text);
	int rc = 0;
	if (seq == 0) {
		rc = crix_error_field(err, field, CRIX_ENOTFOUND, "%s: no case %.40s", field, text);
	} else {
		int64_t live;
		rc = settle(k, (uint32_t)k->ids[seq - 1].report, &live, h->name, err);
		if (rc == 0) {
			h->seq = live;
			h->anchor = anchor_of(k, (uint32_t)k->ids[seq - 1].report);
			if (live != seq)
				snprintf(h->moved_from, sizeof h->moved_from, "%s",
				         k->ids[seq - 1].name);
		}
	}
	pthread_mutex_unlock(&k->lock);
	return rc;
}

int cases_handle_of(struct cases *k, int64_t report, struct cases_handle *h, struct crix_error *err)
{
	memset(h, 0, sizeof *h);
	if (report <= 0 || report >= UINT32_MAX)
		return crix_error_set(err, CRIX_ENOTFOUND, "case not found");
	pthread_mutex_lock(&k->lock);
	int rc = settle(k, (uint32_t)report, &h->seq, h->name, err);
	h->anchor = anchor_of(k, (uint32_t)report);
	pthread_mutex_unlock(&k->lock);
	return rc;
}

int cases_members(struct cases *k, int64_t report, uint32_t **out, size_t *n,
                  struct crix_error *err)
{
	pthread_mutex_lock(&k->lock);
	int rc = members_all(k, (uint32_t)report, out, n);
	pthread_mutex_unlock(&k->lock);
	if (rc != 0)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	qsort(*out, *n, sizeof **out, cmp_u32_ids);
	return 0;
}

size_t cases_carried(struct cases *k, int64_t report, int64_t *out, size_t max)
{
	uint32_t *m;
	size_t n, got = 0;
	pthread_mutex_lock(&k->lock);
	if (members_all(k, (uint32_t)report, &m, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			for (int64_t q = m[i] < k->n_carried ? k->carried[m[i]] : 0;
			     q != 0 && got < max; q = k->ids[q - 1].next)
				out[got++] = q;
		free(m);
	}
	pthread_mutex_unlock(&k->lock);
	return got;
}

int cases_id_name(struct cases *k, int64_t seq, char name[STORE_SHORT_MAX])
{
	pthread_mutex_lock(&k->lock);
	int ok = seq > 0 && seq <= (int64_t)k->n_ids;
	if (ok)
		snprintf(name, STORE_SHORT_MAX, "%s", k->ids[seq - 1].name);
	pthread_mutex_unlock(&k->lock);
	return ok ? 0 : CRIX_ENOTFOUND;
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
	k->store = s;
	if (rc == 0)
		rc = ids_load(k, s, err);
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
	free(k->ids);
	free(k->carried);
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
	char *dt = NULL;
	char action[STORE_SHORT_MAX + 8];
	snprintf(action, sizeof action, "case.%s", d->kind);
	/* The lock is held across the commit so that the engine applies
	 * decisions in the order the store keeps them (the order of replay). */
	pthread_mutex_lock(&k->lock);
	/* Stable ids: both cases of a merge have theirs first (the older one
	 * survives); a split remembers the case it splits and its id. */
	bool splits = strcmp(d->kind, "exclude") == 0 || strcmp(d->kind, "detach") == 0;
	uint32_t *pre_m = NULL, pre_anchor = 0;
	size_t pre_n = 0;
	int64_t pre_seq = 0, other_seq;
	int rc = 0;
	if (d->report_id <= 0 || d->report_id >= UINT32_MAX || d->other_id < 0 ||
	    d->other_id >= UINT32_MAX)
		rc = crix_error_set(err, CRIX_EINVAL, "cases: report id out of range");
	if (rc == 0)
		rc = settle(k, (uint32_t)d->report_id, &pre_seq, NULL, err);
	if (rc == 0 && d->other_id > 0)
		rc = settle(k, (uint32_t)d->other_id, &other_seq, NULL, err);
	if (rc == 0 && splits) {
		pre_anchor = anchor_of(k, (uint32_t)d->report_id);
		if (members_all(k, (uint32_t)d->report_id, &pre_m, &pre_n) != 0)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		else
			d->other_id = split_source(d->report_id, pre_m, pre_n, pre_anchor);
	}
	/* the audit detail is the decision as stored, a split's source too */
	if (rc == 0) {
		json_t *detail = json_pack("{s:s,s:I,s:s,s:s,s:s}", "kind", d->kind, "other",
		                           (json_int_t)d->other_id, "type", d->type, "value",
		                           d->value, "note", d->note);
		dt = detail != NULL ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(detail);
		if (dt == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	struct store_tx *tx = NULL;
	if (rc == 0)
		rc = store_tx_begin(s, &tx, err);
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
	if (rc == 0 && splits)
		rc = settle_split(k, pre_m, pre_n, pre_anchor, pre_seq, err);
	else if (rc == 0)
		rc = settle(k, (uint32_t)d->report_id, &pre_seq, NULL, err);
	pthread_mutex_unlock(&k->lock);
	free(pre_m);
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

/* The summary's "id" becomes the stable id; the first report's reference
 * stays as "first_reference". */
static void name_summary(json_t *sum, const char *name)
{
	json_object_set(sum, "first_reference", json_object_get(sum, "id"));
	json_object_set_new(sum, "id", json_string(name));
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
	struct cases_handle h;
	rc = cases_handle_of(k, report, &h, err);
	if (rc == 0)
		rc = case_summary(k, s, &c, true, &sum, &score, &open, err);
	if (rc == 0)
		name_summary(sum, h.name);
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
		json_t *g = json_pack("{s:O,s:O,s:O,s:o,s:o}", "id", json_object_get(sum, "id"),
		                      "first_reference", json_object_get(sum, "first_reference"),
		                      "size", json_object_get(sum, "size"), "nodes", nodes, "edges",
		                      edges);
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
	/* Every listed case gets its stable id, written in one transaction. */
	int64_t *seqs = n_anchors ? calloc(n_anchors, sizeof *seqs) : NULL;
	if (rc == 0 && n_anchors && seqs == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	if (rc == 0 && n_anchors) {
		struct idops o = {0};
		pthread_mutex_lock(&k->lock);
		for (size_t i = 0; rc == 0 && i < n_anchors; i++)
			if (i == 0 || anchors[i] != anchors[i - 1])
				rc = settle_locked(k, anchors[i], &o, &seqs[i]);
		if (rc != 0) {
			ids_load(k, s, NULL);
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		} else {
			rc = idops_flush(k, &o, err);
		}
		pthread_mutex_unlock(&k->lock);
		idops_free(&o);
	}
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
		char name[STORE_SHORT_MAX];
		if (rc == 0)
			rc = cases_id_name(k, seqs[i], name);
		if (rc == 0) {
			name_summary(q[nq].sum, name);
			q[nq++].anchor = anchors[i];
		}
	}
	free(seqs);
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
static int resolve(struct cases *k, struct store *s, const char *ref_in, const char *field,
                   int64_t *id, struct crix_error *err)
{
	if (cases_is_case_id(ref_in)) {
		struct cases_handle h;
		int rc = cases_resolve_id(k, ref_in, field, &h, err);
		*id = h.anchor;
		return rc;
	}
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
		rc = resolve(k, s, case_ref, "id", &id, err);
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
		rc = resolve(k, s, case_ref, "id", &c, err);
	if (rc == 0 && !json_is_string(json_object_get(in, "report")))
		rc = crix_error_field(err, "report", CRIX_EINVAL,
		                      "report: the reference of the report to split off");
	if (rc == 0)
		rc = resolve(k, s, json_string_value(json_object_get(in, "report")), "report", &r,
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
		rc = resolve(k, s, case_ref, "id", &c, err);
	if (rc == 0 && !json_is_string(json_object_get(in, "case")))
		rc = crix_error_field(
		        err, "case", CRIX_EINVAL,
		        "case: the id (or any report reference) of the case to merge");
	if (rc == 0)
		rc = resolve(k, s, json_string_value(json_object_get(in, "case")), "case", &o, err);
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
		rc = resolve(k, s, case_ref, "id", &c, err);
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
