/*
 * report.c - the rules of reports (see report.h).
 */
#include "model/report.h"

#include "model/audit.h"
#include "model/facts.h"
#include "util/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- reading the input, naming the field at fault ---- */

/* A member that must be absent or an object. */
static int get_object(json_t *in, const char *key, const char *path, json_t **out,
                      struct crix_error *err)
{
	json_t *v = json_object_get(in, key);
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return crix_error_field(err, path, CRIX_EINVAL, "%s: must be an object", path);
	*out = v;
	return 0;
}

/*
 * A text member of at most max bytes of UTF-8 (jansson checks the encoding).
 * OUT: *out, NULL when absent (an error when required).
 */
static int get_text(json_t *in, const char *key, const char *path, size_t max, bool required,
                    const char **out, struct crix_error *err)
{
	json_t *v = in != NULL ? json_object_get(in, key) : NULL;
	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return crix_error_field(err, path, CRIX_EINVAL, "%s: is required", path);
		return 0;
	}
	if (!json_is_string(v))
		return crix_error_field(err, path, CRIX_EINVAL, "%s: must be a string", path);
	size_t n = json_string_length(v);
	/* Past the cap of a long text it is "too large"; a code or a date that
	 * is too long is simply not one. */
	if (n > max)
		return crix_error_field(err, path,
		                        max >= REPORT_FIELD_MAX ? CRIX_ETOOBIG : CRIX_EINVAL,
		                        "%s: longer than %zu bytes", path, max);
	const char *s = json_string_value(v);
	if (strlen(s) != n)
		return crix_error_field(err, path, CRIX_EINVAL, "%s: contains a NUL character",
		                        path);
	if (required && n == 0)
		return crix_error_field(err, path, CRIX_EINVAL, "%s: must not be empty", path);
	*out = s;
	return 0;
}

static int get_bool(json_t *in, const char *key, const char *path, bool *out,
                    struct crix_error *err)
{
	json_t *v = in != NULL ? json_object_get(in, key) : NULL;
	*out = false;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return crix_error_field(err, path, CRIX_EINVAL, "%s: must be true or false", path);
	*out = json_is_true(v);
	return 0;
}

/* Names the field of an error that a lower layer reported. */
static int with_field(struct crix_error *err, const char *field, int rc)
{
	if (err != NULL)
		snprintf(err->field, sizeof err->field, "%s", field);
	return rc;
}

/* Copies s into a fixed field. */
static void copy(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s != NULL ? s : "");
}

/* ---- indicators ---- */

struct found {
	enum ioc_type type;
	char *value;
	char field[64];
};

struct collector {
	struct found *items;
	size_t n, cap;
	bool full;
};

static int collect(struct collector *c, enum ioc_type type, const char *value, const char *field)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].type == type && strcmp(c->items[i].value, value) == 0)
			return 0;
	if (c->n == REPORT_INDICATORS_MAX) {
		c->full = true;
		return 0;
	}
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 16;
		struct found *p = realloc(c->items, nc * sizeof *p);
		if (p == NULL)
			return CRIX_ENOMEM;
		c->items = p;
		c->cap = nc;
	}
	struct found *f = &c->items[c->n];
	f->type = type;
	f->value = strdup(value);
	if (f->value == NULL)
		return CRIX_ENOMEM;
	copy(f->field, sizeof f->field, field);
	c->n++;
	return 0;
}

static void collector_free(struct collector *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].value);
	free(c->items);
	memset(c, 0, sizeof *c);
}

struct extract_arg {
	struct collector *c;
	const char *field;
};

static int on_extract(void *arg, const struct ioc_match *m)
{
	struct extract_arg *a = arg;
	return collect(a->c, m->type, m->value, a->field);
}

/* Every indicator in free text (defanged text too). */
static int extract_text(const struct report_env *env, struct collector *c, const char *text,
                        const char *field, const char *country, struct crix_error *err)
{
	struct ioc_extract_opts o = {.refang = true};
	copy(o.country, sizeof o.country, country);
	struct extract_arg a = {c, field};
	int rc = ioc_extract(env->ioc, text, strlen(text), &o, on_extract, &a, err);
	if (rc == CRIX_ENOMEM)
		return crix_error_set(err, rc, "%s: out of memory extracting indicators", field);
	return rc;
}

/*
 * A suspect's list: each entry must be a string; typed entries (e-mails,
 * phones, web sites) must parse as their type, so that a mistyped value is
 * caught while the victim is still there; free entries (names, accounts that
 * are not IBANs) are kept as text and searched for indicators.
 */
enum list_kind {
	LIST_TEXT,
	LIST_EMAIL,
	LIST_PHONE,
	LIST_WEB,
	LIST_ACCOUNT,
	LIST_WALLET,
	LIST_PROFILE
};

