/* ipsecdiag log FILE...: firewall log (filterlog) summary on its own. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "import/load.h"
#include "import/logs/log_filterlog.h"
#include "engine/log_tracker.h"
#include "report/json_model.h"
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

static const char *
flow_text(struct arena *ar, const struct fl_group *g)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], port[16] = "";
	bool v6 = g->dst.fam == FAM_V6;
	if (g->dport && (g->proto == PROTO_TCP || g->proto == PROTO_UDP))
		snprintf(port, sizeof(port), "%s%u", v6 ? "." : ":", g->dport);
	return arena_printf(ar, "%s %s %s %s -> %s%s", g->iface,
			    g->dir == PDIR_IN ? "in" : "out",
			    proto_name(g->proto), ipaddr_format(&g->src, a),
			    ipaddr_format(&g->dst, b), port);
}

static const char *
span(const struct fl_group *g, char buf[80])
{
	char a[32], b[32];
	if (!g->first_ts)
		return "no time";
	fl_format_time(g->first_ts, a);
	fl_format_time(g->last_ts, b);
	/* same day: only the time of the last */
	if (strcmp(a, b) == 0)
		snprintf(buf, 80, "%s", a);
	else
		snprintf(buf, 80, "%s .. %s", a,
			 strncmp(a, b, 10) == 0 ? b + 11 : b);
	return buf;
}

static void
print_group(FILE *f, struct log_run *lr, const struct fl_group *g)
{
	char sp[80], loc[300];
	struct lt_result j = join(lr, g);
	fprintf(f, "%c %6llu  %s", g->tunnel ? '*' : ' ',
		(unsigned long long)g->count, flow_text(&lr->ar, g));
	if (g->kind == OBS_FW_NEEDFRAG)
		fprintf(f, " need-frag MTU %u", g->value);
	fprintf(f, "\n          %s\n          rule: %s", span(g, sp), j.descr);
	if (*g->tracker && strstr(j.descr, g->tracker) == NULL)
		fprintf(f, " [%s]", g->tracker);
	fprintf(f, "\n          e.g. %s\n",
		srcloc_format(&g->where, loc, sizeof(loc)));
}

static void
print_text(FILE *f, struct log_run *lr, const struct fl_summary *m)
{
	char a[32], b[32];
	fprintf(f,
		"Files: %llu, lines: %llu (%llu parsed, %llu unparsed, "
		"%llu too long, %llu blank)\n",
		(unsigned long long)m->files, (unsigned long long)m->lines,
		(unsigned long long)m->parsed, (unsigned long long)m->unparsed,
		(unsigned long long)m->long_lines,
		(unsigned long long)m->blank);
	if (m->first_ts) {
		fl_format_time(m->first_ts, a);
		fl_format_time(m->last_ts, b);
		fprintf(f, "Span: %s .. %s\n", a, b);
	}
	fprintf(f, "Actions: %llu block, %llu pass, %llu other\n",
		(unsigned long long)m->blocks, (unsigned long long)m->passes,
		(unsigned long long)m->others);
	if (m->ncounters)
		fputs("\nBlocks by interface, direction, protocol:\n", f);
	for (size_t i = 0; i < m->ncounters; i++)
		fprintf(f, "  %-12s %-3s %-8s %10llu\n", m->counters[i].iface,
			m->counters[i].dir == PDIR_IN ? "in" : "out",
			proto_name(m->counters[i].proto),
			(unsigned long long)m->counters[i].count);
	static const struct {
		enum obs_kind kind;
		const char *title;
	} sections[] = {
	    {OBS_FW_BLOCK, "Top blocked flows (* = tunnel-related, listed "
			   "first):"},
	    {OBS_FW_PASS, "Tunnel-related passes:"},
	    {OBS_FW_NEEDFRAG, "ICMP need-frag (path MTU):"},
	};
	for (size_t s = 0; s < 3; s++) {
		unsigned shown = 0;
		size_t total = 0;
		for (size_t i = 0; i < m->ngroups; i++)
			total += m->groups[i].kind == sections[s].kind;
		for (size_t i = 0; i < m->ngroups; i++) {
			const struct fl_group *g = &m->groups[i];
			if (g->kind != sections[s].kind ||
			    (lr->top && shown >= lr->top))
				continue;
			if (shown++ == 0)
				fprintf(f, "\n%s\n", sections[s].title);
			print_group(f, lr, g);
			if (lr->top && shown == lr->top && total > lr->top)
				fprintf(
				    f, "  (%u of %zu shown; --top 0 for all)\n",
				    lr->top, total);
		}
	}
	if (m->overflow)
		fprintf(f,
			"\n%llu lines belonged to flows beyond the %u-flow "
			"ceiling: counted, not grouped.\n",
			(unsigned long long)m->overflow, FL_GROUPS_MAX);
}

