/*
 * server.c - the HTTP server: libmicrohttpd with epoll and a thread pool,
 * routing, bodies with caps, authentication, rate limits, responses, access
 * logs and metrics.  See http.h.
 */
#include "http/http.h"

#include "http/authcache.h"
#include "http/static.h"
#include "util/clock.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUTES          128 /* metrics slots; the route table must fit */
#define N_BUCKETS           13
#define RL_SLOTS            4096
#define MULTIPART_FILES_MAX 16

static const double bucket_le[N_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,    0.25,  0.5,    1.0,   2.5,  5.0};

struct bucket {
	char ip[64];
	double tokens;
	double last;
};

/* Requests that wait for a worker (a bounded queue: when it is full, the
 * libmicrohttpd thread answers the request itself). */
#define JOBS_MAX 1024

struct impl {
	struct MHD_Daemon *d;
	pthread_mutex_t jobs_lock;
	pthread_cond_t jobs_cond;
	struct http_req *jobs_head, *jobs_tail;
	size_t n_jobs;
	int jobs_stop;
	pthread_t *workers;
	size_t n_workers;
	size_t n_routes;
	/* [route][status - 100]; the last route row counts unmatched paths */
	atomic_ulong counts[MAX_ROUTES + 1][500];
	atomic_ulong hist[MAX_ROUTES + 1][N_BUCKETS + 1];
	atomic_ulong sum_us[MAX_ROUTES + 1];
	pthread_mutex_t rl_lock;
	struct bucket rl[RL_SLOTS];
	struct authcache *auth; /* API tokens' principals */
};

/* ---- responses ---- */

void http_header_add(struct http_resp *rs, const char *name, const char *value)
{
	if (rs->n_headers == sizeof rs->headers / sizeof rs->headers[0])
		return;
	rs->headers[rs->n_headers][0] = strdup(name);
	rs->headers[rs->n_headers][1] = strdup(value);
	rs->n_headers++;
}

static void resp_set(struct http_resp *rs, int status, const char *type, char *body, size_t len)
{
	free(rs->body);
	rs->status = status;
	rs->content_type = type;
	rs->body = body;
	rs->len = len;
}

void http_json(struct http_resp *rs, int status, json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(j);
	if (s == NULL) {
		http_error(rs, 500, "out of memory", NULL);
		return;
	}
	size_t n = strlen(s);
	/* A newline makes curl output and logs readable. */
	char *t = realloc(s, n + 2);
	if (t != NULL) {
		s = t;
		s[n++] = '\n';
		s[n] = '\0';
	}
	resp_set(rs, status, "application/json", s, n);
}

void http_bytes(struct http_resp *rs, int status, const char *type, const void *data, size_t len)
{
	char *b = malloc(len + 1);
	if (b == NULL) {
		http_error(rs, 500, "out of memory", NULL);
		return;
	}
	memcpy(b, data, len);
	b[len] = '\0';
	resp_set(rs, status, type, b, len);
}

static const char *error_code(int status)
{
	switch (status) {
	case 400: return "invalid";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "too_large";
	case 415: return "unsupported_media_type";
	case 422: return "unprocessable";
	case 429: return "rate_limited";
	case 503: return "unavailable";
	default: return "internal";
	}
}

void http_error(struct http_resp *rs, int status, const char *message, const char *field)
{
	/* Messages echo input: only valid UTF-8 goes into JSON. */
	char m[512], f[128];
	snprintf(m, sizeof m, "%s", message ? message : "");
	snprintf(f, sizeof f, "%s", field ? field : "");
	crix_utf8_sanitize(m);
	crix_utf8_sanitize(f);
	json_t *e = json_pack("{s:s,s:s}", "code", error_code(status), "message", m);
	if (e != NULL && f[0] != '\0')
		json_object_set_new(e, "field", json_string(f));
	json_t *o = e ? json_pack("{s:o}", "error", e) : NULL;
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(o);
	if (s == NULL) {
		static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of "
		                          "memory\"}}";
		s = strdup(oom);
		status = 503;
	}
	resp_set(rs, status, "application/json", s, s ? strlen(s) : 0);
}

void http_error_from(struct http_resp *rs, const struct crix_error *err)
{
	int status;
	switch (err->code) {
	case CRIX_EINVAL: status = 400; break;
	case CRIX_EACCES: status = 403; break;
	case CRIX_ENOTFOUND: status = 404; break;
	case CRIX_EEXIST: status = 409; break;
	case CRIX_ETOOBIG: status = 413; break;
	case CRIX_EBUSY: status = 503; break;
	default: status = 500; break;
	}
	if (status >= 500)
		log_event("error", "request failed",
		          json_pack("{s:s,s:i}", "error", err->msg, "code", err->code));
	http_error(rs, status, err->msg[0] ? err->msg : crix_strerror(err->code), err->field);
}

/* ---- requests ---- */

const char *http_query(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct repeat_scan {
	const char *names[64];
	size_t n;
	const char *repeated;
};

static enum MHD_Result repeat_scan_one(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
	(void)kind;
	(void)value;
	struct repeat_scan *r = cls;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->names[i], key) == 0) {
			r->repeated = key;
			return MHD_NO;
		}
	/* past the table a repeat goes unseen; no route takes that many */
	if (r->n < sizeof r->names / sizeof r->names[0])
		r->names[r->n++] = key;
	return MHD_YES;
}

