/*
 * test_report.c - reports (src/model/report.c) with the real offence and
 * advice catalogue (data/), a real indicator context and a store in a
 * temporary directory.
 *
 * Submitting gives a receipt (reference, tracking secret, advice in order,
 * the indicators found in the description, defanged or not, and in the
 * suspect's details); a bad report is refused naming the field at fault (a
 * table of JSON in, field and code out, checked through report_validate and
 * report_submit alike, and nothing is stored); the victim tracks and adds
 * with the secret, and a wrong one looks like a wrong reference; staff move
 * reports through the allowed statuses only, see the victim's personal data
 * only as law-enforcement investigators or admins (and that read is
 * audited), and businesses list their own reports only.
 *
 * Run from the repository root: the catalogue is read from data/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/audit.h"
#include "model/report.h"
#include "unit/store/storefx.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static struct catalogue *cat;
static struct ioc_ctx *ioc;

struct fx {
	char *dir;
	struct store *s;
	unsigned char key[SECRET_KEY_LEN];
	struct report_env env;
	struct principal pub, admin, le_inv, le_analyst, cert_analyst, cert_viewer, biz_analyst,
	        biz2_analyst, ngo_viewer;
};

static int group_setup(void **state)
{
	(void)state;
	struct crix_error err = {0};
	if (secret_init(&err) != 0 || catalogue_load("data", &cat, &err) != 0 ||
	    ioc_ctx_new(&ioc, &err) != 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	catalogue_free(cat);
	ioc_ctx_free(ioc);
	return 0;
}

/* A principal for a user of a made-up organisation (no store rows needed:
 * the report functions decide on the principal alone). */
static struct principal staff(int64_t uid, int64_t org, enum role r, enum org_kind k,
                              const char *name)
{
	struct principal p = {.authenticated = true, .user_id = uid, .org_id = org};
	p.role = r;
	p.org_kind = k;
	snprintf(p.username, sizeof p.username, "%s", name);
	snprintf(p.actor, sizeof p.actor, "user:%lld:%s", (long long)uid, name);
	return p;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	if (f == NULL || storefx_open(&f->dir, &f->s) != 0)
		return -1;
	secret_random(f->key, sizeof f->key);
	f->env = (struct report_env){f->s, cat, ioc, f->key, f->dir, NULL, NULL};
	account_principal_public(&f->pub);
	account_principal_cli(&f->admin);
	f->le_inv = staff(1, 1, ROLE_INVESTIGATOR, ORG_LAW_ENFORCEMENT, "inv");
	f->le_analyst = staff(2, 1, ROLE_ANALYST, ORG_LAW_ENFORCEMENT, "ana");
	f->cert_analyst = staff(3, 2, ROLE_ANALYST, ORG_CERT, "cert");
	f->cert_viewer = staff(4, 2, ROLE_VIEWER, ORG_CERT, "certview");
	f->biz_analyst = staff(5, 3, ROLE_ANALYST, ORG_BUSINESS, "biz");
	f->biz2_analyst = staff(6, 4, ROLE_ANALYST, ORG_BUSINESS, "biz2");
	f->ngo_viewer = staff(7, 5, ROLE_VIEWER, ORG_NGO, "ngo");
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

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (j == NULL)
		fail_msg("bad test JSON (%s): %s", je.text, text);
	return j;
}

/* What a receipt says, kept for the later steps. */
struct submitted {
	char ref[REF_LEN + 1];
	char secret[SECRET_TOKEN_MAX];
	json_t *receipt;
};

static void submit(struct fx *f, const struct principal *p, const char *text, struct submitted *out)
{
	json_t *in = parse(text);
	struct crix_error err = {0};
	json_t *r = NULL;
	if (report_submit(&f->env, p, in, "web", NULL, 0, &r, &err) != 0)
		fail_msg("report_submit: %s (field %s)", err.msg, err.field);
	json_decref(in);
	assert_non_null(r);
	snprintf(out->ref, sizeof out->ref, "%s",
	         json_string_value(json_object_get(r, "reference")));
	snprintf(out->secret, sizeof out->secret, "%s",
	         json_string_value(json_object_get(r, "tracking_secret")));
	out->receipt = r;
}

/* Whether an indicator list ([{type, value, field}]) holds this one. */
static bool has_indicator(json_t *list, const char *type, const char *value, const char *field)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "type")), type) == 0 &&
		    strcmp(json_string_value(json_object_get(v, "value")), value) == 0 &&
		    (field == NULL ||
		     strcmp(json_string_value(json_object_get(v, "field")), field) == 0))
			return true;
	}
	return false;
}

static void want_indicator(json_t *list, const char *type, const char *value, const char *field)
{
	if (!has_indicator(list, type, value, field)) {
		char *s = json_dumps(list, JSON_INDENT(1));
		fprintf(stderr, "indicators: %s\n", s);
		free(s);
		fail_msg("no %s %s from %s", type, value, field ? field : "anywhere");
	}
}

static int64_t audit_count(struct fx *f)
{
	int64_t checked, bad;
	struct crix_error err = {0};
	if (audit_verify(f->s, &checked, &bad, &err) != 0)
		fail_msg("audit_verify: %s", err.msg);
	return checked;
}

static const char *last_audit_action(struct fx *f, char *buf, size_t cap)
{
	int64_t n = audit_count(f);
	struct store_audit *a;
	size_t k;
	assert_int_equal(store_audit_list(f->s, n - 1, 1, &a, &k, NULL), 0);
	assert_int_equal(k, 1);
	snprintf(buf, cap, "%s %s %s", a[0].action, a[0].actor, a[0].object_id);
	store_audit_array_free(a, k);
	return buf;
}

