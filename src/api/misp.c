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

#include <stdlib.h>
#include <string.h>

/* The manifest reads every indicator object the caller may see, to date
 * each event: it is kept per caller class until something shared changes
 * (sharing_cache_get), so a MISP instance polling it costs a lookup. */
void api_misp_manifest(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	char cls[SHARING_CLASS_MAX], *text;
	size_t len;
	sharing_caller_class(&rq->who, cls);
	if (sharing_cache_get(app->sharing, "misp-manifest", cls, &text, &len) == 0) {
		http_bytes(rs, 200, "application/json", text, len);
		http_header_add(rs, "X-Crix-Cache", "hit");
		free(text);
		return;
	}
	unsigned long gen = sharing_generation(app->sharing);
	json_t *m;
	struct crix_error err = {0};
	if (misp_manifest(app->sharing, app->store, app->reports.ioc, &rq->who, &m, &err) != 0) {
		http_error_from(rs, &err);
		return;
	}
	/* as http_json writes it */
	text = json_dumps(m, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(m);
	len = text != NULL ? strlen(text) : 0;
	char *nl = text != NULL ? realloc(text, len + 2) : NULL;
	if (nl == NULL) {
		free(text);
		http_error(rs, 500, "out of memory", NULL);
		return;
	}
	text = nl;
	text[len++] = '\n';
	text[len] = '\0';
	sharing_cache_put(app->sharing, "misp-manifest", cls, gen, text, len);
	http_bytes(rs, 200, "application/json", text, len);
	http_header_add(rs, "X-Crix-Cache", "miss");
	free(text);
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
