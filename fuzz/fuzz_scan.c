/*
 * fuzz_scan.c - libFuzzer target for match_scan.
 *
 * A small fixed index (one value of every kind the tokenizer finds, nested
 * networks, a domain and its subdomain, two sources for one value, and a
 * few types only the extractor finds) is built once; each input is then
 * scanned with refanging off and on.  Every hit is checked against the
 * contract of match.h, and any violation abort()s so that libFuzzer
 * reports it:
 *   - the hit lies inside the input: len > 0, offset + len <= size;
 *   - the indicator is NUL-terminated at indicator_len, of a real type, and
 *     its source is registered;
 *   - the hits of the tokenizer (every type but those of the extractor's
 *     second pass) come in order of offset;
 *   - without refanging, the matched text canonicalises (as its type, or
 *     as an address for network hits) to a value that the index looks up
 *     to the same indicator: scan and lookup agree;
 *   - an input with a '"', three times (each copy after a '\n') and padded
 *     with spaces to a text long enough for the scanner's table of misses
 *     and memo of quoted fields, finds three times the tokenizer hits of
 *     the input alone;
 *   - the scanner's IPv6 parser (match_ipv6_bytes) gives the answer and
 *     bytes of ioc_ipv6_bytes (inet_pton) for the input.
 */
#include "match/match.h"
#include "match/match_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ioc_ctx *ctx;
static struct match_index *ix;

