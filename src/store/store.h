/*
 * store.h - where crix keeps what it must not lose: organisations, users,
 * tokens, sessions, reports with their events, indicators and evidence, and
 * the audit chain.
 *
 * The interface knows nothing of SQL or of the backend: store_open() picks
 * one by URL ("sqlite:PATH" today; "postgres://..." is reserved for the
 * PostgreSQL backend) and every call goes through its table of operations.
 * The store persists and finds; it never decides who may see what (model/
 * and http/ do).
 *
 * Writes happen inside a transaction (store_tx_begin ... store_tx_commit): a
 * commit that returns 0 is durable (it survives kill -9 and power loss), so
 * callers acknowledge a write only after it.  Transactions are serialised;
 * reads run concurrently on their own connections and see committed data.
 *
 * Records are plain structs with fixed-size text fields (their caps are the
 * validation limits of model/) and a few heap strings (JSON documents), which
 * the matching *_free / store_*_clear functions release.  All functions return
 * 0 or a negative CRIX_E* code with a message in err.
 */
#ifndef CRIX_STORE_STORE_H
#define CRIX_STORE_STORE_H

#include "util/clock.h"
#include "util/err.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_tx;

/* Caps of the text fields, including the NUL. */
#define STORE_NAME_MAX   128
#define STORE_SHORT_MAX  32
#define STORE_REGION_MAX 64
#define STORE_USER_MAX   64
#define STORE_HASH_MAX   129 /* argon2id strings are up to 128 characters */
#define STORE_HEX_MAX    65
#define STORE_REF_MAX    24
#define STORE_ACTOR_MAX  96

struct store_org {
	int64_t id;
	char name[STORE_NAME_MAX];
	char kind[STORE_SHORT_MAX]; /* law-enforcement, cert, business, public-sector, ngo */
	char country[3];            /* ISO 3166-1 alpha-2 */
	char region[STORE_REGION_MAX];
	char created[CLOCK_ISO_LEN];
};

struct store_user {
	int64_t id;
	int64_t org_id;
	char username[STORE_USER_MAX];
	char role[STORE_SHORT_MAX]; /* viewer, analyst, investigator, org-admin, admin */
	char pw_hash[STORE_HASH_MAX];
	int disabled;
	char created[CLOCK_ISO_LEN];
};

struct store_token {
	int64_t id;
	int64_t user_id;
	char name[STORE_NAME_MAX];
	char hash[STORE_HEX_MAX]; /* keyed hash of the token; the token itself is never kept */
	char created[CLOCK_ISO_LEN];
	char expires[CLOCK_ISO_LEN]; /* "" for never */
	char revoked[CLOCK_ISO_LEN]; /* "" while valid */
};

struct store_session {
	char id_hash[STORE_HEX_MAX]; /* keyed hash of the cookie value */
	int64_t user_id;
	char csrf[STORE_HEX_MAX]; /* the CSRF token (not a secret from the user) */
	char created[CLOCK_ISO_LEN];
	char expires[CLOCK_ISO_LEN];
};

struct store_report {
	int64_t id;
	char ref[STORE_REF_MAX];
	char kind[STORE_SHORT_MAX]; /* crime, information */
	char category[STORE_SHORT_MAX * 2];
	char status[STORE_SHORT_MAX];
	char outcome[STORE_SHORT_MAX]; /* "" until an outcome is recorded */
	char created[CLOCK_ISO_LEN];
	char updated[CLOCK_ISO_LEN];
	char occurred_start[CLOCK_ISO_LEN]; /* "" when not given */
	char occurred_end[CLOCK_ISO_LEN];
	int64_t loss_minor;                   /* losses in minor units (0 when none) */
	char currency[4];                     /* ISO 4217, "" when no loss */
	char payment_method[STORE_SHORT_MAX]; /* "" when not given */
	char country[3];                      /* the victim's country, "" when not given */
	char region[STORE_REGION_MAX];        /* the victim's region, "" when not given */
	char victim_type[STORE_SHORT_MAX];    /* person, organisation */
	int vulnerable;                       /* the victim said they are vulnerable */
	char channel[STORE_SHORT_MAX];        /* web, api, bulk */
	int64_t org_id;                       /* submitting organisation, 0 for the public */
	int64_t user_id;                      /* submitting user, 0 for the public */
	char secret_hash[STORE_HEX_MAX];      /* keyed hash of the tracking secret */
	char *body;   /* the report without the victim's personal data (JSON) */
	char *victim; /* the victim's personal data (JSON); law enforcement only */
	char *advice; /* the advice given (JSON array) */
};

