/*
 * test_casework.c - case work (src/model/casework.c) over a real SQLite
 * store, the real catalogue and the correlation engine: a review gates the
 * dissemination; the jurisdiction rules choose the recipient (a rule naming
 * an organisation that is not law-enforcement is skipped); dissemination and
 * outcomes move the linked reports through the report workflow; the package
 * is for the recipient and the reporting centre, with victim data only for
 * investigators; the printable page escapes everything; the statistics count
 * persons prosecuted and convicted and suppress small cells for the public.
 * Dissemination is one transaction: a report that cannot move in the middle
 * of a case of 1200 leaves nothing written; a case larger than
 * CASEWORK_MOVE_MAX is refused, not moved in part.  A split is in the
 * history of both cases.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "model/casework.h"
#include "unit/store/storefx.h"

#include <sqlite3.h>

#define OK(call)                                                                                   \
	do {                                                                                       \
		struct crix_error err_ = {0};                                                      \
		int rc_ = (call);                                                                  \
		if (rc_ != 0)                                                                      \
			fail_msg("%s = %d: %s", #call, rc_, err_.msg);                             \
	} while (0)
#define E (&err_)

static int64_t add_org(struct store *s, const char *name, const char *kind)
{
	struct store_org o = {0};
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.kind, sizeof o.kind, "%s", kind);
	snprintf(o.country, sizeof o.country, "GB");
	clock_now_iso(o.created);
	struct store_tx *tx;
	OK(store_tx_begin(s, &tx, E));
	OK(store_org_insert(tx, &o, E));
	OK(store_tx_commit(tx, E));
	return o.id;
}

/* A report holding a phone number, stored directly.  OUT: ref. */
static int64_t add_report(struct store *s, const char *phone, const char *region,
                          const char *category, char ref[REF_LEN + 1])
{
	struct store_report r = {0};
	ref_new(26, ref);
	snprintf(r.ref, sizeof r.ref, "%s", ref);
	snprintf(r.kind, sizeof r.kind, "crime");
	snprintf(r.category, sizeof r.category, "%s", category);
	snprintf(r.status, sizeof r.status, "received");
	clock_now_iso(r.created);
	snprintf(r.updated, sizeof r.updated, "%s", r.created);
	snprintf(r.region, sizeof r.region, "%s", region);
	snprintf(r.victim_type, sizeof r.victim_type, "person");
	snprintf(r.channel, sizeof r.channel, "web");
	r.body = "{\"description\":\"<img src=x onerror=alert(1)>\"}";
	r.victim = "{\"name\":\"Alice Victim\"}";
	r.advice = "[]";
	struct store_tx *tx;
	OK(store_tx_begin(s, &tx, E));
	OK(store_report_insert(tx, &r, E));
	struct store_indicator ind = {.report_id = r.id, .value = (char *)phone};
	snprintf(ind.type, sizeof ind.type, "phone");
	snprintf(ind.field, sizeof ind.field, "description");
	OK(store_indicator_insert(tx, &ind, E));
	OK(store_tx_commit(tx, E));
	return r.id;
}

static struct principal who(int64_t org, enum role r, enum org_kind k)
{
	struct principal p = {.authenticated = true, .user_id = org * 10, .org_id = org};
	p.role = r;
	p.org_kind = k;
	snprintf(p.actor, sizeof p.actor, "user:%lld:u", (long long)p.user_id);
	return p;
}

static json_t *body(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	return j;
}

static void status_is(struct store *s, int64_t id, const char *want)
{
	struct store_report r;
	OK(store_report_brief(s, id, &r, E));
	assert_string_equal(r.status, want);
	store_report_clear(&r);
}

/* A test's world: a real store in a temporary directory, the catalogue
 * and, once the test's reports are stored, the cases engine over them. */
struct world {
	char *dir;
	struct store *s;
	struct catalogue *cat;
	struct cases *k;
};

