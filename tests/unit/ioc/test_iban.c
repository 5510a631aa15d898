/*
 * test_iban.c - IBANs: parsing (length per country, mod-97) and scanning.
 *
 * The valid IBANs are the registry's and banks' published examples; the
 * others were computed with the ISO 7064 MOD 97-10 check digits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ioc/ioc_int.h"

struct parse_ok {
	const char *in;
	const char *want;
};

static const struct parse_ok parse_ok_cases[] = {
        {"GB82WEST12345698765432", "GB82WEST12345698765432"},
        {"gb82west12345698765432", "GB82WEST12345698765432"},
        {"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},
        {"Gb82 wEsT 1234 5698 7654 32", "GB82WEST12345698765432"},
        {"DE89370400440532013000", "DE89370400440532013000"},
        {"DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
        {"FR1420041010050500013M02606", "FR1420041010050500013M02606"},
        {"fr14 2004 1010 0505 0001 3m02 606", "FR1420041010050500013M02606"},
        {"NL91ABNA0417164300", "NL91ABNA0417164300"},
        {"BE68539007547034", "BE68539007547034"},
        {"CH9300762011623852957", "CH9300762011623852957"},
        {"IT60X0542811101000000123456", "IT60X0542811101000000123456"},
        {"ES9121000418450200051332", "ES9121000418450200051332"},
        {"NO9386011117947", "NO9386011117947"},
        {"MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S"},
        {"LC55HEMM000100010012001200023015", "LC55HEMM000100010012001200023015"},
        {"RU0304452522540817810538091310419", "RU0304452522540817810538091310419"},
        {"SA0380000000608010167519", "SA0380000000608010167519"},
        /* Computed: check digits at the top of the range. */
        {"GB98WEST12345698760003", "GB98WEST12345698760003"},
        {"GB12WEST12345698765431", "GB12WEST12345698765431"},
        {"DE62370400440532013001", "DE62370400440532013001"},
};

struct parse_bad {
	const char *in;
	const char *why;
};

static const struct parse_bad parse_bad_cases[] = {
        {"", "empty"},
        {"GB82WEST1234569876543", "GB IBANs have 22 characters, this has 21"},
        {"GB82WEST123456987654321", "GB IBANs have 22 characters, this has 23"},
        {"NL91ABNA041716430", "NL IBANs have 18 characters, this has 17"},
        {"GB82WEST12345698765433", "checksum (mod 97) does not match"},
        {"GB28WEST12345698765432", "checksum (mod 97) does not match"},
        {"DE89370400440532031000", "checksum (mod 97) does not match"}, /* transposition */
        {"DE98370400440532013000", "checksum (mod 97) does not match"},
        {"XX82WEST12345698765432", "unknown country code XX"},
        {"xx82WEST12345698765432", "unknown country code XX"},
        {"US64SVBKUS6S3300958879", "unknown country code US"},
        {"GB82-WEST-1234-5698-7654-32", "invalid character '-' at position 5"},
        {"GB82WEST1234569876543.2", "invalid character '.' at position 22"},
        {"GB82WEST\xc3\xa9"
         "12345698765432",
         "invalid character (byte 0xc3) at position 9"},
        {"GB82  WEST 1234 5698 7654 32", "two spaces in a row at position 5"},
        {" GB82WEST12345698765432", "space at position 1"},
        {"GB82WEST12345698765432 ", "space at position 23"},
        {"GBXXWEST12345698765432", "two check digits"},
        {"GB8", "two check digits"},
        {"12GB82WEST12345698765432", "two-letter country code"},
        {"G", "two-letter country code"},
        {"GB01WEST12345698760003", "check digits 01 are out of range"}, /* alias of 98 */
        {"GB82WEST123456987654321234567890123", "35 characters, an IBAN has at most 34"},
};

static void test_parse_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_ok_cases / sizeof parse_ok_cases[0]; i++) {
		const struct parse_ok *c = &parse_ok_cases[i];
		struct ioc_value v;
		struct crix_error err = {0};
		int rc = ioc_parse_iban(c->in, strlen(c->in), &v, &err);
		if (rc != 0 || strcmp(v.v, c->want) != 0)
			fail_msg("\"%s\": rc %d, got \"%s\", want \"%s\" (%s)", c->in, rc,
			         rc == 0 ? v.v : "", c->want, err.msg);
		assert_int_equal(v.type, IOC_IBAN);
		assert_int_equal(v.len, strlen(c->want));
	}
}

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_bad_cases / sizeof parse_bad_cases[0]; i++) {
		const struct parse_bad *c = &parse_bad_cases[i];
		struct ioc_value v;
		struct crix_error err = {0};
		int rc = ioc_parse_iban(c->in, strlen(c->in), &v, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\": rc %d, value \"%s\"", c->in, rc, rc == 0 ? v.v : "");
		if (strstr(err.msg, c->why) == NULL || strncmp(err.msg, "iban: ", 6) != 0)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", c->in, err.msg, c->why);
	}
}

