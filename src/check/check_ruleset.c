/* Findings about rules and settings the firewall generates itself: the
 * quick system blocks, IPsec filter mode if_ipsec and tunnels that are
 * enabled but never started (doc/behaviour/pf-ruleset.md §6, §7, §9,
 * §10). */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"
#include "engine/ruleset.h"

bool
check_is_system_block(const struct rule *r)
{
	return r && (r->origin == ORIGIN_BLOCK_IPV6 ||
		     r->origin == ORIGIN_BLOCK_APIPA);
}

const char *
check_system_block_fix(struct arena *ar, const struct site *s,
		       const struct rule *r)
{
	if (r->origin == ORIGIN_BLOCK_APIPA)
		return arena_printf(ar,
				    "On %s, System > Advanced > Firewall & "
				    "NAT: check 'Allow APIPA' (or use tunnel "
				    "addresses outside 169.254.0.0/16).",
				    s->name);
	return arena_printf(ar, "On %s, %s: check 'Allow IPv6'.", s->name,
			    s->kind == SITE_OPNSENSE
				? "Firewall > Settings > Advanced"
				: "System > Advanced > Networking");
}

void
check_system_block(struct analysis *an, struct site *s, const struct rule *r,
		   const char *what)
{
	struct arena *ar = an->ar;
	struct finding *f =
	    check_finding(an, CHK_SYSTEM_BLOCK, s, rule_origin_name(r->origin));
	if (f->summary)
		return;
	f->summary = arena_printf(ar,
				  "%s's own quick rule '%s' blocks %s "
				  "before any user rule",
				  s->name, rule_origin_name(r->origin), what);
	f->detail =
	    r->origin == ORIGIN_BLOCK_APIPA
		? "The firewall blocks 169.254.0.0/16 inbound on every "
		  "interface unless Allow APIPA is set."
		: "Without <ipv6allow> in <system> the firewall blocks all "
		  "IPv6 in both directions.";
	finding_evidence(ar, f, EVREF_CONFIG, &s->flags.system_loc,
			 r->origin == ORIGIN_BLOCK_APIPA
			     ? "<system> has no <no_apipa_block>"
			     : "<system> has no <ipv6allow>");
	f->fix = check_system_block_fix(ar, s, r);
}

void
check_no_protocol(struct analysis *an, const struct site *s,
		  const struct phase1 *p1, struct finding *f)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (p2->p1 != p1)
			continue;
		if (!p2->proto_missing)
			return; /* another names ESP: not this */
	}
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (p2->p1 != p1)
			continue;
		f->detail = arena_printf(ar,
					 "Phase 2 '%s' names no protocol, "
					 "so the firewall writes no automatic "
					 "ESP rule for its phase 1.",
					 p2->descr ? p2->descr : "");
		finding_evidence(ar, f, EVREF_CONFIG, &p2->loc,
				 arena_printf(ar,
					      "phase 2 '%s' without "
					      "<protocol>",
					      p2->descr ? p2->descr : ""));
		f->fix = arena_printf(ar,
				      "On %s, VPN > IPsec > Tunnels: set "
				      "Protocol ESP on phase 2 '%s'.",
				      s->name, p2->descr ? p2->descr : "");
		return;
	}
}

static bool
if_ipsec(const struct site *s)
{
	return s->kind == SITE_PFSENSE && s->flags.filtermode &&
	       strcmp(s->flags.filtermode, "if_ipsec") == 0;
}

const char *
check_filtermode_fix(struct arena *ar, const struct site *s)
{
	return arena_printf(ar,
			    "On %s, VPN > IPsec > Advanced Settings: set "
			    "IPsec Filter Mode to filter tunnel traffic on "
			    "the IPsec tab (enc0), or change the tunnel to "
			    "VTI.",
			    s->name);
}

/* Tunnel-mode phase 2 at an if_ipsec site: the decrypted packet meets
 * the WAN rules with no state, in both directions. */
