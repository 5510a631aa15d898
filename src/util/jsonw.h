/*
 * jsonw.h - writing JSON text fast, for line-oriented output (crix extract,
 * crix scan).  Strings are escaped per RFC 8259 and invalid UTF-8 bytes are
 * replaced by U+FFFD so the output is always valid JSON.
 */
#ifndef CRIX_UTIL_JSONW_H
#define CRIX_UTIL_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The most bytes jsonw_escape writes for n input bytes. */
#define JSONW_ESCAPED_MAX(n) (6 * (n))

/* Writes the escaped contents of s[0..n) (no quotes) to dst, which holds at
 * least JSONW_ESCAPED_MAX(n) bytes.  Returns the bytes written. */
size_t jsonw_escape(char *dst, const char *s, size_t n);

/* Writes s[0..n) as a quoted JSON string to a stdio stream. */
void jsonw_string(FILE *f, const char *s, size_t n);

/*
 * A write buffer on a file descriptor: output is copied into buf and written
 * out when full, without stdio's locking and formatting costs.  Errors are
 * sticky: the first failed write is remembered in err (an errno value) and
 * later calls do nothing.
 */
struct jsonw_out {
	int fd;
	char *buf;
	size_t len, cap;
	int err;
};

/* OUT: o, with a buffer of cap bytes (at least 16384).  Returns 0 or -1. */
int jsonw_out_init(struct jsonw_out *o, int fd, size_t cap);
/* The buffer is full: flush, or write s straight through when larger. */
void jsonw_out_put_slow(struct jsonw_out *o, const void *s, size_t n);
/* Inline: most pieces are a few bytes, and a call per piece shows up in
 * profiles of crix extract. */
static inline void jsonw_out_put(struct jsonw_out *o, const void *s, size_t n)
{
	if (n <= o->cap - o->len) {
		__builtin_memcpy(o->buf + o->len, s, n);
		o->len += n;
	} else {
		jsonw_out_put_slow(o, s, n);
	}
}
/* Inline so that the length of a literal is folded at compile time. */
static inline void jsonw_out_str(struct jsonw_out *o, const char *s)
{
	jsonw_out_put(o, s, __builtin_strlen(s));
}
void jsonw_out_u64(struct jsonw_out *o, uint64_t v);
/* A quoted, escaped JSON string. */
void jsonw_out_string(struct jsonw_out *o, const char *s, size_t n);
/* Writes out what is buffered.  Returns 0, or the errno of a failed write. */
int jsonw_out_flush(struct jsonw_out *o);
/* Frees the buffer (does not flush).  NULL accepted. */
void jsonw_out_free(struct jsonw_out *o);

#endif
