/* rules.debug and pfctl -vvsr into the box's running ruleset
 * (model/box.h): macros expanded, tables kept by name, filter rules as
 * struct rule (ORIGIN_RUNNING) in pf's order. Statements pf loads but
 * the trace does not evaluate (set, scrub, nat, binat, rdr, anchors,
 * altq) are read for their shape and passed over. Whatever is not
 * understood is reported with file:line:col and makes that ruleset
 * unusable: the engine then keeps the modelled one
 * (doc/behaviour/rules-debug.md). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/pf/pf.h"
#include "import/pf/pf_lex.h"

/* ceilings on hostile input: memory stays bounded whatever the file */
enum {
	PF_MAX_MACROS = 4096,
	PF_MAX_MACRO_TOKENS = 200000, /* all macro values together */
	PF_MAX_DEPTH = 8,
	PF_MAX_DIAGS = 8,
	PF_MAX_RULES = 100000,
	PF_MAX_FILE_TOKENS = 2000000,  /* after macro expansion, per file */
	PF_MAX_TABLE_ENTRIES = 100000, /* written in tables, per file */
};

struct macro {
	struct str name;
	struct pf_tok *t; /* its value, lexed once */
	size_t n;
};

struct pctx {
	struct arena *ar;
	struct boxstate *b;
	const char *file;
	struct macro *mac;
	size_t nmac, cmac;
	const char *why_not; /* first problem, for the engine's note */
	size_t ndiag;
	size_t nmac_tokens, ntable_entries, ntokens;
	struct pf_lex lb, xb; /* a line's tokens, expanded: reused */
	/* the statement being read */
	const struct pf_tok *t;
	size_t n, i;
	struct str comment;
	bool bad;
};

static const struct pf_tok *
cur(const struct pctx *c)
{
	return c->i < c->n ? &c->t[c->i] : NULL;
}

static bool
at(const struct pctx *c, const char *s)
{
	return pf_tok_is(cur(c), s);
}

static void __attribute__((format(printf, 4, 5)))
problem(struct pctx *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
	if (c->bad)
		return;
	c->bad = true;
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct srcloc loc = {.file = c->file, .line = line, .col = col};
	if (c->why_not == NULL)
		c->why_not = arena_printf(c->ar, "line %u: %s", line, msg);
	if (c->ndiag++ < PF_MAX_DIAGS)
		diag(DIAG_WARNING, &loc, "%s%s", msg,
		     c->ndiag == 1 ? " (the trace does not evaluate the "
				     "ruleset of this file)"
				   : "");
}

/* "expected X, found 'y'" at the current token (or the last one) */
static bool
fail(struct pctx *c, const char *what)
{
	const struct pf_tok *t = cur(c);
	if (t == NULL && c->n)
		t = &c->t[c->n - 1];
	char found[48];
	if (cur(c))
		snprintf(found, sizeof(found), "'%.*s'",
			 (int)(t->s.n > 32 ? 32 : t->s.n), t->s.p);
	else
		snprintf(found, sizeof(found), "the end of the rule");
	problem(c, t ? t->line : 0, t ? t->col : 0,
		"pf ruleset: %s expected, found %s", what, found);
	return false;
}

static bool
expect(struct pctx *c, const char *s)
{
	if (!at(c, s)) {
		char w[40];
		snprintf(w, sizeof(w), "'%s'", s);
		return fail(c, w);
	}
	c->i++;
	return true;
}

static const char *
dup(struct pctx *c, struct str s)
{
	return arena_strndup(c->ar, s.p, s.n);
}

/* The tokens t[from..to) as written, one space between them. */
static const char *
span(struct pctx *c, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t k = from; k < to && n < 400; k++)
		n += c->t[k].s.n + 3;
	char *o = arena_alloc(c->ar, n + 1), *w = o;
	for (size_t k = from; k < to && (size_t)(w - o) + c->t[k].s.n + 3 <= n;
	     k++) {
		if (k > from)
			*w++ = ' ';
		bool tb = c->t[k].k == PF_TABLE;
		if (tb)
			*w++ = '<';
		memcpy(w, c->t[k].s.p, c->t[k].s.n);
		w += c->t[k].s.n;
		if (tb)
			*w++ = '>';
	}
	*w = 0;
	return o;
}

/* Skips a balanced "( ... )" or "{ ... }" at the cursor, if any. */
static bool
skip_group(struct pctx *c)
{
	if (!at(c, "(") && !at(c, "{"))
		return true;
	int depth = 0;
	for (; c->i < c->n; c->i++) {
		const struct pf_tok *t = cur(c);
		if (t->k != PF_PUNCT)
			continue;
		if (t->s.p[0] == '(' || t->s.p[0] == '{')
			depth++;
		else if ((t->s.p[0] == ')' || t->s.p[0] == '}') &&
			 --depth == 0) {
			c->i++;
			return true;
		}
	}
	return fail(c, "')' or '}'");
}

