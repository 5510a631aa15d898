/*
 * common.c - option helpers shared by the commands.
 */
#include "cli/cli.h"
#include "ioc/ioc.h"

#include <string.h>

int cli_parse_types(const char *cmd, const char *list, unsigned *mask)
{
	*mask = 0;
	const char *p = list;
	while (*p != '\0') {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		char name[32];
		if (n == 0 || n >= sizeof name) {
			fprintf(stderr, "crix %s: --type: empty or overlong type name in '%s'\n",
			        cmd, list);
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		enum ioc_type t = ioc_type_from_name(name);
		if (t == IOC_NONE) {
			fprintf(stderr, "crix %s: --type: unknown indicator type '%s' (known:", cmd,
			        name);
			for (int k = IOC_NONE + 1; k < IOC_TYPE_COUNT; k++)
				fprintf(stderr, " %s", ioc_type_name((enum ioc_type)k));
			fprintf(stderr, ")\n");
			return -1;
		}
		*mask |= 1u << t;
		p += n;
		if (*p == ',')
			p++;
	}
	if (*mask == 0) {
		fprintf(stderr, "crix %s: --type: no type given\n", cmd);
		return -1;
	}
	return 0;
}

int cli_parse_country(const char *cmd, const char *cc, char out[3])
{
	if (strlen(cc) != 2 || !((cc[0] | 0x20) >= 'a' && (cc[0] | 0x20) <= 'z') ||
	    !((cc[1] | 0x20) >= 'a' && (cc[1] | 0x20) <= 'z')) {
		fprintf(stderr,
		        "crix %s: --country: '%s' is not an ISO 3166-1 alpha-2 code (e.g. GB)\n",
		        cmd, cc);
		return -1;
	}
	out[0] = (char)(cc[0] & ~0x20);
	out[1] = (char)(cc[1] & ~0x20);
	out[2] = '\0';
	return 0;
}
