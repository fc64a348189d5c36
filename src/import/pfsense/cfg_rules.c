/* config.xml <filter><rule> (doc/behaviour/pfsense.md §1.6): fields, network
 * macros and aliases resolved to address and port sets. Rules stay in config
 * order; the evaluation order of tabs is the reader's (doc/behaviour/pfsense.md
 * §2.1). */
#include <stdint.h>
#include <string.h>

#include "import/pfsense/cfg_internal.h"

bool
cfg_net_macro(struct cfg *c, const char *m, struct addrset *out, bool *resolved,
	      const char **text)
{
	struct site *s = c->s;
	if (strcmp(m, "(self)") == 0) {
		for (size_t i = 0; i < s->nifaces; i++)
			cfg_iface_nets(c, s->ifaces[i].key, true, out);
		*resolved = true;
		*text = "This Firewall (self)";
		return true;
	}
	if (strcmp(m, "pppoe") == 0 || strcmp(m, "l2tp") == 0) {
		*resolved = false;
		*text =
		    strcmp(m, "pppoe") == 0 ? "PPPoE clients" : "L2TP clients";
		return true;
	}
	struct iface *f = site_iface(s, m);
	bool group = false;
	for (size_t i = 0; f == NULL && i < s->ngroups; i++)
		group = group || strcmp(s->groups[i].name, m) == 0;
	if (f || group) {
		*resolved = cfg_iface_nets(c, m, false, out);
		*text = arena_printf(c->ar, "%s net", f ? f->descr : m);
		return true;
	}
	size_t n = strlen(m);
	if (n > 2 && strcmp(m + n - 2, "ip") == 0) {
		char *key = arena_strndup(c->ar, m, n - 2);
		f = site_iface(s, key);
		if (f) {
			*resolved = cfg_iface_nets(c, key, true, out);
			*text = arena_printf(c->ar, "%s address", f->descr);
			return true;
		}
	}
	return false;
}

bool
cfg_port_value(struct cfg *c, struct rule_end *e, const char *t)
{
	struct str lo, hi;
	uint64_t l, h;
	struct str s = str_from(t);
	if (!str_split(s, '-', &lo, &hi))
		hi = lo;
	if (str_to_u64(lo, 65535, &l) && str_to_u64(hi, 65535, &h) && l <= h) {
		portset_add(c->ar, &e->ports, (unsigned)l, (unsigned)h);
		return true;
	}
	struct alias *a = cfg_alias(c, t);
	if (a && a->type && strstr(a->type, "port")) {
		e->ports.r = ranges_union(c->ar, &e->ports.r, &a->ports.r);
		e->partial = e->partial || !a->resolved;
		return true;
	}
	return false;
}

static bool
ports_parse(struct cfg *c, struct rule_end *e, const char *t,
	    const struct srcloc *loc)
{
	if (cfg_port_value(c, e, t))
		return true;
	diag(DIAG_WARNING, loc,
	     "port '%s' is not a port, range or port "
	     "alias: treated as any",
	     t);
	e->partial = true;
	return false;
}

bool
cfg_addr_value(struct cfg *c, struct rule_end *e, const char *t)
{
	struct prefix p;
	if (prefix_parse(str_from(t), &p, NULL)) {
		addrset_add_prefix(c->ar, &e->addrs, &p);
		return true;
	}
	struct alias *a = cfg_alias(c, t);
	if (a && !(a->type && strstr(a->type, "port"))) {
		addrset_add_set(c->ar, &e->addrs, &a->addrs);
		e->partial = e->partial || !a->resolved;
		return true;
	}
	return false;
}

static void
addr_parse(struct cfg *c, struct rule_end *e, const char *t,
	   const struct srcloc *loc)
{
	if (cfg_addr_value(c, e, t))
		return;
	diag(DIAG_WARNING, loc,
	     "address '%s' is not an address, network "
	     "or alias: matches nothing here",
	     t);
	e->partial = true;
}

/* Does the text pfSense generates for this end hold "any"? <any/> is
 * "any" (its <not/> aside); an alias is written by name, so an alias
 * name holding "any" counts too; literal addresses, ports and the
 * upper-case interface tables never do (doc/behaviour/pf-ruleset.md
 * §3). */
static bool
end_any_word(struct cfg *c, const char *net, const char *addr, const char *port)
{
	if (net == NULL && addr == NULL)
		return true;
	const char *names[] = {net, addr, port};
	for (size_t i = 0; i < 3; i++)
		if (names[i] && strstr(names[i], "any") &&
		    cfg_alias(c, names[i]) != NULL)
			return true;
	return false;
}

