/*
 * test_alert.c - scam alerts (src/model/alert.c): validation as data
 * (request in, the field at fault out), who may publish and withdraw, who
 * sees what (anonymous, a member of another organisation, the author's
 * organisation, a viewer; CLEAR and GREEN; withdrawn and expired), and
 * publish / withdraw / list / view / STIX over a real SQLite store, each
 * change with its audit entry.  Run from the repository root (data/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/alert.h"
#include "model/audit.h"
#include "share/tlp.h"
#include "unit/store/storefx.h"

#define OK(call)                                                                                   \
	do {                                                                                       \
		struct crix_error err_ = {0};                                                      \
		int rc_ = (call);                                                                  \
		if (rc_ != 0)                                                                      \
			fail_msg("%s = %d: %s", #call, rc_, err_.msg);                             \
	} while (0)
#define E (&err_)

static struct catalogue *cat;
static struct ioc_ctx *ioc;

static int group_setup(void **state)
{
	(void)state;
	struct crix_error err = {0};
	if (catalogue_load("data", &cat, &err) != 0 || ioc_ctx_new(&ioc, &err) != 0) {
		fprintf(stderr, "setup (run from the repository root): %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	catalogue_free(cat);
	ioc_ctx_free(ioc);
	return 0;
}

static struct principal user(int64_t uid, int64_t org, enum role role)
{
	struct principal p = {.authenticated = true,
	                      .user_id = uid,
	                      .org_id = org,
	                      .role = role,
	                      .org_kind = ORG_CERT};
	snprintf(p.username, sizeof p.username, "user%lld", (long long)uid);
	snprintf(p.actor, sizeof p.actor, "user:%lld:user%lld", (long long)uid, (long long)uid);
	return p;
}

static struct principal anonymous(void)
{
	struct principal p;
	account_principal_public(&p);
	return p;
}

/* ---- validation, as data ---- */

struct vcase {
	const char *json;
	const char *field; /* NULL: valid */
	const char *msg;   /* a part of the message, or NULL */
};

#define GOOD                                                                                       \
	"\"title\":\"Parcel texts\",\"summary\":\"s\",\"advice\":\"a\",\"category\":\"phishing\""

static const struct vcase vcases[] = {
        {"{" GOOD ",\"tlp\":\"clear\"}", NULL, NULL},
        {"{" GOOD ",\"tlp\":\"TLP:GREEN\",\"indicators\":[]}", NULL, NULL},
        {"{" GOOD ",\"tlp\":\"clear\",\"indicators\":[\"evil[.]example.com\",\"+44 7700 900123\","
         "{\"type\":\"ipv4\",\"value\":\"198.51.100.7\"}],\"expires\":\"2999-01-01\"}",
         NULL, NULL},
        {"{" GOOD ",\"tlp\":\"amber\"}", "tlp", "\"clear\""},
        {"{" GOOD ",\"tlp\":\"red\"}", "tlp", NULL},
        {"{" GOOD ",\"tlp\":\"purple\"}", "tlp", NULL},
        {"{" GOOD ",\"tlp\":1}", "tlp", NULL},
        {"{" GOOD "}", "tlp", NULL},
        {"{\"summary\":\"s\",\"advice\":\"a\",\"category\":\"phishing\",\"tlp\":\"clear\"}",
         "title", "required"},
        {"{\"title\":\"ab\",\"summary\":\"s\",\"advice\":\"a\",\"category\":\"phishing\","
         "\"tlp\":\"clear\"}",
         "title", "at least 3"},
        {"{\"title\":\"   \",\"summary\":\"s\",\"advice\":\"a\",\"category\":\"phishing\","
         "\"tlp\":\"clear\"}",
         "title", NULL},
        {"{\"title\":\"two\\nlines\",\"summary\":\"s\",\"advice\":\"a\",\"category\":\"phishing\","
         "\"tlp\":\"clear\"}",
         "title", "control character"},
        {"{\"title\":\"Title\",\"summary\":\"s\",\"advice\":\"a\\u0000b\",\"category\":"
         "\"phishing\",\"tlp\":\"clear\"}",
         "advice", "control character"},
        {"{\"title\":\"Title\",\"summary\":\"s\",\"advice\":\"a\",\"category\":\"no-such\","
         "\"tlp\":\"clear\"}",
         "category", "catalogue"},
        {"{\"title\":\"Title\",\"summary\":7,\"advice\":\"a\",\"category\":\"phishing\","
         "\"tlp\":\"clear\"}",
         "summary", "string"},
        {"{" GOOD ",\"tlp\":\"clear\",\"indicators\":[\"evil.example.com\",\"not an ioc\"]}",
         "indicators[1]", "indicators[1]:"},
        {"{" GOOD ",\"tlp\":\"clear\",\"indicators\":[\"a.example.com\",\"b.example.com\","
         "{\"type\":\"ipv4\",\"value\":\"1.2.3.04\"}]}",
         "indicators[2]", "ipv4"},
        {"{" GOOD ",\"tlp\":\"clear\",\"indicators\":[{\"type\":\"nope\",\"value\":\"x\"}]}",
         "indicators[0]", "unknown type"},
        {"{" GOOD ",\"tlp\":\"clear\",\"indicators\":[5]}", "indicators[0]", NULL},
        {"{" GOOD ",\"tlp\":\"clear\",\"indicators\":\"evil.example.com\"}", "indicators", "array"},
        {"{" GOOD ",\"tlp\":\"clear\",\"expires\":\"2001-01-01\"}", "expires", "future"},
        {"{" GOOD ",\"tlp\":\"clear\",\"expires\":\"soon\"}", "expires", NULL},
        {"{" GOOD ",\"tlp\":\"clear\",\"expiry\":\"2999-01-01\"}", "expiry", "unknown field"},
};

