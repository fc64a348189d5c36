/* Traffic the firewall itself originates (ping without a source, DNS,
 * NTP, syslog, LDAP/RADIUS...): the kernel's route lookup picks the
 * source address, then the IPsec policies are consulted with it
 * (doc/behaviour/self-traffic.md §1-§3). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine/esp_overhead.h"
#include "engine/trace_internal.h"
#include "engine/trace_self.h"

static bool
first_addr(const struct iface *f, unsigned fam, struct ipaddr *out)
{
	for (size_t i = 0; f && i < f->naddrs; i++)
		if (f->addrs[i].addr.fam == fam) {
			*out = f->addrs[i].addr;
			return true;
		}
	return false;
}

static const struct iface *
iface_named(const struct site *s, const char *name)
{
	const struct iface *f = site_iface_by_dev(s, name);
	for (size_t i = 0; f == NULL && i < s->nifaces; i++)
		if (s->ifaces[i].descr &&
		    strcasecmp(s->ifaces[i].descr, name) == 0)
			f = &s->ifaces[i];
	return f;
}

/* Is dst behind one of the site's tunnels (a phase 2 remote network
 * other than 0/0)? */
static const struct phase2 *
tunnel_for(const struct site *s, const struct ipaddr *dst)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (p2->mode != P2_TRANSPORT && p2->remote.resolved &&
		    p2->remote.net.len > 0 &&
		    prefix_contains(&p2->remote.net, dst))
			return p2;
	}
	return NULL;
}

/* strongSwan's source route (table 220): an own address inside the
 * local traffic selector of the child covering dst (§3). */
static bool
has_input(const struct site *s, enum input_kind k)
{
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == k && !s->inputs[i].failed)
			return true;
	return false;
}

static bool
linux_source(struct leg *l, const struct site *s, const struct ipaddr *dst,
	     struct ipaddr *out, const char **why)
{
	/* with `ip route` given, the route must be there (strongswan#2339:
	 * none for port-restricted selectors); else charon's default */
	const struct route *rt = route_lookup(s, dst);
	bool listed = has_input(s, INPUT_IP_ROUTE);
	if (listed && (rt == NULL || rt->kind != ROUTE_IPSEC))
		return false;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (!p2_enabled(p2) || !prefix_contains(&p2->remote.net, dst))
			continue;
		for (size_t j = 0; j < s->nifaces; j++)
			for (size_t k = 0; k < s->ifaces[j].naddrs; k++) {
				const struct ipaddr *a =
				    &s->ifaces[j].addrs[k].addr;
				if (prefix_contains(&p2->local.net, a)) {
					*out = *a;
					*why = "strongSwan's source route in "
					       "table "
					       "220: an own address inside the "
					       "local traffic selector";
					if (!listed)
						leg_assume(
						    l,
						    arena_printf(
							l->e->ar,
							"charon installed "
							"its route to %s in "
							"table "
							"220 (install_routes, "
							"the "
							"default; give `ip -j "
							"route "
							"show table all` to "
							"check)",
							prefix_str(
							    l->e->ar,
							    &p2->remote.net)));
					return true;
				}
			}
	}
	return false;
}

/* The source the kernel gives a socket with no bound address. */
static bool
pick_source(struct leg *l, const char *ifname, const char **err)
{
	struct arena *ar = l->e->ar;
	struct site *s = l->from;
	struct packet *p = &l->pkt;
	const struct iface *f = NULL;
	const char *why = NULL;
	struct srcloc loc = {0};
	if (ifname) {
		f = iface_named(s, ifname);
		if (f == NULL || !first_addr(f, p->dst.fam, &p->src)) {
			*err = arena_printf(ar,
					    "site %s has no interface '%s' "
					    "with an %s address",
					    s->name, ifname,
					    p->dst.fam == FAM_V6 ? "IPv6"
								 : "IPv4");
			return false;
		}
		why = "the source chosen (Diagnostics > Ping 'Source address', "
		      "ping -S)";
		loc = f->loc;
	} else if (s->kind == SITE_LINUX &&
		   linux_source(l, s, &p->dst, &p->src, &why)) {
		f = site_iface_for_addr(s, &p->src);
	} else {
		const struct route *rt = route_lookup(s, &p->dst);
		f = rt ? site_iface(s, rt->iface) : NULL;
		if (f == NULL || !first_addr(f, p->dst.fam, &p->src)) {
			*err = arena_printf(ar,
					    "site %s has no route with a "
					    "known interface address to %s",
					    s->name, ipaddr_str(ar, &p->dst));
			return false;
		}
		why = arena_printf(ar,
				   "the address of %s, the interface its "
				   "%s route %s leaves by",
				   iface_label(s, f->key),
				   route_kind_name(rt->kind),
				   prefix_str(ar, &rt->net));
		loc = rt->loc;
	}
	struct step *st = leg_step(
	    l, STEP_ORIGINATED, s, f ? f->key : "self",
	    arena_printf(ar, "the firewall itself sends to %s from %s: %s",
			 ipaddr_str(ar, &p->dst), ipaddr_str(ar, &p->src),
			 why));
	st->loc = loc;
	return true;
}

