/*
 * triage.c - the triage score (see triage.h and docs/triage.md).
 */
#include "model/triage.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

void triage_defaults(struct triage_weights *w)
{
	*w = (struct triage_weights){.victim = 10,
	                             .loss = 8,
	                             .vulnerable = 15,
	                             .recency = 20,
	                             .recency_days = 90,
	                             .ongoing = 5,
	                             .ongoing_days = 14,
	                             .enquiry = 6,
	                             .enquiry_max = 10};
}

static const struct {
	const char *name;
	size_t off;
	bool positive; /* must be > 0, not only >= 0 */
} fields[] = {
        {"victim", offsetof(struct triage_weights, victim), false},
        {"loss", offsetof(struct triage_weights, loss), false},
        {"vulnerable", offsetof(struct triage_weights, vulnerable), false},
        {"recency", offsetof(struct triage_weights, recency), false},
        {"recency_days", offsetof(struct triage_weights, recency_days), true},
        {"ongoing", offsetof(struct triage_weights, ongoing), false},
        {"ongoing_days", offsetof(struct triage_weights, ongoing_days), true},
        {"enquiry", offsetof(struct triage_weights, enquiry), false},
        {"enquiry_max", offsetof(struct triage_weights, enquiry_max), false},
};

int triage_load(const char *path, struct triage_weights *w, struct crix_error *err)
{
	triage_defaults(w);
	json_error_t je;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return crix_error_set(err, CRIX_EINVAL, "%s:%d:%d: %s", path, je.line, je.column,
		                      je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return crix_error_set(err, CRIX_EINVAL, "%s: not a JSON object", path);
	}
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		size_t i = 0;
		while (i < sizeof fields / sizeof fields[0] && strcmp(fields[i].name, key) != 0)
			i++;
		if (strcmp(key, "comment") == 0)
			continue; /* a note for whoever edits the file */
		if (i == sizeof fields / sizeof fields[0]) {
			/* the message before the decref: key lives in j */
			crix_error_set(err, CRIX_EINVAL, "%s: %s: unknown weight", path, key);
			json_decref(j);
			return CRIX_EINVAL;
		}
		double d = json_number_value(v);
		if (!json_is_number(v) || !isfinite(d) || d < 0 || (fields[i].positive && d == 0) ||
		    d > 1e9) {
			crix_error_set(err, CRIX_EINVAL, "%s: %s: not a number %s 1e9]", path, key,
			               fields[i].positive ? "in (0," : "in [0,");
			json_decref(j);
			return CRIX_EINVAL;
		}
		*(double *)((char *)w + fields[i].off) = d;
	}
	json_decref(j);
	return 0;
}

static double reason(json_t *reasons, const char *factor, json_t *value, double points)
{
	if (reasons != NULL && points > 0)
		json_array_append_new(reasons,
		                      json_pack("{s:s,s:o,s:f}", "factor", factor, "value", value,
		                                "points", round(points * 100) / 100));
	else
		json_decref(value);
	return points;
}

double triage_score(const struct triage_weights *w, const struct triage_input *in, json_t **reasons)
{
	json_t *r = reasons != NULL ? json_array() : NULL;
	double s = 0;
	s += reason(r, "victims", json_integer(in->victims), w->victim * in->victims);
	s += reason(r, "vulnerable_victims", json_integer(in->vulnerable),
	            w->vulnerable * in->vulnerable);
	/* Losses count by order of magnitude: a 100,000 loss is not 1,000 times
	 * as urgent as a 100 one.  Minor units are taken as hundredths. */
	for (size_t i = 0; i < in->n_losses && i < TRIAGE_CURRENCIES; i++) {
		double major = (double)in->losses[i].total_minor / 100.0;
		if (major <= 0)
			continue;
		json_t *v = json_pack("{s:s,s:I}", "currency", in->losses[i].currency,
		                      "total_minor", (json_int_t)in->losses[i].total_minor);
		s += reason(r, "losses", v, w->loss * log10(1 + major));
	}
	double fresh = 1 - in->age_days / w->recency_days;
	s += reason(r, "recency", json_real(round(in->age_days * 10) / 10),
	            fresh > 0 ? w->recency * fresh : 0);
	s += reason(r, "ongoing", json_integer(in->ongoing), w->ongoing * in->ongoing);
	double lines = in->enquiry_lines < w->enquiry_max ? in->enquiry_lines : w->enquiry_max;
	s += reason(r, "lines_of_enquiry", json_integer(in->enquiry_lines), w->enquiry * lines);
	if (reasons != NULL)
		*reasons = r;
	return round(s * 100) / 100;
}
