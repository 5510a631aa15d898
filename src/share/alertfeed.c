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
	char added[ADDED_LEN];
	bool revocation; /* of a withdrawn alert */
	bool keep;
};

struct feed {
	struct ent *e;
	size_t n, cap;
	json_t *hold; /* the object arrays the entries point into */
};

/* Microseconds since the epoch of an RFC 3339 UTC time; -1 when it is none. */
static int64_t iso_us(const char *s)
{
	char norm[CLOCK_ISO_LEN];
	int64_t t;
	struct crix_error e = {0};
	if (s == NULL || s[0] == '\0' || clock_parse_iso(s, "time", norm, &t, &e) != 0)
		return -1;
	int64_t us = t * 1000000, scale = 100000;
	const char *f = strchr(s, '.');
	for (f = f ? f + 1 : ""; *f >= '0' && *f <= '9' && scale > 0; f++, scale /= 10)
		us += (*f - '0') * scale;
	return us;
}

/* "YYYY-MM-DDTHH:MM:SS.ffffffZ", as sharing.c writes date_added. */
static void us_format(int64_t us, char out[ADDED_LEN])
{
	time_t secs = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	snprintf(out, ADDED_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ",
	         (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	         (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
	         (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, (unsigned)(us % 1000000));
}

static bool in_list(const char *list, const char *s)
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
	int64_t at = iso_us(k == ALERT_FEED_CURRENT ? a->published : a->withdrawn);
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
		us_format(e->us, e->added);
		const char *v = json_string_value(json_object_get(o, "modified"));
		if (v == NULL)
			v = json_string_value(json_object_get(o, "created"));
		snprintf(e->version, sizeof e->version, "%s", v != NULL ? v : e->added);
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

/*
 * Keeps, of each object, the versions the mode asks for: 1 the last, -1 the
 * first, 0 all, 2 the one named (each version once, at its first
 * date_added).  A withdrawn alert's revocation of an indicator that a
 * current alert still holds is dropped: the current alert wins.
 */
static int select_versions(struct feed *f, int mode, const char *version, struct crix_error *err)
{
	json_t *cur = json_object(), *seen = json_object();
	int rc =
	        cur != NULL && seen != NULL ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < f->n; i++)
		if (!f->e[i].revocation && json_object_set_new(cur, f->e[i].id, json_true()) != 0)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < f->n; i++) {
		struct ent *e = &f->e[i];
		if (e->revocation && json_object_get(cur, e->id) != NULL) {
			e->keep = false;
			continue;
		}
		if (mode == 2 && strcmp(e->version, version) != 0) {
			e->keep = false;
			continue;
		}
		char key[256];
		if (mode == 0 || mode == 2)
			snprintf(key, sizeof key, "%s|%s", e->id, e->version);
		else
			snprintf(key, sizeof key, "%s", e->id);
		json_t *best = json_object_get(seen, key);
		if (best == NULL) {
			if (json_object_set_new(seen, key, json_integer((json_int_t)i)) != 0)
				rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
			continue;
		}
		struct ent *b = &f->e[json_integer_value(best)];
		int c = strcmp(e->version, b->version);
		/* entries come in date_added order: on a tie the first stays for
		 * "first" and for each version, the later wins for "last" */
		bool better = mode == 1 ? c >= 0 : mode == -1 ? c < 0 : false;
		if (better) {
			b->keep = false;
			json_object_set_new(seen, key, json_integer((json_int_t)i));
		} else {
			e->keep = false;
		}
	}
	json_decref(cur);
	json_decref(seen);
	return rc;
}

/* OUT: *mode as select_versions takes it. */
static int version_mode(const char *v, int *mode, struct crix_error *err)
{
	*mode = 1;
	if (v == NULL || strcmp(v, "last") == 0)
		return 0;
	if (strcmp(v, "first") == 0 || strcmp(v, "all") == 0) {
		*mode = v[0] == 'f' ? -1 : 0;
		return 0;
	}
	*mode = 2;
	if (iso_us(v) >= 0)
		return 0;
	return crix_error_field(err, "match[version]", CRIX_EINVAL,
	                        "match[version]: last, first, all or a timestamp");
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
	int mode;
	int rc = version_mode(view == SHARING_VERSIONS ? "all" : q->version, &mode, err);
	if (rc != 0)
		return rc;
	int64_t after_us = -1, cur_us = -1, cur_alert = 0;
	if (q->added_after != NULL && (after_us = iso_us(q->added_after)) < 0)
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
		rc = select_versions(&f, mode, q->version, err);
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
		    (q->ids && !in_list(q->ids, e->id)) ||
		    (q->types && !in_list(q->types, e->type)) ||
		    (q->spec_versions && !in_list(q->spec_versions, e->spec)))
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
