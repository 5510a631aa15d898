/*
 * test_account.c - who may do what (src/model/account.c).
 *
 * The decisions are written out as tables, one row per role and one column
 * per kind of organisation, so that a change of policy shows up as a changed
 * table in review.  Then the field checks (each bad field named), and the
 * operations through a real store in a temporary directory: only admins
 * create organisations, org-admins cannot make admins nor raise their own
 * role, tokens are made and revoked by whom they belong to, and a sign-in
 * says the same thing for a wrong username and a wrong password.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/account.h"
#include "model/audit.h"
#include "unit/store/storefx.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define N_ROLES  6 /* ROLE_NONE .. ROLE_ADMIN */
#define N_KINDS  6 /* ORG_NONE .. ORG_NGO */
#define OWN_ORG  5
#define OTHER    6

static const char *const role_label[N_ROLES] = {"none",         "viewer",    "analyst",
                                                "investigator", "org-admin", "admin"};
static const char *const kind_label[N_KINDS] = {"none",     "law-enforcement", "cert",
                                                "business", "public-sector",   "ngo"};

/* An authenticated user (id 50) of organisation OWN_ORG of kind k. */
static struct principal who(enum role r, enum org_kind k)
{
	struct principal p = {.authenticated = true, .user_id = 50, .org_id = OWN_ORG};
	p.role = r;
	p.org_kind = k;
	snprintf(p.actor, sizeof p.actor, "user:50:test");
	return p;
}

/* ---- names ---- */

static void test_names(void **state)
{
	(void)state;
	for (int r = 0; r < N_ROLES; r++) {
		assert_string_equal(account_role_name((enum role)r), r ? role_label[r] : "");
		assert_int_equal(account_role_parse(role_label[r]), r);
	}
	for (int k = 0; k < N_KINDS; k++) {
		assert_string_equal(account_kind_name((enum org_kind)k), k ? kind_label[k] : "");
		assert_int_equal(account_kind_parse(kind_label[k]), k);
	}
	assert_int_equal(account_role_parse(""), ROLE_NONE);
	assert_int_equal(account_role_parse("Admin"), ROLE_NONE);
	assert_int_equal(account_role_parse("admin "), ROLE_NONE);
	assert_int_equal(account_kind_parse("police"), ORG_NONE);
	assert_string_equal(account_role_name((enum role)99), "");
	assert_string_equal(account_kind_name((enum org_kind) - 1), "");
}

/* ---- the decisions, as tables ---- */

typedef bool (*decide_fn)(const struct principal *p);

/* Columns: org kind none, law-enforcement, cert, business, public-sector,
 * ngo.  '1': allowed. */
static const struct {
	const char *name;
	decide_fn fn;
	const char *row[N_ROLES];
} decisions[] = {
        {"account_may_read_reports",
         account_may_read_reports,
         {
                 /*              - LE CE BU PS NG */
                 /* none      */ "000000",
                 /* viewer    */ "111111",
                 /* analyst   */ "111111",
                 /* investig. */ "111111",
                 /* org-admin */ "111111",
                 /* admin     */ "111111",
         }},
        {"account_may_see_victim",
         account_may_see_victim,
         {
                 /* none      */ "000000",
                 /* viewer    */ "000000",
                 /* analyst   */ "000000",
                 /* investig. */ "010000",
                 /* org-admin */ "000000",
                 /* admin     */ "111111",
         }},
        {"account_may_work_reports",
         account_may_work_reports,
         {
                 /* none      */ "000000",
                 /* viewer    */ "000000",
                 /* analyst   */ "011010",
                 /* investig. */ "011010",
                 /* org-admin */ "000000",
                 /* admin     */ "111111",
         }},
        {"account_may_record_outcome",
         account_may_record_outcome,
         {
                 /* none      */ "000000",
                 /* viewer    */ "000000",
                 /* analyst   */ "000000",
                 /* investig. */ "010000",
                 /* org-admin */ "000000",
                 /* admin     */ "111111",
         }},
        {"account_may_submit_bulk",
         account_may_submit_bulk,
         {
                 /* none      */ "000000",
                 /* viewer    */ "000000",
                 /* analyst   */ "111111",
                 /* investig. */ "111111",
                 /* org-admin */ "111111",
                 /* admin     */ "111111",
         }},
        {"account_may_create_org",
         account_may_create_org,
         {
                 /* none      */ "000000",
                 /* viewer    */ "000000",
                 /* analyst   */ "000000",
                 /* investig. */ "000000",
                 /* org-admin */ "000000",
                 /* admin     */ "111111",
         }},
};

