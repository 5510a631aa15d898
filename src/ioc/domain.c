/*
 * domain.c - domain names: lower-case A-labels under a known public suffix.
 *
 * A name is a domain only when its last label is a top-level domain the
 * public suffix list knows and the name is more than a public suffix, so that
 * "setup.exe", "index.php" and "v2.0.1" are refused while "example.co.uk" and
 * "bücher.de" (as xn--bcher-kva.de) are accepted.
 */
#include "ioc/ioc_int.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#define DOMAIN_MAX 253

/*
 * Answers of "is this last label a known top-level domain?" kept per thread.
 * Every domain, URL host and e-mail domain asks libpsl, and its DAFSA walk
 * costs 100-200 ns per call, while a list of millions of names has a few
 * hundred distinct last labels.  Direct-mapped, keyed by the label's bytes
 * (compared whole) and by the context's serial number, so an answer is never
 * taken from another context's list; labels longer than the slot go to
 * libpsl every time.  Per thread, so no locking and no sharing.  1024
 * slots (40 KiB): with 256, the 324 last labels of the benchmark lists
 * evicted each other on 3% of the questions, each a libpsl call.
 */
#define TLD_SLOTS 1024
#define TLD_KEY   30

struct tld_slot {
	uint64_t serial; /* 0: empty (serials start at 1) */
	uint8_t len;
	bool known;
	char key[TLD_KEY];
};

static _Thread_local struct tld_slot tld_cache[TLD_SLOTS];

/* FNV-1a of the label, folded to a slot. */
static size_t tld_slot_of(const char *tld, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)tld[i]) * 16777619u;
	return (h ^ (h >> 16)) & (TLD_SLOTS - 1);
}

bool ioc_known_tld(const struct ioc_ctx *ctx, const char *tld, size_t n)
{
	struct tld_slot *e = n <= TLD_KEY ? &tld_cache[tld_slot_of(tld, n)] : NULL;
	if (e != NULL && e->serial == ctx->serial && e->len == n && memcmp(e->key, tld, n) == 0)
		return e->known;
	bool known =
	        psl_is_public_suffix2(ctx->psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
	if (e != NULL) {
		e->serial = ctx->serial;
		e->len = (uint8_t)n;
		e->known = known;
		memcpy(e->key, tld, n);
	}
	return known;
}

/* Checks the LDH label syntax of an ASCII, lower-case name. */
static int check_labels(const char *d, size_t n, struct crix_error *err)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && d[i] != '.') {
			unsigned char c = (unsigned char)d[i];
			if (!ioc_is_alnum(c) && c != '-')
				return crix_error_set(
				        err, CRIX_EINVAL,
				        "domain: invalid character '%c' at position %zu",
				        c >= 0x20 && c < 0x7f ? c : '?', i + 1);
			continue;
		}
		size_t len = i - start;
		if (len == 0)
			return crix_error_set(err, CRIX_EINVAL, "domain: empty label");
		if (len > 63)
			return crix_error_set(err, CRIX_EINVAL,
			                      "domain: label longer than 63 characters");
		if (d[start] == '-' || d[i - 1] == '-')
			return crix_error_set(err, CRIX_EINVAL,
			                      "domain: a label starts or ends with '-'");
		start = i + 1;
	}
	return 0;
}

/*
 * The lower-case name of s[0..n) in name (DOMAIN_MAX + 2 bytes), through
 * IDNA when it is not ASCII, with its labels checked.  OUT: *outlen.
 */
