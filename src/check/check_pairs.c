/* Both ends' phase 2 networks compared: they must mirror each other
 * (the guide's "setting mismatch"). */
#include <string.h>

#include "check/check.h"
#include "check/params.h"
#include "engine/route.h"

/* A mobile phase 2 (remote access) is no site-to-site tunnel: its
 * remote is each client's leased address, never the other site's LAN
 * (doc/behaviour/real-bundles.md §7). */
static bool
usable(const struct phase2 *p2)
{
	return p2_enabled(p2) && !p2->mobile && !(p2->p1 && p2->p1->mobile) &&
	       (p2->mode == P2_TUNNEL || p2->mode == P2_TUNNEL6);
}

/* "10.0.1.0/25 (10.0.1.128/25 outside)" */
static const char *
side_text(struct arena *ar, const struct prefix *x, const struct prefix *y)
{
	struct addrset a = addrset_of_prefix(ar, x),
		       b = addrset_of_prefix(ar, y);
	struct addrset in = addrset_intersect(ar, &a, &b);
	struct addrset u = addrset_union(ar, &a, &b);
	struct addrset out = addrset_diff(ar, &u, &in);
	if (addrset_is_empty(&out))
		return arena_printf(ar, "%s (same)", prefix_str(ar, x));
	return arena_printf(ar, "%s vs %s: common %s, outside %s",
			    prefix_str(ar, x), prefix_str(ar, y),
			    addrset_format(ar, &in, 8),
			    addrset_format(ar, &out, 8));
}

/* 127.0.0.0/8 and ::1 (Linux's lo): no host behind it talks through a
 * tunnel. */
static bool
loopback(const struct prefix *n)
{
	struct prefix lo4, lo6;
	prefix_parse(str_from("127.0.0.0/8"), &lo4, NULL);
	prefix_parse(str_from("::1/128"), &lo6, NULL);
	return prefix_within(n, n->addr.fam == FAM_V4 ? &lo4 : &lo6);
}

/* The p2-mismatch of the phase 2 pair x (of a) and y (of b), placed at
 * at, with both phase 2 as evidence and the fix; NULL when the pair has
 * one already (found from the other end). */
static struct finding *
pair_p2_finding(struct analysis *an, struct site *a, const struct phase2 *x,
		struct site *b, const struct phase2 *y, struct site *at)
{
	struct arena *ar = an->ar;
	const char *ka = check_loc(ar, &x->loc), *kb = check_loc(ar, &y->loc);
	const char *key = strcmp(ka, kb) < 0
			      ? arena_printf(ar, "%s|%s", ka, kb)
			      : arena_printf(ar, "%s|%s", kb, ka);
	for (size_t i = 0; i < an->fs.n; i++)
		if (an->fs.f[i].id == CHK_P2_MISMATCH && an->fs.f[i].key &&
		    strcmp(an->fs.f[i].key, key) == 0)
			return NULL;
	struct finding *f = check_finding(an, CHK_P2_MISMATCH, at, key);
	const struct prefix *xl = p2_visible_local(x),
			    *yl = p2_visible_local(y);
	finding_evidence(ar, f, EVREF_CONFIG, &x->loc,
			 arena_printf(ar, "%s phase 2 '%s'", a->name,
				      x->descr ? x->descr : ""));
	finding_evidence(ar, f, EVREF_CONFIG, &y->loc,
			 arena_printf(ar, "%s phase 2 '%s'", b->name,
				      y->descr ? y->descr : ""));
	f->fix = arena_printf(
	    ar,
	    "VPN > IPsec > Tunnels (phase 2): make %s's remote network equal "
	    "%s's local network and the reverse (e.g. on %s: local %s, "
	    "remote %s).",
	    at->name, at == a ? b->name : a->name, at->name,
	    prefix_str(ar, at == a ? &y->remote.net : &x->remote.net),
	    prefix_str(ar, at == a ? yl : xl));
	return f;
}

