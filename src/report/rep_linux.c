/* Text rendering of Linux-only model parts and SA / IKE log evidence. */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/rep_linux.h"

static const char *const verdicts[] = {
    "continue", "accept",     "drop", "reject", "jump",	    "goto",
    "return",	"masquerade", "snat", "dnat",	"redirect", "other",
};

static const char *
loc_str(struct arena *ar, const struct srcloc *loc)
{
	char buf[512];
	return arena_strdup(ar, srcloc_format(loc, buf, sizeof(buf)));
}

static const char *
names(struct arena *ar, const char *const *v, size_t n)
{
	const char *out = "";
	for (size_t i = 0; i < n; i++)
		out = arena_printf(ar, "%s%s%s", out, i ? "," : "", v[i]);
	return out;
}

const char *
rep_linux_verdict_name(enum nf_verdict v)
{
	return v < sizeof(verdicts) / sizeof(*verdicts) ? verdicts[v] : "?";
}

const char *
rep_linux_ct_names(struct arena *ar, unsigned ct)
{
	static const char *const n[] = {"new", "established", "related",
					"invalid", "untracked"};
	const char *out = "";
	for (unsigned i = 0; i < 5; i++)
		if (ct & (1u << i))
			out = arena_printf(ar, "%s%s%s", out, *out ? "," : "",
					   n[i]);
	return out;
}

static const char *
protos(struct arena *ar, const struct protoset *ps)
{
	const char *out = "";
	unsigned n = 0;
	for (unsigned p = 0; p < 256 && n < 8; p++)
		if (protoset_has(ps, p))
			out = arena_printf(ar, "%s%s%s", out, n++ ? "," : "",
					   proto_name(p));
	return out;
}

static const char *
numbers(struct arena *ar, const struct protoset *ps)
{
	const char *out = "";
	for (unsigned p = 0; p < 256; p++)
		if (protoset_has(ps, p))
			out =
			    arena_printf(ar, "%s%s%u", out, *out ? "," : "", p);
	return out;
}

const char *
rep_linux_rule(struct arena *ar, const struct site *s, const struct rule *r)
{
	(void)s;
	const char *o = "";
	if (!r->fam[FAM_V4] || !r->fam[FAM_V6])
		o = r->fam[FAM_V4] ? "ip " : "ip6 ";
	if (r->niif)
		o = arena_printf(ar, "%siif %s%s ", o, r->iif_negate ? "!" : "",
				 names(ar, r->iifnames, r->niif));
	if (r->noif)
		o = arena_printf(ar, "%soif %s%s ", o, r->oif_negate ? "!" : "",
				 names(ar, r->oifnames, r->noif));
	if (r->ct_state)
		o = arena_printf(ar, "%sct %s%s ", o, r->ct_negate ? "!" : "",
				 rep_linux_ct_names(ar, r->ct_state));
	if (r->ipsec_match)
		o = arena_printf(ar, "%sipsec %s %s ", o,
				 r->ipsec_dir == DIR_OUT ? "out" : "in",
				 r->ipsec_match > 0 ? "exists" : "missing");
	if (!protoset_is_any(&r->protos))
		o = arena_printf(ar, "%sproto %s ", o, protos(ar, &r->protos));
	if (!r->icmp_any)
		o = arena_printf(ar, "%stype %s ", o,
				 numbers(ar, &r->icmptypes));
	if (!addrset_is_any(&r->src.addrs) || r->src.negate)
		o = arena_printf(ar, "%ssrc %s ", o, r->src.text);
	if (!addrset_is_any(&r->dst.addrs) || r->dst.negate)
		o = arena_printf(ar, "%sdst %s ", o, r->dst.text);
	if (!portset_is_any(&r->src.ports))
		o = arena_printf(ar, "%ssport %s ", o,
				 portset_format(ar, &r->src.ports));
	if (!portset_is_any(&r->dst.ports))
		o = arena_printf(ar, "%sdport %s ", o,
				 portset_format(ar, &r->dst.ports));
	if (r->log)
		o = arena_printf(ar, "%slog ", o);
	o = arena_printf(ar, "%s%s", o, rep_linux_verdict_name(r->verdict));
	if (r->target)
		o = arena_printf(ar, "%s %s", o, r->target);
	if (r->has_nat_addr) {
		char b[ADDR_STRLEN];
		o = arena_printf(ar, "%s to %s", o,
				 ipaddr_format(&r->nat_addr, b));
	}
	if (r->descr && *r->descr)
		o = arena_printf(ar, "%s comment \"%s\"", o, r->descr);
	if (r->has_counter)
		o = arena_printf(ar,
				 "%s (%" PRIu64 " packets, %" PRIu64 " bytes)",
				 o, r->packets, r->bytes);
	if (r->unparsed)
		o = arena_printf(ar, "%s [not modelled: %s]", o, r->unparsed);
	return o;
}

