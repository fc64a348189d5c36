/* One root cause per failure. A finding the evidence confirms rules out
 * the predicted or suspected siblings that would explain the same
 * failure; a flow the evidence shows failing fails in the flow table;
 * when the user names a flow, the probes of other flows inform only. */
#include <string.h>

#include "check/check.h"

static bool
host_level(enum finding_id id)
{
	return id == CHK_HOST_GATEWAY || id == CHK_HOST_MASK ||
	       id == CHK_HOST_FIREWALL;
}

static bool
same_str(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Would a and b explain the same failure: the same failing hop of the
 * same flow direction, or the same host at the same site? */
static bool
siblings(const struct finding *a, const struct finding *b)
{
	if (a->flow >= 0 && a->flow == b->flow && a->reply == b->reply &&
	    a->hop == b->hop)
		return true;
	return host_level(a->id) && host_level(b->id) &&
	       same_str(a->site, b->site) && same_str(a->key, b->key);
}

static const char *
first_source(struct arena *ar, const struct finding *f)
{
	for (size_t i = 0; i < f->nev; i++)
		if (f->ev[i].kind != EVREF_CONFIG && f->ev[i].loc.file)
			return arena_printf(ar, "%s evidence %s",
					    evref_kind_name(f->ev[i].kind),
					    check_loc(ar, &f->ev[i].loc));
	return "evidence";
}

static void
rule_out_siblings(struct analysis *an)
{
	for (size_t i = 0; i < an->fs.n; i++) {
		const struct finding *c = &an->fs.f[i];
		if (c->confidence != CONF_CONFIRMED || c->severity != SEV_ERROR)
			continue;
		for (size_t j = 0; j < an->fs.n; j++) {
			struct finding *s = &an->fs.f[j];
			if (j == i || s->id == c->id ||
			    (s->confidence != CONF_PREDICTED &&
			     s->confidence != CONF_SUSPECTED) ||
			    !siblings(c, s))
				continue;
			s->confidence = CONF_RULED_OUT;
			s->ruled_out_by = arena_printf(
			    an->ar,
			    "not needed: %s, confirmed by %s, "
			    "explains the same failure",
			    finding_name(c->id), first_source(an->ar, c));
		}
	}
}

/* Does the model already fail ft for the reason id? */
static bool
fails_for(const struct flow_trace *ft, enum finding_id id)
{
	const struct path *p[2] = {&ft->request, &ft->reply};
	for (size_t i = 0; i < 2; i++)
		if (p[i]->fail_at >= 0 &&
		    p[i]->steps[p[i]->fail_at].cause == id)
			return true;
	return false;
}

/* A confirmed host finding (keyed by the host's address) makes the
 * flows to and from that host fail, whatever the model predicts. */
static void
mark_observed(struct analysis *an, const struct finding *f)
{
	struct ipaddr host;
	if (!host_level(f->id) || f->key == NULL ||
	    !ipaddr_parse(str_from(f->key), &host))
		return;
	for (size_t i = 0; i < an->nflows; i++) {
		struct flow_trace *ft = &an->flows[i];
		bool to = ipaddr_cmp(&ft->pkt.dst, &host) == 0;
		bool from = ipaddr_cmp(&ft->pkt.src, &host) == 0;
		if ((!to && !from) || ft->observed || fails_for(ft, f->id))
			continue;
		ft->observed = arena_printf(
		    an->ar, "%s: %s (%s, confirmed)", to ? "reply" : "request",
		    f->summary ? f->summary : "", finding_name(f->id));
	}
}

/* Findings the probes of check_config make about flows the user did not
 * name: with --from/--to, they are information, not the answer. */
static bool
probe_finding(enum finding_id id)
{
	return id == CHK_IPSEC_RULES_MISSING ||
	       id == CHK_IPSEC_RULES_PROTOCOL || id == CHK_LAN_RULES_MISSING ||
	       id == CHK_POLICY_ROUTE_BYPASS;
}

/* Predictions that the tunnel cannot come up (no common proposal,
 * identities, keys, IKE versions, nobody initiating) against evidence
 * that it is up: an installed child SA or an established SA in the IKE
 * log toward another given site. */
static bool
negotiation_finding(enum finding_id id)
{
	return id == CHK_PROPOSAL_MISMATCH || id == CHK_IKE_ID_MISMATCH ||
	       id == CHK_IKE_AUTH_MISMATCH || id == CHK_IKE_AUTH_FAILED ||
	       id == CHK_IKE_VERSION_MISMATCH || id == CHK_TUNNEL_NO_INITIATOR;
}

static bool
toward_other_site(const struct analysis *an, const struct site *s,
		  const struct observation *o)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *t = an->sites[i];
		if (t != s && (site_is_own_addr(t, &o->src) ||
			       site_is_own_addr(t, &o->dst)))
			return true;
	}
	return an->nsites == 1;
}

