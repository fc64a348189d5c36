/* A Linux/strongSwan gateway on the packet's path: netfilter hooks
 * (prerouting, forward, postrouting NAT, input and output for IKE/ESP),
 * strongSwan's routes in table 220 and its xfrm policies from the swanctl
 * children. With kernel-libipsec (an ipsec0 TUN, tests/lab/README.md) the
 * plaintext enters and leaves through ipsec0, ESP always travels in UDP 4500,
 * and "ipsec in/out" matches never hold. */
#include <string.h>

#include "engine/netfilter.h"
#include "engine/natt.h"
#include "engine/trace_internal.h"

/* The TUN interface of kernel-libipsec, when the site has one. */
static const struct iface *
libipsec_tun(const struct site *s)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].role == ROLE_ENC && s->ifaces[i].dev &&
		    strcmp(s->ifaces[i].key, "enc0") != 0)
			return &s->ifaces[i];
	return NULL;
}

/* The xfrm interface (`ip link add ... type xfrm if_id N`) whose if_id is
 * id, or NULL (doc/behaviour/cloud-and-linux.md §10). */
static const struct iface *
xfrm_iface(const struct site *s, unsigned id)
{
	for (size_t i = 0; id && i < s->nifaces; i++)
		if (s->ifaces[i].has_if_id && s->ifaces[i].xfrm_if_id == id)
			return &s->ifaces[i];
	return NULL;
}

/* Route-based xfrm: a policy with an if_id matches only packets routed
 * into the xfrm interface with that if_id, and the child's selectors
 * still apply. The child for a packet routed into f, or NULL. */
static const struct phase2 *
xfrm_if_child(const struct site *s, const struct iface *f,
	      const struct ipaddr *src, const struct ipaddr *dst)
{
	for (size_t i = 0; f && f->has_if_id && i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (p2->if_id_out == f->xfrm_if_id && !p2->disabled &&
		    !(p2->p1 && p2->p1->disabled) &&
		    prefix_contains(&p2->local.net, src) &&
		    prefix_contains(&p2->remote.net, dst))
			return p2;
	}
	return NULL;
}

static struct step *
nf_step(struct leg *l, enum step_kind kind, const struct site *s,
	const char *iface, const struct nf_result *r, const char *hook,
	const char *prefix)
{
	struct arena *ar = l->e->ar;
	struct step *st =
	    leg_step(l, kind, s, iface,
		     arena_printf(ar, "%s%s (%s hook)", prefix,
				  nf_describe(ar, s, r, hook), hook));
	st->rule = r->rule;
	if (r->rule)
		st->loc = r->rule->loc;
	else if (r->chain)
		st->loc = r->chain->loc;
	return st;
}

bool
linux_tunnel_passes(const struct site *s, const struct packet *p)
{
	const struct iface *tun = libipsec_tun(s);
	const struct route *rt = route_lookup(s, &p->dst);
	const struct phase1 *p1 = s->np1 ? &s->p1[0] : NULL;
	const struct iface *xf = NULL;
	for (size_t i = 0; !tun && xf == NULL && i < s->np2; i++)
		if (prefix_contains(&s->p2[i].remote.net, &p->src) &&
		    prefix_contains(&s->p2[i].local.net, &p->dst))
			xf = xfrm_iface(s, s->p2[i].if_id_in);
	struct nf_pkt np = {.p = *p,
			    .iif = tun	? tun->key
				   : xf ? xf->key
				   : p1 ? p1->iface
					: NULL,
			    .oif = rt ? rt->iface : NULL,
			    .ct = NF_CT_NEW,
			    .ipsec_in = tun == NULL && xf == NULL};
	return nf_hook(s, "forward", "filter", &np).accept;
}

bool
linux_inside_passes(const struct site *s, const struct packet *p)
{
	const struct iface *tun = libipsec_tun(s);
	const struct iface *in = site_iface_for_addr(s, &p->src);
	const struct route *rt = route_lookup(s, &p->dst);
	struct nf_pkt np = {.p = *p,
			    .iif = in ? in->key : NULL,
			    .oif = tun	? tun->key
				   : rt ? rt->iface
					: NULL,
			    .ct = NF_CT_NEW,
			    .ipsec_out = tun == NULL};
	return nf_hook(s, "forward", "filter", &np).accept;
}

