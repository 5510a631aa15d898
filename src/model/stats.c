/*
 * stats.c - statistics on reports (see stats.h): one scan of the packed
 * columns of the fact table (facts.h), each row's dimension values found by
 * small lookup tables built per query (code -> key, day -> period, category
 * -> articles), grouped in a hash table on the integer keys; losses kept per
 * group and currency so that medians are exact (found by selection, not by
 * sorting).  Labels are made only for the groups, at the end.
 */
#include "model/stats.h"

#include "util/clock.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dim_names[STATS_DIM_COUNT] = {
        "category", "article",        "rsit",   "day",     "week",
        "month",    "year",           "region", "country", "victim_type",
        "channel",  "payment_method", "kind",   "status",  "outcome"};

int stats_dim_parse(const char *name, enum stats_dim *out, struct crix_error *err)
{
	for (int i = 0; i < STATS_DIM_COUNT; i++)
		if (strcmp(name, dim_names[i]) == 0) {
			*out = (enum stats_dim)i;
			return 0;
		}
	return crix_error_field(err, "group_by", CRIX_EINVAL,
	                        "group_by: '%.32s' is not one of category, article, rsit, day, "
	                        "week, month, year, region, country, victim_type, channel, "
	                        "payment_method, kind, status, outcome",
	                        name);
}

const char *stats_dim_name(enum stats_dim d)
{
	return d < STATS_DIM_COUNT ? dim_names[d] : "";
}

int stats_query_set(struct stats_query *q, const char *group_by, const char *from, const char *to,
                    const char *category, const char *region, struct crix_error *err)
{
	if (group_by != NULL && *group_by != '\0') {
		char buf[128];
		size_t len = strlen(group_by);
		if (len >= sizeof buf)
			return crix_error_field(err, "group_by", CRIX_EINVAL,
			                        "group_by: longer than %zu characters",
			                        sizeof buf - 1);
		memcpy(buf, group_by, len + 1);
		for (char *p = buf; p != NULL;) {
			char *comma = strchr(p, ',');
			if (comma != NULL)
				*comma = '\0';
			if (q->n_dims == 2)
				return crix_error_field(err, "group_by", CRIX_EINVAL,
				                        "group_by: at most two dimensions");
			int rc = stats_dim_parse(p, &q->dims[q->n_dims], err);
			if (rc != 0)
				return rc;
			if (q->n_dims == 1 && q->dims[0] == q->dims[1])
				return crix_error_field(err, "group_by", CRIX_EINVAL,
				                        "group_by: '%s' twice", p);
			q->n_dims++;
			p = comma != NULL ? comma + 1 : NULL;
		}
	}
	const char *when[2] = {from, to}, *name[2] = {"from", "to"};
	char *slot[2] = {q->filter.from, q->filter.to};
	for (int i = 0; i < 2; i++) {
		int rc =
		        when[i] != NULL ? clock_parse_iso(when[i], name[i], slot[i], NULL, err) : 0;
		if (rc != 0) {
			if (err != NULL) /* clock_parse_iso names it in the text only */
				snprintf(err->field, sizeof err->field, "%s", name[i]);
			return rc;
		}
	}
	if (category != NULL) {
		if (strlen(category) >= sizeof q->filter.category)
			return crix_error_field(err, "category", CRIX_EINVAL,
			                        "category: longer than %zu characters",
			                        sizeof q->filter.category - 1);
		memcpy(q->filter.category, category, strlen(category) + 1);
	}
	if (region != NULL) {
		if (strlen(region) >= sizeof q->filter.region)
			return crix_error_field(err, "region", CRIX_EINVAL,
			                        "region: longer than %zu characters",
			                        sizeof q->filter.region - 1);
		memcpy(q->filter.region, region, strlen(region) + 1);
	}
	return 0;
}

/* One dimension prepared for a scan: a row's keys are found from its code
 * in src (or its day) through key[], or key[off[s]..off[s+1]) for articles,
 * where one report counts under each of its offence's articles. */
