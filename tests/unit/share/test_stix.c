/*
 * test_stix.c - crix indicators as STIX 2.1 objects (src/share/stix.c):
 * RFC 8785 canonical JSON, deterministic SCO ids (expected values computed
 * independently with Python's uuid5 over json.dumps(sort_keys=True)),
 * patterns and their escaping, the standard TLP 2.0 marking ids, the objects
 * of one indicator and types without a STIX object.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "share/stix.h"

static struct ioc_ctx *ctx;

static int setup(void **state)
{
	(void)state;
	struct crix_error err = {0};
	return ioc_ctx_new(&ctx, &err);
}

static struct ioc_value val(const char *s)
{
	struct ioc_value v;
	struct crix_error err = {0};
	assert_int_equal(ioc_guess(ctx, s, strlen(s), NULL, &v, &err), 0);
	return v;
}

static void producer(struct stix_producer *p, const char *org)
{
	struct crix_error err = {0};
	assert_int_equal(stix_producer_init(p, TLP_AMBER, org, "2024-05-01T12:00:00Z", &err), 0);
}

static void test_jcs(void **state)
{
	(void)state;
	struct crix_error err = {0};
	char out[256];
	size_t n;
	json_t *v = json_loads("{\"b\":[1,true,null],\"a\":\"\\u00e9\\n\\u0001\",\"\\u20ac\":{},"
	                       "\"\\ud83d\\ude00\":0}",
	                       0, NULL);
	assert_non_null(v);
	assert_int_equal(stix_jcs(v, out, sizeof out, &n, &err), 0);
	/* sorted by UTF-16 units: "a" < "b" < U+20AC < U+1F600 (surrogate D83D) */
	assert_string_equal(out, "{\"a\":\"\xc3\xa9\\n\\u0001\",\"b\":[1,true,null],"
	                         "\"\xe2\x82\xac\":{},\"\xf0\x9f\x98\x80\":0}");
	assert_int_equal(n, strlen(out));
	assert_int_equal(stix_jcs(v, out, 8, &n, &err), CRIX_ETOOBIG);
	json_decref(v);
	v = json_real(1.5);
	assert_int_equal(stix_jcs(v, out, sizeof out, &n, &err), CRIX_EINVAL);
	json_decref(v);
}

static void sco_id(const char *value, const char *want)
{
	struct stix_producer p;
	struct crix_error err = {0};
	char id[STIX_ID_MAX];
	struct ioc_value v = val(value);
	producer(&p, NULL);
	assert_int_equal(stix_sco(&p, &v, NULL, id, &err), 0);
	assert_string_equal(id, want);
}

static void test_sco_ids(void **state)
{
	(void)state;
	sco_id("198.51.100.7", "ipv4-addr--12592121-be4c-5a93-a813-5a5af16e50db");
	sco_id("evil.com", "domain-name--5d7b159c-1821-5595-b1f7-2213ba2674e6");
	sco_id("D41D8CD98F00B204E9800998ECF8427E", "file--02fff920-f614-527c-81d1-6353633a6d21");
	sco_id("https://www.evil.com/login?a=1", "url--2012c434-8f5d-50c2-9f9d-adc14a5ae19e");
}

static void pattern(const char *value, const char *want)
{
	struct crix_error err = {0};
	char out[STIX_PATTERN_MAX];
	struct ioc_value v = val(value);
	assert_int_equal(stix_pattern(&v, out, sizeof out, &err), 0);
	assert_string_equal(out, want);
}

static void test_patterns(void **state)
{
	(void)state;
	pattern("198.51.100.7", "[ipv4-addr:value = '198.51.100.7']");
	pattern("10.0.0.0/8", "[ipv4-addr:value ISSUBSET '10.0.0.0/8']");
	pattern("evil.com", "[domain-name:value = 'evil.com']");
	pattern("d41d8cd98f00b204e9800998ecf8427e",
	        "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']");
	char out[32];
	size_t n;
	struct crix_error err = {0};
	assert_int_equal(stix_pattern_quote("a'b\\c", 5, out, sizeof out, &n, &err), 0);
	assert_string_equal(out, "'a\\'b\\\\c'");
	assert_int_equal(stix_pattern_quote("abcdef", 6, out, 5, &n, &err), CRIX_ETOOBIG);
}

static void test_tlp_markings(void **state)
{
	(void)state;
	json_t *m = stix_tlp_marking(TLP_CLEAR);
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "id")),
	                    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487");
	json_decref(m);
	m = stix_tlp_marking(TLP_RED);
	assert_string_equal(json_string_value(json_object_get(m, "id")),
	                    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");
	json_decref(m);
}

