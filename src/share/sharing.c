#include "share/sharing.h"

#include "match/load.h"
#include "match/match.h"
#include "model/account.h"
#include "model/audit.h"
#include "model/warnlist.h"
#include "share/stix.h"
#include "share/uuid.h"
#include "util/clock.h"
#include "util/jsonw.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IDS_MAX 64 /* organisations, groups or users one thing is shared with */

struct ids {
	int64_t v[IDS_MAX];
	size_t n;
};

struct coll {
	struct store_collection c;
	struct ids orgs, groups, users, writers;
};

struct group {
	struct store_group g;
	struct ids members;
};

/* One shared indicator: which object holds it and who may see that. */
struct smeta {
	int64_t id;
	int64_t owner_org, owner_user;
	int tlp;
	bool revoked;  /* a revoked version of its object arrived: no longer matched */
	uint32_t coll; /* index in colls (append-only, so stable) */
	char *stix_id;
	char added[CLOCK_ISO_LEN + 8];
};

/* canonical "type<TAB>value" -> the shared indicators holding it */
struct vslot {
	char *key;
	uint32_t *idx;
	uint32_t n, cap;
};

struct sharing {
	struct store *store;
	const struct ioc_ctx *ioc;
	pthread_rwlock_t lock; /* everything below */
	struct group *groups;
	size_t n_groups;
	struct coll *colls;
	size_t n_colls, cap_colls;
	struct smeta *metas;
	size_t n_metas, cap_metas;
	struct vslot *map;
	size_t map_cap, map_n;
	struct match_index *ix;
	uint32_t src;
	pthread_mutex_t added_lock;
	int64_t last_us;       /* the newest date_added handed out, in microseconds */
	struct warnlist *warn; /* known-benign values: never indicators; or NULL */
	struct sagg **saggs;   /* sightings' totals by indicator object: SAGG_BUCKETS chains */
	/* Bumped by every change to what anyone may see, once memory is in step
	 * with the store (so under the write lock, or after it): a cached result
	 * built while it held one value is served only while it still does. */
	atomic_ulong gen;
	pthread_mutex_t cache_lock;
	struct cache_ent *cache; /* SHARING_CACHE_ENTRIES */
	size_t cache_next;       /* the slot the next put takes when none is free */
};

/* A result cached for one caller class (sharing_cache_get). */
struct cache_ent {
	char what[16];
	char key[SHARING_CLASS_MAX];
	unsigned long gen;
	time_t at;
	char *text;
	size_t len;
};

static void changed(struct sharing *sh)
{
	atomic_fetch_add(&sh->gen, 1);
}

#define SAGG_BUCKETS 16384

struct sagg;
struct buf;
static int load_sightings(struct sharing *sh, struct store_sighting *newest,
                          struct crix_error *err);
static int backfill_sighting_objects(struct sharing *sh, const struct store_sighting *newest,
                                     struct crix_error *err);
static void saggs_free(struct sharing *sh);
static struct sagg *sagg_get(struct sharing *sh, const char *coll, const char *stix_id,
                             bool create);
static void put_sagg(struct buf *b, const struct sagg *a);

/* ---- id lists "1,5,9" ---- */

static int ids_parse(const char *s, struct ids *out)
{
	out->n = 0;
	while (*s != '\0') {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (end == s || v <= 0 || out->n == IDS_MAX)
			return -1;
		out->v[out->n++] = v;
		s = *end == ',' ? end + 1 : end;
		if (*end != ',' && *end != '\0')
			return -1;
	}
	return 0;
}

static void ids_format(const struct ids *in, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = 0; i < in->n && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%" PRId64, i ? "," : "", in->v[i]);
}

static bool ids_has(const struct ids *in, int64_t v)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->v[i] == v)
			return true;
	return false;
}

static json_t *ids_json(const struct ids *in)
{
	json_t *a = json_array();
	for (size_t i = 0; i < in->n; i++)
		json_array_append_new(a, json_integer(in->v[i]));
	return a;
}

/* Reads an array of positive ids from spec[key] (absent: empty). */
static int ids_from_json(const json_t *spec, const char *key, const char *field, struct ids *out,
                         struct crix_error *err)
{
	out->n = 0;
	json_t *a = json_object_get(spec, key);
	if (a == NULL)
		return 0;
	if (!json_is_array(a))
		return crix_error_field(err, field, CRIX_EINVAL, "%s: must be an array of ids",
		                        field);
	if (json_array_size(a) > IDS_MAX)
		return crix_error_field(err, field, CRIX_EINVAL, "%s: at most %d ids", field,
		                        IDS_MAX);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return crix_error_field(err, field, CRIX_EINVAL,
			                        "%s[%zu]: must be a positive integer id", field, i);
		if (!ids_has(out, json_integer_value(v)))
			out->v[out->n++] = json_integer_value(v);
	}
	return 0;
}

/* ---- the registry ---- */

static int coll_fill(struct coll *k, const struct store_collection *c)
{
	k->c = *c;
	if (ids_parse(c->share_orgs, &k->orgs) || ids_parse(c->share_groups, &k->groups) ||
	    ids_parse(c->share_users, &k->users) || ids_parse(c->writers, &k->writers))
		return -1;
	return 0;
}

static struct coll *coll_find(struct sharing *sh, const char *id, uint32_t *idx)
{
	for (size_t i = 0; i < sh->n_colls; i++)
		if (strcmp(sh->colls[i].c.id, id) == 0) {
			if (idx != NULL)
				*idx = (uint32_t)i;
			return &sh->colls[i];
		}
	return NULL;
}