/* One side's two selectors nest (the responder narrows to the smaller
 * one) and every inside subnet of s the wider one names is inside the
 * smaller one: s's hosts lose nothing. */
static bool
narrowing_harmless(const struct site *s, const struct prefix *p,
		   const struct prefix *q)
{
	const struct prefix *small = p->len >= q->len ? p : q;
	const struct prefix *wide = small == p ? q : p;
	if (!prefix_within(small, wide))
		return false;
	bool any = false;
	for (size_t i = 0; i < s->nifaces; i++)
		for (size_t j = 0; j < s->ifaces[i].naddrs; j++) {
			struct prefix n =
			    prefix_make(s->ifaces[i].addrs[j].addr,
					s->ifaces[i].addrs[j].plen);
			if (s->ifaces[i].role == ROLE_WAN ||
			    s->ifaces[i].role == ROLE_ENC ||
			    !prefix_overlaps(&n, wide) || loopback(&n))
				continue;
			if (!prefix_within(&n, small))
				return false;
			any = true;
		}
	return any;
}

static void
compare(struct analysis *an, struct site *a, const struct phase2 *x,
	struct site *b, const struct phase2 *y)
{
	struct arena *ar = an->ar;
	const struct prefix *xl = p2_visible_local(x),
			    *yl = p2_visible_local(y);
	bool same = xl->len == y->remote.net.len &&
		    ipaddr_cmp(&xl->addr, &y->remote.net.addr) == 0 &&
		    x->remote.net.len == yl->len &&
		    ipaddr_cmp(&x->remote.net.addr, &yl->addr) == 0;
	if (same)
		return;
	/* the site whose networks are narrower is where hosts drop out */
	bool b_narrow =
	    y->remote.net.len > xl->len || yl->len > x->remote.net.len;
	struct site *at = b_narrow ? b : a;
	struct finding *f = pair_p2_finding(an, a, x, b, y, at);
	if (f == NULL)
		return; /* the pair's, from the other end */
	f->summary = arena_printf(
	    ar,
	    "phase 2 networks do not mirror: %s has %s === %s, %s has "
	    "%s === %s",
	    a->name, prefix_str(ar, xl), prefix_str(ar, &x->remote.net),
	    b->name, prefix_str(ar, yl), prefix_str(ar, &y->remote.net));
	f->detail =
	    arena_printf(ar,
			 "%s side: %s. %s side: %s. Only the common part gets "
			 "through (the responder narrows to the intersection); "
			 "hosts outside it fail.",
			 a->name, side_text(ar, xl, &y->remote.net), b->name,
			 side_text(ar, yl, &x->remote.net));
	/* strongSwan narrows to the intersection (IKEv2, RFC 7296 §2.9):
	 * when it still holds every LAN of both ends, the LANs reach each
	 * other; only what lies beyond (a full tunnel's Internet traffic)
	 * is not carried */
	if (narrowing_harmless(a, xl, &y->remote.net) &&
	    narrowing_harmless(b, yl, &x->remote.net)) {
		f->severity = SEV_INFO;
		f->detail = arena_printf(
		    ar,
		    "%s The narrowed child still holds both ends' "
		    "LANs, so they reach each other; traffic beyond "
		    "them (for example a full tunnel's Internet "
		    "traffic) is not carried.",
		    f->detail);
	}
}

