/*
 * test_scan.c - match_scan on crafted text (src/match/scan.c).
 *
 * Cases are data: a line of text in which every expected hit is marked, and
 * the indicators those marks must report.  "\1" opens a mark and "\2"
 * closes it; marks nest, for a URL and its host or an e-mail address and
 * its domain.  The marks are removed before scanning, so each mark gives
 * the exact offset and length a hit must have; the i-th mark (in order of
 * opening) names want[i].  "name*2" wants the hit twice, once per source.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "match/match.h"
#include "match/match_int.h"

#define L "\1"
#define R "\2"

static struct ioc_ctx *ctx;
static struct match_index *ix;

/* The index every case runs against: type, value, source (0: a, 1: b). */
static const struct {
	enum ioc_type type;
	const char *value;
	int source;
} fixture[] = {
        {IOC_IPV4, "1.2.3.4", 0},
        {IOC_IPV4, "198.51.100.7", 0},
        {IOC_IPV4, "198.51.100.7", 1},
        {IOC_IPV6, "2001:db8::1", 0},
        {IOC_IPV6, "::ffff:192.0.2.1", 0},
        {IOC_IPV6, "1:22:33:44:55:66:77:88", 0},
        {IOC_IPV6, "2024:13:55:36::", 0},
        {IOC_CIDR4, "10.0.0.0/8", 0},
        {IOC_CIDR4, "10.1.2.0/24", 1},
        {IOC_CIDR6, "2001:db8:bad::/48", 0},
        {IOC_DOMAIN, "evil.com", 0},
        {IOC_DOMAIN, "bad.co.uk", 0},
        {IOC_DOMAIN, "www.shady.net", 0},
        {IOC_DOMAIN, "xn--bcher-kva.de", 0},
        {IOC_DOMAIN, "7.cc", 0},
        {IOC_URL, "http://evil.com/x", 0},
        {IOC_URL, "https://bad-site.org/login?u=1", 0},
        {IOC_URL, "http://evil.com:8080/admin", 0},
        {IOC_URL, "http://[2001:db8::5]/a", 0},
        {IOC_URL, "http://qhost.org/?q=1", 0},
        {IOC_URL, "http://qhost.org/", 0},
        {IOC_URL, "http://xn--bcher-kva.de/shop", 0},
        {IOC_EMAIL, "bob@mail-bad.org", 0},
        {IOC_EMAIL, "eve@evil.com", 0},
        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e", 0},
        {IOC_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", 0},
        {IOC_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0},
        {IOC_SHA512,
         "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2"
         "877eec2f63b931bd47417a81a538327af927da3e",
         0},
        {IOC_PHONE, "+442079460958", 0},
        {IOC_IBAN, "GB82WEST12345698765432", 0},
        {IOC_CVE, "CVE-2021-44228", 0},
};

#define MD5    "d41d8cd98f00b204e9800998ecf8427e"
#define SHA1   "da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA512                                                                                     \
	"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2" \
	"877eec2f63b931bd47417a81a538327af927da3e"

#define MAX_WANT 16

struct scan_case {
	const char *text; /* with marks */
	bool refang;
	const char *want[MAX_WANT]; /* one per mark, in order of opening */
};

/* One hit, expected or got. */
struct hit {
	size_t off, len;
	char ind[IOC_VALUE_MAX];
};

struct got {
	const char *text;
	size_t len;
	size_t n;
	struct hit h[64];
	size_t last_off; /* of the last hit of a type the tokenizer finds */
	bool out_of_order;
	int stop_after;
};

static bool extractor_type(enum ioc_type t)
{
	return t == IOC_PHONE || t == IOC_IBAN || t == IOC_CARD || t == IOC_BTC || t == IOC_ETH ||
	       t == IOC_ASN || t == IOC_CVE;
}

static int on_hit(void *arg, const struct match_scan_hit *sh)
{
	struct got *g = arg;
	assert_non_null(sh->hit);
	assert_true(sh->len > 0);
	assert_true(sh->offset <= g->len && sh->len <= g->len - sh->offset);
	assert_int_equal(strlen(sh->hit->indicator), sh->hit->indicator_len);
	assert_non_null(match_index_source(ix, sh->hit->source));
	/* the line the scanner gives is the newlines before the hit */
	uint64_t nl = 0;
	for (size_t i = 0; i < sh->offset; i++)
		nl += g->text[i] == '\n';
	assert_int_equal(sh->line, nl);
	if (!extractor_type(sh->hit->type)) {
		/* the tokenizer's hits come in order of offset */
		if (g->n > 0 && sh->offset < g->last_off)
			g->out_of_order = true;
		g->last_off = sh->offset;
	}
	assert_true(g->n < sizeof g->h / sizeof g->h[0]);
	struct hit *h = &g->h[g->n++];
	h->off = sh->offset;
	h->len = sh->len;
	snprintf(h->ind, sizeof h->ind, "%s", sh->hit->indicator);
	return g->stop_after != 0 && (int)g->n >= g->stop_after ? 5 : 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return strcmp(x->ind, y->ind);
}

static void print_hits(const char *what, const char *text, const struct hit *h, size_t n)
{
	fprintf(stderr, "  %s:\n", what);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "    @%zu+%zu \"%.*s\" -> %s\n", h[i].off, h[i].len, (int)h[i].len,
		        text + h[i].off, h[i].ind);
}

/* Scans a heap copy of exactly len bytes, so that ASan sees a read past
 * its end.  OUT: g. */
static int scan_exact(const char *text, size_t len, bool refang, struct got *g)
{
	char *copy = malloc(len > 0 ? len : 1);
	assert_non_null(copy);
	memcpy(copy, text, len);
	g->text = copy;
	g->len = len;
	struct match_scan_opts o = {.refang = refang};
	struct crix_error err = {0};
	int rc = match_scan(ix, copy, len, &o, on_hit, g, &err);
	free(copy);
	g->text = text;
	return rc;
}

static void run_case(const struct scan_case *c)
{
	/* strip the marks; record each mark's span */
	size_t tn = strlen(c->text);
	char *text = malloc(tn + 1);
	assert_non_null(text);
	static struct hit want[64];
	size_t nwant = 0, nmarks = 0, len = 0;
	size_t open[8], depth = 0;
	size_t start_of[64]; /* offset in text of each mark, by opening order */
	for (size_t i = 0; i < tn; i++) {
		if (c->text[i] == '\1') {
			assert_true(depth < 8 && nmarks < 64);
			open[depth++] = nmarks;
			start_of[nmarks] = len;
			nmarks++;
		} else if (c->text[i] == '\2') {
			assert_true(depth > 0);
			size_t m = open[--depth];
			const char *w = c->want[m];
			if (w == NULL)
				fail_msg("case \"%s\": mark %zu has no want", c->text, m);
			int times = 1;
			const char *star = strchr(w, '*');
			size_t wl = star != NULL ? (size_t)(star - w) : strlen(w);
			if (star != NULL)
				times = (int)strtol(star + 1, NULL, 10);
			for (int k = 0; k < times; k++) {
				want[nwant].off = start_of[m];
				want[nwant].len = len - start_of[m];
				snprintf(want[nwant].ind, sizeof want[nwant].ind, "%.*s", (int)wl,
				         w);
				nwant++;
			}
		} else {
			text[len++] = c->text[i];
		}
	}
	assert_int_equal(depth, 0);
	if (nmarks < MAX_WANT && c->want[nmarks] != NULL)
		fail_msg("case \"%s\": more wants than marks", c->text);

	static struct got g;
	memset(&g, 0, sizeof g);
	int rc = scan_exact(text, len, c->refang, &g);
	assert_int_equal(rc, 0);
	qsort(want, nwant, sizeof want[0], cmp_hit);
	qsort(g.h, g.n, sizeof g.h[0], cmp_hit);
	bool same = g.n == nwant;
	for (size_t i = 0; same && i < nwant; i++)
		same = cmp_hit(&g.h[i], &want[i]) == 0;
	if (!same || g.out_of_order) {
		fprintf(stderr, "scan (refang %s) of \"%.*s\":%s\n", c->refang ? "on" : "off",
		        (int)len, text, g.out_of_order ? " hits out of order" : "");
		print_hits("want", text, want, nwant);
		print_hits("got", text, g.h, g.n);
		free(text);
		fail();
	}
	free(text);
}

