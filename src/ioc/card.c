/*
 * card.c - payment card numbers (PANs), kept only in masked form.
 *
 * A number is accepted when it has 13 to 19 digits, passes the Luhn check
 * and starts with the prefix of a known issuer at a length that issuer uses.
 * The canonical value keeps the first 6 digits (the issuer identification
 * number, useful for correlation) and the last 4, and masks the rest:
 * "4111 1111 1111 1111" -> "411111******1111".
 *
 * The full number is held only in a local buffer of the function that read
 * it and is wiped with explicit_bzero before that function returns; it never
 * reaches out, err or any other memory the caller can see.
 */
#include "ioc/ioc_int.h"

#include <string.h>

#define CARD_MIN       13
#define CARD_MAX       19
#define CARD_KEEP_HEAD 6
#define CARD_KEEP_TAIL 4

/* Lengths as a bit mask: bit n set when an n-digit number is allowed. */
#define LEN(n)            (1u << (n))
#define LEN_RANGE(lo, hi) (((1u << ((hi) + 1)) - 1) & ~((1u << (lo)) - 1))

/* An issuer: numbers whose first `digits` digits lie in [lo, hi]. */
struct issuer {
	const char *name;
	unsigned digits;
	unsigned lo, hi;
	uint32_t lengths;
};

static const struct issuer issuers[] = {
        {"visa", 1, 4, 4, LEN(13) | LEN(16) | LEN(19)},
        {"mastercard", 2, 51, 55, LEN(16)},
        {"mastercard", 4, 2221, 2720, LEN(16)},
        {"amex", 2, 34, 34, LEN(15)},
        {"amex", 2, 37, 37, LEN(15)},
        {"discover", 4, 6011, 6011, LEN_RANGE(16, 19)},
        {"discover", 3, 644, 649, LEN_RANGE(16, 19)},
        {"discover", 2, 65, 65, LEN_RANGE(16, 19)},
        {"jcb", 4, 3528, 3589, LEN_RANGE(16, 19)},
        {"diners", 2, 36, 36, LEN_RANGE(14, 19)},
        {"diners", 3, 300, 305, LEN_RANGE(14, 19)},
        {"diners", 2, 38, 39, LEN_RANGE(14, 19)},
        {"unionpay", 2, 62, 62, LEN_RANGE(16, 19)},
        {"maestro", 2, 50, 50, LEN_RANGE(12, 19)},
        {"maestro", 2, 56, 69, LEN_RANGE(12, 19)},
};

/* Luhn (mod 10): doubling every second digit from the right. */
static bool luhn_ok(const unsigned char *d, size_t n)
{
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = d[n - 1 - i];
		if (i % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

/* The value of the first k digits of d (k <= 4). */
static unsigned prefix_value(const unsigned char *d, unsigned k)
{
	unsigned v = 0;
	for (unsigned i = 0; i < k; i++)
		v = v * 10 + d[i];
	return v;
}

/*
 * Checks n digit values (0..9) and writes the masked form to out.  Messages
 * never quote the digits: an error message may be logged or shown.
 */
static int card_check(const unsigned char *d, size_t n, struct ioc_value *out,
                      struct crix_error *err)
{
	if (n < CARD_MIN || n > CARD_MAX)
		return crix_error_set(err, CRIX_EINVAL, "card: %zu digits, cards have %d to %d", n,
		                      CARD_MIN, CARD_MAX);
	bool same = true;
	for (size_t i = 1; i < n; i++)
		if (d[i] != d[0])
			same = false;
	if (same)
		return crix_error_set(err, CRIX_EINVAL, "card: all digits are the same");
	if (!luhn_ok(d, n))
		return crix_error_set(err, CRIX_EINVAL, "card: Luhn check failed");
	const char *prefix_of = NULL; /* an issuer whose prefix matched */
	bool ok = false;
	for (size_t i = 0; i < sizeof issuers / sizeof issuers[0] && !ok; i++) {
		const struct issuer *is = &issuers[i];
		unsigned v = prefix_value(d, is->digits);
		if (v < is->lo || v > is->hi)
			continue;
		prefix_of = is->name;
		ok = (is->lengths & LEN(n)) != 0;
	}
	if (!ok && prefix_of != NULL)
		return crix_error_set(
		        err, CRIX_EINVAL,
		        "card: unknown issuer prefix for a %zu-digit number (%s numbers "
		        "have other lengths)",
		        n, prefix_of);
	if (!ok)
		return crix_error_set(err, CRIX_EINVAL, "card: unknown issuer prefix");
	if (out == NULL)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool shown = i < CARD_KEEP_HEAD || i >= n - CARD_KEEP_TAIL;
		out->v[k++] = shown ? (char)('0' + d[i]) : '*';
	}
	out->v[k] = '\0';
	out->len = k;
	out->type = IOC_CARD;
	return 0;
}

/*
 * "4111 1111 1111 1111", "4111-1111-1111-1111" or "4111111111111111": digits
 * with optional single separators between them, one kind of separator only.
 * Group sizes are free here (the whole value was given as a card); the
 * scanner below is stricter because it guesses in free text.
 */
int ioc_parse_card(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	unsigned char d[CARD_MAX];
	size_t nd = 0;
	char sep = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		if (ioc_is_digit(c)) {
			if (nd < CARD_MAX)
				d[nd] = (unsigned char)(c - '0');
			nd++; /* counted past the buffer, for the message */
		} else if (c == ' ' || c == '-') {
			if (i == 0 || i + 1 == n || !ioc_is_digit((unsigned char)s[i + 1]))
				rc = crix_error_set(
				        err, CRIX_EINVAL,
				        "card: separator at position %zu is not between "
				        "two digits",
				        i + 1);
			else if (sep != 0 && c != sep)
				rc = crix_error_set(err, CRIX_EINVAL,
				                    "card: mixes space and dash separators");
			sep = (char)c;
		} else {
			rc = crix_error_set(err, CRIX_EINVAL,
			                    "card: unexpected character at position %zu (digits, "
			                    "spaces or dashes only)",
			                    i + 1);
		}
	}
	if (rc == 0)
		rc = card_check(d, nd, out, err);
	explicit_bzero(d, sizeof d);
	return rc;
}

