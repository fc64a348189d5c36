/* Linux netfilter as engine/netfilter.c runs it (nft(8) "CHAINS",
 * "VERDICT STATEMENT"; doc/ARCHITECTURE.md §3): every base chain of a hook by
 * priority, accept ends only its base chain, drop is final, jump returns
 * and goto does not, return, policies, conntrack state, interface-name
 * wildcards, IPsec policy matches, masquerade as NAT; and a pfSense <->
 * Linux trace through engine_trace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build.h"
#include "engine/netfilter.h"
#include "engine/trace.h"
#include "import/load.h"

static struct nf_chain *
chain(struct arena *ar, struct site *s, const char *family, const char *name,
      const char *hook, int prio, enum rule_action policy)
{
	struct nf_chain *c = ARENA_PUSH(ar, s->chains, s->nchains, s->cchains);
	c->family = family;
	c->table = hook && strcmp(hook, "postrouting") == 0 ? "nat" : "filter";
	c->name = name;
	c->hook = hook;
	c->base = hook != NULL;
	c->type = c->table;
	c->priority = prio;
	c->policy = policy;
	c->first_rule = s->nrules;
	return c;
}

/* A rule appended to the last chain: matches everything until narrowed. */
static struct rule *
nrule(struct arena *ar, struct site *s, enum nf_verdict v, const char *target,
      const char *descr)
{
	assert_true(s->nchains > 0);
	struct nf_chain *c = &s->chains[s->nchains - 1];
	assert_int_equal(c->first_rule + c->nrules, s->nrules);
	struct rule *r = b_rule(ar, s, NULL, false, ACT_MATCH, descr);
	r->nifaces = 0;
	r->protos = protoset_any();
	r->nf_chain = s->nchains;
	r->verdict = v;
	r->target = target;
	r->action = v == NFV_ACCEPT   ? ACT_PASS
		    : v == NFV_DROP   ? ACT_BLOCK
		    : v == NFV_REJECT ? ACT_REJECT
				      : ACT_MATCH;
	c->nrules++;
	return r;
}

static void
only_proto(struct rule *r, unsigned proto)
{
	r->protos = (struct protoset){0};
	protoset_add(&r->protos, proto);
}

static struct nf_pkt
npkt(const char *proto, const char *iif, const char *oif, unsigned ct)
{
	struct nf_pkt p = {.p = b_pkt("10.0.2.10", "10.0.1.10", proto),
			   .iif = iif,
			   .oif = oif,
			   .ct = ct};
	return p;
}

static void
expect(const struct nf_result *r, bool accept, const char *rule_descr,
       const char *chain_name)
{
	if (r->accept != accept)
		fail_msg("expected %s, got %s", accept ? "accept" : "drop",
			 r->accept ? "accept" : "drop");
	if (rule_descr == NULL && r->rule != NULL)
		fail_msg("expected a chain policy, got rule '%s'",
			 r->rule->descr);
	if (rule_descr &&
	    (r->rule == NULL || strcmp(r->rule->descr, rule_descr) != 0))
		fail_msg("expected rule '%s', got %s", rule_descr,
			 r->rule ? r->rule->descr : "a policy");
	if (chain_name) {
		assert_non_null(r->chain);
		assert_string_equal(r->chain->name, chain_name);
	}
}

/* Base chains run lowest priority first, whatever the file order: the
 * first drop by priority is the one that decides. */
static void
test_priority_order(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "late", "forward", 10, ACT_PASS);
	nrule(&ar, s, NFV_DROP, NULL, "late drop");
	chain(&ar, s, "inet", "early", "forward", -10, ACT_PASS);
	nrule(&ar, s, NFV_DROP, NULL, "early drop");
	struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, "early drop", "early");
	/* a chain of another hook is not run */
	s->chains[1].hook = "input";
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, "late drop", "late");
	arena_free(&ar);
}

/* accept ends one base chain; a later base chain of the same hook still
 * runs and may drop (nft(8): "accept ... the packet will still have to
 * pass the other base chains"). */
