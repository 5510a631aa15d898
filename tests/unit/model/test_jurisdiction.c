/*
 * test_jurisdiction.c - the jurisdiction rules loader and matcher
 * (src/model/jurisdiction.c): the shipped data/jurisdictions files load;
 * files in a directory are read in name order with one fallback in all;
 * every error names the file, the rule index and the member; a rule matches
 * when each criterion it names shares a value with the case (regions and
 * categories without regard to case).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jurisdiction.h"
#include "unit/store/tmpdir.h"

#ifndef CRIX_DATA_DIR
#define CRIX_DATA_DIR "data"
#endif

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_shipped_rules_load(void **state)
{
	(void)state;
	struct jurisdiction *j;
	struct crix_error err = {0};
	int rc = jurisdiction_load(CRIX_DATA_DIR "/jurisdictions", &j, &err);
	if (rc != 0)
		fail_msg("%s", err.msg);
	assert_true(j->n >= 1);
	assert_non_null(j->fallback);
	assert_int_equal(j->fallback->index, -1);
	jurisdiction_free(j);
}

static void test_directory_order_and_fallback(void **state)
{
	(void)state;
	char *dir = tmpdir_new();
	write_file(dir, "b.json", "{\"rules\": [{\"name\": \"second\", \"org_id\": 2}]}");
	write_file(dir, "a.json",
	           "{\"rules\": [{\"name\": \"first\", \"victim_region\": [\"London\"], "
	           "\"org\": \"Met\"}], \"fallback\": {\"org\": \"NCA\"}}");
	write_file(dir, "notes.txt", "not a rules file");
	struct jurisdiction *j;
	struct crix_error err = {0};
	assert_int_equal(jurisdiction_load(dir, &j, &err), 0);
	assert_int_equal(j->n, 2);
	assert_string_equal(j->rules[0].name, "first");
	assert_string_equal(j->rules[1].name, "second");
	assert_int_equal(j->rules[1].index, 0);
	assert_int_equal(j->rules[1].org_id, 2);
	assert_string_equal(j->fallback->org, "NCA");
	jurisdiction_free(j);
	/* a second fallback is refused, naming both files */
	write_file(dir, "c.json", "{\"fallback\": {\"org\": \"Other\"}}");
	assert_int_equal(jurisdiction_load(dir, &j, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "c.json: fallback: already given by"));
	assert_non_null(strstr(err.msg, "a.json"));
	tmpdir_remove(dir);
	free(dir);
}

static void test_errors_name_file_rule_and_member(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} bad[] = {
	        {"[1]", "x.json: not a JSON object"},
	        {"{\"rules\": [], \"colour\": 1}", "x.json: colour: unknown member"},
	        {"{\"rules\": {}}", "x.json: rules: an array of rules"},
	        {"{\"rules\": [{\"org\": \"A\"}, 7]}", "x.json: rules[1]: not an object"},
	        {"{\"rules\": [{\"org\": \"A\", \"victim_region\": \"London\"}]}",
	         "x.json: rules[0].victim_region: an array of 1 to 100 strings"},
	        {"{\"rules\": [{\"org\": \"A\", \"category\": [\"ok\", 3]}]}",
	         "x.json: rules[0].category[1]: a string"},
	        {"{\"rules\": [{\"org\": \"A\", \"org_id\": 3}]}",
	         "x.json: rules[0]: give exactly one of org and org_id"},
	        {"{\"rules\": [{\"name\": \"no target\"}]}",
	         "x.json: rules[0]: give exactly one of org and org_id"},
	        {"{\"rules\": [{\"org_id\": -3}]}", "x.json: rules[0].org_id: a positive integer"},
	        {"{\"rules\": [{\"org\": \"A\", \"suspect\": [\"x\"]}]}",
	         "x.json: rules[0].suspect: unknown member"},
	        {"{\"fallback\": {\"org\": \"A\", \"article\": [\"directive:3\"]}}",
	         "x.json: fallback.article: the fallback matches everything"},
	        {"{\"rules\": [", "x.json:1:"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct jurisdiction *j = jurisdiction_new();
		struct crix_error err = {0};
		int rc = jurisdiction_parse(j, "x.json", bad[i].text, strlen(bad[i].text), &err);
		if (rc == 0 || strstr(err.msg, bad[i].want) == NULL)
			fail_msg("case %zu: rc %d, message '%s', want '%s'", i, rc, err.msg,
			         bad[i].want);
		jurisdiction_free(j);
	}
}

static void test_matching(void **state)
{
	(void)state;
	const char *text = "{\"rules\": ["
	                   "{\"org\": \"A\", \"victim_region\": [\"london\"], \"category\": "
	                   "[\"phishing\", \"investment-fraud\"]},"
	                   "{\"org\": \"B\", \"suspect_country\": [\"LT\"]},"
	                   "{\"org\": \"C\"}]}";
	struct jurisdiction *j = jurisdiction_new();
	struct crix_error err = {0};
	assert_int_equal(jurisdiction_parse(j, "m.json", text, strlen(text), &err), 0);
	static const char *const regions[] = {"Kent", "London"}, *const cats[] = {"Phishing"},
	                         *const lt[] = {"LT"};
	struct juris_case c = {{regions, NULL, cats, NULL}, {2, 0, 1, 0}};
	assert_true(juris_rule_matches(&j->rules[0], &c));  /* every criterion shares a value */
	assert_false(juris_rule_matches(&j->rules[1], &c)); /* no country in the case */
	assert_true(juris_rule_matches(&j->rules[2], &c));  /* no criteria: anything */
	c.n_values[JURIS_CATEGORY] = 0;
	assert_false(juris_rule_matches(&j->rules[0], &c)); /* one criterion unmet */
	c.values[JURIS_COUNTRY] = lt;
	c.n_values[JURIS_COUNTRY] = 1;
	assert_true(juris_rule_matches(&j->rules[1], &c));
	assert_string_equal(juris_crit_name(JURIS_COUNTRY), "suspect_country");
	jurisdiction_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_shipped_rules_load),
	        cmocka_unit_test(test_directory_order_and_fallback),
	        cmocka_unit_test(test_errors_name_file_rule_and_member),
	        cmocka_unit_test(test_matching),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
