/*
 * casefacts.h - the fact table of case work, for statistics: one packed row
 * per case record (review, dissemination, outcome) with small integer codes
 * for its articles, categories, outcome and suspect, its time, and the case
 * id it was filed under, so that the Directive 2013/40/EU Art. 14 figures
 * (cases, disseminations, outcomes, persons prosecuted and convicted) are a
 * scan of arrays rather than a parse of every record's JSON.
 *
 * Built from the store's case records (casefacts_open) and, in the server,
 * kept in step by model/casework.c, which adds the row of each record right
 * after it commits (casefacts_put).  A row that cannot be added (out of
 * memory) marks the table stale and the next reader rebuilds it from the
 * store.  Any number of readers and writers: a read-write lock inside.
 */
#ifndef CRIX_MODEL_CASEFACTS_H
#define CRIX_MODEL_CASEFACTS_H

#include "store/store.h"

#include <jansson.h>

struct casefacts;

/* Reads every case record of the store.  OUT: *out (casefacts_free). */
int casefacts_open(struct store *s, struct casefacts **out, struct crix_error *err);
void casefacts_free(struct casefacts *t); /* NULL ok */

/* Adds the row of a stored record (its body is parsed once, here). */
int casefacts_put(struct casefacts *t, const struct store_case_record *r, struct crix_error *err);

/*
 * The figures, per group of up to two of article, category, month, year,
 * outcome (group_by "DIM[,DIM]", NULL or "" for one total): cases (distinct
 * case ids), reviews, disseminations, outcomes, prosecuted (distinct
 * suspects per case charged, convicted or acquitted) and convicted.  An
 * outcome with a legal_article counts under that text, every other record
 * under the case's articles; grouping by outcome counts outcomes only.
 * from/to: ISO 8601 bounds of the records' dates ("" or NULL for open).
 * min_cell: groups of fewer cases are suppressed and the total left out.
 * OUT: {"measure": "casework", "group_by", "rows", "total",
 * "suppressed_below"}.  Errors name the field (group_by, from, to).
 */
int casefacts_compute(struct casefacts *t, const char *group_by, const char *from, const char *to,
                      unsigned min_cell, json_t **out, struct crix_error *err);

#endif
