/*
 * fuzz_callcode.c - libFuzzer target for ioc_callcode_country
 * (src/ioc/callcode.c), which reads the phone numbers of a case's reports
 * for the suspect's country.
 *
 * Input: the text (up to 40 bytes are used; a NUL ends it early, as a C
 * string would).
 *
 * Checked, with abort() on a violation:
 *   - success only for "+digits" or "digits", with a prefix of the input's
 *     digits of 1..IOC_CALLCODE_PREFIX_MAX digits and a NUL-terminated
 *     answer of two-letter codes separated by '/', ambiguous exactly when
 *     there is a '/';
 *   - a longer number with the same start answers the same row or a longer
 *     one (longest prefix);
 *   - anything else is CRIX_EINVAL or CRIX_ENOTFOUND, with *out cleared.
 */
#include "ioc/callcode.h"
#include "util/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *in)
{
	fprintf(stderr, "fuzz_callcode: %s\n  input: \"%s\"\n", what, in);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[48];
	size_t n = size < 40 ? size : 40;
	memcpy(in, data, n);
	in[n] = '\0';
	struct ioc_callcode c;
	memset(&c, 'x', sizeof c);
	int rc = ioc_callcode_country(in, &c);
	const char *d = in[0] == '+' ? in + 1 : in;
	if (rc != 0) {
		if (rc != CRIX_EINVAL && rc != CRIX_ENOTFOUND)
			fail("an unexpected error", in);
		if (c.prefix[0] != '\0' || c.countries[0] != '\0' || c.ambiguous)
			fail("a failure left an answer", in);
		return 0;
	}
	size_t pn = strnlen(c.prefix, sizeof c.prefix);
	if (pn == 0 || pn == sizeof c.prefix || strncmp(c.prefix, d, pn) != 0)
		fail("the prefix is not the number's start", in);
	size_t cn = strnlen(c.countries, sizeof c.countries);
	if (cn < 2 || cn == sizeof c.countries || (cn + 1) % 3 != 0)
		fail("the countries are not CC[/CC...]", in);
	for (size_t i = 0; i < cn; i++)
		if ((i % 3 == 2) ? c.countries[i] != '/'
		                 : (c.countries[i] < 'A' || c.countries[i] > 'Z'))
			fail("the countries are not CC[/CC...]", in);
	if (c.ambiguous != (cn > 2))
		fail("ambiguous is not 'more than one country'", in);
	char longer[64];
	snprintf(longer, sizeof longer, "%s5", in);
	struct ioc_callcode c2;
	if (ioc_callcode_country(longer, &c2) != 0 || strlen(c2.prefix) < pn)
		fail("a longer number lost its prefix", in);
	return 0;
}
