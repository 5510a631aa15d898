/*
 * fuzz_directory.c - libFuzzer target for the directory's search text
 * (directory_query) and name matching (directory_match).
 *
 * Input: up to the first NUL is q; what follows is a name.  Checked (abort()
 * on violation):
 *   - directory_query either fails naming the field "q", or succeeds with a
 *     folded copy of the same length that holds no upper-case ASCII letter;
 *   - a name matches its own folded form at its start (rank 2), and
 *     directory_match returns 0, 1 or 2 and never reads past the name.
 */
#include "model/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_directory: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	const char *q = buf, *name = buf + strlen(buf) + 1;
	if (name > buf + size)
		name = buf + size; /* no NUL in the input: an empty name */
	char folded[DIRECTORY_Q_MAX + 1];
	struct crix_error err = {0};
	if (directory_query(q, folded, &err) != 0) {
		if (strcmp(err.field, "q") != 0 || strncmp(err.msg, "q: ", 3) != 0)
			fail("a refusal that does not name q");
	} else {
		if (strlen(folded) != strlen(q))
			fail("the folded q has another length");
		for (const char *p = folded; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				fail("an upper-case letter left in the folded q");
		if (directory_match(q, folded) != 2)
			fail("q does not match itself at its start");
		int r = directory_match(name, folded);
		if (r < 0 || r > 2)
			fail("a rank out of range");
	}
	free(buf);
	return 0;
}
