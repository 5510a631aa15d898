#include "share/alertfeed.h"

#include "share/tlp.h"
#include "util/clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ADDED_LEN  40
#define SCAN_BATCH 256

/* One object the feed serves, with its place in date_added order. */
struct ent {
	int64_t us;    /* date_added in microseconds: the alert's time + the index */
	int64_t alert; /* ties between alerts of the same time */
	json_t *obj;   /* borrowed from feed.hold */
	const char *id, *type, *spec;
	char version[ADDED_LEN]; /* modified, else created, else date_added */
	int64_t version_us;      /* version as an instant: first and last compare these */
	char added[ADDED_LEN];
	bool revocation; /* of a withdrawn alert */
	bool keep;
};

struct feed {
	struct ent *e;
	size_t n, cap;
	json_t *hold; /* the object arrays the entries point into */
};

/*
 * Calls fn for every alert the feed serves p at now, with what it serves
 * (never ALERT_FEED_NONE), newest first.  fn returns 0 to go on, 1 to stop,
 * or an error.
 */
static int each_alert(const struct alert_env *env, const struct principal *p, const char *now,
                      int (*fn)(void *arg, const struct store_alert *a, enum alert_feed k),
                      void *arg, struct crix_error *err)
{
	struct share_object green = {.tlp = TLP_GREEN};
	struct store_alert_filter f = {
	        .now = now,
	        .withdrawn = 1,
	        .max_tlp = tlp_may_see(p, NULL, &green) ? TLP_GREEN : TLP_CLEAR,
	};
	int64_t before = 0;
	for (;;) {
		struct store_alert *rows;
		size_t n;
		int rc = store_alert_list(env->store, &f, before, SCAN_BATCH, &rows, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < n && rc == 0; i++) {
			before = rows[i].id;
			enum alert_feed k = alert_feed_of(p, &rows[i], now);
			if (k != ALERT_FEED_NONE)
				rc = fn(arg, &rows[i], k);
		}
		store_alert_array_free(rows, n);
		if (rc != 0 || n < SCAN_BATCH)
			return rc < 0 ? rc : 0;
	}
}

static int any_alert(void *arg, const struct store_alert *a, enum alert_feed k)
{
	(void)a;
	(void)k;
	*(bool *)arg = true;
	return 1;
}

int alertfeed_visible(const struct alert_env *env, const struct principal *p, bool *yes,
                      struct crix_error *err)
{
	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	*yes = false;
	return each_alert(env, p, now, any_alert, yes, err);
}

json_t *alertfeed_collection_json(void)
{
	return json_pack(
	        "{ss ss ss sb sb s[s]}", "id", ALERTFEED_ID, "title", "crix-alerts", "description",
	        "Scam alerts published by this centre and its partners (TLP CLEAR and "
	        "GREEN), read-only; a withdrawn alert is revoked",
	        "can_read", 1, "can_write", 0, "media_types", "application/stix+json;version=2.1");
}

struct build {
	struct feed *f;
	struct crix_error *err;
};

/* Adds the objects the feed serves of a. */
static int add_alert(void *arg, const struct store_alert *a, enum alert_feed k)
{
	struct build *b = arg;
	struct feed *f = b->f;
	json_t *objs;
	int rc = k == ALERT_FEED_CURRENT ? alert_stix_objects(a, &objs, b->err)
	                                 : alert_stix_withdrawal(a, &objs, b->err);
	if (rc != 0)
		return rc;
	if (json_array_append_new(f->hold, objs) != 0)
		return crix_error_set(b->err, CRIX_ENOMEM, "out of memory");
	size_t n = json_array_size(objs);
	if (f->n + n > ALERTFEED_OBJECTS_MAX)
		return crix_error_set(b->err, CRIX_ETOOBIG,
		                      "the alerts feed holds more than %d objects",
		                      ALERTFEED_OBJECTS_MAX);
	if (f->n + n > f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 256;
		while (nc < f->n + n)
			nc *= 2;
		struct ent *x = realloc(f->e, nc * sizeof *x);
		if (x == NULL)
			return crix_error_set(b->err, CRIX_ENOMEM, "out of memory");
		f->e = x;
		f->cap = nc;
	}
	int64_t at = clock_parse_iso_us(k == ALERT_FEED_CURRENT ? a->published : a->withdrawn);
	if (at < 0)
		return crix_error_set(b->err, CRIX_EIO, "alert %lld: its times are unreadable",
		                      (long long)a->id);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(objs, i);
		struct ent *e = &f->e[f->n++];
		memset(e, 0, sizeof *e);
		e->us = at + (int64_t)i;
		e->alert = a->id;
		e->obj = o;
		e->id = json_string_value(json_object_get(o, "id"));
		e->type = json_string_value(json_object_get(o, "type"));
		e->spec = json_string_value(json_object_get(o, "spec_version"));
		if (e->id == NULL || e->type == NULL)
			return crix_error_set(b->err, CRIX_EIO, "alert %lld: an object without id",
			                      (long long)a->id);
		if (e->spec == NULL)
			e->spec = "2.1";
		e->revocation = k == ALERT_FEED_WITHDRAWN;
		e->keep = true;
		clock_format_iso_us(e->us, e->added);
		const char *v = json_string_value(json_object_get(o, "modified"));
		if (v == NULL)
			v = json_string_value(json_object_get(o, "created"));
		snprintf(e->version, sizeof e->version, "%s", v != NULL ? v : e->added);
		e->version_us = clock_parse_iso_us(e->version);
	}
	return 0;
}

