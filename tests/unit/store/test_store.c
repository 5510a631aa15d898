/*
 * test_store.c - the store (src/store/store.h) with its SQLite backend, each
 * test on a new database in a temporary directory: the migrations build the
 * schema and a reopen keeps the data; every record kind goes in and comes
 * back field for field; unique names are CRIX_EEXIST with a message naming
 * the field; the report list filters (status, category, region, time range,
 * indicator, text search with LIKE's own characters taken literally,
 * organisation) and pages; the users of one organisation read through its
 * index (EXPLAIN QUERY PLAN); a rolled-back transaction leaves nothing; and
 * readers on other threads see committed data only, never half of a
 * transaction, while a writer holds one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "unit/store/storefx.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct fx {
	char *dir;
	struct store *s;
};

static struct store *open_in(const char *dir)
{
	struct store *s = NULL;
	struct crix_error err = {0};
	if (store_open(NULL, dir, &s, &err) != 0)
		fail_msg("store_open(%s): %s", dir, err.msg);
	assert_non_null(s);
	return s;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (f == NULL || storefx_open(&f->dir, &f->s) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	storefx_close(f->dir, f->s);
	free(f);
	return 0;
}

static struct store_tx *begin(struct store *s)
{
	struct store_tx *tx = NULL;
	struct crix_error err = {0};
	if (store_tx_begin(s, &tx, &err) != 0)
		fail_msg("store_tx_begin: %s", err.msg);
	return tx;
}

static void commit(struct store_tx *tx)
{
	struct crix_error err = {0};
	if (store_tx_commit(tx, &err) != 0)
		fail_msg("store_tx_commit: %s", err.msg);
}

#define OK(call)                                                                                   \
	do {                                                                                       \
		struct crix_error err_ = {0};                                                      \
		int rc_ = (call);                                                                  \
		if (rc_ != 0)                                                                      \
			fail_msg("%s = %d: %s", #call, rc_, err_.msg);                             \
	} while (0)
#define E (&err_)

static int64_t add_org(struct store *s, const char *name, const char *kind)
{
	struct store_org o = {0};
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.kind, sizeof o.kind, "%s", kind);
	snprintf(o.country, sizeof o.country, "GB");
	snprintf(o.region, sizeof o.region, "London");
	snprintf(o.created, sizeof o.created, "2026-01-01T00:00:00.000Z");
	struct store_tx *tx = begin(s);
	OK(store_org_insert(tx, &o, E));
	commit(tx);
	assert_true(o.id > 0);
	return o.id;
}

static int64_t add_user(struct store *s, int64_t org, const char *name, const char *role)
{
	struct store_user u = {.org_id = org};
	snprintf(u.username, sizeof u.username, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.pw_hash, sizeof u.pw_hash, "$argon2id$fake");
	snprintf(u.created, sizeof u.created, "2026-01-02T00:00:00.000Z");
	struct store_tx *tx = begin(s);
	OK(store_user_insert(tx, &u, E));
	commit(tx);
	return u.id;
}

/* ---- schema ---- */

static void test_schema_and_reopen(void **state)
{
	struct fx *f = *state;
	int version = store_schema_version(f->s);
	assert_int_equal(version, 7);
	int64_t id = add_org(f->s, "Met Police", "law-enforcement");
	store_close(f->s);
	f->s = open_in(f->dir);
	assert_int_equal(store_schema_version(f->s), 7);
	struct store_org o;
	OK(store_org_get(f->s, id, &o, E));
	assert_string_equal(o.name, "Met Police");

	/* the same file by URL, both spellings */
	char url[4200];
	store_close(f->s);
	snprintf(url, sizeof url, "sqlite:%s/crix.db", f->dir);
	f->s = NULL;
	OK(store_open(url, NULL, &f->s, E));
	OK(store_org_get(f->s, id, &o, E));
	store_close(f->s);
	snprintf(url, sizeof url, "sqlite://%s/crix.db", f->dir);
	f->s = NULL;
	OK(store_open(url, "/nonexistent", &f->s, E));
	OK(store_org_get(f->s, id, &o, E));
	store_close(f->s);
	f->s = NULL;

	/* URLs that name no store */
	static const char *const bad[] = {"sqlite:",        "sqlite://", "postgres://db/crix",
	                                  "postgresql://x", "mysql://x", "crix.db"};
	for (size_t i = 0; i < COUNT(bad); i++) {
		struct store *s = (struct store *)1;
		struct crix_error err = {0};
		assert_int_equal(store_open(bad[i], f->dir, &s, &err), CRIX_EINVAL);
		assert_null(s);
		assert_true(err.msg[0] != '\0');
	}
	struct store *s = NULL;
	struct crix_error err = {0};
	assert_int_equal(store_open(NULL, NULL, &s, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "--data"));
	/* a directory that does not exist */
	char missing[4200];
	snprintf(missing, sizeof missing, "%s/no/such/dir", f->dir);
	assert_int_equal(store_open(NULL, missing, &s, &err), CRIX_EIO);
	assert_null(s);

	/* a database from a newer crix is refused, not downgraded */
	char path[4200];
	snprintf(path, sizeof path, "%s/crix.db", f->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(NULL, f->dir, &s, &err), CRIX_EINVAL);
	assert_non_null(strstr(err.msg, "newer"));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(db, pragma, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	f->s = open_in(f->dir);
	OK(store_org_get(f->s, id, &o, E));
	store_close(NULL);
}

/* ---- organisations and users ---- */

static void test_org_crud(void **state)
{
	struct fx *f = *state;
	int64_t a = add_org(f->s, "Action Fraud", "law-enforcement");
	int64_t b = add_org(f->s, "ACME Ltd", "business");
	assert_true(b > a);
	struct store_org o;
	OK(store_org_get(f->s, b, &o, E));
	assert_int_equal(o.id, b);
	assert_string_equal(o.name, "ACME Ltd");
	assert_string_equal(o.kind, "business");
	assert_string_equal(o.country, "GB");
	assert_string_equal(o.region, "London");
	assert_string_equal(o.created, "2026-01-01T00:00:00.000Z");

	/* a duplicate name: CRIX_EEXIST naming the field, nothing inserted */
	struct store_org dup = o;
	dup.id = 0;
	struct store_tx *tx = begin(f->s);
	struct crix_error err = {0};
	assert_int_equal(store_org_insert(tx, &dup, &err), CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "name"));
	assert_non_null(strstr(err.msg, "ACME Ltd"));
	store_tx_rollback(tx);

	/* update, also into a name that is taken */
	snprintf(o.region, sizeof o.region, "Leeds");
	snprintf(o.kind, sizeof o.kind, "ngo");
	tx = begin(f->s);
	OK(store_org_update(tx, &o, E));
	commit(tx);
	struct store_org got;
	OK(store_org_get(f->s, b, &got, E));
	assert_string_equal(got.region, "Leeds");
	assert_string_equal(got.kind, "ngo");
	snprintf(o.name, sizeof o.name, "Action Fraud");
	tx = begin(f->s);
	assert_int_equal(store_org_update(tx, &o, &err), CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "name"));
	store_tx_rollback(tx);
	o.id = 999;
	tx = begin(f->s);
	assert_int_equal(store_org_update(tx, &o, &err), CRIX_ENOTFOUND);
	store_tx_rollback(tx);
	assert_int_equal(store_org_get(f->s, 999, &got, &err), CRIX_ENOTFOUND);
	assert_non_null(strstr(err.msg, "organisation"));

	/* list pages by id */
	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof name, "Org %d", i);
		add_org(f->s, name, "cert");
	}
	struct store_org *list;
	size_t n;
	OK(store_org_list(f->s, 0, 100, &list, &n, E));
	assert_int_equal(n, 7);
	for (size_t i = 1; i < n; i++)
		assert_true(list[i].id > list[i - 1].id);
	int64_t third = list[2].id;
	free(list);
	OK(store_org_list(f->s, third, 2, &list, &n, E));
	assert_int_equal(n, 2);
	assert_true(list[0].id > third);
	free(list);
	OK(store_org_list(f->s, 1000, 10, &list, &n, E));
	assert_int_equal(n, 0);
	free(list);
}

