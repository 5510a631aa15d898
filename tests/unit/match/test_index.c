/*
 * test_index.c - the indicator index through its public API (match.h):
 * exact sets of every type, CIDR longest-prefix for IPv4 and IPv6, domain
 * suffixes, URL and e-mail hosts, sources and duplicates, the allow-list,
 * reserve and stats, and one writer with readers on other threads.
 *
 * Values are built with ioc_parse, as the loaders build them, so that the
 * tests speak in canonical text and not in the index's binary keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "match/match_int.h"
#include "unit/match/match_test.h"

/* ---- helpers ---- */

#define MAX_HITS 16

/* The hits of one lookup, copied out of the callback. */
struct hits {
	size_t n;
	struct {
		enum ioc_type type;
		char indicator[IOC_VALUE_MAX];
		uint32_t source;
		uint64_t line;
	} h[MAX_HITS];
	int stop_after; /* return 1 after this many hits (0: never) */
};

static int collect(void *arg, const struct match_hit *hit)
{
	struct hits *hs = arg;
	assert_true(hs->n < MAX_HITS);
	assert_non_null(hit->indicator);
	assert_int_equal(strlen(hit->indicator), hit->indicator_len);
	hs->h[hs->n].type = hit->type;
	memcpy(hs->h[hs->n].indicator, hit->indicator, hit->indicator_len + 1);
	hs->h[hs->n].source = hit->source;
	hs->h[hs->n].line = hit->line;
	hs->n++;
	return hs->stop_after != 0 && (int)hs->n >= hs->stop_after ? 7 : 0;
}

/* A source with the TLP and tags the tests expect. */
static uint32_t new_source(struct match_index *ix, const char *name)
{
	return source(ix, name, "amber", "test");
}

static void lookup(struct match_index *ix, enum ioc_type type, const char *s, struct hits *hs)
{
	memset(hs, 0, sizeof *hs);
	assert_int_equal(match_lookup(ix, parse(type, s), collect, hs), 0);
}

/* Looks s up and requires exactly one hit, on want (of want_type). */
static void want_one(struct match_index *ix, enum ioc_type type, const char *s,
                     enum ioc_type want_type, const char *want)
{
	static struct hits hs;
	lookup(ix, type, s, &hs);
	if (hs.n != 1)
		fail_msg("lookup %s \"%s\": %zu hits (first \"%s\"), want 1 on \"%s\"",
		         ioc_type_name(type), s, hs.n, hs.n ? hs.h[0].indicator : "", want);
	if (strcmp(hs.h[0].indicator, want) != 0 || hs.h[0].type != want_type)
		fail_msg("lookup %s \"%s\": hit %s \"%s\", want %s \"%s\"", ioc_type_name(type), s,
		         ioc_type_name(hs.h[0].type), hs.h[0].indicator, ioc_type_name(want_type),
		         want);
}

static void want_none(struct match_index *ix, enum ioc_type type, const char *s)
{
	static struct hits hs;
	lookup(ix, type, s, &hs);
	if (hs.n != 0)
		fail_msg("lookup %s \"%s\": unexpected hit \"%s\"", ioc_type_name(type), s,
		         hs.h[0].indicator);
}

/* ---- exact sets ---- */

struct exact_case {
	enum ioc_type type;
	const char *listed; /* added to the index */
	const char *lookup; /* another spelling of the same value */
	const char *other;  /* a valid value of the type that is not listed */
};

static const struct exact_case exact_cases[] = {
        {IOC_IPV4, "198.51.100.7", " 198.51.100.7 ", "198.51.100.8"},
        {IOC_IPV6, "2001:db8::7", "2001:0DB8:0:0:0:0:0:7", "2001:db8::8"},
        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e", "D41D8CD98F00B204E9800998ECF8427E",
         "d41d8cd98f00b204e9800998ecf8427f"},
        {IOC_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
         "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "da39a3ee5e6b4b0d3255bfef95601890afd80708"},
        {IOC_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b856"},
        {IOC_SHA512,
         "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2"
         "877eec2f63b931bd47417a81a538327af927da3e",
         "CF83E1357EEFB8BDF1542850D66D8007D620E4050B5715DC83F4A921D36CE9CE47D0D13C5D85F2B0FF8318D2"
         "877EEC2F63B931BD47417A81A538327AF927DA3E",
         "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2"
         "877eec2f63b931bd47417a81a538327af927da3f"},
        {IOC_EMAIL, "bob@bad-mail.org", "bob@BAD-MAIL.ORG", "alice@bad-mail.org"},
        {IOC_URL, "http://bad-site.org/x?a=1", "HTTP://BAD-SITE.ORG:80/x?a=1",
         "http://bad-site.org/y"},
        {IOC_PHONE, "+442079460958", "+44 20 7946 0958", "+442079460959"},
        {IOC_IBAN, "GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32",
         "DE89370400440532013000"},
        {IOC_BTC, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
         "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"},
        {IOC_BTC, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
         "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ",
         "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
        {IOC_ETH, "0x52908400098527886e0f7030069857d2e4169ee7",
         "0x52908400098527886E0F7030069857D2E4169EE7",
         "0x52908400098527886e0f7030069857d2e4169ee8"},
        {IOC_ASN, "AS64496", "as64496", "AS64497"},
        {IOC_CVE, "CVE-2021-44228", "cve-2021-44228", "CVE-2021-44229"},
        {IOC_CARD, "4111111111111111", "4111 1111 1111 1111", "5555555555554444"},
        {IOC_CIDR4, "198.18.0.0/15", "198.19.255.255/15", "198.18.0.0/16"},
        {IOC_CIDR6, "2001:db8:aa::/48", "2001:DB8:AA:1::/48", "2001:db8:aa::/47"},
};

static void test_exact_every_type(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "exact.txt");
	size_t n = sizeof exact_cases / sizeof exact_cases[0];
	for (size_t i = 0; i < n; i++) {
		const struct exact_case *c = &exact_cases[i];
		/* the "other" value must not be the listed one in disguise */
		char listed[IOC_VALUE_MAX];
		snprintf(listed, sizeof listed, "%s", parse(c->type, c->listed)->v);
		assert_string_not_equal(listed, parse(c->type, c->other)->v);
		assert_false(add(ix, c->type, c->listed, src, 100 + i));
	}
	for (size_t i = 0; i < n; i++) {
		const struct exact_case *c = &exact_cases[i];
		struct hits hs;
		lookup(ix, c->type, c->lookup, &hs);
		if (hs.n != 1)
			fail_msg("%s \"%s\": %zu hits", ioc_type_name(c->type), c->lookup, hs.n);
		assert_int_equal(hs.h[0].type, c->type);
		assert_string_equal(hs.h[0].indicator, parse(c->type, c->listed)->v);
		assert_int_equal(hs.h[0].source, src);
		assert_int_equal(hs.h[0].line, 100 + i);
		want_none(ix, c->type, c->other);
	}
	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, n);
	assert_int_equal(st.by_type[IOC_BTC], 2);
	assert_int_equal(st.by_type[IOC_SHA512], 1);
	match_index_free(ix);
}

/* A value of one type never matches a stored value of another type with
 * the same text or bytes. */
static void test_exact_type_separation(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "t");
	add(ix, IOC_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", src, 1);
	add(ix, IOC_IPV4, "0.0.0.0", src, 2);
	/* eth is 0x + 40 hex: the same 40 digits as the sha1 above */
	want_none(ix, IOC_ETH, "0xda39a3ee5e6b4b0d3255bfef95601890afd80709");
	/* ::/128 has 16 zero bytes; 0.0.0.0 has 4 */
	want_none(ix, IOC_IPV6, "::");
	want_one(ix, IOC_IPV4, "0.0.0.0", IOC_IPV4, "0.0.0.0");
	match_index_free(ix);
}

/* ---- CIDR longest prefix ---- */