struct store_event {
	int64_t id;
	int64_t report_id;
	char at[CLOCK_ISO_LEN];
	char actor[STORE_ACTOR_MAX];
	char type[STORE_SHORT_MAX];   /* submitted, status, note, addition, evidence */
	char status[STORE_SHORT_MAX]; /* the new status for type "status", else "" */
	int victim_visible;
	char *detail; /* note text or the addition (JSON); may be NULL */
};

struct store_indicator {
	int64_t report_id;
	char type[STORE_SHORT_MAX];
	char field[STORE_SHORT_MAX * 2]; /* where in the report it was found */
	char *value;
};

struct store_evidence {
	int64_t id;
	int64_t report_id;
	char sha256[STORE_HEX_MAX];
	int64_t size;
	char mime[STORE_NAME_MAX];
	char name[STORE_NAME_MAX * 2];
	char at[CLOCK_ISO_LEN];
};

struct store_custody {
	int64_t evidence_id;
	char at[CLOCK_ISO_LEN];
	char actor[STORE_ACTOR_MAX];
	char action[STORE_SHORT_MAX]; /* received, stored, viewed, exported */
	char detail[STORE_NAME_MAX * 2];
};

struct store_audit {
	int64_t id;
	char at[CLOCK_ISO_LEN];
	char actor[STORE_ACTOR_MAX];
	char action[STORE_SHORT_MAX];
	char object_type[STORE_SHORT_MAX];
	char object_id[STORE_NAME_MAX];
	char *detail; /* may be NULL */
	char prev_hash[STORE_HEX_MAX];
	char hash[STORE_HEX_MAX];
};

/* Filters of store_report_list; empty strings and zeros mean "any". */
struct store_report_filter {
	char status[STORE_SHORT_MAX];
	char category[STORE_SHORT_MAX * 2];
	char region[STORE_REGION_MAX];
	char from[CLOCK_ISO_LEN]; /* created >= from */
	char to[CLOCK_ISO_LEN];   /* created < to */
	const char *indicator;    /* canonical value held by the report */
	const char *text;         /* substring of the report body (search) */
	int64_t org_id;           /* submitted by this organisation */
};

/*
 * Opens (and creates, with its schema) the store.  url: "sqlite:PATH", or NULL
 * for sqlite:DATA_DIR/crix.db.  Numbered migrations are applied at open.
 * OUT: *out.
 */
int store_open(const char *url, const char *data_dir, struct store **out, struct crix_error *err);
/* Closes the store; waits for nothing (callers stop writers first).  NULL ok. */
void store_close(struct store *s);
/* The schema version after migrations. */
int store_schema_version(struct store *s);

/* Starts a write transaction (waits for the one in progress).  OUT: *tx. */
int store_tx_begin(struct store *s, struct store_tx **tx, struct crix_error *err);
/* Commits durably and ends tx (also on failure, after rolling back). */
int store_tx_commit(struct store_tx *tx, struct crix_error *err);
/* Rolls back and ends tx.  NULL ok. */
void store_tx_rollback(struct store_tx *tx);

