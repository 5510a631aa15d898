/*
 * facts.c - the statistics fact table (see facts.h): columns of codes and
 * numbers in id order, one dictionary per coded column (text <-> code, an
 * open-addressing hash), a read-write lock.
 */
#define _GNU_SOURCE /* pthread_rwlockattr_setkind_np: writers first */
#include "model/facts.h"

#include "util/clock.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODES_MAX (1u << 24) /* distinct values of one column */

struct dict {
	char **text;    /* by code */
	uint32_t n;     /* codes in use */
	uint32_t *slot; /* hash -> code + 1 (0: empty), cap a power of two */
	size_t cap;
};

struct facts {
	pthread_rwlock_t lock;
	struct store *store;
	int stale; /* rebuild from the store before the next read */
	size_t n, cap;
	int64_t *id, *created_ms, *loss_minor, *org_id;
	int32_t *day;
	uint8_t *vulnerable;
	uint32_t *col[FACTS_COLS];
	struct dict dict[FACTS_COLS];
	int32_t day_min, day_max;
};

static uint64_t hash_text(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static void dict_clear(struct dict *d)
{
	for (uint32_t i = 0; i < d->n; i++)
		free(d->text[i]);
	free(d->text);
	free(d->slot);
	memset(d, 0, sizeof *d);
}

static uint32_t dict_find(const struct dict *d, const char *s)
{
	if (d->cap == 0)
		return FACTS_NO_CODE;
	for (size_t k = hash_text(s) & (d->cap - 1); d->slot[k] != 0; k = (k + 1) & (d->cap - 1))
		if (strcmp(d->text[d->slot[k] - 1], s) == 0)
			return d->slot[k] - 1;
	return FACTS_NO_CODE;
}

/* The code of s, added when new.  OUT: *code. */
static int dict_code(struct dict *d, const char *s, uint32_t *code, struct crix_error *err)
{
	if ((*code = dict_find(d, s)) != FACTS_NO_CODE)
		return 0;
	if (d->n == CODES_MAX)
		return crix_error_set(err, CRIX_ETOOBIG,
		                      "statistics: more than %u distinct values in one field",
		                      CODES_MAX);
	if ((d->n + 1) * 2 > d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 64;
		uint32_t *slot = calloc(nc, sizeof *slot);
		char **text = realloc(d->text, nc / 2 * sizeof *text);
		if (slot == NULL || text == NULL) {
			free(slot);
			if (text != NULL)
				d->text = text;
			return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
		}
		d->text = text;
		for (uint32_t c = 0; c < d->n; c++) {
			size_t k = hash_text(text[c]) & (nc - 1);
			while (slot[k] != 0)
				k = (k + 1) & (nc - 1);
			slot[k] = c + 1;
		}
		free(d->slot);
		d->slot = slot;
		d->cap = nc;
	}
	char *copy = strdup(s);
	if (copy == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
	size_t k = hash_text(s) & (d->cap - 1);
	while (d->slot[k] != 0)
		k = (k + 1) & (d->cap - 1);
	d->text[d->n] = copy;
	d->slot[k] = ++d->n;
	*code = d->n - 1;
	return 0;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" exactly: the form the store keeps. */
static int parse_canonical(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, se, milli;
	if (strlen(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != '.' || s[23] != 'Z' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &se) || digits(s + 20, 3, &milli) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	*ms = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + se * 1000 + milli;
	return 0;
}

int facts_parse_ms(const char *iso, const char *field, int64_t *ms, struct crix_error *err)
{
	if (parse_canonical(iso, ms) == 0)
		return 0;
	char canon[CLOCK_ISO_LEN];
	int rc = clock_parse_iso(iso, field, canon, NULL, err);
	if (rc != 0)
		return rc;
	if (parse_canonical(canon, ms) != 0)
		return crix_error_field(err, field, CRIX_EINVAL, "%s: '%.40s' is not a time", field,
		                        iso);
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void rows_free(struct facts *t)
{
	free(t->id);
	free(t->created_ms);
	free(t->loss_minor);
	free(t->org_id);
	free(t->day);
	free(t->vulnerable);
	for (int c = 0; c < FACTS_COLS; c++) {
		free(t->col[c]);
		dict_clear(&t->dict[c]);
	}
	t->id = t->created_ms = t->loss_minor = t->org_id = NULL;
	t->day = NULL;
	t->vulnerable = NULL;
	memset(t->col, 0, sizeof t->col);
	t->n = t->cap = 0;
	t->day_min = 0;
	t->day_max = -1;
}

#define GROW(p, nc)                                                                                \
	do {                                                                                       \
		void *np_ = realloc((p), (nc) * sizeof *(p));                                      \
		if (np_ == NULL)                                                                   \
			return -1;                                                                 \
		(p) = np_;                                                                         \
	} while (0)

static int rows_reserve(struct facts *t, size_t want)
{
	if (want <= t->cap)
		return 0;
	size_t nc = t->cap ? t->cap : 1024;
	while (nc < want)
		nc *= 2;
	GROW(t->id, nc);
	GROW(t->created_ms, nc);
	GROW(t->loss_minor, nc);
	GROW(t->org_id, nc);
	GROW(t->day, nc);
	GROW(t->vulnerable, nc);
	for (int c = 0; c < FACTS_COLS; c++)
		GROW(t->col[c], nc);
	t->cap = nc;
	return 0;
}

/* The row of id, or where it would go: rows are kept in id order, and new
 * reports almost always come last. */
static size_t row_of(const struct facts *t, int64_t id, int *found)
{
	size_t lo = 0, hi = t->n;
	if (t->n > 0 && t->id[t->n - 1] < id)
		lo = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && t->id[lo] == id;
	return lo;
}

#define SHIFT(p, i, n) memmove(&(p)[(i) + 1], &(p)[i], ((n) - (i)) * sizeof *(p))

static int put_locked(struct facts *t, const struct store_report_fact *f, struct crix_error *err)
{
	const char *text[FACTS_COLS] = {
	        [FACTS_CATEGORY] = f->category, [FACTS_REGION] = f->region,
	        [FACTS_COUNTRY] = f->country,   [FACTS_VICTIM_TYPE] = f->victim_type,
	        [FACTS_CHANNEL] = f->channel,   [FACTS_PAYMENT] = f->payment_method,
	        [FACTS_KIND] = f->kind,         [FACTS_STATUS] = f->status,
	        [FACTS_OUTCOME] = f->outcome,   [FACTS_CURRENCY] = f->currency};
	uint32_t code[FACTS_COLS];
	int64_t ms;
	int rc;
	char field[48];
	snprintf(field, sizeof field, "report %lld: created", (long long)f->id);
	if ((rc = facts_parse_ms(f->created ? f->created : "", field, &ms, err)) != 0)
		return rc;
	for (int c = 0; c < FACTS_COLS; c++)
		if ((rc = dict_code(&t->dict[c], text[c] ? text[c] : "", &code[c], err)) != 0)
			return rc;
	int found;
	size_t i = row_of(t, f->id, &found);
	if (!found) {
		if (rows_reserve(t, t->n + 1) != 0)
			return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
		if (i < t->n) { /* a commit that overtook an earlier one */
			SHIFT(t->id, i, t->n);
			SHIFT(t->created_ms, i, t->n);
			SHIFT(t->loss_minor, i, t->n);
			SHIFT(t->org_id, i, t->n);
			SHIFT(t->day, i, t->n);
			SHIFT(t->vulnerable, i, t->n);
			for (int c = 0; c < FACTS_COLS; c++)
				SHIFT(t->col[c], i, t->n);
		}
		t->n++;
	}
	int32_t day = (int32_t)floor_div(ms, 86400000);
	t->id[i] = f->id;
	t->created_ms[i] = ms;
	t->day[i] = day;
	t->loss_minor[i] = f->loss_minor;
	t->org_id[i] = f->org_id;
	t->vulnerable[i] = f->vulnerable != 0;
	for (int c = 0; c < FACTS_COLS; c++)
		t->col[c][i] = code[c];
	if (t->day_max < t->day_min) {
		t->day_min = t->day_max = day;
	} else {
		if (day < t->day_min)
			t->day_min = day;
		if (day > t->day_max)
			t->day_max = day;
	}
	return 0;
}

struct load {
	struct facts *t;
	struct crix_error *err;
	int rc;
};

static int load_one(void *arg, const struct store_report_fact *f)
{
	struct load *l = arg;
	l->rc = put_locked(l->t, f, l->err);
	return l->rc != 0;
}

/* Rebuilds every row from the store; the write lock is held. */
static int reload(struct facts *t, struct crix_error *err)
{
	rows_free(t);
	struct store_report_filter all;
	memset(&all, 0, sizeof all);
	struct load l = {t, err, 0};
	int rc = store_report_facts(t->store, &all, load_one, &l, err);
	if (l.rc != 0)
		rc = l.rc;
	t->stale = rc != 0;
	return rc;
}

int facts_open(struct store *s, struct facts **out, struct crix_error *err)
{
	*out = NULL;
	struct facts *t = calloc(1, sizeof *t);
	if (t == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "statistics: out of memory");
	t->store = s;
	t->day_max = -1;
	/* Writers first: a report's commit must not wait behind a stream of
	 * statistics queries (glibc's default lets readers starve writers). */
	pthread_rwlockattr_t attr;
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	int lrc = pthread_rwlock_init(&t->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	if (lrc != 0) {
		free(t);
		return crix_error_set(err, CRIX_ENOMEM, "statistics: no lock");
	}
	int rc = reload(t, err);
	if (rc != 0) {
		facts_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void facts_free(struct facts *t)
{
	if (t == NULL)
		return;
	rows_free(t);
	pthread_rwlock_destroy(&t->lock);
	free(t);
}

int facts_put(struct facts *t, const struct store_report_fact *f, struct crix_error *err)
{
	pthread_rwlock_wrlock(&t->lock);
	int rc = put_locked(t, f, err);
	if (rc != 0)
		t->stale = 1;
	pthread_rwlock_unlock(&t->lock);
	return rc;
}

int facts_put_report(struct facts *t, const struct store_report *r, struct crix_error *err)
{
	struct store_report_fact f = {.id = r->id,
	                              .org_id = r->org_id,
	                              .category = r->category,
	                              .created = r->created,
	                              .region = r->region,
	                              .country = r->country,
	                              .victim_type = r->victim_type,
	                              .channel = r->channel,
	                              .payment_method = r->payment_method,
	                              .kind = r->kind,
	                              .status = r->status,
	                              .outcome = r->outcome,
	                              .currency = r->currency,
	                              .loss_minor = r->loss_minor,
	                              .vulnerable = r->vulnerable};
	return facts_put(t, &f, err);
}

int facts_set_status(struct facts *t, int64_t id, const char *status, const char *outcome,
                     struct crix_error *err)
{
	pthread_rwlock_wrlock(&t->lock);
	int found, rc;
	size_t i = row_of(t, id, &found);
	uint32_t s, o;
	if (!found)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "statistics: no report %lld",
		                    (long long)id);
	else if ((rc = dict_code(&t->dict[FACTS_STATUS], status, &s, err)) == 0 &&
	         (rc = dict_code(&t->dict[FACTS_OUTCOME], outcome ? outcome : "", &o, err)) == 0) {
		t->col[FACTS_STATUS][i] = s;
		t->col[FACTS_OUTCOME][i] = o;
	}
	if (rc != 0)
		t->stale = 1;
	pthread_rwlock_unlock(&t->lock);
	return rc;
}

void facts_invalidate(struct facts *t)
{
	pthread_rwlock_wrlock(&t->lock);
	t->stale = 1;
	pthread_rwlock_unlock(&t->lock);
}

int facts_read_begin(struct facts *t, struct facts_view *v, struct crix_error *err)
{
	pthread_rwlock_rdlock(&t->lock);
	while (t->stale) {
		pthread_rwlock_unlock(&t->lock);
		pthread_rwlock_wrlock(&t->lock);
		int rc = t->stale ? reload(t, err) : 0;
		pthread_rwlock_unlock(&t->lock);
		if (rc != 0)
			return rc;
		pthread_rwlock_rdlock(&t->lock);
	}
	v->n = t->n;
	v->id = t->id;
	v->created_ms = t->created_ms;
	v->day = t->day;
	v->loss_minor = t->loss_minor;
	v->org_id = t->org_id;
	v->vulnerable = t->vulnerable;
	for (int c = 0; c < FACTS_COLS; c++) {
		v->col[c] = t->col[c];
		v->n_codes[c] = t->dict[c].n;
	}
	v->day_min = t->day_min;
	v->day_max = t->day_max;
	v->t = t;
	return 0;
}

void facts_read_end(struct facts *t)
{
	pthread_rwlock_unlock(&t->lock);
}

const char *facts_text(const struct facts_view *v, enum facts_col c, uint32_t code)
{
	return code < v->n_codes[c] ? v->t->dict[c].text[code] : "";
}

uint32_t facts_code(const struct facts_view *v, enum facts_col c, const char *text)
{
	return dict_find(&v->t->dict[c], text);
}
