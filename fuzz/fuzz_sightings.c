/*
 * fuzz_sightings.c - libFuzzer target for the sightings body parser
 * (sharing_sightings_parse, src/share/sharing.c: the body of POST
 * /api/v1/sightings).
 *
 * Input: any bytes, read as JSON (as the route reads them).
 *
 * Checked, with abort() on a violation:
 *   - a failure has a message and names a field ("sightings..." );
 *   - a success holds 1 to SHARING_SIGHTINGS_MAX sightings, each with
 *     exactly one of value and indicator, a count from 1 to the cap,
 *     last_seen not before first_seen, a where without control characters
 *     that fits its buffer, and observed-data ids only.
 */
#include "share/sharing.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (j == NULL)
		return 0;
	struct sharing_sighting_in *in = NULL;
	size_t n = 0;
	struct crix_error err = {0};
	int rc = sharing_sightings_parse(j, &in, &n, &err);
	if (rc != 0) {
		if (err.msg[0] == '\0' || strncmp(err.field, "sightings", 9) != 0 || in != NULL)
			abort();
		json_decref(j);
		return 0;
	}
	if (n == 0 || n > SHARING_SIGHTINGS_MAX)
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct sharing_sighting_in *s = &in[i];
		if ((s->value == NULL) == (s->indicator == NULL))
			abort();
		if (s->count < 1 || s->count > SHARING_SIGHTING_COUNT_MAX)
			abort();
		if (s->first_seen[0] == '\0' || strcmp(s->last_seen, s->first_seen) < 0)
			abort();
		if (memchr(s->place, '\0', sizeof s->place) == NULL)
			abort();
		for (const unsigned char *p = (const unsigned char *)s->place; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				abort();
		if (s->observed[0] != '\0' && strncmp(s->observed, "observed-data--", 15) != 0)
			abort();
	}
	free(in);
	json_decref(j);
	return 0;
}