/* Organisations.  Insert sets o->id; a duplicate name is CRIX_EEXIST. */
int store_org_insert(struct store_tx *tx, struct store_org *o, struct crix_error *err);
int store_org_update(struct store_tx *tx, const struct store_org *o, struct crix_error *err);
int store_org_get(struct store *s, int64_t id, struct store_org *out, struct crix_error *err);
/* Up to limit organisations with id > after, by id.  OUT: *out (free()), *n. */
int store_org_list(struct store *s, int64_t after, size_t limit, struct store_org **out, size_t *n,
                   struct crix_error *err);

/* Users.  Insert sets u->id; a duplicate username is CRIX_EEXIST. */
int store_user_insert(struct store_tx *tx, struct store_user *u, struct crix_error *err);
int store_user_update(struct store_tx *tx, const struct store_user *u, struct crix_error *err);
int store_user_get(struct store *s, int64_t id, struct store_user *out, struct crix_error *err);
int store_user_by_name(struct store *s, const char *username, struct store_user *out,
                       struct crix_error *err);
/* org_id 0 lists every organisation's users. */
int store_user_list(struct store *s, int64_t org_id, int64_t after, size_t limit,
                    struct store_user **out, size_t *n, struct crix_error *err);
/* Number of users with the given role ("" for any). */
int store_user_count(struct store *s, const char *role, int64_t *n, struct crix_error *err);

/* API tokens. */
int store_token_insert(struct store_tx *tx, struct store_token *t, struct crix_error *err);
int store_token_by_hash(struct store *s, const char *hash, struct store_token *out,
                        struct crix_error *err);
int store_token_get(struct store *s, int64_t id, struct store_token *out, struct crix_error *err);
int store_token_list(struct store *s, int64_t user_id, int64_t after, size_t limit,
                     struct store_token **out, size_t *n, struct crix_error *err);
int store_token_revoke(struct store_tx *tx, int64_t id, const char *at, struct crix_error *err);

/* Login sessions. */
int store_session_insert(struct store_tx *tx, const struct store_session *ss,
                         struct crix_error *err);
int store_session_get(struct store *s, const char *id_hash, struct store_session *out,
                      struct crix_error *err);
int store_session_delete(struct store_tx *tx, const char *id_hash, struct crix_error *err);
/* Deletes sessions that expired before now. */
int store_session_purge(struct store_tx *tx, const char *now, struct crix_error *err);

/* Reports.  Insert sets r->id; a duplicate reference is CRIX_EEXIST. */
int store_report_insert(struct store_tx *tx, struct store_report *r, struct crix_error *err);
/* Moves a report from status `from` to `status` (with outcome and updated),
 * only if it is still in `from`: CRIX_EEXIST when another change came first
 * (two analysts acting at once), CRIX_ENOTFOUND for an unknown id. */
int store_report_set_status(struct store_tx *tx, int64_t id, const char *from, const char *status,
                            const char *outcome, const char *updated, struct crix_error *err);
/* Touches updated (after an addition). */
int store_report_touch(struct store_tx *tx, int64_t id, const char *updated,
                       struct crix_error *err);
/* By reference.  OUT: *out (release with store_report_clear). */
int store_report_get(struct store *s, const char *ref, struct store_report *out,
                     struct crix_error *err);
/* Newest first: up to limit reports with id < before (0: from the newest). */
int store_report_list(struct store *s, const struct store_report_filter *f, int64_t before,
                      size_t limit, struct store_report **out, size_t *n, struct crix_error *err);
void store_report_clear(struct store_report *r);
/* Frees an array from store_report_list.  NULL ok. */
void store_report_array_free(struct store_report *a, size_t n);

/* The fields of a report that statistics group and sum by. */
struct store_report_fact {
	const char *category, *created, *region, *country, *victim_type, *channel;
	const char *payment_method, *kind, *status, *outcome, *currency;
	int64_t loss_minor;
	int vulnerable;
	int64_t id, org_id; /* the report's id and submitting organisation */
};

/* Calls fn for every report the filter selects (status, category, region,
 * from, to, org_id; indicator and text are ignored), in no set order; a
 * non-zero return from fn stops the scan and is returned.  The strings live
 * until fn returns. */
