/* SA status and IPsec daemon logs: installed children and their
 * negotiated selectors, counters, IKE errors. */
#include <string.h>

#include "check/check.h"
#include "check/params.h"
#include "engine/route.h"

static bool
sa_covers(const struct observation *o, const struct phase2 *p2)
{
	return prefix_overlaps(&o->ts_local, p2_visible_local(p2)) &&
	       prefix_overlaps(&o->ts_remote, &p2->remote.net);
}

static void
narrowed(struct analysis *an, struct site *s, const struct phase2 *p2,
	 const struct observation *o)
{
	struct arena *ar = an->ar;
	const struct prefix *l = p2_visible_local(p2);
	if (o->ts_local.len <= l->len && o->ts_remote.len <= p2->remote.net.len)
		return;
	struct finding *f = NULL;
	for (size_t i = 0; i < an->fs.n; i++)
		if (an->fs.f[i].id == CHK_P2_MISMATCH)
			f = &an->fs.f[i];
	if (f == NULL) {
		f = check_finding(an, CHK_P2_MISMATCH, s,
				  check_loc(ar, &p2->loc));
		f->summary = arena_printf(
		    ar,
		    "%s's SA for phase 2 '%s' was narrowed to %s === %s "
		    "(configured %s === %s): the other end's networks "
		    "differ",
		    s->name, p2->descr ? p2->descr : "",
		    prefix_str(ar, &o->ts_local), prefix_str(ar, &o->ts_remote),
		    prefix_str(ar, l), prefix_str(ar, &p2->remote.net));
		f->fix = "Make both ends' phase 2 networks mirror each other "
			 "(VPN > IPsec > Tunnels, or the peer's swanctl.conf "
			 "local_ts/remote_ts).";
	}
	f->confidence = CONF_CONFIRMED;
	finding_evidence(ar, f, EVREF_STATUS, &o->where,
			 arena_printf(ar, "installed %s: %s === %s (narrowed)",
				      o->text ? o->text : "child SA",
				      prefix_str(ar, &o->ts_local),
				      prefix_str(ar, &o->ts_remote)));
}

static void
sa_missing(struct analysis *an, struct site *s, const struct phase2 *p2)
{
	struct arena *ar = an->ar;
	struct finding *f =
	    check_finding(an, CHK_SA_MISSING, s, check_loc(ar, &p2->loc));
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(ar,
				  "phase 2 '%s' (%s === %s) has no "
				  "installed SA on %s",
				  p2->descr ? p2->descr : "",
				  prefix_str(ar, p2_visible_local(p2)),
				  prefix_str(ar, &p2->remote.net), s->name);
	f->detail =
	    "The tunnel may show 'established' (the IKE SA) while this "
	    "child was never negotiated or was deleted: its traffic has "
	    "no SA to use.";
	finding_evidence(ar, f, EVREF_CONFIG, &p2->loc, "configured here");
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == INPUT_SA_STATUS ||
		    s->inputs[i].kind == INPUT_CONFIGCTL) {
			struct srcloc l = {.file = s->inputs[i].path};
			finding_evidence(ar, f, EVREF_STATUS, &l,
					 "no child SA with these selectors");
		}
	f->fix =
	    arena_printf(ar,
			 "On %s, Status > IPsec: connect the child "
			 "(or 'swanctl --initiate --child NAME'); look in "
			 "the IPsec log for why it failed (TS_UNACCEPTABLE, "
			 "NO_PROPOSAL_CHOSEN).",
			 s->name);
}