static void run_cases(const struct scan_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_case(&cases[i]);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

/* ---- whole tokens ---- */

static void test_whole_tokens(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"x " L "1.2.3.4" R " 11.2.3.45 1.2.3.45 21.2.3.4 1.2.3.44 1.2.3.4.5 v1.2.3.4 "
	         "1.2.3.4a a1.2.3.4 1.2.3.04 01.2.3.4 1.2.3",
	         false,
	         {"1.2.3.4"}},
	        {L "1.2.3.4" R, false, {"1.2.3.4"}},
	        /* dotted quads that are not: the tokenizer's own parser */
	        {"10.1.2.256 10.1.2.0255 10.01.2.3 1..2.3.4 10.1.2 10.1.2.3.4 1000.1.2.3 "
	         "10.1.2.3333 0.0.0.0 " L "10.1.2.99" R " " L "10.255.0.0" R,
	         false,
	         {"10.1.2.0/24", "10.0.0.0/8"}},
	        {"(" L "1.2.3.4" R "), [" L "1.2.3.4" R "], \"" L "1.2.3.4" R "\" ip=" L "1.2.3.4" R
	         ";",
	         false,
	         {"1.2.3.4", "1.2.3.4", "1.2.3.4", "1.2.3.4"}},
	        {"peer " L "198.51.100.7" R " ok", false, {"198.51.100.7*2"}},
	        {L "evil.com" R " notevil.com evil.community xevil.com evil.comx evil-com.net "
	           "evil.com.au evil.com.evil.net vil.com evil.co evil.c0m",
	         false,
	         {"evil.com"}},
	        {L "www.evil.com" R " " L "a.b.evil.com" R " " L "EVIL.COM" R " " L
	           "Www.Evil.Com" R,
	         false,
	         {"evil.com", "evil.com", "evil.com", "evil.com"}},
	        {"Visit " L "evil.com" R ", then " L "evil.com" R "! (" L "www.evil.com" R "). "
	         "FQDN " L "evil.com" R ". and " L "evil.com" R "..",
	         false,
	         {"evil.com", "evil.com", "evil.com", "evil.com", "evil.com"}},
	        {"mx " L "mail.evil.com" R ":25 " L "bad.co.uk" R " notbad.co.uk " L
	         "x.bad.co.uk" R,
	         false,
	         {"evil.com", "bad.co.uk", "bad.co.uk"}},
	        /* only the subdomain is listed: the parent does not match */
	        {"shady.net " L "www.shady.net" R " " L "a.www.shady.net" R " xwww.shady.net",
	         false,
	         {"www.shady.net", "www.shady.net"}},
	        /* internationalised names */
	        {"shop " L "bücher.de" R " and " L "www.BÜCHER.de" R " " L "xn--bcher-kva.de" R
	         " bucher.de",
	         false,
	         {"xn--bcher-kva.de", "xn--bcher-kva.de", "xn--bcher-kva.de"}},
	        {"", false, {NULL}},
	        {"no indicators here at all, just words.", false, {NULL}},
	};
	RUN(cases);
}

/* Non-ASCII punctuation around a host is not part of it. */
static void test_unicode_punctuation(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"see \xe2\x80\x9c" L "evil.com" R "\xe2\x80\x9d now", false, {"evil.com"}},
	        {"\xc2\xab" L "evil.com" R "\xc2\xbb", false, {"evil.com"}},
	        {L "evil.com" R "\xc2\xa0next", false, {"evil.com"}},
	        {"\xe3\x80\x8c" L "www.evil.com" R "\xe3\x80\x8d", false, {"evil.com"}},
	        {"at " L "1.2.3.4" R "\xe2\x80\x99s", false, {"1.2.3.4"}},
	};
	RUN(cases);
}

/* ---- IP addresses ---- */

static void test_ipv6_spellings(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {L "2001:db8::1" R " " L "2001:0db8:0000:0000:0000:0000:0000:0001" R " " L
	           "2001:DB8::1" R " " L "2001:db8:0::1" R " " L "2001:db8:0:0:0:0:0:1" R,
	         false,
	         {"2001:db8::1", "2001:db8::1", "2001:db8::1", "2001:db8::1", "2001:db8::1"}},
	        {"2001:db8::10 2001:db8::1:0 x2001:db8::1 2001:db8::1x 2001:db8::2", false, {NULL}},
	        {"ip=" L "::ffff:1.2.3.4" R " " L "::FFFF:1.2.3.4" R " ::ffff:1.2.3.5",
	         false,
	         {"1.2.3.4", "1.2.3.4"}},
	        /* listed in its mapped form */
	        {L "::ffff:192.0.2.1" R " " L "::ffff:c000:201" R " ::ffff:192.0.2.2",
	         false,
	         {"::ffff:192.0.2.1", "::ffff:192.0.2.1"}},
	        {"[" L "2001:db8::1" R "]:443 (" L "2001:db8::1" R ")",
	         false,
	         {"2001:db8::1", "2001:db8::1"}},
	        {L "2001:db8:bad::17" R " " L "2001:DB8:BAD:FFFF:FFFF:FFFF:FFFF:FFFF" R
	           " 2001:db8:bae::",
	         false,
	         {"2001:db8:bad::/48", "2001:db8:bad::/48"}},
	        /* times and MACs are not addresses */
	        {"at 12:34:56 on 2025:13:55:36, mac 00:1a:2b:3c:4d:5e", false, {NULL}},
	        /* groups of two digits that look like a time at first, and are not */
	        {"a " L "0000:00:00:00:00:ffff:1.2.3.4" R " b 12:34:56. c 2025:13:55:36: d "
	         "12:34:56:78:90:12:34:5x",
	         false,
	         {"1.2.3.4"}},
	};
	RUN(cases);
}

/* Addresses whose groups of two digits look like a time at first ("2024:13:55"
 * then ':' or "::"), among real times, at every offset against the 64-byte
 * blocks: the classifier drops the ':' of a time from its seeds, never that
 * of an address. */
static void test_time_colons(void **state)
{
	(void)state;
	static const char body[] =
	        "[10/Oct/2023:13:55:36 +0000] " L "2024:13:55:36::" R " at 13:55:36 " L
	        "1:22:33:44:55:66:77:88" R " 2024:13:55:36] " L "2024:13:55:36::" R
	        " 13:55 1:22:33:44:55:66:77:8x x2024:13:55:36:: 2024:13:55:36]";
	for (size_t pad = 0; pad < 64; pad++) {
		char text[64 + sizeof body];
		memset(text, ' ', pad);
		memcpy(text + pad, body, sizeof body);
		struct scan_case c = {
		        text,
		        false,
		        {"2024:13:55:36::", "1:22:33:44:55:66:77:88", "2024:13:55:36::"}};
		run_case(&c);
	}
}

static void test_ports_and_networks(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"conn " L "1.2.3.4" R ":443 -> " L "198.51.100.7" R ":51234",
	         false,
	         {"1.2.3.4", "198.51.100.7*2"}},
	        {"src=" L "10.1.2.3" R " " L "10.1.2.255" R " " L "10.1.3.0" R " " L "10.9.9.9" R
	         " 11.0.0.1 9.255.255.255 " L "10.1.2.0" R,
	         false,
	         {"10.1.2.0/24", "10.1.2.0/24", "10.0.0.0/8", "10.0.0.0/8", "10.1.2.0/24"}},
	        {"a " L "1.2.3.4" R "/24 b " L "10.1.2.3" R "/32",
	         false,
	         {"1.2.3.4", "10.1.2.0/24"}},
	};
	RUN(cases);
}

/* "Name/1.2.3.4" at the start of a product token is a version (user
 * agents, Server headers); after a '/' in a path it is an address. */
static void test_versions(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"\"Mozilla/5.0 (X11) AppleWebKit/537.36 Chrome/1.2.3.4 Safari/537.36 "
	         "Edg/10.1.2.3\"",
	         false,
	         {NULL}},
	        {"Chrome/10.0.0.0", false, {NULL}},
	        {"(compatible; Bot-x_2/1.2.3.4; +http://example.org)", false, {NULL}},
	        {"'Agent/1.2.3.4' (Agent/10.9.9.9)\tAgent/10.1.2.3", false, {NULL}},
	        /* addresses in paths and other '/'s */
	        {"GET /proxy/" L "1.2.3.4" R " HTTP/1.1 GET /" L "1.2.3.4" R " a/b/" L "10.1.2.3" R,
	         false,
	         {"1.2.3.4", "1.2.3.4", "10.1.2.0/24"}},
	        {"x=a/" L "1.2.3.4" R " 9x/" L "1.2.3.4" R " -/" L "1.2.3.4" R " ./" L "1.2.3.4" R,
	         false,
	         {"1.2.3.4", "1.2.3.4", "1.2.3.4", "1.2.3.4"}},
	        {"http://" L "1.2.3.4" R "/ host.example/" L "1.2.3.4" R " Chrome/" L "evil.com" R,
	         false,
	         {"1.2.3.4", "1.2.3.4", "evil.com"}},
	        /* "HTTP/1.1": a digit, '.' and digit alone is no seed, one before a
	         * letter is ("7.cc"), and an address around it is found */
	        {"\"GET / HTTP/1.1\" " L "7.cc" R " 5.0 (" L "1.2.3.4" R ") 1.1 " L "1.2.3.4" R
	         " 1.1:" L "7.cc" R ".",
	         false,
	         {"7.cc", "1.2.3.4", "1.2.3.4", "7.cc"}},
	        /* defanged: the rule reads the refanged text */
	        {"Chrome/1[.]2[.]3[.]4 /p/" L "1[.]2[.]3[.]4" R, true, {"1.2.3.4"}},
	};
	RUN(cases);
}

/* ---- URLs ---- */