/*
 * A digit replaced by another digit, or a letter by another letter, is
 * always caught by mod 97 (the change is d * 10^k with 0 < |d| < 97).  A
 * digit replaced by a letter shifts the number and is only caught 96 times
 * in 97, so it is not part of this property.
 */
static void test_single_substitutions(void **state)
{
	(void)state;
	static const char *const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	const char *good = "FR1420041010050500013M02606";
	char buf[28];
	for (size_t i = 2; i < 27; i++) {
		for (const char *a = alnum; *a != '\0'; a++) {
			memcpy(buf, good, 27);
			bool was_digit = buf[i] >= '0' && buf[i] <= '9';
			bool is_digit = *a >= '0' && *a <= '9';
			if (buf[i] == *a || was_digit != is_digit)
				continue;
			buf[i] = *a;
			struct ioc_value v;
			if (ioc_parse_iban(buf, 27, &v, NULL) == 0)
				fail_msg("\"%.27s\" accepted", buf);
		}
	}
}

/* The registry lengths of a sample of countries. */
static void test_country_lengths(void **state)
{
	(void)state;
	static const struct {
		const char *cc;
		size_t len;
	} want[] = {
	        {"GB", 22}, {"DE", 22}, {"FR", 27}, {"NL", 18}, {"BE", 16}, {"ES", 24},
	        {"IT", 27}, {"CH", 21}, {"NO", 15}, {"MT", 31}, {"LC", 32}, {"RU", 33},
	        {"PL", 28}, {"SE", 24}, {"AT", 20}, {"IE", 22}, {"BR", 29}, {"SA", 24},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char buf[40];
		memset(buf, '0', sizeof buf);
		memcpy(buf, want[i].cc, 2);
		memcpy(buf + 2, "50", 2);
		/* One character short: the message names the expected length. */
		struct crix_error err = {0};
		struct ioc_value v;
		assert_int_equal(ioc_parse_iban(buf, want[i].len - 1, &v, &err), CRIX_EINVAL);
		char expect[64];
		snprintf(expect, sizeof expect, "%s IBANs have %zu characters", want[i].cc,
		         want[i].len);
		if (strstr(err.msg, expect) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", want[i].cc, err.msg, expect);
		/* At the right length, only the checksum is left to fail. */
		assert_int_equal(ioc_parse_iban(buf, want[i].len, &v, &err), CRIX_EINVAL);
		assert_non_null(strstr(err.msg, "checksum"));
	}
}

struct scan_case {
	const char *text;
	size_t pos;
	size_t want_len; /* 0: no IBAN there */
	const char *want;
};

static const struct scan_case scan_cases[] = {
        {"IBAN: GB82WEST12345698765432.", 6, 22, "GB82WEST12345698765432"},
        {"GB82WEST12345698765432", 0, 22, "GB82WEST12345698765432"},
        {"GB82 WEST 1234 5698 7654 32 is mine", 0, 27, "GB82WEST12345698765432"},
        {"to GB82 WEST 1234 5698 7654 32", 3, 27, "GB82WEST12345698765432"},
        {"(DE89 3704 0044 0532 0130 00)", 1, 27, "DE89370400440532013000"},
        {"FR14 2004 1010 0505 0001 3M02 606, ok", 0, 33, "FR1420041010050500013M02606"},
        {"NL91 ABNA 0417 1643 00\n", 0, 22, "NL91ABNA0417164300"},
        /* The match stops at the country's length: the next word is not taken. */
        {"BE68 5390 0754 7034 1234 more", 0, 19, "BE68539007547034"},
        {"BE68539007547034 1234", 0, 16, "BE68539007547034"},
        {"CH93 0076 2011 6238 5295 7 CHF", 0, 26, "CH9300762011623852957"},
        {"IT60X0542811101000000123456;", 0, 27, "IT60X0542811101000000123456"},
        /* Not IBANs. */
        {"GB82WEST12345698765432X", 0, 0, NULL},
        {"GB82WEST123456987654321", 0, 0, NULL},
        {"GB82WEST12345698765433", 0, 0, NULL},
        {"gb82west12345698765432", 0, 0, NULL},
        {"GB82west12345698765432", 0, 0, NULL},
        {"Gb82WEST12345698765432", 0, 0, NULL},
        {"GB82WEST1234569876543", 0, 0, NULL},
        {"GB82 WEST 1234 5698 7654 3", 0, 0, NULL},
        {"GB82 WEST1234 5698 7654 32", 0, 0, NULL},
        {"GB82  WEST 1234 5698 7654 32", 0, 0, NULL},
        {"GB82 WEST 1234 5698 7654 321", 0, 0, NULL},
        {"GB82-WEST-1234-5698-7654-32", 0, 0, NULL},
        {"XGB82WEST12345698765432", 1, 0, NULL},
        {"1GB82WEST12345698765432", 1, 0, NULL},
        {"ZZ82WEST12345698765432", 0, 0, NULL},
        {"GB01WEST12345698760003", 0, 0, NULL},
        {"AB12", 0, 0, NULL},
        {"GB8", 0, 0, NULL},
        {"", 0, 0, NULL},
};

/* Copies text into a buffer of exactly its length (no NUL) so that ASan
 * catches any read past the end. */
static char *exact_copy(const char *text, size_t len)
{
	char *b = malloc(len > 0 ? len : 1);
	assert_non_null(b);
	memcpy(b, text, len);
	return b;
}

static void test_scan(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof scan_cases / sizeof scan_cases[0]; i++) {
		const struct scan_case *c = &scan_cases[i];
		size_t len = strlen(c->text);
		char *t = exact_copy(c->text, len);
		struct ioc_value v = {0};
		size_t got = ioc_scan_iban(t, len, c->pos, &v);
		size_t got_nullout = ioc_scan_iban(t, len, c->pos, NULL);
		free(t);
		if (got != c->want_len)
			fail_msg("\"%s\" at %zu: scanned %zu bytes (%s), want %zu", c->text, c->pos,
			         got, got ? v.v : "", c->want_len);
		if (c->want != NULL) {
			assert_string_equal(v.v, c->want);
			assert_int_equal(v.type, IOC_IBAN);
			/* The raw span parses to the same value. */
			struct ioc_value again;
			assert_int_equal(ioc_parse_iban(c->text + c->pos, got, &again, NULL), 0);
			assert_string_equal(again.v, c->want);
		}
		assert_int_equal(got_nullout, c->want_len);
	}
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/*
 * Scans pseudo-random text (with valid IBANs spliced in) at every position,
 * in buffers of exact size; every match must lie inside the text and parse
 * back to the same value.  Under ASan this proves t[len] is never read.
 */
static void test_scan_random(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ    ab-.";
	static const char *const ibans[] = {"GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32",
	                                    "NL91ABNA0417164300", "BE68 5390 0754 7034"};
	uint32_t seed = 4242;
	size_t found = 0;
	for (int round = 0; round < 400; round++) {
		size_t len = rnd(&seed) % 80;
		char *t = malloc(len > 0 ? len : 1);
		assert_non_null(t);
		for (size_t i = 0; i < len; i++) {
			uint32_t r = rnd(&seed);
			t[i] = (r & 1) ? alphabet[(r >> 1) % (sizeof alphabet - 1)]
			               : (char)(r >> 1);
		}
		const char *ib = ibans[rnd(&seed) % 4];
		size_t iblen = strlen(ib);
		if (round % 2 == 0 && iblen <= len)
			memcpy(t + rnd(&seed) % (len - iblen + 1), ib, iblen);
		for (size_t pos = 0; pos <= len; pos++) {
			struct ioc_value v;
			size_t n = ioc_scan_iban(t, len, pos, &v);
			if (n == 0)
				continue;
			found++;
			assert_true(n <= len - pos);
			struct ioc_value again;
			assert_int_equal(ioc_parse_iban(t + pos, n, &again, NULL), 0);
			assert_string_equal(again.v, v.v);
		}
		struct ioc_value v;
		struct crix_error err = {0};
		if (ioc_parse_iban(t, len, &v, &err) != 0)
			assert_true(strncmp(err.msg, "iban: ", 6) == 0);
		free(t);
	}
	assert_true(found > 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_ok),
	        cmocka_unit_test(test_parse_bad),
	        cmocka_unit_test(test_single_substitutions),
	        cmocka_unit_test(test_country_lengths),
	        cmocka_unit_test(test_scan),
	        cmocka_unit_test(test_scan_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
