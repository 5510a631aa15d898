/*
 * err.h - the one error convention of crix.
 *
 * Every fallible function returns 0 on success or a negative CRIX_E* code, and
 * delivers results through out-parameters.  When it fails it may also write a
 * human-readable message into a caller-supplied struct crix_error, naming the
 * field, file or line at fault.  The error struct is owned by the caller and
 * may be NULL when the caller does not want the message.
 */
#ifndef CRIX_UTIL_ERR_H
#define CRIX_UTIL_ERR_H

#include <stddef.h>

enum crix_err {
	CRIX_OK = 0,
	CRIX_EINVAL = -1,    /* input is not valid: message says why */
	CRIX_ENOMEM = -2,    /* allocation failed */
	CRIX_EIO = -3,       /* read or write failed: message names the file */
	CRIX_ETOOBIG = -4,   /* a cap was reached: message names the cap */
	CRIX_ENOTFOUND = -5, /* the thing asked for does not exist */
	CRIX_EEXIST = -6,    /* it exists already (a unique name, a reference) */
	CRIX_EBUSY = -7,     /* the store is busy or shutting down: try again */
	CRIX_EACCES = -8     /* the caller may not do this */
};

#define CRIX_ERRMSG_MAX 256

struct crix_error {
	int code;                  /* the enum crix_err that was returned */
	char msg[CRIX_ERRMSG_MAX]; /* what went wrong, always NUL-terminated */
	char field[64];            /* the input field at fault ("suspect.emails[1]"), or "" */
};

/*
 * Records code and a printf-style message in err (if err is not NULL) and
 * returns code, so that a failing path reads `return crix_error_set(...)`.
 */
int crix_error_set(struct crix_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* crix_error_set(err, CRIX_ENOMEM, "out of memory"): the one failure every
 * allocating path shares. */
int crix_error_oom(struct crix_error *err);

/* As crix_error_set, and records the name of the input field at fault; the
 * message should name it too, for readers of the message alone. */
int crix_error_field(struct crix_error *err, const char *field, int code, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/*
 * Makes s valid UTF-8 in place: each byte that is not part of a well-formed
 * sequence becomes '?'.  Messages echo input, and may cut it mid-character;
 * JSON (and jansson) take only valid UTF-8.
 */
void crix_utf8_sanitize(char *s);

/* 1 when s is valid UTF-8, else 0. */
int crix_utf8_valid(const char *s);

/* Clears err (NULL accepted). */
void crix_error_clear(struct crix_error *err);

/* Short name of a code, e.g. "invalid input". */
const char *crix_strerror(int code);

#endif
