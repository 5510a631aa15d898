/*
 * test_sharing.c - shared objects (src/share/sharing.c) on a real store in a
 * scratch directory: groups and collections with their checks, objects
 * checked one by one and stored verbatim, pages filtered by visibility,
 * versions, the lookup index (exact, parent domain, URL host) kept in step
 * and rebuilt at open.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "share/sharing.h"
#include "unit/store/storefx.h"

#define OK(x) assert_int_equal((x), 0)

struct fx {
	char *dir;
	struct store *s;
	struct ioc_ctx *ioc;
	struct sharing *sh;
	struct principal owner, partner, other, public;
	int64_t partner_org;
};

static int64_t add_org(struct store *s, const char *name, struct store_org *o)
{
	struct crix_error err = {0};
	memset(o, 0, sizeof *o);
	snprintf(o->name, sizeof o->name, "%s", name);
	snprintf(o->kind, sizeof o->kind, "business");
	snprintf(o->country, sizeof o->country, "GB");
	snprintf(o->created, sizeof o->created, "2026-01-01T00:00:00.000Z");
	struct store_tx *tx;
	OK(store_tx_begin(s, &tx, &err));
	OK(store_org_insert(tx, o, &err));
	OK(store_tx_commit(tx, &err));
	return o->id;
}

static void add_user(struct store *s, const struct store_org *o, const char *name,
                     struct principal *p)
{
	struct crix_error err = {0};
	struct store_user u = {.org_id = o->id};
	snprintf(u.username, sizeof u.username, "%s", name);
	snprintf(u.role, sizeof u.role, "analyst");
	snprintf(u.pw_hash, sizeof u.pw_hash, "x");
	snprintf(u.created, sizeof u.created, "2026-01-01T00:00:00.000Z");
	struct store_tx *tx;
	OK(store_tx_begin(s, &tx, &err));
	OK(store_user_insert(tx, &u, &err));
	OK(store_tx_commit(tx, &err));
	account_principal_user(p, &u, o);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct crix_error err = {0};
	if (f == NULL || storefx_open(&f->dir, &f->s) != 0 || ioc_ctx_new(&f->ioc, &err) != 0)
		return -1;
	struct store_org a, b, c;
	add_org(f->s, "Owner", &a);
	f->partner_org = add_org(f->s, "Partner", &b);
	add_org(f->s, "Other", &c);
	add_user(f->s, &a, "owner1", &f->owner);
	add_user(f->s, &b, "partner1", &f->partner);
	add_user(f->s, &c, "other1", &f->other);
	account_principal_public(&f->public);
	if (sharing_open(f->s, f->ioc, &f->sh, &err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	sharing_free(f->sh);
	ioc_ctx_free(f->ioc);
	storefx_close(f->dir, f->s);
	free(f);
	return 0;
}

static char *collection(struct fx *f, const char *spec_text)
{
	struct crix_error err = {0};
	json_t *spec = json_loads(spec_text, 0, NULL), *out = NULL;
	assert_non_null(spec);
	OK(sharing_collection_create(f->sh, &f->owner, spec, &out, &err));
	json_decref(spec);
	char *id = strdup(json_string_value(json_object_get(out, "id")));
	json_decref(out);
	return id;
}

static json_t *post(struct fx *f, const char *coll, const char *envelope)
{
	struct crix_error err = {0};
	json_t *env = json_loads(envelope, 0, NULL), *status = NULL;
	assert_non_null(env);
	int rc = sharing_add_objects(f->sh, &f->owner, coll, env, "test", &status, &err);
	json_decref(env);
	if (rc != 0)
		fail_msg("sharing_add_objects: %s", err.msg);
	return status;
}

static size_t count_objects(struct fx *f, const struct principal *p, const char *coll,
                            const char *version, int *rc_out)
{
	struct crix_error err = {0};
	struct sharing_query q = {.collection = coll, .version = version};
	char *json = NULL;
	size_t len;
	struct sharing_page page;
	*rc_out = sharing_objects(f->sh, p, &q, SHARING_OBJECTS, &json, &len, &page, &err);
	free(json);
	return *rc_out == 0 ? page.count : 0;
}

static size_t lookup(struct fx *f, const struct principal *p, const char *value)
{
	struct crix_error err = {0};
	char body[512];
	snprintf(body, sizeof body, "{\"values\": [\"%s\"]}", value);
	json_t *req = json_loads(body, 0, NULL);
	char *text = NULL;
	size_t len;
	OK(sharing_lookup(f->sh, p, req, &text, &len, &err));
	json_t *out = json_loadb(text, len, 0, NULL);
	assert_non_null(out);
	free(text);
	size_t n = (size_t)json_integer_value(json_object_get(out, "matched"));
	json_decref(req);
	json_decref(out);
	return n;
}

#define IND(id, pattern, modified)                                                                 \
	"{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--" id "\","           \
	"\"created\":\"2024-01-01T00:00:00Z\",\"modified\":\"" modified "\","                      \
	"\"valid_from\":\"2024-01-01T00:00:00Z\",\"pattern_type\":\"stix\",\"pattern\":\"" pattern \
	"\"}"
#define ID1 "11111111-1111-4111-8111-111111111111"
#define ID2 "22222222-2222-4222-8222-222222222222"

static void test_collection_checks(void **state)
{
	struct fx *f = *state;
	struct crix_error err = {0};
	json_t *out = NULL;
	json_t *spec = json_pack("{ss ss}", "title", "x", "tlp", "purple");
	assert_int_equal(sharing_collection_create(f->sh, &f->owner, spec, &out, &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "tlp");
	json_decref(spec);
	spec = json_pack("{ss ss s{s[i]}}", "title", "x", "tlp", "amber", "shared_with", "orgs",
	                 999);
	assert_int_equal(sharing_collection_create(f->sh, &f->owner, spec, &out, &err),
	                 CRIX_EINVAL);
	assert_string_equal(err.field, "shared_with.orgs");
	json_decref(spec);
	spec = json_pack("{ss ss}", "title", "x", "tlp", "clear");
	assert_int_equal(sharing_collection_create(f->sh, &f->public, spec, &out, &err),
	                 CRIX_EACCES);
	json_decref(spec);
}

static void test_objects_and_visibility(void **state)
{
	struct fx *f = *state;
	char spec[256];
	snprintf(spec, sizeof spec,
	         "{\"title\":\"amber\",\"tlp\":\"amber\",\"shared_with\":{\"orgs\":[%lld]}}",
	         (long long)f->partner_org);
	char *amber = collection(f, spec);
	json_t *st =
	        post(f, amber,
	             "{\"objects\":[" IND(ID1, "[domain-name:value = 'evil.com']",
	                                  "2024-01-01T00:00:00Z") ",{\"type\":\"indicator\"},"
	                                                          "{\"type\":\"x-thing\",\"id\":"
	                                                          "\"x-thing--nope\"}]}");
	assert_int_equal(json_integer_value(json_object_get(st, "success_count")), 1);
	assert_int_equal(json_integer_value(json_object_get(st, "failure_count")), 2);
	json_decref(st);
	int rc;
	assert_int_equal(count_objects(f, &f->owner, amber, NULL, &rc), 1);
	assert_int_equal(count_objects(f, &f->partner, amber, NULL, &rc), 1);
	assert_int_equal(count_objects(f, &f->other, amber, NULL, &rc), 0);
	assert_int_equal(rc, CRIX_ENOTFOUND);
	assert_int_equal(count_objects(f, &f->public, amber, NULL, &rc), 0);
	assert_int_equal(rc, CRIX_ENOTFOUND);
	/* the lookup index: exact, a subdomain, a URL's host; visibility */
	assert_int_equal(lookup(f, &f->partner, "evil.com"), 1);
	assert_int_equal(lookup(f, &f->partner, "www.EVIL.com"), 1);
	assert_int_equal(lookup(f, &f->partner, "https://login.evil.com/x"), 1);
	assert_int_equal(lookup(f, &f->partner, "notevil.com"), 0);
	assert_int_equal(lookup(f, &f->other, "evil.com"), 0);
	/* a newer version: one object by default, two with all */
	st = post(f, amber,
	          "{\"objects\":[" IND(ID1, "[domain-name:value = 'evil.com']",
	                               "2024-02-01T00:00:00Z") "]}");
	json_decref(st);
	assert_int_equal(count_objects(f, &f->owner, amber, NULL, &rc), 1);
	assert_int_equal(count_objects(f, &f->owner, amber, "all", &rc), 2);
	assert_int_equal(count_objects(f, &f->owner, amber, "nonsense", &rc), 0);
	assert_int_equal(rc, CRIX_EINVAL);
	/* the index is rebuilt from the store */
	sharing_free(f->sh);
	struct crix_error err = {0};
	OK(sharing_open(f->s, f->ioc, &f->sh, &err));
	assert_int_equal(lookup(f, &f->partner, "evil.com"), 1);
	assert_int_equal(lookup(f, &f->other, "evil.com"), 0);
	free(amber);
}

