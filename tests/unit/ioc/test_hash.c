/*
 * test_hash.c - MD5, SHA-1, SHA-256 and SHA-512 digests (src/ioc/hash.c):
 * hex of exactly the right length, lower-cased.
 *
 * The digests are those of the empty string and of "abc" (FIPS 180-2
 * examples, RFC 1321 test suite).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ioc/ioc_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define MD5_EMPTY    "d41d8cd98f00b204e9800998ecf8427e"
#define SHA1_EMPTY   "da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA512_EMPTY                                                                               \
	"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"                         \
	"47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"

struct valid_case {
	enum ioc_type type;
	const char *in;
	const char *want;
};

struct invalid_case {
	enum ioc_type type;
	const char *in;
	const char *reason;
};

static const struct valid_case valid[] = {
        {IOC_MD5, MD5_EMPTY, MD5_EMPTY},
        {IOC_MD5, "900150983CD24FB0D6963F7D28E17F72", "900150983cd24fb0d6963f7d28e17f72"},
        {IOC_MD5, "900150983cD24fB0d6963F7d28e17F72", "900150983cd24fb0d6963f7d28e17f72"},
        {IOC_MD5, "00000000000000000000000000000000", "00000000000000000000000000000000"},
        {IOC_MD5, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "ffffffffffffffffffffffffffffffff"},
        {IOC_SHA1, SHA1_EMPTY, SHA1_EMPTY},
        {IOC_SHA1, "A9993E364706816ABA3E25717850C26C9CD0D89D",
         "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {IOC_SHA256, SHA256_EMPTY, SHA256_EMPTY},
        {IOC_SHA256, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {IOC_SHA512, SHA512_EMPTY, SHA512_EMPTY},
        {IOC_SHA512,
         "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A"
         "2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F",
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
         "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
};

static const struct invalid_case invalid[] = {
        /* wrong lengths: one short, one long, another type's length, empty */
        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427", "md5: expected 32 hex digits, got 31"},
        {IOC_MD5, MD5_EMPTY "0", "md5: expected 32 hex digits, got 33"},
        {IOC_MD5, SHA1_EMPTY, "md5: expected 32 hex digits, got 40"},
        {IOC_MD5, "", "md5: expected 32 hex digits, got 0"},
        {IOC_SHA1, MD5_EMPTY, "sha1: expected 40 hex digits, got 32"},
        {IOC_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd8070",
         "sha1: expected 40 hex digits, got 39"},
        {IOC_SHA1, SHA1_EMPTY "a", "sha1: expected 40 hex digits, got 41"},
        {IOC_SHA256, SHA1_EMPTY, "sha256: expected 64 hex digits, got 40"},
        {IOC_SHA256, SHA256_EMPTY "0", "sha256: expected 64 hex digits, got 65"},
        {IOC_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
         "sha256: expected 64 hex digits, got 63"},
        {IOC_SHA512, SHA256_EMPTY, "sha512: expected 128 hex digits, got 64"},
        {IOC_SHA512, SHA512_EMPTY "0", "sha512: expected 128 hex digits, got 129"},
        {IOC_SHA512, SHA256_EMPTY SHA256_EMPTY SHA256_EMPTY,
         "sha512: expected 128 hex digits, got 192"},
        /* non-hex characters, at the reported position */
        {IOC_MD5, "g41d8cd98f00b204e9800998ecf8427e", "md5: invalid hex digit at position 1"},
        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427z", "md5: invalid hex digit at position 32"},
        {IOC_MD5, "d41d8cd98f00b204 9800998ecf8427e", "invalid hex digit at position 17"},
        {IOC_MD5, "0xd41d8cd98f00b204e9800998ecf842", "invalid hex digit at position 2"},
        {IOC_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd8070-",
         "sha1: invalid hex digit at position 40"},
        {IOC_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85G",
         "sha256: invalid hex digit at position 64"},
        {IOC_SHA512,
         "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
         "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3\xc3",
         "sha512: invalid hex digit at position 128"},
        /* not a hash type at all */
        {IOC_IPV4, MD5_EMPTY, "ipv4: expected 0 hex digits, got 32"},
};

/* Parses a heap copy of exactly strlen(in) bytes, so ASan sees overreads. */
static int parse(enum ioc_type type, const char *in, struct ioc_value *out, struct crix_error *err)
{
	size_t n = strlen(in);
	char *copy = malloc(n > 0 ? n : 1);
	assert_non_null(copy);
	memcpy(copy, in, n);
	int rc = ioc_parse_hash(type, copy, n, out, err);
	free(copy);
	return rc;
}

static void test_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(valid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(valid[i].type, valid[i].in, &out, &err);
		if (rc != 0)
			fail_msg("%s \"%s\": rc %d: %s", ioc_type_name(valid[i].type), valid[i].in,
			         rc, err.msg);
		assert_string_equal(out.v, valid[i].want);
		assert_int_equal(out.len, strlen(valid[i].want));
		assert_int_equal(out.type, valid[i].type);
	}
}

static void test_invalid(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(invalid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(invalid[i].type, invalid[i].in, &out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("%s \"%s\": rc %d, want CRIX_EINVAL",
			         ioc_type_name(invalid[i].type), invalid[i].in, rc);
		assert_int_equal(err.code, CRIX_EINVAL);
		if (strstr(err.msg, invalid[i].reason) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", invalid[i].in, err.msg,
			         invalid[i].reason);
		assert_int_equal(parse(invalid[i].type, invalid[i].in, &out, NULL), CRIX_EINVAL);
	}
}

/* Each type accepts exactly its own length of hex: sweep 0..130 digits. */
static void test_lengths(void **state)
{
	(void)state;
	static const struct {
		enum ioc_type type;
		size_t len;
	} types[] = {{IOC_MD5, 32}, {IOC_SHA1, 40}, {IOC_SHA256, 64}, {IOC_SHA512, 128}};
	char hex[131];
	for (size_t k = 0; k < sizeof hex; k++)
		hex[k] = "0123456789ABCDEFabcdef"[k % 22];
	for (size_t t = 0; t < COUNT(types); t++) {
		for (size_t n = 0; n <= 130; n++) {
			struct ioc_value out;
			int rc = ioc_parse_hash(types[t].type, hex, n, &out, NULL);
			if (n == types[t].len) {
				assert_int_equal(rc, 0);
				assert_int_equal(out.len, n);
				for (size_t k = 0; k < n; k++)
					assert_int_equal(out.v[k],
					                 (char)ioc_lower((unsigned char)hex[k]));
				assert_int_equal(out.v[n], '\0');
			} else {
				assert_int_equal(rc, CRIX_EINVAL);
			}
		}
	}
}

/* Every byte that is not a hex digit is refused at every position. */
static void test_every_byte(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		char in[32];
		memcpy(in, MD5_EMPTY, 32);
		in[7] = (char)c;
		struct ioc_value out;
		int rc = ioc_parse_hash(IOC_MD5, in, 32, &out, NULL);
		bool hex =
		        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		assert_int_equal(rc, hex ? 0 : CRIX_EINVAL);
		if (hex)
			assert_int_equal(out.v[7], c >= 'A' && c <= 'F' ? c + 32 : c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_valid),
	        cmocka_unit_test(test_invalid),
	        cmocka_unit_test(test_lengths),
	        cmocka_unit_test(test_every_byte),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
