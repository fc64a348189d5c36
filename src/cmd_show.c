/* ipsecdiag show SITE...: each site as understood. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd.h"
#include "import/load.h"
#include "report/rep_site.h"
#include "util/diag.h"

static const char help[] =
    "Usage: ipsecdiag show [OPTION]... SITE...\n"
    "Print each site as ipsecdiag understands it: interfaces, gateways,\n"
    "routes, IPsec phase 1 and phase 2 (selectors resolved to networks),\n"
    "aliases, firewall rules per tab in evaluation order (with their\n"
    "config line and tracker), system flags, OpenVPN networks, the DHCP\n"
    "gateway per interface, host facts, and the box's running state\n"
    "when given (status archive or loose files: SAs with counters,\n"
    "kernel policies, routes, interfaces with MTU and CARP state).\n\n"
    "A SITE is a directory with one firewall's files, or NAME=FILE[,FILE].\n\n"
    "Options:\n"
    "  --format text|json  output format (default text)\n"
    "  -o FILE             write the output to FILE\n"
    "  -q                  no summary line per site, no notes on stderr\n"
    "  -h, --help          this help\n\n"
    "Exit status: 0 all sites read, 2 an input could not be read,\n"
    "3 usage or system error.\n";

int
cmd_show(int argc, char **argv)
{
	struct cli_opts o;
	optind = cli_sites_command(&o, argc, argv, "show", help, 0);
	struct arena ar;
	arena_init(&ar);
	size_t n = 0;
	struct site **sites =
	    arena_alloc(&ar, sizeof(*sites) * (size_t)(argc - optind));
	int rc = EXIT_CLEAN;
	for (int i = optind; i < argc; i++) {
		struct site *s = arena_alloc(&ar, sizeof(*s));
		if (!site_load(&ar, argv[i], s))
			rc = EXIT_INPUT;
		if (!site_usable(s))
			continue;
		if (!o.quiet)
			site_describe(stderr, s);
		sites[n++] = s;
	}
	FILE *f = cli_output(&o);
	if (o.format == FMT_JSON)
		rep_site_json(f, &ar, sites, n);
	else
		rep_site_text(f, &ar, sites, n);
	cli_close_output(f);
	arena_free(&ar);
	return rc;
}
