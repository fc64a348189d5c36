/* Checks: the guide's decision tree over the model, the engine's traces
 * and the evidence. Checks never print; they add findings. */
#ifndef CHECK_CHECK_H
#define CHECK_CHECK_H

#include "engine/trace.h"
#include "model/finding.h"

enum check_id {
#define CHECK(sym, id, sec, sev, what) CHK_##sym,
#include "check/checks.def"
#undef CHECK
	CHK_COUNT
};

struct check_info {
	const char *id;
	enum section section;
	enum severity severity;
	const char *what;
};

const struct check_info *check_info(enum check_id c);
/* By stable id; NULL when unknown. */
const struct check_info *check_by_id(const char *id, enum check_id *out);

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
struct finding *check_finding(struct analysis *an, enum check_id c,
			      const struct site *s, const char *key);

/* Config-only checks of every site (lint). */
void check_config(struct analysis *an);
/* Findings from the traced flows' failing hops (diagnose). */
void check_flows(struct analysis *an);
/* Both ends' phase 2 compared (needs two configs). */
void check_pairs(struct analysis *an);
/* Both ends' IKE/ESP parameters compared (check_params.c). */
void check_params(struct analysis *an);
/* RFC 8247 / 8221 SHOULD NOT and MUST NOT transforms at every site. */
void check_weak_crypto(struct analysis *an);
/* Firewall logs, captures, SA status and IPsec logs: confirm,
 * contradict or add findings (DESIGN.md §4). */
void check_evidence(struct analysis *an);
void evidence_captures(struct analysis *an, struct site *s);
void evidence_status(struct analysis *an, struct site *s);
/* Symptoms (one-way SAs, clear text on the WAN) whose cause another
 * finding names join that finding. */
void check_explain(struct analysis *an);
/* Words findings on Linux sites for where Linux fixes them. */
void check_localize(struct analysis *an);
/* Marks sections decided and says what to collect for the others. */
void check_sections(struct analysis *an);

/* The whole diagnosis of an->sites in the guide's order: flows chosen and
 * traced, config checks, both ends compared, failing hops, evidence,
 * symptoms joined to causes, Linux wording, sections; findings sorted.
 * from/to/proto: the user's flow, or NULL to choose them. */
void analysis_run(struct analysis *an, const struct ipaddr *from,
		  const struct ipaddr *to, const char *proto);

/* The flows diagnose examines when the user names none (DESIGN.md §1). */
void flows_choose(struct analysis *an, const struct ipaddr *from,
		  const struct ipaddr *to, const char *proto);

/* A location for findings, in the run arena ("" without a file). */
const char *check_loc(struct arena *ar, const struct srcloc *l);
/* Does net overlap one of the site's inside interface subnets? */
bool check_on_inside(const struct site *s, const struct prefix *net);

/* GUI places that moved between versions, e.g. MSS clamping. */
const char *gui_mss_location(const struct site *s);

/* An OPNsense Automation rule (Firewall > Automation > Filter) that
 * blocks or rejects: the rule itself is the cause. NULL otherwise. */
const struct rule *check_automation_block(const struct rule *r);
/* The fix for Automation block rule r deciding against what (e.g.
 * "traffic from the tunnel") on the interface labelled tab ("IPsec"). */
const char *check_automation_fix(struct arena *ar, const struct site *s,
				 const struct rule *r, const char *what,
				 const char *tab);

#endif