static void
sa_one_way(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	/* count = packets out, count_rev = packets in (status importers) */
	bool out_only = o->count > 0 && o->count_rev == 0;
	bool in_only = o->count_rev > 0 && o->count == 0;
	if (!out_only && !in_only)
		return;
	struct finding *f =
	    check_finding(an, CHK_SA_ONE_WAY, s,
			  o->text ? o->text : check_loc(ar, &o->where));
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(
	    ar,
	    "SA %s (%s === %s) on %s carries traffic %s only: %llu "
	    "packets %s, none %s",
	    o->text ? o->text : "", prefix_str(ar, &o->ts_local),
	    prefix_str(ar, &o->ts_remote), s->name, out_only ? "out" : "in",
	    (unsigned long long)(out_only ? o->count : o->count_rev),
	    out_only ? "out" : "in", out_only ? "back" : "out");
	f->detail = out_only
			? "Encrypted packets leave but nothing returns: the "
			  "other end drops them (its WAN rules, selectors or "
			  "IPsec rules) or its replies do not enter its "
			  "tunnel (routing, gateway of the hosts)."
			: "Packets arrive through the tunnel but no reply "
			  "goes back into it: this end's hosts do not answer, "
			  "or the replies are routed elsewhere.";
	finding_evidence(ar, f, EVREF_STATUS, &o->where,
			 arena_printf(ar, "%s: %llu packets out, %llu in",
				      o->text ? o->text : "SA",
				      (unsigned long long)o->count,
				      (unsigned long long)o->count_rev));
	f->fix = "Trace the return direction on the other end: 'ipsecdiag "
		 "diagnose' with both sites, or capture on its IPsec and LAN "
		 "interfaces.";
}

/* The finding a log line confirms: one the config comparison already
 * made (any of ids, any site), else a new one of c at site s. */
static struct finding *
log_finding(struct analysis *an, struct site *s, enum finding_id c,
	    const enum finding_id *joins)
{
	for (size_t k = 0; joins && joins[k] != FINDING_NONE; k++)
		for (size_t i = 0; i < an->fs.n; i++)
			if (an->fs.f[i].id == joins[k])
				return &an->fs.f[i];
	return c == FINDING_NONE ? NULL : check_finding(an, c, s, NULL);
}

/* Lines that only say "it failed" (the initiator's AUTHENTICATION_FAILED
 * or NO_PROPOSAL_CHOSEN notify, a failed rekey): read after every site's
 * specific lines, so they join the cause the other end's log names. */
static bool
generic_kind(const struct observation *o)
{
	return o->action &&
	       (strcmp(o->action, "auth-failed") == 0 ||
		strcmp(o->action, "rekey-failed") == 0 ||
		(strcmp(o->action, "no-proposal") == 0 && o->received == NULL));
}

/* "looking for peer configs matching 198.51.100.2[198.51.100.2]...
 * 198.51.100.1[fqdn]": the identity the peer sent, NULL if not there. */
static const char *
peer_sent_id(struct arena *ar, const char *lookup)
{
	const char *d = lookup ? strstr(lookup, "...") : NULL;
	const char *b = d ? strchr(d, '[') : NULL;
	const char *e = b ? strchr(b, ']') : NULL;
	return e ? arena_strndup(ar, b + 1, (size_t)(e - b - 1)) : NULL;
}

/* "the peer sent X; this end accepts Y: no common DH group" from the
 * proposals charon printed before refusing (ike-parameters.md §2). */
static const char *
refused_detail(struct arena *ar, const struct observation *o)
{
	struct proposals rx = {0}, cf = {0};
	if (!o->received || !o->configured ||
	    !proposals_parse_printed(ar, o->received, &rx) ||
	    !proposals_parse_printed(ar, o->configured, &cf))
		return NULL;
	struct prop_select sel;
	if (proposals_select(&cf, &rx, false, &sel))
		return NULL; /* matched here: refused for another reason */
	return arena_printf(ar,
			    "The peer proposed %s; this end accepts %s: no "
			    "common %s.",
			    proposals_format(ar, &rx),
			    proposals_format(ar, &cf),
			    params_type_name(sel.fail_type));
}

/* A refused ESP/AH proposal that would match with the key exchange
 * left out: only the PFS groups differ (ike-parameters.md §3). */
static bool
refused_for_pfs(struct arena *ar, const struct observation *o)
{
	struct proposals rx = {0}, cf = {0};
	struct prop_select sel;
	return o->received && o->configured &&
	       proposals_parse_printed(ar, o->received, &rx) &&
	       proposals_parse_printed(ar, o->configured, &cf) &&
	       rx.proto != PROP_IKE && cf.proto != PROP_IKE &&
	       !proposals_select(&cf, &rx, false, &sel) &&
	       proposals_select(&cf, &rx, true, &sel);
}

/* The line of this site's log where a CHILD_SA of conn came up before
 * line `before`, 0 when none. */
