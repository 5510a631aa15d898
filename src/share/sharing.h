/*
 * sharing.h - what organisations share with each other: sharing groups, TAXII
 * collections of STIX 2.1 objects, and the lookup index of the indicators
 * those objects hold.
 *
 * The server holds one struct sharing, filled from the store at start and
 * kept in step with every change (groups and collections are few and kept
 * in memory whole; objects stay in the store; their indicator values are in
 * a match index so that a lookup never touches the disk).  Every read goes
 * through tlp_may_see (share/tlp.h): an object is visible when its
 * collection is, and when its own TLP (from its object_marking_refs, else the
 * collection's) lets the caller see it, with the collection's shares.
 *
 * Objects are stored verbatim (as the JSON value received) and given a
 * date_added unique to them and increasing, so that TAXII paging by
 * added_after never skips an object.
 *
 * Thread safety: every function may be called from any request thread.
 * Functions that return json_t give a new reference.
 */
#ifndef CRIX_SHARE_SHARING_H
#define CRIX_SHARE_SHARING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "ioc/ioc.h"
#include "model/account.h"
#include "share/tlp.h"
#include "store/store.h"
#include "util/clock.h"

struct sharing;

/* At most this many values in one lookup, objects in one TAXII page. */
#define SHARING_LOOKUP_MAX   10000
#define SHARING_PAGE_MAX     1000
#define SHARING_PAGE_DEFAULT 100
#define SHARING_OBJECTS_MAX  10000 /* objects in one POST */

/* Loads groups, collections and the shared indicators.  ioc must outlive it. */
int sharing_open(struct store *s, const struct ioc_ctx *ioc, struct sharing **out,
                 struct crix_error *err);
void sharing_free(struct sharing *sh); /* NULL ok */

/* ---- sharing groups ---- */

/* Creates a group owned by p's organisation (analysts and admins of any
 * organisation).  spec: {"name", "members": [org ids]}.  OUT: *out, the group. */
int sharing_group_create(struct sharing *sh, const struct principal *p, const json_t *spec,
                         json_t **out, struct crix_error *err);
/* Adds or removes a member; only the owner organisation's admins and analysts. */
int sharing_group_member(struct sharing *sh, const struct principal *p, int64_t group, int64_t org,
                         bool add, struct crix_error *err);
/* The groups p's organisation owns or belongs to. */
json_t *sharing_groups_json(struct sharing *sh, const struct principal *p);
/* Are organisations a and b both members of one sharing group (the
 * directory lets such partners see each other's users)? */
bool sharing_orgs_share_group(struct sharing *sh, int64_t a, int64_t b);

/* ---- collections ---- */

/* spec: {"title", "description"?, "tlp", "shared_with": {"orgs": [], "groups": [],
 * "users": []}?, "writers": [org ids]?}.  Analysts and admins only. */
int sharing_collection_create(struct sharing *sh, const struct principal *p, const json_t *spec,
                              json_t **out, struct crix_error *err);
/* Changes TLP, shares or writers (the owner organisation only); same spec. */
int sharing_collection_update(struct sharing *sh, const struct principal *p, const char *id,
                              const json_t *spec, json_t **out, struct crix_error *err);
/* The TAXII collection resources p can see: {"collections": [...]}. */
json_t *sharing_collections_json(struct sharing *sh, const struct principal *p);
/* One collection resource; CRIX_ENOTFOUND when unknown or not visible to p. */
int sharing_collection_json(struct sharing *sh, const struct principal *p, const char *id,
                            json_t **out, struct crix_error *err);

/* ---- objects ---- */

/*
 * Adds a TAXII envelope's objects ({"objects": [...]}) to a collection p may
 * write to, in one transaction with the status resource and an audit entry.
 * Each object is checked (type, id, spec_version, created/modified for
 * SDOs and SROs); a bad one is a failure in the status, not an error.
 * source: "taxii", "import:FILE", "partner:NAME".  OUT: *status, the TAXII
 * status resource.  CRIX_ENOTFOUND: collection unknown or invisible;
 * CRIX_EACCES: visible but not writable; CRIX_EINVAL: not an envelope.
 */
int sharing_add_objects(struct sharing *sh, const struct principal *p, const char *collection,
                        const json_t *envelope, const char *source, json_t **status,
                        struct crix_error *err);

/* ---- importing bundles (crix import stix, POST .../import) ---- */

struct warnlist;
struct sharing_import;

/* Known-benign values (MISP warning lists): a value a list holds never
 * becomes a lookup indicator from POST or import, and a lookup of it answers
 * with the list.  w (NULL: none) must outlive sh. */
void sharing_set_warnlist(struct sharing *sh, struct warnlist *w);

/*
 * Starts importing objects one at a time into a collection p may write to
 * (p NULL: the command line, acting as the collection's owner).  Objects are
 * stored in batches of a few thousand, each one transaction (with an audit
 * entry) after which their indicators are in the lookup index; what was
 * committed stays when a later batch fails.  source: "import:FILE",
 * "import:post".  CRIX_ENOTFOUND / CRIX_EACCES as for sharing_add_objects.
 */
