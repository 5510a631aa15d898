/*
 * test_secret.c - the secrets (src/util/secret.c): tokens have the promised
 * form and never repeat; the keyed hash is BLAKE2b-256 under the server key
 * (a known answer), deterministic and different under another key; password
 * hashes are argon2id strings that verify the right password only and refuse
 * passwords that are too short or too long; the server key file is created
 * once, private, and read back the same.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/secret.h"
#include "unit/store/tmpdir.h"

#define COUNT(a)  (sizeof(a) / sizeof((a)[0]))
#define B64URL    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#define HEX_LOWER "0123456789abcdef"

static int setup(void **state)
{
	(void)state;
	struct crix_error err = {0};
	if (secret_init(&err) != 0 || secret_init(&err) != 0) /* idempotent */
		return -1;
	return 0;
}

static void test_token_form(void **state)
{
	(void)state;
	static const struct {
		const char *prefix;
		size_t len;
	} forms[] = {
	        {"", 43},
	        {"crix_", 48},
	        {"0123456789abcdef", 59},
	        {"0123456789abcdefTOO-LONG", 59}, /* the prefix is cut at 16 */
	};
	for (size_t i = 0; i < COUNT(forms); i++) {
		char tok[SECRET_TOKEN_MAX];
		memset(tok, 'x', sizeof tok);
		secret_token(forms[i].prefix, tok);
		assert_int_equal(strlen(tok), forms[i].len);
		size_t pl = forms[i].len - 43;
		assert_memory_equal(tok, forms[i].prefix, pl);
		assert_int_equal(strspn(tok + pl, B64URL), 43);
	}
	/* 256 bits: never the same twice */
	char a[SECRET_TOKEN_MAX], b[SECRET_TOKEN_MAX];
	for (int i = 0; i < 1000; i++) {
		secret_token("", a);
		secret_token("", b);
		assert_string_not_equal(a, b);
	}
}

static void test_keyed_hash(void **state)
{
	(void)state;
	unsigned char key[SECRET_KEY_LEN];
	for (int i = 0; i < SECRET_KEY_LEN; i++)
		key[i] = (unsigned char)i;
	char h[SECRET_HASH_HEX], h2[SECRET_HASH_HEX];
	/* known answers: BLAKE2b, 32-byte output, key 00 01 .. 1f (as Python's
	 * hashlib.blake2b(msg, key=key, digest_size=32) computes them) */
	secret_keyed_hash(key, "abc", 3, h);
	assert_string_equal(h, "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");
	secret_keyed_hash(key, "", 0, h);
	assert_string_equal(h, "4e51e7a913fc80137da52880fecca175bf81e117d5c68126dc2774033517ea0d");
	/* only the n bytes count */
	secret_keyed_hash(key, "abcdef", 3, h2);
	assert_string_equal(h2, "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");

	/* deterministic, hex, and changed by the key and by the input */
	const char *tok = "crix_Zm9vYmFyYmF6cXV1eGZvb2JhcmJhenF1dXhmb28";
	secret_keyed_hash(key, tok, strlen(tok), h);
	secret_keyed_hash(key, tok, strlen(tok), h2);
	assert_string_equal(h, h2);
	assert_int_equal(strlen(h), 64);
	assert_int_equal(strspn(h, HEX_LOWER), 64);
	for (int i = 0; i < SECRET_KEY_LEN; i++) {
		unsigned char k2[SECRET_KEY_LEN];
		memcpy(k2, key, sizeof k2);
		k2[i] ^= 0x80;
		secret_keyed_hash(k2, tok, strlen(tok), h2);
		assert_string_not_equal(h, h2);
	}
	secret_keyed_hash(key, tok, strlen(tok) - 1, h2);
	assert_string_not_equal(h, h2);
}

static void test_equal(void **state)
{
	(void)state;
	assert_true(secret_equal("abc", "abc"));
	assert_true(secret_equal("", ""));
	assert_false(secret_equal("abc", "abd"));
	assert_false(secret_equal("abc", "ab"));
	assert_false(secret_equal("ab", "abc"));
	assert_false(secret_equal("", "a"));
	assert_false(secret_equal("Abc", "abc"));
}

