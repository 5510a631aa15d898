/*
 * cli.h - the commands of the crix binary.  Each takes (argc, argv) with
 * argv[0] the command name and returns the process exit status.
 */
#ifndef CRIX_CLI_H
#define CRIX_CLI_H

#include <stddef.h>
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

int cli_serve(int argc, char **argv);
void cli_serve_help(FILE *f);
int cli_admin(int argc, char **argv);
void cli_admin_help(FILE *f);
int cli_audit(int argc, char **argv);
void cli_audit_help(FILE *f);
int cli_export(int argc, char **argv);
void cli_export_help(FILE *f);
int cli_sync(int argc, char **argv);
void cli_sync_help(FILE *f);
int cli_stats(int argc, char **argv);
void cli_stats_help(FILE *f);

int cli_export_misp(int argc, char **argv); /* argv[1] is "misp" */
void cli_export_misp_help(FILE *f);
int cli_import(int argc, char **argv);
void cli_import_help(FILE *f);

/* Takes the data directory's lock (DIR/crix.lock) for as long as the process
 * runs: crix serve and crix import may not work on one directory at once.
 * OUT: the lock's descriptor, or -1 after printing who holds it. */
int cli_lock_data_dir(const char *cmd, const char *dir);

/* Creates the data directory (mode 0700) if missing; prints why not. */
int cli_make_data_dir(const char *cmd, const char *dir);
/* Finds the offence/advice catalogue directory: given, $CRIX_CATALOGUE, data/
 * next to the build tree of the binary, or /usr/share/crix.  -1 if none. */
int cli_find_catalogue(const char *given, char *out, size_t cap);

/* Parses "a,b,c" type names into a bit mask; prints an error naming the bad
 * one and returns -1. */
int cli_parse_types(const char *cmd, const char *list, unsigned *mask);

/* Checks an ISO 3166-1 alpha-2 code ("GB"); copies it upper-case to out[3]. */
int cli_parse_country(const char *cmd, const char *cc, char out[3]);

#endif
