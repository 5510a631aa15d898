/*
 * test_openapi.c - the OpenAPI document built into the binary
 * (docs/openapi.json, src/api/meta.c) describes exactly the routes the
 * server serves (src/api/routes.c): the same (method, path) pairs, each with
 * an operationId of its own and responses, every path parameter declared,
 * every error answer in the one shared error shape, every $ref resolving,
 * and the access rule, body and multipart flag of each route told the same
 * way as the route table has them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"

#define ERROR_SCHEMA "#/components/schemas/Error"

static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                      "options", "head", "patch", "trace"};
#define N_METHODS (sizeof methods / sizeof methods[0])

/* Problems found by a test, listed in its failure message. */
struct problems {
	char text[8192];
	size_t len;
	size_t n;
};

static void problem(struct problems *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct problems *p, const char *fmt, ...)
{
	p->n++;
	if (p->len >= sizeof p->text - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(p->text + p->len, sizeof p->text - p->len, fmt, ap);
	va_end(ap);
	if (w > 0)
		p->len += (size_t)w;
	if (p->len < sizeof p->text - 1)
		p->text[p->len++] = '\n';
	if (p->len >= sizeof p->text)
		p->len = sizeof p->text - 1;
	p->text[p->len] = '\0';
}

static void check_none(const struct problems *p, const char *what)
{
	if (p->n != 0)
		fail_msg("%zu %s:\n%s", p->n, what, p->text);
}

static int setup(void **state)
{
	json_error_t je;
	json_t *doc = json_loads(api_openapi_json, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL) {
		print_error("docs/openapi.json: line %d, column %d: %s\n", je.line, je.column,
		            je.text);
		return -1;
	}
	*state = doc;
	return 0;
}

static int teardown(void **state)
{
	json_decref(*state);
	return 0;
}

/* Resolves a local reference "#/a/b" (RFC 6901 escapes ~0 ~1); NULL if it
 * does not resolve. */
static json_t *resolve(json_t *doc, const char *ref)
{
	if (ref == NULL || ref[0] != '#')
		return NULL;
	json_t *cur = doc;
	const char *p = ref + 1;
	while (*p == '/' && cur != NULL) {
		p++;
		char key[256];
		size_t n = 0;
		while (*p != '\0' && *p != '/' && n < sizeof key - 1) {
			if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
				key[n++] = p[1] == '0' ? '~' : '/';
				p += 2;
			} else {
				key[n++] = *p++;
			}
		}
		key[n] = '\0';
		cur = json_is_object(cur) ? json_object_get(cur, key) : NULL;
	}
	return *p == '\0' ? cur : NULL;
}

/* The object itself, or what its "$ref" points to. */
static json_t *deref(json_t *doc, json_t *v)
{
	json_t *r = json_object_get(v, "$ref");
	return json_is_string(r) ? resolve(doc, json_string_value(r)) : v;
}

