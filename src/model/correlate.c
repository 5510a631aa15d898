/*
 * correlate.c - postings and union-find (see correlate.h).
 *
 * Values are interned in an open-addressing table; each keeps its first
 * holder inline and the rest in a growable array (most values are held by one
 * report).  Reports keep the ids of their values in one shared array, so that
 * a case can be rebuilt from its members alone.  Cases are union-find trees
 * (union by size, path halving) whose members are also threaded on a
 * circular list, merged in O(1) at each union, so that a case can be walked
 * without a scan of every report.
 */
#include "model/correlate.h"

#include <stdlib.h>
#include <string.h>

enum { V_OVER = 1, V_CONFIRMED = 2, V_ALLOWED = 4 };
enum { R_DETACHED = 1, R_MARK = 2 }; /* report flags */

/* An analyst's explicit link between two reports (a merge). */
struct link {
	uint32_t a, b;
	bool dead; /* removed by a later detach */
};

struct val {
	uint64_t hash;
	uint32_t str; /* offset of the text in the pool */
	uint32_t len;
	uint32_t count; /* reports holding it */
	uint32_t first; /* the first of them */
	uint32_t *more; /* the others */
	uint32_t n_more, cap_more;
	uint8_t type;
	uint8_t flags;
};

struct corr {
	struct corr_opts opt;
	/* values */
	struct val *vals; /* index 0 unused: 0 means "empty slot" */
	uint32_t n_vals, cap_vals;
	uint32_t *slots;  /* hash table of value indexes */
	uint32_t n_slots; /* a power of two */
	char *pool;
	size_t pool_len, pool_cap;
	/* reports, indexed by id */
	uint32_t *parent, *size, *next, *min;
	uint32_t *vstart, *vcount; /* the report's values in rvals */
	uint32_t cap_reports;
	uint32_t *rvals;
	size_t n_rvals, cap_rvals;
	/* analysts' decisions: (report, value) pairs that never link, as
	 * report << 32 | value index in an open-addressing set (0: empty),
	 * report flags, and explicit links (few: people make them) */
	uint64_t *excl;
	uint32_t n_excl, cap_excl; /* cap: a power of two, or 0 */
	uint32_t *rflags;
	struct link *links;
	size_t n_links, cap_links;
	/* counters */
	uint64_t n_reports, occurrences, rebuilds;
	uint64_t more_bytes;
};

static uint64_t hash_value(unsigned type, const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ type;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

/* Grows *p (of *cap elements of size elem) to hold at least need. */
static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 16;
	while (nc < need)
		nc *= 2;
	void *q = realloc(*p, nc * elem);
	if (q == NULL)
		return CRIX_ENOMEM;
	memset((char *)q + *cap * elem, 0, (nc - *cap) * elem);
	*p = q;
	*cap = nc;
	return 0;
}

