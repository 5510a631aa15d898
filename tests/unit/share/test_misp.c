/*
 * test_misp.c - MISP events and feeds (src/share/misp.c).
 *
 * Reader: MISP events (as data: event JSON in, STIX patterns and counts out)
 * become one indicator per attribute of a known type with the attribute's
 * UUID as id, the event's TLP as marking, and one report naming them;
 * to_ids false, deleted, unknown types and bad values are counted.
 * Writer: a collection on a real store becomes one MISP event of the
 * indicators the caller may see (an object marked RED by its poster is not
 * in a colleague's event), with a manifest entry of the fields MISP reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "share/misp.h"
#include "unit/store/storefx.h"

#define OK(x) assert_int_equal((x), 0)

static struct ioc_ctx *ioc;

static const struct {
	const char *event;
	const char *patterns; /* the indicators' patterns, joined by '|' */
	const char *marking;  /* of the first indicator, or "" */
	size_t converted, not_ids, invalid, unsupported;
} cases[] = {
        {"{\"Event\":{\"uuid\":\"5f1e2a3b-0000-4000-8000-000000000001\",\"info\":\"phish\","
         "\"date\":\"2024-05-01\",\"timestamp\":\"1714564800\",\"Tag\":[{\"name\":\"tlp:green\"}],"
         "\"Attribute\":["
         "{\"uuid\":\"5f1e2a3b-0000-4000-8000-0000000000a1\",\"type\":\"ip-dst\","
         "\"value\":\"198.51.100.7\",\"to_ids\":true},"
         "{\"type\":\"domain|ip\",\"value\":\"Evil.Example.COM|2001:db8::1\",\"to_ids\":\"1\"},"
         "{\"type\":\"filename|sha256\",\"value\":\"a.exe|"
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"to_ids\":1},"
         "{\"type\":\"comment\",\"value\":\"hello\",\"to_ids\":false},"
         "{\"type\":\"url\",\"value\":\"http://x.example.com/a\",\"to_ids\":false},"
         "{\"type\":\"btc\",\"value\":\"1BoatSLRHtKNngkdXEeobR76b53LETtpyT\",\"to_ids\":true}],"
         "\"Object\":[{\"Attribute\":[{\"type\":\"email-src\",\"value\":\"a@evil.example.com\","
         "\"to_ids\":true},{\"type\":\"ip-src\",\"value\":\"not-an-ip\",\"to_ids\":true}]}]}}",
         "[ipv4-addr:value = '198.51.100.7']|"
         "[domain-name:value = 'evil.example.com'] OR [ipv6-addr:value = '2001:db8::1']|"
         "[file:hashes.'SHA-256' = "
         "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']|"
         "[email-addr:value = 'a@evil.example.com']",
         "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", 4, 1, 1, 2},
        /* the event object itself; distribution 0 without a tag: AMBER+STRICT */
        {"{\"info\":\"x\",\"distribution\":\"0\",\"Attribute\":[{\"type\":\"ip-src|port\","
         "\"value\":\"10.1.2.3|443\",\"to_ids\":true,\"deleted\":true},"
         "{\"type\":\"hostname\",\"value\":\"c2.example.net\",\"to_ids\":true}]}",
         "[domain-name:value = 'c2.example.net']",
         "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", 1, 1, 0, 0},
        /* no tag, shared: no marking, the collection's TLP applies */
        {"{\"Event\":{\"info\":\"y\",\"distribution\":\"3\",\"Attribute\":[{\"type\":\"md5\","
         "\"value\":\"D41D8CD98F00B204E9800998ECF8427E\",\"to_ids\":true}]}}",
         "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", "", 1, 0, 0, 0},
};

