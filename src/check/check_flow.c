/* Findings from where traced flows die: each failing hop names its root
 * cause (step->cause); here it gets its words, evidence and fix. */
#include <string.h>

#include "check/check.h"
#include "check/params.h"
#include "engine/route.h"
#include "engine/ruleset.h"

struct hop {
	struct analysis *an;
	int flow;
	const struct flow_trace *ft;
	const struct path *path;
	bool reply;
	const struct step *st;
	struct site *site; /* where it dies */
	const struct packet *pkt;
	const char *flow_text; /* "10.0.1.10 -> 10.0.2.10 icmp" */
};

static struct site *
site_named(struct analysis *an, const char *name)
{
	for (size_t i = 0; i < an->nsites; i++)
		if (name && strcmp(an->sites[i]->name, name) == 0)
			return an->sites[i];
	return NULL;
}

/* The phase 2 the sending side used on this path (its SPD_MATCH). */
static const struct step *
sent_with(const struct path *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->steps[i].kind == STEP_SPD_MATCH ||
		    (p->steps[i].kind == STEP_ENCRYPTED && p->steps[i].p2))
			return &p->steps[i];
	return NULL;
}

static void
link_hop(struct finding *f, const struct hop *h)
{
	/* the hop names the finding that explains it, as refined here */
	((struct step *)h->st)->cause = f->id;
	if (f->flow < 0) {
		f->flow = h->flow;
		f->hop = h->path->fail_at;
		f->reply = h->reply;
	}
}

static void
ev_step(struct hop *h, struct finding *f)
{
	const char *text = h->st->rule
			       ? rule_describe(h->an->ar, h->site, h->st->rule)
			       : h->st->what;
	for (size_t i = 0; i < f->nev; i++)
		if (strcmp(f->ev[i].text, text) == 0)
			return;
	finding_evidence(h->an->ar, f, EVREF_CONFIG, &h->st->loc, text);
}

/* An IPsec-tab pass rule (or an OPNsense Automation pass rule on enc0)
 * whose addresses match but protocol does not. */
static const struct rule *
narrow_enc0_rule(const struct site *s, const struct packet *p)
{
	for (size_t i = 0; i < s->nrules; i++) {
		const struct rule *r = &s->rules[i];
		bool on_enc0 = r->mvc ? r->dir != DIR_OUT && r->nifaces &&
					    rule_on_interface(s, r, "enc0")
				      : !r->floating && r->nifaces &&
					    strcmp(r->ifaces[0], "enc0") == 0;
		if (r->disabled || r->action != ACT_PASS || !on_enc0)
			continue;
		struct rule any = *r;
		any.protos = protoset_any();
		any.icmp_any = true;
		any.src.ports = any.dst.ports = (struct portset){0};
		if (rule_matches(&any, p) && !rule_matches(r, p))
			return r;
	}
	return NULL;
}

/* Linux: does the forward chain pass these hosts for another protocol? */
static bool
linux_some_pass(const struct hop *h)
{
	static const struct {
		uint8_t proto;
		uint16_t port;
	} alt[] = {{PROTO_ICMP, 0},
		   {PROTO_TCP, 445},
		   {PROTO_TCP, 22},
		   {PROTO_UDP, 53},
		   {PROTO_TCP, 443}};
	for (size_t i = 0; i < sizeof(alt) / sizeof(*alt); i++) {
		struct packet p = *h->pkt;
		p.proto = alt[i].proto;
		p.dport = alt[i].port;
		p.sport = 49152;
		p.icmp_type = 8;
		if (linux_tunnel_passes(h->site, &p))
			return true;
	}
	return false;
}

/* A rule the admin wrote for this traffic decided it: information. */
static bool
by_design(struct hop *h, bool from_tunnel)
{
	const struct rule *r = check_by_design(h->st->rule);
	if (r == NULL)
		return false;
	struct finding *f = check_blocked_by_rule(
	    h->an, h->site, r,
	    iface_label(h->site, from_tunnel ? "enc0" : h->st->iface),
	    from_tunnel, h->flow_text);
	link_hop(f, h);
	return true;
}

