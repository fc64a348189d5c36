/* iptables-save / ip6tables-save output (iptables 1.8, legacy and nft
 * backends, with or without -c counters) into netfilter chains and rules
 * with the hooks and priorities of the iptables tables. */
#include <string.h>

#include "import/linux/nft_match.h"
#include "import/load.h"

struct ipt {
	struct arena *ar;
	struct site *s;
	const char *file, *family, *table;
	size_t first_chain, first_rule;
	bool ok;
};

/* Hook and priority of a built-in chain of an iptables table. */
static void
ipt_builtin(struct nf_chain *c, const char *table)
{
	static const char *const hooks[][2] = {
	    {"PREROUTING", "prerouting"},   {"INPUT", "input"},
	    {"FORWARD", "forward"},	    {"OUTPUT", "output"},
	    {"POSTROUTING", "postrouting"},
	};
	for (size_t i = 0; i < 5; i++)
		if (strcmp(c->name, hooks[i][0]) == 0) {
			c->hook = hooks[i][1];
			c->base = true;
		}
	if (!c->base)
		return;
	c->type = strcmp(table, "nat") == 0 ? "nat" : "filter";
	c->priority = strcmp(table, "raw") == 0	       ? -300
		      : strcmp(table, "mangle") == 0   ? -150
		      : strcmp(table, "security") == 0 ? 50
		      : strcmp(table, "nat") != 0      ? 0
		      : (strcmp(c->name, "PREROUTING") == 0 ||
			 strcmp(c->name, "OUTPUT") == 0)
			  ? -100
			  : 100;
}

/* Splits a line into words, keeping "quoted strings" whole. */
static size_t
ipt_words(struct arena *ar, struct str line, struct str **out)
{
	size_t n = 0, cap = 0;
	const char *p = line.p, *end = line.p + line.n;
	*out = NULL;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		const char *st = p;
		if (*p == '"') {
			st = ++p;
			while (p < end && *p != '"')
				p += (*p == '\\' && p + 1 < end) ? 2 : 1;
			*ARENA_PUSH(ar, *out, n, cap) = (struct str){
			    st, (size_t)((p < end ? p : end) - st)};
			p++;
			continue;
		}
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		*ARENA_PUSH(ar, *out, n, cap) =
		    (struct str){st, (size_t)(p - st)};
	}
	return n;
}

static const char *
ipt_ifname(struct arena *ar, struct str v)
{
	/* iptables' "eth+" is nft's "eth*" */
	if (v.n && v.p[v.n - 1] == '+')
		return arena_printf(ar, "%.*s*", (int)v.n - 1, v.p);
	return lx_dup(ar, v);
}

static bool
ipt_list(struct ipt *p, struct str v,
	 bool (*fn)(struct arena *, void *, struct str), void *dst)
{
	struct str rest = v, tok;
	while (str_next(&rest, ',', &tok))
		if (!fn(p->ar, dst, tok))
			return false;
	return true;
}

static bool
ipt_addr1(struct arena *ar, void *dst, struct str v)
{
	return nfm_addr(ar, dst, v);
}

static bool
ipt_port1(struct arena *ar, void *dst, struct str v)
{
	return nfm_port(ar, dst, v);
}

static bool
ipt_addr(struct ipt *p, struct rule_end *e, struct str v, bool neg)
{
	struct addrset set = {0};
	if (!ipt_list(p, v, ipt_addr1, &set))
		return false;
	e->addrs = set;
	e->negate = neg;
	e->text = arena_printf(p->ar, "%s%s", neg ? "not " : "",
			       addrset_format(p->ar, &set, 8));
	return true;
}

static bool
ipt_ports(struct ipt *p, struct rule_end *e, struct str v, bool neg)
{
	struct portset set = {0};
	if (!ipt_list(p, v, ipt_port1, &set))
		return false;
	if (neg)
		set.r = ranges_complement(p->ar, &set.r, 65535);
	e->ports = set;
	e->port_text = portset_format(p->ar, &set);
	return true;
}