static const struct observation *
tunnel_up(const struct analysis *an, const struct site **where)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *s = an->sites[i];
		for (size_t j = 0; j < s->ev.nobs; j++) {
			const struct observation *o = &s->ev.obs[j];
			bool up = o->kind == OBS_SA ||
				  (o->kind == OBS_IKE_LOG && o->action &&
				   (strcmp(o->action, "child-up") == 0 ||
				    strcmp(o->action, "ike-up") == 0));
			if (up && toward_other_site(an, s, o)) {
				*where = s;
				return o;
			}
		}
	}
	return NULL;
}

static void
rule_out_by_sa(struct analysis *an)
{
	const struct site *s = NULL;
	const struct observation *o = tunnel_up(an, &s);
	if (o == NULL)
		return;
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (!negotiation_finding(f->id) ||
		    f->confidence == CONF_CONFIRMED ||
		    f->confidence == CONF_RULED_OUT)
			continue;
		f->confidence = CONF_RULED_OUT;
		f->ruled_out_by = arena_printf(
		    an->ar,
		    "%s shows the tunnel negotiated (%s at %s): the "
		    "configs are read differently than the peers "
		    "read them, or they changed since",
		    o->kind == OBS_SA ? "the SA status" : "the IKE log",
		    o->kind == OBS_SA ? "an installed child SA"
				      : "an established SA",
		    check_loc(an->ar, &o->where));
	}
	(void)s;
}

/* Causes that keep a phase 2 from getting an SA at all. */
static bool
no_child_cause(enum finding_id id)
{
	return negotiation_finding(id) || id == CHK_PFS_MISMATCH ||
	       id == CHK_P2_MISMATCH || id == CHK_P2_MODE_MISMATCH ||
	       id == CHK_CERT_EXPIRED || id == CHK_CERT_ID_MISMATCH ||
	       id == CHK_CERT_CA_UNKNOWN || id == CHK_TUNNEL_STAYS_DOWN;
}

static const struct site *
site_named(const struct analysis *an, const char *name)
{
	for (size_t i = 0; name && i < an->nsites; i++)
		if (strcmp(an->sites[i]->name, name) == 0)
			return an->sites[i];
	return NULL;
}

/* The phase 2 of s an sa-missing finding is about (keyed by its loc). */
static const struct phase2 *
missing_p2(struct arena *ar, const struct site *s, const struct finding *f)
{
	for (size_t i = 0; s && f->key && i < s->np2; i++)
		if (strcmp(check_loc(ar, &s->p2[i].loc), f->key) == 0)
			return &s->p2[i];
	return NULL;
}

/* Does the config line l lie in p1's part of its file: from p1's own
 * line up to the next phase 1 or phase 2 that starts after it? */
static bool
in_p1_part(const struct site *s, const struct phase1 *p1,
	   const struct srcloc *l)
{
	if (l->file == NULL || p1->loc.file == NULL ||
	    strcmp(l->file, p1->loc.file) != 0 || l->line < p1->loc.line)
		return false;
	uint32_t end = UINT32_MAX;
	for (size_t i = 0; i < s->np1; i++)
		if (s->p1[i].loc.file &&
		    strcmp(s->p1[i].loc.file, l->file) == 0 &&
		    s->p1[i].loc.line > p1->loc.line && s->p1[i].loc.line < end)
			end = s->p1[i].loc.line;
	for (size_t i = 0; i < s->np2; i++)
		if (s->p2[i].p1 != p1 && s->p2[i].loc.file &&
		    strcmp(s->p2[i].loc.file, l->file) == 0 &&
		    s->p2[i].loc.line > p1->loc.line && s->p2[i].loc.line < end)
			end = s->p2[i].loc.line;
	return l->line < end;
}

static size_t
tunnels_of(const struct site *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->np1; i++)
		n += !s->p1[i].disabled && !s->p1[i].mobile;
	return n;
}

/* Is cause c about the tunnel of p2 (of site s)? Its config evidence
 * names p2 or p2's phase 1; a cause with none (from a log) counts when
 * s has that one tunnel and the cause is s's or its one peer's. */
