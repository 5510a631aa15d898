/*
 * alert.h - scam alerts: advisories an analyst publishes to partners (TLP
 * GREEN) or to everyone (TLP CLEAR), with a summary, the advice to follow,
 * an offence category of the catalogue and the indicators to watch for.
 *
 * An alert is published and may later be withdrawn (by its organisation) or
 * expire (at the time it was given).  Who sees an alert is decided in one
 * place, alert_may_see, which asks tlp_may_see; a withdrawn or expired alert
 * is seen by its own organisation only, so that an alert that wrongly named
 * someone stops being served at once.  An alert the caller may not see is
 * "not found", never "forbidden" (no oracle for ids).
 *
 * Ownership: json_t results are new references the caller releases with
 * json_decref; the json_t input is only read.
 */
#ifndef CRIX_MODEL_ALERT_H
#define CRIX_MODEL_ALERT_H

#include "ioc/ioc.h"
#include "model/account.h"
#include "model/catalogue.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>

/* Caps of the fields, in bytes of UTF-8 (the title's is the store's). */
#define ALERT_TITLE_MIN      3
#define ALERT_TITLE_MAX      200
#define ALERT_SUMMARY_MAX    2000
#define ALERT_ADVICE_MAX     8000
#define ALERT_INDICATORS_MAX 200

/* What the alert functions work with. */
struct alert_env {
	struct store *store;
	const struct catalogue *cat;
	const struct ioc_ctx *ioc;
};

/*
 * Validates a request {"title", "summary", "advice", "category", "tlp",
 * "indicators"?, "expires"?} and fills the fields of a it names (title,
 * category, tlp, expires, and new heap strings summary, advice and
 * indicators, which store_alert_clear releases).  Indicators are strings
 * (the type is guessed, defanged text is refanged) or {"type", "value"};
 * each becomes its canonical value, and duplicates are dropped.  now: the
 * current time (an expiry must come after it).  CRIX_EINVAL or
 * CRIX_ETOOBIG names the field ("indicators[2]: ...").  Stores nothing.
 */
int alert_validate(const struct alert_env *env, json_t *in, const char *now, struct store_alert *a,
                   struct crix_error *err);

/* Current: published and not expired at now. */
bool alert_current(const struct store_alert *a, const char *now);

/* May p see a at now?  TLP through tlp_may_see; a withdrawn or expired alert
 * only by its own organisation. */
bool alert_may_see(const struct principal *p, const struct store_alert *a, const char *now);

/* What the TAXII collection of alerts (share/alertfeed.h) serves p of a at
 * now: ALERT_FEED_CURRENT, its objects, when a is current and p may see it
 * (alert_may_see); ALERT_FEED_WITHDRAWN, the revocation of its report and
 * indicators (alert_stix_withdrawal), when a was withdrawn and TLP let p
 * see it, so that partners who pulled it learn it is withdrawn;
 * ALERT_FEED_NONE otherwise (an expired alert's indicators carry
 * valid_until already).  The author's organisation is served the same. */
enum alert_feed { ALERT_FEED_NONE, ALERT_FEED_CURRENT, ALERT_FEED_WITHDRAWN };
enum alert_feed alert_feed_of(const struct principal *p, const struct store_alert *a,
                              const char *now);

/* The alert as p sees it (the author's username only for its organisation). */
json_t *alert_json(const struct catalogue *cat, const struct principal *p,
                   const struct store_alert *a, const char *now);

/* Publishes (account_may_publish_alert), with an audit entry in the same
 * transaction.  OUT: *out, the alert as published. */
int alert_publish(const struct alert_env *env, const struct principal *p, json_t *in, json_t **out,
                  struct crix_error *err);

/* Withdraws (account_may_withdraw_alert), audited likewise.  OUT: *out. */
int alert_withdraw(const struct alert_env *env, const struct principal *p, int64_t id, json_t **out,
                   struct crix_error *err);

/* One alert, CRIX_ENOTFOUND when p may not see it.  OUT: *out. */
int alert_view(const struct alert_env *env, const struct principal *p, int64_t id, json_t **out,
               struct crix_error *err);

/* One alert as a STIX 2.1 bundle: its TLP marking, the author's identity,
 * the indicators' objects (share/stix.c) and a report that refers to them.
 * Indicator types STIX has no object for are named in the report's
 * description.  CRIX_ENOTFOUND when p may not see it.  OUT: *bundle. */
int alert_stix(const struct alert_env *env, const struct principal *p, int64_t id, json_t **bundle,
               struct crix_error *err);

/* The objects of alert_stix's bundle for a, without asking who may see
 * them (the caller has).  OUT: *objs, a new array. */
int alert_stix_objects(const struct store_alert *a, json_t **objs, struct crix_error *err);

/* For a withdrawn alert a: new versions (modified a->withdrawn, revoked) of
 * its indicators and of its report, the report without its title, summary
 * and advice (a withdrawn alert may have named an innocent party).  OUT:
 * *objs, a new array. */
int alert_stix_withdrawal(const struct store_alert *a, json_t **objs, struct crix_error *err);

/* Which alerts alert_list gives. */
struct alert_query {
	const char *category; /* an offence code, or NULL for any */
	bool all;             /* also the caller's organisation's withdrawn and expired ones */
	int64_t before;       /* paging cursor: ids below this (0: from the newest) */
	size_t limit;
};

/* A page of the alerts p may see, newest first.  OUT: *out, {"alerts":
 * [...], "next": cursor or null}. */
int alert_list(const struct alert_env *env, const struct principal *p, const struct alert_query *q,
               json_t **out, struct crix_error *err);

#endif