static void
test_accept_not_final(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "first", "forward", -10, ACT_PASS);
	nrule(&ar, s, NFV_ACCEPT, NULL, "accept all");
	chain(&ar, s, "inet", "second", "forward", 0, ACT_BLOCK);
	struct rule *ssh = nrule(&ar, s, NFV_ACCEPT, NULL, "ssh");
	only_proto(ssh, PROTO_TCP);
	portset_add(&ar, &ssh->dst.ports, 22, 22);
	struct nf_pkt p = npkt("tcp/445", "eth0", "eth1", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, NULL, "second");
	p = npkt("tcp/22", "eth0", "eth1", NF_CT_NEW);
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, true, "ssh", "second");
	arena_free(&ar);
}

/* drop is final: an accept in a later base chain changes nothing. */
static void
test_drop_final(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "first", "forward", -10, ACT_PASS);
	nrule(&ar, s, NFV_DROP, NULL, "drop icmp");
	only_proto(&s->rules[0], PROTO_ICMP);
	nrule(&ar, s, NFV_ACCEPT, NULL, "after the drop");
	chain(&ar, s, "inet", "second", "forward", 0, ACT_PASS);
	nrule(&ar, s, NFV_ACCEPT, NULL, "accept all");
	struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, "drop icmp", "first");
	/* reject is final as well */
	s->rules[0].verdict = NFV_REJECT;
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, "drop icmp", "first");
	p = npkt("udp/53", "eth0", "eth1", NF_CT_NEW);
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, true, "accept all", "second");
	arena_free(&ar);
}

/* jump comes back to the next rule when the target chain ends without a
 * verdict; goto does not come back: it continues after the jump that
 * led to the calling chain, or ends in the base chain's policy. */
static void
test_jump_goto(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum nf_verdict call;
		bool sub_accepts;
		bool accept;
		const char *by; /* NULL = policy */
	} jc[] = {
	    {"jump, target falls off: next rule", NFV_JUMP, false, false,
	     "after call"},
	    {"jump, target accepts", NFV_JUMP, true, true, "sub accept"},
	    {"goto, target falls off: base policy", NFV_GOTO, false, true,
	     NULL},
	    {"goto, target accepts", NFV_GOTO, true, true, "sub accept"},
	};
	for (size_t i = 0; i < sizeof(jc) / sizeof(*jc); i++) {
		struct arena ar;
		arena_init(&ar);
		struct site *s = b_site(&ar, SITE_LINUX);
		chain(&ar, s, "inet", "forward", "forward", 0, ACT_PASS);
		nrule(&ar, s, jc[i].call, "sub", "call");
		nrule(&ar, s, NFV_DROP, NULL, "after call");
		chain(&ar, s, "inet", "sub", NULL, 0, ACT_PASS);
		nrule(&ar, s, NFV_ACCEPT, NULL, "sub accept")->disabled =
		    !jc[i].sub_accepts;
		struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
		struct nf_result r = nf_hook(s, "forward", "filter", &p);
		if (r.accept != jc[i].accept ||
		    (jc[i].by == NULL) != (r.rule == NULL) ||
		    (jc[i].by && strcmp(r.rule->descr, jc[i].by) != 0))
			fail_msg("%s: expected %s by %s", jc[i].name,
				 jc[i].accept ? "accept" : "drop",
				 jc[i].by ? jc[i].by : "the policy");
		arena_free(&ar);
	}
}

/* base: jump A; accept "base after". A: goto B; drop "A after". B: empty.
 * B ends -> back to base (the caller of A), never to A. */
static void
test_goto_nested(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "forward", "forward", 0, ACT_BLOCK);
	nrule(&ar, s, NFV_JUMP, "A", "jump A");
	nrule(&ar, s, NFV_ACCEPT, NULL, "base after");
	chain(&ar, s, "inet", "A", NULL, 0, ACT_PASS);
	nrule(&ar, s, NFV_GOTO, "B", "goto B");
	nrule(&ar, s, NFV_DROP, NULL, "A after");
	chain(&ar, s, "inet", "B", NULL, 0, ACT_PASS);
	nrule(&ar, s, NFV_NONE, NULL, "counter only");
	struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	expect(&r, true, "base after", "forward");
	/* jump/goto targets are looked up in the same table and family */
	s->chains[1].family = "ip6";
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, true, "base after", "forward");
	arena_free(&ar);
}