bool
linux_wan_passes(const struct site *s, const struct phase1 *p1,
		 const struct packet *outer)
{
	struct nf_pkt np = {
	    .p = *outer, .iif = p1->iface, .ct = NF_CT_ESTABLISHED};
	return nf_hook(s, "input", "filter", &np).accept;
}

/* Source NAT in postrouting; returns the rule that rewrote the source. */
static const struct rule *
postrouting_nat(struct leg *l, const struct site *s, struct nf_pkt *np)
{
	struct nf_result r = nf_hook(s, "postrouting", "nat", np);
	if (r.nat == NULL)
		return NULL;
	const struct iface *f = site_iface(s, np->oif);
	struct ipaddr old = l->pkt.src;
	if (r.nat->has_nat_addr)
		l->pkt.src = r.nat->nat_addr;
	else if (f && f->naddrs)
		l->pkt.src = f->addrs[0].addr;
	nf_step(l, STEP_NAT, s, np->oif, &r, "postrouting",
		arena_printf(l->e->ar, "source %s -> %s by ",
			     ipaddr_str(l->e->ar, &old),
			     ipaddr_str(l->e->ar, &l->pkt.src)));
	np->p.src = l->pkt.src;
	return r.nat;
}

/* No policy takes the packet: routing, postrouting NAT (unless done
 * already) and out the interface in clear. */
static bool
linux_clear(struct leg *l, const struct site *s, struct nf_pkt *np,
	    const struct phase2 *off, const char *why, bool natted,
	    enum finding_id cause)
{
	struct arena *ar = l->e->ar;
	const struct route *rt = route_lookup(s, &l->pkt.dst);
	leg_spd_miss(l, s, off,
		     why   ? why
		     : off ? arena_printf(ar,
					  "child '%s' would cover it but "
					  "is disabled",
					  off->descr ? off->descr : "")
			   : "no IPsec policy (swanctl child) covers this "
			     "source and destination");
	if (rt == NULL)
		return leg_fail(l,
				leg_step(l, STEP_NO_ROUTE, s, NULL,
					 "no route to the destination"),
				cause);
	struct step *st = leg_step(
	    l, STEP_ROUTED, s, rt->iface,
	    arena_printf(ar, "%s route %s via %s", route_kind_name(rt->kind),
			 prefix_str(ar, &rt->net), rt->iface));
	st->route = rt;
	st->loc = rt->loc;
	np->oif = rt->iface;
	if (!natted)
		postrouting_nat(l, s, np);
	const struct iface *f = site_iface(s, rt->iface);
	if (f && f->role == ROLE_WAN)
		return leg_fail(l,
				leg_step(l, STEP_EXITS_NETWORK, s, rt->iface,
					 "leaves the WAN in clear toward the "
					 "Internet, not into the tunnel"),
				cause);
	return leg_fail(l,
			leg_step(l, STEP_TRANSMITTED, s, rt->iface,
				 arena_printf(ar,
					      "sent out %s without "
					      "encryption",
					      rt->iface)),
			cause);
}

