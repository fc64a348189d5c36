/* The catalog and the finding store shared by every check. */
#include "check/check.h"

#include <string.h>

#include "engine/ruleset.h"

/* One root cause, one finding: deduplicated by (id, site, key). */
struct finding *
check_finding(struct analysis *an, enum finding_id c, const struct site *s,
	      const char *key)
{
	const struct finding_info *ci = finding_info(c);
	const char *site = s ? s->name : NULL;
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (f->id == c &&
		    strcmp(f->site ? f->site : "", site ? site : "") == 0 &&
		    strcmp(f->key ? f->key : "", key ? key : "") == 0)
			return f;
	}
	struct finding *f =
	    finding_add(an->ar, &an->fs, c, ci->severity, site, ci->section);
	f->key = key;
	return f;
}

const char *
gui_mss_location(const struct site *s)
{
	/* doc/behaviour/pfsense.md §1.5: moved in 2.6.0 (commit a8e97945b4) */
	if (s->kind == SITE_OPNSENSE)
		return "Firewall > Settings > Normalization: add a rule with "
		       "Max mss for the tunnel networks (OPNsense has no "
		       "IPsec MSS option)";
	if (s->kind == SITE_LINUX)
		return "nftables: 'tcp flags syn tcp option maxseg size set N' "
		       "in the forward chain for the tunnel networks";
	if (site_version_at_least(s, 2, 6))
		return "System > Advanced > Firewall & NAT, VPN Packet "
		       "Processing: check 'Enable MSS clamping on VPN "
		       "traffic' and set the Maximum MSS";
	return "VPN > IPsec > Advanced Settings: check 'Enable MSS "
	       "clamping on VPN traffic' and set the Maximum MSS";
}

const struct rule *
check_automation_block(const struct rule *r)
{
	return r && r->mvc && r->action != ACT_PASS && r->action != ACT_MATCH
		   ? r
		   : NULL;
}

/* Where OPNsense puts an Automation rule: before the <filter> rules of
 * its priority (engine/ruleset.c), so a quick one is not overridden by
 * anything on the interface's own tab. */
const char *
check_automation_fix(struct arena *ar, const struct site *s,
		     const struct rule *r, const char *what, const char *tab)
{
	const char *seq =
	    r->sequence ? arena_printf(ar, " (sequence %u)", r->sequence) : "";
	const char *verb = r->action == ACT_REJECT ? "rejects" : "blocks";
	if (r->quick)
		return arena_printf(
		    ar,
		    "On %s, %s: rule '%s'%s %s %s; disable it, narrow "
		    "its source or destination, or add a pass rule "
		    "for this traffic on the same interfaces with a "
		    "lower sequence. It is quick and OPNsense "
		    "evaluates it before the rules of Firewall > "
		    "Rules > %s, so no rule there can override it.",
		    s->name, rule_page(ar, s, r), r->descr ? r->descr : "", seq,
		    verb, what, tab);
	return arena_printf(
	    ar,
	    "On %s, %s: rule '%s'%s %s %s as the last matching rule "
	    "(it is not quick); disable it or narrow it, or add a "
	    "pass rule for this traffic on Firewall > Rules > %s.",
	    s->name, rule_page(ar, s, r), r->descr ? r->descr : "", seq, verb,
	    what, tab);
}

/* The checks word their findings for pfSense; on a Linux/strongSwan site
 * the same root cause is fixed elsewhere. One table says where. */
struct wording {
	const char *pf, *lx;
};
static const struct wording linux_words[] = {
    {"Firewall > Rules > IPsec",
     "the forward chain (nft/iptables), for packets from the tunnel "
     "(iifname the tunnel's device: kernel-libipsec's \"ipsec0\" or "
     "the xfrm/VTI interface; with plain policies 'meta ipsec "
     "exists')"},
    {"IPsec-tab rule", "forward-chain rule for tunnel traffic"},
    {"IPsec tab (enc0)", "forward chain, from the tunnel"},
    {"IPsec tab", "forward chain for tunnel traffic"},
    {"rules of the IPsec tab (enc0)", "forward chain"},
    {"VPN > IPsec > Tunnels", "swanctl.conf (children local_ts/remote_ts)"},
    {"Firewall > Rules > ", "the forward or input chain of "},
    {"Interfaces > ", "the input chain of "},
};

/* An OPNsense site whose tunnels are all VPN > IPsec > Connections ones:
 * networks are a child's, the peer a connection's Remote addresses. */
static const struct wording swanctl_words[] = {
    {"VPN > IPsec > Tunnels (phase 2)", "VPN > IPsec > Connections "
					"(children)"},
    {"VPN > IPsec > Tunnels", "VPN > IPsec > Connections"},
    {"phase 2 remote network (or add a phase 2)", "child's Remote "
						  "networks (or add a "
						  "child)"},
    {"the phase 1 Remote Gateway", "the connection's Remote addresses"},
    {"the phase 1/phase 2 that carries the flow (uncheck Disabled)",
     "the connection and child that carry the flow (check Enabled)"},
};

