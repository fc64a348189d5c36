/* nftables rulesets as `nft list ruleset` (text, nftables 0.9 - 1.1) and
 * `nft -j list ruleset` (JSON, nft_json.c) print them: tables, chains with
 * hook, priority and policy, named and anonymous sets, rules. */
#include <stdlib.h>
#include <string.h>

#include "import/linux/nft_match.h"
#include "import/load.h"

enum nt_kind {
	NT_WORD,
	NT_STRING,
	NT_LBRACE,
	NT_RBRACE,
	NT_SEMI,
	NT_COMMA,
	NT_NL,
	NT_COMMENT
};

struct nt_tok {
	enum nt_kind kind;
	struct str s;
	uint32_t line, col;
};

struct nt_set {
	const char *table, *family, *name;
	struct nt_tok *elems;
	size_t nelems;
};

struct nt {
	struct arena *ar;
	struct site *s;
	const char *file;
	struct nt_tok *t;
	size_t n, i;
	struct nt_set *sets;
	size_t nsets, csets;
	const char *family, *table; /* current table */
	bool ok;
};

static bool
nt_wordch(char c)
{
	return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '{' ||
		 c == '}' || c == ';' || c == ',' || c == '"' || c == '#');
}

/* Whole-file tokenizer; false with a diagnostic on a bad string. */
static bool
nt_lex(struct nt *p, const char *buf, size_t len)
{
	size_t cap = 0;
	uint32_t line = 1;
	const char *ls = buf, *q = buf, *end = buf + len;
	while (q < end) {
		char c = *q;
		struct nt_tok tk = {.line = line,
				    .col = (uint32_t)(q - ls) + 1};
		const char *st = q;
		if (c == ' ' || c == '\t' || c == '\r') {
			q++;
			continue;
		} else if (c == '\n') {
			tk.kind = NT_NL;
			q++;
			line++;
			ls = q;
		} else if (c == '#') {
			while (q < end && *q != '\n')
				q++;
			tk.kind = NT_COMMENT;
		} else if (c == '"') {
			q++;
			while (q < end && *q != '"' && *q != '\n')
				q++;
			if (q >= end || *q != '"') {
				struct srcloc loc = {p->file, tk.line, tk.col,
						     0};
				diag(DIAG_ERROR, &loc, "unterminated string");
				return false;
			}
			tk.kind = NT_STRING;
			st++;
			tk.s = (struct str){st, (size_t)(q - st)};
			q++;
		} else if (!nt_wordch(c)) {
			tk.kind = c == '{'   ? NT_LBRACE
				  : c == '}' ? NT_RBRACE
				  : c == ';' ? NT_SEMI
					     : NT_COMMA;
			q++;
		} else {
			while (q < end && nt_wordch(*q))
				q++;
			tk.kind = NT_WORD;
		}
		if (tk.kind != NT_STRING)
			tk.s = (struct str){st, (size_t)(q - st)};
		*ARENA_PUSH(p->ar, p->t, p->n, cap) = tk;
	}
	return true;
}

static void
nt_err(struct nt *p, const struct nt_tok *tk, const char *msg)
{
	struct srcloc loc = {p->file, tk ? tk->line : 0, tk ? tk->col : 0, 0};
	if (p->ok) /* the first error only: the rest would be echoes */
		diag(DIAG_ERROR, &loc, "%s", msg);
	p->ok = false;
}

static struct nt_tok *
nt_peek(struct nt *p)
{
	return p->i < p->n ? &p->t[p->i] : NULL;
}

static bool
nt_is(struct nt *p, enum nt_kind k)
{
	return p->i < p->n && p->t[p->i].kind == k;
}

static bool
nt_word(struct nt *p, const char *w)
{
	return nt_is(p, NT_WORD) && str_eq(p->t[p->i].s, w);
}

static void
nt_skip_nl(struct nt *p)
{
	while (nt_is(p, NT_NL) || nt_is(p, NT_COMMENT) || nt_is(p, NT_SEMI))
		p->i++;
}

