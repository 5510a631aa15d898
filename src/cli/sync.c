/*
 * sync.c - crix sync: federation over TAXII 2.1 (libcurl).  Pulls collections
 * of partner servers into local collections and pushes local collections to
 * partners, incrementally from the last date_added seen per rule (kept in a
 * state file written durably after every page), honouring markings:
 * objects whose TLP may not be passed on (AMBER+STRICT, RED) never leave the
 * server they are on, and objects without a TLP marking take the source
 * collection's (unknown to a client, so they are treated as AMBER: passed on
 * only to the one partner of the rule).
 *
 * Objects are written to the local server over its own TAXII API, so that
 * they go through the same checks, the same transaction and the same lookup
 * index as any other, with their provenance (X-Crix-Provenance: partner,
 * collection) recorded as the object's source.
 */
#include "cli/cli.h"
#include "share/tlp.h"
#include "util/durable.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TAXII_MEDIA  "application/taxii+json;version=2.1"
#define PAGE         1000
#define BODY_MAX     (64u << 20) /* one TAXII answer */
#define PARTNERS_MAX 64

void cli_sync_help(FILE *f)
{
	fputs("usage: crix sync --config FILE [--state FILE] [--once] [--dry-run]\n"
	      "\n"
	      "Exchanges STIX 2.1 objects with partner TAXII 2.1 servers (crix or any\n"
	      "other): pulls partners' collections into local collections and pushes\n"
	      "local collections to partners, from where the last run stopped.\n"
	      "\n"
	      "Objects marked TLP:AMBER+STRICT or TLP:RED are never passed on.  Pulled\n"
	      "objects are posted to the local crix server over its TAXII API with their\n"
	      "provenance (partner and collection), so they are checked, stored and\n"
	      "indexed for lookups like any other.\n"
	      "\n"
	      "The configuration (JSON; keep it mode 0600, it holds credentials):\n"
	      "  {\"local\": {\"url\": \"http://127.0.0.1:8080/taxii2/api/\",\n"
	      "             \"username\": \"sync\", \"token\": \"crix_...\"},\n"
	      "   \"partners\": [{\"name\": \"hub\", \"url\": \"https://hub/taxii2/api/\",\n"
	      "                 \"username\": \"...\", \"token\": \"...\",\n"
	      "                 \"pull\": [{\"collection\": \"REMOTE-ID\", \"into\": "
	      "\"LOCAL-ID\"}],\n"
	      "                 \"push\": [{\"collection\": \"LOCAL-ID\", \"to\": "
	      "\"REMOTE-ID\"}]}]}\n"
	      "A \"token_file\" may stand for \"token\" (the file's first line).\n"
	      "\n"
	      "Options:\n"
	      "  --config FILE  the configuration above\n"
	      "  --state FILE   where the last date_added per rule is kept (default\n"
	      "                 FILE.state beside the configuration)\n"
	      "  --dry-run      fetch and count, write nothing\n"
	      "  -h, --help     this help\n"
	      "\n"
	      "Prints one line per rule: objects fetched, passed on, withheld by TLP.\n"
	      "Exit status: 0 when every rule ran, 1 when one failed, 2 on a bad\n"
	      "configuration.\n",
	      f);
}

struct endpoint {
	char url[1024]; /* the API root, ending in '/' */
	char user[128];
	char token[256];
};

struct buf {
	char *p;
	size_t n;
	bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;
	if (b->n + n > BODY_MAX) {
		b->too_big = true;
		return 0;
	}
	char *p = realloc(b->p, b->n + n + 1);
	if (p == NULL)
		return 0;
	memcpy(p + b->n, ptr, n);
	b->p = p;
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

struct resp {
	long status;
	json_t *json;
	char last_added[64];
};

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct resp *r = arg;
	size_t n = size * nmemb;
	static const char name[] = "x-taxii-date-added-last:";
	if (n > sizeof name && strncasecmp(ptr, name, sizeof name - 1) == 0) {
		const char *v = ptr + sizeof name - 1;
		while (*v == ' ')
			v++;
		size_t len = (size_t)(ptr + n - v);
		while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
			len--;
		if (len < sizeof r->last_added) {
			memcpy(r->last_added, v, len);
			r->last_added[len] = '\0';
		}
	}
	return n;
}