int corr_new(const struct corr_opts *opts, struct corr **out, struct crix_error *err)
{
	struct corr *c = calloc(1, sizeof *c);
	*out = NULL;
	if (c == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
	if (opts != NULL)
		c->opt = *opts;
	if (c->opt.over_common == 0)
		c->opt.over_common = CORR_OVER_COMMON_DEFAULT;
	c->n_slots = 1024;
	c->slots = calloc(c->n_slots, sizeof *c->slots);
	c->n_vals = 1;
	size_t cap = 0;
	if (c->slots == NULL || grow((void **)&c->vals, &cap, 1024, sizeof *c->vals) != 0) {
		corr_free(c);
		return crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
	}
	c->cap_vals = (uint32_t)cap;
	*out = c;
	return 0;
}

void corr_free(struct corr *c)
{
	if (c == NULL)
		return;
	for (uint32_t i = 1; i < c->n_vals; i++)
		free(c->vals[i].more);
	free(c->vals);
	free(c->slots);
	free(c->pool);
	free(c->parent);
	free(c->size);
	free(c->next);
	free(c->min);
	free(c->vstart);
	free(c->vcount);
	free(c->rvals);
	free(c->excl);
	free(c->rflags);
	free(c->links);
	free(c);
}

/* ---- values ---- */

static int rehash(struct corr *c)
{
	uint32_t n = c->n_slots * 2;
	uint32_t *s = calloc(n, sizeof *s);
	if (s == NULL)
		return CRIX_ENOMEM;
	for (uint32_t i = 1; i < c->n_vals; i++) {
		uint32_t k = (uint32_t)c->vals[i].hash & (n - 1);
		while (s[k] != 0)
			k = (k + 1) & (n - 1);
		s[k] = i;
	}
	free(c->slots);
	c->slots = s;
	c->n_slots = n;
	return 0;
}

/* The index of a value, 0 if unknown. */
static uint32_t find(const struct corr *c, unsigned type, const char *s, size_t n, uint64_t h)
{
	uint32_t k = (uint32_t)h & (c->n_slots - 1);
	for (;;) {
		uint32_t i = c->slots[k];
		if (i == 0)
			return 0;
		const struct val *v = &c->vals[i];
		if (v->hash == h && v->type == type && v->len == n &&
		    memcmp(c->pool + v->str, s, n) == 0)
			return i;
		k = (k + 1) & (c->n_slots - 1);
	}
}

/* The index of a value, added when new.  OUT: *idx. */
static int intern(struct corr *c, unsigned type, const char *s, size_t n, uint32_t *idx)
{
	uint64_t h = hash_value(type, s, n);
	uint32_t i = find(c, type, s, n, h);
	if (i != 0) {
		*idx = i;
		return 0;
	}
	if (n > UINT32_MAX / 2 || c->pool_len + n > UINT32_MAX)
		return CRIX_ETOOBIG;
	if ((c->n_vals + 1) * 4 > c->n_slots * 3 && rehash(c) != 0)
		return CRIX_ENOMEM;
	size_t cap = c->cap_vals;
	if (grow((void **)&c->vals, &cap, (size_t)c->n_vals + 1, sizeof *c->vals) != 0 ||
	    grow((void **)&c->pool, &c->pool_cap, c->pool_len + n, 1) != 0)
		return CRIX_ENOMEM;
	c->cap_vals = (uint32_t)cap;
	i = c->n_vals++;
	struct val *v = &c->vals[i];
	memset(v, 0, sizeof *v);
	v->hash = h;
	v->type = (uint8_t)type;
	v->str = (uint32_t)c->pool_len;
	v->len = (uint32_t)n;
	memcpy(c->pool + c->pool_len, s, n);
	c->pool_len += n;
	if (c->opt.allowed != NULL && c->opt.allowed(c->opt.allowed_arg, type, s, n))
		v->flags |= V_ALLOWED;
	uint32_t k = (uint32_t)h & (c->n_slots - 1);
	while (c->slots[k] != 0)
		k = (k + 1) & (c->n_slots - 1);
	c->slots[k] = i;
	*idx = i;
	return 0;
}

static bool links(const struct corr *c, const struct val *v)
{
	if (v->flags & V_ALLOWED)
		return false;
	return (v->flags & V_CONFIRMED) || v->count <= c->opt.over_common;
}

static int post(struct corr *c, struct val *v, uint32_t report)
{
	if (v->count++ == 0) {
		v->first = report;
		return 0;
	}
	if (v->n_more == v->cap_more) {
		uint32_t nc = v->cap_more ? v->cap_more * 2 : 2;
		uint32_t *p = realloc(v->more, nc * sizeof *p);
		if (p == NULL) {
			v->count--;
			return CRIX_ENOMEM;
		}
		c->more_bytes += (uint64_t)(nc - v->cap_more) * sizeof *p;
		v->more = p;
		v->cap_more = nc;
	}
	v->more[v->n_more++] = report;
	return 0;
}

/* ---- cases ---- */

static uint32_t root(struct corr *c, uint32_t r)
{
	while (c->parent[r] != r) {
		c->parent[r] = c->parent[c->parent[r]];
		r = c->parent[r];
	}
	return r;
}

static void unite(struct corr *c, uint32_t a, uint32_t b)
{
	a = root(c, a);
	b = root(c, b);
	if (a == b)
		return;
	if (c->size[a] < c->size[b]) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	c->parent[b] = a;
	c->size[a] += c->size[b];
	if (c->min[b] < c->min[a])
		c->min[a] = c->min[b];
	/* Splice the two circular member lists. */
	uint32_t t = c->next[a];
	c->next[a] = c->next[b];
	c->next[b] = t;
}

static void make_set(struct corr *c, uint32_t r)
{
	c->parent[r] = r;
	c->size[r] = 1;
	c->next[r] = r;
	c->min[r] = r;
}

/*
 * Rebuilds the case holding report r after one of its values stopped linking:
 * every member becomes its own case, then is joined again through the values
 * that still link.  Every holder of a linking value is in this case, so the
 * work stays inside it.
 */
static int rebuild(struct corr *c, uint32_t r)
{
	uint32_t n = c->size[root(c, r)];
	uint32_t *m = malloc((size_t)n * sizeof *m);
	if (m == NULL)
		return CRIX_ENOMEM;
	uint32_t k = 0, x = r;
	do {
		m[k++] = x;
		x = c->next[x];
	} while (x != r && k < n);
	for (uint32_t i = 0; i < k; i++)
		make_set(c, m[i]);
	for (uint32_t i = 0; i < k; i++) {
		uint32_t rep = m[i];
		for (uint32_t j = 0; j < c->vcount[rep]; j++) {
			const struct val *v = &c->vals[c->rvals[c->vstart[rep] + j]];
			if (links(c, v) && v->first != rep)
				unite(c, rep, v->first);
		}
	}
	/* Analysts' links join what no value joins; both ends are members. */
	if (c->n_links > 0) {
		for (uint32_t i = 0; i < k; i++)
			c->rflags[m[i]] |= R_MARK;
		for (size_t i = 0; i < c->n_links; i++)
			if (!c->links[i].dead && (c->rflags[c->links[i].a] & R_MARK))
				unite(c, c->links[i].a, c->links[i].b);
		for (uint32_t i = 0; i < k; i++)
			c->rflags[m[i]] &= ~(uint32_t)R_MARK;
	}
	free(m);
	c->rebuilds++;
	return 0;
}

static int ensure_report(struct corr *c, uint32_t report)
{
	if (report < c->cap_reports)
		return 0;
	size_t need = (size_t)report + 1, cap = c->cap_reports, cap2;
	uint32_t **arrays[] = {&c->parent, &c->size,   &c->next,  &c->min,
	                       &c->vstart, &c->vcount, &c->rflags};
	for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
		cap2 = cap;
		if (grow((void **)arrays[i], &cap2, need, sizeof(uint32_t)) != 0)
			return CRIX_ENOMEM;
	}
	c->cap_reports = (uint32_t)cap2;
	return 0;
}