static int suspect_list(const struct report_env *env, json_t *suspect, const char *key,
                        enum list_kind kind, const char *country, struct collector *c,
                        struct crix_error *err)
{
	char path[64];
	snprintf(path, sizeof path, "suspect.%s", key);
	json_t *arr = json_object_get(suspect, key);
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return crix_error_field(err, path, CRIX_EINVAL, "%s: must be a list of strings",
		                        path);
	if (json_array_size(arr) > REPORT_LIST_MAX)
		return crix_error_field(err, path, CRIX_ETOOBIG, "%s: more than %d entries", path,
		                        REPORT_LIST_MAX);
	struct ioc_opts o = {{0}};
	copy(o.country, sizeof o.country, country);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		char item[96];
		snprintf(item, sizeof item, "%s[%zu]", path, i);
		if (!json_is_string(v))
			return crix_error_field(err, item, CRIX_EINVAL, "%s: must be a string",
			                        item);
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		if (n > REPORT_FIELD_MAX)
			return crix_error_field(err, item, CRIX_ETOOBIG, "%s: longer than %d bytes",
			                        item, REPORT_FIELD_MAX);
		if (n == 0 || strlen(s) != n)
			return crix_error_field(err, item, CRIX_EINVAL,
			                        "%s: empty or contains a NUL character", item);
		struct ioc_value val;
		struct crix_error perr = {0};
		int rc = 0;
		/* Victims paste what they were warned about: "evil[.]com",
		 * "x(at)evil(dot)com".  Typed entries are refanged first. */
		char plain[REPORT_FIELD_MAX + 1];
		size_t plen;
		if (kind != LIST_TEXT &&
		    ioc_refang(s, n, plain, sizeof plain, NULL, &plen, NULL) == 0 && plen > 0) {
			plain[plen] = '\0';
			s = plain;
			n = plen;
		}
		switch (kind) {
		case LIST_EMAIL:
			rc = ioc_parse(env->ioc, IOC_EMAIL, s, n, &o, &val, &perr);
			if (rc != 0)
				return crix_error_field(err, item, CRIX_EINVAL,
				                        "%s: '%.64s' is not an e-mail address (%s)",
				                        item, s, perr.msg);
			break;
		case LIST_PHONE:
			rc = ioc_parse(env->ioc, IOC_PHONE, s, n, &o, &val, &perr);
			if (rc != 0)
				return crix_error_field(
				        err, item, CRIX_EINVAL,
				        "%s: '%.64s' is not a phone number (%s); give it with its "
				        "country code, e.g. +44 20 7946 0000",
				        item, s, perr.msg);
			break;
		case LIST_WEB:
			rc = ioc_parse(env->ioc, IOC_URL, s, n, &o, &val, &perr);
			if (rc != 0)
				rc = ioc_parse(env->ioc, IOC_DOMAIN, s, n, &o, &val, &perr);
			if (rc != 0)
				rc = ioc_guess(env->ioc, s, n, &o, &val, &perr);
			if (rc != 0)
				return crix_error_field(
				        err, item, CRIX_EINVAL,
				        "%s: '%.64s' is not a web site address or URL", item, s);
			break;
		case LIST_WALLET:
			rc = ioc_parse(env->ioc, IOC_BTC, s, n, &o, &val, &perr);
			if (rc != 0)
				rc = ioc_parse(env->ioc, IOC_ETH, s, n, &o, &val, &perr);
			/* Other chains are kept as text. */
			break;
		case LIST_ACCOUNT:
			rc = ioc_parse(env->ioc, IOC_IBAN, s, n, &o, &val, &perr);
			/* A sort code and account number is no IBAN: kept as text. */
			break;
		case LIST_PROFILE:
		case LIST_TEXT: rc = -1; break;
		}
		if (rc == 0) {
			if (collect(c, val.type, val.v, path) != 0)
				return crix_error_set(err, CRIX_ENOMEM, "out of memory");
		} else if (kind != LIST_TEXT) {
			rc = extract_text(env, c, s, path, country, err);
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

/* ---- evidence files ---- */

static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_db;

/* The MIME type of data by its content (libmagic), never the client's word. */
static void sniff_mime(const unsigned char *data, size_t len, char out[STORE_NAME_MAX])
{
	copy(out, STORE_NAME_MAX, "application/octet-stream");
	pthread_mutex_lock(&magic_lock);
	if (magic_db == NULL) {
		magic_db = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
		if (magic_db != NULL && magic_load(magic_db, NULL) != 0) {
			magic_close(magic_db);
			magic_db = NULL;
		}
	}
	const char *m = magic_db != NULL ? magic_buffer(magic_db, data, len) : NULL;
	if (m != NULL)
		copy(out, STORE_NAME_MAX, m);
	pthread_mutex_unlock(&magic_lock);
}

static int mkdir_p1(const char *path, struct crix_error *err)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(errno));
	return 0;
}

/*
 * Stores the bytes as data_dir/evidence/ab/abcdef... (by SHA-256), durably
 * (written to a temporary file, fsynced, renamed, directory fsynced) before
 * the transaction that records it commits.  The same file twice is stored
 * once.
 */
static int evidence_save(const char *data_dir, const unsigned char *data, size_t len,
                         char sha_hex[STORE_HEX_MAX], struct crix_error *err)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(sha_hex, STORE_HEX_MAX, h, sizeof h);
	char dir[4096], sub[4200], path[4300];
	snprintf(dir, sizeof dir, "%s/evidence", data_dir);
	snprintf(sub, sizeof sub, "%s/%.2s", dir, sha_hex);
	snprintf(path, sizeof path, "%s/%s", sub, sha_hex);
	int rc = mkdir_p1(dir, err);
	if (rc == 0)
		rc = mkdir_p1(sub, err);
	if (rc != 0)
		return rc;
	struct stat st;
	if (stat(path, &st) == 0 && (size_t)st.st_size == len)
		return 0;
	if (durable_replace(path, data, len, 0600) != 0)
		return crix_error_set(err, CRIX_EIO, "evidence: %s: %s", path, strerror(errno));
	return 0;
}

/* ---- submit ---- */

static const char *const suspect_keys[] = {"names",           "emails",        "phones", "websites",
                                           "social_profiles", "bank_accounts", "wallets"};
static const enum list_kind suspect_kinds[] = {LIST_TEXT,    LIST_EMAIL,   LIST_PHONE, LIST_WEB,
                                               LIST_PROFILE, LIST_ACCOUNT, LIST_WALLET};

/* Keeps only the members of obj named in keys (drops the unknown). */
static int check_members(json_t *obj, const char *path, const char *const *keys, size_t n,
                         struct crix_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		bool known = false;
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(k, keys[i]) == 0;
		if (!known) {
			char f[96];
			/* An empty member name still needs a visible field name. */
			snprintf(f, sizeof f, "%s%s%.40s", path, path[0] ? "." : "",
			         k[0] != '\0' ? k : "\"\"");
			return crix_error_field(err, f, CRIX_EINVAL, "%s: unknown field", f);
		}
	}
	return 0;
}

static const char *const top_keys[] = {"kind",   "category",       "description", "occurred",
                                       "loss",   "payment_method", "situations",  "suspect",
                                       "victim", "consents",       "external_id"};
static const char *const victim_keys[] = {
        "type",    "name",   "organisation", "email",    "phone",         "address",
        "country", "region", "vulnerable",   "age_band", "date_of_birth", "contact_preference",
        "accounts"};
static const char *const consent_keys[] = {"contact", "share_with_law_enforcement",
                                           "share_with_partners"};

struct draft {
	struct store_report r;
	json_t *body;   /* kept for the store: no personal data */
	json_t *victim; /* personal data */
	unsigned situations;
	struct collector found;
};

static void draft_clear(struct draft *d)
{
	json_decref(d->body);
	json_decref(d->victim);
	collector_free(&d->found);
	store_report_clear(&d->r);
}

/* Validates the report and fills the draft. */
static int draft_build(const struct report_env *env, json_t *in, struct draft *d,
                       struct crix_error *err)
{
	if (!json_is_object(in))
		return crix_error_field(err, "", CRIX_EINVAL, "the report must be a JSON object");
	int rc = check_members(in, "", top_keys, sizeof top_keys / sizeof top_keys[0], err);
	if (rc != 0)
		return rc;
	const char *kind, *category, *description, *payment, *external_id;
	if ((rc = get_text(in, "kind", "kind", 32, false, &kind, err)) ||
	    (rc = get_text(in, "category", "category", 64, true, &category, err)) ||
	    (rc = get_text(in, "description", "description", REPORT_TEXT_MAX, true, &description,
	                   err)) ||
	    (rc = get_text(in, "payment_method", "payment_method", 32, false, &payment, err)) ||
	    (rc = get_text(in, "external_id", "external_id", 128, false, &external_id, err)))
		return rc;
	if (kind == NULL)
		kind = "crime";
	if (strcmp(kind, "crime") != 0 && strcmp(kind, "information") != 0)
		return crix_error_field(err, "kind", CRIX_EINVAL,
		                        "kind: '%s' is not 'crime' (something happened) or "
		                        "'information' (an approach that was not acted on)",
		                        kind);
	if (catalogue_offence(env->cat, category) == NULL)
		return crix_error_field(err, "category", CRIX_EINVAL,
		                        "category: '%.64s' is not in the offence catalogue (GET "
		                        "/api/v1/offences lists them)",
		                        category);
	if (payment != NULL && !catalogue_payment_method_known(env->cat, payment))
		return crix_error_field(
		        err, "payment_method", CRIX_EINVAL,
		        "payment_method: '%.32s' is not a known payment method (GET "
		        "/api/v1/offences lists them)",
		        payment);
	struct store_report *r = &d->r;
	copy(r->kind, sizeof r->kind, kind);
	copy(r->category, sizeof r->category, category);
	copy(r->payment_method, sizeof r->payment_method, payment);

