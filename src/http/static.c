/*
 * static.c - the web pages of crix serve: safe path resolution, content
 * types, revalidation and security headers.  See static.h.
 */
#include "http/static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int http_static_path(const char *url, char *rel, size_t cap, struct crix_error *err)
{
	size_t n = strlen(url);
	if (url[0] != '/')
		return crix_error_set(err, CRIX_EINVAL, "path: must start with '/'");
	if (n > HTTP_STATIC_PATH_MAX)
		return crix_error_set(err, CRIX_EINVAL, "path: longer than %d bytes",
		                      HTTP_STATIC_PATH_MAX);
	/* Check every segment between slashes; the last may be empty ("/x/"). */
	const char *seg = url + 1, *last = seg;
	for (;;) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		if (end != NULL && len == 0)
			return crix_error_set(err, CRIX_EINVAL, "path: empty segment");
		if (len > 0 && seg[0] == '.')
			return crix_error_set(err, CRIX_EINVAL,
			                      "path: a segment may not start with '.'");
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)seg[i];
			if (c < 0x20 || c == 0x7f || c == '\\')
				return crix_error_set(err, CRIX_EINVAL,
				                      "path: control byte or backslash");
		}
		last = seg;
		if (end == NULL)
			break;
		seg = end + 1;
	}
	const char *suffix = "";
	if (*last == '\0')
		suffix = "index.html";
	else if (strchr(last, '.') == NULL)
		suffix = ".html";
	int w = snprintf(rel, cap, "%s%s", url + 1, suffix);
	if (w < 0 || (size_t)w >= cap)
		return crix_error_set(err, CRIX_ETOOBIG, "path: too long");
	return 0;
}

const char *http_static_type(const char *name)
{
	static const char *const types[][2] = {
	        {".html", "text/html; charset=utf-8"},
	        {".css", "text/css; charset=utf-8"},
	        {".js", "text/javascript; charset=utf-8"},
	        {".mjs", "text/javascript; charset=utf-8"},
	        {".json", "application/json"},
	        {".svg", "image/svg+xml"},
	        {".png", "image/png"},
	        {".ico", "image/x-icon"},
	        {".txt", "text/plain; charset=utf-8"},
	        {".woff2", "font/woff2"},
	};
	const char *dot = strrchr(name, '.');
	const char *slash = strrchr(name, '/');
	if (dot != NULL && (slash == NULL || dot > slash))
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i][0]) == 0)
				return types[i][1];
	return "application/octet-stream";
}

static void security_headers(struct http_resp *rs)
{
	http_header_add(rs, "Content-Security-Policy", HTTP_STATIC_CSP);
	http_header_add(rs, "Referrer-Policy", "no-referrer");
	http_header_add(rs, "X-Frame-Options", "DENY");
}

static void not_found(struct http_resp *rs)
{
	static const char page[] =
	        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	        "<title>Page not found - crix</title>"
	        "<link rel=\"stylesheet\" href=\"/css/site.css\"><link rel=\"icon\" "
	        "href=\"/favicon.svg\" type=\"image/svg+xml\"></head>\n"
	        "<body><main id=\"main\"><h1>Page not found</h1>"
	        "<p>There is no page at this address.</p>"
	        "<p><a href=\"/\">Go to the start page</a> to report a crime or to follow a "
	        "report.</p></main></body></html>\n";
	http_bytes(rs, 404, "text/html; charset=utf-8", page, sizeof page - 1);
	security_headers(rs);
}

/* "/staff" names the directory whose index is "/staff/": send the browser
 * there (relative links on the page need the slash); else 404. */
static void redirect_dir(const char *root, const char *url, struct http_resp *rs)
{
	char full[PATH_MAX + HTTP_STATIC_PATH_MAX + 32], real[PATH_MAX],
	        to[HTTP_STATIC_PATH_MAX + 2];
	struct stat st;
	size_t rl = strlen(root);
	int w = snprintf(full, sizeof full, "%s%s", root, url);
	if (strcmp(url, "/") != 0 && w > 0 && (size_t)w < sizeof full &&
	    url[strlen(url) - 1] != '/' && realpath(full, real) != NULL &&
	    strncmp(real, root, rl) == 0 && real[rl] == '/' && stat(real, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		snprintf(to, sizeof to, "%s/", url);
		http_bytes(rs, 308, "text/plain; charset=utf-8", "", 0);
		http_header_add(rs, "Location", to);
		security_headers(rs);
		return;
	}
	not_found(rs);
}

/* Reads the whole regular file at path (at most HTTP_STATIC_FILE_MAX bytes).
 * OUT: *data (malloc'd), *len, *st.  -1 when it is not there, not regular or
 * too large. */
static int read_file(const char *path, char **data, size_t *len, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size < 0 ||
	    (unsigned long long)st->st_size > HTTP_STATIC_FILE_MAX) {
		close(fd);
		return -1;
	}
	size_t want = (size_t)st->st_size, got = 0;
	char *b = malloc(want + 1);
	if (b == NULL) {
		close(fd);
		return -1;
	}
	while (got < want) {
		ssize_t r = read(fd, b + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != want) {
		free(b);
		return -1;
	}
	*data = b;
	*len = got;
	return 0;
}

void http_static_serve(const char *root, const char *url, const char *if_none_match,
                       struct http_resp *rs)
{
	char rel[HTTP_STATIC_PATH_MAX + 16], full[PATH_MAX + HTTP_STATIC_PATH_MAX + 32];
	char real[PATH_MAX];
	if (http_static_path(url, rel, sizeof rel, NULL) != 0) {
		not_found(rs);
		return;
	}
	int w = snprintf(full, sizeof full, "%s/%s", root, rel);
	size_t rl = strlen(root);
	/* The real path (symlinks resolved) must stay under the root: a link
	 * that points out of web/ is not followed. */
	if (w < 0 || (size_t)w >= sizeof full || realpath(full, real) == NULL ||
	    strncmp(real, root, rl) != 0 || real[rl] != '/') {
		redirect_dir(root, url, rs);
		return;
	}
	char *data = NULL;
	size_t len = 0;
	struct stat st;
	if (read_file(real, &data, &len, &st) != 0) {
		not_found(rs);
		return;
	}
	char etag[64], lm[64];
	snprintf(etag, sizeof etag, "\"%llx-%llx-%lx\"", (unsigned long long)st.st_size,
	         (unsigned long long)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec);
	struct tm tm;
	time_t mt = st.st_mtim.tv_sec;
	if (gmtime_r(&mt, &tm) == NULL ||
	    strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
		lm[0] = '\0';
	if (if_none_match != NULL && strstr(if_none_match, etag) != NULL) {
		free(data);
		http_bytes(rs, 304, NULL, "", 0);
	} else {
		/* rs takes the file's bytes as they are. */
		free(rs->body);
		rs->status = 200;
		rs->content_type = http_static_type(real);
		rs->body = data;
		rs->len = len;
	}
	security_headers(rs);
	/* No build step means no content hashes in names: revalidate each time. */
	http_header_add(rs, "Cache-Control", "no-cache");
	http_header_add(rs, "ETag", etag);
	if (lm[0] != '\0')
		http_header_add(rs, "Last-Modified", lm);
}
