/* SITE arguments to sites: list the files, recognise, import. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/cloud/cloud.h"
#include "import/linux/linux.h"
#include "import/load.h"
#include "import/textstream.h"
#include "import/status/st_archive.h"

#define INPUT(id, key, name, role, rec, reader, adds) [INPUT_##id] = reader,
static const importer_fn readers[] = {
#include "model/inputs.def"
};
#undef INPUT

static size_t
utf8_put(char *out, size_t at, size_t cap, unsigned c)
{
	unsigned char b[3];
	size_t k;
	if (c < 0x80)
		b[0] = (unsigned char)c, k = 1;
	else if (c < 0x800)
		b[0] = (unsigned char)(0xc0 | c >> 6),
		b[1] = (unsigned char)(0x80 | (c & 0x3f)), k = 2;
	else
		b[0] = (unsigned char)(0xe0 | c >> 12),
		b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f)),
		b[2] = (unsigned char)(0x80 | (c & 0x3f)), k = 3;
	if (at + k >= cap)
		return at;
	memcpy(out + at, b, k);
	return at + k;
}

size_t
utf16_to_utf8(const unsigned char *in, size_t n, char *out, size_t cap)
{
	if (n < 2 || cap == 0)
		return 0;
	bool le = in[0] == 0xff && in[1] == 0xfe;
	if (!le && !(in[0] == 0xfe && in[1] == 0xff))
		return 0;
	size_t at = 0;
	for (size_t i = 2; i + 1 < n; i += 2) {
		unsigned c = le ? (unsigned)(in[i] | in[i + 1] << 8)
				: (unsigned)(in[i] << 8 | in[i + 1]);
		if (c >= 0xd800 && c < 0xe000)
			c = '?'; /* surrogate halves: no address is made of them
				  */
		size_t next = utf8_put(out, at, cap, c);
		if (next == at)
			break;
		at = next;
	}
	out[at] = '\0';
	return at;
}

/* A UTF-16 file is read as the UTF-8 it stands for. */
static char *
slurp_utf16(struct arena *ar, char *buf, size_t *len)
{
	size_t cap = *len / 2 * 3 + 1;
	char *out = arena_alloc(ar, cap);
	size_t k = utf16_to_utf8((const unsigned char *)buf, *len, out, cap);
	if (k == 0)
		return buf;
	*len = k;
	return out;
}

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
	return slurp_utf16(ar, buf, len);
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

/* How many addresses the box shows on n's statically addressed
 * interfaces (matched by device) that n's config does not have: none for
 * n's own archive, some for the other node's (doc/behaviour/ha.md §2). */
static size_t
node_foreign(const struct site *n, const struct boxstate *b)
{
	size_t k = 0;
	for (size_t i = 0; n && i < b->nifs; i++) {
		const struct iface *f = site_iface_by_dev(n, b->ifs[i].name);
		if (f == NULL || f->naddrs == 0 || f->ipaddr_mode)
			continue;
		for (size_t j = 0; j < b->ifs[i].naddrs; j++) {
			const struct ipaddr *a = &b->ifs[i].addrs[j].addr;
			k += a->fam == FAM_V4 && !site_is_own_addr(n, a);
		}
	}
	return k;
}

/* A status archive for a site with CARP VIPs: the node it comes from, by
 * the addresses of its ifconfig (doc/behaviour/ha.md §2). With no second
 * node yet, an archive of another node whose sanitized config shares a
 * CARP VIP becomes the pair's second node. */
static bool
load_ha_status(struct arena *ar, struct site *s, struct input_file *in)
{
	struct boxstate peek = {0};
	status_archive_addrs(ar, in->path, &peek);
	size_t fa = node_foreign(s, &peek);
	if (s->ha_node) {
		size_t fb = node_foreign(s->ha_node, &peek);
		bool second = fb == 0 && fa > 0;
		if (fa == fb) /* no telling: the first for the first node */
			second =
			    s->ev.box.present && !s->ha_node->ev.box.present;
		if (!second)
			return read_input(ar, s, in);
		if (!read_input(ar, s->ha_node, in))
			return false;
		in->summary = arena_printf(ar, "%s (second node)", in->summary);
		return true;
	}
	if (fa == 0 || peek.nifs == 0)
		return read_input(ar, s, in);
	struct site *n = arena_alloc(ar, sizeof(*n));
	n->name = arena_printf(ar, "%s (second node)", s->name);
	if (!readers[in->kind](ar, in, n) || !shares_carp(s, n))
		return read_input(ar, s, in);
	s->ha_node = n;
	in->summary =
	    arena_printf(ar, "%s (second node of the HA pair)", in->summary);
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
				  .kind = g->kind,
				  .gateways = g->gateways};
	struct srcloc loc = {.file = in->path};
	if (g->err && !explicit) {
		/* a dangling or looping link, a file without read permission:
		 * whatever a folder holds must not stop the run */
		in->kind = INPUT_UNKNOWN;
		skip_note(in, false,
			  arena_printf(ar, "cannot be opened (%s)",
				       strerror(g->err)));
		return true;
	}
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
	if (g->kind == INPUT_STATUS_ARCHIVE && s->has_config && s->ncarps)
		return load_ha_status(ar, s, in);
	return read_input(ar, s, in);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What tells two copies of one firewall's config apart: its host name
 * and the time of its last change (<revision><time>, written by every
 * save, doc/behaviour/real-bundles.md §1). */
