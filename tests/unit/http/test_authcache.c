/*
 * test_authcache.c - the token principal cache (src/http/authcache.c): a
 * hit until the TTL or the token's expiry, a miss after forget_all on every
 * thread, an entry filled with a generation read before a change is stale,
 * and a bounded table (a colliding token evicts, never grows it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "http/authcache.h"

static void hash_of(int i, char out[SECRET_HASH_HEX])
{
	/* distinct slots for small i: the slot comes from the first digits */
	snprintf(out, SECRET_HASH_HEX, "%012x%052d", (unsigned)i * 7919u, i);
}

static struct principal who(int64_t user)
{
	struct principal p;
	account_principal_public(&p);
	p.authenticated = true;
	p.user_id = user;
	p.org_id = 7;
	p.role = ROLE_ANALYST;
	snprintf(p.username, sizeof p.username, "u%lld", (long long)user);
	return p;
}

static void test_hit_ttl_expiry(void **state)
{
	(void)state;
	struct authcache *c;
	struct crix_error err = {0};
	assert_int_equal(authcache_new(128, 5.0, &c, &err), 0);
	char h[SECRET_HASH_HEX], h2[SECRET_HASH_HEX];
	hash_of(1, h);
	hash_of(2, h2);
	struct principal p = who(3), got;
	assert_false(authcache_get(c, h, 100.0, &got));
	authcache_put(c, h, authcache_generation(c), 100.0, 0, &p);
	assert_true(authcache_get(c, h, 104.9, &got));
	assert_int_equal(got.user_id, 3);
	assert_string_equal(got.username, "u3");
	assert_false(authcache_get(c, h2, 104.9, &got)); /* another token */
	assert_false(authcache_get(c, h, 105.0, &got));  /* TTL over */
	/* a token expiring in 1 s lives 1 s, not the TTL */
	authcache_put(c, h, authcache_generation(c), 200.0, 201.0, &p);
	assert_true(authcache_get(c, h, 200.5, &got));
	assert_false(authcache_get(c, h, 201.0, &got));
	authcache_free(c);
	authcache_free(NULL);
}

static void test_forget_and_stale_generation(void **state)
{
	(void)state;
	struct authcache *c;
	struct crix_error err = {0};
	assert_int_equal(authcache_new(128, 5.0, &c, &err), 0);
	char h[SECRET_HASH_HEX];
	hash_of(9, h);
	struct principal p = who(4), got;
	authcache_put(c, h, authcache_generation(c), 1.0, 0, &p);
	assert_true(authcache_get(c, h, 1.0, &got));
	authcache_forget_all(c);
	assert_false(authcache_get(c, h, 1.0, &got));
	/* a filler that read the generation before a revoke committed */
	uint64_t before = authcache_generation(c);
	authcache_forget_all(c);
	authcache_put(c, h, before, 1.0, 0, &p);
	assert_false(authcache_get(c, h, 1.0, &got));
	authcache_put(c, h, authcache_generation(c), 1.0, 0, &p);
	assert_true(authcache_get(c, h, 1.0, &got));
	authcache_free(c);
}

static void test_bounded(void **state)
{
	(void)state;
	struct authcache *c;
	struct crix_error err = {0};
	assert_int_equal(authcache_new(1, 5.0, &c, &err), 0); /* rounded up to 64 */
	struct principal p = who(1), got;
	char h[SECRET_HASH_HEX];
	size_t hits = 0;
	for (int i = 0; i < 1000; i++) {
		hash_of(i, h);
		authcache_put(c, h, authcache_generation(c), 1.0, 0, &p);
	}
	for (int i = 0; i < 1000; i++) {
		hash_of(i, h);
		hits += authcache_get(c, h, 1.0, &got);
	}
	assert_true(hits <= 64);
	assert_true(hits > 0);
	authcache_free(c);
}

struct race {
	struct authcache *c;
	atomic_int forgotten, stale_hits;
};

static void *reader(void *arg)
{
	struct race *r = arg;
	char h[SECRET_HASH_HEX];
	hash_of(5, h);
	struct principal got;
	for (int i = 0; i < 200000; i++) {
		int was = atomic_load(&r->forgotten);
		bool hit = authcache_get(r->c, h, 1.0, &got);
		if (was && hit)
			atomic_fetch_add(&r->stale_hits, 1);
	}
	return NULL;
}

/* Once forget_all has returned, no thread gets the old entry. */
static void test_forget_across_threads(void **state)
{
	(void)state;
	struct race r = {0};
	struct crix_error err = {0};
	assert_int_equal(authcache_new(128, 60.0, &r.c, &err), 0);
	char h[SECRET_HASH_HEX];
	hash_of(5, h);
	struct principal p = who(2);
	authcache_put(r.c, h, authcache_generation(r.c), 1.0, 0, &p);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &r), 0);
	authcache_forget_all(r.c);
	atomic_store(&r.forgotten, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&r.stale_hits), 0);
	authcache_free(r.c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hit_ttl_expiry),
	        cmocka_unit_test(test_forget_and_stale_generation),
	        cmocka_unit_test(test_bounded),
	        cmocka_unit_test(test_forget_across_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
