/* Checks: the guide's decision tree over the model, the engine's traces
 * and the evidence. Checks never print; they add findings. */
#ifndef CHECK_CHECK_H
#define CHECK_CHECK_H

#include "engine/trace.h"
#include "model/finding.h"

struct analysis {
	struct arena *ar;
	struct site **sites;
	size_t nsites;
	struct engine *eng;
	struct flow_trace *flows;
	size_t nflows;
	struct findings fs;
};

/* Adds a finding of check c (severity and section from the catalog),
 * or returns the existing one with the same id, site and key. */
struct finding *check_finding(struct analysis *an, enum finding_id c,
			      const struct site *s, const char *key);

/* The firewall's own services toward the tunnel (check_self.c). */
void check_self_traffic(struct analysis *an, struct site *s);
/* diagnose --from self[:IFACE] --to DST: the flows of the firewall
 * itself, one per protocol; false with *err when it has no source. */
bool flows_self(struct analysis *an, const char *iface, const struct ipaddr *to,
		const char *proto, const char **err);
/* Config-only checks of every site (lint). */
void check_config(struct analysis *an);
/* Findings from the traced flows' failing hops (diagnose). */
void check_flows(struct analysis *an);
/* A cloud VPN peer's stated config against the firewall facing it. */
void check_cloud(struct analysis *an);
/* HA pairs: phase 1 on the CARP VIP, both nodes' IPsec alike, peers
 * pointing at the VIP. */
void check_ha(struct analysis *an);
/* HA nodes' running state (check_ha_state.c), after the evidence. */
void check_ha_state(struct analysis *an);
/* Linux kernel facts: xfrm interfaces' if_id against the children. */
void check_linux(struct analysis *an);
/* Both ends' phase 2 compared (needs two configs). */
void check_pairs(struct analysis *an);
/* Both ends' IKE/ESP parameters compared (check_params.c). */
void check_params(struct analysis *an);
/* Phase 2 transport/tunnel mode across both ends (check_params_modes.c). */
void check_params_modes(struct analysis *an);
/* Installed SAs' algorithms against the configs (check_params_sas.c). */
void check_params_sas(struct analysis *an);
/* Certificates across both ends (check_params_certs.c). */
void check_params_certs(struct analysis *an);
/* RFC 8247 / 8221 SHOULD NOT and MUST NOT transforms at every site. */
void check_weak_crypto(struct analysis *an);
/* Firewall logs, captures, SA status and IPsec logs: confirm,
 * contradict or add findings (doc/ARCHITECTURE.md §4). */
void check_evidence(struct analysis *an);
void evidence_captures(struct analysis *an, struct site *s);
void evidence_status(struct analysis *an, struct site *s);
/* After every site's evidence_status: the IPsec log lines that only say
 * "it failed", joined with the cause another line names. */
void evidence_ike_generic(struct analysis *an);
/* The box's own state (status archive) against the model. */
void evidence_box(struct analysis *an, struct site *s);
/* A pf hop where the box's running ruleset blocks what the modelled one
 * passes (step->model_differs): the ruleset-not-loaded finding, keyed by
 * the config rule missing from the running set (else by the running
 * rule that blocked), with both sides as evidence. */
struct finding *check_running_block(struct analysis *an, struct site *s,
				    const struct step *st,
				    const char *flow_text);
/* Symptoms (one-way SAs, clear text on the WAN) whose cause another
 * finding names join that finding. */
void check_explain(struct analysis *an);
/* Words findings on Linux sites for where Linux fixes them. */
void check_localize(struct analysis *an);
/* One root cause per failure: confirmed findings rule out their
 * siblings and make the flows they explain fail; with a user flow, the
 * probes of other flows are information (check_settle.c). */
void check_settle(struct analysis *an, bool user_flow);
/* Failure families of real cases (check_families*.c, check_known.c,
 * doc/behaviour/field-families.md): blocked fragments, ESP lost on the
 * path, peer names, 0.0.0.0/0 selectors, the outer packet's interface,
 * known defects. */
