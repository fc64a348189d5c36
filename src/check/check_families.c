/* Failure families from real cases (doc/behaviour/field-families.md):
 * blocked later fragments, ESP lost on the path, a peer name that does
 * not lead to the peer, a 0.0.0.0/0 phase 2 that takes local traffic,
 * the outer packet leaving by another interface, known defects. Each
 * decides from evidence where it can; from config only what is certain,
 * and then at most a warning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "engine/log_tracker.h"
#include "engine/natt.h"
#include "engine/route.h"

static const char *
proto_word(unsigned p)
{
	return p == PROTO_TCP	? "tcp"
	       : p == PROTO_UDP ? "udp"
	       : p == 1		? "icmp"
				: "ip";
}

static bool
same_addr(const struct ipaddr *a, const struct ipaddr *b)
{
	return ipaddr_cmp(a, b) == 0;
}

/* ---- §6 later fragments blocked (filter log) ---- */

static bool
tunnel_iface(const struct site *s, const char *dev)
{
	const struct iface *f = dev ? site_iface_by_dev(s, dev) : NULL;
	if (f)
		return f->role == ROLE_ENC || f->role == ROLE_VTI;
	return dev &&
	       (strncmp(dev, "enc", 3) == 0 || strncmp(dev, "ipsec", 5) == 0);
}

/* A block rule the admin wrote for these hosts decides them by design
 * (blocked-by-rule), fragments or not: only the default deny and
 * catch-all blocks are this family's. */
bool
check_frag_on_tunnel(struct analysis *an, const struct site *s,
		     const struct observation *o)
{
	if (o->kind != OBS_FW_BLOCK || o->value != OBS_FW_FRAGMENT ||
	    !tunnel_iface(s, o->iface))
		return false;
	if (s->kind == SITE_LINUX || o->tracker == NULL)
		return true;
	struct lt_context ctx = {.known = true,
				 .ipver = 4,
				 .proto = o->proto,
				 .dir = o->dir,
				 .block = true,
				 .dport = o->dport,
				 .src = o->src,
				 .dst = o->dst};
	struct lt_result r = log_tracker_join(an->ar, s, o->tracker, &ctx);
	return check_by_design(r.rule) == NULL;
}

/* The flow's unfragmented packets are blocked too: the rule for the
 * flow is missing and another finding names it. */
static bool
whole_flow_blocked(const struct site *s, const struct observation *fr)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind == OBS_FW_BLOCK && o->value != OBS_FW_FRAGMENT &&
		    o->proto == fr->proto && o->iface && fr->iface &&
		    strcmp(o->iface, fr->iface) == 0 &&
		    same_addr(&o->src, &fr->src) &&
		    same_addr(&o->dst, &fr->dst))
			return true;
	}
	return false;
}

static const char *
frag_fix(struct arena *ar, const struct site *s)
{
	const char *stop = "Better still, stop the fragmentation: lower the "
			   "sender's MTU, or send large messages (SIP, "
			   "Kerberos) over TCP with MSS clamping.";
	if (s->kind == SITE_PFSENSE && site_version_at_least(s, 2, 6))
		return arena_printf(
		    ar,
		    "On %s, System > Advanced > Firewall & NAT, VPN Packet "
		    "Processing: check 'IP Fragment Reassemble' "
		    "(<vpn_fragment_reassemble/>, pfSense 2.6.0 and later): pf "
		    "then hands the rules only complete packets; or pass these "
		    "hosts on Firewall > Rules > IPsec with a rule that names "
		    "no ports and no TCP flags. %s",
		    s->name, stop);
	return arena_printf(ar,
			    "On %s, pass these hosts on Firewall > Rules > "
			    "IPsec with a rule that names no ports and no TCP "
			    "flags (or have the firewall reassemble fragments "
			    "of tunnel traffic). %s",
			    s->name, stop);
}

