/*
 * misp.c - MISP events and feeds, read into STIX and written from it (see
 * misp.h).
 */
#include "share/misp.h"

#include "match/load.h"
#include "share/stix.h"
#include "share/uuid.h"
#include "util/clock.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define ATTR_VALUES 2 /* values one attribute gives at most (domain|ip) */

/* How a MISP attribute type becomes indicator values.  part: which side of
 * a composite "a|b" value (0: the whole value, 1: left, 2: right, 3: both);
 * type IOC_NONE: an address, of whichever family (or network) it is. */
static const struct {
	const char *misp;
	enum ioc_type type, type2;
	int part;
} attr_types[] = {
        {"ip-src", IOC_NONE, IOC_NONE, 0},
        {"ip-dst", IOC_NONE, IOC_NONE, 0},
        {"ip-src|port", IOC_NONE, IOC_NONE, 1},
        {"ip-dst|port", IOC_NONE, IOC_NONE, 1},
        {"domain", IOC_DOMAIN, IOC_NONE, 0},
        {"hostname", IOC_DOMAIN, IOC_NONE, 0},
        {"hostname|port", IOC_DOMAIN, IOC_NONE, 1},
        {"domain|ip", IOC_DOMAIN, IOC_NONE, 3},
        {"url", IOC_URL, IOC_NONE, 0},
        {"link", IOC_URL, IOC_NONE, 0},
        {"uri", IOC_URL, IOC_NONE, 0},
        {"email", IOC_EMAIL, IOC_NONE, 0},
        {"email-src", IOC_EMAIL, IOC_NONE, 0},
        {"email-dst", IOC_EMAIL, IOC_NONE, 0},
        {"md5", IOC_MD5, IOC_NONE, 0},
        {"sha1", IOC_SHA1, IOC_NONE, 0},
        {"sha256", IOC_SHA256, IOC_NONE, 0},
        {"sha512", IOC_SHA512, IOC_NONE, 0},
        {"filename|md5", IOC_MD5, IOC_NONE, 2},
        {"filename|sha1", IOC_SHA1, IOC_NONE, 2},
        {"filename|sha256", IOC_SHA256, IOC_NONE, 2},
        {"filename|sha512", IOC_SHA512, IOC_NONE, 2},
};

/* ---- reading ---- */

static bool is_true(const json_t *v)
{
	const char *s = json_string_value(v);
	return json_is_true(v) || (json_is_integer(v) && json_integer_value(v) != 0) ||
	       (s != NULL && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0));
}

/* MISP writes numbers as strings ("0", "1609459200"); both are read. */
static long long num(const json_t *v, long long dflt)
{
	if (json_is_integer(v))
		return json_integer_value(v);
	const char *s = json_string_value(v);
	if (s == NULL || *s == '\0')
		return dflt;
	char *end;
	long long n = strtoll(s, &end, 10);
	return *end == '\0' ? n : dflt;
}

/* The TLP of a Tag[] list ("tlp:amber", "tlp:white"), 0 when none. */
static enum tlp tags_tlp(const json_t *tags)
{
	size_t i;
	json_t *t;
	enum tlp best = 0;
	json_array_foreach(tags, i, t)
	{
		const char *n = json_string_value(json_object_get(t, "name"));
		if (n == NULL || strncasecmp(n, "tlp:", 4) != 0)
			continue;
		enum tlp x = strcasecmp(n + 4, "white") == 0 ? TLP_CLEAR : tlp_parse(n + 4);
		if (x > best)
			best = x;
	}
	return best;
}

/* An epoch time as STIX writes times; 0 or out of range: fallback. */
static void iso_of(long long t, const char *fallback, char out[CLOCK_ISO_LEN])
{
	if (t > 0 && t < 253402300800LL)
		clock_format_iso((int64_t)t, 0, out);
	else
		snprintf(out, CLOCK_ISO_LEN, "%s", fallback);
}

struct event_ctx {
	const struct ioc_ctx *ioc;
	json_t *objs, *refs;
	struct misp_stats *st;
	enum tlp tlp;
	char time[CLOCK_ISO_LEN];
	const char *event_uuid;
};

