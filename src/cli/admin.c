/*
 * admin.c - `crix admin` (organisations, users, tokens from the shell) and
 * `crix audit verify`.  Both open the store directly; they may run while the
 * server runs (SQLite WAL lets them, and writes wait their turn).
 */
#include "cli/cli.h"

#include "model/account.h"
#include "model/audit.h"
#include "store/store.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_admin_help(FILE *f)
{
	fprintf(f,
	        "usage: crix admin [--data DIR] [--db URL] COMMAND [OPTIONS]\n\n"
	        "Manages accounts from the shell, as the 'cli' administrator (every change is\n"
	        "in the audit chain).\n\n"
	        "Commands:\n"
	        "  init [--username NAME] [--org NAME] [--kind KIND] [--country CC]\n"
	        "        creates the first organisation and administrator and prints a one-time\n"
	        "        password (refused when an administrator exists)\n"
	        "  org add --name NAME --kind KIND --country CC [--region REGION]\n"
	        "  org list\n"
	        "  user add --org ID --username NAME --role ROLE [--password-stdin]\n"
	        "        prints a generated password unless one is read from standard input\n"
	        "  user set --username NAME [--role ROLE] [--disable | --enable] "
	        "[--password-stdin]\n"
	        "  user list [--org ID]\n"
	        "  token add --username NAME [--name TEXT] [--days N]\n"
	        "        prints the new API token (only now; crix keeps a keyed hash of it)\n"
	        "  token list --username NAME\n"
	        "  token revoke ID\n\n"
	        "KIND: law-enforcement, cert, business, public-sector, ngo.\n"
	        "ROLE: viewer, analyst, investigator, org-admin, admin.\n\n"
	        "Options:\n"
	        "  --data DIR    data directory (default ./crix-data)\n"
	        "  --db URL      sqlite:PATH (default sqlite:DIR/crix.db)\n"
	        "  -h, --help    this help\n\n"
	        "Exit status: 0 done, 1 refused or failed, 2 usage error.\n");
}

void cli_audit_help(FILE *f)
{
	fprintf(f, "usage: crix audit verify [--data DIR] [--db URL]\n\n"
	           "Walks the audit chain from its first entry and checks every entry's hash and\n"
	           "its link to the one before.  Prints the number of entries when the chain is\n"
	           "intact (exit 0), or names the first entry that was altered or whose\n"
	           "predecessor was removed (exit 1).\n\n"
	           "Options:\n"
	           "  --data DIR    data directory (default ./crix-data)\n"
	           "  --db URL      sqlite:PATH (default sqlite:DIR/crix.db)\n"
	           "  -h, --help    this help\n");
}

/* Options after the command words: --name value pairs and flags. */
struct opts {
	const char *v[16][2];
	size_t n;
	const char *pos[4];
	size_t npos;
};

static int parse(const char *cmd, int argc, char **argv, int from, struct opts *o,
                 const char *const *flags)
{
	memset(o, 0, sizeof *o);
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		bool flag = false;
		for (size_t k = 0; flags != NULL && flags[k] != NULL; k++)
			flag = flag || strcmp(a, flags[k]) == 0;
		if (strncmp(a, "--", 2) != 0) {
			if (o->npos == 4) {
				fprintf(stderr, "crix %s: too many arguments\n", cmd);
				return -1;
			}
			o->pos[o->npos++] = a;
			continue;
		}
		if (o->n == 16) {
			fprintf(stderr, "crix %s: too many options\n", cmd);
			return -1;
		}
		if (flag) {
			o->v[o->n][0] = a;
			o->v[o->n++][1] = "";
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "crix %s: %s needs a value\n", cmd, a);
			return -1;
		}
		o->v[o->n][0] = a;
		o->v[o->n++][1] = argv[++i];
	}
	return 0;
}

static const char *get(const struct opts *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i][0], name) == 0)
			return o->v[i][1];
	return NULL;
}

