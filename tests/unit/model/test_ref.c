/*
 * test_ref.c - crime reference numbers (src/model/ref.c): the shape of a new
 * reference, how a typed reference is read back (case, spaces and hyphens do
 * not matter; length, prefix and characters do), the check character against
 * known answers of Damm's algorithm over x * y = 2x + y in GF(32), and the
 * property the check
 * character is there for: a mistyped character or two swapped neighbours is
 * caught instead of finding someone else's report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ref.h"
#include "util/secret.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define ROUNDS   2000 /* random references per property */

static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int setup(void **state)
{
	(void)state;
	return secret_init(NULL);
}

/* The check character computed independently: Damm's algorithm with the
 * operation table of x * y = 2x + y in GF(32), built here from log and
 * antilog tables of the generator x (modulus x^5 + x^2 + 1) rather than by
 * shift-and-add as in ref.c. */
static char reference_check(const char *s, size_t n)
{
	int exp[62], log[32] = {0};
	exp[0] = 1;
	for (int k = 1; k < 62; k++) {
		int v = exp[k - 1] << 1;
		exp[k] = v & 32 ? v ^ 0x25 : v;
	}
	for (int k = 0; k < 31; k++)
		log[exp[k]] = k;
	int two_times[32];
	for (int v = 0; v < 32; v++)
		two_times[v] = v == 0 ? 0 : exp[log[v] + 1]; /* 2 is x = exp[1] */
	int interim = 0;
	for (size_t i = 0; i < n; i++) {
		const char *at = strchr(crockford, s[i]);
		assert_non_null(at);
		interim = two_times[interim] ^ (int)(at - crockford);
	}
	return crockford[two_times[interim]];
}

static int accepted(const char *s)
{
	char out[REF_LEN + 1];
	struct crix_error err = {0};
	return ref_parse(s, out, &err) == 0;
}

/* ---- known answers ---- */

static const struct {
	const char *in;
	char check;
} known[] = {
        /* Worked by hand: i = 0 -> check 2 * 0 = 0 -> '0'. */
        {"", '0'},
        {"0", '0'},
        /* "1": i = 2*0 + 1 = 1, check 2 * 1 = 2 -> '2'. */
        {"1", '2'},
        /* "A" (10): i = 10, check 2 * 10 = 20 -> 'M' (Crockford 20). */
        {"A", 'M'},
        /* "Z" (31): i = 31 = x^4+x^3+x^2+x+1; 2i = x^5+x^4+x^3+x^2+x
         * = x^4+x^3+x+1 (x^5 = x^2 + 1) = 27 -> 'V'. */
        {"Z", 'V'},
        {"00", '0'},
        {"CRX26K7M2Q9XH", '8'},
        /* the swap that ISO 7064 MOD 37,36 missed */
        {"CRX2654QN8TBR", '1'},
        {"CRX2645QN8TBR", 'R'},
};

static void test_check_char_known(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(known); i++) {
		char got = ref_check_char(known[i].in, strlen(known[i].in));
		if (got != known[i].check)
			fail_msg("ref_check_char(\"%s\") = '%c', want '%c'", known[i].in, got,
			         known[i].check);
		assert_int_equal(reference_check(known[i].in, strlen(known[i].in)), known[i].check);
	}
	/* only the first n characters count */
	assert_int_equal(ref_check_char("CRX26K7M2Q9XHZZZ", 13), '8');
}

/* The implementation and the standard agree on random strings too. */
static void test_check_char_matches_standard(void **state)
{
	(void)state;
	char s[32];
	for (int round = 0; round < ROUNDS; round++) {
		unsigned char r[32];
		secret_random(r, sizeof r);
		size_t n = r[0] % 24;
		for (size_t i = 0; i < n; i++)
			s[i] = crockford[r[i + 1] % 32];
		s[n] = '\0';
		assert_int_equal(ref_check_char(s, n), reference_check(s, n));
	}
}

/* ---- new references ---- */