static void test_user_crud(void **state)
{
	struct fx *f = *state;
	int64_t org = add_org(f->s, "Met Police", "law-enforcement");
	int64_t org2 = add_org(f->s, "NCSC", "cert");
	int64_t alice = add_user(f->s, org, "alice", "investigator");
	int64_t bob = add_user(f->s, org, "bob", "analyst");
	int64_t carol = add_user(f->s, org2, "carol", "analyst");
	struct store_user u;
	OK(store_user_get(f->s, alice, &u, E));
	assert_int_equal(u.id, alice);
	assert_int_equal(u.org_id, org);
	assert_string_equal(u.username, "alice");
	assert_string_equal(u.role, "investigator");
	assert_string_equal(u.pw_hash, "$argon2id$fake");
	assert_int_equal(u.disabled, 0);
	assert_string_equal(u.created, "2026-01-02T00:00:00.000Z");
	OK(store_user_by_name(f->s, "bob", &u, E));
	assert_int_equal(u.id, bob);
	struct crix_error err = {0};
	assert_int_equal(store_user_by_name(f->s, "Bob", &u, &err), CRIX_ENOTFOUND);
	assert_int_equal(store_user_get(f->s, 12345, &u, &err), CRIX_ENOTFOUND);

	/* a taken username */
	struct store_user dup = {.org_id = org2};
	snprintf(dup.username, sizeof dup.username, "alice");
	snprintf(dup.role, sizeof dup.role, "viewer");
	struct store_tx *tx = begin(f->s);
	assert_int_equal(store_user_insert(tx, &dup, &err), CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "username"));
	assert_non_null(strstr(err.msg, "alice"));
	store_tx_rollback(tx);

	/* update: role, password hash, disabled (the username stays) */
	OK(store_user_get(f->s, bob, &u, E));
	snprintf(u.role, sizeof u.role, "org-admin");
	snprintf(u.pw_hash, sizeof u.pw_hash, "$argon2id$other");
	u.disabled = 1;
	tx = begin(f->s);
	OK(store_user_update(tx, &u, E));
	commit(tx);
	struct store_user got;
	OK(store_user_get(f->s, bob, &got, E));
	assert_string_equal(got.role, "org-admin");
	assert_string_equal(got.pw_hash, "$argon2id$other");
	assert_int_equal(got.disabled, 1);
	assert_string_equal(got.username, "bob");
	u.id = 777;
	tx = begin(f->s);
	assert_int_equal(store_user_update(tx, &u, &err), CRIX_ENOTFOUND);
	store_tx_rollback(tx);

	/* list by organisation and in all, count by role */
	struct store_user *list;
	size_t n;
	OK(store_user_list(f->s, org, 0, 10, &list, &n, E));
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, alice);
	assert_int_equal(list[1].id, bob);
	free(list);
	OK(store_user_list(f->s, 0, 0, 10, &list, &n, E));
	assert_int_equal(n, 3);
	assert_int_equal(list[2].id, carol);
	free(list);
	OK(store_user_list(f->s, 0, alice, 1, &list, &n, E));
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, bob);
	free(list);
	OK(store_user_list(f->s, org, alice, 10, &list, &n, E));
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, bob);
	free(list);
	int64_t c = -1;
	OK(store_user_count(f->s, "", &c, E));
	assert_int_equal(c, 3);
	OK(store_user_count(f->s, "analyst", &c, E));
	assert_int_equal(c, 1);
	OK(store_user_count(f->s, "admin", &c, E));
	assert_int_equal(c, 0);
}

/* ---- tokens and sessions ---- */

static void test_tokens(void **state)
{
	struct fx *f = *state;
	int64_t org = add_org(f->s, "CERT-EU", "cert");
	int64_t uid = add_user(f->s, org, "feeds", "analyst");
	struct store_token t = {.user_id = uid};
	snprintf(t.name, sizeof t.name, "nightly feed");
	snprintf(t.hash, sizeof t.hash, "%064d", 1);
	snprintf(t.created, sizeof t.created, "2026-02-01T00:00:00.000Z");
	snprintf(t.expires, sizeof t.expires, "2027-02-01T00:00:00.000Z");
	struct store_tx *tx = begin(f->s);
	OK(store_token_insert(tx, &t, E));
	commit(tx);
	assert_true(t.id > 0);
	struct store_token got;
	OK(store_token_by_hash(f->s, t.hash, &got, E));
	assert_int_equal(got.id, t.id);
	assert_int_equal(got.user_id, uid);
	assert_string_equal(got.name, "nightly feed");
	assert_string_equal(got.created, t.created);
	assert_string_equal(got.expires, t.expires);
	assert_string_equal(got.revoked, "");
	OK(store_token_get(f->s, t.id, &got, E));
	assert_string_equal(got.hash, t.hash);
	struct crix_error err = {0};
	assert_int_equal(store_token_by_hash(f->s, "ff", &got, &err), CRIX_ENOTFOUND);

	/* the same hash twice: EEXIST naming it */
	struct store_token dup = t;
	tx = begin(f->s);
	assert_int_equal(store_token_insert(tx, &dup, &err), CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "hash"));
	store_tx_rollback(tx);

	/* a second token, the list */
	struct store_token t2 = t;
	snprintf(t2.hash, sizeof t2.hash, "%064d", 2);
	tx = begin(f->s);
	OK(store_token_insert(tx, &t2, E));
	commit(tx);
	struct store_token *list;
	size_t n;
	OK(store_token_list(f->s, uid, 0, 10, &list, &n, E));
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, t.id);
	assert_int_equal(list[1].id, t2.id);
	free(list);
	OK(store_token_list(f->s, uid, t.id, 10, &list, &n, E));
	assert_int_equal(n, 1);
	free(list);
	OK(store_token_list(f->s, uid + 1, 0, 10, &list, &n, E));
	assert_int_equal(n, 0);
	free(list);

	/* revoke once; twice or an unknown id is CRIX_ENOTFOUND */
	tx = begin(f->s);
	OK(store_token_revoke(tx, t.id, "2026-03-01T00:00:00.000Z", E));
	commit(tx);
	OK(store_token_get(f->s, t.id, &got, E));
	assert_string_equal(got.revoked, "2026-03-01T00:00:00.000Z");
	tx = begin(f->s);
	assert_int_equal(store_token_revoke(tx, t.id, "2026-03-02T00:00:00.000Z", &err),
	                 CRIX_ENOTFOUND);
	assert_non_null(strstr(err.msg, "revoked"));
	assert_int_equal(store_token_revoke(tx, 4242, "2026-03-02T00:00:00.000Z", &err),
	                 CRIX_ENOTFOUND);
	store_tx_rollback(tx);
	OK(store_token_get(f->s, t.id, &got, E));
	assert_string_equal(got.revoked, "2026-03-01T00:00:00.000Z");
}

