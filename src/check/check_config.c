/* Config-only checks (lint): what one site's config says, no flow needed.
 * Each evaluates the site's own rules and tables through the engine. */
#include <string.h>

#include "check/check.h"
#include "engine/esp_overhead.h"
#include "engine/natt.h"
#include "engine/route.h"
#include "engine/ruleset.h"

static const char *
p2_name(struct arena *ar, const struct phase2 *p2)
{
	return arena_printf(
	    ar, "phase 2 '%s' (%s === %s)", p2->descr ? p2->descr : "",
	    prefix_str(ar, &p2->local.net), prefix_str(ar, &p2->remote.net));
}

static bool
tunnel_p2(const struct phase2 *p2)
{
	return p2_enabled(p2) && !p2->mobile &&
	       (p2->mode == P2_TUNNEL || p2->mode == P2_TUNNEL6);
}

/* A representative host of a network (not a firewall address). */
static struct ipaddr
host_in(const struct site *s, const struct prefix *p)
{
	struct range r = prefix_range(p);
	struct ipaddr a = {p->addr.fam, r.hi - r.lo >= 20 ? r.lo + 10 : r.lo};
	while (site_is_own_addr(s, &a) && a.v < r.hi)
		a.v++;
	return a;
}

/* The remote network a probe stands for: the phase 2's, narrowed to the
 * other end's local network when its config is given (the child carries
 * only the intersection); a default-route remote (a full tunnel) with no
 * other end known names no host to probe from: false. */
static bool
remote_probe_net(const struct analysis *an, const struct site *s,
		 const struct phase2 *p2, struct prefix *out)
{
	*out = p2->remote.net;
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *o = an->sites[i];
		if (o == s || !o->has_config)
			continue;
		for (size_t j = 0; j < o->np2; j++) {
			const struct prefix *l = p2_visible_local(&o->p2[j]);
			if (tunnel_p2(&o->p2[j]) && l->len >= out->len &&
			    l->addr.fam == out->addr.fam &&
			    prefix_contains(out, &l->addr)) {
				*out = check_inside_part(o, l);
				return true;
			}
		}
	}
	return p2->remote.net.len > 0;
}

static const struct {
	unsigned proto, port;
	const char *name;
} probes[] = {{PROTO_ICMP, 0, "icmp"},
	      {PROTO_TCP, 445, "tcp/445"},
	      {PROTO_UDP, 53, "udp/53"}};

/* The inbound rulesets built so far, per site and interface: probing
 * built one per phase 2 and probe, 1,000 builds of a 10,000-rule config
 * for 500 phase 2. */
struct rs_cache {
	struct {
		const struct site *s;
		const char *ifkey;
		struct ruleset rs;
	} * e;
	size_t n, cap;
};

static const struct ruleset *
inbound_of(struct arena *ar, struct rs_cache *c, const struct site *s,
	   const char *ifkey)
{
	if (ifkey == NULL)
		ifkey = ""; /* a phase 1 without interface: as the engine */
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].s == s && strcmp(c->e[i].ifkey, ifkey) == 0)
			return &c->e[i].rs;
	__typeof__(c->e) e = ARENA_PUSH(ar, c->e, c->n, c->cap);
	e->s = s;
	e->ifkey = ifkey;
	e->rs = ruleset_inbound(ar, s, ifkey);
	return &e->rs;
}

/* The verdict of the site's firewall for each probe protocol: pfSense
 * rules of tab ifkey, or the Linux forward hook (from the tunnel when
 * ifkey is "enc0", else toward it). */
static unsigned
probe_ruleset(struct arena *ar, struct rs_cache *c, const struct site *s,
	      const char *ifkey, const struct ipaddr *src,
	      const struct ipaddr *dst, struct verdict *v)
{
	const struct ruleset *rs = NULL;
	bool lx = s->kind == SITE_LINUX;
	if (!lx)
		rs = inbound_of(ar, c, s, ifkey);
	unsigned passed = 0;
	for (size_t i = 0; i < 3; i++) {
		struct packet p = {.src = *src,
				   .dst = *dst,
				   .proto = (uint8_t)probes[i].proto,
				   .sport = 49152,
				   .dport = (uint16_t)probes[i].port,
				   .icmp_type = 8};
		if (lx) {
			v[i] = (struct verdict){0};
			v[i].pass = strcmp(ifkey, "enc0") == 0
					? linux_tunnel_passes(s, &p)
					: linux_inside_passes(s, &p);
		} else {
			v[i] = ruleset_eval(rs, &p);
		}
		passed += v[i].pass;
	}
	return passed;
}

