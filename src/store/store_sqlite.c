/*
 * store_sqlite.c - the SQLite backend of store.h.
 *
 * One writer connection (SQLite has one writer anyway) and a small pool of
 * reader connections, so that reads never wait for a commit: in WAL mode
 * readers see the last committed state.  synchronous=FULL makes every commit
 * durable before it returns (an fsync of the WAL).
 *
 * Group commit: the fsync, not the SQL, is what a write transaction mostly
 * waits for, so transactions that arrive while one commits share the next
 * fsync.  Each logical transaction (store_tx_begin ... commit) is a SAVEPOINT
 * inside one outer BEGIN IMMEDIATE, the batch; transactions still run one at
 * a time on the writer connection (the `busy` flag), so each sees the ones
 * before it as any serialised transaction would.  store_tx_commit releases
 * the savepoint, and then either leaves the COMMIT to a transaction that is
 * waiting to run (it joins the batch) or, when none waits, the batch is 1 ms
 * old or holds GROUP_MAX transactions, runs the COMMIT itself as the batch's
 * leader.  Every member's store_tx_commit returns only after the COMMIT that
 * holds its work has returned, with that COMMIT's result: 0 means durable.  A
 * member that rolls back undoes its savepoint only.  The outer transaction
 * never stays open while no transaction runs or waits, so other processes
 * (crix admin) get the database between batches.
 *
 * Every statement is prepared once per connection (SQLITE_PREPARE_PERSISTENT)
 * from the table below and reused; nothing builds SQL from input.
 */
#include "store/store_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The schema, one migration per entry; entry i takes the schema from version i
 * to i + 1.  Never edit an applied migration: add one.  Only portable SQL
 * (types, constraints, indexes) so that the PostgreSQL backend can share it. */
static const char *const migrations[] = {
        /* 1: accounts, reports, indicators, evidence, audit */
        "CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
        " kind TEXT NOT NULL, country TEXT NOT NULL, region TEXT NOT NULL,"
        " created TEXT NOT NULL);"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id),"
        " username TEXT NOT NULL UNIQUE, role TEXT NOT NULL, pw_hash TEXT NOT NULL,"
        " disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);"
        "CREATE INDEX users_org ON users(org_id);"
        "CREATE TABLE tokens (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES "
        "users(id),"
        " name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created TEXT NOT NULL,"
        " expires TEXT NOT NULL, revoked TEXT NOT NULL);"
        "CREATE INDEX tokens_user ON tokens(user_id);"
        "CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL"
        " REFERENCES users(id), csrf TEXT NOT NULL, created TEXT NOT NULL, expires TEXT NOT NULL);"
        "CREATE TABLE reports (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,"
        " kind TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL,"
        " outcome TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,"
        " occurred_start TEXT NOT NULL, occurred_end TEXT NOT NULL, loss_minor BIGINT NOT NULL,"
        " currency TEXT NOT NULL, payment_method TEXT NOT NULL, country TEXT NOT NULL,"
        " region TEXT NOT NULL, victim_type TEXT NOT NULL, vulnerable INTEGER NOT NULL,"
        " channel TEXT NOT NULL, org_id BIGINT NOT NULL, user_id BIGINT NOT NULL,"
        " secret_hash TEXT NOT NULL, body TEXT NOT NULL, victim TEXT NOT NULL,"
        " advice TEXT NOT NULL);"
        "CREATE INDEX reports_status ON reports(status);"
        "CREATE INDEX reports_created ON reports(created);"
        "CREATE TABLE report_events (id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL"
        " REFERENCES reports(id), at TEXT NOT NULL, actor TEXT NOT NULL, type TEXT NOT NULL,"
        " status TEXT NOT NULL, victim_visible INTEGER NOT NULL, detail TEXT);"
        "CREATE INDEX report_events_report ON report_events(report_id);"
        "CREATE TABLE indicators (id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL"
        " REFERENCES reports(id), type TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);"
        "CREATE INDEX indicators_value ON indicators(value);"
        "CREATE INDEX indicators_report ON indicators(report_id);"
        "CREATE TABLE evidence (id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL"
        " REFERENCES reports(id), sha256 TEXT NOT NULL, size BIGINT NOT NULL, mime TEXT NOT NULL,"
        " name TEXT NOT NULL, at TEXT NOT NULL);"
        "CREATE INDEX evidence_report ON evidence(report_id);"
        "CREATE TABLE custody (id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL"
        " REFERENCES evidence(id), at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
        " detail TEXT NOT NULL);"
        "CREATE INDEX custody_evidence ON custody(evidence_id);"
        "CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
        " action TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL, detail TEXT,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);",
        /* 2: sharing groups, TAXII collections, STIX objects, shared indicators */
        "CREATE TABLE sharing_groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
        " owner_org BIGINT NOT NULL, created TEXT NOT NULL);"
        "CREATE TABLE sharing_group_members (group_id BIGINT NOT NULL, org_id BIGINT NOT NULL,"
        " PRIMARY KEY (group_id, org_id));"
        "CREATE TABLE collections (id TEXT PRIMARY KEY, title TEXT NOT NULL UNIQUE,"
        " description TEXT NOT NULL, owner_org BIGINT NOT NULL, owner_user BIGINT NOT NULL,"
        " tlp INTEGER NOT NULL, share_orgs TEXT NOT NULL, share_groups TEXT NOT NULL,"
        " share_users TEXT NOT NULL, writers TEXT NOT NULL, created TEXT NOT NULL);"
        "CREATE TABLE stix_objects (row INTEGER PRIMARY KEY, collection TEXT NOT NULL,"
        " stix_id TEXT NOT NULL, type TEXT NOT NULL, spec_version TEXT NOT NULL,"
        " version TEXT NOT NULL, added TEXT NOT NULL, tlp INTEGER NOT NULL,"
        " owner_org BIGINT NOT NULL, owner_user BIGINT NOT NULL, source TEXT NOT NULL,"
        " body TEXT NOT NULL, UNIQUE (collection, stix_id, version));"
        "CREATE INDEX stix_objects_added ON stix_objects(collection, added);"
        "CREATE INDEX stix_objects_coll ON stix_objects(collection, row);"
        "CREATE TABLE taxii_status (id TEXT PRIMARY KEY, user_id BIGINT NOT NULL,"
        " created TEXT NOT NULL, body TEXT NOT NULL);"
        "CREATE TABLE shared_indicators (id INTEGER PRIMARY KEY, object_row BIGINT NOT NULL,"
        " type TEXT NOT NULL, value TEXT NOT NULL);"
        "CREATE INDEX shared_indicators_value ON shared_indicators(value);",
        /* 3: analysts' decisions about cases (issue 6), replayed in id order
         * over the correlation engine at start */
        "CREATE TABLE case_decisions (id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
        " actor TEXT NOT NULL, kind TEXT NOT NULL, report_id BIGINT NOT NULL,"
        " other_id BIGINT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL,"
        " note TEXT NOT NULL);",
        /* 4: alerts published to partners and the public (issue 6) */
        "CREATE TABLE alerts (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
        " category TEXT NOT NULL, tlp INTEGER NOT NULL, status TEXT NOT NULL,"
        " org_id BIGINT NOT NULL, user_id BIGINT NOT NULL, org_name TEXT NOT NULL,"
        " author TEXT NOT NULL, published TEXT NOT NULL, expires TEXT NOT NULL,"
        " withdrawn TEXT NOT NULL, summary TEXT NOT NULL, advice TEXT NOT NULL,"
        " indicators TEXT NOT NULL);"
        "CREATE INDEX alerts_category ON alerts(category, id);",
        /* 5: stable case ids (each carried by a report: the case's id is the
         * oldest live one its reports carry) and the records of case work:
         * reviews, disseminations, outcomes (issue 6) */
        "CREATE TABLE case_ids (seq INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
        " report_id BIGINT NOT NULL, merged_into BIGINT NOT NULL, created TEXT NOT NULL);"
        "CREATE TABLE case_records (id INTEGER PRIMARY KEY, case_seq BIGINT NOT NULL,"
        " kind TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, org_id BIGINT NOT NULL,"
        " body TEXT NOT NULL);"
        "CREATE INDEX case_records_case ON case_records(case_seq, id);",
        /* 6: sightings partners report of shared indicators (issue 5) */
        "CREATE TABLE sightings (id INTEGER PRIMARY KEY, sid TEXT NOT NULL UNIQUE,"
        " collection TEXT NOT NULL, stix_id TEXT NOT NULL, owner_org BIGINT NOT NULL,"
        " org_id BIGINT NOT NULL, user_id BIGINT NOT NULL, count BIGINT NOT NULL,"
        " first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, place TEXT NOT NULL,"
        " observed TEXT NOT NULL, created TEXT NOT NULL);"
        "CREATE INDEX sightings_indicator ON sightings(stix_id, id);",
        /* 7: a version's time as a number, so that first and last compare
         * instants, not text written at different precisions (issue 5);
         * existing rows are filled by fill_version_us */
        "ALTER TABLE stix_objects ADD COLUMN version_us BIGINT NOT NULL DEFAULT -1;"
        "CREATE INDEX stix_objects_versions ON stix_objects(collection, stix_id, version_us);",
};
#define N_MIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

enum st {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_ORG_INSERT,
	ST_ORG_UPDATE,
	ST_ORG_GET,
	ST_ORG_LIST,
	ST_USER_INSERT,
	ST_USER_UPDATE,
	ST_USER_GET,
	ST_USER_BY_NAME,
	ST_USER_LIST,
	ST_USER_LIST_ORG,
	ST_USER_COUNT,
	ST_TOKEN_INSERT,
	ST_TOKEN_BY_HASH,
	ST_TOKEN_GET,
	ST_TOKEN_LIST,
	ST_TOKEN_REVOKE,
	ST_SESSION_INSERT,
	ST_SESSION_GET,
	ST_SESSION_DELETE,
	ST_SESSION_PURGE,
	ST_REPORT_INSERT,
	ST_REPORT_STATUS,
	ST_REPORT_TOUCH,
	ST_REPORT_GET,
	ST_REPORT_LIST,
	ST_EVENT_INSERT,
	ST_EVENT_LIST,
	ST_IND_INSERT,
	ST_IND_LIST,
	ST_IND_SCAN,
	ST_REPORT_REF,
	ST_REPORT_FACTS,
	ST_EV_INSERT,
	ST_EV_LIST,
	ST_CUSTODY_INSERT,
	ST_CUSTODY_LIST,
	ST_AUDIT_LAST,
	ST_AUDIT_INSERT,
	ST_AUDIT_LIST,
	ST_GROUP_INSERT,
	ST_GROUP_ADD,
	ST_GROUP_REMOVE,
	ST_GROUP_LIST,
	ST_COLL_INSERT,
	ST_COLL_UPDATE,
	ST_COLL_LIST,
	ST_OBJ_INSERT,
	ST_OBJ_PAGE,
	ST_OBJ_LAST_ADDED,
	ST_OBJ_FIRST_AFTER,
	ST_STATUS_INSERT,
	ST_STATUS_GET,
	ST_SIND_INSERT,
	ST_SIND_DROP,
	ST_SIND_SCAN,
	ST_DECISION_INSERT,
	ST_DECISION_LIST,
	ST_REPORT_BRIEF,
	ST_REPORT_BRIEF_SCAN,
	ST_REPORT_BODY,
	ST_ALERT_INSERT,
	ST_ALERT_WITHDRAW,
	ST_ALERT_GET,
	ST_ALERT_LIST,
	ST_CASE_ID_INSERT,
	ST_CASE_ID_UPDATE,
	ST_CASE_ID_LIST,
	ST_CASE_REC_INSERT,
	ST_CASE_REC_LIST,
	ST_SIGHT_INSERT,
	ST_SIGHT_PAGE,
	ST_COUNT
};

#define ORG_COLS  "id, name, kind, country, region, created"
#define USER_COLS "id, org_id, username, role, pw_hash, disabled, created"
#define TOK_COLS  "id, user_id, name, hash, created, expires, revoked"
#define REP_COLS                                                                                   \
	"id, ref, kind, category, status, outcome, created, updated, occurred_start,"              \
	" occurred_end, loss_minor, currency, payment_method, country, region, victim_type,"       \
	" vulnerable, channel, org_id, user_id, secret_hash, body, victim, advice"
/* A report without its documents (body, victim, advice are NULL). */
#define REP_BRIEF_COLS                                                                             \
	"id, ref, kind, category, status, outcome, created, updated, occurred_start,"              \
	" occurred_end, loss_minor, currency, payment_method, country, region, victim_type,"       \
	" vulnerable, channel, org_id, user_id, secret_hash, NULL, NULL, NULL"
