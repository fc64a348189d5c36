/* Hop-by-hop simulation of a flow through two pfSense (or unknown) sites.
 * Each hop becomes a step naming what decided it. */
#include "engine/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/esp_overhead.h"
#include "engine/natt.h"
#include "engine/route.h"
#include "engine/ruleset.h"
#include "engine/trace_internal.h"

struct engine *
engine_new(struct arena *ar, struct site **sites, size_t n)
{
	struct engine *e = arena_alloc(ar, sizeof(*e));
	e->ar = ar;
	e->sites = sites;
	e->nsites = n;
	/* one NAT-T verdict per tunnel, for the trace and for every check
	 * that sizes packets (esp_encap_of) */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sites[i]->np1; j++) {
			struct phase1 *p1 = &sites[i]->p1[j];
			struct natt_verdict v = engine_natt(e, sites[i], p1);
			p1->natt_decided = true;
			p1->natt_in_use = v.in_use;
			p1->natt_nat_between = v.nat_between;
			p1->natt_from_configs = v.decided_by == NATT_BY_CONFIG;
			p1->natt_why = v.citation;
		}
	return e;
}

static const struct ruleset *
rules_cached(struct engine *e, const struct site *s, const char *iface,
	     bool out, bool model)
{
	if (iface == NULL)
		iface = ""; /* a phase 1 or route without interface: none */
	for (size_t i = 0; i < e->ncache; i++)
		if (e->cache[i].site == s && e->cache[i].out == out &&
		    e->cache[i].model == model &&
		    strcmp(e->cache[i].iface, iface) == 0)
			return &e->cache[i].rs;
	struct rs_cache *c = ARENA_PUSH(e->ar, e->cache, e->ncache, e->ccache);
	c->site = s;
	c->iface = iface;
	c->out = out;
	c->model = model;
	if (!model)
		c->rs = ruleset_running(e->ar, s, iface, out);
	if (!c->rs.running)
		c->rs = out ? ruleset_outbound(e->ar, s, iface)
			    : ruleset_inbound(e->ar, s, iface);
	return &c->rs;
}

const struct ruleset *
engine_rules_for(struct engine *e, const struct site *s, const char *iface,
		 bool out)
{
	return rules_cached(e, s, iface, out, false);
}

const struct ruleset *
engine_model_rules_for(struct engine *e, const struct site *s,
		       const char *iface, bool out)
{
	return rules_cached(e, s, iface, out, true);
}

struct verdict
engine_eval(struct engine *e, const struct site *s, const char *iface, bool out,
	    const struct packet *p, struct pf_alt *alt)
{
	const struct ruleset *rs = engine_rules_for(e, s, iface, out);
	struct verdict v = ruleset_eval(rs, p);
	*alt = (struct pf_alt){.running = rs->running};
	if (!rs->running)
		return v;
	alt->model = ruleset_eval(engine_model_rules_for(e, s, iface, out), p);
	if (alt->model.pass == v.pass) {
		alt->alike = v.rule;
		return alt->model;
	}
	/* a config rule pfSense loads only while its schedule is active or
	 * its gateway up (doc/behaviour/status-archive.md §5): its absence
	 * says nothing about a reload */
	const struct rule *mr = alt->model.rule;
	bool optional = alt->model.pass && mr && (mr->scheduled || mr->gateway);
	if (optional || ruleset_unsure(rs, p, alt->model.pass)) {
		alt->unsure = true;
		alt->running = false;
		return alt->model;
	}
	alt->differs = true;
	return v;
}

enum finding_id
leg_mark_alt(struct leg *l, const struct site *s, struct step *st,
	     const struct pf_alt *alt, enum finding_id cause)
{
	struct arena *ar = l->e->ar;
	st->running = alt->running;
	st->running_unsure = alt->unsure;
	st->model_differs = alt->differs;
	st->model_rule = alt->differs ? alt->model.rule : NULL;
	if (alt->differs)
		st->what = arena_printf(
		    ar, "%s; the ruleset the config generates would %s it (%s)",
		    st->what, alt->model.pass ? "pass" : "block",
		    alt->model.rule ? rule_describe(ar, s, alt->model.rule)
				    : "no rule matched");
	else if (alt->running && alt->alike)
		st->what =
		    arena_printf(ar,
				 "%s; the running ruleset decides alike: "
				 "%s",
				 st->what, rule_describe(ar, s, alt->alike));
	else if (alt->unsure)
		st->what = arena_printf(
		    ar,
		    "%s (the running ruleset cannot tell: a table or name "
		    "whose contents its files lack, or a rule with a schedule "
		    "or a gateway that pfSense leaves out while inactive or "
		    "down; the config's ruleset decided)",
		    st->what);
	return alt->differs ? CHK_RULESET_NOT_LOADED : cause;
}

struct natt_verdict
engine_natt(struct engine *e, const struct site *s, const struct phase1 *p1)
{
	for (size_t i = 0; i < e->nnatt; i++)
		if (e->natt[i].site == s && e->natt[i].p1 == p1)
			return e->natt[i].v;
	struct natt_memo *m = ARENA_PUSH(e->ar, e->natt, e->nnatt, e->cnatt);
	m->site = s;
	m->p1 = p1;
	m->v = natt_decide(e->ar, e->sites, e->nsites, s, p1);
	return m->v;
}

static bool
in_p2_locals(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->np2; i++)
		if (s->p2[i].local.resolved &&
		    prefix_contains(&s->p2[i].local.net, a))
			return true;
	return false;
}

struct site *
engine_site_of(struct engine *e, const struct ipaddr *a)
{
	for (size_t i = 0; i < e->nsites; i++) {
		const struct iface *f = site_iface_for_addr(e->sites[i], a);
		if (f && f->role != ROLE_WAN)
			return e->sites[i];
	}
	for (size_t i = 0; i < e->nsites; i++)
		if (in_p2_locals(e->sites[i], a) || site_host(e->sites[i], a))
			return e->sites[i];
	return NULL;
}

static struct site *
site_by_addr(struct engine *e, const struct ipaddr *a)
{
	for (size_t i = 0; i < e->nsites; i++)
		if (site_is_own_addr(e->sites[i], a))
			return e->sites[i];
	return NULL;
}

struct step *
leg_step(struct leg *l, enum step_kind kind, const struct site *s,
	 const char *iface, const char *what)
{
	struct path *p = l->path;
	struct step *st = ARENA_PUSH(l->e->ar, p->steps, p->n, p->cap);
	st->kind = kind;
	st->site = s ? s->name : "-";
	st->iface = iface;
	st->what = what;
	p->disposition = kind;
	return st;
}

bool
leg_fail(struct leg *l, struct step *st, enum finding_id cause)
{
	st->failed = true;
	st->cause = cause;
	if (l->path->fail_at < 0)
		l->path->fail_at = (int)(l->path->n - 1);
	return false;
}

void
leg_assume(struct leg *l, const char *what)
{
	struct flow_trace *ft = l->ft;
	for (size_t i = 0; i < ft->nassump; i++)
		if (strcmp(ft->assumptions[i], what) == 0)
			return;
	*ARENA_PUSH(l->e->ar, ft->assumptions, ft->nassump, ft->cassump) = what;
}

