/*
 * alerts.c - the alert routes: publish, list, read (JSON or a STIX 2.1
 * bundle) and withdraw.  Who may do and see what is model/alert.c's.
 */
#include "api/api.h"

#include "model/alert.h"

#include <stdlib.h>
#include <string.h>

static struct alert_env env_of(struct http_app *app)
{
	return (struct alert_env){app->store, app->cat, app->reports.ioc};
}

void api_alert_publish(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	struct alert_env env = env_of(app);
	struct crix_error err = {0};
	json_t *out;
	int rc = alert_publish(&env, &rq->who, in, &out, &err);
	json_decref(in);
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 201, out);
}

void api_alert_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	struct alert_query q = {0};
	const char *cursor = http_query(rq, "cursor"), *all = http_query(rq, "all");
	if (api_limit(rq, rs, 50, 200, &q.limit) != 0)
		return;
	if (cursor != NULL && api_id(rs, cursor, "cursor", &q.before) != 0)
		return;
	if (all != NULL && strcmp(all, "1") != 0 && strcmp(all, "0") != 0) {
		http_error(rs, 400, "all: 1 or 0", "all");
		return;
	}
	q.all = all != NULL && strcmp(all, "1") == 0;
	q.category = http_query(rq, "category");
	if (q.category != NULL && q.category[0] == '\0')
		q.category = NULL;
	struct alert_env env = env_of(app);
	struct crix_error err = {0};
	json_t *out;
	if (alert_list(&env, &rq->who, &q, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_alert_get(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	int64_t id;
	if (api_id(rs, rq->params[0], "id", &id) != 0)
		return;
	const char *format = http_query(rq, "format");
	bool stix = format != NULL && strcmp(format, "stix") == 0;
	if (format != NULL && !stix && strcmp(format, "json") != 0) {
		http_error(rs, 400, "format: json or stix", "format");
		return;
	}
	struct alert_env env = env_of(app);
	struct crix_error err = {0};
	json_t *out;
	int rc = stix ? alert_stix(&env, &rq->who, id, &out, &err)
	              : alert_view(&env, &rq->who, id, &out, &err);
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	if (!stix) {
		http_json(rs, 200, out);
		return;
	}
	char *text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	if (text == NULL) {
		http_error(rs, 500, "out of memory", NULL);
		return;
	}
	http_bytes(rs, 200, "application/stix+json;version=2.1", text, strlen(text));
	free(text);
}

void api_alert_withdraw(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	int64_t id;
	if (api_id(rs, rq->params[0], "id", &id) != 0)
		return;
	struct alert_env env = env_of(app);
	struct crix_error err = {0};
	json_t *out;
	if (alert_withdraw(&env, &rq->who, id, &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}