static void test_urls(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        /* an Apache combined log line */
	        {L "1.2.3.4" R " - - [10/Oct/2023:13:55:36 +0000] \"GET " L "http://" L "evil.com" R
	           "/x" R " HTTP/1.1\" 200 512 \"" L "https://bad-site.org/login?u=1" R
	           "\" \"Mozilla/5.0\"",
	         false,
	         {"1.2.3.4", "http://evil.com/x", "evil.com", "https://bad-site.org/login?u=1"}},
	        /* JSON */
	        {"{\"url\":\"" L "http://" L "evil.com" R "/x" R "\",\"ip\":\"" L "1.2.3.4" R "\"}",
	         false,
	         {"http://evil.com/x", "evil.com", "1.2.3.4"}},
	        /* JSON with escaped slashes */
	        {"{\"url\":\"" L "http:\\/\\/" L "evil.com" R "\\/x" R "\"}",
	         false,
	         {"http://evil.com/x", "evil.com"}},
	        /* other paths, upper case, punctuation after */
	        {"http://" L "evil.com" R "/y " L "HTTP://" L "EVIL.COM" R "/x" R " (" L "http://" L
	         "evil.com" R "/x" R "). " L "http://" L "evil.com" R "/x" R "?",
	         false,
	         {"evil.com", "http://evil.com/x", "evil.com", "http://evil.com/x", "evil.com",
	          "http://evil.com/x", "evil.com"}},
	        {L "http://" L "evil.com" R ":8080/admin" R " http://" L "evil.com" R "/xy",
	         false,
	         {"http://evil.com:8080/admin", "evil.com", "evil.com"}},
	        {"<a href='" L "http://[2001:db8::5]/a" R "'>", false, {"http://[2001:db8::5]/a"}},
	        /* curly quotes around a URL; a host in Unicode */
	        {"see \xe2\x80\x9c" L "http://" L "evil.com" R "/x" R "\xe2\x80\x9d and " L
	         "http://" L "B\xc3\x9c"
	         "CHER.de" R "/shop" R,
	         false,
	         {"http://evil.com/x", "evil.com", "http://xn--bcher-kva.de/shop",
	          "xn--bcher-kva.de"}},
	        {"https://bad-site.org/login?u=2 https://bad-site.org/login", false, {NULL}},
	        /* a query right after the host (read before the URL's end is
	         * known), unless the '?' is trimmed off the end */
	        {L "http://qhost.org?q=1" R " " L "HTTP://QHOST.org.?q=1" R ". (" L
	           "http://qhost.org" R "?) http://qhost.org?q=1x " L "http://qhost.org" R ")? " L
	           "http://qhost.org" R "?",
	         false,
	         {"http://qhost.org/?q=1", "http://qhost.org/?q=1", "http://qhost.org/",
	          "http://qhost.org/", "http://qhost.org/"}},
	        /* a fragment only points into the page the indicator names */
	        {L "http://" L "evil.com" R "/x#top" R " " L "https://bad-site.org/login?u=1#" R
	           " " L "http://" L "evil.com" R "/x#a/b?c" R " http://" L "evil.com" R "/y#x",
	         false,
	         {"http://evil.com/x", "evil.com", "https://bad-site.org/login?u=1",
	          "http://evil.com/x", "evil.com", "evil.com"}},
	        {"https://bad-site.org/login#?u=1", false, {NULL}},
	        /* a URL's host read once for both lookups: trimmed edges, upper
	         * case, an address, a hash, a host that is two runs, a '?' */
	        {"http://" L "WWW.Evil.Com" R "./a http://-" L "evil.com" R "_/ http://" L
	         "1.2.3.4" R "/p http://" L MD5 R "/ http://" L "a.evil.com" R "," L "x.bad.co.uk" R
	         "/ http://" L "x.evil.com" R "?a=1 http://" L "a.evil.com" R "?",
	         false,
	         {"evil.com", "evil.com", "1.2.3.4", MD5, "evil.com", "bad.co.uk", "evil.com",
	          "evil.com"}},
	};
	RUN(cases);
}

/* ---- hashes ---- */

static void test_hashes(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"md5 " L MD5 R " sha1=" L SHA1 R ", sha256:" L SHA256 R " " L SHA512 R,
	         false,
	         {MD5, SHA1, SHA256, SHA512}},
	        {"upper " L "D41D8CD98F00B204E9800998ECF8427E" R, false, {MD5}},
	        /* slices of longer hex runs are not hashes */
	        {"a" MD5 " " MD5 "0 " MD5 "d41d8cd98f00b204e9800998ecf8427e0 x" SHA1 " " SHA1
	         "ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00",
	         false,
	         {NULL}},
	        {"g" MD5 " " MD5 "g", false, {NULL}},
	        {"file sample_" L MD5 R ".bin and " L SHA256 R "-" L MD5 R ".exe",
	         false,
	         {MD5, SHA256, MD5}},
	        {L MD5 R ":" L SHA1 R, false, {MD5, SHA1}},
	};
	RUN(cases);
}

/* ---- e-mail addresses ---- */

static void test_emails(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"from " L "bob@mail-bad.org" R " alice@mail-bad.org xbob@mail-bad.org "
	         "bob@mail-bad.orgx bob@xmail-bad.org BOB@mail-bad.org",
	         false,
	         {"bob@mail-bad.org"}},
	        {"<" L "bob@mail-bad.org" R "> mailto:" L "bob@MAIL-BAD.ORG" R ", (" L
	         "bob@mail-bad.org" R ").",
	         false,
	         {"bob@mail-bad.org", "bob@mail-bad.org", "bob@mail-bad.org"}},
	        {"user=" L "bob@mail-bad.org" R " to='" L "bob@mail-bad.org" R "' /u/" L
	         "bob@mail-bad.org" R " {\"to\":\"" L "bob@mail-bad.org" R "\"}",
	         false,
	         {"bob@mail-bad.org", "bob@mail-bad.org", "bob@mail-bad.org", "bob@mail-bad.org"}},
	        /* an address whose domain is listed: both reported */
	        {"to " L "eve@" L "evil.com" R R " cc adam@" L "evil.com" R,
	         false,
	         {"eve@evil.com", "evil.com", "evil.com"}},
	};
	RUN(cases);
}

/* ---- refanging ---- */

static void test_refang(void **state)
{
	(void)state;
	static const struct scan_case on[] = {
	        {"c2 " L "hxxp://" L "evil[.]com" R "/x" R " and " L "1.2.3[.]4" R,
	         true,
	         {"http://evil.com/x", "evil.com", "1.2.3.4"}},
	        {"mail " L "bob[@]mail-bad[.]org" R ", " L "bob[at]mail-bad(dot)org" R,
	         true,
	         {"bob@mail-bad.org", "bob@mail-bad.org"}},
	        {L "hxxps[:]//bad-site[.]org/login?u=1" R " " L "evil(.)com" R " " L
	           "www[.]evil[.]com" R,
	         true,
	         {"https://bad-site.org/login?u=1", "evil.com", "evil.com"}},
	        {"plain " L "evil.com" R " and " L "1.2.3.4" R " still match",
	         true,
	         {"evil.com", "1.2.3.4"}},
	        {"ip " L "198.51.100[.]7" R " " L "2001:db8::1" R,
	         true,
	         {"198.51.100.7*2", "2001:db8::1"}},
	};
	RUN(on);
	static const struct scan_case off[] = {
	        {"c2 hxxp://evil[.]com/x and 1.2.3[.]4 bob[@]mail-bad[.]org evil(.)com",
	         false,
	         {NULL}},
	        {"hxxps[:]//bad-site[.]org/login?u=1 www[.]evil[.]com 198.51.100[.]7",
	         false,
	         {NULL}},
	};
	RUN(off);
}

/* ---- types the full extractor finds ---- */

static void test_extractor_types(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"call " L "+44 20 7946 0958" R " or pay " L "GB82 WEST 1234 5698 7654 32" R
	         " re " L "CVE-2021-44228" R " at " L "1.2.3.4" R,
	         false,
	         {"+442079460958", "GB82WEST12345698765432", "CVE-2021-44228", "1.2.3.4"}},
	        {"see " L "1.2.3[.]4" R " and " L "cve-2021-44228" R,
	         true,
	         {"1.2.3.4", "CVE-2021-44228"}},
	        {"CVE-2021-44229 +442079460959", false, {NULL}},
	};
	RUN(cases);
}

/* ---- the callback, order and edges ---- */