int sharing_import_begin(struct sharing *sh, const struct principal *p, const char *collection,
                         const char *source, struct sharing_import **out, struct crix_error *err);
/* One object, as the JSON text text[0..len) (stored as these bytes).  A bad
 * object is counted and listed as invalid, not an error; errors are the
 * store's (the import should stop). */
int sharing_import_object(struct sharing_import *im, size_t index, const char *text, size_t len,
                          struct crix_error *err);
/*
 * Commits the last batch.  OUT: *result (may be NULL) = {"collection",
 * "objects", "stored", "already_held", "indicators", "warninglisted",
 * "skipped_patterns": {reason: n}, "invalid_count", "invalid": [{"index",
 * "reason"}] (the first 1000)}.
 */
int sharing_import_end(struct sharing_import *im, json_t **result, struct crix_error *err);
void sharing_import_free(struct sharing_import *im); /* rolls back an open batch; NULL ok */

/* What the MISP feed needs of a collection p may read. */
struct sharing_brief {
	char id[40];
	char title[STORE_NAME_MAX];
	enum tlp tlp;
	int64_t owner_org;
	char created[CLOCK_ISO_LEN];
};

/* CRIX_ENOTFOUND when the collection is unknown or p may not read it. */
int sharing_collection_brief(struct sharing *sh, const struct principal *p, const char *id,
                             struct sharing_brief *out, struct crix_error *err);

/* A TAXII object query. */
struct sharing_query {
	const char *collection;
	const char *next;          /* the cursor a previous page returned, or NULL */
	const char *added_after;   /* NULL for any */
	const char *ids;           /* match[id]: comma-separated, or NULL */
	const char *types;         /* match[type] */
	const char *version;       /* match[version]: last (default), first, all, times: a list */
	const char *spec_versions; /* match[spec_version] */
	size_t limit;
};

/* What one page holds, for the TAXII headers. */
struct sharing_page {
	size_t count;
	bool more;
	char next[32];
	char first_added[40], last_added[40];
};

enum sharing_view { SHARING_OBJECTS, SHARING_MANIFEST, SHARING_VERSIONS };

/*
 * A page of the objects p may see, as TAXII JSON text (an envelope, a
 * manifest or a versions resource): objects as they were received, and the
 * sighting objects crix made of partners' sightings of the collection's
 * indicators when p may see those sightings (the indicator's owner
 * organisation, law enforcement).  OUT:
 * *json (malloc'd), *len, *page.  CRIX_ENOTFOUND for an unknown or invisible
 * collection; CRIX_EINVAL naming a bad filter.
 */
int sharing_objects(struct sharing *sh, const struct principal *p, const struct sharing_query *q,
                    enum sharing_view view, char **json, size_t *len, struct sharing_page *page,
                    struct crix_error *err);

/* Is s one of the comma-separated items of list (match[...] values)? */
bool sharing_in_list(const char *list, const char *s);

/* match[version] (TAXII 2.1 section 3.4.1), parsed.  mode: 1 only each
 * object's newest version, -1 only its oldest, 0 every version, 2 a list
 * checked version by version (the timestamps in it, and first and last). */
struct sharing_versions {
	int mode;
	bool first, last;
};

/* NULL is last.  CRIX_EINVAL naming match[version] for anything but last,
 * first, all and timestamps separated by commas, each once, all alone. */
int sharing_versions_parse(const char *v, struct sharing_versions *out, struct crix_error *err);

/* Does the match[version] list v name the instant us (microseconds) among
 * its timestamps?  Compared as instants: "...:00Z" names "...:00.000Z". */
bool sharing_versions_listed(const char *v, int64_t us);

/* A TAXII timestamp ("YYYY-MM-DDTHH:MM:SS.ffffffZ", section 2) for an RFC
 * 3339 UTC time given at any precision (digits past the microsecond are
 * dropped).  CRIX_EINVAL naming field when s is not such a time. */
int sharing_taxii_time(const char *s, const char *field, char out[CLOCK_ISO_LEN],
                       struct crix_error *err);

/* A status resource p (or p's organisation) created.  CRIX_ENOTFOUND otherwise. */
int sharing_status(struct sharing *sh, const struct principal *p, const char *id, json_t **out,
                   struct crix_error *err);

/* ---- lookups ---- */

/*
 * Looks up values ({"values": ["...", ...]}, at most SHARING_LOOKUP_MAX):
 * each is canonicalised (type guessed) and matched exactly, a host also
 * against its parent domains, an address against networks, a URL's host
 * against domains and addresses.  OUT: *json (malloc'd JSON text of *len
 * bytes) = {"results": [{"index", "value",
 * "type", "canonical", "matches": [{"indicator", "type", "stix_id",
 * "collection", "tlp", "added"}]}], "invalid": [{"index", "reason"}],
 * "looked_up", "matched"}, listing only the values with a visible match.
 */
int sharing_lookup(struct sharing *sh, const struct principal *p, const json_t *req, char **json,
                   size_t *len, struct crix_error *err);