bool
linux_send(struct leg *l)
{
	struct arena *ar = l->e->ar;
	const struct site *s = l->from;
	const struct iface *in = site_iface_for_addr(s, &l->pkt.src);
	const char *ifk = in ? in->key : NULL;
	const struct iface *tun = libipsec_tun(s);
	leg_step(l, STEP_RECEIVED, s, ifk,
		 arena_printf(ar, "arrives on %s", ifk ? ifk : "?"));
	struct nf_pkt np = {.p = l->pkt,
			    .iif = ifk,
			    .ct = l->reply ? NF_CT_ESTABLISHED : NF_CT_NEW};
	struct nf_result r = nf_hook(s, "prerouting", NULL, &np);
	if (!r.accept)
		return leg_fail(l,
				nf_step(l, STEP_DENIED_IN, s, ifk, &r,
					"prerouting", "dropped by "),
				CHK_LAN_RULES_MISSING);
	const struct phase2 *off = NULL;
	const struct phase2 *p2 = spd_lookup(s, &l->pkt.src, &l->pkt.dst, &off);
	const struct route *rt = route_lookup(s, &l->pkt.dst);
	if (p2 == NULL && rt && !tun)
		p2 = xfrm_if_child(s, site_iface(s, rt->iface), &l->pkt.src,
				   &l->pkt.dst);
	np.oif = p2 && tun ? tun->key : rt ? rt->iface : NULL;
	np.ipsec_out = p2 && !tun;
	r = nf_hook(s, "forward", "filter", &np);
	if (!r.accept)
		return leg_fail(l,
				nf_step(l, STEP_DENIED_IN, s, ifk, &r,
					"forward", "dropped by "),
				CHK_LAN_RULES_MISSING);
	nf_step(l, STEP_FILTER, s, ifk, &r, "forward", "accepted by ");
	if (p2 == NULL)
		return linux_clear(l, s, &np, off, NULL, false,
				   off ? CHK_TUNNEL_DISABLED
				       : CHK_P2_NOT_COVERED);
	/* a marked policy matches only marked packets (cloud-and-linux.md
	 * §10) */
	if (p2->has_mark_out &&
	    xfrm_mark_unset(s, p2->mark_out, p2->mark_out_mask))
		return linux_clear(
		    l, s, &np, NULL,
		    arena_printf(ar,
				 "child '%s' matches only packets marked "
				 "%#x/%#x, and no VTI or netfilter rule "
				 "marks them",
				 p2->descr ? p2->descr : "", p2->mark_out,
				 p2->mark_out_mask),
		    false, CHK_LINUX_XFRM_MARK);
	/* xfrm: NAT before the policy lookup rewrites the source away */
	if (!tun && postrouting_nat(l, s, &np) &&
	    !prefix_contains(&p2->local.net, &l->pkt.src))
		return linux_clear(
		    l, s, &np, NULL,
		    arena_printf(ar,
				 "after NAT the source %s "
				 "no longer matches child '%s' "
				 "(%s === %s)",
				 ipaddr_str(ar, &l->pkt.src),
				 p2->descr ? p2->descr : "",
				 prefix_str(ar, &p2->local.net),
				 prefix_str(ar, &p2->remote.net)),
		    true, CHK_NAT_BEFORE_IPSEC);
	struct step *st = leg_step(
	    l, STEP_SPD_MATCH, s, tun ? tun->key : "xfrm",
	    arena_printf(ar, "child '%s' %s === %s", p2->descr ? p2->descr : "",
			 prefix_str(ar, &p2->local.net),
			 prefix_str(ar, &p2->remote.net)));
	st->p2 = p2;
	st->loc = p2->loc;
	l->p2 = p2;
	const struct phase1 *p1 = p2->p1;
	/* kernel-libipsec always uses UDP 4500; else decided as for pfSense
	 * (doc/behaviour/tunnel-path.md §2) */
	l->natt = tun != NULL;
	if (p1) {
		/* a NAT between the peers matters with libipsec too: the
		 * receiver knows the sender by the NAT's public address */
		struct natt_verdict nv = engine_natt(l->e, s, p1);
		l->natt = l->natt || nv.in_use;
		l->nat_between = nv.nat_between;
		l->natt_why = tun ? "kernel-libipsec always encapsulates ESP "
				    "in UDP 4500"
				  : nv.citation;
	}
	l->outer_known = p1 && p1->local_known;
	if (l->outer_known)
		l->outer_src = p1->local;
	leg_encrypt(l, s, p2);
	if (l->path->fail_at >= 0)
		return false;
	/* the ESP (in UDP 4500) leaves from the gateway itself: output hook */
	if (p1 && p1->peer_known && l->outer_known) {
		struct nf_pkt o = {
		    .p = {.src = p1->local,
			  .dst = p1->peer,
			  .proto = (uint8_t)(l->natt ? PROTO_UDP : PROTO_ESP),
			  .sport = l->natt ? 4500 : 0,
			  .dport = l->natt ? 4500 : 0},
		    .oif = p1->iface,
		    .ct = NF_CT_ESTABLISHED};
		struct nf_result ro = nf_hook(s, "output", "filter", &o);
		if (!ro.accept)
			return leg_fail(l,
					nf_step(l, STEP_DENIED_OUT, s,
						p1->iface, &ro, "output",
						"ESP to the peer dropped by "),
					CHK_WAN_VPN_BLOCKED);
	}
	leg_step(l, STEP_TRANSMITTED, s, p1 ? p1->iface : NULL,
		 arena_printf(ar, "%s to peer %s",
			      l->natt ? "ESP in UDP 4500" : "ESP",
			      p1 ? p1->remote : "?"));
	return true;
}

