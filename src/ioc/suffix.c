/*
 * suffix.c - the public suffix list: libpsl's context, and the names of its
 * rules for answering most "is this name itself a public suffix?" questions
 * without libpsl.
 *
 * Every domain, URL host and e-mail domain of a load asks whether the whole
 * name is a public suffix, and libpsl's DAFSA walk (100-200 ns) was most of
 * a load's instructions.  libpsl (0.21) answers from two lookups in its
 * list: the name itself, and the name without its first label (a wildcard
 * rule "*.parent").  When neither string is in the list the answer is "no",
 * whatever the rules say; so the list is read here from the very bytes
 * libpsl is given, every string its DAFSA holds is hashed into a set (with
 * the wildcard rules again under a second seed), and libpsl is asked only
 * when the set holds the name or its parent as a wildcard, about one name
 * in ten thousand.  A hash collision only sends a name to libpsl.
 */
#include "ioc/ioc_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A list file larger than this is left to libpsl alone (no rule set). */
#define LIST_MAX_BYTES ((size_t)64 << 20)
/* Bounds of the DAFSA walk: a longer string or more nodes than a sane
 * list has mean a graph we do not understand, and then no rule set. */
#define NAME_MAX_BYTES 256
#define WALK_MAX_STEPS (1u << 22)

/* The header line of a DAFSA file (libpsl's psl_load_fp skips it). */
#define DAFSA_HEADER     ".DAFSA@PSL_0"
#define DAFSA_HEADER_LEN 16

#define SEED_NAME     0x8f1bbcdcca62c1d6ull
#define SEED_WILDCARD 0x6ed9eba15a827999ull
#define FLAG_WILDCARD 2 /* libpsl's PRIV_PSL_FLAG_WILDCARD in a DAFSA value */

/* 8 bytes at a time, the last 1..8 read at once (overlapping what came
 * before, or as two halves): the length in the seed keeps such reads from
 * making two names alike. */
static uint64_t name_hash(const char *s, size_t n, uint64_t seed)
{
	const char *end = s + n;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ull), w;
	if (n >= 8) {
		for (; end - s > 8; s += 8) {
			memcpy(&w, s, 8);
			h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
			h ^= h >> 31;
		}
		memcpy(&w, end - 8, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, end - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		w = n == 0 ? 0
		           : (uint64_t)(unsigned char)s[0] << 16 |
		                     (uint64_t)(unsigned char)s[n / 2] << 8 |
		                     (unsigned char)s[n - 1];
	}
	h = (h ^ w) * 0x94d049bb133111ebull;
	return h ^ (h >> 29);
}

/* The set: 32-bit fingerprints (never 0, which marks an empty slot),
 * placed by the hash's low bits. */
static uint32_t fingerprint(uint64_t h)
{
	return (uint32_t)(h >> 32) | 1u;
}

static bool set_has(const uint32_t *set, size_t mask, uint64_t h)
{
	uint32_t f = fingerprint(h);
	for (size_t i = (size_t)h & mask; set[i] != 0; i = (i + 1) & mask)
		if (set[i] == f)
			return true;
	return false;
}

/* A walk of the DAFSA that puts every string it holds into the set. */
struct walk {
	const unsigned char *g;
	size_t len;
	uint32_t *set;
	size_t mask, used;
	size_t steps;
	bool bad;  /* the graph is not one this walk understands: no set */
	bool full; /* the set is too small: walk again with a larger one */
	char name[NAME_MAX_BYTES];
};

/* Puts h in the set; one 3/4 full ends the walk (w->full). */
static void set_put(struct walk *w, uint64_t h)
{
	if ((w->used + 1) * 4 > (w->mask + 1) * 3) {
		w->full = true;
		return;
	}
	uint32_t f = fingerprint(h);
	size_t i = (size_t)h & w->mask;
	for (; w->set[i] != 0; i = (i + 1) & w->mask)
		if (w->set[i] == f)
			return;
	w->set[i] = f;
	w->used++;
}

static void walk_list(struct walk *w, size_t pos, size_t n);

/*
 * The node at p, after the n bytes of name[] that lead to it: characters
 * (the last with the high bit set) and then its children, or characters and
 * then a value (0x80 | flags: the string ends there).  As libpsl's
 * LookupStringInFixedSet reads it; what lies outside the graph matches
 * nothing there either.
 */
static void walk_node(struct walk *w, size_t p, size_t n)
{
	if (++w->steps > WALK_MAX_STEPS) {
		w->bad = true;
		return;
	}
	for (; p < w->len && !w->bad && !w->full; p++) {
		unsigned char c = w->g[p];
		if ((c & 0xe0) == 0x80) {
			set_put(w, name_hash(w->name, n, SEED_NAME));
			if (c & FLAG_WILDCARD)
				set_put(w, name_hash(w->name, n, SEED_WILDCARD));
			return;
		}
		if (n == sizeof w->name) {
			w->bad = true;
			return;
		}
		w->name[n++] = (char)(c & 0x7f);
		if (c & 0x80) {
			walk_list(w, p + 1, n);
			return;
		}
	}
}

