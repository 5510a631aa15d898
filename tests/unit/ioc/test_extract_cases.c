/*
 * test_extract_cases.c - the data-driven corpus of ioc_extract.
 *
 * Every file NAME.cases in tests/data/extract holds cases of the form
 *
 *   === short unique name
 *   --- opts: --refang --country GB --type ipv4,domain     (optional)
 *   --- text
 *   the input, one or more lines (joined by "\n", no final newline)
 *   --- expect
 *   domain evil.com @12
 *   ipv4 1.2.3.4
 *
 * The expect block is the exact list of (type, canonical value) in offset
 * order; "@N" checks the byte offset and "field=NAME" the email header the
 * indicator came from.  Lines starting with "#" outside a text block are
 * comments.  Each case becomes one cmocka test named "file:case name".
 *
 * tests/data/extract/reports/NAME.plain.txt and NAME.defanged.txt are the same
 * threat report written plainly and defanged: extracting the plain one and
 * the refanged defanged one must give the same list (and NAME.expect, when
 * present, says what that list is), while the defanged one without refanging
 * must not yield the defanged URLs, domains and e-mail addresses.
 *
 * Every match of every extraction is also checked for the invariants of
 * struct ioc_match (raw points into the input at offset, items in offset
 * order and not overlapping, ...).
 *
 * A malformed data file is a failing test naming file:line, never skipped.
 * The data directory is $CRIX_TEST_DATA or "tests/data" (tests run from the
 * root of the repository).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/ioc.h"

/* Data files larger than this are refused (the corpus is a few kB each). */
#define DATA_FILE_MAX (16u * 1024 * 1024)

/* The context shared by all tests, created once in main. */
static struct ioc_ctx *g_ctx;

/* ---------------------------------------------------------------- helpers */

/* Allocation that cannot fail quietly: a test program has no better answer
 * to out-of-memory than stopping with a message. */
static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);
	if (q == NULL) {
		fprintf(stderr, "test_extract_cases: out of memory\n");
		abort();
	}
	return q;
}

/* Copies n bytes of s into a new NUL-terminated string. */
static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* A growable string, for messages and for joining text lines. */
struct sbuf {
	char *p;
	size_t len;
	size_t cap;
};

/* Makes room for n more bytes plus a NUL. */
static void sbuf_reserve(struct sbuf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

static void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Appends printf-style text. */
static void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char probe[1];
	int n = vsnprintf(probe, sizeof probe, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sbuf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Appends s[0..n) quoted, with control and non-ASCII bytes escaped, so that
 * a message shows exactly which bytes an indicator spans. */
static void sbuf_quoted(struct sbuf *b, const char *s, size_t n)
{
	sbuf_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sbuf_printf(b, "\\%c", c);
		else if (c == '\n')
			sbuf_add(b, "\\n", 2);
		else if (c < 0x20 || c == 0x7f)
			sbuf_printf(b, "\\x%02x", c);
		else
			sbuf_add(b, (const char *)&c, 1);
	}
	sbuf_add(b, "\"", 1);
}

/* Returns the message and leaves b empty; the caller frees the result. */
static char *sbuf_take(struct sbuf *b)
{
	char *p = b->p != NULL ? b->p : xstrdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

/* Reads a whole file.  OUT: *data (NUL-terminated, caller frees), *len.
 * On failure writes why into msg and returns -1. */
static int read_file(const char *path, char **data, size_t *len, struct sbuf *msg)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		sbuf_printf(msg, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct sbuf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > DATA_FILE_MAX) {
			sbuf_printf(msg, "%s: larger than %u bytes", path, DATA_FILE_MAX);
			fclose(f);
			free(b.p);
			return -1;
		}
		sbuf_add(&b, chunk, n);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		sbuf_printf(msg, "%s: read error", path);
		free(b.p);
		return -1;
	}
	*len = b.len;
	*data = sbuf_take(&b);
	return 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the regular names in dir ending with suffix, sorted bytewise.
 * OUT: *names (each and the array freed by the caller), *count.
 * Returns -1 with a message when dir cannot be read. */
static int list_dir(const char *dir, const char *suffix, char ***names, size_t *count,
                    struct sbuf *msg)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		sbuf_printf(msg, "%s: cannot open directory: %s", dir, strerror(errno));
		return -1;
	}
	char **v = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, suffix))
			continue;
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_names);
	*names = v;
	*count = n;
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ------------------------------------------------------------ the cases */

/* One expected indicator. */
struct expect {
	enum ioc_type type;
	char *value;
	long long offset; /* -1: not checked */
	char *field;      /* NULL: not checked */
};

enum case_kind {
	CASE_EXTRACT, /* a case of a .cases file */
	CASE_REPORT,  /* a plain/defanged report pair */
	CASE_BROKEN   /* a data file that could not be used: always fails */
};

