/* ipsecdiag diagnose / lint / demo: the guide's decision tree over what
 * the user exported from each end. */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check.h"
#include "check/params.h"
#include "cli.h"
#include "cmd.h"
#include "import/load.h"
#include "report/rep_lint.h"
#include "report/report.h"

static const char diagnose_help[] =
    "Usage: ipsecdiag diagnose [OPTION]... SITE...\n"
    "Find where and why traffic through the tunnel dies. Traces flows in\n"
    "both directions through both sites, runs every check of the guide\n"
    "'Troubleshooting IPsec Traffic', and prints the flows, the findings\n"
    "by guide section (evidence, fix, confidence) and, for sections the\n"
    "inputs cannot decide, what to collect next.\n\n"
    "  --from IP --to IP   examine this flow (both directions are traced)\n"
    "  --from self[:IFACE] the firewall itself sends (of the site --to is\n"
    "                      not behind), from the address the kernel picks\n"
    "                      or IFACE's\n"
    "  --proto P           icmp, tcp/PORT, udp/PORT (default: icmp,\n"
    "                      udp/53, tcp/445, tcp/3389, tcp/443)\n"
    "  --format text|json|html, -o FILE, --color auto|always|never\n"
    "  --fail-on info|warning|error   exit 1 at or above (default error)\n"
    "  --timestamps        allow clock times in the HTML report\n"
    "  -q                  no 'understood' lines on stderr\n"
    "  -v                  also the hops of every flow that dies\n\n"
    "A SITE is a directory with one firewall's files (config.xml, filter\n"
    "logs, captures, hosts facts, pfSense's status_output.tgz, ...) or\n"
    "NAME=FILE[,FILE].\n"
    "Exit status: 0 nothing at or above --fail-on, 1 findings (ruled-out\n"
    "ones do not count), 2 input could not be read, 3 usage error.\n";

static const char lint_help[] =
    "Usage: ipsecdiag lint [OPTION]... SITE...\n"
    "Config-only checks, no flow needed, on one or many sites (a fleet of\n"
    "config backups in one call): a line per site with its finding count,\n"
    "then its findings.\n\n"
    "  --format text|json, -o FILE, --fail-on LEVEL, -q, -h\n"
    "Exit status: 0 clean, 1 findings at or above --fail-on, 2 input\n"
    "could not be read, 3 usage error.\n";

static const char demo_help[] =
    "Usage: ipsecdiag demo [OPTION]...\n"
    "Diagnose the bundled two-site example (examples/demo), which has\n"
    "several planted faults. Takes the options of 'diagnose'.\n";

enum { OPT_FROM = OPT_CMD_BASE, OPT_TO, OPT_PROTO };

struct diag_args {
	struct cli_opts o;
	struct ipaddr from, to;
	bool has_from, has_to;
	const char *proto;
	const char *self; /* --from self[:IFACE]: "" or IFACE */
	char **sites;
	size_t nsites;
};

static void
parse_args(int argc, char **argv, struct diag_args *d, const char *help,
	   bool flows)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"from", required_argument, NULL, OPT_FROM},
	    {"to", required_argument, NULL, OPT_TO},
	    {"proto", required_argument, NULL, OPT_PROTO},
	    {NULL, 0, NULL, 0},
	};
	cli_init(&d->o);
	int c;
	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		if (cli_common_option(&d->o, c, optarg))
			continue;
		if (c == 'h')
			cli_help(help);
		if (!flows && (c == OPT_FROM || c == OPT_TO || c == OPT_PROTO))
			die_usage("%s does not take --from/--to/--proto",
				  argv[0]);
		if (c == OPT_FROM && (strcmp(optarg, "self") == 0 ||
				      strncmp(optarg, "self:", 5) == 0)) {
			d->self = optarg[4] ? optarg + 5 : "";
			d->has_from = true;
		} else if (c == OPT_FROM || c == OPT_TO) {
			struct ipaddr *a = c == OPT_FROM ? &d->from : &d->to;
			if (!ipaddr_parse(str_from(optarg), a))
				die_usage("%s: not an IP address", optarg);
			*(c == OPT_FROM ? &d->has_from : &d->has_to) = true;
		} else if (c == OPT_PROTO) {
			struct packet p = {0};
			const char *err;
			if (!packet_set_proto(&p, optarg, &err))
				die_usage("--proto %s: %s", optarg, err);
			d->proto = optarg;
		} else {
			die_usage("bad option");
		}
	}
	cli_finish(&d->o, NULL);
	if (d->has_from != d->has_to)
		die_usage("--from and --to go together");
	if (d->self)
		d->from.fam = d->to.fam;
	if (d->has_from && d->from.fam != d->to.fam)
		die_usage("--from and --to must be of the same family");
	d->sites = argv + optind;
	d->nsites = (size_t)(argc - optind);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
