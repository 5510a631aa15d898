/*
 * scan.c - find the index's indicators in logs and other text.
 *
 * A hand-written tokenizer, not a regular expression per line: one pass
 * splits the text into maximal runs of host characters ([A-Za-z0-9._-] and
 * non-ASCII bytes), collecting per run a few bits (has a dot, all digits
 * and dots, all hex, has upper case).  Only runs whose shape could match a
 * type the index holds are looked at further, and only those whose last
 * label is a TLD some stored domain has are lower-cased and probed.  Because
 * runs are maximal, "1.2.3.4" never matches inside "11.2.3.45" and
 * "evil.com" never inside "notevil.com".
 *
 * Three things keep it fast on large logs and large indexes: blocks of 64
 * bytes are classified with vector instructions and skipped whole when no
 * run in them can matter (see struct skipper), lookups are queued and done
 * in batches that prefetch what they read (see struct probe), and lookups
 * that found nothing are remembered for the rest of the scan (struct
 * miss).
 *
 * Types the tokenizer does not recognise (phones, IBANs, wallets, ...) are
 * found, when the index holds any, by the full extractor (src/ioc).
 */
#include "match/match_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#endif

enum {
	S_TOK = 1 << 0,   /* part of a run */
	S_DOT = 1 << 1,   /* '.' */
	S_UPPER = 1 << 2, /* A-Z */
	S_ALPHA = 1 << 3,
	S_NOTHEX = 1 << 4,    /* a run byte that is not a hex digit */
	S_NOTDIGDOT = 1 << 5, /* a run byte that is neither digit nor '.' */
	S_HIGH = 1 << 6,      /* >= 0x80 */
	S_URLEND = 1 << 7     /* ends a URL */
};

static uint8_t sc[256];
/* Bytes that may be in an IPv6 candidate (hex digits, ':', '.'), and bytes
 * a URL may end at (S_URLEND, or >= 0x80: typographic punctuation) */
static uint8_t v6c[256], urlstop[256];
/* Bytes that end the fast read of a URL's host (see url_host_fast) */
static uint8_t hoststop[256];
/* what trim_run takes off a run's ends: TRIM_END at its end ('.', '-',
 * '_'), TRIM_START at its start ('.', '-') */
static uint8_t trimc[256];
#define TRIM_END   1u
#define TRIM_START 2u

#if defined(__x86_64__) && defined(__GNUC__)
/* the tokenizer parses dotted quads with SSSE3 (parse_ipv4_ssse3) */
static bool have_ssse3;
#endif

static pthread_once_t classes_once = PTHREAD_ONCE_INIT;
static void choose_classifier(void);

static void init_classes(void)
{
	for (int c = 0; c < 256; c++) {
		uint8_t k = 0;
		bool tok = ioc_is_alnum((unsigned char)c) || c == '.' || c == '-' || c == '_' ||
		           c >= 0x80;
		if (tok) {
			k |= S_TOK;
			if (!ioc_is_hex((unsigned char)c))
				k |= S_NOTHEX;
			if (!ioc_is_digit((unsigned char)c) && c != '.')
				k |= S_NOTDIGDOT;
		}
		if (c == '.')
			k |= S_DOT;
		if (c >= 'A' && c <= 'Z')
			k |= S_UPPER;
		if (ioc_is_alpha((unsigned char)c))
			k |= S_ALPHA;
		if (c >= 0x80)
			k |= S_HIGH;
		if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
		    c == '`' || c == '{' || c == '}' || c == '|' || c == '\\' || c == '^')
			k |= S_URLEND;
		sc[c] = k;
		v6c[c] = ioc_is_hex((unsigned char)c) || c == ':' || c == '.';
		urlstop[c] = (k & S_URLEND) || c >= 0x80;
		hoststop[c] = urlstop[c] || c == '/' || c == '?' || c == '#' || c == '@' ||
		              c == ':' || c == '[';
		trimc[c] = (uint8_t)((c == '.' || c == '-' || c == '_' ? TRIM_END : 0) |
		                     (c == '.' || c == '-' ? TRIM_START : 0));
	}
#if defined(__x86_64__) && defined(__GNUC__)
	have_ssse3 = __builtin_cpu_supports("ssse3");
#endif
	choose_classifier();
}

/*
 * Lookups are not done where the tokenizer finds their tokens but queued,
 * BATCH at a time: what a lookup reads first (a summary word, filter word
 * or slot) starts loading when it is queued, the words an address reads
 * next when its batch is full (stage 1), and then the batch's lookups are
 * done in order (stage 2).  A lookup in a large index waits for memory
 * most of the time; this way the waits of a batch overlap instead of
 * adding up.  Hits come out in the order the tokens were queued, which is
 * the order of offset; a hit found on the spot (URLs, IPv6) first empties
 * the queue.
 */
/* at most 64: a bit each in struct scanner's live.  48 rather than 32 since
 * addresses no longer look in the table of misses: scanner +1.5% at 10M
 * (f2 slice, paired A/B, 2 x 20 rounds), +0.5% at 1M; 16 and 64 were
 * slower (with the table) */
#define BATCH       48
#define BATCH_KEYS  8192
#define HOST_HASHES 4 /* suffixes of a host whose hashes a probe keeps */

enum probe_kind {
	P_IPV4,  /* ip: an address (exact or in a network) */
	P_IPV6,  /* ip: an address (exact, in a network, or a mapped IPv4) */
	P_HOST,  /* key: a lower-case host, against domains (suffixes) */
	P_EXACT, /* key: a value of type, exactly (hashes, e-mail addresses) */
	P_URL    /* the token is a URL, key its lower-case host: canonicalised
	          * and looked up only when a stored URL has that host */
};

struct probe {
	uint8_t kind, type;
	uint8_t ip[16];
	uint32_t key, n; /* the key: keys[key .. key + n) */
	uint32_t s24;    /* P_IPV4: the address's /24 (match_s24) */
	/* P_HOST: where the suffixes whose hashes are in h start (nsuf of
	 * them; the host, then its parents, not the bare TLD) */
	uint16_t sat[HOST_HASHES];
	uint8_t nsuf;
	size_t start, end; /* the token, in the scanned text (P_URL: end 0 until
	                    * needed, then url_end from body) */
	size_t body;       /* P_URL: after its "://" */
	uint64_t h[HOST_HASHES];
};

/*
 * Host and URL-host lookups that found nothing, remembered for the rest of
 * one match_scan.  A log names the same hosts line after line (the vhost, a
 * site's own referers, the crawler URLs in user agents), and each lookup of
 * them would read the filter or the URL-host set of the index again: in a
 * large index, a cache miss each.  A small direct-mapped table of recent
 * misses, keyed by the key bytes (compared whole, so the answer is exact,
 * never a guess), answers those from the core's own cache (128 KiB, in its
 * L2: with half or twice as many slots a scan was 1.6% or 0.5-1.5% slower,
 * from more lookups or more of the table out of the cache).  It holds only
 * for one match_scan: the read lock is held throughout it, so the index
 * cannot change under the table.  Addresses are not kept: the few that
 * pass v4any have the words they read next prefetched (batch_prefetch),
 * and a look in the table (out of the cache, by then) cost more than it
 * saved (scanner +2% at 10M without it).
 */
#define MISS_SLOTS   4096
#define MISS_KEY     26           /* 99.9% of an access log's hosts; entries of 32 bytes */
#define MISS_MIN_LEN (256u << 10) /* shorter texts: the table costs more than it saves */

struct miss {
	uint32_t h;   /* the key hash's low half */
	uint8_t kind; /* a bit (1 << enum probe_kind) per kind of lookup that
	               * missed; 0: empty */
	uint8_t n;
	char key[MISS_KEY];
};

/* A host and the host of a URL are one entry, keyed by the host's one hash
 * (match_hash(IOC_DOMAIN, ...)), with a bit for each answer. */

/*
 * Quoted fields known to hold nothing, for the rest of one match_scan.  In
 * an access log most bytes are in quoted fields that repeat line after
 * line (the user agent, referers), and tokenizing them again finds what it
 * found before.  No token reaches across a '"': it is not a run byte, ends
 * URLs and IPv6 candidates, is no part of an e-mail local part, and every
 * look back (is_version, the '@' before a run, the byte before an IPv6
 * candidate) stops at it.  So the hits in the bytes between two '"' depend
 * only on those bytes, whatever is around them (refanged or not, JSON's \"
 * included: the '"' is still a '"'), and while the read lock is held the
 * index cannot change.  A stretch between two '"' (MEMO_MIN..MEMO_MAX
 * bytes) whose tokenizing queued no lookup and reported no hit (its
 * tokens were in the table of misses, or could not be indicators) is
 * remembered by its place in the text; a later stretch with the same hash,
 * length and bytes (compared whole: exact, never a guess) is skipped.
 */
#define MEMO_SLOTS 1024
#define MEMO_MIN   32
#define MEMO_MAX   2048

struct memo {
	uint64_t h;
	size_t off;  /* the latest copy, in the scanned text */
	uint32_t n;  /* 0: empty */
	uint32_t nl; /* '\n' in it */
};

/*
 * Whether the memo pays, per class of field (its first byte): in an access
 * log the user agents ('M' for "Mozilla/...") repeat, but requests ("GET
 * /...") and referers ("http...") are mostly new each line, and for those
 * the memo only costs a hash, a slot read and, when kept, the slot of a
 * field that would have come back.  Each class is tried MEMO_TRY times;
 * when fewer than 1 in MEMO_PAYS of those were known, it rests: its fields
 * are tokenized without the memo for MEMO_REST / MEMO_TRY times the bytes
 * its tries spanned (about its next MEMO_REST fields), and then it is
 * tried again, so a log whose fields change is served.  A rest is a span
 * of the text, not a count of fields, so that the AVX-512 skipper can drop
 * the quotes of resting classes from a block's seeds at once (see
 * classify_avx512vbmi_rest; a class wakes when the skipper passes its end)
 * instead of one seed at a time.  Only a matter of speed: a field the memo
 * does not look at is tokenized, which finds the same hits.
 */
#define MEMO_TRY  64
#define MEMO_PAYS 8
#define MEMO_REST 1024

struct memo_class {
	uint16_t tries, known;
	size_t from;  /* the field of the first of the tries */
	size_t until; /* resting for the fields that start before it */
};

#define TLDC_SLOTS 256

/*
 * Line numbers.  Every block the skipper classifies also gives its count of
 * '\n' (one more compare), and the bytes the tokenizer jumps over (a known
 * stretch, a URL, an IPv6 address) are counted when a block beyond them is
 * loaded (not those of a known stretch whose '\n' the memo counted: none,
 * mostly), so the text is read once: callers need not count lines in a second
 * pass over text that has left the caches.  Hits are reported late (lookups
 * are queued), so the count before each page of LINE_PAGE bytes is kept, and
 * a hit's line is that plus the newlines from the page's start (or from the
 * last hit, when that is nearer) to the hit.
 */
#define LINE_PAGE 4096

struct scanner {
	struct match_index *ix;
	const unsigned char *t; /* scanned text (refanged copy or the input) */
	size_t len;
	const uint32_t *map; /* t offset -> input offset when refanged */
	size_t orig_len;
	match_scan_fn fn;
	void *arg;
	int rc;
	/* the token being reported, in t */
	size_t tok_start, tok_end;
	bool want_ip4, want_ip6, want_host, want_url, want_email, want_hash;
	const struct ioc_ctx *ioc; /* for IDN hosts and URLs, created on demand */
	struct ioc_ctx *own_ioc;
	char buf[IOC_VALUE_MAX];
	char ubuf[IOC_VALUE_MAX]; /* a URL with JSON's "\/" unescaped */
	struct ioc_value v;
	struct ioc_value uv; /* a queued URL, canonical (flush: v may be in use) */
	/* lookups waiting to be done as a batch (see flush) */
	struct probe q[BATCH];
	size_t nq;
	uint8_t q4[BATCH]; /* which of them are IPv4 lookups */
	size_t nq4;
	uint64_t live;         /* bit k: q[k] has a lookup to do (stage 2) */
	char keys[BATCH_KEYS]; /* their keys */
	size_t nkeys;
	bool flushing;
	struct miss *miss; /* MISS_SLOTS, or NULL (short texts) */
	struct memo *memo; /* MEMO_SLOTS, or NULL (short texts) */
	size_t produced;   /* lookups queued and hits reported so far */
	/* the stretch being tokenized for the first time, if any: t[fa, fb),
	 * hash fh; remembered when produced is still fsnap at its end */
	size_t fa, fb, fsnap;
	uint64_t fh;
	bool fopen;
	struct memo_class mclass[256]; /* by a field's first byte */
	/* the VBMI classifier's table of class codes (vcls), with VCLS_REST
	 * for each ASCII class that rests (not ':', see skip_to_seed); and the
	 * least until of those, where one of them wakes (SIZE_MAX: none) */
	uint8_t vcls[128];
	size_t wake;
#define VCLS_REST 0x10 /* a code bit vcls_code leaves 0 */
	/* newlines: t[0, nl_at) holds nl_n (nl_at is a multiple of 64, or
	 * len); nl_page[p], those before t[p * LINE_PAGE], for every page that
	 * starts before nl_at; the last hit's line nl_qn, at t[nl_qa] */
	size_t nl_at, nl_qa;
	/* t[nl_clear_a, nl_clear_b) holds no '\n' (a known stretch just
	 * passed over): jumped over without a count */
	size_t nl_clear_a, nl_clear_b;
	uint64_t nl_n, nl_qn;
	uint64_t *nl_page;
	/* hits of the extractor's pass (offsets in the input, which is not t
	 * when refanged): their line, counted from the last one's (nl_oa) */
	size_t nl_oa;
	uint64_t nl_on;
	/* the host of the URL being read (url_host_fast), when host_token is
	 * about to see it as a run: t[known_a, known_a + known_n), its hash
	 * and its bits in the table of misses, so it is hashed and looked up
	 * there once for both; known_a is SIZE_MAX otherwise */
	size_t known_a, known_n;
	uint64_t known_h;
	unsigned known_missed;
	bool line_given; /* on_hit reports given_line, not the line of tok_start */
	uint64_t given_line;
	/* answers of match_store_has_tld for last labels of up to 8 bytes,
	 * by their bytes (see tld_known) */
	struct {
		uint64_t v; /* the label, byte i at bits 8i */
		uint8_t n;  /* its length; 0: empty */
		bool has;
	} tldc[TLDC_SLOTS];
};

static inline struct miss *miss_slot(const struct scanner *s, uint64_t h)
{
	return &s->miss[(h >> 40) & (MISS_SLOTS - 1)];
}

/* Is m the entry of key[0..n) (hash h)? */
static inline bool miss_is(const struct miss *m, uint64_t h, const void *key, size_t n)
{
	return m->h == (uint32_t)h && m->n == n && m->kind != 0 && match_same(m->key, key, n);
}

/* The bits (1 << kind) of the lookups of key[0..n) (hash h) that found
 * nothing in this scan, or 0. */
static inline unsigned miss_kinds(const struct scanner *s, uint64_t h, const void *key, size_t n)
{
	if (s->miss == NULL)
		return 0;
	MATCH_COUNT(MC_MISS_LOOK);
	const struct miss *m = miss_slot(s, h);
	return miss_is(m, h, key, n) ? m->kind : 0;
}

/* Has a lookup of kind for key[0..n) (hash h) found nothing in this scan? */
static inline bool miss_has(const struct scanner *s, unsigned kind, uint64_t h, const void *key,
                            size_t n)
{
	return (miss_kinds(s, h, key, n) >> kind) & 1;
}

/* Remembers that the lookup of kind for key[0..n) found nothing, beside
 * the other kinds' answers for the same key. */
static void miss_put(struct scanner *s, unsigned kind, uint64_t h, const void *key, size_t n)
{
	if (s->miss == NULL || n > MISS_KEY)
		return;
	struct miss *m = miss_slot(s, h);
	unsigned bits = miss_is(m, h, key, n) ? m->kind : 0;
	m->h = (uint32_t)h;
	m->kind = (uint8_t)(bits | 1u << kind);
	m->n = (uint8_t)n;
	memcpy(m->key, key, n);
}

/* match_hash and match_urlhost_hash for hosts, URL hosts and suffixes,
 * counted (MATCH_COUNTERS). */
static inline uint64_t text_hash(unsigned type, const void *key, size_t n)
{
	MATCH_COUNT(MC_TEXT_HASH);
	return match_hash_inline(type, key, n);
}

static inline uint64_t urlhost_hash(const char *host, size_t n)
{
	MATCH_COUNT(MC_TEXT_HASH);
	return match_urlhost_hash(host, n);
}

static uint64_t line_of(struct scanner *s, size_t a);

static int on_hit(void *arg, const struct match_hit *h)
{
	struct scanner *s = arg;
	size_t a = s->tok_start, b = s->tok_end;
	s->produced++;
	/* refanging keeps every '\n' and makes none, in order: the newlines
	 * before t[a] are those before the input's byte map[a] */
	uint64_t line = s->line_given ? s->given_line : line_of(s, a);
	if (s->map != NULL) {
		size_t ra = s->map[a];
		size_t rb = b < s->len ? s->map[b] : s->orig_len;
		a = ra;
		b = rb;
	}
	struct match_scan_hit sh = {.offset = a, .len = b - a, .line = line, .hit = h};
	s->rc = s->fn(s->arg, &sh);
	return s->rc;
}

static const struct ioc_ctx *need_ioc(struct scanner *s);

/* Canonicalises the URL u[0..n) (the token tok_start..tok_end) and reports
 * the stored URL it is, if any. */
