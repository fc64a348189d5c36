/* placeholder until the diagnose command lands */
#include "cmd.h"
#include "util/diag.h"

int
cmd_diagnose(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("diagnose: not built yet");
}

int
cmd_lint(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("lint: not built yet");
}

int
cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	die_usage("demo: not built yet");
}