/*
 * The group layouts the scanner accepts besides one unbroken run: how card
 * numbers are printed (Amex and Diners as 4-6-5 and 4-6-4, the others in
 * fours, 19-digit ones with a final group of three).
 */
static const unsigned char layouts[][6] = {
        {4, 4, 4, 4, 0},
        {4, 4, 4, 4, 3, 0},
        {4, 6, 5, 0},
        {4, 6, 4, 0},
};

static bool layout_known(const size_t *g, size_t ng)
{
	for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
		size_t i = 0;
		while (i < ng && layouts[l][i] != 0 && layouts[l][i] == g[i])
			i++;
		if (i == ng && layouts[l][i] == 0)
			return true;
	}
	return false;
}

/*
 * Reads digit groups from t[pos] joined by single spaces or dashes, taking
 * every group that follows so that a match is never a slice of a longer run
 * ("4111 1111 1111 1111 1111" is 20 digits, not a card plus 4).  The whole
 * run must then be a card: one run of 13 to 19 digits or a known layout with
 * one kind of separator, Luhn-valid with a known issuer prefix.
 */
size_t ioc_scan_card(const char *t, size_t len, size_t pos, struct ioc_value *out)
{
	unsigned char d[CARD_MAX];
	size_t g[6], ng = 0, nd = 0, i = pos, match = 0;
	char sep = 0;
	bool ok = pos < len && ioc_is_digit((unsigned char)t[pos]);
	while (ok) {
		size_t start = i;
		while (i < len && ioc_is_digit((unsigned char)t[i]) && nd < CARD_MAX) {
			d[nd++] = (unsigned char)(t[i] - '0');
			i++;
		}
		g[ng++] = i - start;
		if (i < len && ioc_is_digit((unsigned char)t[i])) {
			ok = false; /* a 20th digit */
			break;
		}
		if (i + 1 < len && (t[i] == ' ' || t[i] == '-') &&
		    ioc_is_digit((unsigned char)t[i + 1])) {
			if ((sep != 0 && t[i] != sep) || ng == sizeof g / sizeof g[0]) {
				ok = false;
				break;
			}
			sep = t[i];
			i++;
			continue;
		}
		break;
	}
	if (ok && i < len && ioc_is_alpha((unsigned char)t[i]))
		ok = false;
	if (ok && ng > 1 && !layout_known(g, ng))
		ok = false;
	if (ok && card_check(d, nd, out, NULL) == 0)
		match = i - pos;
	explicit_bzero(d, sizeof d);
	return match;
}