/* One item or a "{ a, b c }" list: calls fn for each item. */
static bool
each(struct pctx *c, bool (*fn)(struct pctx *, void *), void *arg)
{
	if (!at(c, "{"))
		return fn(c, arg);
	c->i++;
	while (c->i < c->n && !at(c, "}")) {
		if (at(c, ",")) {
			c->i++;
			continue;
		}
		if (!fn(c, arg))
			return false;
	}
	return expect(c, "}");
}

/* ---- macros ---- */

static const struct macro *
macro_get(const struct pctx *c, struct str name)
{
	for (size_t i = c->nmac; i-- > 0;)
		if (c->mac[i].name.n == name.n &&
		    memcmp(c->mac[i].name.p, name.p, name.n) == 0)
			return &c->mac[i];
	return NULL;
}

/* Tokens of t[0..n) with every $NAME replaced by its value's tokens. */
static bool
expand(struct pctx *c, struct pf_lex *out, const struct pf_tok *t, size_t n,
       int depth, const struct pf_tok *use)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].k != PF_WORD || t[i].s.n < 2 || t[i].s.p[0] != '$') {
			if (out->n >= PF_MAX_TOKENS)
				goto toolong;
			*ARENA_PUSH(out->ar, out->t, out->n, out->cap) = t[i];
			continue;
		}
		struct str name = {t[i].s.p + 1, t[i].s.n - 1};
		const struct macro *m = macro_get(c, name);
		const struct pf_tok *at_use = use ? use : &t[i];
		if (m == NULL) {
			problem(c, at_use->line, at_use->col,
				"pf ruleset: macro '%.*s' is not defined",
				(int)(name.n > 64 ? 64 : name.n), name.p);
			return false;
		}
		if (depth >= PF_MAX_DEPTH) {
			problem(c, at_use->line, at_use->col,
				"pf ruleset: macros nested too deep");
			return false;
		}
		size_t from = out->n;
		if (!expand(c, out, m->t, m->n, depth + 1, at_use))
			return false;
		for (size_t k = from; k < out->n; k++)
			out->t[k].line = t[i].line, out->t[k].col = t[i].col;
	}
	return true;
toolong:
	problem(c, t[0].line, t[0].col,
		"pf ruleset: rule too long after macro expansion");
	return false;
}

/* ---- tables ---- */

static struct box_table *
table_get(struct boxstate *b, struct str name)
{
	for (size_t i = 0; i < b->ntables; i++)
		if (str_eq(name, b->tables[i].name))
			return &b->tables[i];
	return NULL;
}

/* "10.0.1.0/24", "10.0.1.1", "2001:db8::/64" */
static bool
literal(struct str w, struct prefix *p)
{
	return prefix_parse(w, p, NULL);
}

static bool
table_item(struct pctx *c, void *arg)
{
	struct box_table *tb = arg;
	const struct pf_tok *t = cur(c);
	if (t->k == PF_OP && str_eq(t->s, "!")) { /* an exception: not kept */
		tb->known = false;
		c->i += 2;
		return true;
	}
	struct prefix p;
	if (t->k == PF_WORD && literal(t->s, &p)) {
		if (c->ntable_entries++ < PF_MAX_TABLE_ENTRIES)
			addrset_add_prefix(c->ar, &tb->addrs, &p);
		else
			tb->known = false; /* too many to hold: not known */
	} else if (t->k == PF_WORD || t->k == PF_STR)
		tb->known = false; /* a hostname or an interface */
	else
		return fail(c, "a table entry");
	c->i++;
	return true;
}

/* table <name> [persist] [const] [counters] [file "path"] [{ ... }] */
static bool
table_def(struct pctx *c)
{
	c->i++;
	const struct pf_tok *nt = cur(c);
	if (nt == NULL || nt->k != PF_TABLE)
		return fail(c, "a <table> name");
	c->i++;
	struct box_table *tb = table_get(c->b, nt->s);
	if (tb == NULL)
		tb = ARENA_PUSH(c->ar, c->b->tables, c->b->ntables,
				c->b->ctables);
	/* known when its contents are all written here: "persist" alone is
	 * a table a daemon fills (sshguard, virusprot), "file" one pf
	 * reads at load (/etc/bogons, URL aliases) */
	*tb = (struct box_table){.name = dup(c, nt->s),
				 .known = true,
				 .loc = {c->file, nt->line, 0, 0}};
	bool braces = false, file = false;
	while (c->i < c->n) {
		if (at(c, "persist") || at(c, "const") || at(c, "counters")) {
			c->i++;
		} else if (at(c, "file")) {
			c->i++;
			if (cur(c) == NULL || cur(c)->k != PF_STR)
				return fail(c, "a file name");
			c->i++;
			file = true;
		} else if (at(c, "{")) {
			braces = true;
			if (!each(c, table_item, tb))
				return false;
		} else {
			return fail(c, "persist, const, file or '{'");
		}
	}
	tb->known = tb->known && braces && !file;
	return true;
}

