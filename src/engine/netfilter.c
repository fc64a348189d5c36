/* Netfilter as the kernel runs it: every base chain of a hook, lowest
 * priority first; accept ends one base chain (the next still runs), drop
 * and reject end the packet; a regular chain returns to its caller at its
 * end or on return; goto does not come back (nft(8), iptables(8)). */
#include "engine/netfilter.h"

#include <fnmatch.h>
#include <string.h>

#include "engine/ruleset.h"

enum { NF_MAX_DEPTH = 16 }; /* jumps nested deeper are cut (loops) */

static bool
name_in(const char **names, size_t n, const char *dev)
{
	if (dev == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (fnmatch(names[i], dev, 0) == 0)
			return true;
	return false;
}

static bool
nf_rule_matches(const struct rule *r, const struct nf_pkt *p)
{
	if (r->niif && name_in(r->iifnames, r->niif, p->iif) == r->iif_negate)
		return false;
	if (r->noif && name_in(r->oifnames, r->noif, p->oif) == r->oif_negate)
		return false;
	if (r->ct_state && ((r->ct_state & p->ct) != 0) == r->ct_negate)
		return false;
	if (r->ipsec_match) {
		bool has = r->ipsec_dir == DIR_OUT ? p->ipsec_out : p->ipsec_in;
		if (has != (r->ipsec_match > 0))
			return false;
	}
	return rule_matches(r, &p->p);
}

struct walk {
	const struct site *s;
	const struct nf_pkt *p;
	struct nf_result res;
	bool decided; /* drop/reject, or accept ending the base chain */
};

/* Runs chain ci; returns true when a verdict ended the base chain. */
static bool
run_chain(struct walk *w, size_t ci, int depth)
{
	const struct site *s = w->s;
	const struct nf_chain *c = &s->chains[ci];
	if (depth > NF_MAX_DEPTH)
		return false;
	for (size_t i = 0; i < c->nrules; i++) {
		const struct rule *r = &s->rules[c->first_rule + i];
		if (r->disabled || !nf_rule_matches(r, w->p))
			continue;
		switch (r->verdict) {
		case NFV_ACCEPT:
		case NFV_DROP:
		case NFV_REJECT:
			w->res.accept = r->verdict == NFV_ACCEPT;
			w->res.rule = r;
			w->res.chain = c;
			return true;
		case NFV_MASQUERADE:
		case NFV_SNAT:
			w->res.accept = true;
			w->res.rule = r;
			w->res.chain = c;
			w->res.nat = r;
			return true;
		case NFV_RETURN:
			return false;
		case NFV_JUMP:
		case NFV_GOTO:
			for (size_t t = 0; r->target && t < s->nchains; t++) {
				const struct nf_chain *tc = &s->chains[t];
				if (strcmp(tc->name, r->target) != 0 ||
				    strcmp(tc->table, c->table) != 0 ||
				    strcmp(tc->family, c->family) != 0)
					continue;
				if (run_chain(w, t, depth + 1))
					return true;
				if (r->verdict == NFV_GOTO)
					return false;
				break;
			}
			break;
		default: /* counter, log, dnat, ...: evaluation goes on */
			break;
		}
	}
	return false;
}

static bool
chain_on(const struct nf_chain *c, const char *hook, const char *type,
	 unsigned fam)
{
	if (!c->base || c->hook == NULL || strcmp(c->hook, hook) != 0)
		return false;
	if (type && c->type && strcmp(c->type, type) != 0)
		return false;
	if (strcmp(c->family, "ip") == 0)
		return fam == FAM_V4;
	if (strcmp(c->family, "ip6") == 0)
		return fam == FAM_V6;
	return strcmp(c->family, "inet") == 0;
}

bool
nf_has_hook(const struct site *s, const char *hook, const char *type)
{
	for (size_t i = 0; i < s->nchains; i++)
		if (chain_on(&s->chains[i], hook, type, FAM_V4) ||
		    chain_on(&s->chains[i], hook, type, FAM_V6))
			return true;
	return false;
}

struct nf_result
nf_hook(const struct site *s, const char *hook, const char *type,
	const struct nf_pkt *p)
{
	struct nf_result out = {.accept = true};
	/* base chains in priority order, then file order: each round takes
	 * the next (priority, index) after the last one run */
	bool started = false;
	int last_prio = 0;
	size_t last = 0;
	for (;;) {
		size_t best = (size_t)-1;
		for (size_t i = 0; i < s->nchains; i++) {
			const struct nf_chain *c = &s->chains[i];
			if (!chain_on(c, hook, type, p->p.src.fam))
				continue;
			if (started &&
			    (c->priority < last_prio ||
			     (c->priority == last_prio && i <= last)))
				continue;
			if (best == (size_t)-1 ||
			    c->priority < s->chains[best].priority)
				best = i;
		}
		if (best == (size_t)-1)
			return out;
		started = true;
		last_prio = s->chains[best].priority;
		last = best;
		struct walk w = {s, p, {.accept = true}, false};
		if (!run_chain(&w, best, 0)) {
			/* fell off the end: the chain's policy */
			w.res.accept = s->chains[best].policy != ACT_BLOCK;
			w.res.rule = NULL;
			w.res.chain = &s->chains[best];
		}
		if (w.res.nat)
			out.nat = w.res.nat;
		if (!w.res.accept)
			return w.res;
		/* the last accepting chain is what the report names */
		out.rule = w.res.rule ? w.res.rule : out.rule;
		out.chain = w.res.rule	? w.res.chain
			    : out.chain ? out.chain
					: w.res.chain;
	}
}

const char *
nf_describe(struct arena *ar, const struct site *s, const struct nf_result *r,
	    const char *hook)
{
	char where[512] = "";
	const struct nf_chain *c = r->chain;
	if (c == NULL)
		return arena_printf(ar, "no %s chain (accepted)", hook);
	if (r->rule == NULL) {
		if (c->loc.file)
			srcloc_format(&c->loc, where, sizeof(where));
		return arena_printf(ar, "the policy %s of chain %s %s %s (%s)",
				    c->policy == ACT_BLOCK ? "drop" : "accept",
				    c->family, c->table, c->name, where);
	}
	if (r->rule->loc.file)
		srcloc_format(&r->rule->loc, where, sizeof(where));
	size_t pos = (size_t)(r->rule - &s->rules[c->first_rule]) + 1;
	return arena_printf(ar, "rule %zu of chain %s %s %s%s%s%s (%s)", pos,
			    c->family, c->table, c->name,
			    r->rule->descr ? " '" : "",
			    r->rule->descr ? r->rule->descr : "",
			    r->rule->descr ? "'" : "", where);
}
