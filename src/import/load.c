/* SITE arguments to sites: list the files, recognise, import. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/cloud/cloud.h"
#include "import/linux/linux.h"
#include "import/load.h"
#include "import/status/st_archive.h"

#define INPUT(id, key, name, role, rec, reader, adds) [INPUT_##id] = reader,
static const importer_fn readers[] = {
#include "model/inputs.def"
};
#undef INPUT

char *
file_slurp(struct arena *ar, const char *path, size_t max, size_t *len)
{
	struct srcloc loc = {.file = path};
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size > max) {
		diag(DIAG_ERROR, &loc,
		     "file is %lld bytes, larger than the "
		     "%zu byte limit for this kind of input",
		     (long long)st.st_size, max);
		fclose(f);
		return NULL;
	}
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	char *buf = arena_alloc(ar, cap);
	size_t n = 0, r;
	while ((r = fread(buf + n, 1, cap - 1 - n, f)) > 0) {
		n += r;
		if (n == cap - 1) {
			if (cap > max) {
				diag(DIAG_ERROR, &loc,
				     "input larger than the "
				     "%zu byte limit",
				     max);
				fclose(f);
				return NULL;
			}
			char *nb = arena_alloc(ar, cap * 2);
			memcpy(nb, buf, n);
			buf = nb;
			cap *= 2;
		}
	}
	bool err = ferror(f);
	fclose(f);
	if (err) {
		diag(DIAG_ERROR, &loc, "read error: %s", strerror(errno));
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* A file that is not read: a note in a folder, where anything may lie;
 * a warning when the user named it. Never an exit status of its own. */
static void
skip_note(struct input_file *in, bool explicit, const char *why)
{
	struct srcloc loc = {.file = in->path};
	in->why = why;
	diag(explicit ? DIAG_WARNING : DIAG_NOTE, &loc, "skipped: %s", why);
}

/* Reads in with its kind's reader. A file that cannot be read leaves the
 * site as it was before it: half a config or half the host facts would
 * give verdicts the file does not support. */
static bool
read_input(struct arena *ar, struct site *s, struct input_file *in)
{
	struct site before = *s;
	unsigned errors = diag_count(DIAG_ERROR);
	unsigned warnings = diag_count(DIAG_WARNING);
	if (readers[in->kind](ar, in, s)) {
		/* Read in part: an error the reader went on after (a capture
		 * cut short), or a log or status line it could not parse. A
		 * malformed packet is no such loss: it was on the wire. */
		bool lines = input_kind_role(in->kind) == IR_EVIDENCE &&
			     in->kind != INPUT_PCAP;
		in->partial = diag_count(DIAG_ERROR) > errors ||
			      (lines && diag_count(DIAG_WARNING) > warnings);
		return true;
	}
	struct input_file *inputs = s->inputs;
	size_t n = s->ninputs, cap = s->cinputs;
	*s = before;
	s->inputs = inputs, s->ninputs = n, s->cinputs = cap;
	in->failed = true;
	in->why = "could not be read (its diagnostics on stderr say where)";
	return false;
}

static bool
shares_carp(const struct site *a, const struct site *b)
{
	for (size_t i = 0; i < a->ncarps; i++)
		for (size_t j = 0; j < b->ncarps; j++)
			if (ipaddr_cmp(&a->carps[i].addr, &b->carps[j].addr) ==
			    0)
				return true;
	return false;
}

/* A second config.xml for a site: the other node of an HA pair when the
 * two share a CARP VIP (kept as s->ha_node, checked by check/check_ha.c),
 * else refused. */
static bool
load_ha_node(struct arena *ar, struct site *s, struct input_file *in)
{
	struct srcloc loc = {.file = in->path};
	struct site *n = arena_alloc(ar, sizeof(*n));
	n->name = arena_printf(ar, "%s (second node)", s->name);
	bool ok = s->ha_node == NULL && s->kind != SITE_LINUX &&
		  s->kind != SITE_CLOUD;
	if (!ok)
		diag(DIAG_ERROR, &loc,
		     "site '%s' already has %s: give one "
		     "config.xml per site (two for an HA pair)",
		     s->name, s->ha_node ? "two configs" : "a config");
	else if (!readers[in->kind](ar, in, n))
		ok = false;
	else if (!shares_carp(s, n)) {
		diag(DIAG_ERROR, &loc,
		     "site '%s' already has a config, and "
		     "this one shares no CARP virtual IP with it: give one "
		     "config.xml per site (two only for the nodes of an HA "
		     "pair)",
		     s->name);
		ok = false;
	}
	if (!ok) {
		in->failed = true;
		in->why = "a second config that is not the other node of an "
			  "HA pair";
		return false;
	}
	s->ha_node = n;
	in->summary = arena_printf(ar, "%s (second node of the HA pair)",
				   in->summary ? in->summary : "config");
	return true;
}

