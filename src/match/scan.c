/*
 * scan.c - find the index's indicators in logs and other text.
 *
 * A hand-written tokenizer, not a regular expression per line: one pass
 * splits the text into maximal runs of host characters ([A-Za-z0-9._-] and
 * non-ASCII bytes), collecting per run a few bits (has a dot, all digits
 * and dots, all hex, has upper case).  Only runs whose shape could match a
 * type the index holds are looked at further, and only those whose last
 * label is a TLD some stored domain has are lower-cased and probed.  Because
 * runs are maximal, "1.2.3.4" never matches inside "11.2.3.45" and
 * "evil.com" never inside "notevil.com".
 *
 * Types the tokenizer does not recognise (phones, IBANs, wallets, ...) are
 * found, when the index holds any, by the full extractor (src/ioc).
 */
#include "match/match_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
	S_TOK = 1 << 0,   /* part of a run */
	S_DOT = 1 << 1,   /* '.' */
	S_UPPER = 1 << 2, /* A-Z */
	S_ALPHA = 1 << 3,
	S_NOTHEX = 1 << 4,    /* a run byte that is not a hex digit */
	S_NOTDIGDOT = 1 << 5, /* a run byte that is neither digit nor '.' */
	S_HIGH = 1 << 6,      /* >= 0x80 */
	S_URLEND = 1 << 7     /* ends a URL */
};

static uint8_t sc[256];

static void init_classes(void)
{
	for (int c = 0; c < 256; c++) {
		uint8_t k = 0;
		bool tok = ioc_is_alnum((unsigned char)c) || c == '.' || c == '-' || c == '_' ||
		           c >= 0x80;
		if (tok) {
			k |= S_TOK;
			if (!ioc_is_hex((unsigned char)c))
				k |= S_NOTHEX;
			if (!ioc_is_digit((unsigned char)c) && c != '.')
				k |= S_NOTDIGDOT;
		}
		if (c == '.')
			k |= S_DOT;
		if (c >= 'A' && c <= 'Z')
			k |= S_UPPER;
		if (ioc_is_alpha((unsigned char)c))
			k |= S_ALPHA;
		if (c >= 0x80)
			k |= S_HIGH;
		if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
		    c == '`' || c == '{' || c == '}' || c == '|' || c == '\\' || c == '^')
			k |= S_URLEND;
		sc[c] = k;
	}
}

struct scanner {
	struct match_index *ix;
	const unsigned char *t; /* scanned text (refanged copy or the input) */
	size_t len;
	const uint32_t *map; /* t offset -> input offset when refanged */
	size_t orig_len;
	match_scan_fn fn;
	void *arg;
	int rc;
	/* the token being reported, in t */
	size_t tok_start, tok_end;
	bool want_ip4, want_ip6, want_host, want_url, want_email, want_hash;
	const struct ioc_ctx *ioc; /* for IDN hosts and URLs, created on demand */
	struct ioc_ctx *own_ioc;
	char buf[IOC_VALUE_MAX];
	char ubuf[IOC_VALUE_MAX]; /* a URL with JSON's "\/" unescaped */
	struct ioc_value v;
};

static int on_hit(void *arg, const struct match_hit *h)
{
	struct scanner *s = arg;
	size_t a = s->tok_start, b = s->tok_end;
	if (s->map != NULL) {
		size_t ra = s->map[a];
		size_t rb = b < s->len ? s->map[b] : s->orig_len;
		a = ra;
		b = rb;
	}
	struct match_scan_hit sh = {.offset = a, .len = b - a, .hit = h};
	s->rc = s->fn(s->arg, &sh);
	return s->rc;
}

static const struct ioc_ctx *need_ioc(struct scanner *s)
{
	if (s->ioc == NULL && ioc_ctx_new(&s->own_ioc, NULL) == 0)
		s->ioc = s->own_ioc;
	return s->ioc;
}

/*
 * The length of the UTF-8 punctuation or space that starts at t[i] (a byte
 * >= 0x80), or 0: quotes, guillemets, no-break spaces, dashes and CJK
 * brackets end a run as ASCII punctuation does, so that "\u201cevil.com\u201d"
 * is "evil.com".  The ideographic full stops stay: IDNA reads them as dots.
 */
