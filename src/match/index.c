/*
 * index.c - the indicator index: an open-addressing hash table over
 * (type, key) serves every kind of lookup.
 *
 * Memory per indicator beyond its value bytes: a 20-byte entry and about
 * 1.3 to 2.7 8-byte slots (tables are kept at most 3/4 full), ~40 bytes.  Keys are
 * the canonical text, except for addresses and networks, whose key is binary
 * (4 or 16 bytes, after the prefix length for networks) so that the scanner
 * can look an address up without formatting it.
 *
 * A slot holds 32 bits of the hash beside the entry number, so most misses
 * cost one memory access.  Entries with the same key from other sources
 * form a chain through `next`; the slot points at the first.  Networks are
 * found by probing each prefix length that is present, longest first;
 * domains by probing the host and each parent domain, longest first.
 */
#include "match/match_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define NONE MATCH_NONE

/* ---- memory for the tables ---- */

#define HUGE_PAGE ((size_t)2 << 20)
/* Words of a bitmap with a bit per IPv4 /24. */
#define V4MAP_WORDS MATCH_V4MAP_WORDS

/*
 * A zeroed table of n 8-byte words, freed with match_table_free(p, n).  From
 * 2 MiB on it is mapped, aligned to 2 MiB and advised as huge pages: its
 * probes are random, and with 4 KiB pages nearly each probe of a table of
 * 100+ MB also misses the TLB (a two-level walk under a VM), both while
 * loading and while scanning (a 16 MB Bloom filter spans 4096 small pages,
 * more than the TLB holds; at 10M indicators the IPv4 lookups past v4any
 * spent most of their time there).  Without transparent huge pages the
 * advice is ignored and only the alignment remains.  A fresh mapping is
 * zero: not written here, each page is zeroed once, by the kernel, when
 * first used (a memset zeroed the 144 MB of slots and filter of a 10M
 * index again, on the loading thread, before any value was added).
 */
uint64_t *match_table_alloc(size_t n)
{
	if (n > SIZE_MAX / 8 - HUGE_PAGE)
		return NULL;
	size_t bytes = n * 8;
	if (bytes < HUGE_PAGE)
		return calloc(n, 8);
	size_t rounded = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1); /* advised whole */
	char *m = mmap(NULL, rounded + HUGE_PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	/* the aligned part of a mapping one huge page longer; the rest goes */
	char *p = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (p > m)
		munmap(m, (size_t)(p - m));
	if (p + rounded < m + rounded + HUGE_PAGE)
		munmap(p + rounded, (size_t)(m + rounded + HUGE_PAGE - (p + rounded)));
	(void)madvise(p, rounded, MADV_HUGEPAGE);
	return (uint64_t *)p;
}