static void url_lookup(struct scanner *s, const char *u, size_t n)
{
	if (need_ioc(s) == NULL || ioc_parse(s->ioc, IOC_URL, u, n, NULL, &s->uv, NULL) != 0)
		return;
	uint32_t id = match_store_url(&s->ix->main, s->uv.v, s->uv.len);
	if (id != MATCH_NONE)
		match_report_chain(s->ix, id, on_hit, s);
}

static size_t url_end(const struct scanner *s, size_t body, bool esc);

/* The first '.' in key[at, n), or n: a host's labels are a few bytes,
 * shorter than a call to memchr costs. */
static inline size_t next_dot(const char *key, size_t at, size_t n)
{
	while (at < n && key[at] != '.')
		at++;
	return at;
}

/*
 * A host lookup just queued (p, its hash in h[0]): the hashes of its parent
 * domains (not the bare TLD), and prefetches of the filter words of all of
 * them, now rather than when the batch is done, so that they have the time
 * of up to a batch of tokens to arrive (in a large index each is a cache
 * miss, and read right after its prefetch it still stalls).
 */
static void host_queued(const struct scanner *s, struct probe *p)
{
	const struct match_store *st = &s->ix->main;
	const char *key = s->keys + p->key;
	size_t at = 0;
	unsigned j = 0;
	for (; j < HOST_HASHES; j++) {
		size_t dot = next_dot(key, at, p->n);
		if (dot == p->n)
			break;
		if (j > 0)
			p->h[j] = text_hash(IOC_DOMAIN, key + at, p->n - at);
		p->sat[j] = (uint16_t)at;
		match_store_prefetch(st, p->h[j]);
		at = dot + 1;
	}
	p->nsuf = (uint8_t)j;
}

/*
 * A lookup just queued that is neither a host's (host_queued) nor a URL's
 * (the tokenizer prefetches the URL-host set's word): the hash of its key
 * and a prefetch of what it reads first, the filter word or the address's
 * word of v4any.  Done here, where the tokenizer's path predicts the
 * branch on the kind, not in a loop over the batch, where the kinds come
 * mixed and the branch missed about once per lookup.
 */
static void queued(struct scanner *s, struct probe *p)
{
	const struct match_store *st = &s->ix->main;
	size_t k = (size_t)(p - s->q);
	if (p->kind == P_IPV4) {
		match_store_prefetch_ipv4(st, p->ip);
		s->q4[s->nq4++] = (uint8_t)k;
		return; /* live only if stage 1 says so */
	}
	s->live |= 1ull << k;
	if (p->kind == P_IPV6) {
		if (st->types & (1u << IOC_IPV6))
			match_store_prefetch(st, match_hash(IOC_IPV6, p->ip, 16));
	} else if (p->kind == P_EXACT) {
		p->h[0] = match_hash(p->type, s->keys + p->key, p->n);
		match_store_prefetch(st, p->h[0]);
	}
}

/* Stage 1 of a batch: the addresses whose /24 v4any lists (its word
 * prefetched when they were queued) get the other words they read
 * prefetched too: at 10M indicators one in ten of a log's clients, each of
 * them three or four cache misses read one after another otherwise.  The
 * others (most) have no lookup to do, unless networks shorter than /16 are
 * stored.  h[1]: whether v4any lists it; h[0], then, the hash of its key */
static void batch_prefetch(struct scanner *s)
{
	const struct match_store *st = &s->ix->main;
	for (size_t k = 0; k < s->nq4; k++) {
		struct probe *p = &s->q[s->q4[k]];
		p->h[1] = match_v4bit(st->v4any, p->s24);
		if (p->h[1])
			p->h[0] = match_store_prefetch_ipv4_listed(st, p->ip);
		if (match_store_ipv4_maybe(st, p->h[1]))
			s->live |= 1ull << s->q4[k];
	}
}

/* The most specific stored domain that the host of p is or is under (as
 * match_store_suffix), with the hashes host_queued made. */
static uint32_t probe_suffix(const struct match_store *st, const struct probe *p, const char *key)
{
	/* the suffixes host_queued found, without walking the labels again */
	for (unsigned j = 0; j < p->nsuf; j++) {
		MATCH_COUNT(MC_HOST_SUF);
		uint32_t id = match_store_find_h(st, IOC_DOMAIN, key + p->sat[j], p->n - p->sat[j],
		                                 p->h[j]);
		if (id != MATCH_NONE)
			return id;
	}
	if (p->nsuf < HOST_HASHES)
		return MATCH_NONE; /* the next is the bare TLD, never an indicator */
	size_t at = p->sat[HOST_HASHES - 1];
	at = next_dot(key, at, p->n) + 1;
	for (;;) {
		size_t dot = next_dot(key, at, p->n);
		if (dot == p->n)
			return MATCH_NONE; /* a bare TLD is never an indicator */
		uint64_t h = text_hash(IOC_DOMAIN, key + at, p->n - at);
		MATCH_COUNT(MC_HOST_SUF);
		uint32_t id = match_store_find_h(st, IOC_DOMAIN, key + at, p->n - at, h);
		if (id != MATCH_NONE)
			return id;
		at = dot + 1;
	}
}

/* Does the queued lookups, in order, and empties the queue. */
static void flush(struct scanner *s)
{
	if (s->nq == 0)
		return;
	const struct match_store *st = &s->ix->main;
	size_t ts = s->tok_start, te = s->tok_end;
	s->flushing = true;
	MATCH_COUNT(MC_FLUSH);
	batch_prefetch(s);
	/* in order of k: only the lookups left to do, not the branch on the
	 * kind of each of the batch's addresses that v4any refused */
	for (uint64_t m = s->live; m != 0 && s->rc == 0; m &= m - 1) {
		const struct probe *p = &s->q[__builtin_ctzll(m)];
		const char *key = s->keys + p->key;
		uint32_t id;
		if (p->kind == P_IPV6 || p->kind == P_URL) {
			s->tok_start = p->start;
			s->tok_end = p->end;
			if (p->kind == P_IPV6) {
				match_lookup_ipv6_locked(s->ix, p->ip, on_hit, s);
			} else if (match_store_has_urlhost_h(st, p->h[1])) {
				MATCH_COUNT(MC_URL_PASS);
				if (p->end == 0)
					s->tok_end = url_end(s, p->body, false);
				url_lookup(s, (const char *)s->t + p->start, s->tok_end - p->start);
			} else {
				miss_put(s, P_URL, p->h[0], key, p->n);
			}
			continue;
		}
		if (p->kind == P_IPV4) {
			/* past v4any (stage 1), which prefetched the words
			 * read next: no look in the table of misses, which
			 * would mostly be a cache miss of its own */
			MATCH_COUNT(MC_IP4_ANY);
			id = p->h[1] ? match_store_ipv4_h(st, p->ip, p->h[0])
			             : match_store_ipv4(st, p->ip);
		} else if (p->kind == P_EXACT)
			id = match_store_find_h(st, p->type, key, p->n, p->h[0]);
		else
			id = probe_suffix(st, p, key);
		if (id == MATCH_NONE && p->kind == P_HOST)
			miss_put(s, P_HOST, p->h[0], key, p->n);
		if (id != MATCH_NONE) {
			s->tok_start = p->start;
			s->tok_end = p->end;
			match_report_chain(s->ix, id, on_hit, s);
		}
	}
	s->nq = 0;
	s->nq4 = 0;
	s->live = 0;
	s->nkeys = 0;
	s->flushing = false;
	s->tok_start = ts;
	s->tok_end = te;
}

/* Queues a lookup of the token t[a, b); key[0..n) for P_HOST, P_EXACT and
 * P_URL, the address ip (4 or 16 bytes) for P_IPV4 and P_IPV6. */
static struct probe *defer(struct scanner *s, enum probe_kind kind, unsigned type, size_t a,
                           size_t b, const void *key, size_t n, const uint8_t *ip)
{
	if (s->nq == BATCH || s->nkeys + n > sizeof s->keys)
		flush(s);
	s->produced++;
#ifdef MATCH_COUNTERS
	static const enum match_counter qc[] = {MC_IP4_Q, MC_IP6_Q, MC_HOST_Q, MC_EXACT_Q,
	                                        MC_URL_Q};
	MATCH_COUNT(qc[kind]);
#endif
	struct probe *p = &s->q[s->nq++];
	p->kind = (uint8_t)kind;
	p->type = (uint8_t)type;
	p->start = a;
	p->end = b;
	p->key = (uint32_t)s->nkeys;
	p->n = (uint32_t)n;
	if (n > 0)
		memcpy(s->keys + s->nkeys, key, n);
	s->nkeys += n;
	if (ip != NULL && kind == P_IPV6)
		memcpy(p->ip, ip, 16);
	else if (ip != NULL)
		memcpy(p->ip, ip, 4);
	queued(s, p);
	return p;
}

/* defer for an IPv4 address, the commonest lookup (a log line's client):
 * inline, with only the fields an address's lookup reads, and its word of
 * v4any prefetched here rather than through a call. */
static inline __attribute__((always_inline)) void defer_ipv4(struct scanner *s, size_t a, size_t b,
                                                             const uint8_t ip[4])
{
	if (s->nq == BATCH)
		flush(s);
	s->produced++;
	MATCH_COUNT(MC_IP4_Q);
	size_t k = s->nq++;
	struct probe *p = &s->q[k];
	p->kind = P_IPV4;
	p->start = a;
	p->end = b;
	memcpy(p->ip, ip, 4);
	p->s24 = match_s24(ip);
	const uint64_t *any = s->ix->main.v4any;
	if (any != NULL)
		__builtin_prefetch(&any[p->s24 / 64]);
	s->q4[s->nq4++] = (uint8_t)k;
}

/* on_hit for a hit found on the spot: the queued lookups, whose tokens
 * come first, report theirs before it. */
static int on_hit_now(void *arg, const struct match_hit *h)
{
	struct scanner *s = arg;
	if (s->nq > 0 && !s->flushing)
		flush(s);
	if (s->rc != 0)
		return s->rc;
	return on_hit(arg, h);
}

static const struct ioc_ctx *need_ioc(struct scanner *s)
{
	if (s->ioc == NULL && ioc_ctx_new(&s->own_ioc, NULL) == 0)
		s->ioc = s->own_ioc;
	return s->ioc;
}

/*
 * The length of the UTF-8 punctuation or space that starts at t[i] (a byte
 * >= 0x80), or 0: quotes, guillemets, no-break spaces, dashes and CJK
 * brackets end a run as ASCII punctuation does, so that "\u201cevil.com\u201d"
 * is "evil.com".  The ideographic full stops stay: IDNA reads them as dots.
 */
static size_t utf8_punct(const unsigned char *t, size_t len, size_t i)
{
	if (t[i] == 0xc2 && i + 1 < len && t[i + 1] >= 0xa0 && t[i + 1] <= 0xbf)
		return t[i + 1] != 0xaa && t[i + 1] != 0xb5 && t[i + 1] != 0xba ? 2 : 0;
	if (t[i] == 0xc3 && i + 1 < len && (t[i + 1] == 0x97 || t[i + 1] == 0xb7))
		return 2; /* multiplication and division signs */
	if ((t[i] & 0xf0) != 0xe0 || i + 2 >= len || (t[i + 1] & 0xc0) != 0x80 ||
	    (t[i + 2] & 0xc0) != 0x80)
		return 0;
	uint32_t c = (uint32_t)(t[i] & 0x0f) << 12 | (uint32_t)(t[i + 1] & 0x3f) << 6 |
	             (uint32_t)(t[i + 2] & 0x3f);
	bool p = (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f && c != 0x3002) ||
	         c == 0xfeff || (c >= 0xff01 && c <= 0xff0f && c != 0xff0e) ||
	         (c >= 0xff1a && c <= 0xff20) || (c >= 0xff3b && c <= 0xff40) ||
	         (c >= 0xff5b && c <= 0xff65 && c != 0xff61);
	return p ? 3 : 0;
}

/* One part of a dotted quad, the digits p[0..n): its value, or -1 when it
 * has no digit, more than 3 or a leading zero, or is over 255.  p[1] and
 * p[2] are read whatever n is (the caller has them), so that the value is
 * picked, not branched to: a log's octets are 1, 2 or 3 digits at random. */
static inline int quad_part(const unsigned char *p, size_t n)
{
	int d0 = p[0] - '0', d1 = p[1] - '0', d2 = p[2] - '0';
	int v = n == 1 ? d0 : n == 2 ? d0 * 10 + d1 : d0 * 100 + d1 * 10 + d2;
	bool bad = n - 1 > 2 || (n > 1 && d0 == 0) || v > 255;
	return bad ? -1 : v;
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * For parse_ipv4's vector path, per shape of a quad (the digit counts
 * L0..L3 of its parts, 1..3 each: 81 shapes, index 27(L0-1) + 9(L1-1) +
 * 3(L2-1) + L3-1): the shuffle that puts part i's digits right-aligned in
 * bytes 4i..4i+2 (hundreds, tens, ones; 0x80 makes a missing digit 0),
 * and the least value a part of that many digits has without a leading
 * zero (0, 10, 100).
 */
#define Q_SEL(st, L, j) ((j) >= 3 - (L) ? (st) + (j) - (3 - (L)) : 0x80)
#define Q_LANE(st, L)   Q_SEL(st, L, 0), Q_SEL(st, L, 1), Q_SEL(st, L, 2), 0x80
#define Q_PAT(a, b, c, d)                                                                          \
	{                                                                                          \
		Q_LANE(0, a), Q_LANE((a) + 1, b), Q_LANE((a) + (b) + 2, c),                        \
		        Q_LANE((a) + (b) + (c) + 3, d)                                             \
	}
#define Q_PAT3(a, b, c) Q_PAT(a, b, c, 1), Q_PAT(a, b, c, 2), Q_PAT(a, b, c, 3)
#define Q_PAT9(a, b)    Q_PAT3(a, b, 1), Q_PAT3(a, b, 2), Q_PAT3(a, b, 3)
#define Q_PAT27(a)      Q_PAT9(a, 1), Q_PAT9(a, 2), Q_PAT9(a, 3)
static const uint8_t quad_shuffle[81][16]
        __attribute__((aligned(16))) = {Q_PAT27(1), Q_PAT27(2), Q_PAT27(3)};
#define Q_MIN(L) ((L) == 1 ? 0 : (L) == 2 ? 10 : 100)
#define Q_MIN4(a, b, c, d)                                                                         \
	{                                                                                          \
		Q_MIN(a), Q_MIN(b), Q_MIN(c), Q_MIN(d)                                             \
	}
#define Q_MIN12(a, b, c) Q_MIN4(a, b, c, 1), Q_MIN4(a, b, c, 2), Q_MIN4(a, b, c, 3)
#define Q_MIN36(a, b)    Q_MIN12(a, b, 1), Q_MIN12(a, b, 2), Q_MIN12(a, b, 3)
#define Q_MIN108(a)      Q_MIN36(a, 1), Q_MIN36(a, 2), Q_MIN36(a, 3)
static const int32_t quad_min[81][4]
        __attribute__((aligned(16))) = {Q_MIN108(1), Q_MIN108(2), Q_MIN108(3)};

/* The parts of the quad in v (16 bytes, its first n digits and dots, with
 * its dots at d1 < d2 < d3) with one shuffle and two multiply-adds instead
 * of a branch-free select per part: parse_ipv4's answer. */
__attribute__((target("ssse3"))) static inline bool quad_ssse3(__m128i v, size_t n, size_t d1,
                                                               size_t d2, size_t d3, uint8_t a[4])
{
	size_t l0 = d1, l1 = d2 - d1 - 1, l2 = d3 - d2 - 1, l3 = n - d3 - 1;
	/* each 1..3: l - 1 <= 2 (unsigned, so 0 wraps) */
	if ((l0 - 1) > 2 || (l1 - 1) > 2 || (l2 - 1) > 2 || (l3 - 1) > 2)
		return false;
	size_t shape = 27 * (l0 - 1) + 9 * (l1 - 1) + 3 * (l2 - 1) + (l3 - 1);
	__m128i dig = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	__m128i parts = _mm_shuffle_epi8(
	        dig, _mm_load_si128((const __m128i *)(const void *)quad_shuffle[shape]));
	/* per part: 100h + 10t (one 16-bit lane), o (the next); then summed */
	__m128i hto = _mm_maddubs_epi16(
	        parts, _mm_setr_epi8(100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0));
	__m128i val = _mm_madd_epi16(hto, _mm_set1_epi16(1));
	__m128i min = _mm_load_si128((const __m128i *)(const void *)quad_min[shape]);
	__m128i bad =
	        _mm_or_si128(_mm_cmpgt_epi32(val, _mm_set1_epi32(255)), _mm_cmplt_epi32(val, min));
	if (_mm_movemask_epi8(bad) != 0)
		return false;
	uint32_t out = (uint32_t)_mm_cvtsi128_si32(
	        _mm_packus_epi16(_mm_packs_epi32(val, val), _mm_setzero_si128()));
	memcpy(a, &out, 4);
	return true;
}

/* parse_ipv4 for a quad with 16 bytes readable at p, on CPUs with SSSE3:
 * the load, the dots and quad_ssse3 in one function, one call from the
 * tokenizer (n: 7..15). */
__attribute__((target("ssse3"))) static bool parse_ipv4_ssse3(const unsigned char *p, size_t n,
                                                              uint8_t a[4])
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	uint32_t dots = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
	dots &= (1u << n) - 1;
	uint32_t r1 = dots & (dots - 1), r2 = r1 & (r1 - 1);
	if (r2 == 0 || (r2 & (r2 - 1)) != 0)
		return false;
	return quad_ssse3(v, n, (size_t)__builtin_ctz(dots), (size_t)__builtin_ctz(r1),
	                  (size_t)__builtin_ctz(r2), a);
}
#endif

