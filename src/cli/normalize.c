/*
 * normalize.c - `crix normalize TYPE VALUE`: the canonical form, or why not.
 */
#include "cli/cli.h"
#include "ioc/ioc.h"

#include <string.h>

void cli_normalize_help(FILE *f)
{
	fprintf(f, "usage: crix normalize [--country CC] TYPE VALUE\n\n"
	           "Prints the canonical form of VALUE as an indicator of TYPE (exit 0), or the\n"
	           "reason it is not one on standard error (exit 1).  TYPE is one of ipv4 ipv6\n"
	           "cidr4 cidr6 domain url email md5 sha1 sha256 sha512 phone iban card btc eth\n"
	           "asn cve, or 'auto' to guess it (then 'TYPE VALUE' is printed).\n\n"
	           "Options:\n"
	           "  --country CC    default country for national phone numbers (e.g. GB)\n"
	           "  -h, --help      this help\n\n"
	           "Exit status: 0 valid, 1 invalid value, 2 usage error.\n");
}

int cli_normalize(int argc, char **argv)
{
	struct ioc_opts opts = {{0}};
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "--country") == 0) {
		if (cli_parse_country("normalize", argv[i + 1], opts.country) != 0)
			return 2;
		i += 2;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: crix normalize [--country CC] TYPE VALUE\n");
		return 2;
	}
	const char *tname = argv[i], *value = argv[i + 1];
	bool guess = strcmp(tname, "auto") == 0;
	enum ioc_type type = ioc_type_from_name(tname);
	if (!guess && type == IOC_NONE) {
		fprintf(stderr,
		        "crix normalize: unknown indicator type '%s' (see 'crix normalize "
		        "--help')\n",
		        tname);
		return 2;
	}
	struct ioc_ctx *ctx;
	struct crix_error err;
	if (ioc_ctx_new(&ctx, &err) != 0) {
		fprintf(stderr, "crix normalize: %s\n", err.msg);
		return 2;
	}
	static struct ioc_value v;
	int rc = guess ? ioc_guess(ctx, value, strlen(value), &opts, &v, &err)
	               : ioc_parse(ctx, type, value, strlen(value), &opts, &v, &err);
	ioc_ctx_free(ctx);
	if (rc != 0) {
		fprintf(stderr, "crix normalize: %s\n", err.msg);
		return 1;
	}
	if (guess)
		printf("%s %s\n", ioc_type_name(v.type), v.v);
	else
		printf("%s\n", v.v);
	return 0;
}
