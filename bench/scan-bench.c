/*
 * scan-bench.c - the matcher's own speed, without the command around it:
 * loads an indicator list once, reads a log into memory (so that page
 * faults and the disk are not measured), scans it RUNS times on one thread
 * and prints, per run and best of, the CPU time of the scanning thread,
 * MB per CPU second and nanoseconds per line.  CPU time, not wall time,
 * because the machines it runs on are shared: another process taking the
 * core lengthens the wall time, not this thread's CPU time.
 *
 * Usage: scan-bench INDICATORS LOG [RUNS]   (RUNS default 3)
 * INDICATORS is a plain list, or an index saved by `crix scan --save-index`.
 * The hit count is printed too, so that a faster scanner that finds other
 * hits shows at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ioc/ioc.h"
#include "match/load.h"
#include "match/match.h"
#include "match/match_int.h"

static int count_hit(void *arg, const struct match_scan_hit *h)
{
	(void)h;
	(*(size_t *)arg)++;
	return 0;
}

static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: scan-bench INDICATORS LOG [RUNS]\n");
		return 2;
	}
	int runs = argc == 4 ? (int)strtol(argv[3], NULL, 10) : 3;
	if (runs < 1 || runs > 100) {
		fprintf(stderr, "scan-bench: RUNS must be 1..100\n");
		return 2;
	}
	/* CRIX_SCAN_SIMD=portable|sse2|avx2|avx512 measures one classifier */
	const char *simd = getenv("CRIX_SCAN_SIMD");
	if (match_scan_simd(simd) != 0) {
		fprintf(stderr, "scan-bench: CRIX_SCAN_SIMD=%s: not available here\n", simd);
		return 2;
	}
	struct crix_error err;
	struct ioc_ctx *ctx = NULL;
	struct match_index *ix = NULL;
	/* an index saved by `crix scan --save-index` is read, not parsed:
	 * its scans must be as fast as those of the index built from the list */
	char magic[8] = {0};
	FILE *mf = fopen(argv[1], "rb");
	bool saved = mf != NULL && fread(magic, 1, 8, mf) == 8 && memcmp(magic, "CRIXIDX", 8) == 0;
	if (mf != NULL)
		fclose(mf);
	if (ioc_ctx_new(&ctx, &err) != 0 ||
	    (saved ? match_index_load_file(argv[1], &ix, &err) : match_index_new(&ix, &err)) != 0) {
		fprintf(stderr, "scan-bench: %s\n", err.msg);
		return 1;
	}
	struct match_load_opts lo = {.format = MATCH_FMT_PLAIN};
	struct match_load_stats ls = {0};
	if (!saved && match_load_file(ix, ctx, argv[1], &lo, &ls, &err) != 0) {
		fprintf(stderr, "scan-bench: %s\n", err.msg);
		return 1;
	}
	FILE *f = fopen(argv[2], "rb");
	if (f == NULL) {
		perror(argv[2]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = size > 0 ? malloc((size_t)size) : NULL;
	bool read_all = text != NULL && fread(text, 1, (size_t)size, f) == (size_t)size;
	fclose(f);
	if (!read_all) {
		fprintf(stderr, "scan-bench: cannot read %s\n", argv[2]);
		free(text);
		return 1;
	}
	size_t lines = 0;
	for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + size - p))) != NULL; p++)
		lines++;
#ifdef MATCH_COUNTERS
	memset(match_count, 0, sizeof match_count); /* the scans', not the load's */
#endif
	struct match_scan_opts so = {.ioc = ctx};
	double best = 0;
	size_t hits = 0;
	for (int r = 0; r < runs; r++) {
		hits = 0;
		double c0 = cpu_now();
		if (match_scan(ix, text, (size_t)size, &so, count_hit, &hits, &err) != 0) {
			fprintf(stderr, "scan-bench: %s\n", err.msg);
			return 1;
		}
		double c = cpu_now() - c0;
		if (r == 0 || c < best)
			best = c;
		printf("run %d: %.3f CPU s, %.1f MB per CPU s, %.0f ns per line, %zu hits\n", r, c,
		       (double)size / 1e6 / c, c * 1e9 / (double)lines, hits);
	}
	struct match_stats ms;
	match_index_stats(ix, &ms);
	printf("best: %.1f MB per CPU s, %.0f ns per line (%zu indicators, %.1f MB, %zu lines, "
	       "%s)\n",
	       (double)size / 1e6 / best, best * 1e9 / (double)lines, ms.indicators,
	       (double)size / 1e6, lines, match_scan_simd_name());
#ifdef MATCH_COUNTERS
	/* what the runs' lookups did, per line (make CFLAGS=-DMATCH_COUNTERS) */
	for (int k = 0; k < MC_N; k++)
		printf("%-22s %12llu  %.4f per line\n", match_count_name[k], match_count[k],
		       (double)match_count[k] / (double)runs / (double)lines);
#endif
	free(text);
	match_index_free(ix);
	ioc_ctx_free(ctx);
	return 0;
}