struct dimmap {
	enum stats_dim d;
	const uint32_t *src; /* a coded column, or NULL: the day */
	int32_t base;        /* day_min for the day */
	int32_t *key;
	uint32_t *off; /* NULL unless several keys per row */
	char (*label)[24];
	size_t n_label; /* article and RSIT labels, by key */
};

struct money {
	uint32_t currency; /* code */
	int64_t *v;
	size_t n, cap;
	int64_t sum;
};

struct group {
	int32_t k[2];
	uint64_t reports, vulnerable;
	struct money *money;
	size_t n_money;
	const char *label[2];
	char tbuf[2][16]; /* labels of periods */
};

struct agg {
	struct group *g;
	size_t n, cap;
	uint32_t *slot; /* hash of the keys -> group index + 1 */
	size_t n_slot;  /* a power of two */
};

static const int32_t zero_key = 0;

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool dim_is_time(enum stats_dim d)
{
	return d == STATS_DAY || d == STATS_WEEK || d == STATS_MONTH || d == STATS_YEAR;
}

static enum facts_col dim_col(enum stats_dim d)
{
	switch (d) {
	case STATS_REGION: return FACTS_REGION;
	case STATS_COUNTRY: return FACTS_COUNTRY;
	case STATS_VICTIM_TYPE: return FACTS_VICTIM_TYPE;
	case STATS_CHANNEL: return FACTS_CHANNEL;
	case STATS_PAYMENT: return FACTS_PAYMENT;
	case STATS_KIND: return FACTS_KIND;
	case STATS_STATUS: return FACTS_STATUS;
	case STATS_OUTCOME: return FACTS_OUTCOME;
	default: return FACTS_CATEGORY; /* category, article, RSIT */
	}
}

/* The period of a day: the day itself, its week's Monday, the month as
 * year*12 + month - 1, or the year. */
static int32_t period_of(enum stats_dim d, int32_t day)
{
	int y, m, dd;
	switch (d) {
	case STATS_WEEK: return day - (int32_t)(((int64_t)day + 3) % 7); /* 1970-01-01: Thu */
	case STATS_MONTH: civil_from_days(day, &y, &m, &dd); return y * 12 + m - 1;
	case STATS_YEAR: civil_from_days(day, &y, &m, &dd); return y;
	default: return day;
	}
}

static void period_label(enum stats_dim d, int32_t p, char out[16])
{
	int y, m, dd;
	if (d == STATS_MONTH) {
		snprintf(out, 16, "%04d-%02d", (int)(p / 12), (int)(p % 12) + 1);
	} else if (d == STATS_YEAR) {
		snprintf(out, 16, "%04d", (int)p);
	} else {
		civil_from_days(p, &y, &m, &dd);
		snprintf(out, 16, "%04d-%02d-%02d", y, m, dd);
	}
}

/* The key of a label of an article or RSIT dimension, added when new. */
static int32_t label_key(struct dimmap *m, const char *text)
{
	for (size_t i = 0; i < m->n_label; i++)
		if (strcmp(m->label[i], text) == 0)
			return (int32_t)i;
	snprintf(m->label[m->n_label], sizeof m->label[0], "%s", text);
	return (int32_t)m->n_label++;
}

#define ARTICLES_MAX 16 /* per offence */

