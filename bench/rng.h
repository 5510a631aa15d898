/*
 * rng.h - the deterministic PRNG shared by the bench generators: splitmix64
 * seeding xorshift64*, with a fixed seed, so that every run of a generator
 * writes the same bytes.  Header-only (static functions): each generator is
 * one translation unit.
 */
#ifndef CRIX_BENCH_RNG_H
#define CRIX_BENCH_RNG_H

#include <stdbool.h>
#include <stdint.h>

static uint64_t rng_state;

/* splitmix64: turns the fixed seed into a well-mixed xorshift state. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* xorshift64*: fast and fully reproducible. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n); n > 0.  The modulo bias is irrelevant here. */
static uint32_t below(uint32_t n)
{
	return (uint32_t)((rnd() >> 32) % n);
}

/* A number in [lo, hi]. */
static uint32_t range(uint32_t lo, uint32_t hi)
{
	return lo + below(hi - lo + 1);
}

/* True with the given probability in percent. */
static bool chance(uint32_t percent)
{
	return below(100) < percent;
}

#define NELEM(a)   (sizeof(a) / sizeof((a)[0]))
#define PICK(list) ((list)[below((uint32_t)NELEM(list))])

#endif
