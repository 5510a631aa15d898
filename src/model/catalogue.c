/*
 * catalogue.c - loading, validating and querying the offence and advice
 * catalogues (formats in docs/catalogue.md).
 *
 * Everything the catalogue hands out is copied out of the jansson documents
 * into one arena at load time, so the documents are released before
 * catalogue_load returns and a loaded catalogue is plain immutable memory:
 * many threads may query it at once with no locks and no reference counts.
 *
 * The advice entries are sorted once at load (urgency, then priority, then
 * id), so choosing advice is one pass over them with no allocation.
 */
#include "model/catalogue.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CODE_MAX       64   /* longest code or id */
#define PRIORITY_LIMIT 1000 /* priorities run from -PRIORITY_LIMIT to PRIORITY_LIMIT */
#define ARENA_BLOCK    (64u * 1024)
#define N_SITUATIONS   8
#define NO_INDEX       SIZE_MAX

/* The fixed situation vocabulary, bit i is situation_codes[i]. */
static const char *const situation_codes[N_SITUATIONS] = {
        "money-lost",           "still-in-contact", "account-compromised", "device-compromised",
        "personal-data-shared", "vulnerable",       "business-victim",     "threatened",
};

static const char *const urgencies[] = {"now", "soon", "info"};
static const char *const groups[] = {"fraud", "cyber", "other"};

/* ---------------------------------------------------------------- arena -- */

struct block {
	struct block *next;
	size_t used, cap;
	max_align_t data[]; /* cap bytes */
};

static void *arena_alloc(struct block **head, size_t n)
{
	size_t align = alignof(max_align_t);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - align)
		return NULL;
	n = (n + align - 1) & ~(align - 1);
	struct block *b = *head;
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = malloc(sizeof *b + cap);
		if (b == NULL)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = *head;
		*head = b;
	}
	char *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

static char *arena_strdup(struct block **head, const char *s, size_t len)
{
	char *p = arena_alloc(head, len + 1);
	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* ------------------------------------------------------------ catalogue -- */

struct payment_method {
	const char *code, *name;
};

struct advice_entry {
	struct advice a;
	const size_t *cats; /* offence indexes; n_cats == 0: any in-scope category */
	size_t n_cats;
	const size_t *pms; /* payment method indexes; n_pms == 0: any */
	size_t n_pms;
	unsigned sit;     /* situations that must all hold */
	int rank;         /* index of a.urgency in urgencies */
	const char *file; /* where it was defined, for duplicate messages */
	size_t entry;
};

struct catalogue {
	struct block *arena;
	struct offence *offences;
	unsigned *implied;        /* per offence: situations the category implies */
	struct advice *referrals; /* per offence: the referral when out of scope */
	size_t n_offences;
	struct payment_method *pms;
	size_t n_pms;
	const char *situation_names[N_SITUATIONS];
	struct advice_entry *advice; /* malloc'd, sorted after load */
	size_t n_advice, cap_advice;
};

/* --------------------------------------------------------------- errors -- */

/* Where in the data a problem is, so that every message names it the same
 * way: "file: [list ]entry N (code): field: problem". */
struct where {
	struct crix_error *err;
	const char *file;
	const char *list; /* NULL for the file's main list */
	size_t entry;     /* from 1; 0 when not inside an entry */
	const char *code; /* the entry's code or id once known */
};

__attribute__((format(printf, 3, 4))) static int bad(const struct where *w, const char *field,
                                                     const char *fmt, ...)
{
	char problem[CRIX_ERRMSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);

	char at[CRIX_ERRMSG_MAX] = "";
	if (w->entry > 0) {
		snprintf(at, sizeof at, "%s%sentry %zu%s%s%s: ", w->list ? w->list : "",
		         w->list ? " " : "", w->entry, w->code ? " (" : "", w->code ? w->code : "",
		         w->code ? ")" : "");
	} else if (w->list != NULL) {
		snprintf(at, sizeof at, "%s: ", w->list);
	}
	if (field != NULL)
		return crix_error_set(w->err, CRIX_EINVAL, "%s: %s%s: %s", w->file, at, field,
		                      problem);
	return crix_error_set(w->err, CRIX_EINVAL, "%s: %s%s", w->file, at, problem);
}

static int nomem(struct crix_error *err)
{
	return crix_error_set(err, CRIX_ENOMEM, "catalogue: out of memory");
}

/* ----------------------------------------------------------- file input -- */

/* Reads a whole regular file of at most CATALOGUE_FILE_MAX bytes and parses
 * it as JSON, rejecting duplicate object keys. */
static int load_json(const char *path, json_t **out, struct crix_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return crix_error_set(err, CRIX_EIO, "%s: not a regular file", path);
	}
	if (st.st_size > (off_t)CATALOGUE_FILE_MAX) {
		close(fd);
		return crix_error_set(err, CRIX_ETOOBIG, "%s: larger than the limit of %u bytes",
		                      path, CATALOGUE_FILE_MAX);
	}
	/* One byte more than the cap, to notice a file that grew since fstat. */
	size_t cap = (size_t)st.st_size + 1;
	char *buf = malloc(cap);
	if (buf == NULL) {
		close(fd);
		return nomem(err);
	}
	size_t len = 0;
	for (;;) {
		if (len == cap) {
			if (cap > CATALOGUE_FILE_MAX) {
				free(buf);
				close(fd);
				return crix_error_set(err, CRIX_ETOOBIG,
				                      "%s: larger than the limit of %u bytes", path,
				                      CATALOGUE_FILE_MAX);
			}
			size_t ncap =
			        cap * 2 > CATALOGUE_FILE_MAX + 1 ? CATALOGUE_FILE_MAX + 1 : cap * 2;
			char *nbuf = realloc(buf, ncap);
			if (nbuf == NULL) {
				free(buf);
				close(fd);
				return nomem(err);
			}
			buf = nbuf;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return crix_error_set(err, CRIX_EIO, "%s: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);

	json_error_t jerr;
	json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (doc == NULL)
		return crix_error_set(err, CRIX_EINVAL, "%s: line %d column %d: not valid JSON: %s",
		                      path, jerr.line, jerr.column, jerr.text);
	*out = doc;
	return 0;
}

/* --------------------------------------------------------- field checks -- */

/* Lower-case kebab: [a-z0-9]+(-[a-z0-9]+)*, at most CODE_MAX bytes. */
static int kebab_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CODE_MAX || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '-') {
			if (s[i + 1] == '-')
				return 0;
		} else if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
			return 0;
		}
	}
	return 1;
}

