/*
 * triage.h - the triage score of a case: how urgently analysts should look
 * at it, as a sum of points with the reason for each, so that the queue can
 * be explained and argued with.  The formula is in docs/triage.md; the
 * weights are data (data/triage.json, crix serve --triage FILE).
 */
#ifndef CRIX_MODEL_TRIAGE_H
#define CRIX_MODEL_TRIAGE_H

#include "util/err.h"

#include <jansson.h>
#include <stdint.h>

struct triage_weights {
	double victim;       /* per victim (crime report) */
	double loss;         /* per decade of the total loss, per currency */
	double vulnerable;   /* per vulnerable victim */
	double recency;      /* when the last report is new, falling to 0 at recency_days */
	double recency_days; /* > 0 */
	double ongoing;      /* per report received in the last ongoing_days */
	double ongoing_days; /* > 0 */
	double enquiry;      /* per line of enquiry (account, phone, e-mail, wallet, card) */
	double enquiry_max;  /* lines counted at most */
};

/* What the score is computed from (model/cases.c fills it). */
#define TRIAGE_CURRENCIES 8
struct triage_input {
	uint32_t victims, vulnerable, ongoing, enquiry_lines;
	double age_days; /* since the last report */
	size_t n_losses; /* currencies with a loss, at most TRIAGE_CURRENCIES */
	struct {
		char currency[4];
		int64_t total_minor;
	} losses[TRIAGE_CURRENCIES];
};

/* The weights used when no file is given. */
void triage_defaults(struct triage_weights *w);

/*
 * Loads weights from a JSON object file: any of the member names of struct
 * triage_weights, each a finite number >= 0 (the *_days > 0); the others keep
 * their defaults.  An unknown name, a wrong type or a bad value is
 * CRIX_EINVAL naming the file and the member.  OUT: *w.
 */
int triage_load(const char *path, struct triage_weights *w, struct crix_error *err);

/* The score, and when reasons is not NULL a new array of
 * {"factor", "value", "points"}, one per factor that scored. */
double triage_score(const struct triage_weights *w, const struct triage_input *in,
                    json_t **reasons);

#endif
