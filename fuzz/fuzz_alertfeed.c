/*
 * fuzz_alertfeed.c - libFuzzer target for the TAXII query of the alerts
 * collection (alertfeed_objects, src/share/alertfeed.c): the next cursor,
 * added_after, match[id], match[type], match[version], match[spec_version]
 * and limit a TAXII client sends, and the view.
 *
 * Input: lines "next\nadded_after\nids\ntypes\nversion\nspec_versions\nX"
 * (a missing line is an absent parameter; X's first byte picks the limit
 * 1-8, the view and the caller: the public or a member).  The feed holds
 * alerts made at start in a temporary store: current CLEAR and GREEN ones
 * from two organisations sharing indicators, and a withdrawn one.
 *
 * Checked, with abort() on a violation:
 *   - the result is 0 or a negative CRIX_E* code; CRIX_EINVAL names next,
 *     added_after or match[version];
 *   - an answer is JSON with at most limit entries and "more"; "next" is
 *     there exactly when more is true, and X-TAXII-Date-Added-First/Last
 *     are set exactly when entries are;
 *   - following next never fails, never goes back in date_added and ends.
 */
#include "share/alertfeed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *store;
static struct alert_env env;
static char dir[64];

static void cleanup(void)
{
	static const char *const files[] = {"crix.db", "crix.db-wal", "crix.db-shm"};
	char p[128];
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void add(int tlp, int64_t org, const char *status, const char *inds)
{
	struct store_alert a = {.tlp = tlp, .org_id = org, .user_id = org};
	snprintf(a.title, sizeof a.title, "alert \"%d\" <%lld>", tlp, (long long)org);
	snprintf(a.category, sizeof a.category, "phishing");
	snprintf(a.status, sizeof a.status, "%s", status);
	snprintf(a.org_name, sizeof a.org_name, "Org %lld", (long long)org);
	snprintf(a.author, sizeof a.author, "ann");
	snprintf(a.published, sizeof a.published, "2026-05-01T00:00:0%d.000Z", tlp);
	if (strcmp(status, "withdrawn") == 0)
		snprintf(a.withdrawn, sizeof a.withdrawn, "2026-05-02T00:00:00.000Z");
	a.summary = "summary";
	a.advice = "advice";
	a.indicators = (char *)inds;
	struct store_tx *tx;
	if (store_tx_begin(store, &tx, NULL) != 0 || store_alert_insert(tx, &a, NULL) != 0 ||
	    store_tx_commit(tx, NULL) != 0)
		abort();
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/crix-fuzz-alertfeed-XXXXXX");
	if (mkdtemp(dir) == NULL || store_open(NULL, dir, &store, NULL) != 0)
		abort();
	atexit(cleanup);
	const char *two = "[{\"type\":\"domain\",\"value\":\"evil.example\"},"
	                  "{\"type\":\"ipv4\",\"value\":\"198.51.100.7\"},"
	                  "{\"type\":\"phone\",\"value\":\"+447700900123\"}]";
	add(TLP_CLEAR, 1, "published", two);
	add(TLP_GREEN, 1, "published", "[{\"type\":\"domain\",\"value\":\"evil.example\"}]");
	add(TLP_GREEN, 2, "published", two);
	add(TLP_CLEAR, 2, "withdrawn", two);
	env = (struct alert_env){store, NULL, NULL};
}

static json_t *page_of(const struct principal *p, const struct sharing_query *q,
                       enum sharing_view view, struct sharing_page *page, int *rc)
{
	struct crix_error err = {0};
	char *text = NULL;
	size_t len = 0;
	*rc = alertfeed_objects(&env, p, q, view, &text, &len, page, &err);
	if (*rc > 0 || (*rc != 0 && err.msg[0] == '\0'))
		abort();
	if (*rc == CRIX_EINVAL && strcmp(err.field, "next") != 0 &&
	    strcmp(err.field, "added_after") != 0 && strcmp(err.field, "match[version]") != 0)
		abort();
	if (*rc != 0)
		return NULL;
	json_t *j = json_loadb(text, len, 0, NULL);
	free(text);
	if (j == NULL || !json_is_boolean(json_object_get(j, "more")))
		abort();
	const json_t *list = json_object_get(j, view == SHARING_VERSIONS ? "versions" : "objects");
	if (json_array_size(list) != page->count || page->count > q->limit ||
	    (page->count == 0) != (page->first_added[0] == '\0') ||
	    json_is_true(json_object_get(j, "more")) != page->more ||
	    (json_object_get(j, "next") != NULL) != page->more)
		abort();
	return j;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (store == NULL)
		setup();
	char *in = malloc(size + 1);
	if (in == NULL)
		abort();
	memcpy(in, data, size);
	in[size] = '\0';
	char *field[7] = {NULL};
	char *p = in;
	for (int i = 0; i < 7 && p != NULL; i++) {
		field[i] = p;
		p = strchr(p, '\n');
		if (p != NULL)
			*p++ = '\0';
	}
	unsigned x = field[6] != NULL ? (unsigned char)field[6][0] : 0;
	struct principal who;
	account_principal_public(&who);
	if (x & 0x40) {
		who.authenticated = true;
		who.user_id = who.org_id = 3;
		who.role = ROLE_ANALYST;
		who.org_kind = ORG_BUSINESS;
	}
	enum sharing_view view = (x >> 3) % 3 == 0   ? SHARING_OBJECTS
	                         : (x >> 3) % 3 == 1 ? SHARING_MANIFEST
	                                             : SHARING_VERSIONS;
	struct sharing_query q = {
	        .collection = ALERTFEED_ID,
	        .next = field[0],
	        .added_after = field[1],
	        .ids = field[2],
	        .types = field[3],
	        .version = field[4],
	        .spec_versions = field[5],
	        .limit = 1 + x % 8,
	};
	struct sharing_page page;
	int rc;
	char last[sizeof page.last_added] = "";
	for (int guard = 0; guard < 64; guard++) {
		json_t *j = page_of(&who, &q, view, &page, &rc);
		if (j == NULL)
			break;
		if (page.count > 0) {
			if (strcmp(page.first_added, last) < 0 ||
			    strcmp(page.last_added, page.first_added) < 0)
				abort(); /* paging went back */
			memcpy(last, page.last_added, sizeof last);
		}
		json_decref(j);
		if (!page.more)
			break;
		static char next[sizeof page.next];
		memcpy(next, page.next, sizeof next);
		q.next = next;
		if (guard == 63)
			abort(); /* paging does not end */
	}
	if (rc != 0 && q.next != field[0])
		abort(); /* a cursor this server returned was refused */
	free(in);
	return 0;
}
