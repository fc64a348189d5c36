/* OPNsense's rule order as the engine builds it (engine/ruleset.c):
 * every user rule by its pf priority (floating 200000, groups 300000 +
 * sequence, interfaces 400000), OPNsense's Automation rules (Firewall >
 * Automation > Filter) before the <filter> rules of the same priority,
 * in the order the importer stored them (their sequence). Each case is
 * built so that pfSense's order, config order, or treating an
 * Automation rule as an interface-tab rule gives another verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build.h"
#include "engine/ruleset.h"

/* WAN 5.6.7.1/24, LAN 10.0.1.1/24, DMZ 10.0.3.1/24, enc0, an OpenVPN
 * server ovpns1; phase 2 10.0.1.0/24 === 10.0.2.0/24. */
static struct site *
opn_site(struct arena *ar)
{
	struct site *s = b_site(ar, SITE_OPNSENSE);
	s->automation_page = "Firewall > Automation > Filter";
	b_iface(ar, s, "wan", ROLE_WAN, "5.6.7.1/24")->descr = "WAN";
	b_iface(ar, s, "lan", ROLE_LAN, "10.0.1.1/24")->descr = "LAN";
	b_iface(ar, s, "opt1", ROLE_OPT, "10.0.3.1/24")->descr = "DMZ";
	b_iface(ar, s, "enc0", ROLE_ENC, NULL)->descr = "IPsec";
	b_iface(ar, s, "opt2", ROLE_OPENVPN, "10.8.0.1/24")->dev = "ovpns1";
	struct phase1 *p1 = b_p1(ar, s, "1", "wan", "9.10.11.2", 2);
	b_p2(ar, s, p1, "10.0.1.0/24", "10.0.2.0/24", P2_TUNNEL);
	return s;
}

enum { FL = 200000, GR = 300000, IF = 400000 };

/* One user rule of a case: a <filter> rule on a tab ('T'), a floating
 * <filter> rule ('F') or an Automation rule ('A') on a list of
 * interfaces ("lan,opt1", "" = none); with the priority the importer
 * gives it and what differs from quick, "in", enabled. */
enum {
	NONQUICK = 1,
	OUT = 2,
	NEG = 4, /* interfacenot */
	OFF = 8,
	NOT_LOADED = 16,
	GATEWAY = 32,
	QUICK = 64, /* floating <filter> rules are not quick unless set */
};
struct rspec {
	char kind;
	const char *ifaces;
	enum rule_action act;
	const char *descr;
	unsigned prio, flags;
};

static void
add_rule(struct arena *ar, struct site *s, const struct rspec *x)
{
	struct rule *r =
	    b_rule(ar, s, x->ifaces, x->kind == 'F', x->act, x->descr);
	r->prio = x->prio;
	if (x->kind == 'F')
		r->quick = x->flags & QUICK;
	if (x->kind == 'A') {
		r->mvc = true;
		r->quick = !(x->flags & NONQUICK);
		r->dir = x->flags & OUT ? DIR_OUT : DIR_IN;
		r->ifaces_negate = x->flags & NEG;
		r->sequence = (unsigned)s->nrules * 100;
		r->nifaces = 0;
		r->ifaces = arena_alloc(ar, 8 * sizeof(*r->ifaces));
		r->cifaces = 8;
		struct str rest = str_from(x->ifaces), tok;
		while (str_next(&rest, ',', &tok))
			if (tok.n)
				r->ifaces[r->nifaces++] =
				    arena_strndup(ar, tok.p, tok.n);
	}
	r->disabled = x->flags & (OFF | NOT_LOADED);
	if (x->flags & NOT_LOADED)
		r->not_loaded = "test";
	if (x->flags & GATEWAY)
		r->gateway = "WAN_GW";
}

static void
group(struct arena *ar, struct site *s, const char *name, unsigned seq,
      const char *m1, const char *m2)
{
	struct ifgroup *g = ARENA_PUSH(ar, s->groups, s->ngroups, s->cgroups);
	g->name = name;
	g->seq = seq;
	g->members = arena_alloc(ar, 2 * sizeof(*g->members));
	g->members[g->nmembers++] = m1;
	if (m2)
		g->members[g->nmembers++] = m2;
	g->cmembers = 2;
}

/* groups: 1 = INSIDE (lan, opt1); 2 = G10 (lan, sequence 10) and G5
 * (lan, sequence 5) */
struct ocase {
	const char *name;
	struct rspec rules[3];
	int groups;
	const char *ifkey, *src, *dst, *proto;
	bool out;
	bool pass;
	const char *descr; /* the deciding rule, NULL: default deny */
};