/* Evaluation order of base chains: netfilter hooks in packet order. */
static unsigned
hook_rank(const struct nf_chain *c)
{
	static const char *const hooks[] = {"ingress", "prerouting",
					    "input",   "forward",
					    "output",  "postrouting"};
	if (!c->base || c->hook == NULL)
		return 7; /* regular chains: reached by jump/goto only */
	for (unsigned i = 0; i < 6; i++)
		if (strcmp(c->hook, hooks[i]) == 0)
			return i;
	return 6;
}

struct chain_key {
	unsigned rank;
	int prio;
	size_t idx;
};

static int
chain_key_cmp(const void *a, const void *b)
{
	const struct chain_key *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->rank < 7 && x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

size_t *
rep_linux_chain_order(struct arena *ar, const struct site *s)
{
	struct chain_key *k = arena_alloc(ar, (s->nchains + 1) * sizeof(*k));
	size_t *order = arena_alloc(ar, (s->nchains + 1) * sizeof(*order));
	for (size_t i = 0; i < s->nchains; i++)
		k[i] = (struct chain_key){hook_rank(&s->chains[i]),
					  s->chains[i].priority, i};
	qsort(k, s->nchains, sizeof(*k), chain_key_cmp);
	for (size_t i = 0; i < s->nchains; i++)
		order[i] = k[i].idx;
	return order;
}

void
rep_linux_chains(FILE *f, struct arena *ar, const struct site *s,
		 const char *ind)
{
	size_t *order = rep_linux_chain_order(ar, s);
	for (size_t i = 0; i < s->nchains; i++) {
		const struct nf_chain *c = &s->chains[order[i]];
		fprintf(f, "%schain %s %s %s", ind, c->family, c->table,
			c->name);
		if (c->base)
			fprintf(f, " (%s hook %s priority %d policy %s)",
				c->type ? c->type : "filter", c->hook,
				c->priority,
				c->policy == ACT_BLOCK ? "drop" : "accept");
		fprintf(f, "  %s\n", loc_str(ar, &c->loc));
		for (size_t k = 0; k < c->nrules; k++) {
			const struct rule *r = &s->rules[c->first_rule + k];
			fprintf(f, "%s  %2u %s  %s\n", ind, r->position,
				rep_linux_rule(ar, s, r), loc_str(ar, &r->loc));
		}
	}
}

const char *
rep_linux_table_name(struct arena *ar, unsigned table)
{
	switch (table) {
	case 0: /* FALLTHROUGH: routes without a table are in main */
	case 254:
		return "main";
	case 255:
		return "local";
	case 253:
		return "default";
	default:
		return arena_printf(ar, "%u", table);
	}
}

void
rep_linux_routing(FILE *f, struct arena *ar, const struct site *s,
		  const char *ind)
{
	char b[PREFIX_STRLEN], g[ADDR_STRLEN];
	for (size_t i = 0; i < s->niprules; i++) {
		const struct ip_rule *r = &s->iprules[i];
		fprintf(f, "%sip rule %u: %sfrom %s", ind, r->pref,
			r->not ? "not " : "",
			r->from_any ? "all" : prefix_format(&r->from, b));
		if (!r->to_any)
			fprintf(f, " to %s", prefix_format(&r->to, b));
		if (r->iif)
			fprintf(f, " iif %s", r->iif);
		if (r->oif)
			fprintf(f, " oif %s", r->oif);
		if (r->has_fwmark)
			fprintf(f, " fwmark 0x%x/0x%x", r->fwmark, r->fwmask);
		if (r->action)
			fprintf(f, " %s", r->action);
		else
			fprintf(f, " lookup %s",
				rep_linux_table_name(ar, r->table));
		fprintf(f, "  %s\n", loc_str(ar, &r->loc));
	}
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		fprintf(f, "%sroute table %s %s %s", ind,
			rep_linux_table_name(ar, r->table),
			route_kind_name(r->kind), prefix_format(&r->net, b));
		if (r->has_via)
			fprintf(f, " via %s", ipaddr_format(&r->via, g));
		fprintf(f, " dev %s%s%s%s\n", r->iface ? r->iface : "-",
			r->origin ? " (" : "", r->origin ? r->origin : "",
			r->origin ? ")" : "");
	}
}

static const char *
transforms(struct arena *ar, const struct phase2 *p2)
{
	const char *o = "";
	for (size_t i = 0; i < p2->nenc; i++)
		o = arena_printf(
		    ar, "%s%s%s-%u%s", o, *o ? " " : "",
		    cipher_name(p2->enc[i].cipher), p2->enc[i].keylen,
		    p2->enc[i].icv ? arena_printf(ar, "/icv%u", p2->enc[i].icv)
				   : "");
	for (size_t i = 0; i < p2->ninteg; i++)
		o = arena_printf(ar, "%s%s%s", o, *o ? " " : "",
				 integ_name(p2->integ[i]));
	return *o ? o : "default";
}