static void test_sessions(void **state)
{
	struct fx *f = *state;
	int64_t org = add_org(f->s, "NCA", "law-enforcement");
	int64_t uid = add_user(f->s, org, "dave", "investigator");
	struct store_session live = {.user_id = uid}, old = {.user_id = uid};
	snprintf(live.id_hash, sizeof live.id_hash, "%064d", 7);
	snprintf(live.csrf, sizeof live.csrf, "c5f");
	snprintf(live.created, sizeof live.created, "2026-05-01T10:00:00.000Z");
	snprintf(live.expires, sizeof live.expires, "2026-05-01T22:00:00.000Z");
	old = live;
	snprintf(old.id_hash, sizeof old.id_hash, "%064d", 8);
	snprintf(old.expires, sizeof old.expires, "2026-04-01T22:00:00.000Z");
	struct store_tx *tx = begin(f->s);
	OK(store_session_insert(tx, &live, E));
	OK(store_session_insert(tx, &old, E));
	commit(tx);
	struct store_session got;
	OK(store_session_get(f->s, live.id_hash, &got, E));
	assert_int_equal(got.user_id, uid);
	assert_string_equal(got.csrf, "c5f");
	assert_string_equal(got.created, live.created);
	assert_string_equal(got.expires, live.expires);

	struct crix_error err = {0};
	tx = begin(f->s);
	assert_int_equal(store_session_insert(tx, &live, &err), CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "id_hash"));
	store_tx_rollback(tx);

	/* purge: only what expired before now */
	tx = begin(f->s);
	OK(store_session_purge(tx, "2026-05-01T12:00:00.000Z", E));
	commit(tx);
	OK(store_session_get(f->s, live.id_hash, &got, E));
	assert_int_equal(store_session_get(f->s, old.id_hash, &got, &err), CRIX_ENOTFOUND);
	tx = begin(f->s);
	OK(store_session_delete(tx, live.id_hash, E));
	OK(store_session_delete(tx, "not there", E));
	commit(tx);
	assert_int_equal(store_session_get(f->s, live.id_hash, &got, &err), CRIX_ENOTFOUND);
}

/* ---- reports ---- */

struct rep_spec {
	const char *ref, *status, *category, *region, *created, *body, *indicator;
	int64_t org_id;
};

/* A report row with every field set, and an indicator when given. */
static int64_t add_report(struct store *s, const struct rep_spec *sp)
{
	struct store_report r = {0};
	snprintf(r.ref, sizeof r.ref, "%s", sp->ref);
	snprintf(r.kind, sizeof r.kind, "crime");
	snprintf(r.category, sizeof r.category, "%s", sp->category);
	snprintf(r.status, sizeof r.status, "%s", sp->status);
	snprintf(r.created, sizeof r.created, "%s", sp->created);
	snprintf(r.updated, sizeof r.updated, "%s", sp->created);
	snprintf(r.occurred_start, sizeof r.occurred_start, "2025-12-01T00:00:00.000Z");
	r.loss_minor = 123456;
	snprintf(r.currency, sizeof r.currency, "GBP");
	snprintf(r.payment_method, sizeof r.payment_method, "bank-transfer");
	snprintf(r.country, sizeof r.country, "GB");
	snprintf(r.region, sizeof r.region, "%s", sp->region);
	snprintf(r.victim_type, sizeof r.victim_type, "person");
	r.vulnerable = 1;
	snprintf(r.channel, sizeof r.channel, "web");
	r.org_id = sp->org_id;
	r.user_id = 0;
	snprintf(r.secret_hash, sizeof r.secret_hash, "%064d", 42);
	r.body = (char *)sp->body;
	r.victim = "{\"name\":\"Jane\"}";
	r.advice = "[{\"id\":\"x\"}]";
	struct store_tx *tx = begin(s);
	OK(store_report_insert(tx, &r, E));
	if (sp->indicator != NULL) {
		struct store_indicator ind = {.report_id = r.id, .value = (char *)sp->indicator};
		snprintf(ind.type, sizeof ind.type, "domain");
		snprintf(ind.field, sizeof ind.field, "description");
		OK(store_indicator_insert(tx, &ind, E));
	}
	commit(tx);
	return r.id;
}

static void test_report_roundtrip(void **state)
{
	struct fx *f = *state;
	struct rep_spec sp = {"CRX26AAAAAAAA1",
	                      "received",
	                      "phishing",
	                      "Kent",
	                      "2026-01-05T09:00:00.000Z",
	                      "{\"description\":\"a \\\"quote\\\"\"}",
	                      NULL,
	                      0};
	int64_t id = add_report(f->s, &sp);
	struct store_report r;
	OK(store_report_get(f->s, "CRX26AAAAAAAA1", &r, E));
	assert_int_equal(r.id, id);
	assert_string_equal(r.ref, "CRX26AAAAAAAA1");
	assert_string_equal(r.kind, "crime");
	assert_string_equal(r.category, "phishing");
	assert_string_equal(r.status, "received");
	assert_string_equal(r.outcome, "");
	assert_string_equal(r.created, sp.created);
	assert_string_equal(r.updated, sp.created);
	assert_string_equal(r.occurred_start, "2025-12-01T00:00:00.000Z");
	assert_string_equal(r.occurred_end, "");
	assert_int_equal(r.loss_minor, 123456);
	assert_string_equal(r.currency, "GBP");
	assert_string_equal(r.payment_method, "bank-transfer");
	assert_string_equal(r.country, "GB");
	assert_string_equal(r.region, "Kent");
	assert_string_equal(r.victim_type, "person");
	assert_int_equal(r.vulnerable, 1);
	assert_string_equal(r.channel, "web");
	assert_int_equal(r.org_id, 0);
	assert_string_equal(r.body, sp.body);
	assert_string_equal(r.victim, "{\"name\":\"Jane\"}");
	assert_string_equal(r.advice, "[{\"id\":\"x\"}]");
	store_report_clear(&r);
	assert_null(r.body);
	store_report_clear(&r); /* twice is fine */
	store_report_clear(NULL);

	struct crix_error err = {0};
	assert_int_equal(store_report_get(f->s, "CRX26AAAAAAAA2", &r, &err), CRIX_ENOTFOUND);
	assert_null(r.body);

	/* a duplicate reference: CRIX_EEXIST naming the field */
	struct store_report dup = {0};
	snprintf(dup.ref, sizeof dup.ref, "CRX26AAAAAAAA1");
	struct store_tx *tx = begin(f->s);
	assert_int_equal(store_report_insert(tx, &dup, &err), CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "ref"));
	store_tx_rollback(tx);

	/* status and touch */
	OK(store_report_get(f->s, "CRX26AAAAAAAA1", &r, E));
	char was[STORE_SHORT_MAX];
	snprintf(was, sizeof was, "%s", r.status);
	store_report_clear(&r);
	/* only from the status it is in: a stale "from" is a conflict */
	tx = begin(f->s);
	assert_int_equal(store_report_set_status(tx, id, "no-such-status", "outcome", "judicial",
	                                         "2026-02-01T00:00:00.000Z", &err),
	                 CRIX_EEXIST);
	assert_string_equal(err.field, "status");
	store_tx_rollback(tx);
	tx = begin(f->s);
	OK(store_report_set_status(tx, id, was, "outcome", "judicial", "2026-02-01T00:00:00.000Z",
	                           E));
	commit(tx);
	OK(store_report_get(f->s, "CRX26AAAAAAAA1", &r, E));
	assert_string_equal(r.status, "outcome");
	assert_string_equal(r.outcome, "judicial");
	assert_string_equal(r.updated, "2026-02-01T00:00:00.000Z");
	assert_string_equal(r.created, sp.created);
	store_report_clear(&r);
	tx = begin(f->s);
	OK(store_report_touch(tx, id, "2026-02-02T00:00:00.000Z", E));
	commit(tx);
	OK(store_report_get(f->s, "CRX26AAAAAAAA1", &r, E));
	assert_string_equal(r.updated, "2026-02-02T00:00:00.000Z");
	assert_string_equal(r.status, "outcome");
	store_report_clear(&r);

	/* defaults for absent documents */
	struct store_report bare = {0};
	snprintf(bare.ref, sizeof bare.ref, "CRX26BARE00001");
	tx = begin(f->s);
	OK(store_report_insert(tx, &bare, E));
	commit(tx);
	OK(store_report_get(f->s, "CRX26BARE00001", &r, E));
	assert_string_equal(r.body, "{}");
	assert_string_equal(r.victim, "{}");
	assert_string_equal(r.advice, "[]");
	store_report_clear(&r);
}

