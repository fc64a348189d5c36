/* MSS clamping (the guide's "Connection hangs"), by the numbers: for
 * each tunnel leaving a site, the largest MSS that fits it (engine
 * esp_p2_limit(), encapsulation included) against the clamps of both
 * ends that reach that traffic (doc/behaviour/mss.md). From the configs
 * alone at most a warning; an error only with evidence of the hang. */
#include <string.h>

#include "check/check.h"
#include "engine/esp_overhead.h"
#include "engine/route.h"

/* Inner IPv4 TCP/IP headers (and IPv6): an MSS of 1460 fills 1500. */
enum { FULL_MSS = 1460 };

struct clamp {
	unsigned mss; /* 0 = none */
	const char *what;
	struct srcloc loc;
};

static void
clamp_min(struct clamp *c, unsigned mss, const char *what,
	  const struct srcloc *loc)
{
	if (mss == 0 || (c->mss && c->mss <= mss))
		return;
	c->mss = mss;
	c->what = what;
	c->loc = loc ? *loc : (struct srcloc){0};
}

static bool
mss_p2(const struct phase2 *p2)
{
	return p2_enabled(p2) && !p2->mobile && p2->mode != P2_TRANSPORT &&
	       p2->local.resolved && p2->remote.resolved;
}

/* A Normalization rule's src/dst against the two networks: "any", or an
 * address/network overlapping one of them; a name (alias, "lan") is
 * taken to match (doc/behaviour/mss.md §3). */
static bool
scrub_end_matches(const char *t, const struct phase2 *p2)
{
	struct prefix p;
	bool host;
	if (t == NULL || strcmp(t, "any") == 0 ||
	    !prefix_parse(str_from(t), &p, &host))
		return true;
	return prefix_overlaps(&p, &p2->local.net) ||
	       prefix_overlaps(&p, &p2->remote.net);
}

static bool
list_has(const char *list, const char *key)
{
	struct str rest = str_from(list ? list : ""), w;
	while (key && str_next(&rest, ',', &w))
		if (str_eq(str_trim(w), key))
			return true;
	return false;
}

/* Interfaces the tunnel's clear-text TCP crosses: the inside
 * interface of the local network, enc0, and for VTI its ipsecN. */
static bool
crossed(const struct phase2 *p2, const struct iface *f)
{
	if (f->role == ROLE_ENC)
		return true;
	if (f->role == ROLE_VTI)
		return p2->mode == P2_VTI;
	if (p2->mode == P2_VTI || f->role == ROLE_WAN)
		return false;
	for (size_t j = 0; j < f->naddrs; j++) {
		struct prefix n =
		    prefix_make(f->addrs[j].addr, f->addrs[j].plen);
		if (prefix_overlaps(&n, &p2->local.net))
			return true;
	}
	return false;
}

/* pfSense/OPNsense: system/maxmss for <vpn_networks>; interface <mss>
 * where the VPN scrub does not match first; OPNsense normalization. */
static void
clamps_pf(struct arena *ar, const struct site *s, const struct phase2 *p2,
	  struct clamp *c)
{
	const char *gap = esp_maxmss_gap(p2);
	unsigned vpn = esp_site_maxmss(s);
	if (gap == NULL && vpn)
		clamp_min(c, vpn, arena_printf(ar, "system/maxmss %u", vpn),
			  &s->flags.maxmss_loc);
	bool v6 = p2->mode == P2_TUNNEL6;
	/* pf scrub is first match: the VPN lines, written always since
	 * 2.7.0 and with Maximum MSS before, shadow the interface ones for
	 * <vpn_networks> (§2) */
	bool shadow = s->kind == SITE_PFSENSE && gap == NULL &&
		      (vpn || site_version_at_least(s, 2, 7));
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		if (!f->enabled || !crossed(p2, f))
			continue;
		if (f->mss > 60 && !shadow)
			clamp_min(c, f->mss - (v6 ? 60 : 40),
				  arena_printf(ar, "interface %s MSS %u",
					       f->descr ? f->descr : f->key,
					       f->mss),
				  &f->loc);
		for (size_t k = 0; k < s->nscrubs; k++) {
			const struct scrub_clamp *x = &s->scrubs[k];
			if (list_has(x->ifaces, f->key) &&
			    scrub_end_matches(x->src, p2) &&
			    scrub_end_matches(x->dst, p2))
				clamp_min(c, x->max_mss,
					  arena_printf(ar,
						       "normalization rule "
						       "'%s' max-mss %u",
						       x->descr ? x->descr : "",
						       x->max_mss),
					  &x->loc);
		}
	}
}

