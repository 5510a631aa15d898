/*
 * test_phone.c - phone numbers: parsing to E.164 and scanning free text.
 *
 * The example numbers are of the kinds reserved for fiction and examples
 * (Ofcom's 020 7946 0xxx, NANP 555-01xx) or are well-formed but made up.
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
	const char *country;
	const char *want;
};

static const struct parse_ok parse_ok_cases[] = {
        {"+44 20 7946 0958", "", "+442079460958"},
        {"+44 (0)20 7946 0958", "", "+442079460958"},
        {"+44(0)20 7946 0958", "", "+442079460958"},
        {"+442079460958", "", "+442079460958"},
        {"+44-20-7946-0958", "", "+442079460958"},
        {"+1 (555) 123-4567", "", "+15551234567"},
        {"+1-555-123-4567", "", "+15551234567"},
        {"+1 555 023 4567", "", "+15550234567"}, /* exchange rule: national only */
        {"+1 555.123.4567", "", "+15551234567"},
        {"+33.1.23.45.67.89", "", "+33123456789"},
        {"+33 (0)1 23 45 67 89", "", "+33123456789"},
        {"0044 20 7946 0958", "", "+442079460958"},
        {"00 44 20 7946 0958", "", "+442079460958"},
        {"00442079460958", "", "+442079460958"},
        {"0044 20 7946 0958", "FR", "+442079460958"},
        {"011 44 20 7946 0958", "US", "+442079460958"},
        {"011 44 20 7946 0958", "CA", "+442079460958"},
        {"+44 20 7946 0958", "DE", "+442079460958"}, /* international wins */
        {"+44 20 7946 0958", "ZZ", "+442079460958"}, /* country unused */
        /* National forms with a default country. */
        {"020 7946 0958", "GB", "+442079460958"},
        {"020 7946 0958", "gb", "+442079460958"},
        {"(020) 7946 0958", "GB", "+442079460958"},
        {"01 23 45 67 89", "FR", "+33123456789"},
        {"01.23.45.67.89", "FR", "+33123456789"},
        {"030 1234567", "DE", "+49301234567"},
        {"030-1234567", "DE", "+49301234567"},
        {"(212) 555-0143", "US", "+12125550143"},
        {"212-555-0143", "US", "+12125550143"},
        {"1-212-555-0143", "US", "+12125550143"},
        {"212.555.0143", "CA", "+12125550143"},
        {"2125550143", "US", "+12125550143"},
        {"06 6988 1234", "IT", "+390669881234"},
        {"912 345 678", "ES", "+34912345678"},
        {"8 (495) 123-45-67", "RU", "+74951234567"},
        {"06 1 234 5678", "HU", "+3612345678"},
        {"0612 345 678", "NL", "+31612345678"},
        {"02 9876 5432", "AU", "+61298765432"},
        {"09 123 4567", "NZ", "+6491234567"},
        {"03-1234-5678", "JP", "+81312345678"},
        {"098765 43210", "IN", "+919876543210"},
        /* Countries with their own bounds, and Italy's leading 0. */
        {"+39 06 6988 1234", "", "+390669881234"},
        {"+39 347 123 4567", "", "+393471234567"},
        {"+7 495 123-45-67", "", "+74951234567"},
        {"+7 727 123 4567", "", "+77271234567"},
        {"+49 (0)30 1234567", "", "+49301234567"},
        {"+61 2 9876 5432", "", "+61298765432"},
        {"+81 3-1234-5678", "", "+81312345678"},
        {"+86 10 1234 5678", "", "+861012345678"},
        {"+91 98765 43210", "", "+919876543210"},
        {"+55 11 91234-5678", "", "+5511912345678"},
        {"+971 4 123 4567", "", "+97141234567"},
        {"+65 6123 4567", "", "+6561234567"},
        {"+34 912 345 678", "", "+34912345678"},
        {"+353 1 234 5678", "", "+35312345678"},
        {"+41 44 668 18 00", "", "+41446681800"},
        {"+31 6 1234 5678", "", "+31612345678"},
        {"+32 2 123 45 67", "", "+3221234567"},
        {"+48 12 345 67 89", "", "+48123456789"},
        {"+27 21 123 4567", "", "+27211234567"},
        {"+234 803 123 4567", "", "+2348031234567"},
        {"+254 712 345678", "", "+254712345678"},
        {"+20 2 12345678", "", "+20212345678"},
        {"+972 3-123-4567", "", "+97231234567"},
        {"+852 2123 4567", "", "+85221234567"},
        {"+82 2-123-4567", "", "+8221234567"},
        {"+52 55 1234 5678", "", "+525512345678"},
        {"+54 11 1234-5678", "", "+541112345678"},
        {"+380 44 123 4567", "", "+380441234567"},
        /* Generic bounds for the other calling codes. */
        {"+880 2 1234 5678", "", "+880212345678"},
        {"+800 1234 5678", "", "+80012345678"},
        {"+216 71 123 456", "", "+21671123456"},
};