static void world_open(struct world *w)
{
	memset(w, 0, sizeof *w);
	OK(secret_init(E));
	OK(catalogue_load("data", &w->cat, E));
	assert_int_equal(storefx_open(&w->dir, &w->s), 0);
}

/* Opens the cases engine (cap: correlate's over-common cap, 0 for its
 * default) over the reports stored so far; world_close frees it. */
static struct cases *world_cases(struct world *w, uint32_t cap)
{
	uint64_t n_ind;
	OK(cases_open(w->s, cap, NULL, &w->k, &n_ind, E));
	return w->k;
}

static void world_close(struct world *w)
{
	cases_free(w->k);
	catalogue_free(w->cat);
	storefx_close(w->dir, w->s);
}

static void test_review_disseminate_package_outcome_stats(void **state)
{
	(void)state;
	struct world w;
	world_open(&w);
	struct store *s = w.s;
	int64_t metro = add_org(s, "Metro", "law-enforcement");
	int64_t other = add_org(s, "Other", "law-enforcement");
	int64_t cert = add_org(s, "CERT", "cert");
	char ra[REF_LEN + 1], rb[REF_LEN + 1], rcr[REF_LEN + 1];
	int64_t a = add_report(s, "+447700900001", "London", "investment-fraud", ra);
	int64_t b = add_report(s, "+447700900001", "Kent", "investment-fraud", rb);
	int64_t c = add_report(s, "+447700900009", "Kent", "phishing", rcr);
	char rus[REF_LEN + 1], ras[REF_LEN + 1];
	add_report(s, "+12125550123", "Kent", "phishing", rus); /* New York or Canada */
	add_report(s, "+16845550123", "Kent", "phishing", ras); /* American Samoa */
	struct cases *k = world_cases(&w, 0);
	struct report_env renv = {.store = s, .cat = w.cat, .cases = k};
	const char *rules = "{\"rules\": [{\"name\": \"cert is not police\", \"category\": "
	                    "[\"phishing\"], \"org\": \"CERT\"}, {\"name\": \"London\", "
	                    "\"victim_region\": [\"London\"], \"org\": \"Metro\"}], "
	                    "\"fallback\": {\"org\": \"Other\"}}";
	struct jurisdiction *j = jurisdiction_new();
	OK(jurisdiction_parse(j, "r.json", rules, strlen(rules), E));
	struct casefacts *facts;
	OK(casefacts_open(s, &facts, E));
	struct casework_env env = {.reports = &renv, .juris = j, .facts = facts};
	struct principal ana = who(cert, ROLE_ANALYST, ORG_CERT);
	struct principal inv = who(metro, ROLE_INVESTIGATOR, ORG_LAW_ENFORCEMENT);
	struct principal inv2 = who(other, ROLE_INVESTIGATOR, ORG_LAW_ENFORCEMENT);
	struct crix_error err = {0};
	json_t *out, *in;

	/* the jurisdiction: London wins for A's case; C's phishing rule names
	 * a CERT, so it is skipped and the fallback chosen */
	OK(casework_jurisdiction(&env, &ana, ra, &out, E));
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(out, "recipient"), "name")),
	        "Metro");
	const char *id = json_string_value(json_object_get(out, "case"));
	char case_id[STORE_SHORT_MAX];
	snprintf(case_id, sizeof case_id, "%s", id);
	json_decref(out);
	OK(casework_jurisdiction(&env, &ana, rcr, &out, E));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(out, "rule"), "index")),
	                 -1);
	assert_int_equal(json_array_size(json_object_get(out, "skipped")), 1);
	json_decref(out);

	/* the suspect's country from a phone number's calling code, saying
	 * which indicator it came from; +1 alone is US or CA: listed as
	 * ambiguous, not matched on; +1 684 is American Samoa */
	OK(casework_jurisdiction(&env, &ana, ra, &out, E));
	json_t *sc = json_object_get(json_object_get(out, "facts"), "suspect_country");
	assert_int_equal(json_array_size(sc), 1);
	assert_string_equal(json_string_value(json_array_get(sc, 0)), "GB");
	json_t *orig = json_array_get(json_object_get(out, "suspect_countries"), 0);
	assert_string_equal(json_string_value(json_object_get(orig, "type")), "phone");
	assert_string_equal(json_string_value(json_object_get(orig, "value")), "+447700900001");
	assert_false(json_is_true(json_object_get(orig, "ambiguous")));
	json_decref(out);
	OK(casework_jurisdiction(&env, &ana, rus, &out, E));
	sc = json_object_get(json_object_get(out, "facts"), "suspect_country");
	assert_int_equal(json_array_size(sc), 0);
	orig = json_array_get(json_object_get(out, "suspect_countries"), 0);
	assert_string_equal(json_string_value(json_object_get(orig, "country")), "US/CA");
	assert_true(json_is_true(json_object_get(orig, "ambiguous")));
	json_decref(out);
	OK(casework_jurisdiction(&env, &ana, ras, &out, E));
	sc = json_object_get(json_object_get(out, "facts"), "suspect_country");
	assert_string_equal(json_string_value(json_array_get(sc, 0)), "AS");
	json_decref(out);

	/* no dissemination before a viable review; only analysts review */
	in = body("{}");
	assert_int_equal(casework_disseminate(&env, &ana, case_id, in, &out, &err), CRIX_EEXIST);
	json_decref(in);
	in = body("{\"viable\": true, \"reason\": \"a phone to trace\", \"lines_of_enquiry\": "
	          "[{\"kind\": \"phone\", \"value\": \"+447700900001\"}]}");
	assert_int_equal(casework_review(&env, &inv, case_id, in, &out, &err), CRIX_EACCES);
	OK(casework_review(&env, &ana, case_id, in, &out, E));
	json_decref(out);
	json_decref(in);

	/* disseminate to the rules' choice: both reports move on */
	in = body("{\"recipient\": \"Other\"}");
	assert_int_equal(casework_disseminate(&env, &ana, case_id, in, &out, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "reason");
	json_decref(in);
	in = body("{}");
	OK(casework_disseminate(&env, &ana, case_id, in, &out, E));
	json_decref(in);
	assert_int_equal(json_object_get(json_object_get(out, "dissemination"), "org_id") != NULL,
	                 1);
	json_decref(out);
	status_is(s, a, "disseminated");
	status_is(s, b, "disseminated");
	status_is(s, c, "received");

	/* the package: the recipient's investigator sees victims; another
	 * force may not read it; the page escapes the report's text */
	OK(casework_package(&env, &inv, case_id, &out, E));
	assert_true(json_is_true(json_object_get(out, "victim_data")));
	assert_int_equal(json_array_size(json_object_get(out, "reports")), 2);
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(out, "suspect_countries"), 0), "value")),
	        "+447700900001");
	char *page = casework_package_html(out);
	assert_non_null(page);
	assert_null(strstr(page, "<img"));
	assert_non_null(strstr(page, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(page, "Alice Victim"));
	assert_non_null(strstr(page, "<td>GB</td><td>phone</td><td>+447700900001</td>"));
	assert_null(strstr(page, "<script"));
	free(page);
	json_decref(out);
	assert_int_equal(casework_package(&env, &inv2, case_id, &out, &err), CRIX_EACCES);
	OK(casework_package(&env, &ana, case_id, &out, E));
	assert_false(json_is_true(json_object_get(out, "victim_data")));
	json_decref(out);

	/* outcomes: the receiving investigator only; the reports move to outcome */
	in = body("{\"suspect\": \"S1\", \"outcome\": \"charged\", \"date\": \"2026-01-05\", "
	          "\"legal_article\": \"Directive 2013/40/EU Art. 4\"}");
	assert_int_equal(casework_outcome(&env, &inv2, case_id, in, &out, &err), CRIX_EACCES);
	assert_int_equal(casework_outcome(&env, &ana, case_id, in, &out, &err), CRIX_EACCES);
	OK(casework_outcome(&env, &inv, case_id, in, &out, E));
	json_decref(out);
	json_decref(in);
	in = body("{\"suspect\": \"S1\", \"outcome\": \"convicted\", \"date\": \"2026-02-05\", "
	          "\"legal_article\": \"Directive 2013/40/EU Art. 4\"}");
	OK(casework_outcome(&env, &inv, case_id, in, &out, E));
	json_decref(out);
	json_decref(in);
	status_is(s, a, "outcome");
	status_is(s, b, "outcome");

	/* the history: newest first, who and why, paged; a viewer of another
	 * kind (a business) may not read it */
	OK(casework_history(&env, &ana, case_id, 0, 10, &out, E));
	assert_int_equal(json_integer_value(json_object_get(out, "total")), 4);
	json_t *hist = json_object_get(out, "entries");
	assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 0), "kind")),
	                    "outcome");
	assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 3), "kind")),
	                    "review");
	assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 3), "reason")),
	                    "a phone to trace");
	/* the actor's name; no organisation for a user the store does not hold */
	json_t *by = json_object_get(json_array_get(hist, 3), "who");
	assert_string_equal(json_string_value(json_object_get(by, "user")), "u");
	assert_true(json_is_null(json_object_get(by, "org")));
	assert_true(json_is_null(json_object_get(out, "next")));
	json_decref(out);
	OK(casework_history(&env, &ana, case_id, 1, 2, &out, E));
	assert_int_equal(json_array_size(json_object_get(out, "entries")), 2);
	assert_int_equal(json_integer_value(json_object_get(out, "next")), 3);
	json_decref(out);
	struct principal biz = who(cert, ROLE_ANALYST, ORG_BUSINESS);
	assert_int_equal(casework_history(&env, &biz, case_id, 0, 10, &out, &err), CRIX_EACCES);

	/* statistics: one person prosecuted and convicted under Art. 4 */
	OK(casefacts_compute(facts, "article", NULL, NULL, 0, &out, E));
	json_t *row = NULL, *r;
	size_t i;
	json_array_foreach(json_object_get(out, "rows"), i,
	                   r) if (strcmp(json_string_value(json_object_get(r, "article")),
	                                 "Directive 2013/40/EU Art. 4") == 0) row = r;
	assert_non_null(row);
	assert_int_equal(json_integer_value(json_object_get(row, "prosecuted")), 1);
	assert_int_equal(json_integer_value(json_object_get(row, "convicted")), 1);
	assert_int_equal(json_integer_value(json_object_get(row, "outcomes")), 2);
	json_t *total = json_object_get(out, "total");
	assert_int_equal(json_integer_value(json_object_get(total, "cases")), 1);
	assert_int_equal(json_integer_value(json_object_get(total, "disseminations")), 1);
	/* the table kept in step gives what one built from the store gives */
	json_t *fresh;
	OK(casework_stats(s, "article", NULL, NULL, 0, &fresh, E));
	assert_true(json_equal(out, fresh));
	json_decref(fresh);
	json_decref(out);
	/* no grouping: the total only */
	OK(casefacts_compute(facts, NULL, NULL, NULL, 0, &out, E));
	assert_int_equal(json_array_size(json_object_get(out, "rows")), 0);
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(out, "total"), "outcomes")), 2);
	json_decref(out);
	/* grouping by outcome counts outcomes only; dates bound the records */
	OK(casefacts_compute(facts, "outcome,month", "2026-02-01", "2026-03-01", 0, &out, E));
	assert_int_equal(json_array_size(json_object_get(out, "rows")), 1);
	row = json_array_get(json_object_get(out, "rows"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "outcome")), "convicted");
	assert_string_equal(json_string_value(json_object_get(row, "month")), "2026-02");
	json_decref(out);
	/* the public: one case is below any minimum cell */
	OK(casework_stats(s, "month", NULL, NULL, 5, &out, E));
	assert_true(json_is_null(json_object_get(out, "total")));
	assert_true(json_is_true(
	        json_object_get(json_array_get(json_object_get(out, "rows"), 0), "suppressed")));
	json_decref(out);
	assert_int_equal(casefacts_compute(facts, "colour", NULL, NULL, 0, &out, &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "group_by");
	assert_int_equal(casefacts_compute(facts, "year", "soon", NULL, 0, &out, &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "from");

	/* every record and victim read is in an intact audit chain */
	int64_t checked, bad;
	OK(audit_verify(s, &checked, &bad, E));
	assert_true(checked >= 6);
	jurisdiction_free(j);
	casefacts_free(facts);
	world_close(&w);
}

/* n reports holding one phone number, in one transaction (fast); the
 * status of report i is status(i).  OUT: ids[n]. */
static void add_many(struct store *s, size_t n, const char *phone, int64_t *ids)
{
	struct store_tx *tx;
	OK(store_tx_begin(s, &tx, E));
	for (size_t i = 0; i < n; i++) {
		struct store_report r = {0};
		ref_new(26, r.ref);
		snprintf(r.kind, sizeof r.kind, "crime");
		snprintf(r.category, sizeof r.category, "investment-fraud");
		snprintf(r.status, sizeof r.status, "%s", i % 100 == 7 ? "closed" : "received");
		clock_now_iso(r.created);
		snprintf(r.updated, sizeof r.updated, "%s", r.created);
		snprintf(r.region, sizeof r.region, "Kent");
		snprintf(r.victim_type, sizeof r.victim_type, "person");
		snprintf(r.channel, sizeof r.channel, "web");
		r.body = "{}";
		r.victim = "{}";
		r.advice = "[]";
		OK(store_report_insert(tx, &r, E));
		struct store_indicator ind = {.report_id = r.id, .value = (char *)phone};
		snprintf(ind.type, sizeof ind.type, "phone");
		snprintf(ind.field, sizeof ind.field, "description");
		OK(store_indicator_insert(tx, &ind, E));
		if (ids != NULL)
			ids[i] = r.id;
	}
	OK(store_tx_commit(tx, E));
}

/* Runs sql on the store's database through a connection of its own. */
static void sql(const char *dir, const char *text)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/crix.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	sqlite3_close(db);
}

