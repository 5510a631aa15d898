/*
 * test_clock.c - times as crix stores them (src/util/clock.c): ISO 8601 in,
 * canonical UTC with milliseconds out.  A table of inputs (dates, times,
 * fractions, offsets, leap years and leap seconds) with the text and the
 * epoch seconds each must give, a table of what is not a date, and the round
 * trip: whatever clock_format_iso writes, clock_parse_iso reads back to the
 * same value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define D_2026_11_23 1795392000LL /* 2026-11-23T00:00:00Z */

static const struct {
	const char *in;
	const char *out;
	int64_t t;
} good[] = {
        {"1970-01-01", "1970-01-01T00:00:00.000Z", 0},
        {"2026-11-23", "2026-11-23T00:00:00.000Z", D_2026_11_23},
        {"2026-11-23T10:15", "2026-11-23T10:15:00.000Z", D_2026_11_23 + 36900},
        {"2026-11-23t10:15:30", "2026-11-23T10:15:30.000Z", D_2026_11_23 + 36930},
        {"2026-11-23 10:15:30", "2026-11-23T10:15:30.000Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15:30Z", "2026-11-23T10:15:30.000Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15:30z", "2026-11-23T10:15:30.000Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15Z", "2026-11-23T10:15:00.000Z", D_2026_11_23 + 36900},
        {"2026-11-23T10:15:30.5Z", "2026-11-23T10:15:30.500Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15:30.05", "2026-11-23T10:15:30.050Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15:30.123Z", "2026-11-23T10:15:30.123Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15:30.123999999Z", "2026-11-23T10:15:30.123Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15:30+01:00", "2026-11-23T09:15:30.000Z", D_2026_11_23 + 33330},
        {"2026-11-23T10:15:30.25-02:30", "2026-11-23T12:45:30.250Z", D_2026_11_23 + 45930},
        {"2026-11-23T10:15+05:45", "2026-11-23T04:30:00.000Z", D_2026_11_23 + 16200},
        {"2026-11-23T00:30:00+01:00", "2026-11-22T23:30:00.000Z", D_2026_11_23 - 1800},
        {"2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00.000Z", D_2026_11_23 + 39 * 86400 + 1800},
        {"2026-11-23T10:15:30+00:00", "2026-11-23T10:15:30.000Z", D_2026_11_23 + 36930},
        {"2026-11-23T10:15:30-00:00", "2026-11-23T10:15:30.000Z", D_2026_11_23 + 36930},
        {"2026-11-23T00:00:00+23:59", "2026-11-22T00:01:00.000Z", D_2026_11_23 - 86340},
        /* leap years: every fourth, not every hundredth, every 400th */
        {"2024-02-29", "2024-02-29T00:00:00.000Z", 1709164800},
        {"2000-02-29", "2000-02-29T00:00:00.000Z", 951782400},
        {"2024-03-01", "2024-03-01T00:00:00.000Z", 1709164800 + 86400},
        {"2026-03-01", "2026-03-01T00:00:00.000Z", 1772323200},
        /* a leap second is read as the second before */
        {"2016-12-31T23:59:60Z", "2016-12-31T23:59:59.000Z", 1483228799},
        /* the ends of the range */
        {"9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", 253402214400 + 86399},
        {"2026-01-31", "2026-01-31T00:00:00.000Z", 1769817600},
        {"2026-04-30", "2026-04-30T00:00:00.000Z", 1777507200},
};

static void test_parse_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(good); i++) {
		char out[CLOCK_ISO_LEN];
		int64_t t = -1;
		struct crix_error err = {0};
		if (clock_parse_iso(good[i].in, "when", out, &t, &err) != 0)
			fail_msg("\"%s\": %s", good[i].in, err.msg);
		if (strcmp(out, good[i].out) != 0 || t != good[i].t)
			fail_msg("\"%s\" -> \"%s\" %lld, want \"%s\" %lld", good[i].in, out,
			         (long long)t, good[i].out, (long long)good[i].t);
		/* either output may be left out */
		assert_int_equal(clock_parse_iso(good[i].in, "when", NULL, NULL, NULL), 0);
		t = -1;
		assert_int_equal(clock_parse_iso(good[i].in, "when", NULL, &t, NULL), 0);
		assert_int_equal(t, good[i].t);
		/* the canonical form reads back to itself */
		char again[CLOCK_ISO_LEN];
		int64_t t2;
		assert_int_equal(clock_parse_iso(out, "when", again, &t2, &err), 0);
		assert_string_equal(again, out);
		assert_int_equal(t2, t);
	}
}

