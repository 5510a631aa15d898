/*
 * fuzz_taxii_query.c - libFuzzer target for the TAXII 2.1 query values
 * crix parses itself (src/share/sharing.c): match[version]
 * (sharing_versions_parse) and added_after (sharing_taxii_time).
 *
 * Input: any bytes; up to the first newline is the match[version] value,
 * the rest the added_after value (each up to its first NUL, as a query
 * string value arrives).
 *
 * Checked, with abort() on a violation:
 *   - match[version]: a failure names match[version] with a message; a
 *     success has mode 1 only for "last", -1 only for "first", 0 exactly
 *     for "all", else 2 with the input a list of more than one item or one
 *     timestamp;
 *   - added_after: a failure names added_after with a message and leaves
 *     out empty; a success is "YYYY-MM-DDTHH:MM:SS.ffffffZ" (27 bytes,
 *     digits where digits go), normalising it again gives it back, and it
 *     is the same instant (clock_parse_iso_us, sharing_versions_listed).
 */
#include "share/sharing.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void take(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	while (k < n && k + 1 < cap && p[k] != '\0') {
		out[k] = (char)p[k];
		k++;
	}
	out[k] = '\0';
}

static void check_versions(const char *v)
{
	struct sharing_versions vs;
	struct crix_error err = {0};
	if (sharing_versions_parse(v, &vs, &err) != 0) {
		if (strcmp(err.field, "match[version]") != 0 || err.msg[0] == '\0')
			abort();
		return;
	}
	if ((vs.mode == 1) != (strcmp(v, "last") == 0) ||
	    (vs.mode == -1) != (strcmp(v, "first") == 0) ||
	    (vs.mode == 0) != (strcmp(v, "all") == 0))
		abort();
	if (vs.mode == 2 && strchr(v, ',') == NULL && (vs.first || vs.last))
		abort();
	if (vs.mode < -1 || vs.mode > 2)
		abort();
}

static bool taxii_ts(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	if (strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	return true;
}

static void check_time(const char *s)
{
	char out[CLOCK_ISO_LEN], again[CLOCK_ISO_LEN];
	struct crix_error err = {0};
	if (sharing_taxii_time(s, "added_after", out, &err) != 0) {
		if (strcmp(err.field, "added_after") != 0 || err.msg[0] == '\0' || out[0] != '\0')
			abort();
		return;
	}
	if (!taxii_ts(out))
		abort();
	struct crix_error e2 = {0};
	if (sharing_taxii_time(out, "added_after", again, &e2) != 0 || strcmp(out, again) != 0)
		abort();
	/* the normal form names the same instant, as match[version] compares */
	int64_t us = clock_parse_iso_us(s);
	if (us < 0 || clock_parse_iso_us(out) != us || !sharing_versions_listed(out, us))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n1 = nl ? (size_t)(nl - data) : size;
	char v[512], t[512];
	take(data, n1, v, sizeof v);
	take(nl ? nl + 1 : data + size, nl ? size - n1 - 1 : 0, t, sizeof t);
	check_versions(v);
	check_time(t);
	return 0;
}
