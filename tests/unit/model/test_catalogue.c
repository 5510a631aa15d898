/*
 * test_catalogue.c - the offence and advice catalogues (src/model/catalogue.c
 * and data/): the real catalogue loads, maps every offence to taxonomy values
 * that exist and to legal articles in range, gives the advice the issue asks
 * for (bank transfer -> call your bank now, account taken over -> recover it
 * and turn on two-factor, still in contact -> stop, child sexual abuse
 * material -> where to go), never gives nothing for an in-scope category, and
 * orders what it gives.  Bad catalogues, written to a temporary directory as
 * data (one row per case), fail with a message naming the file, the entry and
 * the field.
 *
 * Run from the repository root (data/ and ../shared/data/taxonomies are
 * relative paths); the taxonomy test is skipped when ../shared is absent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/catalogue.h"

#define COUNT(a)       (sizeof(a) / sizeof((a)[0]))
#define ADVICE_MAX     64
#define TAXONOMIES     "../shared/data/taxonomies"
#define URGENT_RANK(u) (strcmp((u), "now") == 0 ? 0 : strcmp((u), "soon") == 0 ? 1 : 2)

static struct catalogue *real;

static int setup(void **state)
{
	(void)state;
	struct crix_error err;
	crix_error_clear(&err);
	int rc = catalogue_load("data", &real, &err);
	if (rc != 0)
		fprintf(stderr, "catalogue_load(data): %s\n", err.msg);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	catalogue_free(real);
	real = NULL;
	return 0;
}

static size_t advise(const char *category, const char *pm, unsigned sit, const struct advice **out)
{
	struct advice_case ac = {category, pm, sit};
	return catalogue_advise(real, &ac, out, ADVICE_MAX);
}

static int has_id(const struct advice *const *items, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i]->id, id) == 0)
			return 1;
	return 0;
}

/* Urgency never goes back up, priority never up within an urgency, ids in
 * order within a priority. */
static void assert_ordered(const struct advice *const *items, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int r0 = URGENT_RANK(items[i - 1]->urgency), r1 = URGENT_RANK(items[i]->urgency);
		assert_true(r0 <= r1);
		if (r0 == r1) {
			assert_true(items[i - 1]->priority >= items[i]->priority);
			if (items[i - 1]->priority == items[i]->priority)
				assert_true(strcmp(items[i - 1]->id, items[i]->id) < 0);
		}
	}
}

/* ----------------------------------------------------- the real catalogue -- */

/* The categories the issue names are all there, well formed. */
static void test_real_catalogue(void **state)
{
	(void)state;
	size_t n = catalogue_offence_count(real);
	assert_true(n >= 22);
	static const char *const wanted[] = {
	        "investment-fraud",
	        "romance-fraud",
	        "online-shopping-fraud",
	        "auction-fraud",
	        "advance-fee-fraud",
	        "impersonation-fraud",
	        "invoice-fraud",
	        "ceo-fraud",
	        "phishing",
	        "email-account-hacking",
	        "social-media-account-hacking",
	        "server-intrusion",
	        "ransomware",
	        "malware",
	        "ddos",
	        "extortion",
	        "sextortion",
	        "identity-theft",
	        "child-sexual-abuse-material",
	        "immediate-danger",
	};
	for (size_t i = 0; i < COUNT(wanted); i++) {
		const struct offence *o = catalogue_offence(real, wanted[i]);
		assert_non_null(o);
		assert_string_equal(o->code, wanted[i]);
	}
	assert_null(catalogue_offence(real, "no-such-offence"));
	assert_null(catalogue_offence(real, NULL));
	assert_null(catalogue_offence_at(real, n));

	size_t out_of_scope = 0;
	for (size_t i = 0; i < n; i++) {
		const struct offence *o = catalogue_offence_at(real, i);
		assert_non_null(o);
		assert_ptr_equal(catalogue_offence(real, o->code), o);
		assert_true(strlen(o->name) > 0 && strlen(o->description) > 0);
		/* one plain sentence */
		assert_int_equal(o->description[strlen(o->description) - 1], '.');
		assert_true(strcmp(o->group, "fraud") == 0 || strcmp(o->group, "cyber") == 0 ||
		            strcmp(o->group, "other") == 0);
		for (size_t j = 0; j < o->n_directive; j++) {
			assert_in_range(o->directive[j], 3, 8);
			if (j > 0)
				assert_true(o->directive[j - 1] < o->directive[j]);
		}
		for (size_t j = 0; j < o->n_budapest; j++) {
			assert_in_range(o->budapest[j], 2, 10);
			if (j > 0)
				assert_true(o->budapest[j - 1] < o->budapest[j]);
		}
		if (o->in_scope) {
			assert_null(o->refer_name);
			assert_null(o->refer_url);
			assert_null(o->refer_why);
		} else {
			out_of_scope++;
			assert_non_null(o->refer_name);
			assert_non_null(o->refer_url);
			assert_non_null(o->refer_why);
		}
	}
	assert_true(out_of_scope >= 2);
	assert_false(catalogue_offence(real, "child-sexual-abuse-material")->in_scope);
	assert_true(catalogue_offence(real, "investment-fraud")->in_scope);

	/* the legal mapping of a few that the facts fix */
	const struct offence *o = catalogue_offence(real, "ddos");
	assert_int_equal(o->n_directive, 1);
	assert_int_equal(o->directive[0], 4);
	assert_int_equal(o->n_budapest, 1);
	assert_int_equal(o->budapest[0], 5);
	o = catalogue_offence(real, "email-account-hacking");
	assert_int_equal(o->directive[0], 3);
	assert_int_equal(o->budapest[0], 2);
	o = catalogue_offence(real, "investment-fraud");
	assert_int_equal(o->n_directive, 0);
	assert_int_equal(o->n_budapest, 1);
	assert_int_equal(o->budapest[0], 8);
	o = catalogue_offence(real, "child-sexual-abuse-material");
	assert_int_equal(o->n_budapest, 1);
	assert_int_equal(o->budapest[0], 9);
}

