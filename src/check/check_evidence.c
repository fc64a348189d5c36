/* Evidence: firewall logs, captures, SA status and IPsec logs confirm,
 * contradict or add findings (doc/ARCHITECTURE.md §4: evidence beats
 * prediction). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check/check.h"
#include "engine/route.h"
#include "engine/ruleset.h"
#include "engine/log_tracker.h"

/* Times from the evidence itself (not the clock of this run). */
static const char *
when(struct arena *ar, double ts)
{
	if (ts <= 0)
		return "?";
	time_t t = (time_t)ts;
	struct tm tm;
	char b[32];
	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(ar, b);
}

static const char *
span(struct arena *ar, const struct observation *o)
{
	if (o->first_ts <= 0)
		return "";
	const char *a = when(ar, o->first_ts), *b = when(ar, o->last_ts);
	/* same day: "between 2024-05-01 10:01 and 10:45" */
	if (strncmp(a, b, 11) == 0)
		b += 11;
	return o->last_ts > o->first_ts
		   ? arena_printf(ar, " between %s and %s UTC", a, b)
		   : arena_printf(ar, " at %s UTC", a);
}

static bool
in_p2_nets(const struct site *s, const struct ipaddr *a, bool local)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		const struct selector *sel = local ? &p2->local : &p2->remote;
		if (sel->resolved && sel->net.len > 0 &&
		    prefix_contains(&sel->net, a))
			return true;
		if (local && p2->has_nat && p2->natlocal.resolved &&
		    prefix_contains(&p2->natlocal.net, a))
			return true;
	}
	return false;
}

static const struct phase1 *
peer_of(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->np1; i++)
		if (s->p1[i].peer_known && ipaddr_cmp(&s->p1[i].peer, a) == 0)
			return &s->p1[i];
	return NULL;
}

static bool
is_ipsec_transport(const struct observation *o)
{
	return o->proto == PROTO_ESP || o->proto == PROTO_AH ||
	       (o->proto == PROTO_UDP && (o->dport == 500 || o->dport == 4500));
}

/* Where a log line happened, as the guide groups them. */
enum where_kind { W_NONE, W_ENC, W_INSIDE, W_WAN };

static enum where_kind
classify(const struct site *s, const struct observation *o,
	 const struct iface **fout)
{
	const struct iface *f = site_iface_by_dev(s, o->iface);
	*fout = f;
	bool enc = (f && (f->role == ROLE_ENC || f->role == ROLE_VTI)) ||
		   (o->iface && (strncmp(o->iface, "enc", 3) == 0 ||
				 strncmp(o->iface, "ipsec", 5) == 0));
	if (enc && (in_p2_nets(s, &o->src, false) ||
		    in_p2_nets(s, &o->dst, true) || !s->has_config))
		return W_ENC;
	if (peer_of(s, &o->src) && is_ipsec_transport(o))
		return W_WAN;
	if (!s->has_config && is_ipsec_transport(o) && o->dir == PDIR_IN)
		return W_WAN;
	if (f && f->role != ROLE_WAN && o->dir != PDIR_OUT &&
	    in_p2_nets(s, &o->src, true) && in_p2_nets(s, &o->dst, false))
		return W_INSIDE;
	return W_NONE;
}

static const char *
log_rule(struct analysis *an, const struct site *s, const struct observation *o,
	 const struct rule **rule)
{
	struct lt_context ctx = {.known = true,
				 .ipver = o->src.fam == FAM_V6 ? 6 : 4,
				 .proto = o->proto,
				 .dir = o->dir,
				 .block = true,
				 .sport = o->sport,
				 .dport = o->dport,
				 .src = o->src,
				 .dst = o->dst};
	/* Linux: NFLOG records carry the log prefix, not a tracker */
	if (s->kind == SITE_LINUX) {
		*rule = NULL;
		return o->tracker && *o->tracker
			   ? arena_printf(an->ar,
					  "the rule logging with "
					  "prefix \"%s\"",
					  o->tracker)
			   : "a rule logging without prefix";
	}
	struct lt_result r = log_tracker_join(an->ar, s, o->tracker, &ctx);
	*rule = r.rule;
	return r.descr ? r.descr : "an unknown rule";
}

static const char *
obs_flow(struct arena *ar, const struct observation *o)
{
	const char *port = (o->proto == PROTO_TCP || o->proto == PROTO_UDP)
			       ? arena_printf(ar, "/%u", o->dport)
			       : "";
	return arena_printf(ar, "%s -> %s %s%s", ipaddr_str(ar, &o->src),
			    ipaddr_str(ar, &o->dst), proto_name(o->proto),
			    port);
}

static void
confirm(struct finding *f, const char *summary, const char *fix)
{
	f->confidence = CONF_CONFIRMED;
	if (f->summary == NULL)
		f->summary = summary;
	if (f->fix == NULL)
		f->fix = fix;
}