static int dim_prepare(struct dimmap *m, enum stats_dim d, const struct facts_view *v,
                       const struct catalogue *cat, struct crix_error *err)
{
	memset(m, 0, sizeof *m);
	m->d = d;
	if (dim_is_time(d)) {
		size_t span = v->day_max >= v->day_min ? (size_t)(v->day_max - v->day_min) + 1 : 1;
		m->base = v->day_min;
		if ((m->key = malloc(span * sizeof *m->key)) == NULL)
			goto oom;
		for (size_t i = 0; i < span; i++)
			m->key[i] = period_of(d, v->day_min + (int32_t)i);
		return 0;
	}
	enum facts_col c = dim_col(d);
	size_t n = v->n_codes[c];
	m->src = v->col[c];
	if (d != STATS_ARTICLE && d != STATS_RSIT) {
		if ((m->key = malloc((n ? n : 1) * sizeof *m->key)) == NULL)
			goto oom;
		for (size_t i = 0; i < n; i++)
			m->key[i] = (int32_t)i;
		return 0;
	}
	/* Articles and RSIT classes come from the offence catalogue. */
	size_t per = d == STATS_ARTICLE ? ARTICLES_MAX : 1;
	m->key = malloc((n * per + 1) * sizeof *m->key);
	m->label = malloc((n * per + 1) * sizeof *m->label);
	m->off = d == STATS_ARTICLE ? malloc((n + 1) * sizeof *m->off) : NULL;
	if (m->key == NULL || m->label == NULL || (d == STATS_ARTICLE && m->off == NULL))
		goto oom;
	size_t k = 0;
	for (size_t code = 0; code < n; code++) {
		const struct offence *o = catalogue_offence(cat, facts_text(v, c, (uint32_t)code));
		if (d == STATS_RSIT) {
			m->key[code] = label_key(m, o != NULL ? o->rsit : "");
			continue;
		}
		m->off[code] = (uint32_t)k;
		char buf[24];
		for (size_t i = 0; o != NULL && i < o->n_directive && k - m->off[code] < per; i++) {
			snprintf(buf, sizeof buf, "directive:%d", o->directive[i]);
			m->key[k++] = label_key(m, buf);
		}
		for (size_t i = 0; o != NULL && i < o->n_budapest && k - m->off[code] < per; i++) {
			snprintf(buf, sizeof buf, "budapest:%d", o->budapest[i]);
			m->key[k++] = label_key(m, buf);
		}
		if (k == m->off[code])
			m->key[k++] = label_key(m, "none");
	}
	if (m->off != NULL)
		m->off[n] = (uint32_t)k;
	return 0;
oom:
	return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
}

static void dim_free(struct dimmap *m)
{
	free(m->key);
	free(m->off);
	free(m->label);
}

/* The keys of row i.  OUT: *ks. */
static inline size_t dim_keys(const struct dimmap *m, const struct facts_view *v, size_t i,
                              const int32_t **ks)
{
	size_t s = m->src != NULL ? m->src[i] : (size_t)(v->day[i] - m->base);
	if (m->off != NULL) {
		*ks = m->key + m->off[s];
		return m->off[s + 1] - m->off[s];
	}
	*ks = m->key + s;
	return 1;
}

static const char *dim_label(const struct dimmap *m, const struct facts_view *v, int32_t key,
                             char tbuf[16])
{
	if (dim_is_time(m->d)) {
		period_label(m->d, key, tbuf);
		return tbuf;
	}
	if (m->label != NULL)
		return (size_t)key < m->n_label ? m->label[key] : "";
	return facts_text(v, dim_col(m->d), (uint32_t)key);
}

static uint64_t hash_keys(int32_t k0, int32_t k1)
{
	uint64_t h = ((uint64_t)(uint32_t)k0 << 32 | (uint32_t)k1) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

/* The group of (k0, k1), made when new; NULL when out of memory or at the
 * cap (*too_many). */
static struct group *group_get(struct agg *a, int32_t k0, int32_t k1, int *too_many)
{
	size_t mask = a->n_slot - 1;
	for (size_t s = hash_keys(k0, k1) & mask;; s = (s + 1) & mask) {
		uint32_t gi = a->slot[s];
		if (gi == 0)
			break;
		struct group *g = &a->g[gi - 1];
		if (g->k[0] == k0 && g->k[1] == k1)
			return g;
	}
	if (a->n == STATS_GROUPS_MAX) {
		*too_many = 1;
		return NULL;
	}
	if (a->n == a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 64;
		struct group *ng = realloc(a->g, nc * sizeof *ng);
		if (ng == NULL)
			return NULL;
		a->g = ng;
		a->cap = nc;
	}
	if ((a->n + 1) * 2 > a->n_slot) {
		size_t ns = a->n_slot * 2;
		uint32_t *slot = calloc(ns, sizeof *slot);
		if (slot == NULL)
			return NULL;
		for (size_t i = 0; i < a->n; i++) {
			size_t s = hash_keys(a->g[i].k[0], a->g[i].k[1]) & (ns - 1);
			while (slot[s] != 0)
				s = (s + 1) & (ns - 1);
			slot[s] = (uint32_t)i + 1;
		}
		free(a->slot);
		a->slot = slot;
		a->n_slot = ns;
		mask = ns - 1;
	}
	size_t s = hash_keys(k0, k1) & mask;
	while (a->slot[s] != 0)
		s = (s + 1) & mask;
	struct group *g = &a->g[a->n];
	memset(g, 0, sizeof *g);
	g->k[0] = k0;
	g->k[1] = k1;
	a->slot[s] = (uint32_t)++a->n;
	return g;
}

static int add_loss(struct group *g, uint32_t currency, int64_t minor)
{
	struct money *m = NULL;
	for (size_t i = 0; i < g->n_money && m == NULL; i++)
		if (g->money[i].currency == currency)
			m = &g->money[i];
	if (m == NULL) {
		struct money *p = realloc(g->money, (g->n_money + 1) * sizeof *p);
		if (p == NULL)
			return -1;
		g->money = p;
		m = &g->money[g->n_money++];
		memset(m, 0, sizeof *m);
		m->currency = currency;
	}
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 16;
		int64_t *p = realloc(m->v, nc * sizeof *p);
		if (p == NULL)
			return -1;
		m->v = p;
		m->cap = nc;
	}
	m->v[m->n++] = minor;
	m->sum += minor;
	return 0;
}