/* The clamps at s on p2's TCP: `both` rewrites SYN and SYN-ACK in
 * either direction (pf scrub, nft/iptables set N, and rt mtu through a
 * tunnel device: the kernel takes the smaller MTU of the route out and
 * the route back, both via the device); `rt` only the SYNs s sends into
 * its tunnel (rt mtu with xfrm policies: only the way out goes through
 * the ESP-aware route) (doc/behaviour/mss.md §4). */
static void
clamps_at(struct arena *ar, const struct site *s, const struct phase2 *p2,
	  struct clamp *both, struct clamp *rt)
{
	memset(both, 0, sizeof(*both));
	memset(rt, 0, sizeof(*rt));
	if (s->kind != SITE_LINUX) {
		clamps_pf(ar, s, p2, both);
		return;
	}
	if (s->flags.maxmss_enable && s->flags.maxmss)
		clamp_min(both, s->flags.maxmss,
			  s->flags.mss_words ? s->flags.mss_words
					     : arena_printf(ar, "MSS clamp %u",
							    s->flags.maxmss),
			  &s->flags.maxmss_loc);
	struct esp_limit l;
	if (!s->flags.mss_pmtu || !esp_p2_limit(s, p2, &l))
		return;
	unsigned hdr = p2->mode == P2_TUNNEL6 ? 60 : 40;
	if (l.dev && l.dev_mtu > hdr)
		clamp_min(
		    both, l.dev_mtu - hdr,
		    arena_printf(
			ar, "%s (%s MTU %u%s)",
			s->flags.mss_words ? s->flags.mss_words : "rt mtu",
			l.dev, l.dev_mtu,
			l.dev_mtu_assumed ? ", its default, assumed" : ""),
		    &s->flags.maxmss_loc);
	else if (l.dev == NULL) /* xfrm policy: the kernel's ESP-aware MTU */
		clamp_min(rt, l.mss, "the clamp to the IPsec route's MTU",
			  &s->flags.maxmss_loc);
}

/* The other end's phase 2 mirroring p2, and its site. */
static const struct phase2 *
peer_of(const struct analysis *an, const struct site *s,
	const struct phase2 *p2, const struct site **ps)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *o = an->sites[i];
		if (o == s || !o->has_config)
			continue;
		for (size_t j = 0; j < o->np2; j++) {
			const struct phase2 *q = &o->p2[j];
			if (mss_p2(q) &&
			    prefix_overlaps(&q->remote.net,
					    p2_visible_local(p2)) &&
			    prefix_overlaps(p2_visible_local(q),
					    &p2->remote.net)) {
				*ps = o;
				return q;
			}
		}
	}
	return NULL;
}

/* One direction: traffic entering s's tunnel p2. */
struct mss_dir {
	const struct phase2 *p2;
	const struct site *peer;
	struct esp_limit lim;
	struct clamp c; /* the lowest clamp reaching it; mss 0 = none */
	bool own;	/* c is s's own */
};

static bool
mss_dir_eval(struct analysis *an, const struct site *s, const struct phase2 *p2,
	     struct mss_dir *d)
{
	struct clamp both, rt, pboth, prt;
	memset(d, 0, sizeof(*d));
	d->p2 = p2;
	if (!esp_p2_limit(s, p2, &d->lim))
		return false;
	clamps_at(an->ar, s, p2, &both, &rt);
	d->c = both;
	d->own = both.mss != 0;
	const struct phase2 *q = peer_of(an, s, p2, &d->peer);
	if (q) {
		clamps_at(an->ar, d->peer, q, &pboth, &prt);
		clamp_min(&d->c, pboth.mss, pboth.what, &pboth.loc);
		clamp_min(&d->c, prt.mss, prt.what, &prt.loc);
		d->own = d->own && d->c.mss == both.mss;
	}
	return true;
}

static const char *
p2_words(struct arena *ar, const struct phase2 *p2)
{
	return arena_printf(
	    ar, "phase 2%s%s%s (%s === %s)",
	    p2->descr && *p2->descr ? " '" : "", p2->descr ? p2->descr : "",
	    p2->descr && *p2->descr ? "'" : "", prefix_str(ar, &p2->local.net),
	    prefix_str(ar, &p2->remote.net));
}

