/*
 * sharing.c - TAXII 2.1 under /taxii2/, and crix's own routes for sharing
 * groups, collections and lookups.  Who sees what is decided in
 * share/sharing.c (through tlp_may_see); this file speaks the protocols.
 *
 * TAXII details that clients rely on: every response is
 * application/taxii+json;version=2.1 (errors too, as TAXII error messages);
 * an Accept header that admits neither that nor any JSON is 406; a POST
 * whose Content-Type is not TAXII is 415; unknown and invisible collections
 * are both 404 (existence is not leaked); a POST by the public is 401, by a
 * reader without write access 403.
 */
#include "api/api.h"
#include "share/alertfeed.h"
#include "share/bundle.h"
#include "share/sharing.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAXII_MEDIA "application/taxii+json;version=2.1"
#define TAXII_ROOT  "/taxii2/api/"

static void taxii_error(struct http_resp *rs, int status, const char *title, const char *detail)
{
	/* TAXII 2.1 section 3.6.1 types http_status as a string */
	char code[8];
	snprintf(code, sizeof code, "%d", status);
	json_t *e = json_pack("{ss ss ss}", "title", title, "description", detail ? detail : "",
	                      "http_status", code);
	char *s = json_dumps(e, JSON_COMPACT);
	json_decref(e);
	if (s == NULL) {
		http_error(rs, 500, "out of memory", NULL);
		return;
	}
	http_bytes(rs, status, TAXII_MEDIA, s, strlen(s));
	free(s);
	if (status == 401)
		http_header_add(rs, "WWW-Authenticate", "Basic realm=\"crix TAXII\"");
}

static void taxii_error_from(struct http_resp *rs, const struct crix_error *err)
{
	switch (err->code) {
	case CRIX_EINVAL: taxii_error(rs, 400, "bad request", err->msg); break;
	case CRIX_EACCES: taxii_error(rs, 403, "forbidden", err->msg); break;
	case CRIX_ENOTFOUND: taxii_error(rs, 404, "not found", err->msg); break;
	case CRIX_ETOOBIG: taxii_error(rs, 413, "too large", err->msg); break;
	case CRIX_EBUSY: taxii_error(rs, 503, "busy", err->msg); break;
	default: taxii_error(rs, 500, "server error", err->msg); break;
	}
}

static void taxii_json(struct http_resp *rs, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (s == NULL) {
		taxii_error(rs, 500, "server error", "out of memory");
		return;
	}
	http_bytes(rs, status, TAXII_MEDIA, s, strlen(s));
	free(s);
}

/* A lowercase copy of a header value (NULL when absent or out of memory):
 * media types and their parameter names are case-insensitive (RFC 7231
 * section 3.1.1.1). */