struct xcase {
	enum case_kind kind;
	char *name;  /* "file:case name", the test's name */
	char *where; /* "path:line" of the case */
	struct ioc_extract_opts opts;
	char *text;
	size_t text_len;
	struct expect *exp;
	size_t n_exp;
	bool have_expect; /* a report may come without NAME.expect */
	char *plain_path; /* CASE_REPORT */
	char *defanged_path;
	char *error; /* CASE_BROKEN: why */
};

static void free_case(struct xcase *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->where);
	free(c->text);
	for (size_t i = 0; i < c->n_exp; i++) {
		free(c->exp[i].value);
		free(c->exp[i].field);
	}
	free(c->exp);
	free(c->plain_path);
	free(c->defanged_path);
	free(c->error);
	free(c);
}

/* The list of all tests being built. */
struct case_list {
	struct xcase **v;
	size_t n;
};

static void case_list_add(struct case_list *l, struct xcase *c)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = c;
}

/* Adds a test that fails with msg: a data file that cannot be used must
 * never disappear silently from the run. */
static void add_broken(struct case_list *l, const char *name, const char *msg)
{
	struct xcase *c = xrealloc(NULL, sizeof *c);
	memset(c, 0, sizeof *c);
	c->kind = CASE_BROKEN;
	c->name = xstrdup(name);
	c->error = xstrdup(msg);
	fprintf(stderr, "test_extract_cases: %s\n", msg);
	case_list_add(l, c);
}

/* Type names of the expect lines and of --type, with the group aliases of
 * the command line.  Returns the bit set, 0 when name is unknown. */
static uint32_t type_bits(const char *name)
{
	static const struct {
		const char *name;
		uint32_t bits;
	} aliases[] = {
	        {"ip", (1u << IOC_IPV4) | (1u << IOC_IPV6)},
	        {"cidr", (1u << IOC_CIDR4) | (1u << IOC_CIDR6)},
	        {"hash",
	         (1u << IOC_MD5) | (1u << IOC_SHA1) | (1u << IOC_SHA256) | (1u << IOC_SHA512)},
	        {"wallet", (1u << IOC_BTC) | (1u << IOC_ETH)},
	};
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(name, aliases[i].name) == 0)
			return aliases[i].bits;
	enum ioc_type t = ioc_type_from_name(name);
	return t == IOC_NONE ? 0 : 1u << t;
}

/* Splits line[0..n) at blanks into at most max tokens (NUL-terminated copies
 * in tok[]).  Returns the number of tokens, or max + 1 when there are more. */
static size_t split_words(const char *line, size_t n, char **tok, size_t max)
{
	size_t count = 0, i = 0;
	while (i < n) {
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == n)
			break;
		size_t start = i;
		while (i < n && line[i] != ' ' && line[i] != '\t')
			i++;
		if (count == max) {
			for (size_t k = 0; k < count; k++)
				free(tok[k]);
			return max + 1;
		}
		tok[count++] = xstrndup(line + start, i - start);
	}
	return count;
}

static void free_words(char **tok, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(tok[i]);
}

/* Parses the words after "--- opts:" into c->opts.  Returns -1 with a
 * message on an unknown or incomplete option. */
static int parse_opts(struct xcase *c, const char *s, size_t n, struct sbuf *msg)
{
	char *tok[32];
	size_t nt = split_words(s, n, tok, 32);
	if (nt > 32) {
		sbuf_printf(msg, "too many options");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < nt && rc == 0; i++) {
		if (strcmp(tok[i], "--refang") == 0) {
			c->opts.refang = true;
		} else if (strcmp(tok[i], "--country") == 0) {
			const char *cc = i + 1 < nt ? tok[++i] : "";
			if (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' ||
			    cc[1] > 'Z') {
				sbuf_printf(
				        msg,
				        "--country wants a two-letter upper-case code, got '%s'",
				        cc);
				rc = -1;
			} else {
				memcpy(c->opts.country, cc, 3);
			}
		} else if (strcmp(tok[i], "--type") == 0) {
			if (i + 1 >= nt) {
				sbuf_printf(msg, "--type wants a list of types");
				rc = -1;
				break;
			}
			char *list = tok[++i];
			for (char *p = list; rc == 0 && p != NULL;) {
				char *comma = strchr(p, ',');
				if (comma != NULL)
					*comma = '\0';
				uint32_t bits = type_bits(p);
				if (bits == 0) {
					sbuf_printf(msg, "--type: unknown type '%s'", p);
					rc = -1;
				}
				c->opts.types |= bits;
				p = comma != NULL ? comma + 1 : NULL;
			}
		} else {
			sbuf_printf(msg, "unknown option '%s'", tok[i]);
			rc = -1;
		}
	}
	free_words(tok, nt);
	return rc;
}