static void
ipsec_rules(struct hop *h)
{
	struct arena *ar = h->an->ar;
	if (by_design(h, true))
		return;
	const struct rule *mb = check_automation_block(h->st->rule);
	const struct rule *narrow =
	    mb ? NULL : narrow_enc0_rule(h->site, h->pkt);
	bool lx_narrow = h->site->kind == SITE_LINUX && linux_some_pass(h);
	struct finding *f =
	    check_finding(h->an,
			  narrow || lx_narrow ? CHK_IPSEC_RULES_PROTOCOL
					      : CHK_IPSEC_RULES_MISSING,
			  h->site, "enc0");
	ev_step(h, f);
	link_hop(f, h);
	if (f->summary)
		return;
	if (lx_narrow) {
		f->summary = arena_printf(
		    ar,
		    "%s's forward chain passes %s from the tunnel only "
		    "for some protocols: %s is dropped",
		    h->site->name, h->flow_text, h->ft->proto_text);
		f->detail = arena_printf(ar, "%s.", h->st->what);
		f->fix = arena_printf(
		    ar,
		    "On %s, accept %s (or any protocol) from the remote "
		    "network in the forward chain, next to the rules "
		    "that already pass other protocols.",
		    h->site->name, h->ft->proto_text);
		return;
	}
	if (mb) {
		f->summary = arena_printf(
		    ar,
		    "%s drops %s arriving from the tunnel: %s rule "
		    "'%s' %s it before the IPsec tab's rules",
		    h->site->name, h->flow_text, rule_page(ar, h->site, mb),
		    mb->descr ? mb->descr : "",
		    mb->action == ACT_REJECT ? "rejects" : "blocks");
		f->detail = arena_printf(ar,
					 "Decrypted packets are filtered "
					 "on enc0; %s.",
					 h->st->what);
		f->fix = check_automation_fix(
		    ar, h->site, mb, "traffic from the tunnel", "IPsec");
		return;
	}
	if (narrow) {
		f->summary = arena_printf(
		    ar,
		    "%s's IPsec rules pass %s only for some "
		    "protocols: %s is blocked",
		    h->site->name, h->flow_text, h->ft->proto_text);
		f->detail = arena_printf(
		    ar,
		    "%s matches the hosts but not %s, so it falls "
		    "through to: %s. The guide: a rule that allows only "
		    "TCP breaks ping and DNS.",
		    rule_describe(ar, h->site, narrow), h->ft->proto_text,
		    h->st->what);
		finding_evidence(ar, f, EVREF_CONFIG, &narrow->loc,
				 rule_describe(ar, h->site, narrow));
		f->fix = arena_printf(
		    ar,
		    "On %s, %s: edit rule %s'%s' and set Protocol to "
		    "any (or add a rule for %s) from %s.",
		    h->site->name, rule_page(ar, h->site, narrow),
		    narrow->mvc ? ""
				: arena_printf(ar, "%u ", narrow->position),
		    narrow->descr ? narrow->descr : "", h->ft->proto_text,
		    ipaddr_str(ar, &h->pkt->src));
		return;
	}
	f->summary = arena_printf(ar,
				  "%s blocks %s arriving from the "
				  "tunnel: no IPsec-tab rule passes it",
				  h->site->name, h->flow_text);
	f->detail = arena_printf(ar,
				 "Decrypted packets are filtered by the "
				 "rules of the IPsec tab (enc0); %s.",
				 h->st->what);
	f->fix =
	    arena_printf(ar,
			 "On %s, Firewall > Rules > IPsec: add a pass rule, "
			 "protocol any, source %s (the remote network), "
			 "destination the local network.",
			 h->site->name, ipaddr_str(ar, &h->pkt->src));
}

static void
lan_rules(struct hop *h)
{
	struct arena *ar = h->an->ar;
	if (by_design(h, false))
		return;
	struct finding *f =
	    check_finding(h->an, CHK_LAN_RULES_MISSING, h->site, h->st->iface);
	ev_step(h, f);
	link_hop(f, h);
	if (f->summary)
		return;
	const char *tab = iface_label(h->site, h->st->iface);
	const struct rule *mb = check_automation_block(h->st->rule);
	if (mb) {
		f->summary = arena_printf(
		    ar,
		    "%s's %s rule '%s' %s %s before it reaches the "
		    "tunnel",
		    h->site->name, rule_page(ar, h->site, mb),
		    mb->descr ? mb->descr : "",
		    mb->action == ACT_REJECT ? "rejects" : "blocks",
		    h->flow_text);
		f->detail = arena_printf(ar, "%s.", h->st->what);
		f->fix = check_automation_fix(
		    ar, h->site, mb,
		    arena_printf(ar, "%s traffic to the remote network", tab),
		    tab);
		return;
	}
	f->summary = arena_printf(ar,
				  "%s's %s rules block %s before it "
				  "reaches the tunnel",
				  h->site->name, tab, h->flow_text);
	f->detail = arena_printf(ar, "%s.", h->st->what);
	f->fix =
	    arena_printf(ar,
			 "On %s, Firewall > Rules > %s: add a pass "
			 "rule from %s net to the remote network (%s), "
			 "protocol any, above the rule that blocks it.",
			 h->site->name, tab, tab, ipaddr_str(ar, &h->pkt->dst));
}

/* The tunnels on this interface are all OPNsense Connections ones, which
 * get no auto-added WAN rules (doc/behaviour/pfsense.md §7). */
