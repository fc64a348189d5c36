/* pfSense's pf ruleset for one interface and direction
 * (doc/behaviour/pfsense.md §2.1, §2.2, §2.4) and pf's evaluation of it. */
#include "engine/ruleset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
push(struct arena *ar, struct ruleset *rs, const struct rule *r)
{
	*ARENA_PUSH(ar, rs->r, rs->n, rs->cap) = r;
}

static bool
rule_on_iface(const struct rule *r, const char *key)
{
	for (size_t i = 0; i < r->nifaces; i++)
		if (strcmp(r->ifaces[i], key) == 0 ||
		    (r->floating && strcmp(r->ifaces[i], "any") == 0))
			return true;
	return false;
}

static struct rule *
system_rule(struct arena *ar, enum rule_origin origin, enum rule_action act,
	    bool quick, const char *tracker, const char *ifkey)
{
	struct rule *r = arena_alloc(ar, sizeof(*r));
	r->origin = origin;
	r->action = act;
	r->quick = quick;
	r->tracker = tracker;
	r->fam[FAM_V4] = r->fam[FAM_V6] = true;
	r->protos = protoset_any();
	r->icmp_any = true;
	r->src.addrs = addrset_any(ar);
	r->dst.addrs = addrset_any(ar);
	r->src.text = r->dst.text = "any";
	r->descr = rule_origin_name(origin);
	if (ifkey) {
		r->ifaces = arena_alloc(ar, sizeof(*r->ifaces));
		r->ifaces[0] = ifkey;
		r->nifaces = r->cifaces = 1;
	}
	return r;
}

static void
add_prefixes(struct arena *ar, struct addrset *s, const char *const *list)
{
	for (; *list; list++) {
		struct prefix p;
		if (prefix_parse(str_from(*list), &p, NULL))
			addrset_add_prefix(ar, s, &p);
	}
}

/* block in quick on $IF from each private network, one rule and one
 * tracker (12001 on) per network and interface (doc/behaviour/
 * pf-ruleset.md §8). */
static const char *const private_nets[] = {"10.0.0.0/8",    "127.0.0.0/8",
					   "172.16.0.0/12", "192.168.0.0/16",
					   "fc00::/7",	    NULL};
/* /etc/bogons as shipped, and 100.64/10 that the monthly refresh adds;
 * IPv6: the part of bogonsv6 a tunnel can meet (§8). */
static const char *const bogon_nets[] = {
    "0.0.0.0/8",      "100.64.0.0/10", "127.0.0.0/8",	"169.254.0.0/16",
    "192.0.0.0/24",   "192.0.2.0/24",  "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4",   "240.0.0.0/4",	NULL};
static const char *const bogon6_nets[] = {"::/8", "2001:db8::/32", NULL};

static struct rule *
block_from(struct arena *ar, enum rule_origin origin, const char *tracker,
	   const struct iface *f, const char *const *nets, const char *text)
{
	struct rule *r =
	    system_rule(ar, origin, ACT_BLOCK, true, tracker, f->key);
	r->dir = DIR_IN;
	r->src.addrs = (struct addrset){0};
	add_prefixes(ar, &r->src.addrs, nets);
	r->src.text = text;
	r->loc = f->loc;
	return r;
}

/* The first tracker of f's bogon (11001 on) or private (12001 on)
 * rules: the counters run across the interfaces that have them. */
static unsigned
first_tracker(const struct site *s, const struct iface *f, bool priv)
{
	unsigned n = priv ? 12001 : 11001;
	for (size_t i = 0; i < s->nifaces && &s->ifaces[i] != f; i++)
		n += priv ? 5 * s->ifaces[i].blockpriv
			  : s->ifaces[i].blockbogons *
				(1 + (s->flags.ipv6allow ? 1 : 0));
	return n;
}

/* pfSense's tracker number; OPNsense labels its rules with a hash */
static const char *
tracker(struct arena *ar, const struct site *s, unsigned n)
{
	return s->kind == SITE_PFSENSE ? arena_printf(ar, "%u", n) : NULL;
}

static void
add_iface_blocks(struct arena *ar, struct ruleset *rs, const struct site *s,
		 const struct iface *f)
{
	if (f->blockbogons) {
		unsigned t = first_tracker(s, f, false);
		push(ar, rs,
		     block_from(ar, ORIGIN_BLOCKBOGONS, tracker(ar, s, t), f,
				bogon_nets, "<bogons>"));
		if (s->flags.ipv6allow)
			push(ar, rs,
			     block_from(ar, ORIGIN_BLOCKBOGONS,
					tracker(ar, s, t + 1), f, bogon6_nets,
					"<bogonsv6>"));
	}
	if (f->blockpriv) {
		unsigned t = first_tracker(s, f, true);
		for (size_t i = 0; private_nets[i]; i++) {
			const char *one[] = {private_nets[i], NULL};
			push(ar, rs,
			     block_from(ar, ORIGIN_BLOCKPRIV,
					tracker(ar, s, t + (unsigned)i), f, one,
					"private networks"));
		}
		/* OPNsense's private list holds CGNAT space too (§8) */
		const char *cgnat[] = {"100.64.0.0/10", NULL};
		if (s->kind == SITE_OPNSENSE)
			push(ar, rs,
			     block_from(ar, ORIGIN_BLOCKPRIV, NULL, f, cgnat,
					"private networks"));
	}
}

