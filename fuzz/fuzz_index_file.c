/*
 * fuzz_index_file.c - libFuzzer target for the index file reader
 * (src/match/indexfile.c: match_index_load_file).
 *
 * Input: the file.  It is written to a memfd and read through
 * /proc/self/fd/N, as `crix scan -x` reads one.  (The seeds in
 * fuzz/corpus/index_file are small indexes saved by `crix scan
 * --save-index`, of domains, URLs, e-mails, hashes and IPv6: an IPv4
 * address brings 2 MiB bitmaps, past the fuzzer's -max_len.)
 *
 * Checked, with abort() on a violation (ASan and UBSan check the rest):
 *   - the result is 0 or a negative CRIX_E* code; a refusal leaves *out
 *     NULL and a message that names the file and says "bad index file" or
 *     "incompatible crix version";
 *   - an index that loads is one crix can save again, and that saved file
 *     loads and saves to the same bytes; so is it after the changes below;
 *   - it scans a text with every kind of indicator, answers lookups,
 *     takes an allow-list (and sweeps it), new values and a new filter, and
 *     its counts stay consistent: without faults, loops or leaks.
 */
#define _GNU_SOURCE
#include "match/match_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ioc_ctx *ctx;
static int fd = -1;
static char path[64];
static char dir[64];

static const char TEXT[] =
        "1.2.3.4 www.evil.example.com http://phish.example.net/login.php?a=1 "
        "bob@evil.example.org d41d8cd98f00b204e9800998ecf8427e 2001:db8::1 2001:db8:aa::5\n"
        "10.20.3.4 ::ffff:1.2.3.4 good.example.com x.y.example.org/path 192.0.2.1\n";

static void fail(const char *what, int rc, const struct crix_error *err)
{
	fprintf(stderr, "fuzz_index_file: %s (rc %d: %.*s)\n", what, rc, CRIX_ERRMSG_MAX,
	        err != NULL ? err->msg : "");
	abort();
}

static int count_hit(void *arg, const struct match_scan_hit *h)
{
	/* NUL-terminated at its length (the reader checks that; a damaged
	 * file may have a NUL inside, which callers that use the length do
	 * not mind) */
	if (h->hit->indicator == NULL || h->hit->indicator[h->hit->indicator_len] != '\0')
		fail("a hit's indicator is not NUL-terminated at its length", 0, NULL);
	(*(size_t *)arg)++;
	return 0;
}

static int count_lookup(void *arg, const struct match_hit *h)
{
	(void)h;
	(*(size_t *)arg)++;
	return 0;
}

/* The whole file at p.  OUT: *n. */
static unsigned char *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	if (f == NULL)
		fail("cannot read a saved file", 0, NULL);
	struct stat sb;
	if (fstat(fileno(f), &sb) != 0)
		abort();
	*n = (size_t)sb.st_size;
	unsigned char *b = malloc(*n + 1);
	if (b == NULL || fread(b, 1, *n, f) != *n)
		abort();
	fclose(f);
	return b;
}

/* An index that loaded saves, loads again and saves the same bytes. */
static void check_resave(struct match_index *ix)
{
	char a[96], b[96];
	snprintf(a, sizeof a, "%s/a.idx", dir);
	snprintf(b, sizeof b, "%s/b.idx", dir);
	struct crix_error err = {0};
	int rc = match_index_save(ix, a, &err);
	if (rc != 0)
		fail("a loaded index does not save", rc, &err);
	struct match_index *again = NULL;
	rc = match_index_load_file(a, &again, &err);
	if (rc != 0)
		fail("a loaded index, saved, is refused", rc, &err);
	rc = match_index_save(again, b, &err);
	if (rc != 0)
		fail("a reloaded index does not save", rc, &err);
	match_index_free(again);
	size_t na, nb;
	unsigned char *pa = slurp(a, &na), *pb = slurp(b, &nb);
	if (na != nb || memcmp(pa, pb, na) != 0)
		fail("save, load, save gives other bytes", 0, NULL);
	free(pa);
	free(pb);
}

