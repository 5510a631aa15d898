/*
 * directory.c - GET /api/v1/directory/orgs and /api/v1/directory/users:
 * organisations and users by part of their name, so that staff pick
 * recipients, writers and group members by name.  Who may list what is in
 * model/directory.c; organisations come without their users, users with
 * their id, username and role only.
 */
#include "api/api.h"
#include "model/directory.h"
#include "share/sharing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The folded q of the query string; answers 400 naming q otherwise. */
static int query(struct http_req *rq, struct http_resp *rs, char folded[DIRECTORY_Q_MAX + 1])
{
	struct crix_error err = {0};
	if (directory_query(http_query(rq, "q"), folded, &err) != 0) {
		http_error_from(rs, &err);
		return -1;
	}
	return 0;
}

void api_directory_orgs(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	char q[DIRECTORY_Q_MAX + 1];
	if (!directory_may_list_orgs(&rq->who)) {
		http_error(rs, 403, "only members of an organisation look organisations up", NULL);
		return;
	}
	if (query(rq, rs, q) != 0)
		return;
	struct store_org *o;
	size_t n;
	bool more;
	struct crix_error err = {0};
	if (directory_orgs(app->store, q, &o, &n, &more, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)o[i].id,
		                                   "name", o[i].name, "kind", o[i].kind, "country",
		                                   o[i].country));
	free(o);
	http_json(rs, 200, json_pack("{s:o,s:b}", "orgs", a, "more", more));
}

static bool shares_group(void *arg, int64_t org_id)
{
	struct http_req *rq = ((void **)arg)[1];
	return sharing_orgs_share_group(((void **)arg)[0], rq->who.org_id, org_id);
}

/*
 * ids=1,2,3: at most DIRECTORY_IDS_MAX user ids; answers 400 naming ids
 * otherwise.  OUT: ids, *n.
 */
static int parse_ids(struct http_resp *rs, const char *s, int64_t ids[DIRECTORY_IDS_MAX], size_t *n)
{
	*n = 0;
	char one[24];
	size_t all = strlen(s);
	if (all == 0 || s[all - 1] == ',') {
		http_error(rs, 400, "ids: user ids separated by commas", "ids");
		return -1;
	}
	while (*s != '\0') {
		size_t len = strcspn(s, ",");
		if (*n == DIRECTORY_IDS_MAX) {
			http_error(rs, 400, "ids: at most 64 user ids", "ids");
			return -1;
		}
		if (len == 0 || len >= sizeof one) {
			http_error(rs, 400, "ids: user ids separated by commas", "ids");
			return -1;
		}
		memcpy(one, s, len);
		one[len] = '\0';
		if (api_id(rs, one, "ids", &ids[*n]) != 0)
			return -1;
		(*n)++;
		s += len + (s[len] == ',');
	}
	return 0;
}

/* The users as answered, each with its organisation's name (any member may
 * look organisations up), looked up once per organisation. */
static json_t *users_json(struct store *st, const struct store_user *u, size_t n)
{
	json_t *a = json_array();
	int64_t seen[DIRECTORY_IDS_MAX];
	char names[DIRECTORY_IDS_MAX][STORE_NAME_MAX];
	size_t ns = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < ns && seen[k] != u[i].org_id)
			k++;
		if (k == ns && ns < DIRECTORY_IDS_MAX) {
			struct store_org o;
			struct crix_error e = {0};
			seen[ns] = u[i].org_id;
			snprintf(names[ns], sizeof names[ns], "%s",
			         store_org_get(st, u[i].org_id, &o, &e) == 0 ? o.name : "");
			ns++;
		}
		json_array_append_new(
		        a, json_pack("{s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)u[i].id, "org_id",
		                     (json_int_t)u[i].org_id, "org_name", k < ns ? names[k] : "",
		                     "username", u[i].username, "role", u[i].role));
	}
	return a;
}

void api_directory_users(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	void *arg[2] = {app->sharing, rq};
	struct directory_partners pt = {shares_group, arg};
	struct store_user *u = NULL;
	size_t n = 0;
	bool more = false;
	struct crix_error err = {0};
	const char *os = http_query(rq, "org"), *is = http_query(rq, "ids");
	bool any = os != NULL && strcmp(os, "any") == 0;
	if (!directory_may_list_orgs(&rq->who)) {
		http_error(rs, 403, "only members of an organisation look users up", NULL);
		return;
	}
	if (is != NULL) {
		/* names for ids a page holds: those the caller may list, silently
		 * leaving out the others (a refusal would tell which exist) */
		int64_t ids[DIRECTORY_IDS_MAX];
		size_t nid;
		if (parse_ids(rs, is, ids, &nid) != 0)
			return;
		if (directory_users_named(app->store, &rq->who, &pt, ids, nid, &u, &n, &err) != 0) {
			http_error_from(rs, &err);
			return;
		}
	} else {
		int64_t org = rq->who.org_id;
		if (os != NULL && !any && api_id(rs, os, "org", &org) != 0)
			return;
		if (!any && org <= 0) {
			http_error(rs, 400,
			           "org: the id of the organisation whose users to list, or any",
			           "org");
			return;
		}
		bool partner = !any && rq->who.org_id > 0 && org != rq->who.org_id &&
		               sharing_orgs_share_group(app->sharing, rq->who.org_id, org);
		if (!any && !directory_may_list_users(&rq->who, org, partner)) {
			http_error(
			        rs, 403,
			        "org: you may list the users of your own organisation and of those "
			        "in a sharing group with it",
			        "org");
			return;
		}
		char q[DIRECTORY_Q_MAX + 1];
		if (query(rq, rs, q) != 0)
			return;
		int rc = any ? directory_users_visible(app->store, &rq->who, &pt, q, &u, &n, &more,
		                                       &err)
		             : directory_users(app->store, org, q, &u, &n, &more, &err);
		if (rc != 0) {
			http_error_from(rs, &err);
			return;
		}
	}
	json_t *a = users_json(app->store, u, n);
	free(u);
	http_json(rs, 200, json_pack("{s:o,s:b}", "users", a, "more", more));
}
