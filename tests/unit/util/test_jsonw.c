/*
 * test_jsonw.c - JSON string escaping (src/util/jsonw.c): quotes, backslash
 * and control characters escaped per RFC 8259, valid UTF-8 kept as it is,
 * and each byte that is not part of a valid UTF-8 sequence (lone bytes,
 * overlong forms, surrogates, values past U+10FFFF, truncated sequences)
 * written as \ufffd, so that the output is always valid JSON.
 *
 * jsonw_string is read back through open_memstream and fmemopen, jsonw_escape
 * into a buffer of exactly JSONW_ESCAPED_MAX bytes, and the jsonw_out writer
 * through a temporary file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/jsonw.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FFFD     "\\ufffd"

struct esc_case {
	const char *in;
	size_t len;       /* 0: strlen(in) */
	const char *want; /* without the quotes */
};

static const struct esc_case cases[] = {
        {"", 0, ""},
        {"abc", 0, "abc"},
        {"evil.com/a?b=c&d", 0, "evil.com/a?b=c&d"},
        {"</script>", 0, "</script>"},
        /* quote and backslash */
        {"a\"b", 0, "a\\\"b"},
        {"a\\b", 0, "a\\\\b"},
        {"\"\\\"", 0, "\\\"\\\\\\\""},
        /* control characters: the short forms, then \u00XX */
        {"\n\r\t", 0, "\\n\\r\\t"},
        {"\b\f", 0, "\\u0008\\u000c"},
        {"\x01\x1f", 0, "\\u0001\\u001f"},
        {"\x1b[0m", 0, "\\u001b[0m"},
        {"\0", 1, "\\u0000"},
        {"a\0b", 3, "a\\u0000b"},
        {"\x7f", 0, "\x7f"}, /* DEL needs no escaping in JSON */
        {" ~", 0, " ~"},
        /* valid UTF-8 is kept, at the edges of each length */
        {"\xc2\x80", 0, "\xc2\x80"}, /* U+0080 */
        {"b\xc3\xbc"
         "cher",
         0,
         "b\xc3\xbc"
         "cher"},                                    /* U+00FC */
        {"\xdf\xbf", 0, "\xdf\xbf"},                 /* U+07FF */
        {"\xe0\xa0\x80", 0, "\xe0\xa0\x80"},         /* U+0800 */
        {"\xe2\x82\xac", 0, "\xe2\x82\xac"},         /* U+20AC */
        {"\xed\x9f\xbf", 0, "\xed\x9f\xbf"},         /* U+D7FF */
        {"\xee\x80\x80", 0, "\xee\x80\x80"},         /* U+E000 */
        {"\xef\xbf\xbd", 0, "\xef\xbf\xbd"},         /* U+FFFD */
        {"\xef\xbf\xbf", 0, "\xef\xbf\xbf"},         /* U+FFFF */
        {"\xf0\x90\x80\x80", 0, "\xf0\x90\x80\x80"}, /* U+10000 */
        {"\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80"}, /* U+1F600 */
        {"\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf"}, /* U+10FFFF */
        {"\xe6\x97\xa5\xe6\x9c\xac\"", 0, "\xe6\x97\xa5\xe6\x9c\xac\\\""},
        /* lone bytes */
        {"\xff", 0, FFFD},
        {"\xfe", 0, FFFD},
        {"\x80", 0, FFFD},
        {"\xbf", 0, FFFD},
        {"a\xff"
         "b",
         0, "a" FFFD "b"},
        {"\x80\x80", 0, FFFD FFFD},
        /* overlong forms */
        {"\xc0\xaf", 0, FFFD FFFD},
        {"\xc1\xbf", 0, FFFD FFFD},
        {"\xc0\x80", 0, FFFD FFFD},
        {"\xe0\x80\xaf", 0, FFFD FFFD FFFD},
        {"\xe0\x9f\xbf", 0, FFFD FFFD FFFD},
        {"\xf0\x80\x80\xaf", 0, FFFD FFFD FFFD FFFD},
        {"\xf0\x8f\xbf\xbf", 0, FFFD FFFD FFFD FFFD},
        /* UTF-16 surrogates */
        {"\xed\xa0\x80", 0, FFFD FFFD FFFD},
        {"\xed\xbf\xbf", 0, FFFD FFFD FFFD},
        {"\xed\xa0\xbd\xed\xb8\x80", 0, FFFD FFFD FFFD FFFD FFFD FFFD},
        /* past U+10FFFF, and lead bytes that no sequence has */
        {"\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD},
        {"\xf5\x80\x80\x80", 0, FFFD FFFD FFFD FFFD},
        {"\xf8\x88\x80\x80\x80", 0, FFFD FFFD FFFD FFFD FFFD},
        /* truncated sequences, at the end and followed by other bytes */
        {"\xc3", 0, FFFD},
        {"\xe2\x82", 0, FFFD FFFD},
        {"\xf0\x9f\x98", 0, FFFD FFFD FFFD},
        {"a\xe2\x82", 0, "a" FFFD FFFD},
        {"\xe2\x82"
         "a",
         0, FFFD FFFD "a"},
        {"\xc3(", 0, FFFD "("},
        {"\xe2(\xa1", 0, FFFD "(" FFFD},
        {"\xf0\x9f\x98\"", 0, FFFD FFFD FFFD "\\\""},
        {"\xc3\xc3\xbc", 0, FFFD "\xc3\xbc"},
        {"\xc3\xa9\xff\"", 0, "\xc3\xa9" FFFD "\\\""},
};

/* jsonw_string's output for s[0..n), NUL-terminated (caller frees). */
static char *string_of(const char *s, size_t n, size_t *outlen)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_non_null(f);
	jsonw_string(f, s, n);
	assert_int_equal(fclose(f), 0);
	*outlen = size;
	return buf;
}