static void test_password(void **state)
{
	(void)state;
	char h1[SECRET_PWHASH_MAX], h2[SECRET_PWHASH_MAX];
	struct crix_error err = {0};
	assert_int_equal(secret_password_hash("correct horse", h1, &err), 0);
	assert_memory_equal(h1, "$argon2id$", 10);
	assert_true(strlen(h1) < SECRET_PWHASH_MAX);
	assert_true(secret_password_verify(h1, "correct horse"));
	assert_false(secret_password_verify(h1, "correct horsE"));
	assert_false(secret_password_verify(h1, "correct hors"));
	assert_false(secret_password_verify(h1, ""));
	/* salted: the same password hashes differently, both verify */
	assert_int_equal(secret_password_hash("correct horse", h2, &err), 0);
	assert_string_not_equal(h1, h2);
	assert_true(secret_password_verify(h2, "correct horse"));
	/* not a hash at all */
	assert_false(secret_password_verify("", "correct horse"));
	assert_false(secret_password_verify("$argon2id$v=19$nonsense", "correct horse"));

	/* lengths: 8 to 1024 bytes */
	assert_int_equal(secret_password_hash("1234567", h1, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "at least 8"));
	assert_int_equal(secret_password_hash("", h1, &err), CRIX_EINVAL);
	assert_int_equal(secret_password_hash("12345678", h1, NULL), 0);
	assert_true(secret_password_verify(h1, "12345678"));
	char *pw = malloc(1026);
	memset(pw, 'p', 1025);
	pw[1025] = '\0';
	assert_int_equal(secret_password_hash(pw, h2, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "1024"));
	assert_non_null(strstr(err.msg, "password"));
	assert_false(secret_password_verify(h1, pw));
	pw[1024] = '\0';
	assert_int_equal(secret_password_hash(pw, h2, &err), 0);
	assert_true(secret_password_verify(h2, pw));
	pw[1023] = 'q';
	assert_false(secret_password_verify(h2, pw));
	free(pw);
	/* UTF-8 passwords count bytes */
	assert_int_equal(secret_password_hash("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", h1, &err), 0);
	assert_true(secret_password_verify(h1, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
}

static void test_key_file(void **state)
{
	(void)state;
	char *dir = tmpdir_new();
	assert_non_null(dir);
	char path[4200], other[4200];
	snprintf(path, sizeof path, "%s/server.key", dir);
	snprintf(other, sizeof other, "%s/other.key", dir);
	unsigned char k1[SECRET_KEY_LEN], k2[SECRET_KEY_LEN], k3[SECRET_KEY_LEN];
	struct crix_error err = {0};
	/* created, 0600, 32 bytes */
	assert_int_equal(secret_key_load(path, k1, &err), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, SECRET_KEY_LEN);
	/* read back the same, not made anew */
	assert_int_equal(secret_key_load(path, k2, &err), 0);
	assert_memory_equal(k1, k2, SECRET_KEY_LEN);
	FILE *fp = fopen(path, "rb");
	unsigned char disk[SECRET_KEY_LEN];
	assert_int_equal(fread(disk, 1, sizeof disk, fp), SECRET_KEY_LEN);
	fclose(fp);
	assert_memory_equal(disk, k1, SECRET_KEY_LEN);
	/* another file, another key */
	assert_int_equal(secret_key_load(other, k3, &err), 0);
	assert_memory_not_equal(k1, k3, SECRET_KEY_LEN);

	/* a short key file is refused, naming the file */
	fp = fopen(other, "wb");
	fwrite("short", 1, 5, fp);
	fclose(fp);
	assert_int_equal(secret_key_load(other, k3, &err), CRIX_EIO);
	assert_non_null(strstr(err.msg, other));
	assert_non_null(strstr(err.msg, "32 bytes"));
	fp = fopen(other, "wb");
	fclose(fp);
	assert_int_equal(secret_key_load(other, k3, &err), CRIX_EIO);
	/* a directory that does not exist */
	char missing[4300];
	snprintf(missing, sizeof missing, "%s/no/such/key", dir);
	assert_int_equal(secret_key_load(missing, k3, &err), CRIX_EIO);
	assert_non_null(strstr(err.msg, missing));
	/* a directory where the file should be */
	assert_int_equal(secret_key_load(dir, k3, &err), CRIX_EIO);
	tmpdir_remove(dir);
	free(dir);
}

static void test_random(void **state)
{
	(void)state;
	unsigned char a[64], b[64];
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	secret_random(a, sizeof a);
	secret_random(b, sizeof b);
	assert_memory_not_equal(a, b, sizeof a);
	unsigned char zero[64] = {0};
	assert_memory_not_equal(a, zero, sizeof a);
	secret_random(a, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_token_form), cmocka_unit_test(test_keyed_hash),
	        cmocka_unit_test(test_equal),      cmocka_unit_test(test_password),
	        cmocka_unit_test(test_key_file),   cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