const char *http_query_repeated(struct http_req *rq)
{
	struct repeat_scan r = {.n = 0};
	MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, repeat_scan_one, &r);
	return r.repeated;
}

const char *http_header(struct http_req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

json_t *http_body_json(struct http_req *rq, struct http_resp *rs)
{
	if (rq->body == NULL || rq->body_len == 0) {
		http_error(rs, 400, "body: a JSON document is required", "body");
		return NULL;
	}
	if (rq->body_len > HTTP_JSON_MAX) {
		char m[96];
		snprintf(m, sizeof m, "body: a JSON body may hold at most %u bytes", HTTP_JSON_MAX);
		http_error(rs, 413, m, "body");
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		char m[256];
		snprintf(m, sizeof m, "body: not valid JSON at line %d, column %d: %s", je.line,
		         je.column, je.text);
		http_error(rs, 400, m, "body");
	}
	return j;
}

static void req_free(struct http_req *rq)
{
	if (rq == NULL)
		return;
	if (rq->pp != NULL)
		MHD_destroy_post_processor(rq->pp);
	for (size_t i = 0; i < rq->n_params; i++)
		free(rq->params[i]);
	for (size_t i = 0; i < rq->n_files; i++) {
		free(rq->files[i].field);
		free(rq->files[i].name);
		free(rq->files[i].data);
	}
	free(rq->files);
	free(rq->body);
	if (rq->body_file != NULL)
		fclose(rq->body_file);
	if (rq->answer != NULL) {
		struct http_resp *rs = rq->answer;
		free(rs->body);
		for (size_t i = 0; i < rs->n_headers; i++) {
			free(rs->headers[i][0]);
			free(rs->headers[i][1]);
		}
		free(rs);
	}
	free(rq);
}

/* Appends to a growable buffer with a cap; past the cap, flags too_big and
 * drops the rest (the request then ends in 413). */
static int append(char **buf, size_t *len, size_t *cap, size_t max, const char *data, size_t n)
{
	if (n > max - *len || *len > max)
		return -1;
	if (*len + n + 1 > *cap) {
		size_t nc = *cap ? *cap : 4096;
		while (nc < *len + n + 1)
			nc *= 2;
		char *p = realloc(*buf, nc);
		if (p == NULL)
			return -1;
		*buf = p;
		*cap = nc;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

/*
 * A large body (a STIX bundle of hundreds of MB) is written to an unlinked
 * file in the data directory as it arrives, so that memory does not grow
 * with it; the handler reads it back as a stream.  Past body_max, or when
 * the file cannot be written, the request ends in 413.
 */
static int spool(struct http_app *app, struct http_req *rq, const char *data, size_t n)
{
	if (n > rq->route->body_max - rq->body_len)
		return -1;
	if (rq->body_file == NULL) {
		const char *dir = app->data_dir[0] ? app->data_dir : "/tmp";
		char path[4200];
		snprintf(path, sizeof path, "%s/.upload-XXXXXX", dir);
		int fd = mkstemp(path);
		if (fd >= 0)
			unlink(path); /* gone with the descriptor, whatever happens */
		if (fd < 0 || (rq->body_file = fdopen(fd, "w+")) == NULL) {
			if (fd >= 0)
				close(fd);
			log_event("error", "cannot spool a request body",
			          json_pack("{s:s}", "dir", dir));
			return -1;
		}
	}
	if (fwrite(data, 1, n, rq->body_file) != n)
		return -1;
	rq->body_len += n;
	return 0;
}

/* The multipart form: the "report" field is the JSON body; "evidence" (or any
 * field with a file name) is a file. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	struct http_req *rq = cls;
	size_t max = rq->route->body_max;
	if (filename == NULL) {
		if (strcmp(key, "report") != 0)
			return MHD_YES;
		if (append(&rq->body, &rq->body_len, &rq->body_cap, HTTP_JSON_MAX, data, size) != 0)
			rq->too_big = true;
		return MHD_YES;
	}
	struct http_file *f = rq->n_files ? &rq->files[rq->n_files - 1] : NULL;
	if (off == 0 || f == NULL || strcmp(f->field, key) != 0) {
		if (rq->n_files == MULTIPART_FILES_MAX) {
			rq->too_big = true;
			return MHD_YES;
		}
		struct http_file *nf = realloc(rq->files, (rq->n_files + 1) * sizeof *nf);
		if (nf == NULL) {
			rq->too_big = true;
			return MHD_YES;
		}
		rq->files = nf;
		f = &rq->files[rq->n_files++];
		memset(f, 0, sizeof *f);
		f->field = strdup(key);
		f->name = strdup(filename);
		if (f->field == NULL || f->name == NULL)
			rq->too_big = true;
	}
	size_t total = 0;
	for (size_t i = 0; i < rq->n_files; i++)
		total += rq->files[i].len;
	if (size > max || total + size > max) {
		rq->too_big = true;
		return MHD_YES;
	}
	/* Files grow by doubling from their first chunk; the cap bounds them. */
	unsigned char *p = realloc(f->data, f->len + size + 1);
	if (p == NULL) {
		rq->too_big = true;
		return MHD_YES;
	}
	f->data = p;
	memcpy(f->data + f->len, data, size);
	f->len += size;
	return MHD_YES;
}

/* ---- routing ---- */

/* Matches path against a pattern; fills the {x} parameters.  1 on match. */
static int match(const char *pattern, const char *path, struct http_req *rq)
{
	const char *p = pattern, *s = path;
	size_t np = 0;
	char *params[HTTP_MAX_PARAMS] = {0};
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			if (se == NULL)
				se = s + strlen(s);
			if (pe == NULL || se == s || np == HTTP_MAX_PARAMS)
				goto no;
			params[np] = strndup(s, (size_t)(se - s));
			if (params[np] == NULL)
				goto no;
			np++;
			p = pe + 1;
			s = se;
			continue;
		}
		if (*p != *s)
			goto no;
		p++;
		s++;
	}
	if (*p != '\0' || *s != '\0')
		goto no;
	if (rq != NULL) {
		for (size_t i = 0; i < np; i++) {
			MHD_http_unescape(params[i]);
			rq->params[i] = params[i];
		}
		rq->n_params = np;
	} else {
		for (size_t i = 0; i < np; i++)
			free(params[i]);
	}
	return 1;
no:
	for (size_t i = 0; i < np; i++)
		free(params[i]);
	return 0;
}

