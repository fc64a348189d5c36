/* placeholder until the mss command lands */
#include "cmd.h"
#include "util/diag.h"

int
cmd_mss(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("mss: not built yet");
}
