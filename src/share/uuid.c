/*
 * uuid.c - random and name-based UUIDs (RFC 9562 sections 5.4 and 5.5).
 */
#include "share/uuid.h"

#include "util/err.h"
#include "util/secret.h"

#include <nettle/sha1.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int uuid_parse(const char *s, struct uuid *out)
{
	size_t j = 0;
	for (size_t i = 0; i < 36; i++) {
		if (s[i] == '\0')
			return CRIX_EINVAL;
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return CRIX_EINVAL;
			continue;
		}
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return CRIX_EINVAL;
		out->b[j++] = (unsigned char)(hi << 4 | lo);
		i++;
	}
	return s[36] == '\0' ? 0 : CRIX_EINVAL;
}

void uuid_format(const struct uuid *u, char out[UUID_STR_LEN])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u->b[i] >> 4];
		out[o++] = hex[u->b[i] & 15];
	}
	out[o] = '\0';
}

/* Sets the version in the high nibble of byte 6 and the RFC variant (10xx)
 * in the high bits of byte 8. */
static void set_version(struct uuid *u, unsigned version)
{
	u->b[6] = (unsigned char)((u->b[6] & 0x0f) | (version << 4));
	u->b[8] = (unsigned char)((u->b[8] & 0x3f) | 0x80);
}

void uuid_v4(struct uuid *out)
{
	/* idempotent and thread-safe; it can only fail without a random source,
	 * and randombytes then aborts rather than return predictable bytes */
	(void)secret_init(NULL);
	secret_random(out->b, sizeof out->b);
	set_version(out, 4);
}

void uuid_v5(const struct uuid *ns, const void *name, size_t len, struct uuid *out)
{
	struct sha1_ctx c;
	unsigned char d[SHA1_DIGEST_SIZE];
	sha1_init(&c);
	sha1_update(&c, sizeof ns->b, ns->b);
	sha1_update(&c, len, name);
	sha1_digest(&c, sizeof d, d);
	memcpy(out->b, d, sizeof out->b);
	set_version(out, 5);
}
