/*
 * test_audit.c - the audit chain (src/model/audit.c) through a real SQLite
 * store in a temporary directory: entries appended in transactions verify;
 * then the database is edited behind the store's back with the SQLite C API,
 * as an insider with file access would, and audit_verify must name the first
 * entry at fault: an altered field (the entry itself), a removed entry (the
 * one after it), an altered entry whose hash was recomputed to match (the one
 * after it).  The chain is also checked across audit_verify's page boundary
 * and for rolled-back appends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "util/secret.h"
#include "unit/store/storefx.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct fx {
	char *dir;
	char db[4200];
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (f == NULL || secret_init(NULL) != 0 || storefx_open(&f->dir, &f->s) != 0)
		return -1;
	snprintf(f->db, sizeof f->db, "%s/crix.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	storefx_close(f->dir, f->s);
	free(f);
	return 0;
}

/* Appends n entries, each in its own transaction: ids first+1 .. first+n. */
static void append_n(struct store *s, int n, int per_tx)
{
	for (int i = 0; i < n;) {
		struct store_tx *tx;
		struct crix_error err = {0};
		if (store_tx_begin(s, &tx, &err) != 0)
			fail_msg("begin: %s", err.msg);
		for (int k = 0; k < per_tx && i < n; k++, i++) {
			char id[32], detail[64];
			snprintf(id, sizeof id, "CRX26TEST%05d", i + 1);
			snprintf(detail, sizeof detail, "entry number %d", i + 1);
			if (audit_append(tx, i % 2 ? "user:3:alice" : "public", "report.create",
			                 "report", id, i % 3 == 1 ? NULL : detail, &err) != 0)
				fail_msg("audit_append: %s", err.msg);
		}
		if (store_tx_commit(tx, &err) != 0)
			fail_msg("commit: %s", err.msg);
	}
}

static void verify_ok(struct store *s, int64_t want)
{
	int64_t checked = -1, bad = -1;
	struct crix_error err = {0};
	if (audit_verify(s, &checked, &bad, &err) != 0)
		fail_msg("audit_verify: %s", err.msg);
	assert_int_equal(checked, want);
	assert_int_equal(bad, 0);
}

/* audit_verify must fail on entry want_bad with a message naming it. */
static void verify_bad(struct store *s, int64_t want_bad, const char *must_say)
{
	int64_t checked = -1, bad = -1;
	struct crix_error err = {0};
	int rc = audit_verify(s, &checked, &bad, &err);
	if (rc != CRIX_EINVAL)
		fail_msg("audit_verify = %d (checked %lld), want CRIX_EINVAL at %lld", rc,
		         (long long)checked, (long long)want_bad);
	if (bad != want_bad)
		fail_msg("bad_id %lld, want %lld: %s", (long long)bad, (long long)want_bad,
		         err.msg);
	char name[48];
	snprintf(name, sizeof name, "audit entry %lld ", (long long)want_bad);
	if (strstr(err.msg, name) == NULL || strstr(err.msg, must_say) == NULL)
		fail_msg("message \"%s\" does not say \"%s\" and \"%s\"", err.msg, name, must_say);
}

/* Runs SQL on the database file behind the store's back. */
static void tamper(const struct fx *f, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	assert_int_equal(sqlite3_changes(db), 1);
	sqlite3_close(db);
}

static void test_intact_chain(void **state)
{
	struct fx *f = *state;
	verify_ok(f->s, 0); /* empty is intact */
	append_n(f->s, 6, 1);
	verify_ok(f->s, 6);
	append_n(f->s, 4, 4);
	verify_ok(f->s, 10);

	struct store_audit *a;
	size_t n;
	struct crix_error err = {0};
	assert_int_equal(store_audit_list(f->s, 0, 100, &a, &n, &err), 0);
	assert_int_equal(n, 10);
	/* the first links to the genesis hash, each next to the one before */
	for (size_t i = 0; i < 64; i++)
		assert_int_equal(a[0].prev_hash[i], '0');
	for (size_t i = 0; i < n; i++) {
		char h[STORE_HEX_MAX];
		audit_hash(&a[i], h);
		assert_string_equal(h, a[i].hash);
		assert_int_equal(strlen(h), 64);
		if (i > 0)
			assert_string_equal(a[i].prev_hash, a[i - 1].hash);
		assert_int_equal(strlen(a[i].at), 24);
	}
	assert_string_equal(a[0].actor, "public");
	assert_string_equal(a[1].actor, "user:3:alice");
	assert_string_equal(a[0].object_id, "CRX26TEST00001");
	assert_string_equal(a[0].detail, "entry number 1");
	assert_null(a[1].detail);
	assert_string_equal(a[2].detail, "entry number 3");
	store_audit_array_free(a, n);
}