static void swap64(int64_t *a, int64_t *b)
{
	int64_t t = *a;
	*a = *b;
	*b = t;
}

/* Reorders v[0..n) so that v[k] is the k-th smallest and nothing before it
 * is larger (Hoare's selection, median of three pivots). */
static void select_kth(int64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (hi > lo) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < v[lo])
			swap64(&v[mid], &v[lo]);
		if (v[hi] < v[lo])
			swap64(&v[hi], &v[lo]);
		if (v[hi] < v[mid])
			swap64(&v[hi], &v[mid]);
		int64_t pivot = v[mid];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				swap64(&v[i], &v[j]);
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		/* now v[lo..j] <= pivot <= v[i..hi], and j < i */
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* The median of v[0..n), n > 0, reordering v: the middle value, or the
 * mean (rounded down) of the two middle values. */
static int64_t median(int64_t *v, size_t n)
{
	size_t k = n / 2;
	select_kth(v, n, k);
	if (n % 2)
		return v[k];
	int64_t below = v[0];
	for (size_t i = 1; i < k; i++)
		if (v[i] > below)
			below = v[i];
	return below + (v[k] - below) / 2;
}

static int cmp_group(const void *x, const void *y)
{
	const struct group *a = x, *b = y;
	int c = strcmp(a->label[0], b->label[0]);
	return c != 0 ? c : strcmp(a->label[1], b->label[1]);
}

static void agg_free(struct agg *a)
{
	for (size_t i = 0; i < a->n; i++) {
		for (size_t k = 0; k < a->g[i].n_money; k++)
			free(a->g[i].money[k].v);
		free(a->g[i].money);
	}
	free(a->g);
	free(a->slot);
}

