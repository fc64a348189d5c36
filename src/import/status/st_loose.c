/* The status archive's facts as loose files in a site folder (OPNsense
 * and other FreeBSD boxes have no archive, doc/behaviour/loose-files.md
 * §1): `setkey -DP`, `netstat -rnW`, `ifconfig -a`, read by the archive's
 * own member readers (st_net.c) into the same box state. */
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"
#include "import/status/st_readers.h"

typedef size_t (*loose_reader)(struct arena *, struct boxstate *, const char *,
			       const char *, size_t);

/* The first non-blank line (for a diagnostic that points somewhere). */
static struct srcloc
first_text(const char *file, const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		if (t.n)
			return (struct srcloc){file, it.lineno,
					       lx_col(line, t.p), 0};
	}
	return (struct srcloc){file, 1, 1, 0};
}

/* The box state now holds loose facts: `show` and the checks use it as
 * they use the archive's. */
static void
box_mark(struct boxstate *b)
{
	b->present = true;
	if (b->archive == NULL)
		b->archive = "loose files";
}

/* An interface name only a pf / IPsec box has. */
static bool
fw_only_name(const char *n)
{
	return strcmp(n, "enc0") == 0 || strncmp(n, "pflog", 5) == 0 ||
	       strncmp(n, "pfsync", 6) == 0 ||
	       (strncmp(n, "ipsec", 5) == 0 && n[5] >= '0' && n[5] <= '9');
}

/* Is n one of the config's interface devices (not the loopback)? */
static bool
config_dev(const struct site *s, const char *n)
{
	if (strncmp(n, "lo", 2) == 0)
		return false;
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].dev && strcmp(s->ifaces[i].dev, n) == 0)
			return true;
	return false;
}

/* Whose output is this, the firewall's or a LAN host's (the same
 * commands, doc/behaviour/loose-files.md §1)? The firewall's when it
 * names an interface only a firewall has, or, beside a firewall config,
 * one of its devices; without a config, when it has what only the
 * firewall command adds (want_box). A Linux site's is a host's. */
static bool
loose_is_box(const struct site *s, const char *const *names, size_t n,
	     bool want_box)
{
	if (s->kind == SITE_LINUX || s->kind == SITE_CLOUD)
		return false;
	for (size_t i = 0; i < n; i++)
		if (names[i] && fw_only_name(names[i]))
			return true;
	if (s->has_config) {
		for (size_t i = 0; i < n; i++)
			if (names[i] && config_dev(s, names[i]))
				return true;
		return false;
	}
	return want_box;
}

/* What a reader added, to take back when the file is a host's. */
struct box_undo {
	size_t nroutes, nifs, ncarp, nspd, nneigh;
	bool has_routes, has_ifs, has_spd, has_arp;
	const char *routes_file, *ifs_file, *spd_file, *arp_file;
};

static struct box_undo
box_save(const struct boxstate *b)
{
	return (struct box_undo){
	    .nroutes = b->nroutes,
	    .nifs = b->nifs,
	    .ncarp = b->ncarp,
	    .nspd = b->nspd,
	    .nneigh = b->nneigh,
	    .has_routes = b->has_routes,
	    .has_ifs = b->has_ifs,
	    .has_spd = b->has_spd,
	    .has_arp = b->has_arp,
	    .routes_file = b->routes_file,
	    .ifs_file = b->ifs_file,
	    .spd_file = b->spd_file,
	    .arp_file = b->arp_file,
	};
}

static void
box_restore(struct boxstate *b, const struct box_undo *m)
{
	b->nroutes = m->nroutes, b->nifs = m->nifs, b->ncarp = m->ncarp;
	b->nspd = m->nspd, b->nneigh = m->nneigh;
	b->has_routes = m->has_routes, b->has_ifs = m->has_ifs;
	b->has_spd = m->has_spd, b->has_arp = m->has_arp;
	b->routes_file = m->routes_file, b->ifs_file = m->ifs_file;
	b->spd_file = m->spd_file, b->arp_file = m->arp_file;
}

/* Reads the file with fn; 0 items (or only a command's error text) is an
 * error unless the empty marker says the table is empty. *host is set
 * when decide() says the output is a LAN host's: the items are taken
 * back and the caller reads the file as host facts. */
static bool
loose_read(struct arena *ar, struct input_file *in, struct site *s,
	   loose_reader fn, const char *what, const char *cmd,
	   const char *empty,
	   bool (*decide)(const struct site *, const struct boxstate *,
			  const struct box_undo *, const char *, size_t),
	   bool *host)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct boxstate *b = &s->ev.box;
	struct box_undo m = box_save(b);
	size_t n = fn(ar, b, in->path, buf, len);
	if (decide && !decide(s, b, &m, buf, len)) {
		box_restore(b, &m);
		*host = true;
		return true;
	}
	if (n == 0 && !(empty && memmem(buf, len, empty, strlen(empty)))) {
		struct srcloc loc = first_text(in->path, buf, len);
		diag(DIAG_ERROR, &loc,
		     "no %s understood: not the output of `%s` (or "
		     "only its error text)",
		     what, cmd);
		return false;
	}
	box_mark(b);
	in->summary = arena_printf(ar, "%s %zu %s", cmd, n, what);
	return true;
}