static void test_events_indicators_evidence(void **state)
{
	struct fx *f = *state;
	struct rep_spec sp = {"CRX26EVENTS001",           "received", "phishing", "",
	                      "2026-01-01T00:00:00.000Z", "{}",       NULL,       0};
	int64_t id = add_report(f->s, &sp);
	struct store_event e1 = {
	        .report_id = id, .victim_visible = 1, .detail = "Report received."};
	snprintf(e1.at, sizeof e1.at, "2026-01-01T00:00:00.000Z");
	snprintf(e1.actor, sizeof e1.actor, "public");
	snprintf(e1.type, sizeof e1.type, "submitted");
	snprintf(e1.status, sizeof e1.status, "received");
	struct store_event e2 = {.report_id = id, .victim_visible = 0, .detail = NULL};
	snprintf(e2.at, sizeof e2.at, "2026-01-02T00:00:00.000Z");
	snprintf(e2.actor, sizeof e2.actor, "user:1:alice");
	snprintf(e2.type, sizeof e2.type, "note");
	struct store_indicator i1 = {.report_id = id, .value = "evil.example"};
	snprintf(i1.type, sizeof i1.type, "domain");
	snprintf(i1.field, sizeof i1.field, "description");
	struct store_indicator i2 = {.report_id = id, .value = "+442079460000"};
	snprintf(i2.type, sizeof i2.type, "phone");
	snprintf(i2.field, sizeof i2.field, "suspect.phones");
	struct store_evidence ev = {.report_id = id, .size = 1234};
	snprintf(ev.sha256, sizeof ev.sha256, "%064d", 9);
	snprintf(ev.mime, sizeof ev.mime, "image/png");
	snprintf(ev.name, sizeof ev.name, "screenshot.png");
	snprintf(ev.at, sizeof ev.at, "2026-01-01T00:00:01.000Z");

	struct store_tx *tx = begin(f->s);
	OK(store_event_insert(tx, &e1, E));
	OK(store_event_insert(tx, &e2, E));
	OK(store_indicator_insert(tx, &i1, E));
	OK(store_indicator_insert(tx, &i2, E));
	OK(store_evidence_insert(tx, &ev, E));
	struct store_custody c1 = {.evidence_id = ev.id}, c2 = {.evidence_id = ev.id};
	snprintf(c1.at, sizeof c1.at, "2026-01-01T00:00:01.000Z");
	snprintf(c1.actor, sizeof c1.actor, "public");
	snprintf(c1.action, sizeof c1.action, "received");
	snprintf(c1.detail, sizeof c1.detail, "uploaded");
	c2 = c1;
	snprintf(c2.action, sizeof c2.action, "viewed");
	OK(store_custody_insert(tx, &c1, E));
	OK(store_custody_insert(tx, &c2, E));
	commit(tx);
	assert_true(e2.id > e1.id);
	assert_true(ev.id > 0);

	struct store_event *evs;
	size_t n;
	OK(store_event_list(f->s, id, 100, &evs, &n, E));
	assert_int_equal(n, 2);
	assert_int_equal(evs[0].id, e1.id);
	assert_int_equal(evs[0].report_id, id);
	assert_string_equal(evs[0].at, e1.at);
	assert_string_equal(evs[0].actor, "public");
	assert_string_equal(evs[0].type, "submitted");
	assert_string_equal(evs[0].status, "received");
	assert_int_equal(evs[0].victim_visible, 1);
	assert_string_equal(evs[0].detail, "Report received.");
	assert_string_equal(evs[1].type, "note");
	assert_string_equal(evs[1].status, "");
	assert_int_equal(evs[1].victim_visible, 0);
	assert_null(evs[1].detail); /* NULL stays NULL */
	store_event_array_free(evs, n);
	OK(store_event_list(f->s, id, 1, &evs, &n, E));
	assert_int_equal(n, 1);
	store_event_array_free(evs, n);
	store_event_array_free(NULL, 0);

	struct store_indicator *inds;
	OK(store_indicator_list(f->s, id, 100, &inds, &n, E));
	assert_int_equal(n, 2);
	assert_string_equal(inds[0].type, "domain");
	assert_string_equal(inds[0].value, "evil.example");
	assert_string_equal(inds[0].field, "description");
	assert_int_equal(inds[1].report_id, id);
	assert_string_equal(inds[1].value, "+442079460000");
	assert_string_equal(inds[1].field, "suspect.phones");
	store_indicator_array_free(inds, n);
	OK(store_indicator_list(f->s, id + 1, 100, &inds, &n, E));
	assert_int_equal(n, 0);
	store_indicator_array_free(inds, n);

	struct store_evidence *files;
	OK(store_evidence_list(f->s, id, &files, &n, E));
	assert_int_equal(n, 1);
	assert_int_equal(files[0].id, ev.id);
	assert_int_equal(files[0].report_id, id);
	assert_string_equal(files[0].sha256, ev.sha256);
	assert_int_equal(files[0].size, 1234);
	assert_string_equal(files[0].mime, "image/png");
	assert_string_equal(files[0].name, "screenshot.png");
	assert_string_equal(files[0].at, ev.at);
	free(files);

	struct store_custody *cus;
	OK(store_custody_list(f->s, ev.id, &cus, &n, E));
	assert_int_equal(n, 2);
	assert_int_equal(cus[0].evidence_id, ev.id);
	assert_string_equal(cus[0].action, "received");
	assert_string_equal(cus[0].detail, "uploaded");
	assert_string_equal(cus[1].action, "viewed");
	free(cus);

	/* an event for a report that does not exist breaks a foreign key */
	struct store_event orphan = e1;
	orphan.report_id = 9999;
	struct crix_error err = {0};
	tx = begin(f->s);
	assert_int_not_equal(store_event_insert(tx, &orphan, &err), 0);
	assert_true(err.msg[0] != '\0');
	store_tx_rollback(tx);
}

/* Refs of a list result, newest first, joined by spaces. */
static void list_refs(struct store *s, const struct store_report_filter *flt, int64_t before,
                      size_t limit, char *out, size_t cap)
{
	struct store_report *rows;
	size_t n;
	OK(store_report_list(s, flt, before, limit, &rows, &n, E));
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, cap - len, "%s%s", i ? " " : "", rows[i].ref + 11);
		/* bodies come with the rows */
		assert_non_null(rows[i].body);
	}
	store_report_array_free(rows, n);
}

