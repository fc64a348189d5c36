/* Capture evidence: what the wire shows at each interface (doc/ARCHITECTURE.md
 * §4: which capture decides which section). */
#include <string.h>

#include "check/check.h"
#include "engine/esp_overhead.h"
#include "engine/route.h"

static bool
any_site_addr(const struct analysis *an, const struct ipaddr *a)
{
	for (size_t i = 0; i < an->nsites; i++)
		if (site_is_own_addr(an->sites[i], a))
			return true;
	return false;
}

static bool
in_nets(const struct site *s, const struct ipaddr *a, bool local)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct selector *sel =
		    local ? &s->p2[i].local : &s->p2[i].remote;
		if (sel->resolved && sel->net.len > 0 &&
		    prefix_contains(&sel->net, a))
			return true;
	}
	return false;
}

static struct finding *
existing(struct analysis *an, enum finding_id id, const struct site *s)
{
	for (size_t i = 0; i < an->fs.n; i++)
		if (an->fs.f[i].id == id && an->fs.f[i].site &&
		    strcmp(an->fs.f[i].site, s->name) == 0)
			return &an->fs.f[i];
	return NULL;
}

/* Finding id at s; a host finding (keyed by the host's address) only
 * for that host: evidence about another host must not confirm it. */
static struct finding *
existing_for_host(struct analysis *an, enum finding_id id, const struct site *s,
		  const char *host)
{
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		bool per_host = id == CHK_HOST_GATEWAY || id == CHK_HOST_MASK ||
				id == CHK_HOST_FIREWALL;
		if (f->id == id && f->site && strcmp(f->site, s->name) == 0 &&
		    (!per_host || f->key == NULL || host == NULL ||
		     strcmp(f->key, host) == 0))
			return f;
	}
	return NULL;
}

/* Adds capture evidence to finding `id` at s, creating it (with the
 * given summary and fix) when no config check predicted it. */
static void
cap_evidence(struct analysis *an, struct site *s, enum finding_id c,
	     const char *key, const struct observation *o, const char *text,
	     const char *summary, const char *fix)
{
	struct finding *f = existing_for_host(an, c, s, key);
	if (f == NULL) {
		f = check_finding(an, c, s, key);
		f->summary = summary;
		f->fix = fix;
	}
	f->confidence = CONF_CONFIRMED;
	if (f->nev < 12)
		finding_evidence(an->ar, f, EVREF_CAPTURE, &o->where,
				 arena_printf(an->ar, "%s (%s)", text,
					      o->iface ? o->iface : "?"));
}

/* Delivered, never answered: gateway or host firewall, the capture
 * cannot tell which (host facts or the host's own config can). */
static void
no_reply(struct analysis *an, struct site *s, const struct observation *o,
	 const char *src, const char *dst)
{
	struct arena *ar = an->ar;
	const char *text = arena_printf(ar,
					"%llu packets %s -> %s %s delivered "
					"on the LAN, no reply",
					(unsigned long long)o->count, src, dst,
					proto_name(o->proto));
	/* what the host facts already say about this host explains it */
	struct finding *f = NULL;
	for (size_t i = 0; i < an->fs.n && f == NULL; i++) {
		struct finding *x = &an->fs.f[i];
		bool host = x->id == CHK_HOST_GATEWAY ||
			    x->id == CHK_HOST_MASK ||
			    x->id == CHK_HOST_FIREWALL;
		if (host && x->site && strcmp(x->site, s->name) == 0 &&
		    x->key && strcmp(x->key, dst) == 0)
			f = x;
	}
	if (f) {
		f->confidence = CONF_CONFIRMED;
		if (f->nev < 12)
			finding_evidence(ar, f, EVREF_CAPTURE, &o->where, text);
		return;
	}
	f = check_finding(an, CHK_HOST_GATEWAY, s, dst);
	if (f->summary == NULL) {
		f->confidence = CONF_SUSPECTED;
		f->summary = arena_printf(ar,
					  "host %s receives tunnel traffic "
					  "but does not answer through the "
					  "firewall",
					  dst);
		f->detail =
		    "The guide: traffic leaves the inside interface "
		    "but no replies return: the host does not route "
		    "its replies to the firewall (no or another default "
		    "gateway), or its own firewall blocks them.";
		f->fix = arena_printf(ar,
				      "Check host %s's default gateway (must "
				      "be %s's LAN address) and its own "
				      "firewall.",
				      dst, s->name);
	}
	if (f->nev < 12)
		finding_evidence(ar, f, EVREF_CAPTURE, &o->where, text);
}

