/*
 * test_load.c - the indicator loaders (src/match/load.c): known answers for
 * plain lists, hosts files, CSV and JSON lines (values, line numbers in
 * diagnostics, counters), and the threaded load (match_load_opts.threads)
 * against the load by one thread on generated lists full of traps
 * (errors, duplicates, comments, blank and CRLF lines, a BOM, CSV headers,
 * quoted fields over several lines, JSON lines with arrays and type
 * hints): the indices must be identical byte for byte, and so must the
 * counters, the diagnostics and, with --strict, the error.
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
#include <zlib.h>

#include "match/load.h"
#include "match/match_int.h"
#include "unit/match/iocfx.h"

/* ---- helpers ---- */

/* Writes text to a new temporary file; OUT: its path in path[64]. */
static void write_temp(char path[64], const char *suffix, const char *text, size_t n)
{
	snprintf(path, 64, "/tmp/crix-test-load-XXXXXX%s", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));
	assert_true(fd >= 0);
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, text + off, n - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	close(fd);
}

/* One load: its result, message, counters, diagnostics and index. */
struct load {
	int rc;
	struct crix_error err;
	struct match_load_stats st;
	char *diag;
	size_t diag_len;
	struct match_index *ix;
};

static void load_run(struct load *r, const char *path, struct match_load_opts o)
{
	memset(r, 0, sizeof *r);
	FILE *diag = open_memstream(&r->diag, &r->diag_len);
	assert_non_null(diag);
	o.diag = diag;
	assert_int_equal(match_index_new(&r->ix, &r->err), 0);
	r->rc = match_load_file(r->ix, ctx, path, &o, &r->st, &r->err);
	fclose(diag);
}

static void load_free(struct load *r)
{
	free(r->diag);
	match_index_free(r->ix);
}

static void same_words(const uint64_t *a, const uint64_t *b, size_t n)
{
	assert_true((a == NULL) == (b == NULL));
	if (a != NULL)
		assert_memory_equal(a, b, n * 8);
}

/* The two indices hold the same bytes: sources, entries, values, slots,
 * summaries, filter and counters. */
static void same_index(const struct match_index *a, const struct match_index *b)
{
	assert_int_equal(a->nsources, b->nsources);
	for (size_t i = 0; i < a->nsources; i++) {
		assert_string_equal(a->sources[i]->name, b->sources[i]->name);
		assert_true((a->sources[i]->tlp == NULL) == (b->sources[i]->tlp == NULL));
		if (a->sources[i]->tlp != NULL)
			assert_string_equal(a->sources[i]->tlp, b->sources[i]->tlp);
	}
	const struct match_store *x = &a->main, *y = &b->main;
	assert_int_equal(x->nentries, y->nentries);
	if (x->nentries > 0)
		assert_memory_equal(x->entries, y->entries, x->nentries * sizeof *x->entries);
	assert_int_equal(x->arena_len, y->arena_len);
	if (x->arena_len > 0)
		assert_memory_equal(x->arena, y->arena, x->arena_len);
	assert_int_equal(x->mask, y->mask);
	assert_int_equal(x->used, y->used);
	same_words(x->slots, y->slots, x->slots ? x->mask + 1 : 0);
	assert_int_equal(x->types, y->types);
	assert_int_equal(x->len4, y->len4);
	assert_memory_equal(x->len6, y->len6, sizeof x->len6);
	assert_int_equal(x->tld_mask, y->tld_mask);
	same_words(x->tlds, y->tlds, x->tlds ? x->tld_mask + 1 : 0);
	assert_int_equal(x->uh_mask, y->uh_mask);
	same_words(x->urlhosts, y->urlhosts, x->urlhosts ? x->uh_mask + 1 : 0);
	same_words(x->v4map, y->v4map, (1u << 24) / 64);
	same_words(x->v4net, y->v4net, (1u << 24) / 64);
	same_words(x->v4cover, y->v4cover, (1u << 24) / 64);
	for (unsigned l = 16; l <= 24; l++)
		same_words(x->v4len[l - 16], y->v4len[l - 16], ((size_t)1 << l) / 64);
	assert_int_equal(x->bloom_mask, y->bloom_mask);
	same_words(x->bloom, y->bloom, x->bloom ? x->bloom_mask + 1 : 0);
	assert_memory_equal(a->by_type, b->by_type, sizeof a->by_type);
	assert_int_equal(a->nallowed, b->nallowed);
	assert_int_equal(a->nduplicates, b->nduplicates);
}