/* Parses one expect line ("type value [@N] [field=NAME]") into exp[]. */
static int parse_expect_line(struct expect **exp, size_t *n_exp, const char *s, size_t n,
                             struct sbuf *msg)
{
	char *tok[5];
	size_t nt = split_words(s, n, tok, 4);
	if (nt > 4 || nt < 2) {
		if (nt <= 4)
			free_words(tok, nt);
		sbuf_printf(msg, "expect line wants 'type value [@offset] [field=name]'");
		return -1;
	}
	struct expect e = {.offset = -1};
	int rc = 0;
	enum ioc_type t = ioc_type_from_name(tok[0]);
	if (t == IOC_NONE) {
		sbuf_printf(msg, "unknown indicator type '%s'", tok[0]);
		rc = -1;
	}
	e.type = t;
	for (size_t i = 2; i < nt && rc == 0; i++) {
		if (tok[i][0] == '@' && e.offset < 0) {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(tok[i] + 1, &end, 10);
			if (tok[i][1] == '\0' || *end != '\0' || errno != 0 || v > (1ull << 40)) {
				sbuf_printf(msg, "bad offset '%s'", tok[i]);
				rc = -1;
			}
			e.offset = (long long)v;
		} else if (strncmp(tok[i], "field=", 6) == 0 && e.field == NULL && tok[i][6]) {
			e.field = xstrdup(tok[i] + 6);
		} else {
			sbuf_printf(msg, "unexpected '%s' after the value", tok[i]);
			rc = -1;
		}
	}
	if (rc == 0) {
		e.value = xstrdup(tok[1]);
		*exp = xrealloc(*exp, (*n_exp + 1) * sizeof **exp);
		(*exp)[(*n_exp)++] = e;
	} else {
		free(e.field);
	}
	free_words(tok, nt);
	return rc;
}

