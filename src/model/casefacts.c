#include "model/casefacts.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS_MAX   20000000 /* records held */
#define CELLS_MAX  100000   /* groups in one answer */
#define CODES_MAX  64       /* articles or categories of one record */
#define NO_OUTCOME 0

enum { K_REVIEW, K_DISSEMINATION, K_OUTCOME };
static const char *const outcomes[] = {"",          "charged",   "convicted",        "acquitted",
                                       "cautioned", "disrupted", "no-further-action"};
#define N_OUTCOMES (sizeof outcomes / sizeof outcomes[0])

/* Texts by code and codes by text (a jansson object as the hash table). */
struct dict {
	char **s;
	size_t n, cap;
	json_t *index;
};

struct row {
	int64_t seq;
	int64_t t;        /* the record's date: an outcome's day, else when it was made */
	uint32_t suspect; /* outcomes: the suspect's code */
	uint32_t codes;   /* offset of the article codes, then the category codes */
	uint16_t n_art, n_cat;
	uint8_t kind, outcome;
};

struct casefacts {
	pthread_rwlock_t lock;
	pthread_mutex_t rebuild;
	struct store *store;
	bool stale;
	struct row *rows;
	size_t n, cap;
	uint32_t *codes;
	size_t n_codes, cap_codes;
	struct dict texts, suspects;
};

static void dict_free(struct dict *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->s[i]);
	free(d->s);
	json_decref(d->index);
	memset(d, 0, sizeof *d);
}

/* The code of text, added when new.  OUT: *code. */
static int dict_code(struct dict *d, const char *text, uint32_t *code)
{
	if (d->index == NULL && (d->index = json_object()) == NULL)
		return CRIX_ENOMEM;
	json_t *v = json_object_get(d->index, text);
	if (v != NULL) {
		*code = (uint32_t)json_integer_value(v);
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		char **s = realloc(d->s, cap * sizeof *s);
		if (s == NULL)
			return CRIX_ENOMEM;
		d->s = s;
		d->cap = cap;
	}
	char *c = strdup(text);
	if (c == NULL || json_object_set_new(d->index, text, json_integer((json_int_t)d->n)) != 0) {
		free(c);
		return CRIX_ENOMEM;
	}
	d->s[d->n] = c;
	*code = (uint32_t)d->n++;
	return 0;
}

static int push_code(struct casefacts *t, uint32_t c)
{
	if (t->n_codes == t->cap_codes) {
		size_t cap = t->cap_codes ? t->cap_codes * 2 : 1024;
		uint32_t *v = realloc(t->codes, cap * sizeof *v);
		if (v == NULL)
			return CRIX_ENOMEM;
		t->codes = v;
		t->cap_codes = cap;
	}
	t->codes[t->n_codes++] = c;
	return 0;
}

/* Codes of the strings of an array (up to CODES_MAX).  OUT: *n. */
static int push_texts(struct casefacts *t, const json_t *a, uint16_t *n)
{
	size_t i;
	json_t *v;
	*n = 0;
	json_array_foreach(a, i, v)
	{
		uint32_t c;
		if (!json_is_string(v) || *n == CODES_MAX)
			continue;
		int rc = dict_code(&t->texts, json_string_value(v), &c);
		if (rc == 0)
			rc = push_code(t, c);
		if (rc != 0)
			return rc;
		(*n)++;
	}
	return 0;
}