struct step *
leg_step_rule(struct leg *l, enum step_kind kind, const struct site *s,
	      const char *iface, const struct verdict *v, const char *prefix)
{
	struct arena *ar = l->e->ar;
	const char *rd =
	    v->rule ? rule_describe(ar, s, v->rule) : "no rule matched";
	struct step *st =
	    leg_step(l, kind, s, iface, arena_printf(ar, "%s%s", prefix, rd));
	st->rule = v->rule;
	if (v->rule)
		st->loc = v->rule->loc;
	return st;
}

/* ---- hosts ---- */

static bool
firewall_addr_on(const struct iface *f, const struct ipaddr *a)
{
	for (size_t i = 0; f && i < f->naddrs; i++)
		if (ipaddr_cmp(&f->addrs[i].addr, a) == 0)
			return true;
	return false;
}

/* " (PC7)" for a host whose paste names it */
static const char *
host_label(struct arena *ar, const struct host *h)
{
	return h->name ? arena_printf(ar, " (%s)", h->name) : "";
}

/* A host route (route print, ip route) takes the packet to its gateway. */
static bool
host_route_send(struct leg *l, struct step *st, const struct host *h,
		const struct host_route *hr, const struct iface *f)
{
	struct arena *ar = l->e->ar;
	bool ok = firewall_addr_on(f, &hr->via);
	st->kind = STEP_SENT_TO_GATEWAY;
	st->loc = hr->loc;
	st->what =
	    arena_printf(ar, "host %s%s has route %s via %s%s",
			 ipaddr_str(ar, &h->addr), host_label(ar, h),
			 prefix_str(ar, &hr->net), ipaddr_str(ar, &hr->via),
			 ok ? ", the firewall" : ", not the firewall");
	return ok || leg_fail(l, st, CHK_HOST_GATEWAY);
}

/* The source host decides where to send: on link (mask) or a gateway. */
static bool
host_send(struct leg *l)
{
	struct arena *ar = l->e->ar;
	const struct packet *p = &l->pkt;
	struct step *st =
	    leg_step(l, STEP_ORIGINATED, l->from, "host",
		     arena_printf(ar, "%s sends to %s", ipaddr_str(ar, &p->src),
				  ipaddr_str(ar, &p->dst)));
	(void)st;
	if (l->from == NULL)
		return true;
	const struct host *h = site_host(l->from, &p->src);
	const struct iface *f = site_iface_for_addr(l->from, &p->src);
	if (h) {
		struct prefix hp = prefix_make(h->addr, h->plen);
		const struct host_route *hr = host_route_lookup(h, &p->dst);
		if (hr && prefix_contains(&hp, &p->dst) &&
		    hp.len >= hr->net.len)
			hr = NULL; /* the connected subnet is more specific */
		st = leg_step(l, STEP_ARP_ON_LINK, l->from, "host", NULL);
		if (hr && !hr->on_link)
			return host_route_send(l, st, h, hr, f);
		if (prefix_contains(&hp, &p->dst) || hr) {
			st->what =
			    hr ? arena_printf(
				     ar,
				     "host %s%s has route %s on its link: it "
				     "ARPs "
				     "for %s instead of using a gateway",
				     ipaddr_str(ar, &h->addr),
				     host_label(ar, h),
				     prefix_str(ar, &hr->net),
				     ipaddr_str(ar, &p->dst))
			       : arena_printf(
				     ar,
				     "host %s%s has mask /%u (%s): it thinks "
				     "%s is "
				     "on its link and ARPs for it instead of "
				     "using a gateway",
				     ipaddr_str(ar, &h->addr),
				     host_label(ar, h), h->plen,
				     prefix_str(ar, &hp),
				     ipaddr_str(ar, &p->dst));
			st->loc = hr		     ? hr->loc
				  : h->mask_loc.file ? h->mask_loc
						     : h->loc;
			leg_fail(l, st, CHK_HOST_MASK);
			leg_step(l, STEP_NEIGHBOR_UNREACHABLE, l->from, "host",
				 arena_printf(ar, "nobody answers ARP for %s",
					      ipaddr_str(ar, &p->dst)));
			return false;
		}
		l->path->n--; /* mask is fine: no ARP step */
		if (h->gw_unknown) {
			leg_assume(l,
				   arena_printf(ar,
						"host %s uses site %s's "
						"firewall as its gateway (the "
						"paste shows no routes)",
						ipaddr_str(ar, &p->src),
						l->from->name));
			return true;
		}
		st = leg_step(l, STEP_SENT_TO_GATEWAY, l->from, "host", NULL);
		st->loc = h->gw_loc.file ? h->gw_loc : h->loc;
		if (!h->has_gateway) {
			st->kind = STEP_NO_ROUTE;
			st->what = arena_printf(ar,
						"host %s%s has no default "
						"gateway",
						ipaddr_str(ar, &h->addr),
						host_label(ar, h));
			return leg_fail(l, st, CHK_HOST_GATEWAY);
		}
		if (h->ignores_gateway || !firewall_addr_on(f, &h->gateway)) {
			st->what = arena_printf(
			    ar, "host %s%s %s %s, not the firewall%s%s",
			    ipaddr_str(ar, &h->addr), host_label(ar, h),
			    h->ignores_gateway ? "ignores its gateway"
					       : "uses gateway",
			    h->ignores_gateway ? ""
					       : ipaddr_str(ar, &h->gateway),
			    f ? " " : "",
			    f ? iface_label(l->from, f->key) : "");
			return leg_fail(l, st, CHK_HOST_GATEWAY);
		}
		st->what =
		    arena_printf(ar,
				 "host %s%s uses the firewall %s "
				 "as gateway",
				 ipaddr_str(ar, &h->addr), host_label(ar, h),
				 ipaddr_str(ar, &h->gateway));
		return true;
	}
	if (f && f->dhcp_enabled && f->dhcp_gateway) {
		struct ipaddr gw;
		if (ipaddr_parse(str_from(f->dhcp_gateway), &gw) &&
		    !firewall_addr_on(f, &gw)) {
			st =
			    leg_step(l, STEP_SENT_TO_GATEWAY, l->from, "host",
				     arena_printf(ar,
						  "the DHCP server on %s hands "
						  "out gateway %s, not the "
						  "firewall: a DHCP host sends "
						  "there",
						  iface_label(l->from, f->key),
						  f->dhcp_gateway));
			st->loc = f->loc;
			st->assumed = true;
			return leg_fail(l, st, CHK_HOST_GATEWAY);
		}
	}
	if (f && !firewall_addr_on(f, &p->src))
		leg_assume(l, arena_printf(ar,
					   "host %s uses site %s's firewall "
					   "as its gateway",
					   ipaddr_str(ar, &p->src),
					   l->from->name));
	return true;
}