/* With host facts given, a phase 2 without a known host at both ends
 * matters less: its rule findings are warnings. */
static void
weigh_by_hosts(const struct analysis *an, const struct phase2 *p2,
	       struct finding *f)
{
	bool facts = false, local = false, remote = false;
	for (size_t i = 0; i < an->nsites; i++)
		for (size_t j = 0; j < an->sites[i]->nhosts; j++) {
			const struct ipaddr *h = &an->sites[i]->hosts[j].addr;
			facts = true;
			local = local || prefix_contains(&p2->local.net, h);
			remote = remote || prefix_contains(&p2->remote.net, h);
		}
	if (facts && !(local && remote) && f->severity == SEV_ERROR)
		f->severity = SEV_WARNING;
}

/* Every probe that fails is decided by a rule the admin wrote for it:
 * policy, reported as information. */
static bool
probes_by_design(struct analysis *an, const struct site *s,
		 const struct verdict *v, const char *ifkey,
		 const struct phase2 *p2)
{
	const struct rule *r = NULL;
	for (size_t i = 0; i < 3; i++) {
		if (v[i].pass)
			continue;
		if (check_by_design(v[i].rule) == NULL)
			return false;
		r = r ? r : v[i].rule;
	}
	bool from_tunnel = strcmp(ifkey, "enc0") == 0;
	const struct prefix *a = from_tunnel ? &p2->remote.net : &p2->local.net;
	const struct prefix *b = from_tunnel ? &p2->local.net : &p2->remote.net;
	check_blocked_by_rule(an, s, r, iface_label(s, ifkey), from_tunnel,
			      arena_printf(an->ar, "%s -> %s",
					   prefix_str(an->ar, a),
					   prefix_str(an->ar, b)));
	return true;
}

static void
ipsec_tab(struct analysis *an, struct rs_cache *rc, struct site *s,
	  const struct phase2 *p2)
{
	struct arena *ar = an->ar;
	/* filter mode if_ipsec: the IPsec tab is not evaluated at all */
	if (strcmp(ruleset_tunnel_filter_iface(s, p2->p1), "enc0") != 0)
		return;
	struct prefix rn;
	if (!remote_probe_net(an, s, p2, &rn))
		return;
	struct prefix ln = check_inside_part(s, &p2->local.net);
	struct ipaddr src = host_in(s, &rn);
	struct ipaddr dst = host_in(s, &ln);
	struct verdict v[3];
	unsigned passed = probe_ruleset(ar, rc, s, "enc0", &src, &dst, v);
	if (passed == 3 || probes_by_design(an, s, v, "enc0", p2))
		return;
	for (size_t i = 0; i < 3; i++)
		if (!v[i].pass && check_is_system_block(v[i].rule)) {
			check_system_block(an, s, v[i].rule,
					   arena_printf(ar,
							"traffic from the "
							"tunnel of %s",
							p2_name(ar, p2)));
			return;
		}
	enum finding_id c =
	    passed ? CHK_IPSEC_RULES_PROTOCOL : CHK_IPSEC_RULES_MISSING;
	struct finding *f = check_finding(an, c, s, "enc0");
	if (f->summary)
		return;
	const char *blocked = "";
	for (size_t i = 0; i < 3; i++)
		if (!v[i].pass)
			blocked =
			    arena_printf(ar, "%s%s%s", blocked,
					 *blocked ? ", " : "", probes[i].name);
	size_t bi = !v[0].pass ? 0 : !v[1].pass ? 1 : 2;
	const struct rule *mb = check_automation_block(v[bi].rule);
	f->summary = mb ? arena_printf(ar,
				       "%s's %s rule '%s' blocks %s from "
				       "the remote network of %s before the "
				       "IPsec tab",
				       s->name, rule_page(ar, s, mb),
				       mb->descr ? mb->descr : "", blocked,
				       p2_name(ar, p2))
			: arena_printf(ar,
				       "%s's IPsec tab does not pass %s from "
				       "the remote network of %s",
				       s->name, blocked, p2_name(ar, p2));
	f->detail = arena_printf(
	    ar,
	    "A packet %s -> %s arriving from the "
	    "tunnel is decided by %s.",
	    prefix_str(ar, &rn), prefix_str(ar, &p2->local.net),
	    v[bi].rule ? rule_describe(ar, s, v[bi].rule) : "no rule");
	for (size_t i = 0; i < 3; i++)
		if (v[i].rule && v[i].rule->origin == ORIGIN_USER &&
		    (i == 0 || v[i].rule != v[i - 1].rule) &&
		    (i < 2 || v[i].rule != v[0].rule))
			finding_evidence(ar, f, EVREF_CONFIG, &v[i].rule->loc,
					 rule_describe(ar, s, v[i].rule));
	finding_evidence(ar, f, EVREF_CONFIG, &p2->loc, p2_name(ar, p2));
	f->fix = mb ? check_automation_fix(
			  ar, s, mb,
			  arena_printf(ar,
				       "%s -> %s from the "
				       "tunnel",
				       prefix_str(ar, &rn),
				       prefix_str(ar, &p2->local.net)),
			  "IPsec")
		    : arena_printf(ar,
				   "On %s, Firewall > Rules > IPsec: pass "
				   "protocol any from %s to %s.",
				   s->name, prefix_str(ar, &rn),
				   prefix_str(ar, &p2->local.net));
	weigh_by_hosts(an, p2, f);
}