/* ---- addresses and ports ---- */

static void
end_ref(struct pctx *c, struct rule_end *e, const char *ref)
{
	*ARENA_PUSH(c->ar, e->refs, e->nrefs, e->crefs) = ref;
}

/* One host of a from/to: any, self, <table>, (if[:mod]), if:network,
 * an address, a prefix, "a - b", a name pf resolves when loading. */
static bool
host_item(struct pctx *c, void *arg)
{
	struct rule_end *e = arg;
	const struct pf_tok *t = cur(c);
	if (t->k == PF_OP && str_eq(t->s, "!")) {
		/* an exception inside a list: set difference pfSense never
		 * writes; not modelled */
		e->partial = true;
		c->i++;
		return host_item(c, arg);
	}
	if (t->k == PF_TABLE) {
		end_ref(c, e,
			arena_printf(c->ar, "<%.*s>", (int)t->s.n, t->s.p));
		c->i++;
		return true;
	}
	if (at(c, "(")) {
		c->i++;
		const struct pf_tok *w = cur(c);
		if (w == NULL || w->k != PF_WORD)
			return fail(c, "an interface name");
		c->i++;
		/* pfctl -vv adds the address count: "(self:3)", "(em1:*)",
		 * "(em1:network:1)"; a modifier is never a count other than
		 * 0 (":0" = no aliases), pfctl_parser.c print_addr() */
		struct str ws = w->s;
		const char *colon = memrchr(ws.p, ':', ws.n);
		if (colon) {
			struct str cnt = {colon + 1,
					  (size_t)(ws.p + ws.n - colon - 1)};
			uint64_t v;
			if (str_eq(cnt, "*") ||
			    (str_to_u64(cnt, UINT32_MAX, &v) && v > 0))
				ws.n = (size_t)(colon - ws.p);
		}
		end_ref(c, e,
			str_eq(ws, "self")
			    ? "self"
			    : arena_printf(c->ar, "(%.*s)", (int)ws.n, ws.p));
		return expect(c, ")");
	}
	if (t->k != PF_WORD)
		return fail(c, "an address");
	c->i++;
	struct prefix p, q;
	if (str_eq(t->s, "any") || str_eq(t->s, "all")) {
		struct addrset any = addrset_any(c->ar);
		addrset_add_set(c->ar, &e->addrs, &any);
	} else if (str_eq(t->s, "self")) {
		end_ref(c, e, "self");
	} else if (str_eq(t->s, "no-route") || str_eq(t->s, "urpf-failed")) {
		e->partial = true; /* depends on the routing table */
	} else if (literal(t->s, &p)) {
		if (at(c, "-") && c->i + 1 < c->n &&
		    literal(c->t[c->i + 1].s, &q)) { /* "a - b" */
			c->i += 2;
			addrset_add_range(c->ar, &e->addrs, &p.addr, &q.addr);
		} else {
			addrset_add_prefix(c->ar, &e->addrs, &p);
		}
	} else if (memchr(t->s.p, '/', t->s.n)) {
		c->i--;
		return fail(c, "an address or network");
	} else {
		/* em0, em0:network, a hostname: resolved by pf at load */
		end_ref(c, e, dup(c, t->s));
	}
	return true;
}

static bool
host(struct pctx *c, struct rule_end *e)
{
	e->addrs = (struct addrset){0};
	size_t from = c->i;
	if (at(c, "!")) {
		e->negate = true;
		c->i++;
	}
	if (cur(c) == NULL)
		return fail(c, "an address");
	if (!each(c, host_item, e))
		return false;
	e->text = span(c, from, c->i);
	return true;
}

static bool
port_num(struct pctx *c, struct str w, unsigned *v)
{
	uint64_t x;
	if (str_to_u64(w, 65535, &x)) {
		*v = (unsigned)x;
		return true;
	}
	int sp = service_port(w);
	if (sp >= 0) {
		*v = (unsigned)sp;
		return true;
	}
	return fail(c, "a port number");
}