static void test_validate_cases(void **state)
{
	(void)state;
	struct alert_env env = {NULL, cat, ioc};
	for (size_t i = 0; i < sizeof vcases / sizeof vcases[0]; i++) {
		const struct vcase *c = &vcases[i];
		json_error_t je;
		json_t *in = json_loads(c->json, JSON_ALLOW_NUL, &je);
		if (in == NULL)
			fail_msg("case %zu: bad JSON: %s", i, je.text);
		struct store_alert a = {0};
		struct crix_error err = {0};
		int rc = alert_validate(&env, in, "2026-06-01T00:00:00.000Z", &a, &err);
		json_decref(in);
		if (c->field == NULL) {
			if (rc != 0)
				fail_msg("case %zu: want valid, got %d: %s", i, rc, err.msg);
		} else {
			if (rc == 0)
				fail_msg("case %zu: want an error on %s, got valid", i, c->field);
			if (strcmp(err.field, c->field) != 0)
				fail_msg("case %zu: field '%s', want '%s' (%s)", i, err.field,
				         c->field, err.msg);
			if (strncmp(err.msg, c->field, strlen(c->field)) != 0)
				fail_msg("case %zu: message does not start with the field: %s", i,
				         err.msg);
			if (c->msg != NULL && strstr(err.msg, c->msg) == NULL)
				fail_msg("case %zu: message '%s' lacks '%s'", i, err.msg, c->msg);
		}
		store_alert_clear(&a);
	}
}

static void test_validate_canonical(void **state)
{
	(void)state;
	struct alert_env env = {NULL, cat, ioc};
	json_t *in = json_loads("{" GOOD ",\"tlp\":\"TLP:CLEAR\",\"indicators\":["
	                        "\"hxxps://Evil[.]Example.com/Pay\",\" EVIL.example.com \","
	                        "\"evil.example.com\",\"+44 7700 900123\"],"
	                        "\"expires\":\"2030-01-01T12:00+01:00\"}",
	                        0, NULL);
	assert_non_null(in);
	struct store_alert a = {0};
	OK(alert_validate(&env, in, "2026-06-01T00:00:00.000Z", &a, E));
	json_decref(in);
	assert_int_equal(a.tlp, TLP_CLEAR);
	assert_string_equal(a.expires, "2030-01-01T11:00:00.000Z");
	/* canonical, refanged, blanks trimmed, the duplicate dropped */
	assert_string_equal(a.indicators,
	                    "[{\"type\":\"url\",\"value\":\"https://evil.example.com/"
	                    "Pay\"},{\"type\":\"domain\",\"value\":\"evil.example."
	                    "com\"},{\"type\":\"phone\",\"value\":\"+447700900123\"}]");
	store_alert_clear(&a);

	/* over the caps */
	char *big = malloc(ALERT_ADVICE_MAX + 64);
	assert_non_null(big);
	memset(big, 'x', ALERT_ADVICE_MAX + 1);
	big[ALERT_ADVICE_MAX + 1] = '\0';
	in = json_pack("{s:s,s:s,s:s,s:s,s:s}", "title", "Title", "summary", "s", "advice", big,
	               "category", "phishing", "tlp", "clear");
	struct crix_error err = {0};
	assert_int_equal(alert_validate(&env, in, "2026-06-01T00:00:00.000Z", &a, &err),
	                 CRIX_ETOOBIG);
	assert_string_equal(err.field, "advice");
	json_decref(in);
	free(big);
	json_t *many = json_array();
	for (int i = 0; i <= ALERT_INDICATORS_MAX; i++)
		json_array_append_new(many, json_string("evil.example.com"));
	in = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "title", "Title", "summary", "s", "advice", "a",
	               "category", "phishing", "tlp", "clear", "indicators", many);
	assert_int_equal(alert_validate(&env, in, "2026-06-01T00:00:00.000Z", &a, &err),
	                 CRIX_ETOOBIG);
	assert_string_equal(err.field, "indicators");
	json_decref(in);
}