static void
rule_end(struct cfg *c, const struct xnode *n, struct rule_end *e,
	 bool ports_ok)
{
	struct srcloc loc = cfg_loc(c, n);
	e->negate = xml_has(n, "not");
	const char *net = cfg_str(c, n, "network");
	const char *addr = cfg_str(c, n, "address");
	bool resolved = true;
	if (net) {
		if (!cfg_net_macro(c, net, &e->addrs, &resolved, &e->text)) {
			e->text = net;
			addr_parse(c, e, net, &loc);
		}
		e->partial = e->partial || !resolved;
	} else if (addr) {
		e->text = addr;
		addr_parse(c, e, addr, &loc);
	} else {
		e->text = "any";
		e->addrs = addrset_any(c->ar);
	}
	const char *port = cfg_str(c, n, "port");
	if (port && ports_ok) {
		e->port_text = port;
		ports_parse(c, e, port, &loc);
	} else
		portset_add(c->ar, &e->ports, 0, 65535);
	e->any_word = end_any_word(c, net, addr, ports_ok ? port : NULL);
}

static const struct {
	const char *name;
	unsigned v4, v6; /* 255 = none */
} icmp_types[] = {
    {"echorep", 0, 129},      {"unreach", 3, 1},	{"squench", 4, 255},
    {"redir", 5, 137},	      {"althost", 6, 255},	{"echoreq", 8, 128},
    {"routeradv", 9, 134},    {"routersol", 10, 133},	{"timex", 11, 3},
    {"paramprob", 12, 4},     {"timereq", 13, 255},	{"timerep", 14, 255},
    {"inforeq", 15, 255},     {"inforep", 16, 255},	{"maskreq", 17, 255},
    {"maskrep", 18, 255},     {"trace", 30, 255},	{"toobig", 255, 2},
    {"neighbrsol", 255, 135}, {"neighbradv", 255, 136}, {"listqry", 255, 130},
    {"listenrep", 255, 131},  {"listendone", 255, 132},
};

void
cfg_icmp_types(struct protoset *out, const char *t, bool v6,
	       const struct srcloc *loc)
{
	struct str rest = str_from(t), tok;
	uint64_t num;
	while (str_next(&rest, ',', &tok)) {
		tok = str_trim(tok);
		size_t i = 0, n = sizeof(icmp_types) / sizeof(*icmp_types);
		while (i < n && !str_eq(tok, icmp_types[i].name))
			i++;
		unsigned v =
		    i < n ? (v6 ? icmp_types[i].v6 : icmp_types[i].v4) : 255;
		/* OPNsense's MVC icmp6type stores the number */
		if (i == n && str_to_u64(tok, 254, &num))
			v = (unsigned)num;
		if (v == 255)
			diag(DIAG_WARNING, loc, "unknown ICMP type '%.*s'",
			     (int)tok.n, tok.p);
		else
			protoset_add(out, v);
	}
}

static void
rule_icmp(struct cfg *c, struct rule *r, const char *t,
	  const struct srcloc *loc)
{
	r->icmp_any = t == NULL || strcmp(t, "any") == 0;
	if (r->icmp_any)
		return;
	cfg_icmp_types(&r->icmptypes, t, r->fam[FAM_V6] && !r->fam[FAM_V4],
		       loc);
	(void)c;
}

void
cfg_rule_proto(struct cfg *c, struct rule *r, const char *p,
	       const struct srcloc *loc)
{
	(void)c;
	if (p == NULL || strcmp(p, "any") == 0) {
		r->protos = protoset_any();
		return;
	}
	/* OPNsense MVC rules write it upper case */
	if (strcmp(p, "tcp/udp") == 0 || strcmp(p, "TCP/UDP") == 0) {
		protoset_add(&r->protos, PROTO_TCP);
		protoset_add(&r->protos, PROTO_UDP);
		return;
	}
	int n = proto_from_name(str_from(p));
	if (n < 0) {
		diag(DIAG_WARNING, loc,
		     "unknown protocol '%s': treated as "
		     "any",
		     p);
		r->protos = protoset_any();
		return;
	}
	/* ICMP under inet6 is ICMPv6 */
	if (n == PROTO_ICMP && r->fam[FAM_V6] && !r->fam[FAM_V4])
		n = PROTO_ICMP6;
	protoset_add(&r->protos, (unsigned)n);
}

static enum rule_action
rule_type(const char *t)
{
	if (t && strcmp(t, "block") == 0)
		return ACT_BLOCK;
	if (t && strcmp(t, "reject") == 0)
		return ACT_REJECT;
	if (t && strcmp(t, "match") == 0)
		return ACT_MATCH;
	return ACT_PASS; /* unknown -> pass, as filter.inc does */
}

static void
rule_ifaces(struct cfg *c, struct rule *r, const char *t)
{
	if (t == NULL || *t == '\0')
		t = r->floating ? "any" : "";
	struct str rest = str_from(t), tok;
	while (str_next(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n)
			*ARENA_PUSH(c->ar, r->ifaces, r->nifaces, r->cifaces) =
			    arena_strndup(c->ar, tok.p, tok.n);
	}
}

