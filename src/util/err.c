#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>

/* The message part shared by crix_error_set and crix_error_field. */
static void vset(struct crix_error *err, int code, const char *fmt, va_list ap)
{
	err->code = code;
	if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) < 0)
		err->msg[0] = '\0';
}

int crix_error_set(struct crix_error *err, int code, const char *fmt, ...)
{
	if (err == NULL)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	err->field[0] = '\0';
	return code;
}

int crix_error_field(struct crix_error *err, const char *field, int code, const char *fmt, ...)
{
	if (err == NULL)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	snprintf(err->field, sizeof err->field, "%s", field != NULL ? field : "");
	return code;
}

void crix_error_clear(struct crix_error *err)
{
	if (err == NULL)
		return;
	err->code = CRIX_OK;
	err->msg[0] = '\0';
	err->field[0] = '\0';
}

const char *crix_strerror(int code)
{
	switch (code) {
	case CRIX_OK: return "ok";
	case CRIX_EINVAL: return "invalid input";
	case CRIX_ENOMEM: return "out of memory";
	case CRIX_EIO: return "input/output error";
	case CRIX_ETOOBIG: return "limit exceeded";
	case CRIX_ENOTFOUND: return "not found";
	case CRIX_EEXIST: return "already exists";
	case CRIX_EBUSY: return "busy";
	case CRIX_EACCES: return "not allowed";
	default: return "unknown error";
	}
}
