/*
 * test_stats.c - statistics on reports (src/model/stats.c) over a real store:
 * grouping by one and two dimensions (articles count a report under each),
 * sums and exact medians per currency, filters, small-cell suppression with
 * no total, CSV, and bad dimensions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/stats.h"
#include "unit/store/tmpdir.h"

struct fx {
	char *dir;
	struct store *s;
	struct catalogue *cat;
};

static void put(struct store *s, int n, const char *category, const char *created,
                const char *region, int64_t loss, const char *currency, int vulnerable)
{
	struct store_tx *tx;
	assert_int_equal(store_tx_begin(s, &tx, NULL), 0);
	struct store_report r = {0};
	snprintf(r.ref, sizeof r.ref, "CRX26T%08d", n);
	snprintf(r.kind, sizeof r.kind, "crime");
	snprintf(r.category, sizeof r.category, "%s", category);
	snprintf(r.status, sizeof r.status, "received");
	snprintf(r.created, sizeof r.created, "%s", created);
	snprintf(r.region, sizeof r.region, "%s", region);
	snprintf(r.currency, sizeof r.currency, "%s", currency);
	snprintf(r.channel, sizeof r.channel, "web");
	snprintf(r.victim_type, sizeof r.victim_type, "person");
	r.loss_minor = loss;
	r.vulnerable = vulnerable;
	assert_int_equal(store_report_insert(tx, &r, NULL), 0);
	assert_int_equal(store_tx_commit(tx, NULL), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = tmpdir_new();
	if (f->dir == NULL || store_open(NULL, f->dir, &f->s, NULL) != 0 ||
	    catalogue_load("data", &f->cat, NULL) != 0)
		return -1;
	/* 6 investment frauds in London (GBP 1000..6000, one vulnerable), 2 in
	 * October, 1 phishing in Leeds with EUR */
	for (int i = 1; i <= 6; i++)
		put(f->s, i, "investment-fraud", "2026-11-10T10:00:00.000Z", "London", i * 1000,
		    "GBP", i == 1);
	put(f->s, 7, "investment-fraud", "2026-10-05T10:00:00.000Z", "London", 500, "GBP", 0);
	put(f->s, 8, "investment-fraud", "2026-10-06T10:00:00.000Z", "Leeds", 0, "", 0);
	put(f->s, 9, "phishing", "2026-11-11T10:00:00.000Z", "Leeds", 7000, "EUR", 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->s);
	catalogue_free(f->cat);
	tmpdir_remove(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static json_t *run(struct fx *f, const char *d0, const char *d1, unsigned min_cell,
                   const char *from)
{
	struct stats_query q;
	memset(&q, 0, sizeof q);
	if (d0 != NULL)
		assert_int_equal(stats_dim_parse(d0, &q.dims[q.n_dims++], NULL), 0);
	if (d1 != NULL)
		assert_int_equal(stats_dim_parse(d1, &q.dims[q.n_dims++], NULL), 0);
	q.min_cell = min_cell;
	if (from != NULL)
		snprintf(q.filter.from, sizeof q.filter.from, "%s", from);
	json_t *out = NULL;
	struct crix_error err = {0};
	if (stats_compute(f->s, f->cat, &q, &out, &err) != 0)
		fail_msg("stats_compute: %s", err.msg);
	return out;
}

static json_t *row(json_t *out, size_t i)
{
	return json_array_get(json_object_get(out, "rows"), i);
}

static void test_by_category_and_month(void **state)
{
	struct fx *f = *state;
	json_t *out = run(f, "category", "month", 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 9);
	assert_int_equal(json_array_size(json_object_get(out, "rows")), 3);
	/* sorted: investment-fraud 2026-10, investment-fraud 2026-11, phishing */
	json_t *r0 = row(out, 0), *r1 = row(out, 1);
	assert_string_equal(json_string_value(json_object_get(r0, "month")), "2026-10");
	assert_int_equal(json_integer_value(json_object_get(r0, "reports")), 2);
	assert_int_equal(json_integer_value(json_object_get(r1, "reports")), 6);
	assert_int_equal(json_integer_value(json_object_get(r1, "vulnerable_victims")), 1);
	json_t *l = json_array_get(json_object_get(r1, "losses"), 0);
	assert_string_equal(json_string_value(json_object_get(l, "currency")), "GBP");
	assert_int_equal(json_integer_value(json_object_get(l, "sum_minor")), 21000);
	assert_int_equal(json_integer_value(json_object_get(l, "median_minor")), 3500);
	json_decref(out);
	/* a filter on the period */
	out = run(f, "category", NULL, 0, "2026-11-01");
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 7);
	json_decref(out);
	/* no dimension: one row for everything, medians per currency */
	out = run(f, NULL, NULL, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(out, "rows")), 1);
	assert_int_equal(json_array_size(json_object_get(row(out, 0), "losses")), 2);
	json_decref(out);
}

static void test_articles(void **state)
{
	struct fx *f = *state;
	json_t *out = run(f, "article", NULL, 0, NULL);
	/* every row is an article; investment fraud falls under Budapest Art. 8 */
	bool seen8 = false;
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(out, "rows"), i, r)
	{
		const char *a = json_string_value(json_object_get(r, "article"));
		assert_true(strncmp(a, "directive:", 10) == 0 || strncmp(a, "budapest:", 9) == 0 ||
		            strcmp(a, "none") == 0);
		if (strcmp(a, "budapest:8") == 0) {
			seen8 = true;
			assert_true(json_integer_value(json_object_get(r, "reports")) >= 8);
		}
	}
	assert_true(seen8);
	json_decref(out);
}

static void test_suppression_and_csv(void **state)
{
	struct fx *f = *state;
	json_t *out = run(f, "category", "region", STATS_MIN_CELL, NULL);
	assert_true(json_is_null(json_object_get(out, "total")));
	assert_int_equal(json_integer_value(json_object_get(out, "suppressed_below")), 5);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(out, "rows"), i, r)
	{
		json_t *n = json_object_get(r, "reports");
		if (json_is_null(n)) {
			assert_true(json_is_true(json_object_get(r, "suppressed")));
			assert_null(json_object_get(r, "losses"));
		} else {
			assert_true(json_integer_value(n) >= 5);
			/* 1 vulnerable victim is below the cell size too */
			assert_true(json_is_null(json_object_get(r, "vulnerable_victims")));
		}
	}
	char *csv = stats_csv(out);
	assert_non_null(csv);
	assert_non_null(strstr(csv, "category,region,reports,vulnerable_victims,currency"));
	assert_non_null(strstr(csv, "investment-fraud,London,7,,GBP,21500,3000\n"));
	assert_non_null(strstr(csv, "phishing,Leeds,suppressed,,,,\n"));
	free(csv);
	json_decref(out);
	struct crix_error err = {0};
	enum stats_dim d;
	assert_int_equal(stats_dim_parse("colour", &d, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "group_by");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_by_category_and_month),
	        cmocka_unit_test(test_articles),
	        cmocka_unit_test(test_suppression_and_csv),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