/* ---- who may do and see what ---- */

static void test_permissions(void **state)
{
	(void)state;
	struct principal anon = anonymous();
	assert_false(account_may_publish_alert(&anon));
	assert_false(account_may_publish_alert(
	        &(struct principal){.authenticated = true, .role = ROLE_ANALYST}));
	struct principal v = user(1, 2, ROLE_VIEWER), an = user(2, 2, ROLE_ANALYST),
	                 inv = user(3, 2, ROLE_INVESTIGATOR), oa = user(4, 2, ROLE_ORG_ADMIN),
	                 ad = user(5, 9, ROLE_ADMIN), other = user(6, 3, ROLE_ANALYST);
	assert_false(account_may_publish_alert(&v));
	assert_true(account_may_publish_alert(&an));
	assert_true(account_may_publish_alert(&inv));
	assert_true(account_may_publish_alert(&oa));
	assert_true(account_may_publish_alert(&ad));
	other.org_kind = ORG_BUSINESS;
	assert_true(account_may_publish_alert(&other));
	/* withdrawing: the author's organisation (not its viewers), and admins */
	assert_true(account_may_withdraw_alert(&an, 2));
	assert_true(account_may_withdraw_alert(&oa, 2));
	assert_false(account_may_withdraw_alert(&v, 2));
	assert_false(account_may_withdraw_alert(&other, 2));
	assert_false(account_may_withdraw_alert(&anon, 2));
	assert_true(account_may_withdraw_alert(&ad, 2));
}

static struct store_alert sample(int tlp, const char *status, const char *expires)
{
	struct store_alert a = {.id = 1, .tlp = tlp, .org_id = 2, .user_id = 2};
	snprintf(a.status, sizeof a.status, "%s", status);
	snprintf(a.expires, sizeof a.expires, "%s", expires);
	return a;
}

static void test_visibility(void **state)
{
	(void)state;
	const char *now = "2026-06-01T00:00:00.000Z";
	struct principal anon = anonymous(), author = user(2, 2, ROLE_ANALYST),
	                 colleague = user(8, 2, ROLE_VIEWER), other = user(3, 3, ROLE_VIEWER);
	struct {
		int tlp;
		const char *status, *expires;
		bool anon, other, author, colleague;
	} t[] = {
	        {TLP_CLEAR, "published", "", true, true, true, true},
	        {TLP_GREEN, "published", "", false, true, true, true},
	        {TLP_CLEAR, "published", "2026-07-01T00:00:00.000Z", true, true, true, true},
	        {TLP_CLEAR, "published", "2026-05-01T00:00:00.000Z", false, false, true, true},
	        {TLP_CLEAR, "published", now, false, false, true, true}, /* expires at now */
	        {TLP_CLEAR, "withdrawn", "", false, false, true, true},
	        {TLP_GREEN, "withdrawn", "", false, false, true, true},
	        /* not an alert's TLP (never stored): tlp_may_see's AMBER rule */
	        {TLP_AMBER, "published", "", false, false, true, true},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct store_alert a = sample(t[i].tlp, t[i].status, t[i].expires);
		if (alert_may_see(&anon, &a, now) != t[i].anon ||
		    alert_may_see(&other, &a, now) != t[i].other ||
		    alert_may_see(&author, &a, now) != t[i].author ||
		    alert_may_see(&colleague, &a, now) != t[i].colleague)
			fail_msg("row %zu: anon %d other %d author %d colleague %d", i,
			         alert_may_see(&anon, &a, now), alert_may_see(&other, &a, now),
			         alert_may_see(&author, &a, now),
			         alert_may_see(&colleague, &a, now));
	}
}

/* ---- over a real store ---- */

