/* ipsecdiag compare SITE_A SITE_B: both ends' parameters side by side. */
#include <getopt.h>
#include <stdlib.h>

#include "check/params.h"
#include "cli.h"
#include "cmd.h"
#include "import/load.h"
#include "report/rep_compare.h"
#include "util/diag.h"

static const char help[] =
    "Usage: ipsecdiag compare [OPTION]... SITE_A SITE_B\n"
    "Show both ends' phase 1 and phase 2 parameters side by side: IKE\n"
    "version, IKE and ESP proposals with the one strongSwan selects,\n"
    "PFS group, identities sent and expected, authentication (pre-shared\n"
    "keys compared, never printed), certificates, who initiates, rekey\n"
    "times, DPD,\n"
    "networks and mode. Each row is marked \u2713 (agree), \u2717 (differ)\n"
    "or ? (cannot tell: a default or redacted value).\n\n"
    "A SITE is a directory with one firewall's files, or NAME=FILE[,FILE].\n\n"
    "Options:\n"
    "  --format text|json  output format (default text)\n"
    "  -o FILE             write the output to FILE\n"
    "  -q                  no notes on stderr\n"
    "  -h, --help          this help\n\n"
    "Exit status: 0 nothing differs, 1 a parameter differs, 2 an input\n"
    "could not be read, 3 usage or system error.\n";

int
cmd_compare(int argc, char **argv)
{
	struct cli_opts o;
	optind = cli_sites_command(&o, argc, argv, "compare", help, 2);
	struct arena ar;
	arena_init(&ar);
	struct site *s[2];
	int rc = EXIT_CLEAN;
	for (int i = 0; i < 2; i++) {
		s[i] = arena_alloc(&ar, sizeof(*s[i]));
		if (!site_load(&ar, argv[optind + i], s[i]) ||
		    !s[i]->has_config) {
			if (!s[i]->has_config)
				diag(DIAG_ERROR, NULL,
				     "%s: no configuration to "
				     "compare",
				     argv[optind + i]);
			arena_free(&ar);
			return EXIT_INPUT;
		}
	}
	struct params_table t;
	params_table(&ar, s[0], s[1], &t);
	FILE *f = cli_output(&o);
	if (o.format == FMT_JSON)
		rep_compare_json(f, &t);
	else
		rep_compare_text(f, &t);
	cli_close_output(f);
	if (t.ndiffer)
		rc = EXIT_FINDINGS;
	arena_free(&ar);
	return rc;
}
