/*
 * cli.h - the commands of the crix binary.  Each takes (argc, argv) with
 * argv[0] the command name and returns the process exit status.
 */
#ifndef CRIX_CLI_H
#define CRIX_CLI_H

#include <stdio.h>

#define CLI_VERSION "0.1.0"

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *f);
};

int cli_extract(int argc, char **argv);
void cli_extract_help(FILE *f);
int cli_normalize(int argc, char **argv);
int cli_scan(int argc, char **argv);
void cli_scan_help(FILE *f);
void cli_normalize_help(FILE *f);

/* Parses "a,b,c" type names into a bit mask; prints an error naming the bad
 * one and returns -1. */
int cli_parse_types(const char *cmd, const char *list, unsigned *mask);

/* Checks an ISO 3166-1 alpha-2 code ("GB"); copies it upper-case to out[3]. */
int cli_parse_country(const char *cmd, const char *cc, char out[3]);

#endif