	/* When: start and end, each a date or a date and time. */
	json_t *occurred;
	if ((rc = get_object(in, "occurred", "occurred", &occurred, err)))
		return rc;
	if (occurred != NULL) {
		const char *start, *end;
		if ((rc = check_members(occurred, "occurred", (const char *const[]){"start", "end"},
		                        2, err)) ||
		    (rc = get_text(occurred, "start", "occurred.start", 40, false, &start, err)) ||
		    (rc = get_text(occurred, "end", "occurred.end", 40, false, &end, err)))
			return rc;
		int64_t t0 = 0, t1 = 0;
		if (start != NULL &&
		    (rc = clock_parse_iso(start, "occurred.start", r->occurred_start, &t0, err)))
			return with_field(err, "occurred.start", rc);
		if (end != NULL &&
		    (rc = clock_parse_iso(end, "occurred.end", r->occurred_end, &t1, err)))
			return with_field(err, "occurred.end", rc);
		if (start != NULL && end != NULL && t1 < t0)
			return crix_error_field(err, "occurred.end", CRIX_EINVAL,
			                        "occurred.end: is before occurred.start");
		/* A day of slack for time zones and clocks that are off. */
		if (start != NULL && t0 > (int64_t)time(NULL) + 86400)
			return crix_error_field(err, "occurred.start", CRIX_EINVAL,
			                        "occurred.start: is in the future");
	}

	/* Losses: amount in minor units and an ISO 4217 code. */
	json_t *loss;
	if ((rc = get_object(in, "loss", "loss", &loss, err)))
		return rc;
	if (loss != NULL) {
		if ((rc = check_members(loss, "loss",
		                        (const char *const[]){"amount_minor", "currency"}, 2, err)))
			return rc;
		json_t *amt = json_object_get(loss, "amount_minor");
		if (!json_is_integer(amt) || json_integer_value(amt) < 0 ||
		    json_integer_value(amt) > 1000000000000000LL)
			return crix_error_field(err, "loss.amount_minor", CRIX_EINVAL,
			                        "loss.amount_minor: a whole number of minor units "
			                        "(pence, cents) from 0 to 10^15");
		const char *cur;
		if ((rc = get_text(loss, "currency", "loss.currency", 3, true, &cur, err)))
			return rc;
		if (strlen(cur) != 3 || cur[0] < 'A' || cur[0] > 'Z' || cur[1] < 'A' ||
		    cur[1] > 'Z' || cur[2] < 'A' || cur[2] > 'Z')
			return crix_error_field(
			        err, "loss.currency", CRIX_EINVAL,
			        "loss.currency: '%s' is not an ISO 4217 code (e.g. EUR)", cur);
		r->loss_minor = json_integer_value(amt);
		copy(r->currency, sizeof r->currency, cur);
	}

	/* Situations the advice depends on. */
	json_t *sits = json_object_get(in, "situations");
	if (sits != NULL && !json_is_null(sits)) {
		if (!json_is_array(sits) || json_array_size(sits) > 16)
			return crix_error_field(err, "situations", CRIX_EINVAL,
			                        "situations: must be a list of at most 16 names");
		size_t i;
		json_t *v;
		json_array_foreach(sits, i, v)
		{
			unsigned bit;
			char f[48];
			snprintf(f, sizeof f, "situations[%zu]", i);
			if (!json_is_string(v) ||
			    catalogue_situation_parse(json_string_value(v), &bit) != 0)
				return crix_error_field(
				        err, f, CRIX_EINVAL,
				        "%s: not a known situation (GET /api/v1/offences "
				        "lists them)",
				        f);
			d->situations |= bit;
		}
	}
	if (r->loss_minor > 0)
		d->situations |= CATALOGUE_SIT_MONEY_LOST;

	/* The victim: personal data kept apart from the report. */
	json_t *victim;
	if ((rc = get_object(in, "victim", "victim", &victim, err)))
		return rc;
	const char *vtype = "person";
	if (victim != NULL) {
		if ((rc = check_members(victim, "victim", victim_keys,
		                        sizeof victim_keys / sizeof victim_keys[0], err)))
			return rc;
		const char *t, *country, *region, *s;
		bool vul;
		if ((rc = get_text(victim, "type", "victim.type", 32, false, &t, err)) ||
		    (rc = get_text(victim, "country", "victim.country", 8, false, &country, err)) ||
		    (rc = get_text(victim, "region", "victim.region", 63, false, &region, err)) ||
		    (rc = get_bool(victim, "vulnerable", "victim.vulnerable", &vul, err)))
			return rc;
		static const char *const texts[] = {
		        "name",    "organisation", "email",         "phone",
		        "address", "age_band",     "date_of_birth", "contact_preference"};
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			char f[48];
			snprintf(f, sizeof f, "victim.%s", texts[i]);
			if ((rc = get_text(victim, texts[i], f, REPORT_FIELD_MAX, false, &s, err)))
				return rc;
		}
		json_t *acc = json_object_get(victim, "accounts");
		if (acc != NULL && !json_is_null(acc) &&
		    (!json_is_array(acc) || json_array_size(acc) > REPORT_LIST_MAX))
			return crix_error_field(
			        err, "victim.accounts", CRIX_EINVAL,
			        "victim.accounts: must be a list of at most %d entries",
			        REPORT_LIST_MAX);
		size_t ai;
		json_t *av;
		json_array_foreach(acc, ai, av)
		{
			char f[48];
			snprintf(f, sizeof f, "victim.accounts[%zu]", ai);
			if (!json_is_string(av) || json_string_length(av) == 0 ||
			    json_string_length(av) > REPORT_FIELD_MAX ||
			    strlen(json_string_value(av)) != json_string_length(av))
				return crix_error_field(err, f, CRIX_EINVAL,
				                        "%s: a string of 1 to %d bytes", f,
				                        REPORT_FIELD_MAX);
		}
		if (t != NULL) {
			if (strcmp(t, "person") != 0 && strcmp(t, "organisation") != 0)
				return crix_error_field(err, "victim.type", CRIX_EINVAL,
				                        "victim.type: 'person' or 'organisation'");
			vtype = t;
		}
		if (country != NULL) {
			if (strlen(country) != 2 || country[0] < 'A' || country[0] > 'Z' ||
			    country[1] < 'A' || country[1] > 'Z')
				return crix_error_field(err, "victim.country", CRIX_EINVAL,
				                        "victim.country: '%s' is not an ISO 3166-1 "
				                        "alpha-2 code in capitals (e.g. GB)",
				                        country);
			copy(r->country, sizeof r->country, country);
		}
		copy(r->region, sizeof r->region, region);
		r->vulnerable = vul;
		if (vul)
			d->situations |= CATALOGUE_SIT_VULNERABLE;
	}
	copy(r->victim_type, sizeof r->victim_type, vtype);
	if (strcmp(vtype, "organisation") == 0)
		d->situations |= CATALOGUE_SIT_BUSINESS_VICTIM;

	json_t *consents;
	if ((rc = get_object(in, "consents", "consents", &consents, err)))
		return rc;
	if (consents != NULL) {
		if ((rc = check_members(consents, "consents", consent_keys, 3, err)))
			return rc;
		for (size_t i = 0; i < 3; i++) {
			bool b;
			char f[64];
			snprintf(f, sizeof f, "consents.%s", consent_keys[i]);
			if ((rc = get_bool(consents, consent_keys[i], f, &b, err)))
				return rc;
		}
	}

	/* The suspect: every list checked and searched for indicators. */
	json_t *suspect;
	if ((rc = get_object(in, "suspect", "suspect", &suspect, err)))
		return rc;
	if (suspect != NULL) {
		size_t nk = sizeof suspect_keys / sizeof suspect_keys[0];
		if ((rc = check_members(suspect, "suspect", suspect_keys, nk, err)))
			return rc;
		for (size_t i = 0; i < nk; i++)
			if ((rc = suspect_list(env, suspect, suspect_keys[i], suspect_kinds[i],
			                       r->country, &d->found, err)))
				return rc;
	}
	if ((rc = extract_text(env, &d->found, description, "description", r->country, err)))
		return rc;

	/* Split: the victim object is personal data; the rest is the report. */
	d->body = json_deep_copy(in);
	d->victim = victim != NULL ? json_deep_copy(victim) : json_object();
	if (d->body == NULL || d->victim == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	json_object_del(d->body, "victim");
	json_object_set_new(d->body, "kind", json_string(kind));
	return 0;
}

