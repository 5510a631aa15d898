/*
 * fuzz_static_path.c - libFuzzer target for the web pages' path check
 * (http_static_path in src/http/static.c), which stands between any URL and
 * the file system.
 *
 * Input: a URL path (cut at the first NUL, as libmicrohttpd hands it over).
 * Checked, with abort() on a violation, for every path taken:
 *   - the file path is relative, NUL-terminated inside its buffer, and is
 *     the URL without its leading '/' plus at most "index.html" or ".html";
 *   - it has no empty, "." or ".." segment and no segment starting with '.';
 *   - it holds no backslash and no control byte.
 * A refused path has a message naming "path".
 */
#include "http/static.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char url[HTTP_STATIC_PATH_MAX + 64], rel[HTTP_STATIC_PATH_MAX + 16];
	size_t n = size < sizeof url - 1 ? size : sizeof url - 1;
	memcpy(url, data, n);
	url[n] = '\0';
	struct crix_error err = {0};
	memset(rel, 'Z', sizeof rel);
	if (http_static_path(url, rel, sizeof rel, &err) != 0) {
		if (strstr(err.msg, "path") == NULL)
			abort();
		return 0;
	}
	if (memchr(rel, '\0', sizeof rel) == NULL || rel[0] == '/')
		abort();
	size_t ul = strlen(url), rl = strlen(rel);
	if (url[0] != '/' || rl < ul - 1 || strncmp(rel, url + 1, ul - 1) != 0)
		abort();
	const char *tail = rel + ul - 1;
	if (strcmp(tail, "") != 0 && strcmp(tail, "index.html") != 0 && strcmp(tail, ".html") != 0)
		abort();
	for (const char *seg = rel;;) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		if (len == 0 || seg[0] == '.')
			abort();
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f || seg[i] == '\\')
				abort();
		if (end == NULL)
			break;
		seg = end + 1;
	}
	return 0;
}