/* Loads path with one thread and with threads in pieces of chunk bytes;
 * everything must come out the same.  Returns the one-thread load's rc. */
static int compare_loads(const char *path, struct match_load_opts o, unsigned threads, size_t chunk)
{
	struct load one, many;
	load_run(&one, path, o);
	o.threads = threads;
	o.chunk_bytes = chunk;
	load_run(&many, path, o);
	if (one.rc != many.rc || strcmp(one.err.msg, many.err.msg) != 0)
		fail_msg("%s, %u threads, pieces of %zu: rc %d '%s', one thread: rc %d '%s'", path,
		         threads, chunk, many.rc, many.err.msg, one.rc, one.err.msg);
	assert_int_equal(one.st.records, many.st.records);
	assert_int_equal(one.st.added, many.st.added);
	assert_int_equal(one.st.duplicates, many.st.duplicates);
	assert_int_equal(one.st.allowed, many.st.allowed);
	assert_int_equal(one.st.invalid, many.st.invalid);
	assert_int_equal(one.st.skipped, many.st.skipped);
	assert_string_equal(one.st.skip_reason, many.st.skip_reason);
	assert_string_equal(one.diag != NULL ? one.diag : "", many.diag != NULL ? many.diag : "");
	same_index(one.ix, many.ix);
	int rc = one.rc;
	load_free(&one);
	load_free(&many);
	return rc;
}

/* A growable text. */
struct text {
	char *s;
	size_t n, cap;
};

__attribute__((format(printf, 2, 3))) static void add(struct text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int w = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		assert_true(w >= 0);
		if ((size_t)w < t->cap - t->n) {
			t->n += (size_t)w;
			return;
		}
		t->cap = t->cap ? t->cap * 2 + (size_t)w : 4096 + (size_t)w;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
}

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* One value of a random kind (a small pool, so that values repeat: the
 * duplicates), or one of the traps a list holds. */
static void add_value(struct text *t, bool traps)
{
	unsigned k = rnd(60);
	switch (traps ? rnd(14) : rnd(9)) {
	case 0: add(t, "10.%u.%u.%u", k % 3, k % 7, k); break;
	case 1: add(t, "d%u.example.com", k); break;
	case 2: add(t, "https://h%u.example.net/p/%u?q=%u", k % 5, k, k % 2); break;
	case 3: add(t, "user%u@mail%u.example.org", k, k % 4); break;
	case 4: add(t, "%08x%08x%08x%08x", k, k * 7u, k * 13u, k * 31u); break;
	case 5: add(t, "192.0.%u.0/%u", k, 16 + k % 17); break;
	case 6: add(t, "2001:db8::%x", k); break;
	case 7: add(t, "2001:db8:%x::/48", k); break;
	case 8: add(t, "EXAMPLE%u.ORG", k); break; /* the same after canonicalising */
	case 9: add(t, "not a value %u", k); break;
	case 10: add(t, "999.%u.1.1", k); break;
	case 11: add(t, "hxxp://evil%u[.]example/", k); break;
	case 12: add(t, "-"); break;
	default: add(t, "%s", "aaaa-"); break;
	}
}

/* A plain list (or hosts file) with comments, blanks, CRLF, a BOM, two
 * values on a line and a value longer than the limit. */
static void gen_plain(struct text *t, size_t lines, bool hosts)
{
	add(t, "\xef\xbb\xbf# generated list\n");
	for (size_t i = 0; i < lines; i++) {
		switch (rnd(20)) {
		case 0: add(t, "# a comment %zu\n", i); continue;
		case 1: add(t, "\n"); continue;
		case 2: add(t, "   \t \r\n"); continue;
		case 3:
			add_value(t, true);
			add(t, " ");
			add_value(t, false);
			add(t, "\n");
			continue;
		case 4:
			if (rnd(10) == 0) {
				add(t, "a");
				for (int k = 0; k < 5000; k++)
					add(t, "b");
				add(t, ".com\n");
				continue;
			}
			break;
		default: break;
		}
		if (hosts && rnd(3) != 0)
			add(t, "%s ", rnd(2) ? "0.0.0.0" : "127.0.0.1");
		if (hosts && rnd(8) == 0)
			add(t, "localhost "); /* skipped, with its reason */
		add_value(t, rnd(4) == 0);
		if (rnd(6) == 0)
			add(t, " # trailing comment");
		add(t, rnd(5) == 0 ? "\r\n" : "\n");
	}
	if (rnd(2))
		add_value(t, false); /* no newline at the end */
}

