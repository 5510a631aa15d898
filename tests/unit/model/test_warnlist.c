/*
 * test_warnlist.c - MISP warning lists in the server (src/model/warnlist.c)
 * and their effect on cases (src/model/cases.c): listed values, networks and
 * parent domains are benign; e-mail addresses and URLs are never benign by
 * their host; a benign value shared by two reports does not join them.
 * Reads the reference lists in ../shared/data/warninglists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/cases.h"
#include "model/warnlist.h"
#include "store/store.h"
#include "unit/store/storefx.h"

#define LISTS "../shared/data/warninglists"

struct fx {
	struct ioc_ctx *ioc;
	struct warnlist *w;
};

static int setup(void **state)
{
	static struct fx f;
	size_t lists, values;
	/* The reference lists live beside the repository (../shared); a clone
	 * elsewhere has none, and the tests skip. */
	struct stat st;
	if (stat(LISTS, &st) != 0) {
		fprintf(stderr, "test_warnlist: %s not found: skipping\n", LISTS);
		*state = NULL;
		return 0;
	}
	if (ioc_ctx_new(&f.ioc, NULL) != 0)
		return -1;
	struct crix_error err = {0};
	if (warnlist_load_dir(f.ioc, LISTS, &f.w, &lists, &values, &err) != 0) {
		fprintf(stderr, "warnlist_load_dir: %s\n", err.msg);
		return -1;
	}
	if (lists < 10 || values < 1000) {
		fprintf(stderr, "only %zu lists, %zu values\n", lists, values);
		return -1;
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f == NULL)
		return 0;
	warnlist_free(f->w);
	ioc_ctx_free(f->ioc);
	return 0;
}

static bool holds(struct fx *f, enum ioc_type t, const char *v, const char **list)
{
	return warnlist_holds(f->w, t, v, strlen(v), list);
}

static void test_holds(void **state)
{
	struct fx *f = *state;
	if (f == NULL)
		skip();
	const char *list;
	assert_true(holds(f, IOC_IPV4, "8.8.8.8", &list));
	assert_non_null(strstr(list, "public-dns-v4"));
	assert_true(holds(f, IOC_IPV4, "192.168.1.20", &list)); /* inside 192.168.0.0/16 */
	assert_non_null(strstr(list, "rfc1918"));
	assert_false(holds(f, IOC_IPV4, "203.0.113.9", &list) && strstr(list, "rfc1918"));
	assert_false(holds(f, IOC_DOMAIN, "evil-shop-4242.net", NULL));
	assert_true(holds(f, IOC_DOMAIN, "0.it4tech.ru", NULL));
	assert_true(holds(f, IOC_DOMAIN, "sub.0.it4tech.ru", NULL)); /* a listed parent */
	/* never by the host */
	assert_false(holds(f, IOC_EMAIL, "crook@0.it4tech.ru", NULL));
	assert_false(holds(f, IOC_URL, "http://8.8.8.8/phish", NULL));
	assert_false(warnlist_holds(NULL, IOC_IPV4, "8.8.8.8", 7, NULL));
	struct warnlist *none;
	size_t l, v;
	struct crix_error err = {0};
	assert_int_equal(warnlist_load_dir(f->ioc, "/nonexistent-dir", &none, &l, &v, &err),
	                 CRIX_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent-dir"));
}

/* Two reports sharing only a benign value stay apart; a real shared value
 * joins them, and the case view names the list. */
static void test_cases_ignore_benign(void **state)
{
	struct fx *f = *state;
	if (f == NULL)
		skip();
	char *dir;
	struct store *s;
	struct crix_error err = {0};
	assert_int_equal(storefx_open(&dir, &s), 0);
	struct cases *k;
	uint64_t n;
	assert_int_equal(cases_open(s, 0, f->w, &k, &n, &err), 0);
	struct corr_value dns = {IOC_IPV4, "8.8.8.8", 7};
	struct corr_value both[] = {{IOC_IPV4, "8.8.8.8", 7},
	                            {IOC_DOMAIN, "c2.badguys-4242.net", 19}};
	assert_int_equal(cases_add(k, 1, &dns, 1, false, &err), 0);
	assert_int_equal(cases_add(k, 2, both, 2, false, &err), 0);
	struct corr_value c2 = {IOC_DOMAIN, "c2.badguys-4242.net", 19};
	assert_int_equal(cases_add(k, 3, &c2, 1, false, &err), 0);
	uint32_t size;
	assert_int_equal(cases_of(k, 1, &size), 1);
	assert_int_equal(size, 1); /* 8.8.8.8 is public DNS: no link */
	assert_int_equal(cases_of(k, 3, &size), 2);
	assert_int_equal(size, 2); /* the C2 domain links 2 and 3 */
	assert_int_equal(cases_of(k, 9, &size), 9);
	assert_int_equal(size, 1);
	cases_free(k);
	storefx_close(dir, s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_holds),
	        cmocka_unit_test(test_cases_ignore_benign),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