/* route-to into a VTI is how traffic is steered into it, not a bypass
 * (doc/behaviour/tunnel-path.md §3). */
static bool
gateway_on_vti(const struct site *s, const char *gw)
{
	const struct gateway *g = site_gateway(s, gw);
	const struct iface *f = g && g->iface ? site_iface(s, g->iface) : NULL;
	return f && f->role == ROLE_VTI;
}

static void
inside_tab(struct analysis *an, struct rs_cache *c, struct site *s,
	   const struct phase2 *p2)
{
	struct arena *ar = an->ar;
	struct prefix rn;
	if (!remote_probe_net(an, s, p2, &rn))
		return;
	struct prefix ln = check_inside_part(s, &p2->local.net);
	struct ipaddr src = host_in(s, &ln);
	struct ipaddr dst = host_in(s, &rn);
	const struct iface *in = site_iface_for_addr(s, &src);
	if (in == NULL || in->role == ROLE_WAN)
		return;
	struct verdict v[3];
	unsigned passed = probe_ruleset(ar, c, s, in->key, &src, &dst, v);
	for (size_t i = 0; i < 3; i++) {
		const struct rule *r = v[i].rule;
		if (v[i].pass && r && r->gateway &&
		    !gateway_on_vti(s, r->gateway)) {
			struct finding *f =
			    check_finding(an, CHK_POLICY_ROUTE_BYPASS, s,
					  check_loc(ar, &r->loc));
			if (f->summary)
				break;
			f->summary = arena_printf(
			    ar,
			    "%s sends %s traffic to gateway %s: it "
			    "skips the tunnel of %s",
			    rule_describe(ar, s, r), iface_label(s, in->key),
			    r->gateway, p2_name(ar, p2));
			f->detail = arena_printf(
			    ar,
			    "route-to bypasses the IPsec policy lookup "
			    "and no bypass rule comes first%s.",
			    s->kind == SITE_OPNSENSE
				? " (OPNsense adds no automatic "
				  "negate rule for VPN networks)"
			    : s->flags.disablenegate
				? " (negate rules are disabled)"
			    : !r->dst.any_word
				? " (pfSense adds its automatic negate "
				  "rule only when the destination is "
				  "'any')"
				: "");
			finding_evidence(ar, f, EVREF_CONFIG, &r->loc,
					 rule_describe(ar, s, r));
			f->fix = arena_printf(
			    ar,
			    "On %s, %s: add a rule %s passing %s to %s "
			    "with the default gateway.",
			    s->name, rule_page(ar, s, r),
			    r->mvc ? "with a lower sequence than it"
				   : "above it",
			    prefix_str(ar, &p2->local.net),
			    prefix_str(ar, &rn));
			break;
		}
	}
	if (passed == 3 || probes_by_design(an, s, v, in->key, p2))
		return;
	for (size_t i = 0; i < 3; i++)
		if (!v[i].pass && check_is_system_block(v[i].rule)) {
			check_system_block(an, s, v[i].rule,
					   arena_printf(ar,
							"traffic into the "
							"tunnel of %s",
							p2_name(ar, p2)));
			return;
		}
	struct finding *f =
	    check_finding(an, CHK_LAN_RULES_MISSING, s, in->key);
	if (f->summary)
		return;
	size_t bi = !v[0].pass ? 0 : !v[1].pass ? 1 : 2;
	const struct rule *r = v[bi].rule;
	f->summary =
	    check_automation_block(r)
		? arena_printf(
		      ar,
		      "%s's %s rule '%s' blocks traffic from %s "
		      "to the remote network %s",
		      s->name, rule_page(ar, s, r), r->descr ? r->descr : "",
		      prefix_str(ar, &p2->local.net), prefix_str(ar, &rn))
		: arena_printf(ar,
			       "%s's %s rules block traffic from %s to "
			       "the remote network %s",
			       s->name, iface_label(s, in->key),
			       prefix_str(ar, &p2->local.net),
			       prefix_str(ar, &rn));
	f->detail = arena_printf(ar, "Decided by %s.",
				 r ? rule_describe(ar, s, r) : "no rule");
	if (r)
		finding_evidence(ar, f, EVREF_CONFIG, &r->loc,
				 rule_describe(ar, s, r));
	const char *tab = iface_label(s, in->key);
	f->fix =
	    check_automation_block(r)
		? check_automation_fix(
		      ar, s, r,
		      arena_printf(ar, "%s -> %s",
				   prefix_str(ar, &p2->local.net),
				   prefix_str(ar, &rn)),
		      tab)
		: arena_printf(ar,
			       "On %s, Firewall > Rules > %s: pass from "
			       "%s to %s, protocol any.",
			       s->name, tab, prefix_str(ar, &p2->local.net),
			       prefix_str(ar, &rn));
	weigh_by_hosts(an, p2, f);
}