/* Skips a balanced { ... } starting at the current '{'. */
static void
nt_skip_block(struct nt *p)
{
	unsigned depth = 0;
	struct nt_tok *open = nt_peek(p);
	while (p->i < p->n) {
		enum nt_kind k = p->t[p->i++].kind;
		if (k == NT_LBRACE)
			depth++;
		else if (k == NT_RBRACE && --depth == 0)
			return;
	}
	nt_err(p, open, "missing '}' for this '{'");
}

static const char *
nt_name(struct nt *p, const char *what)
{
	struct nt_tok *tk = nt_peek(p);
	if (tk && (tk->kind == NT_WORD || tk->kind == NT_STRING)) {
		p->i++;
		return lx_dup(p->ar, tk->s);
	}
	nt_err(p, tk ? tk : &p->t[p->n - 1],
	       arena_printf(p->ar, "expected a %s name", what));
	return NULL;
}

static bool
nt_expect(struct nt *p, enum nt_kind k, const char *what)
{
	if (nt_is(p, k)) {
		p->i++;
		return true;
	}
	nt_err(p, nt_peek(p) ? nt_peek(p) : &p->t[p->n - 1],
	       arena_printf(p->ar, "expected %s", what));
	return false;
}

/* Values after a match: one word/string, or a { a, b } list (across
 * lines in named sets). Returns its tokens in *out. */
static bool
nt_values(struct nt *p, struct nt_tok **out, size_t *nout)
{
	size_t cap = 0;
	*out = NULL;
	*nout = 0;
	if (!nt_is(p, NT_LBRACE)) {
		struct nt_tok *tk = nt_peek(p);
		if (!tk || (tk->kind != NT_WORD && tk->kind != NT_STRING)) {
			nt_err(p, tk ? tk : &p->t[p->n - 1],
			       "expected a value");
			return false;
		}
		p->i++;
		/* ct state established,related */
		while (nt_is(p, NT_COMMA) && p->i + 1 < p->n &&
		       p->t[p->i + 1].kind == NT_WORD) {
			*ARENA_PUSH(p->ar, *out, *nout, cap) = *tk;
			p->i++;
			tk = &p->t[p->i++];
		}
		*ARENA_PUSH(p->ar, *out, *nout, cap) = *tk;
		return true;
	}
	struct nt_tok *open = &p->t[p->i++];
	while (p->i < p->n && !nt_is(p, NT_RBRACE)) {
		struct nt_tok *tk = &p->t[p->i++];
		if (tk->kind == NT_WORD || tk->kind == NT_STRING)
			*ARENA_PUSH(p->ar, *out, *nout, cap) = *tk;
		else if (tk->kind == NT_LBRACE)
			return nt_err(p, tk, "nested sets are not supported"),
			       false;
		if (*nout > LX_MAX_TOKENS)
			return nt_err(p, tk, "set too large"), false;
	}
	if (!nt_is(p, NT_RBRACE))
		return nt_err(p, open, "missing '}' for this set"), false;
	p->i++;
	return true;
}

static const struct nt_set *
nt_set_find(struct nt *p, struct str name)
{
	for (size_t i = 0; i < p->nsets; i++)
		if (strcmp(p->sets[i].table, p->table) == 0 &&
		    strcmp(p->sets[i].family, p->family) == 0 &&
		    str_eq(name, p->sets[i].name))
			return &p->sets[i];
	return NULL;
}

static void
nt_set(struct nt *p)
{
	p->i++; /* set / map */
	const char *name = nt_name(p, "set");
	if (!name || !nt_expect(p, NT_LBRACE, "'{' after the set name"))
		return;
	struct nt_set *set = ARENA_PUSH(p->ar, p->sets, p->nsets, p->csets);
	set->table = p->table;
	set->family = p->family;
	set->name = name;
	while (p->ok && p->i < p->n && !nt_is(p, NT_RBRACE)) {
		if (nt_word(p, "elements")) {
			p->i++;
			if (nt_word(p, "="))
				p->i++;
			nt_values(p, &set->elems, &set->nelems);
		} else if (nt_is(p, NT_LBRACE)) {
			nt_skip_block(p);
		} else {
			p->i++; /* type, flags, size, timeout, ... */
		}
	}
	nt_expect(p, NT_RBRACE, "'}' closing the set");
}