static bool
host_receive(struct leg *l)
{
	struct arena *ar = l->e->ar;
	const struct packet *p = &l->pkt;
	const struct host *h = l->to ? site_host(l->to, &p->dst) : NULL;
	if (h && h->firewall != HOST_FW_NONE) {
		struct step *st =
		    leg_step(l, STEP_DENIED_IN, l->to, "host",
			     arena_printf(ar, "host %s's own firewall %s it",
					  ipaddr_str(ar, &h->addr),
					  h->firewall == HOST_FW_DROP
					      ? "drops"
					      : "rejects (ICMP "
						"admin-prohibited / TCP RST)"));
		st->loc = h->loc;
		return leg_fail(l, st, CHK_HOST_FIREWALL);
	}
	struct step *st = leg_step(
	    l, STEP_DELIVERED, l->to, "host",
	    arena_printf(ar, "delivered to %s", ipaddr_str(ar, &p->dst)));
	if (h)
		st->loc = h->loc;
	else if (l->to)
		leg_assume(l, arena_printf(ar, "host %s accepts %s and answers",
					   ipaddr_str(ar, &p->dst),
					   l->ft->proto_text));
	return true;
}

/* ---- the sending firewall ---- */

/* The route for dst at s: the box's running table where it decides,
 * else the modelled one (doc/behaviour/status-archive.md §10). */
struct route_pick {
	const struct route *rt, *model;
	bool running;
};

static struct route_pick
pick_route(struct leg *l, const struct site *s, const struct ipaddr *dst)
{
	struct route_pick rp = {.model = route_lookup(s, dst)};
	rp.rt = route_running(l->e->ar, s, dst, &rp.running);
	if (!rp.running)
		rp.rt = rp.model;
	return rp;
}

/* The hop the running table decided says so, and where the config's
 * routes would send the packet instead. */
static void
mark_route(struct leg *l, const struct site *s, struct step *st,
	   const struct route_pick *rp)
{
	struct arena *ar = l->e->ar;
	if (!rp->running || st == NULL)
		return;
	st->route_running = true;
	if (rp->rt == NULL) {
		st->loc = (struct srcloc){.file = s->ev.box.routes_file};
		st->what = arena_printf(ar,
					"%s (the box's running table has "
					"no route for it)",
					st->what);
	}
	if (!route_differs(rp->rt, rp->model))
		return;
	/* a VTI is point to point: on it and via its peer are one way */
	const struct iface *f = rp->rt ? site_iface(s, rp->rt->iface) : NULL;
	if (f && f->role == ROLE_VTI && rp->model &&
	    strcmp(rp->model->iface ? rp->model->iface : "", f->key) == 0)
		return;
	st->route_differs = true;
	st->model_route = rp->model;
	const struct route *m = rp->model;
	st->what = arena_printf(
	    ar, "%s; the config's routes would %s", st->what,
	    m ? arena_printf(ar, "take it by %s route %s %s %s",
			     route_kind_name(m->kind), prefix_str(ar, &m->net),
			     m->gateway ? "via" : "on",
			     m->gateway ? m->gateway : iface_label(s, m->iface))
	      : "have no route for it");
}

/* The step of this leg that took route rt (the last one). */
static void
mark_route_step(struct leg *l, const struct site *s,
		const struct route_pick *rp)
{
	for (size_t i = l->path->n; rp->rt && i-- > 0;)
		if (l->path->steps[i].route == rp->rt) {
			mark_route(l, s, &l->path->steps[i], rp);
			return;
		}
}

bool
leg_leaks_out(struct leg *l, const struct site *s, const struct route *rt,
	      enum finding_id cause)
{
	struct arena *ar = l->e->ar;
	const struct iface *f = site_iface(s, rt->iface);
	struct step *st = leg_step(
	    l, STEP_ROUTED, s, rt->iface,
	    arena_printf(ar, "%s route %s via %s%s", route_kind_name(rt->kind),
			 prefix_str(ar, &rt->net),
			 rt->gateway ? rt->gateway : iface_label(s, rt->iface),
			 rt->origin ? arena_printf(ar, " (%s)", rt->origin)
				    : ""));
	st->route = rt;
	st->loc = rt->loc;
	if (f && f->role == ROLE_WAN) {
		leg_step(l, STEP_NAT, s, rt->iface,
			 arena_printf(ar, "outbound NAT to %s's address",
				      iface_label(s, rt->iface)));
		return leg_fail(l,
				leg_step(l, STEP_EXITS_NETWORK, s, rt->iface,
					 "leaves the WAN in clear toward the "
					 "Internet, not into the tunnel"),
				cause);
	}
	return leg_fail(l,
			leg_step(l, STEP_TRANSMITTED, s, rt->iface,
				 arena_printf(ar,
					      "sent out %s instead of the "
					      "tunnel",
					      iface_label(s, rt->iface))),
			cause);
}

void
leg_encrypt(struct leg *l, const struct site *s, const struct phase2 *p2)
{
	struct arena *ar = l->e->ar;
	const struct phase1 *p1 = p2->p1;
	struct esp_p2_eval ev;
	int nt = l->natt ? 1 : 0;
	/* where the policy matched: enc0, or a Linux ipsec0 / xfrm */
	const char *encif =
	    l->path->n ? l->path->steps[l->path->n - 1].iface : "enc0";
	if (!esp_eval_phase2(s, p2, &ev)) {
		struct step *st = leg_step(l, STEP_ENCRYPTED, s, encif,
					   arena_printf(ar,
							"ESP to %s (transform "
							"sizes unknown)",
							p1 ? p1->remote : "?"));
		st->p2 = p2;
		st->loc = p2->loc;
		return;
	}
	unsigned outer = esp_outer_size(&ev.worst[nt], l->pkt.size);
	struct step *st = leg_step(
	    l, STEP_ENCRYPTED, s, encif,
	    arena_printf(
		ar,
		"ESP%s to %s: %u-byte packet becomes %u "
		"bytes (worst case of the configured transforms)",
		!l->natt && l->nat_between && l->natt_why
		    ? arena_printf(ar, " (not in UDP: %s)", l->natt_why)
		: !l->natt    ? ""
		: l->natt_why ? arena_printf(ar,
					     " in UDP 4500 "
					     "(NAT-T: %s)",
					     l->natt_why)
			      : " in UDP 4500",
		p1 ? p1->remote : "?", l->pkt.size, outer));
	st->p2 = p2;
	st->loc = p2->loc;
	if (outer > ev.mtu && l->pkt.df) {
		st = leg_step(l, STEP_MTU_EXCEEDED, s, p1 ? p1->iface : NULL,
			      arena_printf(ar,
					   "%u bytes after encapsulation > "
					   "MTU %u with DF set: dropped, ICMP "
					   "fragmentation-needed (MTU %u) sent "
					   "back to the source",
					   outer, ev.mtu, ev.max_inner[nt]));
		st->p2 = p2;
		st->loc = p2->loc;
		leg_fail(l, st, CHK_MSS_CLAMPING);
	}
}

struct step *
leg_spd_miss(struct leg *l, const struct site *s, const struct phase2 *off,
	     const char *what)
{
	struct step *st = leg_step(l, STEP_SPD_MISS, s, NULL, what);
	if (off) {
		st->p2 = off;
		st->loc = off->loc;
	}
	return st;
}