static void
wan_rules(struct analysis *an, struct rs_cache *c, struct site *s,
	  const struct phase1 *p1)
{
	struct arena *ar = an->ar;
	/* a phase 1 never started is its own finding (check_ruleset.c) */
	if (!p1->peer_known || p1->mobile || p1->disabled || p1->not_started)
		return;
	struct packet p = {
	    .src = p1->peer, .proto = PROTO_UDP, .sport = 500, .dport = 500};
	if (!p1_local_addr(s, p1, &p.dst) && !p1->local_known)
		return;
	bool lx = s->kind == SITE_LINUX;
	const struct ruleset *rs = NULL;
	if (!lx)
		rs = inbound_of(ar, c, s, p1->iface);
	else if (p1->local_known)
		p.dst = p1->local;
	static const unsigned protos[][2] = {
	    {PROTO_UDP, 500}, {PROTO_UDP, 4500}, {PROTO_ESP, 0}};
	for (size_t i = 0; i < 3; i++) {
		p.proto = (uint8_t)protos[i][0];
		p.sport = p.dport = (uint16_t)protos[i][1];
		/* the ports <ipsec><port>/<port_nat_t> name; no NAT-T at all
		 * with NAT traversal off (doc/behaviour/pf-ruleset.md §4) */
		if (i == 0 && s->flags.ipsec_port)
			p.dport = (uint16_t)s->flags.ipsec_port;
		if (i == 1 && s->flags.ipsec_port_nat_t)
			p.dport = (uint16_t)s->flags.ipsec_port_nat_t;
		if (i == 1 && p1->natt && strcmp(p1->natt, "off") == 0)
			continue;
		/* strongSwan's libipsec and NAT-T carry ESP in UDP 4500 */
		if (lx && protos[i][0] == PROTO_ESP)
			continue;
		struct verdict v = {0};
		if (lx)
			v.pass = linux_wan_passes(s, p1, &p);
		else
			v = ruleset_eval(rs, &p);
		if (v.pass)
			continue;
		struct finding *f =
		    check_finding(an, CHK_WAN_VPN_BLOCKED, s, p1->iface);
		if (f->summary)
			return;
		f->summary = arena_printf(
		    ar, "%s's %s blocks %s from peer %s (phase 1 '%s')",
		    s->name, iface_label(s, p1->iface),
		    i == 2 ? "ESP"
		    : i	   ? "UDP 4500"
			   : "UDP 500",
		    p1->remote, p1->descr ? p1->descr : "");
		f->detail = arena_printf(
		    ar, "Decided by %s.%s",
		    v.rule ? rule_describe(ar, s, v.rule) : "no rule",
		    p1->swanctl ? " OPNsense adds no automatic WAN rules for "
				  "the tunnels of VPN > IPsec > Connections "
				  "(only for legacy ones): they need rules of "
				  "their own."
		    : s->flags.disablevpnrules
			? " The auto-added IPsec rules are disabled."
		    : p1->gw_duplicates
			? " 'Allow duplicate gateways' on this phase 1 "
			  "suppresses its auto-added rules."
			: "");
		if (v.rule && v.rule->loc.file)
			finding_evidence(ar, f, EVREF_CONFIG, &v.rule->loc,
					 rule_describe(ar, s, v.rule));
		if (p1->swanctl)
			finding_evidence(
			    ar, f, EVREF_CONFIG, &p1->loc,
			    arena_printf(ar,
					 "connection '%s' of "
					 "VPN > IPsec > "
					 "Connections",
					 p1->descr ? p1->descr : p1->ikeid));
		else if (s->flags.disablevpnrules)
			finding_evidence(ar, f, EVREF_CONFIG,
					 &s->flags.disablevpnrules_loc,
					 "system/disablevpnrules");
		f->fix = v.rule && v.rule->origin == ORIGIN_BLOCKPRIV
			     ? arena_printf(ar,
					    "On %s, Interfaces > %s: "
					    "uncheck 'Block private networks "
					    "and loopback addresses'.",
					    s->name, iface_label(s, p1->iface))
			 : v.rule && v.rule->origin == ORIGIN_BLOCKBOGONS
			     ? arena_printf(ar,
					    "On %s, Interfaces > %s: "
					    "uncheck 'Block bogon networks'.",
					    s->name, iface_label(s, p1->iface))
			 : check_automation_block(v.rule)
			     ? check_automation_fix(
				   ar, s, v.rule,
				   arena_printf(ar, "IPsec from peer %s",
						p1->remote),
				   iface_label(s, p1->iface))
			     : arena_printf(ar,
					    "On %s, Firewall > Rules > "
					    "%s: pass ESP, UDP 500 and UDP "
					    "4500 from %s.",
					    s->name, iface_label(s, p1->iface),
					    p1->remote);
		if (i == 2 && v.rule && v.rule->origin == ORIGIN_DEFAULT_DENY)
			check_no_protocol(an, s, p1, f);
		return;
	}
}

