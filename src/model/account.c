#include "model/account.h"

#include "model/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const role_names[] = {"",          "viewer", "analyst", "investigator",
                                         "org-admin", "admin"};
static const char *const kind_names[] = {"",         "law-enforcement", "cert",
                                         "business", "public-sector",   "ngo"};

enum role account_role_parse(const char *s)
{
	for (int i = 1; i <= ROLE_ADMIN; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

const char *account_role_name(enum role r)
{
	return r >= ROLE_NONE && r <= ROLE_ADMIN ? role_names[r] : "";
}

enum org_kind account_kind_parse(const char *s)
{
	for (int i = 1; i <= ORG_NGO; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (enum org_kind)i;
	return ORG_NONE;
}

const char *account_kind_name(enum org_kind k)
{
	return k >= ORG_NONE && k <= ORG_NGO ? kind_names[k] : "";
}

void account_principal_user(struct principal *p, const struct store_user *u,
                            const struct store_org *o)
{
	memset(p, 0, sizeof *p);
	p->authenticated = true;
	p->user_id = u->id;
	p->org_id = u->org_id;
	p->role = account_role_parse(u->role);
	p->org_kind = account_kind_parse(o->kind);
	snprintf(p->username, sizeof p->username, "%s", u->username);
	snprintf(p->actor, sizeof p->actor, "user:%lld:%s", (long long)u->id, u->username);
}

void account_principal_public(struct principal *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->actor, sizeof p->actor, "public");
}

/* Printable text without control characters (UTF-8 allowed). */
static bool printable(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

int account_org_check(struct store_org *o, struct crix_error *err)
{
	size_t n = strlen(o->name);
	if (n == 0 || n >= sizeof o->name || !printable(o->name))
		return crix_error_field(err, "name", CRIX_EINVAL,
		                        "name: 1 to %zu characters of text, no control characters",
		                        sizeof o->name - 1);
	if (account_kind_parse(o->kind) == ORG_NONE)
		return crix_error_field(err, "kind", CRIX_EINVAL,
		                        "kind: '%s' is not one of law-enforcement, cert, business, "
		                        "public-sector, ngo",
		                        o->kind);
	char *c = o->country;
	if (strlen(c) != 2 || !((c[0] | 0x20) >= 'a' && (c[0] | 0x20) <= 'z') ||
	    !((c[1] | 0x20) >= 'a' && (c[1] | 0x20) <= 'z'))
		return crix_error_field(err, "country", CRIX_EINVAL,
		                        "country: '%s' is not an ISO 3166-1 alpha-2 code (e.g. GB)",
		                        c);
	c[0] = (char)(c[0] & ~0x20);
	c[1] = (char)(c[1] & ~0x20);
	if (!printable(o->region))
		return crix_error_field(err, "region", CRIX_EINVAL,
		                        "region: no control characters");
	return 0;
}

int account_user_check(const struct store_user *u, struct crix_error *err)
{
	size_t n = strlen(u->username);
	bool ok = n >= 3 && n < sizeof u->username;
	for (size_t i = 0; ok && i < n; i++) {
		char ch = u->username[i];
		ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
		     ch == '_' || ch == '-' || ch == '@';
	}
	if (!ok)
		return crix_error_field(err, "username", CRIX_EINVAL,
		                        "username: 3 to %zu characters of a-z, 0-9, '.', '_', '-', "
		                        "'@'",
		                        sizeof u->username - 1);
	if (account_role_parse(u->role) == ROLE_NONE)
		return crix_error_field(err, "role", CRIX_EINVAL,
		                        "role: '%s' is not one of viewer, analyst, investigator, "
		                        "org-admin, admin",
		                        u->role);
	return 0;
}

bool account_may_manage_org(const struct principal *p, int64_t org_id)
{
	return p->authenticated &&
	       (p->role == ROLE_ADMIN || (p->role == ROLE_ORG_ADMIN && p->org_id == org_id));
}

bool account_may_create_org(const struct principal *p)
{
	return p->authenticated && p->role == ROLE_ADMIN;
}

bool account_may_grant(const struct principal *p, int64_t org_id, enum role r)
{
	if (!p->authenticated || r == ROLE_NONE)
		return false;
	if (p->role == ROLE_ADMIN)
		return true;
	return p->role == ROLE_ORG_ADMIN && p->org_id == org_id && r != ROLE_ADMIN;
}

bool account_may_manage_user(const struct principal *p, const struct store_user *u)
{
	if (!p->authenticated)
		return false;
	if (p->role == ROLE_ADMIN || p->user_id == u->id)
		return true;
	/* An org-admin cannot manage an admin who happens to sit in the same
	 * organisation. */
	return p->role == ROLE_ORG_ADMIN && p->org_id == u->org_id &&
	       account_role_parse(u->role) != ROLE_ADMIN;
}

/* The organisations that run or support the reporting centre see every
 * report; businesses and NGOs report, and see only their own. */
static bool staff_org(enum org_kind k)
{
	return k == ORG_LAW_ENFORCEMENT || k == ORG_CERT || k == ORG_PUBLIC_SECTOR;
}

bool account_may_read_reports(const struct principal *p)
{
	return p->authenticated && p->role != ROLE_NONE;
}

bool account_may_read_report(const struct principal *p, const struct store_report *r)
{
	if (!account_may_read_reports(p))
		return false;
	if (p->role == ROLE_ADMIN || staff_org(p->org_kind))
		return true;
	return r->org_id != 0 && r->org_id == p->org_id;
}

bool account_may_see_victim(const struct principal *p)
{
	return p->authenticated && (p->role == ROLE_ADMIN || (p->role == ROLE_INVESTIGATOR &&
	                                                      p->org_kind == ORG_LAW_ENFORCEMENT));
}

bool account_may_report_sightings(const struct principal *p)
{
	return p->authenticated && p->org_id > 0 &&
	       (p->role == ROLE_ANALYST || p->role == ROLE_INVESTIGATOR ||
	        p->role == ROLE_ORG_ADMIN || p->role == ROLE_ADMIN);
}

/* Who saw an indicator tells where an attack is landing: the indicator's
 * owner needs it to judge its intelligence, law enforcement to find
 * victims; other partners get the indicator, not each other's telemetry. */
bool account_may_see_sightings(const struct principal *p, int64_t owner_org)
{
	return p->authenticated && p->role != ROLE_NONE && p->org_id > 0 &&
	       (p->org_id == owner_org || p->org_kind == ORG_LAW_ENFORCEMENT);
}

bool account_may_work_reports(const struct principal *p)
{
	if (!p->authenticated)
		return false;
	if (p->role == ROLE_ADMIN)
		return true;
	return staff_org(p->org_kind) && (p->role == ROLE_ANALYST || p->role == ROLE_INVESTIGATOR);
}

bool account_may_record_outcome(const struct principal *p)
{
	return p->authenticated && (p->role == ROLE_ADMIN || (p->role == ROLE_INVESTIGATOR &&
	                                                      p->org_kind == ORG_LAW_ENFORCEMENT));
}

bool account_may_decide_cases(const struct principal *p)
{
	if (!p->authenticated)
		return false;
	return p->role == ROLE_ADMIN || (p->role == ROLE_ANALYST && staff_org(p->org_kind));
}

bool account_may_read_package(const struct principal *p, bool recipient)
{
	if (!p->authenticated || p->role == ROLE_NONE)
		return false;
	if (p->role == ROLE_ADMIN || recipient)
		return true;
	return staff_org(p->org_kind) && p->org_kind != ORG_LAW_ENFORCEMENT;
}

bool account_may_submit_bulk(const struct principal *p)
{
	return p->authenticated && p->role != ROLE_NONE && p->role != ROLE_VIEWER;
}

/* Viewers read; anyone from analyst up writes for their organisation. */
static bool writer_role(enum role r)
{
	return r == ROLE_ANALYST || r == ROLE_INVESTIGATOR || r == ROLE_ORG_ADMIN ||
	       r == ROLE_ADMIN;
}

bool account_may_publish_alert(const struct principal *p)
{
	return p->authenticated && p->org_id > 0 && writer_role(p->role);
}

bool account_may_withdraw_alert(const struct principal *p, int64_t org_id)
{
	if (!p->authenticated)
		return false;
	/* An instance admin may take down an alert that should not be public,
	 * whoever published it. */
	return p->role == ROLE_ADMIN ||
	       (p->org_id > 0 && p->org_id == org_id && writer_role(p->role));
}

/* ---- operations ---- */

void account_principal_cli(struct principal *p)
{
	memset(p, 0, sizeof *p);
	p->authenticated = true;
	p->role = ROLE_ADMIN;
	snprintf(p->username, sizeof p->username, "cli");
	snprintf(p->actor, sizeof p->actor, "cli");
}

/* Runs the write in one transaction with its audit entry. */
static int commit_with_audit(struct store_tx *tx, int rc, const struct principal *p,
                             const char *action, const char *type, const char *id,
                             const char *detail, struct crix_error *err)
{
	if (rc == 0)
		rc = audit_append(tx, p->actor, action, type, id, detail, err);
	if (rc != 0) {
		store_tx_rollback(tx);
		return rc;
	}
	return store_tx_commit(tx, err);
}

int account_org_create(struct store *s, const struct principal *p, struct store_org *o,
                       struct crix_error *err)
{
	if (!account_may_create_org(p))
		return crix_error_set(err, CRIX_EACCES, "only admins create organisations");
	int rc = account_org_check(o, err);
	if (rc != 0)
		return rc;
	clock_now_iso(o->created);
	struct store_tx *tx;
	if ((rc = store_tx_begin(s, &tx, err)))
		return rc;
	rc = store_org_insert(tx, o, err);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)o->id);
	return commit_with_audit(tx, rc, p, "org.create", "org", id, o->name, err);
}

int account_org_update(struct store *s, const struct principal *p, struct store_org *o,
                       struct crix_error *err)
{
	if (!account_may_manage_org(p, o->id))
		return crix_error_set(err, CRIX_EACCES, "you may not change this organisation");
	int rc = account_org_check(o, err);
	if (rc != 0)
		return rc;
	struct store_tx *tx;
	if ((rc = store_tx_begin(s, &tx, err)))
		return rc;
	rc = store_org_update(tx, o, err);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)o->id);
	return commit_with_audit(tx, rc, p, "org.update", "org", id, o->name, err);
}

