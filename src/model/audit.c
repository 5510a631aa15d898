#include "model/audit.h"

#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* The previous hash of the first entry. */
static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Each field goes in with its length first, so that moving text from one field
 * to the next changes the hash. */
static void put(crypto_hash_sha256_state *st, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	unsigned char len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(n >> (8 * i));
	crypto_hash_sha256_update(st, len, sizeof len);
	if (n > 0)
		crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

void audit_hash(const struct store_audit *a, char out[STORE_HEX_MAX])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	put(&st, a->prev_hash);
	put(&st, a->at);
	put(&st, a->actor);
	put(&st, a->action);
	put(&st, a->object_type);
	put(&st, a->object_id);
	put(&st, a->detail);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, STORE_HEX_MAX, h, sizeof h);
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src != NULL ? src : "");
}

int audit_append(struct store_tx *tx, const char *actor, const char *action,
                 const char *object_type, const char *object_id, const char *detail,
                 struct crix_error *err)
{
	struct store_audit last, a;
	memset(&a, 0, sizeof a);
	int rc = store_audit_last(tx, &last, err);
	if (rc == CRIX_ENOTFOUND) {
		copy(a.prev_hash, sizeof a.prev_hash, genesis);
	} else if (rc != 0) {
		return rc;
	} else {
		copy(a.prev_hash, sizeof a.prev_hash, last.hash);
		free(last.detail);
	}
	clock_now_iso(a.at);
	copy(a.actor, sizeof a.actor, actor);
	copy(a.action, sizeof a.action, action);
	copy(a.object_type, sizeof a.object_type, object_type);
	copy(a.object_id, sizeof a.object_id, object_id);
	a.detail = (char *)detail;
	audit_hash(&a, a.hash);
	return store_audit_insert(tx, &a, err);
}

int audit_verify(struct store *s, int64_t *checked, int64_t *bad_id, struct crix_error *err)
{
	char prev[STORE_HEX_MAX];
	copy(prev, sizeof prev, genesis);
	int64_t after = 0, prev_id = 0, count = 0;
	*checked = 0;
	*bad_id = 0;
	for (;;) {
		struct store_audit *page;
		size_t n;
		int rc = store_audit_list(s, after, 1000, &page, &n, err);
		if (rc != 0)
			return rc;
		for (size_t i = 0; i < n; i++) {
			struct store_audit *a = &page[i];
			char want[STORE_HEX_MAX];
			if (strcmp(a->prev_hash, prev) != 0) {
				*bad_id = a->id;
				rc = crix_error_set(
				        err, CRIX_EINVAL,
				        "audit entry %lld (%s %s %s): the chain is broken before "
				        "it: "
				        "entry %lld after entry %lld was removed or altered",
				        (long long)a->id, a->at, a->action, a->object_id,
				        (long long)(prev_id + 1), (long long)prev_id);
				break;
			}
			audit_hash(a, want);
			if (strcmp(want, a->hash) != 0) {
				*bad_id = a->id;
				rc = crix_error_set(
				        err, CRIX_EINVAL,
				        "audit entry %lld (%s %s %s) was altered: its hash "
				        "does not match its contents",
				        (long long)a->id, a->at, a->action, a->object_id);
				break;
			}
			copy(prev, sizeof prev, a->hash);
			prev_id = a->id;
			count++;
		}
		after = n > 0 ? page[n - 1].id : after;
		store_audit_array_free(page, n);
		*checked = count;
		if (rc != 0)
			return rc;
		if (n < 1000)
			return 0;
	}
}