static void
frag_one(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	struct finding *f = check_finding(an, CHK_FRAG_BLOCKED, s, o->iface);
	f->confidence = CONF_CONFIRMED;
	const char *what =
	    arena_printf(ar, "%s -> %s %s, %llu fragments",
			 ipaddr_str(ar, &o->src), ipaddr_str(ar, &o->dst),
			 proto_word(o->proto), (unsigned long long)o->count);
	if (f->summary == NULL) {
		f->summary = arena_printf(ar,
					  "%s blocks fragments of tunnel "
					  "traffic on %s (e.g. %s)",
					  s->name, o->iface, what);
		f->detail =
		    "The firewall log shows IPv4 fragments blocked (flag '+' "
		    "or a fragment offset; a later fragment's line ends after "
		    "the addresses: it carries no ports). pf "
		    "does not reassemble VPN traffic by default, and a rule "
		    "that names ports or TCP flags (every TCP pass rule has "
		    "'flags S/SA') cannot match a later fragment, so the "
		    "fragments fall to the default deny and the whole "
		    "datagram is lost: small packets pass, large UDP (SIP, "
		    "Kerberos, SNMP, DNS) or a segment the path fragments "
		    "does not (doc/behaviour/field-families.md §6).";
		f->fix = frag_fix(ar, s);
	}
	if (f->nev < 8)
		finding_evidence(ar, f, EVREF_LOG, &o->where, what);
}

static void
fam_fragments(struct analysis *an, struct site *s)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (!check_frag_on_tunnel(an, s, o) || whole_flow_blocked(s, o))
			continue;
		frag_one(an, s, o);
	}
}

/* ---- §5 ESP filtered on the path (captures of both ends) ---- */

static void
cap_span(const struct site *s, double *lo, double *hi)
{
	*lo = *hi = 0;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind < OBS_CAP_FLOW || o->kind > OBS_CAP_CLEARTEXT ||
		    o->first_ts == 0)
			continue;
		if (*lo == 0 || o->first_ts < *lo)
			*lo = o->first_ts;
		if (o->last_ts > *hi)
			*hi = o->last_ts;
	}
}

/* The finding already made for the other direction (b's ESP lost on
 * its way to a): ESP dropped both ways between the same two ends is one
 * cause, so this direction joins it (doc/ARCHITECTURE.md §4). */
static struct finding *
path_reverse(struct analysis *an, const struct site *b, const char *both)
{
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (f->id != CHK_ESP_PATH_FILTERED || f->site == NULL ||
		    strcmp(f->site, b->name) != 0 || f->summary == NULL)
			continue;
		if (strstr(f->summary, "both ways") == NULL)
			f->summary =
			    arena_printf(an->ar, "%s; %s", f->summary, both);
		return f;
	}
	return NULL;
}

/* B's capture: the IKE between the two addresses (so it looks at the
 * right wire at the right time), B's own ESP to A (so no capture filter
 * left ESP out), and no ESP from src to dst. */
static const struct observation *
ike_without_esp(const struct site *b, const struct observation *esp)
{
	const struct observation *ike = NULL;
	bool own_esp = false;
	for (size_t i = 0; i < b->ev.nobs; i++) {
		const struct observation *o = &b->ev.obs[i];
		own_esp = own_esp || (o->kind == OBS_CAP_ESP && o->count &&
				      o->proto == PROTO_ESP &&
				      same_addr(&o->src, &esp->dst) &&
				      same_addr(&o->dst, &esp->src));
	}
	if (!own_esp)
		return NULL;
	for (size_t i = 0; i < b->ev.nobs; i++) {
		const struct observation *o = &b->ev.obs[i];
		bool fwd = same_addr(&o->src, &esp->src) &&
			   same_addr(&o->dst, &esp->dst);
		bool rev = same_addr(&o->src, &esp->dst) &&
			   same_addr(&o->dst, &esp->src);
		if (o->kind == OBS_CAP_ESP && fwd && o->count)
			return NULL;
		if (o->kind == OBS_CAP_IKE && (fwd || rev) && ike == NULL)
			ike = o;
	}
	return ike;
}