static int ent_cmp(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;
	if (a->us != b->us)
		return a->us < b->us ? -1 : 1;
	return a->alert < b->alert ? -1 : a->alert > b->alert;
}

/* An object's oldest and newest version, as instants. */
struct span {
	int64_t first, last;
};

static int span_widen(json_t *spans, const struct ent *e, struct crix_error *err)
{
	json_t *x = json_object_get(spans, e->id);
	if (x == NULL) {
		x = json_pack("[II]", (json_int_t)e->version_us, (json_int_t)e->version_us);
		if (x == NULL || json_object_set_new(spans, e->id, x) != 0)
			return crix_error_set(err, CRIX_ENOMEM, "out of memory");
		return 0;
	}
	if (e->version_us < json_integer_value(json_array_get(x, 0)))
		json_array_set_new(x, 0, json_integer((json_int_t)e->version_us));
	if (e->version_us > json_integer_value(json_array_get(x, 1)))
		json_array_set_new(x, 1, json_integer((json_int_t)e->version_us));
	return 0;
}

/*
 * Keeps, of each object, the versions vs asks for, as an ordinary
 * collection does (sharing_versions_parse): the newest, the oldest, all, or
 * a list of first, last and timestamps ORed.  Versions are compared as
 * instants, so "...:00Z" and "...:00.5Z" order by time, not text.  Each
 * version is kept once, at its first date_added; "last" alone keeps the
 * newest once, at its last date_added.  A withdrawn alert's revocation of an
 * indicator that a current alert still holds is dropped: the current alert
 * wins.
 */
static int select_versions(struct feed *f, const struct sharing_versions *vs, const char *list,
                           struct crix_error *err)
{
	json_t *cur = json_object(), *seen = json_object(), *spans = json_object();
	int rc = cur != NULL && seen != NULL && spans != NULL
	                 ? 0
	                 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < f->n; i++)
		if (!f->e[i].revocation && json_object_set_new(cur, f->e[i].id, json_true()) != 0)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < f->n; i++) {
		struct ent *e = &f->e[i];
		if (e->revocation && json_object_get(cur, e->id) != NULL)
			e->keep = false;
		else
			rc = span_widen(spans, e, err);
	}
	for (size_t i = 0; rc == 0 && i < f->n; i++) {
		struct ent *e = &f->e[i];
		if (!e->keep)
			continue;
		json_t *sp = json_object_get(spans, e->id);
		struct span s = {json_integer_value(json_array_get(sp, 0)),
		                 json_integer_value(json_array_get(sp, 1))};
		bool want = vs->mode == 0    ? true
		            : vs->mode == 1  ? e->version_us == s.last
		            : vs->mode == -1 ? e->version_us == s.first
		                             : (vs->last && e->version_us == s.last) ||
		                                       (vs->first && e->version_us == s.first) ||
		                                       sharing_versions_listed(list, e->version_us);
		if (!want) {
			e->keep = false;
			continue;
		}
		char key[256];
		snprintf(key, sizeof key, "%s|%" PRId64, e->id, e->version_us);
		json_t *prev = json_object_get(seen, key);
		if (prev != NULL && vs->mode == 1) {
			f->e[json_integer_value(prev)].keep = false; /* the later stays */
		} else if (prev != NULL) {
			e->keep = false;
			continue;
		}
		if (json_object_set_new(seen, key, json_integer((json_int_t)i)) != 0)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	json_decref(cur);
	json_decref(seen);
	json_decref(spans);
	return rc;
}

