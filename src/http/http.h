/*
 * http.h - the HTTP layer of crix serve, over libmicrohttpd: routing by
 * method and path pattern, request bodies with caps (JSON or multipart with
 * files), authentication (API token or session cookie with CSRF), per-address
 * rate limits for the public, one JSON error shape, structured access logs
 * and Prometheus metrics.
 *
 * The handlers (src/api) see a parsed request and fill a response; they never
 * touch libmicrohttpd.  A request's memory belongs to the request and is
 * released when it ends.
 */
#ifndef CRIX_HTTP_HTTP_H
#define CRIX_HTTP_HTTP_H

#include "model/account.h"
#include "model/report.h"
#include "store/store.h"
#include "util/err.h"
#include "util/secret.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_PARAMS 4
#define HTTP_JSON_MAX   (1u << 20) /* a JSON request body */

struct http_app;
struct http_req;
struct http_resp;

/* Who may call a route. */
enum http_access {
	HTTP_PUBLIC,      /* anyone; rate-limited per address when not signed in */
	HTTP_PUBLIC_OPEN, /* anyone, never rate-limited (health, metrics, docs) */
	HTTP_SIGNED_IN    /* an API token or a session: 401 otherwise */
};

/* Route flags. */
#define HTTP_MULTIPART 1u /* accepts multipart/form-data with files */
/* Runs on the connection thread, without the hand-off to a worker: for
 * handlers that never touch the store (they read in-memory indexes only). */
#define HTTP_INLINE 2u

typedef void (*http_handler)(struct http_app *app, struct http_req *rq, struct http_resp *rs);

struct http_route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE" */
	const char *pattern; /* "/api/v1/reports/{ref}": {x} matches one segment */
	http_handler fn;
	enum http_access access;
	size_t body_max;  /* 0: no body accepted */
	unsigned flags;   /* HTTP_MULTIPART, HTTP_INLINE (true in a table entry: multipart) */
	const char *name; /* for metrics and logs: the pattern itself */
};

/* A route taking bodies over this size gets them in a temporary file
 * (http_req.body_file), never in memory (a STIX bundle import). */
#define HTTP_SPOOL_OVER (64u << 20)

/* The routes the server serves (src/api/routes.c), ended by a NULL method. */
extern const struct http_route http_routes[];

struct http_options {
	const char *listen;  /* "ADDR:PORT" (IPv4, or [IPv6]:PORT); port 0 picks one */
	unsigned threads;    /* libmicrohttpd threads: connections, parsing, sending */
	unsigned workers;    /* handler threads: requests that touch the store */
	unsigned rate_limit; /* requests per minute per address for the public */
	bool tls;            /* behind TLS: cookies get Secure */

	/* statistics for the public hide cells of fewer reports than this */
	unsigned stats_min_cell;
};

struct jurisdiction;
struct casefacts;

/* Everything the handlers share; read-only after start except the counters. */
struct http_app {
	struct store *store;
	struct report_env reports;
	const struct catalogue *cat;
	struct sharing *sharing; /* groups, collections, STIX objects, lookups */
	unsigned char key[SECRET_KEY_LEN];
	struct http_options opt;
	char data_dir[4096];
	char web_dir[4096]; /* the real path of the web pages' directory, or "" */
	atomic_ulong reports_received;
	atomic_int in_flight;
	atomic_int stopping;
	void *impl;                       /* the server's private state */
	const struct jurisdiction *juris; /* who receives a case (model/jurisdiction.h), or NULL */
	struct casefacts *casefacts;      /* case-work statistics (model/casefacts.h), or NULL */
};

/* A file that came with a multipart request. */
struct http_file {
	char *field;
	char *name;
	unsigned char *data;
	size_t len;
};

struct http_req {
	const char *method;
	const char *path;
	const struct http_route *route;
	char *params[HTTP_MAX_PARAMS]; /* the {x} segments, percent-decoded */
	size_t n_params;
	char *body; /* NUL-terminated; the "report" field of a multipart form */
	size_t body_len;
	struct http_file *files;
	size_t n_files;
	FILE *body_file; /* a spooled route's body (body_len bytes), else NULL */
	struct principal who;
	char csrf[STORE_HEX_MAX]; /* the session's CSRF token when signed in by cookie */
	char session_hash[STORE_HEX_MAX];
	char ip[64];
	void *conn; /* the libmicrohttpd connection (for headers and query) */
	/* private */
	size_t body_cap;
	bool too_big;
	bool bad_multipart;
	void *pp;
	int done_auth;
	double t0;
	int stage;    /* 0: receiving, 1: with a worker, 2: answered by a worker */
	void *answer; /* the worker's struct http_resp */
	struct http_app *app;
	struct http_req *next_job;
};

struct http_resp {
	int status;
	char *body; /* malloc'd */
	size_t len;
	const char *content_type;
	char *headers[8][2]; /* extra headers, malloc'd name and value */
	size_t n_headers;
};

/* Starts the server (binds, starts the worker threads).  OUT: *port, the
 * bound port. */
int http_start(struct http_app *app, unsigned *port, struct crix_error *err);
/* Stops taking connections, lets requests in flight finish (up to
 * grace_seconds), and stops the workers. */
void http_stop(struct http_app *app, double grace_seconds);

/* ---- for handlers ---- */

/* A query parameter, or NULL. */
const char *http_query(struct http_req *rq, const char *name);
/* The name of the first query parameter given more than once (http_query
 * sees only the first of them), or NULL. */
const char *http_query_repeated(struct http_req *rq);
/* A request header, or NULL. */
const char *http_header(struct http_req *rq, const char *name);
/* Parses the body as a JSON object or array; on failure fills rs with a 400
 * naming the line and column and returns NULL. */
json_t *http_body_json(struct http_req *rq, struct http_resp *rs);

/* Responds with JSON (steals j). */
void http_json(struct http_resp *rs, int status, json_t *j);
/* Responds with bytes of a content type (copies them). */
void http_bytes(struct http_resp *rs, int status, const char *type, const void *data, size_t len);
/* Responds with the one error shape {"error": {"code", "message", "field"}}. */
void http_error(struct http_resp *rs, int status, const char *message, const char *field);
/* Maps a crix error to its status: EINVAL 400, EACCES 403, ENOTFOUND 404,
 * EEXIST 409, ETOOBIG 413, EBUSY 503, the rest 500. */
void http_error_from(struct http_resp *rs, const struct crix_error *err);
/* Adds a response header (copied). */
void http_header_add(struct http_resp *rs, const char *name, const char *value);

/* Metrics text (Prometheus exposition format), malloc'd. */
char *http_metrics_text(struct http_app *app);

/* Authenticates a bearer token or session cookie value: fills p.  Used by the
 * server for every request, and by tests. */
int http_auth_token(struct http_app *app, const char *token, struct principal *p,
                    struct crix_error *err);
/* Forgets every cached token principal (http/authcache.h), at once for every
 * thread: call after a change to a token, user or organisation commits. */
void http_auth_forget(struct http_app *app);

#endif
