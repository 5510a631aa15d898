/*
 * callcode.c - longest-prefix lookup of E.164 calling codes (callcode.h).
 * The rows are sorted by prefix as text (the generator keeps the file's
 * order, which is sorted); a lookup tries each length from the longest the
 * number allows down to 1, by binary search, so it costs at most
 * IOC_CALLCODE_PREFIX_MAX searches of ~260 rows.
 */
#include "ioc/callcode.h"

#include "util/err.h"

#include <stdlib.h>
#include <string.h>

struct row {
	const char *prefix, *countries;
};

static const struct row rows[] = {
#include "ioc/callcode_rows.inc"
};

#define N_ROWS (sizeof rows / sizeof rows[0])

struct key {
	const char *digits;
	size_t n;
};

static int cmp_key(const void *k, const void *r)
{
	const struct key *key = k;
	const char *p = ((const struct row *)r)->prefix;
	size_t pn = strlen(p);
	int c = strncmp(key->digits, p, key->n < pn ? key->n : pn);
	if (c != 0)
		return c;
	return (key->n > pn) - (key->n < pn);
}

int ioc_callcode_country(const char *e164, struct ioc_callcode *out)
{
	memset(out, 0, sizeof *out);
	if (e164 == NULL)
		return CRIX_EINVAL;
	const char *d = e164[0] == '+' ? e164 + 1 : e164;
	size_t n = strlen(d);
	if (n == 0)
		return CRIX_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return CRIX_EINVAL;
	for (size_t len = n < IOC_CALLCODE_PREFIX_MAX ? n : IOC_CALLCODE_PREFIX_MAX; len > 0;
	     len--) {
		struct key k = {d, len};
		const struct row *r = bsearch(&k, rows, N_ROWS, sizeof rows[0], cmp_key);
		if (r == NULL)
			continue;
		memcpy(out->prefix, d, len);
		out->prefix[len] = '\0';
		size_t cn = strlen(r->countries);
		if (cn >= sizeof out->countries)
			cn = sizeof out->countries - 1; /* rows are checked by the unit test */
		memcpy(out->countries, r->countries, cn);
		out->ambiguous = strchr(r->countries, '/') != NULL;
		return 0;
	}
	return CRIX_ENOTFOUND;
}

const char *ioc_callcode_row(size_t i, const char **countries)
{
	if (i >= N_ROWS) {
		*countries = NULL;
		return NULL;
	}
	*countries = rows[i].countries;
	return rows[i].prefix;
}