/* The "predicate:value" pairs of a MISP machinetag file, as a JSON object
 * used as a set. */
static json_t *taxonomy_values(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	if (doc == NULL)
		fail_msg("%s: %s", path, jerr.text);
	json_t *set = json_object();
	size_t i, j;
	json_t *v, *e;
	json_array_foreach(json_object_get(doc, "values"), i, v)
	{
		const char *pred = json_string_value(json_object_get(v, "predicate"));
		assert_non_null(pred);
		json_array_foreach(json_object_get(v, "entry"), j, e)
		{
			const char *val = json_string_value(json_object_get(e, "value"));
			assert_non_null(val);
			char key[256];
			snprintf(key, sizeof key, "%s:%s", pred, val);
			json_object_set_new(set, key, json_true());
		}
	}
	json_decref(doc);
	assert_true(json_object_size(set) > 10);
	return set;
}

/* Every offence names an RSIT class:type and a Europol incident class:type
 * that exist in the taxonomies. */
static void test_taxonomy_values_exist(void **state)
{
	(void)state;
	if (access(TAXONOMIES "/rsit/machinetag.json", R_OK) != 0) {
		skip();
		return;
	}
	json_t *rsit = taxonomy_values(TAXONOMIES "/rsit/machinetag.json");
	json_t *europol = taxonomy_values(TAXONOMIES "/europol-incident/machinetag.json");
	for (size_t i = 0; i < catalogue_offence_count(real); i++) {
		const struct offence *o = catalogue_offence_at(real, i);
		if (json_object_get(rsit, o->rsit) == NULL)
			fail_msg("%s: rsit \"%s\" is not in the RSIT taxonomy", o->code, o->rsit);
		if (json_object_get(europol, o->europol) == NULL)
			fail_msg("%s: europol \"%s\" is not in the Europol taxonomy", o->code,
			         o->europol);
	}
	json_decref(rsit);
	json_decref(europol);
}

/* ----------------------------------------------------------------- advice -- */

/* The examples of the issue. */
static void test_issue_examples(void **state)
{
	(void)state;
	const struct advice *a[ADVICE_MAX];

	/* money sent by bank transfer -> call your bank now */
	size_t n = advise("investment-fraud", "bank-transfer", CATALOGUE_SIT_MONEY_LOST, a);
	assert_true(n >= 3);
	assert_string_equal(a[0]->id, "bank-transfer-call-bank");
	assert_string_equal(a[0]->urgency, "now");
	assert_string_equal(a[0]->title, "Call your bank now");
	assert_true(has_id(a, n, "recovery-scam-warning"));
	assert_true(has_id(a, n, "report-reference"));
	assert_false(has_id(a, n, "card-call-issuer"));
	assert_ordered(a, n);

	/* the same by card: the card provider, not the transfer advice */
	n = advise("online-shopping-fraud", "card", CATALOGUE_SIT_MONEY_LOST, a);
	assert_string_equal(a[0]->id, "card-call-issuer");
	assert_false(has_id(a, n, "bank-transfer-call-bank"));

	/* account taken over -> recover it and turn on two-factor */
	n = advise("phishing", NULL, CATALOGUE_SIT_ACCOUNT_COMPROMISED, a);
	assert_true(has_id(a, n, "account-recover"));
	assert_string_equal(a[0]->urgency, "now");
	n = advise("social-media-account-hacking", NULL, 0, a);
	assert_string_equal(a[0]->id, "account-recover");
	assert_string_equal(a[0]->urgency, "now");
	assert_non_null(strstr(a[0]->text, "two-factor"));
	assert_true(has_id(a, n, "account-warn-contacts"));

	/* still in contact -> stop, do not pay more */
	n = advise("romance-fraud", NULL, CATALOGUE_SIT_STILL_IN_CONTACT, a);
	assert_true(has_id(a, n, "romance-talk"));
	assert_string_equal(a[0]->id, "still-in-contact-stop");
	assert_string_equal(a[0]->urgency, "now");
	assert_string_equal(a[0]->title, "Stop all contact and do not pay more");

	/* both at once: both urgent, ahead of anything else */
	n = advise("romance-fraud", "bank-transfer",
	           CATALOGUE_SIT_MONEY_LOST | CATALOGUE_SIT_STILL_IN_CONTACT, a);
	assert_true(n >= 2);
	assert_string_equal(a[0]->id, "bank-transfer-call-bank");
	assert_string_equal(a[1]->id, "still-in-contact-stop");
	assert_ordered(a, n);

	/* child sexual abuse material -> where to go, first; nothing general
	 * (keeping screenshots would be the wrong advice here) */
	const struct offence *o = catalogue_offence(real, "child-sexual-abuse-material");
	n = advise("child-sexual-abuse-material", "none", CATALOGUE_SIT_ALL, a);
	assert_true(n >= 2);
	assert_string_equal(a[0]->id, "refer-child-sexual-abuse-material");
	assert_string_equal(a[0]->urgency, "now");
	assert_non_null(strstr(a[0]->title, o->refer_name));
	assert_non_null(strstr(a[0]->text, o->refer_url));
	assert_string_equal(a[1]->id, "csam-do-not-copy");
	assert_false(has_id(a, n, "keep-records"));
	assert_false(has_id(a, n, "still-in-contact-stop"));

	/* immediate danger: call 112 */
	n = advise("immediate-danger", NULL, 0, a);
	assert_int_equal(n, 2);
	assert_string_equal(a[0]->id, "refer-immediate-danger");
	assert_non_null(strstr(a[0]->text, "Call 112."));
}