/* A taxonomy value "class:type": two non-empty parts of [a-z0-9&-]. */
static int taxon_ok(const char *s)
{
	const char *colon = strchr(s, ':');
	if (colon == NULL || colon == s || colon[1] == '\0' || strchr(colon + 1, ':') != NULL)
		return 0;
	for (const char *p = s; *p; p++) {
		char ch = *p;
		if (p != colon && !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		                    ch == '-' || ch == '&'))
			return 0;
	}
	return 1;
}

static int word_index(const char *const *words, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], s) == 0)
			return (int)i;
	return -1;
}

/* Fails on a key of o that is not in allowed (NULL-terminated).  "comment"
 * is always allowed, so that data files can explain themselves. */
static int check_keys(const struct where *w, const char *prefix, json_t *o,
                      const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		(void)v;
		int ok = strcmp(key, "comment") == 0;
		for (size_t i = 0; !ok && allowed[i] != NULL; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok) {
			char field[CRIX_ERRMSG_MAX];
			snprintf(field, sizeof field, "%s%s", prefix, key);
			return bad(w, field, "unknown field");
		}
	}
	return 0;
}

enum { REQUIRED = 0, OPTIONAL = 1 };

/* OUT: *out, an arena copy of the non-empty string o[key] (NULL when the
 * field is optional and absent).  field is the name used in messages. */
static int get_string(struct catalogue *c, const struct where *w, json_t *o, const char *key,
                      const char *field, int optional, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (v == NULL) {
		if (optional)
			return 0;
		return bad(w, field, "missing");
	}
	if (!json_is_string(v))
		return bad(w, field, "must be a string");
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (len == 0)
		return bad(w, field, "must not be empty");
	if (strlen(s) != len)
		return bad(w, field, "must not contain a NUL character");
	char *copy = arena_strdup(&c->arena, s, len);
	if (copy == NULL)
		return nomem(w->err);
	*out = copy;
	return 0;
}

/* A code or id: a string in lower-case kebab. */
static int get_code(struct catalogue *c, const struct where *w, json_t *o, const char *key,
                    const char **out)
{
	int rc = get_string(c, w, o, key, key, REQUIRED, out);
	if (rc != 0)
		return rc;
	if (!kebab_ok(*out))
		return bad(w, key,
		           "\"%s\" must be lower-case letters, digits and single hyphens "
		           "(at most %d characters)",
		           *out, CODE_MAX);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* OUT: *arts, *n: the article numbers in o[key], each within lo..hi, no
 * repeats, sorted ascending. */
static int get_articles(struct catalogue *c, const struct where *w, json_t *o, const char *key,
                        int lo, int hi, const int **arts, size_t *n)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return bad(w, key, "missing");
	if (!json_is_array(v))
		return bad(w, key, "must be an array of article numbers");
	size_t len = json_array_size(v);
	int *a = arena_alloc(&c->arena, len * sizeof *a);
	if (a == NULL)
		return nomem(w->err);
	for (size_t i = 0; i < len; i++) {
		json_t *x = json_array_get(v, i);
		if (!json_is_integer(x))
			return bad(w, key, "must be an array of article numbers");
		json_int_t art = json_integer_value(x);
		if (art < lo || art > hi)
			return bad(w, key, "article %lld is not one of %d to %d", (long long)art,
			           lo, hi);
		for (size_t j = 0; j < i; j++)
			if (a[j] == art)
				return bad(w, key, "article %lld is listed twice", (long long)art);
		a[i] = (int)art;
	}
	qsort(a, len, sizeof *a, cmp_int);
	*arts = a;
	*n = len;
	return 0;
}

