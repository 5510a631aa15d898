/*
 * fuzz_refang.c - libFuzzer target for ioc_refang.
 *
 * Input: the whole input is the text.  It is refanged into a buffer of
 * exactly len bytes (ioc.h promises len bytes suffice) with an offset map,
 * and checked (abort() on violation):
 *   - the call succeeds and outlen <= len;
 *   - every map[i] < len, and the map is non-decreasing (output bytes come
 *     from the input in order);
 *   - an output byte that is not a refanged character is the input byte its
 *     map entry points at (refanging only rewrites defanging marks);
 *   - refanging without a map gives the same output;
 *   - a buffer one byte too small for the output is refused with an error
 *     rather than overflowed or silently truncated (ASan watches the write).
 */
#include "ioc/ioc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant and stops. */
static void fail(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_refang: %s (at output byte %zu)\n", what, i);
	abort();
}

/* Bytes that refanging may produce from other bytes ("[.]" -> ".", "hxxp" ->
 * "http", "[at]" -> "@", "fxp" -> "ftp", ...).  The letters of the schemes
 * are allowed whole because "HXXPS" may come out in either case. */
static int may_be_rewritten(char c)
{
	return strchr(".@:/hHtTpPsSfF", c) != NULL && c != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t len = size;
	char *out = malloc(len > 0 ? len : 1);
	char *out2 = malloc(len > 0 ? len : 1);
	uint32_t *map = malloc((len > 0 ? len : 1) * sizeof *map);
	if (out == NULL || out2 == NULL || map == NULL)
		goto done;

	size_t outlen = (size_t)-1;
	struct crix_error err = {0};
	int rc = ioc_refang(text, len, out, len, map, &outlen, &err);
	if (rc != 0) {
		fprintf(stderr, "fuzz_refang: ioc_refang: %d %s\n", rc, err.msg);
		fail("ioc_refang failed with a buffer of len bytes", 0);
	}
	if (outlen > len)
		fail("outlen > len", outlen);
	for (size_t i = 0; i < outlen; i++) {
		if (map[i] >= len)
			fail("map[i] >= len", i);
		if (i > 0 && map[i] < map[i - 1])
			fail("map decreases", i);
		if (out[i] != text[map[i]] && !may_be_rewritten(out[i]))
			fail("output byte neither copied from its map entry nor a refanged "
			     "character",
			     i);
	}

	size_t outlen2 = (size_t)-1;
	rc = ioc_refang(text, len, out2, len, NULL, &outlen2, &err);
	if (rc != 0)
		fail("ioc_refang without a map failed", 0);
	if (outlen2 != outlen || memcmp(out, out2, outlen) != 0)
		fail("output differs with and without a map", 0);

	if (outlen > 0) {
		/* out2 is reallocated to exactly outlen - 1 bytes for ASan. */
		free(out2);
		out2 = malloc(outlen - 1 > 0 ? outlen - 1 : 1);
		if (out2 == NULL)
			goto done;
		rc = ioc_refang(text, len, out2, outlen - 1, NULL, &outlen2, &err);
		if (rc == 0)
			fail("ioc_refang succeeded into a buffer too small for its output",
			     outlen - 1);
		if (memchr(err.msg, '\0', sizeof err.msg) == NULL)
			fail("error message not NUL-terminated", 0);
	}
done:
	free(out);
	free(out2);
	free(map);
	return 0;
}
