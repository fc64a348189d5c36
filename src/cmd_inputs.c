/* ipsecdiag inputs SITE...: what was made of each file of each site. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd.h"
#include "import/load.h"
#include "report/rep_inputs.h"
#include "util/diag.h"

static const char help[] =
    "Usage: ipsecdiag inputs [OPTION]... SITE...\n"
    "List each file of each site: the kind it was recognised as (by its\n"
    "content) and what it added (config, log lines, packets, SA status),\n"
    "or why it was skipped (not a kind ipsecdiag reads, secrets, a\n"
    "backup, a directory) or could not be read (damaged: its diagnostics\n"
    "on stderr say where).\n\n"
    "A SITE is a directory with one firewall's files, or NAME=FILE[,FILE].\n\n"
    "Options:\n"
    "  --format text|json  output format (default text)\n"
    "  -o FILE             write the output to FILE\n"
    "  -h, --help          this help\n\n"
    "Exit status: 0 every file read or skipped, 2 an input could not be\n"
    "read (or a site has nothing to read), 3 usage or system error.\n";

int
cmd_inputs(int argc, char **argv)
{
	struct cli_opts o;
	optind = cli_sites_command(&o, argc, argv, "inputs", help, 0);
	diag_set_quiet(true); /* the notes are the listing itself */
	struct arena ar;
	arena_init(&ar);
	size_t n = (size_t)(argc - optind);
	struct site **sites;
	int rc = sites_load(&ar, argv + optind, n, true, &sites) ? EXIT_CLEAN
								 : EXIT_INPUT;
	FILE *f = cli_output(&o);
	if (o.format == FMT_JSON)
		rep_inputs_json(f, sites, n);
	else
		rep_inputs_text(f, sites, n);
	cli_close_output(f);
	arena_free(&ar);
	return rc;
}