/* The indicators as JSON [{type, value, field}]. */
static json_t *found_json(const struct collector *c)
{
	json_t *a = json_array();
	for (size_t i = 0; a != NULL && i < c->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "type",
		                                   ioc_type_name(c->items[i].type), "value",
		                                   c->items[i].value, "field", c->items[i].field));
	return a;
}

static int store_found(struct store_tx *tx, int64_t report_id, const struct collector *c,
                       struct crix_error *err)
{
	for (size_t i = 0; i < c->n; i++) {
		struct store_indicator ind = {.report_id = report_id, .value = c->items[i].value};
		copy(ind.type, sizeof ind.type, ioc_type_name(c->items[i].type));
		copy(ind.field, sizeof ind.field, c->items[i].field);
		int rc = store_indicator_insert(tx, &ind, err);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Links a stored report's new values into its case.  The report is stored
 * and acknowledged whatever happens here; a failure (out of memory) leaves
 * the case view behind until the next start, which rebuilds it. */
static void link_case(const struct report_env *env, int64_t report, const struct collector *c,
                      bool extend)
{
	if (env->cases == NULL || c->n == 0)
		return;
	struct corr_value *v = malloc(c->n * sizeof *v);
	if (v == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		v[i] = (struct corr_value){(unsigned)c->items[i].type, c->items[i].value,
		                           strlen(c->items[i].value)};
	cases_add(env->cases, report, v, c->n, extend, NULL);
	free(v);
}

static char *dump(json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
}

/* Saves the evidence files and records them, with a custody entry each. */
static int store_files(const struct report_env *env, struct store_tx *tx, int64_t report_id,
                       const char *actor, const struct report_file *files, size_t n, json_t *list,
                       struct crix_error *err)
{
	for (size_t i = 0; i < n; i++) {
		struct store_evidence ev = {.report_id = report_id, .size = (int64_t)files[i].len};
		int rc = evidence_save(env->data_dir, files[i].data, files[i].len, ev.sha256, err);
		if (rc != 0)
			return rc;
		sniff_mime(files[i].data, files[i].len, ev.mime);
		copy(ev.name, sizeof ev.name, files[i].name ? files[i].name : "");
		clock_now_iso(ev.at);
		if ((rc = store_evidence_insert(tx, &ev, err)))
			return rc;
		struct store_custody cu = {.evidence_id = ev.id};
		copy(cu.at, sizeof cu.at, ev.at);
		copy(cu.actor, sizeof cu.actor, actor);
		copy(cu.action, sizeof cu.action, "received");
		snprintf(cu.detail, sizeof cu.detail,
		         "uploaded with the report; sha256 %s, %lld bytes", ev.sha256,
		         (long long)ev.size);
		if ((rc = store_custody_insert(tx, &cu, err)))
			return rc;
		json_array_append_new(list, json_pack("{s:s,s:I,s:s,s:s}", "sha256", ev.sha256,
		                                      "size", (json_int_t)ev.size, "type", ev.mime,
		                                      "name", ev.name));
	}
	return 0;
}

bool report_consented(const char *body, const char *key)
{
	json_t *b = body != NULL ? json_loads(body, 0, NULL) : NULL;
	bool yes = json_is_true(json_object_get(json_object_get(b, "consents"), key));
	json_decref(b);
	return yes;
}

int report_validate(const struct report_env *env, json_t *in, struct crix_error *err)
{
	struct draft d;
	memset(&d, 0, sizeof d);
	int rc = draft_build(env, in, &d, err);
	draft_clear(&d);
	return rc;
}

int report_submit(const struct report_env *env, const struct principal *p, json_t *in,
                  const char *channel, const struct report_file *files, size_t n_files,
                  json_t **receipt, struct crix_error *err)
{
	*receipt = NULL;
	if (n_files > REPORT_EVIDENCE_MAX)
		return crix_error_field(err, "evidence", CRIX_ETOOBIG,
		                        "evidence: more than %d files", REPORT_EVIDENCE_MAX);
	for (size_t i = 0; i < n_files; i++)
		if (files[i].len > REPORT_EVIDENCE_BYTES)
			return crix_error_field(err, "evidence", CRIX_ETOOBIG,
			                        "evidence: '%.64s' is larger than %u MiB",
			                        files[i].name ? files[i].name : "file",
			                        REPORT_EVIDENCE_BYTES >> 20);
	struct draft d;
	memset(&d, 0, sizeof d);
	int rc = draft_build(env, in, &d, err);
	if (rc != 0) {
		draft_clear(&d);
		return rc;
	}
	struct store_report *r = &d.r;
	/* Advice for this case. */
	const struct advice *items[32];
	struct advice_case ac = {r->category, r->payment_method[0] ? r->payment_method : NULL,
	                         d.situations};
	size_t n_adv = catalogue_advise(env->cat, &ac, items, 32);
	json_t *advice = catalogue_advice_json(items, n_adv);
	json_t *found = found_json(&d.found);
	json_t *evlist = json_array();
	char secret[SECRET_TOKEN_MAX];
	secret_token("", secret);
	secret_keyed_hash(env->key, secret, strlen(secret), r->secret_hash);
	clock_now_iso(r->created);
	copy(r->updated, sizeof r->updated, r->created);
	copy(r->status, sizeof r->status, "received");
	copy(r->channel, sizeof r->channel, channel);
	r->org_id = p->authenticated ? p->org_id : 0;
	r->user_id = p->authenticated ? p->user_id : 0;
	r->body = dump(d.body);
	r->victim = dump(d.victim);
	r->advice = advice ? dump(advice) : NULL;
	if (advice == NULL || found == NULL || evlist == NULL || r->body == NULL ||
	    r->victim == NULL || r->advice == NULL) {
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		goto out;
	}
	struct store_tx *tx;
	if ((rc = store_tx_begin(env->store, &tx, err)))
		goto out;
	/* A fresh random reference; on the rare clash, another. */
	int year = (int)(strtol(r->created, NULL, 10) % 100);
	for (int attempt = 0;; attempt++) {
		ref_new(year, r->ref);
		rc = store_report_insert(tx, r, err);
		if (rc != CRIX_EEXIST || attempt == 8)
			break;
	}
	struct store_event ev = {.report_id = r->id, .victim_visible = 1};
	if (rc == 0) {
		copy(ev.at, sizeof ev.at, r->created);
		copy(ev.actor, sizeof ev.actor, p->actor);
		copy(ev.type, sizeof ev.type, "submitted");
		copy(ev.status, sizeof ev.status, "received");
		ev.detail = "Report received.";
		rc = store_event_insert(tx, &ev, err);
	}
	if (rc == 0)
		rc = store_found(tx, r->id, &d.found, err);
	if (rc == 0)
		rc = store_files(env, tx, r->id, p->actor, files, n_files, evlist, err);
	if (rc == 0) {
		char detail[256];
		snprintf(detail, sizeof detail,
		         "channel %s, category %s, %zu indicators, %zu files", channel, r->category,
		         d.found.n, n_files);
		rc = audit_append(tx, p->actor, "report.create", "report", r->ref, detail, err);
	}
	if (rc != 0) {
		store_tx_rollback(tx);
		goto out;
	}
	if ((rc = store_tx_commit(tx, err)))
		goto out;
	link_case(env, r->id, &d.found, false);
	/* Statistics see it at once; a failure marks them for a rebuild. */
	if (env->facts != NULL)
		facts_put_report(env->facts, r, NULL);
	*receipt = json_pack("{s:s,s:s,s:s,s:s,s:s,s:O,s:O,s:O,s:b}", "reference", r->ref,
	                     "tracking_secret", secret, "status", r->status, "created", r->created,
	                     "category", r->category, "advice", advice, "indicators", found,
	                     "evidence", evlist, "indicators_truncated", d.found.full);
	if (*receipt == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
out:
	sodium_memzero(secret, sizeof secret);
	json_decref(advice);
	json_decref(found);
	json_decref(evlist);
	draft_clear(&d);
	return rc;
}

/* ---- the victim's side ---- */

/* Finds the report for a reference and secret.  Both wrong look the same. */
static int victim_report(const struct report_env *env, const char *ref_in, const char *secret,
                         struct store_report *r, struct crix_error *err)
{
	char ref[REF_LEN + 1];
	int rc = ref_parse(ref_in, ref, err);
	if (rc != 0)
		return rc;
	rc = store_report_get(env->store, ref, r, err);
	if (rc == CRIX_ENOTFOUND || (rc == 0 && secret == NULL))
		rc = CRIX_ENOTFOUND;
	if (rc == 0) {
		char h[SECRET_HASH_HEX];
		secret_keyed_hash(env->key, secret, strlen(secret), h);
		if (!secret_equal(h, r->secret_hash))
			rc = CRIX_ENOTFOUND;
	}
	if (rc == CRIX_ENOTFOUND) {
		store_report_clear(r);
		return crix_error_set(err, rc,
		                      "no report with this reference number and tracking secret");
	}
	return rc;
}

int report_track(const struct report_env *env, const char *ref, const char *secret, json_t **out,
                 struct crix_error *err)
{
	struct store_report r;
	*out = NULL;
	int rc = victim_report(env, ref, secret, &r, err);
	if (rc != 0)
		return rc;
	struct store_event *evs;
	size_t n;
	rc = store_event_list(env->store, r.id, 10000, &evs, &n, err);
	if (rc == 0) {
		json_t *hist = json_array();
		size_t additions = 0;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(evs[i].type, "addition") == 0)
				additions++;
			if (!evs[i].victim_visible)
				continue;
			json_t *e = json_pack("{s:s,s:s}", "at", evs[i].at, "type", evs[i].type);
			if (evs[i].status[0])
				json_object_set_new(e, "status", json_string(evs[i].status));
			if (evs[i].detail != NULL && strcmp(evs[i].type, "addition") != 0)
				json_object_set_new(e, "note", json_string(evs[i].detail));
			json_array_append_new(hist, e);
		}
		json_t *adv = json_loads(r.advice, 0, NULL);
		*out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:o}", "reference", r.ref,
		                 "status", r.status, "category", r.category, "kind", r.kind,
		                 "created", r.created, "updated", r.updated, "history", hist,
		                 "additions", (json_int_t)additions, "advice",
		                 adv ? adv : json_array());
		if (r.outcome[0])
			json_object_set_new(*out, "outcome", json_string(r.outcome));
		store_event_array_free(evs, n);
		if (*out == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	store_report_clear(&r);
	return rc;
}

int report_add(const struct report_env *env, const char *ref, const char *secret, json_t *in,
               json_t **out, struct crix_error *err)
{
	struct store_report r;
	*out = NULL;
	int rc = victim_report(env, ref, secret, &r, err);
	if (rc != 0)
		return rc;
	struct collector c = {0};
	const char *text = NULL;
	json_t *suspect = NULL;
	if (!json_is_object(in))
		rc = crix_error_field(err, "", CRIX_EINVAL, "the addition must be a JSON object");
	if (rc == 0)
		rc = check_members(in, "", (const char *const[]){"text", "suspect"}, 2, err);
	if (rc == 0)
		rc = get_text(in, "text", "text", REPORT_TEXT_MAX, false, &text, err);
	if (rc == 0)
		rc = get_object(in, "suspect", "suspect", &suspect, err);
	if (rc == 0 && text == NULL && suspect == NULL)
		rc = crix_error_field(err, "text", CRIX_EINVAL,
		                      "text: is required (or suspect): what do you want to add?");
	if (rc == 0 && suspect != NULL) {
		size_t nk = sizeof suspect_keys / sizeof suspect_keys[0];
		rc = check_members(suspect, "suspect", suspect_keys, nk, err);
		for (size_t i = 0; rc == 0 && i < nk; i++)
			rc = suspect_list(env, suspect, suspect_keys[i], suspect_kinds[i],
			                  r.country, &c, err);
	}
	if (rc == 0 && text != NULL)
		rc = extract_text(env, &c, text, "addition", r.country, err);
	char *detail = rc == 0 ? dump(in) : NULL;
	if (rc == 0 && detail == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	struct store_tx *tx = NULL;
	struct store_event ev = {.report_id = r.id, .victim_visible = 1, .detail = detail};
	if (rc == 0)
		rc = store_tx_begin(env->store, &tx, err);
	if (rc == 0) {
		clock_now_iso(ev.at);
		copy(ev.actor, sizeof ev.actor, "victim");
		copy(ev.type, sizeof ev.type, "addition");
		rc = store_event_insert(tx, &ev, err);
		if (rc == 0)
			rc = store_found(tx, r.id, &c, err);
		if (rc == 0)
			rc = store_report_touch(tx, r.id, ev.at, err);
		if (rc == 0)
			rc = audit_append(tx, "victim", "report.add", "report", r.ref, NULL, err);
		if (rc == 0)
			rc = store_tx_commit(tx, err);
		else
			store_tx_rollback(tx);
	}
	if (rc == 0)
		link_case(env, r.id, &c, true);
	if (rc == 0) {
		*out = json_pack("{s:s,s:s,s:o}", "reference", r.ref, "added", ev.at, "indicators",
		                 found_json(&c));
		if (*out == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	}
	free(detail);
	collector_free(&c);
	store_report_clear(&r);
	return rc;
}

/* ---- the staff side ---- */

/* The report row as staff see it, without the victim's personal data. */
static json_t *staff_summary(const struct store_report *r)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "reference", r->ref, "kind",
	                      r->kind, "category", r->category, "status", r->status, "created",
	                      r->created, "updated", r->updated, "channel", r->channel,
	                      "victim_type", r->victim_type, "vulnerable", r->vulnerable);
	if (o == NULL)
		return NULL;
	if (r->outcome[0])
		json_object_set_new(o, "outcome", json_string(r->outcome));
	if (r->loss_minor > 0 || r->currency[0])
		json_object_set_new(o, "loss",
		                    json_pack("{s:I,s:s}", "amount_minor",
		                              (json_int_t)r->loss_minor, "currency", r->currency));
	if (r->payment_method[0])
		json_object_set_new(o, "payment_method", json_string(r->payment_method));
	if (r->country[0])
		json_object_set_new(o, "country", json_string(r->country));
	if (r->region[0])
		json_object_set_new(o, "region", json_string(r->region));
	if (r->occurred_start[0] || r->occurred_end[0]) {
		json_t *occ = json_object();
		if (r->occurred_start[0])
			json_object_set_new(occ, "start", json_string(r->occurred_start));
		if (r->occurred_end[0])
			json_object_set_new(occ, "end", json_string(r->occurred_end));
		json_object_set_new(o, "occurred", occ);
	}
	if (r->org_id != 0)
		json_object_set_new(o, "submitted_by_org", json_integer(r->org_id));
	return o;
}

/* Loads a report a principal may read (CRIX_EACCES for one it may not). */
static int staff_report(const struct report_env *env, const struct principal *p, const char *ref_in,
                        struct store_report *r, struct crix_error *err)
{
	char ref[REF_LEN + 1];
	int rc = ref_parse(ref_in, ref, err);
	if (rc != 0)
		return rc;
	if ((rc = store_report_get(env->store, ref, r, err)))
		return rc;
	if (!account_may_read_report(p, r)) {
		store_report_clear(r);
		return crix_error_set(err, CRIX_EACCES, "you may not read report %s", ref);
	}
	return 0;
}

int report_view(const struct report_env *env, const struct principal *p, const char *ref,
                bool with_victim, json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (with_victim && !account_may_see_victim(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "victims' personal data is for law-enforcement investigators "
		                      "and admins only");
	struct store_report r;
	int rc = staff_report(env, p, ref, &r, err);
	if (rc != 0)
		return rc;
	json_t *o = staff_summary(&r);
	struct store_event *evs = NULL;
	struct store_indicator *inds = NULL;
	struct store_evidence *files = NULL;
	size_t ne = 0, ni = 0, nf = 0;
	if (o == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	if (rc == 0)
		rc = store_event_list(env->store, r.id, 10000, &evs, &ne, err);
	if (rc == 0)
		rc = store_indicator_list(env->store, r.id, 10000, &inds, &ni, err);
	if (rc == 0)
		rc = store_evidence_list(env->store, r.id, &files, &nf, err);
	if (rc == 0) {
		json_t *body = json_loads(r.body, 0, NULL);
		json_t *adv = json_loads(r.advice, 0, NULL);
		json_object_set_new(o, "report", body ? body : json_object());
		json_object_set_new(o, "advice", adv ? adv : json_array());
		json_t *a = json_array();
		for (size_t i = 0; i < ne; i++) {
			json_t *e = json_pack("{s:s,s:s,s:s,s:b}", "at", evs[i].at, "actor",
			                      evs[i].actor, "type", evs[i].type, "victim_visible",
			                      evs[i].victim_visible);
			if (evs[i].status[0])
				json_object_set_new(e, "status", json_string(evs[i].status));
			if (evs[i].detail != NULL) {
				json_t *d = strcmp(evs[i].type, "addition") == 0
				                    ? json_loads(evs[i].detail, 0, NULL)
				                    : NULL;
				json_object_set_new(e, "detail",
				                    d ? d : json_string(evs[i].detail));
			}
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "events", a);
		a = json_array();
		for (size_t i = 0; i < ni; i++)
			json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "type", inds[i].type,
			                                   "value", inds[i].value, "field",
			                                   inds[i].field));
		json_object_set_new(o, "indicators", a);
		a = json_array();
		for (size_t i = 0; i < nf; i++)
			json_array_append_new(a, json_pack("{s:s,s:I,s:s,s:s,s:s}", "sha256",
			                                   files[i].sha256, "size",
			                                   (json_int_t)files[i].size, "type",
			                                   files[i].mime, "name", files[i].name,
			                                   "at", files[i].at));
		json_object_set_new(o, "evidence", a);
	}
	if (rc == 0 && with_victim) {
		/* Reading personal data is itself recorded, before it is shown. */
		struct store_tx *tx;
		rc = store_tx_begin(env->store, &tx, err);
		if (rc == 0) {
			rc = audit_append(tx, p->actor, "report.read-victim", "report", r.ref, NULL,
			                  err);
			rc = rc == 0 ? store_tx_commit(tx, err) : (store_tx_rollback(tx), rc);
		}
		json_t *v = json_loads(r.victim, 0, NULL);
		if (rc == 0)
			json_object_set_new(o, "victim", v ? v : json_object());
		else
			json_decref(v);
	}
	store_event_array_free(evs, ne);
	store_indicator_array_free(inds, ni);
	free(files);
	store_report_clear(&r);
	if (rc != 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int report_list(const struct report_env *env, const struct principal *p,
                const struct store_report_filter *f, int64_t before, size_t limit, json_t **out,
                struct crix_error *err)
{
	*out = NULL;
	if (!account_may_read_reports(p))
		return crix_error_set(err, CRIX_EACCES, "listing reports needs a staff account");
	struct store_report_filter mine = *f;
	/* Businesses and NGOs see what their own organisation submitted. */
	struct store_report probe = {.org_id = -1};
	if (!account_may_read_report(p, &probe))
		mine.org_id = p->org_id;
	struct store_report *rows;
	size_t n;
	int rc = store_report_list(env->store, &mine, before, limit, &rows, &n, err);
	if (rc != 0)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, staff_summary(&rows[i]));
	json_t *next = n == limit && n > 0 ? json_integer(rows[n - 1].id) : json_null();
	store_report_array_free(rows, n);
	*out = json_pack("{s:o,s:o}", "reports", a, "next", next);
	return *out ? 0 : crix_error_set(err, CRIX_ENOMEM, "out of memory");
}

int report_case(const struct report_env *env, const struct principal *p, const char *ref,
                json_t **out, struct crix_error *err)
{
	*out = NULL;
	/* Cases join reports from everyone: staff of the reporting side only. */
	struct store_report probe = {.org_id = -1};
	if (!account_may_read_report(p, &probe))
		return crix_error_set(
		        err, CRIX_EACCES,
		        "cases are for staff of law-enforcement, CERT and public-sector "
		        "organisations");
	if (env->cases == NULL)
		return crix_error_set(err, CRIX_ENOTFOUND, "correlation is not running");
	struct store_report r;
	int rc = staff_report(env, p, ref, &r, err);
	if (rc != 0)
		return rc;
	struct store_indicator *inds = NULL;
	size_t ni = 0;
	rc = store_indicator_list(env->store, r.id, 10000, &inds, &ni, err);
	struct corr_value *v = rc == 0 ? malloc((ni ? ni : 1) * sizeof *v) : NULL;
	if (rc == 0 && v == NULL)
		rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < ni; i++)
		v[i] = (struct corr_value){(unsigned)ioc_type_from_name(inds[i].type),
		                           inds[i].value, strlen(inds[i].value)};
	if (rc == 0)
		rc = cases_view(env->cases, env->store, r.id, v, ni, out, err);
	if (rc == 0)
		json_object_set_new(*out, "reference", json_string(r.ref));
	free(v);
	store_indicator_array_free(inds, ni);
	store_report_clear(&r);
	return rc;
}

static const char *const statuses[] = {"received",     "triaged", "under-review",
                                       "disseminated", "outcome", "closed"};

bool report_status_known(const char *status)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(status, statuses[i]) == 0)
			return true;
	return false;
}

