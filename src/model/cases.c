#include "model/cases.h"

#include "ioc/ioc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CASE_LIST_MAX 200

struct cases {
	pthread_mutex_t lock;
	struct corr *corr;
	struct warnlist *warn;
};

static bool on_warnlist(void *arg, unsigned type, const char *value, size_t len)
{
	return warnlist_holds(arg, type, value, len, NULL);
}

/*
 * The values a report links by: its own, and for each URL its host as a
 * domain or address, so that "https://fake-shop.com/sale" in one report and
 * "fake-shop.com" in another join.  Canonical URLs have canonical hosts
 * (lower case, A-labels, RFC 5952), so the text compares as is.  OUT: a new
 * array (free()) of *m values pointing into vals' strings.
 */
static struct corr_value *with_hosts(const struct corr_value *vals, size_t n, size_t *m)
{
	struct corr_value *out = malloc((2 * n + 1) * sizeof *out);
	if (out == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		out[k++] = vals[i];
		if (vals[i].type != IOC_URL)
			continue;
		const char *s = vals[i].value, *end = s + vals[i].len;
		const char *p = memchr(s, ':', vals[i].len);
		if (p == NULL || end - p < 3 || p[1] != '/' || p[2] != '/')
			continue;
		const char *h = p + 3, *e = h;
		unsigned type = IOC_DOMAIN;
		if (h < end && *h == '[') {
			const char *close = memchr(h, ']', (size_t)(end - h));
			if (close == NULL)
				continue;
			h++;
			e = close;
			type = IOC_IPV6;
		} else {
			bool digits = true;
			while (e < end && *e != '/' && *e != ':' && *e != '?' && *e != '#') {
				digits = digits && ((*e >= '0' && *e <= '9') || *e == '.');
				e++;
			}
			if (digits)
				type = IOC_IPV4;
		}
		/* crix's canonical URLs keep no user@ before the host; be safe */
		if (e > h && memchr(h, '@', (size_t)(e - h)) == NULL)
			out[k++] = (struct corr_value){type, h, (size_t)(e - h)};
	}
	*m = k;
	return out;
}