static char *lower_dup(const char *s)
{
	char *d = s != NULL ? strdup(s) : NULL;
	for (char *p = d; p != NULL && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* Does any entry of the lowercase media type list s name TAXII 2.1, that is
 * application/taxii+json with no version parameter or version 2.1? */
static bool names_taxii21(const char *s)
{
	static const char mt[] = "application/taxii+json";
	for (const char *t = strstr(s, mt); t != NULL; t = strstr(t + 1, mt)) {
		const char *after = t + sizeof mt - 1;
		if (*after != '\0' && strchr("; ,", *after) == NULL)
			continue; /* application/taxii+jsonx */
		size_t entry = strcspn(t, ",");
		const char *v = strstr(t, "version=");
		if (v == NULL || v >= t + entry)
			return true; /* no version: the latest this server speaks */
		v += 8;
		if (*v == '"')
			v++;
		if (strncmp(v, "2.1", 3) == 0 && (v[3] == '\0' || strchr("\"; ,", v[3]) != NULL))
			return true;
	}
	return false;
}

/* 0 when the Accept header admits a TAXII 2.1 response; else answers 406. */
static int taxii_accept(struct http_req *rq, struct http_resp *rs)
{
	const char *raw = http_header(rq, "Accept");
	if (raw == NULL)
		return 0;
	char *a = lower_dup(raw);
	bool ok = a == NULL /* out of memory: let the request through */ ||
	          strstr(a, "*/*") != NULL || strstr(a, "application/*") != NULL ||
	          names_taxii21(a) || strstr(a, "application/json") != NULL;
	free(a);
	if (ok)
		return 0;
	taxii_error(rs, 406, "not acceptable", "this server speaks " TAXII_MEDIA);
	return -1;
}

void api_taxii_discovery(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (taxii_accept(rq, rs) != 0)
		return;
	(void)app;
	/* Relative: TAXII 2.1 section 4.1.1 allows only HTTPS absolute URLs or
	 * relative ones, and a relative root does not echo the Host header. */
	const char *root = TAXII_ROOT;
	taxii_json(
	        rs, 200,
	        json_pack("{ss ss ss s[s]}", "title", "crix TAXII 2.1", "description",
	                  "Indicators and cases shared under TLP by the reporting centre and its "
	                  "partners",
	                  "default", root, "api_roots", root));
}

void api_taxii_root(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	(void)app;
	if (taxii_accept(rq, rs) != 0)
		return;
	taxii_json(rs, 200,
	           json_pack("{ss ss s[s] sI}", "title", "crix", "description",
	                     "collections of STIX 2.1 objects, each under its TLP", "versions",
	                     TAXII_MEDIA, "max_content_length", (json_int_t)(16 << 20)));
}

static struct alert_env alert_env_of(struct http_app *app)
{
	return (struct alert_env){app->store, app->cat, app->reports.ioc};
}

/* Is the built-in collection of alerts listed to the caller (served at
 * least one alert)?  The one rule for the TAXII and the REST listings and
 * reads.  OUT: *yes. */
static int alerts_listed(struct http_app *app, struct http_req *rq, bool *yes,
                         struct crix_error *err)
{
	struct alert_env env = alert_env_of(app);
	*yes = false;
	return alertfeed_visible(&env, &rq->who, yes, err);
}

/* Is id the built-in collection of alerts, and may the caller see it?  When
 * it is and the caller may not, answers 404 (as for an unknown collection)
 * and *answered is set. */
static bool alert_collection(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                             const char *id, bool *answered)
{
	*answered = false;
	if (strcmp(id, ALERTFEED_ID) != 0)
		return false;
	struct crix_error err = {0};
	bool yes;
	if (alerts_listed(app, rq, &yes, &err) != 0) {
		taxii_error_from(rs, &err);
		*answered = true;
	} else if (!yes) {
		taxii_error(rs, 404, "not found", "collection " ALERTFEED_ID " not found");
		*answered = true;
	}
	return true;
}

void api_taxii_collections(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (taxii_accept(rq, rs) != 0)
		return;
	json_t *c = sharing_collections_json(app->sharing, &rq->who);
	/* the alerts, for those who are served at least one */
	struct crix_error err = {0};
	bool yes;
	if (alerts_listed(app, rq, &yes, &err) != 0) {
		json_decref(c);
		taxii_error_from(rs, &err);
		return;
	}
	json_t *list = json_object_get(c, "collections");
	if (yes && list == NULL) /* TAXII: no member at all when there is none */
		json_object_set_new(c, "collections", list = json_array());
	if (yes &&
	    (list == NULL || json_array_append_new(list, alertfeed_collection_json()) != 0)) {
		json_decref(c);
		taxii_error(rs, 500, "server error", "out of memory");
		return;
	}
	taxii_json(rs, 200, c);
}

void api_taxii_collection(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (taxii_accept(rq, rs) != 0)
		return;
	bool answered;
	if (alert_collection(app, rq, rs, rq->params[0], &answered)) {
		if (!answered)
			taxii_json(rs, 200, alertfeed_collection_json());
		return;
	}
	json_t *c;
	struct crix_error err = {0};
	if (sharing_collection_json(app->sharing, &rq->who, rq->params[0], &c, &err) != 0) {
		taxii_error_from(rs, &err);
		return;
	}
	json_object_del(c, "shared_with");
	json_object_del(c, "writers");
	json_object_del(c, "owner_org");
	json_object_del(c, "tlp");
	taxii_json(rs, 200, c);
}

/* Reads ?limit= for TAXII: 1..SHARING_PAGE_MAX; larger is capped, as TAXII
 * lets a server return fewer than asked.  -1 after answering 400. */
static int taxii_limit(struct http_req *rq, struct http_resp *rs, size_t *out)
{
	const char *s = http_query(rq, "limit");
	*out = SHARING_PAGE_DEFAULT;
	if (s == NULL)
		return 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || v < 1) {
		taxii_error(rs, 400, "bad request", "limit: a positive integer");
		return -1;
	}
	*out = v > SHARING_PAGE_MAX ? SHARING_PAGE_MAX : (size_t)v;
	return 0;
}

static void objects_view(struct http_app *app, struct http_req *rq, struct http_resp *rs,
                         enum sharing_view view, const char *object_id)
{
	if (taxii_accept(rq, rs) != 0)
		return;
	/* libmicrohttpd would quietly take the first of two: refuse instead */
	const char *twice = http_query_repeated(rq);
	if (twice != NULL) {
		char why[160];
		snprintf(why, sizeof why, "%.100s: given more than once", twice);
		taxii_error(rs, 400, "bad request", why);
		return;
	}
	struct sharing_query q = {
	        .collection = rq->params[0],
	        .next = http_query(rq, "next"),
	        .added_after = http_query(rq, "added_after"),
	        .ids = object_id != NULL ? object_id : http_query(rq, "match[id]"),
	        .types = http_query(rq, "match[type]"),
	        .version = http_query(rq, "match[version]"),
	        .spec_versions = http_query(rq, "match[spec_version]"),
	};
	if (taxii_limit(rq, rs, &q.limit) != 0)
		return;
	char *json;
	size_t len;
	struct sharing_page page;
	struct crix_error err = {0};
	struct alert_env env = alert_env_of(app);
	int rc = strcmp(q.collection, ALERTFEED_ID) == 0
	                 ? alertfeed_objects(&env, &rq->who, &q, view, &json, &len, &page, &err)
	                 : sharing_objects(app->sharing, &rq->who, &q, view, &json, &len, &page,
	                                   &err);
	if (rc != 0) {
		taxii_error_from(rs, &err);
		return;
	}
	/* An object (or its versions) that nobody lets the caller see is 404. */
	if (object_id != NULL && page.count == 0) {
		free(json);
		taxii_error(rs, 404, "not found", "no such object in this collection");
		return;
	}
	http_bytes(rs, 200, TAXII_MEDIA, json, len);
	free(json);
	if (page.count > 0) {
		http_header_add(rs, "X-TAXII-Date-Added-First", page.first_added);
		http_header_add(rs, "X-TAXII-Date-Added-Last", page.last_added);
	}
}

void api_taxii_objects(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	objects_view(app, rq, rs, SHARING_OBJECTS, NULL);
}

void api_taxii_object(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	objects_view(app, rq, rs, SHARING_OBJECTS, rq->params[1]);
}

void api_taxii_versions(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	objects_view(app, rq, rs, SHARING_VERSIONS, rq->params[1]);
}

void api_taxii_manifest(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	objects_view(app, rq, rs, SHARING_MANIFEST, NULL);
}

void api_taxii_add(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (taxii_accept(rq, rs) != 0)
		return;
	if (!rq->who.authenticated) {
		taxii_error(rs, 401, "unauthorized",
		            "adding objects needs an account: HTTP Basic with USER:API-TOKEN, or a "
		            "Bearer token");
		return;
	}
	bool answered;
	if (alert_collection(app, rq, rs, rq->params[0], &answered)) {
		if (!answered)
			taxii_error(rs, 403, "forbidden",
			            "the alerts collection is read-only: alerts are published with "
			            "POST /api/v1/alerts");
		return;
	}
	char *ct = lower_dup(http_header(rq, "Content-Type"));
	bool taxii = ct != NULL && strncmp(ct, "application/taxii+json", 22) == 0 &&
	             strchr(ct, ',') == NULL && names_taxii21(ct);
	free(ct);
	if (!taxii) {
		taxii_error(rs, 415, "unsupported media type",
		            "Content-Type: must be " TAXII_MEDIA);
		return;
	}
	/* Parsed here, not by http_body_json: TAXII bodies reach 16 MiB and their
	 * errors are TAXII error messages. */
	json_error_t je;
	json_t *env =
	        json_loadb(rq->body ? rq->body : "", rq->body_len, JSON_REJECT_DUPLICATES, &je);
	if (env == NULL) {
		char m[256];
		snprintf(m, sizeof m, "body: not JSON at line %d column %d: %s", je.line, je.column,
		         je.text);
		taxii_error(rs, 400, "bad request", m);
		return;
	}
	/* crix sync names where the objects came from; printable ASCII only */
	char source[STORE_NAME_MAX] = "taxii";
	const char *prov = http_header(rq, "X-Crix-Provenance");
	if (prov != NULL) {
		size_t n = strlen(prov);
		bool ok = n > 0 && n < sizeof source - 8;
		for (size_t i = 0; ok && i < n; i++)
			ok = prov[i] >= 0x20 && prov[i] < 0x7f;
		if (!ok) {
			json_decref(env);
			taxii_error(rs, 400, "bad request",
			            "X-Crix-Provenance: up to 100 printable ASCII characters");
			return;
		}
		snprintf(source, sizeof source, "sync: %s", prov);
	}
	json_t *status;
	struct crix_error err = {0};
	int rc = sharing_add_objects(app->sharing, &rq->who, rq->params[0], env, source, &status,
	                             &err);
	json_decref(env);
	if (rc != 0) {
		taxii_error_from(rs, &err);
		return;
	}
	taxii_json(rs, 202, status);
}

void api_taxii_status(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (taxii_accept(rq, rs) != 0)
		return;
	json_t *st;
	struct crix_error err = {0};
	if (sharing_status(app->sharing, &rq->who, rq->params[0], &st, &err) != 0) {
		taxii_error_from(rs, &err);
		return;
	}
	taxii_json(rs, 200, st);
}

/* ---- crix's own routes ---- */

static void answer(struct http_resp *rs, int rc, int status, json_t *out,
                   const struct crix_error *err)
{
	if (rc != 0)
		http_error_from(rs, err);
	else
		http_json(rs, status, out);
}

void api_collection_create(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs), *out = NULL;
	if (in == NULL)
		return;
	struct crix_error err = {0};
	int rc = sharing_collection_create(app->sharing, &rq->who, in, &out, &err);
	json_decref(in);
	answer(rs, rc, 201, out, &err);
}

