/*
 * directory.h - the least-privilege directory that lets staff pick
 * organisations and users by name (for collection recipients, writers and
 * sharing-group members) instead of typing ids.  It names organisations to
 * any signed-in member of an organisation, and users only within the
 * caller's own organisation or one it shares a sharing group with: enough to
 * share with someone, not a list of every account.  No SQL and no HTTP here.
 */
#ifndef CRIX_MODEL_DIRECTORY_H
#define CRIX_MODEL_DIRECTORY_H

#include "model/account.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIRECTORY_Q_MIN   2  /* characters: one letter would list nearly everyone */
#define DIRECTORY_Q_MAX   64 /* bytes */
#define DIRECTORY_RESULTS 20 /* at most this many answers; the caller types more */

/* May p look organisations up by name (a signed-in member of an
 * organisation, or an admin)? */
bool directory_may_list_orgs(const struct principal *p);
/*
 * May p list the users of org_id?  Its own organisation's members, members
 * of an organisation that shares a sharing group with org_id (shares_group),
 * and admins; nobody else, whatever their role.
 */
bool directory_may_list_users(const struct principal *p, int64_t org_id, bool shares_group);

/*
 * Checks the search text q (DIRECTORY_Q_MIN characters to DIRECTORY_Q_MAX
 * bytes of UTF-8 without control characters) and writes it, ASCII
 * lower-cased, to folded (DIRECTORY_Q_MAX + 1 bytes).  CRIX_EINVAL names
 * the field "q".
 */
int directory_query(const char *q, char folded[DIRECTORY_Q_MAX + 1], struct crix_error *err);

/* 2 when name starts with folded (ASCII case-insensitively), 1 when it holds
 * it elsewhere, 0 when not at all. */
int directory_match(const char *name, const char *folded);

/*
 * The organisations whose names hold folded (from directory_query): those
 * starting with it first, then by name; at most DIRECTORY_RESULTS.
 * OUT: *out (free()), *n, *more (more matched than were returned).
 */
int directory_orgs(struct store *s, const char *folded, struct store_org **out, size_t *n,
                   bool *more, struct crix_error *err);
/* The same for the enabled users of org_id, by username. */
int directory_users(struct store *s, int64_t org_id, const char *folded, struct store_user **out,
                    size_t *n, bool *more, struct crix_error *err);

/* Does org_id share a sharing group with the caller's organisation?  The
 * sharing module knows (sharing_orgs_share_group); the directory asks. */
struct directory_partners {
	bool (*shares_group)(void *arg, int64_t org_id);
	void *arg;
};

/*
 * The same over every organisation p may list the users of
 * (directory_may_list_users: its own, its group partners; an admin all),
 * so that a picker finds users across organisations without naming one.
 * Reads the users of the organisations p may list only (an admin's: all
 * users); nothing from an organisation p may not list.
 */
int directory_users_visible(struct store *s, const struct principal *p,
                            const struct directory_partners *pt, const char *folded,
                            struct store_user **out, size_t *n, bool *more, struct crix_error *err);

#define DIRECTORY_IDS_MAX 64 /* users named at once (a collection's IDS_MAX) */

/*
 * The enabled users among ids[0..n_ids) that p may list, in the order
 * given, so that pages show the names of users stored by id.  An id p may
 * not list, or of nobody, is left out, never named.  CRIX_EINVAL naming
 * "ids" past DIRECTORY_IDS_MAX.  OUT: *out (free()), *n.
 */
int directory_users_named(struct store *s, const struct principal *p,
                          const struct directory_partners *pt, const int64_t *ids, size_t n_ids,
                          struct store_user **out, size_t *n, struct crix_error *err);

#endif