static json_t *
group_json(struct log_run *lr, const struct fl_group *g)
{
	static const char *const kinds[] = {[OBS_FW_BLOCK] = "block",
					    [OBS_FW_PASS] = "pass",
					    [OBS_FW_NEEDFRAG] = "needfrag"};
	char a[ADDR_STRLEN], b[ADDR_STRLEN], t1[32], t2[32], loc[300];
	struct lt_result j = join(lr, g);
	fl_format_time(g->first_ts, t1);
	fl_format_time(g->last_ts, t2);
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:I, s:I, s:b, s:s, "
	    "s:{s:s, s:s}, s:s}",
	    "kind", kinds[g->kind], "interface", g->iface, "dir",
	    g->dir == PDIR_IN ? "in" : "out", "proto", proto_name(g->proto),
	    "protoid", g->proto, "src", ipaddr_format(&g->src, a), "dst",
	    ipaddr_format(&g->dst, b), "dport", g->dport, "count",
	    (json_int_t)g->count, "bytes", (json_int_t)g->bytes, "tunnel",
	    g->tunnel, "tracker", g->tracker, "rule", "kind",
	    lt_kind_name(j.kind), "descr", j.descr, "example",
	    srcloc_format(&g->where, loc, sizeof(loc)));
	json_object_set_new(o, "first",
			    g->first_ts ? json_string(t1) : json_null());
	json_object_set_new(o, "last",
			    g->first_ts ? json_string(t2) : json_null());
	if (g->kind == OBS_FW_NEEDFRAG)
		json_object_set_new(o, "mtu", json_integer(g->value));
	return o;
}

static void
print_json(FILE *f, struct log_run *lr, const struct fl_summary *m)
{
	char a[32], b[32];
	fl_format_time(m->first_ts, a);
	fl_format_time(m->last_ts, b);
	json_t *root = json_pack(
	    "{s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:I}", "files",
	    (json_int_t)m->files, "lines", (json_int_t)m->lines, "parsed",
	    (json_int_t)m->parsed, "unparsed", (json_int_t)m->unparsed,
	    "too_long", (json_int_t)m->long_lines, "blank",
	    (json_int_t)m->blank, "actions", "block", (json_int_t)m->blocks,
	    "pass", (json_int_t)m->passes, "other", (json_int_t)m->others,
	    "overflow", (json_int_t)m->overflow);
	json_object_set_new(root, "first",
			    m->first_ts ? json_string(a) : json_null());
	json_object_set_new(root, "last",
			    m->first_ts ? json_string(b) : json_null());
	json_t *cs = json_array(), *gs = json_array();
	for (size_t i = 0; i < m->ncounters; i++)
		json_array_append_new(
		    cs, json_pack("{s:s, s:s, s:s, s:I}", "interface",
				  m->counters[i].iface, "dir",
				  m->counters[i].dir == PDIR_IN ? "in" : "out",
				  "proto", proto_name(m->counters[i].proto),
				  "count", (json_int_t)m->counters[i].count));
	unsigned shown = 0;
	for (size_t i = 0; i < m->ngroups; i++)
		if (m->groups[i].kind != OBS_FW_BLOCK || !lr->top ||
		    shown++ < lr->top)
			json_array_append_new(gs,
					      group_json(lr, &m->groups[i]));
	json_object_set_new(root, "blocks_by_interface", cs);
	json_object_set_new(root, "flows", gs);
	json_emit(f, root);
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
	if (lr.cli.format == FMT_TEXT)
		print_text(out, &lr, &m);
	else if (lr.cli.format == FMT_JSON)
		print_json(out, &lr, &m);
	cli_close_output(out);
	arena_free(&lr.ar);
	return rc;
}