/* 224.0.0.0/4 and ff00::/8: a group, not a place traffic is routed to;
 * a selector naming one (strongSwan's net2net-multicast) takes nothing
 * away from a network. */
static bool
multicast(const struct prefix *n)
{
	struct prefix m;
	prefix_parse(
	    str_from(n->addr.fam == FAM_V4 ? "224.0.0.0/4" : "ff00::/8"), &m,
	    NULL);
	return prefix_within(n, &m);
}

static void
overlap_one(struct analysis *an, struct site *s, const struct phase2 *p2,
	    const struct prefix *other, const char *what,
	    const struct srcloc *loc)
{
	struct arena *ar = an->ar;
	if (!prefix_overlaps(&p2->remote.net, other) || multicast(other) ||
	    multicast(&p2->remote.net))
		return;
	struct finding *f =
	    check_finding(an, CHK_ROUTE_OVERLAP, s,
			  arena_printf(ar, "%s|%s", check_loc(ar, &p2->loc),
				       prefix_str(ar, other)));
	if (f->summary)
		return;
	f->summary =
	    arena_printf(ar,
			 "the remote network %s of %s overlaps "
			 "%s %s: traffic from %s to it goes into the "
			 "tunnel",
			 prefix_str(ar, &p2->remote.net), p2_name(ar, p2), what,
			 prefix_str(ar, other), prefix_str(ar, &p2->local.net));
	f->detail = arena_printf(
	    ar,
	    "The IPsec policy is looked up before the routing table: "
	    "traffic from %s to %s goes into the tunnel instead of to "
	    "%s %s (the guide's 'disappearing traffic'). The tunnel's "
	    "own flows work: decrypted packets appear on enc0 and "
	    "their replies match the policy.",
	    prefix_str(ar, &p2->local.net), prefix_str(ar, other), what,
	    prefix_str(ar, other));
	finding_evidence(ar, f, EVREF_CONFIG, &p2->loc, p2_name(ar, p2));
	finding_evidence(
	    ar, f, EVREF_CONFIG, loc,
	    arena_printf(ar, "%s %s", what, prefix_str(ar, other)));
	f->fix = arena_printf(ar,
			      "On %s, renumber one of the two networks "
			      "(or NAT the tunnel with phase 2 NAT/BINAT); "
			      "the guide: resolve the duplicate "
			      "interface/route and the traffic flows.",
			      s->name);
}

/* The remote selector is the peer's own IKE address alone (a host to
 * host tunnel, or a peer offering its own address beside its LAN): the
 * traffic to that address is meant to go through the tunnel
 * (doc/behaviour/real-bundles.md §7). */
static bool
remote_is_peer(const struct phase2 *p2)
{
	const struct phase1 *p1 = p2->p1;
	return p1 && p1->peer_known &&
	       p2->remote.net.len == fam_bits(p1->peer.fam) &&
	       ipaddr_cmp(&p2->remote.net.addr, &p1->peer) == 0;
}

/* Two phase 2s that send the same traffic to the same place: entries of
 * one child (a child with several selectors is one SA), or tunnels to
 * the same peer with the same networks (told apart by marks or DSCP,
 * strongSwan's net2net-psk-dscp): no traffic disappears between them. */