static void test_cidr4_longest_prefix(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "nets");
	add(ix, IOC_CIDR4, "10.0.0.0/8", src, 1);
	add(ix, IOC_CIDR4, "10.1.0.0/16", src, 2);
	add(ix, IOC_CIDR4, "10.1.2.0/24", src, 3);
	add(ix, IOC_CIDR4, "172.16.0.0/20", src, 4);
	add(ix, IOC_CIDR4, "198.18.0.0/15", src, 5);
	add(ix, IOC_CIDR4, "203.0.113.9/32", src, 6);
	add(ix, IOC_CIDR4, "192.0.2.0/24", src, 7);
	add(ix, IOC_IPV4, "192.0.2.7", src, 8);

	static const struct {
		const char *addr;
		const char *want; /* NULL: no hit */
	} cases[] = {
	        /* nested /8, /16, /24: the most specific is reported */
	        {"10.1.2.0", "10.1.2.0/24"},
	        {"10.1.2.77", "10.1.2.0/24"},
	        {"10.1.2.255", "10.1.2.0/24"},
	        {"10.1.1.255", "10.1.0.0/16"},
	        {"10.1.3.0", "10.1.0.0/16"},
	        {"10.1.255.255", "10.1.0.0/16"},
	        {"10.0.255.255", "10.0.0.0/8"},
	        {"10.2.0.0", "10.0.0.0/8"},
	        {"10.0.0.0", "10.0.0.0/8"},
	        {"10.255.255.255", "10.0.0.0/8"},
	        {"9.255.255.255", NULL},
	        {"11.0.0.0", NULL},
	        /* a /20: network, broadcast, one outside on each side */
	        {"172.16.0.0", "172.16.0.0/20"},
	        {"172.16.15.255", "172.16.0.0/20"},
	        {"172.15.255.255", NULL},
	        {"172.16.16.0", NULL},
	        /* a /15 (shorter than /16 takes another path) */
	        {"198.18.0.0", "198.18.0.0/15"},
	        {"198.19.255.255", "198.18.0.0/15"},
	        {"198.17.255.255", NULL},
	        {"198.20.0.0", NULL},
	        /* a /32 */
	        {"203.0.113.9", "203.0.113.9/32"},
	        {"203.0.113.8", NULL},
	        {"203.0.113.10", NULL},
	        /* an address beats the network it is in */
	        {"192.0.2.7", "192.0.2.7"},
	        {"192.0.2.6", "192.0.2.0/24"},
	        {"192.0.2.8", "192.0.2.0/24"},
	        {"192.0.2.255", "192.0.2.0/24"},
	        {"192.0.3.0", NULL},
	        {"192.0.1.255", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].want == NULL)
			want_none(ix, IOC_IPV4, cases[i].addr);
		else
			want_one(ix, IOC_IPV4, cases[i].addr,
			         strchr(cases[i].want, '/') ? IOC_CIDR4 : IOC_IPV4, cases[i].want);
		/* the same address as an IPv4-mapped IPv6 address */
		char mapped[64];
		snprintf(mapped, sizeof mapped, "::ffff:%s", cases[i].addr);
		if (cases[i].want == NULL)
			want_none(ix, IOC_IPV6, mapped);
		else
			want_one(ix, IOC_IPV6, mapped,
			         strchr(cases[i].want, '/') ? IOC_CIDR4 : IOC_IPV4, cases[i].want);
	}
	/* looking a network up is exact: its own entry, not a covering one */
	want_one(ix, IOC_CIDR4, "10.1.0.0/16", IOC_CIDR4, "10.1.0.0/16");
	want_none(ix, IOC_CIDR4, "10.1.0.0/17");
	match_index_free(ix);
}

static void test_cidr4_zero(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "all");
	add(ix, IOC_CIDR4, "0.0.0.0/0", src, 1);
	want_one(ix, IOC_IPV4, "0.0.0.0", IOC_CIDR4, "0.0.0.0/0");
	want_one(ix, IOC_IPV4, "255.255.255.255", IOC_CIDR4, "0.0.0.0/0");
	want_one(ix, IOC_IPV4, "93.184.216.34", IOC_CIDR4, "0.0.0.0/0");
	add(ix, IOC_CIDR4, "93.184.216.0/24", src, 2);
	want_one(ix, IOC_IPV4, "93.184.216.34", IOC_CIDR4, "93.184.216.0/24");
	want_one(ix, IOC_IPV4, "93.184.217.34", IOC_CIDR4, "0.0.0.0/0");
	/* IPv6 is not inside an IPv4 network */
	want_none(ix, IOC_IPV6, "2001:db8::1");
	match_index_free(ix);
}

static void test_cidr6_longest_prefix(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "nets6");
	add(ix, IOC_CIDR6, "2001:db8::/32", src, 1);
	add(ix, IOC_CIDR6, "2001:db8:1::/48", src, 2);
	add(ix, IOC_CIDR6, "2001:db8:1:2::/64", src, 3);
	add(ix, IOC_IPV6, "2001:db8:1:2::5", src, 4);
	add(ix, IOC_CIDR6, "2001:db8:5::1/128", src, 5);
	add(ix, IOC_CIDR6, "fd00:ab:cd:e0::/59", src, 6);

	static const struct {
		const char *addr;
		const char *want;
	} cases[] = {
	        {"2001:db8::", "2001:db8::/32"},
	        {"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::/32"},
	        {"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", NULL},
	        {"2001:db9::", NULL},
	        {"2001:db8:1::", "2001:db8:1::/48"},
	        {"2001:db8:1:ffff:ffff:ffff:ffff:ffff", "2001:db8:1::/48"},
	        {"2001:db8:0:ffff:ffff:ffff:ffff:ffff", "2001:db8::/32"},
	        {"2001:db8:2::", "2001:db8::/32"},
	        {"2001:db8:1:2::", "2001:db8:1:2::/64"},
	        {"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
	        {"2001:db8:1:3::", "2001:db8:1::/48"},
	        {"2001:db8:1:2::5", "2001:db8:1:2::5"},
	        {"2001:db8:1:2::4", "2001:db8:1:2::/64"},
	        {"2001:db8:5::1", "2001:db8:5::1/128"},
	        {"2001:db8:5::", "2001:db8::/32"},
	        {"2001:db8:5::2", "2001:db8::/32"},
	        /* a length that is not a multiple of 8 or 16: /59 */
	        {"fd00:ab:cd:e0::", "fd00:ab:cd:e0::/59"},
	        {"fd00:ab:cd:ff:ffff:ffff:ffff:ffff", "fd00:ab:cd:e0::/59"},
	        {"fd00:ab:cd:df:ffff:ffff:ffff:ffff", NULL},
	        {"fd00:ab:cd:100::", NULL},
	        {"::1", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].want == NULL)
			want_none(ix, IOC_IPV6, cases[i].addr);
		else
			want_one(ix, IOC_IPV6, cases[i].addr,
			         strchr(cases[i].want, '/') ? IOC_CIDR6 : IOC_IPV6, cases[i].want);
	}
	want_none(ix, IOC_IPV4, "32.1.13.184"); /* 2001:db8 as IPv4 bytes */
	match_index_free(ix);
}

static void test_cidr6_zero(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "all6");
	add(ix, IOC_CIDR6, "::/0", src, 1);
	want_one(ix, IOC_IPV6, "::", IOC_CIDR6, "::/0");
	want_one(ix, IOC_IPV6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", IOC_CIDR6, "::/0");
	add(ix, IOC_CIDR6, "::1/128", src, 2);
	want_one(ix, IOC_IPV6, "::1", IOC_CIDR6, "::1/128");
	want_one(ix, IOC_IPV6, "::2", IOC_CIDR6, "::/0");
	want_none(ix, IOC_IPV4, "1.2.3.4");
	match_index_free(ix);
}

/* Every prefix length from 0 to 32: an address inside matches, the first
 * address after the network does not. */
static void test_cidr4_every_length(void **state)
{
	(void)state;
	for (unsigned bits = 1; bits <= 32; bits++) {
		struct match_index *ix = new_index();
		uint32_t src = new_source(ix, "len");
		char net[32], in[32], out[32];
		/* network 0x5a000000 & mask; last address and the one after */
		uint32_t base = 0x5a5a5a5au & (uint32_t)(0xffffffffull << (32 - bits));
		uint32_t last = base | (uint32_t)((1ull << (32 - bits)) - 1);
		uint32_t after = last + 1;
#define Q(x) (x) >> 24, ((x) >> 16) & 255, ((x) >> 8) & 255, (x)&255
		snprintf(net, sizeof net, "%u.%u.%u.%u/%u", Q(base), bits);
		snprintf(in, sizeof in, "%u.%u.%u.%u", Q(last));
		snprintf(out, sizeof out, "%u.%u.%u.%u", Q(after));
		add(ix, IOC_CIDR4, net, src, bits);
		want_one(ix, IOC_IPV4, in, IOC_CIDR4, net);
		snprintf(in, sizeof in, "%u.%u.%u.%u", Q(base));
		want_one(ix, IOC_IPV4, in, IOC_CIDR4, net);
		want_none(ix, IOC_IPV4, out);
		if (base > 0) {
			snprintf(out, sizeof out, "%u.%u.%u.%u", Q(base - 1));
			want_none(ix, IOC_IPV4, out);
		}
#undef Q
		match_index_free(ix);
	}
}

/* ---- domains ---- */

