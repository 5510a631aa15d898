/*
 * cases.h - reports linked into cases, for the server: the correlation engine
 * (correlate.h) filled from the store at start and kept in step as reports
 * and additions arrive, behind a lock so that request threads can share it.
 */
#ifndef CRIX_MODEL_CASES_H
#define CRIX_MODEL_CASES_H

#include "model/account.h"
#include "model/correlate.h"
#include "model/warnlist.h"
#include "store/store.h"

#include <jansson.h>

struct cases;

/* Builds the engine from every indicator in the store.  over_common: 0 for
 * the default; warn: warning lists whose values never link (may be NULL;
 * must outlive the engine).  OUT: *out, and *indicators, how many were read. */
int cases_open(struct store *s, uint32_t over_common, struct warnlist *warn, struct cases **out,
               uint64_t *indicators, struct crix_error *err);
void cases_free(struct cases *k); /* NULL ok */

/* A new report's values (type: enum ioc_type), or an addition's when extend. */
int cases_add(struct cases *k, int64_t report, const struct corr_value *vals, size_t n, bool extend,
              struct crix_error *err);

/* The case of a report (its first report's id) and its size; 0 and 1 for a
 * report the engine does not hold (one without indicators). */
int64_t cases_of(struct cases *k, int64_t report, uint32_t *size);

/*
 * The case of a report for staff: {"case": {"id": ref of its first report,
 * "size", "reports": [{"reference", "status"}] (up to 200), "truncated"},
 * "shared": [{"type", "value", "reports", "over_common", "allowed",
 * "warning_list"?}]} where
 * shared lists this report's values that other reports hold too.
 * values/n: this report's indicators.
 */
int cases_view(struct cases *k, struct store *s, int64_t report, const struct corr_value *vals,
               size_t n, json_t **out, struct crix_error *err);

#endif
