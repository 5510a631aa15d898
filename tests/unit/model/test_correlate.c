/*
 * test_correlate.c - linking reports into cases (src/model/correlate.c):
 * shared values join cases, chains join transitively, over-common values stop
 * linking and split what they joined, confirmed values link again, allowed
 * (warning-listed) values never link; and a random property test against a
 * reference that recomputes the cases from scratch.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/correlate.h"

#define V(t, s)                                                                                    \
	{                                                                                          \
		(t), (s), sizeof(s) - 1                                                            \
	}

static struct corr *make(uint32_t over_common, corr_allowed_fn allowed)
{
	struct corr *c;
	struct corr_opts o = {.over_common = over_common, .allowed = allowed};
	assert_int_equal(corr_new(&o, &c, NULL), 0);
	return c;
}

static void add(struct corr *c, uint32_t r, const struct corr_value *v, size_t n)
{
	struct crix_error err = {0};
	if (corr_add(c, r, v, n, NULL, &err) != 0)
		fail_msg("corr_add(%u): %s", r, err.msg);
}

static void test_shared_value_links(void **state)
{
	(void)state;
	struct corr *c = make(0, NULL);
	const struct corr_value a[] = {V(5, "evil-shop.com"), V(7, "pay@evil-shop.com")};
	const struct corr_value b[] = {V(5, "evil-shop.com"), V(12, "+447700900001")};
	const struct corr_value d[] = {V(5, "other.com")};
	add(c, 3, a, 2);
	size_t linked;
	assert_int_equal(corr_add(c, 5, b, 2, &linked, NULL), 0);
	assert_int_equal(linked, 1);
	add(c, 9, d, 1);
	assert_int_equal(corr_case(c, 3), 3);
	assert_int_equal(corr_case(c, 5), 3);
	assert_int_equal(corr_case(c, 9), 9);
	assert_int_equal(corr_case_size(c, 5), 2);
	assert_int_equal(corr_case_size(c, 9), 1);
	/* the same text as another type is another value */
	const struct corr_value e[] = {V(6, "evil-shop.com")};
	add(c, 11, e, 1);
	assert_int_equal(corr_case(c, 11), 11);
	uint32_t m[8];
	size_t n = corr_case_members(c, 5, m, 8);
	assert_int_equal(n, 2);
	assert_true((m[0] == 3 && m[1] == 5) || (m[0] == 5 && m[1] == 3));
	assert_int_equal(corr_case(c, 4), 0); /* unknown report */
	corr_free(c);
}

static void test_chain_and_case_id(void **state)
{
	(void)state;
	struct corr *c = make(0, NULL);
	const struct corr_value r1[] = {V(1, "1.2.3.4")};
	const struct corr_value r2[] = {V(1, "1.2.3.4"), V(5, "b.com")};
	const struct corr_value r3[] = {V(5, "b.com"), V(5, "c.com")};
	const struct corr_value r4[] = {V(5, "c.com")};
	add(c, 40, r4, 1);
	add(c, 30, r3, 2);
	add(c, 20, r2, 2);
	add(c, 10, r1, 1);
	for (uint32_t r = 10; r <= 40; r += 10) {
		assert_int_equal(corr_case(c, r), 10); /* the smallest id */
		assert_int_equal(corr_case_size(c, r), 4);
	}
	corr_free(c);
}

static void test_duplicates_and_errors(void **state)
{
	(void)state;
	struct corr *c = make(2, NULL);
	const struct corr_value twice[] = {V(5, "x.com"), V(5, "x.com"), V(5, "x.com")};
	add(c, 1, twice, 3);
	struct corr_value_info vi;
	assert_int_equal(corr_value_info(c, 5, "x.com", 5, &vi), 0);
	assert_int_equal(vi.reports, 1); /* a value repeated in a report counts once */
	struct crix_error err = {0};
	assert_int_equal(corr_add(c, 1, twice, 1, NULL, &err), CRIX_EEXIST);
	assert_int_equal(corr_add(c, 0, twice, 1, NULL, &err), CRIX_EINVAL);
	assert_int_equal(corr_extend(c, 2, twice, 1, &err), CRIX_ENOTFOUND);
	assert_int_equal(corr_value_info(c, 5, "y.com", 5, &vi), CRIX_ENOTFOUND);
	corr_free(c);
}