static void
esp_one(struct analysis *an, struct site *a, struct site *b,
	const struct observation *o, const struct observation *ike)
{
	struct arena *ar = an->ar;
	const char *src = ipaddr_str(ar, &o->src),
		   *dst = ipaddr_str(ar, &o->dst);
	struct finding *r = path_reverse(
	    an, b,
	    arena_printf(ar, "nor ESP from %s to %s: lost both ways", a->name,
			 b->name));
	if (r) {
		finding_evidence(ar, r, EVREF_CAPTURE, &o->where,
				 arena_printf(ar, "%llu ESP packets %s -> %s",
					      (unsigned long long)o->count, src,
					      dst));
		finding_evidence(ar, r, EVREF_CAPTURE, &ike->where,
				 arena_printf(ar,
					      "%s sees IKE between %s and %s, "
					      "no ESP from %s",
					      b->name, src, dst, src));
		return;
	}
	struct finding *f = check_finding(an, CHK_ESP_PATH_FILTERED, a,
					  arena_printf(ar, "%s>%s", src, dst));
	f->confidence = CONF_CONFIRMED;
	if (f->summary)
		return;
	f->summary = arena_printf(ar,
				  "ESP from %s (%s) to %s (%s) never arrives, "
				  "while IKE between them does",
				  a->name, src, b->name, dst);
	f->detail = arena_printf(
	    ar,
	    "%s's capture shows %llu ESP packets (IP protocol 50, SPI "
	    "0x%08x) sent to %s; %s's capture over the same time has the "
	    "IKE packets between the two addresses but no ESP from %s. No "
	    "NAT is seen between them, so ESP travels as plain protocol 50, "
	    "which some providers, cloud networks and middleboxes drop "
	    "while they pass UDP (doc/behaviour/field-families.md §5).",
	    a->name, (unsigned long long)o->count, (unsigned)o->value, dst,
	    b->name, src);
	finding_evidence(ar, f, EVREF_CAPTURE, &o->where,
			 arena_printf(ar, "%llu ESP packets %s -> %s",
				      (unsigned long long)o->count, src, dst));
	finding_evidence(ar, f, EVREF_CAPTURE, &ike->where,
			 arena_printf(ar,
				      "%s sees IKE between %s and %s, no ESP "
				      "from %s",
				      b->name, src, dst, src));
	f->fix = "Force UDP encapsulation on both ends so ESP travels in UDP "
		 "4500 like IKE: pfSense, VPN > IPsec > Tunnels, the phase 1: "
		 "NAT Traversal 'Force'; OPNsense, the phase 1's NAT "
		 "Traversal 'Force' (legacy tunnels) or the connection's UDP "
		 "encapsulation (Connections); strongSwan, 'encap = yes' in "
		 "the connection. Or have the provider pass IP protocol 50.";
}

static void
fam_esp_path(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		struct site *a = an->sites[i];
		for (size_t k = 0; k < a->ev.nobs; k++) {
			const struct observation *o = &a->ev.obs[k];
			if (o->kind != OBS_CAP_ESP || o->proto != PROTO_ESP ||
			    o->dir != PDIR_OUT || o->count == 0)
				continue;
			for (size_t j = 0; j < an->nsites; j++) {
				struct site *b = an->sites[j];
				if (b == a || !b->ev.has_capture ||
				    !site_is_own_addr(b, &o->dst))
					continue;
				double lo, hi;
				cap_span(b, &lo, &hi);
				if (lo && o->first_ts &&
				    (o->first_ts > hi || o->last_ts < lo))
					continue; /* not the same time */
				const struct observation *ike =
				    ike_without_esp(b, o);
				if (ike)
					esp_one(an, a, b, o, ike);
			}
		}
	}
}

/* Both ends' SA status: A counts packets out on SPI x, B holds the
 * same SA (inbound SPI x) and counts none in. ESP was lost on the path
 * or at B's WAN before pf logged anything: suspected, a warning that
 * says which captures settle it. */
static const struct observation *
sa_in_peer(const struct site *b, uint32_t spi)
{
	for (size_t i = 0; spi && i < b->ev.nobs; i++) {
		const struct observation *o = &b->ev.obs[i];
		if (o->kind == OBS_SA && o->value == spi)
			return o;
	}
	return NULL;
}