static bool
same_destination(const struct phase2 *p, const struct phase2 *q)
{
	if (p->uniqid && q->uniqid && strcmp(p->uniqid, q->uniqid) == 0)
		return true;
	return p->p1 && q->p1 && p->p1->peer_known && q->p1->peer_known &&
	       ipaddr_cmp(&p->p1->peer, &q->p1->peer) == 0 &&
	       p->remote.net.len == q->remote.net.len &&
	       ipaddr_cmp(&p->remote.net.addr, &q->remote.net.addr) == 0;
}

static void
overlaps(struct analysis *an, struct site *s, const struct phase2 *p2)
{
	if (p2->remote.net.len == 0)
		return; /* 0.0.0.0/0: everything goes to the tunnel by design */
	if (remote_is_peer(p2) || p2->mobile || (p2->p1 && p2->p1->mobile))
		return;
	/* the words are built only for an overlap: formatting them for
	 * every pair made this O(n^2) in printf */
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		if (!f->enabled || f->role == ROLE_ENC)
			continue;
		for (size_t j = 0; j < f->naddrs; j++) {
			struct prefix n =
			    prefix_make(f->addrs[j].addr, f->addrs[j].plen);
			/* the phase 2's own LAN inside a summary remote
			 * (hub and spokes): its hosts talk on the link,
			 * the firewall's own LAN traffic is bypassed */
			if (!prefix_overlaps(&p2->remote.net, &n) ||
			    prefix_within(&n, &p2->local.net))
				continue;
			const char *what =
			    arena_printf(an->ar, "the subnet of interface %s",
					 f->descr ? f->descr : f->key);
			overlap_one(an, s, p2, &n, what, &f->loc);
		}
	}
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		/* a route into the tunnel's own interface (kernel-libipsec's
		 * TUN) carries the tunnel's traffic: no competitor */
		const struct iface *rif =
		    r->iface ? site_iface(s, r->iface) : NULL;
		if ((r->kind == ROUTE_STATIC || r->kind == ROUTE_OPENVPN) &&
		    !r->disabled && r->net.len > 0 && !route_via_self(s, r) &&
		    !(rif && rif->role == ROLE_ENC))
			overlap_one(an, s, p2, &r->net,
				    r->origin ? r->origin
					      : route_kind_name(r->kind),
				    &r->loc);
	}
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *q = &s->p2[i];
		/* a mobile phase 2's policies are per client, for the
		 * address it leases: nothing to overlap offline */
		if (q == p2 || !tunnel_p2(q) || same_destination(p2, q) ||
		    q->mobile || (q->p1 && q->p1->mobile))
			continue;
		/* two tunnels' remotes: the more specific policy takes
		 * the traffic; one finding, from the one that takes it */
		bool first =
		    p2->remote.net.len > q->remote.net.len ||
		    (p2->remote.net.len == q->remote.net.len && p2 < q);
		if (q->p1 != p2->p1 && first &&
		    prefix_overlaps(&p2->remote.net, &q->remote.net))
			overlap_one(an, s, p2, &q->remote.net,
				    arena_printf(an->ar,
						 "the remote network "
						 "of another tunnel's %s",
						 p2_name(an->ar, q)),
				    &q->loc);
		if (prefix_overlaps(&p2->remote.net, &q->local.net) &&
		    !prefix_within(&q->local.net, &p2->local.net))
			overlap_one(an, s, p2, &q->local.net,
				    arena_printf(an->ar,
						 "the local network "
						 "of %s",
						 p2_name(an->ar, q)),
				    &q->loc);
	}
}

