/*
 * directory.c - looking organisations and users up by name (directory.h).
 * The store is read a page at a time and only the best DIRECTORY_RESULTS
 * matches are kept, so memory stays bounded however many accounts match.
 */
#include "model/directory.h"

#include "util/err.h"

#include <stdlib.h>
#include <string.h>

#define PAGE 500 /* rows read from the store at once */

bool directory_may_list_orgs(const struct principal *p)
{
	return p->authenticated && (p->org_id > 0 || p->role == ROLE_ADMIN);
}

bool directory_may_list_users(const struct principal *p, int64_t org_id, bool shares_group)
{
	if (!p->authenticated || org_id <= 0)
		return false;
	if (p->role == ROLE_ADMIN)
		return true;
	return p->org_id > 0 && (p->org_id == org_id || shares_group);
}

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int directory_query(const char *q, char folded[DIRECTORY_Q_MAX + 1], struct crix_error *err)
{
	if (q == NULL)
		return crix_error_field(err, "q", CRIX_EINVAL,
		                        "q: is required (at least %d characters of the name)",
		                        DIRECTORY_Q_MIN);
	size_t len = strlen(q);
	if (len > DIRECTORY_Q_MAX)
		return crix_error_field(err, "q", CRIX_EINVAL, "q: at most %d bytes",
		                        DIRECTORY_Q_MAX);
	if (!crix_utf8_valid(q))
		return crix_error_field(err, "q", CRIX_EINVAL, "q: is not UTF-8");
	size_t chars = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)q[i];
		if (c < 0x20 || c == 0x7f)
			return crix_error_field(err, "q", CRIX_EINVAL,
			                        "q: holds a control character");
		chars += (c & 0xc0) != 0x80; /* count characters, not bytes */
		folded[i] = fold((char)c);
	}
	folded[len] = '\0';
	if (chars < DIRECTORY_Q_MIN)
		return crix_error_field(err, "q", CRIX_EINVAL, "q: at least %d characters",
		                        DIRECTORY_Q_MIN);
	return 0;
}

int directory_match(const char *name, const char *folded)
{
	size_t n = strlen(folded);
	for (size_t i = 0; name[i] != '\0'; i++) {
		size_t k = 0;
		while (k < n && name[i + k] != '\0' && fold(name[i + k]) == folded[k])
			k++;
		if (k == n)
			return i == 0 ? 2 : 1;
	}
	return 0;
}

/* The best matches so far, best first: a higher rank (prefix), then the
 * name in byte order. */
struct best {
	char *rows; /* DIRECTORY_RESULTS elements of size */
	int rank[DIRECTORY_RESULTS];
	size_t size, n, matched;
	const char *(*name)(const void *row);
};

static int better(const struct best *b, int rank, const char *name, size_t i)
{
	if (rank != b->rank[i])
		return rank > b->rank[i];
	return strcmp(name, b->name(b->rows + i * b->size)) < 0;
}

/* Offers one row of rank (0: no match). */
static void offer(struct best *b, const void *row, int rank)
{
	if (rank == 0)
		return;
	b->matched++;
	const char *name = b->name(row);
	size_t at = b->n;
	while (at > 0 && better(b, rank, name, at - 1))
		at--;
	if (at >= DIRECTORY_RESULTS)
		return;
	size_t keep = b->n < DIRECTORY_RESULTS ? b->n : DIRECTORY_RESULTS - 1;
	memmove(b->rows + (at + 1) * b->size, b->rows + at * b->size, (keep - at) * b->size);
	memmove(&b->rank[at + 1], &b->rank[at], (keep - at) * sizeof b->rank[0]);
	memcpy(b->rows + at * b->size, row, b->size);
	b->rank[at] = rank;
	b->n = keep + 1;
}

/* One kind of row: how to name it, read a page of it, and find its id. */
struct kind {
	size_t size;
	const char *(*name)(const void *row);
	int (*page)(struct store *s, int64_t scope, int64_t after, void **rows, size_t *got,
	            struct crix_error *err);
	int64_t (*id)(const void *row);
	bool (*listed)(void *row); /* false: skip it (clears what must not leave) */
};

static const char *org_name(const void *row)
{
	return ((const struct store_org *)row)->name;
}

static int org_page(struct store *s, int64_t scope, int64_t after, void **rows, size_t *got,
                    struct crix_error *err)
{
	(void)scope;
	struct store_org *o = NULL;
	int rc = store_org_list(s, after, PAGE, &o, got, err);
	*rows = o;
	return rc;
}

static int64_t org_id(const void *row)
{
	return ((const struct store_org *)row)->id;
}

static bool org_listed(void *row)
{
	(void)row;
	return true;
}

static const char *user_name(const void *row)
{
	return ((const struct store_user *)row)->username;
}

static int user_page(struct store *s, int64_t scope, int64_t after, void **rows, size_t *got,
                     struct crix_error *err)
{
	struct store_user *u = NULL;
	int rc = store_user_list(s, scope, after, PAGE, &u, got, err);
	*rows = u;
	return rc;
}

static int64_t user_id(const void *row)
{
	return ((const struct store_user *)row)->id;
}

/* Disabled users are nobody to share with; the password hash never leaves
 * this file. */
static bool user_listed(void *row)
{
	struct store_user *u = row;
	memset(u->pw_hash, 0, sizeof u->pw_hash);
	return !u->disabled;
}

static const struct kind ORGS = {sizeof(struct store_org), org_name, org_page, org_id, org_listed};
static const struct kind USERS = {sizeof(struct store_user), user_name, user_page, user_id,
                                  user_listed};

