/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (src/util/csv.c), which
 * reads bulk report files and indicator feeds.
 *
 * Input: the first byte selects the separator (bits 0-1: ',', ';', tab,
 * '|') and a small buffer size (bits 2-7: 0-63 bytes); the rest is the file.
 * The file is read twice, into the small buffer and into one large enough
 * for any record (the data plus a NUL per field).
 *
 * Checked, with abort() on a violation:
 *   - every call moves on: the reader ends after at most one call per byte
 *     plus one;
 *   - a record has 1 to CSV_FIELDS_MAX fields, each pointing into the buffer
 *     and NUL-terminated inside it; nothing is written after the buffer;
 *   - a bad record says why; line numbers never go down and never pass the
 *     number of line ends plus one;
 *   - with the large buffer no record is "too long", and a file without
 *     quotes, CRs or NULs whose records all have at most CSV_FIELDS_MAX
 *     fields comes back exactly: fields joined by the separator, records
 *     by LF.
 */
#include "util/csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char seps[4] = {',', ';', '\t', '|'};

static void fail(const char *what, size_t line)
{
	fprintf(stderr, "fuzz_csv: %s (record at line %zu)\n", what, line);
	abort();
}

/* Reads the whole file with a buffer of cap bytes.  rebuilt (when not NULL,
 * of len + 1 bytes) gets the records joined back; returns how many records
 * were bad. */
static size_t read_all(const char *file, size_t len, char sep, size_t cap, char *rebuilt,
                       size_t *rebuilt_len, size_t *too_long)
{
	size_t newlines = 0;
	for (size_t i = 0; i < len; i++)
		newlines += file[i] == '\n';
	/* a guard byte after the buffer */
	char *buf = malloc(cap + 1);
	if (buf == NULL)
		abort();
	buf[cap] = (char)0xa5;
	struct csv_reader r;
	csv_init(&r, file, len, sep);
	size_t bad = 0, last_line = 1, o = 0;
	*too_long = 0;
	for (size_t calls = 0;; calls++) {
		if (calls > len + 1)
			fail("the reader does not move on", r.line);
		struct csv_record rec;
		const char *why = NULL;
		int rc = csv_next(&r, &rec, buf, cap, &why);
		if (rc == 0)
			break;
		if (rec.line < last_line || rec.line > newlines + 1)
			fail("line number out of order or range", rec.line);
		last_line = rec.line;
		if (rc < 0) {
			if (why == NULL || why[0] == '\0')
				fail("a bad record without a reason", rec.line);
			*too_long += strcmp(why, "record too long") == 0;
			bad++;
			continue;
		}
		if (rc != 1 || rec.n < 1 || rec.n > CSV_FIELDS_MAX)
			fail("a record with a bad field count", rec.line);
		for (size_t i = 0; i < rec.n; i++) {
			if (rec.field[i] < buf || rec.field[i] >= buf + cap)
				fail("a field outside the buffer", rec.line);
			size_t room = (size_t)(buf + cap - rec.field[i]);
			const char *end = memchr(rec.field[i], '\0', room);
			if (end == NULL)
				fail("a field not terminated inside the buffer", rec.line);
			if (rebuilt != NULL) {
				size_t n = (size_t)(end - rec.field[i]);
				if (o + n + 1 > len + 1)
					fail("more text out than in", rec.line);
				if (i > 0)
					rebuilt[o++] = sep;
				memcpy(rebuilt + o, rec.field[i], n);
				o += n;
			}
		}
		if (rebuilt != NULL && o < len)
			rebuilt[o++] = '\n';
	}
	if ((unsigned char)buf[cap] != 0xa5)
		fail("written after the buffer", 0);
	free(buf);
	if (rebuilt_len != NULL)
		*rebuilt_len = o;
	return bad;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char sep = seps[data[0] & 3];
	size_t small = data[0] >> 2;
	size_t len = size - 1;
	/* an exact copy, so that a read past the end is caught */
	char *file = malloc(len > 0 ? len : 1);
	if (file == NULL)
		abort();
	memcpy(file, data + 1, len);

	size_t too_long;
	read_all(file, len, sep, small, NULL, NULL, &too_long);

	size_t big = len + CSV_FIELDS_MAX + 2;
	char *rebuilt = malloc(len + 1);
	size_t rebuilt_len = 0;
	if (rebuilt == NULL)
		abort();
	size_t bad = read_all(file, len, sep, big, rebuilt, &rebuilt_len, &too_long);
	if (too_long != 0)
		fail("a record too long for a buffer that holds the whole file", 0);
	/* NUL bytes are data inside a field, which the joined text cannot show */
	if (bad == 0 && memchr(file, '"', len) == NULL && memchr(file, '\r', len) == NULL &&
	    memchr(file, '\0', len) == NULL) {
		/* the last line end is optional */
		size_t want = len;
		if (want > 0 && file[want - 1] == '\n' && rebuilt_len == want - 1)
			want--;
		if (rebuilt_len != want || memcmp(rebuilt, file, want) != 0)
			fail("the records do not join back into the file", 0);
	}
	free(rebuilt);
	free(file);
	return 0;
}
