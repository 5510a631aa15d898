/*
 * authcache.h - the principals of API tokens, kept in memory for a few
 * seconds so that a partner's stream of lookups does not cost three SQLite
 * reads (token, user, organisation) per request.
 *
 * Entries are keyed by the token's keyed hash (never the token itself), in a
 * fixed table of slots (a colliding token evicts the one before: the size is
 * bounded by construction).  An entry lives until the first of: its TTL, the
 * token's own expiry, and the next authcache_forget_all, which every change
 * to tokens, users or organisations made by this process calls after its
 * commit.  Forgetting is one atomic increment of a generation that every
 * entry carries, so it holds at once on every thread.
 *
 * A caller that fills the cache reads the generation BEFORE it reads the
 * store and puts the entry with that generation: a change that commits in
 * between makes the entry stale at once.
 *
 * Thread safety: every function may be called from any thread.
 */
#ifndef CRIX_HTTP_AUTHCACHE_H
#define CRIX_HTTP_AUTHCACHE_H

#include "model/account.h"
#include "util/secret.h"

#include <stdbool.h>
#include <stdint.h>

#define AUTHCACHE_SLOTS_DEFAULT 4096
#define AUTHCACHE_TTL_DEFAULT   5.0 /* seconds; bounds what another process changes */

struct authcache;

/* slots (rounded up to a power of two, at least 64); ttl in seconds (> 0).
 * OUT: *out.  CRIX_ENOMEM. */
int authcache_new(size_t slots, double ttl, struct authcache **out, struct crix_error *err);
void authcache_free(struct authcache *c); /* NULL ok */

/* The generation to pass to authcache_put; read it before the store. */
uint64_t authcache_generation(const struct authcache *c);

/* true and *p filled when hash has a live entry at monotonic time now. */
bool authcache_get(struct authcache *c, const char hash[SECRET_HASH_HEX], double now,
                   struct principal *p);

/* Remembers p for hash until now + ttl, or until not_after (monotonic
 * seconds, the token's expiry; 0: none) when that comes first. */
void authcache_put(struct authcache *c, const char hash[SECRET_HASH_HEX], uint64_t generation,
                   double now, double not_after, const struct principal *p);

/* Forgets every entry, at once, for every thread. */
void authcache_forget_all(struct authcache *c);

#endif