static void test_domain_suffix(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	uint32_t b = new_source(ix, "b");
	add(ix, IOC_DOMAIN, "evil.com", a, 1);
	add(ix, IOC_DOMAIN, "bad.co.uk", a, 2);

	want_one(ix, IOC_DOMAIN, "evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_DOMAIN, "EVIL.COM.", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_DOMAIN, "www.evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_DOMAIN, "a.b.evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_DOMAIN, "x-1.evil.com", IOC_DOMAIN, "evil.com");
	want_none(ix, IOC_DOMAIN, "notevil.com");
	want_none(ix, IOC_DOMAIN, "evil.com.au");
	want_none(ix, IOC_DOMAIN, "evil.co");
	want_none(ix, IOC_DOMAIN, "evil.com.evil.net");
	want_none(ix, IOC_DOMAIN, "evil-com.net");
	want_none(ix, IOC_DOMAIN, "vil.com");
	want_one(ix, IOC_DOMAIN, "bad.co.uk", IOC_DOMAIN, "bad.co.uk");
	want_one(ix, IOC_DOMAIN, "mail.bad.co.uk", IOC_DOMAIN, "bad.co.uk");
	want_none(ix, IOC_DOMAIN, "notbad.co.uk");
	want_none(ix, IOC_DOMAIN, "bad.co.us");

	/* both evil.com and www.evil.com listed: the most specific wins */
	add(ix, IOC_DOMAIN, "www.evil.com", b, 3);
	struct hits hs;
	lookup(ix, IOC_DOMAIN, "www.evil.com", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.h[0].indicator, "www.evil.com");
	assert_int_equal(hs.h[0].source, b);
	assert_int_equal(hs.h[0].line, 3);
	want_one(ix, IOC_DOMAIN, "a.www.evil.com", IOC_DOMAIN, "www.evil.com");
	want_one(ix, IOC_DOMAIN, "mail.evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_DOMAIN, "evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_DOMAIN, "wwww.evil.com", IOC_DOMAIN, "evil.com");

	/* internationalised names are compared as A-labels */
	add(ix, IOC_DOMAIN, "bücher.de", a, 4);
	want_one(ix, IOC_DOMAIN, "shop.xn--bcher-kva.de", IOC_DOMAIN, "xn--bcher-kva.de");
	want_one(ix, IOC_DOMAIN, "Shop.Bücher.de", IOC_DOMAIN, "xn--bcher-kva.de");
	want_none(ix, IOC_DOMAIN, "bucher.de");
	match_index_free(ix);
}

/* ---- URLs and e-mail addresses: also their hosts ---- */

static void test_url_and_email_hosts(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "hosts");
	add(ix, IOC_DOMAIN, "evil.com", src, 1);
	add(ix, IOC_IPV4, "198.51.100.7", src, 2);
	add(ix, IOC_IPV6, "2001:db8::7", src, 3);
	add(ix, IOC_CIDR4, "10.0.0.0/8", src, 4);
	add(ix, IOC_URL, "http://bad-site.org/x", src, 5);
	add(ix, IOC_EMAIL, "bob@bad-mail.org", src, 6);

	want_one(ix, IOC_URL, "http://evil.com/", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_URL, "https://www.evil.com/a/b?c=d", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_URL, "http://user:pw@cdn.evil.com:8080/", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_URL, "http://198.51.100.7/x", IOC_IPV4, "198.51.100.7");
	want_one(ix, IOC_URL, "http://198.51.100.7:81/x", IOC_IPV4, "198.51.100.7");
	want_one(ix, IOC_URL, "http://[2001:db8::7]:8080/x", IOC_IPV6, "2001:db8::7");
	want_one(ix, IOC_URL, "http://10.20.30.40/", IOC_CIDR4, "10.0.0.0/8");
	want_one(ix, IOC_URL, "http://bad-site.org/x", IOC_URL, "http://bad-site.org/x");
	want_none(ix, IOC_URL, "http://bad-site.org/y");
	want_none(ix, IOC_URL, "http://notevil.com/");
	want_none(ix, IOC_URL, "http://good.org/evil.com");
	want_none(ix, IOC_URL, "http://evil.com.good.org/");
	want_none(ix, IOC_URL, "http://198.51.100.8/");

	want_one(ix, IOC_EMAIL, "alice@evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_EMAIL, "alice@mx.evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_EMAIL, "bob@bad-mail.org", IOC_EMAIL, "bob@bad-mail.org");
	want_none(ix, IOC_EMAIL, "alice@bad-mail.org");
	want_none(ix, IOC_EMAIL, "evil.com@good.org");

	/* the URL and its host both listed: both reported, URL first */
	add(ix, IOC_URL, "http://evil.com/payload", src, 7);
	struct hits hs;
	lookup(ix, IOC_URL, "http://WWW.evil.com/payload", &hs);
	assert_int_equal(hs.n, 1);
	lookup(ix, IOC_URL, "http://evil.com/payload", &hs);
	assert_int_equal(hs.n, 2);
	assert_int_equal(hs.h[0].type, IOC_URL);
	assert_string_equal(hs.h[0].indicator, "http://evil.com/payload");
	assert_int_equal(hs.h[1].type, IOC_DOMAIN);
	assert_string_equal(hs.h[1].indicator, "evil.com");
	add(ix, IOC_EMAIL, "carol@evil.com", src, 8);
	lookup(ix, IOC_EMAIL, "carol@evil.com", &hs);
	assert_int_equal(hs.n, 2);
	assert_int_equal(hs.h[0].type, IOC_EMAIL);
	assert_int_equal(hs.h[1].type, IOC_DOMAIN);
	match_index_free(ix);
}

/* ---- sources and duplicates ---- */

static void test_sources(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	struct match_source s1 = {.name = "feed-a.txt", .tlp = "green", .tags = "apt,c2"};
	struct match_source s2 = {.name = NULL, .tlp = NULL, .tags = NULL};
	uint32_t a, b;
	assert_int_equal(match_index_add_source(ix, &s1, &a, NULL), 0);
	assert_int_equal(match_index_add_source(ix, &s2, &b, NULL), 0);
	assert_int_not_equal(a, b);
	const struct match_source *ga = match_index_source(ix, a);
	assert_non_null(ga);
	assert_ptr_not_equal(ga->name, s1.name); /* a copy */
	assert_string_equal(ga->name, "feed-a.txt");
	assert_string_equal(ga->tlp, "green");
	assert_string_equal(ga->tags, "apt,c2");
	const struct match_source *gb = match_index_source(ix, b);
	assert_non_null(gb);
	assert_string_equal(gb->name, "");
	assert_null(gb->tlp);
	assert_null(gb->tags);
	assert_null(match_index_source(ix, b + 1));
	assert_null(match_index_source(ix, UINT32_MAX));

	/* the same value from two sources: two hits, each with its source */
	add(ix, IOC_DOMAIN, "evil.com", a, 10);
	add(ix, IOC_DOMAIN, "EVIL.com", b, 20);
	struct hits hs;
	lookup(ix, IOC_DOMAIN, "www.evil.com", &hs);
	assert_int_equal(hs.n, 2);
	bool seen_a = false, seen_b = false;
	for (size_t i = 0; i < hs.n; i++) {
		assert_string_equal(hs.h[i].indicator, "evil.com");
		if (hs.h[i].source == a) {
			assert_int_equal(hs.h[i].line, 10);
			seen_a = true;
		} else if (hs.h[i].source == b) {
			assert_int_equal(hs.h[i].line, 20);
			seen_b = true;
		}
	}
	assert_true(seen_a && seen_b);

	/* the callback's non-zero return stops the lookup and is returned */
	memset(&hs, 0, sizeof hs);
	hs.stop_after = 1;
	assert_int_equal(match_lookup(ix, parse(IOC_DOMAIN, "evil.com"), collect, &hs), 7);
	assert_int_equal(hs.n, 1);

	/* an unknown source and a value that is not canonical are refused */
	struct crix_error err = {0};
	bool allowed;
	assert_int_equal(match_index_add(ix, parse(IOC_IPV4, "1.2.3.4"), b + 5, 1, &allowed, &err),
	                 CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "source"));
	struct ioc_value bad = {.type = IOC_IPV4, .len = 8};
	memcpy(bad.v, "1.2.3.04", 9);
	assert_int_equal(match_index_add(ix, &bad, a, 1, &allowed, &err), CRIX_EINVAL);
	bad.type = IOC_NONE;
	assert_int_equal(match_index_add(ix, &bad, a, 1, NULL, NULL), CRIX_EINVAL);
	bad.type = IOC_CIDR4;
	memcpy(bad.v, "1.2.3.0/33", 11);
	bad.len = 10;
	assert_int_equal(match_index_add(ix, &bad, a, 1, NULL, &err), CRIX_EINVAL);
	bad.type = IOC_DOMAIN;
	bad.len = 0;
	bad.v[0] = '\0';
	assert_int_equal(match_index_add(ix, &bad, a, 1, NULL, &err), CRIX_EINVAL);

	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 2);
	assert_int_equal(st.by_type[IOC_DOMAIN], 2);
	assert_int_equal(st.duplicates, 0);
	match_index_free(ix);
	match_index_free(NULL);
}