static const char *const bad[] = {
        "",
        "2026",
        "2026-11",
        "2026-1-01",
        "26-11-23",
        "2026/11/23",
        "20261123",
        "+2026-11-23",
        " 2026-11-23",
        "2026-11-23 ",
        "2026-11-23x",
        "2026-11-23Z",
        "2026-11-23+01:00",
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "2026-01-32",
        "2026-04-31",
        "2026-06-31",
        "2026-09-31",
        "2026-11-31",
        "2023-02-29",
        "1900-02-29",
        "2100-02-29",
        "2026-02-30",
        "1969-12-31",
        "0000-01-01",
        "2026-11-23T",
        "2026-11-23T10",
        "2026-11-23T1:15",
        "2026-11-23T10:5",
        "2026-11-23T24:00",
        "2026-11-23T10:60",
        "2026-11-23T10:15:61",
        "2026-11-23T10:15:3",
        "2026-11-23T10:15:30.",
        "2026-11-23T10:15:30.Z",
        "2026-11-23T10:15:30.5X",
        "2026-11-23T10:15:30,5Z",
        "2026-11-23T10:15+01",
        "2026-11-23T10:15+0100",
        "2026-11-23T10:15+1:00",
        "2026-11-23T10:15+24:00",
        "2026-11-23T10:15+01:60",
        "2026-11-23T10:15Z+01:00",
        "2026-11-23T10:15ZZ",
        "2026-11-23T10:15:30.1234567890123456789012Z", /* over 40 characters */
        "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-11-23",
        "2026-11-23T10:15:30\n",
        "yesterday",
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(bad); i++) {
		char out[CLOCK_ISO_LEN] = "untouched";
		int64_t t = 42;
		struct crix_error err = {0};
		int rc = clock_parse_iso(bad[i], "occurred.start", out, &t, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\" accepted as %s", bad[i], out);
		assert_int_equal(err.code, CRIX_EINVAL);
		/* the field name goes into the message, with the input */
		if (strncmp(err.msg, "occurred.start: '", 17) != 0)
			fail_msg("message \"%s\"", err.msg);
		assert_non_null(strstr(err.msg, "ISO 8601"));
		assert_int_equal(t, 42);
		assert_int_equal(clock_parse_iso(bad[i], "x", NULL, NULL, NULL), CRIX_EINVAL);
	}
	/* a long input is cut in the message, which stays terminated */
	char longer[300];
	memset(longer, '9', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	struct crix_error err = {0};
	assert_int_equal(clock_parse_iso(longer, "f", NULL, NULL, &err), CRIX_EINVAL);
	assert_true(strlen(err.msg) < 160);
}

/* What clock_format_iso writes, clock_parse_iso reads back. */
static void test_round_trip(void **state)
{
	(void)state;
	srand(1234);
	for (int i = 0; i < 20000; i++) {
		int64_t t = ((int64_t)rand() << 31 | rand()) % 253402300800LL;
		int ms = rand() % 1000;
		char out[CLOCK_ISO_LEN], again[CLOCK_ISO_LEN];
		clock_format_iso(t, ms, out);
		assert_int_equal(strlen(out), 24);
		int64_t back;
		struct crix_error err = {0};
		if (clock_parse_iso(out, "t", again, &back, &err) != 0)
			fail_msg("%lld -> \"%s\": %s", (long long)t, out, err.msg);
		assert_int_equal(back, t);
		assert_string_equal(again, out);
	}
	char out[CLOCK_ISO_LEN];
	assert_string_equal(clock_format_iso(0, 0, out), "1970-01-01T00:00:00.000Z");
	assert_string_equal(clock_format_iso(D_2026_11_23 + 43200, 7, out),
	                    "2026-11-23T12:00:00.007Z");
	assert_ptr_equal(clock_format_iso(1, 999, out), out);
	assert_string_equal(out, "1970-01-01T00:00:01.999Z");
}

