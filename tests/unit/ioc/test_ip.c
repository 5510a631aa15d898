/*
 * test_ip.c - IPv4, IPv6 and CIDR canonical forms (src/ioc/ip.c).
 *
 * Cases are tables: input in, canonical value out, or input in and a piece
 * of the error message that names the reason out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/ioc_int.h"

typedef int (*parse_fn)(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);

struct valid_case {
	const char *in;
	const char *want;
	enum ioc_type type;
};

struct invalid_case {
	const char *in;
	const char *reason; /* must occur in the error message */
};

/* Runs parse on a heap copy of exactly strlen(in) bytes (no NUL after it), so
 * that ASan catches a read past the end. */
static int parse_exact(parse_fn parse, const char *in, struct ioc_value *out,
                       struct crix_error *err)
{
	size_t n = strlen(in);
	char *copy = malloc(n > 0 ? n : 1);
	assert_non_null(copy);
	memcpy(copy, in, n);
	int rc = parse(copy, n, out, err);
	free(copy);
	return rc;
}

static void check_valid(parse_fn parse, const struct valid_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		memset(&out, 'x', sizeof out);
		int rc = parse_exact(parse, cases[i].in, &out, &err);
		if (rc != 0)
			fail_msg("\"%s\": rc %d: %s", cases[i].in, rc, err.msg);
		if (strcmp(out.v, cases[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", cases[i].in, out.v,
			         cases[i].want);
		assert_int_equal(out.len, strlen(cases[i].want));
		if (out.type != cases[i].type)
			fail_msg("\"%s\": type %s, want %s", cases[i].in, ioc_type_name(out.type),
			         ioc_type_name(cases[i].type));
	}
}

static void check_invalid(parse_fn parse, const struct invalid_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse_exact(parse, cases[i].in, &out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\": rc %d, want CRIX_EINVAL (value \"%s\")", cases[i].in, rc,
			         rc == 0 ? out.v : "");
		assert_int_equal(err.code, CRIX_EINVAL);
		if (strstr(err.msg, cases[i].reason) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[i].in, err.msg,
			         cases[i].reason);
		/* NULL err is accepted on the failure path too */
		assert_int_equal(parse_exact(parse, cases[i].in, &out, NULL), CRIX_EINVAL);
	}
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ ipv4 */

static const struct valid_case ipv4_valid[] = {
        {"1.2.3.4", "1.2.3.4", IOC_IPV4},
        {"0.0.0.0", "0.0.0.0", IOC_IPV4},
        {"255.255.255.255", "255.255.255.255", IOC_IPV4},
        {"192.168.0.1", "192.168.0.1", IOC_IPV4},
        {"10.0.0.10", "10.0.0.10", IOC_IPV4},
        {"100.64.200.99", "100.64.200.99", IOC_IPV4},
        {"8.8.8.8", "8.8.8.8", IOC_IPV4},
        {"198.51.100.7", "198.51.100.7", IOC_IPV4},
        {"249.250.251.252", "249.250.251.252", IOC_IPV4},
};

static const struct invalid_case ipv4_invalid[] = {
        /* leading zeros (inet_aton would read these as octal) */
        {"01.2.3.4", "ipv4: a part has a leading zero"},
        {"1.2.3.04", "leading zero"},
        {"00.1.1.1", "leading zero"},
        {"1.2.010.4", "leading zero"},
        {"1.2.3.00", "leading zero"},
        /* range */
        {"256.1.1.1", "ipv4: a part is larger than 255"},
        {"1.2.3.999", "larger than 255"},
        {"1.2.300.4", "larger than 255"},
        {"1.2.3.1000", "larger than 255"},
        {"1.2.3.4444", "larger than 255"},
        /* number of parts */
        {"1.2.3", "ipv4: a dotted quad has four parts"},
        {"1.2.3.4.5", "four parts"},
        {"1", "four parts"},
        {"2130706433", "four parts"},
        {"1.3.6.1.4.1.31", "four parts"},
        {"", "four parts"},
        /* empty parts */
        {"1..3.4", "ipv4: empty part"},
        {".1.2.3", "empty part"},
        {"1.2.3.", "empty part"},
        {"...", "empty part"},
        /* anything but digits and dots */
        {"1.2.3.4 ", "ipv4: only digits and dots are allowed"},
        {" 1.2.3.4", "only digits and dots"},
        {"1. 2.3.4", "only digits and dots"},
        {"1.2.3.-4", "only digits and dots"},
        {"a.b.c.d", "only digits and dots"},
        {"0x7f.0.0.1", "only digits and dots"},
        {"1.2.3.4/24", "only digits and dots"},
        {"1.2.3.4:80", "only digits and dots"},
        {"1,2,3,4", "only digits and dots"},
        /* longer than any dotted quad */
        {"255.255.255.2555", "ipv4: too long for a dotted quad"},
        {"1.1.1.1.1.1.1.1.1", "too long"},
};

static void test_ipv4_valid(void **state)
{
	(void)state;
	check_valid(ioc_parse_ipv4, ipv4_valid, COUNT(ipv4_valid));
}

static void test_ipv4_invalid(void **state)
{
	(void)state;
	check_invalid(ioc_parse_ipv4, ipv4_invalid, COUNT(ipv4_invalid));
}

/* The strict byte parser behind ipv4 and cidr4. */
static void test_ipv4_bytes(void **state)
{
	(void)state;
	uint8_t ip[4];
	assert_true(ioc_ipv4_bytes("192.0.2.255", 11, ip));
	assert_int_equal(ip[0], 192);
	assert_int_equal(ip[1], 0);
	assert_int_equal(ip[2], 2);
	assert_int_equal(ip[3], 255);
	/* only the n bytes given are read */
	assert_true(ioc_ipv4_bytes("1.2.3.4567", 7, ip));
	assert_int_equal(ip[3], 4);
	assert_false(ioc_ipv4_bytes("1.2.3.4", 6, ip)); /* "1.2.3." */
	assert_false(ioc_ipv4_bytes("1.2.3.4", 0, ip));
	assert_false(ioc_ipv4_bytes("1.2.3.04", 8, ip));
	assert_false(ioc_ipv4_bytes("1.2.3.256", 9, ip));
	assert_false(ioc_ipv4_bytes("1.2.3.4.", 8, ip));
	assert_false(ioc_ipv4_bytes("1.2.3.0001", 10, ip));
}

/* ------------------------------------------------------------------ ipv6 */

static const struct valid_case ipv6_valid[] = {
        /* RFC 5952 4.1: no leading zeros; 4.3: lower case */
        {"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", IOC_IPV6},
        {"2001:DB8::ABCD", "2001:db8::abcd", IOC_IPV6},
        {"2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", IOC_IPV6},
        {"2001:0db8:0a0b:00c0:0d00:0001:0010:0100", "2001:db8:a0b:c0:d00:1:10:100", IOC_IPV6},
        /* 4.2.1: as short as possible */
        {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1", IOC_IPV6},
        {"2001:db8::0:1", "2001:db8::1", IOC_IPV6},
        /* 4.2.2: one 16-bit 0 field is not shortened with "::" */
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", IOC_IPV6},
        {"2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1", IOC_IPV6},
        {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", IOC_IPV6},
        {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", IOC_IPV6},
        {"1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0", IOC_IPV6},
        /* 4.2.3: the longest run; the first one when tied */
        {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1", IOC_IPV6},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", IOC_IPV6},
        {"fe80:0:0:0:1:0:0:0", "fe80::1:0:0:0", IOC_IPV6},
        {"0:0:1:0:0:0:1:0", "0:0:1::1:0", IOC_IPV6},
        {"0:0:1:2:3:4:0:0", "::1:2:3:4:0:0", IOC_IPV6},
        /* the run at either end, and all zeros */
        {"0:0:0:0:0:0:0:0", "::", IOC_IPV6},
        {"::", "::", IOC_IPV6},
        {"0:0:0:0:0:0:0:1", "::1", IOC_IPV6},
        {"1:0:0:0:0:0:0:0", "1::", IOC_IPV6},
        {"2001:db8:0:0:0:0:0:0", "2001:db8::", IOC_IPV6},
        {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", IOC_IPV6},
        {"FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
         IOC_IPV6},
        /* 5: IPv4-mapped addresses keep the dotted quad */
        {"::ffff:192.0.2.1", "::ffff:192.0.2.1", IOC_IPV6},
        {"::FFFF:C000:0201", "::ffff:192.0.2.1", IOC_IPV6},
        {"0:0:0:0:0:ffff:c000:201", "::ffff:192.0.2.1", IOC_IPV6},
        {"0000:0000:0000:0000:0000:FFFF:0A00:0001", "::ffff:10.0.0.1", IOC_IPV6},
        /* other embedded IPv4 (deprecated IPv4-compatible) is plain hex */
        {"::1.2.3.4", "::102:304", IOC_IPV6},
        {"2001:db8::192.0.2.1", "2001:db8::c000:201", IOC_IPV6},
        /* brackets as in URLs and logs */
        {"[2001:db8::1]", "2001:db8::1", IOC_IPV6},
        {"[2001:0DB8:0:0:0:0:0:1]", "2001:db8::1", IOC_IPV6},
        {"[::1]", "::1", IOC_IPV6},
};

static const struct invalid_case ipv6_invalid[] = {
        {":::", "ipv6: not a valid IPv6 address"},
        {"1::2::3", "not a valid IPv6"},
        {"12:30:45", "not a valid IPv6"},          /* a time */
        {"00:1a:2b:3c:4d:5e", "not a valid IPv6"}, /* a MAC address */
        {"00-1a-2b-3c-4d-5e", "not a valid IPv6"},
        {"1:2:3:4:5:6:7:8:9", "not a valid IPv6"},
        {"1:2:3:4:5:6:7", "not a valid IPv6"},
        {"12345::", "not a valid IPv6"},
        {"2001:db8::g", "not a valid IPv6"},
        {":1:2:3:4:5:6:7", "not a valid IPv6"},
        {"1:2:3:4:5:6:7:", "not a valid IPv6"},
        {"fe80::1%eth0", "not a valid IPv6"},
        {"::ffff:256.1.1.1", "not a valid IPv6"},
        {"::ffff:1.2.3", "not a valid IPv6"},
        {"1.2.3.4", "not a valid IPv6"},
        {"2001:db8::1/64", "not a valid IPv6"},
        {" ::1", "not a valid IPv6"},
        {"[2001:db8::1", "not a valid IPv6"},
        {"2001:db8::1]", "not a valid IPv6"},
        {"[[::1]]", "not a valid IPv6"},
        {"[]", "not a valid IPv6"},
        {"", "not a valid IPv6"},
        {"1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:17:18:19:20:21:22:23:24:25:26",
         "not a valid IPv6"},
};

static void test_ipv6_valid(void **state)
{
	(void)state;
	check_valid(ioc_parse_ipv6, ipv6_valid, COUNT(ipv6_valid));
}

static void test_ipv6_invalid(void **state)
{
	(void)state;
	check_invalid(ioc_parse_ipv6, ipv6_invalid, COUNT(ipv6_invalid));
}

/* The canonical form is a fixed point: parsing it again gives itself. */
static void test_ipv6_idempotent(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(ipv6_valid); i++) {
		struct ioc_value once, twice;
		assert_int_equal(parse_exact(ioc_parse_ipv6, ipv6_valid[i].in, &once, NULL), 0);
		assert_int_equal(parse_exact(ioc_parse_ipv6, once.v, &twice, NULL), 0);
		assert_string_equal(once.v, twice.v);
	}
}

/* ------------------------------------------------------------------ cidr */

static const struct valid_case cidr_valid[] = {
        /* v4: host bits cleared */
        {"10.1.2.3/8", "10.0.0.0/8", IOC_CIDR4},
        {"192.168.1.77/24", "192.168.1.0/24", IOC_CIDR4},
        {"192.168.1.77/25", "192.168.1.0/25", IOC_CIDR4},
        {"192.168.1.77/26", "192.168.1.64/26", IOC_CIDR4},
        {"172.31.255.1/12", "172.16.0.0/12", IOC_CIDR4},
        {"255.255.255.255/31", "255.255.255.254/31", IOC_CIDR4},
        {"255.255.255.255/1", "128.0.0.0/1", IOC_CIDR4},
        {"203.0.113.200/29", "203.0.113.200/29", IOC_CIDR4},
        {"203.0.113.207/29", "203.0.113.200/29", IOC_CIDR4},
        {"1.2.3.4/0", "0.0.0.0/0", IOC_CIDR4},
        {"0.0.0.0/0", "0.0.0.0/0", IOC_CIDR4},
        {"1.2.3.4/32", "1.2.3.4/32", IOC_CIDR4},
        /* v6: host bits cleared, RFC 5952 text */
        {"2001:db8:1234::1/32", "2001:db8::/32", IOC_CIDR6},
        {"2001:0DB8:0000:0000:0000:0000:0000:0001/128", "2001:db8::1/128", IOC_CIDR6},
        {"2001:db8::1/0", "::/0", IOC_CIDR6},
        {"::/0", "::/0", IOC_CIDR6},
        {"2001:db8:abcd:12ff::/52", "2001:db8:abcd:1000::/52", IOC_CIDR6},
        {"2001:db8::ffff/127", "2001:db8::fffe/127", IOC_CIDR6},
        {"fe80::1/10", "fe80::/10", IOC_CIDR6},
        {"febf:ffff::1/10", "fe80::/10", IOC_CIDR6},
        {"2001:db8:0:0:1:0:0:1/64", "2001:db8::/64", IOC_CIDR6},
        {"2001:db8:1:2:3:4:5:6/48", "2001:db8:1::/48", IOC_CIDR6},
        {"2001:db8:1:2:3:4:5:6/100", "2001:db8:1:2:3:4::/100", IOC_CIDR6},
        {"2001:db8:1:2:3:4:5678:9abc/116", "2001:db8:1:2:3:4:5678:9000/116", IOC_CIDR6},
        {"2001:db8:1:2:3:4:5678:9abc/113", "2001:db8:1:2:3:4:5678:8000/113", IOC_CIDR6},
        {"2001:db8:1:2:3:4:5:6/97", "2001:db8:1:2:3:4::/97", IOC_CIDR6},
        {"::ffff:192.0.2.77/120", "::ffff:192.0.2.0/120", IOC_CIDR6},
};

static const struct invalid_case cidr_invalid[] = {
        {"10.0.0.0/33", "cidr: IPv4 prefix length 33 > 32"},
        {"10.0.0.0/999", "> 32"},
        {"2001:db8::/129", "cidr: IPv6 prefix length 129 > 128"},
        {"2001:db8::/200", "> 128"},
        {"10.0.0.0/08", "cidr: prefix length has a leading zero"},
        {"10.0.0.0/00", "leading zero"},
        {"2001:db8::/032", "leading zero"},
        {"10.0.0.0", "cidr: missing /prefix-length"},
        {"2001:db8::", "missing /prefix-length"},
        {"10.0.0.0/", "cidr: bad prefix length"},
        {"10.0.0.0/1234", "bad prefix length"},
        {"10.0.0.0/a", "cidr: prefix length is not a number"},
        {"10.0.0.0/-1", "not a number"},
        {"10.0.0.0/+8", "not a number"},
        {"10.0.0.0/8/8", "not a number"},
        {"10.0.0.0/ 8", "not a number"},
        {"10.0.0/8", "cidr: the network is not an IP address"},
        {"010.0.0.0/8", "not an IP address"},
        {"256.0.0.0/8", "not an IP address"},
        {"evil.com/24", "not an IP address"},
        {"/8", "not an IP address"},
        {"[2001:db8::]/32", "not an IP address"},
        {"1::2::3/64", "not an IP address"},
        {"", "missing /prefix-length"},
};

static void test_cidr_valid(void **state)
{
	(void)state;
	check_valid(ioc_parse_cidr, cidr_valid, COUNT(cidr_valid));
}

static void test_cidr_invalid(void **state)
{
	(void)state;
	check_invalid(ioc_parse_cidr, cidr_invalid, COUNT(cidr_invalid));
}

/* Every v4 prefix length: the network of 255.255.255.255/N has exactly N one
 * bits, and the network of an address with all host bits set is the same as
 * that of the address with them clear. */
static void test_cidr4_every_length(void **state)
{
	(void)state;
	for (unsigned bits = 0; bits <= 32; bits++) {
		char in[32];
		snprintf(in, sizeof in, "255.255.255.255/%u", bits);
		struct ioc_value out;
		assert_int_equal(parse_exact(ioc_parse_cidr, in, &out, NULL), 0);
		uint32_t mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
		char want[32];
		snprintf(want, sizeof want, "%u.%u.%u.%u/%u", mask >> 24, (mask >> 16) & 255,
		         (mask >> 8) & 255, mask & 255, bits);
		assert_string_equal(out.v, want);
		assert_int_equal(out.type, IOC_CIDR4);
	}
}

/* Every v6 prefix length: ffff:...:ffff/N keeps exactly N one bits. */
static void test_cidr6_every_length(void **state)
{
	(void)state;
	for (unsigned bits = 0; bits <= 128; bits++) {
		char in[64];
		snprintf(in, sizeof in, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/%u", bits);
		struct ioc_value out;
		assert_int_equal(parse_exact(ioc_parse_cidr, in, &out, NULL), 0);
		assert_int_equal(out.type, IOC_CIDR6);
		/* rebuild the expected groups and compare through the v6 parser */
		char net[64];
		size_t o = 0;
		for (unsigned g = 0; g < 8; g++) {
			unsigned keep = bits > g * 16 ? bits - g * 16 : 0;
			if (keep > 16)
				keep = 16;
			unsigned v = keep == 0 ? 0 : (0xffffu << (16 - keep)) & 0xffffu;
			o += (size_t)snprintf(net + o, sizeof net - o, g ? ":%x" : "%x", v);
		}
		struct ioc_value want;
		assert_int_equal(parse_exact(ioc_parse_ipv6, net, &want, NULL), 0);
		char slash[8];
		snprintf(slash, sizeof slash, "/%u", bits);
		assert_int_equal(out.len, want.len + strlen(slash));
		assert_memory_equal(out.v, want.v, want.len);
		assert_string_equal(out.v + want.len, slash);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ipv4_valid),
	        cmocka_unit_test(test_ipv4_invalid),
	        cmocka_unit_test(test_ipv4_bytes),
	        cmocka_unit_test(test_ipv6_valid),
	        cmocka_unit_test(test_ipv6_invalid),
	        cmocka_unit_test(test_ipv6_idempotent),
	        cmocka_unit_test(test_cidr_valid),
	        cmocka_unit_test(test_cidr_invalid),
	        cmocka_unit_test(test_cidr4_every_length),
	        cmocka_unit_test(test_cidr6_every_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
