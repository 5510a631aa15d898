/*
 * cases.c - the case routes: the triage queue, a case with its summary and
 * graph, and analysts' splits, merges and confirmations (model/cases.c).
 */
#include "api/api.h"

#include "model/cases.h"

#include <string.h>

void api_case_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	const char *order = http_query(rq, "order"), *cursor = http_query(rq, "cursor");
	if (order != NULL && strcmp(order, "triage") != 0) {
		http_error(rs, 400, "order: only 'triage' (highest score first)", "order");
		return;
	}
	size_t limit;
	int64_t offset = 0;
	if (api_limit(rq, rs, 50, 500, &limit) != 0)
		return;
	if (cursor != NULL && strcmp(cursor, "0") != 0 &&
	    api_id(rs, cursor, "cursor", &offset) != 0)
		return;
	if (app->reports.cases == NULL) {
		http_error(rs, 404, "correlation is not running", NULL);
		return;
	}
	json_t *out;
	struct crix_error err = {0};
	if (cases_queue(app->reports.cases, app->store, &rq->who, (size_t)offset, limit, &out,
	                &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

static void view(struct http_app *app, struct http_req *rq, struct http_resp *rs, bool graph)
{
	if (app->reports.cases == NULL) {
		http_error(rs, 404, "correlation is not running", NULL);
		return;
	}
	json_t *out;
	struct crix_error err = {0};
	if (cases_view_ref(app->reports.cases, app->store, &rq->who, rq->params[0], graph, &out,
	                   &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_case_get(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	view(app, rq, rs, false);
}

void api_case_graph(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	view(app, rq, rs, true);
}

enum decision { SPLIT, MERGE, CONFIRM };

static void decide(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                   enum decision what)
{
	if (app->reports.cases == NULL) {
		http_error(rs, 404, "correlation is not running", NULL);
		return;
	}
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	json_t *out;
	struct crix_error err = {0};
	struct cases *k = app->reports.cases;
	int rc = what == SPLIT ? cases_split(k, app->store, app->reports.ioc, &rq->who,
	                                     rq->params[0], in, &out, &err)
	         : what == MERGE
	                 ? cases_merge(k, app->store, &rq->who, rq->params[0], in, &out, &err)
	                 : cases_confirm(k, app->store, app->reports.ioc, &rq->who, rq->params[0],
	                                 in, &out, &err);
	json_decref(in);
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_case_split(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	decide(app, rq, rs, SPLIT);
}

void api_case_merge(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	decide(app, rq, rs, MERGE);
}

void api_case_confirm(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	decide(app, rq, rs, CONFIRM);
}