/* IKE and ESP (or NAT-T) from the peer through the input hook. While the
 * tunnel is up both directions have conntrack entries: ESTABLISHED. */
static bool
linux_wan_in(struct leg *l, const struct site *s, const struct phase1 *p1,
	     bool natt)
{
	static const struct {
		unsigned proto, port;
		const char *name;
	} need[] = {{PROTO_UDP, 500, "IKE (UDP 500)"},
		    {PROTO_UDP, 4500, "NAT-T (UDP 4500)"},
		    {PROTO_ESP, 0, "ESP"}};
	struct nf_result last = {.accept = true};
	for (size_t i = 0; i < 3; i++) {
		if ((need[i].port == 4500 && !natt) ||
		    (need[i].proto == PROTO_ESP && natt))
			continue;
		struct packet o =
		    outer_packet(l, p1, s, need[i].proto, need[i].port);
		if (p1->local_known)
			o.dst = p1->local;
		struct nf_pkt np = {
		    .p = o, .iif = p1->iface, .ct = NF_CT_ESTABLISHED};
		struct nf_result r = nf_hook(s, "input", "filter", &np);
		if (!r.accept)
			return leg_fail(
			    l,
			    nf_step(l, STEP_WAN_FILTER, s, p1->iface, &r,
				    "input",
				    arena_printf(l->e->ar,
						 "%s from peer "
						 "%s dropped by ",
						 need[i].name, p1->remote)),
			    CHK_WAN_VPN_BLOCKED);
		last = r;
	}
	nf_step(l, STEP_WAN_FILTER, s, p1->iface, &last, "input",
		"IKE and ESP from the peer accepted by ");
	return true;
}

/* Does the receiving interface hold an address of the packet's family? */
static bool
iface_has_addr(const struct iface *f, unsigned fam)
{
	for (size_t i = 0; i < f->naddrs; i++)
		if (f->addrs[i].addr.fam == fam)
			return true;
	return false;
}

/* rp_filter, the max of conf/all and conf/<dev> (doc/behaviour/
 * cloud-and-linux.md §5, linux-lab.md §1): the route back to the source,
 * looked up with the rules as the kernel does it, must leave by the
 * receiving interface (strict), or exist at all (loose); on an interface
 * without an address loose is as strict. The kernel skips it for
 * packets xfrm decrypted (they carry a secpath), so only kernel-libipsec's
 * TUN, where they arrive as plain packets, is checked. */