/* The phase 2 chosen: ESP (or NAT-T) out the phase 1 interface. */
static bool
encrypt_and_send(struct leg *l, const struct site *s, const struct phase2 *p2)
{
	l->p2 = p2;
	if (p2->p1) {
		struct natt_verdict nv = engine_natt(l->e, s, p2->p1);
		l->natt = nv.in_use;
		l->nat_between = nv.nat_between;
		l->natt_why = nv.citation;
	}
	l->outer_known = p2->p1 && p1_local_addr(s, p2->p1, &l->outer_src);
	leg_encrypt(l, s, p2);
	if (l->path->fail_at >= 0)
		return false;
	leg_step(l, STEP_TRANSMITTED, s, p2->p1 ? p2->p1->iface : NULL,
		 arena_printf(l->e->ar, "out %s to peer %s",
			      p2->p1 ? iface_label(s, p2->p1->iface) : "WAN",
			      p2->p1 ? p2->p1->remote : "?"));
	return true;
}

/* Route-based IPsec (VTI): the routing table, or a route-to rule,
 * puts the packet on ipsecN and its SA encrypts it. */
static bool
vti_encrypt(struct leg *l, const struct site *s, const char *ifkey)
{
	const struct iface *f = site_iface(s, ifkey);
	const struct phase2 *p2 = NULL;
	for (size_t i = 0; i < s->np2 && f && f->dev; i++) {
		const struct phase2 *q = &s->p2[i];
		char dev[32];
		snprintf(dev, sizeof(dev), "ipsec%u", q->reqid);
		if (q->mode == P2_VTI && strcmp(dev, f->dev) == 0)
			p2 = q;
	}
	if (p2 == NULL || !p2_enabled(p2))
		return leg_fail(
		    l,
		    leg_step(l, STEP_NO_ROUTE, s, ifkey,
			     p2 ? "the VTI phase 2 is disabled"
				: "no VTI phase 2 for this interface"),
		    p2 ? CHK_TUNNEL_DISABLED : CHK_P2_NOT_COVERED);
	return encrypt_and_send(l, s, p2);
}

static bool
vti_send(struct leg *l, const struct site *s, const struct route *rt)
{
	struct arena *ar = l->e->ar;
	struct step *st = leg_step(l, STEP_ROUTED, s, rt->iface,
				   arena_printf(ar, "route %s via VTI %s",
						prefix_str(ar, &rt->net),
						iface_label(s, rt->iface)));
	st->route = rt;
	st->loc = rt->loc;
	return vti_encrypt(l, s, rt->iface);
}

/* The VTI interface a rule's gateway (or gateway group member) is on,
 * or NULL (doc/behaviour/tunnel-path.md §3). */
static const struct iface *
vti_of_gateway(const struct site *s, const char *gw)
{
	const struct gateway *g = gw ? site_gateway(s, gw) : NULL;
	const struct iface *f = g && g->iface ? site_iface(s, g->iface) : NULL;
	return f && f->role == ROLE_VTI ? f : NULL;
}

/* A pass rule with a gateway: route-to skips the SPD lookup. Into a VTI
 * that is the intended path; anywhere else the packet leaves in clear. */
static bool
policy_routed(struct leg *l, const struct site *s, const char *ifk,
	      const struct rule *r)
{
	struct arena *ar = l->e->ar;
	const struct iface *vti = vti_of_gateway(s, r->gateway);
	if (vti) {
		struct step *st =
		    leg_step(l, STEP_POLICY_ROUTED, s, ifk,
			     arena_printf(ar,
					  "the rule sends it to gateway %s on "
					  "VTI %s: route-to puts it on %s",
					  r->gateway, iface_label(s, vti->key),
					  vti->dev ? vti->dev : vti->key));
		st->rule = r;
		st->loc = r->loc;
		leg_step(l, STEP_ROUTED, s, vti->key,
			 arena_printf(ar, "route-to %s: out VTI %s", r->gateway,
				      iface_label(s, vti->key)));
		return vti_encrypt(l, s, vti->key);
	}
	struct step *st = leg_step(l, STEP_POLICY_ROUTED, s, ifk,
				   arena_printf(ar,
						"the rule sends it to gateway "
						"%s: route-to skips the IPsec "
						"policy lookup",
						r->gateway));
	st->rule = r;
	st->loc = r->loc;
	leg_fail(l, st, CHK_POLICY_ROUTE_BYPASS);
	leg_step(l, STEP_NAT, s, NULL,
		 "outbound NAT to the "
		 "gateway interface's address");
	leg_step(l, STEP_EXITS_NETWORK, s, NULL,
		 "leaves in clear toward the Internet");
	return false;
}

/* The SPD is looked up before the routing table: a policy whose remote
 * network is also a local subnet, OpenVPN or static-route network takes
 * that traffic into the tunnel (doc/behaviour/tunnel-path.md §6). The
 * tunnel's own flow works; the note names what the policy swallows. */
static const char *
spd_shadows(struct arena *ar, const struct site *s, const struct ipaddr *dst)
{
	const struct iface *f = site_iface_for_addr(s, dst);
	if (f && f->role != ROLE_WAN && f->role != ROLE_ENC &&
	    f->role != ROLE_VTI)
		return arena_printf(ar,
				    " (the policy comes before routing: "
				    "traffic for interface %s's subnet goes "
				    "into this tunnel too)",
				    iface_label(s, f->key));
	const struct route *rt = route_lookup(s, dst);
	if (rt && rt->net.len > 0 && !route_via_self(s, rt) &&
	    (rt->kind == ROUTE_OPENVPN || rt->kind == ROUTE_STATIC))
		return arena_printf(ar,
				    " (the policy comes before routing: "
				    "traffic for %s %s goes into this tunnel "
				    "too)",
				    rt->origin ? rt->origin
					       : route_kind_name(rt->kind),
				    prefix_str(ar, &rt->net));
	return NULL;
}

/* No enabled phase 2 (or no kernel policy) takes the packet: routing
 * does, out the route's interface, or nowhere. */
static bool
route_out(struct leg *l, const struct site *s, const struct route_pick *rp,
	  enum finding_id cause)
{
	if (rp->rt == NULL) {
		struct step *st = leg_step(l, STEP_NO_ROUTE, s, NULL,
					   "no route to the destination");
		mark_route(l, s, st, rp);
		return leg_fail(l, st, cause);
	}
	bool r = leg_leaks_out(l, s, rp->rt, cause);
	mark_route_step(l, s, rp);
	return r;
}

/* The config's phase 2 covers the packet but the box's kernel holds no
 * outbound policy for it (setkey -DP): nothing captures it, routing
 * sends it on in clear (doc/behaviour/status-archive.md §3.3). */
static bool
no_kernel_policy(struct leg *l, const struct site *s, const struct phase2 *p2)
{
	struct arena *ar = l->e->ar;
	struct step *st = leg_spd_miss(
	    l, s, p2,
	    arena_printf(ar,
			 "phase 2 '%s' (%s === %s) covers it but the box's "
			 "kernel has no outbound policy for it (setkey -DP): "
			 "nothing sends it into the tunnel",
			 p2->descr ? p2->descr : "",
			 prefix_str(ar, p2_visible_local(p2)),
			 prefix_str(ar, &p2->remote.net)));
	st->loc = (struct srcloc){.file = s->ev.box.spd_file};
	struct route_pick rp = pick_route(l, s, &l->pkt.dst);
	return route_out(l, s, &rp, CHK_SA_MISSING);
}

