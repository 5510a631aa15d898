/*
 * cases.c - the case routes: the triage queue, a case with its summary and
 * graph, and analysts' splits, merges and confirmations (model/cases.c).
 */
#include "api/api.h"

#include "model/casework.h"
#include "model/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A case id that was merged into another answers 308 with the survivor's
 * address (Location) and {"id", "merged_into"}, for every case route, so
 * that links and bookmarks to either id keep working.  Returns true when
 * it answered (a redirect, or an unknown id).
 */
static bool answered_moved(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (app->reports.cases == NULL) {
		http_error(rs, 404, "correlation is not running", NULL);
		return true;
	}
	if (!cases_is_case_id(rq->params[0]))
		return false;
	/* Only staff use case routes: nobody else learns which ids exist. */
	struct store_report probe = {.org_id = -1};
	if (!account_may_read_report(&rq->who, &probe)) {
		http_error(rs, 403,
		           "cases are for staff of law-enforcement, CERT and public-sector "
		           "organisations",
		           NULL);
		return true;
	}
	struct cases_handle h;
	struct crix_error err = {0};
	if (cases_resolve_id(app->reports.cases, rq->params[0], "id", &h, &err) != 0) {
		http_error_from(rs, &err);
		return true;
	}
	if (h.moved_from[0] == '\0')
		return false;
	static const char prefix[] = "/api/v1/cases/";
	const char *rest = "";
	if (strncmp(rq->path, prefix, sizeof prefix - 1) == 0) {
		rest = strchr(rq->path + sizeof prefix - 1, '/');
		rest = rest ? rest : "";
	}
	char loc[512];
	snprintf(loc, sizeof loc, "%s%s%.200s", prefix, h.name, rest);
	http_header_add(rs, "Location", loc);
	http_json(rs, 308,
	          json_pack("{s:s,s:s,s:s}", "id", h.moved_from, "merged_into", h.name, "location",
	                    loc));
	return true;
}

static struct casework_env cw_env(struct http_app *app)
{
	return (struct casework_env){
	        .reports = &app->reports, .juris = app->juris, .facts = app->casefacts};
}

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
	if (answered_moved(app, rq, rs))
		return;
	json_t *out;
	struct crix_error err = {0};
	if (cases_view_ref(app->reports.cases, app->store, &rq->who, rq->params[0], graph, &out,
	                   &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	struct casework_env env = cw_env(app);
	if (!graph && casework_attach(&env, rq->params[0], out, &err) != 0) {
		json_decref(out);
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
	if (answered_moved(app, rq, rs))
		return;
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

/* ---- case work: review, jurisdiction, dissemination, package, outcomes ---- */

enum work { REVIEW, DISSEMINATE, OUTCOME };

static void work(struct http_app *app, struct http_req *rq, struct http_resp *rs, enum work what)
{
	if (answered_moved(app, rq, rs))
		return;
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	json_t *out;
	struct crix_error err = {0};
	struct casework_env env = cw_env(app);
	int rc = what == REVIEW ? casework_review(&env, &rq->who, rq->params[0], in, &out, &err)
	         : what == DISSEMINATE
	                 ? casework_disseminate(&env, &rq->who, rq->params[0], in, &out, &err)
	                 : casework_outcome(&env, &rq->who, rq->params[0], in, &out, &err);
	json_decref(in);
	if (rc == CRIX_ETOOBIG && what != REVIEW) {
		/* a case too large to move in one transaction: well-formed, refused */
		http_error(rs, 422, err.msg, err.field);
		return;
	}
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, what == REVIEW ? 200 : 201, out);
}

void api_case_review(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	work(app, rq, rs, REVIEW);
}

void api_case_disseminate(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	work(app, rq, rs, DISSEMINATE);
}

void api_case_outcome_add(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	work(app, rq, rs, OUTCOME);
}

/* A GET of case work: the case's id moved by a merge answers 308, else the
 * model's answer as JSON. */
static void read_work(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                      int (*get)(const struct casework_env *, const struct principal *,
                                 const char *, json_t **, struct crix_error *))
{
	if (answered_moved(app, rq, rs))
		return;
	json_t *out;
	struct crix_error err = {0};
	struct casework_env env = cw_env(app);
	if (get(&env, &rq->who, rq->params[0], &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}

void api_case_outcome_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	read_work(app, rq, rs, casework_outcomes);
}

void api_case_jurisdiction(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	read_work(app, rq, rs, casework_jurisdiction);
}

/* The package as JSON, or as a printable page for ?format=html or a
 * browser's Accept: text/html.  The page carries its own policy: no
 * script, nothing fetched, only its inline style sheet. */
void api_case_package(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (answered_moved(app, rq, rs))
		return;
	const char *format = http_query(rq, "format"), *accept = http_header(rq, "Accept");
	if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "html") != 0) {
		http_error(rs, 400, "format: json or html", "format");
		return;
	}
	bool html = format != NULL ? strcmp(format, "html") == 0
	                           : accept != NULL && strncmp(accept, "text/html", 9) == 0;
	json_t *out;
	struct crix_error err = {0};
	struct casework_env env = cw_env(app);
	if (casework_package(&env, &rq->who, rq->params[0], &out, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	if (!html) {
		http_json(rs, 200, out);
		return;
	}
	char *page = casework_package_html(out);
	json_decref(out);
	if (page == NULL) {
		http_error(rs, 503, "out of memory", NULL);
		return;
	}
	http_header_add(rs, "Content-Security-Policy",
	                "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
	                "form-action 'none'; frame-ancestors 'none'");
	http_header_add(rs, "Cache-Control", "no-store");
	http_bytes(rs, 200, "text/html; charset=utf-8", page, strlen(page));
	free(page);
}

/* GET /cases/{id}/decisions: the case's history, newest first, paged by
 * ?limit and ?cursor (an offset), for the readers of the case. */
void api_case_decisions(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (answered_moved(app, rq, rs))
		return;
	const char *cursor = http_query(rq, "cursor");
	size_t limit;
	int64_t offset = 0;
	if (api_limit(rq, rs, 50, 500, &limit) != 0)
		return;
	if (cursor != NULL && strcmp(cursor, "0") != 0 &&
	    api_id(rs, cursor, "cursor", &offset) != 0)
		return;
	json_t *out;
	struct crix_error err = {0};
	struct casework_env env = cw_env(app);
	if (casework_history(&env, &rq->who, rq->params[0], (size_t)offset, limit, &out, &err) !=
	    0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, out);
}
