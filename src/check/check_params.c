/* Both ends' negotiated parameters compared (the guide's "setting
 * mismatch" beyond the networks): IKE version, phase 1 and phase 2
 * proposals as strongSwan selects them, PFS, identities, PSK, who
 * initiates; and weak transforms at each end.
 * doc/behaviour/ike-parameters.md §2-§8. */
#include <string.h>

#include "check/check.h"
#include "check/params.h"
#include "engine/natt.h"
#include "engine/route.h"

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* Which product's words to use for a field. */
static enum params_ui
ui_of(const struct site *s, const struct phase1 *p1)
{
	if (s->kind == SITE_PFSENSE)
		return UI_PFSENSE;
	if (s->kind == SITE_OPNSENSE)
		return p1->swanctl ? UI_OPNSENSE_CONN : UI_OPNSENSE_LEGACY;
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == INPUT_SWANCTL_CONF)
			return UI_SWANCTL;
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == INPUT_IPSEC_CONF)
			return UI_IPSECCONF;
	return UI_SWANCTL;
}

const char *
params_field(struct arena *ar, const struct site *s, const struct phase1 *p1,
	     enum params_field f)
{
	static const char *const gui[][UI_COUNT] = {
	    [PF_VERSION] = {"Phase 1 > Key Exchange version",
			    "Phase 1 > Key Exchange version",
			    "Connections > IKE version", "version",
			    "keyexchange="},
	    [PF_P1_PROP] = {"Phase 1 > Encryption Algorithm (algorithm, "
			    "key length, hash, DH group)",
			    "Phase 1 > Encryption algorithm / Hash / DH "
			    "key group",
			    "Connections > Proposals", "proposals", "ike="},
	    [PF_P2_PROP] = {"Phase 2 > Encryption Algorithms and Hash "
			    "Algorithms",
			    "Phase 2 > Encryption algorithms"
			    " / Hash algorithms",
			    "Children > ESP "
			    "proposals",
			    "esp_proposals", "esp="},
	    [PF_PFS] = {"Phase 2 > PFS key group", "Phase 2 > PFS key group",
			"Children > ESP proposals (the DH group in it)",
			"esp_proposals (a DH group in it)",
			"esp= (a DH group in it)"},
	    [PF_MYID] = {"Phase 1 > My identifier",
			 "Phase 1 > My "
			 "identifier",
			 "Local Authentication > Id", "local.id", "leftid="},
	    [PF_PEERID] = {"Phase 1 > Peer identifier",
			   "Phase 1 > Peer "
			   "identifier",
			   "Remote Authentication > Id", "remote.id",
			   "rightid="},
	    [PF_AUTH] = {"Phase 1 > Authentication Method and Pre-Shared "
			 "Key",
			 "Phase 1 > Authentication method and "
			 "Pre-Shared Key",
			 "Local/Remote Authentication and "
			 "Pre-Shared Keys",
			 "secrets (ike) and local/remote auth",
			 "ipsec.secrets and leftauth/rightauth"},
	    [PF_START] = {"Phase 1 > Child SA Start Action",
			  "Phase 1 > "
			  "Connection method",
			  "Children > Start action", "start_action", "auto="},
	    [PF_MODE] = {"Phase 2 > Mode", "Phase 2 > Mode", "Children > Mode",
			 "children mode", "type="},
	};
	enum params_ui u = ui_of(s, p1);
	const char *page = u == UI_PFSENSE ? "VPN > IPsec > Tunnels"
			   : u == UI_OPNSENSE_LEGACY
			       ? "VPN > IPsec > Tunnel Settings"
			   : u == UI_OPNSENSE_CONN ? "VPN > IPsec > Connections"
						   : "swanctl.conf";
	if (u == UI_SWANCTL)
		return arena_printf(ar, "%s: connection '%s' %s", page,
				    nz(p1->ikeid), gui[f][u]);
	if (u == UI_IPSECCONF)
		return arena_printf(ar, "ipsec.conf: conn %s %s", nz(p1->ikeid),
				    gui[f][u]);
	return arena_printf(ar, "%s > '%s' %s", page,
			    p1->descr ? p1->descr : nz(p1->ikeid), gui[f][u]);
}

/* One of b's addresses: an interface's, or the local address one of
 * its phase 1 binds to (swanctl local_addrs, a VIP): a site given as its
 * IPsec config alone has no interfaces. */
