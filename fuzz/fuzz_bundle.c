/*
 * fuzz_bundle.c - libFuzzer target for the streaming STIX bundle scanner
 * (src/share/bundle.c).
 *
 * Input: the first byte sets the size of the pieces fed (1 + byte % 64; 0
 * feeds everything at once), the rest is the bundle.  The same input is
 * also scanned whole, and the small element cap (256 bytes) is applied.
 *
 * Checked, with abort() on a violation:
 *   - the result is 0 or a negative CRIX_E* code with a non-empty message;
 *   - the elements handed over are pieces of the input, in order, not
 *     overlapping, and none is over the cap;
 *   - feeding in pieces gives the same result, elements and message as
 *     feeding it whole: the split never changes what is read.
 */
#include "share/bundle.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP 256

struct seen {
	const char *base;
	size_t len, next; /* where the next element may start */
	size_t n;
	uint64_t hash;
};

static int on_obj(void *arg, size_t index, const char *obj, size_t len)
{
	struct seen *s = arg;
	if (index != s->n || len == 0 || len > CAP)
		abort();
	/* a copy or the input itself: either way, its bytes occur in order */
	const char *hit = NULL;
	for (size_t i = s->next; i + len <= s->len && hit == NULL; i++)
		if (memcmp(s->base + i, obj, len) == 0)
			hit = s->base + i;
	if (hit == NULL)
		abort();
	s->next = (size_t)(hit - s->base) + len;
	for (size_t i = 0; i < len; i++)
		s->hash = (s->hash ^ (unsigned char)obj[i]) * 1099511628211ull;
	s->n++;
	return 0;
}

static int run(const char *p, size_t n, size_t step, struct seen *s, struct crix_error *err)
{
	memset(s, 0, sizeof *s);
	s->base = p;
	s->len = n;
	s->hash = 1469598103934665603ull;
	struct bundle_scan *b;
	if (bundle_scan_new(CAP, on_obj, s, &b, err) != 0)
		abort();
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i += step)
		rc = bundle_scan_feed(b, p + i, n - i < step ? n - i : step, err);
	if (rc == 0)
		rc = bundle_scan_end(b, NULL, err);
	bundle_scan_free(b);
	if (rc > 0 || rc < CRIX_ENOTFOUND)
		abort();
	if (rc != 0 && err->msg[0] == '\0')
		abort();
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = data[0] ? 1 + data[0] % 64 : size;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	struct seen a, b;
	struct crix_error ea = {0}, eb = {0};
	int ra = run(p, n, step, &a, &ea);
	int rb = run(p, n, n ? n : 1, &b, &eb);
	if (ra != rb || a.n != b.n || a.hash != b.hash || strcmp(ea.msg, eb.msg) != 0) {
		fprintf(stderr, "split %zu: rc %d/%d n %zu/%zu '%s' / '%s'\n", step, ra, rb, a.n,
		        b.n, ea.msg, eb.msg);
		abort();
	}
	return 0;
}