static void test_objects(void **state)
{
	(void)state;
	struct stix_producer p;
	struct crix_error err = {0};
	json_t *objs = NULL;
	struct ioc_value v = val("evil.com");
	producer(&p, "Example CERT");
	assert_int_equal(stix_objects(&p, &v, &objs, &err), 0);
	assert_int_equal(json_array_size(objs), 3);
	json_t *ind = json_array_get(objs, 1);
	assert_string_equal(json_string_value(json_object_get(ind, "type")), "indicator");
	assert_string_equal(json_string_value(json_object_get(ind, "pattern")),
	                    "[domain-name:value = 'evil.com']");
	assert_string_equal(json_string_value(json_object_get(ind, "created_by_ref")),
	                    p.identity_id);
	assert_string_equal(
	        json_string_value(json_array_get(json_object_get(ind, "object_marking_refs"), 0)),
	        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421");
	/* the same indicator again: the same ids */
	json_t *again = NULL;
	assert_int_equal(stix_objects(&p, &v, &again, &err), 0);
	assert_true(json_equal(objs, again));
	json_decref(objs);
	json_decref(again);

	struct ioc_value phone = val("+44 20 7946 0958");
	assert_int_equal(stix_objects(&p, &phone, &objs, &err), CRIX_EINVAL);
	assert_null(stix_object_type(IOC_PHONE));
}

/* Organisations, reports and sightings: the producer's own organisation
 * keeps its identity id, sectors follow the kind (as data), a report needs
 * something to refer to and keeps its id across exports, a sighting's count
 * is capped at the schema's maximum and its lists are split. */
static void test_reports_orgs_sightings(void **state)
{
	(void)state;
	struct stix_producer p;
	struct crix_error err = {0};
	char id[STIX_ID_MAX], id2[STIX_ID_MAX];
	producer(&p, "Example CERT");
	static const struct {
		const char *kind, *sector; /* NULL: no sectors */
	} kinds[] = {
	        {"law-enforcement", "government-emergency-services"},
	        {"cert", "government-public-services"},
	        {"business", "commercial"},
	        {"public-sector", "government"},
	        {"ngo", "non-profit"},
	        {"martian", NULL},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		json_t *o = stix_org_identity(&p, "Some Org", kinds[i].kind, id, &err);
		assert_non_null(o);
		json_t *sec = json_object_get(o, "sectors");
		if (kinds[i].sector == NULL)
			assert_null(sec);
		else
			assert_string_equal(json_string_value(json_array_get(sec, 0)),
			                    kinds[i].sector);
		assert_string_equal(json_string_value(json_object_get(o, "created_by_ref")),
		                    p.identity_id);
		json_decref(o);
	}
	json_t *self = stix_org_identity(&p, "Example CERT", "cert", id, &err);
	assert_string_equal(id, p.identity_id);
	assert_null(json_object_get(self, "created_by_ref"));
	json_decref(self);

	json_t *refs = json_pack("[s]", "indicator--11111111-1111-4111-8111-111111111111");
	json_t *r = stix_report(&p, "CRX26AAAAAAAA1", "2026-01-01T00:00:00.000Z", "phishing",
	                        "crime report of phishing", refs, id, &err);
	assert_non_null(r);
	assert_string_equal(json_string_value(json_object_get(r, "type")), "report");
	assert_string_equal(
	        json_string_value(json_array_get(json_object_get(r, "report_types"), 0)),
	        "threat-report");
	assert_true(json_equal(json_object_get(r, "object_refs"), refs));
	json_t *r2 = stix_report(&p, "CRX26AAAAAAAA1", "2026-02-01T00:00:00.000Z", "", "", refs,
	                         id2, &err);
	assert_string_equal(id, id2);
	assert_null(json_object_get(r2, "labels"));
	json_decref(r);
	json_decref(r2);
	json_t *none = json_array();
	assert_null(stix_report(&p, "CRX26AAAAAAAA2", "2026-01-01T00:00:00.000Z", "", "", none, id,
	                        &err));
	assert_int_equal(err.code, CRIX_EINVAL);
	json_decref(none);
	json_decref(refs);

	json_t *s = stix_sighting(&p, "sighting--22222222-2222-4222-8222-222222222222",
	                          "indicator--11111111-1111-4111-8111-111111111111",
	                          "identity--33333333-3333-4333-8333-333333333333", 5000000000,
	                          "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z",
	                          "mail gateway",
	                          "observed-data--44444444-4444-4444-8444-444444444444,"
	                          "observed-data--55555555-5555-4555-8555-555555555555",
	                          &err);
	assert_non_null(s);
	assert_int_equal(json_integer_value(json_object_get(s, "count")), 999999999);
	assert_int_equal(json_array_size(json_object_get(s, "observed_data_refs")), 2);
	assert_string_equal(json_string_value(json_object_get(s, "description")), "mail gateway");
	json_decref(s);
	s = stix_sighting(&p, "sighting--22222222-2222-4222-8222-222222222222",
	                  "indicator--11111111-1111-4111-8111-111111111111", "", 1,
	                  "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "", "", &err);
	assert_null(json_object_get(s, "where_sighted_refs"));
	assert_null(json_object_get(s, "observed_data_refs"));
	assert_null(json_object_get(s, "description"));
	json_decref(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_jcs),      cmocka_unit_test(test_sco_ids),
	        cmocka_unit_test(test_patterns), cmocka_unit_test(test_tlp_markings),
	        cmocka_unit_test(test_objects),  cmocka_unit_test(test_reports_orgs_sightings),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