/* ---- sightings ---- */

#define SHARING_SIGHTINGS_MAX      10000     /* sightings in one request */
#define SHARING_SIGHTING_ROWS_MAX  100000    /* indicator objects they may name in all */
#define SHARING_SIGHTING_COUNT_MAX 999999999 /* one sighting's count (STIX's cap) */
#define SHARING_OBSERVED_MAX       16        /* observed-data ids on one sighting */

/* One sighting as a partner sends it, checked.  value and indicator point
 * into the JSON it came from. */
struct sharing_sighting_in {
	const char *value;     /* an indicator value, or NULL */
	const char *indicator; /* an indicator object's STIX id, or NULL */
	int64_t count;
	char first_seen[CLOCK_ISO_LEN], last_seen[CLOCK_ISO_LEN]; /* canonical UTC */
	char place[STORE_WHERE_MAX];                              /* "where" */
	char observed[STORE_IDLIST_MAX]; /* observed-data ids, comma-separated */
};

/*
 * Checks a sightings body: [{...}] or {"sightings": [{...}]}, 1 to
 * SHARING_SIGHTINGS_MAX of {"value" | "indicator", "count"?, "first_seen",
 * "last_seen"?, "where"?, "observed_data"?}.  OUT: *out (free()), *n.
 * CRIX_EINVAL names the field ("sightings[3].count"); CRIX_ETOOBIG.
 */
int sharing_sightings_parse(const json_t *req, struct sharing_sighting_in **out, size_t *n,
                            struct crix_error *err);

/*
 * Stores the sightings p reports (account_may_report_sightings), one per
 * indicator object each names that p may see (a value through the lookup
 * index, as a lookup matches it; an id directly), all in one transaction
 * with an audit entry, and adds them to the in-memory totals.  What p may
 * not see is unmatched exactly as what does not exist.  OUT: *out =
 * {"received", "stored", "matched": [{"index", "indicators": [ids]}],
 * "unmatched": [indexes]}.
 */
int sharing_sightings_add(struct sharing *sh, const struct principal *p, const json_t *req,
                          json_t **out, struct crix_error *err);

/*
 * The sightings of the indicator object stix_id for p: visible when p may
 * see the indicator and account_may_see_sightings allows it (its owner
 * organisation, law enforcement); else CRIX_ENOTFOUND, as for an unknown id.
 * OUT: *out = {"indicator", "totals": [{"collection", "count", "first_seen",
 * "last_seen", "orgs"}], "sightings": [...], "next"?}, sightings with id
 * after `after`, at most limit.
 */
int sharing_sightings_json(struct sharing *sh, const struct principal *p, const char *stix_id,
                           int64_t after, size_t limit, json_t **out, struct crix_error *err);

/*
 * The same page as STIX 2.1: a bundle of the reporting organisations'
 * identities and one sighting object per sighting (sighting_of_ref the
 * indicator, where_sighted_refs the reporter), marked TLP:AMBER+STRICT
 * (who saw what is for the recipient organisation only).  OUT: *out; *next,
 * the cursor of the next page, 0 for none.
 */
int sharing_sightings_stix(struct sharing *sh, const struct principal *p, const char *stix_id,
                           int64_t after, size_t limit, json_t **out, int64_t *next,
                           struct crix_error *err);

/* ---- results cached per caller class ---- */

/*
 * Results that are costly to build and the same for every caller who sees
 * the same things (the MISP feed manifest reads every visible indicator
 * object) may be kept here, per caller class: the inputs of every
 * visibility decision (the public; else the user, who may be named on RED,
 * the organisation, its kind and the role).  An entry is served only while
 * nothing anyone may see has changed since it was built (objects, imports,
 * sightings, collections, groups: each bumps sharing_generation), and for
 * at most SHARING_CACHE_TTL seconds (organisation names and the like change
 * outside it).  Memory: SHARING_CACHE_ENTRIES of at most SHARING_CACHE_BYTES.
 */
#define SHARING_CLASS_MAX     96
#define SHARING_CACHE_ENTRIES 256
#define SHARING_CACHE_BYTES   (1u << 20)
#define SHARING_CACHE_TTL     60

/* p's caller class, as the cache's key. */
void sharing_caller_class(const struct principal *p, char out[SHARING_CLASS_MAX]);
/* The change counter: read it before building a result to cache. */
unsigned long sharing_generation(struct sharing *sh);
/* A copy (malloc'd, NUL-terminated) of the result `what` kept for class cls
 * when still current.  CRIX_ENOTFOUND otherwise. */
int sharing_cache_get(struct sharing *sh, const char *what, const char *cls, char **text,
                      size_t *len);
/* Keeps text[0..len) as `what` for cls, built when sharing_generation was
 * gen (dropped when that is out of date already, or it is too big). */
void sharing_cache_put(struct sharing *sh, const char *what, const char *cls, unsigned long gen,
                       const char *text, size_t len);

/* How many shared indicators the lookup index holds. */
size_t sharing_indicator_count(struct sharing *sh);

#endif