/* Addresses of a match: values or @set, into end->addrs. */
static bool
nt_addr_vals(struct nt *p, struct rule *r, struct rule_end *end,
	     struct nt_tok *v, size_t nv, bool neg)
{
	struct addrset set = {0};
	for (size_t k = 0; k < nv; k++)
		if (!nfm_addr(p->ar, &set, v[k].s))
			return false;
	end->addrs = set;
	end->negate = neg;
	end->text = arena_printf(p->ar, "%s%s", neg ? "not " : "",
				 addrset_format(p->ar, &set, 8));
	(void)r;
	return true;
}

static bool
nt_port_vals(struct nt *p, struct rule_end *end, struct nt_tok *v, size_t nv,
	     bool neg)
{
	struct portset set = {0};
	for (size_t k = 0; k < nv; k++)
		if (!nfm_port(p->ar, &set, v[k].s))
			return false;
	if (neg) {
		struct ranges c = ranges_complement(p->ar, &set.r, 65535);
		set.r = c;
	}
	end->ports = set;
	end->port_text = portset_format(p->ar, &set);
	return true;
}

/* Reads "[!=] VALUES" with @set resolved; false on error. */
static bool
nt_operand(struct nt *p, struct nt_tok **v, size_t *nv, bool *neg)
{
	*neg = false;
	if (nt_word(p, "!=")) {
		*neg = true;
		p->i++;
	} else if (nt_word(p, "==")) {
		p->i++;
	}
	if (!nt_values(p, v, nv))
		return false;
	if (*nv == 1 && (*v)[0].kind == NT_WORD && (*v)[0].s.n > 1 &&
	    (*v)[0].s.p[0] == '@') {
		struct str name = {(*v)[0].s.p + 1, (*v)[0].s.n - 1};
		const struct nt_set *set = nt_set_find(p, name);
		if (set == NULL) {
			nt_err(p, &(*v)[0],
			       arena_printf(p->ar,
					    "set '%.*s' "
					    "is not defined in table %s %s",
					    (int)name.n, name.p, p->family,
					    p->table));
			return false;
		}
		*v = set->elems;
		*nv = set->nelems;
	}
	return true;
}

static void
nt_names(struct nt *p, const char ***out, size_t *n, size_t *cap,
	 struct nt_tok *v, size_t nv)
{
	for (size_t k = 0; k < nv; k++)
		*ARENA_PUSH(p->ar, *out, *n, *cap) = lx_dup(p->ar, v[k].s);
}

static void
nt_protos(struct rule *r, struct nt_tok *v, size_t nv, bool neg, bool *bad)
{
	struct protoset ps = {0};
	for (size_t k = 0; k < nv; k++) {
		int pr = nfm_proto(v[k].s);
		if (pr < 0)
			*bad = true;
		else
			protoset_add(&ps, (unsigned)pr);
	}
	if (neg)
		for (int w = 0; w < 4; w++)
			ps.bits[w] = ~ps.bits[w];
	r->protos = ps;
}

static bool
nt_icmp(struct rule *r, struct nt_tok *v, size_t nv, bool v6)
{
	struct protoset ts = {0};
	for (size_t k = 0; k < nv; k++) {
		int t = nfm_icmp_type(v[k].s, v6);
		if (t < 0)
			return false;
		protoset_add(&ts, (unsigned)t);
	}
	r->protos = (struct protoset){0};
	protoset_add(&r->protos, v6 ? PROTO_ICMP6 : PROTO_ICMP);
	r->icmp_any = false;
	r->icmptypes = ts;
	r->fam[FAM_V4] = !v6;
	r->fam[FAM_V6] = v6;
	return true;
}