/* OUT: *mask, the situations named in the array o[key] (0 when absent). */
static int get_situations(const struct where *w, json_t *o, const char *key, const char *field,
                          unsigned *mask)
{
	*mask = 0;
	json_t *v = json_object_get(o, key);
	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(w, field, "must be a non-empty array of situation codes");
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x))
			return bad(w, field, "must be a non-empty array of situation codes");
		unsigned bit;
		if (catalogue_situation_parse(json_string_value(x), &bit) != 0)
			return bad(w, field, "unknown situation \"%s\"", json_string_value(x));
		if (*mask & bit)
			return bad(w, field, "situation \"%s\" is listed twice",
			           json_string_value(x));
		*mask |= bit;
	}
	return 0;
}

/* ------------------------------------------------------------- offences -- */

static size_t offence_index(const struct catalogue *c, const char *code)
{
	if (code == NULL)
		return NO_INDEX;
	for (size_t i = 0; i < c->n_offences; i++)
		if (strcmp(c->offences[i].code, code) == 0)
			return i;
	return NO_INDEX;
}

static size_t pm_index(const struct catalogue *c, const char *code)
{
	if (code == NULL)
		return NO_INDEX;
	for (size_t i = 0; i < c->n_pms; i++)
		if (strcmp(c->pms[i].code, code) == 0)
			return i;
	return NO_INDEX;
}

/* The advice an out-of-scope category answers with first: where to go. */
static int make_referral(struct catalogue *c, const struct where *w, size_t i)
{
	const struct offence *off = &c->offences[i];
	struct advice *r = &c->referrals[i];
	char buf[4096];
	int n = snprintf(buf, sizeof buf, "refer-%s", off->code);
	if ((r->id = arena_strdup(&c->arena, buf, (size_t)n)) == NULL)
		return nomem(w->err);
	n = snprintf(buf, sizeof buf, "Contact %s", off->refer_name);
	if (n < 0 || (size_t)n >= sizeof buf)
		return bad(w, "refer.name", "too long");
	if ((r->title = arena_strdup(&c->arena, buf, (size_t)n)) == NULL)
		return nomem(w->err);
	if (strncmp(off->refer_url, "tel:", 4) == 0)
		n = snprintf(buf, sizeof buf, "%s Call %s.", off->refer_why, off->refer_url + 4);
	else
		n = snprintf(buf, sizeof buf, "%s Go to %s", off->refer_why, off->refer_url);
	if (n < 0 || (size_t)n >= sizeof buf)
		return bad(w, "refer.why", "too long");
	if ((r->text = arena_strdup(&c->arena, buf, (size_t)n)) == NULL)
		return nomem(w->err);
	r->urgency = urgencies[0];
	r->priority = PRIORITY_LIMIT + 1; /* above anything the data can say */
	return 0;
}

static int parse_refer(struct catalogue *c, const struct where *w, json_t *o, struct offence *off)
{
	json_t *r = json_object_get(o, "refer");
	if (off->in_scope) {
		if (r != NULL)
			return bad(w, "refer", "only allowed when in_scope is false");
		return 0;
	}
	if (r == NULL)
		return bad(w, "refer", "missing (required when in_scope is false)");
	if (!json_is_object(r))
		return bad(w, "refer", "must be an object with name, url and why");
	static const char *const keys[] = {"name", "url", "why", NULL};
	int rc = check_keys(w, "refer.", r, keys);
	if (rc == 0)
		rc = get_string(c, w, r, "name", "refer.name", REQUIRED, &off->refer_name);
	if (rc == 0)
		rc = get_string(c, w, r, "url", "refer.url", REQUIRED, &off->refer_url);
	if (rc == 0)
		rc = get_string(c, w, r, "why", "refer.why", REQUIRED, &off->refer_why);
	if (rc != 0)
		return rc;
	const char *u = off->refer_url;
	if ((strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0 &&
	     strncmp(u, "tel:", 4) != 0) ||
	    strpbrk(u, " \t\r\n\"<>") != NULL)
		return bad(w, "refer.url", "\"%s\" must be an https://, http:// or tel: address",
		           u);
	return 0;
}

