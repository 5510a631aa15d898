/*
 * test_triage.c - the triage score (src/model/triage.c): each factor's
 * points under the default weights, losses by order of magnitude per
 * currency, recency falling to nothing, the cap on lines of enquiry, the
 * reasons adding up to the score, and the weights file (every member, the
 * comment, unknown names, wrong types and bad values named in the error).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/triage.h"

static double points(json_t *reasons, const char *factor)
{
	double sum = 0;
	size_t i;
	json_t *r;
	json_array_foreach(reasons, i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "factor")), factor) == 0)
			sum += json_real_value(json_object_get(r, "points"));
	}
	return sum;
}

static void test_default_weights(void **state)
{
	(void)state;
	struct triage_weights w;
	triage_defaults(&w);
	struct triage_input in = {.victims = 3,
	                          .vulnerable = 1,
	                          .ongoing = 2,
	                          .enquiry_lines = 4,
	                          .age_days = 45,
	                          .n_losses = 2};
	memcpy(in.losses[0].currency, "GBP", 4);
	in.losses[0].total_minor = 99900; /* 999.00: log10(1000) = 3 */
	memcpy(in.losses[1].currency, "EUR", 4);
	in.losses[1].total_minor = 900; /* 9.00: log10(10) = 1 */
	json_t *reasons;
	double s = triage_score(&w, &in, &reasons);
	assert_true(fabs(points(reasons, "victims") - 30) < 1e-9);
	assert_true(fabs(points(reasons, "vulnerable_victims") - 15) < 1e-9);
	assert_true(fabs(points(reasons, "losses") - 32) < 1e-6);  /* 8 * 3 + 8 * 1 */
	assert_true(fabs(points(reasons, "recency") - 10) < 1e-9); /* half of 90 days gone */
	assert_true(fabs(points(reasons, "ongoing") - 10) < 1e-9);
	assert_true(fabs(points(reasons, "lines_of_enquiry") - 24) < 1e-9);
	assert_true(fabs(s - 121) < 1e-6);
	assert_int_equal(json_array_size(reasons), 7);
	json_decref(reasons);
	/* NULL reasons: the same score */
	assert_true(fabs(triage_score(&w, &in, NULL) - s) < 1e-9);
}

static void test_edges(void **state)
{
	(void)state;
	struct triage_weights w;
	triage_defaults(&w);
	/* an old case with nothing: no points, no reasons */
	struct triage_input in = {.age_days = 400};
	json_t *reasons;
	assert_true(triage_score(&w, &in, &reasons) == 0);
	assert_int_equal(json_array_size(reasons), 0);
	json_decref(reasons);
	/* lines of enquiry are capped at enquiry_max */
	in.enquiry_lines = 1000;
	assert_true(fabs(triage_score(&w, &in, NULL) - 60) < 1e-9);
	/* a zero loss scores nothing */
	in = (struct triage_input){.age_days = 400, .n_losses = 1};
	memcpy(in.losses[0].currency, "GBP", 4);
	assert_true(triage_score(&w, &in, NULL) == 0);
}

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/crix-triage-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_load(void **state)
{
	(void)state;
	struct triage_weights w;
	struct crix_error err = {0};
	char *p = write_tmp("{\"comment\": \"x\", \"victim\": 2.5, \"recency_days\": 7}");
	assert_int_equal(triage_load(p, &w, &err), 0);
	assert_true(w.victim == 2.5 && w.recency_days == 7 && w.loss == 8);
	unlink(p);
	free(p);
	static const struct {
		const char *text, *want;
	} bad[] = {
	        {"{\"victims\": 1}", "victims: unknown weight"},
	        {"{\"victim\": \"1\"}", "victim: not a number"},
	        {"{\"victim\": -1}", "victim: not a number"},
	        {"{\"recency_days\": 0}", "recency_days: not a number in (0,"},
	        {"{\"loss\": 1e12}", "loss: not a number"},
	        {"[1]", "not a JSON object"},
	        {"{\"victim\": 1,", ":1:"},
	        {"{\"victim\": 1, \"victim\": 2}", "duplicate"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = write_tmp(bad[i].text);
		assert_int_equal(triage_load(p, &w, &err), CRIX_EINVAL);
		if (strstr(err.msg, bad[i].want) == NULL || strstr(err.msg, p) == NULL)
			fail_msg("%s: message '%s' lacks '%s' or the file name", bad[i].text,
			         err.msg, bad[i].want);
		unlink(p);
		free(p);
	}
	assert_int_equal(triage_load("/nonexistent/triage.json", &w, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "/nonexistent/triage.json"));
	/* the shipped file loads and equals the built-in defaults */
	struct triage_weights d;
	triage_defaults(&d);
	if (access("data/triage.json", R_OK) == 0) {
		assert_int_equal(triage_load("data/triage.json", &w, &err), 0);
		assert_memory_equal(&w, &d, sizeof w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_default_weights),
	        cmocka_unit_test(test_edges),
	        cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
