/*
 * session.c - password sign-in giving a session cookie, sign-out, and who am I.
 */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

static json_t *principal_json(const struct principal *p)
{
	return json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)p->user_id, "username",
	                 p->username, "role", account_role_name(p->role), "org_id",
	                 (json_int_t)p->org_id, "org_kind", account_kind_name(p->org_kind));
}

void api_login(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	json_t *u = json_object_get(in, "username"), *pw = json_object_get(in, "password");
	if (!json_is_string(u) || !json_is_string(pw)) {
		http_error(rs, 400,
		           json_is_string(u) ? "password: is required" : "username: is required",
		           json_is_string(u) ? "password" : "username");
		json_decref(in);
		return;
	}
	char cookie[SECRET_TOKEN_MAX], csrf[STORE_HEX_MAX];
	struct principal who;
	struct crix_error err = {0};
	int rc = account_login(app->store, app->key, json_string_value(u), json_string_value(pw),
	                       cookie, csrf, &who, &err);
	json_decref(in);
	if (rc == CRIX_ENOTFOUND) {
		http_error(rs, 401, err.msg, NULL);
		return;
	}
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	char set[256];
	snprintf(set, sizeof set,
	         "crix_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", cookie,
	         ACCOUNT_SESSION_SECONDS, app->opt.tls ? "; Secure" : "");
	http_header_add(rs, "Set-Cookie", set);
	http_json(rs, 200, json_pack("{s:o,s:s}", "user", principal_json(&who), "csrf", csrf));
}

void api_logout(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (!rq->who.via_cookie) {
		http_error(rs, 400, "sign-out ends a cookie session; revoke API tokens instead",
		           NULL);
		return;
	}
	struct crix_error err = {0};
	if (account_logout(app->store, &rq->who, rq->session_hash, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_header_add(rs, "Set-Cookie",
	                app->opt.tls
	                        ? "crix_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; "
	                          "Secure"
	                        : "crix_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	http_json(rs, 200, json_pack("{s:b}", "signed_out", 1));
}

void api_me(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	(void)app;
	json_t *o = principal_json(&rq->who);
	if (o != NULL && rq->who.via_cookie)
		json_object_set_new(o, "csrf", json_string(rq->csrf));
	http_json(rs, 200, o);
}
