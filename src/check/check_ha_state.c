/* HA pairs with their running state: which node holds a tunnel's CARP VIP
 * as MASTER (ifconfig in each node's status archive), where the SAs are,
 * and a node left in persistent CARP maintenance mode
 * (doc/behaviour/ha.md). Runs after the evidence checks: it settles
 * their sa-missing and p1-carp-backup for the pair. */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"

/* The CARP VIP of the config a phase 1 is bound to, or NULL. */
static const struct carp_vip *
vip_of(const struct site *s, const struct phase1 *p1)
{
	for (size_t i = 0; i < s->ncarps; i++) {
		const struct carp_vip *v = &s->carps[i];
		if ((v->uniqid && p1->bind &&
		     strncmp(p1->bind, "_vip", 4) == 0 &&
		     strcmp(p1->bind + 4, v->uniqid) == 0) ||
		    (p1->local_known && ipaddr_cmp(&p1->local, &v->addr) == 0))
			return v;
	}
	return NULL;
}

/* The node's ifconfig entry of the VIP address, or NULL. */
static const struct box_carp *
node_carp(const struct site *n, const struct ipaddr *a)
{
	for (size_t i = 0; n && i < n->ev.box.ncarp; i++)
		if (n->ev.box.carp[i].state &&
		    ipaddr_cmp(&n->ev.box.carp[i].addr, a) == 0)
			return &n->ev.box.carp[i];
	return NULL;
}

static bool
is_master(const struct box_carp *c)
{
	return c && strcmp(c->state, "MASTER") == 0;
}

/* pfSense names a phase 1's IKE SA "con<ikeid>" (child "con<ikeid>_N"):
 * an SA of another phase 1 with overlapping selectors is not this one's.
 * Other names say nothing. */
static bool
same_conn(const struct observation *o, const struct phase1 *p1)
{
	const char *c = o->conn;
	if (c == NULL || p1->ikeid == NULL || strncmp(c, "con", 3) != 0 ||
	    c[3] < '0' || c[3] > '9')
		return true;
	size_t n = strlen(p1->ikeid);
	return strncmp(c + 3, p1->ikeid, n) == 0 &&
	       (c[3 + n] == '\0' || c[3 + n] == '_');
}

/* The node's first installed SA of one of p1's phase 2 (the primary's
 * config: the pair runs the same tunnels), or NULL. */
static const struct observation *
node_sa(const struct site *n, const struct site *s, const struct phase1 *p1)
{
	for (size_t i = 0; n && i < n->ev.nobs; i++) {
		const struct observation *o = &n->ev.obs[i];
		if (o->kind != OBS_SA || !same_conn(o, p1))
			continue;
		for (size_t j = 0; j < s->np2; j++) {
			const struct phase2 *p2 = &s->p2[j];
			if (p2->p1 == p1 && p2_enabled(p2) &&
			    prefix_overlaps(&o->ts_local,
					    p2_visible_local(p2)) &&
			    prefix_overlaps(&o->ts_remote, &p2->remote.net))
				return o;
		}
	}
	return NULL;
}

static void
drop(struct analysis *an, enum finding_id id, const struct site *s,
     const char *key)
{
	for (size_t i = an->fs.n; i-- > 0;) {
		const struct finding *f = &an->fs.f[i];
		if (f->id == id && f->site && strcmp(f->site, s->name) == 0 &&
		    f->key && strcmp(f->key, key) == 0)
			findings_remove(&an->fs, i);
	}
}

/* The primary's sa-missing of p1's phase 2: ha-sa-on-backup names the
 * cause (one root cause, one finding). */
static void
drop_p2_missing(struct analysis *an, const struct site *s,
		const struct phase1 *p1)
{
	for (size_t j = 0; j < s->np2; j++)
		if (s->p2[j].p1 == p1)
			drop(an, CHK_SA_MISSING, s,
			     check_loc(an->ar, &s->p2[j].loc));
}

static const char *
p1_name(struct arena *ar, const struct phase1 *p1)
{
	return p1->descr && *p1->descr ? arena_printf(ar, "'%s'", p1->descr)
				       : arena_printf(ar, "to %s", p1->remote);
}

/* A node by name: the primary is "NAME (first node)" beside its pair. */
static const char *
node_label(struct arena *ar, const struct site *s, const struct site *n)
{
	return n == s && s->ha_node
		   ? arena_printf(ar, "%s (first node)", n->name)
		   : n->name;
}

/* n holds the VIP as BACKUP (c) and has SAs of p1 (o); m is the other
 * node, mc its CARP entry, mo its SA. */