static void count_unsupported(struct misp_stats *st, const char *type)
{
	if (st->unsupported == NULL)
		return;
	if (json_object_get(st->unsupported, type) == NULL &&
	    json_object_size(st->unsupported) >= 64)
		type = "other";
	json_t *n = json_object_get(st->unsupported, type);
	json_object_set_new(st->unsupported, type, json_integer(n ? json_integer_value(n) + 1 : 1));
}

/* One value of a known type: canonical, or false. */
static bool value_of(const struct ioc_ctx *ioc, enum ioc_type t, const char *s, size_t n,
                     struct ioc_value *v)
{
	struct crix_error e = {0};
	if (n == 0 || n >= IOC_VALUE_MAX)
		return false;
	if (t != IOC_NONE)
		return ioc_parse(ioc, t, s, n, NULL, v, &e) == 0;
	if (ioc_guess(ioc, s, n, NULL, v, &e) != 0)
		return false;
	/* a network would need an ISSUBSET pattern, which the lookup index
	 * does not read from STIX: single addresses only */
	return v->type == IOC_IPV4 || v->type == IOC_IPV6;
}

static void attribute(struct event_ctx *x, const json_t *a)
{
	const char *type = json_string_value(json_object_get(a, "type"));
	const char *value = json_string_value(json_object_get(a, "value"));
	x->st->attributes++;
	if (type == NULL || value == NULL) {
		x->st->invalid++;
		return;
	}
	size_t k = 0;
	while (k < sizeof attr_types / sizeof attr_types[0] &&
	       strcmp(attr_types[k].misp, type) != 0)
		k++;
	if (k == sizeof attr_types / sizeof attr_types[0]) {
		count_unsupported(x->st, type);
		return;
	}
	if (!is_true(json_object_get(a, "to_ids")) || is_true(json_object_get(a, "deleted"))) {
		x->st->not_ids++; /* context, not for detection */
		return;
	}
	/* the parts of a composite value "left|right" */
	const char *bar = strchr(value, '|');
	size_t n = strlen(value);
	const char *parts[ATTR_VALUES] = {value, NULL};
	size_t lens[ATTR_VALUES] = {n, 0};
	enum ioc_type types[ATTR_VALUES] = {attr_types[k].type, attr_types[k].type2};
	int part = attr_types[k].part;
	if (part != 0 && bar == NULL) {
		x->st->invalid++;
		return;
	}
	if (part == 1 || part == 3)
		lens[0] = (size_t)(bar - value);
	if (part == 2) {
		parts[0] = bar + 1;
		lens[0] = n - (size_t)(bar - value) - 1;
	}
	if (part == 3) {
		parts[1] = bar + 1;
		lens[1] = n - (size_t)(bar - value) - 1;
	}
	char pattern[2 * STIX_PATTERN_MAX + 8] = "";
	struct ioc_value *v = malloc(sizeof *v);
	bool ok = v != NULL;
	for (int i = 0; ok && i < ATTR_VALUES && parts[i] != NULL; i++) {
		char one[STIX_PATTERN_MAX];
		struct crix_error e = {0};
		ok = value_of(x->ioc, types[i], parts[i], lens[i], v) &&
		     stix_pattern(v, one, sizeof one, &e) == 0;
		if (ok) {
			size_t m = strlen(pattern);
			snprintf(pattern + m, sizeof pattern - m, "%s%s", i ? " OR " : "", one);
		}
	}
	free(v);
	if (!ok) {
		x->st->invalid++;
		return;
	}
	/* the attribute's UUID keeps the id stable: importing it again gives
	 * the same object (a new version when its timestamp moved) */
	char id[STIX_ID_MAX];
	struct uuid u;
	const char *au = json_string_value(json_object_get(a, "uuid"));
	if (au != NULL && uuid_parse(au, &u) == 0) {
		char us[UUID_STR_LEN];
		uuid_format(&u, us);
		snprintf(id, sizeof id, "indicator--%s", us);
	} else {
		json_t *props = json_pack("{ss ss ss}", "event", x->event_uuid, "type", type,
		                          "value", value);
		struct crix_error e = {0};
		int rc = props != NULL ? stix_id_v5("indicator", STIX_CRIX_NAMESPACE, props, id, &e)
		                       : -1;
		json_decref(props);
		if (rc != 0) {
			x->st->invalid++;
			return;
		}
	}
	char t[CLOCK_ISO_LEN];
	iso_of(num(json_object_get(a, "timestamp"), 0), x->time, t);
	char name[160];
	snprintf(name, sizeof name, "%s: %.140s", type, value);
	crix_utf8_sanitize(name);
	json_t *o =
	        json_pack("{ss ss ss ss ss ss ss s[s] ss ss s[s]}", "type", "indicator",
	                  "spec_version", "2.1", "id", id, "created", t, "modified", t,
	                  "valid_from", t, "name", name, "indicator_types", "malicious-activity",
	                  "pattern_type", "stix", "pattern", pattern, "labels", type);
	if (o == NULL) {
		x->st->invalid++;
		return;
	}
	const char *comment = json_string_value(json_object_get(a, "comment"));
	if (comment != NULL && comment[0] != '\0')
		json_object_set_new(o, "description", json_string(comment));
	enum tlp at = tags_tlp(json_object_get(a, "Tag"));
	enum tlp tl = at > x->tlp ? at : x->tlp; /* the stricter of attribute and event */
	if (tl != 0)
		json_object_set_new(o, "object_marking_refs", json_pack("[s]", tlp_marking_id(tl)));
	json_array_append(x->refs, json_object_get(o, "id"));
	json_array_append_new(x->objs, o);
	x->st->converted++;
}