struct cfg_stamp {
	const char *host;  /* hostname.domain, NULL when absent */
	double time;	   /* 0 when absent */
	bool carp;	   /* holds a CARP virtual IP */
	const char *addrs; /* its <ipaddr>s in order: a node's own */
};

/* The text of the first <tag>...</tag> on line, or NULL. */
static const char *
tag_text(struct arena *ar, const char *l, const char *tag)
{
	char open[32], close[32];
	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	const char *a = strstr(l, open);
	const char *b = a ? strstr(a, close) : NULL;
	if (b == NULL)
		return NULL;
	a += strlen(open);
	return arena_strndup(ar, a, (size_t)(b - a));
}

static struct cfg_stamp
cfg_stamp_of(struct arena *ar, const char *path)
{
	struct cfg_stamp st = {0};
	const char *why, *host = NULL, *dom = NULL, *addrs = "";
	struct textstream *t = textstream_open(path, 1 << 16, 0, 0, &why);
	if (t == NULL)
		return st;
	struct str line;
	bool in_rev = false;
	enum ts_status r;
	while ((r = textstream_next(t, &line)) == TS_LINE || r == TS_LONG) {
		if (r == TS_LONG)
			continue;
		/* the stamps are short lines: the head of a line suffices */
		char l[512];
		size_t k = line.n < sizeof(l) - 1 ? line.n : sizeof(l) - 1;
		memcpy(l, line.p, k);
		l[k] = '\0';
		const char *v;
		if (host == NULL && (v = tag_text(ar, l, "hostname")))
			host = v;
		if (dom == NULL && (v = tag_text(ar, l, "domain")))
			dom = v;
		if ((v = tag_text(ar, l, "ipaddr")) && strlen(addrs) < 400)
			addrs = arena_printf(ar, "%s %s", addrs, v);
		st.carp = st.carp || strstr(l, "<mode>carp</mode>") != NULL;
		if (strstr(l, "<revision>") != NULL)
			in_rev = true;
		if (in_rev && st.time == 0 && (v = tag_text(ar, l, "time")))
			st.time = strtod(v, NULL);
		if (strstr(l, "</revision>") != NULL)
			in_rev = false;
	}
	textstream_close(t);
	if (host && *host)
		st.host = arena_printf(ar, "%s.%s", host, dom ? dom : "");
	st.addrs = addrs;
	return st;
}

static bool
is_config_xml(const struct input_guess *g)
{
	return g->claim == CLAIM_SURE &&
	       (g->kind == INPUT_PFSENSE_XML || g->kind == INPUT_OPNSENSE_XML);
}

/* Two copies of one firewall's config, not the two nodes of an HA pair
 * (which share the CARP VIPs, each with its own interface addresses,
 * and may share the host name too). */
static bool
same_box(const struct cfg_stamp *a, const struct cfg_stamp *b)
{
	if (a->host == NULL || b->host == NULL || strcmp(a->host, b->host))
		return false;
	return !(a->carp && b->carp && strcmp(a->addrs, b->addrs) != 0);
}

/* b is the copy to read rather than a: the later save, on a tie the one
 * named config.xml, else the later name (backups are named by date). */
static bool
stamp_newer(const struct cfg_stamp *a, const char *an,
	    const struct cfg_stamp *b, const char *bn)
{
	if (a->time != b->time)
		return b->time > a->time;
	bool ac = strcmp(strrchr(an, '/') + 1, "config.xml") == 0;
	bool bc = strcmp(strrchr(bn, '/') + 1, "config.xml") == 0;
	if (ac != bc)
		return bc;
	return strcmp(bn, an) > 0;
}

