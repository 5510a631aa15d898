/*
 * test_durable.c - src/util/durable.c: durable_write_all writes every byte
 * through short writes (a pipe whose reader drains it), and fails on a
 * closed descriptor; durable_fsync_dir / durable_fsync_parent sync a real
 * directory, the parent of a path (bare names: "."; "/x": "/"), and fail on
 * what is not a directory; durable_replace leaves the new file whole, with
 * its mode and no temporary file beside it, and on a failure (a write cut
 * short by RLIMIT_FSIZE, a directory in the way, a missing directory) the
 * old file untouched and again no temporary file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/durable.h"

#define BIG (1u << 20) /* more than a pipe holds: write returns short */

struct drain {
	int fd;
	size_t got;
	unsigned char *buf;
};

static void *drain_pipe(void *arg)
{
	struct drain *d = arg;
	ssize_t r;
	while ((r = read(d->fd, d->buf + d->got, BIG - d->got)) > 0)
		d->got += (size_t)r;
	return NULL;
}

static void test_write_all_through_a_pipe(void **state)
{
	(void)state;
	unsigned char *src = malloc(BIG);
	assert_non_null(src);
	for (size_t i = 0; i < BIG; i++)
		src[i] = (unsigned char)(i * 131u + 7u);
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct drain d = {.fd = p[0], .buf = malloc(BIG)};
	assert_non_null(d.buf);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, drain_pipe, &d), 0);
	assert_int_equal(durable_write_all(p[1], src, BIG), 0);
	close(p[1]);
	pthread_join(t, NULL);
	close(p[0]);
	assert_int_equal(d.got, BIG);
	assert_memory_equal(d.buf, src, BIG);
	free(d.buf);
	free(src);
}

static void test_write_all_bad_fd(void **state)
{
	(void)state;
	assert_int_equal(durable_write_all(-1, "x", 1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(durable_write_all(-1, "", 0), 0); /* nothing to write */
}

static void test_fsync_dirs(void **state)
{
	(void)state;
	char dir[] = "/tmp/crix-durable-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char file[64];
	snprintf(file, sizeof file, "%s/f", dir);
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);

	assert_int_equal(durable_fsync_dir(dir), 0);
	assert_int_equal(durable_fsync_parent(file), 0);
	assert_int_equal(durable_fsync_parent("bare-name"), 0); /* "." */
	assert_int_equal(durable_fsync_parent("/tmp"), 0);      /* "/" */
	/* a file is not a directory; a missing directory is an error */
	assert_int_equal(durable_fsync_dir(file), -1);
	assert_int_equal(errno, ENOTDIR);
	char missing[80];
	snprintf(missing, sizeof missing, "%s/no/such", dir);
	assert_int_equal(durable_fsync_parent(missing), -1);
	assert_int_equal(errno, ENOENT);

	unlink(file);
	rmdir(dir);
}

/* The number of entries in dir, without "." and "..". */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	const struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Requires the file at path to hold exactly p[0, n). */
static void want_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char *got = malloc(n + 1);
	assert_non_null(got);
	assert_int_equal(fread(got, 1, n + 1, f), n);
	fclose(f);
	assert_memory_equal(got, p, n);
	free(got);
}

static void test_replace(void **state)
{
	(void)state;
	char dir[] = "/tmp/crix-durable-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char file[64];
	snprintf(file, sizeof file, "%s/state.json", dir);

	assert_int_equal(durable_replace(file, "{\"a\": 1}", 8, 0600), 0);
	want_file(file, "{\"a\": 1}", 8);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(entries(dir), 1);

	/* a larger file and then a smaller one replace it whole */
	unsigned char *big = malloc(BIG);
	assert_non_null(big);
	for (size_t i = 0; i < BIG; i++)
		big[i] = (unsigned char)(i * 7u + 1u);
	assert_int_equal(durable_replace(file, big, BIG, 0644), 0);
	want_file(file, big, BIG);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(durable_replace(file, "{}", 2, 0600), 0);
	want_file(file, "{}", 2);
	assert_int_equal(durable_replace(file, "", 0, 0600), 0);
	want_file(file, "", 0);
	assert_int_equal(entries(dir), 1);

	free(big);
	unlink(file);
	rmdir(dir);
}

static void test_replace_failures_keep_the_old_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/crix-durable-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char file[64];
	snprintf(file, sizeof file, "%s/state.json", dir);
	assert_int_equal(durable_replace(file, "old state", 9, 0600), 0);

	/* the write is cut short (as by a full disk): EFBIG, not a signal */
	unsigned char *big = calloc(1, BIG);
	assert_non_null(big);
	struct rlimit old, small;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 4096;
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	int rc = durable_replace(file, big, BIG, 0600);
	int e = errno;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_int_equal(rc, -1);
	assert_int_equal(e, EFBIG);
	want_file(file, "old state", 9);
	assert_int_equal(entries(dir), 1);

	/* a directory in the way: the rename fails */
	char sub[80];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(durable_replace(sub, "x", 1, 0600), -1);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(entries(dir), 2);
	rmdir(sub);

	/* no directory to put it in */
	char missing[80];
	snprintf(missing, sizeof missing, "%s/no/such", dir);
	assert_int_equal(durable_replace(missing, "x", 1, 0600), -1);
	assert_int_equal(errno, ENOENT);
	want_file(file, "old state", 9);
	assert_int_equal(entries(dir), 1);

	free(big);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_write_all_through_a_pipe),
	        cmocka_unit_test(test_write_all_bad_fd),
	        cmocka_unit_test(test_fsync_dirs),
	        cmocka_unit_test(test_replace),
	        cmocka_unit_test(test_replace_failures_keep_the_old_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