int misp_event_to_stix(const struct ioc_ctx *ioc, const json_t *doc, json_t *objs,
                       struct misp_stats *st, struct crix_error *err)
{
	const json_t *ev = json_object_get(doc, "Event");
	if (ev == NULL)
		ev = doc;
	if (!json_is_object(ev) ||
	    (json_object_get(ev, "Attribute") == NULL && json_object_get(ev, "Object") == NULL &&
	     json_object_get(ev, "info") == NULL))
		return crix_error_field(err, "Event", CRIX_EINVAL,
		                        "Event: not a MISP event (no Event, info or Attribute)");
	json_t *attrs = json_object_get(ev, "Attribute"), *objects = json_object_get(ev, "Object");
	if ((attrs != NULL && !json_is_array(attrs)) ||
	    (objects != NULL && !json_is_array(objects)))
		return crix_error_field(err, "Event.Attribute", CRIX_EINVAL,
		                        "Event.Attribute and Event.Object: must be arrays");
	const char *euuid = json_string_value(json_object_get(ev, "uuid"));
	struct uuid eu;
	char eus[UUID_STR_LEN] = "";
	if (euuid != NULL && uuid_parse(euuid, &eu) == 0)
		uuid_format(&eu, eus);
	st->events++;
	struct event_ctx x = {
	        .ioc = ioc, .objs = objs, .refs = json_array(), .st = st, .event_uuid = eus};
	x.tlp = tags_tlp(json_object_get(ev, "Tag"));
	if (x.tlp == 0 && num(json_object_get(ev, "distribution"), 1) == 0)
		x.tlp = TLP_AMBER_STRICT; /* "your organisation only" */
	/* the event's time: its timestamp, else its date, else now */
	char date[CLOCK_ISO_LEN], norm[CLOCK_ISO_LEN];
	const char *d = json_string_value(json_object_get(ev, "date"));
	struct crix_error e = {0};
	if (d != NULL && strlen(d) == 10) {
		snprintf(date, sizeof date, "%sT00:00:00.000Z", d);
		if (clock_parse_iso(date, "date", norm, NULL, &e) != 0)
			clock_now_iso(date);
	} else
		clock_now_iso(date);
	iso_of(num(json_object_get(ev, "timestamp"), 0), date, x.time);
	size_t i;
	json_t *a;
	json_array_foreach(attrs, i, a) attribute(&x, a);
	json_t *ob;
	json_array_foreach(objects, i, ob)
	{
		json_t *oa = json_object_get(ob, "Attribute");
		size_t j;
		json_array_foreach(oa, j, a) attribute(&x, a);
	}
	if (json_array_size(x.refs) > 0) {
		char rid[STIX_ID_MAX];
		if (eus[0] != '\0')
			snprintf(rid, sizeof rid, "report--%s", eus);
		else {
			struct uuid r;
			uuid_v4(&r);
			char rs[UUID_STR_LEN];
			uuid_format(&r, rs);
			snprintf(rid, sizeof rid, "report--%s", rs);
		}
		const char *info = json_string_value(json_object_get(ev, "info"));
		char name[512];
		snprintf(name, sizeof name, "%s", info != NULL && info[0] ? info : "MISP event");
		crix_utf8_sanitize(name);
		json_t *r = json_pack("{ss ss ss ss ss ss ss s[s] sO}", "type", "report",
		                      "spec_version", "2.1", "id", rid, "created", x.time,
		                      "modified", x.time, "name", name, "published", x.time,
		                      "report_types", "threat-report", "object_refs", x.refs);
		if (r != NULL && x.tlp != 0)
			json_object_set_new(r, "object_marking_refs",
			                    json_pack("[s]", tlp_marking_id(x.tlp)));
		if (r != NULL)
			json_array_append_new(objs, r);
	}
	json_decref(x.refs);
	return 0;
}

