#include "model/jurisdiction.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const crit_names[JURIS_CRITS] = {"victim_region", "suspect_country", "category",
                                                    "article"};

const char *juris_crit_name(enum juris_crit c)
{
	return c < JURIS_CRITS ? crit_names[c] : "?";
}

struct jurisdiction *jurisdiction_new(void)
{
	return calloc(1, sizeof(struct jurisdiction));
}

static void rule_clear(struct juris_rule *r)
{
	for (int c = 0; c < JURIS_CRITS; c++)
		for (size_t i = 0; i < r->n_values[c]; i++)
			free(r->values[c][i]);
}

void jurisdiction_free(struct jurisdiction *j)
{
	if (j == NULL)
		return;
	for (size_t i = 0; i < j->n; i++)
		rule_clear(&j->rules[i]);
	free(j->rules);
	if (j->fallback != NULL)
		rule_clear(j->fallback);
	free(j->fallback);
	free(j);
}

/* A printable text value of 1..JURIS_TEXT_MAX-1 bytes. */
static int text_ok(json_t *v)
{
	if (!json_is_string(v))
		return 0;
	size_t n = json_string_length(v);
	const char *s = json_string_value(v);
	if (n == 0 || n >= JURIS_TEXT_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* One rule (or the fallback, index -1) from its JSON object.  where: its
 * path in messages ("x.json: rules[2]"). */
static int parse_rule(json_t *o, const char *file, int index, const char *where,
                      struct juris_rule *r, struct crix_error *err)
{
	memset(r, 0, sizeof *r);
	snprintf(r->file, sizeof r->file, "%s", file);
	r->index = index;
	if (!json_is_object(o))
		return crix_error_set(err, CRIX_EINVAL, "%s: not an object", where);
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		int c = 0;
		while (c < JURIS_CRITS && strcmp(crit_names[c], key) != 0)
			c++;
		if (c < JURIS_CRITS) {
			if (index < 0)
				return crix_error_set(err, CRIX_EINVAL,
				                      "%s.%.40s: the fallback matches everything; "
				                      "give only org or org_id",
				                      where, key);
			if (!json_is_array(v) || json_array_size(v) == 0 ||
			    json_array_size(v) > JURIS_VALUES_MAX)
				return crix_error_set(err, CRIX_EINVAL,
				                      "%s.%s: an array of 1 to %d strings", where,
				                      key, JURIS_VALUES_MAX);
			size_t i;
			json_t *e;
			json_array_foreach(v, i, e)
			{
				if (!text_ok(e))
					return crix_error_set(err, CRIX_EINVAL,
					                      "%s.%s[%zu]: a string of 1 to %d "
					                      "printable bytes",
					                      where, key, i, JURIS_TEXT_MAX - 1);
				char *d = strdup(json_string_value(e));
				if (d == NULL)
					return crix_error_set(err, CRIX_ENOMEM, "out of memory");
				r->values[c][r->n_values[c]++] = d;
			}
		} else if (strcmp(key, "name") == 0 || strcmp(key, "comment") == 0) {
			if (!text_ok(v) && !(strcmp(key, "comment") == 0 && json_is_string(v)))
				return crix_error_set(err, CRIX_EINVAL,
				                      "%s.%s: a string of 1 to %d printable bytes",
				                      where, key, JURIS_TEXT_MAX - 1);
			if (key[0] == 'n')
				snprintf(r->name, sizeof r->name, "%s", json_string_value(v));
		} else if (strcmp(key, "org") == 0) {
			if (!text_ok(v))
				return crix_error_set(err, CRIX_EINVAL,
				                      "%s.org: the name of a law-enforcement "
				                      "organisation (1 to %d bytes)",
				                      where, JURIS_TEXT_MAX - 1);
			snprintf(r->org, sizeof r->org, "%s", json_string_value(v));
		} else if (strcmp(key, "org_id") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				return crix_error_set(err, CRIX_EINVAL,
				                      "%s.org_id: a positive integer", where);
			r->org_id = json_integer_value(v);
		} else {
			return crix_error_set(
			        err, CRIX_EINVAL,
			        "%s.%.40s: unknown member (known: name, victim_region, "
			        "suspect_country, category, article, org, org_id)",
			        where, key);
		}
	}
	if ((r->org[0] != '\0') == (r->org_id != 0))
		return crix_error_set(err, CRIX_EINVAL, "%s: give exactly one of org and org_id",
		                      where);
	return 0;
}

int jurisdiction_parse(struct jurisdiction *j, const char *name, const char *text, size_t len,
                       struct crix_error *err)
{
	if (len > JURIS_FILE_MAX)
		return crix_error_set(err, CRIX_ETOOBIG, "%s: larger than %u bytes", name,
		                      JURIS_FILE_MAX);
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return crix_error_set(err, CRIX_EINVAL, "%s:%d:%d: %s", name, je.line, je.column,
		                      je.text);
	int rc = 0;
	json_t *rules = json_object_get(root, "rules"), *fb = json_object_get(root, "fallback");
	const char *key;
	json_t *v;
	if (!json_is_object(root))
		rc = crix_error_set(err, CRIX_EINVAL, "%s: not a JSON object", name);
	else
		json_object_foreach(root, key, v)
		{
			if (strcmp(key, "rules") != 0 && strcmp(key, "fallback") != 0 &&
			    strcmp(key, "comment") != 0) {
				rc = crix_error_set(err, CRIX_EINVAL,
				                    "%s: %.40s: unknown member (known: rules, "
				                    "fallback, comment)",
				                    name, key);
				break;
			}
		}
	if (rc == 0 && rules != NULL && !json_is_array(rules))
		rc = crix_error_set(err, CRIX_EINVAL, "%s: rules: an array of rules", name);
	if (rc == 0 && rules != NULL && j->n + json_array_size(rules) > JURIS_RULES_MAX)
		rc = crix_error_set(err, CRIX_ETOOBIG, "%s: rules: more than %d rules in all", name,
		                    JURIS_RULES_MAX);
	if (rc == 0 && rules != NULL && json_array_size(rules) > 0) {
		struct juris_rule *nr =
		        realloc(j->rules, (j->n + json_array_size(rules)) * sizeof *nr);
		if (nr == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
		else
			j->rules = nr;
	}
	size_t i;
	json_t *o;
	if (rc == 0 && rules != NULL)
		json_array_foreach(rules, i, o)
		{
			char where[300];
			snprintf(where, sizeof where, "%s: rules[%zu]", name, i);
			rc = parse_rule(o, name, (int)i, where, &j->rules[j->n], err);
			j->n++; /* kept even when bad, so that free() releases its values */
			if (rc != 0)
				break;
		}
	if (rc == 0 && fb != NULL) {
		if (j->fallback != NULL) {
			rc = crix_error_set(
			        err, CRIX_EINVAL,
			        "%s: fallback: already given by %s (one fallback in all)", name,
			        j->fallback->file);
		} else {
			j->fallback = malloc(sizeof *j->fallback);
			if (j->fallback == NULL) {
				rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
			} else {
				char where[300];
				snprintf(where, sizeof where, "%s: fallback", name);
				rc = parse_rule(fb, name, -1, where, j->fallback, err);
			}
		}
	}
	json_decref(root);
	return rc;
}

static int load_file(struct jurisdiction *j, const char *path, struct crix_error *err)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return crix_error_set(err, CRIX_EIO, "%s: cannot open", path);
	char *buf = malloc(JURIS_FILE_MAX + 1);
	size_t n = buf != NULL ? fread(buf, 1, JURIS_FILE_MAX + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (buf == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	int rc = bad ? crix_error_set(err, CRIX_EIO, "%s: read error", path)
	             : jurisdiction_parse(j, path, buf, n, err);
	free(buf);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int jurisdiction_load(const char *path, struct jurisdiction **out, struct crix_error *err)
{
	*out = NULL;
	struct jurisdiction *j = jurisdiction_new();
	if (j == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	int rc = 0;
	DIR *d = opendir(path);
	if (d == NULL) {
		rc = load_file(j, path, err);
	} else {
		char *names[256];
		size_t n = 0;
		struct dirent *e;
		while (rc == 0 && (e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);
			if (len < 6 || e->d_name[0] == '.' ||
			    strcmp(e->d_name + len - 5, ".json") != 0)
				continue;
			if (n == sizeof names / sizeof names[0])
				rc = crix_error_set(err, CRIX_ETOOBIG, "%s: more than %zu files",
				                    path, sizeof names / sizeof names[0]);
			else if ((names[n] = strdup(e->d_name)) == NULL)
				rc = crix_error_set(err, CRIX_ENOMEM, "out of memory");
			else
				n++;
		}
		closedir(d);
		qsort(names, n, sizeof *names, cmp_str);
		for (size_t i = 0; i < n; i++) {
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", path, names[i]);
			if (rc == 0)
				rc = load_file(j, p, err);
			free(names[i]);
		}
	}
	if (rc != 0) {
		jurisdiction_free(j);
		return rc;
	}
	*out = j;
	return 0;
}

/* Regions and categories compare without regard to case, as people type
 * them; countries are ISO codes, articles "directive:3". */
int juris_rule_matches(const struct juris_rule *r, const struct juris_case *c)
{
	for (int k = 0; k < JURIS_CRITS; k++) {
		if (r->n_values[k] == 0)
			continue;
		int hit = 0;
		for (size_t i = 0; i < r->n_values[k] && !hit; i++)
			for (size_t m = 0; m < c->n_values[k] && !hit; m++)
				hit = strcasecmp(r->values[k][i], c->values[k][m]) == 0;
		if (!hit)
			return 0;
	}
	return 1;
}