/* The scan: every selected row into its groups.  OUT: *total. */
static int scan(const struct facts_view *v, const struct stats_query *q, const struct dimmap *m,
                struct agg *a, uint64_t *total, struct crix_error *err)
{
	const struct store_report_filter *f = &q->filter;
	uint32_t want[3] = {FACTS_NO_CODE, FACTS_NO_CODE, FACTS_NO_CODE};
	const enum facts_col wcol[3] = {FACTS_CATEGORY, FACTS_REGION, FACTS_STATUS};
	const char *wtext[3] = {f->category, f->region, f->status};
	int64_t from = INT64_MIN, to = INT64_MAX;
	int rc;
	*total = 0;
	for (int w = 0; w < 3; w++)
		if (wtext[w][0] != '\0' &&
		    (want[w] = facts_code(v, wcol[w], wtext[w])) == FACTS_NO_CODE)
			return 0; /* no report has that value */
	if ((f->from[0] && (rc = facts_parse_ms(f->from, "from", &from, err)) != 0) ||
	    (f->to[0] && (rc = facts_parse_ms(f->to, "to", &to, err)) != 0))
		return rc;
	const uint32_t *cur = v->col[FACTS_CURRENCY];
	uint32_t no_currency = facts_code(v, FACTS_CURRENCY, "");
	int too_many = 0;
	for (size_t i = 0; i < v->n; i++) {
		if ((want[0] != FACTS_NO_CODE && v->col[FACTS_CATEGORY][i] != want[0]) ||
		    (want[1] != FACTS_NO_CODE && v->col[FACTS_REGION][i] != want[1]) ||
		    (want[2] != FACTS_NO_CODE && v->col[FACTS_STATUS][i] != want[2]) ||
		    v->created_ms[i] < from || v->created_ms[i] >= to ||
		    (f->org_id != 0 && v->org_id[i] != f->org_id))
			continue;
		++*total;
		const int32_t *k0 = &zero_key, *k1 = &zero_key;
		size_t n0 = q->n_dims > 0 ? dim_keys(&m[0], v, i, &k0) : 1;
		size_t n1 = q->n_dims > 1 ? dim_keys(&m[1], v, i, &k1) : 1;
		int64_t loss = v->loss_minor[i];
		bool money = loss > 0 && cur[i] != no_currency;
		for (size_t x = 0; x < n0; x++)
			for (size_t y = 0; y < n1; y++) {
				struct group *g = group_get(a, k0[x], k1[y], &too_many);
				if (g == NULL)
					goto fail;
				g->reports++;
				g->vulnerable += v->vulnerable[i];
				if (money && add_loss(g, cur[i], loss) != 0)
					goto fail;
			}
	}
	return 0;
fail:
	if (too_many)
		return crix_error_field(err, "group_by", CRIX_ETOOBIG,
		                        "group_by: more than %d groups; narrow the period or group "
		                        "by less",
		                        STATS_GROUPS_MAX);
	return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
}

static json_t *result_json(const struct facts_view *v, const struct stats_query *q,
                           const struct dimmap *m, struct agg *a, uint64_t total)
{
	for (size_t i = 0; i < a->n; i++) {
		struct group *g = &a->g[i];
		for (size_t d = 0; d < 2; d++)
			g->label[d] = d < q->n_dims ? dim_label(&m[d], v, g->k[d], g->tbuf[d]) : "";
	}
	if (a->n > 1)
		qsort(a->g, a->n, sizeof *a->g, cmp_group);
	/* qsort moved the groups: period labels point into tbuf again */
	for (size_t i = 0; i < a->n; i++)
		for (size_t d = 0; d < q->n_dims; d++)
			if (dim_is_time(m[d].d))
				a->g[i].label[d] = a->g[i].tbuf[d];
	json_t *rows = json_array(), *dims = json_array();
	for (size_t d = 0; d < q->n_dims; d++)
		json_array_append_new(dims, json_string(stats_dim_name(q->dims[d])));
	for (size_t i = 0; i < a->n; i++) {
		struct group *g = &a->g[i];
		json_t *row = json_object();
		for (size_t d = 0; d < q->n_dims; d++)
			json_object_set_new(row, stats_dim_name(q->dims[d]),
			                    json_string(g->label[d]));
		if (q->min_cell > 0 && g->reports < q->min_cell) {
			json_object_set_new(row, "reports", json_null());
			json_object_set_new(row, "suppressed", json_true());
			json_array_append_new(rows, row);
			continue;
		}
		json_object_set_new(row, "reports", json_integer((json_int_t)g->reports));
		json_object_set_new(row, "vulnerable_victims",
		                    q->min_cell > 0 && g->vulnerable > 0 &&
		                                    g->vulnerable < q->min_cell
		                            ? json_null()
		                            : json_integer((json_int_t)g->vulnerable));
		json_t *losses = json_array();
		for (size_t k = 0; k < g->n_money; k++) {
			struct money *mo = &g->money[k];
			if (q->min_cell > 0 && mo->n < q->min_cell)
				continue; /* a loss of one or two victims would single them out */
			json_array_append_new(
			        losses, json_pack("{s:s,s:I,s:I,s:I}", "currency",
			                          facts_text(v, FACTS_CURRENCY, mo->currency),
			                          "sum_minor", (json_int_t)mo->sum, "median_minor",
			                          (json_int_t)median(mo->v, mo->n), "reports",
			                          (json_int_t)mo->n));
		}
		json_object_set_new(row, "losses", losses);
		json_array_append_new(rows, row);
	}
	/* Public answers give no total: total minus the shown cells would tell
	 * the suppressed ones. */
	return json_pack("{s:o,s:o,s:o,s:o}", "group_by", dims, "total",
	                 q->min_cell > 0 ? json_null() : json_integer((json_int_t)total),
	                 "suppressed_below",
	                 q->min_cell > 0 ? json_integer(q->min_cell) : json_null(), "rows", rows);
}