static bool
site_owns(const struct site *b, const struct ipaddr *a)
{
	if (site_is_own_addr(b, a))
		return true;
	for (size_t i = 0; i < b->np1; i++)
		if (!b->p1[i].disabled && b->p1[i].local_known &&
		    ipaddr_cmp(&b->p1[i].local, a) == 0)
			return true;
	return false;
}

bool
params_faces(const struct site *a, const struct phase1 *p1,
	     const struct site *b)
{
	if (p1->disabled)
		return false;
	/* a loopback peer (strongSwan's test-bed "pass" conns, a shunt
	 * holder) is no tunnel to another site */
	if (p1->peer_known && p1->peer.fam == FAM_V4 &&
	    (uint32_t)p1->peer.v >> 24 == 127)
		return false;
	if (!p1->peer_known || p1->mobile || site_owns(b, &p1->peer))
		return true;
	/* b behind a NAT: p1 names the NAT's public address
	 * (doc/behaviour/tunnel-path.md §2) */
	struct site *two[2] = {(struct site *)a, (struct site *)b};
	const struct site *peer = NULL;
	return natt_counterpart(two, 2, a, p1, &peer) && peer == b;
}

/* The phase 1 of b that talks to a's phase 1 x: its peer is one of a's
 * addresses (an "any peer" phase 1 only when nothing names a). */
const struct phase1 *
params_peer_p1(const struct site *a, const struct phase1 *x,
	       const struct site *b)
{
	const struct phase1 *any = NULL, *named = NULL;
	if (!params_faces(a, x, b))
		return NULL;
	for (size_t i = 0; i < b->np1; i++) {
		const struct phase1 *y = &b->p1[i];
		if (y->disabled || !params_faces(b, y, a))
			continue;
		/* several conns to one peer (marks, DSCP): the one whose
		 * identities answer x's */
		if (y->peer_known && !y->mobile &&
		    (!y->peerid || !x->myid ||
		     strcmp(y->peerid, x->myid) == 0 ||
		     strcmp(y->peerid, "any") == 0))
			return y;
		if (y->peer_known && !y->mobile && !named)
			named = y;
		if (any == NULL)
			any = y;
	}
	return named ? named : any;
}

/* Does this phase 2 make its end initiate? 1 yes, 0 no, -1 not known.
 * pfSense: ipsec.inc child start_action (ike-parameters.md §7). */
int
params_initiates(const struct site *s, const struct phase1 *p1,
		 const struct phase2 *p2)
{
	if (s->kind == SITE_PFSENSE) {
		if (p1->mobile || p2->mobile)
			return 0;
		const char *st = p1->start_action;
		if (st && *st &&
		    !(p2->mode == P2_VTI && strcmp(st, "trap") == 0))
			return strcmp(st, "none") != 0;
		return 1; /* trap, or start for VTI */
	}
	if (s->kind == SITE_OPNSENSE && !p1->swanctl)
		return -1;
	const char *st = p2->start_action;
	if (st == NULL) /* swanctl.conf default: none */
		return 0;
	return strstr(st, "trap") || strstr(st, "start") || strstr(st, "route");
}

/* "encryption" for a failing transform type. */
const char *
params_type_name(uint8_t type)
{
	switch (type) {
	case XF_ENCR:
		return "encryption algorithm";
	case XF_PRF:
		return "PRF";
	case XF_INTEG:
		return "integrity (hash) algorithm";
	case XF_KE:
		return "DH group";
	case XF_ESN:
		return "ESN setting";
	default:
		return "transform";
	}
}

/* Both lists known and modelled? */
static bool
comparable(const struct proposals *x, const struct proposals *y)
{
	return x->text && y->text && !x->unknown && !y->unknown && x->n && y->n;
}

static const char *
pair_key(struct arena *ar, const struct srcloc *x, const struct srcloc *y)
{
	const char *ka = check_loc(ar, x), *kb = check_loc(ar, y);
	return strcmp(ka, kb) < 0 ? arena_printf(ar, "%s|%s", ka, kb)
				  : arena_printf(ar, "%s|%s", kb, ka);
}

static void
both_evidence(struct analysis *an, struct finding *f, const struct site *a,
	      const struct srcloc *la, const char *ta, const struct site *b,
	      const struct srcloc *lb, const char *tb)
{
	finding_evidence(an->ar, f, EVREF_CONFIG, la,
			 arena_printf(an->ar, "%s: %s", a->name, ta));
	finding_evidence(an->ar, f, EVREF_CONFIG, lb,
			 arena_printf(an->ar, "%s: %s", b->name, tb));
}

