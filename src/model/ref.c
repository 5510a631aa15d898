#include "model/ref.h"

#include "util/secret.h"

#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The value of c in Crockford's alphabet, or -1. */
static int value32(char c)
{
	const char *p = c != '\0' ? strchr(crockford, c) : NULL;
	return p != NULL ? (int)(p - crockford) : -1;
}

/* Multiplication in GF(32) = GF(2)[x] / (x^5 + x^2 + 1). */
static int gf32_mul(int a, int b)
{
	int r = 0;
	while (b != 0) {
		if (b & 1)
			r ^= a;
		b >>= 1;
		a <<= 1;
		if (a & 32)
			a ^= 0x25;
	}
	return r;
}

/*
 * Damm's check over the quasigroup x * y = 2x + y in GF(32): it is totally
 * anti-symmetric ((c * x) * y == (c * y) * x only when x == y, because
 * (2 + 1)(x + y) == 0 needs x == y), so every single substitution and every
 * swap of two adjacent characters, the check character included, changes
 * the result.  The running value starts at 0; the check character c makes
 * it 0 again: 2i + c == 0, so c == 2i (addition is XOR).
 */
static int damm_run(const char *s, size_t n)
{
	int i = 0;
	for (size_t k = 0; k < n; k++) {
		int v = value32(s[k]);
		i = gf32_mul(2, i) ^ (v < 0 ? 0 : v);
	}
	return i;
}

char ref_check_char(const char *s, size_t n)
{
	return crockford[gf32_mul(2, damm_run(s, n))];
}

void ref_new(int year, char out[REF_LEN + 1])
{
	unsigned char r[8];
	secret_random(r, sizeof r);
	out[0] = 'C';
	out[1] = 'R';
	out[2] = 'X';
	out[3] = (char)('0' + (year / 10) % 10);
	out[4] = (char)('0' + year % 10);
	for (int i = 0; i < 8; i++)
		out[5 + i] = crockford[r[i] & 31];
	out[13] = ref_check_char(out, 13);
	out[14] = '\0';
}

int ref_parse(const char *in, char out[REF_LEN + 1], struct crix_error *err)
{
	size_t n = 0;
	for (const char *p = in; *p != '\0'; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (value32(c) < 0) {
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				return crix_error_field(
				        err, "reference", CRIX_EINVAL,
				        "reference: byte 0x%02x cannot be part of a "
				        "reference number",
				        (unsigned char)*p);
			return crix_error_field(
			        err, "reference", CRIX_EINVAL,
			        "reference: '%c' cannot be part of a reference number "
			        "(they use 0-9 and A-Z without I, L, O and U)",
			        *p);
		}
		if (n == REF_LEN)
			return crix_error_field(err, "reference", CRIX_EINVAL,
			                        "reference: too long; a reference number has %d "
			                        "characters, like CRX26K7M2Q9XH8",
			                        REF_LEN);
		out[n++] = c;
	}
	out[n] = '\0';
	if (n != REF_LEN || memcmp(out, "CRX", 3) != 0)
		return crix_error_field(
		        err, "reference", CRIX_EINVAL,
		        "reference: a reference number has %d characters and starts "
		        "with CRX, like CRX26K7M2Q9XH8",
		        REF_LEN);
	if (damm_run(out, REF_LEN) != 0)
		return crix_error_field(err, "reference", CRIX_EINVAL,
		                        "reference: this number is not valid; a character may have "
		                        "been mistyped or two swapped");
	return 0;
}