/* A dotted quad, strictly (no leading zeros), into 4 bytes: what
 * ioc_ipv4_bytes says, for a run of digits and dots only, which the
 * tokenizer has (a loop that need not tell digits from other bytes).
 * wide: 16 bytes may be read from p, so that the dots are found with one
 * compare and the parts parsed without a loop (with SSSE3, without a
 * select per part: quad_ssse3). */
static bool parse_ipv4(const unsigned char *p, size_t n, uint8_t a[4], bool wide)
{
	if (n < 7 || n > 15)
		return false;
	unsigned char w[18] = {0}; /* p[0..n), then NULs: quad_part reads 2 past a part */
	uint32_t dots = 0;
	bool loaded = false; /* p[0..16) is in v */
#ifdef __SSE2__
	__m128i v = _mm_setzero_si128();
	if (wide) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		dots = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
		loaded = true;
	}
#endif
	if (!loaded) {
		memcpy(w, p, n);
		for (size_t i = 0; i < n; i++)
			dots |= (uint32_t)(p[i] == '.') << i;
	}
	dots &= (1u << n) - 1;
	/* exactly three dots: clearing the lowest three leaves none */
	uint32_t r1 = dots & (dots - 1), r2 = r1 & (r1 - 1);
	if (r2 == 0 || (r2 & (r2 - 1)) != 0)
		return false;
	size_t d1 = (size_t)__builtin_ctz(dots), d2 = (size_t)__builtin_ctz(r1),
	       d3 = (size_t)__builtin_ctz(r2);
#if defined(__x86_64__) && defined(__GNUC__)
	if (loaded && __builtin_cpu_supports("ssse3"))
		return quad_ssse3(v, n, d1, d2, d3, a);
#endif
#ifdef __SSE2__
	if (loaded)
		_mm_storeu_si128((__m128i *)(void *)w, v);
#endif
	int v0 = quad_part(w, d1), v1 = quad_part(w + d1 + 1, d2 - d1 - 1),
	    v2 = quad_part(w + d2 + 1, d3 - d2 - 1), v3 = quad_part(w + d3 + 1, n - d3 - 1);
	if ((v0 | v1 | v2 | v3) < 0)
		return false;
	a[0] = (uint8_t)v0;
	a[1] = (uint8_t)v1;
	a[2] = (uint8_t)v2;
	a[3] = (uint8_t)v3;
	return true;
}

/* parse_ipv4 from the tokenizer: with SSSE3 and 16 bytes to read, in one
 * call. */
static inline bool parse_quad(const unsigned char *p, size_t n, uint8_t a[4], bool wide)
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (wide && have_ssse3)
		return parse_ipv4_ssse3(p, n, a);
#endif
	return parse_ipv4(p, n, a, wide);
}

/*
 * match_store_has_tld for the last label tld[0..n) of a host, which is at
 * offset at of a buffer (so that the 8 bytes that end it can be read
 * whole when at + n >= 8).  A log names a few dozen TLDs over and over:
 * the answers for labels of up to 8 bytes are kept by their bytes (the
 * key compared whole, so the answer is exact; the index cannot change
 * while the scan holds the read lock), a multiply and a compare instead of
 * hashing the label and probing the set.
 */
static inline bool tld_known(struct scanner *s, const char *tld, size_t n, size_t at)
{
	if (n > 8 || n == 0)
		return match_store_has_tld(&s->ix->main, tld, n);
	uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (at + n >= 8) {
		memcpy(&v, tld + n - 8, 8);
		v >>= 64 - 8 * n;
	} else
#endif
	{
		(void)at;
		for (size_t i = 0; i < n; i++)
			v |= (uint64_t)(unsigned char)tld[i] << (8 * i);
	}
	size_t slot = (size_t)(((v ^ n) * 0x9e3779b97f4a7c15ull) >> 56) & (TLDC_SLOTS - 1);
	if (s->tldc[slot].n == n && s->tldc[slot].v == v)
		return s->tldc[slot].has;
	bool has = match_store_has_tld(&s->ix->main, tld, n);
	s->tldc[slot].v = v;
	s->tldc[slot].n = (uint8_t)n;
	s->tldc[slot].has = has;
	return has;
}

/*
 * Where the last label of the run t[a, b) starts: after its last '.', or a
 * when it has none.  OUT: *alpha, S_ALPHA when the label's bytes are all
 * ASCII letters.  A label of up to 7 bytes (nearly every TLD) is found in
 * the 8 bytes before b at once: the loop back to the '.', which left at a
 * different byte from one run to the next, was mispredicted about once
 * per host.
 */
static inline size_t last_label(const unsigned char *t, size_t a, size_t b, unsigned *alpha)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (b >= 8) {
		const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full, hi = ~lo7;
		uint64_t w;
		memcpy(&w, t + b - 8, 8); /* byte j is t[b - 8 + j] */
		uint64_t x = w ^ 0x2e2e2e2e2e2e2e2eull;
		uint64_t dot = ~(((x & lo7) + lo7) | x | lo7); /* 0x80 in each '.' byte */
		if (b - a < 8)
			dot &= ~0ull << 8 * (8 - (b - a)); /* not the bytes before a */
		if (dot != 0) {
			unsigned j = (unsigned)(63 - __builtin_clzll(dot)) / 8;
			/* letters: (c | 0x20) in 'a'..'z' for c < 0x80, with no
			 * carry between bytes */
			uint64_t y = (w & lo7) | 0x2020202020202020ull;
			uint64_t letter = (y + 0x1f1f1f1f1f1f1f1full) &
			                  ~(y + 0x0505050505050505ull) & ~w & hi;
			uint64_t label = j == 7 ? 0 : hi & ~0ull << 8 * (j + 1);
			*alpha = (letter & label) == label ? S_ALPHA : 0;
			return b - 7 + j;
		}
	}
#endif
	size_t k = b;
	unsigned al = S_ALPHA;
	while (k > a && t[k - 1] != '.')
		al &= sc[t[--k]];
	*alpha = al;
	return k;
}

/* The lookup of the lower-case host host[0..n) (the run t[a, b)) whose
 * TLD is stored: unless the table of misses knows it, queued. */
static void host_probe(struct scanner *s, size_t a, size_t b, const char *host, size_t n,
                       uint64_t h, unsigned missed)
{
	if ((missed >> P_HOST) & 1) {
		MATCH_COUNT(MC_HOST_MISSED);
		return;
	}
	struct probe *p = defer(s, P_HOST, IOC_DOMAIN, a, b, host, n, NULL);
	p->h[0] = h;
	host_queued(s, p);
}

/* host_token for a run with upper case or bytes >= 0x80 (flags): lowered
 * or canonicalised first.  k: where its last label starts. */
static __attribute__((noinline)) void host_token_slow(struct scanner *s, size_t a, size_t b,
                                                      size_t k, unsigned flags)
{
	const unsigned char *t = s->t;
	size_t n = b - a;
	const char *host;
	if (flags & S_HIGH) {
		/* an internationalised name: canonicalise it properly */
		if (need_ioc(s) == NULL ||
		    ioc_parse(s->ioc, IOC_DOMAIN, (const char *)t + a, n, NULL, &s->v, NULL) != 0)
			return;
		host = s->v.v;
		n = s->v.len;
		k = n;
		while (k > 0 && host[k - 1] != '.')
			k--;
		if (!match_store_has_tld(&s->ix->main, host + k, n - k))
			return;
	} else {
		for (size_t q = 0; q < n; q++)
			s->buf[q] = (char)ioc_lower(t[a + q]);
		host = s->buf;
		if (!tld_known(s, host + (k - a), b - k, k - a))
			return;
	}
	MATCH_COUNT(MC_HOST_TLD);
	uint64_t h;
	unsigned missed;
	if (a == s->known_a && n == s->known_n && !(flags & S_HIGH)) {
		h = s->known_h; /* the same bytes, lowered, as url_host_fast's */
		missed = s->known_missed;
	} else {
		h = text_hash(IOC_DOMAIN, host, n);
		missed = miss_kinds(s, h, host, n);
	}
	host_probe(s, a, b, host, n, h, missed);
}

/*
 * A run with a dot and a letter: a host if its last label is letters (or
 * an xn-- label), two or more, and a TLD some stored domain has.  Inline,
 * for the common case of a lower-case ASCII run: most such runs are file
 * names ("shirt-924.webp") that the TLD refuses, or hosts the table of
 * misses knows (a vhost, a referer's host), and a call, with the registers
 * it saves, cost about as much as that.
 */
static inline __attribute__((always_inline)) void host_token(struct scanner *s, size_t a, size_t b,
                                                             unsigned flags)
{
	const unsigned char *t = s->t;
	/* a URL's host whose lookup as a host found nothing before: known
	 * from url_host_fast's look in the table of misses, before any work
	 * on its last label */
	if (a == s->known_a && b - a == s->known_n && ((s->known_missed >> P_HOST) & 1) &&
	    !(flags & S_HIGH))
		return;
	unsigned alpha;
	size_t k = last_label(t, a, b, &alpha);
	if (k == a || b - k < 2)
		return;
	bool ace = b - k > 4 && (t[k] | 0x20) == 'x' && (t[k + 1] | 0x20) == 'n' &&
	           t[k + 2] == '-' && t[k + 3] == '-';
	if (!ace && !(flags & S_HIGH) && !alpha)
		return;
	size_t n = b - a;
	if (n >= sizeof s->buf)
		return;
	MATCH_COUNT(MC_HOST_TOK);
	if (flags & (S_HIGH | S_UPPER)) {
		host_token_slow(s, a, b, k, flags);
		return;
	}
	const char *host = (const char *)t + a;
	if (!tld_known(s, host + (k - a), b - k, k))
		return;
	MATCH_COUNT(MC_HOST_TLD);
	uint64_t h;
	unsigned missed;
	if (a == s->known_a && n == s->known_n) {
		h = s->known_h; /* the same bytes, lowered, as url_host_fast's */
		missed = s->known_missed;
	} else {
		h = text_hash(IOC_DOMAIN, host, n);
		missed = miss_kinds(s, h, host, n);
	}
	if ((missed >> P_HOST) & 1) {
		MATCH_COUNT(MC_HOST_MISSED);
		return;
	}
	host_probe(s, a, b, host, n, h, missed);
}

/* Trims the run at [*a, *b) of its punctuation edges ("evil.example." and
 * "-evil.example") and, when that changed it, recomputes its sc[] bits *f
 * ("<sha256>." is a hash).  False when nothing is left. */
static inline __attribute__((always_inline)) bool trim_run(const unsigned char *t, size_t *a,
                                                           size_t *b, unsigned *f)
{
	/* the common run, with nothing to trim: one look at each end */
	if (*b > *a && !((trimc[t[*b - 1]] & TRIM_END) | (trimc[t[*a]] & TRIM_START)))
		return true;
	size_t a0 = *a, b0 = *b;
	while (*b > *a && (t[*b - 1] == '.' || t[*b - 1] == '-' || t[*b - 1] == '_'))
		(*b)--;
	while (*a < *b && (t[*a] == '.' || t[*a] == '-'))
		(*a)++;
	if (*a == *b)
		return false;
	if (*b != b0 || *a != a0) {
		*f = 0;
		for (size_t q = *a; q < *b; q++)
			*f |= sc[t[q]];
	}
	return true;
}

static inline __attribute__((always_inline)) void run_lookups(struct scanner *s, size_t a, size_t b,
                                                              unsigned f);

/* The end of the URL whose body (after "://") starts at t[body]: white
 * space, a quote or typographic punctuation, less trailing punctuation. */
static size_t url_end(const struct scanner *s, size_t body, bool esc)
{
	const unsigned char *t = s->t;
	size_t e = body;
	for (;;) {
		while (e < s->len && !urlstop[t[e]])
			e++;
		if (e >= s->len)
			break;
		if (esc && t[e] == '\\' && e + 1 < s->len && t[e + 1] == '/') {
			e += 2;
			continue;
		}
		if (t[e] < 0x80 || utf8_punct(t, s->len, e) > 0)
			break; /* "\u201chttp://evil.com/x\u201d" */
		e++;
	}
	while (e > body && strchr(".,;:!?)]*", t[e - 1]) != NULL && t[e - 1] != '\0')
		e--;
	return e;
}

/*
 * The host of a URL at t[body] when it is ASCII run bytes up to a byte that
 * ends the fast read of a host (hoststop: '/', '?', '#', ':', ...), read 16
 * bytes at a time: OUT: *q, where it ends, *f, the sc[] bits of its bytes
 * ORed, and s->buf, the host in lower case.  False (and nothing written
 * that counts) when the text ends within 16 bytes of a step, the host is
 * longer than buf, or the first byte that is not a run byte does not end
 * the host ("a.example,b.example/", "%41.example/"): url_host_fast reads
 * those a byte at a time.
 */
#ifdef __SSE2__
/* x <= lim, as unsigned bytes */
static inline __m128i u8_le(__m128i x, __m128i lim)
{
	return _mm_cmpeq_epi8(_mm_min_epu8(x, lim), x);
}
#endif

static bool host_read16(struct scanner *s, size_t body, size_t *q, unsigned *f)
{
#ifdef __SSE2__
	const unsigned char *t = s->t;
	unsigned bits = S_TOK;
	for (size_t off = 0; body + off + 16 <= s->len && off + 16 <= sizeof s->buf; off += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + body + off));
		__m128i lo = _mm_or_si128(v, _mm_set1_epi8(0x20));
		__m128i al = u8_le(_mm_sub_epi8(lo, _mm_set1_epi8('a')), _mm_set1_epi8(25));
		__m128i up = u8_le(_mm_sub_epi8(v, _mm_set1_epi8('A')), _mm_set1_epi8(25));
		__m128i dg = u8_le(_mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(9));
		__m128i hx = u8_le(_mm_sub_epi8(lo, _mm_set1_epi8('a')), _mm_set1_epi8(5));
		__m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
		__m128i tok = _mm_or_si128(
		        _mm_or_si128(al, dg),
		        _mm_or_si128(dot, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')),
		                                       _mm_cmpeq_epi8(v, _mm_set1_epi8('_')))));
		unsigned stop = ~(unsigned)_mm_movemask_epi8(tok) & 0xffff;
		unsigned m = stop != 0 ? (1u << __builtin_ctz(stop)) - 1 : 0xffff; /* the host's */
		unsigned hexm = (unsigned)_mm_movemask_epi8(_mm_or_si128(dg, hx));
		unsigned dd = (unsigned)_mm_movemask_epi8(_mm_or_si128(dg, dot));
		bits |= ((unsigned)_mm_movemask_epi8(dot) & m ? S_DOT : 0) |
		        ((unsigned)_mm_movemask_epi8(up) & m ? S_UPPER : 0) |
		        ((unsigned)_mm_movemask_epi8(al) & m ? S_ALPHA : 0) |
		        (~hexm & m ? S_NOTHEX : 0) | (~dd & m ? S_NOTDIGDOT : 0);
		_mm_storeu_si128((__m128i *)(void *)(s->buf + off),
		                 _mm_or_si128(v, _mm_and_si128(up, _mm_set1_epi8(0x20))));
		if (stop != 0) {
			size_t e = body + off + (unsigned)__builtin_ctz(stop);
			if (!hoststop[t[e]])
				return false;
			*q = e;
			*f = bits;
			return true;
		}
	}
#else
	(void)s;
	(void)body;
	(void)q;
	(void)f;
#endif
	return false;
}

/*
 * The common URL, "scheme://host/...", read without finding its end first:
 * when the host is followed by '/', '#' or a '?' that stays in the URL,
 * it ends there whatever the URL's end, so the end is found only when a
 * stored URL has this host (flush).  Returns false for everything else
 * (userinfo, a port, an IPv6 literal, a non-ASCII or empty host, a URL
 * that ends inside its host), which url_token reads the long way.
 * Otherwise returns where the tokenizer goes on: when the host is one run
 * (the common case), its own lookups (a host, an address) are queued here
 * from the same pass and the tokenizer goes on after it, instead of
 * reading it again as the next run.
 */
static size_t url_host_fast(struct scanner *s, size_t a, size_t body)
{
	const unsigned char *t = s->t;
	size_t q;
	unsigned f = 0, all = S_TOK; /* sc[] bits of the host: any, every */
	bool lowered = host_read16(s, body, &q, &f);
	if (!lowered) {
		q = body;
		while (q < s->len && !hoststop[t[q]])
			q++;
	}
	if (q == body || q >= s->len || q - body >= sizeof s->buf)
		return 0;
	if (t[q] == '?') {
		/* a '?' is trimmed off the URL's end unless more follows */
		if (q + 1 >= s->len || urlstop[t[q + 1]] || strchr(".,;:!?)]*", t[q + 1]) != NULL)
			return 0;
	} else if (t[q] != '/' && t[q] != '#') {
		return 0;
	}
	size_t hn = q - body;
	for (size_t k = 0; k < hn && !lowered; k++) {
		unsigned c = sc[t[body + k]];
		f |= c;
		all &= c;
		s->buf[k] = (char)ioc_lower(t[body + k]);
	}
	if (s->buf[hn - 1] == '.')
		hn--;
	/* one hash and one look in the table of misses for the URL's host
	 * and, below, the same bytes as a host */
	uint64_t hh = text_hash(IOC_DOMAIN, s->buf, hn);
	unsigned missed = miss_kinds(s, hh, s->buf, hn);
	if ((missed >> P_URL) & 1)
		MATCH_COUNT(MC_URL_MISSED);
	else {
		struct probe *p = defer(s, P_URL, IOC_URL, a, 0, s->buf, hn, NULL);
		p->h[0] = hh;
		p->h[1] = urlhost_hash(s->buf, hn);
		p->body = body;
		match_store_prefetch_urlhost(&s->ix->main, p->h[1]);
	}
	if (!(all & S_TOK))
		return body; /* "a.example,b.example/": runs the tokenizer cuts */
	/* [body, q) is a whole run: t[body - 1] is '/', t[q] is not a run
	 * byte and neither is ':', so scan_run would do just this with it */
	size_t ra = body, rb = q;
	if (trim_run(t, &ra, &rb, &f)) {
		/* a host whose lookup as a host found nothing before (most
		 * referers' hosts): run_lookups would do nothing with it, so
		 * it is not called.  Its bytes were a host's (a dot, not only
		 * digits and dots: no address, no hash), no '@' precedes it
		 * ('/' does), and hash_segments looks only at runs longer than
		 * 32 bytes (the table of misses keeps none: MISS_KEY) */
		if (ra == body && rb - ra == hn && hn <= 32 && ((missed >> P_HOST) & 1) &&
		    !(f & S_HIGH))
			return q;
		if (ra == body && rb - ra == hn) {
			s->known_a = ra;
			s->known_n = hn;
			s->known_h = hh;
			s->known_missed = missed;
		}
		run_lookups(s, ra, rb, f);
		s->known_a = SIZE_MAX;
	}
	return q;
}

