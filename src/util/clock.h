/*
 * clock.h - wall-clock time as crix stores and shows it: ISO 8601 in UTC with
 * milliseconds ("2026-11-23T12:00:00.123Z"), which sorts as text, so the
 * store can compare times without a date type of its own.
 */
#ifndef CRIX_UTIL_CLOCK_H
#define CRIX_UTIL_CLOCK_H

#include "util/err.h"

#include <stdint.h>
#include <time.h>

#define CLOCK_ISO_LEN 32 /* bytes for a time string with its NUL */

/* OUT: out, the current time.  Returns out. */
char *clock_now_iso(char out[CLOCK_ISO_LEN]);

/* Formats t (seconds since the epoch) and ms.  Returns out. */
char *clock_format_iso(int64_t t, int ms, char out[CLOCK_ISO_LEN]);

/*
 * Parses a date ("2026-11-23") or a date and time ("2026-11-23T10:15",
 * "...T10:15:30", "...T10:15:30.5Z", "...+01:00") and writes its canonical UTC
 * form to out.  A date alone means its midnight UTC.  The field name goes into
 * the error message.  OUT: *t (seconds since the epoch), may be NULL.
 */
int clock_parse_iso(const char *s, const char *field, char out[CLOCK_ISO_LEN], int64_t *t,
                    struct crix_error *err);

/* Microseconds since the epoch of a time clock_parse_iso takes, its
 * fraction read to the microsecond (further digits dropped); -1 when s is
 * NULL or not such a time.  For ordering times given at different
 * precisions, which their text does not order. */
int64_t clock_parse_iso_us(const char *s);

/* Formats us (microseconds since the epoch, years 1970-9999) as
 * "YYYY-MM-DDTHH:MM:SS.ffffffZ", the TAXII timestamp.  Returns out. */
char *clock_format_iso_us(int64_t us, char out[CLOCK_ISO_LEN]);

/* Monotonic seconds, for latencies and rate limits. */
double clock_mono(void);

#endif