static bool move_allowed(const char *from, const char *to)
{
	static const char *const moves[][2] = {
	        {"received", "triaged"},          {"triaged", "under-review"},
	        {"under-review", "disseminated"}, {"disseminated", "outcome"},
	        {"received", "closed"},           {"triaged", "closed"},
	        {"under-review", "closed"},
	};
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (strcmp(moves[i][0], from) == 0 && strcmp(moves[i][1], to) == 0)
			return true;
	return false;
}

/* Appends an event (and its audit entry) in its own transaction. */
/*
 * Appends an event (and its audit entry) and, when given, an internal note
 * with it, in one transaction: a status change and its note stand or fall
 * together.
 */
static int add_event(const struct report_env *env, const struct principal *p,
                     const struct store_report *r, struct store_event *ev, const char *status,
                     const char *outcome, const char *action, struct store_event *note,
                     struct crix_error *err)
{
	struct store_tx *tx;
	int rc = store_tx_begin(env->store, &tx, err);
	if (rc != 0)
		return rc;
	clock_now_iso(ev->at);
	copy(ev->actor, sizeof ev->actor, p->actor);
	ev->report_id = r->id;
	rc = store_event_insert(tx, ev, err);
	if (rc == 0)
		rc = status != NULL ? store_report_set_status(tx, r->id, r->status, status, outcome,
		                                              ev->at, err)
		                    : store_report_touch(tx, r->id, ev->at, err);
	if (rc == 0) {
		char detail[96];
		snprintf(detail, sizeof detail, "%s%s%s", status ? status : ev->type,
		         outcome && outcome[0] ? " " : "", outcome ? outcome : "");
		rc = audit_append(tx, p->actor, action, "report", r->ref, detail, err);
	}
	if (rc == 0 && note != NULL) {
		copy(note->at, sizeof note->at, ev->at);
		copy(note->actor, sizeof note->actor, p->actor);
		note->report_id = r->id;
		rc = store_event_insert(tx, note, err);
		if (rc == 0)
			rc = audit_append(tx, p->actor, "report.note", "report", r->ref, "note",
			                  err);
	}
	if (rc != 0) {
		store_tx_rollback(tx);
		return rc;
	}
	rc = store_tx_commit(tx, err);
	if (rc == 0 && status != NULL && env->facts != NULL)
		facts_set_status(env->facts, r->id, status, outcome, NULL);
	return rc;
}

