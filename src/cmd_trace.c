/* ipsecdiag trace SRC DST [PROTO[/PORT]] SITE...; SRC may be self[:IFACE],
 * the firewall itself (engine/trace_self.c). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "engine/trace.h"
#include "engine/trace_self.h"
#include "import/load.h"
#include "report/report.h"

static const char help[] =
    "Usage: ipsecdiag trace SRC DST [PROTO[/PORT]] SITE... [OPTION]...\n"
    "Follow one packet from SRC to DST through both firewalls and the\n"
    "tunnel, and its reply back, hop by hop; each hop names the rule,\n"
    "route, phase 2 or NAT that decided it.\n\n"
    "  SRC           an address, or self[:IFACE]: the firewall itself (of\n"
    "                the site DST is not behind), from the address the\n"
    "                kernel picks, or from IFACE's (lan, igb1, LAN)\n"
    "  PROTO         icmp (default), icmp6, tcp/PORT, udp/PORT, esp, ...\n"
    "  --size N      IP packet size in bytes (default: 84 icmp, 60 tcp,\n"
    "                64 udp)\n"
    "  --df          set Don't Fragment (MTU questions)\n"
    "  --format text|json, -o FILE, --color WHEN, -q, -h\n\n"
    "Exit status: 0 both directions delivered, 1 a direction dies,\n"
    "2 input could not be read, 3 usage error.\n"
    "Example: ipsecdiag trace 10.0.1.10 10.0.2.10 tcp/445 siteA/ siteB/\n"
    "         ipsecdiag trace self 10.0.2.53 udp/53 siteA/ siteB/\n";

enum { OPT_SIZE = OPT_CMD_BASE, OPT_DF };

int
cmd_trace(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"size", required_argument, NULL, OPT_SIZE},
	    {"df", no_argument, NULL, OPT_DF},
	    {NULL, 0, NULL, 0},
	};
	struct cli_opts o;
	cli_init(&o);
	struct packet pkt = {0};
	int c;
	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (cli_common_option(&o, c, optarg))
			continue;
		if (c == 'h')
			cli_help(help);
		if (c == OPT_SIZE) {
			uint64_t v;
			if (!str_to_u64(str_from(optarg), 65535, &v) || v < 20)
				die_usage("trace: --size must be 20..65535");
			pkt.size = (unsigned)v;
		} else if (c == OPT_DF) {
			pkt.df = true;
		} else {
			die_usage("trace: bad option");
		}
	}
	cli_finish(&o, NULL);
	if (o.format == FMT_HTML)
		die_usage("trace: --format html is for diagnose");
	argc -= optind;
	argv += optind;
	if (argc < 3)
		die_usage("trace: need SRC DST [PROTO] SITE...");
	const char *self = NULL; /* "" or the interface of self:IFACE */
	if (strcmp(argv[0], "self") == 0 || strncmp(argv[0], "self:", 5) == 0) {
		self = argv[0][4] ? argv[0] + 5 : "";
		if (!ipaddr_parse(str_from(argv[1]), &pkt.dst))
			die_usage("trace: DST must be an IP address");
		pkt.src.fam = pkt.dst.fam;
	} else if (!ipaddr_parse(str_from(argv[0]), &pkt.src) ||
		   !ipaddr_parse(str_from(argv[1]), &pkt.dst))
		die_usage("trace: SRC and DST must be IP addresses (or SRC "
			  "self[:IFACE])");
	if (pkt.src.fam != pkt.dst.fam)
		die_usage("trace: SRC and DST must be of the same family");
	const char *proto = pkt.src.fam == FAM_V6 ? "icmp6" : "icmp", *err;
	int first_site = 2;
	struct packet probe = pkt;
	if (packet_set_proto(&probe, argv[2], &err)) {
		proto = argv[2];
		first_site = 3;
	} else if (access(argv[2], F_OK) != 0 && !strchr(argv[2], '=')) {
		/* not a site either: say what is wrong with it as a protocol */
		die_usage("trace: %s: %s", argv[2], err);
	}
	if (!packet_set_proto(&pkt, proto, &err))
		die_usage("trace: %s: %s", proto, err);
	if (first_site >= argc)
		die_usage("trace: need at least one SITE");
	struct arena ar;
	arena_init(&ar);
	struct site **sites;
	size_t n = (size_t)(argc - first_site);
	bool ok = sites_load(&ar, argv + first_site, n, o.quiet, &sites);
	if (!sites_usable(sites, n)) { /* nothing to trace through */
		arena_free(&ar);
		return EXIT_INPUT;
	}
	struct engine *e = engine_new(&ar, sites, n);
	struct flow_trace ft;
	if (self) {
		struct site *b = engine_site_of(e, &pkt.dst), *a = sites[0];
		for (size_t i = 0; a == b && i < n; i++)
			a = sites[i];
		if (!engine_trace_self(e, a, *self ? self : NULL, &pkt, proto,
				       &ft, &err)) {
			fprintf(stderr, "ipsecdiag: trace: %s\n", err);
			arena_free(&ar);
			return EXIT_INPUT;
		}
	} else {
		engine_trace(e, &pkt, proto, &ft);
	}
	struct report r = {.command = "trace",
			   .sites = sites,
			   .nsites = n,
			   .flows = &ft,
			   .nflows = 1,
			   .color = o.color};
	FILE *f = cli_output(&o);
	if (o.format == FMT_JSON)
		rep_json(f, &r);
	else
		rep_text(f, &r);
	cli_close_output(f);
	bool failed = ft.request.fail_at >= 0 || ft.reply.fail_at >= 0;
	arena_free(&ar);
	return !ok ? EXIT_INPUT : failed ? EXIT_FINDINGS : EXIT_CLEAN;
}