/* The run at [a, b) is followed by "://" (esc: by JSON's ":\/\/", and "\/"
 * is "/" throughout): report the URL if it is one. */
static size_t url_token(struct scanner *s, size_t a, size_t b, bool esc)
{
	const unsigned char *t = s->t;
	size_t body = b + (esc ? 5 : 3);
	if (!esc) {
		size_t next = url_host_fast(s, a, body);
		if (next != 0)
			return next;
	}
	size_t e = url_end(s, body, esc);
	const char *u = (const char *)t + a;
	size_t un = e - a;
	if (esc) {
		if (un >= sizeof s->ubuf)
			return body;
		un = 0;
		for (size_t q = a; q < e; q++) {
			if (t[q] == '\\' && q + 1 < e && t[q + 1] == '/')
				q++;
			s->ubuf[un++] = (char)t[q];
		}
		u = s->ubuf;
	}
	/* the host: after any userinfo (which may hold a ':'), up to '/', '?',
	 * '#' or the port; an IPv6 literal with its brackets */
	size_t h = b - a + 3, he = h;
	for (size_t q = h; q < un && u[q] != '/' && u[q] != '?' && u[q] != '#'; q++)
		if (u[q] == '@')
			he = q + 1; /* the last '@', as ioc_parse_url reads it */
	h = he;
	bool literal6 = h < un && u[h] == '[';
	if (literal6) {
		while (he < un && u[he] != ']' && u[he] != '/')
			he++;
		if (he < un && u[he] == ']')
			he++;
	} else {
		while (he < un && u[he] != '/' && u[he] != '?' && u[he] != '#' && u[he] != ':')
			he++;
	}
	if (he == h || he - h >= sizeof s->buf)
		return body;
	for (size_t q = h; q < he; q++)
		s->buf[q - h] = (char)ioc_lower((unsigned char)u[q]);
	size_t hn = he - h;
	if (hn > 0 && s->buf[hn - 1] == '.')
		hn--;
	/* IPv6 literals and internationalised names have many spellings:
	 * those few URLs are parsed without the prefilter */
	bool spelled = literal6;
	for (size_t q = 0; q < hn && !spelled; q++)
		spelled = (unsigned char)s->buf[q] >= 0x80;
	if (!spelled && !esc) {
		/* the common case: the URL is in the text as it is; its host is
		 * tested against the set of URL hosts with the batch */
		uint64_t hh = text_hash(IOC_DOMAIN, s->buf, hn);
		if (!miss_has(s, P_URL, hh, s->buf, hn)) {
			struct probe *p = defer(s, P_URL, IOC_URL, a, e, s->buf, hn, NULL);
			p->h[0] = hh;
			p->h[1] = urlhost_hash(s->buf, hn);
			match_store_prefetch_urlhost(&s->ix->main, p->h[1]);
		} else {
			MATCH_COUNT(MC_URL_MISSED);
		}
		return body;
	}
	if (!spelled && !match_store_has_urlhost(&s->ix->main, s->buf, hn))
		return body;
	if (need_ioc(s) == NULL || ioc_parse(s->ioc, IOC_URL, u, un, NULL, &s->v, NULL) != 0)
		return body;
	uint32_t id = match_store_url(&s->ix->main, s->v.v, s->v.len);
	if (id != MATCH_NONE) {
		s->tok_start = a;
		s->tok_end = e;
		match_report_chain(s->ix, id, on_hit_now, s);
	}
	return body;
}

/*
 * ioc_ipv6_bytes without its copy and inet_pton: the same addresses
 * accepted (and the same bytes) and the same refused, for any input, by
 * the rules of glibc's inet_pton6: groups of 1 to 4 hex digits, one "::",
 * no ':' at either end but as part of "::", and a dotted quad (decimal
 * parts without leading zeros) only as the last 4 bytes.  Unit test and
 * fuzz_scan compare the two.
 */
/* Hex digit values plus one, 0 for every other byte: one load tells a
 * digit and gives its value. */
#define HV16(c, v) [c] = (v) + 1
static const uint8_t hexval1[256] = {
        HV16('0', 0),  HV16('1', 1),  HV16('2', 2),  HV16('3', 3),  HV16('4', 4),  HV16('5', 5),
        HV16('6', 6),  HV16('7', 7),  HV16('8', 8),  HV16('9', 9),  HV16('a', 10), HV16('b', 11),
        HV16('c', 12), HV16('d', 13), HV16('e', 14), HV16('f', 15), HV16('A', 10), HV16('B', 11),
        HV16('C', 12), HV16('D', 13), HV16('E', 14), HV16('F', 15),
};
#undef HV16

/*
 * match_ipv6_bytes for a candidate of n bytes (1..46) that are hex digits
 * and ':' only, from its masks: cm, bit k when byte k is ':'; nib, the
 * hex value of each byte (64 bytes readable).  The same answer and bytes
 * (inet_pton6's rules, read per field between colons: a field of 1 to 4
 * digits is a group; an empty one is the "::", which may be there once;
 * the empty field before a leading "::" and after a trailing one are part
 * of it; no single ':' at either end), without a branch per byte: the
 * byte loop's branch on digit or colon missed at every group's end.
 */
static bool ipv6_fields(const uint8_t *nib, uint64_t cm, size_t n, uint8_t out[16])
{
	uint16_t g[8];
	unsigned ng = 0, gap = 9;    /* gap: groups before the "::"; 9: none */
	uint64_t m = cm | 1ull << n; /* each field's end (the last one's: n) */
	size_t start = 0;
	bool prev_empty = false;
	for (unsigned f = 0; m != 0; f++) {
		size_t end = (size_t)__builtin_ctzll(m);
		size_t len = end - start;
		m &= m - 1; /* 0 after the last field */
		if (len == 0) {
			if (f == 0) {
				if (n < 2 || !((cm >> 1) & 1))
					return false; /* ":x": a single leading ':' */
			} else if (m == 0) {
				if (!prev_empty)
					return false; /* "x:": a single trailing ':' */
			} else {
				if (gap != 9)
					return false; /* a second "::" */
				gap = ng;
			}
			prev_empty = true;
		} else {
			if (len > 4 || ng == 8)
				return false;
			uint32_t w;
			memcpy(&w, nib + start, 4);
			w <<= 8 * (4 - len); /* its digits right-aligned, first one the highest */
			g[ng++] = (uint16_t)((w & 0xf) << 12 | (w >> 8 & 0xf) << 8 |
			                     (w >> 16 & 0xf) << 4 | (w >> 24 & 0xf));
			prev_empty = false;
		}
		start = end + 1;
	}
	if (gap == 9 ? ng != 8 : ng > 7)
		return false;
	uint8_t tmp[16] = {0};
	for (unsigned i = 0; i < ng; i++) {
		unsigned at = i < gap ? 2 * i : 16 - 2 * (ng - i); /* after the "::": at the end */
		tmp[at] = (uint8_t)(g[i] >> 8);
		tmp[at + 1] = (uint8_t)g[i];
	}
	memcpy(out, tmp, 16);
	return true;
}

bool match_ipv6_bytes(const char *str, size_t n, uint8_t out[16])
{
	const unsigned char *s = (const unsigned char *)str, *end = s + n;
	uint8_t tmp[16] = {0};
	size_t tp = 0, colonp = SIZE_MAX;
	if (n == 0 || n >= 64)
		return false;
	if (n <= 46) {
		/* hex digits and ':' only: by fields, as ipv6_token does (and
		 * so tested against inet_pton with this function) */
		uint8_t nib[64] = {0};
		uint64_t cm = 0;
		bool plain = true;
		for (size_t i = 0; i < n; i++) {
			unsigned hv = hexval1[s[i]];
			cm |= (uint64_t)(s[i] == ':') << i;
			plain &= hv != 0 || s[i] == ':';
			nib[i] = (uint8_t)(hv - 1);
		}
		if (plain)
			return ipv6_fields(nib, cm, n, out);
	}
	if (*s == ':' && (++s == end || *s != ':'))
		return false;
	const unsigned char *curtok = s;
	unsigned val = 0, seen = 0;
	while (s < end) {
		unsigned char c = *s++;
		unsigned hv = hexval1[c];
		if (hv != 0) {
			if (seen == 4)
				return false;
			val = val << 4 | (hv - 1);
			seen++;
			continue;
		}
		if (c == ':') {
			curtok = s;
			if (seen == 0) {
				if (colonp != SIZE_MAX)
					return false;
				colonp = tp;
				continue;
			}
			if (s == end || tp + 2 > 16)
				return false;
			tmp[tp++] = (uint8_t)(val >> 8);
			tmp[tp++] = (uint8_t)val;
			seen = 0;
			val = 0;
			continue;
		}
		if (c != '.' || tp + 4 > 16)
			return false;
		/* the dotted quad from the last ':' to the end */
		unsigned octets = 0, v = 0;
		bool digit = false;
		for (const unsigned char *q = curtok; q < end; q++) {
			if (*q >= '0' && *q <= '9') {
				if (digit && v == 0)
					return false; /* a leading zero */
				v = v * 10 + (unsigned)(*q - '0');
				if (v > 255)
					return false;
				if (!digit) {
					if (++octets > 4)
						return false;
					digit = true;
				}
			} else if (*q == '.' && digit) {
				if (octets == 4)
					return false;
				tmp[tp + octets - 1] = (uint8_t)v;
				v = 0;
				digit = false;
			} else {
				return false;
			}
		}
		if (octets < 4)
			return false;
		tmp[tp + 3] = (uint8_t)v;
		tp += 4;
		seen = 0;
		break;
	}
	if (seen > 0) {
		if (tp + 2 > 16)
			return false;
		tmp[tp++] = (uint8_t)(val >> 8);
		tmp[tp++] = (uint8_t)val;
	}
	if (colonp != SIZE_MAX) {
		if (tp == 16)
			return false; /* "::" standing for no group */
		size_t k = tp - colonp;
		memmove(tmp + 16 - k, tmp + colonp, k);
		memset(tmp + colonp, 0, 16 - k - colonp);
		tp = 16;
	}
	if (tp != 16)
		return false;
	memcpy(out, tmp, 16);
	return true;
}

/* An IPv6 candidate at t[a]: hex digits, colons and (for a trailing dotted
 * quad) dots.  Returns its end, or a when it is not an address.  With 48
 * bytes of text from t[a], its bytes are classified 16 at a time, and an
 * address without a dotted quad is parsed from the masks (ipv6_fields). */
static size_t ipv6_token(struct scanner *s, size_t a)
{
	const unsigned char *t = s->t;
	if (a > 0 && (ioc_is_alnum(t[a - 1]) || t[a - 1] == ':' || t[a - 1] == '.'))
		return a;
	size_t e = a, colons = 0, lim = s->len - a > 46 ? a + 46 : s->len;
	bool dbl = false;            /* "::" seen */
	uint64_t cm = 0, dm = ~0ull; /* with the masks: ':' and '.' from t[a] */
	uint8_t nib[64];
#ifdef __SSE2__
	if (s->len - a >= 48) {
		uint64_t hm = 0;
		cm = 0;
		dm = 0;
		for (unsigned k = 0; k < 3; k++) {
			__m128i v =
			        _mm_loadu_si128((const __m128i *)(const void *)(t + a + 16 * k));
			__m128i lo = _mm_or_si128(v, _mm_set1_epi8(0x20));
			__m128i dg = u8_le(_mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(9));
			__m128i hx = u8_le(_mm_sub_epi8(lo, _mm_set1_epi8('a')), _mm_set1_epi8(5));
			__m128i val = _mm_or_si128(
			        _mm_and_si128(dg, _mm_sub_epi8(v, _mm_set1_epi8('0'))),
			        _mm_andnot_si128(dg, _mm_sub_epi8(lo, _mm_set1_epi8('a' - 10))));
			_mm_storeu_si128((__m128i *)(void *)(nib + 16 * k), val);
			hm |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(dg, hx)) << 16 * k;
			cm |= (uint64_t)(unsigned)_mm_movemask_epi8(
			              _mm_cmpeq_epi8(v, _mm_set1_epi8(':')))
			      << 16 * k;
			dm |= (uint64_t)(unsigned)_mm_movemask_epi8(
			              _mm_cmpeq_epi8(v, _mm_set1_epi8('.')))
			      << 16 * k;
		}
		_mm_storeu_si128((__m128i *)(void *)(nib + 48), _mm_setzero_si128());
		size_t r = (size_t)__builtin_ctzll(~(hm | cm | dm)); /* at most 48 */
		if (r > lim - a)
			r = lim - a;
		e = a + r;
		uint64_t in = (1ull << r) - 1;
		cm &= in;
		dm &= in;
		/* the colons counted only as far as the tests below need: under
		 * 2, 2..5 or 6 and more (baseline x86-64 has no popcnt) */
		uint64_t c1 = cm & (cm - 1); /* without its lowest colon: 0 when < 2 */
		uint64_t c5 = c1 & (c1 - 1);
		c5 &= c5 - 1;
		c5 &= c5 - 1;
		c5 &= c5 - 1; /* without the lowest five: 0 when < 6 */
		colons = c1 == 0 ? 1 : c5 == 0 ? 2 : 6;
		dbl = (cm & cm << 1) != 0;
	} else
#endif
	{
		for (; e < lim && v6c[t[e]]; e++) {
			if (t[e] == ':') {
				dbl |= e > a && t[e - 1] == ':';
				colons++;
			}
		}
	}
	while (e > a && (t[e - 1] == '.' || (t[e - 1] == ':' && !(e - a >= 2 && t[e - 2] == ':'))))
		e--;
	if (colons < 2 || (e < s->len && (ioc_is_alnum(t[e]) || t[e] == '_')))
		return a;
	/* an address has "::", or 7 colons, or 6 and a dotted quad: times like
	 * "2025:13:55:36" stop here, before the full parser */
	if (colons < 6 && !dbl)
		return a;
	uint8_t addr[16];
	size_t n = e - a;
	uint64_t in = (1ull << n) - 1; /* n <= 46 */
	if (n > 0 && (dm & in) == 0 ? !ipv6_fields(nib, cm & in, n, addr)
	                            : !match_ipv6_bytes((const char *)t + a, n, addr))
		return a;
	defer(s, P_IPV6, IOC_IPV6, a, e, NULL, 0, addr);
	return e;
}

/*
 * Is t[i] (a ':' after a run of at most 4 hex digits) the rest of a time,
 * ":13:55:36" in "2024:13:55:36" or ":55:36" in "13:55:36", one to five
 * groups of two digits, each after a ':', ending at a byte that cannot be
 * in an IPv6 candidate?  Then ipv6_token would find at most 5 colons and
 * no "::", which is no address: a log line's time is refused here at a
 * glance instead of a byte at a time.
 */
static bool time_tail(const unsigned char *t, size_t i, size_t len)
{
	unsigned groups = 0;
	while (groups < 5 && i + 2 < len && t[i] == ':' && ioc_is_digit(t[i + 1]) &&
	       ioc_is_digit(t[i + 2])) {
		i += 3;
		groups++;
	}
	return groups > 0 && i < len && !v6c[t[i]];
}

/* "bob@evil.com": the local part ends at a ('@' at t[a]); the domain is the
 * run [d, b). */
static void email_token(struct scanner *s, size_t at, size_t b)
{
	const unsigned char *t = s->t;
	/* The local part as the extractor takes it: letters, digits and
	 * "._%+-", so that "user=bob@x", "'bob@x'" and "/u/bob@x" are bob's;
	 * the rarer specials ("o'brien@x") only between alphanumerics. */
	size_t l = at;
	while (l > 0 && (ioc_is_alnum(t[l - 1]) || strchr("._%+-", t[l - 1]) != NULL) &&
	       t[l - 1] != '\0')
		l--;
	if (l < at)
		l = ioc_email_local_start(t, l, 0);
	while (l < at && t[l] == '.')
		l++;
	size_t n = b - l;
	if (l == at || n >= sizeof s->buf)
		return;
	memcpy(s->buf, t + l, at - l + 1);
	for (size_t q = at + 1; q < b; q++)
		s->buf[q - l] = (char)ioc_lower(t[q]);
	defer(s, P_EXACT, IOC_EMAIL, l, b, s->buf, n, NULL);
}

