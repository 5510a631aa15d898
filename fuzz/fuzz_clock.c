/*
 * fuzz_clock.c - libFuzzer target for clock_parse_iso (src/util/clock.c),
 * which reads the times in reports ("occurred") and in list filters.
 *
 * Input: the text (up to 64 bytes are used; a NUL ends it early, as a C
 * string would).
 *
 * Checked, with abort() on a violation:
 *   - success writes a canonical UTC time of 24 characters
 *     (YYYY-MM-DDTHH:MM:SS.mmmZ) into out and nothing beyond it;
 *   - the canonical form parses again to the same text and the same seconds;
 *   - a failure leaves out and *t alone and gives a NUL-terminated message
 *     that starts with the field name.
 */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *in, const char *out)
{
	fprintf(stderr, "fuzz_clock: %s\n  input: \"%s\"\n  out:   \"%s\"\n", what, in, out);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size < 64 ? size : 64;
	char *in = malloc(n + 1);
	char *out = malloc(CLOCK_ISO_LEN); /* exactly the documented size */
	if (in == NULL || out == NULL)
		abort();
	memcpy(in, data, n);
	in[n] = '\0';
	memset(out, 'u', CLOCK_ISO_LEN);
	out[CLOCK_ISO_LEN - 1] = '\0';
	int64_t t = -424242;
	struct crix_error err;
	memset(&err, 'x', sizeof err);
	int rc = clock_parse_iso(in, "when", out, &t, &err);
	if (rc == 0) {
		if (strlen(out) != 24 || out[4] != '-' || out[7] != '-' || out[10] != 'T' ||
		    out[13] != ':' || out[16] != ':' || out[19] != '.' || out[23] != 'Z')
			fail("not the canonical form", in, out);
		if (t < 0 || t >= 253402300800LL)
			fail("a time out of 1970..9999 was accepted", in, out);
		char again[CLOCK_ISO_LEN];
		int64_t t2;
		if (clock_parse_iso(out, "when", again, &t2, &err) != 0)
			fail("the canonical form does not parse", in, out);
		if (strcmp(again, out) != 0 || t2 != t)
			fail("the canonical form parses to something else", in, again);
	} else {
		if (rc != CRIX_EINVAL || err.code != CRIX_EINVAL)
			fail("a failure that is not CRIX_EINVAL", in, "");
		if (memchr(err.msg, '\0', sizeof err.msg) == NULL)
			fail("message not NUL-terminated", in, "");
		if (strncmp(err.msg, "when: '", 7) != 0)
			fail("the message does not start with the field", in, err.msg);
		if (t != -424242 || out[0] != 'u')
			fail("a failure wrote a result", in, out);
	}
done:
	free(in);
	free(out);
	return 0;
}
