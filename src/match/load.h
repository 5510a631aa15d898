/*
 * load.h - reading indicator lists and allow-lists into a match index.
 *
 * Formats: plain lists (one value per line, '#' comments, blank lines),
 * hosts files ("0.0.0.0 evil.example"), CSV (a column by number or header
 * name), JSON lines (a field), MISP warning lists, and STIX 2.1 bundles
 * (indicator patterns that are equality comparisons on ipv4-addr,
 * ipv6-addr, domain-name, url, email-addr and file hashes joined by OR;
 * every other pattern is counted as skipped with its reason).
 *
 * A value that is not a valid indicator is reported as "file:line: reason"
 * to diag and skipped, or ends the load with CRIX_EINVAL when strict.
 */
#ifndef CRIX_MATCH_LOAD_H
#define CRIX_MATCH_LOAD_H

#include <stdio.h>

#include "ioc/ioc.h"
#include "match/match.h"

enum match_format {
	MATCH_FMT_AUTO = 0, /* from the file name and first bytes */
	MATCH_FMT_PLAIN,
	MATCH_FMT_HOSTS,
	MATCH_FMT_CSV,
	MATCH_FMT_JSONL,
	MATCH_FMT_WARNINGLIST, /* MISP warning list JSON */
	MATCH_FMT_STIX         /* STIX 2.1 bundle JSON */
};

struct match_load_opts {
	enum match_format format;
	unsigned csv_column;    /* 1-based CSV column, or 0 */
	const char *csv_header; /* CSV column by header name, or NULL */
	const char *json_field; /* JSON lines: the field holding the value ("value" if NULL) */
	enum ioc_type type;     /* every value is of this type; IOC_NONE: detect per value */
	bool strict;            /* a bad value ends the load */
	bool refang;            /* values may be defanged ("evil[.]com") */
	const char *tlp;        /* TLP of the source, or NULL */
	const char *tags;       /* tags of the source, or NULL */
	FILE *diag;             /* where "file:line: reason" goes; NULL: nowhere */
	size_t max_diag;        /* stop printing after this many (0: 20) */
	/* Parse plain lists, hosts files, CSV and JSON lines with this many
	 * threads (0 or 1: the calling thread alone).  The index, counters,
	 * diagnostics and errors are the same as with one thread: the file
	 * is cut on line (CSV: record) boundaries and the parsed values are
	 * added in file order. */
	unsigned threads;
	size_t chunk_bytes; /* bytes per parsed piece (0: 1 MiB); tests make it small */
};

struct match_load_stats {
	size_t records;        /* values read (lines, rows, patterns, list entries) */
	size_t added;          /* indicators added */
	size_t duplicates;     /* same value from the same source again */
	size_t allowed;        /* refused because the allow-list holds them */
	size_t invalid;        /* not a valid indicator */
	size_t skipped;        /* understood but not usable (e.g. a STIX pattern with AND) */
	char skip_reason[128]; /* the first skip's reason */
};

/* Loads indicators from path ("-" is standard input) into ix. */
int match_load_file(struct match_index *ix, const struct ioc_ctx *ctx, const char *path,
                    const struct match_load_opts *o, struct match_load_stats *st,
                    struct crix_error *err);

/*
 * Loads an allow-list (a MISP warning list or a plain list) from path:
 * every value becomes match_index_allow.  OUT: st->allowed counts the
 * indicators the list removed from ix; warning-list entries of kinds that
 * cannot be applied exactly (substring, regex) count as skipped.
 */
int match_load_allow_file(struct match_index *ix, const struct ioc_ctx *ctx, const char *path,
                          const struct match_load_opts *o, struct match_load_stats *st,
                          struct crix_error *err);

/* The format a path most likely has (by extension and first bytes). */
enum match_format match_guess_format(const char *path, const char *head, size_t n);

/*
 * The values of a STIX 2.1 indicator pattern crix can use: equality (or, for
 * addresses, ISSUBSET) comparisons on ipv4-addr, ipv6-addr, domain-name, url,
 * email-addr and file hashes, joined by OR.  Calls fn once per comparison
 * with the pattern's type and its unescaped (not yet canonical) value.
 * Returns 0; 1 when the pattern is not usable, with the reason in why;
 * CRIX_ENOMEM; or fn's non-zero return.
 */
typedef int (*match_pattern_fn)(void *arg, enum ioc_type type, const char *value, size_t len);
int match_stix_pattern(const char *pattern, size_t len, match_pattern_fn fn, void *arg, char *why,
                       size_t why_cap);

#endif
