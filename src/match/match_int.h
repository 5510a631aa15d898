/*
 * match_int.h - internals of src/match shared by index.c and scan.c.
 */
#ifndef CRIX_MATCH_INT_H
#define CRIX_MATCH_INT_H

#include "ioc/ioc_int.h"
#include "match/match.h"

#include <pthread.h>
#include <string.h>

#define MATCH_NONE UINT32_MAX
/* Longest key: canonical text up to IOC_VALUE_MAX. */
#define MATCH_KEY_MAX IOC_VALUE_MAX

/*
 * One stored indicator, 20 bytes.  The arena holds, at off, the binary key
 * (keylen bytes; addresses and networks only) followed by the canonical
 * text (textlen bytes) and a NUL.
 */
struct match_entry {
	uint32_t off;
	uint32_t source;
	uint32_t line;
	uint32_t next; /* next entry with the same key (another source), or MATCH_NONE */
	uint16_t textlen;
	uint8_t keylen;
	uint8_t type; /* enum ioc_type; MATCH_DEAD set when removed by the allow-list */
};
#define MATCH_DEAD 0x80u

/* A hash table over (type, key) with its entries, values and summaries. */
struct match_store {
	uint64_t *slots; /* hash fragment << 32 | entry + 1; 0 is empty */
	size_t mask, used;
	struct match_entry *entries;
	size_t nentries, capentries;
	char *arena;
	size_t arena_len, arena_cap;
	uint64_t len4;    /* bit l: a cidr4 of prefix length l is stored */
	uint64_t len6[3]; /* the same for cidr6, l = 0..128 */
	uint32_t types;   /* bit per enum ioc_type stored */
	/* hashes of the last labels of stored domains and URL/e-mail hosts:
	 * the scanner probes a host only when its TLD is here */
	uint64_t *tlds;
	size_t tld_mask, tld_used;
	/* hashes of the hosts of stored URLs: a URL in text is canonicalised
	 * only when its host is here */
	uint64_t *urlhosts;
	size_t uh_mask, uh_used;
	/* one bit per IPv4 /24 where v4map, v4net or v4cover has its bit (2
	 * MiB, made with the first of them): the one word most scanned
	 * addresses read, so that an address in no listed /24 costs one
	 * cache line, not three */
	uint64_t *v4any;
	/* one bit per IPv4 /24 that holds a stored address (2 MiB, made with
	 * the first address) */
	uint64_t *v4map;
	/* one bit per IPv4 /24 that holds a stored network of length >= 25
	 * (2 MiB, made with the first such network): apart from v4map, so
	 * that the many addresses whose /24 holds only listed addresses are
	 * not probed for every length 25..32, each a filter miss in a large
	 * index */
	uint64_t *v4net;
	/* one bit per IPv4 /24 inside a stored network of length 16..24 */
	uint64_t *v4cover;
	/* for each length l = 16..24, one bit per /l that is a stored network
	 * (2^l bits, made with the first network of that length): with
	 * v4map, an address is probed for exactly the lengths that can hold
	 * it, and most addresses in logs are rejected without a table probe */
	uint64_t *v4len[9];
	/* a Bloom filter over the hashes of the keys in the table (8 bits per
	 * slot, 4 bits per key in one 64-bit word): most lookups of values
	 * that are not stored stop here, in a table 1/8 the size of the slots
	 * that mostly stays in the cache; made with the slots of an empty
	 * store that match_index_reserve sizes, else built by
	 * match_index_shrink; kept up by additions, NULL after the slots
	 * grow until the next build */
	uint64_t *bloom;
	size_t bloom_mask;
};

struct match_index {
	pthread_rwlock_t lock;
	struct match_store main, allow;
	struct match_source **sources; /* each allocated alone: pointers stay valid */
	size_t nsources, capsources;
	size_t by_type[IOC_TYPE_COUNT];
	size_t nallowed, nduplicates;
};

/* The hash of (type, key[0..n)) that the tables are keyed by. */
uint64_t match_hash(unsigned type, const void *key, size_t n);

