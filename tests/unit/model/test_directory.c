/*
 * test_directory.c - the directory for picking organisations and users by
 * name (src/model/directory.c): who may list what, as a table; the search
 * text's checks, each naming q; and searches through a real store in a
 * temporary directory: prefix matches first, at most DIRECTORY_RESULTS with
 * "more" said, disabled users and password hashes left out; users across
 * the organisations a caller may list (an organisation at a time, over
 * more than a page of organisations), and by id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/account.h"
#include "model/directory.h"
#include "unit/store/storefx.h"

#define OWN   5
#define OTHER 6

static struct principal who(enum role r, int64_t org)
{
	struct principal p = {.authenticated = true, .user_id = 50, .org_id = org, .role = r};
	p.org_kind = ORG_BUSINESS;
	return p;
}

static void test_who_may_list(void **state)
{
	(void)state;
	struct principal pub;
	account_principal_public(&pub);
	assert_false(directory_may_list_orgs(&pub));
	assert_false(directory_may_list_users(&pub, OWN, false));
	assert_false(directory_may_list_users(&pub, OWN, true));
	/* Every role of a member organisation: organisations yes; users of its
	 * own organisation and of group partners, never of anyone else. */
	for (enum role r = ROLE_VIEWER; r <= ROLE_ORG_ADMIN; r++) {
		struct principal p = who(r, OWN);
		assert_true(directory_may_list_orgs(&p));
		assert_true(directory_may_list_users(&p, OWN, false));
		assert_true(directory_may_list_users(&p, OTHER, true));
		assert_false(directory_may_list_users(&p, OTHER, false));
		assert_false(directory_may_list_users(&p, 0, false));
	}
	/* An admin, even of no organisation (the CLI's principal), sees all. */
	struct principal cli;
	account_principal_cli(&cli);
	assert_true(directory_may_list_orgs(&cli));
	assert_true(directory_may_list_users(&cli, OTHER, false));
	/* A user of no organisation who is not an admin: nothing. */
	struct principal orphan = who(ROLE_ANALYST, 0);
	assert_false(directory_may_list_orgs(&orphan));
	assert_false(directory_may_list_users(&orphan, OWN, true));
}

static void test_query(void **state)
{
	(void)state;
	char f[DIRECTORY_Q_MAX + 1];
	struct crix_error err = {0};
	assert_int_equal(directory_query("PaRt", f, &err), 0);
	assert_string_equal(f, "part");
	assert_int_equal(directory_query("Éc", f, &err), 0); /* two characters, three bytes */
	assert_string_equal(f, "Éc");
	const char *bad[] = {NULL, "", "a", "É", "a\tb", "ab\x7f", "\xff\xfe"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(directory_query(bad[i], f, &err), CRIX_EINVAL);
		assert_string_equal(err.field, "q");
		assert_memory_equal(err.msg, "q: ", 3);
	}
	char big[DIRECTORY_Q_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(directory_query(big, f, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "at most 64 bytes"));
	big[DIRECTORY_Q_MAX] = '\0';
	assert_int_equal(directory_query(big, f, NULL), 0);
}

static void test_match(void **state)
{
	(void)state;
	assert_int_equal(directory_match("Partner CERT", "part"), 2);
	assert_int_equal(directory_match("National CERT", "cert"), 1);
	assert_int_equal(directory_match("National CERT", "certs"), 0);
	assert_int_equal(directory_match("ab", "abc"), 0);
	assert_int_equal(directory_match("aab", "ab"), 1);
}

struct fx {
	char *dir;
	struct store *s;
	struct principal cli;
	int64_t shop;
};

static int64_t org(struct fx *f, const char *name)
{
	struct store_org o = {0};
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.kind, sizeof o.kind, "business");
	snprintf(o.country, sizeof o.country, "FR");
	struct crix_error err = {0};
	if (account_org_create(f->s, &f->cli, &o, &err) != 0)
		fail_msg("account_org_create(%s): %s", name, err.msg);
	return o.id;
}

