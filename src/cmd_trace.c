/* placeholder until the trace command lands */
#include "cmd.h"
#include "util/diag.h"

int
cmd_trace(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("trace: not built yet");
}