static uint32_t
child_up_before(const struct site *s, const char *conn, const char *file,
		uint32_t before)
{
	uint32_t line = 0;
	for (size_t i = 0; conn && i < s->ev.nobs; i++) {
		const struct observation *x = &s->ev.obs[i];
		if (x->kind == OBS_IKE_LOG && x->action &&
		    strcmp(x->action, "child-up") == 0 && x->conn &&
		    strcmp(x->conn, conn) == 0 && x->where.file &&
		    strcmp(x->where.file, file) == 0 && x->where.line < before)
			line = x->where.line;
	}
	return line;
}

static void
pfs_from_log(struct analysis *an, struct site *s, const struct observation *o,
	     struct finding *f)
{
	struct arena *ar = an->ar;
	struct proposals rx = {0}, cf = {0};
	proposals_parse_printed(ar, o->received, &rx);
	proposals_parse_printed(ar, o->configured, &cf);
	uint32_t up = child_up_before(s, o->conn, o->where.file, o->where.line);
	if (f->summary == NULL) {
		f->summary = arena_printf(
		    ar,
		    "%s refused a CHILD_SA for its PFS group alone (the peer "
		    "proposed %s, %s accepts %s): the tunnel comes up, then "
		    "dies at the first rekey",
		    s->name, proposals_format(ar, &rx), s->name,
		    proposals_format(ar, &cf));
		f->fix = "Set the same PFS group at both ends (phase 2 PFS "
			 "key group; swanctl.conf: the DH group in "
			 "esp_proposals).";
	}
	if (f->detail == NULL || strstr(f->detail, "rekey") == NULL)
		f->detail = arena_printf(
		    ar,
		    "%s%sThe first CHILD_SA is built inside IKE_AUTH without "
		    "a key exchange, so the PFS groups are not compared then; "
		    "every later CREATE_CHILD_SA (the rekey, or a new child) "
		    "carries one and is refused with NO_PROPOSAL_CHOSEN "
		    "(doc/behaviour/ike-parameters.md §3).",
		    f->detail ? f->detail : "", f->detail ? " " : "");
	for (size_t i = 0; up && i < f->nev; i++)
		if (f->ev[i].loc.line == up && f->ev[i].loc.file &&
		    strcmp(f->ev[i].loc.file, o->where.file) == 0)
			up = 0; /* already cited */
	if (up && f->nev < 12)
		finding_evidence(
		    ar, f, EVREF_LOG, &(struct srcloc){o->where.file, up, 0, 0},
		    arena_printf(ar,
				 "CHILD_SA of '%s' up here, before the "
				 "refused rekey",
				 o->conn));
}

/* "DH group MODP_4096 unacceptable, requesting MODP_2048": the group
 * the responder wants, in strongSwan's keyword. */
static const char *
wanted_group(struct arena *ar, const char *t)
{
	const char *r = strstr(t, "requesting ");
	struct proposals ps = {0};
	if (r == NULL ||
	    !proposals_parse_printed(ar, arena_printf(ar, "IKE:%s", r + 11),
				     &ps) ||
	    ps.n != 1 || ps.p[0].n != 1 || ps.p[0].xf[0].type != XF_KE)
		return NULL;
	return arena_printf(ar,
			    "The responder wants DH group %s (%u) first; "
			    "the initiator sent a key exchange for another.",
			    xform_name(ar, &ps.p[0].xf[0]), ps.p[0].xf[0].id);
}

struct log_map {
	const char *kind;
	enum finding_id c;
	enum finding_id joins[6]; /* ends at FINDING_NONE */
	const char *fix;
};