/* Uses a loaded index as crix scan would, and changes it. */
static void exercise(struct match_index *ix)
{
	size_t hits = 0;
	struct crix_error err = {0};
	struct match_scan_opts so = {.ioc = ctx};
	int rc = match_scan(ix, TEXT, sizeof TEXT - 1, &so, count_hit, &hits, &err);
	if (rc != 0)
		fail("a scan failed", rc, &err);
	static const struct {
		enum ioc_type t;
		const char *v;
	} looks[] = {{IOC_IPV4, "1.2.3.4"},
	             {IOC_IPV6, "2001:db8::1"},
	             {IOC_DOMAIN, "www.evil.example.com"},
	             {IOC_URL, "http://phish.example.net/login.php?a=1"},
	             {IOC_EMAIL, "bob@evil.example.org"},
	             {IOC_CIDR6, "2001:db8:aa::/48"}};
	for (size_t k = 0; k < sizeof looks / sizeof looks[0]; k++) {
		struct ioc_value v;
		if (ioc_parse(ctx, looks[k].t, looks[k].v, strlen(looks[k].v), NULL, &v, &err) != 0)
			fail("a fixed value does not parse", 0, &err);
		size_t n = 0;
		match_lookup(ix, &v, count_lookup, &n);
		if (k == 5) {
			size_t removed;
			if (match_index_allow(ix, &v, &removed, &err) != 0)
				fail("allow failed", 0, &err);
		}
	}
	size_t swept;
	match_index_sweep_allowed(ix, &swept);
	struct match_source src = {.name = "late.txt"};
	uint32_t id;
	if (match_index_add_source(ix, &src, &id, &err) != 0)
		fail("add_source failed", 0, &err);
	static const char *const more[] = {"late.example.net", "www.evil.example.com",
	                                   "phish.example.net"};
	for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
		struct ioc_value v;
		bool allowed;
		if (ioc_parse(ctx, IOC_DOMAIN, more[k], strlen(more[k]), NULL, &v, &err) != 0 ||
		    match_index_add(ix, &v, id, k + 1, &allowed, &err) != 0)
			fail("an add failed", 0, &err);
	}
	match_index_shrink(ix);
	struct match_stats st;
	match_index_stats(ix, &st);
	size_t sum = 0;
	for (int t = 0; t < IOC_TYPE_COUNT; t++)
		sum += st.by_type[t];
	if (sum != st.indicators)
		fail("counts by type do not add up", 0, NULL);
	hits = 0;
	if (match_scan(ix, TEXT, sizeof TEXT - 1, &so, count_hit, &hits, &err) != 0)
		fail("a scan after additions failed", 0, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ctx == NULL) {
		struct crix_error err = {0};
		if (ioc_ctx_new(&ctx, &err) != 0)
			fail("ioc_ctx_new", 0, &err);
		fd = memfd_create("fuzz_index_file", MFD_CLOEXEC);
		if (fd < 0) {
			perror("fuzz_index_file: memfd_create");
			abort();
		}
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		struct stat sb;
		snprintf(dir, sizeof dir, "%s/fuzz-ixf-XXXXXX",
		         stat("/dev/shm", &sb) == 0 ? "/dev/shm" : "/tmp");
		if (mkdtemp(dir) == NULL) {
			perror("fuzz_index_file: mkdtemp");
			abort();
		}
	}
	if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	struct match_index *ix = (struct match_index *)1;
	struct crix_error err = {0};
	int rc = match_index_load_file(path, &ix, &err);
	if (rc > 0 || rc < CRIX_EACCES)
		fail("not a crix_err code", rc, &err);
	if (rc != 0) {
		if (ix != NULL)
			fail("a refusal left an index", rc, &err);
		if (memchr(err.msg, '\0', sizeof err.msg) == NULL ||
		    strstr(err.msg, path) == NULL ||
		    (strstr(err.msg, "bad index file") == NULL &&
		     strstr(err.msg, "incompatible crix version") == NULL))
			fail("a refusal without a message naming the file and the fault", rc, &err);
		return 0;
	}
	if (ix == NULL)
		fail("a load without an index", rc, &err);
	check_resave(ix);
	exercise(ix);
	/* and, used and changed, is still one crix reads back */
	check_resave(ix);
	match_index_free(ix);
	return 0;
}