int report_set_status(const struct report_env *env, const struct principal *p, const char *ref,
                      json_t *in, json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (!account_may_work_reports(p))
		return crix_error_set(
		        err, CRIX_EACCES,
		        "changing a report's status needs an analyst, investigator or "
		        "admin of a reporting-centre organisation");
	const char *status, *outcome, *note, *victim_note;
	int rc;
	if (!json_is_object(in))
		return crix_error_field(err, "", CRIX_EINVAL, "the body must be a JSON object");
	if ((rc = check_members(in, "",
	                        (const char *const[]){"status", "outcome", "note", "victim_note"},
	                        4, err)) ||
	    (rc = get_text(in, "status", "status", 32, true, &status, err)) ||
	    (rc = get_text(in, "outcome", "outcome", 32, false, &outcome, err)) ||
	    (rc = get_text(in, "note", "note", REPORT_TEXT_MAX, false, &note, err)) ||
	    (rc = get_text(in, "victim_note", "victim_note", REPORT_TEXT_MAX, false, &victim_note,
	                   err)))
		return rc;
	if (!report_status_known(status))
		return crix_error_field(err, "status", CRIX_EINVAL,
		                        "status: '%.32s' is not one of received, triaged, "
		                        "under-review, disseminated, outcome, closed",
		                        status);
	if (strcmp(status, "outcome") == 0) {
		if (outcome == NULL ||
		    (strcmp(outcome, "judicial") != 0 && strcmp(outcome, "non-judicial") != 0 &&
		     strcmp(outcome, "no-further-action") != 0))
			return crix_error_field(err, "outcome", CRIX_EINVAL,
			                        "outcome: one of judicial, non-judicial, "
			                        "no-further-action");
		if (!account_may_record_outcome(p))
			return crix_error_set(
			        err, CRIX_EACCES,
			        "outcomes are recorded by law-enforcement investigators");
	} else if (outcome != NULL) {
		return crix_error_field(err, "outcome", CRIX_EINVAL,
		                        "outcome: only with status 'outcome'");
	}
	struct store_report r;
	if ((rc = staff_report(env, p, ref, &r, err)))
		return rc;
	if (!move_allowed(r.status, status)) {
		rc = crix_error_field(err, "status", CRIX_EEXIST,
		                      "status: a report that is '%s' cannot become '%s'", r.status,
		                      status);
		store_report_clear(&r);
		return rc;
	}
	/* The victim sees the status change, with the victim note if any; the
	 * internal note stays with staff. */
	struct store_event ev = {.victim_visible = 1, .detail = (char *)victim_note};
	copy(ev.type, sizeof ev.type, "status");
	copy(ev.status, sizeof ev.status, status);
	struct store_event n2 = {.victim_visible = 0, .detail = (char *)note};
	copy(n2.type, sizeof n2.type, "note");
	rc = add_event(env, p, &r, &ev, status, outcome ? outcome : "", "report.status",
	               note != NULL ? &n2 : NULL, err);
	if (rc == 0) {
		*out = json_pack("{s:s,s:s}", "reference", r.ref, "status", status);
		if (*out != NULL && outcome != NULL)
			json_object_set_new(*out, "outcome", json_string(outcome));
	}
	store_report_clear(&r);
	return rc;
}