static const struct log_map log_maps[] = {
    {"ts-unacceptable",
     CHK_P2_MISMATCH,
     {CHK_P2_MISMATCH},
     "Make both ends' phase 2 networks mirror each other."},
    {"no-proposal",
     CHK_PROPOSAL_MISMATCH,
     {CHK_PFS_MISMATCH, CHK_PROPOSAL_MISMATCH},
     "Give both ends a common encryption, integrity and DH group (VPN > "
     "IPsec > Tunnels, phase 1 and phase 2 proposals; 'ipsecdiag compare' "
     "shows both ends side by side)."},
    {"invalid-ke",
     CHK_PROPOSAL_MISMATCH,
     {CHK_PFS_MISMATCH, CHK_PROPOSAL_MISMATCH},
     "Use the same DH group first at both ends (phase 1 DH group, phase 2 "
     "PFS key group)."},
    {"auth-failed",
     CHK_IKE_AUTH_FAILED,
     {CHK_IKE_ID_MISMATCH, CHK_IKE_AUTH_MISMATCH},
     "Check the pre-shared key and the identifiers (My/Peer identifier) on "
     "both ends."},
    {"psk-missing",
     CHK_IKE_AUTH_FAILED,
     {CHK_IKE_ID_MISMATCH, CHK_IKE_AUTH_MISMATCH},
     "No pre-shared key matches the two identities: re-enter the key and "
     "check My/Peer identifier at both ends (re-saving phase 1 regenerates "
     "the secrets)."},
    {"no-peer-config",
     CHK_IKE_ID_MISMATCH,
     {CHK_IKE_ID_MISMATCH},
     "The identity the peer sends matches no phase 1 here: set the Peer "
     "identifier to what the peer sends (often its public address or FQDN "
     "behind NAT)."},
    {"psk-mismatch",
     CHK_IKE_AUTH_MISMATCH,
     {CHK_IKE_AUTH_MISMATCH},
     "The pre-shared keys differ: enter the same key at both ends (VPN > "
     "IPsec > Tunnels, phase 1 Pre-Shared Key; swanctl.conf: secrets)."},
    {"rekey-failed",
     FINDING_NONE,
     {CHK_PFS_MISMATCH, CHK_PROPOSAL_MISMATCH},
     NULL},
    {"invalid-id",
     CHK_IKE_AUTH_FAILED,
     {CHK_IKE_ID_MISMATCH, CHK_P2_MISMATCH},
     "IKEv1 refused the identities (phase 1 identifiers, or phase 2 "
     "networks): make them mirror each other."},
    {"give-up",
     CHK_IKE_NO_RESPONSE,
     {CHK_WAN_VPN_BLOCKED},
     "Nothing comes back from the peer: check its WAN rules (UDP 500/4500, "
     "ESP), NAT or port forwards on the path, and the remote gateway "
     "address; a capture on the WAN shows whether requests leave."},
    {"ike-state",
     CHK_IKE_SA_STUCK,
     {CHK_IKE_NO_RESPONSE, CHK_PROPOSAL_MISMATCH, CHK_IKE_ID_MISMATCH,
      CHK_IKE_AUTH_MISMATCH},
     "The IKE exchange does not complete: see the IPsec log of both ends "
     "(no answer, NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED) or run "
     "'ipsecdiag compare' on both configs."},
    {"duplicate",
     CHK_IKE_REKEY_COLLISION,
     {FINDING_NONE},
     "Let one end initiate (the other responder only), or lengthen and "
     "randomize the rekey times so both do not rekey at once."},
    {"collision",
     CHK_IKE_REKEY_COLLISION,
     {FINDING_NONE},
     "Let one end initiate (the other responder only), or lengthen and "
     "randomize the rekey times so both do not rekey at once."},
};

/* Does the SA status show an installed child of this connection? */
static bool
conn_has_child(const struct site *s, const char *conn)
{
	for (size_t i = 0; conn && i < s->ev.nobs; i++)
		if (s->ev.obs[i].kind == OBS_SA && s->ev.obs[i].conn &&
		    strcmp(s->ev.obs[i].conn, conn) == 0)
			return true;
	return false;
}

/* The line of the last obs of kind k for conn in file within (lo, hi),
 * 0 when none. */
static uint32_t
conn_event(const struct site *s, const struct observation *o, const char *k,
	   uint32_t lo, uint32_t hi)
{
	uint32_t line = 0;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *x = &s->ev.obs[i];
		if (x->kind == OBS_IKE_LOG && x->action &&
		    strcmp(x->action, k) == 0 && x->conn &&
		    strcmp(x->conn, o->conn) == 0 && x->where.file &&
		    strcmp(x->where.file, o->where.file) == 0 &&
		    x->where.line > lo && x->where.line < hi)
			line = x->where.line;
	}
	return line;
}