static void
version_check(struct analysis *an, struct site *a, const struct phase1 *x,
	      struct site *b, const struct phase1 *y)
{
	if (!x->ikever || !y->ikever || x->ikever == y->ikever)
		return; /* 0 = auto: either */
	struct arena *ar = an->ar;
	struct finding *f =
	    check_finding(an, CHK_IKE_VERSION_MISMATCH, a,
			  pair_key(ar, &x->ver_loc, &y->ver_loc));
	if (f->summary)
		return;
	f->summary = arena_printf(ar,
				  "%s speaks IKEv%u to %s, which speaks "
				  "IKEv%u: phase 1 never comes up",
				  a->name, x->ikever, b->name, y->ikever);
	f->detail = "An IKEv2 responder ignores IKEv1 main mode and the "
		    "reverse; the initiator retransmits until it gives up "
		    "(doc/behaviour/ike-parameters.md §5).";
	both_evidence(an, f, a, &x->ver_loc,
		      arena_printf(ar, "IKEv%u", x->ikever), b, &y->ver_loc,
		      arena_printf(ar, "IKEv%u", y->ikever));
	f->fix = arena_printf(ar,
			      "Use the same version at both ends: %s; %s "
			      "(IKEv2 unless the peer cannot).",
			      params_field(ar, a, x, PF_VERSION),
			      params_field(ar, b, y, PF_VERSION));
}

static void
p1_proposal_check(struct analysis *an, struct site *a, const struct phase1 *x,
		  struct site *b, const struct phase1 *y)
{
	if (!comparable(&x->ike, &y->ike))
		return;
	struct prop_select sel;
	if (proposals_select(&y->ike, &x->ike, false, &sel))
		return; /* matching is symmetric: one direction decides */
	struct arena *ar = an->ar;
	struct finding *f =
	    check_finding(an, CHK_PROPOSAL_MISMATCH, a,
			  pair_key(ar, &x->ike.loc, &y->ike.loc));
	if (f->summary)
		return;
	f->summary = arena_printf(
	    ar, "phase 1: %s and %s share no IKE proposal (no common %s)",
	    a->name, b->name, params_type_name(sel.fail_type));
	f->detail = arena_printf(
	    ar,
	    "%s proposes %s; %s accepts %s. strongSwan needs one "
	    "proposal whose every transform type has an algorithm in "
	    "common; the responder answers NO_PROPOSAL_CHOSEN "
	    "(doc/behaviour/ike-parameters.md §2).",
	    a->name, proposals_format(ar, &x->ike), b->name,
	    proposals_format(ar, &y->ike));
	both_evidence(an, f, a, &x->ike.loc,
		      arena_printf(ar,
				   "IKE proposals "
				   "%s",
				   proposals_format(ar, &x->ike)),
		      b, &y->ike.loc,
		      arena_printf(ar, "IKE proposals %s",
				   proposals_format(ar, &y->ike)));
	f->fix = arena_printf(ar,
			      "Make one proposal identical at both ends "
			      "(e.g. aes256gcm16-prfsha256-modp2048, or "
			      "aes256-sha256-modp2048): %s; %s.",
			      params_field(ar, a, x, PF_P1_PROP),
			      params_field(ar, b, y, PF_P1_PROP));
}

/* The rekey time of a child in words. */
static const char *
rekey_words(struct arena *ar, unsigned secs)
{
	if (secs == 0)
		return "at the first rekey";
	if (secs % 3600 == 0)
		return arena_printf(ar,
				    "at the first rekey, %u s (%u h) after it "
				    "comes up",
				    secs, secs / 3600);
	return arena_printf(ar,
			    "at the first rekey, %u s (about %u min) "
			    "after it comes up",
			    secs, (secs + 30) / 60);
}

