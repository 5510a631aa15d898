/*
 * test_refang.c - undoing defanging (src/ioc/refang.c): every form of
 * docs/extract.md and of the rule tables in refang.c, the offset map, text
 * that must stay as it is, and the guarantee that refanging never lengthens.
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

struct refang_case {
	const char *in;
	const char *want;
};

static const struct refang_case changed[] = {
        /* schemes, only before "://" or a bracketed form of it */
        {"hxxp://evil.com/x", "http://evil.com/x"},
        {"hXXp://evil.com", "http://evil.com"},
        {"HXXP://evil.com", "http://evil.com"},
        {"hxxps://evil.com", "https://evil.com"},
        {"hXXps://evil.com", "https://evil.com"},
        {"hxtp://evil.com", "http://evil.com"},
        {"hxtps://evil.com", "https://evil.com"},
        {"h**p://evil.com", "http://evil.com"},
        {"h**ps://evil.com", "https://evil.com"},
        {"hzzp://evil.com", "http://evil.com"},
        {"hzzps://evil.com", "https://evil.com"},
        {"fxp://files.evil.com", "ftp://files.evil.com"},
        {"FXP://files.evil.com", "ftp://files.evil.com"},
        {"fxps://files.evil.com", "ftps://files.evil.com"},
        {"see hxxp://evil.com", "see http://evil.com"},
        {"(hxxp://evil.com)", "(http://evil.com)"},
        {"\"hxxps://evil.com\"", "\"https://evil.com\""},
        /* the "://" itself */
        {"hxxp[://]evil.com", "http://evil.com"},
        {"hxxps[:]//evil.com", "https://evil.com"},
        {"http[:]//evil.com", "http://evil.com"},
        {"http[://]evil.com", "http://evil.com"},
        {"http:[//]evil.com", "http://evil.com"},
        {"http:[/][/]evil.com", "http://evil.com"},
        {"hxxp[:]//evil[.]com", "http://evil.com"},
        /* dots */
        {"evil[.]com", "evil.com"},
        {"evil(.)com", "evil.com"},
        {"evil{.}com", "evil.com"},
        {"evil[dot]com", "evil.com"},
        {"evil(dot)com", "evil.com"},
        {"evil{dot}com", "evil.com"},
        {"evil[DOT]com", "evil.com"},
        {"evil(DOT)com", "evil.com"},
        {"evil{Dot}com", "evil.com"},
        {"evil[ . ]com", "evil.com"},
        {"evil\\.com", "evil.com"},
        {"evil dot com", "evil.com"},
        {"evil DOT com", "evil.com"},
        {"www dot evil dot co dot uk", "www.evil.co.uk"},
        {"evil [.] com", "evil.com"},
        {"evil (.) com", "evil.com"},
        {"evil [dot] com", "evil.com"},
        {"evil [.]com", "evil.com"},
        {"evil[.] com", "evil.com"},
        {"1.2.3[.]4", "1.2.3.4"},
        {"1[.]2[.]3[.]4", "1.2.3.4"},
        {"evil[.]co[.]uk", "evil.co.uk"},
        /* colons and slashes */
        {"192.168.1[.]1[:]8080", "192.168.1.1:8080"},
        {"2001[:]db8[:][:]1", "2001:db8::1"},
        {"evil.com[/]path", "evil.com/path"},
        /* at */
        {"bob[at]evil.com", "bob@evil.com"},
        {"bob(at)evil.com", "bob@evil.com"},
        {"bob{at}evil.com", "bob@evil.com"},
        {"bob[@]evil.com", "bob@evil.com"},
        {"bob(@)evil.com", "bob@evil.com"},
        {"bob{@}evil.com", "bob@evil.com"},
        {"bob[AT]evil.com", "bob@evil.com"},
        {"bob [at] evil.com", "bob@evil.com"},
        {"bob (at) evil.com", "bob@evil.com"},
        {"bob [at] evil [dot] com", "bob@evil.com"},
        {"bob[at]evil[.]com", "bob@evil.com"},
        /* several at once */
        {"hxxps://www[.]evil[.]com[/]login?u=bob[at]evil[.]com",
         "https://www.evil.com/login?u=bob@evil.com"},
        {"IOCs: evil[.]com, 10.0.0[.]1 and hxxp://bad(.)org/x",
         "IOCs: evil.com, 10.0.0.1 and http://bad.org/x"},
        {"evil[.]com\nbad[.]org", "evil.com\nbad.org"},
};