static void
log_block(struct analysis *an, struct site *s, const struct observation *o)
{
	struct arena *ar = an->ar;
	const struct iface *f;
	enum where_kind w = classify(s, o, &f);
	if (w == W_NONE)
		return;
	const struct rule *rule;
	const char *by = log_rule(an, s, o, &rule);
	const char *text = arena_printf(
	    ar, "%s blocked on %s by %s — %llu time%s%s", obs_flow(ar, o),
	    o->iface ? o->iface : "?", by, (unsigned long long)o->count,
	    o->count == 1 ? "" : "s", span(ar, o));
	struct finding *fd;
	const char *label = f ? iface_label(s, f->key) : o->iface;
	if ((w == W_ENC || w == W_INSIDE) && check_by_design(rule)) {
		fd = check_blocked_by_rule(an, s, rule, label, w == W_ENC,
					   obs_flow(ar, o));
		fd->confidence = CONF_CONFIRMED;
		if (fd->nev < 12)
			finding_evidence(ar, fd, EVREF_LOG, &o->where, text);
		return;
	}
	switch (w) {
	case W_ENC: {
		enum finding_id c = CHK_IPSEC_RULES_MISSING;
		for (size_t i = 0; i < an->fs.n; i++)
			if (an->fs.f[i].id == CHK_IPSEC_RULES_PROTOCOL &&
			    an->fs.f[i].site &&
			    strcmp(an->fs.f[i].site, s->name) == 0)
				c = CHK_IPSEC_RULES_PROTOCOL;
		fd = check_finding(an, c, s, "enc0");
		confirm(fd,
			arena_printf(ar,
				     "%s's firewall log shows tunnel "
				     "traffic blocked on the IPsec interface "
				     "(enc0)",
				     s->name),
			check_automation_block(rule)
			    ? check_automation_fix(ar, s, rule,
						   "traffic from the tunnel",
						   "IPsec")
			    : arena_printf(ar,
					   "On %s, Firewall > Rules > "
					   "IPsec: add a pass rule for the "
					   "remote network (protocol any).",
					   s->name));
		break;
	}
	case W_INSIDE:
		fd = check_finding(an, CHK_LAN_RULES_MISSING, s,
				   f ? f->key : o->iface);
		confirm(fd,
			arena_printf(ar,
				     "%s's firewall log shows local -> "
				     "remote traffic blocked on %s",
				     s->name, label),
			check_automation_block(rule)
			    ? check_automation_fix(
				  ar, s, rule,
				  "local traffic to the remote network", label)
			    : arena_printf(ar,
					   "On %s, Firewall > Rules > %s: "
					   "pass the local network to the "
					   "remote network.",
					   s->name, label));
		break;
	default: {
		const struct phase1 *p1 = peer_of(s, &o->src);
		fd = check_finding(an, CHK_WAN_VPN_BLOCKED, s,
				   p1 ? p1->iface : (f ? f->key : o->iface));
		confirm(fd,
			arena_printf(ar,
				     "%s's firewall log shows IPsec "
				     "from the peer blocked on %s",
				     s->name, label),
			arena_printf(ar,
				     "On %s, Firewall > Rules > %s: pass ESP, "
				     "UDP 500 and UDP 4500 from the peer.",
				     s->name, label));
		break;
	}
	}
	if (fd->nev < 12)
		finding_evidence(ar, fd, EVREF_LOG, &o->where, text);
}

/* A prediction of blocked traffic while the log shows it passing. */
static void
log_pass(struct analysis *an, struct site *s, const struct observation *o)
{
	const struct iface *f;
	enum where_kind w = classify(s, o, &f);
	if (w != W_ENC)
		return;
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *fd = &an->fs.f[i];
		if (fd->confidence != CONF_PREDICTED || !fd->site ||
		    strcmp(fd->site, s->name) != 0 ||
		    fd->id != CHK_IPSEC_RULES_MISSING)
			continue;
		findings_note(an->ar, &an->fs, SEC_IPSEC_RULES, s->name,
			      arena_printf(an->ar,
					   "the config predicted that "
					   "%s's IPsec rules block the tunnel, "
					   "but %s shows %s passed on %s: the "
					   "running rules differ from this "
					   "config.xml; prediction dropped",
					   s->name,
					   check_loc(an->ar, &o->where),
					   obs_flow(an->ar, o), o->iface));
		findings_remove(&an->fs, i);
		return;
	}
}

static void
evidence_logs(struct analysis *an, struct site *s)
{
	bool blocked = false;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		const struct iface *f;
		/* "log": an NFLOG record whose prefix does not say drop */
		if (o->kind == OBS_FW_BLOCK && o->action &&
		    strcmp(o->action, "log") == 0)
			continue;
		if (o->kind == OBS_FW_BLOCK) {
			blocked = blocked || classify(s, o, &f) != W_NONE;
			if (check_frag_on_tunnel(an, s, o))
				continue; /* frag-blocked names it */
			log_block(an, s, o);
		} else if (o->kind == OBS_FW_PASS) {
			log_pass(an, s, o);
		}
	}
	if (s->ev.has_log && !blocked)
		findings_note(
		    an->ar, &an->fs, SEC_FIREWALL_LOGS, s->name,
		    arena_printf(
			an->ar,
			"%s's firewall log (%llu "
			"%s%s) shows no block involving "
			"the tunnel's networks or the peer; "
			"as the guide says, look at routing "
			"next",
			s->name, (unsigned long long)s->ev.log_lines,
			s->kind == SITE_LINUX ? "logged packets" : "lines",
			s->ev.log_first > 0
			    ? arena_printf(an->ar, ", %s .. %s UTC",
					   when(an->ar, s->ev.log_first),
					   when(an->ar, s->ev.log_last))
			    : ""));
}

void
check_evidence(struct analysis *an)
{
	for (size_t i = 0; i < an->nsites; i++) {
		struct site *s = an->sites[i];
		evidence_logs(an, s);
		evidence_captures(an, s);
		evidence_status(an, s);
		evidence_box(an, s);
	}
	evidence_ike_generic(an);
}
