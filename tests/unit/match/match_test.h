/*
 * match_test.h - the small helpers the index tests (test_index.c,
 * test_indexfile.c) share: values parsed as the loaders parse them, and an
 * index built through its public API, each failing the test on an error so
 * that a test reads as the indicators it adds.  Static inline, so that a
 * test that does not use one does not warn.
 */
#ifndef CRIX_TESTS_UNIT_MATCH_MATCH_TEST_H
#define CRIX_TESTS_UNIT_MATCH_MATCH_TEST_H

#include "match/match.h"
#include "unit/match/iocfx.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Parses s as type; fails the test when it is not valid.  The value is
 * static: valid until the next call. */
static inline struct ioc_value *parse(enum ioc_type type, const char *s)
{
	static struct ioc_value v;
	struct crix_error err = {0};
	if (ioc_parse(ctx, type, s, strlen(s), NULL, &v, &err) != 0)
		fail_msg("ioc_parse(%s, \"%s\"): %s", ioc_type_name(type), s, err.msg);
	return &v;
}

static inline struct match_index *new_index(void)
{
	struct match_index *ix = NULL;
	struct crix_error err = {0};
	assert_int_equal(match_index_new(&ix, &err), 0);
	assert_non_null(ix);
	return ix;
}

/* Adds a source (tlp and tags may be NULL); returns its id. */
static inline uint32_t source(struct match_index *ix, const char *name, const char *tlp,
                              const char *tags)
{
	struct match_source src = {.name = name, .tlp = tlp, .tags = tags};
	uint32_t id = UINT32_MAX;
	struct crix_error err = {0};
	assert_int_equal(match_index_add_source(ix, &src, &id, &err), 0);
	return id;
}

/* Adds s (as type) from source at line; returns whether it was allowed. */
static inline bool add(struct match_index *ix, enum ioc_type type, const char *s, uint32_t src,
                       uint64_t line)
{
	bool allowed = true;
	struct crix_error err = {0};
	if (match_index_add(ix, parse(type, s), src, line, &allowed, &err) != 0)
		fail_msg("match_index_add(%s): %s", s, err.msg);
	return allowed;
}

/* Allow-lists s (as type); returns how many entries it removed. */
static inline size_t allow(struct match_index *ix, enum ioc_type type, const char *s)
{
	size_t removed = 999;
	struct crix_error err = {0};
	if (match_index_allow(ix, parse(type, s), &removed, &err) != 0)
		fail_msg("match_index_allow(%s): %s", s, err.msg);
	return removed;
}

#endif