typedef int (*store_fact_fn)(void *arg, const struct store_report_fact *f);
int store_report_facts(struct store *s, const struct store_report_filter *f, store_fact_fn fn,
                       void *arg, struct crix_error *err);

/* Report events, oldest first. */
int store_event_insert(struct store_tx *tx, struct store_event *e, struct crix_error *err);
int store_event_list(struct store *s, int64_t report_id, size_t limit, struct store_event **out,
                     size_t *n, struct crix_error *err);
void store_event_array_free(struct store_event *a, size_t n);

/* Indicators held by reports. */
int store_indicator_insert(struct store_tx *tx, const struct store_indicator *ind,
                           struct crix_error *err);
int store_indicator_list(struct store *s, int64_t report_id, size_t limit,
                         struct store_indicator **out, size_t *n, struct crix_error *err);
/* Indicators of every report, by report id then insertion, from the first
 * row after (after_report, after_row): for rebuilding in-memory indexes at
 * start, a page at a time.  OUT: *last_row, the row id of the last one. */
int store_indicator_scan(struct store *s, int64_t after_row, size_t limit,
                         struct store_indicator **out, size_t *n, int64_t *last_row,
                         struct crix_error *err);
void store_indicator_array_free(struct store_indicator *a, size_t n);
/* The reference (and status) of a report by id, without its documents. */
int store_report_ref(struct store *s, int64_t id, char ref[STORE_REF_MAX],
                     char status[STORE_SHORT_MAX], struct crix_error *err);

/* Evidence files (the bytes live in the data directory by SHA-256). */
int store_evidence_insert(struct store_tx *tx, struct store_evidence *ev, struct crix_error *err);
int store_evidence_list(struct store *s, int64_t report_id, struct store_evidence **out, size_t *n,
                        struct crix_error *err);
int store_custody_insert(struct store_tx *tx, const struct store_custody *c,
                         struct crix_error *err);
int store_custody_list(struct store *s, int64_t evidence_id, struct store_custody **out, size_t *n,
                       struct crix_error *err);

/* The audit chain.  The newest entry, read inside the writing transaction so
 * that no other entry can come between: CRIX_ENOTFOUND when empty. */
int store_audit_last(struct store_tx *tx, struct store_audit *out, struct crix_error *err);
/* Inserts a (hashed) entry; sets a->id. */
int store_audit_insert(struct store_tx *tx, struct store_audit *a, struct crix_error *err);
/* Up to limit entries with id > after, by id. */
int store_audit_list(struct store *s, int64_t after, size_t limit, struct store_audit **out,
                     size_t *n, struct crix_error *err);
void store_audit_array_free(struct store_audit *a, size_t n);

/* ---- sharing: groups, TAXII collections, STIX objects, shared indicators ---- */

/* Lists of ids are kept as text "1,5,9" (model/share.c parses them). */
#define STORE_IDLIST_MAX 1024

/* A sharing group: a named set of organisations, managed by its owner. */
struct store_group {
	int64_t id;
	char name[STORE_NAME_MAX];
	int64_t owner_org;
	char members[STORE_IDLIST_MAX]; /* member organisation ids, "" for none */
	char created[CLOCK_ISO_LEN];
};

/* A TAXII collection: a shareable container of STIX objects.  Its TLP and
 * shares bound who sees it and the objects in it; writers may add objects. */
struct store_collection {
	char id[40]; /* UUID */
	char title[STORE_NAME_MAX];
	char description[STORE_NAME_MAX * 4];
	int64_t owner_org;
	int64_t owner_user;
	int tlp; /* enum tlp */
	char share_orgs[STORE_IDLIST_MAX];
	char share_groups[STORE_IDLIST_MAX];
	char share_users[STORE_IDLIST_MAX];
	char writers[STORE_IDLIST_MAX]; /* organisations other than the owner that may add */
	char created[CLOCK_ISO_LEN];
};

