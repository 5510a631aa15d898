/*
 * test_csv.c - the CSV reader (src/util/csv.c) as data: each case is the
 * input, the separator and the buffer size, and the records it must give,
 * written as "LINE:field|field;" per record and "LINE:!why;" per bad record
 * (the reader moves past a bad record and goes on).  Quotes, doubled quotes,
 * CRLF and LF, line breaks inside quotes (and the line numbers after them),
 * too many fields, an unclosed quote, text after a closing quote, a record
 * too long for the buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Reads all of data and describes what came out; checks that every field
 * lies within buf and is NUL-terminated there. */
static void describe(const char *data, size_t len, char sep, size_t cap, char *out, size_t outcap)
{
	struct csv_reader r;
	csv_init(&r, data, len, sep);
	char *buf = malloc(cap + 1);
	assert_non_null(buf);
	buf[cap] = 'G'; /* a guard byte after the buffer */
	out[0] = '\0';
	for (int guard = 0; guard < 1000; guard++) {
		struct csv_record rec;
		const char *why = "unset";
		int rc = csv_next(&r, &rec, buf, cap, &why);
		size_t o = strlen(out);
		if (rc == 0) {
			assert_int_equal(rec.n, 0);
			break;
		}
		if (rc < 0) {
			assert_non_null(why);
			snprintf(out + o, outcap - o, "%zu:!%s;", rec.line, why);
			continue;
		}
		assert_int_equal(rc, 1);
		assert_true(rec.n >= 1 && rec.n <= CSV_FIELDS_MAX);
		o += (size_t)snprintf(out + o, outcap - o, "%zu:", rec.line);
		for (size_t i = 0; i < rec.n; i++) {
			assert_true(rec.field[i] >= buf && rec.field[i] < buf + cap);
			assert_non_null(
			        memchr(rec.field[i], '\0', (size_t)(buf + cap - rec.field[i])));
			if (i > 0)
				assert_true(rec.field[i] > rec.field[i - 1]);
			o += (size_t)snprintf(out + o, outcap - o, "%s%s", i ? "|" : "",
			                      rec.field[i]);
		}
		snprintf(out + o, outcap - o, ";");
	}
	assert_int_equal(buf[cap], 'G');
	free(buf);
}

static const struct {
	const char *in;
	char sep;
	size_t cap;
	const char *want;
} cases[] = {
        /* plain records, LF and CRLF, with and without a last line end */
        {"a,b,c\n", ',', 64, "1:a|b|c;"},
        {"a,b,c", ',', 64, "1:a|b|c;"},
        {"a,b\nc,d\n", ',', 64, "1:a|b;2:c|d;"},
        {"a,b\r\nc,d\r\n", ',', 64, "1:a|b;2:c|d;"},
        {"a,b\r\nc,d", ',', 64, "1:a|b;2:c|d;"},
        {"a,b\r", ',', 64, "1:a|b;"},
        {"", ',', 64, ""},
        {"\n", ',', 64, "1:;"},
        {"\n\n", ',', 64, "1:;2:;"},
        {"\r\n", ',', 64, "1:;"},
        {"a,\n", ',', 64, "1:a|;"},
        {",\n", ',', 64, "1:|;"},
        {",,", ',', 64, "1:||;"},
        {" a , b \n", ',', 64, "1: a | b ;"},
        /* a CR that does not end a line is data */
        {"a\rb,c\n", ',', 64, "1:a\rb|c;"},
        /* other separators */
        {"a;b,c\n", ';', 64, "1:a|b,c;"},
        {"a\tb c\n", '\t', 64, "1:a|b c;"},
        /* quotes */
        {"\"a,b\",c\n", ',', 64, "1:a,b|c;"},
        {"\"\",x\n", ',', 64, "1:|x;"},
        {"\"say \"\"hi\"\"\",x\n", ',', 64, "1:say \"hi\"|x;"},
        {"\"\"\"\"\n", ',', 64, "1:\";"},
        {"x,\"q\"\r\ny\n", ',', 64, "1:x|q;2:y;"},
        {"\"q\"", ',', 64, "1:q;"},
        /* a quote inside an unquoted field is data */
        {"ab\"c,d\n", ',', 64, "1:ab\"c|d;"},
        /* line breaks inside quotes, and the line numbers after them */
        {"\"line1\nline2\",x\nnext,y\n", ',', 64, "1:line1\nline2|x;3:next|y;"},
        {"\"l1\r\nl2\",x\r\nn,y\r\n", ',', 64, "1:l1\r\nl2|x;3:n|y;"},
        {"a\n\"b\n\n\nc\"\nd\n", ',', 64, "1:a;2:b\n\n\nc;6:d;"},
        /* an unclosed quote: the rest of the input is that record */
        {"ok\n\"unclosed,x\nmore\n", ',', 64, "1:ok;2:!a quoted field is not closed;"},
        {"\"", ',', 64, "1:!a quoted field is not closed;"},
        /* text after a closing quote: the record is skipped to its line end */
        {"\"a\"b,c\nd\n", ',', 64, "1:!text after a closing quote;2:d;"},
        {"x,\"a\" ,c\nd\n", ',', 64, "1:!text after a closing quote;2:d;"},
        {"\"a\nb\"x,c\nd\n", ',', 64, "1:!text after a closing quote;3:d;"},
        /* records too long for the buffer (cap counts each field's NUL) */
        {"abc\n", ',', 4, "1:abc;"},
        {"abcd\nxy\n", ',', 4, "1:!record too long;2:xy;"},
        {"a,b\n", ',', 4, "1:a|b;"},
        {"a,b,\n", ',', 4, "1:!record too long;"},
        {"\"abcdef\"\nxy\n", ',', 4, "1:!record too long;2:xy;"},
        {"abc\n", ',', 0, "1:!record too long;"},
        {"\n", ',', 1, "1:;"},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		char got[2048];
		describe(cases[i].in, strlen(cases[i].in), cases[i].sep, cases[i].cap, got,
		         sizeof got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].want);
	}
}

