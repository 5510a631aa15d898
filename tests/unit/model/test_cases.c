/*
 * test_cases.c - cases in the server (src/model/cases.c) over a real SQLite
 * store in a temporary directory: analysts' decisions are stored with their
 * audit entries and replayed when the engine is rebuilt, so a reopened store
 * gives the same cases; only analysts of the reporting side may decide; the
 * case view sums victims, losses (with medians) and categories.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/ioc.h"
#include "model/audit.h"
#include "model/cases.h"
#include "unit/store/storefx.h"

#define OK(call)                                                                                   \
	do {                                                                                       \
		struct crix_error err_ = {0};                                                      \
		int rc_ = (call);                                                                  \
		if (rc_ != 0)                                                                      \
			fail_msg("%s = %d: %s", #call, rc_, err_.msg);                             \
	} while (0)
#define E (&err_)

/* A report with one indicator (type, value), stored directly. */
static int64_t add_report(struct store *s, int n, const char *type, const char *value, int64_t loss)
{
	struct store_report r = {0};
	snprintf(r.ref, sizeof r.ref, "CRX26TEST%04d", n);
	snprintf(r.kind, sizeof r.kind, "crime");
	snprintf(r.category, sizeof r.category, n % 2 ? "phishing" : "investment-fraud");
	snprintf(r.status, sizeof r.status, "received");
	clock_now_iso(r.created);
	snprintf(r.updated, sizeof r.updated, "%s", r.created);
	r.loss_minor = loss;
	snprintf(r.currency, sizeof r.currency, "%s", loss ? "GBP" : "");
	snprintf(r.victim_type, sizeof r.victim_type, "person");
	snprintf(r.channel, sizeof r.channel, "api");
	r.body = "{}";
	r.victim = "{}";
	r.advice = "[]";
	struct store_tx *tx;
	OK(store_tx_begin(s, &tx, E));
	OK(store_report_insert(tx, &r, E));
	struct store_indicator ind = {.report_id = r.id, .value = (char *)value};
	snprintf(ind.type, sizeof ind.type, "%s", type);
	snprintf(ind.field, sizeof ind.field, "description");
	OK(store_indicator_insert(tx, &ind, E));
	OK(store_tx_commit(tx, E));
	return r.id;
}

static struct cases *open_cases(struct store *s)
{
	struct cases *k;
	uint64_t n;
	OK(cases_open(s, 3, NULL, &k, &n, E));
	return k;
}

static void analyst(struct principal *p, enum role role, enum org_kind kind)
{
	memset(p, 0, sizeof *p);
	p->authenticated = true;
	p->user_id = 2;
	p->org_id = 2;
	p->role = role;
	p->org_kind = kind;
	snprintf(p->actor, sizeof p->actor, "user:2:ann");
}

static void decide(struct cases *k, struct store *s, const struct principal *p, const char *kind,
                   int64_t a, int64_t b, const char *type, const char *value)
{
	struct store_case_decision d = {.report_id = a, .other_id = b};
	snprintf(d.kind, sizeof d.kind, "%s", kind);
	snprintf(d.type, sizeof d.type, "%s", type);
	snprintf(d.value, sizeof d.value, "%s", value);
	OK(cases_decide(k, s, p, &d, E));
	assert_true(d.id > 0);
}

