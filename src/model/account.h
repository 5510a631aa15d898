/*
 * account.h - who is asking, and what they may do: organisations of kinds,
 * users with roles, and the decisions about accounts and reports that the
 * HTTP handlers and the CLI ask for.  No SQL and no HTTP here.
 */
#ifndef CRIX_MODEL_ACCOUNT_H
#define CRIX_MODEL_ACCOUNT_H

#include "store/store.h"
#include "util/secret.h"

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_VIEWER,
	ROLE_ANALYST,
	ROLE_INVESTIGATOR,
	ROLE_ORG_ADMIN,
	ROLE_ADMIN
};

enum org_kind {
	ORG_NONE = 0,
	ORG_LAW_ENFORCEMENT,
	ORG_CERT,
	ORG_BUSINESS,
	ORG_PUBLIC_SECTOR,
	ORG_NGO
};

/* The caller of a request or a command. */
struct principal {
	bool authenticated; /* false: the public */
	int64_t user_id, org_id;
	enum role role;
	enum org_kind org_kind;
	char username[STORE_USER_MAX];
	char actor[STORE_ACTOR_MAX]; /* for audit entries: "user:3:alice" or "public" */
	bool via_cookie;             /* cookie session: writes need the CSRF token */
};

enum role account_role_parse(const char *s); /* ROLE_NONE if unknown */
const char *account_role_name(enum role r);
enum org_kind account_kind_parse(const char *s); /* ORG_NONE if unknown */
const char *account_kind_name(enum org_kind k);

/* Fills p for a user of an organisation. */
void account_principal_user(struct principal *p, const struct store_user *u,
                            const struct store_org *o);
/* Fills p for the public (no account). */
void account_principal_public(struct principal *p);

/*
 * Checks the fields of an organisation (name 1-127 bytes of printable text,
 * kind, country ISO 3166-1 alpha-2 upper-cased in place, region <= 63 bytes).
 * CRIX_EINVAL names the field.
 */
int account_org_check(struct store_org *o, struct crix_error *err);
/* Checks a username (3-63 of a-z 0-9 . _ - @) and role. */
int account_user_check(const struct store_user *u, struct crix_error *err);

/* Organisations: admins manage all; org-admins their own. */
bool account_may_manage_org(const struct principal *p, int64_t org_id);
bool account_may_create_org(const struct principal *p);
/* May p give a user of org_id the role r?  (Only admins make admins.) */
bool account_may_grant(const struct principal *p, int64_t org_id, enum role r);
/* May p see or manage the user u (and their tokens)? */
bool account_may_manage_user(const struct principal *p, const struct store_user *u);

/* Reports. */
/* May p list and read reports at all (staff of the reporting side)? */
bool account_may_read_reports(const struct principal *p);
/* May p read this report?  Staff may read all; a business or NGO only what its
 * own organisation submitted. */
bool account_may_read_report(const struct principal *p, const struct store_report *r);
/* Victims' personal data: law-enforcement investigators and admins only. */
bool account_may_see_victim(const struct principal *p);
/* May p change a report's status (triage, review, dissemination, close)? */
bool account_may_work_reports(const struct principal *p);
/* May p record an outcome (law enforcement, or an admin)? */
bool account_may_record_outcome(const struct principal *p);
/* May p split and merge cases and confirm over-common values (analysts of
 * the reporting side, and admins)? */
bool account_may_decide_cases(const struct principal *p);
/* May p read a case's crime package and outcomes?  recipient: p's
 * organisation received the case.  The reporting centre's staff (CERT and
 * public-sector organisations), the recipient's users and admins; other
 * law-enforcement organisations, businesses and NGOs not. */
bool account_may_read_package(const struct principal *p, bool recipient);
/* May p submit reports in bulk (any authenticated user but a viewer)? */
bool account_may_submit_bulk(const struct principal *p);

/* Alerts.  May p publish an alert (analysts and above of a member
 * organisation)? */
bool account_may_publish_alert(const struct principal *p);
/* May p withdraw an alert of organisation org_id (analysts and above of that
 * organisation, and instance admins)? */
bool account_may_withdraw_alert(const struct principal *p, int64_t org_id);
/* Sightings (issue 5). */
/* May p report sightings (a member of an organisation with a role above
 * viewer)? */
bool account_may_report_sightings(const struct principal *p);
/* May p see who sighted an indicator owned by owner_org, and the totals?
 * That organisation's members and law enforcement; the caller must also
 * be able to see the indicator itself (tlp_may_see). */
bool account_may_see_sightings(const struct principal *p, int64_t owner_org);

/* ---- operations: the checks above, then the store, with an audit entry ---- */

#define ACCOUNT_SESSION_SECONDS (12 * 3600)
#define ACCOUNT_PASSWORD_LEN    20 /* generated one-time passwords */

/* Creates an organisation (o is checked; o->id and o->created are set). */
int account_org_create(struct store *s, const struct principal *p, struct store_org *o,
                       struct crix_error *err);
/* Updates an organisation's fields. */
int account_org_update(struct store *s, const struct principal *p, struct store_org *o,
                       struct crix_error *err);

/*
 * Creates a user.  password: the one chosen, or NULL to generate one, which
 * is written to generated (at least ACCOUNT_PASSWORD_LEN + 1 bytes) to be
 * shown once.
 */
int account_user_create(struct store *s, const struct principal *p, struct store_user *u,
                        const char *password, char *generated, struct crix_error *err);
/* Changes a user's role, password (NULL: keep) or disabled flag. */
int account_user_update(struct store *s, const struct principal *p, struct store_user *u,
                        const char *password, struct crix_error *err);

/*
 * Creates an API token for user_id, valid for days (0: no expiry).  OUT:
 * token (shown once; only its keyed hash is kept), *rec.
 */
int account_token_create(struct store *s, const unsigned char *key, const struct principal *p,
                         int64_t user_id, const char *name, int days, char token[SECRET_TOKEN_MAX],
                         struct store_token *rec, struct crix_error *err);
int account_token_revoke(struct store *s, const struct principal *p, int64_t token_id,
                         struct crix_error *err);

/*
 * Password sign-in.  A wrong username and a wrong password look the same
 * (CRIX_ENOTFOUND) and take the same time.  OUT: cookie (the session id for
 * the browser), csrf (the token writes must carry), *who.
 */
int account_login(struct store *s, const unsigned char *key, const char *username,
                  const char *password, char cookie[SECRET_TOKEN_MAX], char csrf[STORE_HEX_MAX],
                  struct principal *who, struct crix_error *err);
/* Ends the session whose cookie hash is given. */
int account_logout(struct store *s, const struct principal *p, const char *session_hash,
                   struct crix_error *err);

/* The principal that stands for the command line (crix admin): an admin of no
 * organisation, recorded in the audit chain as "cli". */
void account_principal_cli(struct principal *p);

#endif
