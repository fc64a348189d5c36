/* The firewall's own clients in a pfSense config.xml: the servers its
 * services send to, each with its config line and its source setting
 * when pfSense offers one (doc/behaviour/self-traffic.md §4). */
#include <string.h>

#include "import/pfsense/cfg_internal.h"

struct svc_spec {
	const char *what;
	unsigned proto, port;
};

/* "10.0.2.5", "10.0.2.5:514", "[2001:db8::5]:514", "10.0.2.53@5353",
 * "10.0.2.53#5353": the address; false for names, "#" and "!". */
static bool
target_addr(const char *t, struct ipaddr *out, unsigned *port)
{
	struct str s = str_trim(str_from(t)), a = s, rest;
	uint64_t v;
	if (s.n && s.p[0] == '[') {
		const char *e = memchr(s.p, ']', s.n);
		if (e == NULL)
			return false;
		a = (struct str){s.p + 1, (size_t)(e - s.p - 1)};
		rest = (struct str){e + 1, s.n - (size_t)(e + 1 - s.p)};
		if (rest.n > 1 && rest.p[0] == ':' &&
		    str_to_u64((struct str){rest.p + 1, rest.n - 1}, 65535, &v))
			*port = (unsigned)v;
		return ipaddr_parse(a, out);
	}
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == '@' || s.p[i] == '#' ||
		    (s.p[i] == ':' &&
		     memchr(s.p + i + 1, ':', s.n - i - 1) == NULL &&
		     memchr(s.p, ':', i) == NULL)) {
			a.n = i;
			struct str pt = {s.p + i + 1, s.n - i - 1};
			if (str_to_u64(pt, 65535, &v) && v)
				*port = (unsigned)v;
			break;
		}
	return a.n && ipaddr_parse(a, out);
}

static void
svc_add(struct cfg *c, const struct svc_spec *sp, const char *path,
	const struct xnode *n, const char *target, const char *source,
	const char *fix)
{
	struct self_service v = {.what = sp->what,
				 .path = path,
				 .target = target,
				 .proto = sp->proto,
				 .port = sp->port,
				 .source = source,
				 .fix = fix,
				 .loc = cfg_loc(c, n)};
	if (target == NULL || !target_addr(target, &v.addr, &v.port))
		return; /* a host name: not known offline */
	*ARENA_PUSH(c->ar, c->s->services, c->s->nservices, c->s->cservices) =
	    v;
}

/* Every element named name under parent (repeated elements). */
static void
each_text(struct cfg *c, const struct xnode *parent, const char *name,
	  const struct svc_spec *sp, const char *path, const char *source,
	  const char *fix)
{
	for (const struct xnode *n = xml_child(parent, name); n;
	     n = xml_next_named(n))
		if (n->text && *n->text)
			svc_add(c, sp, path, n, n->text, source, fix);
}

static void
dns(struct cfg *c, const struct xnode *root)
{
	const struct xnode *ub = xml_child(root, "unbound");
	bool unbound = ub && xml_has(ub, "enable");
	const char *outif =
	    unbound ? cfg_str(c, ub, "outgoing_interface") : NULL;
	const char *ubfix = "Services > DNS Resolver > General Settings: "
			    "Outgoing Network Interfaces: LAN (the resolver "
			    "then sends from LAN's address)";
	static const struct svc_spec sys = {"DNS server (System > General "
					    "Setup)",
					    PROTO_UDP, 53};
	bool fwd = unbound && xml_has(ub, "forwarding");
	each_text(c, xml_child(root, "system"), "dnsserver", &sys,
		  "system/dnsserver", fwd ? outif : NULL, fwd ? ubfix : NULL);
	static const struct svc_spec ubo = {"DNS Resolver domain override "
					    "(Services > DNS Resolver)",
					    PROTO_UDP, 53};
	for (const struct xnode *d = unbound ? xml_child(ub, "domainoverrides")
					     : NULL;
	     d; d = xml_next_named(d))
		svc_add(c, &ubo, "unbound/domainoverrides/ip",
			xml_child(d, "ip"), xml_text(d, "ip"), outif, ubfix);
	const struct xnode *dm = xml_child(root, "dnsmasq");
	static const struct svc_spec dmo = {"DNS Forwarder domain override "
					    "(Services > DNS Forwarder)",
					    PROTO_UDP, 53};
	for (const struct xnode *d = dm && xml_has(dm, "enable")
					 ? xml_child(dm, "domainoverrides")
					 : NULL;
	     d; d = xml_next_named(d)) {
		const char *ip = xml_text(d, "ip");
		const char *at = ip ? strchr(ip, '@') : NULL;
		svc_add(
		    c, &dmo, "dnsmasq/domainoverrides/ip", xml_child(d, "ip"),
		    ip, at ? arena_strdup(c->ar, at + 1) : NULL,
		    "Services > DNS Forwarder > Domain Override: Source IP: "
		    "the LAN address");
	}
}