/* ---- authentication ---- */

/* Signing in again while a session cookie is still set needs no CSRF token:
 * it changes nothing the old session could be tricked into. */
extern void api_login(struct http_app *app, struct http_req *rq, struct http_resp *rs);
static const http_handler http_login_handler = api_login;

static int principal_of_user(struct http_app *app, int64_t user_id, struct principal *p,
                             struct crix_error *err)
{
	struct store_user u;
	struct store_org o;
	int rc = store_user_get(app->store, user_id, &u, err);
	if (rc == 0 && u.disabled)
		rc = crix_error_set(err, CRIX_ENOTFOUND, "the account is disabled");
	if (rc == 0)
		rc = store_org_get(app->store, u.org_id, &o, err);
	if (rc == 0)
		account_principal_user(p, &u, &o);
	return rc;
}

/*
 * An API token's principal: from the cache when it holds it, else from the
 * store (token, user, organisation), then cached until the token's expiry or
 * the cache's TTL, whichever comes first.  Revoking a token or changing a
 * user or organisation through this server forgets the cache at once
 * (http_auth_forget).
 */
int http_auth_token(struct http_app *app, const char *token, struct principal *p,
                    struct crix_error *err)
{
	char h[SECRET_HASH_HEX], now[CLOCK_ISO_LEN];
	struct store_token t;
	struct impl *im = app->impl;
	if (strlen(token) > SECRET_TOKEN_MAX)
		return crix_error_set(err, CRIX_ENOTFOUND, "the API token is not valid");
	secret_keyed_hash(app->key, token, strlen(token), h);
	double mono = clock_mono();
	if (im != NULL && im->auth != NULL && authcache_get(im->auth, h, mono, p))
		return 0;
	uint64_t gen = im != NULL && im->auth != NULL ? authcache_generation(im->auth) : 0;
	int rc = store_token_by_hash(app->store, h, &t, err);
	if (rc == CRIX_ENOTFOUND)
		return crix_error_set(err, rc, "the API token is not valid");
	if (rc != 0)
		return rc;
	clock_now_iso(now);
	if (t.revoked[0] != '\0')
		return crix_error_set(err, CRIX_ENOTFOUND, "the API token was revoked");
	if (t.expires[0] != '\0' && strcmp(t.expires, now) <= 0)
		return crix_error_set(err, CRIX_ENOTFOUND, "the API token has expired");
	rc = principal_of_user(app, t.user_id, p, err);
	if (rc == CRIX_ENOTFOUND)
		return crix_error_set(err, rc, "the API token's user is disabled or gone");
	if (rc == 0 && im != NULL && im->auth != NULL) {
		double not_after = 0;
		int64_t exp;
		struct crix_error e = {0};
		if (t.expires[0] != '\0' &&
		    clock_parse_iso(t.expires, "expires", now, &exp, &e) == 0)
			not_after = mono + (double)(exp - (int64_t)time(NULL));
		authcache_put(im->auth, h, gen, mono, not_after, p);
	}
	return rc;
}

void http_auth_forget(struct http_app *app)
{
	struct impl *im = app->impl;
	if (im != NULL)
		authcache_forget_all(im->auth);
}

static int auth_session(struct http_app *app, struct http_req *rq, const char *cookie,
                        struct crix_error *err)
{
	struct store_session ss;
	char now[CLOCK_ISO_LEN];
	secret_keyed_hash(app->key, cookie, strlen(cookie), rq->session_hash);
	int rc = store_session_get(app->store, rq->session_hash, &ss, err);
	if (rc == 0 && strcmp(ss.expires, clock_now_iso(now)) <= 0)
		rc = CRIX_ENOTFOUND;
	if (rc == 0)
		rc = principal_of_user(app, ss.user_id, &rq->who, err);
	if (rc == CRIX_ENOTFOUND)
		return crix_error_set(err, rc, "the session has expired; sign in again");
	if (rc == 0) {
		rq->who.via_cookie = true;
		snprintf(rq->csrf, sizeof rq->csrf, "%s", ss.csrf);
	}
	return rc;
}