static void
lan_obs(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	const char *src = ipaddr_str(ar, &o->src),
		   *dst = ipaddr_str(ar, &o->dst);
	switch (o->kind) {
	case OBS_CAP_ARP:
		/* a local host asking for a remote address: its mask */
		if (!in_nets(s, &o->dst, false))
			return;
		cap_evidence(
		    an, s, CHK_HOST_MASK, src, o,
		    arena_printf(ar,
				 "%s asks ARP who-has %s, a remote "
				 "address",
				 src, dst),
		    arena_printf(ar,
				 "host %s ARPs for the remote address "
				 "%s: its subnet mask covers the remote "
				 "network",
				 src, dst),
		    arena_printf(ar,
				 "Set host %s's subnet mask to its "
				 "LAN's.",
				 src));
		break;
	case OBS_CAP_TCP_RST:
	case OBS_CAP_ICMP_ERR:
		/* administratively prohibited (RFC 1812 §5.2.7.1) is a
		 * firewall; port unreachable is a host without the service */
		if (o->kind == OBS_CAP_ICMP_ERR &&
		    !(o->icmp_type == 3 &&
		      (o->icmp_code == 13 || o->icmp_code == 10 ||
		       o->icmp_code == 9)))
			return;
		if (!in_nets(s, &o->src, true) || !in_nets(s, &o->dst, false))
			return;
		cap_evidence(an, s, CHK_HOST_FIREWALL, src, o,
			     arena_printf(ar, "%s answers %s with %s", src, dst,
					  o->kind == OBS_CAP_TCP_RST
					      ? "TCP RST"
					      : "ICMP unreachable"),
			     arena_printf(ar,
					  "host %s rejects traffic from the "
					  "remote network",
					  src),
			     arena_printf(ar,
					  "Allow the remote network in host "
					  "%s's own firewall.",
					  src));
		break;
	case OBS_CAP_FLOW:
		/* remote -> local host delivered: a reply to another MAC, or
		 * none at all (the guide: routing or the host's firewall) */
		if (!in_nets(s, &o->src, false) || !in_nets(s, &o->dst, true) ||
		    o->count == 0 || (o->count_rev > 0 && !o->mac_dst))
			return;
		/* many UDP services never answer, and a probe from a gateway
		 * itself says nothing of the hosts: only echo and TCP count,
		 * retried */
		if (!o->mac_dst && (o->proto == PROTO_UDP || o->count < 2 ||
				    any_site_addr(an, &o->src)))
			return;
		if (o->mac_dst) {
			cap_evidence(
			    an, s, CHK_HOST_GATEWAY, dst, o,
			    arena_printf(ar,
					 "%s answers %s through "
					 "another router (MAC %s)",
					 dst, src, o->mac_dst),
			    arena_printf(ar,
					 "host %s sends its replies "
					 "to another gateway than the "
					 "firewall",
					 dst),
			    arena_printf(ar,
					 "Set host %s's default "
					 "gateway to %s's LAN address.",
					 dst, s->name));
			break;
		}
		no_reply(an, s, o, src, dst);
		break;
	default:
		break;
	}
}