/* "Block all IPv6" (quick, both directions) without <ipv6allow>, on
 * pfSense and OPNsense alike (doc/behaviour/pf-ruleset.md §6). */
static void
add_block_ipv6(struct arena *ar, struct ruleset *rs, const struct site *s,
	       bool out)
{
	if (s->flags.ipv6allow || s->kind == SITE_LINUX)
		return;
	struct rule *r = system_rule(ar, ORIGIN_BLOCK_IPV6, ACT_BLOCK, true,
				     s->kind == SITE_PFSENSE
					 ? (out ? "1000000004" : "1000000003")
					 : NULL,
				     NULL);
	r->fam[FAM_V4] = false;
	r->dir = out ? DIR_OUT : DIR_IN;
	push(ar, rs, r);
}

/* block in quick from/to 169.254/16, every interface, unless
 * <no_apipa_block> (pfSense only; doc/behaviour/pf-ruleset.md §7) */
static void
add_block_apipa(struct arena *ar, struct ruleset *rs, const struct site *s)
{
	if (s->kind != SITE_PFSENSE || s->flags.no_apipa_block)
		return;
	const char *ll[] = {"169.254.0.0/16", NULL};
	for (int to = 0; to < 2; to++) {
		struct rule *r =
		    system_rule(ar, ORIGIN_BLOCK_APIPA, ACT_BLOCK, true,
				to ? "1000000102" : "1000000101", NULL);
		r->fam[FAM_V6] = false;
		r->dir = DIR_IN;
		struct rule_end *e = to ? &r->dst : &r->src;
		e->addrs = (struct addrset){0};
		add_prefixes(ar, &e->addrs, ll);
		e->text = "169.254.0.0/16";
		push(ar, rs, r);
	}
}

static struct addrset
self_addrs(struct arena *ar, const struct site *s)
{
	struct addrset a = {0};
	for (size_t i = 0; i < s->nifaces; i++) {
		/* (self) holds a DHCP/PPPoE lease the config does not know:
		 * any address of that family may be the firewall's */
		if (s->ifaces[i].ipaddr_mode && s->ifaces[i].naddrs == 0) {
			struct prefix any4 = {.addr = {.fam = FAM_V4}};
			addrset_add_prefix(ar, &a, &any4);
		}
		for (size_t j = 0; j < s->ifaces[i].naddrs; j++) {
			struct prefix p = prefix_make(
			    s->ifaces[i].addrs[j].addr,
			    fam_bits(s->ifaces[i].addrs[j].addr.fam));
			addrset_add_prefix(ar, &a, &p);
		}
	}
	return a;
}

/* Only a phase 2 that names its protocol gets the ESP/AH rule; a
 * disabled one counts (doc/behaviour/pf-ruleset.md §4). */
static bool
p1_uses_proto(const struct site *s, const struct phase1 *p1, unsigned proto)
{
	for (size_t i = 0; i < s->np2; i++)
		if (s->p2[i].p1 == p1 && s->p2[i].proto == proto &&
		    !s->p2[i].proto_missing)
			return true;
	return false;
}

static void
add_vpn_rule(struct arena *ar, struct ruleset *rs, const struct site *s,
	     const struct phase1 *p1, const char *ifkey, unsigned proto,
	     unsigned port, const struct addrset *self)
{
	struct rule *r =
	    system_rule(ar, ORIGIN_AUTO_VPN, ACT_PASS, false, NULL, ifkey);
	r->protos = (struct protoset){0};
	protoset_add(&r->protos, proto);
	r->dir = DIR_IN;
	if (p1->peer_known && !p1->mobile) {
		struct prefix pp =
		    prefix_make(p1->peer, fam_bits(p1->peer.fam));
		r->src.addrs = addrset_of_prefix(ar, &pp);
		r->src.text = p1->remote;
	}
	/* OPNsense's inbound rules have no destination */
	if (s->kind == SITE_PFSENSE) {
		r->dst.addrs = *self;
		r->dst.text = "(self)";
	}
	bool ike =
	    port && port == (s->flags.ipsec_port ? s->flags.ipsec_port : 500);
	if (port) {
		portset_add(ar, &r->dst.ports, port, port);
		r->dst.port_text =
		    arena_printf(ar, "%u (%s)", port, ike ? "isakmp" : "nat-t");
	}
	/* a hostname peer: pfSense resolves it at filter reload and drops
	 * these rules when it cannot (doc/behaviour/pf-ruleset.md §4);
	 * offline, assumed */
	bool hostname = !p1->peer_known && !p1->mobile && p1->remote &&
			strcmp(p1->remote, "0.0.0.0") != 0 &&
			strcmp(p1->remote, "::") != 0;
	r->descr =
	    arena_printf(ar, "IPsec: %s - inbound %s%s%s%s",
			 p1->descr ? p1->descr : p1->remote,
			 !port ? (proto == PROTO_ESP ? "esp" : "ah")
			 : ike ? "isakmp"
			       : "nat-t",
			 hostname ? " (peer " : "", hostname ? p1->remote : "",
			 hostname ? " assumed to resolve)" : "");
	r->loc = p1->loc;
	push(ar, rs, r);
}

/* Does the firewall write automatic rules for this phase 1? pfSense
 * skips gw_duplicates, OPNsense does not but wants IPsec enabled; none
 * for OPNsense's new-style connections (doc/behaviour/pf-ruleset.md §4). */