static void test_over_common_splits_then_confirm(void **state)
{
	(void)state;
	struct corr *c = make(3, NULL);
	const struct corr_value pay[] = {V(5, "popular-pay.com")};
	const struct corr_value pay_and_shop[] = {V(5, "popular-pay.com"), V(5, "shop.com")};
	add(c, 1, pay_and_shop, 2);
	add(c, 2, pay, 1);
	add(c, 3, pay_and_shop, 2);
	assert_int_equal(corr_case_size(c, 2), 3); /* 3 holders: still links */
	add(c, 4, pay, 1);                         /* the 4th: over-common */
	struct corr_value_info vi;
	assert_int_equal(corr_value_info(c, 5, "popular-pay.com", 15, &vi), 0);
	assert_true(vi.over_common);
	assert_int_equal(vi.reports, 4);
	/* what it joined is undone; what shop.com joins stays */
	assert_int_equal(corr_case(c, 1), 1);
	assert_int_equal(corr_case(c, 3), 1);
	assert_int_equal(corr_case(c, 2), 2);
	assert_int_equal(corr_case(c, 4), 4);
	struct corr_stats st;
	corr_stats(c, &st);
	assert_int_equal(st.over_common, 1);
	assert_int_equal(st.rebuilds, 1);
	assert_int_equal(st.cases, 3);
	/* an analyst confirms it: everything holding it joins */
	assert_int_equal(corr_confirm(c, 5, "popular-pay.com", 15, NULL), 0);
	for (uint32_t r = 1; r <= 4; r++)
		assert_int_equal(corr_case(c, r), 1);
	add(c, 5, pay, 1); /* and it keeps linking */
	assert_int_equal(corr_case(c, 5), 1);
	corr_free(c);
}

static bool allow_webmail(void *arg, unsigned type, const char *v, size_t n)
{
	(void)arg;
	return type == 5 && n == 9 && memcmp(v, "gmail.com", 9) == 0;
}

static void test_allowed_never_links(void **state)
{
	(void)state;
	struct corr *c = make(0, allow_webmail);
	const struct corr_value g[] = {V(5, "gmail.com")};
	add(c, 1, g, 1);
	add(c, 2, g, 1);
	assert_int_equal(corr_case(c, 2), 2);
	struct corr_value_info vi;
	assert_int_equal(corr_value_info(c, 5, "gmail.com", 9, &vi), 0);
	assert_true(vi.allowed);
	assert_int_equal(corr_confirm(c, 5, "gmail.com", 9, NULL), 0);
	assert_int_equal(corr_case(c, 2), 2); /* even confirmed */
	corr_free(c);
}

static void test_extend_links_later(void **state)
{
	(void)state;
	struct corr *c = make(0, NULL);
	const struct corr_value a[] = {V(5, "a.com")};
	const struct corr_value b[] = {V(5, "b.com")};
	add(c, 1, a, 1);
	add(c, 2, b, 1);
	assert_int_equal(corr_case(c, 2), 2);
	assert_int_equal(corr_extend(c, 2, a, 1, NULL), 0);
	assert_int_equal(corr_case(c, 2), 1);
	/* and the extension's values take part in later rebuilds */
	const struct corr_value b2[] = {V(5, "b.com")};
	add(c, 3, b2, 1);
	assert_int_equal(corr_case_size(c, 3), 3);
	corr_free(c);
}

/* ---- property: the engine equals a from-scratch reference ---- */

#define R_MAX 400
#define V_MAX 60

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* Reference: cases by BFS over values held by at most N reports (or
 * confirmed), never allowed ones, from the final holdings. */