/* return leaves a regular chain early (back to the caller); at the end
 * of a base chain, and on return in one, the policy decides. */
static void
test_return(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "forward", "forward", 0, ACT_BLOCK);
	nrule(&ar, s, NFV_JUMP, "sub", "jump sub");
	nrule(&ar, s, NFV_ACCEPT, NULL, "base accept");
	chain(&ar, s, "inet", "sub", NULL, 0, ACT_PASS);
	only_proto(nrule(&ar, s, NFV_RETURN, NULL, "return tcp"), PROTO_TCP);
	nrule(&ar, s, NFV_DROP, NULL, "sub drop");
	struct nf_pkt tcp = npkt("tcp/445", "eth0", "eth1", NF_CT_NEW);
	struct nf_pkt udp = npkt("udp/53", "eth0", "eth1", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &tcp);
	expect(&r, true, "base accept", "forward");
	r = nf_hook(s, "forward", "filter", &udp);
	expect(&r, false, "sub drop", "sub");
	/* return in the base chain: its policy (drop) */
	s->rules[0].verdict = NFV_RETURN;
	r = nf_hook(s, "forward", "filter", &tcp);
	expect(&r, false, NULL, "forward");
	arena_free(&ar);
}

static void
test_policy(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "forward", "forward", 0, ACT_BLOCK);
	only_proto(nrule(&ar, s, NFV_ACCEPT, NULL, "tcp"), PROTO_TCP);
	struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, NULL, "forward");
	s->chains[0].policy = ACT_PASS;
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, true, NULL, "forward");
	/* no base chain on the hook at all: the kernel passes it */
	r = nf_hook(s, "input", "filter", &p);
	assert_true(r.accept);
	assert_false(nf_has_hook(s, "input", "filter"));
	assert_true(nf_has_hook(s, "forward", "filter"));
	arena_free(&ar);
}

/* ct state established,related accept; then policy drop. */
static void
test_ct_state(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "forward", "forward", 0, ACT_BLOCK);
	struct rule *r0 = nrule(&ar, s, NFV_ACCEPT, NULL, "established");
	r0->ct_state = NF_CT_ESTABLISHED | NF_CT_RELATED;
	struct nf_pkt p = npkt("tcp/445", "eth0", "eth1", NF_CT_ESTABLISHED);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	expect(&r, true, "established", "forward");
	p.ct = NF_CT_NEW;
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, NULL, "forward");
	/* ct state != new */
	r0->ct_state = NF_CT_NEW;
	r0->ct_negate = true;
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, NULL, "forward");
	p.ct = NF_CT_ESTABLISHED;
	r = nf_hook(s, "forward", "filter", &p);
	expect(&r, true, "established", "forward");
	arena_free(&ar);
}

/* iifname/oifname with a trailing wildcard, and negated. */
struct icase {
	const char *name;
	const char *pattern;
	bool negate, oif;
	const char *dev; /* NULL = no interface (locally generated) */
	bool match;
};

static const struct icase icases[] = {
    {"iifname eth* matches eth0", "eth*", false, false, "eth0", true},
    {"iifname eth* matches eth1.10", "eth*", false, false, "eth1.10", true},
    {"iifname eth* does not match veth0", "eth*", false, false, "veth0", false},
    {"iifname eth* does not match wlan0", "eth*", false, false, "wlan0", false},
    {"iifname eth0 does not match eth01", "eth0", false, false, "eth01", false},
    {"iifname eth* without an input interface", "eth*", false, false, NULL,
     false},
    {"iifname != eth* matches ppp0", "eth*", true, false, "ppp0", true},
    {"iifname != eth* does not match eth3", "eth*", true, false, "eth3", false},
    {"oifname ipsec* matches ipsec0", "ipsec*", false, true, "ipsec0", true},
    {"oifname != wan0 matches lan0", "wan0", true, true, "lan0", true},
};