static void test_decisions_survive_reopen(void **state)
{
	(void)state;
	char *dir;
	struct store *s;
	assert_int_equal(storefx_open(&dir, &s), 0);
	int64_t r[10];
	/* 1-3 share a phone, 4-5 a domain, 6 alone; 7-10 share an over-common
	 * (cap 3) address */
	r[1] = add_report(s, 1, "phone", "+447700900001", 100);
	r[2] = add_report(s, 2, "phone", "+447700900001", 300);
	r[3] = add_report(s, 3, "phone", "+447700900001", 0);
	r[4] = add_report(s, 4, "domain", "shop.example", 0);
	r[5] = add_report(s, 5, "domain", "shop.example", 0);
	r[6] = add_report(s, 6, "domain", "alone.example", 0);
	for (int i = 7; i <= 9; i++)
		r[i] = add_report(s, i, "email", "help@support.example", 0);
	int64_t r10 = add_report(s, 10, "email", "help@support.example", 0);
	struct cases *k = open_cases(s);
	assert_int_equal(cases_of(k, r[3], NULL), r[1]);
	assert_int_equal(cases_of(k, r10, NULL), r10); /* over-common: alone */

	struct principal p, viewer, inv;
	analyst(&p, ROLE_ANALYST, ORG_CERT);
	analyst(&viewer, ROLE_VIEWER, ORG_CERT);
	analyst(&inv, ROLE_ANALYST, ORG_BUSINESS);
	struct store_case_decision d = {.report_id = r[2]};
	snprintf(d.kind, sizeof d.kind, "detach");
	struct crix_error err = {0};
	assert_int_equal(cases_decide(k, s, &viewer, &d, &err), CRIX_EACCES);
	assert_int_equal(cases_decide(k, s, &inv, &d, &err), CRIX_EACCES);

	decide(k, s, &p, "detach", r[2], 0, "", "");
	decide(k, s, &p, "link", r[6], r[4], "", "");
	decide(k, s, &p, "exclude", r[5], 0, "domain", "shop.example");
	decide(k, s, &p, "confirm", r[7], 0, "email", "help@support.example");
	int64_t want[11];
	for (int i = 1; i <= 9; i++)
		want[i] = cases_of(k, r[i], NULL);
	want[10] = cases_of(k, r10, NULL);
	assert_int_equal(want[2], r[2]);
	assert_int_equal(want[3], r[1]);
	assert_int_equal(want[6], r[4]);
	assert_int_equal(want[5], r[5]);
	assert_int_equal(want[10], r[7]);

	/* the view sums what the case holds now */
	json_t *v;
	OK(cases_get(k, s, &p, r[1], false, &v, E));
	assert_int_equal(json_integer_value(json_object_get(v, "size")), 2);
	assert_int_equal(json_integer_value(json_object_get(v, "victims")), 2);
	json_t *loss = json_array_get(json_object_get(v, "losses"), 0);
	assert_int_equal(json_integer_value(json_object_get(loss, "total_minor")), 100);
	assert_int_equal(json_integer_value(json_object_get(loss, "median_minor")), 100);
	json_decref(v);
	assert_int_equal(cases_get(k, s, &inv, r[1], false, &v, &err), CRIX_EACCES);
	cases_free(k);

	/* reopened: the same cases, and the audit chain holds */
	store_close(s);
	OK(store_open(NULL, dir, &s, E));
	k = open_cases(s);
	for (int i = 1; i <= 9; i++)
		assert_int_equal(cases_of(k, r[i], NULL), want[i]);
	assert_int_equal(cases_of(k, r10, NULL), want[10]);
	/* a new report with the detached report's phone joins case 1, not 2 */
	struct corr_value cv = {IOC_PHONE, "+447700900001", 13};
	int64_t r11 = add_report(s, 11, "phone", "+447700900001", 0);
	OK(cases_add(k, r11, &cv, 1, false, E));
	assert_int_equal(cases_of(k, r11, NULL), r[1]);
	assert_int_equal(cases_of(k, r[2], NULL), r[2]);
	int64_t checked, bad;
	OK(audit_verify(s, &checked, &bad, E));
	assert_true(checked >= 4);
	cases_free(k);
	storefx_close(dir, s);
}

/* The name of the case of report r (settled). */
static void name_of(struct cases *k, int64_t r, char out[STORE_SHORT_MAX])
{
	struct cases_handle h;
	OK(cases_handle_of(k, r, &h, E));
	snprintf(out, STORE_SHORT_MAX, "%s", h.name);
}