static void test_duplicates(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	uint32_t b = new_source(ix, "b");
	add(ix, IOC_IPV4, "198.51.100.7", a, 1);
	add(ix, IOC_IPV4, "198.51.100.7", a, 2);
	add(ix, IOC_IPV6, "2001:db8::1", a, 3);
	add(ix, IOC_IPV6, "2001:DB8:0::1", a, 4); /* the same value spelled otherwise */
	add(ix, IOC_CIDR4, "10.0.0.0/8", a, 5);
	add(ix, IOC_CIDR4, "10.9.9.9/8", a, 6);
	add(ix, IOC_URL, "http://evil.com/x", a, 7);
	add(ix, IOC_URL, "http://evil.com/x", b, 8);
	add(ix, IOC_URL, "http://evil.com/x", b, 9);

	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.duplicates, 4);
	assert_int_equal(st.indicators, 5); /* ipv4, ipv6, cidr4, url from a and from b */
	assert_int_equal(st.by_type[IOC_IPV4], 1);
	assert_int_equal(st.by_type[IOC_IPV6], 1);
	assert_int_equal(st.by_type[IOC_CIDR4], 1);
	assert_int_equal(st.by_type[IOC_URL], 2);

	/* the first line a source listed it on is kept */
	struct hits hs;
	lookup(ix, IOC_IPV4, "198.51.100.7", &hs);
	assert_int_equal(hs.n, 1);
	assert_int_equal(hs.h[0].line, 1);
	lookup(ix, IOC_URL, "http://evil.com/x", &hs);
	assert_int_equal(hs.n, 2);
	assert_int_not_equal(hs.h[0].source, hs.h[1].source);
	match_index_free(ix);
}

/*
 * The adding side walks the slots once (store_probe), keeps the empty slot
 * it ended on and puts a new value there, unless the table grows first.
 * Values added one by one through every growth of the slots (16 to 4096),
 * each followed by its duplicate and by one of an earlier value; then,
 * after the filter is built, more values and duplicates: every value is
 * found once and every duplicate counted.
 */
static void test_duplicates_through_growth(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "grow");
	enum { N = 3000, MORE = 500 };
	char s[32];
	for (unsigned i = 0; i < N + MORE; i++) {
		if (i == N)
			match_index_shrink(ix); /* the Bloom filter, kept up by later adds */
		snprintf(s, sizeof s, "grow-%u.example.com", i);
		add(ix, IOC_DOMAIN, s, src, i + 1);
		add(ix, IOC_DOMAIN, s, src, i + 1);
		snprintf(s, sizeof s, "grow-%u.example.com", i / 2);
		add(ix, IOC_DOMAIN, s, src, i + 1);
	}
	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, N + MORE);
	assert_int_equal(st.duplicates, 2 * (N + MORE));
	for (unsigned i = 0; i < N + MORE; i++) {
		snprintf(s, sizeof s, "grow-%u.example.com", i);
		want_one(ix, IOC_DOMAIN, s, IOC_DOMAIN, s);
	}
	want_none(ix, IOC_DOMAIN, "grow-3500.example.com");
	match_index_free(ix);
}

/* ---- the allow-list ---- */

static void test_allow_exact(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	uint32_t b = new_source(ix, "b");
	add(ix, IOC_IPV4, "198.51.100.7", a, 1);
	add(ix, IOC_IPV4, "198.51.100.7", b, 1);
	add(ix, IOC_IPV4, "198.51.100.8", a, 2);
	add(ix, IOC_URL, "http://evil.com/x", a, 3);
	add(ix, IOC_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", a,
	    4);

	assert_int_equal(allow(ix, IOC_IPV4, "198.51.100.7"), 2);
	want_none(ix, IOC_IPV4, "198.51.100.7");
	want_one(ix, IOC_IPV4, "198.51.100.8", IOC_IPV4, "198.51.100.8");
	assert_int_equal(allow(ix, IOC_URL, "http://evil.com/x"), 1);
	want_none(ix, IOC_URL, "http://evil.com/x");
	assert_int_equal(allow(ix, IOC_SHA256,
	                       "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),
	                 1);
	assert_int_equal(allow(ix, IOC_IPV4, "203.0.113.1"), 0);
	assert_int_equal(allow(ix, IOC_IPV4, "198.51.100.7"), 0); /* again: nothing left */

	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.allowed, 4);
	assert_int_equal(st.indicators, 1);
	assert_int_equal(st.by_type[IOC_IPV4], 1);
	assert_int_equal(st.by_type[IOC_URL], 0);
	assert_int_equal(st.by_type[IOC_SHA256], 0);

	/* later additions of allowed values are refused and counted */
	assert_true(add(ix, IOC_IPV4, "198.51.100.7", a, 5));
	assert_true(add(ix, IOC_IPV4, "203.0.113.1", b, 6));
	want_none(ix, IOC_IPV4, "198.51.100.7");
	match_index_stats(ix, &st);
	assert_int_equal(st.allowed, 6);
	assert_int_equal(st.indicators, 1);
	/* sweeping finds nothing more to remove */
	size_t removed = 99;
	match_index_sweep_allowed(ix, &removed);
	assert_int_equal(removed, 0);
	match_index_free(ix);
}

static void test_allow_networks(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	add(ix, IOC_IPV4, "10.1.2.3", a, 1);
	add(ix, IOC_IPV4, "10.1.255.255", a, 2);
	add(ix, IOC_IPV4, "10.2.0.0", a, 3);
	add(ix, IOC_IPV4, "10.0.255.255", a, 4);
	add(ix, IOC_CIDR4, "10.1.0.0/24", a, 5);
	add(ix, IOC_CIDR4, "10.1.0.0/16", a, 6);
	add(ix, IOC_CIDR4, "10.0.0.0/15", a, 7); /* covers the allowed /16: stays */
	add(ix, IOC_IPV6, "2001:db8::1", a, 8);
	add(ix, IOC_IPV6, "2001:db9::1", a, 9);
	add(ix, IOC_CIDR6, "2001:db8:1::/48", a, 10);

	/* allowing a network removes only its exact twin at once */
	assert_int_equal(allow(ix, IOC_CIDR4, "10.1.0.0/16"), 1);
	assert_int_equal(allow(ix, IOC_CIDR6, "2001:db8::/32"), 0);
	want_one(ix, IOC_IPV4, "10.1.2.3", IOC_IPV4, "10.1.2.3");

	size_t removed = 0;
	match_index_sweep_allowed(ix, &removed);
	/* 10.1.2.3, 10.1.255.255, 10.1.0.0/24, 2001:db8::1, 2001:db8:1::/48 */
	assert_int_equal(removed, 5);
	want_none(ix, IOC_IPV6, "2001:db8::1");
	want_one(ix, IOC_IPV6, "2001:db9::1", IOC_IPV6, "2001:db9::1");
	want_one(ix, IOC_IPV4, "10.2.0.0", IOC_IPV4, "10.2.0.0");
	want_one(ix, IOC_IPV4, "10.0.255.255", IOC_IPV4, "10.0.255.255");
	want_one(ix, IOC_CIDR4, "10.0.0.0/15", IOC_CIDR4, "10.0.0.0/15");
	want_none(ix, IOC_CIDR4, "10.1.0.0/24");
	match_index_sweep_allowed(ix, &removed);
	assert_int_equal(removed, 0);

	/* inside an allowed network: refused; the network that covers it: not */
	assert_true(add(ix, IOC_IPV4, "10.1.99.1", a, 11));
	assert_true(add(ix, IOC_CIDR4, "10.1.128.0/17", a, 12));
	assert_true(add(ix, IOC_CIDR6, "2001:db8:ff00::/40", a, 13));
	assert_true(add(ix, IOC_IPV6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", a, 14));
	assert_false(add(ix, IOC_IPV4, "10.2.0.1", a, 15));
	assert_false(add(ix, IOC_IPV4, "10.0.255.254", a, 16));
	assert_false(add(ix, IOC_CIDR4, "10.0.0.0/8", a, 17));
	assert_false(add(ix, IOC_CIDR6, "2001:db8::/31", a, 18));

	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.allowed, 1 + 5 + 4);
	assert_int_equal(st.by_type[IOC_IPV4], 4);
	assert_int_equal(st.by_type[IOC_CIDR4], 2);
	assert_int_equal(st.by_type[IOC_CIDR6], 1);
	assert_int_equal(st.by_type[IOC_IPV6], 1);
	assert_int_equal(st.indicators, 8);
	match_index_free(ix);
}

static void test_allow_domains(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	uint32_t b = new_source(ix, "b");
	add(ix, IOC_DOMAIN, "google.com", a, 1);
	add(ix, IOC_DOMAIN, "google.com", b, 1);
	add(ix, IOC_DOMAIN, "www.google.com", a, 2);
	add(ix, IOC_DOMAIN, "a.b.google.com", a, 3);
	add(ix, IOC_DOMAIN, "notgoogle.com", a, 4);
	add(ix, IOC_DOMAIN, "google.com.evil.net", a, 5);
	add(ix, IOC_DOMAIN, "google.co", a, 6);

	assert_int_equal(allow(ix, IOC_DOMAIN, "google.com"), 2);
	want_one(ix, IOC_DOMAIN, "www.google.com", IOC_DOMAIN, "www.google.com");
	size_t removed = 0;
	match_index_sweep_allowed(ix, &removed);
	assert_int_equal(removed, 2);
	want_none(ix, IOC_DOMAIN, "www.google.com");
	want_none(ix, IOC_DOMAIN, "x.a.b.google.com");
	want_none(ix, IOC_DOMAIN, "google.com");
	want_one(ix, IOC_DOMAIN, "notgoogle.com", IOC_DOMAIN, "notgoogle.com");
	want_one(ix, IOC_DOMAIN, "x.google.com.evil.net", IOC_DOMAIN, "google.com.evil.net");
	want_one(ix, IOC_DOMAIN, "google.co", IOC_DOMAIN, "google.co");

	assert_true(add(ix, IOC_DOMAIN, "mail.google.com", b, 7));
	assert_true(add(ix, IOC_DOMAIN, "google.com", b, 8));
	assert_false(add(ix, IOC_DOMAIN, "oogle.com", b, 9));

	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.allowed, 2 + 2 + 2);
	assert_int_equal(st.by_type[IOC_DOMAIN], 4);
	match_index_free(ix);
}