/* One payload/meta match: keyword at p->i - 1 (and field). */
static bool
nt_match(struct nt *p, struct rule *r, struct str kw)
{
	struct nt_tok *v;
	size_t nv;
	bool neg, bad = false;
	struct str field = nt_is(p, NT_WORD) ? p->t[p->i].s : (struct str){0};
	bool l3 = str_eq(kw, "ip") || str_eq(kw, "ip6");
	bool l4 = str_eq(kw, "tcp") || str_eq(kw, "udp") ||
		  str_eq(kw, "sctp") || str_eq(kw, "th");
	if (str_eq(kw, "iifname") || str_eq(kw, "oifname") ||
	    str_eq(kw, "iif") || str_eq(kw, "oif")) {
		if (!nt_operand(p, &v, &nv, &neg))
			return false;
		if (kw.p[0] == 'i') {
			nt_names(p, &r->iifnames, &r->niif, &r->ciif, v, nv);
			r->iif_negate = neg;
		} else {
			nt_names(p, &r->oifnames, &r->noif, &r->coif, v, nv);
			r->oif_negate = neg;
		}
		return true;
	}
	if (l3 && (str_eq(field, "saddr") || str_eq(field, "daddr"))) {
		p->i++;
		if (!nt_operand(p, &v, &nv, &neg))
			return false;
		r->fam[FAM_V4] = str_eq(kw, "ip");
		r->fam[FAM_V6] = !r->fam[FAM_V4];
		return nt_addr_vals(p, r, field.p[0] == 's' ? &r->src : &r->dst,
				    v, nv, neg);
	}
	if ((l3 && (str_eq(field, "protocol") || str_eq(field, "nexthdr"))) ||
	    (str_eq(kw, "meta") && str_eq(field, "l4proto"))) {
		p->i++;
		if (!nt_operand(p, &v, &nv, &neg))
			return false;
		nt_protos(r, v, nv, neg, &bad);
		return !bad;
	}
	if (l4 && (str_eq(field, "dport") || str_eq(field, "sport"))) {
		p->i++;
		if (!nt_operand(p, &v, &nv, &neg))
			return false;
		if (!str_eq(kw, "th")) {
			r->protos = (struct protoset){0};
			protoset_add(&r->protos, (unsigned)nfm_proto(kw));
		}
		return nt_port_vals(p, field.p[0] == 'd' ? &r->dst : &r->src, v,
				    nv, neg);
	}
	if ((str_eq(kw, "icmp") || str_eq(kw, "icmpv6")) &&
	    str_eq(field, "type")) {
		p->i++;
		if (!nt_operand(p, &v, &nv, &neg) || neg)
			return false;
		return nt_icmp(r, v, nv, kw.n == 6);
	}
	if (str_eq(kw, "ct") && str_eq(field, "state")) {
		p->i++;
		if (!nt_operand(p, &v, &nv, &neg))
			return false;
		for (size_t k = 0; k < nv; k++)
			if (!(r->ct_state |= nfm_ct_state(v[k].s)))
				return false;
		r->ct_negate = neg;
		return true;
	}
	if (str_eq(kw, "meta") && str_eq(field, "nfproto")) {
		p->i++;
		if (!nt_operand(p, &v, &nv, &neg) || nv != 1)
			return false;
		r->fam[FAM_V4] = str_eq(v[0].s, "ipv4") != neg;
		r->fam[FAM_V6] = str_eq(v[0].s, "ipv6") != neg;
		return true;
	}
	/* meta ipsec|secpath exists|missing, rt ipsec exists|missing */
	if ((str_eq(kw, "meta") &&
	     (str_eq(field, "ipsec") || str_eq(field, "secpath"))) ||
	    (str_eq(kw, "rt") && str_eq(field, "ipsec"))) {
		p->i++;
		if (!nt_operand(p, &v, &nv, &neg) || nv != 1)
			return false;
		bool exists = str_eq(v[0].s, "exists");
		r->ipsec_match = exists != neg ? 1 : -1;
		r->ipsec_dir = kw.p[0] == 'r' ? DIR_OUT : DIR_IN;
		return exists || str_eq(v[0].s, "missing");
	}
	return false;
}

