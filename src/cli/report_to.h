/*
 * report_to.h - `crix scan --report-to`: a scan's hits summed per indicator
 * and sent to a crix server as sightings (POST /api/v1/sightings), in
 * batches of at most 10,000.
 *
 * Times are kept simple: every sighting's first_seen is when the scan
 * started and its last_seen when it ended (log lines carry times in too
 * many formats to read them reliably).
 */
#ifndef CRIX_CLI_REPORT_TO_H
#define CRIX_CLI_REPORT_TO_H

#include "ioc/ioc.h"
#include "util/err.h"

#include <stddef.h>
#include <stdint.h>

#define REPORT_TO_BATCH 10000 /* sightings per request: the server's cap */

struct report_to;

/* url: the server's base URL ("https://crix.example"); token: an API token;
 * where: the sightings' "where" text (NULL: "crix scan").  OUT: *out. */
int report_to_new(const char *url, const char *token, const char *where, struct report_to **out,
                  struct crix_error *err);
void report_to_free(struct report_to *r); /* NULL ok */

/* Counts one hit of indicator (its canonical value) of type t.  Not thread
 * safe: scan.c calls it from the thread that writes hits in order. */
int report_to_add(struct report_to *r, enum ioc_type t, const char *indicator, size_t len);

/* How many distinct indicators were hit. */
size_t report_to_count(const struct report_to *r);

/*
 * Sends the sums as sightings seen between first and last (ISO times).
 * OUT: *stored, *unmatched (the server's counts, over every batch).  An
 * HTTP failure is CRIX_EIO with a message naming the URL, the status and
 * the server's error.
 */
int report_to_send(struct report_to *r, const char *first, const char *last, size_t *stored,
                   size_t *unmatched, struct crix_error *err);

#endif