int report_move_tx(const struct report_env *env, struct store_tx *tx, const struct principal *p,
                   const struct store_report *r, const char *from, const char *status,
                   const char *outcome, const char *victim_note, struct crix_error *err)
{
	(void)env;
	if (!account_may_work_reports(p) || !account_may_read_report(p, r))
		return crix_error_set(err, CRIX_EACCES, "report %s: you may not change its status",
		                      r->ref);
	if (!move_allowed(from, status))
		return crix_error_set(err, CRIX_EEXIST,
		                      "report %s: a report that is '%s' cannot become '%s'", r->ref,
		                      from, status);
	if ((strcmp(status, "outcome") == 0) != (outcome != NULL))
		return crix_error_field(err, "outcome", CRIX_EINVAL,
		                        "outcome: with status 'outcome' and only then");
	struct store_event ev = {.victim_visible = 1, .detail = (char *)victim_note};
	copy(ev.type, sizeof ev.type, "status");
	copy(ev.status, sizeof ev.status, status);
	clock_now_iso(ev.at);
	copy(ev.actor, sizeof ev.actor, p->actor);
	ev.report_id = r->id;
	struct crix_error e = {0};
	int rc = store_event_insert(tx, &ev, &e);
	if (rc == 0)
		rc = store_report_set_status(tx, r->id, from, status, outcome ? outcome : "", ev.at,
		                             &e);
	if (rc == 0) {
		char detail[96];
		snprintf(detail, sizeof detail, "%s%s%s", status, outcome ? " " : "",
		         outcome ? outcome : "");
		rc = audit_append(tx, p->actor, "report.status", "report", r->ref, detail, &e);
	}
	if (rc != 0) /* the message names the report: one of many in the transaction */
		return crix_error_set(err, rc, "report %s: %s", r->ref, e.msg);
	return 0;
}