static bool
port_item(struct pctx *c, void *arg)
{
	struct portset *ps = arg;
	const struct pf_tok *t = cur(c);
	unsigned a = 0, b = 0;
	if (t->k == PF_OP) { /* = != < <= > >= */
		c->i++;
		const struct pf_tok *w = cur(c);
		if (w == NULL || w->k != PF_WORD || !port_num(c, w->s, &a))
			return w ? false : fail(c, "a port");
		c->i++;
		char o0 = t->s.p[0], o1 = t->s.n > 1 ? t->s.p[1] : 0;
		if (o0 == '=')
			portset_add(c->ar, ps, a, a);
		else if (o0 == '!') {
			if (a > 0)
				portset_add(c->ar, ps, 0, a - 1);
			if (a < 65535)
				portset_add(c->ar, ps, a + 1, 65535);
		} else if (o0 == '<' && a > 0)
			portset_add(c->ar, ps, 0, o1 == '=' ? a : a - 1);
		else if (o0 == '>' && (a < 65535 || o1 == '='))
			portset_add(c->ar, ps, o1 == '=' ? a : a + 1, 65535);
		return true;
	}
	if (t->k != PF_WORD)
		return fail(c, "a port");
	c->i++;
	struct str lo, hi;
	if (str_split(t->s, ':', &lo, &hi)) { /* 1024:65535 */
		if (!port_num(c, lo, &a) || !port_num(c, hi, &b))
			return false;
		if (a <= b)
			portset_add(c->ar, ps, a, b);
		return true;
	}
	if (!port_num(c, t->s, &a))
		return false;
	const struct pf_tok *op = cur(c);
	if (op && op->k == PF_OP &&
	    (str_eq(op->s, "><") || str_eq(op->s, "<>"))) {
		c->i++;
		const struct pf_tok *w = cur(c);
		if (w == NULL || w->k != PF_WORD || !port_num(c, w->s, &b))
			return w ? false : fail(c, "a port");
		c->i++;
		if (op->s.p[0] == '>' && b > a + 1)
			portset_add(c->ar, ps, a + 1, b - 1);
		else if (op->s.p[0] == '<') {
			if (a > 0)
				portset_add(c->ar, ps, 0, a - 1);
			if (b < 65535)
				portset_add(c->ar, ps, b + 1, 65535);
		}
		return true;
	}
	portset_add(c->ar, ps, a, a);
	return true;
}

static bool
port_spec(struct pctx *c, struct rule_end *e)
{
	if (!at(c, "port"))
		return true;
	c->i++;
	size_t from = c->i;
	if (cur(c) == NULL)
		return fail(c, "a port");
	if (!each(c, port_item, &e->ports))
		return false;
	e->port_text = span(c, from, c->i);
	return true;
}

static bool
addr_end(struct pctx *c, struct rule_end *e)
{
	if (!host(c, e))
		return false;
	return port_spec(c, e);
}

/* ---- the other parts of a filter rule ---- */

static bool
iface_item(struct pctx *c, void *arg)
{
	struct rule *r = arg;
	const struct pf_tok *t = cur(c);
	if (t->k != PF_WORD)
		return fail(c, "an interface name");
	*ARENA_PUSH(c->ar, r->ifaces, r->nifaces, r->cifaces) = dup(c, t->s);
	c->i++;
	return true;
}

static bool
proto_item(struct pctx *c, void *arg)
{
	struct rule *r = arg;
	const struct pf_tok *t = cur(c);
	int p = t->k == PF_WORD ? proto_from_name(t->s) : -1;
	if (p < 0)
		return fail(c, "a protocol");
	protoset_add(&r->protos, (unsigned)p);
	c->i++;
	return true;
}

static int
icmp_type(struct str w)
{
	static const char *const names[] = {
	    "echorep",	 NULL,	    NULL,	 "unreach", "squench",
	    "redir",	 "althost", NULL,	 "echoreq", "routeradv",
	    "routersol", "timex",   "paramprob", "timereq", "timerep",
	    "inforeq",	 "inforep", "maskreq",	 "maskrep"};
	uint64_t v;
	if (str_to_u64(w, 255, &v))
		return (int)v;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (names[i] && str_eq(w, names[i]))
			return (int)i;
	/* ICMPv6 names pfSense writes (filter.inc, ICMPv6 essentials) */
	static const struct {
		const char *n;
		int v;
	} v6[] = {{"unreach", 1},      {"toobig", 2},	   {"timex", 3},
		  {"paramprob", 4},    {"echoreq", 128},   {"echorep", 129},
		  {"routersol", 133},  {"routeradv", 134}, {"neighbrsol", 135},
		  {"neighbradv", 136}, {"redir", 137},	   {"listqry", 130},
		  {"listenrep", 131},  {"listendone", 132}};
	for (size_t i = 0; i < sizeof(v6) / sizeof(*v6); i++)
		if (str_eq(w, v6[i].n))
			return v6[i].v;
	return -1;
}

