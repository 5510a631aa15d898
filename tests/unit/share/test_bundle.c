/*
 * test_bundle.c - the streaming bundle scanner (src/share/bundle.c): the
 * elements of "objects" come out as their exact bytes whatever the sizes of
 * the pieces fed (every split of each case, down to one byte at a time);
 * other members are skipped; malformed bundles fail naming the byte; an
 * element over the cap is CRIX_ETOOBIG.  Cases are data: input -> elements.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "share/bundle.h"

struct got {
	char text[4096]; /* elements joined by '|' */
	size_t n;
};

static int collect(void *arg, size_t index, const char *obj, size_t len)
{
	struct got *g = arg;
	assert_int_equal(index, g->n);
	size_t k = strlen(g->text);
	snprintf(g->text + k, sizeof g->text - k, "%s%.*s", g->n ? "|" : "", (int)len, obj);
	g->n++;
	return 0;
}

/* Scans s fed in pieces of step bytes.  OUT: g.  Returns the result. */
static int scan(const char *s, size_t step, size_t max, struct got *g, struct crix_error *err)
{
	memset(g, 0, sizeof *g);
	struct bundle_scan *b;
	assert_int_equal(bundle_scan_new(max, collect, g, &b, err), 0);
	size_t n = strlen(s);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i += step)
		rc = bundle_scan_feed(b, s + i, n - i < step ? n - i : step, err);
	size_t objects = 0;
	if (rc == 0)
		rc = bundle_scan_end(b, &objects, err);
	if (rc == 0)
		assert_int_equal(objects, g->n);
	bundle_scan_free(b);
	return rc;
}

static const struct {
	const char *in, *out;
} good[] = {
        {"{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[{\"a\":1},{\"b\":[2,{\"c\":\"}\"}]"
         "}]}",
         "{\"a\":1}|{\"b\":[2,{\"c\":\"}\"}]}"},
        {" {\n \"objects\" : [ {\"x\":\"a\\\"]}\"} , {} ] , \"type\":\"bundle\" } \n",
         "{\"x\":\"a\\\"]}\"}|{}"},
        {"{\"objects\":[]}", ""},
        {"{\"spec_version\":2.1,\"n\":null,\"t\":true,\"objects\":[1,\"s\",[3]]}", "1|\"s\"|[3]"},
        {"{\"extra\":{\"objects\":[{\"not\":\"these\"}]},\"objects\":[{\"yes\":1}]}",
         "{\"yes\":1}"},
        {"{\"obj\\u0065cts\":[{\"escaped\":\"key\"}]}", "{\"escaped\":\"key\"}"},
};

static void test_elements_any_split(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		for (size_t step = 1; step <= strlen(good[i].in); step++) {
			struct got g;
			struct crix_error err = {0};
			int rc = scan(good[i].in, step, 0, &g, &err);
			if (rc != 0)
				fail_msg("case %zu step %zu: %s", i, step, err.msg);
			assert_string_equal(g.text, good[i].out);
		}
}

static const struct {
	const char *in, *msg;
} bad[] = {
        {"", "empty"},
        {"[1]", "byte 0: expected a bundle"},
        {"{\"objects\":{}}", "byte 11: expected objects: an array"},
        {"{\"objects\":[{}}", "byte 14: expected ',' or ']'"},
        {"{\"objects\":[{},]}", "byte 15: expected an object"},
        {"{\"type\":\"report\",\"objects\":[]}", "type: must be \"bundle\""},
        {"{\"objects\":[],\"objects\":[]}", "\"objects\" appears twice"},
        {"{\"objects\":[]} x", "byte 15: expected nothing after the bundle"},
        {"{\"id\":}", "byte 6: expected a value"},
        {"{\"id\":tru}", "top-level member"},
        {"{\"type\":\"bundle\"}", "no \"objects\" array"},
        {"{\"objects\":[{\"a\":\"unterminated", "ends early"},
        {"{\"objects\":[{}] \"x\":1}", "byte 16: expected ',' or '}'"},
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		for (size_t step = 1; step <= strlen(bad[i].in) + 1; step += 3) {
			struct got g;
			struct crix_error err = {0};
			int rc = scan(bad[i].in, step, 0, &g, &err);
			if (rc != CRIX_EINVAL)
				fail_msg("case %zu step %zu: rc %d (%s)", i, step, rc, err.msg);
			if (strstr(err.msg, bad[i].msg) == NULL)
				fail_msg("case %zu: '%s' does not say '%s'", i, err.msg,
				         bad[i].msg);
		}
}

static void test_element_cap(void **state)
{
	(void)state;
	struct got g;
	struct crix_error err = {0};
	const char *s = "{\"objects\":[{\"a\":1},{\"long\":\"0123456789012345678901234567890\"}]}";
	for (size_t step = 1; step < 70; step += 7) {
		assert_int_equal(scan(s, step, 32, &g, &err), CRIX_ETOOBIG);
		assert_non_null(strstr(err.msg, "objects[1]"));
		assert_string_equal(g.text, "{\"a\":1}"); /* what came before was handed over */
	}
}

static int stop_at_two(void *arg, size_t index, const char *obj, size_t len)
{
	(void)arg;
	(void)obj;
	(void)len;
	return index == 1 ? CRIX_EIO : 0;
}

static void test_callback_stops(void **state)
{
	(void)state;
	struct bundle_scan *b;
	struct crix_error err = {0};
	assert_int_equal(bundle_scan_new(0, stop_at_two, NULL, &b, &err), 0);
	const char *s = "{\"objects\":[{},{},{}]}";
	assert_int_equal(bundle_scan_feed(b, s, strlen(s), &err), CRIX_EIO);
	bundle_scan_free(b);
	bundle_scan_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_elements_any_split),
	        cmocka_unit_test(test_malformed),
	        cmocka_unit_test(test_element_cap),
	        cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
