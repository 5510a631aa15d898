/*
 * test_reference.c - match_scan against a reference written for clarity,
 * on generated data (issue 3).
 *
 * A fixed seed generates an indicator set (addresses, networks, domains,
 * URLs, e-mail addresses, hashes; some listed by two sources, some twice
 * by one) and log lines in several shapes.  The lines hold planted hits and
 * traps: look-alikes glued to other text ("xevil.com", "evil.comx",
 * "11.2.3.45"), subdomains, addresses at the edges of networks and one
 * outside them, IPv6 in other spellings, slices of longer hex runs, and
 * defanged forms.  Every line is scanned with refanging off and on, and the
 * hits must be exactly those of the reference:
 *
 *   - tokens by simple rules: maximal runs of hex digits, ':' and '.' for
 *     IPv6; otherwise maximal runs of [A-Za-z0-9._-] (and non-ASCII
 *     letters), with edge punctuation dropped; "scheme://" starts a URL
 *     that runs to white space or a quote (ASCII or typographic);
 *   - values canonicalised with ioc_parse (addresses turned into bytes with
 *     inet_pton, which ioc does not use);
 *   - membership by linear scans of the indicator arrays: exact values,
 *     every network that holds an address (the longest wins, an address
 *     beats a network), every listed domain the host is or ends with at a
 *     dot (the longest wins).
 *
 * The compared hit is (offset, length, indicator, source).  A mismatch
 * prints the line and both sides.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "match/match_int.h"
#include "unit/match/iocfx.h"

#define SEED     0x5eed2025c0ffeeull
#define LINES    5000
#define MAX_INDS 600
#define VMAX     256 /* longest generated value */
#define LINE_MAX 2048

/* ---- a deterministic generator (splitmix64) ---- */

static uint64_t rng;

