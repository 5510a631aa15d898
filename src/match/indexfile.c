/*
 * indexfile.c - an index saved to a file and read back (match.h:
 * match_index_save, match_index_load_file), so that a run that scans logs
 * against the same lists as the last one skips parsing them.
 *
 * Layout (native byte order, little-endian in practice; a file written on a
 * machine of the other order is refused by its check word):
 *
 *   struct ixf_header   magic "CRIXIDX\0", format version, byte-order check,
 *                       the hashes of a few fixed keys (an index is only
 *                       usable by a crix whose match_hash gives the same
 *                       ones), entry size, the index's counts, each store's
 *                       scalars, and a table of sections {offset, bytes}
 *   sections            each array of both stores (main, allow-list) in the
 *                       order of enum ixf_sec, each at a 64-byte-aligned
 *                       offset, zero padding between; an absent array
 *                       (NULL in memory) has 0 bytes
 *   sources             per source three strings (name, tlp, tags), each a
 *                       uint32 length (UINT32_MAX: NULL), the bytes and a NUL
 *
 * Reading copies each array into memory allocated as the store allocates
 * it (match_table_alloc for the tables: huge pages), not a mapping of the
 * file: a mapped 10M index scanned 3x slower in a prototype, its 16 MB
 * filter and 128 MB of slots in 4 KiB pages of the page cache missing the
 * TLB.  The copy is an ordinary store: freed, grown and allow-listed as
 * any other.  Large files are read, and then checked, by two threads.
 *
 * Everything is checked before use, so that a corrupt or hostile file is
 * refused and never crashes, hangs or over-allocates a reader: sizes
 * against the file's before anything is allocated, masks, counts, every
 * slot's entry, the longest run of slots (and set words) in use, every
 * entry's type, key and text, chains (each entry's next is a later entry,
 * so no chain loops, of the same key, and all live or all removed), that
 * the allow-list covers each removed entry, sources.  What is left unchecked (the slots' hash
 * fragments, the filter's and bitmaps' bits, the length and type bits, which key sits where) can
 * only make lookups of a damaged file miss or probe more, each probe bounded by the run check,
 * never read out of bounds or loop.
 */
#include "match/indexfile.h"
#include "match/match_int.h"
#include "util/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const sec_name[IXF_SEC_PER_STORE] = {
        "slots",     "entries",   "arena",     "tlds",      "urlhosts",  "v4any",     "v4map",
        "v4net",     "v4cover",   "v4len[16]", "v4len[17]", "v4len[18]", "v4len[19]", "v4len[20]",
        "v4len[21]", "v4len[22]", "v4len[23]", "v4len[24]", "bloom"};

/* match_hash of fixed keys: a file whose hashes differ was built by a crix
 * whose slots, filter and hash sets this one would not find its keys in. */
static void hash_checks(uint64_t out[4])
{
	static const unsigned char v4[4] = {192, 0, 2, 1};
	static const unsigned char net[5] = {24, 198, 51, 100, 0};
	static const char dom[] = "evil.example.com";
	static const char url[] = "http://phish.example.net/login.php?a=1";
	out[0] = match_hash(IOC_IPV4, v4, sizeof v4);
	out[1] = match_hash(IOC_CIDR4, net, sizeof net);
	out[2] = match_hash(IOC_DOMAIN, dom, sizeof dom - 1);
	out[3] = match_hash(IOC_URL, url, sizeof url - 1);
}

/* The expected size of each array of st, and where it is in memory. */
static void store_arrays(const struct match_store *st, const void *ptr[IXF_SEC_PER_STORE],
                         uint64_t bytes[IXF_SEC_PER_STORE])
{
	ptr[IXF_SEC_SLOTS] = st->slots;
	bytes[IXF_SEC_SLOTS] = st->slots != NULL ? (uint64_t)(st->mask + 1) * 8 : 0;
	ptr[IXF_SEC_ENTRIES] = st->entries;
	bytes[IXF_SEC_ENTRIES] = (uint64_t)st->nentries * sizeof(struct match_entry);
	ptr[IXF_SEC_ARENA] = st->arena;
	bytes[IXF_SEC_ARENA] = st->arena_len;
	ptr[IXF_SEC_TLDS] = st->tlds;
	bytes[IXF_SEC_TLDS] = st->tlds != NULL ? (uint64_t)(st->tld_mask + 1) * 8 : 0;
	ptr[IXF_SEC_URLHOSTS] = st->urlhosts;
	bytes[IXF_SEC_URLHOSTS] = st->urlhosts != NULL ? (uint64_t)(st->uh_mask + 1) * 8 : 0;
	const uint64_t *maps[4] = {st->v4any, st->v4map, st->v4net, st->v4cover};
	for (int k = 0; k < 4; k++) {
		ptr[IXF_SEC_V4ANY + k] = maps[k];
		bytes[IXF_SEC_V4ANY + k] = maps[k] != NULL ? (uint64_t)MATCH_V4MAP_WORDS * 8 : 0;
	}
	for (unsigned l = 16; l <= 24; l++) {
		ptr[IXF_SEC_V4LEN + l - 16] = st->v4len[l - 16];
		bytes[IXF_SEC_V4LEN + l - 16] =
		        st->v4len[l - 16] != NULL ? ((uint64_t)1 << l) / 8 : 0;
	}
	ptr[IXF_SEC_BLOOM] = st->bloom;
	bytes[IXF_SEC_BLOOM] = st->bloom != NULL ? (uint64_t)(st->bloom_mask + 1) * 8 : 0;
}