static void test_stop_and_order(void **state)
{
	(void)state;
	/* a non-zero return stops the scan and is returned */
	const char *t = "1.2.3.4 evil.com 1.2.3.4 " MD5;
	static struct got g;
	memset(&g, 0, sizeof g);
	g.stop_after = 2;
	assert_int_equal(scan_exact(t, strlen(t), false, &g), 5);
	assert_int_equal(g.n, 2);
	memset(&g, 0, sizeof g);
	g.stop_after = 1;
	assert_int_equal(scan_exact(t, strlen(t), true, &g), 5);
	assert_int_equal(g.n, 1);

	/* many hits, one buffer: offsets never go back */
	size_t cap = 1 << 16, n = 0;
	char *big = malloc(cap);
	assert_non_null(big);
	static const char *const parts[] = {
	        "1.2.3.4 ",          "http://evil.com/x ", "bob@mail-bad.org ",  MD5 " ",
	        "[2001:db8::1]:80 ", "www.evil.com. ",     "10.1.2.3, ",         "noise ",
	        "eve@evil.com ",     "198.51.100.7 ",      "xevil.com ",         "\n",
	        "::ffff:10.9.8.7 ",  SHA256 "\n",          "hxxp://evil[.]com ",
	};
	unsigned seed = 7;
	while (n + 128 < cap) {
		seed = seed * 1103515245u + 12345u;
		const char *p = parts[(seed >> 16) % (sizeof parts / sizeof parts[0])];
		size_t pl = strlen(p);
		memcpy(big + n, p, pl);
		n += pl;
	}
	static struct got g2;
	for (int refang = 0; refang < 2; refang++) {
		memset(&g2, 0, sizeof g2);
		g2.stop_after = 60; /* the buffer of hits holds 64 */
		assert_int_equal(scan_exact(big, n, refang, &g2), 5);
		assert_false(g2.out_of_order);
	}
	free(big);

	/* empty and tiny inputs */
	memset(&g, 0, sizeof g);
	assert_int_equal(match_scan(ix, NULL, 0, NULL, on_hit, &g, NULL), 0);
	struct match_scan_opts o = {.refang = true};
	assert_int_equal(match_scan(ix, "", 0, &o, on_hit, &g, NULL), 0);
	static const char *const tiny[] = {"1",    ":",     "::",     "@",        ".",
	                                   "http", "http:", "http:/", "http://",  "a@",
	                                   "@b",   "[",     "1.2.3.", "hxxp[:]//"};
	for (size_t i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
		for (int refang = 0; refang < 2; refang++) {
			memset(&g, 0, sizeof g);
			assert_int_equal(scan_exact(tiny[i], strlen(tiny[i]), refang, &g), 0);
			assert_int_equal(g.n, 0);
		}
	}
}

/* Counts the hits of a long text per line of its period (see
 * test_repeated_fields). */
struct per_line {
	const size_t *ends; /* end offset of each line in the period */
	size_t nlines, period;
	size_t count[8];
};

static int count_per_line(void *arg, const struct match_scan_hit *sh)
{
	struct per_line *pl = arg;
	size_t off = sh->offset % pl->period, j = 0;
	while (j < pl->nlines && off >= pl->ends[j])
		j++;
	assert_true(j < pl->nlines);
	pl->count[j]++;
	return 0;
}

/* lines[0..nl) repeated until the text holds at least min bytes (texts that
 * long turn the field memo on).  ends[j] is where line j ends within one
 * period of *period bytes; *reps periods make *len bytes.  Free the text. */
static char *repeat_lines(const char *const *lines, size_t nl, size_t min, size_t *ends,
                          size_t *period, size_t *reps, size_t *len)
{
	*period = 0;
	for (size_t j = 0; j < nl; j++) {
		*period += strlen(lines[j]);
		ends[j] = *period;
	}
	*reps = min / *period + 1;
	*len = *reps * *period;
	char *text = malloc(*len);
	assert_non_null(text);
	for (size_t r = 0, o = 0; r < *reps; r++)
		for (size_t j = 0; j < nl; j++) {
			memcpy(text + o, lines[j], strlen(lines[j]));
			o += strlen(lines[j]);
		}
	return text;
}

/* Scans lines[0..nl) repeated to 300 KiB or more (long enough for the
 * table of misses and the field memo) and fails unless line j hits want[j]
 * times in each repetition. */
static void scan_repeated(const char *const *lines, size_t nl, const size_t *want)
{
	struct per_line pl = {.nlines = nl};
	size_t ends[sizeof pl.count / sizeof pl.count[0]], reps, len;
	assert_true(nl <= sizeof ends / sizeof ends[0]);
	char *text = repeat_lines(lines, nl, (size_t)300 << 10, ends, &pl.period, &reps, &len);
	pl.ends = ends;
	assert_int_equal(match_scan(ix, text, len, NULL, count_per_line, &pl, NULL), 0);
	for (size_t j = 0; j < nl; j++)
		if (pl.count[j] != want[j] * reps)
			fail_msg("line %zu: %zu hits, want %zu", j, pl.count[j], want[j] * reps);
	free(text);
}

/* Fails unless line j hits want[j] times scanned alone and in each
 * repetition of scan_repeated. */
static void scan_alone_and_repeated(const char *const *lines, size_t nl, const size_t *want)
{
	for (size_t j = 0; j < nl; j++) {
		static struct got g;
		memset(&g, 0, sizeof g);
		assert_int_equal(scan_exact(lines[j], strlen(lines[j]), false, &g), 0);
		if (g.n != want[j])
			fail_msg("line %zu alone: %zu hits, want %zu", j, g.n, want[j]);
	}
	scan_repeated(lines, nl, want);
}

/*
 * Quoted fields that repeat line after line, in a text long enough for the
 * scanner to remember fields that found nothing and skip them: a field
 * that holds an indicator hits on every line, a field of look-alikes never,
 * a defanged one only when refanging, a JSON field with \" around a token
 * as well; the counts per line must be those of each line scanned alone.
 */
static void test_repeated_fields(void **state)
{
	(void)state;
	static const char *const lines[] = {
	        "203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" "
	        "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/122.0\"\n",
	        "203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 "
	        "\"https://shop.example.org/c/shoes.html\" "
	        "\"Mozilla/5.0 (compatible; scanner/2.1; +http://www.evil.com/bot.html)\"\n",
	        "203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" "
	        "\"Mozilla/5.0 (compatible; xevil.com-bot; notevil.com; 1.2.3.45; v/1.2.3.4)\"\n",
	        "203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" "
	        "\"Mozilla/5.0 (compatible; evil[.]com crawler; from 1.2.3[.]4 today)\"\n",
	        "{\"ts\": \"2023-10-10T13:55:36Z\", \"ua\": \"Mozilla/5.0 \\\"evil.com\\\" "
	        "(compatible; x; 0123456789)\", \"ref\": \"http://evil.com/x\"}\n",
	        "203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" "
	        "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/122.0 " MD5
	        "\"\n",
	};
	enum { NL = sizeof lines / sizeof lines[0] };
	size_t ends[NL], period, reps, len;
	char *text = repeat_lines(lines, NL, (size_t)600 << 10, ends, &period, &reps, &len);
	for (int refang = 0; refang < 2; refang++) {
		/* each line alone: a short text, scanned without the memo */
		size_t want[NL];
		for (size_t j = 0; j < NL; j++) {
			static struct got g;
			memset(&g, 0, sizeof g);
			assert_int_equal(scan_exact(lines[j], strlen(lines[j]), refang, &g), 0);
			want[j] = g.n;
		}
		assert_int_equal(want[0], 0);
		assert_true(want[1] > 0);
		assert_int_equal(want[2], 0);
		assert_int_equal(want[3], refang ? 2 : 0);
		assert_true(want[4] >= 2);
		assert_int_equal(want[5], 1);
		struct per_line pl = {.ends = ends, .nlines = NL, .period = period};
		struct match_scan_opts o = {.refang = refang};
		assert_int_equal(match_scan(ix, text, len, &o, count_per_line, &pl, NULL), 0);
		for (size_t j = 0; j < NL; j++)
			if (pl.count[j] != want[j] * reps)
				fail_msg("refang %d, line %zu: %zu hits, want %zu", refang, j,
				         pl.count[j], want[j] * reps);
	}
	free(text);
}

/*
 * The answers about last labels (tld_known) are kept by the label's bytes
 * for the rest of a scan: labels that differ in one byte or in length, at
 * the start of the text (read a byte at a time) and further on (read as
 * one word), in lower and upper case, must each get their own answer.
 */
static void test_tld_answers(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"x.evil.dom " L "x.evil.com" R, false, {"evil.com"}},
	        {"a.dom " L "evil.com" R " a.con evil.co evil.comm " L "b.evil.com" R,
	         false,
	         {"evil.com", "evil.com"}},
	        {"X.EVIL.DOM " L "X.EVIL.COM" R " EVIL.CON", false, {"evil.com"}},
	        {"a.bc " L "7.cc" R " 7.cd 7.dc " L "x.7.cc" R, false, {"7.cc", "7.cc"}},
	        {"www.shady.nez www.shady.ne www.shady.nett " L "www.shady.net" R,
	         false,
	         {"www.shady.net"}},
	        {"x.bad.co.ux " L "x.bad.co.uk" R, false, {"bad.co.uk"}},
	};
	RUN(cases);
	/* hundreds of labels in one scan, so that they share the kept slots:
	 * only the listed ones hit */
	static char text[16384];
	size_t len = 0, planted = 0;
	for (unsigned i = 0; i < 600; i++) {
		char label[16];
		unsigned l = 2 + i % 7;
		for (unsigned k = 0; k < l; k++)
			label[k] = (char)('a' + (i * 31 + k * 7) % 26);
		label[l] = '\0';
		bool listed = i % 50 == 7;
		len += (size_t)snprintf(text + len, sizeof text - len, "h.evil.%s ",
		                        listed ? "com" : label);
		planted += listed || strcmp(label, "com") == 0;
	}
	static struct got g;
	memset(&g, 0, sizeof g);
	assert_int_equal(scan_exact(text, len, false, &g), 0);
	assert_int_equal(g.n, planted);
	for (size_t i = 0; i < g.n; i++)
		assert_string_equal(g.h[i].ind, "evil.com");
}