static bool
icmp_item(struct pctx *c, void *arg)
{
	struct rule *r = arg;
	const struct pf_tok *t = cur(c);
	int v = t->k == PF_WORD ? icmp_type(t->s) : -1;
	if (v < 0)
		return fail(c, "an ICMP type");
	protoset_add(&r->icmptypes, (unsigned)v);
	r->icmp_any = false;
	c->i++;
	if (at(c, "code")) { /* the code narrows further: kept as the type */
		c->i += 2;
	}
	return true;
}

/* route-to / reply-to / dup-to: "( if [addr] )", "{ (..) (..) }", "if" */
static bool
routing(struct pctx *c, struct rule *r, bool route_to)
{
	const struct pf_tok *t = cur(c);
	if (t == NULL)
		return fail(c, "an interface or '('");
	size_t from = c->i;
	if (at(c, "(") || at(c, "{")) {
		if (!skip_group(c))
			return false;
	} else {
		c->i++;
	}
	if (route_to)
		r->gateway = span(c, from, c->i);
	/* pool options */
	while (at(c, "round-robin") || at(c, "random") ||
	       at(c, "sticky-address") || at(c, "least-states") ||
	       at(c, "bitmask") || at(c, "prefer-ipv6-nexthop"))
		c->i++;
	if (at(c, "source-hash")) {
		c->i++;
		if (cur(c) && cur(c)->k == PF_WORD && cur(c)->s.n > 2 &&
		    cur(c)->s.p[0] == '0' && cur(c)->s.p[1] == 'x')
			c->i++;
	}
	return true;
}

/* A label: a description, or one of the rule-id styles 2.4 -> master
 * ("USER_RULE: descr", "id:N", "id=N", "descr=..."), or OPNsense's
 * 32-hex rule hash (doc/behaviour/rules-debug.md §3). */
static void
label(struct pctx *c, struct rule *r, struct str s, bool *has_id)
{
	static const char *const skip[] = {
	    "gw:", "gw=", "s:", "s=", "tags=", NULL};
	for (size_t i = 0; skip[i]; i++)
		if (str_starts(s, skip[i]))
			return;
	if ((str_starts(s, "id:") || str_starts(s, "id=")) && !*has_id) {
		r->tracker = arena_strndup(c->ar, s.p + 3, s.n - 3);
		return;
	}
	if (str_starts(s, "descr=")) {
		r->descr = arena_strndup(c->ar, s.p + 6, s.n - 6);
		return;
	}
	bool hex = s.n == 32;
	for (size_t i = 0; hex && i < s.n; i++)
		hex = (s.p[i] >= '0' && s.p[i] <= '9') ||
		      (s.p[i] >= 'a' && s.p[i] <= 'f');
	if (hex) {
		if (!*has_id)
			r->tracker = dup(c, s);
		return;
	}
	if (r->descr)
		return;
	if (str_starts(s, "USER_RULE: "))
		r->descr = arena_strndup(c->ar, s.p + 11, s.n - 11);
	else if (str_eq(s, "USER_RULE"))
		r->descr = "";
	else
		r->descr = dup(c, s);
}

static bool
skip_word(struct pctx *c, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (cur(c) == NULL)
			return fail(c, "a value");
		c->i++;
	}
	return true;
}

/* Options after the addresses that change nothing the trace looks at,
 * with how many words follow each (doc/behaviour/rules-debug.md §1). */
static bool
option(struct pctx *c)
{
	static const struct {
		const char *kw;
		int args; /* -1: an optional "( ... )" group */
	} opts[] = {
	    {"allow-opts", 0},	 {"fragment", 0},     {"no-df", 0},
	    {"random-id", 0},	 {"reassemble", 1},   {"max-mss", 1},
	    {"tag", 1},		 {"tagged", 1},	      {"probability", 1},
	    {"rtable", 1},	 {"prio", 1},	      {"tos", 1},
	    {"os", 1},		 {"max-pkt-rate", 1}, {"once", 0},
	    {"divert-reply", 0}, {"set-tos", 1},      {"min-ttl", 1},
	    {"queue", -1},	 {"dnpipe", -1},      {"dnqueue", -1},
	    {"set", -2},	 {"received-on", 1},  {"divert-to", 3},
	    {"user", -3},	 {"group", -3},	      {"sloppy", 0},
	    {"l3", 0},		 {"scrub", -1},	      {"af-to", 0},
	};
	for (size_t k = 0; k < sizeof(opts) / sizeof(*opts); k++) {
		if (!at(c, opts[k].kw))
			continue;
		c->i++;
		if (opts[k].args >= 0)
			return skip_word(c, (size_t)opts[k].args);
		if (opts[k].args == -2) /* set prio (a, b) / set tos x */
			return skip_word(c, 1) &&
			       (at(c, "(") ? skip_group(c) : skip_word(c, 1));
		if (opts[k].args == -3) { /* user [op] id | { ... } */
			if (cur(c) && cur(c)->k == PF_OP)
				c->i++;
			return at(c, "{") ? skip_group(c) : skip_word(c, 1);
		}
		/* queue name | ( a, b ); dnpipe N | ( a, b ) */
		return at(c, "(") ? skip_group(c) : skip_word(c, 1);
	}
	return fail(c, "a pf rule option");
}

