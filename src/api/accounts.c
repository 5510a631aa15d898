/*
 * accounts.c - organisations, users and API tokens over the API.  Admins
 * manage everything; org-admins their own organisation; everyone their own
 * tokens.  The rules are in model/account.c.
 */
#include "api/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *org_json(const struct store_org *o)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)o->id, "name", o->name,
	                 "kind", o->kind, "country", o->country, "region", o->region, "created",
	                 o->created);
}

static json_t *user_json(const struct store_user *u)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:b,s:s}", "id", (json_int_t)u->id, "org_id",
	                 (json_int_t)u->org_id, "username", u->username, "role", u->role,
	                 "disabled", u->disabled, "created", u->created);
}

static json_t *token_json(const struct store_token *t)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)t->id, "user_id",
	                      (json_int_t)t->user_id, "name", t->name, "created", t->created);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "expires", t->expires[0] ? json_string(t->expires) : json_null());
	json_object_set_new(o, "revoked", t->revoked[0] ? json_string(t->revoked) : json_null());
	return o;
}

/* Copies an optional string member into a fixed field; 400 naming it when it
 * is not a string or too long.  Returns -1 after answering. */
static int text_member(json_t *in, const char *key, char *dst, size_t cap, bool required,
                       struct http_resp *rs)
{
	json_t *v = json_object_get(in, key);
	char m[128];
	if (v == NULL) {
		if (!required)
			return 0;
		snprintf(m, sizeof m, "%s: is required", key);
		http_error(rs, 400, m, key);
		return -1;
	}
	if (!json_is_string(v) || json_string_length(v) >= cap ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(m, sizeof m, "%s: must be a string of at most %zu bytes", key, cap - 1);
		http_error(rs, 400, m, key);
		return -1;
	}
	snprintf(dst, cap, "%s", json_string_value(v));
	return 0;
}

/* Rejects members other than the listed ones. */
static int only(json_t *in, const char *const *keys, size_t n, struct http_resp *rs)
{
	if (!json_is_object(in)) {
		http_error(rs, 400, "body: must be a JSON object", "body");
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v)
	{
		bool ok = false;
		for (size_t i = 0; i < n && !ok; i++)
			ok = strcmp(k, keys[i]) == 0;
		if (!ok) {
			char m[96];
			snprintf(m, sizeof m, "%.40s: unknown field", k);
			http_error(rs, 400, m, k);
			return -1;
		}
	}
	return 0;
}

void api_org_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	size_t limit;
	int64_t after = 0;
	if (api_limit(rq, rs, 100, 1000, &limit) != 0)
		return;
	const char *a = http_query(rq, "after");
	if (a != NULL && api_id(rs, a, "after", &after) != 0)
		return;
	struct crix_error err = {0};
	json_t *arr = json_array();
	json_t *next = json_null();
	if (rq->who.role == ROLE_ADMIN) {
		struct store_org *orgs;
		size_t n;
		if (store_org_list(app->store, after, limit, &orgs, &n, &err) != 0) {
			json_decref(arr);
			http_error_from(rs, &err);
			return;
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, org_json(&orgs[i]));
		if (n == limit)
			next = json_integer(orgs[n - 1].id);
		free(orgs);
	} else {
		/* Everyone else sees their own organisation. */
		struct store_org o;
		if (rq->who.org_id > after &&
		    store_org_get(app->store, rq->who.org_id, &o, &err) == 0)
			json_array_append_new(arr, org_json(&o));
	}
	http_json(rs, 200, json_pack("{s:o,s:o}", "orgs", arr, "next", next));
}

static const char *const org_keys[] = {"name", "kind", "country", "region"};