#define ENC "enc0", "10.0.2.10", "10.0.1.10", "icmp", false
#define LAN "lan", "10.0.1.10", "10.0.2.10", "icmp", false
#define OVPN "opt2", "10.8.0.5", "10.0.1.10", "icmp", false
#define TAB(i, a, d)                                                           \
	{                                                                      \
		'T', i, a, d, IF, 0                                            \
	}
#define AUT(i, a, d, p, f)                                                     \
	{                                                                      \
		'A', i, a, d, p, f                                             \
	}

static const struct ocase ocases[] = {
    {"Automation rule before the IPsec tab",
     {TAB("enc0", ACT_PASS, "ipsec tab"),
      AUT("enc0", ACT_BLOCK, "automation", IF, 0)},
     0,
     ENC,
     false,
     "automation"},
    {"non-quick Automation block, then the IPsec tab",
     {TAB("enc0", ACT_PASS, "ipsec tab"),
      AUT("enc0", ACT_BLOCK, "automation", IF, NONQUICK)},
     0,
     ENC,
     true,
     "ipsec tab"},
    {"non-quick Automation rules: last match",
     {AUT("enc0", ACT_PASS, "automation pass", IF, NONQUICK),
      AUT("enc0", ACT_BLOCK, "automation block", IF, NONQUICK)},
     0,
     ENC,
     false,
     "automation block"},
    {"legacy floating before an Automation interface rule",
     {AUT("lan", ACT_PASS, "automation", IF, 0),
      {'F', "lan", ACT_BLOCK, "floating", FL, QUICK}},
     0,
     LAN,
     false,
     "floating"},
    {"Automation floating before legacy floating",
     {{'F', "lan", ACT_PASS, "floating", FL, QUICK},
      AUT("lan,opt1", ACT_BLOCK, "automation floating", FL, 0)},
     0,
     LAN,
     false,
     "automation floating"},
    {"Automation group before the interface tab",
     {TAB("lan", ACT_PASS, "lan tab"),
      AUT("INSIDE", ACT_BLOCK, "automation group", GR, 0)},
     1,
     LAN,
     false,
     "automation group"},
    {"group sequence 5 (Automation) before 10 (legacy)",
     {{'T', "G10", ACT_BLOCK, "legacy G10", GR + 10, 0},
      AUT("G5", ACT_PASS, "automation G5", GR + 5, 0)},
     2,
     LAN,
     true,
     "automation G5"},
    {"group sequence 5 (legacy) before 10 (Automation)",
     {{'T', "G5", ACT_BLOCK, "legacy G5", GR + 5, 0},
      AUT("G10", ACT_PASS, "automation G10", GR + 10, 0)},
     2,
     LAN,
     false,
     "legacy G5"},
    {"Automation rules in sequence order",
     {AUT("lan", ACT_REJECT, "seq 100", IF, 0),
      AUT("lan", ACT_PASS, "seq 200", IF, 0)},
     0,
     LAN,
     false,
     "seq 100"},
    {"interface negation: on ! lan applies to enc0",
     {TAB("enc0", ACT_PASS, "ipsec tab"), TAB("lan", ACT_PASS, "lan tab"),
      AUT("lan", ACT_BLOCK, "not lan", FL, NEG)},
     0,
     ENC,
     false,
     "not lan"},
    {"interface negation: on ! lan skips lan",
     {TAB("enc0", ACT_PASS, "ipsec tab"), TAB("lan", ACT_PASS, "lan tab"),
      AUT("lan", ACT_BLOCK, "not lan", FL, NEG)},
     0,
     LAN,
     true,
     "lan tab"},
    {"no interface: every interface",
     {TAB("enc0", ACT_PASS, "ipsec tab"),
      AUT("", ACT_BLOCK, "everywhere", FL, 0)},
     0,
     ENC,
     false,
     "everywhere"},
    {"direction out: not inbound",
     {TAB("lan", ACT_PASS, "lan tab"),
      AUT("lan", ACT_BLOCK, "out only", IF, OUT)},
     0,
     LAN,
     true,
     "lan tab"},
    {"direction out: outbound",
     {TAB("lan", ACT_PASS, "lan tab"),
      AUT("lan", ACT_BLOCK, "out only", IF, OUT)},
     0,
     "lan",
     "10.0.2.10",
     "10.0.1.10",
     "icmp",
     true,
     false,
     "out only"},
    {"disabled Automation rule",
     {TAB("lan", ACT_PASS, "lan tab"), AUT("lan", ACT_BLOCK, "off", IF, OFF)},
     0,
     LAN,
     true,
     "lan tab"},
    {"Automation rule OPNsense leaves out",
     {TAB("lan", ACT_PASS, "lan tab"),
      AUT("lan", ACT_BLOCK, "bad port", IF, NOT_LOADED)},
     0,
     LAN,
     true,
     "lan tab"},
    {"Automation rule on another interface",
     {TAB("lan", ACT_PASS, "lan tab"), AUT("opt1", ACT_BLOCK, "dmz", IF, 0)},
     0,
     LAN,
     true,
     "lan tab"},
    {"no rule on enc0: default deny",
     {TAB("lan", ACT_PASS, "lan tab"), AUT("opt1", ACT_BLOCK, "dmz", IF, 0)},
     0,
     ENC,
     false,
     NULL},
    /* the legacy "openvpn" tab is an interface (400000) on OPNsense, in
     * config order with the assigned interface's tab */
    {"legacy openvpn tab in config order",
     {TAB("opt2", ACT_BLOCK, "assigned tab"),
      TAB("openvpn", ACT_PASS, "openvpn tab")},
     0,
     OVPN,
     false,
     "assigned tab"},
    {"Automation rule on the openvpn group (300000)",
     {TAB("opt2", ACT_BLOCK, "assigned tab"),
      AUT("openvpn", ACT_PASS, "automation openvpn", GR, 0)},
     0,
     OVPN,
     true,
     "automation openvpn"},
    /* pfSense would put its negate rule first and decide by it */
    {"policy-routed rule to a VPN network: no negate rule",
     {AUT("lan", ACT_PASS, "via gateway", IF, GATEWAY)},
     0,
     LAN,
     true,
     "via gateway"},
};