static bool
p1_gets_rules(const struct site *s, const struct phase1 *p1, const char *ifkey)
{
	if (p1->disabled || p1->swanctl || p1->iface == NULL ||
	    strcmp(p1->iface, ifkey) != 0)
		return false;
	if (s->kind == SITE_OPNSENSE)
		return s->flags.ipsec_enable;
	return !p1->gw_duplicates;
}

/* filter_generate_ipsec_rules() / OPNsense ipsec_firewall(): non-quick,
 * per phase 1 on this (parent) interface, none with disablevpnrules. */
static void
add_auto_vpn_rules(struct arena *ar, struct ruleset *rs, const struct site *s,
		   const char *ifkey)
{
	if (s->flags.disablevpnrules || s->kind == SITE_LINUX)
		return;
	struct addrset self = self_addrs(ar, s);
	unsigned ike = s->flags.ipsec_port ? s->flags.ipsec_port : 500;
	unsigned natt =
	    s->flags.ipsec_port_nat_t ? s->flags.ipsec_port_nat_t : 4500;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		if (!p1_gets_rules(s, p1, ifkey))
			continue;
		add_vpn_rule(ar, rs, s, p1, ifkey, PROTO_UDP, ike, &self);
		/* OPNsense: no NAT-T rule with NAT traversal off */
		if (s->kind == SITE_PFSENSE ||
		    !(p1->natt && strcmp(p1->natt, "off") == 0))
			add_vpn_rule(ar, rs, s, p1, ifkey, PROTO_UDP, natt,
				     &self);
		if (p1_uses_proto(s, p1, PROTO_ESP))
			add_vpn_rule(ar, rs, s, p1, ifkey, PROTO_ESP, 0, &self);
		if (p1_uses_proto(s, p1, PROTO_AH))
			add_vpn_rule(ar, rs, s, p1, ifkey, PROTO_AH, 0, &self);
	}
}

struct addrset
vpn_networks(struct arena *ar, const struct site *s)
{
	struct addrset v = {0};
	/* built only when some phase 1 is enabled; then a disabled phase
	 * 1's phase 2 count too (doc/behaviour/pf-ruleset.md §2) */
	bool on = false;
	for (size_t i = 0; i < s->np1; i++)
		on = on || !s->p1[i].disabled;
	for (size_t i = 0; on && i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (p2->disabled || p2->mobile || p2->mode == P2_TRANSPORT ||
		    !p2->remote.resolved || p2->remote.net.len == 0)
			continue;
		addrset_add_prefix(ar, &v, &p2->remote.net);
	}
	/* OpenVPN networks dropped out in 2.7.0 (commit 10ad25403b). */
	if (!site_version_at_least(s, 2, 7))
		for (size_t i = 0; i < s->novpn; i++) {
			const struct openvpn *o = &s->ovpn[i];
			if (o->disabled)
				continue;
			for (size_t j = 0; j < o->nremote; j++)
				addrset_add_prefix(ar, &v, &o->remote[j]);
			for (size_t j = 0; j < o->ntunnel; j++)
				addrset_add_prefix(ar, &v, &o->tunnel[j]);
		}
	return v;
}

const char *
ruleset_tunnel_filter_iface(const struct site *s, const struct phase1 *p1)
{
	if (s->kind == SITE_PFSENSE && s->flags.filtermode && p1 && p1->iface &&
	    strcmp(s->flags.filtermode, "if_ipsec") == 0)
		return p1->iface;
	return "enc0";
}

/* name (an interface key, a group or the OpenVPN group) covers ifkey */
static bool
iface_is(const struct site *s, const char *name, const char *ifkey)
{
	if (strcmp(name, ifkey) == 0)
		return true;
	for (size_t i = 0; i < s->ngroups; i++)
		if (strcmp(s->groups[i].name, name) == 0)
			for (size_t j = 0; j < s->groups[i].nmembers; j++)
				if (strcmp(s->groups[i].members[j], ifkey) == 0)
					return true;
	const struct iface *f = site_iface(s, ifkey);
	return strcmp(name, "openvpn") == 0 && f && f->role == ROLE_OPENVPN;
}

bool
rule_on_interface(const struct site *s, const struct rule *r, const char *ifkey)
{
	if (ifkey == NULL)
		return false;
	if (r->mvc) {
		/* one pf rule per listed interface, "on X" or "on ! X"; none
		 * listed: no "on", every interface (OPNsense Rule.php
		 * reader(), parseInterface()) */
		if (r->nifaces == 0)
			return true;
		for (size_t i = 0; i < r->nifaces; i++)
			if (iface_is(s, r->ifaces[i], ifkey) !=
			    r->ifaces_negate)
				return true;
		return false;
	}
	if (r->floating)
		return rule_on_iface(r, ifkey);
	return r->nifaces && iface_is(s, r->ifaces[0], ifkey);
}

/* A policy-routed pass rule whose destination text holds "any" gets a
 * negate rule right before it, sending VPN networks the normal (SPD)
 * way; the importer keeps only gateways pfSense knows (doc/behaviour/
 * pf-ruleset.md §3). */
