/*
 * static.h - the web pages of crix serve: files under one directory (web/),
 * served to GET and HEAD for any path outside /api/ that no route takes.
 *
 * Paths are resolved without ever leaving the directory: ".." and hidden
 * segments are refused before the file system is asked, and the file's real
 * path (after symlinks) must still lie under the directory's real path.
 * Every page carries a strict Content-Security-Policy (no inline script or
 * style), nosniff and no-referrer; files are revalidated by ETag.
 */
#ifndef CRIX_HTTP_STATIC_H
#define CRIX_HTTP_STATIC_H

#include "http/http.h"

#include <stddef.h>

#define HTTP_STATIC_PATH_MAX 1024       /* a URL path we look up */
#define HTTP_STATIC_FILE_MAX (4u << 20) /* a file we send */

/* The security headers of every page (also of its 404). */
#define HTTP_STATIC_CSP                                                                            \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "          \
	"connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "        \
	"object-src 'none'"

/*
 * Maps a URL path (already percent-decoded) to a file path relative to the
 * web directory: "/" is "index.html", "/staff/" is "staff/index.html", a last
 * segment without a dot gets ".html" ("/report" is "report.html").  Refuses
 * (CRIX_EINVAL, message saying why) a path that does not start with '/',
 * holds "." or ".." segments, empty segments, segments starting with '.',
 * backslashes or control bytes, or is longer than HTTP_STATIC_PATH_MAX.
 * OUT: rel (cap bytes, NUL-terminated).
 */
int http_static_path(const char *url, char *rel, size_t cap, struct crix_error *err);

/* The Content-Type for a file name, by its extension ("text/html;
 * charset=utf-8", "text/javascript; charset=utf-8", ...);
 * "application/octet-stream" for anything else. */
const char *http_static_type(const char *name);

/*
 * Answers a GET or HEAD of url from root (a directory's real path, as
 * realpath(3) gives it): 200 with the file, 304 when if_none_match (may be
 * NULL) names its ETag, or a 404 HTML page.  Fills rs, with the security
 * headers, ETag, Last-Modified and Cache-Control: no-cache.
 */
void http_static_serve(const char *root, const char *url, const char *if_none_match,
                       struct http_resp *rs);

#endif