static void upper(const char *s, char *out, size_t cap)
{
	size_t i = 0;
	for (; s[i] != '\0' && i < cap - 1; i++)
		out[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
	out[i] = '\0';
}

static void lower(const char *s, char *out, size_t cap)
{
	size_t i = 0;
	for (; s[i] != '\0' && i < cap - 1; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[i] = '\0';
}

/* The route of a method and path, or NULL. */
static const struct http_route *route_of(const char *method, const char *path)
{
	for (const struct http_route *r = http_routes; r->method != NULL; r++)
		if (strcmp(r->method, method) == 0 && strcmp(r->pattern, path) == 0)
			return r;
	return NULL;
}

/* The operation of a route in the document, or NULL. */
static json_t *operation_of(json_t *doc, const struct http_route *r)
{
	char m[16];
	lower(r->method, m, sizeof m);
	return json_object_get(json_object_get(json_object_get(doc, "paths"), r->pattern), m);
}

/* Calls fn for every operation of the document. */
typedef void (*op_fn)(json_t *doc, const char *path, const char *method, json_t *item, json_t *op,
                      struct problems *p);

static void each_operation(json_t *doc, op_fn fn, struct problems *p)
{
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		for (size_t i = 0; i < N_METHODS; i++) {
			json_t *op = json_object_get(item, methods[i]);
			if (op != NULL)
				fn(doc, path, methods[i], item, op, p);
		}
	}
}

/* ---- the tests ---- */

static void test_is_openapi_3_1(void **state)
{
	json_t *doc = *state;
	assert_true(json_is_object(doc));
	const char *v = json_string_value(json_object_get(doc, "openapi"));
	assert_non_null(v);
	if (strncmp(v, "3.1", 3) != 0)
		fail_msg("openapi is \"%s\", not 3.1.x", v);
	assert_true(json_is_object(json_object_get(doc, "info")));
	assert_true(json_is_string(json_object_get(json_object_get(doc, "info"), "title")));
	assert_true(json_is_string(json_object_get(json_object_get(doc, "info"), "version")));
	assert_true(json_is_object(json_object_get(doc, "paths")));
}

static void collect_extra(json_t *doc, const char *path, const char *method, json_t *item,
                          json_t *op, struct problems *p)
{
	(void)doc;
	(void)item;
	(void)op;
	char m[16];
	upper(method, m, sizeof m);
	if (route_of(m, path) == NULL)
		problem(p, "extra in docs/openapi.json (no such route): %s %s", m, path);
}

/* The (method, path) pairs of the document are exactly those of the routes. */
static void test_paths_are_the_routes(void **state)
{
	json_t *doc = *state;
	struct problems p = {0};
	size_t n_routes = 0;
	for (const struct http_route *r = http_routes; r->method != NULL; r++) {
		n_routes++;
		if (operation_of(doc, r) == NULL)
			problem(&p, "missing from docs/openapi.json: %s %s", r->method, r->pattern);
		for (const struct http_route *q = http_routes; q < r; q++)
			if (strcmp(q->method, r->method) == 0 &&
			    strcmp(q->pattern, r->pattern) == 0)
				problem(&p, "route listed twice: %s %s", r->method, r->pattern);
	}
	assert_true(n_routes > 0);
	each_operation(doc, collect_extra, &p);
	check_none(&p, "differences between docs/openapi.json and http_routes");
}

/* The operationIds seen so far: id -> "method path". */
static json_t *seen_ids;

static void check_operation(json_t *doc, const char *path, const char *method, json_t *item,
                            json_t *op, struct problems *p)
{
	(void)doc;
	(void)item;
	json_t *ids = seen_ids;
	const char *id = json_string_value(json_object_get(op, "operationId"));
	if (id == NULL || id[0] == '\0') {
		problem(p, "%s %s: no operationId", method, path);
	} else if (json_object_get(ids, id) != NULL) {
		problem(p, "%s %s: operationId %s also names %s", method, path, id,
		        json_string_value(json_object_get(ids, id)));
	} else {
		char where[512];
		snprintf(where, sizeof where, "%s %s", method, path);
		json_object_set_new(ids, id, json_string(where));
	}
	json_t *rs = json_object_get(op, "responses");
	if (!json_is_object(rs) || json_object_size(rs) == 0)
		problem(p, "%s %s: no responses", method, path);
	bool ok2xx = false;
	const char *code;
	json_t *v;
	json_object_foreach(rs, code, v)
	{
		if (code[0] == '2')
			ok2xx = true;
	}
	if (!ok2xx)
		problem(p, "%s %s: no 2xx response", method, path);
	if (!json_is_string(json_object_get(op, "summary")))
		problem(p, "%s %s: no summary", method, path);
	if (!json_is_string(json_object_get(op, "description")))
		problem(p, "%s %s: no description", method, path);
	json_t *tags = json_object_get(op, "tags");
	if (!json_is_array(tags) || json_array_size(tags) == 0)
		problem(p, "%s %s: no tags", method, path);
}

/* Every operation has an operationId of its own, responses, a summary, a
 * description and tags. */
static void test_operations_complete(void **state)
{
	json_t *doc = *state;
	struct problems p = {0};
	seen_ids = json_object();
	each_operation(doc, check_operation, &p);
	json_decref(seen_ids);
	seen_ids = NULL;
	check_none(&p, "incomplete operations");
}

/* Adds the path parameters of a parameter list to a set: name -> 1. */
static void path_params(json_t *doc, json_t *list, json_t *set, const char *where,
                        struct problems *p)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		json_t *prm = deref(doc, v);
		if (prm == NULL) {
			problem(p, "%s: parameter %zu does not resolve", where, i);
			continue;
		}
		const char *in = json_string_value(json_object_get(prm, "in"));
		const char *name = json_string_value(json_object_get(prm, "name"));
		if (in == NULL || name == NULL) {
			problem(p, "%s: parameter %zu lacks in or name", where, i);
			continue;
		}
		if (strcmp(in, "path") != 0)
			continue;
		if (!json_is_true(json_object_get(prm, "required")))
			problem(p, "%s: path parameter %s is not required: true", where, name);
		json_object_set_new(set, name, json_true());
	}
}