/* Exactly CSV_FIELDS_MAX fields are fine; one more is refused and only that
 * line is skipped. */
static void test_field_count(void **state)
{
	(void)state;
	char in[512], want[512], got[2048];
	size_t o = 0;
	for (int i = 0; i < CSV_FIELDS_MAX; i++)
		o += (size_t)snprintf(in + o, sizeof in - o, "%s%d", i ? "," : "", i % 10);
	snprintf(in + o, sizeof in - o, "\nz\n");
	describe(in, strlen(in), ',', 1024, got, sizeof got);
	o = (size_t)snprintf(want, sizeof want, "1:");
	for (int i = 0; i < CSV_FIELDS_MAX; i++)
		o += (size_t)snprintf(want + o, sizeof want - o, "%s%d", i ? "|" : "", i % 10);
	snprintf(want + o, sizeof want - o, ";2:z;");
	assert_string_equal(got, want);

	o = 0;
	for (int i = 0; i <= CSV_FIELDS_MAX; i++)
		o += (size_t)snprintf(in + o, sizeof in - o, "%s%d", i ? "," : "", i % 10);
	snprintf(in + o, sizeof in - o, "\nz\n");
	describe(in, strlen(in), ',', 1024, got, sizeof got);
	assert_string_equal(got, "1:!more than 64 fields;2:z;");
	/* the same with empty fields only */
	memset(in, ',', CSV_FIELDS_MAX);
	snprintf(in + CSV_FIELDS_MAX, sizeof in - CSV_FIELDS_MAX, "\nz\n");
	describe(in, strlen(in), ',', 1024, got, sizeof got);
	assert_string_equal(got, "1:!more than 64 fields;2:z;");
}

/* NUL bytes in the input are data, and the length (not a NUL) ends it. */
static void test_length_not_nul(void **state)
{
	(void)state;
	static const char in[] = "a,b\nc,d\n";
	char got[256];
	describe(in, 4, ',', 64, got, sizeof got);
	assert_string_equal(got, "1:a|b;");
	struct csv_reader r;
	static const char nul[] = {'x', '\0', 'y', ',', 'z'};
	csv_init(&r, nul, sizeof nul, ',');
	char buf[16];
	struct csv_record rec;
	const char *why;
	assert_int_equal(csv_next(&r, &rec, buf, sizeof buf, &why), 1);
	assert_int_equal(rec.n, 2);
	assert_memory_equal(rec.field[0], "x\0y", 4);
	assert_string_equal(rec.field[1], "z");
	assert_int_equal(csv_next(&r, &rec, buf, sizeof buf, &why), 0);
	assert_int_equal(csv_next(&r, &rec, buf, sizeof buf, &why), 0);
}

/* A CR after a closing quote ends the field only when a line end follows. */
static void test_cr_after_quote(void **state)
{
	(void)state;
	char got[256];
	describe("\"a\"\rb,c\nd\n", 10, ',', 64, got, sizeof got);
	assert_string_equal(got, "1:!text after a closing quote;2:d;");
	/* a CR LF after the closing quote is a line end */
	describe("\"a\"\r\nb\n", 7, ',', 64, got, sizeof got);
	assert_string_equal(got, "1:a;2:b;");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cases),
	        cmocka_unit_test(test_field_count),
	        cmocka_unit_test(test_length_not_nul),
	        cmocka_unit_test(test_cr_after_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