static void
add_user_rule(struct arena *ar, struct ruleset *rs, const struct site *s,
	      const struct rule *r, const struct addrset *vpn)
{
	if (r->disabled)
		return;
	if (r->gateway && r->action == ACT_PASS && r->dst.any_word &&
	    !s->flags.disablenegate && !addrset_is_empty(vpn)) {
		struct rule *n = arena_alloc(ar, sizeof(*n));
		*n = *r;
		n->origin = ORIGIN_NEGATE;
		n->gateway = NULL;
		n->dst.addrs = *vpn;
		n->dst.negate = false;
		n->dst.text = "<negate_networks>";
		n->tracker = "10000001";
		n->descr = rule_origin_name(ORIGIN_NEGATE);
		/* built from the rule's own line prefix, so quick as the rule
		 * is [inferred from filter_generate_user_rule(),
		 * doc/behaviour/pfsense.md §2.4] */
		n->quick = r->quick || !r->floating;
		push(ar, rs, n);
	}
	push(ar, rs, r);
}

static bool
in_group(const struct ifgroup *g, const char *key)
{
	for (size_t i = 0; i < g->nmembers; i++)
		if (strcmp(g->members[i], key) == 0)
			return true;
	return false;
}

static void
add_tab(struct arena *ar, struct ruleset *rs, const struct site *s,
	const char *tab, const struct addrset *vpn)
{
	for (size_t i = 0; i < s->nrules; i++) {
		const struct rule *r = &s->rules[i];
		if (!r->floating && r->nifaces &&
		    strcmp(r->ifaces[0], tab) == 0)
			add_user_rule(ar, rs, s, r, vpn);
	}
}

/* Which rules can match a packet of protocol p: those whose protocol set
 * has p, and those with no protocol (any). A packet of another protocol
 * fails rule_matches() on them, so the scan skips them. The two lists
 * hold ruleset positions in order; ACT_MATCH rules never decide. Each
 * entry carries the IPv4 bounds of the rule's source and destination
 * (0..2^32-1 when negated or not a list of IPv4 ranges): an IPv4 packet
 * outside them cannot match, and is turned away without rule_matches. */
struct rs_entry {
	uint32_t i;
	uint32_t slo, shi, dlo, dhi;
};

struct rs_index {
	struct rs_entry *any;
	size_t nany;
	struct rs_entry *by[256];
	size_t nby[256];
};

static bool
rule_proto_any(const struct rule *r)
{
	return (r->protos.bits[0] | r->protos.bits[1] | r->protos.bits[2] |
		r->protos.bits[3]) == 0 ||
	       protoset_is_any(&r->protos);
}

/* A pass rule's end that names what only the box knows (a URL table,
 * GeoIP or FQDN alias, a DHCP address): offline, the packet is taken to
 * be in it. A false pass here costs a missed cause; a false block, an
 * error on a working tunnel (doc/behaviour/real-bundles.md §6).
 * A block rule's unknown part is taken to hold nothing. */
static bool
end_open(const struct rule *r, const struct rule_end *e)
{
	return e->partial && !e->negate && r->action == ACT_PASS;
}

/* IPv4 bounds of a rule end; lo > hi when no IPv4 address can match. */
static void
end_bounds(const struct rule *rl, const struct rule_end *e, uint32_t *lo,
	   uint32_t *hi)
{
	const struct ranges *r = &e->addrs.fam[FAM_V4];
	*lo = 0;
	*hi = UINT32_MAX;
	if (e->negate || end_open(rl, e))
		return;
	if (r->n == 0) {
		*lo = 1;
		*hi = 0;
		return;
	}
	*lo = (uint32_t)r->r[0].lo;
	*hi = (uint32_t)r->r[r->n - 1].hi;
}

static void
index_build(struct arena *ar, struct ruleset *rs)
{
	struct rs_index *x = arena_alloc(ar, sizeof(*x));
	size_t cap[256] = {0}, capany = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = rs->r[i];
		if (r->action == ACT_MATCH)
			continue;
		struct rs_entry e = {.i = (uint32_t)i};
		end_bounds(r, &r->src, &e.slo, &e.shi);
		end_bounds(r, &r->dst, &e.dlo, &e.dhi);
		if (rule_proto_any(r)) {
			*ARENA_PUSH(ar, x->any, x->nany, capany) = e;
			continue;
		}
		for (unsigned w = 0; w < 4; w++)
			for (uint64_t b = r->protos.bits[w]; b; b &= b - 1) {
				unsigned p =
				    w * 64 + (unsigned)__builtin_ctzll(b);
				*ARENA_PUSH(ar, x->by[p], x->nby[p], cap[p]) =
				    e;
			}
	}
	rs->idx = x;
}

/* OPNsense orders every rule by a numeric priority, registration order
 * within one (src/opnsense/mvc/app/library/OPNsense/Firewall/Plugin.php:
 * registerFilterRule(), ksort() in iterateFilterRules()). The user
 * rules: floating 200000, interface groups 300000 + the group's sequence,
 * interfaces 400000 (src/etc/inc/filter.lib.inc filter_core_rules_user()
 * for <filter> rules; .../models/OPNsense/Firewall/FieldTypes/
 * FilterRuleField.php getPriority() for Firewall > Automation > Filter
 * rules, 24.1.2 and later). Within a priority the Automation rules come
 * first, in sequence order: filter_configure_sync() (src/etc/inc/
 * filter.inc) calls plugins_firewall(), whose pf_firewall() (src/etc/inc/
 * plugins.inc.d/pf.inc) registers them, before filter_core_rules_user().
 * The IPsec tab is the interface enc0 there, not a group
 * (doc/behaviour/pfsense.md §2.3 is pfSense's order). OPNsense adds no negate
 * rules before policy-routed ones (no "negate" anywhere in its filter code). */