struct count {
	struct match_index *ix;
	size_t n;
	size_t bad_source;
};

/* Counts hits; the hit's source must resolve while the callback runs. */
static int count_hit(void *arg, const struct match_hit *hit)
{
	struct count *c = arg;
	const struct match_source *src = match_index_source(c->ix, hit->source);
	if (src == NULL || src->name == NULL)
		c->bad_source++;
	c->n++;
	return 0;
}

static int count_scan_hit(void *arg, const struct match_scan_hit *h)
{
	return count_hit(arg, h->hit);
}

/* An entry the allow-list removed is as good as absent: it must not hide
 * the live network that covers it, nor the live parent domain. */
static void test_allowed_entry_does_not_shadow(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	add(ix, IOC_CIDR4, "10.0.0.0/8", a, 1);
	add(ix, IOC_CIDR4, "10.1.2.0/24", a, 2);
	add(ix, IOC_IPV4, "10.1.2.3", a, 3);
	add(ix, IOC_CIDR6, "2001:db8::/32", a, 4);
	add(ix, IOC_IPV6, "2001:db8::1", a, 5);
	add(ix, IOC_DOMAIN, "evil.com", a, 6);
	add(ix, IOC_DOMAIN, "www.evil.com", a, 7);
	assert_int_equal(allow(ix, IOC_IPV4, "10.1.2.3"), 1);
	assert_int_equal(allow(ix, IOC_CIDR4, "10.1.2.0/24"), 1);
	assert_int_equal(allow(ix, IOC_IPV6, "2001:db8::1"), 1);
	assert_int_equal(allow(ix, IOC_DOMAIN, "www.evil.com"), 1);
	want_one(ix, IOC_IPV4, "10.1.2.3", IOC_CIDR4, "10.0.0.0/8");
	want_one(ix, IOC_IPV4, "10.1.2.4", IOC_CIDR4, "10.0.0.0/8");
	want_one(ix, IOC_IPV6, "2001:db8::1", IOC_CIDR6, "2001:db8::/32");
	want_one(ix, IOC_DOMAIN, "www.evil.com", IOC_DOMAIN, "evil.com");
	want_one(ix, IOC_DOMAIN, "a.www.evil.com", IOC_DOMAIN, "evil.com");
	/* the scanner sees the same */
	const char *text = "from 10.1.2.3 via www.evil.com";
	struct count c = {.ix = ix};
	assert_int_equal(match_scan(ix, text, strlen(text), NULL, count_scan_hit, &c, NULL), 0);
	assert_int_equal(c.n, 2);
	match_index_free(ix);
}

/* An IPv4-mapped IPv6 address listed as such is found when looked up. */
static void test_mapped_ipv6_indicator(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	add(ix, IOC_IPV6, "::ffff:192.0.2.1", a, 1);
	want_one(ix, IOC_IPV6, "::ffff:192.0.2.1", IOC_IPV6, "::ffff:192.0.2.1");
	want_one(ix, IOC_IPV6, "::FFFF:c000:201", IOC_IPV6, "::ffff:192.0.2.1");
	want_none(ix, IOC_IPV6, "::ffff:192.0.2.2");
	/* with the IPv4 address listed too, both are reported */
	add(ix, IOC_IPV4, "192.0.2.1", a, 2);
	struct hits hs;
	lookup(ix, IOC_IPV6, "::ffff:192.0.2.1", &hs);
	assert_int_equal(hs.n, 2);
	lookup(ix, IOC_IPV4, "192.0.2.1", &hs);
	assert_int_equal(hs.n, 1);
	match_index_free(ix);
}

/* ---- reserve and stats ---- */

static void test_reserve_and_stats(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 0);
	assert_int_equal(st.value_bytes, 0);
	assert_int_equal(st.allowed, 0);
	assert_int_equal(st.duplicates, 0);
	for (int t = 0; t < IOC_TYPE_COUNT; t++)
		assert_int_equal(st.by_type[t], 0);
	size_t empty_memory = st.memory;

	struct crix_error err = {0};
	assert_int_equal(match_index_reserve(ix, 50000, &err), 0);
	match_index_stats(ix, &st);
	assert_true(st.memory >= empty_memory + 50000 * 2 * 8); /* slots at most half full */
	size_t reserved = st.memory;

	uint32_t src = new_source(ix, "bulk");
	size_t want_bytes = 0;
	for (unsigned i = 0; i < 20000; i++) {
		char s[64];
		snprintf(s, sizeof s, "10.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
		add(ix, IOC_IPV4, s, src, i + 1);
		snprintf(s, sizeof s, "host%u.example-%u.com", i, i % 7);
		want_bytes += strlen(s);
		add(ix, IOC_DOMAIN, s, src, i + 1);
	}
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 40000);
	assert_int_equal(st.by_type[IOC_IPV4], 20000);
	assert_int_equal(st.by_type[IOC_DOMAIN], 20000);
	assert_true(st.value_bytes >= want_bytes + 20000 * strlen("10.0.0.0") - 20000 * 2);
	assert_true(st.memory >= st.value_bytes);
	/* 40000 entries fit the reservation: the slot table did not grow
	 * (the addresses made two 2 MiB summaries, v4any and v4map) */
	assert_true(st.memory <= reserved + st.value_bytes * 2 + (4u << 20) + 65536);

	/* every value is still found after the inserts */
	for (unsigned i = 0; i < 20000; i += 97) {
		char s[64];
		snprintf(s, sizeof s, "10.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
		want_one(ix, IOC_IPV4, s, IOC_IPV4, s);
		snprintf(s, sizeof s, "www.host%u.example-%u.com", i, i % 7);
		want_one(ix, IOC_DOMAIN, s, IOC_DOMAIN, s + 4);
	}
	/* reserving less than is held changes nothing */
	assert_int_equal(match_index_reserve(ix, 10, &err), 0);
	want_one(ix, IOC_IPV4, "10.0.0.5", IOC_IPV4, "10.0.0.5");

	/* shrinking returns the spare room and keeps every value */
	match_index_shrink(ix);
	struct match_stats sh;
	match_index_stats(ix, &sh);
	assert_true(sh.memory < st.memory);
	assert_int_equal(sh.indicators, st.indicators);
	assert_int_equal(sh.value_bytes, st.value_bytes);
	want_one(ix, IOC_IPV4, "10.0.78.31", IOC_IPV4, "10.0.78.31");
	want_one(ix, IOC_DOMAIN, "host19999.example-0.com", IOC_DOMAIN, "host19999.example-0.com");
	/* and the index grows again after it */
	add(ix, IOC_IPV4, "192.0.2.200", src, 1);
	add(ix, IOC_DOMAIN, "after-shrink.org", src, 2);
	want_one(ix, IOC_IPV4, "192.0.2.200", IOC_IPV4, "192.0.2.200");
	want_one(ix, IOC_DOMAIN, "x.after-shrink.org", IOC_DOMAIN, "after-shrink.org");
	want_one(ix, IOC_IPV4, "10.0.0.5", IOC_IPV4, "10.0.0.5");
	match_index_shrink(ix);
	match_index_shrink(ix);
	match_index_stats(ix, &sh);
	assert_int_equal(sh.indicators, 40002);
	match_index_free(ix);

	/* shrinking an empty index is harmless */
	ix = new_index();
	match_index_shrink(ix);
	want_none(ix, IOC_IPV4, "10.0.0.5");
	match_index_free(ix);
}