#define AUDIT_COLS "id, at, actor, action, object_type, object_id, detail, prev_hash, hash"
#define ALERT_COLS                                                                                 \
	"id, title, category, tlp, status, org_id, user_id, org_name, author, published, expires," \
	" withdrawn, summary, advice, indicators"

static const char *const sql[ST_COUNT] = {
        [ST_BEGIN] = "BEGIN IMMEDIATE",
        [ST_COMMIT] = "COMMIT",
        [ST_ROLLBACK] = "ROLLBACK",
        [ST_SAVEPOINT] = "SAVEPOINT tx",
        [ST_RELEASE] = "RELEASE tx",
        [ST_ROLLBACK_TO] = "ROLLBACK TO tx",
        [ST_ORG_INSERT] = "INSERT INTO orgs (name, kind, country, region, created)"
                          " VALUES (?, ?, ?, ?, ?)",
        [ST_ORG_UPDATE] =
                "UPDATE orgs SET name = ?, kind = ?, country = ?, region = ? WHERE id = ?",
        [ST_ORG_GET] = "SELECT " ORG_COLS " FROM orgs WHERE id = ?",
        [ST_ORG_LIST] = "SELECT " ORG_COLS " FROM orgs WHERE id > ? ORDER BY id LIMIT ?",
        [ST_USER_INSERT] = "INSERT INTO users (org_id, username, role, pw_hash, disabled, created)"
                           " VALUES (?, ?, ?, ?, ?, ?)",
        [ST_USER_UPDATE] = "UPDATE users SET org_id = ?, role = ?, pw_hash = ?, disabled = ?"
                           " WHERE id = ?",
        [ST_USER_GET] = "SELECT " USER_COLS " FROM users WHERE id = ?",
        [ST_USER_BY_NAME] = "SELECT " USER_COLS " FROM users WHERE username = ?",
        /* two statements, not "(? = 0 OR org_id = ?)": SQLite plans that once,
         * for any value, as a walk over every user */
        [ST_USER_LIST] = "SELECT " USER_COLS " FROM users WHERE id > ? ORDER BY id LIMIT ?",
        [ST_USER_LIST_ORG] = "SELECT " USER_COLS " FROM users WHERE org_id = ? AND id > ?"
                             " ORDER BY id LIMIT ?",
        [ST_USER_COUNT] = "SELECT count(*) FROM users WHERE (? = '' OR role = ?)",
        [ST_TOKEN_INSERT] = "INSERT INTO tokens (user_id, name, hash, created, expires, revoked)"
                            " VALUES (?, ?, ?, ?, ?, ?)",
        [ST_TOKEN_BY_HASH] = "SELECT " TOK_COLS " FROM tokens WHERE hash = ?",
        [ST_TOKEN_GET] = "SELECT " TOK_COLS " FROM tokens WHERE id = ?",
        [ST_TOKEN_LIST] = "SELECT " TOK_COLS " FROM tokens WHERE user_id = ? AND id > ?"
                          " ORDER BY id LIMIT ?",
        [ST_TOKEN_REVOKE] = "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked = ''",
        [ST_SESSION_INSERT] = "INSERT INTO sessions (id_hash, user_id, csrf, created, expires)"
                              " VALUES (?, ?, ?, ?, ?)",
        [ST_SESSION_GET] = "SELECT id_hash, user_id, csrf, created, expires FROM sessions"
                           " WHERE id_hash = ?",
        [ST_SESSION_DELETE] = "DELETE FROM sessions WHERE id_hash = ?",
        [ST_SESSION_PURGE] = "DELETE FROM sessions WHERE expires < ?",
        [ST_REPORT_INSERT] =
                "INSERT INTO reports (ref, kind, category, status, outcome, created, updated,"
                " occurred_start, occurred_end, loss_minor, currency, payment_method, country,"
                " region, victim_type, vulnerable, channel, org_id, user_id, secret_hash, body,"
                " victim, advice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?, ?)",
        [ST_REPORT_STATUS] = "UPDATE reports SET status = ?, outcome = ?, updated = ? WHERE id = ? "
                             "AND status = ?",
        [ST_REPORT_TOUCH] = "UPDATE reports SET updated = ? WHERE id = ?",
        [ST_REPORT_GET] = "SELECT " REP_COLS " FROM reports WHERE ref = ?",
        [ST_REPORT_LIST] =
                "SELECT " REP_COLS " FROM reports WHERE (?1 = '' OR status = ?1)"
                " AND (?2 = '' OR category = ?2) AND (?3 = '' OR region = ?3)"
                " AND (?4 = '' OR created >= ?4) AND (?5 = '' OR created < ?5)"
                " AND (?6 IS NULL OR id IN (SELECT report_id FROM indicators WHERE value = ?6))"
                " AND (?7 IS NULL OR body LIKE ?7 ESCAPE '\\')"
                " AND (?8 = 0 OR org_id = ?8) AND (?9 = 0 OR id < ?9)"
                " ORDER BY id DESC LIMIT ?10",
        [ST_EVENT_INSERT] = "INSERT INTO report_events (report_id, at, actor, type, status,"
                            " victim_visible, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [ST_EVENT_LIST] = "SELECT id, report_id, at, actor, type, status, victim_visible, detail"
                          " FROM report_events WHERE report_id = ? ORDER BY id LIMIT ?",
        [ST_IND_INSERT] = "INSERT INTO indicators (report_id, type, field, value)"
                          " VALUES (?, ?, ?, ?)",
        [ST_IND_SCAN] = "SELECT report_id, type, field, value, id FROM indicators WHERE id > ?"
                        " ORDER BY id LIMIT ?",
        [ST_REPORT_REF] = "SELECT ref, status FROM reports WHERE id = ?",
        [ST_REPORT_FACTS] =
                "SELECT category, created, region, country, victim_type, channel, payment_method,"
                " kind, status, outcome, currency, loss_minor, vulnerable, id, org_id FROM reports"
                " WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR category = ?2)"
                " AND (?3 = '' OR region = ?3) AND (?4 = '' OR created >= ?4)"
                " AND (?5 = '' OR created < ?5) AND (?6 = 0 OR org_id = ?6)",
        [ST_IND_LIST] = "SELECT report_id, type, field, value FROM indicators"
                        " WHERE report_id = ? ORDER BY id LIMIT ?",
        [ST_EV_INSERT] = "INSERT INTO evidence (report_id, sha256, size, mime, name, at)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
        [ST_EV_LIST] = "SELECT id, report_id, sha256, size, mime, name, at FROM evidence"
                       " WHERE report_id = ? ORDER BY id",
        [ST_CUSTODY_INSERT] = "INSERT INTO custody (evidence_id, at, actor, action, detail)"
                              " VALUES (?, ?, ?, ?, ?)",
        [ST_CUSTODY_LIST] = "SELECT evidence_id, at, actor, action, detail FROM custody"
                            " WHERE evidence_id = ? ORDER BY id",
        [ST_AUDIT_LAST] = "SELECT " AUDIT_COLS " FROM audit ORDER BY id DESC LIMIT 1",
        [ST_AUDIT_INSERT] = "INSERT INTO audit (at, actor, action, object_type, object_id,"
                            " detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [ST_AUDIT_LIST] = "SELECT " AUDIT_COLS " FROM audit WHERE id > ? ORDER BY id LIMIT ?",
        [ST_GROUP_INSERT] =
                "INSERT INTO sharing_groups (name, owner_org, created) VALUES (?, ?, ?)",
        [ST_GROUP_ADD] = "INSERT OR IGNORE INTO sharing_group_members (group_id, org_id)"
                         " VALUES (?, ?)",
        [ST_GROUP_REMOVE] = "DELETE FROM sharing_group_members WHERE group_id = ? AND org_id = ?",
        [ST_GROUP_LIST] = "SELECT id, name, owner_org, created, coalesce((SELECT"
                          " group_concat(org_id) FROM sharing_group_members m"
                          " WHERE m.group_id = g.id), '') FROM sharing_groups g ORDER BY id",
        [ST_COLL_INSERT] = "INSERT INTO collections (id, title, description, owner_org, owner_user,"
                           " tlp, share_orgs, share_groups, share_users, writers, created)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ST_COLL_UPDATE] = "UPDATE collections SET title = ?2, description = ?3, tlp = ?4,"
                           " share_orgs = ?5, share_groups = ?6, share_users = ?7, writers = ?8"
                           " WHERE id = ?1",
        [ST_COLL_LIST] = "SELECT id, title, description, owner_org, owner_user, tlp, share_orgs,"
                         " share_groups, share_users, writers, created FROM collections"
                         " ORDER BY created, id",
        [ST_OBJ_INSERT] = "INSERT INTO stix_objects (collection, stix_id, type, spec_version,"
                          " version, added, tlp, owner_org, owner_user, source, body, version_us)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ST_OBJ_PAGE] = "SELECT row, collection, stix_id, type, spec_version, version, added, tlp,"
                        " owner_org, owner_user, source, body, version_us FROM stix_objects o"
                        " WHERE collection = ?1 AND row > ?2"
                        " AND (?4 IS NULL OR stix_id = ?4) AND (?5 IS NULL OR type = ?5)"
                        " AND (?6 = 0 OR version_us = (SELECT CASE WHEN ?6 > 0"
                        " THEN max(version_us) ELSE min(version_us) END FROM stix_objects p"
                        " WHERE p.collection = o.collection AND p.stix_id = o.stix_id))"
                        " ORDER BY row LIMIT ?7",
        [ST_OBJ_LAST_ADDED] = "SELECT coalesce(max(added), '') FROM stix_objects",
        /* date_added grows with row, so added_after becomes a row cursor and
         * pages walk the (collection, row) index */
        [ST_OBJ_FIRST_AFTER] = "SELECT coalesce(min(row), -1) FROM stix_objects"
                               " WHERE collection = ? AND added > ?",
        [ST_STATUS_INSERT] = "INSERT OR REPLACE INTO taxii_status (id, user_id, created, body)"
                             " VALUES (?, ?, ?, ?)",
        [ST_STATUS_GET] = "SELECT id, user_id, created, body FROM taxii_status WHERE id = ?",
        [ST_SIND_DROP] = "DELETE FROM shared_indicators WHERE object_row IN (SELECT row FROM"
                         " stix_objects WHERE collection = ? AND stix_id = ? AND owner_org = ?)",
        [ST_SIND_INSERT] =
                "INSERT INTO shared_indicators (object_row, type, value) VALUES (?, ?, ?)",
        [ST_SIND_SCAN] = "SELECT i.id, i.object_row, i.type, i.value, o.collection, o.stix_id,"
                         " o.added, o.tlp, o.owner_org, o.owner_user FROM shared_indicators i"
                         " JOIN stix_objects o ON o.row = i.object_row WHERE i.id > ?"
                         " ORDER BY i.id LIMIT ?",
        [ST_DECISION_INSERT] = "INSERT INTO case_decisions (at, actor, kind, report_id, other_id,"
                               " type, value, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [ST_DECISION_LIST] = "SELECT id, at, actor, kind, report_id, other_id, type, value, note"
                             " FROM case_decisions WHERE id > ? ORDER BY id LIMIT ?",
        [ST_REPORT_BRIEF] = "SELECT " REP_BRIEF_COLS " FROM reports WHERE id = ?",
        [ST_REPORT_BRIEF_SCAN] = "SELECT " REP_BRIEF_COLS " FROM reports WHERE id > ?"
                                 " ORDER BY id LIMIT ?",
        [ST_REPORT_BODY] = "SELECT body FROM reports WHERE id = ?",
        [ST_ALERT_INSERT] = "INSERT INTO alerts (title, category, tlp, status, org_id, user_id,"
                            " org_name, author, published, expires, withdrawn, summary, advice,"
                            " indicators) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ST_ALERT_WITHDRAW] = "UPDATE alerts SET status = 'withdrawn', withdrawn = ?"
                              " WHERE id = ? AND status = 'published'",
        [ST_ALERT_GET] = "SELECT " ALERT_COLS " FROM alerts WHERE id = ?",
        [ST_ALERT_LIST] = "SELECT " ALERT_COLS " FROM alerts WHERE (?1 = '' OR category = ?1)"
                          " AND (?2 = 0 OR tlp <= ?2) AND ((status = 'published'"
                          " AND (expires = '' OR expires > ?3)) OR (?4 <> 0 AND org_id = ?4)"
                          " OR (?7 <> 0 AND status = 'withdrawn'))"
                          " AND (?5 = 0 OR id < ?5) ORDER BY id DESC LIMIT ?6",
        [ST_CASE_ID_INSERT] = "INSERT INTO case_ids (seq, name, report_id, merged_into, created)"
                              " VALUES (?, ?, ?, ?, ?)",
        [ST_CASE_ID_UPDATE] = "UPDATE case_ids SET report_id = ?, merged_into = ? WHERE seq = ?",
        [ST_CASE_ID_LIST] = "SELECT seq, name, report_id, merged_into, created FROM case_ids"
                            " WHERE seq > ? ORDER BY seq LIMIT ?",
        [ST_CASE_REC_INSERT] = "INSERT INTO case_records (case_seq, kind, at, actor, org_id, body)"
                               " VALUES (?, ?, ?, ?, ?, ?)",
        [ST_CASE_REC_LIST] = "SELECT id, case_seq, kind, at, actor, org_id, body FROM case_records"
                             " WHERE (?1 = 0 OR case_seq = ?1) AND id > ?2 ORDER BY id LIMIT ?3",
        [ST_SIGHT_INSERT] = "INSERT INTO sightings (sid, collection, stix_id, owner_org, org_id,"
                            " user_id, count, first_seen, last_seen, place, observed, created)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ST_SIGHT_PAGE] = "SELECT id, sid, collection, stix_id, owner_org, org_id, user_id, count,"
                          " first_seen, last_seen, place, observed, created FROM sightings"
                          " WHERE (?1 IS NULL OR stix_id = ?1) AND id > ?2 ORDER BY id LIMIT ?3",
};