void report_moved(const struct report_env *env, int64_t id, const char *status, const char *outcome)
{
	if (env->facts != NULL)
		facts_set_status(env->facts, id, status, outcome, NULL);
}

int report_note(const struct report_env *env, const struct principal *p, const char *ref,
                json_t *in, json_t **out, struct crix_error *err)
{
	*out = NULL;
	if (!account_may_work_reports(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "notes are written by analysts, investigators and admins of "
		                      "a reporting-centre organisation");
	const char *text;
	bool vis;
	int rc;
	if (!json_is_object(in))
		return crix_error_field(err, "", CRIX_EINVAL, "the body must be a JSON object");
	if ((rc = check_members(in, "", (const char *const[]){"text", "victim_visible"}, 2, err)) ||
	    (rc = get_text(in, "text", "text", REPORT_TEXT_MAX, true, &text, err)) ||
	    (rc = get_bool(in, "victim_visible", "victim_visible", &vis, err)))
		return rc;
	struct store_report r;
	if ((rc = staff_report(env, p, ref, &r, err)))
		return rc;
	struct store_event ev = {.victim_visible = vis, .detail = (char *)text};
	copy(ev.type, sizeof ev.type, "note");
	rc = add_event(env, p, &r, &ev, NULL, NULL, "report.note", NULL, err);
	if (rc == 0)
		*out = json_pack("{s:s,s:s,s:b}", "reference", r.ref, "at", ev.at, "victim_visible",
		                 vis);
	store_report_clear(&r);
	return rc;
}

int report_evidence_get(const struct report_env *env, const struct principal *p, const char *ref,
                        const char *sha256, unsigned char **data, size_t *len,
                        char mime_out[STORE_NAME_MAX], struct crix_error *err)
{
	*data = NULL;
	*len = 0;
	if (!account_may_see_victim(p))
		return crix_error_set(err, CRIX_EACCES,
		                      "evidence files are for law-enforcement investigators and "
		                      "admins only");
	struct store_report r;
	int rc = staff_report(env, p, ref, &r, err);
	if (rc != 0)
		return rc;
	struct store_evidence *files;
	size_t nf;
	rc = store_evidence_list(env->store, r.id, &files, &nf, err);
	const struct store_evidence *hit = NULL;
	for (size_t i = 0; rc == 0 && i < nf; i++)
		if (strcmp(files[i].sha256, sha256) == 0)
			hit = &files[i];
	if (rc == 0 && hit == NULL)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "report %s has no evidence file %.64s",
		                    r.ref, sha256);
	if (rc == 0) {
		char path[4400];
		snprintf(path, sizeof path, "%s/evidence/%.2s/%s", env->data_dir, hit->sha256,
		         hit->sha256);
		FILE *f = fopen(path, "rb");
		unsigned char *buf = malloc((size_t)hit->size + 1);
		size_t got = f && buf ? fread(buf, 1, (size_t)hit->size + 1, f) : 0;
		if (f)
			fclose(f);
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[STORE_HEX_MAX];
		crypto_hash_sha256(h, buf ? buf : (const unsigned char *)"", got);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		if (buf == NULL || got != (size_t)hit->size || strcmp(hex, hit->sha256) != 0) {
			free(buf);
			rc = crix_error_set(
			        err, CRIX_EIO,
			        "evidence %s: the stored file is missing or does not match "
			        "its SHA-256",
			        hit->sha256);
		} else {
			*data = buf;
			*len = got;
			copy(mime_out, STORE_NAME_MAX, hit->mime);
		}
	}
	if (rc == 0) {
		struct store_tx *tx;
		rc = store_tx_begin(env->store, &tx, err);
		if (rc == 0) {
			struct store_custody cu = {.evidence_id = hit->id};
			clock_now_iso(cu.at);
			copy(cu.actor, sizeof cu.actor, p->actor);
			copy(cu.action, sizeof cu.action, "viewed");
			copy(cu.detail, sizeof cu.detail, "downloaded through the API");
			rc = store_custody_insert(tx, &cu, err);
			if (rc == 0)
				rc = audit_append(tx, p->actor, "evidence.read", "evidence",
				                  hit->sha256, r.ref, err);
			rc = rc == 0 ? store_tx_commit(tx, err) : (store_tx_rollback(tx), rc);
		}
		if (rc != 0) {
			free(*data);
			*data = NULL;
			*len = 0;
		}
	}
	free(files);
	store_report_clear(&r);
	return rc;
}
