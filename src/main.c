/* ipsecdiag: why does an established IPsec tunnel pass no traffic? */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util/diag.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"diagnose", cmd_diagnose, "find where and why tunnel traffic dies"},
    {"trace", cmd_trace, "follow one packet and its reply, hop by hop"},
    {"lint", cmd_lint, "config-only checks on one or many sites"},
    {"show", cmd_show, "print each site as understood"},
    {"log", cmd_log, "summarise firewall logs (filterlog)"},
    {"pcap", cmd_pcap, "summarise packet captures"},
    {"mss", cmd_mss, "ESP/NAT-T overhead and the MSS to clamp"},
    {"inputs", cmd_inputs, "what was read of each file of a site"},
    {"compare", cmd_compare, "both ends' IKE/ESP parameters side by side"},
    {"demo", cmd_demo, "diagnose the bundled two-site example"},
    {"redact", cmd_redact, "a copy of a site without secrets, to share"},
};

static const char usage_head[] =
    "Usage: ipsecdiag COMMAND [OPTION]... [ARG]...\n"
    "Find out why an IPsec site-to-site tunnel passes no traffic: reads\n"
    "what each end exports (config.xml, firewall logs, captures, IPsec\n"
    "status), follows the packet through both firewalls and the tunnel in\n"
    "both directions, and says where it dies, why, and the fix.\n\n"
    "Commands:\n";

static const char usage_tail[] =
    "\nA SITE is a directory with one firewall's files, or NAME=FILE[,FILE].\n"
    "Files are recognised by content; what is not recognised is skipped\n"
    "with a note ('ipsecdiag inputs SITE' lists each file).\n\n"
    "Common options: --format text|json|html, -o FILE, --color "
    "auto|always|never,\n"
    "  --fail-on info|warning|error, -q, -h/--help; diagnose -v also\n"
    "  prints the hops of every flow that dies.\n"
    "Exit status: 0 nothing found, 1 findings at or above --fail-on,\n"
    "  2 input could not be read, 3 usage or system error.\n\n"
    "'ipsecdiag COMMAND --help' for a command; 'man ipsecdiag' for all.\n";

static void
usage(FILE *f)
{
	fputs(usage_head, f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fputs(usage_tail, f);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 ||
	    strcmp(name, "help") == 0) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		puts("ipsecdiag " IPSECDIAG_VERSION);
		return EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	die_usage("unknown command '%s'", name);
}
