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

#include <stdlib.h>

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

void api_directory_users(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	int64_t org = rq->who.org_id;
	const char *os = http_query(rq, "org");
	if (os != NULL && api_id(rs, os, "org", &org) != 0)
		return;
	if (org <= 0) {
		http_error(rs, 400, "org: the id of the organisation whose users to list", "org");
		return;
	}
	bool partner = rq->who.org_id > 0 && org != rq->who.org_id &&
	               sharing_orgs_share_group(app->sharing, rq->who.org_id, org);
	if (!directory_may_list_users(&rq->who, org, partner)) {
		http_error(rs, 403,
		           "org: you may list the users of your own organisation and of those in a "
		           "sharing group with it",
		           "org");
		return;
	}
	char q[DIRECTORY_Q_MAX + 1];
	if (query(rq, rs, q) != 0)
		return;
	struct store_user *u;
	size_t n;
	bool more;
	struct crix_error err = {0};
	if (directory_users(app->store, org, q, &u, &n, &more, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)u[i].id,
		                                   "org_id", (json_int_t)u[i].org_id, "username",
		                                   u[i].username, "role", u[i].role));
	free(u);
	http_json(rs, 200, json_pack("{s:o,s:b}", "users", a, "more", more));
}