struct prio_entry {
	unsigned prio, legacy;
	size_t idx;
};

static int
prio_cmp(const void *x, const void *y)
{
	const struct prio_entry *a = x, *b = y;
	if (a->prio != b->prio)
		return a->prio < b->prio ? -1 : 1;
	if (a->legacy != b->legacy)
		return a->legacy < b->legacy ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static void
add_opnsense_user(struct arena *ar, struct ruleset *rs, const struct site *s,
		  const char *ifkey, bool out)
{
	struct prio_entry *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < s->nrules; i++) {
		const struct rule *r = &s->rules[i];
		if (r->disabled || r->dir == (out ? DIR_IN : DIR_OUT) ||
		    (out && !r->floating && !r->mvc) ||
		    !rule_on_interface(s, r, ifkey))
			continue;
		*ARENA_PUSH(ar, v, n, cap) =
		    (struct prio_entry){r->prio, !r->mvc, i};
	}
	if (n > 1) /* v is NULL when n is 0, which qsort() may not get */
		qsort(v, n, sizeof(*v), prio_cmp);
	for (size_t i = 0; i < n; i++)
		push(ar, rs, &s->rules[v[i].idx]);
}

struct ruleset
ruleset_inbound(struct arena *ar, const struct site *s, const char *ifkey)
{
	struct ruleset rs = {0};
	const struct iface *f = site_iface(s, ifkey);
	/* default deny: non-quick, early; any later match overrides it */
	struct rule *dd = system_rule(ar, ORIGIN_DEFAULT_DENY, ACT_BLOCK, false,
				      "1000000103", NULL);
	dd->dir = DIR_IN;
	add_block_ipv6(ar, &rs, s, false);
	add_block_apipa(ar, &rs, s);
	push(ar, &rs, dd);
	if (f)
		add_iface_blocks(ar, &rs, s, f);
	if (s->kind == SITE_OPNSENSE) {
		add_opnsense_user(ar, &rs, s, ifkey, false);
		add_auto_vpn_rules(ar, &rs, s, ifkey);
		index_build(ar, &rs);
		return rs;
	}
	struct addrset vpn = vpn_networks(ar, s);
	for (size_t i = 0; i < s->nrules; i++) {
		const struct rule *r = &s->rules[i];
		if (r->floating && r->dir != DIR_OUT && rule_on_iface(r, ifkey))
			add_user_rule(ar, &rs, s, r, &vpn);
	}
	/* interface groups: user groups, then the system groups */
	for (size_t i = 0; i < s->ngroups; i++)
		if (in_group(&s->groups[i], ifkey))
			add_tab(ar, &rs, s, s->groups[i].name, &vpn);
	if (f && f->role == ROLE_OPENVPN)
		add_tab(ar, &rs, s, "openvpn", &vpn);
	add_tab(ar, &rs, s, ifkey, &vpn);
	add_auto_vpn_rules(ar, &rs, s, ifkey);
	index_build(ar, &rs);
	return rs;
}

struct ruleset
ruleset_outbound(struct arena *ar, const struct site *s, const char *ifkey)
{
	struct ruleset rs = {0};
	struct rule *dd = system_rule(ar, ORIGIN_DEFAULT_DENY, ACT_BLOCK, false,
				      "1000000104", NULL);
	dd->dir = DIR_OUT;
	add_block_ipv6(ar, &rs, s, true);
	push(ar, &rs, dd);
	/* "let out anything" (filter.inc:5315) */
	push(ar, &rs,
	     system_rule(ar, ORIGIN_LET_OUT, ACT_PASS, false, NULL, NULL));
	const struct iface *f = site_iface(s, ifkey);
	if (f && f->role == ROLE_ENC)
		push(ar, &rs,
		     system_rule(ar, ORIGIN_IPSEC_HOST_OUT, ACT_PASS, false,
				 NULL, ifkey));
	if (s->kind == SITE_OPNSENSE)
		add_opnsense_user(ar, &rs, s, ifkey, true);
	else
		for (size_t i = 0; i < s->nrules; i++) {
			const struct rule *r = &s->rules[i];
			if (r->floating && !r->disabled && r->dir != DIR_IN &&
			    rule_on_iface(r, ifkey))
				push(ar, &rs, r);
		}
	index_build(ar, &rs);
	return rs;
}

static bool
ports_match(const struct portset *ps, unsigned port)
{
	return ps->r.n == 0 || portset_contains(ps, port);
}

/* addrset_contains() without the call for the common one-network end */
static inline bool
set_has(const struct addrset *s, const struct ipaddr *a)
{
	const struct ranges *r = &s->fam[a->fam];
	if (r->n == 0)
		return false;
	if (r->n == 1)
		return a->v >= r->r[0].lo && a->v <= r->r[0].hi;
	return addrset_contains(s, a);
}

static bool
end_matches(const struct rule *r, const struct rule_end *e,
	    const struct ipaddr *a, bool has_port, unsigned port)
{
	if (set_has(&e->addrs, a) == e->negate && !end_open(r, e))
		return false;
	return !has_port || ports_match(&e->ports, port);
}