static bool
send_side(struct leg *l)
{
	if (l->from->kind == SITE_LINUX)
		return linux_send(l);
	struct arena *ar = l->e->ar;
	struct site *s = l->from;
	struct packet *p = &l->pkt;
	const struct iface *in = site_iface_for_addr(s, &p->src);
	const char *ifk = in ? in->key : NULL;
	if (ifk == NULL) {
		const struct route *r = route_lookup(s, &p->src);
		ifk = r ? r->iface : "lan";
		leg_assume(l, arena_printf(ar,
					   "%s enters site %s on %s (it is on "
					   "no interface subnet)",
					   ipaddr_str(ar, &p->src), s->name,
					   iface_label(s, ifk)));
	}
	leg_step(l, STEP_RECEIVED, s, ifk,
		 arena_printf(ar, "arrives on %s", iface_label(s, ifk)));
	if (l->reply) {
		leg_step(l, STEP_FILTER, s, ifk, "passes by state (reply)");
	} else {
		struct pf_alt alt;
		struct verdict v = engine_eval(l->e, s, ifk, false, p, &alt);
		if (!v.pass) {
			struct step *st =
			    leg_step_rule(l, STEP_DENIED_IN, s, ifk, &v,
					  v.rule && v.rule->action == ACT_REJECT
					      ? "rejected by "
					      : "blocked by ");
			return leg_fail(l, st,
					leg_mark_alt(l, s, st, &alt,
						     CHK_LAN_RULES_MISSING));
		}
		leg_mark_alt(
		    l, s,
		    leg_step_rule(l, STEP_FILTER, s, ifk, &v, "passed by "),
		    &alt, FINDING_NONE);
		if (v.rule && v.rule->gateway)
			return policy_routed(l, s, ifk, v.rule);
	}
	if (site_is_own_addr(s, &p->dst)) {
		leg_step(l, STEP_DELIVERED, s, ifk,
			 "addressed to the firewall");
		return false;
	}
	const struct phase2 *off = NULL;
	const struct phase2 *p2 = spd_lookup(s, &p->src, &p->dst, &off);
	if (p2 && box_spd_decides(s, p2) && !box_spd_out(&s->ev.box, p2))
		return no_kernel_policy(l, s, p2);
	if (p2 == NULL) {
		struct route_pick rp = pick_route(l, s, &p->dst);
		const struct route *rt = rp.rt;
		const struct iface *rf = rt ? site_iface(s, rt->iface) : NULL;
		if (rf && rf->role == ROLE_VTI) {
			bool sent = vti_send(l, s, rt);
			mark_route_step(l, s, &rp);
			return sent;
		}
		const char *ns = off && off->p1 && !off->disabled
				     ? off->p1->not_started
				     : NULL;
		leg_spd_miss(l, s, off,
			     ns ? arena_printf(ar,
					       "phase 2 '%s' would cover "
					       "it but its phase 1 is never "
					       "started: %s",
					       off->descr ? off->descr : "", ns)
			     : off
				 ? arena_printf(ar,
						"phase 2 '%s' would cover it "
						"but is disabled%s",
						off->descr ? off->descr : "",
						off->p1 && off->p1->disabled
						    ? " (its phase 1 is "
						      "disabled)"
						    : "")
				 : "no enabled phase 2 covers this source and "
				   "destination");
		enum finding_id cause = ns    ? CHK_TUNNEL_NOT_STARTED
					: off ? CHK_TUNNEL_DISABLED
					      : CHK_P2_NOT_COVERED;
		/* the config's table takes it into a VTI, the box's not */
		const struct iface *mf = rp.running && rp.model
					     ? site_iface(s, rp.model->iface)
					     : NULL;
		if (mf && mf->role == ROLE_VTI && !ns && !off)
			cause = CHK_BOX_DIFFERS;
		return route_out(l, s, &rp, cause);
	}
	const char *shadow = spd_shadows(ar, s, &p->dst);
	struct step *st = leg_step(l, STEP_SPD_MATCH, s, "enc0",
				   arena_printf(ar, "phase 2 '%s' %s === %s%s",
						p2->descr ? p2->descr : "",
						prefix_str(ar, &p2->local.net),
						prefix_str(ar, &p2->remote.net),
						shadow ? shadow : ""));
	st->p2 = p2;
	st->loc = p2->loc;
	if (p2->has_nat && p2->natlocal.resolved) {
		struct ipaddr old = p->src;
		p->src.v = p2->natlocal.net.addr.v |
			   (p->src.v & ~prefix_range(&p2->local.net).lo &
			    (prefix_range(&p2->natlocal.net).hi -
			     p2->natlocal.net.addr.v));
		st = leg_step(
		    l, STEP_NAT, s, "enc0",
		    arena_printf(ar, "phase 2 %s on enc0: %s -> %s",
				 p2_nat_many_to_one(p2) ? "NAT" : "BINAT",
				 ipaddr_str(ar, &old),
				 ipaddr_str(ar, &p->src)));
		st->p2 = p2;
		st->loc = p2->loc;
	}
	return encrypt_and_send(l, s, p2);
}

/* ---- the receiving firewall ---- */

/* With a NAT between the peers the receiver sees the NAT's public
 * address, which its phase 1 names: the phase 1 is the one configured
 * for the sender's tunnel (doc/behaviour/tunnel-path.md §2). */
static const struct phase1 *
natted_phase1(const struct site *s, const struct leg *l)
{
	const struct site *peer = NULL;
	if (!l->nat_between || l->from == NULL || l->p2 == NULL ||
	    l->p2->p1 == NULL)
		return NULL;
	const struct phase1 *q = natt_counterpart(l->e->sites, l->e->nsites,
						  l->from, l->p2->p1, &peer);
	return peer == s ? q : NULL;
}

const struct phase1 *
peer_phase1(const struct site *s, const struct leg *l)
{
	const struct phase1 *any = NULL;
	const struct phase1 *nat = natted_phase1(s, l);
	if (nat)
		return nat;
	/* a conn charon never loads (ipsec.conf auto=ignore, a template
	 * for also=) is no candidate while an enabled one to the peer is */
	for (size_t i = 0; l->outer_known && i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		if (!p1->disabled && p1->peer_known &&
		    ipaddr_cmp(&p1->peer, &l->outer_src) == 0)
			return p1;
	}
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		if (l->outer_known && p1->peer_known &&
		    ipaddr_cmp(&p1->peer, &l->outer_src) == 0)
			return p1;
		if (any == NULL &&
		    (p1->mobile || !p1->peer_known || !l->outer_known))
			any = p1;
	}
	if (any || l->outer_known)
		return any;
	/* sender unknown: the phase 1 whose phase 2 accepts the packet */
	const struct phase2 *p2 =
	    spd_inbound(s, NULL, &l->pkt.src, &l->pkt.dst);
	return p2 ? p2->p1 : NULL;
}

