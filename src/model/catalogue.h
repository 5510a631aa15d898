/*
 * catalogue.h - the offence catalogue and the advice catalogue.
 *
 * Both are data, not code (data/offences.json and the JSON files in
 * data/advice; formats in docs/catalogue.md).  catalogue_load reads and validates them once; the
 * result is immutable and may be shared between threads without locking.
 *
 * Ownership: every pointer handed out (struct offence, struct advice and the
 * strings and arrays in them) belongs to the catalogue and lives until
 * catalogue_free.  The json_t results are new references the caller releases
 * with json_decref.
 */
#ifndef CRIX_MODEL_CATALOGUE_H
#define CRIX_MODEL_CATALOGUE_H

#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

/* The most bytes catalogue_load reads from one file. */
#define CATALOGUE_FILE_MAX (4u << 20)
/* The most advice files catalogue_load reads from dir/advice. */
#define CATALOGUE_ADVICE_FILES_MAX 256

struct catalogue; /* opaque, immutable after load, safe to share between threads */

struct offence {
	const char *code;        /* lower-case kebab, e.g. "investment-fraud" */
	const char *name;        /* short title shown to victims */
	const char *description; /* one plain sentence */
	const char *group;       /* "fraud", "cyber" or "other" */
	const char *rsit;        /* RSIT "class:type", e.g. "fraud:phishing" */
	const char *europol;     /* Europol incident "class:type" */
	const int *directive;    /* Directive 2013/40/EU articles (3-8), ascending */
	size_t n_directive;
	const int *budapest; /* Budapest Convention articles (2-10), ascending */
	size_t n_budapest;
	int in_scope;                                   /* 0: crix is not the place; see refer_* */
	const char *refer_name, *refer_url, *refer_why; /* NULL when in scope */
};

struct advice {
	const char *id;
	const char *title;
	const char *text;
	const char *urgency; /* "now", "soon" or "info" */
	int priority;        /* higher comes first within an urgency */
};

struct advice_case {
	const char *category;       /* offence code, or NULL when unknown */
	const char *payment_method; /* vocabulary code or NULL */
	unsigned situations;        /* bit mask of CATALOGUE_SIT_* */
};

enum {
	CATALOGUE_SIT_MONEY_LOST = 1u << 0,
	CATALOGUE_SIT_STILL_IN_CONTACT = 1u << 1,
	CATALOGUE_SIT_ACCOUNT_COMPROMISED = 1u << 2,
	CATALOGUE_SIT_DEVICE_COMPROMISED = 1u << 3,
	CATALOGUE_SIT_PERSONAL_DATA_SHARED = 1u << 4,
	CATALOGUE_SIT_VULNERABLE = 1u << 5,
	CATALOGUE_SIT_BUSINESS_VICTIM = 1u << 6,
	CATALOGUE_SIT_THREATENED = 1u << 7
};

/* Every CATALOGUE_SIT_* bit together. */
#define CATALOGUE_SIT_ALL 0xffu

/*
 * Reads dir/offences.json and every *.json file in dir/advice (in name order) and
 * validates all of it: missing fields, wrong types, duplicate codes and ids,
 * advice that names an unknown category, payment method or situation, and an
 * in-scope category for which no advice at all would be given.
 * OUT: *out, a catalogue to release with catalogue_free.
 * Returns 0, CRIX_EINVAL with "file: entry N (code): field: problem" in err
 * (entries count from 1), CRIX_EIO naming a file that cannot be read,
 * CRIX_ETOOBIG for a file over CATALOGUE_FILE_MAX, or CRIX_ENOMEM.
 */
int catalogue_load(const char *dir, struct catalogue **out, struct crix_error *err);

/* Releases c and everything it handed out.  NULL is accepted. */
void catalogue_free(struct catalogue *c);

/* The offences in file order. */
size_t catalogue_offence_count(const struct catalogue *c);
/* The offence at i, or NULL when i is out of range. */
const struct offence *catalogue_offence_at(const struct catalogue *c, size_t i);
/* The offence with this code, or NULL if unknown. */
const struct offence *catalogue_offence(const struct catalogue *c, const char *code);

/* 1 if code names a payment method of the vocabulary, else 0. */
int catalogue_payment_method_known(const struct catalogue *c, const char *code);
/* The display name of a payment method, or NULL if unknown. */
const char *catalogue_payment_method_name(const struct catalogue *c, const char *code);

/* OUT: *bit, the CATALOGUE_SIT_* flag named e.g. "money-lost".  Returns 0 or
 * CRIX_EINVAL for an unknown name (bit untouched). */
int catalogue_situation_parse(const char *name, unsigned *bit);
/* The name of a single CATALOGUE_SIT_* flag, or NULL if bit is not one. */
const char *catalogue_situation_name(unsigned bit);

/*
 * Chooses the advice for a case: every entry whose conditions hold, ordered
 * by urgency (now, soon, info) then priority (higher first) then id; at most
 * max written to out.  For an out-of-scope category the referral comes first,
 * followed only by entries that name that category.  Entries that name no
 * category apply to every in-scope category and to a NULL or unknown one.
 * The situations a category implies (offences.json) are added to the case's.
 * Returns how many were written.
 */
size_t catalogue_advise(const struct catalogue *c, const struct advice_case *ac,
                        const struct advice **out, size_t max);

/* JSON for GET /api/v1/offences: {"offences":[...], "payment_methods":[{code,
 * name}], "situations":[{code,name}]} (new reference; NULL on no memory). */
json_t *catalogue_offences_json(const struct catalogue *c);

/* An advice list as a JSON array of {id,title,text,urgency} (new reference;
 * NULL on no memory).  NULL items are skipped. */
json_t *catalogue_advice_json(const struct advice *const *items, size_t n);

#endif
