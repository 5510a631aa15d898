/*
 * url.c - URLs normalised per RFC 3986 section 6.2.2 (syntax-based).
 *
 * Two spellings of the same resource must give the same bytes, because URL
 * indicators are matched by equality: scheme and host lower-case, the host
 * canonical (domain, IPv4 or [IPv6]), the default port dropped, percent-
 * encoding normalised (unreserved characters decoded, hex digits upper-case,
 * bytes that may not appear raw encoded), dot-segments removed, and an empty
 * path written "/".
 */
#include "ioc/ioc_int.h"

#include <string.h>

struct sink {
	char *buf;
	size_t len, cap;
	bool full;
};

static void put(struct sink *k, const char *s, size_t n)
{
	if (k->len + n >= k->cap) {
		k->full = true;
		return;
	}
	memcpy(k->buf + k->len, s, n);
	k->len += n;
}

static void putc_(struct sink *k, char c)
{
	put(k, &c, 1);
}

/* What a byte may be in a URL (url_class): raw in the userinfo, raw in the
 * path, query and fragment, unreserved (RFC 3986 2.3: decoded when
 * percent-encoded); none: encoded.  One load per byte of every URL. */
enum { RAW_USERINFO = 1, RAW_PATH = 2, UNRESERVED = 4 };
#define U (UNRESERVED | RAW_USERINFO | RAW_PATH)
#define S (RAW_USERINFO | RAW_PATH) /* sub-delimiters, ':' */
#define D RAW_PATH                  /* '@', '/', '?' */
static const uint8_t url_class[256] = {
        ['0'] = U, ['1'] = U, ['2'] = U, ['3'] = U, ['4'] = U, ['5'] = U,  ['6'] = U, ['7'] = U,
        ['8'] = U, ['9'] = U, ['A'] = U, ['B'] = U, ['C'] = U, ['D'] = U,  ['E'] = U, ['F'] = U,
        ['G'] = U, ['H'] = U, ['I'] = U, ['J'] = U, ['K'] = U, ['L'] = U,  ['M'] = U, ['N'] = U,
        ['O'] = U, ['P'] = U, ['Q'] = U, ['R'] = U, ['S'] = U, ['T'] = U,  ['U'] = U, ['V'] = U,
        ['W'] = U, ['X'] = U, ['Y'] = U, ['Z'] = U, ['a'] = U, ['b'] = U,  ['c'] = U, ['d'] = U,
        ['e'] = U, ['f'] = U, ['g'] = U, ['h'] = U, ['i'] = U, ['j'] = U,  ['k'] = U, ['l'] = U,
        ['m'] = U, ['n'] = U, ['o'] = U, ['p'] = U, ['q'] = U, ['r'] = U,  ['s'] = U, ['t'] = U,
        ['u'] = U, ['v'] = U, ['w'] = U, ['x'] = U, ['y'] = U, ['z'] = U,  ['-'] = U, ['.'] = U,
        ['_'] = U, ['~'] = U, ['!'] = S, ['$'] = S, ['&'] = S, ['\''] = S, ['('] = S, [')'] = S,
        ['*'] = S, ['+'] = S, [','] = S, [';'] = S, ['='] = S, [':'] = S,  ['@'] = D, ['/'] = D,
        ['?'] = D};
#undef U
#undef S
#undef D

static bool is_unreserved(unsigned char c)
{
	return url_class[c] & UNRESERVED;
}

static int hexval(unsigned char c)
{
	if (ioc_is_digit(c))
		return c - '0';
	c = ioc_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Writes s[0..n) with percent-encoding normalised; bytes whose url_class
 * lacks raw (RAW_USERINFO or RAW_PATH, the component's) are encoded.  The
 * bytes that stay as they are (most of them) are written a run at a time. */
static void put_pct_normalised(struct sink *k, const char *s, size_t n, unsigned raw)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t run = 0; /* the raw bytes from run on are not written yet */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (url_class[c] & raw)
			continue;
		put(k, s + run, i - run);
		if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			unsigned char d = (unsigned char)(hexval((unsigned char)s[i + 1]) * 16 +
			                                  hexval((unsigned char)s[i + 2]));
			if (is_unreserved(d)) {
				putc_(k, (char)d);
			} else {
				char e[3] = {'%', hex[d >> 4], hex[d & 15]};
				put(k, e, 3);
			}
			i += 2;
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			put(k, e, 3);
		}
		run = i + 1;
	}
	put(k, s + run, n - run);
}