void api_collection_update(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs), *out = NULL;
	if (in == NULL)
		return;
	struct crix_error err = {0};
	int rc = sharing_collection_update(app->sharing, &rq->who, rq->params[0], in, &out, &err);
	json_decref(in);
	answer(rs, rc, 200, out, &err);
}

void api_collection_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *c = sharing_collections_json(app->sharing, &rq->who);
	json_t *a = json_object_get(c, "collections");
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e)
	{
		json_t *full;
		struct crix_error err = {0};
		const char *id = json_string_value(json_object_get(e, "id"));
		if (id != NULL &&
		    sharing_collection_json(app->sharing, &rq->who, id, &full, &err) == 0)
			json_array_append_new(out, full);
	}
	json_decref(c);
	/* The built-in alerts feed too, for whoever TAXII lists it to. */
	struct crix_error err = {0};
	bool yes;
	if (alerts_listed(app, rq, &yes, &err) != 0) {
		json_decref(out);
		http_error_from(rs, &err);
		return;
	}
	if (yes)
		json_array_append_new(out, alertfeed_collection_json());
	http_json(rs, 200, json_pack("{so}", "collections", out));
}

void api_group_list(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	http_json(rs, 200, sharing_groups_json(app->sharing, &rq->who));
}

void api_group_create(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs), *out = NULL;
	if (in == NULL)
		return;
	struct crix_error err = {0};
	int rc = sharing_group_create(app->sharing, &rq->who, in, &out, &err);
	json_decref(in);
	answer(rs, rc, 201, out, &err);
}