/*
 * Stable ids: a case keeps its id as it grows; when two cases merge, the
 * older id survives and the younger resolves to it (moved_from); when a case
 * splits, the part with the oldest report keeps the id and the other part
 * gets a new one (not the retired id revived); all of it survives reopening.
 */
static void test_stable_ids(void **state)
{
	(void)state;
	char *dir;
	struct store *s;
	assert_int_equal(storefx_open(&dir, &s), 0);
	int64_t a1 = add_report(s, 1, "phone", "+447700900001", 0);
	int64_t b1 = add_report(s, 2, "phone", "+447700900002", 0);
	int64_t a2 = add_report(s, 3, "phone", "+447700900001", 0);
	struct cases *k = open_cases(s);
	char na[STORE_SHORT_MAX], nb[STORE_SHORT_MAX], n[STORE_SHORT_MAX];
	name_of(k, b1, nb); /* B is seen first: it gets the older id */
	name_of(k, a2, na);
	assert_string_not_equal(na, nb);
	assert_non_null(strstr(na, "CASE-"));
	name_of(k, a1, n);
	assert_string_equal(n, na); /* whichever report asks */
	assert_true(cases_is_case_id(na));
	assert_false(cases_is_case_id("CRX26TEST0001"));

	/* a new report joining A keeps A's id */
	int64_t a3 = add_report(s, 4, "phone", "+447700900001", 0);
	struct corr_value cv = {IOC_PHONE, "+447700900001", 13};
	OK(cases_add(k, a3, &cv, 1, false, E));
	name_of(k, a3, n);
	assert_string_equal(n, na);

	/* merge: B's id is older, so it survives; A's leads to it */
	struct principal p;
	analyst(&p, ROLE_ANALYST, ORG_CERT);
	decide(k, s, &p, "link", a1, b1, "", "");
	name_of(k, a1, n);
	assert_string_equal(n, nb);
	struct cases_handle h;
	OK(cases_resolve_id(k, na, "id", &h, E));
	assert_string_equal(h.name, nb);
	assert_string_equal(h.moved_from, na);
	struct crix_error err = {0};
	assert_int_equal(cases_resolve_id(k, "CASE-2026-999999", "id", &h, &err), CRIX_ENOTFOUND);
	assert_string_equal(err.field, "id");

	/* split a2 off: the part holding the oldest report (a1) keeps B's id
	 * even though B's carrier is b1; a2's part gets a new id */
	decide(k, s, &p, "detach", a2, 0, "", "");
	name_of(k, a1, n);
	assert_string_equal(n, nb);
	char split[STORE_SHORT_MAX];
	name_of(k, a2, split);
	assert_string_not_equal(split, nb);
	assert_string_not_equal(split, na);

	/* detach b1 too: the part with the oldest report (a1, a3) keeps the
	 * id, so it moves to a1; b1 alone gets a new one */
	decide(k, s, &p, "detach", b1, 0, "", "");
	name_of(k, a1, n);
	assert_string_equal(n, nb);
	char nb2[STORE_SHORT_MAX];
	name_of(k, b1, nb2);
	assert_string_not_equal(nb2, nb);
	int64_t carried[16];
	size_t nc = cases_carried(k, a1, carried, 16);
	assert_true(nc >= 2); /* A's retired id and B's, whose records it holds */
	cases_free(k);

	/* reopened: the same names, and the retired id still resolves */
	store_close(s);
	OK(store_open(NULL, dir, &s, E));
	k = open_cases(s);
	name_of(k, a3, n);
	assert_string_equal(n, nb);
	name_of(k, a2, n);
	assert_string_equal(n, split);
	name_of(k, b1, n);
	assert_string_equal(n, nb2);
	OK(cases_resolve_id(k, na, "id", &h, E));
	assert_string_equal(h.name, nb);
	assert_string_equal(h.moved_from, na);
	cases_free(k);
	storefx_close(dir, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_decisions_survive_reopen),
	        cmocka_unit_test(test_stable_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
