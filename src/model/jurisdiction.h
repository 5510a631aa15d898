/*
 * jurisdiction.h - which law-enforcement organisation receives a case: rules
 * kept as data (the JSON files of data/jurisdictions, docs/dissemination.md), tried in
 * order, the first that matches the case wins, else the fallback.
 *
 * A rule matches on the victims' regions, the suspects' countries, the
 * offence categories and the legal articles of the case (each criterion it
 * names must share a value with the case's; a criterion it leaves out
 * matches anything) and names its target organisation by name or id.  The
 * target is resolved when used (organisations are created while the server
 * runs): one that is missing or not law-enforcement is skipped, with the
 * reason, and the next rule tried.
 *
 * Loaded once at start and read-only after, so request threads share it.
 */
#ifndef CRIX_MODEL_JURISDICTION_H
#define CRIX_MODEL_JURISDICTION_H

#include "util/err.h"

#include <stddef.h>
#include <stdint.h>

#define JURIS_RULES_MAX  1000 /* rules in all files */
#define JURIS_VALUES_MAX 100  /* values in one criterion */
#define JURIS_TEXT_MAX   128  /* bytes in one value, name or organisation */
#define JURIS_FILE_MAX   (1u << 20)

enum juris_crit { JURIS_REGION, JURIS_COUNTRY, JURIS_CATEGORY, JURIS_ARTICLE, JURIS_CRITS };

struct juris_rule {
	char file[256]; /* where it was read from, for messages */
	int index;      /* its place in that file's "rules" (-1: the fallback) */
	char name[JURIS_TEXT_MAX];
	char *values[JURIS_CRITS][JURIS_VALUES_MAX];
	size_t n_values[JURIS_CRITS];
	char org[JURIS_TEXT_MAX]; /* the target by name, or "" */
	int64_t org_id;           /* the target by id, or 0 */
};

struct jurisdiction {
	struct juris_rule *rules;
	size_t n;
	struct juris_rule *fallback; /* NULL when no file gives one */
};

/* The name of a criterion as the files spell it ("victim_region", ...). */
const char *juris_crit_name(enum juris_crit c);

/*
 * Reads path: a file, or a directory whose *.json files are read in name
 * order, their rules appended in that order.  An error names the file, the
 * rule index and the member ("x.json: rules[2].victim_region[0]: ...").
 * OUT: *out (jurisdiction_free).
 */
int jurisdiction_load(const char *path, struct jurisdiction **out, struct crix_error *err);
/* Parses one file's text (name for messages) into j (appends).  For the
 * loader and the fuzz target. */
int jurisdiction_parse(struct jurisdiction *j, const char *name, const char *text, size_t len,
                       struct crix_error *err);
struct jurisdiction *jurisdiction_new(void);
void jurisdiction_free(struct jurisdiction *j); /* NULL ok */

/* The case's values of each criterion (regions, countries, categories,
 * articles "directive:3"/"budapest:8"). */
struct juris_case {
	const char *const *values[JURIS_CRITS];
	size_t n_values[JURIS_CRITS];
};

/* Does rule r match case c? */
int juris_rule_matches(const struct juris_rule *r, const struct juris_case *c);

#endif
