/*
 * iocfx.h - the indicator context (public suffix list, parsers) that the
 * match tests share: made once per group by the cmocka setup, since
 * loading the list is the slow part, and freed by the teardown.
 */
#ifndef CRIX_TESTS_UNIT_MATCH_IOCFX_H
#define CRIX_TESTS_UNIT_MATCH_IOCFX_H

#include "ioc/ioc.h"

#include <stdio.h>

static struct ioc_ctx *ctx;

static int setup(void **state)
{
	(void)state;
	struct crix_error err = {0};
	if (ioc_ctx_new(&ctx, &err) != 0) {
		fprintf(stderr, "ioc_ctx_new: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ioc_ctx_free(ctx);
	return 0;
}

#endif
