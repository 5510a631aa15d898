/*
 * test_err.c - the error convention (src/util/err.c): crix_error_set records
 * the code and a formatted message and returns the code, NULL is accepted
 * wherever an error struct is, and every code has a short name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/err.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_set_returns_code_and_formats(void **state)
{
	(void)state;
	struct crix_error err;
	memset(&err, 'x', sizeof err);
	int rc = crix_error_set(&err, CRIX_EINVAL, "%s: line %d: %zu bytes", "feed.csv", 42,
	                        (size_t)7);
	assert_int_equal(rc, CRIX_EINVAL);
	assert_int_equal(err.code, CRIX_EINVAL);
	assert_string_equal(err.msg, "feed.csv: line 42: 7 bytes");

	/* each code comes back as it went in, the message is replaced */
	static const int codes[] = {CRIX_OK,      CRIX_EINVAL,    CRIX_ENOMEM, CRIX_EIO,
	                            CRIX_ETOOBIG, CRIX_ENOTFOUND, -99,         7};
	for (size_t i = 0; i < COUNT(codes); i++) {
		assert_int_equal(crix_error_set(&err, codes[i], "code %d", codes[i]), codes[i]);
		assert_int_equal(err.code, codes[i]);
		char want[32];
		snprintf(want, sizeof want, "code %d", codes[i]);
		assert_string_equal(err.msg, want);
	}

	/* a plain message, an empty one */
	crix_error_set(&err, CRIX_EIO, "no %%s here");
	assert_string_equal(err.msg, "no %s here");
	crix_error_set(&err, CRIX_EIO, "%s", "");
	assert_string_equal(err.msg, "");
}

/* The caller may not want the message: NULL is fine and the code returns. */
static void test_set_null(void **state)
{
	(void)state;
	assert_int_equal(crix_error_set(NULL, CRIX_ENOMEM, "out of %s", "memory"), CRIX_ENOMEM);
	assert_int_equal(crix_error_set(NULL, CRIX_OK, "fine"), CRIX_OK);
	crix_error_clear(NULL);
	/* the allocation failure every path shares: with and without err */
	assert_int_equal(crix_error_oom(NULL), CRIX_ENOMEM);
	struct crix_error err = {.field = "x"};
	assert_int_equal(crix_error_oom(&err), CRIX_ENOMEM);
	assert_int_equal(err.code, CRIX_ENOMEM);
	assert_string_equal(err.msg, "out of memory");
	assert_string_equal(err.field, "");
}

/* A message longer than the buffer is cut, still NUL-terminated, and nothing
 * after msg is touched. */
static void test_set_truncates(void **state)
{
	(void)state;
	struct {
		struct crix_error err;
		char guard[16];
	} s;
	memset(&s, 'g', sizeof s);
	char longer[CRIX_ERRMSG_MAX * 2];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(crix_error_set(&s.err, CRIX_ETOOBIG, "%s", longer), CRIX_ETOOBIG);
	assert_int_equal(strlen(s.err.msg), CRIX_ERRMSG_MAX - 1);
	assert_int_equal(s.err.msg[CRIX_ERRMSG_MAX - 1], '\0');
	for (size_t i = 0; i < sizeof s.guard; i++)
		assert_int_equal(s.guard[i], 'g');

	/* exactly CRIX_ERRMSG_MAX - 1 characters fit */
	longer[CRIX_ERRMSG_MAX - 1] = '\0';
	crix_error_set(&s.err, CRIX_EINVAL, "%s", longer);
	assert_string_equal(s.err.msg, longer);
}

static void test_clear(void **state)
{
	(void)state;
	struct crix_error err;
	crix_error_set(&err, CRIX_EIO, "disk on fire");
	crix_error_clear(&err);
	assert_int_equal(err.code, CRIX_OK);
	assert_string_equal(err.msg, "");
}

/* crix_error_field: as crix_error_set, and the field at fault is recorded;
 * a later crix_error_set clears it, so that no stale field is reported. */