static void check_path_params(json_t *doc, const char *path, const char *method, json_t *item,
                              json_t *op, struct problems *p)
{
	char where[512];
	snprintf(where, sizeof where, "%s %s", method, path);
	json_t *declared = json_object();
	path_params(doc, json_object_get(item, "parameters"), declared, where, p);
	path_params(doc, json_object_get(op, "parameters"), declared, where, p);
	json_t *in_template = json_object();
	for (const char *s = strchr(path, '{'); s != NULL; s = strchr(s + 1, '{')) {
		const char *e = strchr(s, '}');
		if (e == NULL) {
			problem(p, "%s: unclosed { in the template", where);
			break;
		}
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(e - s - 1), s + 1);
		json_object_set_new(in_template, name, json_true());
		if (json_object_get(declared, name) == NULL)
			problem(p, "%s: path parameter {%s} is not declared", where, name);
	}
	const char *k;
	json_t *v;
	json_object_foreach(declared, k, v)
	{
		if (json_object_get(in_template, k) == NULL)
			problem(p, "%s: declares path parameter %s that the template lacks", where,
			        k);
	}
	json_decref(declared);
	json_decref(in_template);
}

/* Every {x} of a path template is declared as a required path parameter,
 * and nothing else is. */
static void test_path_parameters_declared(void **state)
{
	struct problems p = {0};
	each_operation(*state, check_path_params, &p);
	check_none(&p, "path parameter problems");
}

/* An error response: its JSON schema is the shared error schema. */
static void check_error_response(json_t *doc, json_t *resp, const char *where, struct problems *p)
{
	json_t *r = deref(doc, resp);
	if (r == NULL) {
		problem(p, "%s: the response does not resolve", where);
		return;
	}
	json_t *content = json_object_get(r, "content");
	/* TAXII 2.1 answers its own error message under its own media type */
	json_t *taxii = json_object_get(content, "application/taxii+json;version=2.1");
	if (taxii != NULL && strstr(where, " /taxii2/") != NULL) {
		const char *tref = json_string_value(
		        json_object_get(json_object_get(taxii, "schema"), "$ref"));
		if (tref == NULL || strcmp(tref, "#/components/schemas/TaxiiError") != 0 ||
		    json_object_size(content) != 1)
			problem(p, "%s: TAXII errors are TaxiiError only", where);
		return;
	}
	json_t *schema = json_object_get(json_object_get(content, "application/json"), "schema");
	const char *ref = json_string_value(json_object_get(schema, "$ref"));
	if (ref == NULL || strcmp(ref, ERROR_SCHEMA) != 0)
		problem(p, "%s: not application/json with schema %s", where, ERROR_SCHEMA);
	else if (json_object_size(content) != 1)
		problem(p, "%s: error answers are JSON only", where);
}

static void check_errors(json_t *doc, const char *path, const char *method, json_t *item,
                         json_t *op, struct problems *p)
{
	(void)item;
	const char *code;
	json_t *v;
	json_object_foreach(json_object_get(op, "responses"), code, v)
	{
		if (code[0] != '4' && code[0] != '5')
			continue;
		char where[512];
		snprintf(where, sizeof where, "%s %s %s", method, path, code);
		check_error_response(doc, v, where, p);
	}
}

/* Every 4xx and 5xx answer, of the operations and of the shared responses,
 * is the one error shape; and that shape is {"error": {"code", "message",
 * "field"}}. */
static void test_errors_use_the_shared_shape(void **state)
{
	json_t *doc = *state;
	struct problems p = {0};
	json_t *err = resolve(doc, ERROR_SCHEMA);
	assert_non_null(err);
	json_t *inner = json_object_get(json_object_get(err, "properties"), "error");
	assert_non_null(inner);
	json_t *props = json_object_get(inner, "properties");
	assert_non_null(json_object_get(props, "code"));
	assert_non_null(json_object_get(props, "message"));
	assert_non_null(json_object_get(props, "field"));

	each_operation(doc, check_errors, &p);
	/* Shared responses named for an error: every one is the error shape too. */
	const char *name;
	json_t *v;
	json_object_foreach(json_object_get(json_object_get(doc, "components"), "responses"), name,
	                    v)
	{
		json_t *schema = json_object_get(
		        json_object_get(json_object_get(v, "content"), "application/json"),
		        "schema");
		const char *ref = json_string_value(json_object_get(schema, "$ref"));
		if (strncmp(name, "Taxii", 5) == 0) {
			/* TAXII error messages, only used under /taxii2/ (checked per route) */
			json_t *t = json_object_get(json_object_get(v, "content"),
			                            "application/taxii+json;version=2.1");
			ref = json_string_value(
			        json_object_get(json_object_get(t, "schema"), "$ref"));
			if (ref == NULL || strcmp(ref, "#/components/schemas/TaxiiError") != 0)
				problem(&p, "components/responses/%s: not a TAXII error", name);
			continue;
		}
		if (ref == NULL || strcmp(ref, ERROR_SCHEMA) != 0)
			problem(&p, "components/responses/%s: not the error shape", name);
	}
	check_none(&p, "error responses not in the shared shape");
}