static void
pfs_finding(struct analysis *an, struct site *a, const struct phase2 *x,
	    const struct proposals *xe, struct site *b, const struct phase2 *y,
	    const struct proposals *ye)
{
	struct arena *ar = an->ar;
	unsigned gx = proposals_pfs_group(xe), gy = proposals_pfs_group(ye);
	struct finding *f = check_finding(an, CHK_PFS_MISMATCH, a,
					  pair_key(ar, &x->loc, &y->loc));
	if (f->summary)
		return;
	unsigned rk = x->rekey && y->rekey
			  ? (x->rekey < y->rekey ? x->rekey : y->rekey)
			  : x->rekey + y->rekey;
	f->summary = arena_printf(
	    ar,
	    "phase 2 '%s': PFS %s at %s, %s at %s: the tunnel comes up "
	    "but fails %s",
	    nz(x->descr), gx ? ke_group_name(ar, gx) : "off", a->name,
	    gy ? ke_group_name(ar, gy) : "off", b->name, rekey_words(ar, rk));
	f->detail = "IKEv2 creates the first CHILD_SA inside IKE_AUTH with the "
		    "IKE SA's keys and no DH exchange, so the PFS groups are "
		    "not compared then; the rekey (CREATE_CHILD_SA) carries "
		    "them and is refused with NO_PROPOSAL_CHOSEN "
		    "(doc/behaviour/ike-parameters.md §3).";
	both_evidence(an, f, a, &x->loc,
		      arena_printf(ar,
				   "phase 2 '%s' "
				   "proposals %s",
				   nz(x->descr), proposals_format(ar, xe)),
		      b, &y->loc,
		      arena_printf(ar, "phase 2 '%s' proposals %s",
				   nz(y->descr), proposals_format(ar, ye)));
	f->fix =
	    arena_printf(ar, "Set the same PFS group at both ends: %s; %s.",
			 params_field(ar, a, x->p1, PF_PFS),
			 params_field(ar, b, y->p1, PF_PFS));
}

/* The proposals the CHILD_SA of p2 offers: pfSense merges every phase 2
 * of an IKEv2 phase 1 without split connections into one child with the
 * union of their proposals (ike-parameters.md §5). */
static struct proposals
child_esp(struct arena *ar, const struct site *s, const struct phase2 *p2)
{
	const struct phase1 *p1 = p2->p1;
	if (s->kind != SITE_PFSENSE || p1->ikever == 1 || p1->splitconn ||
	    p1->mobile)
		return p2->esp;
	struct proposals u = p2->esp;
	u.p = NULL;
	u.n = u.c = 0;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *q = &s->p2[i];
		if (q->p1 != p1 || !p2_enabled(q) ||
		    q->esp.proto != p2->esp.proto)
			continue;
		if (q->esp.text == NULL || q->esp.unknown)
			return q->esp; /* not comparable as a whole */
		for (size_t j = 0; j < q->esp.n; j++)
			*ARENA_PUSH(ar, u.p, u.n, u.c) = q->esp.p[j];
	}
	return u;
}

static void
p2_proposal_check(struct analysis *an, struct site *a, const struct phase2 *x,
		  struct site *b, const struct phase2 *y)
{
	struct proposals xe = child_esp(an->ar, a, x),
			 ye = child_esp(an->ar, b, y);
	if (!comparable(&xe, &ye) || xe.proto != ye.proto)
		return;
	bool v2 =
	    x->p1->ikever == 2 || (x->p1->ikever == 0 && y->p1->ikever == 2);
	struct prop_select sel;
	if (proposals_select(&ye, &xe, false, &sel))
		return;
	struct prop_select first;
	if (v2 && proposals_select(&ye, &xe, true, &first)) {
		pfs_finding(an, a, x, &xe, b, y, &ye);
		return;
	}
	struct arena *ar = an->ar;
	if (v2)
		proposals_select(&ye, &xe, true, &sel);
	struct finding *f = check_finding(an, CHK_PROPOSAL_MISMATCH, a,
					  pair_key(ar, &x->loc, &y->loc));
	if (f->summary)
		return;
	f->summary = arena_printf(
	    ar,
	    "phase 2 '%s': %s and %s share no %s proposal (no common "
	    "%s)",
	    nz(x->descr), a->name, b->name, xe.proto == PROP_AH ? "AH" : "ESP",
	    params_type_name(sel.fail_type));
	f->detail =
	    arena_printf(ar,
			 "%s proposes %s; %s accepts %s. Phase 1 comes up, the "
			 "CHILD_SA does not: the responder answers "
			 "NO_PROPOSAL_CHOSEN and no traffic passes "
			 "(doc/behaviour/ike-parameters.md §2).",
			 a->name, proposals_format(ar, &xe), b->name,
			 proposals_format(ar, &ye));
	both_evidence(an, f, a, &x->loc,
		      arena_printf(ar,
				   "phase 2 '%s' "
				   "proposals %s",
				   nz(x->descr), proposals_format(ar, &xe)),
		      b, &y->loc,
		      arena_printf(ar, "phase 2 '%s' proposals %s",
				   nz(y->descr), proposals_format(ar, &ye)));
	f->fix = arena_printf(ar,
			      "Select at least one common cipher and "
			      "hash (e.g. AES-GCM 256, or AES 256 with "
			      "SHA256) and the same PFS group: %s; %s.",
			      params_field(ar, a, x->p1, PF_P2_PROP),
			      params_field(ar, b, y->p1, PF_P2_PROP));
}

