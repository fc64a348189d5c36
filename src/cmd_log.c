/* placeholder until the log command lands */
#include "cmd.h"
#include "util/diag.h"

int
cmd_log(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("log: not built yet");
}
