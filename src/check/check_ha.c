/* HA pairs (CARP): phase 1 on the CARP VIP, the IPsec section the same
 * on both nodes, and peers pointing at the VIP rather than a node's own
 * address (doc/behaviour/cloud-and-linux.md §9). */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"

/* The CARP VIP a phase 1 is bound to ("_vip<uniqid>"), or NULL. */
static const struct carp_vip *
p1_carp(const struct site *s, const struct phase1 *p1)
{
	for (size_t i = 0; p1->bind && i < s->ncarps; i++) {
		const struct carp_vip *v = &s->carps[i];
		/* pfSense "_vip<uniqid>"; OPNsense "<if>_vip<N>" resolves to
		 * the VIP's address (import/cfg_p1bind.c) */
		if ((v->uniqid && strncmp(p1->bind, "_vip", 4) == 0 &&
		     strcmp(p1->bind + 4, v->uniqid) == 0) ||
		    (p1->local_known && ipaddr_cmp(&p1->local, &v->addr) == 0))
			return v;
	}
	return NULL;
}

static const struct carp_vip *
carp_on(const struct site *s, const char *iface, unsigned fam)
{
	for (size_t i = 0; iface && i < s->ncarps; i++)
		if (strcmp(s->carps[i].iface, iface) == 0 &&
		    s->carps[i].addr.fam == fam)
			return &s->carps[i];
	return NULL;
}

static const char *
p1_label(struct arena *ar, const struct phase1 *p)
{
	return p->descr && *p->descr ? arena_printf(ar, "'%s'", p->descr)
				     : arena_printf(ar, "to %s", p->remote);
}

static void
p1_not_vip(struct analysis *an, const struct site *s)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p = &s->p1[i];
		const struct carp_vip *v = carp_on(s, p->iface, p->outer_fam);
		if (p->disabled || p1_carp(s, p) || v == NULL)
			continue;
		struct finding *f = check_finding(an, CHK_HA_P1_NOT_VIP, s,
						  check_loc(ar, &p->loc));
		f->summary = arena_printf(
		    ar,
		    "%s phase 1 %s is on interface %s, not on its CARP "
		    "VIP %s: IKE uses this node's own address, so the "
		    "tunnel does not follow a failover",
		    s->name, p1_label(ar, p), p->iface,
		    ipaddr_str(ar, &v->addr));
		f->detail = "In an HA pair the phase 1 must use the CARP VIP "
			    "so that whichever node is MASTER handles the "
			    "tunnel; on the BACKUP node pfSense makes such "
			    "tunnels responder-only (doc/behaviour/"
			    "cloud-and-linux.md §9).";
		finding_evidence(ar, f, EVREF_CONFIG, &p->loc,
				 arena_printf(ar, "phase 1 %s interface %s",
					      p1_label(ar, p), p->iface));
		finding_evidence(ar, f, EVREF_CONFIG, &v->loc,
				 arena_printf(ar, "CARP VIP %s (vhid %u) on %s",
					      ipaddr_str(ar, &v->addr), v->vhid,
					      v->iface));
		f->fix = arena_printf(ar,
				      "On %s, VPN > IPsec > Tunnels, phase "
				      "1 %s: set Interface to the CARP VIP %s, "
				      "and point the peer's Remote Gateway at "
				      "%s.",
				      s->name, p1_label(ar, p),
				      ipaddr_str(ar, &v->addr),
				      ipaddr_str(ar, &v->addr));
	}
}

static const struct phase1 *
p1_by_id(const struct site *s, const char *ikeid)
{
	for (size_t i = 0; ikeid && i < s->np1; i++)
		if (s->p1[i].ikeid && strcmp(s->p1[i].ikeid, ikeid) == 0)
			return &s->p1[i];
	return NULL;
}

static bool
same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* What differs between two phase 1 of the same ikeid, or NULL. */
static const char *
p1_diff(const struct phase1 *a, const struct phase1 *b)
{
	if (!same_str(a->remote, b->remote))
		return "remote gateway";
	if (!same_str(a->iface, b->iface))
		return "interface";
	if (a->ikever != b->ikever)
		return "IKE version";
	if (!same_str(a->proposals, b->proposals))
		return "proposals";
	if (a->disabled != b->disabled)
		return "disabled";
	return NULL;
}