/* Count of objects with added_after set (and version left to the default). */
static size_t count_after(struct fx *f, const char *coll, const char *after)
{
	struct crix_error err = {0};
	struct sharing_query q = {.collection = coll, .added_after = after};
	char *json = NULL;
	size_t len;
	struct sharing_page page;
	OK(sharing_objects(f->sh, &f->owner, &q, SHARING_OBJECTS, &json, &len, &page, &err));
	free(json);
	return page.count;
}

/* TAXII 2.1 section 3.4.1: match[version] lists (ORed, all alone, no
 * repeats); section 2: no empty lists in a status, microsecond timestamps,
 * a version in every status-details; section 3.4: added_after at a coarser
 * precision than date_added still compares by time, not text. */
static void test_taxii_versions_status_added_after(void **state)
{
	struct fx *f = *state;
	char *coll = collection(f, "{\"title\":\"clear\",\"tlp\":\"clear\"}");
	/* three versions of ID1, one of ID2 */
#define PAT1 "[ipv4-addr:value = '192.0.2.1']"
#define PAT2 "[ipv4-addr:value = '192.0.2.2']"
	char env[4096];
	snprintf(env, sizeof env, "{\"objects\":[%s,%s,%s,%s]}",
	         IND(ID1, PAT1, "2024-01-01T00:00:00Z"), IND(ID1, PAT1, "2024-02-01T00:00:00Z"),
	         IND(ID1, PAT1, "2024-03-01T00:00:00Z"), IND(ID2, PAT2, "2024-01-01T00:00:00Z"));
	json_t *st = post(f, coll, env);
	assert_int_equal(json_integer_value(json_object_get(st, "success_count")), 4);
	assert_int_equal(json_array_size(json_object_get(st, "successes")), 4);
	assert_null(json_object_get(st, "failures"));
	assert_null(json_object_get(st, "pendings"));
	const char *ts = json_string_value(json_object_get(st, "request_timestamp"));
	assert_non_null(ts);
	assert_int_equal(strlen(ts), 27); /* YYYY-MM-DDTHH:MM:SS.ffffffZ */
	json_decref(st);
	int rc;
	assert_int_equal(count_objects(f, &f->owner, coll, NULL, &rc), 2);
	assert_int_equal(count_objects(f, &f->owner, coll, "first,last", &rc), 3);
	assert_int_equal(count_objects(f, &f->owner, coll, "first,2024-02-01T00:00:00Z", &rc), 3);
	assert_int_equal(
	        count_objects(f, &f->owner, coll, "2024-03-01T00:00:00Z,2024-02-01T00:00:00Z", &rc),
	        2);
	assert_int_equal(count_objects(f, &f->owner, coll, "last,all", &rc), 0);
	assert_int_equal(rc, CRIX_EINVAL);
	assert_int_equal(count_objects(f, &f->owner, coll, "first,first", &rc), 0);
	assert_int_equal(rc, CRIX_EINVAL);
	assert_int_equal(count_objects(f, &f->owner, coll, "first,", &rc), 0);
	assert_int_equal(rc, CRIX_EINVAL);
	/* a failure names the version it could not take */
	st = post(f, coll,
	          "{\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.0\",\"id\":"
	          "\"indicator--" ID2 "\",\"created\":\"2024-01-01T00:00:00Z\","
	          "\"modified\":\"2024-05-01T00:00:00Z\"}]}");
	json_t *fail0 = json_array_get(json_object_get(st, "failures"), 0);
	assert_string_equal(json_string_value(json_object_get(fail0, "version")),
	                    "2024-05-01T00:00:00Z");
	assert_null(json_object_get(st, "successes"));
	json_decref(st);
	/* added_after at seconds: everything added since that second began */
	struct crix_error err = {0};
	struct sharing_query q = {.collection = coll, .version = "all"};
	char *json = NULL;
	size_t len;
	struct sharing_page page;
	OK(sharing_objects(f->sh, &f->owner, &q, SHARING_MANIFEST, &json, &len, &page, &err));
	free(json);
	char secs[32];
	snprintf(secs, sizeof secs, "%.19sZ", page.first_added);
	if (strcmp(page.first_added + 19, ".000000Z") != 0)
		assert_int_equal(count_after(f, coll, secs), 2);
	char ms[32];
	snprintf(ms, sizeof ms, "%.23sZ", page.first_added);
	assert_int_equal(count_after(f, coll, ms), 2); /* not after ID1's first version */
	assert_int_equal(count_after(f, coll, page.last_added), 0);
	free(coll);
}