static const char full_report[] =
        "{\"category\": \"phishing\","
        " \"description\": \"They mailed me from security-alert[at]northgate-bank-secure[.]com"
        " with a link to hxxps://login.northgate-verify[.]top/secure/auth.php and then"
        " phoned from +44 20 7946 0958.\","
        " \"occurred\": {\"start\": \"2026-01-10\", \"end\": \"2026-01-11T10:15:00+01:00\"},"
        " \"loss\": {\"amount_minor\": 250000, \"currency\": \"GBP\"},"
        " \"payment_method\": \"bank-transfer\","
        " \"situations\": [\"still-in-contact\"],"
        " \"victim\": {\"name\": \"Jane Doe\", \"email\": \"jane@example.org\","
        "   \"country\": \"GB\", \"region\": \"Kent\", \"vulnerable\": true},"
        " \"consents\": {\"contact\": true},"
        " \"suspect\": {\"names\": [\"John Smith\"], \"emails\": [\"fraud@scammer-mail.com\", "
        "\"pay(at)scammer-mail[.]com\"],"
        "   \"phones\": [\"+44 20 7946 0999\"], \"websites\": [\"scam-shop.com\"],"
        "   \"bank_accounts\": [\"GB82 WEST 1234 5698 7654 32\", \"12-34-56 12345678\"],"
        "   \"wallets\": [\"1BoatSLRHtKNngkdXEeobR76b53LETtpyT\"]}}";

static int urgency_rank(const char *u)
{
	return strcmp(u, "now") == 0 ? 0 : strcmp(u, "soon") == 0 ? 1 : 2;
}

/* ---- submit ---- */

static void test_submit_receipt(void **state)
{
	struct fx *f = *state;
	struct submitted s;
	submit(f, &f->pub, full_report, &s);
	json_t *r = s.receipt;

	/* the reference: the documented form, readable back */
	assert_int_equal(strlen(s.ref), REF_LEN);
	assert_memory_equal(s.ref, "CRX", 3);
	char canon[REF_LEN + 1];
	assert_int_equal(ref_parse(s.ref, canon, NULL), 0);
	assert_string_equal(canon, s.ref);
	const char *created = json_string_value(json_object_get(r, "created"));
	assert_non_null(created);
	assert_int_equal(strlen(created), 24);
	assert_memory_equal(s.ref + 3, created + 2, 2); /* the year */
	/* the secret: 32 random bytes as base64url */
	assert_int_equal(strlen(s.secret), 43);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "received");
	assert_string_equal(json_string_value(json_object_get(r, "category")), "phishing");
	assert_true(json_is_false(json_object_get(r, "indicators_truncated")));
	assert_int_equal(json_array_size(json_object_get(r, "evidence")), 0);

	/* indicators: from the defanged description and from the suspect */
	json_t *ind = json_object_get(r, "indicators");
	want_indicator(ind, "email", "security-alert@northgate-bank-secure.com", "description");
	want_indicator(ind, "url", "https://login.northgate-verify.top/secure/auth.php",
	               "description");
	want_indicator(ind, "phone", "+442079460958", "description");
	want_indicator(ind, "email", "fraud@scammer-mail.com", "suspect.emails");
	/* typed entries are refanged before they are checked */
	want_indicator(ind, "email", "pay@scammer-mail.com", "suspect.emails");
	want_indicator(ind, "phone", "+442079460999", "suspect.phones");
	want_indicator(ind, "iban", "GB82WEST12345698765432", "suspect.bank_accounts");
	want_indicator(ind, "btc", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "suspect.wallets");
	assert_true(has_indicator(ind, "domain", "scam-shop.com", "suspect.websites") ||
	            has_indicator(ind, "url", "http://scam-shop.com/", "suspect.websites"));
	/* names are kept as text, not indicators */
	size_t i;
	json_t *v;
	json_array_foreach(ind, i, v)
	{
		assert_string_not_equal(json_string_value(json_object_get(v, "field")),
		                        "suspect.names");
		assert_null(strstr(json_string_value(json_object_get(v, "value")), "[.]"));
	}

	/* advice: not empty, every entry complete, in the catalogue's order */
	json_t *adv = json_object_get(r, "advice");
	assert_true(json_array_size(adv) > 0);
	const struct advice *want[64];
	struct advice_case ac = {"phishing", "bank-transfer",
	                         CATALOGUE_SIT_STILL_IN_CONTACT | CATALOGUE_SIT_MONEY_LOST |
	                                 CATALOGUE_SIT_VULNERABLE};
	size_t nw = catalogue_advise(cat, &ac, want, 64);
	assert_int_equal(json_array_size(adv), nw);
	int last_rank = 0;
	json_array_foreach(adv, i, v)
	{
		assert_string_equal(json_string_value(json_object_get(v, "id")), want[i]->id);
		assert_non_null(json_string_value(json_object_get(v, "title")));
		assert_non_null(json_string_value(json_object_get(v, "text")));
		int rank = urgency_rank(json_string_value(json_object_get(v, "urgency")));
		assert_true(rank >= last_rank);
		last_rank = rank;
	}
	/* a bank transfer: the advice says to call the bank, first thing */
	assert_string_equal(json_string_value(json_object_get(json_array_get(adv, 0), "urgency")),
	                    "now");

	/* stored: the victim apart from the body; a submitted event; audited */
	struct store_report row;
	assert_int_equal(store_report_get(f->s, s.ref, &row, NULL), 0);
	assert_null(strstr(row.body, "Jane"));
	assert_non_null(strstr(row.victim, "Jane Doe"));
	assert_non_null(strstr(row.body, "northgate"));
	assert_string_equal(row.status, "received");
	assert_string_equal(row.channel, "web");
	assert_string_equal(row.country, "GB");
	assert_string_equal(row.region, "Kent");
	assert_int_equal(row.vulnerable, 1);
	assert_int_equal(row.loss_minor, 250000);
	assert_string_equal(row.currency, "GBP");
	assert_string_equal(row.occurred_start, "2026-01-10T00:00:00.000Z");
	assert_string_equal(row.occurred_end, "2026-01-11T09:15:00.000Z");
	assert_int_equal(row.org_id, 0);
	assert_null(strstr(row.secret_hash, s.secret));
	char h[SECRET_HASH_HEX];
	secret_keyed_hash(f->key, s.secret, strlen(s.secret), h);
	assert_string_equal(row.secret_hash, h);
	store_report_clear(&row);
	char buf[256], want_audit[256];
	snprintf(want_audit, sizeof want_audit, "report.create public %s", s.ref);
	assert_string_equal(last_audit_action(f, buf, sizeof buf), want_audit);
	json_decref(r);

	/* two submissions, two references and secrets; a business's is its own */
	struct submitted s2;
	submit(f, &f->biz_analyst, "{\"category\":\"ceo-fraud\",\"description\":\"fake CEO\"}",
	       &s2);
	assert_string_not_equal(s.ref, s2.ref);
	assert_string_not_equal(s.secret, s2.secret);
	assert_int_equal(store_report_get(f->s, s2.ref, &row, NULL), 0);
	assert_int_equal(row.org_id, 3);
	assert_int_equal(row.user_id, 5);
	assert_string_equal(row.kind, "crime");
	assert_string_equal(row.victim, "{}");
	store_report_clear(&row);
	json_decref(s2.receipt);
}