/*
 * URL hosts read 16 bytes at a time (host_read16) and a byte at a time
 * (near the text's end, or when a byte that is no run byte comes first):
 * hosts across 16-byte steps with their only upper case or dot in a later
 * step, at the end of the text and before more of it.
 */
static void test_url_hosts(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {L "http://" L "evil.com" R "/x" R, false, {"http://evil.com/x", "evil.com"}},
	        {L "http://" L "evil.com" R "/x" R " and more text after it",
	         false,
	         {"http://evil.com/x", "evil.com"}},
	        {L "http://" L "EVIL.COM" R "/x" R " and more text after it",
	         false,
	         {"http://evil.com/x", "evil.com"}},
	        {"http://" L "aaaaaaaaaaaaaaaaaaaaaaa.EVIL.com" R "/p and more text after it",
	         false,
	         {"evil.com"}},
	        {"http://" L "aaaaaaaaaaaaaaaaaaaaaaaa-b_c.evil.com" R "/p and more text after it",
	         false,
	         {"evil.com"}},
	        {"http://" L "abcdefg.evil.com" R "/p and more text after it", false, {"evil.com"}},
	        {"http://" L "abcdefgh.evil.com" R "#p and more text after it",
	         false,
	         {"evil.com"}},
	        {"http://" L "abcdefgh.evil.com" R "?p=1 and more text after it",
	         false,
	         {"evil.com"}},
	        {"http://" L "abcdefgh.evil.com" R ":8080/ and more text after it",
	         false,
	         {"evil.com"}},
	        {"http://" L "x.evil.com" R ",y.example/ and more text after it",
	         false,
	         {"evil.com"}},
	        {"http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.evil.comx/ and more text after it",
	         false,
	         {NULL}},
	        {"http://" L "1.2.3.4" R "/x and more text after it", false, {"1.2.3.4"}},
	};
	RUN(cases);
}

/*
 * Hashes inside longer runs (hash_segments reads a byte at a time through
 * a table of hex digits and separators): upper and mixed case, every
 * separator, a non-hex letter anywhere in a segment, segments one byte
 * short or long.
 */
static void test_hash_segment_bytes(void **state)
{
	(void)state;
	static const struct scan_case cases[] = {
	        {"sample_" L "D41D8CD98F00B204E9800998ECF8427E" R ".bin", false, {MD5}},
	        {"x-" L "D41d8Cd98F00b204E9800998eCF8427e" R "_y", false, {MD5}},
	        {"x." L SHA1 R ".y-" L "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709" R "_z",
	         false,
	         {SHA1, SHA1}},
	        {"x_g41d8cd98f00b204e9800998ecf8427e.bin x_d41d8cd98f00b204e9800998ecf8427g.bin",
	         false,
	         {NULL}},
	        {"x_d41d8cd98f00b2G4e9800998ecf8427e.bin x_d41d8cd98f00b204e9800998ecf8427.bin",
	         false,
	         {NULL}},
	        {"x_d41d8cd98f00b204e9800998ecf8427e0.bin x_Zd41d8cd98f00b204e9800998ecf8427e",
	         false,
	         {NULL}},
	};
	RUN(cases);
}

/*
 * The table of misses keeps keys of up to MISS_KEY (26) bytes: in a text
 * long enough to have it, hosts and URL hosts around that length, listed
 * and not, with the same first 26 bytes, repeated line after line, hit
 * exactly as often as alone.
 */
static void test_miss_key_lengths(void **state)
{
	(void)state;
	static const char *const lines[] = {
	        "x aaaaaaaaaaaaaaaaa.evil.com y\n",          /* 26 bytes, listed */
	        "x aaaaaaaaaaaaaaaaa.good.com y\n",          /* 26, not */
	        "x aaaaaaaaaaaaaaaaaa.evil.com y\n",         /* 27, listed */
	        "x aaaaaaaaaaaaaaaaaa.good.com y\n",         /* 27, not */
	        "x aaaaaaaaaaaaaaaaaaaaaaaaaa.good.com y\n", /* same 26 first bytes */
	        "x aaaaaaaaaaaaaaaaaaaaaaaaaa.evil.com y\n", /* as this, listed */
	        "\"http://aaaaaaaaaaaaaaaaaaaaaaaaaa.evil.com/x\"\n",
	        "\"http://aaaaaaaaaaaaaaaaaaaaaaaaaa.good.com/x\"\n",
	};
	enum { NL = sizeof lines / sizeof lines[0] };
	const size_t want[NL] = {1, 0, 1, 0, 0, 1, 1, 0};
	scan_repeated(lines, NL, want);
}

/*
 * A host and the host of a URL share one entry of the table of misses,
 * with a bit per answer: a host that is no domain but a stored URL's host,
 * a URL host that is no stored URL's host but under a listed domain, each
 * seen first as the one and then as the other, repeated line after line,
 * hit exactly as often as each line alone; so do hosts that trimming makes
 * other than the URL's host, and an address whose 4 bytes spell a listed
 * 4-byte host.
 */
static void test_shared_misses(void **state)
{
	(void)state;
	static const char *const lines[] = {
	        "x bad-site.org y\n",                   /* no domain */
	        "\"https://bad-site.org/login?u=1\"\n", /* but a URL host */
	        "\"http://sub.evil.com/y\"\n",          /* no URL host, a domain */
	        "x sub.evil.com y\n",
	        "\"http://qhost.org/?q=1\"\n",
	        "x qhost.org y\n",
	        "\"http://-sub.evil.com-/y\" \"http://sub.evil.com./y\"\n",
	        "x 55.46.99.99 x.7.cc y\n", /* the bytes of "7.cc" */
	};
	enum { NL = sizeof lines / sizeof lines[0] };
	const size_t want[NL] = {0, 1, 1, 1, 1, 0, 2, 1};
	scan_alone_and_repeated(lines, NL, want);
}

/*
 * A URL whose host found nothing before, both as a host and as a URL's
 * host, is not looked at again as a run: repeated line after line, such
 * hosts (lower and upper case, up to MISS_KEY bytes) still hit nothing,
 * while a host that holds a hash, an address as a URL's host and hosts
 * under a listed domain (no URL's host) hit exactly as often as alone.
 */
static void test_known_url_hosts(void **state)
{
	(void)state;
	static const char *const lines[] = {
	        "\"http://www.good.example/a\"\n",
	        "\"http://" MD5 ".good.example/x\"\n",
	        "\"http://1.2.3.4/x\"\n",
	        "\"https://shop.good.example/c\" \"http://x.shop.good.example/\"\n",
	        "\"http://WWW.Good.Example/b\"\n",
	        "\"http://www.evil.com/b\"\n",
	        "\"http://abcdefabcd-abcdef.good.org/\"\n", /* 26 bytes: MISS_KEY */
	        "\"http://abcdefabcd-abcdef.evil.com/\"\n",
	};
	enum { NL = sizeof lines / sizeof lines[0] };
	const size_t want[NL] = {0, 1, 1, 0, 0, 1, 0, 1};
	scan_alone_and_repeated(lines, NL, want);
}

/* Adds value of type to the index ix (source src). */
static void add_one(enum ioc_type type, const char *value, uint32_t src)
{
	static struct ioc_value v;
	struct crix_error err = {0};
	if (ioc_parse(ctx, type, value, strlen(value), NULL, &v, &err) != 0 ||
	    match_index_add(ix, &v, src, 1, NULL, &err) != 0)
		fail_msg("%s: %s", value, err.msg);
}

/* Puts a fresh index in place of the shared one, for a test that needs
 * only what it adds, from the one source it gets in *src (named name).
 * Returns the shared index, for own_index_end. */
static struct match_index *own_index(const char *name, uint32_t *src)
{
	struct match_index *saved = ix;
	struct crix_error err = {0};
	assert_int_equal(match_index_new(&ix, &err), 0);
	struct match_source ms = {.name = name};
	assert_int_equal(match_index_add_source(ix, &ms, src, &err), 0);
	return saved;
}

static void own_index_end(struct match_index *saved)
{
	match_index_free(ix);
	ix = saved;
}

/*
 * Every shape of a dotted quad (parts of 1 to 4 digits), each part drawn
 * from values at the edges (a leading zero, 255, 256, 999), against an
 * index holding 0.0.0.0/0: the scanner's parser (the 16-byte vector one,
 * and the one for the last bytes of a text) must take exactly what
 * ioc_ipv4_bytes takes, with the same address.
 */