/* Adds a row.  Under the write lock. */
static int put_locked(struct casefacts *t, const struct store_case_record *r)
{
	if (t->n == ROWS_MAX)
		return CRIX_ETOOBIG;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct row *v = realloc(t->rows, cap * sizeof *v);
		if (v == NULL)
			return CRIX_ENOMEM;
		t->rows = v;
		t->cap = cap;
	}
	json_t *b = json_loads(r->body != NULL ? r->body : "{}", 0, NULL);
	struct row w = {.seq = r->case_seq, .codes = (uint32_t)t->n_codes};
	w.kind = strcmp(r->kind, "outcome") == 0         ? K_OUTCOME
	         : strcmp(r->kind, "dissemination") == 0 ? K_DISSEMINATION
	                                                 : K_REVIEW;
	const char *date = r->at;
	int rc = 0;
	if (w.kind == K_OUTCOME) {
		const char *o = json_string_value(json_object_get(b, "outcome"));
		for (size_t i = 1; o != NULL && i < N_OUTCOMES; i++)
			if (strcmp(outcomes[i], o) == 0)
				w.outcome = (uint8_t)i;
		const char *who = json_string_value(json_object_get(b, "suspect"));
		rc = dict_code(&t->suspects, who != NULL ? who : "", &w.suspect);
		const char *d = json_string_value(json_object_get(b, "date"));
		if (d != NULL)
			date = d;
	}
	char iso[CLOCK_ISO_LEN];
	if (clock_parse_iso(date, "date", iso, &w.t, NULL) != 0)
		w.t = 0;
	/* an outcome's article is the one the court or force gave, when given */
	const json_t *la = json_object_get(b, "legal_article");
	json_t *one = json_is_string(la) ? json_pack("[O]", la) : NULL;
	if (rc == 0)
		rc = push_texts(t, one != NULL ? one : json_object_get(b, "articles"), &w.n_art);
	json_decref(one);
	if (rc == 0)
		rc = push_texts(t, json_object_get(b, "categories"), &w.n_cat);
	json_decref(b);
	if (rc != 0) {
		t->n_codes = w.codes;
		return rc;
	}
	t->rows[t->n++] = w;
	return 0;
}

static void clear_locked(struct casefacts *t)
{
	t->n = 0;
	t->n_codes = 0;
	dict_free(&t->texts);
	dict_free(&t->suspects);
}

