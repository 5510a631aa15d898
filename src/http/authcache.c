/*
 * authcache.c - the principals of API tokens, in memory for a few seconds.
 * See authcache.h.
 */
#include "http/authcache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define STRIPES 64 /* locks; slot i is under lock i % STRIPES */

struct entry {
	char hash[SECRET_HASH_HEX]; /* "" when empty */
	uint64_t generation;
	double until;
	struct principal p;
};

struct authcache {
	atomic_uint_fast64_t generation;
	double ttl;
	size_t mask;
	struct entry *slots;
	pthread_mutex_t locks[STRIPES];
};

int authcache_new(size_t slots, double ttl, struct authcache **out, struct crix_error *err)
{
	size_t n = 64;
	while (n < slots && n < ((size_t)1 << 24))
		n *= 2;
	struct authcache *c = calloc(1, sizeof *c);
	if (c != NULL)
		c->slots = calloc(n, sizeof *c->slots);
	if (c == NULL || c->slots == NULL) {
		free(c);
		return crix_error_set(err, CRIX_ENOMEM, "token cache: out of memory");
	}
	atomic_init(&c->generation, 1);
	c->ttl = ttl > 0 ? ttl : AUTHCACHE_TTL_DEFAULT;
	c->mask = n - 1;
	for (size_t i = 0; i < STRIPES; i++)
		pthread_mutex_init(&c->locks[i], NULL);
	*out = c;
	return 0;
}

void authcache_free(struct authcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&c->locks[i]);
	sodium_memzero(c->slots, (c->mask + 1) * sizeof *c->slots);
	free(c->slots);
	free(c);
}

uint64_t authcache_generation(const struct authcache *c)
{
	return atomic_load(&((struct authcache *)c)->generation);
}

/* The hash is already uniform (a keyed BLAKE2b): its first hex digits pick
 * the slot. */
static size_t slot_of(const struct authcache *c, const char *hash)
{
	size_t v = 0;
	for (int i = 0; i < 12 && hash[i] != '\0'; i++) {
		char ch = hash[i];
		v = v * 16 + (size_t)(ch >= 'a'   ? ch - 'a' + 10
		                      : ch >= 'A' ? ch - 'A' + 10
		                                  : ch - '0');
	}
	return v & c->mask;
}

bool authcache_get(struct authcache *c, const char hash[SECRET_HASH_HEX], double now,
                   struct principal *p)
{
	size_t i = slot_of(c, hash);
	uint64_t g = atomic_load(&c->generation);
	bool hit = false;
	pthread_mutex_lock(&c->locks[i % STRIPES]);
	struct entry *e = &c->slots[i];
	if (e->hash[0] != '\0' && e->generation == g && now < e->until &&
	    secret_equal(e->hash, hash)) {
		*p = e->p;
		hit = true;
	}
	pthread_mutex_unlock(&c->locks[i % STRIPES]);
	return hit;
}

void authcache_put(struct authcache *c, const char hash[SECRET_HASH_HEX], uint64_t generation,
                   double now, double not_after, const struct principal *p)
{
	if (strlen(hash) >= SECRET_HASH_HEX)
		return;
	double until = now + c->ttl;
	if (not_after > 0 && not_after < until)
		until = not_after;
	size_t i = slot_of(c, hash);
	pthread_mutex_lock(&c->locks[i % STRIPES]);
	struct entry *e = &c->slots[i];
	memcpy(e->hash, hash, strlen(hash) + 1);
	e->generation = generation;
	e->until = until;
	e->p = *p;
	/* A cached principal never carries a cookie session's flags. */
	e->p.via_cookie = false;
	pthread_mutex_unlock(&c->locks[i % STRIPES]);
}

void authcache_forget_all(struct authcache *c)
{
	if (c != NULL)
		atomic_fetch_add(&c->generation, 1);
}