/* A password of ACCOUNT_PASSWORD_LEN characters from an alphabet without
 * look-alikes: about 117 bits. */
static void generate_password(char *out)
{
	static const char al[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char r[ACCOUNT_PASSWORD_LEN];
	secret_random(r, sizeof r);
	for (int i = 0; i < ACCOUNT_PASSWORD_LEN; i++)
		out[i] = al[r[i] % (sizeof al - 1)];
	out[ACCOUNT_PASSWORD_LEN] = '\0';
}

int account_user_create(struct store *s, const struct principal *p, struct store_user *u,
                        const char *password, char *generated, struct crix_error *err)
{
	int rc = account_user_check(u, err);
	if (rc != 0)
		return rc;
	if (!account_may_grant(p, u->org_id, account_role_parse(u->role)))
		return crix_error_set(err, CRIX_EACCES,
		                      "you may not create a user with role '%s' in organisation "
		                      "%lld",
		                      u->role, (long long)u->org_id);
	struct store_org o;
	if ((rc = store_org_get(s, u->org_id, &o, err)))
		return crix_error_field(err, "org_id", CRIX_EINVAL, "org_id: no organisation %lld",
		                        (long long)u->org_id);
	if (password == NULL) {
		generate_password(generated);
		password = generated;
	}
	if ((rc = secret_password_hash(password, u->pw_hash, err)))
		return rc == CRIX_EINVAL ? crix_error_field(err, "password", rc, "%s",
		                                            "password: at least 8 characters, "
		                                            "at most 1024 bytes")
		                         : rc;
	clock_now_iso(u->created);
	struct store_tx *tx;
	if ((rc = store_tx_begin(s, &tx, err)))
		return rc;
	rc = store_user_insert(tx, u, err);
	char id[24], detail[128];
	snprintf(id, sizeof id, "%lld", (long long)u->id);
	snprintf(detail, sizeof detail, "%s, role %s, org %lld", u->username, u->role,
	         (long long)u->org_id);
	return commit_with_audit(tx, rc, p, "user.create", "user", id, detail, err);
}

int account_user_update(struct store *s, const struct principal *p, struct store_user *u,
                        const char *password, struct crix_error *err)
{
	struct store_user cur;
	int rc = store_user_get(s, u->id, &cur, err);
	if (rc != 0)
		return rc;
	if (!account_may_manage_user(p, &cur))
		return crix_error_set(err, CRIX_EACCES, "you may not change this user");
	if ((rc = account_user_check(u, err)))
		return rc;
	/* A role change is a grant; users cannot raise their own role. */
	if (strcmp(cur.role, u->role) != 0 &&
	    (!account_may_grant(p, cur.org_id, account_role_parse(u->role)) ||
	     (p->user_id == cur.id && p->role != ROLE_ADMIN)))
		return crix_error_field(err, "role", CRIX_EACCES,
		                        "role: you may not give role '%s'", u->role);
	u->org_id = cur.org_id;
	snprintf(u->username, sizeof u->username, "%s", cur.username);
	snprintf(u->created, sizeof u->created, "%s", cur.created);
	if (password != NULL) {
		if ((rc = secret_password_hash(password, u->pw_hash, err)))
			return crix_error_field(
			        err, "password", rc, "%s",
			        "password: at least 8 characters, at most 1024 bytes");
	} else {
		snprintf(u->pw_hash, sizeof u->pw_hash, "%s", cur.pw_hash);
	}
	struct store_tx *tx;
	if ((rc = store_tx_begin(s, &tx, err)))
		return rc;
	rc = store_user_update(tx, u, err);
	char id[24], detail[128];
	snprintf(id, sizeof id, "%lld", (long long)u->id);
	snprintf(detail, sizeof detail, "role %s, disabled %d%s", u->role, u->disabled,
	         password ? ", password changed" : "");
	return commit_with_audit(tx, rc, p, "user.update", "user", id, detail, err);
}

int account_token_create(struct store *s, const unsigned char *key, const struct principal *p,
                         int64_t user_id, const char *name, int days, char token[SECRET_TOKEN_MAX],
                         struct store_token *rec, struct crix_error *err)
{
	struct store_user u;
	int rc = store_user_get(s, user_id, &u, err);
	if (rc != 0)
		return crix_error_field(err, "user_id", rc, "user_id: no user %lld",
		                        (long long)user_id);
	if (!account_may_manage_user(p, &u))
		return crix_error_set(err, CRIX_EACCES, "you may not make tokens for this user");
	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof rec->name || !printable(name))
		return crix_error_field(err, "name", CRIX_EINVAL,
		                        "name: 1 to %zu characters saying what the token is for",
		                        sizeof rec->name - 1);
	if (days < 0 || days > 3650)
		return crix_error_field(err, "expires_days", CRIX_EINVAL,
		                        "expires_days: 0 (never) to 3650");
	memset(rec, 0, sizeof *rec);
	rec->user_id = user_id;
	snprintf(rec->name, sizeof rec->name, "%s", name);
	secret_token("crix_", token);
	secret_keyed_hash(key, token, strlen(token), rec->hash);
	clock_now_iso(rec->created);
	if (days > 0)
		clock_format_iso((int64_t)time(NULL) + (int64_t)days * 86400, 0, rec->expires);
	struct store_tx *tx;
	if ((rc = store_tx_begin(s, &tx, err)))
		return rc;
	rc = store_token_insert(tx, rec, err);
	char id[24], detail[192];
	snprintf(id, sizeof id, "%lld", (long long)rec->id);
	snprintf(detail, sizeof detail, "for user %lld: %s", (long long)user_id, rec->name);
	return commit_with_audit(tx, rc, p, "token.create", "token", id, detail, err);
}