static void test_report_list_filters(void **state)
{
	struct fx *f = *state;
	/* refs end in a three-character tag; the list shows the tags */
	static const struct rep_spec reps[] = {
	        {"CRX26LISTS0001", "received", "phishing", "Kent", "2026-01-01T00:00:00.000Z",
	         "{\"description\":\"lost 100% of savings\"}", "evil.example", 0},
	        {"CRX26LISTS0002", "triaged", "phishing", "Essex", "2026-01-02T00:00:00.000Z",
	         "{\"description\":\"lost 100 of savings\"}", "bad.example", 7},
	        {"CRX26LISTS0003", "received", "romance-fraud", "Kent", "2026-01-03T00:00:00.000Z",
	         "{\"description\":\"user a_b wrote\"}", "evil.example", 7},
	        {"CRX26LISTS0004", "closed", "ransomware", "Kent", "2026-01-04T00:00:00.000Z",
	         "{\"description\":\"user axb wrote\"}", NULL, 8},
	        {"CRX26LISTS0005", "received", "phishing", "", "2026-01-05T00:00:00.000Z",
	         "{\"description\":\"back\\\\slash and Caf\\u00e9\"}", NULL, 0},
	};
	int64_t ids[COUNT(reps)];
	for (size_t i = 0; i < COUNT(reps); i++)
		ids[i] = add_report(f->s, &reps[i]);
	char got[256];
	static const struct {
		struct store_report_filter f;
		const char *want;
	} cases[] = {
	        {{.status = ""}, "005 004 003 002 001"},
	        {{.status = "received"}, "005 003 001"},
	        {{.status = "outcome"}, ""},
	        {{.category = "phishing"}, "005 002 001"},
	        {{.region = "Kent"}, "004 003 001"},
	        {{.region = "kent"}, ""},
	        {{.from = "2026-01-02T00:00:00.000Z"}, "005 004 003 002"},
	        {{.to = "2026-01-02T00:00:00.000Z"}, "001"},
	        {{.from = "2026-01-02T00:00:00.000Z", .to = "2026-01-04T00:00:00.000Z"}, "003 002"},
	        {{.indicator = "evil.example"}, "003 001"},
	        {{.indicator = "nothing.example"}, ""},
	        {{.indicator = ""}, ""},
	        {{.text = "savings"}, "002 001"},
	        {{.text = "100%"}, "001"},
	        {{.text = "%"}, "001"},
	        {{.text = "a_b"}, "003"},
	        {{.text = "_"}, "003"},
	        {{.text = "\\\\"}, "005"}, /* the JSON body holds back\\slash */
	        {{.text = "nowhere"}, ""},
	        {{.text = ""}, "005 004 003 002 001"},
	        {{.org_id = 7}, "003 002"},
	        {{.org_id = 8}, "004"},
	        {{.status = "received", .region = "Kent", .category = "phishing"}, "001"},
	        {{.org_id = 7, .indicator = "evil.example"}, "003"},
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		list_refs(f->s, &cases[i].f, 0, 100, got, sizeof got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].want);
	}
	/* paging: newest first, before an id, limit */
	struct store_report_filter all = {.status = ""};
	list_refs(f->s, &all, 0, 2, got, sizeof got);
	assert_string_equal(got, "005 004");
	list_refs(f->s, &all, ids[3], 2, got, sizeof got);
	assert_string_equal(got, "003 002");
	list_refs(f->s, &all, ids[1], 2, got, sizeof got);
	assert_string_equal(got, "001");
	list_refs(f->s, &all, ids[0], 2, got, sizeof got);
	assert_string_equal(got, "");
	list_refs(f->s, &all, 0, 0, got, sizeof got);
	assert_string_equal(got, "");
	struct store_report_filter rec = {.status = "received"};
	list_refs(f->s, &rec, ids[4], 1, got, sizeof got);
	assert_string_equal(got, "003");
}

/* ---- transactions ---- */

static void test_rollback_leaves_nothing(void **state)
{
	struct fx *f = *state;
	int64_t org = add_org(f->s, "Kept", "cert");
	struct store_tx *tx = begin(f->s);
	struct store_org o = {0};
	snprintf(o.name, sizeof o.name, "Gone");
	snprintf(o.kind, sizeof o.kind, "cert");
	OK(store_org_insert(tx, &o, E));
	struct store_user u = {.org_id = o.id};
	snprintf(u.username, sizeof u.username, "ghost");
	snprintf(u.role, sizeof u.role, "viewer");
	OK(store_user_insert(tx, &u, E));
	struct store_org kept;
	OK(store_org_get(f->s, org, &kept, E));
	snprintf(kept.region, sizeof kept.region, "changed");
	OK(store_org_update(tx, &kept, E));
	struct store_audit a = {0};
	snprintf(a.prev_hash, sizeof a.prev_hash, "00");
	snprintf(a.hash, sizeof a.hash, "11");
	OK(store_audit_insert(tx, &a, E));
	store_tx_rollback(tx);

	struct crix_error err = {0};
	struct store_org got;
	assert_int_equal(store_org_get(f->s, o.id, &got, &err), CRIX_ENOTFOUND);
	struct store_user gu;
	assert_int_equal(store_user_by_name(f->s, "ghost", &gu, &err), CRIX_ENOTFOUND);
	OK(store_org_get(f->s, org, &got, E));
	assert_string_equal(got.region, "London");
	struct store_audit *al;
	size_t n;
	OK(store_audit_list(f->s, 0, 10, &al, &n, E));
	assert_int_equal(n, 0);
	store_audit_array_free(al, n);
	store_tx_rollback(NULL);

	/* the writer is free again, and the name that was rolled back is too */
	add_org(f->s, "Gone", "cert");
	/* a failed statement inside a transaction can be rolled back as well */
	tx = begin(f->s);
	struct store_org dup = {0};
	snprintf(dup.name, sizeof dup.name, "Kept");
	assert_int_equal(store_org_insert(tx, &dup, &err), CRIX_EEXIST);
	store_tx_rollback(tx);
	add_org(f->s, "After", "cert");
}

/* Readers on other threads while the writer holds a transaction. */
struct reader_arg {
	struct store *s;
	atomic_int *stop;
	int64_t pending_id; /* inserted, not committed: never visible */
	int rounds;
	int bad; /* what went wrong, for the main thread to report */
	char why[128];
};

static void *read_committed(void *p)
{
	struct reader_arg *a = p;
	for (int i = 0; i < a->rounds; i++) {
		struct store_org o;
		struct crix_error err = {0};
		int rc = store_org_get(a->s, a->pending_id, &o, &err);
		if (rc != CRIX_ENOTFOUND) {
			a->bad = 1;
			snprintf(a->why, sizeof a->why, "uncommitted org visible: rc %d", rc);
			return NULL;
		}
		struct store_org *list;
		size_t n;
		if (store_org_list(a->s, 0, 100, &list, &n, &err) != 0 || n != 1) {
			a->bad = 1;
			snprintf(a->why, sizeof a->why, "list: %zu orgs, want 1 (%.60s)", n,
			         err.msg);
			free(list);
			return NULL;
		}
		free(list);
	}
	return NULL;
}