static int parse_offence(struct catalogue *c, struct where *w, json_t *o, size_t i)
{
	struct offence *off = &c->offences[i];
	if (!json_is_object(o))
		return bad(w, NULL, "must be an object");
	int rc = get_code(c, w, o, "code", &off->code);
	if (rc != 0)
		return rc;
	w->code = off->code;
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->offences[j].code, off->code) == 0)
			return bad(w, "code", "duplicate of entry %zu", j + 1);
	static const char *const keys[] = {"code",     "name",       "description", "group",
	                                   "rsit",     "europol",    "directive",   "budapest",
	                                   "in_scope", "situations", "refer",       NULL};
	rc = check_keys(w, "", o, keys);
	if (rc == 0)
		rc = get_string(c, w, o, "name", "name", REQUIRED, &off->name);
	if (rc == 0)
		rc = get_string(c, w, o, "description", "description", REQUIRED, &off->description);
	if (rc == 0)
		rc = get_string(c, w, o, "group", "group", REQUIRED, &off->group);
	if (rc != 0)
		return rc;
	if (word_index(groups, sizeof groups / sizeof groups[0], off->group) < 0)
		return bad(w, "group", "\"%s\" must be fraud, cyber or other", off->group);
	rc = get_string(c, w, o, "rsit", "rsit", REQUIRED, &off->rsit);
	if (rc != 0)
		return rc;
	if (!taxon_ok(off->rsit))
		return bad(w, "rsit", "\"%s\" must be \"class:type\"", off->rsit);
	rc = get_string(c, w, o, "europol", "europol", REQUIRED, &off->europol);
	if (rc != 0)
		return rc;
	if (!taxon_ok(off->europol))
		return bad(w, "europol", "\"%s\" must be \"class:type\"", off->europol);
	rc = get_articles(c, w, o, "directive", 3, 8, &off->directive, &off->n_directive);
	if (rc == 0)
		rc = get_articles(c, w, o, "budapest", 2, 10, &off->budapest, &off->n_budapest);
	if (rc != 0)
		return rc;
	json_t *s = json_object_get(o, "in_scope");
	if (s == NULL)
		return bad(w, "in_scope", "missing");
	if (!json_is_boolean(s))
		return bad(w, "in_scope", "must be true or false");
	off->in_scope = json_is_true(s);
	rc = get_situations(w, o, "situations", "situations", &c->implied[i]);
	if (rc == 0)
		rc = parse_refer(c, w, o, off);
	if (rc == 0 && !off->in_scope)
		rc = make_referral(c, w, i);
	return rc;
}

static int parse_payment_methods(struct catalogue *c, struct where *w, json_t *v)
{
	w->list = "payment_methods";
	if (v == NULL)
		return bad(w, NULL, "missing");
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(w, NULL, "must be a non-empty array");
	c->n_pms = json_array_size(v);
	c->pms = arena_alloc(&c->arena, c->n_pms * sizeof *c->pms);
	if (c->pms == NULL)
		return nomem(w->err);
	for (size_t i = 0; i < c->n_pms; i++) {
		json_t *o = json_array_get(v, i);
		w->entry = i + 1;
		w->code = NULL;
		if (!json_is_object(o))
			return bad(w, NULL, "must be an object with code and name");
		int rc = get_code(c, w, o, "code", &c->pms[i].code);
		if (rc != 0)
			return rc;
		w->code = c->pms[i].code;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->pms[j].code, c->pms[i].code) == 0)
				return bad(w, "code", "duplicate of entry %zu", j + 1);
		static const char *const keys[] = {"code", "name", NULL};
		rc = check_keys(w, "", o, keys);
		if (rc == 0)
			rc = get_string(c, w, o, "name", "name", REQUIRED, &c->pms[i].name);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The situation vocabulary is fixed in code (the bits); the file gives each
 * its display name, and must name every one of them exactly once. */
static int parse_situations(struct catalogue *c, struct where *w, json_t *v)
{
	w->list = "situations";
	w->entry = 0;
	if (v == NULL)
		return bad(w, NULL, "missing");
	if (!json_is_array(v))
		return bad(w, NULL, "must be an array");
	size_t i;
	json_t *o;
	json_array_foreach(v, i, o)
	{
		w->entry = i + 1;
		w->code = NULL;
		if (!json_is_object(o))
			return bad(w, NULL, "must be an object with code and name");
		const char *code;
		int rc = get_code(c, w, o, "code", &code);
		if (rc != 0)
			return rc;
		unsigned bit;
		if (catalogue_situation_parse(code, &bit) != 0)
			return bad(w, "code", "unknown situation \"%s\"", code);
		w->code = code;
		int b = __builtin_ctz(bit);
		if (c->situation_names[b] != NULL)
			return bad(w, "code", "listed twice");
		static const char *const keys[] = {"code", "name", NULL};
		rc = check_keys(w, "", o, keys);
		if (rc == 0)
			rc = get_string(c, w, o, "name", "name", REQUIRED, &c->situation_names[b]);
		if (rc != 0)
			return rc;
	}
	w->entry = 0;
	for (int b = 0; b < N_SITUATIONS; b++)
		if (c->situation_names[b] == NULL)
			return bad(w, NULL, "\"%s\" is missing", situation_codes[b]);
	return 0;
}

