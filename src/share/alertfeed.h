/*
 * alertfeed.h - the built-in, read-only TAXII collection "crix-alerts": the
 * published scam alerts (model/alert.h) as STIX 2.1 objects, so that
 * partners' TAXII clients and crix sync take them like any collection.
 *
 * Nothing is stored for it: every read builds the page from the alerts
 * table, so a withdrawn or expired alert leaves the feed at once.  What one
 * caller is served of each alert is alert_feed_of's decision (model/alert.c,
 * over tlp_may_see): a current alert's objects, exactly those of GET
 * /api/v1/alerts/{id}?format=stix, dated (date_added) when it was
 * published; a withdrawn alert's revocation (revoked new versions of its
 * report and indicators, alert_stix_withdrawal), dated when it was
 * withdrawn, so that a partner who pulled it is told; nothing of an expired
 * one (its indicators carried valid_until).  Each object's date_added is
 * that time plus its index in microseconds, so that added_after and next
 * page exactly.
 *
 * The cost is a build of every served alert's objects per request: fine for
 * the hundreds of alerts a centre has current, bounded by
 * ALERTFEED_OBJECTS_MAX (beyond it a read fails, it is never cut short).
 *
 * Ownership: *json results are malloc'd text the caller frees; json_t
 * results are new references.
 */
#ifndef CRIX_SHARE_ALERTFEED_H
#define CRIX_SHARE_ALERTFEED_H

#include "model/alert.h"
#include "share/sharing.h"

#include <jansson.h>
#include <stdbool.h>

/* The collection's id: one fixed UUIDv4 (TAXII 2.1 identifiers are version 4
 * UUIDs), the same on every instance so that partners can name it. */
#define ALERTFEED_ID "c0d5a4a4-40a3-4697-b3ae-39824ac5a28f"

/* Objects one read may build, over all alerts served. */
#define ALERTFEED_OBJECTS_MAX 200000

/* Does p see the collection (is it served at least one alert)?  OUT: *yes. */
int alertfeed_visible(const struct alert_env *env, const struct principal *p, bool *yes,
                      struct crix_error *err);

/* The TAXII collection resource (can_read true, can_write false). */
json_t *alertfeed_collection_json(void);

/*
 * A page of the feed for p, as sharing_objects gives one of a collection
 * (q->collection is not read): the same filters, version modes, paging by
 * next and added_after, and views.  CRIX_ENOTFOUND when p sees no alert;
 * CRIX_EINVAL naming a bad filter; CRIX_ETOOBIG past ALERTFEED_OBJECTS_MAX.
 */
int alertfeed_objects(const struct alert_env *env, const struct principal *p,
                      const struct sharing_query *q, enum sharing_view view, char **json,
                      size_t *len, struct sharing_page *page, struct crix_error *err);

#endif