/* Evidence files are stored by content and recorded with custody. */
static void test_submit_evidence(void **state)
{
	struct fx *f = *state;
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	                                    0,    0,   0,   13,  'I',  'H',  'D',  'R'};
	const char *text = "hello, this is the scam e-mail\n";
	struct report_file files[2] = {
	        {"shot.png", png, sizeof png},
	        {NULL, (const unsigned char *)text, strlen(text)},
	};
	json_t *in = parse("{\"category\":\"phishing\",\"description\":\"see files\"}");
	json_t *r = NULL;
	struct crix_error err = {0};
	if (report_submit(&f->env, &f->pub, in, "web", files, 2, &r, &err) != 0)
		fail_msg("report_submit: %s", err.msg);
	json_t *ev = json_object_get(r, "evidence");
	assert_int_equal(json_array_size(ev), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "type")),
	                    "image/png");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "name")),
	                    "shot.png");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 1), "type")),
	                    "text/plain");
	const char *sha = json_string_value(json_object_get(json_array_get(ev, 1), "sha256"));
	char ref[REF_LEN + 1];
	snprintf(ref, sizeof ref, "%s", json_string_value(json_object_get(r, "reference")));

	/* the file is where its hash says */
	char path[4400];
	snprintf(path, sizeof path, "%s/evidence/%.2s/%s", f->dir, sha, sha);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, strlen(text));
	assert_int_equal(st.st_mode & 0777, 0600);

	/* read back by an investigator, with a custody entry; not by an analyst */
	unsigned char *data = NULL;
	size_t len = 0;
	char mime[STORE_NAME_MAX];
	assert_int_equal(
	        report_evidence_get(&f->env, &f->le_analyst, ref, sha, &data, &len, mime, &err),
	        CRIX_EACCES);
	assert_int_equal(
	        report_evidence_get(&f->env, &f->le_inv, ref, sha, &data, &len, mime, &err), 0);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(data, text, len);
	assert_string_equal(mime, "text/plain");
	free(data);
	struct store_report row;
	assert_int_equal(store_report_get(f->s, ref, &row, NULL), 0);
	struct store_evidence *fl;
	size_t nf;
	assert_int_equal(store_evidence_list(f->s, row.id, &fl, &nf, NULL), 0);
	assert_int_equal(nf, 2);
	struct store_custody *cu;
	size_t nc;
	assert_int_equal(store_custody_list(f->s, fl[1].id, &cu, &nc, NULL), 0);
	assert_int_equal(nc, 2);
	assert_string_equal(cu[0].action, "received");
	assert_string_equal(cu[1].action, "viewed");
	assert_string_equal(cu[1].actor, "user:1:inv");
	free(cu);
	free(fl);
	store_report_clear(&row);
	assert_int_equal(
	        report_evidence_get(&f->env, &f->le_inv, ref, "00", &data, &len, mime, &err),
	        CRIX_ENOTFOUND);
	json_decref(r);

	/* too many or too large files are refused before anything is stored */
	struct report_file many[REPORT_EVIDENCE_MAX + 1];
	for (size_t i = 0; i < COUNT(many); i++)
		many[i] = files[1];
	assert_int_equal(report_submit(&f->env, &f->pub, in, "web", many, COUNT(many), &r, &err),
	                 CRIX_ETOOBIG);
	assert_string_equal(err.field, "evidence");
	struct report_file big = {"big.bin", png, (size_t)REPORT_EVIDENCE_BYTES + 1};
	assert_int_equal(report_submit(&f->env, &f->pub, in, "web", &big, 1, &r, &err),
	                 CRIX_ETOOBIG);
	assert_string_equal(err.field, "evidence");
	json_decref(in);
}

/* ---- validation, as data ---- */