struct packet
outer_packet(const struct leg *l, const struct phase1 *p1, const struct site *s,
	     unsigned proto, unsigned port)
{
	struct packet o = {0};
	bool src = true, dst = p1 && p1_local_addr(s, p1, &o.dst);
	if (l->outer_known)
		o.src = l->outer_src;
	else if (p1 && p1->peer_known)
		o.src = p1->peer;
	else
		src = false;
	/* a dynamic WAN (DHCP, PPPoE): the address the sender aims at */
	if (!dst && l->p2 && l->p2->p1 && l->p2->p1->peer_known) {
		o.dst = l->p2->p1->peer;
		dst = true;
	}
	o.src.fam = o.dst.fam = p1 ? p1->outer_fam : FAM_V4;
	if (!src && o.src.fam == FAM_V4) {
		/* a peer known by name or a dynamic address: some public
		 * address, not 0.0.0.0 (which the bogons block would take) */
		o.src.v = 0x01000001; /* 1.0.0.1 */
		leg_assume((struct leg *)l,
			   "the peer's public address is not in the configs "
			   "(a hostname or a dynamic WAN): assumed a public "
			   "address");
	}
	o.proto = (uint8_t)proto;
	o.sport = o.dport = (uint16_t)port;
	return o;
}

/* ESP (or NAT-T) and IKE from the peer must pass the WAN rules. */
static bool
wan_filter(struct leg *l, const struct site *s, const struct phase1 *p1,
	   bool esp_state)
{
	struct arena *ar = l->e->ar;
	const char *wan = p1->iface;
	if (esp_state) {
		leg_step(l, STEP_WAN_FILTER, s, wan,
			 arena_printf(ar,
				      "%s from the peer passes by state (this "
				      "site sent ESP to it)",
				      l->natt ? "UDP 4500" : "ESP"));
		return true;
	}
	static const struct {
		unsigned proto, port;
		const char *name;
	} need[] = {{PROTO_UDP, 500, "IKE (UDP 500)"},
		    {PROTO_UDP, 4500, "NAT-T (UDP 4500)"},
		    {PROTO_ESP, 0, "ESP"}};
	struct verdict last = {0};
	struct pf_alt last_alt = {0};
	for (size_t i = 0; i < sizeof(need) / sizeof(*need); i++) {
		/* data: ESP, or UDP 4500 when NAT-T is forced */
		if ((need[i].proto == PROTO_ESP && l->natt) ||
		    (need[i].port == 4500 && !l->natt))
			continue;
		/* to the ports this site listens on (<ipsec><port>) */
		unsigned port =
		    need[i].port == 500 && s->flags.ipsec_port
			? s->flags.ipsec_port
		    : need[i].port == 4500 && s->flags.ipsec_port_nat_t
			? s->flags.ipsec_port_nat_t
			: need[i].port;
		struct packet o = outer_packet(l, p1, s, need[i].proto, port);
		struct pf_alt alt;
		struct verdict v = engine_eval(l->e, s, wan, false, &o, &alt);
		if (!v.pass) {
			struct step *st = leg_step_rule(
			    l, STEP_WAN_FILTER, s, wan, &v,
			    arena_printf(ar,
					 "%s from peer "
					 "%s blocked by ",
					 need[i].name, p1->remote));
			return leg_fail(
			    l, st,
			    leg_mark_alt(l, s, st, &alt, CHK_WAN_VPN_BLOCKED));
		}
		last = v;
		if (!last_alt.differs)
			last_alt = alt;
	}
	leg_mark_alt(
	    l, s,
	    leg_step_rule(l, STEP_WAN_FILTER, s, wan, &last,
			  l->natt
			      ? "IKE and NAT-T (ESP in UDP 4500) from the "
				"peer passed by "
			      : "IKE, NAT-T and ESP from the peer passed by "),
	    &last_alt, FINDING_NONE);
	return true;
}

/* Phase 2 NAT on enc0, inbound: binat maps the NAT network back to the
 * real one; many-to-one nat only translates replies through the state
 * of a connection this side opened (doc/behaviour/tunnel-path.md §5). */
static bool
nat_back(struct leg *l, const struct site *s, const struct phase2 *p2)
{
	struct arena *ar = l->e->ar;
	struct ipaddr old = l->pkt.dst;
	bool many = p2_nat_many_to_one(p2);
	struct step *st;
	if (many && !l->reply) {
		st = leg_step(
		    l, STEP_NAT, s, "enc0",
		    arena_printf(ar,
				 "phase 2 NAT %s -> %s is "
				 "many-to-one (pf 'nat on enc0', not "
				 "binat): a new connection from the "
				 "tunnel to %s is not translated back, "
				 "no host has that address",
				 prefix_str(ar, &p2->local.net),
				 prefix_str(ar, &p2->natlocal.net),
				 ipaddr_str(ar, &old)));
		st->p2 = p2;
		st->loc = p2->loc;
		return leg_fail(l, st, CHK_P2_NAT);
	}
	if (many)
		l->pkt.dst = l->ft->pkt.src; /* the state knows the host */
	else
		l->pkt.dst.v = p2->local.net.addr.v |
			       (l->pkt.dst.v - p2->natlocal.net.addr.v);
	st = leg_step(l, STEP_NAT, s, "enc0",
		      arena_printf(ar, "phase 2 NAT on enc0 back%s: %s -> %s",
				   many ? " (reply, by state)" : "",
				   ipaddr_str(ar, &old),
				   ipaddr_str(ar, &l->pkt.dst)));
	st->p2 = p2;
	st->loc = p2->loc;
	return true;
}

bool
deliver_inside(struct leg *l, const struct site *s)
{
	struct arena *ar = l->e->ar;
	if (site_is_own_addr(s, &l->pkt.dst)) {
		leg_step(l, STEP_DELIVERED, s, NULL,
			 "addressed to the "
			 "firewall itself");
		return true;
	}
	struct route_pick rp = pick_route(l, s, &l->pkt.dst);
	const struct route *rt = rp.rt;
	if (rt == NULL) {
		struct step *ns =
		    leg_step(l, STEP_NO_ROUTE, s, NULL,
			     arena_printf(ar, "no route to %s",
					  ipaddr_str(ar, &l->pkt.dst)));
		mark_route(l, s, ns, &rp);
		return leg_fail(l, ns, CHK_P2_NOT_COVERED);
	}
	const struct iface *f = site_iface(s, rt->iface);
	struct step *st = leg_step(
	    l, STEP_ROUTED, s, rt->iface,
	    arena_printf(ar, "%s route %s%s%s on %s%s",
			 route_kind_name(rt->kind), prefix_str(ar, &rt->net),
			 rp.running && rt->gateway ? " via " : "",
			 rp.running && rt->gateway ? rt->gateway : "",
			 iface_label(s, rt->iface),
			 rt->origin ? arena_printf(ar, " (%s)", rt->origin)
				    : ""));
	st->route = rt;
	st->loc = rt->loc;
	if (f && f->role == ROLE_WAN) {
		st->what =
		    rp.running
			? arena_printf(ar,
				       "no inside route to %s: the box's %s "
				       "route %s via %s (%s) sends it back "
				       "out %s",
				       ipaddr_str(ar, &l->pkt.dst),
				       route_kind_name(rt->kind),
				       prefix_str(ar, &rt->net),
				       rt->gateway ? rt->gateway : "link",
				       rt->origin, iface_label(s, rt->iface))
			: arena_printf(ar,
				       "no inside route to %s: the "
				       "default route sends it back out %s",
				       ipaddr_str(ar, &l->pkt.dst),
				       iface_label(s, rt->iface));
		mark_route(l, s, st, &rp);
		/* the config's table keeps it inside: the box's differs */
		const struct iface *mf = st->route_differs && rp.model
					     ? site_iface(s, rp.model->iface)
					     : NULL;
		return leg_fail(l, st,
				mf && mf->role != ROLE_WAN
				    ? CHK_BOX_DIFFERS
				    : CHK_P2_NOT_COVERED);
	}
	mark_route(l, s, st, &rp);
	if (!l->reply && s->kind != SITE_LINUX) {
		struct pf_alt alt;
		struct verdict v =
		    engine_eval(l->e, s, rt->iface, true, &l->pkt, &alt);
		if (!v.pass) {
			struct step *bs =
			    leg_step_rule(l, STEP_DENIED_OUT, s, rt->iface, &v,
					  "blocked by ");
			return leg_fail(l, bs,
					leg_mark_alt(l, s, bs, &alt,
						     CHK_LAN_RULES_MISSING));
		}
	}
	leg_step(l, STEP_TRANSMITTED, s, rt->iface,
		 arena_printf(ar, "out %s", iface_label(s, rt->iface)));
	return true;
}