static bool
ipt_verdict(struct ipt *p, struct rule *r, struct str t, bool go)
{
	static const struct {
		const char *name;
		enum nf_verdict v;
	} tab[] = {
	    {"ACCEPT", NFV_ACCEPT},
	    {"DROP", NFV_DROP},
	    {"REJECT", NFV_REJECT},
	    {"RETURN", NFV_RETURN},
	    {"MASQUERADE", NFV_MASQUERADE},
	    {"SNAT", NFV_SNAT},
	    {"DNAT", NFV_DNAT},
	    {"REDIRECT", NFV_REDIRECT},
	    {"LOG", NFV_NONE},
	    {"NFLOG", NFV_NONE},
	    {"TCPMSS", NFV_OTHER},
	    {"MARK", NFV_OTHER},
	    {"CONNMARK", NFV_OTHER},
	    {"NOTRACK", NFV_OTHER},
	    {"CT", NFV_OTHER},
	    {"NFQUEUE", NFV_OTHER},
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(*tab); i++)
		if (str_eq(t, tab[i].name)) {
			nfm_set_verdict(r, tab[i].v);
			r->log = str_eq(t, "LOG") || str_eq(t, "NFLOG");
			return true;
		}
	nfm_set_verdict(r, go ? NFV_GOTO : NFV_JUMP);
	r->target = lx_dup(p->ar, t);
	return true;
}

/* One option with its value; false when not understood. */
static bool
ipt_opt(struct ipt *p, struct rule *r, struct str o, struct str v, bool neg)
{
	if (str_eq(o, "-s") || str_eq(o, "--source"))
		return ipt_addr(p, &r->src, v, neg);
	if (str_eq(o, "-d") || str_eq(o, "--destination"))
		return ipt_addr(p, &r->dst, v, neg);
	if (str_eq(o, "-i") || str_eq(o, "--in-interface")) {
		*ARENA_PUSH(p->ar, r->iifnames, r->niif, r->ciif) =
		    ipt_ifname(p->ar, v);
		r->iif_negate = neg;
		return true;
	}
	if (str_eq(o, "-o") || str_eq(o, "--out-interface")) {
		*ARENA_PUSH(p->ar, r->oifnames, r->noif, r->coif) =
		    ipt_ifname(p->ar, v);
		r->oif_negate = neg;
		return true;
	}
	if (str_eq(o, "-p") || str_eq(o, "--protocol")) {
		int pr = nfm_proto(v);
		if (pr < 0 && !str_eq(v, "all"))
			return false;
		if (pr >= 0) {
			r->protos = (struct protoset){0};
			protoset_add(&r->protos, (unsigned)pr);
			if (neg)
				for (int w = 0; w < 4; w++)
					r->protos.bits[w] = ~r->protos.bits[w];
		}
		return true;
	}
	if (str_eq(o, "--dport") || str_eq(o, "--destination-port") ||
	    str_eq(o, "--dports") || str_eq(o, "--destination-ports"))
		return ipt_ports(p, &r->dst, v, neg);
	if (str_eq(o, "--sport") || str_eq(o, "--source-port") ||
	    str_eq(o, "--sports") || str_eq(o, "--source-ports"))
		return ipt_ports(p, &r->src, v, neg);
	if (str_eq(o, "--ctstate") || str_eq(o, "--state")) {
		struct str rest = v, tok;
		while (str_next(&rest, ',', &tok)) {
			struct str lc = {lx_dup(p->ar, tok), tok.n};
			for (size_t k = 0; k < lc.n; k++)
				((char *)lc.p)[k] |= 0x20; /* lower case */
			unsigned b = nfm_ct_state(lc);
			if (!b)
				return false;
			r->ct_state |= b;
		}
		r->ct_negate = neg;
		return true;
	}
	if (str_eq(o, "--dir")) {
		r->ipsec_dir = str_eq(v, "in") ? DIR_IN : DIR_OUT;
		return true;
	}
	if (str_eq(o, "--pol")) {
		r->ipsec_match = str_eq(v, "ipsec") ? 1 : -1;
		return str_eq(v, "ipsec") || str_eq(v, "none");
	}
	if (str_eq(o, "--icmp-type") || str_eq(o, "--icmpv6-type")) {
		bool v6 = o.n > 11;
		struct str num, code;
		str_split(v, '/', &num, &code);
		int t = nfm_icmp_type(num, v6);
		if (t < 0 || neg)
			return false;
		r->icmp_any = false;
		protoset_add(&r->icmptypes, (unsigned)t);
		return true;
	}
	if (str_eq(o, "--comment")) {
		r->descr = lx_dup(p->ar, v);
		return true;
	}
	if (str_eq(o, "-j") || str_eq(o, "-g") || str_eq(o, "--jump") ||
	    str_eq(o, "--goto"))
		return ipt_verdict(p, r, v, o.p[1] == 'g' || o.p[2] == 'g');
	if (str_eq(o, "--to-source") || str_eq(o, "--to-destination") ||
	    str_eq(o, "--to")) {
		struct str a, rest;
		str_split(v, ':', &a, &rest);
		str_split(a, '-', &a, &rest);
		r->has_nat_addr = ipaddr_parse(a, &r->nat_addr);
		return true;
	}
	/* TCPMSS in mangle (doc/behaviour/mss.md §4): the clamp */
	if (str_eq(o, "--clamp-mss-to-pmtu") || str_eq(o, "--set-mss")) {
		uint64_t mss;
		if (o.p[2] == 'c') {
			p->s->flags.mss_pmtu = true;
		} else if (str_to_u64(v, 65535, &mss) && mss > 0) {
			if (!p->s->flags.maxmss || mss < p->s->flags.maxmss)
				p->s->flags.maxmss = (unsigned)mss;
			p->s->flags.maxmss_enable = true;
		} else {
			diag(DIAG_WARNING, &r->loc,
			     "--set-mss '%.*s' is not a "
			     "number from 1 to 65535: no MSS clamp is counted",
			     (int)v.n, v.p ? v.p : "");
			return true;
		}
		p->s->flags.mss_linux = true;
		p->s->flags.maxmss_loc = r->loc;
		p->s->flags.mss_words =
		    p->s->flags.mss_pmtu && o.p[2] == 'c'
			? "iptables TCPMSS --clamp-mss-to-pmtu"
			: arena_printf(p->ar, "iptables TCPMSS --set-mss %u",
				       p->s->flags.maxmss);
		return true;
	}
	/* policy module details, target options: no effect on matching */
	static const char *const benign[] = {
	    "--reqid",	      "--proto",      "--mode",
	    "--tunnel-src",   "--tunnel-dst", "--reject-with",
	    "--log-prefix",   "--log-level",  "--nflog-group",
	    "--nflog-prefix", "--to-ports",   "--set-mss",
	    "--set-xmark",    "--set-mark",   "--log-uid",
	    "--random",	      "--match-set",  NULL};
	for (size_t k = 0; benign[k]; k++)
		if (str_eq(o, benign[k]))
			return !str_eq(o, "--match-set");
	return false;
}