static bool
rule_body(struct pctx *c, struct rule *r)
{
	bool has_id = false;
	while (c->i < c->n && !c->bad) {
		const struct pf_tok *t = cur(c);
		bool ok = true;
		if (at(c, "in") || at(c, "out")) {
			r->dir = t->s.p[0] == 'i' ? DIR_IN : DIR_OUT;
			c->i++;
		} else if (at(c, "log")) {
			c->i++;
			ok = skip_group(c);
		} else if (at(c, "quick")) {
			r->quick = true;
			c->i++;
		} else if (at(c, "on")) {
			c->i++;
			if (at(c, "!")) {
				r->ifaces_negate = true;
				c->i++;
			}
			ok = cur(c) ? each(c, iface_item, r)
				    : fail(c, "an interface");
		} else if (at(c, "inet") || at(c, "inet6")) {
			r->fam[FAM_V4] = t->s.n == 4;
			r->fam[FAM_V6] = t->s.n == 5;
			c->i++;
		} else if (at(c, "proto")) {
			c->i++;
			r->protos = (struct protoset){0};
			ok = cur(c) ? each(c, proto_item, r)
				    : fail(c, "a protocol");
		} else if (at(c, "all")) {
			c->i++;
		} else if (at(c, "from")) {
			c->i++;
			ok = addr_end(c, &r->src);
		} else if (at(c, "to")) {
			c->i++;
			ok = addr_end(c, &r->dst);
		} else if (at(c, "route-to") || at(c, "reply-to") ||
			   at(c, "dup-to")) {
			c->i++;
			ok = routing(c, r, t->s.n == 8 && t->s.p[1] == 'o');
		} else if (at(c, "flags")) {
			ok = skip_word(c, 2);
		} else if (at(c, "icmp-type") || at(c, "icmp6-type")) {
			c->i++;
			r->icmptypes = (struct protoset){0};
			ok = cur(c) ? each(c, icmp_item, r)
				    : fail(c, "an ICMP type");
		} else if (at(c, "keep") || at(c, "modulate") ||
			   at(c, "synproxy")) {
			r->statetype = dup(c, t->s);
			c->i++;
			ok = expect(c, "state") && skip_group(c);
		} else if (at(c, "no")) {
			r->statetype = "none";
			c->i++;
			ok = expect(c, "state");
		} else if (at(c, "label")) {
			c->i++;
			if (cur(c) == NULL || cur(c)->k != PF_STR)
				ok = fail(c, "a label");
			else
				label(c, r, cur(c)->s, &has_id), c->i++;
		} else if (at(c, "ridentifier") || at(c, "tracker")) {
			c->i++;
			uint64_t v;
			if (cur(c) && str_to_u64(cur(c)->s, UINT32_MAX, &v)) {
				r->tracker = dup(c, cur(c)->s);
				has_id = true;
				c->i++;
			} else {
				ok = fail(c, "a rule number");
			}
		} else if (at(c, "!") && c->i + 1 < c->n &&
			   pf_tok_is(&c->t[c->i + 1], "tagged")) {
			ok = skip_word(c, 3);
		} else {
			ok = option(c);
		}
		if (!ok)
			return false;
	}
	return !c->bad;
}

/* pass | block [drop|return...] | match, then the body */
static bool
filter_rule(struct pctx *c, struct rule *r)
{
	const struct pf_tok *t = cur(c);
	r->origin = ORIGIN_RUNNING;
	r->action = at(c, "pass")    ? ACT_PASS
		    : at(c, "match") ? ACT_MATCH
				     : ACT_BLOCK;
	r->fam[FAM_V4] = r->fam[FAM_V6] = true;
	r->protos = protoset_any();
	r->icmp_any = true;
	r->src.addrs = addrset_any(c->ar);
	r->dst.addrs = addrset_any(c->ar);
	r->src.text = r->dst.text = "any";
	r->loc = (struct srcloc){c->file, t->line, 0, 0};
	c->i++;
	if (r->action == ACT_BLOCK) {
		if (at(c, "drop")) {
			c->i++;
		} else if (at(c, "return") || at(c, "return-rst") ||
			   at(c, "return-icmp") || at(c, "return-icmp6")) {
			r->action = ACT_REJECT;
			c->i++;
			if (!skip_group(c))
				return false;
		}
	}
	if (!rule_body(c, r))
		return false;
	if (r->descr == NULL && c->comment.n)
		r->descr = dup(c, str_trim(c->comment));
	return true;
}