/* Every in-scope category gets advice with any payment method and any
 * situation, including none; out-of-scope ones always lead with the
 * referral; everything comes out in order. */
static void test_every_category_advised(void **state)
{
	(void)state;
	static const char *const pms[] = {
	        NULL,   "bank-transfer",          "card",   "cryptocurrency", "gift-card",
	        "cash", "money-transfer-service", "cheque", "payment-app",    "none"};
	for (size_t i = 0; i < COUNT(pms); i++)
		if (pms[i] != NULL)
			assert_true(catalogue_payment_method_known(real, pms[i]));
	size_t most = 0;
	for (size_t i = 0; i < catalogue_offence_count(real); i++) {
		const struct offence *o = catalogue_offence_at(real, i);
		for (size_t p = 0; p < COUNT(pms); p++) {
			for (unsigned sit = 0; sit <= CATALOGUE_SIT_ALL; sit++) {
				const struct advice *a[ADVICE_MAX];
				size_t n = advise(o->code, pms[p], sit, a);
				assert_true(n >= 1);
				if (n > most)
					most = n;
				for (size_t k = 0; k < n; k++) {
					assert_true(strlen(a[k]->title) > 0);
					assert_true(strlen(a[k]->text) > 0);
					for (size_t m = 0; m < k; m++)
						assert_ptr_not_equal(a[k], a[m]);
				}
				if (o->in_scope) {
					assert_true(has_id(a, n, "report-reference"));
					assert_ordered(a, n);
				} else {
					assert_string_equal(a[0]->urgency, "now");
					assert_int_equal(strncmp(a[0]->id, "refer-", 6), 0);
					assert_string_equal(a[0]->id + 6, o->code);
					assert_false(has_id(a, n, "report-reference"));
					assert_ordered(a + 1, n - 1);
				}
			}
		}
	}

	/* the report API asks for 32 at most: the worst case fits, with room */
	if (most > 24)
		fail_msg("a case gets %zu items of advice", most);

	/* no category, or an unknown one: the general advice */
	const struct advice *a[ADVICE_MAX];
	size_t n = advise(NULL, NULL, 0, a);
	assert_true(has_id(a, n, "keep-records"));
	assert_true(has_id(a, n, "report-reference"));
	n = advise("no-such-offence", "no-such-method", CATALOGUE_SIT_MONEY_LOST, a);
	assert_true(has_id(a, n, "report-reference"));
	assert_false(has_id(a, n, "bank-transfer-call-bank"));
}

/* max caps the output, which is then the head of the full list. */
static void test_advise_limits(void **state)
{
	(void)state;
	const struct advice *all[ADVICE_MAX], *few[2];
	size_t n = advise("ransomware", "cryptocurrency",
	                  CATALOGUE_SIT_MONEY_LOST | CATALOGUE_SIT_BUSINESS_VICTIM, all);
	assert_true(n > 2);
	struct advice_case ac = {"ransomware", "cryptocurrency",
	                         CATALOGUE_SIT_MONEY_LOST | CATALOGUE_SIT_BUSINESS_VICTIM};
	assert_int_equal(catalogue_advise(real, &ac, few, 2), 2);
	assert_ptr_equal(few[0], all[0]);
	assert_ptr_equal(few[1], all[1]);
	assert_int_equal(catalogue_advise(real, &ac, few, 0), 0);
	assert_int_equal(catalogue_advise(NULL, &ac, few, 2), 0);
	assert_int_equal(catalogue_advise(real, NULL, few, 2), 0);
	/* the referral alone when only one fits */
	ac.category = "hate-speech";
	assert_int_equal(catalogue_advise(real, &ac, few, 1), 1);
	assert_string_equal(few[0]->id, "refer-hate-speech");
	/* bits beyond the vocabulary are ignored */
	ac.category = "phishing";
	ac.situations = ~0u;
	assert_true(catalogue_advise(real, &ac, few, 2) == 2);
}

