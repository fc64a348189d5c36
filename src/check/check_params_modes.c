/* Phase 2 encapsulation mode compared across both ends: transport at one
 * end, tunnel (or route-based VTI, tunnel mode on the wire) at the other.
 * IKEv1 refuses the quick mode; IKEv2 falls back to tunnel mode
 * (doc/behaviour/ike-parameters.md §11). Kept apart from
 * check_params.c so both can change independently. */
#include <string.h>

#include "check/check.h"
#include "check/params.h"
#include "engine/route.h"

static const char *
nz(const char *s)
{
	return s ? s : "";
}

static const char *
mode_key(struct arena *ar, const struct srcloc *x, const struct srcloc *y)
{
	const char *ka = check_loc(ar, x), *kb = check_loc(ar, y);
	return strcmp(ka, kb) < 0 ? arena_printf(ar, "%s|%s", ka, kb)
				  : arena_printf(ar, "%s|%s", kb, ka);
}

/* The selectors strongSwan uses for p2: pfSense (and OPNsense legacy)
 * write a transport child between the phase 1 addresses whatever the
 * saved networks say (ipsec.inc, ike-parameters.md §11); a swanctl
 * transport child without local_ts is the own address too. */
static bool
mode_selectors(const struct site *s, const struct phase2 *p, struct prefix *loc,
	       struct prefix *rem)
{
	struct ipaddr me;
	bool fw = s->kind == SITE_PFSENSE ||
		  (s->kind == SITE_OPNSENSE && !p->p1->swanctl);
	if (p->mode == P2_TRANSPORT &&
	    (fw || !p->local.resolved || !p->remote.resolved)) {
		if (!p->p1->peer_known || !p1_local_addr(s, p->p1, &me))
			return false;
		*loc = prefix_make(me, fam_bits(me.fam));
		*rem = prefix_make(p->p1->peer, fam_bits(p->p1->peer.fam));
		return true;
	}
	if (!p->local.resolved || !p->remote.resolved)
		return false;
	*loc = *p2_visible_local(p);
	*rem = p->remote.net;
	return true;
}

/* Does q at b carry the traffic p at a carries (selectors meet both
 * ways)? */
static bool
mode_pair(const struct site *a, const struct phase2 *p, const struct site *b,
	  const struct phase2 *q)
{
	struct prefix pl, pr, ql, qr;
	return mode_selectors(a, p, &pl, &pr) &&
	       mode_selectors(b, q, &ql, &qr) && prefix_overlaps(&pr, &ql) &&
	       prefix_overlaps(&qr, &pl);
}

/* IKEv1 is what runs when one end is IKEv1 and the other IKEv1 or
 * either (ike-version-mismatch covers 1 against 2). */
static bool
runs_ikev1(const struct phase1 *x, const struct phase1 *y)
{
	return (x->ikever == 1 && y->ikever != 2) ||
	       (y->ikever == 1 && x->ikever != 2);
}