static void test_reader(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		json_t *doc = json_loads(cases[c].event, 0, NULL);
		assert_non_null(doc);
		json_t *objs = json_array();
		struct misp_stats st = {.unsupported = json_object()};
		struct crix_error err = {0};
		OK(misp_event_to_stix(ioc, doc, objs, &st, &err));
		char got[2048] = "";
		size_t i, n = 0;
		json_t *o;
		const char *marking = "";
		json_array_foreach(objs, i, o)
		{
			const char *type = json_string_value(json_object_get(o, "type"));
			if (strcmp(type, "report") == 0) {
				assert_int_equal(i, json_array_size(objs) - 1); /* last */
				assert_int_equal(json_array_size(json_object_get(o, "object_refs")),
				                 n);
				continue;
			}
			assert_string_equal(type, "indicator");
			const char *m = json_string_value(
			        json_array_get(json_object_get(o, "object_marking_refs"), 0));
			if (n == 0 && m != NULL)
				marking = m;
			size_t k = strlen(got);
			snprintf(got + k, sizeof got - k, "%s%s", n++ ? "|" : "",
			         json_string_value(json_object_get(o, "pattern")));
		}
		assert_string_equal(got, cases[c].patterns);
		assert_string_equal(marking, cases[c].marking);
		assert_int_equal(st.converted, cases[c].converted);
		assert_int_equal(st.not_ids, cases[c].not_ids);
		assert_int_equal(st.invalid, cases[c].invalid);
		size_t unsup = 0;
		const char *k;
		json_t *v;
		json_object_foreach(st.unsupported, k, v) unsup += (size_t)json_integer_value(v);
		assert_int_equal(unsup, cases[c].unsupported);
		if (c == 0) { /* the attribute's UUID is the indicator's */
			assert_string_equal(
			        json_string_value(json_object_get(json_array_get(objs, 0), "id")),
			        "indicator--5f1e2a3b-0000-4000-8000-0000000000a1");
			assert_string_equal(json_string_value(json_object_get(
			                            json_array_get(objs, 0), "created")),
			                    "2024-05-01T12:00:00.000Z");
		}
		json_decref(st.unsupported);
		json_decref(objs);
		json_decref(doc);
	}
}

static void test_reader_rejects(void **state)
{
	(void)state;
	const char *bad[] = {"[]", "{\"Event\":[]}", "{\"foo\":1}",
	                     "{\"Event\":{\"info\":\"x\",\"Attribute\":{}}}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *doc = json_loads(bad[i], JSON_DECODE_ANY, NULL);
		json_t *objs = json_array();
		struct misp_stats st = {0};
		struct crix_error err = {0};
		assert_int_equal(misp_event_to_stix(ioc, doc, objs, &st, &err), CRIX_EINVAL);
		assert_non_null(strstr(err.msg, "Event"));
		assert_int_equal(json_array_size(objs), 0);
		json_decref(objs);
		json_decref(doc);
	}
}

/* ---- the writer, on a real store ---- */

static void add_user(struct store *s, const char *org_name, const char *name, struct principal *p)
{
	struct crix_error err = {0};
	struct store_org o = {0};
	snprintf(o.name, sizeof o.name, "%s", org_name);
	snprintf(o.kind, sizeof o.kind, "cert");
	snprintf(o.country, sizeof o.country, "GB");
	snprintf(o.created, sizeof o.created, "2026-01-01T00:00:00.000Z");
	struct store_user u = {0};
	snprintf(u.username, sizeof u.username, "%s", name);
	snprintf(u.role, sizeof u.role, "analyst");
	snprintf(u.pw_hash, sizeof u.pw_hash, "x");
	snprintf(u.created, sizeof u.created, "2026-01-01T00:00:00.000Z");
	struct store_tx *tx;
	OK(store_tx_begin(s, &tx, &err));
	if (store_org_insert(tx, &o, &err) != 0) /* the organisation is there */
		o.id = 1;
	u.org_id = o.id;
	OK(store_user_insert(tx, &u, &err));
	OK(store_tx_commit(tx, &err));
	account_principal_user(p, &u, &o);
}

