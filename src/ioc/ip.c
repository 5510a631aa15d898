/*
 * ip.c - IPv4, IPv6 and CIDR canonical forms.
 *
 * IPv4 is strict: inet_aton would read "010.1.1.1" as octal and "1.2.3" as
 * 1.2.0.3, both of which are how look-alikes slip through, so we parse the
 * dotted quad ourselves.  IPv6 goes through inet_pton and is printed per
 * RFC 5952 by our own formatter, which keeps the IPv4-mapped form
 * (::ffff:192.0.2.1) recognisable.
 */
#include "ioc/ioc_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

bool ioc_ipv4_bytes(const char *s, size_t n, uint8_t ip[4])
{
	/* a part is 1-3 digits, no leading zero, at most 255, and no digit
	 * after it; unrolled, as every IPv4 value is parsed here twice (its
	 * text, then its key) */
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	for (int part = 0; part < 4; part++) {
		if (part > 0 && (p == end || *p++ != '.'))
			return false;
		unsigned v, d;
		if (p == end || (v = (unsigned)(*p++ - '0')) > 9)
			return false;
		if (p != end && (d = (unsigned)(*p - '0')) <= 9) {
			if (v == 0)
				return false;
			v = v * 10 + d;
			if (++p != end && (d = (unsigned)(*p - '0')) <= 9) {
				v = v * 10 + d;
				if (v > 255 || (++p != end && (unsigned)(*p - '0') <= 9))
					return false;
			}
		}
		ip[part] = (uint8_t)v;
	}
	return p == end;
}

/* Explains why s is not a dotted quad, for the error message. */
static const char *ipv4_reason(const char *s, size_t n)
{
	int parts = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.')
			parts++;
		else if (!ioc_is_digit((unsigned char)s[i]))
			return "only digits and dots are allowed";
	}
	if (parts != 4)
		return "a dotted quad has four parts";
	const char *p = s;
	const char *end = s + n;
	for (int part = 0; part < 4; part++) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		size_t len = (size_t)((dot ? dot : end) - p);
		if (len == 0)
			return "empty part";
		if (len > 1 && p[0] == '0')
			return "a part has a leading zero";
		if (len > 3)
			return "a part is larger than 255";
		unsigned v = 0;
		for (size_t k = 0; k < len; k++)
			v = v * 10 + (unsigned)(p[k] - '0');
		if (v > 255)
			return "a part is larger than 255";
		p = dot ? dot + 1 : end;
	}
	return "not a dotted quad";
}

/* Dotted quad of ip into buf (at least 16 bytes), NUL-terminated.  Written
 * by hand: extraction formats every address it finds. */
static void ipv4_format(const uint8_t ip[4], char *buf, size_t bufsz, size_t *len)
{
	size_t o = 0;
	(void)bufsz;
	for (int k = 0; k < 4; k++) {
		unsigned v = ip[k];
		if (k > 0)
			buf[o++] = '.';
		if (v >= 100)
			buf[o++] = (char)('0' + v / 100);
		if (v >= 10)
			buf[o++] = (char)('0' + v / 10 % 10);
		buf[o++] = (char)('0' + v % 10);
	}
	buf[o] = '\0';
	*len = o;
}

/*
 * RFC 5952 text of a 16-byte address: lower-case hex, no leading zeros, the
 * longest run (first if tied) of two or more zero groups as "::", and the
 * IPv4-mapped (::ffff:0:0/96) form with a dotted quad.
 */
static void ipv6_format(const uint8_t a[16], char *buf, size_t bufsz, size_t *len)
{
	uint16_t g[8];
	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)((a[2 * i] << 8) | a[2 * i + 1]);
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(a, mapped, 12) == 0) {
		int w = snprintf(buf, bufsz, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
		*len = w > 0 ? (size_t)w : 0;
		return;
	}
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8;) {
		if (g[i] != 0) {
			i++;
			continue;
		}
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j;
	}
	/* at most 39 bytes: written by hand, as snprintf per group was most of
	 * the cost of loading a list of IPv6 addresses */
	static const char hex[] = "0123456789abcdef";
	char t[40];
	size_t o = 0;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			t[o++] = ':';
			t[o++] = ':';
			i += bestlen - 1;
			continue;
		}
		if (o > 0 && t[o - 1] != ':')
			t[o++] = ':';
		unsigned v = g[i];
		int shift = v >= 0x1000 ? 12 : v >= 0x100 ? 8 : v >= 0x10 ? 4 : 0;
		for (; shift >= 0; shift -= 4)
			t[o++] = hex[(v >> shift) & 15u];
	}
	if (bufsz == 0) { /* never: callers pass an ioc_value's buffer */
		*len = 0;
		return;
	}
	if (o >= bufsz)
		o = bufsz - 1;
	memcpy(buf, t, o);
	buf[o] = '\0';
	*len = o;
}

