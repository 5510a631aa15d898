/*
 * match.h - the in-memory indicator index, and the scanner that finds its
 * indicators in logs and other text.
 *
 * The index holds canonical indicators (src/ioc) with where each came from,
 * and answers four kinds of question:
 *   - exact: IPs, hashes, e-mails, URLs, phones, IBANs, wallets, ...;
 *   - longest-prefix: an IPv4/IPv6 address against CIDR indicators;
 *   - domain suffix: a host against domain indicators ("evil.example"
 *     matches "evil.example" and "www.evil.example", never
 *     "notevil.example");
 *   - URLs by canonical form, and a URL's host also as a host.
 * Where several indicators cover a value (a /16 and a /24, "evil.example"
 * and "www.evil.example"), the most specific one is reported, with every
 * source that listed it.
 *
 * Concurrency: any number of threads may look up and scan while one thread
 * adds indicators; an internal read-write lock makes additions visible to
 * lookups that start after match_index_add returns.
 *
 * Ownership: the index owns copies of everything added to it.  Hits point
 * into the index and are valid until the callback returns.
 */
#ifndef CRIX_MATCH_H
#define CRIX_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ioc/ioc.h"
#include "util/err.h"

struct match_index;

/* Where a set of indicators came from: a file, a list, a feed. */
struct match_source {
	const char *name; /* file path or list name */
	const char *tlp;  /* "clear", "green", "amber", "amber+strict", "red", or NULL */
	const char *tags; /* comma-separated, or NULL */
};

/* One indicator that matched. */
struct match_hit {
	enum ioc_type type;    /* the indicator's type (cidr4 for a CIDR hit) */
	const char *indicator; /* canonical value, NUL-terminated */
	size_t indicator_len;
	uint32_t source; /* see match_index_source */
	uint64_t line;   /* line in the source file, or the record id */
};

/* Called per hit; a non-zero return stops the lookup or scan. */
typedef int (*match_hit_fn)(void *arg, const struct match_hit *hit);

/* OUT: *out, an empty index.  Free with match_index_free. */
int match_index_new(struct match_index **out, struct crix_error *err);
void match_index_free(struct match_index *ix);

/* Registers a source; OUT: *id for match_index_add. */
int match_index_add_source(struct match_index *ix, const struct match_source *src, uint32_t *id,
                           struct crix_error *err);
/* The source registered under id, or NULL.  Valid while ix lives. */
const struct match_source *match_index_source(const struct match_index *ix, uint32_t id);

/*
 * Adds one canonical indicator (as produced by ioc_parse) from source at
 * line.  The same value from the same source is stored once; from another
 * source it is stored again, so that a hit names every source.  Values on
 * the allow-list are not added (OUT: *allowed is set to true then).
 */
int match_index_add(struct match_index *ix, const struct ioc_value *v, uint32_t source,
                    uint64_t line, bool *allowed, struct crix_error *err);

/*
 * Faults in, without changing them, the pages that adding values will write
 * at random or in order (the slots and Bloom filter of a reserved index, its
 * reserved entries), so that the thread adding does not wait for the kernel
 * to zero them: for a thread of its own while others parse a list.  It
 * does not lock out adds; where the kernel cannot, it does nothing.
 */
void match_index_prefault(struct match_index *ix);

/* What match_index_add_many works out from a value before it takes the
 * lock (match_prepare): made by the threads that parse a list, it is work
 * taken off the one thread that adds. */
struct match_prep {
	uint64_t h;     /* hash of (type, key) */
	uint64_t uh;    /* a URL's host hash, 0 for other types */
	uint64_t th;    /* hash of the last label of its host (domain, URL, e-mail), or 0 */
	uint8_t keylen; /* > 0: key is the binary key (addresses, networks); 0: the text */
	unsigned char key[17];
};

/* Fills p for the canonical value v; -1 when v is not canonical (then
 * match_index_add_many refuses it as it would without p). */
int match_prepare(const struct ioc_value *v, struct match_prep *p);

/* Starts loading the words of the index that adding a value of type with
 * prep p will touch (its slot, its word of the filter, its URL host's, an
 * address's /24 bitmaps): for a caller that knows the values well before it
 * adds them (a threaded load replaying parsed pieces).  It never faults nor
 * changes anything, and the caller need not hold the lock. */
void match_index_prefetch_add(const struct match_index *ix, enum ioc_type type,
                              const struct match_prep *p);

/* One value of match_index_add_many. */
struct match_add {
	const struct ioc_value *v; /* canonical */
	uint32_t source;
	uint64_t line;
	int result;                    /* OUT: MATCH_ADDED, MATCH_DUPLICATE or MATCH_ALLOWED */
	const struct match_prep *prep; /* match_prepare(v), or NULL: made here */
};
enum { MATCH_ADDED, MATCH_DUPLICATE, MATCH_ALLOWED };
#define MATCH_ADD_MAX 64

