/*
 * stats-bench.c - statistics over REPORTS stored reports (default 1,000,000):
 * fills a fresh SQLite store in a temporary directory (in transactions of
 * 10,000 reports: the fill is not what is measured), builds the in-memory
 * fact table from it once (as crix serve does at start; timed and printed),
 * then times stats_compute -- the function behind GET /api/v1/stats and
 * crix stats -- grouped by category and month, by region, and by legal
 * article, best of 3.  The peer is SQLite's own GROUP BY of the same counts
 * and sums (no medians; articles through a join with a category -> article
 * table) on the same file, in the same run.
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

static double time_stats(struct facts *s, const struct catalogue *cat, const char *d0,
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

/* The legal articles of the benchmark's categories, for the peer's join. */
static int article_table(sqlite3 *db, const struct catalogue *cat)
{
	if (sqlite3_exec(db, "CREATE TEMP TABLE art (category TEXT, article TEXT)", NULL, NULL,
	                 NULL) != SQLITE_OK)
		return -1;
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
		const struct offence *o = catalogue_offence(cat, categories[i]);
		char sql[160];
		for (size_t k = 0; o != NULL && k < o->n_directive + o->n_budapest; k++) {
			snprintf(sql, sizeof sql, "INSERT INTO art VALUES ('%s', '%s:%d')",
			         categories[i], k < o->n_directive ? "directive" : "budapest",
			         k < o->n_directive ? o->directive[k]
			                            : o->budapest[k - o->n_directive]);
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
				return -1;
		}
	}
	return 0;
}

static double time_sql(const char *path, const struct catalogue *cat, const char *sql)
{
	sqlite3 *db;
	double best = 1e9;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    article_table(db, cat) != 0)
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
	struct facts *facts;
	t0 = now();
	if (facts_open(s, &facts, &err) != 0) {
		fprintf(stderr, "stats-bench: %s\n", err.msg);
		return 1;
	}
	double load = now() - t0;
	printf("stats-bench: %ld reports in a SQLite store (filled in %.1f s); fact table built "
	       "from it in %.0f ms (once, at server start); best of 3\n\n",
	       n, fill, load * 1e3);
	static const struct {
		const char *d0, *d1, *name, *sql;
	} q[] = {
	        {"category", "month", "category x month",
	         "SELECT category, substr(created, 1, 7), count(*), sum(vulnerable), "
	         "sum(loss_minor) FROM reports GROUP BY 1, 2"},
	        {"region", NULL, "region",
	         "SELECT region, count(*), sum(vulnerable), sum(loss_minor) FROM reports "
	         "GROUP BY 1"},
	        {"article", NULL, "legal article",
	         "SELECT a.article, count(*), sum(r.vulnerable), sum(r.loss_minor) FROM reports r "
	         "JOIN art a ON a.category = r.category GROUP BY 1"},
	};
	printf("%-9s %-18s %6s %9s %9s %7s\n", "reports", "group by", "groups", "crix ms",
	       "peer ms", "ratio");
	printf("%-9s %-18s %6s %9s %9s %7s\n", "-------", "--------", "------", "-------",
	       "-------", "-----");
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		size_t rows;
		double c = time_stats(facts, cat, q[i].d0, q[i].d1, &rows);
		double p = time_sql(path, cat, q[i].sql);
		printf("%-9ld %-18s %6zu %9.1f %9.1f %7.3f\n", n, q[i].name, rows, c * 1e3, p * 1e3,
		       c / p);
	}
	printf("\ncrix: counts, vulnerable victims, sums and exact medians per currency "
	       "(target: category x month <= 200 ms)\npeer: SQLite GROUP BY on the same file "
	       "(counts and sums, no medians)\n");
	facts_free(facts);
	store_close(s);
	catalogue_free(cat);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return 0;
}