static void reference(bool hold[R_MAX + 1][V_MAX], uint32_t n_rep, uint32_t over, bool *confirmed,
                      uint32_t *out_case)
{
	uint32_t count[V_MAX] = {0};
	for (uint32_t r = 1; r <= n_rep; r++)
		for (int v = 0; v < V_MAX; v++)
			count[v] += hold[r][v];
	for (uint32_t r = 1; r <= n_rep; r++)
		out_case[r] = 0;
	for (uint32_t r = 1; r <= n_rep; r++) {
		if (out_case[r] != 0)
			continue;
		uint32_t queue[R_MAX + 1], qh = 0, qt = 0;
		queue[qt++] = r;
		out_case[r] = r; /* BFS from the smallest unvisited id: its case id */
		while (qh < qt) {
			uint32_t x = queue[qh++];
			for (int v = 0; v < V_MAX; v++) {
				if (!hold[x][v] || v % 13 == 0 ||
				    (count[v] > over && !confirmed[v]))
					continue;
				for (uint32_t y = 1; y <= n_rep; y++)
					if (hold[y][v] && out_case[y] == 0) {
						out_case[y] = r;
						queue[qt++] = y;
					}
			}
		}
	}
}

static bool allow_every_13th(void *arg, unsigned type, const char *v, size_t n)
{
	(void)arg;
	(void)type;
	(void)n;
	return atoi(v + 1) % 13 == 0;
}

static void test_matches_reference(void **state)
{
	(void)state;
	static bool hold[R_MAX + 1][V_MAX];
	static uint32_t want[R_MAX + 1];
	for (unsigned seed = 1; seed <= 30; seed++) {
		unsigned s = seed;
		uint32_t over = 2 + rnd(&s) % 6;
		struct corr *c = make(over, allow_every_13th);
		memset(hold, 0, sizeof hold);
		bool confirmed[V_MAX] = {0};
		uint32_t n_rep = 50 + rnd(&s) % (R_MAX - 50);
		for (uint32_t r = 1; r <= n_rep; r++) {
			struct corr_value vals[6];
			char text[6][8];
			int k = 1 + rnd(&s) % 5;
			for (int i = 0; i < k; i++) {
				/* a skewed choice: low values are common */
				int v = (int)(rnd(&s) % V_MAX);
				if (rnd(&s) % 2)
					v = v % 8;
				snprintf(text[i], sizeof text[i], "v%d", v);
				vals[i] = (struct corr_value){5, text[i], strlen(text[i])};
				hold[r][v] = true;
			}
			add(c, r, vals, (size_t)k);
			/* now and then an extension, and a confirmation */
			if (r > 1 && rnd(&s) % 10 == 0) {
				uint32_t t = 1 + rnd(&s) % (r - 1);
				int v = (int)(rnd(&s) % V_MAX);
				char tx[8];
				snprintf(tx, sizeof tx, "v%d", v);
				struct corr_value ev = {5, tx, strlen(tx)};
				assert_int_equal(corr_extend(c, t, &ev, 1, NULL), 0);
				hold[t][v] = true;
			}
			if (rnd(&s) % 40 == 0) {
				int v = (int)(rnd(&s) % 8);
				char tx[8];
				snprintf(tx, sizeof tx, "v%d", v);
				if (corr_confirm(c, 5, tx, strlen(tx), NULL) == 0)
					confirmed[v] = true;
			}
		}
		reference(hold, n_rep, over, confirmed, want);
		for (uint32_t r = 1; r <= n_rep; r++)
			if (corr_case(c, r) != want[r])
				fail_msg("seed %u over %u: report %u in case %u, reference %u",
				         seed, over, r, corr_case(c, r), want[r]);
		corr_free(c);
	}
}

