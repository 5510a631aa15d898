/*
 * test_email.c - e-mail addresses (src/ioc/email.c): the local part kept as
 * written (a dot-atom of at most 64 characters), the domain canonical.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ioc/ioc_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define L10 "abcdefghij"
#define L64 L10 L10 L10 L10 L10 L10 "klmn"
#define L65 L64 "o"
#define D63 L10 L10 L10 L10 L10 L10 "abc"
/* a 189-character domain: 63 + 1 + 63 + 1 + 57 + 1 + 3 */
#define D189                                                                                       \
	D63 "." D63 "." L10 L10 L10 L10 L10 "abcdefg"                                              \
	    ".com"

struct valid_case {
	const char *in;
	const char *want;
};

struct invalid_case {
	const char *in;
	const char *reason;
};

static const struct valid_case valid[] = {
        /* the local part keeps its case, the domain is lower-cased */
        {"Bob.Smith@Example.COM", "Bob.Smith@example.com"},
        {"bob@evil.com", "bob@evil.com"},
        {"BOB@EVIL.CO.UK", "BOB@evil.co.uk"},
        {"bob@evil.com.", "bob@evil.com"},
        {"bob@Mail.Evil.Com", "bob@mail.evil.com"},
        /* dot-atom: every atext character, single inner dots */
        {"a!#$%&'*+/=?^_`{|}~-z@evil.com", "a!#$%&'*+/=?^_`{|}~-z@evil.com"},
        {"user+tag@sub.evil.com", "user+tag@sub.evil.com"},
        {"a.b.c@evil.com", "a.b.c@evil.com"},
        {"x@evil.com", "x@evil.com"},
        {"1@evil.com", "1@evil.com"},
        {"-@evil.com", "-@evil.com"},
        {"o'brien@evil.ie", "o'brien@evil.ie"},
        /* IDN domain */
        {"x@bücher.de", "x@xn--bcher-kva.de"},
        {"Info@BÜCHER.DE", "Info@xn--bcher-kva.de"},
        /* limits: 64-character local part, 254-character address */
        {L64 "@evil.com", L64 "@evil.com"},
        {L64 "@" D189, L64 "@" D189},
};

static const struct invalid_case invalid[] = {
        /* the '@' */
        {"bobevil.com", "email: missing '@'"},
        {"", "missing '@'"},
        {"@evil.com", "email: empty local part"},
        {"@", "empty local part"},
        {"a@b@evil.com", "email: invalid character in the local part at position 2"},
        /* dots */
        {".bob@evil.com", "email: misplaced '.' in the local part"},
        {"bob.@evil.com", "misplaced '.'"},
        {"bo..b@evil.com", "misplaced '.'"},
        {".@evil.com", "misplaced '.'"},
        /* characters outside atext */
        {"bob smith@evil.com", "email: invalid character in the local part at position 4"},
        {"bo\"b@evil.com", "invalid character in the local part at position 3"},
        {"\"bob\"@evil.com", "invalid character in the local part at position 1"},
        {"bob(x)@evil.com", "invalid character in the local part at position 4"},
        {"bob,x@evil.com", "invalid character in the local part at position 4"},
        {"bob<x@evil.com", "invalid character in the local part"},
        {"bob\\x@evil.com", "invalid character in the local part"},
        {"bob[x]@evil.com", "invalid character in the local part"},
        {"bob;x@evil.com", "invalid character in the local part"},
        {"bob:x@evil.com", "invalid character in the local part"},
        {"bobé@evil.com", "invalid character in the local part at position 4"},
        {"bob\tx@evil.com", "invalid character in the local part"},
        /* length */
        {L65 "@evil.com", "email: local part longer than 64 characters"},
        {L64 "@a." D189, "email: longer than 254 characters"},
        /* the domain */
        {"bob@", "email: domain: empty name"},
        {"bob@localhost", "email: domain: a single label is not a registrable domain"},
        {"bob@evil", "a single label"},
        {"bob@evil.invalidtld", "'.invalidtld' is not a known top-level domain"},
        {"bob@co.uk", "is a public suffix"},
        {"bob@[1.2.3.4]", "domain: invalid character '['"},
        {"bob@1.2.3.4", "domain: the last label is a number"},
        {"bob@ev_il.com", "invalid character '_'"},
        {"bob@evil..com", "empty label"},
        {"bob@-evil.com", "starts or ends with '-'"},
        {"bob@evil.com>", "invalid character '>'"},
        {"bob@evil com", "invalid character ' '"},
};

static int setup(void **state)
{
	struct ioc_ctx *ctx;
	struct crix_error err = {0};
	if (ioc_ctx_new(&ctx, &err) != 0) {
		print_error("ioc_ctx_new: %s\n", err.msg);
		return -1;
	}
	*state = ctx;
	return 0;
}

static int teardown(void **state)
{
	ioc_ctx_free(*state);
	return 0;
}

/* Parses a heap copy of exactly strlen(in) bytes, so ASan sees overreads. */
static int parse(void **state, const char *in, struct ioc_value *out, struct crix_error *err)
{
	size_t n = strlen(in);
	char *copy = malloc(n > 0 ? n : 1);
	assert_non_null(copy);
	memcpy(copy, in, n);
	int rc = ioc_parse_email(*state, copy, n, out, err);
	free(copy);
	return rc;
}

static void test_valid(void **state)
{
	for (size_t i = 0; i < COUNT(valid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(state, valid[i].in, &out, &err);
		if (rc != 0)
			fail_msg("\"%s\": rc %d: %s", valid[i].in, rc, err.msg);
		if (strcmp(out.v, valid[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", valid[i].in, out.v,
			         valid[i].want);
		assert_int_equal(out.len, strlen(valid[i].want));
		assert_int_equal(out.type, IOC_EMAIL);
	}
}

static void test_invalid(void **state)
{
	for (size_t i = 0; i < COUNT(invalid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(state, invalid[i].in, &out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\": rc %d, want CRIX_EINVAL (value \"%s\")", invalid[i].in,
			         rc, rc == 0 ? out.v : "");
		assert_int_equal(err.code, CRIX_EINVAL);
		if (strstr(err.msg, invalid[i].reason) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", invalid[i].in, err.msg,
			         invalid[i].reason);
		assert_int_equal(parse(state, invalid[i].in, &out, NULL), CRIX_EINVAL);
	}
}

/* The canonical form is a fixed point. */
static void test_idempotent(void **state)
{
	for (size_t i = 0; i < COUNT(valid); i++) {
		struct ioc_value once, twice;
		assert_int_equal(parse(state, valid[i].in, &once, NULL), 0);
		assert_int_equal(parse(state, once.v, &twice, NULL), 0);
		assert_string_equal(once.v, twice.v);
	}
}

/* Only the n bytes given are read. */
static void test_length_not_nul(void **state)
{
	struct ioc_value out;
	const char *s = "bob@evil.com>, alice@evil.com";
	assert_int_equal(ioc_parse_email(*state, s, 12, &out, NULL), 0);
	assert_string_equal(out.v, "bob@evil.com");
	assert_int_equal(out.len, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_valid),
	        cmocka_unit_test(test_invalid),
	        cmocka_unit_test(test_idempotent),
	        cmocka_unit_test(test_length_not_nul),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