static void test_decision_tables(void **state)
{
	(void)state;
	struct principal pub;
	account_principal_public(&pub);
	struct principal cli;
	account_principal_cli(&cli);
	for (size_t d = 0; d < COUNT(decisions); d++) {
		for (int r = 0; r < N_ROLES; r++)
			for (int k = 0; k < N_KINDS; k++) {
				struct principal p = who((enum role)r, (enum org_kind)k);
				bool want = decisions[d].row[r][k] == '1';
				if (decisions[d].fn(&p) != want)
					fail_msg("%s(%s of %s) = %d, want %d", decisions[d].name,
					         role_label[r], kind_label[k], !want, want);
				/* never for the public, whatever else is set */
				p.authenticated = false;
				assert_false(decisions[d].fn(&p));
			}
		assert_false(decisions[d].fn(&pub));
		/* the command line is an admin of no organisation */
		assert_int_equal(decisions[d].fn(&cli),
		                 decisions[d].row[ROLE_ADMIN][ORG_NONE] == '1');
	}
}

/* account_may_read_report: per cell, three reports: submitted by the caller's
 * own organisation, by another, by the public. */
static const char *const read_report[N_ROLES][N_KINDS] = {
        /*                 -      LE     CERT   BUS    PUBSEC NGO */
        /* none      */ {"000", "000", "000", "000", "000", "000"},
        /* viewer    */ {"100", "111", "111", "100", "111", "100"},
        /* analyst   */ {"100", "111", "111", "100", "111", "100"},
        /* investig. */ {"100", "111", "111", "100", "111", "100"},
        /* org-admin */ {"100", "111", "111", "100", "111", "100"},
        /* admin     */ {"111", "111", "111", "111", "111", "111"},
};

static void test_read_report_table(void **state)
{
	(void)state;
	static const int64_t submitted_by[3] = {OWN_ORG, OTHER, 0};
	for (int r = 0; r < N_ROLES; r++)
		for (int k = 0; k < N_KINDS; k++)
			for (int i = 0; i < 3; i++) {
				struct principal p = who((enum role)r, (enum org_kind)k);
				struct store_report rep = {.org_id = submitted_by[i]};
				bool want = read_report[r][k][i] == '1';
				if (account_may_read_report(&p, &rep) != want)
					fail_msg("may_read_report(%s of %s, report of org %lld) "
					         "= %d",
					         role_label[r], kind_label[k],
					         (long long)submitted_by[i], !want);
				p.authenticated = false;
				assert_false(account_may_read_report(&p, &rep));
			}
	/* a business user of no organisation does not read the public's reports */
	struct principal p = who(ROLE_ANALYST, ORG_BUSINESS);
	p.org_id = 0;
	struct store_report pub = {.org_id = 0};
	assert_false(account_may_read_report(&p, &pub));
}

/* Organisations and grants depend on the role and on whose organisation it
 * is, not on its kind.  Grant columns: the role given, none .. admin. */
static const struct {
	const char *manage_org;   /* own, other */
	const char *grant_own;    /* in own organisation */
	const char *grant_other;  /* in another */
	const char *manage_users; /* self, own-org viewer, own-org admin, other viewer,
	                             other admin */
} org_rules[N_ROLES] = {
        /* none      */ {"00", "000000", "000000", "10000"},
        /* viewer    */ {"00", "000000", "000000", "10000"},
        /* analyst   */ {"00", "000000", "000000", "10000"},
        /* investig. */ {"00", "000000", "000000", "10000"},
        /* org-admin */ {"10", "011110", "000000", "11000"},
        /* admin     */ {"11", "011111", "011111", "11111"},
};

static void test_org_rules_table(void **state)
{
	(void)state;
	struct store_user users[5] = {
	        {.id = 50, .org_id = OWN_ORG, .role = "viewer"},
	        {.id = 51, .org_id = OWN_ORG, .role = "viewer"},
	        {.id = 52, .org_id = OWN_ORG, .role = "admin"},
	        {.id = 53, .org_id = OTHER, .role = "viewer"},
	        {.id = 54, .org_id = OTHER, .role = "admin"},
	};
	for (int r = 0; r < N_ROLES; r++)
		for (int k = 0; k < N_KINDS; k++) {
			struct principal p = who((enum role)r, (enum org_kind)k);
			struct principal anon = p;
			anon.authenticated = false;
			for (int i = 0; i < 2; i++) {
				int64_t org = i == 0 ? OWN_ORG : OTHER;
				assert_int_equal(account_may_manage_org(&p, org),
				                 org_rules[r].manage_org[i] == '1');
				assert_false(account_may_manage_org(&anon, org));
				const char *g =
				        i == 0 ? org_rules[r].grant_own : org_rules[r].grant_other;
				for (int give = 0; give < N_ROLES; give++) {
					bool want = g[give] == '1';
					if (account_may_grant(&p, org, (enum role)give) != want)
						fail_msg("may_grant(%s of %s, org %lld, %s) = %d",
						         role_label[r], kind_label[k],
						         (long long)org, role_label[give], !want);
					assert_false(
					        account_may_grant(&anon, org, (enum role)give));
				}
			}
			for (int u = 0; u < 5; u++) {
				bool want = org_rules[r].manage_users[u] == '1';
				if (account_may_manage_user(&p, &users[u]) != want)
					fail_msg("may_manage_user(%s of %s, user %d) = %d",
					         role_label[r], kind_label[k], u, !want);
				assert_false(account_may_manage_user(&anon, &users[u]));
			}
		}
}