static const struct {
	enum ioc_type type;
	const char *value;
	int source;
} fixture[] = {
        {IOC_IPV4, "1.2.3.4", 0},
        {IOC_IPV4, "198.51.100.7", 0},
        {IOC_IPV4, "198.51.100.7", 1},
        {IOC_IPV6, "2001:db8::1", 0},
        {IOC_IPV6, "::ffff:192.0.2.1", 1},
        {IOC_CIDR4, "10.0.0.0/8", 0},
        {IOC_CIDR4, "10.1.2.0/24", 1},
        {IOC_CIDR4, "172.16.0.0/12", 0},
        {IOC_CIDR6, "2001:db8:bad::/48", 0},
        {IOC_CIDR6, "fd00::/8", 1},
        {IOC_DOMAIN, "evil.com", 0},
        {IOC_DOMAIN, "www.evil.com", 1},
        {IOC_DOMAIN, "bad.co.uk", 0},
        {IOC_DOMAIN, "xn--bcher-kva.de", 0},
        {IOC_URL, "http://evil.com/x", 0},
        {IOC_URL, "https://bad-site.org/login?u=1", 1},
        {IOC_URL, "http://[2001:db8::5]/a", 0},
        {IOC_EMAIL, "bob@mail-bad.org", 0},
        {IOC_EMAIL, "eve@evil.com", 1},
        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e", 0},
        {IOC_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", 0},
        {IOC_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 1},
        {IOC_PHONE, "+442079460958", 0},
        {IOC_CVE, "CVE-2021-44228", 0},
        {IOC_ASN, "AS64496", 1},
};

static void die(const char *what, const char *text, const struct match_scan_hit *h)
{
	fprintf(stderr, "fuzz_scan: %s (offset %zu, len %zu, type %s, indicator \"%.*s\")\n", what,
	        h->offset, h->len, ioc_type_name(h->hit->type),
	        (int)(h->hit->indicator_len < 300 ? h->hit->indicator_len : 300),
	        h->hit->indicator);
	if (text != NULL && h->len < 300)
		fprintf(stderr, "  text: \"%.*s\"\n", (int)h->len, text + h->offset);
	abort();
}

struct check {
	const char *text;
	size_t len;
	bool refang;
	size_t count;
	size_t last_offset;
};

static bool extractor_type(enum ioc_type t)
{
	return t == IOC_PHONE || t == IOC_IBAN || t == IOC_CARD || t == IOC_BTC || t == IOC_ETH ||
	       t == IOC_ASN || t == IOC_CVE;
}

struct seen {
	const char *indicator;
	bool found;
};

static int find_indicator(void *arg, const struct match_hit *hit)
{
	struct seen *s = arg;
	if (strcmp(hit->indicator, s->indicator) == 0)
		s->found = true;
	return 0;
}

/* Without refanging, the matched text looks up to the same indicator. */
static void check_lookup(const struct check *c, const struct match_scan_hit *h)
{
	static struct ioc_value v;
	enum ioc_type t = h->hit->type;
	if (t == IOC_CIDR4 || t == IOC_CIDR6)
		t = memchr(c->text + h->offset, ':', h->len) != NULL ? IOC_IPV6 : IOC_IPV4;
	if (t == IOC_IPV4 && memchr(c->text + h->offset, ':', h->len) != NULL)
		t = IOC_IPV6; /* "::ffff:1.2.3.4" */
	if (extractor_type(t) || t == IOC_EMAIL)
		return; /* raw forms the extractor reads; local parts as written */
	const char *raw = c->text + h->offset;
	size_t n = h->len;
	static char unescaped[IOC_VALUE_MAX];
	if (t == IOC_URL && n < sizeof unescaped) { /* JSON's "http:\/\/host\/x" */
		size_t k = 0;
		for (size_t q = 0; q < n; q++) {
			if (raw[q] == '\\' && q + 1 < n && raw[q + 1] == '/')
				q++;
			unescaped[k++] = raw[q];
		}
		raw = unescaped;
		n = k;
	}
	if (ioc_parse(ctx, t, raw, n, NULL, &v, NULL) != 0) {
		/* a host the tokenizer matched by suffix need not be a valid name
		 * ("x_y.evil.com"); only whole-value types must parse */
		if (t == IOC_DOMAIN)
			return;
		die("the matched text does not parse as its type", c->text, h);
	}
	struct seen s = {h->hit->indicator, false};
	match_lookup(ix, &v, find_indicator, &s);
	if (!s.found)
		die("match_lookup of the matched text does not find the indicator", c->text, h);
}

static int on_hit(void *arg, const struct match_scan_hit *h)
{
	struct check *c = arg;
	if (h->hit == NULL || h->hit->indicator == NULL)
		abort();
	if (h->len == 0 || h->offset > c->len || h->len > c->len - h->offset)
		die("hit outside the input", NULL, h);
	if ((int)h->hit->type <= IOC_NONE || h->hit->type >= IOC_TYPE_COUNT)
		die("type out of range", NULL, h);
	if (h->hit->indicator[h->hit->indicator_len] != '\0' ||
	    strlen(h->hit->indicator) != h->hit->indicator_len)
		die("indicator not NUL-terminated at indicator_len", NULL, h);
	if (match_index_source(ix, h->hit->source) == NULL)
		die("unknown source", NULL, h);
	uint64_t nl = 0;
	for (size_t q = 0; q < h->offset; q++)
		nl += c->text[q] == '\n';
	if (h->line != nl)
		die("the hit's line is not the newlines before it", c->text, h);
	if (!extractor_type(h->hit->type)) {
		if (c->count > 0 && h->offset < c->last_offset)
			die("hits out of order", c->text, h);
		c->last_offset = h->offset;
		c->count++;
	}
	if (!c->refang)
		check_lookup(c, h);
	return 0;
}

static void setup(void)
{
	struct crix_error err = {0};
	if (ioc_ctx_new(&ctx, &err) != 0 || match_index_new(&ix, &err) != 0) {
		fprintf(stderr, "fuzz_scan: setup: %s\n", err.msg);
		abort();
	}
	uint32_t src[2];
	struct match_source a = {.name = "fuzz-a"}, b = {.name = "fuzz-b", .tlp = "red"};
	if (match_index_add_source(ix, &a, &src[0], &err) != 0 ||
	    match_index_add_source(ix, &b, &src[1], &err) != 0)
		abort();
	for (size_t i = 0; i < sizeof fixture / sizeof fixture[0]; i++) {
		static struct ioc_value v;
		const char *s = fixture[i].value;
		if (ioc_parse(ctx, fixture[i].type, s, strlen(s), NULL, &v, &err) != 0 ||
		    match_index_add(ix, &v, src[fixture[i].source], i + 1, NULL, &err) != 0) {
			fprintf(stderr, "fuzz_scan: %s: %s\n", s, err.msg);
			abort();
		}
	}
	match_index_shrink(ix); /* as the loaders do: builds the filter */
}

static int count_tokenizer_hit(void *arg, const struct match_scan_hit *h)
{
	if (!extractor_type(h->hit->type))
		(*(size_t *)arg)++;
	return 0;
}

/* The input three times, padded past 256 KiB (where match_scan remembers
 * misses and quoted fields that found nothing; blank blocks cost little),
 * finds, without refanging, want hits per copy. */
static void check_repeated(const char *text, size_t size, size_t want)
{
	size_t reps = 3, n = reps * (size + 1) + (260u << 10);
	char *big = malloc(n);
	if (big == NULL)
		return;
	memset(big, ' ', n);
	for (size_t r = 0; r < reps; r++) {
		big[r * (size + 1)] = '\n';
		memcpy(big + r * (size + 1) + 1, text, size);
	}
	size_t got = 0;
	if (match_scan(ix, big, n, NULL, count_tokenizer_hit, &got, NULL) != 0 ||
	    got != want * reps) {
		fprintf(stderr, "fuzz_scan: repeated %zu times: %zu hits, want %zu\n", reps, got,
		        want * reps);
		abort();
	}
	free(big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ix == NULL)
		setup();
	/* an exact-size copy, so that ASan sees any read past the end */
	char *text = malloc(size > 0 ? size : 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	uint8_t v6want[16], v6got[16];
	bool v6ok = ioc_ipv6_bytes(text, size, v6want);
	if (v6ok != match_ipv6_bytes(text, size, v6got) ||
	    (v6ok && memcmp(v6want, v6got, 16) != 0)) {
		fprintf(stderr, "match_ipv6_bytes disagrees with inet_pton\n");
		abort();
	}
	for (int refang = 0; refang < 2; refang++) {
		struct check c = {text, size, refang != 0, 0, 0};
		uint64_t newlines = UINT64_MAX, want_nl = 0;
		struct match_scan_opts o = {.refang = refang != 0, .newlines = &newlines};
		struct crix_error err = {0};
		int rc = match_scan(ix, text, size, &o, on_hit, &c, &err);
		for (size_t q = 0; q < size; q++)
			want_nl += text[q] == '\n';
		if (rc == 0 && newlines != want_nl) {
			fprintf(stderr, "fuzz_scan: %llu newlines, want %llu\n",
			        (unsigned long long)newlines, (unsigned long long)want_nl);
			abort();
		}
		if (rc > 0) {
			fprintf(stderr,
			        "fuzz_scan: match_scan returned %d; the callback never stops\n",
			        rc);
			abort();
		}
		if (rc < 0 && memchr(err.msg, '\0', sizeof err.msg) == NULL)
			abort();
		if (rc == 0 && !refang && size >= 32 && memchr(text, '"', size) != NULL)
			check_repeated(text, size, c.count);
	}
	free(text);
	return 0;
}
