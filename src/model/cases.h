/*
 * cases.h - reports linked into cases, for the server: the correlation engine
 * (correlate.h) filled from the store at start and kept in step as reports
 * and additions arrive, behind a lock so that request threads can share it.
 */
#ifndef CRIX_MODEL_CASES_H
#define CRIX_MODEL_CASES_H

#include "model/account.h"
#include "model/correlate.h"
#include "model/triage.h"
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

/* The triage weights (triage_defaults until set; copied). */
void cases_set_triage(struct cases *k, const struct triage_weights *w);

/*
 * Records an analyst's decision (d->kind, report_id, other_id, type, value,
 * note as checked by the caller; at and actor are filled) with its audit
 * entry in one transaction, then applies it to the engine, so that it holds
 * from now on and again after every restart (cases_open replays them).
 * A split (exclude, detach) gets other_id set to a report of the case it
 * leaves, so that both cases' histories show it.
 * CRIX_EACCES unless account_may_decide_cases.
 */
int cases_decide(struct cases *k, struct store *s, const struct principal *p,
                 struct store_case_decision *d, struct crix_error *err);

/*
 * The case holding report, for staff: {"id" (the reference of its first
 * report), "size", "truncated", "victims", "vulnerable_victims", "losses":
 * [{"currency", "total_minor", "median_minor", "reports"}], "categories",
 * "regions", "first_report", "last_report", "lines_of_enquiry", "triage":
 * {"score", "reasons"}, "reports", "indicators"}; with graph, instead
 * {"id", "size", "nodes", "edges"}.
 */
int cases_get(struct cases *k, struct store *s, const struct principal *p, int64_t report,
              bool graph, json_t **out, struct crix_error *err);

/* The cases with a report still to work on (received, triaged, under
 * review), highest triage score first: {"cases": [summary without the
 * lists], "total", "next": offset or null}. */
#define CASES_QUEUE_MAX 100000
int cases_queue(struct cases *k, struct store *s, const struct principal *p, size_t offset,
                size_t limit, json_t **out, struct crix_error *err);

/*
 * Stable case ids ("CASE-2026-000123"; the rules are in cases.c above
 * settle_locked).  A case's handle: its live id, its oldest report, and
 * when the id asked for was merged into another, that id (moved_from).
 */
struct cases_handle {
	int64_t seq;
	char name[STORE_SHORT_MAX];
	int64_t anchor;
	char moved_from[STORE_SHORT_MAX];
};
/* Does text look like a case id (not a report reference)? */
bool cases_is_case_id(const char *text);
/* The case a "CASE-..." id names (field names it in errors: CRIX_ENOTFOUND). */
int cases_resolve_id(struct cases *k, const char *text, const char *field, struct cases_handle *h,
                     struct crix_error *err);
/* The case of a report, with its id settled (given one when it has none). */
int cases_handle_of(struct cases *k, int64_t report, struct cases_handle *h,
                    struct crix_error *err);
/* Every report of the case of report, by id.  OUT: *out (free()), *n. */
int cases_members(struct cases *k, int64_t report, uint32_t **out, size_t *n,
                  struct crix_error *err);
/* The ids (seqs) that reports of the case carry, live and merged: the case's
 * records are filed under them.  OUT: up to max in out; returns how many. */
size_t cases_carried(struct cases *k, int64_t report, int64_t *out, size_t max);
/* The name of an id.  CRIX_ENOTFOUND for an unknown seq. */
int cases_id_name(struct cases *k, int64_t seq, char name[STORE_SHORT_MAX]);

/* ---- requests (api/cases.c): case_ref is the reference of any report in
 * the case; in is the request body ---- */

struct ioc_ctx;
/* GET /cases/{id} and /cases/{id}/graph. */
int cases_view_ref(struct cases *k, struct store *s, const struct principal *p,
                   const char *case_ref, bool graph, json_t **out, struct crix_error *err);
/* {"report", "type"?, "value"?, "note"?}: the report no longer links through
 * the value, or with no value through anything (detached).  OUT: {"decision",
 * "case", "report_case"}. */
int cases_split(struct cases *k, struct store *s, const struct ioc_ctx *ioc,
                const struct principal *p, const char *case_ref, json_t *in, json_t **out,
                struct crix_error *err);
/* {"case", "note"?}: the two cases are one from now on.  CRIX_EEXIST when
 * they are one already.  OUT: {"decision", "case"}. */
int cases_merge(struct cases *k, struct store *s, const struct principal *p, const char *case_ref,
                json_t *in, json_t **out, struct crix_error *err);
/* {"type", "value", "note"?}: an over-common value held by report case_ref
 * links after all.  CRIX_EEXIST when it is not over-common. */
int cases_confirm(struct cases *k, struct store *s, const struct ioc_ctx *ioc,
                  const struct principal *p, const char *case_ref, json_t *in, json_t **out,
                  struct crix_error *err);

#endif
