/*
 * durable.h - the pieces of writing a file so that it survives a crash:
 * every byte written, and the directory entry of a renamed file synced
 * (a file's own fsync does not cover its name).
 */
#ifndef CRIX_UTIL_DURABLE_H
#define CRIX_UTIL_DURABLE_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Writes all of p[0, n) to fd, again after EINTR and short writes.
 * Returns 0, or -1 with errno set (0 when write wrote nothing). */
int durable_write_all(int fd, const void *p, size_t n);

/* fsyncs the directory dir.  Returns 0, or -1 with errno set. */
int durable_fsync_dir(const char *dir);

/* fsyncs the directory that holds path ("." for a bare name).  Returns 0,
 * or -1 with errno set. */
int durable_fsync_parent(const char *path);

/* Replaces the file at path by p[0, n) so that a crash leaves either the old
 * file or the new one, whole: written to a temporary file beside it (path
 * ".tmpXXXXXX", created with mode), fsynced, renamed over path, and the
 * directory fsynced.  On an error the temporary file is removed and the old
 * file is untouched.  Returns 0, or -1 with errno set. */
int durable_replace(const char *path, const void *p, size_t n, mode_t mode);

/* The same with the file's bytes in niov pieces, written in order (a file
 * made of a header and sections that lie elsewhere in memory). */
int durable_replacev(const char *path, const struct iovec *iov, size_t niov, mode_t mode);

#endif