static const struct {
	const char *json;
	const char *field;
	int code;
} bad_reports[] = {
        {"[]", "", CRIX_EINVAL},
        {"\"text\"", "", CRIX_EINVAL},
        {"{}", "category", CRIX_EINVAL},
        {"{\"description\":\"x\"}", "category", CRIX_EINVAL},
        {"{\"category\":\"phishing\"}", "description", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"\"}", "description", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":null}", "description", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":7}", "description", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"a\\u0000b\"}", "description", CRIX_EINVAL},
        {"{\"category\":\"nope\",\"description\":\"x\"}", "category", CRIX_EINVAL},
        {"{\"category\":1,\"description\":\"x\"}", "category", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"colour\":\"red\"}", "colour",
         CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"kind\":\"other\"}", "kind",
         CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"payment_method\":\"bitcoin\"}",
         "payment_method", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"external_id\":\"%0129d\"}",
         "external_id", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"occurred\":\"2026-01-01\"}",
         "occurred", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"occurred\":{\"start\":\"last "
         "week\"}}",
         "occurred.start", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"occurred\":{\"end\":\"2026-02-30\"}}",
         "occurred.end", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"occurred\":{\"start\":\"2026-01-02\","
         "\"end\":\"2026-01-01\"}}",
         "occurred.end", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"occurred\":{\"start\":\"2999-01-01\"}"
         "}",
         "occurred.start", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"occurred\":{\"when\":\"2026-01-01\"}}",
         "occurred.when", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":-1,"
         "\"currency\":\"GBP\"}}",
         "loss.amount_minor", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":1.5,"
         "\"currency\":\"GBP\"}}",
         "loss.amount_minor", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"currency\":\"GBP\"}}",
         "loss.amount_minor", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":"
         "1000000000000001,\"currency\":\"GBP\"}}",
         "loss.amount_minor", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":5}}",
         "loss.currency", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":5,"
         "\"currency\":\"gbp\"}}",
         "loss.currency", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":5,"
         "\"currency\":\"GBPX\"}}",
         "loss.currency", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":5,"
         "\"currency\":\"EUR\",\"when\":1}}",
         "loss.when", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"situations\":\"money-lost\"}",
         "situations", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"situations\":[\"nope\"]}",
         "situations[0]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"situations\":[\"money-lost\",3]}",
         "situations[1]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":[]}", "victim", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"type\":\"alien\"}}",
         "victim.type", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"country\":\"gb\"}}",
         "victim.country", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"country\":\"GBR\"}}",
         "victim.country", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"country\":\"United "
         "Kingdom\"}}",
         "victim.country", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"vulnerable\":\"yes\"}}",
         "victim.vulnerable", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"email\":5}}",
         "victim.email", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"accounts\":\"x\"}}",
         "victim.accounts", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"accounts\":[5]}}",
         "victim.accounts[0]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"accounts\":[\"GB82 "
         "WEST 1234 5698 7654 32\",\"\"]}}",
         "victim.accounts[1]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"shoe_size\":9}}",
         "victim.shoe_size", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"consents\":{\"contact\":\"yes\"}}",
         "consents.contact", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"consents\":{\"marketing\":true}}",
         "consents.marketing", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":\"John\"}", "suspect",
         CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"shoe\":[]}}",
         "suspect.shoe", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"emails\":\"a@b.c\"}}",
         "suspect.emails", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"emails\":[\"not an "
         "email\"]}}",
         "suspect.emails[0]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"emails\":[\"a@"
         "scammer-mail.com\",\"\"]}}",
         "suspect.emails[1]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"emails\":[7]}}",
         "suspect.emails[0]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"phones\":[\"12\"]}}",
         "suspect.phones[0]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"websites\":[\"not a "
         "site!\"]}}",
         "suspect.websites[0]", CRIX_EINVAL},
        {"{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"names\":[\"a\\u0000b\"]}"
         "}",
         "suspect.names[0]", CRIX_EINVAL},
};

/* Fills in the generated parts of a case: %0129d is 129 digits. */
static json_t *case_json(const char *tmpl)
{
	char buf[1024];
	const char *p = strstr(tmpl, "%0129d");
	if (p == NULL)
		return parse(tmpl);
	char digits[130];
	memset(digits, '7', 129);
	digits[129] = '\0';
	snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - tmpl), tmpl, digits, p + 6);
	return parse(buf);
}

static void check_bad(struct fx *f, json_t *in, const char *what, const char *field, int code)
{
	struct crix_error err = {0};
	int rc = report_validate(&f->env, in, &err);
	if (rc != code || strcmp(err.field, field) != 0)
		fail_msg("%s: validate rc %d field \"%s\" (%s), want %d \"%s\"", what, rc,
		         err.field, err.msg, code, field);
	/* the message names the field too */
	if (field[0] != '\0' && strncmp(err.msg, field, strlen(field)) != 0)
		fail_msg("%s: message \"%s\" does not start with \"%s\"", what, err.msg, field);
	struct crix_error err2 = {0};
	json_t *r = (json_t *)1;
	rc = report_submit(&f->env, &f->pub, in, "api", NULL, 0, &r, &err2);
	assert_int_equal(rc, code);
	assert_null(r);
	assert_string_equal(err2.field, err.field);
	assert_string_equal(err2.msg, err.msg);
}

static void test_validation_table(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < COUNT(bad_reports); i++) {
		json_t *in = case_json(bad_reports[i].json);
		check_bad(f, in, bad_reports[i].json, bad_reports[i].field, bad_reports[i].code);
		json_decref(in);
	}
	/* generated: caps on lengths and list sizes */
	json_t *in = parse("{\"category\":\"phishing\"}");
	char *big = malloc(REPORT_TEXT_MAX + 2);
	memset(big, 'a', REPORT_TEXT_MAX + 1);
	big[REPORT_TEXT_MAX + 1] = '\0';
	json_object_set_new(in, "description", json_string(big));
	check_bad(f, in, "description over the cap", "description", CRIX_ETOOBIG);
	big[REPORT_TEXT_MAX] = '\0';
	json_object_set_new(in, "description", json_string(big));
	assert_int_equal(report_validate(&f->env, in, NULL), 0);
	free(big);
	json_t *names = json_array();
	for (int i = 0; i <= REPORT_LIST_MAX; i++)
		json_array_append_new(names, json_string("John"));
	json_object_set_new(in, "suspect", json_pack("{s:o}", "names", names));
	check_bad(f, in, "51 names", "suspect.names", CRIX_ETOOBIG);
	json_array_remove(names, 0);
	assert_int_equal(report_validate(&f->env, in, NULL), 0);
	char field[REPORT_FIELD_MAX + 2];
	memset(field, 'x', sizeof field - 1);
	field[sizeof field - 1] = '\0';
	json_object_set_new(in, "suspect", json_pack("{s:[ss]}", "names", "ok", field));
	check_bad(f, in, "a long name", "suspect.names[1]", CRIX_ETOOBIG);
	json_decref(in);

	/* nothing was stored by any of them */
	struct store_report_filter all = {.status = ""};
	struct store_report *rows;
	size_t n;
	assert_int_equal(store_report_list(f->s, &all, 0, 10, &rows, &n, NULL), 0);
	assert_int_equal(n, 0);
	store_report_array_free(rows, n);
	assert_int_equal(audit_count(f), 0);

	/* and valid ones pass */
	static const char *const good[] = {
	        "{\"category\":\"phishing\",\"description\":\"x\"}",
	        "{\"category\":\"phishing\",\"description\":\"x\",\"kind\":\"information\"}",
	        "{\"category\":\"phishing\",\"description\":\"x\",\"occurred\":null,\"loss\":null,"
	        "\"victim\":null,\"suspect\":null,\"situations\":null,\"consents\":null}",
	        "{\"category\":\"hate-speech\",\"description\":\"out of scope but known\"}",
	        "{\"category\":\"phishing\",\"description\":\"x\",\"loss\":{\"amount_minor\":0,"
	        "\"currency\":\"EUR\"}}",
	        "{\"category\":\"phishing\",\"description\":\"x\",\"suspect\":{\"wallets\":[\"some "
	        "other chain\"],\"bank_accounts\":[\"12-34-56 12345678\"]}}",
	        "{\"category\":\"phishing\",\"description\":\"x\",\"victim\":{\"type\":"
	        "\"organisation\",\"accounts\":[]}}",
	};
	for (size_t i = 0; i < COUNT(good); i++) {
		json_t *g = parse(good[i]);
		struct crix_error err = {0};
		if (report_validate(&f->env, g, &err) != 0)
			fail_msg("%s: %s (%s)", good[i], err.msg, err.field);
		json_decref(g);
	}
}