struct conn {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
};

#define N_READERS 8

struct sq_store;

struct sq_tx {
	struct store_tx base;
	struct sq_store *owner;
};

/* A transaction whose work is in the open batch, waiting for its COMMIT (on
 * the waiting thread's stack). */
struct gc_member {
	struct gc_member *next;
	int done;
	int rc;
	struct crix_error err;
};

/* Group commit bounds: a batch is committed once it is this old (seconds) or
 * holds this many transactions, even when more are waiting to join. */
#define GROUP_AGE 0.001
#define GROUP_MAX 64

struct sq_store {
	struct store base;
	char *path;
	int version;
	struct conn writer;
	struct sq_tx tx; /* the one transaction running on the writer */
	/* Group commit state, under wlock; see the top of the file. */
	pthread_mutex_t wlock;
	pthread_cond_t turn; /* signalled when the writer connection is free */
	pthread_cond_t done; /* broadcast when a batch's COMMIT has returned */
	int busy;            /* a transaction runs on the writer connection */
	int committing;      /* a leader runs COMMIT on the writer connection */
	int open;            /* the batch (outer BEGIN IMMEDIATE) is open; with opened, only the
	                      * writer connection's owner (busy or committing) reads and sets it */
	int waiting;         /* threads waiting in tx_begin */
	int n_members;       /* transactions in the batch waiting for its COMMIT */
	struct gc_member *members; /* those transactions */
	double opened;             /* CLOCK_MONOTONIC seconds when the batch began */
	struct conn readers[N_READERS];
	int idle[N_READERS]; /* stack of idle reader indexes */
	int n_idle;
	int n_open;
	pthread_mutex_t rlock;
	pthread_cond_t rcond;
};

static const struct store_ops sqlite_ops;

/* ---- connections and statements ---- */

static int db_error(struct crix_error *err, sqlite3 *db, const char *what)
{
	int code = sqlite3_extended_errcode(db);
	int ret = CRIX_EIO;
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		ret = CRIX_EBUSY;
	else if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
		ret = CRIX_EEXIST;
	else if ((code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_NOMEM)
		ret = (code & 0xff) == SQLITE_NOMEM ? CRIX_ENOMEM : CRIX_EIO;
	return crix_error_set(err, ret, "store: %s: %s", what, sqlite3_errmsg(db));
}

static int conn_open(struct conn *c, const char *path, int create, struct crix_error *err)
{
	memset(c, 0, sizeof *c);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		int rc = crix_error_set(err, CRIX_EIO, "store: %s: %s", path,
		                        c->db ? sqlite3_errmsg(c->db) : "cannot open");
		sqlite3_close(c->db);
		c->db = NULL;
		return rc;
	}
	/* Wait up to 5 s for a lock held by another process (crix admin while
	 * the server runs) instead of failing at once. */
	sqlite3_busy_timeout(c->db, 5000);
	const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                      " PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;";
	if (sqlite3_exec(c->db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		int rc = db_error(err, c->db, path);
		sqlite3_close(c->db);
		c->db = NULL;
		return rc;
	}
	return 0;
}

static void conn_close(struct conn *c)
{
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close(c->db);
	memset(c, 0, sizeof *c);
}

/* The prepared statement, reset and unbound, ready to bind.  NULL on error. */
static sqlite3_stmt *stmt(struct conn *c, enum st i, struct crix_error *err)
{
	if (c->st[i] == NULL) {
		if (sqlite3_prepare_v3(c->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->st[i],
		                       NULL) != SQLITE_OK) {
			db_error(err, c->db, "prepare");
			return NULL;
		}
	} else {
		sqlite3_reset(c->st[i]);
		sqlite3_clear_bindings(c->st[i]);
	}
	return c->st[i];
}

static struct conn *reader_get(struct sq_store *s, struct crix_error *err)
{
	pthread_mutex_lock(&s->rlock);
	while (s->n_idle == 0 && s->n_open == N_READERS)
		pthread_cond_wait(&s->rcond, &s->rlock);
	if (s->n_idle > 0) {
		struct conn *c = &s->readers[s->idle[--s->n_idle]];
		pthread_mutex_unlock(&s->rlock);
		return c;
	}
	int k = s->n_open++;
	pthread_mutex_unlock(&s->rlock);
	if (conn_open(&s->readers[k], s->path, 0, err) != 0) {
		pthread_mutex_lock(&s->rlock);
		/* Keep the slot usable: an idle closed reader is reopened below. */
		s->idle[s->n_idle++] = k;
		pthread_cond_signal(&s->rcond);
		pthread_mutex_unlock(&s->rlock);
		return NULL;
	}
	return &s->readers[k];
}

static void reader_put(struct sq_store *s, struct conn *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		if (c->st[i] != NULL)
			sqlite3_reset(c->st[i]);
	pthread_mutex_lock(&s->rlock);
	s->idle[s->n_idle++] = (int)(c - s->readers);
	pthread_cond_signal(&s->rcond);
	pthread_mutex_unlock(&s->rlock);
}

/* A reader connection, reopening a slot whose earlier open failed. */
static struct conn *reader(struct store *st, struct crix_error *err)
{
	struct sq_store *s = (struct sq_store *)st;
	struct conn *c = reader_get(s, err);
	if (c != NULL && c->db == NULL && conn_open(c, s->path, 0, err) != 0) {
		reader_put(s, c);
		return NULL;
	}
	return c;
}

static struct conn *wconn(struct store_tx *tx)
{
	return &((struct sq_tx *)tx)->owner->writer;
}

/* ---- binding and reading columns ---- */

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
	sqlite3_bind_text(q, i, s != NULL ? s : "", -1, SQLITE_STATIC);
}

static void col_text(sqlite3_stmt *q, int i, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	size_t n = t != NULL ? (size_t)sqlite3_column_bytes(q, i) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n > 0)
		memcpy(out, t, n);
	out[n] = '\0';
}

/* A heap copy of a text column; NULL for SQL NULL. */
static int col_dup(sqlite3_stmt *q, int i, char **out)
{
	*out = NULL;
	if (sqlite3_column_type(q, i) == SQLITE_NULL)
		return 0;
	const unsigned char *t = sqlite3_column_text(q, i);
	size_t n = (size_t)sqlite3_column_bytes(q, i);
	char *p = malloc(n + 1);
	if (p == NULL)
		return CRIX_ENOMEM;
	if (n > 0)
		memcpy(p, t, n);
	p[n] = '\0';
	*out = p;
	return 0;
}

/* Runs a statement that returns no rows. */
static int exec_done(struct conn *c, sqlite3_stmt *q, const char *what, struct crix_error *err)
{
	int rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		int r = db_error(err, c->db, what);
		sqlite3_reset(q);
		return r;
	}
	sqlite3_reset(q);
	return 0;
}

/* Grows a result array by one element.  OUT: *slot. */
static int grow(void **arr, size_t *n, size_t *cap, size_t elem, void **slot)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, nc * elem);
		if (p == NULL)
			return CRIX_ENOMEM;
		*arr = p;
		*cap = nc;
	}
	*slot = (char *)*arr + (*n)++ * elem;
	memset(*slot, 0, elem);
	return 0;
}

/* ---- open, migrate, close ---- */

static int user_version(struct conn *c, int *v, struct crix_error *err)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		return db_error(err, c->db, "user_version");
	*v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	return 0;
}

/* Migration 7's column for the rows stored before it, inside the migration's
 * transaction: the parse is C's (clock_parse_iso_us), not SQL's. */