static void test_situations(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		unsigned bit;
	} sits[] = {
	        {"money-lost", CATALOGUE_SIT_MONEY_LOST},
	        {"still-in-contact", CATALOGUE_SIT_STILL_IN_CONTACT},
	        {"account-compromised", CATALOGUE_SIT_ACCOUNT_COMPROMISED},
	        {"device-compromised", CATALOGUE_SIT_DEVICE_COMPROMISED},
	        {"personal-data-shared", CATALOGUE_SIT_PERSONAL_DATA_SHARED},
	        {"vulnerable", CATALOGUE_SIT_VULNERABLE},
	        {"business-victim", CATALOGUE_SIT_BUSINESS_VICTIM},
	        {"threatened", CATALOGUE_SIT_THREATENED},
	};
	unsigned all = 0;
	for (size_t i = 0; i < COUNT(sits); i++) {
		unsigned bit = 0;
		assert_int_equal(catalogue_situation_parse(sits[i].name, &bit), 0);
		assert_int_equal(bit, sits[i].bit);
		assert_string_equal(catalogue_situation_name(bit), sits[i].name);
		all |= bit;
	}
	assert_int_equal(all, CATALOGUE_SIT_ALL);
	unsigned bit = 12345;
	assert_int_equal(catalogue_situation_parse("Money-Lost", &bit), CRIX_EINVAL);
	assert_int_equal(catalogue_situation_parse("", &bit), CRIX_EINVAL);
	assert_int_equal(catalogue_situation_parse(NULL, &bit), CRIX_EINVAL);
	assert_int_equal(bit, 12345);
	assert_null(catalogue_situation_name(0));
	assert_null(catalogue_situation_name(3));
	assert_null(catalogue_situation_name(1u << 8));
	assert_null(catalogue_situation_name(~0u));
}

static void test_payment_methods(void **state)
{
	(void)state;
	assert_string_equal(catalogue_payment_method_name(real, "bank-transfer"), "Bank transfer");
	assert_non_null(catalogue_payment_method_name(real, "none"));
	assert_true(catalogue_payment_method_known(real, "gift-card"));
	assert_false(catalogue_payment_method_known(real, "Bank-Transfer"));
	assert_false(catalogue_payment_method_known(real, NULL));
	assert_false(catalogue_payment_method_known(NULL, "card"));
	assert_null(catalogue_payment_method_name(real, "paypal"));
	assert_int_equal(catalogue_offence_count(NULL), 0);
	catalogue_free(NULL);
}

/* ------------------------------------------------------------------- JSON -- */

static void assert_string_field(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (!json_is_string(v) || json_string_length(v) == 0)
		fail_msg("field %s is not a non-empty string", k);
}

static void test_offences_json(void **state)
{
	(void)state;
	json_t *j = catalogue_offences_json(real);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 3);
	json_t *offs = json_object_get(j, "offences");
	assert_true(json_is_array(offs));
	assert_int_equal(json_array_size(offs), catalogue_offence_count(real));
	size_t i;
	json_t *o;
	json_array_foreach(offs, i, o)
	{
		const struct offence *off = catalogue_offence_at(real, i);
		static const char *const strs[] = {"code",  "name", "description",
		                                   "group", "rsit", "europol"};
		for (size_t k = 0; k < COUNT(strs); k++)
			assert_string_field(o, strs[k]);
		assert_string_equal(json_string_value(json_object_get(o, "code")), off->code);
		assert_true(json_is_array(json_object_get(o, "directive")));
		assert_int_equal(json_array_size(json_object_get(o, "directive")),
		                 off->n_directive);
		assert_int_equal(json_array_size(json_object_get(o, "budapest")), off->n_budapest);
		for (size_t k = 0; k < off->n_budapest; k++)
			assert_int_equal(json_integer_value(
			                         json_array_get(json_object_get(o, "budapest"), k)),
			                 off->budapest[k]);
		assert_true(json_is_array(json_object_get(o, "situations")));
		json_t *scope = json_object_get(o, "in_scope");
		assert_true(json_is_boolean(scope));
		assert_int_equal(json_is_true(scope), off->in_scope);
		json_t *refer = json_object_get(o, "refer");
		if (off->in_scope) {
			assert_null(refer);
		} else {
			assert_string_field(refer, "name");
			assert_string_field(refer, "url");
			assert_string_field(refer, "why");
		}
	}
	json_t *hacked = json_array_get(offs, 0);
	for (i = 0; i < json_array_size(offs); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(offs, i), "code")),
		           "email-account-hacking") == 0)
			hacked = json_array_get(offs, i);
	assert_string_equal(
	        json_string_value(json_array_get(json_object_get(hacked, "situations"), 0)),
	        "account-compromised");

	json_t *pms = json_object_get(j, "payment_methods");
	assert_int_equal(json_array_size(pms), 9);
	json_array_foreach(pms, i, o)
	{
		assert_int_equal(json_object_size(o), 2);
		assert_string_field(o, "code");
		assert_string_field(o, "name");
		assert_true(catalogue_payment_method_known(
		        real, json_string_value(json_object_get(o, "code"))));
	}
	json_t *sits = json_object_get(j, "situations");
	assert_int_equal(json_array_size(sits), 8);
	json_array_foreach(sits, i, o)
	{
		assert_string_field(o, "name");
		assert_string_equal(json_string_value(json_object_get(o, "code")),
		                    catalogue_situation_name(1u << i));
	}
	/* it serialises */
	char *text = json_dumps(j, JSON_COMPACT);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"code\":\"investment-fraud\""));
	free(text);
	json_decref(j);
	assert_null(catalogue_offences_json(NULL));
}