/* What the other end sends as its identity, against what this end
 * expects (ike-parameters.md §6). */
static void
id_check(struct analysis *an, struct site *a, const struct phase1 *x,
	 struct site *b, const struct phase1 *y)
{
	const char *sent = x->myid, *want = y->peerid;
	if (sent == NULL || want == NULL || strcmp(want, "any") == 0 ||
	    params_id_equal(an->ar, sent, want))
		return;
	struct arena *ar = an->ar;
	struct finding *f = check_finding(an, CHK_IKE_ID_MISMATCH, b,
					  pair_key(ar, &x->id_loc, &y->id_loc));
	if (f->summary)
		return;
	f->summary = arena_printf(ar,
				  "%s identifies itself as %s, but %s "
				  "expects %s: authentication fails",
				  a->name, sent, b->name, want);
	f->detail = "strongSwan picks the peer's configuration by the "
		    "identity it sends; the type counts as well as the value "
		    "(an address is not an FQDN). The responder logs 'no peer "
		    "config found' and answers AUTHENTICATION_FAILED "
		    "(doc/behaviour/ike-parameters.md §6).";
	both_evidence(an, f, a, &x->id_loc,
		      arena_printf(ar,
				   "my identifier "
				   "%s",
				   sent),
		      b, &y->id_loc,
		      arena_printf(ar, "peer identifier %s", want));
	f->fix = arena_printf(ar, "Make them agree: %s; or %s.",
			      params_field(ar, b, y, PF_PEERID),
			      params_field(ar, a, x, PF_MYID));
	/* the identities differ only by a NAT the configs suggest (a's
	 * own private address, the public one b calls it by): that NAT is
	 * read from the addresses, not seen, so this rests on it */
	/* the engine's verdict on this tunnel (engine/natt.c) */
	if (x->natt_nat_between && x->natt_from_configs &&
	    f->severity == SEV_ERROR) {
		f->severity = SEV_WARNING;
		f->detail = arena_printf(
		    ar,
		    "%s This rests on a NAT read from the configs (%s): "
		    "behind it, 'My IP address' is the private "
		    "address. An established SA in 'swanctl "
		    "--list-sas' or the IPsec log would rule it out.",
		    f->detail, x->natt_why);
	}
}

static void
auth_check(struct analysis *an, struct site *a, const struct phase1 *x,
	   struct site *b, const struct phase1 *y)
{
	struct arena *ar = an->ar;
	if (x->auth == NULL || y->auth == NULL)
		return;
	const char *what = NULL;
	if (strcmp(x->auth, y->auth) != 0)
		what = arena_printf(ar, "%s authenticates with %s, %s with %s",
				    a->name, x->auth, b->name, y->auth);
	else if (strcmp(x->auth, "psk") == 0 && x->psk && y->psk &&
		 !x->psk_redacted && !y->psk_redacted &&
		 strcmp(x->psk, y->psk) != 0)
		what = "the pre-shared keys differ";
	if (what == NULL)
		return;
	struct finding *f =
	    check_finding(an, CHK_IKE_AUTH_MISMATCH, a,
			  pair_key(ar, &x->psk_loc, &y->psk_loc));
	if (f->summary)
		return;
	f->summary = arena_printf(ar,
				  "phase 1 to %s: %s: authentication "
				  "fails",
				  b->name, what);
	f->detail = "Both ends must use the same method and, with pre-shared "
		    "keys, the same key; a wrong key shows as "
		    "AUTHENTICATION_FAILED (IKEv2) or an undecryptable main "
		    "mode message (IKEv1). The keys are compared, never "
		    "printed (doc/behaviour/ike-parameters.md §6).";
	both_evidence(an, f, a, &x->psk_loc,
		      arena_printf(ar,
				   "authentication "
				   "%s",
				   x->auth),
		      b, &y->psk_loc,
		      arena_printf(ar, "authentication %s", y->auth));
	f->fix = arena_printf(ar,
			      "Enter the same method and key at both ends: "
			      "%s; %s.",
			      params_field(ar, a, x, PF_AUTH),
			      params_field(ar, b, y, PF_AUTH));
}

