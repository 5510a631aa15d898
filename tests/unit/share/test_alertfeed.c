/*
 * test_alertfeed.c - the TAXII collection of alerts (src/share/alertfeed.c)
 * over a real SQLite store: nobody sees it while there is no alert; the
 * public its CLEAR alerts, members GREEN ones too; pages by next that
 * concatenate to the whole; bad filters named; a withdrawn alert served as
 * the revoked versions of its report and indicators only.  Run from the
 * repository root (data/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "share/alertfeed.h"
#include "unit/store/storefx.h"

static struct catalogue *cat;
static struct ioc_ctx *ioc;

struct fx {
	char *dir;
	struct store *s;
	struct alert_env env;
	struct principal ann, bob, anon;
};

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

static struct principal user(int64_t uid, int64_t org)
{
	struct principal p = {.authenticated = true,
	                      .user_id = uid,
	                      .org_id = org,
	                      .role = ROLE_ANALYST,
	                      .org_kind = ORG_CERT};
	snprintf(p.username, sizeof p.username, "user%lld", (long long)uid);
	snprintf(p.actor, sizeof p.actor, "user:%lld:user%lld", (long long)uid, (long long)uid);
	return p;
}

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
	f->ann = user(1, o1.id);
	f->bob = user(2, o2.id);
	account_principal_public(&f->anon);
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
	struct crix_error err = {0};
	json_t *in =
	        json_pack("{s:s,s:s,s:s,s:s,s:s,s:[s,s]}", "title", title, "summary",
	                  "Texts naming Mr Innocent.", "advice", "Do not click.", "category",
	                  "phishing", "tlp", tlp, "indicators", "evil.example.com", "198.51.100.7");
	json_t *out;
	if (alert_publish(&f->env, p, in, &out, &err) != 0)
		fail_msg("alert_publish: %s", err.msg);
	json_decref(in);
	int64_t id = json_integer_value(json_object_get(out, "id"));
	json_decref(out);
	return id;
}

/* One page for p.  OUT: *page; the answer parsed (NULL on an error, rc). */
static json_t *page_of(struct fx *f, const struct principal *p, const struct sharing_query *q,
                       enum sharing_view view, struct sharing_page *page, int *rc,
                       struct crix_error *err)
{
	char *text = NULL;
	size_t len;
	*rc = alertfeed_objects(&f->env, p, q, view, &text, &len, page, err);
	json_t *j = *rc == 0 ? json_loadb(text, len, 0, NULL) : NULL;
	free(text);
	return j;
}

/* The ids p is served, "id,id,...", following next by pages of limit. */
static void ids_of(struct fx *f, const struct principal *p, size_t limit, char *buf, size_t cap)
{
	struct crix_error err = {0};
	char next[32] = "";
	size_t n = 0;
	buf[0] = '\0';
	for (int guard = 0; guard < 1000; guard++) {
		struct sharing_query q = {.limit = limit, .next = next[0] ? next : NULL};
		struct sharing_page page;
		int rc;
		json_t *j = page_of(f, p, &q, SHARING_OBJECTS, &page, &rc, &err);
		assert_int_equal(rc, 0);
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(j, "objects"), i, o) n += (size_t)snprintf(
		        buf + n, cap - n, "%s,", json_string_value(json_object_get(o, "id")));
		json_decref(j);
		assert_true(n < cap);
		if (!page.more)
			return;
		snprintf(next, sizeof next, "%s", page.next);
	}
	fail_msg("paging did not end");
}

static size_t count_type(struct fx *f, const struct principal *p, const char *type, const char *key,
                         bool *seen_key)
{
	struct crix_error err = {0};
	struct sharing_query q = {.types = type, .limit = 1000};
	struct sharing_page page;
	int rc;
	json_t *j = page_of(f, p, &q, SHARING_OBJECTS, &page, &rc, &err);
	assert_int_equal(rc, 0);
	size_t i, n = 0;
	json_t *o;
	*seen_key = false;
	json_array_foreach(json_object_get(j, "objects"), i, o)
	{
		n++;
		if (key != NULL && json_object_get(o, key) != NULL)
			*seen_key = true;
	}
	json_decref(j);
	return n;
}