static const char *
localize(struct arena *ar, const char *text, const struct wording *w, size_t n)
{
	if (text == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *hit;
		while ((hit = strstr(text, w[i].pf)) != NULL)
			text =
			    arena_printf(ar, "%.*s%s%s", (int)(hit - text),
					 text, w[i].lx, hit + strlen(w[i].pf));
	}
	return text;
}

static bool
swanctl_site(const struct site *s)
{
	bool any = false;
	for (size_t i = 0; i < s->np1; i++) {
		if (!s->p1[i].swanctl)
			return false;
		any = true;
	}
	return any && s->kind == SITE_OPNSENSE;
}

void
check_localize(struct analysis *an)
{
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		const struct site *s = NULL;
		for (size_t j = 0; j < an->nsites && f->site; j++)
			if (strcmp(an->sites[j]->name, f->site) == 0)
				s = an->sites[j];
		const struct wording *w = linux_words;
		size_t n = sizeof(linux_words) / sizeof(*linux_words);
		if (s && swanctl_site(s)) {
			w = swanctl_words;
			n = sizeof(swanctl_words) / sizeof(*swanctl_words);
		} else if (s == NULL || s->kind != SITE_LINUX) {
			continue;
		}
		f->summary = localize(an->ar, f->summary, w, n);
		f->detail = localize(an->ar, f->detail, w, n);
		f->fix = localize(an->ar, f->fix, w, n);
	}
}

/* Symptoms whose cause another finding names: their evidence joins the
 * cause (doc/ARCHITECTURE.md §4: ids name root causes, not evidence sources).
 */
static bool
is_symptom(const struct finding *f)
{
	if (f->id == CHK_SA_ONE_WAY)
		return true;
	if (f->id != CHK_P2_NOT_COVERED || f->nev == 0)
		return false;
	for (size_t i = 0; i < f->nev; i++)
		if (f->ev[i].kind != EVREF_CAPTURE)
			return false; /* the config predicts it: a cause */
	return true;
}

/* Why a tunnel has no SA at all: the two ends do not agree (or stop
 * agreeing), so both ends' traffic has no SA to go into. */
static bool
no_sa_cause(enum finding_id id)
{
	return id == CHK_P2_MISMATCH || id == CHK_PROPOSAL_MISMATCH ||
	       id == CHK_PFS_MISMATCH || id == CHK_IKE_ID_MISMATCH ||
	       id == CHK_IKE_AUTH_MISMATCH || id == CHK_IKE_AUTH_FAILED ||
	       id == CHK_IKE_VERSION_MISMATCH || id == CHK_IKE_NO_RESPONSE ||
	       id == CHK_TUNNEL_STAYS_DOWN;
}

/* Does f rest on a file of the site named name (either end of the
 * tunnel a negotiation finding speaks of)? */
static bool
cites_site(const struct analysis *an, const struct finding *f, const char *name)
{
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *s = an->sites[i];
		if (name == NULL || strcmp(s->name, name) != 0)
			continue;
		for (size_t e = 0; e < f->nev; e++)
			for (size_t k = 0; f->ev[e].loc.file && k < s->ninputs;
			     k++)
				if (strcmp(f->ev[e].loc.file,
					   s->inputs[k].path) == 0)
					return true;
	}
	return false;
}

static bool
explains(const struct analysis *an, const struct finding *cause,
	 const struct finding *symptom)
{
	static const enum finding_id for_cleartext[] = {
	    CHK_SA_MISSING,	  CHK_TUNNEL_DISABLED, CHK_POLICY_ROUTE_BYPASS,
	    CHK_NAT_BEFORE_IPSEC, CHK_P2_MISMATCH,     FINDING_NONE};
	/* ESP lost between the two ends: why the SA counts nothing back,
	 * even while where it is lost is only suspected */
	if (symptom->id == CHK_SA_ONE_WAY && cause->id == CHK_ESP_PATH_FILTERED)
		return cites_site(an, cause, symptom->site);
	if (cause->severity != SEV_ERROR || is_symptom(cause) ||
	    cause->id == CHK_MSS_CLAMPING)
		return false;
	if (symptom->id == CHK_SA_ONE_WAY)
		return true;
	bool same_site = cause->site && symptom->site &&
			 strcmp(cause->site, symptom->site) == 0;
	for (size_t i = 0; for_cleartext[i]; i++)
		if (same_site && cause->id == for_cleartext[i])
			return true;
	/* a tunnel that does not negotiate: either end's traffic leaks */
	return no_sa_cause(cause->id) &&
	       (same_site || cites_site(an, cause, symptom->site));
}

