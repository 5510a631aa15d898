/*
 * test_callcode.c - the country of an E.164 number (src/ioc/callcode.c):
 * the compiled rows are data/calling-codes.tsv row for row (so the two
 * cannot drift), sorted; the longest prefix wins (+1 684 is American Samoa,
 * +44 1534 Jersey, +1 441 Bermuda while +44 1 is still GB); shared codes
 * without a longer row are ambiguous, never guessed; bad text is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/callcode.h"
#include "util/err.h"

struct lookup {
	const char *number;
	const char *countries; /* NULL: not found */
	const char *prefix;
};

static const struct lookup cases[] = {
        {"+16845551234", "AS", "1684"},     /* American Samoa: NANP area code */
        {"+16715551234", "GU", "1671"},     /* Guam */
        {"+14415551234", "BM", "1441"},     /* Bermuda, not +44 */
        {"+12125550123", "US/CA", "1"},     /* New York: US or CA by code alone */
        {"+14165550123", "US/CA", "1"},     /* Toronto: the table has no US/CA split */
        {"+18095550123", "DO", "1809"},     /* Dominican Republic */
        {"+442079460958", "GB", "44"},      /* London */
        {"+447700900123", "GB", "44"},      /* a UK mobile */
        {"+441534123456", "JE", "441534"},  /* Jersey beats +44 */
        {"+441481123456", "GG", "441481"},  /* Guernsey */
        {"+441624123456", "IM", "441624"},  /* Isle of Man */
        {"+4412345678", "GB", "44"},        /* +441 is no code of its own */
        {"+74951234567", "RU", "74"},       /* Moscow */
        {"+79161234567", "RU", "79"},       /* a Russian mobile */
        {"+77011234567", "KZ", "77"},       /* a Kazakh mobile */
        {"+70123456789", "RU/KZ", "7"},     /* zone 7 outside the known ranges */
        {"+37060000000", "LT", "370"},      /* Lithuania: three-digit code */
        {"+33123456789", "FR", "33"},       /* France */
        {"+390669812345", "VA", "3906698"}, /* the Vatican inside +39 */
        {"+390612345678", "IT", "39"},      /* Rome */
        {"+262269123456", "YT", "262269"},  /* Mayotte */
        {"+262123456789", "RE/YT", "262"},  /* shared, nothing longer */
        {"16845551234", "AS", "1684"},      /* the '+' is optional */
        {"+80012345678", NULL, NULL},       /* international freephone: no country */
        {"+999", NULL, NULL},               /* unassigned */
};

static void test_lookups(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ioc_callcode c;
		int rc = ioc_callcode_country(cases[i].number, &c);
		if (cases[i].countries == NULL) {
			if (rc != CRIX_ENOTFOUND)
				fail_msg("%s: want not found, got %d %s", cases[i].number, rc,
				         c.countries);
			continue;
		}
		if (rc != 0 || strcmp(c.countries, cases[i].countries) != 0 ||
		    strcmp(c.prefix, cases[i].prefix) != 0)
			fail_msg("%s: want %s (+%s), got %d %s (+%s)", cases[i].number,
			         cases[i].countries, cases[i].prefix, rc, c.countries, c.prefix);
		assert_int_equal(c.ambiguous, strchr(cases[i].countries, '/') != NULL);
	}
}

static void test_bad_text(void **state)
{
	(void)state;
	struct ioc_callcode c;
	const char *bad[] = {"", "+", "+44 20", "+44a", "abc", "++44"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(ioc_callcode_country(bad[i], &c), CRIX_EINVAL);
	assert_int_equal(ioc_callcode_country(NULL, &c), CRIX_EINVAL);
}

/* The compiled rows are the data file's rows in order, sorted, each a
 * valid answer; every row answers its own countries. */
static void test_rows_are_the_data_file(void **state)
{
	(void)state;
	FILE *f = fopen("data/calling-codes.tsv", "r");
	assert_non_null(f);
	char line[256];
	size_t i = 0, lineno = 0;
	const char *prev = "";
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (tab == NULL)
			fail_msg("data/calling-codes.tsv:%zu: no tab", lineno);
		*tab = '\0';
		const char *want_cc;
		const char *p = ioc_callcode_row(i, &want_cc);
		if (p == NULL || strcmp(p, line) != 0 || strcmp(want_cc, tab + 1) != 0)
			fail_msg("data/calling-codes.tsv:%zu: %s %s differs from the compiled row "
			         "%zu (%s %s): run scripts/callcodes-gen",
			         lineno, line, tab + 1, i, p ? p : "none", p ? want_cc : "");
		assert_true(strcmp(prev, p) < 0);
		assert_true(strlen(p) <= IOC_CALLCODE_PREFIX_MAX);
		assert_true(strlen(want_cc) < IOC_CALLCODE_ISO_MAX);
		char num[32];
		snprintf(num, sizeof num, "+%s", p);
		struct ioc_callcode c;
		assert_int_equal(ioc_callcode_country(num, &c), 0);
		assert_string_equal(c.countries, want_cc);
		prev = p;
		i++;
	}
	fclose(f);
	const char *cc;
	assert_null(ioc_callcode_row(i, &cc));
	assert_true(i > 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_lookups),
	        cmocka_unit_test(test_bad_text),
	        cmocka_unit_test(test_rows_are_the_data_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