/* One version of a STIX object, stored verbatim. */
struct store_object {
	int64_t row;
	char collection[40];
	char stix_id[STORE_NAME_MAX];
	char type[STORE_SHORT_MAX * 2];
	char spec_version[8];
	char version[CLOCK_ISO_LEN + 8]; /* modified, else created, else added */
	int64_t version_us; /* version in microseconds, set by the store: orders versions */
	char added[CLOCK_ISO_LEN + 8]; /* date_added, unique and increasing */
	int tlp;
	int64_t owner_org;
	int64_t owner_user;
	char source[STORE_NAME_MAX]; /* "post", "import:FILE", "partner:NAME" */
	char *body;                  /* the object's JSON exactly as received */
};

/* Which objects store_object_page returns, oldest added first. */
struct store_object_filter {
	const char *collection;
	int64_t after_row;       /* paging cursor: rows after this one */
	const char *added_after; /* "" or NULL for any */
	const char *stix_id;     /* NULL for any */
	const char *type;        /* NULL for any */
	int latest_only;         /* 1: only each object's newest version, -1: oldest */
	size_t limit;
};

/* A TAXII status resource (its JSON document). */
struct store_status {
	char id[40];
	int64_t user_id;
	char created[CLOCK_ISO_LEN];
	char *body;
};

/* An indicator value taken from a shared STIX object, with that object's
 * visibility, for the lookup index. */
struct store_shared_indicator {
	int64_t id;
	int64_t object_row;
	char type[STORE_SHORT_MAX];
	char *value;
	/* filled by store_shared_indicator_scan from the object and collection */
	char collection[40];
	char stix_id[STORE_NAME_MAX];
	char added[CLOCK_ISO_LEN + 8];
	int tlp;
	int64_t owner_org, owner_user;
};

int store_group_insert(struct store_tx *tx, struct store_group *g, struct crix_error *err);
/* Adds (add != 0) or removes an organisation; adding twice is not an error. */
int store_group_member(struct store_tx *tx, int64_t group, int64_t org, int add,
                       struct crix_error *err);
/* Every group with its members, by id.  OUT: *out (free()), *n. */
int store_group_list(struct store *s, struct store_group **out, size_t *n, struct crix_error *err);

/* A duplicate id or title is CRIX_EEXIST. */
int store_collection_insert(struct store_tx *tx, const struct store_collection *c,
                            struct crix_error *err);
/* Updates title, description, tlp, shares and writers. */
int store_collection_update(struct store_tx *tx, const struct store_collection *c,
                            struct crix_error *err);
int store_collection_list(struct store *s, struct store_collection **out, size_t *n,
                          struct crix_error *err);

/* Sets o->row.  The same (collection, stix_id, version) again is CRIX_EEXIST. */
int store_object_insert(struct store_tx *tx, struct store_object *o, struct crix_error *err);
int store_object_page(struct store *s, const struct store_object_filter *f,
                      struct store_object **out, size_t *n, struct crix_error *err);
void store_object_array_free(struct store_object *a, size_t n);
/* The newest date_added of any object, "" when there is none. */
int store_object_last_added(struct store *s, char out[CLOCK_ISO_LEN + 8], struct crix_error *err);

int store_status_insert(struct store_tx *tx, const struct store_status *st, struct crix_error *err);
/* OUT: *out (free out->body). */
int store_status_get(struct store *s, const char *id, struct store_status *out,
                     struct crix_error *err);

int store_shared_indicator_insert(struct store_tx *tx, struct store_shared_indicator *si,
                                  struct crix_error *err);
/* Takes out of the lookup the indicators of every stored version of the
 * object stix_id in collection posted by owner_org (it was revoked). */
int store_shared_indicator_drop(struct store_tx *tx, const char *collection, const char *stix_id,
                                int64_t owner_org, struct crix_error *err);
/* Shared indicators by id after after_id, up to limit, with their object's
 * visibility.  OUT: *out, *n (free with store_shared_indicator_array_free). */
