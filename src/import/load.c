/* SITE arguments to sites: list the files, recognise, import. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/load.h"
#include "import/status/st_archive.h"

static const struct {
	enum input_kind kind;
	importer_fn fn;
} importers[] = {
	{INPUT_PFSENSE_XML, cfg_pfsense_import},
	{INPUT_OPNSENSE_XML, cfg_pfsense_import},
	{INPUT_HOSTS, hosts_import},
	{INPUT_FILTERLOG, log_filterlog_import},
	{INPUT_PCAP, pcap_import},
	{INPUT_SWANCTL_CONF, cfg_swanctl_import},
	{INPUT_IPSEC_CONF, cfg_ipsecconf_import},
	{INPUT_NFT, cfg_nft_import},
	{INPUT_IPTABLES, cfg_iptables_import},
	{INPUT_IP_ADDR, cfg_ipaddr_import},
	{INPUT_IP_ROUTE, cfg_iproute_import},
	{INPUT_IP_RULE, cfg_iprule_import},
	{INPUT_SA_STATUS, status_sa_import},
	{INPUT_IPSEC_LOG, log_ipsec_import},
	{INPUT_STATUS_ARCHIVE, status_archive_import},
};

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
		diag(DIAG_ERROR, &loc, "file is %lld bytes, larger than the "
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
				diag(DIAG_ERROR, &loc, "input larger than the "
				     "%zu byte limit", max);
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

static enum input_kind
recognize_file(const char *path)
{
	unsigned char head[8192];
	if (st_archive_probe(path)) /* a tar.gz: the status archive */
		return INPUT_STATUS_ARCHIVE;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return INPUT_UNKNOWN;
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return input_recognize(head, n, path);
}

/* Kinds that describe the site's configuration, read before evidence. */
static bool
is_config_kind(enum input_kind k)
{
	switch (k) {
	case INPUT_PFSENSE_XML:
	case INPUT_OPNSENSE_XML:
	case INPUT_HOSTS:
	case INPUT_SWANCTL_CONF:
	case INPUT_IPSEC_CONF:
	case INPUT_NFT:
	case INPUT_IPTABLES:
	case INPUT_IP_ADDR:
	case INPUT_IP_ROUTE:
	case INPUT_IP_RULE:
		return true;
	default:
		return false;
	}
}

static importer_fn
importer_for(enum input_kind kind)
{
	for (size_t i = 0; i < sizeof(importers) / sizeof(*importers); i++)
		if (importers[i].kind == kind)
			return importers[i].fn;
	return NULL;
}

static bool
load_file(struct arena *ar, struct site *s, const char *path, bool explicit)
{
	struct srcloc loc = {.file = path};
	struct stat st;
	if (stat(path, &st) != 0) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", strerror(errno));
		return false;
	}
	enum input_kind kind = recognize_file(path);
	struct input_file *in = ARENA_PUSH(ar, s->inputs, s->ninputs,
					   s->cinputs);
	in->path = arena_strdup(ar, path);
	in->kind = kind;
	if (kind == INPUT_UNKNOWN) {
		if (explicit || st.st_size == 0)
			diag(explicit ? DIAG_ERROR : DIAG_NOTE, &loc,
			     "%s: not a file ipsecdiag knows (config.xml, "
			     "firewall log, capture, host facts, ...)",
			     st.st_size == 0 ? "empty file" : "unrecognised");
		else
			diag(DIAG_NOTE, &loc, "unrecognised file, skipped");
		in->failed = explicit;
		return !explicit;
	}
	importer_fn fn = importer_for(kind);
	if (fn == NULL) {
		diag(DIAG_NOTE, &loc, "%s: not read by this version",
		     input_kind_name(kind));
		return true;
	}
	if (!fn(ar, in, s)) {
		in->failed = true;
		return false;
	}
	return true;
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
	bool ok = true;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < n; i++) {
			struct stat st;
			if (stat(names[i], &st) != 0 || !S_ISREG(st.st_mode))
				continue;
			enum input_kind k = recognize_file(names[i]);
			int when = k == INPUT_STATUS_ARCHIVE ? 1 :
				   is_config_kind(k)	     ? 0 : 2;
			if (when == pass)
				ok = load_file(ar, s, names[i], false) && ok;
		}
	return ok;
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
				ok = load_file(ar, s, path, true) && ok;
		}
	} else if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		s->name = base_name(ar, spec);
		ok = load_dir(ar, s, spec);
	} else {
		s->name = base_name(ar, spec);
		ok = load_file(ar, s, spec, true);
	}
	size_t used = 0;
	for (size_t i = 0; i < s->ninputs; i++)
		used += s->inputs[i].kind != INPUT_UNKNOWN &&
			!s->inputs[i].failed;
	if (used == 0) {
		struct srcloc loc = {.file = spec};
		if (ok)
			diag(DIAG_ERROR, &loc, "no usable input for site '%s'",
			     s->name);
		return false;
	}
	return ok;
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
			s->kind == SITE_OPNSENSE ? "OPNsense" :
			s->kind == SITE_LINUX	 ? "Linux" : "pfSense",
			s->config_version ? s->config_version : "?");
		if (s->product_version)
			fprintf(f, " (%s)", s->product_version);
		fprintf(f, ", %zu phase 1, %zu phase 2, %zu rules", s->np1,
			s->np2, enabled_rules);
		sep = "; ";
	}
	for (size_t i = 0; i < s->ninputs; i++) {
		const struct input_file *in = &s->inputs[i];
		if (in->kind == INPUT_PFSENSE_XML ||
		    in->kind == INPUT_OPNSENSE_XML || in->kind == INPUT_UNKNOWN)
			continue;
		fprintf(f, "%s%s", sep,
			in->summary ? in->summary : input_kind_name(in->kind));
		sep = "; ";
	}
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