static void
syslog_servers(struct cfg *c, const struct xnode *root)
{
	const struct xnode *sl = xml_child(root, "syslog");
	if (sl == NULL || !xml_has(sl, "enable"))
		return;
	static const struct svc_spec sp = {"remote syslog server (Status > "
					   "System Logs > Settings)",
					   PROTO_UDP, 514};
	static const char *const keys[] = {"remoteserver", "remoteserver2",
					   "remoteserver3"};
	for (size_t i = 0; i < 3; i++) {
		const struct xnode *n = xml_child(sl, keys[i]);
		if (n && n->text && *n->text)
			svc_add(
			    c, &sp, arena_printf(c->ar, "syslog/%s", keys[i]),
			    n, n->text, cfg_str(c, sl, "sourceip"),
			    "Status > System Logs > Settings: Source Address: "
			    "LAN");
	}
}

/* NTP servers and LDAP/RADIUS authentication servers: the same
 * <system> elements on pfSense and OPNsense, under other GUI names. */
static void
ntp_auth(struct cfg *c, const struct xnode *root)
{
	const struct xnode *sys = xml_child(root, "system");
	static const struct svc_spec ntp[2] = {
	    {"NTP time server (System > General Setup)", PROTO_UDP, 123},
	    {"NTP time server (Services > Network Time > General)", PROTO_UDP,
	     123}};
	const int o = c->opnsense;
	const struct xnode *ts = xml_child(sys, "timeservers");
	struct str rest = str_from(ts && ts->text ? ts->text : ""), w;
	while (str_next(&rest, ' ', &w))
		if (w.n)
			svc_add(c, &ntp[o], "system/timeservers", ts,
				arena_strndup(c->ar, w.p, w.n), NULL, NULL);
	static const struct svc_spec ldap[2] = {
	    {"LDAP authentication server (System > User Manager > "
	     "Authentication Servers)",
	     PROTO_TCP, 389},
	    {"LDAP authentication server (System > Access > Servers)",
	     PROTO_TCP, 389}};
	static const struct svc_spec radius[2] = {
	    {"RADIUS authentication server (System > User Manager > "
	     "Authentication Servers)",
	     PROTO_UDP, 1812},
	    {"RADIUS authentication server (System > Access > Servers)",
	     PROTO_UDP, 1812}};
	for (const struct xnode *a = xml_child(sys, "authserver"); a;
	     a = xml_next_named(a)) {
		const char *type = xml_text(a, "type");
		bool isldap = type && strcmp(type, "ldap") == 0;
		if (!isldap && !(type && strcmp(type, "radius") == 0))
			continue;
		svc_add(c, isldap ? &ldap[o] : &radius[o],
			"system/authserver/host", xml_child(a, "host"),
			xml_text(a, "host"), NULL, NULL);
	}
}