static int load_offences(struct catalogue *c, const char *path, struct crix_error *err)
{
	json_t *doc;
	int rc = load_json(path, &doc, err);
	if (rc != 0)
		return rc;
	struct where w = {err, path, NULL, 0, NULL};
	if (!json_is_object(doc)) {
		rc = bad(&w, NULL,
		         "must be an object with offences, payment_methods and "
		         "situations");
		goto out;
	}
	static const char *const keys[] = {"offences", "payment_methods", "situations", NULL};
	if ((rc = check_keys(&w, "", doc, keys)) != 0)
		goto out;
	json_t *list = json_object_get(doc, "offences");
	if (list == NULL || !json_is_array(list) || json_array_size(list) == 0) {
		rc = bad(&w, "offences", list == NULL ? "missing" : "must be a non-empty array");
		goto out;
	}
	c->n_offences = json_array_size(list);
	c->offences = arena_alloc(&c->arena, c->n_offences * sizeof *c->offences);
	c->implied = arena_alloc(&c->arena, c->n_offences * sizeof *c->implied);
	c->referrals = arena_alloc(&c->arena, c->n_offences * sizeof *c->referrals);
	if (c->offences == NULL || c->implied == NULL || c->referrals == NULL) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < c->n_offences; i++) {
		w.entry = i + 1;
		w.code = NULL;
		if ((rc = parse_offence(c, &w, json_array_get(list, i), i)) != 0)
			goto out;
	}
	w.code = NULL;
	w.entry = 0;
	rc = parse_payment_methods(c, &w, json_object_get(doc, "payment_methods"));
	if (rc == 0)
		rc = parse_situations(c, &w, json_object_get(doc, "situations"));
out:
	json_decref(doc);
	return rc;
}

/* --------------------------------------------------------------- advice -- */

/* OUT: *idx, *n: the indexes of the codes in the array o[key], each looked up
 * with find; absent leaves *n at 0 (any). */
static int get_code_list(struct catalogue *c, const struct where *w, json_t *o, const char *key,
                         const char *field, const char *what,
                         size_t (*find)(const struct catalogue *, const char *), const size_t **idx,
                         size_t *n)
{
	json_t *v = json_object_get(o, key);
	*idx = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(w, field,
		           "must be a non-empty array of %s codes (leave it out to mean "
		           "any)",
		           what);
	size_t len = json_array_size(v);
	size_t *a = arena_alloc(&c->arena, len * sizeof *a);
	if (a == NULL)
		return nomem(w->err);
	for (size_t i = 0; i < len; i++) {
		json_t *x = json_array_get(v, i);
		if (!json_is_string(x))
			return bad(w, field, "must be a non-empty array of %s codes", what);
		const char *s = json_string_value(x);
		a[i] = find(c, s);
		if (a[i] == NO_INDEX)
			return bad(w, field, "unknown %s \"%s\"", what, s);
		for (size_t j = 0; j < i; j++)
			if (a[j] == a[i])
				return bad(w, field, "%s \"%s\" is listed twice", what, s);
	}
	*idx = a;
	*n = len;
	return 0;
}

