/* Text rendering of what only Linux sites have: netfilter chains and
 * rules, policy routing rules, and the SA status of any site. For the
 * `show` printer (rep_site.c) to call. */
#ifndef REPORT_REP_LINUX_H
#define REPORT_REP_LINUX_H

#include <stdio.h>

#include "model/site.h"
#include "util/arena.h"

/* One rule in nft-like words: "iif lxa-lan daddr 10.0.2.0/24 accept". */
const char *rep_linux_rule(struct arena *ar, const struct site *s,
			   const struct rule *r);
/* Chains (by hook and priority order as listed) with their rules. */
void rep_linux_chains(FILE *f, struct arena *ar, const struct site *s);
/* `ip rule` lines and routes with their table. */
void rep_linux_routing(FILE *f, struct arena *ar, const struct site *s);
/* Interfaces, phase 1 and phase 2 as a Linux importer filled them. */
void rep_linux_ipsec(FILE *f, struct arena *ar, const struct site *s);
/* OBS_SA and OBS_IKE_LOG observations with their source lines. */
void rep_linux_evidence(FILE *f, struct arena *ar, const struct site *s);
/* All of the above. */
void rep_linux_site(FILE *f, struct arena *ar, const struct site *s);

#endif