/* Statements read for their shape only. */
static bool
other_statement(struct pctx *c)
{
	static const char *const kw[] = {
	    "set",	    "scrub",	   "nat",	 "binat",
	    "rdr",	    "no",	   "nat-anchor", "rdr-anchor",
	    "binat-anchor", "load",	   "altq",	 "queue",
	    "ether",	    "antispoof",   "anchor",	 "dummynet-anchor",
	    "dummynet",	    "fail-policy", "include",	 NULL};
	for (size_t k = 0; kw[k]; k++)
		if (at(c, kw[k])) {
			/* an anchor with its rules inline: not modelled */
			if (str_eq(cur(c)->s, "anchor") &&
			    pf_tok_is(&c->t[c->n - 1], "{"))
				return fail(c,
					    "an anchor without inline rules");
			return true;
		}
	return fail(c, "a pf statement (pass, block, table, ...)");
}

/* One statement of tokens t[0..n); pushes a filter rule to *rules. */
static void
statement(struct pctx *c, const struct pf_tok *t, size_t n, struct rule **rules,
	  size_t *nr, size_t *cr, unsigned nr_pf)
{
	c->bad = false;
	/* NAME = "value" */
	if (n >= 3 && t[0].k == PF_WORD && t[1].k == PF_OP &&
	    str_eq(t[1].s, "=") && t[0].s.p[0] != '$') {
		if (t[2].k != PF_STR || n != 3) {
			problem(c, t[2].line, t[2].col,
				"pf ruleset: a macro's value must be one "
				"quoted string");
			return;
		}
		struct pf_lex v = {.ar = c->ar};
		if (!pf_lex_line(&v, t[2].s.p, t[2].s.n, t[2].line, 1)) {
			problem(c, t[2].line, t[2].col,
				"pf ruleset: macro '%.*s': %s",
				(int)(t[0].s.n > 64 ? 64 : t[0].s.n), t[0].s.p,
				v.err);
			return;
		}
		c->nmac_tokens += v.n;
		if (c->nmac >= PF_MAX_MACROS ||
		    c->nmac_tokens > PF_MAX_MACRO_TOKENS) {
			problem(c, t[0].line, t[0].col,
				"pf ruleset: too many macros");
			return;
		}
		*ARENA_PUSH(c->ar, c->mac, c->nmac, c->cmac) =
		    (struct macro){t[0].s, v.t, v.n};
		return;
	}
	struct pf_lex *x = &c->xb;
	x->ar = c->ar, x->n = 0;
	if (!expand(c, x, t, n, 0, NULL))
		return;
	c->t = x->t, c->n = x->n, c->i = 0;
	c->ntokens += x->n;
	if (c->ntokens > PF_MAX_FILE_TOKENS) {
		problem(c, t[0].line, t[0].col,
			"pf ruleset: more than %d words after macro expansion",
			PF_MAX_FILE_TOKENS);
		return;
	}
	if (c->n == 0)
		return;
	if (at(c, "table")) {
		table_def(c);
		return;
	}
	if (!at(c, "pass") && !at(c, "block") && !at(c, "match")) {
		other_statement(c);
		return;
	}
	if (*nr >= PF_MAX_RULES) {
		problem(c, c->t[0].line, c->t[0].col,
			"pf ruleset: more than %d rules", PF_MAX_RULES);
		return;
	}
	struct rule r = {0};
	if (!filter_rule(c, &r))
		return;
	r.pf_nr = nr_pf;
	r.position = (unsigned)*nr + 1;
	*ARENA_PUSH(c->ar, *rules, *nr, *cr) = r;
}

/* Lexes one logical line (continued by "\"); false when it failed. */
static bool
lex(struct pctx *c, struct pf_lex *lx, struct str text, uint32_t line)
{
	*lx = (struct pf_lex){.ar = c->ar, .t = lx->t, .cap = lx->cap};
	if (pf_lex_line(lx, text.p, text.n, line, 1))
		return true;
	c->bad = false;
	problem(c, lx->err_line, lx->err_col, "pf ruleset: %s", lx->err);
	return false;
}

/* The next logical line of buf: physical lines joined while one ends in
 * a backslash. */