static int parse_advice(struct catalogue *c, struct where *w, json_t *o, struct advice_entry *e)
{
	if (!json_is_object(o))
		return bad(w, NULL, "must be an object");
	int rc = get_code(c, w, o, "id", &e->a.id);
	if (rc != 0)
		return rc;
	w->code = e->a.id;
	if (strncmp(e->a.id, "refer-", 6) == 0)
		return bad(w, "id", "the prefix refer- is kept for referrals");
	for (size_t j = 0; j < c->n_advice; j++)
		if (strcmp(c->advice[j].a.id, e->a.id) == 0)
			return bad(w, "id", "duplicate of %s entry %zu", c->advice[j].file,
			           c->advice[j].entry);
	static const char *const keys[] = {"id",   "title",    "text", "urgency",
	                                   "when", "priority", NULL};
	rc = check_keys(w, "", o, keys);
	if (rc == 0)
		rc = get_string(c, w, o, "title", "title", REQUIRED, &e->a.title);
	if (rc == 0)
		rc = get_string(c, w, o, "text", "text", REQUIRED, &e->a.text);
	if (rc == 0)
		rc = get_string(c, w, o, "urgency", "urgency", REQUIRED, &e->a.urgency);
	if (rc != 0)
		return rc;
	e->rank = word_index(urgencies, sizeof urgencies / sizeof urgencies[0], e->a.urgency);
	if (e->rank < 0)
		return bad(w, "urgency", "\"%s\" must be now, soon or info", e->a.urgency);
	e->a.urgency = urgencies[e->rank];

	json_t *p = json_object_get(o, "priority");
	if (p == NULL)
		return bad(w, "priority", "missing");
	if (!json_is_integer(p) || json_integer_value(p) < -PRIORITY_LIMIT ||
	    json_integer_value(p) > PRIORITY_LIMIT)
		return bad(w, "priority", "must be an integer from %d to %d", -PRIORITY_LIMIT,
		           PRIORITY_LIMIT);
	e->a.priority = (int)json_integer_value(p);

	json_t *when = json_object_get(o, "when");
	if (when == NULL)
		return 0;
	if (!json_is_object(when))
		return bad(w, "when", "must be an object");
	static const char *const wkeys[] = {"categories", "payment_methods", "situations", NULL};
	rc = check_keys(w, "when.", when, wkeys);
	if (rc == 0)
		rc = get_code_list(c, w, when, "categories", "when.categories", "category",
		                   offence_index, &e->cats, &e->n_cats);
	if (rc == 0)
		rc = get_code_list(c, w, when, "payment_methods", "when.payment_methods",
		                   "payment method", pm_index, &e->pms, &e->n_pms);
	if (rc == 0)
		rc = get_situations(w, when, "situations", "when.situations", &e->sit);
	return rc;
}

static int load_advice_file(struct catalogue *c, const char *path, struct crix_error *err)
{
	json_t *doc;
	int rc = load_json(path, &doc, err);
	if (rc != 0)
		return rc;
	struct where w = {err, NULL, NULL, 0, NULL};
	if ((w.file = arena_strdup(&c->arena, path, strlen(path))) == NULL) {
		rc = nomem(err);
		goto out;
	}
	if (!json_is_object(doc)) {
		rc = bad(&w, NULL, "must be an object with an advice array");
		goto out;
	}
	static const char *const keys[] = {"advice", NULL};
	if ((rc = check_keys(&w, "", doc, keys)) != 0)
		goto out;
	json_t *list = json_object_get(doc, "advice");
	if (list == NULL || !json_is_array(list)) {
		rc = bad(&w, "advice", list == NULL ? "missing" : "must be an array");
		goto out;
	}
	size_t n = json_array_size(list);
	if (n > c->cap_advice - c->n_advice) {
		size_t ncap = c->n_advice + n + 16;
		struct advice_entry *na = realloc(c->advice, ncap * sizeof *na);
		if (na == NULL) {
			rc = nomem(err);
			goto out;
		}
		c->advice = na;
		c->cap_advice = ncap;
	}
	for (size_t i = 0; i < n; i++) {
		struct advice_entry *e = &c->advice[c->n_advice];
		memset(e, 0, sizeof *e);
		e->file = w.file;
		e->entry = i + 1;
		w.entry = i + 1;
		w.code = NULL;
		if ((rc = parse_advice(c, &w, json_array_get(list, i), e)) != 0)
			goto out;
		c->n_advice++;
	}
out:
	json_decref(doc);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of dir's *.json files, sorted, so that load order (and thus
 * which of two duplicates is reported) does not depend on the file system. */
static int list_json_files(const char *dir, char ***out, size_t *n, struct crix_error *err)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return crix_error_set(err, CRIX_EIO, "%s: %s", dir, strerror(errno));
	char **names = NULL;
	size_t count = 0;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (count == CATALOGUE_ADVICE_FILES_MAX) {
			rc = crix_error_set(err, CRIX_ETOOBIG, "%s: more than %d advice files", dir,
			                    CATALOGUE_ADVICE_FILES_MAX);
			break;
		}
		char **nn = realloc(names, (count + 1) * sizeof *nn);
		char *copy = strdup(de->d_name);
		if (nn == NULL || copy == NULL) {
			free(copy);
			if (nn != NULL)
				names = nn;
			rc = nomem(err);
			break;
		}
		names = nn;
		names[count++] = copy;
	}
	closedir(d);
	if (rc != 0) {
		for (size_t i = 0; i < count; i++)
			free(names[i]);
		free(names);
		return rc;
	}
	if (count > 0)
		qsort(names, count, sizeof *names, cmp_name);
	*out = names;
	*n = count;
	return 0;
}