struct fx {
	char *dir;
	struct store *s;
	struct alert_env env;
	struct principal ann, bob, viewer, anon;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct crix_error err = {0};
	if (f == NULL || storefx_open(&f->dir, &f->s) != 0)
		return -1;
	struct store_org o1 = {0}, o2 = {0};
	snprintf(o1.name, sizeof o1.name, "National CERT");
	snprintf(o2.name, sizeof o2.name, "Example Bank");
	struct store_tx *tx;
	if (store_tx_begin(f->s, &tx, &err) != 0 || store_org_insert(tx, &o1, &err) != 0 ||
	    store_org_insert(tx, &o2, &err) != 0 || store_tx_commit(tx, &err) != 0)
		return -1;
	f->env = (struct alert_env){f->s, cat, ioc};
	f->ann = user(1, o1.id, ROLE_ANALYST);
	f->viewer = user(2, o1.id, ROLE_VIEWER);
	f->bob = user(3, o2.id, ROLE_ANALYST);
	f->anon = anonymous();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	storefx_close(f->dir, f->s);
	free(f);
	return 0;
}

static int64_t publish(struct fx *f, const struct principal *p, const char *title, const char *tlp)
{
	json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:s,s:[s,s]}", "title", title, "summary",
	                       "Texts about a parcel.", "advice", "Do not click.", "category",
	                       "phishing", "tlp", tlp, "indicators", "evil.example.com",
	                       "+44 7700 900123");
	json_t *out;
	OK(alert_publish(&f->env, p, in, &out, E));
	json_decref(in);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	assert_true(id > 0);
	assert_string_equal(json_string_value(json_object_get(out, "organisation")),
	                    p->org_id == f->ann.org_id ? "National CERT" : "Example Bank");
	json_decref(out);
	return id;
}

/* The titles p is given by alert_list, joined by ",". */
static void titles(struct fx *f, const struct principal *p, bool all, char *buf, size_t cap)
{
	struct alert_query q = {.all = all, .limit = 50};
	json_t *out;
	OK(alert_list(&f->env, p, &q, &out, E));
	buf[0] = '\0';
	json_t *a = json_object_get(out, "alerts"), *v;
	size_t i;
	json_array_foreach(a, i, v)
	{
		size_t n = strlen(buf);
		snprintf(buf + n, cap - n, "%s%s", n ? "," : "",
		         json_string_value(json_object_get(v, "title")));
	}
	json_decref(out);
}

