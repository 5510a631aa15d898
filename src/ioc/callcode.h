/*
 * callcode.h - the country of a phone number from its E.164 calling code,
 * for the suspect's country in case work (docs/dissemination.md).
 *
 * The table is data/calling-codes.tsv, compiled in (scripts/callcodes-gen
 * writes callcode_rows.inc from it).  The longest prefix that matches wins:
 * "+1684..." is AS (American Samoa) although "+1" is listed too, and
 * "+441534..." is JE (Jersey) although "+44" is GB.  A prefix shared by
 * several countries for which the table has nothing longer answers them
 * all ("US/CA" for +1 outside the Caribbean and Pacific area codes, "RU/KZ"
 * for +7 outside 3, 4, 6, 7, 8, 9): ambiguous, never a guess.
 */
#ifndef CRIX_IOC_CALLCODE_H
#define CRIX_IOC_CALLCODE_H

#include <stdbool.h>
#include <stddef.h>

#define IOC_CALLCODE_PREFIX_MAX 8  /* digits of the longest prefix in the table */
#define IOC_CALLCODE_ISO_MAX    24 /* "GP/BL/MF" and room to spare, with the NUL */

struct ioc_callcode {
	char prefix[IOC_CALLCODE_PREFIX_MAX + 1]; /* the row that matched, digits only */
	char countries[IOC_CALLCODE_ISO_MAX];     /* "AS", or "US/CA" */
	bool ambiguous;                           /* more than one country */
};

/*
 * The country (or countries) of an E.164 number ("+16845551234"; the '+'
 * is optional; digits only after it).  OUT: *out.  Returns 0, or
 * CRIX_ENOTFOUND when no row matches (a non-geographic code such as +800,
 * or not a number), CRIX_EINVAL for text that is not "+digits".
 */
int ioc_callcode_country(const char *e164, struct ioc_callcode *out);

/* The table's rows, for tests: row i's prefix and countries (NULL past the end). */
const char *ioc_callcode_row(size_t i, const char **countries);

#endif