/* jsonw_out_string's output for s[0..n) through a temporary file,
 * NUL-terminated (caller frees). */
static char *out_string_of(const char *s, size_t n, size_t *outlen)
{
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	struct jsonw_out o;
	assert_int_equal(jsonw_out_init(&o, fileno(tmp), 0), 0);
	jsonw_out_string(&o, s, n);
	assert_int_equal(jsonw_out_flush(&o), 0);
	jsonw_out_free(&o);
	off_t end = lseek(fileno(tmp), 0, SEEK_END);
	assert_true(end >= 0);
	char *buf = malloc((size_t)end + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fileno(tmp), buf, (size_t)end, 0), end);
	buf[end] = '\0';
	fclose(tmp);
	*outlen = (size_t)end;
	return buf;
}

/* jsonw_escape's output for s[0..n), into a heap buffer of exactly the
 * documented maximum so that ASan sees an overflow. */
static char *escape_of(const char *s, size_t n, size_t *outlen)
{
	size_t cap = JSONW_ESCAPED_MAX(n);
	char *buf = malloc(cap + 1);
	assert_non_null(buf);
	char *dst = malloc(cap > 0 ? cap : 1);
	assert_non_null(dst);
	size_t k = jsonw_escape(dst, s, n);
	assert_true(k <= cap);
	memcpy(buf, dst, k);
	buf[k] = '\0';
	free(dst);
	*outlen = k;
	return buf;
}

/* A heap copy of exactly n bytes, so that a read past the end is caught. */
static char *exact(const char *s, size_t n)
{
	char *p = malloc(n > 0 ? n : 1);
	assert_non_null(p);
	memcpy(p, s, n);
	return p;
}

static void test_string(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
		char *in = exact(cases[i].in, n);
		size_t len;
		char *got = string_of(in, n, &len);
		size_t wl = strlen(cases[i].want);
		if (len != wl + 2 || got[0] != '"' || got[len - 1] != '"' ||
		    memcmp(got + 1, cases[i].want, wl) != 0)
			fail_msg("case %zu: got %s, want \"%s\"", i, got, cases[i].want);
		free(got);
		/* the buffered writer gives the same bytes */
		got = out_string_of(in, n, &len);
		if (len != wl + 2 || got[0] != '"' || got[len - 1] != '"' ||
		    memcmp(got + 1, cases[i].want, wl) != 0)
			fail_msg("case %zu: jsonw_out_string gave %s, want \"%s\"", i, got,
			         cases[i].want);
		free(got);
		free(in);
	}
}

