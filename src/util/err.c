#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>

/* Length of the well-formed UTF-8 sequence at s, or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

void crix_utf8_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;
	while (*p != '\0') {
		size_t n = utf8_len(p);
		if (n == 0) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

int crix_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p != '\0') {
		size_t n = utf8_len(p);
		if (n == 0)
			return 0;
		p += n;
	}
	return 1;
}

/* The message part shared by crix_error_set and crix_error_field. */
static void vset(struct crix_error *err, int code, const char *fmt, va_list ap)
{
	err->code = code;
	if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) < 0)
		err->msg[0] = '\0';
	crix_utf8_sanitize(err->msg);
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

int crix_error_oom(struct crix_error *err)
{
	return crix_error_set(err, CRIX_ENOMEM, "out of memory");
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
	crix_utf8_sanitize(err->field);
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