/* ---- saving ---- */

static uint64_t align_up(uint64_t n)
{
	return (n + IXF_ALIGN - 1) & ~(uint64_t)(IXF_ALIGN - 1);
}

/* Appends one source string (NULL allowed) to the growing buffer. */
static int put_str(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	if (n >= IXF_STR_MAX)
		return -1;
	size_t need = *len + 4 + n + 1;
	if (need > *cap) {
		size_t c = *cap ? *cap : 4096;
		while (c < need)
			c *= 2;
		char *p = realloc(*buf, c);
		if (p == NULL)
			return -1;
		*buf = p;
		*cap = c;
	}
	uint32_t l = s != NULL ? (uint32_t)n : UINT32_MAX;
	memcpy(*buf + *len, &l, 4);
	if (n > 0)
		memcpy(*buf + *len + 4, s, n);
	(*buf)[*len + 4 + n] = '\0';
	*len = need;
	return 0;
}

int match_index_save(struct match_index *ix, const char *path, struct crix_error *err)
{
	crix_error_clear(err);
	size_t plen = strlen(path);
	if (plen == 0 || plen + 16 > PATH_MAX)
		return crix_error_set(err, CRIX_EINVAL, "%s: not a usable index file name", path);

	pthread_rwlock_rdlock(&ix->lock);
	struct ixf_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, IXF_MAGIC, 8);
	h.version = IXF_VERSION;
	h.endian = IXF_ENDIAN;
	h.header_bytes = sizeof h;
	h.entry_bytes = sizeof(struct match_entry);
	h.type_count = IOC_TYPE_COUNT;
	h.nsections = IXF_SEC_COUNT;
	hash_checks(h.hash_check);
	h.nsources = ix->nsources;
	h.nallowed = ix->nallowed;
	h.nduplicates = ix->nduplicates;
	for (int t = 0; t < IOC_TYPE_COUNT; t++)
		h.by_type[t] = ix->by_type[t];

	const void *ptr[IXF_SEC_COUNT];
	uint64_t end = sizeof h, off = align_up(end);
	for (int s = 0; s < 2; s++) {
		const struct match_store *st = s == 0 ? &ix->main : &ix->allow;
		struct ixf_store *fs = &h.store[s];
		*fs = (struct ixf_store){
		        .mask = st->slots != NULL ? st->mask : 0,
		        .used = st->used,
		        .nentries = st->nentries,
		        .arena_len = st->arena_len,
		        .len4 = st->len4,
		        .len6 = {st->len6[0], st->len6[1], st->len6[2]},
		        .types = st->types,
		        .tld_mask = st->tlds != NULL ? st->tld_mask : 0,
		        .tld_used = st->tld_used,
		        .uh_mask = st->urlhosts != NULL ? st->uh_mask : 0,
		        .uh_used = st->uh_used,
		        .bloom_mask = st->bloom != NULL ? st->bloom_mask : 0,
		};
		uint64_t bytes[IXF_SEC_PER_STORE];
		store_arrays(st, &ptr[s * IXF_SEC_PER_STORE], bytes);
		for (int k = 0; k < IXF_SEC_PER_STORE; k++) {
			struct ixf_section *sec = &h.sec[s * IXF_SEC_PER_STORE + k];
			sec->off = bytes[k] > 0 ? off : 0;
			sec->bytes = bytes[k];
			if (bytes[k] > 0) {
				end = off + bytes[k];
				off = align_up(end);
			}
		}
	}
	char *src = NULL;
	size_t src_len = 0, src_cap = 0;
	int rc = 0;
	for (size_t i = 0; i < ix->nsources && rc == 0; i++) {
		const struct match_source *so = ix->sources[i];
		if (put_str(&src, &src_len, &src_cap, so->name) != 0 ||
		    put_str(&src, &src_len, &src_cap, so->tlp) != 0 ||
		    put_str(&src, &src_len, &src_cap, so->tags) != 0)
			rc = crix_error_set(err, CRIX_ENOMEM, "%s: out of memory", path);
	}
	ptr[IXF_SEC_SOURCES] = src;
	h.sec[IXF_SEC_SOURCES] =
	        (struct ixf_section){.off = src_len > 0 ? off : 0, .bytes = src_len};
	h.file_bytes = src_len > 0 ? off + src_len : end;

	if (rc == 0) {
		/* the header, then each section after the zeros that align it */
		static const char zero[IXF_ALIGN];
		struct iovec iov[1 + 2 * IXF_SEC_COUNT];
		size_t niov = 0;
		uint64_t at = sizeof h;
		iov[niov++] = (struct iovec){.iov_base = &h, .iov_len = sizeof h};
		for (int k = 0; k < IXF_SEC_COUNT; k++) {
			if (h.sec[k].bytes == 0)
				continue;
			iov[niov++] = (struct iovec){.iov_base = (void *)(uintptr_t)zero,
			                             .iov_len = (size_t)(h.sec[k].off - at)};
			iov[niov++] = (struct iovec){.iov_base = (void *)(uintptr_t)ptr[k],
			                             .iov_len = (size_t)h.sec[k].bytes};
			at = h.sec[k].off + h.sec[k].bytes;
		}
		if (durable_replacev(path, iov, niov, 0600) != 0)
			rc = crix_error_set(err, CRIX_EIO, "%s: cannot write: %s", path,
			                    strerror(errno));
	}
	pthread_rwlock_unlock(&ix->lock);
	free(src);
	return rc;
}

