/* SA status and IPsec daemon logs: installed children and their
 * negotiated selectors, counters, IKE errors. */
#include <string.h>

#include "check/check.h"
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
		f = check_finding(an, CHK_P2_MISMATCH, s, check_loc(ar, &p2->loc));
		f->summary = arena_printf(
			ar, "%s's SA for phase 2 '%s' was narrowed to %s === %s "
			    "(configured %s === %s): the other end's networks "
			    "differ", s->name, p2->descr ? p2->descr : "",
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
	struct finding *f = check_finding(an, CHK_SA_MISSING, s,
					  check_loc(ar, &p2->loc));
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(ar, "phase 2 '%s' (%s === %s) has no "
				  "installed SA on %s", p2->descr ? p2->descr : "",
				  prefix_str(ar, p2_visible_local(p2)),
				  prefix_str(ar, &p2->remote.net), s->name);
	f->detail = "The tunnel may show 'established' (the IKE SA) while this "
		    "child was never negotiated or was deleted: its traffic has "
		    "no SA to use.";
	finding_evidence(ar, f, EVREF_CONFIG, &p2->loc, "configured here");
	for (size_t i = 0; i < s->ninputs; i++)
		if (s->inputs[i].kind == INPUT_SA_STATUS) {
			struct srcloc l = {.file = s->inputs[i].path};
			finding_evidence(ar, f, EVREF_STATUS, &l,
					 "no child SA with these selectors");
		}
	f->fix = arena_printf(ar, "On %s, Status > IPsec: connect the child "
			      "(or 'swanctl --initiate --child NAME'); look in "
			      "the IPsec log for why it failed (TS_UNACCEPTABLE, "
			      "NO_PROPOSAL_CHOSEN).", s->name);
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
	struct finding *f = check_finding(an, CHK_SA_ONE_WAY, s,
					  o->text ? o->text : check_loc(ar, &o->where));
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(
		ar, "SA %s (%s === %s) on %s carries traffic %s only: %llu "
		    "packets %s, none %s", o->text ? o->text : "",
		prefix_str(ar, &o->ts_local), prefix_str(ar, &o->ts_remote), s->name,
		out_only ? "out" : "in",
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

static void
ike_log(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	const char *t = o->text ? o->text : "";
	enum finding_id c;
	if (strstr(t, "TS_UNACCEPTABLE"))
		c = CHK_P2_MISMATCH;
	else if (strstr(t, "NO_PROPOSAL_CHOSEN") ||
		 strstr(t, "INVALID_KE_PAYLOAD"))
		c = CHK_PROPOSAL_MISMATCH;
	else if (strstr(t, "AUTHENTICATION_FAILED"))
		c = CHK_IKE_AUTH_FAILED;
	else
		return;
	struct finding *f = NULL;
	if (c == CHK_P2_MISMATCH)
		for (size_t i = 0; i < an->fs.n; i++)
			if (an->fs.f[i].id == CHK_P2_MISMATCH)
				f = &an->fs.f[i];
	if (f == NULL)
		f = check_finding(an, c, s, NULL);
	f->confidence = CONF_CONFIRMED;
	if (f->summary == NULL) {
		f->summary = arena_printf(ar, "%s's IPsec log: %s", s->name, t);
		f->fix = c == CHK_P2_MISMATCH
				 ? "Make both ends' phase 2 networks mirror "
				   "each other."
			 : c == CHK_PROPOSAL_MISMATCH
				 ? "Give both ends a common encryption, "
				   "integrity and DH group (VPN > IPsec > "
				   "Tunnels, phase 1 and phase 2 proposals)."
				 : "Check the pre-shared key and the "
				   "identifiers (My/Peer identifier) on both "
				   "ends.";
	}
	if (f->nev < 12)
		finding_evidence(ar, f, EVREF_LOG, &o->where, t);
}

void
evidence_status(struct analysis *an, struct site *s)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind == OBS_SA)
			sa_one_way(an, s, o);
		else if (o->kind == OBS_IKE_LOG)
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
			    p2->descr && strcmp(s->ev.obs[i].child, p2->descr) == 0)
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
