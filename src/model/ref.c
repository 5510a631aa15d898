#include "model/ref.h"

#include "util/secret.h"

#include <string.h>

static const char digits36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int value36(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

/* ISO/IEC 7064 hybrid MOD 37,36: p starts at 36; for each character
 * s = (p + v) mod 36 (0 counts as 36), p = 2s mod 37; the check character c
 * makes (p + c) mod 36 == 1. */
char ref_check_char(const char *s, size_t n)
{
	int p = 36;
	for (size_t i = 0; i < n; i++) {
		int v = value36(s[i]);
		if (v < 0)
			v = 0;
		int t = (p + v) % 36;
		if (t == 0)
			t = 36;
		p = (2 * t) % 37;
	}
	return digits36[(37 - p) % 36];
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
		if (value36(c) < 0)
			return crix_error_field(
			        err, "reference", CRIX_EINVAL,
			        "reference: '%c' cannot be part of a reference number", *p);
		if (n == REF_LEN)
			return crix_error_field(err, "reference", CRIX_EINVAL,
			                        "reference: too long; a reference number has %d "
			                        "characters, like CRX26K7M2Q9XH5",
			                        REF_LEN);
		out[n++] = c;
	}
	out[n] = '\0';
	if (n != REF_LEN || memcmp(out, "CRX", 3) != 0)
		return crix_error_field(
		        err, "reference", CRIX_EINVAL,
		        "reference: a reference number has %d characters and starts "
		        "with CRX, like CRX26K7M2Q9XH5",
		        REF_LEN);
	if (ref_check_char(out, REF_LEN - 1) != out[REF_LEN - 1])
		return crix_error_field(err, "reference", CRIX_EINVAL,
		                        "reference: this number is not valid; a character may have "
		                        "been mistyped or two swapped");
	return 0;
}
