/*
 * durable.c - see durable.h.
 */
#include "util/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
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
