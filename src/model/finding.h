/* Findings: the product. Checks make them, reporters print them. */
#ifndef MODEL_FINDING_H
#define MODEL_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/diag.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };

/* How sure: evidence beats prediction. Confirmed by evidence, predicted
 * from config, suspected (a weaker prediction), or ruled out: another
 * finding the evidence confirms explains the same failure. */
enum confidence {
	CONF_CONFIRMED,
	CONF_PREDICTED,
	CONF_SUSPECTED,
	CONF_RULED_OUT
};

/* The guide's sections, in its order (troubleshooting-ipsec-traffic.txt). */
enum section {
	SEC_IPSEC_RULES,
	SEC_FIREWALL_LOGS,
	SEC_WAN_BLOCKS,
	SEC_LAN_RULES,
	SEC_SETTING_MISMATCH,
	SEC_ROUTING,
	SEC_HOST_GATEWAY,
	SEC_HOST_MASK,
	SEC_HOST_FIREWALL,
	SEC_RULES_BOTH_ENDS,
	SEC_CONNECTION_HANGS,
	SEC_DISAPPEARING,
	SEC_BEYOND,
	SEC_COUNT
};

/* Every finding the tool can make, from the catalog (findings.def). */
enum finding_id {
	FINDING_NONE,
#define CHECK(sym, id, sec, sev, what) CHK_##sym,
#include "model/findings.def"
#undef CHECK
	FINDING_COUNT
};

struct finding_info {
	const char *name; /* the stable id users and scripts see */
	enum section section;
	enum severity severity;
	const char *what; /* the root cause it names */
};

/* The catalog row of id (FINDING_NONE has name NULL). */
const struct finding_info *finding_info(enum finding_id id);
const char *finding_name(enum finding_id id);
/* By stable name; FINDING_NONE when unknown. */
enum finding_id finding_by_name(const char *name);

enum evref_kind { EVREF_CONFIG, EVREF_LOG, EVREF_CAPTURE, EVREF_STATUS };

struct evref {
	enum evref_kind kind;
	struct srcloc loc;
	const char *text; /* "rule 3 on IPsec 'allow tcp' tracker 1700000001" */
};

struct finding {
	enum finding_id id;
	enum severity severity;
	const char *site;
	enum section section;
	const char *summary, *detail, *fix;
	struct evref *ev;
	size_t nev, cev;
	enum confidence confidence;
	int flow;   /* index of the flow it explains, -1 none */
	int hop;    /* step index in that flow's failing path, -1 none */
	bool reply; /* the hop is on the reply path */
	const char *contradiction; /* evidence that disagrees, when any */
	const char *ruled_out_by; /* CONF_RULED_OUT: what explains it instead */
	const char *key;	  /* what makes it distinct within (id, site) */
};

/* What to collect to decide a section the tool could not decide. */
struct collect {
	enum section section;
	const char *site;
	const char *what;
};

/* What the evidence says about a section when it names no problem:
 * "filter.log shows no block for the tunnel over its span". */
struct note {
	enum section section;
	const char *site;
	const char *text;
};

struct findings {
	struct finding *f;
	size_t n, cap;
	struct collect *c;
	size_t nc, cc;
	struct note *notes;
	size_t nnotes, cnotes;
	bool decided[SEC_COUNT];
};

struct finding *finding_add(struct arena *ar, struct findings *fs,
			    enum finding_id id, enum severity sev,
			    const char *site, enum section sec);
void finding_evidence(struct arena *ar, struct finding *f, enum evref_kind kind,
		      const struct srcloc *loc, const char *text);
void findings_collect(struct arena *ar, struct findings *fs, enum section sec,
		      const char *site, const char *what);
void findings_note(struct arena *ar, struct findings *fs, enum section sec,
		   const char *site, const char *text);
/* Drops finding i (a prediction the evidence contradicts). */
void findings_remove(struct findings *fs, size_t i);
/* Stable order: section, confidence, severity, site, id. */
void findings_sort(struct findings *fs);
const char *severity_name(enum severity s);
const char *confidence_name(enum confidence c);
/* Does f count toward the exit status and the error/warning totals?
 * Ruled-out findings do not. */
bool finding_counts(const struct finding *f);
const char *section_name(enum section s);
const char *section_key(enum section s); /* JSON: "ipsec-rules" */
const char *evref_kind_name(enum evref_kind k);
bool severity_parse(const char *s, enum severity *out);

#endif