static bool
rp_filter_passes(struct leg *l, const struct site *s, const struct iface *in)
{
	struct arena *ar = l->e->ar;
	const struct srcloc *la = NULL, *ld = NULL;
	long all = site_sysctl(s, "net.ipv4.conf.all.rp_filter", &la);
	long dev =
	    in && in->dev
		? site_sysctl(
		      s,
		      arena_printf(ar, "net.ipv4.conf.%s.rp_filter", in->dev),
		      &ld)
		: -1;
	long rp = all > dev ? all : dev;
	if (rp <= 0 || rp > 2 || in == NULL || s->nroutes == 0 ||
	    l->pkt.src.fam != FAM_V4)
		return true;
	/* the kernel looks back "as if from" the forward route's output
	 * device, from lo for the gateway's own addresses */
	const struct route *fw = site_is_own_addr(s, &l->pkt.dst)
				     ? NULL
				     : route_lookup(s, &l->pkt.dst);
	const struct iface *out =
	    fw && fw->iface ? site_iface(s, fw->iface) : NULL;
	const char *iif = out && out->dev ? out->dev : "lo";
	const struct route *rt =
	    route_lookup_rpf(s, &l->pkt.src, &l->pkt.dst, iif);
	bool back_in = rt && rt->iface && strcmp(rt->iface, in->key) == 0;
	bool no_addr = !iface_has_addr(in, FAM_V4);
	if (back_in || (rp == 2 && rt && !no_addr))
		return true;
	struct step *st = leg_step(
	    l, STEP_DENIED_IN, s, in->key,
	    arena_printf(
		ar,
		"rp_filter=%ld (%s, %s) drops it after "
		"decryption: the route back to %s %s%s",
		rp, rp == 1 ? "strict" : "loose",
		all >= dev ? "conf.all" : arena_printf(ar, "conf.%s", in->dev),
		ipaddr_str(ar, &l->pkt.src),
		rt ? arena_printf(ar, "leaves via %s (%s), not %s", rt->iface,
				  prefix_str(ar, &rt->net), in->key)
		   : "does not exist",
		rp == 2 && rt ? arena_printf(ar,
					     ", and %s has no IPv4 address "
					     "(loose then checks as strict)",
					     in->key)
			      : ""));
	st->loc = *(all >= dev ? la : ld);
	return leg_fail(l, st, CHK_LINUX_RP_FILTER);
}

/* Forwarded decrypted traffic needs a fwd policy when an `ip xfrm
 * policy` dump is given (doc/behaviour/cloud-and-linux.md §6). */
static bool
fwd_policy_passes(struct leg *l, const struct site *s, const struct phase2 *p2,
		  const struct iface *tun)
{
	if (!s->has_xpols || tun || site_is_own_addr(s, &l->pkt.dst))
		return true;
	for (size_t i = 0; i < s->nxpols; i++) {
		const struct xfrm_pol *x = &s->xpols[i];
		if (x->dir == XDIR_FWD && !x->block &&
		    prefix_contains(&x->src, &l->pkt.src) &&
		    prefix_contains(&x->dst, &l->pkt.dst) &&
		    (x->if_id == 0 || x->if_id == p2->if_id_in))
			return true;
	}
	struct arena *ar = l->e->ar;
	struct step *st = leg_step(
	    l, STEP_DENIED_IN, s, "xfrm",
	    arena_printf(ar,
			 "no 'dir fwd' xfrm policy covers %s -> %s: "
			 "the kernel drops forwarded decrypted packets "
			 "(XfrmInNoPols)",
			 ipaddr_str(ar, &l->pkt.src),
			 ipaddr_str(ar, &l->pkt.dst)));
	/* the dump as a whole is the evidence: no line has it */
	st->loc =
	    s->nxpols ? (struct srcloc){.file = s->xpols[0].loc.file} : p2->loc;
	return leg_fail(l, st, CHK_LINUX_FWD_POLICY);
}

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool
from_ipsec_conf(const struct site *s, const struct phase1 *p1)
{
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == INPUT_IPSEC_CONF && p1->loc.file &&
		    strcmp(s->inputs[i].path, p1->loc.file) == 0)
			return true;
	return false;
}

/* ipsec.conf conns with the same peer, identities and IKE settings are
 * one peer config with several children in charon (stroke_config.c
 * add(): "added child to existing configuration",
 * doc/behaviour/real-bundles.md §8): a child of a sibling conn accepts
 * what p1's own children do not. */
static const struct phase2 *
stroke_sibling_inbound(const struct site *s, const struct phase1 *p1,
		       const struct ipaddr *src, const struct ipaddr *dst)
{
	if (!p1->peer_known || !from_ipsec_conf(s, p1))
		return NULL;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *q = &s->p1[i];
		if (q == p1 || q->disabled || !q->peer_known ||
		    ipaddr_cmp(&q->peer, &p1->peer) != 0 ||
		    q->ikever != p1->ikever || !same_str(q->myid, p1->myid) ||
		    !same_str(q->peerid, p1->peerid) ||
		    !same_str(q->proposals, p1->proposals))
			continue;
		const struct phase2 *p2 = spd_inbound(s, q, src, dst);
		if (p2)
			return p2;
	}
	return NULL;
}

