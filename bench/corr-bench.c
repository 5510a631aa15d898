/*
 * corr-bench.c - correlation of reports into cases (src/model/correlate.c) at
 * the scale of issue 6: REPORTS generated reports (default 1,000,000) holding
 * about 5 indicator values each, with realistic reuse: a few thousand
 * campaigns whose sizes fall off like a power law (the biggest reaches tens of
 * thousands of victims), a long tail of one-off values, and some over-common
 * values (a popular payment service, webmail domains).
 *
 * Prints one table: time from empty to all cases, memory per occurrence, the
 * time to link one more report into the full engine (p50/p99/max over the
 * last 10,000 adds, each timed alone), cases found, and the rows a pairwise
 * correlation store (MISP's model: one row per pair of reports sharing a
 * value) would need for the same data, as the peer.
 *
 * Usage: corr-bench [REPORTS]      (links against libcrix.a)
 */
#include "model/correlate.h"
#include "rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAIL 10000 /* adds timed one by one at the end */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static const char *const popular[] = {"paypal.com", "gmail.com", "hotmail.com", "wise.com",
                                      "revolut.com"};

int main(int argc, char **argv)
{
	uint32_t n_reports = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000000;
	if (n_reports < TAIL * 2) {
		fprintf(stderr, "corr-bench: at least %d reports\n", TAIL * 2);
		return 2;
	}
	uint64_t seed = 20261123;
	rng_state = splitmix64(&seed);
	uint32_t n_campaigns = n_reports / 400; /* 2,500 for 1M reports */
	struct corr *c;
	struct crix_error err = {0};
	if (corr_new(NULL, &c, &err) != 0) {
		fprintf(stderr, "corr-bench: %s\n", err.msg);
		return 2;
	}
	double *tail = malloc(TAIL * sizeof *tail);
	char text[8][64];
	struct corr_value vals[8];
	uint64_t occurrences = 0;
	double t0 = now();
	for (uint32_t r = 1; r <= n_reports; r++) {
		int n = 0;
		/* 60% of reports belong to a campaign; campaign k is picked with
		 * probability falling like 1/k (a few huge, a long tail). */
		if (chance(60)) {
			uint32_t u = below(1000000) + 1;
			uint32_t k = (uint32_t)((double)n_campaigns / (1.0 + (double)u / 40.0)) %
			             n_campaigns;
			int per = (int)range(1, 3);
			for (int i = 0; i < per; i++) {
				unsigned kind = below(4), which = below(3);
				switch (kind) {
				case 0:
					snprintf(text[n], sizeof text[n], "shop%u-%u.example", k,
					         which);
					break;
				case 1:
					snprintf(text[n], sizeof text[n], "+4477009%05u%u", k,
					         which);
					break;
				case 2:
					snprintf(text[n], sizeof text[n], "GB%02uWISE%010u", which,
					         k);
					break;
				default:
					snprintf(text[n], sizeof text[n], "pay%u@c%u.example",
					         which, k);
					break;
				}
				vals[n] = (struct corr_value){5 + kind, text[n], strlen(text[n])};
				n++;
			}
		}
		/* one-off values: a URL path, a sender, a phone */
		int own = (int)range(3, 4);
		for (int i = 0; i < own; i++) {
			snprintf(text[n], sizeof text[n], "https://x%u.example/%u", r, i);
			vals[n] = (struct corr_value){6, text[n], strlen(text[n])};
			n++;
		}
		if (chance(8)) {
			const char *p = PICK(popular);
			snprintf(text[n], sizeof text[n], "%s", p);
			vals[n] = (struct corr_value){5, text[n], strlen(text[n])};
			n++;
		}
		occurrences += (uint64_t)n;
		double a = r > n_reports - TAIL ? now() : 0;
		if (corr_add(c, r, vals, (size_t)n, NULL, &err) != 0) {
			fprintf(stderr, "corr-bench: report %u: %s\n", r, err.msg);
			return 1;
		}
		if (r > n_reports - TAIL)
			tail[r - (n_reports - TAIL) - 1] = now() - a;
	}
	double total = now() - t0;
	qsort(tail, TAIL, sizeof *tail, cmp_double);
	struct corr_stats st;
	corr_stats(c, &st);
	uint32_t biggest = 0;
	for (uint32_t r = 1; r <= n_reports; r += 97) {
		uint32_t s = corr_case_size(c, r);
		if (s > biggest)
			biggest = s;
	}
	printf("corr-bench: %u reports, %llu indicator occurrences, %llu distinct values\n",
	       n_reports, (unsigned long long)st.occurrences, (unsigned long long)st.values);
	printf("%-44s %12s\n", "measure", "value");
	printf("%-44s %12s\n", "-------", "-----");
	printf("%-44s %12.2f\n", "seconds from empty to all cases (target 30)", total);
	printf("%-44s %12.0f\n", "reports linked per second", n_reports / total);
	printf("%-44s %12.1f\n", "bytes of memory per occurrence",
	       (double)st.bytes / st.occurrences);
	printf("%-44s %12.1f\n", "MB of memory in all", st.bytes / 1048576.0);
	printf("%-44s %12.2f\n", "us to link one more report, p50", tail[TAIL / 2] * 1e6);
	printf("%-44s %12.2f\n", "us to link one more report, p99 (target 1000)",
	       tail[TAIL * 99 / 100] * 1e6);
	printf("%-44s %12.2f\n", "us to link one more report, max", tail[TAIL - 1] * 1e6);
	printf("%-44s %12llu\n", "cases (one report or more)", (unsigned long long)st.cases);
	printf("%-44s %12u\n", "biggest case seen (sampled), reports", biggest);
	printf("%-44s %12llu\n", "over-common values (stopped linking)",
	       (unsigned long long)st.over_common);
	printf("%-44s %12llu\n", "case rebuilds after a value became common",
	       (unsigned long long)st.rebuilds);
	printf("%-44s %12llu\n", "postings held by crix (one per occurrence)",
	       (unsigned long long)st.occurrences);
	printf("%-44s %12llu\n", "peer: rows a pairwise store (MISP) would hold",
	       (unsigned long long)st.pair_rows);
	printf("%-44s %12.1f\n", "peer rows / crix postings",
	       (double)st.pair_rows / (double)st.occurrences);
	corr_free(c);
	free(tail);
	return 0;
}