static void test_escape(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
		char *in = exact(cases[i].in, n);
		size_t len;
		char *got = escape_of(in, n, &len);
		if (len != strlen(cases[i].want) || memcmp(got, cases[i].want, len) != 0)
			fail_msg("case %zu: got %s, want %s", i, got, cases[i].want);
		free(got);
		free(in);
	}
}

/* The same through a fixed-size fmemopen buffer, after other output. */
static void test_string_fmemopen(void **state)
{
	(void)state;
	char buf[128];
	memset(buf, 0, sizeof buf);
	FILE *f = fmemopen(buf, sizeof buf, "w");
	assert_non_null(f);
	fputs("{\"v\":", f);
	jsonw_string(f, "a\"\n\xff\xc3\xbc", 6);
	fputs("}", f);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "{\"v\":\"a\\\"\\n\\ufffd\xc3\xbc\"}");
}

/* The worst case fills JSONW_ESCAPED_MAX exactly: 6 bytes per control byte. */
static void test_escape_worst_case(void **state)
{
	(void)state;
	char in[300];
	memset(in, 0x01, sizeof in);
	size_t len;
	char *got = escape_of(in, sizeof in, &len);
	assert_int_equal(len, JSONW_ESCAPED_MAX(sizeof in));
	for (size_t i = 0; i < sizeof in; i++)
		assert_memory_equal(got + 6 * i, "\\u0001", 6);
	free(got);
	/* every byte value alone */
	for (int c = 0; c < 256; c++) {
		char b = (char)c;
		got = escape_of(&b, 1, &len);
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\')
			assert_true(len == 1 && got[0] == b);
		else if (c >= 0x80)
			assert_string_equal(got, FFFD);
		else
			assert_true(len == 2 || len == 6);
		free(got);
	}
}

/* Long strings go out in pieces: a multi-byte character, an escape or an
 * invalid byte at any offset around the piece boundaries must come out the
 * same as in a short string. */