void
check_explain(struct analysis *an)
{
	for (size_t i = 0; i < an->fs.n;) {
		struct finding *sym = &an->fs.f[i];
		struct finding *cause = NULL;
		for (size_t j = 0; j < an->fs.n && is_symptom(sym); j++) {
			struct finding *c = &an->fs.f[j];
			if (j == i || !explains(an, c, sym))
				continue;
			/* the same site's cause first */
			if (cause == NULL || (c->site && sym->site &&
					      strcmp(c->site, sym->site) == 0))
				cause = c;
		}
		if (cause == NULL) {
			i++;
			continue;
		}
		for (size_t k = 0; k < sym->nev && cause->nev < 16; k++)
			finding_evidence(
			    an->ar, cause, sym->ev[k].kind, &sym->ev[k].loc,
			    arena_printf(an->ar, "%s (%s)", sym->ev[k].text,
					 finding_name(sym->id)));
		if (sym->nev)
			cause->confidence = CONF_CONFIRMED;
		/* the failure the symptom confirms stays as grave */
		if (sym->severity > cause->severity)
			cause->severity = sym->severity;
		size_t ci = (size_t)(cause - an->fs.f);
		findings_remove(&an->fs, i);
		if (ci < i)
			continue;
	}
}

bool
check_on_inside(const struct site *s, const struct prefix *net)
{
	for (size_t i = 0; i < s->nifaces; i++)
		for (size_t j = 0; j < s->ifaces[i].naddrs; j++) {
			struct prefix n =
			    prefix_make(s->ifaces[i].addrs[j].addr,
					s->ifaces[i].addrs[j].plen);
			if (s->ifaces[i].role != ROLE_WAN &&
			    s->ifaces[i].role != ROLE_ENC &&
			    prefix_overlaps(&n, net))
				return true;
		}
	return false;
}

const char *
check_loc(struct arena *ar, const struct srcloc *l)
{
	char b[600];
	return l->file ? arena_strdup(ar, srcloc_format(l, b, sizeof(b))) : "";
}

void
analysis_run(struct analysis *an, const struct ipaddr *from,
	     const struct ipaddr *to, const char *proto)
{
	if (an->eng == NULL)
		an->eng = engine_new(an->ar, an->sites, an->nsites);
	if (an->nflows == 0) /* else the caller traced them (flows_self) */
		flows_choose(an, from, to, proto);
	check_config(an);
	check_ruleset(an);
	check_weak_crypto(an);
	check_pairs(an);
	check_params(an);
	check_params_modes(an);
	check_params_sas(an);
	check_params_certs(an);
	check_cloud(an);
	check_linux(an);
	check_ha(an);
	check_flows(an);
	check_evidence(an);
	check_ha_state(an);
	check_families(an);
	check_explain(an);
	check_localize(an);
	check_settle(an, from && to);
	check_sections(an);
	findings_sort(&an->fs);
}

static bool
end_is_any(const struct rule_end *e)
{
	return !e->negate && ((e->text && strcmp(e->text, "any") == 0) ||
			      addrset_is_any(&e->addrs));
}

const struct rule *
check_by_design(const struct rule *r)
{
	if (r == NULL || r->origin != ORIGIN_USER ||
	    (r->action != ACT_BLOCK && r->action != ACT_REJECT))
		return NULL;
	/* a catch-all block stands in for the default deny: the pass rule
	 * is what is missing */
	if (end_is_any(&r->src) && end_is_any(&r->dst))
		return NULL;
	return r;
}

struct finding *
check_blocked_by_rule(struct analysis *an, const struct site *s,
		      const struct rule *r, const char *tab, bool from_tunnel,
		      const char *what)
{
	struct arena *ar = an->ar;
	struct finding *f =
	    check_finding(an, CHK_BLOCKED_BY_RULE, s, check_loc(ar, &r->loc));
	if (from_tunnel)
		f->section = SEC_IPSEC_RULES;
	if (f->summary)
		return f;
	f->summary = arena_printf(ar,
				  "%s blocked by rule '%s' on %s, by "
				  "design?",
				  what, r->descr ? r->descr : "", tab);
	f->detail =
	    arena_printf(ar,
			 "%s %s it. A rule written for this "
			 "traffic is policy, not a missing rule.",
			 rule_describe(ar, s, r),
			 r->action == ACT_REJECT ? "rejects" : "blocks");
	finding_evidence(ar, f, EVREF_CONFIG, &r->loc, rule_describe(ar, s, r));
	f->fix = arena_printf(ar,
			      "Nothing to fix if it is meant to block "
			      "this traffic; otherwise, on %s, %s: disable "
			      "or narrow it.",
			      s->name, rule_page(ar, s, r));
	return f;
}

struct prefix
check_inside_part(const struct site *s, const struct prefix *net)
{
	for (size_t i = 0; s && i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		if (!f->enabled || f->role == ROLE_WAN || f->role == ROLE_ENC)
			continue;
		for (size_t j = 0; j < f->naddrs; j++) {
			struct prefix n =
			    prefix_make(f->addrs[j].addr, f->addrs[j].plen);
			if (prefix_within(&n, net))
				return n;
		}
	}
	return *net;
}