/* CSV with a header, quoted fields (with separators, quotes and newlines
 * inside), short rows, comment lines and blank lines. */
static void gen_csv(struct text *t, size_t rows, bool header)
{
	if (header)
		add(t, "id,\"Value\",note\n");
	for (size_t i = 0; i < rows; i++) {
		switch (rnd(16)) {
		case 0: add(t, "# comment, with a comma\n"); continue;
		case 1: add(t, "\n"); continue;
		case 2: add(t, "%zu\n", i); continue; /* no column 2 */
		case 3:
			add(t, "%zu,\"", i);
			add_value(t, false);
			add(t, "\",\"a note\nover two lines, \"\"quoted\"\"\"\n");
			continue;
		default: break;
		}
		add(t, "%zu,", i);
		if (rnd(3) == 0) {
			add(t, "\"");
			add_value(t, rnd(4) == 0);
			add(t, "\"");
		} else {
			add_value(t, rnd(4) == 0);
		}
		add(t, ",note %zu\n", i);
	}
}

/* JSON lines: values, arrays of values, type hints, other fields, broken
 * lines, non-string values. */
static void gen_jsonl(struct text *t, size_t lines)
{
	for (size_t i = 0; i < lines; i++) {
		switch (rnd(14)) {
		case 0: add(t, "# comment\n"); continue;
		case 1: add(t, "{\"value\": \"broken\n"); continue;
		case 2: add(t, "{\"other\": 1}\n"); continue;
		case 3: add(t, "{\"value\": %zu}\n", i); continue;
		case 4:
			add(t, "{\"value\": [\"d%zu.example\", true, \"10.1.1.%zu\"]}\n", i,
			    i % 256);
			continue;
		case 5:
			add(t, "{\"type\": \"domain-name\", \"value\": \"h%zu.example\"}\n",
			    i % 40);
			continue;
		case 6: add(t, "\n"); continue;
		default: break;
		}
		add(t, "{\"value\": \"");
		add_value(t, rnd(4) == 0);
		add(t, "\"}\n");
	}
}

/* Every combination of threads and piece sizes that splits the text in
 * many ways, with and without strict; refang on and off. */
static void compare_all(const char *suffix, struct text *t, struct match_load_opts o)
{
	char path[64];
	write_temp(path, suffix, t->s, t->n);
	static const unsigned threads[] = {2, 3, 8};
	static const size_t chunks[] = {1, 17, 256, 4096};
	for (size_t a = 0; a < sizeof threads / sizeof threads[0]; a++)
		for (size_t b = 0; b < sizeof chunks / sizeof chunks[0]; b++)
			for (int strict = 0; strict < 2; strict++) {
				o.strict = strict;
				o.refang = (a + b) % 2;
				compare_loads(path, o, threads[a], chunks[b]);
			}
	unlink(path);
	free(t->s);
	memset(t, 0, sizeof *t);
}

/* ---- threaded loads give what one thread gives ---- */

static void test_threads_plain(void **state)
{
	(void)state;
	for (int round = 0; round < 4; round++) {
		struct text t = {0};
		gen_plain(&t, 400 + (size_t)round * 300, false);
		compare_all(".txt", &t, (struct match_load_opts){.format = MATCH_FMT_PLAIN});
	}
	/* a TLP and tags for the source, and a type for every value */
	struct text t = {0};
	gen_plain(&t, 500, false);
	compare_all(
	        ".txt", &t,
	        (struct match_load_opts){
	                .format = MATCH_FMT_PLAIN, .tlp = "amber", .tags = "x,y", .max_diag = 3});
	gen_plain(&t, 500, false);
	compare_all(".txt", &t,
	            (struct match_load_opts){.format = MATCH_FMT_PLAIN, .type = IOC_DOMAIN});
}

