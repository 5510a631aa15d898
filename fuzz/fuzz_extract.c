/*
 * fuzz_extract.c - libFuzzer target for ioc_extract.
 *
 * Input: the first byte selects the options, the rest is the text.
 *   bit 0      refang on/off
 *   bits 1-2   default country: none, GB, US, DE
 *   bits 3-7   types mask: 0 = all types, 1..18 = only that type,
 *              19..31 = a few fixed mixes
 *
 * Every emitted match is checked against the contract of ioc.h and
 * docs/extract.md, and any violation abort()s so that libFuzzer reports it:
 *   - type is a real type, and one that was asked for;
 *   - raw lies inside the input and offset + raw_len <= len, raw == text +
 *     offset (card raw is a masked copy, so only its length is checked);
 *   - value is NUL-terminated, value_len == strlen(value), not empty and
 *     shorter than IOC_VALUE_MAX;
 *   - offsets are non-decreasing and matches do not overlap;
 *   - the canonical value parses back (ioc_parse of the same type) to
 *     exactly itself: canonical forms are fixed points;
 *   - without refanging, raw parses (ioc_parse of the same type) to the
 *     reported value: extraction and parsing agree on what a value means.
 * Card values and raws are masked, so they are not parsed again.
 */
#include "ioc/ioc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ioc_ctx *ctx;

static const char countries[4][3] = {"", "GB", "US", "DE"};

/* Type mixes for selector values 19..31. */
static const uint32_t mixes[13] = {
        (1u << IOC_IPV4) | (1u << IOC_IPV6) | (1u << IOC_CIDR4) | (1u << IOC_CIDR6),
        (1u << IOC_DOMAIN) | (1u << IOC_URL) | (1u << IOC_EMAIL),
        (1u << IOC_MD5) | (1u << IOC_SHA1) | (1u << IOC_SHA256) | (1u << IOC_SHA512),
        (1u << IOC_PHONE) | (1u << IOC_IBAN) | (1u << IOC_CARD),
        (1u << IOC_BTC) | (1u << IOC_ETH),
        (1u << IOC_ASN) | (1u << IOC_CVE),
        (1u << IOC_DOMAIN) | (1u << IOC_IPV4),
        (1u << IOC_URL) | (1u << IOC_IPV6),
        (1u << IOC_EMAIL) | (1u << IOC_PHONE),
        (1u << IOC_ETH) | (1u << IOC_SHA1),
        0, /* the rest: all types, the most common use */
        0,
        0,
};

/* What the emit callback needs to check one match. */
struct check {
	const char *text;
	size_t len;
	uint32_t types;
	bool refang;
	const struct ioc_opts *opts;
	size_t count;
	size_t last_offset;
	size_t last_end;
};

/* Reports a broken invariant with enough context to read the crash log. */
static void fail(const char *what, const struct ioc_match *m)
{
	fprintf(stderr, "fuzz_extract: %s (type %d %s, offset %zu, raw_len %zu, value_len %zu)\n",
	        what, (int)m->type, ioc_type_name(m->type), m->offset, m->raw_len, m->value_len);
	if (m->value != NULL)
		fprintf(stderr, "  value: \"%.*s\"\n",
		        (int)(m->value_len < 300 ? m->value_len : 300), m->value);
	abort();
}

/* Parses s[0..n) as m's type and requires m's value back: the canonical value
 * must be a fixed point, and (without refanging) raw must canonicalise to it. */
static void check_parse(const struct check *c, const struct ioc_match *m, const char *s, size_t n,
                        const char *what)
{
	static struct ioc_value again;
	struct crix_error err = {0};
	if (ioc_parse(ctx, m->type, s, n, c->opts, &again, &err) != 0) {
		fprintf(stderr, "fuzz_extract: %s \"%.*s\": ioc_parse says: %s\n", what,
		        (int)(n < 300 ? n : 300), s, err.msg);
		fail("ioc_parse refuses what ioc_extract reported", m);
	}
	if (again.type != m->type || again.len != m->value_len ||
	    memcmp(again.v, m->value, m->value_len) != 0) {
		fprintf(stderr, "fuzz_extract: %s \"%.*s\" parses to \"%.*s\" (type %s)\n", what,
		        (int)(n < 300 ? n : 300), s, (int)(again.len < 300 ? again.len : 300),
		        again.v, ioc_type_name(again.type));
		fail("ioc_parse disagrees with the value ioc_extract reported", m);
	}
}