static bool
site_has(const struct analysis *an, const struct site *s, enum finding_id id)
{
	for (size_t i = 0; i < an->fs.n; i++)
		if (an->fs.f[i].id == id && an->fs.f[i].site &&
		    strcmp(an->fs.f[i].site, s->name) == 0)
			return true;
	return false;
}

static void
esp_status_one(struct analysis *an, struct site *a, struct site *b,
	       const struct observation *o, const struct observation *in)
{
	struct arena *ar = an->ar;
	const char *key = arena_printf(ar, "spi %08x", (unsigned)o->spi_out);
	struct finding *r = path_reverse(
	    an, b,
	    arena_printf(ar,
			 "nor do %s's %llu on SPI %08x reach %s: lost "
			 "both ways",
			 a->name, (unsigned long long)o->count,
			 (unsigned)o->spi_out, b->name));
	if (r) {
		finding_evidence(ar, r, EVREF_STATUS, &o->where,
				 arena_printf(ar, "%s: %llu packets out",
					      o->text ? o->text : "SA",
					      (unsigned long long)o->count));
		finding_evidence(ar, r, EVREF_STATUS, &in->where,
				 arena_printf(ar, "%s: 0 packets in",
					      in->text ? in->text : "SA"));
		return;
	}
	struct finding *f = check_finding(an, CHK_ESP_PATH_FILTERED, a, key);
	if (f->summary)
		return;
	f->severity = SEV_WARNING;
	f->confidence = CONF_SUSPECTED;
	f->summary = arena_printf(ar,
				  "%s sent %llu ESP packets on SPI %08x; %s's "
				  "same SA counts none in",
				  a->name, (unsigned long long)o->count,
				  (unsigned)o->spi_out, b->name);
	f->detail = arena_printf(
	    ar,
	    "Both ends' SA status show the SA pair, without UDP "
	    "encapsulation: the packets %s encrypted never reached %s's "
	    "kernel. %s, so the path (a provider, cloud network or middlebox "
	    "dropping IP protocol 50) is the likely place; a capture on %s's "
	    "WAN that shows the IKE but not this ESP confirms it "
	    "(doc/behaviour/field-families.md §5).",
	    a->name, b->name,
	    b->has_config
		? arena_printf(ar, "Nothing in %s's config blocks ESP", b->name)
		: arena_printf(ar,
			       "%s's config is not given: its WAN rules may "
			       "drop ESP too",
			       b->name),
	    b->name);
	finding_evidence(ar, f, EVREF_STATUS, &o->where,
			 arena_printf(ar, "%s: %llu packets out",
				      o->text ? o->text : "SA",
				      (unsigned long long)o->count));
	finding_evidence(
	    ar, f, EVREF_STATUS, &in->where,
	    arena_printf(ar, "%s: 0 packets in", in->text ? in->text : "SA"));
	f->fix = "Capture on both WANs while traffic flows (Diagnostics > "
		 "Packet Capture, protocol ESP and UDP 500): ESP leaving one "
		 "end and missing at the other confirms it. Then force UDP "
		 "encapsulation (NAT-T 'Force', swanctl 'encap = yes') on both "
		 "ends, or have the provider pass IP protocol 50.";
	findings_collect(ar, &an->fs, SEC_WAN_BLOCKS, b->name,
			 "a WAN capture on both ends while traffic flows "
			 "(ESP and UDP 500/4500)");
}

static void
fam_esp_status(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		struct site *a = an->sites[i];
		for (size_t k = 0; k < a->ev.nobs; k++) {
			const struct observation *o = &a->ev.obs[k];
			if (o->kind != OBS_SA || o->count == 0 ||
			    o->spi_out == 0 || o->dport == 4500 ||
			    o->sport == 4500)
				continue;
			for (size_t j = 0; j < an->nsites; j++) {
				struct site *b = an->sites[j];
				const struct observation *in =
				    b == a ? NULL : sa_in_peer(b, o->spi_out);
				/* B sends on the pair: its counters are
				 * live, not a snapshot from before */
				if (in && in->count_rev == 0 && in->count &&
				    !site_has(an, b, CHK_WAN_VPN_BLOCKED) &&
				    !site_has(an, a, CHK_ESP_PATH_FILTERED))
					esp_status_one(an, a, b, o, in);
			}
		}
	}
}

