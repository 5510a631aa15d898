/*
 * test_indexfile.c - index files (src/match/indexfile.c): an index saved and
 * read back finds the same hits (addresses, CIDR, IPv6, domains, URLs,
 * e-mails, hashes, the allow-list), saving it again gives the same bytes,
 * it grows and takes allow-lists as a built one does, and damaged files
 * (truncated at any length, fields set wrong, every bit of a small file
 * flipped) are refused or harmless, never a crash (the ASan build runs
 * these too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "match/indexfile.h"
#include "match/match.h"
#include "match/match_int.h"
#include "unit/match/match_test.h"

/* ---- helpers ---- */

static char dir[64];

static int setup_all(void **state)
{
	/* on tmpfs where there is one: saves sync the file and directory,
	 * which a busy disk makes slow */
	struct stat sb;
	snprintf(dir, sizeof dir, "%s/crix-ixf-XXXXXX",
	         stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	return setup(state);
}

static int teardown_all(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	return teardown(state);
}

static const char *tmp_path(const char *name)
{
	static char p[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void save(struct match_index *ix, const char *path)
{
	struct crix_error err = {0};
	if (match_index_save(ix, path, &err) != 0)
		fail_msg("match_index_save(%s): %s", path, err.msg);
}

static struct match_index *load(const char *path)
{
	struct match_index *ix = NULL;
	struct crix_error err = {0};
	if (match_index_load_file(path, &ix, &err) != 0)
		fail_msg("match_index_load_file(%s): %s", path, err.msg);
	assert_non_null(ix);
	return ix;
}

/* The whole file at path.  OUT: *n. */
static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = malloc(len > 0 ? (size_t)len : 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return p;
}

static void spill(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* The hits of a scan as text, one line each, with everything a hit says. */
struct text {
	char *p;
	size_t n, cap;
};

static int on_hit(void *arg, const struct match_scan_hit *h)
{
	struct text *t = arg;
	char line[IOC_VALUE_MAX + 256];
	int w = snprintf(line, sizeof line, "%zu+%zu l%llu %s %s s%u:%llu\n", h->offset, h->len,
	                 (unsigned long long)h->line, ioc_type_name(h->hit->type),
	                 h->hit->indicator, h->hit->source, (unsigned long long)h->hit->line);
	if (t->n + (size_t)w + 1 > t->cap) {
		t->cap = (t->n + (size_t)w + 1) * 2;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	memcpy(t->p + t->n, line, (size_t)w + 1);
	t->n += (size_t)w;
	return 0;
}

static char *scan_text(struct match_index *ix, const char *text)
{
	struct text t = {0};
	t.p = calloc(1, 1);
	t.cap = 1;
	struct match_scan_opts o = {.ioc = ctx};
	struct crix_error err = {0};
	if (match_scan(ix, text, strlen(text), &o, on_hit, &t, &err) != 0)
		fail_msg("match_scan: %s", err.msg);
	return t.p;
}

/* Lookups of value as every kind of question, as text. */
static int on_lookup(void *arg, const struct match_hit *h)
{
	return on_hit(arg, &(struct match_scan_hit){.hit = h});
}

static char *lookup_text(struct match_index *ix, enum ioc_type type, const char *s)
{
	struct text t = {0};
	t.p = calloc(1, 1);
	t.cap = 1;
	assert_int_equal(match_lookup(ix, parse(type, s), on_lookup, &t), 0);
	return t.p;
}

static void same_stats(struct match_index *a, struct match_index *b)
{
	struct match_stats x, y;
	match_index_stats(a, &x);
	match_index_stats(b, &y);
	assert_int_equal(x.indicators, y.indicators);
	assert_int_equal(x.value_bytes, y.value_bytes);
	assert_int_equal(x.allowed, y.allowed);
	assert_int_equal(x.duplicates, y.duplicates);
	for (int t = 0; t < IOC_TYPE_COUNT; t++)
		assert_int_equal(x.by_type[t], y.by_type[t]);
	for (uint32_t id = 0;; id++) {
		const struct match_source *p = match_index_source(a, id),
		                          *q = match_index_source(b, id);
		assert_true((p == NULL) == (q == NULL));
		if (p == NULL)
			break;
		assert_string_equal(p->name, q->name);
		assert_true((p->tlp == NULL) == (q->tlp == NULL));
		assert_true((p->tags == NULL) == (q->tags == NULL));
		if (p->tlp != NULL)
			assert_string_equal(p->tlp, q->tlp);
		if (p->tags != NULL)
			assert_string_equal(p->tags, q->tags);
	}
}

/* A log with something for every kind of indicator, and near misses. */
static const char LOG[] =
        "1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"UA\"\n"
        "11.2.3.45 notevil.example.com evil.example.com.au www.evil.example.com\n"
        "10.9.8.7 10.20.3.4 9.255.255.255 11.0.0.0 172.16.5.5 172.16.9.9 192.0.2.77\n"
        "192.0.2.200 198.51.100.3 10.99.0.1 10.20.99.1\n"
        "hash D41D8CD98F00B204E9800998ECF8427E sample_d41d8cd98f00b204e9800998ecf8427e.bin\n"
        "ref \"HTTP://Phish.Example.NET:80/./login.php?a=1\" from=<bob@EVIL.example.org>\n"
        "v6 2001:DB8:0:0::1 and 2001:db8::10 and ::ffff:1.2.3.4 2001:db8:aa::5 2001:db8:bb::1\n"
        "allowed: good.example.com x.good.example.com 10.66.1.1 mail.corp.example.net\n"
        "hosts safe.evil.example.com www.phish.example.net other.example.org\n";

/* Values of the index, looked up directly too. */
static const struct {
	enum ioc_type type;
	const char *v;
} VALUES[] = {
        {IOC_IPV4, "1.2.3.4"},
        {IOC_IPV4, "10.9.8.7"},
        {IOC_IPV4, "10.20.3.4"},
        {IOC_IPV4, "192.0.2.77"},
        {IOC_IPV4, "10.66.1.1"},
        {IOC_IPV4, "198.51.100.3"},
        {IOC_IPV6, "2001:db8::1"},
        {IOC_IPV6, "2001:db8:aa::5"},
        {IOC_DOMAIN, "www.evil.example.com"},
        {IOC_DOMAIN, "good.example.com"},
        {IOC_DOMAIN, "safe.evil.example.com"},
        {IOC_URL, "http://phish.example.net/login.php?a=1"},
        {IOC_EMAIL, "bob@evil.example.org"},
        {IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e"},
};

/*
 * An index with every kind of indicator, two sources (one without TLP and
 * tags), a value from both, a duplicate, and an allow-list (exact, network,
 * domain) that removed some; v4 adds IPv4 addresses and networks (whose
 * bitmaps make the file some MB).
 */
static struct match_index *rich_index(bool v4)
{
	struct match_index *ix = new_index();
	uint32_t a = source(ix, "feed-a.txt", "amber", "apt,test");
	uint32_t b = source(ix, "feed-b.txt", NULL, NULL);
	allow(ix, IOC_DOMAIN, "safe.evil.example.com");
	if (v4) {
		add(ix, IOC_IPV4, "1.2.3.4", a, 1);
		add(ix, IOC_IPV4, "1.2.3.4", b, 9);
		add(ix, IOC_IPV4, "1.2.3.4", a, 3); /* duplicate */
		add(ix, IOC_CIDR4, "10.0.0.0/8", a, 2);
		add(ix, IOC_CIDR4, "10.20.0.0/16", b, 3);
		add(ix, IOC_CIDR4, "172.16.0.0/12", a, 4);
		add(ix, IOC_CIDR4, "192.0.2.64/26", b, 5);
		add(ix, IOC_CIDR4, "198.51.100.0/24", a, 6);
		add(ix, IOC_CIDR4, "10.66.0.0/16", a, 7);
		add(ix, IOC_IPV4, "192.0.2.200", a, 8);
	}
	add(ix, IOC_DOMAIN, "evil.example.com", a, 10);
	add(ix, IOC_DOMAIN, "good.example.com", b, 11);
	add(ix, IOC_DOMAIN, "corp.example.net", b, 12);
	add(ix, IOC_DOMAIN, "safe.evil.example.com", a, 13); /* refused: allowed */
	add(ix, IOC_URL, "http://phish.example.net/login.php?a=1", a, 14);
	add(ix, IOC_EMAIL, "bob@evil.example.org", b, 15);
	add(ix, IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e", a, 16);
	add(ix, IOC_IPV6, "2001:db8::1", b, 17);
	add(ix, IOC_CIDR6, "2001:db8:aa::/48", a, 18);
	add(ix, IOC_CIDR6, "2001:db8:bb::/64", b, 19);
	/* removed by the allow-list after they were added */
	size_t removed;
	struct crix_error err = {0};
	allow(ix, IOC_DOMAIN, "good.example.com");
	allow(ix, IOC_DOMAIN, "mail.corp.example.net");
	if (v4) {
		allow(ix, IOC_CIDR4, "10.66.0.0/16");
		allow(ix, IOC_CIDR4, "198.51.100.0/23");
	}
	match_index_sweep_allowed(ix, &removed);
	(void)err;
	match_index_shrink(ix);
	return ix;
}

/* Both indexes answer LOG and VALUES the same. */
static void same_hits(struct match_index *a, struct match_index *b)
{
	char *x = scan_text(a, LOG), *y = scan_text(b, LOG);
	assert_string_equal(x, y);
	free(x);
	free(y);
	for (size_t k = 0; k < sizeof VALUES / sizeof VALUES[0]; k++) {
		x = lookup_text(a, VALUES[k].type, VALUES[k].v);
		y = lookup_text(b, VALUES[k].type, VALUES[k].v);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	same_stats(a, b);
}

/* ---- tests ---- */

static void test_same_hits_after_load(void **state)
{
	(void)state;
	for (int v4 = 0; v4 <= 1; v4++) {
		struct match_index *ix = rich_index(v4);
		const char *path = tmp_path("rich.idx");
		save(ix, path);
		struct match_index *back = load(path);
		same_hits(ix, back);
		/* and the hits are the expected ones, not only the same */
		char *hits = scan_text(back, LOG);
		assert_non_null(strstr(hits, "domain evil.example.com s0:10"));
		assert_non_null(strstr(hits, "url http://phish.example.net/login.php?a=1"));
		assert_non_null(strstr(hits, "email bob@evil.example.org"));
		assert_non_null(strstr(hits, "md5 d41d8cd98f00b204e9800998ecf8427e"));
		assert_non_null(strstr(hits, "ipv6 2001:db8::1"));
		assert_non_null(strstr(hits, "cidr6 2001:db8:aa::/48"));
		assert_null(strstr(hits, "good.example.com"));
		assert_null(strstr(hits, "safe.evil"));
		if (v4) {
			assert_non_null(strstr(hits, "ipv4 1.2.3.4 s0:1"));
			assert_non_null(strstr(hits, "ipv4 1.2.3.4 s1:9"));
			assert_non_null(strstr(hits, "cidr4 10.20.0.0/16"));
			assert_non_null(strstr(hits, "cidr4 172.16.0.0/12"));
			assert_non_null(strstr(hits, "cidr4 192.0.2.64/26"));
			assert_null(strstr(hits, "10.66."));
			assert_null(strstr(hits, "198.51.100"));
		}
		free(hits);
		match_index_free(ix);
		match_index_free(back);
	}
}

static void test_save_load_save_same_bytes(void **state)
{
	(void)state;
	for (int v4 = 0; v4 <= 1; v4++) {
		struct match_index *ix = rich_index(v4);
		save(ix, tmp_path("a.idx"));
		struct match_index *back = load(tmp_path("a.idx"));
		save(back, tmp_path("b.idx"));
		size_t na, nb;
		unsigned char *a = slurp(tmp_path("a.idx"), &na),
		              *b = slurp(tmp_path("b.idx"), &nb);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		free(a);
		free(b);
		match_index_free(ix);
		match_index_free(back);
	}
}

static void test_empty_index(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	save(ix, tmp_path("empty.idx"));
	struct match_index *back = load(tmp_path("empty.idx"));
	same_hits(ix, back);
	/* and it takes values as a new one does */
	uint32_t s = source(back, "late.txt", NULL, NULL);
	add(back, IOC_DOMAIN, "evil.example.com", s, 1);
	char *hits = scan_text(back, LOG);
	assert_non_null(strstr(hits, "evil.example.com"));
	free(hits);
	match_index_free(ix);
	match_index_free(back);
}

static void test_mode_0600(void **state)
{
	(void)state;
	struct match_index *ix = rich_index(false);
	const char *path = tmp_path("mode.idx");
	mode_t old = umask(0);
	save(ix, path);
	umask(old);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* no temporary file is left beside it */
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp", dir);
	assert_int_not_equal(system(cmd), 0);
	match_index_free(ix);
}

/*
 * A loaded index grows as a built one does: many more values (the slots
 * grow, the filter is dropped and built again), a new source, and an
 * allow-list that removes loaded values and refuses new ones.
 */
static void test_add_after_load(void **state)
{
	(void)state;
	struct match_index *ix = rich_index(true);
	save(ix, tmp_path("grow.idx"));
	struct match_index *back = load(tmp_path("grow.idx"));
	uint32_t s = source(back, "more.txt", "green", NULL);
	assert_int_equal(s, 2);
	char v[64];
	for (int k = 0; k < 5000; k++) {
		snprintf(v, sizeof v, "host%d.more.example.org", k);
		assert_false(add(back, IOC_DOMAIN, v, s, (uint64_t)k + 1));
		snprintf(v, sizeof v, "100.%d.%d.1", k / 256, k % 256);
		assert_false(add(back, IOC_IPV4, v, s, (uint64_t)k + 1));
	}
	match_index_shrink(back);
	/* the allow-list made before the save still refuses */
	assert_true(add(back, IOC_IPV4, "10.66.7.7", s, 1));
	assert_true(add(back, IOC_DOMAIN, "x.good.example.com", s, 1));
	/* and a new one removes */
	allow(back, IOC_CIDR4, "172.16.0.0/12");
	size_t removed;
	match_index_sweep_allowed(back, &removed);
	char *hits = scan_text(back, "host4999.more.example.org 100.19.135.1 1.2.3.4 172.16.5.5\n");
	assert_non_null(strstr(hits, "domain host4999.more.example.org s2:5000"));
	assert_non_null(strstr(hits, "ipv4 100.19.135.1 s2:5000"));
	assert_non_null(strstr(hits, "ipv4 1.2.3.4 s0:1"));
	assert_null(strstr(hits, "172.16"));
	free(hits);
	/* the grown index saves and loads again */
	save(back, tmp_path("grow2.idx"));
	struct match_index *again = load(tmp_path("grow2.idx"));
	same_hits(back, again);
	match_index_free(ix);
	match_index_free(back);
	match_index_free(again);
}

/* Files of 64 MiB and more are read by two threads: the same index. */
static void test_two_threads(void **state)
{
	(void)state;
	struct match_index *ix = rich_index(true);
	uint32_t s = source(ix, "many.txt", NULL, NULL);
	char v[64];
	for (int k = 0; k < 20000; k++) {
		snprintf(v, sizeof v, "h%d.many.example.org", k);
		add(ix, IOC_DOMAIN, v, s, (uint64_t)k);
	}
	match_index_shrink(ix);
	save(ix, tmp_path("par.idx"));
	uint64_t old = match_indexfile_par_bytes;
	match_indexfile_par_bytes = 0;
	struct match_index *back = load(tmp_path("par.idx"));
	same_hits(ix, back);
	char *hits = scan_text(back, "x h19999.many.example.org y\n");
	assert_non_null(strstr(hits, "h19999.many.example.org s2:19999"));
	free(hits);
	match_index_free(back);
	/* and a damaged one is refused all the same */
	size_t n;
	unsigned char *p = slurp(tmp_path("par.idx"), &n);
	struct ixf_header h;
	memcpy(&h, p, sizeof h);
	struct match_entry e;
	uint64_t at = h.sec[IXF_SEC_ENTRIES].off + (h.store[0].nentries - 1) * sizeof e;
	memcpy(&e, p + at, sizeof e);
	e.source = 77;
	memcpy(p + at, &e, sizeof e);
	spill(tmp_path("par-bad.idx"), p, n);
	struct crix_error err = {0};
	struct match_index *bad = NULL;
	assert_int_equal(match_index_load_file(tmp_path("par-bad.idx"), &bad, &err), CRIX_EINVAL);
	assert_null(bad);
	assert_non_null(strstr(err.msg, "bad index file: main entries: entry source"));
	match_indexfile_par_bytes = old;
	free(p);
	match_index_free(ix);
}

/* Loads path, which must be refused with a message holding want. */
static void refused(const char *path, const char *want)
{
	struct match_index *ix = NULL;
	struct crix_error err = {0};
	int rc = match_index_load_file(path, &ix, &err);
	if (rc == 0)
		fail_msg("%s: loaded, want refused with \"%s\"", path, want);
	assert_null(ix);
	if (strstr(err.msg, want) == NULL)
		fail_msg("%s: refused with \"%s\", want \"%s\"", path, err.msg, want);
	assert_non_null(strstr(err.msg, path));
}

static void test_truncated(void **state)
{
	(void)state;
	for (int v4 = 0; v4 <= 1; v4++) {
		struct match_index *ix = rich_index(v4);
		const char *path = tmp_path("full.idx"), *cut = tmp_path("cut.idx");
		save(ix, path);
		size_t n;
		unsigned char *p = slurp(path, &n);
		/* every length through the header and the first sections, then
		 * a spread of lengths, and one byte short */
		for (size_t len = 0; len < n; len += len < 6000 ? 1 : n / 97 + 1) {
			spill(cut, p, len);
			refused(cut, "bad index file");
		}
		spill(cut, p, n - 1);
		refused(cut, "bad index file");
		/* and longer */
		unsigned char *q = calloc(n + 64, 1);
		memcpy(q, p, n);
		spill(cut, q, n + 64);
		refused(cut, "bad index file: file size");
		free(q);
		free(p);
		match_index_free(ix);
	}
}

/* The saved rich index as bytes and header, for damaging one field. */
struct damage {
	unsigned char *p;
	size_t n;
	struct ixf_header h;
};

static void damage_begin(struct damage *d)
{
	struct match_index *ix = rich_index(true);
	save(ix, tmp_path("field.idx"));
	match_index_free(ix);
	d->p = slurp(tmp_path("field.idx"), &d->n);
	memcpy(&d->h, d->p, sizeof d->h);
}

/* Writes the header h (changed) or the bytes (changed), and expects want. */
static void damage_try(struct damage *d, const struct ixf_header *h, const char *want)
{
	unsigned char *q = malloc(d->n);
	assert_non_null(q);
	memcpy(q, d->p, d->n);
	if (h != NULL)
		memcpy(q, h, sizeof *h);
	spill(tmp_path("bad.idx"), q, d->n);
	refused(tmp_path("bad.idx"), want);
	free(q);
}

/* Sets entry i of the main store's fields through fn, and expects want. */
static void damage_entry(struct damage *d, uint64_t i, void (*fn)(struct match_entry *),
                         const char *want)
{
	uint64_t at = d->h.sec[IXF_SEC_ENTRIES].off + i * sizeof(struct match_entry);
	struct match_entry e, keep;
	memcpy(&e, d->p + at, sizeof e);
	keep = e;
	fn(&e);
	memcpy(d->p + at, &e, sizeof e);
	damage_try(d, NULL, want);
	memcpy(d->p + at, &keep, sizeof keep);
}

static void bad_type(struct match_entry *e)
{
	e->type = IOC_TYPE_COUNT;
}
static void bad_type0(struct match_entry *e)
{
	e->type = MATCH_DEAD;
}
static void bad_keylen(struct match_entry *e)
{
	e->keylen = (uint8_t)(e->keylen ? 0 : 4);
}
static void bad_textlen(struct match_entry *e)
{
	e->textlen = 0;
}
static void long_text(struct match_entry *e)
{
	e->textlen = IOC_VALUE_MAX;
}
static void bad_off(struct match_entry *e)
{
	e->off = UINT32_MAX - 10;
}
static void shift_off(struct match_entry *e)
{
	e->off += 1; /* the text no longer ends at a NUL */
}
static void self_loop(struct match_entry *e)
{
	e->next = 0; /* entry 0 pointing back at 0 (or earlier) */
}
static void next_out(struct match_entry *e)
{
	e->next = 1000000;
}
static void bad_source(struct match_entry *e)
{
	e->source = 2;
}
static void bad_type_dead(struct match_entry *e)
{
	e->type |= MATCH_DEAD;
}
static void removed_in_chain(struct match_entry *e)
{
	e->type |= MATCH_DEAD; /* entry 1 (1.2.3.4 from feed-b), behind the live entry 0 */
}
static void chain_other_key(struct match_entry *e)
{
	e->next = 3; /* entry 2 (10.0.0.0/8) chained to entry 3 (10.20.0.0/16): later, other key */
}

static void test_bad_fields(void **state)
{
	(void)state;
	struct damage d;
	damage_begin(&d);
	struct ixf_header h;
#define TRY(field_change, want)                                                                    \
	do {                                                                                       \
		h = d.h;                                                                           \
		field_change;                                                                      \
		damage_try(&d, &h, want);                                                          \
	} while (0)
	TRY(h.magic[0] = 'X', "bad index file: not an index file");
	TRY(h.version = IXF_VERSION + 1, "built by an incompatible crix version");
	TRY(h.endian = 0x04030201u, "built by an incompatible crix version");
	TRY(h.hash_check[2] ^= 1, "built by an incompatible crix version");
	TRY(h.entry_bytes = 24, "built by an incompatible crix version");
	TRY(h.type_count++, "built by an incompatible crix version");
	TRY(h.file_bytes++, "bad index file: file size");
	TRY(h.store[0].mask = h.store[0].mask * 2 + 1, "bad index file: main slots: size or mask");
	TRY(h.store[0].mask -= 1, "bad index file: main slots");
	TRY(h.store[0].used = h.store[0].nentries + 1, "bad index file: main slots: used count");
	TRY(h.store[0].used -= 1, "bad index file: main slots: used count");
	TRY(h.store[0].nentries += 1, "bad index file: main entries: count or size");
	TRY(h.store[0].nentries = UINT64_MAX / 2, "bad index file: main entries");
	TRY(h.store[0].arena_len -= 1, "bad index file: main arena: size");
	TRY(h.store[0].tld_used += 1, "bad index file: main tlds");
	TRY(h.store[0].tld_mask = 3, "bad index file: main tlds");
	TRY(h.store[0].uh_used = UINT64_MAX, "bad index file: main urlhosts");
	TRY(h.store[0].bloom_mask = 0, "bad index file: main bloom: size or mask");
	TRY(h.store[1].mask = 0, "bad index file: allow-list slots");
	TRY(h.sec[IXF_SEC_SLOTS].off += 8, "bad index file: main slots: offset or size");
	TRY(h.sec[IXF_SEC_SLOTS].off += 64, "bad index file: main");
	TRY(h.sec[IXF_SEC_ARENA].off = UINT64_MAX - 63, "bad index file: main arena: offset");
	TRY(h.sec[IXF_SEC_V4MAP].bytes = 64, "bad index file: main v4map: size");
	TRY(h.sec[IXF_SEC_V4LEN + 8].bytes = 0, "bad index file: main v4len[24]");
	TRY(h.sec[IXF_SEC_BLOOM].bytes = 0, "bad index file: main bloom");
	TRY(h.sec[IXF_SEC_SOURCES].bytes -= 1, "bad index file");
	TRY(h.nsources = 1u << 30, "bad index file: sources: count");
	TRY(h.nsources = 1, "bad index file: sources: bytes after the last source");
	TRY(h.nsources = 3, "bad index file: sources");
	TRY(h.by_type[IOC_DOMAIN] += 1, "bad index file: counts by type");
	TRY(h.by_type[IXF_TYPES - 1] = 1, "bad index file: counts by type");
#undef TRY
	/* entries */
	damage_entry(&d, 0, bad_type, "bad index file: main entries: entry type");
	damage_entry(&d, 0, bad_type0, "bad index file: main entries: entry type");
	damage_entry(&d, 0, bad_keylen, "bad index file: main entries: entry key length");
	damage_entry(&d, 2, bad_textlen, "bad index file: main entries: entry text length");
	damage_entry(&d, 2, long_text, "bad index file: main entries: entry text length");
	damage_entry(&d, 2, bad_off, "bad index file: main entries: entry text");
	damage_entry(&d, 2, shift_off, "bad index file: main entries: entry text");
	damage_entry(&d, 0, self_loop, "bad index file: main entries: entry chain");
	damage_entry(&d, 3, self_loop, "bad index file: main entries: entry chain");
	damage_entry(&d, 0, next_out, "bad index file: main entries: entry chain");
	damage_entry(&d, 0, bad_source, "bad index file: main entries: entry source");
	/* a chain holds one key (its entries share their text): an entry of
	 * another key in it would be reported for this one, and a value added
	 * to the chain from another source would copy it, type and all, so
	 * that the counts by type drift and the index saved again is refused */
	damage_entry(&d, 2, chain_other_key, "bad index file: main entries: entry chain");
	/* a chain is all live or all removed: a lookup reads its first entry */
	{
		/* with the counts by type made to agree, so that only the chain
		 * check refuses it */
		struct ixf_header *hp = (struct ixf_header *)(void *)d.p;
		hp->by_type[IOC_IPV4]--;
		damage_entry(
		        &d, 1, removed_in_chain,
		        "bad index file: main entries: entry chain (live and removed entries)");
		hp->by_type[IOC_IPV4]++;
	}
	{
		/* a removed entry the allow-list does not cover (evil.example.com,
		 * entry 9 of the main store, alone in its chain), with the counts
		 * by type made to agree: an addition of its key would join the
		 * removed chain live and be missed */
		struct match_entry e;
		uint64_t at = d.h.sec[IXF_SEC_ENTRIES].off + 9 * sizeof e;
		memcpy(&e, d.p + at, sizeof e);
		assert_int_equal(e.type, IOC_DOMAIN);
		assert_int_equal(
		        memcmp(d.p + d.h.sec[IXF_SEC_ARENA].off + e.off, "evil.example.com", 16),
		        0);
		struct ixf_header *hp = (struct ixf_header *)(void *)d.p;
		hp->by_type[IOC_DOMAIN]--;
		damage_entry(
		        &d, 9, bad_type_dead,
		        "bad index file: main entries: a removed entry the allow-list does not "
		        "cover");
		hp->by_type[IOC_DOMAIN]++;
	}
	/* a network's prefix length past 32 */
	{
		struct match_entry e;
		bool done = false;
		for (uint64_t i = 0; i < d.h.store[0].nentries && !done; i++) {
			memcpy(&e, d.p + d.h.sec[IXF_SEC_ENTRIES].off + i * sizeof e, sizeof e);
			if (e.type != IOC_CIDR4)
				continue;
			unsigned char *pl = d.p + d.h.sec[IXF_SEC_ARENA].off + e.off, keep = *pl;
			*pl = 33;
			damage_try(&d, NULL, "bad index file: main entries: entry prefix length");
			*pl = keep;
			done = true;
		}
		assert_true(done);
	}
	/* a slot naming an entry that is not there */
	{
		uint64_t at = d.h.sec[IXF_SEC_SLOTS].off, w;
		for (;; at += 8) {
			memcpy(&w, d.p + at, 8);
			if (w != 0)
				break;
		}
		uint64_t keep = w;
		w = (w & ~0xffffffffull) | (d.h.store[0].nentries + 1);
		memcpy(d.p + at, &w, 8);
		damage_try(&d, NULL, "bad index file: main slots: slot");
		w = keep & ~0xffffffffull;
		memcpy(d.p + at, &w, 8);
		damage_try(&d, NULL, "bad index file: main slots: slot");
		memcpy(d.p + at, &keep, 8);
	}
	/* a source string without its NUL, and with a control character */
	{
		unsigned char *src = d.p + d.h.sec[IXF_SEC_SOURCES].off;
		unsigned char keep = src[4 + 10];
		src[4 + 10] = 'x'; /* the NUL after "feed-a.txt" */
		damage_try(&d, NULL, "bad index file: sources: string");
		src[4 + 10] = keep;
		keep = src[4];
		src[4] = '\n';
		damage_try(&d, NULL, "bad index file: sources: string with a control character");
		src[4] = keep;
	}
	/* the untouched bytes still load */
	spill(tmp_path("ok.idx"), d.p, d.n);
	match_index_free(load(tmp_path("ok.idx")));
	free(d.p);
}

/*
 * The saved bytes p[0, n) with the words in use of section sec moved into
 * one run of run words from word start (wrapping past the end), the rest
 * after it each behind an empty word: counts and entries as they were,
 * only the runs a probe walks longer.
 */
static void spill_run(const char *path, const unsigned char *p, size_t n,
                      const struct ixf_header *h, int sec, size_t run, size_t start)
{
	unsigned char *q = malloc(n);
	assert_non_null(q);
	memcpy(q, p, n);
	uint64_t *w = (uint64_t *)(void *)(q + h->sec[sec].off);
	size_t m = (size_t)(h->sec[sec].bytes / 8), cnt = 0;
	uint64_t *used = malloc(m * 8);
	assert_non_null(used);
	for (size_t i = 0; i < m; i++)
		if (w[i] != 0)
			used[cnt++] = w[i];
	assert_true(cnt > run && run + 2 * (cnt - run) < m);
	memset(w, 0, m * 8);
	for (size_t i = 0, at = start; i < cnt; i++) {
		w[at % m] = used[i];
		at += i + 1 >= run ? 2 : 1;
	}
	spill(path, q, n);
	free(used);
	free(q);
}

/*
 * Tables whose words in use lie in one long run: counts right, every probe
 * ends, but a lookup that starts in the run walks all of it (a hostile file
 * can fill 3/4 of a table of any size so, and make each lookup of a scan
 * read millions of slots).  Refused past IXF_RUN_SLOTS (slots) and
 * IXF_RUN_SETS (TLD and URL host sets); a saved index's longest run is far
 * shorter (104 slots at 10M indicators).  The slots span two pieces, so
 * that a run across their border, read by two threads, is measured whole.
 */
static void test_long_runs(void **state)
{
	(void)state;
	struct match_index *ix = new_index();
	struct crix_error err = {0};
	assert_int_equal(match_index_reserve(ix, 300000, &err), 0); /* 2^19 slots: 2 pieces */
	uint32_t a = source(ix, "runs.txt", NULL, NULL);
	char url[64];
	for (unsigned k = 0; k < 1400; k++) {
		snprintf(url, sizeof url, "http://h%u.example.com/x", k);
		add(ix, IOC_URL, url, a, k + 1);
	}
	match_index_shrink(ix);
	const char *path = tmp_path("runs.idx"), *bad = tmp_path("runs-bad.idx");
	save(ix, path);
	match_index_free(ix);
	size_t n;
	unsigned char *p = slurp(path, &n);
	struct ixf_header h;
	memcpy(&h, p, sizeof h);
	size_t slots = (size_t)(h.sec[IXF_SEC_SLOTS].bytes / 8);
	assert_int_equal(slots, 1u << 19);
	uint64_t old = match_indexfile_par_bytes;
	for (int par = 0; par <= 1; par++) {
		match_indexfile_par_bytes = par ? 0 : old;
		/* across the pieces' border, and around the table's end */
		size_t starts[2] = {slots / 2 - 700, slots - 300};
		for (int s = 0; s < 2; s++) {
			spill_run(bad, p, n, &h, IXF_SEC_SLOTS, IXF_RUN_SLOTS, starts[s]);
			match_index_free(load(bad));
			spill_run(bad, p, n, &h, IXF_SEC_SLOTS, IXF_RUN_SLOTS + 1, starts[s]);
			refused(bad,
			        "bad index file: main slots: a run of more than 1024 slots in use");
		}
		size_t sets = (size_t)(h.sec[IXF_SEC_URLHOSTS].bytes / 8);
		spill_run(bad, p, n, &h, IXF_SEC_URLHOSTS, IXF_RUN_SETS, sets - 100);
		match_index_free(load(bad));
		spill_run(bad, p, n, &h, IXF_SEC_URLHOSTS, IXF_RUN_SETS + 1, sets - 100);
		refused(bad, "bad index file: main urlhosts: a run of more than 256 words in use");
	}
	match_indexfile_par_bytes = old;
	free(p);
}

static void test_not_a_file(void **state)
{
	(void)state;
	struct match_index *ix = NULL;
	struct crix_error err = {0};
	const char *missing = tmp_path("missing.idx");
	assert_int_equal(match_index_load_file(missing, &ix, &err), CRIX_EIO);
	assert_non_null(strstr(err.msg, missing));
	assert_int_equal(match_index_load_file(dir, &ix, &err), CRIX_EIO);
	assert_non_null(strstr(err.msg, dir));
	spill(tmp_path("text.idx"), "1.2.3.4\nevil.example.com\n", 25);
	refused(tmp_path("text.idx"), "bad index file: not an index file");
	/* saving where it cannot names the path and leaves nothing */
	struct match_index *s = rich_index(false);
	const char *nodir = tmp_path("no/such/dir.idx");
	assert_int_equal(match_index_save(s, nodir, &err), CRIX_EIO);
	assert_non_null(strstr(err.msg, nodir));
	match_index_free(s);
}

/*
 * Every bit of a small index file flipped, and each byte set to 0x00 and
 * 0xff: each file is refused, or loads into an index that scans, looks up,
 * sweeps an allow-list, grows and saves without a fault (under ASan this is
 * the real check).
 */
static void test_every_byte(void **state)
{
	(void)state;
	struct match_index *ix = rich_index(false);
	const char *path = tmp_path("small.idx"), *bad = tmp_path("flip.idx");
	save(ix, path);
	match_index_free(ix);
	size_t n;
	unsigned char *p = slurp(path, &n);
	assert_true(n < 8192); /* small: no IPv4 bitmaps */
	spill(bad, p, n);
	int fd = open(bad, O_WRONLY);
	assert_true(fd >= 0);
	size_t loaded = 0, tried = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char vals[10];
		for (int b = 0; b < 8; b++)
			vals[b] = (unsigned char)(p[i] ^ (1u << b));
		vals[8] = 0;
		vals[9] = 0xff;
		for (int k = 0; k < 10; k++) {
			if (vals[k] == p[i])
				continue;
			assert_int_equal(pwrite(fd, &vals[k], 1, (off_t)i), 1);
			tried++;
			struct match_index *got = NULL;
			struct crix_error err = {0};
			if (match_index_load_file(bad, &got, &err) != 0) {
				assert_null(got);
				assert_true(strstr(err.msg, "bad index file") != NULL ||
				            strstr(err.msg, "incompatible crix version") != NULL);
				continue;
			}
			loaded++;
			free(scan_text(got, LOG));
			for (size_t v = 0; v < sizeof VALUES / sizeof VALUES[0]; v++)
				free(lookup_text(got, VALUES[v].type, VALUES[v].v));
			size_t removed;
			allow(got, IOC_CIDR6, "2001:db8::/32");
			allow(got, IOC_DOMAIN, "example.com");
			match_index_sweep_allowed(got, &removed);
			uint32_t s = source(got, "late.txt", NULL, NULL);
			add(got, IOC_DOMAIN, "late.example.net", s, 1);
			add(got, IOC_IPV6, "2001:db8:ff::8", s, 2); /* no 2 MiB bitmaps: fast */
			match_index_shrink(got);
			struct match_stats st;
			match_index_stats(got, &st);
			if (loaded % 64 == 1) /* a save syncs twice: not every time */
				save(got, tmp_path("resaved.idx"));
			match_index_free(got);
		}
		assert_int_equal(pwrite(fd, &p[i], 1, (off_t)i), 1);
	}
	close(fd);
	printf("[ INFO     ] %zu bytes, %zu changes, %zu loaded\n", n, tried, loaded);
	/* most changes are caught; those that are not are in values (bits of
	 * the filter, a line number, text) */
	assert_true(tried > 0);
	assert_true(loaded < tried);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_same_hits_after_load),
	        cmocka_unit_test(test_save_load_save_same_bytes),
	        cmocka_unit_test(test_empty_index),
	        cmocka_unit_test(test_mode_0600),
	        cmocka_unit_test(test_add_after_load),
	        cmocka_unit_test(test_two_threads),
	        cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_bad_fields),
	        cmocka_unit_test(test_long_runs),
	        cmocka_unit_test(test_not_a_file),
	        cmocka_unit_test(test_every_byte),
	};
	return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