static size_t utf8_punct(const unsigned char *t, size_t len, size_t i)
{
	if (t[i] == 0xc2 && i + 1 < len && t[i + 1] >= 0xa0 && t[i + 1] <= 0xbf)
		return t[i + 1] != 0xaa && t[i + 1] != 0xb5 && t[i + 1] != 0xba ? 2 : 0;
	if (t[i] == 0xc3 && i + 1 < len && (t[i + 1] == 0x97 || t[i + 1] == 0xb7))
		return 2; /* multiplication and division signs */
	if ((t[i] & 0xf0) != 0xe0 || i + 2 >= len || (t[i + 1] & 0xc0) != 0x80 ||
	    (t[i + 2] & 0xc0) != 0x80)
		return 0;
	uint32_t c = (uint32_t)(t[i] & 0x0f) << 12 | (uint32_t)(t[i + 1] & 0x3f) << 6 |
	             (uint32_t)(t[i + 2] & 0x3f);
	bool p = (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f && c != 0x3002) ||
	         c == 0xfeff || (c >= 0xff01 && c <= 0xff0f && c != 0xff0e) ||
	         (c >= 0xff1a && c <= 0xff20) || (c >= 0xff3b && c <= 0xff40) ||
	         (c >= 0xff5b && c <= 0xff65 && c != 0xff61);
	return p ? 3 : 0;
}

/* A dotted quad, strictly (no leading zeros), into 4 bytes. */
static bool parse_ipv4(const unsigned char *p, size_t n, uint8_t a[4])
{
	return n >= 7 && n <= 15 && ioc_ipv4_bytes((const char *)p, n, a);
}

static void host_token(struct scanner *s, size_t a, size_t b, unsigned flags)
{
	const unsigned char *t = s->t;
	/* last label: letters only (or an xn-- label), two or more */
	size_t k = b;
	while (k > a && t[k - 1] != '.')
		k--;
	if (k == a || b - k < 2)
		return;
	bool ace = b - k > 4 && (t[k] | 0x20) == 'x' && (t[k + 1] | 0x20) == 'n' &&
	           t[k + 2] == '-' && t[k + 3] == '-';
	if (!ace && !(flags & S_HIGH)) {
		for (size_t q = k; q < b; q++)
			if (!ioc_is_alpha(t[q]))
				return;
	}
	size_t n = b - a;
	if (n >= sizeof s->buf)
		return;
	const char *host;
	if (flags & S_HIGH) {
		/* an internationalised name: canonicalise it properly */
		if (need_ioc(s) == NULL ||
		    ioc_parse(s->ioc, IOC_DOMAIN, (const char *)t + a, n, NULL, &s->v, NULL) != 0)
			return;
		host = s->v.v;
		n = s->v.len;
		k = n;
		while (k > 0 && host[k - 1] != '.')
			k--;
		if (!match_store_has_tld(&s->ix->main, host + k, n - k))
			return;
	} else {
		if (flags & S_UPPER) {
			for (size_t q = 0; q < n; q++)
				s->buf[q] = (char)ioc_lower(t[a + q]);
			host = s->buf;
		} else {
			host = (const char *)t + a;
		}
		if (!match_store_has_tld(&s->ix->main, host + (k - a), b - k))
			return;
	}
	s->tok_start = a;
	s->tok_end = b;
	uint32_t id = match_store_suffix(&s->ix->main, host, n, NULL);
	if (id != MATCH_NONE)
		match_report_chain(s->ix, id, on_hit, s);
}

/* The run at [a, b) is followed by "://" (esc: by JSON's ":\/\/", and "\/"
 * is "/" throughout): report the URL if it is one.  Returns its end. */