/* Evidence of the hang (check_mss.c): the finding becomes an error. */
static void
mss_obs(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	unsigned lim;
	const char *text = check_mss_hang(ar, s, o, &lim);
	if (text == NULL)
		return;
	cap_evidence(
	    an, s, CHK_MSS_CLAMPING, "config", o, text,
	    arena_printf(ar,
			 "TCP segments of %s's tunnel traffic do "
			 "not fit the tunnel (MSS %u fits)",
			 s->name, lim),
	    lim ? arena_printf(ar, "On %s, %s to %u or lower.", s->name,
			       gui_mss_location(s), lim)
		: arena_printf(ar, "On %s, %s.", s->name, gui_mss_location(s)));
	struct finding *f = existing(an, CHK_MSS_CLAMPING, s);
	if (f == NULL)
		return;
	f->severity = SEV_ERROR;
	const char *cut =
	    f->detail ? strstr(f->detail, " This rests on") : NULL;
	if (cut)
		f->detail = arena_printf(ar,
					 "%.*s A capture shows the hang "
					 "(evidence below).",
					 (int)(cut - f->detail), f->detail);
}

static bool seen_on(const struct site *s, const struct observation *o,
		    enum if_role role);
static bool captured_on(const struct site *s, enum if_role role);

/* Clear text from the gateway's own address with nothing behind it on the
 * LAN (no LAN flow to that destination that also missed the tunnel): the
 * gateway's own traffic (an ICMP error it sends, a ping without a source),
 * not a LAN flow NATed out of its phase 2 (doc/behaviour/linux-lab.md
 * §3). Needs the LAN and the tunnel interface captured. */
static bool
self_cleartext(const struct site *s, const struct observation *o)
{
	if (!site_is_own_addr(s, &o->src) || !captured_on(s, ROLE_LAN) ||
	    !captured_on(s, ROLE_ENC))
		return false;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *x = &s->ev.obs[i];
		const struct iface *f = site_iface_by_dev(s, x->iface);
		if (x->kind != OBS_CAP_FLOW || !f ||
		    (f->role != ROLE_LAN && f->role != ROLE_OPT) ||
		    x->proto != o->proto)
			continue;
		bool same = (x->count && ipaddr_cmp(&x->dst, &o->dst) == 0) ||
			    (x->count_rev && ipaddr_cmp(&x->src, &o->dst) == 0);
		if (same && !seen_on(s, x, ROLE_ENC))
			return false;
	}
	return true;
}

static void
wan_self(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	const char *src = ipaddr_str(ar, &o->src),
		   *dst = ipaddr_str(ar, &o->dst);
	struct finding *f = existing(an, CHK_SELF_TRAFFIC_UNCOVERED, s);
	cap_evidence(
	    an, s, CHK_SELF_TRAFFIC_UNCOVERED, NULL, o,
	    arena_printf(ar,
			 "%s -> %s %s leaves the WAN in clear from the "
			 "gateway's own address; no LAN flow behind it",
			 src, dst, proto_name(o->proto)),
	    arena_printf(ar,
			 "%s's own traffic to %s leaves the WAN in clear "
			 "from %s: no phase 2 covers that source",
			 s->name, dst, src),
	    arena_printf(ar,
			 "On %s, give the gateway's own traffic to %s a "
			 "source inside a phase 2's local network (a route "
			 "to the remote network with 'src' set to the LAN "
			 "address, as strongSwan's table 220 route has), or "
			 "cover %s with a phase 2.",
			 s->name, dst, src));
	if (f == NULL)
		existing(an, CHK_SELF_TRAFFIC_UNCOVERED, s)->detail =
		    "The gateway itself sent this packet (no LAN host did): "
		    "its source is the address of the interface its route "
		    "leaves by, which no IPsec policy covers, so it is not "
		    "encrypted. The tunnel's LAN traffic is not affected.";
}

static void
wan_obs(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	if (o->kind != OBS_CAP_CLEARTEXT)
		return;
	if (self_cleartext(s, o)) {
		wan_self(an, s, o);
		return;
	}
	struct finding *f = existing(an, CHK_POLICY_ROUTE_BYPASS, s);
	enum finding_id c = f ? CHK_POLICY_ROUTE_BYPASS : CHK_P2_NOT_COVERED;
	cap_evidence(an, s, c, NULL, o,
		     arena_printf(ar, "%s -> %s leaves the WAN in clear",
				  ipaddr_str(ar, &o->src),
				  ipaddr_str(ar, &o->dst)),
		     arena_printf(ar,
				  "tunnel-bound traffic %s -> %s leaves %s's "
				  "WAN in clear instead of the tunnel",
				  ipaddr_str(ar, &o->src),
				  ipaddr_str(ar, &o->dst), s->name),
		     arena_printf(ar,
				  "On %s, make a phase 2 cover %s -> %s, and "
				  "check LAN rules with a gateway set.",
				  s->name, ipaddr_str(ar, &o->src),
				  ipaddr_str(ar, &o->dst)));
}

