/*
 * serve.c - `crix serve`: the reporting centre's HTTP server.
 */
#include "cli/cli.h"

#include "http/http.h"
#include "share/sharing.h"
#include "model/casefacts.h"
#include "model/jurisdiction.h"
#include "model/stats.h"
#include "util/log.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_serve_help(FILE *f)
{
	fprintf(f,
	        "usage: crix serve [--data DIR] [--listen ADDR:PORT] [--db URL] [--catalogue DIR]\n"
	        "                  [--warninglists DIR] [--triage FILE] [--threads N] [--workers "
	        "N]\n"
	        "                  [--rate-limit N] [--stats-min-cell N] [--tls] [--web DIR]\n"
	        "                  [--jurisdictions PATH]\n\n"
	        "Runs the reporting centre: the REST API (GET /api/v1/openapi.json describes it),\n"
	        "the web pages (GET /), /healthz and /metrics.  Logs go to standard error as JSON "
	        "lines.  SIGTERM or\n"
	        "SIGINT stop it gracefully: requests in flight finish first.\n\n"
	        "Options:\n"
	        "  --data DIR        data directory, created on first start (default "
	        "./crix-data):\n"
	        "                    the SQLite database, the server key, evidence files\n"
	        "  --listen A:P      address to listen on (default 127.0.0.1:8080; port 0 picks a\n"
	        "                    free one); prints 'listening on ADDR:PORT' when ready\n"
	        "  --db URL          sqlite:PATH (default sqlite:DIR/crix.db)\n"
	        "  --catalogue DIR   offence and advice catalogue (default: the data/ directory\n"
	        "                    next to the binary's build tree, or /usr/share/crix)\n"
	        "  --warninglists DIR  MISP warning lists (DIR/NAME/list.json): values on them\n"
	        "                    never link reports into cases (none by default)\n"
	        "  --triage FILE     triage weights (JSON; default: triage.json in the catalogue\n"
	        "                    directory when there, else built-in; see docs/triage.md)\n"
	        "  --jurisdictions PATH  jurisdiction rules that choose who receives a case (a\n"
	        "                    JSON file or a directory of them; default: jurisdictions/\n"
	        "                    in the catalogue directory when there, else none; see\n"
	        "                    docs/dissemination.md)\n"
	        "  --threads N       threads for connections (default 4)\n"
	        "  --workers N       threads that run requests touching the store (default 16;\n"
	        "                    0 runs them on the connection threads)\n"
	        "  --rate-limit N    requests per minute per address for the public (default 60)\n"
	        "  --stats-min-cell N  statistics for anyone but reporting-centre staff hide\n"
	        "                    cells of fewer than N reports (default 5, 1-10000)\n"
	        "  --tls             crix runs behind a TLS proxy: session cookies get Secure\n"
	        "  --web DIR         the web pages (default: the web/ directory next to the\n"
	        "                    binary's build tree, or /usr/share/crix/web); without\n"
	        "                    one the server answers the API only\n"
	        "  -h, --help        this help\n\n"
	        "First steps: crix admin init --data DIR (prints the administrator's one-time\n"
	        "password), then POST /api/v1/login.  See crix-serve(1).\n");
}

int cli_make_data_dir(const char *cmd, const char *dir)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "crix %s: --data %s: %s\n", cmd, dir, strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "crix %s: --data %s: not a directory\n", cmd, dir);
		return -1;
	}
	return 0;
}

int cli_find_catalogue(const char *given, char *out, size_t cap)
{
	char exe[PATH_MAX];
	const char *env = getenv("CRIX_CATALOGUE");
	if (given != NULL || env != NULL) {
		snprintf(out, cap, "%s", given ? given : env);
		return 0;
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* build/crix, build/asan/crix, or an installed bin/crix. */
		static const char *const up[] = {"/../data", "/../../data", "/../share/crix"};
		char *slash = strrchr(exe, '/');
		if (slash != NULL)
			*slash = '\0';
		for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
			char probe[PATH_MAX + 64];
			snprintf(probe, sizeof probe, "%s%s/offences.json", exe, up[i]);
			if (access(probe, R_OK) == 0) {
				snprintf(out, cap, "%s%s", exe, up[i]);
				return 0;
			}
		}
	}
	if (access("/usr/share/crix/offences.json", R_OK) == 0) {
		snprintf(out, cap, "/usr/share/crix");
		return 0;
	}
	return -1;
}

/* The web pages: --web, $CRIX_WEB, then web/ beside the build tree or an
 * installed share/crix/web, as for the catalogue.  OUT: out, the directory's
 * real path (links resolved, so that static.c can check files stay in it).
 * -1 with a message when a given directory is unusable, 1 when none was
 * given and none was found. */
