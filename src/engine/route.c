#include "engine/route.h"

#include <string.h>

bool
p2_enabled(const struct phase2 *p2)
{
	return !p2->disabled &&
	       !(p2->p1 && (p2->p1->disabled || p2->p1->not_started)) &&
	       p2->local.resolved && p2->remote.resolved;
}

bool
p1_merged_children(const struct site *s, const struct phase1 *p1)
{
	/* doc/behaviour/tunnel-path.md §4: split only for IKEv1 or split
	 * connections (OPNsense: tunnel isolation), never for mobile */
	return s->kind != SITE_LINUX && p1 &&
	       (p1->mobile || (p1->ikever != 1 && !p1->splitconn));
}

static bool
merged_children(const struct site *s, const struct phase2 *p2)
{
	return p1_merged_children(s, p2->p1);
}

/* For merged IKEv2 children: does some enabled tunnel phase 2 of p1 have
 * a local network holding `local` (l), a remote holding `remote` (r)? */
static void
merged_any(const struct site *s, const struct phase1 *p1,
	   const struct ipaddr *local, const struct ipaddr *remote, bool *l,
	   bool *r)
{
	*l = *r = false;
	for (size_t i = 0; i < s->np2 && !(*l && *r); i++) {
		const struct phase2 *q = &s->p2[i];
		if (q->p1 != p1 || !p2_enabled(q) || q->mode == P2_TRANSPORT ||
		    q->mode == P2_VTI)
			continue;
		*l = *l || prefix_contains(&q->local.net, local);
		*r = *r || prefix_contains(&q->remote.net, remote);
	}
}

bool
p2_covers(const struct site *s, const struct phase2 *p2,
	  const struct ipaddr *local, const struct ipaddr *remote)
{
	if (p2->mode == P2_TRANSPORT || p2->mode == P2_VTI)
		return false;
	if (prefix_contains(&p2->local.net, local) &&
	    prefix_contains(&p2->remote.net, remote))
		return true;
	if (!merged_children(s, p2))
		return false;
	/* one child with all locals x all remotes of the phase 1 */
	bool l, r;
	merged_any(s, p2->p1, local, remote, &l, &r);
	return l && r && prefix_contains(&p2->local.net, local);
}

/* merged_any() per phase 1, computed once per lookup: without it a
 * lookup over n phase 2 of one merged phase 1 was O(n^2). */
struct p1_memo {
	struct {
		const struct phase1 *p1;
		bool l, r;
	} m[8];
	size_t n;
};

static bool
covers_memo(const struct site *s, const struct phase2 *p2,
	    const struct ipaddr *local, const struct ipaddr *remote,
	    struct p1_memo *memo)
{
	if (p2->mode == P2_TRANSPORT || p2->mode == P2_VTI)
		return false;
	if (prefix_contains(&p2->local.net, local) &&
	    prefix_contains(&p2->remote.net, remote))
		return true;
	if (!merged_children(s, p2) || !prefix_contains(&p2->local.net, local))
		return false;
	for (size_t i = 0; i < memo->n; i++)
		if (memo->m[i].p1 == p2->p1)
			return memo->m[i].l && memo->m[i].r;
	bool l, r;
	merged_any(s, p2->p1, local, remote, &l, &r);
	if (memo->n < sizeof(memo->m) / sizeof(*memo->m)) {
		memo->m[memo->n].p1 = p2->p1;
		memo->m[memo->n].l = l;
		memo->m[memo->n++].r = r;
	}
	return l && r;
}

const struct phase2 *
spd_lookup(const struct site *s, const struct ipaddr *src,
	   const struct ipaddr *dst, const struct phase2 **disabled_cover)
{
	const struct phase2 *best = NULL;
	struct p1_memo memo = {0};
	*disabled_cover = NULL;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (!p2->local.resolved || !p2->remote.resolved ||
		    !covers_memo(s, p2, src, dst, &memo))
			continue;
		if (!p2_enabled(p2)) {
			if (*disabled_cover == NULL)
				*disabled_cover = p2;
			continue;
		}
		/* strongSwan prefers the more specific policy */
		if (best == NULL ||
		    p2->remote.net.len + p2->local.net.len >
			best->remote.net.len + best->local.net.len)
			best = p2;
	}
	return best;
}

const struct prefix *
p2_visible_local(const struct phase2 *p2)
{
	return p2->has_nat && p2->natlocal.resolved ? &p2->natlocal.net
						    : &p2->local.net;
}

