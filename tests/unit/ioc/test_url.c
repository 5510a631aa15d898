/*
 * test_url.c - URLs normalised per RFC 3986 6.2.2 (src/ioc/url.c).
 *
 * The dot-segment cases are the examples of RFC 3986 5.2.4 and 5.4 (normal
 * and abnormal), adapted to absolute URLs: a reference "../g" against the
 * base "http://a/b/c/d;p?q" becomes the path "/b/c/../g", whose expected
 * result is the one the RFC gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ioc/ioc_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct valid_case {
	const char *in;
	const char *want;
};

struct invalid_case {
	const char *in;
	int code;
	const char *reason;
};

static const struct valid_case valid[] = {
        /* scheme and host lower-case, empty path "/" */
        {"http://Evil.COM", "http://evil.com/"},
        {"HTTP://EVIL.COM/Path/To/File.HTML", "http://evil.com/Path/To/File.HTML"},
        {"hTTpS://evil.com", "https://evil.com/"},
        {"http://evil.com/", "http://evil.com/"},
        {"http://www.example.co.uk/x", "http://www.example.co.uk/x"},
        {"http://evil.com./x", "http://evil.com/x"},
        /* default ports dropped, others kept */
        {"http://evil.com:80/", "http://evil.com/"},
        {"http://evil.com:80", "http://evil.com/"},
        {"https://evil.com:443/a", "https://evil.com/a"},
        {"ftp://evil.com:21/f", "ftp://evil.com/f"},
        {"ws://evil.com:80/s", "ws://evil.com/s"},
        {"wss://evil.com:443/s", "wss://evil.com/s"},
        {"http://evil.com:8080/", "http://evil.com:8080/"},
        {"https://evil.com:80/", "https://evil.com:80/"},
        {"http://evil.com:443/", "http://evil.com:443/"},
        {"ftp://evil.com:2121", "ftp://evil.com:2121/"},
        {"http://evil.com:65535/", "http://evil.com:65535/"},
        {"http://evil.com:1/", "http://evil.com:1/"},
        {"http://evil.com:0080/", "http://evil.com/"},
        {"HTTPS://evil.com:443", "https://evil.com/"},
        {"http://evil.com:08080/", "http://evil.com:8080/"},
        {"http://evil.com:/", "http://evil.com/"}, /* RFC 3986 6.2.3 */
        {"http://evil.com:8080?q", "http://evil.com:8080/?q"},
        /* dot-segments: RFC 3986 5.2.4 */
        {"http://evil.com/a/b/c/./../../g", "http://evil.com/a/g"},
        {"http://evil.com/mid/content=5/../6", "http://evil.com/mid/6"},
        {"http://evil.com/a/./b/../c", "http://evil.com/a/c"},
        /* 5.4.1 normal examples (base path /b/c/d;p) */
        {"http://a.com/b/c/g", "http://a.com/b/c/g"},
        {"http://a.com/b/c/./g", "http://a.com/b/c/g"},
        {"http://a.com/b/c/g/", "http://a.com/b/c/g/"},
        {"http://a.com/b/c/.", "http://a.com/b/c/"},
        {"http://a.com/b/c/./", "http://a.com/b/c/"},
        {"http://a.com/b/c/..", "http://a.com/b/"},
        {"http://a.com/b/c/../", "http://a.com/b/"},
        {"http://a.com/b/c/../g", "http://a.com/b/g"},
        {"http://a.com/b/c/../..", "http://a.com/"},
        {"http://a.com/b/c/../../", "http://a.com/"},
        {"http://a.com/b/c/../../g", "http://a.com/g"},
        /* 5.4.2 abnormal examples */
        {"http://a.com/b/c/../../../g", "http://a.com/g"},
        {"http://a.com/b/c/../../../../g", "http://a.com/g"},
        {"http://a.com/./g", "http://a.com/g"},
        {"http://a.com/../g", "http://a.com/g"},
        {"http://a.com/b/c/g.", "http://a.com/b/c/g."},
        {"http://a.com/b/c/.g", "http://a.com/b/c/.g"},
        {"http://a.com/b/c/g..", "http://a.com/b/c/g.."},
        {"http://a.com/b/c/..g", "http://a.com/b/c/..g"},
        {"http://a.com/b/c/./../g", "http://a.com/b/g"},
        {"http://a.com/b/c/./g/.", "http://a.com/b/c/g/"},
        {"http://a.com/b/c/g/./h", "http://a.com/b/c/g/h"},
        {"http://a.com/b/c/g/../h", "http://a.com/b/c/h"},
        {"http://a.com/b/c/g;x=1/./y", "http://a.com/b/c/g;x=1/y"},
        {"http://a.com/b/c/g;x=1/../y", "http://a.com/b/c/y"},
        /* query and fragment are not paths */
        {"http://a.com/b/c/g?y/./x", "http://a.com/b/c/g?y/./x"},
        {"http://a.com/b/c/g?y/../x", "http://a.com/b/c/g?y/../x"},
        {"http://a.com/b/c/g#s/./x", "http://a.com/b/c/g#s/./x"},
        {"http://a.com/b/c/g#s/../x", "http://a.com/b/c/g#s/../x"},
        /* more edges */
        {"http://a.com/.", "http://a.com/"},
        {"http://a.com/..", "http://a.com/"},
        {"http://a.com/../../..", "http://a.com/"},
        {"http://a.com//a//../b", "http://a.com//a/b"},
        {"http://a.com/a/%2E%2E/b", "http://a.com/b"}, /* %2E is unreserved '.' */
        {"http://a.com/a/%2e/b", "http://a.com/a/b"},
        {"http://a.com/a%2F..%2Fb", "http://a.com/a%2F..%2Fb"}, /* not a separator */
        /* percent-encoding: unreserved decoded, hex upper-case */
        {"http://evil.com/%7e", "http://evil.com/~"},
        {"http://evil.com/%7Euser/", "http://evil.com/~user/"},
        {"http://evil.com/%41%42c", "http://evil.com/ABc"},
        {"http://evil.com/%2d%2E%5f%30", "http://evil.com/-._0"},
        {"http://evil.com/a%2fb", "http://evil.com/a%2Fb"},
        {"http://evil.com/a%2Fb", "http://evil.com/a%2Fb"},
        {"http://evil.com/%3a%40%21", "http://evil.com/%3A%40%21"},
        {"http://evil.com/%e2%82%ac", "http://evil.com/%E2%82%AC"},
        {"http://evil.com/%20", "http://evil.com/%20"},
        {"http://evil.com/%25", "http://evil.com/%25"},
        {"http://evil.com/%00", "http://evil.com/%00"},
        /* bytes that may not stand raw are encoded */
        {"http://evil.com/a b", "http://evil.com/a%20b"},
        {"http://evil.com/€", "http://evil.com/%E2%82%AC"},
        {"http://evil.com/a\"b<c>d", "http://evil.com/a%22b%3Cc%3Ed"},
        {"http://evil.com/a{b}|c\\d^e`", "http://evil.com/a%7Bb%7D%7Cc%5Cd%5Ee%60"},
        {"http://evil.com/[x]", "http://evil.com/%5Bx%5D"},
        {"http://evil.com/\x01\x7f", "http://evil.com/%01%7F"},
        /* invalid percent sequences: the '%' is encoded */
        {"http://evil.com/100%", "http://evil.com/100%25"},
        {"http://evil.com/%zz", "http://evil.com/%25zz"},
        {"http://evil.com/%4", "http://evil.com/%254"},
        {"http://evil.com/%4g", "http://evil.com/%254g"},
        {"http://evil.com/?q=%", "http://evil.com/?q=%25"},
        /* sub-delims and ":@" stay as they are */
        {"http://evil.com/a:b@c!$&'()*+,;=", "http://evil.com/a:b@c!$&'()*+,;="},
        /* query and fragment kept, normalised the same way */
        {"http://evil.com?x=1", "http://evil.com/?x=1"},
        {"http://evil.com#frag", "http://evil.com/#frag"},
        {"http://evil.com/p?q=1#Frag", "http://evil.com/p?q=1#Frag"},
        {"http://evil.com/p?Q=A&B=c", "http://evil.com/p?Q=A&B=c"},
        {"http://evil.com/?q=%7e&x=a%2fb", "http://evil.com/?q=~&x=a%2Fb"},
        {"http://evil.com/?q=a b", "http://evil.com/?q=a%20b"},
        {"http://evil.com/?a=1?b=/2", "http://evil.com/?a=1?b=/2"},
        {"http://evil.com/p?", "http://evil.com/p?"},
        {"http://evil.com/p#", "http://evil.com/p#"},
        {"http://evil.com/p?#", "http://evil.com/p?#"},
        {"http://evil.com/#a?b", "http://evil.com/#a?b"},
        {"http://evil.com/#a#b", "http://evil.com/#a%23b"},
        /* userinfo kept (its case too) */
        {"http://User:Pass@Evil.COM/", "http://User:Pass@evil.com/"},
        {"http://user@evil.com:8080/x", "http://user@evil.com:8080/x"},
        {"ftp://anonymous@files.evil.com:21/pub", "ftp://anonymous@files.evil.com/pub"},
        {"http://user%7e@evil.com/", "http://user~@evil.com/"},
        {"http://us er@evil.com/", "http://us%20er@evil.com/"},
        /* IP hosts */
        {"http://192.168.1.1:80/x", "http://192.168.1.1/x"},
        {"http://1.2.3.4:8080", "http://1.2.3.4:8080/"},
        {"https://user@1.2.3.4/", "https://user@1.2.3.4/"},
        {"http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/"},
        {"http://[2001:db8:0:0:0:0:0:1]/", "http://[2001:db8::1]/"},
        {"http://[2001:db8::1]:80/", "http://[2001:db8::1]/"},
        {"http://[::ffff:C000:0201]/", "http://[::ffff:192.0.2.1]/"},
        {"http://[::1]", "http://[::1]/"},
        {"http://[::1]:/", "http://[::1]/"},
        {"http://u:p@[::1]:81/", "http://u:p@[::1]:81/"},
        /* IDN host */
        {"http://bücher.de/", "http://xn--bcher-kva.de/"},
        {"https://BÜCHER.DE:443/Straße", "https://xn--bcher-kva.de/Stra%C3%9Fe"},
        {"http://xn--bcher-kva.de/", "http://xn--bcher-kva.de/"},
        /* other schemes */
        {"ftps://evil.com:990/", "ftps://evil.com/"},
        {"sftp://evil.com:22/", "sftp://evil.com/"},
        {"sftp://evil.com:2222/", "sftp://evil.com:2222/"},
};

