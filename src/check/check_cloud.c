/* A cloud VPN peer (model/cloud.h) against the firewall that faces it:
 * tunnels the cloud states but the firewall lacks, inside addresses
 * pfSense blocks as APIPA, routes over one tunnel while the cloud
 * answers over the other, selectors the cloud will not accept, and IKE
 * parameters outside what the cloud states or permits. Facts and
 * sources: doc/behaviour/cloud-and-linux.md §1-§4. */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"
#include "model/cloud.h"

struct cpair {
	struct analysis *an;
	const struct site *c; /* the cloud end */
	const struct cloud_vpn *v;
	const struct site *s;	     /* the firewall facing it */
	const struct phase1 *p1[16]; /* per tunnel index, NULL: none */
};

static const struct phase1 *
p1_for(const struct site *s, const struct ipaddr *peer)
{
	const struct phase1 *off = NULL;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p = &s->p1[i];
		if (!p->peer_known || ipaddr_cmp(&p->peer, peer) != 0)
			continue;
		if (!p->disabled)
			return p;
		off = p;
	}
	return off;
}

static const char *
p1_name(struct arena *ar, const struct phase1 *p)
{
	return p->descr && *p->descr ? arena_printf(ar, "'%s'", p->descr)
				     : arena_printf(ar, "to %s", p->remote);
}

static void
ev_p1(struct cpair *cp, struct finding *f, const struct phase1 *p)
{
	finding_evidence(cp->an->ar, f, EVREF_CONFIG, &p->loc,
			 arena_printf(cp->an->ar,
				      "%s phase 1 %s, remote gateway "
				      "%s%s",
				      cp->s->name, p1_name(cp->an->ar, p),
				      p->remote,
				      p->disabled ? " (disabled)" : ""));
}

static void
ev_tunnel(struct cpair *cp, struct finding *f, const struct cloud_tunnel *t)
{
	struct arena *ar = cp->an->ar;
	finding_evidence(
	    ar, f, EVREF_CONFIG, t->has_cloud_ip ? &t->cloud_ip_loc : &t->loc,
	    arena_printf(ar, "%s tunnel %u: outside address %s",
			 cloud_provider_name(cp->v->provider), t->n,
			 t->has_cloud_ip ? ipaddr_str(ar, &t->cloud_ip) : "?"));
}

/* The firewall faces the cloud when a phase 1 points at one of its
 * tunnels, or it owns the on-premises address the cloud names. */
static bool
pair_faces(struct cpair *cp)
{
	bool any = false;
	for (size_t i = 0; i < cp->v->ntun && i < 16; i++) {
		const struct cloud_tunnel *t = &cp->v->tun[i];
		cp->p1[i] =
		    t->has_cloud_ip ? p1_for(cp->s, &t->cloud_ip) : NULL;
		any = any || cp->p1[i] ||
		      (t->has_onprem_ip &&
		       site_is_own_addr(cp->s, &t->onprem_ip));
	}
	return any;
}

/* No tunnel at all: one error naming every stated tunnel. */
static void
no_tunnel(struct cpair *cp)
{
	struct arena *ar = cp->an->ar;
	struct finding *f =
	    check_finding(cp->an, CHK_CLOUD_TUNNEL_MISSING, cp->s, cp->c->name);
	f->severity = SEV_ERROR;
	const char *ips = "";
	for (size_t i = 0; i < cp->v->ntun && i < 16; i++) {
		const struct cloud_tunnel *t = &cp->v->tun[i];
		if (!t->has_cloud_ip)
			continue;
		ips = arena_printf(ar, "%s%s%s", ips, *ips ? ", " : "",
				   ipaddr_str(ar, &t->cloud_ip));
		ev_tunnel(cp, f, t);
		if (cp->p1[i])
			ev_p1(cp, f, cp->p1[i]);
	}
	f->summary = arena_printf(
	    ar,
	    "%s holds the on-premises address %s names, but has no "
	    "enabled phase 1 for any of its tunnels (%s): no tunnel "
	    "to the cloud",
	    cp->s->name, cp->c->name, ips);
	f->detail = "The cloud's configuration names this firewall's address "
		    "as its customer gateway; without a phase 1 to the "
		    "cloud's outside addresses no tunnel comes up "
		    "(doc/behaviour/cloud-and-linux.md §1-§3).";
	f->fix = arena_printf(ar,
			      "On %s, VPN > IPsec > Tunnels: add one "
			      "phase 1 per cloud tunnel (Remote Gateway %s), "
			      "each with its own pre-shared key from the "
			      "cloud configuration.",
			      cp->s->name, ips);
}