static void test_who_sees_what(void **state)
{
	struct fx *f = *state;
	struct crix_error err = {0};
	bool yes = true, key;
	assert_int_equal(alertfeed_visible(&f->env, &f->ann, &yes, &err), 0);
	assert_false(yes);
	struct sharing_query q = {0};
	struct sharing_page page;
	int rc;
	assert_null(page_of(f, &f->ann, &q, SHARING_OBJECTS, &page, &rc, &err));
	assert_int_equal(rc, CRIX_ENOTFOUND);

	int64_t green = publish(f, &f->ann, "Fake bank calls", "green");
	assert_int_equal(alertfeed_visible(&f->env, &f->anon, &yes, &err), 0);
	assert_false(yes);
	assert_int_equal(alertfeed_visible(&f->env, &f->bob, &yes, &err), 0);
	assert_true(yes);
	int64_t clear = publish(f, &f->bob, "Parcel texts", "clear");
	assert_int_equal(alertfeed_visible(&f->env, &f->anon, &yes, &err), 0);
	assert_true(yes);
	assert_int_equal(count_type(f, &f->anon, "report", NULL, &key), 1);
	assert_int_equal(count_type(f, &f->bob, "report", NULL, &key), 2);
	/* one identity per organisation, one marking per TLP */
	assert_int_equal(count_type(f, &f->bob, "identity", NULL, &key), 2);
	assert_int_equal(count_type(f, &f->bob, "marking-definition", NULL, &key), 2);

	/* pages of 1 and 3 give what one page gives */
	char whole[8192], paged[8192];
	ids_of(f, &f->bob, 1000, whole, sizeof whole);
	ids_of(f, &f->bob, 1, paged, sizeof paged);
	assert_string_equal(paged, whole);
	ids_of(f, &f->bob, 3, paged, sizeof paged);
	assert_string_equal(paged, whole);

	/* withdrawn: the report and the indicators, revoked, the text gone */
	json_t *out;
	assert_int_equal(alert_withdraw(&f->env, &f->bob, clear, &out, &err), 0);
	json_decref(out);
	assert_int_equal(count_type(f, &f->anon, "report", "revoked", &key), 1);
	assert_true(key);
	assert_int_equal(count_type(f, &f->anon, "report", "description", &key), 1);
	assert_false(key);
	assert_int_equal(count_type(f, &f->anon, "indicator", "revoked", &key), 2);
	assert_true(key);
	assert_int_equal(count_type(f, &f->anon, "identity", NULL, &key), 0);
	/* members get ann's current indicators beside the revoked ones */
	assert_int_equal(count_type(f, &f->bob, "indicator", "revoked", &key), 4);
	(void)green;
}

static void test_bad_filters(void **state)
{
	struct fx *f = *state;
	publish(f, &f->ann, "Parcel texts", "clear");
	const struct {
		struct sharing_query q;
		const char *field;
	} cases[] = {
	        {{.next = "abc"}, "next"},
	        {{.next = "12-"}, "next"},
	        {{.next = "-1-2"}, "next"},
	        {{.added_after = "yesterday"}, "added_after"},
	        {{.version = "soon"}, "match[version]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct crix_error err = {0};
		struct sharing_page page;
		int rc;
		assert_null(page_of(f, &f->anon, &cases[i].q, SHARING_OBJECTS, &page, &rc, &err));
		assert_int_equal(rc, CRIX_EINVAL);
		assert_string_equal(err.field, cases[i].field);
	}
	/* an empty page is {"more": false}, without objects */
	struct crix_error err = {0};
	struct sharing_query q = {.types = "malware"};
	struct sharing_page page;
	int rc;
	json_t *j = page_of(f, &f->anon, &q, SHARING_MANIFEST, &page, &rc, &err);
	assert_int_equal(rc, 0);
	assert_null(json_object_get(j, "objects"));
	assert_true(json_is_false(json_object_get(j, "more")));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_who_sees_what, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_filters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