/* Reads every record from the store.  Under the write lock. */
static int load_locked(struct casefacts *t, struct crix_error *err)
{
	clear_locked(t);
	int64_t after = 0;
	for (;;) {
		struct store_case_record *page;
		size_t n;
		int rc = store_case_record_list(t->store, 0, after, 2000, &page, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = put_locked(t, &page[i]);
		after = n ? page[n - 1].id : after;
		store_case_record_array_free(page, n);
		if (rc != 0)
			return crix_error_set(err, rc, "case statistics: %s",
			                      rc == CRIX_ETOOBIG ? "too many records"
			                                         : "out of memory");
		if (n == 0)
			return 0;
	}
}

int casefacts_open(struct store *s, struct casefacts **out, struct crix_error *err)
{
	*out = NULL;
	struct casefacts *t = calloc(1, sizeof *t);
	if (t == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	pthread_rwlock_init(&t->lock, NULL);
	pthread_mutex_init(&t->rebuild, NULL);
	t->store = s;
	int rc = load_locked(t, err);
	if (rc != 0) {
		casefacts_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void casefacts_free(struct casefacts *t)
{
	if (t == NULL)
		return;
	clear_locked(t);
	free(t->rows);
	free(t->codes);
	pthread_rwlock_destroy(&t->lock);
	pthread_mutex_destroy(&t->rebuild);
	free(t);
}

int casefacts_put(struct casefacts *t, const struct store_case_record *r, struct crix_error *err)
{
	pthread_rwlock_wrlock(&t->lock);
	int rc = t->stale ? 0 : put_locked(t, r);
	if (rc != 0)
		t->stale = true; /* the next reader rebuilds from the store */
	pthread_rwlock_unlock(&t->lock);
	return rc != 0 ? crix_error_set(err, rc, "case statistics: out of memory") : 0;
}

/* ---- computing ---- */

enum dim { D_ARTICLE, D_CATEGORY, D_MONTH, D_YEAR, D_OUTCOME, D_COUNT };
static const char *const dim_names[D_COUNT] = {"article", "category", "month", "year", "outcome"};

/* A group: its two keys and its counters. */
struct cell {
	uint32_t k[2];
	uint64_t reviews, disseminations, outcomes;
	uint64_t cases, prosecuted, convicted; /* distinct, counted after the scan */
};

/* (cell, a, b) triples for distinct counting by sorting. */
struct pair {
	uint32_t cell;
	int64_t a;
	uint32_t b;
};

struct acc {
	struct cell *cells;
	size_t n, cap;
	uint32_t *slots; /* open addressing: cell index + 1, 0 empty */
	size_t n_slots;
	struct pair *p[3]; /* cases, prosecuted, convicted */
	size_t np[3], capp[3];
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->cell != b->cell)
		return a->cell < b->cell ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

/* The index of the cell (k0, k1), made when new; -1 past CELLS_MAX or out
 * of memory. */
static long cell_of(struct acc *a, uint32_t k0, uint32_t k1)
{
	if (a->n_slots == 0 || a->n * 2 >= a->n_slots) {
		size_t ns = a->n_slots ? a->n_slots * 2 : 256;
		uint32_t *sl = calloc(ns, sizeof *sl);
		if (sl == NULL)
			return -1;
		for (size_t i = 0; i < a->n; i++) {
			size_t h = mix(((uint64_t)a->cells[i].k[0] << 32) | a->cells[i].k[1]) &
			           (ns - 1);
			while (sl[h] != 0)
				h = (h + 1) & (ns - 1);
			sl[h] = (uint32_t)i + 1;
		}
		free(a->slots);
		a->slots = sl;
		a->n_slots = ns;
	}
	size_t h = mix(((uint64_t)k0 << 32) | k1) & (a->n_slots - 1);
	while (a->slots[h] != 0) {
		struct cell *c = &a->cells[a->slots[h] - 1];
		if (c->k[0] == k0 && c->k[1] == k1)
			return (long)a->slots[h] - 1;
		h = (h + 1) & (a->n_slots - 1);
	}
	if (a->n == CELLS_MAX)
		return -1;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct cell *v = realloc(a->cells, cap * sizeof *v);
		if (v == NULL)
			return -1;
		a->cells = v;
		a->cap = cap;
	}
	a->cells[a->n] = (struct cell){.k = {k0, k1}};
	a->slots[h] = (uint32_t)a->n + 1;
	return (long)a->n++;
}

static int push_pair(struct acc *a, int which, uint32_t cell, int64_t x, uint32_t y)
{
	if (a->np[which] == a->capp[which]) {
		size_t cap = a->capp[which] ? a->capp[which] * 2 : 1024;
		struct pair *v = realloc(a->p[which], cap * sizeof *v);
		if (v == NULL)
			return CRIX_ENOMEM;
		a->p[which] = v;
		a->capp[which] = cap;
	}
	a->p[which][a->np[which]++] = (struct pair){cell, x, y};
	return 0;
}

/* Counts one row into a cell. */
static int tally(struct acc *a, uint32_t cell, const struct row *r)
{
	struct cell *c = &a->cells[cell];
	if (r->kind == K_REVIEW)
		c->reviews++;
	else if (r->kind == K_DISSEMINATION)
		c->disseminations++;
	else
		c->outcomes++;
	int rc = push_pair(a, 0, cell, r->seq, 0);
	bool prosecuted = r->outcome >= 1 && r->outcome <= 3; /* charged, convicted, acquitted */
	if (rc == 0 && r->kind == K_OUTCOME && prosecuted)
		rc = push_pair(a, 1, cell, r->seq, r->suspect);
	if (rc == 0 && r->kind == K_OUTCOME && r->outcome == 2)
		rc = push_pair(a, 2, cell, r->seq, r->suspect);
	return rc;
}

/* The keys a row counts under for a dimension.  OUT: keys, *n. */
static void keys_of(const struct casefacts *t, const struct row *r, enum dim d, uint32_t *keys,
                    size_t *n)
{
	*n = 0;
	struct tm tm;
	time_t tt = (time_t)r->t;
	switch (d) {
	case D_ARTICLE:
	case D_CATEGORY: {
		size_t off = r->codes + (d == D_CATEGORY ? r->n_art : 0);
		size_t m = d == D_CATEGORY ? r->n_cat : r->n_art;
		for (size_t i = 0; i < m; i++)
			keys[(*n)++] = t->codes[off + i];
		if (m == 0)
			keys[(*n)++] = UINT32_MAX; /* "unknown" */
		break;
	}
	case D_MONTH:
	case D_YEAR:
		gmtime_r(&tt, &tm);
		keys[(*n)++] =
		        (uint32_t)((tm.tm_year + 1900) * 100 + (d == D_MONTH ? tm.tm_mon + 1 : 0));
		break;
	case D_OUTCOME:
		if (r->kind == K_OUTCOME)
			keys[(*n)++] = r->outcome;
		break;
	case D_COUNT: break;
	}
}

static json_t *label(const struct casefacts *t, enum dim d, uint32_t k)
{
	char b[16];
	switch (d) {
	case D_ARTICLE:
	case D_CATEGORY: return json_string(k < t->texts.n ? t->texts.s[k] : "unknown");
	case D_MONTH: snprintf(b, sizeof b, "%04u-%02u", k / 100, k % 100); return json_string(b);
	case D_YEAR: snprintf(b, sizeof b, "%04u", k / 100); return json_string(b);
	case D_OUTCOME: return json_string(k < N_OUTCOMES ? outcomes[k] : "");
	case D_COUNT: break;
	}
	return json_null();
}

/* Counts the distinct (a, b) of each cell of a sorted pair list into the
 * field at off of struct cell. */
static void distinct(struct acc *a, int which, size_t off)
{
	struct pair *p = a->p[which];
	size_t n = a->np[which];
	if (n > 1)
		qsort(p, n, sizeof *p, cmp_pair);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || p[i].cell != p[i - 1].cell || p[i].a != p[i - 1].a ||
		    p[i].b != p[i - 1].b)
			(*(uint64_t *)((char *)&a->cells[p[i].cell] + off))++;
}

static void figures(json_t *row, const struct cell *c, unsigned min_cell)
{
	bool hide = min_cell > 0 && c->cases < min_cell;
	const struct {
		const char *name;
		uint64_t v;
	} f[] = {{"cases", c->cases},
	         {"reviews", c->reviews},
	         {"disseminations", c->disseminations},
	         {"outcomes", c->outcomes},
	         {"prosecuted", c->prosecuted},
	         {"convicted", c->convicted}};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		json_object_set_new(row, f[i].name,
		                    hide ? json_null() : json_integer((json_int_t)f[i].v));
	if (hide)
		json_object_set_new(row, "suppressed", json_true());
}

struct sorted {
	json_t *row;
	char key[300];
};

static int cmp_sorted(const void *x, const void *y)
{
	return strcmp(((const struct sorted *)x)->key, ((const struct sorted *)y)->key);
}

static void acc_free(struct acc *a)
{
	free(a->cells);
	free(a->slots);
	for (int i = 0; i < 3; i++)
		free(a->p[i]);
}

/* Takes the read lock, rebuilding first when stale. */
static int read_begin(struct casefacts *t, struct crix_error *err)
{
	for (;;) {
		pthread_rwlock_rdlock(&t->lock);
		if (!t->stale)
			return 0;
		pthread_rwlock_unlock(&t->lock);
		pthread_mutex_lock(&t->rebuild);
		pthread_rwlock_wrlock(&t->lock);
		int rc = t->stale ? load_locked(t, err) : 0;
		if (rc == 0)
			t->stale = false;
		pthread_rwlock_unlock(&t->lock);
		pthread_mutex_unlock(&t->rebuild);
		if (rc != 0)
			return rc;
	}
}

int casefacts_compute(struct casefacts *t, const char *group_by, const char *from, const char *to,
                      unsigned min_cell, json_t **out, struct crix_error *err)
{
	*out = NULL;
	enum dim dims[2];
	size_t nd = 0;
	for (const char *g = group_by != NULL && group_by[0] ? group_by : NULL; g != NULL;) {
		const char *comma = strchr(g, ',');
		size_t len = comma ? (size_t)(comma - g) : strlen(g);
		size_t d = 0;
		while (d < D_COUNT &&
		       (strlen(dim_names[d]) != len || strncmp(dim_names[d], g, len)))
			d++;
		if (d == D_COUNT || nd == 2)
			return crix_error_field(
			        err, "group_by", CRIX_EINVAL,
			        "group_by: up to two of article, category, month, year, "
			        "outcome");
		dims[nd++] = (enum dim)d;
		g = comma ? comma + 1 : NULL;
	}
	if (nd == 2 && dims[0] == dims[1])
		return crix_error_field(err, "group_by", CRIX_EINVAL,
		                        "group_by: a dimension twice");
	int64_t lo = INT64_MIN, hi = INT64_MAX;
	char iso[CLOCK_ISO_LEN];
	struct crix_error e = {0};
	if (from != NULL && from[0] && clock_parse_iso(from, "from", iso, &lo, &e) != 0)
		return crix_error_field(err, "from", CRIX_EINVAL, "%s", e.msg);
	if (to != NULL && to[0] && clock_parse_iso(to, "to", iso, &hi, &e) != 0)
		return crix_error_field(err, "to", CRIX_EINVAL, "%s", e.msg);
	int rc = read_begin(t, err);
	if (rc != 0)
		return rc;
	struct acc a = {0}, all = {0};
	uint32_t k0[CODES_MAX + 1], k1[CODES_MAX + 1];
	for (size_t i = 0; rc == 0 && i < t->n; i++) {
		const struct row *r = &t->rows[i];
		if (r->t < lo || r->t >= hi)
			continue;
		long c = cell_of(&all, 0, 0);
		rc = c < 0 ? CRIX_ENOMEM : tally(&all, (uint32_t)c, r);
		if (nd == 0)
			continue;
		size_t n0 = 1, n1 = 1;
		k0[0] = k1[0] = 0;
		keys_of(t, r, dims[0], k0, &n0);
		if (nd > 1)
			keys_of(t, r, dims[1], k1, &n1);
		for (size_t x = 0; rc == 0 && x < n0; x++)
			for (size_t y = 0; rc == 0 && y < n1; y++) {
				c = cell_of(&a, k0[x], k1[y]);
				rc = c < 0 ? (a.n == CELLS_MAX ? CRIX_ETOOBIG : CRIX_ENOMEM)
				           : tally(&a, (uint32_t)c, r);
			}
	}
	json_t *rows = json_array();
	struct sorted *srt = NULL;
	if (rc == 0) {
		for (struct acc *p = &a; p != NULL; p = p == &a ? &all : NULL) {
			distinct(p, 0, offsetof(struct cell, cases));
			distinct(p, 1, offsetof(struct cell, prosecuted));
			distinct(p, 2, offsetof(struct cell, convicted));
		}
		srt = a.n ? calloc(a.n, sizeof *srt) : NULL;
		if (a.n && srt == NULL)
			rc = CRIX_ENOMEM;
	}
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		json_t *row = json_object();
		for (size_t d = 0; d < nd; d++)
			json_object_set_new(row, dim_names[dims[d]],
			                    label(t, dims[d], a.cells[i].k[d]));
		figures(row, &a.cells[i], min_cell);
		srt[i].row = row;
		snprintf(srt[i].key, sizeof srt[i].key, "%s\x1f%s",
		         json_string_value(json_object_get(row, dim_names[dims[0]])),
		         nd > 1 ? json_string_value(json_object_get(row, dim_names[dims[1]])) : "");
	}
	pthread_rwlock_unlock(&t->lock);
	if (rc == 0 && a.n > 0) {
		qsort(srt, a.n, sizeof *srt, cmp_sorted);
		for (size_t i = 0; i < a.n; i++)
			json_array_append_new(rows, srt[i].row);
	}
	free(srt);
	json_t *total = json_object(), *gb = json_array();
	struct cell none = {{0, 0}, 0, 0, 0, 0, 0, 0};
	figures(total, all.n ? &all.cells[0] : &none, 0);
	for (size_t d = 0; d < nd; d++)
		json_array_append_new(gb, json_string(dim_names[dims[d]]));
	acc_free(&a);
	acc_free(&all);
	if (rc != 0) {
		json_decref(rows);
		json_decref(total);
		json_decref(gb);
		return crix_error_set(err, rc, "case statistics: %s",
		                      rc == CRIX_ETOOBIG ? "more than 100000 groups"
		                                         : "out of memory");
	}
	if (min_cell > 0) {
		json_decref(total);
		total = json_null();
	}
	*out = json_pack("{s:s,s:o,s:o,s:o,s:o}", "measure", "casework", "group_by", gb, "rows",
	                 rows, "total", total, "suppressed_below",
	                 min_cell > 0 ? json_integer(min_cell) : json_null());
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}
