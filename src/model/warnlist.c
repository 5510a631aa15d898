#include "model/warnlist.h"

#include "match/load.h"
#include "match/match.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct warnlist {
	struct match_index *ix;
	/* each list's file (its match source's name) and what the API calls
	 * it: MISP's identifier of the list, its directory (or file) name */
	char **paths, **names;
	size_t n_names;
};

/* "DIR/public-dns-v4/list.json" -> "public-dns-v4"; "DIR/x.json" -> "x" */
static char *list_id(const char *path)
{
	const char *end = path + strlen(path), *slash = strrchr(path, '/');
	if (slash != NULL && strcmp(slash, "/list.json") == 0) {
		end = slash;
		const char *p = end;
		while (p > path && p[-1] != '/')
			p--;
		return strndup(p, (size_t)(end - p));
	}
	const char *base = slash != NULL ? slash + 1 : path;
	size_t n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	return strndup(base, n);
}

static int load_one(struct warnlist *w, const struct ioc_ctx *ctx, const char *path, size_t *values,
                    struct crix_error *err)
{
	struct match_load_opts o = {.format = MATCH_FMT_WARNINGLIST};
	struct match_load_stats st;
	memset(&st, 0, sizeof st);
	int rc = match_load_file(w->ix, ctx, path, &o, &st, err);
	*values += st.added;
	if (rc != 0)
		return rc;
	char **p = realloc(w->paths, (w->n_names + 1) * sizeof *p);
	if (p != NULL)
		w->paths = p;
	char **n = realloc(w->names, (w->n_names + 1) * sizeof *n);
	if (n != NULL)
		w->names = n;
	if (p == NULL || n == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "warning lists: out of memory");
	w->paths[w->n_names] = strdup(path);
	w->names[w->n_names] = list_id(path);
	if (w->paths[w->n_names] == NULL || w->names[w->n_names] == NULL) {
		free(w->paths[w->n_names]);
		free(w->names[w->n_names]);
		return crix_error_set(err, CRIX_ENOMEM, "warning lists: out of memory");
	}
	w->n_names++;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int warnlist_load_dir(const struct ioc_ctx *ctx, const char *dir, struct warnlist **out,
                      size_t *lists, size_t *values, struct crix_error *err)
{
	*out = NULL;
	*lists = *values = 0;
	struct warnlist *w = calloc(1, sizeof *w);
	if (w == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "warning lists: out of memory");
	int rc = match_index_new(&w->ix, err);
	DIR *d = rc == 0 ? opendir(dir) : NULL;
	if (rc == 0 && d == NULL)
		rc = crix_error_set(err, CRIX_EIO, "--warninglists %s: cannot read the directory",
		                    dir);
	/* Names sorted, so that loads are repeatable. */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **p = realloc(names, cap * sizeof *p);
			if (p == NULL) {
				rc = crix_error_set(err, CRIX_ENOMEM,
				                    "warning lists: out of memory");
				break;
			}
			names = p;
		}
		if ((names[n] = strdup(e->d_name)) == NULL)
			rc = crix_error_set(err, CRIX_ENOMEM, "warning lists: out of memory");
		else
			n++;
	}
	if (d != NULL)
		closedir(d);
	if (rc == 0)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char path[PATH_MAX];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			snprintf(path, sizeof path, "%s/%s/list.json", dir, names[i]);
			if (stat(path, &st) != 0)
				continue;
		} else {
			/* MISP's repository keeps the lists' JSON schema beside
			 * them: it is not a list. */
			size_t l = strlen(names[i]);
			if (l < 5 || strcmp(names[i] + l - 5, ".json") != 0 ||
			    strcmp(names[i], "schema.json") == 0)
				continue;
		}
		rc = load_one(w, ctx, path, values, err);
		if (rc == 0)
			(*lists)++;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc != 0) {
		warnlist_free(w);
		return rc;
	}
	match_index_shrink(w->ix);
	*out = w;
	return 0;
}

void warnlist_free(struct warnlist *w)
{
	if (w == NULL)
		return;
	match_index_free(w->ix);
	for (size_t i = 0; i < w->n_names; i++) {
		free(w->paths[i]);
		free(w->names[i]);
	}
	free(w->paths);
	free(w->names);
	free(w);
}

struct found {
	const struct warnlist *w;
	const char *list;
};

static int on_hit(void *arg, const struct match_hit *hit)
{
	struct found *f = arg;
	const struct match_source *src = match_index_source(f->w->ix, hit->source);
	f->list = src != NULL ? src->name : "";
	for (size_t i = 0; src != NULL && i < f->w->n_names; i++)
		if (strcmp(f->w->paths[i], src->name) == 0)
			f->list = f->w->names[i];
	return 1;
}

bool warnlist_holds(struct warnlist *w, unsigned type, const char *value, size_t len,
                    const char **list)
{
	if (list != NULL)
		*list = NULL;
	if (w == NULL || type == IOC_URL || type == IOC_EMAIL || len >= IOC_VALUE_MAX)
		return false;
	/* match_lookup takes a whole ioc_value; values are short, the struct is
	 * not, so it lives on the heap rather than a worker's stack. */
	struct ioc_value *v = malloc(sizeof *v);
	if (v == NULL)
		return false;
	v->type = (enum ioc_type)type;
	v->len = len;
	memcpy(v->v, value, len);
	v->v[len] = '\0';
	struct found f = {w, NULL};
	bool hit = match_lookup(w->ix, v, on_hit, &f) != 0;
	free(v);
	if (hit && list != NULL)
		*list = f.list;
	return hit;
}