static void test_new_shape(void **state)
{
	(void)state;
	static const struct {
		int year;
		const char *digits;
	} years[] = {{2026, "26"}, {2000, "00"}, {2009, "09"}, {1999, "99"}, {26, "26"}, {5, "05"}};
	for (size_t y = 0; y < COUNT(years); y++)
		for (int round = 0; round < 200; round++) {
			char ref[REF_LEN + 1];
			memset(ref, 'x', sizeof ref);
			ref_new(years[y].year, ref);
			assert_int_equal(strlen(ref), REF_LEN);
			assert_int_equal(REF_LEN, 14);
			assert_memory_equal(ref, "CRX", 3);
			assert_memory_equal(ref + 3, years[y].digits, 2);
			for (int i = 5; i < 13; i++)
				if (strchr(crockford, ref[i]) == NULL)
					fail_msg("%s: '%c' at %d is not Crockford base 32", ref,
					         ref[i], i);
			assert_non_null(strchr(alnum, ref[13]));
			assert_int_equal(ref[13], reference_check(ref, 13));
			char out[REF_LEN + 1];
			struct crix_error err = {0};
			if (ref_parse(ref, out, &err) != 0)
				fail_msg("%s: %s", ref, err.msg);
			assert_string_equal(out, ref);
		}
}

/* Eight random characters: two references in a row differ. */
static void test_new_random(void **state)
{
	(void)state;
	char a[REF_LEN + 1], b[REF_LEN + 1];
	int same = 0;
	for (int i = 0; i < 100; i++) {
		ref_new(2026, a);
		ref_new(2026, b);
		same += strcmp(a, b) == 0;
	}
	assert_int_equal(same, 0);
}

/* ---- reading typed references ---- */

static void test_parse_forms(void **state)
{
	(void)state;
	char ref[REF_LEN + 1];
	ref_new(2026, ref);
	char lower[REF_LEN + 1];
	for (int i = 0; i <= REF_LEN; i++)
		lower[i] = (char)(ref[i] >= 'A' && ref[i] <= 'Z' ? ref[i] - 'A' + 'a' : ref[i]);
	char spaced[64], hyphens[64], mixed[64];
	snprintf(spaced, sizeof spaced, "%.3s %.2s %.4s %.4s %c", ref, ref + 3, ref + 5, ref + 9,
	         ref[13]);
	snprintf(hyphens, sizeof hyphens, "%.3s-%.2s-%.4s-%.5s", ref, ref + 3, ref + 5, ref + 9);
	snprintf(mixed, sizeof mixed, " -%.7s- -%s  ", lower, ref + 7);
	const char *forms[] = {ref, lower, spaced, hyphens, mixed};
	for (size_t i = 0; i < COUNT(forms); i++) {
		char out[REF_LEN + 1];
		struct crix_error err = {0};
		if (ref_parse(forms[i], out, &err) != 0)
			fail_msg("ref_parse(\"%s\"): %s", forms[i], err.msg);
		assert_string_equal(out, ref);
	}
}

/* A valid reference built from a body of 13 characters. */
static void make_ref(const char *body, char out[REF_LEN + 1])
{
	assert_int_equal(strlen(body), 13);
	memcpy(out, body, 13);
	out[13] = ref_check_char(body, 13);
	out[14] = '\0';
}