/* Sightings: who may report them (by role) and who may see them (the
 * indicator's owner organisation, any law-enforcement organisation), as
 * tables: [role] and [kind] x [owner is own org, owner is another]. */
static void test_sighting_rules_table(void **state)
{
	(void)state;
	static const char report[N_ROLES + 1] = "001111";
	static const char *const see_by_kind[N_KINDS] = {"10", "11", "10", "10", "10", "10"};
	for (int r = 0; r < N_ROLES; r++)
		for (int k = 0; k < N_KINDS; k++) {
			struct principal p = who((enum role)r, (enum org_kind)k);
			struct principal anon = p;
			anon.authenticated = false;
			assert_int_equal(account_may_report_sightings(&p), report[r] == '1');
			assert_false(account_may_report_sightings(&anon));
			for (int i = 0; i < 2; i++) {
				bool want = r != ROLE_NONE && see_by_kind[k][i] == '1';
				if (account_may_see_sightings(&p, i == 0 ? OWN_ORG : OTHER) != want)
					fail_msg("may_see_sightings(%s of %s, %s) = %d",
					         role_label[r], kind_label[k],
					         i == 0 ? "own" : "other's", !want);
				assert_false(account_may_see_sightings(&anon, OWN_ORG));
			}
		}
	/* the command line (no organisation) neither reports nor sees them */
	struct principal cli;
	account_principal_cli(&cli);
	assert_false(account_may_report_sightings(&cli));
	assert_false(account_may_see_sightings(&cli, 0));
}

static void test_principals(void **state)
{
	(void)state;
	struct store_user u = {.id = 3, .org_id = 9, .username = "alice", .role = "investigator"};
	struct store_org o = {.id = 9, .kind = "law-enforcement"};
	struct principal p;
	memset(&p, 'x', sizeof p);
	account_principal_user(&p, &u, &o);
	assert_true(p.authenticated);
	assert_int_equal(p.user_id, 3);
	assert_int_equal(p.org_id, 9);
	assert_int_equal(p.role, ROLE_INVESTIGATOR);
	assert_int_equal(p.org_kind, ORG_LAW_ENFORCEMENT);
	assert_string_equal(p.username, "alice");
	assert_string_equal(p.actor, "user:3:alice");
	assert_false(p.via_cookie);
	/* an unknown role or kind gives nothing */
	snprintf(u.role, sizeof u.role, "root");
	snprintf(o.kind, sizeof o.kind, "club");
	account_principal_user(&p, &u, &o);
	assert_int_equal(p.role, ROLE_NONE);
	assert_int_equal(p.org_kind, ORG_NONE);
	assert_false(account_may_read_reports(&p));
	account_principal_public(&p);
	assert_false(p.authenticated);
	assert_string_equal(p.actor, "public");
	account_principal_cli(&p);
	assert_true(p.authenticated);
	assert_int_equal(p.role, ROLE_ADMIN);
	assert_string_equal(p.actor, "cli");
}

/* ---- field checks ---- */

static const struct {
	const char *name, *kind, *country, *region;
	const char *field; /* NULL: valid */
} org_cases[] = {
        {"Met Police", "law-enforcement", "GB", "London", NULL},
        {"Polizei Berlin", "law-enforcement", "de", "", NULL},
        {"CERT-Bund \xc3\xa9", "cert", "De", "Bonn", NULL},
        {"X", "ngo", "fr", "\xc3\x8ele-de-France", NULL},
        {"", "cert", "GB", "", "name"},
        {"Bad\nName", "cert", "GB", "", "name"},
        {"Bad\x7fName", "cert", "GB", "", "name"},
        {"Tab\tName", "cert", "GB", "", "name"},
        {"Org", "police", "GB", "", "kind"},
        {"Org", "", "GB", "", "kind"},
        {"Org", "Cert", "GB", "", "kind"},
        {"Org", "cert", "G", "", "country"},
        {"Org", "cert", "", "", "country"},
        {"Org", "cert", "G1", "", "country"},
        {"Org", "cert", "1B", "", "country"},
        {"Org", "cert", "@[", "", "country"},
        {"Org", "cert", "GB", "Line\nbreak", "region"},
};