static void test_advice_json(void **state)
{
	(void)state;
	const struct advice *a[ADVICE_MAX];
	size_t n = advise("investment-fraud", "bank-transfer", CATALOGUE_SIT_MONEY_LOST, a);
	json_t *j = catalogue_advice_json(a, n);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), n);
	size_t i;
	json_t *o;
	json_array_foreach(j, i, o)
	{
		assert_int_equal(json_object_size(o), 4);
		assert_string_equal(json_string_value(json_object_get(o, "id")), a[i]->id);
		assert_string_equal(json_string_value(json_object_get(o, "title")), a[i]->title);
		assert_string_equal(json_string_value(json_object_get(o, "text")), a[i]->text);
		assert_string_equal(json_string_value(json_object_get(o, "urgency")),
		                    a[i]->urgency);
	}
	json_decref(j);

	/* empty, and NULL items skipped */
	j = catalogue_advice_json(NULL, 0);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	const struct advice *some[3] = {a[0], NULL, a[1]};
	j = catalogue_advice_json(some, 3);
	assert_int_equal(json_array_size(j), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(j, 1), "id")),
	                    a[1]->id);
	json_decref(j);
}

/* ----------------------------------------------------- bad catalogues ---- */

/*
 * Catalogues written to a temporary directory.  JSON is written with single
 * quotes for readability and turned into double quotes on the way to disk.
 * In the expected message, '@' stands for the temporary directory.
 */
#define OFF_A                                                                                      \
	"{'code':'a-fraud','name':'A','description':'A fraud.','group':'fraud',"                   \
	"'rsit':'fraud:phishing','europol':'fraud:illegitimate-use-name','directive':[],"          \
	"'budapest':[8],'in_scope':true}"
#define OFF_B                                                                                      \
	"{'code':'b-refer','name':'B','description':'Not here.','group':'other',"                  \
	"'rsit':'other:other','europol':'other:other','directive':[],'budapest':[9],"              \
	"'in_scope':false,'refer':{'name':'the hotline','url':'https://hotline.example',"          \
	"'why':'They handle it.'}}"
#define PMS                                                                                        \
	"'payment_methods':[{'code':'bank-transfer','name':'Bank transfer'},"                      \
	"{'code':'none','name':'None'}]"
#define SITS_BUT_ONE                                                                               \
	"{'code':'money-lost','name':'m'},{'code':'still-in-contact','name':'s'},"                 \
	"{'code':'account-compromised','name':'a'},{'code':'device-compromised','name':'d'},"      \
	"{'code':'personal-data-shared','name':'p'},{'code':'vulnerable','name':'v'},"             \
	"{'code':'business-victim','name':'b'}"
#define SITS          "'situations':[" SITS_BUT_ONE ",{'code':'threatened','name':'t'}]"
#define OFFENCES(...) "{'offences':[" __VA_ARGS__ "]," PMS "," SITS "}"
#define GOOD_OFFENCES OFFENCES(OFF_A "," OFF_B)
#define ADVICE(...)   "{'advice':[" __VA_ARGS__ "]}"
#define GENERAL       "{'id':'general','title':'T','text':'Keep records.','urgency':'info','priority':1}"
#define GOOD_ADVICE   ADVICE(GENERAL)

struct file {
	const char *name; /* under the advice directory */
	const char *text;
};

struct bad_case {
	const char *what;
	const char *offences; /* NULL: no offences.json */
	int no_advice_dir;
	struct file advice[3]; /* name NULL ends */
	int rc;
	const char *msg; /* '@' is the directory; ending in a space, a prefix */
};

