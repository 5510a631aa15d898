/*
 * test_parse.c - the public entry points of src/ioc/ioc.c, used as a caller
 * outside src/ioc would: ioc_parse (trimming, empty and NUL-containing values,
 * dispatch by type), ioc_guess (one value of each type), and the type names.
 * Only ioc/ioc.h is included.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/ioc.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define MD5_ABC    "900150983cd24fb0d6963f7d28e17f72"
#define SHA1_ABC   "a9993e364706816aba3e25717850c26c9cd0d89d"
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA512_ABC                                                                                 \
	"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"                         \
	"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"

static int setup(void **state)
{
	struct ioc_ctx *ctx;
	struct crix_error err = {0};
	if (ioc_ctx_new(&ctx, &err) != 0) {
		print_error("ioc_ctx_new: %s\n", err.msg);
		return -1;
	}
	*state = ctx;
	return 0;
}

static int teardown(void **state)
{
	ioc_ctx_free(*state);
	return 0;
}

/* ------------------------------------------------------------ type names */

static const struct {
	enum ioc_type type;
	const char *name;
} names[] = {
        {IOC_NONE, "none"},   {IOC_IPV4, "ipv4"},     {IOC_IPV6, "ipv6"},
        {IOC_CIDR4, "cidr4"}, {IOC_CIDR6, "cidr6"},   {IOC_DOMAIN, "domain"},
        {IOC_URL, "url"},     {IOC_EMAIL, "email"},   {IOC_MD5, "md5"},
        {IOC_SHA1, "sha1"},   {IOC_SHA256, "sha256"}, {IOC_SHA512, "sha512"},
        {IOC_PHONE, "phone"}, {IOC_IBAN, "iban"},     {IOC_CARD, "card"},
        {IOC_BTC, "btc"},     {IOC_ETH, "eth"},       {IOC_ASN, "asn"},
        {IOC_CVE, "cve"},
};

static void test_type_names(void **state)
{
	(void)state;
	assert_int_equal(COUNT(names), IOC_TYPE_COUNT);
	for (size_t i = 0; i < COUNT(names); i++) {
		assert_string_equal(ioc_type_name(names[i].type), names[i].name);
		/* ("none" gives IOC_NONE, which is also the "unknown" answer) */
		assert_int_equal(ioc_type_from_name(names[i].name), names[i].type);
	}
	/* every type round-trips, and the names are distinct */
	for (int t = IOC_NONE + 1; t < IOC_TYPE_COUNT; t++) {
		assert_int_equal(ioc_type_from_name(ioc_type_name((enum ioc_type)t)), t);
		for (int u = IOC_NONE; u < t; u++)
			assert_string_not_equal(ioc_type_name((enum ioc_type)t),
			                        ioc_type_name((enum ioc_type)u));
	}
}

static void test_type_names_unknown(void **state)
{
	(void)state;
	assert_string_equal(ioc_type_name(IOC_TYPE_COUNT), "?");
	assert_string_equal(ioc_type_name((enum ioc_type)(IOC_TYPE_COUNT + 100)), "?");
	assert_string_equal(ioc_type_name((enum ioc_type) - 1), "?");
	static const char *const unknown[] = {"",  "ipv4 ",   " ipv4", "ipv", "sha",
	                                      "?", "domains", "md",    "cve-"};
	for (size_t i = 0; i < COUNT(unknown); i++)
		if (ioc_type_from_name(unknown[i]) != IOC_NONE)
			fail_msg("\"%s\" names a type", unknown[i]);
	assert_int_equal(ioc_type_from_name(NULL), IOC_NONE);
}

/* ------------------------------------------------------------- ioc_parse */

struct parse_case {
	enum ioc_type type;
	const char *in;
	const char *want;
};

