/*
 * test_stats.c - statistics on reports (src/model/stats.c) over the fact
 * table (src/model/facts.c) of a real store: grouping by one and two
 * dimensions (articles count a report under each), periods, sums and exact
 * medians per currency (against a sort), filters, small-cell suppression
 * with no total, CSV, bad dimensions, and the table kept in step with new
 * reports and status changes (out of id order too) and rebuilt when stale.
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
#include "unit/store/storefx.h"

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
	if (f == NULL || storefx_open(&f->dir, &f->s) != 0 ||
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
	catalogue_free(f->cat);
	storefx_close(f->dir, f->s);
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
	struct facts *t;
	if (facts_open(f->s, &t, &err) != 0 || stats_compute(t, f->cat, &q, &out, &err) != 0)
		fail_msg("stats_compute: %s", err.msg);
	facts_free(t);
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

/* Computes over an open fact table.  OUT: the result (never NULL). */
static json_t *run_t(struct fx *f, struct facts *t, const char *d0, const char *d1)
{
	struct stats_query q;
	memset(&q, 0, sizeof q);
	if (d0 != NULL)
		assert_int_equal(stats_dim_parse(d0, &q.dims[q.n_dims++], NULL), 0);
	if (d1 != NULL)
		assert_int_equal(stats_dim_parse(d1, &q.dims[q.n_dims++], NULL), 0);
	json_t *out = NULL;
	struct crix_error err = {0};
	if (stats_compute(t, f->cat, &q, &out, &err) != 0)
		fail_msg("stats_compute: %s", err.msg);
	return out;
}

static void test_periods(void **state)
{
	struct fx *f = *state;
	json_t *out = run(f, "week", NULL, 0, NULL);
	/* 2026-10-05 is a Monday; 10-06 falls in its week; 11-10 and 11-11 in
	 * the week of Monday 11-09 */
	assert_int_equal(json_array_size(json_object_get(out, "rows")), 2);
	assert_string_equal(json_string_value(json_object_get(row(out, 0), "week")), "2026-10-05");
	assert_int_equal(json_integer_value(json_object_get(row(out, 0), "reports")), 2);
	assert_string_equal(json_string_value(json_object_get(row(out, 1), "week")), "2026-11-09");
	json_decref(out);
	out = run(f, "day", "year", 0, NULL);
	assert_int_equal(json_array_size(json_object_get(out, "rows")), 4);
	assert_string_equal(json_string_value(json_object_get(row(out, 3), "day")), "2026-11-11");
	assert_string_equal(json_string_value(json_object_get(row(out, 3), "year")), "2026");
	json_decref(out);
	out = run(f, "rsit", "region", 0, "2026-11-11T00:00:00Z");
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
	json_decref(out);
}

static int cmp64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Medians by selection agree with a sort, for odd and even counts, many
 * ties and sizes 1..200. */
static void test_medians_against_sort(void **state)
{
	(void)state;
	char *dir;
	struct store *s;
	struct catalogue *cat;
	assert_int_equal(storefx_open(&dir, &s), 0);
	assert_int_equal(catalogue_load("data", &cat, NULL), 0);
	struct facts *t;
	assert_int_equal(facts_open(s, &t, NULL), 0);
	struct fx fx = {dir, s, cat};
	uint64_t x = 12345;
	int64_t vals[200];
	for (int n = 1; n <= 200; n += n < 12 ? 1 : 37) {
		char category[32];
		snprintf(category, sizeof category, "c%03d", n);
		for (int i = 0; i < n; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			vals[i] = (int64_t)(x >> 33) % (n % 3 == 0 ? 4 : 100000) + 1;
			struct store_report_fact fa = {.id = n * 1000 + i,
			                               .category = category,
			                               .created = "2026-01-02T03:04:05.678Z",
			                               .currency = "GBP",
			                               .loss_minor = vals[i]};
			assert_int_equal(facts_put(t, &fa, NULL), 0);
		}
		qsort(vals, (size_t)n, sizeof vals[0], cmp64);
		int64_t want = n % 2 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
		json_t *out = run_t(&fx, t, "category", NULL);
		json_t *r, *hit = NULL;
		size_t i;
		json_array_foreach(json_object_get(out, "rows"), i, r)
		{
			if (strcmp(json_string_value(json_object_get(r, "category")), category) ==
			    0)
				hit = r;
		}
		assert_non_null(hit);
		json_t *l = json_array_get(json_object_get(hit, "losses"), 0);
		assert_int_equal(json_integer_value(json_object_get(l, "median_minor")), want);
		assert_int_equal(json_integer_value(json_object_get(l, "reports")), n);
		json_decref(out);
	}
	facts_free(t);
	catalogue_free(cat);
	storefx_close(dir, s);
}

/* The table follows new reports (also one committed out of id order) and
 * status changes, and a stale table is rebuilt from the store. */
