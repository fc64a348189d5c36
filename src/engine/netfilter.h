/* Linux netfilter evaluation (nftables and iptables as imported into
 * struct nf_chain / struct rule): the base chains of a hook in priority
 * order, jumps, gotos, returns, policies, conntrack state, interface
 * names and IPsec policy matches. */
#ifndef ENGINE_NETFILTER_H
#define ENGINE_NETFILTER_H

#include "model/site.h"
#include "model/trace.h"

/* A packet at a netfilter hook. */
struct nf_pkt {
	struct packet p;
	const char *iif, *oif; /* device names, NULL = none (local) */
	unsigned ct;	       /* NF_CT_NEW, NF_CT_ESTABLISHED */
	bool ipsec_in;	       /* decrypted by an xfrm state */
	bool ipsec_out;	       /* will be encrypted by an xfrm policy */
};

struct nf_result {
	bool accept;
	const struct rule *rule;      /* deciding rule; NULL = a policy */
	const struct nf_chain *chain; /* chain of the rule or the policy */
	const struct rule *nat;	      /* masquerade/snat that applied */
};

/* hook: "prerouting", "input", "forward", "output", "postrouting";
 * type: "filter", "nat" or NULL for every chain type. */
struct nf_result nf_hook(const struct site *s, const char *hook,
			 const char *type, const struct nf_pkt *p);
/* Does the site have base chains on this hook (of this type)? */
bool nf_has_hook(const struct site *s, const char *hook, const char *type);
/* "nft inet filter forward: rule 3 'iifname "ipsec0" ...' (file:line)" */
const char *nf_describe(struct arena *ar, const struct site *s,
			const struct nf_result *r, const char *hook);

#endif