static void test_object_tlp_narrows(void **state)
{
	struct fx *f = *state;
	char *green = collection(f, "{\"title\":\"green\",\"tlp\":\"green\"}");
	json_t *st = post(f, green,
	                  "{\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.1\","
	                  "\"id\":\"indicator--" ID2 "\",\"created\":\"2024-01-01T00:00:00Z\","
	                  "\"modified\":\"2024-01-01T00:00:00Z\",\"pattern_type\":\"stix\","
	                  "\"pattern\":\"[ipv4-addr:value = '198.51.100.9']\",\"valid_from\":"
	                  "\"2024-01-01T00:00:00Z\",\"object_marking_refs\":[\"marking-definition--"
	                  "e828b379-4e03-4974-9ac4-e53a884c97c1\"]}]}");
	json_decref(st);
	int rc;
	assert_int_equal(count_objects(f, &f->owner, green, NULL, &rc), 1);
	assert_int_equal(count_objects(f, &f->partner, green, NULL, &rc), 0);
	assert_int_equal(rc, 0); /* the collection is visible, the object is not */
	assert_int_equal(lookup(f, &f->partner, "198.51.100.9"), 0);
	assert_int_equal(lookup(f, &f->owner, "198.51.100.9"), 1);
	free(green);
}

/* A recipient is told the TLP (to handle what it reads) but not the shares;
 * the owner is told both; an organisation it is not shared with, nothing. */
