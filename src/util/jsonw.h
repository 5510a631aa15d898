/*
 * jsonw.h - writing JSON text to a stdio stream, fast, for line-oriented
 * output (crix extract, crix scan).  Strings are escaped per RFC 8259 and
 * invalid UTF-8 bytes are replaced by U+FFFD so the output is always valid.
 */
#ifndef CRIX_UTIL_JSONW_H
#define CRIX_UTIL_JSONW_H

#include <stddef.h>
#include <stdio.h>

/* Writes s[0..n) as a quoted JSON string. */
void jsonw_string(FILE *f, const char *s, size_t n);

#endif
