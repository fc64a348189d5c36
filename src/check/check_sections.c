/* Which sections of the guide the inputs decide, and for the others what
 * to collect next (doc/ARCHITECTURE.md §4). */
#include <string.h>

#include "check/check.h"
#include "engine/ruleset.h"

static bool
all(const struct analysis *an, bool (*pred)(const struct site *))
{
	if (an->nsites == 0)
		return false;
	for (size_t i = 0; i < an->nsites; i++)
		if (!pred(an->sites[i]))
			return false;
	return true;
}

static bool
has_config(const struct site *s)
{
	return s->has_config;
}

static bool
has_log(const struct site *s)
{
	return s->ev.has_log;
}

static bool
has_status(const struct site *s)
{
	return s->ev.has_status;
}

/* Host facts or a LAN capture for the hosts of every examined flow.
 * A pasted ipconfig / ip addr says nothing of the host's own firewall:
 * it does not count for that (fw). */
static bool
known(const struct site *s, const struct ipaddr *a, bool fw)
{
	const struct host *h = site_host(s, a);
	if (site_is_own_addr(s, a)) /* the firewall itself (trace self) */
		return true;
	return h && !(fw && h->pasted);
}

static bool
hosts_known(const struct analysis *an, bool fw)
{
	if (an->nflows == 0)
		return false;
	for (size_t i = 0; i < an->nflows; i++) {
		const struct packet *p = &an->flows[i].pkt;
		bool src = false, dst = false;
		for (size_t j = 0; j < an->nsites; j++) {
			src = src || known(an->sites[j], &p->src, fw);
			dst = dst || known(an->sites[j], &p->dst, fw);
		}
		if (!src || !dst)
			return false;
	}
	return true;
}

static bool
lan_captured(const struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct evidence *ev = &an->sites[i]->ev;
		bool lan = false;
		for (size_t j = 0; j < ev->nobs; j++) {
			const struct iface *f =
			    site_iface_by_dev(an->sites[i], ev->obs[j].iface);
			lan =
			    lan ||
			    (f && (f->role == ROLE_LAN || f->role == ROLE_OPT));
		}
		if (!lan)
			return false;
	}
	return an->nsites > 0;
}

static const char *
example_flow(struct analysis *an, const struct site **dst_site)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	*dst_site = NULL;
	for (size_t i = 0; i < an->nflows; i++) {
		const struct flow_trace *ft = &an->flows[i];
		*dst_site = engine_site_of(an->eng, &ft->pkt.dst);
		return arena_printf(an->ar, "%s|%s",
				    ipaddr_format(&ft->pkt.src, a),
				    ipaddr_format(&ft->pkt.dst, b));
	}
	return NULL;
}

static void
collect_hosts(struct analysis *an)
{
	const struct site *ds;
	const char *ex = example_flow(an, &ds);
	const char *src = "a local host", *dst = "the remote host";
	if (ex) {
		char *bar = strchr(ex, '|');
		src = arena_strndup(an->ar, ex, (size_t)(bar - ex));
		dst = bar + 1;
	}
	const char *site = ds ? ds->name : "the far site";
	const char *cap = arena_printf(
	    an->ar,
	    "on %s, Diagnostics > Packet Capture, interface LAN, "
	    "host %s, while pinging %s from %s: a request with no "
	    "reply, or a reply to another MAC, means the host's "
	    "gateway or firewall; or write a 'hosts' file (host %s "
	    "mask 24 gateway ADDRESS) into %s's folder",
	    site, dst, dst, src, dst, site);
	findings_collect(an->ar, &an->fs, SEC_HOST_GATEWAY, site, cap);
	findings_collect(an->ar, &an->fs, SEC_HOST_MASK, NULL,
			 arena_printf(an->ar,
				      "the subnet mask and gateway of "
				      "%s and %s (ipconfig / ip addr), or LAN "
				      "captures showing ARP requests for "
				      "remote addresses",
				      src, dst));
	findings_collect(an->ar, &an->fs, SEC_HOST_FIREWALL, site,
			 arena_printf(an->ar,
				      "a capture on %s's LAN while "
				      "connecting to %s: requests delivered "
				      "with no answer, ICMP admin-prohibited "
				      "or TCP RST point to its own firewall",
				      site, dst));
}

/* pfSense's status archive holds the box's own state (SAs, kernel
 * policies, routes, interfaces, ARP): asked for first, where it helps
 * (doc/behaviour/status-archive.md §1). */
static const char archive_what[] = "status archive: ";