static bool
swanctl_only(const struct site *s, const char *iface)
{
	bool any = false;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		if (p1->disabled || !p1->iface || !iface ||
		    strcmp(p1->iface, iface) != 0)
			continue;
		if (!p1->swanctl)
			return false;
		any = true;
	}
	return any;
}

static const char *
wan_block_fix(struct hop *h, const struct rule *r, const char *wan)
{
	struct arena *ar = h->an->ar;
	const char *site = h->site->name;
	if (r && r->origin == ORIGIN_BLOCKPRIV)
		return arena_printf(ar,
				    "On %s, Interfaces > %s: uncheck 'Block "
				    "private networks and loopback addresses' "
				    "(the block is quick: a pass rule below "
				    "it cannot win).",
				    site, wan);
	if (r && r->origin == ORIGIN_BLOCKBOGONS)
		return arena_printf(ar,
				    "On %s, Interfaces > %s: uncheck 'Block "
				    "bogon networks' (quick: it wins over the "
				    "auto-added IPsec rules).",
				    site, wan);
	if (r && r->origin == ORIGIN_USER && r->mvc)
		return arena_printf(ar,
				    "On %s, %s: rule '%s' blocks the peer "
				    "before the auto-added IPsec rules; narrow "
				    "it or add pass rules for ESP, UDP 500 and "
				    "UDP 4500 from the peer with a lower "
				    "sequence.",
				    site, rule_page(ar, h->site, r),
				    r->descr ? r->descr : "");
	if (r && r->origin == ORIGIN_USER)
		return arena_printf(ar,
				    "On %s, Firewall > Rules > %s: rule %u "
				    "'%s' blocks the peer before the "
				    "auto-added IPsec rules; narrow it or add "
				    "pass rules for ESP, UDP 500 and UDP 4500 "
				    "from the peer above it.",
				    site, wan, r->position,
				    r->descr ? r->descr : "");
	return arena_printf(ar,
			    "On %s, Firewall > Rules > %s: add pass rules "
			    "for ESP, UDP 500 and UDP 4500 from the peer to "
			    "the %s address%s.",
			    site, wan, wan,
			    h->site->flags.disablevpnrules &&
				    !swanctl_only(h->site, h->st->iface)
				? ", or uncheck System > Advanced > "
				  "Firewall & NAT > 'Disable all "
				  "auto-added VPN rules'"
				: "");
}

static void
wan_blocked(struct hop *h)
{
	struct arena *ar = h->an->ar;
	struct finding *f =
	    check_finding(h->an, CHK_WAN_VPN_BLOCKED, h->site, h->st->iface);
	ev_step(h, f);
	link_hop(f, h);
	if (f->summary)
		return;
	const struct rule *r = h->st->rule;
	const char *wan = iface_label(h->site, h->st->iface);
	f->summary = arena_printf(ar, "%s's %s drops IPsec from the peer: %s",
				  h->site->name, wan, h->st->what);
	if (swanctl_only(h->site, h->st->iface)) {
		f->detail = "OPNsense adds no automatic WAN rules for the "
			    "tunnels of VPN > IPsec > Connections (only for "
			    "legacy ones) and no rule passes the peer's "
			    "IKE/ESP.";
	} else if (h->site->flags.disablevpnrules) {
		f->detail = "The auto-added IPsec rules are disabled (System > "
			    "Advanced > Firewall & NAT) and no rule passes "
			    "the peer's IKE/ESP.";
		finding_evidence(ar, f, EVREF_CONFIG,
				 &h->site->flags.disablevpnrules_loc,
				 "system/disablevpnrules is set");
	} else if (r && (r->origin == ORIGIN_BLOCKPRIV ||
			 r->origin == ORIGIN_BLOCKBOGONS)) {
		f->detail = "pfSense's block private/bogon networks rules are "
			    "quick and come before the non-quick auto-added "
			    "IPsec rules, so a peer with such an address never "
			    "reaches them (doc/behaviour/pfsense.md §6.7).";
	}
	f->fix = wan_block_fix(h, r, wan);
}

/* The other site's phase 2 that would carry the flow, if any. */
static const struct phase2 *
other_side_p2(struct analysis *an, const struct site *self,
	      const struct packet *p, const struct site **where)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *s = an->sites[i];
		if (s == self)
			continue;
		const struct phase2 *off = NULL;
		const struct phase2 *q = spd_inbound(s, NULL, &p->src, &p->dst);
		(void)off;
		if (q) {
			*where = s;
			return q;
		}
	}
	return NULL;
}

/* Both networks of a overlap the mirrored ones of b: the two ends
 * describe the same tunnel, differently (narrowing). */
