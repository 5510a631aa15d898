/*
 * misp.c - a MISP feed of what the caller may see: GET
 * /api/v1/misp/manifest.json and /api/v1/misp/events/{uuid}.json, one event
 * per collection the caller can read (share/misp.c builds them through the
 * same visibility path as TAXII).  A MISP instance adds it as a feed with the
 * caller's API token in an Authorization header.
 */
#include "api/api.h"
#include "share/misp.h"
#include "share/uuid.h"

#include <string.h>

void api_misp_manifest(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *m;
	struct crix_error err = {0};
	if (misp_manifest(app->sharing, app->store, app->reports.ioc, &rq->who, &m, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, m);
}

void api_misp_event(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	/* the segment is "UUID.json", as MISP fetches feed events */
	const char *seg = rq->params[0];
	size_t n = strlen(seg);
	char id[UUID_STR_LEN];
	struct uuid u;
	if (n != 36 + 5 || strcmp(seg + 36, ".json") != 0) {
		http_error(rs, 404, "an event is /api/v1/misp/events/UUID.json", NULL);
		return;
	}
	memcpy(id, seg, 36);
	id[36] = '\0';
	if (uuid_parse(id, &u) != 0) {
		http_error(rs, 404, "an event is /api/v1/misp/events/UUID.json", NULL);
		return;
	}
	json_t *ev;
	struct crix_error err = {0};
	if (misp_collection_event(app->sharing, app->store, app->reports.ioc, &rq->who, id, &ev,
	                          &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	http_json(rs, 200, ev);
}