static void test_threads_hosts(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) {
		struct text t = {0};
		gen_plain(&t, 600, true);
		compare_all(".hosts", &t, (struct match_load_opts){.format = MATCH_FMT_HOSTS});
	}
}

static void test_threads_csv(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) {
		struct text t = {0};
		gen_csv(&t, 500, true);
		compare_all(
		        ".csv", &t,
		        (struct match_load_opts){.format = MATCH_FMT_CSV, .csv_header = "value"});
		gen_csv(&t, 500,
		        round != 1); /* without a name: a first row that is no value is a header */
		compare_all(".csv", &t,
		            (struct match_load_opts){.format = MATCH_FMT_CSV, .csv_column = 2});
	}
	/* an unclosed quote swallows the rest */
	struct text t = {0};
	gen_csv(&t, 300, true);
	add(&t, "1,\"never closed\n2,d1.example.com\n");
	compare_all(".csv", &t,
	            (struct match_load_opts){.format = MATCH_FMT_CSV, .csv_header = "value"});
}

static void test_threads_jsonl(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) {
		struct text t = {0};
		gen_jsonl(&t, 600);
		compare_all(".jsonl", &t, (struct match_load_opts){.format = MATCH_FMT_JSONL});
	}
	struct text t = {0};
	gen_jsonl(&t, 400);
	compare_all(".jsonl", &t, (struct match_load_opts){.format = MATCH_FMT_AUTO});
}

/* Many distinct values: the filter in front of the slots is built by
 * several threads too (match_index_shrink_threads), and must be the same. */
static void test_threads_large(void **state)
{
	(void)state;
	struct text t = {0};
	for (unsigned i = 0; i < 60000; i++) {
		switch (i % 4) {
		case 0: add(&t, "10.%u.%u.%u\n", i >> 16, (i >> 8) & 255, i & 255); break;
		case 1: add(&t, "n%u.example.com\n", i); break;
		case 2: add(&t, "https://u%u.example.net/x\n", i % 5000); break;
		default:
			add_value(&t, true);
			add(&t, "\n");
			break;
		}
	}
	char path[64];
	write_temp(path, ".txt", t.s, t.n);
	struct match_load_opts o = {.format = MATCH_FMT_PLAIN};
	compare_loads(path, o, 4, 65536);
	compare_loads(path, o, 2, 0);
	unlink(path);
	free(t.s);
}

/* ---- known answers (one thread and several) ---- */

/* Loads text with 1 and with 3 threads in pieces of 8 bytes; both must
 * give want_diag (with PATH for the file) and these counters. */
static void known(const char *suffix, const char *text, struct match_load_opts o, int want_rc,
                  const char *want_diag, size_t records, size_t added, size_t dups, size_t invalid)
{
	char path[64];
	write_temp(path, suffix, text, strlen(text));
	for (unsigned threads = 1; threads <= 3; threads += 2) {
		struct load r;
		o.threads = threads;
		o.chunk_bytes = 8;
		load_run(&r, path, o);
		assert_int_equal(r.rc, want_rc);
		char want[1024];
		size_t w = 0;
		for (const char *p = want_diag; *p != '\0'; p++) {
			if (strncmp(p, "PATH", 4) == 0) {
				w += (size_t)snprintf(want + w, sizeof want - w, "%s", path);
				p += 3;
			} else if (w + 1 < sizeof want) {
				want[w++] = *p;
			}
		}
		want[w] = '\0';
		const char *got = want_rc != 0 ? r.err.msg : r.diag != NULL ? r.diag : "";
		if (strcmp(got, want) != 0)
			fail_msg("%u threads: got '%s', want '%s'", threads, got, want);
		assert_int_equal(r.st.records, records);
		assert_int_equal(r.st.added, added);
		assert_int_equal(r.st.duplicates, dups);
		assert_int_equal(r.st.invalid, invalid);
		load_free(&r);
	}
	unlink(path);
}