/* One TAXII request.  body: NULL for GET.  OUT: r (r->json may be NULL). */
static int call(const struct endpoint *e, const char *path, const char *body,
                const char *provenance, struct resp *r, char *why, size_t cap)
{
	memset(r, 0, sizeof *r);
	CURL *c = curl_easy_init();
	if (c == NULL) {
		snprintf(why, cap, "libcurl failed to start");
		return -1;
	}
	char url[2048], userpwd[400], prov[256];
	snprintf(url, sizeof url, "%s%s", e->url, path);
	snprintf(userpwd, sizeof userpwd, "%s:%s", e->user, e->token);
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Accept: " TAXII_MEDIA);
	if (body != NULL)
		h = curl_slist_append(h, "Content-Type: " TAXII_MEDIA);
	if (provenance != NULL) {
		snprintf(prov, sizeof prov, "X-Crix-Provenance: %s", provenance);
		h = curl_slist_append(h, prov);
	}
	struct buf b = {0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (body != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	CURLcode cc = curl_easy_perform(c);
	int rc = 0;
	if (cc != CURLE_OK) {
		snprintf(why, cap, "%.300s: %s", url,
		         b.too_big ? "answer larger than 64 MiB" : curl_easy_strerror(cc));
		rc = -1;
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
		r->json = b.p != NULL ? json_loads(b.p, 0, NULL) : NULL;
		if (r->status >= 300) {
			const char *d = json_string_value(json_object_get(r->json, "description"));
			snprintf(why, cap, "%.300s: HTTP %ld%s%.400s", url, r->status,
			         d ? ": " : "", d ? d : "");
			rc = -1;
		}
	}
	free(b.p);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc;
}

/* The TLP of an object from its markings; 0 when it has none crix knows. */
static enum tlp object_tlp(const json_t *o)
{
	int t = 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(o, "object_marking_refs"), i, m)
	{
		int x = json_is_string(m) ? (int)tlp_from_marking(json_string_value(m)) : 0;
		if (x > t)
			t = x;
	}
	return (enum tlp)t;
}

static bool may_pass_on(const json_t *o)
{
	struct share_object so = {.tlp = object_tlp(o)};
	if (so.tlp == 0)
		so.tlp = TLP_AMBER; /* the source collection's TLP is not known here */
	return tlp_may_pass_on(&so);
}

static int endpoint_from(const json_t *j, const char *where, struct endpoint *e)
{
	const char *url = json_string_value(json_object_get(j, "url"));
	const char *user = json_string_value(json_object_get(j, "username"));
	const char *tok = json_string_value(json_object_get(j, "token"));
	const char *tokf = json_string_value(json_object_get(j, "token_file"));
	if (url == NULL || strlen(url) + 2 >= sizeof e->url ||
	    (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)) {
		fprintf(stderr, "crix sync: %s.url: an http(s) URL of a TAXII API root\n", where);
		return -1;
	}
	if (user == NULL || strlen(user) >= sizeof e->user || strchr(user, ':') != NULL) {
		fprintf(stderr, "crix sync: %s.username: a user name without ':'\n", where);
		return -1;
	}
	snprintf(e->url, sizeof e->url, "%s%s", url, url[strlen(url) - 1] == '/' ? "" : "/");
	snprintf(e->user, sizeof e->user, "%s", user);
	if (tok == NULL && tokf != NULL) {
		FILE *f = fopen(tokf, "r");
		if (f == NULL || fgets(e->token, sizeof e->token, f) == NULL) {
			fprintf(stderr, "crix sync: %s.token_file: %s: %s\n", where, tokf,
			        f ? "empty" : strerror(errno));
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		e->token[strcspn(e->token, "\r\n")] = '\0';
		return 0;
	}
	if (tok == NULL || strlen(tok) >= sizeof e->token) {
		fprintf(stderr, "crix sync: %s.token: an API token (or token_file)\n", where);
		return -1;
	}
	snprintf(e->token, sizeof e->token, "%s", tok);
	return 0;
}

/*
 * Writes the state durably (util/durable.h): after a crash the file holds
 * either the state before this page or the one after it, whole, so a run
 * never starts from a torn file or goes back further than the last page
 * it wrote.
 */
static int state_save(const char *path, json_t *state)
{
	char *text = json_dumps(state, JSON_INDENT(1) | JSON_SORT_KEYS);
	if (text == NULL) {
		fprintf(stderr, "crix sync: %s: cannot write the state: out of memory\n", path);
		return -1;
	}
	int rc = durable_replace(path, text, strlen(text), 0600);
	if (rc != 0)
		fprintf(stderr, "crix sync: %s: cannot write the state: %s\n", path,
		        strerror(errno));
	free(text);
	return rc;
}

static bool id_ok(const char *s)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!(*p == '-' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z')))
			return false;
	return true;
}

/*
 * One rule: every object of from/coll_from added after the state's time,
 * page by page, to to/coll_to.  provenance: NULL when pushing.
 */
static int transfer(const struct endpoint *from, const char *coll_from, const struct endpoint *to,
                    const char *coll_to, const char *provenance, const char *key, json_t *state,
                    const char *state_path, bool dry, const char *label)
{
	size_t fetched = 0, passed = 0, withheld = 0;
	char why[1024], path[512];
	const char *after = json_string_value(json_object_get(state, key));
	char next[128] = "";
	char since[64] = "";
	if (after != NULL)
		snprintf(since, sizeof since, "%s", after);
	int rc = 0;
	for (;;) {
		int n = snprintf(path, sizeof path, "collections/%s/objects/?limit=%d", coll_from,
		                 PAGE);
		if (next[0] != '\0')
			n += snprintf(path + n, sizeof path - (size_t)n, "&next=%s", next);
		else if (since[0] != '\0')
			snprintf(path + n, sizeof path - (size_t)n, "&added_after=%s", since);
		struct resp r;
		if (call(from, path, NULL, NULL, &r, why, sizeof why) != 0) {
			fprintf(stderr, "crix sync: %s: %s\n", label, why);
			json_decref(r.json);
			rc = -1;
			break;
		}
		json_t *objs = json_object_get(r.json, "objects");
		json_t *out = json_array();
		size_t i;
		json_t *o;
		json_array_foreach(objs, i, o)
		{
			fetched++;
			if (may_pass_on(o)) {
				json_array_append(out, o);
				passed++;
			} else {
				withheld++;
			}
		}
		if (json_array_size(out) > 0 && !dry) {
			json_t *env = json_pack("{so}", "objects", out);
			char *body = json_dumps(env, JSON_COMPACT);
			json_decref(env);
			out = NULL;
			snprintf(path, sizeof path, "collections/%s/objects/", coll_to);
			struct resp w;
			int wrc = body ? call(to, path, body, provenance, &w, why, sizeof why) : -1;
			free(body);
			if (wrc == 0 &&
			    json_integer_value(json_object_get(w.json, "failure_count")) > 0)
				fprintf(stderr, "crix sync: %s: %lld objects refused by %s\n",
				        label,
				        (long long)json_integer_value(
				                json_object_get(w.json, "failure_count")),
				        to->url);
			json_decref(w.json);
			if (wrc != 0) {
				fprintf(stderr, "crix sync: %s: %s\n", label, why);
				json_decref(r.json);
				rc = -1;
				break;
			}
		}
		json_decref(out);
		/* Only after the page is written does the state move on. */
		if (r.last_added[0] != '\0' && !dry) {
			json_object_set_new(state, key, json_string(r.last_added));
			if (state_save(state_path, state) != 0) {
				json_decref(r.json);
				rc = -1;
				break;
			}
		}
		const char *nx = json_string_value(json_object_get(r.json, "next"));
		bool more = json_is_true(json_object_get(r.json, "more")) && nx != NULL &&
		            strlen(nx) < sizeof next;
		if (more)
			snprintf(next, sizeof next, "%s", nx);
		json_decref(r.json);
		if (!more)
			break;
	}
	printf("%s: %zu fetched, %zu passed on, %zu withheld (TLP)%s\n", label, fetched, passed,
	       withheld, rc ? ", FAILED" : "");
	return rc;
}

int cli_sync(int argc, char **argv)
{
	const char *config = NULL, *state_path = NULL;
	bool dry = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_sync_help(stdout);
			return 0;
		}
		if (strcmp(a, "--dry-run") == 0) {
			dry = true;
		} else if (strcmp(a, "--once") == 0) {
			/* one pass is all there is; kept for scripts that say so */
		} else if ((strcmp(a, "--config") == 0 || strcmp(a, "--state") == 0) &&
		           i + 1 < argc) {
			if (strcmp(a, "--config") == 0)
				config = argv[++i];
			else
				state_path = argv[++i];
		} else {
			fprintf(stderr,
			        "crix sync: unknown option or missing value '%s' (see --help)\n",
			        a);
			return 2;
		}
	}
	if (config == NULL) {
		fprintf(stderr, "crix sync: --config FILE is required (see --help)\n");
		return 2;
	}
	json_error_t je;
	json_t *cfg = json_load_file(config, JSON_REJECT_DUPLICATES, &je);
	if (cfg == NULL) {
		fprintf(stderr, "crix sync: %s:%d: %s\n", config, je.line, je.text);
		return 2;
	}
	struct stat st;
	if (stat(config, &st) == 0 && (st.st_mode & 077) != 0)
		fprintf(stderr,
		        "crix sync: warning: %s is readable by others; it holds tokens "
		        "(chmod 600)\n",
		        config);
	char spath[4200];
	if (state_path == NULL) {
		snprintf(spath, sizeof spath, "%s.state", config);
		state_path = spath;
	}
	json_t *state = json_load_file(state_path, 0, &je);
	if (state == NULL && access(state_path, F_OK) == 0) {
		fprintf(stderr, "crix sync: %s:%d: %s\n", state_path, je.line, je.text);
		json_decref(cfg);
		return 2;
	}
	if (state == NULL)
		state = json_object();
	struct endpoint local;
	int rc = 0;
	json_t *partners = json_object_get(cfg, "partners");
	if (endpoint_from(json_object_get(cfg, "local"), "local", &local) != 0 ||
	    !json_is_array(partners) || json_array_size(partners) > PARTNERS_MAX) {
		if (!json_is_array(partners))
			fprintf(stderr, "crix sync: partners: an array of partners\n");
		json_decref(cfg);
		json_decref(state);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	size_t i;
	json_t *p;
	json_array_foreach(partners, i, p)
	{
		char where[64], label[512], key[512], prov[256];
		snprintf(where, sizeof where, "partners[%zu]", i);
		struct endpoint remote;
		const char *name = json_string_value(json_object_get(p, "name"));
		if (name == NULL || !id_ok(name) || endpoint_from(p, where, &remote) != 0) {
			if (name == NULL || !id_ok(name))
				fprintf(stderr, "crix sync: %s.name: letters, digits and '-'\n",
				        where);
			rc = rc ? rc : 2;
			continue;
		}
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(p, "pull"), k, r)
		{
			const char *from = json_string_value(json_object_get(r, "collection"));
			const char *into = json_string_value(json_object_get(r, "into"));
			if (!id_ok(from) || !id_ok(into)) {
				fprintf(stderr,
				        "crix sync: %s.pull[%zu]: collection and into: ids\n",
				        where, k);
				rc = rc ? rc : 2;
				continue;
			}
			snprintf(label, sizeof label, "pull %s/%s -> %s", name, from, into);
			snprintf(key, sizeof key, "pull %s %s %s", name, from, into);
			snprintf(prov, sizeof prov, "partner=%s collection=%s", name, from);
			if (transfer(&remote, from, &local, into, prov, key, state, state_path, dry,
			             label) != 0)
				rc = rc ? rc : 1;
		}
		json_array_foreach(json_object_get(p, "push"), k, r)
		{
			const char *from = json_string_value(json_object_get(r, "collection"));
			const char *to = json_string_value(json_object_get(r, "to"));
			if (!id_ok(from) || !id_ok(to)) {
				fprintf(stderr, "crix sync: %s.push[%zu]: collection and to: ids\n",
				        where, k);
				rc = rc ? rc : 2;
				continue;
			}
			snprintf(label, sizeof label, "push %s -> %s/%s", from, name, to);
			snprintf(key, sizeof key, "push %s %s %s", from, name, to);
			if (transfer(&local, from, &remote, to, NULL, key, state, state_path, dry,
			             label) != 0)
				rc = rc ? rc : 1;
		}
	}
	curl_global_cleanup();
	json_decref(cfg);
	json_decref(state);
	return rc;
}