static int64_t audit_count(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/crix.db", dir);
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit", -1, &q, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void test_dissemination_all_or_nothing(void **state)
{
	(void)state;
	struct world w;
	world_open(&w);
	struct store *s = w.s;
	add_org(s, "Metro", "law-enforcement");
	int64_t cert = add_org(s, "CERT", "cert");
	enum { N = 1200 };
	static int64_t ids[N];
	add_many(s, N, "+447700900123", ids);
	struct cases *k = world_cases(&w, 100000); /* the phone is not over-common */
	struct report_env renv = {.store = s, .cat = w.cat, .cases = k};
	const char *rules = "{\"rules\": [], \"fallback\": {\"org\": \"Metro\"}}";
	struct jurisdiction *j = jurisdiction_new();
	OK(jurisdiction_parse(j, "r.json", rules, strlen(rules), E));
	struct casework_env env = {.reports = &renv, .juris = j, .facts = NULL};
	struct principal ana = who(cert, ROLE_ANALYST, ORG_CERT);
	struct crix_error err = {0};
	json_t *out, *in;
	char ref0[STORE_REF_MAX], st[STORE_SHORT_MAX];
	OK(store_report_ref(s, ids[0], ref0, st, E));
	in = body("{\"viable\": true, \"reason\": \"one caller, many victims\"}");
	OK(casework_review(&env, &ana, ref0, in, &out, E));
	json_decref(out);
	json_decref(in);

	/* report 900 cannot move (the store refuses its update): nothing of the
	 * dissemination is written, not the record, not the 899 before it */
	char trig[256];
	snprintf(trig, sizeof trig,
	         "CREATE TRIGGER stuck BEFORE UPDATE OF status ON reports WHEN old.id = %lld "
	         "BEGIN SELECT RAISE(ABORT, 'report is stuck'); END",
	         (long long)ids[900]);
	sql(w.dir, trig);
	int64_t audits = audit_count(w.dir);
	char ref900[STORE_REF_MAX];
	OK(store_report_ref(s, ids[900], ref900, st, E));
	in = body("{}");
	assert_int_not_equal(casework_disseminate(&env, &ana, ref0, in, &out, &err), 0);
	assert_non_null(strstr(err.msg, ref900));
	assert_int_equal(audit_count(w.dir), audits);
	json_t *view = json_object();
	OK(casework_attach(&env, ref0, view, E));
	assert_int_equal(json_array_size(json_object_get(view, "disseminations")), 0);
	json_decref(view);
	status_is(s, ids[0], "received");
	status_is(s, ids[899], "received");
	status_is(s, ids[N - 1], "received");

	/* without the fault every report moves, beyond the first 1000 too; the
	 * closed ones are listed as not moved */
	sql(w.dir, "DROP TRIGGER stuck");
	OK(casework_disseminate(&env, &ana, ref0, in, &out, E));
	json_decref(in);
	json_t *list = json_object_get(out, "reports");
	assert_int_equal(json_array_size(list), N);
	size_t i, moved = 0;
	json_t *x;
	json_array_foreach(list, i, x) moved += json_is_true(json_object_get(x, "moved"));
	assert_int_equal(moved, N - N / 100);
	json_decref(out);
	status_is(s, ids[0], "disseminated");
	status_is(s, ids[7], "closed");
	status_is(s, ids[N - 1], "disseminated");
	/* each report took three steps (received -> triaged -> under-review ->
	 * disseminated), each with its audit entry, plus the record's */
	assert_int_equal(audit_count(w.dir), audits + 3 * (int64_t)moved + 1);
	int64_t checked, bad;
	OK(audit_verify(s, &checked, &bad, E));
	assert_int_equal(bad, 0);
	jurisdiction_free(j);
	world_close(&w);
}

/* A case larger than one transaction may hold is refused with the bound
 * named, and nothing moves. */
static void test_dissemination_refuses_huge_case(void **state)
{
	(void)state;
	struct world w;
	world_open(&w);
	struct store *s = w.s;
	add_org(s, "Metro", "law-enforcement");
	int64_t cert = add_org(s, "CERT", "cert");
	int64_t first;
	add_many(s, 1, "+447700900124", &first);
	add_many(s, CASEWORK_MOVE_MAX, "+447700900124", NULL);
	struct cases *k = world_cases(&w, 100000);
	struct report_env renv = {.store = s, .cat = w.cat, .cases = k};
	const char *rules = "{\"rules\": [], \"fallback\": {\"org\": \"Metro\"}}";
	struct jurisdiction *j = jurisdiction_new();
	OK(jurisdiction_parse(j, "r.json", rules, strlen(rules), E));
	struct casework_env env = {.reports = &renv, .juris = j, .facts = NULL};
	struct principal ana = who(cert, ROLE_ANALYST, ORG_CERT);
	struct crix_error err = {0};
	json_t *out, *in;
	char ref0[STORE_REF_MAX], st[STORE_SHORT_MAX];
	OK(store_report_ref(s, first, ref0, st, E));
	in = body("{\"viable\": true, \"reason\": \"r\"}");
	OK(casework_review(&env, &ana, ref0, in, &out, E));
	json_decref(out);
	json_decref(in);
	in = body("{}");
	assert_int_equal(casework_disseminate(&env, &ana, ref0, in, &out, &err), CRIX_ETOOBIG);
	json_decref(in);
	assert_non_null(strstr(err.msg, "10001 reports"));
	assert_non_null(strstr(err.msg, "at most 10000"));
	status_is(s, first, "received");
	json_t *view = json_object();
	OK(casework_attach(&env, ref0, view, E));
	assert_int_equal(json_array_size(json_object_get(view, "disseminations")), 0);
	json_decref(view);
	jurisdiction_free(j);
	world_close(&w);
}

/* The number of entries of kind "split" in the history of the case of ref. */
static size_t splits_in(const struct casework_env *env, const struct principal *p, const char *ref)
{
	json_t *out, *e;
	size_t i, n = 0;
	OK(casework_history(env, p, ref, 0, 100, &out, E));
	json_array_foreach(json_object_get(out, "entries"), i, e) n +=
	        strcmp(json_string_value(json_object_get(e, "kind")), "split") == 0;
	json_decref(out);
	return n;
}

/* A split shows in the history of the case the report left as well as in
 * that of its new case, also when the report split off is the case's
 * oldest, and again after a restart (the decisions are replayed). */
static void test_split_in_both_histories(void **state)
{
	(void)state;
	struct world w;
	world_open(&w);
	struct store *s = w.s;
	int64_t cert = add_org(s, "CERT", "cert");
	char ra[REF_LEN + 1], rb[REF_LEN + 1], rc[REF_LEN + 1], rd[REF_LEN + 1];
	add_report(s, "+447700900031", "Kent", "phishing", ra);
	add_report(s, "+447700900031", "Kent", "phishing", rb);
	add_report(s, "+447700900031", "Kent", "phishing", rc);
	add_report(s, "+447700900032", "Kent", "phishing", rd); /* another case */
	struct cases *k = world_cases(&w, 0);
	struct report_env renv = {.store = s, .cat = w.cat, .cases = k};
	struct casework_env env = {.reports = &renv};
	struct principal ana = who(cert, ROLE_ANALYST, ORG_CERT);
	json_t *out, *in;
	char body_text[128];

	snprintf(body_text, sizeof body_text, "{\"report\": \"%s\", \"note\": \"not him\"}", rb);
	in = body(body_text);
	OK(cases_split(k, s, NULL, &ana, ra, in, &out, E));
	json_decref(in);
	json_decref(out);
	assert_int_equal(splits_in(&env, &ana, rb), 1); /* its new case */
	assert_int_equal(splits_in(&env, &ana, ra), 1); /* the case it left */
	assert_int_equal(splits_in(&env, &ana, rd), 0);
	/* the oldest report split off: the case it left (c's) shows it too */
	snprintf(body_text, sizeof body_text, "{\"report\": \"%s\"}", ra);
	in = body(body_text);
	OK(cases_split(k, s, NULL, &ana, rc, in, &out, E));
	json_decref(in);
	json_decref(out);
	assert_int_equal(splits_in(&env, &ana, ra), 2);
	assert_int_equal(splits_in(&env, &ana, rb), 1);
	/* c's case: the split of a; b's split is told through a (the report it
	 * records as its source), which has left c's case since */
	assert_int_equal(splits_in(&env, &ana, rc), 1);
	cases_free(k);
	/* after a restart: the same */
	k = world_cases(&w, 0);
	renv.cases = k;
	assert_int_equal(splits_in(&env, &ana, rb), 1);
	assert_int_equal(splits_in(&env, &ana, ra), 2);
	assert_int_equal(splits_in(&env, &ana, rc), 1);
	int64_t checked, bad;
	OK(audit_verify(s, &checked, &bad, E));
	assert_int_equal(bad, 0);
	world_close(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_review_disseminate_package_outcome_stats),
	        cmocka_unit_test(test_dissemination_all_or_nothing),
	        cmocka_unit_test(test_dissemination_refuses_huge_case),
	        cmocka_unit_test(test_split_in_both_histories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