static void test_org_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(org_cases); i++) {
		struct store_org o = {0};
		snprintf(o.name, sizeof o.name, "%s", org_cases[i].name);
		snprintf(o.kind, sizeof o.kind, "%s", org_cases[i].kind);
		snprintf(o.country, sizeof o.country, "%s", org_cases[i].country);
		snprintf(o.region, sizeof o.region, "%s", org_cases[i].region);
		struct crix_error err = {0};
		int rc = account_org_check(&o, &err);
		if (org_cases[i].field == NULL) {
			if (rc != 0)
				fail_msg("case %zu (%s): %s", i, org_cases[i].name, err.msg);
			/* the country comes back in capitals */
			assert_true(o.country[0] >= 'A' && o.country[0] <= 'Z');
			assert_true(o.country[1] >= 'A' && o.country[1] <= 'Z');
			continue;
		}
		if (rc != CRIX_EINVAL || strcmp(err.field, org_cases[i].field) != 0)
			fail_msg("case %zu: rc %d field \"%s\", want EINVAL \"%s\" (%s)", i, rc,
			         err.field, org_cases[i].field, err.msg);
		/* the message names the field too */
		assert_memory_equal(err.msg, org_cases[i].field, strlen(org_cases[i].field));
	}
	/* the longest name that fits is fine */
	struct store_org o = {.kind = "cert", .country = "GB"};
	memset(o.name, 'n', sizeof o.name - 1);
	assert_int_equal(account_org_check(&o, NULL), 0);
}

static const struct {
	const char *username, *role;
	const char *field;
} user_cases[] = {
        {"alice", "viewer", NULL},
        {"a.b_c-d@example.org", "admin", NULL},
        {"abc", "org-admin", NULL},
        {"007", "analyst", NULL},
        {"ab", "viewer", "username"},
        {"", "viewer", "username"},
        {"Alice", "viewer", "username"},
        {"al ice", "viewer", "username"},
        {"alice!", "viewer", "username"},
        {"al\xc3\xaf"
         "ce",
         "viewer", "username"},
        {"alice", "root", "role"},
        {"alice", "", "role"},
        {"alice", "Viewer", "role"},
};

static void test_user_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(user_cases); i++) {
		struct store_user u = {0};
		snprintf(u.username, sizeof u.username, "%s", user_cases[i].username);
		snprintf(u.role, sizeof u.role, "%s", user_cases[i].role);
		struct crix_error err = {0};
		int rc = account_user_check(&u, &err);
		if (user_cases[i].field == NULL) {
			if (rc != 0)
				fail_msg("case %zu (%s): %s", i, user_cases[i].username, err.msg);
			continue;
		}
		if (rc != CRIX_EINVAL || strcmp(err.field, user_cases[i].field) != 0)
			fail_msg("case %zu (%s): rc %d field \"%s\", want \"%s\"", i,
			         user_cases[i].username, rc, err.field, user_cases[i].field);
		assert_memory_equal(err.msg, user_cases[i].field, strlen(user_cases[i].field));
	}
	struct store_user u = {.role = "viewer"};
	memset(u.username, 'a', sizeof u.username - 1);
	assert_int_equal(account_user_check(&u, NULL), 0);
}

/* ---- operations through a store ---- */

struct fx {
	char *dir;
	struct store *s;
	unsigned char key[SECRET_KEY_LEN];
	struct principal cli;
	int64_t le, biz;              /* organisations */
	int64_t le_admin, le_analyst; /* org-admin and analyst of le */
	int64_t biz_viewer;           /* viewer of biz */
	struct principal p_le_admin, p_le_analyst, p_biz_viewer;
};

static int64_t make_org(struct fx *f, const char *name, const char *kind)
{
	struct store_org o = {0};
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.kind, sizeof o.kind, "%s", kind);
	snprintf(o.country, sizeof o.country, "gb");
	struct crix_error err = {0};
	if (account_org_create(f->s, &f->cli, &o, &err) != 0)
		fail_msg("account_org_create(%s): %s", name, err.msg);
	assert_string_equal(o.country, "GB");
	assert_int_equal(strlen(o.created), 24);
	return o.id;
}