/* ---- import (crix import misp) ---- */

struct importing {
	struct sharing_import *im;
	size_t index;
	struct crix_error *err;
};

/* Converts one event document and imports its objects. */
static int import_event(struct importing *m, const struct ioc_ctx *ioc, const json_t *doc,
                        struct misp_stats *st, const char *where, FILE *diag)
{
	json_t *objs = json_array();
	struct crix_error e = {0};
	if (misp_event_to_stix(ioc, doc, objs, st, &e) != 0) {
		fprintf(diag, "crix import: %s: %s\n", where, e.msg);
		json_decref(objs);
		return 1;
	}
	size_t i;
	json_t *o;
	int rc = 0;
	json_array_foreach(objs, i, o)
	{
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = s == NULL ? crix_error_set(m->err, CRIX_ENOMEM, "out of memory")
		               : sharing_import_object(m->im, m->index++, s, strlen(s), m->err);
		free(s);
		if (rc != 0)
			break;
	}
	json_decref(objs);
	return rc != 0 ? 2 : 0;
}

static json_t *load_capped(const char *path, FILE *diag)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		fprintf(diag, "crix import: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (sb.st_size > (off_t)MISP_FILE_MAX) {
		fprintf(diag, "crix import: %s: larger than %u MiB\n", path, MISP_FILE_MAX >> 20);
		return NULL;
	}
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		fprintf(diag, "crix import: %s:%d:%d: %s\n", path, je.line, je.column, je.text);
	return j;
}

