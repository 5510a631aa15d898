/*
 * stats.h - statistics on reports for policy makers and staff: counts of
 * reports and victims and losses (sum and median per currency), grouped by up
 * to two dimensions (offence category, legal article, RSIT class, day, week,
 * month, year, region, country, victim type, channel, payment method, kind,
 * status, outcome), filtered by period, category and region.  Public outputs
 * suppress small cells so that no victim can be singled out.
 */
#ifndef CRIX_MODEL_STATS_H
#define CRIX_MODEL_STATS_H

#include "model/catalogue.h"
#include "model/facts.h"
#include "store/store.h"

#include <jansson.h>

#define STATS_MIN_CELL   5      /* public outputs hide cells below this */
#define STATS_GROUPS_MAX 100000 /* groups in one answer */

enum stats_dim {
	STATS_CATEGORY,
	STATS_ARTICLE, /* "directive:3", "budapest:8": a report counts under each */
	STATS_RSIT,
	STATS_DAY,
	STATS_WEEK, /* the Monday that starts it */
	STATS_MONTH,
	STATS_YEAR,
	STATS_REGION,
	STATS_COUNTRY,
	STATS_VICTIM_TYPE,
	STATS_CHANNEL,
	STATS_PAYMENT,
	STATS_KIND,
	STATS_STATUS,
	STATS_OUTCOME,
	STATS_DIM_COUNT
};

/* "category", "article", ...; CRIX_EINVAL naming the known ones. */
int stats_dim_parse(const char *name, enum stats_dim *out, struct crix_error *err);
const char *stats_dim_name(enum stats_dim d);

struct stats_query {
	enum stats_dim dims[2];
	size_t n_dims; /* 0, 1 or 2 */
	struct store_report_filter filter;
	unsigned min_cell; /* cells with fewer reports are suppressed; 0: none */
};

/*
 * Fills q from the text of a request or command line (each may be NULL):
 * group_by "DIM[,DIM]", from/to dates or times (ISO 8601), category and
 * region filters.  Errors name the field.  q starts zeroed by the caller.
 */
int stats_query_set(struct stats_query *q, const char *group_by, const char *from, const char *to,
                    const char *category, const char *region, struct crix_error *err);

/*
 * OUT: *out, {"group_by": [...], "total": n (null when suppressing),
 * "suppressed_below": k or null,
 * "rows": [{DIM: value, ..., "reports", "vulnerable_victims",
 * "losses": [{"currency", "sum_minor", "median_minor", "reports"}]}]}, rows
 * in order of their keys; a suppressed row has "reports": null and
 * "suppressed": true and no figures.
 */
int stats_compute(struct facts *t, const struct catalogue *cat, const struct stats_query *q,
                  json_t **out, struct crix_error *err);

/* A stats_compute result as an aligned text table for a terminal
 * (malloc'd; NULL when out of memory): one line per group and currency,
 * amounts in major units, a closing line with the total or the suppression. */
char *stats_table(const json_t *result);

/*
 * A stats_compute result as an SVG chart titled title: bars for one or two
 * dimensions, lines over time when one is day/week/month/year (one line per
 * value of the other).  A fixed viewBox; text escaped; suppressed cells are
 * left out.  CRIX_ETOOBIG (field "format") beyond 200 bars, 10 lines or
 * 1000 periods.  OUT: *out (malloc'd).
 */
int stats_svg(const json_t *result, const char *title, char **out, struct crix_error *err);

/* The rows of a stats_compute result as CSV (malloc'd), a header first. */
char *stats_csv(const json_t *result);

#endif