/* Whose users the caller may list: p and its partners; NULL: any (the
 * scope was checked before the search). */
struct audience {
	const struct principal *p;
	const struct directory_partners *pt;
};

static bool may_list_org(const struct audience *a, int64_t org_id)
{
	if (a == NULL)
		return true;
	bool partner = a->p->org_id > 0 && org_id != a->p->org_id && a->pt != NULL &&
	               a->pt->shares_group(a->pt->arg, org_id);
	return directory_may_list_users(a->p, org_id, partner);
}

/* Reads every row of k in scope a page at a time into b, keeping those aud
 * may see (user rows only; NULL: all). */
static int search_scope(struct store *s, const struct kind *k, int64_t scope,
                        const struct audience *aud, const char *folded, struct best *b,
                        struct crix_error *err)
{
	int64_t after = 0;
	size_t got;
	do {
		void *page;
		int rc = k->page(s, scope, after, &page, &got, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < got; i++) {
			void *row = (char *)page + i * k->size;
			if (k->listed(row) &&
			    (aud == NULL ||
			     may_list_org(aud, ((const struct store_user *)row)->org_id)))
				offer(b, row, directory_match(k->name(row), folded));
		}
		if (got > 0)
			after = k->id((char *)page + (got - 1) * k->size);
		free(page);
	} while (got == PAGE);
	return 0;
}

/* The users of each organisation aud may list (not an admin's: those are
 * all) into b, an organisation at a time through the store's index on it,
 * rather than every user of every organisation and most of them dropped. */
static int search_listed_orgs(struct store *s, const struct audience *aud, const char *folded,
                              struct best *b, struct crix_error *err)
{
	int64_t own = aud->p->org_id;
	int rc = 0;
	if (may_list_org(aud, own))
		rc = search_scope(s, &USERS, own, NULL, folded, b, err);
	int64_t after = 0;
	size_t got = PAGE;
	while (rc == 0 && got == PAGE) {
		struct store_org *o = NULL;
		rc = store_org_list(s, after, PAGE, &o, &got, err);
		if (rc != 0)
			break;
		for (size_t i = 0; rc == 0 && i < got; i++)
			if (o[i].id != own && may_list_org(aud, o[i].id))
				rc = search_scope(s, &USERS, o[i].id, NULL, folded, b, err);
		if (got > 0)
			after = o[got - 1].id;
		free(o);
	}
	return rc;
}

/* The best of k's rows in scope that aud may see (see search_scope).
 * OUT: *out (DIRECTORY_RESULTS rows, free()), *n, *more. */
static int search(struct store *s, const struct kind *k, int64_t scope, const struct audience *aud,
                  const char *folded, void **out, size_t *n, bool *more, struct crix_error *err)
{
	*out = NULL;
	*n = 0;
	*more = false;
	struct best b = {.size = k->size, .name = k->name};
	b.rows = calloc(DIRECTORY_RESULTS, b.size);
	if (b.rows == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	int rc = aud != NULL && aud->p->role != ROLE_ADMIN
	                 ? search_listed_orgs(s, aud, folded, &b, err)
	                 : search_scope(s, k, scope, aud, folded, &b, err);
	if (rc != 0) {
		free(b.rows);
		return rc;
	}
	*out = b.rows;
	*n = b.n;
	*more = b.matched > b.n;
	return 0;
}

int directory_orgs(struct store *s, const char *folded, struct store_org **out, size_t *n,
                   bool *more, struct crix_error *err)
{
	void *rows;
	int rc = search(s, &ORGS, 0, NULL, folded, &rows, n, more, err);
	*out = rows;
	return rc;
}

int directory_users(struct store *s, int64_t org_id, const char *folded, struct store_user **out,
                    size_t *n, bool *more, struct crix_error *err)
{
	void *rows;
	int rc = search(s, &USERS, org_id, NULL, folded, &rows, n, more, err);
	*out = rows;
	return rc;
}

int directory_users_visible(struct store *s, const struct principal *p,
                            const struct directory_partners *pt, const char *folded,
                            struct store_user **out, size_t *n, bool *more, struct crix_error *err)
{
	void *rows;
	struct audience aud = {p, pt};
	int rc = search(s, &USERS, 0, &aud, folded, &rows, n, more, err);
	*out = rows;
	return rc;
}

int directory_users_named(struct store *s, const struct principal *p,
                          const struct directory_partners *pt, const int64_t *ids, size_t n_ids,
                          struct store_user **out, size_t *n, struct crix_error *err)
{
	*out = NULL;
	*n = 0;
	if (n_ids > DIRECTORY_IDS_MAX)
		return crix_error_field(err, "ids", CRIX_EINVAL, "ids: at most %d",
		                        DIRECTORY_IDS_MAX);
	struct store_user *u = calloc(n_ids ? n_ids : 1, sizeof *u);
	if (u == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	struct audience aud = {p, pt};
	for (size_t i = 0; i < n_ids; i++) {
		struct crix_error e = {0};
		int rc = store_user_get(s, ids[i], &u[*n], &e);
		if (rc == CRIX_ENOTFOUND)
			continue;
		if (rc != 0) {
			free(u);
			*n = 0;
			crix_error_set(err, rc, "%s", e.msg);
			return rc;
		}
		if (user_listed(&u[*n]) && may_list_org(&aud, u[*n].org_id))
			(*n)++;
	}
	*out = u;
	return 0;
}