/* ---- §2 the peer by name: does not resolve, or is elsewhere ---- */

/* Did the connection come up after time t (IKE or CHILD_SA established
 * in the log, or an installed SA)? */
static bool
conn_up_after(const struct site *s, const char *conn, double t)
{
	/* a line without the connection's name: any tunnel coming up
	 * counts (the milder reading) */
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (conn && (o->conn == NULL || strcmp(o->conn, conn) != 0))
			continue;
		if (o->kind == OBS_SA)
			return true;
		if (o->kind == OBS_IKE_LOG && o->action &&
		    (strcmp(o->action, "ike-up") == 0 ||
		     strcmp(o->action, "child-up") == 0) &&
		    o->first_ts >= t)
			return true;
	}
	return false;
}

/* "unable to resolve NAME, initiate aborted": NAME. */
static const char *
resolve_name(struct arena *ar, const char *t)
{
	const char *p = strstr(t, "unable to resolve ");
	/* only the initiation's (ike_sa.c), not "gateway ID ... redirect" */
	if (p == NULL || (strstr(t, "initiate aborted") == NULL &&
			  strstr(t, ", retry") == NULL))
		return NULL;
	p += strlen("unable to resolve ");
	size_t n = strcspn(p, ", ");
	return n ? arena_printf(ar, "%.*s", (int)n, p) : NULL;
}

static void
unresolved_one(struct analysis *an, struct site *s, const struct observation *o,
	       const char *name)
{
	struct arena *ar = an->ar;
	bool any = strcmp(name, "%any") == 0 || strcmp(name, "0.0.0.0") == 0;
	const struct phase1 *p1 = site_p1_named(s, o->conn);
	struct finding *f = check_finding(an, CHK_DYNDNS_PEER, s, name);
	f->confidence = CONF_CONFIRMED;
	if (f->summary == NULL) {
		const char *tun =
		    p1 ? arena_printf(ar, "phase 1 '%s'",
				      p1->descr ? p1->descr : p1->remote)
		       : arena_printf(ar, "connection %s",
				      o->conn ? o->conn : "?");
		f->summary =
		    any ? arena_printf(ar,
				       "%s cannot start %s: its remote "
				       "address is any (%%any)",
				       s->name, tun)
			: arena_printf(ar,
				       "%s: the peer name %s of %s did not "
				       "resolve, so no IKE was sent",
				       s->name, name, tun);
		f->detail =
		    any ? "charon aborts an initiation that has no address "
			  "to send IKE to ('unable to resolve %any, initiate "
			  "aborted'); the tunnel comes up only when the peer "
			  "starts it (doc/behaviour/field-families.md §2)."
			: "charon resolves the peer's name each time it "
			  "starts the tunnel; it had no address then, so the "
			  "initiation was aborted. With a DynDNS name, the "
			  "peer's update or this firewall's DNS resolver is "
			  "at fault (doc/behaviour/field-families.md §2).";
		f->fix =
		    any ? arena_printf(
			      ar,
			      "On %s, set the phase 1's Remote Gateway "
			      "(OPNsense Connections: Remote addresses) to "
			      "the peer's DynDNS name or address; or leave "
			      "it 'any', make this end responder only and "
			      "let the peer start the tunnel.",
			      s->name)
			: arena_printf(
			      ar,
			      "On %s, look the name up from the firewall "
			      "(Diagnostics > DNS Lookup) and check the "
			      "DNS servers it uses; at the peer, check that "
			      "its DynDNS client updates the name.",
			      s->name);
		if (p1)
			finding_evidence(
			    ar, f, EVREF_CONFIG, &p1->loc,
			    arena_printf(ar, "remote gateway %s",
					 p1->remote ? p1->remote : "any"));
	}
	if (conn_up_after(s, o->conn, o->first_ts)) {
		f->severity = SEV_INFO;
		f->detail = arena_printf(ar,
					 "%s Later the tunnel came up: this "
					 "explains an outage, not the state "
					 "now.",
					 f->detail);
	}
	if (f->nev < 6)
		finding_evidence(ar, f, EVREF_LOG, &o->where, o->text);
}