static void
ipt_rule(struct ipt *p, struct str line, uint32_t lineno)
{
	struct str *w;
	size_t n = ipt_words(p->ar, line, &w), i = 0;
	struct rule r = {0};
	nfm_rule_init(p->ar, &r, p->family);
	r.loc = (struct srcloc){p->file, lineno, 1, 0};
	if (n && w[0].n > 2 && w[0].p[0] == '[') { /* -c: [packets:bytes] */
		struct str in = {w[0].p + 1, w[0].n - 2}, pk, by;
		str_split(in, ':', &pk, &by);
		r.has_counter = str_to_u64(pk, UINT64_MAX, &r.packets) &&
				str_to_u64(by, UINT64_MAX, &r.bytes);
		i++;
	}
	if (i + 1 >= n || !str_eq(w[i], "-A")) {
		struct srcloc loc = {p->file, lineno, lx_col(line, w[i].p), 0};
		diag(DIAG_ERROR, &loc, "expected '-A CHAIN' in a rule line");
		p->ok = false;
		return;
	}
	struct srcloc cl = r.loc;
	size_t ci = nfm_chain_add(p->ar, p->s, p->family, p->table,
				  lx_dup(p->ar, w[i + 1]), &cl);
	if (p->s->chains[ci].nrules == 0 &&
	    p->s->chains[ci].first_rule != p->s->nrules)
		p->s->chains[ci].first_rule = p->s->nrules;
	/* a TCPMSS rule rewrites SYNs and decides nothing: its matches
	 * (--tcp-flags, ...) need no model */
	bool clamp = false;
	for (size_t k = i; k < n; k++)
		clamp = clamp || str_eq(w[k], "TCPMSS");
	for (i += 2; i < n; i++) {
		bool neg = str_eq(w[i], "!");
		if (neg && ++i >= n)
			break;
		struct str o = w[i], v = {0};
		if (str_eq(o, "-m") || str_eq(o, "--match")) {
			i++; /* module name: its options follow */
			continue;
		}
		if (i + 1 < n &&
		    !(w[i + 1].n > 1 && w[i + 1].p[0] == '-' &&
		      w[i + 1].p[1] == '-') &&
		    !str_eq(w[i + 1], "!"))
			v = w[++i];
		if (!ipt_opt(p, &r, o, v, neg) && r.unparsed == NULL &&
		    !clamp) {
			r.unparsed = lx_dup(p->ar, o);
			struct srcloc loc = {p->file, lineno, lx_col(line, o.p),
					     0};
			diag(DIAG_WARNING, &loc,
			     "'%.*s' is not modelled; the "
			     "rule is kept but its match is uncertain",
			     (int)o.n, o.p);
		}
	}
	/* Rules of one chain must stay contiguous: iptables-save writes
	 * them so; refuse interleaving rather than mis-model it. */
	struct nf_chain *c = &p->s->chains[ci];
	if (c->first_rule + c->nrules != p->s->nrules) {
		diag(DIAG_ERROR, &r.loc, "rules of chain %s are not together",
		     c->name);
		p->ok = false;
		return;
	}
	r.nf_chain = ci + 1;
	r.chain = c->name;
	r.position = (unsigned)++c->nrules;
	*ARENA_PUSH(p->ar, p->s->rules, p->s->nrules, p->s->crules) = r;
}