/* Closes the store, deletes the database, opens a new one. */
static void fresh(struct fx *f)
{
	store_close(f->s);
	f->s = NULL;
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < COUNT(suffix); i++) {
		char p[4300];
		snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
		unlink(p);
	}
	struct crix_error err = {0};
	if (store_open(NULL, f->dir, &f->s, &err) != 0)
		fail_msg("store_open: %s", err.msg);
}

/* Every field is covered by the hash: changing any one of entry 3 flags
 * entry 3 as altered, and the two before it still count as checked. */
static void test_altered_field(void **state)
{
	static const char *const edits[] = {
	        "UPDATE audit SET action = 'report.delete' WHERE id = 3",
	        "UPDATE audit SET actor = 'user:1:mallory' WHERE id = 3",
	        "UPDATE audit SET at = '2020-01-01T00:00:00.000Z' WHERE id = 3",
	        "UPDATE audit SET object_type = 'org' WHERE id = 3",
	        "UPDATE audit SET object_id = 'CRX26TEST99999' WHERE id = 3",
	        "UPDATE audit SET detail = 'entry number 4' WHERE id = 3",
	        "UPDATE audit SET detail = NULL WHERE id = 3",
	        /* text moved from one field to the next */
	        "UPDATE audit SET action = 'report.creat', object_type = 'ereport' WHERE id = 3",
	        /* a hash that is not its own */
	        "UPDATE audit SET hash = "
	        "'1111111111111111111111111111111111111111111111111111111111"
	        "111111' WHERE id = 3",
	};
	struct fx *f = *state;
	for (size_t i = 0; i < COUNT(edits); i++) {
		fresh(f);
		append_n(f->s, 6, 2);
		verify_ok(f->s, 6);
		tamper(f, edits[i]);
		verify_bad(f->s, 3, "was altered");
		int64_t checked = -1, bad = -1;
		audit_verify(f->s, &checked, &bad, NULL);
		assert_int_equal(checked, 2);
		assert_int_equal(bad, 3);
	}
}

/* A removed entry breaks the link of the one after it. */
static void test_removed_entry(void **state)
{
	struct fx *f = *state;
	append_n(f->s, 6, 1);
	tamper(f, "DELETE FROM audit WHERE id = 3");
	verify_bad(f->s, 4, "entry 3 after entry 2 was removed or altered");

	/* the first entry too */
	fresh(f);
	append_n(f->s, 3, 1);
	tamper(f, "DELETE FROM audit WHERE id = 1");
	verify_bad(f->s, 2, "chain is broken");
}

/* An altered entry whose hash was recomputed to match its new contents
 * passes itself; the next entry's link to it does not. */
static void test_altered_and_rehashed(void **state)
{
	struct fx *f = *state;
	append_n(f->s, 6, 3);
	struct store_audit *a;
	size_t n;
	struct crix_error err = {0};
	assert_int_equal(store_audit_list(f->s, 2, 1, &a, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].id, 3);
	snprintf(a[0].actor, sizeof a[0].actor, "user:1:mallory");
	char h[STORE_HEX_MAX], sql[256];
	audit_hash(&a[0], h);
	store_audit_array_free(a, n);
	snprintf(sql, sizeof sql,
	         "UPDATE audit SET actor = 'user:1:mallory', hash = '%s' WHERE id = 3", h);
	tamper(f, sql);
	verify_bad(f->s, 4, "chain is broken");

	/* rewriting the rest of the chain too makes it consistent again: the
	 * chain proves order and completeness only from a hash kept elsewhere */
	for (int64_t id = 4; id <= 6; id++) {
		assert_int_equal(store_audit_list(f->s, id - 2, 2, &a, &n, &err), 0);
		assert_int_equal(n, 2);
		snprintf(a[1].prev_hash, sizeof a[1].prev_hash, "%s", a[0].hash);
		audit_hash(&a[1], h);
		snprintf(sql, sizeof sql,
		         "UPDATE audit SET prev_hash = '%s', hash = '%s' WHERE id = %lld",
		         a[1].prev_hash, h, (long long)id);
		store_audit_array_free(a, n);
		tamper(f, sql);
		if (id < 6)
			verify_bad(f->s, id + 1, "chain is broken");
	}
	verify_ok(f->s, 6);
}

