/*
 * tmpdir.h - a fresh temporary directory per test, removed with everything in
 * it afterwards; for the unit tests that need a real store on disk.
 */
#ifndef CRIX_TESTS_UNIT_STORE_TMPDIR_H
#define CRIX_TESTS_UNIT_STORE_TMPDIR_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A new directory under TMPDIR (or /tmp); the caller frees the name. */
static inline char *tmpdir_new(void)
{
	const char *base = getenv("TMPDIR");
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/crix-unit-XXXXXX", base && base[0] ? base : "/tmp");
	if (mkdtemp(path) == NULL)
		return NULL;
	return strdup(path);
}

/* Removes path and, for a directory, everything under it (no symlinks are
 * followed). */
static inline void tmpdir_remove(const char *path)
{
	struct stat st;
	if (path == NULL || lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d != NULL && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char sub[PATH_MAX];
			int k = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			if (k > 0 && (size_t)k < sizeof sub)
				tmpdir_remove(sub);
		}
		if (d != NULL)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

#endif