/* Has an analyst said that report never links through value idx? */
static bool excluded(const struct corr *c, uint32_t report, uint32_t idx)
{
	if (c->rflags[report] & R_DETACHED)
		return true;
	if (c->n_excl == 0)
		return false;
	uint64_t key = (uint64_t)report << 32 | idx;
	uint32_t k = (uint32_t)(key * 0x9e3779b97f4a7c15ull >> 32) & (c->cap_excl - 1);
	while (c->excl[k] != 0) {
		if (c->excl[k] == key)
			return true;
		k = (k + 1) & (c->cap_excl - 1);
	}
	return false;
}

static void excl_put(uint64_t *set, uint32_t cap, uint64_t key)
{
	uint32_t k = (uint32_t)(key * 0x9e3779b97f4a7c15ull >> 32) & (cap - 1);
	while (set[k] != 0 && set[k] != key)
		k = (k + 1) & (cap - 1);
	set[k] = key;
}

static int excl_add(struct corr *c, uint32_t report, uint32_t idx)
{
	if (excluded(c, report, idx))
		return 0;
	if ((c->n_excl + 1) * 2 > c->cap_excl) {
		uint32_t nc = c->cap_excl ? c->cap_excl * 2 : 64;
		uint64_t *set = calloc(nc, sizeof *set);
		if (set == NULL)
			return CRIX_ENOMEM;
		for (uint32_t i = 0; i < c->cap_excl; i++)
			if (c->excl[i] != 0)
				excl_put(set, nc, c->excl[i]);
		free(c->excl);
		c->excl = set;
		c->cap_excl = nc;
	}
	excl_put(c->excl, c->cap_excl, (uint64_t)report << 32 | idx);
	c->n_excl++;
	return 0;
}