static void member(struct http_app *app, struct http_req *rq, struct http_resp *rs, int64_t org,
                   bool add)
{
	int64_t group;
	if (api_id(rs, rq->params[0], "id", &group) != 0)
		return;
	struct crix_error err = {0};
	int rc = sharing_group_member(app->sharing, &rq->who, group, org, add, &err);
	answer(rs, rc, 200, rc == 0 ? sharing_groups_json(app->sharing, &rq->who) : NULL, &err);
}

void api_group_member_add(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = http_body_json(rq, rs);
	if (in == NULL)
		return;
	json_t *org = json_object_get(in, "org");
	json_int_t id = json_is_integer(org) ? json_integer_value(org) : 0;
	json_decref(in);
	if (id <= 0) {
		http_error(rs, 400, "org: the id of the organisation to add", "org");
		return;
	}
	member(app, rq, rs, id, true);
}

void api_group_member_remove(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	int64_t org;
	if (api_id(rs, rq->params[1], "org", &org) != 0)
		return;
	member(app, rq, rs, org, false);
}

/* The JSON body of a route whose cap passes http_body_json's 1 MiB (10,000
 * lookups or sightings), already bounded by the route's body_max; NULL when
 * answered with 400. */
static json_t *large_body_json(struct http_req *rq, struct http_resp *rs)
{
	json_error_t je;
	json_t *in =
	        json_loadb(rq->body ? rq->body : "", rq->body_len, JSON_REJECT_DUPLICATES, &je);
	if (in == NULL) {
		char m[256];
		snprintf(m, sizeof m, "body: not JSON at line %d column %d: %s", je.line, je.column,
		         je.text);
		http_error(rs, 400, m, "body");
	}
	return in;
}

