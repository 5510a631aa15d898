/*
 * storefx.h - a real SQLite store in a fresh temporary directory, for the
 * unit tests that need one: opened before a test (in a cmocka setup or at
 * the top of a test) and closed and removed after, in one way for all.
 */
#ifndef CRIX_TESTS_UNIT_STORE_STOREFX_H
#define CRIX_TESTS_UNIT_STORE_STOREFX_H

#include "store/store.h"
#include "unit/store/tmpdir.h"

#include <stdio.h>
#include <stdlib.h>

/*
 * Makes a temporary directory and opens a store in it.  OUT: *dir (give it
 * back to storefx_close), *s.  0, or -1 having printed why, so that a
 * setup returns it as it is and a test asserts it is 0.
 */
static inline int storefx_open(char **dir, struct store **s)
{
	struct crix_error err = {0};
	*s = NULL;
	if ((*dir = tmpdir_new()) == NULL) {
		fprintf(stderr, "storefx: cannot make a temporary directory\n");
		return -1;
	}
	if (store_open(NULL, *dir, s, &err) != 0) {
		fprintf(stderr, "storefx: store_open(%s): %s\n", *dir, err.msg);
		return -1;
	}
	return 0;
}

/* Closes s and removes dir with everything in it; either may be NULL. */
static inline void storefx_close(char *dir, struct store *s)
{
	store_close(s);
	tmpdir_remove(dir);
	free(dir);
}

#endif