/* Creates a user as p with a password; fills *as with the user's principal. */
static int64_t make_user(struct fx *f, const struct principal *p, int64_t org, const char *name,
                         const char *role, struct principal *as)
{
	struct store_user u = {.org_id = org};
	snprintf(u.username, sizeof u.username, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	struct crix_error err = {0};
	if (account_user_create(f->s, p, &u, "correct horse battery", NULL, &err) != 0)
		fail_msg("account_user_create(%s): %s", name, err.msg);
	assert_true(u.id > 0);
	assert_memory_equal(u.pw_hash, "$argon2id$", 10);
	if (as != NULL) {
		struct store_org o;
		assert_int_equal(store_org_get(f->s, org, &o, &err), 0);
		account_principal_user(as, &u, &o);
	}
	return u.id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (f == NULL || secret_init(NULL) != 0 || storefx_open(&f->dir, &f->s) != 0)
		return -1;
	secret_random(f->key, sizeof f->key);
	account_principal_cli(&f->cli);
	f->le = make_org(f, "Met Police", "law-enforcement");
	f->biz = make_org(f, "ACME Ltd", "business");
	f->le_admin = make_user(f, &f->cli, f->le, "le-admin", "org-admin", &f->p_le_admin);
	f->le_analyst =
	        make_user(f, &f->p_le_admin, f->le, "le-analyst", "analyst", &f->p_le_analyst);
	f->biz_viewer = make_user(f, &f->cli, f->biz, "biz-viewer", "viewer", &f->p_biz_viewer);
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

/* The chain verifies and its last entry has this action. */
static void last_audit(struct fx *f, const char *action, const char *actor)
{
	int64_t checked, bad;
	struct crix_error err = {0};
	if (audit_verify(f->s, &checked, &bad, &err) != 0)
		fail_msg("audit_verify: %s", err.msg);
	struct store_audit *a;
	size_t n;
	assert_int_equal(store_audit_list(f->s, checked - 1, 1, &a, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].action, action);
	assert_string_equal(a[0].actor, actor);
	store_audit_array_free(a, n);
}

static int64_t audit_count(struct fx *f)
{
	int64_t checked, bad;
	assert_int_equal(audit_verify(f->s, &checked, &bad, NULL), 0);
	return checked;
}

static void test_org_ops(void **state)
{
	struct fx *f = *state;
	last_audit(f, "user.create", "cli");
	int64_t before = audit_count(f);
	/* only admins create organisations */
	const struct principal *not_admin[] = {&f->p_le_admin, &f->p_le_analyst, &f->p_biz_viewer};
	for (size_t i = 0; i < COUNT(not_admin); i++) {
		struct store_org o = {.name = "Rogue", .kind = "cert", .country = "GB"};
		struct crix_error err = {0};
		assert_int_equal(account_org_create(f->s, not_admin[i], &o, &err), CRIX_EACCES);
		assert_non_null(strstr(err.msg, "admin"));
	}
	struct principal pub;
	account_principal_public(&pub);
	struct store_org o = {.name = "Rogue", .kind = "cert", .country = "GB"};
	assert_int_equal(account_org_create(f->s, &pub, &o, NULL), CRIX_EACCES);
	assert_int_equal(audit_count(f), before);

	/* bad fields are named, a taken name is CRIX_EEXIST */
	struct crix_error err = {0};
	struct store_org bad = {.name = "New", .kind = "club", .country = "GB"};
	assert_int_equal(account_org_create(f->s, &f->cli, &bad, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "kind");
	struct store_org taken = {.name = "ACME Ltd", .kind = "business", .country = "GB"};
	assert_int_equal(account_org_create(f->s, &f->cli, &taken, &err), CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "name"));
	assert_int_equal(audit_count(f), before);
	make_org(f, "NCSC", "cert");
	last_audit(f, "org.create", "cli");

	/* an org-admin updates their own organisation only */
	struct store_org mine;
	assert_int_equal(store_org_get(f->s, f->le, &mine, &err), 0);
	snprintf(mine.region, sizeof mine.region, "Westminster");
	assert_int_equal(account_org_update(f->s, &f->p_le_admin, &mine, &err), 0);
	last_audit(f, "org.update", f->p_le_admin.actor);
	struct store_org theirs;
	assert_int_equal(store_org_get(f->s, f->biz, &theirs, &err), 0);
	snprintf(theirs.region, sizeof theirs.region, "Hacked");
	assert_int_equal(account_org_update(f->s, &f->p_le_admin, &theirs, &err), CRIX_EACCES);
	assert_int_equal(account_org_update(f->s, &f->p_le_analyst, &mine, &err), CRIX_EACCES);
	assert_int_equal(store_org_get(f->s, f->biz, &theirs, &err), 0);
	assert_string_equal(theirs.region, "");
}

static void test_user_ops(void **state)
{
	struct fx *f = *state;
	struct crix_error err = {0};
	/* an org-admin cannot make an admin, nor a user in another organisation */
	struct store_user u = {.org_id = f->le, .username = "new-admin", .role = "admin"};
	assert_int_equal(
	        account_user_create(f->s, &f->p_le_admin, &u, "long enough pw", NULL, &err),
	        CRIX_EACCES);
	struct store_user u2 = {.org_id = f->biz, .username = "intruder", .role = "viewer"};
	assert_int_equal(
	        account_user_create(f->s, &f->p_le_admin, &u2, "long enough pw", NULL, &err),
	        CRIX_EACCES);
	struct store_user u3 = {.org_id = f->le, .username = "someone", .role = "viewer"};
	assert_int_equal(
	        account_user_create(f->s, &f->p_le_analyst, &u3, "long enough pw", NULL, &err),
	        CRIX_EACCES);
	/* field errors */
	struct store_user u4 = {.org_id = f->le, .username = "ok-name", .role = "viewer"};
	assert_int_equal(account_user_create(f->s, &f->cli, &u4, "short", NULL, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "password");
	struct store_user u5 = {.org_id = 999, .username = "ok-name", .role = "viewer"};
	assert_int_equal(account_user_create(f->s, &f->cli, &u5, "long enough pw", NULL, &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "org_id");
	struct store_user u6 = {.org_id = f->le, .username = "le-admin", .role = "viewer"};
	assert_int_equal(account_user_create(f->s, &f->cli, &u6, "long enough pw", NULL, &err),
	                 CRIX_EEXIST);
	assert_non_null(strstr(err.msg, "username"));
	struct store_user u7 = {.org_id = f->le, .username = "X", .role = "viewer"};
	assert_int_equal(account_user_create(f->s, &f->cli, &u7, "long enough pw", NULL, &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "username");

	/* a generated password is shown once and works */
	struct store_user g = {.org_id = f->le, .username = "generated", .role = "viewer"};
	char pw[ACCOUNT_PASSWORD_LEN + 8];
	memset(pw, 0, sizeof pw);
	assert_int_equal(account_user_create(f->s, &f->p_le_admin, &g, NULL, pw, &err), 0);
	assert_int_equal(strlen(pw), ACCOUNT_PASSWORD_LEN);
	assert_true(secret_password_verify(g.pw_hash, pw));
	last_audit(f, "user.create", f->p_le_admin.actor);

	/* users cannot raise their own role */
	struct store_user me;
	assert_int_equal(store_user_get(f->s, f->le_analyst, &me, &err), 0);
	snprintf(me.role, sizeof me.role, "investigator");
	assert_int_equal(account_user_update(f->s, &f->p_le_analyst, &me, NULL, &err), CRIX_EACCES);
	assert_string_equal(err.field, "role");
	assert_int_equal(store_user_get(f->s, f->le_admin, &me, &err), 0);
	snprintf(me.role, sizeof me.role, "admin");
	assert_int_equal(account_user_update(f->s, &f->p_le_admin, &me, NULL, &err), CRIX_EACCES);
	assert_string_equal(err.field, "role");
	assert_int_equal(store_user_get(f->s, f->le_admin, &me, &err), 0);
	assert_string_equal(me.role, "org-admin");

	/* but may change their own password, keeping the role */
	assert_int_equal(store_user_get(f->s, f->le_analyst, &me, &err), 0);
	char old_hash[STORE_HASH_MAX];
	snprintf(old_hash, sizeof old_hash, "%s", me.pw_hash);
	assert_int_equal(account_user_update(f->s, &f->p_le_analyst, &me, "a new password", &err),
	                 0);
	assert_int_equal(store_user_get(f->s, f->le_analyst, &me, &err), 0);
	assert_string_not_equal(me.pw_hash, old_hash);
	assert_true(secret_password_verify(me.pw_hash, "a new password"));
	assert_int_equal(account_user_update(f->s, &f->p_le_analyst, &me, "short", &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "password");

	/* an org-admin promotes in their own organisation, not elsewhere */
	snprintf(me.role, sizeof me.role, "investigator");
	assert_int_equal(account_user_update(f->s, &f->p_le_admin, &me, NULL, &err), 0);
	assert_int_equal(store_user_get(f->s, f->le_analyst, &me, &err), 0);
	assert_string_equal(me.role, "investigator");
	assert_true(secret_password_verify(me.pw_hash, "a new password"));
	struct store_user biz;
	assert_int_equal(store_user_get(f->s, f->biz_viewer, &biz, &err), 0);
	snprintf(biz.role, sizeof biz.role, "analyst");
	assert_int_equal(account_user_update(f->s, &f->p_le_admin, &biz, NULL, &err), CRIX_EACCES);
	/* the username and organisation cannot be changed by an update */
	assert_int_equal(store_user_get(f->s, f->le_analyst, &me, &err), 0);
	snprintf(me.username, sizeof me.username, "renamed");
	me.org_id = f->biz;
	assert_int_equal(account_user_update(f->s, &f->p_le_admin, &me, NULL, &err), 0);
	assert_int_equal(store_user_get(f->s, f->le_analyst, &me, &err), 0);
	assert_string_equal(me.username, "le-analyst");
	assert_int_equal(me.org_id, f->le);
	/* an admin may give any role */
	snprintf(biz.role, sizeof biz.role, "admin");
	assert_int_equal(account_user_update(f->s, &f->cli, &biz, NULL, &err), 0);
	last_audit(f, "user.update", "cli");
	/* and then the org-admin of that organisation may not touch them */
	struct store_user unknown = {.id = 999, .username = "nobody", .role = "viewer"};
	assert_int_equal(account_user_update(f->s, &f->cli, &unknown, NULL, &err), CRIX_ENOTFOUND);
}

static void test_token_ops(void **state)
{
	struct fx *f = *state;
	struct crix_error err = {0};
	char token[SECRET_TOKEN_MAX];
	struct store_token rec;
	/* for oneself */
	assert_int_equal(account_token_create(f->s, f->key, &f->p_biz_viewer, f->biz_viewer,
	                                      "my script", 30, token, &rec, &err),
	                 0);
	assert_memory_equal(token, "crix_", 5);
	assert_int_equal(strlen(token), 5 + 43);
	char h[SECRET_HASH_HEX];
	secret_keyed_hash(f->key, token, strlen(token), h);
	assert_string_equal(rec.hash, h);
	assert_int_equal(rec.user_id, f->biz_viewer);
	assert_string_equal(rec.name, "my script");
	assert_string_equal(rec.revoked, "");
	assert_int_equal(strlen(rec.expires), 24);
	assert_true(strcmp(rec.expires, rec.created) > 0);
	struct store_token got;
	assert_int_equal(store_token_by_hash(f->s, h, &got, &err), 0);
	assert_int_equal(got.id, rec.id);
	last_audit(f, "token.create", f->p_biz_viewer.actor);
	/* the token itself is not stored anywhere */
	assert_null(strstr(got.hash, token + 5));

	/* no expiry */
	char t2[SECRET_TOKEN_MAX];
	struct store_token r2, feed;
	assert_int_equal(account_token_create(f->s, f->key, &f->p_le_admin, f->le_analyst, "feed",
	                                      0, t2, &feed, &err),
	                 0);
	assert_string_equal(feed.expires, "");
	assert_int_equal(feed.user_id, f->le_analyst);
	assert_string_not_equal(t2, token);

	/* not for someone one may not manage */
	assert_int_equal(account_token_create(f->s, f->key, &f->p_le_analyst, f->biz_viewer, "x", 0,
	                                      t2, &r2, &err),
	                 CRIX_EACCES);
	assert_int_equal(account_token_create(f->s, f->key, &f->p_le_admin, f->biz_viewer, "x", 0,
	                                      t2, &r2, &err),
	                 CRIX_EACCES);
	/* field errors */
	assert_int_equal(account_token_create(f->s, f->key, &f->cli, 999, "x", 0, t2, &r2, &err),
	                 CRIX_ENOTFOUND);
	assert_string_equal(err.field, "user_id");
	static const char *const bad_names[] = {"", "tab\there", NULL};
	for (size_t i = 0; i < COUNT(bad_names); i++) {
		assert_int_equal(account_token_create(f->s, f->key, &f->cli, f->biz_viewer,
		                                      bad_names[i], 0, t2, &r2, &err),
		                 CRIX_EINVAL);
		assert_string_equal(err.field, "name");
	}
	char longname[STORE_NAME_MAX + 1];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(account_token_create(f->s, f->key, &f->cli, f->biz_viewer, longname, 0, t2,
	                                      &r2, &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "name");
	static const int bad_days[] = {-1, 3651, 100000};
	for (size_t i = 0; i < COUNT(bad_days); i++) {
		assert_int_equal(account_token_create(f->s, f->key, &f->cli, f->biz_viewer, "x",
		                                      bad_days[i], t2, &r2, &err),
		                 CRIX_EINVAL);
		assert_string_equal(err.field, "expires_days");
	}
	assert_int_equal(account_token_create(f->s, f->key, &f->cli, f->biz_viewer, "x", 3650, t2,
	                                      &r2, &err),
	                 0);

	/* revoke: not by another user; by the owner once; twice is not found */
	assert_int_equal(account_token_revoke(f->s, &f->p_le_analyst, rec.id, &err), CRIX_EACCES);
	assert_int_equal(account_token_revoke(f->s, &f->p_biz_viewer, rec.id, &err), 0);
	last_audit(f, "token.revoke", f->p_biz_viewer.actor);
	assert_int_equal(store_token_get(f->s, rec.id, &got, &err), 0);
	assert_int_equal(strlen(got.revoked), 24);
	int64_t before = audit_count(f);
	assert_int_equal(account_token_revoke(f->s, &f->p_biz_viewer, rec.id, &err),
	                 CRIX_ENOTFOUND);
	assert_int_equal(account_token_revoke(f->s, &f->cli, 4242, &err), CRIX_ENOTFOUND);
	assert_int_equal(audit_count(f), before);
	/* an org-admin revokes a token of a user of their organisation, not of
	 * another organisation */
	assert_int_equal(account_token_revoke(f->s, &f->p_le_admin, r2.id, &err), CRIX_EACCES);
	assert_int_equal(account_token_revoke(f->s, &f->p_le_admin, feed.id, &err), 0);
	last_audit(f, "token.revoke", f->p_le_admin.actor);
}

static void test_login(void **state)
{
	struct fx *f = *state;
	char cookie[SECRET_TOKEN_MAX], csrf[STORE_HEX_MAX];
	struct principal p;
	struct crix_error e1 = {0}, e2 = {0}, e3 = {0};
	assert_int_equal(account_login(f->s, f->key, "nobody", "correct horse battery", cookie,
	                               csrf, &p, &e1),
	                 CRIX_ENOTFOUND);
	assert_int_equal(account_login(f->s, f->key, "le-analyst", "wrong horse battery", cookie,
	                               csrf, &p, &e2),
	                 CRIX_ENOTFOUND);
	assert_string_equal(e1.msg, e2.msg);
	assert_string_equal(e1.field, e2.field);
	assert_non_null(strstr(e1.msg, "username or password"));

	/* a disabled user is refused alike */
	struct store_user u;
	assert_int_equal(store_user_get(f->s, f->biz_viewer, &u, &e3), 0);
	u.disabled = 1;
	assert_int_equal(account_user_update(f->s, &f->cli, &u, NULL, &e3), 0);
	assert_int_equal(account_login(f->s, f->key, "biz-viewer", "correct horse battery", cookie,
	                               csrf, &p, &e3),
	                 CRIX_ENOTFOUND);
	assert_string_equal(e3.msg, e1.msg);

	int64_t before = audit_count(f);
	struct crix_error err = {0};
	memset(&p, 0, sizeof p);
	if (account_login(f->s, f->key, "le-analyst", "correct horse battery", cookie, csrf, &p,
	                  &err) != 0)
		fail_msg("account_login: %s", err.msg);
	assert_true(p.authenticated);
	assert_int_equal(p.user_id, f->le_analyst);
	assert_int_equal(p.org_id, f->le);
	assert_int_equal(p.role, ROLE_ANALYST);
	assert_int_equal(p.org_kind, ORG_LAW_ENFORCEMENT);
	assert_string_equal(p.actor, f->p_le_analyst.actor);
	assert_string_equal(p.actor, "user:2:le-analyst");
	assert_int_equal(strlen(cookie), 43);
	assert_int_equal(strlen(csrf), 32);
	assert_int_equal(strspn(csrf, "0123456789abcdef"), 32);
	assert_int_equal(audit_count(f), before + 1);
	last_audit(f, "user.login", f->p_le_analyst.actor);

	/* the session is found by the keyed hash of the cookie */
	char h[SECRET_HASH_HEX];
	secret_keyed_hash(f->key, cookie, strlen(cookie), h);
	struct store_session ss;
	assert_int_equal(store_session_get(f->s, h, &ss, &err), 0);
	assert_int_equal(ss.user_id, f->le_analyst);
	assert_string_equal(ss.csrf, csrf);
	int64_t t0, t1;
	assert_int_equal(clock_parse_iso(ss.created, "created", NULL, &t0, &err), 0);
	assert_int_equal(clock_parse_iso(ss.expires, "expires", NULL, &t1, &err), 0);
	assert_true(t1 - t0 >= ACCOUNT_SESSION_SECONDS - 2 && t1 - t0 <= ACCOUNT_SESSION_SECONDS);
	/* not by the cookie itself, nor under another key */
	assert_int_equal(store_session_get(f->s, cookie, &ss, &err), CRIX_ENOTFOUND);
	unsigned char other[SECRET_KEY_LEN];
	memcpy(other, f->key, sizeof other);
	other[0] ^= 1;
	char h2[SECRET_HASH_HEX];
	secret_keyed_hash(other, cookie, strlen(cookie), h2);
	assert_int_equal(store_session_get(f->s, h2, &ss, &err), CRIX_ENOTFOUND);

	/* two logins, two sessions */
	char cookie2[SECRET_TOKEN_MAX], csrf2[STORE_HEX_MAX];
	assert_int_equal(account_login(f->s, f->key, "le-analyst", "correct horse battery", cookie2,
	                               csrf2, &p, &err),
	                 0);
	assert_string_not_equal(cookie, cookie2);
	assert_string_not_equal(csrf, csrf2);

	/* logout ends that session only */
	assert_int_equal(account_logout(f->s, &p, h, &err), 0);
	assert_int_equal(store_session_get(f->s, h, &ss, &err), CRIX_ENOTFOUND);
	secret_keyed_hash(f->key, cookie2, strlen(cookie2), h2);
	assert_int_equal(store_session_get(f->s, h2, &ss, &err), 0);
	last_audit(f, "user.logout", f->p_le_analyst.actor);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_names),
	        cmocka_unit_test(test_decision_tables),
	        cmocka_unit_test(test_read_report_table),
	        cmocka_unit_test(test_org_rules_table),
	        cmocka_unit_test(test_sighting_rules_table),
	        cmocka_unit_test(test_principals),
	        cmocka_unit_test(test_org_check),
	        cmocka_unit_test(test_user_check),
	        cmocka_unit_test_setup_teardown(test_org_ops, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_user_ops, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_token_ops, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_login, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