/* The list of children at pos: offsets of 1-3 bytes, each added to the
 * last, the high bit of its first byte marking the last child. */
static void walk_list(struct walk *w, size_t pos, size_t n)
{
	size_t node = pos;
	while (!w->bad && !w->full && pos + 2 < w->len) {
		const unsigned char *b = w->g + pos;
		size_t used = 1;
		if ((b[0] & 0x60) == 0x60) {
			node += (size_t)(b[0] & 0x1f) << 16 | (size_t)b[1] << 8 | b[2];
			used = 3;
		} else if ((b[0] & 0x60) == 0x40) {
			node += (size_t)(b[0] & 0x1f) << 8 | b[1];
			used = 2;
		} else {
			node += b[0] & 0x3f;
		}
		walk_node(w, node, n);
		if (b[0] & 0x80)
			return;
		pos += used;
	}
}

/* The set of the strings of the DAFSA g[0, len), or NULL (out of memory, or
 * a graph the walk does not understand).  OUT: *mask. */
static uint32_t *rule_set(const unsigned char *g, size_t len, size_t *mask)
{
	struct walk *w = calloc(1, sizeof *w);
	/* 64 KiB holds the 9,700 strings of the 2023 list: one walk */
	for (size_t slots = 16384; w != NULL; slots *= 2) {
		uint32_t *set = calloc(slots, sizeof *set);
		if (set == NULL)
			break;
		*w = (struct walk){.g = g, .len = len, .set = set, .mask = slots - 1};
		walk_list(w, 0, 0);
		if (!w->bad && !w->full) {
			free(w);
			*mask = slots - 1;
			return set;
		}
		free(set);
		if (w->bad)
			break;
	}
	free(w);
	return NULL;
}

/* Loads path as psl_load_file would, from bytes read here, and the rule
 * set from the same bytes when they are a DAFSA.  NULL when libpsl does
 * not load it. */
static psl_ctx_t *load_file(struct ioc_ctx *ctx, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > 0 &&
	    (uint64_t)sb.st_size <= LIST_MAX_BYTES && (buf = malloc((size_t)sb.st_size)) != NULL)
		len = fread(buf, 1, (size_t)sb.st_size, f);
	if (buf == NULL || len != (size_t)sb.st_size || fgetc(f) != EOF) {
		/* too large, changing, or no memory: libpsl reads it alone */
		free(buf);
		rewind(f);
		psl_ctx_t *psl = psl_load_fp(f);
		fclose(f);
		return psl;
	}
	fclose(f);
	psl_ctx_t *psl = NULL;
	FILE *m = fmemopen(buf, len, "rb");
	if (m != NULL) {
		psl = psl_load_fp(m);
		fclose(m);
	}
	if (psl != NULL && len > DAFSA_HEADER_LEN &&
	    memcmp(buf, DAFSA_HEADER, sizeof DAFSA_HEADER - 1) == 0 &&
	    buf[DAFSA_HEADER_LEN - 1] == '\n')
		ctx->rules = rule_set((const unsigned char *)buf + DAFSA_HEADER_LEN,
		                      len - DAFSA_HEADER_LEN, &ctx->rules_mask);
	free(buf);
	return psl;
}

bool ioc_suffix_load(struct ioc_ctx *ctx)
{
	/* psl_latest(NULL)'s choice: of the distribution's file and the file
	 * the built-in list was made from, those newer than the built-in list,
	 * newest first (the distribution's on a tie); else the built-in list.
	 * The list installed by Debian's publicsuffix package is newer. */
	const char *names[2] = {psl_dist_filename(), psl_builtin_filename()};
	time_t mtime[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		struct stat sb;
		if (names[i] != NULL && names[i][0] != '\0' && stat(names[i], &sb) == 0 &&
		    sb.st_mtime > psl_builtin_file_time())
			mtime[i] = sb.st_mtime;
	}
	int first = mtime[1] > mtime[0] ? 1 : 0;
	for (int k = 0; k < 2 && ctx->psl == NULL; k++) {
		int i = k == 0 ? first : 1 - first;
		if (mtime[i] != 0)
			ctx->psl = load_file(ctx, names[i]);
	}
	ctx->psl_owned = ctx->psl != NULL;
	if (ctx->psl == NULL)
		ctx->psl = (psl_ctx_t *)psl_builtin();
	return ctx->psl != NULL;
}

void ioc_suffix_free(struct ioc_ctx *ctx)
{
	if (ctx->psl_owned)
		psl_free(ctx->psl);
	free(ctx->rules);
}

bool ioc_is_public_suffix(const struct ioc_ctx *ctx, const char *name, size_t n)
{
	const char *dot = memchr(name, '.', n);
	if (ctx->rules != NULL && dot != NULL &&
	    !set_has(ctx->rules, ctx->rules_mask, name_hash(name, n, SEED_NAME)) &&
	    !set_has(ctx->rules, ctx->rules_mask,
	             name_hash(dot + 1, n - (size_t)(dot + 1 - name), SEED_WILDCARD)))
		return false;
	return psl_is_public_suffix2(ctx->psl, name, PSL_TYPE_ICANN) != 0;
}