static void
mode_finding(struct analysis *an, struct site *a, const struct phase2 *p,
	     struct site *b, const struct phase2 *q)
{
	struct arena *ar = an->ar;
	const struct phase2 *tr = p->mode == P2_TRANSPORT ? p : q;
	const struct site *ts = tr == p ? a : b;
	bool v1 = runs_ikev1(p->p1, q->p1);
	struct finding *f = check_finding(an, CHK_P2_MODE_MISMATCH, a,
					  mode_key(ar, &p->loc, &q->loc));
	if (f->summary)
		return;
	if (!v1)
		f->severity = SEV_INFO;
	f->summary =
	    v1 ? arena_printf(ar,
			      "phase 2 '%s': %s is %s mode, %s is %s mode: "
			      "IKEv1 refuses the quick mode, phase 2 never "
			      "comes up",
			      nz(p->descr), a->name, p2_mode_name(p->mode),
			      b->name, p2_mode_name(q->mode))
	       : arena_printf(ar,
			      "phase 2 '%s': %s is %s mode, %s is %s mode: "
			      "IKEv2 falls back to tunnel mode, the SA runs "
			      "in tunnel mode at both ends",
			      nz(p->descr), a->name, p2_mode_name(p->mode),
			      b->name, p2_mode_name(q->mode));
	f->detail =
	    v1 ? "In IKEv1 the encapsulation mode is part of the quick mode "
		 "proposal; a strongSwan responder takes a child config only "
		 "when its mode is the one proposed, else it logs 'no "
		 "matching CHILD_SA config found' and answers "
		 "INVALID_ID_INFORMATION (doc/behaviour/ike-parameters.md "
		 "§11)."
	       : "In IKEv2 transport mode is asked for with a "
		 "USE_TRANSPORT_MODE notify; a responder not configured for "
		 "it silently uses tunnel mode, and the initiator accepts "
		 "that. Traffic between the selectors passes, with a tunnel "
		 "header more per packet than the transport end expects "
		 "(doc/behaviour/ike-parameters.md §11).";
	finding_evidence(ar, f, EVREF_CONFIG, &p->loc,
			 arena_printf(ar, "%s: phase 2 '%s' mode %s", a->name,
				      nz(p->descr), p2_mode_name(p->mode)));
	finding_evidence(ar, f, EVREF_CONFIG, &q->loc,
			 arena_printf(ar, "%s: phase 2 '%s' mode %s", b->name,
				      nz(q->descr), p2_mode_name(q->mode)));
	f->fix = arena_printf(
	    ar,
	    "Use the same mode at both ends (tunnel unless %s really "
	    "needs transport, e.g. for GRE): %s; %s.",
	    ts->name, params_field(ar, a, p->p1, PF_MODE),
	    params_field(ar, b, q->p1, PF_MODE));
}

static bool
is_transport(const struct phase2 *p)
{
	return p->mode == P2_TRANSPORT;
}

/* Does b hold, under y, a phase 2 of p's own mode carrying p's traffic?
 * Then p pairs with that one (a transport host pair beside a broad
 * tunnel phase 2 is two children, not a mode mismatch). */
static bool
same_mode_partner(const struct site *a, const struct phase2 *p,
		  const struct site *b, const struct phase1 *y)
{
	for (size_t j = 0; j < b->np2; j++) {
		const struct phase2 *q = &b->p2[j];
		if (q->p1 == y && p2_enabled(q) && !q->mobile &&
		    is_transport(p) == is_transport(q) && mode_pair(a, p, b, q))
			return true;
	}
	return false;
}

static void
modes_p1(struct analysis *an, struct site *a, const struct phase1 *x,
	 struct site *b, const struct phase1 *y)
{
	size_t before = an->fs.n;
	for (size_t i = 0; i < a->np2; i++) {
		const struct phase2 *p = &a->p2[i];
		if (p->p1 != x || !p2_enabled(p) || p->mobile)
			continue;
		for (size_t j = 0; j < b->np2; j++) {
			const struct phase2 *q = &b->p2[j];
			if (q->p1 != y || !p2_enabled(q) || q->mobile ||
			    is_transport(p) == is_transport(q) ||
			    !mode_pair(a, p, b, q) ||
			    same_mode_partner(a, p, b, y) ||
			    same_mode_partner(b, q, a, x))
				continue;
			mode_finding(an, a, p, b, q);
		}
	}
	/* OPNsense legacy tunnels are read with pfSense's meaning
	 * (ike-parameters.md §5): what rests on that is a warning */
	bool legacy = (a->kind == SITE_OPNSENSE && !x->swanctl) ||
		      (b->kind == SITE_OPNSENSE && !y->swanctl);
	for (size_t i = before; legacy && i < an->fs.n; i++)
		if (an->fs.f[i].severity == SEV_ERROR)
			an->fs.f[i].severity = SEV_WARNING;
}

void
check_params_modes(struct analysis *an)
{
	params_each_tunnel(an, modes_p1);
}