static int find_web(const char *given, char *out, size_t cap)
{
	char exe[PATH_MAX], probe[PATH_MAX + 64], real[PATH_MAX];
	const char *env = getenv("CRIX_WEB");
	const char *dir = given ? given : env;
	if (dir != NULL) {
		snprintf(probe, sizeof probe, "%s/index.html", dir);
		if (realpath(dir, real) == NULL || access(probe, R_OK) != 0) {
			fprintf(stderr, "crix serve: --web %s: no readable index.html there\n",
			        dir);
			return -1;
		}
		snprintf(out, cap, "%s", real);
		return 0;
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		static const char *const up[] = {"/../web", "/../../web", "/../share/crix/web"};
		char *slash = strrchr(exe, '/');
		if (slash != NULL)
			*slash = '\0';
		for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
			snprintf(probe, sizeof probe, "%s%s", exe, up[i]);
			char idx[PATH_MAX + 80];
			snprintf(idx, sizeof idx, "%s/index.html", probe);
			if (access(idx, R_OK) == 0 && realpath(probe, real) != NULL) {
				snprintf(out, cap, "%s", real);
				return 0;
			}
		}
	}
	if (access("/usr/share/crix/web/index.html", R_OK) == 0 &&
	    realpath("/usr/share/crix/web", real) != NULL) {
		snprintf(out, cap, "%s", real);
		return 0;
	}
	return 1;
}

