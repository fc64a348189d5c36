/* placeholder until the show command lands */
#include "cmd.h"
#include "util/diag.h"

int
cmd_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("show: not built yet");
}