static size_t url_token(struct scanner *s, size_t a, size_t b, bool esc)
{
	const unsigned char *t = s->t;
	size_t body = b + (esc ? 5 : 3);
	size_t e = body;
	while (e < s->len) {
		if (esc && t[e] == '\\' && e + 1 < s->len && t[e + 1] == '/') {
			e += 2;
			continue;
		}
		if ((sc[t[e]] & S_URLEND) || (t[e] >= 0x80 && utf8_punct(t, s->len, e) > 0))
			break; /* "\u201chttp://evil.com/x\u201d" */
		e++;
	}
	while (e > body && strchr(".,;:!?)]*", t[e - 1]) != NULL && t[e - 1] != '\0')
		e--;
	const char *u = (const char *)t + a;
	size_t un = e - a;
	if (esc) {
		if (un >= sizeof s->ubuf)
			return e;
		un = 0;
		for (size_t q = a; q < e; q++) {
			if (t[q] == '\\' && q + 1 < e && t[q + 1] == '/')
				q++;
			s->ubuf[un++] = (char)t[q];
		}
		u = s->ubuf;
	}
	/* the host: after any userinfo (which may hold a ':'), up to '/', '?',
	 * '#' or the port; an IPv6 literal with its brackets */
	size_t h = b - a + 3, he = h;
	for (size_t q = h; q < un && u[q] != '/' && u[q] != '?' && u[q] != '#'; q++)
		if (u[q] == '@')
			he = q + 1; /* the last '@', as ioc_parse_url reads it */
	h = he;
	bool literal6 = h < un && u[h] == '[';
	if (literal6) {
		while (he < un && u[he] != ']' && u[he] != '/')
			he++;
		if (he < un && u[he] == ']')
			he++;
	} else {
		while (he < un && u[he] != '/' && u[he] != '?' && u[he] != '#' && u[he] != ':')
			he++;
	}
	if (he == h || he - h >= sizeof s->buf)
		return e;
	for (size_t q = h; q < he; q++)
		s->buf[q - h] = (char)ioc_lower((unsigned char)u[q]);
	size_t hn = he - h;
	if (hn > 0 && s->buf[hn - 1] == '.')
		hn--;
	/* IPv6 literals and internationalised names have many spellings:
	 * those few URLs are parsed without the prefilter */
	bool spelled = literal6;
	for (size_t q = 0; q < hn && !spelled; q++)
		spelled = (unsigned char)s->buf[q] >= 0x80;
	if (!spelled && !match_store_has_urlhost(&s->ix->main, s->buf, hn))
		return e;
	if (need_ioc(s) == NULL || ioc_parse(s->ioc, IOC_URL, u, un, NULL, &s->v, NULL) != 0)
		return e;
	uint32_t id = match_store_find(&s->ix->main, IOC_URL, s->v.v, s->v.len);
	if (id != MATCH_NONE) {
		s->tok_start = a;
		s->tok_end = e;
		match_report_chain(s->ix, id, on_hit, s);
	}
	return e;
}

/* An IPv6 candidate at t[a]: hex digits, colons and (for a trailing dotted
 * quad) dots.  Returns its end, or a when it is not an address. */
static size_t ipv6_token(struct scanner *s, size_t a)
{
	const unsigned char *t = s->t;
	if (a > 0 && (ioc_is_alnum(t[a - 1]) || t[a - 1] == ':' || t[a - 1] == '.'))
		return a;
	size_t e = a, colons = 0;
	bool dbl = false; /* "::" seen */
	while (e < s->len && e - a < 46 && (ioc_is_hex(t[e]) || t[e] == ':' || t[e] == '.')) {
		dbl |= t[e] == ':' && e > a && t[e - 1] == ':';
		colons += t[e] == ':';
		e++;
	}
	while (e > a && (t[e - 1] == '.' || (t[e - 1] == ':' && !(e - a >= 2 && t[e - 2] == ':'))))
		e--;
	if (colons < 2 || (e < s->len && (ioc_is_alnum(t[e]) || t[e] == '_')))
		return a;
	/* an address has "::", or 7 colons, or 6 and a dotted quad: times like
	 * "2025:13:55:36" stop here, before the full parser */
	if (colons < 6 && !dbl)
		return a;
	uint8_t addr[16];
	if (!ioc_ipv6_bytes((const char *)t + a, e - a, addr))
		return a;
	s->tok_start = a;
	s->tok_end = e;
	match_lookup_ipv6_locked(s->ix, addr, on_hit, s);
	return e;
}

/* "bob@evil.com": the local part ends at a ('@' at t[a]); the domain is the
 * run [d, b). */
static void email_token(struct scanner *s, size_t at, size_t b)
{
	const unsigned char *t = s->t;
	/* The local part as the extractor takes it: letters, digits and
	 * "._%+-", so that "user=bob@x", "'bob@x'" and "/u/bob@x" are bob's;
	 * the rarer specials ("o'brien@x") only between alphanumerics. */
	size_t l = at;
	while (l > 0 && (ioc_is_alnum(t[l - 1]) || strchr("._%+-", t[l - 1]) != NULL) &&
	       t[l - 1] != '\0')
		l--;
	if (l < at)
		l = ioc_email_local_start(t, l, 0);
	while (l < at && t[l] == '.')
		l++;
	size_t n = b - l;
	if (l == at || n >= sizeof s->buf)
		return;
	memcpy(s->buf, t + l, at - l + 1);
	for (size_t q = at + 1; q < b; q++)
		s->buf[q - l] = (char)ioc_lower(t[q]);
	uint32_t id = match_store_find(&s->ix->main, IOC_EMAIL, s->buf, n);
	if (id != MATCH_NONE) {
		s->tok_start = l;
		s->tok_end = b;
		match_report_chain(s->ix, id, on_hit, s);
	}
}

