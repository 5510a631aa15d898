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

int ioc_parse_hash(enum ioc_type type, const char *s, size_t n, struct ioc_value *out,
                   struct crix_error *err)
{
	size_t want = hex_len(type);
	const char *name = ioc_type_name(type);
	if (n != want)
		return crix_error_set(err, CRIX_EINVAL, "%s: expected %zu hex digits, got %zu",
		                      name, want, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!ioc_is_hex(c))
			return crix_error_set(err, CRIX_EINVAL,
			                      "%s: invalid hex digit at position %zu", name, i + 1);
		out->v[i] = (char)ioc_lower(c);
	}
	out->v[n] = '\0';
	out->len = n;
	out->type = type;
	return 0;
}