static bool
cause_of(const struct site *s, const struct phase2 *p2, const struct finding *c,
	 bool an_pair)
{
	bool cfg = false;
	for (size_t i = 0; i < c->nev; i++) {
		const struct srcloc *l = &c->ev[i].loc;
		if (c->ev[i].kind != EVREF_CONFIG || l->file == NULL)
			continue;
		cfg = true;
		if ((p2->loc.file && strcmp(l->file, p2->loc.file) == 0 &&
		     l->line == p2->loc.line) ||
		    (p2->p1 && in_p1_part(s, p2->p1, l)))
			return true;
	}
	return !cfg && tunnels_of(s) == 1 &&
	       (same_str(c->site, s->name) || an_pair);
}

/* A phase 2 without an SA is what a failed negotiation leaves: with its
 * cause found, it is that cause's evidence, not a second cause. */
static void
fold_sa_missing(struct analysis *an)
{
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *m = &an->fs.f[i];
		if (m->id != CHK_SA_MISSING || m->confidence == CONF_RULED_OUT)
			continue;
		const struct site *s = site_named(an, m->site);
		const struct phase2 *p2 = missing_p2(an->ar, s, m);
		for (size_t j = 0; p2 && j < an->fs.n; j++) {
			struct finding *c = &an->fs.f[j];
			if (!no_child_cause(c->id) ||
			    c->severity != SEV_ERROR ||
			    c->confidence == CONF_RULED_OUT ||
			    !cause_of(s, p2, c, an->nsites == 2))
				continue;
			for (size_t k = 0; k < m->nev; k++)
				if (m->ev[k].kind != EVREF_CONFIG)
					finding_evidence(
					    an->ar, c, m->ev[k].kind,
					    &m->ev[k].loc, m->ev[k].text);
			m->confidence = CONF_RULED_OUT;
			m->ruled_out_by = arena_printf(
			    an->ar,
			    "a symptom of %s: the negotiation fails, so "
			    "no SA is installed",
			    finding_name(c->id));
			break;
		}
	}
}

/* Do f and c cite the same config line (the phase 2 both speak of)? */
static bool
same_config_line(const struct finding *f, const struct finding *c)
{
	for (size_t i = 0; i < f->nev; i++)
		for (size_t j = 0; j < c->nev; j++)
			if (f->ev[i].kind == EVREF_CONFIG &&
			    c->ev[j].kind == EVREF_CONFIG &&
			    f->ev[i].loc.file && c->ev[j].loc.file &&
			    f->ev[i].loc.line == c->ev[j].loc.line &&
			    strcmp(f->ev[i].loc.file, c->ev[j].loc.file) == 0)
				return true;
	return false;
}

/* A predicted MSS problem of a phase 2 that gets no SA at all (its
 * selectors, proposals, keys, ... do not agree): no packet of it is
 * encrypted, so its size is not yet the failure, and the peer's clamp
 * is only uncounted because the two phase 2s did not pair. */
static void
rule_out_mss_of_down_tunnel(struct analysis *an)
{
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (f->id != CHK_MSS_CLAMPING ||
		    f->confidence != CONF_PREDICTED)
			continue;
		for (size_t j = 0; j < an->fs.n; j++) {
			const struct finding *c = &an->fs.f[j];
			if (!no_child_cause(c->id) ||
			    c->confidence == CONF_RULED_OUT ||
			    c->severity != SEV_ERROR || !same_config_line(f, c))
				continue;
			f->confidence = CONF_RULED_OUT;
			f->ruled_out_by = arena_printf(
			    an->ar,
			    "not yet: %s keeps this phase 2 from getting an "
			    "SA; run again once it is fixed",
			    finding_name(c->id));
			break;
		}
	}
}

void
check_settle(struct analysis *an, bool user_flow)
{
	rule_out_siblings(an);
	rule_out_by_sa(an);
	fold_sa_missing(an);
	rule_out_mss_of_down_tunnel(an);
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (f->confidence == CONF_CONFIRMED && f->severity == SEV_ERROR)
			mark_observed(an, f);
		if (user_flow && f->flow < 0 && probe_finding(f->id) &&
		    f->confidence != CONF_CONFIRMED && f->severity > SEV_INFO) {
			f->severity = SEV_INFO;
			f->detail = arena_printf(
			    an->ar,
			    "%s%sNot the flow you asked about: "
			    "found by probing the tunnel's "
			    "default flows.",
			    f->detail ? f->detail : "", f->detail ? " " : "");
		}
	}
}