/* ---- the victim's side ---- */

static void test_track(void **state)
{
	struct fx *f = *state;
	struct submitted s;
	submit(f, &f->pub, full_report, &s);
	json_decref(s.receipt);
	json_t *out = NULL;
	struct crix_error err = {0};
	assert_int_equal(report_track(&f->env, s.ref, s.secret, &out, &err), 0);
	assert_string_equal(json_string_value(json_object_get(out, "reference")), s.ref);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "received");
	assert_string_equal(json_string_value(json_object_get(out, "category")), "phishing");
	assert_int_equal(json_integer_value(json_object_get(out, "additions")), 0);
	json_t *hist = json_object_get(out, "history");
	assert_int_equal(json_array_size(hist), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 0), "type")),
	                    "submitted");
	assert_true(json_array_size(json_object_get(out, "advice")) > 0);
	/* the victim view holds no personal data and no indicators */
	char *dumped = json_dumps(out, 0);
	assert_null(strstr(dumped, "Jane"));
	assert_null(strstr(dumped, "indicators"));
	free(dumped);
	json_decref(out);

	/* typed back loosely */
	char loose[128];
	snprintf(loose, sizeof loose, "crx-%.2s %.4s-%.5s", s.ref + 3, s.ref + 5, s.ref + 9);
	for (char *p = loose; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	assert_int_equal(report_track(&f->env, loose, s.secret, &out, &err), 0);
	json_decref(out);

	/* a wrong secret and an unknown reference look the same */
	struct crix_error e1 = {0}, e2 = {0}, e3 = {0};
	char wrong[SECRET_TOKEN_MAX];
	snprintf(wrong, sizeof wrong, "%s", s.secret);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	assert_int_equal(report_track(&f->env, s.ref, wrong, &out, &e1), CRIX_ENOTFOUND);
	assert_null(out);
	char other[REF_LEN + 1];
	ref_new(26, other);
	assert_int_equal(report_track(&f->env, other, s.secret, &out, &e2), CRIX_ENOTFOUND);
	assert_string_equal(e1.msg, e2.msg);
	assert_int_equal(report_track(&f->env, s.ref, "", &out, &e3), CRIX_ENOTFOUND);
	assert_string_equal(e3.msg, e1.msg);
	assert_int_equal(report_track(&f->env, s.ref, NULL, &out, &e3), CRIX_ENOTFOUND);
	/* a mistyped reference is told so */
	char typo[REF_LEN + 1];
	snprintf(typo, sizeof typo, "%s", s.ref);
	typo[7] = typo[7] == '0' ? '1' : '0';
	assert_int_equal(report_track(&f->env, typo, s.secret, &out, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "reference");
}

static void test_add(void **state)
{
	struct fx *f = *state;
	struct submitted s;
	submit(f, &f->pub, "{\"category\":\"romance-fraud\",\"description\":\"we met online\"}",
	       &s);
	json_decref(s.receipt);
	int64_t audits = audit_count(f);
	json_t *in =
	        parse("{\"text\":\"They now use 198.51.100[.]7 and pay-me(at)scammer-mail.com\","
	              " \"suspect\": {\"phones\": [\"+1 202 555 0143\"]}}");
	json_t *out = NULL;
	struct crix_error err = {0};
	if (report_add(&f->env, s.ref, s.secret, in, &out, &err) != 0)
		fail_msg("report_add: %s (%s)", err.msg, err.field);
	json_decref(in);
	json_t *ind = json_object_get(out, "indicators");
	want_indicator(ind, "ipv4", "198.51.100.7", "addition");
	want_indicator(ind, "email", "pay-me@scammer-mail.com", "addition");
	want_indicator(ind, "phone", "+12025550143", "suspect.phones");
	assert_int_equal(strlen(json_string_value(json_object_get(out, "added"))), 24);
	json_decref(out);
	assert_int_equal(audit_count(f), audits + 1);

	/* appended: the stored indicators, an addition event, the count */
	struct store_report row;
	assert_int_equal(store_report_get(f->s, s.ref, &row, NULL), 0);
	struct store_indicator *inds;
	size_t n;
	assert_int_equal(store_indicator_list(f->s, row.id, 100, &inds, &n, NULL), 0);
	bool found = false;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(inds[i].value, "198.51.100.7") == 0 &&
		         strcmp(inds[i].field, "addition") == 0;
	assert_true(found);
	store_indicator_array_free(inds, n);
	store_report_clear(&row);
	in = parse("{\"text\":\"one more thing\"}");
	assert_int_equal(report_add(&f->env, s.ref, s.secret, in, &out, &err), 0);
	json_decref(out);
	json_decref(in);
	assert_int_equal(report_track(&f->env, s.ref, s.secret, &out, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "additions")), 2);
	json_decref(out);

	/* a wrong secret adds nothing */
	in = parse("{\"text\":\"not the victim\"}");
	assert_int_equal(report_add(&f->env, s.ref, "wrong-secret", in, &out, &err),
	                 CRIX_ENOTFOUND);
	assert_null(out);
	json_decref(in);

	/* bad additions name the field */
	static const struct {
		const char *json, *field;
	} bad[] = {
	        {"{}", "text"},
	        {"[]", ""},
	        {"{\"text\":5}", "text"},
	        {"{\"note\":\"x\"}", "note"},
	        {"{\"suspect\":{\"emails\":[\"nope\"]}}", "suspect.emails[0]"},
	        {"{\"suspect\":{\"other\":[]}}", "suspect.other"},
	        {"{\"suspect\":7}", "suspect"},
	};
	for (size_t i = 0; i < COUNT(bad); i++) {
		in = parse(bad[i].json);
		int rc = report_add(&f->env, s.ref, s.secret, in, &out, &err);
		if (rc != CRIX_EINVAL || strcmp(err.field, bad[i].field) != 0)
			fail_msg("%s: rc %d field \"%s\", want \"%s\"", bad[i].json, rc, err.field,
			         bad[i].field);
		json_decref(in);
	}
	assert_int_equal(audit_count(f), audits + 2);
}