static void
collect_archive(struct analysis *an, const struct site *s)
{
	findings_collect(an->ar, &an->fs, SEC_HOST_GATEWAY, s->name,
			 arena_printf(an->ar,
				      "%s%s's status_output.tgz into its "
				      "folder: browse to https://<firewall>/"
				      "status.php (admin login), wait for the "
				      "page to finish, click Download; or on "
				      "the console/SSH (2.4.5+) run 'php "
				      "/usr/local/www/status.php' and copy "
				      "/tmp/status_output.tgz. It holds the "
				      "box's SAs, kernel policies, routes, "
				      "interfaces and ARP table",
				      archive_what, s->name));
}

/* OPNsense has no status archive: the same facts, one command per file
 * in the site folder, recognised by content
 * (doc/behaviour/loose-files.md). */
static void
collect_opnsense_state(struct analysis *an, const struct site *s)
{
	findings_collect(an->ar, &an->fs, SEC_HOST_GATEWAY, s->name,
			 arena_printf(an->ar,
				      "%sthe output of these commands on %s "
				      "(console or SSH), one file each, into "
				      "its folder: 'configctl ipsec list "
				      "status' (SAs), 'setkey -DP' (kernel "
				      "policies), 'netstat -rnW' (routes), "
				      "'ifconfig -a' (interfaces, MTU, CARP), "
				      "'arp -an', and 'pfctl -vvsr' with a "
				      "copy of /tmp/rules.debug (the ruleset "
				      "pf runs)",
				      "box state: ", s->name));
}

void
check_sections(struct analysis *an)
{
	struct findings *fs = &an->fs;
	bool cfg = all(an, has_config);
	bool two = an->nsites >= 2 && cfg;
	fs->decided[SEC_IPSEC_RULES] = cfg;
	fs->decided[SEC_WAN_BLOCKS] = cfg;
	fs->decided[SEC_LAN_RULES] = cfg;
	fs->decided[SEC_ROUTING] = cfg;
	fs->decided[SEC_CONNECTION_HANGS] = cfg;
	fs->decided[SEC_DISAPPEARING] = cfg;
	fs->decided[SEC_BEYOND] = cfg;
	fs->decided[SEC_SETTING_MISMATCH] = two || all(an, has_status);
	fs->decided[SEC_RULES_BOTH_ENDS] = two;
	fs->decided[SEC_FIREWALL_LOGS] = all(an, has_log);
	bool hosts = hosts_known(an, false) || lan_captured(an);
	fs->decided[SEC_HOST_GATEWAY] = hosts;
	fs->decided[SEC_HOST_MASK] = hosts;
	fs->decided[SEC_HOST_FIREWALL] =
	    hosts_known(an, true) || lan_captured(an);
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *s = an->sites[i];
		if (s->kind == SITE_CLOUD)
			continue; /* no firewall log or config.xml there */
		if (s->kind == SITE_PFSENSE && !s->ev.box.present)
			collect_archive(an, s);
		if (s->kind == SITE_OPNSENSE && !s->ev.box.present)
			collect_opnsense_state(an, s);
		if (!s->ev.has_log)
			findings_collect(
			    an->ar, fs, SEC_FIREWALL_LOGS, s->name,
			    arena_printf(an->ar,
					 "%s's firewall log: "
					 "Status > System Logs > "
					 "Firewall, or "
					 "/var/log/filter.log (and "
					 "filter.log.0, ...) into "
					 "its folder",
					 s->name));
		if (!s->has_config)
			findings_collect(
			    an->ar, fs, SEC_RULES_BOTH_ENDS, s->name,
			    arena_printf(an->ar,
					 "%s's configuration: "
					 "Diagnostics > Backup & "
					 "Restore, download "
					 "config.xml (unencrypted) "
					 "into its folder",
					 s->name));
	}
	if (an->nsites < 2) {
		findings_collect(
		    an->ar, fs, SEC_SETTING_MISMATCH, NULL,
		    "the other end's configuration (config.xml, or "
		    "swanctl.conf for strongSwan), or 'swanctl "
		    "--list-sas' / Status > IPsec output showing "
		    "the installed selectors");
		findings_collect(an->ar, fs, SEC_RULES_BOTH_ENDS, NULL,
				 "the other end's configuration");
	}
	if (!hosts || !fs->decided[SEC_HOST_FIREWALL])
		collect_hosts(an);
	/* log evidence in a finding decides the logs section too */
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; j < fs->f[i].nev; j++)
			if (fs->f[i].ev[j].kind == EVREF_LOG)
				fs->decided[SEC_FIREWALL_LOGS] = true;
	/* a section with findings is decided by them */
	for (size_t i = 0; i < fs->n; i++)
		fs->decided[fs->f[i].section] = true;
	size_t w = 0;
	for (size_t i = 0; i < fs->nc; i++)
		if (!fs->decided[fs->c[i].section])
			fs->c[w++] = fs->c[i];
	fs->nc = w;
}