static void test_field(void **state)
{
	(void)state;
	struct crix_error err;
	memset(&err, 'x', sizeof err);
	int rc = crix_error_field(&err, "suspect.emails[1]", CRIX_EINVAL,
	                          "%s: '%s' is not an e-mail address", "suspect.emails[1]", "bob@");
	assert_int_equal(rc, CRIX_EINVAL);
	assert_int_equal(err.code, CRIX_EINVAL);
	assert_string_equal(err.field, "suspect.emails[1]");
	assert_string_equal(err.msg, "suspect.emails[1]: 'bob@' is not an e-mail address");

	/* replaced by the next one */
	assert_int_equal(crix_error_field(&err, "", CRIX_ETOOBIG, "the body is too large"),
	                 CRIX_ETOOBIG);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, "the body is too large");
	crix_error_field(&err, "description", CRIX_EINVAL, "description: is required");
	assert_int_equal(crix_error_field(&err, NULL, CRIX_EIO, "io"), CRIX_EIO);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, "io");

	/* crix_error_set and crix_error_clear clear the field */
	crix_error_field(&err, "category", CRIX_EINVAL, "category: unknown");
	crix_error_set(&err, CRIX_ENOMEM, "out of memory");
	assert_string_equal(err.field, "");
	assert_int_equal(err.code, CRIX_ENOMEM);
	crix_error_field(&err, "category", CRIX_EINVAL, "category: unknown");
	crix_error_clear(&err);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, "");
	assert_int_equal(err.code, CRIX_OK);

	/* NULL is fine */
	assert_int_equal(crix_error_field(NULL, "f", CRIX_EACCES, "no"), CRIX_EACCES);
}

/* A field name longer than the struct holds is cut and terminated, and the
 * message is cut as crix_error_set cuts it; nothing after err is touched. */
static void test_field_truncates(void **state)
{
	(void)state;
	struct {
		struct crix_error err;
		char guard[16];
	} s;
	memset(&s, 'g', sizeof s);
	char field[200], msg[CRIX_ERRMSG_MAX * 2];
	memset(field, 'f', sizeof field - 1);
	field[sizeof field - 1] = '\0';
	memset(msg, 'm', sizeof msg - 1);
	msg[sizeof msg - 1] = '\0';
	assert_int_equal(crix_error_field(&s.err, field, CRIX_EINVAL, "%s", msg), CRIX_EINVAL);
	assert_int_equal(strlen(s.err.field), sizeof s.err.field - 1);
	assert_memory_equal(s.err.field, field, sizeof s.err.field - 1);
	assert_int_equal(strlen(s.err.msg), CRIX_ERRMSG_MAX - 1);
	for (size_t i = 0; i < sizeof s.guard; i++)
		assert_int_equal(s.guard[i], 'g');
	/* exactly what fits */
	field[sizeof s.err.field - 1] = '\0';
	crix_error_field(&s.err, field, CRIX_EINVAL, "x");
	assert_string_equal(s.err.field, field);
}

static const struct {
	int code;
	const char *name;
} names[] = {
        {CRIX_OK, "ok"},
        {CRIX_EINVAL, "invalid input"},
        {CRIX_ENOMEM, "out of memory"},
        {CRIX_EIO, "input/output error"},
        {CRIX_ETOOBIG, "limit exceeded"},
        {CRIX_ENOTFOUND, "not found"},
        {CRIX_EEXIST, "already exists"},
        {CRIX_EBUSY, "busy"},
        {CRIX_EACCES, "not allowed"},
        {-9, "unknown error"},
        {-1000, "unknown error"},
        {1, "unknown error"},
        {2147483647, "unknown error"},
};

static void test_strerror(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(names); i++)
		assert_string_equal(crix_strerror(names[i].code), names[i].name);
	/* the codes are the documented values, and distinct names for each */
	assert_int_equal(CRIX_OK, 0);
	assert_int_equal(CRIX_EINVAL, -1);
	assert_int_equal(CRIX_ENOMEM, -2);
	assert_int_equal(CRIX_EIO, -3);
	assert_int_equal(CRIX_ETOOBIG, -4);
	assert_int_equal(CRIX_ENOTFOUND, -5);
	for (int a = CRIX_ENOTFOUND; a <= CRIX_OK; a++)
		for (int b = a + 1; b <= CRIX_OK; b++)
			assert_string_not_equal(crix_strerror(a), crix_strerror(b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_set_returns_code_and_formats),
	        cmocka_unit_test(test_set_null),
	        cmocka_unit_test(test_set_truncates),
	        cmocka_unit_test(test_clear),
	        cmocka_unit_test(test_field),
	        cmocka_unit_test(test_field_truncates),
	        cmocka_unit_test(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
