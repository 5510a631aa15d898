/*
 * fuzz_load.c - libFuzzer target for the indicator and allow-list loaders
 * (src/match/load.c).
 *
 * Input: the first byte selects the options, the rest is the file.
 *   bits 0-2   format: 0 plain, 1 hosts, 2 CSV (column 2), 3 CSV (header
 *              "value"), 4 JSON lines, 5 MISP warning list, 6 STIX 2.1
 *              bundle, 7 detected from the content (auto)
 *   bit 3      strict: a bad value ends the load
 *   bit 4      refang: values may be defanged
 *   bit 5      also load the file as an allow-list (into the same index,
 *              after the indicators; only plain and warning lists, which
 *              are what allow-lists are)
 *   bits 6-7   a TLP ("amber") and tags ("fuzz") for the source
 * The file is written to a memfd and read through /proc/self/fd/N, so the
 * loader's own reading (and gunzipping) code runs too.
 *
 * Checked, with abort() on a violation:
 *   - the result is 0 or a negative CRIX_E* code, and a failure leaves a
 *     NUL-terminated message that is not empty;
 *   - without strict, no bad value ends a load: it fails only on a
 *     document-level problem of the JSON formats or a CSV header;
 *   - the counters add up: added + duplicates + allowed + invalid + skipped
 *     never exceed records, the index holds exactly `added` indicators, and
 *     its counts by type sum to that;
 *   - a load by several threads in small pieces (match_load_opts.threads)
 *     gives what one thread gives: result, message, counters, entries;
 *   - the allow-list pass only removes, counts what it removed as allowed,
 *     and (when both loads succeed) leaves nothing: a list allowed removes
 *     every value it lists.
 */
#define _GNU_SOURCE
#include "match/load.h"
#include "match/match_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ioc_ctx *ctx;
static int fd = -1;
static char path[64];

static const enum match_format formats[8] = {
        MATCH_FMT_PLAIN, MATCH_FMT_HOSTS,       MATCH_FMT_CSV,  MATCH_FMT_CSV,
        MATCH_FMT_JSONL, MATCH_FMT_WARNINGLIST, MATCH_FMT_STIX, MATCH_FMT_AUTO,
};

static void fail(const char *what, int rc, const struct crix_error *err)
{
	fprintf(stderr, "fuzz_load: %s (rc %d: %.*s)\n", what, rc, CRIX_ERRMSG_MAX, err->msg);
	abort();
}

/* fatal_ok: the format has document-level errors (JSON documents, a CSV
 * header that is not there, or a format only known after detection). */