/* ---- loading ---- */

/* A piece of a section: read into dst, then checked. */
struct piece {
	int sec; /* enum ixf_sec + IXF_SEC_PER_STORE * store */
	char *dst;
	uint64_t off, bytes; /* in the file */
	uint64_t first;      /* index of its first element in the section */
};

/* What the threads share. */
struct loadjob {
	int fd;
	const struct ixf_header *h;
	struct match_index *ix;
	struct piece *pieces;
	size_t npieces;
	atomic_size_t next;
	bool check; /* the second pass: check what was read */
};

/* What one thread found. */
struct loadpart {
	struct loadjob *job;
	uint64_t nonzero[2][3]; /* per store: used slots, tld and URL host set words */
	uint64_t live[IXF_TYPES];
	int bad;          /* 0; else the section at fault + 1 */
	const char *what; /* the check that failed */
	int ioerr;        /* errno of a failed read */
	bool short_read;  /* the file ended early */
};

/* Bytes per piece: read (and checked) while the part of it checked first
 * is still in the cache, and small enough to share between threads. */
#define PIECE_BYTES (2u << 20)
/* Below this, one thread reads and checks. */
uint64_t match_indexfile_par_bytes = 64u << 20;

/* The key length an entry of type t has: binary for addresses and
 * networks, 0 (the text is the key) for the rest. */
static unsigned key_len_of(unsigned t)
{
	switch (t) {
	case IOC_IPV4: return 4;
	case IOC_IPV6: return 16;
	case IOC_CIDR4: return 5;
	case IOC_CIDR6: return 17;
	default: return 0;
	}
}

/* Checks entries [first, first + n) of store s, in p.  Returns NULL or what
 * is wrong. */
static const char *check_entries(struct loadpart *lp, int s, const struct match_entry *e,
                                 uint64_t first, uint64_t n)
{
	const struct match_store *st = s == 0 ? &lp->job->ix->main : &lp->job->ix->allow;
	uint64_t nent = st->nentries, alen = st->arena_len, nsrc = lp->job->ix->nsources;
	for (uint64_t i = 0; i < n; i++, e++) {
		unsigned t = e->type & ~MATCH_DEAD;
		if (t <= IOC_NONE || t >= IOC_TYPE_COUNT)
			return "entry type";
		if (e->keylen != key_len_of(t))
			return "entry key length";
		if (e->textlen == 0 || e->textlen >= IOC_VALUE_MAX)
			return "entry text length";
		uint64_t end = (uint64_t)e->off + e->keylen + e->textlen;
		if (end >= alen || st->arena[end] != '\0')
			return "entry text (outside the arena or not NUL-terminated)";
		/* a network's prefix length bounds the allow-list's walks */
		if ((t == IOC_CIDR4 && (unsigned char)st->arena[e->off] > 32) ||
		    (t == IOC_CIDR6 && (unsigned char)st->arena[e->off] > 128))
			return "entry prefix length";
		/* entries are appended and chained to the last, so each next is
		 * later: no chain loops */
		if (e->next != MATCH_NONE && (e->next <= first + i || e->next >= nent))
			return "entry chain";
		/* a chain is one key: each entry a copy of the first (store_add_h)
		 * but for its source, line and removal, so that one of another key
		 * is never reported for this one, nor copied, type and all, by a
		 * value added to the chain (the counts by type would drift, and
		 * the index saved again be refused).  The entries were all read
		 * before any is checked. */
		if (e->next != MATCH_NONE) {
			const struct match_entry *nx = &st->entries[e->next];
			if (nx->off != e->off || nx->keylen != e->keylen ||
			    nx->textlen != e->textlen || (nx->type & ~MATCH_DEAD) != t)
				return "entry chain (of another key)";
			/* and all live or all removed, as the allow-list removes a
			 * key's whole chain and refuses its additions: a lookup
			 * reads the first entry only (match_store_find_h), not a
			 * chain of any length of removed entries */
			if ((nx->type ^ e->type) & MATCH_DEAD)
				return "entry chain (live and removed entries)";
		}
		if (s == 0) {
			if (e->source >= nsrc)
				return "entry source";
			if (!(e->type & MATCH_DEAD))
				lp->live[t]++;
		}
	}
	return NULL;
}