int misp_import_path(struct sharing *sh, const struct ioc_ctx *ioc, const char *coll,
                     const char *path, FILE *out, FILE *diag)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		fprintf(diag, "crix import: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char source[STORE_NAME_MAX];
	const char *base = strrchr(path, '/');
	snprintf(source, sizeof source, "misp:%.100s", base != NULL && base[1] ? base + 1 : path);
	struct crix_error err = {0};
	struct importing m = {.err = &err};
	struct misp_stats st = {.unsupported = json_object()};
	double t0 = clock_mono();
	int rc = sharing_import_begin(sh, NULL, coll, source, &m.im, &err);
	if (rc != 0) {
		fprintf(diag, "crix import: %s\n", err.msg);
		json_decref(st.unsupported);
		return 2;
	}
	int status = 0;
	if (!S_ISDIR(sb.st_mode)) {
		json_t *doc = load_capped(path, diag);
		status = doc == NULL ? 1 : import_event(&m, ioc, doc, &st, path, diag);
		json_decref(doc);
	} else {
		/* a feed: the manifest names the events; each is UUID.json */
		char mp[4096];
		snprintf(mp, sizeof mp, "%s/manifest.json", path);
		json_t *man = load_capped(mp, diag);
		if (man != NULL && !json_is_object(man)) {
			fprintf(diag,
			        "crix import: %s: not a MISP feed manifest (an object of "
			        "events by UUID)\n",
			        mp);
			status = 1;
		}
		status = man == NULL ? 1 : status;
		const char *k;
		json_t *v;
		json_object_foreach(man, k, v)
		{
			struct uuid u;
			if (status == 2)
				break;
			if (uuid_parse(k, &u) != 0) { /* never a path: only a UUID */
				fprintf(diag, "crix import: %s: '%.60s' is not an event UUID\n", mp,
				        k);
				status = 1;
				continue;
			}
			char ep[4200];
			snprintf(ep, sizeof ep, "%s/%s.json", path, k);
			json_t *doc = load_capped(ep, diag);
			int r = doc == NULL ? 1 : import_event(&m, ioc, doc, &st, ep, diag);
			json_decref(doc);
			if (r > status)
				status = r;
		}
		json_decref(man);
	}
	json_t *res = NULL;
	struct crix_error e2 = {0};
	if (sharing_import_end(m.im, &res, &e2) != 0) {
		fprintf(diag, "crix import: %s: %s\n", path, e2.msg);
		status = 2;
	}
	if (status == 2 && err.msg[0] != '\0')
		fprintf(diag, "crix import: %s: %s\n", path, err.msg);
	if (res != NULL) {
		json_object_set_new(res, "file", json_string(path));
		json_object_set_new(res, "events", json_integer((json_int_t)st.events));
		json_object_set_new(res, "attributes", json_integer((json_int_t)st.attributes));
		json_object_set_new(res, "converted", json_integer((json_int_t)st.converted));
		json_object_set_new(res, "not_ids", json_integer((json_int_t)st.not_ids));
		json_object_set_new(res, "invalid_values", json_integer((json_int_t)st.invalid));
		json_object_set(res, "unsupported", st.unsupported);
		json_object_set_new(res, "seconds", json_real(clock_mono() - t0));
		char *s = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s != NULL)
			fprintf(out, "%s\n", s);
		free(s);
	}
	json_decref(res);
	json_decref(st.unsupported);
	sharing_import_free(m.im);
	return status;
}

/* ---- writing ---- */

/* MISP attribute type and category of a crix indicator type; NULL: none. */
static const char *misp_type(enum ioc_type t, const char **category)
{
	*category = "Network activity";
	switch (t) {
	case IOC_IPV4:
	case IOC_IPV6:
	case IOC_CIDR4:
	case IOC_CIDR6: return "ip-dst";
	case IOC_DOMAIN: return "domain";
	case IOC_URL: return "url";
	case IOC_EMAIL: *category = "Payload delivery"; return "email-src";
	case IOC_MD5: *category = "Payload delivery"; return "md5";
	case IOC_SHA1: *category = "Payload delivery"; return "sha1";
	case IOC_SHA256: *category = "Payload delivery"; return "sha256";
	case IOC_SHA512: *category = "Payload delivery"; return "sha512";
	default: return NULL;
	}
}

struct writing {
	const struct ioc_ctx *ioc;
	json_t *attrs;
	const char *stix_id;
	long long ts;
	enum tlp tlp, coll_tlp;
	const char *comment;
	size_t values;
};