/* Trailing blanks do not count in section markers. */
static size_t rtrim_len(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

static bool line_is(const char *s, size_t n, const char *word)
{
	n = rtrim_len(s, n);
	return n == strlen(word) && memcmp(s, word, n) == 0;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t m = strlen(prefix);
	return n >= m && memcmp(s, prefix, m) == 0;
}

enum parse_state { P_OUTSIDE, P_HEAD, P_TEXT, P_EXPECT };

/* Ends the case being parsed: checks it is complete and adds it. */
static int finish_case(struct xcase **cur, struct sbuf *text, struct case_list *out,
                       enum parse_state st, struct sbuf *msg)
{
	struct xcase *c = *cur;
	if (c == NULL)
		return 0;
	if (st != P_EXPECT) {
		sbuf_printf(msg, "case '%s' (%s) has no '--- %s' section", strchr(c->name, ':') + 1,
		            c->where, st == P_HEAD ? "text" : "expect");
		return -1;
	}
	c->text_len = text->len;
	c->text = sbuf_take(text);
	c->have_expect = true;
	case_list_add(out, c);
	*cur = NULL;
	return 0;
}

/*
 * Parses one .cases file into cases appended to out.  On a syntax error the
 * cases of the file are dropped and one failing test says file:line and why.
 */
static void parse_cases_file(const char *dir, const char *fname, struct case_list *out)
{
	struct sbuf msg = {0};
	struct sbuf pathb = {0};
	sbuf_printf(&pathb, "%s/%s", dir, fname);
	char *path = sbuf_take(&pathb);
	char *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len, &msg) != 0) {
		char *m = sbuf_take(&msg);
		add_broken(out, fname, m);
		free(m);
		free(path);
		return;
	}

	struct case_list mine = {0};
	struct xcase *cur = NULL;
	struct sbuf text = {0};
	enum parse_state st = P_OUTSIDE;
	bool text_started = false;
	int rc = 0;
	size_t lineno = 0;
	size_t pos = 0;
	while (rc == 0 && pos <= len) {
		if (pos == len && (len == 0 || data[len - 1] == '\n'))
			break;
		const char *s = data + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - s) : len - pos;
		pos += n + 1;
		lineno++;

		if (st == P_TEXT) {
			if (line_is(s, n, "--- expect")) {
				st = P_EXPECT;
			} else if (starts_with(s, n, "--- ")) {
				sbuf_printf(&msg,
				            "unknown or misplaced section '%.*s' in a text block",
				            (int)rtrim_len(s, n), s);
				rc = -1;
			} else if (starts_with(s, n, "=== ")) {
				sbuf_printf(&msg,
				            "new case before the '--- expect' of the previous one");
				rc = -1;
			} else {
				if (text_started)
					sbuf_add(&text, "\n", 1);
				sbuf_add(&text, s, n);
				text_started = true;
			}
			continue;
		}
		if (rtrim_len(s, n) == 0 || s[0] == '#')
			continue;
		if (starts_with(s, n, "=== ")) {
			rc = finish_case(&cur, &text, &mine, st, &msg);
			if (rc != 0)
				break;
			size_t b = 4, e = rtrim_len(s, n);
			while (b < e && (s[b] == ' ' || s[b] == '\t'))
				b++;
			if (b == e) {
				sbuf_printf(&msg, "case without a name");
				rc = -1;
				break;
			}
			struct sbuf name = {0};
			sbuf_printf(&name, "%s:%.*s", fname, (int)(e - b), s + b);
			for (size_t i = 0; i < mine.n; i++)
				if (strcmp(mine.v[i]->name, name.p) == 0) {
					sbuf_printf(&msg, "duplicate case name '%.*s'",
					            (int)(e - b), s + b);
					rc = -1;
				}
			cur = xrealloc(NULL, sizeof *cur);
			memset(cur, 0, sizeof *cur);
			cur->kind = CASE_EXTRACT;
			cur->name = sbuf_take(&name);
			struct sbuf where = {0};
			sbuf_printf(&where, "%s:%zu", path, lineno);
			cur->where = sbuf_take(&where);
			st = P_HEAD;
			text_started = false;
			continue;
		}
		if (st == P_OUTSIDE) {
			sbuf_printf(&msg, "text outside a case (cases start with '=== name')");
			rc = -1;
		} else if (st == P_HEAD && starts_with(s, n, "--- opts:")) {
			if (cur->opts.refang || cur->opts.types || cur->opts.country[0]) {
				sbuf_printf(&msg, "second '--- opts:' line");
				rc = -1;
			} else {
				rc = parse_opts(cur, s + 9, n - 9, &msg);
			}
		} else if (st == P_HEAD && line_is(s, n, "--- text")) {
			st = P_TEXT;
		} else if (starts_with(s, n, "--- ")) {
			sbuf_printf(&msg, "unknown or misplaced section '%.*s'",
			            (int)rtrim_len(s, n), s);
			rc = -1;
		} else if (st == P_EXPECT) {
			rc = parse_expect_line(&cur->exp, &cur->n_exp, s, n, &msg);
		} else {
			sbuf_printf(&msg, "unexpected line before '--- text'");
			rc = -1;
		}
	}
	if (rc == 0)
		rc = finish_case(&cur, &text, &mine, st, &msg);
	if (rc == 0 && mine.n == 0) {
		sbuf_printf(&msg, "no cases in the file");
		rc = -1;
	}
	if (rc != 0) {
		struct sbuf full = {0};
		sbuf_printf(&full, "%s:%zu: %s", path, lineno, msg.p ? msg.p : "?");
		struct sbuf name = {0};
		sbuf_printf(&name, "%s:(malformed file)", fname);
		add_broken(out, name.p, full.p);
		free(name.p);
		free(full.p);
		for (size_t i = 0; i < mine.n; i++)
			free_case(mine.v[i]);
		free_case(cur);
	} else {
		for (size_t i = 0; i < mine.n; i++)
			case_list_add(out, mine.v[i]);
	}
	free(mine.v);
	free(text.p);
	free(msg.p);
	free(data);
	free(path);
}

/* Parses an expect file of a report (expect lines and comments only). */
static int parse_expect_file(struct xcase *c, const char *path, struct sbuf *msg)
{
	char *data;
	size_t len;
	if (read_file(path, &data, &len, msg) != 0)
		return -1;
	size_t pos = 0, lineno = 0;
	int rc = 0;
	while (rc == 0 && pos < len) {
		const char *s = data + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - s) : len - pos;
		pos += n + 1;
		lineno++;
		if (rtrim_len(s, n) == 0 || s[0] == '#')
			continue;
		struct sbuf why = {0};
		rc = parse_expect_line(&c->exp, &c->n_exp, s, n, &why);
		if (rc != 0)
			sbuf_printf(msg, "%s:%zu: %s", path, lineno, why.p ? why.p : "?");
		free(why.p);
	}
	free(data);
	c->have_expect = rc == 0;
	return rc;
}