/* Does any phase 2 of p1 initiate? 1, 0, or -1 unknown. A phase 2
 * whose selectors are only known on the box (dynamic, %any: a
 * trap-any transport child) still starts the tunnel; with no phase 2
 * at all nothing says who would. */
static int
p1_initiates(const struct site *s, const struct phase1 *p1)
{
	int r = 0;
	bool seen = false;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if (p->p1 != p1 || p->disabled)
			continue;
		seen = true;
		int v = params_initiates(s, p1, p);
		if (v == 1)
			return 1;
		if (v < 0)
			r = -1;
	}
	return seen ? r : -1;
}

static bool
has_sa(const struct site *s)
{
	for (size_t i = 0; i < s->ev.nobs; i++)
		if (s->ev.obs[i].kind == OBS_SA)
			return true;
	return false;
}

static void
liveness_check(struct analysis *an, struct site *a, const struct phase1 *x,
	       struct site *b, const struct phase1 *y)
{
	if (p1_initiates(a, x) != 0 || p1_initiates(b, y) != 0 || has_sa(a) ||
	    has_sa(b))
		return; /* an installed SA: someone started it by hand */
	struct arena *ar = an->ar;
	struct finding *f = check_finding(an, CHK_TUNNEL_NO_INITIATOR, a,
					  pair_key(ar, &x->loc, &y->loc));
	if (f->summary)
		return;
	f->summary = arena_printf(ar,
				  "neither %s nor %s initiates the "
				  "tunnel: both wait as responders, it never "
				  "comes up",
				  a->name, b->name);
	f->detail = "A start action of none (pfSense: Responder only) only "
		    "answers; with both ends so, nobody sends the first "
		    "IKE message, not even for traffic, unless someone starts "
		    "it by hand (swanctl --initiate) "
		    "(doc/behaviour/ike-parameters.md §7). To settle it, "
		    "collect the SA status of both ends (swanctl --list-sas, "
		    "Status > IPsec).";
	both_evidence(an, f, a, &x->start_loc, "responder only", b,
		      &y->start_loc, "responder only");
	f->fix = arena_printf(ar,
			      "Let one end initiate (trap: on traffic, or "
			      "start: at once): %s, or %s.",
			      params_field(ar, a, x, PF_START),
			      params_field(ar, b, y, PF_START));
}

static bool
is_one_of(const char *v, const char *a, const char *b, const char *c)
{
	return v &&
	       (strstr(v, a) || (b && strstr(v, b)) || (c && strstr(v, c)));
}

/* pfSense's child dpd_action (ipsec.inc, ike-parameters.md §7). */
static const char *
pfsense_dpd_action(const struct phase1 *p1, const struct phase2 *p2)
{
	const char *a = "clear";
	if (p1->dpd_delay) {
		a = p1->mobile ? "clear" : "trap";
		const char *ca = p1->close_action;
		if (ca && *ca)
			a = strcmp(ca, "trap") == 0    ? "trap"
			    : strcmp(ca, "start") == 0 ? "restart"
						       : "clear";
	}
	if (p2->mode == P2_VTI && strcmp(a, "trap") == 0)
		a = "restart";
	return a;
}

/* Does this end start the child again after the peer restarted or
 * deleted it? 1 yes, 0 no, -1 not known (ike-parameters.md §7). */
static int
params_recovers(const struct site *s, const struct phase1 *p1,
		const struct phase2 *p2)
{
	const char *st, *dpd, *close;
	if (s->kind == SITE_PFSENSE) {
		if (params_initiates(s, p1, p2) == 0)
			return 0;
		st = p1->start_action && *p1->start_action &&
			     !(p2->mode == P2_VTI &&
			       strcmp(p1->start_action, "trap") == 0)
			 ? p1->start_action
			 : (p2->mode == P2_VTI ? "start" : "trap");
		dpd = pfsense_dpd_action(p1, p2);
		close = p1->close_action;
	} else if (s->kind == SITE_LINUX) {
		st = p2->start_action;
		dpd = p1->dpd_delay
			  ? (p2->dpd_action ? p2->dpd_action : "clear")
			  : "clear";
		close = p2->close_action;
	} else {
		return -1; /* OPNsense: its own defaults, not modelled */
	}
	if (is_one_of(st, "trap", "route", NULL))
		return 1;
	return is_one_of(close, "start", "trap", "restart") ||
	       is_one_of(dpd, "restart", "trap", NULL);
}