/* a NATs x's local network, and b still names the real one. */
static void
nat_vs_real(struct analysis *an, struct site *a, const struct phase2 *x,
	    struct site *b)
{
	struct arena *ar = an->ar;
	for (size_t j = 0; j < b->np2; j++) {
		const struct phase2 *y = &b->p2[j];
		if (!usable(y) ||
		    !prefix_overlaps(&y->remote.net, &x->local.net))
			continue;
		struct finding *f =
		    check_finding(an, CHK_P2_NAT, a, check_loc(ar, &x->loc));
		if (f->summary)
			return;
		f->summary = arena_printf(
		    ar,
		    "%s translates %s to %s in phase 2 '%s', but %s "
		    "still uses the real network %s",
		    a->name, prefix_str(ar, &x->local.net),
		    prefix_str(ar, &x->natlocal.net), x->descr ? x->descr : "",
		    b->name, prefix_str(ar, &y->remote.net));
		f->detail = "The peer only ever sees the NAT network "
			    "(doc/behaviour/pfsense.md §2.6): its phase 2 must "
			    "name it.";
		finding_evidence(ar, f, EVREF_CONFIG, &x->loc,
				 arena_printf(ar, "%s phase 2 '%s'", a->name,
					      x->descr ? x->descr : ""));
		finding_evidence(ar, f, EVREF_CONFIG, &y->loc,
				 arena_printf(ar, "%s phase 2 '%s'", b->name,
					      y->descr ? y->descr : ""));
		f->fix =
		    arena_printf(ar,
				 "On %s, set the remote network of "
				 "phase 2 '%s' to %s (the NAT network), or "
				 "remove the NAT on %s.",
				 b->name, y->descr ? y->descr : "",
				 prefix_str(ar, &x->natlocal.net), a->name);
		return;
	}
}

/* x's selectors meet none of b's phase 2 toward a, while the two phase 1
 * talk to each other: the responder has no child for them and answers
 * TS_UNACCEPTABLE (IKEv1: INVALID_ID_INFORMATION): that child never
 * comes up. Finding at the end whose remote network misses the other's
 * local one. */
static void
unmatched(struct analysis *an, struct site *a, const struct phase2 *x,
	  struct site *b)
{
	struct arena *ar = an->ar;
	const struct phase1 *y1 = params_peer_p1(a, x->p1, b);
	if (y1 == NULL || y1->mobile || x->p1->mobile || x->has_nat ||
	    !x->local.resolved || !x->remote.resolved ||
	    params_peer_p1(b, y1, a) != x->p1)
		return;
	const struct phase2 *y = NULL;
	for (size_t j = 0; j < b->np2; j++) {
		const struct phase2 *q = &b->p2[j];
		if (q->p1 != y1 || !usable(q))
			continue;
		if (!q->local.resolved || !q->remote.resolved || q->has_nat)
			return; /* not all known: no verdict */
		if (y == NULL)
			y = q;
	}
	if (y == NULL)
		return;
	const struct prefix *xl = p2_visible_local(x),
			    *yl = p2_visible_local(y);
	/* the end naming a local network it does not have is wrong; else
	 * the one whose remote network misses the other's local one */
	bool xin = check_on_inside(a, xl), yin = check_on_inside(b, yl);
	struct site *at = xin && !yin				? b
			  : yin && !xin				? a
			  : prefix_overlaps(&y->remote.net, xl) ? a
								: b;
	struct finding *f = pair_p2_finding(an, a, x, b, y, at);
	if (f == NULL)
		return; /* the pair's, from the other end */
	f->summary = arena_printf(
	    ar,
	    "phase 2 networks do not mirror: %s has %s === %s, which no "
	    "phase 2 of %s toward it matches (%s has %s === %s)",
	    a->name, prefix_str(ar, xl), prefix_str(ar, &x->remote.net),
	    b->name, b->name, prefix_str(ar, yl),
	    prefix_str(ar, &y->remote.net));
	f->detail = "The phase 1 comes up, but the responder finds no child "
		    "whose networks meet the proposed ones and answers "
		    "TS_UNACCEPTABLE (IKEv1: INVALID_ID_INFORMATION): this "
		    "phase 2 never gets an SA (doc/behaviour/"
		    "ike-parameters.md §15).";
}

