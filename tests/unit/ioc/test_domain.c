/*
 * test_domain.c - domain names (src/ioc/domain.c): lower-case A-labels, no
 * trailing dot, registrable under a known public suffix.
 *
 * The IDN expectations were checked against libidn2 (UTS #46,
 * non-transitional: "ß" stays, so straße.de is xn--strae-oqa.de) and the
 * Punycode of each label against Python's punycode codec.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ioc/ioc_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Labels of a known length, for the length limits. */
#define A10 "aaaaaaaaaa"
#define A57 A10 A10 A10 A10 A10 "aaaaaaa"
#define A58 A57 "a"
#define A63 A10 A10 A10 A10 A10 A10 "aaa"
#define A64 A63 "a"
/* 253 characters: 63 + 1 + 63 + 1 + 63 + 1 + 57 + 1 + 3 */
#define NAME253 A63 "." A63 "." A63 "." A57 ".com"
#define NAME254 A63 "." A63 "." A63 "." A58 ".com"

struct valid_case {
	const char *in;
	const char *want;
};

struct invalid_case {
	const char *in;
	const char *reason;
};

static const struct valid_case valid[] = {
        /* case and the trailing dot */
        {"EVIL.COM", "evil.com"},
        {"Example.Com.", "example.com"},
        {"evil.com.", "evil.com"},
        {"www.example.com", "www.example.com"},
        {"WWW.Example.ORG", "www.example.org"},
        /* under multi-label public suffixes, kept whole */
        {"example.co.uk", "example.co.uk"},
        {"a.b.example.co.uk", "a.b.example.co.uk"},
        {"Example.CO.UK.", "example.co.uk"},
        {"example.com.au", "example.com.au"},
        /* digits and hyphens inside labels */
        {"my-site.org", "my-site.org"},
        {"a1.io", "a1.io"},
        {"123.com", "123.com"},
        {"1.2.3.example.net", "1.2.3.example.net"},
        {"x--y.net", "x--y.net"},
        {"a.de", "a.de"},
        /* IDN: U-labels become A-labels (UTS #46 mapping, non-transitional) */
        {"bücher.de", "xn--bcher-kva.de"},
        {"BÜCHER.DE", "xn--bcher-kva.de"},
        {"Bücher.de.", "xn--bcher-kva.de"},
        {"münchen.de", "xn--mnchen-3ya.de"},
        {"straße.de", "xn--strae-oqa.de"},
        {"日本語.jp", "xn--wgv71a119e.jp"},
        {"пример.рф", "xn--e1afmkfd.xn--p1ai"},
        {"www.bücher.de", "www.xn--bcher-kva.de"},
        {"bücher。de", "xn--bcher-kva.de"}, /* ideographic full stop */
        /* A-labels as written are already canonical */
        {"xn--bcher-kva.de", "xn--bcher-kva.de"},
        {"XN--BCHER-KVA.DE", "xn--bcher-kva.de"},
        {"example.xn--p1ai", "example.xn--p1ai"},
        /* lengths: 63-character label, 253-character name */
        {A63 ".com", A63 ".com"},
        {"www." A63 ".example.com", "www." A63 ".example.com"},
        {NAME253, NAME253},
        {NAME253 ".", NAME253},
};

