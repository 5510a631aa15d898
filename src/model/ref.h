/*
 * ref.h - crime reference numbers: "CRX" + two digits of the year + eight
 * random characters + one check character, e.g. "CRX26K7M2Q9XH8".
 *
 * All characters are from Crockford's base-32 alphabet (0-9 and A-Z without
 * I, L, O, U, so that no two look alike).  The check character is Damm's
 * algorithm over a totally anti-symmetric quasigroup of order 32 (see ref.c),
 * which detects every single mistyped character and every swap of two
 * adjacent characters, so a victim who types the number back with one of
 * those slips is told so instead of being shown someone else's report.
 */
#ifndef CRIX_MODEL_REF_H
#define CRIX_MODEL_REF_H

#include "util/err.h"

#define REF_LEN 14 /* characters, without the NUL */

/* OUT: out, a new reference for the given year (e.g. 2026). */
void ref_new(int year, char out[REF_LEN + 1]);

/* The check character for s[0..n) (digits and upper-case letters). */
char ref_check_char(const char *s, size_t n);

/*
 * Reads a reference as typed: case, spaces and hyphens do not matter.  Writes
 * the canonical form to out.  A wrong length, character or check character is
 * CRIX_EINVAL with a message for the person who typed it.
 */
int ref_parse(const char *in, char out[REF_LEN + 1], struct crix_error *err);

#endif