/* ---- one writer, two readers ---- */

#define PRE    2000  /* values added before the readers start */
#define WRITES 30000 /* values the writer adds while they run */

/* cmocka's asserts jump back to the test and may not be used off its
 * thread, so the threads count what went wrong and the test checks that. */
struct race {
	struct match_index *ix;
	atomic_int done;
	atomic_int next_reader;
	atomic_size_t errors; /* calls that failed */
	size_t lookups[2];
	size_t misses[2]; /* values added before the start that were not found */
};

#define CHECK(r, cond)                                                                             \
	do {                                                                                       \
		if (!(cond))                                                                       \
			atomic_fetch_add(&(r)->errors, 1);                                         \
	} while (0)

static void addr_of(unsigned i, char *s, size_t n)
{
	snprintf(s, n, "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
}

static void *writer(void *arg)
{
	struct race *r = arg;
	struct ioc_value *v = malloc(sizeof *v);
	CHECK(r, v != NULL);
	uint32_t src = 0;
	for (unsigned i = PRE; v != NULL && i < PRE + WRITES; i++) {
		char s[64];
		if (i % 1000 == 0) {
			/* new sources now and then: the source table grows too */
			struct match_source ms = {.name = "late", .tlp = "red"};
			CHECK(r, match_index_add_source(r->ix, &ms, &src, NULL) == 0);
		}
		addr_of(i, s, sizeof s);
		CHECK(r, ioc_parse(ctx, IOC_IPV4, s, strlen(s), NULL, v, NULL) == 0);
		CHECK(r, match_index_add(r->ix, v, src, i, NULL, NULL) == 0);
		snprintf(s, sizeof s, "w%u.race.com", i);
		CHECK(r, ioc_parse(ctx, IOC_DOMAIN, s, strlen(s), NULL, v, NULL) == 0);
		CHECK(r, match_index_add(r->ix, v, src, i, NULL, NULL) == 0);
		if (i % 5000 == 0) {
			size_t removed = 1;
			match_index_sweep_allowed(r->ix, &removed);
			CHECK(r, removed == 0);
		}
	}
	free(v);
	atomic_store(&r->done, 1);
	return NULL;
}

static void *reader(void *arg)
{
	struct race *r = arg;
	int me = atomic_fetch_add(&r->next_reader, 1);
	struct ioc_value *v = malloc(sizeof *v);
	CHECK(r, v != NULL);
	unsigned seed = 12345u + (unsigned)me;
	while (v != NULL && (!atomic_load(&r->done) || r->lookups[me] < 20000)) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = seed >> 8;
		char s[64];
		addr_of(i % PRE, s, sizeof s);
		CHECK(r, ioc_parse(ctx, IOC_IPV4, s, strlen(s), NULL, v, NULL) == 0);
		struct count c = {.ix = r->ix};
		CHECK(r, match_lookup(r->ix, v, count_hit, &c) == 0);
		if (c.n != 1)
			r->misses[me]++;
		CHECK(r, c.bad_source == 0);
		/* and something the writer may or may not have added yet */
		snprintf(s, sizeof s, "x.w%u.race.com", PRE + i % WRITES);
		CHECK(r, ioc_parse(ctx, IOC_DOMAIN, s, strlen(s), NULL, v, NULL) == 0);
		c.n = 0;
		CHECK(r, match_lookup(r->ix, v, count_hit, &c) == 0);
		CHECK(r, c.n <= 1 && c.bad_source == 0);
		if (r->lookups[me] % 16 == 0) {
			/* the scanner too: an address and a domain added before */
			char line[160];
			addr_of(i % PRE, s, sizeof s);
			int ln = snprintf(line, sizeof line, "GET / from %s host=p%u.race.com", s,
			                  i % PRE);
			c.n = 0;
			CHECK(r, match_scan(r->ix, line, (size_t)ln, NULL, count_scan_hit, &c,
			                    NULL) == 0);
			if (c.n != 2)
				r->misses[me]++;
		}
		r->lookups[me]++;
	}
	free(v);
	return NULL;
}

static void test_one_writer_two_readers(void **state)
{
	(void)state;
	struct race r = {.ix = new_index()};
	atomic_init(&r.done, 0);
	atomic_init(&r.next_reader, 0);
	atomic_init(&r.errors, 0);
	uint32_t src = new_source(r.ix, "pre");
	for (unsigned i = 0; i < PRE; i++) {
		char s[64];
		addr_of(i, s, sizeof s);
		add(r.ix, IOC_IPV4, s, src, i);
		snprintf(s, sizeof s, "p%u.race.com", i);
		add(r.ix, IOC_DOMAIN, s, src, i);
	}
	pthread_t w, rd[2];
	assert_int_equal(pthread_create(&rd[0], NULL, reader, &r), 0);
	assert_int_equal(pthread_create(&rd[1], NULL, reader, &r), 0);
	assert_int_equal(pthread_create(&w, NULL, writer, &r), 0);
	pthread_join(w, NULL);
	pthread_join(rd[0], NULL);
	pthread_join(rd[1], NULL);
	assert_int_equal(atomic_load(&r.errors), 0);
	assert_int_equal(r.misses[0], 0);
	assert_int_equal(r.misses[1], 0);
	assert_true(r.lookups[0] >= 20000 && r.lookups[1] >= 20000);

	/* everything the writer added is there afterwards */
	struct match_stats st;
	match_index_stats(r.ix, &st);
	assert_int_equal(st.indicators, 2 * (PRE + WRITES));
	for (unsigned i = PRE; i < PRE + WRITES; i += 101) {
		char s[64];
		addr_of(i, s, sizeof s);
		want_one(r.ix, IOC_IPV4, s, IOC_IPV4, s);
	}
	match_index_free(r.ix);
}

/* ---- bulk adds ---- */

/* match_index_add_many does what match_index_add does one by one: added,
 * duplicates and allow-listed values told apart, and on a value that is not
 * canonical the ones before it added and the error named. */
/*
 * The tables of 2 MiB and more (slots, the IPv4 summaries) are allocated
 * aligned for huge pages, not by calloc: they must still start all zero
 * when their memory was used before.  glibc gives a freed 8 MiB block back
 * from its heap once one such block was freed, so the memory is dirtied
 * first; a table that kept that garbage would find entries never added.
 */
static void test_big_tables_from_used_memory(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		unsigned char *junk = malloc(8u << 20);
		assert_non_null(junk);
		memset(junk, 0xa5, 8u << 20);
		free(junk);
	}
	struct match_index *ix = new_index();
	uint32_t src = new_source(ix, "big");
	struct crix_error err = {0};
	assert_int_equal(match_index_reserve(ix, 200000, &err), 0);
	for (unsigned i = 0; i < 200000; i++) {
		char s[32];
		snprintf(s, sizeof s, "10.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
		add(ix, IOC_IPV4, s, src, i + 1);
	}
	match_index_shrink(ix);
	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 200000);
	assert_true(st.memory >= (4u << 20)); /* slots and summaries of 2 MiB and more */
	want_one(ix, IOC_IPV4, "10.3.13.63", IOC_IPV4, "10.3.13.63");
	want_none(ix, IOC_IPV4, "10.3.13.64");
	want_none(ix, IOC_IPV4, "11.0.0.1");
	want_none(ix, IOC_DOMAIN, "never-added.com");
	want_none(ix, IOC_CIDR4, "10.0.0.0/8");
	match_index_free(ix);
}