static void
others(struct cfg *c, const struct xnode *root)
{
	ntp_auth(c, root);
	const struct xnode *sn = xml_child(root, "snmpd");
	static const struct svc_spec trap = {"SNMP trap server (Services > "
					     "SNMP)",
					     PROTO_UDP, 162};
	if (sn && xml_has(sn, "enable") && xml_has(sn, "trapenable"))
		each_text(c, sn, "trapserver", &trap, "snmpd/trapserver", NULL,
			  NULL);
	const struct xnode *dr = xml_child(root, "dhcrelay");
	static const struct svc_spec relay = {"DHCP relay server (Services > "
					      "DHCP Relay)",
					      PROTO_UDP, 67};
	const struct xnode *srv =
	    dr && xml_has(dr, "enable") ? xml_child(dr, "server") : NULL;
	struct str rest = str_from(srv && srv->text ? srv->text : ""), w;
	while (str_next(&rest, ',', &w))
		if (w.n)
			svc_add(c, &relay, "dhcrelay/server", srv,
				arena_strndup(c->ar, w.p, w.n), NULL, NULL);
}

/* OPNsense MVC booleans are "1" / "0"; an empty element is off
 * (dnsmasq.inc:37 tests !empty()). */
static bool
mvc_on(const struct xnode *n, const char *name)
{
	const char *t = xml_text(n, name);
	return t && strcmp(t, "1") == 0;
}

/* Unbound (<OPNsense><unboundplus>): the system DNS servers when
 * "Use System Nameservers" forwards to them (unbound.inc:297-325), and
 * the Query Forwarding / DNS over TLS entries (<dots><dot>, written as
 * forward-addr by core/dot.conf:25-54); its Outgoing Network Interfaces
 * are their source (unbound.inc:266-281). self-traffic.md §4a. */
static void
opn_unbound(struct cfg *c, const struct xnode *opn)
{
	const struct xnode *ub = xml_child(opn, "unboundplus");
	const struct xnode *gen = xml_child(ub, "general");
	bool on = mvc_on(gen, "enabled");
	const char *outif = on ? cfg_str(c, gen, "outgoing_interface") : NULL;
	const char *fix = "Services > Unbound DNS > General: Outgoing Network "
			  "Interfaces: LAN (Unbound then sends from LAN's "
			  "address)";
	bool fwd = on && mvc_on(xml_child(ub, "forwarding"), "enabled");
	static const struct svc_spec sys = {"DNS server (System > Settings > "
					    "General)",
					    PROTO_UDP, 53};
	each_text(c, xml_child(c->root, "system"), "dnsserver", &sys,
		  "system/dnsserver", fwd ? outif : NULL, fwd ? fix : NULL);
	static const struct svc_spec fw = {"Unbound query forwarding server "
					   "(Services > Unbound DNS > Query "
					   "Forwarding)",
					   PROTO_UDP, 53};
	static const struct svc_spec dot = {
	    "Unbound DNS over TLS server "
	    "(Services > Unbound DNS > DNS over "
	    "TLS)",
	    PROTO_TCP, 853};
	for (const struct xnode *d =
		 on ? xml_child(xml_child(ub, "dots"), "dot") : NULL;
	     d; d = xml_next_named(d)) {
		if (!mvc_on(d, "enabled"))
			continue;
		const char *type = xml_text(d, "type");
		bool isfwd = type && strcmp(type, "forward") == 0;
		size_t before = c->s->nservices;
		svc_add(c, isfwd ? &fw : &dot,
			"OPNsense/unboundplus/dots/dot/server",
			xml_child(d, "server"), xml_text(d, "server"), outif,
			fix);
		unsigned port;
		if (c->s->nservices > before &&
		    cfg_uint(xml_text(d, "port"), 65535, &port) && port)
			c->s->services[before].port = port;
	}
}

/* Dnsmasq (<dnsmasq>, 25.x MVC mount /dnsmasq; older releases the same
 * element names): domain overrides, passed as --server=/dom/ip@srcip
 * (Dnsmasq/dnsmasq.conf:131-135). */
