/* Options every command shares (doc/ARCHITECTURE.md §1) and their parsing. */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/finding.h"

enum out_format { FMT_TEXT, FMT_JSON, FMT_HTML, FMT_JSONL };

struct cli_opts {
	enum out_format format;
	const char *output; /* -o FILE, NULL = stdout */
	bool color;
	bool quiet, verbose, timestamps;
	enum severity fail_on;
};

enum {
	OPT_FORMAT = 1000,
	OPT_COLOR,
	OPT_FAIL_ON,
	OPT_TIMESTAMPS,
	OPT_JSONL,
	OPT_CMD_BASE = 1100, /* commands number their own long options here */
};

#define CLI_COMMON_LONGOPTS                                                    \
	{"format", required_argument, NULL, OPT_FORMAT},                       \
	    {"output", required_argument, NULL, 'o'},                          \
	    {"color", required_argument, NULL, OPT_COLOR},                     \
	    {"fail-on", required_argument, NULL, OPT_FAIL_ON},                 \
	    {"timestamps", no_argument, NULL, OPT_TIMESTAMPS},                 \
	    {"quiet", no_argument, NULL, 'q'},                                 \
	    {"verbose", no_argument, NULL, 'v'},                               \
	{                                                                      \
		"help", no_argument, NULL, 'h'                                 \
	}
#define CLI_COMMON_SHORTOPTS "o:qvh"

void cli_init(struct cli_opts *o);
/* Handles a common option; false if c is not one. Exits 3 on bad values. */
bool cli_common_option(struct cli_opts *o, int c, const char *arg);
/* Resolves --color auto against the output stream and NO_COLOR. */
void cli_finish(struct cli_opts *o, const char *color_arg);
/* The output stream (-o FILE or stdout); exits 3 when it cannot open. */
FILE *cli_output(const struct cli_opts *o);
void cli_close_output(FILE *f);
/* Prints text and exits 0 (used by --help). */
_Noreturn void cli_help(const char *text);
/* The whole command line of a command that takes only the common options
 * and SITE arguments (show, inputs, compare): nsites sites exactly, or at
 * least one when 0; --format text or json. Returns optind. */
int cli_sites_command(struct cli_opts *o, int argc, char **argv,
		      const char *cmd, const char *help, int nsites);

#endif