/* ipsec in|out [reqid N | spi N | ip saddr A | ...] */
static bool
nt_ipsec(struct nt *p, struct rule *r)
{
	if (!nt_word(p, "in") && !nt_word(p, "out"))
		return false;
	r->ipsec_dir = p->t[p->i].s.p[0] == 'i' ? DIR_IN : DIR_OUT;
	r->ipsec_match = 1;
	p->i++;
	if (nt_word(p, "ip") || nt_word(p, "ip6"))
		p->i++;
	struct nt_tok *v;
	size_t nv;
	bool neg;
	if (nt_word(p, "reqid") || nt_word(p, "spi") || nt_word(p, "saddr") ||
	    nt_word(p, "daddr")) {
		p->i++;
		/* the SA's selectors, not the packet's: kept as matched */
		return nt_operand(p, &v, &nv, &neg);
	}
	return true;
}

static bool
nt_nat(struct nt *p, struct rule *r, struct str kw)
{
	nfm_set_verdict(r, str_eq(kw, "snat")	      ? NFV_SNAT
			   : str_eq(kw, "dnat")	      ? NFV_DNAT
			   : str_eq(kw, "masquerade") ? NFV_MASQUERADE
						      : NFV_REDIRECT);
	if (nt_word(p, "ip") || nt_word(p, "ip6"))
		p->i++;
	if (!nt_word(p, "to"))
		return true;
	p->i++;
	if (!nt_is(p, NT_WORD))
		return false;
	struct str a = p->t[p->i++].s, addr, port;
	if (a.n && a.p[0] == '[') /* [2001:db8::1]:80 */
		str_split((struct str){a.p + 1, a.n - 1}, ']', &addr, &port);
	else if (memchr(a.p, ':', a.n) == memrchr(a.p, ':', a.n))
		str_split(a, ':', &addr, &port);
	else
		addr = a;
	if (addr.n == 0)
		return true; /* redirect to :8080 */
	struct str lo, hi;
	str_split(addr, '-', &lo, &hi);
	r->has_nat_addr = ipaddr_parse(lo, &r->nat_addr);
	return r->has_nat_addr;
}

static void
nt_counter(struct nt *p, struct rule *r)
{
	r->has_counter = true;
	for (int k = 0; k < 2; k++) {
		if (!nt_word(p, "packets") && !nt_word(p, "bytes"))
			return;
		bool pk = p->t[p->i].s.p[0] == 'p';
		p->i++;
		uint64_t v = 0;
		if (nt_is(p, NT_WORD) &&
		    str_to_u64(p->t[p->i].s, UINT64_MAX, &v))
			p->i++;
		*(pk ? &r->packets : &r->bytes) = v;
	}
}

/* Statements with arguments that do not change the verdict model. */
static void
nt_skip_args(struct nt *p, const char *const *args)
{
	for (;;) {
		bool hit = false;
		for (size_t k = 0; args[k] && !hit; k++)
			hit = nt_word(p, args[k]);
		if (!hit)
			return;
		p->i++;
		if (nt_is(p, NT_WORD) || nt_is(p, NT_STRING))
			p->i++;
	}
}