static int add_value(void *arg, enum ioc_type type, const char *value, size_t len)
{
	struct writing *w = arg;
	struct ioc_value *v = malloc(sizeof *v);
	struct crix_error e = {0};
	const char *cat, *mt;
	if (v == NULL)
		return CRIX_ENOMEM;
	if (ioc_parse(w->ioc, type, value, len, NULL, v, &e) != 0 ||
	    (mt = misp_type(v->type, &cat)) == NULL) {
		free(v);
		return 0;
	}
	/* one attribute per value: its UUID from the object and the value, so
	 * that exporting again gives the same attribute */
	char id[STIX_ID_MAX];
	json_t *props = json_pack("{ss ss}", "stix_id", w->stix_id, "value", v->v);
	int rc = props != NULL ? stix_id_v5("x-misp-attribute", STIX_CRIX_NAMESPACE, props, id, &e)
	                       : CRIX_ENOMEM;
	json_decref(props);
	char ts[32];
	snprintf(ts, sizeof ts, "%lld", w->ts);
	json_t *a = rc == 0 ? json_pack("{ss ss ss ss sb ss ss}", "uuid", strstr(id, "--") + 2,
	                                "type", mt, "category", cat, "value", v->v, "to_ids", 1,
	                                "distribution", "5", "timestamp", ts)
	                    : NULL;
	free(v);
	if (a == NULL)
		return CRIX_ENOMEM;
	if (w->comment != NULL)
		json_object_set_new(a, "comment", json_string(w->comment));
	if (w->tlp != w->coll_tlp) { /* an object stricter than its collection says so */
		char tag[32];
		snprintf(tag, sizeof tag, "tlp:%s", tlp_name(w->tlp));
		json_object_set_new(a, "Tag", json_pack("[{ss}]", "name", tag));
	}
	json_array_append_new(w->attrs, a);
	w->values++;
	return 0;
}

static long long epoch_of(const char *iso)
{
	char norm[CLOCK_ISO_LEN];
	int64_t t = 0;
	struct crix_error e = {0};
	if (iso == NULL || clock_parse_iso(iso, "time", norm, &t, &e) != 0)
		return 0;
	return (long long)t;
}

static json_t *tlp_tags(enum tlp t)
{
	static const char *const colours[] = {"",        "#FFFFFF", "#33FF00",
	                                      "#FFC000", "#FFC000", "#FF2B2B"};
	char tag[32];
	snprintf(tag, sizeof tag, "tlp:%s", tlp_name(t));
	return json_pack("[{ss ss}]", "name", tag, "colour",
	                 (int)t >= 1 && (int)t <= 5 ? colours[t] : "#FFFFFF");
}

/* Orgc of an organisation: its name and a UUID derived from its id. */
static json_t *orgc(struct store *s, int64_t org)
{
	struct store_org o;
	struct crix_error e = {0};
	char name[STORE_NAME_MAX] = "crix";
	if (store_org_get(s, org, &o, &e) == 0)
		snprintf(name, sizeof name, "%s", o.name);
	char seed[64];
	snprintf(seed, sizeof seed, "crix-org:%" PRId64, org);
	struct uuid ns, u;
	uuid_parse(STIX_CRIX_NAMESPACE, &ns);
	uuid_v5(&ns, seed, strlen(seed), &u);
	char us[UUID_STR_LEN];
	uuid_format(&u, us);
	return json_pack("{ss ss}", "name", name, "uuid", us);
}

