/* Config-decided families (doc/behaviour/field-families.md §3, §4): a
 * 0.0.0.0/0 phase 2 that takes traffic between local networks, and IKE
 * to the peer routed out another interface than the phase 1's. Both are
 * predictions about traffic the user may or may not need: warnings. */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"

/* ---- §3 0.0.0.0/0 selectors (pfSense) ---- */

static bool
broad_p2(const struct phase2 *p2)
{
	return p2_enabled(p2) && !p2->mobile && p2->p1 && !p2->p1->disabled &&
	       !p2->p1->mobile &&
	       (p2->mode == P2_TUNNEL || p2->mode == P2_TUNNEL6) &&
	       p2->remote.net.len == 0 && p2->local.resolved &&
	       p2->local.net.len > 0 && !p2->has_nat;
}

/* pfSense's bypasslan pass policy: LAN subnet <-> LAN subnet, for the
 * interface keyed lan only, unless noshuntlaninterfaces (§3). */
static bool
lan_bypassed(const struct site *s, const struct iface *f)
{
	return strcmp(f->key, "lan") == 0 && !s->flags.noshuntlaninterfaces;
}

/* A pass rule the admin wrote for traffic to n (not to any): traffic
 * to n is meant to flow, so losing it is a failure, not a side note. */
static const struct rule *
wanted_rule(const struct site *s, const struct prefix *n)
{
	struct range r = prefix_range(n);
	struct ipaddr h = {n->addr.fam, r.lo + (r.hi > r.lo)};
	for (size_t i = 0; i < s->nrules; i++) {
		const struct rule *u = &s->rules[i];
		if (u->origin == ORIGIN_USER && u->action == ACT_PASS &&
		    !u->disabled && !u->dst.negate && !u->dst.any_word &&
		    !(u->dst.text && strcmp(u->dst.text, "any") == 0) &&
		    !addrset_is_any(&u->dst.addrs) &&
		    addrset_contains(&u->dst.addrs, &h))
			return u;
	}
	return NULL;
}

/* What the policy local -> 0/0 takes that is not Internet traffic:
 * local hosts to another inside network, and the firewall's own
 * traffic to hosts of the local network when no bypass covers it. */
static const char *
broad_victims(struct arena *ar, const struct site *s, const struct phase2 *p2,
	      const struct srcloc **loc, bool *own, const struct rule **want)
{
	const char *list = NULL;
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		if (!f->enabled || f->role == ROLE_WAN || f->role == ROLE_ENC ||
		    f->role == ROLE_VTI)
			continue;
		for (size_t j = 0; j < f->naddrs; j++) {
			struct prefix n =
			    prefix_make(f->addrs[j].addr, f->addrs[j].plen);
			const char *w = NULL;
			if (n.addr.fam != p2->local.net.addr.fam)
				continue;
			if (prefix_within(&n, &p2->local.net)) {
				*own = *own || !lan_bypassed(s, f);
				if (!lan_bypassed(s, f))
					w = arena_printf(
					    ar,
					    "the firewall's own traffic to "
					    "hosts of %s (%s: web GUI, SSH, "
					    "DNS answers)",
					    prefix_str(ar, &n),
					    f->descr ? f->descr : f->key);
			} else if (!prefix_overlaps(&n, &p2->local.net) &&
				   !s->flags.ipsec_bypassrules) {
				if (*want == NULL)
					*want = wanted_rule(s, &n);
				w = arena_printf(ar, "%s -> %s (%s)",
						 prefix_str(ar, &p2->local.net),
						 prefix_str(ar, &n),
						 f->descr ? f->descr : f->key);
			}
			if (w == NULL)
				continue;
			list = list ? arena_printf(ar, "%s; %s", list, w) : w;
			if (*loc == NULL)
				*loc = &f->loc;
		}
	}
	return list;
}