static void
sa_on_backup(struct analysis *an, struct site *s, const struct phase1 *p1,
	     const struct site *n, const struct box_carp *c,
	     const struct observation *o, const struct site *m,
	     const struct box_carp *mc, const struct observation *mo)
{
	struct arena *ar = an->ar;
	const char *nn = node_label(ar, s, n), *mn = node_label(ar, s, m);
	struct finding *f = check_finding(
	    an, CHK_HA_SA_ON_BACKUP, s,
	    arena_printf(ar, "%s:%s", nn, check_loc(ar, &p1->loc)));
	f->confidence = CONF_CONFIRMED;
	bool stranded = is_master(mc) && m->ev.has_status && mo == NULL;
	if (stranded)
		f->severity = SEV_ERROR;
	f->summary = arena_printf(
	    ar,
	    "%s holds CARP VIP %s (vhid %u) as %s but has SAs of phase 1 "
	    "%s%s",
	    nn, ipaddr_str(ar, &c->addr), c->vhid, c->state, p1_name(ar, p1),
	    stranded ? arena_printf(ar,
				    ", while the MASTER %s has none: the "
				    "traffic reaches the MASTER, which has no "
				    "SA for it",
				    mn)
		     : ": the peer reached this node rather than the VIP, or "
		       "the tunnel did not move with a failover");
	f->detail = "pfSense sets a tunnel on a CARP VIP to start_action none "
		    "on the node holding the VIP as BACKUP or INIT and "
		    "initiates it only on the MASTER; the peer must use the "
		    "VIP (doc/behaviour/ha.md §1). SAs on the BACKUP come "
		    "from IKE sent to a node address, a split brain (both "
		    "nodes MASTER), or the IPsec service running on the "
		    "BACKUP after a sync (opnsense/core#9366, #477).";
	finding_evidence(ar, f, EVREF_STATUS, &c->state_loc,
			 arena_printf(ar, "%s: carp: %s vhid %u on %s", nn,
				      c->state, c->vhid,
				      c->ifname ? c->ifname : "?"));
	finding_evidence(ar, f, EVREF_STATUS, &o->where,
			 arena_printf(ar, "%s: installed SA %s === %s", nn,
				      prefix_str(ar, &o->ts_local),
				      prefix_str(ar, &o->ts_remote)));
	if (mc)
		finding_evidence(ar, f, EVREF_STATUS, &mc->state_loc,
				 arena_printf(ar, "%s: carp: %s vhid %u%s", mn,
					      mc->state, mc->vhid,
					      stranded ? ", no SA of this "
							 "tunnel"
						       : ""));
	f->fix = arena_printf(
	    ar,
	    "On %s: Status > IPsec, disconnect phase 1 %s (the MASTER "
	    "then negotiates it), make the peer's Remote Gateway the VIP "
	    "%s, and check Status > CARP on both nodes (one MASTER "
	    "per VIP).",
	    nn, p1_name(ar, p1), ipaddr_str(ar, &c->addr));
}

/* The second node holds the VIP as MASTER, with SA status and no SA of
 * p1: the tunnel is down where it should run. */
static void
master_without_sa(struct analysis *an, struct site *s, const struct phase1 *p1,
		  const struct site *n, const struct box_carp *c)
{
	struct arena *ar = an->ar;
	struct finding *f = check_finding(
	    an, CHK_SA_MISSING, s,
	    arena_printf(ar, "%s:%s", n->name, check_loc(ar, &p1->loc)));
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(
	    ar,
	    "phase 1 %s has no installed SA on %s, which holds its CARP VIP "
	    "%s as MASTER: the tunnel is down where it should run",
	    p1_name(ar, p1), n->name, ipaddr_str(ar, &c->addr));
	f->detail = "The node holding the VIP as MASTER runs the pair's "
		    "tunnels (doc/behaviour/ha.md §1).";
	finding_evidence(ar, f, EVREF_CONFIG, &p1->loc, "phase 1");
	finding_evidence(
	    ar, f, EVREF_STATUS, &c->state_loc,
	    arena_printf(ar, "%s: carp: MASTER vhid %u", n->name, c->vhid));
	f->fix = arena_printf(ar,
			      "On %s, Status > IPsec: connect phase 1 %s; "
			      "look in its IPsec log for why it failed.",
			      n->name, p1_name(ar, p1));
}

/* The primary holds the VIP as BACKUP and the second node as MASTER: a
 * failover, not a fault; p1-carp-backup becomes information. */