int ioc_parse_ipv4(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	uint8_t ip[4];
	if (n > 15 || !ioc_ipv4_bytes(s, n, ip))
		return crix_error_set(err, CRIX_EINVAL, "ipv4: %s",
		                      n > 15 ? "too long for a dotted quad" : ipv4_reason(s, n));
	ipv4_format(ip, out->v, sizeof out->v, &out->len);
	out->type = IOC_IPV4;
	return 0;
}

/* inet_pton needs a NUL-terminated string; IPv6 text is at most 45 bytes. */
bool ioc_ipv6_bytes(const char *s, size_t n, uint8_t a[16])
{
	char tmp[64];
	if (n == 0 || n >= sizeof tmp)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!ioc_is_hex(c) && c != ':' && c != '.')
			return false;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return inet_pton(AF_INET6, tmp, a) == 1;
}

int ioc_parse_ipv6(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	uint8_t a[16];
	/* "[2001:db8::1]" is how IPv6 appears in URLs and logs. */
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (!ioc_ipv6_bytes(s, n, a))
		return crix_error_set(err, CRIX_EINVAL, "ipv6: not a valid IPv6 address");
	ipv6_format(a, out->v, sizeof out->v, &out->len);
	out->type = IOC_IPV6;
	return 0;
}

int ioc_parse_cidr(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	const char *slash = memchr(s, '/', n);
	if (slash == NULL)
		return crix_error_set(err, CRIX_EINVAL, "cidr: missing /prefix-length");
	size_t alen = (size_t)(slash - s);
	const char *p = slash + 1;
	size_t plen = n - alen - 1;
	if (plen == 0 || plen > 3)
		return crix_error_set(err, CRIX_EINVAL, "cidr: bad prefix length");
	unsigned bits = 0;
	for (size_t i = 0; i < plen; i++) {
		if (!ioc_is_digit((unsigned char)p[i]))
			return crix_error_set(err, CRIX_EINVAL,
			                      "cidr: prefix length is not a number");
		bits = bits * 10 + (unsigned)(p[i] - '0');
	}
	if (plen > 1 && p[0] == '0')
		return crix_error_set(err, CRIX_EINVAL, "cidr: prefix length has a leading zero");
	uint8_t a[16];
	size_t o;
	if (ioc_ipv4_bytes(s, alen, a)) {
		if (bits > 32)
			return crix_error_set(err, CRIX_EINVAL, "cidr: IPv4 prefix length %u > 32",
			                      bits);
		for (unsigned i = 0; i < 32; i++)
			if (i >= bits)
				a[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
		ipv4_format(a, out->v, sizeof out->v, &o);
		out->type = IOC_CIDR4;
	} else if (ioc_ipv6_bytes(s, alen, a)) {
		if (bits > 128)
			return crix_error_set(err, CRIX_EINVAL, "cidr: IPv6 prefix length %u > 128",
			                      bits);
		for (unsigned i = bits; i < 128; i++)
			a[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
		ipv6_format(a, out->v, sizeof out->v, &o);
		out->type = IOC_CIDR6;
	} else {
		return crix_error_set(err, CRIX_EINVAL, "cidr: the network is not an IP address");
	}
	/* "/bits" by hand, as the address: snprintf was half of the cost of
	 * loading a network */
	out->v[o++] = '/';
	if (bits >= 100)
		out->v[o++] = (char)('0' + bits / 100);
	if (bits >= 10)
		out->v[o++] = (char)('0' + bits / 10 % 10);
	out->v[o++] = (char)('0' + bits % 10);
	out->v[o] = '\0';
	out->len = o;
	return 0;
}