static void test_add_many(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a"), b = new_source(ix, "b");
	allow(ix, IOC_DOMAIN, "good.com");
	static struct ioc_value v[8];
	const struct {
		enum ioc_type type;
		const char *s;
		uint32_t src;
	} in[] = {
	        {IOC_IPV4, "192.0.2.1", 0},
	        {IOC_DOMAIN, "evil.com", 0},
	        {IOC_IPV4, "192.0.2.1", 0},
	        {IOC_IPV4, "192.0.2.1", 1},
	        {IOC_DOMAIN, "x.good.com", 0},
	        {IOC_CIDR4, "198.51.100.0/24", 0},
	        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e", 1},
	};
	size_t n = sizeof in / sizeof in[0];
	struct match_add items[8];
	for (size_t i = 0; i < n; i++) {
		v[i] = *parse(in[i].type, in[i].s);
		items[i] =
		        (struct match_add){.v = &v[i], .source = in[i].src ? b : a, .line = i + 1};
	}
	struct crix_error err = {0};
	assert_int_equal(match_index_add_many(ix, items, n, &err), 0);
	const int want[] = {MATCH_ADDED,   MATCH_ADDED, MATCH_DUPLICATE, MATCH_ADDED,
	                    MATCH_ALLOWED, MATCH_ADDED, MATCH_ADDED};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(items[i].result, want[i]);
	static struct hits hs;
	lookup(ix, IOC_IPV4, "192.0.2.1", &hs);
	assert_int_equal(hs.n, 2);
	lookup(ix, IOC_IPV4, "198.51.100.77", &hs);
	assert_int_equal(hs.n, 1);
	assert_int_equal(hs.h[0].line, 6);
	lookup(ix, IOC_DOMAIN, "x.good.com", &hs);
	assert_int_equal(hs.n, 0);

	/* the third is not canonical: the first two are added, the error names it */
	v[0] = *parse(IOC_DOMAIN, "one.com");
	v[1] = *parse(IOC_DOMAIN, "two.com");
	v[2] = (struct ioc_value){.type = IOC_IPV4, .len = 8};
	memcpy(v[2].v, "1.2.3.04", 9);
	v[3] = *parse(IOC_DOMAIN, "four.com");
	for (size_t i = 0; i < 4; i++)
		items[i] = (struct match_add){.v = &v[i], .source = a, .line = 1};
	assert_int_equal(match_index_add_many(ix, items, 4, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "ipv4"));
	lookup(ix, IOC_DOMAIN, "two.com", &hs);
	assert_int_equal(hs.n, 1);
	lookup(ix, IOC_DOMAIN, "four.com", &hs);
	assert_int_equal(hs.n, 0);

	/* more than MATCH_ADD_MAX at once is refused, not overrun */
	assert_int_equal(match_index_add_many(ix, items, MATCH_ADD_MAX + 1, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "more than"));
	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 7);
	assert_int_equal(st.duplicates, 1);
	match_index_free(ix);
}

/* The Bloom filter kept up while values are added to a reserved, empty
 * index holds the same bits as the one built from the entries at the end,
 * through a second load (added to, not rebuilt) and duplicates. */
static void test_bloom_kept_up(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a"), b = new_source(ix, "b");
	struct crix_error err = {0};
	assert_int_equal(match_index_reserve(ix, 6000, &err), 0);
	assert_non_null(ix->main.bloom);
	size_t slots = ix->main.mask + 1;
	char s[64];
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 3000; i++) {
			switch (i % 4) {
			case 0:
				snprintf(s, sizeof s, "10.%d.%d.%d", round, i / 256, i % 256);
				break;
			case 1: snprintf(s, sizeof s, "host%d.example.com", i / (round + 1)); break;
			case 2:
				snprintf(s, sizeof s, "https://u%d.example.org/p%d", i, round);
				break;
			default: snprintf(s, sizeof s, "%032x", i * 7919 + round); break;
			}
			static const enum ioc_type types[] = {IOC_IPV4, IOC_DOMAIN, IOC_URL,
			                                      IOC_MD5};
			add(ix, types[i % 4], s, round ? b : a, (uint64_t)i + 1);
		}
		match_index_shrink(ix);
		assert_int_equal(ix->main.mask + 1, slots); /* the filter was never dropped */
		size_t words = ix->main.bloom_mask + 1;
		uint64_t *kept = malloc(words * 8);
		assert_non_null(kept);
		memcpy(kept, ix->main.bloom, words * 8);
		/* built from the entries by the next shrink (a filter this small
		 * is calloc'd: table_alloc maps only tables of 2 MiB and more) */
		free(ix->main.bloom);
		ix->main.bloom = NULL;
		match_index_shrink(ix);
		assert_int_equal(ix->main.bloom_mask + 1, words);
		assert_memory_equal(kept, ix->main.bloom, words * 8);
		free(kept);
	}
	match_index_free(ix);
}

/* A reserved index that gets no value (a list of bad lines) does not keep
 * the filter made with its slots: its memory is what it was before the
 * filter was made at reserve. */
static void test_reserved_empty(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	struct crix_error err = {0};
	assert_int_equal(match_index_reserve(ix, 200000, &err), 0);
	assert_non_null(ix->main.bloom);
	match_index_shrink(ix);
	assert_null(ix->main.bloom);
	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.memory, (ix->main.mask + 1) * 8 + 200000 * sizeof(struct match_entry));
	match_index_free(ix);
}

/* Values prepared elsewhere (match_prepare, as the threads that parse a list
 * do) are added as the same values without: same results, same tables. */
static void test_add_prepared(void **state)
{
	(void)state;
	static const struct {
		enum ioc_type type;
		const char *s;
	} in[] = {
	        {IOC_IPV4, "192.0.2.1"},
	        {IOC_DOMAIN, "evil.com"},
	        {IOC_IPV4, "192.0.2.1"},
	        {IOC_CIDR4, "198.51.100.0/24"},
	        {IOC_IPV6, "2001:db8::1"},
	        {IOC_CIDR6, "2001:db8::/48"},
	        {IOC_URL, "http://a.evil.com/x"},
	        {IOC_EMAIL, "bob@evil.org"},
	        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e"},
	};
	enum { N = sizeof in / sizeof in[0] };
	static struct ioc_value v[N];
	struct match_prep prep[N];
	struct match_add plain[N], prepared[N];
	struct match_index *a = new_index(), *b = new_index();
	uint32_t sa = new_source(a, "a"), sb = new_source(b, "a");
	for (size_t i = 0; i < N; i++) {
		v[i] = *parse(in[i].type, in[i].s);
		assert_int_equal(match_prepare(&v[i], &prep[i]), 0);
		assert_int_equal(prep[i].keylen, v[i].type == IOC_IPV4    ? 4
		                                 : v[i].type == IOC_IPV6  ? 16
		                                 : v[i].type == IOC_CIDR4 ? 5
		                                 : v[i].type == IOC_CIDR6 ? 17
		                                                          : 0);
		assert_true((prep[i].uh != 0) == (v[i].type == IOC_URL));
		plain[i] = (struct match_add){.v = &v[i], .source = sa, .line = i + 1};
		prepared[i] = (struct match_add){
		        .v = &v[i], .source = sb, .line = i + 1, .prep = &prep[i]};
	}
	struct crix_error err = {0};
	assert_int_equal(match_index_add_many(a, plain, N, &err), 0);
	assert_int_equal(match_index_add_many(b, prepared, N, &err), 0);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(plain[i].result, prepared[i].result);
	assert_int_equal(a->main.mask, b->main.mask);
	assert_memory_equal(a->main.slots, b->main.slots, (a->main.mask + 1) * 8);
	assert_int_equal(a->main.uh_mask, b->main.uh_mask);
	assert_memory_equal(a->main.urlhosts, b->main.urlhosts, (a->main.uh_mask + 1) * 8);
	static struct hits hs;
	lookup(b, IOC_IPV4, "198.51.100.9", &hs);
	assert_int_equal(hs.n, 1);
	lookup(b, IOC_URL, "http://a.evil.com/x", &hs);
	assert_int_equal(hs.n, 2); /* the URL, and its host under evil.com */
	/* what is not canonical is not prepared */
	struct ioc_value bad = {.type = IOC_IPV4, .len = 8};
	memcpy(bad.v, "1.2.3.04", 9);
	assert_int_equal(match_prepare(&bad, &prep[0]), -1);
	bad = (struct ioc_value){.type = IOC_NONE, .len = 1};
	assert_int_equal(match_prepare(&bad, &prep[0]), -1);
	bad = (struct ioc_value){.type = IOC_DOMAIN, .len = 0};
	assert_int_equal(match_prepare(&bad, &prep[0]), -1);
	match_index_free(a);
	match_index_free(b);
}

/* Tables of 2 MiB and more come from the huge-page allocator (slots, the
 * URL host set, the IPv4 bitmaps): enough values that each is that large,
 * every one found with its line, none of the absent ones. */
/* Value i of test_large_tables, of type i % 3 (domain, IPv4 address, URL)
 * into s; absent: one a step away that the index does not hold (another
 * TLD, another /8, another path).  Returns its type. */