/* ---- the staff side ---- */

static int set_status(struct fx *f, const struct principal *p, const char *ref, const char *body,
                      struct crix_error *err)
{
	json_t *in = parse(body);
	json_t *out = NULL;
	int rc = report_set_status(&f->env, p, ref, in, &out, err);
	assert_true(rc == 0 ? out != NULL : out == NULL);
	json_decref(out);
	json_decref(in);
	return rc;
}

static void test_status_moves(void **state)
{
	struct fx *f = *state;
	struct submitted s;
	submit(f, &f->pub, full_report, &s);
	json_decref(s.receipt);
	struct crix_error err = {0};

	/* who may move a report at all */
	const struct principal *not_allowed[] = {&f->pub, &f->cert_viewer, &f->biz_analyst,
	                                         &f->ngo_viewer};
	for (size_t i = 0; i < COUNT(not_allowed); i++)
		assert_int_equal(
		        set_status(f, not_allowed[i], s.ref, "{\"status\":\"triaged\"}", &err),
		        CRIX_EACCES);

	/* the body */
	static const struct {
		const char *json, *field;
	} bad[] = {
	        {"{}", "status"},
	        {"{\"status\":\"done\"}", "status"},
	        {"{\"status\":\"triaged\",\"outcome\":\"judicial\"}", "outcome"},
	        {"{\"status\":\"outcome\"}", "outcome"},
	        {"{\"status\":\"outcome\",\"outcome\":\"jail\"}", "outcome"},
	        {"{\"status\":\"triaged\",\"priority\":1}", "priority"},
	        {"[]", ""},
	};
	for (size_t i = 0; i < COUNT(bad); i++) {
		int rc = set_status(f, &f->cert_analyst, s.ref, bad[i].json, &err);
		if (rc != CRIX_EINVAL || strcmp(err.field, bad[i].field) != 0)
			fail_msg("%s: rc %d field \"%s\"", bad[i].json, rc, err.field);
	}

	/* the way through, with moves that are not allowed on the way */
	static const struct {
		const char *json;
		int rc;
	} path[] = {
	        {"{\"status\":\"under-review\"}", CRIX_EEXIST},
	        {"{\"status\":\"received\"}", CRIX_EEXIST},
	        {"{\"status\":\"outcome\",\"outcome\":\"judicial\"}", CRIX_EACCES}, /* analyst */
	        {"{\"status\":\"triaged\",\"note\":\"looks real\",\"victim_note\":\"We are on "
	         "it\"}",
	         0},
	        {"{\"status\":\"triaged\"}", CRIX_EEXIST},
	        {"{\"status\":\"disseminated\"}", CRIX_EEXIST},
	        {"{\"status\":\"under-review\"}", 0},
	        {"{\"status\":\"disseminated\"}", 0},
	        {"{\"status\":\"closed\"}", CRIX_EEXIST},
	};
	for (size_t i = 0; i < COUNT(path); i++) {
		int rc = set_status(f, &f->cert_analyst, s.ref, path[i].json, &err);
		if (rc != path[i].rc)
			fail_msg("step %zu %s: rc %d (%s), want %d", i, path[i].json, rc, err.msg,
			         path[i].rc);
		if (rc == CRIX_EEXIST)
			assert_string_equal(err.field, "status");
	}
	/* an outcome: law enforcement only */
	assert_int_equal(set_status(f, &f->le_analyst, s.ref,
	                            "{\"status\":\"outcome\",\"outcome\":\"judicial\"}", &err),
	                 CRIX_EACCES);
	assert_int_equal(set_status(f, &f->le_inv, s.ref,
	                            "{\"status\":\"outcome\",\"outcome\":\"judicial\"}", &err),
	                 0);
	static const char *const after[] = {"received", "triaged", "under-review", "disseminated",
	                                    "closed"};
	for (size_t i = 0; i < COUNT(after); i++) {
		char body[64];
		snprintf(body, sizeof body, "{\"status\":\"%s\"}", after[i]);
		assert_int_equal(set_status(f, &f->admin, s.ref, body, &err), CRIX_EEXIST);
	}

	/* the victim sees the moves and the victim note, not the staff note */
	json_t *out;
	assert_int_equal(report_track(&f->env, s.ref, s.secret, &out, &err), 0);
	assert_string_equal(json_string_value(json_object_get(out, "status")), "outcome");
	assert_string_equal(json_string_value(json_object_get(out, "outcome")), "judicial");
	json_t *hist = json_object_get(out, "history");
	assert_int_equal(json_array_size(hist), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 1), "note")),
	                    "We are on it");
	char *d = json_dumps(out, 0);
	assert_null(strstr(d, "looks real"));
	free(d);
	json_decref(out);

	/* closing from the early statuses */
	static const char *const early[][2] = {{"", "received"},
	                                       {"{\"status\":\"triaged\"}", "triaged"},
	                                       {"{\"status\":\"under-review\"}", "under-review"}};
	for (size_t i = 0; i < COUNT(early); i++) {
		struct submitted t;
		submit(f, &f->pub, "{\"category\":\"phishing\",\"description\":\"x\"}", &t);
		json_decref(t.receipt);
		if (i >= 1)
			assert_int_equal(set_status(f, &f->le_analyst, t.ref, early[1][0], &err),
			                 0);
		if (i >= 2)
			assert_int_equal(set_status(f, &f->le_analyst, t.ref, early[2][0], &err),
			                 0);
		assert_int_equal(
		        set_status(f, &f->le_analyst, t.ref, "{\"status\":\"closed\"}", &err), 0);
		assert_int_equal(
		        set_status(f, &f->le_analyst, t.ref, "{\"status\":\"triaged\"}", &err),
		        CRIX_EEXIST);
	}
	/* an unknown reference */
	char other[REF_LEN + 1];
	ref_new(26, other);
	assert_int_equal(set_status(f, &f->le_analyst, other, "{\"status\":\"triaged\"}", &err),
	                 CRIX_ENOTFOUND);
}