static const struct bad_case bad_cases[] = {
        {"the fixture itself is good", GOOD_OFFENCES, 0, {{"a.json", GOOD_ADVICE}}, 0, ""},
        {"offences.json missing",
         NULL,
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EIO,
         "@/offences.json: No such file or directory"},
        {"advice directory missing",
         GOOD_OFFENCES,
         1,
         {{NULL, NULL}},
         CRIX_EIO,
         "@/advice: No such file or directory"},
        {"offences.json not JSON",
         "{'offences': [",
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: line 1 column "},
        {"advice file not JSON",
         GOOD_OFFENCES,
         0,
         {{"a.json", "not json"}},
         CRIX_EINVAL,
         "@/advice/a.json: line 1 column "},
        {"duplicate key",
         "{'offences':[],'offences':[]}",
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: line 1 column "},
        {"top level not an object",
         "[]",
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: must be an object with offences, payment_methods and situations"},
        {"no offences",
         "{" PMS "," SITS "}",
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: offences: missing"},
        {"duplicate offence code",
         OFFENCES(OFF_B "," OFF_A "," OFF_A),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 3 (a-fraud): code: duplicate of entry 2"},
        {"missing field",
         OFFENCES(OFF_A ",{'code':'c-fraud','description':'C.','group':'fraud',"
                        "'rsit':'fraud:phishing','europol':'other:other','directive':[],"
                        "'budapest':[],'in_scope':true}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 2 (c-fraud): name: missing"},
        {"missing code",
         OFFENCES("{'name':'C'}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1: code: missing"},
        {"code not kebab",
         OFFENCES("{'code':'Bad Code'}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1: code: \"Bad Code\" must be lower-case letters, digits and "
         "single hyphens (at most 64 characters)"},
        {"unknown field",
         OFFENCES("{'code':'c-fraud','in_scop':true}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): in_scop: unknown field"},
        {"wrong type",
         OFFENCES("{'code':'c-fraud','name':'C','description':'C.','group':'fraud',"
                  "'rsit':'fraud:phishing','europol':'other:other','directive':[],"
                  "'budapest':[],'in_scope':'yes'}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): in_scope: must be true or false"},
        {"name not a string",
         OFFENCES("{'code':'c-fraud','name':7}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): name: must be a string"},
        {"bad group",
         OFFENCES("{'code':'c-fraud','name':'C','description':'C.','group':'crime'}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): group: \"crime\" must be fraud, cyber or other"},
        {"rsit without a type",
         OFFENCES("{'code':'c-fraud','name':'C','description':'C.','group':'fraud',"
                  "'rsit':'fraud'}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): rsit: \"fraud\" must be \"class:type\""},
        {"directive article out of range",
         OFFENCES("{'code':'c-fraud','name':'C','description':'C.','group':'fraud',"
                  "'rsit':'fraud:phishing','europol':'other:other','directive':[3,9]}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): directive: article 9 is not one of 3 to 8"},
        {"budapest article twice",
         OFFENCES("{'code':'c-fraud','name':'C','description':'C.','group':'fraud',"
                  "'rsit':'fraud:phishing','europol':'other:other','directive':[],"
                  "'budapest':[8,8]}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): budapest: article 8 is listed twice"},
        {"out of scope without referral",
         OFFENCES("{'code':'c-refer','name':'C','description':'C.','group':'other',"
                  "'rsit':'other:other','europol':'other:other','directive':[],"
                  "'budapest':[],'in_scope':false}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-refer): refer: missing (required when in_scope is "
         "false)"},
        {"referral without a usable url",
         OFFENCES("{'code':'c-refer','name':'C','description':'C.','group':'other',"
                  "'rsit':'other:other','europol':'other:other','directive':[],"
                  "'budapest':[],'in_scope':false,'refer':{'name':'n','url':'www.x.example',"
                  "'why':'w'}}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-refer): refer.url: \"www.x.example\" must be an "
         "https://, http:// or tel: address"},
        {"unknown implied situation",
         OFFENCES("{'code':'c-fraud','name':'C','description':'C.','group':'fraud',"
                  "'rsit':'fraud:phishing','europol':'other:other','directive':[],"
                  "'budapest':[],'in_scope':true,'situations':['broke']}"),
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: entry 1 (c-fraud): situations: unknown situation \"broke\""},
        {"duplicate payment method",
         "{'offences':[" OFF_A "],'payment_methods':[{'code':'card','name':'Card'},"
         "{'code':'card','name':'Card'}]," SITS "}",
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: payment_methods entry 2 (card): code: duplicate of entry 1"},
        {"a situation without a name",
         "{'offences':[" OFF_A "]," PMS ",'situations':[" SITS_BUT_ONE "]}",
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: situations: \"threatened\" is missing"},
        {"unknown situation code in the vocabulary",
         "{'offences':[" OFF_A "]," PMS ",'situations':[{'code':'bored','name':'b'}]}",
         0,
         {{"a.json", GOOD_ADVICE}},
         CRIX_EINVAL,
         "@/offences.json: situations entry 1: code: unknown situation \"bored\""},
        {"advice names an unknown category",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE(GENERAL ",{'id':'x','title':'T','text':'X.','urgency':'now',"
                                    "'priority':5,'when':{'categories':['a-fraud','nope']}}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 2 (x): when.categories: unknown category \"nope\""},
        {"advice names an unknown payment method",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE(GENERAL ",{'id':'x','title':'T','text':'X.','urgency':'now',"
                                    "'priority':5,'when':{'payment_methods':['iou']}}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 2 (x): when.payment_methods: unknown payment method \"iou\""},
        {"advice names an unknown situation",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE(GENERAL ",{'id':'x','title':'T','text':'X.','urgency':'now',"
                                    "'priority':5,'when':{'situations':['sad']}}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 2 (x): when.situations: unknown situation \"sad\""},
        {"advice with an empty condition list",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE(GENERAL ",{'id':'x','title':'T','text':'X.','urgency':'now',"
                                    "'priority':5,'when':{'categories':[]}}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 2 (x): when.categories: must be a non-empty array of "
         "category codes (leave it out to mean any)"},
        {"advice with an unknown condition",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE("{'id':'x','title':'T','text':'X.','urgency':'now','priority':1,"
                            "'when':{'category':['a-fraud']}}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 1 (x): when.category: unknown field"},
        {"duplicate advice id across files",
         GOOD_OFFENCES,
         0,
         {{"a.json", GOOD_ADVICE}, {"b.json", ADVICE(GENERAL)}},
         CRIX_EINVAL,
         "@/advice/b.json: entry 1 (general): id: duplicate of @/advice/a.json entry 1"},
        {"advice id with the referral prefix",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE("{'id':'refer-a-fraud'}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 1 (refer-a-fraud): id: the prefix refer- is kept for "
         "referrals"},
        {"bad urgency",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE("{'id':'x','title':'T','text':'X.','urgency':'asap'}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 1 (x): urgency: \"asap\" must be now, soon or info"},
        {"priority missing",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE("{'id':'x','title':'T','text':'X.','urgency':'now'}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 1 (x): priority: missing"},
        {"priority not an integer",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE("{'id':'x','title':'T','text':'X.','urgency':'now',"
                            "'priority':1.5}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 1 (x): priority: must be an integer from -1000 to 1000"},
        {"empty text",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE("{'id':'x','title':'T','text':''}")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 1 (x): text: must not be empty"},
        {"advice entry not an object",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE(GENERAL ",'x'")}},
         CRIX_EINVAL,
         "@/advice/a.json: entry 2: must be an object"},
        {"advice file without an advice list",
         GOOD_OFFENCES,
         0,
         {{"a.json", "{'tips':[]}"}},
         CRIX_EINVAL,
         "@/advice/a.json: tips: unknown field"},
        {"an in-scope category with no advice",
         GOOD_OFFENCES,
         0,
         {{"a.json", ADVICE("{'id':'x','title':'T','text':'X.','urgency':'now',"
                            "'priority':5,'when':{'situations':['money-lost']}}")}},
         CRIX_EINVAL,
         "@/advice: no advice for category \"a-fraud\" without a payment method or situation: "
         "add an entry with no conditions"},
        {"files other than *.json are ignored",
         GOOD_OFFENCES,
         0,
         {{"a.json", GOOD_ADVICE}, {"notes.txt", "not json"}, {".hidden.json", "not json"}},
         0,
         ""},
};

static char *write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (const char *p = text; *p; p++)
		fputc(*p == '\'' ? '"' : *p, f);
	assert_int_equal(fclose(f), 0);
	return strdup(path);
}

/* '@' in want stands for dir. */
static void expand(char *out, size_t cap, const char *want, const char *dir)
{
	size_t n = 0;
	for (const char *p = want; *p && n + 1 < cap; p++) {
		if (*p == '@') {
			size_t l = strlen(dir);
			assert_true(n + l < cap);
			memcpy(out + n, dir, l);
			n += l;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

static void remove_tree(const char *dir, const struct bad_case *bc)
{
	char path[512];
	for (size_t i = 0; i < COUNT(bc->advice) && bc->advice[i].name; i++) {
		snprintf(path, sizeof path, "%s/advice/%s", dir, bc->advice[i].name);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/advice", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/offences.json", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

static int load_case(const struct bad_case *bc, char *dir, struct catalogue **c,
                     struct crix_error *err)
{
	snprintf(dir, 64, "/tmp/crix-catalogue-XXXXXX");
	assert_non_null(mkdtemp(dir));
	if (bc->offences != NULL)
		free(write_file(dir, "offences.json", bc->offences));
	if (!bc->no_advice_dir) {
		char adir[512];
		snprintf(adir, sizeof adir, "%s/advice", dir);
		assert_int_equal(mkdir(adir, 0700), 0);
		for (size_t i = 0; i < COUNT(bc->advice) && bc->advice[i].name; i++)
			free(write_file(adir, bc->advice[i].name, bc->advice[i].text));
	}
	crix_error_clear(err);
	return catalogue_load(dir, c, err);
}

static void test_bad_catalogues(void **state)
{
	(void)state;
	for (size_t i = 0; i < COUNT(bad_cases); i++) {
		const struct bad_case *bc = &bad_cases[i];
		char dir[64], want[1024];
		struct catalogue *c = (struct catalogue *)&c;
		struct crix_error err;
		int rc = load_case(bc, dir, &c, &err);
		expand(want, sizeof want, bc->msg, dir);
		char got[sizeof err.msg + 32];
		snprintf(got, sizeof got, "rc %d: %s", rc, rc != 0 ? err.msg : "");
		int ok = rc == bc->rc;
		if (rc == 0) {
			ok = ok && c != NULL;
			catalogue_free(c);
		} else {
			/* a want ending in a space is a prefix: jansson words the rest */
			size_t wl = strlen(want);
			ok = ok && c == NULL && err.code == rc &&
			     (want[wl - 1] == ' ' ? strncmp(err.msg, want, wl) == 0
			                          : strcmp(err.msg, want) == 0);
		}
		remove_tree(dir, bc);
		if (!ok)
			fail_msg("%s:\n got  %s\n want rc %d: %s", bc->what, got, bc->rc, want);
	}
}

/* The fixture loads and behaves: the referral is built from refer, general
 * advice skips out-of-scope categories, and a missing error struct is fine. */
static void test_small_catalogue(void **state)
{
	(void)state;
	static const struct bad_case good = {
	        "small",
	        GOOD_OFFENCES,
	        0,
	        {{"a.json", ADVICE(GENERAL ",{'id':'b-first','title':'Call','text':'Call them.',"
	                                   "'urgency':'soon','priority':-3,'when':{'categories':["
	                                   "'b-refer'],'payment_methods':['bank-transfer']}}")}},
	        0,
	        ""};
	char dir[64];
	struct catalogue *c;
	struct crix_error err;
	assert_int_equal(load_case(&good, dir, &c, &err), 0);
	assert_int_equal(catalogue_offence_count(c), 2);

	const struct advice *a[8];
	struct advice_case ac = {"b-refer", NULL, 0};
	assert_int_equal(catalogue_advise(c, &ac, a, 8), 1);
	assert_string_equal(a[0]->id, "refer-b-refer");
	assert_string_equal(a[0]->title, "Contact the hotline");
	assert_string_equal(a[0]->text, "They handle it. Go to https://hotline.example");
	assert_string_equal(a[0]->urgency, "now");
	ac.payment_method = "bank-transfer";
	assert_int_equal(catalogue_advise(c, &ac, a, 8), 2);
	assert_string_equal(a[1]->id, "b-first");
	assert_int_equal(a[1]->priority, -3);
	ac.category = "a-fraud";
	assert_int_equal(catalogue_advise(c, &ac, a, 8), 1);
	assert_string_equal(a[0]->id, "general");
	catalogue_free(c);
	remove_tree(dir, &good);

	/* a missing directory without an error struct */
	c = (struct catalogue *)&c;
	assert_int_equal(catalogue_load("/nonexistent/crix", &c, NULL), CRIX_EIO);
	assert_null(c);
}

/* A file over the cap is refused without being parsed. */
static void test_file_too_big(void **state)
{
	(void)state;
	static const struct bad_case small = {"big", GOOD_OFFENCES, 0, {{"a.json", GOOD_ADVICE}}, 0,
	                                      ""};
	char dir[64];
	struct catalogue *c;
	struct crix_error err;
	assert_int_equal(load_case(&small, dir, &c, &err), 0);
	catalogue_free(c);

	char path[512];
	snprintf(path, sizeof path, "%s/advice/a.json", dir);
	assert_int_equal(truncate(path, (off_t)CATALOGUE_FILE_MAX + 1), 0);
	assert_int_equal(catalogue_load(dir, &c, &err), CRIX_ETOOBIG);
	char want[600];
	snprintf(want, sizeof want, "%s: larger than the limit of %u bytes", path,
	         CATALOGUE_FILE_MAX);
	assert_string_equal(err.msg, want);
	assert_null(c);
	remove_tree(dir, &small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_real_catalogue),
	        cmocka_unit_test(test_taxonomy_values_exist),
	        cmocka_unit_test(test_issue_examples),
	        cmocka_unit_test(test_every_category_advised),
	        cmocka_unit_test(test_advise_limits),
	        cmocka_unit_test(test_situations),
	        cmocka_unit_test(test_payment_methods),
	        cmocka_unit_test(test_offences_json),
	        cmocka_unit_test(test_advice_json),
	        cmocka_unit_test(test_bad_catalogues),
	        cmocka_unit_test(test_small_catalogue),
	        cmocka_unit_test(test_file_too_big),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
