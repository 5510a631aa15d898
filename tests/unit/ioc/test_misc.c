/*
 * test_misc.c - autonomous system numbers and CVE identifiers
 * (src/ioc/misc.c).
 *
 * ASN: "AS13335", "ASN 13335", "as 13335", "13335" -> "AS13335", in
 * 1..4294967294 (AS0 is reserved by RFC 7607, 4294967295 by RFC 7300).
 * CVE: "CVE-YYYY-NNNN..." upper-cased, year 1999 or later, a sequence number
 * of 4 or more digits with no leading zero once it is longer than 4.
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

typedef int (*parse_fn)(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);

struct valid_case {
	const char *in;
	const char *want;
};

struct invalid_case {
	const char *in;
	const char *reason;
};

/* Parses a heap copy of exactly strlen(in) bytes, so ASan sees overreads. */
static int parse(parse_fn fn, const char *in, struct ioc_value *out, struct crix_error *err)
{
	size_t n = strlen(in);
	char *copy = malloc(n > 0 ? n : 1);
	assert_non_null(copy);
	memcpy(copy, in, n);
	int rc = fn(copy, n, out, err);
	free(copy);
	return rc;
}

static void check_valid(parse_fn fn, enum ioc_type type, const struct valid_case *cases,
                        size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(fn, cases[i].in, &out, &err);
		if (rc != 0)
			fail_msg("\"%s\": rc %d: %s", cases[i].in, rc, err.msg);
		if (strcmp(out.v, cases[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].in, out.v,
			         cases[i].want);
		assert_int_equal(out.len, strlen(cases[i].want));
		assert_int_equal(out.type, type);
		/* the canonical form is a fixed point */
		struct ioc_value again;
		assert_int_equal(parse(fn, out.v, &again, NULL), 0);
		assert_string_equal(again.v, out.v);
	}
}

static void check_invalid(parse_fn fn, const struct invalid_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(fn, cases[i].in, &out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\": rc %d, want CRIX_EINVAL (value \"%s\")", cases[i].in, rc,
			         rc == 0 ? out.v : "");
		assert_int_equal(err.code, CRIX_EINVAL);
		if (strstr(err.msg, cases[i].reason) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[i].in, err.msg,
			         cases[i].reason);
		assert_int_equal(parse(fn, cases[i].in, &out, NULL), CRIX_EINVAL);
	}
}

/* ------------------------------------------------------------------- asn */

static const struct valid_case asn_valid[] = {
        {"AS13335", "AS13335"},
        {"as13335", "AS13335"},
        {"As13335", "AS13335"},
        {"AS 13335", "AS13335"},
        {"ASN13335", "AS13335"},
        {"asn13335", "AS13335"},
        {"ASN 13335", "AS13335"},
        {"asn 13335", "AS13335"},
        {"13335", "AS13335"},
        {"AS1", "AS1"},
        {"1", "AS1"},
        {"AS64496", "AS64496"},
        {"AS65535", "AS65535"},
        {"AS65536", "AS65536"},
        {"AS4294967294", "AS4294967294"},
        {"4294967294", "AS4294967294"},
        {"ASN 4294967294", "AS4294967294"},
};

static const struct invalid_case asn_invalid[] = {
        /* reserved and out of range */
        {"AS0", "asn: AS0 is reserved, no leading zeros"},
        {"0", "AS0 is reserved"},
        {"ASN 0", "AS0 is reserved"},
        {"AS013335", "no leading zeros"},
        {"AS4294967295", "asn: 4294967295 is beyond the 32-bit range"},
        {"4294967295", "beyond the 32-bit range"},
        {"AS4294967296", "4294967296 is beyond the 32-bit range"},
        {"AS9999999999", "9999999999 is beyond the 32-bit range"},
        {"AS12345678901", "asn: number too long"},
        {"AS99999999999999999999999", "number too long"},
        /* missing number */
        {"AS", "asn: missing number"},
        {"ASN", "missing number"},
        {"asn ", "missing number"},
        {"", "missing number"},
        /* anything else */
        {"ASAP", "asn: expected AS and digits"},
        {"AS-13335", "expected AS and digits"},
        {"AS  13335", "expected AS and digits"},
        {"AS\t13335", "expected AS and digits"},
        {"AB13335", "expected AS and digits"},
        {"A13335", "expected AS and digits"},
        {"13335x", "expected AS and digits"},
        {"AS13335 ", "expected AS and digits"},
        {"AS 1 2", "expected AS and digits"},
        {"AS1.5", "expected AS and digits"},
        {"-1", "expected AS and digits"},
        {"+13335", "expected AS and digits"},
};