int cases_add(struct cases *k, int64_t report, const struct corr_value *given, size_t n_given,
              bool extend, struct crix_error *err)
{
	size_t n;
	struct corr_value *vals = with_hosts(given, n_given, &n);
	if (vals == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
	if (report <= 0 || report >= UINT32_MAX) {
		free(vals);
		return crix_error_set(err, CRIX_ETOOBIG, "cases: report id %lld out of range",
		                      (long long)report);
	}
	pthread_mutex_lock(&k->lock);
	uint32_t r = (uint32_t)report;
	/* A report with no values was never added: its first values add it. */
	int rc = extend && corr_case(k->corr, r) != 0 ? corr_extend(k->corr, r, vals, n, err)
	                                              : corr_add(k->corr, r, vals, n, NULL, err);
	pthread_mutex_unlock(&k->lock);
	free(vals);
	return rc;
}

int cases_open(struct store *s, uint32_t over_common, struct warnlist *warn, struct cases **out,
               uint64_t *indicators, struct crix_error *err)
{
	struct cases *k = calloc(1, sizeof *k);
	*out = NULL;
	*indicators = 0;
	if (k == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
	pthread_mutex_init(&k->lock, NULL);
	k->warn = warn;
	struct corr_opts o = {.over_common = over_common,
	                      .allowed = warn != NULL ? on_warnlist : NULL,
	                      .allowed_arg = warn};
	int rc = corr_new(&o, &k->corr, err);
	int64_t after = 0;
	struct corr_value *vals = NULL;
	size_t cap = 0;
	/* Rows come in insertion order: a report's values are together, and an
	 * addition's come later as a group of their own. */
	while (rc == 0) {
		struct store_indicator *page;
		size_t n;
		rc = store_indicator_scan(s, after, 10000, &page, &n, &after, err);
		if (rc != 0 || n == 0)
			break;
		if (n > cap) {
			free(vals);
			cap = n;
			vals = malloc(cap * sizeof *vals);
			if (vals == NULL) {
				store_indicator_array_free(page, n);
				rc = crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
				break;
			}
		}
		for (size_t i = 0; rc == 0 && i < n;) {
			size_t j = i;
			while (j < n && page[j].report_id == page[i].report_id) {
				vals[j - i] = (struct corr_value){
				        (unsigned)ioc_type_from_name(page[j].type), page[j].value,
				        strlen(page[j].value)};
				j++;
			}
			rc = cases_add(k, page[i].report_id, vals, j - i, true, err);
			i = j;
		}
		*indicators += n;
		store_indicator_array_free(page, n);
	}
	free(vals);
	if (rc != 0) {
		cases_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

void cases_free(struct cases *k)
{
	if (k == NULL)
		return;
	corr_free(k->corr);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

int64_t cases_of(struct cases *k, int64_t report, uint32_t *size)
{
	uint32_t r = report > 0 && report < UINT32_MAX ? (uint32_t)report : 0;
	pthread_mutex_lock(&k->lock);
	uint32_t first = corr_case(k->corr, r), n = corr_case_size(k->corr, r);
	pthread_mutex_unlock(&k->lock);
	if (size != NULL)
		*size = n ? n : 1;
	return first ? first : report;
}

int cases_view(struct cases *k, struct store *s, int64_t report, const struct corr_value *given,
               size_t n_given, json_t **out, struct crix_error *err)
{
	size_t n;
	struct corr_value *vals = with_hosts(given, n_given, &n);
	if (vals == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "cases: out of memory");
	uint32_t members[CASE_LIST_MAX];
	uint32_t r = report > 0 && report < UINT32_MAX ? (uint32_t)report : 0;
	json_t *shared = json_array();
	pthread_mutex_lock(&k->lock);
	uint32_t size = corr_case_size(k->corr, r), first = corr_case(k->corr, r);
	size_t nm = corr_case_members(k->corr, r, members, CASE_LIST_MAX);
	for (size_t i = 0; i < n; i++) {
		struct corr_value_info vi;
		if (corr_value_info(k->corr, vals[i].type, vals[i].value, vals[i].len, &vi) != 0 ||
		    vi.reports < 2)
			continue;
		json_t *e = json_pack("{s:s,s:s%,s:I,s:b,s:b}", "type",
		                      ioc_type_name((enum ioc_type)vals[i].type), "value",
		                      vals[i].value, vals[i].len, "reports", (json_int_t)vi.reports,
		                      "over_common", vi.over_common, "allowed", vi.allowed);
		const char *list;
		if (e != NULL && vi.allowed &&
		    warnlist_holds(k->warn, vals[i].type, vals[i].value, vals[i].len, &list) &&
		    list != NULL)
			json_object_set_new(e, "warning_list", json_string(list));
		json_array_append_new(shared, e);
	}
	pthread_mutex_unlock(&k->lock);
	free(vals);
	if (size == 0) { /* a report without indicators is a case of its own */
		size = 1;
		first = r;
		members[0] = r;
		nm = 1;
	}
	char ref[STORE_REF_MAX], status[STORE_SHORT_MAX], first_ref[STORE_REF_MAX] = "";
	json_t *list = json_array();
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < nm; i++) {
		rc = store_report_ref(s, members[i], ref, status, err);
		if (rc == 0)
			json_array_append_new(
			        list, json_pack("{s:s,s:s}", "reference", ref, "status", status));
	}
	if (rc == 0)
		rc = store_report_ref(s, first, first_ref, status, err);
	if (rc != 0) {
		json_decref(list);
		json_decref(shared);
		return rc;
	}
	*out = json_pack("{s:{s:s,s:I,s:o,s:b},s:o}", "case", "id", first_ref, "size",
	                 (json_int_t)size, "reports", list, "truncated", size > nm, "shared",
	                 shared);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}