static void
tunnel_missing(struct cpair *cp)
{
	struct arena *ar = cp->an->ar;
	size_t have = 0;
	for (size_t i = 0; i < cp->v->ntun && i < 16; i++)
		have += cp->p1[i] && !cp->p1[i]->disabled;
	if (have == 0) {
		no_tunnel(cp);
		return;
	}
	for (size_t i = 0; i < cp->v->ntun && i < 16; i++) {
		const struct cloud_tunnel *t = &cp->v->tun[i];
		if (!t->has_cloud_ip || (cp->p1[i] && !cp->p1[i]->disabled))
			continue;
		struct finding *f =
		    check_finding(cp->an, CHK_CLOUD_TUNNEL_MISSING, cp->s,
				  arena_printf(ar, "%s#%u", cp->c->name, t->n));
		f->summary = arena_printf(
		    ar,
		    "%s has no %sphase 1 for %s tunnel %u (%s): the "
		    "connection runs on fewer tunnels than the cloud "
		    "provides",
		    cp->s->name, cp->p1[i] ? "enabled " : "",
		    cloud_provider_name(cp->v->provider), t->n,
		    ipaddr_str(ar, &t->cloud_ip));
		f->detail =
		    cp->v->provider == CLOUD_AWS
			? "AWS states that both tunnels must be configured and "
			  "replaces or maintains its two endpoints one at a "
			  "time: with one tunnel, every AWS maintenance of it "
			  "is an outage (doc/behaviour/cloud-and-linux.md §1)."
			: "The cloud configuration states this tunnel; without "
			  "it the connection loses its redundancy "
			  "(doc/behaviour/cloud-and-linux.md §2-§3).";
		ev_tunnel(cp, f, t);
		if (cp->p1[i])
			ev_p1(cp, f, cp->p1[i]);
		f->fix = arena_printf(
		    ar,
		    "On %s, VPN > IPsec > Tunnels: add a phase 1 with "
		    "Remote Gateway %s and tunnel %u's own pre-shared "
		    "key from the cloud configuration, with the same "
		    "phase 2 (or VTI) as the other tunnel.",
		    cp->s->name, ipaddr_str(ar, &t->cloud_ip), t->n);
	}
}

static const struct phase2 *
vti_of(const struct site *s, const struct phase1 *p1)
{
	for (size_t i = 0; p1 && i < s->np2; i++)
		if (s->p2[i].p1 == p1 && s->p2[i].mode == P2_VTI &&
		    p2_enabled(&s->p2[i]))
			return &s->p2[i];
	return NULL;
}

/* The site's config.xml, for facts that are an absence. */
static const struct srcloc *
config_loc(struct arena *ar, const struct site *s)
{
	struct srcloc *l = arena_alloc(ar, sizeof(*l));
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == INPUT_PFSENSE_XML ||
		    s->inputs[i].kind == INPUT_OPNSENSE_XML)
			l->file = s->inputs[i].path;
	return l;
}

/* pfSense blocks inbound 169.254/16 quick on every interface unless
 * Allow APIPA is set (§4): the cloud's BGP connections to the inside
 * address never arrive; only sessions this end opens get replies. */
static void
apipa(struct cpair *cp)
{
	struct arena *ar = cp->an->ar;
	if (cp->s->kind != SITE_PFSENSE || cp->s->flags.no_apipa_block ||
	    !cp->v->bgp)
		return;
	for (size_t i = 0; i < cp->v->ntun && i < 16; i++) {
		const struct cloud_tunnel *t = &cp->v->tun[i];
		const struct phase2 *vti = vti_of(cp->s, cp->p1[i]);
		if (!t->has_inside || vti == NULL)
			continue;
		struct finding *f =
		    check_finding(cp->an, CHK_CLOUD_APIPA, cp->s, cp->c->name);
		if (f->summary == NULL) {
			f->summary = arena_printf(
			    ar,
			    "%s blocks the tunnels' inside addresses "
			    "(169.254.0.0/16) inbound: %s's BGP "
			    "connections to them are dropped",
			    cp->s->name, cloud_provider_name(cp->v->provider));
			f->detail = "pfSense adds 'block in quick' rules for "
				    "169.254.0.0/16 on every interface, VTIs "
				    "included, unless Allow APIPA is set. BGP "
				    "sessions this firewall opens still get "
				    "their replies through the state; sessions "
				    "the cloud opens, and pings to the inside "
				    "address, are dropped "
				    "(doc/behaviour/cloud-and-linux.md §4).";
			finding_evidence(ar, f, EVREF_CONFIG,
					 config_loc(ar, cp->s),
					 "<system> has no <no_apipa_block/> "
					 "(Allow APIPA off)");
			f->fix = arena_printf(
			    ar,
			    "On %s, System > Advanced > Firewall & "
			    "NAT: check 'Allow APIPA', then pass the "
			    "BGP traffic on the VTI interfaces.",
			    cp->s->name);
		}
		finding_evidence(
		    ar, f, EVREF_CONFIG, &t->inside_loc,
		    arena_printf(ar,
				 "tunnel %u inside %s/%u, this "
				 "end's phase 2 '%s' (VTI)",
				 t->n, ipaddr_str(ar, &t->inside_onprem.addr),
				 t->inside_onprem.plen,
				 vti->descr ? vti->descr : ""));
	}
}

void check_cloud_selectors(struct analysis *an, const struct site *c,
			   const struct site *s,
			   const struct phase1 *const *p1);
void check_cloud_params(struct analysis *an, const struct site *c,
			const struct site *s, const struct phase1 *const *p1);
void check_cloud_asymmetric(struct analysis *an, const struct site *c,
			    const struct site *s,
			    const struct phase1 *const *p1);

void
check_cloud(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *c = an->sites[i];
		if (c->kind != SITE_CLOUD || c->cloud == NULL)
			continue;
		for (size_t j = 0; j < an->nsites; j++) {
			const struct site *s = an->sites[j];
			struct cpair cp = {an, c, c->cloud, s, {0}};
			if (s == c || !s->has_config || s->kind == SITE_CLOUD ||
			    !pair_faces(&cp))
				continue;
			tunnel_missing(&cp);
			apipa(&cp);
			check_cloud_selectors(an, c, s, cp.p1);
			check_cloud_params(an, c, s, cp.p1);
			check_cloud_asymmetric(an, c, s, cp.p1);
		}
	}
}