static void hash_token(struct scanner *s, size_t a, size_t b)
{
	size_t n = b - a;
	enum ioc_type type = n == 32   ? IOC_MD5
	                     : n == 40 ? IOC_SHA1
	                     : n == 64 ? IOC_SHA256
	                               : IOC_SHA512;
	if (!(s->ix->main.types & (1u << type)))
		return;
	for (size_t q = 0; q < n; q++)
		s->buf[q] = (char)ioc_lower(s->t[a + q]);
	defer(s, P_EXACT, type, a, b, s->buf, n, NULL);
}

static bool is_hash_len(size_t n)
{
	return n == 32 || n == 40 || n == 64 || n == 128;
}

/* For hash_segments, one load per byte: a hex digit, a separator, or 0. */
enum { SEG_HEX = 1, SEG_SEP = 2 };
#define SH(c) [c] = SEG_HEX
static const uint8_t segc[256] = {
        SH('0'), SH('1'),         SH('2'),         SH('3'),         SH('4'), SH('5'), SH('6'),
        SH('7'), SH('8'),         SH('9'),         SH('a'),         SH('b'), SH('c'), SH('d'),
        SH('e'), SH('f'),         SH('A'),         SH('B'),         SH('C'), SH('D'), SH('E'),
        SH('F'), ['_'] = SEG_SEP, ['.'] = SEG_SEP, ['-'] = SEG_SEP,
};
#undef SH

/* The first separator ('_', '.', '-') in t[q, b), or b; 16 bytes at a time
 * while the text lasts. */
static size_t next_sep(const struct scanner *s, size_t q, size_t b)
{
	const unsigned char *t = s->t;
#ifdef __SSE2__
	for (; q < b && q + 16 <= s->len; q += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + q));
		__m128i sep = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
		                           _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
		                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
		unsigned m = (unsigned)_mm_movemask_epi8(sep);
		if (m != 0) {
			size_t e = q + (unsigned)__builtin_ctz(m);
			return e < b ? e : b;
		}
	}
#endif
	while (q < b && segc[t[q]] != SEG_SEP)
		q++;
	return q < b ? q : b;
}

/* "sample_<md5>.bin": hashes between '_' and '.' inside a longer run.  The
 * separators are found 16 bytes at a time, and only a segment of a hash's
 * length has its bytes checked: a byte at a time, this loop over the long
 * runs of user agents and paths mispredicted at every segment's end. */
static void hash_segments(struct scanner *s, size_t a, size_t b)
{
	const unsigned char *t = s->t;
#ifdef __SSE2__
	if (b - a <= 64 && s->len - a >= 64) {
		/* most such runs are file names of short words ("winter-top-
		 * review-light-coat-26301"): no 32 bytes without a separator in
		 * them, seen in the run's mask of separators */
		uint64_t sep = 0;
		for (unsigned k = 0; k < 4; k++) {
			__m128i v =
			        _mm_loadu_si128((const __m128i *)(const void *)(t + a + 16 * k));
			__m128i m =
			        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
			                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
			                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))));
			sep |= (uint64_t)(unsigned)_mm_movemask_epi8(m) << 16 * k;
		}
		uint64_t x = ~sep & (b - a == 64 ? ~0ull : (1ull << (b - a)) - 1);
		x &= x >> 1;
		x &= x >> 2;
		x &= x >> 4;
		x &= x >> 8;
		x &= x >> 16; /* bit k: bytes k..k+31 hold no separator */
		if (x == 0)
			return;
	}
#endif
	for (size_t p = a; p < b && s->rc == 0;) {
		size_t q = next_sep(s, p, b);
		if (is_hash_len(q - p) && (p > a || q < b)) {
			unsigned hex = SEG_HEX;
			for (size_t i = p; i < q; i++)
				hex &= segc[t[i]];
			if (hex)
				hash_token(s, p, q);
		}
		p = q + 1;
	}
}

/*
 * "Chrome/122.0.0.0": a dotted quad right after the "/" of a product token
 * (RFC 9110 User-Agent and Server headers: "Name/version") is a version,
 * not an address.  The product name is [A-Za-z][A-Za-z0-9_-]* and starts
 * the token: it follows the start of the text, white space, a quote or
 * "(".  So "/proxy/1.2.3.4", "GET /1.2.3.4" and "host/1.2.3.4" in URL
 * paths stay addresses, since their '/' comes after a '/' or a space.
 */
static bool is_version(const unsigned char *t, size_t a)
{
	if (a < 2 || t[a - 1] != '/')
		return false;
	size_t k = a - 1;
	while (k > 0 && (ioc_is_alnum(t[k - 1]) || t[k - 1] == '-' || t[k - 1] == '_'))
		k--;
	if (k == a - 1 || !ioc_is_alpha(t[k]))
		return false;
	return k == 0 || t[k - 1] <= ' ' || t[k - 1] == '"' || t[k - 1] == '\'' || t[k - 1] == '(';
}

/* The lookups of a trimmed run at [a, b) with sc[] bits f that is not
 * followed by ':' (or whose ':' started nothing). */
static inline __attribute__((always_inline)) void run_lookups(struct scanner *s, size_t a, size_t b,
                                                              unsigned f)
{
	const unsigned char *t = s->t;
	size_t n = b - a;
	if (a > 0 && t[a - 1] == '@' && s->want_email)
		email_token(s, a - 1, b);
	if (f & S_DOT) {
		if (!(f & S_NOTDIGDOT)) {
			uint8_t ip[4];
			/* the length first, and a version ("Chrome/122.0.0.0")
			 * before it is parsed: a call each saved */
			if (s->want_ip4 && n - 7 <= 8 &&
			    !(a >= 2 && t[a - 1] == '/' && is_version(t, a)) &&
			    parse_quad(t + a, n, ip, s->len - a >= 16))
				defer_ipv4(s, a, b, ip);
		} else if (s->want_host && (f & (S_ALPHA | S_HIGH))) {
			host_token(s, a, b, f);
		}
	}
	if (s->want_hash && n >= 32) {
		if (!(f & S_NOTHEX) && is_hash_len(n))
			hash_token(s, a, b);
		else if (n > 32)
			hash_segments(s, a, b);
	}
}

/*
 * The block of 64 bytes the tokenizer is in, classified at once (see
 * skip_to_seed): which bytes are run bytes and seeds, and the bits of sc[]
 * scan_run collects per run, one mask each, so that a run inside the block
 * is measured and classified with a few bit operations instead of a loop
 * over its bytes.
 */
struct skipper {
	/* bit k: t[base + k] is a run byte (tok), has S_DOT, S_UPPER, S_ALPHA,
	 * S_NOTHEX, S_NOTDIGDOT, S_HIGH; in the order of those bits, so that
	 * run_flags512 tests them at once (fl: the same as a vector) */
	union {
		struct {
			uint64_t tok, dot, upper, alpha, nothex, notdigdot, high, none;
		};
		uint64_t fl[8];
	} __attribute__((aligned(64)));
	size_t base;       /* t offset of the block's first byte */
	uint64_t seed;     /* bit k: t[base + k] is a seed */
	uint64_t prev_tok; /* tok of the block before, when contiguous */
	uint64_t quote;    /* bit k: t[base + k] is '"' after ' ', and a seed */
	uint64_t dq;       /* bit k: t[base + k] is '"' (where a stretch ends) */
};

static inline __attribute__((always_inline)) void
skipper_load(struct scanner *s, struct skipper *k, size_t base, uint64_t prev_tok, unsigned v512);

_Static_assert(S_TOK == 1 && S_DOT == 2 && S_UPPER == 4 && S_ALPHA == 8 && S_NOTHEX == 16 &&
                       S_NOTDIGDOT == 32 && S_HIGH == 64,
               "struct skipper's masks are in the order of their bits");

/* The sc[] bits of the run bytes in mask r of block k, ORed; with v512, all
 * at once: a test of r against each of the block's masks (in the caller's
 * AVX-512 copy of the tokenizer, see scan_512). */
static inline __attribute__((always_inline)) unsigned run_flags_v(const struct skipper *k,
                                                                  uint64_t r, unsigned v512);

static inline unsigned run_flags(const struct skipper *k, uint64_t r)
{
	return S_TOK | (unsigned)((k->dot & r) != 0) * S_DOT |
	       (unsigned)((k->upper & r) != 0) * S_UPPER |
	       (unsigned)((k->alpha & r) != 0) * S_ALPHA |
	       (unsigned)((k->nothex & r) != 0) * S_NOTHEX |
	       (unsigned)((k->notdigdot & r) != 0) * S_NOTDIGDOT |
	       (unsigned)((k->high & r) != 0) * S_HIGH;
}

/*
 * One step of the tokenizer from t[i], which is between runs or at the
 * start of one: skips to the next run, looks at it, and returns where the
 * next step starts.
 */
static inline __attribute__((always_inline)) size_t scan_run(struct scanner *s, size_t i,
                                                             struct skipper *blk, unsigned v512)
{
	const unsigned char *t = s->t;
	size_t len = s->len;
	/* between runs; not when the block's masks say that t[i] starts a run
	 * of ASCII bytes, as a seed's run mostly does: two loads (t[i], its
	 * sc[]) less before all that follows */
	bool ascii = i - blk->base < 64 && ((blk->tok & ~blk->high) >> (i - blk->base) & 1);
	if (!ascii) {
		while (i < len && !(sc[t[i]] & S_TOK)) {
			if (t[i] == ':' && s->want_ip6 && i + 1 < len && t[i + 1] == ':') {
				size_t e = ipv6_token(s, i);
				if (e > i)
					return e;
			}
			i++;
		}
		if (i >= len)
			return len;
		if (t[i] >= 0x80) {
			size_t k = utf8_punct(t, len, i);
			if (k > 0)
				return i + k;
		}
	}
	size_t a = i;
	unsigned f = 0;
	bool ended = false;
	if (!ascii && i < blk->base && blk->base - i < 64) {
		/* the run began in the block before (skip_to_seed went back to
		 * its start): its bytes there one by one, the rest from the masks */
		while (i < blk->base && (sc[t[i]] & S_TOK))
			f |= sc[t[i++]];
		ended = i < blk->base;
	}
	bool inside = ascii || i - blk->base < 64;
	uint64_t rest = inside ? ~blk->tok >> (i - blk->base) : 0;
	if (ended) {
		/* measured */
	} else if (rest != 0) {
		/* the run ends in this block: its end and bits from the masks */
		unsigned from = (unsigned)(i - blk->base),
		         to = from + (unsigned)__builtin_ctzll(rest);
		i = blk->base + to;
		f |= run_flags_v(blk, (~0ull << from) & ~(~0ull << to), v512);
	} else if (inside) {
		/* the run reaches past the block: the blocks after it are the
		 * ones skip_to_seed would load next (contiguous, each once), so
		 * load them here and take the run's end and bits from their
		 * masks instead of a loop over its bytes */
		f |= run_flags_v(blk, ~0ull << (i - blk->base), v512);
		for (;;) {
			size_t next = blk->base + 64;
			if (next >= len) {
				i = len;
				break;
			}
			skipper_load(s, blk, next, blk->tok, v512);
			uint64_t gaps = ~blk->tok; /* the padding of a last block: gaps */
			if (gaps != 0) {
				unsigned to = (unsigned)__builtin_ctzll(gaps);
				i = next + to;
				f |= run_flags_v(blk, (1ull << to) - 1, v512);
				break;
			}
			f |= run_flags_v(blk, ~0ull, v512);
		}
	} else {
		while (i < len && (sc[t[i]] & S_TOK))
			f |= sc[t[i++]];
	}
	if (f & S_HIGH) {
		/* typographic punctuation inside the run ends it there (ASCII
		 * runs, the common case, do not pay for this) */
		for (size_t q = a + 1; q < i; q++)
			if (t[q] >= 0x80 && utf8_punct(t, len, q) > 0) {
				i = q;
				f = 0;
				for (size_t r = a; r < q; r++)
					f |= sc[t[r]];
				break;
			}
	}
	size_t b = i;
	if (!trim_run(t, &a, &b, &f))
		return i;
	size_t n = b - a;
	unsigned char next = i < len ? t[i] : 0;

	if (next == ':') {
		if (s->want_url && !(f & ~(S_TOK | S_ALPHA | S_UPPER | S_NOTHEX | S_NOTDIGDOT)) &&
		    n <= 5 && i + 2 < len && t[i + 1] == '/' && t[i + 2] == '/') {
			return url_token(s, a, i, false); /* after the host, or at it */
		}
		if (s->want_url && !(f & ~(S_TOK | S_ALPHA | S_UPPER | S_NOTHEX | S_NOTDIGDOT)) &&
		    n <= 5 && i + 4 < len && t[i + 1] == '\\' && t[i + 2] == '/' &&
		    t[i + 3] == '\\' && t[i + 4] == '/') {
			return url_token(s, a, i, true); /* JSON: "http:\/\/host\/path" */
		}
		if (s->want_ip6 && n <= 4 && !(f & (S_NOTHEX | S_DOT)) && !time_tail(t, i, len)) {
			size_t e = ipv6_token(s, a);
			if (e > a)
				return e;
		}
	}
	run_lookups(s, a, b, f);
	/* a run that ends at ':' has just been looked at with it (a URL's
	 * scheme, the start of IPv6); the ':' is a seed for that run's sake
	 * only, unless "::" starts an address here: passed over (on other
	 * ways out, a ':' left is one step more, which finds nothing) */
	return next == ':' && i + 1 < len && t[i + 1] != ':' ? i + 1 : i;
}

/*
 * Bulk skipping.  Most of a log is text no indicator can be in: runs
 * without a dot ("GET", "HTTP", dates, numbers, words).  A run can only
 * matter when it holds a '.' or a byte >= 0x80, is followed by ':' (a URL
 * scheme, IPv6), follows '@' (an e-mail domain), or is 32 bytes or longer
 * (a hash); "::" between runs starts IPv6.  Blocks of 64 bytes are
 * classified with vector instructions (AVX-512BW, AVX2 or SSE2, whichever
 * the CPU has, chosen at run time) into a bitmask of run bytes and one of
 * such "seeds" ('.', ':', '@', >= 0x80, the 32nd byte of a run), and
 * scan_run is called only from the start of the run that holds the first
 * seed; the block's masks also give scan_run a run's end and shape.
 * Every run before it is one that scan_run would have looked at in vain:
 * the hits are exactly those of calling scan_run from every run.
 */

/*
 * The ':' that cannot matter, taken out of the seeds: a ':' matters only
 * before "//" or "\/" (a URL scheme), as part of "::", or after a run that
 * could start an IPv6 address, and a run right after another ':' never can
 * (ipv6_token refuses it: "00:00:00" in a time is one candidate, not three).
 * Runs here are ASCII: scan_run ends runs at typographic punctuation, so a
 * byte >= 0x80 (brk) breaks them, and one that starts with '-' or '.' (brk
 * too) is trimmed by scan_run to a start that may not follow the ':'.
 * colon, tok, brk and next (bit k: byte k + 1 is '/', '\' or ':') are masks
 * of one block; a run that began in the block before is not seen as
 * following a ':', and the ':' at the block's edges are kept: both only add
 * seeds.
 */
static inline uint64_t idle_colons(uint64_t colon, uint64_t tok, uint64_t brk, uint64_t high,
                                   uint64_t next)
{
	uint64_t ascii = tok & ~high;
	uint64_t after = ascii & ~brk & (colon << 1); /* runs' first bytes, right after ':' */
	uint64_t runs = ascii & ~(ascii + after);     /* those runs, whole (the add's carry) */
	return colon & (runs << 1) & ~next & ~(1ull << 63);
}

/*
 * The ':' of a log line's time, taken out of the seeds: bit k when t[base +
 * k] starts ":dd:dd" or ":dd:dd:dd" followed by a byte that cannot be in
 * an IPv6 candidate (nv: such bytes, only those inside the text), as in
 * "13:55:36 " and "2024:13:55:36]".  time_tail holds there, so scan_run
 * does nothing at that ':' (no "//" after it, no "::", ipv6_token not
 * tried), and the run before it matters only through seeds of its own
 * ('.', '@', >= 0x80, its length).  Other times (one group, five, one that
 * reaches past the block) keep their ':', a seed too many, never one too
 * few; no loop, so that the seeds are ready a few operations after the
 * masks.
 */
static inline uint64_t time_colons(uint64_t colon, uint64_t digit, uint64_t nv)
{
	uint64_t pair = colon & digit >> 1 & digit >> 2; /* ":dd" at bit k */
	return pair & pair >> 3 & (nv >> 6 | (pair >> 6 & nv >> 9));
}

/*
 * What one 64-byte block looks like, a bit per byte (bit k: byte k), as
 * each classifier makes it; skipper_load derives the rest.
 */
struct raw_masks {
	uint64_t tok;   /* run bytes: [A-Za-z0-9._-], >= 0x80 */
	uint64_t seed;  /* '.', ':', '@', >= 0x80 */
	uint64_t colon; /* ':' */
	uint64_t next;  /* ':', '/', '\' */
	uint64_t brk;   /* '.', '-' */
	uint64_t high;  /* >= 0x80 */
	uint64_t dot, upper, alpha;
	uint64_t hex;    /* [0-9A-Fa-f] */
	uint64_t digdot; /* [0-9.] */
	uint64_t quote;  /* '"' */
	uint64_t space;  /* ' ' */
	uint64_t nl;     /* '\n' */
	uint64_t nlines; /* bits in nl */
};

/* The reference classifier, a byte at a time: any CPU, and the one the
 * vector classifiers are tested against. */
