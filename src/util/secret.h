/*
 * secret.h - the secrets of crix: random tokens shown once, the keyed hash
 * they are stored as, and password hashes (argon2id).  Built on libsodium.
 *
 * Nothing here stores a secret: callers keep only the hashes.  API tokens,
 * session ids and tracking secrets are 32 random bytes, so a fast keyed hash
 * (BLAKE2b with the server's key) is enough to store them: there is nothing
 * to brute-force.  Passwords are chosen by people, so they get argon2id.
 */
#ifndef CRIX_UTIL_SECRET_H
#define CRIX_UTIL_SECRET_H

#include "util/err.h"

#include <stddef.h>

#define SECRET_KEY_LEN    32
#define SECRET_HASH_HEX   65 /* 32-byte hash as hex, with NUL */
#define SECRET_TOKEN_MAX  64 /* a token as text: prefix + base64url of 32 bytes */
#define SECRET_PWHASH_MAX 128

/* Initialises libsodium; call once before the rest (idempotent, thread-safe). */
int secret_init(struct crix_error *err);

/*
 * Loads the server key from path, or creates it (mode 0600) when the file does
 * not exist.  The key makes a stolen database useless for forging tokens.
 * OUT: key.
 */
int secret_key_load(const char *path, unsigned char key[SECRET_KEY_LEN], struct crix_error *err);

/* OUT: out, prefix followed by 43 base64url characters of 32 random bytes. */
void secret_token(const char *prefix, char out[SECRET_TOKEN_MAX]);

/* OUT: out, the keyed hash of s[0..n) as lower-case hex. */
void secret_keyed_hash(const unsigned char key[SECRET_KEY_LEN], const char *s, size_t n,
                       char out[SECRET_HASH_HEX]);

/* Compares two NUL-terminated strings in time independent of where they differ. */
int secret_equal(const char *a, const char *b);

/*
 * argon2id hash of a password, in libsodium's self-describing string form.
 * ops_limit/mem_limit: 0 for libsodium's interactive defaults.  Passwords
 * longer than 1024 bytes or shorter than 8 are refused (message names them).
 */
int secret_password_hash(const char *password, char out[SECRET_PWHASH_MAX], struct crix_error *err);
/* 1 when password matches hash, else 0. */
int secret_password_verify(const char *hash, const char *password);

/* OUT: out, n random bytes. */
void secret_random(void *out, size_t n);

#endif