static const struct invalid_case invalid[] = {
        /* scheme */
        {"evil.com/path", CRIX_EINVAL, "url: expected scheme://host"},
        {"http:/evil.com", CRIX_EINVAL, "expected scheme://host"},
        {"http:evil.com", CRIX_EINVAL, "expected scheme://host"},
        {"://evil.com", CRIX_EINVAL, "expected scheme://host"},
        {"1http://evil.com", CRIX_EINVAL, "expected scheme://host"},
        {"ht tp://evil.com", CRIX_EINVAL, "expected scheme://host"},
        {"http", CRIX_EINVAL, "expected scheme://host"},
        {"", CRIX_EINVAL, "expected scheme://host"},
        {"abcdefghijklmnopqrstuvwxyzabcdefghij://evil.com/", CRIX_EINVAL, "url: scheme too long"},
        /* host */
        {"http://", CRIX_EINVAL, "url: empty host"},
        {"http:///path", CRIX_EINVAL, "empty host"},
        {"http://?q", CRIX_EINVAL, "empty host"},
        {"http://user@/x", CRIX_EINVAL, "empty host"},
        {"http://:8080/", CRIX_EINVAL, "empty host"},
        {"http://evil.invalidtld/", CRIX_EINVAL,
         "url: host: domain: '.invalidtld' is not a known top-level domain"},
        {"http://localhost/", CRIX_EINVAL, "host: domain: a single label"},
        {"http://localhost:8080/", CRIX_EINVAL, "host: domain: a single label"},
        {"http://co.uk/", CRIX_EINVAL, "is a public suffix"},
        {"http://ev_il.com/", CRIX_EINVAL, "host: domain: invalid character '_'"},
        {"http://-evil.com/", CRIX_EINVAL, "starts or ends with '-'"},
        {"http://01.2.3.4/", CRIX_EINVAL, "host: domain: the last label is a number"},
        {"http://1.2.3.256/", CRIX_EINVAL, "the last label is a number"},
        {"http://1.2.3/", CRIX_EINVAL, "the last label is a number"},
        {"http://2001:db8::1/", CRIX_EINVAL, "url: "},
        {"http://[2001:db8::1/", CRIX_EINVAL, "url: unterminated [IPv6] host"},
        {"http://[2001:db8::1]x/", CRIX_EINVAL, "url: junk after [IPv6] host"},
        {"http://[2001:db8::g]/", CRIX_EINVAL, "host: ipv6: not a valid IPv6 address"},
        {"http://[1.2.3.4]/", CRIX_EINVAL, "not a valid IPv6 address"},
        {"http://[]/", CRIX_EINVAL, "not a valid IPv6 address"},
        {"http://ev il.com/", CRIX_EINVAL, "host: domain: invalid character ' '"},
        /* port */
        {"http://evil.com:65536/", CRIX_EINVAL, "url: port larger than 65535"},
        {"http://evil.com:99999999999999999999999/", CRIX_EINVAL, "port larger than 65535"},
        {"http://evil.com:8o/", CRIX_EINVAL, "url: port is not a number"},
        {"http://evil.com:-1/", CRIX_EINVAL, "port is not a number"},
        {"http://evil.com:80:80/", CRIX_EINVAL, "port is not a number"},
        {"http://evil.com: 80/", CRIX_EINVAL, "port is not a number"},
        {"http://[::1]:x/", CRIX_EINVAL, "port is not a number"},
};

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