static void test_readers_see_committed_only(void **state)
{
	struct fx *f = *state;
	add_org(f->s, "Committed", "cert");
	struct store_tx *tx = begin(f->s);
	struct store_org o = {0};
	snprintf(o.name, sizeof o.name, "Pending");
	snprintf(o.kind, sizeof o.kind, "cert");
	OK(store_org_insert(tx, &o, E));
	/* more threads than reader connections, so that some wait for one */
	enum { N = 12 };
	pthread_t th[N];
	struct reader_arg args[N];
	atomic_int stop = 0;
	for (int i = 0; i < N; i++) {
		args[i] = (struct reader_arg){
		        .s = f->s, .stop = &stop, .pending_id = o.id, .rounds = 50};
		assert_int_equal(pthread_create(&th[i], NULL, read_committed, &args[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		if (args[i].bad)
			fail_msg("reader %d: %s", i, args[i].why);
	}
	commit(tx);
	struct store_org got;
	OK(store_org_get(f->s, o.id, &got, E));
	assert_string_equal(got.name, "Pending");
}

/* A writer commits pairs of organisations; readers must always see an even
 * number (never half a transaction) that never goes down. */
struct pair_writer {
	struct store *s;
	int pairs;
	atomic_int *done;
	int rc;
	char why[CRIX_ERRMSG_MAX];
};

static void *write_pairs(void *p)
{
	struct pair_writer *w = p;
	for (int i = 0; i < w->pairs && w->rc == 0; i++) {
		struct store_tx *tx;
		struct crix_error err = {0};
		if ((w->rc = store_tx_begin(w->s, &tx, &err)) != 0) {
			snprintf(w->why, sizeof w->why, "%s", err.msg);
			break;
		}
		for (int k = 0; k < 2 && w->rc == 0; k++) {
			struct store_org o = {0};
			snprintf(o.name, sizeof o.name, "pair %d.%d", i, k);
			snprintf(o.kind, sizeof o.kind, "cert");
			w->rc = store_org_insert(tx, &o, &err);
		}
		if (w->rc == 0)
			w->rc = store_tx_commit(tx, &err);
		else
			store_tx_rollback(tx);
		if (w->rc != 0)
			snprintf(w->why, sizeof w->why, "%s", err.msg);
	}
	atomic_store(w->done, 1);
	return NULL;
}

struct pair_reader {
	struct store *s;
	atomic_int *done;
	int bad;
	char why[128];
	long seen;
};

static void *read_pairs(void *p)
{
	struct pair_reader *r = p;
	size_t last = 0;
	for (;;) {
		int finished = atomic_load(r->done);
		struct store_org *list;
		size_t n;
		struct crix_error err = {0};
		if (store_org_list(r->s, 0, 100000, &list, &n, &err) != 0) {
			r->bad = 1;
			snprintf(r->why, sizeof r->why, "list: %.100s", err.msg);
			return NULL;
		}
		free(list);
		if (n % 2 != 0 || n < last) {
			r->bad = 1;
			snprintf(r->why, sizeof r->why, "saw %zu orgs after %zu", n, last);
			return NULL;
		}
		last = n;
		r->seen++;
		if (finished)
			return NULL;
	}
}

static void test_readers_never_see_half_a_transaction(void **state)
{
	struct fx *f = *state;
	enum { R = 4 };
	atomic_int done = 0;
	struct pair_writer w = {.s = f->s, .pairs = 60, .done = &done};
	struct pair_reader rd[R];
	pthread_t wt, rt[R];
	for (int i = 0; i < R; i++) {
		rd[i] = (struct pair_reader){.s = f->s, .done = &done};
		assert_int_equal(pthread_create(&rt[i], NULL, read_pairs, &rd[i]), 0);
	}
	assert_int_equal(pthread_create(&wt, NULL, write_pairs, &w), 0);
	pthread_join(wt, NULL);
	for (int i = 0; i < R; i++)
		pthread_join(rt[i], NULL);
	if (w.rc != 0)
		fail_msg("writer: %d %s", w.rc, w.why);
	for (int i = 0; i < R; i++) {
		if (rd[i].bad)
			fail_msg("reader %d: %s", i, rd[i].why);
		assert_true(rd[i].seen > 0);
	}
	struct store_org *list;
	size_t n;
	OK(store_org_list(f->s, 0, 1000, &list, &n, E));
	assert_int_equal(n, 120);
	free(list);
}

/* ---- audit rows ---- */

static void test_audit_rows(void **state)
{
	struct fx *f = *state;
	struct store_tx *tx = begin(f->s);
	struct store_audit last;
	struct crix_error err = {0};
	assert_int_equal(store_audit_last(tx, &last, &err), CRIX_ENOTFOUND);
	for (int i = 0; i < 3; i++) {
		struct store_audit a = {0};
		snprintf(a.at, sizeof a.at, "2026-01-01T00:00:0%c.000Z", (char)('0' + i));
		snprintf(a.actor, sizeof a.actor, "cli");
		snprintf(a.action, sizeof a.action, "test.%d", i);
		snprintf(a.object_type, sizeof a.object_type, "org");
		snprintf(a.object_id, sizeof a.object_id, "%d", i);
		a.detail = i == 1 ? NULL : "detail";
		snprintf(a.prev_hash, sizeof a.prev_hash, "p%d", i);
		snprintf(a.hash, sizeof a.hash, "h%d", i);
		OK(store_audit_insert(tx, &a, E));
		assert_int_equal(a.id, i + 1);
	}
	OK(store_audit_last(tx, &last, E));
	assert_int_equal(last.id, 3);
	assert_string_equal(last.hash, "h2");
	free(last.detail);
	commit(tx);
	struct store_audit *al;
	size_t n;
	OK(store_audit_list(f->s, 1, 10, &al, &n, E));
	assert_int_equal(n, 2);
	assert_int_equal(al[0].id, 2);
	assert_null(al[0].detail);
	assert_string_equal(al[0].action, "test.1");
	assert_string_equal(al[1].detail, "detail");
	assert_string_equal(al[1].prev_hash, "p2");
	assert_string_equal(al[1].object_type, "org");
	assert_string_equal(al[1].object_id, "2");
	store_audit_array_free(al, n);
}

/* ---- analysts' decisions and brief reports ---- */

static void test_case_decisions(void **state)
{
	struct fx *f = *state;
	int64_t r1 = add_report(f->s, &(struct rep_spec){"CRX26AAAAAAAA1", "received", "phishing",
	                                                 "London", "2026-01-05T00:00:00.000Z", "{}",
	                                                 NULL, 0});
	int64_t r2 =
	        add_report(f->s, &(struct rep_spec){"CRX26AAAAAAAA2", "triaged", "phishing", "Kent",
	                                            "2026-01-06T00:00:00.000Z", "{}", NULL, 0});
	static const char *const kinds[] = {"exclude", "link", "detach", "confirm"};
	struct store_tx *tx = begin(f->s);
	for (size_t i = 0; i < COUNT(kinds); i++) {
		struct store_case_decision d = {.report_id = r1, .other_id = i == 1 ? r2 : 0};
		snprintf(d.at, sizeof d.at, "2026-02-0%zuT00:00:00.000Z", i + 1);
		snprintf(d.actor, sizeof d.actor, "user:2:ann");
		snprintf(d.kind, sizeof d.kind, "%s", kinds[i]);
		snprintf(d.type, sizeof d.type, "phone");
		snprintf(d.value, sizeof d.value, "+4477009000%02zu", i);
		snprintf(d.note, sizeof d.note, "reason %zu", i);
		OK(store_decision_insert(tx, &d, E));
		assert_true(d.id > 0);
	}
	commit(tx);
	/* rolled back: not kept */
	tx = begin(f->s);
	struct store_case_decision gone = {.report_id = r2};
	snprintf(gone.kind, sizeof gone.kind, "detach");
	OK(store_decision_insert(tx, &gone, E));
	store_tx_rollback(tx);
	/* pages in id order, survive a reopen */
	store_close(f->s);
	f->s = open_in(f->dir);
	struct store_case_decision *d;
	size_t n;
	OK(store_decision_list(f->s, 0, 3, &d, &n, E));
	assert_int_equal(n, 3);
	assert_string_equal(d[0].kind, "exclude");
	assert_string_equal(d[1].kind, "link");
	assert_int_equal(d[1].other_id, r2);
	assert_string_equal(d[2].value, "+447700900002");
	assert_string_equal(d[2].note, "reason 2");
	int64_t last = d[2].id;
	free(d);
	OK(store_decision_list(f->s, last, 10, &d, &n, E));
	assert_int_equal(n, 1);
	assert_string_equal(d[0].kind, "confirm");
	assert_string_equal(d[0].actor, "user:2:ann");
	free(d);

	/* brief: fields without documents */
	struct store_report r;
	OK(store_report_brief(f->s, r2, &r, E));
	assert_string_equal(r.ref, "CRX26AAAAAAAA2");
	assert_string_equal(r.region, "Kent");
	assert_int_equal(r.loss_minor, 123456);
	assert_null(r.body);
	assert_null(r.victim);
	store_report_clear(&r);
	struct crix_error err = {0};
	assert_int_equal(store_report_brief(f->s, 999, &r, &err), CRIX_ENOTFOUND);
	struct store_report *a;
	OK(store_report_brief_scan(f->s, 0, 1, &a, &n, E));
	assert_int_equal(n, 1);
	assert_int_equal(a[0].id, r1);
	store_report_array_free(a, n);
	OK(store_report_brief_scan(f->s, r1, 10, &a, &n, E));
	assert_int_equal(n, 1);
	assert_int_equal(a[0].id, r2);
	store_report_array_free(a, n);
	/* the body alone (an export reads consents from it) */
	char *body = NULL;
	OK(store_report_body(f->s, r2, &body, E));
	assert_non_null(body);
	OK(store_report_get(f->s, "CRX26AAAAAAAA2", &r, E));
	assert_string_equal(body, r.body);
	store_report_clear(&r);
	free(body);
	assert_int_equal(store_report_body(f->s, 999, &body, &err), CRIX_ENOTFOUND);
	assert_null(body);
}

/* ---- alerts ---- */

static int64_t add_alert(struct store *s, const char *title, const char *category, int tlp,
                         int64_t org, const char *expires)
{
	struct store_alert a = {.tlp = tlp, .org_id = org, .user_id = 7};
	snprintf(a.title, sizeof a.title, "%s", title);
	snprintf(a.category, sizeof a.category, "%s", category);
	snprintf(a.status, sizeof a.status, "published");
	snprintf(a.org_name, sizeof a.org_name, "Org %lld", (long long)org);
	snprintf(a.author, sizeof a.author, "ann");
	snprintf(a.published, sizeof a.published, "2026-05-01T00:00:00.000Z");
	snprintf(a.expires, sizeof a.expires, "%s", expires);
	a.summary = "summary";
	a.advice = "advice\nline two";
	a.indicators = "[{\"type\":\"domain\",\"value\":\"evil.example\"}]";
	struct store_tx *tx = begin(s);
	OK(store_alert_insert(tx, &a, E));
	commit(tx);
	assert_true(a.id > 0);
	return a.id;
}

static size_t list_ids(struct store *s, const struct store_alert_filter *flt, int64_t before,
                       size_t limit, int64_t *ids)
{
	struct store_alert *a;
	size_t n;
	OK(store_alert_list(s, flt, before, limit, &a, &n, E));
	for (size_t i = 0; i < n; i++)
		ids[i] = a[i].id;
	store_alert_array_free(a, n);
	return n;
}

static void test_alerts(void **state)
{
	struct fx *f = *state;
	int64_t a1 = add_alert(f->s, "Parcel texts", "phishing", 1, 2, "");
	int64_t a2 = add_alert(f->s, "Fake investments", "investment-fraud", 2, 2, "");
	int64_t a3 = add_alert(f->s, "Old one", "phishing", 1, 3, "2026-06-01T00:00:00.000Z");

	/* field for field */
	struct store_alert g;
	OK(store_alert_get(f->s, a2, &g, E));
	assert_string_equal(g.title, "Fake investments");
	assert_string_equal(g.category, "investment-fraud");
	assert_int_equal(g.tlp, 2);
	assert_string_equal(g.status, "published");
	assert_int_equal(g.org_id, 2);
	assert_int_equal(g.user_id, 7);
	assert_string_equal(g.org_name, "Org 2");
	assert_string_equal(g.author, "ann");
	assert_string_equal(g.published, "2026-05-01T00:00:00.000Z");
	assert_string_equal(g.expires, "");
	assert_string_equal(g.withdrawn, "");
	assert_string_equal(g.summary, "summary");
	assert_string_equal(g.advice, "advice\nline two");
	assert_string_equal(g.indicators, "[{\"type\":\"domain\",\"value\":\"evil.example\"}]");
	store_alert_clear(&g);
	struct crix_error err = {0};
	assert_int_equal(store_alert_get(f->s, 999, &g, &err), CRIX_ENOTFOUND);

	/* current ones, newest first; the expired one only for its org */
	int64_t ids[8];
	struct store_alert_filter flt = {.now = "2026-07-01T00:00:00.000Z"};
	assert_int_equal(list_ids(f->s, &flt, 0, 10, ids), 2);
	assert_int_equal(ids[0], a2);
	assert_int_equal(ids[1], a1);
	flt.also_org = 3;
	assert_int_equal(list_ids(f->s, &flt, 0, 10, ids), 3);
	assert_int_equal(ids[0], a3);
	flt.also_org = 0;
	flt.now = "2026-05-15T00:00:00.000Z"; /* before a3 expires */
	assert_int_equal(list_ids(f->s, &flt, 0, 10, ids), 3);
	/* TLP narrowing, category, paging */
	flt.max_tlp = 1;
	assert_int_equal(list_ids(f->s, &flt, 0, 10, ids), 2);
	assert_int_equal(ids[0], a3);
	flt.max_tlp = 0;
	snprintf(flt.category, sizeof flt.category, "phishing");
	assert_int_equal(list_ids(f->s, &flt, 0, 10, ids), 2);
	flt.category[0] = '\0';
	assert_int_equal(list_ids(f->s, &flt, 0, 2, ids), 2);
	assert_int_equal(list_ids(f->s, &flt, ids[1], 2, ids), 1);
	assert_int_equal(ids[0], a1);

	/* withdraw once; again is CRIX_EEXIST, unknown CRIX_ENOTFOUND */
	struct store_tx *tx = begin(f->s);
	OK(store_alert_withdraw(tx, a1, "2026-05-02T00:00:00.000Z", E));
	commit(tx);
	OK(store_alert_get(f->s, a1, &g, E));
	assert_string_equal(g.status, "withdrawn");
	assert_string_equal(g.withdrawn, "2026-05-02T00:00:00.000Z");
	store_alert_clear(&g);
	tx = begin(f->s);
	assert_int_equal(store_alert_withdraw(tx, a1, "2026-05-03T00:00:00.000Z", &err),
	                 CRIX_EEXIST);
	assert_int_equal(store_alert_withdraw(tx, 999, "2026-05-03T00:00:00.000Z", &err),
	                 CRIX_ENOTFOUND);
	store_tx_rollback(tx);
	assert_int_equal(list_ids(f->s, &flt, 0, 10, ids), 2);
	flt.also_org = 2;
	assert_int_equal(list_ids(f->s, &flt, 0, 10, ids), 3);
}

/* ---- stable case ids and case records ---- */

static void test_case_ids_and_records(void **state)
{
	struct fx *f = *state;
	struct store_tx *tx;
	struct store_case_id a = {.seq = 1, .report_id = 7}, b = {.seq = 2, .report_id = 9};
	snprintf(a.name, sizeof a.name, "CASE-2026-000001");
	snprintf(b.name, sizeof b.name, "CASE-2026-000002");
	clock_now_iso(a.created);
	clock_now_iso(b.created);
	OK(store_tx_begin(f->s, &tx, E));
	OK(store_case_id_insert(tx, &a, E));
	OK(store_case_id_insert(tx, &b, E));
	OK(store_tx_commit(tx, E));
	/* the same seq or name again is refused, and nothing of it stays */
	struct crix_error err = {0};
	OK(store_tx_begin(f->s, &tx, E));
	assert_int_equal(store_case_id_insert(tx, &a, &err), CRIX_EEXIST);
	store_tx_rollback(tx);
	b.merged_into = 1;
	b.report_id = 8;
	OK(store_tx_begin(f->s, &tx, E));
	OK(store_case_id_update(tx, &b, E));
	OK(store_tx_commit(tx, E));
	struct store_case_id *ids;
	size_t n;
	OK(store_case_id_list(f->s, 0, 10, &ids, &n, E));
	assert_int_equal(n, 2);
	assert_string_equal(ids[1].name, "CASE-2026-000002");
	assert_int_equal(ids[1].merged_into, 1);
	assert_int_equal(ids[1].report_id, 8);
	free(ids);
	OK(store_case_id_list(f->s, 1, 10, &ids, &n, E));
	assert_int_equal(n, 1);
	free(ids);

	/* records by case and all of them, by id; bodies kept verbatim */
	OK(store_tx_begin(f->s, &tx, E));
	for (int i = 0; i < 3; i++) {
		struct store_case_record r = {.case_seq = i == 2 ? 2 : 1, .org_id = i};
		snprintf(r.kind, sizeof r.kind, "%s", i ? "dissemination" : "review");
		clock_now_iso(r.at);
		snprintf(r.actor, sizeof r.actor, "user:2:ann");
		r.body = i ? "{\"x\":1}" : "{\"viable\":true}";
		OK(store_case_record_insert(tx, &r, E));
		assert_true(r.id > 0);
	}
	OK(store_tx_commit(tx, E));
	struct store_case_record *recs;
	OK(store_case_record_list(f->s, 1, 0, 10, &recs, &n, E));
	assert_int_equal(n, 2);
	assert_string_equal(recs[0].kind, "review");
	assert_string_equal(recs[0].body, "{\"viable\":true}");
	assert_int_equal(recs[1].org_id, 1);
	int64_t last = recs[0].id;
	store_case_record_array_free(recs, n);
	OK(store_case_record_list(f->s, 0, last, 10, &recs, &n, E));
	assert_int_equal(n, 2);
	assert_int_equal(recs[1].case_seq, 2);
	store_case_record_array_free(recs, n);
	store_case_record_array_free(NULL, 0);
}

/* Sightings: stored as given, paged by indicator or all, a duplicate STIX
 * id refused, a rolled-back one not kept. */
static void test_sightings(void **state)
{
	struct fx *f = *state;
	struct store_tx *tx = begin(f->s);
	for (int i = 0; i < 3; i++) {
		struct store_sighting sg = {
		        .owner_org = 2, .org_id = 3 + i, .user_id = 9, .count = 10 + i};
		snprintf(sg.sid, sizeof sg.sid, "sighting--0000000%d-0000-4000-8000-000000000000",
		         i);
		snprintf(sg.collection, sizeof sg.collection, "c1");
		snprintf(sg.stix_id, sizeof sg.stix_id, "indicator--%c", i == 2 ? 'b' : 'a');
		snprintf(sg.first_seen, sizeof sg.first_seen, "2026-01-0%dT00:00:00Z", i + 1);
		snprintf(sg.last_seen, sizeof sg.last_seen, "2026-02-0%dT00:00:00Z", i + 1);
		snprintf(sg.place, sizeof sg.place, "mail gateway %d", i);
		snprintf(sg.observed, sizeof sg.observed, "%s", i ? "" : "observed-data--x");
		snprintf(sg.created, sizeof sg.created, "2026-03-01T00:00:00Z");
		OK(store_sighting_insert(tx, &sg, E));
		assert_true(sg.id > 0);
	}
	commit(tx);
	tx = begin(f->s);
	struct store_sighting dup = {.count = 1};
	snprintf(dup.sid, sizeof dup.sid, "sighting--00000000-0000-4000-8000-000000000000");
	struct crix_error err = {0};
	assert_int_not_equal(store_sighting_insert(tx, &dup, &err), 0);
	store_tx_rollback(tx);
	struct store_sighting *a;
	size_t n;
	OK(store_sighting_page(f->s, "indicator--a", 0, 10, &a, &n, E));
	assert_int_equal(n, 2);
	assert_int_equal(a[0].count, 10);
	assert_int_equal(a[1].org_id, 4);
	assert_string_equal(a[0].place, "mail gateway 0");
	assert_string_equal(a[0].observed, "observed-data--x");
	assert_string_equal(a[1].last_seen, "2026-02-02T00:00:00Z");
	int64_t after = a[0].id;
	free(a);
	OK(store_sighting_page(f->s, "indicator--a", after, 10, &a, &n, E));
	assert_int_equal(n, 1);
	free(a);
	OK(store_sighting_page(f->s, NULL, 0, 2, &a, &n, E));
	assert_int_equal(n, 2);
	free(a);
	OK(store_sighting_page(f->s, NULL, 0, 10, &a, &n, E));
	assert_int_equal(n, 3);
	assert_string_equal(a[2].stix_id, "indicator--b");
	free(a);
}

/* ---- migration 7: versions ordered as instants ---- */

static void put_version(struct store *s, const char *version, int64_t row_marker)
{
	struct store_object o = {.tlp = 1, .owner_org = row_marker};
	snprintf(o.collection, sizeof o.collection, "coll-1");
	snprintf(o.stix_id, sizeof o.stix_id, "indicator--1");
	snprintf(o.type, sizeof o.type, "indicator");
	snprintf(o.spec_version, sizeof o.spec_version, "2.1");
	snprintf(o.version, sizeof o.version, "%s", version);
	snprintf(o.added, sizeof o.added, "2026-01-01T00:00:0%lld.000000Z", (long long)row_marker);
	snprintf(o.source, sizeof o.source, "post");
	o.body = "{}";
	struct store_tx *tx = begin(s);
	OK(store_object_insert(tx, &o, E));
	commit(tx);
}

/* The version latest_only picks: 1 the newest, -1 the oldest. */
static void assert_picks(struct store *s, int latest_only, const char *want)
{
	struct store_object_filter flt = {.collection = "coll-1",
	                                  .stix_id = "indicator--1",
	                                  .latest_only = latest_only,
	                                  .limit = 10};
	struct store_object *a;
	size_t n;
	OK(store_object_page(s, &flt, &a, &n, E));
	assert_int_equal(n, 1);
	assert_string_equal(a[0].version, want);
	store_object_array_free(a, n);
}

static void test_versions_by_instant(void **state)
{
	struct fx *f = *state;
	/* as text "...00Z" sorts last; as time it is the oldest */
	put_version(f->s, "2026-01-01T00:00:00.5Z", 1);
	put_version(f->s, "2026-01-01T00:00:00Z", 2);
	put_version(f->s, "2026-01-01T00:00:00.75Z", 3);
	assert_picks(f->s, 1, "2026-01-01T00:00:00.75Z");
	assert_picks(f->s, -1, "2026-01-01T00:00:00Z");

	/* rows stored at schema 6 (no version_us) are filled by migration 7 */
	store_close(f->s);
	f->s = NULL;
	char path[4200];
	snprintf(path, sizeof path, "%s/crix.db", f->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "DROP INDEX stix_objects_versions;"
	                              "ALTER TABLE stix_objects DROP COLUMN version_us;"
	                              "PRAGMA user_version = 6;",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	f->s = open_in(f->dir);
	assert_int_equal(store_schema_version(f->s), 7);
	assert_picks(f->s, 1, "2026-01-01T00:00:00.75Z");
	assert_picks(f->s, -1, "2026-01-01T00:00:00Z");
	struct store_object_filter all = {.collection = "coll-1", .limit = 10};
	struct store_object *a;
	size_t n;
	OK(store_object_page(f->s, &all, &a, &n, E));
	assert_int_equal(n, 3);
	assert_int_equal(a[0].version_us, 1767225600500000LL);
	assert_int_equal(a[1].version_us, 1767225600000000LL);
	assert_int_equal(a[2].version_us, 1767225600750000LL);
	store_object_array_free(a, n);
}

/* The users of one organisation are read through its index (the directory
 * lists a caller's organisations' users an organisation at a time), not by
 * walking every user; the list of all users walks the primary key. */
static void test_user_list_plans(void **state)
{
	struct fx *f = *state;
	char plan[512];
	OK(store_sqlite_plan(f->s, "FROM users WHERE org_id = ?", plan, sizeof plan, E));
	if (strstr(plan, "USING INDEX users_org (org_id=? AND rowid>?)") == NULL ||
	    strstr(plan, "TEMP B-TREE") != NULL)
		fail_msg("the users of one organisation: %s", plan);
	OK(store_sqlite_plan(f->s, "FROM users WHERE id > ?", plan, sizeof plan, E));
	if (strstr(plan, "USING INTEGER PRIMARY KEY (rowid>?)") == NULL)
		fail_msg("every user: %s", plan);
	struct crix_error err = {0};
	assert_int_equal(store_sqlite_plan(f->s, "FROM nowhere", plan, sizeof plan, &err),
	                 CRIX_ENOTFOUND);
	assert_int_equal(store_sqlite_plan(f->s, "FROM users", plan, sizeof plan, &err),
	                 CRIX_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_schema_and_reopen, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_org_crud, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_user_crud, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_user_list_plans, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_report_roundtrip, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_events_indicators_evidence, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_report_list_filters, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_readers_see_committed_only, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_readers_never_see_half_a_transaction, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_audit_rows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_case_decisions, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_alerts, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_case_ids_and_records, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sightings, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_versions_by_instant, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
