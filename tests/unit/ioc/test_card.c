/*
 * test_card.c - payment card numbers: parsing, masking and the free-text
 * scanner.  Cases are tables: input in, masked value or error reason out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ioc/ioc_int.h"

struct valid_case {
	const char *in;
	const char *want;
};

static const struct valid_case valid[] = {
        {"4111111111111111", "411111******1111"},       /* visa */
        {"5555555555554444", "555555******4444"},       /* mastercard 5x */
        {"378282246310005", "378282*****0005"},         /* amex */
        {"6011111111111117", "601111******1117"},       /* discover */
        {"3530111333300000", "353011******0000"},       /* jcb */
        {"4012888888881881", "401288******1881"},       /* visa */
        {"4222222222222", "422222***2222"},             /* visa, 13 digits */
        {"4000000000000000006", "400000*********0006"}, /* visa, 19 digits */
        {"2221000000000009", "222100******0009"},       /* mastercard 2-series, low end */
        {"2720000000000005", "272000******0005"},       /* mastercard 2-series, high end */
        {"30569309025904", "305693****5904"},           /* diners, 14 digits */
        {"36000000000008", "360000****0008"},           /* diners 36 */
        {"6200000000000005", "620000******0005"},       /* unionpay */
        {"3566002020360505", "356600******0505"},       /* jcb */
        {"6759649826438453", "675964******8453"},       /* maestro */
        {"6500000000000000003", "650000*********0003"}, /* discover 65, 19 digits */
        {"4111 1111 1111 1111", "411111******1111"},
        {"4111-1111-1111-1111", "411111******1111"},
        {"3782 822463 10005", "378282*****0005"},
        {"41 11111111111111", "411111******1111"}, /* any grouping as a whole value */
};

struct invalid_case {
	const char *in;
	const char *reason;
};

static const struct invalid_case invalid[] = {
        {"4111111111111112", "card: Luhn check failed"},
        {"4012888888881882", "card: Luhn check failed"},
        {"400000000002", "card: 12 digits, cards have 13 to 19"},
        {"500000000009", "card: 12 digits, cards have 13 to 19"},
        {"40000000000000000002", "card: 20 digits, cards have 13 to 19"},
        {"4111 1111 1111 1111 1111", "card: 20 digits"},
        {"1234567812345670", "card: unknown issuer prefix"},
        {"9000000000000001", "card: unknown issuer prefix"},
        {"2721000000000004", "card: unknown issuer prefix"},
        {"400000000000006", "card: unknown issuer prefix for a 15-digit number (visa numbers"},
        {"0000000000000000", "card: all digits are the same"},
        {"4444444444444444", "card: all digits are the same"},
        {"4111 1111-1111 1111", "card: mixes space and dash separators"},
        {"4111  1111 1111 1111", "not between two digits"},
        {"-4111111111111111", "not between two digits"},
        {"4111111111111111-", "not between two digits"},
        {"4111x11111111111", "card: unexpected character at position 5"},
        {"", "card: 0 digits"},
};

static void test_parse_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = ioc_parse_card(valid[i].in, strlen(valid[i].in), &out, &err);
		if (rc != 0)
			fail_msg("%s: %s", valid[i].in, err.msg);
		assert_int_equal(out.type, IOC_CARD);
		assert_string_equal(out.v, valid[i].want);
		assert_int_equal(out.len, strlen(valid[i].want));
	}
}

static void test_parse_invalid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = ioc_parse_card(invalid[i].in, strlen(invalid[i].in), &out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("%s: accepted or wrong code %d", invalid[i].in, rc);
		if (strstr(err.msg, invalid[i].reason) == NULL)
			fail_msg("%s: message \"%s\" lacks \"%s\"", invalid[i].in, err.msg,
			         invalid[i].reason);
	}
}

/* Whether the n bytes at p hold needle (memmem is a GNU extension). */
static bool holds(const void *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp((const char *)p + i, needle, k) == 0)
			return true;
	return false;
}

/* The full number must not reach the output or the error message. */
static void test_parse_never_copies_number(void **state)
{
	(void)state;
	const char *pan = "4111111111111111";
	struct ioc_value out;
	struct crix_error err;
	memset(&out, 'A', sizeof out);
	memset(&err, 'A', sizeof err);
	assert_int_equal(ioc_parse_card(pan, strlen(pan), &out, &err), 0);
	assert_false(holds(&out, sizeof out, "11111111"));

	const char *bad = "4111111111111112";
	memset(&out, 'A', sizeof out);
	assert_int_equal(ioc_parse_card(bad, strlen(bad), &out, &err), CRIX_EINVAL);
	assert_false(holds(&out, sizeof out, "11111111"));
	assert_false(holds(&err, sizeof err, "1111"));
}

/* Through the public entry point: trimming, type dispatch. */
static void test_parse_dispatch(void **state)
{
	(void)state;
	struct ioc_value out;
	struct crix_error err = {0};
	const char *in = "  5555 5555 5555 4444\n";
	assert_int_equal(ioc_parse(NULL, IOC_CARD, in, strlen(in), NULL, &out, &err), 0);
	assert_string_equal(out.v, "555555******4444");
}