/* Several copies of one firewall's config in a folder (backups of
 * different dates, a gzip'd copy): the newest is read, the others are
 * skipped with a note. Configs of different hosts are left alone (the
 * two nodes of an HA pair, or a mistake load_ha_node() reports). */
static void
elect_configs(struct arena *ar, char **names, struct input_guess *g, size_t n)
{
	size_t ncfg = 0;
	for (size_t i = 0; i < n; i++)
		ncfg += is_config_xml(&g[i]);
	if (ncfg < 2)
		return;
	struct cfg_stamp *st = arena_alloc(ar, n * sizeof(*st));
	for (size_t i = 0; i < n; i++)
		if (is_config_xml(&g[i]))
			st[i] = cfg_stamp_of(ar, names[i]);
	for (size_t i = 0; i < n; i++) {
		if (!is_config_xml(&g[i]) || st[i].host == NULL)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j == i || !is_config_xml(&g[j]) ||
			    !same_box(&st[i], &st[j]) ||
			    !stamp_newer(&st[i], names[i], &st[j], names[j]))
				continue;
			g[i].kind = INPUT_UNKNOWN;
			g[i].claim = CLAIM_NONE;
			g[i].why = arena_printf(
			    ar,
			    "an older copy of the config of %s (%s is "
			    "newer or preferred): only one is read",
			    st[i].host, strrchr(names[j], '/') + 1);
			break;
		}
	}
}

/* Counts the distinct words after "dev " (ip route) or the link lines
 * with an inet address (ip addr) of a paste: a gateway's own listing
 * names two interfaces or more; a LAN host's, one. */
static size_t
paste_ifaces(const char *t, bool *route, bool *heading)
{
	char devs[8][32];
	size_t nd = 0;
	bool link = false, inet = false;
	*route = *heading = false;
	for (const char *l = t; l && *l;
	     l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (strchr("#=-*[", *l) && *l != '\n')
			*heading = true;
		if (strncmp(l, "default via ", 12) == 0 ||
		    strstr(l, " table 220") != NULL)
			*route = true;
		const char *d = NULL;
		char name[32] = "";
		if (*l >= '0' && *l <= '9' && (d = strstr(l, ": ")) &&
		    d < strchr(l, '\n') && strstr(l, ": <")) {
			inet = false;
			link = strncmp(d + 2, "lo:", 3) != 0;
			sscanf(d + 2, "%31[^:@ ]", name);
		} else if (link && !inet &&
			   (strncmp(l, "    inet ", 9) == 0 ||
			    (strncmp(l, "    inet6 ", 10) == 0 &&
			     !strstr(l, "scope link")))) {
			inet = true;
			snprintf(name, sizeof(name), "#%zu", nd);
		} else if ((d = strstr(l, " dev ")) && d < strchr(l, '\n')) {
			sscanf(d + 5, "%31s", name);
			*route = true;
		}
		bool addr_line = name[0] == '#';
		if (name[0] == '\0' || (!addr_line && !*route))
			continue;
		bool seen = false;
		for (size_t i = 0; i < nd && !seen; i++)
			seen = strcmp(devs[i], name) == 0;
		if (!seen && nd < 8 && strcmp(name, "lo") != 0)
			snprintf(devs[nd++], 32, "%s", name);
	}
	return nd;
}

/* A strongSwan gateway's folder (swanctl.conf or ipsec.conf, no
 * firewall XML): an `ip addr` / `ip route` text without a heading that
 * names two interfaces or more is the gateway's own, as users copy it
 * from its shell, not a LAN host's paste (doc/behaviour/real-bundles.md
 * §2). */
/* Does a strongSwan config line name addr as the gateway's own
 * (local_addrs = ..., left=...)? A one-interface gateway (a cloud VM)
 * is known by it. */
static bool config_names_addr(const char *cfg, const char *addr);

/* The addresses an `ip addr` (inet A/len) or `ip route` (src A) paste
 * names as the box's own. */
static bool
config_names_local(const char *cfg, const char *t)
{
	static const char *const keys[] = {"inet ", "inet6 ", " src "};
	for (size_t k = 0; k < 3; k++)
		for (const char *a = strstr(t, keys[k]); a;
		     a = strstr(a + 1, keys[k])) {
			char addr[64] = "";
			if (sscanf(a + strlen(keys[k]), "%63[0-9a-fA-F.:]",
				   addr) == 1 &&
			    *addr && config_names_addr(cfg, addr))
				return true;
		}
	return false;
}

