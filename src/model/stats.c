/*
 * stats.c - statistics on reports (see stats.h): one scan of the selected
 * reports, grouped in a hash table by the chosen dimensions' values; losses
 * kept per group and currency so that medians are exact.
 */
#include "model/stats.h"

#include "util/clock.h"

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

struct money {
	char currency[4];
	int64_t *v;
	size_t n, cap;
	int64_t sum;
};

struct group {
	char *key; /* the dimension values joined by \x1f */
	uint64_t reports, vulnerable;
	struct money *money;
	size_t n_money;
};

struct agg {
	const struct stats_query *q;
	const struct catalogue *cat;
	struct group *groups;
	size_t n, cap; /* open addressing, cap a power of two */
	uint64_t total;
	int oom, too_many;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static struct group *group_get(struct agg *a, const char *key)
{
	if ((a->n + 1) * 2 > a->cap) {
		size_t nc = a->cap ? a->cap * 2 : 256;
		struct group *g = calloc(nc, sizeof *g);
		if (g == NULL)
			return NULL;
		for (size_t i = 0; i < a->cap; i++)
			if (a->groups[i].key != NULL) {
				size_t k = hash(a->groups[i].key) & (nc - 1);
				while (g[k].key != NULL)
					k = (k + 1) & (nc - 1);
				g[k] = a->groups[i];
			}
		free(a->groups);
		a->groups = g;
		a->cap = nc;
	}
	size_t k = hash(key) & (a->cap - 1);
	while (a->groups[k].key != NULL) {
		if (strcmp(a->groups[k].key, key) == 0)
			return &a->groups[k];
		k = (k + 1) & (a->cap - 1);
	}
	if (a->n == STATS_GROUPS_MAX) {
		a->too_many = 1;
		return NULL;
	}
	a->groups[k].key = strdup(key);
	if (a->groups[k].key == NULL)
		return NULL;
	a->n++;
	return &a->groups[k];
}

static int add_loss(struct group *g, const char *currency, int64_t minor)
{
	struct money *m = NULL;
	for (size_t i = 0; i < g->n_money && m == NULL; i++)
		if (strcmp(g->money[i].currency, currency) == 0)
			m = &g->money[i];
	if (m == NULL) {
		struct money *p = realloc(g->money, (g->n_money + 1) * sizeof *p);
		if (p == NULL)
			return -1;
		g->money = p;
		m = &g->money[g->n_money++];
		memset(m, 0, sizeof *m);
		snprintf(m->currency, sizeof m->currency, "%s", currency);
	}
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 8;
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

/* The values of one dimension for a report (several for articles).  OUT:
 * vals[0..n) pointing into buf or the fact. */
static size_t dim_values(const struct agg *a, enum stats_dim d, const struct store_report_fact *f,
                         char buf[16][32], const char **vals)
{
	const struct offence *o;
	switch (d) {
	case STATS_CATEGORY: vals[0] = f->category; return 1;
	case STATS_ARTICLE: {
		o = catalogue_offence(a->cat, f->category);
		size_t n = 0;
		for (size_t i = 0; o != NULL && i < o->n_directive && n < 16; i++, n++) {
			snprintf(buf[n], 32, "directive:%d", o->directive[i]);
			vals[n] = buf[n];
		}
		for (size_t i = 0; o != NULL && i < o->n_budapest && n < 16; i++, n++) {
			snprintf(buf[n], 32, "budapest:%d", o->budapest[i]);
			vals[n] = buf[n];
		}
		if (n == 0)
			vals[n++] = "none";
		return n;
	}
	case STATS_RSIT:
		o = catalogue_offence(a->cat, f->category);
		vals[0] = o != NULL ? o->rsit : "";
		return 1;
	case STATS_DAY: snprintf(buf[0], 32, "%.10s", f->created); break;
	case STATS_MONTH: snprintf(buf[0], 32, "%.7s", f->created); break;
	case STATS_YEAR: snprintf(buf[0], 32, "%.4s", f->created); break;
	case STATS_WEEK: {
		char day[16];
		int64_t t = 0;
		snprintf(day, sizeof day, "%.10s", f->created);
		if (clock_parse_iso(day, "created", NULL, &t, NULL) != 0) {
			vals[0] = "";
			return 1;
		}
		int64_t days = t / 86400;
		int64_t monday = days - (days + 3) % 7; /* 1970-01-01 was a Thursday */
		char iso[CLOCK_ISO_LEN];
		clock_format_iso(monday * 86400, 0, iso);
		snprintf(buf[0], 32, "%.10s", iso);
		break;
	}
	case STATS_REGION: vals[0] = f->region; return 1;
	case STATS_COUNTRY: vals[0] = f->country; return 1;
	case STATS_VICTIM_TYPE: vals[0] = f->victim_type; return 1;
	case STATS_CHANNEL: vals[0] = f->channel; return 1;
	case STATS_PAYMENT: vals[0] = f->payment_method; return 1;
	case STATS_KIND: vals[0] = f->kind; return 1;
	case STATS_STATUS: vals[0] = f->status; return 1;
	case STATS_OUTCOME: vals[0] = f->outcome; return 1;
	default: vals[0] = ""; return 1;
	}
	vals[0] = buf[0];
	return 1;
}

static int on_fact(void *arg, const struct store_report_fact *f)
{
	struct agg *a = arg;
	char b0[16][32], b1[16][32];
	const char *v0[16] = {""}, *v1[16] = {""};
	size_t n0 = 1, n1 = 1;
	if (a->q->n_dims > 0)
		n0 = dim_values(a, a->q->dims[0], f, b0, v0);
	if (a->q->n_dims > 1)
		n1 = dim_values(a, a->q->dims[1], f, b1, v1);
	a->total++;
	for (size_t i = 0; i < n0; i++)
		for (size_t j = 0; j < n1; j++) {
			char key[160];
			snprintf(key, sizeof key, "%s\x1f%s", v0[i], v1[j]);
			struct group *g = group_get(a, key);
			if (g == NULL) {
				if (!a->too_many)
					a->oom = 1;
				return 1;
			}
			g->reports++;
			g->vulnerable += f->vulnerable != 0;
			if (f->loss_minor > 0 && f->currency[0] &&
			    add_loss(g, f->currency, f->loss_minor)) {
				a->oom = 1;
				return 1;
			}
		}
	return 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

static int cmp_group(const void *x, const void *y)
{
	return strcmp(((const struct group *)x)->key, ((const struct group *)y)->key);
}

static void agg_free(struct agg *a)
{
	for (size_t i = 0; i < a->cap; i++) {
		struct group *g = &a->groups[i];
		if (g->key == NULL)
			continue;
		for (size_t k = 0; k < g->n_money; k++)
			free(g->money[k].v);
		free(g->money);
		free(g->key);
	}
	free(a->groups);
}

int stats_compute(struct store *s, const struct catalogue *cat, const struct stats_query *q,
                  json_t **out, struct crix_error *err)
{
	struct agg a = {.q = q, .cat = cat};
	*out = NULL;
	int rc = store_report_facts(s, &q->filter, on_fact, &a, err);
	if (a.too_many)
		rc = crix_error_field(
		        err, "group_by", CRIX_ETOOBIG,
		        "group_by: more than %d groups; narrow the period or group by "
		        "less",
		        STATS_GROUPS_MAX);
	else if (a.oom)
		rc = crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
	if (rc != 0) {
		agg_free(&a);
		return rc;
	}
	/* Compact and sort the groups by key. */
	size_t n = 0;
	for (size_t i = 0; i < a.cap; i++)
		if (a.groups[i].key != NULL)
			a.groups[n++] = a.groups[i];
	for (size_t i = n; i < a.cap; i++)
		a.groups[i].key = NULL;
	if (n > 0)
		qsort(a.groups, n, sizeof *a.groups, cmp_group);
	json_t *rows = json_array(), *dims = json_array();
	for (size_t d = 0; d < q->n_dims; d++)
		json_array_append_new(dims, json_string(stats_dim_name(q->dims[d])));
	for (size_t i = 0; i < n; i++) {
		struct group *g = &a.groups[i];
		json_t *row = json_object();
		char *sep = strchr(g->key, '\x1f');
		if (q->n_dims > 0)
			json_object_set_new(row, stats_dim_name(q->dims[0]),
			                    json_stringn(g->key, (size_t)(sep - g->key)));
		if (q->n_dims > 1)
			json_object_set_new(row, stats_dim_name(q->dims[1]), json_string(sep + 1));
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
			struct money *m = &g->money[k];
			qsort(m->v, m->n, sizeof *m->v, cmp_i64);
			int64_t median = m->n % 2 ? m->v[m->n / 2]
			                          : (m->v[m->n / 2 - 1] + m->v[m->n / 2]) / 2;
			if (q->min_cell > 0 && m->n < q->min_cell)
				continue; /* a loss of one or two victims would single them out */
			json_array_append_new(
			        losses, json_pack("{s:s,s:I,s:I,s:I}", "currency", m->currency,
			                          "sum_minor", (json_int_t)m->sum, "median_minor",
			                          (json_int_t)median, "reports", (json_int_t)m->n));
		}
		json_object_set_new(row, "losses", losses);
		json_array_append_new(rows, row);
	}
	/* Public answers give no total: total minus the shown cells would tell
	 * the suppressed ones. */
	*out = json_pack("{s:o,s:o,s:o,s:o}", "group_by", dims, "total",
	                 q->min_cell > 0 ? json_null() : json_integer((json_int_t)a.total),
	                 "suppressed_below",
	                 q->min_cell > 0 ? json_integer(q->min_cell) : json_null(), "rows", rows);
	agg_free(&a);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
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