/* Records the report's values (deduplicated), then posts them and links.
 * fresh: a new report (else an extension of one held). */
static int add_values(struct corr *c, uint32_t report, const struct corr_value *vals, size_t n,
                      bool fresh, size_t *linked, struct crix_error *err)
{
	if (linked != NULL)
		*linked = 0;
	/* The report's values go at the end of rvals: its old ones are moved
	 * there first when it is extended (additions are rare). */
	uint32_t old_n = fresh ? 0 : c->vcount[report];
	size_t start = c->n_rvals;
	if (grow((void **)&c->rvals, &c->cap_rvals, start + old_n + n, sizeof *c->rvals) != 0)
		return crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
	if (old_n > 0)
		memmove(c->rvals + start, c->rvals + c->vstart[report], old_n * sizeof *c->rvals);
	size_t have = old_n;
	uint32_t first_new = (uint32_t)have;
	for (size_t i = 0; i < n; i++) {
		uint32_t idx;
		int rc = intern(c, vals[i].type, vals[i].value, vals[i].len, &idx);
		if (rc != 0)
			return crix_error_set(err, rc, "correlation: value %zu: %s", i,
			                      rc == CRIX_ETOOBIG ? "too long" : "out of memory");
		bool dup = excluded(c, report, idx);
		for (size_t j = 0; j < have && !dup; j++)
			dup = c->rvals[start + j] == idx;
		if (!dup)
			c->rvals[start + have++] = idx;
	}
	c->vstart[report] = (uint32_t)start;
	c->vcount[report] = (uint32_t)have;
	c->n_rvals = start + have;
	/* Post; a value that just became over-common splits the case it made. */
	for (size_t j = first_new; j < have; j++) {
		struct val *v = &c->vals[c->rvals[start + j]];
		if (post(c, v, report) != 0)
			return crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
		c->occurrences++;
		if (!(v->flags & (V_ALLOWED | V_CONFIRMED)) && v->count == c->opt.over_common + 1) {
			v->flags |= V_OVER;
			if (rebuild(c, v->first) != 0)
				return crix_error_set(err, CRIX_ENOMEM,
				                      "correlation: out of memory");
		}
	}
	for (size_t j = first_new; j < have; j++) {
		const struct val *v = &c->vals[c->rvals[start + j]];
		if (v->count >= 2 && links(c, v)) {
			unite(c, report, v->first);
			if (linked != NULL)
				(*linked)++;
		}
	}
	return 0;
}

int corr_add(struct corr *c, uint32_t report, const struct corr_value *vals, size_t n,
             size_t *linked, struct crix_error *err)
{
	if (report == 0 || report == UINT32_MAX)
		return crix_error_set(err, CRIX_EINVAL, "correlation: report id %u out of range",
		                      report);
	if (ensure_report(c, report) != 0)
		return crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
	if (c->parent[report] != 0)
		return crix_error_set(err, CRIX_EEXIST, "correlation: report %u was added already",
		                      report);
	make_set(c, report);
	c->n_reports++;
	return add_values(c, report, vals, n, true, linked, err);
}

int corr_extend(struct corr *c, uint32_t report, const struct corr_value *vals, size_t n,
                struct crix_error *err)
{
	if (report == 0 || report >= c->cap_reports || c->parent[report] == 0)
		return crix_error_set(err, CRIX_ENOTFOUND, "correlation: no report %u", report);
	return add_values(c, report, vals, n, false, NULL, err);
}