static void
backup_as_expected(struct analysis *an, struct site *s, const struct phase1 *p1,
		   const struct site *m)
{
	const char *key = check_loc(an->ar, &p1->loc);
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (f->id != CHK_P1_CARP_BACKUP || !f->site || !f->key ||
		    strcmp(f->site, s->name) != 0 || strcmp(f->key, key) != 0)
			continue;
		f->severity = SEV_INFO;
		f->summary = arena_printf(
		    an->ar,
		    "phase 1 %s belongs on %s, which holds its CARP VIP as "
		    "MASTER; this node is BACKUP (after a failover, or by "
		    "design)",
		    p1_name(an->ar, p1), m->name);
		f->fix = "Nothing to do for the tunnel; to move it back, make "
			 "this node MASTER (Status > CARP on both nodes).";
	}
}

static void
sa_placement(struct analysis *an, struct site *s)
{
	struct site *nodes[2] = {s, s->ha_node};
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		const struct carp_vip *v = p1->disabled ? NULL : vip_of(s, p1);
		if (v == NULL)
			continue;
		for (int k = 0; k < 2; k++) {
			struct site *n = nodes[k], *m = nodes[1 - k];
			const struct box_carp *c = node_carp(n, &v->addr);
			if (c == NULL || !n->ev.has_status)
				continue;
			const struct observation *o = node_sa(n, s, p1);
			const struct box_carp *mc = node_carp(m, &v->addr);
			const struct observation *mo = node_sa(m, s, p1);
			if (!is_master(c) && o) {
				sa_on_backup(an, s, p1, n, c, o, m, mc, mo);
				if (k == 0) /* says the opposite */
					drop(an, CHK_P1_CARP_BACKUP, s,
					     check_loc(an->ar, &p1->loc));
				else if (is_master(mc) && mo == NULL)
					drop_p2_missing(an, s, p1);
			} else if (is_master(c) && o == NULL && k == 1 &&
				   !(mo && !is_master(mc)))
				master_without_sa(an, s, p1, n, c);
			else if (k == 0 && !is_master(c) && is_master(mc))
				backup_as_expected(an, s, p1, m);
		}
	}
}

static void
maintenance_ev(struct arena *ar, struct finding *f, const struct site *s,
	       const struct site *n)
{
	finding_evidence(ar, f, EVREF_CONFIG, &n->carp_maintenance_loc,
			 arena_printf(ar, "%s: virtualip_carp_maintenancemode",
				      node_label(ar, s, n)));
	for (size_t i = 0; i < n->ev.box.ncarp; i++) {
		const struct box_carp *c = &n->ev.box.carp[i];
		if (c->has_advskew && c->advskew == 254 && c->state)
			finding_evidence(ar, f, EVREF_STATUS, &c->state_loc,
					 arena_printf(ar,
						      "carp: %s vhid %u "
						      "advskew 254",
						      c->state, c->vhid));
	}
}

/* One finding for the pair, information: the pair still works, one
 * node is MASTER; left on, the mode is easily forgotten. */
static void
maintenance(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	const struct site *b = s->ha_node;
	bool both = s->carp_maintenance && b && b->carp_maintenance;
	const struct site *n = s->carp_maintenance	  ? s
			       : b && b->carp_maintenance ? b
							  : NULL;
	if (n == NULL)
		return;
	struct finding *f =
	    check_finding(an, CHK_HA_MAINTENANCE_MODE, s,
			  check_loc(ar, &n->carp_maintenance_loc));
	f->summary =
	    both ? arena_printf(ar,
				"both nodes of %s are in persistent CARP "
				"maintenance mode: neither is preferred, so "
				"which one runs the tunnels is left to chance",
				s->name)
		 : arena_printf(
		       ar,
		       "%s is in persistent CARP maintenance mode: it "
		       "stays BACKUP while the other node is up, so the "
		       "tunnels run on the other node, across reboots",
		       node_label(ar, s, n));
	f->detail = "pfSense advertises every CARP VIP of a node in "
		    "maintenance mode with advskew 254; OPNsense demotes it "
		    "by 240. The mode is kept in config.xml and survives a "
		    "reboot (doc/behaviour/ha.md §3).";
	maintenance_ev(ar, f, s, n);
	if (both)
		maintenance_ev(ar, f, s, b);
	f->fix = arena_printf(
	    ar,
	    "When the maintenance is over, on %s: Status > CARP (failover) "
	    "> Leave Persistent CARP Maintenance Mode (OPNsense: Interfaces "
	    "> Virtual IPs > Status).",
	    both ? "both nodes" : node_label(ar, s, n));
}

void
check_ha_state(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		struct site *s = an->sites[i];
		if (s->ncarps == 0 || !s->has_config)
			continue;
		sa_placement(an, s);
		maintenance(an, s);
	}
}
