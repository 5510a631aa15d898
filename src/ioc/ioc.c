/*
 * ioc.c - the context, type names, and dispatch of ioc_parse / ioc_guess.
 */
#include "ioc/ioc_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const type_names[IOC_TYPE_COUNT] = {
        [IOC_NONE] = "none",   [IOC_IPV4] = "ipv4",     [IOC_IPV6] = "ipv6",
        [IOC_CIDR4] = "cidr4", [IOC_CIDR6] = "cidr6",   [IOC_DOMAIN] = "domain",
        [IOC_URL] = "url",     [IOC_EMAIL] = "email",   [IOC_MD5] = "md5",
        [IOC_SHA1] = "sha1",   [IOC_SHA256] = "sha256", [IOC_SHA512] = "sha512",
        [IOC_PHONE] = "phone", [IOC_IBAN] = "iban",     [IOC_CARD] = "card",
        [IOC_BTC] = "btc",     [IOC_ETH] = "eth",       [IOC_ASN] = "asn",
        [IOC_CVE] = "cve",
};

const char *ioc_type_name(enum ioc_type type)
{
	if ((int)type < 0 || type >= IOC_TYPE_COUNT)
		return "?";
	return type_names[type];
}

enum ioc_type ioc_type_from_name(const char *name)
{
	if (name == NULL)
		return IOC_NONE;
	for (int t = IOC_NONE + 1; t < IOC_TYPE_COUNT; t++)
		if (strcmp(name, type_names[t]) == 0)
			return (enum ioc_type)t;
	return IOC_NONE;
}

int ioc_value_set(struct ioc_value *out, enum ioc_type type, const char *s, size_t n,
                  struct crix_error *err)
{
	if (n >= sizeof out->v)
		return crix_error_set(err, CRIX_ETOOBIG, "%s: value longer than %d bytes",
		                      ioc_type_name(type), IOC_VALUE_MAX - 1);
	memmove(out->v, s, n);
	out->v[n] = '\0';
	out->len = n;
	out->type = type;
	return 0;
}

/* Context serial numbers: a per-thread cache entry names the context it was
 * filled from, and a pointer could be reused by a later context. */
static _Atomic uint64_t ctx_serials;

int ioc_ctx_new(struct ioc_ctx **out, struct crix_error *err)
{
	struct ioc_ctx *ctx = calloc(1, sizeof *ctx);
	if (ctx == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	if (!ioc_suffix_load(ctx)) {
		free(ctx);
		return crix_error_set(err, CRIX_EIO,
		                      "no public suffix list available "
		                      "(install the publicsuffix package)");
	}
	ctx->serial = ++ctx_serials;
	*out = ctx;
	return 0;
}

void ioc_ctx_free(struct ioc_ctx *ctx)
{
	if (ctx == NULL)
		return;
	ioc_suffix_free(ctx);
	free(ctx);
}

/* Strips surrounding ASCII white space: values from files and forms carry it. */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' ||
	                  (*s)[*n - 1] == '\n'))
		(*n)--;
}

/* The parser of one type, for a value already trimmed, non-empty and free of
 * NUL bytes (what ioc_parse checks first). */
static int parse_trimmed(const struct ioc_ctx *ctx, enum ioc_type type, const char *s, size_t len,
                         const struct ioc_opts *opts, struct ioc_value *out, struct crix_error *err)
{
	switch (type) {
	case IOC_IPV4: return ioc_parse_ipv4(s, len, out, err);
	case IOC_IPV6: return ioc_parse_ipv6(s, len, out, err);
	case IOC_CIDR4:
	case IOC_CIDR6: {
		int rc = ioc_parse_cidr(s, len, out, err);
		if (rc == 0 && out->type != type)
			return crix_error_set(err, CRIX_EINVAL, "%s: not an IP%s network",
			                      ioc_type_name(type), type == IOC_CIDR4 ? "v4" : "v6");
		return rc;
	}
	case IOC_DOMAIN: return ioc_parse_domain(ctx, s, len, out, err);
	case IOC_URL: return ioc_parse_url(ctx, s, len, out, err);
	case IOC_EMAIL: return ioc_parse_email(ctx, s, len, out, err);
	case IOC_MD5:
	case IOC_SHA1:
	case IOC_SHA256:
	case IOC_SHA512: return ioc_parse_hash(type, s, len, out, err);
	case IOC_PHONE: return ioc_parse_phone(s, len, opts != NULL ? opts->country : "", out, err);
	case IOC_IBAN: return ioc_parse_iban(s, len, out, err);
	case IOC_CARD: return ioc_parse_card(s, len, out, err);
	case IOC_BTC: return ioc_parse_btc(s, len, out, err);
	case IOC_ETH: return ioc_parse_eth(s, len, out, err);
	case IOC_ASN: return ioc_parse_asn(s, len, out, err);
	case IOC_CVE: return ioc_parse_cve(s, len, out, err);
	default: return crix_error_set(err, CRIX_EINVAL, "unknown indicator type %d", (int)type);
	}
}