/* ":INPUT DROP [0:0]" */
static void
ipt_chain(struct ipt *p, struct str line, uint32_t lineno)
{
	struct str *w;
	size_t n = ipt_words(p->ar, line, &w);
	struct srcloc loc = {p->file, lineno, 1, 0};
	if (n < 2 || w[0].n < 2) {
		diag(DIAG_ERROR, &loc, "expected ':CHAIN POLICY [p:b]'");
		p->ok = false;
		return;
	}
	size_t ci = nfm_chain_add(
	    p->ar, p->s, p->family, p->table,
	    lx_dup(p->ar, (struct str){w[0].p + 1, w[0].n - 1}), &loc);
	struct nf_chain *c = &p->s->chains[ci];
	c->policy = str_eq(w[1], "DROP") ? ACT_BLOCK : ACT_PASS;
	ipt_builtin(c, p->table);
}

bool
cfg_iptables_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	lx_note_mark_setters(s, buf, len);
	struct ipt p = {ar,   s,	  in->path,  "ip",
			NULL, s->nchains, s->nrules, true};
	if (memmem(buf, len < 512 ? len : 512, "ip6tables", 9))
		p.family = "ip6";
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	while (p.ok && lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		struct srcloc loc = {in->path, it.lineno, 1, 0};
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (t.n > LX_MAX_LINE) {
			diag(DIAG_ERROR, &loc, "line too long");
			return false;
		}
		if (t.p[0] == '*') {
			p.table = lx_dup(ar, (struct str){t.p + 1, t.n - 1});
		} else if (str_eq(t, "COMMIT")) {
			p.table = NULL;
		} else if (p.table == NULL) {
			diag(DIAG_ERROR, &loc,
			     "expected '*TABLE' before this "
			     "line");
			return false;
		} else if (t.p[0] == ':') {
			ipt_chain(&p, t, it.lineno);
		} else {
			ipt_rule(&p, t, it.lineno);
		}
	}
	if (!p.ok)
		return false;
	if (p.table) {
		struct srcloc loc = {in->path, it.lineno, 1, 0};
		diag(DIAG_WARNING, &loc,
		     "table %s has no COMMIT line "
		     "(truncated dump?)",
		     p.table);
	}
	nfm_check_targets(s, p.first_chain, p.first_rule);
	lx_site_mark(s);
	in->summary = arena_printf(
	    ar, "%s %zu chains, %zu rules",
	    strcmp(p.family, "ip6") == 0 ? "ip6tables-save" : "iptables-save",
	    s->nchains - p.first_chain, s->nrules - p.first_rule);
	return true;
}
