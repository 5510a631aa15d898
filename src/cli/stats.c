/*
 * stats.c - `crix stats`: the statistics of GET /api/v1/stats from a data
 * directory's store, in a terminal (an aligned table), as CSV, JSON or an
 * SVG chart.  It runs on the server by its operator, so it shows staff
 * figures (nothing suppressed) unless --public asks for what the public sees.
 * The figures come from the same fact table and stats_compute as the API.
 */
#include "cli/cli.h"

#include "model/casework.h"
#include "model/stats.h"
#include "util/secret.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_stats_help(FILE *f)
{
	fprintf(f,
	        "usage: crix stats [--data DIR] [--db URL] [--catalogue DIR] [--by DIM[,DIM]]\n"
	        "                  [--from DATE] [--to DATE] [--category ID] [--region NAME]\n"
	        "                  [--format table|csv|json|svg] [--public] [--min-cell N]\n"
	        "                  [--casework]\n\n"
	        "Prints statistics on the reports in a crix store: reports, vulnerable victims,\n"
	        "losses (sum and exact median per currency), grouped by up to two dimensions.\n"
	        "The figures are the ones GET /api/v1/stats gives.  Without --public they are\n"
	        "staff figures: no cell is suppressed, so do not publish them as they are.\n\n"
	        "Options:\n"
	        "  --data DIR        data directory (default ./crix-data)\n"
	        "  --db URL          sqlite:PATH (default sqlite:DIR/crix.db)\n"
	        "  --catalogue DIR   offence catalogue, for articles and RSIT classes (default:\n"
	        "                    as crix serve finds it)\n"
	        "  --by DIM[,DIM]    group by: category, article, rsit, day, week, month, year,\n"
	        "                    region, country, victim_type, channel, payment_method,\n"
	        "                    kind, status, outcome (default: no grouping, one row)\n"
	        "  --from DATE       reports created at or after (ISO 8601 date or time)\n"
	        "  --to DATE         reports created before\n"
	        "  --category ID     only this offence category\n"
	        "  --region NAME     only this victim region\n"
	        "  --format F        table (default; aligned, amounts in major units), csv,\n"
	        "                    json (as the API), svg (a chart: bars, or lines over time)\n"
	        "  --public          suppress cells of fewer than 5 reports and the total, as\n"
	        "                    the public API does\n"
	        "  --min-cell N      as --public with cells below N suppressed (1-10000)\n"
	        "  --casework        count case work instead of reports: cases, reviews,\n"
	        "                    disseminations, outcomes, persons prosecuted and\n"
	        "                    convicted (Directive 2013/40/EU Art. 14), by up to two of\n"
	        "                    article, category, month, year, outcome; table or json;\n"
	        "                    --from/--to bound the records' dates; cells are cases\n"
	        "  -h, --help        this help\n\n"
	        "Exit status: 0 done, 1 failed, 2 usage error.  See crix-stats(1).\n");
}

/* The file a store URL or data directory names, to refuse a missing one
 * rather than create an empty database. */
static int store_exists(const char *data, const char *db)
{
	char path[PATH_MAX];
	if (db != NULL && strncmp(db, "sqlite:", 7) == 0)
		snprintf(path, sizeof path, "%s", db + 7);
	else if (db == NULL)
		snprintf(path, sizeof path, "%s/crix.db", data);
	else
		return 0; /* another backend: store_open judges */
	if (access(path, F_OK) != 0) {
		fprintf(stderr, "crix stats: %s: no crix database here (wrong --data or --db?)\n",
		        path);
		return -1;
	}
	return 0;
}

/* One row of case-work figures as a line of the table. */
static void casework_line(const json_t *row, const json_t *by)
{
	static const char *const cols[] = {"cases",    "reviews",    "disseminations",
	                                   "outcomes", "prosecuted", "convicted"};
	size_t i;
	json_t *d;
	json_array_foreach(by, i, d)
	        printf("%-28.28s ", json_string_value(json_object_get(row, json_string_value(d))));
	for (i = 0; i < sizeof cols / sizeof *cols; i++) {
		const json_t *v = json_object_get(row, cols[i]);
		if (json_is_integer(v))
			printf("%14lld", (long long)json_integer_value(v));
		else
			printf("%14s", "-");
	}
	putchar('\n');
}

/* crix stats --casework: the figures of GET /api/v1/stats?measure=casework. */
static int casework_cli(const char *data, const char *db, const char *cat_dir, const char *by,
                        const char *from, const char *to, const char *category, const char *region,
                        const char *format, unsigned min_cell)
{
	if (category != NULL || region != NULL) {
		fprintf(stderr, "crix stats: --casework: no --category or --region (use --by "
		                "category)\n");
		return 2;
	}
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "crix stats: --casework: --format table or json\n");
		return 2;
	}
	(void)cat_dir; /* the records carry their articles: no catalogue needed */
	if (store_exists(data, db) != 0)
		return 1;
	struct crix_error err = {0};
	struct store *s = NULL;
	json_t *out = NULL;
	int rc = 1;
	if (secret_init(&err) != 0 || store_open(db, data, &s, &err) != 0 ||
	    casework_stats(s, by, from, to, min_cell, &out, &err) != 0) {
		/* name the option, not the API's parameter */
		fprintf(stderr, "crix stats: %s%s\n", err.field[0] ? "--" : "",
		        strncmp(err.msg, "group_by", 8) == 0 ? err.msg + 6 : err.msg);
		rc = err.code == CRIX_EINVAL ? 2 : 1;
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		char *text = json_dumps(out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		if (text != NULL)
			printf("%s\n", text);
		free(text);
	} else {
		const json_t *gb = json_object_get(out, "group_by");
		size_t i;
		json_t *d;
		json_array_foreach(gb, i, d) printf("%-28.28s ", json_string_value(d));
		printf("%14s%14s%14s%14s%14s%14s\n", "cases", "reviews", "disseminations",
		       "outcomes", "prosecuted", "convicted");
		json_array_foreach(json_object_get(out, "rows"), i, d) casework_line(d, gb);
		if (json_is_object(json_object_get(out, "total"))) {
			json_t *none = json_array();
			printf("total ");
			casework_line(json_object_get(out, "total"), none);
			json_decref(none);
		}
	}
	rc = fflush(stdout) == 0 ? 0 : 1;
done:
	json_decref(out);
	store_close(s);
	return rc;
}

