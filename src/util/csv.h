/*
 * csv.h - reading CSV records (RFC 4180: quoted fields, doubled quotes, line
 * breaks inside quotes, CRLF or LF) from a buffer, every field of a record at
 * once, with the line number where the record starts.
 */
#ifndef CRIX_UTIL_CSV_H
#define CRIX_UTIL_CSV_H

#include <stddef.h>

#define CSV_FIELDS_MAX 64

struct csv_reader {
	const char *p, *end;
	size_t line; /* the line the next record starts on (from 1) */
	char sep;
};

/* The record's fields point into buf (NUL-terminated each). */
struct csv_record {
	char *field[CSV_FIELDS_MAX];
	size_t n;
	size_t line;
};

void csv_init(struct csv_reader *r, const char *data, size_t len, char sep);

/*
 * Reads the next record into rec, unquoting into buf (cap bytes).  Returns 1
 * for a record, 0 at the end, -1 when the record is malformed (an unclosed
 * quote, text after a closing quote), holds more than CSV_FIELDS_MAX fields,
 * or does not fit buf; what went wrong is in *why, and the reader has moved
 * past the record.
 */
int csv_next(struct csv_reader *r, struct csv_record *rec, char *buf, size_t cap, const char **why);

#endif