/* A DPD of an established IKE_SA got no answer (the peer crashed,
 * restarted or vanished), charon gave up and cleared it, and nothing
 * started the connection again, in the log or in the SA status
 * (ike-parameters.md §7, §9). 0, or the line of the DPD request. */
static uint32_t
dpd_teardown(const struct site *s, const struct observation *o)
{
	if (o->conn == NULL || o->where.file == NULL ||
	    strcmp(o->action, "give-up") != 0 || conn_has_child(s, o->conn))
		return 0;
	uint32_t up = conn_event(s, o, "ike-up", 0, o->where.line);
	uint32_t dpd = conn_event(s, o, "dpd", up, o->where.line);
	if (up == 0 || dpd == 0)
		return 0;
	static const char *const again[] = {"ike-up", "child-up",
					    "ike-initiate"};
	for (size_t k = 0; k < 3; k++)
		if (conn_event(s, o, again[k], o->where.line, UINT32_MAX))
			return 0;
	return dpd;
}

static void
stays_down_from_log(struct analysis *an, struct site *s,
		    const struct observation *o, uint32_t dpd)
{
	struct arena *ar = an->ar;
	/* trap policies stay installed after a DPD clear and log nothing:
	 * the next packet starts it again */
	const struct phase1 *p1 = site_p1_named(s, o->conn);
	int rec = p1 ? params_p1_recovers(s, p1) : -1;
	if (rec == 1)
		return;
	static const enum finding_id joins[] = {CHK_TUNNEL_STAYS_DOWN,
						FINDING_NONE};
	struct finding *f = log_finding(an, s, CHK_TUNNEL_STAYS_DOWN, joins);
	f->confidence = CONF_CONFIRMED;
	/* the config says nothing restarts it: down now, an error; without
	 * it, a trap start action would bring it back on the next packet */
	if (rec == 0)
		f->severity = SEV_ERROR;
	bool assumed = f->summary == NULL && rec < 0;
	if (f->summary == NULL) {
		f->summary = arena_printf(
		    ar,
		    "%s's tunnel '%s' was cleared by DPD (the peer stopped "
		    "answering) and nothing started it again: it stays "
		    "down until restarted by hand",
		    s->name, o->conn);
		f->detail = "Dead peer detection gave up on the peer, which "
			    "had crashed, restarted or vanished, and cleared "
			    "the SA (DPD action clear); neither a start action "
			    "trap nor a DPD or close action restart brings it "
			    "back, and the peer, responder only, never starts "
			    "it (doc/behaviour/ike-parameters.md §7).";
		f->fix = arena_printf(
		    ar,
		    "On %s, let the tunnel come back by itself: start "
		    "action trap (pfSense: Child SA Start Action), or DPD "
		    "action restart / close action start; or let the peer "
		    "initiate too.",
		    s->name);
	}
	if (assumed)
		f->detail = arena_printf(
		    ar,
		    "%s Without %s's configuration this rests on the log "
		    "alone: with start action trap the next packet would "
		    "start it again (trap policies log nothing); its "
		    "swanctl.conf or config.xml settles it.",
		    f->detail, s->name);
	finding_evidence(ar, f, EVREF_LOG,
			 &(struct srcloc){o->where.file, dpd, 0, 0},
			 arena_printf(ar, "DPD request for '%s'", o->conn));
	finding_evidence(ar, f, EVREF_LOG, &o->where,
			 o->text ? o->text : "giving up");
	/* the peer's side: its charon started again after the SA was up */
	for (size_t k = 0; k < an->nsites; k++) {
		const struct site *p = an->sites[k];
		uint32_t up = 0;
		for (size_t i = 0; p != s && i < p->ev.nobs && f->nev < 12;
		     i++) {
			const struct observation *x = &p->ev.obs[i];
			if (x->kind != OBS_IKE_LOG || x->action == NULL)
				continue;
			if (strcmp(x->action, "ike-up") == 0)
				up = x->where.line;
			else if (up && strcmp(x->action, "daemon-start") == 0)
				finding_evidence(ar, f, EVREF_LOG, &x->where,
						 "the peer's charon started "
						 "again: it lost the SA");
		}
	}
}