static const char *const unchanged[] = {
        "",
        "plain text with evil.com, bob@evil.com and 1.2.3.4",
        "http://evil.com/a?b=c#d",
        "bytes \xff\xfe\x80 and UTF-8 b\xc3\xbc"
        "cher",
        /* " dot " only between two word characters */
        "the dot",
        "dot com",
        "x dot",
        "x dot ",
        "a  dot  b",
        "evil. dot com",
        "polka dot-com",
        "x dot .com",
        " dot ",
        /* defanged schemes only before "://" and not inside a word */
        "hxxp is a word",
        "hxxpevil.com",
        "hxxp:/evil.com",
        "hxxp//evil.com",
        "hxxp: //evil.com",
        "ahxxp://evil.com",
        "1hxxp://evil.com",
        "fxp file",
        "h**p",
        "hxxps",
        "hzzps:",
        /* brackets that are not a rule */
        "[x]",
        "(dotted)",
        "[dott]",
        "{a}",
        "a[ .]b",
        "[. ]",
        "(a)",
        "[",
        "(",
        "{",
        "\\",
        "\\x",
        "[.",
        "[dot",
        "(at",
        "[:",
        "[/",
        "x[",
        /* " at " is not refanged when the result is no e-mail address */
        "meet at noon",
        "look at this",
};

/* Refangs in into a buffer of exactly strlen(in) bytes (and a map of as many
 * entries), so that ASan sees any write or read past the end. */
static int refang(const char *in, char **out, uint32_t **map, size_t *outlen,
                  struct crix_error *err)
{
	size_t n = strlen(in);
	char *text = malloc(n > 0 ? n : 1);
	assert_non_null(text);
	memcpy(text, in, n);
	*out = malloc(n > 0 ? n : 1);
	*map = malloc((n > 0 ? n : 1) * sizeof **map);
	assert_non_null(*out);
	assert_non_null(*map);
	int rc = ioc_refang(text, n, *out, n, *map, outlen, err);
	free(text);
	return rc;
}

/* The map is non-decreasing, inside the input, and each byte that was copied
 * through maps to itself; a byte produced by a rule maps to the rule's first
 * byte, which is one of the bytes that start a rule. */
static void check_map(const char *in, const char *out, const uint32_t *map, size_t outlen)
{
	size_t n = strlen(in);
	for (size_t k = 0; k < outlen; k++) {
		assert_true(map[k] < n);
		if (k > 0)
			assert_true(map[k] >= map[k - 1]);
		if (out[k] != in[map[k]] && strchr("[({\\hHfF ", in[map[k]]) == NULL)
			fail_msg("\"%s\": out[%zu] '%c' maps to '%c' at %u", in, k, out[k],
			         in[map[k]], map[k]);
	}
}

static void test_changed(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(changed); i++) {
		char *out;
		uint32_t *map;
		size_t outlen = 0;
		struct crix_error err = {0};
		int rc = refang(changed[i].in, &out, &map, &outlen, &err);
		if (rc != 0)
			fail_msg("\"%s\": rc %d: %s", changed[i].in, rc, err.msg);
		if (outlen != strlen(changed[i].want) || memcmp(out, changed[i].want, outlen) != 0)
			fail_msg("\"%s\": got \"%.*s\", want \"%s\"", changed[i].in, (int)outlen,
			         out, changed[i].want);
		assert_true(outlen < strlen(changed[i].in) ||
		            strcmp(changed[i].in, changed[i].want) != 0);
		check_map(changed[i].in, out, map, outlen);
		free(out);
		free(map);
	}
}

static void test_unchanged(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(unchanged); i++) {
		char *out;
		uint32_t *map;
		size_t outlen = 99;
		int rc = refang(unchanged[i], &out, &map, &outlen, NULL);
		assert_int_equal(rc, 0);
		if (outlen != strlen(unchanged[i]) || memcmp(out, unchanged[i], outlen) != 0)
			fail_msg("\"%s\": changed to \"%.*s\"", unchanged[i], (int)outlen, out);
		for (size_t k = 0; k < outlen; k++)
			assert_int_equal(map[k], k);
		free(out);
		free(map);
	}
}

struct map_case {
	const char *in;
	const char *want;
	uint32_t map[24];
};

static const struct map_case maps[] = {
        {"evil[.]com", "evil.com", {0, 1, 2, 3, 4, 7, 8, 9}},
        {"hxxps://a.io", "https://a.io", {0, 0, 0, 0, 0, 5, 6, 7, 8, 9, 10, 11}},
        {"hxxp[://]x.io", "http://x.io", {0, 0, 0, 0, 4, 4, 4, 9, 10, 11, 12}},
        {"bob [at] evil.com", "bob@evil.com", {0, 1, 2, 4, 9, 10, 11, 12, 13, 14, 15, 16}},
        {"evil dot com", "evil.com", {0, 1, 2, 3, 4, 9, 10, 11}},
        {"a\\.b", "a.b", {0, 1, 3}},
        {"x[//]y", "x//y", {0, 1, 1, 5}},
        {"1.2.3[.]4[:]80", "1.2.3.4:80", {0, 1, 2, 3, 4, 5, 8, 9, 12, 13}},
};

/* The offset map for a few inputs, entry by entry. */
static void test_map(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(maps); i++) {
		char *out;
		uint32_t *map;
		size_t outlen = 0;
		assert_int_equal(refang(maps[i].in, &out, &map, &outlen, NULL), 0);
		assert_int_equal(outlen, strlen(maps[i].want));
		assert_memory_equal(out, maps[i].want, outlen);
		for (size_t k = 0; k < outlen; k++)
			if (map[k] != maps[i].map[k])
				fail_msg("\"%s\": map[%zu] = %u, want %u", maps[i].in, k, map[k],
				         maps[i].map[k]);
		free(out);
		free(map);
	}
}