/*
 * HTTP Basic, which TAXII clients speak: the user name and, as the password,
 * one of that user's API tokens.  A password proper is not taken here: it
 * would cost an argon2id hash per request, and a token can be revoked alone.
 */
static int auth_basic(struct http_app *app, const char *b64, struct principal *p,
                      struct crix_error *err)
{
	char cred[SECRET_TOKEN_MAX + STORE_USER_MAX + 8];
	size_t n = 0;
	while (*b64 == ' ')
		b64++;
	if (strlen(b64) > 4 * (sizeof cred / 3) ||
	    sodium_base642bin((unsigned char *)cred, sizeof cred - 1, b64, strlen(b64), NULL, &n,
	                      NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return crix_error_set(err, CRIX_ENOTFOUND, "Authorization: Basic: not base64");
	cred[n] = '\0';
	char *colon = memchr(cred, ':', n);
	if (colon == NULL || strlen(cred) != n)
		return crix_error_set(err, CRIX_ENOTFOUND,
		                      "Authorization: Basic: give USER:TOKEN (an API token)");
	*colon = '\0';
	int rc = http_auth_token(app, colon + 1, p, err);
	if (rc == 0 && strcmp(p->username, cred) != 0) {
		account_principal_public(p);
		rc = crix_error_set(err, CRIX_ENOTFOUND, "the API token is not valid");
	}
	sodium_memzero(cred, sizeof cred);
	return rc;
}

/* Fills rq->who from the Authorization header or the session cookie. 0, or
 * an error to answer with 401. */
static int authenticate(struct http_app *app, struct http_req *rq, struct crix_error *err)
{
	account_principal_public(&rq->who);
	const char *auth = http_header(rq, "Authorization");
	if (auth != NULL && strncasecmp(auth, "Basic ", 6) == 0)
		return auth_basic(app, auth + 6, &rq->who, err);
	if (auth != NULL) {
		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return crix_error_set(
			        err, CRIX_ENOTFOUND,
			        "Authorization: use 'Bearer TOKEN' with an API token");
		const char *t = auth + 7;
		while (*t == ' ')
			t++;
		return http_auth_token(app, t, &rq->who, err);
	}
	const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "crix_session");
	if (cookie == NULL || cookie[0] == '\0')
		return 0;
	int rc = auth_session(app, rq, cookie, err);
	/* A browser keeps sending a session cookie after the session ended: on a
	 * public route that caller is simply the public again (a wrong API token,
	 * given on purpose, stays an error). */
	if (rc == CRIX_ENOTFOUND && rq->route->access == HTTP_PUBLIC) {
		account_principal_public(&rq->who);
		crix_error_clear(err);
		return 0;
	}
	return rc;
}

/* ---- rate limits ---- */

/* A token bucket per client address: rate_limit requests a minute, in bursts
 * of up to the same number.  OUT: *retry, seconds until the next is allowed. */
static bool rate_ok(struct http_app *app, const char *ip, unsigned *retry)
{
	struct impl *im = app->impl;
	double rate = app->opt.rate_limit / 60.0, cap = app->opt.rate_limit, now = clock_mono();
	uint32_t h = 2166136261u;
	for (const char *p = ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	pthread_mutex_lock(&im->rl_lock);
	struct bucket *b = NULL, *oldest = NULL;
	for (unsigned k = 0; k < 8 && b == NULL; k++) {
		struct bucket *c = &im->rl[(h + k) % RL_SLOTS];
		if (strcmp(c->ip, ip) == 0)
			b = c;
		else if (oldest == NULL || c->last < oldest->last)
			oldest = c;
	}
	if (b == NULL) {
		/* A new address, or the oldest one's slot: an evicted address only
		 * gains a full bucket, which it would have after a minute anyway. */
		b = oldest;
		snprintf(b->ip, sizeof b->ip, "%s", ip);
		b->tokens = cap;
		b->last = now;
	}
	b->tokens = fmin(cap, b->tokens + (now - b->last) * rate);
	b->last = now;
	bool ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	else
		*retry = (unsigned)ceil((1.0 - b->tokens) / rate);
	pthread_mutex_unlock(&im->rl_lock);
	return ok;
}

/* ---- metrics ---- */

static size_t route_index(struct http_app *app, const struct http_route *r)
{
	struct impl *im = app->impl;
	size_t i = r ? (size_t)(r - http_routes) : im->n_routes;
	return i < MAX_ROUTES ? i : MAX_ROUTES;
}

static void count(struct http_app *app, const struct http_route *r, int status, double secs)
{
	struct impl *im = app->impl;
	size_t i = route_index(app, r);
	if (status >= 100 && status < 600)
		atomic_fetch_add(&im->counts[i][status - 100], 1);
	size_t b = 0;
	while (b < N_BUCKETS && secs > bucket_le[b])
		b++;
	atomic_fetch_add(&im->hist[i][b], 1);
	atomic_fetch_add(&im->sum_us[i], (unsigned long)(secs * 1e6));
}

/* A growable text for the metrics page. */
struct text {
	char *s;
	size_t len, cap;
};

static void tprintf(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tprintf(struct text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if (t->s != NULL && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t nc = t->cap ? t->cap * 2 : 8192;
		while (nc < t->len + (size_t)n + 1)
			nc *= 2;
		char *p = realloc(t->s, nc);
		if (p == NULL)
			return;
		t->s = p;
		t->cap = nc;
	}
}

char *http_metrics_text(struct http_app *app)
{
	struct impl *im = app->impl;
	struct text t = {0};
	tprintf(&t, "# HELP crix_http_requests_total HTTP requests by route and status.\n"
	            "# TYPE crix_http_requests_total counter\n");
	for (size_t i = 0; i <= im->n_routes && i <= MAX_ROUTES; i++) {
		const char *m = i < im->n_routes ? http_routes[i].method : "any";
		const char *name = i < im->n_routes ? http_routes[i].pattern : "unmatched";
		for (int s = 0; s < 500; s++) {
			unsigned long c = atomic_load(&im->counts[i][s]);
			if (c > 0)
				tprintf(&t,
				        "crix_http_requests_total{method=\"%s\",route=\"%s\","
				        "status=\"%d\"} %lu\n",
				        m, name, s + 100, c);
		}
	}
	tprintf(&t, "# HELP crix_http_request_duration_seconds Time to answer a request.\n"
	            "# TYPE crix_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= im->n_routes && i <= MAX_ROUTES; i++) {
		unsigned long total = 0;
		for (int b = 0; b <= N_BUCKETS; b++)
			total += atomic_load(&im->hist[i][b]);
		if (total == 0)
			continue;
		const char *m = i < im->n_routes ? http_routes[i].method : "any";
		const char *name = i < im->n_routes ? http_routes[i].pattern : "unmatched";
		unsigned long cum = 0;
		for (int b = 0; b < N_BUCKETS; b++) {
			cum += atomic_load(&im->hist[i][b]);
			tprintf(&t,
			        "crix_http_request_duration_seconds_bucket{method=\"%s\",route=\"%"
			        "s\","
			        "le=\"%g\"} %lu\n",
			        m, name, bucket_le[b], cum);
		}
		tprintf(&t,
		        "crix_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
		        "le=\"+Inf\"} %lu\n"
		        "crix_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n"
		        "crix_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} "
		        "%lu\n",
		        m, name, total, m, name, atomic_load(&im->sum_us[i]) / 1e6, m, name, total);
	}
	tprintf(&t,
	        "# HELP crix_reports_received_total Reports received and stored.\n"
	        "# TYPE crix_reports_received_total counter\n"
	        "crix_reports_received_total %lu\n"
	        "# HELP crix_http_requests_in_flight Requests being answered.\n"
	        "# TYPE crix_http_requests_in_flight gauge\n"
	        "crix_http_requests_in_flight %d\n",
	        atomic_load(&app->reports_received), atomic_load(&app->in_flight));
	return t.s;
}

/* ---- the request cycle ---- */

/*
 * Under /taxii2/, an error answered before a TAXII handler ran (401, 404,
 * 405, 413, 429, 503) is still a TAXII 2.1 error message (section 3.6.1) in
 * the TAXII media type, which TAXII clients expect of every answer there; and
 * a 401 challenges for Basic first, the scheme they speak (section 1.6.9).
 */
static void taxii_error_shape(const struct http_req *rq, struct http_resp *rs)
{
	if (strncmp(rq->path, "/taxii2/", 8) != 0 || rs->status < 400 || rs->content_type == NULL ||
	    strcmp(rs->content_type, "application/json") != 0)
		return;
	json_t *in = rs->body ? json_loadb(rs->body, rs->len, 0, NULL) : NULL;
	json_t *e = json_object_get(in, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	char st[8];
	snprintf(st, sizeof st, "%d", rs->status);
	json_t *out = json_pack("{ss ss ss}", "title", code ? code : error_code(rs->status),
	                        "description", msg ? msg : "", "http_status", st);
	char *s = out ? json_dumps(out, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(out);
	json_decref(in);
	if (s == NULL)
		return; /* out of memory: the crix error goes out as it is */
	resp_set(rs, rs->status, "application/taxii+json;version=2.1", s, strlen(s));
	for (size_t i = 0; rs->status == 401 && i < rs->n_headers; i++) {
		if (rs->headers[i][0] && strcasecmp(rs->headers[i][0], "WWW-Authenticate") == 0) {
			char *v = strdup("Basic realm=\"crix TAXII\", Bearer realm=\"crix\"");
			if (v != NULL) {
				free(rs->headers[i][1]);
				rs->headers[i][1] = v;
			}
		}
	}
}

static enum MHD_Result respond(struct MHD_Connection *c, struct http_req *rq, struct http_resp *rs,
                               struct http_app *app)
{
	taxii_error_shape(rq, rs);
	struct MHD_Response *r = MHD_create_response_from_buffer(
	        rs->len, rs->body ? rs->body : (char *)"",
	        rs->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	rs->body = NULL;
	if (rs->content_type != NULL)
		MHD_add_response_header(r, "Content-Type", rs->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* The API is never cached; web pages set their own (revalidation). */
	bool own_cache = false;
	for (size_t i = 0; i < rs->n_headers; i++)
		own_cache |=
		        rs->headers[i][0] && strcasecmp(rs->headers[i][0], "Cache-Control") == 0;
	if (!own_cache)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	for (size_t i = 0; i < rs->n_headers; i++) {
		if (rs->headers[i][0] && rs->headers[i][1])
			MHD_add_response_header(r, rs->headers[i][0], rs->headers[i][1]);
		free(rs->headers[i][0]);
		free(rs->headers[i][1]);
	}
	rs->n_headers = 0;
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	double secs = clock_mono() - rq->t0;
	count(app, rq->route, rs->status, secs);
	log_event(rs->status >= 500 ? "error" : "info", "request",
	          json_pack("{s:s,s:s,s:s,s:i,s:f,s:s}", "method", rq->method, "path", rq->path,
	                    "route", rq->route ? rq->route->pattern : "", "status", rs->status,
	                    "ms", secs * 1e3, "ip", rq->ip));
	return ok;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, cap, "?");
	if (ci == NULL || ci->client_addr == NULL)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, (socklen_t)cap);
}

/* The first call for a request: route, size, authentication, CSRF, rate
 * limit.  Fills rs and returns 1 when the request is answered already. */
static int admit(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	char allow[128] = "";
	/* HEAD is GET without the body (libmicrohttpd drops it). */
	const char *method = strcmp(rq->method, "HEAD") == 0 ? "GET" : rq->method;
	/* A literal path (/api/v1/reports/bulk) wins over a template that also
	 * matches it (/api/v1/reports/{ref}), as in OpenAPI. */
	bool literal = false;
	for (const struct http_route *r = http_routes; r->method != NULL && !literal; r++)
		literal = strchr(r->pattern, '{') == NULL && strcmp(r->pattern, rq->path) == 0;
	for (const struct http_route *r = http_routes; r->method != NULL; r++) {
		if ((literal && strchr(r->pattern, '{') != NULL) ||
		    !match(r->pattern, rq->path, NULL))
			continue;
		if (strcmp(r->method, method) == 0) {
			rq->route = r;
			match(r->pattern, rq->path, rq);
			break;
		}
		size_t n = strlen(allow);
		snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "", r->method);
	}
	if (rq->route == NULL && allow[0] != '\0') {
		http_header_add(rs, "Allow", allow);
		char m[192];
		snprintf(m, sizeof m, "%s is not allowed here; allowed: %s", rq->method, allow);
		http_error(rs, 405, m, NULL);
		return 1;
	}
	/* Any other GET outside /api/ is a web page (when there is a web/). */
	if (rq->route == NULL && app->web_dir[0] != '\0' && strcmp(method, "GET") == 0 &&
	    strncmp(rq->path, "/api/", 5) != 0 && strncmp(rq->path, "/taxii2/", 8) != 0) {
		http_static_serve(app->web_dir, rq->path, http_header(rq, "If-None-Match"), rs);
		return 1;
	}
	if (rq->route == NULL) {
		http_error(rs, 404, "no such route (GET /api/v1/openapi.json lists them)", NULL);
		return 1;
	}
	if (atomic_load(&app->stopping)) {
		http_header_add(rs, "Retry-After", "5");
		http_error(rs, 503, "the server is shutting down", NULL);
		return 1;
	}
	const char *cl = http_header(rq, "Content-Length");
	if (cl != NULL) {
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);
		if (n > 0 && rq->route->body_max == 0) {
			http_error(rs, 413, "this route takes no request body", "body");
			return 1;
		}
		if (n > rq->route->body_max) {
			char m[96];
			snprintf(m, sizeof m, "body: at most %zu bytes here", rq->route->body_max);
			http_error(rs, 413, m, "body");
			return 1;
		}
	}
	struct crix_error err = {0};
	if (rq->route->access != HTTP_PUBLIC_OPEN && authenticate(app, rq, &err) != 0) {
		if (err.code != CRIX_ENOTFOUND) {
			http_error_from(rs, &err);
			return 1;
		}
		http_header_add(rs, "WWW-Authenticate", "Bearer realm=\"crix\"");
		http_error(rs, 401, err.msg, NULL);
		return 1;
	}
	if (rq->route->access == HTTP_SIGNED_IN && !rq->who.authenticated) {
		http_header_add(rs, "WWW-Authenticate", "Bearer realm=\"crix\"");
		http_error(rs, 401, "sign in or give an API token (Authorization: Bearer TOKEN)",
		           NULL);
		return 1;
	}
	/* A write made with a session cookie must carry the session's CSRF token:
	 * another site can make the browser send the cookie, not the header. */
	if (rq->who.via_cookie && strcmp(rq->method, "GET") != 0 &&
	    strcmp(rq->method, "HEAD") != 0 && rq->route->fn != http_login_handler) {
		const char *tok = http_header(rq, "X-CSRF-Token");
		if (tok == NULL || !secret_equal(tok, rq->csrf)) {
			http_error(rs, 403, "X-CSRF-Token: missing or wrong for this session",
			           NULL);
			return 1;
		}
	}
	unsigned retry = 0;
	if (rq->route->access == HTTP_PUBLIC && !rq->who.authenticated &&
	    !rate_ok(app, rq->ip, &retry)) {
		char ra[16];
		snprintf(ra, sizeof ra, "%u", retry ? retry : 1);
		http_header_add(rs, "Retry-After", ra);
		http_error(rs, 429, "too many requests from this address; try again later", NULL);
		return 1;
	}
	const char *ct = http_header(rq, "Content-Type");
	if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		if (!(rq->route->flags & HTTP_MULTIPART)) {
			http_error(rs, 415, "Content-Type: this route takes no multipart forms",
			           NULL);
			return 1;
		}
		rq->pp = MHD_create_post_processor(rq->conn, 64 * 1024, on_part, rq);
		if (rq->pp == NULL) {
			http_error(rs, 400, "Content-Type: a multipart form needs a boundary",
			           NULL);
			return 1;
		}
	}
	return 0;
}

/*
 * Handlers that touch the store block (a durable commit waits for an fsync).
 * They run on worker threads so that the libmicrohttpd threads keep reading
 * and sending for every other connection; and with many requests in the
 * store at once, group commit shares each fsync among more of them.  The
 * connection is suspended while its request is with a worker.
 */
static void run_handler(struct http_app *app, struct http_req *rq, struct http_resp *rs)
{
	if (rq->too_big) {
		char m[128];
		snprintf(m, sizeof m,
		         "body: larger than this route takes (%zu bytes, or too many files)",
		         rq->route->body_max);
		http_error(rs, 413, m, "body");
	} else if (rq->bad_multipart) {
		http_error(rs, 400, "body: the multipart form is malformed", "body");
	} else {
		rq->route->fn(app, rq, rs);
		if (rs->status == 0)
			http_error(rs, 500, "the handler gave no answer", NULL);
	}
}

static void *worker_main(void *arg)
{
	struct http_app *app = arg;
	struct impl *im = app->impl;
	for (;;) {
		pthread_mutex_lock(&im->jobs_lock);
		while (im->jobs_head == NULL && !im->jobs_stop)
			pthread_cond_wait(&im->jobs_cond, &im->jobs_lock);
		struct http_req *rq = im->jobs_head;
		if (rq == NULL) {
			pthread_mutex_unlock(&im->jobs_lock);
			return NULL;
		}
		im->jobs_head = rq->next_job;
		if (im->jobs_head == NULL)
			im->jobs_tail = NULL;
		im->n_jobs--;
		pthread_mutex_unlock(&im->jobs_lock);
		struct http_resp *rs = rq->answer;
		run_handler(app, rq, rs);
		rq->stage = 2;
		MHD_resume_connection(rq->conn);
	}
}

/* Queues the request for a worker and suspends its connection.  0 when the
 * queue is full or there are no workers (the caller answers it itself). */
static int hand_to_worker(struct http_app *app, struct MHD_Connection *c, struct http_req *rq)
{
	struct impl *im = app->impl;
	if (im->n_workers == 0)
		return 0;
	struct http_resp *rs = calloc(1, sizeof *rs);
	if (rs == NULL)
		return 0;
	pthread_mutex_lock(&im->jobs_lock);
	if (im->n_jobs >= JOBS_MAX || im->jobs_stop) {
		pthread_mutex_unlock(&im->jobs_lock);
		free(rs);
		return 0;
	}
	rq->answer = rs;
	rq->stage = 1;
	rq->next_job = NULL;
	/* Suspend before a worker can see it, so that its resume never comes
	 * first. */
	MHD_suspend_connection(c);
	if (im->jobs_tail != NULL)
		im->jobs_tail->next_job = rq;
	else
		im->jobs_head = rq;
	im->jobs_tail = rq;
	im->n_jobs++;
	pthread_cond_signal(&im->jobs_cond);
	pthread_mutex_unlock(&im->jobs_lock);
	return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct http_app *app = cls;
	struct http_req *rq = *con_cls;
	if (rq == NULL) {
		rq = calloc(1, sizeof *rq);
		if (rq == NULL)
			return MHD_NO;
		*con_cls = rq;
		atomic_fetch_add(&app->in_flight, 1);
		rq->t0 = clock_mono();
		rq->method = method;
		rq->path = url;
		rq->conn = c;
		client_ip(c, rq->ip, sizeof rq->ip);
		struct http_resp rs = {0};
		if (admit(app, rq, &rs))
			return respond(c, rq, &rs, app);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (rq->pp != NULL) {
			if (MHD_post_process(rq->pp, upload_data, *upload_data_size) != MHD_YES)
				rq->bad_multipart = true;
		} else if (rq->route->body_max > HTTP_SPOOL_OVER) {
			if (!rq->too_big && spool(app, rq, upload_data, *upload_data_size) != 0)
				rq->too_big = true;
		} else if (!rq->too_big &&
		           append(&rq->body, &rq->body_len, &rq->body_cap, rq->route->body_max,
		                  upload_data, *upload_data_size) != 0) {
			rq->too_big = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->stage == 2) {
		/* A worker answered; libmicrohttpd resumed the connection. */
		struct http_resp *done = rq->answer;
		rq->answer = NULL;
		enum MHD_Result r = respond(c, rq, done, app);
		free(done);
		return r;
	}
	if (rq->stage == 0 && !rq->too_big && !rq->bad_multipart &&
	    rq->route->access != HTTP_PUBLIC_OPEN && !(rq->route->flags & HTTP_INLINE) &&
	    hand_to_worker(app, c, rq))
		return MHD_YES;
	struct http_resp rs = {0};
	run_handler(app, rq, &rs);
	return respond(c, rq, &rs, app);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	struct http_app *app = cls;
	struct http_req *rq = *con_cls;
	if (rq != NULL) {
		/* A worker answered, but the client had gone before the answer
		 * could be sent: the work is done (a report is stored), so it
		 * counts, and the log says the answer was not delivered. */
		if (rq->stage == 2 && rq->answer != NULL) {
			const struct http_resp *rs = rq->answer;
			double secs = clock_mono() - rq->t0;
			count(app, rq->route, rs->status, secs);
			log_event("warn", "answer not delivered: the client closed the connection",
			          json_pack("{s:s,s:s,s:i,s:f,s:s}", "method", rq->method, "path",
			                    rq->path, "status", rs->status, "ms", secs * 1e3, "ip",
			                    rq->ip));
		}
		req_free(rq);
		*con_cls = NULL;
		atomic_fetch_sub(&app->in_flight, 1);
	}
}

/* libmicrohttpd's own complaints go to the structured log. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char m[512];
	vsnprintf(m, sizeof m, fmt, ap);
	size_t n = strlen(m);
	while (n > 0 && m[n - 1] == '\n')
		m[--n] = '\0';
	log_event("warn", "libmicrohttpd", json_pack("{s:s}", "detail", m));
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                        struct crix_error *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (colon == NULL || (size_t)(colon - listen) >= sizeof host)
		return crix_error_set(err, CRIX_EINVAL, "--listen: '%s' is not ADDR:PORT", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || port < 0 || port > 65535)
		return crix_error_set(err, CRIX_EINVAL, "--listen: bad port in '%s'", listen);
	memset(ss, 0, sizeof *ss);
	size_t hl = strlen(host);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			return crix_error_set(err, CRIX_EINVAL,
			                      "--listen: bad IPv6 address in '%s'", listen);
		*len = sizeof *a;
		return 0;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &a->sin_addr) != 1)
		return crix_error_set(err, CRIX_EINVAL, "--listen: bad IPv4 address in '%s'",
		                      listen);
	*len = sizeof *a;
	return 0;
}

int http_start(struct http_app *app, unsigned *port, struct crix_error *err)
{
	struct impl *im = calloc(1, sizeof *im);
	if (im == NULL)
		return crix_error_set(err, CRIX_ENOMEM, "out of memory");
	pthread_mutex_init(&im->rl_lock, NULL);
	pthread_mutex_init(&im->jobs_lock, NULL);
	pthread_cond_init(&im->jobs_cond, NULL);
	int arc = authcache_new(AUTHCACHE_SLOTS_DEFAULT, AUTHCACHE_TTL_DEFAULT, &im->auth, err);
	if (arc != 0) {
		free(im);
		return arc;
	}
	while (http_routes[im->n_routes].method != NULL)
		im->n_routes++;
	if (im->n_routes >= MAX_ROUTES) {
		/* each route and "unmatched" need their own metrics slot */
		size_t n = im->n_routes;
		authcache_free(im->auth);
		free(im);
		return crix_error_set(err, CRIX_EINVAL, "%zu routes: raise MAX_ROUTES (%d)", n,
		                      MAX_ROUTES);
	}
	app->impl = im;
	im->workers = calloc(app->opt.workers ? app->opt.workers : 1, sizeof *im->workers);
	for (unsigned i = 0; im->workers != NULL && i < app->opt.workers; i++)
		if (pthread_create(&im->workers[i], NULL, worker_main, app) == 0)
			im->n_workers++;
	struct sockaddr_storage ss;
	socklen_t sl;
	int rc = parse_listen(app->opt.listen, &ss, &sl, err);
	if (rc != 0)
		return rc;
	/* ITC lets MHD_quiesce_daemon stop the listening socket of a thread pool;
	 * suspend/resume hands requests to the workers. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	                 MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The logger comes first so that it sees complaints about the rest; no
	 * SO_REUSEPORT, so that a second server cannot share a busy port. */
	im->d = MHD_start_daemon(
	        flags, 0, NULL, NULL, on_request, app, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
	        app->opt.threads ? app->opt.threads : 8u, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
	        app, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT,
	        (unsigned)4096, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
	        MHD_OPTION_END);
	if (im->d == NULL)
		return crix_error_set(err, CRIX_EIO, "--listen: cannot listen on %s",
		                      app->opt.listen);
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(im->d, MHD_DAEMON_INFO_BIND_PORT);
	*port = di != NULL ? di->port : 0;
	return 0;
}

void http_stop(struct http_app *app, double grace_seconds)
{
	struct impl *im = app->impl;
	if (im == NULL)
		return;
	atomic_store(&app->stopping, 1);
	/* Stop accepting; answer what is in flight, then stop the workers. */
	MHD_socket s = MHD_quiesce_daemon(im->d);
	if (s != MHD_INVALID_SOCKET)
		close(s);
	double until = clock_mono() + grace_seconds;
	while (atomic_load(&app->in_flight) > 0 && clock_mono() < until)
		usleep(10000);
	MHD_stop_daemon(im->d);
	pthread_mutex_lock(&im->jobs_lock);
	im->jobs_stop = 1;
	pthread_cond_broadcast(&im->jobs_cond);
	pthread_mutex_unlock(&im->jobs_lock);
	for (size_t i = 0; i < im->n_workers; i++)
		pthread_join(im->workers[i], NULL);
	free(im->workers);
	pthread_mutex_destroy(&im->jobs_lock);
	pthread_cond_destroy(&im->jobs_cond);
	pthread_mutex_destroy(&im->rl_lock);
	authcache_free(im->auth);
	free(im);
	app->impl = NULL;
}