int
params_p1_recovers(const struct site *s, const struct phase1 *p1)
{
	int r = 0;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if (p->p1 != p1 || !p2_enabled(p))
			continue;
		int v = params_recovers(s, p1, p);
		if (v == 1)
			return 1;
		if (v < 0)
			r = -1;
	}
	return r;
}

/* One end initiates but never again after the peer restarts, and the
 * peer never initiates: the tunnel stays down until someone restarts it
 * (N4 of the real cases, e.g. opnsense/core#5032). */
static void
stays_down_check(struct analysis *an, struct site *a, const struct phase1 *x,
		 struct site *b, const struct phase1 *y)
{
	struct arena *ar = an->ar;
	const struct site *ends[2] = {a, b};
	const struct phase1 *p1s[2] = {x, y};
	const struct phase2 *starter = NULL;
	const struct site *ss = NULL;
	for (int e = 0; e < 2; e++)
		for (size_t i = 0; i < ends[e]->np2; i++) {
			const struct phase2 *p = &ends[e]->p2[i];
			if (p->p1 != p1s[e] || !p2_enabled(p))
				continue;
			int ini = params_initiates(ends[e], p1s[e], p);
			int rec = params_recovers(ends[e], p1s[e], p);
			if (ini < 0 || rec < 0 || (ini == 1 && rec == 1))
				return; /* not known, or someone comes back */
			/* both ends start it: the one that restarts starts
			 * it again */
			if (ini == 1 && starter && ss != ends[e])
				return;
			if (ini == 1 && starter == NULL) {
				starter = p;
				ss = ends[e];
			}
		}
	if (starter == NULL)
		return; /* nobody initiates: tunnel-no-initiator */
	const struct site *other = ss == a ? b : a;
	const struct phase1 *sp = starter->p1;
	struct finding *f =
	    check_finding(an, CHK_TUNNEL_STAYS_DOWN, ss == a ? a : b,
			  pair_key(ar, &x->loc, &y->loc));
	if (f->summary)
		return;
	f->summary = arena_printf(
	    ar,
	    "only %s starts the tunnel, once: after %s restarts or "
	    "deletes the SA it stays down until restarted by hand",
	    ss->name, other->name);
	f->detail =
	    "The starting end starts the child when its config is "
	    "loaded (start action start), and neither DPD nor the close "
	    "action restarts it (DPD off or clear, close action none); "
	    "the other end is responder only (doc/behaviour/"
	    "ike-parameters.md §7).";
	finding_evidence(
	    ar, f, EVREF_CONFIG, &sp->start_loc,
	    arena_printf(ar, "%s: starts once; DPD %s, close action %s",
			 ss->name, sp->dpd_delay ? "on" : "off",
			 ss->kind == SITE_PFSENSE
			     ? (sp->close_action && *sp->close_action
				    ? sp->close_action
				    : "none")
			     : (starter->close_action ? starter->close_action
						      : "none")));
	const struct phase1 *op = ss == a ? y : x;
	finding_evidence(ar, f, EVREF_CONFIG, &op->start_loc,
			 arena_printf(ar, "%s: responder only", other->name));
	f->fix =
	    arena_printf(ar,
			 "Make %s start on traffic (trap) or restart "
			 "on DPD/close (%s; DPD on with action restart), or "
			 "let %s initiate too: %s.",
			 ss->name, params_field(ar, ss, sp, PF_START),
			 other->name, params_field(ar, other, op, PF_START));
}

const struct phase2 *
params_peer_p2(const struct phase2 *p, const struct site *b,
	       const struct phase1 *y)
{
	for (size_t j = 0; j < b->np2; j++) {
		const struct phase2 *q = &b->p2[j];
		if (q->p1 == y && p2_enabled(q) &&
		    prefix_overlaps(&q->remote.net, p2_visible_local(p)) &&
		    prefix_overlaps(&p->remote.net, p2_visible_local(q)))
			return q;
	}
	return NULL;
}

static void
compare_p2s(struct analysis *an, struct site *a, const struct phase1 *x,
	    struct site *b, const struct phase1 *y)
{
	for (size_t i = 0; i < a->np2; i++) {
		const struct phase2 *p = &a->p2[i], *q;
		if (p->p1 == x && p2_enabled(p) &&
		    (q = params_peer_p2(p, b, y)))
			p2_proposal_check(an, a, p, b, q);
	}
}