static void
test_ifname(void **state)
{
	const struct icase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "forward", "forward", 0, ACT_BLOCK);
	struct rule *r0 = nrule(&ar, s, NFV_ACCEPT, NULL, "by name");
	const char **names = arena_alloc(&ar, sizeof(*names));
	names[0] = c->pattern;
	if (c->oif) {
		r0->oifnames = names;
		r0->noif = r0->coif = 1;
		r0->oif_negate = c->negate;
	} else {
		r0->iifnames = names;
		r0->niif = r0->ciif = 1;
		r0->iif_negate = c->negate;
	}
	struct nf_pkt p = npkt("icmp", c->oif ? "lan0" : c->dev,
			       c->oif ? c->dev : "lan0", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	if (r.accept != c->match)
		fail_msg("%s: expected %s", c->name,
			 c->match ? "match" : "no match");
	arena_free(&ar);
}

/* "meta ipsec exists" / "ipsec in ..." (decrypted by an xfrm state) and
 * "rt ipsec exists" / "ipsec out" (an xfrm policy will encrypt it), and
 * their "missing" forms. */
static void
test_ipsec_match(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int match;
		enum rule_dir dir;
		bool in, out, accept;
	} ic[] = {
	    {"ipsec in, decrypted", 1, DIR_IN, true, false, true},
	    {"ipsec in, clear", 1, DIR_IN, false, false, false},
	    {"ipsec in, to be encrypted only", 1, DIR_IN, false, true, false},
	    {"rt ipsec exists, to be encrypted", 1, DIR_OUT, false, true, true},
	    {"rt ipsec exists, decrypted only", 1, DIR_OUT, true, false, false},
	    {"rt ipsec missing, clear", -1, DIR_OUT, false, false, true},
	    {"rt ipsec missing, to be encrypted", -1, DIR_OUT, false, true,
	     false},
	    {"ipsec in missing, decrypted", -1, DIR_IN, true, false, false},
	};
	for (size_t i = 0; i < sizeof(ic) / sizeof(*ic); i++) {
		struct arena ar;
		arena_init(&ar);
		struct site *s = b_site(&ar, SITE_LINUX);
		chain(&ar, s, "inet", "forward", "forward", 0, ACT_BLOCK);
		struct rule *r0 = nrule(&ar, s, NFV_ACCEPT, NULL, "ipsec");
		r0->ipsec_match = ic[i].match;
		r0->ipsec_dir = ic[i].dir;
		struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
		p.ipsec_in = ic[i].in;
		p.ipsec_out = ic[i].out;
		struct nf_result r = nf_hook(s, "forward", "filter", &p);
		if (r.accept != ic[i].accept)
			fail_msg("%s: expected %s", ic[i].name,
				 ic[i].accept ? "accept" : "drop");
		arena_free(&ar);
	}
}

/* masquerade in postrouting is recorded as the NAT that applied; the
 * type argument keeps nat and filter chains apart. */
static void
test_masquerade(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "ip", "postrouting", "postrouting", 100, ACT_PASS);
	struct rule *m = nrule(&ar, s, NFV_MASQUERADE, NULL, "masq");
	const char **names = arena_alloc(&ar, sizeof(*names));
	names[0] = "wan0";
	m->oifnames = names;
	m->noif = m->coif = 1;
	chain(&ar, s, "inet", "filter_post", "postrouting", 0, ACT_BLOCK);
	s->chains[1].table = s->chains[1].type = "filter";
	struct nf_pkt p = npkt("icmp", "lan0", "wan0", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "postrouting", "nat", &p);
	assert_true(r.accept);
	assert_ptr_equal(r.nat, m);
	p.oif = "ipsec0";
	r = nf_hook(s, "postrouting", "nat", &p);
	assert_true(r.accept);
	assert_null(r.nat);
	/* an ip (IPv4) chain does not see IPv6 */
	struct nf_pkt p6 = p;
	p6.oif = "wan0";
	p6.p = b_pkt("2001:db8:1::10", "2001:db8:2::10", "icmp6");
	r = nf_hook(s, "postrouting", "nat", &p6);
	assert_null(r.nat);
	/* the filter-type chain (policy drop) runs only without a type */
	p.oif = "wan0";
	r = nf_hook(s, "postrouting", NULL, &p);
	assert_false(r.accept);
	arena_free(&ar);
}