static void test_split_merge_detach(void **state)
{
	(void)state;
	struct corr *c = make(3, NULL);
	const struct corr_value a[] = {V(5, "shop.example"), V(12, "+447700900001")};
	const struct corr_value b[] = {V(5, "shop.example")};
	const struct corr_value d[] = {V(12, "+447700900001")};
	const struct corr_value e[] = {V(5, "other.example")};
	add(c, 1, a, 2);
	add(c, 2, b, 1);
	add(c, 3, d, 1);
	add(c, 4, e, 1);
	assert_int_equal(corr_case_size(c, 1), 3);
	/* 1 no longer links through the phone: 3 is on its own */
	assert_int_equal(corr_exclude(c, 1, 12, "+447700900001", 13, NULL), 0);
	assert_int_equal(corr_case(c, 3), 3);
	assert_int_equal(corr_case(c, 2), 1);
	struct corr_value got[4];
	assert_int_equal(corr_report_values(c, 1, got, 4), 1);
	/* the exclusion holds for values that come later */
	assert_int_equal(corr_extend(c, 1, d, 1, NULL), 0);
	assert_int_equal(corr_case(c, 3), 3);
	/* a merge joins what no value joins, and survives a rebuild */
	assert_int_equal(corr_link(c, 4, 3, NULL), 0);
	assert_int_equal(corr_case(c, 4), 3);
	uint32_t l[4];
	assert_int_equal(corr_report_links(c, 3, l, 4), 1);
	assert_int_equal(l[0], 4);
	const struct corr_value f[] = {V(5, "other.example"), V(5, "shop.example")};
	add(c, 5, f, 2); /* joins both cases */
	assert_int_equal(corr_case(c, 3), 1);
	add(c, 6, b, 1);
	add(c, 7, b, 1); /* shop.example now over-common: a rebuild */
	assert_int_equal(corr_case(c, 4), 3);
	assert_int_equal(corr_case(c, 5), 3);
	assert_int_equal(corr_case(c, 2), 2);
	/* detaching 4 drops its link and values; 5 keeps 4's old value */
	assert_int_equal(corr_detach(c, 4, NULL), 0);
	assert_int_equal(corr_case(c, 4), 4);
	assert_int_equal(corr_case_size(c, 4), 1);
	assert_int_equal(corr_case(c, 3), 3);
	assert_int_equal(corr_report_links(c, 3, l, 4), 0);
	assert_int_equal(corr_extend(c, 4, f, 2, NULL), 0);
	assert_int_equal(corr_case_size(c, 4), 1);
	/* dropping a holder brings shop.example back under the cap: it links */
	assert_int_equal(corr_exclude(c, 7, 5, "shop.example", 12, NULL), 0);
	assert_int_equal(corr_case(c, 2), 2); /* four holders: still over */
	assert_int_equal(corr_exclude(c, 6, 5, "shop.example", 12, NULL), 0);
	assert_int_equal(corr_case(c, 2), 1);
	assert_int_equal(corr_case(c, 5), 1);
	assert_int_equal(corr_case(c, 6), 6);
	assert_int_equal(corr_case(c, 7), 7);
	struct crix_error err = {0};
	assert_int_equal(corr_detach(c, 99, &err), CRIX_ENOTFOUND);
	assert_int_equal(corr_link(c, 1, 99, &err), CRIX_ENOTFOUND);
	corr_free(c);
}

/* Reference with decisions: the final holdings less exclusions and detached
 * reports, and the live links, joined by BFS. */
static void reference_decided(bool hold[R_MAX + 1][V_MAX], uint32_t n_rep, uint32_t over,
                              const uint32_t (*links)[2], const bool *dead, size_t n_links,
                              uint32_t *out_case)
{
	uint32_t count[V_MAX] = {0};
	for (uint32_t r = 1; r <= n_rep; r++)
		for (int v = 0; v < V_MAX; v++)
			count[v] += hold[r][v];
	memset(out_case, 0, (n_rep + 1) * sizeof *out_case);
	for (uint32_t r = 1; r <= n_rep; r++) {
		if (out_case[r] != 0)
			continue;
		uint32_t queue[R_MAX + 1], qh = 0, qt = 0;
		queue[qt++] = r;
		out_case[r] = r;
		while (qh < qt) {
			uint32_t x = queue[qh++];
			for (int v = 0; v < V_MAX; v++) {
				if (!hold[x][v] || count[v] > over)
					continue;
				for (uint32_t y = 1; y <= n_rep; y++)
					if (hold[y][v] && out_case[y] == 0) {
						out_case[y] = r;
						queue[qt++] = y;
					}
			}
			for (size_t i = 0; i < n_links; i++) {
				uint32_t y = links[i][0] == x   ? links[i][1]
				             : links[i][1] == x ? links[i][0]
				                                : 0;
				if (!dead[i] && y != 0 && out_case[y] == 0) {
					out_case[y] = r;
					queue[qt++] = y;
				}
			}
		}
	}
}