/* netstat: the Netif column; -W adds Mtu (a firewall's dump). */
static bool
netstat_is_box(const struct site *s, const struct boxstate *b,
	       const struct box_undo *m, const char *buf, size_t len)
{
	size_t n = b->nroutes - m->nroutes, k = 0;
	const char **names = n ? malloc(n * sizeof(*names)) : NULL;
	for (size_t i = 0; names && i < n; i++)
		names[k++] = b->routes[m->nroutes + i].netif;
	bool mtu = memmem(buf, len, " Mtu ", 5) != NULL;
	bool r = loose_is_box(s, names, k, mtu || n == 0);
	free(names);
	return r;
}

static bool
ifconfig_is_box(const struct site *s, const struct boxstate *b,
		const struct box_undo *m, const char *buf, size_t len)
{
	(void)buf, (void)len;
	size_t n = b->nifs - m->nifs, k = 0;
	const char **names = n ? malloc(n * sizeof(*names)) : NULL;
	for (size_t i = 0; names && i < n; i++)
		names[k++] = b->ifs[m->nifs + i].name;
	bool carp = b->ncarp > m->ncarp;
	bool r = carp || loose_is_box(s, names, k, n == 0);
	free(names);
	return r;
}

static bool
arp_is_box(const struct site *s, const struct boxstate *b,
	   const struct box_undo *m, const char *buf, size_t len)
{
	(void)buf, (void)len;
	size_t n = b->nneigh - m->nneigh, k = 0;
	const char **names = n ? malloc(n * sizeof(*names)) : NULL;
	for (size_t i = 0; names && i < n; i++)
		names[k++] = b->neigh[m->nneigh + i].ifname;
	bool r = loose_is_box(s, names, k, n == 0);
	free(names);
	return r;
}

/* arp -an of the firewall (FreeBSD: "? (IP) at MAC on IF ..."): its
 * neighbours, evidence for the host findings. Another machine's (macOS
 * prints the same) is not the box's: noted, not used. */
bool
box_arp_import(struct arena *ar, struct input_file *in, struct site *s)
{
	bool host = false;
	if (!loose_read(ar, in, s, st_read_arp, "ARP entries", "arp -an", NULL,
			arp_is_box, &host))
		return false;
	if (host) {
		struct srcloc loc = {.file = in->path};
		diag(DIAG_NOTE, &loc,
		     "an ARP table naming none of the firewall's "
		     "interfaces: another machine's, not used");
		in->summary = "arp -an of another machine (not used)";
	}
	return true;
}

/* setkey -DP. A policy cut before its direction line is kept (its
 * selectors are real) but said. */
bool
box_spd_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t first = s->ev.box.nspd;
	bool host = false;
	if (!loose_read(ar, in, s, st_read_spd, "kernel policies", "setkey -DP",
			"No SPD entries", NULL, &host))
		return false;
	const struct boxstate *b = &s->ev.box;
	for (size_t i = first; i < b->nspd; i++)
		if (b->spd[i].dir == BSPD_OTHER || b->spd[i].action == NULL) {
			struct srcloc loc = b->spd[i].loc;
			loc.col = 1;
			diag(DIAG_WARNING, &loc,
			     "policy without its direction line "
			     "(\"<tab>out ipsec\"): the file is cut here?");
		}
	return true;
}

/* netstat -rnW (both FreeBSD headers, doc/behaviour/status-archive.md
 * §3.10), or -rn without the Mtu column; a LAN host's is host facts. */
bool
box_netstat_import(struct arena *ar, struct input_file *in, struct site *s)
{
	bool host = false;
	if (!loose_read(ar, in, s, st_read_netstat, "routes", "netstat -rn",
			NULL, netstat_is_box, &host))
		return false;
	if (host)
		in->kind = INPUT_HOST_PASTE;
	return host ? hosts_import(ar, in, s) : true;
}

/* ifconfig -a / -vvvvvam of the firewall: the box's interfaces; a DHCP
 * or PPPoE interface of the config takes its address from it. A LAN
 * host's FreeBSD ifconfig is host facts. */
bool
box_ifconfig_import(struct arena *ar, struct input_file *in, struct site *s)
{
	bool host = false;
	if (!loose_read(ar, in, s, st_read_ifconfig, "interfaces", "ifconfig",
			NULL, ifconfig_is_box, &host))
		return false;
	if (host) {
		in->kind = INPUT_HOST_PASTE;
		return hosts_import(ar, in, s);
	}
	size_t filled = st_fill_dynamic(ar, s);
	const struct boxstate *b = &s->ev.box;
	if (b->ncarp || filled)
		in->summary = arena_printf(
		    ar, "%s, %zu CARP addresses, %zu dynamic addresses",
		    in->summary, b->ncarp, filled);
	return true;
}
