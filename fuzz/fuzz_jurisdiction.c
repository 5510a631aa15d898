/*
 * fuzz_jurisdiction.c - libFuzzer target for jurisdiction_parse
 * (src/model/jurisdiction.c), which reads the jurisdiction rules files at
 * crix serve's start.
 *
 * Input: a file's bytes.
 *
 * Checked, with abort() on a violation:
 *   - a failure is CRIX_EINVAL or CRIX_ETOOBIG with a message naming the
 *     file;
 *   - success gives at most JURIS_RULES_MAX rules, each with exactly one
 *     target (a name of 1..JURIS_TEXT_MAX-1 bytes or a positive id), at most
 *     JURIS_VALUES_MAX values of 1..JURIS_TEXT_MAX-1 bytes per criterion,
 *     and its index in the file; matching a case against every rule (and
 *     against an empty case) neither crashes nor reads out of bounds.
 */
#include "model/jurisdiction.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rule(const struct juris_rule *r, int index)
{
	if (r->index != index || (r->org[0] != '\0') == (r->org_id != 0) || r->org_id < 0)
		abort();
	for (int c = 0; c < JURIS_CRITS; c++) {
		if (r->n_values[c] > JURIS_VALUES_MAX || (index < 0 && r->n_values[c] != 0))
			abort();
		for (size_t i = 0; i < r->n_values[c]; i++) {
			size_t n = strlen(r->values[c][i]);
			if (n == 0 || n >= JURIS_TEXT_MAX)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jurisdiction *j = jurisdiction_new();
	if (j == NULL)
		return 0;
	struct crix_error err = {0};
	int rc = jurisdiction_parse(j, "fuzz.json", (const char *)data, size, &err);
	if (rc != 0) {
		if ((rc != CRIX_EINVAL && rc != CRIX_ETOOBIG) ||
		    strstr(err.msg, "fuzz.json") == NULL) {
			fprintf(stderr, "fuzz_jurisdiction: rc %d, message '%s'\n", rc, err.msg);
			abort();
		}
		jurisdiction_free(j);
		return 0;
	}
	if (j->n > JURIS_RULES_MAX)
		abort();
	static const char *const regions[] = {"London", "Kent"}, *const countries[] = {"LT"},
	                         *const cats[] = {"phishing"}, *const arts[] = {"directive:3"};
	struct juris_case c = {{regions, countries, cats, arts}, {2, 1, 1, 1}}, none = {{0}, {0}};
	for (size_t i = 0; i < j->n; i++) {
		check_rule(&j->rules[i], (int)i);
		(void)juris_rule_matches(&j->rules[i], &c);
		if (juris_rule_matches(&j->rules[i], &none) !=
		    (j->rules[i].n_values[0] + j->rules[i].n_values[1] + j->rules[i].n_values[2] +
		             j->rules[i].n_values[3] ==
		     0))
			abort(); /* an empty case matches exactly the rules without criteria */
	}
	if (j->fallback != NULL)
		check_rule(j->fallback, -1);
	jurisdiction_free(j);
	return 0;
}