struct parse_bad {
	const char *in;
	const char *country;
	const char *why; /* a substring of the message */
};

static const struct parse_bad parse_bad_cases[] = {
        {"", "", "empty"},
        {"+999 123 4567", "", "unknown country calling code +999"},
        {"+210 1234 5678", "", "unknown country calling code +210"},
        {"+44 20 7946 0958 12345", "", "17 digits, E.164 allows at most 15"},
        {"+44 20 7946 0958 1234 5678 9012 3456 7890 1234 5678", "", "too many digits"},
        {"020 7946 0958", "", "needs a default country"},
        {"020 7946 0958", NULL, "needs a default country"},
        {"020 7946 0958", "ZZ", "unknown default country"},
        {"20 7946 0958", "GB", "trunk prefix 0"},
        {"495 123-45-67", "RU", "trunk prefix 8"},
        {"+44 20 7946 09", "",
         "+44 numbers have 9 to 10 digits after the calling code, this has 8"},
        {"+33 1 23 45 67 8", "", "+33 numbers have 9 digits"},
        {"+1 212 555 01432", "", "+1 numbers have 10 digits"},
        {"+683 1234", "", "too short"},
        {"+44 020 7946 0958", "", "do not start with 0"},
        {"+1 (055) 123-4567", "", "area code"},
        {"(212) 055-0143", "US", "exchange code"},
        {"(112) 555-0143", "US", "area code"},
        {"+44 20 7946 0958x", "", "letters"},
        {"+44 20 7946 ABCD", "", "letters"},
        {"+44 20  7946 0958", "", "two separators in a row"},
        {"+44 20 -7946 0958", "", "two separators in a row"},
        {"+44 20 7946 0958-", "", "trailing separator"},
        {"+44 20 7946 (0958", "", "parentheses"},
        {"+44 20 7946 ()0958", "", "parentheses"},
        {"+", "", "'+' must be followed"},
        {"+(44) 20 7946 0958", "", "'+' must be followed"},
        {"1+44 20", "", "'+' is only allowed at the start"},
        {"+4 4 20 7946 0958", "", "split by a separator"},
        {"+44/20 7946 0958", "", "unexpected character '/'"},
        {"+44 20 7946\t0958", "", "unexpected byte 0x09"},
        {"00", "", "no digits after the international prefix"},
        {"0 044 20 7946 0958", "", "international prefix 00 is split"},
        /* 011 is an international prefix only in NANP countries. */
        {"011 44 20 7946 0958", "GB", "16 digits, E.164 allows at most 15"},
};

static void test_parse_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_ok_cases / sizeof parse_ok_cases[0]; i++) {
		const struct parse_ok *c = &parse_ok_cases[i];
		struct ioc_value v;
		struct crix_error err = {0};
		int rc = ioc_parse_phone(c->in, strlen(c->in), c->country, &v, &err);
		if (rc != 0 || strcmp(v.v, c->want) != 0)
			fail_msg("\"%s\" (%s): rc %d, got \"%s\", want \"%s\" (%s)", c->in,
			         c->country, rc, rc == 0 ? v.v : "", c->want, err.msg);
		assert_int_equal(v.type, IOC_PHONE);
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
		int rc = ioc_parse_phone(c->in, strlen(c->in), c->country, &v, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\" (%s): rc %d, value \"%s\"", c->in,
			         c->country ? c->country : "NULL", rc, rc == 0 ? v.v : "");
		if (strstr(err.msg, c->why) == NULL || strncmp(err.msg, "phone: ", 7) != 0)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", c->in, err.msg, c->why);
	}
}