int stats_compute(struct facts *t, const struct catalogue *cat, const struct stats_query *q,
                  json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (q->n_dims > 2)
		return crix_error_field(err, "group_by", CRIX_EINVAL,
		                        "group_by: at most two dimensions");
	struct facts_view v;
	int rc = facts_read_begin(t, &v, err);
	if (rc != 0)
		return rc;
	struct dimmap m[2];
	memset(m, 0, sizeof m);
	struct agg a = {.n_slot = 256};
	a.slot = calloc(a.n_slot, sizeof *a.slot);
	uint64_t total = 0;
	if (a.slot == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
	for (size_t d = 0; rc == 0 && d < q->n_dims; d++)
		rc = dim_prepare(&m[d], q->dims[d], &v, cat, err);
	if (rc == 0)
		rc = scan(&v, q, m, &a, &total, err);
	if (rc == 0 && (*out = result_json(&v, q, m, &a, total)) == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
	facts_read_end(t);
	for (size_t d = 0; d < 2; d++)
		dim_free(&m[d]);
	agg_free(&a);
	return rc;
}

/* Appends a CSV field, quoted when it needs to be. */
static void csv_field(FILE *f, const char *s, int first)
{
	if (!first)
		fputc(',', f);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

char *stats_csv(const json_t *result)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		return NULL;
	const json_t *dims = json_object_get(result, "group_by"),
	             *rows = json_object_get(result, "rows");
	size_t i, r;
	json_t *d, *row;
	json_array_foreach(dims, i, d) csv_field(f, json_string_value(d), i == 0);
	fputs(json_array_size(dims) ? ",reports,vulnerable_victims,currency,loss_sum_minor,"
	                              "loss_median_minor\n"
	                            : "reports,vulnerable_victims,currency,loss_sum_minor,"
	                              "loss_median_minor\n",
	      f);
	json_array_foreach(rows, r, row)
	{
		const json_t *rep = json_object_get(row, "reports");
		const json_t *vul = json_object_get(row, "vulnerable_victims");
		const json_t *losses = json_object_get(row, "losses");
		size_t lines = json_is_integer(rep) && json_array_size(losses) > 0
		                       ? json_array_size(losses)
		                       : 1;
		/* One line per currency, each with the group's dimensions. */
		for (size_t k = 0; k < lines; k++) {
			json_array_foreach(dims, i, d) csv_field(
			        f, json_string_value(json_object_get(row, json_string_value(d))),
			        i == 0);
			const char *lead = json_array_size(dims) ? "," : "";
			if (!json_is_integer(rep)) {
				fprintf(f, "%ssuppressed,,,,\n", lead);
				continue;
			}
			char vv[32] = "";
			if (json_is_integer(vul))
				snprintf(vv, sizeof vv, "%lld", (long long)json_integer_value(vul));
			const json_t *l = json_array_get(losses, k);
			if (l == NULL) {
				fprintf(f, "%s%lld,%s,,,\n", lead,
				        (long long)json_integer_value(rep), vv);
				continue;
			}
			fprintf(f, "%s%lld,%s,%s,%lld,%lld\n", lead,
			        (long long)json_integer_value(rep), vv,
			        json_string_value(json_object_get(l, "currency")),
			        (long long)json_integer_value(json_object_get(l, "sum_minor")),
			        (long long)json_integer_value(json_object_get(l, "median_minor")));
		}
	}
	fclose(f);
	return buf;
}