bool
linux_recv(struct leg *l, bool esp_state)
{
	struct arena *ar = l->e->ar;
	const struct site *s = l->to;
	(void)esp_state;
	const struct phase1 *p1 = peer_phase1(s, l);
	if (p1 == NULL)
		return leg_fail(l,
				leg_step(l, STEP_DENIED_IN, s, NULL,
					 arena_printf(ar,
						      "site %s has no "
						      "connection for this "
						      "peer: no tunnel",
						      s->name)),
				CHK_P1_PEER_MISMATCH);
	const struct iface *tun = libipsec_tun(s);
	leg_step(l, STEP_RECEIVED, s, p1->iface,
		 arena_printf(ar, "arrives on %s from peer %s", p1->iface,
			      p1->remote));
	/* behind a NAT the input hook sees the NAT's public address,
	 * which the connection names (doc/behaviour/tunnel-path.md §2) */
	if (l->nat_between && p1->peer_known)
		l->outer_src = p1->peer;
	if (!linux_wan_in(l, s, p1, tun != NULL || l->natt))
		return false;
	const struct phase2 *p2 = spd_inbound(s, p1, &l->pkt.src, &l->pkt.dst);
	if (p2 == NULL)
		p2 = stroke_sibling_inbound(s, p1, &l->pkt.src, &l->pkt.dst);
	const struct phase2 *off =
	    p2 ? NULL : spd_inbound_disabled(s, p1, &l->pkt.src, &l->pkt.dst);
	if (p2 == NULL) {
		struct step *st = leg_step(
		    l, STEP_SELECTOR_MISMATCH, s, tun ? tun->key : "xfrm",
		    arena_printf(ar,
				 "no child of '%s' at site %s accepts "
				 "%s -> %s: dropped after decryption",
				 p1->descr ? p1->descr : p1->remote, s->name,
				 ipaddr_str(ar, &l->pkt.src),
				 ipaddr_str(ar, &l->pkt.dst)));
		st->loc = off ? off->loc : p1->loc;
		return leg_fail(l, st,
				off ? CHK_TUNNEL_DISABLED : CHK_P2_MISMATCH);
	}
	struct step *st = leg_step(
	    l, STEP_DECRYPTED, s, tun ? tun->key : "xfrm",
	    arena_printf(ar, "child '%s' %s === %s", p2->descr ? p2->descr : "",
			 prefix_str(ar, &p2->local.net),
			 prefix_str(ar, &p2->remote.net)));
	st->p2 = p2;
	st->loc = p2->loc;
	if (!fwd_policy_passes(l, s, p2, tun) || !rp_filter_passes(l, s, tun))
		return false;
	const struct route *rt = route_lookup(s, &l->pkt.dst);
	/* decrypted by a child with an if_id: it comes in on that xfrm
	 * interface */
	const struct iface *xf = tun ? NULL : xfrm_iface(s, p2->if_id_in);
	const char *iif = tun ? tun->key : xf ? xf->key : p1->iface;
	struct nf_pkt np = {.p = l->pkt,
			    .iif = iif,
			    .oif = rt ? rt->iface : NULL,
			    .ct = l->reply ? NF_CT_ESTABLISHED : NF_CT_NEW,
			    .ipsec_in = tun == NULL && xf == NULL};
	/* to the gateway itself (trace self's reply): the input hook */
	const char *hook =
	    site_is_own_addr(s, &l->pkt.dst) ? "input" : "forward";
	struct nf_result r = nf_hook(s, "prerouting", NULL, &np);
	if (r.accept)
		r = nf_hook(s, hook, "filter", &np);
	if (!r.accept)
		return leg_fail(l,
				nf_step(l, STEP_DENIED_IN, s, iif, &r, hook,
					"from the tunnel, dropped by "),
				CHK_IPSEC_RULES_MISSING);
	nf_step(l, STEP_FILTER, s, iif, &r, hook,
		"from the tunnel, "
		"accepted by ");
	return deliver_inside(l, s);
}