/* Rulesets with many chains (firewalld, Docker, Kubernetes create
 * dozens): every base chain of the hook runs, the 70th as the first. */
static void
test_many_chains(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	for (int i = 0; i < 70; i++) {
		chain(&ar, s, "inet", arena_printf(&ar, "c%d", i),
		      i == 69 ? "forward" : NULL, 0, ACT_PASS);
		nrule(&ar, s, NFV_ACCEPT, NULL, "filler");
	}
	s->chains[69].policy = ACT_BLOCK;
	s->chains[69].nrules = 0;
	struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
	assert_true(nf_has_hook(s, "forward", "filter"));
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	/* a base chain past the 64th runs too (large firewalld, Docker or
	 * Kubernetes rulesets): dropped by c69's policy */
	bool by_c69 = r.rule == NULL && r.chain == &s->chains[69] && !r.accept;
	arena_free(&ar);
	assert_true(by_c69);
}

/* A jump loop (nft refuses those at load time, iptables-save can hold
 * one) ends instead of recursing forever. */
static void
test_jump_loop(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	chain(&ar, s, "inet", "forward", "forward", 0, ACT_BLOCK);
	nrule(&ar, s, NFV_JUMP, "loop", "enter");
	chain(&ar, s, "inet", "loop", NULL, 0, ACT_PASS);
	nrule(&ar, s, NFV_JUMP, "loop", "again");
	struct nf_pkt p = npkt("icmp", "eth0", "eth1", NF_CT_NEW);
	struct nf_result r = nf_hook(s, "forward", "filter", &p);
	expect(&r, false, NULL, "forward");
	arena_free(&ar);
}

/* ---- end to end: pfSense siteA <-> Linux siteB ---- */

static const enum step_kind req_kinds[] = {
    STEP_ORIGINATED, STEP_RECEIVED,    STEP_FILTER,   STEP_SPD_MATCH,
    STEP_ENCRYPTED,  STEP_TRANSMITTED, STEP_RECEIVED, STEP_WAN_FILTER,
    STEP_DECRYPTED,  STEP_FILTER,      STEP_ROUTED,   STEP_TRANSMITTED,
    STEP_DELIVERED,
};

static void
expect_kinds(const struct path *p, const enum step_kind *k, size_t n,
	     const char *which)
{
	for (size_t i = 0; i < p->n && i < n; i++)
		if (p->steps[i].kind != k[i])
			fail_msg("%s step %zu: expected %s, got %s (%s)", which,
				 i + 1, step_kind_name(k[i]),
				 step_kind_name(p->steps[i].kind),
				 p->steps[i].what ? p->steps[i].what : "");
	if (p->n != n)
		fail_msg("%s: %zu steps, expected %zu", which, p->n, n);
}

static void
test_trace_mixed(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site a = {0}, b = {0};
	assert_true(site_load(&ar, "tests/fixtures/mixed/healthy/siteA", &a));
	assert_true(site_load(&ar, "tests/fixtures/mixed/healthy/siteB", &b));
	assert_int_equal(b.kind, SITE_LINUX);
	struct site *sites[] = {&a, &b};
	struct engine *e = engine_new(&ar, sites, 2);
	struct flow_trace ft;
	struct packet p = b_pkt("10.0.1.10", "10.0.2.10", "tcp/445");
	engine_trace(e, &p, "tcp/445", &ft);
	expect_kinds(&ft.request, req_kinds,
		     sizeof(req_kinds) / sizeof(*req_kinds), "request");
	assert_true(ft.request.delivered);
	assert_int_equal(ft.request.fail_at, -1);
	/* siteB's forward chain accepted it as a NEW connection */
	const struct step *f = &ft.request.steps[9];
	assert_string_equal(f->site, "siteB");
	assert_non_null(f->rule);
	assert_true(f->rule->nf_chain != 0);
	assert_true(ft.reply_traced);
	expect_kinds(&ft.reply, req_kinds,
		     sizeof(req_kinds) / sizeof(*req_kinds), "reply");
	assert_true(ft.reply.delivered);
	/* the reply: siteA's WAN and IPsec filters pass it by state */
	assert_string_equal(ft.reply.steps[7].site, "siteA");
	assert_null(ft.reply.steps[7].rule);
	assert_non_null(strstr(ft.reply.steps[7].what, "by state"));
	assert_null(ft.reply.steps[9].rule);
	assert_non_null(strstr(ft.reply.steps[9].what, "by state"));
	arena_free(&ar);
}