int misp_collection_event(struct sharing *sh, struct store *s, const struct ioc_ctx *ioc,
                          const struct principal *p, const char *id, json_t **event,
                          struct crix_error *err)
{
	struct sharing_brief b;
	int rc = sharing_collection_brief(sh, p, id, &b, err);
	if (rc != 0)
		return rc;
	struct writing w = {.ioc = ioc, .attrs = json_array(), .coll_tlp = b.tlp};
	long long newest = epoch_of(b.created);
	struct sharing_query q = {
	        .collection = id, .types = "indicator", .limit = SHARING_PAGE_MAX};
	char next[32] = "";
	for (;;) {
		char *text;
		size_t len;
		struct sharing_page page;
		q.next = next[0] ? next : NULL;
		rc = sharing_objects(sh, p, &q, SHARING_OBJECTS, &text, &len, &page, err);
		if (rc != 0)
			break;
		json_t *env = json_loadb(text, len, 0, NULL);
		free(text);
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(env, "objects"), i, o)
		{
			const char *pat = json_string_value(json_object_get(o, "pattern"));
			const char *pt = json_string_value(json_object_get(o, "pattern_type"));
			if (pat == NULL || (pt != NULL && strcmp(pt, "stix") != 0) ||
			    json_is_true(json_object_get(o, "revoked")))
				continue;
			w.stix_id = json_string_value(json_object_get(o, "id"));
			w.ts = epoch_of(json_string_value(json_object_get(o, "modified")));
			w.comment = json_string_value(json_object_get(o, "description"));
			w.tlp = 0;
			size_t j;
			json_t *m;
			json_array_foreach(json_object_get(o, "object_marking_refs"), j, m)
			{
				enum tlp t = tlp_from_marking(json_string_value(m));
				if (t > w.tlp)
					w.tlp = t;
			}
			if (w.tlp == 0)
				w.tlp = b.tlp;
			char why[128];
			rc = match_stix_pattern(pat, strlen(pat), add_value, &w, why, sizeof why);
			if (rc == 1)
				rc = 0; /* a pattern crix does not understand: not in the feed */
			if (rc != 0)
				break;
		}
		json_decref(env);
		/* the event changed when its newest visible object arrived */
		if (page.count > 0 && epoch_of(page.last_added) > newest)
			newest = epoch_of(page.last_added);
		if (rc != 0 || !page.more)
			break;
		snprintf(next, sizeof next, "%s", page.next);
	}
	if (rc != 0) {
		if (rc == CRIX_ENOMEM)
			crix_error_set(err, rc, "MISP event: out of memory");
		json_decref(w.attrs);
		return rc;
	}
	char ts[32], date[11];
	snprintf(ts, sizeof ts, "%lld", newest);
	snprintf(date, sizeof date, "%.10s", b.created);
	*event = json_pack("{s{ss ss ss ss ss ss ss ss sb ss so so so}}", "Event", "uuid", b.id,
	                   "info", b.title, "date", date, "analysis", "2", "threat_level_id", "4",
	                   "timestamp", ts, "publish_timestamp", ts, "distribution",
	                   b.tlp == TLP_CLEAR   ? "3"
	                   : b.tlp == TLP_GREEN ? "1"
	                                        : "0",
	                   "published", 1, "attribute_count", "0", "Orgc", orgc(s, b.owner_org),
	                   "Tag", tlp_tags(b.tlp), "Attribute", w.attrs);
	if (*event == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "MISP event: out of memory");
	char count[32];
	snprintf(count, sizeof count, "%zu", json_array_size(w.attrs));
	json_object_set_new(json_object_get(*event, "Event"), "attribute_count",
	                    json_string(count));
	return 0;
}

json_t *misp_manifest_entry(const json_t *event)
{
	const json_t *e = json_object_get(event, "Event");
	json_t *m = json_object();
	static const char *const keys[] = {
	        "info", "Orgc", "Tag", "date", "analysis", "threat_level_id", "timestamp"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		json_t *v = json_object_get(e, keys[i]);
		if (v != NULL)
			json_object_set(m, keys[i], v);
	}
	return m;
}

int misp_manifest(struct sharing *sh, struct store *s, const struct ioc_ctx *ioc,
                  const struct principal *p, json_t **manifest, struct crix_error *err)
{
	json_t *c = sharing_collections_json(sh, p);
	json_t *out = json_object();
	size_t i;
	json_t *k;
	int rc = 0;
	json_array_foreach(json_object_get(c, "collections"), i, k)
	{
		const char *id = json_string_value(json_object_get(k, "id"));
		if (id == NULL || !json_is_true(json_object_get(k, "can_read")))
			continue;
		json_t *ev;
		rc = misp_collection_event(sh, s, ioc, p, id, &ev, err);
		if (rc == CRIX_ENOTFOUND) { /* changed meanwhile */
			rc = 0;
			continue;
		}
		if (rc != 0)
			break;
		json_object_set_new(out, id, misp_manifest_entry(ev));
		json_decref(ev);
	}
	json_decref(c);
	if (rc != 0) {
		json_decref(out);
		return rc;
	}
	*manifest = out;
	return 0;
}