/* The emit callback: checks one match (see the file comment). */
static int check_match(void *arg, const struct ioc_match *m)
{
	struct check *c = arg;

	if ((int)m->type <= IOC_NONE || m->type >= IOC_TYPE_COUNT)
		fail("type out of range", m);
	if (c->types != 0 && (c->types & (1u << m->type)) == 0)
		fail("type not asked for", m);
	if (m->offset > c->len || m->raw_len > c->len - m->offset)
		fail("offset + raw_len past the end of the input", m);
	if (m->raw_len == 0)
		fail("empty raw", m);
	if (m->raw == NULL)
		fail("raw is NULL", m);
	if (m->type == IOC_CARD) {
		/* A masked copy: touch every byte so ASan checks it is readable. */
		volatile unsigned char sink = 0;
		for (size_t i = 0; i < m->raw_len; i++)
			sink ^= (unsigned char)m->raw[i];
		(void)sink;
	} else {
		if (m->raw < c->text || m->raw > c->text + c->len ||
		    m->raw_len > (size_t)(c->text + c->len - m->raw))
			fail("raw is not inside the input buffer", m);
		if (m->raw != c->text + m->offset)
			fail("raw does not start at text + offset", m);
	}
	if (m->value == NULL)
		fail("value is NULL", m);
	if (m->value_len == 0 || m->value_len >= IOC_VALUE_MAX)
		fail("value_len out of range", m);
	if (m->value[m->value_len] != '\0')
		fail("value not NUL-terminated at value_len", m);
	if (strlen(m->value) != m->value_len)
		fail("value_len != strlen(value)", m);
	if (c->count > 0 && m->offset < c->last_offset)
		fail("offsets decrease", m);
	if (c->count > 0 && m->offset < c->last_end)
		fail("match overlaps the previous one", m);
	c->count++;
	c->last_offset = m->offset;
	c->last_end = m->offset + m->raw_len;

	if (m->type == IOC_CARD)
		return 0;
	check_parse(c, m, m->value, m->value_len, "canonical value");
	if (!c->refang)
		check_parse(c, m, m->raw, m->raw_len, "raw text");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ctx == NULL) {
		struct crix_error err = {0};
		if (ioc_ctx_new(&ctx, &err) != 0) {
			fprintf(stderr, "fuzz_extract: ioc_ctx_new: %s\n", err.msg);
			abort();
		}
	}
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	struct ioc_extract_opts eo = {0};
	eo.refang = (sel & 1) != 0;
	memcpy(eo.country, countries[(sel >> 1) & 3], 3);
	unsigned t = sel >> 3;
	if (t == 0)
		eo.types = 0;
	else if (t < IOC_TYPE_COUNT)
		eo.types = 1u << t;
	else
		eo.types = mixes[(t - IOC_TYPE_COUNT) % 13];

	struct ioc_opts po = {{0}};
	memcpy(po.country, eo.country, 3);

	/* An exact-size heap copy so that ASan sees any read past the end. */
	size_t len = size - 1;
	char *text = malloc(len > 0 ? len : 1);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, len);

	struct check c = {text, len, eo.types, eo.refang, &po, 0, 0, 0};
	struct crix_error err = {0};
	int rc = ioc_extract(ctx, text, len, &eo, check_match, &c, &err);
	if (rc > 0) {
		fprintf(stderr, "fuzz_extract: ioc_extract returned %d, emit never stops it\n", rc);
		abort();
	}
	if (rc < 0 && memchr(err.msg, '\0', sizeof err.msg) == NULL) {
		fprintf(stderr, "fuzz_extract: error message not NUL-terminated\n");
		abort();
	}
	free(text);
	return 0;
}