/* No policy takes it: it follows the routing table in clear. */
static bool
self_leaks(struct leg *l, const struct phase2 *off)
{
	struct arena *ar = l->e->ar;
	struct site *s = l->from;
	const struct packet *p = &l->pkt;
	const struct phase2 *want = tunnel_for(s, &p->dst);
	enum finding_id cause =
	    off ? CHK_TUNNEL_DISABLED : CHK_SELF_TRAFFIC_UNCOVERED;
	struct step *st = leg_spd_miss(
	    l, s, off ? off : want,
	    off ? arena_printf(ar,
			       "phase 2 '%s' would cover it but is "
			       "disabled",
			       off->descr ? off->descr : "")
	    : want
		? arena_printf(ar,
			       "no phase 2 covers %s -> %s: phase 2 "
			       "'%s' carries %s === %s, and the source "
			       "%s is not in %s",
			       ipaddr_str(ar, &p->src), ipaddr_str(ar, &p->dst),
			       want->descr ? want->descr : "",
			       prefix_str(ar, &want->local.net),
			       prefix_str(ar, &want->remote.net),
			       ipaddr_str(ar, &p->src),
			       prefix_str(ar, &want->local.net))
		: "no phase 2 covers it (not tunnel traffic)");
	const struct route *rt = route_lookup(s, &p->dst);
	if (rt == NULL)
		return leg_fail(l,
				leg_step(l, STEP_NO_ROUTE, s, NULL,
					 "no route to the destination"),
				cause);
	st = leg_step(l, STEP_ROUTED, s, rt->iface,
		      arena_printf(ar, "%s route %s via %s",
				   route_kind_name(rt->kind),
				   prefix_str(ar, &rt->net),
				   rt->gateway ? rt->gateway
					       : iface_label(s, rt->iface)));
	st->route = rt;
	st->loc = rt->loc;
	const struct iface *f = site_iface(s, rt->iface);
	bool wan = f && f->role == ROLE_WAN;
	if (want == NULL && off == NULL) { /* not tunnel traffic */
		leg_step(l, wan ? STEP_EXITS_NETWORK : STEP_TRANSMITTED, s,
			 rt->iface,
			 arena_printf(ar, "out %s in clear",
				      iface_label(s, rt->iface)));
		return false;
	}
	st = leg_step(
	    l, wan ? STEP_EXITS_NETWORK : STEP_TRANSMITTED, s, rt->iface,
	    arena_printf(ar,
			 "the firewall's own packet from %s, "
			 "which no phase 2 covers, goes out %s in "
			 "clear%s",
			 ipaddr_str(ar, &p->src), iface_label(s, rt->iface),
			 wan ? ", toward the Internet, not into the "
			       "tunnel"
			     : ", not into the tunnel"));
	const struct phase2 *why = off ? off : want;
	st->p2 = why;
	st->loc = why->loc;
	return leg_fail(l, st, cause);
}

/* Where the plaintext meets IPsec: enc0 on pfSense, kernel-libipsec's
 * TUN on a Linux gateway that has one, else the kernel's xfrm. */
static const char *
ipsec_iface(const struct site *s, bool *tun)
{
	*tun = false;
	if (s->kind != SITE_LINUX)
		return "enc0";
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].role == ROLE_ENC && s->ifaces[i].dev &&
		    strcmp(s->ifaces[i].key, "enc0") != 0) {
			*tun = true;
			return s->ifaces[i].key;
		}
	return "xfrm";
}

static bool
self_send(struct leg *l)
{
	struct arena *ar = l->e->ar;
	struct site *s = l->from;
	const struct phase2 *off = NULL;
	const struct phase2 *p2 = spd_lookup(s, &l->pkt.src, &l->pkt.dst, &off);
	if (p2 == NULL)
		return self_leaks(l, off);
	bool tun;
	struct step *st =
	    leg_step(l, STEP_SPD_MATCH, s, ipsec_iface(s, &tun),
		     arena_printf(ar, "phase 2 '%s' %s === %s",
				  p2->descr ? p2->descr : "",
				  prefix_str(ar, &p2->local.net),
				  prefix_str(ar, &p2->remote.net)));
	st->p2 = p2;
	st->loc = p2->loc;
	l->p2 = p2;
	/* kernel-libipsec always encapsulates ESP in UDP 4500 */
	l->natt = tun || (p2->p1 && p2->p1->natt &&
			  strcmp(p2->p1->natt, "force") == 0);
	l->outer_known = p2->p1 && p1_local_addr(s, p2->p1, &l->outer_src);
	leg_encrypt(l, s, p2);
	if (l->path->fail_at >= 0)
		return false;
	leg_step(l, STEP_TRANSMITTED, s, p2->p1 ? p2->p1->iface : NULL,
		 arena_printf(ar, "out %s to peer %s",
			      p2->p1 ? iface_label(s, p2->p1->iface) : "WAN",
			      p2->p1 ? p2->p1->remote : "?"));
	return true;
}

bool
engine_trace_self(struct engine *e, struct site *s, const char *ifname,
		  const struct packet *pkt, const char *proto_text,
		  struct flow_trace *out, const char **err)
{
	memset(out, 0, sizeof(*out));
	out->pkt = *pkt;
	out->proto_text = proto_text;
	out->request.fail_at = out->reply.fail_at = -1;
	struct site *b = engine_site_of(e, &pkt->dst);
	struct leg req = {.e = e,
			  .ft = out,
			  .path = &out->request,
			  .from = s,
			  .to = b == s ? NULL : b,
			  .pkt = *pkt};
	if (!pick_source(&req, ifname, err))
		return false;
	out->pkt.src = req.pkt.src;
	if (!self_send(&req) || !leg_arrive(&req, false))
		return true;
	out->reply_traced = true;
	struct leg rep = {.e = e,
			  .ft = out,
			  .path = &out->reply,
			  .from = req.to,
			  .to = s,
			  .pkt = packet_reply(&out->pkt),
			  .reply = true};
	leg_run(&rep, true);
	return true;
}
