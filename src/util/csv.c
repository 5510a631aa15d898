#include "util/csv.h"

#include <stdbool.h>

void csv_init(struct csv_reader *r, const char *data, size_t len, char sep)
{
	r->p = data;
	r->end = data + len;
	r->line = 1;
	r->sep = sep;
}

/* Moves past the rest of a bad record (to the next line end outside quotes
 * is unknowable once the quoting is broken, so: the next line end). */
static void skip_line(struct csv_reader *r)
{
	while (r->p < r->end && *r->p != '\n')
		r->p++;
	if (r->p < r->end) {
		r->p++;
		r->line++;
	}
}

int csv_next(struct csv_reader *r, struct csv_record *rec, char *buf, size_t cap, const char **why)
{
	rec->n = 0;
	rec->line = r->line;
	if (r->p >= r->end)
		return 0;
	size_t o = 0;
	*why = NULL;
	for (;;) {
		if (rec->n == CSV_FIELDS_MAX) {
			*why = "more than 64 fields";
			skip_line(r);
			return -1;
		}
		if (o >= cap) {
			*why = "record too long";
			skip_line(r);
			return -1;
		}
		rec->field[rec->n++] = buf + o;
		if (r->p < r->end && *r->p == '"') {
			r->p++;
			for (;;) {
				if (r->p >= r->end) {
					*why = "a quoted field is not closed";
					return -1;
				}
				char c = *r->p++;
				if (c == '"') {
					if (r->p < r->end && *r->p == '"') {
						r->p++;
					} else {
						break;
					}
				}
				if (c == '\n')
					r->line++;
				if (o + 1 >= cap) {
					*why = "record too long";
					skip_line(r);
					return -1;
				}
				buf[o++] = c;
			}
			/* After the closing quote: a separator, a line end (LF, or CR
			 * LF), or the end of the data; a lone CR is text. */
			bool cr_end = r->p < r->end && *r->p == '\r' &&
			              (r->p + 1 == r->end || r->p[1] == '\n');
			if (r->p < r->end && *r->p != r->sep && *r->p != '\n' && !cr_end) {
				*why = "text after a closing quote";
				skip_line(r);
				return -1;
			}
		} else {
			while (r->p < r->end && *r->p != r->sep && *r->p != '\n') {
				if (*r->p == '\r' && (r->p + 1 == r->end || r->p[1] == '\n')) {
					r->p++;
					continue;
				}
				if (o + 1 >= cap) {
					*why = "record too long";
					skip_line(r);
					return -1;
				}
				buf[o++] = *r->p++;
			}
		}
		buf[o++] = '\0';
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p >= r->end)
			return 1;
		if (*r->p == '\n') {
			r->p++;
			r->line++;
			return 1;
		}
		r->p++; /* the separator */
	}
}