/* One file of a site. False when an input could not be read (exit 2):
 * a damaged file of a known kind, an unreadable one, or a file the user
 * named that is no kind ipsecdiag reads. */
static bool
load_file(struct arena *ar, struct site *s, const char *path, bool explicit,
	  const struct input_guess *g)
{
	struct input_file *in =
	    ARENA_PUSH(ar, s->inputs, s->ninputs, s->cinputs);
	*in = (struct input_file){.path = arena_strdup(ar, path),
				  .kind = g->kind};
	struct srcloc loc = {.file = in->path};
	if (g->err) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", strerror(g->err));
		in->kind = INPUT_UNKNOWN;
		in->failed = true;
		in->why = "cannot be opened";
		return false;
	}
	if (g->kind == INPUT_UNKNOWN || (g->claim == CLAIM_HINT && !explicit)) {
		in->kind = INPUT_UNKNOWN;
		if (!explicit) {
			skip_note(in, false, g->why);
			return true;
		}
		diag(DIAG_ERROR, &loc,
		     "not read: %s (ipsecdiag reads "
		     "configs, firewall and IPsec logs, captures, SA status "
		     "and host facts)",
		     g->why);
		in->failed = true;
		in->why = g->why;
		return false;
	}
	if (input_kind_role(g->kind) == IR_SKIP) {
		skip_note(in, explicit,
			  arena_printf(
			      ar,
			      "%s: not read "
			      "(ipsecdiag needs none); its contents are never "
			      "printed",
			      input_kind_name(g->kind)));
		return true;
	}
	if (readers[g->kind] == NULL) {
		skip_note(in, explicit,
			  arena_printf(ar,
				       "%s: not read yet by "
				       "this version",
				       input_kind_name(g->kind)));
		return true;
	}
	bool cfg = input_kind_role(g->kind) == IR_CONFIG;
	if (s->kind == SITE_CLOUD && g->kind != INPUT_CLOUD_VPN && cfg) {
		diag(DIAG_ERROR, &loc,
		     "site '%s' holds a cloud VPN "
		     "configuration (the cloud end): give this %s as a site of "
		     "its own",
		     s->name, input_kind_name(g->kind));
		in->failed = true;
		in->why = "a config beside a cloud VPN configuration";
		return false;
	}
	if ((g->kind == INPUT_PFSENSE_XML || g->kind == INPUT_OPNSENSE_XML) &&
	    s->has_config)
		return load_ha_node(ar, s, in);
	return read_input(ar, s, in);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
load_dir(struct arena *ar, struct site *s, const char *dir)
{
	DIR *d = opendir(dir);
	struct srcloc loc = {.file = dir};
	if (d == NULL) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", strerror(errno));
		return false;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char **slot = ARENA_PUSH(ar, names, n, cap);
		size_t dl = strlen(dir);
		bool slash = dl && dir[dl - 1] == '/';
		*slot = arena_printf(ar, "%s%s%s", dir, slash ? "" : "/",
				     e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	/* Configs first: logs and captures are read against them. A status
	 * archive comes after the other configs (a real config.xml beats its
	 * sanitized copy) and before the rest. */
	struct input_guess *g = arena_alloc(ar, (n + 1) * sizeof(*g));
	for (size_t i = 0; i < n; i++)
		input_guess_file(names[i], true, &g[i]);
	bool ok = true;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < n; i++) {
			bool cfg = g[i].claim == CLAIM_SURE &&
				   input_kind_role(g[i].kind) == IR_CONFIG;
			int when = g[i].kind == INPUT_STATUS_ARCHIVE ? 1
				   : cfg			     ? 0
								     : 2;
			if (when == pass)
				ok = load_file(ar, s, names[i], false, &g[i]) &&
				     ok;
		}
	return ok;
}

/* A file the user named: read by its best guess, sure or not, so that
 * its reader says what is wrong with it. */
