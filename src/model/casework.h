/*
 * casework.h - what analysts and investigators do with a case once it is
 * linked (issue 6): the viability review with its lines of enquiry, the
 * recipient chosen by the jurisdiction rules, the dissemination to that
 * law-enforcement organisation, the crime package it receives (JSON or a
 * printable HTML page), and the outcomes it records per suspect.
 *
 * Each of these is a case record (store_case_record) filed under the case's
 * stable id and written with its audit entry in one transaction.  A
 * dissemination or outcome moves the linked reports (to disseminated, then
 * to outcome) in that same transaction through report_move_tx, so that the
 * status rules, the victim's tracking page and the statistics see it as any
 * other move, and the record and every move are stored or none is.  Reports
 * in other statuses (closed, moved already) are listed as not moved.
 *
 * Requests name a case by its id ("CASE-2026-000123") or by the reference
 * of any of its reports.  Inputs are JSON bodies; errors name the field.
 */
#ifndef CRIX_MODEL_CASEWORK_H
#define CRIX_MODEL_CASEWORK_H

#include "model/casefacts.h"
#include "model/jurisdiction.h"
#include "model/report.h"
#include "model/stats.h"

#include <jansson.h>

#define CASEWORK_REPORTS_MAX 1000 /* reports listed in a package */
#define CASEWORK_LINES_MAX   100  /* lines of enquiry in a review */
/* Reports a dissemination or outcome moves in its one transaction; a
 * larger case is refused (split it), never moved in part. */
#define CASEWORK_MOVE_MAX 10000

/* What casework needs, shared by requests (read-only). */
struct casework_env {
	const struct report_env *reports; /* its cases must not be NULL */
	const struct jurisdiction *juris; /* NULL: no rules (every case needs a recipient) */
	struct casefacts *facts;          /* kept in step with new records, or NULL */
};

/* {"viable", "reason", "lines_of_enquiry"?: [{"kind", "value", "note"?}]}
 * by an analyst.  OUT: {"case", "review"}. */
int casework_review(const struct casework_env *env, const struct principal *p, const char *id,
                    json_t *in, json_t **out, struct crix_error *err);

/* The suggested recipient: {"case", "facts": {criterion: [values]},
 * "recipient": {"id", "name", "country"} or null, "rule": {"file",
 * "index", "name"} or null (the fallback: index -1), "skipped": [{"rule",
 * "reason"}]}. */
int casework_jurisdiction(const struct casework_env *env, const struct principal *p, const char *id,
                          json_t **out, struct crix_error *err);

/* {"recipient"?: organisation id or name, "reason"?: why not the rules'
 * choice (required then), "note"?}.  The case must be reviewed viable.
 * OUT: {"case", "dissemination", "reports": [{"reference", "status",
 * "error"?}]}. */
int casework_disseminate(const struct casework_env *env, const struct principal *p, const char *id,
                         json_t *in, json_t **out, struct crix_error *err);

/* The crime package as JSON (see docs/dissemination.md).  Victims'
 * personal data only for callers account_may_see_victim allows, each read
 * audited. */
int casework_package(const struct casework_env *env, const struct principal *p, const char *id,
                     json_t **out, struct crix_error *err);
/* A package as a printable HTML page (malloc'd; NULL when out of memory):
 * no script, every text escaped, a print style sheet. */
char *casework_package_html(const json_t *pkg);

/* {"suspect", "outcome", "date", "legal_article"?, "note"?} by an
 * investigator of a receiving organisation.  OUT: {"case", "outcome",
 * "reports"}. */
int casework_outcome(const struct casework_env *env, const struct principal *p, const char *id,
                     json_t *in, json_t **out, struct crix_error *err);
/* OUT: {"case", "outcomes": [...]}. */
int casework_outcomes(const struct casework_env *env, const struct principal *p, const char *id,
                      json_t **out, struct crix_error *err);

/* The case's work so far for the case view: {"review": latest or null,
 * "disseminations": [...], "outcomes": n}.  OUT: members set into view. */
int casework_attach(const struct casework_env *env, const char *id, json_t *view,
                    struct crix_error *err);

/*
 * The case's history, newest first: analysts' decisions (split, merge,
 * confirm) naming a report that is in the case now, and its reviews,
 * disseminations and outcomes.  Each entry: {"at", "kind" (split, merge,
 * confirm, review, dissemination, outcome), "who": {"actor", "user",
 * "org"}, "what" (a sentence), "reason" (the analyst's note or reason, or
 * null), "decision" or "record" (its id)}.  For whoever may read the case
 * (staff of the reporting side).  offset/limit page it.  OUT: {"case",
 * "entries", "total", "next": offset or null}.
 */
#define CASEWORK_HISTORY_MAX 20000 /* entries gathered for one case */
int casework_history(const struct casework_env *env, const struct principal *p, const char *id,
                     size_t offset, size_t limit, json_t **out, struct crix_error *err);

/* Statistics of case work from the store's records, for the command line:
 * casefacts_compute over a table built for the call (casefacts.h). */
int casework_stats(struct store *s, const char *group_by, const char *from, const char *to,
                   unsigned min_cell, json_t **out, struct crix_error *err);

#endif
