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
};

static int load_one(struct warnlist *w, const struct ioc_ctx *ctx, const char *path, size_t *values,
                    struct crix_error *err)
{
	struct match_load_opts o = {.format = MATCH_FMT_WARNINGLIST};
	struct match_load_stats st;
	memset(&st, 0, sizeof st);
	int rc = match_load_file(w->ix, ctx, path, &o, &st, err);
	*values += st.added;
	return rc;
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
	free(w);
}

struct found {
	struct match_index *ix;
	const char *list;
};

static int on_hit(void *arg, const struct match_hit *hit)
{
	struct found *f = arg;
	const struct match_source *src = match_index_source(f->ix, hit->source);
	f->list = src != NULL ? src->name : "";
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
	struct found f = {w->ix, NULL};
	bool hit = match_lookup(w->ix, v, on_hit, &f) != 0;
	free(v);
	if (hit && list != NULL)
		*list = f.list;
	return hit;
}
