/* Text rendering of what only Linux sites have: netfilter chains and
 * rules, policy routing rules, and the SA status / IPsec log evidence of
 * any site. Used by `show` (rep_site.c, with an indent) and by the Linux
 * importer tests (rep_linux_site). Locations are printed with the paths
 * as the user named the files. */
#ifndef REPORT_REP_LINUX_H
#define REPORT_REP_LINUX_H

#include <stdio.h>

#include "model/site.h"
#include "util/arena.h"

/* IPsec log events `show` lists; the rest are counted. */
enum { REP_LINUX_LOG_MAX = 40 };

/* "accept", "jump", "masquerade", ... */
const char *rep_linux_verdict_name(enum nf_verdict v);
/* NF_CT_* bits as "established,related"; "" for none. */
const char *rep_linux_ct_names(struct arena *ar, unsigned ct);
/* One rule in nft-like words: "iif lxa-lan daddr 10.0.2.0/24 accept". */
const char *rep_linux_rule(struct arena *ar, const struct site *s,
			   const struct rule *r);
/* Chain indices in evaluation order: base chains by hook (prerouting,
 * input, forward, output, postrouting) then priority, lowest first;
 * regular chains (reached by jump/goto) after them; ties as listed. */
size_t *rep_linux_chain_order(struct arena *ar, const struct site *s);
/* "main", "local", "default" or the number. */
const char *rep_linux_table_name(struct arena *ar, unsigned table);
/* Chains in rep_linux_chain_order with their policies and rules, each
 * line prefixed by ind. */
void rep_linux_chains(FILE *f, struct arena *ar, const struct site *s,
		      const char *ind);
/* `ip rule` lines in order, then routes with their table. */
void rep_linux_routing(FILE *f, struct arena *ar, const struct site *s,
		       const char *ind);
/* Interfaces, phase 1 and phase 2 as a Linux importer filled them. */
void rep_linux_ipsec(FILE *f, struct arena *ar, const struct site *s);
/* The first max observations of kind (OBS_SA or OBS_IKE_LOG) with their
 * source lines; returns how many the site has. */
size_t rep_linux_evidence(FILE *f, struct arena *ar, const struct site *s,
			  enum obs_kind kind, const char *ind, size_t max);
/* IPsec log events by kind, first seen first: "2 proposal, 1 nat". */
const char *rep_linux_log_counts(struct arena *ar, const struct site *s);
/* All of the above, unindented. */
void rep_linux_site(FILE *f, struct arena *ar, const struct site *s);

#endif