static void
filtermode(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; if_ipsec(s) && i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (!p2_enabled(p2) || p2->mobile || p2->p1 == NULL ||
		    (p2->mode != P2_TUNNEL && p2->mode != P2_TUNNEL6))
			continue;
		struct range rr = prefix_range(&p2->remote.net);
		struct range lr = prefix_range(&p2->local.net);
		struct packet p = {.src = p2->remote.net.addr,
				   .dst = p2->local.net.addr,
				   .proto = PROTO_ICMP,
				   .icmp_type = 8};
		p.src.v = rr.lo + (rr.hi - rr.lo >= 20 ? 10 : 0);
		p.dst.v = lr.lo + (lr.hi - lr.lo >= 20 ? 10 : 0);
		if (p.src.fam == FAM_V6) {
			p.proto = PROTO_ICMP6;
			p.icmp_type = 128;
		}
		struct ruleset rs = ruleset_inbound(ar, s, p2->p1->iface);
		struct verdict v = ruleset_eval(&rs, &p);
		if (v.pass)
			continue;
		struct finding *f =
		    check_finding(an, CHK_IPSEC_FILTERMODE, s, "if_ipsec");
		if (f->summary)
			continue;
		f->summary = arena_printf(
		    ar,
		    "IPsec filter mode if_ipsec: traffic from the "
		    "tunnel of phase 2 '%s' is filtered on %s, not on "
		    "the IPsec tab, and blocked there by %s",
		    p2->descr ? p2->descr : "", iface_label(s, p2->p1->iface),
		    v.rule ? rule_describe(ar, s, v.rule) : "no rule");
		f->detail = "In this mode enc0 filters nothing and pf sees the "
			    "decrypted tunnel-mode packet on the interface it "
			    "arrived on, with no state from the other "
			    "direction: requests and replies alike.";
		finding_evidence(ar, f, EVREF_CONFIG, &s->flags.filtermode_loc,
				 "<ipsec><filtermode>if_ipsec</filtermode>");
		f->fix = check_filtermode_fix(ar, s);
	}
}

const char *
check_not_started_fix(struct arena *ar, const struct site *s,
		      const struct phase1 *p1)
{
	if (s->kind == SITE_OPNSENSE)
		return arena_printf(ar,
				    "On %s, VPN > IPsec > Tunnel Settings: "
				    "check Enable IPsec.",
				    s->name);
	if (p1 && p1->proposals == NULL)
		return arena_printf(ar,
				    "On %s, VPN > IPsec > Tunnels: give "
				    "phase 1 '%s' an encryption algorithm.",
				    s->name, p1->descr ? p1->descr : "");
	return arena_printf(ar,
			    "On %s, give interface %s an address, or bind "
			    "phase 1 '%s' to an interface that has one (VPN "
			    "> IPsec > Tunnels).",
			    s->name, p1 ? iface_label(s, p1->iface) : "?",
			    p1 && p1->descr ? p1->descr : "");
}

static void
not_started(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		if (p1->not_started == NULL || p1->disabled)
			continue;
		struct finding *f = check_finding(an, CHK_TUNNEL_NOT_STARTED, s,
						  check_loc(ar, &p1->loc));
		if (f->summary)
			continue;
		const char *name = p1->descr	? p1->descr
				   : p1->remote ? p1->remote
						: "";
		f->summary = arena_printf(ar,
					  "phase 1 '%s' is enabled but "
					  "never started: %s",
					  name, p1->not_started);
		finding_evidence(ar, f, EVREF_CONFIG, &p1->loc,
				 arena_printf(ar, "phase 1 '%s'", name));
		f->fix = check_not_started_fix(ar, s, p1);
	}
}

void
check_ruleset(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		struct site *s = an->sites[i];
		if (!s->has_config)
			continue;
		filtermode(an, s);
		not_started(an, s);
	}
}
