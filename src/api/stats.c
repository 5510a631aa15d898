/*
 * stats.c - GET /api/v1/stats: statistics on reports, as JSON, CSV or an
 * SVG chart.  Staff of the reporting side see every cell; everyone else (the
 * public, partners) gets cells below the server's minimum (crix serve
 * --stats-min-cell, default 5) suppressed and no total.  The figures are
 * computed by model/stats.c over the fact table the server keeps in step.
 */
#include "api/api.h"

#include "model/casework.h"
#include "model/stats.h"

#include <stdlib.h>
#include <string.h>

/* The chart's title: what is counted, by what, over which period. */
static void svg_title(const struct stats_query *q, char *out, size_t cap)
{
	int n = snprintf(out, cap, "Reports");
	for (size_t d = 0; d < q->n_dims && n >= 0 && (size_t)n < cap; d++)
		n += snprintf(out + n, cap - (size_t)n, "%s%s", d ? " and " : " by ",
		              stats_dim_name(q->dims[d]));
	if (n >= 0 && (size_t)n < cap && q->filter.category[0])
		n += snprintf(out + n, cap - (size_t)n, ", %s", q->filter.category);
	if (n >= 0 && (size_t)n < cap && q->filter.region[0])
		n += snprintf(out + n, cap - (size_t)n, ", %s", q->filter.region);
	if (n >= 0 && (size_t)n < cap && (q->filter.from[0] || q->filter.to[0]))
		snprintf(out + n, cap - (size_t)n, ", %.10s to %.10s", q->filter.from,
		         q->filter.to[0] ? q->filter.to : "now");
}

/* measure=casework: cases, reviews, disseminations, outcomes, persons
 * prosecuted and convicted (model/casework.c), JSON only. */
static void casework_figures(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                             unsigned min_cell)
{
	const char *format = http_query(rq, "format");
	if (format != NULL && strcmp(format, "json") != 0) {
		http_error(rs, 400, "format: only json for measure=casework", "format");
		return;
	}
	if (http_query(rq, "category") != NULL || http_query(rq, "region") != NULL) {
		http_error(rs, 400,
		           "category, region: not filters of measure=casework (group by "
		           "category instead)",
		           http_query(rq, "category") != NULL ? "category" : "region");
		return;
	}
	json_t *out;
	struct crix_error err = {0};
	if (app->casefacts == NULL) {
		http_error(rs, 503, "statistics are not available", NULL);
		return;
	}
	if (casefacts_compute(app->casefacts, http_query(rq, "group_by"), http_query(rq, "from"),
	                      http_query(rq, "to"), min_cell, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_stats(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	const char *measure = http_query(rq, "measure");
	if (measure != NULL && strcmp(measure, "reports") != 0 &&
	    strcmp(measure, "casework") != 0) {
		http_error(rs, 400, "measure: reports (the default) or casework", "measure");
		return;
	}
	if (measure != NULL && strcmp(measure, "casework") == 0) {
		struct store_report probe = {.org_id = -1};
		casework_figures(app, rq, rs,
		                 account_may_read_report(&rq->who, &probe)
		                         ? 0
		                         : (app->opt.stats_min_cell ? app->opt.stats_min_cell
		                                                    : STATS_MIN_CELL));
		return;
	}
	struct stats_query q;
	memset(&q, 0, sizeof q);
	struct crix_error err = {0};
	if (stats_query_set(&q, http_query(rq, "group_by"), http_query(rq, "from"),
	                    http_query(rq, "to"), http_query(rq, "category"),
	                    http_query(rq, "region"), &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	const char *format = http_query(rq, "format"), *accept = http_header(rq, "Accept");
	if (format == NULL && accept != NULL)
		format = strncmp(accept, "text/csv", 8) == 0         ? "csv"
		         : strncmp(accept, "image/svg+xml", 13) == 0 ? "svg"
		                                                     : NULL;
	if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "svg") != 0 &&
	    strcmp(format, "json") != 0) {
		http_error(rs, 400, "format: json, csv or svg", "format");
		return;
	}
	/* Staff see every cell; the rest must not be able to single out a victim. */
	struct store_report probe = {.org_id = -1};
	q.min_cell = account_may_read_report(&rq->who, &probe)
	                     ? 0
	                     : (app->opt.stats_min_cell ? app->opt.stats_min_cell : STATS_MIN_CELL);
	json_t *out;
	if (app->reports.facts == NULL) {
		http_error(rs, 503, "statistics are not available", NULL);
		return;
	}
	if (stats_compute(app->reports.facts, app->cat, &q, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	if (format != NULL && strcmp(format, "svg") == 0) {
		char title[256], *svg;
		svg_title(&q, title, sizeof title);
		int rc = stats_svg(out, title, &svg, &err);
		json_decref(out);
		if (rc != 0) {
			http_error_from(rs, &err);
			return;
		}
		http_bytes(rs, 200, "image/svg+xml; charset=utf-8", svg, strlen(svg));
		free(svg);
		return;
	}
	if (format != NULL && strcmp(format, "csv") == 0) {
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