void api_lookup(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = large_body_json(rq, rs);
	if (in == NULL)
		return;
	char *out = NULL;
	size_t len = 0;
	struct crix_error err = {0};
	int rc = sharing_lookup(app->sharing, &rq->who, in, &out, &len, &err);
	json_decref(in);
	if (rc != 0)
		http_error_from(rs, &err);
	else
		http_bytes(rs, 200, "application/json", out, len);
	free(out);
}

struct import_feed {
	struct sharing_import *im;
	struct crix_error *err;
};

static int import_one(void *arg, size_t index, const char *obj, size_t len)
{
	struct import_feed *f = arg;
	return sharing_import_object(f->im, index, obj, len, f->err);
}

/*
 * A STIX bundle of up to 256 MiB, spooled to a file by the server as it
 * arrived (its body_max is over HTTP_SPOOL_OVER) and read back through the streaming scanner:
 * memory holds one object at a time.  Writer rights as for a TAXII POST.
 * Objects before a malformed byte are kept (they were committed in their
 * batch); the answer is then 400 naming the byte, with the counts so far.
 */
void api_collection_import(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	const char *ct = http_header(rq, "Content-Type");
	if (ct == NULL || (strncmp(ct, "application/stix+json", 21) != 0 &&
	                   strncmp(ct, "application/json", 16) != 0)) {
		http_error(rs, 415, "Content-Type: application/stix+json (a STIX 2.1 bundle)",
		           "Content-Type");
		return;
	}
	if (rq->body_file == NULL || rq->body_len == 0) {
		http_error(rs, 400, "body: a STIX 2.1 bundle is required", "body");
		return;
	}
	struct crix_error err = {0};
	struct sharing_import *im = NULL;
	struct bundle_scan *bs = NULL;
	struct import_feed f = {NULL, &err};
	char *buf = malloc(1u << 20);
	int rc = buf == NULL ? crix_error_set(&err, CRIX_ENOMEM, "out of memory") : 0;
	if (rc == 0)
		rc = sharing_import_begin(app->sharing, &rq->who, rq->params[0], "import:post", &im,
		                          &err);
	f.im = im;
	if (rc == 0)
		rc = bundle_scan_new(0, import_one, &f, &bs, &err);
	if (rc == 0 && fseek(rq->body_file, 0, SEEK_SET) != 0)
		rc = crix_error_set(&err, CRIX_EIO, "body: cannot read the spooled body back");
	while (rc == 0) {
		size_t n = fread(buf, 1, 1u << 20, rq->body_file);
		if (n == 0) {
			rc = ferror(rq->body_file)
			             ? crix_error_set(&err, CRIX_EIO, "body: read error")
			             : bundle_scan_end(bs, NULL, &err);
			break;
		}
		rc = bundle_scan_feed(bs, buf, n, &err);
	}
	json_t *res = NULL;
	struct crix_error e2 = {0};
	int erc = im != NULL ? sharing_import_end(im, &res, &e2) : 0;
	if (rc == 0 && erc != 0) {
		rc = erc;
		err = e2;
	}
	if (rc == 0)
		http_json(rs, 200, res);
	else if (res != NULL && (rc == CRIX_EINVAL || rc == CRIX_ETOOBIG)) {
		/* a bad bundle: say where, and what was kept */
		crix_utf8_sanitize(err.msg);
		json_t *e = json_pack("{s{ss ss ss}}", "error", "code", "bad_request", "message",
		                      err.msg, "field", "body");
		json_object_set_new(e, "imported", res);
		http_json(rs, rc == CRIX_ETOOBIG ? 413 : 400, e);
	} else {
		json_decref(res);
		http_error_from(rs, &err);
	}
	bundle_scan_free(bs);
	sharing_import_free(im);
	free(buf);
}