static bool known(const struct corr *c, uint32_t report)
{
	return report != 0 && report < c->cap_reports && c->parent[report] != 0;
}

uint32_t corr_case(struct corr *c, uint32_t report)
{
	return known(c, report) ? c->min[root(c, report)] : 0;
}

uint32_t corr_case_size(struct corr *c, uint32_t report)
{
	return known(c, report) ? c->size[root(c, report)] : 0;
}

size_t corr_case_members(struct corr *c, uint32_t report, uint32_t *out, size_t max)
{
	if (!known(c, report))
		return 0;
	size_t k = 0;
	uint32_t x = report;
	do {
		if (k < max)
			out[k] = x;
		k++;
		x = c->next[x];
	} while (x != report);
	return k < max ? k : max;
}

int corr_value_info(struct corr *c, unsigned type, const char *value, size_t len,
                    struct corr_value_info *out)
{
	uint32_t i = find(c, type, value, len, hash_value(type, value, len));
	if (i == 0)
		return CRIX_ENOTFOUND;
	const struct val *v = &c->vals[i];
	out->reports = v->count;
	out->over_common = (v->flags & V_OVER) && !(v->flags & V_CONFIRMED);
	out->confirmed = (v->flags & V_CONFIRMED) != 0;
	out->allowed = (v->flags & V_ALLOWED) != 0;
	return 0;
}

int corr_confirm(struct corr *c, unsigned type, const char *value, size_t len,
                 struct crix_error *err)
{
	uint32_t i = find(c, type, value, len, hash_value(type, value, len));
	if (i == 0)
		return crix_error_set(err, CRIX_ENOTFOUND,
		                      "correlation: no report holds this value");
	struct val *v = &c->vals[i];
	v->flags |= V_CONFIRMED;
	if (!(v->flags & V_ALLOWED))
		for (uint32_t j = 0; j < v->n_more; j++)
			unite(c, v->more[j], v->first);
	return 0;
}

/* ---- analysts' decisions ---- */

/*
 * Takes report r off value v's posting list (v at position j of r's values).
 * OUT: *relinks, true when v fell back to at most over_common holders and so
 * links again: the caller joins its holders after rebuilding.
 */
static void unpost(struct corr *c, uint32_t r, uint32_t j, bool *relinks)
{
	uint32_t idx = c->rvals[c->vstart[r] + j];
	struct val *v = &c->vals[idx];
	c->rvals[c->vstart[r] + j] = c->rvals[c->vstart[r] + c->vcount[r] - 1];
	c->vcount[r]--;
	if (v->first == r) {
		if (v->n_more > 0)
			v->first = v->more[--v->n_more];
	} else {
		for (uint32_t i = 0; i < v->n_more; i++)
			if (v->more[i] == r) {
				v->more[i] = v->more[--v->n_more];
				break;
			}
	}
	v->count--;
	c->occurrences--;
	*relinks = false;
	if ((v->flags & V_OVER) && v->count <= c->opt.over_common) {
		v->flags &= ~(uint8_t)V_OVER;
		*relinks = !(v->flags & V_ALLOWED);
	}
}

/* Joins every holder of a value that links again (see unpost). */
static void relink(struct corr *c, uint32_t idx)
{
	const struct val *v = &c->vals[idx];
	for (uint32_t i = 0; i < v->n_more; i++)
		unite(c, v->more[i], v->first);
}

int corr_exclude(struct corr *c, uint32_t report, unsigned type, const char *value, size_t len,
                 struct crix_error *err)
{
	if (!known(c, report))
		return crix_error_set(err, CRIX_ENOTFOUND, "correlation: no report %u", report);
	uint32_t idx;
	int rc = intern(c, type, value, len, &idx);
	if (rc == 0)
		rc = excl_add(c, report, idx);
	if (rc != 0)
		return crix_error_set(err, rc, "correlation: out of memory or value too long");
	bool again = false;
	for (uint32_t j = 0; j < c->vcount[report]; j++)
		if (c->rvals[c->vstart[report] + j] == idx) {
			unpost(c, report, j, &again);
			if (rebuild(c, report) != 0)
				return crix_error_set(err, CRIX_ENOMEM,
				                      "correlation: out of memory");
			break;
		}
	if (again)
		relink(c, idx);
	return 0;
}