/* Words of a bitmap with a bit per IPv4 /24 (v4any, v4map, v4net, v4cover). */
#define MATCH_V4MAP_WORDS ((1u << 24) / 64)

/*
 * The store's memory for its tables (slots, hash sets, bitmaps, filter): a
 * zeroed table of n 8-byte words, from 2 MiB on mapped and advised as huge
 * pages; freed with match_table_free(p, n) (NULL: nothing).  Exposed for
 * the index file reader (indexfile.c), whose tables must be the same as
 * those a load builds: owned, growable, in huge pages.
 */
uint64_t *match_table_alloc(size_t n);
void match_table_free(uint64_t *p, size_t n);

/* The size in words of the Bloom filter for st's slots (one per 8 slots,
 * at least 8). */
size_t match_bloom_words(const struct match_store *st);

/* The same, inline: for the scanner, where a host's hash is the address of
 * its look in the table of misses, wanted at once. */
static inline uint64_t match_rd64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t match_mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t match_rd32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/*
 * match_hash: 8 bytes at a time, and the last 1..8 bytes read at once, overlapping
 * what came before (keys of 8 bytes or more) or as two 4-byte halves or
 * three single bytes (shorter keys), which go in the high half so that
 * no key's bytes cancel the length in the seed: no copy of a variable length, which
 * cost as much as the rest on the short keys a scan hashes (hosts,
 * addresses).  The length is in the seed, so overlapping reads do not make
 * two keys alike.
 */
static inline __attribute__((always_inline)) uint64_t match_hash_inline(unsigned type,
                                                                        const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)type << 56) ^ n, t;
	if (n >= 8) {
		size_t r = n;
		while (r > 8) {
			h = match_mix(h ^ match_rd64(p), 0xa0761d6478bd642full);
			p += 8;
			r -= 8;
		}
		t = match_rd64(p + r - 8);
	} else if (n >= 4) {
		t = match_rd32(p) << 32 | match_rd32(p + n - 4);
	} else if (n > 0) {
		/* high, away from the length in the seed's low bits */
		t = ((uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1]) << 32;
	} else {
		t = 0;
	}
	return match_mix(h ^ t, 0xe7037ed1a0b428dbull);
}

/* Are a[0..n) and b[0..n) the same bytes?  memcmp for the short keys of a
 * lookup (hosts, addresses), inline: words that may overlap, no call, and
 * no read outside either range. */
static inline bool match_same(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	uint64_t u, v, d = 0;
	if (n >= 8) {
		size_t i = 0;
		for (; i + 8 < n; i += 8) {
			memcpy(&u, x + i, 8);
			memcpy(&v, y + i, 8);
			d |= u ^ v;
		}
		memcpy(&u, x + n - 8, 8);
		memcpy(&v, y + n - 8, 8);
		return (d | (u ^ v)) == 0;
	}
	if (n >= 4) {
		uint32_t p, q, r, w;
		memcpy(&p, x, 4);
		memcpy(&q, y, 4);
		memcpy(&r, x + n - 4, 4);
		memcpy(&w, y + n - 4, 4);
		return ((p ^ q) | (r ^ w)) == 0;
	}
	for (size_t i = 0; i < n; i++)
		d |= (uint64_t)(x[i] ^ y[i]);
	return d == 0;
}

/* The binary or text key of a canonical value.  OUT: key (MATCH_KEY_MAX
 * bytes), *n.  Returns -1 when v is not canonical. */
int match_key_of(const struct ioc_value *v, unsigned char *key, size_t *n);

/* Chain head for (type, key) in st when the chain has a live entry (one
 * the allow-list did not remove), or MATCH_NONE. */
uint32_t match_store_find(const struct match_store *st, unsigned type, const void *key, size_t n);

/* The same with the hash of (type, key) given: match_hash(type, key, n). */
uint32_t match_store_find_h(const struct match_store *st, unsigned type, const void *key, size_t n,
                            uint64_t h);

/* The hash of the key of entry id (match_hash of its type and key). */
uint64_t match_store_key_hash(const struct match_store *st, uint32_t id);