static void test_known_plain(void **state)
{
	(void)state;
	const char *list = "# list\n"
	                   "evil.com\n"
	                   "\n"
	                   "1.2.3.4 5.6.7.8\n"
	                   "not-a-value!\n"
	                   "EVIL.com  # again\n"
	                   "10.0.0.0/8\r\n"
	                   "https://x.net/a\n";
	struct match_load_opts o = {.format = MATCH_FMT_PLAIN};
	known(".txt", list, o, 0,
	      "PATH:4: more than one value on the line ('1.2.3.4 5.6.7.8')\n"
	      "PATH:5: 'not-a-value!' is not an indicator of any type crix knows\n",
	      6, 3, 1, 2);
	o.strict = true;
	known(".txt", list, o, CRIX_EINVAL,
	      "PATH:4: more than one value on the line ('1.2.3.4 5.6.7.8')", 2, 1, 0, 1);
}

static void test_known_csv(void **state)
{
	(void)state;
	const char *csv = "id,value\n"
	                  "1,evil.com\n"
	                  "# a comment\n"
	                  "2,\"multi\nline\"\n"
	                  "3\n"
	                  "4,\"1.2.3.4\"\n";
	known(".csv", csv, (struct match_load_opts){.format = MATCH_FMT_CSV, .csv_header = "value"},
	      0,
	      "PATH:4: 'multi\nline' is not an indicator of any type crix knows\n"
	      "PATH:6: no column 2 (the row has 1)\n",
	      4, 2, 0, 2);
}

static void test_known_jsonl(void **state)
{
	(void)state;
	const char *jl = "{\"value\": \"evil.com\"}\n"
	                 "{\"value\": [\"1.2.3.4\", \"evil.com\"]}\n"
	                 "{broken\n"
	                 "{\"type\": \"domain-name\", \"value\": \"x.org\"}\n";
	known(".jsonl", jl, (struct match_load_opts){.format = MATCH_FMT_JSONL}, 0,
	      "PATH:3: not JSON: string or '}' expected near 'broken'\n", 5, 3, 1, 1);
}

/* A list of 2 MiB exactly, a value and no newline at its end: mapped, a
 * read past its end would fault.  Loaded mapped (plain) and read (gzip, the same bytes),
 * with one thread and with two, it gives the same values. */
static void test_mapped_and_read(void **state)
{
	(void)state;
	struct text t = {0};
	gen_plain(&t, 25000, false);
	size_t size = (size_t)2 << 20;
	assert_true(t.n + 4 < size);
	add(&t, "\n#");
	while (t.n < size - 9)
		add(&t, "x");
	add(&t, "\nlast.com"); /* the last byte of the file ends a value */
	assert_int_equal(t.n, size);
	char plain[64], gz[80];
	write_temp(plain, ".txt", t.s, t.n);
	snprintf(gz, sizeof gz, "%s.gz", plain);
	gzFile g = gzopen(gz, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, t.s, (unsigned)t.n), (int)t.n);
	assert_int_equal(gzclose(g), Z_OK);
	struct match_load_opts o = {.format = MATCH_FMT_PLAIN};
	struct load a, b;
	for (unsigned threads = 1; threads <= 2; threads++) {
		o.threads = threads;
		load_run(&a, plain, o);
		load_run(&b, gz, o);
		assert_int_equal(a.rc, 0);
		assert_int_equal(b.rc, 0);
		assert_true(a.st.records > 20000 && a.st.added > 100);
		assert_int_equal(a.st.records, b.st.records);
		assert_int_equal(a.st.added, b.st.added);
		assert_int_equal(a.st.invalid, b.st.invalid);
		assert_int_equal(a.st.duplicates, b.st.duplicates);
		assert_int_equal(a.ix->main.nentries, b.ix->main.nentries);
		assert_memory_equal(a.ix->main.entries, b.ix->main.entries,
		                    a.ix->main.nentries * sizeof *a.ix->main.entries);
		assert_int_equal(a.ix->main.arena_len, b.ix->main.arena_len);
		assert_memory_equal(a.ix->main.arena, b.ix->main.arena, a.ix->main.arena_len);
		load_free(&a);
		load_free(&b);
	}
	compare_loads(plain, o, 2, 0);
	unlink(plain);
	unlink(gz);
	free(t.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_plain),   cmocka_unit_test(test_known_csv),
	        cmocka_unit_test(test_known_jsonl),   cmocka_unit_test(test_threads_plain),
	        cmocka_unit_test(test_threads_hosts), cmocka_unit_test(test_threads_csv),
	        cmocka_unit_test(test_threads_jsonl), cmocka_unit_test(test_mapped_and_read),
	        cmocka_unit_test(test_threads_large),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
