#include "util/jsonw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is not one. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Where to cut s[0..n) at or before max so that no valid UTF-8 sequence is
 * split between two pieces (stray continuation bytes do not matter: they are
 * escaped one by one wherever the cut falls).
 */
static size_t piece_end(const unsigned char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	for (size_t q = max; q-- > 0 && q + 4 > max;) {
		if (s[q] < 0x80)
			break;
		if (s[q] >= 0xc2) {
			size_t need = s[q] >= 0xf0 ? 4 : s[q] >= 0xe0 ? 3 : 2;
			return q + need > max ? q : max;
		}
	}
	return max;
}

size_t jsonw_escape(char *dst, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	char *d = dst;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			/* copy the whole run of plain characters at once */
			size_t e = i + 1;
			while (e < n && s[e] >= 0x20 && s[e] < 0x80 && s[e] != '"' && s[e] != '\\')
				e++;
			memcpy(d, s + i, e - i);
			d += e - i;
			i = e - 1;
			continue;
		}
		size_t u = c >= 0x80 ? utf8_valid(s + i, n - i) : 0;
		if (u > 0) {
			memcpy(d, s + i, u);
			d += u;
			i += u - 1;
			continue;
		}
		*d++ = '\\';
		switch (c) {
		case '"': *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '\n': *d++ = 'n'; break;
		case '\r': *d++ = 'r'; break;
		case '\t': *d++ = 't'; break;
		default:
			if (c < 0x20) {
				memcpy(d, "u00", 3);
				d[3] = hex[c >> 4];
				d[4] = hex[c & 15];
				d += 5;
			} else {
				memcpy(d, "ufffd", 5);
				d += 5;
			}
		}
	}
	return (size_t)(d - dst);
}

void jsonw_string(FILE *f, const char *s, size_t n)
{
	char tmp[JSONW_ESCAPED_MAX(256)];
	putc('"', f);
	while (n > 0) {
		/* never split a UTF-8 sequence between two pieces */
		size_t take = piece_end((const unsigned char *)s, n, 256);
		fwrite(tmp, 1, jsonw_escape(tmp, s, take), f);
		s += take;
		n -= take;
	}
	putc('"', f);
}

int jsonw_out_init(struct jsonw_out *o, int fd, size_t cap)
{
	if (cap < 16384)
		cap = 16384; /* room for the largest escaped piece */
	o->fd = fd;
	o->len = 0;
	o->cap = cap;
	o->err = 0;
	o->buf = malloc(cap);
	return o->buf != NULL ? 0 : -1;
}

int jsonw_out_flush(struct jsonw_out *o)
{
	size_t off = 0;
	while (o->err == 0 && off < o->len) {
		ssize_t w = write(o->fd, o->buf + off, o->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			o->err = w < 0 ? errno : EIO;
		else
			off += (size_t)w;
	}
	o->len = 0;
	return o->err;
}

void jsonw_out_put_slow(struct jsonw_out *o, const void *s, size_t n)
{
	if (o->len + n > o->cap) {
		jsonw_out_flush(o);
		if (n > o->cap) {
			/* larger than the buffer: write it straight through */
			const char *p = s;
			while (o->err == 0 && n > 0) {
				ssize_t w = write(o->fd, p, n);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					o->err = w < 0 ? errno : EIO;
					break;
				}
				p += w;
				n -= (size_t)w;
			}
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void jsonw_out_u64(struct jsonw_out *o, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof tmp;
	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	jsonw_out_put(o, tmp + k, sizeof tmp - k);
}

void jsonw_out_string(struct jsonw_out *o, const char *s, size_t n)
{
	jsonw_out_put(o, "\"", 1);
	while (n > 0) {
		size_t take = piece_end((const unsigned char *)s, n, 1024);
		if (o->len + JSONW_ESCAPED_MAX(take) > o->cap)
			jsonw_out_flush(o);
		if (o->err != 0)
			return;
		o->len += jsonw_escape(o->buf + o->len, s, take);
		s += take;
		n -= take;
	}
	jsonw_out_put(o, "\"", 1);
}

void jsonw_out_free(struct jsonw_out *o)
{
	if (o == NULL)
		return;
	free(o->buf);
	o->buf = NULL;
}