/* Whether d is worth a warning from the configs. */
static bool
mss_dir_bad(const struct site *s, const struct mss_dir *d)
{
	if (d->lim.mss == 0 || d->lim.mss >= FULL_MSS)
		return false;
	/* a Linux gateway answers oversize DF packets at its tunnel's
	 * entrance with fragmentation-needed (§4): only its own clamp,
	 * set too high, is worth a word */
	if (s->kind == SITE_LINUX && !d->own)
		return false;
	/* a VTI is a routed interface with its own MTU (FreeBSD if_ipsec,
	 * 1400 by default): the firewall answers oversize DF packets there
	 * with fragmentation-needed itself (§8) */
	if (d->p2 && d->p2->mode == P2_VTI && !d->own)
		return false;
	if (d->c.mss)
		return d->c.mss > d->lim.mss;
	return true;
}

static const char *
limit_words(struct arena *ar, const struct mss_dir *d)
{
	const struct esp_p2_eval *ev = &d->lim.ev;
	int n = d->lim.enc.natt && !ev->worst[0].ah ? 1 : 0;
	const char *t = arena_printf(
	    ar,
	    "%s on a %u-byte WAN MTU, %s%s: the largest inner packet is "
	    "%u bytes (MSS %u)",
	    p2_words(ar, d->p2), ev->mtu, n ? "ESP in UDP 4500" : "ESP",
	    arena_printf(ar, " (%s)", d->lim.enc.why), ev->max_inner[n],
	    ev->mss[n]);
	if (d->lim.dev && d->lim.dev_mtu && d->lim.mss < ev->mss[n])
		t = arena_printf(ar,
				 "%s; the tunnel device %s has MTU %u%s: "
				 "MSS %u fits",
				 t, d->lim.dev, d->lim.dev_mtu,
				 d->lim.dev_mtu_assumed ? " (its default, "
							  "assumed)"
							: "",
				 d->lim.mss);
	return arena_printf(ar, "%s.", t);
}

/* Where the clamp that reaches this traffic is set: pfSense's Maximum
 * MSS only reaches <vpn_networks>; else an interface MSS (§2). */
static const char *
mss_fix(struct arena *ar, const struct site *s, const struct mss_dir *d)
{
	const char *gap = esp_maxmss_gap(d->p2);
	const struct iface *at = NULL;
	unsigned hdr = d->p2->mode == P2_TUNNEL6 ? 60 : 40;
	for (size_t i = 0;
	     gap && s->kind == SITE_PFSENSE && !at && i < s->nifaces; i++)
		if (s->ifaces[i].role != ROLE_ENC &&
		    crossed(d->p2, &s->ifaces[i]))
			at = &s->ifaces[i];
	if (at)
		return arena_printf(ar,
				    "On %s, Interfaces > %s: set MSS to %u "
				    "or lower (pfSense clamps TCP to it minus "
				    "%u; Maximum MSS does not reach this "
				    "phase 2).",
				    s->name, at->descr ? at->descr : at->key,
				    d->lim.mss + hdr, hdr);
	return arena_printf(ar,
			    "On %s, %s to %u or lower (the guide: start "
			    "at 1400, raise until it breaks, back off).",
			    s->name, gui_mss_location(s), d->lim.mss);
}

static void
mss_warn(struct analysis *an, struct site *s, const struct mss_dir *d)
{
	struct arena *ar = an->ar;
	struct finding *f = check_finding(an, CHK_MSS_CLAMPING, s, "config");
	if (d->c.mss)
		f->summary =
		    arena_printf(ar,
				 "%s clamps TCP to MSS %u, above "
				 "the %u that fits the tunnel from %s",
				 d->c.what, d->c.mss, d->lim.mss, s->name);
	else
		f->summary = arena_printf(ar,
					  "no MSS clamp at %s%s%s reaches "
					  "the traffic of %s: TCP segments "
					  "above MSS %u do not fit the tunnel",
					  s->name, d->peer ? " or " : "",
					  d->peer ? d->peer->name : "",
					  p2_words(ar, d->p2), d->lim.mss);
	const char *gap = esp_maxmss_gap(d->p2);
	unsigned vpn = s->kind == SITE_LINUX ? 0 : esp_site_maxmss(s);
	f->detail = arena_printf(
	    ar,
	    "%s%s%s This rests on the configs alone: full-size segments "
	    "(SMB, RDP) hang only where ICMP fragmentation-needed does "
	    "not reach the sender. To settle it, capture on %s's WAN "
	    "during an SMB copy: fragmented ESP, fragmentation-needed "
	    "or full-size retransmissions confirm it.",
	    limit_words(ar, d),
	    gap && vpn ? arena_printf(ar,
				      " system/maxmss %u does not reach "
				      "it (%s).",
				      vpn, gap)
		       : "",
	    d->peer ? ""
		    : " The other end's config is not given: its "
		      "clamp, if any, is not counted.",
	    s->name);
	if (d->c.mss && d->c.loc.file)
		finding_evidence(ar, f, EVREF_CONFIG, &d->c.loc, d->c.what);
	finding_evidence(ar, f, EVREF_CONFIG, &d->p2->loc, p2_words(ar, d->p2));
	f->fix = mss_fix(ar, s, d);
}