/* Adds one test per NAME.plain.txt / NAME.defanged.txt pair in dir. */
static void add_reports(const char *dir, struct case_list *out)
{
	struct sbuf msg = {0};
	char **plain = NULL, **defanged = NULL;
	size_t np = 0, nd = 0;
	if (list_dir(dir, ".plain.txt", &plain, &np, &msg) != 0 ||
	    list_dir(dir, ".defanged.txt", &defanged, &nd, &msg) != 0) {
		add_broken(out, "reports:(directory)", msg.p);
		goto done;
	}
	if (np == 0)
		add_broken(out, "reports:(directory)", "no NAME.plain.txt reports found");
	for (size_t i = 0; i < nd; i++) {
		size_t stem = strlen(defanged[i]) - strlen(".defanged.txt");
		bool paired = false;
		for (size_t k = 0; k < np; k++)
			if (strlen(plain[k]) - strlen(".plain.txt") == stem &&
			    memcmp(plain[k], defanged[i], stem) == 0)
				paired = true;
		if (!paired) {
			struct sbuf m = {0};
			sbuf_printf(&m, "%s/%s has no .plain.txt counterpart", dir, defanged[i]);
			add_broken(out, "reports:(unpaired)", m.p);
			free(m.p);
		}
	}
	for (size_t i = 0; i < np; i++) {
		size_t stem = strlen(plain[i]) - strlen(".plain.txt");
		struct xcase *c = xrealloc(NULL, sizeof *c);
		memset(c, 0, sizeof *c);
		c->kind = CASE_REPORT;
		struct sbuf b = {0};
		sbuf_printf(&b, "reports:%.*s", (int)stem, plain[i]);
		c->name = sbuf_take(&b);
		sbuf_printf(&b, "%s/%s", dir, plain[i]);
		c->plain_path = sbuf_take(&b);
		c->where = xstrdup(c->plain_path);
		sbuf_printf(&b, "%s/%.*s.defanged.txt", dir, (int)stem, plain[i]);
		c->defanged_path = sbuf_take(&b);
		sbuf_printf(&b, "%s/%.*s.expect", dir, (int)stem, plain[i]);
		char *expect_path = sbuf_take(&b);
		FILE *f = fopen(expect_path, "r");
		if (f != NULL) {
			fclose(f);
			struct sbuf m = {0};
			if (parse_expect_file(c, expect_path, &m) != 0) {
				add_broken(out, c->name, m.p);
				free_case(c);
				c = NULL;
			}
			free(m.p);
		}
		free(expect_path);
		if (c != NULL)
			case_list_add(out, c);
	}
done:
	free_names(plain, np);
	free_names(defanged, nd);
	free(msg.p);
}

/* ---------------------------------------------------- running extraction */

/* One indicator produced by ioc_extract, copied out of the callback. */
struct got {
	enum ioc_type type;
	char *value;
	char *raw;
	size_t raw_len;
	size_t offset;
	char *field;
};

/* What the emit callback collects, and the invariant violations it saw. */
struct collect {
	const char *text;
	size_t len;
	struct got *v;
	size_t n;
	size_t prev_end; /* offset + raw_len of the previous match */
	struct sbuf problems;
};

static void free_collect(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].value);
		free(c->v[i].raw);
		free(c->v[i].field);
	}
	free(c->v);
	free(c->problems.p);
	memset(c, 0, sizeof *c);
}

/* Checks the raw text of a card match: masked digits stand where the input
 * has digits, every other byte is the input's, and the number of masked
 * digits is the value's. */
static void check_card_raw(struct collect *c, const struct ioc_match *m)
{
	size_t stars_raw = 0, stars_value = 0;
	for (size_t i = 0; i < m->raw_len; i++) {
		unsigned char in = (unsigned char)c->text[m->offset + i];
		if (m->raw[i] == '*') {
			stars_raw++;
			if (in < '0' || in > '9') {
				sbuf_printf(
				        &c->problems,
				        "card raw has '*' at %zu where the input has no digit\n",
				        m->offset + i);
				return;
			}
		} else if (m->raw[i] != (char)in) {
			sbuf_printf(&c->problems, "card raw differs from the input at byte %zu\n",
			            m->offset + i);
			return;
		}
	}
	for (size_t i = 0; i < m->value_len; i++)
		stars_value += m->value[i] == '*';
	if (stars_raw == 0 || stars_raw != stars_value)
		sbuf_printf(&c->problems, "card raw masks %zu digits but the value %zu\n",
		            stars_raw, stars_value);
}