any_at_or_above(const struct findings *fs, enum severity level)
{
	for (size_t i = 0; i < fs->n; i++)
		if (finding_counts(&fs->f[i]) && fs->f[i].severity >= level)
			return true;
	return false;
}

/* Both ends' parameters side by side for every pair of sites with a
 * config and a phase 1 facing the other (the HTML report shows them). */
static void
diag_compares(struct arena *ar, struct site **sites, size_t n, struct report *r)
{
	struct params_table *t = NULL;
	size_t nt = 0, ct = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (!sites[i]->has_config || !sites[j]->has_config)
				continue;
			struct params_table one;
			params_table(ar, sites[i], sites[j], &one);
			if (one.n)
				*ARENA_PUSH(ar, t, nt, ct) = one;
		}
	r->compares = t;
	r->ncompares = nt;
}

static int
run_diagnose(struct diag_args *d, const char *command)
{
	struct arena ar;
	arena_init(&ar);
	struct site **sites;
	bool ok = sites_load(&ar, d->sites, d->nsites, d->o.quiet, &sites);
	if (!sites_usable(sites, d->nsites)) { /* nothing to diagnose */
		arena_free(&ar);
		return EXIT_INPUT;
	}
	struct analysis an = {.ar = &ar, .sites = sites, .nsites = d->nsites};
	const char *err = NULL;
	if (d->self && !flows_self(&an, d->self, &d->to, d->proto, &err)) {
		fprintf(stderr, "ipsecdiag: %s: %s\n", command, err);
		arena_free(&ar);
		return EXIT_INPUT;
	}
	analysis_run(&an, d->has_from && !d->self ? &d->from : NULL,
		     d->has_to && !d->self ? &d->to : NULL, d->proto);
	struct report r = {.command = command,
			   .sites = sites,
			   .nsites = d->nsites,
			   .flows = an.flows,
			   .nflows = an.nflows,
			   .findings = &an.fs,
			   .timestamps = d->o.timestamps,
			   .color = d->o.color,
			   .verbose = d->o.verbose};
	if (d->o.format == FMT_HTML)
		diag_compares(&ar, sites, d->nsites, &r);
	FILE *f = cli_output(&d->o);
	if (d->o.format == FMT_JSON)
		rep_json(f, &r);
	else if (d->o.format == FMT_HTML)
		rep_html(f, &r);
	else
		rep_text(f, &r);
	cli_close_output(f);
	bool found = any_at_or_above(&an.fs, d->o.fail_on);
	arena_free(&ar);
	return !ok ? EXIT_INPUT : found ? EXIT_FINDINGS : EXIT_CLEAN;
}

int
cmd_diagnose(int argc, char **argv)
{
	struct diag_args d = {0};
	parse_args(argc, argv, &d, diagnose_help, true);
	if (d.nsites == 0)
		die_usage("diagnose: need at least one SITE");
	return run_diagnose(&d, "diagnose");
}

/* examples/demo next to the binary's source tree, or installed. */
static const char *
demo_dir(struct arena *ar)
{
	const char *env = getenv("IPSECDIAG_EXAMPLES");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *cands[4] = {env, NULL, "examples",
				IPSECDIAG_DATADIR "/examples"};
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		cands[1] = arena_printf(ar, "%s/../examples", exe);
	}
	for (size_t i = 0; i < 4; i++) {
		struct stat st;
		if (cands[i] == NULL)
			continue;
		const char *d = arena_printf(ar, "%s/demo/siteA", cands[i]);
		if (stat(d, &st) == 0 && S_ISDIR(st.st_mode))
			return arena_printf(ar, "%s/demo", cands[i]);
	}
	return NULL;
}