/*
 * RFC 3986 5.2.4 remove_dot_segments, in place over p[0..n); returns the
 * new length.  The output never grows, so one buffer suffices.
 */
static size_t remove_dot_segments(char *p, size_t n)
{
	size_t in = 0, out = 0;
	while (in < n) {
		size_t rest = n - in;
		if (rest >= 3 && memcmp(p + in, "../", 3) == 0) {
			in += 3;
		} else if (rest >= 2 && memcmp(p + in, "./", 2) == 0) {
			in += 2;
		} else if (rest >= 3 && memcmp(p + in, "/./", 3) == 0) {
			in += 2;
		} else if (rest == 2 && memcmp(p + in, "/.", 2) == 0) {
			p[in + 1] = '/';
			in += 1;
		} else if ((rest >= 4 && memcmp(p + in, "/../", 4) == 0) ||
		           (rest == 3 && memcmp(p + in, "/..", 3) == 0)) {
			if (rest == 3) {
				in += 2;
				p[in] = '/';
			} else {
				in += 3;
			}
			while (out > 0 && p[out - 1] != '/')
				out--;
			if (out > 0)
				out--;
		} else if ((rest == 1 && p[in] == '.') ||
		           (rest == 2 && memcmp(p + in, "..", 2) == 0)) {
			in = n;
		} else {
			size_t j = in;
			if (p[j] == '/')
				j++;
			while (j < n && p[j] != '/')
				j++;
			memmove(p + out, p + in, j - in);
			out += j - in;
			in = j;
		}
	}
	return out;
}

static unsigned default_port(const char *scheme, size_t n)
{
	static const struct {
		const char *name;
		unsigned port;
	} ports[] = {{"http", 80}, {"https", 443}, {"ftp", 21}, {"ws", 80},
	             {"wss", 443}, {"ftps", 990},  {"sftp", 22}};
	for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
		if (strlen(ports[i].name) == n && memcmp(ports[i].name, scheme, n) == 0)
			return ports[i].port;
	return 0;
}