/* The invariants every match of ioc_extract must keep. */
static void check_match(struct collect *c, const struct ioc_match *m)
{
	struct sbuf *p = &c->problems;
	if (m->type <= IOC_NONE || m->type >= IOC_TYPE_COUNT)
		sbuf_printf(p, "match with type %d out of range\n", (int)m->type);
	if (m->value == NULL || m->raw == NULL) {
		sbuf_printf(p, "match with a NULL value or raw\n");
		return;
	}
	if (m->value_len == 0 || strlen(m->value) != m->value_len)
		sbuf_printf(p, "value \"%s\": value_len %zu but strlen %zu\n", m->value,
		            m->value_len, strlen(m->value));
	if (m->raw_len == 0 || m->offset > c->len || m->raw_len > c->len - m->offset) {
		sbuf_printf(p, "value \"%s\": offset %zu + raw_len %zu beyond the input (%zu)\n",
		            m->value, m->offset, m->raw_len, c->len);
		return;
	}
	if (m->type == IOC_CARD) {
		check_card_raw(c, m);
	} else if (m->raw != c->text + m->offset) {
		sbuf_printf(p, "value \"%s\": raw does not point at text + offset %zu%s\n",
		            m->value, m->offset,
		            memcmp(m->raw, c->text + m->offset, m->raw_len) == 0
		                    ? " (same bytes)"
		                    : " (and differs from the input)");
	}
	if (c->n > 0 && m->offset < c->prev_end)
		sbuf_printf(p,
		            "value \"%s\" at offset %zu overlaps or precedes the previous match "
		            "(ending at %zu)\n",
		            m->value, m->offset, c->prev_end);
}

/* ioc_emit_fn: checks and copies one match. */
static int collect_emit(void *arg, const struct ioc_match *m)
{
	struct collect *c = arg;
	if (m == NULL) {
		sbuf_printf(&c->problems, "emit called with a NULL match\n");
		return 0;
	}
	check_match(c, m);
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	struct got *g = &c->v[c->n++];
	memset(g, 0, sizeof *g);
	g->type = m->type;
	g->value = m->value != NULL ? xstrndup(m->value, strlen(m->value)) : xstrdup("(null)");
	g->raw_len = m->raw != NULL ? m->raw_len : 0;
	if (g->raw_len > c->len)
		g->raw_len = 0;
	g->raw = xstrndup(m->raw != NULL ? m->raw : "", g->raw_len);
	g->offset = m->offset;
	g->field = m->field != NULL ? xstrdup(m->field) : NULL;
	if (m->raw != NULL && m->offset <= c->len && m->raw_len <= c->len - m->offset)
		c->prev_end = m->offset + m->raw_len;
	return 0;
}

/* Runs ioc_extract on text.  Failures of the call itself are recorded as
 * problems. */
static void run_extract(const char *text, size_t len, const struct ioc_extract_opts *opts,
                        struct collect *out)
{
	memset(out, 0, sizeof *out);
	out->text = text;
	out->len = len;
	struct crix_error err = {0};
	int rc = ioc_extract(g_ctx, text, len, opts, collect_emit, out, &err);
	if (rc != 0)
		sbuf_printf(&out->problems, "ioc_extract returned %d (%s): %s\n", rc,
		            crix_strerror(rc), err.msg);
}

static void print_got(struct sbuf *b, const struct collect *c)
{
	sbuf_printf(b, "  got (%zu):\n", c->n);
	for (size_t i = 0; i < c->n; i++) {
		const struct got *g = &c->v[i];
		sbuf_printf(b, "    %s %s @%zu raw=", ioc_type_name(g->type), g->value, g->offset);
		sbuf_quoted(b, g->raw, g->raw_len);
		if (g->field != NULL)
			sbuf_printf(b, " field=%s", g->field);
		sbuf_add(b, "\n", 1);
	}
}

static void print_expected(struct sbuf *b, const struct xcase *c)
{
	sbuf_printf(b, "  expected (%zu):\n", c->n_exp);
	for (size_t i = 0; i < c->n_exp; i++) {
		const struct expect *e = &c->exp[i];
		sbuf_printf(b, "    %s %s", ioc_type_name(e->type), e->value);
		if (e->offset >= 0)
			sbuf_printf(b, " @%lld", e->offset);
		if (e->field != NULL)
			sbuf_printf(b, " field=%s", e->field);
		sbuf_add(b, "\n", 1);
	}
}

/* Compares got with the expected list; describes the first difference in
 * why.  Returns true when they agree. */
static bool matches_expected(const struct xcase *c, const struct collect *got, struct sbuf *why)
{
	size_t n = c->n_exp < got->n ? c->n_exp : got->n;
	for (size_t i = 0; i < n; i++) {
		const struct expect *e = &c->exp[i];
		const struct got *g = &got->v[i];
		if (e->type != g->type || strcmp(e->value, g->value) != 0) {
			sbuf_printf(why, "item %zu: expected %s %s, got %s %s\n", i + 1,
			            ioc_type_name(e->type), e->value, ioc_type_name(g->type),
			            g->value);
			return false;
		}
		if (e->offset >= 0 && (size_t)e->offset != g->offset) {
			sbuf_printf(why, "item %zu (%s %s): expected offset %lld, got %zu\n", i + 1,
			            ioc_type_name(e->type), e->value, e->offset, g->offset);
			return false;
		}
		if (e->field != NULL && (g->field == NULL || strcmp(e->field, g->field) != 0)) {
			sbuf_printf(why, "item %zu (%s %s): expected field %s, got %s\n", i + 1,
			            ioc_type_name(e->type), e->value, e->field,
			            g->field != NULL ? g->field : "(none)");
			return false;
		}
	}
	if (c->n_exp != got->n) {
		sbuf_printf(why, "expected %zu indicators, got %zu\n", c->n_exp, got->n);
		return false;
	}
	return true;
}