int store_shared_indicator_scan(struct store *s, int64_t after_id, size_t limit,
                                struct store_shared_indicator **out, size_t *n,
                                struct crix_error *err);
void store_shared_indicator_array_free(struct store_shared_indicator *a, size_t n);

/* A sighting a partner reported of a shared indicator object (issue 5):
 * who saw it, how often, when and where. */
#define STORE_WHERE_MAX 128
struct store_sighting {
	int64_t id;
	char sid[64]; /* its STIX id, "sighting--UUID" */
	char collection[40];
	char stix_id[STORE_NAME_MAX]; /* the indicator object sighted */
	int64_t owner_org;            /* that indicator's owner organisation */
	int64_t org_id, user_id;      /* who reported it */
	int64_t count;
	char first_seen[CLOCK_ISO_LEN], last_seen[CLOCK_ISO_LEN];
	char place[STORE_WHERE_MAX];     /* "where": free text */
	char observed[STORE_IDLIST_MAX]; /* observed-data STIX ids, comma-separated */
	char created[CLOCK_ISO_LEN];
};

/* Sets sg->id. */
int store_sighting_insert(struct store_tx *tx, struct store_sighting *sg, struct crix_error *err);
/* Sightings by id after after_id, of one indicator object (stix_id) or of
 * all (NULL), up to limit.  OUT: *out (free()), *n. */
int store_sighting_page(struct store *s, const char *stix_id, int64_t after_id, size_t limit,
                        struct store_sighting **out, size_t *n, struct crix_error *err);
/*
 * Analysts' decisions about cases, kept so that the correlation engine can
 * replay them at start: kind "exclude" (report_id no longer links through
 * type/value), "detach" (report_id links through nothing), "link" (report_id
 * and other_id are one case), "confirm" (the over-common type/value links).
 */
struct store_case_decision {
	int64_t id;
	char at[CLOCK_ISO_LEN];
	char actor[STORE_ACTOR_MAX];
	char kind[STORE_SHORT_MAX];
	int64_t report_id;
	int64_t other_id; /* "link": the other case; a split: a report of the case it left */
	char type[STORE_SHORT_MAX];
	char value[4097];              /* canonical indicator value (IOC_VALUE_MAX + 1) */
	char note[STORE_NAME_MAX * 4]; /* the analyst's reason */
};
/* Sets d->id. */
int store_decision_insert(struct store_tx *tx, struct store_case_decision *d,
                          struct crix_error *err);
/* Up to limit decisions with id > after, by id.  OUT: *out (free()), *n. */
int store_decision_list(struct store *s, int64_t after, size_t limit,
                        struct store_case_decision **out, size_t *n, struct crix_error *err);
/* A report by id without its documents (body, victim and advice are NULL). */
int store_report_brief(struct store *s, int64_t id, struct store_report *out,
                       struct crix_error *err);
/* Up to limit reports with id > after, by id, without their documents.
 * OUT: *out (store_report_array_free), *n. */
int store_report_brief_scan(struct store *s, int64_t after, size_t limit, struct store_report **out,
                            size_t *n, struct crix_error *err);
/* The report's body alone (JSON without the victim's personal data: what an
 * export may read, e.g. the reporter's consents).  OUT: *body (free()). */
int store_report_body(struct store *s, int64_t id, char **body, struct crix_error *err);

/* ---- alerts: scam advisories published to partners and the public ---- */

/* An alert as published (model/alert.c validates it; the store keeps it). */
struct store_alert {
	int64_t id;
	char title[STORE_NAME_MAX * 2];
	char category[STORE_SHORT_MAX * 2]; /* an offence code of the catalogue */
	int tlp;                            /* enum tlp: CLEAR or GREEN */
	char status[STORE_SHORT_MAX];       /* published, withdrawn */
	int64_t org_id;                     /* the author's organisation */
	int64_t user_id;                    /* the author */
	char org_name[STORE_NAME_MAX];      /* the organisation's name when it published */
	char author[STORE_USER_MAX];        /* the author's username */
	char published[CLOCK_ISO_LEN];
	char expires[CLOCK_ISO_LEN];   /* "" for never */
	char withdrawn[CLOCK_ISO_LEN]; /* "" while published */
	char *summary;                 /* plain text */
	char *advice;                  /* plain text */
	char *indicators;              /* JSON array of {"type", "value"}, canonical values */
};