static void test_decisions_match_reference(void **state)
{
	(void)state;
	static bool hold[R_MAX + 1][V_MAX], excl[R_MAX + 1][V_MAX], detached[R_MAX + 1];
	static uint32_t want[R_MAX + 1], links[R_MAX][2];
	static bool dead[R_MAX];
	for (unsigned seed = 1; seed <= 30; seed++) {
		unsigned s = seed * 7919;
		uint32_t over = 2 + rnd(&s) % 6;
		struct corr *c = make(over, NULL);
		memset(hold, 0, sizeof hold);
		memset(excl, 0, sizeof excl);
		memset(detached, 0, sizeof detached);
		size_t n_links = 0;
		uint32_t n_rep = 50 + rnd(&s) % (R_MAX - 50);
		for (uint32_t r = 1; r <= n_rep; r++) {
			struct corr_value vals[4];
			char text[4][8];
			int k = 1 + rnd(&s) % 3;
			for (int i = 0; i < k; i++) {
				int v = (int)(rnd(&s) % V_MAX);
				snprintf(text[i], sizeof text[i], "v%d", v);
				vals[i] = (struct corr_value){5, text[i], strlen(text[i])};
				if (!excl[r][v] && !detached[r])
					hold[r][v] = true;
			}
			add(c, r, vals, (size_t)k);
			uint32_t t = 1 + rnd(&s) % r;
			unsigned what = rnd(&s) % 16;
			char tx[8];
			int v = (int)(rnd(&s) % V_MAX);
			snprintf(tx, sizeof tx, "v%d", v);
			if (what == 0) {
				assert_int_equal(corr_exclude(c, t, 5, tx, strlen(tx), NULL), 0);
				excl[t][v] = true;
				hold[t][v] = false;
			} else if (what == 1 && rnd(&s) % 3 == 0) {
				assert_int_equal(corr_detach(c, t, NULL), 0);
				detached[t] = true;
				memset(hold[t], 0, sizeof hold[t]);
				for (size_t i = 0; i < n_links; i++)
					if (links[i][0] == t || links[i][1] == t)
						dead[i] = true;
			} else if (what == 2 && n_links < R_MAX) {
				uint32_t u = 1 + rnd(&s) % r;
				assert_int_equal(corr_link(c, t, u, NULL), 0);
				links[n_links][0] = t;
				links[n_links][1] = u;
				dead[n_links++] = false;
			} else if (what == 3) {
				struct corr_value ev = {5, tx, strlen(tx)};
				assert_int_equal(corr_extend(c, t, &ev, 1, NULL), 0);
				if (!excl[t][v] && !detached[t])
					hold[t][v] = true;
			}
		}
		reference_decided(hold, n_rep, over, links, dead, n_links, want);
		for (uint32_t r = 1; r <= n_rep; r++)
			if (corr_case(c, r) != want[r])
				fail_msg("seed %u over %u: report %u in case %u, reference %u",
				         seed, over, r, corr_case(c, r), want[r]);
		corr_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_shared_value_links),
	        cmocka_unit_test(test_chain_and_case_id),
	        cmocka_unit_test(test_duplicates_and_errors),
	        cmocka_unit_test(test_over_common_splits_then_confirm),
	        cmocka_unit_test(test_allowed_never_links),
	        cmocka_unit_test(test_extend_links_later),
	        cmocka_unit_test(test_matches_reference),
	        cmocka_unit_test(test_split_merge_detach),
	        cmocka_unit_test(test_decisions_match_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
