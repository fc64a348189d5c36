/* placeholder until the pcap command lands */
#include "cmd.h"
#include "util/diag.h"

int
cmd_pcap(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("pcap: not built yet");
}