/* One value per type, with surrounding white space that ioc_parse trims. */
static const struct parse_case parse_valid[] = {
        {IOC_IPV4, " \t1.2.3.4\r\n", "1.2.3.4"},
        {IOC_IPV6, "  2001:0DB8::0001  ", "2001:db8::1"},
        {IOC_CIDR4, "\n10.1.2.3/8\n", "10.0.0.0/8"},
        {IOC_CIDR6, "\t2001:db8:1234::1/32\t", "2001:db8::/32"},
        {IOC_DOMAIN, "  EVIL.com.  ", "evil.com"},
        {IOC_URL, "\thttp://Evil.COM\n", "http://evil.com/"},
        {IOC_EMAIL, " Bob.Smith@Example.COM ", "Bob.Smith@example.com"},
        {IOC_MD5, " 900150983CD24FB0D6963F7D28E17F72 ", MD5_ABC},
        {IOC_SHA1, "\r\n" SHA1_ABC "\r\n", SHA1_ABC},
        {IOC_SHA256, SHA256_ABC "\n", SHA256_ABC},
        {IOC_SHA512, "\t" SHA512_ABC, SHA512_ABC},
        {IOC_PHONE, " +44 20 7946 0958 ", "+442079460958"},
        {IOC_IBAN, " GB82 WEST 1234 5698 7654 32\n", "GB82WEST12345698765432"},
        {IOC_CARD, " 4111 1111 1111 1111 ", "411111******1111"},
        {IOC_BTC, " 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
        {IOC_ETH, " 0x52908400098527886E0F7030069857D2E4169EE7 ",
         "0x52908400098527886e0f7030069857d2e4169ee7"},
        {IOC_ASN, " asn 13335 ", "AS13335"},
        {IOC_CVE, "\ncve-2021-44228\n", "CVE-2021-44228"},
        /* nothing to trim */
        {IOC_IPV4, "1.2.3.4", "1.2.3.4"},
        {IOC_DOMAIN, "evil.com", "evil.com"},
};

static void test_parse_valid(void **state)
{
	for (size_t i = 0; i < COUNT(parse_valid); i++) {
		const struct parse_case *c = &parse_valid[i];
		size_t n = strlen(c->in);
		char *copy = malloc(n);
		assert_non_null(copy);
		memcpy(copy, c->in, n);
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = ioc_parse(*state, c->type, copy, n, NULL, &out, &err);
		free(copy);
		if (rc != 0)
			fail_msg("%s \"%s\": rc %d: %s", ioc_type_name(c->type), c->in, rc,
			         err.msg);
		if (strcmp(out.v, c->want) != 0)
			fail_msg("%s \"%s\": got \"%s\", want \"%s\"", ioc_type_name(c->type),
			         c->in, out.v, c->want);
		assert_int_equal(out.len, strlen(c->want));
		assert_int_equal(out.type, c->type);
	}
}

struct parse_error_case {
	enum ioc_type type;
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *reason;
};

static const struct parse_error_case parse_invalid[] = {
        /* empty, after trimming */
        {IOC_IPV4, "", 0, "ipv4: empty value"},
        {IOC_DOMAIN, " \t\r\n ", 0, "domain: empty value"},
        {IOC_URL, "\n", 0, "url: empty value"},
        {IOC_CVE, "  ", 0, "cve: empty value"},
        /* a NUL byte anywhere in the value */
        {IOC_IPV4, "1.2.3.4\0", 8, "ipv4: value contains a NUL byte"},
        {IOC_IPV4,
         "\0"
         "1.2.3.4",
         8, "value contains a NUL byte"},
        {IOC_DOMAIN, "evil\0.com", 9, "domain: value contains a NUL byte"},
        {IOC_URL, "http://evil.com/\0x", 18, "url: value contains a NUL byte"},
        {IOC_EMAIL, "bob@evil.com\0", 13, "email: value contains a NUL byte"},
        {IOC_MD5, MD5_ABC "\0", 33, "md5: value contains a NUL byte"},
        {IOC_ASN, " \0 ", 3, "asn: value contains a NUL byte"},
        /* white space inside is not trimmed */
        {IOC_IPV4, "1.2.3. 4", 0, "ipv4: "},
        {IOC_DOMAIN, "evil .com", 0, "domain: invalid character ' '"},
        /* the CIDR family must match the type asked for */
        {IOC_CIDR4, "2001:db8::/32", 0, "cidr4: not an IPv4 network"},
        {IOC_CIDR6, "10.0.0.0/8", 0, "cidr6: not an IPv6 network"},
        /* each parser's message starts with its type name */
        {IOC_IPV4, "01.2.3.4", 0, "ipv4: "},
        {IOC_IPV6, "12:30:45", 0, "ipv6: "},
        {IOC_CIDR4, "10.0.0.0/33", 0, "cidr: "},
        {IOC_CIDR6, "2001:db8::/129", 0, "cidr: "},
        {IOC_DOMAIN, "setup.exe", 0, "domain: "},
        {IOC_URL, "evil.com", 0, "url: "},
        {IOC_EMAIL, "bob", 0, "email: "},
        {IOC_MD5, SHA1_ABC, 0, "md5: "},
        {IOC_SHA1, MD5_ABC, 0, "sha1: "},
        {IOC_SHA256, MD5_ABC, 0, "sha256: "},
        {IOC_SHA512, MD5_ABC, 0, "sha512: "},
        {IOC_PHONE, "hello", 0, "phone: "},
        {IOC_IBAN, "GB00 WEST 1234 5698 7654 32", 0, "iban: "},
        {IOC_CARD, "4111111111111112", 0, "card: "},
        {IOC_BTC, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", 0, "btc: "},
        {IOC_ETH, "0x1234", 0, "eth: "},
        {IOC_ASN, "AS0", 0, "asn: "},
        {IOC_CVE, "CVE-1998-0001", 0, "cve: "},
        /* no such type */
        {IOC_NONE, "1.2.3.4", 0, "unknown indicator type 0"},
        {IOC_TYPE_COUNT, "1.2.3.4", 0, "unknown indicator type"},
};

static void test_parse_invalid(void **state)
{
	for (size_t i = 0; i < COUNT(parse_invalid); i++) {
		const struct parse_error_case *c = &parse_invalid[i];
		size_t n = c->len ? c->len : strlen(c->in);
		char *copy = malloc(n > 0 ? n : 1);
		assert_non_null(copy);
		memcpy(copy, c->in, n);
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = ioc_parse(*state, c->type, copy, n, NULL, &out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("%s \"%s\": rc %d, want CRIX_EINVAL", ioc_type_name(c->type),
			         c->in, rc);
		assert_int_equal(err.code, CRIX_EINVAL);
		if (strstr(err.msg, c->reason) == NULL)
			fail_msg("%s \"%s\": message \"%s\" lacks \"%s\"", ioc_type_name(c->type),
			         c->in, err.msg, c->reason);
		assert_int_equal(ioc_parse(*state, c->type, copy, n, NULL, &out, NULL),
		                 CRIX_EINVAL);
		free(copy);
	}
}

/* Only len bytes are read: no NUL terminator needed, the rest ignored. */
static void test_parse_length(void **state)
{
	struct ioc_value out;
	const char *s = "1.2.3.4567";
	assert_int_equal(ioc_parse(*state, IOC_IPV4, s, 7, NULL, &out, NULL), 0);
	assert_string_equal(out.v, "1.2.3.4");
	s = "evil.com.evil";
	assert_int_equal(ioc_parse(*state, IOC_DOMAIN, s, 8, NULL, &out, NULL), 0);
	assert_string_equal(out.v, "evil.com");
	/* a length of 0 is empty whatever the pointer */
	struct crix_error err = {0};
	assert_int_equal(ioc_parse(*state, IOC_IPV4, s, 0, NULL, &out, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "empty value"));
}

/* The default country turns national phone numbers into E.164. */
static void test_parse_opts(void **state)
{
	struct ioc_value out;
	struct ioc_opts gb = {.country = "GB"};
	struct ioc_opts none = {.country = ""};
	const char *s = "020 7946 0958";
	struct crix_error err = {0};
	assert_int_equal(ioc_parse(*state, IOC_PHONE, s, strlen(s), &gb, &out, &err), 0);
	assert_string_equal(out.v, "+442079460958");
	assert_int_equal(ioc_parse(*state, IOC_PHONE, s, strlen(s), NULL, &out, NULL), CRIX_EINVAL);
	assert_int_equal(ioc_parse(*state, IOC_PHONE, s, strlen(s), &none, &out, NULL),
	                 CRIX_EINVAL);
}

/* ------------------------------------------------------------- ioc_guess */

static const struct parse_case guess_valid[] = {
        {IOC_URL, "http://Evil.COM/x", "http://evil.com/x"},
        {IOC_URL, "https://1.2.3.4:443/", "https://1.2.3.4/"},
        {IOC_EMAIL, "Bob@Example.COM", "Bob@example.com"},
        {IOC_CIDR4, "10.1.2.3/8", "10.0.0.0/8"},
        {IOC_CIDR6, "2001:db8::1/32", "2001:db8::/32"},
        {IOC_IPV4, "1.2.3.4", "1.2.3.4"},
        {IOC_IPV6, "2001:DB8::1", "2001:db8::1"},
        {IOC_IPV6, "[2001:db8::1]", "2001:db8::1"},
        {IOC_IPV6, "::ffff:192.0.2.1", "::ffff:192.0.2.1"},
        {IOC_CVE, "cve-2021-44228", "CVE-2021-44228"},
        {IOC_ASN, "AS13335", "AS13335"},
        {IOC_ASN, "asn 64496", "AS64496"},
        {IOC_ETH, "0x52908400098527886E0F7030069857D2E4169EE7",
         "0x52908400098527886e0f7030069857d2e4169ee7"},
        {IOC_ETH, "0x" SHA1_ABC, "0x" SHA1_ABC}, /* 0x + 40 hex is not a SHA-1 */
        {IOC_MD5, "900150983CD24FB0D6963F7D28E17F72", MD5_ABC},
        {IOC_SHA1, SHA1_ABC, SHA1_ABC},
        {IOC_SHA256, SHA256_ABC, SHA256_ABC},
        {IOC_SHA512, SHA512_ABC, SHA512_ABC},
        {IOC_IBAN, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},
        {IOC_IBAN, "GB82WEST12345698765432", "GB82WEST12345698765432"},
        {IOC_BTC, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
        {IOC_BTC, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
         "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
        {IOC_DOMAIN, "EVIL.COM.", "evil.com"},
        {IOC_DOMAIN, "bücher.de", "xn--bcher-kva.de"},
        {IOC_DOMAIN, "a.b.example.co.uk", "a.b.example.co.uk"},
        {IOC_PHONE, "+44 20 7946 0958", "+442079460958"},
        {IOC_CARD, "4111 1111 1111 1111", "411111******1111"},
        {IOC_CARD, "4111111111111111", "411111******1111"},
        /* trimmed like ioc_parse */
        {IOC_IPV4, "  1.2.3.4\n", "1.2.3.4"},
        {IOC_DOMAIN, "\tevil.com ", "evil.com"},
};

static void test_guess(void **state)
{
	for (size_t i = 0; i < COUNT(guess_valid); i++) {
		const struct parse_case *c = &guess_valid[i];
		size_t n = strlen(c->in);
		char *copy = malloc(n);
		assert_non_null(copy);
		memcpy(copy, c->in, n);
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = ioc_guess(*state, copy, n, NULL, &out, &err);
		free(copy);
		if (rc != 0)
			fail_msg("\"%s\": rc %d: %s", c->in, rc, err.msg);
		if (out.type != c->type || strcmp(out.v, c->want) != 0)
			fail_msg("\"%s\": got %s \"%s\", want %s \"%s\"", c->in,
			         ioc_type_name(out.type), out.v, ioc_type_name(c->type), c->want);
		assert_int_equal(out.len, strlen(c->want));
	}
}

static const char *const guess_invalid[] = {
        "",
        "   ",
        "hello world",
        "evil",
        "localhost",
        "setup.exe",
        "example.invalidtld",
        "01.2.3.4",
        "1.2.3",
        "12:30:45",
        "hxxp://evil[.]com",
        "evil[.]com",
        "bob@localhost",
        "CVE-1998-0001",
        "AS0",
        "12345",
        "0x1234",
        "4111111111111112",
        "GB00 WEST 1234 5698 7654 32",
};

static void test_guess_invalid(void **state)
{
	for (size_t i = 0; i < COUNT(guess_invalid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = ioc_guess(*state, guess_invalid[i], strlen(guess_invalid[i]), NULL, &out,
		                   &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\": guessed %s \"%s\"", guess_invalid[i],
			         ioc_type_name(out.type), out.v);
		assert_int_equal(err.code, CRIX_EINVAL);
		assert_non_null(strstr(err.msg, "not a recognised indicator"));
	}
	/* a NUL byte makes every type refuse the value */
	struct ioc_value out;
	assert_int_equal(ioc_guess(*state, "1.2.3.4\0", 8, NULL, &out, NULL), CRIX_EINVAL);
}

/* ioc_guess gives what ioc_parse gives for the type it picked. */
static void test_guess_agrees_with_parse(void **state)
{
	for (size_t i = 0; i < COUNT(guess_valid); i++) {
		const struct parse_case *c = &guess_valid[i];
		struct ioc_value g, p;
		assert_int_equal(ioc_guess(*state, c->in, strlen(c->in), NULL, &g, NULL), 0);
		assert_int_equal(ioc_parse(*state, g.type, c->in, strlen(c->in), NULL, &p, NULL),
		                 0);
		assert_string_equal(g.v, p.v);
		assert_int_equal(g.type, p.type);
	}
}

/*
 * ioc_guess tries only the types a value's shape allows (an '@' for e-mail,
 * a '/' for networks, ...).  Reference: every type in the documented order,
 * ASN only after "AS", the first that ioc_parse accepts.  Compared over the
 * cases above and each of them with one byte replaced, cut or appended, so
 * that every shape test sits on both sides of its edge.
 */
static const enum ioc_type reference_order[] = {
        IOC_URL,    IOC_EMAIL, IOC_CIDR4, IOC_CIDR6,  IOC_IPV4,  IOC_IPV6,
        IOC_CVE,    IOC_ASN,   IOC_ETH,   IOC_MD5,    IOC_SHA1,  IOC_SHA256,
        IOC_SHA512, IOC_IBAN,  IOC_BTC,   IOC_DOMAIN, IOC_PHONE, IOC_CARD,
};

static int reference_guess(const struct ioc_ctx *ctx, const char *s, size_t n,
                           struct ioc_value *out)
{
	const char *t = s;
	size_t k = n;
	while (k > 0 && strchr(" \t\r\n", *t) != NULL && *t != '\0') {
		t++;
		k--;
	}
	bool as = k >= 2 && (t[0] == 'A' || t[0] == 'a') && (t[1] == 'S' || t[1] == 's');
	for (size_t i = 0; i < COUNT(reference_order); i++) {
		if (reference_order[i] == IOC_ASN && !as)
			continue;
		if (ioc_parse(ctx, reference_order[i], s, n, NULL, out, NULL) == 0)
			return 0;
	}
	return CRIX_EINVAL;
}

static void guess_like_reference(const struct ioc_ctx *ctx, const char *s, size_t n)
{
	static struct ioc_value g, r;
	int rg = ioc_guess(ctx, s, n, NULL, &g, NULL);
	int rr = reference_guess(ctx, s, n, &r);
	if (rg != rr)
		fail_msg("\"%.*s\": guess rc %d, reference rc %d", (int)n, s, rg, rr);
	if (rg == 0 && (g.type != r.type || g.len != r.len || strcmp(g.v, r.v) != 0))
		fail_msg("\"%.*s\": guess %s \"%s\", reference %s \"%s\"", (int)n, s,
		         ioc_type_name(g.type), g.v, ioc_type_name(r.type), r.v);
}

static void test_guess_shapes(void **state)
{
	static const char *const extra[] = {
	        "255.255.255.255",
	        "255.255.255.2555",
	        "1.2.3.4/32",
	        "1.2.3.4:80",
	        "[::1]",
	        "::1",
	        "1::",
	        "::ffff:1.2.3.4/120",
	        "http://a.com",
	        "http:/a.com",
	        "a.com/x",
	        "CVE-2021-4422",
	        "CVE-2021-44228",
	        "xVE-2021-44228",
	        "0x" SHA1_ABC "0",
	        "1x" SHA1_ABC,
	        "AS1",
	        "as 1",
	        "bob@evil.com",
	        "@evil.com",
	        "bob@",
	        "evil.com@",
	        "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
	        "+1 202 555 0123",
	        "020 7946 0958",
	        "GB82-WEST",
	        "evil.com:8080",
	        "evil.com/",
	        "xn--bcher-kva.de",
	        "bücher.de",
	        "bücher。de",
	        "evil。com",
	        "5500 0000 0000 0004",
	        "CVE-2021-44228 ",
	};
	const char *seeds[COUNT(guess_valid) + COUNT(guess_invalid) + COUNT(extra)];
	size_t ns = 0;
	for (size_t i = 0; i < COUNT(guess_valid); i++)
		seeds[ns++] = guess_valid[i].in;
	for (size_t i = 0; i < COUNT(guess_invalid); i++)
		seeds[ns++] = guess_invalid[i];
	for (size_t i = 0; i < COUNT(extra); i++)
		seeds[ns++] = extra[i];
	static const char swaps[] = "@/:.0C cAS x-[]\t";
	char buf[256];
	for (size_t i = 0; i < ns; i++) {
		size_t n = strlen(seeds[i]);
		assert_true(n + 2 < sizeof buf);
		guess_like_reference(*state, seeds[i], n);
		for (size_t k = 0; k < n; k++) {
			guess_like_reference(*state, seeds[i], k); /* cut */
			for (size_t w = 0; w + 1 < sizeof swaps; w++) {
				memcpy(buf, seeds[i], n);
				buf[k] = swaps[w];
				guess_like_reference(*state, buf, n); /* replaced */
			}
		}
		for (size_t w = 0; w + 1 < sizeof swaps; w++) {
			memcpy(buf, seeds[i], n);
			buf[n] = swaps[w];
			guess_like_reference(*state, buf, n + 1); /* appended */
			buf[0] = swaps[w];
			memcpy(buf + 1, seeds[i], n);
			guess_like_reference(*state, buf, n + 1); /* prepended */
		}
	}
}

/* ---------------------------------------------------------------- ctx */

static void test_ctx(void **state)
{
	(void)state;
	ioc_ctx_free(NULL);
	struct ioc_ctx *a = NULL, *b = NULL;
	assert_int_equal(ioc_ctx_new(&a, NULL), 0);
	assert_int_equal(ioc_ctx_new(&b, NULL), 0);
	assert_non_null(a);
	assert_non_null(b);
	struct ioc_value out;
	assert_int_equal(ioc_parse(a, IOC_DOMAIN, "example.co.uk", 13, NULL, &out, NULL), 0);
	ioc_ctx_free(a);
	assert_int_equal(ioc_parse(b, IOC_DOMAIN, "example.co.uk", 13, NULL, &out, NULL), 0);
	ioc_ctx_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_type_names),
	        cmocka_unit_test(test_type_names_unknown),
	        cmocka_unit_test(test_parse_valid),
	        cmocka_unit_test(test_parse_invalid),
	        cmocka_unit_test(test_parse_length),
	        cmocka_unit_test(test_parse_opts),
	        cmocka_unit_test(test_guess),
	        cmocka_unit_test(test_guess_invalid),
	        cmocka_unit_test(test_guess_agrees_with_parse),
	        cmocka_unit_test(test_guess_shapes),
	        cmocka_unit_test(test_ctx),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