static bool
legacy_opnsense(const struct site *s, const struct phase1 *p1)
{
	return s->kind == SITE_OPNSENSE && !p1->swanctl;
}

/* OPNsense's legacy tunnels are read with pfSense's meaning of the same
 * fields (ike-parameters.md §5): what rests on that is a warning. */
static void
as_assumption(struct analysis *an, size_t from)
{
	for (size_t i = from; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (f->severity == SEV_ERROR)
			f->severity = SEV_WARNING;
		f->detail = arena_printf(
		    an->ar,
		    "%s Assumption: OPNsense's legacy tunnel fields are "
		    "read as pfSense writes them; 'swanctl --list-conns' (or "
		    "/usr/local/etc/swanctl/swanctl.conf) from the OPNsense "
		    "box "
		    "settles it.",
		    f->detail ? f->detail : "");
	}
}

static void
compare_p1s(struct analysis *an, struct site *a, const struct phase1 *x,
	    struct site *b, const struct phase1 *y)
{
	size_t before = an->fs.n;
	version_check(an, a, x, b, y);
	p1_proposal_check(an, a, x, b, y);
	id_check(an, a, x, b, y);
	id_check(an, b, y, a, x);
	auth_check(an, a, x, b, y);
	liveness_check(an, a, x, b, y);
	stays_down_check(an, a, x, b, y);
	compare_p2s(an, a, x, b, y);
	if (legacy_opnsense(a, x) || legacy_opnsense(b, y))
		as_assumption(an, before);
}

void
params_each_tunnel(struct analysis *an, params_tunnel_fn *fn)
{
	for (size_t i = 0; i < an->nsites; i++)
		for (size_t j = i + 1; j < an->nsites; j++) {
			struct site *a = an->sites[i], *b = an->sites[j];
			if (!a->has_config || !b->has_config)
				continue;
			for (size_t k = 0; k < a->np1; k++) {
				const struct phase1 *x = &a->p1[k];
				const struct phase1 *y =
				    params_peer_p1(a, x, b);
				/* each pair once, from its first site */
				if (y && params_peer_p1(b, y, a) == x)
					fn(an, a, x, b, y);
			}
		}
}

void
check_params(struct analysis *an)
{
	params_each_tunnel(an, compare_p1s);
}

static void
weak_one(struct analysis *an, struct site *s, const struct proposals *ps,
	 const char *what, const struct srcloc *loc)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; j < ps->p[i].n; j++) {
			const struct xform *x = &ps->p[i].xf[j];
			const char *instead, *rfc;
			enum xf_verdict v =
			    xform_verdict(x, ps->proto, &instead, &rfc);
			if (v == XFV_OK)
				continue;
			const char *name = xform_name(ar, x);
			struct finding *f = check_finding(
			    an, CHK_WEAK_CRYPTO, s,
			    arena_printf(ar, "%s|%s", check_loc(ar, loc),
					 name));
			if (f->summary)
				continue;
			f->summary = arena_printf(ar, "%s offers %s (%s)", what,
						  name, rfc);
			f->detail =
			    "It still negotiates, but it is broken or too "
			    "weak for today (doc/behaviour/ike-parameters.md "
			    "§4); remove it at both ends together.";
			finding_evidence(
			    ar, f, EVREF_CONFIG, loc,
			    arena_printf(ar, "%s %s", what,
					 proposals_format(ar, ps)));
			f->fix = arena_printf(ar, "Use %s instead.", instead);
		}
}

void
check_weak_crypto(struct analysis *an)
{
	for (size_t k = 0; k < an->nsites; k++) {
		struct site *s = an->sites[k];
		for (size_t i = 0; i < s->np1; i++)
			if (!s->p1[i].disabled)
				weak_one(an, s, &s->p1[i].ike,
					 arena_printf(an->ar, "phase 1 '%s'",
						      s->p1[i].descr
							  ? s->p1[i].descr
							  : nz(s->p1[i].ikeid)),
					 &s->p1[i].ike.loc);
		for (size_t i = 0; i < s->np2; i++)
			if (p2_enabled(&s->p2[i]))
				weak_one(an, s, &s->p2[i].esp,
					 arena_printf(an->ar, "phase 2 '%s'",
						      nz(s->p2[i].descr)),
					 &s->p2[i].esp.loc);
	}
}
