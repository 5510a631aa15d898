/*
 * report.h - reports of cybercrime and fraud: what a report must hold, what
 * happens on submit (reference number, indicators, advice, tracking secret,
 * all in one durable transaction), what a victim may see and add, how staff
 * move a report through its statuses, and who sees the victim's data.
 *
 * Input and output are JSON (jansson): the HTTP handlers pass the parsed
 * body in and send what comes out; the CLI could do the same.  Decisions
 * about the caller use struct principal (model/account.h).  Errors name the
 * field (err->field) so that the API can say which one is wrong.
 */
#ifndef CRIX_MODEL_REPORT_H
#define CRIX_MODEL_REPORT_H

#include "ioc/ioc.h"
#include "model/account.h"
#include "model/cases.h"
#include "model/catalogue.h"
#include "model/ref.h"
#include "store/store.h"
#include "util/secret.h"

#include <jansson.h>
#include <stdbool.h>

/* Caps on what a report may hold. */
#define REPORT_TEXT_MAX       20000 /* description, addition text, note */
#define REPORT_FIELD_MAX      512   /* a name, an e-mail, a web site, ... */
#define REPORT_LIST_MAX       50    /* entries in one suspect list */
#define REPORT_INDICATORS_MAX 1000  /* indicators kept per report */
#define REPORT_EVIDENCE_MAX   10    /* evidence files per submission */
#define REPORT_EVIDENCE_BYTES (10u << 20)

/* What report functions need, shared by all requests (read-only). */
struct report_env {
	struct store *store;
	const struct catalogue *cat;
	const struct ioc_ctx *ioc;
	const unsigned char *key; /* SECRET_KEY_LEN bytes: hashes tracking secrets */
	const char *data_dir;     /* evidence files go under data_dir/evidence */
	struct cases *cases;      /* reports linked into cases, or NULL */
	struct facts *facts;      /* the statistics fact table, or NULL */
};

/* An evidence file as uploaded. */
struct report_file {
	const char *name; /* the file name the client gave, may be NULL */
	const unsigned char *data;
	size_t len;
};

/*
 * Submits a report: validates in (naming the field at fault), gives it a
 * reference number and a tracking secret, extracts its indicators, chooses the
 * advice, stores the evidence files, and commits it all with a "submitted"
 * event and an audit entry.  channel: "web", "api" or "bulk".
 * OUT: *receipt, {"reference", "tracking_secret", "status", "created",
 * "advice", "indicators"}: the only time the secret is shown.
 */
int report_submit(const struct report_env *env, const struct principal *p, json_t *in,
                  const char *channel, const struct report_file *files, size_t n_files,
                  json_t **receipt, struct crix_error *err);

/* Validates a report as report_submit would, without storing anything (for
 * fuzzing and for checking a bulk file before sending it). */
int report_validate(const struct report_env *env, json_t *in, struct crix_error *err);

/* Did the reporter give the consent key ("share_with_partners",
 * "share_with_law_enforcement", "contact") in the report's stored body
 * (store_report_body)?  Only an explicit true is consent: a report without
 * consents, or a body that cannot be read, has none. */
bool report_consented(const char *body, const char *key);

/*
 * The victim's view (reference and tracking secret): status, outcome and the
 * history of status changes and victim-visible notes.  A wrong reference or
 * secret is CRIX_ENOTFOUND either way (no oracle for guessing).
 */
int report_track(const struct report_env *env, const char *ref, const char *secret, json_t **out,
                 struct crix_error *err);

/* The victim adds information (append-only): {"text", "suspect": {...}}.
 * Indicators are extracted again.  OUT: *out, {"added", "indicators"}. */
int report_add(const struct report_env *env, const char *ref, const char *secret, json_t *in,
               json_t **out, struct crix_error *err);

/*
 * A report as staff see it.  with_victim: include the victim's personal data
 * (CRIX_EACCES unless account_may_see_victim; the read is audited).
 */
int report_view(const struct report_env *env, const struct principal *p, const char *ref,
                bool with_victim, json_t **out, struct crix_error *err);

/* A page of reports (newest first) for staff, filtered; victim data never
 * included.  OUT: *out, {"reports": [...], "next": cursor or null}. */
int report_list(const struct report_env *env, const struct principal *p,
                const struct store_report_filter *f, int64_t before, size_t limit, json_t **out,
                struct crix_error *err);

/*
 * Moves a report on: {"status", "outcome"?, "note"?, "victim_note"?}.  The
 * allowed moves: received -> triaged -> under-review -> disseminated ->
 * outcome (judicial, non-judicial, no-further-action); received, triaged or
 * under-review -> closed (an information report, or nothing to pursue).
 */
int report_set_status(const struct report_env *env, const struct principal *p, const char *ref,
                      json_t *in, json_t **out, struct crix_error *err);

/*
 * One step of the workflow above for report id (which must be `from` now),
 * written into the caller's transaction tx: the victim-visible status event
 * (victim_note, may be NULL), the status and its audit entry.  The caller
 * commits or rolls back, so that many reports move all or nothing (a case's
 * dissemination), then calls report_moved for each step once committed.
 * CRIX_EEXIST names the report when the move is not allowed or the report
 * changed meanwhile; CRIX_EACCES when p may not work on it.
 */
int report_move_tx(const struct report_env *env, struct store_tx *tx, const struct principal *p,
                   const struct store_report *r, const char *from, const char *status,
                   const char *outcome, const char *victim_note, struct crix_error *err);
/* After the commit: the statistics see the report's new status. */
void report_moved(const struct report_env *env, int64_t id, const char *status,
                  const char *outcome);

/* Staff note: {"text", "victim_visible"?}. */
int report_note(const struct report_env *env, const struct principal *p, const char *ref,
                json_t *in, json_t **out, struct crix_error *err);

/* Reads an evidence file of a report (law enforcement and admins; audited
 * with a custody entry).  OUT: *data (free()), *len, *mime (static text of
 * the row, copied into mime_out). */
int report_evidence_get(const struct report_env *env, const struct principal *p, const char *ref,
                        const char *sha256, unsigned char **data, size_t *len,
                        char mime_out[STORE_NAME_MAX], struct crix_error *err);

/* The case a report belongs to, for reporting-centre staff (see
 * cases_view); CRIX_EACCES for others. */
int report_case(const struct report_env *env, const struct principal *p, const char *ref,
                json_t **out, struct crix_error *err);

/* True when status is one of the statuses above. */
bool report_status_known(const char *status);

#endif