static int load_advice_dir(struct catalogue *c, const char *dir, struct crix_error *err)
{
	char **names = NULL;
	size_t n = 0;
	int rc = list_json_files(dir, &names, &n, err);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[4096];
		int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (len < 0 || (size_t)len >= sizeof path)
			rc = crix_error_set(err, CRIX_EINVAL, "%s/%s: path too long", dir,
			                    names[i]);
		else
			rc = load_advice_file(c, path, err);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Urgency (now first), then priority (higher first), then id. */
static int cmp_advice(const void *a, const void *b)
{
	const struct advice_entry *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->a.priority != y->a.priority)
		return x->a.priority > y->a.priority ? -1 : 1;
	return strcmp(x->a.id, y->a.id);
}

static int contains(const size_t *a, size_t n, size_t v)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == v)
			return 1;
	return 0;
}

/* Does entry e apply to offence cat (NO_INDEX: unknown), payment method pm
 * (NO_INDEX: none or unknown) and situations sit? */
static int applies(const struct catalogue *c, const struct advice_entry *e, size_t cat, size_t pm,
                   unsigned sit)
{
	if (e->n_cats == 0) {
		if (cat != NO_INDEX && !c->offences[cat].in_scope)
			return 0;
	} else if (cat == NO_INDEX || !contains(e->cats, e->n_cats, cat)) {
		return 0;
	}
	if (e->n_pms != 0 && (pm == NO_INDEX || !contains(e->pms, e->n_pms, pm)))
		return 0;
	return (e->sit & sit) == e->sit;
}

/* The promise that every in-scope category gets some advice, even with no
 * payment method and no situation, is checked here rather than hoped for. */
static int check_coverage(const struct catalogue *c, const char *dir, struct crix_error *err)
{
	for (size_t i = 0; i < c->n_offences; i++) {
		if (!c->offences[i].in_scope)
			continue;
		int found = 0;
		for (size_t j = 0; j < c->n_advice && !found; j++)
			found = applies(c, &c->advice[j], i, NO_INDEX, c->implied[i]);
		if (!found)
			return crix_error_set(
			        err, CRIX_EINVAL,
			        "%s: no advice for category \"%s\" without a payment "
			        "method or situation: add an entry with no conditions",
			        dir, c->offences[i].code);
	}
	return 0;
}

