/*
 * fuzz_misp.c - libFuzzer target for the MISP event reader
 * (misp_event_to_stix in src/share/misp.c).
 *
 * Input: a JSON document (anything json_loadb accepts is tried as an event).
 *
 * Checked, with abort() on a violation:
 *   - the result is 0, or CRIX_EINVAL with a message and no objects added;
 *   - every indicator made has a STIX pattern that crix's own pattern reader
 *     takes whole (what the import indexes is what it wrote), and an id of
 *     the form indicator--UUID;
 *   - converted counts the indicators, a report comes last and names them
 *     all, and nothing was counted twice (converted + not_ids + invalid +
 *     unsupported <= attributes).
 */
#include "match/load.h"
#include "share/misp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ioc_ctx *ioc;

static int any_value(void *arg, enum ioc_type type, const char *value, size_t len)
{
	(void)type;
	(void)value;
	(void)len;
	(*(size_t *)arg)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crix_error err = {0};
	if (ioc == NULL && ioc_ctx_new(&ioc, &err) != 0)
		abort();
	json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (doc == NULL)
		return 0;
	json_t *objs = json_array();
	struct misp_stats st = {.unsupported = json_object()};
	int rc = misp_event_to_stix(ioc, doc, objs, &st, &err);
	if (rc != 0 && (rc != CRIX_EINVAL || err.msg[0] == '\0' || json_array_size(objs) != 0))
		abort();
	size_t i, indicators = 0;
	json_t *o;
	json_array_foreach(objs, i, o)
	{
		const char *type = json_string_value(json_object_get(o, "type"));
		const char *id = json_string_value(json_object_get(o, "id"));
		if (type == NULL || id == NULL)
			abort();
		if (strcmp(type, "report") == 0) {
			if (i + 1 != json_array_size(objs) ||
			    json_array_size(json_object_get(o, "object_refs")) != indicators)
				abort();
			continue;
		}
		if (strcmp(type, "indicator") != 0 || strncmp(id, "indicator--", 11) != 0 ||
		    strlen(id) != 11 + 36)
			abort();
		const char *pat = json_string_value(json_object_get(o, "pattern"));
		char why[128];
		size_t n = 0;
		if (pat == NULL ||
		    match_stix_pattern(pat, strlen(pat), any_value, &n, why, sizeof why) != 0 ||
		    n == 0) {
			fprintf(stderr, "fuzz_misp: pattern not read back: %s (%s)\n",
			        pat ? pat : "", why);
			abort();
		}
		indicators++;
	}
	size_t unsup = 0;
	const char *k;
	json_t *v;
	json_object_foreach(st.unsupported, k, v) unsup += (size_t)json_integer_value(v);
	if (st.converted != indicators ||
	    st.converted + st.not_ids + st.invalid + unsup > st.attributes)
		abort();
	json_decref(st.unsupported);
	json_decref(objs);
	json_decref(doc);
	return 0;
}
