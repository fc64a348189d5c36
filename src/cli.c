#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/diag.h"

static const char *color_arg = "auto";

void
cli_init(struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FMT_TEXT;
	o->fail_on = SEV_ERROR;
	color_arg = "auto";
}

bool
cli_common_option(struct cli_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_FORMAT:
		if (strcmp(arg, "text") == 0)
			o->format = FMT_TEXT;
		else if (strcmp(arg, "json") == 0)
			o->format = FMT_JSON;
		else if (strcmp(arg, "html") == 0)
			o->format = FMT_HTML;
		else
			die_usage("unknown --format '%s' (text, json, html)",
				  arg);
		return true;
	case 'o':
		o->output = arg;
		return true;
	case OPT_COLOR:
		if (strcmp(arg, "auto") && strcmp(arg, "always") &&
		    strcmp(arg, "never"))
			die_usage("unknown --color '%s' (auto, always, never)",
				  arg);
		color_arg = arg;
		return true;
	case OPT_FAIL_ON:
		if (!severity_parse(arg, &o->fail_on))
			die_usage("unknown --fail-on '%s' (info, warning, "
				  "error)",
				  arg);
		return true;
	case OPT_TIMESTAMPS:
		o->timestamps = true;
		return true;
	case 'q':
		o->quiet = true;
		diag_set_quiet(true);
		return true;
	case 'v':
		o->verbose = true;
		return true;
	default:
		return false;
	}
}

void
cli_finish(struct cli_opts *o, const char *arg)
{
	(void)arg;
	if (strcmp(color_arg, "always") == 0)
		o->color = true;
	else if (strcmp(color_arg, "never") == 0)
		o->color = false;
	else
		o->color = o->output == NULL && isatty(STDOUT_FILENO) &&
			   getenv("NO_COLOR") == NULL;
}

FILE *
cli_output(const struct cli_opts *o)
{
	if (o->output == NULL || strcmp(o->output, "-") == 0)
		return stdout;
	FILE *f = fopen(o->output, "w");
	if (f == NULL)
		die_system("cannot write %s: %m", o->output);
	return f;
}

void
cli_close_output(FILE *f)
{
	if (fflush(f) != 0 || ferror(f))
		die_system("write error on output");
	if (f != stdout)
		fclose(f);
}

void
cli_help(const char *text)
{
	fputs(text, stdout);
	exit(EXIT_CLEAN);
}

int
cli_sites_command(struct cli_opts *o, int argc, char **argv, const char *cmd,
		  const char *help, int nsites)
{
	static const struct option longopts[] = {CLI_COMMON_LONGOPTS,
						 {NULL, 0, NULL, 0}};
	cli_init(o);
	int ch;
	while ((ch = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts,
				 NULL)) != -1) {
		if (ch == 'h')
			cli_help(help);
		if (!cli_common_option(o, ch, optarg))
			die_usage("%s: unknown option; 'ipsecdiag %s --help' "
				  "lists them",
				  cmd, cmd);
	}
	if (nsites == 0 && optind >= argc)
		die_usage("%s: no SITE given; 'ipsecdiag %s --help'", cmd, cmd);
	if (nsites && argc - optind != nsites)
		die_usage("%s: give exactly %d SITEs; 'ipsecdiag %s --help'",
			  cmd, nsites, cmd);
	if (o->format != FMT_TEXT && o->format != FMT_JSON)
		die_usage("%s: --format text or json", cmd);
	cli_finish(o, NULL);
	return optind;
}