static void
compare_sites(struct analysis *an, struct site *a, struct site *b)
{
	for (size_t i = 0; i < a->np2; i++) {
		const struct phase2 *x = &a->p2[i];
		if (!usable(x) || !x->p1 || !params_faces(a, x->p1, b))
			continue;
		const struct phase2 *best = NULL;
		for (size_t j = 0; j < b->np2; j++) {
			const struct phase2 *y = &b->p2[j];
			if (!usable(y) || !y->p1 || !params_faces(b, y->p1, a))
				continue;
			if (prefix_overlaps(&y->remote.net,
					    p2_visible_local(x)) &&
			    prefix_overlaps(&x->remote.net,
					    p2_visible_local(y))) {
				best = y;
				if (prefix_overlaps(&y->remote.net,
						    &x->local.net) &&
				    !x->has_nat)
					break;
			}
		}
		if (best)
			compare(an, a, x, b, best);
		else if (x->has_nat)
			nat_vs_real(an, a, x, b);
	}
}

/* Does some phase 2 of b toward a meet x's networks? */
static bool
met_at(const struct site *a, const struct phase2 *x, const struct site *b)
{
	for (size_t j = 0; j < b->np2; j++) {
		const struct phase2 *y = &b->p2[j];
		if (usable(y) && y->p1 && params_faces(b, y->p1, a) &&
		    prefix_overlaps(&y->remote.net, p2_visible_local(x)) &&
		    prefix_overlaps(&x->remote.net, p2_visible_local(y)))
			return true;
	}
	return false;
}

/* x and q are one CHILD_SA: one swanctl child with several selectors,
 * or pfSense's IKEv2 phase 2 merged without split connections
 * (ike-parameters.md §5). Its selectors are the union: the responder
 * narrows it, refusing it only when no part meets. */
static bool
one_child(const struct site *s, const struct phase2 *x, const struct phase2 *q)
{
	if (q->p1 != x->p1)
		return false;
	if (x->uniqid && q->uniqid && strcmp(x->uniqid, q->uniqid) == 0)
		return true;
	return s->kind == SITE_PFSENSE && x->p1->ikever != 1 &&
	       !x->p1->splitconn && !x->p1->mobile;
}

/* Each child of a whose networks meet none of b's toward a. */
static void
unmatched_sites(struct analysis *an, struct site *a, struct site *b)
{
	for (size_t i = 0; i < a->np2; i++) {
		const struct phase2 *x = &a->p2[i];
		if (!usable(x) || !x->p1 || !params_faces(a, x->p1, b))
			continue;
		bool met = false;
		for (size_t k = 0; k < a->np2 && !met; k++)
			met = usable(&a->p2[k]) && one_child(a, x, &a->p2[k]) &&
			      met_at(a, &a->p2[k], b);
		if (!met && !met_at(a, x, b))
			unmatched(an, a, x, b);
	}
}

/* A redacted pre-shared key (a sanitized config) cannot be compared:
 * "cannot tell", never "mismatch" (check_params.c compares the keys
 * both configs hold). */
static void
psk_cannot_tell(struct analysis *an, struct site *a, struct site *b)
{
	for (size_t i = 0; i < a->np1; i++) {
		const struct phase1 *x = &a->p1[i];
		const struct phase1 *y = params_peer_p1(a, x, b);
		if (y == NULL || !x->psk || !y->psk ||
		    (!x->psk_redacted && !y->psk_redacted))
			continue;
		findings_note(
		    an->ar, &an->fs, SEC_SETTING_MISMATCH, NULL,
		    arena_printf(an->ar,
				 "cannot tell whether the "
				 "pre-shared keys of %s and %s match: "
				 "%s's is redacted (xxxxx, sanitized "
				 "config); AUTHENTICATION_FAILED in "
				 "the IPsec log would tell",
				 a->name, b->name,
				 x->psk_redacted ? a->name : b->name));
		return;
	}
}

void
check_pairs(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++)
		for (size_t j = i + 1; j < an->nsites; j++)
			if (an->sites[i]->has_config &&
			    an->sites[j]->has_config) {
				compare_sites(an, an->sites[i], an->sites[j]);
				unmatched_sites(an, an->sites[i], an->sites[j]);
				unmatched_sites(an, an->sites[j], an->sites[i]);
				psk_cannot_tell(an, an->sites[i], an->sites[j]);
			}
}