static void hash_token(struct scanner *s, size_t a, size_t b)
{
	size_t n = b - a;
	enum ioc_type type = n == 32   ? IOC_MD5
	                     : n == 40 ? IOC_SHA1
	                     : n == 64 ? IOC_SHA256
	                               : IOC_SHA512;
	if (!(s->ix->main.types & (1u << type)))
		return;
	for (size_t q = 0; q < n; q++)
		s->buf[q] = (char)ioc_lower(s->t[a + q]);
	uint32_t id = match_store_find(&s->ix->main, type, s->buf, n);
	if (id != MATCH_NONE) {
		s->tok_start = a;
		s->tok_end = b;
		match_report_chain(s->ix, id, on_hit, s);
	}
}

static bool is_hash_len(size_t n)
{
	return n == 32 || n == 40 || n == 64 || n == 128;
}

/* "sample_<md5>.bin": hashes between '_' and '.' inside a longer run. */
static void hash_segments(struct scanner *s, size_t a, size_t b)
{
	const unsigned char *t = s->t;
	size_t p = a;
	while (p < b && s->rc == 0) {
		size_t q = p;
		bool hex = true;
		while (q < b && t[q] != '_' && t[q] != '.' && t[q] != '-') {
			hex &= ioc_is_hex(t[q]);
			q++;
		}
		if (hex && is_hash_len(q - p) && (p > a || q < b))
			hash_token(s, p, q);
		p = q + 1;
	}
}

static void scan(struct scanner *s)
{
	const unsigned char *t = s->t;
	size_t len = s->len;
	size_t i = 0;
	while (i < len && s->rc == 0) {
		/* between runs */
		while (i < len && !(sc[t[i]] & S_TOK)) {
			if (t[i] == ':' && s->want_ip6 && i + 1 < len && t[i + 1] == ':') {
				size_t e = ipv6_token(s, i);
				if (e > i) {
					i = e;
					continue;
				}
			}
			i++;
		}
		if (i >= len)
			break;
		if (t[i] >= 0x80) {
			size_t k = utf8_punct(t, len, i);
			if (k > 0) {
				i += k;
				continue;
			}
		}
		size_t a = i, run = i;
		unsigned f = 0;
		while (i < len && (sc[t[i]] & S_TOK))
			f |= sc[t[i++]];
		if (f & S_HIGH) {
			/* typographic punctuation inside the run ends it there (ASCII
			 * runs, the common case, do not pay for this) */
			for (size_t q = a + 1; q < i; q++)
				if (t[q] >= 0x80 && utf8_punct(t, len, q) > 0) {
					i = q;
					f = 0;
					for (size_t r = a; r < q; r++)
						f |= sc[t[r]];
					break;
				}
		}
		size_t b = i;
		/* "evil.example." and "-evil.example": edges that are punctuation */
		while (b > a && (t[b - 1] == '.' || t[b - 1] == '-' || t[b - 1] == '_'))
			b--;
		while (a < b && (t[a] == '.' || t[a] == '-'))
			a++;
		if (a == b)
			continue;
		if (b != i || a != run) {
			/* the shape of what is left: "<sha256>." is a hash */
			f = 0;
			for (size_t q = a; q < b; q++)
				f |= sc[t[q]];
		}
		size_t n = b - a;
		unsigned char next = i < len ? t[i] : 0;

		if (next == ':') {
			if (s->want_url &&
			    !(f & ~(S_TOK | S_ALPHA | S_UPPER | S_NOTHEX | S_NOTDIGDOT)) &&
			    n <= 5 && i + 2 < len && t[i + 1] == '/' && t[i + 2] == '/') {
				url_token(s, a, i, false);
				i += 3; /* the host is the next run */
				continue;
			}
			if (s->want_url &&
			    !(f & ~(S_TOK | S_ALPHA | S_UPPER | S_NOTHEX | S_NOTDIGDOT)) &&
			    n <= 5 && i + 4 < len && t[i + 1] == '\\' && t[i + 2] == '/' &&
			    t[i + 3] == '\\' && t[i + 4] == '/') {
				url_token(s, a, i, true); /* JSON: "http:\/\/host\/path" */
				i += 5;
				continue;
			}
			if (s->want_ip6 && n <= 4 && !(f & (S_NOTHEX | S_DOT))) {
				size_t e = ipv6_token(s, a);
				if (e > a) {
					i = e;
					continue;
				}
			}
		}
		if (a > 0 && t[a - 1] == '@' && s->want_email)
			email_token(s, a - 1, b);
		if (f & S_DOT) {
			if (!(f & S_NOTDIGDOT)) {
				uint8_t ip[4];
				if (s->want_ip4 && parse_ipv4(t + a, n, ip)) {
					s->tok_start = a;
					s->tok_end = b;
					match_lookup_ipv4_locked(s->ix, ip, on_hit, s);
				}
			} else if (s->want_host && (f & (S_ALPHA | S_HIGH))) {
				host_token(s, a, b, f);
			}
		}
		if (s->want_hash && n >= 32) {
			if (!(f & S_NOTHEX) && is_hash_len(n))
				hash_token(s, a, b);
			else if (n > 32)
				hash_segments(s, a, b);
		}
	}
}

