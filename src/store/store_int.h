/*
 * store_int.h - what a store backend implements: the table of operations
 * behind store.h.  A backend embeds struct store (and struct store_tx) at the
 * start of its own structs and fills in ops; store.c dispatches.
 */
#ifndef CRIX_STORE_STORE_INT_H
#define CRIX_STORE_STORE_INT_H

#include "store/store.h"

struct store_ops {
	const char *name; /* "sqlite" */
	void (*close)(struct store *s);
	int (*schema_version)(struct store *s);
	int (*tx_begin)(struct store *s, struct store_tx **tx, struct crix_error *err);
	int (*tx_commit)(struct store_tx *tx, struct crix_error *err);
	void (*tx_rollback)(struct store_tx *tx);
	int (*org_insert)(struct store_tx *tx, struct store_org *o, struct crix_error *err);
	int (*org_update)(struct store_tx *tx, const struct store_org *o, struct crix_error *err);
	int (*org_get)(struct store *s, int64_t id, struct store_org *out, struct crix_error *err);
	int (*org_list)(struct store *s, int64_t after, size_t limit, struct store_org **out,
	                size_t *n, struct crix_error *err);
	int (*user_insert)(struct store_tx *tx, struct store_user *u, struct crix_error *err);
	int (*user_update)(struct store_tx *tx, const struct store_user *u, struct crix_error *err);
	int (*user_get)(struct store *s, int64_t id, struct store_user *out,
	                struct crix_error *err);
	int (*user_by_name)(struct store *s, const char *username, struct store_user *out,
	                    struct crix_error *err);
	int (*user_list)(struct store *s, int64_t org_id, int64_t after, size_t limit,
	                 struct store_user **out, size_t *n, struct crix_error *err);
	int (*user_count)(struct store *s, const char *role, int64_t *n, struct crix_error *err);
	int (*token_insert)(struct store_tx *tx, struct store_token *t, struct crix_error *err);
	int (*token_by_hash)(struct store *s, const char *hash, struct store_token *out,
	                     struct crix_error *err);
	int (*token_get)(struct store *s, int64_t id, struct store_token *out,
	                 struct crix_error *err);
	int (*token_list)(struct store *s, int64_t user_id, int64_t after, size_t limit,
	                  struct store_token **out, size_t *n, struct crix_error *err);
	int (*token_revoke)(struct store_tx *tx, int64_t id, const char *at,
	                    struct crix_error *err);
	int (*session_insert)(struct store_tx *tx, const struct store_session *ss,
	                      struct crix_error *err);
	int (*session_get)(struct store *s, const char *id_hash, struct store_session *out,
	                   struct crix_error *err);
	int (*session_delete)(struct store_tx *tx, const char *id_hash, struct crix_error *err);
	int (*session_purge)(struct store_tx *tx, const char *now, struct crix_error *err);
	int (*report_insert)(struct store_tx *tx, struct store_report *r, struct crix_error *err);
	int (*report_set_status)(struct store_tx *tx, int64_t id, const char *from,
	                         const char *status, const char *outcome, const char *updated,
	                         struct crix_error *err);
	int (*report_touch)(struct store_tx *tx, int64_t id, const char *updated,
	                    struct crix_error *err);
	int (*report_get)(struct store *s, const char *ref, struct store_report *out,
	                  struct crix_error *err);
	int (*report_list)(struct store *s, const struct store_report_filter *f, int64_t before,
	                   size_t limit, struct store_report **out, size_t *n,
	                   struct crix_error *err);
	int (*event_insert)(struct store_tx *tx, struct store_event *e, struct crix_error *err);
	int (*event_list)(struct store *s, int64_t report_id, size_t limit,
	                  struct store_event **out, size_t *n, struct crix_error *err);
	int (*indicator_insert)(struct store_tx *tx, const struct store_indicator *ind,
	                        struct crix_error *err);
	int (*indicator_scan)(struct store *s, int64_t after_row, size_t limit,
	                      struct store_indicator **out, size_t *n, int64_t *last_row,
	                      struct crix_error *err);
	int (*report_facts)(struct store *s, const struct store_report_filter *f, store_fact_fn fn,
	                    void *arg, struct crix_error *err);
	int (*report_ref)(struct store *s, int64_t id, char ref[STORE_REF_MAX],
	                  char status[STORE_SHORT_MAX], struct crix_error *err);
	int (*indicator_list)(struct store *s, int64_t report_id, size_t limit,
	                      struct store_indicator **out, size_t *n, struct crix_error *err);
	int (*evidence_insert)(struct store_tx *tx, struct store_evidence *ev,
	                       struct crix_error *err);
	int (*evidence_list)(struct store *s, int64_t report_id, struct store_evidence **out,
	                     size_t *n, struct crix_error *err);
	int (*custody_insert)(struct store_tx *tx, const struct store_custody *c,
	                      struct crix_error *err);
	int (*custody_list)(struct store *s, int64_t evidence_id, struct store_custody **out,
	                    size_t *n, struct crix_error *err);
	int (*audit_last)(struct store_tx *tx, struct store_audit *out, struct crix_error *err);
	int (*audit_insert)(struct store_tx *tx, struct store_audit *a, struct crix_error *err);
	int (*audit_list)(struct store *s, int64_t after, size_t limit, struct store_audit **out,
	                  size_t *n, struct crix_error *err);
	int (*group_insert)(struct store_tx *tx, struct store_group *g, struct crix_error *err);
	int (*group_member)(struct store_tx *tx, int64_t group, int64_t org, int add,
	                    struct crix_error *err);
	int (*group_list)(struct store *s, struct store_group **out, size_t *n,
	                  struct crix_error *err);
	int (*collection_insert)(struct store_tx *tx, const struct store_collection *c,
	                         struct crix_error *err);
	int (*collection_update)(struct store_tx *tx, const struct store_collection *c,
	                         struct crix_error *err);
	int (*collection_list)(struct store *s, struct store_collection **out, size_t *n,
	                       struct crix_error *err);
	int (*object_insert)(struct store_tx *tx, struct store_object *o, struct crix_error *err);
	int (*object_page)(struct store *s, const struct store_object_filter *f,
	                   struct store_object **out, size_t *n, struct crix_error *err);
	int (*object_last_added)(struct store *s, char *out, struct crix_error *err);
	int (*status_insert)(struct store_tx *tx, const struct store_status *st,
	                     struct crix_error *err);
	int (*status_get)(struct store *s, const char *id, struct store_status *out,
	                  struct crix_error *err);
	int (*shared_indicator_drop)(struct store_tx *tx, const char *collection,
	                             const char *stix_id, int64_t owner_org,
	                             struct crix_error *err);
	int (*shared_indicator_insert)(struct store_tx *tx, struct store_shared_indicator *si,
	                               struct crix_error *err);
	int (*shared_indicator_scan)(struct store *s, int64_t after_id, size_t limit,
	                             struct store_shared_indicator **out, size_t *n,
	                             struct crix_error *err);
	int (*decision_insert)(struct store_tx *tx, struct store_case_decision *d,
	                       struct crix_error *err);
	int (*decision_list)(struct store *s, int64_t after, size_t limit,
	                     struct store_case_decision **out, size_t *n, struct crix_error *err);
	int (*report_brief)(struct store *s, int64_t id, struct store_report *out,
	                    struct crix_error *err);
	int (*report_brief_scan)(struct store *s, int64_t after, size_t limit,
	                         struct store_report **out, size_t *n, struct crix_error *err);
	int (*report_body)(struct store *s, int64_t id, char **body, struct crix_error *err);
	int (*alert_insert)(struct store_tx *tx, struct store_alert *a, struct crix_error *err);
	int (*alert_withdraw)(struct store_tx *tx, int64_t id, const char *at,
	                      struct crix_error *err);
	int (*alert_get)(struct store *s, int64_t id, struct store_alert *out,
	                 struct crix_error *err);
	int (*alert_list)(struct store *s, const struct store_alert_filter *f, int64_t before,
	                  size_t limit, struct store_alert **out, size_t *n,
	                  struct crix_error *err);
	int (*case_id_insert)(struct store_tx *tx, const struct store_case_id *ci,
	                      struct crix_error *err);
	int (*case_id_update)(struct store_tx *tx, const struct store_case_id *ci,
	                      struct crix_error *err);
	int (*case_id_list)(struct store *s, int64_t after, size_t limit,
	                    struct store_case_id **out, size_t *n, struct crix_error *err);
	int (*case_record_insert)(struct store_tx *tx, struct store_case_record *r,
	                          struct crix_error *err);
	int (*case_record_list)(struct store *s, int64_t case_seq, int64_t after, size_t limit,
	                        struct store_case_record **out, size_t *n, struct crix_error *err);
	int (*sighting_insert)(struct store_tx *tx, struct store_sighting *sg,
	                       struct crix_error *err);
	int (*sighting_page)(struct store *s, const char *stix_id, int64_t after_id, size_t limit,
	                     struct store_sighting **out, size_t *n, struct crix_error *err);
};

struct store {
	const struct store_ops *ops;
};

struct store_tx {
	struct store *s;
};

/* The SQLite backend.  path: the database file. */
int store_sqlite_open(const char *path, struct store **out, struct crix_error *err);

/* For tests: the query plan of the one SQLite statement whose SQL holds
 * fragment (EXPLAIN QUERY PLAN details joined by "; ", cut at cap).
 * CRIX_ENOTFOUND when none holds it, CRIX_EINVAL when several do or s is
 * not an SQLite store. */
int store_sqlite_plan(struct store *s, const char *fragment, char *out, size_t cap,
                      struct crix_error *err);

#endif
