/*
 * stats.c - GET /api/v1/stats: statistics on reports, as JSON or CSV.  Staff
 * of the reporting side see every cell; everyone else (the public, partners)
 * gets small cells suppressed.  The figures are computed by model/stats.c.
 */
#include "api/api.h"

#include "model/stats.h"

#include <stdlib.h>
#include <string.h>

void api_stats(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	struct stats_query q;
	memset(&q, 0, sizeof q);
	struct crix_error err = {0};
	const char *g = http_query(rq, "group_by");
	if (g != NULL && *g != '\0') {
		char buf[128];
		if (strlen(g) >= sizeof buf) {
			http_error(rs, 400, "group_by: too long", "group_by");
			return;
		}
		memcpy(buf, g, strlen(g) + 1);
		char *p = buf;
		while (p != NULL) {
			char *comma = strchr(p, ',');
			if (comma != NULL)
				*comma = '\0';
			if (q.n_dims == 2) {
				http_error(rs, 400, "group_by: at most two dimensions", "group_by");
				return;
			}
			if (stats_dim_parse(p, &q.dims[q.n_dims], &err) != 0) {
				http_error_from(rs, &err);
				return;
			}
			q.n_dims++;
			p = comma != NULL ? comma + 1 : NULL;
		}
	}
	const char *from = http_query(rq, "from"), *to = http_query(rq, "to");
	const char *cat = http_query(rq, "category"), *region = http_query(rq, "region");
	if ((from != NULL && clock_parse_iso(from, "from", q.filter.from, NULL, &err) != 0) ||
	    (to != NULL && clock_parse_iso(to, "to", q.filter.to, NULL, &err) != 0)) {
		http_error(rs, 400, err.msg,
		           from != NULL && q.filter.from[0] == '\0' ? "from" : "to");
		return;
	}
	if ((cat != NULL && strlen(cat) >= sizeof q.filter.category) ||
	    (region != NULL && strlen(region) >= sizeof q.filter.region)) {
		http_error(rs, 400, "category, region: too long",
		           cat != NULL ? "category" : "region");
		return;
	}
	if (cat != NULL)
		snprintf(q.filter.category, sizeof q.filter.category, "%s", cat);
	if (region != NULL)
		snprintf(q.filter.region, sizeof q.filter.region, "%s", region);
	/* Staff see every cell; the rest must not be able to single out a victim. */
	struct store_report probe = {.org_id = -1};
	q.min_cell = account_may_read_report(&rq->who, &probe) ? 0 : STATS_MIN_CELL;
	json_t *out;
	if (stats_compute(app->store, app->cat, &q, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	const char *format = http_query(rq, "format"), *accept = http_header(rq, "Accept");
	bool csv = (format != NULL && strcmp(format, "csv") == 0) ||
	           (format == NULL && accept != NULL && strncmp(accept, "text/csv", 8) == 0);
	if (format != NULL && !csv && strcmp(format, "json") != 0) {
		json_decref(out);
		http_error(rs, 400, "format: json or csv", "format");
		return;
	}
	if (csv) {
		char *text = stats_csv(out);
		json_decref(out);
		if (text == NULL) {
			http_error(rs, 503, "out of memory", NULL);
			return;
		}
		http_bytes(rs, 200, "text/csv; charset=utf-8", text, strlen(text));
		free(text);
		return;
	}
	http_json(rs, 200, out);
}