static void classify_portable(const unsigned char *p, struct raw_masks *r)
{
	memset(r, 0, sizeof *r);
	for (unsigned q = 0; q < 64; q++) {
		unsigned char c = p[q];
		uint64_t b = 1ull << q;
		r->tok |= (sc[c] & S_TOK) ? b : 0;
		r->seed |= c == '.' || c == ':' || c == '@' || c >= 0x80 ? b : 0;
		r->colon |= c == ':' ? b : 0;
		r->next |= c == ':' || c == '/' || c == '\\' ? b : 0;
		r->brk |= c == '.' || c == '-' ? b : 0;
		r->high |= c >= 0x80 ? b : 0;
		r->dot |= c == '.' ? b : 0;
		r->upper |= (sc[c] & S_UPPER) ? b : 0;
		r->alpha |= (sc[c] & S_ALPHA) ? b : 0;
		r->hex |= ioc_is_hex(c) ? b : 0;
		r->digdot |= ioc_is_digit(c) || c == '.' ? b : 0;
		r->quote |= c == '"' ? b : 0;
		r->space |= c == ' ' ? b : 0;
		r->nl |= c == '\n' ? b : 0;
	}
	r->nlines = (uint64_t)__builtin_popcountll(r->nl);
}

/* '\n' in p[0, n), a byte at a time. */
static uint64_t count_nl_portable(const unsigned char *p, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

#ifdef __SSE2__
/* x <= lim, as unsigned bytes */
#define LE_U8(f, x, lim) f##_cmpeq_epi8(f##_min_epu8(x, lim), x)

static void classify_sse2(const unsigned char *p, struct raw_masks *r)
{
	memset(r, 0, sizeof *r);
	for (unsigned k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i lo = _mm_or_si128(v, _mm_set1_epi8(0x20));
		__m128i al = LE_U8(_mm, _mm_sub_epi8(lo, _mm_set1_epi8('a')), _mm_set1_epi8(25));
		__m128i up = LE_U8(_mm, _mm_sub_epi8(v, _mm_set1_epi8('A')), _mm_set1_epi8(25));
		__m128i dg = LE_U8(_mm, _mm_sub_epi8(v, _mm_set1_epi8('0')), _mm_set1_epi8(9));
		__m128i hx = LE_U8(_mm, _mm_sub_epi8(lo, _mm_set1_epi8('a')), _mm_set1_epi8(5));
		__m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
		__m128i dash = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
		__m128i cl = _mm_cmpeq_epi8(v, _mm_set1_epi8(':'));
		__m128i at = _mm_cmpeq_epi8(v, _mm_set1_epi8('@'));
		__m128i sl = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')),
		                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
		__m128i us = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
		/* bytes >= 0x80 have the sign bit: movemask of v itself */
		__m128i tok =
		        _mm_or_si128(_mm_or_si128(_mm_or_si128(al, dg), _mm_or_si128(dot, dash)),
		                     _mm_or_si128(us, v));
		unsigned sh = 16 * k;
#define MM(x) ((uint64_t)(unsigned)_mm_movemask_epi8(x) << sh)
		r->tok |= MM(tok);
		r->seed |= MM(_mm_or_si128(_mm_or_si128(dot, cl), _mm_or_si128(at, v)));
		r->colon |= MM(cl);
		r->next |= MM(_mm_or_si128(cl, sl));
		r->brk |= MM(_mm_or_si128(dot, dash));
		r->high |= MM(v);
		r->dot |= MM(dot);
		r->upper |= MM(up);
		r->alpha |= MM(al);
		r->hex |= MM(_mm_or_si128(dg, hx));
		r->digdot |= MM(_mm_or_si128(dg, dot));
		r->quote |= MM(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
		r->space |= MM(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
		r->nl |= MM(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
#undef MM
	}
	r->nlines = (uint64_t)__builtin_popcountll(r->nl);
}

/* '\n' in p[0, n), 16 bytes at a time: the compare results (-1 per
 * newline) summed per byte lane for up to 255 rounds, then added up with
 * _mm_sad_epu8 (baseline x86-64 has no popcnt instruction). */
static uint64_t count_nl_sse2(const unsigned char *p, size_t n)
{
	uint64_t k = 0;
	size_t i = 0;
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (i + 16 <= n) {
		__m128i acc = zero;
		for (unsigned r = 0; r < 255 && i + 16 <= n; r++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
		}
		__m128i sum = _mm_sad_epu8(acc, zero);
		k += (uint64_t)_mm_cvtsi128_si32(sum) + (uint64_t)_mm_extract_epi16(sum, 4);
	}
	return k + count_nl_portable(p + i, n - i);
}
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_X86_DISPATCH 1

/* One half of a block, 32 bytes, as the masks of struct raw_masks. */
struct raw_half {
	uint32_t tok, seed, colon, next, brk, high, dot, upper, alpha, hex, digdot, quote, space,
	        nl;
};

__attribute__((target("avx2"))) static inline struct raw_half
classify_half_avx2(const unsigned char *p)
{
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i lo = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
	__m256i al =
	        LE_U8(_mm256, _mm256_sub_epi8(lo, _mm256_set1_epi8('a')), _mm256_set1_epi8(25));
	__m256i up = LE_U8(_mm256, _mm256_sub_epi8(v, _mm256_set1_epi8('A')), _mm256_set1_epi8(25));
	__m256i dg = LE_U8(_mm256, _mm256_sub_epi8(v, _mm256_set1_epi8('0')), _mm256_set1_epi8(9));
	__m256i hx = LE_U8(_mm256, _mm256_sub_epi8(lo, _mm256_set1_epi8('a')), _mm256_set1_epi8(5));
#define MM(x) ((uint32_t)_mm256_movemask_epi8(x))
	uint32_t dot = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('.')));
	uint32_t dash = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('-')));
	uint32_t cl = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(':')));
	uint32_t at = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('@')));
	uint32_t sl = MM(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('/')),
	                                 _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))));
	uint32_t us = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('_')));
	uint32_t hi = MM(v), a = MM(al), d = MM(dg);
	struct raw_half h = {
	        .tok = a | d | dot | dash | us | hi,
	        .seed = dot | cl | at | hi,
	        .colon = cl,
	        .next = cl | sl,
	        .brk = dot | dash,
	        .high = hi,
	        .dot = dot,
	        .upper = MM(up),
	        .alpha = a,
	        .hex = d | MM(hx),
	        .digdot = d | dot,
	        .quote = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'))),
	        .space = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(' '))),
	        .nl = MM(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))),
	};
#undef MM
	return h;
}

/* The same over two halves of 32 bytes, on CPUs with AVX2: the masks of
 * each half in registers, joined once (not ORed into memory a half at a
 * time). */
__attribute__((target("avx2,popcnt"))) static void classify_avx2(const unsigned char *p,
                                                                 struct raw_masks *r)
{
	struct raw_half l = classify_half_avx2(p), h = classify_half_avx2(p + 32);
#define JOIN(f) r->f = (uint64_t)l.f | (uint64_t)h.f << 32
	JOIN(tok);
	JOIN(seed);
	JOIN(colon);
	JOIN(next);
	JOIN(brk);
	JOIN(high);
	JOIN(dot);
	JOIN(upper);
	JOIN(alpha);
	JOIN(hex);
	JOIN(digdot);
	JOIN(quote);
	JOIN(space);
	JOIN(nl);
#undef JOIN
	r->nlines = (uint64_t)__builtin_popcountll(r->nl);
}

/* '\n' in p[0, n), 32 bytes at a time. */
__attribute__((target("avx2,popcnt"))) static uint64_t count_nl_avx2(const unsigned char *p,
                                                                     size_t n)
{
	uint64_t k = 0;
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
		k += (uint64_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(
		        _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))));
	}
	return k + count_nl_portable(p + i, n - i);
}

/* The whole block in one register, on CPUs with AVX-512BW, whose compares
 * give the 64-bit masks directly. */
__attribute__((target("avx512f,avx512bw,popcnt"))) static void
classify_avx512(const unsigned char *p, struct raw_masks *r)
{
	__m512i v = _mm512_loadu_si512((const void *)p);
	__m512i lo = _mm512_or_si512(v, _mm512_set1_epi8(0x20));
	uint64_t al = _mm512_cmple_epu8_mask(_mm512_sub_epi8(lo, _mm512_set1_epi8('a')),
	                                     _mm512_set1_epi8(25));
	uint64_t up = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('A')),
	                                     _mm512_set1_epi8(25));
	uint64_t dg = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
	                                     _mm512_set1_epi8(9));
	uint64_t hx = _mm512_cmple_epu8_mask(_mm512_sub_epi8(lo, _mm512_set1_epi8('a')),
	                                     _mm512_set1_epi8(5));
	uint64_t dot = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('.'));
	uint64_t dash = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('-'));
	uint64_t cl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(':'));
	uint64_t at = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('@'));
	uint64_t sl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('/')) |
	              _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
	uint64_t us = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('_'));
	uint64_t hi = _mm512_movepi8_mask(v);
	r->tok = al | dg | dot | dash | us | hi;
	r->seed = dot | cl | at | hi;
	r->colon = cl;
	r->next = cl | sl;
	r->brk = dot | dash;
	r->high = hi;
	r->dot = dot;
	r->upper = up;
	r->alpha = al;
	r->hex = dg | hx;
	r->digdot = dg | dot;
	r->quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
	r->space = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' '));
	r->nl = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
	r->nlines = (uint64_t)__builtin_popcountll(r->nl);
}

/*
 * The same with AVX-512VBMI, in fewer vector operations: one table lookup
 * (vpermi2b, 128 entries) gives each ASCII byte a class code of 4 bits
 * (bytes >= 0x80: 0, and the high mask), four tests read the code's bits
 * as four masks, and the masks of struct raw_masks are made of those with
 * bit operations: 6 vector operations and moves to general registers
 * instead of 20 (measured 6% faster alone, 2% in a scan).
 *
 * Code bit 0 is "run byte"; among run bytes, bit 1 is "letter", and then
 * bit 2 is upper case and bit 3 hex for letters, while for the others bits
 * 3, 2 are digit 10, '.' 11, '-' 01, '_' 00; among other bytes, (3, 2, 1)
 * is ':' 011, '/' and '\' 001, '@' 010, '"' 100, ' ' 101, '\n' 110, and 000
 * for the rest.
 */
static uint8_t vcls[128] __attribute__((aligned(64)));

static unsigned vcls_code(unsigned c)
{
	if (ioc_is_alpha((unsigned char)c))
		return 1 | 2 | (c >= 'A' && c <= 'Z' ? 4 : 0) |
		       (ioc_is_hex((unsigned char)c) ? 8 : 0);
	switch (c) {
	case '.': return 1 | 4 | 8;
	case '-': return 1 | 4;
	case '_': return 1;
	case ':': return 2 | 4;
	case '/':
	case '\\': return 2;
	case '@': return 4;
	case '"': return 8;
	case ' ': return 2 | 8;
	case '\n': return 4 | 8;
	default: return ioc_is_digit((unsigned char)c) ? 1 | 8 : 0;
	}
}

static void init_vcls(void)
{
	for (unsigned c = 0; c < 128; c++)
		vcls[c] = (uint8_t)vcls_code(c);
}

#define VBMI __attribute__((target("avx512f,avx512bw,avx512vbmi,popcnt,bmi")))

/* The classifier with the table tab (128 class codes); returns the mask of
 * the bytes whose code has VCLS_REST (see memo_rest) */
VBMI static inline __attribute__((always_inline)) uint64_t
classify_vbmi(const unsigned char *p, struct raw_masks *r, const uint8_t *tab)
{
	__m512i v = _mm512_loadu_si512((const void *)p);
	uint64_t hi = _mm512_movepi8_mask(v);
	__m512i code = _mm512_maskz_permutex2var_epi8(~hi, _mm512_loadu_si512((const void *)tab), v,
	                                              _mm512_loadu_si512((const void *)(tab + 64)));
	uint64_t c0 = _mm512_test_epi8_mask(code, _mm512_set1_epi8(1));
	uint64_t c1 = _mm512_test_epi8_mask(code, _mm512_set1_epi8(2));
	uint64_t c2 = _mm512_test_epi8_mask(code, _mm512_set1_epi8(4));
	uint64_t c3 = _mm512_test_epi8_mask(code, _mm512_set1_epi8(8));
	uint64_t alpha = c0 & c1, other = c0 & ~c1; /* run bytes: letters, the rest */
	uint64_t brk = other & c2, dot = brk & c3;
	uint64_t at_colon = c2 & ~c3 & ~c0, mark = c3 & ~c0; /* ':' '@'; '"' ' ' '\n' */
	r->tok = c0 | hi;
	r->seed = at_colon | dot | hi;
	r->colon = at_colon & c1;
	r->next = c1 & ~c3 & ~c0;
	r->brk = brk;
	r->high = hi;
	r->dot = dot;
	r->upper = alpha & c2;
	r->alpha = alpha;
	r->hex = (alpha & c3) | (other & c3 & ~c2);
	r->digdot = other & c3;
	r->quote = mark & ~(c1 | c2);
	r->space = mark & c1 & ~c2;
	r->nl = mark & c2 & ~c1;
	r->nlines = (uint64_t)__builtin_popcountll(r->nl);
	return _mm512_test_epi8_mask(code, _mm512_set1_epi8(VCLS_REST));
}

VBMI static void classify_avx512vbmi(const unsigned char *p, struct raw_masks *r)
{
	(void)classify_vbmi(p, r, vcls);
}

/* The same with a scan's own table (struct scanner's vcls): OUT: *r, and
 * returns the bytes of its resting classes */
VBMI static uint64_t classify_avx512vbmi_rest(const unsigned char *p, struct raw_masks *r,
                                              const uint8_t *tab)
{
	return classify_vbmi(p, r, tab);
}

/* '\n' in p[0, n), 64 bytes at a time; the last bytes with a masked load,
 * which reads nothing outside p[0, n). */
__attribute__((target("avx512f,avx512bw,popcnt"))) static uint64_t
count_nl_avx512(const unsigned char *p, size_t n)
{
	const __m512i nl = _mm512_set1_epi8('\n');
	uint64_t k = 0;
	size_t i = 0;
	for (; i + 64 <= n; i += 64)
		k += (uint64_t)__builtin_popcountll(
		        _mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(p + i)), nl));
	if (i < n) {
		__m512i v = _mm512_maskz_loadu_epi8((1ull << (n - i)) - 1, p + i);
		k += (uint64_t)__builtin_popcountll(_mm512_cmpeq_epi8_mask(v, nl));
	}
	return k;
}
#endif

/* The classifier this CPU runs best, chosen once (match_scan_simd). */
static void (*classify)(const unsigned char *p, struct raw_masks *r) = classify_portable;
/* and the newline counter of the same instruction set */
static uint64_t (*count_nl)(const unsigned char *p, size_t n) = count_nl_portable;

static const char *simd_name = "portable";
#ifdef HAVE_X86_DISPATCH
/* the tokenizer (and skipper_load in it) may use BMI1/2 and LZCNT (see
 * scan_bmi) */
static bool have_bmi;
/* with the "avx512" classifier: the tokenizer's AVX-512 copy (scan_512),
 * and on CPUs with VAES, the memo's fields ended, hashed and compared 64
 * bytes at a time (stretch_end512) */
static bool scan_wide, stretch_wide;
/* and the classifier is the VBMI one (scan_512vx) */
static bool scan_vx;
#endif

/* scan_text's copies: v512 (its bits) says which it is */
#define V_512 1u /* AVX-512: run_flags512, skipper_masks512 */
#define V_VX  2u /* and the VBMI classifier: see scan_512vx */

#ifdef HAVE_X86_DISPATCH
/* VAES from CPUID: not every compiler's __builtin_cpu_supports knows it
 * (clang 14 does not) */
static bool cpu_has_vaes(void)
{
	unsigned a, b, c, d;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & bit_VAES);
}
#endif

static int set_classifier(const char *want)
{
	struct {
		const char *name;
		void (*fn)(const unsigned char *, struct raw_masks *);
		uint64_t (*count)(const unsigned char *, size_t);
		bool ok;
	} impls[] = {
#ifdef HAVE_X86_DISPATCH
	        {"avx512", classify_avx512vbmi, count_nl_avx512,
	         __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	                 __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("popcnt")},
	        {"avx512", classify_avx512, count_nl_avx512,
	         __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	                 __builtin_cpu_supports("popcnt")},
	        {"avx2", classify_avx2, count_nl_avx2,
	         __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")},
#endif
#ifdef __SSE2__
	        {"sse2", classify_sse2, count_nl_sse2, true},
#endif
	        {"portable", classify_portable, count_nl_portable, true},
	};
	for (size_t i = 0; i < sizeof impls / sizeof impls[0]; i++)
		if (impls[i].ok && (want == NULL || strcmp(want, impls[i].name) == 0)) {
			classify = impls[i].fn;
			count_nl = impls[i].count;
			simd_name = impls[i].name;
#ifdef HAVE_X86_DISPATCH
			scan_wide = strcmp(simd_name, "avx512") == 0 && have_bmi;
			stretch_wide = scan_wide && cpu_has_vaes();
			scan_vx = scan_wide && impls[i].fn == classify_avx512vbmi;
#endif
			return 0;
		}
	return -1;
}

bool match_scan_simd_agrees(const unsigned char block[64])
{
	pthread_once(&classes_once, init_classes);
	struct raw_masks want, got;
	classify_portable(block, &want);
	void (*fns[])(const unsigned char *, struct raw_masks *) = {
#ifdef HAVE_X86_DISPATCH
	        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
	                ? classify_avx512
	                : classify_portable,
	        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	                        __builtin_cpu_supports("avx512vbmi")
	                ? classify_avx512vbmi
	                : classify_portable,
	        __builtin_cpu_supports("avx2") ? classify_avx2 : classify_portable,
#endif
#ifdef __SSE2__
	        classify_sse2,
#endif
	        classify_portable};
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		fns[i](block, &got);
		if (memcmp(&want, &got, sizeof want) != 0)
			return false;
	}
#ifdef HAVE_X86_DISPATCH
	/* and the VBMI classifier with a scan's table: the same masks, and
	 * the bytes of the classes marked resting (some letters here) */
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("avx512vbmi")) {
		uint8_t tab[128];
		uint64_t rest = 0;
		memcpy(tab, vcls, sizeof tab);
		for (unsigned c = 'A'; c < 128; c += 7)
			tab[c] |= VCLS_REST;
		for (unsigned j = 0; j < 64; j++)
			if (block[j] < 128 && (tab[block[j]] & VCLS_REST))
				rest |= 1ull << j;
		if (classify_avx512vbmi_rest(block, &got, tab) != rest ||
		    memcmp(&want, &got, sizeof want) != 0)
			return false;
	}
