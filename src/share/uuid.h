/*
 * uuid.h - UUIDs as RFC 9562 (formerly RFC 4122) defines them: random
 * version 4 and name-based version 5 (SHA-1), and their text form.
 *
 * STIX 2.1 needs both: version 4 for bundles, and version 5 for the
 * deterministic identifiers of cyber-observable objects (the same observable
 * gets the same id from every producer) and for crix's own stable ids.
 *
 * Ownership: a struct uuid is a plain 16-byte value; nothing here allocates.
 */
#ifndef CRIX_SHARE_UUID_H
#define CRIX_SHARE_UUID_H

#include <stddef.h>

#define UUID_STR_LEN 37 /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" with its NUL */

/* The 16 bytes of a UUID in network (big-endian) order, as RFC 9562 lays them out. */
struct uuid {
	unsigned char b[16];
};

/*
 * Parses the 36-character text form (either case, no braces, no "urn:uuid:").
 * OUT: *out.  Returns 0, or CRIX_EINVAL when s is not such a text.
 */
int uuid_parse(const char *s, struct uuid *out);

/* OUT: out, the lower-case text form of u, as RFC 9562 requires for output. */
void uuid_format(const struct uuid *u, char out[UUID_STR_LEN]);

/*
 * A random (version 4) UUID from the system's cryptographic generator
 * (libsodium's randombytes, initialised here if it was not yet).  OUT: *out.
 */
void uuid_v4(struct uuid *out);

/*
 * The name-based (version 5) UUID of name[0..len) in namespace ns: the first
 * 16 bytes of SHA-1(ns bytes || name), with the version and variant bits set.
 * OUT: *out.
 */
void uuid_v5(const struct uuid *ns, const void *name, size_t len, struct uuid *out);

#endif