static int parse_uint(const char *opt, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < (long)lo || n > (long)hi) {
		fprintf(stderr, "crix serve: %s: a number from %u to %u\n", opt, lo, hi);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

int cli_serve(int argc, char **argv)
{
	const char *data = "crix-data", *db = NULL, *cat_dir = NULL, *warn_dir = NULL;
	const char *triage_path = NULL;
	const char *juris_path = NULL;
	const char *web_dir = NULL;
	struct http_app *app = calloc(1, sizeof *app);
	if (app == NULL)
		return 2;
	app->opt.listen = "127.0.0.1:8080";
	app->opt.threads = 4;
	app->opt.workers = 16;
	app->opt.rate_limit = 60;
	app->opt.stats_min_cell = STATS_MIN_CELL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--tls") == 0) {
			app->opt.tls = true;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr,
			        "crix serve: %s: unknown option or missing value (see --help)\n",
			        a);
			free(app);
			return 2;
		}
		if (strcmp(a, "--data") == 0)
			data = v;
		else if (strcmp(a, "--listen") == 0)
			app->opt.listen = v;
		else if (strcmp(a, "--db") == 0)
			db = v;
		else if (strcmp(a, "--catalogue") == 0)
			cat_dir = v;
		else if (strcmp(a, "--warninglists") == 0)
			warn_dir = v;
		else if (strcmp(a, "--triage") == 0)
			triage_path = v;
		else if (strcmp(a, "--jurisdictions") == 0)
			juris_path = v;
		else if (strcmp(a, "--web") == 0)
			web_dir = v;
		else if (strcmp(a, "--threads") == 0) {
			if (parse_uint(a, v, 1, 256, &app->opt.threads)) {
				free(app);
				return 2;
			}
		} else if (strcmp(a, "--workers") == 0) {
			if (parse_uint(a, v, 0, 1024, &app->opt.workers)) {
				free(app);
				return 2;
			}
		} else if (strcmp(a, "--stats-min-cell") == 0) {
			if (parse_uint(a, v, 1, 10000, &app->opt.stats_min_cell)) {
				free(app);
				return 2;
			}
		} else if (strcmp(a, "--rate-limit") == 0) {
			if (parse_uint(a, v, 1, 1000000, &app->opt.rate_limit)) {
				free(app);
				return 2;
			}
		} else {
			fprintf(stderr, "crix serve: unknown option '%s' (see --help)\n", a);
			free(app);
			return 2;
		}
		i++;
	}
	int rc = 2;
	struct crix_error err = {0};
	struct ioc_ctx *ioc = NULL;
	struct catalogue *cat = NULL;
	struct cases *cases = NULL;
	struct sharing *sharing = NULL;
	struct facts *facts = NULL;
	struct warnlist *warn = NULL;
	struct jurisdiction *juris = NULL;
	struct casefacts *casefacts = NULL;
	char catp[PATH_MAX], keyp[PATH_MAX];
	if (cli_make_data_dir("serve", data) != 0)
		goto out;
	if (cli_lock_data_dir("serve", data) < 0) /* held until the process ends */
		goto out;
	snprintf(app->data_dir, sizeof app->data_dir, "%s", data);
	if (cli_find_catalogue(cat_dir, catp, sizeof catp) != 0) {
		fprintf(stderr, "crix serve: no offence catalogue found; give --catalogue DIR (the "
		                "data/ directory of the source tree)\n");
		goto out;
	}
	int web = find_web(web_dir, app->web_dir, sizeof app->web_dir);
	if (web < 0)
		goto out;
	if (web > 0)
		log_event("warn", "no web pages found (give --web DIR): serving the API only",
		          NULL);
	snprintf(keyp, sizeof keyp, "%s/secret.key", data);
	if (secret_init(&err) || secret_key_load(keyp, app->key, &err) ||
	    catalogue_load(catp, &cat, &err) || ioc_ctx_new(&ioc, &err) ||
	    store_open(db, data, &app->store, &err)) {
		fprintf(stderr, "crix serve: %s\n", err.msg);
		goto out;
	}
	app->cat = cat;
	/* Reports linked into cases: rebuilt from the stored indicators. */
	uint64_t n_ind = 0;
	double t0 = clock_mono();
	if (warn_dir != NULL) {
		size_t n_lists, n_values;
		if (warnlist_load_dir(ioc, warn_dir, &warn, &n_lists, &n_values, &err) != 0) {
			fprintf(stderr, "crix serve: %s\n", err.msg);
			goto out;
		}
		log_event("info", "warning lists loaded",
		          json_pack("{s:s,s:I,s:I}", "dir", warn_dir, "lists", (json_int_t)n_lists,
		                    "values", (json_int_t)n_values));
	}
	if (cases_open(app->store, 0, warn, &cases, &n_ind, &err) != 0) {
		fprintf(stderr, "crix serve: %s\n", err.msg);
		goto out;
	}
	/* Triage weights are data: the file given, else the catalogue's. */
	struct triage_weights tw;
	char twp[PATH_MAX + 16];
	snprintf(twp, sizeof twp, "%s/triage.json", catp);
	if (triage_path == NULL && access(twp, R_OK) == 0)
		triage_path = twp;
	if (triage_path == NULL)
		triage_defaults(&tw);
	else if (triage_load(triage_path, &tw, &err) != 0) {
		fprintf(stderr, "crix serve: --triage %s\n", err.msg);
		goto out;
	}
	cases_set_triage(cases, &tw);
	/* Jurisdiction rules are data too: the path given, else the catalogue's. */
	char jp[PATH_MAX + 16];
	snprintf(jp, sizeof jp, "%s/jurisdictions", catp);
	if (juris_path == NULL && access(jp, R_OK) == 0)
		juris_path = jp;
	if (juris_path != NULL && jurisdiction_load(juris_path, &juris, &err) != 0) {
		fprintf(stderr, "crix serve: --jurisdictions %s\n", err.msg);
		goto out;
	}
	app->juris = juris;
	log_event("info", "cases built",
	          json_pack("{s:I,s:f}", "indicators", (json_int_t)n_ind, "seconds",
	                    clock_mono() - t0));
	/* Shared objects: groups and collections in memory, their indicators in
	 * the lookup index. */
	t0 = clock_mono();
	if (sharing_open(app->store, ioc, &sharing, &err) != 0) {
		fprintf(stderr, "crix serve: %s\n", err.msg);
		goto out;
	}
	app->sharing = sharing;
	sharing_set_warnlist(sharing, warn);
	log_event("info", "shared indicators indexed",
	          json_pack("{s:I,s:f}", "indicators", (json_int_t)sharing_indicator_count(sharing),
	                    "seconds", clock_mono() - t0));
	/* The statistics fact table: one packed row per report. */
	t0 = clock_mono();
	if (facts_open(app->store, &facts, &err) != 0) {
		fprintf(stderr, "crix serve: %s\n", err.msg);
		goto out;
	}
	if (casefacts_open(app->store, &casefacts, &err) != 0) {
		fprintf(stderr, "crix serve: %s\n", err.msg);
		goto out;
	}
	app->casefacts = casefacts;
	log_event("info", "statistics built", json_pack("{s:f}", "seconds", clock_mono() - t0));
	app->reports = (struct report_env){.store = app->store,
	                                   .cat = cat,
	                                   .ioc = ioc,
	                                   .key = app->key,
	                                   .data_dir = app->data_dir,
	                                   .cases = cases,
	                                   .facts = facts};
	/* Signals go to the main thread only, which waits for them below; the
	 * workers started next inherit the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	unsigned port;
	if (http_start(app, &port, &err) != 0) {
		fprintf(stderr, "crix serve: %s\n", err.msg);
		goto out;
	}
	char host[128];
	const char *colon = strrchr(app->opt.listen, ':');
	snprintf(host, sizeof host, "%.*s", (int)(colon - app->opt.listen), app->opt.listen);
	printf("listening on %s:%u\n", host[0] ? host : "0.0.0.0", port);
	fflush(stdout);
	log_event("info", "started",
	          json_pack("{s:s,s:i,s:s,s:s,s:s,s:i}", "listen", host, "port", (int)port, "data",
	                    data, "catalogue", catp, "web", app->web_dir, "schema",
	                    store_schema_version(app->store)));
	int sig = 0;
	sigwait(&set, &sig);
	log_event("info", "stopping",
	          json_pack("{s:i,s:i}", "signal", sig, "in_flight", atomic_load(&app->in_flight)));
	http_stop(app, 30.0);
	log_event("info", "stopped", NULL);
	rc = 0;
out:
	cases_free(cases);
	jurisdiction_free(juris);
	casefacts_free(casefacts);
	sharing_free(sharing);
	facts_free(facts);
	warnlist_free(warn);
	store_close(app->store);
	catalogue_free(cat);
	ioc_ctx_free(ioc);
	memset(app->key, 0, sizeof app->key);
	free(app);
	return rc;
}