static void user(struct fx *f, int64_t o, const char *name, bool disabled)
{
	struct store_user u = {.org_id = o};
	snprintf(u.username, sizeof u.username, "%s", name);
	snprintf(u.role, sizeof u.role, "analyst");
	struct crix_error err = {0};
	if (account_user_create(f->s, &f->cli, &u, "correct horse battery", NULL, &err) != 0)
		fail_msg("account_user_create(%s): %s", name, err.msg);
	if (disabled) {
		u.disabled = 1;
		if (account_user_update(f->s, &f->cli, &u, NULL, &err) != 0)
			fail_msg("account_user_update(%s): %s", name, err.msg);
	}
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (f == NULL || secret_init(NULL) != 0 || storefx_open(&f->dir, &f->s) != 0)
		return -1;
	account_principal_cli(&f->cli);
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

static void test_orgs(void **state)
{
	struct fx *f = *state;
	org(f, "National CERT");
	int64_t partner = org(f, "Partner CERT");
	org(f, "Shop C");
	/* 30 more that hold "cert" in the middle: the answer stops at 20. */
	for (int i = 0; i < 30; i++) {
		char n[32];
		snprintf(n, sizeof n, "Z%02d Cert office", i);
		org(f, n);
	}
	struct store_org *o;
	size_t n;
	bool more;
	struct crix_error err = {0};
	assert_int_equal(directory_orgs(f->s, "part", &o, &n, &more, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].id, partner);
	assert_string_equal(o[0].kind, "business");
	assert_false(more);
	free(o);
	assert_int_equal(directory_orgs(f->s, "cert", &o, &n, &more, &err), 0);
	assert_int_equal(n, DIRECTORY_RESULTS);
	assert_true(more);
	/* no prefix match: by name */
	assert_string_equal(o[0].name, "National CERT");
	assert_string_equal(o[1].name, "Partner CERT");
	assert_string_equal(o[2].name, "Z00 Cert office");
	assert_string_equal(o[19].name, "Z17 Cert office");
	free(o);
	/* a prefix match comes before the others, whatever its name */
	assert_int_equal(directory_orgs(f->s, "z29", &o, &n, &more, &err), 0);
	assert_int_equal(n, 1);
	free(o);
	assert_int_equal(directory_orgs(f->s, "sh", &o, &n, &more, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(o[0].name, "Shop C");
	free(o);
	assert_int_equal(directory_orgs(f->s, "nobody", &o, &n, &more, &err), 0);
	assert_int_equal(n, 0);
	assert_false(more);
	free(o);
}

static void test_users(void **state)
{
	struct fx *f = *state;
	int64_t a = org(f, "Org A"), b = org(f, "Org B");
	user(f, a, "ben.analyst", false);
	user(f, a, "albert", false);
	user(f, a, "benedict", true);
	user(f, b, "bennet", false);
	struct store_user *u;
	size_t n;
	bool more;
	struct crix_error err = {0};
	assert_int_equal(directory_users(f->s, a, "be", &u, &n, &more, &err), 0);
	/* ben first (prefix), then albert; not the disabled benedict, nor
	 * bennet of another organisation */
	assert_int_equal(n, 2);
	assert_string_equal(u[0].username, "ben.analyst");
	assert_string_equal(u[1].username, "albert");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(u[i].org_id, a);
		assert_string_equal(u[i].pw_hash, "");
	}
	free(u);
}

/* The partner rule as the sharing module would answer it: one partner. */
static bool partner_of(void *arg, int64_t org_id)
{
	return org_id == *(int64_t *)arg;
}

/* The usernames directory_users_visible finds for p with one partner
 * organisation (0: none), joined by ',' (then ",more" when it says so);
 * no password hash among them. */
static const char *visible(struct fx *f, const struct principal *p, int64_t partner, const char *q)
{
	static char out[512];
	struct directory_partners pt = {partner_of, &partner};
	struct store_user *u;
	size_t n, used = 0;
	bool more;
	struct crix_error err = {0};
	if (directory_users_visible(f->s, p, &pt, q, &u, &n, &more, &err) != 0)
		fail_msg("directory_users_visible(%s): %s", q, err.msg);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(u[i].pw_hash, "");
		used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", i ? "," : "",
		                         u[i].username);
		assert_true(used < sizeof out);
	}
	if (more)
		snprintf(out + used, sizeof out - used, ",more");
	free(u);
	return out;
}