#endif
	/* and the newline counters, over lengths of the block (a few: the
	 * unit test calls this for many blocks) */
	uint64_t (*counts[])(const unsigned char *, size_t) = {
#ifdef HAVE_X86_DISPATCH
	        __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
	                ? count_nl_avx512
	                : count_nl_portable,
	        __builtin_cpu_supports("avx2") ? count_nl_avx2 : count_nl_portable,
#endif
#ifdef __SSE2__
	        count_nl_sse2,
#endif
	        count_nl_portable};
	for (size_t n = 0; n <= 64; n += n < 60 ? 7 : 1)
		for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
			if (counts[i](block, n) != count_nl_portable(block, n))
				return false;
	return true;
}

static void choose_classifier(void)
{
#ifdef HAVE_X86_DISPATCH
	/* LZCNT from CPUID: not every compiler's __builtin_cpu_supports
	 * knows it (clang 14 does not) */
	unsigned a, b, c, d;
	have_bmi = __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
	           __builtin_cpu_supports("popcnt") && __get_cpuid(0x80000001, &a, &b, &c, &d) &&
	           (c & bit_LZCNT);
	init_vcls();
#endif
	(void)set_classifier(NULL);
}

int match_scan_simd(const char *want)
{
	pthread_once(&classes_once, init_classes);
	return set_classifier(want);
}

const char *match_scan_simd_name(void)
{
	pthread_once(&classes_once, init_classes);
	return simd_name;
}

#ifdef HAVE_X86_DISPATCH
__attribute__((target("avx512f,avx512bw"))) static inline unsigned
run_flags512(const struct skipper *k, uint64_t r)
{
	return S_TOK | (unsigned)_mm512_test_epi64_mask(_mm512_load_si512((const void *)k->fl),
	                                                _mm512_set1_epi64((long long)r));
}
#endif

static inline __attribute__((always_inline)) unsigned run_flags_v(const struct skipper *k,
                                                                  uint64_t r, unsigned v512)
{
#ifdef HAVE_X86_DISPATCH
	if (v512)
		return run_flags512(k, r);
#endif
	(void)v512;
	return run_flags(k, r);
}

/* Counts the newlines of t[nl_at, end) (end: a multiple of 64, or len),
 * keeping the count before each page. */
static void lines_count_to(struct scanner *s, size_t end)
{
	size_t at = s->nl_at;
	if (end > s->len)
		end = s->len;
	while (at < end) {
		if (at % LINE_PAGE == 0)
			s->nl_page[at / LINE_PAGE] = s->nl_n;
		size_t stop = (at / LINE_PAGE + 1) * LINE_PAGE;
		if (stop > end)
			stop = end;
		s->nl_n += count_nl(s->t + at, stop - at);
		at = stop;
	}
	if (at > s->nl_at)
		s->nl_at = at;
}

/* The newlines in t before t[a]: from the page's count, or from the last
 * hit's when it is in the same page before a (hits come in order). */
static uint64_t line_of(struct scanner *s, size_t a)
{
	if (a >= s->nl_at)
		lines_count_to(s, (a | 63) + 1); /* a hit beyond the skipper's blocks */
	size_t from = a - a % LINE_PAGE;
	uint64_t n = s->nl_page[from / LINE_PAGE];
	if (s->nl_qa >= from && s->nl_qa <= a) {
		from = s->nl_qa;
		n = s->nl_qn;
	}
	n += count_nl(s->t + from, a - from);
	s->nl_qa = a;
	s->nl_qn = n;
	return n;
}

/* Class c (a field's first byte) rests for the fields that start before
 * until (see struct memo_class). */
static void memo_rest(struct scanner *s, unsigned c, size_t until)
{
	s->mclass[c].until = until;
	if (c < 128 && c != ':') {
		s->vcls[c] |= VCLS_REST;
		if (until < s->wake)
			s->wake = until;
	}
}

/* The skipper is at offset at, where a class may wake: out of the table of
 * resting classes with those whose rest is over. */
static __attribute__((noinline)) void memo_wake(struct scanner *s, size_t at)
{
	size_t wake = SIZE_MAX;
	for (unsigned c = 0; c < 128; c++)
		if (s->vcls[c] & VCLS_REST) {
			if (s->mclass[c].until <= at)
				s->vcls[c] &= (uint8_t)~VCLS_REST;
			else if (s->mclass[c].until < wake)
				wake = s->mclass[c].until;
		}
	s->wake = wake;
}

/*
 * The block's masks that run_flags tests, into k (tok included).  For the
 * AVX-512 tokenizer (v512) as one 64-byte store: run_flags512 reads them
 * as one vector, often right after the block is loaded, and a load that
 * spans several smaller stores still in flight is not forwarded from them
 * but waits until they are written (measured 2% faster in all).
 */
#ifdef HAVE_X86_DISPATCH
__attribute__((target("avx512f,avx512bw"))) static inline void
skipper_masks512(struct skipper *k, uint64_t tok, const struct raw_masks *r)
{
	_mm512_store_si512((void *)k->fl,
	                   _mm512_set_epi64(0, (long long)r->high, (long long)(tok & ~r->digdot),
	                                    (long long)(tok & ~r->hex), (long long)r->alpha,
	                                    (long long)r->upper, (long long)r->dot,
	                                    (long long)tok));
}
#endif

static inline __attribute__((always_inline)) void
skipper_masks(struct skipper *k, uint64_t tok, const struct raw_masks *r, unsigned v512)
{
#ifdef HAVE_X86_DISPATCH
	if (v512) {
		skipper_masks512(k, tok, r);
		return;
	}
#endif
	(void)v512;
	k->tok = tok;
	k->dot = r->dot;
	k->upper = r->upper;
	k->alpha = r->alpha;
	k->nothex = tok & ~r->hex;
	k->notdigdot = tok & ~r->digdot;
	k->high = r->high;
	k->none = 0;
}

/* Classifies the block at t[base], with the tok mask of the 64 bytes
 * before it (0 when not contiguous): seeds include the 32nd byte of every
 * run, counting the run from the block before, and with a memo, every '"'
 * after a space (a field's opening quote in an access log: the stretch
 * from it to the next '"' is looked up in the memo, see struct memo).
 * Counts the newlines up to the block's end (see LINE_PAGE).  Inlined in
 * each copy of the tokenizer's loop (scan_text): a block costs a call and
 * its saved registers less (measured 1% faster than a call). */
static inline __attribute__((always_inline)) void
skipper_load(struct scanner *s, struct skipper *k, size_t base, uint64_t prev_tok, unsigned v512)
{
	const unsigned char *t = s->t;
	size_t len = s->len;
	bool quotes = s->memo != NULL;
	if (base > s->nl_at) {
		/* the bytes jumped over; none to count in a known stretch
		 * without '\n' (less than a page: a page's start at most) */
		_Static_assert(MEMO_MAX < LINE_PAGE,
		               "a known stretch spans one page start at most");
		if (s->nl_at >= s->nl_clear_a && base <= s->nl_clear_b) {
			size_t p = (s->nl_at + LINE_PAGE - 1) / LINE_PAGE * LINE_PAGE;
			if (p < base)
				s->nl_page[p / LINE_PAGE] = s->nl_n;
			s->nl_at = base;
		} else {
			lines_count_to(s, base);
		}
	}
	struct raw_masks r;
	uint64_t live = ~0ull; /* bytes inside the text */
	const unsigned char *blk = t + base;
	unsigned char pad[64];
	if (base + 64 <= len) {
		/* the text 16 blocks ahead: measured 10-20% faster over a log
		 * in memory, where the hardware prefetcher alone falls behind */
		__builtin_prefetch(t + base + 1024);
	} else {
		memset(pad, 0, sizeof pad); /* NUL is neither a run byte nor a seed */
		memcpy(pad, t + base, len - base);
		blk = pad;
		live = (1ull << (len - base)) - 1;
	}
	uint64_t rest = 0;
#ifdef HAVE_X86_DISPATCH
	if (v512 & V_VX)
		rest = classify_avx512vbmi_rest(blk, &r, s->vcls);
	else
#endif
		classify(blk, &r);
	if (base == s->nl_at) {
		if (base % LINE_PAGE == 0)
			s->nl_page[base / LINE_PAGE] = s->nl_n;
		s->nl_n += r.nlines; /* the padding holds none */
		s->nl_at = base + 64 < len ? base + 64 : len;
	}
	uint64_t tok = r.tok;
	uint64_t seed = r.seed & ~idle_colons(r.colon, tok, r.brk | r.high, r.high, r.next >> 1);
	/* the '.' of a run that is digit, '.', digit alone ("HTTP/1.1",
	 * "bingbot/2.0;"): scan_run would find nothing in it (too short for
	 * an address, no letter for a host, an e-mail domain is reached from
	 * its '@' seed, an IPv6 start from its ':'); bytes 0, 1, 62 and 63 are
	 * left, since their neighbours may be in the blocks around */
	uint64_t dig = r.digdot & ~r.dot;
	seed &= ~(r.dot & dig << 1 & dig >> 1 & ~(tok << 2) & ~(tok >> 2) & 0x3ffffffffffffffcull);
	seed &= ~time_colons(r.colon, dig, ~(r.hex | r.colon | r.dot) & live);
	/* bit k: a '"' in bytes k + 1 .. k + MEMO_MIN of the block; an opening
	 * '"' with one there starts a field too short for the memo ("-",
	 * "HEAD / HTTP/1.1"), where stretch would go straight on: no seed */
	_Static_assert(MEMO_MIN == 32, "the smear below covers 32 bytes");
	uint64_t near = r.quote >> 1;
	near |= near >> 1;
	near |= near >> 2;
	near |= near >> 4;
	near |= near >> 8;
	near |= near >> 16;
	k->quote = quotes ? r.quote & (r.space << 1) & ~near : 0;
#ifdef HAVE_X86_DISPATCH
	if (v512 & V_VX) {
		/* the quotes of resting classes (but a last byte's, whose
		 * class is in the next block: skip_to_seed looks at it) are no
		 * seeds: the fields are tokenized from their seeds inside */
		k->quote &= ~(rest >> 1);
		if (base >= s->wake)
			memo_wake(s, base);
	}
#endif
	k->dq = r.quote;
	seed |= k->quote;
	skipper_masks(k, tok, &r, v512);
	/* bit q: bytes q-31..q are run bytes, counting the block before: in
	 * 64 bits, the runs within the block (w), and the run at its start
	 * (lead) from the bit where it and the run that ends the block before
	 * (pn bytes) make 32 */
	uint64_t w = tok;
	w &= w << 1;
	w &= w << 2;
	w &= w << 4;
	w &= w << 8;
	w &= w << 16;
	uint64_t lead = tok & ~(tok + 1);
	unsigned pn = (unsigned)__builtin_clzll(~prev_tok | 1); /* 63: all of it */
	w |= lead & (~0ull << (pn >= 31 ? 0 : 31 - pn));
	k->base = base;
	k->seed = seed | w;
	k->prev_tok = prev_tok;
}

/* Where scan_run must next start at or after i: the start of the run that
 * holds the first seed, or a seed between runs; len when none is left.
 * OUT: *quote, whether it is a '"' for stretch. k holds a block (scan
 * loads the first). */
static inline __attribute__((always_inline)) size_t
skip_to_seed(struct scanner *s, struct skipper *k, size_t i, bool *quote, unsigned v512)
{
	const unsigned char *t = s->t;
	size_t len = s->len, from = i;
	for (;;) {
		if (i >= len)
			return len;
		if (i - k->base >= 64) {
			/* blocks are at multiples of 64, so that each is classified
			 * once; after a jump, runs are counted from the block (a
			 * longer count than scan_run's from i only adds seeds) */
			size_t base = i & ~(size_t)63;
			skipper_load(s, k, base, k->base + 64 == base ? k->tok : 0, v512);
		}
		uint64_t m = k->seed & (~0ull << (i - k->base));
		if (m != 0) {
			unsigned bit = (unsigned)__builtin_ctzll(m);
			size_t p = k->base + bit;
			*quote = (k->quote >> bit) & 1;
			if (*quote) {
				/* the field's class is resting (see stretch): on
				 * to the seeds after the '"' without a step of the
				 * tokenizer (but when a ':' follows, as ever); the
				 * VBMI skipper has dropped those quotes already (a
				 * few left, of a block's last byte or a class that
				 * has just begun to rest, go to stretch, which
				 * returns at once) */
				if (!(v512 & V_VX) && p + 1 < len && t[p + 1] != ':') {
					if (p + 1 < s->mclass[t[p + 1]].until) {
						from = i = p + 1;
						continue;
					}
				}
				return p; /* nothing before a '"' needs its run */
			}
			/* back to the start of its run (at most 31 bytes: a longer
			 * stretch would have had a seed of its own), from the mask
			 * when it starts in this block, else from the block
			 * before's: from < base only when this block was loaded
			 * after it, so prev_tok is its */
			uint64_t gaps = ~k->tok & ((1ull << bit) - 1);
			if (gaps != 0)
				p = k->base + 64 - (size_t)__builtin_clzll(gaps);
			else if (from >= k->base)
				return from;
			else if (~k->prev_tok != 0)
				p = k->base - (size_t)__builtin_clzll(~k->prev_tok);
			else
				for (p = k->base - 64; p > from && (sc[t[p - 1]] & S_TOK); p--)
					;
			return p < from ? from : p;
		}
		size_t next = k->base + 64;
		if (next >= len)
			return len;
		skipper_load(s, k, next, k->tok, v512);
		i = next;
	}
}

/*
 * A hash of a stretch of MEMO_MIN bytes or more, for the memo: four lanes
 * of 8-byte words, so that the multiplies overlap (the chain of each lane
 * is a quarter of the words); the bytes are compared anyway, so it only
 * has to spread stretches over the slots.  The whole 16 bytes from the
 * start, alternately into lanes (a, b) and (c, d), then the last 16
 * (overlapping), then the length: stretch_end computes the same while it
 * looks for the end.
 */
#define SH_A0 0x9e3779b97f4a7c15ull
#define SH_B0 0xc2b2ae3d27d4eb4full
#define SH_MA 0xff51afd7ed558ccdull
#define SH_MB 0xc4ceb9fe1a85ec53ull

struct stretch_lanes {
	uint64_t a, b, c, d;
};

/* Hashes the 16 bytes at p into the lanes of even (odd: 1) chunks. */
static inline void stretch_lanes_add(struct stretch_lanes *l, unsigned odd, uint64_t w, uint64_t x)
{
	if (odd) {
		l->c = (l->c ^ w) * SH_MA;
		l->d = (l->d ^ x) * SH_MB;
	} else {
		l->a = (l->a ^ w) * SH_MA;
		l->b = (l->b ^ x) * SH_MB;
	}
}

/* The same for the 16 bytes at p, read as two words. */
static inline void stretch_lanes_load(struct stretch_lanes *l, unsigned odd, const unsigned char *p)
{
	uint64_t w, x;
	memcpy(&w, p, 8);
	memcpy(&x, p + 8, 8);
	stretch_lanes_add(l, odd, w, x);
}

static inline uint64_t stretch_hash_end(const struct stretch_lanes *l, const unsigned char *p,
                                        size_t n)
{
	uint64_t w, x;
	memcpy(&w, p + n - 16, 8); /* the last 16 bytes, overlapping: n >= 16 */
	memcpy(&x, p + n - 8, 8);
	uint64_t a = (l->a ^ (l->c >> 31 | l->c << 33) ^ w) * SH_MA;
	uint64_t b = (l->b ^ (l->d >> 29 | l->d << 35) ^ x) * SH_MB;
	uint64_t h = (a ^ (b >> 29) ^ (b << 35) ^ n) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 32);
}

static const struct stretch_lanes stretch_lanes0 = {SH_A0, SH_B0, SH_B0, SH_A0};

static uint64_t stretch_hash(const unsigned char *p, size_t n)
{
	struct stretch_lanes l = stretch_lanes0;
	for (size_t i = 0; i + 16 <= n; i += 16)
		stretch_lanes_load(&l, (unsigned)(i / 16) & 1, p + i);
	return stretch_hash_end(&l, p, n);
}

/* The first '"' in t[a, lim), or lim. */
static size_t next_quote(const unsigned char *t, size_t a, size_t lim)
{
	size_t i = a;
#ifdef __SSE2__
	for (; i + 16 <= lim; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
		if (m != 0)
			return i + (unsigned)__builtin_ctz(m);
	}
#endif
	for (; i < lim; i++)
		if (t[i] == '"')
			return i;
	return lim;
}

#ifdef __SSE2__
static inline uint64_t lo64(__m128i v)
{
	return (uint64_t)_mm_cvtsi128_si64(v);
}

static inline uint64_t hi64(__m128i v)
{
	return (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v));
}
#endif

/* The first '"' in t[a, lim), or lim, and when it is MEMO_MIN bytes or more
 * after t[a], OUT: *h, stretch_hash of t[a, b): the words are hashed as
 * the 32 bytes that hold them are searched, so that the stretch is read
 * once, not once to find its end and again to hash it. */