int
cmd_demo(int argc, char **argv)
{
	struct diag_args d = {0};
	parse_args(argc, argv, &d, demo_help, true);
	if (d.nsites)
		die_usage("demo takes no SITE (it uses examples/demo)");
	struct arena ar;
	arena_init(&ar);
	const char *dir = demo_dir(&ar);
	if (dir == NULL)
		die_system("cannot find the bundled example (examples/demo); "
			   "set IPSECDIAG_EXAMPLES to the examples directory");
	char *specs[2] = {arena_printf(&ar, "siteA=%s/siteA", dir),
			  arena_printf(&ar, "siteB=%s/siteB", dir)};
	/* name the files relative to the example, not the machine */
	if (chdir(dir) == 0) {
		specs[0] = "siteA";
		specs[1] = "siteB";
	}
	d.sites = specs;
	d.nsites = 2;
	if (!d.o.quiet)
		fprintf(stderr, "ipsecdiag demo: diagnose siteA/ siteB/ "
				"(examples/demo, faults planted on purpose)\n");
	int rc = run_diagnose(&d, "diagnose");
	arena_free(&ar);
	return rc;
}

/* A directory of config backups (two or more, nothing else) is a fleet:
 * one site per file. Anything else is one site. */
static size_t
lint_expand(struct arena *ar, char **in, size_t n, char ***out)
{
	char **v = NULL;
	size_t nv = 0, cap = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		DIR *d = stat(in[i], &st) == 0 && S_ISDIR(st.st_mode)
			     ? opendir(in[i])
			     : NULL;
		char **files = NULL;
		size_t nf = 0, cf = 0;
		bool fleet = d != NULL;
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char *path =
			    arena_printf(ar, "%s/%s", in[i], e->d_name);
			unsigned char head[4096];
			FILE *f = fopen(path, "rb");
			size_t k = f ? fread(head, 1, sizeof(head), f) : 0;
			if (f)
				fclose(f);
			enum input_kind kind = input_recognize(head, k, path);
			fleet = fleet && (kind == INPUT_PFSENSE_XML ||
					  kind == INPUT_OPNSENSE_XML);
			*ARENA_PUSH(ar, files, nf, cf) = path;
		}
		if (d)
			closedir(d);
		if (fleet && nf >= 2) {
			qsort(files, nf, sizeof(*files), name_cmp);
			for (size_t j = 0; j < nf; j++)
				*ARENA_PUSH(ar, v, nv, cap) = files[j];
		} else {
			*ARENA_PUSH(ar, v, nv, cap) = in[i];
		}
	}
	*out = v;
	return nv;
}

int
cmd_lint(int argc, char **argv)
{
	struct diag_args d = {0};
	parse_args(argc, argv, &d, lint_help, false);
	if (d.nsites == 0)
		die_usage("lint: need at least one SITE");
	if (d.o.format == FMT_HTML)
		die_usage("lint: --format html is for diagnose");
	struct arena names;
	arena_init(&names);
	d.nsites = lint_expand(&names, d.sites, d.nsites, &d.sites);
	struct rep_lint rep;
	rep_lint_begin(&rep, cli_output(&d.o), d.o.format == FMT_JSON);
	bool ok = true, found = false;
	/* one site at a time: memory stays flat over a fleet */
	for (size_t i = 0; i < d.nsites; i++) {
		struct arena ar;
		arena_init(&ar);
		struct site **sites;
		bool sok = sites_load(&ar, d.sites + i, 1, d.o.quiet, &sites);
		ok = ok && sok;
		struct analysis an = {.ar = &ar, .sites = sites, .nsites = 1};
		an.eng = engine_new(&ar, sites, 1);
		if (sites[0]->has_config) {
			check_config(&an);
			check_ruleset(&an);
			check_weak_crypto(&an);
			check_linux(&an);
			check_ha(&an);
			check_families_config(&an, sites[0]);
		}
		check_localize(&an);
		findings_sort(&an.fs);
		found = found || any_at_or_above(&an.fs, d.o.fail_on);
		rep_lint_site(&rep, sites[0], sok, &an.fs);
		arena_free(&ar);
	}
	rep_lint_end(&rep);
	cli_close_output(rep.f);
	arena_free(&names);
	return !ok ? EXIT_INPUT : found ? EXIT_FINDINGS : EXIT_CLEAN;
}