bool
rule_matches(const struct rule *r, const struct packet *p)
{
	if (!r->fam[p->src.fam])
		return false;
	/* the bit test first: a full set has every bit */
	if (!protoset_has(&r->protos, p->proto) && !rule_proto_any(r))
		return false;
	if ((p->proto == PROTO_ICMP || p->proto == PROTO_ICMP6) &&
	    !r->icmp_any && !protoset_has(&r->icmptypes, p->icmp_type))
		return false;
	bool ports =
	    p->proto == PROTO_TCP || p->proto == PROTO_UDP || p->proto == 132;
	/* a rule with ports only matches protocols that have them */
	if (!ports && ((r->src.ports.r.n && !portset_is_any(&r->src.ports)) ||
		       (r->dst.ports.r.n && !portset_is_any(&r->dst.ports))))
		return false;
	return end_matches(r, &r->src, &p->src, ports, p->sport) &&
	       end_matches(r, &r->dst, &p->dst, ports, p->dport);
}

/* One matching rule at position i: true when it ends the evaluation. */
static bool
eval_one(struct verdict *v, const struct rule *r, size_t i)
{
	v->rule = r;
	v->pass = r->action == ACT_PASS;
	v->position = (unsigned)i + 1;
	/* interface tabs are "in quick"; an Automation rule says itself */
	if (r->quick || (!r->floating && !r->mvc && r->origin == ORIGIN_USER))
		return true;
	return r->origin == ORIGIN_BLOCKPRIV || r->origin == ORIGIN_BLOCKBOGONS;
}

struct verdict
ruleset_eval(const struct ruleset *rs, const struct packet *p)
{
	struct verdict v = {0};
	const struct rs_index *x = rs->idx;
	if (x == NULL) {
		for (size_t i = 0; i < rs->n; i++) {
			const struct rule *r = rs->r[i];
			if (r->action != ACT_MATCH && rule_matches(r, p) &&
			    eval_one(&v, r, i))
				break;
		}
		return v;
	}
	/* the any-protocol rules and those of p's protocol, in order */
	const struct rs_entry *a = x->any, *b = x->by[p->proto];
	size_t na = x->nany, nb = x->nby[p->proto], i = 0, j = 0;
	bool v4 = p->src.fam == FAM_V4 && p->dst.fam == FAM_V4;
	uint32_t s4 = (uint32_t)p->src.v, d4 = (uint32_t)p->dst.v;
	while (i < na || j < nb) {
		const struct rs_entry *e =
		    j == nb || (i < na && a[i].i < b[j].i) ? &a[i++] : &b[j++];
		if (v4 &&
		    (s4 < e->slo || s4 > e->shi || d4 < e->dlo || d4 > e->dhi))
			continue;
		const struct rule *r = rs->r[e->i];
		if (rule_matches(r, p) && eval_one(&v, r, e->i))
			break;
	}
	return v;
}

const char *
iface_label(const struct site *s, const char *key)
{
	const struct iface *f = site_iface(s, key);
	if (f && f->descr)
		return f->descr;
	if (key && strcmp(key, "enc0") == 0)
		return "IPsec";
	return key ? key : "?";
}

/* "rule 'allow remote site' of the running ruleset (pass in quick on
 * enc0, tracker 1700000001, status_output.tgz:Firewall-Generated
 * Ruleset.txt:42)" */
/* Where rules.debug generated the loaded rule r (same tracker), when r
 * comes from pfctl -vvsr: ", generated at FILE:LINE", else "". */
static const char *
generated_at(struct arena *ar, const struct site *s, const struct rule *r)
{
	const struct boxstate *b = &s->ev.box;
	if (r->tracker == NULL || !r->has_evals)
		return "";
	for (size_t i = 0; i < b->nrd_rules; i++)
		if (b->rd_rules[i].tracker &&
		    strcmp(b->rd_rules[i].tracker, r->tracker) == 0) {
			char w[300];
			srcloc_format(&b->rd_rules[i].loc, w, sizeof(w));
			return arena_printf(ar, ", generated at %s", w);
		}
	return "";
}

static const char *
running_describe(struct arena *ar, const struct rule *r, const char *where,
		 const char *gen)
{
	const char *act = r->action == ACT_PASS	    ? "pass"
			  : r->action == ACT_REJECT ? "block return"
			  : r->action == ACT_MATCH  ? "match"
						    : "block";
	const char *on = "";
	for (size_t i = 0; i < r->nifaces; i++)
		on = arena_printf(ar, "%s%s%s", on, i ? "," : " on ",
				  r->ifaces[i]);
	return arena_printf(
	    ar, "%s%s%s of the running ruleset (%s%s%s%s%s%s%s%s%s)",
	    r->descr && *r->descr ? "rule '" : "rule", r->descr ? r->descr : "",
	    r->descr && *r->descr ? "'" : "", act,
	    r->dir == DIR_IN	? " in"
	    : r->dir == DIR_OUT ? " out"
				: "",
	    r->quick ? " quick" : "", on, r->tracker ? ", tracker " : "",
	    r->tracker ? r->tracker : "", *where ? ", " : "", where, gen);
}