static void
merged_children(struct analysis *an, struct site *s, const struct phase1 *p1)
{
	struct arena *ar = an->ar;
	if (p1->disabled || !p1_merged_children(s, p1))
		return;
	size_t n = 0;
	for (size_t i = 0; i < s->np2; i++)
		n += s->p2[i].p1 == p1 && tunnel_p2(&s->p2[i]);
	if (n < 2)
		return;
	/* the other end's config is given, it is strongSwan too (pfSense,
	 * OPNsense, Linux) and merges as many phase 2 as well: both
	 * negotiate the same selector lists */
	const struct site *peer = NULL;
	const struct phase1 *q =
	    natt_counterpart(an->sites, an->nsites, s, p1, &peer);
	size_t m = 0;
	for (size_t i = 0; q && i < peer->np2; i++)
		m += peer->p2[i].p1 == q && tunnel_p2(&peer->p2[i]);
	if (q && peer->kind != SITE_CLOUD && p1_merged_children(peer, q) &&
	    m == n)
		return;
	struct finding *f = check_finding(an, CHK_IKEV2_MERGED_CHILDREN, s,
					  check_loc(ar, &p1->loc));
	f->summary = arena_printf(
	    ar,
	    "phase 1 '%s' (%s, no %s) has %zu "
	    "phase 2: they are negotiated as one child "
	    "SA",
	    p1->descr ? p1->descr : p1->remote,
	    p1->mobile	      ? "mobile"
	    : p1->ikever == 0 ? "IKE version auto"
			      : "IKEv2",
	    s->kind == SITE_OPNSENSE ? "tunnel isolation" : "split connections",
	    n);
	f->detail = "pfSense joins all local and all remote networks into one "
		    "CHILD_SA (doc/behaviour/pfsense.md §2.7); a strongSwan "
		    "peer accepts it, "
		    "but many other devices take one pair per child and "
		    "narrow or reject (TS_UNACCEPTABLE): some host pairs "
		    "then fail.";
	finding_evidence(
	    ar, f, EVREF_CONFIG, &p1->loc,
	    arena_printf(ar, "phase 1 '%s'", p1->descr ? p1->descr : ""));
	f->fix =
	    s->kind == SITE_OPNSENSE
		? arena_printf(ar,
			       "On %s, VPN > IPsec > Tunnel Settings "
			       "[legacy] > phase 1 '%s': check 'Tunnel "
			       "isolation' when the peer is not strongSwan.",
			       s->name, p1->descr ? p1->descr : "")
		: arena_printf(ar,
			       "On %s, VPN > IPsec > Tunnels > phase 1 "
			       "'%s': set Child SA Start Action/'Split "
			       "connections' (check 'Split connections') when "
			       "the peer is not strongSwan.",
			       s->name, p1->descr ? p1->descr : "");
}

static void
p2_nat(struct analysis *an, struct site *s, const struct phase2 *p2)
{
	struct arena *ar = an->ar;
	if (!p2->has_nat || !p2->natlocal.resolved)
		return;
	if (p2_nat_many_to_one(p2)) {
		struct finding *f =
		    check_finding(an, CHK_P2_NAT, s, check_loc(ar, &p2->loc));
		f->severity = SEV_INFO;
		f->summary = arena_printf(
		    ar,
		    "%s NATs the local network many-to-one to %s: "
		    "connections opened from the tunnel to it reach no "
		    "host",
		    p2_name(ar, p2), prefix_str(ar, &p2->natlocal.net));
		f->detail = "pfSense uses 'nat on enc0' (not binat) when the "
			    "NAT network's size differs from the local one's "
			    "or a single NAT address stands for a network: "
			    "outbound connections and their replies work, "
			    "inbound new ones are not translated.";
		finding_evidence(ar, f, EVREF_CONFIG, &p2->loc,
				 p2_name(ar, p2));
		f->fix = arena_printf(ar,
				      "None if only %s's hosts open "
				      "connections; else give the NAT/BINAT "
				      "network the size of %s.",
				      s->name, prefix_str(ar, &p2->local.net));
	}
	/* IPsec-tab rules must name the real local addresses (§2.6) */
	for (size_t i = 0; i < s->nrules; i++) {
		const struct rule *r = &s->rules[i];
		if (r->disabled || r->nifaces == 0 || r->dst.negate ||
		    (r->mvc ? !rule_on_interface(s, r, "enc0")
			    : strcmp(r->ifaces[0], "enc0") != 0))
			continue;
		struct addrset nat = addrset_of_prefix(ar, &p2->natlocal.net);
		struct addrset real = addrset_of_prefix(ar, &p2->local.net);
		if (addrset_overlaps(&r->dst.addrs, &nat) &&
		    !addrset_overlaps(&r->dst.addrs, &real)) {
			struct finding *f = check_finding(
			    an, CHK_P2_NAT, s, check_loc(ar, &r->loc));
			f->summary = arena_printf(
			    ar,
			    "%s names the NAT network %s, but inbound "
			    "packets are translated back to %s before "
			    "the IPsec rules",
			    rule_describe(ar, s, r),
			    prefix_str(ar, &p2->natlocal.net),
			    prefix_str(ar, &p2->local.net));
			finding_evidence(ar, f, EVREF_CONFIG, &r->loc,
					 rule_describe(ar, s, r));
			finding_evidence(ar, f, EVREF_CONFIG, &p2->loc,
					 p2_name(ar, p2));
			f->fix = arena_printf(
			    ar,
			    "On %s, %s: use the real "
			    "local network %s as destination"
			    "%s.",
			    s->name, rule_page(ar, s, r),
			    prefix_str(ar, &p2->local.net),
			    r->mvc ? arena_printf(ar, " of rule '%s'",
						  r->descr ? r->descr : "")
				   : "");
		}
	}
}