static void
opn_dnsmasq(struct cfg *c)
{
	const struct xnode *dm = xml_child(c->root, "dnsmasq");
	static const struct svc_spec sp = {"Dnsmasq domain override (Services "
					   "> Dnsmasq DNS & DHCP > Domains)",
					   PROTO_UDP, 53};
	for (const struct xnode *d =
		 mvc_on(dm, "enable") ? xml_child(dm, "domainoverrides") : NULL;
	     d; d = xml_next_named(d)) {
		const char *ip = xml_text(d, "ip");
		const char *at = ip ? strchr(ip, '@') : NULL;
		const char *src = cfg_str(c, d, "srcip");
		svc_add(c, &sp, "dnsmasq/domainoverrides/ip",
			xml_child(d, "ip"), ip,
			src  ? src
			: at ? arena_strdup(c->ar, at + 1)
			     : NULL,
			"Services > Dnsmasq DNS & DHCP > Domains: Source IP: "
			"the LAN address");
	}
}

/* Remote syslog (<OPNsense><Syslog><destinations><destination>,
 * Syslog.xml:21-99): syslog-ng network() with no source address
 * (Syslog/syslog-ng-destinations.conf:24-45). */
static void
opn_syslog(struct cfg *c, const struct xnode *opn)
{
	static const struct svc_spec udp = {"remote syslog destination "
					    "(System > Settings > Logging > "
					    "Remote)",
					    PROTO_UDP, 514};
	static const struct svc_spec tcp = {"remote syslog destination "
					    "(System > Settings > Logging > "
					    "Remote)",
					    PROTO_TCP, 514};
	const struct xnode *ds = xml_path(opn, "Syslog/destinations");
	for (const struct xnode *d = xml_child(ds, "destination"); d;
	     d = xml_next_named(d)) {
		if (!mvc_on(d, "enabled"))
			continue;
		const char *tr = xml_text(d, "transport");
		bool t = tr && (strncmp(tr, "tcp", 3) == 0 ||
				strncmp(tr, "tls", 3) == 0);
		size_t before = c->s->nservices;
		svc_add(c, t ? &tcp : &udp,
			"OPNsense/Syslog/destinations/destination/hostname",
			xml_child(d, "hostname"), xml_text(d, "hostname"), NULL,
			NULL);
		unsigned port;
		if (c->s->nservices > before &&
		    cfg_uint(xml_text(d, "port"), 65535, &port) && port)
			c->s->services[before].port = port;
	}
}

/* DHCP relay (<OPNsense><DHCRelay>, DHCRelay.xml:6-48): an enabled relay
 * names a destination by uuid; its servers are comma separated. */
static void
opn_dhcrelay(struct cfg *c, const struct xnode *opn)
{
	const struct xnode *dr = xml_child(opn, "DHCRelay");
	static const struct svc_spec sp = {"DHCP relay destination (Services "
					   "> DHCRelay)",
					   PROTO_UDP, 67};
	for (const struct xnode *r = xml_child(dr, "relays"); r;
	     r = xml_next_named(r)) {
		const char *want = xml_text(r, "destination");
		if (!mvc_on(r, "enabled") || want == NULL)
			continue;
		for (const struct xnode *d = xml_child(dr, "destinations"); d;
		     d = xml_next_named(d)) {
			const char *id = xml_attr(d, "uuid");
			const struct xnode *srv = xml_child(d, "server");
			if (id == NULL || strcmp(id, want) != 0 || srv == NULL)
				continue;
			struct str rest = str_from(srv->text ? srv->text : ""),
				   w;
			while (str_next(&rest, ',', &w))
				if (w.n)
					svc_add(
					    c, &sp,
					    "OPNsense/DHCRelay/destinations/"
					    "server",
					    srv, arena_strndup(c->ar, w.p, w.n),
					    NULL, NULL);
		}
	}
}

/* OPNsense: the MVC services above, and the legacy <system> entries it
 * shares with pfSense (NTP servers, ntpd.inc:327; authentication servers,
 * auth.inc). */
static void
opn_services(struct cfg *c)
{
	const struct xnode *opn = xml_child(c->root, "OPNsense");
	opn_unbound(c, opn);
	opn_dnsmasq(c);
	opn_syslog(c, opn);
	opn_dhcrelay(c, opn);
	ntp_auth(c, c->root);
}

void
cfg_self_services(struct cfg *c)
{
	if (c->opnsense) {
		opn_services(c);
		return;
	}
	dns(c, c->root);
	syslog_servers(c, c->root);
	others(c, c->root);
}