static const struct phase2 *
p2_by_id(const struct site *s, const struct phase2 *x)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *y = &s->p2[i];
		if (x->uniqid ? same_str(x->uniqid, y->uniqid)
			      : same_str(x->ikeid, y->ikeid) &&
				    same_str(x->descr, y->descr))
			return y;
	}
	return NULL;
}

static bool
same_net(const struct prefix *a, const struct prefix *b)
{
	return a->len == b->len && ipaddr_cmp(&a->addr, &b->addr) == 0;
}

static const char *
p2_diff(const struct phase2 *a, const struct phase2 *b)
{
	if (a->mode != b->mode)
		return "mode";
	if (!same_net(&a->local.net, &b->local.net))
		return "local network";
	if (!same_net(&a->remote.net, &b->remote.net))
		return "remote network";
	if (a->disabled != b->disabled)
		return "disabled";
	return NULL;
}

static void
drift_ev(struct analysis *an, struct finding *f, const struct srcloc *loc,
	 const char *what)
{
	if (f && f->nev < 12)
		finding_evidence(an->ar, f, EVREF_CONFIG, loc, what);
}

/* Differences of one node's IPsec entries against the other's. */
static size_t
drift_one(struct analysis *an, struct finding *f, const struct site *a,
	  const struct site *b)
{
	struct arena *ar = an->ar;
	size_t n = 0;
	for (size_t i = 0; i < a->np1; i++) {
		const struct phase1 *x = &a->p1[i], *y = p1_by_id(b, x->ikeid);
		const char *d = y ? p1_diff(x, y) : "missing on the other node";
		if (d) {
			n++;
			drift_ev(an, f, &x->loc,
				 f ? arena_printf(ar,
						  "%s: phase 1 "
						  "%s (ikeid %s): %s",
						  a->name, p1_label(ar, x),
						  x->ikeid ? x->ikeid : "?", d)
				   : NULL);
			if (y)
				drift_ev(an, f, &y->loc,
					 f ? arena_printf(ar, "%s: phase 1 %s",
							  b->name,
							  p1_label(ar, y))
					   : NULL);
		}
	}
	for (size_t i = 0; i < a->np2; i++) {
		const struct phase2 *x = &a->p2[i], *y = p2_by_id(b, x);
		const char *d = y ? p2_diff(x, y) : "missing on the other node";
		if (d) {
			n++;
			drift_ev(
			    an, f, &x->loc,
			    f ? arena_printf(ar,
					     "%s: phase 2 "
					     "'%s' %s === %s: %s",
					     a->name, x->descr ? x->descr : "",
					     prefix_str(ar, &x->local.net),
					     prefix_str(ar, &x->remote.net), d)
			      : NULL);
			if (y)
				drift_ev(
				    an, f, &y->loc,
				    f ? arena_printf(
					    ar, "%s: phase 2 '%s' %s === %s",
					    b->name, y->descr ? y->descr : "",
					    prefix_str(ar, &y->local.net),
					    prefix_str(ar, &y->remote.net))
				      : NULL);
		}
	}
	return n;
}

