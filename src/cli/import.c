/*
 * import.c - `crix import stix` and `crix import misp`: objects from files
 * into a collection of the store, as the collection's owner.
 *
 * A STIX bundle is read in 1 MiB pieces through the streaming scanner
 * (src/share/bundle.c), so that memory holds one object at a time whatever
 * the size of the bundle; objects are stored in batched transactions by
 * sharing_import_* (src/share/sharing.c), the same code POST
 * /api/v1/collections/{id}/import runs.
 *
 * The command takes the data directory's lock: a running crix serve keeps
 * its lookup index in memory and would not see rows written behind its
 * back, so import refuses to run beside it (the POST route is the live
 * path) and the server refuses to start during an import.
 */
#include "cli/cli.h"
#include "model/warnlist.h"
#include "share/bundle.h"
#include "share/misp.h"
#include "share/sharing.h"
#include "util/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (1u << 20)

void cli_import_help(FILE *f)
{
	fprintf(f,
	        "usage: crix import stix --collection ID [--data DIR] [--db URL]\n"
	        "                        [--warninglists DIR] FILE...\n"
	        "       crix import misp --collection ID [--data DIR] [--db URL]\n"
	        "                        [--warninglists DIR] FILE|DIR...\n\n"
	        "Imports into a collection (TAXII collection id, GET /api/v1/collections), as\n"
	        "its owner organisation.\n\n"
	        "stix: STIX 2.1 bundles ('-' is standard input), read as a stream: memory holds\n"
	        "one object at a time.  Each object is stored verbatim; indicator patterns crix\n"
	        "understands become lookup indicators; other patterns are kept as objects and\n"
	        "counted by reason.\n\n"
	        "misp: MISP core-format events (a file with {\"Event\": ...}) or MISP feeds (a\n"
	        "directory with manifest.json and one UUID.json per event).  Each attribute of a\n"
	        "type crix knows becomes a STIX indicator (ip-src, ip-dst, domain, hostname,\n"
	        "url, email-src, email-dst, md5, sha1, sha256, sha512, ...); other types are\n"
	        "counted.  The TLP is the event's tlp: tag, else the collection's.\n\n"
	        "Options:\n"
	        "  --collection ID     the collection (required)\n"
	        "  --data DIR          data directory (default ./crix-data)\n"
	        "  --db URL            sqlite:PATH (default sqlite:DIR/crix.db)\n"
	        "  --warninglists DIR  MISP warning lists: values on them are kept in the\n"
	        "                      objects but never become indicators (counted)\n"
	        "  -h, --help          this help\n\n"
	        "It may not run while crix serve uses the same data directory (the server's\n"
	        "in-memory index would not see the rows): it says so and stops.  To add to a\n"
	        "running server, POST the bundle to /api/v1/collections/{id}/import.\n"
	        "Prints one JSON line per input on standard output ({stored, indicators,\n"
	        "warninglisted, skipped_patterns, invalid, ...}) and the rate on standard error.\n"
	        "Exit status: 0 when every input was read, 1 when an input was not a bundle\n"
	        "(or event), 2 on error.\n");
}

struct feed {
	struct sharing_import *im;
	struct crix_error *err;
};

static int on_object(void *arg, size_t index, const char *obj, size_t len)
{
	struct feed *f = arg;
	return sharing_import_object(f->im, index, obj, len, f->err);
}

/* One bundle: 0, 1 when it is not a readable bundle (said why), 2 on a
 * store error. */