void check_families(struct analysis *an);
void check_families_config(struct analysis *an, struct site *s);
void check_known_issues(struct analysis *an, struct site *s);
/* A firewall-log block of IPv4 fragments on the IPsec interface (enc0,
 * ipsecN): frag-blocked's, not a missing rule's. */
bool check_frag_on_tunnel(struct analysis *an, const struct site *s,
			  const struct observation *o);
/* Marks sections decided and says what to collect for the others. */
void check_sections(struct analysis *an);

/* The whole diagnosis of an->sites in the guide's order: flows chosen and
 * traced, config checks, both ends compared, failing hops, evidence,
 * symptoms joined to causes, Linux wording, sections; findings sorted.
 * from/to/proto: the user's flow, or NULL to choose them. */
void analysis_run(struct analysis *an, const struct ipaddr *from,
		  const struct ipaddr *to, const char *proto);

/* The flows diagnose examines when the user names none (doc/ARCHITECTURE.md
 * §1). */
void flows_choose(struct analysis *an, const struct ipaddr *from,
		  const struct ipaddr *to, const char *proto);

/* A location for findings, in the run arena ("" without a file). */
const char *check_loc(struct arena *ar, const struct srcloc *l);
/* Does net overlap one of the site's inside interface subnets? */
bool check_on_inside(const struct site *s, const struct prefix *net);
/* Within net, the subnet of one of s's inside interfaces when one lies
 * there, else net: a probe or flow stands for a host that exists, not an
 * address only a selector names (a hub's summary network). */
struct prefix check_inside_part(const struct site *s, const struct prefix *net);

/* MSS clamping (check_mss.c, doc/behaviour/mss.md): the config
 * warning of one site, and whether a capture observation shows the
 * hang (its words; *lim the MSS that fits there). */
void check_mss_config(struct analysis *an, struct site *s);
const char *check_mss_hang(struct arena *ar, const struct site *s,
			   const struct observation *o, unsigned *lim);

/* GUI places that moved between versions, e.g. MSS clamping. */
const char *gui_mss_location(const struct site *s);

/* A block or reject rule the admin wrote that is not a catch-all: the
 * traffic it decides is blocked on purpose. NULL otherwise. */
const struct rule *check_by_design(const struct rule *r);
/* The information finding (blocked-by-rule) for rule r deciding `what`
 * ("10.0.1.10 -> 10.0.2.10 icmp") on interface label tab at s. */
struct finding *check_blocked_by_rule(struct analysis *an, const struct site *s,
				      const struct rule *r, const char *tab,
				      bool from_tunnel, const char *what);
/* An OPNsense Automation rule (Firewall > Automation > Filter) that
 * blocks or rejects: the rule itself is the cause. NULL otherwise. */
const struct rule *check_automation_block(const struct rule *r);
/* The fix for Automation block rule r deciding against what (e.g.
 * "traffic from the tunnel") on the interface labelled tab ("IPsec"). */
const char *check_automation_fix(struct arena *ar, const struct site *s,
				 const struct rule *r, const char *what,
				 const char *tab);

/* Generated rules and settings (check_ruleset.c): filter mode
 * if_ipsec, phase 1 never started. */
void check_ruleset(struct analysis *an);
/* Block all IPv6 / the IPv4 link-local block (a quick system rule). */
bool check_is_system_block(const struct rule *r);
/* The finding for such a rule r deciding against `what`. */
void check_system_block(struct analysis *an, struct site *s,
			const struct rule *r, const char *what);
const char *check_system_block_fix(struct arena *ar, const struct site *s,
				   const struct rule *r);
const char *check_filtermode_fix(struct arena *ar, const struct site *s);
/* ESP from p1's peer meets the default deny: when its phase 2 name no
 * protocol (no automatic ESP rule), finding f says so and fixes that. */
void check_no_protocol(struct analysis *an, const struct site *s,
		       const struct phase1 *p1, struct finding *f);
/* What makes the firewall start phase 1 p1 (NULL: unknown which). */
const char *check_not_started_fix(struct arena *ar, const struct site *s,
				  const struct phase1 *p1);

#endif