void
rep_linux_ipsec(FILE *f, struct arena *ar, const struct site *s)
{
	char b[PREFIX_STRLEN], c[PREFIX_STRLEN];
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *x = &s->ifaces[i];
		fprintf(f, "iface %s %s mtu %u%s", x->key,
			if_role_name(x->role), x->mtu,
			x->enabled ? "" : " down");
		for (size_t a = 0; a < x->naddrs; a++) {
			struct prefix p = {x->addrs[a].addr, x->addrs[a].plen};
			fprintf(f, " %s/%u", ipaddr_format(&p.addr, b), p.len);
		}
		if (x->gateway)
			fprintf(f, " gateway %s", x->gateway);
		fputc('\n', f);
	}
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p = &s->p1[i];
		fprintf(
		    f, "phase1 %s IKEv%u local %s remote %s iface %s%s%s  %s\n",
		    p->ikeid, p->ikever,
		    p->local_known ? ipaddr_format(&p->local, b) : "%any",
		    p->remote, p->iface ? p->iface : "?",
		    p->natt ? " natt " : "", p->natt ? p->natt : "",
		    loc_str(ar, &p->loc));
	}
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		fprintf(f, "phase2 %s %s %s === %s %s %s%s%s%s  %s\n",
			p->uniqid, p2_mode_name(p->mode),
			p->local.resolved ? prefix_format(&p->local.net, b)
					  : p->local.text,
			p->remote.resolved ? prefix_format(&p->remote.net, c)
					   : p->remote.text,
			p->proto == PROTO_AH ? "ah" : "esp", transforms(ar, p),
			p->start_action ? " start_action=" : "",
			p->start_action ? p->start_action : "",
			p->disabled ? " disabled" : "", loc_str(ar, &p->loc));
	}
}

static void
sa_line(FILE *f, struct arena *ar, const struct observation *o, const char *ind)
{
	char b[PREFIX_STRLEN], c[PREFIX_STRLEN];
	fprintf(f,
		"%ssa %s/%s %s === %s spi 0x%08x in %" PRIu64 "B/%" PRIu64
		"p out %" PRIu64 "B/%" PRIu64 "p  %s\n",
		ind, o->conn ? o->conn : "?",
		o->child  ? o->child
		: o->text ? o->text
			  : "?",
		prefix_format(&o->ts_local, b), prefix_format(&o->ts_remote, c),
		o->value, o->bytes_rev, o->count_rev, o->bytes, o->count,
		loc_str(ar, &o->where));
}

static void
log_line(FILE *f, struct arena *ar, const struct observation *o,
	 const char *ind)
{
	fprintf(f, "%slog %s%s%s%s%s: %s  %s\n", ind,
		o->action ? o->action : "", o->conn ? " " : "",
		o->conn ? o->conn : "", o->child ? "/" : "",
		o->child ? o->child : "", o->text ? o->text : "",
		loc_str(ar, &o->where));
}

size_t
rep_linux_evidence(FILE *f, struct arena *ar, const struct site *s,
		   enum obs_kind kind, const char *ind, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind != kind || n++ >= max)
			continue;
		if (kind == OBS_SA)
			sa_line(f, ar, o, ind);
		else
			log_line(f, ar, o, ind);
	}
	return n;
}

const char *
rep_linux_log_counts(struct arena *ar, const struct site *s)
{
	/* Event kinds in order of first appearance; few distinct kinds. */
	const char **kinds = NULL;
	size_t *counts = NULL, nk = 0, ck = 0, cc = 0, nc = 0;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind != OBS_IKE_LOG)
			continue;
		const char *a = o->action ? o->action : "other";
		size_t k = 0;
		while (k < nk && strcmp(kinds[k], a) != 0)
			k++;
		if (k == nk) {
			*ARENA_PUSH(ar, kinds, nk, ck) = a;
			*ARENA_PUSH(ar, counts, nc, cc) = 0;
		}
		counts[k]++;
	}
	const char *out = "";
	for (size_t k = 0; k < nk; k++)
		out = arena_printf(ar, "%s%s%zu %s", out, k ? ", " : "",
				   counts[k], kinds[k]);
	return out;
}

void
rep_linux_site(FILE *f, struct arena *ar, const struct site *s)
{
	rep_linux_ipsec(f, ar, s);
	rep_linux_routing(f, ar, s, "");
	rep_linux_chains(f, ar, s, "");
	rep_linux_evidence(f, ar, s, OBS_SA, "", SIZE_MAX);
	rep_linux_evidence(f, ar, s, OBS_IKE_LOG, "", SIZE_MAX);
}