/* Types only the full extractor finds. */
#define OTHER_TYPES                                                                                \
	((1u << IOC_PHONE) | (1u << IOC_IBAN) | (1u << IOC_CARD) | (1u << IOC_BTC) |               \
	 (1u << IOC_ETH) | (1u << IOC_ASN) | (1u << IOC_CVE))

struct other_ctx {
	struct scanner *s;
	const char *base; /* the text given to ioc_extract */
};

static int other_hit(void *arg, const struct ioc_match *m)
{
	struct other_ctx *o = arg;
	struct scanner *s = o->s;
	uint32_t id = match_store_find(&s->ix->main, m->type, m->value, m->value_len);
	if (id == MATCH_NONE)
		return 0;
	/* ioc_extract reports offsets in the original text already */
	struct scanner tmp = *s;
	tmp.map = NULL;
	tmp.tok_start = m->offset;
	tmp.tok_end = m->offset + m->raw_len;
	match_report_chain(s->ix, id, on_hit, &tmp);
	s->rc = tmp.rc;
	return s->rc;
}

int match_scan(struct match_index *ix, const char *text, size_t len,
               const struct match_scan_opts *opts, match_scan_fn fn, void *arg,
               struct crix_error *err)
{
	/* once: threads that scan at the same time must not see a half-built
	 * table (a check of one entry would let them) */
	static pthread_once_t classes_once = PTHREAD_ONCE_INIT;
	pthread_once(&classes_once, init_classes);
	bool refang = opts != NULL && opts->refang;
	pthread_rwlock_rdlock(&ix->lock);
	uint32_t types = ix->main.types;
	struct scanner *s = calloc(1, sizeof *s);
	if (s == NULL) {
		pthread_rwlock_unlock(&ix->lock);
		return crix_error_set(err, CRIX_ENOMEM, "scan: out of memory");
	}
	s->ix = ix;
	s->t = (const unsigned char *)text;
	s->len = len;
	s->orig_len = len;
	s->fn = fn;
	s->arg = arg;
	s->want_ip4 = types & ((1u << IOC_IPV4) | (1u << IOC_CIDR4));
	s->want_ip6 = s->want_ip4 || (types & ((1u << IOC_IPV6) | (1u << IOC_CIDR6)));
	s->want_host = types & (1u << IOC_DOMAIN);
	s->want_url = types & (1u << IOC_URL);
	s->want_email = types & (1u << IOC_EMAIL);
	s->want_hash = types & ((1u << IOC_MD5) | (1u << IOC_SHA1) | (1u << IOC_SHA256) |
	                        (1u << IOC_SHA512));
	char *copy = NULL;
	uint32_t *map = NULL;
	int rc = 0;
	if (refang && len > 0) {
		copy = malloc(len);
		map = malloc(len * sizeof *map);
		size_t n;
		if (copy == NULL || map == NULL) {
			rc = crix_error_set(err, CRIX_ENOMEM, "scan: out of memory");
			goto out;
		}
		if ((rc = ioc_refang(text, len, copy, len, map, &n, err)) != 0)
			goto out;
		s->t = (const unsigned char *)copy;
		s->len = n;
		s->map = map;
	}
	scan(s);
	if (s->rc == 0 && (types & OTHER_TYPES) && need_ioc(s) != NULL) {
		struct ioc_extract_opts eo = {.types = types & OTHER_TYPES, .refang = refang};
		struct other_ctx oc = {.s = s, .base = text};
		/* a second pass; its hits come after the first pass's for this
		 * buffer, which callers that sort by offset do not mind */
		rc = ioc_extract(s->ioc, text, len, &eo, other_hit, &oc, err);
	}
	if (rc == 0)
		rc = s->rc;
out:
	pthread_rwlock_unlock(&ix->lock);
	ioc_ctx_free(s->own_ioc);
	free(s);
	free(copy);
	free(map);
	return rc;
}