struct scan_case {
	const char *text;
	size_t pos;
	size_t want_len; /* 0: no card starts at pos */
	const char *want;
};

static const struct scan_case scans[] = {
        {"card 4111111111111111 was used", 5, 16, "411111******1111"},
        {"4111 1111 1111 1111.", 0, 19, "411111******1111"},
        {"paid with 3782-822463-10005, then", 10, 17, "378282*****0005"},
        {"diners 3056 930902 5904 ok", 7, 16, "305693****5904"},
        {"(4000-0000-0000-0000-006)", 1, 23, "400000*********0006"},
        {"5555-5555-5555-4444", 0, 19, "555555******4444"},
        {"4111111111111111", 0, 16, "411111******1111"}, /* ends at the buffer end */
        {"4111111111111111 ", 0, 16, "411111******1111"},
        {"4111-1111-1111-1111-", 0, 19, "411111******1111"},
        {"4111 1111 1111 1111 next", 0, 19, "411111******1111"},
        {"4111111111111111, 5555555555554444", 18, 16, "555555******4444"},
        /* a longer run is not a card, nor a slice of it */
        {"4111 1111 1111 1111 1111", 0, 0, NULL},
        {"41111111111111111111", 0, 0, NULL},
        {"40000000000000000061", 0, 0, NULL}, /* the first 19 digits are a card */
        {"(4000-0000-0000-0000-0061)", 1, 0, NULL},
        {"411111111111111111111111111111", 0, 0, NULL},
        {"4111111111111111 1234", 0, 0, NULL},
        {"4111111111111111-12", 0, 0, NULL},
        {"4111 1111 1111 1111 1111 1111 1111", 0, 0, NULL},
        /* glued to letters */
        {"4111111111111111abc", 0, 0, NULL},
        {"4111 1111 1111 1111x", 0, 0, NULL},
        /* checks */
        {"order 4111111111111112 today", 6, 0, NULL},
        {"0000000000000000", 0, 0, NULL},
        {"1234567812345670", 0, 0, NULL},
        /* layouts */
        {"4111 1111-1111 1111", 0, 0, NULL},
        {"4111 11111111 1111", 0, 0, NULL},
        {"41 11111111111111", 0, 0, NULL},
        {"4111  1111 1111 1111", 0, 0, NULL},
        /* nothing at pos */
        {"card 4111111111111111", 0, 0, NULL},
        {"x", 1, 0, NULL},
};

/* Copies text into a buffer of exactly its length, so that ASan catches a
 * read of t[len]. */
static size_t scan(const char *text, size_t pos, struct ioc_value *out)
{
	size_t len = strlen(text);
	char *t = malloc(len > 0 ? len : 1);
	assert_non_null(t);
	memcpy(t, text, len);
	size_t n = ioc_scan_card(t, len, pos, out);
	free(t);
	return n;
}

static void test_scan(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof scans / sizeof scans[0]; i++) {
		struct ioc_value out = {0};
		size_t n = scan(scans[i].text, scans[i].pos, &out);
		if (n != scans[i].want_len)
			fail_msg("\"%s\" at %zu: length %zu, want %zu", scans[i].text, scans[i].pos,
			         n, scans[i].want_len);
		if (n != 0) {
			assert_int_equal(out.type, IOC_CARD);
			assert_string_equal(out.v, scans[i].want);
		}
	}
}

/* Every prefix of a text with a card: no read past the end, and the card is
 * found only when the buffer holds all of it. */
static void test_scan_truncated(void **state)
{
	(void)state;
	const char *text = "4111 1111 1111 1111";
	size_t full = strlen(text);
	for (size_t len = 0; len <= full; len++) {
		char *t = malloc(len > 0 ? len : 1);
		assert_non_null(t);
		memcpy(t, text, len);
		struct ioc_value out;
		size_t n = ioc_scan_card(t, len, 0, &out);
		free(t);
		assert_int_equal(n, len == full ? full : 0);
	}
}

/* Random bytes drawn from the characters the scanner cares about; under
 * ASan this checks the bounds, and every match must re-parse to itself. */
static void test_scan_random(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789012345678901234567890123456789 -- a.";
	srand(12345);
	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(rand() % 48);
		char *t = malloc(len > 0 ? len : 1);
		assert_non_null(t);
		for (size_t i = 0; i < len; i++)
			t[i] = round % 4 == 0 ? (char)(rand() & 0xff)
			                      : alphabet[rand() % (int)(sizeof alphabet - 1)];
		for (size_t pos = 0; pos <= len; pos++) {
			struct ioc_value out, again;
			size_t n = ioc_scan_card(t, len, pos, &out);
			if (n == 0)
				continue;
			assert_true(pos + n <= len);
			assert_int_equal(ioc_parse_card(t + pos, n, &again, NULL), 0);
			assert_string_equal(out.v, again.v);
		}
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_valid),
	        cmocka_unit_test(test_parse_invalid),
	        cmocka_unit_test(test_parse_never_copies_number),
	        cmocka_unit_test(test_parse_dispatch),
	        cmocka_unit_test(test_scan),
	        cmocka_unit_test(test_scan_truncated),
	        cmocka_unit_test(test_scan_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