static const struct invalid_case invalid[] = {
        /* public suffixes alone, single labels */
        {"co.uk", "domain: 'co.uk' is a public suffix, not a registrable domain"},
        {"com.au", "is a public suffix"},
        {"CO.UK.", "is a public suffix"},
        {"com", "domain: a single label is not a registrable domain"},
        {"localhost", "a single label"},
        {"localhost.", "a single label"},
        /* unknown and numeric top-level labels */
        {"example.invalidtld", "domain: '.invalidtld' is not a known top-level domain"},
        {"setup.exe", "'.exe' is not a known top-level domain"},
        {"index.php", "'.php' is not a known top-level domain"},
        {"report.pdf", "is not a known top-level domain"},
        {"photo.jpg", "is not a known top-level domain"},
        {"os.path.join", "is not a known top-level domain"},
        {"host.local", "is not a known top-level domain"},
        {"example.123", "domain: the last label is a number"},
        {"1.2.3.4", "the last label is a number"},
        {"v2.0.1", "the last label is a number"},
        {"3.14", "the last label is a number"},
        /* label syntax */
        {"-evil.com", "domain: a label starts or ends with '-'"},
        {"evil-.com", "starts or ends with '-'"},
        {"www.-evil.com", "starts or ends with '-'"},
        {"evil.-com", "starts or ends with '-'"},
        {"ev_il.com", "domain: invalid character '_' at position 3"},
        {"_dmarc.example.com", "invalid character '_' at position 1"},
        {"evil com", "invalid character ' '"},
        {"evil.com/", "invalid character '/'"},
        {"evil.com:80", "invalid character ':'"},
        {"bob@evil.com", "invalid character '@'"},
        {"*.evil.com", "invalid character '*'"},
        {"evil..com", "domain: empty label"},
        {".evil.com", "empty label"},
        {"evil.com..", "empty label"},
        /* empty */
        {"", "domain: empty name"},
        {".", "empty name"},
        /* lengths */
        {A64 ".com", "domain: label longer than 63 characters"},
        {"www." A64 ".example.com", "label longer than 63"},
        {NAME254, "domain: longer than 253 characters"},
        {NAME254 ".", "longer than 253 characters"},
        /* IDN failures */
        {"bü_cher.de", "invalid character '_'"},
        {"\xef\xbf\xbd.com", "domain: not a valid internationalised name"},
        {"\xff.com", "not a valid internationalised name"},
        {"bü cher.de", "not a valid internationalised name"},
        {"-bü.de", "not a valid internationalised name"},
        {"üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü.de",
         "not a valid internationalised name"},
        {"bücher.invalidtld", "is not a known top-level domain"},
};

static int setup(void **state)
{
	struct ioc_ctx *ctx;
	struct crix_error err = {0};
	if (ioc_ctx_new(&ctx, &err) != 0) {
		print_error("ioc_ctx_new: %s\n", err.msg);
		return -1;
	}
	*state = ctx;
	return 0;
}

static int teardown(void **state)
{
	ioc_ctx_free(*state);
	return 0;
}

/* Parses a heap copy of exactly strlen(in) bytes, so ASan sees overreads. */
static int parse(void **state, const char *in, struct ioc_value *out, struct crix_error *err)
{
	size_t n = strlen(in);
	char *copy = malloc(n > 0 ? n : 1);
	assert_non_null(copy);
	memcpy(copy, in, n);
	int rc = ioc_parse_domain(*state, copy, n, out, err);
	free(copy);
	return rc;
}

static void test_valid(void **state)
{
	for (size_t i = 0; i < COUNT(valid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(state, valid[i].in, &out, &err);
		if (rc != 0)
			fail_msg("\"%s\": rc %d: %s", valid[i].in, rc, err.msg);
		if (strcmp(out.v, valid[i].want) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", valid[i].in, out.v,
			         valid[i].want);
		assert_int_equal(out.len, strlen(valid[i].want));
		assert_int_equal(out.type, IOC_DOMAIN);
	}
}

static void test_invalid(void **state)
{
	for (size_t i = 0; i < COUNT(invalid); i++) {
		struct ioc_value out;
		struct crix_error err = {0};
		int rc = parse(state, invalid[i].in, &out, &err);
		if (rc != CRIX_EINVAL)
			fail_msg("\"%s\": rc %d, want CRIX_EINVAL (value \"%s\")", invalid[i].in,
			         rc, rc == 0 ? out.v : "");
		assert_int_equal(err.code, CRIX_EINVAL);
		if (strstr(err.msg, invalid[i].reason) == NULL)
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", invalid[i].in, err.msg,
			         invalid[i].reason);
		assert_int_equal(parse(state, invalid[i].in, &out, NULL), CRIX_EINVAL);
	}
}

/* The canonical form is a fixed point. */
static void test_idempotent(void **state)
{
	for (size_t i = 0; i < COUNT(valid); i++) {
		struct ioc_value once, twice;
		assert_int_equal(parse(state, valid[i].in, &once, NULL), 0);
		assert_int_equal(parse(state, once.v, &twice, NULL), 0);
		assert_string_equal(once.v, twice.v);
	}
}

