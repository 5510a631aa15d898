/*
 * test_uuid.c - UUIDs (src/share/uuid.c): parsing and formatting, version 5
 * against values computed independently (Python's uuid.uuid5), version 4's
 * version and variant bits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "share/uuid.h"

static void test_parse_format(void **state)
{
	(void)state;
	struct uuid u;
	char s[UUID_STR_LEN];
	assert_int_equal(uuid_parse("00ABEDB4-aa42-466c-9c01-FED23315a9b7", &u), 0);
	uuid_format(&u, s);
	assert_string_equal(s, "00abedb4-aa42-466c-9c01-fed23315a9b7");
	assert_int_equal(u.b[0], 0x00);
	assert_int_equal(u.b[1], 0xab);
	assert_int_equal(u.b[15], 0xb7);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	struct uuid u;
	const char *bad[] = {"",
	                     "00abedb4-aa42-466c-9c01-fed23315a9b",   /* short */
	                     "00abedb4-aa42-466c-9c01-fed23315a9b77", /* long */
	                     "00abedb4aa42-466c-9c01-fed23315a9b7-",  /* dash misplaced */
	                     "{0abedb4-aa42-466c-9c01-fed23315a9b7}",
	                     "00abedb4-aa42-466c-9c01-fed23315a9bg"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_not_equal(uuid_parse(bad[i], &u), 0);
}

static void v5(const char *ns, const char *name, const char *want)
{
	struct uuid n, u;
	char s[UUID_STR_LEN];
	assert_int_equal(uuid_parse(ns, &n), 0);
	uuid_v5(&n, name, strlen(name), &u);
	uuid_format(&u, s);
	assert_string_equal(s, want);
}

static void test_v5_known(void **state)
{
	(void)state;
	/* RFC 9562's DNS namespace; value from Python uuid.uuid5(NAMESPACE_DNS, ...) */
	v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com",
	   "2ed6657d-e927-568b-95e1-2665a8aea6a2");
	/* STIX's SCO namespace over canonical JSON, as STIX 2.1 section 2.9 asks */
	v5("00abedb4-aa42-466c-9c01-fed23315a9b7", "{\"value\":\"198.51.100.7\"}",
	   "12592121-be4c-5a93-a813-5a5af16e50db");
}

static void test_v4_bits(void **state)
{
	(void)state;
	struct uuid a, b;
	uuid_v4(&a);
	uuid_v4(&b);
	assert_int_equal(a.b[6] >> 4, 4);
	assert_int_equal(a.b[8] >> 6, 2);
	assert_memory_not_equal(a.b, b.b, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_format),
	        cmocka_unit_test(test_parse_rejects),
	        cmocka_unit_test(test_v5_known),
	        cmocka_unit_test(test_v4_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