static void
dhcp_gateway(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		struct ipaddr gw;
		if (!f->dhcp_enabled || !f->dhcp_gateway ||
		    !ipaddr_parse(str_from(f->dhcp_gateway), &gw) ||
		    site_is_own_addr(s, &gw))
			continue;
		bool tunnelled = false;
		for (size_t j = 0; j < f->naddrs; j++)
			for (size_t k = 0; k < s->np2; k++) {
				struct prefix n = prefix_make(f->addrs[j].addr,
							      f->addrs[j].plen);
				tunnelled =
				    tunnelled ||
				    (tunnel_p2(&s->p2[k]) &&
				     prefix_overlaps(&n, &s->p2[k].local.net));
			}
		if (!tunnelled)
			continue;
		struct finding *fd =
		    check_finding(an, CHK_HOST_GATEWAY, s, "dhcp");
		if (fd->summary)
			continue;
		fd->summary = arena_printf(
		    ar,
		    "the DHCP server on %s hands out gateway %s, not "
		    "the firewall: its clients send tunnel traffic "
		    "elsewhere",
		    f->descr ? f->descr : f->key, f->dhcp_gateway);
		finding_evidence(ar, fd, EVREF_CONFIG, &f->loc,
				 arena_printf(ar, "dhcpd/%s/gateway %s", f->key,
					      f->dhcp_gateway));
		fd->fix = arena_printf(ar,
				       "On %s, Services > DHCP Server > %s: "
				       "set Gateway to the firewall's address "
				       "or empty.",
				       s->name, f->descr ? f->descr : f->key);
	}
}

static void
disabled_tunnels(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (!p2->disabled && !(p2->p1 && p2->p1->disabled))
			continue;
		struct finding *f = check_finding(an, CHK_TUNNEL_DISABLED, s,
						  check_loc(ar, &p2->loc));
		if (f->summary)
			continue;
		f->severity = SEV_INFO;
		f->summary =
		    arena_printf(ar, "%s is disabled%s", p2_name(ar, p2),
				 p2->disabled ? "" : " (its phase 1 is)");
		finding_evidence(ar, f, EVREF_CONFIG, &p2->loc,
				 p2_name(ar, p2));
		f->fix = arena_printf(ar,
				      "On %s, VPN > IPsec > Tunnels: enable "
				      "it if it should carry traffic.",
				      s->name);
	}
}

/* With the other end's config given, a phase 2 with no counterpart
 * there is the subject of a phase 2 finding; probing its rules would
 * only repeat that finding in other words. */
static bool
worth_probing(const struct analysis *an, const struct site *s,
	      const struct phase2 *p2)
{
	/* a network that is on none of the inside interfaces (here for the
	 * local one, at the other end for the remote one) is a phase 2
	 * finding, not a rules one */
	if (s->nifaces && !check_on_inside(s, &p2->local.net))
		return false;
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *o = an->sites[i];
		if (o != s && o->has_config && o->nifaces &&
		    !check_on_inside(o, &p2->remote.net))
			return false;
	}
	bool other = false;
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *o = an->sites[i];
		if (o == s || !o->has_config)
			continue;
		other = true;
		for (size_t j = 0; j < o->np2; j++)
			if (tunnel_p2(&o->p2[j]) &&
			    prefix_overlaps(&o->p2[j].remote.net,
					    p2_visible_local(p2)) &&
			    prefix_overlaps(p2_visible_local(&o->p2[j]),
					    &p2->remote.net))
				return true;
	}
	return !other;
}

void
check_config(struct analysis *an)
{
	struct rs_cache c = {0};
	for (size_t i = 0; i < an->nsites; i++) {
		struct site *s = an->sites[i];
		if (!s->has_config)
			continue;
		disabled_tunnels(an, s);
		for (size_t j = 0; j < s->np1; j++) {
			wan_rules(an, &c, s, &s->p1[j]);
			merged_children(an, s, &s->p1[j]);
		}
		for (size_t j = 0; j < s->np2; j++) {
			const struct phase2 *p2 = &s->p2[j];
			if (!tunnel_p2(p2))
				continue;
			if (worth_probing(an, s, p2)) {
				ipsec_tab(an, &c, s, p2);
				inside_tab(an, &c, s, p2);
			}
			overlaps(an, s, p2);
			p2_nat(an, s, p2);
		}
		check_mss_config(an, s);
		dhcp_gateway(an, s);
		check_self_traffic(an, s);
	}
}