/* A NULL map is accepted and gives the same text. */
static void test_no_map(void **state)
{
	(void)state;
	const char *in = "hxxps://www[.]evil[.]com";
	char out[64];
	size_t outlen = 0;
	assert_int_equal(ioc_refang(in, strlen(in), out, sizeof out, NULL, &outlen, NULL), 0);
	assert_int_equal(outlen, strlen("https://www.evil.com"));
	assert_memory_equal(out, "https://www.evil.com", outlen);
}

/* An output buffer shorter than the input is refused, even when the refanged
 * text would fit; one of exactly the input's length always suffices. */
static void test_buffer_too_small(void **state)
{
	(void)state;
	const char *in = "evil[.]com";
	size_t n = strlen(in);
	char out[16];
	uint32_t map[16];
	size_t outlen = 77;
	struct crix_error err = {0};
	int rc = ioc_refang(in, n, out, n - 1, map, &outlen, &err);
	assert_int_equal(rc, CRIX_ETOOBIG);
	assert_int_equal(err.code, CRIX_ETOOBIG);
	assert_non_null(strstr(err.msg, "refang: output buffer too small"));
	assert_int_equal(ioc_refang(in, n, out, 0, NULL, &outlen, NULL), CRIX_ETOOBIG);
	assert_int_equal(ioc_refang(in, n, out, n, map, &outlen, &err), 0);
	assert_int_equal(outlen, 8);
	/* empty input, empty buffer */
	assert_int_equal(ioc_refang("", 0, out, 0, map, &outlen, NULL), 0);
	assert_int_equal(outlen, 0);
}

/* Random text built from the pieces the rules are made of: the output is
 * never longer than the input (with the buffer exactly as large, under ASan)
 * and the map keeps its invariants. */
static void test_never_lengthens(void **state)
{
	(void)state;
	static const char *const pieces[] = {
	        "[.]",   "(.)",   "{.}",      "[dot]", "(dot)", "{dot}", "[ . ]", "\\.",  " dot ",
	        "[at]",  "(at)",  "{at}",     "[@]",   "(@)",   "{@}",   "[:]",   "[/]",  "[//]",
	        "[://]", "[:]//", "hxxp",     "hxxps", "hXXp",  "h**p",  "hzzps", "hxtp", "fxp",
	        "fxps",  "://",   "[",        "]",     "(",     ")",     "{",     "}",    "\\",
	        ".",     ":",     "/",        " ",     "a",     "b",     "7",     "-",    "@",
	        "dot",   "at",    "\xc3\xbc", "\xff",
	};
	srand(20240611);
	for (int round = 0; round < 20000; round++) {
		char in[256];
		size_t n = 0;
		int count = rand() % 24;
		for (int p = 0; p < count; p++) {
			const char *piece = pieces[rand() % (int)COUNT(pieces)];
			size_t pl = strlen(piece);
			if (n + pl >= sizeof in)
				break;
			memcpy(in + n, piece, pl);
			n += pl;
		}
		in[n] = '\0';
		char *out;
		uint32_t *map;
		size_t outlen = 0;
		assert_int_equal(refang(in, &out, &map, &outlen, NULL), 0);
		assert_true(outlen <= n);
		check_map(in, out, map, outlen);
		free(out);
		free(map);
	}
}

/*
 * " at " -> "@" only between word characters and when the domain after it
 * is defanged too, so that prose such as "look at example.com" stays.
 */
static const struct refang_case at_word_bug[] = {
        {"bob at evil[.]com", "bob@evil.com"},
        /* prose before " at " keeps it a preposition */
        {"hosted at evil[.]com", "hosted at evil.com"},
        {"the C2 at evil[.]com", "the C2 at evil.com"},
        {"mail alice at example dot org", "mail alice@example.org"},
        {"look at example.com", "look at example.com"},
        {"meet at noon", "meet at noon"},
};

static void test_at_word_form(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < COUNT(at_word_bug); i++) {
		char *out;
		uint32_t *map;
		size_t outlen = 0;
		assert_int_equal(refang(at_word_bug[i].in, &out, &map, &outlen, NULL), 0);
		if (outlen != strlen(at_word_bug[i].want) ||
		    memcmp(out, at_word_bug[i].want, outlen) != 0) {
			print_error("\"%s\": got \"%.*s\", want \"%s\"\n", at_word_bug[i].in,
			            (int)outlen, out, at_word_bug[i].want);
			bad++;
		}
		free(out);
		free(map);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_changed),
	        cmocka_unit_test(test_unchanged),
	        cmocka_unit_test(test_map),
	        cmocka_unit_test(test_no_map),
	        cmocka_unit_test(test_buffer_too_small),
	        cmocka_unit_test(test_never_lengthens),
	        cmocka_unit_test(test_at_word_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