static bool
config_names_addr(const char *cfg, const char *addr)
{
	for (const char *l = cfg; l && *l;
	     l = strchr(l, '\n'), l = l ? l + 1 : l) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		char line[256];
		snprintf(line, sizeof(line), "%.*s",
			 (int)(len < 255 ? len : 255), l);
		const char *hit = strstr(line, addr);
		char after = hit ? hit[strlen(addr)] : 0;
		if (hit &&
		    (strstr(line, "local_addrs") || strstr(line, "left=") ||
		     strstr(line, "left =")) &&
		    !(after >= '0' && after <= '9') && after != '.')
			return true;
	}
	return false;
}

static void
linux_own_dumps(struct arena *ar, char **names, struct input_guess *g, size_t n)
{
	bool sw = false;
	const char *cfg = "";
	for (size_t i = 0; i < n; i++) {
		if (is_config_xml(&g[i]))
			return;
		bool lx = g[i].claim == CLAIM_SURE &&
			  (g[i].kind == INPUT_SWANCTL_CONF ||
			   g[i].kind == INPUT_IPSEC_CONF);
		size_t len;
		unsigned errs = diag_count(DIAG_ERROR);
		char *c = lx ? file_slurp(ar, names[i], 1 << 20, &len) : NULL;
		if (c && diag_count(DIAG_ERROR) == errs)
			cfg = arena_printf(ar, "%s\n%s", cfg, c);
		sw = sw || lx;
	}
	for (size_t i = 0; sw && i < n; i++) {
		if (g[i].kind != INPUT_HOST_PASTE)
			continue;
		size_t len;
		unsigned errs = diag_count(DIAG_ERROR);
		char *t = file_slurp(ar, names[i], 1 << 20, &len);
		if (t == NULL || diag_count(DIAG_ERROR) != errs)
			continue;
		bool route, heading;
		size_t k = paste_ifaces(t, &route, &heading);
		if (heading || (k < 2 && !config_names_local(cfg, t)))
			continue;
		g[i].kind = route ? INPUT_IP_ROUTE_TEXT : INPUT_IP_ADDR;
		g[i].gateways = true;
	}
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
	elect_configs(ar, names, g, n);
	linux_own_dumps(ar, names, g, n);
	bool ok = true;
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < n; i++) {
			bool cfg = g[i].claim == CLAIM_SURE &&
				   input_kind_role(g[i].kind) == IR_CONFIG;
			/* the box's ifconfig with the archive (which reads
			 * its own first): its addresses orient the SAs */
			int when = g[i].kind == INPUT_STATUS_ARCHIVE ||
					   (g[i].kind == INPUT_BSD_IFCONFIG &&
					    g[i].claim == CLAIM_SURE)
				       ? 1
				   : cfg ? 0
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

/* Files the user named together (NAME=FILE,FILE): in a folder's order,
 * configs first, whatever order they were named in: a Linux box's `ip
 * addr` named before its swanctl.conf was read as a LAN host's paste. */
static bool
load_named_list(struct arena *ar, struct site *s, char **names, size_t n)
{
	struct input_guess *g = arena_alloc(ar, (n + 1) * sizeof(*g));
	for (size_t i = 0; i < n; i++)
		input_guess_file(names[i], false, &g[i]);
	linux_own_dumps(ar, names, g, n);
	bool ok = true;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			bool cfg = g[i].claim == CLAIM_SURE &&
				   input_kind_role(g[i].kind) == IR_CONFIG;
			if ((pass == 0) == cfg)
				ok = load_file(ar, s, names[i], true, &g[i]) &&
				     ok;
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
		char **files = NULL;
		size_t nf = 0, cf = 0;
		while (str_next(&rest, ',', &tok)) {
			if (tok.n == 0)
				continue;
			char *path = arena_strndup(ar, tok.p, tok.n);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				ok = load_dir(ar, s, path) && ok;
			else
				*ARENA_PUSH(ar, files, nf, cf) = path;
		}
		ok = (nf == 1 ? load_named(ar, s, files[0])
			      : load_named_list(ar, s, files, nf)) &&
		     ok;
	} else if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		s->name = base_name(ar, spec);
		ok = load_dir(ar, s, spec);
	} else {
		s->name = base_name(ar, spec);
		ok = load_named(ar, s, spec);
	}
	lx_site_connected(ar, s);
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
