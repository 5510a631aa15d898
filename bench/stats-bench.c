/*
 * stats-bench.c - statistics over REPORTS stored reports (default 1,000,000):
 * fills a fresh SQLite store in a temporary directory (in transactions of
 * 10,000 reports: the fill is not what is measured), then times
 * GET /api/v1/stats's computation grouped by category and month, by region,
 * and by legal article, best of 3.  The peer is SQLite's own GROUP BY of the
 * same counts and sums (no medians) on the same file, in the same run.
 *
 * Usage: stats-bench [REPORTS]      (links against libcrix.a)
 */
#include "model/stats.h"
#include "rng.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const categories[] = {"investment-fraud",      "romance-fraud", "phishing",
                                         "online-shopping-fraud", "ransomware",    "ceo-fraud",
                                         "email-account-hacking", "sextortion",    "malware"};
static const char *const regions[] = {"London",     "North West", "Scotland", "Wales",
                                      "South East", "Yorkshire",  "Midlands", "Wessex"};

static double time_stats(struct store *s, const struct catalogue *cat, const char *d0,
                         const char *d1, size_t *rows)
{
	double best = 1e9;
	for (int run = 0; run < 3; run++) {
		struct stats_query q;
		memset(&q, 0, sizeof q);
		stats_dim_parse(d0, &q.dims[q.n_dims++], NULL);
		if (d1 != NULL)
			stats_dim_parse(d1, &q.dims[q.n_dims++], NULL);
		json_t *out;
		double t = now();
		if (stats_compute(s, cat, &q, &out, NULL) != 0) {
			fprintf(stderr, "stats-bench: stats_compute failed\n");
			exit(1);
		}
		t = now() - t;
		*rows = json_array_size(json_object_get(out, "rows"));
		json_decref(out);
		if (t < best)
			best = t;
	}
	return best;
}

static double time_sql(const char *path, const char *sql)
{
	sqlite3 *db;
	double best = 1e9;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	for (int run = 0; run < 3; run++) {
		sqlite3_stmt *q;
		double t = now();
		if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
			break;
		while (sqlite3_step(q) == SQLITE_ROW)
			;
		sqlite3_finalize(q);
		t = now() - t;
		if (t < best)
			best = t;
	}
	sqlite3_close(db);
	return best;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
	char dir[] = "/tmp/crix-stats-bench-XXXXXX", path[64];
	if (n < 1 || mkdtemp(dir) == NULL)
		return 2;
	snprintf(path, sizeof path, "%s/crix.db", dir);
	struct store *s;
	struct catalogue *cat;
	struct crix_error err = {0};
	if (store_open(NULL, dir, &s, &err) != 0 || catalogue_load("data", &cat, &err) != 0) {
		fprintf(stderr, "stats-bench: %s\n", err.msg);
		return 2;
	}
	uint64_t seed = 42;
	rng_state = splitmix64(&seed);
	double t0 = now();
	for (long i = 0; i < n;) {
		struct store_tx *tx;
		if (store_tx_begin(s, &tx, &err) != 0)
			return 1;
		for (long k = 0; k < 10000 && i < n; k++, i++) {
			struct store_report r = {0};
			snprintf(r.ref, sizeof r.ref, "CRX26B%08d", (int)(i % 100000000));
			snprintf(r.kind, sizeof r.kind, "crime");
			snprintf(r.category, sizeof r.category, "%s", PICK(categories));
			snprintf(r.status, sizeof r.status, "received");
			snprintf(r.created, sizeof r.created, "2026-%02u-%02uT12:00:00.000Z",
			         range(1, 12), range(1, 28));
			snprintf(r.region, sizeof r.region, "%s", PICK(regions));
			snprintf(r.channel, sizeof r.channel, "%s", chance(70) ? "web" : "api");
			snprintf(r.victim_type, sizeof r.victim_type, "person");
			if (chance(60)) {
				r.loss_minor = (int64_t)range(100, 5000000);
				snprintf(r.currency, sizeof r.currency, "GBP");
			}
			r.vulnerable = chance(5);
			if (store_report_insert(tx, &r, &err) != 0) {
				fprintf(stderr, "stats-bench: %s\n", err.msg);
				return 1;
			}
		}
		if (store_tx_commit(tx, &err) != 0)
			return 1;
	}
	double fill = now() - t0;
	size_t rows;
	printf("stats-bench: %ld reports in a SQLite store (filled in %.1f s); best of 3\n", n,
	       fill);
	printf("%-40s %10s %8s\n", "query", "ms", "rows");
	printf("%-40s %10s %8s\n", "-----", "--", "----");
	double a = time_stats(s, cat, "category", "month", &rows);
	printf("%-40s %10.1f %8zu\n", "crix: category x month (target 200)", a * 1e3, rows);
	double b = time_stats(s, cat, "region", NULL, &rows);
	printf("%-40s %10.1f %8zu\n", "crix: region", b * 1e3, rows);
	double c = time_stats(s, cat, "article", NULL, &rows);
	printf("%-40s %10.1f %8zu\n", "crix: legal article", c * 1e3, rows);
	double p = time_sql(path, "SELECT category, substr(created, 1, 7), count(*), "
	                          "sum(loss_minor) FROM reports GROUP BY 1, 2");
	printf("%-40s %10.1f %8s\n", "peer: SQLite GROUP BY (no medians)", p * 1e3, "-");
	printf("%-40s %10.2f\n", "crix / peer (category x month)", a / p);
	store_close(s);
	catalogue_free(cat);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return 0;
}