static int lower_name(const char *s, size_t n, char *name, size_t *outlen, struct crix_error *err)
{
	/* the IDNA and PSL libraries read C strings: a NUL would end the name
	 * early and the rest would be silently dropped */
	if (memchr(s, '\0', n) != NULL)
		return crix_error_set(err, CRIX_EINVAL, "domain: contains a NUL byte");
	bool ascii = true;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			ascii = false;

	size_t len;
	if (ascii) {
		if (n > DOMAIN_MAX)
			return crix_error_set(err, CRIX_EINVAL, "domain: longer than %d characters",
			                      DOMAIN_MAX);
		for (size_t i = 0; i < n; i++)
			name[i] = (char)ioc_lower((unsigned char)s[i]);
		len = n;
	} else {
		/* UTS #46 non-transitional mapping, as browsers resolve names. */
		char u8[4 * DOMAIN_MAX + 1];
		memcpy(u8, s, n);
		u8[n] = '\0';
		uint8_t *alabel = NULL;
		int rc = idn2_lookup_u8((const uint8_t *)u8, &alabel,
		                        IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc != IDN2_OK)
			return crix_error_set(err, CRIX_EINVAL,
			                      "domain: not a valid internationalised name (%s)",
			                      idn2_strerror(rc));
		len = strlen((const char *)alabel);
		if (len > DOMAIN_MAX) {
			idn2_free(alabel);
			return crix_error_set(err, CRIX_EINVAL, "domain: longer than %d characters",
			                      DOMAIN_MAX);
		}
		for (size_t i = 0; i < len; i++)
			name[i] = (char)ioc_lower(alabel[i]);
		idn2_free(alabel);
	}
	name[len] = '\0';
	*outlen = len;
	return check_labels(name, len, err);
}

/* Byte to its lower case when it may stand in a name (letter, digit, '-',
 * and the '.' between labels), else 0: the one table of ldh_name. */
static const unsigned char ldh_lower[256] = {
        ['-'] = '-', ['.'] = '.', ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
        ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9', ['a'] = 'a', ['b'] = 'b',
        ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i',
        ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p',
        ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w',
        ['x'] = 'x', ['y'] = 'y', ['z'] = 'z', ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd',
        ['E'] = 'e', ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k',
        ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
        ['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
        ['Z'] = 'z',
};

/* Is name[start, end), letters, digits and '-', a well-formed label? */
static inline bool ldh_label(const char *name, size_t start, size_t end)
{
	return end > start && end - start <= 63 && name[start] != '-' && name[end - 1] != '-';
}

/*
 * The common case in one pass: an ASCII name of at most DOMAIN_MAX bytes
 * whose labels are all well formed, lowered into name.  Anything else
 * returns false and goes the long way (lower_name), which also words the
 * error; what both accept they write alike.  OUT: *last, where the last
 * label starts.
 */
static bool ldh_name(const char *s, size_t n, char *name, size_t *last)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = ldh_lower[(unsigned char)s[i]];
		name[i] = (char)c;
		if (c == '.') {
			if (!ldh_label(name, start, i))
				return false;
			start = i + 1;
		} else if (c == 0) {
			return false;
		}
	}
	if (!ldh_label(name, start, n))
		return false;
	name[n] = '\0';
	*last = start;
	return true;
}

int ioc_parse_domain(const struct ioc_ctx *ctx, const char *s, size_t n, struct ioc_value *out,
                     struct crix_error *err)
{
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0)
		return crix_error_set(err, CRIX_EINVAL, "domain: empty name");
	if (n > 4 * DOMAIN_MAX)
		return crix_error_set(err, CRIX_EINVAL, "domain: longer than %d characters",
		                      DOMAIN_MAX);
	char name[DOMAIN_MAX + 2];
	size_t len = n, last = 0;
	if (n > DOMAIN_MAX || !ldh_name(s, n, name, &last)) {
		int rc = lower_name(s, n, name, &len, err);
		if (rc != 0)
			return rc;
		const char *dot = strrchr(name, '.');
		last = dot != NULL ? (size_t)(dot + 1 - name) : 0;
	}
	if (last == 0)
		return crix_error_set(err, CRIX_EINVAL,
		                      "domain: a single label is not a registrable domain");
	const char *tld = name + last;
	bool numeric = true;
	for (const char *p = tld; *p; p++)
		if (!ioc_is_digit((unsigned char)*p))
			numeric = false;
	if (numeric)
		return crix_error_set(err, CRIX_EINVAL, "domain: the last label is a number");
	if (!ioc_known_tld(ctx, tld, len - (size_t)(tld - name)))
		return crix_error_set(err, CRIX_EINVAL,
		                      "domain: '.%s' is not a known top-level domain", tld);
	if (ioc_is_public_suffix(ctx, name, len))
		return crix_error_set(err, CRIX_EINVAL,
		                      "domain: '%s' is a public suffix, not a registrable domain",
		                      name);
	return ioc_value_set(out, IOC_DOMAIN, name, len, err);
}