#define STR_(x) #x
#define STR(x)  STR_(x)
static const char run_slots[] =
        "a run of more than " STR(IXF_RUN_SLOTS) " slots in use (each lookup in it walks it)";
static const char run_words[] =
        "a run of more than " STR(IXF_RUN_SETS) " words in use (each lookup in it walks it)";

/* The words in use just before word at of the table t of n words (wrapping
 * past its start), counted up to limit + 1: the start of a run that goes
 * on in the piece at at. */
static uint64_t run_before(const uint64_t *t, uint64_t n, uint64_t at, uint64_t limit)
{
	uint64_t k = 0;
	while (k <= limit && k < n && t[(at + n - 1 - k) % n] != 0)
		k++;
	return k;
}

/* Reads and checks pieces until none is left. */
static void *load_worker(void *arg)
{
	struct loadpart *lp = arg;
	struct loadjob *j = lp->job;
	for (;;) {
		size_t k = atomic_fetch_add(&j->next, 1);
		if (k >= j->npieces || lp->bad != 0 || lp->ioerr != 0 || lp->short_read)
			return NULL;
		const struct piece *p = &j->pieces[k];
		if (!j->check) {
			uint64_t done = 0;
			while (done < p->bytes) {
				ssize_t r = pread(j->fd, p->dst + done, (size_t)(p->bytes - done),
				                  (off_t)(p->off + done));
				if (r < 0 && errno == EINTR)
					continue;
				if (r < 0) {
					lp->ioerr = errno;
					return NULL;
				}
				if (r == 0) {
					lp->short_read = true;
					return NULL;
				}
				done += (uint64_t)r;
			}
			continue;
		}
		int s = p->sec / IXF_SEC_PER_STORE, kind = p->sec % IXF_SEC_PER_STORE;
		const struct match_store *st = s == 0 ? &j->ix->main : &j->ix->allow;
		const char *what = NULL;
		if (kind == IXF_SEC_SLOTS || kind == IXF_SEC_TLDS || kind == IXF_SEC_URLHOSTS) {
			const uint64_t *w = (const uint64_t *)(const void *)p->dst;
			uint64_t n = p->bytes / 8, used = 0, bad = 0,
			         limit = kind == IXF_SEC_SLOTS ? IXF_RUN_SLOTS : IXF_RUN_SETS;
			uint64_t run = run_before(w - p->first, j->h->sec[p->sec].bytes / 8,
			                          p->first, limit);
			uint64_t longest = run;
			for (uint64_t i = 0; i < n; i++) {
				used += w[i] != 0;
				/* runs of words in use, each lookup's walk (the one that
				 * wraps past the end continues from run_before) */
				run = w[i] != 0 ? run + 1 : 0;
				longest = run > longest ? run : longest;
				/* a slot: an entry number + 1 in the low half */
				bad |= kind == IXF_SEC_SLOTS && w[i] != 0 &&
				       ((uint32_t)w[i] == 0 || (uint32_t)w[i] > st->nentries);
			}
			int set = kind == IXF_SEC_SLOTS ? 0 : kind == IXF_SEC_TLDS ? 1 : 2;
			lp->nonzero[s][set] += used;
			if (bad)
				what = "slot (entry number out of range)";
			else if (longest > limit)
				what = kind == IXF_SEC_SLOTS ? run_slots : run_words;
		} else if (kind == IXF_SEC_ENTRIES) {
			what = check_entries(lp, s,
			                     (const struct match_entry *)(const void *)p->dst,
			                     p->first, p->bytes / sizeof(struct match_entry));
		}
		if (what != NULL) {
			lp->bad = p->sec + 1;
			lp->what = what;
			return NULL;
		}
	}
}

/* Runs the job's pass with up to two threads (this one and another). */
static void run_pass(struct loadjob *j, struct loadpart parts[2], bool par)
{
	atomic_store(&j->next, 0);
	pthread_t th;
	bool started = par && pthread_create(&th, NULL, load_worker, &parts[1]) == 0;
	load_worker(&parts[0]);
	if (started)
		pthread_join(th, NULL);
}

