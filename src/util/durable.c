/*
 * durable.c - see durable.h.
 */
#include "util/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int durable_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = 0;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int durable_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

int durable_fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return durable_fsync_dir(".");
	if (slash == path)
		return durable_fsync_dir("/");
	char dir[PATH_MAX];
	size_t n = (size_t)(slash - path);
	if (n >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, n);
	dir[n] = '\0';
	return durable_fsync_dir(dir);
}

int durable_replacev(const char *path, const struct iovec *iov, size_t niov, mode_t mode)
{
	char tmp[PATH_MAX];
	int len = snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path);
	if (len < 0 || (size_t)len >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	bool ok = fchmod(fd, mode) == 0;
	for (size_t i = 0; i < niov && ok; i++)
		ok = durable_write_all(fd, iov[i].iov_base, iov[i].iov_len) == 0;
	ok = ok && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		unlink(tmp);
		errno = e != 0 ? e : EIO; /* a write that wrote nothing */
		return -1;
	}
	return durable_fsync_parent(path);
}

int durable_replace(const char *path, const void *p, size_t n, mode_t mode)
{
	struct iovec one = {.iov_base = (void *)(uintptr_t)p, .iov_len = n};
	return durable_replacev(path, &one, 1, mode);
}