int corr_detach(struct corr *c, uint32_t report, struct crix_error *err)
{
	if (!known(c, report))
		return crix_error_set(err, CRIX_ENOTFOUND, "correlation: no report %u", report);
	c->rflags[report] |= R_DETACHED;
	for (size_t i = 0; i < c->n_links; i++)
		if (c->links[i].a == report || c->links[i].b == report)
			c->links[i].dead = true;
	/* The values that link again are joined after the rebuild; at most
	 * the report's own, so a small array does. */
	uint32_t n = c->vcount[report], k = 0;
	uint32_t *again = malloc(((size_t)n + 1) * sizeof *again);
	if (again == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
	while (c->vcount[report] > 0) {
		bool a;
		uint32_t idx = c->rvals[c->vstart[report]];
		unpost(c, report, 0, &a);
		if (a)
			again[k++] = idx;
	}
	int rc = rebuild(c, report);
	for (uint32_t i = 0; rc == 0 && i < k; i++)
		relink(c, again[i]);
	free(again);
	return rc == 0 ? 0 : crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
}

int corr_link(struct corr *c, uint32_t a, uint32_t b, struct crix_error *err)
{
	if (!known(c, a) || !known(c, b))
		return crix_error_set(err, CRIX_ENOTFOUND, "correlation: no report %u",
		                      known(c, a) ? b : a);
	if (c->n_links == c->cap_links) {
		size_t nc = c->cap_links ? c->cap_links * 2 : 16;
		struct link *l = realloc(c->links, nc * sizeof *l);
		if (l == NULL)
			return crix_error_set(err, CRIX_ENOMEM, "correlation: out of memory");
		c->links = l;
		c->cap_links = nc;
	}
	c->links[c->n_links++] = (struct link){a, b, false};
	unite(c, a, b);
	return 0;
}

size_t corr_report_links(const struct corr *c, uint32_t report, uint32_t *out, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < c->n_links && k < max; i++)
		if (!c->links[i].dead && c->links[i].a == report)
			out[k++] = c->links[i].b;
		else if (!c->links[i].dead && c->links[i].b == report)
			out[k++] = c->links[i].a;
	return k;
}

size_t corr_report_values(const struct corr *c, uint32_t report, struct corr_value *out, size_t max)
{
	if (!known(c, report))
		return 0;
	size_t n = c->vcount[report] < max ? c->vcount[report] : max;
	for (size_t j = 0; j < n; j++) {
		const struct val *v = &c->vals[c->rvals[c->vstart[report] + j]];
		out[j] = (struct corr_value){v->type, c->pool + v->str, v->len};
	}
	return n;
}

void corr_stats(const struct corr *c, struct corr_stats *out)
{
	memset(out, 0, sizeof *out);
	out->reports = c->n_reports;
	out->values = c->n_vals - 1;
	out->occurrences = c->occurrences;
	out->rebuilds = c->rebuilds;
	for (uint32_t i = 1; i < c->n_vals; i++) {
		const struct val *v = &c->vals[i];
		out->pair_rows += (uint64_t)v->count * (v->count - 1) / 2;
		if ((v->flags & V_OVER) && !(v->flags & V_CONFIRMED))
			out->over_common++;
	}
	for (uint32_t r = 1; r < c->cap_reports; r++)
		if (c->parent[r] == r)
			out->cases++;
	out->bytes = (uint64_t)c->cap_vals * sizeof *c->vals +
	             (uint64_t)c->n_slots * sizeof *c->slots + c->pool_cap + c->more_bytes +
	             (uint64_t)c->cap_reports * 7 * sizeof(uint32_t) +
	             (uint64_t)c->cap_rvals * sizeof *c->rvals;
}