/* Frees a table of n words from match_table_alloc (NULL: nothing). */
void match_table_free(uint64_t *p, size_t n)
{
	size_t bytes = n * 8;
	if (bytes < HUGE_PAGE)
		free(p);
	else if (p != NULL)
		munmap(p, (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
}

#ifdef MATCH_COUNTERS
unsigned long long match_count[MC_N];
const char *const match_count_name[MC_N] = {"batches",
                                            "ipv4 queued",
                                            "ipv4 v4any pass",
                                            "ipv4 v4map pass",
                                            "ipv4 v4net pass",
                                            "ipv4 v4cover pass",
                                            "host_token calls",
                                            "host TLD pass",
                                            "host miss-table hit",
                                            "host queued",
                                            "host suffixes probed",
                                            "url queued",
                                            "url miss-table hit",
                                            "url urlhost pass",
                                            "exact queued",
                                            "ipv6 queued",
                                            "store_find_h",
                                            "bloom pass",
                                            "slots read",
                                            "found",
                                            "host/URL-host hashes",
                                            "miss-table looks"};
#endif

/* ---- hashing ---- */

uint64_t match_hash(unsigned type, const void *key, size_t n)
{
	return match_hash_inline(type, key, n);
}

/* ---- slot tables ---- */

static int slots_grow(uint64_t **slots, size_t *mask, size_t want)
{
	size_t cap = *slots != NULL ? *mask + 1 : 16;
	while (cap * 3 < want * 4) /* at most 3/4 full */
		cap *= 2;
	if (*slots != NULL && cap == *mask + 1)
		return 0;
	uint64_t *ns = match_table_alloc(cap);
	if (ns == NULL)
		return -1;
	size_t nm = cap - 1;
	if (*slots != NULL) {
		for (size_t i = 0; i <= *mask; i++) {
			uint64_t s = (*slots)[i];
			if (s == 0)
				continue;
			size_t j = (size_t)(s >> 32) & nm;
			while (ns[j] != 0)
				j = (j + 1) & nm;
			ns[j] = s;
		}
	}
	if (*slots != NULL)
		match_table_free(*slots, *mask + 1);
	*slots = ns;
	*mask = nm;
	return 0;
}

/* ---- the Bloom filter in front of the slots ---- */

/* The word of the filter for hash h, from its low 32 bits (the slot index
 * and fragment come from the high 32), and the 4 bits within it. */
static inline size_t bloom_word(const struct match_store *st, uint64_t h)
{
	return (size_t)(uint32_t)h & st->bloom_mask;
}

static inline uint64_t bloom_bits(uint64_t h)
{
	return 1ull << ((h >> 40) & 63) | 1ull << ((h >> 46) & 63) | 1ull << ((h >> 52) & 63) |
	       1ull << ((h >> 58) & 63);
}

static inline bool bloom_maybe(const struct match_store *st, uint64_t h)
{
	uint64_t m = bloom_bits(h);
	return st->bloom == NULL || (st->bloom[bloom_word(st, h)] & m) == m;
}

uint64_t match_store_key_hash(const struct match_store *st, uint32_t id)
{
	const struct match_entry *e = &st->entries[id];
	return match_hash(e->type & ~MATCH_DEAD, st->arena + e->off,
	                  e->keylen ? e->keylen : e->textlen);
}

/* Entries [from, to) of st set their bits in the filter b; atomic: with
 * threads, each sets those of a part of the entries (the OR of all bits
 * is the same whichever thread sets which). */
struct bloom_part {
	const struct match_store *st;
	uint64_t *b;
	size_t from, to;
	bool atomic;
};

static void *bloom_fill(void *arg)
{
	const struct bloom_part *bp = arg;
	const struct match_store *st = bp->st;
	uint64_t *b = bp->b;
	/* the words are set 32 hashes at a time, after prefetching them: for
	 * 10M keys the filter is 16 MB and each word a cache miss */
	uint64_t hs[32];
	for (size_t id = bp->from; id < bp->to; id += 32) {
		size_t m = bp->to - id < 32 ? bp->to - id : 32;
		for (size_t k = 0; k < m; k++) {
			hs[k] = match_store_key_hash(st, (uint32_t)(id + k));
			__builtin_prefetch(&b[bloom_word(st, hs[k])], 1);
		}
		if (bp->atomic)
			for (size_t k = 0; k < m; k++)
				__atomic_fetch_or(&b[bloom_word(st, hs[k])], bloom_bits(hs[k]),
				                  __ATOMIC_RELAXED);
		else
			for (size_t k = 0; k < m; k++)
				b[bloom_word(st, hs[k])] |= bloom_bits(hs[k]);
	}
	return NULL;
}

/* Entries per thread below which building the filter is not split. */
#define BLOOM_PART_MIN    8192
#define BLOOM_MAX_THREADS 64

/* The filter's size for the slots: one word per 8 slots. */
size_t match_bloom_words(const struct match_store *st)
{
	size_t words = st->slots != NULL ? (st->mask + 1) / 8 : 0;
	return words < 8 ? 8 : words;
}

/*
 * Builds the filter for the keys stored, from the entries in order
 * (sequential reads), when a bulk load is over (match_index_shrink) and
 * the store has none: once built, or made empty with the slots a load into
 * an empty store reserves (match_index_reserve), additions set their bits
 * (store_insert_at), so that it always holds every key's bits; when the
 * slots grow it is dropped until the next build (lookups without it are
 * exact, only slower).  With threads > 1, that many threads hash parts of
 * the entries.
 */
static int bloom_build(struct match_store *st, unsigned threads)
{
	size_t words = match_bloom_words(st);
	uint64_t *b = match_table_alloc(words);
	if (b == NULL)
		return -1;
	st->bloom = b;
	st->bloom_mask = words - 1;
	size_t nt = threads < BLOOM_MAX_THREADS ? threads : BLOOM_MAX_THREADS;
	if (nt > st->nentries / BLOOM_PART_MIN)
		nt = st->nentries / BLOOM_PART_MIN;
	if (nt <= 1) {
		struct bloom_part all = {.st = st, .b = b, .from = 0, .to = st->nentries};
		bloom_fill(&all);
		return 0;
	}
	struct bloom_part parts[BLOOM_MAX_THREADS];
	pthread_t th[BLOOM_MAX_THREADS];
	bool started[BLOOM_MAX_THREADS];
	for (size_t k = 0; k < nt; k++) {
		parts[k] = (struct bloom_part){.st = st,
		                               .b = b,
		                               .from = st->nentries * k / nt,
		                               .to = st->nentries * (k + 1) / nt,
		                               .atomic = true};
		/* part 0 is this thread's; a part without a thread is done here */
		started[k] = k > 0 && pthread_create(&th[k], NULL, bloom_fill, &parts[k]) == 0;
	}
	for (size_t k = 0; k < nt; k++)
		if (!started[k])
			bloom_fill(&parts[k]);
	for (size_t k = 1; k < nt; k++)
		if (started[k])
			pthread_join(th[k], NULL);
	return 0;
}

/*
 * match_store_prefetch, always inlined: a function that only prefetches
 * has no effect GCC counts (it finds it pure), so a call to it from this
 * file whose caller is not inlined was dropped; the IPv4 lookups past
 * v4any read their filter word unprefetched.
 */
static inline __attribute__((always_inline)) void store_prefetch(const struct match_store *st,
                                                                 uint64_t h)
{
	if (st->bloom != NULL)
		__builtin_prefetch(&st->bloom[bloom_word(st, h)]);
	else if (st->slots != NULL)
		__builtin_prefetch(&st->slots[(size_t)(h >> 32) & st->mask]);
}

void match_store_prefetch(const struct match_store *st, uint64_t h)
{
	store_prefetch(st, h);
}

/*
 * The adding side's one walk of the slots for hash h: the chain's head when
 * key is stored (as store_find_h finds it), else NONE with *empty the first
 * empty slot of the walk, where store_insert_at puts the new value.  A load
 * of millions of values otherwise walked each cold run of slots twice.
 * Ignores the Bloom filter, which can only say "absent" early, and an
 * absent value needs its empty slot anyway.
 */
static inline __attribute__((always_inline)) uint32_t store_probe(const struct match_store *st,
                                                                  unsigned type, const void *key,
                                                                  size_t n, uint64_t h,
                                                                  size_t *empty)
{
	*empty = SIZE_MAX;
	if (st->slots == NULL)
		return NONE;
	uint32_t frag = (uint32_t)(h >> 32);
	size_t i = (size_t)frag & st->mask;
	for (;;) {
		uint64_t s = st->slots[i];
		MATCH_COUNT(MC_SLOTS);
		if (s == 0) {
			*empty = i;
			return NONE;
		}
		if ((uint32_t)(s >> 32) == frag) {
			uint32_t id = (uint32_t)s - 1;
			const struct match_entry *e = &st->entries[id];
			size_t kl = e->keylen ? e->keylen : e->textlen;
			if ((e->type & ~MATCH_DEAD) == type && kl == n &&
			    match_same(st->arena + e->off, key, n)) {
				MATCH_COUNT(MC_FOUND);
				return id;
			}
		}
		i = (i + 1) & st->mask;
	}
}

/* Puts id with hash h into the slots, at slot empty (from store_probe) when
 * the table need not grow first, else (SIZE_MAX, or a full table) walks the
 * new table for one. */
static int store_insert_at(struct match_store *st, uint64_t h, uint32_t id, size_t empty)
{
	if (st->slots == NULL || (st->used + 1) * 4 > (st->mask + 1) * 3) {
		if (slots_grow(&st->slots, &st->mask, st->used + 1) != 0)
			return -1;
		match_table_free(st->bloom,
		                 st->bloom_mask + 1); /* until match_index_shrink builds it again */
		st->bloom = NULL;
		empty = SIZE_MAX; /* the slot was of the old table */
	}
	if (st->bloom != NULL)
		st->bloom[bloom_word(st, h)] |= bloom_bits(h);
	uint32_t frag = (uint32_t)(h >> 32);
	size_t i = empty;
	if (i == SIZE_MAX) {
		i = (size_t)frag & st->mask;
		while (st->slots[i] != 0)
			i = (i + 1) & st->mask;
	}
	st->slots[i] = ((uint64_t)frag << 32) | (uint64_t)(id + 1);
	st->used++;
	return 0;
}

/* The lookup side's walk: store_probe behind the Bloom filter, which
 * answers most absent values without touching the slots. */
static uint32_t store_find_h(const struct match_store *st, unsigned type, const void *key, size_t n,
                             uint64_t h)
{
	MATCH_COUNT(MC_FIND);
	if (st->slots == NULL || !bloom_maybe(st, h))
		return NONE;
	MATCH_COUNT(MC_BLOOM);
	size_t empty;
	return store_probe(st, type, key, n, h, &empty);
}

uint32_t match_store_find_h(const struct match_store *st, unsigned type, const void *key, size_t n,
                            uint64_t h)
{
	uint32_t id = store_find_h(st, type, key, n, h);
	/* A chain the allow-list emptied is as good as absent, so that a
	 * removed address, /24 or subdomain does not hide the live network or
	 * parent domain that covers it.  A chain's entries are all live or all
	 * removed (the allow-list removes a key's chain whole, and refuses the
	 * key's additions; an index file is checked for it), so the first
	 * tells: a hostile file's chain of a million removed entries is not
	 * walked by every lookup of its key. */
	return id != NONE && !(st->entries[id].type & MATCH_DEAD) ? id : NONE;
}

uint32_t match_store_find(const struct match_store *st, unsigned type, const void *key, size_t n)
{
	return match_store_find_h(st, type, key, n, match_hash(type, key, n));
}

/*
 * Sets of 64-bit hashes (TLDs, URL hosts), for prefiltering.  At most half
 * full, not 3/4 as the slots: nearly every test is of a value that is not
 * there, and a failed test walks to an empty slot, 7 slots on average at
 * 72% full (the 1.5M URL hosts of the 10M set in 16 MB), 1.7 at 36% (in
 * 32 MB), and its unpredictable loop cost more than the larger table.
 */
static int hset_add(uint64_t **set, size_t *mask, size_t *used, uint64_t h)
{
	h |= 1; /* 0 marks an empty slot */
	if (*set == NULL || (*used + 1) * 2 > *mask + 1)
		if (slots_grow(set, mask, (*used + 1) * 3 / 2 + 1) != 0) /* 3/4 of 2 * used */
			return -1;
	size_t i = (size_t)(h >> 32) & *mask;
	while ((*set)[i] != 0) {
		if ((*set)[i] == h)
			return 0;
		i = (i + 1) & *mask;
	}
	(*set)[i] = h;
	(*used)++;
	return 0;
}

static bool hset_has(const uint64_t *set, size_t mask, uint64_t h)
{
	if (set == NULL)
		return false;
	h |= 1;
	size_t i = (size_t)(h >> 32) & mask;
	while (set[i] != 0) {
		if (set[i] == h)
			return true;
		i = (i + 1) & mask;
	}
	return false;
}

#define T_TLD     0xf1u
#define T_URLHOST 0xf2u

bool match_store_has_tld(const struct match_store *st, const char *tld, size_t n)
{
	return hset_has(st->tlds, st->tld_mask, match_hash(T_TLD, tld, n));
}

bool match_store_has_urlhost(const struct match_store *st, const char *host, size_t n)
{
	return hset_has(st->urlhosts, st->uh_mask, match_hash(T_URLHOST, host, n));
}

uint64_t match_urlhost_hash(const char *host, size_t n)
{
	return match_hash(T_URLHOST, host, n);
}

bool match_store_has_urlhost_h(const struct match_store *st, uint64_t h)
{
	return hset_has(st->urlhosts, st->uh_mask, h);
}

void match_store_prefetch_urlhost(const struct match_store *st, uint64_t h)
{
	if (st->urlhosts != NULL)
		__builtin_prefetch(&st->urlhosts[(size_t)((h | 1) >> 32) & st->uh_mask]);
}

/* The host of a canonical URL or e-mail, and its last label. */
static void host_of(const struct ioc_value *v, const char **h, size_t *hn)
{
	*h = NULL;
	*hn = 0;
	if (v->type == IOC_DOMAIN) {
		*h = v->v;
		*hn = v->len;
	} else if (v->type == IOC_EMAIL) {
		const char *at = strrchr(v->v, '@');
		if (at != NULL) {
			*h = at + 1;
			*hn = v->len - (size_t)(at + 1 - v->v);
		}
	} else if (v->type == IOC_URL) {
		const char *p = strstr(v->v, "://");
		if (p == NULL)
			return;
		p += 3;
		const char *end = p + strcspn(p, "/?#");
		const char *at = memchr(p, '@', (size_t)(end - p));
		if (at != NULL)
			p = at + 1;
		if (*p == '[') {
			const char *rb = memchr(p, ']', (size_t)(end - p));
			end = rb != NULL ? rb + 1 : end;
		} else {
			const char *colon = memchr(p, ':', (size_t)(end - p));
			if (colon != NULL)
				end = colon;
		}
		*h = p;
		*hn = (size_t)(end - p);
	}
}

/* The hashes of v's host in the summaries, with bit 0 set as the sets keep
 * them, or 0: a URL's host (OUT: *uh, the URL host set) and the host's last
 * label (OUT: *th, the TLD set; none for an IPv6 literal or a single
 * label). */
static void host_hashes(const struct ioc_value *v, uint64_t *uh, uint64_t *th)
{
	const char *host;
	size_t n;
	host_of(v, &host, &n);
	*uh = 0;
	*th = 0;
	if (host == NULL)
		return;
	if (v->type == IOC_URL)
		*uh = match_hash(T_URLHOST, host, n) | 1;
	size_t k = n;
	while (k > 0 && host[k - 1] != '.')
		k--;
	if (k > 0)
		*th = match_hash(T_TLD, host + k, n - k) | 1;
}

/* ---- keys ---- */

int match_key_of(const struct ioc_value *v, unsigned char *key, size_t *n)
{
	switch (v->type) {
	case IOC_IPV4: *n = 4; return ioc_ipv4_bytes(v->v, v->len, key) ? 0 : -1;
	/* the scanner's IPv6 parser: inet_pton's answers without its cost */
	case IOC_IPV6: *n = 16; return match_ipv6_bytes(v->v, v->len, key) ? 0 : -1;
	case IOC_CIDR4:
	case IOC_CIDR6: {
		const char *slash = memchr(v->v, '/', v->len);
		if (slash == NULL)
			return -1;
		unsigned bits = 0;
		for (const char *p = slash + 1; p < v->v + v->len; p++) {
			if (!ioc_is_digit((unsigned char)*p) || bits > 128)
				return -1;
			bits = bits * 10 + (unsigned)(*p - '0');
		}
		size_t alen = (size_t)(slash - v->v);
		key[0] = (unsigned char)bits;
		if (v->type == IOC_CIDR4) {
			*n = 5;
			return bits <= 32 && ioc_ipv4_bytes(v->v, alen, key + 1) ? 0 : -1;
		}
		*n = 17;
		return bits <= 128 && match_ipv6_bytes(v->v, alen, key + 1) ? 0 : -1;
	}
	default:
		if (v->len > MATCH_KEY_MAX || v->len == 0)
			return -1;
		memcpy(key, v->v, v->len);
		*n = v->len;
		return 0;
	}
}

/* ---- network and domain lookups ---- */

static bool bit_set(const uint64_t *bits, unsigned l)
{
	return (bits[l / 64] >> (l % 64)) & 1;
}

uint32_t match_store_lpm(const struct match_store *st, unsigned type, const unsigned char *addr,
                         unsigned maxlen, const uint64_t *bits)
{
	unsigned char key[17];
	size_t alen = type == IOC_CIDR4 ? 4 : 16;
	for (unsigned l = maxlen + 1; l-- > 0;) {
		if (!bit_set(bits, l))
			continue;
		key[0] = (unsigned char)l;
		for (size_t b = 0; b < alen; b++) {
			unsigned keep = l >= 8 * (b + 1) ? 8 : l > 8 * b ? l - 8 * (unsigned)b : 0;
			key[1 + b] = (unsigned char)(addr[b] & (unsigned char)(0xff00u >> keep));
		}
		uint32_t id = match_store_find(st, type, key, alen + 1);
		if (id != NONE)
			return id;
	}
	return NONE;
}

uint32_t match_store_suffix(const struct match_store *st, const char *host, size_t n,
                            size_t *suffix_at)
{
	if (!(st->types & (1u << IOC_DOMAIN)))
		return NONE;
	size_t k = 0;
	for (;;) {
		const char *dot = memchr(host + k, '.', n - k);
		if (dot == NULL)
			return NONE; /* a bare TLD is never an indicator */
		uint32_t id = match_store_find(st, IOC_DOMAIN, host + k, n - k);
		if (id != NONE) {
			if (suffix_at != NULL)
				*suffix_at = k;
			return id;
		}
		k = (size_t)(dot - host) + 1;
	}
}

/* ---- the index ---- */

int match_index_new(struct match_index **out, struct crix_error *err)
{
	struct match_index *ix = calloc(1, sizeof *ix);
	if (ix == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "match: out of memory");
	if (pthread_rwlock_init(&ix->lock, NULL) != 0) {
		free(ix);
		return crix_error_set(err, CRIX_ENOMEM, "match: cannot create a lock");
	}
	*out = ix;
	return 0;
}

static void store_free(struct match_store *st)
{
	match_table_free(st->slots, st->mask + 1);
	free(st->entries);
	free(st->arena);
	match_table_free(st->tlds, st->tld_mask + 1);
	match_table_free(st->urlhosts, st->uh_mask + 1);
	match_table_free(st->v4any, V4MAP_WORDS);
	match_table_free(st->v4map, V4MAP_WORDS);
	match_table_free(st->v4net, V4MAP_WORDS);
	match_table_free(st->v4cover, V4MAP_WORDS);
	for (unsigned l = 16; l <= 24; l++)
		match_table_free(st->v4len[l - 16], ((size_t)1 << l) / 64);
	match_table_free(st->bloom, st->bloom_mask + 1);
}

void match_index_free(struct match_index *ix)
{
	if (ix == NULL)
		return;
	pthread_rwlock_destroy(&ix->lock);
	store_free(&ix->main);
	store_free(&ix->allow);
	for (size_t i = 0; i < ix->nsources; i++) {
		free((char *)ix->sources[i]->name);
		free((char *)ix->sources[i]->tlp);
		free((char *)ix->sources[i]->tags);
		free(ix->sources[i]);
	}
	free(ix->sources);
	free(ix);
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

int match_index_add_source(struct match_index *ix, const struct match_source *src, uint32_t *id,
                           struct crix_error *err)
{
	/* each source is its own allocation, so that the pointer
	 * match_index_source hands out stays valid as sources are added */
	struct match_source *sp = malloc(sizeof *sp);
	struct match_source s = {
	        .name = dup_or_null(src->name != NULL ? src->name : ""),
	        .tlp = dup_or_null(src->tlp),
	        .tags = dup_or_null(src->tags),
	};
	if (sp == NULL || s.name == NULL || (src->tlp && !s.tlp) || (src->tags && !s.tags))
		goto nomem;
	*sp = s;
	pthread_rwlock_wrlock(&ix->lock);
	if (ix->nsources == ix->capsources) {
		size_t cap = ix->capsources ? ix->capsources * 2 : 8;
		struct match_source **p = realloc(ix->sources, cap * sizeof *p);
		if (p == NULL) {
			pthread_rwlock_unlock(&ix->lock);
			goto nomem;
		}
		ix->sources = p;
		ix->capsources = cap;
	}
	ix->sources[ix->nsources] = sp;
	*id = (uint32_t)ix->nsources++;
	pthread_rwlock_unlock(&ix->lock);
	return 0;
nomem:
	free(sp);
	free((char *)s.name);
	free((char *)s.tlp);
	free((char *)s.tags);
	return crix_error_set(err, CRIX_ENOMEM, "match: out of memory");
}

const struct match_source *match_index_source(const struct match_index *ix, uint32_t id)
{
	/* Sources are only appended and their array only grows under the
	 * write lock; hit callbacks run under the read lock. */
	/* the lock is taken for the array, which a writer may be moving; the
	 * source it points at never moves */
	struct match_index *w = (struct match_index *)ix;
	pthread_rwlock_rdlock(&w->lock);
	const struct match_source *src = id < ix->nsources ? ix->sources[id] : NULL;
	pthread_rwlock_unlock(&w->lock);
	return src;
}

/* Appends [a][b]\0 to the arena; returns the offset, or -1. */
static int64_t arena_put(struct match_store *st, const void *a, size_t an, const void *b, size_t bn)
{
	size_t need = st->arena_len + an + bn + 1;
	if (need > UINT32_MAX)
		return -1;
	if (need > st->arena_cap) {
		size_t cap = st->arena_cap ? st->arena_cap : 1 << 16;
		while (cap < need)
			cap *= 2;
		if (cap > UINT32_MAX)
			cap = UINT32_MAX;
		char *p = realloc(st->arena, cap);
		if (p == NULL)
			return -1;
		st->arena = p;
		st->arena_cap = cap;
	}
	size_t off = st->arena_len;
	memcpy(st->arena + off, a, an);
	if (bn > 0)
		memcpy(st->arena + off + an, b, bn);
	st->arena[off + an + bn] = '\0';
	st->arena_len = need;
	return (int64_t)off;
}

static int entry_push(struct match_store *st, uint32_t *id)
{
	if (st->nentries == st->capentries) {
		size_t cap = st->capentries ? st->capentries * 2 : 1024;
		if (cap >= NONE)
			return -1;
		struct match_entry *p = realloc(st->entries, cap * sizeof *p);
		if (p == NULL)
			return -1;
		st->entries = p;
		st->capentries = cap;
	}
	*id = (uint32_t)st->nentries++;
	return 0;
}

static bool is_net(unsigned type)
{
	return type == IOC_IPV4 || type == IOC_IPV6 || type == IOC_CIDR4 || type == IOC_CIDR6;
}

/* Sets bits [first, first + count) of map: a word at a time, as a /16
 * covers 256 /24s. */
static void bits_set(uint64_t *map, uint32_t first, uint32_t count)
{
	for (uint32_t end = first + count; first < end;) {
		uint32_t b = first % 64, n = end - first < 64 - b ? end - first : 64 - b;
		map[first / 64] |= (n == 64 ? ~0ull : ((1ull << n) - 1)) << b;
		first += n;
	}
}

/* Marks an address or a network of length >= 16 in the IPv4 summaries:
 * v4map for addresses and v4net for networks of length >= 25 (by their
 * /24), v4len and v4cover for lengths 16..24. */
static int v4map_mark(struct match_store *st, unsigned type, const unsigned char *key)
{
	const unsigned char *a = type == IOC_IPV4 ? key : key + 1;
	uint32_t addr = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	uint64_t **map = type == IOC_IPV4 ? &st->v4map : &st->v4net;
	size_t words = V4MAP_WORDS;
	uint32_t bit = addr >> 8;
	if (st->v4any == NULL && (st->v4any = match_table_alloc(V4MAP_WORDS)) == NULL)
		return -1;
	st->v4any[bit / 64] |= 1ull << (bit % 64);
	if (type == IOC_CIDR4 && key[0] <= 24) {
		if (st->v4cover == NULL && (st->v4cover = match_table_alloc(V4MAP_WORDS)) == NULL)
			return -1;
		bits_set(st->v4cover, addr >> 8, 1u << (24 - key[0]));
		bits_set(st->v4any, addr >> 8, 1u << (24 - key[0]));
		map = &st->v4len[key[0] - 16];
		words = ((size_t)1 << key[0]) / 64;
		bit = addr >> (32 - key[0]);
	}
	if (*map == NULL && (*map = match_table_alloc(words)) == NULL)
		return -1;
	(*map)[bit / 64] |= 1ull << (bit % 64);
	return 0;
}

/*
 * Adds (v, key) to st.  The same key from the same source is a duplicate
 * (OUT: *dup); from another source it joins the key's chain.
 */
static int store_add_h(struct match_store *st, const struct ioc_value *v, const unsigned char *key,
                       size_t n, const struct match_prep *p, uint32_t source, uint64_t line,
                       bool *dup)
{
	*dup = false;
	uint32_t ln = line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	size_t empty;
	uint32_t head = store_probe(st, v->type, key, n, p->h, &empty);
	uint32_t id;
	if (head != NONE) {
		uint32_t last = head;
		for (uint32_t k = head; k != NONE; k = st->entries[k].next) {
			if (st->entries[k].source == source) {
				if (!(st->entries[k].type & MATCH_DEAD)) {
					*dup = true;
					return 0;
				}
			}
			last = k;
		}
		if (entry_push(st, &id) != 0)
			return -1;
		st->entries[id] = st->entries[last];
		st->entries[id].type &= (uint8_t)~MATCH_DEAD;
		st->entries[id].source = source;
		st->entries[id].line = ln;
		st->entries[id].next = NONE;
		st->entries[last].next = id;
		return 0;
	}
	bool bin = is_net(v->type);
	int64_t off =
	        bin ? arena_put(st, key, n, v->v, v->len) : arena_put(st, v->v, v->len, NULL, 0);
	if (off < 0 || entry_push(st, &id) != 0)
		return -1;
	st->entries[id] = (struct match_entry){
	        .off = (uint32_t)off,
	        .source = source,
	        .line = ln,
	        .next = NONE,
	        .textlen = (uint16_t)v->len,
	        .keylen = (uint8_t)(bin ? n : 0),
	        .type = (uint8_t)v->type,
	};
	if (store_insert_at(st, p->h, id, empty) != 0)
		return -1;
	st->types |= 1u << v->type;
	if ((v->type == IOC_IPV4 || (v->type == IOC_CIDR4 && key[0] >= 16)) &&
	    v4map_mark(st, v->type, key) != 0)
		return -1;
	if (v->type == IOC_CIDR4)
		st->len4 |= 1ull << key[0];
	else if (v->type == IOC_CIDR6)
		st->len6[key[0] / 64] |= 1ull << (key[0] % 64);
	if (p->th != 0 && hset_add(&st->tlds, &st->tld_mask, &st->tld_used, p->th) != 0)
		return -1;
	if (p->uh != 0 && hset_add(&st->urlhosts, &st->uh_mask, &st->uh_used, p->uh) != 0)
		return -1;
	return 0;
}

static int store_add(struct match_store *st, const struct ioc_value *v, const unsigned char *key,
                     size_t n, uint32_t source, uint64_t line, bool *dup)
{
	struct match_prep p;
	if (match_prepare(v, &p) != 0)
		return -1;
	return store_add_h(st, v, key, n, &p, source, line, dup);
}

/* Is v covered by the allow-list?  Caller holds the lock. */
bool match_allowed_locked(const struct match_index *ix, const struct ioc_value *v,
                          const unsigned char *key, size_t n)
{
	const struct match_store *al = &ix->allow;
	if (al->nentries == 0)
		return false;
	if (match_store_find(al, v->type, key, n) != NONE)
		return true;
	switch (v->type) {
	case IOC_IPV4: return match_store_lpm(al, IOC_CIDR4, key, 32, &al->len4) != NONE;
	case IOC_IPV6: return match_store_lpm(al, IOC_CIDR6, key, 128, al->len6) != NONE;
	case IOC_CIDR4: return match_store_lpm(al, IOC_CIDR4, key + 1, key[0], &al->len4) != NONE;
	case IOC_CIDR6: return match_store_lpm(al, IOC_CIDR6, key + 1, key[0], al->len6) != NONE;
	case IOC_DOMAIN: return match_store_suffix(al, v->v, v->len, NULL) != NONE;
	default: return false;
	}
}

int match_prepare(const struct ioc_value *v, struct match_prep *p)
{
	p->keylen = 0;
	if (v->type <= IOC_NONE || v->type >= IOC_TYPE_COUNT)
		return -1;
	const unsigned char *key = (const unsigned char *)v->v;
	size_t n = v->len;
	if (is_net(v->type)) {
		if (match_key_of(v, p->key, &n) != 0)
			return -1;
		key = p->key;
		p->keylen = (uint8_t)n;
	} else if (v->len == 0 || v->len > MATCH_KEY_MAX) {
		return -1;
	}
	p->h = match_hash(v->type, key, n);
	host_hashes(v, &p->uh, &p->th);
	return 0;
}

void match_index_prefetch_add(const struct match_index *ix, enum ioc_type type,
                              const struct match_prep *p)
{
	const struct match_store *st = &ix->main;
	if (st->slots != NULL)
		__builtin_prefetch(&st->slots[(size_t)(p->h >> 32) & st->mask]);
	if (st->bloom != NULL)
		__builtin_prefetch(&st->bloom[bloom_word(st, p->h)], 1);
	if (p->uh != 0 && st->urlhosts != NULL)
		__builtin_prefetch(&st->urlhosts[(size_t)(p->uh >> 32) & st->uh_mask], 1);
	if (type == IOC_IPV4 && p->keylen == 4 && st->v4map != NULL) {
		uint32_t s24 = match_s24(p->key);
		__builtin_prefetch(&st->v4any[s24 / 64], 1);
		__builtin_prefetch(&st->v4map[s24 / 64], 1);
	}
}

/*
 * The values of a bulk add: their keys and hashes are made, and the slots
 * they probe start loading, before the lock is taken; then one lock holds
 * for the whole batch.  A load of millions of values would otherwise wait
 * for memory once per value (a random slot in a table of 100+ MB) and take
 * the lock once per value.
 */
int match_index_add_many(struct match_index *ix, struct match_add *items, size_t n,
                         struct crix_error *err)
{
	struct {
		const unsigned char *key;
		size_t n;
		const struct match_prep *p;
	} k[MATCH_ADD_MAX];
	struct match_prep own[MATCH_ADD_MAX]; /* for the items without one */
	if (n > MATCH_ADD_MAX)
		return crix_error_set(err, CRIX_EINVAL, "match: more than %d values in one add",
		                      MATCH_ADD_MAX);
	size_t valid = 0; /* values before the first that is not canonical */
	for (; valid < n; valid++) {
		size_t i = valid;
		const struct ioc_value *v = items[i].v;
		items[i].result = MATCH_ADDED;
		const struct match_prep *pp = items[i].prep;
		if (pp == NULL) {
			if (match_prepare(v, &own[i]) != 0)
				break;
			pp = &own[i];
		}
		/* the key of addresses and networks is binary, of the rest the text */
		k[i].key = pp->keylen > 0 ? pp->key : (const unsigned char *)v->v;
		k[i].n = pp->keylen > 0 ? pp->keylen : v->len;
		k[i].p = pp;
		/* a new URL's host goes into the URL host set, as random a word
		 * as the slot */
		if (pp->uh != 0 && ix->main.urlhosts != NULL)
			__builtin_prefetch(
			        &ix->main.urlhosts[(size_t)(pp->uh >> 32) & ix->main.uh_mask], 1);
		if (ix->main.slots != NULL)
			__builtin_prefetch(&ix->main.slots[(size_t)(pp->h >> 32) & ix->main.mask]);
		/* and so is a new key's word of the filter, when it is kept up */
		if (ix->main.bloom != NULL)
			__builtin_prefetch(&ix->main.bloom[bloom_word(&ix->main, pp->h)], 1);
		/* an address sets a bit of its /24 in two 2 MiB bitmaps: as random
		 * as the slot and as likely to miss the cache */
		if (v->type == IOC_IPV4 && ix->main.v4map != NULL) {
			const unsigned char *a = k[i].key;
			uint32_t s24 = match_s24(a);
			__builtin_prefetch(&ix->main.v4any[s24 / 64], 1);
			__builtin_prefetch(&ix->main.v4map[s24 / 64], 1);
		}
	}
	pthread_rwlock_wrlock(&ix->lock);
	int rc = 0;
	for (size_t i = 0; i < valid && rc == 0; i++) {
		const struct ioc_value *v = items[i].v;
		bool dup = false;
		if (items[i].source >= ix->nsources) {
			rc = crix_error_set(err, CRIX_EINVAL, "match: unknown source %u",
			                    items[i].source);
		} else if (match_allowed_locked(ix, v, k[i].key, k[i].n)) {
			ix->nallowed++;
			items[i].result = MATCH_ALLOWED;
		} else if (store_add_h(&ix->main, v, k[i].key, k[i].n, k[i].p, items[i].source,
		                       items[i].line, &dup) != 0) {
			rc = crix_error_set(err, CRIX_ENOMEM,
			                    "match: out of memory (or more than 4 GiB of values)");
		} else if (dup) {
			ix->nduplicates++;
			items[i].result = MATCH_DUPLICATE;
		} else {
			ix->by_type[v->type]++;
		}
	}
	pthread_rwlock_unlock(&ix->lock);
	if (rc == 0 && valid < n)
		rc = crix_error_set(err, CRIX_EINVAL, "match: not a canonical %s value",
		                    ioc_type_name(items[valid].v->type));
	return rc;
}

int match_index_add(struct match_index *ix, const struct ioc_value *v, uint32_t source,
                    uint64_t line, bool *allowed, struct crix_error *err)
{
	if (allowed != NULL)
		*allowed = false;
	struct match_add a = {.v = v, .source = source, .line = line};
	int rc = match_index_add_many(ix, &a, 1, err);
	if (rc == 0 && allowed != NULL)
		*allowed = a.result == MATCH_ALLOWED;
	return rc;
}

/* Marks the chain at id dead; returns how many live entries it had. */
static size_t kill_chain(struct match_index *ix, uint32_t id)
{
	size_t n = 0;
	for (; id != NONE; id = ix->main.entries[id].next) {
		struct match_entry *e = &ix->main.entries[id];
		if (!(e->type & MATCH_DEAD)) {
			ix->by_type[e->type]--;
			e->type |= MATCH_DEAD;
			n++;
		}
	}
	return n;
}

int match_index_allow(struct match_index *ix, const struct ioc_value *v, size_t *removed,
                      struct crix_error *err)
{
	*removed = 0;
	static __thread unsigned char key[MATCH_KEY_MAX];
	size_t n;
	if (v->type <= IOC_NONE || v->type >= IOC_TYPE_COUNT || match_key_of(v, key, &n) != 0)
		return crix_error_set(err, CRIX_EINVAL, "match: not a canonical %s value",
		                      ioc_type_name(v->type));
	pthread_rwlock_wrlock(&ix->lock);
	bool dup;
	int rc = 0;
	if (store_add(&ix->allow, v, key, n, 0, 0, &dup) != 0) {
		rc = crix_error_set(err, CRIX_ENOMEM, "match: out of memory");
	} else {
		uint32_t id = match_store_find(&ix->main, v->type, key, n);
		if (id != NONE)
			*removed = kill_chain(ix, id);
		ix->nallowed += *removed;
	}
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

void match_index_sweep_allowed(struct match_index *ix, size_t *removed)
{
	*removed = 0;
	pthread_rwlock_wrlock(&ix->lock);
	struct match_store *st = &ix->main;
	for (size_t i = 0; i < st->nentries; i++) {
		struct match_entry *e = &st->entries[i];
		if (e->type & MATCH_DEAD)
			continue;
		struct ioc_value v;
		v.type = e->type;
		v.len = e->textlen;
		memcpy(v.v, st->arena + e->off + e->keylen, e->textlen);
		v.v[v.len] = '\0';
		const unsigned char *key = (const unsigned char *)st->arena + e->off;
		size_t kn = e->keylen ? e->keylen : e->textlen;
		if (match_allowed_locked(ix, &v, key, kn)) {
			ix->by_type[e->type]--;
			e->type |= MATCH_DEAD;
			(*removed)++;
		}
	}
	ix->nallowed += *removed;
	pthread_rwlock_unlock(&ix->lock);
}

int match_index_reserve(struct match_index *ix, size_t n, struct crix_error *err)
{
	pthread_rwlock_wrlock(&ix->lock);
	struct match_store *st = &ix->main;
	int rc = 0;
	size_t cap = st->mask + 1;
	if (slots_grow(&st->slots, &st->mask, n) != 0) {
		rc = -1;
	} else if (n > st->capentries) {
		struct match_entry *p = realloc(st->entries, n * sizeof *p);
		if (p == NULL) {
			rc = -1;
		} else {
			st->entries = p;
			st->capentries = n;
		}
	}
	if (st->mask + 1 != cap) {
		match_table_free(st->bloom, st->bloom_mask + 1); /* sized for the old slots */
		st->bloom = NULL;
	}
	/* an empty store's filter is kept up as the values come, rather than
	 * built from them all at the end (hashing each key again); without
	 * memory for it now, it is built then */
	if (rc == 0 && st->bloom == NULL && st->nentries == 0 &&
	    (st->bloom = match_table_alloc(match_bloom_words(st))) != NULL)
		st->bloom_mask = match_bloom_words(st) - 1;
	pthread_rwlock_unlock(&ix->lock);
	return rc == 0 ? 0
	               : crix_error_set(err, CRIX_ENOMEM, "match: out of memory reserving %zu", n);
}

/* MADV_POPULATE_WRITE over the whole pages of p[0, n), a few huge pages at
 * a time: the call holds the process's memory map lock (to read) while it
 * faults its pages in, and a thread that maps or unmaps anything (a new
 * thread's stack, malloc, a table growing) waits for it to end, and every
 * page fault waits behind that one.  Over a whole 100+ MB table of fresh
 * pages at once, the parsing threads of a load stood still for as long as
 * it took (seen: 110 ms at 1M indicators, on a VM whose free memory is
 * handed back to the host and comes back slowly). */
static void populate(const void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
	for (; p != NULL && a < e; a += e - a < 2 * HUGE_PAGE ? e - a : 2 * HUGE_PAGE)
		(void)madvise((void *)a, e - a < 2 * HUGE_PAGE ? e - a : 2 * HUGE_PAGE,
		              MADV_POPULATE_WRITE);
}

void match_index_prefault(struct match_index *ix)
{
	/* the ranges are taken under the lock and populated without it: if
	 * one is freed meanwhile, populating it fails or faults in another
	 * allocation's pages, never changing a byte */
	pthread_rwlock_rdlock(&ix->lock);
	const struct match_store *st = &ix->main;
	const void *p[3] = {st->slots, st->bloom, st->entries};
	size_t n[3] = {(st->mask + 1) * 8, (st->bloom_mask + 1) * 8,
	               st->capentries * sizeof *st->entries};
	pthread_rwlock_unlock(&ix->lock);
	for (size_t k = 0; k < 3; k++)
		populate(p[k], n[k]);
}

void match_index_shrink(struct match_index *ix)
{
	match_index_shrink_threads(ix, 1);
}

void match_index_shrink_threads(struct match_index *ix, unsigned threads)
{
	pthread_rwlock_wrlock(&ix->lock);
	struct match_store *st = &ix->main;
	if (st->nentries > 0 && st->nentries < st->capentries) {
		struct match_entry *p = realloc(st->entries, st->nentries * sizeof *p);
		if (p != NULL) {
			st->entries = p;
			st->capentries = st->nentries;
		}
	}
	if (st->arena_len > 0 && st->arena_len < st->arena_cap) {
		char *p = realloc(st->arena, st->arena_len);
		if (p != NULL) {
			st->arena = p;
			st->arena_cap = st->arena_len;
		}
	}
	/* without memory for the filter, lookups are only slower; an empty
	 * store has none (nor keeps the one made with its reserved slots) */
	if (st->nentries > 0 && st->bloom == NULL)
		(void)bloom_build(st, threads);
	else if (st->nentries == 0 && st->bloom != NULL) {
		match_table_free(st->bloom, st->bloom_mask + 1);
		st->bloom = NULL;
	}
	pthread_rwlock_unlock(&ix->lock);
}

void match_index_stats(struct match_index *ix, struct match_stats *s)
{
	pthread_rwlock_rdlock(&ix->lock);
	memset(s, 0, sizeof *s);
	for (int t = 0; t < IOC_TYPE_COUNT; t++) {
		s->by_type[t] = ix->by_type[t];
		s->indicators += ix->by_type[t];
	}
	const struct match_store *st = &ix->main;
	s->value_bytes = st->arena_len;
	s->memory = st->arena_cap + st->capentries * sizeof(struct match_entry) +
	            (st->v4any != NULL ? V4MAP_WORDS * 8 : 0) +
	            (st->v4map != NULL ? V4MAP_WORDS * 8 : 0) +
	            (st->v4net != NULL ? V4MAP_WORDS * 8 : 0) +
	            (st->v4cover != NULL ? V4MAP_WORDS * 8 : 0) +
	            (st->bloom != NULL ? (st->bloom_mask + 1) * 8 : 0) +
	            (st->slots ? (st->mask + 1) * 8 : 0) + (st->tlds ? (st->tld_mask + 1) * 8 : 0) +
	            (st->urlhosts ? (st->uh_mask + 1) * 8 : 0);
	for (unsigned l = 16; l <= 24; l++)
		s->memory += st->v4len[l - 16] != NULL ? ((size_t)1 << l) / 8 : 0;
	s->allowed = ix->nallowed;
	s->duplicates = ix->nduplicates;
	pthread_rwlock_unlock(&ix->lock);
}

/* ---- lookups ---- */

int match_report_chain(const struct match_index *ix, uint32_t id, match_hit_fn fn, void *arg)
{
	const struct match_store *st = &ix->main;
	for (; id != NONE; id = st->entries[id].next) {
		const struct match_entry *e = &st->entries[id];
		if (e->type & MATCH_DEAD)
			continue;
		struct match_hit h = {
		        .type = e->type,
		        .indicator = st->arena + e->off + e->keylen,
		        .indicator_len = e->textlen,
		        .source = e->source,
		        .line = e->line,
		};
		int rc = fn(arg, &h);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * The longest stored network holding addr among the lengths whose bits
 * lens has (25..32 or 16..24), or NONE.  The filter words of all of them
 * are prefetched before the first is read: at 10M indicators each is a
 * cache miss, and one after another (six on average where v4net sends an
 * address) they cost about 1% of a scan.
 */
static uint32_t find_nets4(const struct match_store *st, uint32_t addr, uint64_t lens)
{
	unsigned char key[33][5];
	uint64_t h[33];
	for (uint64_t m = lens; m != 0; m &= m - 1) {
		unsigned l = (unsigned)__builtin_ctzll(m);
		uint32_t net = addr & ~0u << (32 - l);
		key[l][0] = (unsigned char)l;
		key[l][1] = (unsigned char)(net >> 24);
		key[l][2] = (unsigned char)(net >> 16);
		key[l][3] = (unsigned char)(net >> 8);
		key[l][4] = (unsigned char)net;
		h[l] = match_hash(IOC_CIDR4, key[l], 5);
		store_prefetch(st, h[l]);
	}
	for (uint64_t m = lens; m != 0; m &= ~(1ull << (63 - __builtin_clzll(m)))) {
		unsigned l = 63 - (unsigned)__builtin_clzll(m);
		uint32_t id = match_store_find_h(st, IOC_CIDR4, key[l], 5, h[l]);
		if (id != NONE)
			return id;
	}
	return NONE;
}

/* match_store_ipv4 with hp, when not NULL, the hash of a's exact key. */
static uint32_t store_ipv4(const struct match_store *st, const uint8_t a[4], const uint64_t *hp)
{
	uint32_t addr = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	uint32_t s24 = addr >> 8, id = NONE;
	if (!match_v4bit(st->v4any, s24))
		return (st->len4 & 0xffffull) != 0
		               ? match_store_lpm(st, IOC_CIDR4, a, 15, &st->len4)
		               : NONE;
	/* the address itself when its /24 holds an address, then networks
	 * longest first: /32../25 only when its /24 holds one of those,
	 * /24../16 only where v4len says a network of that length is, shorter
	 * ones by probing */
	if (match_v4bit(st->v4map, s24)) {
		MATCH_COUNT(MC_IP4_MAP);
		id = match_store_find_h(st, IOC_IPV4, a, 4,
		                        hp != NULL ? *hp : match_hash(IOC_IPV4, a, 4));
	}
	if (id == NONE && match_v4bit(st->v4net, s24)) {
		MATCH_COUNT(MC_IP4_NET);
		id = find_nets4(st, addr, st->len4 & 0x1fe000000ull); /* 25..32 */
	}
	if (id == NONE && match_v4bit(st->v4cover, s24)) {
		MATCH_COUNT(MC_IP4_COVER);
		uint64_t lens = 0;
		for (unsigned l = 16; l <= 24; l++)
			if (match_v4bit(st->v4len[l - 16], addr >> (32 - l)))
				lens |= 1ull << l;
		id = find_nets4(st, addr, lens);
	}
	if (id == NONE && (st->len4 & 0xffffull) != 0)
		id = match_store_lpm(st, IOC_CIDR4, a, 15, &st->len4);
	return id;
}

uint32_t match_store_ipv4(const struct match_store *st, const uint8_t a[4])
{
	return store_ipv4(st, a, NULL);
}

uint32_t match_store_ipv4_h(const struct match_store *st, const uint8_t a[4], uint64_t h)
{
	return store_ipv4(st, a, &h);
}

uint64_t match_store_prefetch_ipv4_listed(const struct match_store *st, const uint8_t a[4])
{
	uint32_t s24 = match_s24(a);
	uint64_t h = match_hash(IOC_IPV4, a, 4);
	if (st->v4map != NULL) {
		__builtin_prefetch(&st->v4map[s24 / 64]);
		store_prefetch(st, h);
	}
	if (st->v4net != NULL)
		__builtin_prefetch(&st->v4net[s24 / 64]);
	if (st->v4cover != NULL)
		__builtin_prefetch(&st->v4cover[s24 / 64]);
	return h;
}

void match_store_prefetch_ipv4(const struct match_store *st, const uint8_t a[4])
{
	uint32_t s24 = match_s24(a);
	if (st->v4any != NULL)
		__builtin_prefetch(&st->v4any[s24 / 64]);
}

int match_lookup_ipv4_locked(struct match_index *ix, const uint8_t a[4], match_hit_fn fn, void *arg)
{
	uint32_t id = match_store_ipv4(&ix->main, a);
	return id != NONE ? match_report_chain(ix, id, fn, arg) : 0;
}

int match_lookup_ipv6_locked(struct match_index *ix, const uint8_t a[16], match_hit_fn fn,
                             void *arg)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	const struct match_store *st = &ix->main;
	uint32_t id = NONE;
	if (memcmp(a, mapped, 12) == 0) {
		/* ::ffff:192.0.2.1 is 192.0.2.1; it may be listed in either form */
		int rc = 0;
		if (st->types & (1u << IOC_IPV6))
			id = match_store_find(st, IOC_IPV6, a, 16);
		if (id != NONE)
			rc = match_report_chain(ix, id, fn, arg);
		return rc != 0 ? rc : match_lookup_ipv4_locked(ix, a + 12, fn, arg);
	}
	if (st->types & (1u << IOC_IPV6))
		id = match_store_find(st, IOC_IPV6, a, 16);
	if (id == NONE && (st->len6[0] | st->len6[1] | st->len6[2]) != 0)
		id = match_store_lpm(st, IOC_CIDR6, a, 128, st->len6);
	return id != NONE ? match_report_chain(ix, id, fn, arg) : 0;
}

uint32_t match_store_url(const struct match_store *st, const char *url, size_t n)
{
	uint32_t id = match_store_find(st, IOC_URL, url, n);
	if (id != NONE)
		return id;
	/* "http://evil.example/x#top" is the page "http://evil.example/x": a
	 * fragment only points into it.  In a canonical URL the first '#'
	 * starts the fragment (one in a path or query is percent-encoded). */
	const char *hash = memchr(url, '#', n);
	return hash != NULL ? match_store_find(st, IOC_URL, url, (size_t)(hash - url)) : NONE;
}

int match_lookup_host_locked(struct match_index *ix, const char *host, size_t n, match_hit_fn fn,
                             void *arg)
{
	uint8_t a[16];
	if (n > 0 && host[0] == '[' && host[n - 1] == ']') {
		if (ioc_ipv6_bytes(host + 1, n - 2, a))
			return match_lookup_ipv6_locked(ix, a, fn, arg);
		return 0;
	}
	if (ioc_ipv4_bytes(host, n, a))
		return match_lookup_ipv4_locked(ix, a, fn, arg);
	uint32_t id = match_store_suffix(&ix->main, host, n, NULL);
	return id != NONE ? match_report_chain(ix, id, fn, arg) : 0;
}

int match_lookup_locked(struct match_index *ix, const struct ioc_value *v, match_hit_fn fn,
                        void *arg)
{
	uint8_t a[16];
	int rc = 0;
	switch (v->type) {
	case IOC_IPV4:
		return ioc_ipv4_bytes(v->v, v->len, a) ? match_lookup_ipv4_locked(ix, a, fn, arg)
		                                       : 0;
	case IOC_IPV6:
		return ioc_ipv6_bytes(v->v, v->len, a) ? match_lookup_ipv6_locked(ix, a, fn, arg)
		                                       : 0;
	case IOC_DOMAIN: return match_lookup_host_locked(ix, v->v, v->len, fn, arg);
	case IOC_URL:
	case IOC_EMAIL: {
		uint32_t id = v->type == IOC_URL
		                      ? match_store_url(&ix->main, v->v, v->len)
		                      : match_store_find(&ix->main, v->type, v->v, v->len);
		if (id != NONE)
			rc = match_report_chain(ix, id, fn, arg);
		const char *host;
		size_t hn;
		host_of(v, &host, &hn);
		if (rc == 0 && host != NULL)
			rc = match_lookup_host_locked(ix, host, hn, fn, arg);
		return rc;
	}
	default: {
		unsigned char key[17];
		size_t n;
		const void *k = v->v;
		size_t kn = v->len;
		if (is_net(v->type)) {
			if (match_key_of(v, key, &n) != 0)
				return 0;
			k = key;
			kn = n;
		}
		uint32_t id = match_store_find(&ix->main, v->type, k, kn);
		return id != NONE ? match_report_chain(ix, id, fn, arg) : 0;
	}
	}
}

int match_lookup(struct match_index *ix, const struct ioc_value *v, match_hit_fn fn, void *arg)
{
	pthread_rwlock_rdlock(&ix->lock);
	int rc = match_lookup_locked(ix, v, fn, arg);
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}
