/*
 * fuzz_alert.c - libFuzzer target for alert validation (src/model/alert.c,
 * alert_validate): what an analyst's browser or script sends to
 * POST /api/v1/alerts.
 *
 * Input: a JSON document (any value at the top; NUL characters in strings
 * allowed, so that the NUL checks run).  Documents jansson refuses are
 * skipped: the HTTP layer refuses them first.  The real offence catalogue
 * (data/, read once: run from the repository root) and a real indicator
 * context are used; validation stores nothing, so there is no store.
 *
 * Checked, with abort() on a violation:
 *   - the result is 0 or a negative CRIX_E* code, with a NUL-terminated
 *     message (and field) on failure;
 *   - CRIX_EINVAL and CRIX_ETOOBIG name the field at fault whenever the
 *     document is an object, and the message starts with that field;
 *   - a valid alert has a TLP of CLEAR or GREEN, a known category, texts
 *     within their caps, and indicators that are a JSON array of at most
 *     ALERT_INDICATORS_MAX {"type", "value"} objects;
 *   - validation does not change the document and gives the same answer
 *     twice.
 */
#include "model/alert.h"
#include "share/tlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalogue *cat;
static struct ioc_ctx *ioc;
static struct alert_env env;

static void fail(const char *what, int rc, const struct crix_error *err)
{
	fprintf(stderr, "fuzz_alert: %s (rc %d, field \"%.*s\": %.*s)\n", what, rc,
	        (int)sizeof err->field, err->field, CRIX_ERRMSG_MAX, err->msg);
	abort();
}

static void init(void)
{
	struct crix_error err = {0};
	if (catalogue_load("data", &cat, &err) != 0 || ioc_ctx_new(&ioc, &err) != 0) {
		fprintf(stderr, "fuzz_alert: setup (run from the repository root): %s\n", err.msg);
		abort();
	}
	env = (struct alert_env){NULL, cat, ioc};
}

/* The properties every valid alert has. */
static void check_valid(const struct store_alert *a, const struct crix_error *err)
{
	if (a->tlp != TLP_CLEAR && a->tlp != TLP_GREEN)
		fail("a valid alert with another TLP", 0, err);
	if (catalogue_offence(cat, a->category) == NULL)
		fail("a valid alert with an unknown category", 0, err);
	size_t tl = strlen(a->title);
	if (tl < ALERT_TITLE_MIN || tl > ALERT_TITLE_MAX || a->summary == NULL ||
	    strlen(a->summary) > ALERT_SUMMARY_MAX || a->advice == NULL ||
	    strlen(a->advice) > ALERT_ADVICE_MAX)
		fail("a valid alert over its caps", 0, err);
	json_t *inds = a->indicators != NULL ? json_loads(a->indicators, 0, NULL) : NULL;
	if (!json_is_array(inds) || json_array_size(inds) > ALERT_INDICATORS_MAX)
		fail("indicators are not an array within the cap", 0, err);
	size_t i;
	json_t *o;
	json_array_foreach(inds, i, o)
	{
		if (!json_is_string(json_object_get(o, "type")) ||
		    !json_is_string(json_object_get(o, "value")) || json_object_size(o) != 2)
			fail("an indicator is not {type, value}", 0, err);
	}
	json_decref(inds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (cat == NULL)
		init();
	json_error_t je;
	json_t *in = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (in == NULL)
		return 0;
	json_t *copy = json_deep_copy(in);
	if (copy == NULL)
		abort();
	const char *now = "2026-06-01T00:00:00.000Z";

	struct crix_error err;
	memset(&err, 'x', sizeof err);
	struct store_alert a = {0};
	int rc = alert_validate(&env, in, now, &a, &err);
	if (rc > 0 || rc < CRIX_EACCES)
		fail("not a crix_err code", rc, &err);
	if (rc != 0) {
		if (memchr(err.msg, '\0', sizeof err.msg) == NULL)
			fail("message not NUL-terminated", rc, &err);
		if (memchr(err.field, '\0', sizeof err.field) == NULL)
			fail("field not NUL-terminated", rc, &err);
		if (err.msg[0] == '\0')
			fail("a failure without a message", rc, &err);
		if ((rc == CRIX_EINVAL || rc == CRIX_ETOOBIG) && json_is_object(in)) {
			if (err.field[0] == '\0')
				fail("an invalid alert without the field at fault", rc, &err);
			if (strncmp(err.msg, err.field, strlen(err.field)) != 0)
				fail("the message does not start with the field", rc, &err);
		}
	} else {
		check_valid(&a, &err);
	}
	store_alert_clear(&a);
	if (!json_equal(in, copy))
		fail("validation changed the document", rc, &err);

	struct crix_error err2 = {0};
	struct store_alert b = {0};
	int rc2 = alert_validate(&env, in, now, &b, &err2);
	if (rc2 != rc || (rc != 0 && strcmp(err.field, err2.field) != 0))
		fail("a second validation gave another answer", rc2, &err2);
	store_alert_clear(&b);
	json_decref(copy);
	json_decref(in);
	return 0;
}