/* The cursor "US-ALERT" of the last entry a page gave. */
static int cursor_parse(const char *s, int64_t *us, int64_t *alert, struct crix_error *err)
{
	char *end;
	long long a = strtoll(s, &end, 10), b = 0;
	bool ok = end != s && *end == '-' && a >= 0;
	if (ok) {
		const char *t = end + 1;
		b = strtoll(t, &end, 10);
		ok = end != t && *end == '\0' && b >= 0;
	}
	if (!ok)
		return crix_error_field(err, "next", CRIX_EINVAL,
		                        "next: not a value this server returned");
	*us = a;
	*alert = b;
	return 0;
}

static json_t *manifest_entry(const struct ent *e)
{
	return json_pack("{ss ss ss ss}", "id", e->id, "date_added", e->added, "version",
	                 e->version, "media_type", "application/stix+json;version=2.1");
}

int alertfeed_objects(const struct alert_env *env, const struct principal *p,
                      const struct sharing_query *q, enum sharing_view view, char **json,
                      size_t *len, struct sharing_page *page, struct crix_error *err)
{
	memset(page, 0, sizeof *page);
	*json = NULL;
	*len = 0;
	struct sharing_versions vs;
	const char *vlist = view == SHARING_VERSIONS ? "all" : q->version;
	int rc = sharing_versions_parse(vlist, &vs, err);
	if (rc != 0)
		return rc;
	int64_t after_us = -1, cur_us = -1, cur_alert = 0;
	if (q->added_after != NULL && (after_us = clock_parse_iso_us(q->added_after)) < 0)
		return crix_error_field(err, "added_after", CRIX_EINVAL,
		                        "added_after: an RFC 3339 UTC time");
	if (q->next != NULL && (rc = cursor_parse(q->next, &cur_us, &cur_alert, err)) != 0)
		return rc;
	size_t limit = q->limit ? q->limit : SHARING_PAGE_DEFAULT;
	if (limit > SHARING_PAGE_MAX)
		limit = SHARING_PAGE_MAX;

	char now[CLOCK_ISO_LEN];
	clock_now_iso(now);
	struct feed f = {.hold = json_array()};
	if (f.hold == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	struct build b = {&f, err};
	rc = each_alert(env, p, now, add_alert, &b, err);
	if (rc == 0 && f.n == 0)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "collection %s not found", ALERTFEED_ID);
	if (rc == 0) {
		qsort(f.e, f.n, sizeof *f.e, ent_cmp);
		rc = select_versions(&f, &vs, vlist, err);
	}
	json_t *list = json_array();
	if (rc == 0 && list == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	const struct ent *last = NULL;
	for (size_t i = 0; rc == 0 && i < f.n; i++) {
		const struct ent *e = &f.e[i];
		if (!e->keep || (after_us >= 0 && e->us <= after_us) ||
		    (cur_us >= 0 &&
		     (e->us < cur_us || (e->us == cur_us && e->alert <= cur_alert))) ||
		    (q->ids && !sharing_in_list(q->ids, e->id)) ||
		    (q->types && !sharing_in_list(q->types, e->type)) ||
		    (q->spec_versions && !sharing_in_list(q->spec_versions, e->spec)))
			continue;
		if (page->count == limit) {
			page->more = true;
			break;
		}
		json_t *item = view == SHARING_OBJECTS    ? json_incref(e->obj)
		               : view == SHARING_MANIFEST ? manifest_entry(e)
		                                          : json_string(e->version);
		if (item == NULL || json_array_append_new(list, item) != 0) {
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
			break;
		}
		if (page->count == 0)
			snprintf(page->first_added, sizeof page->first_added, "%s", e->added);
		snprintf(page->last_added, sizeof page->last_added, "%s", e->added);
		page->count++;
		last = e;
	}
	json_t *out = NULL;
	if (rc == 0) {
		if (page->more)
			snprintf(page->next, sizeof page->next, "%" PRId64 "-%" PRId64, last->us,
			         last->alert);
		if (page->count == 0 && view != SHARING_VERSIONS)
			out = json_pack("{sb}", "more", 0); /* TAXII: no objects member */
		else
			out = json_pack("{sOsb}", view == SHARING_VERSIONS ? "versions" : "objects",
			                list, "more", page->more);
		if (out != NULL && page->more)
			json_object_set_new(out, "next", json_string(page->next));
		*json = out != NULL ? json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		if (*json == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		else
			*len = strlen(*json);
	}
	json_decref(out);
	json_decref(list);
	json_decref(f.hold);
	free(f.e);
	return rc;
}