void api_org_create(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	struct store_org o = {0};
	if (only(in, org_keys, 4, rs) || text_member(in, "name", o.name, sizeof o.name, true, rs) ||
	    text_member(in, "kind", o.kind, sizeof o.kind, true, rs) ||
	    text_member(in, "country", o.country, sizeof o.country, true, rs) ||
	    text_member(in, "region", o.region, sizeof o.region, false, rs)) {
		json_decref(in);
		return;
	}
	json_decref(in);
	struct crix_error err = {0};
	if (account_org_create(app->store, &rq->who, &o, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 201, org_json(&o));
}

/* Loads the organisation of the {id} parameter if the caller may see it
 * (its own, or any for admins); answers otherwise. */
static int org_param(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                     struct store_org *o)
{
	int64_t id;
	struct crix_error err = {0};
	if (api_id(rs, rq->params[0], "id", &id) != 0)
		return -1;
	if (rq->who.role != ROLE_ADMIN && rq->who.org_id != id) {
		http_error(rs, 403, "you may only see your own organisation", NULL);
		return -1;
	}
	if (store_org_get(app->store, id, o, &err) != 0) {
		http_error_from(rs, &err);
		return -1;
	}
	return 0;
}

void api_org_get(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	struct store_org o;
	if (org_param(app, rq, rs, &o) == 0)
		http_json(rs, 200, org_json(&o));
}

void api_org_update(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	struct store_org o;
	if (org_param(app, rq, rs, &o) != 0)
		return;
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	int bad = only(in, org_keys, 4, rs) ||
	          text_member(in, "name", o.name, sizeof o.name, false, rs) ||
	          text_member(in, "kind", o.kind, sizeof o.kind, false, rs) ||
	          text_member(in, "country", o.country, sizeof o.country, false, rs) ||
	          text_member(in, "region", o.region, sizeof o.region, false, rs);
	/* Only admins change what kind an organisation is: the kind decides what
	 * its users may see. */
	if (!bad && json_object_get(in, "kind") != NULL && rq->who.role != ROLE_ADMIN) {
		http_error(rs, 403, "kind: only admins change an organisation's kind", "kind");
		bad = 1;
	}
	json_decref(in);
	if (bad)
		return;
	struct crix_error err = {0};
	if (account_org_update(app->store, &rq->who, &o, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	/* Cached token principals may hold the old state. */
	http_auth_forget(app);
	http_json(rs, 200, org_json(&o));
}

void api_user_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	size_t limit;
	int64_t after = 0, org = 0;
	if (api_limit(rq, rs, 100, 1000, &limit) != 0)
		return;
	const char *a = http_query(rq, "after"), *o = http_query(rq, "org_id");
	if ((a != NULL && api_id(rs, a, "after", &after) != 0) ||
	    (o != NULL && api_id(rs, o, "org_id", &org) != 0))
		return;
	struct crix_error err = {0};
	json_t *arr = json_array(), *next = json_null();
	if (rq->who.role == ROLE_ADMIN || rq->who.role == ROLE_ORG_ADMIN) {
		if (rq->who.role == ROLE_ORG_ADMIN) {
			if (org != 0 && org != rq->who.org_id) {
				json_decref(arr);
				http_error(rs, 403,
				           "org_id: you may only list your own organisation",
				           "org_id");
				return;
			}
			org = rq->who.org_id;
		}
		struct store_user *users;
		size_t n;
		if (store_user_list(app->store, org, after, limit, &users, &n, &err) != 0) {
			json_decref(arr);
			http_error_from(rs, &err);
			return;
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, user_json(&users[i]));
		if (n == limit)
			next = json_integer(users[n - 1].id);
		free(users);
	} else {
		struct store_user u;
		if (rq->who.user_id > after &&
		    store_user_get(app->store, rq->who.user_id, &u, &err) == 0)
			json_array_append_new(arr, user_json(&u));
	}
	http_json(rs, 200, json_pack("{s:o,s:o}", "users", arr, "next", next));
}

void api_user_create(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	static const char *const keys[] = {"org_id", "username", "role", "password"};
	struct store_user u = {0};
	char password[1100] = "";
	json_t *org = json_object_get(in, "org_id");
	if (only(in, keys, 4, rs) ||
	    text_member(in, "username", u.username, sizeof u.username, true, rs) ||
	    text_member(in, "role", u.role, sizeof u.role, true, rs) ||
	    text_member(in, "password", password, sizeof password, false, rs)) {
		json_decref(in);
		return;
	}
	if (org == NULL) {
		u.org_id = rq->who.org_id;
	} else if (!json_is_integer(org) || json_integer_value(org) <= 0) {
		json_decref(in);
		http_error(rs, 400, "org_id: must be a positive whole number", "org_id");
		return;
	} else {
		u.org_id = json_integer_value(org);
	}
	bool chosen = json_object_get(in, "password") != NULL;
	json_decref(in);
	char generated[ACCOUNT_PASSWORD_LEN + 1];
	struct crix_error err = {0};
	if (account_user_create(app->store, &rq->who, &u, chosen ? password : NULL, generated,
	                        &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	json_t *o = user_json(&u);
	if (!chosen)
		json_object_set_new(o, "password", json_string(generated));
	http_json(rs, 201, o);
}

/* The user of the {id} parameter, if the caller may manage them. */
static int user_param(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                      struct store_user *u)
{
	int64_t id;
	struct crix_error err = {0};
	if (api_id(rs, rq->params[0], "id", &id) != 0)
		return -1;
	if (store_user_get(app->store, id, u, &err) != 0) {
		http_error_from(rs, &err);
		return -1;
	}
	if (!account_may_manage_user(&rq->who, u)) {
		http_error(rs, 403, "you may not see this user", NULL);
		return -1;
	}
	return 0;
}

void api_user_get(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	struct store_user u;
	if (user_param(app, rq, rs, &u) == 0)
		http_json(rs, 200, user_json(&u));
}

void api_user_update(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	struct store_user u;
	if (user_param(app, rq, rs, &u) != 0)
		return;
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	static const char *const keys[] = {"role", "password", "disabled", "current_password"};
	char password[1100] = "", current[1100] = "";
	json_t *dis = json_object_get(in, "disabled");
	if (only(in, keys, 4, rs) || text_member(in, "role", u.role, sizeof u.role, false, rs) ||
	    text_member(in, "password", password, sizeof password, false, rs) ||
	    text_member(in, "current_password", current, sizeof current, false, rs)) {
		json_decref(in);
		return;
	}
	/* Changing one's own password takes the current one (a stolen session
	 * must not lock the owner out), and nobody disables themselves. */
	bool self = rq->who.user_id == u.id;
	if (self && json_object_get(in, "password") != NULL &&
	    !secret_password_verify(u.pw_hash, current)) {
		json_decref(in);
		http_error(rs, 403, "current_password: missing or wrong", "current_password");
		return;
	}
	if (self && json_is_true(dis)) {
		json_decref(in);
		http_error(rs, 403, "disabled: you cannot disable your own account", "disabled");
		return;
	}
	if (dis != NULL && !json_is_boolean(dis)) {
		json_decref(in);
		http_error(rs, 400, "disabled: must be true or false", "disabled");
		return;
	}
	if (dis != NULL)
		u.disabled = json_is_true(dis);
	bool pw = json_object_get(in, "password") != NULL;
	json_decref(in);
	struct crix_error err = {0};
	if (account_user_update(app->store, &rq->who, &u, pw ? password : NULL, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	/* Cached token principals may hold the old state. */
	http_auth_forget(app);
	http_json(rs, 200, user_json(&u));
}

void api_token_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	int64_t uid = rq->who.user_id, after = 0;
	size_t limit;
	const char *q = http_query(rq, "user_id"), *a = http_query(rq, "after");
	if ((q != NULL && api_id(rs, q, "user_id", &uid) != 0) ||
	    (a != NULL && api_id(rs, a, "after", &after) != 0) ||
	    api_limit(rq, rs, 100, 1000, &limit) != 0)
		return;
	struct store_user u;
	struct crix_error err = {0};
	if (store_user_get(app->store, uid, &u, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	if (!account_may_manage_user(&rq->who, &u)) {
		http_error(rs, 403, "you may not see this user's tokens", "user_id");
		return;
	}
	struct store_token *t;
	size_t n;
	if (store_token_list(app->store, uid, after, limit, &t, &n, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, token_json(&t[i]));
	json_t *next = n == limit ? json_integer(t[n - 1].id) : json_null();
	free(t);
	http_json(rs, 200, json_pack("{s:o,s:o}", "tokens", arr, "next", next));
}

void api_token_create(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	static const char *const keys[] = {"name", "user_id", "expires_days"};
	char name[STORE_NAME_MAX];
	if (only(in, keys, 3, rs) || text_member(in, "name", name, sizeof name, true, rs)) {
		json_decref(in);
		return;
	}
	json_t *uid = json_object_get(in, "user_id"), *days = json_object_get(in, "expires_days");
	if ((uid != NULL && (!json_is_integer(uid) || json_integer_value(uid) <= 0)) ||
	    (days != NULL && (!json_is_integer(days) || json_integer_value(days) < 0 ||
	                      json_integer_value(days) > 3650))) {
		json_decref(in);
		bool bad_uid =
		        uid != NULL && (!json_is_integer(uid) || json_integer_value(uid) <= 0);
		http_error(rs, 400,
		           bad_uid ? "user_id: must be a positive whole number"
		                   : "expires_days: a whole number from 0 (never) to 3650",
		           bad_uid ? "user_id" : "expires_days");
		return;
	}
	int64_t user = uid ? json_integer_value(uid) : rq->who.user_id;
	int d = days ? (int)json_integer_value(days) : 90;
	json_decref(in);
	char token[SECRET_TOKEN_MAX];
	struct store_token rec;
	struct crix_error err = {0};
	if (account_token_create(app->store, app->key, &rq->who, user, name, d, token, &rec,
	                         &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	json_t *o = token_json(&rec);
	json_object_set_new(o, "token", json_string(token));
	http_json(rs, 201, o);
}

void api_token_revoke(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	int64_t id;
	if (api_id(rs, rq->params[0], "id", &id) != 0)
		return;
	struct crix_error err = {0};
	if (account_token_revoke(app->store, &rq->who, id, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	/* Cached token principals may hold the old state. */
	http_auth_forget(app);
	http_json(rs, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
}
