/*
 * fuzz_report.c - libFuzzer target for report validation
 * (src/model/report.c, report_validate): what a victim or a partner's system
 * sends to POST /api/v1/reports.
 *
 * Input: a JSON document (any value at the top; NUL characters in strings
 * allowed, so that the NUL checks run).  Documents jansson refuses are
 * skipped: the HTTP layer refuses them before report.c sees them.  The real
 * offence catalogue (data/, read once: run from the repository root) and a
 * real indicator context are used; validation stores nothing, so there is no
 * store.
 *
 * Checked, with abort() on a violation:
 *   - the result is 0 or a negative CRIX_E* code;
 *   - err.msg and err.field are NUL-terminated, and a failure has a message;
 *   - CRIX_EINVAL and CRIX_ETOOBIG name the field at fault (err.field not
 *     empty) whenever the document is an object, and the message starts
 *     with that field, for readers of the message alone;
 *   - validation does not change the document, and gives the same answer
 *     twice.
 */
#include "model/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalogue *cat;
static struct ioc_ctx *ioc;
static struct report_env env;

static void fail(const char *what, int rc, const struct crix_error *err)
{
	fprintf(stderr, "fuzz_report: %s (rc %d, field \"%.*s\": %.*s)\n", what, rc,
	        (int)sizeof err->field, err->field, CRIX_ERRMSG_MAX, err->msg);
	abort();
}

static void init(void)
{
	struct crix_error err = {0};
	if (secret_init(&err) != 0 || catalogue_load("data", &cat, &err) != 0 ||
	    ioc_ctx_new(&ioc, &err) != 0) {
		fprintf(stderr, "fuzz_report: setup (run from the repository root): %s\n", err.msg);
		abort();
	}
	static unsigned char key[SECRET_KEY_LEN];
	env = (struct report_env){NULL, cat, ioc, key, "/nonexistent", NULL};
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

	struct crix_error err;
	memset(&err, 'x', sizeof err);
	int rc = report_validate(&env, in, &err);
	if (rc > 0 || rc < CRIX_EACCES)
		fail("not a crix_err code", rc, &err);
	if (rc != 0) {
		if (memchr(err.msg, '\0', sizeof err.msg) == NULL)
			fail("message not NUL-terminated", rc, &err);
		if (memchr(err.field, '\0', sizeof err.field) == NULL)
			fail("field not NUL-terminated", rc, &err);
		if (err.code != rc)
			fail("err.code is not the code returned", rc, &err);
		if (err.msg[0] == '\0')
			fail("a failure without a message", rc, &err);
		if ((rc == CRIX_EINVAL || rc == CRIX_ETOOBIG) && json_is_object(in)) {
			if (err.field[0] == '\0')
				fail("an invalid report without the field at fault", rc, &err);
			if (strncmp(err.msg, err.field, strlen(err.field)) != 0)
				fail("the message does not start with the field", rc, &err);
		}
	}
	if (!json_equal(in, copy))
		fail("validation changed the document", rc, &err);

	struct crix_error err2 = {0};
	int rc2 = report_validate(&env, in, &err2);
	if (rc2 != rc || (rc != 0 && strcmp(err.field, err2.field) != 0))
		fail("a second validation gave another answer", rc2, &err2);
	json_decref(copy);
	json_decref(in);
	return 0;
}
