/* ipsecdiag log FILE...: firewall log (filterlog) summary on its own. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "import/load.h"
#include "import/logs/log_filterlog.h"
#include "engine/log_tracker.h"
#include "report/rep_log.h"
#include "util/diag.h"

static const char help[] =
    "Usage: ipsecdiag log [OPTION]... FILE...\n"
    "Summarise pfSense/OPNsense firewall logs (filterlog): lines, time span,\n"
    "blocks per interface, direction and protocol, and the top blocked\n"
    "flows, tunnel-related ones first (ESP, AH, UDP 500/4500, enc0, ipsecN,\n"
    "and with --site the site's phase 2 networks and peers). Each flow's\n"
    "tracker is joined to the rule that produced it. Files may be plain or\n"
    "compressed (gzip, bzip2, xz, zstd) and are read as a stream.\n\n"
    "Options:\n"
    "  --site SITE        read the site's config: tunnel networks, rules\n"
    "  --top N            show N blocked flows (default 20, 0 = all)\n"
    "  --year YYYY        year of BSD syslog timestamps (default:\n"
    "                     $IPSECDIAG_LOG_YEAR, else the year of each\n"
    "                     file's modification time)\n"
    "  --jsonl            one normalized JSON record per log line (SIEM)\n"
    "  --format text|json summary format (default text)\n"
    "  -o FILE            write to FILE\n"
    "  -q                 no notes; -h, --help this text\n\n"
    "Timestamps: RFC 5424 lines carry a zone and are shown in UTC; BSD\n"
    "syslog lines have no zone and no year: their wall clock is shown as\n"
    "written, in the year of the file's modification time.\n"
    "Exit status: 0, or 2 if a file could not be read.\n";

enum { OPT_SITE = OPT_CMD_BASE, OPT_TOP, OPT_YEAR };

struct log_run {
	struct cli_opts cli;
	const char *site_spec;
	struct site site;
	bool has_site;
	unsigned top;
	int year;
	struct arena ar;
};

/* An IPsec daemon (charon) log given where a firewall log is expected:
 * one note for the file instead of one warning per line. */
static bool
is_ike_log(const char *path)
{
	unsigned char head[4096];
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false; /* fl_scan_file() reports it */
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (input_recognize(head, n, path) != INPUT_IPSEC_LOG)
		return false;
	struct srcloc loc = {path, 0, 0, 0};
	diag(DIAG_WARNING, &loc,
	     "an IPsec daemon (charon) log, not a firewall "
	     "log: skipped; put it in a SITE folder for 'diagnose' or 'show', "
	     "which read its IKE events");
	return true;
}

static void
parse_args(struct log_run *lr, int argc, char **argv)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"site", required_argument, NULL, OPT_SITE},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"year", required_argument, NULL, OPT_YEAR},
	    {"jsonl", no_argument, NULL, OPT_JSONL},
	    {NULL, 0, NULL, 0},
	};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (c == 'h')
			cli_help(help);
		else if (c == OPT_SITE)
			lr->site_spec = optarg;
		else if (c == OPT_JSONL)
			lr->cli.format = FMT_JSONL;
		else if (c == OPT_TOP) {
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end || v > 1000000)
				die_usage("log: --top wants a number, not '%s'",
					  optarg);
			lr->top = (unsigned)v;
		} else if (c == OPT_YEAR) {
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1970 || v > 9999)
				die_usage("log: --year wants a year, not '%s'",
					  optarg);
			lr->year = (int)v;
		} else if (!cli_common_option(&lr->cli, c, optarg))
			die_usage("log: unknown option");
	}
	if (lr->cli.format == FMT_HTML)
		die_usage("log: --format html is not available for log");
	if (optind >= argc)
		die_usage("log: no FILE given");
	cli_finish(&lr->cli, NULL);
}

static struct lt_result
join(struct log_run *lr, const struct fl_group *g)
{
	struct lt_context ctx = {
	    .known = true,
	    .ipver = g->ipver,
	    .proto = g->proto,
	    .dir = g->dir,
	    .block = g->kind == OBS_FW_BLOCK,
	    .dport = g->dport,
	    .src = g->src,
	    .dst = g->dst,
	};
	return log_tracker_join(&lr->ar, lr->has_site ? &lr->site : NULL,
				g->tracker, &ctx);
}

/* The rules behind the groups shown: every group but blocks beyond
 * --top (text shows passes and need-frags up to --top too; JSON all). */
static struct fl_rule *
join_shown(struct log_run *lr, const struct fl_summary *m)
{
	struct fl_rule *r = arena_alloc(&lr->ar, (m->ngroups + 1) * sizeof(*r));
	unsigned blocks = 0;
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct fl_group *g = &m->groups[i];
		r[i] = (struct fl_rule){0};
		if (g->kind == OBS_FW_BLOCK && lr->top && blocks++ >= lr->top)
			continue;
		struct lt_result j = join(lr, g);
		r[i] = (struct fl_rule){lt_kind_name(j.kind), j.descr};
	}
	return r;
}

int
cmd_log(int argc, char **argv)
{
	struct log_run lr = {.top = 20};
	cli_init(&lr.cli);
	arena_init(&lr.ar);
	parse_args(&lr, argc, argv);
	if (lr.year == 0)
		lr.year = fl_year_from_env();
	int rc = EXIT_CLEAN;
	if (lr.site_spec) {
		lr.has_site = site_load(&lr.ar, lr.site_spec, &lr.site);
		if (!lr.has_site)
			rc = EXIT_INPUT;
	}
	FILE *out = cli_output(&lr.cli);
	struct fl_scan_opts o = {
	    .site = lr.has_site ? &lr.site : NULL,
	    .all_blocks = true,
	    .jsonl = lr.cli.format == FMT_JSONL ? out : NULL,
	    .progress = isatty(STDERR_FILENO) && !lr.cli.quiet,
	    .threads = 2,
	    .year = lr.year,
	};
	struct fl_scan *sc = fl_scan_new(&lr.ar, &o);
	for (int i = optind; i < argc; i++)
		if (is_ike_log(argv[i]))
			continue; /* said once, not a warning per line */
		else if (!fl_scan_file(sc, argv[i]))
			rc = EXIT_INPUT;
	struct fl_summary m;
	fl_scan_finish(sc, &m);
	fl_scan_free(sc);
	struct fl_view v = {&m, NULL, lr.top};
	if (lr.cli.format == FMT_TEXT || lr.cli.format == FMT_JSON)
		v.rules = join_shown(&lr, &m);
	if (lr.cli.format == FMT_TEXT)
		rep_log_text(out, &v);
	else if (lr.cli.format == FMT_JSON)
		rep_log_json(out, &v);
	cli_close_output(out);
	arena_free(&lr.ar);
	return rc;
}