const char *
rule_describe(struct arena *ar, const struct site *s, const struct rule *r)
{
	char where[300] = "";
	if (r->loc.file)
		srcloc_format(&r->loc, where, sizeof(where));
	if (r->origin == ORIGIN_RUNNING)
		return running_describe(ar, r, where, generated_at(ar, s, r));
	if (r->nf_chain) {
		const struct nf_chain *c = &s->chains[r->nf_chain - 1];
		size_t pos = (size_t)(r - &s->rules[c->first_rule]) + 1;
		return arena_printf(
		    ar, "rule %zu of chain %s %s %s%s%s%s (%s)", pos, c->family,
		    c->table, c->name, r->descr ? " '" : "",
		    r->descr ? r->descr : "", r->descr ? "'" : "", where);
	}
	if (r->origin != ORIGIN_USER) {
		const char *on =
		    r->nifaces ? iface_label(s, r->ifaces[0]) : NULL;
		return arena_printf(
		    ar, "%s%s%s%s%s%s%s", r->descr, on ? " on " : "",
		    on ? on : "", r->tracker ? " (tracker " : "",
		    r->tracker ? r->tracker : "", r->tracker ? ")" : "",
		    *where && r->origin != ORIGIN_DEFAULT_DENY
			? arena_printf(ar, ", from %s", where)
			: "");
	}
	if (r->mvc) {
		const char *seq =
		    r->sequence ? arena_printf(ar, "sequence %u, ", r->sequence)
				: "";
		return arena_printf(
		    ar, "rule '%s' of %s (%s%s%s%s%s)",
		    r->descr ? r->descr : "", rule_page(ar, s, r), seq,
		    r->tracker ? "uuid " : "", r->tracker ? r->tracker : "",
		    r->tracker && *where ? ", " : "", where);
	}
	const char *tab = r->floating  ? "Floating"
			  : r->nifaces ? iface_label(s, r->ifaces[0])
				       : "?";
	return arena_printf(ar, "rule %u on %s '%s' (%s%s%s%s)", r->position,
			    tab, r->descr ? r->descr : "",
			    r->tracker ? "tracker " : "",
			    r->tracker ? r->tracker : "",
			    r->tracker && *where ? ", " : "", where);
}

const char *
rule_page(struct arena *ar, const struct site *s, const struct rule *r)
{
	if (r->mvc)
		return s->automation_page ? s->automation_page
					  : "Firewall > Automation > Filter";
	return arena_printf(ar, "Firewall > Rules > %s",
			    r->floating	 ? "Floating"
			    : r->nifaces ? iface_label(s, r->ifaces[0])
					 : "?");
}

/* ---- the box's running ruleset (doc/behaviour/rules-debug.md §4) ---- */

static const struct rule *
running_rules(const struct site *s, size_t *n, const char **file)
{
	const struct boxstate *b = &s->ev.box;
	*n = 0;
	if (s->kind != SITE_PFSENSE && s->kind != SITE_OPNSENSE)
		return NULL;
	/* what pf has loaded beats what was generated; a listing with a
	 * line not understood is not used at all */
	const struct rule *r = NULL;
	if (b->nld_rules || b->ld_why_not) {
		if (b->ld_why_not)
			return NULL;
		r = b->ld_rules, *n = b->nld_rules;
	} else if (b->nrd_rules && !b->rd_why_not) {
		r = b->rd_rules, *n = b->nrd_rules;
	}
	/* a ruleset without a single pass rule is not one pf runs on a
	 * firewall that can be managed */
	bool pass = false;
	for (size_t i = 0; r && i < *n && !pass; i++)
		pass = r[i].action == ACT_PASS;
	if (!pass) {
		*n = 0;
		return NULL;
	}
	if (file)
		*file = r[0].loc.file;
	return r;
}

const char *
ruleset_running_file(const struct site *s)
{
	size_t n;
	const char *f = NULL;
	return running_rules(s, &n, &f) ? f : NULL;
}

/* pf's interface names: the device, a group of the config, or the
 * groups FreeBSD puts interfaces in (enc, ipsec, openvpn). */
static bool
running_if_is(const struct site *s, const char *name, const char *ifkey,
	      const char *dev)
{
	if (strcmp(name, dev) == 0 || strcmp(name, ifkey) == 0)
		return true;
	if (strcmp(name, "enc") == 0)
		return strcmp(dev, "enc0") == 0;
	if (strcmp(name, "ipsec") == 0)
		return strncmp(dev, "ipsec", 5) == 0;
	if (strcmp(name, "openvpn") == 0)
		return strncmp(dev, "ovpn", 4) == 0;
	return iface_is(s, name, ifkey);
}

static bool
running_on(const struct site *s, const struct rule *r, const char *ifkey,
	   const char *dev)
{
	if (r->nifaces == 0)
		return true;
	for (size_t i = 0; i < r->nifaces; i++)
		if (running_if_is(s, r->ifaces[i], ifkey, dev))
			return !r->ifaces_negate;
	return r->ifaces_negate;
}

/* The addresses of interface dev on the box (ifconfig), else in the
 * config; net: the networks ("em0:network"). false when unknown. */
