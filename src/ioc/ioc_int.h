/*
 * ioc_int.h - internals shared by the files of src/ioc.  Not for use outside.
 *
 * Parsers: ioc_parse_<type>(s, n, ..., out, err) canonicalise one whole value
 * (no surrounding text) and return 0 or CRIX_EINVAL with a reason in err that
 * starts with the type name, e.g. "iban: checksum (mod 97) does not match".
 *
 * Scanners used by extraction: ioc_scan_<type>(t, len, pos, ..., out) look
 * for an indicator that *starts* at t[pos] (the caller has checked that
 * t[pos-1] is not part of a word) and return the number of raw bytes it
 * spans, or 0 when there is none.  A scanner checks its own right boundary:
 * the byte after the match must not continue the token (so that a hash is
 * never a slice of a longer hex run).
 */
#ifndef CRIX_IOC_INT_H
#define CRIX_IOC_INT_H

#include "ioc/ioc.h"

#include <libpsl.h>

struct ioc_ctx {
	psl_ctx_t *psl;
	bool psl_owned;  /* false when it is libpsl's built-in list */
	uint64_t serial; /* unique per context, from 1: keys per-thread caches */
	/* fingerprints of the strings of psl's list (suffix.c), or NULL:
	 * then every question goes to libpsl */
	uint32_t *rules;
	size_t rules_mask;
};

/* Character classes of ascii bytes. */
static inline bool ioc_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}
static inline bool ioc_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool ioc_is_alnum(unsigned char c)
{
	return ioc_is_digit(c) || ioc_is_alpha(c);
}
static inline bool ioc_is_hex(unsigned char c)
{
	return ioc_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static inline unsigned char ioc_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}
static inline unsigned char ioc_upper(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 32) : c;
}

/* Sets out to the n bytes of s (with type); CRIX_ETOOBIG past IOC_VALUE_MAX. */
int ioc_value_set(struct ioc_value *out, enum ioc_type type, const char *s, size_t n,
                  struct crix_error *err);

/* ip.c */
int ioc_parse_ipv4(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
int ioc_parse_ipv6(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
int ioc_parse_cidr(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
/* Parses a dotted quad into 4 bytes (strict: no leading zeros, 0..255). */
bool ioc_ipv4_bytes(const char *s, size_t n, uint8_t ip[4]);
/* Parses IPv6 text (inet_pton rules, no brackets) into 16 bytes. */
bool ioc_ipv6_bytes(const char *s, size_t n, uint8_t a[16]);

/* domain.c: out gets the canonical domain; fails when there is no known
 * public suffix or no registrable part. */
int ioc_parse_domain(const struct ioc_ctx *ctx, const char *s, size_t n, struct ioc_value *out,
                     struct crix_error *err);
/* Whether the lower-case label tld[0..n) (NUL-terminated) is a top-level
 * domain of ctx's public suffix list; answers are kept per thread. */
bool ioc_known_tld(const struct ioc_ctx *ctx, const char *tld, size_t n);
/* Canonical host of a URL or email: a domain (as above, but a bare public
 * suffix host such as "localhost" is refused too) or an IP literal. */

/* suffix.c: loads the public suffix list psl_latest(NULL) would load into
 * ctx->psl, with its rule set (ctx->rules) when it is a DAFSA file; false
 * when there is no list at all. */
bool ioc_suffix_load(struct ioc_ctx *ctx);
void ioc_suffix_free(struct ioc_ctx *ctx);
/* psl_is_public_suffix2(ctx->psl, name, PSL_TYPE_ICANN): is the checked,
 * lower-case LDH name[0..n) (NUL-terminated) itself a public suffix?
 * libpsl is asked only when the rule set holds the name or, as a wildcard,
 * its parent. */
bool ioc_is_public_suffix(const struct ioc_ctx *ctx, const char *name, size_t n);

/* url.c, email.c */
int ioc_parse_url(const struct ioc_ctx *ctx, const char *s, size_t n, struct ioc_value *out,
                  struct crix_error *err);
int ioc_parse_email(const struct ioc_ctx *ctx, const char *s, size_t n, struct ioc_value *out,
                    struct crix_error *err);
/*
 * Where the local part of an address in text really starts, given where a
 * plain run ("._%+-" and alphanumerics) of it starts: "o'brien@x.ie" and
 * "a~b@x.com" began before the run, with characters RFC 5322 allows in a
 * local part but prose uses as punctuation.  When such a character sits
 * between an alphanumeric and the run, the whole dot-atom back to an
 * alphanumeric start (never before floor) is the local part.  Used by the
 * extractor and by the log scanner, so that both read addresses alike.
 */
size_t ioc_email_local_start(const unsigned char *t, size_t start, size_t floor);

/* hash.c: type is IOC_MD5, IOC_SHA1, IOC_SHA256 or IOC_SHA512. */
int ioc_parse_hash(enum ioc_type type, const char *s, size_t n, struct ioc_value *out,
                   struct crix_error *err);

/* misc.c */
int ioc_parse_asn(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
int ioc_parse_cve(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);

/* phone.c: country is an ISO 3166-1 alpha-2 code or "" / NULL. */
int ioc_parse_phone(const char *s, size_t n, const char *country, struct ioc_value *out,
                    struct crix_error *err);
size_t ioc_scan_phone(const char *t, size_t len, size_t pos, const char *country,
                      struct ioc_value *out);

/* iban.c: accepts groups separated by single spaces ("GB82 WEST 1234 ..."). */
int ioc_parse_iban(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
size_t ioc_scan_iban(const char *t, size_t len, size_t pos, struct ioc_value *out);

/* card.c: out is the masked form; the full number is never copied out. */
int ioc_parse_card(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
size_t ioc_scan_card(const char *t, size_t len, size_t pos, struct ioc_value *out);

/* wallet.c */
int ioc_parse_btc(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
int ioc_parse_eth(const char *s, size_t n, struct ioc_value *out, struct crix_error *err);
/* Keccak-256 as Ethereum uses it (padding 0x01, not SHA3's 0x06). */
void ioc_keccak256(const void *data, size_t n, uint8_t digest[32]);

#endif
