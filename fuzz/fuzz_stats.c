/*
 * fuzz_stats.c - libFuzzer target for the statistics query parser
 * (stats_query_set, src/model/stats.c: the query string of GET
 * /api/v1/stats and the options of crix stats), the computation over a fact
 * table (stats_compute, src/model/facts.c) and the three renderers (CSV,
 * terminal table, SVG, src/model/stats_render.c).
 *
 * Input: lines "group_by\nfrom\nto\ncategory\nregion\nMIN" (missing lines are
 * absent parameters; MIN's first byte picks the minimum cell 0-7).  The table
 * holds a few reports made at start in a temporary store, with labels that
 * need escaping.
 *
 * Checked, with abort() on a violation:
 *   - a parse failure gives a message and names a field;
 *   - staff figures (MIN 0) without articles add up to the total;
 *   - public figures have no total and no shown cell below MIN;
 *   - the SVG starts with the XML declaration, ends with </svg>, and every
 *     '&' in it starts one of the five XML entities;
 *   - CSV and the table are made (or the chart refused with ETOOBIG).
 */
#include "model/stats.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct facts *facts;
static struct catalogue *cat;
static char dir[64];

static void cleanup(void)
{
	static const char *const files[] = {"crix.db", "crix.db-wal", "crix.db-shm"};
	char p[128];
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void setup(void)
{
	static const char *const cats[] = {"investment-fraud", "phishing", "ransomware",
	                                   "no-such-category"};
	static const char *const regions[] = {"London", "Leeds & <Bradford>", "\"Quoted\"", ""};
	struct store *s;
	snprintf(dir, sizeof dir, "/tmp/crix-fuzz-stats-XXXXXX");
	if (mkdtemp(dir) == NULL || store_open(NULL, dir, &s, NULL) != 0 ||
	    catalogue_load("data", &cat, NULL) != 0)
		abort();
	atexit(cleanup);
	struct store_tx *tx;
	if (store_tx_begin(s, &tx, NULL) != 0)
		abort();
	for (int i = 0; i < 40; i++) {
		struct store_report r = {0};
		snprintf(r.ref, sizeof r.ref, "CRX26F%08d", i);
		snprintf(r.kind, sizeof r.kind, "crime");
		snprintf(r.category, sizeof r.category, "%s", cats[i % 4]);
		snprintf(r.status, sizeof r.status, "%s", i % 3 ? "received" : "closed");
		snprintf(r.created, sizeof r.created, "20%02d-%02d-%02dT%02d:00:00.000Z",
		         24 + i % 3, 1 + i % 12, 1 + i % 28, i % 24);
		snprintf(r.region, sizeof r.region, "%s", regions[i % 4]);
		snprintf(r.currency, sizeof r.currency, "%s", i % 5 ? "GBP" : "JPY");
		r.loss_minor = i % 7 ? 100 * i : 0;
		r.vulnerable = i % 6 == 0;
		if (store_report_insert(tx, &r, NULL) != 0)
			abort();
	}
	if (store_tx_commit(tx, NULL) != 0 || facts_open(s, &facts, NULL) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (facts == NULL)
		setup();
	char *in = malloc(size + 1);
	if (in == NULL)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	char *field[6] = {NULL};
	char *p = in;
	for (int i = 0; i < 6 && p != NULL; i++) {
		field[i] = p;
		p = strchr(p, '\n');
		if (p != NULL)
			*p++ = '\0';
	}
	struct stats_query q;
	memset(&q, 0, sizeof q);
	struct crix_error err = {0};
	int rc = stats_query_set(&q, field[0], field[1], field[2], field[3], field[4], &err);
	if (rc != 0) {
		if (err.msg[0] == '\0' || err.field[0] == '\0')
			abort();
		free(in);
		return 0;
	}
	q.min_cell = field[5] != NULL ? (unsigned char)field[5][0] % 8 : 0;
	json_t *out;
	if (stats_compute(facts, cat, &q, &out, &err) != 0) {
		free(in);
		return 0;
	}
	const json_t *rows = json_object_get(out, "rows"), *row;
	json_int_t sum = 0;
	size_t i;
	bool article = (q.n_dims > 0 && q.dims[0] == STATS_ARTICLE) ||
	               (q.n_dims > 1 && q.dims[1] == STATS_ARTICLE);
	json_array_foreach(rows, i, row)
	{
		const json_t *n = json_object_get(row, "reports");
		if (q.min_cell > 0 && json_is_integer(n) && json_integer_value(n) < q.min_cell)
			abort();
		sum += json_integer_value(n);
	}
	const json_t *total = json_object_get(out, "total");
	if (q.min_cell > 0 ? !json_is_null(total) : (!article && json_integer_value(total) != sum))
		abort();
	char *csv = stats_csv(out), *table = stats_table(out), *svg = NULL;
	if (csv == NULL || table == NULL)
		abort();
	rc = stats_svg(out, field[3] != NULL ? field[3] : "title", &svg, &err);
	if (rc == 0) {
		size_t n = strlen(svg);
		if (strncmp(svg, "<?xml", 5) != 0 || n < 7 || strcmp(svg + n - 7, "</svg>\n") != 0)
			abort();
		for (char *a = strchr(svg, '&'); a != NULL; a = strchr(a + 1, '&'))
			if (strncmp(a, "&amp;", 5) && strncmp(a, "&lt;", 4) &&
			    strncmp(a, "&gt;", 4) && strncmp(a, "&quot;", 6) &&
			    strncmp(a, "&apos;", 6))
				abort();
	} else if (rc != CRIX_ETOOBIG) {
		abort();
	}
	free(svg);
	free(csv);
	free(table);
	json_decref(out);
	free(in);
	return 0;
}