static bool
next_line(const char *buf, size_t len, size_t *off, uint32_t *lineno,
	  struct str *out, uint32_t *first)
{
	if (*off >= len)
		return false;
	size_t s = *off, e = s;
	*first = *lineno + 1;
	for (;;) {
		while (e < len && buf[e] != '\n')
			e++;
		(*lineno)++;
		size_t t = e;
		while (t > s && (buf[t - 1] == '\r' || buf[t - 1] == ' ' ||
				 buf[t - 1] == '\t'))
			t--;
		if (e < len && t > s && buf[t - 1] == '\\') {
			e++;
			continue;
		}
		*out = (struct str){buf + s, e - s};
		*off = e < len ? e + 1 : e;
		return true;
	}
}

size_t
pf_read_rules_debug(struct arena *ar, struct boxstate *b, const char *file,
		    const char *buf, size_t len)
{
	struct pctx c = {.ar = ar, .b = b, .file = file};
	size_t off = 0;
	uint32_t lineno = 0, first;
	struct str line;
	b->rd_rules = NULL;
	b->nrd_rules = b->crd_rules = 0;
	while (c.why_not == NULL &&
	       next_line(buf, len, &off, &lineno, &line, &first)) {
		if (!lex(&c, &c.lb, line, first) || c.lb.n == 0)
			continue;
		c.comment = c.lb.comment;
		statement(&c, c.lb.t, c.lb.n, &b->rd_rules, &b->nrd_rules,
			  &b->crd_rules, 0);
	}
	b->rd_why_not = c.why_not;
	return b->nrd_rules;
}

/* "[ Evaluations: 2  Packets: 0  Bytes: 0  States: 0 ]" */
static void
counters(struct rule *r, struct str line)
{
	static const char *const keys[] = {
	    "Evaluations:", "Packets:", "Bytes:", "States:"};
	uint64_t *dst[] = {&r->evals, &r->packets, &r->bytes, &r->states};
	for (int k = 0; k < 4; k++) {
		const char *p =
		    memmem(line.p, line.n, keys[k], strlen(keys[k]));
		if (p == NULL)
			return;
		p += strlen(keys[k]);
		while (p < line.p + line.n && *p == ' ')
			p++;
		size_t n = 0;
		while (p + n < line.p + line.n && p[n] >= '0' && p[n] <= '9')
			n++;
		if (!str_to_u64((struct str){p, n}, UINT64_MAX, dst[k]))
			return;
	}
	r->has_evals = r->has_counter = true;
}

size_t
pf_read_pfctl_rules(struct arena *ar, struct boxstate *b, const char *file,
		    const char *buf, size_t len)
{
	struct pctx c = {.ar = ar, .b = b, .file = file};
	size_t off = 0;
	uint32_t lineno = 0, first;
	struct str line;
	struct rule *last = NULL;
	b->ld_rules = NULL;
	b->nld_rules = b->cld_rules = 0;
	while (c.why_not == NULL &&
	       next_line(buf, len, &off, &lineno, &line, &first)) {
		struct str t = str_trim(line);
		if (t.n && t.p[0] == '[') {
			if (last && str_starts(t, "[ Evaluations:"))
				counters(last, t);
			continue;
		}
		last = NULL;
		if (t.n < 2 || t.p[0] != '@')
			continue; /* stderr noise, "No ALTQ support" */
		size_t k = 1;
		uint64_t nr = 0;
		while (k < t.n && t.p[k] >= '0' && t.p[k] <= '9')
			k++;
		if (!str_to_u64((struct str){t.p + 1, k - 1}, UINT32_MAX,
				&nr)) {
			c.bad = false;
			problem(&c, first, 1,
				"pfctl -vvsr: '@' without a rule number");
			continue;
		}
		if (k < t.n && t.p[k] == '(') /* "(cuid)" */
			while (k < t.n && t.p[k] != ')')
				k++;
		k += k < t.n;
		struct pf_lex *lx = &c.lb;
		uint32_t col = (uint32_t)(t.p - line.p) + (uint32_t)k + 1;
		*lx = (struct pf_lex){.ar = ar, .t = lx->t, .cap = lx->cap};
		if (!pf_lex_line(lx, t.p + k, t.n - k, first, col)) {
			c.bad = false;
			problem(&c, lx->err_line, lx->err_col, "pf ruleset: %s",
				lx->err);
			continue;
		}
		size_t before = b->nld_rules;
		c.comment = lx->comment;
		statement(&c, lx->t, lx->n, &b->ld_rules, &b->nld_rules,
			  &b->cld_rules, (unsigned)nr);
		if (b->nld_rules > before)
			last = &b->ld_rules[b->nld_rules - 1];
	}
	b->ld_why_not = c.why_not;
	return b->nld_rules;
}