/* Walks every "$ref" of the document. */
static void check_refs(json_t *doc, json_t *v, struct problems *p)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			if (strcmp(k, "$ref") == 0 && json_is_string(x)) {
				if (resolve(doc, json_string_value(x)) == NULL)
					problem(p, "$ref %s does not resolve",
					        json_string_value(x));
			} else {
				check_refs(doc, x, p);
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) check_refs(doc, x, p);
	}
}

static void test_refs_resolve(void **state)
{
	struct problems p = {0};
	check_refs(*state, *state, &p);
	check_none(&p, "unresolved references");
}

/* The document tells each route's rules as the route table has them: who
 * may call it (x-crix-access and security), whether it takes a body, and
 * whether that may be a multipart form; public routes document 429 and
 * signed-in ones 401. */
static void test_routes_rules_documented(void **state)
{
	json_t *doc = *state;
	struct problems p = {0};
	for (const struct http_route *r = http_routes; r->method != NULL; r++) {
		json_t *op = operation_of(doc, r);
		if (op == NULL)
			continue; /* reported by test_paths_are_the_routes */
		const char *want = r->access == HTTP_PUBLIC_OPEN ? "public-open"
		                   : r->access == HTTP_PUBLIC    ? "public"
		                                                 : "signed-in";
		const char *got = json_string_value(json_object_get(op, "x-crix-access"));
		if (got == NULL || strcmp(got, want) != 0)
			problem(&p, "%s %s: x-crix-access is %s, the route is %s", r->method,
			        r->pattern, got ? got : "missing", want);
		json_t *sec = json_object_get(op, "security");
		if (!json_is_array(sec))
			sec = json_object_get(doc, "security");
		bool anonymous = json_array_size(sec) == 0;
		size_t i;
		json_t *s;
		json_array_foreach(sec, i, s) anonymous |= json_object_size(s) == 0;
		if (anonymous != (r->access != HTTP_SIGNED_IN))
			problem(&p, "%s %s: security %s anonymous callers, the route %s", r->method,
			        r->pattern, anonymous ? "allows" : "refuses",
			        r->access != HTTP_SIGNED_IN ? "allows them" : "refuses them");
		json_t *rs = json_object_get(op, "responses");
		if (r->access == HTTP_PUBLIC && json_object_get(rs, "429") == NULL)
			problem(&p, "%s %s: a rate-limited public route without 429", r->method,
			        r->pattern);
		if (r->access == HTTP_SIGNED_IN && json_object_get(rs, "401") == NULL)
			problem(&p, "%s %s: a signed-in route without 401", r->method, r->pattern);
		json_t *body = deref(doc, json_object_get(op, "requestBody"));
		if (body != NULL && r->body_max == 0)
			problem(&p, "%s %s: documents a request body, the route takes none",
			        r->method, r->pattern);
		if (body != NULL && json_object_get(rs, "413") == NULL)
			problem(&p, "%s %s: takes a body but documents no 413", r->method,
			        r->pattern);
		bool mp = json_object_get(json_object_get(body, "content"),
		                          "multipart/form-data") != NULL;
		bool takes = (r->flags & HTTP_MULTIPART) != 0;
		if (mp != takes)
			problem(&p, "%s %s: multipart/form-data %s, the route %s", r->method,
			        r->pattern, mp ? "documented" : "not documented",
			        takes ? "takes it" : "refuses it");
	}
	check_none(&p, "routes whose rules the document tells otherwise");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_is_openapi_3_1),
	        cmocka_unit_test(test_paths_are_the_routes),
	        cmocka_unit_test(test_operations_complete),
	        cmocka_unit_test(test_path_parameters_declared),
	        cmocka_unit_test(test_errors_use_the_shared_shape),
	        cmocka_unit_test(test_refs_resolve),
	        cmocka_unit_test(test_routes_rules_documented),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