/* Another given site whose phase 1 points at one of s's addresses and
 * that sits at a public address of its own: where s's peer really is. */
static bool
peer_site_addr(struct analysis *an, const struct site *s,
	       const struct site **peer, struct ipaddr *at,
	       const struct phase1 **q1)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *b = an->sites[i];
		if (b == s || !b->has_config)
			continue;
		for (size_t k = 0; k < b->np1; k++) {
			const struct phase1 *q = &b->p1[k];
			struct ipaddr w;
			if (q->disabled || !q->peer_known ||
			    !site_is_own_addr(s, &q->peer) ||
			    !p1_local_addr(b, q, &w) || natt_private_addr(&w))
				continue;
			*peer = b;
			*at = w;
			*q1 = q;
			return true;
		}
	}
	return false;
}

/* An address some phase 1 of s names: IKE to it is another tunnel's. */
static bool
known_peer(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->np1; i++)
		if (s->p1[i].peer_known && same_addr(&s->p1[i].peer, a))
			return true;
	return false;
}

/* "initiating IKE_SA con1[1] to 203.0.113.9": the address. */
static bool
initiate_target(const struct observation *o, struct ipaddr *to)
{
	const char *p = o->text ? strstr(o->text, " to ") : NULL;
	if (p == NULL)
		return false;
	p += 4;
	size_t n = strcspn(p, " []");
	return ipaddr_parse((struct str){p, n}, to);
}

static bool named_peer(const struct phase1 *p1);

/* A capture names no connection: its IKE to an unknown address is this
 * phase 1's only when it is the site's one peer given by name. */
static bool
one_named(const struct site *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->np1; i++)
		n += named_peer(&s->p1[i]);
	return n == 1;
}

/* The IKE log or a capture shows s sending IKE for p1 to *to, and
 * nothing answering from there (no IKE_SA up, no IKE back). */
static const struct observation *
ike_sent_unanswered(const struct site *s, const struct phase1 *p1,
		    struct ipaddr *to)
{
	const struct observation *sent = NULL;
	for (size_t i = 0; i < s->ev.nobs && sent == NULL; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind == OBS_IKE_LOG && o->action &&
		    strcmp(o->action, "ike-initiate") == 0 &&
		    site_p1_named(s, o->conn) == p1 && initiate_target(o, to))
			sent = o;
		else if (o->kind == OBS_CAP_IKE && o->count && one_named(s) &&
			 site_is_own_addr(s, &o->src) &&
			 !site_is_own_addr(s, &o->dst) &&
			 !known_peer(s, &o->dst)) {
			*to = o->dst;
			sent = o;
		}
	}
	if (sent == NULL)
		return NULL;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind == OBS_CAP_IKE && same_addr(&o->src, to))
			return NULL; /* it answers: a NAT forwards it */
		if (o->kind == OBS_IKE_LOG && o->action &&
		    strcmp(o->action, "ike-up") == 0 &&
		    site_p1_named(s, o->conn) == p1)
			return NULL;
	}
	return sent;
}

/* ike-no-response at s is the symptom of the stale name: its evidence
 * joins *fp (one root cause per failure). Only when s has one phase 1,
 * else it may be another tunnel's. */