/* Only the n bytes given are read: the rest of the buffer is ignored. */
static void test_length_not_nul(void **state)
{
	struct ioc_value out;
	const char *s = "evil.com/path";
	assert_int_equal(ioc_parse_domain(*state, s, 8, &out, NULL), 0);
	assert_string_equal(out.v, "evil.com");
	s = "bücher.de and more";
	assert_int_equal(ioc_parse_domain(*state, s, strlen("bücher.de"), &out, NULL), 0);
	assert_string_equal(out.v, "xn--bcher-kva.de");
}

/* Very long input, ASCII and not: refused with a message, no overflow. */
static void test_very_long(void **state)
{
	size_t n = 5000;
	char *s = malloc(n);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (i % 10 == 9) ? '.' : 'a';
	memcpy(s + n - 4, ".com", 4);
	struct ioc_value out;
	struct crix_error err = {0};
	assert_int_equal(ioc_parse_domain(*state, s, n, &out, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 253"));
	/* the same length of two-byte characters goes the IDN way */
	for (size_t i = 0; i + 1 < n; i += 2) {
		s[i] = (char)0xc3;
		s[i + 1] = (char)0xbc; /* ü */
	}
	assert_int_equal(ioc_parse_domain(*state, s, n, &out, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 253"));
	/* just under the pre-check for UTF-8 names: idn2 decides */
	assert_int_equal(ioc_parse_domain(*state, s, 1012, &out, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "domain: "));
	free(s);
}

/* The per-thread answers about last labels (ioc_known_tld) are libpsl's:
 * cold, warm, after more distinct labels than the cache has slots, for
 * labels too long to be kept, and never taken from another context. */
static void check_tld(const struct ioc_ctx *ctx, const char *tld)
{
	bool want = psl_is_public_suffix2(ctx->psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
	if (ioc_known_tld(ctx, tld, strlen(tld)) != want)
		fail_msg("'%s': ioc_known_tld says %d, libpsl %d", tld, !want, want);
}

static void test_known_tld_cache(void **state)
{
	static const char *const real[] = {"com", "uk", "de",       "cn",     "ru",
	                                   "br",  "io", "xn--p1ai", "museum", "amsterdam"};
	static const char *const fake[] = {"exe",
	                                   "php",
	                                   "invalidtld",
	                                   "zz",
	                                   "a23456789012345678901234567890",
	                                   "a234567890123456789012345678901"};
	const struct ioc_ctx *ctx = *state;
	char label[16];
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < COUNT(real); i++) {
			assert_true(ioc_known_tld(ctx, real[i], strlen(real[i])));
			check_tld(ctx, real[i]);
		}
		for (size_t i = 0; i < COUNT(fake); i++)
			check_tld(ctx, fake[i]);
		for (int i = 0; i < 700; i++) { /* evicts and collides */
			snprintf(label, sizeof label, "q%dz", i);
			check_tld(ctx, label);
		}
	}
	/* another context with a list of its own (only "com"): the answers
	 * kept for the first context are not its answers */
	struct ioc_ctx *other = NULL;
	assert_int_equal(ioc_ctx_new(&other, NULL), 0);
	assert_true(other->serial != ctx->serial);
	FILE *f = fmemopen((void *)"com\n", 4, "r");
	assert_non_null(f);
	psl_ctx_t *own = psl_load_fp(f);
	fclose(f);
	assert_non_null(own);
	ioc_suffix_free(other); /* the rule set was the old list's */
	other->rules = NULL;
	other->psl = own;
	other->psl_owned = true;
	struct ioc_value out;
	assert_int_equal(ioc_parse_domain(ctx, "evil.de", 7, &out, NULL), 0);
	assert_int_equal(ioc_parse_domain(other, "evil.de", 7, &out, NULL), CRIX_EINVAL);
	assert_int_equal(ioc_parse_domain(other, "evil.com", 8, &out, NULL), 0);
	for (size_t i = 0; i < COUNT(real); i++)
		check_tld(other, real[i]);
	ioc_ctx_free(other);
	assert_int_equal(ioc_parse_domain(ctx, "evil.de", 7, &out, NULL), 0);
}

/* ioc_is_public_suffix against libpsl for one name, when it is an LDH
 * name with a dot (what the function is for).  OUT: *yes counts "yes". */
static void check_suffix(const struct ioc_ctx *ctx, const char *name, size_t *checked, size_t *yes)
{
	size_t n = strlen(name);
	if (n == 0 || n > 253 || name[0] == '.' || name[n - 1] == '.' ||
	    strchr(name, '.') == NULL || strstr(name, "..") != NULL)
		return;
	for (size_t i = 0; i < n; i++)
		if (!ioc_is_alnum((unsigned char)name[i]) && name[i] != '-' && name[i] != '.')
			return;
	bool want = psl_is_public_suffix2(ctx->psl, name, PSL_TYPE_ICANN) != 0;
	if (ioc_is_public_suffix(ctx, name, n) != want)
		fail_msg("'%s': ioc_is_public_suffix says %d, libpsl %d", name, !want, want);
	(*checked)++;
	*yes += want;
}

/* The name, a label or two added before it, and each of its parents. */
static void check_around(const struct ioc_ctx *ctx, const char *name, size_t *checked, size_t *yes)
{
	static const char *const pre[] = {"", "a.", "www.", "x-1.b.", "xn--bcher-kva."};
	char buf[600];
	for (size_t i = 0; i < COUNT(pre); i++) {
		snprintf(buf, sizeof buf, "%s%s", pre[i], name);
		check_suffix(ctx, buf, checked, yes);
	}
	for (const char *p = strchr(name, '.'); p != NULL; p = strchr(p + 1, '.'))
		check_suffix(ctx, p + 1, checked, yes);
}

/*
 * The rule set answers exactly as libpsl: over every rule of the text list
 * the built-in list was made from (as A-labels, exceptions and wildcards
 * too) with labels added and removed, and over random names under random
 * rules.  On Debian the context's list is the publicsuffix package's
 * DAFSA, newer than the built-in list, so the rule set is in use.
 */
static void test_public_suffix_as_libpsl(void **state)
{
	const struct ioc_ctx *ctx = *state;
	struct stat sb;
	if (stat(psl_dist_filename(), &sb) == 0 && sb.st_mtime > psl_builtin_file_time())
		assert_non_null(ctx->rules);
	FILE *f = fopen(psl_builtin_filename(), "r");
	if (f == NULL)
		skip();
	char line[512];
	char(*rules)[256] = calloc(16384, sizeof *rules);
	assert_non_null(rules);
	size_t nrules = 0, checked = 0, yes = 0;
	while (fgets(line, sizeof line, f) != NULL && nrules < 16384) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (line[0] == '\0' || (line[0] == '/' && line[1] == '/'))
			continue;
		const char *r = line;
		if (r[0] == '!')
			r++;
		else if (r[0] == '*' && r[1] == '.')
			r += 2;
		uint8_t *ace = NULL;
		if (idn2_lookup_u8((const uint8_t *)r, &ace,
		                   IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK)
			continue;
		snprintf(rules[nrules], sizeof rules[nrules], "%s", (const char *)ace);
		idn2_free(ace);
		check_around(ctx, rules[nrules], &checked, &yes);
		nrules++;
	}
	fclose(f);
	assert_true(nrules > 5000);
	srand(7);
	char buf[600];
	for (int i = 0; i < 200000; i++) {
		static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
		size_t k = 0;
		for (int l = rand() % 3; l >= 0; l--) {
			for (int c = 1 + rand() % 6; c > 0; c--)
				buf[k++] = alpha[rand() % 36];
			buf[k++] = '.';
		}
		snprintf(buf + k, sizeof buf - k, "%s", rules[(size_t)rand() % nrules]);
		/* half the time the rule loses its first label */
		const char *dot = strchr(buf + k, '.');
		if (rand() % 2 && dot != NULL)
			memmove(buf + k, dot + 1, strlen(dot + 1) + 1);
		check_suffix(ctx, buf, &checked, &yes);
	}
	free(rules);
	print_message("%zu names compared with libpsl, %zu public suffixes\n", checked, yes);
	assert_true(yes > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_valid),
	        cmocka_unit_test(test_invalid),
	        cmocka_unit_test(test_idempotent),
	        cmocka_unit_test(test_length_not_nul),
	        cmocka_unit_test(test_very_long),
	        cmocka_unit_test(test_known_tld_cache),
	        cmocka_unit_test(test_public_suffix_as_libpsl),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
