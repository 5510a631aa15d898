/*
 * export_misp.c - `crix export misp`: a MISP feed on disk (manifest.json and
 * one UUID.json per event) of what one user may see, built by share/misp.c
 * through the same visibility path as TAXII and GET /api/v1/misp/...
 *
 * The command reads the store only; it may run beside crix serve (SQLite
 * WAL lets readers in while the server writes).
 */
#include "cli/cli.h"
#include "share/misp.h"

#include <errno.h>
#include <nettle/md5.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cli_export_misp_help(FILE *f)
{
	fprintf(f,
	        "usage: crix export misp --out DIR [--user NAME] [--data DIR] [--db URL]\n\n"
	        "Writes a MISP feed of the shared indicators a user may see: DIR/manifest.json,\n"
	        "DIR/hashes.csv and one DIR/UUID.json per collection the user can read (the\n"
	        "event's UUID is the collection's id; its Tag is the collection's TLP; one\n"
	        "attribute per value of each visible indicator whose pattern crix understands).\n"
	        "A MISP instance adds DIR (served over HTTP) as a feed; crix import misp reads\n"
	        "it back.\n\n"
	        "Options:\n"
	        "  --out DIR     where the feed goes (created; existing event files are replaced)\n"
	        "  --user NAME   whose view to export (default: none, which sees TLP:CLEAR only)\n"
	        "  --data DIR    data directory (default ./crix-data)\n"
	        "  --db URL      sqlite:PATH (default sqlite:DIR/crix.db)\n"
	        "  -h, --help    this help\n\n"
	        "Exit status: 0 when the feed was written, 2 on error.\n");
}

/* hashes.csv: "MD5 of the value,event UUID" per attribute, which MISP reads
 * to match a feed's values without fetching its events. */
static int add_hashes(FILE *f, const json_t *ev)
{
	const json_t *e = json_object_get(ev, "Event");
	const char *uuid = json_string_value(json_object_get(e, "uuid"));
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(e, "Attribute"), i, a)
	{
		const char *v = json_string_value(json_object_get(a, "value"));
		if (v == NULL || uuid == NULL)
			continue;
		struct md5_ctx c;
		uint8_t d[MD5_DIGEST_SIZE];
		md5_init(&c);
		md5_update(&c, strlen(v), (const uint8_t *)v);
		md5_digest(&c, sizeof d, d);
		for (size_t k = 0; k < sizeof d; k++)
			fprintf(f, "%02x", d[k]);
		fprintf(f, ",%s\n", uuid);
	}
	return ferror(f) ? -1 : 0;
}

static int write_json(const char *path, const json_t *j)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (json_dump_file(j, tmp, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    rename(tmp, path) != 0) {
		fprintf(stderr, "crix export misp: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cli_export_misp(int argc, char **argv)
{
	const char *data = "crix-data", *db = NULL, *out = NULL, *user = NULL;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_export_misp_help(stdout);
			return 0;
		}
		if (v == NULL) {
			fprintf(stderr, "crix export misp: %s: unknown option or missing value\n",
			        a);
			return 2;
		}
		if (strcmp(a, "--data") == 0)
			data = v;
		else if (strcmp(a, "--db") == 0)
			db = v;
		else if (strcmp(a, "--out") == 0)
			out = v;
		else if (strcmp(a, "--user") == 0)
			user = v;
		else {
			fprintf(stderr, "crix export misp: unknown option '%s' (see --help)\n", a);
			return 2;
		}
		i++;
	}
	if (out == NULL) {
		fprintf(stderr, "crix export misp: --out DIR is required\n");
		return 2;
	}
	struct stat sb;
	if (stat(data, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "crix export misp: --data %s: no such data directory\n", data);
		return 2;
	}
	if (mkdir(out, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "crix export misp: --out %s: %s\n", out, strerror(errno));
		return 2;
	}
	struct crix_error err = {0};
	struct ioc_ctx *ioc = NULL;
	struct store *store = NULL;
	struct sharing *sh = NULL;
	json_t *man = NULL;
	int rc = 2;
	struct principal p;
	account_principal_public(&p);
	if (ioc_ctx_new(&ioc, &err) != 0 || store_open(db, data, &store, &err) != 0) {
		fprintf(stderr, "crix export misp: %s\n", err.msg);
		goto done;
	}
	if (user != NULL) {
		struct store_user u;
		struct store_org o;
		if (store_user_by_name(store, user, &u, &err) != 0 ||
		    store_org_get(store, u.org_id, &o, &err) != 0) {
			fprintf(stderr, "crix export misp: --user %s: %s\n", user, err.msg);
			goto done;
		}
		account_principal_user(&p, &u, &o);
	}
	if (sharing_open(store, ioc, &sh, &err) != 0 ||
	    misp_manifest(sh, store, ioc, &p, &man, &err) != 0) {
		fprintf(stderr, "crix export misp: %s\n", err.msg);
		goto done;
	}
	const char *id;
	json_t *v;
	size_t attrs = 0;
	char hp[4200], hp_tmp[4210];
	snprintf(hp, sizeof hp, "%s/hashes.csv", out);
	snprintf(hp_tmp, sizeof hp_tmp, "%s.tmp", hp);
	FILE *hashes = fopen(hp_tmp, "w");
	if (hashes == NULL) {
		fprintf(stderr, "crix export misp: %s: %s\n", hp_tmp, strerror(errno));
		goto done;
	}
	rc = 0;
	json_object_foreach(man, id, v)
	{
		json_t *ev;
		char path[4200];
		if (misp_collection_event(sh, store, ioc, &p, id, &ev, &err) != 0) {
			fprintf(stderr, "crix export misp: %s\n", err.msg);
			rc = 2;
			break;
		}
		attrs +=
		        json_array_size(json_object_get(json_object_get(ev, "Event"), "Attribute"));
		snprintf(path, sizeof path, "%s/%s.json", out, id);
		int w = write_json(path, ev);
		if (w == 0 && add_hashes(hashes, ev) != 0) {
			fprintf(stderr, "crix export misp: %s: write error\n", hp_tmp);
			w = -1;
		}
		json_decref(ev);
		if (w != 0) {
			rc = 2;
			break;
		}
	}
	if (fclose(hashes) != 0 || (rc == 0 && rename(hp_tmp, hp) != 0)) {
		fprintf(stderr, "crix export misp: %s: %s\n", hp, strerror(errno));
		rc = 2;
	}
	char mp[4200];
	snprintf(mp, sizeof mp, "%s/manifest.json", out);
	if (rc == 0 && write_json(mp, man) != 0) /* last: a reader sees whole events */
		rc = 2;
	if (rc == 0)
		fprintf(stderr, "crix export misp: %zu events, %zu attributes in %s\n",
		        json_object_size(man), attrs, out);
done:
	json_decref(man);
	sharing_free(sh);
	store_close(store);
	ioc_ctx_free(ioc);
	return rc;
}
