/* Match values shared by the nftables and iptables readers. */
#include <string.h>

#include "import/linux/nft_match.h"

bool
nfm_addr(struct arena *ar, struct addrset *set, struct str v)
{
	struct str lo, hi;
	struct ipaddr a, b;
	if (str_split(v, '-', &lo, &hi)) {
		if (!ipaddr_parse(str_trim(lo), &a) ||
		    !ipaddr_parse(str_trim(hi), &b) || a.fam != b.fam ||
		    ipaddr_cmp(&a, &b) > 0)
			return false;
		addrset_add_range(ar, set, &a, &b);
		return true;
	}
	struct prefix p;
	if (!prefix_parse(v, &p, NULL))
		return false;
	addrset_add_prefix(ar, set, &p);
	return true;
}

static bool
nfm_port1(struct str v, unsigned *out)
{
	uint64_t n;
	if (str_to_u64(v, 65535, &n)) {
		*out = (unsigned)n;
		return true;
	}
	int p = service_port(v);
	if (p < 0)
		return false;
	*out = (unsigned)p;
	return true;
}

bool
nfm_port(struct arena *ar, struct portset *set, struct str v)
{
	struct str lo, hi;
	unsigned a, b;
	/* iptables writes ranges as 1024:65535 */
	if ((str_split(v, '-', &lo, &hi) || str_split(v, ':', &lo, &hi)) &&
	    lo.n) {
		if (!nfm_port1(str_trim(lo), &a) ||
		    !nfm_port1(str_trim(hi), &b) || a > b)
			return false;
	} else if (nfm_port1(v, &a)) {
		b = a;
	} else {
		return false;
	}
	portset_add(ar, set, a, b);
	return true;
}

int
nfm_proto(struct str v)
{
	if (str_eq(v, "icmpv6") || str_eq(v, "ipv6-icmp"))
		return PROTO_ICMP6;
	return proto_from_name(v);
}

int
nfm_icmp_type(struct str v, bool v6)
{
	static const struct {
		const char *name;
		int v4, v6;
	} t[] = {
	    {"echo-reply", 0, 129},
	    {"destination-unreachable", 3, 1},
	    {"packet-too-big", -1, 2},
	    {"source-quench", 4, -1},
	    {"redirect", 5, 137},
	    {"echo-request", 8, 128},
	    {"router-advertisement", 9, -1},
	    {"router-solicitation", 10, -1},
	    {"time-exceeded", 11, 3},
	    {"parameter-problem", 12, 4},
	    {"timestamp-request", 13, -1},
	    {"timestamp-reply", 14, -1},
	    {"nd-router-solicit", -1, 133},
	    {"nd-router-advert", -1, 134},
	    {"nd-neighbor-solicit", -1, 135},
	    {"nd-neighbor-advert", -1, 136},
	};
	uint64_t n;
	if (str_to_u64(v, 255, &n))
		return (int)n;
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (str_eq(v, t[i].name))
			return v6 ? t[i].v6 : t[i].v4;
	return -1;
}

unsigned
nfm_ct_state(struct str v)
{
	return str_eq(v, "new")		  ? NF_CT_NEW
	       : str_eq(v, "established") ? NF_CT_ESTABLISHED
	       : str_eq(v, "related")	  ? NF_CT_RELATED
	       : str_eq(v, "invalid")	  ? NF_CT_INVALID
	       : str_eq(v, "untracked")	  ? NF_CT_UNTRACKED
					  : 0;
}

void
nfm_rule_init(struct arena *ar, struct rule *r, const char *family)
{
	r->origin = ORIGIN_USER;
	r->quick = true;
	r->icmp_any = true;
	r->protos = protoset_any();
	r->src.addrs = addrset_any(ar);
	r->dst.addrs = addrset_any(ar);
	r->src.text = r->dst.text = "any";
	portset_add(ar, &r->src.ports, 0, 65535);
	portset_add(ar, &r->dst.ports, 0, 65535);
	bool v4 = true, v6 = true;
	if (family && strcmp(family, "ip") == 0)
		v6 = false;
	if (family && strcmp(family, "ip6") == 0)
		v4 = false;
	r->fam[FAM_V4] = v4;
	r->fam[FAM_V6] = v6;
	r->action = ACT_MATCH;
}

bool
nfm_priority(struct str name, int *out)
{
	static const struct {
		const char *name;
		int prio;
	} t[] = {{"raw", -300}, {"mangle", -150},   {"dstnat", -100},
		 {"filter", 0}, {"security", 50},   {"srcnat", 100},
		 {"out", 100},	{"conntrack", -200}};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (str_eq(name, t[i].name)) {
			*out = t[i].prio;
			return true;
		}
	return false;
}

void
nfm_set_verdict(struct rule *r, enum nf_verdict v)
{
	r->verdict = v;
	r->action = v == NFV_ACCEPT   ? ACT_PASS
		    : v == NFV_DROP   ? ACT_BLOCK
		    : v == NFV_REJECT ? ACT_REJECT
				      : ACT_MATCH;
}

size_t
nfm_chain_add(struct arena *ar, struct site *s, const char *family,
	      const char *table, const char *name, const struct srcloc *loc)
{
	for (size_t i = 0; i < s->nchains; i++) {
		struct nf_chain *c = &s->chains[i];
		if (strcmp(c->family, family) == 0 &&
		    strcmp(c->table, table) == 0 && strcmp(c->name, name) == 0)
			return i;
	}
	struct nf_chain *c = ARENA_PUSH(ar, s->chains, s->nchains, s->cchains);
	c->family = family;
	c->table = table;
	c->name = name;
	c->policy = ACT_PASS;
	c->first_rule = s->nrules;
	c->loc = *loc;
	return s->nchains - 1;
}

void
nfm_check_targets(struct site *s, size_t first_chain, size_t first_rule)
{
	for (size_t i = first_rule; i < s->nrules; i++) {
		struct rule *r = &s->rules[i];
		if (r->verdict != NFV_JUMP && r->verdict != NFV_GOTO)
			continue;
		const struct nf_chain *from = &s->chains[r->nf_chain - 1];
		if (r->target == NULL) { /* "jump" at the end of a line */
			diag(DIAG_WARNING, &r->loc, "%s without a chain name",
			     r->verdict == NFV_JUMP ? "jump" : "goto");
			continue;
		}
		bool found = false;
		for (size_t c = first_chain; c < s->nchains && !found; c++)
			found =
			    strcmp(s->chains[c].table, from->table) == 0 &&
			    strcmp(s->chains[c].family, from->family) == 0 &&
			    strcmp(s->chains[c].name, r->target) == 0;
		if (!found)
			diag(DIAG_WARNING, &r->loc,
			     "%s to chain '%s', which "
			     "table %s %s does not have",
			     r->verdict == NFV_JUMP ? "jump" : "goto",
			     r->target, from->family, from->table);
	}
}