int cli_stats(int argc, char **argv)
{
	const char *data = "crix-data", *db = NULL, *cat_dir = NULL, *by = NULL, *from = NULL,
	           *to = NULL, *category = NULL, *region = NULL, *format = "table";
	unsigned min_cell = 0;
	bool casework = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--casework") == 0) {
			casework = true;
			continue;
		}
		if (strcmp(a, "--public") == 0) {
			min_cell = min_cell ? min_cell : STATS_MIN_CELL;
			continue;
		}
		const char **slot = strcmp(a, "--data") == 0        ? &data
		                    : strcmp(a, "--db") == 0        ? &db
		                    : strcmp(a, "--catalogue") == 0 ? &cat_dir
		                    : strcmp(a, "--by") == 0        ? &by
		                    : strcmp(a, "--from") == 0      ? &from
		                    : strcmp(a, "--to") == 0        ? &to
		                    : strcmp(a, "--category") == 0  ? &category
		                    : strcmp(a, "--region") == 0    ? &region
		                    : strcmp(a, "--format") == 0    ? &format
		                                                    : NULL;
		bool is_min = strcmp(a, "--min-cell") == 0;
		if (slot == NULL && !is_min) {
			fprintf(stderr, "crix stats: unknown option '%s' (see --help)\n", a);
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "crix stats: %s needs a value\n", a);
			return 2;
		}
		const char *v = argv[++i];
		if (is_min) {
			char *end;
			long n = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || n < 1 || n > 10000) {
				fprintf(stderr, "crix stats: --min-cell: '%s' is not 1-10000\n", v);
				return 2;
			}
			min_cell = (unsigned)n;
		} else {
			*slot = v;
		}
	}
	if (strcmp(format, "table") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0 && strcmp(format, "svg") != 0) {
		fprintf(stderr, "crix stats: --format: '%s' is not table, csv, json or svg\n",
		        format);
		return 2;
	}
	if (casework)
		return casework_cli(data, db, cat_dir, by, from, to, category, region, format,
		                    min_cell);
	struct stats_query q;
	memset(&q, 0, sizeof q);
	struct crix_error err = {0};
	if (stats_query_set(&q, by, from, to, category, region, &err) != 0) {
		/* name the option, not the API's parameter */
		fprintf(stderr, "crix stats: --%s\n",
		        strncmp(err.msg, "group_by", 8) == 0 ? err.msg + 6 : err.msg);
		return 2;
	}
	q.min_cell = min_cell;
	char catp[PATH_MAX];
	if (cli_find_catalogue(cat_dir, catp, sizeof catp) != 0) {
		fprintf(stderr, "crix stats: no offence catalogue found; give --catalogue DIR (the "
		                "data/ directory of the source tree)\n");
		return 1;
	}
	if (store_exists(data, db) != 0)
		return 1;
	struct store *s = NULL;
	struct catalogue *cat = NULL;
	struct facts *t = NULL;
	json_t *out = NULL;
	char *text = NULL;
	int rc = 1;
	if (secret_init(&err) != 0 || catalogue_load(catp, &cat, &err) != 0 ||
	    store_open(db, data, &s, &err) != 0 || facts_open(s, &t, &err) != 0 ||
	    stats_compute(t, cat, &q, &out, &err) != 0) {
		fprintf(stderr, "crix stats: %s\n", err.msg);
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		text = json_dumps(out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	} else if (strcmp(format, "csv") == 0) {
		text = stats_csv(out);
	} else if (strcmp(format, "svg") == 0) {
		char title[160];
		snprintf(title, sizeof title, "Reports%s%s%s%s", q.n_dims ? " by " : "",
		         q.n_dims ? stats_dim_name(q.dims[0]) : "", q.n_dims > 1 ? " and " : "",
		         q.n_dims > 1 ? stats_dim_name(q.dims[1]) : "");
		if (stats_svg(out, title, &text, &err) != 0) {
			fprintf(stderr, "crix stats: %s\n", err.msg);
			goto done;
		}
	} else {
		text = stats_table(out);
	}
	if (text == NULL) {
		fprintf(stderr, "crix stats: out of memory\n");
		goto done;
	}
	fputs(text, stdout);
	if (strcmp(format, "json") == 0)
		fputc('\n', stdout);
	if (min_cell == 0)
		fprintf(stderr, "crix stats: staff figures: small cells are NOT suppressed; use "
		                "--public for figures fit to publish\n");
	rc = fflush(stdout) == 0 ? 0 : 1;
done:
	free(text);
	json_decref(out);
	facts_free(t);
	store_close(s);
	catalogue_free(cat);
	return rc;
}