static int fill_version_us(struct conn *c, struct crix_error *err)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	int rc = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT row, version FROM stix_objects", -1, &sel, NULL) !=
	            SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "UPDATE stix_objects SET version_us = ? WHERE row = ?", -1,
	                       &upd, NULL) != SQLITE_OK)
		rc = db_error(err, c->db, "migration 7");
	int step;
	while (rc == 0 && (step = sqlite3_step(sel)) == SQLITE_ROW) {
		sqlite3_bind_int64(upd, 1,
		                   clock_parse_iso_us((const char *)sqlite3_column_text(sel, 1)));
		sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
		if (sqlite3_step(upd) != SQLITE_DONE)
			rc = db_error(err, c->db, "migration 7");
		sqlite3_reset(upd);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(err, c->db, "migration 7");
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

static int migrate(struct sq_store *s, struct crix_error *err)
{
	struct conn *c = &s->writer;
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(err, c->db, "migrate");
	int v = 0;
	int rc = user_version(c, &v, err);
	if (rc == 0 && v > N_MIGRATIONS)
		rc = crix_error_set(err, CRIX_EINVAL,
		                    "store: %s has schema version %d, newer than this crix (%d)",
		                    s->path, v, N_MIGRATIONS);
	for (; rc == 0 && v < N_MIGRATIONS; v++) {
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(c->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(c->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
			rc = db_error(err, c->db, "migration");
		else if (v + 1 == 7)
			rc = fill_version_us(c, err);
	}
	if (rc != 0) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(err, c->db, "migrate");
	s->version = v;
	return 0;
}

static void sq_close(struct store *st)
{
	struct sq_store *s = (struct sq_store *)st;
	conn_close(&s->writer);
	for (int i = 0; i < s->n_open; i++)
		conn_close(&s->readers[i]);
	pthread_mutex_destroy(&s->wlock);
	pthread_cond_destroy(&s->turn);
	pthread_cond_destroy(&s->done);
	pthread_mutex_destroy(&s->rlock);
	pthread_cond_destroy(&s->rcond);
	free(s->path);
	free(s);
}

int store_sqlite_open(const char *path, struct store **out, struct crix_error *err)
{
	*out = NULL;
	if (sqlite3_threadsafe() == 0)
		return crix_error_set(err, CRIX_EIO, "store: SQLite was built without threads");
	struct sq_store *s = calloc(1, sizeof *s);
	if (s == NULL || (s->path = strdup(path)) == NULL) {
		free(s);
		return crix_error_set(err, CRIX_ENOMEM, "store: out of memory");
	}
	s->base.ops = &sqlite_ops;
	s->tx.base.s = &s->base;
	s->tx.owner = s;
	pthread_mutex_init(&s->wlock, NULL);
	pthread_cond_init(&s->turn, NULL);
	pthread_cond_init(&s->done, NULL);
	pthread_mutex_init(&s->rlock, NULL);
	pthread_cond_init(&s->rcond, NULL);
	int rc = conn_open(&s->writer, path, 1, err);
	/* The savepoints of group commit keep statement journals; in memory they
	 * cost no temporary file per batch (they are not needed after a crash:
	 * the WAL is what recovers). */
	if (rc == 0 &&
	    sqlite3_exec(s->writer.db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL) != SQLITE_OK)
		rc = db_error(err, s->writer.db, path);
	if (rc == 0)
		rc = migrate(s, err);
	if (rc != 0) {
		sq_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}

static int sq_schema_version(struct store *st)
{
	return ((struct sq_store *)st)->version;
}

/* ---- transactions (group commit) ---- */

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one of the transaction statements on the writer connection. */
static int wexec(struct sq_store *s, enum st i, const char *what, struct crix_error *err)
{
	sqlite3_stmt *q = stmt(&s->writer, i, err);
	return q ? exec_done(&s->writer, q, what, err) : CRIX_EIO;
}

/* Resets every statement of the writer: a pending one would keep a savepoint
 * or the transaction from ending. */
static void wreset(struct sq_store *s)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (s->writer.st[i] != NULL)
			sqlite3_reset(s->writer.st[i]);
}

/* Hands the batch's members their result and wakes them.  wlock held. */
static void members_done(struct sq_store *s, int rc, const struct crix_error *err)
{
	for (struct gc_member *m = s->members; m != NULL; m = m->next) {
		m->rc = rc;
		if (rc != 0 && err != NULL)
			m->err = *err;
		m->done = 1;
	}
	s->members = NULL;
	s->n_members = 0;
	pthread_cond_broadcast(&s->done);
}

/* The batch is gone without a COMMIT (SQLite rolls a transaction back by
 * itself on some errors, such as a full disk): its members fail.  wlock
 * held, the writer connection not in use. */
static void batch_lost(struct sq_store *s)
{
	struct crix_error e = {0};
	crix_error_set(&e, CRIX_EIO, "store: the transaction was rolled back: %s",
	               sqlite3_errmsg(s->writer.db));
	s->open = 0;
	members_done(s, CRIX_EIO, &e);
}

/* Called when a transaction leaves the writer connection (busy just
 * cleared), with wlock held: lets a waiting transaction join the batch, or
 * ends the batch (COMMIT when it holds work, else ROLLBACK) so that it never
 * stays open with no transaction running or waiting.  May unlock and relock
 * wlock around the COMMIT. */
static void batch_next(struct sq_store *s)
{
	if (s->open && sqlite3_get_autocommit(s->writer.db))
		batch_lost(s);
	if (!s->open) {
		pthread_cond_signal(&s->turn);
		return;
	}
	if (s->waiting > 0 && s->n_members < GROUP_MAX && mono_now() - s->opened < GROUP_AGE) {
		pthread_cond_signal(&s->turn);
		return;
	}
	/* This thread leads: COMMIT the batch for all its members. */
	s->committing = 1;
	int has_work = s->n_members > 0;
	pthread_mutex_unlock(&s->wlock);
	struct crix_error e = {0};
	wreset(s);
	int rc = wexec(s, has_work ? ST_COMMIT : ST_ROLLBACK, has_work ? "commit" : "rollback", &e);
	if (rc != 0 && !sqlite3_get_autocommit(s->writer.db)) {
		wreset(s);
		wexec(s, ST_ROLLBACK, "rollback", NULL);
	}
	pthread_mutex_lock(&s->wlock);
	s->committing = 0;
	s->open = 0;
	members_done(s, rc, &e);
	pthread_cond_signal(&s->turn);
}

static int sq_tx_begin(struct store *st, struct store_tx **tx, struct crix_error *err)
{
	struct sq_store *s = (struct sq_store *)st;
	*tx = NULL;
	pthread_mutex_lock(&s->wlock);
	s->waiting++;
	while (s->busy || s->committing)
		pthread_cond_wait(&s->turn, &s->wlock);
	s->waiting--;
	s->busy = 1;
	int begin = !s->open;
	pthread_mutex_unlock(&s->wlock);
	/* The writer connection is this thread's now (busy). */
	int rc = begin ? wexec(s, ST_BEGIN, "begin", err) : 0;
	if (begin && rc == 0) {
		s->opened = mono_now();
		s->open = 1;
	}
	if (rc == 0)
		rc = wexec(s, ST_SAVEPOINT, "begin", err);
	if (rc != 0) {
		pthread_mutex_lock(&s->wlock);
		s->busy = 0;
		batch_next(s);
		pthread_mutex_unlock(&s->wlock);
		return rc;
	}
	*tx = &s->tx.base;
	return 0;
}

/* Undoes the running transaction's work (its savepoint only).  The writer
 * connection is this thread's (busy); wlock not held. */
static void undo_savepoint(struct sq_store *s)
{
	wreset(s);
	if (sqlite3_get_autocommit(s->writer.db))
		return; /* SQLite rolled the whole batch back already */
	if (wexec(s, ST_ROLLBACK_TO, "rollback", NULL) != 0 ||
	    wexec(s, ST_RELEASE, "rollback", NULL) != 0) {
		/* The savepoint cannot be undone alone: undo the batch (its
		 * members learn it from batch_next). */
		wreset(s);
		wexec(s, ST_ROLLBACK, "rollback", NULL);
	}
}

static void sq_tx_rollback(struct store_tx *tx)
{
	struct sq_store *s = ((struct sq_tx *)tx)->owner;
	undo_savepoint(s);
	pthread_mutex_lock(&s->wlock);
	s->busy = 0;
	batch_next(s);
	pthread_mutex_unlock(&s->wlock);
}

static int sq_tx_commit(struct store_tx *tx, struct crix_error *err)
{
	struct sq_store *s = ((struct sq_tx *)tx)->owner;
	wreset(s);
	int rc = sqlite3_get_autocommit(s->writer.db)
	                 ? crix_error_set(err, CRIX_EIO, "store: commit: rolled back: %s",
	                                  sqlite3_errmsg(s->writer.db))
	                 : wexec(s, ST_RELEASE, "commit", err);
	if (rc != 0) {
		sq_tx_rollback(tx);
		return rc;
	}
	struct gc_member me = {0};
	pthread_mutex_lock(&s->wlock);
	me.next = s->members;
	s->members = &me;
	s->n_members++;
	s->busy = 0;
	batch_next(s);
	while (!me.done)
		pthread_cond_wait(&s->done, &s->wlock);
	pthread_mutex_unlock(&s->wlock);
	if (me.rc != 0 && err != NULL)
		*err = me.err;
	return me.rc;
}

/* ---- organisations ---- */

static void org_row(sqlite3_stmt *q, struct store_org *o)
{
	o->id = sqlite3_column_int64(q, 0);
	col_text(q, 1, o->name, sizeof o->name);
	col_text(q, 2, o->kind, sizeof o->kind);
	col_text(q, 3, o->country, sizeof o->country);
	col_text(q, 4, o->region, sizeof o->region);
	col_text(q, 5, o->created, sizeof o->created);
}

static int sq_org_insert(struct store_tx *tx, struct store_org *o, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_ORG_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, o->name);
	bind_text(q, 2, o->kind);
	bind_text(q, 3, o->country);
	bind_text(q, 4, o->region);
	bind_text(q, 5, o->created);
	int rc = exec_done(c, q, "organisation", err);
	if (rc == CRIX_EEXIST)
		return crix_error_set(err, rc, "name: an organisation named '%s' exists", o->name);
	if (rc == 0)
		o->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_org_update(struct store_tx *tx, const struct store_org *o, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_ORG_UPDATE, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, o->name);
	bind_text(q, 2, o->kind);
	bind_text(q, 3, o->country);
	bind_text(q, 4, o->region);
	sqlite3_bind_int64(q, 5, o->id);
	int rc = exec_done(c, q, "organisation", err);
	if (rc == CRIX_EEXIST)
		return crix_error_set(err, rc, "name: an organisation named '%s' exists", o->name);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		return crix_error_set(err, CRIX_ENOTFOUND, "organisation %lld not found",
		                      (long long)o->id);
	return rc;
}

/*
 * Runs a one-row query on a reader: bind() fills parameters, row() copies the
 * row out.  CRIX_ENOTFOUND with "what" when there is no row.
 */
typedef void (*bind_fn)(sqlite3_stmt *q, const void *arg);
typedef int (*row_fn)(sqlite3_stmt *q, void *out);

static int get_one(struct store *st, enum st i, bind_fn bind, const void *arg, row_fn row,
                   void *out, const char *what, struct crix_error *err)
{
	struct conn *c = reader(st, err);
	if (c == NULL)
		return CRIX_EIO;
	sqlite3_stmt *q = stmt(c, i, err);
	int rc = CRIX_EIO;
	if (q != NULL) {
		bind(q, arg);
		int s = sqlite3_step(q);
		if (s == SQLITE_ROW)
			rc = row(q, out);
		else if (s == SQLITE_DONE)
			rc = crix_error_set(err, CRIX_ENOTFOUND, "%s not found", what);
		else
			rc = db_error(err, c->db, what);
		sqlite3_reset(q);
	}
	reader_put((struct sq_store *)st, c);
	return rc;
}

/*
 * Runs a many-row query on a reader, appending each row as an element of
 * elem bytes to a new array.  OUT: *out, *n.
 */
static int get_many(struct store *st, enum st i, bind_fn bind, const void *arg, row_fn row,
                    size_t elem, void **out, size_t *n, const char *what, struct crix_error *err)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct conn *c = reader(st, err);
	if (c == NULL)
		return CRIX_EIO;
	sqlite3_stmt *q = stmt(c, i, err);
	int rc = q ? 0 : CRIX_EIO;
	if (q != NULL) {
		bind(q, arg);
		int s;
		while (rc == 0 && (s = sqlite3_step(q)) == SQLITE_ROW) {
			void *slot;
			rc = grow(out, n, &cap, elem, &slot);
			if (rc == 0)
				rc = row(q, slot);
		}
		if (rc == 0 && s != SQLITE_DONE)
			rc = db_error(err, c->db, what);
		else if (rc == CRIX_ENOMEM)
			crix_error_set(err, rc, "%s: out of memory", what);
		sqlite3_reset(q);
	}
	reader_put((struct sq_store *)st, c);
	return rc;
}

struct id_page {
	int64_t key, after;
	int64_t limit;
	const char *text;
};

static void bind_id(sqlite3_stmt *q, const void *arg)
{
	sqlite3_bind_int64(q, 1, *(const int64_t *)arg);
}

static void bind_text1(sqlite3_stmt *q, const void *arg)
{
	bind_text(q, 1, (const char *)arg);
}

static void bind_after_limit(sqlite3_stmt *q, const void *arg)
{
	const struct id_page *p = arg;
	sqlite3_bind_int64(q, 1, p->after);
	sqlite3_bind_int64(q, 2, p->limit);
}

static void bind_key_after_limit(sqlite3_stmt *q, const void *arg)
{
	const struct id_page *p = arg;
	sqlite3_bind_int64(q, 1, p->key);
	sqlite3_bind_int64(q, 2, p->after);
	sqlite3_bind_int64(q, 3, p->limit);
}

static void bind_key_limit(sqlite3_stmt *q, const void *arg)
{
	const struct id_page *p = arg;
	sqlite3_bind_int64(q, 1, p->key);
	sqlite3_bind_int64(q, 2, p->limit);
}

static int org_out(sqlite3_stmt *q, void *out)
{
	org_row(q, out);
	return 0;
}

static int sq_org_get(struct store *s, int64_t id, struct store_org *out, struct crix_error *err)
{
	return get_one(s, ST_ORG_GET, bind_id, &id, org_out, out, "organisation", err);
}

static int sq_org_list(struct store *s, int64_t after, size_t limit, struct store_org **out,
                       size_t *n, struct crix_error *err)
{
	struct id_page p = {.after = after, .limit = (int64_t)limit};
	return get_many(s, ST_ORG_LIST, bind_after_limit, &p, org_out, sizeof **out, (void **)out,
	                n, "organisations", err);
}

/* ---- users ---- */

static int user_out(sqlite3_stmt *q, void *out)
{
	struct store_user *u = out;
	u->id = sqlite3_column_int64(q, 0);
	u->org_id = sqlite3_column_int64(q, 1);
	col_text(q, 2, u->username, sizeof u->username);
	col_text(q, 3, u->role, sizeof u->role);
	col_text(q, 4, u->pw_hash, sizeof u->pw_hash);
	u->disabled = sqlite3_column_int(q, 5);
	col_text(q, 6, u->created, sizeof u->created);
	return 0;
}

static int sq_user_insert(struct store_tx *tx, struct store_user *u, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_USER_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, u->org_id);
	bind_text(q, 2, u->username);
	bind_text(q, 3, u->role);
	bind_text(q, 4, u->pw_hash);
	sqlite3_bind_int(q, 5, u->disabled);
	bind_text(q, 6, u->created);
	int rc = exec_done(c, q, "user", err);
	if (rc == CRIX_EEXIST)
		return crix_error_set(err, rc, "username: '%s' is taken", u->username);
	if (rc == 0)
		u->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_user_update(struct store_tx *tx, const struct store_user *u, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_USER_UPDATE, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, u->org_id);
	bind_text(q, 2, u->role);
	bind_text(q, 3, u->pw_hash);
	sqlite3_bind_int(q, 4, u->disabled);
	sqlite3_bind_int64(q, 5, u->id);
	int rc = exec_done(c, q, "user", err);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		return crix_error_set(err, CRIX_ENOTFOUND, "user %lld not found", (long long)u->id);
	return rc;
}