/* Which alerts store_alert_list returns; the model decides the values and
 * still asks tlp_may_see of every row. */
struct store_alert_filter {
	char category[STORE_SHORT_MAX * 2]; /* "" for any */
	int max_tlp;                        /* only tlp <= max_tlp; 0 for any */
	const char *now;  /* current ones: published, and expires "" or after now */
	int64_t also_org; /* and this organisation's withdrawn and expired ones (0: none) */
	int withdrawn;    /* and every withdrawn one (the TAXII alerts feed: their revocations) */
};

/* Sets a->id. */
int store_alert_insert(struct store_tx *tx, struct store_alert *a, struct crix_error *err);
/* Marks a published alert withdrawn at `at`: CRIX_EEXIST when it is not
 * published (withdrawn already, or by someone else first), CRIX_ENOTFOUND
 * for an unknown id. */
int store_alert_withdraw(struct store_tx *tx, int64_t id, const char *at, struct crix_error *err);
/* OUT: *out (release with store_alert_clear). */
int store_alert_get(struct store *s, int64_t id, struct store_alert *out, struct crix_error *err);
/* Newest first: up to limit alerts with id < before (0: from the newest).
 * OUT: *out (store_alert_array_free), *n. */
int store_alert_list(struct store *s, const struct store_alert_filter *f, int64_t before,
                     size_t limit, struct store_alert **out, size_t *n, struct crix_error *err);
void store_alert_clear(struct store_alert *a);
void store_alert_array_free(struct store_alert *a, size_t n);
/*
 * Stable case ids (issue 6).  An id is carried by a report (report_id): a
 * case's id is the oldest live id (smallest seq) that one of its reports
 * carries.  merged_into: 0 while live, else the seq of the id it was merged
 * into.  name: "CASE-YYYY-NNNNNN".
 */
struct store_case_id {
	int64_t seq;
	char name[STORE_SHORT_MAX];
	int64_t report_id;
	int64_t merged_into;
	char created[CLOCK_ISO_LEN];
};
/* Inserts with the given seq (the model numbers ids); a taken seq or name is
 * CRIX_EEXIST. */
int store_case_id_insert(struct store_tx *tx, const struct store_case_id *ci,
                         struct crix_error *err);
/* Updates report_id and merged_into of ci->seq. */
int store_case_id_update(struct store_tx *tx, const struct store_case_id *ci,
                         struct crix_error *err);
/* Up to limit ids with seq > after, by seq.  OUT: *out (free()), *n. */
int store_case_id_list(struct store *s, int64_t after, size_t limit, struct store_case_id **out,
                       size_t *n, struct crix_error *err);

/* A record of case work: kind "review", "dissemination" or "outcome", filed
 * under the case id current when it was made; body is its JSON document. */
struct store_case_record {
	int64_t id;
	int64_t case_seq;
	char kind[STORE_SHORT_MAX];
	char at[CLOCK_ISO_LEN];
	char actor[STORE_ACTOR_MAX];
	int64_t org_id; /* dissemination and outcome: the receiving organisation */
	char *body;
};
/* Sets r->id. */
int store_case_record_insert(struct store_tx *tx, struct store_case_record *r,
                             struct crix_error *err);
/* Up to limit records with id > after, by id, of case_seq (0: of every
 * case).  OUT: *out (store_case_record_array_free), *n. */
int store_case_record_list(struct store *s, int64_t case_seq, int64_t after, size_t limit,
                           struct store_case_record **out, size_t *n, struct crix_error *err);
void store_case_record_array_free(struct store_case_record *a, size_t n);

#endif