static void test_collection_told(void **state)
{
	struct fx *f = *state;
	char spec[256];
	snprintf(
	        spec, sizeof spec,
	        "{\"title\":\"strict\",\"tlp\":\"amber+strict\",\"shared_with\":{\"orgs\":[%lld]}}",
	        (long long)f->partner_org);
	char *id = collection(f, spec);
	struct crix_error err = {0};
	json_t *c = NULL;
	OK(sharing_collection_json(f->sh, &f->owner, id, &c, &err));
	assert_string_equal(json_string_value(json_object_get(c, "tlp")), "amber+strict");
	assert_non_null(json_object_get(c, "shared_with"));
	json_decref(c);
	OK(sharing_collection_json(f->sh, &f->partner, id, &c, &err));
	assert_string_equal(json_string_value(json_object_get(c, "tlp")), "amber+strict");
	assert_null(json_object_get(c, "shared_with"));
	assert_null(json_object_get(c, "writers"));
	assert_null(json_object_get(c, "owner_org"));
	json_decref(c);
	assert_int_equal(sharing_collection_json(f->sh, &f->other, id, &c, &err), CRIX_ENOTFOUND);
	free(id);
}

static void test_lookup_bounds(void **state)
{
	struct fx *f = *state;
	struct crix_error err = {0};
	char *out = NULL;
	size_t len;
	json_t *req = json_pack("{s[]}", "values");
	json_t *vals = json_object_get(req, "values");
	for (int i = 0; i <= SHARING_LOOKUP_MAX; i++)
		json_array_append_new(vals, json_string("1.2.3.4"));
	assert_int_equal(sharing_lookup(f->sh, &f->owner, req, &out, &len, &err), CRIX_ETOOBIG);
	json_decref(req);
	req = json_pack("{ss}", "value", "x");
	assert_int_equal(sharing_lookup(f->sh, &f->owner, req, &out, &len, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "values");
	json_decref(req);
	/* refang is a boolean; anything else is named */
	req = json_pack("{s[s]ss}", "values", "1.2.3.4", "refang", "yes");
	assert_int_equal(sharing_lookup(f->sh, &f->owner, req, &out, &len, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "refang");
	json_decref(req);
	/* refanged: the value is echoed as sent, with what it was read as */
	req = json_pack("{s[ssss]sb}", "values", "1.2.3[.]4", "evil(dot)com", "x[.]y z", "9.9.9.9",
	                "refang", 1);
	OK(sharing_lookup(f->sh, &f->owner, req, &out, &len, &err));
	json_t *res = json_loadb(out, len, 0, NULL);
	free(out);
	assert_non_null(res);
	json_t *inv = json_object_get(res, "invalid"), *rf = json_object_get(res, "refanged");
	assert_int_equal(json_array_size(inv), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(inv, 0), "index")), 2);
	/* every value refanging changed, matched or not; 9.9.9.9 was not */
	const char *want[] = {"1.2.3.4", "evil.com", "x.y z"};
	assert_int_equal(json_array_size(rf), 3);
	for (size_t k = 0; k < 3; k++) {
		json_t *x = json_array_get(rf, k);
		assert_int_equal(json_integer_value(json_object_get(x, "index")), k);
		assert_string_equal(json_string_value(json_object_get(x, "value")), want[k]);
	}
	json_decref(res);
	json_decref(req);
}