static bool
seen_on(const struct site *s, const struct observation *o, enum if_role role)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *x = &s->ev.obs[i];
		const struct iface *f = site_iface_by_dev(s, x->iface);
		if (x->kind != OBS_CAP_FLOW || !f || f->role != role ||
		    x->proto != o->proto)
			continue;
		/* a flow is keyed by its first sender: either orientation */
		if ((x->count && ipaddr_cmp(&x->src, &o->src) == 0 &&
		     ipaddr_cmp(&x->dst, &o->dst) == 0) ||
		    (x->count_rev && ipaddr_cmp(&x->src, &o->dst) == 0 &&
		     ipaddr_cmp(&x->dst, &o->src) == 0))
			return true;
	}
	return false;
}

static bool
captured_on(const struct site *s, enum if_role role)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct iface *f =
		    site_iface_by_dev(s, s->ev.obs[i].iface);
		if (s->ev.obs[i].kind >= OBS_CAP_FLOW &&
		    s->ev.obs[i].kind <= OBS_CAP_CLEARTEXT && f &&
		    f->role == role)
			return true;
	}
	return false;
}

/* The guide: requests on the IPsec interface and none on the LAN mean the
 * IPsec rules drop them (doc/ARCHITECTURE.md §4, IPsec rules tab). */
static void
enc_not_lan(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	if (o->kind != OBS_CAP_FLOW || !o->count ||
	    !in_nets(s, &o->src, false) || !in_nets(s, &o->dst, true) ||
	    !captured_on(s, ROLE_LAN) || seen_on(s, o, ROLE_LAN))
		return;
	/* a drop the configs predict between decryption and the LAN
	 * explains it: the kernel's checks come before the forward rules
	 * (doc/behaviour/linux-lab.md §1) */
	static const enum finding_id after_decrypt[] = {
	    CHK_LINUX_RP_FILTER, CHK_LINUX_FWD_POLICY, CHK_IPSEC_RULES_PROTOCOL,
	    CHK_IPSEC_RULES_MISSING};
	struct finding *f = NULL;
	for (size_t i = 0; i < 4 && f == NULL; i++)
		f = existing(an, after_decrypt[i], s);
	if (f == NULL) {
		f = check_finding(an, CHK_IPSEC_RULES_MISSING, s, "enc0");
		f->summary = arena_printf(ar,
					  "%s's captures show tunnel traffic "
					  "on the IPsec interface that never "
					  "reaches the LAN",
					  s->name);
		f->fix = arena_printf(ar,
				      "On %s, Firewall > Rules > IPsec: pass "
				      "the remote network.",
				      s->name);
	}
	f->confidence = CONF_CONFIRMED;
	if (f->nev < 12)
		finding_evidence(ar, f, EVREF_CAPTURE, &o->where,
				 arena_printf(ar,
					      "%llu packets %s -> %s %s on "
					      "%s, none on the LAN",
					      (unsigned long long)o->count,
					      ipaddr_str(ar, &o->src),
					      ipaddr_str(ar, &o->dst),
					      proto_name(o->proto), o->iface));
}