static void test_parse_rejects(void **state)
{
	(void)state;
	char good[REF_LEN + 1], longer[32], shorter[32], prefix[REF_LEN + 1];
	make_ref("CRX26K7M2Q9XH", good);
	assert_true(accepted(good));
	snprintf(longer, sizeof longer, "%sA", good);
	snprintf(shorter, sizeof shorter, "%.13s", good);
	make_ref("CRY26K7M2Q9XH", prefix); /* right check character, wrong prefix */
	char wrong_check[REF_LEN + 1];
	memcpy(wrong_check, good, sizeof good);
	wrong_check[13] = wrong_check[13] == 'A' ? 'B' : 'A';

	static const char *const bad_chars[] = {
	        "CRX26K7M2Q9XH.",       "CRX26K7M2Q9XH_",  "CRX26K7M2Q9XH/", "CRX26K7M2Q9XH\t",
	        "CRX26K7M2Q9X\xc3\x84", "CRX26K7M2Q9XH\n", "CRX26K7M2Q9+H4"};
	const char *bad[] = {"",
	                     "   ",
	                     "---",
	                     "CRX",
	                     shorter,
	                     longer,
	                     prefix,
	                     wrong_check,
	                     "XCR26K7M2Q9XH4",
	                     "CRX26K7M2Q9XH4CRX26K7M2Q9XH4"};
	for (size_t i = 0; i < COUNT(bad); i++) {
		char out[REF_LEN + 1];
		struct crix_error err = {0};
		int rc = ref_parse(bad[i], out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("ref_parse(\"%s\") = %d, want CRIX_EINVAL", bad[i], rc);
		assert_string_equal(err.field, "reference");
		assert_non_null(strstr(err.msg, "reference"));
	}
	for (size_t i = 0; i < COUNT(bad_chars); i++) {
		char out[REF_LEN + 1];
		struct crix_error err = {0};
		assert_int_equal(ref_parse(bad_chars[i], out, &err), CRIX_EINVAL);
		assert_string_equal(err.field, "reference");
		assert_non_null(strstr(err.msg, "cannot be part of a reference"));
	}
	/* the messages tell the person what went wrong */
	struct crix_error err = {0};
	char out[REF_LEN + 1];
	ref_parse(wrong_check, out, &err);
	assert_non_null(strstr(err.msg, "mistyped"));
	ref_parse(shorter, out, &err);
	assert_non_null(strstr(err.msg, "14 characters"));
	ref_parse(longer, out, &err);
	assert_non_null(strstr(err.msg, "too long"));
	/* a very long input stops at the cap, never overflowing out */
	char huge[4096];
	memset(huge, 'A', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	struct {
		char out[REF_LEN + 1];
		char guard[16];
	} g;
	memset(&g, 'g', sizeof g);
	assert_int_equal(ref_parse(huge, g.out, &err), CRIX_EINVAL);
	for (size_t i = 0; i < sizeof g.guard; i++)
		assert_int_equal(g.guard[i], 'g');
	/* NULL error struct is fine */
	assert_int_equal(ref_parse("nope", out, NULL), CRIX_EINVAL);
}

/* ---- the property ---- */

/* Every single-character substitution, at every position (the check
 * character included), by every character of 0-9A-Z, is refused. */
static void test_every_substitution_rejected(void **state)
{
	(void)state;
	for (int round = 0; round < ROUNDS; round++) {
		char ref[REF_LEN + 1], t[REF_LEN + 1];
		ref_new(2026 + round % 10, ref);
		for (int i = 0; i < REF_LEN; i++)
			for (int k = 0; k < 36; k++) {
				if (alnum[k] == ref[i])
					continue;
				memcpy(t, ref, sizeof t);
				t[i] = alnum[k];
				if (accepted(t))
					fail_msg("%s -> %s (position %d) accepted", ref, t, i);
			}
	}
}

/* The counter-example this test found under ISO 7064 MOD 37,36: 5 and 4
 * swapped at positions 5-6 of a valid reference. */
static const char swap_a[] = "CRX2654QN8TBR1", swap_b[] = "CRX2645QN8TBR1";

/* Every swap of two different neighbours is refused. */
static void test_every_transposition_rejected(void **state)
{
	(void)state;
	/* Under ISO 7064 MOD 37,36 (the first choice) swap_a and swap_b were
	 * both valid. */
	assert_true(accepted(swap_a) != accepted(swap_b) ||
	            (!accepted(swap_a) && !accepted(swap_b)));
	for (int round = 0; round < ROUNDS; round++) {
		char ref[REF_LEN + 1], t[REF_LEN + 1];
		ref_new(2026, ref);
		for (int i = 0; i + 1 < REF_LEN; i++) {
			if (ref[i] == ref[i + 1])
				continue;
			memcpy(t, ref, sizeof t);
			t[i] = ref[i + 1];
			t[i + 1] = ref[i];
			if (accepted(t))
				fail_msg("%s -> %s (swap at %d) accepted", ref, t, i);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_check_char_known),
	        cmocka_unit_test(test_check_char_matches_standard),
	        cmocka_unit_test(test_new_shape),
	        cmocka_unit_test(test_new_random),
	        cmocka_unit_test(test_parse_forms),
	        cmocka_unit_test(test_parse_rejects),
	        cmocka_unit_test(test_every_substitution_rejected),
	        cmocka_unit_test(test_every_transposition_rejected),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
