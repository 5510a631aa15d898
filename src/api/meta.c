/*
 * meta.c - health, metrics, the OpenAPI document and the offence catalogue.
 */
#include "api/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* docs/openapi.json, built in so that the binary describes itself wherever it
 * runs.  The assembler includes the file; a NUL ends it. */
__asm__(".section .rodata\n"
        ".global api_openapi_json\n"
        ".type api_openapi_json, @object\n"
        "api_openapi_json:\n"
        ".incbin \"docs/openapi.json\"\n"
        ".byte 0\n"
        ".previous\n");

void api_healthz(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	(void)rq;
	http_json(
	        rs, 200,
	        json_pack("{s:s,s:i}", "status", "ok", "schema", store_schema_version(app->store)));
}

void api_metrics(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	(void)rq;
	char *t = http_metrics_text(app);
	if (t == NULL) {
		http_error(rs, 503, "out of memory", NULL);
		return;
	}
	http_bytes(rs, 200, "text/plain; version=0.0.4", t, strlen(t));
	free(t);
}

void api_openapi(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	(void)app;
	(void)rq;
	http_bytes(rs, 200, "application/json", api_openapi_json, strlen(api_openapi_json));
}

void api_offences(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	(void)rq;
	http_json(rs, 200, catalogue_offences_json(app->cat));
}

int api_id(struct http_resp *rs, const char *s, const char *field, int64_t *out)
{
	char *end = NULL;
	errno = 0;
	long long v = s != NULL ? strtoll(s, &end, 10) : 0;
	/* ERANGE: strtoll clamps a too-long number to the largest id */
	if (s == NULL || *s == '\0' || *end != '\0' || v <= 0 || errno == ERANGE) {
		char m[96];
		snprintf(m, sizeof m, "%s: must be a positive whole number", field);
		http_error(rs, 400, m, field);
		return -1;
	}
	*out = v;
	return 0;
}

int api_limit(struct http_req *rq, struct http_resp *rs, size_t def, size_t max, size_t *out)
{
	const char *l = http_query(rq, "limit");
	*out = def;
	if (l == NULL)
		return 0;
	char *end;
	long v = strtol(l, &end, 10);
	if (*l == '\0' || *end != '\0' || v < 1 || (size_t)v > max) {
		char m[96];
		snprintf(m, sizeof m, "limit: a number from 1 to %zu", max);
		http_error(rs, 400, m, "limit");
		return -1;
	}
	*out = (size_t)v;
	return 0;
}