/* Times sort as text. */
static void test_sorts_as_text(void **state)
{
	(void)state;
	char a[CLOCK_ISO_LEN], b[CLOCK_ISO_LEN];
	srand(99);
	for (int i = 0; i < 5000; i++) {
		int64_t t1 = rand() % 4000000000LL, t2 = rand() % 4000000000LL;
		int m1 = rand() % 1000, m2 = rand() % 1000;
		clock_format_iso(t1, m1, a);
		clock_format_iso(t2, m2, b);
		int want = t1 != t2 ? (t1 < t2 ? -1 : 1) : (m1 < m2 ? -1 : m1 > m2);
		int got = strcmp(a, b);
		got = got < 0 ? -1 : got > 0;
		assert_int_equal(got, want);
	}
}

static void test_now(void **state)
{
	(void)state;
	char now[CLOCK_ISO_LEN];
	/* the clock clock_now_iso reads: time() is the coarse clock, which can
	 * still name the previous second when the fine one has passed it */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	time_t before = ts.tv_sec;
	assert_ptr_equal(clock_now_iso(now), now);
	clock_gettime(CLOCK_REALTIME, &ts);
	time_t after = ts.tv_sec;
	int64_t t;
	assert_int_equal(clock_parse_iso(now, "now", NULL, &t, NULL), 0);
	assert_true(t >= before && t <= after);
	double m0 = clock_mono(), m1 = clock_mono();
	assert_true(m1 >= m0 && m0 > 0);
}

/* An offset can carry a time the canonical form cannot write back: out of
 * the 1970-9999 range that clock_parse_iso accepts. */
static void test_offset_out_of_range(void **state)
{
	(void)state;
	static const char *const edge[] = {"1970-01-01T00:30+01:00", "9999-12-31T23:30-01:00"};
	for (size_t i = 0; i < COUNT(edge); i++) {
		char out[CLOCK_ISO_LEN];
		int64_t t;
		/* refused, naming the field, rather than written in a form that
		 * does not parse back */
		struct crix_error err = {0};
		assert_int_equal(clock_parse_iso(edge[i], "t", out, &t, &err), CRIX_EINVAL);
		assert_non_null(strstr(err.msg, "t: "));
	}
}

/* clock_parse_iso_us: one instant at any precision; digits past the
 * microsecond dropped; -1 for what is not a time. */
static void test_parse_us(void **state)
{
	(void)state;
	int64_t t = 1767225600LL * 1000000;
	assert_true(clock_parse_iso_us("2026-01-01T00:00:00Z") == t);
	assert_true(clock_parse_iso_us("2026-01-01T00:00:00.000Z") == t);
	assert_true(clock_parse_iso_us("2026-01-01T00:00:00.5Z") == t + 500000);
	assert_true(clock_parse_iso_us("2026-01-01T00:00:00.500000Z") == t + 500000);
	assert_true(clock_parse_iso_us("2026-01-01T00:00:00.0000019Z") == t + 1);
	assert_true(clock_parse_iso_us("2026-01-01T01:00:00.25+01:00") == t + 250000);
	/* text order is not time order; this order is */
	assert_true(clock_parse_iso_us("2026-01-01T00:00:00Z") <
	            clock_parse_iso_us("2026-01-01T00:00:00.25Z"));
	assert_true(clock_parse_iso_us(NULL) == -1);
	assert_true(clock_parse_iso_us("") == -1);
	assert_true(clock_parse_iso_us("soon") == -1);
	assert_true(clock_parse_iso_us("2026-13-01T00:00:00Z") == -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_good), cmocka_unit_test(test_parse_bad),
	        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_sorts_as_text),
	        cmocka_unit_test(test_now),        cmocka_unit_test(test_offset_out_of_range),
	        cmocka_unit_test(test_parse_us),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