/* Starts loading the memory a lookup of hash h touches first, so that a
 * batch of lookups waits for memory once, not once per lookup. */
void match_store_prefetch(const struct match_store *st, uint64_t h);
/* For an IPv4 lookup: the word of v4any, where most addresses stop.  (The
 * ~4% of a log's clients in a listed /24 then read the other summaries
 * unprefetched: a second pass over the batch to prefetch those cost more
 * than it saved, reading v4any right after prefetching it.) */
void match_store_prefetch_ipv4(const struct match_store *st, const uint8_t a[4]);

/* The /24 of address a: its bit in the IPv4 summaries (v4any, v4map,
 * v4net, v4cover). */
static inline uint32_t match_s24(const uint8_t a[4])
{
	return (uint32_t)a[0] << 16 | (uint32_t)a[1] << 8 | a[2];
}

/* Bit k of the bitmap map (an IPv4 summary or v4len), which may not exist
 * (NULL: no bit set). */
static inline bool match_v4bit(const uint64_t *map, uint32_t k)
{
	return map != NULL && (map[k / 64] >> (k % 64)) & 1;
}

/* Can an address be stored or in a stored network, given whether v4any
 * lists its /24?  False for most addresses: then match_store_ipv4 would say
 * MATCH_NONE.  Networks shorter than /16 are not in v4any: any address may
 * be in one of those. */
static inline bool match_store_ipv4_maybe(const struct match_store *st, bool v4any_listed)
{
	return v4any_listed || (st->len4 & 0xffffull) != 0;
}

/* The stored address a, or else the most specific stored network holding
 * it, or MATCH_NONE. */
uint32_t match_store_ipv4(const struct match_store *st, const uint8_t a[4]);

/* For an address whose /24 v4any lists (~10% of a log's clients at 10M
 * indicators): prefetches the words of the other summaries and the Bloom
 * word that match_store_ipv4 reads for it next, each a cache miss in a
 * large index, and returns the hash of its key for match_store_ipv4_h. */
uint64_t match_store_prefetch_ipv4_listed(const struct match_store *st, const uint8_t a[4]);
/* match_store_ipv4 with h = match_hash(IOC_IPV4, a, 4). */
uint32_t match_store_ipv4_h(const struct match_store *st, const uint8_t a[4], uint64_t h);

/* The stored URL that the canonical url[0..n) is, or is with its #fragment
 * taken off, or MATCH_NONE. */
uint32_t match_store_url(const struct match_store *st, const char *url, size_t n);

/* Longest-prefix match of addr (4 or 16 bytes) among the networks of type
 * (IOC_CIDR4/6) with prefix length <= maxlen whose lengths are in bits. */
uint32_t match_store_lpm(const struct match_store *st, unsigned type, const unsigned char *addr,
                         unsigned maxlen, const uint64_t *bits);

/* The most specific stored domain that host[0..n) (lower-case) is or is
 * under, or MATCH_NONE.  OUT: *suffix_at, where in host it starts. */
uint32_t match_store_suffix(const struct match_store *st, const char *host, size_t n,
                            size_t *suffix_at);

/* Is this TLD / URL host in the summaries? */
bool match_store_has_tld(const struct match_store *st, const char *tld, size_t n);
bool match_store_has_urlhost(const struct match_store *st, const char *host, size_t n);
/* The same in two steps, for batches: the hash of a URL host, a prefetch of
 * where the set keeps it, and the test. */
uint64_t match_urlhost_hash(const char *host, size_t n);
void match_store_prefetch_urlhost(const struct match_store *st, uint64_t h);
bool match_store_has_urlhost_h(const struct match_store *st, uint64_t h);

/* Is v (with its key[0..n)) covered by the allow-list of ix?  Caller holds
 * the lock or owns ix. */
bool match_allowed_locked(const struct match_index *ix, const struct ioc_value *v,
                          const unsigned char *key, size_t n);

/* Calls fn for every live entry of the chain at id (type reported as given). */
int match_report_chain(const struct match_index *ix, uint32_t id, match_hit_fn fn, void *arg);