static bool
mirrors_partly(const struct phase2 *a, const struct phase2 *b)
{
	return prefix_overlaps(p2_visible_local(a), &b->remote.net) &&
	       prefix_overlaps(&a->remote.net, p2_visible_local(b));
}

static bool
on_some_site(struct analysis *an, const struct ipaddr *a)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct iface *f = site_iface_for_addr(an->sites[i], a);
		if (f && f->role != ROLE_WAN)
			return true;
	}
	return false;
}

static const char *
pair_key(struct arena *ar, const struct phase2 *a, const struct phase2 *b)
{
	const char *x = check_loc(ar, &a->loc),
		   *y = b ? check_loc(ar, &b->loc) : "";
	return strcmp(x, y) < 0 ? arena_printf(ar, "%s|%s", x, y)
				: arena_printf(ar, "%s|%s", y, x);
}

static void
mismatch(struct hop *h, const struct phase2 *mine, const struct site *other,
	 const struct phase2 *theirs)
{
	struct arena *ar = h->an->ar;
	const char *key = pair_key(ar, mine, theirs);
	struct finding *f = NULL;
	for (size_t i = 0; i < h->an->fs.n && f == NULL; i++)
		if (h->an->fs.f[i].id == CHK_P2_MISMATCH &&
		    h->an->fs.f[i].key && strcmp(h->an->fs.f[i].key, key) == 0)
			f = &h->an->fs.f[i]; /* the pair's, from either end */
	if (f == NULL)
		f = check_finding(h->an, CHK_P2_MISMATCH, h->site, key);
	link_hop(f, h);
	if (f->summary)
		return;
	f->summary = arena_printf(
	    ar,
	    "%s and %s disagree on the tunnel's "
	    "networks: %s fails",
	    h->site->name, other ? other->name : "the peer", h->flow_text);
	f->detail = arena_printf(
	    ar,
	    "%s's phase 2 '%s' is %s === %s; %s's '%s' is %s === %s. "
	    "A host outside the intersection (%s) is dropped.",
	    h->site->name, mine->descr ? mine->descr : "",
	    prefix_str(ar, p2_visible_local(mine)),
	    prefix_str(ar, &mine->remote.net), other ? other->name : "the peer",
	    theirs && theirs->descr ? theirs->descr : "",
	    theirs ? prefix_str(ar, p2_visible_local(theirs)) : "?",
	    theirs ? prefix_str(ar, &theirs->remote.net) : "?", h->flow_text);
	finding_evidence(ar, f, EVREF_CONFIG, &mine->loc,
			 arena_printf(ar, "%s phase 2 '%s'", h->site->name,
				      mine->descr ? mine->descr : ""));
	if (theirs)
		finding_evidence(
		    ar, f, EVREF_CONFIG, &theirs->loc,
		    arena_printf(ar, "%s phase 2 '%s'", other->name,
				 theirs->descr ? theirs->descr : ""));
	f->fix = arena_printf(ar,
			      "Make both ends mirror each other in VPN > "
			      "IPsec > Tunnels (phase 2): %s's local network "
			      "must equal %s's remote network and the "
			      "reverse.",
			      h->site->name, other ? other->name : "the peer");
}

static void not_covered(struct hop *h);

/* Site natter translates its local network in phase 2 natp2, and the
 * other end still names the real network (doc/behaviour/pfsense.md §2.6). */
static void
nat_unknown_to_peer(struct hop *h, const struct site *natter,
		    const struct phase2 *natp2, const struct site *other)
{
	struct arena *ar = h->an->ar;
	struct finding *f = check_finding(h->an, CHK_P2_NAT, natter,
					  check_loc(ar, &natp2->loc));
	link_hop(f, h);
	if (f->summary)
		return;
	const char *on = other ? other->name : "the peer";
	f->summary =
	    arena_printf(ar,
			 "%s translates %s to %s in phase 2 '%s', but %s still "
			 "uses the real network",
			 natter->name, prefix_str(ar, &natp2->local.net),
			 prefix_str(ar, &natp2->natlocal.net),
			 natp2->descr ? natp2->descr : "", on);
	f->detail = arena_printf(ar,
				 "%s. The peer only ever sees the NAT "
				 "network (doc/behaviour/pfsense.md §2.6).",
				 h->st->what);
	finding_evidence(ar, f, EVREF_CONFIG, &natp2->loc,
			 arena_printf(ar, "%s phase 2 '%s' NAT/BINAT %s",
				      natter->name,
				      natp2->descr ? natp2->descr : "",
				      prefix_str(ar, &natp2->natlocal.net)));
	f->fix =
	    arena_printf(ar,
			 "On %s, set the phase 2 network that "
			 "faces %s to %s (the NAT network), or remove "
			 "the NAT on %s.",
			 on, natter->name, prefix_str(ar, &natp2->natlocal.net),
			 natter->name);
}