static bool
nt_verdict(struct nt *p, struct rule *r, struct str kw)
{
	static const char *const log_args[] = {
	    "prefix",	       "level", "group", "snaplen",
	    "queue-threshold", "flags", NULL};
	static const char *const reject_args[] = {
	    "with", "icmp", "icmpv6", "icmpx", "tcp", "type", NULL};
	if (str_eq(kw, "accept"))
		nfm_set_verdict(r, NFV_ACCEPT);
	else if (str_eq(kw, "drop"))
		nfm_set_verdict(r, NFV_DROP);
	else if (str_eq(kw, "reject")) {
		nfm_set_verdict(r, NFV_REJECT);
		nt_skip_args(p, reject_args);
	} else if (str_eq(kw, "return"))
		nfm_set_verdict(r, NFV_RETURN);
	else if (str_eq(kw, "continue"))
		nfm_set_verdict(r, NFV_NONE);
	else if (str_eq(kw, "jump") || str_eq(kw, "goto")) {
		nfm_set_verdict(r, kw.p[0] == 'j' ? NFV_JUMP : NFV_GOTO);
		if (!nt_is(p, NT_WORD) && !nt_is(p, NT_STRING))
			return false;
		r->target = lx_dup(p->ar, p->t[p->i++].s);
	} else if (str_eq(kw, "log")) {
		r->log = true;
		nt_skip_args(p, log_args);
	} else if (str_eq(kw, "counter"))
		nt_counter(p, r);
	else if (str_eq(kw, "comment")) {
		if (nt_is(p, NT_STRING) || nt_is(p, NT_WORD))
			r->descr = lx_dup(p->ar, p->t[p->i++].s);
	} else if (str_eq(kw, "snat") || str_eq(kw, "dnat") ||
		   str_eq(kw, "masquerade") || str_eq(kw, "redirect"))
		return nt_nat(p, r, kw);
	else if (str_eq(kw, "notrack") || str_eq(kw, "queue"))
		nfm_set_verdict(r, NFV_OTHER);
	else
		return false;
	return true;
}

/* "tcp option maxseg size set rt mtu | N": the clamp, with where it
 * is (doc/behaviour/mss.md §4); a value is only read after "set". */
static void
nt_maxseg(struct nt *p)
{
	struct nt_tok *at = &p->t[p->i - 1];
	bool set = false, got = false;
	while (p->i < p->n && !nt_is(p, NT_NL) && !nt_is(p, NT_RBRACE)) {
		struct nt_tok *tk = &p->t[p->i++];
		uint64_t v;
		if (tk->kind != NT_WORD)
			continue;
		if (str_eq(tk->s, "set")) {
			set = true;
		} else if (set && str_eq(tk->s, "rt")) {
			p->s->flags.mss_pmtu = got = true;
			if (nt_word(p, "mtu"))
				p->i++;
			break;
		} else if (set && str_to_u64(tk->s, 65535, &v)) {
			if (p->s->flags.maxmss == 0 || v < p->s->flags.maxmss)
				p->s->flags.maxmss = (unsigned)v;
			p->s->flags.maxmss_enable = got = true;
			break;
		}
	}
	struct srcloc loc = {p->file, at->line, at->col, 0};
	if (!got) {
		diag(DIAG_WARNING, &loc,
		     "'maxseg' without 'set rt mtu' or "
		     "'set N' (N up to 65535): no MSS clamp is counted");
		return;
	}
	p->s->flags.mss_linux = true;
	p->s->flags.maxmss_loc = loc;
	p->s->flags.mss_words =
	    p->s->flags.mss_pmtu
		? "nft 'tcp option maxseg size set rt mtu'"
		: arena_printf(p->ar, "nft 'tcp option maxseg size set %u'",
			       p->s->flags.maxmss);
}

