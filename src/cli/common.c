/*
 * common.c - option helpers shared by the commands.
 */
#include "cli/cli.h"
#include "ioc/ioc.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

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

/* The lock is advisory (flock) and goes with the process: a crashed server
 * leaves nothing to clean up. */
int cli_lock_data_dir(const char *cmd, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/crix.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "crix %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr,
		        "crix %s: %s is in use by another crix (a running crix serve, or an "
		        "import); stop it first, or send the objects to the running server "
		        "(POST /api/v1/collections/{id}/import)\n",
		        cmd, dir);
		close(fd);
		return -1;
	}
	return fd;
}