/* s's first enabled phase 2 under the phase 1 that talks to theirs's
 * (at site other): the two phase 1 come up, and when their networks do
 * not meet, the responder refuses the child (TS_UNACCEPTABLE). */
static const struct phase2 *
facing_p2(const struct site *s, const struct site *other,
	  const struct phase2 *theirs)
{
	const struct phase1 *y1 = other && theirs && theirs->p1
				      ? params_peer_p1(other, theirs->p1, s)
				      : NULL;
	for (size_t i = 0; y1 && i < s->np2; i++)
		if (s->p2[i].p1 == y1 && p2_enabled(&s->p2[i]))
			return &s->p2[i];
	return NULL;
}

static void
selector_mismatch(struct hop *h)
{
	/* the sender's phase 2, from the same path */
	const struct step *sw = sent_with(h->path);
	const struct phase2 *sent = sw ? sw->p2 : NULL;
	const struct site *sender = sw ? site_named(h->an, sw->site) : NULL;
	if (sent && sent->has_nat) {
		nat_unknown_to_peer(h, sender, sent, h->site);
		return;
	}
	for (size_t i = 0; i < h->site->np2; i++) {
		const struct phase2 *q = &h->site->p2[i];
		if (q->has_nat && p2_enabled(q) &&
		    prefix_contains(&q->local.net, &h->pkt->dst)) {
			nat_unknown_to_peer(h, h->site, q, sender);
			return;
		}
	}
	const struct phase2 *theirs = NULL;
	for (size_t i = 0; sent && i < h->site->np2; i++) {
		const struct phase2 *q = &h->site->p2[i];
		if (p2_enabled(q) && mirrors_partly(q, sent))
			theirs = q;
	}
	if (theirs == NULL)
		theirs = facing_p2(h->site, sender, sent);
	if (theirs) {
		mismatch(h, theirs, sender, sent);
		return;
	}
	/* disjoint networks: the end whose network points nowhere known */
	struct hop at = *h;
	if (sender && !on_some_site(h->an, &h->pkt->dst))
		at.site = site_named(h->an, sender->name);
	not_covered(&at);
}

static void
not_covered(struct hop *h)
{
	struct arena *ar = h->an->ar;
	const struct site *other = NULL;
	const struct phase2 *theirs =
	    other_side_p2(h->an, h->site, h->pkt, &other);
	/* the peer would accept it: the two ends disagree */
	if (theirs) {
		const struct phase2 *mine = NULL;
		for (size_t i = 0; i < h->site->np2; i++)
			if (p2_enabled(&h->site->p2[i]) &&
			    mirrors_partly(&h->site->p2[i], theirs))
				mine = &h->site->p2[i];
		/* no network in common, but the phase 1 talk to each
		 * other: the responder refuses the child (TS_UNACCEPTABLE) */
		if (mine == NULL)
			mine = facing_p2(h->site, other, theirs);
		if (mine) {
			mismatch(h, mine, other, theirs);
			return;
		}
	}
	struct finding *f =
	    check_finding(h->an, CHK_P2_NOT_COVERED, h->site, NULL);
	bool here = strcmp(h->st->site, h->site->name) == 0;
	if (here)
		ev_step(h, f);
	link_hop(f, h);
	if (f->summary)
		return;
	const struct step *last = &h->path->steps[h->path->n - 1];
	f->summary = arena_printf(ar, "no enabled phase 2 on %s covers %s%s%s",
				  h->site->name, h->flow_text, here ? ": " : "",
				  here ? last->what : "");
	char *nets = "";
	for (size_t i = 0; i < h->site->np2; i++) {
		const struct phase2 *q = &h->site->p2[i];
		nets =
		    arena_printf(ar, "%s%s%s === %s%s", nets, *nets ? ", " : "",
				 prefix_str(ar, &q->local.net),
				 prefix_str(ar, &q->remote.net),
				 p2_enabled(q) ? "" : " (disabled)");
		finding_evidence(ar, f, EVREF_CONFIG, &q->loc,
				 arena_printf(ar, "phase 2 '%s' %s === %s",
					      q->descr ? q->descr : "",
					      prefix_str(ar, &q->local.net),
					      prefix_str(ar, &q->remote.net)));
	}
	f->detail = arena_printf(ar,
				 "Its phase 2 networks: %s. Traffic no "
				 "policy matches follows the routing table "
				 "(the guide: it appears to leave the WAN "
				 "and route across the Internet).",
				 *nets ? nets : "none");
	f->fix = arena_printf(ar,
			      "On %s, VPN > IPsec > Tunnels: correct the "
			      "phase 2 remote network (or add a phase 2) so "
			      "it covers %s -> %s; the other end must "
			      "mirror it.",
			      h->site->name, ipaddr_str(ar, &h->pkt->src),
			      ipaddr_str(ar, &h->pkt->dst));
}

