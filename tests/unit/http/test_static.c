/*
 * test_static.c - the web pages' files (src/http/static.c): URL paths to
 * file paths as data (in / out or refused), content types, and serving from
 * a real directory: 200 with the security headers and an ETag, 304 for that
 * ETag, 404 pages for missing, hidden, too-large and escaping files (".." and
 * a symlink out of the directory), a redirect for a directory without its
 * slash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/static.h"
#include "unit/store/tmpdir.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_paths(void **state)
{
	(void)state;
	static const struct {
		const char *url, *want; /* want NULL: refused */
	} cases[] = {
	        {"/", "index.html"},
	        {"/report", "report.html"},
	        {"/staff/", "staff/index.html"},
	        {"/staff/report", "staff/report.html"},
	        {"/js/api.js", "js/api.js"},
	        {"/css/site.css", "css/site.css"},
	        {"/a.b/c", "a.b/c.html"},
	        {"", NULL},
	        {"report", NULL},
	        {"/..", NULL},
	        {"/../etc/passwd", NULL},
	        {"/js/../../etc/passwd", NULL},
	        {"/js/./api.js", NULL},
	        {"/.git/config", NULL},
	        {"/js/.hidden", NULL},
	        {"//etc/passwd", NULL},
	        {"/js//api.js", NULL},
	        {"/js\\..\\x", NULL},
	        {"/a\nb", NULL},
	        {"/a\x7f", NULL},
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		char rel[HTTP_STATIC_PATH_MAX + 16];
		struct crix_error err = {0};
		int rc = http_static_path(cases[i].url, rel, sizeof rel, &err);
		if (cases[i].want == NULL) {
			if (rc == 0)
				fail_msg("'%s' was taken as '%s'", cases[i].url, rel);
			assert_int_equal(rc, CRIX_EINVAL);
			assert_non_null(strstr(err.msg, "path"));
		} else {
			if (rc != 0)
				fail_msg("'%s' refused: %s", cases[i].url, err.msg);
			assert_string_equal(rel, cases[i].want);
		}
	}
	/* A path over the cap is refused, one at it is not. */
	char big[HTTP_STATIC_PATH_MAX + 2], rel[HTTP_STATIC_PATH_MAX + 16];
	memset(big, 'a', sizeof big - 1);
	big[0] = '/';
	big[sizeof big - 1] = '\0';
	assert_int_equal(http_static_path(big, rel, sizeof rel, NULL), CRIX_EINVAL);
	big[HTTP_STATIC_PATH_MAX] = '\0';
	assert_int_equal(http_static_path(big, rel, sizeof rel, NULL), 0);
	/* A too-small output is an error, never a cut path. */
	char tiny[8];
	assert_int_equal(http_static_path("/report", tiny, sizeof tiny, NULL), CRIX_ETOOBIG);
}

static void test_types(void **state)
{
	(void)state;
	assert_string_equal(http_static_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(http_static_type("js/api.js"), "text/javascript; charset=utf-8");
	assert_string_equal(http_static_type("css/site.css"), "text/css; charset=utf-8");
	assert_string_equal(http_static_type("favicon.svg"), "image/svg+xml");
	assert_string_equal(http_static_type("a.json"), "application/json");
	assert_string_equal(http_static_type("x.exe"), "application/octet-stream");
	assert_string_equal(http_static_type("dir.js/file"), "application/octet-stream");
	assert_string_equal(http_static_type("noext"), "application/octet-stream");
}

static void put_file(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *header(const struct http_resp *rs, const char *name)
{
	for (size_t i = 0; i < rs->n_headers; i++)
		if (strcasecmp(rs->headers[i][0], name) == 0)
			return rs->headers[i][1];
	return NULL;
}

static void resp_free(struct http_resp *rs)
{
	free(rs->body);
	for (size_t i = 0; i < rs->n_headers; i++) {
		free(rs->headers[i][0]);
		free(rs->headers[i][1]);
	}
	memset(rs, 0, sizeof *rs);
}

/* Serves url from root; checks the status and that the page headers are
 * there whatever the status. */
static void serve(const char *root, const char *url, const char *inm, int want,
                  struct http_resp *rs)
{
	memset(rs, 0, sizeof *rs);
	http_static_serve(root, url, inm, rs);
	if (rs->status != want)
		fail_msg("%s: status %d, want %d", url, rs->status, want);
	const char *csp = header(rs, "Content-Security-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, "script-src 'self'"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_string_equal(header(rs, "Referrer-Policy"), "no-referrer");
}

static void test_serve(void **state)
{
	(void)state;
	char *top = tmpdir_new();
	assert_non_null(top);
	char root[PATH_MAX], p[PATH_MAX + 64], real[PATH_MAX + 64];
	snprintf(p, sizeof p, "%s/web", top);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_non_null(realpath(p, root));
	snprintf(p, sizeof p, "%s/staff", root);
	assert_int_equal(mkdir(p, 0700), 0);
	put_file(root, "index.html", "<!doctype html><title>home</title>");
	put_file(root, "staff/index.html", "queue");
	put_file(root, ".secret", "hidden");
	put_file(top, "outside.txt", "root:x:0:0");
	/* Links: one inside the directory (followed), one out of it (not). */
	snprintf(p, sizeof p, "%s/inside.html", root);
	assert_int_equal(symlink("index.html", p), 0);
	snprintf(p, sizeof p, "%s/escape.txt", root);
	snprintf(real, sizeof real, "%s/outside.txt", top);
	assert_int_equal(symlink(real, p), 0);
	snprintf(p, sizeof p, "%s/up", root);
	assert_int_equal(symlink("..", p), 0);

	struct http_resp rs;
	serve(root, "/", NULL, 200, &rs);
	assert_int_equal(rs.len, strlen("<!doctype html><title>home</title>"));
	assert_memory_equal(rs.body, "<!doctype html>", 15);
	assert_string_equal(rs.content_type, "text/html; charset=utf-8");
	assert_string_equal(header(&rs, "Cache-Control"), "no-cache");
	assert_non_null(header(&rs, "Last-Modified"));
	char etag[64];
	snprintf(etag, sizeof etag, "%s", header(&rs, "ETag"));
	assert_int_equal(etag[0], '"');
	resp_free(&rs);

	serve(root, "/index.html", etag, 304, &rs);
	assert_int_equal(rs.len, 0);
	resp_free(&rs);
	serve(root, "/index.html", "\"other\"", 200, &rs);
	resp_free(&rs);
	serve(root, "/inside", NULL, 200, &rs);
	resp_free(&rs);
	serve(root, "/staff/", NULL, 200, &rs);
	assert_memory_equal(rs.body, "queue", 5);
	resp_free(&rs);

	serve(root, "/staff", NULL, 308, &rs);
	assert_string_equal(header(&rs, "Location"), "/staff/");
	resp_free(&rs);

	static const char *const missing[] = {"/nope",
	                                      "/escape.txt",
	                                      "/up/outside.txt",
	                                      "/../outside.txt",
	                                      "/.secret",
	                                      "/staff/x",
	                                      "/up/",
	                                      "/up"};
	for (size_t i = 0; i < COUNT(missing); i++) {
		serve(root, missing[i], NULL, 404, &rs);
		assert_string_equal(rs.content_type, "text/html; charset=utf-8");
		assert_null(strstr(rs.body, "root:"));
		assert_non_null(strstr(rs.body, "Page not found"));
		resp_free(&rs);
	}
	tmpdir_remove(top);
	free(top);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_paths),
	        cmocka_unit_test(test_types),
	        cmocka_unit_test(test_serve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