static void test_view_victim(void **state)
{
	struct fx *f = *state;
	struct submitted s;
	submit(f, &f->biz_analyst, full_report, &s);
	json_decref(s.receipt);
	struct crix_error err = {0};
	json_t *out = NULL;

	/* without the victim: staff of any reporting-centre organisation */
	int64_t audits = audit_count(f);
	const struct principal *readers[] = {&f->le_analyst, &f->cert_viewer, &f->admin, &f->le_inv,
	                                     &f->biz_analyst};
	for (size_t i = 0; i < COUNT(readers); i++) {
		if (report_view(&f->env, readers[i], s.ref, false, &out, &err) != 0)
			fail_msg("report_view(%s): %s", readers[i]->actor, err.msg);
		assert_null(json_object_get(out, "victim"));
		assert_true(json_array_size(json_object_get(out, "indicators")) > 0);
		assert_int_equal(json_array_size(json_object_get(out, "events")), 1);
		assert_non_null(json_object_get(out, "report"));
		char *d = json_dumps(out, 0);
		assert_null(strstr(d, "Jane"));
		free(d);
		json_decref(out);
	}
	assert_int_equal(audit_count(f), audits);
	/* another business, an NGO: not theirs */
	assert_int_equal(report_view(&f->env, &f->biz2_analyst, s.ref, false, &out, &err),
	                 CRIX_EACCES);
	assert_int_equal(report_view(&f->env, &f->ngo_viewer, s.ref, false, &out, &err),
	                 CRIX_EACCES);
	assert_int_equal(report_view(&f->env, &f->pub, s.ref, false, &out, &err), CRIX_EACCES);
	assert_null(out);

	/* with the victim: law-enforcement investigators and admins only */
	const struct principal *no_victim[] = {&f->le_analyst, &f->cert_analyst, &f->cert_viewer,
	                                       &f->biz_analyst, &f->pub};
	for (size_t i = 0; i < COUNT(no_victim); i++) {
		assert_int_equal(report_view(&f->env, no_victim[i], s.ref, true, &out, &err),
		                 CRIX_EACCES);
		assert_null(out);
	}
	assert_int_equal(audit_count(f), audits);
	const struct principal *may[] = {&f->le_inv, &f->admin};
	for (size_t i = 0; i < COUNT(may); i++) {
		if (report_view(&f->env, may[i], s.ref, true, &out, &err) != 0)
			fail_msg("report_view(%s, victim): %s", may[i]->actor, err.msg);
		json_t *v = json_object_get(out, "victim");
		assert_string_equal(json_string_value(json_object_get(v, "name")), "Jane Doe");
		json_decref(out);
		/* the read is in the audit chain, naming the reader and the report */
		char buf[256], want[256];
		snprintf(want, sizeof want, "report.read-victim %s %s", may[i]->actor, s.ref);
		assert_string_equal(last_audit_action(f, buf, sizeof buf), want);
	}
	assert_int_equal(audit_count(f), audits + 2);
}

static void test_list(void **state)
{
	struct fx *f = *state;
	struct submitted a, b, c;
	submit(f, &f->biz_analyst, "{\"category\":\"ceo-fraud\",\"description\":\"biz one\"}", &a);
	submit(f, &f->biz2_analyst, "{\"category\":\"ceo-fraud\",\"description\":\"biz two\"}", &b);
	submit(f, &f->pub, "{\"category\":\"phishing\",\"description\":\"public\"}", &c);
	json_decref(a.receipt);
	json_decref(b.receipt);
	json_decref(c.receipt);
	struct store_report_filter all = {.status = ""};
	json_t *out = NULL;
	struct crix_error err = {0};

	/* staff see all, newest first, without victims */
	assert_int_equal(report_list(&f->env, &f->cert_viewer, &all, 0, 10, &out, &err), 0);
	json_t *reps = json_object_get(out, "reports");
	assert_int_equal(json_array_size(reps), 3);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(reps, 0), "reference")), c.ref);
	assert_true(json_is_null(json_object_get(out, "next")));
	json_decref(out);

	/* a business sees its own, even when it asks for another's */
	assert_int_equal(report_list(&f->env, &f->biz_analyst, &all, 0, 10, &out, &err), 0);
	reps = json_object_get(out, "reports");
	assert_int_equal(json_array_size(reps), 1);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(reps, 0), "reference")), a.ref);
	json_decref(out);
	struct store_report_filter theirs = {.org_id = 4};
	assert_int_equal(report_list(&f->env, &f->biz_analyst, &theirs, 0, 10, &out, &err), 0);
	reps = json_object_get(out, "reports");
	assert_int_equal(json_array_size(reps), 1);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(reps, 0), "reference")), a.ref);
	json_decref(out);
	assert_int_equal(report_list(&f->env, &f->ngo_viewer, &all, 0, 10, &out, &err), 0);
	assert_int_equal(json_array_size(json_object_get(out, "reports")), 0);
	json_decref(out);

	/* the public may not list */
	assert_int_equal(report_list(&f->env, &f->pub, &all, 0, 10, &out, &err), CRIX_EACCES);
	assert_null(out);

	/* paging: a full page has a cursor that gives the rest */
	assert_int_equal(report_list(&f->env, &f->admin, &all, 0, 2, &out, &err), 0);
	assert_int_equal(json_array_size(json_object_get(out, "reports")), 2);
	json_int_t next = json_integer_value(json_object_get(out, "next"));
	assert_true(next > 0);
	json_decref(out);
	assert_int_equal(report_list(&f->env, &f->admin, &all, next, 2, &out, &err), 0);
	reps = json_object_get(out, "reports");
	assert_int_equal(json_array_size(reps), 1);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(reps, 0), "reference")), a.ref);
	json_decref(out);
	/* and the filters reach the store */
	struct store_report_filter ceo = {.category = "ceo-fraud", .text = "two"};
	assert_int_equal(report_list(&f->env, &f->admin, &ceo, 0, 10, &out, &err), 0);
	reps = json_object_get(out, "reports");
	assert_int_equal(json_array_size(reps), 1);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(reps, 0), "reference")), b.ref);
	json_decref(out);
}