static int bad_file(struct crix_error *err, const char *path, const char *what)
{
	return crix_error_set(err, CRIX_EINVAL, "%s: bad index file: %s", path, what);
}

static int bad_sec(struct crix_error *err, const char *path, int sec, const char *what)
{
	if (sec == IXF_SEC_SOURCES)
		return crix_error_set(err, CRIX_EINVAL, "%s: bad index file: sources: %s", path,
		                      what);
	return crix_error_set(err, CRIX_EINVAL, "%s: bad index file: %s %s: %s", path,
	                      sec < IXF_SEC_PER_STORE ? "main" : "allow-list",
	                      sec_name[sec % IXF_SEC_PER_STORE], what);
}

static bool pow2(uint64_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/*
 * Checks the header's scalars and sections against each other and the
 * file's size, so that what is allocated next is at most the file's size.
 * Returns 0 or the error.
 */
static int check_header(const struct ixf_header *h, uint64_t fsize, const char *path,
                        struct crix_error *err)
{
	if (memcmp(h->magic, IXF_MAGIC, 8) != 0)
		return bad_file(err, path, "not an index file (magic)");
	if (h->endian != IXF_ENDIAN)
		return crix_error_set(err, CRIX_EINVAL,
		                      "%s: built by an incompatible crix version (byte order)",
		                      path);
	uint64_t hc[4];
	hash_checks(hc);
	if (h->version != IXF_VERSION || h->header_bytes != sizeof *h ||
	    h->entry_bytes != sizeof(struct match_entry) || h->type_count != IOC_TYPE_COUNT ||
	    h->nsections != IXF_SEC_COUNT || memcmp(h->hash_check, hc, sizeof hc) != 0)
		return crix_error_set(err, CRIX_EINVAL,
		                      "%s: built by an incompatible crix version (format %u, this "
		                      "crix reads %u)",
		                      path, h->version, IXF_VERSION);
	if (h->file_bytes != fsize)
		return bad_file(err, path, "file size (truncated or extended)");
	for (int t = IOC_TYPE_COUNT; t < IXF_TYPES; t++)
		if (h->by_type[t] != 0)
			return bad_file(err, path, "counts by type");
	uint64_t prev_end = sizeof *h;
	for (int k = 0; k < IXF_SEC_COUNT; k++) {
		const struct ixf_section *sec = &h->sec[k];
		if (sec->bytes == 0) {
			if (sec->off != 0)
				return bad_sec(err, path, k, "offset of an empty section");
			continue;
		}
		/* in order, aligned, not overlapping, inside the file */
		if (sec->off % IXF_ALIGN != 0 || sec->off < prev_end || sec->off > fsize ||
		    sec->bytes > fsize - sec->off)
			return bad_sec(err, path, k, "offset or size");
		prev_end = sec->off + sec->bytes;
	}
	for (int s = 0; s < 2; s++) {
		const struct ixf_store *fs = &h->store[s];
		const struct ixf_section *sec = &h->sec[s * IXF_SEC_PER_STORE];
		int b = s * IXF_SEC_PER_STORE;
		if (sec[IXF_SEC_SLOTS].bytes == 0
		            ? fs->mask != 0 || fs->used != 0 || fs->nentries != 0
		            : !pow2(fs->mask + 1) || fs->mask + 1 < 2 ||
		                      sec[IXF_SEC_SLOTS].bytes / 8 != fs->mask + 1 ||
		                      sec[IXF_SEC_SLOTS].bytes % 8 != 0)
			return bad_sec(err, path, b + IXF_SEC_SLOTS, "size or mask");
		if (fs->nentries >= MATCH_NONE ||
		    sec[IXF_SEC_ENTRIES].bytes != fs->nentries * sizeof(struct match_entry))
			return bad_sec(err, path, b + IXF_SEC_ENTRIES, "count or size");
		/* at most 3/4 full, as the store keeps them: a probe finds an
		 * empty slot */
		if (fs->used > fs->nentries || fs->used * 4 > (fs->mask + 1) * 3)
			return bad_sec(err, path, b + IXF_SEC_SLOTS, "used count");
		if (fs->arena_len > UINT32_MAX || sec[IXF_SEC_ARENA].bytes != fs->arena_len)
			return bad_sec(err, path, b + IXF_SEC_ARENA, "size");
		uint64_t hm[2][3] = {{fs->tld_mask, fs->tld_used, IXF_SEC_TLDS},
		                     {fs->uh_mask, fs->uh_used, IXF_SEC_URLHOSTS}};
		for (int k = 0; k < 2; k++) {
			uint64_t bytes = sec[hm[k][2]].bytes;
			/* at most half full, as hset_add keeps them */
			if (bytes == 0 ? hm[k][0] != 0 || hm[k][1] != 0
			               : !pow2(hm[k][0] + 1) || hm[k][0] + 1 < 2 ||
			                         bytes % 8 != 0 || bytes / 8 != hm[k][0] + 1 ||
			                         hm[k][1] > (hm[k][0] + 1) / 2)
				return bad_sec(err, path, b + (int)hm[k][2],
				               "size, mask or used count");
		}
		for (int k = IXF_SEC_V4ANY; k <= IXF_SEC_V4COVER; k++)
			if (sec[k].bytes != 0 && sec[k].bytes != (uint64_t)MATCH_V4MAP_WORDS * 8)
				return bad_sec(err, path, b + k, "size");
		for (unsigned l = 16; l <= 24; l++)
			if (sec[IXF_SEC_V4LEN + l - 16].bytes != 0 &&
			    sec[IXF_SEC_V4LEN + l - 16].bytes != ((uint64_t)1 << l) / 8)
				return bad_sec(err, path, b + IXF_SEC_V4LEN + (int)l - 16, "size");
		uint64_t bw =
		        sec[IXF_SEC_SLOTS].bytes / 8 / 8 < 8 ? 8 : sec[IXF_SEC_SLOTS].bytes / 8 / 8;
		if (sec[IXF_SEC_BLOOM].bytes == 0
		            ? fs->bloom_mask != 0
		            : sec[IXF_SEC_SLOTS].bytes == 0 || sec[IXF_SEC_BLOOM].bytes != bw * 8 ||
		                      fs->bloom_mask != bw - 1)
			return bad_sec(err, path, b + IXF_SEC_BLOOM, "size or mask");
	}
	if (h->nsources > h->sec[IXF_SEC_SOURCES].bytes / 15 && h->nsources > 0)
		/* each source takes at least 3 lengths, a name and 3 NULs */
		return bad_sec(err, path, IXF_SEC_SOURCES, "count");
	if (h->nsources == 0 && h->sec[IXF_SEC_SOURCES].bytes != 0)
		return bad_sec(err, path, IXF_SEC_SOURCES, "size");
	return 0;
}

/* Allocates the arrays of store s of ix as the header gives them, and
 * queues their pieces.  Returns 0 or -1 (out of memory). */
static int store_alloc(struct match_store *st, const struct ixf_store *fs,
                       const struct ixf_section *sec, int s, struct piece *pieces, size_t *np)
{
	st->mask = (size_t)fs->mask;
	st->used = (size_t)fs->used;
	st->nentries = st->capentries = (size_t)fs->nentries;
	st->arena_len = st->arena_cap = (size_t)fs->arena_len;
	st->len4 = fs->len4;
	memcpy(st->len6, fs->len6, sizeof st->len6);
	st->types = (uint32_t)fs->types;
	st->tld_mask = (size_t)fs->tld_mask;
	st->tld_used = (size_t)fs->tld_used;
	st->uh_mask = (size_t)fs->uh_mask;
	st->uh_used = (size_t)fs->uh_used;
	st->bloom_mask = (size_t)fs->bloom_mask;
	char *dst[IXF_SEC_PER_STORE] = {0};
	uint64_t **tables[IXF_SEC_PER_STORE] = {
	        [IXF_SEC_SLOTS] = &st->slots,       [IXF_SEC_TLDS] = &st->tlds,
	        [IXF_SEC_URLHOSTS] = &st->urlhosts, [IXF_SEC_V4ANY] = &st->v4any,
	        [IXF_SEC_V4MAP] = &st->v4map,       [IXF_SEC_V4NET] = &st->v4net,
	        [IXF_SEC_V4COVER] = &st->v4cover,   [IXF_SEC_BLOOM] = &st->bloom,
	};
	for (int l = 0; l < 9; l++)
		tables[IXF_SEC_V4LEN + l] = &st->v4len[l];
	for (int k = 0; k < IXF_SEC_PER_STORE; k++) {
		uint64_t bytes = sec[k].bytes;
		if (bytes == 0)
			continue;
		if (k == IXF_SEC_ENTRIES) {
			if ((st->entries = malloc((size_t)bytes)) == NULL)
				return -1;
			dst[k] = (char *)st->entries;
		} else if (k == IXF_SEC_ARENA) {
			if ((st->arena = malloc((size_t)bytes)) == NULL)
				return -1;
			dst[k] = st->arena;
		} else {
			if ((*tables[k] = match_table_alloc((size_t)bytes / 8)) == NULL)
				return -1;
			dst[k] = (char *)*tables[k];
		}
		/* pieces of whole elements, so that each is checked alone */
		uint64_t elem = k == IXF_SEC_ENTRIES ? sizeof(struct match_entry)
		                : k == IXF_SEC_ARENA ? 1
		                                     : 8;
		uint64_t step = PIECE_BYTES / elem * elem;
		for (uint64_t at = 0; at < bytes; at += step)
			pieces[(*np)++] = (struct piece){
			        .sec = s * IXF_SEC_PER_STORE + k,
			        .dst = dst[k] + at,
			        .off = sec[k].off + at,
			        .bytes = bytes - at < step ? bytes - at : step,
			        .first = at / elem,
			};
	}
	return 0;
}

/* Reads one source string at *at of buf[0, n).  OUT: *s (NULL allowed by
 * the file), allocated. */
static const char *get_str(const char *buf, uint64_t n, uint64_t *at, char **s)
{
	*s = NULL;
	uint32_t l;
	if (n - *at < 4)
		return "string length past the end";
	memcpy(&l, buf + *at, 4);
	*at += 4;
	if (l == UINT32_MAX) {
		if (n - *at < 1 || buf[*at] != '\0')
			return "NULL string";
		*at += 1;
		return NULL;
	}
	if (l >= IXF_STR_MAX || n - *at < (uint64_t)l + 1)
		return "string length";
	if (buf[*at + l] != '\0' || memchr(buf + *at, '\0', l) != NULL)
		return "string not NUL-terminated or with a NUL inside";
	for (uint32_t i = 0; i < l; i++)
		if ((unsigned char)buf[*at + i] < 0x20 && buf[*at + i] != '\t')
			return "string with a control character";
	if ((*s = malloc(l + 1)) == NULL)
		return "out of memory";
	memcpy(*s, buf + *at, (size_t)l + 1);
	*at += (uint64_t)l + 1;
	return NULL;
}

/* Reads the sources section into ix. */
static int load_sources(struct match_index *ix, int fd, const struct ixf_header *h,
                        const char *path, struct crix_error *err)
{
	uint64_t n = h->sec[IXF_SEC_SOURCES].bytes;
	if (h->nsources == 0)
		return 0;
	char *buf = malloc((size_t)n);
	ix->sources = calloc((size_t)h->nsources, sizeof *ix->sources);
	if (buf == NULL || ix->sources == NULL) {
		free(buf);
		return crix_error_set(err, CRIX_ENOMEM, "%s: out of memory", path);
	}
	ix->capsources = (size_t)h->nsources;
	uint64_t done = 0;
	while (done < n) {
		ssize_t r = pread(fd, buf + done, (size_t)(n - done),
		                  (off_t)(h->sec[IXF_SEC_SOURCES].off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = errno;
			free(buf);
			return r == 0 ? bad_file(err, path, "file size (truncated)")
			              : crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(e));
		}
		done += (uint64_t)r;
	}
	uint64_t at = 0;
	const char *what = NULL;
	for (uint64_t i = 0; i < h->nsources && what == NULL; i++) {
		struct match_source *so = calloc(1, sizeof *so);
		if (so == NULL) {
			what = "out of memory";
			break;
		}
		ix->sources[ix->nsources++] = so;
		char *name, *tlp, *tags;
		if ((what = get_str(buf, n, &at, &name)) == NULL)
			so->name = name;
		if (what == NULL && (what = get_str(buf, n, &at, &tlp)) == NULL)
			so->tlp = tlp;
		if (what == NULL && (what = get_str(buf, n, &at, &tags)) == NULL)
			so->tags = tags;
		if (what == NULL && so->name == NULL)
			what = "a source without a name";
	}
	if (what == NULL && at != n)
		what = "bytes after the last source";
	free(buf);
	if (what != NULL && strcmp(what, "out of memory") == 0)
		return crix_error_set(err, CRIX_ENOMEM, "%s: out of memory", path);
	return what != NULL ? bad_sec(err, path, IXF_SEC_SOURCES, what) : 0;
}

/* The reading and checking of the arrays, once the header holds. */
static int load_arrays(struct match_index *ix, int fd, const struct ixf_header *h, const char *path,
                       struct crix_error *err)
{
	size_t maxp = 0;
	for (int k = 0; k < 2 * IXF_SEC_PER_STORE; k++)
		maxp += (size_t)(h->sec[k].bytes / (PIECE_BYTES / sizeof(struct match_entry) *
		                                    sizeof(struct match_entry))) +
		        1;
	struct loadjob j = {.fd = fd, .h = h, .ix = ix};
	j.pieces = calloc(maxp, sizeof *j.pieces);
	if (j.pieces == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "%s: out of memory", path);
	int rc = 0;
	for (int s = 0; s < 2 && rc == 0; s++)
		if (store_alloc(s == 0 ? &ix->main : &ix->allow, &h->store[s],
		                &h->sec[s * IXF_SEC_PER_STORE], s, j.pieces, &j.npieces) != 0)
			rc = crix_error_set(err, CRIX_ENOMEM, "%s: out of memory (%llu bytes)",
			                    path, (unsigned long long)h->file_bytes);
	bool par = h->file_bytes >= match_indexfile_par_bytes;
	struct loadpart parts[2] = {{.job = &j}, {.job = &j}};
	if (rc == 0) {
		run_pass(&j, parts, par);
		for (int t = 0; t < 2 && rc == 0; t++)
			if (parts[t].ioerr != 0)
				rc = crix_error_set(err, CRIX_EIO, "%s: %s", path,
				                    strerror(parts[t].ioerr));
			else if (parts[t].short_read)
				rc = bad_file(err, path, "file size (truncated while read)");
	}
	if (rc == 0) {
		j.check = true;
		run_pass(&j, parts, par);
		for (int t = 0; t < 2 && rc == 0; t++)
			if (parts[t].bad != 0)
				rc = bad_sec(err, path, parts[t].bad - 1, parts[t].what);
	}
	for (int s = 0; s < 2 && rc == 0; s++) {
		const struct ixf_store *fs = &h->store[s];
		int b = s * IXF_SEC_PER_STORE;
		if (parts[0].nonzero[s][0] + parts[1].nonzero[s][0] != fs->used)
			rc = bad_sec(err, path, b + IXF_SEC_SLOTS,
			             "used count (not the slots in use)");
		else if (parts[0].nonzero[s][1] + parts[1].nonzero[s][1] != fs->tld_used)
			rc = bad_sec(err, path, b + IXF_SEC_TLDS,
			             "used count (not the words in use)");
		else if (parts[0].nonzero[s][2] + parts[1].nonzero[s][2] != fs->uh_used)
			rc = bad_sec(err, path, b + IXF_SEC_URLHOSTS,
			             "used count (not the words in use)");
	}
	for (int t = 0; t < IOC_TYPE_COUNT && rc == 0; t++)
		if (parts[0].live[t] + parts[1].live[t] != h->by_type[t])
			rc = bad_file(err, path, "counts by type (not the entries stored)");
	/* A removed entry is one the allow-list covers, as only the allow-list
	 * removes: else an addition of its key (which the allow-list would
	 * refuse) joins a removed chain live, lookups reading the chain's first
	 * entry miss it, and the index saved again is refused.  Removed entries
	 * are few (those allow-listed); the allow-list is read and checked. */
	const struct match_store *m = &ix->main;
	for (size_t i = 0; i < m->nentries && rc == 0; i++) {
		const struct match_entry *e = &m->entries[i];
		if (!(e->type & MATCH_DEAD))
			continue;
		static __thread struct ioc_value v;
		v.type = e->type & ~MATCH_DEAD;
		v.len = e->textlen;
		memcpy(v.v, m->arena + e->off + e->keylen, e->textlen);
		v.v[v.len] = '\0';
		const unsigned char *key = (const unsigned char *)m->arena + e->off;
		if (!match_allowed_locked(ix, &v, key, e->keylen ? e->keylen : e->textlen))
			rc = bad_sec(err, path, IXF_SEC_ENTRIES,
			             "a removed entry the allow-list does not cover");
	}
	free(j.pieces);
	return rc;
}

int match_index_load_file(const char *path, struct match_index **out, struct crix_error *err)
{
	crix_error_clear(err);
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		int e = errno;
		close(fd);
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return crix_error_set(err, CRIX_EIO, "%s: %s", path,
		                      S_ISDIR(sb.st_mode) ? strerror(EISDIR)
		                                          : "not a regular file");
	}
	struct ixf_header h;
	ssize_t r;
	do
		r = pread(fd, &h, sizeof h, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;
		close(fd);
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(e));
	}
	int rc = 0;
	if ((size_t)r < sizeof h)
		rc = r >= 8 && memcmp(h.magic, IXF_MAGIC, 8) != 0
		             ? bad_file(err, path, "not an index file (magic)")
		             : bad_file(err, path, "header (file too short)");
	else
		rc = check_header(&h, (uint64_t)sb.st_size, path, err);
	struct match_index *ix = NULL;
	if (rc == 0)
		rc = match_index_new(&ix, err);
	if (rc == 0) {
		ix->nallowed = (size_t)h.nallowed;
		ix->nduplicates = (size_t)h.nduplicates;
		for (int t = 0; t < IOC_TYPE_COUNT; t++)
			ix->by_type[t] = (size_t)h.by_type[t];
		rc = load_sources(ix, fd, &h, path, err);
	}
	if (rc == 0)
		rc = load_arrays(ix, fd, &h, path, err);
	close(fd);
	if (rc != 0) {
		match_index_free(ix);
		return rc;
	}
	/* a file saved before the filter was built: build it, as a load does */
	if (ix->main.nentries > 0 && ix->main.bloom == NULL)
		match_index_shrink(ix);
	*out = ix;
	return 0;
}
