/*
 * store.c - picks a backend by URL and dispatches the calls of store.h to it.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_open(const char *url, const char *data_dir, struct store **out, struct crix_error *err)
{
	char path[4096];
	*out = NULL;
	if (url == NULL || url[0] == '\0') {
		if (data_dir == NULL)
			return crix_error_set(err, CRIX_EINVAL,
			                      "store: no --db URL and no --data directory");
		int n = snprintf(path, sizeof path, "%s/crix.db", data_dir);
		if (n < 0 || (size_t)n >= sizeof path)
			return crix_error_set(err, CRIX_ETOOBIG,
			                      "store: data directory path too long");
		return store_sqlite_open(path, out, err);
	}
	if (strncmp(url, "sqlite:", 7) == 0) {
		const char *p = url + 7;
		if (strncmp(p, "//", 2) == 0)
			p += 2;
		if (*p == '\0')
			return crix_error_set(err, CRIX_EINVAL, "--db: '%s' names no file", url);
		return store_sqlite_open(p, out, err);
	}
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
		return crix_error_set(
		        err, CRIX_EINVAL,
		        "--db: the PostgreSQL backend is not built yet; use sqlite:PATH");
	return crix_error_set(err, CRIX_EINVAL, "--db: '%s' is not sqlite:PATH or postgres://...",
	                      url);
}

void store_close(struct store *s)
{
	if (s != NULL)
		s->ops->close(s);
}

int store_schema_version(struct store *s)
{
	return s->ops->schema_version(s);
}

int store_tx_begin(struct store *s, struct store_tx **tx, struct crix_error *err)
{
	return s->ops->tx_begin(s, tx, err);
}

int store_tx_commit(struct store_tx *tx, struct crix_error *err)
{
	return tx->s->ops->tx_commit(tx, err);
}

void store_tx_rollback(struct store_tx *tx)
{
	if (tx != NULL)
		tx->s->ops->tx_rollback(tx);
}

int store_org_insert(struct store_tx *tx, struct store_org *o, struct crix_error *err)
{
	return tx->s->ops->org_insert(tx, o, err);
}

int store_org_update(struct store_tx *tx, const struct store_org *o, struct crix_error *err)
{
	return tx->s->ops->org_update(tx, o, err);
}

int store_org_get(struct store *s, int64_t id, struct store_org *out, struct crix_error *err)
{
	return s->ops->org_get(s, id, out, err);
}

int store_org_list(struct store *s, int64_t after, size_t limit, struct store_org **out, size_t *n,
                   struct crix_error *err)
{
	return s->ops->org_list(s, after, limit, out, n, err);
}

int store_user_insert(struct store_tx *tx, struct store_user *u, struct crix_error *err)
{
	return tx->s->ops->user_insert(tx, u, err);
}

int store_user_update(struct store_tx *tx, const struct store_user *u, struct crix_error *err)
{
	return tx->s->ops->user_update(tx, u, err);
}

int store_user_get(struct store *s, int64_t id, struct store_user *out, struct crix_error *err)
{
	return s->ops->user_get(s, id, out, err);
}

int store_user_by_name(struct store *s, const char *username, struct store_user *out,
                       struct crix_error *err)
{
	return s->ops->user_by_name(s, username, out, err);
}

int store_user_list(struct store *s, int64_t org_id, int64_t after, size_t limit,
                    struct store_user **out, size_t *n, struct crix_error *err)
{
	return s->ops->user_list(s, org_id, after, limit, out, n, err);
}

int store_user_count(struct store *s, const char *role, int64_t *n, struct crix_error *err)
{
	return s->ops->user_count(s, role, n, err);
}

int store_token_insert(struct store_tx *tx, struct store_token *t, struct crix_error *err)
{
	return tx->s->ops->token_insert(tx, t, err);
}

int store_token_by_hash(struct store *s, const char *hash, struct store_token *out,
                        struct crix_error *err)
{
	return s->ops->token_by_hash(s, hash, out, err);
}

int store_token_get(struct store *s, int64_t id, struct store_token *out, struct crix_error *err)
{
	return s->ops->token_get(s, id, out, err);
}

int store_token_list(struct store *s, int64_t user_id, int64_t after, size_t limit,
                     struct store_token **out, size_t *n, struct crix_error *err)
{
	return s->ops->token_list(s, user_id, after, limit, out, n, err);
}

int store_token_revoke(struct store_tx *tx, int64_t id, const char *at, struct crix_error *err)
{
	return tx->s->ops->token_revoke(tx, id, at, err);
}

int store_session_insert(struct store_tx *tx, const struct store_session *ss,
                         struct crix_error *err)
{
	return tx->s->ops->session_insert(tx, ss, err);
}

int store_session_get(struct store *s, const char *id_hash, struct store_session *out,
                      struct crix_error *err)
{
	return s->ops->session_get(s, id_hash, out, err);
}

int store_session_delete(struct store_tx *tx, const char *id_hash, struct crix_error *err)
{
	return tx->s->ops->session_delete(tx, id_hash, err);
}

int store_session_purge(struct store_tx *tx, const char *now, struct crix_error *err)
{
	return tx->s->ops->session_purge(tx, now, err);
}

int store_report_insert(struct store_tx *tx, struct store_report *r, struct crix_error *err)
{
	return tx->s->ops->report_insert(tx, r, err);
}

int store_report_set_status(struct store_tx *tx, int64_t id, const char *from, const char *status,
                            const char *outcome, const char *updated, struct crix_error *err)
{
	return tx->s->ops->report_set_status(tx, id, from, status, outcome, updated, err);
}

int store_report_touch(struct store_tx *tx, int64_t id, const char *updated, struct crix_error *err)
{
	return tx->s->ops->report_touch(tx, id, updated, err);
}

int store_report_get(struct store *s, const char *ref, struct store_report *out,
                     struct crix_error *err)
{
	return s->ops->report_get(s, ref, out, err);
}

int store_report_list(struct store *s, const struct store_report_filter *f, int64_t before,
                      size_t limit, struct store_report **out, size_t *n, struct crix_error *err)
{
	return s->ops->report_list(s, f, before, limit, out, n, err);
}

int store_event_insert(struct store_tx *tx, struct store_event *e, struct crix_error *err)
{
	return tx->s->ops->event_insert(tx, e, err);
}

int store_event_list(struct store *s, int64_t report_id, size_t limit, struct store_event **out,
                     size_t *n, struct crix_error *err)
{
	return s->ops->event_list(s, report_id, limit, out, n, err);
}

int store_indicator_insert(struct store_tx *tx, const struct store_indicator *ind,
                           struct crix_error *err)
{
	return tx->s->ops->indicator_insert(tx, ind, err);
}

int store_indicator_list(struct store *s, int64_t report_id, size_t limit,
                         struct store_indicator **out, size_t *n, struct crix_error *err)
{
	return s->ops->indicator_list(s, report_id, limit, out, n, err);
}

int store_evidence_insert(struct store_tx *tx, struct store_evidence *ev, struct crix_error *err)
{
	return tx->s->ops->evidence_insert(tx, ev, err);
}

int store_evidence_list(struct store *s, int64_t report_id, struct store_evidence **out, size_t *n,
                        struct crix_error *err)
{
	return s->ops->evidence_list(s, report_id, out, n, err);
}

int store_custody_insert(struct store_tx *tx, const struct store_custody *c, struct crix_error *err)
{
	return tx->s->ops->custody_insert(tx, c, err);
}

int store_custody_list(struct store *s, int64_t evidence_id, struct store_custody **out, size_t *n,
                       struct crix_error *err)
{
	return s->ops->custody_list(s, evidence_id, out, n, err);
}

int store_audit_last(struct store_tx *tx, struct store_audit *out, struct crix_error *err)
{
	return tx->s->ops->audit_last(tx, out, err);
}

int store_audit_insert(struct store_tx *tx, struct store_audit *a, struct crix_error *err)
{
	return tx->s->ops->audit_insert(tx, a, err);
}

int store_audit_list(struct store *s, int64_t after, size_t limit, struct store_audit **out,
                     size_t *n, struct crix_error *err)
{
	return s->ops->audit_list(s, after, limit, out, n, err);
}
int store_indicator_scan(struct store *s, int64_t after_row, size_t limit,
                         struct store_indicator **out, size_t *n, int64_t *last_row,
                         struct crix_error *err)
{
	return s->ops->indicator_scan(s, after_row, limit, out, n, last_row, err);
}

int store_report_facts(struct store *s, const struct store_report_filter *f, store_fact_fn fn,
                       void *arg, struct crix_error *err)
{
	return s->ops->report_facts(s, f, fn, arg, err);
}

int store_report_ref(struct store *s, int64_t id, char ref[STORE_REF_MAX],
                     char status[STORE_SHORT_MAX], struct crix_error *err)
{
	return s->ops->report_ref(s, id, ref, status, err);
}

void store_report_clear(struct store_report *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r->victim);
	free(r->advice);
	r->body = r->victim = r->advice = NULL;
}

void store_report_array_free(struct store_report *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		store_report_clear(&a[i]);
	free(a);
}

void store_event_array_free(struct store_event *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		free(a[i].detail);
	free(a);
}

void store_indicator_array_free(struct store_indicator *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		free(a[i].value);
	free(a);
}

void store_audit_array_free(struct store_audit *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		free(a[i].detail);
	free(a);
}

int store_group_insert(struct store_tx *tx, struct store_group *g, struct crix_error *err)
{
	return tx->s->ops->group_insert(tx, g, err);
}

int store_group_member(struct store_tx *tx, int64_t group, int64_t org, int add,
                       struct crix_error *err)
{
	return tx->s->ops->group_member(tx, group, org, add, err);
}

int store_group_list(struct store *s, struct store_group **out, size_t *n, struct crix_error *err)
{
	return s->ops->group_list(s, out, n, err);
}

int store_collection_insert(struct store_tx *tx, const struct store_collection *c,
                            struct crix_error *err)
{
	return tx->s->ops->collection_insert(tx, c, err);
}

int store_collection_update(struct store_tx *tx, const struct store_collection *c,
                            struct crix_error *err)
{
	return tx->s->ops->collection_update(tx, c, err);
}

int store_collection_list(struct store *s, struct store_collection **out, size_t *n,
                          struct crix_error *err)
{
	return s->ops->collection_list(s, out, n, err);
}

int store_object_insert(struct store_tx *tx, struct store_object *o, struct crix_error *err)
{
	return tx->s->ops->object_insert(tx, o, err);
}

int store_object_page(struct store *s, const struct store_object_filter *f,
                      struct store_object **out, size_t *n, struct crix_error *err)
{
	return s->ops->object_page(s, f, out, n, err);
}

void store_object_array_free(struct store_object *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		free(a[i].body);
	free(a);
}

int store_object_last_added(struct store *s, char out[CLOCK_ISO_LEN + 8], struct crix_error *err)
{
	return s->ops->object_last_added(s, out, err);
}

int store_status_insert(struct store_tx *tx, const struct store_status *st, struct crix_error *err)
{
	return tx->s->ops->status_insert(tx, st, err);
}

int store_status_get(struct store *s, const char *id, struct store_status *out,
                     struct crix_error *err)
{
	return s->ops->status_get(s, id, out, err);
}

int store_shared_indicator_drop(struct store_tx *tx, const char *collection, const char *stix_id,
                                int64_t owner_org, struct crix_error *err)
{
	return tx->s->ops->shared_indicator_drop(tx, collection, stix_id, owner_org, err);
}

int store_shared_indicator_insert(struct store_tx *tx, struct store_shared_indicator *si,
                                  struct crix_error *err)
{
	return tx->s->ops->shared_indicator_insert(tx, si, err);
}

int store_shared_indicator_scan(struct store *s, int64_t after_id, size_t limit,
                                struct store_shared_indicator **out, size_t *n,
                                struct crix_error *err)
{
	return s->ops->shared_indicator_scan(s, after_id, limit, out, n, err);
}

void store_shared_indicator_array_free(struct store_shared_indicator *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		free(a[i].value);
	free(a);
}

int store_decision_insert(struct store_tx *tx, struct store_case_decision *d,
                          struct crix_error *err)
{
	return tx->s->ops->decision_insert(tx, d, err);
}

int store_decision_list(struct store *s, int64_t after, size_t limit,
                        struct store_case_decision **out, size_t *n, struct crix_error *err)
{
	return s->ops->decision_list(s, after, limit, out, n, err);
}

int store_report_brief(struct store *s, int64_t id, struct store_report *out,
                       struct crix_error *err)
{
	return s->ops->report_brief(s, id, out, err);
}

int store_report_brief_scan(struct store *s, int64_t after, size_t limit, struct store_report **out,
                            size_t *n, struct crix_error *err)
{
	return s->ops->report_brief_scan(s, after, limit, out, n, err);
}

int store_report_body(struct store *s, int64_t id, char **body, struct crix_error *err)
{
	return s->ops->report_body(s, id, body, err);
}

int store_alert_insert(struct store_tx *tx, struct store_alert *a, struct crix_error *err)
{
	return tx->s->ops->alert_insert(tx, a, err);
}

int store_alert_withdraw(struct store_tx *tx, int64_t id, const char *at, struct crix_error *err)
{
	return tx->s->ops->alert_withdraw(tx, id, at, err);
}

int store_alert_get(struct store *s, int64_t id, struct store_alert *out, struct crix_error *err)
{
	return s->ops->alert_get(s, id, out, err);
}

int store_alert_list(struct store *s, const struct store_alert_filter *f, int64_t before,
                     size_t limit, struct store_alert **out, size_t *n, struct crix_error *err)
{
	return s->ops->alert_list(s, f, before, limit, out, n, err);
}

void store_alert_clear(struct store_alert *a)
{
	if (a == NULL)
		return;
	free(a->summary);
	free(a->advice);
	free(a->indicators);
	a->summary = a->advice = a->indicators = NULL;
}

void store_alert_array_free(struct store_alert *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		store_alert_clear(&a[i]);
	free(a);
}

int store_case_id_insert(struct store_tx *tx, const struct store_case_id *ci,
                         struct crix_error *err)
{
	return tx->s->ops->case_id_insert(tx, ci, err);
}

int store_case_id_update(struct store_tx *tx, const struct store_case_id *ci,
                         struct crix_error *err)
{
	return tx->s->ops->case_id_update(tx, ci, err);
}

int store_case_id_list(struct store *s, int64_t after, size_t limit, struct store_case_id **out,
                       size_t *n, struct crix_error *err)
{
	return s->ops->case_id_list(s, after, limit, out, n, err);
}

int store_case_record_insert(struct store_tx *tx, struct store_case_record *r,
                             struct crix_error *err)
{
	return tx->s->ops->case_record_insert(tx, r, err);
}

int store_case_record_list(struct store *s, int64_t case_seq, int64_t after, size_t limit,
                           struct store_case_record **out, size_t *n, struct crix_error *err)
{
	return s->ops->case_record_list(s, case_seq, after, limit, out, n, err);
}

void store_case_record_array_free(struct store_case_record *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		free(a[i].body);
	free(a);
}

int store_sighting_insert(struct store_tx *tx, struct store_sighting *sg, struct crix_error *err)
{
	return tx->s->ops->sighting_insert(tx, sg, err);
}

int store_sighting_page(struct store *s, const char *stix_id, int64_t after_id, size_t limit,
                        struct store_sighting **out, size_t *n, struct crix_error *err)
{
	return s->ops->sighting_page(s, stix_id, after_id, limit, out, n, err);
}