static void test_note(void **state)
{
	struct fx *f = *state;
	struct submitted s;
	submit(f, &f->pub, "{\"category\":\"phishing\",\"description\":\"x\"}", &s);
	json_decref(s.receipt);
	json_t *in = parse("{\"text\":\"called the victim\",\"victim_visible\":true}");
	json_t *out = NULL;
	struct crix_error err = {0};
	assert_int_equal(report_note(&f->env, &f->biz_analyst, s.ref, in, &out, &err), CRIX_EACCES);
	assert_int_equal(report_note(&f->env, &f->le_analyst, s.ref, in, &out, &err), 0);
	json_decref(out);
	json_decref(in);
	in = parse("{\"text\":\"\"}");
	assert_int_equal(report_note(&f->env, &f->le_analyst, s.ref, in, &out, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "text");
	json_decref(in);
	in = parse("{\"text\":\"x\",\"victim_visible\":1}");
	assert_int_equal(report_note(&f->env, &f->le_analyst, s.ref, in, &out, &err), CRIX_EINVAL);
	assert_string_equal(err.field, "victim_visible");
	json_decref(in);
	assert_int_equal(report_track(&f->env, s.ref, s.secret, &out, &err), 0);
	json_t *hist = json_object_get(out, "history");
	assert_int_equal(json_array_size(hist), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 1), "note")),
	                    "called the victim");
	json_decref(out);
	assert_true(report_status_known("closed"));
	assert_false(report_status_known("Closed"));
	assert_false(report_status_known(""));
}

/* report_move_tx: one step written into the caller's transaction, with its
 * event and audit entry; a rolled-back transaction leaves nothing; moves
 * the workflow does not allow, and callers who may not work on reports,
 * are refused with the report named. */
static void test_move_tx(void **state)
{
	struct fx *f = *state;
	struct submitted s;
	submit(f, &f->pub, full_report, &s);
	json_decref(s.receipt);
	struct crix_error err = {0};
	struct store_report r;
	if (store_report_get(f->s, s.ref, &r, &err) != 0)
		fail_msg("get: %s", err.msg);
	int64_t audits = audit_count(f);
	struct store_tx *tx;

	/* rolled back: nothing stays */
	assert_int_equal(store_tx_begin(f->s, &tx, &err), 0);
	assert_int_equal(report_move_tx(&f->env, tx, &f->cert_analyst, &r, "received", "triaged",
	                                NULL, "seen", &err),
	                 0);
	store_tx_rollback(tx);
	assert_int_equal(audit_count(f), audits);
	struct store_report now;
	assert_int_equal(store_report_brief(f->s, r.id, &now, &err), 0);
	assert_string_equal(now.status, "received");
	store_report_clear(&now);

	/* refused: a skipped step, a wrong "from", a viewer; each names the report */
	assert_int_equal(store_tx_begin(f->s, &tx, &err), 0);
	assert_int_equal(report_move_tx(&f->env, tx, &f->cert_analyst, &r, "received",
	                                "disseminated", NULL, NULL, &err),
	                 CRIX_EEXIST);
	assert_non_null(strstr(err.msg, s.ref));
	assert_int_equal(report_move_tx(&f->env, tx, &f->cert_viewer, &r, "received", "triaged",
	                                NULL, NULL, &err),
	                 CRIX_EACCES);
	assert_int_equal(report_move_tx(&f->env, tx, &f->cert_analyst, &r, "triaged",
	                                "under-review", NULL, NULL, &err),
	                 CRIX_EEXIST); /* the store's check: it is not triaged */
	assert_non_null(strstr(err.msg, s.ref));
	store_tx_rollback(tx);

	/* committed: two steps in one transaction, each audited */
	assert_int_equal(store_tx_begin(f->s, &tx, &err), 0);
	assert_int_equal(report_move_tx(&f->env, tx, &f->cert_analyst, &r, "received", "triaged",
	                                NULL, NULL, &err),
	                 0);
	assert_int_equal(report_move_tx(&f->env, tx, &f->cert_analyst, &r, "triaged",
	                                "under-review", NULL, "being looked at", &err),
	                 0);
	assert_int_equal(store_tx_commit(tx, &err), 0);
	assert_int_equal(audit_count(f), audits + 2);
	assert_int_equal(store_report_brief(f->s, r.id, &now, &err), 0);
	assert_string_equal(now.status, "under-review");
	store_report_clear(&now);
	store_report_clear(&r);
}

/* Consent is an explicit true in the stored body, as data. */
static void test_consented(void **state)
{
	(void)state;
	static const struct {
		const char *body, *key;
		bool yes;
	} cases[] = {
	        {"{\"consents\":{\"share_with_partners\":true}}", "share_with_partners", true},
	        {"{\"consents\":{\"share_with_partners\":true}}", "share_with_law_enforcement",
	         false},
	        {"{\"consents\":{\"share_with_partners\":false}}", "share_with_partners", false},
	        {"{\"consents\":{\"share_with_partners\":1}}", "share_with_partners", false},
	        {"{\"consents\":{\"share_with_law_enforcement\":true,\"contact\":true}}",
	         "share_with_law_enforcement", true},
	        {"{\"share_with_partners\":true}", "share_with_partners", false},
	        {"{}", "share_with_partners", false},
	        {"not json", "share_with_partners", false},
	        {NULL, "share_with_partners", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (report_consented(cases[i].body, cases[i].key) != cases[i].yes)
			fail_msg("case %zu: %s / %s", i, cases[i].body ? cases[i].body : "NULL",
			         cases[i].key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_submit_receipt, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_submit_evidence, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_validation_table, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_track, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_add, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_status_moves, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_view_victim, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_note, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_move_tx, setup, teardown),
	        cmocka_unit_test(test_consented),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