static void test_string_long(void **state)
{
	(void)state;
	static const struct {
		const char *ins;
		const char *outs;
	} pieces[] = {
	        {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
	        {"\xe2\x82\xac", "\xe2\x82\xac"},
	        {"\xc3\xbc", "\xc3\xbc"},
	        {"\"", "\\\""},
	        {"\n", "\\n"},
	        {"\x01", "\\u0001"},
	        {"\xff", FFFD},
	        {"\xe2\x82", FFFD FFFD},
	        {"\x80\x80\x80\x80\x80", FFFD FFFD FFFD FFFD FFFD},
	};
	const size_t total = 2100;
	char *in = malloc(total);
	char *want = malloc(total * 6 + 3);
	assert_non_null(in);
	assert_non_null(want);
	for (size_t p = 0; p < COUNT(pieces); p++) {
		size_t pl = strlen(pieces[p].ins), ol = strlen(pieces[p].outs);
		for (size_t at = 0; at + pl <= total; at++) {
			/* only offsets near a multiple of 256 (and 1024) matter */
			if (at % 256 > 8 && at % 256 < 248)
				continue;
			memset(in, 'a', total);
			memcpy(in + at, pieces[p].ins, pl);
			size_t w = 0;
			want[w++] = '"';
			memset(want + w, 'a', at);
			w += at;
			memcpy(want + w, pieces[p].outs, ol);
			w += ol;
			memset(want + w, 'a', total - at - pl);
			w += total - at - pl;
			want[w++] = '"';
			size_t len;
			char *got = string_of(in, total, &len);
			if (len != w || memcmp(got, want, w) != 0)
				fail_msg("piece %zu at offset %zu differs", p, at);
			free(got);
		}
	}
	free(in);
	free(want);
}

/* jsonw_out: bytes, numbers and strings reach the file descriptor in order,
 * through the buffer and past it. */
static void test_out(void **state)
{
	(void)state;
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	struct jsonw_out o;
	assert_int_equal(jsonw_out_init(&o, fileno(tmp), 0), 0);
	jsonw_out_str(&o, "{\"n\":");
	jsonw_out_u64(&o, 0);
	jsonw_out_put(&o, ",", 1);
	jsonw_out_u64(&o, 18446744073709551615u);
	jsonw_out_str(&o, ",\"s\":");
	jsonw_out_string(&o, "a\"\xff\xc3\xbc", 5);
	jsonw_out_str(&o, "}\n");
	/* a string far larger than the buffer */
	size_t big = 100000;
	char *s = malloc(big);
	assert_non_null(s);
	memset(s, 'x', big);
	s[big / 2] = '\n';
	jsonw_out_string(&o, s, big);
	assert_int_equal(jsonw_out_flush(&o), 0);
	jsonw_out_free(&o);
	jsonw_out_free(NULL);

	const char *head = "{\"n\":0,18446744073709551615,\"s\":\"a\\\"\\ufffd\xc3\xbc\"}\n";
	size_t hl = strlen(head);
	long end = lseek(fileno(tmp), 0, SEEK_END);
	assert_int_equal(end, (long)(hl + big + 1 + 2));
	char *back = malloc((size_t)end);
	assert_non_null(back);
	assert_int_equal(pread(fileno(tmp), back, (size_t)end, 0), end);
	assert_memory_equal(back, head, hl);
	assert_int_equal(back[hl], '"');
	assert_int_equal(back[hl + 1 + big / 2], '\\');
	assert_int_equal(back[hl + 1 + big / 2 + 1], 'n');
	assert_int_equal(back[end - 1], '"');
	free(back);
	free(s);
	fclose(tmp);
}

/*
 * Regression: jsonw_string() escapes in pieces of 256
 * bytes and moves a cut back over continuation bytes so as not to split a
 * character, but it stops at 252.  When a valid character crosses offset 252
 * and stray continuation bytes follow it up to offset 256, the cut lands
 * inside the character and the valid character comes out as U+FFFD too.
 * jsonw_out_string() has the same cut at 1024/1020.  The fix is to move the
 * cut back to the lead byte of the character it splits (at most 3 bytes)
 * rather than over any run of continuation bytes.
 */
static void test_string_piece_cut_keeps_character(void **state)
{
	(void)state;
	int bad = 0;
	/* a character starting at `at`, then stray continuation bytes to 256 */
	static const char *const chars[] = {"\xf0\x9f\x98\x80", "\xe2\x82\xac", "\xc3\xbc"};
	for (size_t c = 0; c < COUNT(chars); c++) {
		size_t cl = strlen(chars[c]);
		for (size_t at = 249; at <= 252; at++) {
			if (at + cl > 256 || at + cl <= 252)
				continue;
			char in[300];
			memset(in, 'a', sizeof in);
			memcpy(in + at, chars[c], cl);
			size_t strays = 257 - (at + cl);
			memset(in + at + cl, 0x80, strays);
			char want[600];
			want[0] = '"';
			memset(want + 1, 'a', at);
			size_t w = 1 + at;
			memcpy(want + w, chars[c], cl);
			w += cl;
			for (size_t k = 0; k < strays; k++, w += 6)
				memcpy(want + w, FFFD, 6);
			memset(want + w, 'a', sizeof in - (at + cl + strays));
			w += sizeof in - (at + cl + strays);
			want[w++] = '"';
			size_t len;
			char *got = string_of(in, sizeof in, &len);
			if (len != w || memcmp(got, want, w) != 0) {
				print_error("jsonw_string: %zu-byte character at %zu + %zu stray "
				            "continuation bytes: the character became U+FFFD\n",
				            cl, at, strays);
				bad++;
			}
			free(got);
		}
	}
	/* jsonw_out_string: a 4-byte character at 1019, strays up to 1024 */
	char in[1100];
	memset(in, 'a', sizeof in);
	memcpy(in + 1019, "\xf0\x9f\x98\x80", 4);
	memset(in + 1023, 0x80, 2);
	size_t len;
	char *got = out_string_of(in, sizeof in, &len);
	if (len < 1 + 1019 + 4 || memcmp(got + 1 + 1019, "\xf0\x9f\x98\x80", 4) != 0) {
		print_error("jsonw_out_string: 4-byte character at 1019 + 2 stray continuation "
		            "bytes: the character became U+FFFD\n");
		bad++;
	}
	free(got);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_string),
	        cmocka_unit_test(test_escape),
	        cmocka_unit_test(test_string_fmemopen),
	        cmocka_unit_test(test_escape_worst_case),
	        cmocka_unit_test(test_string_long),
	        cmocka_unit_test(test_out),
	        cmocka_unit_test(test_string_piece_cut_keeps_character),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
