/*
 * crix.c - the command-line entry: `crix COMMAND [ARGS]`.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct cli_command commands[] = {
        {"extract", "find indicators (IPs, domains, URLs, e-mails, hashes, ...) in text",
         cli_extract, cli_extract_help},
        {"scan", "check logs against indicator lists, exactly and fast", cli_scan, cli_scan_help},
        {"export", "indicator lists as a STIX 2.1 bundle: crix export stix", cli_export,
         cli_export_help},
        {"import", "STIX 2.1 bundles and MISP events or feeds into a collection", cli_import,
         cli_import_help},
        {"sync", "exchange STIX objects with partner TAXII 2.1 servers, honouring TLP", cli_sync,
         cli_sync_help},
        {"serve", "run the reporting centre: REST API, intake, tracking, accounts", cli_serve,
         cli_serve_help},
        {"admin", "manage organisations, users and API tokens from the shell", cli_admin,
         cli_admin_help},
        {"audit", "verify the audit chain: crix audit verify", cli_audit, cli_audit_help},
        {"normalize", "print the canonical form of one indicator, or why it is not one",
         cli_normalize, cli_normalize_help},
        {"stats", "statistics on reports: tables, CSV, JSON or SVG charts", cli_stats,
         cli_stats_help},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: crix [--help] [--version] COMMAND [ARGS]\n\n"
	           "crix - Cybercrime Reporting and Intelligence eXchange.\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "  %-10s %s\n", "help", "show help for a command: crix help COMMAND");
	fprintf(f, "\nRun 'crix COMMAND --help' for a command's options; 'man crix' for more.\n");
}

static const struct cli_command *find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    (strcmp(cmd, "help") == 0 && argc == 2)) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("crix %s\n", CLI_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0) {
		const struct cli_command *c = find(argv[2]);
		if (c == NULL) {
			fprintf(stderr, "crix: unknown command '%s' (see 'crix --help')\n",
			        argv[2]);
			return 2;
		}
		c->help(stdout);
		return 0;
	}
	const struct cli_command *c = find(cmd);
	if (c == NULL) {
		fprintf(stderr, "crix: unknown command '%s' (see 'crix --help')\n", cmd);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			c->help(stdout);
			return 0;
		}
	return c->run(argc - 1, argv + 1);
}