static bool
inbound_usable(const struct phase2 *p2, const struct phase1 *p1, bool disabled)
{
	/* a strongSwan child on an XFRM interface (if_id) keeps its
	 * selectors: its inbound policy matches them (doc/behaviour/
	 * cloud-and-linux.md) */
	bool xfrm_if = p2->if_id_in || p2->if_id_out;
	if ((p1 && p2->p1 != p1) || p2->mode == P2_TRANSPORT ||
	    (p2->mode == P2_VTI && !xfrm_if) || !p2->local.resolved ||
	    !p2->remote.resolved)
		return false;
	return p2_enabled(p2) != disabled;
}

/* doc/behaviour/tunnel-path.md §1: a VTI child's selectors end in
 * 0.0.0.0/0 and ::/0, so its SA takes any inner pair. */
static const struct phase2 *
vti_inbound(const struct site *s, const struct phase1 *p1, bool disabled)
{
	if (s->kind == SITE_LINUX)
		return NULL; /* Linux: the trace_linux.c xfrm interface path */
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		bool off = p2->disabled || (p2->p1 && p2->p1->disabled);
		if (p2->mode == P2_VTI && (p1 == NULL || p2->p1 == p1) &&
		    (disabled ? off : p2_enabled(p2)))
			return p2;
	}
	return NULL;
}

static const struct phase2 *
inbound_match(const struct site *s, const struct phase1 *p1,
	      const struct ipaddr *src, const struct ipaddr *dst, bool disabled)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (inbound_usable(p2, p1, disabled) &&
		    prefix_contains(p2_visible_local(p2), dst) &&
		    prefix_contains(&p2->remote.net, src))
			return p2;
	}
	if (disabled)
		return NULL;
	/* merged IKEv2 child: any local x any remote of the phase 1; whether
	 * a phase 1 has a remote holding src is asked once per phase 1 */
	const struct phase1 *no[8];
	size_t nno = 0;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (!inbound_usable(p2, p1, false) || !merged_children(s, p2) ||
		    !prefix_contains(p2_visible_local(p2), dst))
			continue;
		bool known_no = false;
		for (size_t k = 0; k < nno; k++)
			known_no = known_no || no[k] == p2->p1;
		if (known_no)
			continue;
		for (size_t j = 0; j < s->np2; j++)
			if (s->p2[j].p1 == p2->p1 && p2_enabled(&s->p2[j]) &&
			    prefix_contains(&s->p2[j].remote.net, src))
				return p2;
		if (nno < sizeof(no) / sizeof(*no))
			no[nno++] = p2->p1;
	}
	return NULL;
}

const struct phase2 *
spd_inbound(const struct site *s, const struct phase1 *p1,
	    const struct ipaddr *src, const struct ipaddr *dst)
{
	const struct phase2 *p2 = inbound_match(s, p1, src, dst, false);
	return p2 || p1 == NULL ? p2 : vti_inbound(s, p1, false);
}

const struct phase2 *
spd_inbound_disabled(const struct site *s, const struct phase1 *p1,
		     const struct ipaddr *src, const struct ipaddr *dst)
{
	const struct phase2 *p2 = inbound_match(s, p1, src, dst, true);
	return p2 || p1 == NULL ? p2 : vti_inbound(s, p1, true);
}

bool
p2_nat_many_to_one(const struct phase2 *p2)
{
	/* doc/behaviour/tunnel-path.md §5: binat only for equal masks and
	 * not for a bare NAT address in front of a network */
	if (!p2->has_nat || !p2->natlocal.resolved)
		return false;
	const char *nt = p2->natlocal.type ? p2->natlocal.type : "";
	const char *lt = p2->local.type ? p2->local.type : "";
	bool bare = strcmp(nt, "address") == 0 && strcmp(lt, "address") != 0;
	return bare || p2->natlocal.net.len != p2->local.net.len;
}

bool
route_via_self(const struct site *s, const struct route *r)
{
	return r->kind == ROUTE_STATIC && r->has_via &&
	       site_is_own_addr(s, &r->via);
}

const struct iface *
xfrm_mark_vti(const struct site *s, uint32_t value, uint32_t mask)
{
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		if (f->has_vti_keys &&
		    ((f->vti_okey & mask) == (value & mask) ||
		     (f->vti_ikey & mask) == (value & mask)))
			return f;
	}
	return NULL;
}

bool
xfrm_mark_unset(const struct site *s, uint32_t value, uint32_t mask)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].role == ROLE_ENC)
			return false; /* kernel-libipsec: not the kernel's xfrm
				       */
	return s->kind == SITE_LINUX && s->has_link_details &&
	       !s->nf_sets_mark && (value & mask) != 0 &&
	       xfrm_mark_vti(s, value, mask) == NULL;
}