/* The reply goes by state even where no rule would pass it: siteA
 * without its IPsec-tab rule, siteB without its lan0 -> ipsec0 accept
 * (only "ct state established,related accept" lets the reply out). */
static void
test_trace_mixed_stateful(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site a = {0}, b = {0};
	assert_true(site_load(&ar, "tests/fixtures/mixed/healthy/siteA", &a));
	assert_true(site_load(&ar, "tests/fixtures/mixed/healthy/siteB", &b));
	for (size_t i = 0; i < a.nrules; i++)
		if (a.rules[i].nifaces &&
		    strcmp(a.rules[i].ifaces[0], "enc0") == 0)
			a.rules[i].disabled = true;
	size_t off = 0;
	for (size_t i = 0; i < b.nrules; i++)
		if (b.rules[i].niif && b.rules[i].noif &&
		    strcmp(b.rules[i].iifnames[0], "lan0") == 0 &&
		    strcmp(b.rules[i].oifnames[0], "ipsec0") == 0) {
			b.rules[i].disabled = true;
			off++;
		}
	assert_int_equal(off, 1);
	struct site *sites[] = {&a, &b};
	struct engine *e = engine_new(&ar, sites, 2);
	struct flow_trace ft;
	struct packet p = b_pkt("10.0.1.10", "10.0.2.10", "tcp/445");
	engine_trace(e, &p, "tcp/445", &ft);
	assert_true(ft.request.delivered);
	assert_true(ft.reply.delivered);
	assert_string_equal(ft.reply.steps[2].site, "siteB");
	assert_int_equal(ft.reply.steps[2].kind, STEP_FILTER);
	assert_non_null(ft.reply.steps[2].rule);
	assert_int_equal(ft.reply.steps[2].rule->ct_state,
			 NF_CT_ESTABLISHED | NF_CT_RELATED);
	/* the other way round the missing rule stops the new connection
	 * at siteB's forward hook */
	p = b_pkt("10.0.2.10", "10.0.1.10", "tcp/445");
	engine_trace(e, &p, "tcp/445", &ft);
	assert_false(ft.request.delivered);
	assert_true(ft.request.fail_at >= 0);
	const struct step *st = &ft.request.steps[ft.request.fail_at];
	assert_int_equal(st->kind, STEP_DENIED_IN);
	assert_string_equal(st->site, "siteB");
	assert_non_null(strstr(st->what, "forward"));
	assert_false(ft.reply_traced);
	arena_free(&ar);
}

#define TABLE(fn, arr)                                                         \
	for (size_t i = 0; i < sizeof(arr) / sizeof(*arr); i++)                \
		t[n++] = (struct CMUnitTest)                                   \
		{                                                              \
			arr[i].name, fn, NULL, NULL, (void *)&arr[i]           \
		}

int
main(void)
{
	struct CMUnitTest t[64];
	size_t n = 0;
	TABLE(test_ifname, icases);
#define ONE(f) t[n++] = (struct CMUnitTest)cmocka_unit_test(f)
	ONE(test_priority_order);
	ONE(test_accept_not_final);
	ONE(test_drop_final);
	ONE(test_jump_goto);
	ONE(test_goto_nested);
	ONE(test_return);
	ONE(test_policy);
	ONE(test_ct_state);
	ONE(test_ipsec_match);
	ONE(test_masquerade);
	ONE(test_many_chains);
	ONE(test_jump_loop);
	ONE(test_trace_mixed);
	ONE(test_trace_mixed_stateful);
	return _cmocka_run_group_tests("netfilter", t, n, NULL, NULL);
}