static bool
load_named(struct arena *ar, struct site *s, const char *path)
{
	struct input_guess g;
	input_guess_file(path, false, &g);
	return load_file(ar, s, path, true, &g);
}

static const char *
base_name(struct arena *ar, const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	return arena_strndup(ar, path + start, n - start);
}

bool
site_load(struct arena *ar, const char *spec, struct site *s)
{
	memset(s, 0, sizeof(*s));
	const char *eq = strchr(spec, '=');
	struct stat st;
	bool ok = true;
	if (eq && eq != spec && stat(spec, &st) != 0) {
		s->name = arena_strndup(ar, spec, (size_t)(eq - spec));
		struct str rest = str_from(eq + 1), tok;
		while (str_next(&rest, ',', &tok)) {
			if (tok.n == 0)
				continue;
			const char *path = arena_strndup(ar, tok.p, tok.n);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				ok = load_dir(ar, s, path) && ok;
			else
				ok = load_named(ar, s, path) && ok;
		}
	} else if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		s->name = base_name(ar, spec);
		ok = load_dir(ar, s, spec);
	} else {
		s->name = base_name(ar, spec);
		ok = load_named(ar, s, spec);
	}
	lx_site_finish(s);
	if (!site_usable(s)) {
		struct srcloc loc = {.file = spec};
		if (ok) /* else the files' own errors said why */
			diag(DIAG_ERROR, &loc,
			     "no usable input for site "
			     "'%s'%s",
			     s->name,
			     s->ninputs
				 ? " ('ipsecdiag "
				   "inputs' says why each file was not used)"
				 : "");
		return false;
	}
	return ok;
}

bool
site_usable(const struct site *s)
{
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind != INPUT_UNKNOWN &&
		    !s->inputs[i].failed && !s->inputs[i].why)
			return true;
	return false;
}

bool
sites_usable(struct site *const *sites, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!site_usable(sites[i]))
			return false;
	return true;
}

void
site_describe(FILE *f, const struct site *s)
{
	fprintf(f, "site %s:", s->name);
	const char *sep = " ";
	if (s->has_config) {
		size_t enabled_rules = 0;
		for (size_t i = 0; i < s->nrules; i++)
			enabled_rules += !s->rules[i].disabled;
		fprintf(f, "%s%s config %s", sep,
			s->kind == SITE_OPNSENSE ? "OPNsense"
			: s->kind == SITE_LINUX	 ? "Linux"
						 : "pfSense",
			s->config_version ? s->config_version : "?");
		if (s->product_version)
			fprintf(f, " (%s)", s->product_version);
		fprintf(f, ", %zu phase 1, %zu phase 2, %zu rules", s->np1,
			s->np2, enabled_rules);
		if (s->ha_node)
			fprintf(f, "; HA pair, second node's config %s",
				s->ha_node->config_version
				    ? s->ha_node->config_version
				    : "?");
		sep = "; ";
	}
	for (size_t i = 0; i < s->ninputs; i++) {
		const struct input_file *in = &s->inputs[i];
		if (((in->kind == INPUT_PFSENSE_XML ||
		      in->kind == INPUT_OPNSENSE_XML) &&
		     !in->failed) ||
		    in->kind == INPUT_UNKNOWN || (in->why && !in->failed))
			continue;
		if (in->failed)
			fprintf(f, "%s%s not read", sep,
				input_kind_name(in->kind));
		else
			fprintf(f, "%s%s", sep,
				in->summary ? in->summary
					    : input_kind_name(in->kind));
		sep = "; ";
	}
	if (strcmp(sep, " ") == 0)
		fputs(" nothing read", f);
	fputc('\n', f);
}

bool
sites_load(struct arena *ar, char **specs, size_t n, bool quiet,
	   struct site ***out)
{
	struct site **sites = arena_alloc(ar, (n + 1) * sizeof(*sites));
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		sites[i] = arena_alloc(ar, sizeof(**sites));
		ok = site_load(ar, specs[i], sites[i]) && ok;
		for (size_t j = 0; j < i; j++)
			if (strcmp(sites[j]->name, sites[i]->name) == 0)
				sites[i]->name = arena_printf(
				    ar, "%s#%zu", sites[i]->name, i + 1);
		if (!quiet)
			site_describe(stderr, sites[i]);
	}
	*out = sites;
	return ok;
}