void api_sightings_add(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	json_t *in = large_body_json(rq, rs);
	if (in == NULL)
		return;
	json_t *out = NULL;
	struct crix_error err = {0};
	int rc = sharing_sightings_add(app->sharing, &rq->who, in, &out, &err);
	json_decref(in);
	if (rc != 0)
		http_error_from(rs, &err);
	else
		http_json(rs, 200, out);
}

void api_indicator_sightings(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	int64_t after = 0;
	size_t limit;
	const char *a = http_query(rq, "after");
	if ((a != NULL && api_id(rs, a, "after", &after) != 0) ||
	    api_limit(rq, rs, 100, 1000, &limit) != 0)
		return;
	const char *format = http_query(rq, "format");
	if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "stix") != 0) {
		http_error(rs, 400, "format: json (default) or stix", "format");
		return;
	}
	bool stix = format != NULL && strcmp(format, "stix") == 0;
	json_t *out = NULL;
	int64_t next = 0;
	struct crix_error err = {0};
	int rc = stix ? sharing_sightings_stix(app->sharing, &rq->who, rq->params[0], after, limit,
	                                       &out, &next, &err)
	              : sharing_sightings_json(app->sharing, &rq->who, rq->params[0], after, limit,
	                                       &out, &err);
	if (rc != 0) {
		http_error_from(rs, &err);
		return;
	}
	/* a bundle has no place for a cursor: the next page's is a header */
	if (next > 0) {
		char n[24];
		snprintf(n, sizeof n, "%lld", (long long)next);
		http_header_add(rs, "X-Crix-Next", n);
	}
	http_json(rs, 200, out);
}