/* ----------------------------------------------------------------- tests */

/* Fails the running test with msg (taking ownership of it).  Everything else
 * must be freed before: cmocka leaves the test by longjmp. */
static void fail_with(char *msg)
{
	print_error("%s", msg);
	free(msg);
	fail();
}

static void test_broken(const struct xcase *c)
{
	char *msg = xstrdup(c->error);
	fail_with(msg);
}

static void test_extract_case(const struct xcase *c)
{
	struct collect got;
	run_extract(c->text, c->text_len, &c->opts, &got);
	struct sbuf why = {0};
	bool ok = matches_expected(c, &got, &why);
	if (got.problems.len > 0) {
		sbuf_printf(&why, "invariants broken:\n%s", got.problems.p);
		ok = false;
	}
	if (ok) {
		free_collect(&got);
		free(why.p);
		return;
	}
	struct sbuf msg = {0};
	sbuf_printf(&msg, "%s: case '%s'\n  text: ", c->where, strchr(c->name, ':') + 1);
	sbuf_quoted(&msg, c->text, c->text_len);
	sbuf_printf(&msg, "\n  opts:%s%s%s types=0x%x\n", c->opts.refang ? " --refang" : "",
	            c->opts.country[0] ? " --country " : "", c->opts.country,
	            (unsigned)c->opts.types);
	print_expected(&msg, c);
	print_got(&msg, &got);
	sbuf_printf(&msg, "  %s", why.p);
	free(why.p);
	free_collect(&got);
	fail_with(sbuf_take(&msg));
}

/* True when raw carries a defanging mark, i.e. the indicator was written
 * defanged and refanging produced it. */
static bool is_defanged(const char *raw, size_t n)
{
	static const char *const marks[] = {"[",     "]",    "(",    ")",    "{",   "}",   "\\",
	                                    " dot ", " at ", "hxxp", "hXXp", "fxp", "HXXP"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		size_t m = strlen(marks[i]);
		for (size_t k = 0; k + m <= n; k++)
			if (memcmp(raw + k, marks[i], m) == 0)
				return true;
	}
	return false;
}

static bool is_host_type(enum ioc_type t)
{
	return t == IOC_URL || t == IOC_DOMAIN || t == IOC_EMAIL;
}

/* Appends the items where two lists differ (by type and value). */
static bool same_list(const struct collect *a, const struct collect *b, struct sbuf *why)
{
	size_t n = a->n < b->n ? a->n : b->n;
	for (size_t i = 0; i < n; i++)
		if (a->v[i].type != b->v[i].type || strcmp(a->v[i].value, b->v[i].value) != 0) {
			sbuf_printf(why,
			            "first difference at item %zu: plain %s %s, refanged %s %s\n",
			            i + 1, ioc_type_name(a->v[i].type), a->v[i].value,
			            ioc_type_name(b->v[i].type), b->v[i].value);
			return false;
		}
	if (a->n != b->n) {
		sbuf_printf(why, "plain gives %zu indicators, refanged defanged %zu\n", a->n, b->n);
		return false;
	}
	return true;
}

/*
 * The refang equivalence of a report pair: plain == refang(defanged), plain
 * == NAME.expect when there is one, and the defanged indicators do not come
 * out of the defanged text unless refanging was asked for.
 */