static void test_ipv4_shapes(void **state)
{
	(void)state;
	uint32_t src;
	struct match_index *saved = own_index("all", &src);
	add_one(IOC_CIDR4, "0.0.0.0/0", src);
	static const char *const parts[] = {"0",   "7",   "10",  "99",  "05",   "100",
	                                    "255", "256", "999", "010", "1000", "0255"};
	enum { NP = sizeof parts / sizeof parts[0], NQ = NP * NP * NP * NP };
	/* the valid ones are listed too: the hit must be the address itself */
	for (size_t i = 0; i < NQ; i++) {
		char quad[32];
		snprintf(quad, sizeof quad, "%s.%s.%s.%s", parts[i % NP], parts[i / NP % NP],
		         parts[i / NP / NP % NP], parts[i / NP / NP / NP]);
		uint8_t b[4];
		if (ioc_ipv4_bytes(quad, strlen(quad), b))
			add_one(IOC_IPV4, quad, src);
	}
	match_index_shrink(ix);
	size_t taken = 0;
	for (size_t i = 0; i < NQ; i++) {
		char quad[32];
		snprintf(quad, sizeof quad, "%s.%s.%s.%s", parts[i % NP], parts[i / NP % NP],
		         parts[i / NP / NP % NP], parts[i / NP / NP / NP]);
		uint8_t want[4];
		bool valid = ioc_ipv4_bytes(quad, strlen(quad), want);
		taken += valid;
		for (int wide = 0; wide < 2; wide++) {
			char text[64];
			int n = snprintf(text, sizeof text, "%s%s", quad,
			                 wide ? " - - [10/Oct/2023:13:55:36 +0000]\n" : "");
			static struct got g;
			memset(&g, 0, sizeof g);
			assert_int_equal(scan_exact(text, (size_t)n, false, &g), 0);
			if (g.n != (valid ? 1u : 0u) || (valid && (g.h[0].len != strlen(quad) ||
			                                           strcmp(g.h[0].ind, quad) != 0)))
				fail_msg("\"%s\": %zu hits (first %s), want %s", text, g.n,
				         g.n > 0 ? g.h[0].ind : "-", valid ? quad : "none");
		}
	}
	assert_true(taken > 1000 && taken < NQ); /* both kinds were tried */
	own_index_end(saved);
}

/*
 * Clients at the start of log lines, against an index of addresses and
 * networks only (no network shorter than /16 at first): an address in no
 * listed /24 stops at v4any, one in a /24 with a listed address, a network
 * of /25../32 or one of /16../24 goes on to the exact probe and the
 * networks.  Each dotted quad (and its look-alikes: leading zeros, a fifth
 * part, parts over 255 or of 4 digits) is scanned at the end of the text,
 * where fewer than 16 bytes are left to read, and before more text, where
 * parse_ipv4 reads 16 at once.  Then a long text repeats them, so that the
 * misses are remembered (struct miss), and a /10 is added, which every
 * address must now be probed for.
 */
static void test_ipv4_clients(void **state)
{
	(void)state;
	uint32_t src;
	struct match_index *saved = own_index("v4", &src);
	add_one(IOC_IPV4, "192.0.2.1", src);
	add_one(IOC_IPV4, "8.8.8.8", src);
	add_one(IOC_IPV4, "255.255.255.255", src);
	add_one(IOC_CIDR4, "198.51.100.128/25", src);
	add_one(IOC_CIDR4, "203.0.113.0/24", src);
	add_one(IOC_CIDR4, "172.16.0.0/16", src);
	match_index_shrink(ix);
	static const struct {
		const char *quad, *want; /* want NULL: no hit */
	} cases[] = {
	        {"192.0.2.1", "192.0.2.1"},
	        {"192.0.2.2", NULL}, /* its /24 holds a listed address */
	        {"8.8.8.8", "8.8.8.8"},
	        {"8.8.4.4", NULL},
	        {"9.9.9.9", NULL},
	        {"255.255.255.255", "255.255.255.255"},
	        {"198.51.100.200", "198.51.100.128/25"},
	        {"198.51.100.128", "198.51.100.128/25"},
	        {"198.51.100.127", NULL}, /* its /24 holds a /25, not this half */
	        {"203.0.113.77", "203.0.113.0/24"},
	        {"172.16.254.1", "172.16.0.0/16"},
	        {"172.17.0.1", NULL},
	        {"192.0.2.01", NULL},
	        {"0192.0.2.1", NULL},
	        {"192.0.02.1", NULL},
	        {"192.00.2.1", NULL},
	        {"192.0.2.1.5", NULL},
	        {"5.192.0.2.1", NULL},
	        {"192.0.2.1000", NULL},
	        {"1920.0.2.1", NULL},
	        {"192..0.2.1", NULL},
	        {"192.0.2", NULL},
	        {"256.8.8.8", NULL},
	        {"8.8.8.256", NULL},
	        {"8.8.8.8888", NULL},
	        {"203.0.113.255", "203.0.113.0/24"},
	        {"100.100.1.1", NULL}, /* until the /10 is added */
	};
	static const char *const after[] = {"", " - - [10/Oct/2023:13:55:36 +0000] \"GET /\"\n"};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (size_t k = 0; k < 2; k++) {
			char text[128];
			int n = snprintf(text, sizeof text, "%s%s", cases[i].quad, after[k]);
			static struct got g;
			memset(&g, 0, sizeof g);
			assert_int_equal(scan_exact(text, (size_t)n, false, &g), 0);
			if (cases[i].want == NULL
			            ? g.n != 0
			            : g.n != 1 || strcmp(g.h[0].ind, cases[i].want) != 0 ||
			                      g.h[0].off != 0 ||
			                      g.h[0].len != strlen(cases[i].quad))
				fail_msg("\"%s\": %zu hits (first %s), want %s", text, g.n,
				         g.n > 0 ? g.h[0].ind : "-",
				         cases[i].want ? cases[i].want : "none");
		}

	/* the same as the clients of a long log, twice each per period */
	static const char *const lines[] = {
	        "192.0.2.2 - - \"GET /\"\n",      "192.0.2.1 - - \"GET /\"\n",
	        "9.9.9.9 - - \"GET /\"\n",        "198.51.100.7 - - \"GET /\"\n",
	        "198.51.100.200 - - \"GET /\"\n", "192.0.2.2 - - \"GET /\"\n",
	        "100.100.1.1 - - \"GET /\"\n",    "192.0.2.1 - - \"GET /\"\n",
	};
	enum { NL = sizeof lines / sizeof lines[0] };
	size_t ends[NL], period, reps, len;
	char *text = repeat_lines(lines, NL, (size_t)300 << 10, ends, &period, &reps, &len);
	for (int slash10 = 0; slash10 < 2; slash10++) {
		if (slash10) {
			add_one(IOC_CIDR4, "100.64.0.0/10", src);
			static struct got g;
			memset(&g, 0, sizeof g);
			assert_int_equal(scan_exact("100.100.1.1", 11, false, &g), 0);
			assert_int_equal(g.n, 1);
			assert_string_equal(g.h[0].ind, "100.64.0.0/10");
		}
		const size_t want[NL] = {0, 1, 0, 0, 1, 0, (size_t)slash10, 1};
		struct per_line pl = {.ends = ends, .nlines = NL, .period = period};
		assert_int_equal(match_scan(ix, text, len, NULL, count_per_line, &pl, NULL), 0);
		for (size_t j = 0; j < NL; j++)
			if (pl.count[j] != want[j] * reps)
				fail_msg("/10 %d, line %zu: %zu hits, want %zu", slash10, j,
				         pl.count[j], want[j] * reps);
	}
	free(text);
	own_index_end(saved);
}

/* An index without a type is not searched for it; an empty index finds
 * nothing and does not fail. */
static void test_empty_index(void **state)
{
	(void)state;
	struct match_index *empty = NULL;
	assert_int_equal(match_index_new(&empty, NULL), 0);
	const char *t = "1.2.3.4 evil.com http://evil.com/x " MD5 " +44 20 7946 0958";
	static struct got g;
	memset(&g, 0, sizeof g);
	struct match_index *save = ix;
	ix = empty;
	assert_int_equal(scan_exact(t, strlen(t), false, &g), 0);
	assert_int_equal(scan_exact(t, strlen(t), true, &g), 0);
	ix = save;
	assert_int_equal(g.n, 0);
	match_index_free(empty);
}

