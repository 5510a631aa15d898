/*
 * warnlist.h - MISP warning lists (known-benign values: public DNS resolvers,
 * top sites, private networks, the hashes of empty files) for the server: a
 * value on one never links reports into a case and the API says which list
 * holds it.  Loaded from a directory given at start (a checkout of MISP's
 * warning lists: DIR/NAME/list.json, or DIR/NAME.json); crix ships none.
 */
#ifndef CRIX_MODEL_WARNLIST_H
#define CRIX_MODEL_WARNLIST_H

#include "ioc/ioc.h"
#include "util/err.h"

#include <stdbool.h>
#include <stddef.h>

struct warnlist;

/* Loads every list under dir.  OUT: *out, *lists, *values (added). */
int warnlist_load_dir(const struct ioc_ctx *ctx, const char *dir, struct warnlist **out,
                      size_t *lists, size_t *values, struct crix_error *err);
void warnlist_free(struct warnlist *w); /* NULL ok */

/*
 * Is this canonical value (type: enum ioc_type) on a list?  Domains match a
 * listed domain or a parent of it, addresses a listed address or network,
 * other types exactly.  E-mail addresses and URLs are never "benign" by their
 * host (a scammer's gmail address is not gmail).  OUT: *list, the list's
 * identifier, its directory name as in MISP ("public-dns-v4"); list may be
 * NULL.  Thread-safe.
 */
bool warnlist_holds(struct warnlist *w, unsigned type, const char *value, size_t len,
                    const char **list);

#endif