static bool
if_addrs(struct arena *ar, const struct site *s, struct str dev, bool net,
	 struct addrset *out)
{
	const struct boxstate *b = &s->ev.box;
	const char *d = arena_strndup(ar, dev.p, dev.n);
	const struct ifaddr *a = NULL;
	size_t n = 0;
	for (size_t i = 0; i < b->nifs && !n; i++)
		if (strcmp(b->ifs[i].name, d) == 0)
			a = b->ifs[i].addrs, n = b->ifs[i].naddrs;
	const struct iface *f = n ? NULL : site_iface_by_dev(s, d);
	if (f)
		a = f->addrs, n = f->naddrs;
	for (size_t i = 0; i < n; i++) {
		struct prefix p = prefix_make(
		    a[i].addr, net ? a[i].plen : fam_bits(a[i].addr.fam));
		addrset_add_prefix(ar, out, &p);
	}
	return n > 0;
}

static bool
resolve_ref(struct arena *ar, const struct site *s, const char *ref,
	    struct addrset *out)
{
	const struct boxstate *b = &s->ev.box;
	if (strcmp(ref, "self") == 0) {
		struct addrset me = self_addrs(ar, s);
		addrset_add_set(ar, out, &me);
		for (size_t i = 0; i < b->nifs; i++)
			if_addrs(ar, s, str_from(b->ifs[i].name), false, out);
		return true;
	}
	struct str r = str_from(ref);
	if (r.n > 2 && r.p[0] == '<') {
		for (size_t i = 0; i < b->ntables; i++)
			if (strlen(b->tables[i].name) == r.n - 2 &&
			    memcmp(b->tables[i].name, r.p + 1, r.n - 2) == 0) {
				addrset_add_set(ar, out, &b->tables[i].addrs);
				if (b->tables[i].known)
					return true;
				break;
			}
		/* pfSense fills these from /etc/bogons(v6): the lists the
		 * modelled ruleset uses (doc/behaviour/pf-ruleset.md §8) */
		if (str_eq(r, "<bogons>") || str_eq(r, "<bogonsv6>")) {
			add_prefixes(ar, out,
				     r.n == 8 ? bogon_nets : bogon6_nets);
			return true;
		}
		return false;
	}
	if (r.n > 2 && r.p[0] == '(')
		r = (struct str){r.p + 1, r.n - 2};
	struct str dev, mod;
	if (!str_split(r, ':', &dev, &mod))
		return if_addrs(ar, s, r, false, out);
	if (str_eq(mod, "network"))
		return if_addrs(ar, s, dev, true, out);
	if (str_eq(mod, "0"))
		return if_addrs(ar, s, dev, false, out);
	return false; /* :broadcast, :peer, a hostname with a port? */
}

static void
resolve_end(struct arena *ar, const struct site *s, struct rule_end *e)
{
	if (e->nrefs == 0)
		return;
	struct addrset a = {0};
	addrset_add_set(ar, &a, &e->addrs);
	for (size_t i = 0; i < e->nrefs; i++)
		if (!resolve_ref(ar, s, e->refs[i], &a))
			e->partial = true;
	e->addrs = a;
	e->nrefs = 0;
}

/* route-to "( em0 5.6.7.254 )" as the config's gateway of that address
 * (what the trace follows: a VTI gateway, doc/behaviour/rules-debug.md
 * §4), else as written. */
static const char *
running_gateway(const struct site *s, const char *text)
{
	struct str rest = str_from(text), tok;
	while (str_next(&rest, ' ', &tok)) {
		struct ipaddr a;
		if (!ipaddr_parse(str_trim(tok), &a))
			continue;
		for (size_t i = 0; i < s->ngateways; i++)
			if (!s->gateways[i].dynamic &&
			    ipaddr_cmp(&s->gateways[i].addr, &a) == 0)
				return s->gateways[i].name;
	}
	return text;
}

struct ruleset
ruleset_running(struct arena *ar, const struct site *s, const char *ifkey,
		bool out)
{
	struct ruleset rs = {0};
	size_t n;
	const struct rule *r = running_rules(s, &n, NULL);
	if (r == NULL || ifkey == NULL)
		return rs;
	const struct iface *f = site_iface(s, ifkey);
	const char *dev = f && f->dev ? f->dev : ifkey;
	for (size_t i = 0; i < n; i++) {
		if (r[i].action == ACT_MATCH ||
		    r[i].dir == (out ? DIR_IN : DIR_OUT) ||
		    !running_on(s, &r[i], ifkey, dev))
			continue;
		struct rule *c = arena_alloc(ar, sizeof(*c));
		*c = r[i];
		resolve_end(ar, s, &c->src);
		resolve_end(ar, s, &c->dst);
		if (c->gateway)
			c->gateway = running_gateway(s, c->gateway);
		push(ar, &rs, c);
	}
	rs.running = true;
	index_build(ar, &rs);
	return rs;
}

bool
ruleset_unsure(const struct ruleset *rs, const struct packet *p, bool pass)
{
	for (size_t i = 0; rs->running && i < rs->n; i++) {
		const struct rule *r = rs->r[i];
		if ((!r->src.partial && !r->dst.partial) ||
		    (r->action == ACT_PASS) != pass)
			continue;
		/* unknown contents: any address may be in them, or not */
		struct rule any = *r;
		if (r->src.partial)
			any.src.negate = true,
			any.src.addrs = (struct addrset){0};
		if (r->dst.partial)
			any.dst.negate = true,
			any.dst.addrs = (struct addrset){0};
		if (rule_matches(&any, p))
			return true;
	}
	return false;
}
