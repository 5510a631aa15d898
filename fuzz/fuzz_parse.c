/*
 * fuzz_parse.c - libFuzzer target for ioc_parse and ioc_guess.
 *
 * Input: the first byte selects the type, 1 + byte % (IOC_TYPE_COUNT - 1)
 * (IOC_NONE is skipped), and the default country, (byte / 18) % 4: none, GB,
 * US, DE; the rest is the value.  So selector t - 1 is type t with no country.
 *
 * Checked (abort() on violation):
 *   - a successful parse gives out.type == type, a non-empty value with
 *     out.len == strlen(out.v) < IOC_VALUE_MAX;
 *   - canonical forms are fixed points: parsing out.v again as the same type
 *     succeeds and gives the identical value (except card, which is masked);
 *   - a failed parse leaves a NUL-terminated message;
 *   - ioc_guess, when it succeeds, gives a real type, and the value it gives
 *     is what ioc_parse of that type gives for the same input, and is itself
 *     a fixed point (except card);
 *   - ioc_guess picks the type that trying every type in its documented
 *     order picks (it skips the types a value's shape rules out).
 */
#include "ioc/ioc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ioc_ctx *ctx;

static const char countries[4][3] = {"", "GB", "US", "DE"};

/* Reports a broken invariant with the input and the values involved. */
static void fail(const char *what, enum ioc_type type, const char *s, size_t n,
                 const struct ioc_value *a, const struct ioc_value *b)
{
	fprintf(stderr, "fuzz_parse: %s (type %s)\n  input: \"%.*s\"\n", what, ioc_type_name(type),
	        (int)(n < 300 ? n : 300), s);
	if (a != NULL)
		fprintf(stderr, "  first:  \"%.*s\" (%s)\n", (int)(a->len < 300 ? a->len : 300),
		        a->v, ioc_type_name(a->type));
	if (b != NULL)
		fprintf(stderr, "  second: \"%.*s\" (%s)\n", (int)(b->len < 300 ? b->len : 300),
		        b->v, ioc_type_name(b->type));
	abort();
}

/* Checks the shape of a value that a parse returned. */
static void check_value(enum ioc_type type, const char *s, size_t n, const struct ioc_value *v)
{
	if (v->type != type)
		fail("out.type is not the type asked for", type, s, n, v, NULL);
	if (v->len == 0 || v->len >= IOC_VALUE_MAX)
		fail("out.len out of range", type, s, n, v, NULL);
	if (v->v[v->len] != '\0' || strlen(v->v) != v->len)
		fail("out.v is not a NUL-terminated string of out.len bytes", type, s, n, v, NULL);
}

/* Parses v->v again and requires the identical value back. */
static void check_fixed_point(enum ioc_type type, const char *s, size_t n,
                              const struct ioc_opts *opts, const struct ioc_value *v)
{
	static struct ioc_value again;
	struct crix_error err = {0};
	if (type == IOC_CARD)
		return; /* masked: not a card number any more */
	if (ioc_parse(ctx, type, v->v, v->len, opts, &again, &err) != 0) {
		fprintf(stderr, "fuzz_parse: second parse says: %s\n", err.msg);
		fail("canonical value does not parse again", type, s, n, v, NULL);
	}
	if (again.type != v->type || again.len != v->len || memcmp(again.v, v->v, v->len) != 0)
		fail("canonical value is not a fixed point", type, s, n, v, &again);
}

/* A failed call must leave a terminated message (callers print it). */
static void check_error(const char *what, const struct crix_error *err)
{
	if (memchr(err->msg, '\0', sizeof err->msg) == NULL) {
		fprintf(stderr, "fuzz_parse: %s: error message not NUL-terminated\n", what);
		abort();
	}
}

/* ioc_guess's documented order, every type tried (ASN only after "AS"). */
static const enum ioc_type guess_order[] = {
        IOC_URL,    IOC_EMAIL, IOC_CIDR4, IOC_CIDR6,  IOC_IPV4,  IOC_IPV6,
        IOC_CVE,    IOC_ASN,   IOC_ETH,   IOC_MD5,    IOC_SHA1,  IOC_SHA256,
        IOC_SHA512, IOC_IBAN,  IOC_BTC,   IOC_DOMAIN, IOC_PHONE, IOC_CARD,
};

static enum ioc_type reference_guess(const char *s, size_t n, const struct ioc_opts *opts)
{
	static struct ioc_value v;
	size_t a = 0;
	while (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n'))
		a++;
	bool as =
	        n - a >= 2 && (s[a] == 'A' || s[a] == 'a') && (s[a + 1] == 'S' || s[a + 1] == 's');
	for (size_t i = 0; i < sizeof guess_order / sizeof guess_order[0]; i++) {
		if (guess_order[i] == IOC_ASN && !as)
			continue;
		if (ioc_parse(ctx, guess_order[i], s, n, opts, &v, NULL) == 0)
			return guess_order[i];
	}
	return IOC_NONE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ioc_value out, guessed, direct;
	if (ctx == NULL) {
		struct crix_error err = {0};
		if (ioc_ctx_new(&ctx, &err) != 0) {
			fprintf(stderr, "fuzz_parse: ioc_ctx_new: %s\n", err.msg);
			abort();
		}
	}
	if (size < 1)
		return 0;
	enum ioc_type type = (enum ioc_type)(1 + data[0] % (IOC_TYPE_COUNT - 1));
	struct ioc_opts opts = {{0}};
	memcpy(opts.country, countries[(data[0] / (IOC_TYPE_COUNT - 1)) % 4], 3);

	/* An exact-size heap copy so that ASan sees any read past the end. */
	size_t n = size - 1;
	char *s = malloc(n > 0 ? n : 1);
	if (s == NULL)
		return 0;
	memcpy(s, data + 1, n);

	struct crix_error err = {0};
	if (ioc_parse(ctx, type, s, n, &opts, &out, &err) == 0) {
		check_value(type, s, n, &out);
		check_fixed_point(type, s, n, &opts, &out);
	} else {
		check_error("ioc_parse", &err);
	}

	struct crix_error gerr = {0};
	int grc = ioc_guess(ctx, s, n, &opts, &guessed, &gerr);
	if ((grc == 0 ? guessed.type : IOC_NONE) != reference_guess(s, n, &opts))
		fail("ioc_guess and trying every type disagree", grc == 0 ? guessed.type : IOC_NONE,
		     s, n, grc == 0 ? &guessed : NULL, NULL);
	if (grc == 0) {
		enum ioc_type g = guessed.type;
		if ((int)g <= IOC_NONE || g >= IOC_TYPE_COUNT)
			fail("ioc_guess gave an invalid type", g, s, n, &guessed, NULL);
		check_value(g, s, n, &guessed);
		struct crix_error derr = {0};
		if (ioc_parse(ctx, g, s, n, &opts, &direct, &derr) != 0)
			fail("ioc_guess accepted what ioc_parse of its type refuses", g, s, n,
			     &guessed, NULL);
		if (direct.len != guessed.len || memcmp(direct.v, guessed.v, guessed.len) != 0)
			fail("ioc_guess and ioc_parse disagree", g, s, n, &guessed, &direct);
		check_fixed_point(g, s, n, &opts, &guessed);
	} else {
		check_error("ioc_guess", &gerr);
	}
	free(s);
	return 0;
}