/* audit_verify reads in pages of 1000: links across a page boundary count. */
static void test_page_boundary(void **state)
{
	struct fx *f = *state;
	append_n(f->s, 1001, 1001);
	verify_ok(f->s, 1001);
	tamper(f, "DELETE FROM audit WHERE id = 1000");
	verify_bad(f->s, 1001, "entry 1000 after entry 999 was removed");
	int64_t checked = -1, bad = -1;
	assert_int_equal(audit_verify(f->s, &checked, &bad, NULL), CRIX_EINVAL);
	assert_int_equal(checked, 999);

	fresh(f);
	append_n(f->s, 1002, 500);
	tamper(f, "UPDATE audit SET detail = 'x' WHERE id = 1001");
	verify_bad(f->s, 1001, "was altered");
}

/* An append in a transaction that rolls back leaves no entry, and the next
 * append links to the last committed one. */
static void test_rolled_back_append(void **state)
{
	struct fx *f = *state;
	append_n(f->s, 2, 1);
	struct store_tx *tx;
	struct crix_error err = {0};
	assert_int_equal(store_tx_begin(f->s, &tx, &err), 0);
	assert_int_equal(audit_append(tx, "cli", "org.create", "org", "1", NULL, &err), 0);
	assert_int_equal(audit_append(tx, "cli", "org.create", "org", "2", NULL, &err), 0);
	store_tx_rollback(tx);
	verify_ok(f->s, 2);
	append_n(f->s, 1, 1);
	verify_ok(f->s, 3);
}

/* The hash: deterministic, hex, and changed by every field. */
static void test_hash(void **state)
{
	(void)state;
	struct store_audit a = {0}, b;
	snprintf(a.prev_hash, sizeof a.prev_hash, "%064d", 0);
	snprintf(a.at, sizeof a.at, "2026-01-01T00:00:00.000Z");
	snprintf(a.actor, sizeof a.actor, "cli");
	snprintf(a.action, sizeof a.action, "org.create");
	snprintf(a.object_type, sizeof a.object_type, "org");
	snprintf(a.object_id, sizeof a.object_id, "1");
	a.detail = "Met Police";
	char h0[STORE_HEX_MAX], h1[STORE_HEX_MAX];
	audit_hash(&a, h0);
	audit_hash(&a, h1);
	assert_string_equal(h0, h1);
	assert_int_equal(strlen(h0), 64);
	assert_int_equal(strspn(h0, "0123456789abcdef"), 64);
	/* the id and the stored hash are not part of it */
	b = a;
	b.id = 99;
	snprintf(b.hash, sizeof b.hash, "ff");
	audit_hash(&b, h1);
	assert_string_equal(h0, h1);
	for (size_t i = 0; i < 6; i++) {
		b = a;
		char *fb[] = {b.prev_hash, b.at, b.actor, b.action, b.object_type, b.object_id};
		fb[i][0] ^= 1;
		audit_hash(&b, h1);
		assert_string_not_equal(h0, h1);
	}
	b = a;
	b.detail = "Met Polic3";
	audit_hash(&b, h1);
	assert_string_not_equal(h0, h1);
	/* a character moved across a field boundary changes it */
	b = a;
	snprintf(b.action, sizeof b.action, "org.creat");
	snprintf(b.object_type, sizeof b.object_type, "eorg");
	audit_hash(&b, h1);
	assert_string_not_equal(h0, h1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_intact_chain, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_altered_field, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_removed_entry, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_altered_and_rehashed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_page_boundary, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_rolled_back_append, setup, teardown),
	        cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