/* The phase 2 named by the failing hop or the steps before it. */
static const char *
path_p2_loc(struct hop *h)
{
	for (int i = h->path->fail_at; i >= 0; i--)
		if (h->path->steps[i].p2)
			return check_loc(h->an->ar, &h->path->steps[i].p2->loc);
	return NULL;
}

/* This site's phase 1 behind the failing hop: of the phase 2 named by
 * it or a hop before it, else the one at the failing hop's location
 * (the receiver's). */
static const struct phase1 *
path_p1(struct hop *h)
{
	for (int i = h->path->fail_at; i >= 0; i--) {
		const struct step *st = &h->path->steps[i];
		if (st->p2 && st->p2->p1 &&
		    strcmp(st->site, h->site->name) == 0)
			return st->p2->p1;
	}
	for (size_t i = 0; i < h->site->np1; i++)
		if (h->site->p1[i].loc.line == h->st->loc.line &&
		    h->site->p1[i].loc.col == h->st->loc.col &&
		    h->site->p1[i].loc.file == h->st->loc.file)
			return &h->site->p1[i];
	return NULL;
}

static const char *
path_p1_loc(struct hop *h)
{
	const struct phase1 *p1 = path_p1(h);
	return check_loc(h->an->ar, p1 ? &p1->loc : &h->st->loc);
}

static void
simple(struct hop *h, enum finding_id c, const char *key, const char *fix)
{
	struct finding *f = check_finding(h->an, c, h->site, key);
	f->severity = finding_info(c)->severity; /* a flow needs it */
	ev_step(h, f);
	link_hop(f, h);
	if (f->summary)
		return;
	f->summary =
	    arena_printf(h->an->ar, "%s: %s", h->flow_text, h->st->what);
	f->fix = fix;
}

/* The host's own output (a pasted ipconfig, ip addr) is a fact, not an
 * assumption: it decides the host finding. */
static void
host_fact_confirms(struct hop *h, enum finding_id c, const char *key)
{
	const struct host *ho = site_host(h->site, &h->pkt->src);
	if (ho && ho->pasted && !h->st->assumed)
		check_finding(h->an, c, h->site, key)->confidence =
		    CONF_CONFIRMED;
}

/* The config check already named this overlap: the hop confirms it. */
static bool
link_overlap(struct hop *h)
{
	if (h->st->p2 == NULL)
		return false;
	const char *pre = arena_printf(h->an->ar, "%s|",
				       check_loc(h->an->ar, &h->st->p2->loc));
	for (size_t i = 0; i < h->an->fs.n; i++) {
		struct finding *f = &h->an->fs.f[i];
		if (f->id == CHK_ROUTE_OVERLAP && f->site &&
		    strcmp(f->site, h->site->name) == 0 && f->key &&
		    strncmp(f->key, pre, strlen(pre)) == 0) {
			link_hop(f, h);
			return true;
		}
	}
	return false;
}

/* A new connection from the tunnel to a many-to-one phase 2 NAT address
 * (doc/behaviour/tunnel-path.md §5). Whether connections from that side
 * are wanted is the admin's design: a warning. */
static void
nat_many(struct hop *h)
{
	struct arena *ar = h->an->ar;
	const struct phase2 *p2 = h->st->p2;
	struct finding *f = check_finding(h->an, CHK_P2_NAT, h->site,
					  p2 ? check_loc(ar, &p2->loc) : NULL);
	f->severity = SEV_WARNING;
	ev_step(h, f);
	link_hop(f, h);
	if (f->summary || p2 == NULL)
		return;
	f->summary = arena_printf(
	    ar,
	    "%s: %s's phase 2 '%s' NATs %s many-to-one to %s, so "
	    "connections opened from the tunnel to it reach no host",
	    h->flow_text, h->site->name, p2->descr ? p2->descr : "",
	    prefix_str(ar, &p2->local.net), prefix_str(ar, &p2->natlocal.net));
	f->detail = "pfSense renders a NAT network of another size than the "
		    "local one (or a single NAT address for a network) as "
		    "'nat on enc0', not 'binat': it translates what this side "
		    "sends and the replies to it, never a new connection "
		    "coming in. By design if only this side's hosts open "
		    "connections.";
	f->fix = arena_printf(
	    ar,
	    "On %s, VPN > IPsec > Tunnels, phase 2 '%s': if hosts "
	    "behind %s must be reachable from the tunnel, give the "
	    "NAT/BINAT network the same size as the local network "
	    "(%s) so pfSense uses BINAT.",
	    h->site->name, p2->descr ? p2->descr : "", h->site->name,
	    prefix_str(ar, &p2->local.net));
}