static int load_groups(struct sharing *sh, struct crix_error *err)
{
	struct store_group *g;
	size_t n;
	int rc = store_group_list(sh->store, &g, &n, err);
	if (rc != 0)
		return rc;
	struct group *gs = calloc(n ? n : 1, sizeof *gs);
	if (gs == NULL) {
		free(g);
		return crix_error_set(err, CRIX_ENOMEM, "sharing groups: out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		gs[i].g = g[i];
		if (ids_parse(g[i].members, &gs[i].members) != 0)
			gs[i].members.n = 0;
	}
	free(g);
	free(sh->groups);
	sh->groups = gs;
	sh->n_groups = n;
	return 0;
}

/* The groups an organisation belongs to (under the lock). */
static void membership(struct sharing *sh, int64_t org, struct ids *out)
{
	out->n = 0;
	for (size_t i = 0; i < sh->n_groups && out->n < IDS_MAX; i++)
		if (ids_has(&sh->groups[i].members, org))
			out->v[out->n++] = sh->groups[i].g.id;
}

/* THE visibility decision for an object in collection k with TLP tlp owned
 * by (org, user): the collection must be visible, and then the object. */
static bool visible(const struct principal *p, const struct ids *groups, const struct coll *k,
                    int tlp, int64_t org, int64_t user)
{
	struct share_membership m = {groups->v, groups->n};
	struct share_object o = {
	        .tlp = (enum tlp)k->c.tlp,
	        .owner_org = k->c.owner_org,
	        .owner_user = k->c.owner_user,
	        .orgs = k->orgs.v,
	        .n_orgs = k->orgs.n,
	        .groups = k->groups.v,
	        .n_groups = k->groups.n,
	        .users = k->users.v,
	        .n_users = k->users.n,
	};
	if (!tlp_may_see(p, &m, &o))
		return false;
	/* The object under its own TLP, shared as its collection is; an object
	 * a partner dropped into a collection is also the collection owner's to
	 * see (AMBER: the owner organisation is one it was shared with). */
	int64_t orgs[IDS_MAX + 1];
	memcpy(orgs, k->orgs.v, k->orgs.n * sizeof orgs[0]);
	size_t n = k->orgs.n;
	if (org != k->c.owner_org)
		orgs[n++] = k->c.owner_org;
	o.orgs = orgs;
	o.n_orgs = n;
	o.tlp = (enum tlp)tlp;
	o.owner_org = org;
	o.owner_user = user;
	return tlp_may_see(p, &m, &o);
}

/* The sightings of an indicator object (its TLP and owner in collection k)
 * are seen by those who may see the indicator and may see sightings (its
 * owner organisation, law enforcement: account_may_see_sightings): the one
 * rule for the REST routes and for the sighting objects TAXII serves. */
static bool sightings_visible(const struct principal *p, const struct ids *groups,
                              const struct coll *k, int tlp, int64_t org, int64_t user)
{
	return visible(p, groups, k, tlp, org, user) && account_may_see_sightings(p, org);
}

/* Rows of stix_objects with this source are the sighting objects crix made
 * of partners' sightings (their TLP and owner are the indicator's). */
#define SIGHTING_SOURCE "crix:sighting"

/* A stored object row as TAXII serves it: a sighting crix made under the
 * sightings rule, anything else under visible. */
static bool row_visible(const struct principal *p, const struct ids *groups, const struct coll *k,
                        const struct store_object *o)
{
	if (strcmp(o->source, SIGHTING_SOURCE) == 0)
		return sightings_visible(p, groups, k, o->tlp, o->owner_org, o->owner_user);
	return visible(p, groups, k, o->tlp, o->owner_org, o->owner_user);
}

static bool coll_visible(const struct principal *p, const struct ids *groups, const struct coll *k)
{
	return visible(p, groups, k, k->c.tlp, k->c.owner_org, k->c.owner_user);
}

static bool can_share(const struct principal *p)
{
	return p->authenticated && (p->role == ROLE_ANALYST || p->role == ROLE_INVESTIGATOR ||
	                            p->role == ROLE_ORG_ADMIN || p->role == ROLE_ADMIN);
}

static bool coll_writable(const struct principal *p, const struct coll *k)
{
	return can_share(p) && (p->org_id == k->c.owner_org || ids_has(&k->writers, p->org_id));
}

/*
 * The collection id names, as p may reach it (under the lock): NULL when it
 * is unknown or p may neither read nor write it, which look alike (404).
 * OUT: *groups, p's memberships; *readable.
 */
static struct coll *coll_reach(struct sharing *sh, const struct principal *p, const char *id,
                               struct ids *groups, bool *readable)
{
	membership(sh, p->org_id, groups);
	struct coll *k = coll_find(sh, id, NULL);
	*readable = k != NULL && coll_visible(p, groups, k);
	return k != NULL && (*readable || coll_writable(p, k)) ? k : NULL;
}

/* ---- the lookup index ---- */

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int map_grow(struct sharing *sh)
{
	size_t nc = sh->map_cap ? sh->map_cap * 2 : 1024;
	struct vslot *m = calloc(nc, sizeof *m);
	if (m == NULL)
		return CRIX_ENOMEM;
	for (size_t i = 0; i < sh->map_cap; i++) {
		if (sh->map[i].key == NULL)
			continue;
		size_t j = fnv(sh->map[i].key) & (nc - 1);
		while (m[j].key != NULL)
			j = (j + 1) & (nc - 1);
		m[j] = sh->map[i];
	}
	free(sh->map);
	sh->map = m;
	sh->map_cap = nc;
	return 0;
}

static struct vslot *map_get(struct sharing *sh, const char *key, bool create)
{
	if (create && (sh->map_n + 1) * 2 > sh->map_cap && map_grow(sh) != 0)
		return NULL;
	if (sh->map_cap == 0)
		return NULL;
	size_t j = fnv(key) & (sh->map_cap - 1);
	while (sh->map[j].key != NULL) {
		if (strcmp(sh->map[j].key, key) == 0)
			return &sh->map[j];
		j = (j + 1) & (sh->map_cap - 1);
	}
	if (!create)
		return NULL;
	sh->map[j].key = strdup(key);
	if (sh->map[j].key == NULL)
		return NULL;
	sh->map_n++;
	return &sh->map[j];
}

static void map_key(char *out, size_t cap, enum ioc_type t, const char *v)
{
	snprintf(out, cap, "%s\t%s", ioc_type_name(t), v);
}

static int slot_grow(struct vslot *slot)
{
	uint32_t nc = slot->cap ? slot->cap * 2 : 2;
	uint32_t *p = realloc(slot->idx, nc * sizeof *p);
	if (p == NULL)
		return -1;
	slot->idx = p;
	slot->cap = nc;
	return 0;
}

/* Adds one stored shared indicator to the index (under the write lock). */
static int index_add(struct sharing *sh, const struct store_shared_indicator *si,
                     struct crix_error *err)
{
	uint32_t ci;
	if (coll_find(sh, si->collection, &ci) == NULL)
		return 0; /* its collection is gone: nobody may see it */
	enum ioc_type t = ioc_type_from_name(si->type);
	struct ioc_value v;
	struct crix_error e = {0};
	if (t == IOC_NONE || ioc_parse(sh->ioc, t, si->value, strlen(si->value), NULL, &v, &e) != 0)
		return 0; /* cannot happen for values crix stored; never fatal */
	if (sh->n_metas == sh->cap_metas) {
		size_t nc = sh->cap_metas ? sh->cap_metas * 2 : 1024;
		struct smeta *m = realloc(sh->metas, nc * sizeof *m);
		if (m == NULL)
			return crix_error_set(err, CRIX_ENOMEM, "lookup index: out of memory");
		sh->metas = m;
		sh->cap_metas = nc;
	}
	struct smeta *m = &sh->metas[sh->n_metas];
	memset(m, 0, sizeof *m);
	m->id = si->id;
	m->owner_org = si->owner_org;
	m->owner_user = si->owner_user;
	m->tlp = si->tlp;
	m->coll = ci;
	snprintf(m->added, sizeof m->added, "%s", si->added);
	m->stix_id = strdup(si->stix_id);
	char key[IOC_VALUE_MAX + 32];
	map_key(key, sizeof key, v.type, v.v);
	struct vslot *slot = map_get(sh, key, true);
	if (m->stix_id == NULL || slot == NULL) {
		free(m->stix_id);
		return crix_error_set(err, CRIX_ENOMEM, "lookup index: out of memory");
	}
	if (slot->n == slot->cap) {
		uint32_t nc = slot->cap ? slot->cap * 2 : 2;
		uint32_t *p = realloc(slot->idx, nc * sizeof *p);
		if (p == NULL) {
			free(m->stix_id);
			return crix_error_set(err, CRIX_ENOMEM, "lookup index: out of memory");
		}
		slot->idx = p;
		slot->cap = nc;
	}
	slot->idx[slot->n++] = (uint32_t)sh->n_metas;
	/* the next map_get may grow the map and move slot: decide before it */
	bool first = slot->n == 1;
	/* by the object's STIX id too, for sightings that name it ("stix" is
	 * no indicator type, so the keys never meet) */
	char ik[STORE_NAME_MAX + 8];
	snprintf(ik, sizeof ik, "stix\t%s", m->stix_id);
	struct vslot *is = map_get(sh, ik, true);
	if (is == NULL || (is->n == is->cap && slot_grow(is) != 0))
		return crix_error_set(err, CRIX_ENOMEM, "lookup index: out of memory");
	is->idx[is->n++] = (uint32_t)sh->n_metas;
	sh->n_metas++;
	if (first) {
		bool allowed;
		return match_index_add(sh->ix, &v, sh->src, (uint64_t)si->id, &allowed, err);
	}
	return 0;
}

static int load_indicators(struct sharing *sh, struct crix_error *err)
{
	int64_t after = 0;
	for (;;) {
		struct store_shared_indicator *a;
		size_t n;
		int rc = store_shared_indicator_scan(sh->store, after, 4096, &a, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = index_add(sh, &a[i], err);
		if (n > 0)
			after = a[n - 1].id;
		store_shared_indicator_array_free(a, n);
		if (rc != 0)
			return rc;
		if (n < 4096)
			return 0;
	}
}

/* ---- date_added ---- */

/* 0 for a missing or bad time (the first date_added to come). */
static int64_t parse_us(const char *s)
{
	int64_t us = clock_parse_iso_us(s);
	return us < 0 ? 0 : us;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A date_added later than every one before. */
static void next_added(struct sharing *sh, char out[CLOCK_ISO_LEN + 8])
{
	int64_t us = now_us();
	pthread_mutex_lock(&sh->added_lock);
	if (us <= sh->last_us)
		us = sh->last_us + 1;
	sh->last_us = us;
	pthread_mutex_unlock(&sh->added_lock);
	clock_format_iso_us(us, out);
}

/* ---- open, free ---- */

int sharing_open(struct store *s, const struct ioc_ctx *ioc, struct sharing **out,
                 struct crix_error *err)
{
	struct sharing *sh = calloc(1, sizeof *sh);
	if (sh == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "sharing: out of memory");
	sh->store = s;
	sh->ioc = ioc;
	pthread_rwlock_init(&sh->lock, NULL);
	pthread_mutex_init(&sh->added_lock, NULL);
	pthread_mutex_init(&sh->cache_lock, NULL);
	atomic_init(&sh->gen, 1);
	struct match_source src = {"shared objects", NULL, NULL};
	struct store_collection *c = NULL;
	size_t n = 0;
	char last[CLOCK_ISO_LEN + 8] = "";
	int rc = match_index_new(&sh->ix, err);
	if (rc == 0)
		rc = match_index_add_source(sh->ix, &src, &sh->src, err);
	if (rc == 0)
		rc = load_groups(sh, err);
	if (rc == 0)
		rc = store_collection_list(s, &c, &n, err);
	if (rc == 0) {
		sh->colls = calloc(n + 16, sizeof *sh->colls);
		sh->cap_colls = n + 16;
		if (sh->colls == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "sharing: out of memory");
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (coll_fill(&sh->colls[sh->n_colls], &c[i]) == 0)
			sh->n_colls++;
	free(c);
	if (rc == 0 && ((sh->saggs = calloc(SAGG_BUCKETS, sizeof *sh->saggs)) == NULL ||
	                (sh->cache = calloc(SHARING_CACHE_ENTRIES, sizeof *sh->cache)) == NULL))
		rc = crix_error_set(err, CRIX_ENOMEM, "sharing: out of memory");
	if (rc == 0)
		rc = load_indicators(sh, err);
	struct store_sighting newest = {0};
	if (rc == 0)
		rc = load_sightings(sh, &newest, err);
	if (rc == 0)
		rc = store_object_last_added(s, last, err);
	if (rc == 0) {
		sh->last_us = parse_us(last);
		rc = backfill_sighting_objects(sh, &newest, err);
	}
	if (rc != 0) {
		sharing_free(sh);
		return rc;
	}
	*out = sh;
	return 0;
}

void sharing_free(struct sharing *sh)
{
	if (sh == NULL)
		return;
	for (size_t i = 0; i < sh->map_cap; i++) {
		free(sh->map[i].key);
		free(sh->map[i].idx);
	}
	free(sh->map);
	for (size_t i = 0; i < sh->n_metas; i++)
		free(sh->metas[i].stix_id);
	free(sh->metas);
	free(sh->colls);
	free(sh->groups);
	saggs_free(sh);
	for (size_t i = 0; sh->cache != NULL && i < SHARING_CACHE_ENTRIES; i++)
		free(sh->cache[i].text);
	free(sh->cache);
	match_index_free(sh->ix);
	pthread_rwlock_destroy(&sh->lock);
	pthread_mutex_destroy(&sh->added_lock);
	pthread_mutex_destroy(&sh->cache_lock);
	free(sh);
}

/* ---- results cached per caller class ---- */

void sharing_caller_class(const struct principal *p, char out[SHARING_CLASS_MAX])
{
	if (!p->authenticated)
		snprintf(out, SHARING_CLASS_MAX, "public");
	else
		snprintf(out, SHARING_CLASS_MAX, "u%" PRId64 ":o%" PRId64 ":r%d:k%d", p->user_id,
		         p->org_id, (int)p->role, (int)p->org_kind);
}

unsigned long sharing_generation(struct sharing *sh)
{
	return atomic_load(&sh->gen);
}

int sharing_cache_get(struct sharing *sh, const char *what, const char *cls, char **text,
                      size_t *len)
{
	*text = NULL;
	*len = 0;
	unsigned long gen = sharing_generation(sh);
	time_t now = time(NULL);
	int rc = CRIX_ENOTFOUND;
	pthread_mutex_lock(&sh->cache_lock);
	for (size_t i = 0; i < SHARING_CACHE_ENTRIES; i++) {
		struct cache_ent *e = &sh->cache[i];
		if (e->text == NULL || e->gen != gen || now - e->at >= SHARING_CACHE_TTL ||
		    now < e->at || strcmp(e->what, what) != 0 || strcmp(e->key, cls) != 0)
			continue;
		*text = malloc(e->len + 1);
		if (*text != NULL) {
			memcpy(*text, e->text, e->len + 1);
			*len = e->len;
			rc = 0;
		}
		break;
	}
	pthread_mutex_unlock(&sh->cache_lock);
	return rc;
}

void sharing_cache_put(struct sharing *sh, const char *what, const char *cls, unsigned long gen,
                       const char *text, size_t len)
{
	if (len > SHARING_CACHE_BYTES || gen != sharing_generation(sh))
		return; /* too big to keep, or out of date already */
	char *copy = malloc(len + 1);
	if (copy == NULL)
		return; /* a cache: not keeping it is fine */
	memcpy(copy, text, len);
	copy[len] = '\0';
	time_t now = time(NULL);
	pthread_mutex_lock(&sh->cache_lock);
	/* the class's own slot, else a free or out-of-date one, else in turn */
	size_t slot = SHARING_CACHE_ENTRIES;
	for (size_t i = 0; i < SHARING_CACHE_ENTRIES && slot == SHARING_CACHE_ENTRIES; i++) {
		const struct cache_ent *e = &sh->cache[i];
		if (e->text != NULL && strcmp(e->what, what) == 0 && strcmp(e->key, cls) == 0)
			slot = i;
	}
	for (size_t i = 0; i < SHARING_CACHE_ENTRIES && slot == SHARING_CACHE_ENTRIES; i++) {
		const struct cache_ent *e = &sh->cache[i];
		if (e->text == NULL || e->gen != gen || now - e->at >= SHARING_CACHE_TTL)
			slot = i;
	}
	if (slot == SHARING_CACHE_ENTRIES)
		slot = sh->cache_next++ % SHARING_CACHE_ENTRIES;
	struct cache_ent *e = &sh->cache[slot];
	free(e->text);
	snprintf(e->what, sizeof e->what, "%s", what);
	snprintf(e->key, sizeof e->key, "%s", cls);
	e->gen = gen;
	e->at = now;
	e->text = copy;
	e->len = len;
	pthread_mutex_unlock(&sh->cache_lock);
}

size_t sharing_indicator_count(struct sharing *sh)
{
	pthread_rwlock_rdlock(&sh->lock);
	size_t n = sh->n_metas;
	pthread_rwlock_unlock(&sh->lock);
	return n;
}

/* ---- groups ---- */

static json_t *group_json(const struct group *g)
{
	return json_pack("{sI ss sI so ss}", "id", (json_int_t)g->g.id, "name", g->g.name,
	                 "owner_org", (json_int_t)g->g.owner_org, "members", ids_json(&g->members),
	                 "created", g->g.created);
}

static int org_exists(struct sharing *sh, int64_t id, const char *field, struct crix_error *err)
{
	struct store_org o;
	int rc = store_org_get(sh->store, id, &o, err);
	if (rc == CRIX_ENOTFOUND)
		return crix_error_field(err, field, CRIX_EINVAL, "%s: no organisation %" PRId64,
		                        field, id);
	return rc;
}

int sharing_group_create(struct sharing *sh, const struct principal *p, const json_t *spec,
                         json_t **out, struct crix_error *err)
{
	if (!can_share(p))
		return crix_error_set(
		        err, CRIX_EACCES,
		        "only analysts, investigators and admins manage sharing groups");
	if (!json_is_object(spec))
		return crix_error_field(err, "body", CRIX_EINVAL, "body: must be a JSON object");
	const char *name = json_string_value(json_object_get(spec, "name"));
	if (name == NULL || name[0] == '\0' || strlen(name) >= STORE_NAME_MAX ||
	    !crix_utf8_valid(name))
		return crix_error_field(err, "name", CRIX_EINVAL,
		                        "name: 1 to %d bytes of UTF-8 text", STORE_NAME_MAX - 1);
	struct ids members;
	int rc = ids_from_json(spec, "members", "members", &members, err);
	for (size_t i = 0; rc == 0 && i < members.n; i++)
		rc = org_exists(sh, members.v[i], "members", err);
	if (rc == 0 && !ids_has(&members, p->org_id)) {
		if (members.n == IDS_MAX)
			return crix_error_field(err, "members", CRIX_EINVAL, "members: at most %d",
			                        IDS_MAX - 1);
		members.v[members.n++] = p->org_id; /* the owner is a member */
	}
	if (rc != 0)
		return rc;
	struct store_group g = {.owner_org = p->org_id};
	snprintf(g.name, sizeof g.name, "%s", name);
	clock_now_iso(g.created);
	struct store_tx *tx;
	rc = store_tx_begin(sh->store, &tx, err);
	if (rc != 0)
		return rc;
	pthread_rwlock_wrlock(&sh->lock);
	rc = store_group_insert(tx, &g, err);
	for (size_t i = 0; rc == 0 && i < members.n; i++)
		rc = store_group_member(tx, g.id, members.v[i], 1, err);
	char oid[32];
	snprintf(oid, sizeof oid, "%" PRId64, g.id);
	if (rc == 0)
		rc = audit_append(tx, p->actor, "group.create", "group", oid, name, err);
	if (rc == 0)
		rc = store_tx_commit(tx, err);
	else
		store_tx_rollback(tx);
	if (rc == CRIX_EEXIST)
		crix_error_field(err, "name", CRIX_EEXIST, "name: a group '%s' exists", name);
	if (rc == 0)
		rc = load_groups(sh, err);
	if (rc == 0) {
		struct group gg = {.g = g, .members = members};
		*out = group_json(&gg);
		changed(sh);
	}
	pthread_rwlock_unlock(&sh->lock);
	return rc;
}

int sharing_group_member(struct sharing *sh, const struct principal *p, int64_t group, int64_t org,
                         bool add, struct crix_error *err)
{
	pthread_rwlock_wrlock(&sh->lock);
	const struct group *g = NULL;
	for (size_t i = 0; i < sh->n_groups; i++)
		if (sh->groups[i].g.id == group)
			g = &sh->groups[i];
	int rc = 0;
	if (g == NULL || !ids_has(&g->members, p->org_id))
		rc = crix_error_set(err, CRIX_ENOTFOUND, "sharing group %" PRId64 " not found",
		                    group);
	else if (!can_share(p) || g->g.owner_org != p->org_id)
		rc = crix_error_set(
		        err, CRIX_EACCES,
		        "only the owner organisation's analysts and admins manage a group");
	else if (!add && org == g->g.owner_org)
		rc = crix_error_set(err, CRIX_EINVAL, "the owner organisation stays in its group");
	else if (add && g->members.n == IDS_MAX && !ids_has(&g->members, org))
		rc = crix_error_set(err, CRIX_EINVAL, "a group holds at most %d organisations",
		                    IDS_MAX);
	if (rc == 0 && add)
		rc = org_exists(sh, org, "org", err);
	struct store_tx *tx = NULL;
	if (rc == 0)
		rc = store_tx_begin(sh->store, &tx, err);
	if (rc == 0) {
		char oid[32], detail[64];
		snprintf(oid, sizeof oid, "%" PRId64, group);
		snprintf(detail, sizeof detail, "org %" PRId64, org);
		rc = store_group_member(tx, group, org, add, err);
		if (rc == 0)
			rc = audit_append(tx, p->actor, add ? "group.add" : "group.remove", "group",
			                  oid, detail, err);
		if (rc == 0)
			rc = store_tx_commit(tx, err);
		else
			store_tx_rollback(tx);
	}
	if (rc == 0)
		rc = load_groups(sh, err);
	if (rc == 0)
		changed(sh);
	pthread_rwlock_unlock(&sh->lock);
	return rc;
}

json_t *sharing_groups_json(struct sharing *sh, const struct principal *p)
{
	json_t *a = json_array();
	pthread_rwlock_rdlock(&sh->lock);
	for (size_t i = 0; p->authenticated && i < sh->n_groups; i++)
		if (ids_has(&sh->groups[i].members, p->org_id))
			json_array_append_new(a, group_json(&sh->groups[i]));
	pthread_rwlock_unlock(&sh->lock);
	return json_pack("{so}", "groups", a);
}

bool sharing_orgs_share_group(struct sharing *sh, int64_t a, int64_t b)
{
	bool yes = false;
	pthread_rwlock_rdlock(&sh->lock);
	for (size_t i = 0; !yes && i < sh->n_groups; i++)
		yes = ids_has(&sh->groups[i].members, a) && ids_has(&sh->groups[i].members, b);
	pthread_rwlock_unlock(&sh->lock);
	return yes;
}

/* ---- collections ---- */

static json_t *coll_json(const struct principal *p, const struct coll *k, bool readable,
                         bool details)
{
	json_t *o =
	        json_pack("{ss ss ss sb sb s[s]}", "id", k->c.id, "title", k->c.title,
	                  "description", k->c.description, "can_read", readable, "can_write",
	                  coll_writable(p, k), "media_types", "application/stix+json;version=2.1");
	bool owner = p->authenticated && p->org_id == k->c.owner_org;
	/* Whoever may read a collection is told its TLP: recipients must know the
	 * label to handle what they read (TLP 2.0).  Shares stay the owner's. */
	if (details && (owner || readable))
		json_object_set_new(o, "tlp", json_string(tlp_name((enum tlp)k->c.tlp)));
	if (details && owner) {
		json_object_set_new(o, "shared_with",
		                    json_pack("{so so so}", "orgs", ids_json(&k->orgs), "groups",
		                              ids_json(&k->groups), "users", ids_json(&k->users)));
		json_object_set_new(o, "writers", ids_json(&k->writers));
		json_object_set_new(o, "owner_org", json_integer(k->c.owner_org));
	}
	return o;
}

/* Reads title, description, tlp, shares and writers from spec into c. */
static int coll_spec(struct sharing *sh, const json_t *spec, struct store_collection *c,
                     bool create, struct crix_error *err)
{
	if (!json_is_object(spec))
		return crix_error_field(err, "body", CRIX_EINVAL, "body: must be a JSON object");
	json_t *v = json_object_get(spec, "title");
	if (v != NULL || create) {
		const char *t = json_string_value(v);
		if (t == NULL || t[0] == '\0' || strlen(t) >= sizeof c->title ||
		    !crix_utf8_valid(t))
			return crix_error_field(err, "title", CRIX_EINVAL,
			                        "title: 1 to %zu bytes of UTF-8 text",
			                        sizeof c->title - 1);
		snprintf(c->title, sizeof c->title, "%s", t);
	}
	v = json_object_get(spec, "description");
	if (v != NULL) {
		const char *t = json_string_value(v);
		if (t == NULL || strlen(t) >= sizeof c->description || !crix_utf8_valid(t))
			return crix_error_field(err, "description", CRIX_EINVAL,
			                        "description: at most %zu bytes of UTF-8 text",
			                        sizeof c->description - 1);
		snprintf(c->description, sizeof c->description, "%s", t);
	}
	v = json_object_get(spec, "tlp");
	if (v != NULL || create) {
		enum tlp t = json_is_string(v) ? tlp_parse(json_string_value(v)) : 0;
		if (t == 0)
			return crix_error_field(err, "tlp", CRIX_EINVAL,
			                        "tlp: clear, green, amber, amber+strict or red");
		c->tlp = (int)t;
	}
	json_t *sw = json_object_get(spec, "shared_with");
	if (sw != NULL && !json_is_object(sw))
		return crix_error_field(err, "shared_with", CRIX_EINVAL,
		                        "shared_with: an object with orgs, groups and users");
	struct ids orgs, groups, users, writers;
	int rc = 0;
	if (sw != NULL) {
		rc = ids_from_json(sw, "orgs", "shared_with.orgs", &orgs, err);
		if (rc == 0)
			rc = ids_from_json(sw, "groups", "shared_with.groups", &groups, err);
		if (rc == 0)
			rc = ids_from_json(sw, "users", "shared_with.users", &users, err);
		for (size_t i = 0; rc == 0 && i < orgs.n; i++)
			rc = org_exists(sh, orgs.v[i], "shared_with.orgs", err);
		for (size_t i = 0; rc == 0 && i < groups.n; i++) {
			bool found = false;
			for (size_t j = 0; j < sh->n_groups; j++)
				found = found || sh->groups[j].g.id == groups.v[i];
			if (!found)
				rc = crix_error_field(err, "shared_with.groups", CRIX_EINVAL,
				                      "shared_with.groups: no group %" PRId64,
				                      groups.v[i]);
		}
		for (size_t i = 0; rc == 0 && i < users.n; i++) {
			struct store_user u;
			rc = store_user_get(sh->store, users.v[i], &u, err);
			if (rc == CRIX_ENOTFOUND)
				rc = crix_error_field(err, "shared_with.users", CRIX_EINVAL,
				                      "shared_with.users: no user %" PRId64,
				                      users.v[i]);
		}
		if (rc != 0)
			return rc;
		ids_format(&orgs, c->share_orgs, sizeof c->share_orgs);
		ids_format(&groups, c->share_groups, sizeof c->share_groups);
		ids_format(&users, c->share_users, sizeof c->share_users);
	}
	if (json_object_get(spec, "writers") != NULL) {
		rc = ids_from_json(spec, "writers", "writers", &writers, err);
		for (size_t i = 0; rc == 0 && i < writers.n; i++)
			rc = org_exists(sh, writers.v[i], "writers", err);
		if (rc != 0)
			return rc;
		ids_format(&writers, c->writers, sizeof c->writers);
	}
	return 0;
}

static int coll_commit(struct sharing *sh, const struct principal *p, struct store_collection *c,
                       bool create, struct crix_error *err)
{
	struct store_tx *tx;
	int rc = store_tx_begin(sh->store, &tx, err);
	if (rc != 0)
		return rc;
	rc = create ? store_collection_insert(tx, c, err) : store_collection_update(tx, c, err);
	char detail[STORE_NAME_MAX + 64];
	snprintf(detail, sizeof detail, "%s tlp:%s", c->title, tlp_name((enum tlp)c->tlp));
	if (rc == 0)
		rc = audit_append(tx, p->actor, create ? "collection.create" : "collection.update",
		                  "collection", c->id, detail, err);
	if (rc == 0)
		rc = store_tx_commit(tx, err);
	else
		store_tx_rollback(tx);
	if (rc == CRIX_EEXIST)
		crix_error_field(err, "title", CRIX_EEXIST, "title: a collection '%s' exists",
		                 c->title);
	return rc;
}

int sharing_collection_create(struct sharing *sh, const struct principal *p, const json_t *spec,
                              json_t **out, struct crix_error *err)
{
	if (!can_share(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "only analysts, investigators and admins create collections");
	struct store_collection c = {.owner_org = p->org_id, .owner_user = p->user_id};
	struct uuid u;
	uuid_v4(&u);
	uuid_format(&u, c.id);
	clock_now_iso(c.created);
	pthread_rwlock_wrlock(&sh->lock);
	int rc = coll_spec(sh, spec, &c, true, err);
	if (rc == 0 && sh->n_colls == sh->cap_colls) {
		size_t nc = sh->cap_colls * 2 + 16;
		struct coll *k = realloc(sh->colls, nc * sizeof *k);
		if (k == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "collections: out of memory");
		else {
			sh->colls = k;
			sh->cap_colls = nc;
		}
	}
	if (rc == 0)
		rc = coll_commit(sh, p, &c, true, err);
	if (rc == 0) {
		struct coll *k = &sh->colls[sh->n_colls];
		if (coll_fill(k, &c) == 0)
			sh->n_colls++;
		*out = coll_json(p, k, true, true);
		changed(sh);
	}
	pthread_rwlock_unlock(&sh->lock);
	return rc;
}

int sharing_collection_update(struct sharing *sh, const struct principal *p, const char *id,
                              const json_t *spec, json_t **out, struct crix_error *err)
{
	pthread_rwlock_wrlock(&sh->lock);
	struct ids groups;
	bool readable;
	struct coll *k = coll_reach(sh, p, id, &groups, &readable);
	int rc = 0;
	if (k == NULL || !readable)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found", id);
	else if (!can_share(p) || p->org_id != k->c.owner_org)
		rc = crix_error_set(err, CRIX_EACCES,
		                    "only the owner organisation's analysts and admins change a "
		                    "collection");
	struct store_collection c;
	if (rc == 0) {
		c = k->c;
		rc = coll_spec(sh, spec, &c, false, err);
	}
	if (rc == 0)
		rc = coll_commit(sh, p, &c, false, err);
	if (rc == 0) {
		coll_fill(k, &c);
		*out = coll_json(p, k, true, true);
		changed(sh);
	}
	pthread_rwlock_unlock(&sh->lock);
	return rc;
}

json_t *sharing_collections_json(struct sharing *sh, const struct principal *p)
{
	json_t *a = json_array();
	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	membership(sh, p->org_id, &groups);
	/* a writer that may not read sees an inbox: can_read false, can_write true */
	for (size_t i = 0; i < sh->n_colls; i++) {
		bool r = coll_visible(p, &groups, &sh->colls[i]);
		if (r || coll_writable(p, &sh->colls[i]))
			json_array_append_new(a, coll_json(p, &sh->colls[i], r, false));
	}
	pthread_rwlock_unlock(&sh->lock);
	return json_array_size(a) ? json_pack("{so}", "collections", a)
	                          : (json_decref(a), json_object());
}

int sharing_collection_json(struct sharing *sh, const struct principal *p, const char *id,
                            json_t **out, struct crix_error *err)
{
	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	bool readable;
	struct coll *k = coll_reach(sh, p, id, &groups, &readable);
	int rc = 0;
	if (k == NULL)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found", id);
	else
		*out = coll_json(p, k, readable, true);
	pthread_rwlock_unlock(&sh->lock);
	return rc;
}

/* ---- adding objects ---- */

static bool stix_type_ok(const char *t)
{
	size_t n = strlen(t);
	if (n < 3 || n > 250)
		return false;
	for (const char *c = t; *c; c++)
		if (!(islower((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '-'))
			return false;
	return true;
}

static bool is_sco(const char *t)
{
	static const char *const scos[] = {"artifact",
	                                   "autonomous-system",
	                                   "directory",
	                                   "domain-name",
	                                   "email-addr",
	                                   "email-message",
	                                   "file",
	                                   "ipv4-addr",
	                                   "ipv6-addr",
	                                   "mac-addr",
	                                   "mutex",
	                                   "network-traffic",
	                                   "process",
	                                   "software",
	                                   "url",
	                                   "user-account",
	                                   "windows-registry-key",
	                                   "x509-certificate"};
	for (size_t i = 0; i < sizeof scos / sizeof scos[0]; i++)
		if (strcmp(t, scos[i]) == 0)
			return true;
	return false;
}

/* An RFC 3339 time in UTC, as STIX and TAXII write them. */
static bool time_ok(const char *s)
{
	char norm[CLOCK_ISO_LEN];
	struct crix_error e = {0};
	size_t n = strlen(s);
	return n >= 20 && n <= 40 && s[n - 1] == 'Z' && s[10] == 'T' &&
	       clock_parse_iso(s, "time", norm, NULL, &e) == 0;
}

/* Checks one object; fills what the store needs.  A reason in why when bad. */
static bool object_check(const json_t *o, struct store_object *so, int default_tlp, char *why,
                         size_t cap)
{
	if (!json_is_object(o)) {
		snprintf(why, cap, "not a JSON object");
		return false;
	}
	const char *type = json_string_value(json_object_get(o, "type"));
	const char *id = json_string_value(json_object_get(o, "id"));
	if (type == NULL || !stix_type_ok(type)) {
		snprintf(why, cap, "type: missing or not a STIX type name");
		return false;
	}
	size_t tl = strlen(type);
	struct uuid u;
	if (id == NULL || strlen(id) != tl + 2 + 36 || strncmp(id, type, tl) != 0 ||
	    strncmp(id + tl, "--", 2) != 0 || uuid_parse(id + tl + 2, &u) != 0) {
		snprintf(why, cap, "id: must be '%s--' and a UUID", type);
		return false;
	}
	const char *sv = json_string_value(json_object_get(o, "spec_version"));
	bool sco = is_sco(type);
	if (sv == NULL && !sco) {
		snprintf(why, cap, "spec_version: required (\"2.1\")");
		return false;
	}
	if (sv != NULL && strcmp(sv, "2.1") != 0) {
		snprintf(why, cap, "spec_version: only 2.1 is accepted, not %.16s", sv);
		return false;
	}
	const char *created = json_string_value(json_object_get(o, "created"));
	const char *modified = json_string_value(json_object_get(o, "modified"));
	bool needs_times = !sco && strcmp(type, "marking-definition") != 0 &&
	                   strcmp(type, "extension-definition") != 0 &&
	                   strcmp(type, "language-content") != 0;
	if ((needs_times &&
	     (created == NULL || !time_ok(created) || modified == NULL || !time_ok(modified))) ||
	    (created != NULL && !time_ok(created)) || (modified != NULL && !time_ok(modified))) {
		snprintf(why, cap, "created and modified: required RFC 3339 UTC times");
		return false;
	}
	snprintf(so->type, sizeof so->type, "%s", type);
	snprintf(so->stix_id, sizeof so->stix_id, "%s", id);
	snprintf(so->spec_version, sizeof so->spec_version, "%s", sv != NULL ? sv : "2.1");
	snprintf(so->version, sizeof so->version, "%s",
	         modified != NULL  ? modified
	         : created != NULL ? created
	                           : "");
	int tlp = 0;
	json_t *marks = json_object_get(o, "object_marking_refs");
	if (marks != NULL && !json_is_array(marks)) {
		snprintf(why, cap, "object_marking_refs: must be an array");
		return false;
	}
	size_t i;
	json_t *m;
	json_array_foreach(marks, i, m)
	{
		int t = json_is_string(m) ? (int)tlp_from_marking(json_string_value(m)) : 0;
		if (t > tlp)
			tlp = t; /* the most restrictive wins */
	}
	so->tlp = tlp ? tlp : default_tlp;
	return true;
}

struct take_ctx {
	struct sharing *sh;
	struct store_tx *tx;
	int64_t row;
	struct store_shared_indicator *added;
	size_t n_added, cap_added;
	struct crix_error *err;
	const struct store_object *obj;
	size_t n_warn;   /* values left out because a warning list holds them */
	json_t *revoked; /* [[collection, stix_id, owner_org]] revoked in this batch, or NULL */
};

/*
 * After a batch with revocations is committed and indexed (under the write
 * lock): the revoked objects' indicators are matched no more.  Only the
 * versions posted by the revoker's organisation: STIX lets the creator
 * revoke, and a writer of someone else's collection may not take its
 * indicators away.  (The store dropped their rows in the same batch.)
 */
static void apply_revoked(struct sharing *sh, json_t *revoked)
{
	size_t i;
	json_t *r;
	json_array_foreach(revoked, i, r)
	{
		const char *coll = json_string_value(json_array_get(r, 0));
		const char *id = json_string_value(json_array_get(r, 1));
		int64_t org = json_integer_value(json_array_get(r, 2));
		char key[STORE_NAME_MAX + 8];
		snprintf(key, sizeof key, "stix\t%s", id);
		struct vslot *slot = map_get(sh, key, false);
		for (uint32_t j = 0; slot != NULL && j < slot->n; j++) {
			struct smeta *m = &sh->metas[slot->idx[j]];
			if (m->owner_org == org && strcmp(sh->colls[m->coll].c.id, coll) == 0)
				m->revoked = true;
		}
	}
}

static int take_value(void *arg, enum ioc_type type, const char *value, size_t len)
{
	struct take_ctx *t = arg;
	struct ioc_value v;
	struct crix_error e = {0};
	if (ioc_parse(t->sh->ioc, type, value, len, NULL, &v, &e) != 0)
		return 0; /* a value crix cannot canonicalise links nothing: skip it */
	/* A known-benign value (a public resolver, a top site) would block and
	 * link everything that mentions it: it stays in the object, not in the
	 * index. */
	if (t->sh->warn != NULL && warnlist_holds(t->sh->warn, v.type, v.v, strlen(v.v), NULL)) {
		t->n_warn++;
		return 0;
	}
	if (t->n_added == t->cap_added) {
		size_t nc = t->cap_added ? t->cap_added * 2 : 64;
		struct store_shared_indicator *a = realloc(t->added, nc * sizeof *a);
		if (a == NULL)
			return crix_error_set(t->err, CRIX_ENOMEM, "out of memory");
		t->added = a;
		t->cap_added = nc;
	}
	struct store_shared_indicator *si = &t->added[t->n_added];
	memset(si, 0, sizeof *si);
	si->object_row = t->row;
	snprintf(si->type, sizeof si->type, "%s", ioc_type_name(v.type));
	si->value = strdup(v.v);
	if (si->value == NULL)
		return crix_error_set(t->err, CRIX_ENOMEM, "out of memory");
	t->n_added++;
	snprintf(si->collection, sizeof si->collection, "%s", t->obj->collection);
	snprintf(si->stix_id, sizeof si->stix_id, "%s", t->obj->stix_id);
	snprintf(si->added, sizeof si->added, "%s", t->obj->added);
	si->tlp = t->obj->tlp;
	si->owner_org = t->obj->owner_org;
	si->owner_user = t->obj->owner_user;
	return store_shared_indicator_insert(t->tx, si, t->err);
}

/*
 * Stores one checked object (so->body set) in t->tx, and the indicators its
 * pattern gives (through take_value).  OUT: *held, the same version was
 * already stored (nothing done); pwhy, why an indicator's pattern gave
 * nothing to look up ("" when it did, or the object is no indicator).
 */
static int store_one(struct take_ctx *t, struct store_object *so, const json_t *o, bool *held,
                     char *pwhy, size_t cap)
{
	*held = false;
	pwhy[0] = '\0';
	next_added(t->sh, so->added);
	if (so->version[0] == '\0')
		snprintf(so->version, sizeof so->version, "%s", so->added);
	int rc = store_object_insert(t->tx, so, t->err);
	if (rc == CRIX_EEXIST) {
		crix_error_clear(t->err);
		*held = true;
		return 0;
	}
	if (rc != 0 || strcmp(so->type, "indicator") != 0)
		return rc;
	if (json_is_true(json_object_get(o, "revoked"))) {
		snprintf(pwhy, cap, "revoked indicator");
		rc = store_shared_indicator_drop(t->tx, so->collection, so->stix_id, so->owner_org,
		                                 t->err);
		if (rc == 0 && t->revoked == NULL)
			t->revoked = json_array();
		if (rc == 0 && (t->revoked == NULL ||
		                json_array_append_new(
		                        t->revoked, json_pack("[ssI]", so->collection, so->stix_id,
		                                              (json_int_t)so->owner_org)) != 0))
			rc = crix_error_set(t->err, CRIX_ENOMEM, "out of memory");
		return rc;
	}
	const char *pat = json_string_value(json_object_get(o, "pattern"));
	const char *ptype = json_string_value(json_object_get(o, "pattern_type"));
	t->row = so->row;
	t->obj = so;
	if (pat == NULL)
		snprintf(pwhy, cap, "no pattern");
	else if (ptype != NULL && strcmp(ptype, "stix") != 0)
		snprintf(pwhy, cap, "pattern_type %.40s", ptype);
	else
		rc = match_stix_pattern(pat, strlen(pat), take_value, t, pwhy, cap);
	if (rc == 1)
		rc = 0; /* kept as an object, but nothing to look up */
	if (rc == CRIX_ENOMEM)
		crix_error_set(t->err, rc, "out of memory");
	return rc;
}

int sharing_add_objects(struct sharing *sh, const struct principal *p, const char *collection,
                        const json_t *envelope, const char *source, json_t **status,
                        struct crix_error *err)
{
	json_t *objs = json_object_get(envelope, "objects");
	if (!json_is_object(envelope) || !json_is_array(objs))
		return crix_error_field(
		        err, "objects", CRIX_EINVAL,
		        "objects: the body must be an envelope {\"objects\": [...]}");
	if (json_array_size(objs) > SHARING_OBJECTS_MAX)
		return crix_error_field(err, "objects", CRIX_ETOOBIG,
		                        "objects: at most %d in one request", SHARING_OBJECTS_MAX);
	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	bool readable;
	struct coll *k = coll_reach(sh, p, collection, &groups, &readable);
	int rc = 0, default_tlp = 0;
	if (k == NULL)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found", collection);
	else if (!coll_writable(p, k))
		rc = crix_error_set(err, CRIX_EACCES, "this collection does not take your objects");
	else
		default_tlp = k->c.tlp;
	pthread_rwlock_unlock(&sh->lock);
	if (rc != 0)
		return rc;

	char req_time[CLOCK_ISO_LEN], sid[UUID_STR_LEN];
	int64_t req_start = now_us();
	clock_now_iso(req_time);
	struct uuid u;
	uuid_v4(&u);
	uuid_format(&u, sid);
	json_t *successes = json_array(), *failures = json_array();
	struct take_ctx t = {.sh = sh, .err = err};
	struct store_tx *tx;
	rc = store_tx_begin(sh->store, &tx, err);
	if (rc != 0) {
		json_decref(successes);
		json_decref(failures);
		return rc;
	}
	t.tx = tx;
	size_t i;
	json_t *o;
	json_array_foreach(objs, i, o)
	{
		struct store_object so = {.owner_org = p->org_id, .owner_user = p->user_id};
		char why[160];
		snprintf(so.collection, sizeof so.collection, "%s", collection);
		snprintf(so.source, sizeof so.source, "%s", source);
		const char *oid = json_string_value(json_object_get(o, "id"));
		if (!object_check(o, &so, default_tlp, why, sizeof why)) {
			/* status-details need a version (section 4.3.1): modified, else created */
			const char *ov = json_string_value(json_object_get(o, "modified"));
			if (ov == NULL)
				ov = json_string_value(json_object_get(o, "created"));
			json_array_append_new(failures,
			                      json_pack("{ss ss ss}", "id", oid != NULL ? oid : "",
			                                "version", ov != NULL ? ov : "", "message",
			                                why));
			continue;
		}
		so.body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		if (so.body == NULL) {
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
			break;
		}
		bool held;
		char pwhy[128];
		rc = store_one(&t, &so, o, &held, pwhy, sizeof pwhy);
		free(so.body);
		if (rc != 0)
			break;
		if (held) { /* the same version again: already there */
			json_array_append_new(successes,
			                      json_pack("{ss ss ss}", "id", so.stix_id, "version",
			                                so.version, "message", "already held"));
			continue;
		}
		json_array_append_new(
		        successes, json_pack("{ss ss}", "id", so.stix_id, "version", so.version));
	}
	size_t ok = json_array_size(successes), bad = json_array_size(failures);
	char req_us[CLOCK_ISO_LEN + 8];
	clock_format_iso_us(req_start, req_us);
	*status = json_pack("{ss ss ss sI sI sI sI}", "id", sid, "status", "complete",
	                    "request_timestamp", req_us, "total_count",
	                    (json_int_t)json_array_size(objs), "success_count", (json_int_t)ok,
	                    "failure_count", (json_int_t)bad, "pending_count", (json_int_t)0);
	/* TAXII lists are never empty (section 2): an empty one is left out */
	if (*status != NULL && ok > 0)
		json_object_set(*status, "successes", successes);
	if (*status != NULL && bad > 0)
		json_object_set(*status, "failures", failures);
	json_decref(successes);
	json_decref(failures);
	char *body = json_dumps(*status, JSON_COMPACT);
	struct store_status st = {.user_id = p->user_id, .body = body};
	snprintf(st.id, sizeof st.id, "%s", sid);
	snprintf(st.created, sizeof st.created, "%s", req_time);
	char detail[96];
	snprintf(detail, sizeof detail, "%zu added, %zu failed, source %.40s", ok, bad, source);
	if (rc == 0 && body == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	if (rc == 0)
		rc = store_status_insert(tx, &st, err);
	if (rc == 0)
		rc = audit_append(tx, p->actor, "objects.add", "collection", collection, detail,
		                  err);
	free(body);
	if (rc == 0)
		rc = store_tx_commit(tx, err);
	else
		store_tx_rollback(tx);
	if (rc == 0) {
		pthread_rwlock_wrlock(&sh->lock);
		for (size_t j = 0; j < t.n_added && rc == 0; j++)
			rc = index_add(sh, &t.added[j], err);
		apply_revoked(sh, t.revoked);
		changed(sh);
		pthread_rwlock_unlock(&sh->lock);
	}
	store_shared_indicator_array_free(t.added, t.n_added);
	json_decref(t.revoked);
	if (rc != 0) {
		json_decref(*status);
		*status = NULL;
	}
	return rc;
}

/* ---- importing bundles ---- */

#define IMPORT_BATCH_OBJECTS 5000       /* objects in one transaction */
#define IMPORT_BATCH_BYTES   (8u << 20) /* or bytes of objects */
#define IMPORT_INVALID_MAX   1000       /* invalid objects listed (all are counted) */
#define IMPORT_REASONS_MAX   32         /* distinct skip reasons (the rest: "other") */

struct sharing_import {
	struct sharing *sh;
	struct principal p;
	char collection[40];
	char source[STORE_NAME_MAX];
	int default_tlp;
	struct take_ctx t;
	size_t in_tx, tx_bytes;
	size_t objects, stored, held, n_invalid, indicators;
	json_t *skipped; /* reason -> count */
	json_t *invalid; /* [{index, reason}] */
};

void sharing_set_warnlist(struct sharing *sh, struct warnlist *w)
{
	pthread_rwlock_wrlock(&sh->lock);
	sh->warn = w;
	pthread_rwlock_unlock(&sh->lock);
}

int sharing_import_begin(struct sharing *sh, const struct principal *p, const char *collection,
                         const char *source, struct sharing_import **out, struct crix_error *err)
{
	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	bool readable;
	struct principal owner = {0};
	struct coll *k = NULL;
	if (p == NULL) { /* the command line acts as the collection's owner */
		k = coll_find(sh, collection, NULL);
		if (k != NULL) {
			owner = (struct principal){.authenticated = true,
			                           .user_id = k->c.owner_user,
			                           .org_id = k->c.owner_org,
			                           .role = ROLE_ADMIN};
			snprintf(owner.actor, sizeof owner.actor, "cli:import");
			p = &owner;
		}
	} else
		k = coll_reach(sh, p, collection, &groups, &readable);
	int rc = 0, default_tlp = 0;
	if (k == NULL)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found", collection);
	else if (!coll_writable(p, k))
		rc = crix_error_set(err, CRIX_EACCES, "this collection does not take your objects");
	else
		default_tlp = k->c.tlp;
	pthread_rwlock_unlock(&sh->lock);
	if (rc != 0)
		return rc;
	struct sharing_import *im = calloc(1, sizeof *im);
	if (im == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "import: out of memory");
	im->sh = sh;
	im->p = *p;
	im->default_tlp = default_tlp;
	snprintf(im->collection, sizeof im->collection, "%s", collection);
	snprintf(im->source, sizeof im->source, "%s", source);
	im->t.sh = sh;
	im->skipped = json_object();
	im->invalid = json_array();
	*out = im;
	return 0;
}

/* Commits the open batch with its audit entry, then indexes its indicators. */
static int import_flush(struct sharing_import *im, struct crix_error *err)
{
	struct take_ctx *t = &im->t;
	if (t->tx == NULL)
		return 0;
	char detail[160];
	snprintf(detail, sizeof detail, "%zu objects imported, source %.60s", im->in_tx,
	         im->source);
	t->err = err;
	int rc = audit_append(t->tx, im->p.actor, "objects.import", "collection", im->collection,
	                      detail, err);
	if (rc == 0)
		rc = store_tx_commit(t->tx, err);
	else
		store_tx_rollback(t->tx);
	t->tx = NULL;
	im->in_tx = im->tx_bytes = 0;
	if (rc == 0) {
		pthread_rwlock_wrlock(&im->sh->lock);
		for (size_t j = 0; j < t->n_added && rc == 0; j++)
			rc = index_add(im->sh, &t->added[j], err);
		apply_revoked(im->sh, t->revoked);
		changed(im->sh);
		pthread_rwlock_unlock(&im->sh->lock);
		im->indicators += t->n_added;
	}
	store_shared_indicator_array_free(t->added, t->n_added);
	json_decref(t->revoked);
	t->revoked = NULL;
	t->added = NULL;
	t->n_added = t->cap_added = 0;
	return rc;
}

static void import_invalid(struct sharing_import *im, size_t index, char *why)
{
	crix_utf8_sanitize(why); /* it may quote a cut piece of the input */
	if (im->n_invalid++ < IMPORT_INVALID_MAX)
		json_array_append_new(im->invalid, json_pack("{sI ss}", "index", (json_int_t)index,
		                                             "reason", why));
}

static void import_skipped(struct sharing_import *im, char *why)
{
	crix_utf8_sanitize(why);
	if (json_object_get(im->skipped, why) == NULL &&
	    json_object_size(im->skipped) >= IMPORT_REASONS_MAX)
		why = "other";
	json_t *n = json_object_get(im->skipped, why);
	json_object_set_new(im->skipped, why, json_integer(n ? json_integer_value(n) + 1 : 1));
}

int sharing_import_object(struct sharing_import *im, size_t index, const char *text, size_t len,
                          struct crix_error *err)
{
	im->objects++;
	json_error_t je;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	char why[200];
	if (o == NULL) {
		snprintf(why, sizeof why, "not JSON: %.120s (line %d column %d of the object)",
		         je.text, je.line, je.column);
		import_invalid(im, index, why);
		return 0;
	}
	struct store_object so = {.owner_org = im->p.org_id, .owner_user = im->p.user_id};
	snprintf(so.collection, sizeof so.collection, "%s", im->collection);
	snprintf(so.source, sizeof so.source, "%s", im->source);
	if (!object_check(o, &so, im->default_tlp, why, sizeof why)) {
		json_decref(o);
		import_invalid(im, index, why);
		return 0;
	}
	/* Stored as the bytes it came in (valid JSON, as json_loadb just
	 * proved): verbatim, and no json_dumps per object. */
	so.body = malloc(len + 1);
	if (so.body == NULL) {
		json_decref(o);
		return crix_error_set(err, CRIX_ENOMEM, "import: out of memory");
	}
	memcpy(so.body, text, len);
	so.body[len] = '\0';
	int rc = 0;
	struct take_ctx *t = &im->t;
	t->err = err;
	if (t->tx == NULL)
		rc = store_tx_begin(im->sh->store, &t->tx, err);
	bool held = false;
	char pwhy[128];
	if (rc == 0)
		rc = store_one(t, &so, o, &held, pwhy, sizeof pwhy);
	free(so.body);
	json_decref(o);
	if (rc != 0) {
		if (t->tx != NULL)
			store_tx_rollback(t->tx);
		t->tx = NULL;
		store_shared_indicator_array_free(t->added, t->n_added);
		t->added = NULL;
		t->n_added = t->cap_added = 0;
		json_decref(t->revoked);
		t->revoked = NULL;
		return rc;
	}
	if (held)
		im->held++;
	else
		im->stored++;
	if (pwhy[0] != '\0')
		import_skipped(im, pwhy);
	im->in_tx++;
	im->tx_bytes += len;
	if (im->in_tx >= IMPORT_BATCH_OBJECTS || im->tx_bytes >= IMPORT_BATCH_BYTES)
		return import_flush(im, err);
	return 0;
}

int sharing_import_end(struct sharing_import *im, json_t **result, struct crix_error *err)
{
	int rc = import_flush(im, err);
	if (rc == 0 && result != NULL)
		*result = json_pack(
		        "{ss sI sI sI sI sI sO sI sO}", "collection", im->collection, "objects",
		        (json_int_t)im->objects, "stored", (json_int_t)im->stored, "already_held",
		        (json_int_t)im->held, "indicators", (json_int_t)im->indicators,
		        "warninglisted", (json_int_t)im->t.n_warn, "skipped_patterns", im->skipped,
		        "invalid_count", (json_int_t)im->n_invalid, "invalid", im->invalid);
	return rc;
}

void sharing_import_free(struct sharing_import *im)
{
	if (im == NULL)
		return;
	if (im->t.tx != NULL)
		store_tx_rollback(im->t.tx);
	store_shared_indicator_array_free(im->t.added, im->t.n_added);
	json_decref(im->t.revoked);
	json_decref(im->skipped);
	json_decref(im->invalid);
	free(im);
}

int sharing_collection_brief(struct sharing *sh, const struct principal *p, const char *id,
                             struct sharing_brief *out, struct crix_error *err)
{
	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	bool readable;
	struct coll *k = coll_reach(sh, p, id, &groups, &readable);
	int rc = 0;
	if (k == NULL || !readable)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found", id);
	else {
		memset(out, 0, sizeof *out);
		snprintf(out->id, sizeof out->id, "%s", k->c.id);
		snprintf(out->title, sizeof out->title, "%s", k->c.title);
		out->tlp = (enum tlp)k->c.tlp;
		out->owner_org = k->c.owner_org;
		snprintf(out->created, sizeof out->created, "%s", k->c.created);
	}
	pthread_rwlock_unlock(&sh->lock);
	return rc;
}

/* ---- reading objects ---- */

bool sharing_in_list(const char *list, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, s, n) == 0)
			return true;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

struct buf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t nc = (b->cap ? b->cap * 2 : 4096) + n;
		char *p = realloc(b->p, nc);
		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_json_string(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	char stack[512], *esc = JSONW_ESCAPED_MAX(n) + 2 <= sizeof stack
	                                ? stack
	                                : malloc(JSONW_ESCAPED_MAX(n) + 2);
	if (esc == NULL) {
		b->oom = true;
		return;
	}
	esc[0] = '"';
	size_t k = 1 + jsonw_escape(esc + 1, s, n);
	esc[k++] = '"';
	put(b, esc, k);
	if (esc != stack)
		free(esc);
}

int sharing_versions_parse(const char *v, struct sharing_versions *out, struct crix_error *err)
{
	*out = (struct sharing_versions){.mode = 1};
	if (v == NULL)
		return 0;
	bool all = false;
	size_t items = 0;
	for (const char *p = v;; items++) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char item[48];
		bool ok = n > 0 && n < sizeof item;
		if (ok) {
			memcpy(item, p, n);
			item[n] = '\0';
			bool *kw = strcmp(item, "first") == 0  ? &out->first
			           : strcmp(item, "last") == 0 ? &out->last
			           : strcmp(item, "all") == 0  ? &all
			                                       : NULL;
			if (kw != NULL) {
				ok = !*kw;
				*kw = true;
			} else {
				/* a timestamp, given once */
				ok = time_ok(item) && strstr(e ? e + 1 : "", item) == NULL;
			}
		}
		if (!ok) {
			*out = (struct sharing_versions){.mode = 1};
			return crix_error_field(err, "match[version]", CRIX_EINVAL,
			                        "match[version]: last, first, all or timestamps, "
			                        "separated by commas, each once");
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	if (all && items > 0) {
		*out = (struct sharing_versions){.mode = 1};
		return crix_error_field(err, "match[version]", CRIX_EINVAL,
		                        "match[version]: all goes alone");
	}
	out->mode = all ? 0 : items == 0 && out->last ? 1 : items == 0 && out->first ? -1 : 2;
	return 0;
}

bool sharing_versions_listed(const char *v, int64_t us)
{
	for (const char *p = v; p != NULL && *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char item[48];
		if (n < sizeof item) {
			memcpy(item, p, n);
			item[n] = '\0';
			if (clock_parse_iso_us(item) == us && us >= 0)
				return true;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

int sharing_taxii_time(const char *s, const char *field, char out[CLOCK_ISO_LEN],
                       struct crix_error *err)
{
	out[0] = '\0';
	if (!time_ok(s))
		return crix_error_field(err, field, CRIX_EINVAL, "%s: an RFC 3339 UTC time", field);
	char us[CLOCK_ISO_LEN + 8];
	clock_format_iso_us(parse_us(s), us);
	size_t n = strlen(us); /* 27: the fields keep their widths */
	if (n >= CLOCK_ISO_LEN)
		return crix_error_field(err, field, CRIX_EINVAL, "%s: out of range", field);
	memcpy(out, us, n + 1);
	return 0;
}

/* Is o the newest (newest true) or the oldest version of its object? */
static int version_is(struct sharing *sh, const struct store_object *o, bool newest, bool *is,
                      struct crix_error *err)
{
	struct store_object_filter f = {.collection = o->collection,
	                                .stix_id = o->stix_id,
	                                .latest_only = newest ? 1 : -1,
	                                .limit = 1};
	struct store_object *a;
	size_t n;
	int rc = store_object_page(sh->store, &f, &a, &n, err);
	if (rc != 0)
		return rc;
	*is = n > 0 && a[0].version_us == o->version_us;
	store_object_array_free(a, n);
	return 0;
}

int sharing_objects(struct sharing *sh, const struct principal *p, const struct sharing_query *q,
                    enum sharing_view view, char **json, size_t *len, struct sharing_page *page,
                    struct crix_error *err)
{
	memset(page, 0, sizeof *page);
	*json = NULL;
	struct sharing_versions vs;
	int vrc = sharing_versions_parse(view == SHARING_VERSIONS ? "all" : q->version, &vs, err);
	if (vrc != 0)
		return vrc;
	int mode = vs.mode;
	bool want_first = vs.first, want_last = vs.last;
	/* date_added is compared as text in the store: given at any precision,
	 * added_after is brought to the same microsecond form first. */
	char after_us[CLOCK_ISO_LEN];
	if (q->added_after != NULL &&
	    (vrc = sharing_taxii_time(q->added_after, "added_after", after_us, err)) != 0)
		return vrc;
	int64_t after = 0;
	if (q->next != NULL) {
		char *end;
		long long v = strtoll(q->next, &end, 10);
		if (end == q->next || *end != '\0' || v < 0)
			return crix_error_field(err, "next", CRIX_EINVAL,
			                        "next: not a value this server returned");
		after = v;
	}
	size_t limit = q->limit ? q->limit : SHARING_PAGE_DEFAULT;
	if (limit > SHARING_PAGE_MAX)
		limit = SHARING_PAGE_MAX;

	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	bool readable;
	struct coll *kp = coll_reach(sh, p, q->collection, &groups, &readable);
	struct coll k;
	if (kp != NULL && readable)
		k = *kp;
	pthread_rwlock_unlock(&sh->lock);
	if (kp == NULL)
		return crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found",
		                      q->collection);
	if (!readable) /* an inbox */
		return crix_error_set(err, CRIX_EACCES,
		                      "collection %s takes your objects but does not show them",
		                      q->collection);

	/* One id or type goes to the store; a list is filtered here. */
	bool one_id = q->ids != NULL && strchr(q->ids, ',') == NULL;
	bool one_type = q->types != NULL && strchr(q->types, ',') == NULL;
	struct store_object_filter f = {
	        .collection = q->collection,
	        .after_row = after,
	        .added_after = q->added_after != NULL ? after_us : NULL,
	        .stix_id = one_id ? q->ids : NULL,
	        .type = one_type ? q->types : NULL,
	        .latest_only = mode == 1    ? 1
	                       : mode == -1 ? -1
	                                    : 0,
	        .limit = limit + 1,
	};
	struct buf b = {0};
	puts_(&b, view == SHARING_VERSIONS ? "{\"versions\":[" : "{\"objects\":[");
	int rc = 0;
	size_t scanned = 0;
	bool exhausted = false;
	/* Filtering in C may drop rows: read on, up to a bound, to fill the page. */
	while (rc == 0 && !exhausted && !page->more && page->count < limit &&
	       scanned < 20 * limit + 1000) {
		struct store_object *a;
		size_t n;
		rc = store_object_page(sh->store, &f, &a, &n, err);
		if (rc != 0)
			break;
		size_t i;
		for (i = 0; i < n && page->count < limit; i++) {
			const struct store_object *o = &a[i];
			scanned++;
			f.after_row = o->row;
			if ((q->ids && !one_id && !sharing_in_list(q->ids, o->stix_id)) ||
			    (q->types && !one_type && !sharing_in_list(q->types, o->type)) ||
			    (q->spec_versions &&
			     !sharing_in_list(q->spec_versions, o->spec_version)))
				continue;
			bool pick = mode != 2 || sharing_versions_listed(q->version, o->version_us);
			if (!pick && want_last)
				rc = version_is(sh, o, true, &pick, err);
			if (rc == 0 && !pick && want_first)
				rc = version_is(sh, o, false, &pick, err);
			if (rc != 0)
				break;
			if (!pick)
				continue;
			if (!row_visible(p, &groups, &k, o))
				continue;
			if (page->count)
				puts_(&b, ",");
			if (view == SHARING_OBJECTS) {
				puts_(&b, o->body);
			} else if (view == SHARING_MANIFEST) {
				puts_(&b, "{\"id\":");
				put_json_string(&b, o->stix_id);
				puts_(&b, ",\"date_added\":");
				put_json_string(&b, o->added);
				puts_(&b, ",\"version\":");
				put_json_string(&b, o->version);
				puts_(&b, ",\"media_type\":\"application/stix+json;version=2.1\"}");
			} else {
				put_json_string(&b, o->version);
			}
			if (page->count == 0)
				snprintf(page->first_added, sizeof page->first_added, "%s",
				         o->added);
			snprintf(page->last_added, sizeof page->last_added, "%s", o->added);
			page->count++;
		}
		page->more = i < n; /* rows of this batch left unread */
		exhausted = i == n && n < f.limit;
		store_object_array_free(a, n);
	}
	/* Stopped on a full page or the scan bound with rows maybe left: say so. */
	if (rc == 0 && !exhausted)
		page->more = true;
	if (rc == 0) {
		puts_(&b, "],\"more\":");
		puts_(&b, page->more ? "true" : "false");
		if (page->more) {
			snprintf(page->next, sizeof page->next, "%" PRId64, f.after_row);
			puts_(&b, ",\"next\":\"");
			puts_(&b, page->next);
			puts_(&b, "\"");
		}
		puts_(&b, "}");
	}
	if (rc == 0 && b.oom)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	if (rc != 0) {
		free(b.p);
		return rc;
	}
	/* TAXII lists are never empty (section 2): an empty envelope (or
	 * versions) has no objects member at all. */
	if (page->count == 0) {
		free(b.p);
		b = (struct buf){0};
		puts_(&b, page->more ? "{\"more\":true,\"next\":\"" : "{\"more\":false}");
		if (page->more) {
			puts_(&b, page->next);
			puts_(&b, "\"}");
		}
		if (b.oom)
			return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	*json = b.p;
	*len = b.n;
	return 0;
}

int sharing_status(struct sharing *sh, const struct principal *p, const char *id, json_t **out,
                   struct crix_error *err)
{
	struct store_status st = {0};
	int rc = store_status_get(sh->store, id, &st, err);
	if (rc == 0 && (!p->authenticated || st.user_id != p->user_id))
		rc = crix_error_set(err, CRIX_ENOTFOUND, "status %s not found", id);
	if (rc == 0) {
		*out = json_loads(st.body, 0, NULL);
		if (*out == NULL)
			rc = crix_error_set(err, CRIX_EIO, "status %s: stored document unreadable",
			                    id);
	}
	free(st.body);
	return rc;
}

/* ---- lookups ---- */

struct lk {
	struct sharing *sh;
	const struct principal *p;
	const struct ids *groups;
	struct buf *b;
	size_t matches;
};

static int on_hit(void *arg, const struct match_hit *hit)
{
	struct lk *l = arg;
	char key[IOC_VALUE_MAX + 32];
	map_key(key, sizeof key, hit->type, hit->indicator);
	struct vslot *slot = map_get(l->sh, key, false);
	for (uint32_t i = 0; slot != NULL && i < slot->n; i++) {
		const struct smeta *m = &l->sh->metas[slot->idx[i]];
		const struct coll *k = &l->sh->colls[m->coll];
		if (m->revoked || !visible(l->p, l->groups, k, m->tlp, m->owner_org, m->owner_user))
			continue;
		puts_(l->b, l->matches++ ? ",{\"indicator\":" : "{\"indicator\":");
		put_json_string(l->b, hit->indicator);
		puts_(l->b, ",\"type\":\"");
		puts_(l->b, ioc_type_name(hit->type));
		puts_(l->b, "\",\"stix_id\":");
		put_json_string(l->b, m->stix_id);
		puts_(l->b, ",\"collection\":\"");
		puts_(l->b, k->c.id);
		puts_(l->b, "\",\"tlp\":\"");
		puts_(l->b, tlp_name((enum tlp)m->tlp));
		puts_(l->b, "\",\"added\":\"");
		puts_(l->b, m->added);
		puts_(l->b, "\"");
		const struct sagg *a = account_may_see_sightings(l->p, m->owner_org)
		                               ? sagg_get(l->sh, k->c.id, m->stix_id, false)
		                               : NULL;
		if (a != NULL)
			put_sagg(l->b, a);
		puts_(l->b, "}");
	}
	return 0;
}

/* The answer is written as text as it is found: building jansson objects
 * for thousands of matches cost more than the lookups themselves. */
int sharing_lookup(struct sharing *sh, const struct principal *p, const json_t *req, char **json,
                   size_t *len, struct crix_error *err)
{
	*json = NULL;
	json_t *values = json_object_get(req, "values");
	if (!json_is_object(req) || !json_is_array(values))
		return crix_error_field(err, "values", CRIX_EINVAL,
		                        "values: the body must be {\"values\": [\"...\", ...]}");
	if (json_array_size(values) > SHARING_LOOKUP_MAX)
		return crix_error_field(err, "values", CRIX_ETOOBIG,
		                        "values: at most %d in one request", SHARING_LOOKUP_MAX);
	/* "refang": true undoes defanging (hxxp, [.], (dot), [@]) first, as the
	 * CLI's --refang and report extraction do; off by default, so a value is
	 * matched as sent unless the caller asks. */
	json_t *rf = json_object_get(req, "refang");
	if (rf != NULL && !json_is_boolean(rf))
		return crix_error_field(err, "refang", CRIX_EINVAL,
		                        "refang: must be true or false");
	bool refang = json_is_true(rf);
	char plain[IOC_VALUE_MAX];
	struct buf b = {0}, bad = {0}, rb = {0}; /* rb: the values refanging changed */
	size_t matched = 0, n_bad = 0, n_ref = 0;
	char num[48];
	puts_(&b, "{\"results\":[");
	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	membership(sh, p->org_id, &groups);
	size_t i;
	json_t *v;
	json_array_foreach(values, i, v)
	{
		const char *s = json_string_value(v);
		size_t slen = json_string_length(v);
		struct ioc_value iv;
		struct crix_error e = {0};
		const char *why = NULL;
		if (s != NULL && refang && slen < IOC_VALUE_MAX &&
		    ioc_refang(s, slen, plain, sizeof plain, NULL, &slen, NULL) == 0) {
			plain[slen] = '\0';
			if (strcmp(plain, s) != 0) {
				snprintf(num, sizeof num,
				         "%s{\"index\":%zu,\"value\":", n_ref++ ? "," : "", i);
				puts_(&rb, num);
				put_json_string(&rb, plain);
				puts_(&rb, "}");
			}
			s = plain;
		}
		if (s == NULL)
			why = "not a string";
		else if (slen >= IOC_VALUE_MAX || ioc_guess(sh->ioc, s, slen, NULL, &iv, &e) != 0)
			why = "not an indicator of any type crix knows";
		if (why != NULL) {
			snprintf(num, sizeof num, "%s{\"index\":%zu,", n_bad++ ? "," : "", i);
			puts_(&bad, num);
			puts_(&bad, "\"reason\":\"");
			puts_(&bad, why);
			puts_(&bad, "\"}");
			continue;
		}
		size_t mark = b.n;
		snprintf(num, sizeof num, "%s{\"index\":%zu,", matched ? "," : "", i);
		puts_(&b, num);
		puts_(&b, "\"value\":");
		put_json_string(&b, json_string_value(v));
		puts_(&b, ",\"type\":\"");
		puts_(&b, ioc_type_name(iv.type));
		puts_(&b, "\",\"canonical\":");
		put_json_string(&b, iv.v);
		const char *list = NULL;
		if (sh->warn != NULL &&
		    warnlist_holds(sh->warn, iv.type, iv.v, strlen(iv.v), &list)) {
			/* known-benign: it matches nothing, and the answer says why */
			puts_(&b, ",\"warninglist\":[");
			put_json_string(&b, list != NULL ? list : "");
			puts_(&b, "],\"matches\":[]}");
			matched++;
			continue;
		}
		puts_(&b, ",\"matches\":[");
		struct lk l = {sh, p, &groups, &b, 0};
		match_lookup(sh->ix, &iv, on_hit, &l);
		if (l.matches == 0) {
			b.n = mark; /* only values with a visible match are listed */
			if (b.p != NULL)
				b.p[b.n] = '\0';
			continue;
		}
		puts_(&b, "]}");
		matched++;
	}
	pthread_rwlock_unlock(&sh->lock);
	puts_(&b, "],\"invalid\":[");
	if (bad.p != NULL)
		put(&b, bad.p, bad.n);
	if (refang) {
		puts_(&b, "],\"refanged\":[");
		if (rb.p != NULL)
			put(&b, rb.p, rb.n);
	}
	snprintf(num, sizeof num, "],\"looked_up\":%zu,", json_array_size(values));
	puts_(&b, num);
	snprintf(num, sizeof num, "\"matched\":%zu}", matched);
	puts_(&b, num);
	free(bad.p);
	free(rb.p);
	if (b.oom || bad.oom || rb.oom) {
		free(b.p);
		return crix_error_set(err, CRIX_ENOMEM, "lookup: out of memory");
	}
	*json = b.p;
	*len = b.n;
	return 0;
}

/* ---- sightings ---- */

/* What partners reported of one indicator object, summed (under the lock). */
struct sagg {
	char *key; /* "collection\tstix_id" */
	int64_t count;
	char first[CLOCK_ISO_LEN], last[CLOCK_ISO_LEN];
	int64_t *orgs; /* distinct reporting organisations */
	uint32_t n_orgs, cap_orgs;
	struct sagg *next;
};

static struct sagg *sagg_get(struct sharing *sh, const char *coll, const char *stix_id, bool create)
{
	char key[STORE_NAME_MAX + 48];
	snprintf(key, sizeof key, "%s\t%s", coll, stix_id);
	size_t b = fnv(key) & (SAGG_BUCKETS - 1);
	for (struct sagg *a = sh->saggs[b]; a != NULL; a = a->next)
		if (strcmp(a->key, key) == 0)
			return a;
	if (!create)
		return NULL;
	struct sagg *a = calloc(1, sizeof *a);
	if (a == NULL || (a->key = strdup(key)) == NULL) {
		free(a);
		return NULL;
	}
	a->next = sh->saggs[b];
	sh->saggs[b] = a;
	return a;
}

/* Counts one stored sighting into its indicator's totals (under the write
 * lock).  -1 when out of memory. */
static int sagg_add(struct sharing *sh, const struct store_sighting *sg)
{
	struct sagg *a = sagg_get(sh, sg->collection, sg->stix_id, true);
	if (a == NULL)
		return -1;
	a->count += sg->count;
	if (a->first[0] == '\0' || strcmp(sg->first_seen, a->first) < 0)
		snprintf(a->first, sizeof a->first, "%s", sg->first_seen);
	if (strcmp(sg->last_seen, a->last) > 0)
		snprintf(a->last, sizeof a->last, "%s", sg->last_seen);
	for (uint32_t i = 0; i < a->n_orgs; i++)
		if (a->orgs[i] == sg->org_id)
			return 0;
	if (a->n_orgs == a->cap_orgs) {
		uint32_t nc = a->cap_orgs ? a->cap_orgs * 2 : 4;
		int64_t *o = realloc(a->orgs, nc * sizeof *o);
		if (o == NULL)
			return -1;
		a->orgs = o;
		a->cap_orgs = nc;
	}
	a->orgs[a->n_orgs++] = sg->org_id;
	return 0;
}

static void saggs_free(struct sharing *sh)
{
	for (size_t b = 0; sh->saggs != NULL && b < SAGG_BUCKETS; b++)
		for (struct sagg *a = sh->saggs[b], *n; a != NULL; a = n) {
			n = a->next;
			free(a->key);
			free(a->orgs);
			free(a);
		}
	free(sh->saggs);
}

/* OUT: *newest, the last sighting stored (id 0 when there is none). */
static int load_sightings(struct sharing *sh, struct store_sighting *newest, struct crix_error *err)
{
	int64_t after = 0;
	for (;;) {
		struct store_sighting *a;
		size_t n;
		int rc = store_sighting_page(sh->store, NULL, after, 4096, &a, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < n && rc == 0; i++)
			if (sagg_add(sh, &a[i]) != 0)
				rc = crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
		if (n > 0) {
			after = a[n - 1].id;
			*newest = a[n - 1];
		}
		free(a);
		if (rc != 0 || n < 4096)
			return rc;
	}
}

static json_t *sagg_json(const struct sagg *a)
{
	return json_pack("{sI ss ss sI}", "count", (json_int_t)a->count, "first_seen", a->first,
	                 "last_seen", a->last, "orgs", (json_int_t)a->n_orgs);
}

/* A sighting's totals as text, for the lookup answer. */
static void put_sagg(struct buf *b, const struct sagg *a)
{
	char num[160];
	snprintf(num, sizeof num,
	         ",\"sightings\":{\"count\":%lld,\"first_seen\":\"%s\",\"last_seen\":\"%s\","
	         "\"orgs\":%u}",
	         (long long)a->count, a->first, a->last, a->n_orgs);
	puts_(b, num);
}

static bool printable_utf8(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* "observed-data--" and a UUID. */
static bool observed_id_ok(const char *s)
{
	struct uuid u;
	return strncmp(s, "observed-data--", 15) == 0 && uuid_parse(s + 15, &u) == 0;
}

static int sighting_parse_one(const json_t *o, size_t i, struct sharing_sighting_in *in,
                              struct crix_error *err)
{
	char f[48];
#define FIELD(name) (snprintf(f, sizeof f, "sightings[%zu].%s", i, name), f)
	if (!json_is_object(o)) {
		snprintf(f, sizeof f, "sightings[%zu]", i);
		return crix_error_field(err, f, CRIX_EINVAL, "%s: must be an object", f);
	}
	static const char *const keys[] = {"value",     "indicator", "count",        "first_seen",
	                                   "last_seen", "where",     "observed_data"};
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v)
	{
		size_t j = 0;
		while (j < sizeof keys / sizeof keys[0] && strcmp(keys[j], k) != 0)
			j++;
		if (j == sizeof keys / sizeof keys[0]) {
			snprintf(f, sizeof f, "sightings[%zu]", i);
			return crix_error_field(err, f, CRIX_EINVAL,
			                        "%s: unknown member (value, indicator, count, "
			                        "first_seen, last_seen, where, observed_data)",
			                        f);
		}
	}
	memset(in, 0, sizeof *in);
	json_t *val = json_object_get(o, "value"), *ind = json_object_get(o, "indicator");
	if ((val == NULL) == (ind == NULL))
		return crix_error_field(err, FIELD("value"), CRIX_EINVAL,
		                        "%s: give either value or indicator (one of them)", f);
	if (val != NULL) {
		if (!json_is_string(val) || json_string_length(val) == 0 ||
		    json_string_length(val) >= IOC_VALUE_MAX ||
		    strlen(json_string_value(val)) != json_string_length(val))
			return crix_error_field(err, FIELD("value"), CRIX_EINVAL,
			                        "%s: a non-empty string of at most %d bytes", f,
			                        IOC_VALUE_MAX - 1);
		in->value = json_string_value(val);
	} else {
		struct uuid u;
		const char *s = json_string_value(ind);
		if (s == NULL || strncmp(s, "indicator--", 11) != 0 || uuid_parse(s + 11, &u) != 0)
			return crix_error_field(err, FIELD("indicator"), CRIX_EINVAL,
			                        "%s: an indicator's STIX id (indicator--UUID)", f);
		in->indicator = s;
	}
	json_t *c = json_object_get(o, "count");
	in->count = 1;
	if (c != NULL) {
		if (!json_is_integer(c) || json_integer_value(c) < 1 ||
		    json_integer_value(c) > SHARING_SIGHTING_COUNT_MAX)
			return crix_error_field(err, FIELD("count"), CRIX_EINVAL,
			                        "%s: an integer from 1 to %d", f,
			                        SHARING_SIGHTING_COUNT_MAX);
		in->count = json_integer_value(c);
	}
	json_t *fs = json_object_get(o, "first_seen"), *ls = json_object_get(o, "last_seen");
	struct crix_error e = {0};
	if (!json_is_string(fs) || clock_parse_iso(json_string_value(fs), FIELD("first_seen"),
	                                           in->first_seen, NULL, &e) != 0)
		return crix_error_field(err, FIELD("first_seen"), CRIX_EINVAL,
		                        "%s: required, a time like 2026-11-23T10:15:00Z", f);
	if (ls == NULL) {
		memcpy(in->last_seen, in->first_seen, sizeof in->last_seen);
	} else if (!json_is_string(ls) || clock_parse_iso(json_string_value(ls), FIELD("last_seen"),
	                                                  in->last_seen, NULL, &e) != 0) {
		return crix_error_field(err, FIELD("last_seen"), CRIX_EINVAL,
		                        "%s: a time like 2026-11-23T10:15:00Z", f);
	}
	if (strcmp(in->last_seen, in->first_seen) < 0)
		return crix_error_field(err, FIELD("last_seen"), CRIX_EINVAL,
		                        "%s: before first_seen", f);
	json_t *w = json_object_get(o, "where");
	if (w != NULL) {
		const char *s = json_string_value(w);
		if (s == NULL || json_string_length(w) >= STORE_WHERE_MAX ||
		    strlen(s) != json_string_length(w) || !printable_utf8(s))
			return crix_error_field(err, FIELD("where"), CRIX_EINVAL,
			                        "%s: text of at most %d bytes without control "
			                        "characters",
			                        f, STORE_WHERE_MAX - 1);
		memcpy(in->place, s, json_string_length(w) + 1);
	}
	json_t *od = json_object_get(o, "observed_data");
	if (od != NULL) {
		if (!json_is_array(od) || json_array_size(od) > SHARING_OBSERVED_MAX)
			return crix_error_field(err, FIELD("observed_data"), CRIX_EINVAL,
			                        "%s: a list of at most %d observed-data ids", f,
			                        SHARING_OBSERVED_MAX);
		size_t j;
		json_t *x;
		size_t len = 0;
		json_array_foreach(od, j, x)
		{
			const char *s = json_string_value(x);
			if (s == NULL || json_string_length(x) > 64 || !observed_id_ok(s))
				return crix_error_field(err, FIELD("observed_data"), CRIX_EINVAL,
				                        "%s[%zu]: an observed-data STIX id "
				                        "(observed-data--UUID)",
				                        f, j);
			len += (size_t)snprintf(in->observed + len, sizeof in->observed - len,
			                        "%s%s", j ? "," : "", s);
		}
	}
#undef FIELD
	return 0;
}

int sharing_sightings_parse(const json_t *req, struct sharing_sighting_in **out, size_t *n,
                            struct crix_error *err)
{
	*out = NULL;
	*n = 0;
	const json_t *list = json_is_array(req) ? req : json_object_get(req, "sightings");
	if (!json_is_array(list) || (!json_is_array(req) && json_object_size(req) != 1))
		return crix_error_field(err, "sightings", CRIX_EINVAL,
		                        "sightings: the body must be [{...}, ...] or "
		                        "{\"sightings\": [{...}, ...]}");
	size_t m = json_array_size(list);
	if (m == 0)
		return crix_error_field(err, "sightings", CRIX_EINVAL,
		                        "sightings: at least one sighting");
	if (m > SHARING_SIGHTINGS_MAX)
		return crix_error_field(err, "sightings", CRIX_ETOOBIG,
		                        "sightings: at most %d in one request",
		                        SHARING_SIGHTINGS_MAX);
	struct sharing_sighting_in *a = calloc(m, sizeof *a);
	if (a == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
	for (size_t i = 0; i < m; i++) {
		int rc = sighting_parse_one(json_array_get(list, i), i, &a[i], err);
		if (rc != 0) {
			free(a);
			return rc;
		}
	}
	*out = a;
	*n = m;
	return 0;
}

/* The indicator objects one sighting names, as the caller may see them. */
struct starget {
	struct sharing *sh;
	const struct principal *p;
	const struct ids *groups;
	uint32_t *metas; /* distinct (collection, stix_id) */
	size_t n, cap;
	bool oom;
};

static void target_add(struct starget *t, uint32_t mi)
{
	const struct smeta *m = &t->sh->metas[mi];
	const struct coll *k = &t->sh->colls[m->coll];
	if (m->revoked || !visible(t->p, t->groups, k, m->tlp, m->owner_org, m->owner_user))
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct smeta *o = &t->sh->metas[t->metas[i]];
		if (o->coll == m->coll && strcmp(o->stix_id, m->stix_id) == 0)
			return;
	}
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 8;
		uint32_t *x = realloc(t->metas, nc * sizeof *x);
		if (x == NULL) {
			t->oom = true;
			return;
		}
		t->metas = x;
		t->cap = nc;
	}
	t->metas[t->n++] = mi;
}

static int on_sight_hit(void *arg, const struct match_hit *hit)
{
	struct starget *t = arg;
	char key[IOC_VALUE_MAX + 32];
	map_key(key, sizeof key, hit->type, hit->indicator);
	struct vslot *slot = map_get(t->sh, key, false);
	for (uint32_t i = 0; slot != NULL && i < slot->n; i++)
		target_add(t, slot->idx[i]);
	return 0;
}

/* The indicator objects s names (a value, through the lookup index, or a
 * STIX id) that p may see (under the read lock). */
static void resolve(struct sharing *sh, const struct sharing_sighting_in *s, struct starget *t)
{
	t->n = 0;
	if (s->indicator != NULL) {
		char key[STORE_NAME_MAX + 8];
		snprintf(key, sizeof key, "stix\t%s", s->indicator);
		struct vslot *slot = map_get(sh, key, false);
		for (uint32_t i = 0; slot != NULL && i < slot->n; i++)
			target_add(t, slot->idx[i]);
		return;
	}
	struct ioc_value iv;
	struct crix_error e = {0};
	if (ioc_guess(sh->ioc, s->value, strlen(s->value), NULL, &iv, &e) == 0)
		match_lookup(sh->ix, &iv, on_sight_hit, t);
}

/* What a sighting's object takes from the indicator object it names. */
struct sobj {
	int tlp;
	int64_t owner_user;
};

/*
 * Stores (in tx) the STIX sighting object TAXII serves for the stored
 * sighting sg from the organisation org (its name and kind), in the
 * indicator's collection: created by that organisation, sighted where it
 * is (where_sighted_refs), marked with the indicator's TLP but never below
 * AMBER+STRICT (who saw what is not to be passed on, so crix sync never
 * federates it).  The row carries the indicator's TLP and owner, which
 * sightings_visible decides on.  Its date_added is when it was stored.
 */
static int sighting_object_store(struct sharing *sh, struct store_tx *tx,
                                 const struct store_sighting *sg, const struct sobj *ind,
                                 const struct store_org *org, struct crix_error *err)
{
	struct stix_producer prod;
	enum tlp mark = ind->tlp > TLP_AMBER_STRICT ? (enum tlp)ind->tlp : TLP_AMBER_STRICT;
	int rc = stix_producer_init(&prod, mark, org->name, sg->created, err);
	if (rc != 0)
		return rc;
	json_t *o = stix_sighting(&prod, sg->sid, sg->stix_id, prod.identity_id, sg->count,
	                          sg->first_seen, sg->last_seen, sg->place, sg->observed, err);
	if (o == NULL)
		return err->code ? err->code : crix_error_set(err, CRIX_ENOMEM, "out of memory");
	struct store_object so = {
	        .tlp = ind->tlp,
	        .owner_org = sg->owner_org,
	        .owner_user = ind->owner_user,
	};
	snprintf(so.collection, sizeof so.collection, "%s", sg->collection);
	snprintf(so.stix_id, sizeof so.stix_id, "%s", sg->sid);
	snprintf(so.type, sizeof so.type, "sighting");
	snprintf(so.spec_version, sizeof so.spec_version, "2.1");
	snprintf(so.version, sizeof so.version, "%s",
	         json_string_value(json_object_get(o, "modified")));
	snprintf(so.source, sizeof so.source, "%s", SIGHTING_SOURCE);
	next_added(sh, so.added);
	so.body = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (so.body == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	rc = store_object_insert(tx, &so, err);
	free(so.body);
	return rc;
}

/* Has the sighting sg its object in stix_objects? */
static int sighting_has_object(struct sharing *sh, const struct store_sighting *sg, bool *has,
                               struct crix_error *err)
{
	struct store_object_filter f = {
	        .collection = sg->collection, .stix_id = sg->sid, .limit = 1};
	struct store_object *a = NULL;
	size_t n = 0;
	int rc = store_object_page(sh->store, &f, &a, &n, err);
	if (rc == 0)
		store_object_array_free(a, n);
	*has = rc == 0 && n > 0;
	return rc;
}

/*
 * Sightings stored before crix served them over TAXII have no object: they
 * get one at start, dated then (so that TAXII clients polling by
 * added_after find them).  Since then a sighting and its object are stored
 * in one transaction, so when the newest sighting has its object every one
 * has, and a normal start costs one query.
 */
static int backfill_sighting_objects(struct sharing *sh, const struct store_sighting *newest,
                                     struct crix_error *err)
{
	bool has = true;
	int rc = newest->id > 0 ? sighting_has_object(sh, newest, &has, err) : 0;
	if (rc != 0 || has)
		return rc;
	int64_t after = 0;
	struct store_org org = {0};
	for (;;) {
		struct store_sighting *a;
		size_t n;
		rc = store_sighting_page(sh->store, NULL, after, 1024, &a, &n, err);
		if (rc != 0)
			return rc;
		struct store_tx *tx = NULL;
		rc = n > 0 ? store_tx_begin(sh->store, &tx, err) : 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			rc = sighting_has_object(sh, &a[i], &has, err);
			if (rc != 0 || has)
				continue;
			/* the indicator object, as the lookup index holds it */
			char key[STORE_NAME_MAX + 8];
			snprintf(key, sizeof key, "stix\t%s", a[i].stix_id);
			struct vslot *slot = map_get(sh, key, false);
			const struct smeta *m = NULL;
			for (uint32_t j = 0; slot != NULL && j < slot->n && m == NULL; j++)
				if (strcmp(sh->colls[sh->metas[slot->idx[j]].coll].c.id,
				           a[i].collection) == 0)
					m = &sh->metas[slot->idx[j]];
			if (m == NULL)
				continue; /* no longer an indicator crix holds */
			if (org.id != a[i].org_id)
				rc = store_org_get(sh->store, a[i].org_id, &org, err);
			if (rc == CRIX_ENOTFOUND) { /* its reporter is gone: nobody to name */
				crix_error_clear(err);
				org.id = 0;
				rc = 0;
				continue;
			}
			struct sobj ind = {m->tlp, m->owner_user};
			if (rc == 0)
				rc = sighting_object_store(sh, tx, &a[i], &ind, &org, err);
		}
		if (n > 0)
			after = a[n - 1].id;
		free(a);
		if (tx != NULL && rc == 0)
			rc = store_tx_commit(tx, err);
		else if (tx != NULL)
			store_tx_rollback(tx);
		if (rc != 0 || n < 1024)
			return rc;
	}
}

int sharing_sightings_add(struct sharing *sh, const struct principal *p, const json_t *req,
                          json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (!account_may_report_sightings(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "sightings are reported by members of an organisation "
		                      "(analysts, investigators, admins), not viewers");
	struct sharing_sighting_in *in;
	size_t n;
	int rc = sharing_sightings_parse(req, &in, &n, err);
	if (rc != 0)
		return rc;
	struct store_org reporter;
	rc = store_org_get(sh->store, p->org_id, &reporter, err);
	if (rc != 0) {
		free(in);
		return rc;
	}
	struct store_sighting *rows = NULL;
	struct sobj *inds = NULL;
	size_t n_rows = 0, cap_rows = 0;
	json_t *matched = json_array(), *unmatched = json_array();
	struct starget t = {.sh = sh, .p = p};
	struct ids groups;
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	pthread_rwlock_rdlock(&sh->lock);
	membership(sh, p->org_id, &groups);
	t.groups = &groups;
	for (size_t i = 0; i < n && rc == 0; i++) {
		resolve(sh, &in[i], &t);
		if (t.oom || matched == NULL || unmatched == NULL) {
			rc = crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
			break;
		}
		if (t.n == 0) {
			json_array_append_new(unmatched, json_integer((json_int_t)i));
			continue;
		}
		if (n_rows + t.n > SHARING_SIGHTING_ROWS_MAX) {
			rc = crix_error_field(
			        err, "sightings", CRIX_ETOOBIG,
			        "sightings: these values match more than %d indicator "
			        "objects; send fewer in one request",
			        SHARING_SIGHTING_ROWS_MAX);
			break;
		}
		if (n_rows + t.n > cap_rows) {
			size_t nc = cap_rows ? cap_rows * 2 : 64;
			while (nc < n_rows + t.n)
				nc *= 2;
			struct store_sighting *x = realloc(rows, nc * sizeof *x);
			if (x != NULL)
				rows = x;
			struct sobj *y = x != NULL ? realloc(inds, nc * sizeof *y) : NULL;
			if (y == NULL) {
				rc = crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
				break;
			}
			inds = y;
			cap_rows = nc;
		}
		json_t *ids = json_array();
		for (size_t j = 0; j < t.n; j++) {
			const struct smeta *m = &sh->metas[t.metas[j]];
			inds[n_rows] = (struct sobj){m->tlp, m->owner_user};
			struct store_sighting *sg = &rows[n_rows++];
			memset(sg, 0, sizeof *sg);
			struct uuid u;
			uuid_v4(&u);
			char us[UUID_STR_LEN];
			uuid_format(&u, us);
			snprintf(sg->sid, sizeof sg->sid, "sighting--%s", us);
			snprintf(sg->collection, sizeof sg->collection, "%s",
			         sh->colls[m->coll].c.id);
			snprintf(sg->stix_id, sizeof sg->stix_id, "%s", m->stix_id);
			sg->owner_org = m->owner_org;
			sg->org_id = p->org_id;
			sg->user_id = p->user_id;
			sg->count = in[i].count;
			memcpy(sg->first_seen, in[i].first_seen, sizeof sg->first_seen);
			memcpy(sg->last_seen, in[i].last_seen, sizeof sg->last_seen);
			memcpy(sg->place, in[i].place, sizeof sg->place);
			memcpy(sg->observed, in[i].observed, sizeof sg->observed);
			memcpy(sg->created, now, sizeof sg->created);
			json_array_append_new(ids, json_string(m->stix_id));
		}
		json_array_append_new(
		        matched, json_pack("{sI so}", "index", (json_int_t)i, "indicators", ids));
	}
	pthread_rwlock_unlock(&sh->lock);
	free(t.metas);
	free(in);
	if (rc == 0 && n_rows > 0) {
		struct store_tx *tx;
		rc = store_tx_begin(sh->store, &tx, err);
		for (size_t i = 0; rc == 0 && i < n_rows; i++) {
			rc = store_sighting_insert(tx, &rows[i], err);
			if (rc == 0)
				rc = sighting_object_store(sh, tx, &rows[i], &inds[i], &reporter,
				                           err);
		}
		if (rc == 0) {
			char detail[96], org[24];
			snprintf(detail, sizeof detail, "%zu sightings of %zu values", n_rows, n);
			snprintf(org, sizeof org, "%lld", (long long)p->org_id);
			rc = audit_append(tx, p->actor, "sightings.add", "org", org, detail, err);
		}
		if (rc == 0)
			rc = store_tx_commit(tx, err);
		else if (tx != NULL)
			store_tx_rollback(tx);
	}
	if (rc == 0 && n_rows > 0) {
		/* Stored: the totals follow (memory, so they cannot fail short of
		 * running out; then they are short until the next start). */
		pthread_rwlock_wrlock(&sh->lock);
		for (size_t i = 0; i < n_rows; i++)
			if (sagg_add(sh, &rows[i]) != 0)
				break;
		changed(sh);
		pthread_rwlock_unlock(&sh->lock);
	}
	free(rows);
	free(inds);
	if (rc != 0) {
		json_decref(matched);
		json_decref(unmatched);
		return rc;
	}
	*out = json_pack("{sI sI so so}", "received", (json_int_t)n, "stored", (json_int_t)n_rows,
	                 "matched", matched, "unmatched", unmatched);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
}

static json_t *sighting_json(const struct store_sighting *sg)
{
	json_t *od = json_array();
	char buf[STORE_IDLIST_MAX];
	snprintf(buf, sizeof buf, "%s", sg->observed);
	for (char *s = buf, *e; s != NULL && *s; s = e ? e + 1 : NULL) {
		e = strchr(s, ',');
		if (e != NULL)
			*e = '\0';
		json_array_append_new(od, json_string(s));
	}
	return json_pack("{sI ss ss sI sI ss ss ss so ss}", "id", (json_int_t)sg->id, "stix_id",
	                 sg->sid, "indicator", sg->stix_id, "org_id", (json_int_t)sg->org_id,
	                 "count", (json_int_t)sg->count, "first_seen", sg->first_seen, "last_seen",
	                 sg->last_seen, "where", sg->place, "observed_data", od, "created",
	                 sg->created);
}

int sharing_sightings_json(struct sharing *sh, const struct principal *p, const char *stix_id,
                           int64_t after, size_t limit, json_t **out, struct crix_error *err)
{
	*out = NULL;
	char key[STORE_NAME_MAX + 8], colls[8][40];
	size_t n_colls = 0;
	json_t *totals = json_array();
	snprintf(key, sizeof key, "stix\t%s", stix_id);
	pthread_rwlock_rdlock(&sh->lock);
	struct ids groups;
	membership(sh, p->org_id, &groups);
	struct vslot *slot = strlen(stix_id) < STORE_NAME_MAX ? map_get(sh, key, false) : NULL;
	for (uint32_t i = 0; slot != NULL && i < slot->n && n_colls < 8; i++) {
		const struct smeta *m = &sh->metas[slot->idx[i]];
		const struct coll *k = &sh->colls[m->coll];
		if (!sightings_visible(p, &groups, k, m->tlp, m->owner_org, m->owner_user))
			continue;
		size_t j = 0;
		while (j < n_colls && strcmp(colls[j], k->c.id) != 0)
			j++;
		if (j < n_colls)
			continue;
		snprintf(colls[n_colls++], sizeof colls[0], "%s", k->c.id);
		const struct sagg *a = sagg_get(sh, k->c.id, stix_id, false);
		json_t *t = a != NULL ? sagg_json(a)
		                      : json_pack("{sI sn sn sI}", "count", (json_int_t)0,
		                                  "first_seen", "last_seen", "orgs", (json_int_t)0);
		json_object_set_new(t, "collection", json_string(k->c.id));
		json_array_append_new(totals, t);
	}
	pthread_rwlock_unlock(&sh->lock);
	if (n_colls == 0) {
		json_decref(totals);
		return crix_error_set(err, CRIX_ENOTFOUND,
		                      "no indicator %s whose sightings you may see", stix_id);
	}
	struct store_sighting *a = NULL;
	size_t n = 0;
	json_t *list = json_array();
	int64_t last = after;
	bool more = false;
	/* Pages of the indicator's sightings, kept when in a collection the
	 * caller reaches (an id may be in several collections). */
	while (json_array_size(list) < limit) {
		int rc = store_sighting_page(sh->store, stix_id, last, limit, &a, &n, err);
		if (rc != 0) {
			json_decref(totals);
			json_decref(list);
			return rc;
		}
		for (size_t i = 0; i < n && json_array_size(list) < limit; i++) {
			last = a[i].id;
			for (size_t j = 0; j < n_colls; j++)
				if (strcmp(colls[j], a[i].collection) == 0) {
					json_array_append_new(list, sighting_json(&a[i]));
					break;
				}
		}
		more = n == limit;
		free(a);
		if (!more)
			break;
	}
	*out = json_pack("{ss so so}", "indicator", stix_id, "totals", totals, "sightings", list);
	if (*out != NULL && more)
		json_object_set_new(*out, "next", json_integer((json_int_t)last));
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
}

int sharing_sightings_stix(struct sharing *sh, const struct principal *p, const char *stix_id,
                           int64_t after, size_t limit, json_t **out, int64_t *next,
                           struct crix_error *err)
{
	*out = NULL;
	*next = 0;
	json_t *page = NULL;
	int rc = sharing_sightings_json(sh, p, stix_id, after, limit, &page, err);
	if (rc != 0)
		return rc;
	struct stix_producer prod;
	char bid[STIX_ID_MAX];
	stix_bundle_id(bid);
	json_t *objs = json_array(), *orgs = json_object();
	rc = stix_producer_init(&prod, TLP_AMBER_STRICT, NULL, NULL, err);
	if (rc == 0 && (objs == NULL || orgs == NULL ||
	                json_array_append_new(objs, stix_tlp_marking(TLP_AMBER_STRICT)) != 0))
		rc = crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
	size_t i;
	json_t *sg;
	json_array_foreach(json_object_get(page, "sightings"), i, sg)
	{
		if (rc != 0)
			break;
		/* the reporter's identity, once */
		char key[24], oid[STIX_ID_MAX] = "";
		snprintf(key, sizeof key, "%lld",
		         (long long)json_integer_value(json_object_get(sg, "org_id")));
		json_t *known = json_object_get(orgs, key);
		struct store_org o;
		if (known != NULL) {
			snprintf(oid, sizeof oid, "%s", json_string_value(known));
		} else if (store_org_get(sh->store,
		                         json_integer_value(json_object_get(sg, "org_id")), &o,
		                         err) == 0) {
			json_t *ident = stix_org_identity(&prod, o.name, o.kind, oid, err);
			if (ident == NULL || json_array_append_new(objs, ident) != 0) {
				rc = crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
				break;
			}
			json_object_set_new(orgs, key, json_string(oid));
		}
		crix_error_clear(err);
		char observed[STORE_IDLIST_MAX] = "";
		size_t j, len = 0;
		json_t *od;
		json_array_foreach(json_object_get(sg, "observed_data"), j, od) len +=
		        (size_t)snprintf(observed + len, sizeof observed - len, "%s%s",
		                         j ? "," : "", json_string_value(od));
		json_t *so = stix_sighting(
		        &prod, json_string_value(json_object_get(sg, "stix_id")), stix_id, oid,
		        json_integer_value(json_object_get(sg, "count")),
		        json_string_value(json_object_get(sg, "first_seen")),
		        json_string_value(json_object_get(sg, "last_seen")),
		        json_string_value(json_object_get(sg, "where")), observed, err);
		if (so == NULL || json_array_append_new(objs, so) != 0)
			rc = err->code ? err->code
			               : crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	*next = json_integer_value(json_object_get(page, "next"));
	if (rc == 0) {
		*out = json_pack("{ss ss sO}", "type", "bundle", "id", bid, "objects", objs);
		if (*out == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "sightings: out of memory");
	}
	json_decref(objs);
	json_decref(orgs);
	json_decref(page);
	return rc;
}
