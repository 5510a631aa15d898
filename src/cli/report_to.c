/*
 * report_to.c - a scan's hits as sightings for a crix server.  See
 * report_to.h.
 */
#include "cli/report_to.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_MAX (4u << 20) /* the server's answer to one batch */
#define URL_MAX    2048

struct entry {
	char *key; /* the canonical value; NULL when empty */
	enum ioc_type type;
	uint64_t count;
};

struct report_to {
	char url[URL_MAX + 32];
	char auth[320]; /* "Authorization: Bearer TOKEN" */
	char where[128];
	struct entry *tab;
	size_t cap, n;
};

static uint64_t fnv(const char *s, size_t n, enum ioc_type t)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)t;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

int report_to_new(const char *url, const char *token, const char *where, struct report_to **out,
                  struct crix_error *err)
{
	size_t ul = strlen(url);
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	if (ul == 0 || ul > URL_MAX ||
	    (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
		return crix_error_set(err, CRIX_EINVAL,
		                      "--report-to: '%s' is not an http:// or https:// URL", url);
	if (token == NULL || token[0] == '\0' || strlen(token) > 256 || strchr(token, '\n') ||
	    strchr(token, '\r'))
		return crix_error_set(err, CRIX_EINVAL,
		                      "--report-to needs an API token: --token TOKEN or "
		                      "CRIX_TOKEN in the environment");
	if (where != NULL && strlen(where) >= 128)
		return crix_error_set(err, CRIX_EINVAL,
		                      "--report-where: at most 127 bytes of text");
	struct report_to *r = calloc(1, sizeof *r);
	if (r == NULL || (r->tab = calloc(1024, sizeof *r->tab)) == NULL) {
		free(r);
		return crix_error_set(err, CRIX_ENOMEM, "--report-to: out of memory");
	}
	r->cap = 1024;
	/* the sightings route under the server's base URL */
	snprintf(r->url, sizeof r->url, "%.*s/api/v1/sightings", (int)ul, url);
	snprintf(r->auth, sizeof r->auth, "Authorization: Bearer %s", token);
	snprintf(r->where, sizeof r->where, "%s", where != NULL ? where : "crix scan");
	*out = r;
	return 0;
}

void report_to_free(struct report_to *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->cap; i++)
		free(r->tab[i].key);
	free(r->tab);
	memset(r->auth, 0, sizeof r->auth);
	free(r);
}

static int grow(struct report_to *r)
{
	size_t nc = r->cap * 2;
	struct entry *t = calloc(nc, sizeof *t);
	if (t == NULL)
		return -1;
	for (size_t i = 0; i < r->cap; i++) {
		if (r->tab[i].key == NULL)
			continue;
		size_t j = fnv(r->tab[i].key, strlen(r->tab[i].key), r->tab[i].type) & (nc - 1);
		while (t[j].key != NULL)
			j = (j + 1) & (nc - 1);
		t[j] = r->tab[i];
	}
	free(r->tab);
	r->tab = t;
	r->cap = nc;
	return 0;
}

int report_to_add(struct report_to *r, enum ioc_type t, const char *indicator, size_t len)
{
	if ((r->n + 1) * 2 > r->cap && grow(r) != 0)
		return CRIX_ENOMEM;
	size_t j = fnv(indicator, len, t) & (r->cap - 1);
	while (r->tab[j].key != NULL) {
		struct entry *e = &r->tab[j];
		if (e->type == t && strlen(e->key) == len && memcmp(e->key, indicator, len) == 0) {
			e->count++;
			return 0;
		}
		j = (j + 1) & (r->cap - 1);
	}
	r->tab[j].key = strndup(indicator, len);
	if (r->tab[j].key == NULL)
		return CRIX_ENOMEM;
	r->tab[j].type = t;
	r->tab[j].count = 1;
	r->n++;
	return 0;
}

size_t report_to_count(const struct report_to *r)
{
	return r->n;
}

struct answer {
	char *p;
	size_t n;
	bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb;
	if (a->too_big || a->n + n > ANSWER_MAX) {
		a->too_big = true;
		return 0;
	}
	char *p = realloc(a->p, a->n + n + 1);
	if (p == NULL)
		return 0;
	memcpy(p + a->n, ptr, n);
	a->p = p;
	a->n += n;
	a->p[a->n] = '\0';
	return n;
}

/* POSTs one batch; adds the server's counts. */
static int post(struct report_to *r, json_t *batch, size_t *stored, size_t *unmatched,
                struct crix_error *err)
{
	json_t *body = json_pack("{so}", "sightings", batch);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (text == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "--report-to: out of memory");
	struct answer a = {0};
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, r->auth);
	int rc = 0;
	if (c == NULL || h == NULL) {
		rc = crix_error_set(err, CRIX_ENOMEM, "--report-to: out of memory");
		goto done;
	}
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		rc = crix_error_set(err, CRIX_EIO, "--report-to: %s: %s", r->url,
		                    a.too_big ? "answer too large" : curl_easy_strerror(cc));
		goto done;
	}
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	json_t *j = a.p ? json_loads(a.p, 0, NULL) : NULL;
	if (status != 200) {
		const char *m =
		        json_string_value(json_object_get(json_object_get(j, "error"), "message"));
		rc = crix_error_set(err, CRIX_EIO, "--report-to: %s: HTTP %ld: %s", r->url, status,
		                    m ? m : "(no error message)");
	} else if (!json_is_integer(json_object_get(j, "stored")) ||
	           !json_is_array(json_object_get(j, "unmatched"))) {
		rc = crix_error_set(err, CRIX_EIO,
		                    "--report-to: %s: the answer is not a crix sightings answer",
		                    r->url);
	} else {
		*stored += (size_t)json_integer_value(json_object_get(j, "stored"));
		*unmatched += json_array_size(json_object_get(j, "unmatched"));
	}
	json_decref(j);
done:
	curl_slist_free_all(h);
	if (c != NULL)
		curl_easy_cleanup(c);
	free(a.p);
	free(text);
	return rc;
}

int report_to_send(struct report_to *r, const char *first, const char *last, size_t *stored,
                   size_t *unmatched, struct crix_error *err)
{
	*stored = *unmatched = 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	json_t *batch = NULL;
	int rc = 0;
	for (size_t i = 0; i < r->cap && rc == 0; i++) {
		const struct entry *e = &r->tab[i];
		if (e->key == NULL)
			continue;
		if (batch == NULL && (batch = json_array()) == NULL) {
			rc = crix_error_set(err, CRIX_ENOMEM, "--report-to: out of memory");
			break;
		}
		/* the server caps a count; more hits than that are still that
		 * many sightings' worth */
		json_int_t count = e->count > 999999999u ? 999999999 : (json_int_t)e->count;
		json_array_append_new(batch, json_pack("{ss sI ss ss ss}", "value", e->key, "count",
		                                       count, "first_seen", first, "last_seen",
		                                       last, "where", r->where));
		if (json_array_size(batch) == REPORT_TO_BATCH) {
			rc = post(r, batch, stored, unmatched, err);
			batch = NULL;
		}
	}
	if (rc == 0 && batch != NULL)
		rc = post(r, batch, stored, unmatched, err);
	else
		json_decref(batch);
	curl_global_cleanup();
	return rc;
}