void
check_mss_config(struct analysis *an, struct site *s)
{
	struct mss_dir worst, d;
	bool have = false;
	for (size_t i = 0; i < s->np2; i++) {
		if (!mss_p2(&s->p2[i]) || !mss_dir_eval(an, s, &s->p2[i], &d) ||
		    !mss_dir_bad(s, &d))
			continue;
		if (!have || d.lim.mss < worst.lim.mss)
			worst = d;
		have = true;
	}
	if (have)
		mss_warn(an, s, &worst);
}

/* ---- capture evidence ------------------------------------------- */

/* The MSS that fits the tunnel carrying a <-> b at s; 0 = none. */
static unsigned
limit_between(const struct site *s, const struct ipaddr *a,
	      const struct ipaddr *b)
{
	unsigned best = 0;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		struct esp_limit l;
		if (!p2_enabled(p2) || !p2->local.resolved ||
		    !p2->remote.resolved)
			continue;
		bool in = (prefix_contains(&p2->local.net, a) &&
			   prefix_contains(&p2->remote.net, b)) ||
			  (prefix_contains(&p2->local.net, b) &&
			   prefix_contains(&p2->remote.net, a));
		if (in && esp_p2_limit(s, p2, &l) && l.mss &&
		    (best == 0 || l.mss < best))
			best = l.mss;
	}
	return best;
}

static unsigned
limit_of_host(const struct site *s, const struct ipaddr *h)
{
	unsigned best = 0;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		struct esp_limit l;
		if (p2_enabled(p2) && p2->local.resolved &&
		    prefix_contains(&p2->local.net, h) &&
		    esp_p2_limit(s, p2, &l) && l.mss &&
		    (best == 0 || l.mss < best))
			best = l.mss;
	}
	return best;
}

/* Does the capture show host h retransmitting segments above lim? */
static bool
oversize_retrans(const struct site *s, const struct ipaddr *h, unsigned lim)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind == OBS_CAP_RETRANS && o->value > lim &&
		    o->count >= 2 && ipaddr_cmp(&o->src, h) == 0)
			return true;
	}
	return false;
}

/* The words of o when it shows the hang at s, else NULL: oversize
 * segments retransmitted, fragmentation-needed the sender did not act
 * on, fragmented ESP. A segment at the limit fits (§6). */
const char *
check_mss_hang(struct arena *ar, const struct site *s,
	       const struct observation *o, unsigned *lim)
{
	*lim = 0;
	if (o->kind == OBS_CAP_RETRANS) {
		/* one retransmission is ordinary loss; the same oversize
		 * segment again is the hang */
		*lim = limit_between(s, &o->src, &o->dst);
		if (*lim && o->value > *lim && o->count >= 2)
			return arena_printf(ar,
					    "%u-byte segments %s -> %s "
					    "retransmitted without progress, "
					    "above the MSS %u that fits",
					    o->value, ipaddr_str(ar, &o->src),
					    ipaddr_str(ar, &o->dst), *lim);
		return NULL;
	}
	bool needfrag =
	    o->kind == OBS_CAP_ICMP_ERR &&
	    ((o->icmp_type == 3 && o->icmp_code == 4 && o->dst.fam == FAM_V4) ||
	     (o->icmp_type == 2 && o->dst.fam == FAM_V6));
	if (needfrag) {
		/* honoured (no oversize retransmission after it): path MTU
		 * discovery at work, not a hang */
		*lim = limit_of_host(s, &o->dst);
		if (*lim && oversize_retrans(s, &o->dst, *lim))
			return arena_printf(ar,
					    "%s MTU %u to %s, which keeps "
					    "retransmitting oversize segments",
					    o->dst.fam == FAM_V6
						? "ICMPv6 packet too big"
						: "ICMP fragmentation "
						  "needed",
					    o->value, ipaddr_str(ar, &o->dst));
		return NULL;
	}
	if (o->kind == OBS_CAP_ESP && o->count_rev)
		return arena_printf(ar,
				    "%llu fragmented ESP packets (SPI "
				    "0x%08x) %s -> %s: encapsulated packets "
				    "exceed the WAN MTU",
				    (unsigned long long)o->count_rev, o->value,
				    ipaddr_str(ar, &o->src),
				    ipaddr_str(ar, &o->dst));
	return NULL;
}