/* Every option given must be one of the known ones. */
static int known(const char *cmd, const struct opts *o, const char *const *names)
{
	for (size_t i = 0; i < o->n; i++) {
		bool ok = false;
		for (size_t k = 0; names[k] != NULL && !ok; k++)
			ok = strcmp(o->v[i][0], names[k]) == 0;
		if (!ok) {
			fprintf(stderr, "crix %s: unknown option '%s' (see --help)\n", cmd,
			        o->v[i][0]);
			return -1;
		}
	}
	return 0;
}

static const char *need(const char *cmd, const struct opts *o, const char *name)
{
	const char *v = get(o, name);
	if (v == NULL)
		fprintf(stderr, "crix %s: %s is required\n", cmd, name);
	return v;
}

static int parse_id(const char *cmd, const char *what, const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0) {
		fprintf(stderr, "crix %s: %s: '%s' is not a positive number\n", cmd, what, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Reads a password from the first line of standard input. */
static int read_password(const char *cmd, char *out, size_t cap)
{
	if (fgets(out, (int)cap, stdin) == NULL) {
		fprintf(stderr, "crix %s: --password-stdin: nothing on standard input\n", cmd);
		return -1;
	}
	size_t n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

/* Opens the store; only `admin init` may create it, so that a mistyped --data
 * is an error rather than a new, empty (and "intact") database. */
static int open_store(const char *cmd, const char *data, const char *db, bool create,
                      struct store **s)
{
	struct crix_error err = {0};
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/crix.db", data);
	if (!create && db == NULL && access(path, F_OK) != 0) {
		fprintf(stderr,
		        "crix %s: %s: no crix database here (wrong --data? 'crix admin init' "
		        "creates one)\n",
		        cmd, path);
		return -1;
	}
	if (create && cli_make_data_dir(cmd, data) != 0)
		return -1;
	if (secret_init(&err) != 0 || store_open(db, data, s, &err) != 0) {
		fprintf(stderr, "crix %s: %s\n", cmd, err.msg);
		return -1;
	}
	return 0;
}

static int fail(const char *cmd, const struct crix_error *err)
{
	fprintf(stderr, "crix %s: %s\n", cmd, err->msg);
	return err->code == CRIX_EINVAL && err->field[0] ? 2 : 1;
}

static int user_by_name(const char *cmd, struct store *s, const char *name, struct store_user *u)
{
	struct crix_error err = {0};
	if (store_user_by_name(s, name, u, &err) != 0) {
		fprintf(stderr, "crix %s: no user '%s'\n", cmd, name);
		return -1;
	}
	return 0;
}

static int admin_init(struct store *s, const char *data, const struct opts *o)
{
	static const char *const names[] = {"--username", "--org", "--kind", "--country", NULL};
	if (known("admin init", o, names) != 0)
		return 2;
	struct crix_error err = {0};
	int64_t n;
	if (store_user_count(s, "admin", &n, &err) != 0)
		return fail("admin init", &err);
	if (n > 0) {
		fprintf(stderr, "crix admin init: an administrator exists already; add users with "
		                "'crix admin user add'\n");
		return 1;
	}
	struct principal cli;
	account_principal_cli(&cli);
	struct store_org org = {0};
	snprintf(org.name, sizeof org.name, "%s",
	         get(o, "--org") ? get(o, "--org") : "Reporting centre");
	snprintf(org.kind, sizeof org.kind, "%s",
	         get(o, "--kind") ? get(o, "--kind") : "public-sector");
	const char *cc = get(o, "--country") ? get(o, "--country") : "GB";
	if (strlen(cc) != 2) {
		fprintf(stderr,
		        "crix admin init: --country: '%s' is not an ISO 3166-1 alpha-2 code "
		        "(e.g. GB)\n",
		        cc);
		return 2;
	}
	snprintf(org.country, sizeof org.country, "%s", cc);
	if (account_org_create(s, &cli, &org, &err) != 0 && err.code != CRIX_EEXIST)
		return fail("admin init", &err);
	if (org.id == 0) {
		/* The organisation exists from an earlier, interrupted init. */
		struct store_org *orgs;
		size_t k;
		if (store_org_list(s, 0, 1, &orgs, &k, &err) != 0 || k == 0)
			return fail("admin init", &err);
		org = orgs[0];
		free(orgs);
	}
	struct store_user u = {.org_id = org.id};
	snprintf(u.username, sizeof u.username, "%s",
	         get(o, "--username") ? get(o, "--username") : "admin");
	snprintf(u.role, sizeof u.role, "admin");
	char pw[ACCOUNT_PASSWORD_LEN + 1];
	if (account_user_create(s, &cli, &u, NULL, pw, &err) != 0)
		return fail("admin init", &err);
	printf("organisation: %s (id %lld, %s, %s)\n", org.name, (long long)org.id, org.kind,
	       org.country);
	printf("administrator: %s\n", u.username);
	printf("one-time password: %s\n", pw);
	printf("Sign in with POST /api/v1/login, then change the password (PATCH "
	       "/api/v1/users/%lld).\nData directory: %s\n",
	       (long long)u.id, data);
	return 0;
}

static void print_org(const struct store_org *o)
{
	printf("%lld\t%s\t%s\t%s\t%s\n", (long long)o->id, o->name, o->kind, o->country, o->region);
}

static void print_user(const struct store_user *u)
{
	printf("%lld\t%s\t%s\torg %lld%s\n", (long long)u->id, u->username, u->role,
	       (long long)u->org_id, u->disabled ? "\tdisabled" : "");
}

static int admin_org(struct store *s, const struct opts *o)
{
	struct principal cli;
	struct crix_error err = {0};
	account_principal_cli(&cli);
	const char *sub = o->npos > 0 ? o->pos[0] : "";
	if (strcmp(sub, "add") == 0) {
		static const char *const names[] = {"--name", "--kind", "--country", "--region",
		                                    NULL};
		const char *name, *kind, *cc;
		if (known("admin org add", o, names) ||
		    !(name = need("admin org add", o, "--name")) ||
		    !(kind = need("admin org add", o, "--kind")) ||
		    !(cc = need("admin org add", o, "--country")))
			return 2;
		struct store_org org = {0};
		snprintf(org.name, sizeof org.name, "%s", name);
		snprintf(org.kind, sizeof org.kind, "%s", kind);
		snprintf(org.country, sizeof org.country, "%.2s", cc);
		if (strlen(cc) != 2) {
			fprintf(stderr,
			        "crix admin org add: --country: '%s' is not an ISO 3166-1 "
			        "alpha-2 code (e.g. GB)\n",
			        cc);
			return 2;
		}
		snprintf(org.region, sizeof org.region, "%s",
		         get(o, "--region") ? get(o, "--region") : "");
		if (account_org_create(s, &cli, &org, &err) != 0)
			return fail("admin org add", &err);
		print_org(&org);
		return 0;
	}
	if (strcmp(sub, "list") == 0) {
		int64_t after = 0;
		for (;;) {
			struct store_org *orgs;
			size_t n;
			if (store_org_list(s, after, 500, &orgs, &n, &err) != 0)
				return fail("admin org list", &err);
			for (size_t i = 0; i < n; i++)
				print_org(&orgs[i]);
			after = n ? orgs[n - 1].id : after;
			free(orgs);
			if (n < 500)
				return 0;
		}
	}
	fprintf(stderr, "crix admin org: add or list (see crix admin --help)\n");
	return 2;
}

static int admin_user(struct store *s, const struct opts *o)
{
	struct principal cli;
	struct crix_error err = {0};
	account_principal_cli(&cli);
	const char *sub = o->npos > 0 ? o->pos[0] : "";
	char pw[1100];
	if (strcmp(sub, "add") == 0) {
		static const char *const names[] = {"--org", "--username", "--role",
		                                    "--password-stdin", NULL};
		const char *org, *name, *role;
		int64_t org_id;
		if (known("admin user add", o, names) ||
		    !(org = need("admin user add", o, "--org")) ||
		    !(name = need("admin user add", o, "--username")) ||
		    !(role = need("admin user add", o, "--role")) ||
		    parse_id("admin user add", "--org", org, &org_id))
			return 2;
		bool stdin_pw = get(o, "--password-stdin") != NULL;
		if (stdin_pw && read_password("admin user add", pw, sizeof pw) != 0)
			return 2;
		struct store_user u = {.org_id = org_id};
		snprintf(u.username, sizeof u.username, "%s", name);
		snprintf(u.role, sizeof u.role, "%s", role);
		char gen[ACCOUNT_PASSWORD_LEN + 1];
		if (account_user_create(s, &cli, &u, stdin_pw ? pw : NULL, gen, &err) != 0)
			return fail("admin user add", &err);
		print_user(&u);
		if (!stdin_pw)
			printf("one-time password: %s\n", gen);
		return 0;
	}
	if (strcmp(sub, "set") == 0) {
		static const char *const names[] = {"--username", "--role",           "--disable",
		                                    "--enable",   "--password-stdin", NULL};
		const char *name;
		struct store_user u;
		if (known("admin user set", o, names) ||
		    !(name = need("admin user set", o, "--username")))
			return 2;
		if (user_by_name("admin user set", s, name, &u) != 0)
			return 1;
		if (get(o, "--role"))
			snprintf(u.role, sizeof u.role, "%s", get(o, "--role"));
		if (get(o, "--disable"))
			u.disabled = 1;
		if (get(o, "--enable"))
			u.disabled = 0;
		bool stdin_pw = get(o, "--password-stdin") != NULL;
		if (stdin_pw && read_password("admin user set", pw, sizeof pw) != 0)
			return 2;
		if (account_user_update(s, &cli, &u, stdin_pw ? pw : NULL, &err) != 0)
			return fail("admin user set", &err);
		print_user(&u);
		return 0;
	}
	if (strcmp(sub, "list") == 0) {
		static const char *const names[] = {"--org", NULL};
		int64_t org = 0, after = 0;
		if (known("admin user list", o, names) ||
		    (get(o, "--org") &&
		     parse_id("admin user list", "--org", get(o, "--org"), &org)))
			return 2;
		for (;;) {
			struct store_user *us;
			size_t n;
			if (store_user_list(s, org, after, 500, &us, &n, &err) != 0)
				return fail("admin user list", &err);
			for (size_t i = 0; i < n; i++)
				print_user(&us[i]);
			after = n ? us[n - 1].id : after;
			free(us);
			if (n < 500)
				return 0;
		}
	}
	fprintf(stderr, "crix admin user: add, set or list (see crix admin --help)\n");
	return 2;
}

static int admin_token(struct store *s, const char *data, const struct opts *o)
{
	struct principal cli;
	struct crix_error err = {0};
	account_principal_cli(&cli);
	const char *sub = o->npos > 0 ? o->pos[0] : "";
	if (strcmp(sub, "add") == 0) {
		static const char *const names[] = {"--username", "--name", "--days", NULL};
		const char *name;
		struct store_user u;
		if (known("admin token add", o, names) ||
		    !(name = need("admin token add", o, "--username")))
			return 2;
		int days = 90;
		if (get(o, "--days")) {
			char *end;
			long d = strtol(get(o, "--days"), &end, 10);
			if (*end != '\0' || d < 0 || d > 3650) {
				fprintf(stderr,
				        "crix admin token add: --days: 0 (never) to 3650\n");
				return 2;
			}
			days = (int)d;
		}
		if (user_by_name("admin token add", s, name, &u) != 0)
			return 1;
		unsigned char key[SECRET_KEY_LEN];
		char keyp[PATH_MAX], token[SECRET_TOKEN_MAX];
		snprintf(keyp, sizeof keyp, "%s/secret.key", data);
		struct store_token rec;
		if (secret_key_load(keyp, key, &err) != 0 ||
		    account_token_create(s, key, &cli, u.id,
		                         get(o, "--name") ? get(o, "--name") : "cli", days, token,
		                         &rec, &err) != 0)
			return fail("admin token add", &err);
		printf("%s\n", token);
		fprintf(stderr, "token %lld for %s%s%s; shown only now\n", (long long)rec.id,
		        u.username, rec.expires[0] ? ", expires " : ", never expires", rec.expires);
		return 0;
	}
	if (strcmp(sub, "list") == 0) {
		static const char *const names[] = {"--username", NULL};
		const char *name;
		struct store_user u;
		if (known("admin token list", o, names) ||
		    !(name = need("admin token list", o, "--username")))
			return 2;
		if (user_by_name("admin token list", s, name, &u) != 0)
			return 1;
		struct store_token *t;
		size_t n;
		if (store_token_list(s, u.id, 0, 10000, &t, &n, &err) != 0)
			return fail("admin token list", &err);
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%s\tcreated %s\texpires %s\t%s\n", (long long)t[i].id,
			       t[i].name, t[i].created, t[i].expires[0] ? t[i].expires : "never",
			       t[i].revoked[0] ? "revoked" : "valid");
		free(t);
		return 0;
	}
	if (strcmp(sub, "revoke") == 0) {
		int64_t id;
		if (o->npos != 2 || parse_id("admin token revoke", "ID", o->pos[1], &id))
			return 2;
		if (account_token_revoke(s, &cli, id, &err) != 0)
			return fail("admin token revoke", &err);
		printf("token %lld revoked\n", (long long)id);
		return 0;
	}
	fprintf(stderr, "crix admin token: add, list or revoke (see crix admin --help)\n");
	return 2;
}

int cli_admin(int argc, char **argv)
{
	const char *data = "crix-data", *db = NULL;
	int i = 1;
	while (i + 1 < argc && (strcmp(argv[i], "--data") == 0 || strcmp(argv[i], "--db") == 0)) {
		if (strcmp(argv[i], "--data") == 0)
			data = argv[i + 1];
		else
			db = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		cli_admin_help(stderr);
		return 2;
	}
	const char *what = argv[i];
	static const char *const flags[] = {"--password-stdin", "--disable", "--enable", NULL};
	struct opts o;
	if (parse("admin", argc, argv, i + 1, &o, flags) != 0)
		return 2;
	/* --data and --db may also come after the command. */
	if (get(&o, "--data"))
		data = get(&o, "--data");
	if (get(&o, "--db"))
		db = get(&o, "--db");
	for (size_t k = 0; k < o.n; k++)
		if (strcmp(o.v[k][0], "--data") == 0 || strcmp(o.v[k][0], "--db") == 0) {
			o.v[k][0] = o.v[o.n - 1][0];
			o.v[k][1] = o.v[o.n - 1][1];
			o.n--;
			k--;
		}
	if (strcmp(what, "init") != 0 && strcmp(what, "org") != 0 && strcmp(what, "user") != 0 &&
	    strcmp(what, "token") != 0) {
		fprintf(stderr, "crix admin: unknown command '%s' (see crix admin --help)\n", what);
		return 2;
	}
	struct store *s;
	if (open_store("admin", data, db, strcmp(what, "init") == 0, &s) != 0)
		return 1;
	int rc;
	if (strcmp(what, "init") == 0)
		rc = admin_init(s, data, &o);
	else if (strcmp(what, "org") == 0)
		rc = admin_org(s, &o);
	else if (strcmp(what, "user") == 0)
		rc = admin_user(s, &o);
	else
		rc = admin_token(s, data, &o);
	store_close(s);
	return rc;
}

int cli_audit(int argc, char **argv)
{
	const char *data = "crix-data", *db = NULL;
	bool verify = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "verify") == 0)
			verify = true;
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else {
			fprintf(stderr,
			        "crix audit: unknown argument '%s' (see crix audit --help)\n",
			        argv[i]);
			return 2;
		}
	}
	if (!verify) {
		cli_audit_help(stderr);
		return 2;
	}
	struct store *s;
	if (open_store("audit", data, db, false, &s) != 0)
		return 2;
	int64_t checked, bad;
	struct crix_error err = {0};
	int rc = audit_verify(s, &checked, &bad, &err);
	store_close(s);
	if (rc == 0) {
		printf("audit chain intact: %lld entries\n", (long long)checked);
		return 0;
	}
	fprintf(stderr, "crix audit: %s\n", err.msg);
	if (rc == CRIX_EINVAL)
		printf("audit chain broken at entry %lld (%lld entries before it are intact)\n",
		       (long long)bad, (long long)checked);
	return rc == CRIX_EINVAL ? 1 : 2;
}