/* The site's interface whose device is the netstat Netif, or NULL. */
static const struct iface *
iface_of_dev(const struct site *s, const char *dev)
{
	for (size_t i = 0; dev && i < s->nifaces; i++)
		if (s->ifaces[i].dev && strcmp(s->ifaces[i].dev, dev) == 0)
			return &s->ifaces[i];
	return NULL;
}

static const struct box_route *
box_longest(const struct boxstate *b, const struct ipaddr *dst, bool *family)
{
	const struct box_route *best = NULL;
	*family = false;
	for (size_t i = 0; i < b->nroutes; i++) {
		const struct box_route *r = &b->routes[i];
		if (r->net.addr.fam != dst->fam)
			continue;
		/* the loopback's own lines say nothing about the table */
		if (!(r->netif && strncmp(r->netif, "lo", 2) == 0))
			*family = true;
		if (prefix_contains(&r->net, dst) &&
		    (best == NULL || r->net.len > best->net.len))
			best = r;
	}
	return best;
}

const struct route *
route_running(struct arena *ar, const struct site *s, const struct ipaddr *dst,
	      bool *decided)
{
	const struct boxstate *b = &s->ev.box;
	bool family = false;
	*decided = false;
	if ((s->kind != SITE_PFSENSE && s->kind != SITE_OPNSENSE) ||
	    !b->present || !b->has_routes)
		return NULL;
	const struct box_route *br = box_longest(b, dst, &family);
	if (!family)
		return NULL;
	if (br == NULL) {
		*decided = true;
		return NULL;
	}
	const struct iface *f = iface_of_dev(s, br->netif);
	if (f == NULL)
		return NULL;
	char where[600];
	srcloc_format(&br->loc, where, sizeof(where));
	struct route *r = arena_alloc(ar, sizeof(*r));
	*r = (struct route){
	    .kind = br->is_default			  ? ROUTE_DEFAULT
		    : br->flags && strchr(br->flags, 'G') ? ROUTE_STATIC
							  : ROUTE_CONNECTED,
	    .net = br->net,
	    .iface = f->key,
	    .gateway = br->has_via ? br->gateway : NULL,
	    .via = br->via,
	    .has_via = br->has_via,
	    .origin = arena_printf(ar, "running table, %s", where),
	    .loc = br->loc,
	};
	*decided = true;
	return r;
}

bool
route_differs(const struct route *running, const struct route *model)
{
	if (running == NULL || model == NULL)
		return running != model;
	if (strcmp(running->iface ? running->iface : "",
		   model->iface ? model->iface : "") != 0)
		return true;
	if (running->has_via && model->has_via)
		return ipaddr_cmp(&running->via, &model->via) != 0;
	/* one on the link, the other via a gateway (a modelled gateway
	 * whose address is unknown is no difference) */
	return running->has_via ? model->gateway == NULL : model->has_via;
}

const struct box_spd *
box_spd_out(const struct boxstate *b, const struct phase2 *p2)
{
	for (size_t i = 0; i < b->nspd; i++) {
		const struct box_spd *p = &b->spd[i];
		if (p->dir == BSPD_OUT && p->action &&
		    strcmp(p->action, "ipsec") == 0 &&
		    prefix_overlaps(&p->src, p2_visible_local(p2)) &&
		    prefix_overlaps(&p->dst, &p2->remote.net))
			return p;
	}
	return NULL;
}

/* The phase 1's address is a CARP VIP this box holds as BACKUP. */
static bool
p1_on_backup(const struct site *s, const struct phase1 *p1)
{
	const struct boxstate *b = &s->ev.box;
	struct ipaddr a;
	if (p1 == NULL || !p1_local_addr(s, p1, &a))
		return false;
	for (size_t i = 0; i < b->ncarp; i++)
		if (ipaddr_cmp(&b->carp[i].addr, &a) == 0 && b->carp[i].state &&
		    strcmp(b->carp[i].state, "MASTER") != 0)
			return true;
	return false;
}

bool
box_spd_decides(const struct site *s, const struct phase2 *p2)
{
	const struct boxstate *b = &s->ev.box;
	return (s->kind == SITE_PFSENSE || s->kind == SITE_OPNSENSE) &&
	       b->present && b->has_spd && p2_enabled(p2) && !p2->mobile &&
	       (p2->mode == P2_TUNNEL || p2->mode == P2_TUNNEL6) &&
	       p2->local.resolved && p2->remote.resolved &&
	       !p1_on_backup(s, p2->p1);
}