static void
hop_finding(struct hop *h)
{
	struct arena *ar = h->an->ar;
	enum finding_id c = h->st->cause;
	const char *s = h->site->name;
	const char *dst = ipaddr_str(ar, &h->pkt->dst),
		   *src = ipaddr_str(ar, &h->pkt->src);
	if ((c == CHK_IPSEC_RULES_MISSING || c == CHK_LAN_RULES_MISSING) &&
	    check_is_system_block(h->st->rule))
		simple(h, CHK_SYSTEM_BLOCK,
		       rule_origin_name(h->st->rule->origin),
		       check_system_block_fix(ar, h->site, h->st->rule));
	else if (c == CHK_RULESET_NOT_LOADED) {
		struct finding *f =
		    check_running_block(h->an, h->site, h->st, h->flow_text);
		link_hop(f, h);
	} else if (c == CHK_IPSEC_FILTERMODE)
		simple(h, CHK_IPSEC_FILTERMODE, "if_ipsec",
		       check_filtermode_fix(ar, h->site));
	else if (c == CHK_TUNNEL_NOT_STARTED)
		simple(h, CHK_TUNNEL_NOT_STARTED, path_p1_loc(h),
		       check_not_started_fix(ar, h->site, path_p1(h)));
	else if (c == CHK_IPSEC_RULES_MISSING)
		ipsec_rules(h);
	else if (c == CHK_LAN_RULES_MISSING)
		lan_rules(h);
	else if (c == CHK_WAN_VPN_BLOCKED)
		wan_blocked(h);
	else if (c == CHK_P2_MISMATCH)
		selector_mismatch(h);
	else if (c == CHK_P2_NOT_COVERED)
		not_covered(h);
	else if (c == CHK_TUNNEL_DISABLED)
		simple(h, CHK_TUNNEL_DISABLED, path_p2_loc(h),
		       arena_printf(ar,
				    "On %s, VPN > IPsec > Tunnels: enable "
				    "the phase 1/phase 2 that carries the "
				    "flow (uncheck Disabled).",
				    s));
	else if (c == CHK_POLICY_ROUTE_BYPASS)
		simple(
		    h, CHK_POLICY_ROUTE_BYPASS, check_loc(ar, &h->st->loc),
		    arena_printf(
			ar,
			"On %s, %s: add a pass rule %s from "
			"the local network to %s with the default "
			"gateway (Netgate: 'Bypassing Policy "
			"Routing')%s.",
			s,
			h->st->rule && h->st->rule->mvc
			    ? rule_page(ar, h->site, h->st->rule)
			    : arena_printf(ar, "Firewall > Rules > %s",
					   iface_label(h->site, h->st->iface)),
			h->st->rule && h->st->rule->mvc
			    ? "with a lower sequence than it"
			    : "above it",
			dst,
			h->site->flags.disablenegate
			    ? ", or uncheck System > Advanced "
			      "> Firewall & NAT > 'Disable "
			      "Negate rules'"
			    : ""));
	else if (c == CHK_HOST_MASK) {
		simple(h, CHK_HOST_MASK, src,
		       arena_printf(ar,
				    "Set host %s's subnet mask to its LAN's "
				    "(so %s is reached through the gateway).",
				    src, dst));
		host_fact_confirms(h, CHK_HOST_MASK, src);
	} else if (c == CHK_HOST_GATEWAY)
		simple(h, CHK_HOST_GATEWAY, h->st->assumed ? "dhcp" : src,
		       h->st->assumed
			   ? arena_printf(ar,
					  "On %s, Services > DHCP "
					  "Server > %s: set Gateway to "
					  "the firewall's address (or leave "
					  "it empty), then renew the "
					  "hosts' leases.",
					  s, "LAN")
			   : arena_printf(ar,
					  "Set host %s's default "
					  "gateway to %s's firewall, or add "
					  "a route to the remote network "
					  "via it.",
					  src, s));
	else if (c == CHK_HOST_FIREWALL)
		simple(h, CHK_HOST_FIREWALL, dst,
		       arena_printf(ar,
				    "Allow %s from the remote network in "
				    "host %s's own firewall (Windows Defender "
				    "Firewall, iptables/nftables, ...).",
				    h->ft->proto_text, dst));
	else if (c == CHK_ROUTE_OVERLAP && !link_overlap(h))
		simple(h, CHK_ROUTE_OVERLAP, check_loc(ar, &h->st->loc),
		       arena_printf(ar,
				    "On %s, renumber one of the overlapping "
				    "networks (the guide: resolve the "
				    "duplicate interface/route and traffic "
				    "flows).",
				    s));
	else if (c == CHK_P2_NAT)
		nat_many(h);
	else if (c == CHK_MSS_CLAMPING) {
		simple(h, CHK_MSS_CLAMPING, "flow",
		       arena_printf(ar,
				    "On %s: %s. Start at 1400 (the guide), "
				    "raise it until it breaks, then back off; "
				    "the computed value is in the config "
				    "finding.",
				    s, gui_mss_location(h->site)));
		/* the user's own packet size does not fit: not a guess */
		check_finding(h->an, CHK_MSS_CLAMPING, h->site, "flow")
		    ->severity = SEV_ERROR;
	} else if (c == CHK_NAT_BEFORE_IPSEC)
		simple(
		    h, CHK_NAT_BEFORE_IPSEC, NULL,
		    arena_printf(ar,
				 "On %s, exempt tunnel traffic from "
				 "masquerading: put 'oifname WAN ip daddr "
				 "<remote network> accept' (nft) or '-m policy "
				 "--dir out --pol ipsec -j ACCEPT' (iptables) "
				 "before the masquerade rule in postrouting.",
				 s));
	else if (c == CHK_P1_PEER_MISMATCH)
		simple(h, CHK_P1_PEER_MISMATCH, NULL,
		       arena_printf(ar,
				    "On %s, VPN > IPsec > Tunnels: the "
				    "phase 1 Remote Gateway must be the other "
				    "end's WAN address (the public address of "
				    "its NAT when it is behind one, never a "
				    "private address).",
				    s));
	else if (c == CHK_SELF_TRAFFIC_UNCOVERED)
		simple(h, CHK_SELF_TRAFFIC_UNCOVERED, "services",
		       arena_printf(ar,
				    "On %s: give the firewall's traffic to "
				    "%s a source inside the phase 2 local "
				    "network (the service's source setting, or "
				    "System > Routing: a gateway at the LAN "
				    "address and a static route to the remote "
				    "network via it), or add a phase 2 for %s.",
				    s, dst, src));
	else if (c == CHK_LINUX_RP_FILTER)
		simple(
		    h, CHK_LINUX_RP_FILTER, check_loc(ar, &h->st->loc),
		    arena_printf(ar,
				 "On %s: route the remote network back via "
				 "the interface the tunnel delivers it on "
				 "(the reverse lookup carries no mark), or "
				 "set rp_filter to 0 on that interface and in "
				 "conf.all (the max of both applies); loose "
				 "(2) is enough only when that interface "
				 "has an IPv4 address.",
				 s));
	else if (c == CHK_LINUX_XFRM_MARK) {
		/* check_linux.c worded it; a flow keeps its severity */
		struct finding *f =
		    check_finding(h->an, CHK_LINUX_XFRM_MARK, h->site, "marks");
		enum severity sv = f->summary ? f->severity : SEV_WARNING;
		simple(h, CHK_LINUX_XFRM_MARK, "marks", NULL);
		if (sv > f->severity)
			f->severity = sv;
	} else if (c == CHK_LINUX_FWD_POLICY)
		simple(h, CHK_LINUX_FWD_POLICY, NULL,
		       arena_printf(ar,
				    "On %s: install the 'dir fwd' policy "
				    "for the child's selectors (strongSwan "
				    "installs in, out and fwd; 'ip xfrm policy "
				    "add ... dir fwd tmpl ...' for a manual "
				    "setup).",
				    s));
	if (c == CHK_HOST_GATEWAY)
		host_fact_confirms(h, CHK_HOST_GATEWAY,
				   h->st->assumed ? "dhcp" : src);
}

static void
path_findings(struct analysis *an, int i, const struct path *p, bool reply)
{
	if (p->fail_at < 0)
		return;
	const struct flow_trace *ft = &an->flows[i];
	const struct step *st = &p->steps[p->fail_at];
	struct site *s = site_named(an, st->site);
	if (s == NULL || st->cause == FINDING_NONE)
		return;
	struct packet pkt = reply ? ft->pkt : ft->pkt;
	if (reply) {
		pkt.src = ft->pkt.dst;
		pkt.dst = ft->pkt.src;
	}
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	struct hop h = {an,
			i,
			ft,
			p,
			reply,
			st,
			s,
			&pkt,
			arena_printf(an->ar, "%s -> %s %s%s",
				     ipaddr_format(&pkt.src, a),
				     ipaddr_format(&pkt.dst, b), ft->proto_text,
				     reply ? " (reply)" : "")};
	hop_finding(&h);
}

void
check_flows(struct analysis *an)
{
	for (size_t i = 0; i < an->nflows; i++) {
		path_findings(an, (int)i, &an->flows[i].request, false);
		path_findings(an, (int)i, &an->flows[i].reply, true);
	}
}