static size_t stretch_end(const unsigned char *t, size_t a, size_t lim, uint64_t *h)
{
	size_t i = a, b;
	struct stretch_lanes l = stretch_lanes0;
#ifdef __SSE2__
	const __m128i dq = _mm_set1_epi8('"');
	for (; i + 32 <= lim; i += 32) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
		__m128i u = _mm_loadu_si128((const __m128i *)(const void *)(t + i + 16));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, dq)) |
		             (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(u, dq)) << 16;
		if (m != 0) {
			b = i + (unsigned)__builtin_ctz(m);
			if (b - a >= MEMO_MIN) {
				if (b - i >= 16) /* the first 16 are whole */
					stretch_lanes_add(&l, 0, lo64(v), hi64(v));
				*h = stretch_hash_end(&l, t + a, b - a);
			}
			return b;
		}
		/* 32 bytes before the end: two chunks of the hash */
		stretch_lanes_add(&l, 0, lo64(v), hi64(v));
		stretch_lanes_add(&l, 1, lo64(u), hi64(u));
	}
#endif
	/* the rest as stretch_hash does it, from an even chunk */
	for (; i + 16 <= lim; i += 16) {
		b = next_quote(t, i, i + 16);
		if (b < i + 16)
			break;
		stretch_lanes_load(&l, (unsigned)((i - a) / 16) & 1, t + i);
	}
	b = next_quote(t, i, lim);
	if (b < lim && b - a >= MEMO_MIN)
		*h = stretch_hash_end(&l, t + a, b - a);
	return b;
}

#ifdef HAVE_X86_DISPATCH
/*
 * The same with AVX-512BW and VAES, 64 bytes a step: the '"' is looked for
 * in a whole chunk with one compare, and the chunk is hashed with one AES
 * round per 16-byte lane (the lanes start apart, so that lanes swapped do
 * not hash alike); the last chunk (the bytes before the '"', maybe none)
 * is read with a masked load, which reads nothing past it, and the lanes
 * are then folded with the length and two more rounds.  Another hash than
 * stretch_hash's: a scan uses one pair or the other throughout.
 */
#define SH512 __attribute__((target("avx512f,avx512bw,vaes,aes,bmi,bmi2")))

SH512 static inline __m512i sh512_round(__m512i acc, __m512i v)
{
	return _mm512_aesenc_epi128(_mm512_xor_si512(acc, v), _mm512_set1_epi64((long long)SH_MA));
}

SH512 static inline uint64_t sh512_fold(__m512i acc, size_t n)
{
	__m256i y =
	        _mm256_xor_si256(_mm512_castsi512_si256(acc), _mm512_extracti64x4_epi64(acc, 1));
	__m128i x = _mm_xor_si128(_mm256_castsi256_si128(y), _mm256_extracti128_si256(y, 1));
	__m128i key = _mm_set1_epi64x((long long)SH_MB);
	x = _mm_aesenc_si128(_mm_xor_si128(x, _mm_cvtsi64_si128((long long)n)), key);
	x = _mm_aesenc_si128(x, key);
	return (uint64_t)_mm_cvtsi128_si64(x) ^ (uint64_t)_mm_extract_epi64(x, 1);
}

SH512 static inline __m512i sh512_seed(void)
{
	return _mm512_set_epi64((long long)SH_A0, (long long)SH_B0, (long long)SH_MA,
	                        (long long)SH_MB, (long long)~SH_A0, (long long)~SH_B0,
	                        (long long)~SH_MA, (long long)~SH_MB);
}

SH512 static uint64_t stretch_hash512(const unsigned char *p, size_t n)
{
	__m512i acc = sh512_seed();
	size_t i = 0;
	for (; i + 64 <= n; i += 64)
		acc = sh512_round(acc, _mm512_loadu_si512((const void *)(p + i)));
	acc = sh512_round(acc, _mm512_maskz_loadu_epi8(_bzhi_u64(~0ull, (unsigned)(n - i)), p + i));
	return sh512_fold(acc, n);
}

SH512 static size_t stretch_end512(const unsigned char *t, size_t a, size_t lim, uint64_t *h)
{
	const __m512i dq = _mm512_set1_epi8('"');
	__m512i acc = sh512_seed();
	for (size_t i = a;; i += 64) {
		__m512i v;
		uint64_t m;
		if (lim - i >= 64) {
			v = _mm512_loadu_si512((const void *)(t + i));
			m = _mm512_cmpeq_epi8_mask(v, dq);
		} else {
			uint64_t live = _bzhi_u64(~0ull, (unsigned)(lim - i));
			v = _mm512_maskz_loadu_epi8(live, t + i);
			m = _mm512_mask_cmpeq_epi8_mask(live, v, dq);
			if (m == 0)
				return lim;
		}
		if (m != 0) {
			unsigned c = (unsigned)__builtin_ctzll(m);
			size_t b = i + c;
			if (b - a >= MEMO_MIN)
				*h = sh512_fold(sh512_round(acc, _mm512_maskz_mov_epi8(
				                                         _bzhi_u64(~0ull, c), v)),
				                b - a);
			return b;
		}
		acc = sh512_round(acc, v);
	}
}

/* p[0, n) == q[0, n), 64 bytes a step */
SH512 static bool stretch_same512(const unsigned char *p, const unsigned char *q, size_t n)
{
	size_t i = 0;
	for (; i + 64 <= n; i += 64)
		if (_mm512_cmpneq_epi8_mask(_mm512_loadu_si512((const void *)(p + i)),
		                            _mm512_loadu_si512((const void *)(q + i))) != 0)
			return false;
	uint64_t live = _bzhi_u64(~0ull, (unsigned)(n - i));
	return _mm512_mask_cmpneq_epi8_mask(live, _mm512_maskz_loadu_epi8(live, p + i),
	                                    _mm512_maskz_loadu_epi8(live, q + i)) == 0;
}
#endif

/* The memo's end, hash and compare: stretch_end, stretch_hash and memcmp,
 * or their 64-byte versions */
static inline size_t memo_end(const unsigned char *t, size_t a, size_t lim, uint64_t *h)
{
#ifdef HAVE_X86_DISPATCH
	if (stretch_wide)
		return stretch_end512(t, a, lim, h);
#endif
	return stretch_end(t, a, lim, h);
}

static inline uint64_t memo_hash(const unsigned char *p, size_t n)
{
#ifdef HAVE_X86_DISPATCH
	if (stretch_wide)
		return stretch_hash512(p, n);
#endif
	return stretch_hash(p, n);
}

static inline bool memo_same(const unsigned char *p, const unsigned char *q, size_t n)
{
#ifdef HAVE_X86_DISPATCH
	if (stretch_wide)
		return stretch_same512(p, q, n);
#endif
	return memcmp(p, q, n) == 0;
}

bool match_scan_stretch_agrees(const unsigned char *p, size_t n)
{
	uint64_t h = 0;
	size_t short_lim = n < 16 ? n : n - 16;
	if (stretch_end(p, 0, n + 1, &h) != n || h != stretch_hash(p, n))
		return false;
	if (stretch_end(p, 0, short_lim, &h) != short_lim)
		return false;
#ifdef HAVE_X86_DISPATCH
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	    cpu_has_vaes() && __builtin_cpu_supports("bmi2")) {
		h = 0;
		if (stretch_end512(p, 0, n + 1, &h) != n || h != stretch_hash512(p, n) ||
		    stretch_end512(p, 0, short_lim, &h) != short_lim || !stretch_same512(p, p, n))
			return false;
		if (n > 0 && stretch_same512(p, p + 1, n) != (memcmp(p, p + 1, n) == 0))
			return false;
	}
#endif
	return true;
}

/* The tokenizer has passed the end of the stretch it was tokenizing for the
 * first time: remembers it if that found nothing. */
static void stretch_close(struct scanner *s)
{
	if (s->produced == s->fsnap) {
		struct memo *m = &s->memo[s->fh & (MEMO_SLOTS - 1)];
		m->h = s->fh;
		m->off = s->fa;
		m->n = (uint32_t)(s->fb - s->fa);
		m->nl = (uint32_t)count_nl(s->t + s->fa, s->fb - s->fa);
	}
	s->fopen = false;
}

/*
 * The tokenizer is at a '"' after a space, t[q] (a seed when there is a
 * memo).  Returns where to go on: the next '"' when the stretch up to it is
 * one known to hold nothing, else right after t[q], and then the stretch
 * is remembered if its tokens find nothing.
 */
static inline __attribute__((always_inline)) size_t stretch(struct scanner *s, size_t q,
                                                            const struct skipper *k)
{
	const unsigned char *t = s->t;
	size_t a = q + 1;
	if (a >= s->len)
		return a;
	struct memo_class *mc = &s->mclass[t[a]];
	if (a < mc->until)
		return a;
	size_t lim = s->len - a < MEMO_MAX + 1 ? s->len : a + MEMO_MAX + 1;
	size_t b;
	uint64_t h = 0;
	/* the closing '"' from the block's mask when it is in the block (the
	 * padding of a last block holds none), else found while hashing */
	uint64_t dq = q - k->base < 63 ? k->dq >> (q - k->base + 1) : 0;
	if (dq != 0) {
		b = q + 1 + (size_t)__builtin_ctzll(dq);
		if (b - a >= MEMO_MIN)
			h = memo_hash(t + a, b - a);
	} else {
		b = memo_end(t, a, lim, &h);
	}
	if (b == lim || b - a < MEMO_MIN)
		return a;
	size_t n = b - a;
	struct memo *m = &s->memo[h & (MEMO_SLOTS - 1)];
	bool known = m->h == h && m->n == n && memo_same(t + m->off, t + a, n);
	mc->known += known;
	if (mc->tries++ == 0)
		mc->from = a;
	if (mc->tries == MEMO_TRY) {
		if (mc->known < MEMO_TRY / MEMO_PAYS)
			memo_rest(s, t[a], a + (a - mc->from) * (MEMO_REST / MEMO_TRY));
		mc->tries = 0;
		mc->known = 0;
	}
	if (known) {
		m->off = a; /* the latest copy is the likeliest in the cache */
		if (m->nl == 0) {
			s->nl_clear_a = a;
			s->nl_clear_b = b;
		}
		return b;
	}
	s->fopen = true;
	s->fa = a;
	s->fb = b;
	s->fh = h;
	s->fsnap = s->produced;
	return a;
}

static inline __attribute__((always_inline)) void scan_text(struct scanner *s, unsigned v512)
{
	struct skipper k;
	size_t i = 0;
	memset(&k, 0, sizeof k); /* loaded below unless the text is empty */
	if (s->len > 0)
		skipper_load(s, &k, 0, 0, v512);
	while (s->rc == 0) {
		bool quote = false;
		i = skip_to_seed(s, &k, i, &quote, v512);
		if (i >= s->len)
			break;
		if (s->fopen && i >= s->fb)
			stretch_close(s);
		if (quote)
			i = stretch(s, i, &k);
		else
			i = scan_run(s, i, &k, v512);
	}
	flush(s);
}

static void scan_plain(struct scanner *s)
{
	scan_text(s, 0);
}

#ifdef HAVE_X86_DISPATCH
/* The tokenizer's loop with BMI1/2 and LZCNT: its steps and the block
 * classification inlined in it (skipper_load) are mostly bit operations,
 * and and-not, shifts by a register and counts of zeros become one
 * instruction each (measured 3-4% faster in all); what it calls out of
 * line stays generic */
__attribute__((target("bmi,bmi2,lzcnt,popcnt"))) static void scan_bmi(struct scanner *s)
{
	scan_text(s, 0);
}

/* The same with AVX-512 for the run's bits (run_flags512), with the
 * "avx512" classifier */
__attribute__((target("avx512f,avx512bw,bmi,bmi2,lzcnt,popcnt"))) static void
scan_512(struct scanner *s)
{
	scan_text(s, V_512);
}

/* The same with the "avx512" classifier's VBMI copy, which also finds the
 * first bytes of the memo's resting classes (classify_avx512vbmi_rest):
 * their quotes are dropped from the seeds a block at a time */
__attribute__((target("avx512f,avx512bw,bmi,bmi2,lzcnt,popcnt"))) static void
scan_512vx(struct scanner *s)
{
	scan_text(s, V_512 | V_VX);
}
#endif

static void scan(struct scanner *s)
{
#ifdef HAVE_X86_DISPATCH
	if (scan_vx) {
		scan_512vx(s);
		return;
	}
	if (scan_wide) {
		scan_512(s);
		return;
	}
	if (have_bmi) {
		scan_bmi(s);
		return;
	}
#endif
	scan_plain(s);
}

/* Types only the full extractor finds. */
#define OTHER_TYPES                                                                                \
	((1u << IOC_PHONE) | (1u << IOC_IBAN) | (1u << IOC_CARD) | (1u << IOC_BTC) |               \
	 (1u << IOC_ETH) | (1u << IOC_ASN) | (1u << IOC_CVE))

struct other_ctx {
	struct scanner *s;
	const char *base; /* the text given to ioc_extract */
};

static int other_hit(void *arg, const struct ioc_match *m)
{
	struct other_ctx *o = arg;
	struct scanner *s = o->s;
	uint32_t id = match_store_find(&s->ix->main, m->type, m->value, m->value_len);
	if (id == MATCH_NONE)
		return 0;
	/* ioc_extract reports offsets in the original text already; their
	 * lines are counted in it, from the hit before (they come in order) */
	if (m->offset < s->nl_oa) {
		s->nl_oa = 0;
		s->nl_on = 0;
	}
	s->nl_on += count_nl((const unsigned char *)o->base + s->nl_oa, m->offset - s->nl_oa);
	s->nl_oa = m->offset;
	struct scanner tmp = *s;
	tmp.map = NULL;
	tmp.line_given = true;
	tmp.given_line = s->nl_on;
	tmp.tok_start = m->offset;
	tmp.tok_end = m->offset + m->raw_len;
	match_report_chain(s->ix, id, on_hit, &tmp);
	s->rc = tmp.rc;
	return s->rc;
}

int match_scan(struct match_index *ix, const char *text, size_t len,
               const struct match_scan_opts *opts, match_scan_fn fn, void *arg,
               struct crix_error *err)
{
	/* once: threads that scan at the same time must not see a half-built
	 * table (a check of one entry would let them) */
	pthread_once(&classes_once, init_classes);
	bool refang = opts != NULL && opts->refang;
	pthread_rwlock_rdlock(&ix->lock);
	uint32_t types = ix->main.types;
	struct scanner *s = calloc(1, sizeof *s);
	if (s == NULL) {
		pthread_rwlock_unlock(&ix->lock);
		return crix_error_set(err, CRIX_ENOMEM, "scan: out of memory");
	}
	s->ix = ix;
	s->known_a = SIZE_MAX;
	s->ioc = opts != NULL ? opts->ioc : NULL;
	s->t = (const unsigned char *)text;
	s->len = len;
	s->orig_len = len;
	s->fn = fn;
	s->arg = arg;
	if (len >= MISS_MIN_LEN) {
		s->miss = calloc(MISS_SLOTS, sizeof *s->miss); /* NULL: no table, only slower */
		s->memo = calloc(MEMO_SLOTS, sizeof *s->memo);
	}
	s->wake = SIZE_MAX;
#ifdef HAVE_X86_DISPATCH
	memcpy(s->vcls, vcls, sizeof s->vcls);
#endif
	s->want_ip4 = types & ((1u << IOC_IPV4) | (1u << IOC_CIDR4));
	s->want_ip6 = s->want_ip4 || (types & ((1u << IOC_IPV6) | (1u << IOC_CIDR6)));
	s->want_host = types & (1u << IOC_DOMAIN);
	s->want_url = types & (1u << IOC_URL);
	s->want_email = types & (1u << IOC_EMAIL);
	s->want_hash = types & ((1u << IOC_MD5) | (1u << IOC_SHA1) | (1u << IOC_SHA256) |
	                        (1u << IOC_SHA512));
	char *copy = NULL;
	uint32_t *map = NULL;
	int rc = 0;
	if (refang && len > 0) {
		copy = malloc(len);
		map = malloc(len * sizeof *map);
		size_t n;
		if (copy == NULL || map == NULL) {
			rc = crix_error_set(err, CRIX_ENOMEM, "scan: out of memory");
			goto out;
		}
		if ((rc = ioc_refang(text, len, copy, len, map, &n, err)) != 0)
			goto out;
		s->t = (const unsigned char *)copy;
		s->len = n;
		s->map = map;
	}
	s->nl_page = malloc((s->len / LINE_PAGE + 1) * sizeof *s->nl_page);
	if (s->nl_page == NULL) {
		rc = crix_error_set(err, CRIX_ENOMEM, "scan: out of memory");
		goto out;
	}
	scan(s);
	if (s->rc == 0)
		lines_count_to(s, s->len); /* after the last block loaded */
	if (s->rc == 0 && (types & OTHER_TYPES) && need_ioc(s) != NULL) {
		struct ioc_extract_opts eo = {.types = types & OTHER_TYPES, .refang = refang};
		struct other_ctx oc = {.s = s, .base = text};
		/* a second pass; its hits come after the first pass's for this
		 * buffer, which callers that sort by offset do not mind */
		rc = ioc_extract(s->ioc, text, len, &eo, other_hit, &oc, err);
	}
	if (rc == 0)
		rc = s->rc;
	if (rc == 0 && opts != NULL && opts->newlines != NULL)
		*opts->newlines = s->nl_n;
out:
	pthread_rwlock_unlock(&ix->lock);
	ioc_ctx_free(s->own_ioc);
	free(s->miss);
	free(s->memo);
	free(s->nl_page);
	free(s);
	free(copy);
	free(map);
	return rc;
}