static void test_users_across(void **state)
{
	struct fx *f = *state;
	int64_t a = org(f, "Org A"), b = org(f, "Org B"), c = org(f, "Org C");
	user(f, a, "ben.a", false);
	user(f, b, "ben.b", false);
	user(f, b, "benedict", true);
	user(f, c, "ben.c", false);
	struct directory_partners pt = {partner_of, &b};
	struct principal p = who(ROLE_ANALYST, a);
	struct store_user *u;
	size_t n;
	bool more;
	struct crix_error err = {0};
	/* a's analyst: its own and its partner b's; not c's, not the disabled;
	 * no partner: its own only; an admin: everyone enabled */
	assert_string_equal(visible(f, &p, b, "ben"), "ben.a,ben.b");
	assert_string_equal(visible(f, &p, 0, "ben"), "ben.a");
	account_principal_cli(&p);
	assert_int_equal(directory_users_visible(f->s, &p, NULL, "ben", &u, &n, &more, &err), 0);
	assert_int_equal(n, 3);
	free(u);
	/* by id: in the order given, leaving out c's and an unknown id */
	p = who(ROLE_VIEWER, a);
	struct store_user *all;
	assert_int_equal(directory_users_visible(f->s, &f->cli, NULL, "be", &all, &n, &more, &err),
	                 0);
	int64_t ids[6] = {9999};
	for (size_t i = 0; i < n; i++)
		ids[i + 1] = all[n - 1 - i].id;
	free(all);
	assert_int_equal(directory_users_named(f->s, &p, &pt, ids, n + 1, &u, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(u[0].username, "ben.b");
	assert_string_equal(u[1].username, "ben.a");
	free(u);
	int64_t many[DIRECTORY_IDS_MAX + 1] = {0};
	assert_int_equal(
	        directory_users_named(f->s, &p, &pt, many, DIRECTORY_IDS_MAX + 1, &u, &n, &err),
	        CRIX_EINVAL);
	assert_string_equal(err.field, "ids");
}

/* More organisations than a page of them (500): a non-admin's search reads
 * its own organisation's users and those of each partner, wherever the
 * partner stands in the list, and no other's. */
static void test_users_across_pages_of_orgs(void **state)
{
	struct fx *f = *state;
	int64_t first = 0, mid = 0, last = 0;
	for (int i = 0; i < 520; i++) {
		char name[32];
		snprintf(name, sizeof name, "Org %03d", i);
		int64_t id = org(f, name);
		first = i == 0 ? id : first;
		mid = i == 260 ? id : mid;
		last = id;
	}
	user(f, mid, "ben.own", false);
	user(f, first, "ben.first", false);
	user(f, last, "ben.last", false);
	user(f, last, "bend.gone", true);
	struct principal p = who(ROLE_ANALYST, mid);
	assert_string_equal(visible(f, &p, last, "ben"), "ben.last,ben.own");
	assert_string_equal(visible(f, &p, first, "ben"), "ben.first,ben.own");
	p = who(ROLE_VIEWER, first);
	assert_string_equal(visible(f, &p, 0, "ben"), "ben.first");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_who_may_list),
	        cmocka_unit_test(test_query),
	        cmocka_unit_test(test_match),
	        cmocka_unit_test_setup_teardown(test_orgs, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_users, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_users_across, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_users_across_pages_of_orgs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