int account_token_revoke(struct store *s, const struct principal *p, int64_t token_id,
                         struct crix_error *err)
{
	struct store_token t;
	struct store_user u;
	int rc = store_token_get(s, token_id, &t, err);
	if (rc == 0)
		rc = store_user_get(s, t.user_id, &u, err);
	if (rc != 0)
		return rc;
	if (!account_may_manage_user(p, &u))
		return crix_error_set(err, CRIX_EACCES, "you may not revoke this token");
	char now[CLOCK_ISO_LEN], id[24];
	clock_now_iso(now);
	struct store_tx *tx;
	if ((rc = store_tx_begin(s, &tx, err)))
		return rc;
	rc = store_token_revoke(tx, token_id, now, err);
	snprintf(id, sizeof id, "%lld", (long long)token_id);
	return commit_with_audit(tx, rc, p, "token.revoke", "token", id, NULL, err);
}

static char dummy_hash[SECRET_PWHASH_MAX];

static void make_dummy(void)
{
	char pw[ACCOUNT_PASSWORD_LEN + 1];
	generate_password(pw);
	if (secret_password_hash(pw, dummy_hash, NULL) != 0)
		dummy_hash[0] = '\0';
}

int account_login(struct store *s, const unsigned char *key, const char *username,
                  const char *password, char cookie[SECRET_TOKEN_MAX], char csrf[STORE_HEX_MAX],
                  struct principal *who, struct crix_error *err)
{
	/* A hash to verify against when the user does not exist, so that the
	 * answer takes as long either way. */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct store_user u;
	struct store_org o;
	int rc = store_user_by_name(s, username, &u, err);
	if (rc != 0 && rc != CRIX_ENOTFOUND)
		return rc;
	if (rc == CRIX_ENOTFOUND) {
		pthread_once(&once, make_dummy);
		secret_password_verify(dummy_hash, password);
		return crix_error_set(err, CRIX_ENOTFOUND, "wrong username or password");
	}
	if (!secret_password_verify(u.pw_hash, password) || u.disabled)
		return crix_error_set(err, CRIX_ENOTFOUND, "wrong username or password");
	if ((rc = store_org_get(s, u.org_id, &o, err)))
		return rc;
	account_principal_user(who, &u, &o);
	struct store_session ss = {.user_id = u.id};
	secret_token("", cookie);
	secret_keyed_hash(key, cookie, strlen(cookie), ss.id_hash);
	unsigned char r[16];
	secret_random(r, sizeof r);
	for (int i = 0; i < 16; i++)
		snprintf(csrf + 2 * i, 3, "%02x", r[i]);
	snprintf(ss.csrf, sizeof ss.csrf, "%s", csrf);
	clock_now_iso(ss.created);
	clock_format_iso((int64_t)time(NULL) + ACCOUNT_SESSION_SECONDS, 0, ss.expires);
	struct store_tx *tx;
	if ((rc = store_tx_begin(s, &tx, err)))
		return rc;
	rc = store_session_purge(tx, ss.created, err);
	if (rc == 0)
		rc = store_session_insert(tx, &ss, err);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)u.id);
	return commit_with_audit(tx, rc, who, "user.login", "user", id, NULL, err);
}

int account_logout(struct store *s, const struct principal *p, const char *session_hash,
                   struct crix_error *err)
{
	struct store_tx *tx;
	int rc = store_tx_begin(s, &tx, err);
	if (rc != 0)
		return rc;
	rc = store_session_delete(tx, session_hash, err);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)p->user_id);
	return commit_with_audit(tx, rc, p, "user.logout", "user", id, NULL, err);
}
