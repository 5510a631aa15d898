/*
 * facts.h - the statistics fact table: one packed row per report, held in
 * memory column by column (small integer codes for category, region,
 * channel, ...; the day; the loss and its currency; the flags), so that
 * statistics are a scan of a few arrays instead of a query of the store.
 *
 * Built from the store (facts_open) and, in the server, kept in step as
 * reports are submitted and change status (facts_put_report,
 * facts_set_status, called by model/report.c after each commit).  A change
 * that could not be applied (out of memory) marks the table stale and the
 * next reader rebuilds it from the store, so answers never drift from it.
 *
 * Threads: any number of readers (facts_read_begin/end) and writers; a
 * read-write lock inside.  Memory: about 80 bytes per report.
 */
#ifndef CRIX_MODEL_FACTS_H
#define CRIX_MODEL_FACTS_H

#include "store/store.h"

#include <stdint.h>

/* The coded columns. */
enum facts_col {
	FACTS_CATEGORY,
	FACTS_REGION,
	FACTS_COUNTRY,
	FACTS_VICTIM_TYPE,
	FACTS_CHANNEL,
	FACTS_PAYMENT,
	FACTS_KIND,
	FACTS_STATUS,
	FACTS_OUTCOME,
	FACTS_CURRENCY,
	FACTS_COLS
};

#define FACTS_NO_CODE UINT32_MAX /* a value the table has never seen */

struct facts;

/* A consistent, read-only view of the table while the read lock is held.
 * Row i is the report with the i-th smallest id. */
struct facts_view {
	size_t n;
	const int64_t *id;
	const int64_t *created_ms; /* milliseconds since the epoch, UTC */
	const int32_t *day;        /* days since 1970-01-01 */
	const int64_t *loss_minor; /* 0 when none */
	const int64_t *org_id;
	const uint8_t *vulnerable;
	const uint32_t *col[FACTS_COLS];
	uint32_t n_codes[FACTS_COLS]; /* codes of column c are 0..n_codes[c]-1 */
	int32_t day_min, day_max;     /* over every row; 0, -1 when empty */
	const struct facts *t;
};

/* Reads every report's facts from the store.  OUT: *out. */
int facts_open(struct store *s, struct facts **out, struct crix_error *err);
void facts_free(struct facts *t); /* NULL ok */

/* Adds a report (or replaces the row of the same id) after it was stored.
 * Returns 0 or a negative crix_err; on failure the table is marked stale. */
int facts_put(struct facts *t, const struct store_report_fact *f, struct crix_error *err);
int facts_put_report(struct facts *t, const struct store_report *r, struct crix_error *err);
/* A stored status change.  An unknown id marks the table stale. */
int facts_set_status(struct facts *t, int64_t id, const char *status, const char *outcome,
                     struct crix_error *err);
/* Marks the table for a rebuild from the store by its next reader. */
void facts_invalidate(struct facts *t);

/* Takes the read lock (rebuilding first when stale) and fills *v; every
 * successful call is paired with facts_read_end.  OUT: *v. */
int facts_read_begin(struct facts *t, struct facts_view *v, struct crix_error *err);
void facts_read_end(struct facts *t);

/* Under a view: the text of a code, and the code of a text (FACTS_NO_CODE
 * when absent). */
const char *facts_text(const struct facts_view *v, enum facts_col c, uint32_t code);
uint32_t facts_code(const struct facts_view *v, enum facts_col c, const char *text);

/* Milliseconds since the epoch of a canonical UTC time ("...T...Z"), as
 * clock_parse_iso writes it.  field names it in errors.  OUT: *ms. */
int facts_parse_ms(const char *iso, const char *field, int64_t *ms, struct crix_error *err);

#endif