int ioc_parse_url(const struct ioc_ctx *ctx, const char *s, size_t n, struct ioc_value *out,
                  struct crix_error *err)
{
	size_t i = 0;
	while (i < n &&
	       (ioc_is_alnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i == 0 || !ioc_is_alpha((unsigned char)s[0]) || n - i < 3 ||
	    memcmp(s + i, "://", 3) != 0)
		return crix_error_set(err, CRIX_EINVAL, "url: expected scheme://host");
	if (i > 32)
		return crix_error_set(err, CRIX_EINVAL, "url: scheme too long");
	char scheme[33];
	for (size_t k = 0; k < i; k++)
		scheme[k] = (char)ioc_lower((unsigned char)s[k]);
	size_t scheme_len = i;
	i += 3;

	/* authority = [ userinfo "@" ] host [ ":" port ] */
	size_t auth = i;
	while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
		i++;
	size_t auth_end = i;
	size_t host = auth;
	for (size_t k = auth; k < auth_end; k++)
		if (s[k] == '@')
			host = k + 1;
	size_t host_end = auth_end, port_start = auth_end;
	if (host < auth_end && s[host] == '[') {
		const char *rb = memchr(s + host, ']', auth_end - host);
		if (rb == NULL)
			return crix_error_set(err, CRIX_EINVAL, "url: unterminated [IPv6] host");
		host_end = (size_t)(rb - s) + 1;
		if (host_end < auth_end && s[host_end] != ':')
			return crix_error_set(err, CRIX_EINVAL, "url: junk after [IPv6] host");
		port_start = host_end < auth_end ? host_end + 1 : auth_end;
	} else {
		const char *colon = memchr(s + host, ':', auth_end - host);
		if (colon != NULL) {
			host_end = (size_t)(colon - s);
			port_start = host_end + 1;
		}
	}
	if (host_end == host)
		return crix_error_set(err, CRIX_EINVAL, "url: empty host");

	struct ioc_value hv;
	struct crix_error herr;
	const char *h = s + host;
	size_t hn = host_end - host;
	char hbuf[1024];
	if (memchr(h, '%', hn) != NULL) {
		/* "ev%69l.com" is evil.com (RFC 3986 6.2.2.2) */
		size_t o = 0;
		for (size_t q = 0; q < hn; q++) {
			if (o >= sizeof hbuf)
				return crix_error_set(err, CRIX_EINVAL, "url: host too long");
			if (h[q] == '%' && q + 2 < hn && hexval((unsigned char)h[q + 1]) >= 0 &&
			    hexval((unsigned char)h[q + 2]) >= 0) {
				hbuf[o++] = (char)(hexval((unsigned char)h[q + 1]) * 16 +
				                   hexval((unsigned char)h[q + 2]));
				q += 2;
			} else {
				hbuf[o++] = h[q];
			}
		}
		h = hbuf;
		hn = o;
	}
	int rc;
	if (h[0] == '[') {
		rc = ioc_parse_ipv6(h, hn, &hv, &herr);
	} else {
		uint8_t ip4[4];
		if (ioc_ipv4_bytes(h, hn, ip4))
			rc = ioc_parse_ipv4(h, hn, &hv, &herr);
		else
			rc = ioc_parse_domain(ctx, h, hn, &hv, &herr);
	}
	if (rc != 0)
		return crix_error_set(err, CRIX_EINVAL, "url: host: %s", herr.msg);

	unsigned long port = 0;
	bool has_port = false;
	for (size_t k = port_start; k < auth_end; k++) {
		if (!ioc_is_digit((unsigned char)s[k]))
			return crix_error_set(err, CRIX_EINVAL, "url: port is not a number");
		port = port * 10 + (unsigned long)(s[k] - '0');
		if (port > 65535)
			return crix_error_set(err, CRIX_EINVAL, "url: port larger than 65535");
		has_port = true;
	}

	struct sink k = {out->v, 0, sizeof out->v, false};
	put(&k, scheme, scheme_len);
	put(&k, "://", 3);
	if (host > auth) {
		/* userinfo: an '@' inside it is data, only the last one delimits */
		put_pct_normalised(&k, s + auth, host - auth - 1, RAW_USERINFO);
		putc_(&k, '@');
	}
	if (hv.type == IOC_IPV6) {
		putc_(&k, '[');
		put(&k, hv.v, hv.len);
		putc_(&k, ']');
	} else {
		put(&k, hv.v, hv.len);
	}
	if (has_port && port != default_port(scheme, scheme_len)) {
		char pbuf[8];
		size_t pl = 0;
		char rev[8];
		unsigned long p = port;
		do {
			rev[pl++] = (char)('0' + p % 10);
			p /= 10;
		} while (p > 0);
		for (size_t q = 0; q < pl; q++)
			pbuf[q] = rev[pl - 1 - q];
		putc_(&k, ':');
		put(&k, pbuf, pl);
	}

	/* Path: normalise encoding first (so %2E is a dot), then dot-segments. */
	size_t path = auth_end;
	size_t path_end = path;
	while (path_end < n && s[path_end] != '?' && s[path_end] != '#')
		path_end++;
	size_t pstart = k.len;
	if (path_end == path)
		putc_(&k, '/');
	else
		put_pct_normalised(&k, s + path, path_end - path, RAW_PATH);
	if (!k.full)
		k.len = pstart + remove_dot_segments(k.buf + pstart, k.len - pstart);
	if (k.len == pstart)
		putc_(&k, '/');
	if (path_end < n && s[path_end] == '?') {
		const char *hash = memchr(s + path_end, '#', n - path_end);
		size_t qend = hash != NULL ? (size_t)(hash - s) : n;
		putc_(&k, '?');
		put_pct_normalised(&k, s + path_end + 1, qend - path_end - 1, RAW_PATH);
		path_end = qend;
	}
	if (path_end < n) { /* '#' fragment */
		putc_(&k, '#');
		put_pct_normalised(&k, s + path_end + 1, n - path_end - 1, RAW_PATH);
	}
	if (k.full)
		return crix_error_set(err, CRIX_ETOOBIG, "url: longer than %d bytes",
		                      IOC_VALUE_MAX - 1);
	k.buf[k.len] = '\0';
	out->len = k.len;
	out->type = IOC_URL;
	return 0;
}