/* The sightings body parser, as data: body in, the field at fault out
 * ("" for accepted). */
static void test_sightings_parse(void **state)
{
	(void)state;
	static const struct {
		const char *body, *field;
	} cases[] = {
	        {"[{\"value\":\"evil.com\",\"first_seen\":\"2026-01-01\"}]", ""},
	        {"{\"sightings\":[{\"indicator\":\"indicator--" ID1 "\",\"count\":7,"
	         "\"first_seen\":\"2026-01-01T00:00:00Z\",\"last_seen\":\"2026-01-02T00:00:00+01:"
	         "00\","
	         "\"where\":\"mail gateway\",\"observed_data\":[\"observed-data--" ID2 "\"]}]}",
	         ""},
	        {"[]", "sightings"},
	        {"{}", "sightings"},
	        {"{\"sightings\":[],\"x\":1}", "sightings"},
	        {"[1]", "sightings[0]"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\",\"x\":1}]", "sightings[0]"},
	        {"[{\"first_seen\":\"2026-01-01\"}]", "sightings[0].value"},
	        {"[{\"value\":\"\",\"first_seen\":\"2026-01-01\"}]", "sightings[0].value"},
	        {"[{\"value\":\"a\",\"indicator\":\"indicator--" ID1
	         "\",\"first_seen\":\"2026-01-01\"}]",
	         "sightings[0].value"},
	        {"[{\"indicator\":\"malware--" ID1 "\",\"first_seen\":\"2026-01-01\"}]",
	         "sightings[0].indicator"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\",\"count\":0}]",
	         "sightings[0].count"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\",\"count\":1000000000}]",
	         "sightings[0].count"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\",\"count\":1.5}]",
	         "sightings[0].count"},
	        {"[{\"value\":\"a\"}]", "sightings[0].first_seen"},
	        {"[{\"value\":\"a\",\"first_seen\":\"soon\"}]", "sightings[0].first_seen"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-02\",\"last_seen\":\"2026-01-01\"}]",
	         "sightings[0].last_seen"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\",\"where\":\"a\\nb\"}]",
	         "sightings[0].where"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\",\"where\":7}]",
	         "sightings[0].where"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\",\"observed_data\":[\"x\"]}]",
	         "sightings[0].observed_data"},
	        {"[{\"value\":\"a\",\"first_seen\":\"2026-01-01\"},{\"value\":\"a\"}]",
	         "sightings[1].first_seen"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *j = json_loads(cases[i].body, 0, NULL);
		assert_non_null(j);
		struct sharing_sighting_in *in = NULL;
		size_t n = 0;
		struct crix_error err = {0};
		int rc = sharing_sightings_parse(j, &in, &n, &err);
		if (cases[i].field[0] == '\0') {
			if (rc != 0)
				fail_msg("case %zu: %s", i, err.msg);
			assert_int_equal(n, 1);
		} else {
			if (rc == 0)
				fail_msg("case %zu accepted, want %s", i, cases[i].field);
			assert_string_equal(err.field, cases[i].field);
			assert_null(in);
		}
		if (i == 1) {
			assert_int_equal(in[0].count, 7);
			assert_string_equal(in[0].place, "mail gateway");
			/* canonical UTC: +01:00 moved back an hour */
			assert_string_equal(in[0].first_seen, "2026-01-01T00:00:00.000Z");
			assert_string_equal(in[0].last_seen, "2026-01-01T23:00:00.000Z");
			assert_string_equal(in[0].observed, "observed-data--" ID2);
		}
		free(in);
		json_decref(j);
	}
}

/* Sightings: resolved as the caller may see, summed, shown to the owner
 * only (no law enforcement here), in the lookup answer too, and rebuilt
 * at open. */
static void test_sightings_add(void **state)
{
	struct fx *f = *state;
	char spec[256];
	snprintf(spec, sizeof spec,
	         "{\"title\":\"amber\",\"tlp\":\"amber\",\"shared_with\":{\"orgs\":[%lld]}}",
	         (long long)f->partner_org);
	char *amber = collection(f, spec);
	json_decref(post(f, amber,
	                 "{\"objects\":[" IND(ID1, "[domain-name:value = 'evil.com']",
	                                      "2024-01-01T00:00:00Z") "]}"));
	struct crix_error err = {0};
	const char *body =
	        "[{\"value\":\"www.evil.com\",\"count\":4,\"first_seen\":\"2026-01-02\"},"
	        "{\"value\":\"good.com\",\"first_seen\":\"2026-01-02\"},"
	        "{\"indicator\":\"indicator--" ID1 "\",\"first_seen\":\"2026-01-01\","
	        "\"last_seen\":\"2026-01-05\"}]";
	json_t *req = json_loads(body, 0, NULL), *out = NULL;
	OK(sharing_sightings_add(f->sh, &f->partner, req, &out, &err));
	assert_int_equal(json_integer_value(json_object_get(out, "stored")), 2);
	assert_int_equal(json_array_size(json_object_get(out, "unmatched")), 1);
	json_decref(out);
	/* "other" may not see the indicator: all unmatched, nothing stored */
	OK(sharing_sightings_add(f->sh, &f->other, req, &out, &err));
	assert_int_equal(json_integer_value(json_object_get(out, "stored")), 0);
	assert_int_equal(json_array_size(json_object_get(out, "unmatched")), 3);
	json_decref(out);
	assert_int_equal(sharing_sightings_add(f->sh, &f->public, req, &out, &err), CRIX_EACCES);
	json_decref(req);
	for (int round = 0; round < 2; round++) {
		OK(sharing_sightings_json(f->sh, &f->owner, "indicator--" ID1, 0, 10, &out, &err));
		json_t *t = json_array_get(json_object_get(out, "totals"), 0);
		assert_int_equal(json_integer_value(json_object_get(t, "count")), 5);
		assert_int_equal(json_integer_value(json_object_get(t, "orgs")), 1);
		assert_string_equal(json_string_value(json_object_get(t, "last_seen")),
		                    "2026-01-05T00:00:00.000Z");
		assert_int_equal(json_array_size(json_object_get(out, "sightings")), 2);
		json_decref(out);
		assert_int_equal(sharing_sightings_json(f->sh, &f->partner, "indicator--" ID1, 0,
		                                        10, &out, &err),
		                 CRIX_ENOTFOUND);
		assert_int_equal(sharing_sightings_json(f->sh, &f->other, "indicator--" ID1, 0, 10,
		                                        &out, &err),
		                 CRIX_ENOTFOUND);
		/* the owner's lookup carries the totals; the partner's not */
		json_t *lr = json_loads("{\"values\":[\"evil.com\"]}", 0, NULL);
		char *text;
		size_t len;
		OK(sharing_lookup(f->sh, &f->owner, lr, &text, &len, &err));
		assert_non_null(strstr(text, "\"sightings\":{\"count\":5,"));
		free(text);
		OK(sharing_lookup(f->sh, &f->partner, lr, &text, &len, &err));
		assert_null(strstr(text, "sightings"));
		free(text);
		json_decref(lr);
		sharing_free(f->sh);
		OK(sharing_open(f->s, f->ioc, &f->sh, &err));
	}
	free(amber);
}

/* How many sighting objects a TAXII page of coll shows p. */
static size_t count_sighting_objects(struct fx *f, const struct principal *p, const char *coll)
{
	struct crix_error err = {0};
	struct sharing_query q = {.collection = coll, .types = "sighting", .limit = 1000};
	char *json = NULL;
	size_t len;
	struct sharing_page page;
	OK(sharing_objects(f->sh, p, &q, SHARING_OBJECTS, &json, &len, &page, &err));
	free(json);
	return page.count;
}

/* A sighting is served over TAXII as a sighting object of its indicator's
 * collection, to the indicator's owner only here (no law enforcement); one
 * stored before that existed (no object) gets its object at the next open,
 * once. */
static void test_sighting_objects(void **state)
{
	struct fx *f = *state;
	char spec[256];
	snprintf(spec, sizeof spec,
	         "{\"title\":\"amber\",\"tlp\":\"amber\",\"shared_with\":{\"orgs\":[%lld]}}",
	         (long long)f->partner_org);
	char *amber = collection(f, spec);
	json_decref(post(f, amber,
	                 "{\"objects\":[" IND(ID1, "[domain-name:value = 'evil.com']",
	                                      "2024-01-01T00:00:00Z") "]}"));
	struct crix_error err = {0};
	json_t *req = json_loads(
	               "[{\"value\":\"evil.com\",\"count\":3,\"first_seen\":\"2026-01-02\"}]", 0,
	               NULL),
	       *out = NULL;
	OK(sharing_sightings_add(f->sh, &f->partner, req, &out, &err));
	json_decref(out);
	json_decref(req);
	assert_int_equal(count_sighting_objects(f, &f->owner, amber), 1);
	assert_int_equal(count_sighting_objects(f, &f->partner, amber), 0);
	int rc;
	assert_int_equal(count_objects(f, &f->partner, amber, NULL, &rc), 1); /* the indicator */

	/* a sighting as an older crix stored it: the row alone */
	struct store_sighting sg = {.owner_org = f->owner.org_id,
	                            .org_id = f->partner.org_id,
	                            .user_id = f->partner.user_id,
	                            .count = 2};
	snprintf(sg.sid, sizeof sg.sid, "sighting--33333333-3333-4333-8333-333333333333");
	snprintf(sg.collection, sizeof sg.collection, "%s", amber);
	snprintf(sg.stix_id, sizeof sg.stix_id, "indicator--" ID1);
	snprintf(sg.first_seen, sizeof sg.first_seen, "2026-01-01T00:00:00.000Z");
	snprintf(sg.last_seen, sizeof sg.last_seen, "2026-01-01T00:00:00.000Z");
	snprintf(sg.created, sizeof sg.created, "2026-01-03T00:00:00.000Z");
	struct store_tx *tx;
	OK(store_tx_begin(f->s, &tx, &err));
	OK(store_sighting_insert(tx, &sg, &err));
	OK(store_tx_commit(tx, &err));
	for (int round = 0; round < 2; round++) {
		sharing_free(f->sh);
		OK(sharing_open(f->s, f->ioc, &f->sh, &err));
		assert_int_equal(count_sighting_objects(f, &f->owner, amber), 2);
	}
	struct sharing_query q = {.collection = amber, .ids = sg.sid};
	char *json = NULL;
	size_t len;
	struct sharing_page page;
	OK(sharing_objects(f->sh, &f->owner, &q, SHARING_OBJECTS, &json, &len, &page, &err));
	assert_non_null(strstr(json, "\"sighting_of_ref\":\"indicator--" ID1 "\""));
	assert_non_null(strstr(json, "\"count\":2"));
	/* TLP:AMBER+STRICT: who saw what is not passed on */
	assert_non_null(strstr(json, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"));
	free(json);
	free(amber);
}

/* The per-class cache: a hit only for the class and generation it was built
 * for; any change (here a collection) makes it a miss; a result built
 * before a change is not kept. */
static void test_cache(void **state)
{
	struct fx *f = *state;
	char owner[SHARING_CLASS_MAX], partner[SHARING_CLASS_MAX], pub[SHARING_CLASS_MAX];
	sharing_caller_class(&f->owner, owner);
	sharing_caller_class(&f->partner, partner);
	sharing_caller_class(&f->public, pub);
	assert_string_not_equal(owner, partner);
	assert_string_equal(pub, "public");
	char *text;
	size_t len;
	assert_int_equal(sharing_cache_get(f->sh, "m", owner, &text, &len), CRIX_ENOTFOUND);
	unsigned long gen = sharing_generation(f->sh);
	sharing_cache_put(f->sh, "m", owner, gen, "{\"a\":1}", 7);
	OK(sharing_cache_get(f->sh, "m", owner, &text, &len));
	assert_int_equal(len, 7);
	assert_string_equal(text, "{\"a\":1}");
	free(text);
	assert_int_equal(sharing_cache_get(f->sh, "m", partner, &text, &len), CRIX_ENOTFOUND);
	assert_int_equal(sharing_cache_get(f->sh, "other", owner, &text, &len), CRIX_ENOTFOUND);
	free(collection(f, "{\"title\":\"c\",\"tlp\":\"green\"}"));
	assert_true(sharing_generation(f->sh) != gen);
	assert_int_equal(sharing_cache_get(f->sh, "m", owner, &text, &len), CRIX_ENOTFOUND);
	/* built before the change: dropped */
	sharing_cache_put(f->sh, "m", owner, gen, "{\"a\":1}", 7);
	assert_int_equal(sharing_cache_get(f->sh, "m", owner, &text, &len), CRIX_ENOTFOUND);
	/* more classes than entries: the newest are kept */
	gen = sharing_generation(f->sh);
	for (int i = 0; i < SHARING_CACHE_ENTRIES + 10; i++) {
		char cls[32];
		snprintf(cls, sizeof cls, "c%d", i);
		sharing_cache_put(f->sh, "m", cls, gen, "x", 1);
	}
	OK(sharing_cache_get(f->sh, "m", "c265", &text, &len));
	free(text);
}

/* A revoked version of an indicator takes it out of lookups, for good (its
 * rows go from the store too), when its creator's organisation posts it; a
 * writer of another organisation may not revoke it. */
static void test_revoked(void **state)
{
	struct fx *f = *state;
	char spec[256];
	snprintf(spec, sizeof spec, "{\"title\":\"inbox\",\"tlp\":\"green\",\"writers\":[%lld]}",
	         (long long)f->partner_org);
	char *coll = collection(f, spec);
	json_decref(post(f, coll,
	                 "{\"objects\":[" IND(ID1, "[domain-name:value = 'revoke-me.com']",
	                                      "2024-01-01T00:00:00Z") "]}"));
	assert_int_equal(lookup(f, &f->other, "revoke-me.com"), 1);
	/* the partner writes a revoked version: not its indicator, still matched */
	struct crix_error err = {0};
	json_t *env = json_loads("{\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.1\","
	                         "\"id\":\"indicator--" ID1
	                         "\",\"created\":\"2024-01-01T00:00:00Z\",\"modified\":\"2024-02-"
	                         "01T00:00:00Z\","
	                         "\"valid_from\":\"2024-01-01T00:00:00Z\",\"pattern_type\":"
	                         "\"stix\",\"pattern\":"
	                         "\"[domain-name:value = 'revoke-me.com']\",\"revoked\":true}]}",
	                         0, NULL),
	       *status = NULL;
	assert_non_null(env);
	OK(sharing_add_objects(f->sh, &f->partner, coll, env, "test", &status, &err));
	json_decref(status);
	assert_int_equal(lookup(f, &f->other, "revoke-me.com"), 1);
	/* its owner revokes it: gone, and still gone after a restart */
	json_object_set_new(json_array_get(json_object_get(env, "objects"), 0), "modified",
	                    json_string("2024-03-01T00:00:00Z"));
	OK(sharing_add_objects(f->sh, &f->owner, coll, env, "test", &status, &err));
	assert_int_equal(json_integer_value(json_object_get(status, "success_count")), 1);
	json_decref(status);
	json_decref(env);
	assert_int_equal(lookup(f, &f->other, "revoke-me.com"), 0);
	assert_int_equal(lookup(f, &f->owner, "www.revoke-me.com"), 0);
	sharing_free(f->sh);
	OK(sharing_open(f->s, f->ioc, &f->sh, &err));
	assert_int_equal(lookup(f, &f->owner, "revoke-me.com"), 0);
	free(coll);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_collection_checks, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_objects_and_visibility, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_object_tlp_narrows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_taxii_versions_status_added_after, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_collection_told, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lookup_bounds, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sightings_parse, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sightings_add, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_sighting_objects, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_revoked, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