/* Lookups with the read lock held by the caller. */
int match_lookup_locked(struct match_index *ix, const struct ioc_value *v, match_hit_fn fn,
                        void *arg);
int match_lookup_ipv4_locked(struct match_index *ix, const uint8_t a[4], match_hit_fn fn,
                             void *arg);
int match_lookup_ipv6_locked(struct match_index *ix, const uint8_t a[16], match_hit_fn fn,
                             void *arg);
/* host: lower-case, no trailing dot. */
int match_lookup_host_locked(struct match_index *ix, const char *host, size_t n, match_hit_fn fn,
                             void *arg);

/*
 * The scanner classifies text 64 bytes at a time with the widest vector
 * unit the CPU has (AVX-512BW, AVX2, SSE2; chosen once, at the first
 * scan), or byte by byte.  For tests and benchmarks: match_scan_simd
 * chooses "avx512", "avx2", "sse2" or "portable" (NULL: the best), before
 * scans start, and returns -1 when this CPU or build lacks it;
 * match_scan_simd_name says which is in use; match_scan_simd_agrees runs
 * every classifier the CPU has on one block and says whether they all
 * agree with the portable one.
 */
int match_scan_simd(const char *want);
const char *match_scan_simd_name(void);
bool match_scan_simd_agrees(const unsigned char block[64]);
/* For tests: the field memo's hash of p[0, n) (a '"' at p[n], none before,
 * n >= 32), made while looking for its end, equals the one made when the
 * end is known, and the end is found at n (also with the end further than
 * the 2049 bytes a field may be: then not found). */
bool match_scan_stretch_agrees(const unsigned char *p, size_t n);

/* ioc_ipv6_bytes without inet_pton (the scanner's parser): the same
 * answer and bytes for any input. */
bool match_ipv6_bytes(const char *s, size_t n, uint8_t out[16]);

/*
 * Counts of what a scan's lookups do, for tuning the scanner against a
 * large index (make CFLAGS=-DMATCH_COUNTERS; bench/scan-bench prints them).
 * Not thread-safe and never in a normal build: MATCH_COUNT is nothing then.
 */
#ifdef MATCH_COUNTERS
enum match_counter {
	MC_FLUSH,       /* batches done */
	MC_IP4_Q,       /* IPv4 lookups queued */
	MC_IP4_ANY,     /* ... that passed v4any (or the short networks) */
	MC_IP4_MAP,     /* ... whose /24 holds a stored address (v4map) */
	MC_IP4_NET,     /* ... whose /24 holds a network of length >= 25 */
	MC_IP4_COVER,   /* ... whose /24 is in a network of length 16..24 */
	MC_HOST_TOK,    /* host_token calls (runs with a dot and a letter) */
	MC_HOST_TLD,    /* ... whose last label is a stored TLD */
	MC_HOST_MISSED, /* ... then answered by the table of misses */
	MC_HOST_Q,      /* host lookups queued */
	MC_HOST_SUF,    /* suffixes probed (store_find_h) for them */
	MC_URL_Q,       /* URL-host tests queued */
	MC_URL_MISSED,  /* URL hosts answered by the table of misses */
	MC_URL_PASS,    /* URL hosts in the set of stored URLs' hosts */
	MC_EXACT_Q,     /* hashes, e-mail addresses queued */
	MC_IP6_Q,       /* IPv6 lookups queued */
	MC_FIND,        /* store_find_h calls */
	MC_BLOOM,       /* ... that passed the Bloom filter */
	MC_SLOTS,       /* slots read by them */
	MC_FOUND,       /* ... that found an entry */
	MC_TEXT_HASH,   /* hashes of hosts, URL hosts and their suffixes */
	MC_MISS_LOOK,   /* looks in the table of misses */
	MC_N
};
extern unsigned long long match_count[MC_N];
extern const char *const match_count_name[MC_N];
#define MATCH_COUNT(k) (match_count[k]++)
#else
#define MATCH_COUNT(k) ((void)0)
#endif

#endif
