/* The algorithms installed SAs run (SA status: `ip xfrm state`,
 * `swanctl --list-sas`) against the configs: an SA only ever runs a
 * proposal its own end lists, so one the config does not list means the
 * config on disk is not the one that negotiated it; and weak transforms
 * in use. doc/behaviour/ike-parameters.md §13. Kept apart from
 * check_params.c so both can change independently. */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"

static bool
has_xf(const struct proposal *p, const struct xform *x)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct xform *y = &p->xf[i];
		/* a fixed-size cipher prints a key size the keyword lacks
		 * (chacha20poly1305 = CHACHA20_POLY1305_256) */
		if (y->type == x->type && y->id == x->id &&
		    (y->keylen == x->keylen || !y->keylen || !x->keylen))
			return true;
	}
	return false;
}

/* Does configured proposal p cover the SA's encryption and integrity? */
static bool
covers(const struct proposal *p, const struct proposal *sa)
{
	for (size_t i = 0; i < sa->n; i++) {
		const struct xform *x = &sa->xf[i];
		if ((x->type == XF_ENCR || x->type == XF_INTEG) &&
		    !has_xf(p, x))
			return false;
	}
	return true;
}

/* 1 some phase 2 of s lists it, 0 none does, -1 cannot tell (a default
 * or unknown list, or an OPNsense legacy tunnel read as pfSense's). */
static int
sa_configured(const struct site *s, const struct proposal *sa,
	      enum prop_proto proto, const struct srcloc **where)
{
	int r = -1;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if (!p2_enabled(p) || p->p1 == NULL || p->p1->disabled ||
		    p->esp.proto != proto)
			continue;
		/* strongSwan's defaults ("default" in the list, or no list)
		 * are not modelled */
		if (p->esp.text == NULL || p->esp.unknown || p->esp.n == 0 ||
		    strstr(p->esp.text, "default") ||
		    (s->kind == SITE_OPNSENSE && !p->p1->swanctl))
			return -1;
		if (r == -1) {
			r = 0;
			*where = &p->esp.loc;
		}
		for (size_t j = 0; j < p->esp.n; j++)
			if (covers(&p->esp.p[j], sa))
				return 1;
	}
	return r;
}

/* "SA 'lan'" (swanctl names its children), "SA (reqid 1)" (xfrm). */
static const char *
sa_name(struct arena *ar, const struct observation *o)
{
	return o->child	 ? arena_printf(ar, "SA '%s'", o->child)
	       : o->text ? arena_printf(ar, "SA (%s)", o->text)
			 : "SA";
}

static void
not_configured(struct analysis *an, struct site *s, const struct observation *o,
	       const struct proposals *sa, const struct srcloc *cfg)
{
	struct arena *ar = an->ar;
	const char *algs = proposal_format(ar, &sa->p[0]);
	struct finding *f = check_finding(an, CHK_SA_NOT_CONFIGURED, s,
					  arena_printf(ar, "sa|%s", algs));
	if (f->summary) { /* one finding per algorithms; each SA as evidence */
		if (f->nev < 4)
			finding_evidence(
			    ar, f, EVREF_STATUS, &o->where,
			    arena_printf(ar, "%s: %s", sa_name(ar, o), algs));
		return;
	}
	f->confidence = CONF_CONFIRMED; /* the status shows it */
	f->summary = arena_printf(ar,
				  "%s's installed %s runs %s, which no "
				  "phase 2 of its config lists: the config on "
				  "disk is not the one that negotiated it",
				  s->name, sa_name(ar, o), algs);
	f->detail = "An end only ever agrees to a proposal of its own "
		    "config, so the running SA was negotiated with another "
		    "config: it was changed since (an SA keeps its "
		    "algorithms until it is rekeyed) or was never loaded. "
		    "Checks of this config then say little about the tunnel "
		    "that runs (doc/behaviour/ike-parameters.md §13).";
	finding_evidence(ar, f, EVREF_STATUS, &o->where,
			 arena_printf(ar, "%s: %s", sa_name(ar, o), algs));
	finding_evidence(ar, f, EVREF_CONFIG, cfg,
			 "the phase 2 proposals on disk");
	f->fix = s->kind == SITE_LINUX
		     ? "Load the config that is on disk (swanctl --load-all, "
		       "or ipsec reload) and rekey or restart the tunnel; "
		       "or collect the config that is loaded (swanctl "
		       "--list-conns)."
		     : "Apply the IPsec settings (VPN > IPsec > Apply "
		       "Changes, or Status > IPsec: disconnect and connect) "
		       "and collect the config and status again.";
}

static void
weak_in_use(struct analysis *an, struct site *s, const struct observation *o,
	    const struct proposals *sa)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < sa->p[0].n; i++) {
		const struct xform *x = &sa->p[0].xf[i];
		const char *instead, *rfc;
		if (xform_verdict(x, sa->proto, &instead, &rfc) == XFV_OK)
			continue;
		const char *name = xform_name(ar, x);
		struct finding *f = check_finding(
		    an, CHK_WEAK_CRYPTO, s,
		    arena_printf(ar, "sa|%s|%s", sa_name(ar, o), name));
		if (f->summary)
			continue;
		f->confidence = CONF_CONFIRMED;
		f->summary = arena_printf(ar, "the installed %s runs %s (%s)",
					  sa_name(ar, o), name, rfc);
		f->detail = "The tunnel works, but with a transform that is "
			    "broken or too weak for today "
			    "(doc/behaviour/ike-parameters.md §4); remove it "
			    "at both ends together.";
		finding_evidence(ar, f, EVREF_STATUS, &o->where,
				 arena_printf(ar, "%s: %s", sa_name(ar, o),
					      proposal_format(ar, &sa->p[0])));
		f->fix = arena_printf(ar, "Use %s instead.", instead);
	}
}

void
check_params_sas(struct analysis *an)
{
	for (size_t k = 0; k < an->nsites; k++) {
		struct site *s = an->sites[k];
		for (size_t i = 0; i < s->ev.nobs; i++) {
			const struct observation *o = &s->ev.obs[i];
			struct proposals sa = {0};
			if (o->kind != OBS_SA || o->algs == NULL ||
			    !proposals_parse_printed(an->ar, o->algs, &sa) ||
			    sa.n != 1)
				continue;
			weak_in_use(an, s, o, &sa);
			const struct srcloc *cfg = NULL;
			if (s->has_config &&
			    sa_configured(s, &sa.p[0], sa.proto, &cfg) == 0)
				not_configured(an, s, o, &sa, cfg);
		}
	}
}
