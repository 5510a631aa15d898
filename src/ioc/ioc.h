/*
 * ioc.h - indicators of compromise: types, canonical forms, extraction.
 *
 * Every indicator crix stores, matches or shares is held in one canonical
 * form per type, so that two spellings of the same thing compare equal as
 * bytes:
 *   ipv4    dotted quad, no leading zeros            198.51.100.7
 *   ipv6    RFC 5952 text (::ffff:1.2.3.4 kept)       2001:db8::1
 *   cidr4   network/len with host bits cleared        198.51.100.0/24
 *   cidr6   RFC 5952 network/len                      2001:db8::/32
 *   domain  lower-case A-labels, no trailing dot,     xn--bcher-kva.example.com
 *           registrable under a known public suffix
 *   url     RFC 3986 normalised, host canonical        http://evil.com/a%2Fb
 *   email   local part as written, domain canonical   Bob.Smith@example.com
 *   md5 sha1 sha256 sha512   lower-case hex of exact length
 *   phone   E.164                                     +442079460958
 *   iban    upper-case, no spaces, mod-97 valid       GB82WEST12345698765432
 *   card    masked: first 6, last 4, Luhn-checked     411111******1111
 *   btc     base58check as written; bech32 lower-case
 *   eth     0x + 40 lower-case hex (EIP-55 verified when mixed case)
 *   asn     AS<number>                                AS64496
 *   cve     CVE-YYYY-NNNN+ upper-case                 CVE-2021-44228
 *
 * Ownership: struct ioc_ctx is created once and is read-only afterwards, so
 * one context may be shared by any number of threads.  Values are returned in
 * caller-owned struct ioc_value buffers; nothing here allocates per call
 * except ioc_extract with refanging (a scratch copy freed before return).
 */
#ifndef CRIX_IOC_H
#define CRIX_IOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum ioc_type {
	IOC_NONE = 0,
	IOC_IPV4,
	IOC_IPV6,
	IOC_CIDR4,
	IOC_CIDR6,
	IOC_DOMAIN,
	IOC_URL,
	IOC_EMAIL,
	IOC_MD5,
	IOC_SHA1,
	IOC_SHA256,
	IOC_SHA512,
	IOC_PHONE,
	IOC_IBAN,
	IOC_CARD,
	IOC_BTC,
	IOC_ETH,
	IOC_ASN,
	IOC_CVE,
	IOC_TYPE_COUNT
};

/* Longest canonical value crix accepts (URLs are the long ones). */
#define IOC_VALUE_MAX 4096

/* A canonical value: NUL-terminated v of length len. */
struct ioc_value {
	enum ioc_type type;
	size_t len;
	char v[IOC_VALUE_MAX];
};

/* Parsing options.  Zero-initialised means "no default country". */
struct ioc_opts {
	char country[3]; /* ISO 3166-1 alpha-2 for national phone numbers, or "" */
};

struct ioc_ctx;

/*
 * Creates the shared context (loads the public suffix list of the system).
 * OUT: *out, freed with ioc_ctx_free.
 */
int ioc_ctx_new(struct ioc_ctx **out, struct crix_error *err);
void ioc_ctx_free(struct ioc_ctx *ctx);

/* "ipv4", "domain", ... ; "?" for out-of-range values. */
const char *ioc_type_name(enum ioc_type type);

/* The type named name (also accepts "ip", "cidr", "hash", "wallet" aliases
 * through ioc_parse_any); IOC_NONE if unknown. */
enum ioc_type ioc_type_from_name(const char *name);

/*
 * Parses one value of the given type (s need not be NUL-terminated) into its
 * canonical form.  On failure returns CRIX_EINVAL and err says why, e.g.
 * "ipv4: octet 3 has a leading zero".
 */
int ioc_parse(const struct ioc_ctx *ctx, enum ioc_type type, const char *s, size_t len,
              const struct ioc_opts *opts, struct ioc_value *out, struct crix_error *err);

/*
 * Guesses the type of one value (trying the types from the most to the least
 * specific) and parses it.  OUT: out->type.  Fails with CRIX_EINVAL when no
 * type accepts the value.
 */
int ioc_guess(const struct ioc_ctx *ctx, const char *s, size_t len, const struct ioc_opts *opts,
              struct ioc_value *out, struct crix_error *err);

/* One indicator found in text. */
struct ioc_match {
	enum ioc_type type;
	const char *value; /* canonical, NUL-terminated */
	size_t value_len;
	const char *raw; /* the text as it stands in the input (masked for cards) */
	size_t raw_len;
	size_t offset;     /* byte offset of raw in the input */
	const char *field; /* email header it came from ("from", ...), or NULL */
};

/* Called for each indicator found; a non-zero return stops extraction and is
 * returned by ioc_extract. */
typedef int (*ioc_emit_fn)(void *arg, const struct ioc_match *m);

struct ioc_extract_opts {
	uint32_t types;  /* bit (1u << type) per wanted type; 0 means all */
	bool refang;     /* undo defanging ("hxxp", "[.]", "(at)", ...) first */
	char country[3]; /* default country for national phone numbers, or "" */
};

/*
 * Finds every indicator in text[0..len) and calls emit for each, in order of
 * offset.  Indicators never overlap: a URL is reported as a URL, not also as
 * its host.  text need not be NUL-terminated and may hold any bytes.
 */
int ioc_extract(const struct ioc_ctx *ctx, const char *text, size_t len,
                const struct ioc_extract_opts *opts, ioc_emit_fn emit, void *arg,
                struct crix_error *err);

/*
 * Undoes defanging.  Writes the refanged text to out (capacity outsz, at least
 * len bytes suffice since refanging never lengthens text) and, when map is not
 * NULL, map[i] = offset in text of the byte that produced out[i].
 * OUT: *outlen.
 */
int ioc_refang(const char *text, size_t len, char *out, size_t outsz, uint32_t *map, size_t *outlen,
               struct crix_error *err);

#endif