static int sq_user_get(struct store *s, int64_t id, struct store_user *out, struct crix_error *err)
{
	return get_one(s, ST_USER_GET, bind_id, &id, user_out, out, "user", err);
}

static int sq_user_by_name(struct store *s, const char *username, struct store_user *out,
                           struct crix_error *err)
{
	return get_one(s, ST_USER_BY_NAME, bind_text1, username, user_out, out, "user", err);
}

/* org_id 0: every organisation's users; another: that one's, through its
 * index (users_org). */
static int sq_user_list(struct store *s, int64_t org_id, int64_t after, size_t limit,
                        struct store_user **out, size_t *n, struct crix_error *err)
{
	struct id_page p = {.key = org_id, .after = after, .limit = (int64_t)limit};
	if (org_id == 0)
		return get_many(s, ST_USER_LIST, bind_after_limit, &p, user_out, sizeof **out,
		                (void **)out, n, "users", err);
	return get_many(s, ST_USER_LIST_ORG, bind_key_after_limit, &p, user_out, sizeof **out,
	                (void **)out, n, "users", err);
}

static void bind_role2(sqlite3_stmt *q, const void *arg)
{
	bind_text(q, 1, arg);
	bind_text(q, 2, arg);
}

static int count_out(sqlite3_stmt *q, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(q, 0);
	return 0;
}

static int sq_user_count(struct store *s, const char *role, int64_t *n, struct crix_error *err)
{
	return get_one(s, ST_USER_COUNT, bind_role2, role, count_out, n, "users", err);
}

/* ---- tokens ---- */

static int token_out(sqlite3_stmt *q, void *out)
{
	struct store_token *t = out;
	t->id = sqlite3_column_int64(q, 0);
	t->user_id = sqlite3_column_int64(q, 1);
	col_text(q, 2, t->name, sizeof t->name);
	col_text(q, 3, t->hash, sizeof t->hash);
	col_text(q, 4, t->created, sizeof t->created);
	col_text(q, 5, t->expires, sizeof t->expires);
	col_text(q, 6, t->revoked, sizeof t->revoked);
	return 0;
}

static int sq_token_insert(struct store_tx *tx, struct store_token *t, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_TOKEN_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, t->user_id);
	bind_text(q, 2, t->name);
	bind_text(q, 3, t->hash);
	bind_text(q, 4, t->created);
	bind_text(q, 5, t->expires);
	bind_text(q, 6, t->revoked);
	int rc = exec_done(c, q, "token", err);
	if (rc == 0)
		t->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_token_by_hash(struct store *s, const char *hash, struct store_token *out,
                            struct crix_error *err)
{
	return get_one(s, ST_TOKEN_BY_HASH, bind_text1, hash, token_out, out, "token", err);
}

static int sq_token_get(struct store *s, int64_t id, struct store_token *out,
                        struct crix_error *err)
{
	return get_one(s, ST_TOKEN_GET, bind_id, &id, token_out, out, "token", err);
}

static int sq_token_list(struct store *s, int64_t user_id, int64_t after, size_t limit,
                         struct store_token **out, size_t *n, struct crix_error *err)
{
	struct id_page p = {.key = user_id, .after = after, .limit = (int64_t)limit};
	return get_many(s, ST_TOKEN_LIST, bind_key_after_limit, &p, token_out, sizeof **out,
	                (void **)out, n, "tokens", err);
}

static int sq_token_revoke(struct store_tx *tx, int64_t id, const char *at, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_TOKEN_REVOKE, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	int rc = exec_done(c, q, "token", err);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		return crix_error_set(err, CRIX_ENOTFOUND,
		                      "token %lld not found or already revoked", (long long)id);
	return rc;
}

/* ---- sessions ---- */

static int session_out(sqlite3_stmt *q, void *out)
{
	struct store_session *ss = out;
	col_text(q, 0, ss->id_hash, sizeof ss->id_hash);
	ss->user_id = sqlite3_column_int64(q, 1);
	col_text(q, 2, ss->csrf, sizeof ss->csrf);
	col_text(q, 3, ss->created, sizeof ss->created);
	col_text(q, 4, ss->expires, sizeof ss->expires);
	return 0;
}

static int sq_session_insert(struct store_tx *tx, const struct store_session *ss,
                             struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_SESSION_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, ss->id_hash);
	sqlite3_bind_int64(q, 2, ss->user_id);
	bind_text(q, 3, ss->csrf);
	bind_text(q, 4, ss->created);
	bind_text(q, 5, ss->expires);
	return exec_done(c, q, "session", err);
}

static int sq_session_get(struct store *s, const char *id_hash, struct store_session *out,
                          struct crix_error *err)
{
	return get_one(s, ST_SESSION_GET, bind_text1, id_hash, session_out, out, "session", err);
}

static int text_stmt(struct store_tx *tx, enum st i, const char *v, const char *what,
                     struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, i, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, v);
	return exec_done(c, q, what, err);
}

static int sq_session_delete(struct store_tx *tx, const char *id_hash, struct crix_error *err)
{
	return text_stmt(tx, ST_SESSION_DELETE, id_hash, "session", err);
}

static int sq_session_purge(struct store_tx *tx, const char *now, struct crix_error *err)
{
	return text_stmt(tx, ST_SESSION_PURGE, now, "sessions", err);
}

/* ---- reports ---- */

static int report_out(sqlite3_stmt *q, void *out)
{
	struct store_report *r = out;
	r->id = sqlite3_column_int64(q, 0);
	col_text(q, 1, r->ref, sizeof r->ref);
	col_text(q, 2, r->kind, sizeof r->kind);
	col_text(q, 3, r->category, sizeof r->category);
	col_text(q, 4, r->status, sizeof r->status);
	col_text(q, 5, r->outcome, sizeof r->outcome);
	col_text(q, 6, r->created, sizeof r->created);
	col_text(q, 7, r->updated, sizeof r->updated);
	col_text(q, 8, r->occurred_start, sizeof r->occurred_start);
	col_text(q, 9, r->occurred_end, sizeof r->occurred_end);
	r->loss_minor = sqlite3_column_int64(q, 10);
	col_text(q, 11, r->currency, sizeof r->currency);
	col_text(q, 12, r->payment_method, sizeof r->payment_method);
	col_text(q, 13, r->country, sizeof r->country);
	col_text(q, 14, r->region, sizeof r->region);
	col_text(q, 15, r->victim_type, sizeof r->victim_type);
	r->vulnerable = sqlite3_column_int(q, 16);
	col_text(q, 17, r->channel, sizeof r->channel);
	r->org_id = sqlite3_column_int64(q, 18);
	r->user_id = sqlite3_column_int64(q, 19);
	col_text(q, 20, r->secret_hash, sizeof r->secret_hash);
	if (col_dup(q, 21, &r->body) || col_dup(q, 22, &r->victim) || col_dup(q, 23, &r->advice)) {
		store_report_clear(r);
		return CRIX_ENOMEM;
	}
	return 0;
}

static int sq_report_insert(struct store_tx *tx, struct store_report *r, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_REPORT_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, r->ref);
	bind_text(q, 2, r->kind);
	bind_text(q, 3, r->category);
	bind_text(q, 4, r->status);
	bind_text(q, 5, r->outcome);
	bind_text(q, 6, r->created);
	bind_text(q, 7, r->updated);
	bind_text(q, 8, r->occurred_start);
	bind_text(q, 9, r->occurred_end);
	sqlite3_bind_int64(q, 10, r->loss_minor);
	bind_text(q, 11, r->currency);
	bind_text(q, 12, r->payment_method);
	bind_text(q, 13, r->country);
	bind_text(q, 14, r->region);
	bind_text(q, 15, r->victim_type);
	sqlite3_bind_int(q, 16, r->vulnerable);
	bind_text(q, 17, r->channel);
	sqlite3_bind_int64(q, 18, r->org_id);
	sqlite3_bind_int64(q, 19, r->user_id);
	bind_text(q, 20, r->secret_hash);
	bind_text(q, 21, r->body ? r->body : "{}");
	bind_text(q, 22, r->victim ? r->victim : "{}");
	bind_text(q, 23, r->advice ? r->advice : "[]");
	int rc = exec_done(c, q, "report", err);
	if (rc == 0)
		r->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_report_set_status(struct store_tx *tx, int64_t id, const char *from,
                                const char *status, const char *outcome, const char *updated,
                                struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_REPORT_STATUS, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, status);
	bind_text(q, 2, outcome);
	bind_text(q, 3, updated);
	sqlite3_bind_int64(q, 4, id);
	bind_text(q, 5, from);
	int rc = exec_done(c, q, "report status", err);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		return crix_error_field(err, "status", CRIX_EEXIST,
		                        "status: the report is no longer '%s': someone changed it "
		                        "first; reload it",
		                        from);
	return rc;
}

static int sq_report_touch(struct store_tx *tx, int64_t id, const char *updated,
                           struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_REPORT_TOUCH, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, updated);
	sqlite3_bind_int64(q, 2, id);
	return exec_done(c, q, "report", err);
}

static int sq_report_get(struct store *s, const char *ref, struct store_report *out,
                         struct crix_error *err)
{
	memset(out, 0, sizeof *out);
	return get_one(s, ST_REPORT_GET, bind_text1, ref, report_out, out, "report", err);
}

struct list_args {
	const struct store_report_filter *f;
	char *like;
	int64_t before, limit;
};

static void bind_report_list(sqlite3_stmt *q, const void *arg)
{
	const struct list_args *a = arg;
	bind_text(q, 1, a->f->status);
	bind_text(q, 2, a->f->category);
	bind_text(q, 3, a->f->region);
	bind_text(q, 4, a->f->from);
	bind_text(q, 5, a->f->to);
	if (a->f->indicator != NULL)
		bind_text(q, 6, a->f->indicator);
	if (a->like != NULL)
		bind_text(q, 7, a->like);
	sqlite3_bind_int64(q, 8, a->f->org_id);
	sqlite3_bind_int64(q, 9, a->before);
	sqlite3_bind_int64(q, 10, a->limit);
}

