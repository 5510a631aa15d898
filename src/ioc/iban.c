/*
 * iban.c - International Bank Account Numbers (ISO 13616).
 *
 * An IBAN is a two-letter country code, two check digits and a BBAN of
 * letters and digits; its total length is fixed per country by the SWIFT
 * IBAN registry.  It is valid when the number formed by moving the first four
 * characters to the end and writing each letter as two digits (A = 10 ...
 * Z = 35) is 1 modulo 97.  The canonical form is upper-case without spaces.
 */
#include "ioc/ioc_int.h"

#include <string.h>

#define IBAN_MAX 34 /* longest IBAN ISO 13616 allows */

/* Countries of the SWIFT IBAN registry and the length of their IBANs. */
static const struct {
	char cc[3];
	uint8_t len;
} iban_countries[] = {
        {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
        {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
        {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
        {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
        {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21},
        {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
        {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
        {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
        {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
        {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22},
        {"RU", 33}, {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24},
        {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
        {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

/* IBAN length of upper-case country code cc[0..2), or 0 when not in the registry. */
static size_t iban_length(const char *cc)
{
	for (size_t i = 0; i < sizeof iban_countries / sizeof iban_countries[0]; i++)
		if (iban_countries[i].cc[0] == cc[0] && iban_countries[i].cc[1] == cc[1])
			return iban_countries[i].len;
	return 0;
}

/*
 * The ISO 7064 MOD 97-10 remainder of upper-case alphanumeric iban[0..n)
 * rearranged (first four characters moved to the end), folded one digit or
 * letter at a time so no big integers are needed.
 */
static unsigned iban_mod97(const char *iban, size_t n)
{
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)iban[(k + 4) % n];
		if (ioc_is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return r;
}

/* Checks compact upper-case alphanumeric iban[0..n), n <= IBAN_MAX. */
static int iban_check(const char *iban, size_t n, struct crix_error *err)
{
	if (n < 2 || !ioc_is_alpha((unsigned char)iban[0]) || !ioc_is_alpha((unsigned char)iban[1]))
		return crix_error_set(err, CRIX_EINVAL,
		                      "iban: must start with a two-letter country code");
	size_t want = iban_length(iban);
	if (want == 0)
		return crix_error_set(err, CRIX_EINVAL, "iban: unknown country code %.2s", iban);
	if (n < 4 || !ioc_is_digit((unsigned char)iban[2]) || !ioc_is_digit((unsigned char)iban[3]))
		return crix_error_set(
		        err, CRIX_EINVAL,
		        "iban: the country code must be followed by two check digits");
	if (n != want)
		return crix_error_set(err, CRIX_EINVAL,
		                      "iban: %.2s IBANs have %zu characters, "
		                      "this has %zu",
		                      iban, want, n);
	/* Check digits are 98 - remainder, so 02..98; 00, 01 and 99 pass the
	 * mod-97 test only as aliases of 97, 98 and 02. */
	int check = (iban[2] - '0') * 10 + (iban[3] - '0');
	if (check < 2 || check > 98)
		return crix_error_set(err, CRIX_EINVAL,
		                      "iban: check digits %.2s are out of range (02..98)",
		                      iban + 2);
	if (iban_mod97(iban, n) != 1)
		return crix_error_set(err, CRIX_EINVAL, "iban: checksum (mod 97) does not match");
	return 0;
}

/*
 * Parses one IBAN: letters of either case and digits, optionally in groups
 * separated by single spaces.  Positions in messages count from 1.
 */
int ioc_parse_iban(const char *s, size_t n, struct ioc_value *out, struct crix_error *err)
{
	if (n == 0)
		return crix_error_set(err, CRIX_EINVAL, "iban: empty value");
	char buf[IBAN_MAX + 1];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ') {
			if (i == 0 || i + 1 == n)
				return crix_error_set(err, CRIX_EINVAL,
				                      "iban: space at position %zu is not between "
				                      "two groups",
				                      i + 1);
			if (s[i + 1] == ' ')
				return crix_error_set(err, CRIX_EINVAL,
				                      "iban: two spaces in a row at position %zu",
				                      i + 1);
			continue;
		}
		if (!ioc_is_alnum(c)) {
			if (c >= 0x20 && c < 0x7f)
				return crix_error_set(
				        err, CRIX_EINVAL,
				        "iban: invalid character '%c' at position %zu", c, i + 1);
			return crix_error_set(
			        err, CRIX_EINVAL,
			        "iban: invalid character (byte 0x%02x) at position %zu", c, i + 1);
		}
		if (k < sizeof buf)
			buf[k] = (char)ioc_upper(c);
		k++;
	}
	if (k > IBAN_MAX)
		return crix_error_set(err, CRIX_EINVAL,
		                      "iban: %zu characters, an IBAN has at most %d", k, IBAN_MAX);
	int rc = iban_check(buf, k, err);
	if (rc != 0)
		return rc;
	return ioc_value_set(out, IOC_IBAN, buf, k, err);
}

/*
 * Free-text scanner: see ioc_int.h.  Only upper-case IBANs count, compact
 * or in groups of four separated by single spaces, and the match stops at
 * exactly the country's length so that a following word is not swallowed.
 */
size_t ioc_scan_iban(const char *t, size_t len, size_t pos, struct ioc_value *out)
{
	if (t == NULL || pos >= len || len - pos < 4)
		return 0;
	const char *s = t + pos;
	size_t n = len - pos;
	if (pos > 0 && ioc_is_alnum((unsigned char)t[pos - 1]))
		return 0;
	for (size_t i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i < 2 ? !(c >= 'A' && c <= 'Z') : !ioc_is_digit(c))
			return 0;
	}
	size_t want = iban_length(s);
	if (want == 0)
		return 0;
	bool grouped = n > 4 && s[4] == ' ';
	char buf[IBAN_MAX];
	size_t i = 0;
	for (size_t k = 0; k < want; k++) {
		if (grouped && k > 0 && k % 4 == 0) {
			if (i >= n || s[i] != ' ')
				return 0;
			i++;
		}
		if (i >= n)
			return 0;
		unsigned char c = (unsigned char)s[i];
		if (!ioc_is_digit(c) && !(c >= 'A' && c <= 'Z'))
			return 0;
		buf[k] = (char)c;
		i++;
	}
	if (i < n && ioc_is_alnum((unsigned char)s[i]))
		return 0;
	if (iban_check(buf, want, NULL) != 0)
		return 0;
	if (out != NULL && ioc_value_set(out, IOC_IBAN, buf, want, NULL) != 0)
		return 0;
	return i;
}
