/*
 * correlate.h - linking reports into cases through the indicator values they
 * share: postings, not pairs.
 *
 * For every canonical value the engine keeps its posting list (the reports
 * that hold it); reports that share a value are joined into one case with a
 * union-find.  Adding a report costs time proportional to its own values,
 * never to the number of reports already held.  MISP stores a row for every
 * pair of matching attributes (n^2 for a value seen n times); crix stores n.
 *
 * A value held by more than `over_common` reports (a popular payment service,
 * a webmail domain) stops linking: the cases it joined are rebuilt without it,
 * at a cost proportional to their size, until an analyst confirms the value
 * (corr_confirm), after which it links again.  Values the caller says are
 * allowed (warning-listed) are posted but never link.
 *
 * Reports are numbered by the caller (their store id, from 1).  The engine is
 * in memory and not thread-safe: one writer (the server serialises adds).
 */
#ifndef CRIX_MODEL_CORRELATE_H
#define CRIX_MODEL_CORRELATE_H

#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CORR_OVER_COMMON_DEFAULT 50

struct corr;

/* A canonical indicator value of a report (type: enum ioc_type). */
struct corr_value {
	unsigned type;
	const char *value;
	size_t len;
};

/* Is this value warning-listed (benign, never links)? */
typedef bool (*corr_allowed_fn)(void *arg, unsigned type, const char *value, size_t len);

struct corr_opts {
	uint32_t over_common;    /* 0: CORR_OVER_COMMON_DEFAULT */
	corr_allowed_fn allowed; /* may be NULL */
	void *allowed_arg;
};

/* What the engine knows of a value. */
struct corr_value_info {
	uint32_t reports; /* reports holding it */
	bool over_common; /* held by more than over_common reports, not confirmed */
	bool confirmed;   /* an analyst said it links despite being common */
	bool allowed;     /* warning-listed: never links */
};

int corr_new(const struct corr_opts *opts, struct corr **out, struct crix_error *err);
void corr_free(struct corr *c); /* NULL ok */

/*
 * Adds report `report` (>= 1, not added before) holding vals[0..n) and links
 * it with every report that shares a value that links.  A value repeated in
 * vals counts once.  OUT: *linked, how many values linked it (may be NULL).
 */
int corr_add(struct corr *c, uint32_t report, const struct corr_value *vals, size_t n,
             size_t *linked, struct crix_error *err);

/*
 * Adds values to a report already held (an addition by the victim).
 */
int corr_extend(struct corr *c, uint32_t report, const struct corr_value *vals, size_t n,
                struct crix_error *err);

/* The case of a report: the smallest report id in it (stable as cases grow
 * by linking, since ids only join).  0 for an unknown report. */
uint32_t corr_case(struct corr *c, uint32_t report);
/* Reports in the case of `report`. */
uint32_t corr_case_size(struct corr *c, uint32_t report);
/* Writes up to max report ids of the case of `report`; returns how many. */
size_t corr_case_members(struct corr *c, uint32_t report, uint32_t *out, size_t max);

/* What the engine knows of a value; CRIX_ENOTFOUND if no report holds it. */
int corr_value_info(struct corr *c, unsigned type, const char *value, size_t len,
                    struct corr_value_info *out);

/* An analyst confirms that an over-common value links: every report holding it
 * joins one case.  CRIX_ENOTFOUND if no report holds it. */
int corr_confirm(struct corr *c, unsigned type, const char *value, size_t len,
                 struct crix_error *err);

/*
 * Analysts' decisions.  Each is remembered, so a value or report arriving
 * later obeys it too, and the cases it touches are rebuilt at once (cost
 * proportional to their size).  Replaying the same decisions in the same
 * order after loading the reports gives the same cases (cases.c does, at
 * start).
 */
/* Report no longer links through the value (a split).  CRIX_ENOTFOUND for a
 * report the engine does not hold. */
int corr_exclude(struct corr *c, uint32_t report, unsigned type, const char *value, size_t len,
                 struct crix_error *err);
/* Report links through none of its values, now or later, and loses its
 * explicit links (detached from its case). */
int corr_detach(struct corr *c, uint32_t report, struct crix_error *err);
/* Joins the cases of a and b by an explicit link (a merge) that rebuilds keep. */
int corr_link(struct corr *c, uint32_t a, uint32_t b, struct crix_error *err);
/* The reports report is explicitly linked to, up to max.  OUT: out. */
size_t corr_report_links(const struct corr *c, uint32_t report, uint32_t *out, size_t max);
/* The values report links through (excluded ones are left out), up to max;
 * the strings point into the engine and live until its next change. */
size_t corr_report_values(const struct corr *c, uint32_t report, struct corr_value *out,
                          size_t max);

/* Counters for benchmarks and metrics. */
struct corr_stats {
	uint64_t reports, values, occurrences, cases, over_common, rebuilds;
	uint64_t bytes;     /* memory held */
	uint64_t pair_rows; /* rows a pairwise store (MISP) would hold: sum of C(n, 2) */
};
void corr_stats(const struct corr *c, struct corr_stats *out);

#endif