static void test_publish_list_withdraw(void **state)
{
	struct fx *f = *state;
	struct crix_error err = {0};
	json_t *out = NULL, *in = json_pack("{s:s}", "title", "x");
	assert_int_equal(alert_publish(&f->env, &f->viewer, in, &out, &err), CRIX_EACCES);
	assert_int_equal(alert_publish(&f->env, &f->anon, in, &out, &err), CRIX_EACCES);
	json_decref(in);

	int64_t c = publish(f, &f->ann, "Clear one", "clear");
	int64_t g = publish(f, &f->ann, "Green one", "green");
	publish(f, &f->bob, "Bank green", "green");
	char buf[512];
	titles(f, &f->anon, false, buf, sizeof buf);
	assert_string_equal(buf, "Clear one");
	titles(f, &f->bob, false, buf, sizeof buf);
	assert_string_equal(buf, "Bank green,Green one,Clear one");
	assert_int_equal(alert_view(&f->env, &f->anon, g, &out, &err), CRIX_ENOTFOUND);
	OK(alert_view(&f->env, &f->anon, c, &out, E));
	assert_null(json_object_get(out, "author")); /* the username stays inside */
	json_decref(out);
	OK(alert_view(&f->env, &f->viewer, c, &out, E));
	assert_string_equal(json_string_value(json_object_get(out, "author")), "user1");
	json_decref(out);

	/* withdrawing: not by another organisation, not by the public (for
	 * whom a GREEN alert does not exist), once by the author's */
	assert_int_equal(alert_withdraw(&f->env, &f->bob, c, &out, &err), CRIX_EACCES);
	assert_int_equal(alert_withdraw(&f->env, &f->anon, g, &out, &err), CRIX_ENOTFOUND);
	assert_int_equal(alert_withdraw(&f->env, &f->viewer, c, &out, &err), CRIX_EACCES);
	OK(alert_withdraw(&f->env, &f->ann, c, &out, E));
	assert_string_equal(json_string_value(json_object_get(out, "status")), "withdrawn");
	json_decref(out);
	assert_int_equal(alert_withdraw(&f->env, &f->ann, c, &out, &err), CRIX_EEXIST);
	assert_int_equal(alert_withdraw(&f->env, &f->ann, 999, &out, &err), CRIX_ENOTFOUND);

	titles(f, &f->anon, false, buf, sizeof buf);
	assert_string_equal(buf, "");
	titles(f, &f->bob, false, buf, sizeof buf);
	assert_string_equal(buf, "Bank green,Green one");
	titles(f, &f->bob, true, buf, sizeof buf);
	assert_string_equal(buf, "Bank green,Green one");
	titles(f, &f->viewer, true, buf, sizeof buf);
	assert_string_equal(buf, "Bank green,Green one,Clear one");
	assert_int_equal(alert_view(&f->env, &f->bob, c, &out, &err), CRIX_ENOTFOUND);
	struct alert_query q = {.all = true, .limit = 5};
	assert_int_equal(alert_list(&f->env, &f->anon, &q, &out, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "all");

	/* every change has its audit entry, and the chain holds */
	struct store_audit *au;
	size_t n;
	OK(store_audit_list(f->s, 0, 100, &au, &n, E));
	int pub = 0, wd = 0;
	for (size_t i = 0; i < n; i++) {
		pub += strcmp(au[i].action, "alert.publish") == 0;
		wd += strcmp(au[i].action, "alert.withdraw") == 0;
	}
	store_audit_array_free(au, n);
	assert_int_equal(pub, 3);
	assert_int_equal(wd, 1);
	int64_t checked, bad;
	OK(audit_verify(f->s, &checked, &bad, E));
}

static void test_paging_and_stix(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 5; i++)
		publish(f, &f->ann, i % 2 ? "Green" : "Clear", i % 2 ? "green" : "clear");
	/* the public's pages hold only CLEAR alerts and are never short while
	 * more remain */
	struct alert_query q = {.limit = 2};
	json_t *out;
	OK(alert_list(&f->env, &f->anon, &q, &out, E));
	assert_int_equal(json_array_size(json_object_get(out, "alerts")), 2);
	q.before = json_integer_value(json_object_get(out, "next"));
	assert_true(q.before > 0);
	json_decref(out);
	OK(alert_list(&f->env, &f->anon, &q, &out, E));
	assert_int_equal(json_array_size(json_object_get(out, "alerts")), 1);
	assert_true(json_is_null(json_object_get(out, "next")));
	json_decref(out);
	struct crix_error err = {0};
	q.category = "no-such";
	assert_int_equal(alert_list(&f->env, &f->anon, &q, &out, &err), CRIX_EINVAL);

	/* STIX: marking, identity, the indicators' objects and a report that
	 * names them all; the phone goes into the description */
	OK(alert_stix(&f->env, &f->anon, 1, &out, E));
	json_t *objs = json_object_get(out, "objects"), *o, *report = NULL;
	size_t i, n = json_array_size(objs);
	json_array_foreach(objs, i, o)
	{
		if (strcmp(json_string_value(json_object_get(o, "type")), "report") == 0)
			report = o;
	}
	assert_non_null(report);
	assert_string_equal(json_string_value(json_object_get(report, "name")), "Clear");
	assert_int_equal(json_array_size(json_object_get(report, "object_refs")), n - 2);
	assert_non_null(strstr(json_string_value(json_object_get(report, "description")),
	                       "phone +447700900123"));
	assert_string_equal(json_string_value(json_array_get(
	                            json_object_get(report, "object_marking_refs"), 0)),
	                    tlp_marking_id(TLP_CLEAR));
	json_decref(out);
	assert_int_equal(alert_stix(&f->env, &f->anon, 2, &out, &err), CRIX_ENOTFOUND);

	/* an expiring alert's indicators are valid until it expires */
	json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:s,s:[s],s:s}", "title", "Until", "summary", "s",
	                       "advice", "a", "category", "phishing", "tlp", "clear", "indicators",
	                       "evil.example.com", "expires", "2099-01-01");
	OK(alert_publish(&f->env, &f->ann, in, &out, E));
	json_decref(in);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	OK(alert_stix(&f->env, &f->anon, id, &out, E));
	int indicators = 0;
	json_array_foreach(json_object_get(out, "objects"), i, o)
	{
		if (strcmp(json_string_value(json_object_get(o, "type")), "indicator") != 0)
			continue;
		indicators++;
		assert_string_equal(json_string_value(json_object_get(o, "valid_until")),
		                    "2099-01-01T00:00:00.000Z");
	}
	assert_int_equal(indicators, 1);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_validate_cases),
	        cmocka_unit_test(test_validate_canonical),
	        cmocka_unit_test(test_permissions),
	        cmocka_unit_test(test_visibility),
	        cmocka_unit_test_setup_teardown(test_publish_list_withdraw, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_paging_and_stix, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