static void test_asn_valid(void **state)
{
	(void)state;
	check_valid(ioc_parse_asn, IOC_ASN, asn_valid, COUNT(asn_valid));
}

static void test_asn_invalid(void **state)
{
	(void)state;
	check_invalid(ioc_parse_asn, asn_invalid, COUNT(asn_invalid));
}

/* ------------------------------------------------------------------- cve */

static const struct valid_case cve_valid[] = {
        {"CVE-2021-44228", "CVE-2021-44228"},
        {"cve-2021-44228", "CVE-2021-44228"},
        {"Cve-2014-0160", "CVE-2014-0160"},
        {"CVE-1999-0001", "CVE-1999-0001"},
        {"CVE-2021-0123", "CVE-2021-0123"}, /* 4 digits may start with 0 */
        {"CVE-2021-1234", "CVE-2021-1234"},
        {"CVE-2021-12345", "CVE-2021-12345"},
        {"CVE-2021-1234567", "CVE-2021-1234567"},
        {"CVE-2099-10000", "CVE-2099-10000"},
        {"CVE-2021-1234567890123456789", "CVE-2021-1234567890123456789"}, /* 19 digits */
};

static const struct invalid_case cve_invalid[] = {
        /* year */
        {"CVE-1998-0001", "cve: year 1998 is before 1999"},
        {"CVE-0000-1234", "year 0 is before 1999"},
        {"CVE-20a1-1234", "cve: year is not a number"},
        {"CVE-2O21-1234", "year is not a number"},
        /* leading zero rule */
        {"CVE-2021-01234", "cve: a sequence number longer than 4 digits has no leading zero"},
        {"CVE-2021-00001", "no leading zero"},
        /* sequence number */
        {"CVE-2021-4422a", "cve: sequence number is not a number"},
        {"CVE-2021-44228 ", "sequence number is not a number"},
        {"CVE-2021--4422", "sequence number is not a number"},
        {"CVE-2021-12345678901234567890", "cve: sequence number too long"},
        /* shape */
        {"CVE-2021-123", "cve: expected CVE-YYYY-NNNN"},
        {"CVE-2021-", "expected CVE-YYYY-NNNN"},
        {"CVE-21-44228", "expected CVE-YYYY-NNNN"},
        {"CVE_2021_44228", "expected CVE-YYYY-NNNN"},
        {"CVE 2021 44228", "expected CVE-YYYY-NNNN"},
        {"CAN-2021-44228", "expected CVE-YYYY-NNNN"},
        {"CVE2021-442288", "expected CVE-YYYY-NNNN"},
        {"2021-44228", "expected CVE-YYYY-NNNN"},
        {"", "expected CVE-YYYY-NNNN"},
};

static void test_cve_valid(void **state)
{
	(void)state;
	check_valid(ioc_parse_cve, IOC_CVE, cve_valid, COUNT(cve_valid));
}

static void test_cve_invalid(void **state)
{
	(void)state;
	check_invalid(ioc_parse_cve, cve_invalid, COUNT(cve_invalid));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_asn_valid),
	        cmocka_unit_test(test_asn_invalid),
	        cmocka_unit_test(test_cve_valid),
	        cmocka_unit_test(test_cve_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