int ioc_parse(const struct ioc_ctx *ctx, enum ioc_type type, const char *s, size_t len,
              const struct ioc_opts *opts, struct ioc_value *out, struct crix_error *err)
{
	trim(&s, &len);
	if (len == 0)
		return crix_error_set(err, CRIX_EINVAL, "%s: empty value", ioc_type_name(type));
	if (memchr(s, '\0', len) != NULL)
		return crix_error_set(err, CRIX_EINVAL, "%s: value contains a NUL byte",
		                      ioc_type_name(type));
	return parse_trimmed(ctx, type, s, len, opts, out, err);
}

/*
 * Guessing order: the types whose syntax is most distinctive first, so that
 * a 40-hex-digit value with 0x is an Ethereum address, not a SHA-1, and a
 * digit run is a card only when Luhn and the issuer prefix agree.
 */
#define GUESS_ORDER(X)                                                                             \
	X(URL)                                                                                     \
	X(EMAIL)                                                                                   \
	X(CIDR4)                                                                                   \
	X(CIDR6)                                                                                   \
	X(IPV4)                                                                                    \
	X(IPV6)                                                                                    \
	X(CVE)                                                                                     \
	X(ASN)                                                                                     \
	X(ETH)                                                                                     \
	X(MD5)                                                                                     \
	X(SHA1)                                                                                    \
	X(SHA256)                                                                                  \
	X(SHA512)                                                                                  \
	X(IBAN)                                                                                    \
	X(BTC)                                                                                     \
	X(DOMAIN)                                                                                  \
	X(PHONE)                                                                                   \
	X(CARD)
#define GUESS_TYPE(t) IOC_##t,
#define GUESS_RANK(t) RANK_##t,
static const enum ioc_type guess_order[] = {GUESS_ORDER(GUESS_TYPE)};
/* The bit of a type in a guess_types mask is its place in guess_order, so
 * that the types are tried lowest bit first. */
enum { GUESS_ORDER(GUESS_RANK) };
#define G(t) (1u << RANK_##t)

/*
 * The types of guess_order that can accept a value of this shape: a type is
 * left out only when its parser is sure to refuse the value, so the first
 * type that accepts it is the same as when every parser is tried.  Bulk
 * loads guess millions of values, most of them domains, which would
 * otherwise go through fifteen parsers first.
 *   url    "://" after the scheme          email  an '@'
 *   cidr   a '/'                           ipv4   a leading digit, <= 15 bytes
 *   ipv6   a ':'                           cve    "CVE-" ("cve-") and >= 13 bytes
 *   asn    "AS" first (bare numbers are never guessed as ASNs)
 *   eth    "0x" and 42 bytes               hashes 32, 40, 64 or 128 bytes
 *   iban, btc  no '.' (letters, digits and, for IBAN, spaces)
 * Domain, phone and card are always tried.  A NUL byte, which every parser
 * refuses (ioc_parse), leaves none.
 */
static uint32_t guess_types(const char *s, size_t len)
{
	/* one table load and OR per byte, four bytes a turn */
	static const uint8_t cls[256] = {['@'] = 1, ['/'] = 2, [':'] = 4, ['.'] = 8, ['\0'] = 16};
	const unsigned char *u = (const unsigned char *)s;
	unsigned f = 0;
	size_t i = 0;
	for (; i + 4 <= len; i += 4)
		f |= cls[u[i]] | cls[u[i + 1]] | cls[u[i + 2]] | cls[u[i + 3]];
	for (; i < len; i++)
		f |= cls[u[i]];
	bool at = f & 1, slash = f & 2, colon = f & 4, dot = f & 8;
	if (f & 16)
		return 0;
	uint32_t m = G(DOMAIN) | G(PHONE) | G(CARD);
	if (!dot)
		m |= G(IBAN) | G(BTC);
	if (colon && slash)
		m |= G(URL);
	if (at)
		m |= G(EMAIL);
	if (slash)
		m |= G(CIDR4) | G(CIDR6);
	if (ioc_is_digit((unsigned char)s[0]) && len <= 15)
		m |= G(IPV4);
	if (colon)
		m |= G(IPV6);
	if (len >= 13 && ioc_upper((unsigned char)s[0]) == 'C')
		m |= G(CVE);
	if (len >= 2 && ioc_upper((unsigned char)s[0]) == 'A' &&
	    ioc_upper((unsigned char)s[1]) == 'S')
		m |= G(ASN);
	if (len == 42 && s[0] == '0')
		m |= G(ETH);
	if (len == 32)
		m |= G(MD5);
	if (len == 40)
		m |= G(SHA1);
	if (len == 64)
		m |= G(SHA256);
	if (len == 128)
		m |= G(SHA512);
	return m;
}

int ioc_guess(const struct ioc_ctx *ctx, const char *s, size_t len, const struct ioc_opts *opts,
              struct ioc_value *out, struct crix_error *err)
{
	trim(&s, &len);
	/* every parser refuses an empty value */
	for (uint32_t m = len > 0 ? guess_types(s, len) : 0; m != 0; m &= m - 1)
		if (parse_trimmed(ctx, guess_order[__builtin_ctz(m)], s, len, opts, out, NULL) == 0)
			return 0;
	return crix_error_set(err, CRIX_EINVAL, "not a recognised indicator of any type");
}