bool
cfg_rule_has_ports(const struct rule *r)
{
	return !protoset_is_any(&r->protos) &&
	       (protoset_has(&r->protos, PROTO_TCP) ||
		protoset_has(&r->protos, PROTO_UDP) ||
		protoset_has(&r->protos, 132));
}

/* pfSense writes route-to only for a gateway or gateway group it knows
 * (filter.inc, doc/behaviour/pf-ruleset.md §3): an unknown name is no
 * policy routing at all, and no negate rule. */
static bool
dynamic_gateway(struct cfg *c, const char *gw)
{
	/* <DESCR>_DHCP, _VPNV4, _VTIV6, ...: created by the interface */
	for (size_t i = 0; i < c->s->nifaces; i++) {
		const char *d = cfg_upper(c->ar, c->s->ifaces[i].descr);
		size_t n = strlen(d);
		if (strncmp(gw, d, n) == 0 && gw[n] == '_')
			return true;
	}
	return false;
}

static const char *
rule_gateway(struct cfg *c, const struct xnode *n, const struct srcloc *loc)
{
	const char *gw = cfg_str(c, n, "gateway");
	if (gw == NULL || c->opnsense || site_gateway(c->s, gw) ||
	    cfg_gateway_group(c, gw) || dynamic_gateway(c, gw))
		return gw;
	diag(DIAG_NOTE, loc,
	     "rule gateway '%s' is no gateway or gateway "
	     "group: pfSense adds no route-to for it",
	     gw);
	return NULL;
}

static void
cfg_rule(struct cfg *c, const struct xnode *n)
{
	struct rule *r =
	    ARENA_PUSH(c->ar, c->s->rules, c->s->nrules, c->s->crules);
	r->loc = cfg_loc(c, n);
	r->origin = ORIGIN_USER;
	r->action = rule_type(cfg_str(c, n, "type"));
	r->floating = cfg_flag(n, "floating");
	/* interface and group tabs are all "in quick" (filter.inc:4441) */
	r->quick = r->floating ? cfg_flag(n, "quick") : true;
	rule_ifaces(c, r, cfg_str(c, n, "interface"));
	const char *dir = cfg_str(c, n, "direction");
	r->dir = !r->floating				  ? DIR_IN
		 : dir == NULL || strcmp(dir, "any") == 0 ? DIR_ANY
		 : strcmp(dir, "out") == 0		  ? DIR_OUT
							  : DIR_IN;
	const char *ipp = cfg_str(c, n, "ipprotocol");
	r->fam[FAM_V4] = ipp == NULL || strcmp(ipp, "inet6") != 0;
	r->fam[FAM_V6] =
	    ipp && (strcmp(ipp, "inet6") == 0 || strcmp(ipp, "inet46") == 0);
	cfg_rule_proto(c, r, cfg_str(c, n, "protocol"), &r->loc);
	if (protoset_has(&r->protos, PROTO_ICMP) ||
	    protoset_has(&r->protos, PROTO_ICMP6))
		rule_icmp(c, r, cfg_str(c, n, "icmptype"), &r->loc);
	else
		r->icmp_any = true;
	bool ports = cfg_rule_has_ports(r);
	rule_end(c, xml_child(n, "source"), &r->src, ports);
	rule_end(c, xml_child(n, "destination"), &r->dst, ports);
	/* an inet rule never matches IPv6: keep only the rule's families */
	for (unsigned f = 0; f < FAM_COUNT; f++)
		if (!r->fam[f])
			r->src.addrs.fam[f].n = r->dst.addrs.fam[f].n = 0;
	r->gateway = rule_gateway(c, n, &r->loc);
	r->descr = cfg_str(c, n, "descr");
	if (r->descr == NULL)
		r->descr = cfg_str(c, n, "description"); /* OPNsense MVC */
	r->tracker = cfg_str(c, n, "tracker");
	if (r->tracker == NULL)
		r->tracker = xml_attr(n, "uuid");
	r->disabled = cfg_flag(n, "disabled");
	r->scheduled = xml_text(n, "sched") && *xml_text(n, "sched");
	r->log = cfg_flag(n, "log");
	r->statetype = cfg_str(c, n, "statetype");
}

/* 1-based position of each rule within its tab (floating, or its
 * interface/group), as the GUI numbers them. */
static void
rule_positions(struct cfg *c)
{
	struct cfg_map tabs = {0};
	for (size_t i = 0; i < c->s->nrules; i++) {
		struct rule *r = &c->s->rules[i];
		const char *tab = r->floating  ? "\x01"
				  : r->nifaces ? r->ifaces[0]
					       : "";
		void **slot = cfg_map_slot(c->ar, &tabs, tab);
		size_t n = (size_t)(uintptr_t)*slot + 1;
		*slot = (void *)(uintptr_t)n;
		r->position = (unsigned)n;
	}
}

void
cfg_rules(struct cfg *c)
{
	const struct xnode *n = xml_path(c->root, "filter/rule");
	for (; n; n = xml_next_named(n))
		cfg_rule(c, n);
	rule_positions(c);
}