/* A log event that is not about the site-to-site tunnels diagnosed:
 * a remote-access user's XAuth or EAP login, an IKE SA of a connection
 * no site-to-site phase 1 here is (a mobile client, another tunnel),
 * or an INVALID_KE the initiator answered by retrying with the group
 * asked for, after which a proposal was selected or an IKE SA came up
 * (RFC 7296 §1.2;
 * doc/behaviour/real-bundles.md §5). */
static bool
log_not_ours(const struct site *s, const struct observation *o)
{
	const char *t = o->text ? o->text : "";
	if (strcmp(o->action, "auth-failed") == 0 &&
	    (strstr(t, "XAuth") || strstr(t, "EAP")))
		return true;
	if (o->conn && s->np1) {
		bool ours = false;
		for (size_t i = 0; i < s->np1; i++)
			ours = ours || (p1_named(&s->p1[i], o->conn) &&
					!s->p1[i].mobile);
		if (!ours)
			return true;
	}
	if (strcmp(o->action, "invalid-ke") == 0)
		for (size_t i = 0; i < s->ev.nobs; i++) {
			const struct observation *u = &s->ev.obs[i];
			if (u->kind == OBS_IKE_LOG && u->action &&
			    (strcmp(u->action, "ike-up") == 0 ||
			     strcmp(u->action, "proposal") == 0) &&
			    u->where.file == o->where.file &&
			    u->where.line > o->where.line &&
			    (!o->conn || !u->conn ||
			     strcmp(o->conn, u->conn) == 0))
				return true;
		}
	return false;
}

static void
ike_log(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	const char *t = o->text ? o->text : "";
	const struct log_map *m = NULL;
	for (size_t i = 0;
	     o->action && i < sizeof(log_maps) / sizeof(*log_maps); i++)
		if (strcmp(o->action, log_maps[i].kind) == 0)
			m = &log_maps[i];
	if (m == NULL)
		return;
	bool status = strcmp(m->kind, "ike-state") == 0;
	if (!status && log_not_ours(s, o))
		return;
	if (status && conn_has_child(s, o->conn))
		return; /* another IKE_SA of it is up: a second initiation */
	uint32_t dpd = dpd_teardown(s, o);
	if (dpd) {
		stays_down_from_log(an, s, o, dpd);
		return;
	}
	/* refused for the PFS group alone after a CHILD_SA of it was up: a
	 * rekey (a first child refused so is IKEv1, or a new child: a plain
	 * proposal mismatch) */
	bool pfs = strcmp(m->kind, "no-proposal") == 0 &&
		   refused_for_pfs(ar, o) &&
		   child_up_before(s, o->conn, o->where.file, o->where.line);
	static const enum finding_id pfs_joins[] = {CHK_PFS_MISMATCH,
						    FINDING_NONE};
	struct finding *f =
	    pfs ? log_finding(an, s, CHK_PFS_MISMATCH, pfs_joins)
		: log_finding(an, s, m->c, m->joins);
	if (f == NULL)
		return; /* a symptom with no cause found to join */
	f->confidence = CONF_CONFIRMED;
	if (pfs)
		pfs_from_log(an, s, o, f);
	const char *sent = strcmp(m->kind, "no-peer-config") == 0
			       ? peer_sent_id(ar, o->received)
			       : NULL;
	if (f->summary == NULL && sent)
		f->summary = arena_printf(ar,
					  "%s has no connection for the "
					  "identity the peer sends (%s): %s",
					  s->name, sent, t);
	if (f->summary == NULL) {
		f->summary =
		    arena_printf(ar, "%s's %s: %s", s->name,
				 status ? "SA status" : "IPsec log", t);
		f->fix = m->fix;
		if (status)
			f->detail =
			    "One snapshot: it may be in progress. Still so "
			    "a minute later, or with no CHILD_SA at all, the "
			    "exchange with the peer fails; collect the IPsec "
			    "log of both ends to see why.";
	}
	if (status) {
		finding_evidence(ar, f, EVREF_STATUS, &o->where, t);
		return;
	}
	const char *why =
	    strcmp(m->kind, "no-proposal") == 0	 ? refused_detail(ar, o)
	    : strcmp(m->kind, "invalid-ke") == 0 ? wanted_group(ar, t)
						 : NULL;
	if (why && f->detail == NULL)
		f->detail = why;
	if (f->nev < 12)
		finding_evidence(ar, f, EVREF_LOG, &o->where,
				 why ? arena_printf(ar, "%s (%s)", t, why) : t);
}