static int import_stix_file(struct sharing *sh, const char *coll, const char *path)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "crix import: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char source[STORE_NAME_MAX];
	const char *base = strrchr(path, '/');
	snprintf(source, sizeof source, "import:%.100s", base != NULL ? base + 1 : path);
	struct crix_error err = {0};
	struct sharing_import *im = NULL;
	struct bundle_scan *bs = NULL;
	struct feed f = {NULL, &err};
	char *buf = malloc(CHUNK);
	double t0 = clock_mono();
	size_t bytes = 0, objects = 0;
	int rc = buf == NULL ? crix_error_set(&err, CRIX_ENOMEM, "out of memory") : 0;
	if (rc == 0)
		rc = sharing_import_begin(sh, NULL, coll, source, &im, &err);
	f.im = im;
	if (rc == 0)
		rc = bundle_scan_new(0, on_object, &f, &bs, &err);
	bool bad_input = false;
	while (rc == 0) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = crix_error_set(&err, CRIX_EIO, "read: %s", strerror(errno));
			break;
		}
		if (n == 0) {
			rc = bundle_scan_end(bs, &objects, &err);
			bad_input = rc != 0;
			break;
		}
		bytes += (size_t)n;
		rc = bundle_scan_feed(bs, buf, (size_t)n, &err);
		bad_input = rc == CRIX_EINVAL || rc == CRIX_ETOOBIG;
	}
	/* What was read before a bad byte is kept: it is committed as usual. */
	json_t *res = NULL;
	struct crix_error e2 = {0};
	int erc = im != NULL ? sharing_import_end(im, &res, &e2) : 0;
	double secs = clock_mono() - t0;
	if (rc != 0)
		fprintf(stderr, "crix import: %s: %s\n", path, err.msg);
	if (erc != 0)
		fprintf(stderr, "crix import: %s: %s\n", path, e2.msg);
	if (res != NULL) {
		json_object_set_new(res, "file", json_string(path));
		json_object_set_new(res, "seconds", json_real(secs));
		char *s = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s != NULL)
			printf("%s\n", s);
		free(s);
		json_t *st = json_object_get(res, "stored");
		fprintf(stderr,
		        "crix import: %s: %lld objects stored from %.1f MB in %.2f s (%.0f "
		        "objects/s, %.1f MB/s)\n",
		        path, (long long)json_integer_value(st), bytes / 1e6, secs,
		        secs > 0 ? json_integer_value(st) / secs : 0.0,
		        secs > 0 ? bytes / 1e6 / secs : 0.0);
	}
	json_decref(res);
	bundle_scan_free(bs);
	sharing_import_free(im);
	free(buf);
	if (fd != STDIN_FILENO)
		close(fd);
	if (erc != 0 || (rc != 0 && !bad_input))
		return 2;
	return rc != 0 ? 1 : 0;
}

int cli_import(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		cli_import_help(stdout);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "stix") != 0 && strcmp(argv[1], "misp") != 0)) {
		fprintf(stderr, "crix import: which format? stix or misp (see --help)\n");
		return 2;
	}
	bool misp = strcmp(argv[1], "misp") == 0;
	const char *data = "crix-data", *db = NULL, *coll = NULL, *warn_dir = NULL;
	int first = argc;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_import_help(stdout);
			return 0;
		}
		if (strcmp(a, "--") == 0 || a[0] != '-' || strcmp(a, "-") == 0) {
			first = strcmp(a, "--") == 0 ? i + 1 : i;
			break;
		}
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL) {
			fprintf(stderr, "crix import: %s: unknown option or missing value\n", a);
			return 2;
		}
		if (strcmp(a, "--data") == 0)
			data = v;
		else if (strcmp(a, "--db") == 0)
			db = v;
		else if (strcmp(a, "--collection") == 0)
			coll = v;
		else if (strcmp(a, "--warninglists") == 0)
			warn_dir = v;
		else {
			fprintf(stderr, "crix import: unknown option '%s' (see --help)\n", a);
			return 2;
		}
		i++;
	}
	if (coll == NULL) {
		fprintf(stderr, "crix import: --collection ID is required\n");
		return 2;
	}
	if (first >= argc) {
		fprintf(stderr,
		        "crix import: no input given (a FILE, or '-' for standard input)\n");
		return 2;
	}
	struct stat sb;
	if (stat(data, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "crix import: --data %s: no such data directory\n", data);
		return 2;
	}
	int lock = cli_lock_data_dir("import", data);
	if (lock < 0)
		return 2;
	struct crix_error err = {0};
	struct ioc_ctx *ioc = NULL;
	struct store *store = NULL;
	struct sharing *sh = NULL;
	struct warnlist *warn = NULL;
	int rc = 2;
	if (ioc_ctx_new(&ioc, &err) != 0 || store_open(db, data, &store, &err) != 0 ||
	    (warn_dir != NULL &&
	     warnlist_load_dir(ioc, warn_dir, &warn, &(size_t){0}, &(size_t){0}, &err) != 0) ||
	    sharing_open(store, ioc, &sh, &err) != 0) {
		fprintf(stderr, "crix import: %s\n", err.msg);
		goto out;
	}
	sharing_set_warnlist(sh, warn);
	rc = 0;
	for (int i = first; i < argc; i++) {
		int r = misp ? misp_import_path(sh, ioc, coll, argv[i], stdout, stderr)
		             : import_stix_file(sh, coll, argv[i]);
		if (r > rc)
			rc = r;
		if (r == 2)
			break;
	}
out:
	sharing_free(sh);
	warnlist_free(warn);
	store_close(store);
	ioc_ctx_free(ioc);
	close(lock);
	return rc;
}