static void
nt_rule(struct nt *p, size_t ci)
{
	struct rule *r =
	    ARENA_PUSH(p->ar, p->s->rules, p->s->nrules, p->s->crules);
	struct nt_tok *first = &p->t[p->i];
	nfm_rule_init(p->ar, r, p->family);
	r->loc = (struct srcloc){p->file, first->line, first->col, 0};
	r->nf_chain = ci + 1;
	r->chain = p->s->chains[ci].name;
	r->position = (unsigned)(p->s->nrules - p->s->chains[ci].first_rule);
	/* a clamp rule rewrites SYNs and decides nothing: its matches
	 * (tcp flags syn, ...) need no model */
	bool clamp = false;
	for (size_t k = p->i;
	     k < p->n && p->t[k].kind != NT_NL && p->t[k].kind != NT_RBRACE;
	     k++)
		clamp = clamp || (p->t[k].kind == NT_WORD &&
				  str_eq(p->t[k].s, "maxseg"));
	while (p->ok && p->i < p->n && !nt_is(p, NT_NL) &&
	       !nt_is(p, NT_RBRACE)) {
		struct nt_tok *tk = &p->t[p->i++];
		if (tk->kind == NT_COMMENT) { /* nft -a: "# handle 12" */
			struct str c =
			    str_trim((struct str){tk->s.p + 1, tk->s.n - 1});
			if (str_starts(c, "handle "))
				r->tracker = lx_dup(p->ar, c);
			continue;
		}
		if (tk->kind == NT_SEMI)
			continue;
		/* "tcp option maxseg size set N|rt mtu": MSS clamping */
		if (tk->kind == NT_WORD && str_eq(tk->s, "maxseg")) {
			nt_maxseg(p);
			continue;
		}
		size_t at = p->i;
		bool ok = tk->kind == NT_WORD &&
			  (nt_verdict(p, r, tk->s) ||
			   (str_eq(tk->s, "ipsec") && nt_ipsec(p, r)) ||
			   (p->i = at, nt_match(p, r, tk->s)));
		if (!p->ok)
			return;
		if (!ok && r->unparsed == NULL && !clamp) {
			r->unparsed = lx_dup(p->ar, tk->s);
			struct srcloc loc = {p->file, tk->line, tk->col, 0};
			diag(DIAG_WARNING, &loc,
			     "'%.*s' is not modelled; "
			     "the rule is kept but its match is uncertain",
			     (int)tk->s.n, tk->s.p);
		}
		if (!ok)
			p->i = at; /* resume with the next token */
	}
}

static void
nt_chain_head(struct nt *p, struct nf_chain *c)
{
	/* type filter hook input [device X] priority filter; policy drop; */
	while (p->ok && p->i < p->n && !nt_is(p, NT_NL) &&
	       !nt_is(p, NT_RBRACE)) {
		struct nt_tok *tk = &p->t[p->i++];
		struct nt_tok *arg = nt_peek(p);
		if (tk->kind != NT_WORD || !arg || arg->kind == NT_NL)
			continue;
		if (str_eq(tk->s, "type")) {
			c->type = lx_dup(p->ar, arg->s), p->i++;
		} else if (str_eq(tk->s, "hook")) {
			c->hook = lx_dup(p->ar, arg->s), p->i++;
			c->base = true;
		} else if (str_eq(tk->s, "priority")) {
			p->i++;
			int base = 0;
			long off = 0;
			if (!nfm_priority(arg->s, &base))
				off = strtol(lx_dup(p->ar, arg->s), NULL, 10);
			if (nt_word(p, "+") || nt_word(p, "-")) {
				bool neg = p->t[p->i].s.p[0] == '-';
				p->i++;
				if (nt_is(p, NT_WORD))
					off = strtol(
						  lx_dup(p->ar, p->t[p->i++].s),
						  NULL, 10) *
					      (neg ? -1 : 1);
			}
			c->priority = base + (int)off;
		} else if (str_eq(tk->s, "policy")) {
			p->i++;
			c->policy =
			    str_eq(arg->s, "drop") ? ACT_BLOCK : ACT_PASS;
		}
	}
}

static void
nt_chain(struct nt *p)
{
	struct nt_tok *at = &p->t[p->i++];
	const char *name = nt_name(p, "chain");
	if (!name || !nt_expect(p, NT_LBRACE, "'{' after the chain name"))
		return;
	struct srcloc loc = {p->file, at->line, at->col, 0};
	size_t ci = nfm_chain_add(p->ar, p->s, p->family, p->table, name, &loc);
	p->s->chains[ci].first_rule = p->s->nrules;
	for (;;) {
		nt_skip_nl(p);
		if (!p->ok || p->i >= p->n || nt_is(p, NT_RBRACE))
			break;
		if (nt_word(p, "type")) {
			nt_chain_head(p, &p->s->chains[ci]);
		} else if (nt_word(p, "comment") || nt_word(p, "policy") ||
			   nt_word(p, "devices")) {
			while (p->i < p->n && !nt_is(p, NT_NL))
				p->i++;
		} else {
			nt_rule(p, ci);
		}
	}
	p->s->chains[ci].nrules = p->s->nrules - p->s->chains[ci].first_rule;
	nt_expect(p, NT_RBRACE, "'}' closing the chain");
}

