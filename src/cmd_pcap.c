/* ipsecdiag pcap FILE...: what captures show on their own (doc/ARCHITECTURE.md
 * §1): link type and role, time span, flows with both directions paired, ESP
 * SPIs per direction, IKE exchanges and notifies, ARP, MSS, fragments. */
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "import/pcap/capture.h"
#include "report/json_model.h"
#include "report/rep_pcap.h"
#include "util/diag.h"

enum { OPT_DUMP = OPT_CMD_BASE, OPT_MAX_FLOWS, LIST_MAX = 20 };

static const char help[] =
    "Usage: ipsecdiag pcap [OPTION]... FILE...\n"
    "Summarise packet captures (pcap or pcapng) on their own: link type\n"
    "and the interface role it suggests, time span, flows with both\n"
    "directions paired (one-way flows flagged), ESP SPIs per direction,\n"
    "IKE exchanges and notify errors, ARP requests without reply, TCP SYN\n"
    "MSS values, retransmissions, ICMP errors and fragments.\n\n"
    "  --format text|json  output format (default text)\n"
    "  -o FILE             write to FILE\n"
    "  -q                  no warnings about malformed packets\n"
    "  --max-flows N       live flows kept before the oldest are evicted\n"
    "                      (default 65536)\n"
    "  --dump              one tab-separated line per packet (frame, src,\n"
    "                      dst, IP protocol, ports, ESP SPI and sequence,\n"
    "                      IKE exchange, notify types), for testing\n"
    "  -h, --help          this help\n\n"
    "Exit status: 0 all files read, 2 a file could not be read.\n";

int
cmd_pcap(int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"dump", no_argument, NULL, OPT_DUMP},
	    {"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
	    {NULL, 0, NULL, 0},
	};
	struct cli_opts o;
	struct cap_opts co = {0};
	bool dump = false;
	cli_init(&o);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (c == 'h')
			cli_help(help);
		if (c == OPT_DUMP) {
			dump = true;
		} else if (c == OPT_MAX_FLOWS) {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || v < 2 || v > 1u << 22)
				die_usage("pcap: --max-flows wants 2..4194304");
			co.max_flows = v;
		} else if (!cli_common_option(&o, c, optarg)) {
			die_usage("pcap: see 'ipsecdiag pcap --help'");
		}
	}
	if (optind >= argc)
		die_usage("pcap: no capture file given");
	cli_finish(&o, NULL);
	FILE *out = cli_output(&o);
	co.dump = dump ? out : NULL;
	co.quiet = o.quiet;
	co.progress = !dump && isatty(STDERR_FILENO);
	struct arena ar;
	arena_init(&ar);
	int rc = EXIT_CLEAN;
	json_t *files = json_array();
	for (int i = optind; i < argc; i++) {
		struct cap_result r;
		bool ok = cap_analyze(&ar, argv[i], &co, &r);
		if (!ok || r.read_error)
			rc = EXIT_INPUT;
		if (!ok || dump)
			;
		else if (o.format == FMT_JSON)
			json_array_append_new(files, rep_pcap_json(&ar, &r));
		else
			rep_pcap_text(out, &ar, &r, i > optind);
	}
	if (!dump && o.format == FMT_JSON) {
		json_t *root = json_pack("{s:s, s:o}", "command", "pcap",
					 "captures", files);
		json_emit(out, root);
	} else {
		json_decref(files);
	}
	cli_close_output(out);
	arena_free(&ar);
	return rc;
}