/*
 * Adds up to MATCH_ADD_MAX values at once, in order, as match_index_add
 * would one by one, but faster: the memory each will touch is loaded
 * together and the lock is taken once.  On an error, the values before the
 * one at fault are added.
 */
int match_index_add_many(struct match_index *ix, struct match_add *items, size_t n,
                         struct crix_error *err);

/*
 * Adds a known-benign value to the allow-list: an exact value, a CIDR (every
 * address inside it is benign), or a domain (it and its subdomains are).
 * Allow-listed values are refused by later match_index_add calls; values
 * already in the index are removed.  OUT: *removed, how many were.
 */
int match_index_allow(struct match_index *ix, const struct ioc_value *v, size_t *removed,
                      struct crix_error *err);

/* Removes every indicator that the allow-list covers through a network or a
 * parent domain (match_index_allow removes exact matches only, so that a
 * long allow-list costs one sweep, not one per entry).  OUT: *removed. */
void match_index_sweep_allowed(struct match_index *ix, size_t *removed);

/* Pre-sizes the tables for n indicators, to avoid rehashing while loading
 * (an empty index gets its filter too, kept up as values come). */
int match_index_reserve(struct match_index *ix, size_t n, struct crix_error *err);

/* Returns the spare capacity of the tables to the allocator and builds the
 * filter that keeps most failed lookups out of the table, when there is
 * none kept up already (the same filter): call it after a
 * bulk load (the loaders do), since growth by doubling leaves up to half,
 * and scans are fastest after it. */
void match_index_shrink(struct match_index *ix);
/* The same, building the filter with this many threads (the same filter). */
void match_index_shrink_threads(struct match_index *ix, unsigned threads);

struct match_stats {
	size_t indicators; /* entries stored (a value listed by 2 sources counts 2) */
	size_t by_type[IOC_TYPE_COUNT];
	size_t value_bytes; /* bytes of canonical values stored */
	size_t memory;      /* bytes the index holds in total */
	size_t allowed;     /* values refused or removed by the allow-list */
	size_t duplicates;  /* values added again by the same source */
};
void match_index_stats(struct match_index *ix, struct match_stats *st);

/*
 * Index files (indexfile.c): an index saved once and read back by later
 * runs instead of parsing its lists again.
 *
 * match_index_save writes ix (its indicators, allow-list, sources and
 * counts) to path durably: a temporary file of mode 0600 in the same
 * directory (indicator sets carry TLP:AMBER/RED data), synced, renamed over
 * path, and the directory synced.  Lookups may run meanwhile; additions
 * wait.  The same index always gives the same bytes.
 *
 * match_index_load_file reads such a file into a new index (OUT: *out, free
 * with match_index_free) that is like one built by adding the values: owned
 * memory, which later additions and allow-lists change as usual.  The file
 * is checked throughout before use: a damaged, truncated or hostile file is
 * refused with "PATH: bad index file: WHAT" (CRIX_EINVAL), one made by a
 * crix that hashes or lays out the index differently with "PATH: built by
 * an incompatible crix version" (CRIX_EINVAL); nothing is allocated beyond
 * what the file's size allows.
 */
int match_index_save(struct match_index *ix, const char *path, struct crix_error *err);
int match_index_load_file(const char *path, struct match_index **out, struct crix_error *err);

/*
 * Looks up one canonical value: exact for every type, plus CIDR for IPs,
 * suffix for domains, and the host for URLs and e-mail addresses.
 * Returns the callback's non-zero value, or 0.
 */
int match_lookup(struct match_index *ix, const struct ioc_value *v, match_hit_fn fn, void *arg);

/* One place in scanned text where an indicator matched. */
struct match_scan_hit {
	size_t offset; /* of the matched text in the scanned buffer */
	size_t len;    /* of the matched text */
	uint64_t line; /* newlines in the buffer before offset: the hit's line, from 0 */
	const struct match_hit *hit;
};

typedef int (*match_scan_fn)(void *arg, const struct match_scan_hit *h);

struct match_scan_opts {
	bool refang; /* undo defanging first; offsets still refer to the input */
	/* for internationalised names, URLs and the types only the extractor
	 * finds; NULL: match_scan makes one when it needs one (which loads the
	 * public suffix list: callers that scan many buffers pass theirs) */
	const struct ioc_ctx *ioc;
	/* OUT when not NULL and the scan ran to the end: the newlines in the
	 * buffer, counted by the scanner as it goes (callers that number lines
	 * over several buffers need not read them again) */
	uint64_t *newlines;
};

/*
 * Scans text[0..len) for tokens that could be indicators of the types the
 * index holds, canonicalises only those, and reports every hit in order of
 * offset.  Tokens are matched whole: "1.2.3.4" never matches inside
 * "11.2.3.45", "evil.com" never inside "notevil.com".
 */
int match_scan(struct match_index *ix, const char *text, size_t len,
               const struct match_scan_opts *opts, match_scan_fn fn, void *arg,
               struct crix_error *err);

#endif