static void check_result(int rc, const struct crix_error *err, const struct match_load_stats *st,
                         bool strict, bool fatal_ok, bool allow)
{
	if (rc > 0 || rc < CRIX_ENOTFOUND)
		fail("not a crix_err code", rc, err);
	if (rc != 0) {
		if (memchr(err->msg, '\0', sizeof err->msg) == NULL || err->msg[0] == '\0')
			fail("a failure without a message", rc, err);
		if (!strict && rc == CRIX_EINVAL && !fatal_ok)
			fail("a bad value ended a load that is not strict", rc, err);
	}
	/* an allow-list's "allowed" counts what it removed, not its records */
	size_t allowed = allow ? 0 : st->allowed;
	if (st->added + st->duplicates + allowed + st->invalid + st->skipped > st->records) {
		fprintf(stderr,
		        "fuzz_load: records %zu < added %zu + duplicates %zu + allowed %zu + "
		        "invalid %zu + skipped %zu\n",
		        st->records, st->added, st->duplicates, st->allowed, st->invalid,
		        st->skipped);
		abort();
	}
	if (memchr(st->skip_reason, '\0', sizeof st->skip_reason) == NULL)
		fail("skip_reason not NUL-terminated", rc, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ctx == NULL) {
		struct crix_error err = {0};
		if (ioc_ctx_new(&ctx, &err) != 0) {
			fprintf(stderr, "fuzz_load: ioc_ctx_new: %s\n", err.msg);
			abort();
		}
		fd = memfd_create("fuzz_load", MFD_CLOEXEC);
		if (fd < 0) {
			perror("fuzz_load: memfd_create");
			abort();
		}
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	data++;
	size--;
	if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();

	struct match_load_opts o = {0};
	o.format = formats[sel & 7];
	o.strict = (sel & 8) != 0;
	o.refang = (sel & 16) != 0;
	if ((sel & 7) == 2)
		o.csv_column = 2;
	if ((sel & 7) == 3)
		o.csv_header = "value";
	o.tlp = (sel & 64) ? "amber" : NULL;
	o.tags = (sel & 128) ? "fuzz" : NULL;
	o.diag = NULL;

	struct match_index *ix = NULL;
	struct crix_error err = {0};
	if (match_index_new(&ix, &err) != 0)
		abort();
	struct match_load_stats st = {0};
	bool fatal_ok = o.format == MATCH_FMT_WARNINGLIST || o.format == MATCH_FMT_STIX ||
	                o.format == MATCH_FMT_AUTO || o.csv_header != NULL;
	int rc = match_load_file(ix, ctx, path, &o, &st, &err);
	check_result(rc, &err, &st, o.strict, fatal_ok, false);
	struct match_stats ms;
	match_index_stats(ix, &ms);
	if (ms.indicators != st.added) {
		fprintf(stderr, "fuzz_load: the index holds %zu indicators, the load added %zu\n",
		        ms.indicators, st.added);
		abort();
	}
	size_t sum = 0;
	for (int t = 0; t < IOC_TYPE_COUNT; t++)
		sum += ms.by_type[t];
	if (sum != ms.indicators || ms.by_type[IOC_NONE] != 0)
		abort();

	/* the same with threads, the file cut into pieces of a few bytes */
	struct match_index *px = NULL;
	if (match_index_new(&px, &err) != 0)
		abort();
	struct match_load_opts po = o;
	po.threads = 2 + (unsigned)(size % 3);
	po.chunk_bytes = 1 + size % 61;
	struct match_load_stats pst = {0};
	struct crix_error perr = {0};
	int prc = match_load_file(px, ctx, path, &po, &pst, &perr);
	if (prc != rc || strcmp(perr.msg, err.msg) != 0 || pst.records != st.records ||
	    pst.added != st.added || pst.duplicates != st.duplicates || pst.invalid != st.invalid ||
	    pst.skipped != st.skipped || strcmp(pst.skip_reason, st.skip_reason) != 0 ||
	    px->main.nentries != ix->main.nentries || px->main.arena_len != ix->main.arena_len ||
	    (ix->main.nentries > 0 &&
	     (memcmp(px->main.entries, ix->main.entries,
	             ix->main.nentries * sizeof *ix->main.entries) != 0 ||
	      memcmp(px->main.arena, ix->main.arena, ix->main.arena_len) != 0))) {
		fprintf(stderr,
		        "fuzz_load: %u threads, pieces of %zu: rc %d '%s', one: rc %d '%s'\n",
		        po.threads, po.chunk_bytes, prc, perr.msg, rc, err.msg);
		abort();
	}
	match_index_free(px);

	if ((sel & 32) && (o.format == MATCH_FMT_PLAIN || o.format == MATCH_FMT_WARNINGLIST)) {
		struct match_load_stats ast = {0};
		struct crix_error aerr = {0};
		int arc = match_load_allow_file(ix, ctx, path, &o, &ast, &aerr);
		check_result(arc, &aerr, &ast, o.strict, fatal_ok, true);
		struct match_stats after;
		match_index_stats(ix, &after);
		if (after.indicators > ms.indicators)
			fail("an allow-list added indicators", arc, &aerr);
		if (arc == 0 && after.indicators + ast.allowed != ms.indicators) {
			fprintf(stderr, "fuzz_load: %zu indicators went, %zu counted as allowed\n",
			        ms.indicators - after.indicators, ast.allowed);
			abort();
		}
		/* a list allowed removes every value it listed */
		if (rc == 0 && arc == 0 && after.indicators != 0) {
			fprintf(stderr, "fuzz_load: %zu indicators survive their own allow-list\n",
			        after.indicators);
			abort();
		}
	}
	match_index_free(ix);
	return 0;
}