static void
test_order(void **state)
{
	const struct ocase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = opn_site(&ar);
	if (c->groups == 1)
		group(&ar, s, "INSIDE", 0, "lan", "opt1");
	if (c->groups == 2) {
		group(&ar, s, "G10", 10, "lan", NULL);
		group(&ar, s, "G5", 5, "lan", NULL);
	}
	for (size_t i = 0; i < 3 && c->rules[i].kind; i++)
		add_rule(&ar, s, &c->rules[i]);
	struct ruleset rs = c->out ? ruleset_outbound(&ar, s, c->ifkey)
				   : ruleset_inbound(&ar, s, c->ifkey);
	struct packet p = b_pkt(c->src, c->dst, c->proto);
	struct verdict v = ruleset_eval(&rs, &p);
	if (v.rule == NULL)
		fail_msg("%s: no rule decided", c->name);
	const char *got = v.rule->origin == ORIGIN_USER ? v.rule->descr : NULL;
	if (v.pass != c->pass || (c->descr == NULL) != (got == NULL) ||
	    (c->descr && strcmp(got, c->descr) != 0))
		fail_msg("%s: expected %s by '%s', got %s by '%s' (%s)",
			 c->name, c->pass ? "pass" : "deny",
			 c->descr ? c->descr : "-", v.pass ? "pass" : "deny",
			 got ? got : "-", rule_origin_name(v.rule->origin));
	arena_free(&ar);
}

/* A finding's words: which page holds the rule. */
static void
test_describe(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = opn_site(&ar);
	static const struct rspec tab = TAB("enc0", ACT_PASS, "tab");
	static const struct rspec aut =
	    AUT("enc0", ACT_BLOCK, "quarantine", IF, 0);
	static const struct rspec grp = AUT("INSIDE", ACT_PASS, "g", GR, 0);
	add_rule(&ar, s, &tab);
	add_rule(&ar, s, &aut);
	struct rule *l = &s->rules[0], *m = &s->rules[1];
	m->sequence = 100;
	m->tracker = "af2b4fc3-433b-434a-a665-77d36e67d20f";
	assert_string_equal(rule_page(&ar, s, l), "Firewall > Rules > IPsec");
	assert_string_equal(rule_page(&ar, s, m),
			    "Firewall > Automation > Filter");
	assert_string_equal(
	    rule_describe(&ar, s, m),
	    "rule 'quarantine' of Firewall > Automation > Filter "
	    "(sequence 100, uuid "
	    "af2b4fc3-433b-434a-a665-77d36e67d20f)");
	s->automation_page = "Firewall > Rules";
	assert_string_equal(rule_page(&ar, s, m), "Firewall > Rules");
	/* interface matching, negation and groups */
	group(&ar, s, "INSIDE", 0, "lan", "opt1");
	add_rule(&ar, s, &grp);
	struct rule *g = &s->rules[2];
	assert_true(rule_on_interface(s, g, "opt1"));
	assert_false(rule_on_interface(s, g, "wan"));
	g->ifaces_negate = true;
	assert_false(rule_on_interface(s, g, "opt1"));
	assert_true(rule_on_interface(s, g, "wan"));
	arena_free(&ar);
}

int
main(void)
{
	struct CMUnitTest t[64];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(ocases) / sizeof(*ocases); i++)
		t[n++] = (struct CMUnitTest){ocases[i].name, test_order, NULL,
					     NULL, (void *)&ocases[i]};
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_describe);
	return _cmocka_run_group_tests("ruleset_opnsense", t, n, NULL, NULL);
}
