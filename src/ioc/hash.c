/*
 * hash.c - MD5, SHA-1, SHA-256 and SHA-512 digests as lower-case hex.
 */
#include "ioc/ioc_int.h"

static size_t hex_len(enum ioc_type type)
{
	switch (type) {
	case IOC_MD5: return 32;
	case IOC_SHA1: return 40;
	case IOC_SHA256: return 64;
	case IOC_SHA512: return 128;
	default: return 0;
	}
}

/* A hex digit to its lower case, anything else to 0: one load per digit of
 * the millions of hashes a list may hold. */
static const char hex_lower[256] = {
        ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5',
        ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9', ['a'] = 'a', ['b'] = 'b',
        ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['A'] = 'a', ['B'] = 'b',
        ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f',
};

int ioc_parse_hash(enum ioc_type type, const char *s, size_t n, struct ioc_value *out,
                   struct crix_error *err)
{
	size_t want = hex_len(type);
	const char *name = ioc_type_name(type);
	if (n != want)
		return crix_error_set(err, CRIX_EINVAL, "%s: expected %zu hex digits, got %zu",
		                      name, want, n);
	for (size_t i = 0; i < n; i++) {
		char c = hex_lower[(unsigned char)s[i]];
		if (c == 0)
			return crix_error_set(err, CRIX_EINVAL,
			                      "%s: invalid hex digit at position %zu", name, i + 1);
		out->v[i] = c;
	}
	out->v[n] = '\0';
	out->len = n;
	out->type = type;
	return 0;
}