static enum ioc_type large_value(uint32_t i, bool absent, char *s, size_t n)
{
	switch (i % 3) {
	case 0: snprintf(s, n, "d%u.example.%s", i, absent ? "org" : "com"); return IOC_DOMAIN;
	case 1:
		snprintf(s, n, "%u.%u.%u.%u", absent ? 11u : 10u, (i >> 16) & 255, (i >> 8) & 255,
		         i & 255);
		return IOC_IPV4;
	default: snprintf(s, n, "http://h%u.example.net/%c", i, absent ? 'q' : 'p'); return IOC_URL;
	}
}

static void test_large_tables(void **state)
{
	(void)state;
	enum { N = 300000 };
	struct match_index *ix = new_index();
	uint32_t a = new_source(ix, "a");
	struct crix_error err = {0};
	static struct ioc_value v[MATCH_ADD_MAX];
	struct match_add items[MATCH_ADD_MAX];
	char s[128];
	size_t nb = 0;
	for (uint32_t i = 0; i < N; i++) {
		enum ioc_type t = large_value(i, false, s, sizeof s);
		v[nb] = *parse(t, s);
		items[nb] = (struct match_add){.v = &v[nb], .source = a, .line = i + 1};
		if (++nb == MATCH_ADD_MAX || i + 1 == N) {
			assert_int_equal(match_index_add_many(ix, items, nb, &err), 0);
			nb = 0;
		}
	}
	match_index_shrink(ix);
	assert_true((ix->main.mask + 1) * 8 >= ((size_t)2 << 20));
	assert_true((ix->main.uh_mask + 1) * 8 >= ((size_t)2 << 20));
	static struct hits hs;
	for (uint32_t i = 0; i < N; i += 7) {
		enum ioc_type t = large_value(i, false, s, sizeof s);
		lookup(ix, t, s, &hs);
		if (hs.n != 1 || hs.h[0].line != i + 1)
			fail_msg("%s: %zu hits", s, hs.n);
		large_value(i, true, s, sizeof s);
		lookup(ix, t, s, &hs);
		if (hs.n != 0)
			fail_msg("%s: %zu hits, want none", s, hs.n);
	}
	struct match_stats st;
	match_index_stats(ix, &st);
	assert_int_equal(st.indicators, N);
	match_index_free(ix);
}

/* ---- the key hash ---- */

#define HQ_N (1u << 18)

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Key i of a set of similar keys, as the index stores them: addresses in
 * sequence (4 and 16 bytes), host names that differ in a few digits, and
 * keys of 1..3 bytes. */
static size_t hq_key(unsigned kind, uint32_t i, unsigned char *k)
{
	switch (kind) {
	case 0:
		k[0] = 10;
		k[1] = (unsigned char)(i >> 16);
		k[2] = (unsigned char)(i >> 8);
		k[3] = (unsigned char)i;
		return 4;
	case 1:
		memset(k, 0, 16);
		k[0] = 0x20;
		k[1] = 0x01;
		k[13] = (unsigned char)(i >> 16);
		k[14] = (unsigned char)(i >> 8);
		k[15] = (unsigned char)i;
		return 16;
	case 2: return (size_t)snprintf((char *)k, 64, "host%u.example.com", i);
	default: /* 1..3 bytes, all different */
		k[0] = (unsigned char)i;
		k[1] = (unsigned char)(i >> 8);
		k[2] = (unsigned char)(i >> 16);
		return i < 256 ? 1 : i < 65536 ? 2 : 3;
	}
}

/* match_same, the inline memcmp of lookups: every length to 64, the same
 * bytes and a difference at every position (and the bytes around the two
 * ranges differing, which it must not read). */
static void test_same_bytes(void **state)
{
	(void)state;
	unsigned char a[80], b[80];
	for (size_t n = 0; n <= 64; n++) {
		for (size_t i = 0; i < sizeof a; i++) {
			a[i] = (unsigned char)(i * 7 + 1);
			b[i] = (unsigned char)~a[i];
		}
		memcpy(b + 8, a + 8, n);
		assert_true(match_same(a + 8, b + 8, n));
		for (size_t d = 0; d < n; d++) {
			b[8 + d] ^= 0x20;
			if (match_same(a + 8, b + 8, n))
				fail_msg("length %zu: a difference at %zu not seen", n, d);
			b[8 + d] ^= 0x20;
		}
	}
}

/*
 * match_hash spreads similar keys as the index needs: no two of 2^18 keys
 * share a hash; the slot index (bits 32..) fills as many slots as random
 * numbers would (1 - 1/e of them, or more); the Bloom filter (one word per 8 slots,
 * 4 bits from bits 40..63, the word from the low 32) passes few keys that
 * are not in it.
 */
static void test_hash_quality(void **state)
{
	(void)state;
	uint64_t *h = malloc(HQ_N * sizeof *h);
	uint8_t *used = calloc(HQ_N, 1);
	/* 2^18 keys fill 2^19 slots (at most 3/4 full): 2^16 filter words */
	size_t words = HQ_N / 4;
	uint64_t *bloom = malloc(words * sizeof *bloom);
	assert_non_null(h);
	assert_non_null(used);
	assert_non_null(bloom);
	for (unsigned kind = 0; kind < 4; kind++) {
		unsigned char k[64];
		memset(bloom, 0, words * sizeof *bloom);
		memset(used, 0, HQ_N);
		for (uint32_t i = 0; i < HQ_N; i++) {
			size_t n = hq_key(kind, i, k);
			uint64_t x = match_hash(IOC_DOMAIN, k, n);
			h[i] = x;
			used[(x >> 32) & (HQ_N - 1)] = 1;
			bloom[(uint32_t)x & (words - 1)] |=
			        1ull << ((x >> 40) & 63) | 1ull << ((x >> 46) & 63) |
			        1ull << ((x >> 52) & 63) | 1ull << ((x >> 58) & 63);
		}
		size_t filled = 0;
		for (size_t i = 0; i < HQ_N; i++)
			filled += used[i];
		/* the same kind of key, not in the set: how many pass the filter */
		size_t pass = 0, tried = 0;
		for (uint32_t i = HQ_N; i < 2 * HQ_N; i++, tried++) {
			size_t n = hq_key(kind, i, k);
			uint64_t x = match_hash(IOC_DOMAIN, k, n);
			uint64_t m = 1ull << ((x >> 40) & 63) | 1ull << ((x >> 46) & 63) |
			             1ull << ((x >> 52) & 63) | 1ull << ((x >> 58) & 63);
			pass += (bloom[(uint32_t)x & (words - 1)] & m) == m;
		}
		qsort(h, HQ_N, sizeof *h, cmp_u64);
		size_t same = 0;
		for (size_t i = 1; i < HQ_N; i++)
			same += h[i] == h[i - 1];
		double fill = (double)filled / HQ_N, fp = (double)pass / (double)tried;
		fprintf(stderr,
		        "hash kind %u: %zu equal hashes, slots filled %.4f, filter passes %.5f\n",
		        kind, same, fill, fp);
		assert_int_equal(same, 0);
		/* random numbers would fill 1 - 1/e = 0.632 of the slots and pass
		 * 0.0051 through the filter (Poisson keys per word, 4 bits) */
		assert_true(fill > 0.625 && fill < 0.70);
		assert_true(fp < 0.0065);
	}
	free(h);
	free(used);
	free(bloom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_exact_every_type),
	        cmocka_unit_test(test_exact_type_separation),
	        cmocka_unit_test(test_cidr4_longest_prefix),
	        cmocka_unit_test(test_cidr4_zero),
	        cmocka_unit_test(test_cidr4_every_length),
	        cmocka_unit_test(test_cidr6_longest_prefix),
	        cmocka_unit_test(test_cidr6_zero),
	        cmocka_unit_test(test_domain_suffix),
	        cmocka_unit_test(test_url_and_email_hosts),
	        cmocka_unit_test(test_sources),
	        cmocka_unit_test(test_duplicates),
	        cmocka_unit_test(test_duplicates_through_growth),
	        cmocka_unit_test(test_allow_exact),
	        cmocka_unit_test(test_allow_networks),
	        cmocka_unit_test(test_allow_domains),
	        cmocka_unit_test(test_allowed_entry_does_not_shadow),
	        cmocka_unit_test(test_mapped_ipv6_indicator),
	        cmocka_unit_test(test_reserve_and_stats),
	        cmocka_unit_test(test_one_writer_two_readers),
	        cmocka_unit_test(test_add_many),
	        cmocka_unit_test(test_large_tables),
	        cmocka_unit_test(test_add_prepared),
	        cmocka_unit_test(test_bloom_kept_up),
	        cmocka_unit_test(test_reserved_empty),
	        cmocka_unit_test(test_big_tables_from_used_memory),
	        cmocka_unit_test(test_hash_quality),
	        cmocka_unit_test(test_same_bytes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