/* The parser reads exactly n bytes: what follows them does not matter. */
static void test_parse_length_bounded(void **state)
{
	(void)state;
	const char *s = "+44 20 7946 0958 is the number";
	struct ioc_value v;
	assert_int_equal(ioc_parse_phone(s, 16, "", &v, NULL), 0);
	assert_string_equal(v.v, "+442079460958");
	assert_int_equal(ioc_parse_phone(s, 17, "", &v, NULL), CRIX_EINVAL);
}

/* Through the public dispatcher, which passes opts->country. */
static void test_parse_via_ioc_parse(void **state)
{
	(void)state;
	struct ioc_value v;
	struct ioc_opts opts = {.country = "GB"};
	assert_int_equal(ioc_parse(NULL, IOC_PHONE, " 020 7946 0958 ", 15, &opts, &v, NULL), 0);
	assert_string_equal(v.v, "+442079460958");
	assert_int_equal(ioc_parse(NULL, IOC_PHONE, "020 7946 0958", 13, NULL, &v, NULL),
	                 CRIX_EINVAL);
}

struct scan_case {
	const char *text;
	const char *country;
	size_t pos;
	size_t want_len; /* 0: no phone number there */
	const char *want;
};

static const struct scan_case scan_cases[] = {
        /* International forms. */
        {"Call +44 20 7946 0958 now", "", 5, 16, "+442079460958"},
        {"Call +44 20 7946 0958.", "", 5, 16, "+442079460958"},
        {"Call +44 20 7946 0958", "", 5, 16, "+442079460958"},
        {"Call +44 (0)20 7946 0958, thanks", "", 5, 19, "+442079460958"},
        {"+442079460958", "", 0, 13, "+442079460958"},
        {"tel:+1 (555) 123-4567", "", 4, 17, "+15551234567"},
        {"+1-555-123-4567.", "", 0, 15, "+15551234567"},
        {"+33.1.23.45.67.89", "", 0, 17, "+33123456789"},
        {"(+39 06 6988 1234)", "", 1, 16, "+390669881234"},
        {"+44 20 7946 0958 - office", "", 0, 16, "+442079460958"},
        {"+44 20 7946 0958-\n", "", 0, 16, "+442079460958"},
        {"0044 20 7946 0958", "", 0, 17, "+442079460958"},
        {"00 44 20 7946 0958", "", 0, 18, "+442079460958"},
        {"011 44 20 7946 0958", "US", 0, 19, "+442079460958"},
        {"011 44 20 7946 0958", "", 0, 0, NULL},
        {"+44 20 7946 0958", "GB", 0, 16, "+442079460958"},
        {"+44 20 7946 0958", "ZZ", 0, 16, "+442079460958"},
        /* National forms need a default country and the national shape. */
        {"ring 020 7946 0958 today", "GB", 5, 13, "+442079460958"},
        {"ring 020 7946 0958 today", "", 5, 0, NULL},
        {"x (020) 7946 0958", "GB", 2, 15, "+442079460958"},
        {"01 23 45 67 89", "FR", 0, 14, "+33123456789"},
        {"030 1234567", "DE", 0, 11, "+49301234567"},
        {"(212) 555-0143", "US", 0, 14, "+12125550143"},
        {"212-555-0143", "US", 0, 12, "+12125550143"},
        {"212.555.0143", "US", 0, 12, "+12125550143"},
        {"1-800-555-0199", "US", 0, 14, "+18005550199"},
        {"1 (800) 555-0199", "US", 0, 16, "+18005550199"},
        {"8 (495) 123-45-67", "RU", 0, 17, "+74951234567"},
        {"06 6988 1234", "IT", 0, 12, "+390669881234"},
        {"912 345 678", "ES", 0, 11, "+34912345678"},
        {"+1 555.123.4567", "", 0, 15, "+15551234567"},
        {"+33 (0)1 23 45 67 89", "", 0, 20, "+33123456789"},
        {"00 33 1 23 45 67 89", "", 0, 19, "+33123456789"},
        {"00 44 2079460958", "", 0, 16, "+442079460958"},
        {"+7 495 123-45-67", "", 0, 16, "+74951234567"},
        {"+972 3-123-4567", "", 0, 15, "+97231234567"},
        {"06 1 234 5678", "HU", 0, 13, "+3612345678"},
        /* Not phone numbers. */
        {"00442079460958", "", 0, 0, NULL},
        {"00442079460958", "GB", 0, 0, NULL},
        {"02079460958", "GB", 0, 0, NULL},
        {"2125550143", "US", 0, 0, NULL},
        {"212-555-01435", "US", 0, 0, NULL},
        {"212-055-0143", "US", 0, 0, NULL},
        {"212 555-0143", "US", 0, 0, NULL},
        {"212-555 0143", "US", 0, 0, NULL},
        {"(212)-555-0143", "US", 0, 0, NULL},
        {"555-0143", "US", 0, 0, NULL},
        {"1234 5678", "IT", 0, 0, NULL},
        {"2024-01-15", "", 0, 0, NULL},
        {"2024-01-15", "DE", 0, 0, NULL},
        {"2024-01-15", "US", 0, 0, NULL},
        {"+2024-01-15", "", 0, 0, NULL},
        {"01-02-2024", "FR", 0, 0, NULL},
        {"01.02.2024", "NL", 0, 0, NULL},
        {"15.01.2024", "GB", 0, 0, NULL},
        {"12:30", "", 0, 0, NULL},
        {"12:30:45", "GB", 0, 0, NULL},
        {"1.2.3.4", "", 0, 0, NULL},
        {"192.168.1.1", "", 0, 0, NULL},
        {"192.168.1.1", "US", 0, 0, NULL},
        {"010.10.10.10", "NL", 0, 0, NULL},
        {"+1.2.3.4", "", 0, 0, NULL},
        {"version 1.2.3", "", 8, 0, NULL},
        {"0.9.12", "GB", 0, 0, NULL},
        {"4111 1111 1111 1111", "", 0, 0, NULL},
        {"4111 1111 1111 1111", "GB", 0, 0, NULL},
        {"4111111111111111", "US", 0, 0, NULL},
        {"12345678901234", "", 0, 0, NULL},
        {"+999 123 4567", "", 0, 0, NULL},
        {"+44 20 7946 09", "", 0, 0, NULL},
        {"+44 20 7946 0958 2024", "", 0, 0, NULL},
        {"+44 20 7946 0958 12:30", "", 0, 0, NULL},
        {"+44 20 7946 0958abc", "", 0, 0, NULL},
        {"+44 20 7946 0958/59", "", 0, 0, NULL},
        {"+44 20 7946 0958:80", "", 0, 0, NULL},
        {"+44 20 7946 0958_x", "", 0, 0, NULL},
        {"+44 20 7946 0958@example.com", "", 0, 0, NULL},
        {"+1-800-FLOWERS", "", 0, 0, NULL},
        {"+ 44 20 7946 0958", "", 0, 0, NULL},
        {"a+44 20 7946 0958", "", 1, 0, NULL},
        {"++44 20 7946 0958", "", 1, 0, NULL},
        {"+44 20 7946 0958", "", 2, 0, NULL},
        {"12-020 7946 0958", "GB", 3, 0, NULL},
        {"12 020 7946 0958", "GB", 3, 0, NULL},
        {"0044 20 7946 0958", "", 5, 0, NULL},
        {"ID 020-7946", "GB", 3, 0, NULL},
        /* Decimals, identifiers and odd groupings. */
        {"80.4027351", "ES", 0, 0, NULL},
        {"+38740.060", "", 0, 0, NULL},
        {"+20 8.1094953", "", 0, 0, NULL},
        {"05.46596610", "DE", 0, 0, NULL},
        {"05.34 9-5-73.6", "NL", 0, 0, NULL},
        {"0-8-34.040 80", "NL", 0, 0, NULL},
        {"8546.41 80-608", "RU", 0, 0, NULL},
        {"09 639-0-07687", "GB", 0, 0, NULL},
        {"01-7 0-856909", "GB", 0, 0, NULL},
        {"0 20 7946 0958", "GB", 0, 0, NULL},
        {"07 7400380-2", "FR", 0, 0, NULL},
        {"0602 7-255", "IT", 0, 0, NULL},
        {"0.0-5264", "IT", 0, 0, NULL},
        {"0 044 20 7946 0958", "", 0, 0, NULL},
        {"00-433075", "", 0, 0, NULL},
        {"00 442079460958", "", 0, 0, NULL},
        {"3(030)77 12", "IT", 0, 0, NULL},
        {"+44 20 (7946) 0958", "", 0, 0, NULL},
        {"+", "", 0, 0, NULL},
        {"", "", 0, 0, NULL},
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
		size_t got = ioc_scan_phone(t, len, c->pos, c->country, &v);
		size_t got_nullout = ioc_scan_phone(t, len, c->pos, c->country, NULL);
		free(t);
		if (got != c->want_len)
			fail_msg("\"%s\" (%s) at %zu: scanned %zu bytes (%s), want %zu", c->text,
			         c->country, c->pos, got, got ? v.v : "", c->want_len);
		if (c->want != NULL) {
			if (strcmp(v.v, c->want) != 0)
				fail_msg("\"%s\": got \"%s\", want \"%s\"", c->text, v.v, c->want);
			assert_int_equal(v.type, IOC_PHONE);
		}
		/* The value is optional. */
		assert_int_equal(got_nullout, c->want_len);
	}
}

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/*
 * Scans pseudo-random text made of the bytes phone numbers are written
 * with (and some others) at every position, in buffers of exact size, and
 * checks that every match lies inside the text and parses back to the same
 * value.  Run under ASan this also proves the scanner never reads t[len].
 */