static void
nt_table(struct nt *p)
{
	p->i++;
	struct nt_tok *f = nt_peek(p);
	static const char *const fams[] = {"ip",  "ip6",    "inet",
					   "arp", "bridge", "netdev"};
	p->family = "ip"; /* nft's default family */
	for (size_t k = 0; f && k < sizeof(fams) / sizeof(*fams); k++)
		if (f->kind == NT_WORD && str_eq(f->s, fams[k]) &&
		    p->i + 1 < p->n && p->t[p->i + 1].kind == NT_WORD) {
			p->family = fams[k];
			p->i++;
		}
	p->table = nt_name(p, "table");
	if (!p->table || !nt_expect(p, NT_LBRACE, "'{' after the table name"))
		return;
	size_t first_chain = p->s->nchains, first_rule = p->s->nrules;
	for (;;) {
		nt_skip_nl(p);
		if (!p->ok || p->i >= p->n || nt_is(p, NT_RBRACE))
			break;
		if (nt_word(p, "chain"))
			nt_chain(p);
		else if (nt_word(p, "set") || nt_word(p, "map"))
			nt_set(p);
		else {
			/* flags, flowtable, counter, quota, ct helper ... */
			while (p->i < p->n && !nt_is(p, NT_NL) &&
			       !nt_is(p, NT_LBRACE) && !nt_is(p, NT_RBRACE))
				p->i++;
			if (nt_is(p, NT_LBRACE))
				nt_skip_block(p);
		}
	}
	if (nt_expect(p, NT_RBRACE, "'}' closing the table"))
		nfm_check_targets(p->s, first_chain, first_rule);
}

bool nft_json_import(struct arena *ar, struct input_file *in, struct site *s,
		     const char *buf, size_t len);
bool nft_text_parse(struct arena *ar, struct site *s, const char *file,
		    const char *buf, size_t len);

/* The text form; also used by nft_json.c on its rendering. */
bool
nft_text_parse(struct arena *ar, struct site *s, const char *file,
	       const char *buf, size_t len)
{
	struct nt p = {.ar = ar, .s = s, .file = file, .ok = true};
	if (!nt_lex(&p, buf, len))
		return false;
	while (p.ok) {
		nt_skip_nl(&p);
		if (p.i >= p.n)
			break;
		if (nt_word(&p, "table"))
			nt_table(&p);
		else
			nt_err(&p, nt_peek(&p), "expected 'table'");
	}
	return p.ok;
}

bool
cfg_nft_import(struct arena *ar, struct input_file *in, struct site *s)
{
	/* `nft list ruleset` and `nft -j list ruleset` of one gateway say
	 * the same: read the first, or every rule would count twice */
	for (size_t i = 0; i < s->ninputs; i++)
		if (&s->inputs[i] != in && s->inputs[i].kind == INPUT_NFT &&
		    s->inputs[i].summary && !s->inputs[i].failed) {
			struct srcloc loc = {.file = in->path};
			diag(DIAG_NOTE, &loc,
			     "nftables ruleset already read "
			     "from %s: skipped",
			     s->inputs[i].path);
			in->summary = arena_printf(ar,
						   "nftables ruleset (same "
						   "as %s)",
						   s->inputs[i].path);
			return true;
		}
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	lx_note_mark_setters(s, buf, len);
	struct str head = str_trim((struct str){buf, len < 64 ? len : 64});
	if (head.n && head.p[0] == '{')
		return nft_json_import(ar, in, s, buf, len);
	size_t r0 = s->nrules, c0 = s->nchains;
	if (!nft_text_parse(ar, s, in->path, buf, len))
		return false;
	lx_site_mark(s);
	in->summary = arena_printf(ar, "nftables %zu chains, %zu rules",
				   s->nchains - c0, s->nrules - r0);
	return true;
}