static bool
recv_side(struct leg *l, bool esp_state)
{
	if (l->to->kind == SITE_LINUX)
		return linux_recv(l, esp_state);
	struct arena *ar = l->e->ar;
	struct site *s = l->to;
	const struct phase1 *p1 = peer_phase1(s, l);
	if (p1 == NULL)
		return leg_fail(
		    l,
		    leg_step(
			l, STEP_DENIED_IN, s, NULL,
			arena_printf(
			    ar,
			    "site %s has no phase 1 "
			    "for peer %s: no tunnel%s",
			    s->name,
			    l->outer_known ? ipaddr_str(ar, &l->outer_src)
					   : "?",
			    l->outer_known && natt_private_addr(&l->outer_src)
				? " (a private address: "
				  "behind a NAT the peer "
				  "arrives from the NAT's "
				  "public address, which "
				  "a phase 1 here must "
				  "name)"
				: "")),
		    CHK_P1_PEER_MISMATCH);
	if (p1->disabled) {
		struct step *st =
		    leg_step(l, STEP_DENIED_IN, s, p1->iface,
			     arena_printf(ar,
					  "phase 1 '%s' is "
					  "disabled: no SA",
					  p1->descr ? p1->descr : ""));
		st->loc = p1->loc;
		return leg_fail(l, st, CHK_TUNNEL_DISABLED);
	}
	if (p1->not_started) {
		struct step *st = leg_step(
		    l, STEP_DENIED_IN, s, p1->iface,
		    arena_printf(ar,
				 "phase 1 '%s' is never "
				 "started, no SA: %s",
				 p1->descr ? p1->descr : "", p1->not_started));
		st->loc = p1->loc;
		return leg_fail(l, st, CHK_TUNNEL_NOT_STARTED);
	}
	bool translated = l->outer_known && p1->peer_known &&
			  ipaddr_cmp(&p1->peer, &l->outer_src) != 0;
	leg_step(l, STEP_RECEIVED, s, p1->iface,
		 arena_printf(ar, "arrives on %s from peer %s%s",
			      iface_label(s, p1->iface), p1->remote,
			      translated
				  ? arena_printf(ar,
						 " (NAT: the sender's %s "
						 "is translated to it; %s)",
						 ipaddr_str(ar, &l->outer_src),
						 l->natt_why ? l->natt_why : "")
				  : ""));
	if (translated)
		l->outer_src = p1->peer; /* what the WAN rules see */
	if (!wan_filter(l, s, p1, esp_state))
		return false;
	const struct phase2 *p2 = spd_inbound(s, p1, &l->pkt.src, &l->pkt.dst);
	const struct phase2 *off =
	    p2 ? NULL : spd_inbound_disabled(s, p1, &l->pkt.src, &l->pkt.dst);
	if (off) {
		struct step *st = leg_step(
		    l, STEP_SELECTOR_MISMATCH, s, "enc0",
		    arena_printf(ar,
				 "phase 2 '%s' would accept it but is "
				 "disabled%s: dropped after decryption",
				 off->descr ? off->descr : "",
				 off->p1 && off->p1->disabled
				     ? " (its phase 1 is disabled)"
				     : ""));
		st->p2 = off;
		st->loc = off->loc;
		return leg_fail(l, st, CHK_TUNNEL_DISABLED);
	}
	if (p2 == NULL) {
		struct step *st =
		    leg_step(l, STEP_SELECTOR_MISMATCH, s, "enc0",
			     arena_printf(ar,
					  "no phase 2 of '%s' at site %s "
					  "accepts %s -> %s: dropped after "
					  "decryption",
					  p1->descr ? p1->descr : p1->remote,
					  s->name, ipaddr_str(ar, &l->pkt.src),
					  ipaddr_str(ar, &l->pkt.dst)));
		st->loc = p1->loc;
		return leg_fail(l, st, CHK_P2_MISMATCH);
	}
	struct step *st = leg_step(
	    l, STEP_DECRYPTED, s, "enc0",
	    p2->mode == P2_VTI
		? arena_printf(ar,
			       "VTI phase 2 '%s' (%s === %s, "
			       "selectors widened to 0.0.0.0/0 and "
			       "::/0): its SA takes any inner pair",
			       p2->descr ? p2->descr : "",
			       p2->local.text ? p2->local.text
					      : prefix_str(ar, &p2->local.net),
			       p2->remote.text
				   ? p2->remote.text
				   : prefix_str(ar, &p2->remote.net))
		: arena_printf(ar, "phase 2 '%s' %s === %s",
			       p2->descr ? p2->descr : "",
			       prefix_str(ar, p2_visible_local(p2)),
			       prefix_str(ar, &p2->remote.net)));
	st->p2 = p2;
	st->loc = p2->loc;
	if (p2->mode != P2_VTI && p2->has_nat && p2->natlocal.resolved &&
	    prefix_contains(&p2->natlocal.net, &l->pkt.dst) &&
	    !nat_back(l, s, p2))
		return false;
	/* filter mode if_ipsec: pf sees the decrypted packet on the WAN,
	 * with no state (doc/behaviour/pf-ruleset.md §9) */
	const char *fif = ruleset_tunnel_filter_iface(s, p1);
	bool enc = strcmp(fif, "enc0") == 0;
	if (l->reply && enc) {
		leg_step(l, STEP_FILTER, s, "enc0", "passes by state (reply)");
	} else {
		struct pf_alt alt;
		struct verdict v =
		    engine_eval(l->e, s, fif, false, &l->pkt, &alt);
		if (!v.pass) {
			struct step *bs =
			    leg_step_rule(l, STEP_DENIED_IN, s, fif, &v,
					  enc ? "blocked on IPsec by "
					      : "filter mode if_ipsec: "
						"filtered on the WAN with "
						"no state, blocked by ");
			return leg_fail(
			    l, bs,
			    leg_mark_alt(l, s, bs, &alt,
					 enc ? CHK_IPSEC_RULES_MISSING
					     : CHK_IPSEC_FILTERMODE));
		}
		leg_mark_alt(l, s,
			     leg_step_rule(l, STEP_FILTER, s, fif, &v,
					   enc ? "passed on IPsec by "
					       : "filter mode if_ipsec: "
						 "passed on the WAN by "),
			     &alt, FINDING_NONE);
	}
	return deliver_inside(l, s);
}