static int sq_report_list(struct store *s, const struct store_report_filter *f, int64_t before,
                          size_t limit, struct store_report **out, size_t *n,
                          struct crix_error *err)
{
	struct list_args a = {.f = f, .before = before, .limit = (int64_t)limit};
	if (f->text != NULL) {
		/* %text% with LIKE's own characters escaped. */
		size_t len = strlen(f->text);
		a.like = malloc(2 * len + 3);
		if (a.like == NULL)
			return crix_error_set(err, CRIX_ENOMEM, "search: out of memory");
		char *p = a.like;
		*p++ = '%';
		for (size_t i = 0; i < len; i++) {
			if (f->text[i] == '%' || f->text[i] == '_' || f->text[i] == '\\')
				*p++ = '\\';
			*p++ = f->text[i];
		}
		*p++ = '%';
		*p = '\0';
	}
	int rc = get_many(s, ST_REPORT_LIST, bind_report_list, &a, report_out, sizeof **out,
	                  (void **)out, n, "reports", err);
	free(a.like);
	if (rc != 0) {
		store_report_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- events, indicators, evidence ---- */

static int event_out(sqlite3_stmt *q, void *out)
{
	struct store_event *e = out;
	e->id = sqlite3_column_int64(q, 0);
	e->report_id = sqlite3_column_int64(q, 1);
	col_text(q, 2, e->at, sizeof e->at);
	col_text(q, 3, e->actor, sizeof e->actor);
	col_text(q, 4, e->type, sizeof e->type);
	col_text(q, 5, e->status, sizeof e->status);
	e->victim_visible = sqlite3_column_int(q, 6);
	return col_dup(q, 7, &e->detail);
}

static int sq_event_insert(struct store_tx *tx, struct store_event *e, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_EVENT_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, e->report_id);
	bind_text(q, 2, e->at);
	bind_text(q, 3, e->actor);
	bind_text(q, 4, e->type);
	bind_text(q, 5, e->status);
	sqlite3_bind_int(q, 6, e->victim_visible);
	if (e->detail != NULL)
		bind_text(q, 7, e->detail);
	int rc = exec_done(c, q, "event", err);
	if (rc == 0)
		e->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_event_list(struct store *s, int64_t report_id, size_t limit, struct store_event **out,
                         size_t *n, struct crix_error *err)
{
	struct id_page p = {.key = report_id, .limit = (int64_t)limit};
	int rc = get_many(s, ST_EVENT_LIST, bind_key_limit, &p, event_out, sizeof **out,
	                  (void **)out, n, "events", err);
	if (rc != 0) {
		store_event_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int ind_out(sqlite3_stmt *q, void *out)
{
	struct store_indicator *ind = out;
	ind->report_id = sqlite3_column_int64(q, 0);
	col_text(q, 1, ind->type, sizeof ind->type);
	col_text(q, 2, ind->field, sizeof ind->field);
	return col_dup(q, 3, &ind->value);
}

static int sq_indicator_insert(struct store_tx *tx, const struct store_indicator *ind,
                               struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_IND_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, ind->report_id);
	bind_text(q, 2, ind->type);
	bind_text(q, 3, ind->field);
	bind_text(q, 4, ind->value);
	return exec_done(c, q, "indicator", err);
}

static int sq_indicator_list(struct store *s, int64_t report_id, size_t limit,
                             struct store_indicator **out, size_t *n, struct crix_error *err)
{
	struct id_page p = {.key = report_id, .limit = (int64_t)limit};
	int rc = get_many(s, ST_IND_LIST, bind_key_limit, &p, ind_out, sizeof **out, (void **)out,
	                  n, "indicators", err);
	if (rc != 0) {
		store_indicator_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* An indicator row with its row id (the scan's cursor) after the struct. */
struct ind_row {
	struct store_indicator ind;
	int64_t row;
};

static int ind_row_out(sqlite3_stmt *q, void *out)
{
	struct ind_row *r = out;
	r->row = sqlite3_column_int64(q, 4);
	return ind_out(q, &r->ind);
}

static int sq_indicator_scan(struct store *s, int64_t after_row, size_t limit,
                             struct store_indicator **out, size_t *n, int64_t *last_row,
                             struct crix_error *err)
{
	struct id_page p = {.after = after_row, .limit = (int64_t)limit};
	struct ind_row *rows;
	size_t k;
	*out = NULL;
	*n = 0;
	*last_row = after_row;
	int rc = get_many(s, ST_IND_SCAN, bind_after_limit, &p, ind_row_out, sizeof *rows,
	                  (void **)&rows, &k, "indicators", err);
	if (rc != 0) {
		for (size_t i = 0; i < k; i++)
			free(rows[i].ind.value);
		free(rows);
		return rc;
	}
	if (k == 0) {
		free(rows);
		return 0;
	}
	/* Hand out plain indicators: copy down over the row ids. */
	struct store_indicator *inds = malloc(k * sizeof *inds);
	if (inds == NULL) {
		for (size_t i = 0; i < k; i++)
			free(rows[i].ind.value);
		free(rows);
		return crix_error_set(err, CRIX_ENOMEM, "indicators: out of memory");
	}
	for (size_t i = 0; i < k; i++)
		inds[i] = rows[i].ind;
	*last_row = rows[k - 1].row;
	free(rows);
	*out = inds;
	*n = k;
	return 0;
}

static int sq_report_facts(struct store *st, const struct store_report_filter *f, store_fact_fn fn,
                           void *arg, struct crix_error *err)
{
	struct conn *c = reader(st, err);
	if (c == NULL)
		return CRIX_EIO;
	sqlite3_stmt *q = stmt(c, ST_REPORT_FACTS, err);
	int rc = q ? 0 : CRIX_EIO;
	if (q != NULL) {
		bind_text(q, 1, f->status);
		bind_text(q, 2, f->category);
		bind_text(q, 3, f->region);
		bind_text(q, 4, f->from);
		bind_text(q, 5, f->to);
		sqlite3_bind_int64(q, 6, f->org_id);
		int step;
		while (rc == 0 && (step = sqlite3_step(q)) == SQLITE_ROW) {
			struct store_report_fact r;
			const char **cols[] = {&r.category,       &r.created,     &r.region,
			                       &r.country,        &r.victim_type, &r.channel,
			                       &r.payment_method, &r.kind,        &r.status,
			                       &r.outcome,        &r.currency};
			for (int i = 0; i < 11; i++) {
				const unsigned char *t = sqlite3_column_text(q, i);
				*cols[i] = t != NULL ? (const char *)t : "";
			}
			r.loss_minor = sqlite3_column_int64(q, 11);
			r.vulnerable = sqlite3_column_int(q, 12);
			r.id = sqlite3_column_int64(q, 13);
			r.org_id = sqlite3_column_int64(q, 14);
			rc = fn(arg, &r);
		}
		if (rc == 0 && step != SQLITE_DONE)
			rc = db_error(err, c->db, "statistics");
		sqlite3_reset(q);
	}
	reader_put((struct sq_store *)st, c);
	return rc;
}

struct ref_status {
	char *ref, *status;
};

static int ref_out(sqlite3_stmt *q, void *out)
{
	struct ref_status *rs = out;
	col_text(q, 0, rs->ref, STORE_REF_MAX);
	col_text(q, 1, rs->status, STORE_SHORT_MAX);
	return 0;
}

static int sq_report_ref(struct store *s, int64_t id, char ref[STORE_REF_MAX],
                         char status[STORE_SHORT_MAX], struct crix_error *err)
{
	struct ref_status rs = {ref, status};
	return get_one(s, ST_REPORT_REF, bind_id, &id, ref_out, &rs, "report", err);
}

static int evidence_out(sqlite3_stmt *q, void *out)
{
	struct store_evidence *ev = out;
	ev->id = sqlite3_column_int64(q, 0);
	ev->report_id = sqlite3_column_int64(q, 1);
	col_text(q, 2, ev->sha256, sizeof ev->sha256);
	ev->size = sqlite3_column_int64(q, 3);
	col_text(q, 4, ev->mime, sizeof ev->mime);
	col_text(q, 5, ev->name, sizeof ev->name);
	col_text(q, 6, ev->at, sizeof ev->at);
	return 0;
}

static int sq_evidence_insert(struct store_tx *tx, struct store_evidence *ev,
                              struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_EV_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, ev->report_id);
	bind_text(q, 2, ev->sha256);
	sqlite3_bind_int64(q, 3, ev->size);
	bind_text(q, 4, ev->mime);
	bind_text(q, 5, ev->name);
	bind_text(q, 6, ev->at);
	int rc = exec_done(c, q, "evidence", err);
	if (rc == 0)
		ev->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_evidence_list(struct store *s, int64_t report_id, struct store_evidence **out,
                            size_t *n, struct crix_error *err)
{
	return get_many(s, ST_EV_LIST, bind_id, &report_id, evidence_out, sizeof **out,
	                (void **)out, n, "evidence", err);
}

static int custody_out(sqlite3_stmt *q, void *out)
{
	struct store_custody *cu = out;
	cu->evidence_id = sqlite3_column_int64(q, 0);
	col_text(q, 1, cu->at, sizeof cu->at);
	col_text(q, 2, cu->actor, sizeof cu->actor);
	col_text(q, 3, cu->action, sizeof cu->action);
	col_text(q, 4, cu->detail, sizeof cu->detail);
	return 0;
}

static int sq_custody_insert(struct store_tx *tx, const struct store_custody *cu,
                             struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_CUSTODY_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, cu->evidence_id);
	bind_text(q, 2, cu->at);
	bind_text(q, 3, cu->actor);
	bind_text(q, 4, cu->action);
	bind_text(q, 5, cu->detail);
	return exec_done(c, q, "custody", err);
}

static int sq_custody_list(struct store *s, int64_t evidence_id, struct store_custody **out,
                           size_t *n, struct crix_error *err)
{
	return get_many(s, ST_CUSTODY_LIST, bind_id, &evidence_id, custody_out, sizeof **out,
	                (void **)out, n, "custody", err);
}

/* ---- audit ---- */

static int audit_out(sqlite3_stmt *q, void *out)
{
	struct store_audit *a = out;
	a->id = sqlite3_column_int64(q, 0);
	col_text(q, 1, a->at, sizeof a->at);
	col_text(q, 2, a->actor, sizeof a->actor);
	col_text(q, 3, a->action, sizeof a->action);
	col_text(q, 4, a->object_type, sizeof a->object_type);
	col_text(q, 5, a->object_id, sizeof a->object_id);
	col_text(q, 7, a->prev_hash, sizeof a->prev_hash);
	col_text(q, 8, a->hash, sizeof a->hash);
	return col_dup(q, 6, &a->detail);
}

static int sq_audit_last(struct store_tx *tx, struct store_audit *out, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *q = stmt(c, ST_AUDIT_LAST, err);
	if (q == NULL)
		return CRIX_EIO;
	int s = sqlite3_step(q);
	int rc;
	if (s == SQLITE_ROW)
		rc = audit_out(q, out);
	else if (s == SQLITE_DONE)
		rc = CRIX_ENOTFOUND;
	else
		rc = db_error(err, c->db, "audit");
	sqlite3_reset(q);
	return rc;
}

static int sq_audit_insert(struct store_tx *tx, struct store_audit *a, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_AUDIT_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, a->at);
	bind_text(q, 2, a->actor);
	bind_text(q, 3, a->action);
	bind_text(q, 4, a->object_type);
	bind_text(q, 5, a->object_id);
	if (a->detail != NULL)
		bind_text(q, 6, a->detail);
	bind_text(q, 7, a->prev_hash);
	bind_text(q, 8, a->hash);
	int rc = exec_done(c, q, "audit", err);
	if (rc == 0)
		a->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_audit_list(struct store *s, int64_t after, size_t limit, struct store_audit **out,
                         size_t *n, struct crix_error *err)
{
	struct id_page p = {.after = after, .limit = (int64_t)limit};
	int rc = get_many(s, ST_AUDIT_LIST, bind_after_limit, &p, audit_out, sizeof **out,
	                  (void **)out, n, "audit", err);
	if (rc != 0) {
		store_audit_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- sharing ---- */

static int sq_group_insert(struct store_tx *tx, struct store_group *g, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_GROUP_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, g->name);
	sqlite3_bind_int64(q, 2, g->owner_org);
	bind_text(q, 3, g->created);
	int rc = exec_done(c, q, "sharing group", err);
	if (rc == 0)
		g->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sq_group_member(struct store_tx *tx, int64_t group, int64_t org, int add,
                           struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, add ? ST_GROUP_ADD : ST_GROUP_REMOVE, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, group);
	sqlite3_bind_int64(q, 2, org);
	return exec_done(c, q, "sharing group member", err);
}

static int group_out(sqlite3_stmt *q, void *out)
{
	struct store_group *g = out;
	g->id = sqlite3_column_int64(q, 0);
	col_text(q, 1, g->name, sizeof g->name);
	g->owner_org = sqlite3_column_int64(q, 2);
	col_text(q, 3, g->created, sizeof g->created);
	col_text(q, 4, g->members, sizeof g->members);
	return 0;
}

static void bind_none(sqlite3_stmt *q, const void *arg)
{
	(void)q;
	(void)arg;
}

static int sq_group_list(struct store *s, struct store_group **out, size_t *n,
                         struct crix_error *err)
{
	return get_many(s, ST_GROUP_LIST, bind_none, NULL, group_out, sizeof **out, (void **)out, n,
	                "sharing groups", err);
}

static void bind_collection(sqlite3_stmt *q, const struct store_collection *c, int update)
{
	bind_text(q, 1, c->id);
	bind_text(q, 2, c->title);
	bind_text(q, 3, c->description);
	int k = 4;
	if (!update) {
		sqlite3_bind_int64(q, 4, c->owner_org);
		sqlite3_bind_int64(q, 5, c->owner_user);
		k = 6;
	}
	sqlite3_bind_int(q, k++, c->tlp);
	bind_text(q, k++, c->share_orgs);
	bind_text(q, k++, c->share_groups);
	bind_text(q, k++, c->share_users);
	bind_text(q, k++, c->writers);
	if (!update)
		bind_text(q, k, c->created);
}

static int sq_collection_insert(struct store_tx *tx, const struct store_collection *col,
                                struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_COLL_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_collection(q, col, 0);
	return exec_done(c, q, "collection", err);
}

static int sq_collection_update(struct store_tx *tx, const struct store_collection *col,
                                struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_COLL_UPDATE, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_collection(q, col, 1);
	int rc = exec_done(c, q, "collection", err);
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found", col->id);
	return rc;
}

static int collection_out(sqlite3_stmt *q, void *out)
{
	struct store_collection *c = out;
	col_text(q, 0, c->id, sizeof c->id);
	col_text(q, 1, c->title, sizeof c->title);
	col_text(q, 2, c->description, sizeof c->description);
	c->owner_org = sqlite3_column_int64(q, 3);
	c->owner_user = sqlite3_column_int64(q, 4);
	c->tlp = sqlite3_column_int(q, 5);
	col_text(q, 6, c->share_orgs, sizeof c->share_orgs);
	col_text(q, 7, c->share_groups, sizeof c->share_groups);
	col_text(q, 8, c->share_users, sizeof c->share_users);
	col_text(q, 9, c->writers, sizeof c->writers);
	col_text(q, 10, c->created, sizeof c->created);
	return 0;
}

static int sq_collection_list(struct store *s, struct store_collection **out, size_t *n,
                              struct crix_error *err)
{
	return get_many(s, ST_COLL_LIST, bind_none, NULL, collection_out, sizeof **out,
	                (void **)out, n, "collections", err);
}

static int sq_object_insert(struct store_tx *tx, struct store_object *o, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_OBJ_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, o->collection);
	bind_text(q, 2, o->stix_id);
	bind_text(q, 3, o->type);
	bind_text(q, 4, o->spec_version);
	bind_text(q, 5, o->version);
	bind_text(q, 6, o->added);
	sqlite3_bind_int(q, 7, o->tlp);
	sqlite3_bind_int64(q, 8, o->owner_org);
	sqlite3_bind_int64(q, 9, o->owner_user);
	bind_text(q, 10, o->source);
	bind_text(q, 11, o->body);
	o->version_us = clock_parse_iso_us(o->version); /* as fill_version_us does */
	sqlite3_bind_int64(q, 12, o->version_us);
	int rc = exec_done(c, q, "STIX object", err);
	if (rc == 0)
		o->row = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static void bind_object_filter(sqlite3_stmt *q, const void *arg)
{
	const struct store_object_filter *f = arg;
	bind_text(q, 1, f->collection);
	sqlite3_bind_int64(q, 2, f->after_row);
	if (f->stix_id != NULL)
		bind_text(q, 4, f->stix_id);
	if (f->type != NULL)
		bind_text(q, 5, f->type);
	sqlite3_bind_int(q, 6, f->latest_only);
	sqlite3_bind_int64(q, 7, (int64_t)f->limit);
}

static int object_out(sqlite3_stmt *q, void *out)
{
	struct store_object *o = out;
	o->row = sqlite3_column_int64(q, 0);
	col_text(q, 1, o->collection, sizeof o->collection);
	col_text(q, 2, o->stix_id, sizeof o->stix_id);
	col_text(q, 3, o->type, sizeof o->type);
	col_text(q, 4, o->spec_version, sizeof o->spec_version);
	col_text(q, 5, o->version, sizeof o->version);
	col_text(q, 6, o->added, sizeof o->added);
	o->tlp = sqlite3_column_int(q, 7);
	o->owner_org = sqlite3_column_int64(q, 8);
	o->owner_user = sqlite3_column_int64(q, 9);
	col_text(q, 10, o->source, sizeof o->source);
	o->version_us = sqlite3_column_int64(q, 12);
	return col_dup(q, 11, &o->body);
}

static void bind_first_after(sqlite3_stmt *q, const void *arg)
{
	const struct store_object_filter *f = arg;
	bind_text(q, 1, f->collection);
	bind_text(q, 2, f->added_after);
}

static int int64_out(sqlite3_stmt *q, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(q, 0);
	return 0;
}

static int sq_object_page(struct store *s, const struct store_object_filter *fin,
                          struct store_object **out, size_t *n, struct crix_error *err)
{
	struct store_object_filter f = *fin;
	*out = NULL;
	*n = 0;
	if (f.added_after != NULL && f.added_after[0] != '\0') {
		int64_t first;
		int rc = get_one(s, ST_OBJ_FIRST_AFTER, bind_first_after, &f, int64_out, &first,
		                 "STIX objects", err);
		if (rc != 0)
			return rc;
		if (first < 0)
			return 0; /* nothing was added after that */
		if (first - 1 > f.after_row)
			f.after_row = first - 1;
	}
	int rc = get_many(s, ST_OBJ_PAGE, bind_object_filter, &f, object_out, sizeof **out,
	                  (void **)out, n, "STIX objects", err);
	if (rc != 0) {
		store_object_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int last_added_out(sqlite3_stmt *q, void *out)
{
	col_text(q, 0, out, CLOCK_ISO_LEN + 8);
	return 0;
}

static int sq_object_last_added(struct store *s, char *out, struct crix_error *err)
{
	return get_one(s, ST_OBJ_LAST_ADDED, bind_none, NULL, last_added_out, out, "STIX objects",
	               err);
}

static int sq_status_insert(struct store_tx *tx, const struct store_status *st,
                            struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_STATUS_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, st->id);
	sqlite3_bind_int64(q, 2, st->user_id);
	bind_text(q, 3, st->created);
	bind_text(q, 4, st->body);
	return exec_done(c, q, "status", err);
}

static int status_out(sqlite3_stmt *q, void *out)
{
	struct store_status *st = out;
	col_text(q, 0, st->id, sizeof st->id);
	st->user_id = sqlite3_column_int64(q, 1);
	col_text(q, 2, st->created, sizeof st->created);
	return col_dup(q, 3, &st->body);
}

static int sq_status_get(struct store *s, const char *id, struct store_status *out,
                         struct crix_error *err)
{
	return get_one(s, ST_STATUS_GET, bind_text1, id, status_out, out, "status", err);
}

static int sq_shared_indicator_drop(struct store_tx *tx, const char *collection,
                                    const char *stix_id, int64_t owner_org, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_SIND_DROP, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, collection);
	bind_text(q, 2, stix_id);
	sqlite3_bind_int64(q, 3, owner_org);
	return exec_done(c, q, "shared indicator", err);
}

static int sq_shared_indicator_insert(struct store_tx *tx, struct store_shared_indicator *si,
                                      struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_SIND_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, si->object_row);
	bind_text(q, 2, si->type);
	bind_text(q, 3, si->value);
	int rc = exec_done(c, q, "shared indicator", err);
	if (rc == 0)
		si->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sind_out(sqlite3_stmt *q, void *out)
{
	struct store_shared_indicator *si = out;
	si->id = sqlite3_column_int64(q, 0);
	si->object_row = sqlite3_column_int64(q, 1);
	col_text(q, 2, si->type, sizeof si->type);
	col_text(q, 4, si->collection, sizeof si->collection);
	col_text(q, 5, si->stix_id, sizeof si->stix_id);
	col_text(q, 6, si->added, sizeof si->added);
	si->tlp = sqlite3_column_int(q, 7);
	si->owner_org = sqlite3_column_int64(q, 8);
	si->owner_user = sqlite3_column_int64(q, 9);
	return col_dup(q, 3, &si->value);
}

static int sq_shared_indicator_scan(struct store *s, int64_t after_id, size_t limit,
                                    struct store_shared_indicator **out, size_t *n,
                                    struct crix_error *err)
{
	struct id_page p = {.after = after_id, .limit = (int64_t)limit};
	int rc = get_many(s, ST_SIND_SCAN, bind_after_limit, &p, sind_out, sizeof **out,
	                  (void **)out, n, "shared indicators", err);
	if (rc != 0) {
		store_shared_indicator_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- sightings ---- */

static int sq_sighting_insert(struct store_tx *tx, struct store_sighting *sg,
                              struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_SIGHT_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, sg->sid);
	bind_text(q, 2, sg->collection);
	bind_text(q, 3, sg->stix_id);
	sqlite3_bind_int64(q, 4, sg->owner_org);
	sqlite3_bind_int64(q, 5, sg->org_id);
	sqlite3_bind_int64(q, 6, sg->user_id);
	sqlite3_bind_int64(q, 7, sg->count);
	bind_text(q, 8, sg->first_seen);
	bind_text(q, 9, sg->last_seen);
	bind_text(q, 10, sg->place);
	bind_text(q, 11, sg->observed);
	bind_text(q, 12, sg->created);
	int rc = exec_done(c, q, "sighting", err);
	if (rc == 0)
		sg->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int sighting_out(sqlite3_stmt *q, void *out)
{
	struct store_sighting *sg = out;
	sg->id = sqlite3_column_int64(q, 0);
	col_text(q, 1, sg->sid, sizeof sg->sid);
	col_text(q, 2, sg->collection, sizeof sg->collection);
	col_text(q, 3, sg->stix_id, sizeof sg->stix_id);
	sg->owner_org = sqlite3_column_int64(q, 4);
	sg->org_id = sqlite3_column_int64(q, 5);
	sg->user_id = sqlite3_column_int64(q, 6);
	sg->count = sqlite3_column_int64(q, 7);
	col_text(q, 8, sg->first_seen, sizeof sg->first_seen);
	col_text(q, 9, sg->last_seen, sizeof sg->last_seen);
	col_text(q, 10, sg->place, sizeof sg->place);
	col_text(q, 11, sg->observed, sizeof sg->observed);
	col_text(q, 12, sg->created, sizeof sg->created);
	return 0;
}

static void bind_sighting_page(sqlite3_stmt *q, const void *arg)
{
	const struct id_page *p = arg;
	if (p->text != NULL)
		bind_text(q, 1, p->text);
	else
		sqlite3_bind_null(q, 1);
	sqlite3_bind_int64(q, 2, p->after);
	sqlite3_bind_int64(q, 3, p->limit);
}

static int sq_sighting_page(struct store *s, const char *stix_id, int64_t after_id, size_t limit,
                            struct store_sighting **out, size_t *n, struct crix_error *err)
{
	struct id_page p = {.after = after_id, .limit = (int64_t)limit, .text = stix_id};
	return get_many(s, ST_SIGHT_PAGE, bind_sighting_page, &p, sighting_out, sizeof **out,
	                (void **)out, n, "sightings", err);
}

/* ---- analysts' decisions about cases ---- */

static int sq_decision_insert(struct store_tx *tx, struct store_case_decision *d,
                              struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_DECISION_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, d->at);
	bind_text(q, 2, d->actor);
	bind_text(q, 3, d->kind);
	sqlite3_bind_int64(q, 4, d->report_id);
	sqlite3_bind_int64(q, 5, d->other_id);
	bind_text(q, 6, d->type);
	bind_text(q, 7, d->value);
	bind_text(q, 8, d->note);
	int rc = exec_done(c, q, "case decision", err);
	if (rc == 0)
		d->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int decision_out(sqlite3_stmt *q, void *out)
{
	struct store_case_decision *d = out;
	d->id = sqlite3_column_int64(q, 0);
	col_text(q, 1, d->at, sizeof d->at);
	col_text(q, 2, d->actor, sizeof d->actor);
	col_text(q, 3, d->kind, sizeof d->kind);
	d->report_id = sqlite3_column_int64(q, 4);
	d->other_id = sqlite3_column_int64(q, 5);
	col_text(q, 6, d->type, sizeof d->type);
	col_text(q, 7, d->value, sizeof d->value);
	col_text(q, 8, d->note, sizeof d->note);
	return 0;
}

static int sq_decision_list(struct store *s, int64_t after, size_t limit,
                            struct store_case_decision **out, size_t *n, struct crix_error *err)
{
	struct id_page p = {.after = after, .limit = (int64_t)limit};
	int rc = get_many(s, ST_DECISION_LIST, bind_after_limit, &p, decision_out, sizeof **out,
	                  (void **)out, n, "case decisions", err);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int sq_report_brief(struct store *s, int64_t id, struct store_report *out,
                           struct crix_error *err)
{
	memset(out, 0, sizeof *out);
	return get_one(s, ST_REPORT_BRIEF, bind_id, &id, report_out, out, "report", err);
}

static int body_out(sqlite3_stmt *q, void *out)
{
	return col_dup(q, 0, out);
}

static int sq_report_body(struct store *s, int64_t id, char **body, struct crix_error *err)
{
	*body = NULL;
	int rc = get_one(s, ST_REPORT_BODY, bind_id, &id, body_out, body, "report", err);
	if (rc == CRIX_ENOMEM)
		crix_error_set(err, rc, "out of memory");
	return rc;
}

static int sq_report_brief_scan(struct store *s, int64_t after, size_t limit,
                                struct store_report **out, size_t *n, struct crix_error *err)
{
	struct id_page p = {.after = after, .limit = (int64_t)limit};
	int rc = get_many(s, ST_REPORT_BRIEF_SCAN, bind_after_limit, &p, report_out, sizeof **out,
	                  (void **)out, n, "reports", err);
	if (rc != 0) {
		store_report_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- alerts ---- */

static int sq_alert_insert(struct store_tx *tx, struct store_alert *a, struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_ALERT_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, a->title);
	bind_text(q, 2, a->category);
	sqlite3_bind_int(q, 3, a->tlp);
	bind_text(q, 4, a->status);
	sqlite3_bind_int64(q, 5, a->org_id);
	sqlite3_bind_int64(q, 6, a->user_id);
	bind_text(q, 7, a->org_name);
	bind_text(q, 8, a->author);
	bind_text(q, 9, a->published);
	bind_text(q, 10, a->expires);
	bind_text(q, 11, a->withdrawn);
	bind_text(q, 12, a->summary);
	bind_text(q, 13, a->advice);
	bind_text(q, 14, a->indicators);
	int rc = exec_done(c, q, "alert", err);
	if (rc == 0)
		a->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int alert_out(sqlite3_stmt *q, void *out)
{
	struct store_alert *a = out;
	a->id = sqlite3_column_int64(q, 0);
	col_text(q, 1, a->title, sizeof a->title);
	col_text(q, 2, a->category, sizeof a->category);
	a->tlp = sqlite3_column_int(q, 3);
	col_text(q, 4, a->status, sizeof a->status);
	a->org_id = sqlite3_column_int64(q, 5);
	a->user_id = sqlite3_column_int64(q, 6);
	col_text(q, 7, a->org_name, sizeof a->org_name);
	col_text(q, 8, a->author, sizeof a->author);
	col_text(q, 9, a->published, sizeof a->published);
	col_text(q, 10, a->expires, sizeof a->expires);
	col_text(q, 11, a->withdrawn, sizeof a->withdrawn);
	if (col_dup(q, 12, &a->summary) != 0 || col_dup(q, 13, &a->advice) != 0 ||
	    col_dup(q, 14, &a->indicators) != 0)
		return CRIX_ENOMEM;
	return 0;
}

static int sq_alert_withdraw(struct store_tx *tx, int64_t id, const char *at,
                             struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_ALERT_WITHDRAW, err);
	if (q == NULL)
		return CRIX_EIO;
	bind_text(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	int rc = exec_done(c, q, "alert", err);
	if (rc == 0 && sqlite3_changes(c->db) == 0) {
		/* Not published: unknown, or withdrawn already. */
		sqlite3_stmt *g = stmt(c, ST_ALERT_GET, err);
		if (g == NULL)
			return CRIX_EIO;
		sqlite3_bind_int64(g, 1, id);
		int s = sqlite3_step(g);
		sqlite3_reset(g);
		if (s == SQLITE_ROW)
			return crix_error_set(err, CRIX_EEXIST, "alert %lld is withdrawn already",
			                      (long long)id);
		return crix_error_set(err, CRIX_ENOTFOUND, "alert %lld not found", (long long)id);
	}
	return rc;
}

static int sq_alert_get(struct store *s, int64_t id, struct store_alert *out,
                        struct crix_error *err)
{
	memset(out, 0, sizeof *out);
	int rc = get_one(s, ST_ALERT_GET, bind_id, &id, alert_out, out, "alert", err);
	if (rc != 0)
		store_alert_clear(out);
	return rc;
}

struct alert_list_args {
	const struct store_alert_filter *f;
	int64_t before, limit;
};

static void bind_alert_list(sqlite3_stmt *q, const void *arg)
{
	const struct alert_list_args *a = arg;
	bind_text(q, 1, a->f->category);
	sqlite3_bind_int(q, 2, a->f->max_tlp);
	bind_text(q, 3, a->f->now);
	sqlite3_bind_int64(q, 4, a->f->also_org);
	sqlite3_bind_int64(q, 5, a->before);
	sqlite3_bind_int64(q, 6, a->limit);
	sqlite3_bind_int(q, 7, a->f->withdrawn);
}

static int sq_alert_list(struct store *s, const struct store_alert_filter *f, int64_t before,
                         size_t limit, struct store_alert **out, size_t *n, struct crix_error *err)
{
	struct alert_list_args a = {.f = f, .before = before, .limit = (int64_t)limit};
	int rc = get_many(s, ST_ALERT_LIST, bind_alert_list, &a, alert_out, sizeof **out,
	                  (void **)out, n, "alerts", err);
	if (rc != 0) {
		store_alert_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- stable case ids and the records of case work ---- */

static int sq_case_id_insert(struct store_tx *tx, const struct store_case_id *ci,
                             struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_CASE_ID_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, ci->seq);
	bind_text(q, 2, ci->name);
	sqlite3_bind_int64(q, 3, ci->report_id);
	sqlite3_bind_int64(q, 4, ci->merged_into);
	bind_text(q, 5, ci->created);
	return exec_done(c, q, "case id", err);
}

static int sq_case_id_update(struct store_tx *tx, const struct store_case_id *ci,
                             struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_CASE_ID_UPDATE, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, ci->report_id);
	sqlite3_bind_int64(q, 2, ci->merged_into);
	sqlite3_bind_int64(q, 3, ci->seq);
	return exec_done(c, q, "case id", err);
}

static int case_id_out(sqlite3_stmt *q, void *out)
{
	struct store_case_id *ci = out;
	ci->seq = sqlite3_column_int64(q, 0);
	col_text(q, 1, ci->name, sizeof ci->name);
	ci->report_id = sqlite3_column_int64(q, 2);
	ci->merged_into = sqlite3_column_int64(q, 3);
	col_text(q, 4, ci->created, sizeof ci->created);
	return 0;
}

static int sq_case_id_list(struct store *s, int64_t after, size_t limit, struct store_case_id **out,
                           size_t *n, struct crix_error *err)
{
	struct id_page p = {.after = after, .limit = (int64_t)limit};
	int rc = get_many(s, ST_CASE_ID_LIST, bind_after_limit, &p, case_id_out, sizeof **out,
	                  (void **)out, n, "case ids", err);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static int sq_case_record_insert(struct store_tx *tx, struct store_case_record *r,
                                 struct crix_error *err)
{
	struct conn *c = wconn(tx);
	sqlite3_stmt *q = stmt(c, ST_CASE_REC_INSERT, err);
	if (q == NULL)
		return CRIX_EIO;
	sqlite3_bind_int64(q, 1, r->case_seq);
	bind_text(q, 2, r->kind);
	bind_text(q, 3, r->at);
	bind_text(q, 4, r->actor);
	sqlite3_bind_int64(q, 5, r->org_id);
	bind_text(q, 6, r->body);
	int rc = exec_done(c, q, "case record", err);
	if (rc == 0)
		r->id = sqlite3_last_insert_rowid(c->db);
	return rc;
}

static int case_record_out(sqlite3_stmt *q, void *out)
{
	struct store_case_record *r = out;
	r->id = sqlite3_column_int64(q, 0);
	r->case_seq = sqlite3_column_int64(q, 1);
	col_text(q, 2, r->kind, sizeof r->kind);
	col_text(q, 3, r->at, sizeof r->at);
	col_text(q, 4, r->actor, sizeof r->actor);
	r->org_id = sqlite3_column_int64(q, 5);
	return col_dup(q, 6, &r->body);
}

static void bind_case_rec(sqlite3_stmt *q, const void *arg)
{
	const struct id_page *p = arg;
	sqlite3_bind_int64(q, 1, p->key);
	sqlite3_bind_int64(q, 2, p->after);
	sqlite3_bind_int64(q, 3, p->limit);
}

static int sq_case_record_list(struct store *s, int64_t case_seq, int64_t after, size_t limit,
                               struct store_case_record **out, size_t *n, struct crix_error *err)
{
	struct id_page p = {.key = case_seq, .after = after, .limit = (int64_t)limit};
	int rc = get_many(s, ST_CASE_REC_LIST, bind_case_rec, &p, case_record_out, sizeof **out,
	                  (void **)out, n, "case records", err);
	if (rc != 0) {
		store_case_record_array_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/*
 * The plan SQLite picks for the one statement whose text holds fragment:
 * the detail of each EXPLAIN QUERY PLAN row, joined by "; ", so that a test
 * can require a statement to use its index.
 */
int store_sqlite_plan(struct store *st, const char *fragment, char *out, size_t cap,
                      struct crix_error *err)
{
	if (st == NULL || st->ops != &sqlite_ops || cap == 0)
		return crix_error_set(err, CRIX_EINVAL, "not an SQLite store");
	int found = -1;
	for (int i = 0; i < ST_COUNT; i++) {
		if (sql[i] == NULL || strstr(sql[i], fragment) == NULL)
			continue;
		if (found >= 0)
			return crix_error_set(err, CRIX_EINVAL,
			                      "more than one statement holds '%s'", fragment);
		found = i;
	}
	if (found < 0)
		return crix_error_set(err, CRIX_ENOTFOUND, "no statement holds '%s'", fragment);
	char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql[found]);
	if (q == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	struct conn *c = reader(st, err);
	if (c == NULL) {
		sqlite3_free(q);
		return CRIX_EIO;
	}
	sqlite3_stmt *e = NULL;
	int rc = sqlite3_prepare_v2(c->db, q, -1, &e, NULL) == SQLITE_OK ? 0 : CRIX_EIO;
	size_t used = 0;
	out[0] = '\0';
	while (rc == 0 && sqlite3_step(e) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(e, 3);
		int k = snprintf(out + used, cap - used, "%s%s", used ? "; " : "", d ? d : "");
		used = k < 0 || (size_t)k >= cap - used ? cap - 1 : used + (size_t)k;
	}
	if (rc != 0)
		db_error(err, c->db, "explain");
	sqlite3_finalize(e);
	sqlite3_free(q);
	reader_put((struct sq_store *)st, c);
	return rc;
}

static const struct store_ops sqlite_ops = {
        .name = "sqlite",
        .close = sq_close,
        .schema_version = sq_schema_version,
        .tx_begin = sq_tx_begin,
        .tx_commit = sq_tx_commit,
        .tx_rollback = sq_tx_rollback,
        .org_insert = sq_org_insert,
        .org_update = sq_org_update,
        .org_get = sq_org_get,
        .org_list = sq_org_list,
        .user_insert = sq_user_insert,
        .user_update = sq_user_update,
        .user_get = sq_user_get,
        .user_by_name = sq_user_by_name,
        .user_list = sq_user_list,
        .user_count = sq_user_count,
        .token_insert = sq_token_insert,
        .token_by_hash = sq_token_by_hash,
        .token_get = sq_token_get,
        .token_list = sq_token_list,
        .token_revoke = sq_token_revoke,
        .session_insert = sq_session_insert,
        .session_get = sq_session_get,
        .session_delete = sq_session_delete,
        .session_purge = sq_session_purge,
        .report_insert = sq_report_insert,
        .report_set_status = sq_report_set_status,
        .report_touch = sq_report_touch,
        .report_get = sq_report_get,
        .report_list = sq_report_list,
        .event_insert = sq_event_insert,
        .event_list = sq_event_list,
        .indicator_insert = sq_indicator_insert,
        .indicator_list = sq_indicator_list,
        .indicator_scan = sq_indicator_scan,
        .report_ref = sq_report_ref,
        .report_facts = sq_report_facts,
        .evidence_insert = sq_evidence_insert,
        .evidence_list = sq_evidence_list,
        .custody_insert = sq_custody_insert,
        .custody_list = sq_custody_list,
        .audit_last = sq_audit_last,
        .audit_insert = sq_audit_insert,
        .audit_list = sq_audit_list,
        .group_insert = sq_group_insert,
        .group_member = sq_group_member,
        .group_list = sq_group_list,
        .collection_insert = sq_collection_insert,
        .collection_update = sq_collection_update,
        .collection_list = sq_collection_list,
        .object_insert = sq_object_insert,
        .object_page = sq_object_page,
        .object_last_added = sq_object_last_added,
        .status_insert = sq_status_insert,
        .status_get = sq_status_get,
        .shared_indicator_drop = sq_shared_indicator_drop,
        .shared_indicator_insert = sq_shared_indicator_insert,
        .shared_indicator_scan = sq_shared_indicator_scan,
        .decision_insert = sq_decision_insert,
        .decision_list = sq_decision_list,
        .report_brief = sq_report_brief,
        .report_brief_scan = sq_report_brief_scan,
        .report_body = sq_report_body,
        .alert_insert = sq_alert_insert,
        .alert_withdraw = sq_alert_withdraw,
        .alert_get = sq_alert_get,
        .alert_list = sq_alert_list,
        .case_id_insert = sq_case_id_insert,
        .case_id_update = sq_case_id_update,
        .case_id_list = sq_case_id_list,
        .case_record_insert = sq_case_record_insert,
        .case_record_list = sq_case_record_list,
        .sighting_insert = sq_sighting_insert,
        .sighting_page = sq_sighting_page,
};
