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

static void
others(struct cfg *c, const struct xnode *root)
{
	const struct xnode *sys = xml_child(root, "system");
	static const struct svc_spec ntp = {"NTP time server (System > "
					    "General Setup)",
					    PROTO_UDP, 123};
	const struct xnode *ts = xml_child(sys, "timeservers");
	struct str rest = str_from(ts && ts->text ? ts->text : ""), w;
	while (str_next(&rest, ' ', &w))
		if (w.n)
			svc_add(c, &ntp, "system/timeservers", ts,
				arena_strndup(c->ar, w.p, w.n), NULL, NULL);
	static const struct svc_spec ldap = {"LDAP authentication server "
					     "(System > User Manager > "
					     "Authentication Servers)",
					     PROTO_TCP, 389};
	static const struct svc_spec radius = {"RADIUS authentication server "
					       "(System > User Manager > "
					       "Authentication Servers)",
					       PROTO_UDP, 1812};
	for (const struct xnode *a = xml_child(sys, "authserver"); a;
	     a = xml_next_named(a)) {
		const char *type = xml_text(a, "type");
		bool isldap = type && strcmp(type, "ldap") == 0;
		if (!isldap && !(type && strcmp(type, "radius") == 0))
			continue;
		svc_add(c, isldap ? &ldap : &radius, "system/authserver/host",
			xml_child(a, "host"), xml_text(a, "host"), NULL, NULL);
	}
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
	rest = str_from(srv && srv->text ? srv->text : "");
	while (str_next(&rest, ',', &w))
		if (w.n)
			svc_add(c, &relay, "dhcrelay/server", srv,
				arena_strndup(c->ar, w.p, w.n), NULL, NULL);
}

void
cfg_self_services(struct cfg *c)
{
	if (c->opnsense)
		return; /* its services live elsewhere (MVC models) */
	dns(c, c->root);
	syslog_servers(c, c->root);
	others(c, c->root);
}