static void
absorb_no_response(struct analysis *an, const struct site *s,
		   struct finding **fp)
{
	for (size_t i = 0; s->np1 == 1 && i < an->fs.n; i++) {
		struct finding *g = &an->fs.f[i];
		if (g->id != CHK_IKE_NO_RESPONSE || g->site == NULL ||
		    strcmp(g->site, s->name) != 0 || g == *fp)
			continue;
		size_t fi = (size_t)(*fp - an->fs.f);
		for (size_t k = 0; k < g->nev && (*fp)->nev < 12; k++)
			finding_evidence(
			    an->ar, *fp, g->ev[k].kind, &g->ev[k].loc,
			    arena_printf(an->ar, "%s (ike-no-response)",
					 g->ev[k].text));
		findings_remove(&an->fs, i);
		*fp = &an->fs.f[i < fi ? fi - 1 : fi];
		return;
	}
}

static void
stale_one(struct analysis *an, struct site *s, const struct phase1 *p1)
{
	struct arena *ar = an->ar;
	const struct site *b;
	const struct phase1 *q;
	struct ipaddr w, to;
	if (!peer_site_addr(an, s, &b, &w, &q))
		return;
	const struct observation *o = ike_sent_unanswered(s, p1, &to);
	if (o == NULL || same_addr(&to, &w) || site_is_own_addr(b, &to))
		return;
	struct finding *f =
	    check_finding(an, CHK_DYNDNS_PEER, s, check_loc(ar, &p1->loc));
	if (f->summary)
		return;
	f->severity = SEV_ERROR;
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(
	    ar,
	    "%s sends IKE for phase 1 '%s' (peer %s) to %s, but %s is at %s",
	    s->name, p1->descr ? p1->descr : "", p1->remote,
	    ipaddr_str(ar, &to), b->name, ipaddr_str(ar, &w));
	f->detail = arena_printf(
	    ar,
	    "The phase 1 names its peer by the name %s; the firewall "
	    "resolved it to %s and gets no answer from there, while %s's own "
	    "config puts its tunnel on %s. The name is stale: the peer's "
	    "address changed and its DNS record (DynDNS) was not updated, "
	    "or this firewall still holds the old answer "
	    "(doc/behaviour/field-families.md §2).",
	    p1->remote, ipaddr_str(ar, &to), b->name, ipaddr_str(ar, &w));
	finding_evidence(ar, f, EVREF_CONFIG, &p1->loc,
			 arena_printf(ar, "remote gateway %s", p1->remote));
	finding_evidence(ar, f,
			 o->kind == OBS_IKE_LOG ? EVREF_LOG : EVREF_CAPTURE,
			 &o->where, o->text ? o->text : "IKE sent");
	finding_evidence(ar, f, EVREF_CONFIG, &q->loc,
			 arena_printf(ar, "%s's phase 1 toward %s, on %s",
				      b->name, s->name, ipaddr_str(ar, &w)));
	f->fix = arena_printf(
	    ar,
	    "Update the DNS record of %s to %s (check the peer's DynDNS "
	    "client), or set the phase 1's Remote Gateway on %s to the "
	    "address; then restart the tunnel so the name is resolved "
	    "again.",
	    p1->remote, ipaddr_str(ar, &w), s->name);
	absorb_no_response(an, s, &f);
}

static bool
named_peer(const struct phase1 *p1)
{
	return !p1->disabled && !p1->mobile && !p1->peer_known && p1->remote &&
	       *p1->remote && strcmp(p1->remote, "0.0.0.0") != 0 &&
	       strcmp(p1->remote, "::") != 0 &&
	       strcmp(p1->remote, "%any") != 0 &&
	       strcmp(p1->remote, "any") != 0;
}

static void
fam_peer_name(struct analysis *an, struct site *s)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		const char *name;
		if (o->kind == OBS_IKE_LOG && o->action && o->text &&
		    strcmp(o->action, "resolve-failed") == 0 &&
		    (name = resolve_name(an->ar, o->text)) != NULL)
			unresolved_one(an, s, o, name);
	}
	for (size_t i = 0; i < s->np1; i++)
		if (named_peer(&s->p1[i]))
			stale_one(an, s, &s->p1[i]);
}

void
check_families(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		struct site *s = an->sites[i];
		fam_fragments(an, s);
		fam_peer_name(an, s);
		check_families_config(an, s);
		check_known_issues(an, s);
	}
	fam_esp_path(an);
	fam_esp_status(an);
}
