/*
 * gen-reports.c - writes N deterministic, varied crime reports as JSON, one a
 * line, to stdout: the request bodies of bench/intake-run (POST
 * /api/v1/reports) and the rows bench/sqlite-floor stores.
 *
 * Usage: gen-reports [N]        (1 .. 100000, default 64)
 *
 * Each report is what a bank's analyst would file through the API: an
 * offence category and payment method from the catalogue, a description of a
 * few hundred bytes written around a defanged URL (hxxps://host[.]tld/path)
 * and an e-mail address, a loss, the victim's details and the suspect's
 * e-mail addresses, phone numbers and web sites.  Values are ASCII without
 * characters that JSON must escape.  The output is a deterministic function
 * of N (own PRNG, fixed seed), and the list for N is the first N lines of the
 * list for any larger N.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"

static const char *const categories[] = {"investment-fraud",
                                         "romance-fraud",
                                         "online-shopping-fraud",
                                         "advance-fee-fraud",
                                         "impersonation-fraud",
                                         "tech-support-fraud",
                                         "invoice-fraud",
                                         "ceo-fraud",
                                         "card-fraud",
                                         "phishing",
                                         "sim-swap",
                                         "identity-theft"};
static const char *const payments[] = {"bank-transfer",          "card",
                                       "cryptocurrency",         "gift-card",
                                       "money-transfer-service", "payment-app"};
static const char *const words[] = {"secure", "invest", "prime",  "global", "trade", "capital",
                                    "royal",  "swift",  "crypto", "wealth", "yield", "alpha",
                                    "bank",   "verify", "parcel", "help",   "login", "account"};
static const char *const tlds[] = {"com", "net", "org", "co.uk", "info", "online", "io", "biz"};
static const char *const paths[] = {"login",   "verify", "account/update", "invest/start", "track",
                                    "support", "pay",    "secure/signin"};
static const char *const firsts[] = {"Jane",  "John", "Amira", "Wei",   "Olga", "Kwame",
                                     "Sofia", "Liam", "Priya", "Tomas", "Noor", "Grace"};
static const char *const lasts[] = {"Doe",  "Smith", "Khan",  "Chen",    "Novak", "Mensah",
                                    "Ruiz", "Brown", "Patel", "Horvath", "Ali",   "Evans"};
static const char *const regions[] = {"London",  "Manchester", "Leeds",   "Bristol",
                                      "Glasgow", "Cardiff",    "Belfast", "Birmingham"};
static const char *const openers[] = {
        "I was contacted on a messaging app by someone offering returns of 20% a month.",
        "A man phoned me saying he was from my bank's fraud team and that my account was at "
        "risk.",
        "I met someone on a dating site who after a few weeks asked me for help with money.",
        "I received an email with an invoice from a supplier we work with, with new bank "
        "details.",
        "I ordered a laptop from an online shop that had a very good price.",
        "A pop-up on my computer said it was infected and gave a number to call for support."};
static const char *const middles[] = {
        "They sent me to a web site where I opened an account and transferred money.",
        "I was told to log in on their site to confirm my identity, which I did.",
        "The site looked professional and showed my balance growing every day.",
        "I paid what they asked and was then asked for more fees to release the money.",
        "They asked me to install remote access software and to log in to my online banking."};
static const char *const closers[] = {
        "Since then nobody answers and the site asks for more payments.",
        "I later found other victims describing the same people on a forum.",
        "My bank told me the receiving account was closed the next day.",
        "The goods never arrived and the seller stopped replying."};

static char domain[96];

static void new_domain(void)
{
	snprintf(domain, sizeof domain, "%s-%s%u.%s", PICK(words), PICK(words), below(100),
	         PICK(tlds));
}

/* The domain defanged: dots as [.]. */
static void print_defanged(const char *d)
{
	for (const char *p = d; *p; p++)
		if (*p == '.')
			fputs("[.]", stdout);
		else
			putchar(*p);
}

static void report(void)
{
	new_domain();
	const char *first = PICK(firsts), *last = PICK(lasts);
	printf("{\"category\":\"%s\",\"description\":\"%s %s I used hxxps://", PICK(categories),
	       PICK(openers), PICK(middles));
	print_defanged(domain);
	printf("/%s and the adviser wrote from boss%u@%s. %s Reference %u%u.\",", PICK(paths),
	       below(1000), domain, PICK(closers), range(100000, 999999), range(1000, 9999));
	printf("\"loss\":{\"amount_minor\":%u,\"currency\":\"GBP\"},", range(1000, 5000000));
	printf("\"payment_method\":\"%s\",", PICK(payments));
	printf("\"victim\":{\"name\":\"%s %s\",\"email\":\"%c.%s%u@example.org\","
	       "\"country\":\"GB\",\"region\":\"%s\"%s},",
	       first, last, first[0] + 'a' - 'A', last, below(100), PICK(regions),
	       chance(10) ? ",\"vulnerable\":true" : "");
	printf("\"suspect\":{\"emails\":[\"%s%u@%s\"", PICK(words), below(100), domain);
	if (chance(30))
		printf(",\"%s.%s@%s\"", PICK(firsts), PICK(lasts), domain);
	printf("],\"phones\":[\"+44 20 7946 0%03u\"],\"websites\":[\"%s\"]}}\n", below(1000),
	       domain);
}

int main(int argc, char **argv)
{
	long n = 64;
	if (argc > 2 || (argc == 2 && ((n = strtol(argv[1], NULL, 10)) < 1 || n > 100000))) {
		fprintf(stderr, "usage: gen-reports [N]   (1 .. 100000, default 64)\n");
		return 2;
	}
	uint64_t seed = 0x6372697872657073ULL; /* "crixreps" */
	rng_state = splitmix64(&seed);
	for (long i = 0; i < n; i++)
		report();
	return fflush(stdout) == 0 ? 0 : 1;
}