static int setup(void **state)
{
	(void)state;
	struct crix_error err = {0};
	if (ioc_ctx_new(&ctx, &err) != 0 || match_index_new(&ix, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	uint32_t src[2];
	struct match_source a = {.name = "feed-a"}, b = {.name = "feed-b"};
	if (match_index_add_source(ix, &a, &src[0], &err) != 0 ||
	    match_index_add_source(ix, &b, &src[1], &err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof fixture / sizeof fixture[0]; i++) {
		static struct ioc_value v;
		const char *s = fixture[i].value;
		if (ioc_parse(ctx, fixture[i].type, s, strlen(s), NULL, &v, &err) != 0 ||
		    match_index_add(ix, &v, src[fixture[i].source], i + 1, NULL, &err) != 0) {
			fprintf(stderr, "setup: %s: %s\n", s, err.msg);
			return -1;
		}
	}
	match_index_shrink(ix); /* as the loaders do: builds the filter */
	return 0;
}

/*
 * The vector classifiers of 64-byte blocks (SSE2, AVX2, AVX-512) against
 * the portable one, byte by byte, on random blocks: uniform bytes, and
 * bytes drawn from the ones whose classes differ by a little (letters at
 * the edges of A-F, a-f, A-Z, a-z, digits, '.', '-', '_', ':', '@', '/',
 * '\', 0x7f, 0x80, 0xff and their neighbours).
 */
/* The scanner's IPv6 parser against inet_pton (through a NUL-terminated
 * copy, as ioc_ipv6_bytes calls it): the same answer and the same bytes
 * for listed spellings and for strings pieced together from groups,
 * colons, dotted quads and stray bytes. */
static void check_ipv6(const char *s, size_t n)
{
	char z[80];
	uint8_t want[16] = {0}, got[16] = {0};
	assert_true(n < sizeof z);
	memcpy(z, s, n);
	z[n] = '\0';
	/* inet_pton reads up to a NUL: inputs with one are refused by both */
	bool ok = strlen(z) == n && n > 0 && n < 64 && inet_pton(AF_INET6, z, want) == 1;
	bool mine = match_ipv6_bytes(s, n, got);
	if (ok != mine || (ok && memcmp(want, got, 16) != 0))
		fail_msg("\"%s\": inet_pton %d, match_ipv6_bytes %d", z, ok, mine);
}

static void test_ipv6_parser(void **state)
{
	(void)state;
	static const char *const spellings[] = {"::",
	                                        "::1",
	                                        "1::",
	                                        ":",
	                                        ":::",
	                                        "1:",
	                                        ":1",
	                                        "1::2::3",
	                                        "::ffff:1.2.3.4",
	                                        "::1.2.3.4",
	                                        "1.2.3.4",
	                                        "::01.2.3.4",
	                                        "::1.2.3.04",
	                                        "::256.1.2.3",
	                                        "::1.2.3",
	                                        "::1.2.3.4.5",
	                                        "::1..2.3",
	                                        "::.1.2.3",
	                                        "1:2:3:4:5:6:7:8",
	                                        "1:2:3:4:5:6:7:8:9",
	                                        "1:2:3:4:5:6:7::",
	                                        "::2:3:4:5:6:7:8",
	                                        "1:2:3:4:5:6:7::8",
	                                        "1:2:3:4:5:6:1.2.3.4",
	                                        "1:2:3:4:5:6:7:1.2.3.4",
	                                        "1:2:3:4:5::1.2.3.4",
	                                        "2001:db8::1",
	                                        "2001:DB8::A",
	                                        "12345::",
	                                        "00000::",
	                                        "0000::",
	                                        "ffff::",
	                                        "fffff::",
	                                        "::g",
	                                        "2001:db8:::1",
	                                        "1:2:3:4:5:6:7:8:",
	                                        "1::2:",
	                                        "::1:",
	                                        "1.2.3.4::",
	                                        "::1a.2.3.4",
	                                        "::1.2.3.4:5",
	                                        "fe80::1%eth0",
	                                        "",
	                                        "1",
	                                        "1:2",
	                                        "::ffff:255.255.255.255",
	                                        "::ffff:0.0.0.0"};
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
		check_ipv6(spellings[i], strlen(spellings[i]));
	static const char *const parts[] = {"0",       "1",        "ff",
	                                    "FFFF",    "abcd",     "12345",
	                                    "0000",    "00000",    ":",
	                                    "::",      ":::",      ".",
	                                    "1.2.3.4", "01.2.3.4", "255.255.255.255",
	                                    "256.1.1", "1.2.3",    "1.2.3.4.5",
	                                    "a",       "db8",      "g",
	                                    "1..2",    "0.0.0.0"};
	uint64_t x = 88172645463325252ull;
	size_t accepted = 0;
	for (int it = 0; it < 300000; it++) {
		char buf[72];
		size_t n = 0;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t y = x;
		for (unsigned j = 0, k = 1 + (unsigned)(x % 12); j < k; j++) {
			y = y * 6364136223846793005ull + 1442695040888963407ull;
			char one[2] = {"0123456789abcdefABCDEF:./g"[(y >> 32) % 26], '\0'};
			const char *p =
			        (y >> 60) < 3 ? one
			                      : parts[(y >> 33) % (sizeof parts / sizeof parts[0])];
			size_t l = strlen(p);
			if (n + l >= 70)
				break;
			memcpy(buf + n, p, l);
			n += l;
			if ((y >> 40) % 3 == 0 && n < 69)
				buf[n++] = ':';
		}
		check_ipv6(buf, n);
		uint8_t a[16];
		accepted += match_ipv6_bytes(buf, n, a);
	}
	assert_true(accepted > 1000); /* the generator makes addresses too */
}

static int count_hits(void *arg, const struct match_scan_hit *sh)
{
	(void)sh;
	(*(size_t *)arg)++;
	return 0;
}

/*
 * Quoted fields of 28..36 bytes (the memo takes 32 and more, and the
 * classifier does not seed the '"' of a shorter one it sees end in its
 * block), with and without a hit at either end, repeated to a text long
 * enough for the memo, after 0..63 spaces: every copy's hits are found.
 */
static void test_field_lengths(void **state)
{
	(void)state;
	char period[8192];
	size_t pn = 0;
	for (size_t l = 28; l <= 36; l++)
		for (int kind = 0; kind < 3; kind++) {
			char field[64];
			memset(field, 'a' + (char)kind, l);
			if (kind == 1)
				memcpy(field + l - 9, " evil.com", 9);
			else if (kind == 2)
				memcpy(field, "1.2.3.4 ", 8);
			pn += (size_t)snprintf(
			        period + pn, sizeof period - pn,
			        "10.9.8.7 - \"%.*s\" \"-\" \"%.*s\"\n", (int)l, field,
			        (int)(64 - l),
			        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
		}
	assert_true(pn < sizeof period);
	size_t want = 0;
	assert_int_equal(match_scan(ix, period, pn, NULL, count_hits, &want, NULL), 0);
	assert_int_equal(want, 9 * 3 + 9 * 2); /* 10.9.8.7 in 10.0.0.0/8, the planted ones */
	size_t reps = (300u << 10) / pn + 1;
	char *text = malloc(64 + reps * pn);
	assert_non_null(text);
	for (size_t pad = 0; pad < 64; pad += 9) {
		memset(text, ' ', pad);
		for (size_t r = 0; r < reps; r++)
			memcpy(text + pad + r * pn, period, pn);
		size_t got = 0;
		assert_int_equal(
		        match_scan(ix, text, pad + reps * pn, NULL, count_hits, &got, NULL), 0);
		if (got != want * reps)
			fail_msg("pad %zu: %zu hits, want %zu", pad, got, want * reps);
	}
	free(text);
}

/*
 * Runs that reach past their 64-byte block (scan_run takes their end and
 * bits from the masks of the blocks after it): a listed domain whose first
 * label is 1..63 bytes, in lower and upper case, a near miss without the
 * dot, hashes after such a label and a separator or a non-hex byte, and
 * with a non-hex byte after them, after 0..63
 * spaces so that each crosses one, two or three block edges at every
 * offset, followed by a space or ending the text.
 */
static void test_runs_across_blocks(void **state)
{
	(void)state;
	char text[512], label[64];
	struct {
		const char *head, *tail;
		size_t hits;
	} shapes[] = {
	        {"", ".evil.com", 1}, {"", ".EVIL.COM", 1}, {"", "evil.com", 0},
	        {"-", SHA512, 1},     {"g", SHA512, 0},     {"-", SHA512 "g", 0},
	        {"_", MD5 ".bin", 1}, {"_", SHA256 "x", 0},
	};
	for (size_t sh = 0; sh < sizeof shapes / sizeof shapes[0]; sh++)
		for (size_t n = 1; n <= 63; n += (n < 8 || n > 56) ? 1 : 7)
			for (size_t pad = 0; pad < 64; pad++)
				for (int end = 0; end < 2; end++) {
					memset(label, sh == 1 ? 'A' : 'a', n);
					label[n] = '\0';
					int k = snprintf(text, sizeof text, "%*s%s%s%s%s", (int)pad,
					                 "", label, shapes[sh].head,
					                 shapes[sh].tail, end ? "" : " ok");
					assert_true(k > 0 && (size_t)k < sizeof text);
					size_t got = 0;
					assert_int_equal(match_scan(ix, text, (size_t)k, NULL,
					                            count_hits, &got, NULL),
					                 0);
					if (got != shapes[sh].hits)
						fail_msg("\"%s\": %zu hits, want %zu", text, got,
						         shapes[sh].hits);
				}
}

/*
 * Fields of a class the memo gives up on (requests, all new) and takes up
 * again: 4000 lines whose requests are new each line and hold a hit, then
 * 4000 whose requests repeat and hold none, then new ones with hits again,
 * each beside a user agent that repeats; every hit is found in each part.
 */
static void test_memo_classes(void **state)
{
	(void)state;
	size_t cap = 12000 * 160, n = 0, want = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (unsigned k = 0; k < 12000; k++) {
		bool plain = k >= 4000 && k < 8000;
		int w = snprintf(text + n, cap - n,
		                 "203.0.113.9 - \"GET /p%06u?r=%s HTTP/1.1\" 200 \"Mozilla/5.0 "
		                 "(X11; Linux x86_64) Firefox/122.0\"\n",
		                 plain ? k % 3 : k, plain ? "nothing-here" : "evil.com");
		assert_true(w > 0 && (size_t)w < cap - n);
		n += (size_t)w;
		want += !plain;
	}
	size_t got = 0;
	assert_int_equal(match_scan(ix, text, n, NULL, count_hits, &got, NULL), 0);
	assert_int_equal(got, want);
	free(text);
}

static void test_classifiers_agree(void **state)
{
	(void)state;
	static const unsigned char edge[] = {'@',  'A',  'F',  'G',  'Z',  '[',  '`',  'a',  'f',
	                                     'g',  'z',  '{',  '/',  '0',  '9',  ':',  '.',  '-',
	                                     ',',  '_',  '^',  '\\', ' ',  0,    0x7f, 0x80, 0xc0,
	                                     0xdf, 0xe0, 0xff, 0xa0, 0x3b, '\n', '\r', '"'};
	uint64_t x = 0x243f6a8885a308d3ull;
	unsigned char block[64];
	for (int n = 0; n < 200000; n++) {
		for (int i = 0; i < 64; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			block[i] = n % 2 ? (unsigned char)x : edge[x % sizeof edge];
		}
		if (!match_scan_simd_agrees(block))
			fail_msg("block %d: a vector classifier disagrees with the portable one",
			         n);
	}
	for (int c = 0; c < 256; c++) {
		memset(block, c, sizeof block);
		assert_true(match_scan_simd_agrees(block));
	}
}

/* The memo's hash, made while the end of a field is looked for, is the one
 * made when the end is known (else known fields would never be found):
 * every length a field may have, at every alignment of 16. */
static void test_stretch_hash(void **state)
{
	(void)state;
	static unsigned char buf[2100 + 16];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (size_t n = 32; n <= 2048; n++) {
		size_t at = n % 16;
		for (size_t i = 0; i < sizeof buf; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (unsigned char)(x % 94 + 33) == '"' ? 'q'
			                                             : (unsigned char)(x % 94 + 33);
		}
		buf[at + n] = '"';
		if (!match_scan_stretch_agrees(buf + at, n))
			fail_msg("a field of %zu bytes: hashed or ended differently", n);
	}
}

/* ---- line numbers ---- */

/* Checks each hit's line against the newlines counted before it, a byte at
 * a time (from the last hit's; the extractor's hits start again). */
struct line_got {
	const char *text;
	size_t at, hits, other;
	uint64_t n;
};

static int check_line_hit(void *arg, const struct match_scan_hit *sh)
{
	struct line_got *g = arg;
	if (sh->offset < g->at) {
		g->at = 0;
		g->n = 0;
	}
	for (; g->at < sh->offset; g->at++)
		g->n += g->text[g->at] == '\n';
	if (sh->line != g->n)
		fail_msg("hit %zu at %zu (%s): line %llu, want %llu", g->hits, sh->offset,
		         sh->hit->indicator, (unsigned long long)sh->line,
		         (unsigned long long)g->n);
	g->hits++;
	g->other += extractor_type(sh->hit->type);
	return 0;
}

/*
 * Hits' lines and the count of newlines, from the scanner, against a count a
 * byte at a time: lines that end in CRLF, a line longer than a page of the
 * count (4 KiB) with a hit at its end, known fields the memo skips, URLs
 * and IPv6 addresses the tokenizer jumps over, the extractor's types (its
 * own pass), defanged tokens, no final newline; short texts and long ones
 * (the memo on), under every classifier, at 4 alignments, refang off and on.
 */
static void test_lines(void **state)
{
	(void)state;
	static const char *const lines[] = {
	        "1.2.3.4 - - [10/Oct/2023:13:55:36 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" "
	        "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/122.0\"\n",
	        "call +44 20 7946 0958 or pay GB82 WEST 1234 5698 7654 32\r\n",
	        "\"http://evil.com/x\" \"see http://example.org/" MD5 "/a/b/c/d/e/f/g\"\r\n",
	        "[2001:db8::1]:443 1:22:33:44:55:66:77:88 hxxp://evil[.]com/x 1.2.3[.]4\n",
	        "\n\n\r\n",
	        "eve@evil.com " SHA256 " www.evil.com. " SHA1 "\n",
	};
	char *long_line = malloc(9000);
	assert_non_null(long_line);
	memset(long_line, ' ', 8900);
	memcpy(long_line + 8900, " 10.1.2.3 evil.com\n", 20); /* 20: with its NUL */
	size_t cap = (600u << 10) + 64, n = 0;
	char *text = malloc(cap), *copy = malloc(cap);
	assert_non_null(text);
	assert_non_null(copy);
	unsigned seed = 11;
	while (n + 9100 < cap) {
		seed = seed * 1103515245u + 12345u;
		unsigned k = (seed >> 16) % 64;
		const char *l = k == 0 ? long_line : lines[k % (sizeof lines / sizeof lines[0])];
		memcpy(text + n, l, strlen(l));
		n += strlen(l);
	}
	memcpy(text + n, "last 1.2.3.4", 12); /* no final newline */
	n += 12;
	uint64_t want_nl = 0;
	for (size_t i = 0; i < n; i++)
		want_nl += text[i] == '\n';
	static const char *const simd[] = {"avx512", "avx2", "sse2", "portable"};
	static const size_t pads[] = {0, 1, 31, 63};
	static const size_t sizes[] = {5000, 100000, 0}; /* 0: all of it */
	for (size_t c = 0; c < sizeof simd / sizeof simd[0]; c++) {
		if (match_scan_simd(simd[c]) != 0)
			continue;
		for (size_t p = 0; p < sizeof pads / sizeof pads[0]; p++)
			for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
				for (int refang = 0; refang < 2; refang++) {
					size_t len = sizes[z] != 0 ? sizes[z] : n;
					memset(copy, '\n', pads[p]);
					memcpy(copy + pads[p], text, len);
					len += pads[p];
					uint64_t nl = 0, want = want_nl + pads[p];
					if (sizes[z] != 0) {
						want = 0;
						for (size_t i = 0; i < len; i++)
							want += copy[i] == '\n';
					}
					struct line_got g = {.text = copy};
					struct match_scan_opts o = {.refang = refang,
					                            .newlines = &nl};
					assert_int_equal(match_scan(ix, copy, len, &o,
					                            check_line_hit, &g, NULL),
					                 0);
					assert_int_equal(nl, want);
					assert_true(g.hits > (sizes[z] == 5000 ? 20u : 500u));
					assert_true(g.other > 0);
				}
	}
	assert_int_equal(match_scan_simd(NULL), 0);
	free(long_line);
	free(text);
	free(copy);
}

static int teardown(void **state)
{
	(void)state;
	match_index_free(ix);
	ioc_ctx_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_whole_tokens),
	        cmocka_unit_test(test_unicode_punctuation),
	        cmocka_unit_test(test_ipv6_spellings),
	        cmocka_unit_test(test_ports_and_networks),
	        cmocka_unit_test(test_versions),
	        cmocka_unit_test(test_urls),
	        cmocka_unit_test(test_hashes),
	        cmocka_unit_test(test_emails),
	        cmocka_unit_test(test_refang),
	        cmocka_unit_test(test_extractor_types),
	        cmocka_unit_test(test_stop_and_order),
	        cmocka_unit_test(test_empty_index),
	        cmocka_unit_test(test_repeated_fields),
	        cmocka_unit_test(test_classifiers_agree),
	        cmocka_unit_test(test_ipv6_parser),
	        cmocka_unit_test(test_ipv4_clients),
	        cmocka_unit_test(test_tld_answers),
	        cmocka_unit_test(test_url_hosts),
	        cmocka_unit_test(test_hash_segment_bytes),
	        cmocka_unit_test(test_miss_key_lengths),
	        cmocka_unit_test(test_shared_misses),
	        cmocka_unit_test(test_known_url_hosts),
	        cmocka_unit_test(test_time_colons),
	        cmocka_unit_test(test_field_lengths),
	        cmocka_unit_test(test_lines),
	        cmocka_unit_test(test_stretch_hash),
	        cmocka_unit_test(test_memo_classes),
	        cmocka_unit_test(test_runs_across_blocks),
	        cmocka_unit_test(test_ipv4_shapes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