static void
insufficient(struct leg *l, const char *what)
{
	struct step *st = leg_step(l, STEP_INSUFFICIENT_INFO, NULL, NULL, what);
	st->assumed = true;
	leg_assume(l, what);
}

/* One direction: returns true when it reached the end (delivered or
 * assumed to), and whether it went through the tunnel from `from`. */
static bool
run_leg(struct leg *l, bool esp_state)
{
	l->path->fail_at = -1;
	if (!host_send(l))
		return false;
	if (l->from) {
		if (!send_side(l))
			return false;
	} else {
		insufficient(l,
			     arena_printf(l->e->ar,
					  "no config for the site "
					  "of %s: assumed its firewall "
					  "passes the packet into the tunnel",
					  ipaddr_str(l->e->ar, &l->pkt.src)));
	}
	return leg_arrive(l, esp_state);
}

bool
leg_run(struct leg *l, bool esp_state)
{
	return run_leg(l, esp_state);
}

/* An enabled phase 2 of from toward site to (its peer is one of to's
 * addresses) whose policy also covers the packet. */
static const struct phase2 *
p2_toward(struct engine *e, const struct site *from, const struct site *to,
	  const struct packet *p)
{
	for (size_t i = 0; i < from->np2; i++) {
		const struct phase2 *q = &from->p2[i];
		if (p2_enabled(q) && q->p1 && q->p1->peer_known &&
		    site_by_addr(e, &q->p1->peer) == to &&
		    p2_covers(from, q, &p->src, &p->dst))
			return q;
	}
	return NULL;
}

/* The SPD picked a more specific phase 2 toward another peer than the
 * site of the destination, while a phase 2 toward that site also covers
 * the packet: the traffic disappears into the other tunnel
 * (doc/behaviour/pfsense.md §6.4). */
static bool
swallowed_by_other_tunnel(struct leg *l)
{
	if (l->to == NULL || l->from == NULL || l->p2 == NULL ||
	    l->p2->p1 == NULL || !l->p2->p1->peer_known ||
	    site_by_addr(l->e, &l->p2->p1->peer) == l->to)
		return false;
	const struct phase2 *q = p2_toward(l->e, l->from, l->to, &l->pkt);
	if (q == NULL)
		return false;
	struct arena *ar = l->e->ar;
	struct step *st = leg_step(
	    l, STEP_EXITS_NETWORK, l->from, l->p2->p1->iface,
	    arena_printf(ar,
			 "the more specific phase 2 '%s' (%s === %s) "
			 "sends it to peer %s, not to %s: phase 2 "
			 "'%s' toward %s never gets it",
			 l->p2->descr ? l->p2->descr : "",
			 prefix_str(ar, &l->p2->local.net),
			 prefix_str(ar, &l->p2->remote.net), l->p2->p1->remote,
			 l->to->name, q->descr ? q->descr : "", l->to->name));
	st->p2 = l->p2;
	st->loc = l->p2->loc;
	leg_fail(l, st, CHK_ROUTE_OVERLAP);
	return true;
}

bool
leg_arrive(struct leg *l, bool esp_state)
{
	if (swallowed_by_other_tunnel(l))
		return false;
	if (l->to == NULL && l->p2 && l->p2->p1 && l->p2->p1->peer_known)
		l->to = site_by_addr(l->e, &l->p2->p1->peer);
	if (l->to == NULL) {
		insufficient(l,
			     arena_printf(l->e->ar,
					  "no config for the site "
					  "of %s: assumed it decrypts, "
					  "passes and delivers the packet",
					  ipaddr_str(l->e->ar, &l->pkt.dst)));
		return true;
	}
	if (!recv_side(l, esp_state))
		return false;
	/* to the firewall itself (trace self): deliver_inside ended it */
	if (!site_is_own_addr(l->to, &l->pkt.dst) && !host_receive(l))
		return false;
	l->path->delivered = true;
	return true;
}

struct packet
packet_reply(const struct packet *p)
{
	struct packet r = *p;
	r.src = p->dst;
	r.dst = p->src;
	r.sport = p->dport;
	r.dport = p->sport;
	if (p->proto == PROTO_ICMP && p->icmp_type == 8)
		r.icmp_type = 0;
	else if (p->proto == PROTO_ICMP6 && p->icmp_type == 128)
		r.icmp_type = 129;
	return r;
}

void
engine_trace(struct engine *e, const struct packet *pkt, const char *proto_text,
	     struct flow_trace *out)
{
	memset(out, 0, sizeof(*out));
	out->pkt = *pkt;
	out->proto_text = proto_text;
	out->request.fail_at = out->reply.fail_at = -1;
	struct site *a = engine_site_of(e, &pkt->src);
	struct site *b = engine_site_of(e, &pkt->dst);
	if (a && a == b) {
		/* both ends behind one firewall: not a tunnel flow */
		b = NULL;
		for (size_t i = 0; i < e->nsites; i++)
			if (e->sites[i] != a &&
			    site_host(e->sites[i], &pkt->dst))
				b = e->sites[i];
	}
	struct leg req = {.e = e,
			  .ft = out,
			  .path = &out->request,
			  .from = a,
			  .to = b,
			  .pkt = *pkt};
	if (!run_leg(&req, false))
		return;
	/* the reply answers the packet as delivered (after phase 2 NAT) */
	out->reply_traced = true;
	struct leg rep = {.e = e,
			  .ft = out,
			  .path = &out->reply,
			  .from = req.to,
			  .to = a,
			  .pkt = packet_reply(&req.pkt),
			  .reply = true};
	run_leg(&rep, req.p2 != NULL);
}

bool
packet_set_proto(struct packet *p, const char *spec, const char **err)
{
	struct str s = str_from(spec), name, port;
	bool has_port = str_split(s, '/', &name, &port);
	int proto = proto_from_name(name);
	if (proto < 0) {
		*err = "unknown protocol (icmp, icmp6, tcp/PORT, udp/PORT, "
		       "esp, or a number)";
		return false;
	}
	p->proto = (uint8_t)proto;
	p->sport = p->dport = 0;
	if (proto == PROTO_ICMP)
		p->icmp_type = 8;
	if (proto == PROTO_ICMP6)
		p->icmp_type = 128;
	if (proto == PROTO_TCP || proto == PROTO_UDP) {
		uint64_t v;
		if (!has_port || !str_to_u64(port, 65535, &v) || v == 0) {
			*err = "tcp and udp need a port: tcp/445, udp/53";
			return false;
		}
		p->dport = (uint16_t)v;
		p->sport = 49152;
	} else if (has_port) {
		*err = "only tcp and udp take a port";
		return false;
	}
	if (p->size == 0)
		p->size = proto == PROTO_TCP   ? 60
			  : proto == PROTO_UDP ? 64
					       : 84;
	return true;
}