static bool
same_child(const struct observation *a, const struct observation *b)
{
	return a->conn && b->conn && strcmp(a->conn, b->conn) == 0 &&
	       a->child && b->child && strcmp(a->child, b->child) == 0 &&
	       prefix_equal(&a->ts_local, &b->ts_local) &&
	       prefix_equal(&a->ts_remote, &b->ts_remote) &&
	       a->value != b->value;
}

/* Two INSTALLED CHILD_SAs of one child with the same selectors
 * (swanctl --list-sas): both ends initiated or a rekey collided and
 * nobody deleted the spare (ike-parameters.md §7). */
static void
sa_duplicates(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *a = &s->ev.obs[i];
		if (a->kind != OBS_SA || !a->action ||
		    strcmp(a->action, "INSTALLED") != 0)
			continue;
		for (size_t j = i + 1; j < s->ev.nobs; j++) {
			const struct observation *b = &s->ev.obs[j];
			if (b->kind != OBS_SA || !b->action ||
			    strcmp(b->action, "INSTALLED") != 0 ||
			    !same_child(a, b))
				continue;
			struct finding *f =
			    check_finding(an, CHK_SA_DUPLICATE, s, a->child);
			f->confidence = CONF_CONFIRMED;
			if (f->summary == NULL) {
				f->summary =
				    arena_printf(ar,
						 "%s has several CHILD_SAs "
						 "'%s' for %s === %s",
						 s->name, a->child,
						 prefix_str(ar, &a->ts_local),
						 prefix_str(ar, &a->ts_remote));
				f->detail =
				    "Both ends started the tunnel, or a rekey "
				    "collided: traffic may go out in one SA "
				    "and "
				    "come back in another, and one side "
				    "deletes "
				    "SAs the other still uses.";
				f->fix =
				    "Let one end initiate and the other be "
				    "responder only (start action none), or "
				    "keep "
				    "trap at both ends with unique IDs "
				    "(replace).";
				finding_evidence(
				    ar, f, EVREF_STATUS, &a->where,
				    arena_printf(ar, "%s INSTALLED", a->child));
			}
			finding_evidence(
			    ar, f, EVREF_STATUS, &b->where,
			    arena_printf(ar, "%s INSTALLED again", b->child));
			break;
		}
	}
}

void
evidence_ike_generic(struct analysis *an)
{
	for (size_t k = 0; k < an->nsites; k++)
		for (size_t i = 0; i < an->sites[k]->ev.nobs; i++) {
			const struct observation *o = &an->sites[k]->ev.obs[i];
			if (o->kind == OBS_IKE_LOG && generic_kind(o))
				ike_log(an, an->sites[k], o);
		}
}

void
evidence_status(struct analysis *an, struct site *s)
{
	sa_duplicates(an, s);
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind == OBS_SA)
			sa_one_way(an, s, o);
		else if (o->kind == OBS_IKE_LOG && !generic_kind(o))
			ike_log(an, s, o);
	}
	if (!s->ev.has_status)
		return;
	for (size_t j = 0; j < s->np2; j++) {
		const struct phase2 *p2 = &s->p2[j];
		if (!p2_enabled(p2) || p2->mode == P2_TRANSPORT || p2->mobile)
			continue;
		/* the SA of this child by name, else by its selectors */
		const struct observation *sa = NULL;
		for (size_t i = 0; i < s->ev.nobs && !sa; i++)
			if (s->ev.obs[i].kind == OBS_SA && s->ev.obs[i].child &&
			    p2->descr &&
			    strcmp(s->ev.obs[i].child, p2->descr) == 0)
				sa = &s->ev.obs[i];
		for (size_t i = 0; i < s->ev.nobs && !sa; i++)
			if (s->ev.obs[i].kind == OBS_SA &&
			    sa_covers(&s->ev.obs[i], p2))
				sa = &s->ev.obs[i];
		if (sa == NULL)
			sa_missing(an, s, p2);
		else
			narrowed(an, s, p2, sa);
	}
}