static void test_report(const struct xcase *c)
{
	struct sbuf msg = {0}, why = {0};
	char *plain = NULL, *defanged = NULL;
	size_t plain_len = 0, defanged_len = 0;
	if (read_file(c->plain_path, &plain, &plain_len, &msg) != 0 ||
	    read_file(c->defanged_path, &defanged, &defanged_len, &msg) != 0) {
		free(plain);
		free(defanged);
		fail_with(sbuf_take(&msg));
		return;
	}
	struct ioc_extract_opts none = {0}, refang = {.refang = true};
	struct collect p, r, d;
	run_extract(plain, plain_len, &none, &p);
	run_extract(defanged, defanged_len, &refang, &r);
	run_extract(defanged, defanged_len, &none, &d);

	bool ok = true;
	if (p.problems.len > 0) {
		sbuf_printf(&why, "plain text, invariants broken:\n%s", p.problems.p);
		ok = false;
	}
	if (r.problems.len > 0) {
		sbuf_printf(&why, "defanged text with --refang, invariants broken:\n%s",
		            r.problems.p);
		ok = false;
	}
	if (d.problems.len > 0) {
		sbuf_printf(&why, "defanged text without --refang, invariants broken:\n%s",
		            d.problems.p);
		ok = false;
	}
	if (p.n == 0) {
		sbuf_printf(&why, "the plain report gives no indicators at all\n");
		ok = false;
	}
	if (c->have_expect) {
		struct sbuf w = {0};
		if (!matches_expected(c, &p, &w)) {
			sbuf_printf(&why, "plain report differs from its .expect: %s", w.p);
			ok = false;
		}
		free(w.p);
	}
	if (!same_list(&p, &r, &why))
		ok = false;

	size_t n_defanged = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct got *g = &r.v[i];
		if (!is_host_type(g->type) || !is_defanged(g->raw, g->raw_len))
			continue;
		n_defanged++;
		for (size_t k = 0; k < d.n; k++) {
			const struct got *h = &d.v[k];
			bool overlap = h->offset < g->offset + g->raw_len &&
			               g->offset < h->offset + h->raw_len;
			if (overlap && h->type == g->type && strcmp(h->value, g->value) == 0) {
				sbuf_printf(&why, "without --refang the defanged %s ",
				            ioc_type_name(g->type));
				sbuf_quoted(&why, g->raw, g->raw_len);
				sbuf_printf(&why, " @%zu still gives %s %s\n", g->offset,
				            ioc_type_name(h->type), h->value);
				ok = false;
			}
		}
	}
	if (n_defanged == 0) {
		sbuf_printf(&why, "no defanged URL, domain or e-mail address found in %s\n",
		            c->defanged_path);
		ok = false;
	}
	if (!ok) {
		sbuf_printf(&msg, "report %s / %s\n", c->plain_path, c->defanged_path);
		if (c->have_expect)
			print_expected(&msg, c);
		sbuf_printf(&msg, " plain:\n");
		print_got(&msg, &p);
		sbuf_printf(&msg, " defanged, --refang:\n");
		print_got(&msg, &r);
		sbuf_printf(&msg, " defanged, no --refang:\n");
		print_got(&msg, &d);
		sbuf_add(&msg, why.p, why.len);
	}
	free(why.p);
	free_collect(&p);
	free_collect(&r);
	free_collect(&d);
	free(plain);
	free(defanged);
	if (!ok)
		fail_with(sbuf_take(&msg));
}

/* The one test function: dispatches on the kind of case in *state. */
static void run_case(void **state)
{
	const struct xcase *c = *state;
	assert_non_null(c);
	switch (c->kind) {
	case CASE_EXTRACT: test_extract_case(c); break;
	case CASE_REPORT: test_report(c); break;
	case CASE_BROKEN: test_broken(c); break;
	}
}

int main(void)
{
	const char *base = getenv("CRIX_TEST_DATA");
	if (base == NULL || base[0] == '\0')
		base = "tests/data";
	struct sbuf b = {0};
	sbuf_printf(&b, "%s/extract", base);
	char *dir = sbuf_take(&b);
	sbuf_printf(&b, "%s/extract/reports", base);
	char *reports = sbuf_take(&b);

	struct crix_error err = {0};
	if (ioc_ctx_new(&g_ctx, &err) != 0) {
		fprintf(stderr, "test_extract_cases: ioc_ctx_new: %s\n", err.msg);
		free(dir);
		free(reports);
		return 1;
	}

	struct case_list cases = {0};
	struct sbuf msg = {0};
	char **files = NULL;
	size_t nfiles = 0;
	if (list_dir(dir, ".cases", &files, &nfiles, &msg) != 0)
		add_broken(&cases, "extract:(directory)", msg.p);
	else if (nfiles == 0)
		add_broken(&cases, "extract:(directory)", "no *.cases files in the data directory");
	for (size_t i = 0; i < nfiles; i++)
		parse_cases_file(dir, files[i], &cases);
	free_names(files, nfiles);
	free(msg.p);
	add_reports(reports, &cases);

	struct CMUnitTest *tests = xrealloc(NULL, cases.n * sizeof *tests);
	for (size_t i = 0; i < cases.n; i++) {
		tests[i] = (struct CMUnitTest){
		        .name = cases.v[i]->name,
		        .test_func = run_case,
		        .initial_state = cases.v[i],
		};
	}
	int rc = _cmocka_run_group_tests("extract_cases", tests, cases.n, NULL, NULL);

	free(tests);
	for (size_t i = 0; i < cases.n; i++)
		free_case(cases.v[i]);
	free(cases.v);
	ioc_ctx_free(g_ctx);
	free(dir);
	free(reports);
	return rc;
}
