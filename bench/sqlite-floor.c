/*
 * sqlite-floor.c - the durable-commit peer of bench/intake-run: how many
 * reports a second SQLite itself can store when every report is its own
 * durable transaction, with nothing else in the way (no HTTP, no parsing).
 *
 * Usage: sqlite-floor [-b N] DB BODIES SECONDS
 *
 * Creates DB (which must not exist) with journal_mode=WAL and
 * synchronous=FULL, the settings of crix's store, and one table
 * reports(id INTEGER PRIMARY KEY, body TEXT).  Then, for SECONDS seconds, a
 * tight loop on one connection: BEGIN IMMEDIATE; N x INSERT of the next body
 * of BODIES (JSON, one a line, cycled: bench/gen-reports); COMMIT.  With N = 1
 * (the default) that is one fsync of the WAL per report, as crix's store does
 * without group commit; larger N shows what batching commits can gain.
 *
 * Prints one line (the format of bench/intake.lua):
 *   intake: requests=ROWS ok=ROWS bad=0 first_bad=0 seconds=S p50_us=N
 *           p90_us=N p99_us=N max_us=N connect=0 read=0 write=0 timeout=0
 * where the latencies are those of whole transactions (BEGIN to the end of
 * COMMIT).  Exit status 1 on any SQLite error.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "sqlite-floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "failed");
	exit(1);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of n sorted values. */
static uint32_t pct(const uint32_t *v, size_t n, double p)
{
	if (n == 0)
		return 0;
	size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	return v[k > n ? n - 1 : k - 1];
}

static void step_done(sqlite3 *db, sqlite3_stmt *q, const char *what)
{
	if (sqlite3_step(q) != SQLITE_DONE)
		die(db, what);
	sqlite3_reset(q);
}

int main(int argc, char **argv)
{
	long batch = 1;
	int a = 1;
	if (argc == 6 && strcmp(argv[1], "-b") == 0) {
		batch = strtol(argv[2], NULL, 10);
		a = 3;
	}
	if (argc - a != 3 || batch < 1 || batch > 100000) {
		fprintf(stderr, "usage: sqlite-floor [-b N] DB BODIES SECONDS\n");
		return 2;
	}
	const char *path = argv[a], *bodies_path = argv[a + 1];
	double secs = strtod(argv[a + 2], NULL);
	if (secs <= 0) {
		fprintf(stderr, "sqlite-floor: SECONDS: a positive number\n");
		return 2;
	}

	/* The bodies. */
	FILE *f = fopen(bodies_path, "r");
	if (f == NULL) {
		perror(bodies_path);
		return 1;
	}
	char **bodies = NULL;
	size_t n_bodies = 0, cap = 0, len = 0;
	char *line = NULL;
	ssize_t got;
	while ((got = getline(&line, &len, f)) > 0) {
		while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
			line[--got] = '\0';
		if (got == 0)
			continue;
		if (n_bodies == cap) {
			cap = cap ? cap * 2 : 64;
			bodies = realloc(bodies, cap * sizeof *bodies);
			if (bodies == NULL)
				return 1;
		}
		if ((bodies[n_bodies++] = strdup(line)) == NULL)
			return 1;
	}
	free(line);
	fclose(f);
	if (n_bodies == 0) {
		fprintf(stderr, "sqlite-floor: %s has no bodies\n", bodies_path);
		return 1;
	}

	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		die(db, path);
	if (sqlite3_exec(db,
	                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                 " CREATE TABLE reports (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
	                 NULL, NULL, NULL) != SQLITE_OK)
		die(db, "schema");
	sqlite3_stmt *begin, *ins, *commit;
	if (sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO reports (body) VALUES (?)", -1, &ins, NULL) !=
	            SQLITE_OK ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) != SQLITE_OK)
		die(db, "prepare");

	size_t lat_cap = 1 << 16, n_tx = 0, next = 0;
	uint32_t *lat = malloc(lat_cap * sizeof *lat);
	if (lat == NULL)
		return 1;
	long rows = 0;
	double t0 = now(), end = t0 + secs, t = t0;
	while (t < end) {
		double s = t;
		step_done(db, begin, "begin");
		for (long i = 0; i < batch; i++) {
			sqlite3_bind_text(ins, 1, bodies[next], -1, SQLITE_STATIC);
			next = (next + 1) % n_bodies;
			step_done(db, ins, "insert");
		}
		step_done(db, commit, "commit");
		t = now();
		rows += batch;
		if (n_tx == lat_cap) {
			lat_cap *= 2;
			if ((lat = realloc(lat, lat_cap * sizeof *lat)) == NULL)
				return 1;
		}
		lat[n_tx++] = (uint32_t)((t - s) * 1e6);
	}
	double elapsed = t - t0;

	/* Every row is there. */
	sqlite3_stmt *cnt;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM reports", -1, &cnt, NULL) != SQLITE_OK ||
	    sqlite3_step(cnt) != SQLITE_ROW)
		die(db, "count");
	long stored = (long)sqlite3_column_int64(cnt, 0);
	sqlite3_finalize(cnt);
	if (stored != rows) {
		fprintf(stderr, "sqlite-floor: %ld rows stored, %ld committed\n", stored, rows);
		return 1;
	}
	sqlite3_finalize(begin);
	sqlite3_finalize(ins);
	sqlite3_finalize(commit);
	if (sqlite3_close(db) != SQLITE_OK)
		die(db, "close");

	qsort(lat, n_tx, sizeof *lat, cmp_u32);
	printf("intake: requests=%ld ok=%ld bad=0 first_bad=0 seconds=%.3f p50_us=%u p90_us=%u"
	       " p99_us=%u max_us=%u connect=0 read=0 write=0 timeout=0\n",
	       rows, rows, elapsed, pct(lat, n_tx, 50), pct(lat, n_tx, 90), pct(lat, n_tx, 99),
	       n_tx ? lat[n_tx - 1] : 0);
	free(lat);
	for (size_t i = 0; i < n_bodies; i++)
		free(bodies[i]);
	free(bodies);
	return 0;
}