int catalogue_load(const char *dir, struct catalogue **out, struct crix_error *err)
{
	*out = NULL;
	if (dir == NULL)
		return crix_error_set(err, CRIX_EINVAL, "catalogue: no directory given");
	char offences[4096], advice[4096];
	int n1 = snprintf(offences, sizeof offences, "%s/offences.json", dir);
	int n2 = snprintf(advice, sizeof advice, "%s/advice", dir);
	if (n1 < 0 || (size_t)n1 >= sizeof offences || n2 < 0 || (size_t)n2 >= sizeof advice)
		return crix_error_set(err, CRIX_EINVAL, "%s: path too long", dir);

	struct catalogue *c = calloc(1, sizeof *c);
	if (c == NULL)
		return nomem(err);
	int rc = load_offences(c, offences, err);
	if (rc == 0)
		rc = load_advice_dir(c, advice, err);
	if (rc == 0 && c->n_advice > 0)
		qsort(c->advice, c->n_advice, sizeof *c->advice, cmp_advice);
	if (rc == 0)
		rc = check_coverage(c, advice, err);
	if (rc != 0) {
		catalogue_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void catalogue_free(struct catalogue *c)
{
	if (c == NULL)
		return;
	struct block *b = c->arena;
	while (b != NULL) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(c->advice);
	free(c);
}

/* -------------------------------------------------------------- queries -- */

size_t catalogue_offence_count(const struct catalogue *c)
{
	return c ? c->n_offences : 0;
}

const struct offence *catalogue_offence_at(const struct catalogue *c, size_t i)
{
	if (c == NULL || i >= c->n_offences)
		return NULL;
	return &c->offences[i];
}

const struct offence *catalogue_offence(const struct catalogue *c, const char *code)
{
	if (c == NULL)
		return NULL;
	size_t i = offence_index(c, code);
	return i == NO_INDEX ? NULL : &c->offences[i];
}

int catalogue_payment_method_known(const struct catalogue *c, const char *code)
{
	return c != NULL && pm_index(c, code) != NO_INDEX;
}

const char *catalogue_payment_method_name(const struct catalogue *c, const char *code)
{
	if (c == NULL)
		return NULL;
	size_t i = pm_index(c, code);
	return i == NO_INDEX ? NULL : c->pms[i].name;
}

int catalogue_situation_parse(const char *name, unsigned *bit)
{
	if (name == NULL)
		return CRIX_EINVAL;
	int i = word_index(situation_codes, N_SITUATIONS, name);
	if (i < 0)
		return CRIX_EINVAL;
	*bit = 1u << i;
	return 0;
}

const char *catalogue_situation_name(unsigned bit)
{
	if (bit == 0 || (bit & (bit - 1)) != 0 || bit > (1u << (N_SITUATIONS - 1)))
		return NULL;
	return situation_codes[__builtin_ctz(bit)];
}

size_t catalogue_advise(const struct catalogue *c, const struct advice_case *ac,
                        const struct advice **out, size_t max)
{
	if (c == NULL || ac == NULL || out == NULL || max == 0)
		return 0;
	size_t cat = offence_index(c, ac->category);
	size_t pm = pm_index(c, ac->payment_method);
	unsigned sit = ac->situations & CATALOGUE_SIT_ALL;
	size_t n = 0;
	if (cat != NO_INDEX) {
		sit |= c->implied[cat];
		if (!c->offences[cat].in_scope)
			out[n++] = &c->referrals[cat];
	}
	for (size_t i = 0; i < c->n_advice && n < max; i++)
		if (applies(c, &c->advice[i], cat, pm, sit))
			out[n++] = &c->advice[i].a;
	return n;
}

/* ----------------------------------------------------------------- JSON -- */

/* Sets o[k] to v (consumed); a NULL v or a failure marks *ok false. */
static void put(json_t *o, const char *k, json_t *v, int *ok)
{
	if (v == NULL || json_object_set_new(o, k, v) != 0)
		*ok = 0;
}

static json_t *int_array(const int *a, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr != NULL && i < n; i++) {
		if (json_array_append_new(arr, json_integer(a[i])) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *situation_array(unsigned mask)
{
	json_t *arr = json_array();
	for (int b = 0; arr != NULL && b < N_SITUATIONS; b++) {
		if (!(mask & (1u << b)))
			continue;
		if (json_array_append_new(arr, json_string(situation_codes[b])) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *offence_json(const struct catalogue *c, size_t i)
{
	const struct offence *off = &c->offences[i];
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	int ok = 1;
	put(o, "code", json_string(off->code), &ok);
	put(o, "name", json_string(off->name), &ok);
	put(o, "description", json_string(off->description), &ok);
	put(o, "group", json_string(off->group), &ok);
	put(o, "rsit", json_string(off->rsit), &ok);
	put(o, "europol", json_string(off->europol), &ok);
	put(o, "directive", int_array(off->directive, off->n_directive), &ok);
	put(o, "budapest", int_array(off->budapest, off->n_budapest), &ok);
	put(o, "in_scope", json_boolean(off->in_scope), &ok);
	put(o, "situations", situation_array(c->implied[i]), &ok);
	if (!off->in_scope) {
		json_t *r = json_object();
		if (r != NULL) {
			put(r, "name", json_string(off->refer_name), &ok);
			put(r, "url", json_string(off->refer_url), &ok);
			put(r, "why", json_string(off->refer_why), &ok);
		}
		put(o, "refer", r, &ok);
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *code_name(const char *code, const char *name)
{
	json_t *o = json_object();
	int ok = o != NULL;
	if (ok) {
		put(o, "code", json_string(code), &ok);
		put(o, "name", json_string(name), &ok);
	}
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *catalogue_offences_json(const struct catalogue *c)
{
	if (c == NULL)
		return NULL;
	json_t *root = json_object(), *offs = json_array(), *pms = json_array(),
	       *sits = json_array();
	int ok = root != NULL && offs != NULL && pms != NULL && sits != NULL;
	for (size_t i = 0; ok && i < c->n_offences; i++)
		ok = json_array_append_new(offs, offence_json(c, i)) == 0;
	for (size_t i = 0; ok && i < c->n_pms; i++)
		ok = json_array_append_new(pms, code_name(c->pms[i].code, c->pms[i].name)) == 0;
	for (int b = 0; ok && b < N_SITUATIONS; b++)
		ok = json_array_append_new(
		             sits, code_name(situation_codes[b], c->situation_names[b])) == 0;
	if (!ok) {
		json_decref(root);
		json_decref(offs);
		json_decref(pms);
		json_decref(sits);
		return NULL;
	}
	put(root, "offences", offs, &ok);
	put(root, "payment_methods", pms, &ok);
	put(root, "situations", sits, &ok);
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}

json_t *catalogue_advice_json(const struct advice *const *items, size_t n)
{
	json_t *arr = json_array();
	if (arr == NULL)
		return NULL;
	for (size_t i = 0; items != NULL && i < n; i++) {
		const struct advice *a = items[i];
		if (a == NULL)
			continue;
		json_t *o = json_object();
		int ok = o != NULL;
		if (ok) {
			put(o, "id", json_string(a->id), &ok);
			put(o, "title", json_string(a->title), &ok);
			put(o, "text", json_string(a->text), &ok);
			put(o, "urgency", json_string(a->urgency), &ok);
		}
		if (!ok || json_array_append_new(arr, o) != 0) {
			if (!ok)
				json_decref(o);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}