static void
broad_one(struct analysis *an, struct site *s, const struct phase2 *p2)
{
	struct arena *ar = an->ar;
	const struct srcloc *loc = NULL;
	bool own = false;
	const struct rule *want = NULL;
	const char *victims = broad_victims(ar, s, p2, &loc, &own, &want);
	if (victims == NULL)
		return;
	struct finding *f =
	    check_finding(an, CHK_TS_TOO_BROAD, s, check_loc(ar, &p2->loc));
	if (f->summary)
		return;
	/* local networks no rule asks to reach: information (§3) */
	if (!own && want == NULL)
		f->severity = SEV_INFO;
	if (want)
		finding_evidence(ar, f, EVREF_CONFIG, &want->loc,
				 arena_printf(ar,
					      "rule '%s' passes traffic to "
					      "that network",
					      want->descr ? want->descr : ""));
	f->summary = arena_printf(ar,
				  "phase 2 '%s' (%s === 0.0.0.0/0) also takes "
				  "local traffic into the tunnel: %s",
				  p2->descr ? p2->descr : "",
				  prefix_str(ar, &p2->local.net), victims);
	f->detail =
	    "pfSense looks up the IPsec policies before the routing table, "
	    "for forwarded traffic and the firewall's own alike: every "
	    "packet from the phase 2's local network to any address goes to "
	    "the peer, including packets to the firewall's other local "
	    "networks. The only automatic exception is the LAN bypass "
	    "(LAN subnet <-> LAN subnet, interface 'lan' only). Predicted "
	    "from the config: it matters if this traffic is meant to stay "
	    "local (doc/behaviour/field-families.md §3). To settle it: "
	    "Status > IPsec > SPD, or a capture on the IPsec interface "
	    "while a LAN host reaches the other network (its packets there "
	    "mean the tunnel takes them).";
	finding_evidence(ar, f, EVREF_CONFIG, &p2->loc,
			 arena_printf(ar, "phase 2 '%s' remote 0.0.0.0/0",
				      p2->descr ? p2->descr : ""));
	if (loc)
		finding_evidence(ar, f, EVREF_CONFIG, loc, victims);
	f->fix = arena_printf(
	    ar,
	    "On %s, exempt the local networks from the tunnel: VPN > IPsec "
	    "> Advanced Settings, IPsec bypass rules for the local "
	    "networks (where the version has them), and keep the LAN "
	    "bypass on (noshuntlaninterfaces unset); or narrow the phase 2 "
	    "remote network to what the peer really serves.",
	    s->name);
}

static void
fam_broad(struct analysis *an, struct site *s)
{
	if (s->kind != SITE_PFSENSE)
		return; /* OPNsense and Linux: §3 says why not decided */
	for (size_t i = 0; i < s->np2; i++)
		if (broad_p2(&s->p2[i]))
			broad_one(an, s, &s->p2[i]);
}

/* ---- §4 the outer packet's interface (Linux) ---- */

/* An `ip rule from <prefix>` covering the phase 1's own address: the
 * source is policy routed, which a destination lookup cannot follow. */
static bool
source_routed(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->niprules; i++) {
		const struct ip_rule *r = &s->iprules[i];
		if (!r->from_any && !r->not &&prefix_contains(&r->from, a))
			return true;
	}
	return false;
}

/* Another route as specific as r to the same destination (a second
 * default with another metric, ECMP): which one the kernel takes is not
 * in the dump. */
static bool
route_ambiguous(const struct site *s, const struct route *r,
		const struct ipaddr *dst)
{
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *q = &s->routes[i];
		if (q != r && !q->disabled && q->table == r->table &&
		    q->net.len == r->net.len && prefix_contains(&q->net, dst))
			return true;
	}
	return false;
}

static const char *
ifname(const struct iface *f)
{
	return f->dev ? f->dev : f->key;
}

/* The interface the phase 1's packets leave from by its own choice: the
 * one holding its address (Linux local_addrs, a VIP), else its
 * interface. */
static const struct iface *
p1_home(const struct site *s, const struct phase1 *p1)
{
	if (p1->local_known)
		return site_iface_for_addr(s, &p1->local);
	return p1->iface ? site_iface(s, p1->iface) : NULL;
}