static uint64_t rnd64(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rnd(unsigned n)
{
	return (unsigned)(rnd64() % n);
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

#define PICK(a) (a)[rnd(sizeof(a) / sizeof(a)[0])]

/* ---- the indicator set, as the reference holds it ---- */

struct ind {
	enum ioc_type type;
	char v[VMAX];     /* canonical */
	char raw[VMAX];   /* as generated */
	uint8_t addr[16]; /* addresses and networks */
	unsigned bits;    /* networks: prefix length */
	unsigned nsrc;
	uint32_t src[2];
};

static struct ind inds[MAX_INDS];
static size_t ninds;
static struct match_index *ix;
static uint32_t source_id[2];

/* Indexes into inds by type, for planting. */
static size_t by_type[IOC_TYPE_COUNT][MAX_INDS];
static size_t nby_type[IOC_TYPE_COUNT];

static void to_bytes(const struct ind *d, uint8_t *out)
{
	char a[VMAX];
	snprintf(a, sizeof a, "%s", d->v);
	char *slash = strchr(a, '/');
	if (slash != NULL)
		*slash = '\0';
	bool v4 = d->type == IOC_IPV4 || d->type == IOC_CIDR4;
	if (inet_pton(v4 ? AF_INET : AF_INET6, a, out) != 1)
		fail_msg("inet_pton(\"%s\") refuses a canonical value", a);
}

/* Lists raw (of type) from source 0 or 1, in the index and the reference. */
static void list(enum ioc_type type, const char *raw, unsigned src)
{
	static struct ioc_value v;
	struct crix_error err = {0};
	if (ioc_parse(ctx, type, raw, strlen(raw), NULL, &v, &err) != 0)
		fail_msg("generator: %s \"%s\" is not valid: %s", ioc_type_name(type), raw,
		         err.msg);
	assert_true(v.len < VMAX);
	bool allowed = true;
	if (match_index_add(ix, &v, source_id[src], ninds + 1, &allowed, &err) != 0)
		fail_msg("match_index_add(%s): %s", v.v, err.msg);
	assert_false(allowed);
	for (size_t i = 0; i < ninds; i++) {
		struct ind *d = &inds[i];
		if (d->type != type || strcmp(d->v, v.v) != 0)
			continue;
		for (unsigned k = 0; k < d->nsrc; k++)
			if (d->src[k] == source_id[src])
				return; /* the same source again: a duplicate */
		d->src[d->nsrc++] = source_id[src];
		return;
	}
	assert_true(ninds < MAX_INDS);
	struct ind *d = &inds[ninds];
	memset(d, 0, sizeof *d);
	d->type = type;
	memcpy(d->v, v.v, v.len + 1);
	snprintf(d->raw, sizeof d->raw, "%s", raw);
	d->src[0] = source_id[src];
	d->nsrc = 1;
	if (type == IOC_IPV4 || type == IOC_IPV6 || type == IOC_CIDR4 || type == IOC_CIDR6) {
		to_bytes(d, d->addr);
		const char *slash = strchr(d->v, '/');
		d->bits = slash != NULL ? (unsigned)strtoul(slash + 1, NULL, 10) : 0;
	}
	by_type[type][nby_type[type]++] = ninds;
	ninds++;
}

/* Lists raw once, from a random source, sometimes from both, sometimes
 * twice from one. */
static void list_some(enum ioc_type type, const char *raw)
{
	unsigned src = rnd(2);
	list(type, raw, src);
	if (chance(12))
		list(type, raw, 1 - src);
	if (chance(5))
		list(type, raw, src);
}

static const struct ind *pick(enum ioc_type type)
{
	assert_true(nby_type[type] > 0);
	return &inds[by_type[type][rnd((unsigned)nby_type[type])]];
}

/* ---- generating values ---- */

static const char *const tlds[] = {"com", "net", "org", "io", "de", "co.uk", "info", "ru"};

static void label(char *out, size_t cap)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned n = 3 + rnd(8);
	size_t o = 0;
	if (chance(4) && cap > 1) { /* a one-digit label: "7.cc" next to "HTTP/1.1" */
		out[0] = (char)('0' + rnd(10));
		out[1] = '\0';
		return;
	}
	out[o++] = (char)('a' + rnd(26));
	for (unsigned i = 1; i < n && o + 2 < cap; i++) {
		if (i + 1 < n && i > 1 && chance(8) && out[o - 1] != '-')
			out[o++] = '-';
		else
			out[o++] = alnum[rnd(36)];
	}
	out[o] = '\0';
}

static void domain(char *out, size_t cap)
{
	char l[32];
	label(l, sizeof l);
	snprintf(out, cap, "%s.%s", l, PICK(tlds));
}

static void fmt4(char *out, size_t cap, const uint8_t a[4])
{
	snprintf(out, cap, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* IPv6 text in one of several spellings. */
static void fmt6(char *out, size_t cap, const uint8_t a[16], unsigned style)
{
	char canon[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, a, canon, sizeof canon);
	size_t o = 0;
	switch (style % 4) {
	case 0: snprintf(out, cap, "%s", canon); return;
	case 1: /* every group, leading zeros */
		for (int g = 0; g < 8; g++)
			o += (size_t)snprintf(out + o, cap - o, g ? ":%04x" : "%04x",
			                      (unsigned)(a[2 * g] << 8 | a[2 * g + 1]));
		return;
	case 2: /* every group, upper case, no compression */
		for (int g = 0; g < 8; g++)
			o += (size_t)snprintf(out + o, cap - o, g ? ":%X" : "%X",
			                      (unsigned)(a[2 * g] << 8 | a[2 * g + 1]));
		return;
	default: /* canonical, upper case */
		snprintf(out, cap, "%s", canon);
		for (char *p = out; *p; p++)
			if (*p >= 'a' && *p <= 'f')
				*p = (char)(*p - 32);
		return;
	}
}

static void rand_bytes(uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		a[i] = (uint8_t)rnd(256);
}

static void hex(char *out, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++)
		out[i] = digits[rnd(16)];
	out[n] = '\0';
}

static const size_t hash_len[4] = {32, 40, 64, 128};
static const enum ioc_type hash_type[4] = {IOC_MD5, IOC_SHA1, IOC_SHA256, IOC_SHA512};

/* Network arithmetic on big-endian byte strings. */
static void net_last(const uint8_t *net, unsigned bits, size_t n, uint8_t *last)
{
	for (size_t i = 0; i < n; i++) {
		unsigned keep = bits >= 8 * (i + 1) ? 8 : bits > 8 * i ? bits - 8 * (unsigned)i : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);
		last[i] = (uint8_t)(net[i] | (uint8_t)~mask);
	}
}

static void add_one(uint8_t *a, size_t n, int delta)
{
	for (size_t i = n; i-- > 0;) {
		if (delta > 0) {
			if (++a[i] != 0)
				return;
		} else {
			if (a[i]-- != 0)
				return;
		}
	}
}

static void build_set(void)
{
	char s[4 * VMAX];
	/* domains, and subdomains listed beside their parents */
	for (int i = 0; i < 70; i++) {
		domain(s, sizeof s);
		list_some(IOC_DOMAIN, s);
	}
	for (int i = 0; i < 12; i++) {
		char l[32];
		label(l, sizeof l);
		snprintf(s, sizeof s, "%s.%s", chance(50) ? "www" : l, pick(IOC_DOMAIN)->v);
		list_some(IOC_DOMAIN, s);
	}
	list_some(IOC_DOMAIN, "bücher.de");
	/* addresses */
	for (int i = 0; i < 70; i++) {
		uint8_t a[4];
		rand_bytes(a, 4);
		fmt4(s, sizeof s, a);
		list_some(IOC_IPV4, s);
	}
	for (int i = 0; i < 35; i++) {
		uint8_t a[16];
		rand_bytes(a, 16);
		if (chance(60)) { /* 2001:db8:x::y, with a run of zeros to compress */
			static const uint8_t pre[4] = {0x20, 0x01, 0x0d, 0xb8};
			memcpy(a, pre, 4);
			memset(a + 6, 0, 6 + rnd(3));
		}
		fmt6(s, sizeof s, a, 0);
		list_some(IOC_IPV6, s);
	}
	/* networks: some nested in others, some short (< /16), and /32s */
	for (int i = 0; i < 30; i++) {
		uint8_t a[4];
		unsigned bits = 8 + rnd(25);
		if (i >= 10 && chance(60)) {
			const struct ind *p = pick(IOC_CIDR4);
			if (p->bits < 31) {
				memcpy(a, p->addr, 4);
				uint8_t r[4];
				rand_bytes(r, 4);
				uint8_t last[4];
				net_last(p->addr, p->bits, 4, last);
				for (int k = 0; k < 4; k++)
					a[k] = (uint8_t)(a[k] | (r[k] & (last[k] ^ p->addr[k])));
				bits = p->bits + 1 + rnd(32 - p->bits);
			} else {
				rand_bytes(a, 4);
			}
		} else {
			rand_bytes(a, 4);
		}
		snprintf(s, sizeof s, "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3], bits);
		list_some(IOC_CIDR4, s);
	}
	for (int i = 0; i < 16; i++) {
		uint8_t a[16];
		unsigned bits = 16 + rnd(113);
		if (i >= 5 && chance(60)) {
			const struct ind *p = pick(IOC_CIDR6);
			if (p->bits < 127) {
				uint8_t last[16], r[16];
				net_last(p->addr, p->bits, 16, last);
				rand_bytes(r, 16);
				for (int k = 0; k < 16; k++)
					a[k] = (uint8_t)(p->addr[k] |
					                 (r[k] & (last[k] ^ p->addr[k])));
				bits = p->bits + 1 + rnd(128 - p->bits);
			} else {
				rand_bytes(a, 16);
			}
		} else {
			rand_bytes(a, 16);
			a[0] = 0x20;
			a[1] = 0x01;
		}
		char t[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, a, t, sizeof t);
		snprintf(s, sizeof s, "%s/%u", t, bits);
		list_some(IOC_CIDR6, s);
	}
	/* URLs on listed hosts, unlisted hosts, addresses */
	for (int i = 0; i < 40; i++) {
		char host[VMAX + 2], l[32], l2[32];
		unsigned k = rnd(10);
		if (k < 4)
			snprintf(host, sizeof host, "%s", pick(IOC_DOMAIN)->v);
		else if (k < 8)
			domain(host, sizeof host);
		else if (k < 9)
			snprintf(host, sizeof host, "%s", pick(IOC_IPV4)->v);
		else
			snprintf(host, sizeof host, "[%s]", pick(IOC_IPV6)->v);
		label(l, sizeof l);
		label(l2, sizeof l2);
		const char *port = chance(15) ? ":8080" : "";
		if (chance(40))
			snprintf(s, sizeof s, "%s://%s%s/%s/%s.php?id=%s",
			         chance(50) ? "http" : "https", host, port, l, l2, l);
		else
			snprintf(s, sizeof s, "%s://%s%s/%s", chance(70) ? "http" : "https", host,
			         port, chance(20) ? "" : l);
		list_some(IOC_URL, s);
	}
	list_some(IOC_URL, "http://bücher.de/kaufen");
	/* e-mail addresses */
	for (int i = 0; i < 25; i++) {
		char l[32], host[VMAX];
		label(l, sizeof l);
		if (chance(40))
			snprintf(host, sizeof host, "%s", pick(IOC_DOMAIN)->v);
		else
			domain(host, sizeof host);
		if (chance(20)) {
			char l2[32];
			label(l2, sizeof l2);
			snprintf(s, sizeof s, "%s.%s@%s", l, l2, host);
		} else {
			snprintf(s, sizeof s, "%s%s@%s", l, chance(10) ? "+tag" : "", host);
		}
		list_some(IOC_EMAIL, s);
	}
	/* hashes */
	for (int t = 0; t < 4; t++)
		for (int i = 0; i < 12; i++) {
			hex(s, hash_len[t]);
			list_some(hash_type[t], s);
		}
}

/* ---- generating lines ---- */

struct line {
	char t[LINE_MAX];
	size_t n;
	bool defanged; /* holds defanged forms: only refanging finds them */
};

static void put(struct line *ln, const char *s)
{
	size_t k = strlen(s);
	if (ln->n + k < sizeof ln->t) {
		memcpy(ln->t + ln->n, s, k);
		ln->n += k;
		ln->t[ln->n] = '\0';
	}
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
}

/* Replaces every '.' (or the first only) of s with a defanged dot. */
static void defang_dots(char *out, size_t cap, const char *s, bool all)
{
	static const char *const dots[] = {"[.]", "(.)", "[dot]", "{.}"};
	const char *d = PICK(dots);
	size_t o = 0;
	bool done = false;
	for (; *s && o + 8 < cap; s++) {
		if (*s == '.' && (all || !done)) {
			o += (size_t)snprintf(out + o, cap - o, "%s", d);
			done = true;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

/* One token: a listed value in some spelling, a look-alike, or noise. */
static void token(char *out, size_t cap, bool *defanged)
{
	char a[VMAX], b[VMAX];
	uint8_t x[16], y[16];
	switch (rnd(9)) {
	case 0: { /* IPv4 */
		const struct ind *d = pick(IOC_IPV4);
		switch (rnd(10)) {
		case 8:
			snprintf(out, cap, "%s/%s", chance(50) ? "Chrome" : "x-Bot_2", d->v);
			return;
		case 9: snprintf(out, cap, "/p/%s", d->v); return;
		case 0:
		case 1: snprintf(out, cap, "%s", d->v); return;
		case 2: snprintf(out, cap, "1%s", d->v); return;
		case 3: snprintf(out, cap, "%s%u", d->v, rnd(10)); return;
		case 4: snprintf(out, cap, "%s:%u", d->v, 1 + rnd(65535)); return;
		case 5: snprintf(out, cap, "::%s:%s", chance(50) ? "ffff" : "FFFF", d->v); return;
		case 6: snprintf(out, cap, "%s.%u", d->v, rnd(256)); return;
		default:
			defang_dots(out, cap, d->v, chance(50));
			*defanged = true;
			return;
		}
	}
	case 1: { /* an address around a network */
		const struct ind *d = pick(IOC_CIDR4);
		memcpy(x, d->addr, 4);
		net_last(d->addr, d->bits, 4, y);
		switch (rnd(6)) {
		case 0: break;
		case 1: memcpy(x, y, 4); break;
		case 2: add_one(x, 4, -1); break;
		case 3:
			memcpy(x, y, 4);
			add_one(x, 4, 1);
			break;
		case 4:
			for (int k = 0; k < 4; k++)
				x[k] = (uint8_t)(x[k] | (rnd(256) & (x[k] ^ y[k])));
			break;
		default: snprintf(out, cap, "%s", d->v); return; /* the network's own text */
		}
		fmt4(a, sizeof a, x);
		if (chance(15))
			snprintf(out, cap, "::ffff:%s", a);
		else
			snprintf(out, cap, "%s", a);
		return;
	}
	case 2: { /* IPv6 and IPv6 networks */
		bool net = chance(50);
		const struct ind *d = pick(net ? IOC_CIDR6 : IOC_IPV6);
		memcpy(x, d->addr, 16);
		if (net) {
			net_last(d->addr, d->bits, 16, y);
			switch (rnd(4)) {
			case 0: break;
			case 1: memcpy(x, y, 16); break;
			case 2: add_one(x, 16, -1); break;
			default:
				memcpy(x, y, 16);
				add_one(x, 16, 1);
				break;
			}
		} else if (chance(15)) {
			add_one(x, 16, 1);
		}
		fmt6(a, sizeof a, x, rnd(4));
		switch (rnd(6)) {
		case 0: snprintf(out, cap, "[%s]:%u", a, 1 + rnd(65535)); return;
		case 1: snprintf(out, cap, "%s%s", chance(50) ? "x" : "g", a); return;
		case 2: snprintf(out, cap, "%s%s", a, chance(50) ? "g" : "_x"); return;
		default: snprintf(out, cap, "%s", a); return;
		}
	}
	case 3:
	case 4: { /* domains */
		const struct ind *d = pick(IOC_DOMAIN);
		char l[32];
		label(l, sizeof l);
		switch (rnd(12)) {
		case 0:
		case 1: snprintf(out, cap, "%s", d->raw); return;
		case 2: snprintf(out, cap, "%s.%s", l, d->v); return;
		case 3: snprintf(out, cap, "www.%s.%s", l, d->v); return;
		case 4:
			snprintf(out, cap, "%s", d->v);
			upper(out);
			return;
		case 5: snprintf(out, cap, "%s.", d->v); return;
		case 6: snprintf(out, cap, "x%s", d->v); return;
		case 7: snprintf(out, cap, "%sx", d->v); return;
		case 8: snprintf(out, cap, "%s.com", d->v); return;
		case 9: snprintf(out, cap, "%s-%s", l, d->v); return;
		case 10: snprintf(out, cap, "%s", d->v + 1); return;
		default:
			defang_dots(out, cap, d->v, chance(50));
			*defanged = true;
			return;
		}
	}
	case 5: { /* URLs */
		const struct ind *d = pick(IOC_URL);
		snprintf(a, sizeof a, "%s", d->raw);
		char *host = strstr(a, "://") + 3;
		switch (rnd(10)) {
		case 0:
		case 1: snprintf(out, cap, "%s", a); return;
		case 8: snprintf(out, cap, "%s#%s", a, chance(50) ? "top" : ""); return;
		case 2: { /* scheme and host in upper case */
			char *slash = strchr(host, '/');
			for (char *p = a; p < (slash ? slash : a + strlen(a)); p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 32);
			snprintf(out, cap, "%s", a);
			return;
		}
		case 3: snprintf(out, cap, "%sx", a); return;
		case 4: { /* JSON escapes "/" */
			size_t o = 0;
			for (const char *p = a; *p && o + 3 < cap; p++) {
				if (*p == '/')
					out[o++] = '\\';
				out[o++] = *p;
			}
			out[o] = '\0';
			return;
		}
		case 5: { /* trailing dot on the host */
			char *slash = strchr(host, '/');
			if (slash == NULL || host[0] == '[' || strchr(host, ':') < slash) {
				snprintf(out, cap, "%s", a);
				return;
			}
			snprintf(out, cap, "%.*s.%s", (int)(slash - a), a, slash);
			return;
		}
		case 6: snprintf(out, cap, "%s/more", a); return;
		case 7: {
			/* hxxp and defanged dots in the host */
			char *slash = strchr(host, '/');
			size_t hn = slash ? (size_t)(slash - host) : strlen(host);
			snprintf(b, sizeof b, "%.*s", (int)hn, host);
			char dh[VMAX];
			defang_dots(dh, sizeof dh, b, true);
			bool s = a[4] == 's';
			snprintf(out, cap, "%s://%s%s", s ? "hxxps" : "hxxp", dh,
			         slash ? slash : "");
			*defanged = true;
			return;
		}
		default: snprintf(out, cap, "x%s", a); return;
		}
	}
	case 6: { /* e-mail addresses */
		const struct ind *d = pick(IOC_EMAIL);
		switch (rnd(8)) {
		case 0:
		case 1: snprintf(out, cap, "%s", d->v); return;
		case 2: snprintf(out, cap, "mailto:%s", d->v); return;
		case 3: snprintf(out, cap, "x%s", d->v); return;
		case 4: snprintf(out, cap, "%sx", d->v); return;
		case 5: {
			const char *at = strchr(d->v, '@');
			snprintf(a, sizeof a, "%s", at + 1);
			upper(a);
			snprintf(out, cap, "%.*s@%s", (int)(at - d->v), d->v, a);
			return;
		}
		case 6: snprintf(out, cap, "user=%s", d->v); return;
		default: {
			const char *at = strchr(d->v, '@');
			defang_dots(a, sizeof a, at + 1, true);
			snprintf(out, cap, "%.*s%s%s", (int)(at - d->v), d->v,
			         chance(50) ? "[@]" : "[at]", a);
			*defanged = true;
			return;
		}
		}
	}
	case 7: { /* hashes */
		int t = (int)rnd(4);
		const struct ind *d = pick(hash_type[t]);
		switch (rnd(9)) {
		case 0:
		case 1: snprintf(out, cap, "%s", d->v); return;
		case 2:
			snprintf(out, cap, "%s", d->v);
			upper(out);
			return;
		case 3: snprintf(out, cap, "a%s", d->v); return;
		case 4: snprintf(out, cap, "%s0", d->v); return;
		case 5: snprintf(out, cap, "sample_%s.bin", d->v); return;
		case 6: snprintf(out, cap, "%s-%s", d->v, pick(IOC_MD5)->v); return;
		case 7: snprintf(out, cap, "%s%.32s", d->v, d->v); return;
		default:
			snprintf(out, cap, "%s", d->v);
			out[rnd((unsigned)strlen(out))] = 'g';
			return;
		}
	}
	default: { /* noise */
		static const char *const words[] = {
		        "GET",
		        "POST",
		        "setup.exe",
		        "index.php",
		        "v1.2.3",
		        "12:34:56",
		        "2025:13:55",
		        "00:1a:2b:3c:4d:5e",
		        "ok",
		        "denied",
		        "1.2.3",
		        "example",
		        "foo.bar()",
		        "::",
		        "a:b::c",
		        "user@",
		        "@example",
		        "http://",
		        "::1",
		        "fe80::1",
		        "localhost",
		        "0.0.0.0",
		        "10/Oct/2023:13:55:36",
		        "x.y.z",
		        "HTTP/1.1",
		        "bot/2.0",
		        "1.2.3.4.5",
		        "01.2.3.4",
		        "256.1.1.1",
		        "1..2.3.4",
		        ".1.2.3.4",
		        "1.2.3.4.",
		        "9.9",
		};
		if (chance(30)) {
			domain(out, cap);
			return;
		}
		if (chance(20)) {
			rand_bytes(x, 4);
			fmt4(out, cap, x);
			return;
		}
		snprintf(out, cap, "%s", PICK(words));
		return;
	}
	}
}

static void gen_line(struct line *ln)
{
	static const char *const open[] = {
	        "",  "",  "",  "\"",           "(",       "[", "<", "'", "=",
	        "/", "-", "@", "\xe2\x80\x9c", "\xc2\xab"};
	static const char *const close[] = {
	        "",  "",  ".", "\"",           ")",       "]", ">", "'", ",", ";", ":",
	        "-", "_", "!", "\xe2\x80\x9d", "\xc2\xbb"};
	static const char *const seps[] = {" ", " ", ", ", " | ", "; ", "\t", " - ", "\xc2\xa0"};
	ln->n = 0;
	ln->t[0] = '\0';
	ln->defanged = false;
	char tok[LINE_MAX / 2];
	unsigned shape = rnd(4), k = 1 + rnd(6);
	switch (shape) {
	case 0: put(ln, "203.0.113.9 - - [10/Oct/2023:13:55:36 +0000] \"GET /"); break;
	case 1: put(ln, "{\"ts\":\"2023-10-10T13:55:36Z\",\"msg\":\""); break;
	case 2: put(ln, "Oct 10 13:55:36 host sshd[4242]: "); break;
	default: break;
	}
	for (unsigned i = 0; i < k; i++) {
		token(tok, sizeof tok, &ln->defanged);
		if (i > 0)
			put(ln, PICK(seps));
		const char *o = PICK(open), *c = PICK(close);
		bool v6 = strchr(tok, ':') != NULL && strchr(tok, '[') == NULL;
		/* "::1:" is another address: no ':' after IPv6 */
		put(ln, o);
		put(ln, tok);
		put(ln, v6 && c[0] == ':' ? "" : c);
	}
	switch (shape) {
	case 0: put(ln, " HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\""); break;
	case 1: put(ln, "\"}"); break;
	default: break;
	}
}

/*
 * Access-log and JSON lines whose quoted fields (user agent, referer) come
 * from small pools, so that they repeat line after line as in real logs:
 * the scanner skips a field it has seen find nothing before (its memo), and
 * it must still find the hits in a field that holds one on every line, and
 * nothing in a field of traps.  Some fields hold JSON's \" around a token.
 */
#define POOL 12
static char ua_pool[POOL][LINE_MAX / 4], ref_pool[POOL][LINE_MAX / 4];
static bool ua_defanged[POOL], ref_defanged[POOL];

static void make_pools(void)
{
	static const char *const uas[] = {
	        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	        "Chrome/122.0.0.0 Safari/537.36",
	        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	        "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"};
	char tok[LINE_MAX / 8];
	for (int i = 0; i < POOL; i++) {
		ua_defanged[i] = ref_defanged[i] = false;
		const char *ua = uas[i % 3];
		if (i < 3) { /* no token: fields that find nothing */
			snprintf(ua_pool[i], sizeof ua_pool[i], "%s", ua);
		} else {
			token(tok, sizeof tok, &ua_defanged[i]);
			snprintf(ua_pool[i], sizeof ua_pool[i], "%.*s %s%s%s) x/1.0", 40, ua,
			         i % 4 == 0 ? "\\\"" : "(", tok, i % 4 == 0 ? "\\\"" : "");
		}
		token(tok, sizeof tok, &ref_defanged[i]);
		snprintf(ref_pool[i], sizeof ref_pool[i], "https://www.example-shop.com/c/%s/x%s",
		         i < 3 ? "shoes" : "p", i < 3 ? ".html?ref=newsletter" : tok);
	}
}

static void gen_field_line(struct line *ln)
{
	unsigned u = rnd(POOL), r = rnd(POOL);
	char ip[16];
	uint8_t a[4];
	rand_bytes(a, 4);
	fmt4(ip, sizeof ip, a);
	ln->n = 0;
	ln->t[0] = '\0';
	ln->defanged = ua_defanged[u] || ref_defanged[r];
	if (chance(75)) {
		put(ln, ip);
		put(ln,
		    " - - [10/Oct/2023:13:55:36 +0000] \"GET /index.html HTTP/1.1\" 200 512 \"");
		put(ln, ref_pool[r]);
		put(ln, "\" \"");
		put(ln, ua_pool[u]);
		put(ln, "\"");
	} else {
		put(ln, "{\"client\": \"");
		put(ln, ip);
		put(ln, "\", \"referer\": \"");
		put(ln, ref_pool[r]);
		put(ln, "\", \"ua\": \"");
		put(ln, ua_pool[u]);
		put(ln, "\"}");
	}
}

/* ---- the reference ---- */

struct hit {
	size_t off, len;
	const char *ind;
	uint32_t src;
};

struct hits {
	struct hit h[256];
	size_t n;
	bool overflow;
};

struct ref {
	const unsigned char *t; /* scanned text: the line or its refanged copy */
	size_t n;
	const uint32_t *map; /* offsets in t -> in the line, when refanged */
	size_t orig_len;
	struct hits *out;
	bool used[LINE_MAX]; /* taken by an IPv6 address */
};

static void ref_report(struct ref *r, size_t a, size_t b, const struct ind *d)
{
	if (d == NULL)
		return;
	if (r->map != NULL) {
		size_t ra = r->map[a], rb = b < r->n ? r->map[b] : r->orig_len;
		a = ra;
		b = rb;
	}
	for (unsigned k = 0; k < d->nsrc; k++) {
		if (r->out->n == sizeof r->out->h / sizeof r->out->h[0]) {
			r->out->overflow = true;
			return;
		}
		r->out->h[r->out->n++] = (struct hit){a, b - a, d->v, d->src[k]};
	}
}

static bool in_net(const uint8_t *net, unsigned bits, const uint8_t *a)
{
	for (unsigned i = 0; i < bits; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;
		if (((net[byte] >> bit) & 1) != ((a[byte] >> bit) & 1))
			return false;
	}
	return true;
}

static const struct ind *ref_exact(enum ioc_type type, const char *v)
{
	for (size_t i = 0; i < ninds; i++)
		if (inds[i].type == type && strcmp(inds[i].v, v) == 0)
			return &inds[i];
	return NULL;
}

/* An address beats every network; otherwise the longest network wins. */
static const struct ind *ref_addr(const uint8_t *a, bool v4)
{
	size_t n = v4 ? 4 : 16;
	enum ioc_type at = v4 ? IOC_IPV4 : IOC_IPV6, nt = v4 ? IOC_CIDR4 : IOC_CIDR6;
	const struct ind *best = NULL;
	for (size_t i = 0; i < ninds; i++) {
		const struct ind *d = &inds[i];
		if (d->type == at && memcmp(d->addr, a, n) == 0)
			return d;
		if (d->type == nt && in_net(d->addr, d->bits, a) &&
		    (best == NULL || d->bits > best->bits))
			best = d;
	}
	return best;
}

/* The longest listed domain that host is or ends with at a dot. */
static const struct ind *ref_domain(const char *host, size_t n)
{
	const struct ind *best = NULL;
	for (size_t i = 0; i < ninds; i++) {
		const struct ind *d = &inds[i];
		if (d->type != IOC_DOMAIN)
			continue;
		size_t dl = strlen(d->v);
		bool m =
		        (n == dl && memcmp(host, d->v, n) == 0) ||
		        (n > dl && host[n - dl - 1] == '.' && memcmp(host + n - dl, d->v, dl) == 0);
		if (m && (best == NULL || dl > strlen(best->v)))
			best = d;
	}
	return best;
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The UTF-8 punctuation the generator writes ("“" "”" "«" "»" and a no-break
 * space) separates tokens: its length at t[i], or 0. */
static size_t uni_sep(const unsigned char *t, size_t n, size_t i)
{
	if (i + 1 < n && t[i] == 0xc2 && (t[i + 1] == 0xab || t[i + 1] == 0xbb || t[i + 1] == 0xa0))
		return 2;
	if (i + 2 < n && t[i] == 0xe2 && t[i + 1] == 0x80 && (t[i + 2] == 0x9c || t[i + 2] == 0x9d))
		return 3;
	return 0;
}

static bool run_char(const struct ref *r, size_t i)
{
	unsigned char c = r->t[i];
	return !r->used[i] && (is_alnum(c) || c == '.' || c == '-' || c == '_' || c >= 0x80) &&
	       !(c >= 0x80 && uni_sep(r->t, r->n, i) > 0);
}

static bool url_end(unsigned char c)
{
	return c <= ' ' || c == 0x7f || strchr("\"'<>`{}|\\^", c) != NULL;
}

/* IPv6: maximal runs of hex digits, ':' and '.', not glued to a word. */
static void ref_ipv6(struct ref *r)
{
	const unsigned char *t = r->t;
	for (size_t p = 0; p < r->n;) {
		if (!(is_hex(t[p]) || t[p] == ':' || t[p] == '.')) {
			p++;
			continue;
		}
		size_t q = p;
		while (q < r->n && (is_hex(t[q]) || t[q] == ':' || t[q] == '.'))
			q++;
		size_t next = q;
		/* a trailing '.' or ':' is punctuation; "::" is not */
		while (q > p &&
		       (t[q - 1] == '.' || (t[q - 1] == ':' && !(q - p >= 2 && t[q - 2] == ':'))))
			q--;
		bool glued = (p > 0 && (is_alnum(t[p - 1]) || t[p - 1] == '_')) ||
		             (q == next && q < r->n && (is_alnum(t[q]) || t[q] == '_'));
		static struct ioc_value v;
		if (!glued && memchr(t + p, ':', q - p) != NULL &&
		    ioc_parse(ctx, IOC_IPV6, (const char *)t + p, q - p, NULL, &v, NULL) == 0) {
			uint8_t a[16];
			assert_int_equal(inet_pton(AF_INET6, v.v, a), 1);
			static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
			                                   0, 0, 0, 0, 0xff, 0xff};
			if (memcmp(a, mapped, 12) == 0) {
				ref_report(r, p, q, ref_exact(IOC_IPV6, v.v));
				ref_report(r, p, q, ref_addr(a + 12, true));
			} else {
				ref_report(r, p, q, ref_addr(a, false));
			}
			for (size_t k = p; k < q; k++)
				r->used[k] = true;
		}
		p = next;
	}
}

/* A URL from the scheme at t[a] (":" at t[c]); esc: JSON's "\/". */
static void ref_url(struct ref *r, size_t a, size_t c, bool esc)
{
	const unsigned char *t = r->t;
	size_t body = c + (esc ? 5 : 3), e = body;
	while (e < r->n) {
		if (esc && t[e] == '\\' && e + 1 < r->n && t[e + 1] == '/')
			e += 2;
		else if (url_end(t[e]) || uni_sep(t, r->n, e) > 0)
			break;
		else
			e++;
	}
	while (e > body && strchr(".,;:!?)]*", t[e - 1]) != NULL)
		e--;
	char u[LINE_MAX];
	size_t un = 0;
	for (size_t k = a; k < e; k++) {
		if (esc && t[k] == '\\' && k + 1 < e && t[k + 1] == '/')
			k++;
		u[un++] = (char)t[k];
	}
	static struct ioc_value v;
	if (ioc_parse(ctx, IOC_URL, u, un, NULL, &v, NULL) != 0)
		return;
	const struct ind *d = ref_exact(IOC_URL, v.v);
	char *frag = strchr(v.v, '#');
	if (d == NULL && frag != NULL) {
		*frag = '\0'; /* the page the fragment points into */
		d = ref_exact(IOC_URL, v.v);
	}
	ref_report(r, a, e, d);
}

/* "Name/1.2.3.4", Name a letter and then letters, digits, '-' and '_',
 * starting the text or after white space, a quote or '(': a version. */
static bool ref_version(const unsigned char *t, size_t a)
{
	if (a == 0 || t[a - 1] != '/')
		return false;
	size_t k = a - 1;
	while (k > 0 && (is_alnum(t[k - 1]) || t[k - 1] == '-' || t[k - 1] == '_'))
		k--;
	bool letter = (t[k] >= 'a' && t[k] <= 'z') || (t[k] >= 'A' && t[k] <= 'Z');
	return k < a - 1 && letter && (k == 0 || strchr(" \t\n\r\"'(", t[k - 1]) != NULL);
}

/* The e-mail address whose domain is the run [a, b) after '@'. */
static void ref_email(struct ref *r, size_t a, size_t b)
{
	const unsigned char *t = r->t;
	size_t l = a - 1;
	while (l > 0 && !r->used[l - 1] &&
	       (is_alnum(t[l - 1]) || strchr("._%+-", t[l - 1]) != NULL))
		l--;
	while (l < a - 1 && t[l] == '.')
		l++;
	if (l == a - 1)
		return;
	static struct ioc_value v;
	if (ioc_parse(ctx, IOC_EMAIL, (const char *)t + l, b - l, NULL, &v, NULL) == 0)
		ref_report(r, l, b, ref_exact(IOC_EMAIL, v.v));
}

static void ref_hashes(struct ref *r, size_t a, size_t b)
{
	const unsigned char *t = r->t;
	for (size_t p = a; p < b;) {
		size_t q = p;
		while (q < b && t[q] != '.' && t[q] != '_' && t[q] != '-')
			q++;
		bool all_hex = true;
		for (size_t k = p; k < q; k++)
			all_hex &= is_hex(t[k]);
		for (int h = 0; h < 4; h++) {
			if (!all_hex || q - p != hash_len[h])
				continue;
			char lower[129];
			for (size_t k = p; k < q; k++)
				lower[k - p] =
				        (char)(t[k] | (t[k] >= 'A' && t[k] <= 'F' ? 0x20 : 0));
			lower[q - p] = '\0';
			ref_report(r, p, q, ref_exact(hash_type[h], lower));
		}
		p = q + 1;
	}
}

static void ref_scan(struct ref *r)
{
	memset(r->used, 0, sizeof r->used);
	ref_ipv6(r);
	const unsigned char *t = r->t;
	for (size_t i = 0; i < r->n;) {
		if (!run_char(r, i)) {
			size_t k = r->t[i] >= 0x80 && !r->used[i] ? uni_sep(t, r->n, i) : 0;
			i += k > 0 ? k : 1;
			continue;
		}
		size_t end = i;
		while (end < r->n && run_char(r, end))
			end++;
		size_t a = i, b = end;
		i = end;
		while (b > a && (t[b - 1] == '.' || t[b - 1] == '-' || t[b - 1] == '_'))
			b--;
		while (a < b && (t[a] == '.' || t[a] == '-'))
			a++;
		if (a == b)
			continue;
		/* "scheme://" or "scheme:\/\/" */
		bool letters = b - a <= 5;
		for (size_t k = a; k < b; k++)
			letters &= (t[k] >= 'a' && t[k] <= 'z') || (t[k] >= 'A' && t[k] <= 'Z');
		if (letters && end < r->n && t[end] == ':') {
			if (end + 2 < r->n && t[end + 1] == '/' && t[end + 2] == '/') {
				ref_url(r, a, end, false);
				continue;
			}
			if (end + 4 < r->n && memcmp(t + end + 1, "\\/\\/", 4) == 0) {
				ref_url(r, a, end, true);
				continue;
			}
		}
		if (a > 0 && t[a - 1] == '@')
			ref_email(r, a, b);
		bool dot = memchr(t + a, '.', b - a) != NULL, digits_dots = true, alpha = false,
		     high = false;
		for (size_t k = a; k < b; k++) {
			digits_dots &= (t[k] >= '0' && t[k] <= '9') || t[k] == '.';
			alpha |= (t[k] | 0x20) >= 'a' && (t[k] | 0x20) <= 'z';
			high |= t[k] >= 0x80;
		}
		static struct ioc_value v;
		if (dot && digits_dots) {
			if (!ref_version(t, a) && ioc_parse(ctx, IOC_IPV4, (const char *)t + a,
			                                    b - a, NULL, &v, NULL) == 0) {
				uint8_t ip[4];
				assert_int_equal(inet_pton(AF_INET, v.v, ip), 1);
				ref_report(r, a, b, ref_addr(ip, true));
			}
		} else if (dot && high) {
			if (ioc_parse(ctx, IOC_DOMAIN, (const char *)t + a, b - a, NULL, &v,
			              NULL) == 0)
				ref_report(r, a, b, ref_domain(v.v, v.len));
		} else if (dot && alpha) {
			char host[LINE_MAX];
			for (size_t k = a; k < b; k++)
				host[k - a] = (char)(t[k] >= 'A' && t[k] <= 'Z' ? t[k] + 32 : t[k]);
			ref_report(r, a, b, ref_domain(host, b - a));
		}
		if (b - a >= 32)
			ref_hashes(r, a, b);
	}
}

/* ---- comparing ---- */

static int cmp_hit(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	int c = strcmp(a->ind, b->ind);
	if (c != 0)
		return c;
	return a->src < b->src ? -1 : a->src > b->src;
}

struct got {
	struct hits hs;
	size_t last_off;
	bool out_of_order;
};

static int on_scan_hit(void *arg, const struct match_scan_hit *sh)
{
	struct got *g = arg;
	if (g->hs.n > 0 && sh->offset < g->last_off)
		g->out_of_order = true;
	g->last_off = sh->offset;
	if (g->hs.n == sizeof g->hs.h / sizeof g->hs.h[0]) {
		g->hs.overflow = true;
		return 0;
	}
	/* the indicator text lives in the index; find the reference's copy */
	const struct ind *d = ref_exact(sh->hit->type, sh->hit->indicator);
	g->hs.h[g->hs.n++] =
	        (struct hit){sh->offset, sh->len, d != NULL ? d->v : "(unknown)", sh->hit->source};
	return 0;
}

static void print_side(const char *what, const char *line, const struct hits *hs)
{
	fprintf(stderr, "  %s (%zu):\n", what, hs->n);
	for (size_t i = 0; i < hs->n; i++)
		fprintf(stderr, "    @%zu+%zu \"%.*s\" -> %s (source %u)\n", hs->h[i].off,
		        hs->h[i].len, (int)hs->h[i].len, line + hs->h[i].off, hs->h[i].ind,
		        hs->h[i].src);
}

struct totals {
	size_t lines, hits, mismatches;
	size_t by_type[IOC_TYPE_COUNT];
};

/*
 * Every line joined by '\n' (one text per refang setting), with the
 * reference's hits at their offsets in it: scanned whole at the end, since
 * a long text takes paths a line does not (the table of recent misses is
 * made for texts of 256 KiB and more, and lines repeat in it).
 */
struct whole {
	char *t;
	size_t n, cap;
	struct hit *h;
	size_t nh, caph;
};
static struct whole wholes[2];

static void whole_add(struct whole *w, const struct line *ln, const struct hits *hs)
{
	if (w->n + ln->n + 1 > w->cap) {
		w->cap = (w->n + ln->n + 1) * 2;
		w->t = realloc(w->t, w->cap);
		assert_non_null(w->t);
	}
	if (w->nh + hs->n > w->caph) {
		w->caph = (w->nh + hs->n) * 2 + 16;
		w->h = realloc(w->h, w->caph * sizeof *w->h);
		assert_non_null(w->h);
	}
	for (size_t i = 0; i < hs->n; i++) {
		w->h[w->nh] = hs->h[i];
		w->h[w->nh++].off += w->n;
	}
	memcpy(w->t + w->n, ln->t, ln->n);
	w->n += ln->n;
	w->t[w->n++] = '\n';
}

/* Scans one line both ways; returns whether they agree. */
static bool check_line(const struct line *ln, bool refang, struct totals *tot)
{
	/* the scanner, on an exact-size copy */
	char *copy = malloc(ln->n > 0 ? ln->n : 1);
	assert_non_null(copy);
	memcpy(copy, ln->t, ln->n);
	static struct got g;
	memset(&g, 0, sizeof g);
	struct match_scan_opts o = {.refang = refang};
	struct crix_error err = {0};
	int rc = match_scan(ix, copy, ln->n, &o, on_scan_hit, &g, &err);
	free(copy);
	assert_int_equal(rc, 0);

	/* the reference */
	static struct hits want;
	static struct ref r;
	memset(&want, 0, sizeof want);
	static char rt[LINE_MAX];
	static uint32_t map[LINE_MAX];
	r.out = &want;
	r.orig_len = ln->n;
	if (refang) {
		size_t n = 0;
		assert_int_equal(ioc_refang(ln->t, ln->n, rt, sizeof rt, map, &n, NULL), 0);
		r.t = (const unsigned char *)rt;
		r.n = n;
		r.map = map;
	} else {
		r.t = (const unsigned char *)ln->t;
		r.n = ln->n;
		r.map = NULL;
	}
	ref_scan(&r);
	assert_false(want.overflow);
	assert_false(g.hs.overflow);

	qsort(want.h, want.n, sizeof want.h[0], cmp_hit);
	qsort(g.hs.h, g.hs.n, sizeof g.hs.h[0], cmp_hit);
	whole_add(&wholes[refang], ln, &want);
	bool same = want.n == g.hs.n && !g.out_of_order;
	for (size_t i = 0; same && i < want.n; i++)
		same = cmp_hit(&want.h[i], &g.hs.h[i]) == 0;
	tot->lines++;
	tot->hits += want.n;
	for (size_t i = 0; i < want.n; i++) {
		for (size_t k = 0; k < ninds; k++)
			if (inds[k].v == want.h[i].ind)
				tot->by_type[inds[k].type]++;
	}
	if (!same) {
		if (tot->mismatches < 15) {
			fprintf(stderr, "mismatch (refang %s)%s in: %.*s\n", refang ? "on" : "off",
			        g.out_of_order ? ", hits out of order" : "", (int)ln->n, ln->t);
			print_side("reference", ln->t, &want);
			print_side("match_scan", ln->t, &g.hs);
		}
		tot->mismatches++;
	}
	return same;
}

struct whole_got {
	struct hit *h;
	size_t n, cap, last_off;
	bool out_of_order;
	/* each hit's line against a count a byte at a time, up to nl_at */
	const char *text;
	size_t nl_at, bad_lines;
	uint64_t nl;
};

static int on_whole_hit(void *arg, const struct match_scan_hit *sh)
{
	struct whole_got *g = arg;
	if (g->n > 0 && sh->offset < g->last_off)
		g->out_of_order = true;
	g->last_off = sh->offset;
	for (; g->nl_at < sh->offset; g->nl_at++)
		g->nl += g->text[g->nl_at] == '\n';
	if (sh->line != g->nl && g->bad_lines++ < 3)
		fprintf(stderr, "whole text: hit @%zu on line %llu, want %llu\n", sh->offset,
		        (unsigned long long)sh->line, (unsigned long long)g->nl);
	if (g->n == g->cap) {
		g->cap = g->cap * 2 + 64;
		g->h = realloc(g->h, g->cap * sizeof *g->h);
		assert_non_null(g->h);
	}
	const struct ind *d = ref_exact(sh->hit->type, sh->hit->indicator);
	g->h[g->n++] =
	        (struct hit){sh->offset, sh->len, d != NULL ? d->v : "(unknown)", sh->hit->source};
	return 0;
}

/* The joined lines, repeated to 512 KiB or more after pad spaces (which
 * move every token against the 64-byte blocks of the tokenizer), scanned
 * in one call: the hits must be the lines' own, at their offsets, each
 * time over. */
static void check_whole(struct whole *w, bool refang, size_t pad)
{
	size_t reps = (512u << 10) / w->n + 2;
	char *t = malloc(pad + w->n * reps);
	assert_non_null(t);
	memset(t, ' ', pad);
	for (size_t r = 0; r < reps; r++)
		memcpy(t + pad + r * w->n, w->t, w->n);
	struct whole_got g = {.text = t};
	uint64_t newlines = 0;
	struct match_scan_opts o = {.refang = refang, .newlines = &newlines};
	struct crix_error err = {0};
	assert_int_equal(match_scan(ix, t, pad + w->n * reps, &o, on_whole_hit, &g, &err), 0);
	assert_false(g.out_of_order);
	assert_int_equal(g.bad_lines, 0);
	uint64_t want_nl = 0;
	for (size_t i = 0; i < pad + w->n * reps; i++)
		want_nl += t[i] == '\n';
	assert_int_equal(newlines, want_nl);
	qsort(g.h, g.n, sizeof *g.h, cmp_hit);
	size_t mismatches = g.n == w->nh * reps ? 0 : 1;
	for (size_t r = 0; r < reps && mismatches == 0; r++)
		for (size_t i = 0; i < w->nh; i++) {
			struct hit want = w->h[i];
			want.off += pad + r * w->n;
			if (cmp_hit(&want, &g.h[r * w->nh + i]) != 0) {
				fprintf(stderr,
				        "whole text (refang %s): want @%zu %s, got @%zu %s\n",
				        refang ? "on" : "off", want.off, want.ind,
				        g.h[r * w->nh + i].off, g.h[r * w->nh + i].ind);
				mismatches++;
				break;
			}
		}
	if (g.n != w->nh * reps)
		fprintf(stderr, "whole text (refang %s): %zu hits, want %zu\n",
		        refang ? "on" : "off", g.n, w->nh * reps);
	assert_int_equal(mismatches, 0);
	assert_true(w->nh > 1000); /* the text had hits to find */
	free(g.h);
	free(t);
}

/* The whole texts under every block classifier this CPU has (the portable
 * one everywhere), each at a few alignments. */
static void check_wholes(void)
{
	static const char *const simd[] = {"avx512", "avx2", "sse2", "portable"};
	static const size_t pads[] = {0, 1, 31, 63};
	size_t ran = 0;
	for (size_t k = 0; k < sizeof simd / sizeof simd[0]; k++) {
		if (match_scan_simd(simd[k]) != 0)
			continue;
		fprintf(stderr, "reference: whole texts with the %s classifier\n", simd[k]);
		for (size_t p = 0; p < sizeof pads / sizeof pads[0]; p++) {
			check_whole(&wholes[0], false, pads[p]);
			check_whole(&wholes[1], true, pads[p]);
		}
		ran++;
	}
	assert_int_equal(match_scan_simd(NULL), 0);
	assert_true(ran >= 1);
	for (int r = 0; r < 2; r++) {
		free(wholes[r].t);
		free(wholes[r].h);
		memset(&wholes[r], 0, sizeof wholes[r]);
	}
}

static void test_against_reference(void **state)
{
	(void)state;
	/* CRIX_REF_SEED=n tries other data; the default is fixed */
	const char *seed = getenv("CRIX_REF_SEED");
	rng = seed != NULL ? strtoull(seed, NULL, 0) : SEED;
	struct crix_error err = {0};
	assert_int_equal(match_index_new(&ix, &err), 0);
	struct match_source a = {.name = "ref-a"}, b = {.name = "ref-b"};
	assert_int_equal(match_index_add_source(ix, &a, &source_id[0], &err), 0);
	assert_int_equal(match_index_add_source(ix, &b, &source_id[1], &err), 0);
	ninds = 0;
	memset(nby_type, 0, sizeof nby_type);
	build_set();

	static struct line ln;
	struct totals tot = {0};
	for (int i = 0; i < LINES; i++) {
		/* the second half with the filter a finished load builds */
		if (i == LINES / 2)
			match_index_shrink(ix);
		gen_line(&ln);
		check_line(&ln, false, &tot);
		check_line(&ln, true, &tot);
	}
	/* lines whose fields repeat (the memo of the whole-text scans) */
	make_pools();
	for (int i = 0; i < LINES / 5; i++) {
		gen_field_line(&ln);
		check_line(&ln, false, &tot);
		check_line(&ln, true, &tot);
	}
	fprintf(stderr, "reference: %zu scans, %zu hits, %zu mismatches; by type:", tot.lines,
	        tot.hits, tot.mismatches);
	for (int t = 1; t < IOC_TYPE_COUNT; t++)
		if (tot.by_type[t] > 0)
			fprintf(stderr, " %s %zu", ioc_type_name((enum ioc_type)t), tot.by_type[t]);
	fprintf(stderr, "\n");
	assert_int_equal(tot.mismatches, 0);
	check_wholes();
	/* the data exercised every kind of hit, not only a few */
	static const enum ioc_type every[] = {IOC_IPV4,   IOC_IPV6,   IOC_CIDR4, IOC_CIDR6,
	                                      IOC_DOMAIN, IOC_URL,    IOC_EMAIL, IOC_MD5,
	                                      IOC_SHA1,   IOC_SHA256, IOC_SHA512};
	for (size_t i = 0; i < sizeof every / sizeof every[0]; i++)
		if (tot.by_type[every[i]] < 20)
			fail_msg("only %zu %s hits", tot.by_type[every[i]],
			         ioc_type_name(every[i]));
	match_index_free(ix);
	ix = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_against_reference),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