static void test_kept_in_step(void **state)
{
	struct fx *f = *state;
	struct facts *t;
	assert_int_equal(facts_open(f->s, &t, NULL), 0);
	struct store_report_fact a = {.id = 1000,
	                              .category = "ransomware",
	                              .created = "2026-12-01T00:00:00.000Z",
	                              .status = "received"};
	assert_int_equal(facts_put(t, &a, NULL), 0);
	a.id = 999; /* overtaken by the commit of 1000 */
	assert_int_equal(facts_put(t, &a, NULL), 0);
	assert_int_equal(facts_set_status(t, 999, "closed", NULL, NULL), 0);
	json_t *out = run_t(f, t, "category", "status");
	json_t *r, *closed = NULL, *recv = NULL;
	size_t i;
	json_array_foreach(json_object_get(out, "rows"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "category")), "ransomware") != 0)
			continue;
		if (strcmp(json_string_value(json_object_get(r, "status")), "closed") == 0)
			closed = r;
		else
			recv = r;
	}
	assert_non_null(closed);
	assert_non_null(recv);
	assert_int_equal(json_integer_value(json_object_get(closed, "reports")), 1);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 11);
	json_decref(out);
	/* an unknown id marks it stale; the rebuild reads the store (9) */
	struct crix_error err = {0};
	assert_int_equal(facts_set_status(t, 424242, "closed", NULL, &err), CRIX_ENOTFOUND);
	out = run_t(f, t, NULL, NULL);
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 9);
	json_decref(out);
	/* a bad time is refused with the report named */
	a.id = 2000;
	a.created = "yesterday";
	assert_int_equal(facts_put(t, &a, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "report 2000"));
	facts_free(t);
}

/* Charts: bars and lines, suppressed cells left out, the caps refused with
 * the field named, text escaped; the terminal table aligned. */
static void test_render(void **state)
{
	(void)state;
	json_t *r =
	        json_pack("{s:[s],s:n,s:i,s:[{s:s,s:i,s:[]},{s:s,s:n,s:b}]}", "group_by", "region",
	                  "total", "suppressed_below", 5, "rows", "region", "A&B", "reports", 7,
	                  "losses", "region", "<tiny>", "reports", "suppressed", 1);
	char *svg = NULL;
	struct crix_error err = {0};
	assert_int_equal(stats_svg(r, "Reports \"by\" region", &svg, &err), 0);
	assert_non_null(strstr(svg, "<title>Reports &quot;by&quot; region</title>"));
	assert_non_null(strstr(svg, "<title>A&amp;B: 7</title>"));
	assert_non_null(strstr(svg, ">&lt;tiny&gt;</text>")); /* its label, no bar */
	assert_null(strstr(svg, "&lt;tiny&gt;: "));
	assert_non_null(strstr(svg, "fewer than 5 reports are not shown"));
	free(svg);
	char *table = stats_table(r);
	assert_string_equal(table,
	                    "region     reports  vulnerable  currency  loss sum  loss median  "
	                    "with loss\n"
	                    "------  ----------  ----------  --------  --------  -----------  "
	                    "---------\n"
	                    "A&B              7          <5\n"
	                    "<tiny>  suppressed\n\n"
	                    "cells of fewer than 5 reports suppressed (no total); amounts in "
	                    "major units of the currency\n");
	free(table);
	json_decref(r);
	/* a line over time has every period, those without reports at 0 */
	r = json_pack("{s:[s],s:i,s:n,s:[{s:s,s:i},{s:s,s:i}]}", "group_by", "month", "total", 9,
	              "suppressed_below", "rows", "month", "2025-11", "reports", 4, "month",
	              "2026-02", "reports", 5);
	assert_int_equal(stats_svg(r, "t", &svg, &err), 0);
	assert_non_null(strstr(svg, ">2025-12</text>"));
	assert_non_null(strstr(svg, ">2026-01</text>"));
	assert_non_null(strstr(svg, "<path fill=\"none\""));
	free(svg);
	json_decref(r);
	/* 201 bars, 11 lines */
	json_t *rows = json_array();
	for (int i = 0; i < 201; i++) {
		char v[16];
		snprintf(v, sizeof v, "r%03d", i);
		json_array_append_new(rows,
		                      json_pack("{s:s,s:s,s:i}", "region", v, "month",
		                                i < 11 ? "2026-01" : "2026-02", "reports", i));
	}
	r = json_pack("{s:[s],s:i,s:n,s:O}", "group_by", "region", "total", 1, "suppressed_below",
	              "rows", rows);
	assert_int_equal(stats_svg(r, "t", &svg, &err), CRIX_ETOOBIG);
	assert_string_equal(err.field, "format");
	json_decref(r);
	r = json_pack("{s:[s,s],s:i,s:n,s:o}", "group_by", "month", "region", "total", 1,
	              "suppressed_below", "rows", rows);
	assert_int_equal(stats_svg(r, "t", &svg, &err), CRIX_ETOOBIG);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_by_category_and_month),
	        cmocka_unit_test(test_articles),
	        cmocka_unit_test(test_suppression_and_csv),
	        cmocka_unit_test(test_periods),
	        cmocka_unit_test(test_medians_against_sort),
	        cmocka_unit_test(test_kept_in_step),
	        cmocka_unit_test(test_render),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