static const char *
egress_fix(struct arena *ar, const struct site *s, const struct phase1 *p1,
	   const struct iface *mine, const char *peer)
{
	if (s->kind == SITE_OPNSENSE)
		return arena_printf(
		    ar,
		    "On %s, uncheck Firewall > Settings > Advanced, 'Disable "
		    "force gateway' (then the IPsec rules route-to the phase "
		    "1's gateway), or add System > Routes > Configuration: "
		    "%s/32 via the gateway of %s.",
		    s->name, peer, mine->descr ? mine->descr : mine->key);
	return arena_printf(ar,
			    "On %s, route the peer through %s: 'ip route add "
			    "%s/32 via <%s's gateway> dev %s', or policy-route "
			    "the connection's address ('ip rule add from "
			    "%s table N' with a default route via %s in "
			    "table N).",
			    s->name, ifname(mine), peer, ifname(mine),
			    ifname(mine), ipaddr_str(ar, &p1->local),
			    ifname(mine));
}

static void
egress_one(struct analysis *an, struct site *s, const struct phase1 *p1)
{
	struct arena *ar = an->ar;
	const struct iface *mine = p1_home(s, p1);
	const struct route *r = route_lookup(s, &p1->peer);
	if (mine == NULL || r == NULL || r->iface == NULL || r->table == 220 ||
	    strcmp(mine->key, "lo") == 0 || route_ambiguous(s, r, &p1->peer) ||
	    site_iface_for_addr(s, &p1->peer) == mine)
		return;
	const struct iface *out = site_iface(s, r->iface);
	if (out == NULL)
		out = site_iface_by_dev(s, r->iface);
	if (out == NULL || out == mine)
		return;
	struct finding *f =
	    check_finding(an, CHK_P1_EGRESS, s, check_loc(ar, &p1->loc));
	if (f->summary)
		return;
	const char *peer = ipaddr_str(ar, &p1->peer);
	f->summary = arena_printf(ar,
				  "IKE and ESP of phase 1 '%s' to the peer %s "
				  "leave through %s, not %s",
				  p1->descr ? p1->descr : "", peer, ifname(out),
				  ifname(mine));
	f->detail = arena_printf(
	    ar,
	    "The phase 1 sends from %s, but the route to the peer %s goes "
	    "out %s, and %s. The outer packets leave %s carrying %s's "
	    "address, which the provider of that line may drop, and the "
	    "peer's answers come back on the other line "
	    "(doc/behaviour/field-families.md §4). To settle it: a capture "
	    "on %s while the tunnel starts (UDP 500/4500, ESP to %s).",
	    ifname(mine), peer, ifname(out),
	    s->kind == SITE_OPNSENSE
		? "'Disable force gateway' removes the route-to that would "
		  "send them out the phase 1's gateway"
		: "no 'ip rule from' the connection's address sends them "
		  "elsewhere",
	    ifname(out), ifname(mine), ifname(out), peer);
	finding_evidence(
	    ar, f, EVREF_CONFIG, &p1->loc,
	    arena_printf(ar, "phase 1 on %s, remote %s", ifname(mine), peer));
	finding_evidence(ar, f, EVREF_CONFIG, &r->loc,
			 arena_printf(ar, "route %s via %s",
				      prefix_str(ar, &r->net), r->iface));
	if (s->kind == SITE_OPNSENSE)
		finding_evidence(ar, f, EVREF_CONFIG, &s->flags.force_gw_loc,
				 "Disable force gateway (pf_disable_force_gw)");
	f->fix = egress_fix(ar, s, p1, mine, peer);
}

/* pfSense route-to's its own traffic out the phase 1's gateway and adds
 * a host route to the peer; OPNsense does the first unless force
 * gateway is disabled; Linux routes by destination (§4). */
static void
fam_egress(struct analysis *an, struct site *s)
{
	bool linux_site = s->kind == SITE_LINUX && s->nroutes > 0;
	bool opn = s->kind == SITE_OPNSENSE && s->flags.pf_disable_force_gw;
	if (!linux_site && !opn)
		return;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		if (p1->disabled || p1->mobile || !p1->peer_known ||
		    (linux_site &&
		     (!p1->local_known || source_routed(s, &p1->local))))
			continue;
		egress_one(an, s, p1);
	}
}

void
check_families_config(struct analysis *an, struct site *s)
{
	fam_broad(an, s);
	fam_egress(an, s);
}
