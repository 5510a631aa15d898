/*
 * indexfile.h - the layout of an index file (indexfile.c), for its reader
 * and writer and for the tests and fuzz target that craft damaged files.
 * Callers use match.h (match_index_save, match_index_load_file).
 */
#ifndef CRIX_MATCH_INDEXFILE_H
#define CRIX_MATCH_INDEXFILE_H

#include "match/match_int.h"

#include <stdint.h>

/* Bump when the layout of the file or of any array in it changes
 * (struct match_entry, the slot word, the filter's bits, the bitmaps). */
#define IXF_VERSION 1
#define IXF_MAGIC   "CRIXIDX" /* with its NUL, 8 bytes */
#define IXF_ENDIAN  0x01020304u
#define IXF_ALIGN   64
#define IXF_TYPES   32 /* room for the counts by type */
/* The longest run of words in use a file's slots (at most 3/4 full) and
 * TLD and URL host sets (at most 1/2) may have: each lookup that starts in
 * a run walks it.  The longest of a saved index is ~100 slots at 10M
 * indicators (0.6 full), about 450 expected at 3/4 full; a longer run is a
 * hostile file's (or keys chosen to collide), which would make a scan's
 * every lookup read up to 3/4 of the table. */
#define IXF_RUN_SLOTS 1024
#define IXF_RUN_SETS  256
/* A source string longer than this is not one crix wrote. */
#define IXF_STR_MAX (1u << 20)

_Static_assert(IOC_TYPE_COUNT <= IXF_TYPES, "by_type does not fit the header");
_Static_assert(sizeof(struct match_entry) == 20, "struct match_entry changed: bump IXF_VERSION");

/* The arrays of a store, in file order. */
enum ixf_sec {
	IXF_SEC_SLOTS,
	IXF_SEC_ENTRIES,
	IXF_SEC_ARENA,
	IXF_SEC_TLDS,
	IXF_SEC_URLHOSTS,
	IXF_SEC_V4ANY,
	IXF_SEC_V4MAP,
	IXF_SEC_V4NET,
	IXF_SEC_V4COVER,
	IXF_SEC_V4LEN, /* 9 of them: lengths 16..24 */
	IXF_SEC_BLOOM = IXF_SEC_V4LEN + 9,
	IXF_SEC_PER_STORE
};
#define IXF_SEC_SOURCES (2 * IXF_SEC_PER_STORE) /* main's, allow's, then the sources */
#define IXF_SEC_COUNT   (IXF_SEC_SOURCES + 1)

/* The scalars of a store (struct match_store); an absent table has mask 0. */
struct ixf_store {
	uint64_t mask, used, nentries, arena_len;
	uint64_t len4, len6[3];
	uint64_t types;
	uint64_t tld_mask, tld_used, uh_mask, uh_used;
	uint64_t bloom_mask;
};

/* Where a section is: 0 bytes (and offset 0) for an absent array. */
struct ixf_section {
	uint64_t off, bytes;
};

/* The file's first bytes.  Sections follow in the order of sec[], each at a
 * 64-byte-aligned offset after the one before. */
struct ixf_header {
	char magic[8];
	uint32_t version, endian;
	uint32_t header_bytes, entry_bytes;
	uint32_t type_count, nsections;
	uint64_t hash_check[4];
	uint64_t file_bytes;
	uint64_t nsources, nallowed, nduplicates;
	uint64_t by_type[IXF_TYPES];
	struct ixf_store store[2];
	struct ixf_section sec[IXF_SEC_COUNT];
};

/* For tests: files of at least this many bytes are read and checked by
 * two threads (default 64 MiB). */
extern uint64_t match_indexfile_par_bytes;

#endif