static void test_scan_random(void **state)
{
	(void)state;
	static const char alphabet[] = "0123456789000000+++  --..()()aZ:/,_\x80\xff";
	static const char *const countries[] = {"", "GB", "US", "FR", "IT", "RU", "DE", "NL"};
	/* Spliced into the noise so that matches next to junk get checked. */
	static const char *const numbers[] = {"+44 20 7946 0958",  "0044 20 7946 0958",
	                                      "(212) 555-0143",    "020 7946 0958",
	                                      "+1 (555) 123-4567", "01 23 45 67 89"};
	uint32_t seed = 12345;
	size_t found = 0;
	for (int round = 0; round < 400; round++) {
		size_t len = rnd(&seed) % 64;
		char *t = malloc(len > 0 ? len : 1);
		assert_non_null(t);
		for (size_t i = 0; i < len; i++) {
			uint32_t r = rnd(&seed);
			t[i] = (r & 1) ? alphabet[(r >> 1) % (sizeof alphabet - 1)]
			               : (char)(r >> 1);
		}
		const char *num = numbers[rnd(&seed) % 6];
		size_t nlen = strlen(num);
		if (round % 2 == 0 && nlen <= len)
			memcpy(t + rnd(&seed) % (len - nlen + 1), num, nlen);
		const char *country = countries[round % 8];
		for (size_t pos = 0; pos <= len; pos++) {
			struct ioc_value v;
			size_t n = ioc_scan_phone(t, len, pos, country, &v);
			if (n == 0)
				continue;
			found++;
			assert_true(n <= len - pos);
			struct ioc_value again;
			assert_int_equal(ioc_parse_phone(t + pos, n, country, &again, NULL), 0);
			assert_string_equal(again.v, v.v);
		}
		/* The parser on arbitrary bytes only reports errors. */
		struct ioc_value v;
		struct crix_error err = {0};
		if (ioc_parse_phone(t, len, country, &v, &err) != 0)
			assert_true(strncmp(err.msg, "phone: ", 7) == 0);
		free(t);
	}
	/* The splices produce matches (about one round in five, when the
	 * bytes around them are not part of a number). */
	assert_true(found > 20);
}

/* Every scanner match reparses to the same value: checked on real shapes. */
static void test_scan_matches_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof scan_cases / sizeof scan_cases[0]; i++) {
		const struct scan_case *c = &scan_cases[i];
		if (c->want_len == 0)
			continue;
		struct ioc_value v;
		assert_int_equal(
		        ioc_parse_phone(c->text + c->pos, c->want_len, c->country, &v, NULL), 0);
		assert_string_equal(v.v, c->want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_ok),
	        cmocka_unit_test(test_parse_bad),
	        cmocka_unit_test(test_parse_length_bounded),
	        cmocka_unit_test(test_parse_via_ioc_parse),
	        cmocka_unit_test(test_scan),
	        cmocka_unit_test(test_scan_matches_parse),
	        cmocka_unit_test(test_scan_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
