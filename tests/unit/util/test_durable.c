/*
 * test_durable.c - src/util/durable.c: durable_write_all writes every byte
 * through short writes (a pipe whose reader drains it), and fails on a
 * closed descriptor; durable_fsync_dir / durable_fsync_parent sync a real
 * directory, the parent of a path (bare names: "."; "/x": "/"), and fail on
 * what is not a directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_write_all_through_a_pipe),
	        cmocka_unit_test(test_write_all_bad_fd),
	        cmocka_unit_test(test_fsync_dirs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