static void test_writer(void **state)
{
	(void)state;
	char *dir;
	struct store *s;
	struct sharing *sh;
	struct crix_error err = {0};
	assert_int_equal(storefx_open(&dir, &s), 0);
	struct principal owner, colleague;
	add_user(s, "CERT A", "owner1", &owner);
	add_user(s, "CERT A", "colleague1", &colleague);
	OK(sharing_open(s, ioc, &sh, &err));
	json_t *spec = json_pack("{ss ss}", "title", "phishing", "tlp", "amber"), *c;
	OK(sharing_collection_create(sh, &owner, spec, &c, &err));
	json_decref(spec);
	const char *id = json_string_value(json_object_get(c, "id"));
	json_t *env = json_loads(
	        "{\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":"
	        "\"indicator--11111111-1111-4111-8111-111111111111\",\"created\":"
	        "\"2024-05-01T00:00:00Z\",\"modified\":\"2024-05-02T00:00:00Z\",\"pattern_type\":"
	        "\"stix\",\"valid_from\":\"2024-05-01T00:00:00Z\",\"pattern\":\"[ipv4-addr:value = "
	        "'198.51.100.7'] OR [url:value = 'http://evil.example.com/a']\"},"
	        "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":"
	        "\"indicator--22222222-2222-4222-8222-222222222222\",\"created\":"
	        "\"2024-05-01T00:00:00Z\",\"modified\":\"2024-05-01T00:00:00Z\",\"pattern_type\":"
	        "\"stix\",\"valid_from\":\"2024-05-01T00:00:00Z\",\"object_marking_refs\":"
	        "[\"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1\"],\"pattern\":"
	        "\"[domain-name:value = 'red.example.com']\"},"
	        "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":"
	        "\"indicator--33333333-3333-4333-8333-333333333333\",\"created\":"
	        "\"2024-05-01T00:00:00Z\",\"modified\":\"2024-05-01T00:00:00Z\",\"pattern_type\":"
	        "\"stix\",\"valid_from\":\"2024-05-01T00:00:00Z\",\"pattern\":"
	        "\"[ipv4-addr:value = '10.0.0.1'] AND [ipv4-addr:value = '10.0.0.2']\"}]}",
	        0, NULL);
	json_t *status;
	OK(sharing_add_objects(sh, &owner, id, env, "test", &status, &err));
	json_decref(status);
	json_decref(env);

	json_t *ev;
	OK(misp_collection_event(sh, s, ioc, &owner, id, &ev, &err));
	json_t *e = json_object_get(ev, "Event");
	assert_string_equal(json_string_value(json_object_get(e, "uuid")), id);
	assert_string_equal(json_string_value(json_object_get(e, "info")), "phishing");
	assert_string_equal(json_string_value(json_object_get(
	                            json_array_get(json_object_get(e, "Tag"), 0), "name")),
	                    "tlp:amber");
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "Orgc"), "name")),
	                    "CERT A");
	json_t *attrs = json_object_get(e, "Attribute");
	assert_int_equal(json_array_size(attrs), 3); /* the AND pattern is not in it */
	const char *want[][2] = {{"ip-dst", "198.51.100.7"},
	                         {"url", "http://evil.example.com/a"},
	                         {"domain", "red.example.com"}};
	for (size_t i = 0; i < 3; i++) {
		json_t *a = json_array_get(attrs, i);
		assert_string_equal(json_string_value(json_object_get(a, "type")), want[i][0]);
		assert_string_equal(json_string_value(json_object_get(a, "value")), want[i][1]);
		assert_true(json_is_true(json_object_get(a, "to_ids")));
	}
	/* the RED object says so on its attribute */
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(json_array_get(attrs, 2), "Tag"), 0),
	                "name")),
	        "tlp:red");
	/* changed when its newest object arrived: now, not the objects' own times */
	assert_true(strtoll(json_string_value(json_object_get(e, "timestamp")), NULL, 10) >
	            1714608000);
	json_t *m = misp_manifest_entry(ev);
	const char *keys[] = {"info",     "Orgc", "Tag", "date", "analysis", "threat_level_id",
	                      "timestamp"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_non_null(json_object_get(m, keys[i]));
	json_decref(m);
	json_decref(ev);

	/* a colleague: RED was for its poster only */
	OK(misp_collection_event(sh, s, ioc, &colleague, id, &ev, &err));
	attrs = json_object_get(json_object_get(ev, "Event"), "Attribute");
	assert_int_equal(json_array_size(attrs), 2);
	json_decref(ev);
	json_t *man;
	OK(misp_manifest(sh, s, ioc, &colleague, &man, &err));
	assert_non_null(json_object_get(man, id));
	json_decref(man);

	/* the public: nothing */
	struct principal pub;
	account_principal_public(&pub);
	assert_int_equal(misp_collection_event(sh, s, ioc, &pub, id, &ev, &err), CRIX_ENOTFOUND);
	OK(misp_manifest(sh, s, ioc, &pub, &man, &err));
	assert_int_equal(json_object_size(man), 0);
	json_decref(man);

	json_decref(c);
	sharing_free(sh);
	storefx_close(dir, s);
}

static int setup(void **state)
{
	(void)state;
	struct crix_error err = {0};
	return ioc_ctx_new(&ioc, &err);
}

static int teardown(void **state)
{
	(void)state;
	ioc_ctx_free(ioc);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_reader),
	        cmocka_unit_test(test_reader_rejects),
	        cmocka_unit_test(test_writer),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