static void
sync_drift(struct analysis *an, const struct site *s)
{
	const struct site *b = s->ha_node;
	size_t n = drift_one(an, NULL, s, b);
	/* entries only the second node has */
	for (size_t i = 0; i < b->np1; i++)
		n += p1_by_id(s, b->p1[i].ikeid) == NULL;
	for (size_t i = 0; i < b->np2; i++)
		n += p2_by_id(s, &b->p2[i]) == NULL;
	if (n == 0)
		return;
	struct arena *ar = an->ar;
	struct finding *f = check_finding(an, CHK_HA_SYNC_DRIFT, s, "ipsec");
	drift_one(an, f, s, b);
	for (size_t i = 0; i < b->np1; i++)
		if (p1_by_id(s, b->p1[i].ikeid) == NULL)
			drift_ev(an, f, &b->p1[i].loc,
				 arena_printf(ar,
					      "%s: "
					      "phase 1 %s only on this node",
					      b->name,
					      p1_label(ar, &b->p1[i])));
	for (size_t i = 0; i < b->np2; i++)
		if (p2_by_id(s, &b->p2[i]) == NULL)
			drift_ev(
			    an, f, &b->p2[i].loc,
			    arena_printf(ar,
					 "%s: "
					 "phase 2 '%s' only on this node",
					 b->name,
					 b->p2[i].descr ? b->p2[i].descr : ""));
	f->summary = arena_printf(
	    ar,
	    "the two nodes of %s differ in %zu IPsec entr%s: after a "
	    "failover the other node runs other tunnels",
	    s->name, n, n == 1 ? "y" : "ies");
	f->detail =
	    s->hasync_ipsec
		? "XMLRPC sync of IPsec is on (System > High Avail. Sync), so "
		  "the second node was edited since the last sync or the sync "
		  "fails (doc/behaviour/cloud-and-linux.md §9)."
		: "XMLRPC sync of IPsec is off on this node (System > High "
		  "Avail. Sync): the two IPsec sections are kept by hand and "
		  "have drifted (doc/behaviour/cloud-and-linux.md §9).";
	f->fix = arena_printf(
	    ar,
	    "On %s's primary node, System > High Avail. Sync: check "
	    "IPsec and save (or re-save a tunnel) to copy the IPsec "
	    "section to the secondary; edit IPsec on the primary "
	    "only.",
	    s->name);
}

/* Another site's phase 1 points at a node address of the HA site. */
static void
peer_node(struct analysis *an, const struct site *ha, const struct site *o)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < o->np1; i++) {
		const struct phase1 *p = &o->p1[i];
		if (p->disabled || !p->peer_known)
			continue;
		const struct site *node =
		    site_is_own_addr(ha, &p->peer) ? ha
		    : ha->ha_node && site_is_own_addr(ha->ha_node, &p->peer)
			? ha->ha_node
			: NULL;
		const struct iface *f =
		    node ? site_iface_for_addr(node, &p->peer) : NULL;
		const struct carp_vip *v =
		    f ? carp_on(ha, f->key, p->peer.fam) : NULL;
		if (v == NULL || ipaddr_cmp(&v->addr, &p->peer) == 0)
			continue;
		bool on_vip = false; /* does the HA side speak from the VIP? */
		for (size_t j = 0; j < ha->np1; j++)
			on_vip = on_vip || (!ha->p1[j].disabled &&
					    p1_carp(ha, &ha->p1[j]) == v);
		struct finding *fd = check_finding(an, CHK_HA_PEER_NODE_ADDRESS,
						   o, check_loc(ar, &p->loc));
		if (on_vip)
			fd->severity = SEV_ERROR;
		fd->summary = arena_printf(
		    ar,
		    "%s phase 1 %s points at %s, %s's own address on %s, "
		    "not at the HA pair's CARP VIP %s%s",
		    o->name, p1_label(ar, p), p->remote, node->name, f->key,
		    ipaddr_str(ar, &v->addr),
		    on_vip ? ": the HA pair speaks IKE from the VIP, so no "
			     "tunnel comes up"
			   : ": the tunnel breaks when the other node "
			     "becomes MASTER");
		fd->detail = "The peer must point at the CARP VIP, which "
			     "moves to the MASTER node (doc/behaviour/"
			     "cloud-and-linux.md §9).";
		finding_evidence(ar, fd, EVREF_CONFIG, &p->loc,
				 arena_printf(ar,
					      "%s phase 1 remote gateway %s",
					      o->name, p->remote));
		finding_evidence(
		    ar, fd, EVREF_CONFIG, &v->loc,
		    arena_printf(ar, "%s CARP VIP %s on %s", ha->name,
				 ipaddr_str(ar, &v->addr), v->iface));
		fd->fix = arena_printf(ar,
				       "On %s, VPN > IPsec > Tunnels, phase "
				       "1 %s: set Remote Gateway to %s.",
				       o->name, p1_label(ar, p),
				       ipaddr_str(ar, &v->addr));
	}
}

void
check_ha(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *s = an->sites[i];
		if (s->ncarps == 0 || !s->has_config)
			continue;
		p1_not_vip(an, s);
		if (s->ha_node)
			sync_drift(an, s);
		for (size_t j = 0; j < an->nsites; j++)
			if (j != i && an->sites[j]->has_config)
				peer_node(an, s, an->sites[j]);
	}
}
