/* Shared by the nftables text and JSON readers and the iptables reader:
 * turning match values into the rule model. */
#ifndef IMPORT_NFT_MATCH_H
#define IMPORT_NFT_MATCH_H

#include "import/linux/linux.h"

/* Adds "10.0.0.0/8", "10.0.0.1-10.0.0.9" or an address; false if none. */
bool nfm_addr(struct arena *ar, struct addrset *set, struct str v);
/* Adds "22", "1024-65535", "ssh", "https"; false if unknown. */
bool nfm_port(struct arena *ar, struct portset *set, struct str v);
/* "tcp", "esp", "50"; -1 if unknown. */
int nfm_proto(struct str v);
/* "echo-request", "8" (v6: ICMPv6 names); -1 if unknown. */
int nfm_icmp_type(struct str v, bool v6);
/* "established" -> NF_CT_ESTABLISHED; 0 if unknown. */
unsigned nfm_ct_state(struct str v);
/* A fresh rule: any address, port and protocol, both families. */
void nfm_rule_init(struct arena *ar, struct rule *r, const char *family);
/* Named chain priorities of nft (filter 0, srcnat 100, ...). */
bool nfm_priority(struct str name, int *out);
/* Sets action from verdict. */
void nfm_set_verdict(struct rule *r, enum nf_verdict v);
/* Appends a chain; returns its index. */
size_t nfm_chain_add(struct arena *ar, struct site *s, const char *family,
		     const char *table, const char *name,
		     const struct srcloc *loc);
/* Warns about jump/goto targets that name no chain of their table. */
void nfm_check_targets(struct site *s, size_t first_chain, size_t first_rule);

#endif