/* Parses a heap copy of exactly n bytes, so ASan sees overreads. */
static int parse_n(void **state, const char *in, size_t n, struct ioc_value *out,
                   struct crix_error *err)
{
	char *copy = malloc(n > 0 ? n : 1);
	assert_non_null(copy);
	memcpy(copy, in, n);
	int rc = ioc_parse_url(*state, copy, n, out, err);
	free(copy);
	return rc;
}

static int parse(void **state, const char *in, struct ioc_value *out, struct crix_error *err)
{
	return parse_n(state, in, strlen(in), out, err);
}

static void test_valid(void **state)
{
	for (size_t i = 0; i < COUNT(valid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(state, valid[i].in, &out, &err);
		if (rc != 0)
			fail_msg("\"%s\": rc %d: %s", valid[i].in, rc, err.msg);
		if (strcmp(out.v, valid[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", valid[i].in, out.v,
			         valid[i].want);
		assert_int_equal(out.len, strlen(valid[i].want));
		assert_int_equal(out.type, IOC_URL);
	}
}

static void test_invalid(void **state)
{
	for (size_t i = 0; i < COUNT(invalid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(state, invalid[i].in, &out, &err);
		if (rc != invalid[i].code)
			fail_msg("\"%s\": rc %d, want %d (value \"%s\")", invalid[i].in, rc,
			         invalid[i].code, rc == 0 ? out.v : "");
		assert_int_equal(err.code, invalid[i].code);
		if (strstr(err.msg, invalid[i].reason) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", invalid[i].in, err.msg,
			         invalid[i].reason);
		assert_int_equal(parse(state, invalid[i].in, &out, NULL), invalid[i].code);
	}
}

/*
 * Regression: RFC 3986 3.2.1 does not allow a raw '@' in
 * the userinfo; the host starts after the last '@', so an earlier one belongs
 * to the userinfo and must be written %40.  ioc_parse_url() in src/ioc/url.c
 * copies the userinfo through put_pct_normalised(), which treats '@' as a
 * character that may stand raw, so the two spellings of the same URL below
 * give different canonical values (and the first is not a valid URL).
 */
static const struct valid_case userinfo_at_bug[] = {
        {"http://a@b@evil.com/", "http://a%40b@evil.com/"},
        {"http://a%40b@evil.com/", "http://a%40b@evil.com/"},
        {"http://user:p@ss@evil.com/x", "http://user:p%40ss@evil.com/x"},
};

static void test_userinfo_at_encoded(void **state)
{
	int bad = 0;
	for (size_t i = 0; i < COUNT(userinfo_at_bug); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		const char *in = userinfo_at_bug[i].in, *want = userinfo_at_bug[i].want;
		int rc = parse(state, in, &out, &err);
		if (rc != 0 || strcmp(out.v, want) != 0) {
			print_error("\"%s\": got \"%s\", want \"%s\"\n", in,
			            rc == 0 ? out.v : err.msg, want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * Regression: RFC 3986 6.2.2.2 applies to every
 * component, the host included: a percent-encoded unreserved character in a
 * reg-name is the same host as the character itself ("ev%69l.com" is
 * "evil.com", and browsers resolve it so).  ioc_parse_url() in src/ioc/url.c
 * hands the raw host to ioc_parse_domain(), which refuses the '%', so such a
 * URL cannot be normalised at all.
 */
static const struct valid_case host_pct_bug[] = {
        {"http://ev%69l.com/", "http://evil.com/"},
        {"http://%45VIL.com/x", "http://evil.com/x"},
        {"http://evil%2Ecom/", "http://evil.com/"},
};

static void test_host_percent_encoding(void **state)
{
	int bad = 0;
	for (size_t i = 0; i < COUNT(host_pct_bug); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		const char *in = host_pct_bug[i].in, *want = host_pct_bug[i].want;
		int rc = parse(state, in, &out, &err);
		if (rc != 0 || strcmp(out.v, want) != 0) {
			print_error("\"%s\": got \"%s\", want \"%s\"\n", in,
			            rc == 0 ? out.v : err.msg, want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* The canonical form is a fixed point. */
static void test_idempotent(void **state)
{
	for (size_t i = 0; i < COUNT(valid); i++) {
		struct ioc_value once, twice;
		assert_int_equal(parse(state, valid[i].in, &once, NULL), 0);
		int rc = parse(state, once.v, &twice, NULL);
		if (rc != 0 || strcmp(once.v, twice.v) != 0)
			fail_msg("\"%s\" -> \"%s\" -> rc %d \"%s\"", valid[i].in, once.v, rc,
			         rc == 0 ? twice.v : "");
	}
}

/* A URL of len bytes: "http://evil.com/" then 'a's, then tail (may be ""). */
static char *long_url(size_t len, const char *tail)
{
	const char *head = "http://evil.com/";
	size_t hl = strlen(head), tl = strlen(tail);
	assert_true(len >= hl + tl);
	char *s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, head, hl);
	memset(s + hl, 'a', len - hl - tl);
	memcpy(s + len - tl, tail, tl);
	s[len] = '\0';
	return s;
}

/* The cap is IOC_VALUE_MAX - 1 bytes of canonical text: exactly that fits,
 * one more is CRIX_ETOOBIG (never a truncation), wherever the excess is. */
static void test_too_big(void **state)
{
	const size_t max = IOC_VALUE_MAX - 1;
	struct ioc_value out;
	struct crix_error err = {0};

	char *s = long_url(max, "");
	assert_int_equal(parse(state, s, &out, &err), 0);
	assert_int_equal(out.len, max);
	assert_string_equal(out.v, s);
	free(s);

	static const char *const tails[] = {"", "?q=1", "#frag", "?q#f", "/x/y"};
	for (size_t i = 0; i < COUNT(tails); i++) {
		s = long_url(max + 1, tails[i]);
		memset(&err, 0, sizeof err);
		assert_int_equal(parse(state, s, &out, &err), CRIX_ETOOBIG);
		assert_int_equal(err.code, CRIX_ETOOBIG);
		assert_non_null(strstr(err.msg, "url: longer than 4095 bytes"));
		free(s);
	}

	/* short input that grows past the cap by percent-encoding */
	size_t n = 2000;
	s = long_url(n, "");
	memset(s + 16, ' ', n - 16);
	assert_int_equal(parse(state, s, &out, &err), CRIX_ETOOBIG);
	free(s);

	/* much longer than the cap */
	s = long_url(100000, "?q");
	assert_int_equal(parse(state, s, &out, &err), CRIX_ETOOBIG);
	free(s);
}

/* Only the n bytes given are read. */
static void test_length_not_nul(void **state)
{
	struct ioc_value out;
	const char *s = "http://evil.com/a b";
	assert_int_equal(ioc_parse_url(*state, s, 17, &out, NULL), 0);
	assert_string_equal(out.v, "http://evil.com/a");
	assert_int_equal(ioc_parse_url(*state, s, 15, &out, NULL), 0);
	assert_string_equal(out.v, "http://evil.com/");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_valid),
	        cmocka_unit_test(test_invalid),
	        cmocka_unit_test(test_idempotent),
	        cmocka_unit_test(test_too_big),
	        cmocka_unit_test(test_length_not_nul),
	        cmocka_unit_test(test_userinfo_at_encoded),
	        cmocka_unit_test(test_host_percent_encoding),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
