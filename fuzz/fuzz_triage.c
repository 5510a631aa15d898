/*
 * fuzz_triage.c - libFuzzer target for triage_load (src/model/triage.c),
 * which reads the triage weights file at crix serve's start.
 *
 * Input: the file's bytes (written to a scratch file, as the server reads
 * a path).
 *
 * Checked, with abort() on a violation:
 *   - a failure is CRIX_EINVAL with a message naming the file;
 *   - success gives finite weights in [0, 1e9] with both *_days above 0,
 *     and a score over them that is finite and not negative.
 */
#include "model/triage.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/crix-fuzz-triage-%d.json", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct triage_weights w;
	struct crix_error err = {0};
	int rc = triage_load(path, &w, &err);
	if (rc != 0) {
		if (rc != CRIX_EINVAL || strstr(err.msg, path) == NULL) {
			fprintf(stderr, "fuzz_triage: rc %d, message '%s'\n", rc, err.msg);
			abort();
		}
		return 0;
	}
	const double *d = (const double *)&w;
	for (size_t i = 0; i < sizeof w / sizeof *d; i++)
		if (!isfinite(d[i]) || d[i] < 0 || d[i] > 1e9)
			abort();
	if (w.recency_days <= 0 || w.ongoing_days <= 0)
		abort();
	struct triage_input in = {.victims = 7,
	                          .vulnerable = 2,
	                          .ongoing = 1,
	                          .enquiry_lines = 3,
	                          .age_days = 10,
	                          .n_losses = 1};
	memcpy(in.losses[0].currency, "GBP", 4);
	in.losses[0].total_minor = 123456;
	double s = triage_score(&w, &in, NULL);
	if (!isfinite(s) || s < 0)
		abort();
	return 0;
}