/* ESP arrives on the WAN and nothing shows on enc0 ("disappearing"). */
static void
disappearing(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	const struct observation *esp_in = NULL, *esp_out = NULL;
	bool enc_seen = false, enc_captured = false;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		const struct iface *f = site_iface_by_dev(s, o->iface);
		bool enc =
		    (f && (f->role == ROLE_ENC || f->role == ROLE_VTI)) ||
		    (o->iface && (!strncmp(o->iface, "enc", 3) ||
				  !strncmp(o->iface, "ipsec", 5)));
		if (o->kind == OBS_CAP_ESP && o->dir == PDIR_IN && o->count)
			esp_in = esp_in ? esp_in : o;
		if (o->kind == OBS_CAP_ESP && o->dir == PDIR_OUT && o->count)
			esp_out = esp_out ? esp_out : o;
		if (enc && o->kind >= OBS_CAP_FLOW &&
		    o->kind <= OBS_CAP_CLEARTEXT) {
			enc_captured = true;
			enc_seen = enc_seen || o->kind == OBS_CAP_FLOW;
		}
	}
	if (esp_in && enc_captured && !enc_seen) {
		struct finding *f = existing(an, CHK_ROUTE_OVERLAP, s);
		enum finding_id c = f ? CHK_ROUTE_OVERLAP : CHK_SA_MISSING;
		cap_evidence(
		    an, s, c, "capture", esp_in,
		    arena_printf(ar,
				 "ESP SPI 0x%08x from %s arrives, "
				 "nothing appears on the IPsec "
				 "interface",
				 esp_in->value, ipaddr_str(ar, &esp_in->src)),
		    arena_printf(ar,
				 "ESP arrives on %s's WAN but no "
				 "packet appears on enc0 (disappearing "
				 "traffic)",
				 s->name),
		    arena_printf(ar,
				 "On %s, look for a local network, "
				 "OpenVPN network or route overlapping "
				 "the remote network, and for the SA in "
				 "Status > IPsec.",
				 s->name));
	}
	if (esp_in && !esp_out && s->ev.has_capture) {
		cap_evidence(
		    an, s, CHK_SA_ONE_WAY, "capture", esp_in,
		    arena_printf(ar,
				 "%llu ESP packets in from %s (SPI "
				 "0x%08x), none out",
				 (unsigned long long)esp_in->count,
				 ipaddr_str(ar, &esp_in->src), esp_in->value),
		    arena_printf(ar,
				 "ESP arrives on %s from %s and no "
				 "ESP goes back",
				 s->name, ipaddr_str(ar, &esp_in->src)),
		    arena_printf(ar,
				 "On %s, follow the replies: are they "
				 "routed into the tunnel (phase 2 "
				 "networks, LAN hosts' gateway)?",
				 s->name));
	}
	if (esp_out && !esp_in && s->ev.has_capture) {
		cap_evidence(
		    an, s, CHK_SA_ONE_WAY, "capture", esp_out,
		    arena_printf(ar,
				 "%llu ESP packets out to %s (SPI "
				 "0x%08x), none back",
				 (unsigned long long)esp_out->count,
				 ipaddr_str(ar, &esp_out->dst), esp_out->value),
		    arena_printf(ar,
				 "ESP leaves %s toward %s and nothing "
				 "comes back",
				 s->name, ipaddr_str(ar, &esp_out->dst)),
		    "Trace the return direction at the other end "
		    "(its WAN rules, selectors, IPsec rules, routing).");
	}
}

void
evidence_captures(struct analysis *an, struct site *s)
{
	if (!s->ev.has_capture)
		return;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		const struct iface *f = site_iface_by_dev(s, o->iface);
		if (o->kind < OBS_CAP_FLOW || o->kind > OBS_CAP_CLEARTEXT)
			continue;
		mss_obs(an, s, o);
		if (f && (f->role == ROLE_ENC || f->role == ROLE_VTI))
			enc_not_lan(an, s, o);
		if (f && f->role == ROLE_WAN)
			wan_obs(an, s, o);
		else if (f && (f->role == ROLE_LAN || f->role == ROLE_OPT) &&
			 o->kind != OBS_CAP_FLOW)
			lan_obs(an, s, o);
	}
	/* unanswered flows last: what the capture shows of the host
	 * itself (its ARP for a remote address, its RST) explains them,
	 * wherever in the capture it comes */
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		const struct iface *f = site_iface_by_dev(s, o->iface);
		if (o->kind == OBS_CAP_FLOW && f &&
		    (f->role == ROLE_LAN || f->role == ROLE_OPT))
			lan_obs(an, s, o);
	}
	disappearing(an, s);
}
