/* pfSense's pf ruleset as the engine builds and evaluates it
 * (engine/ruleset.c): field matching, the evaluation order of
 * doc/behaviour/pfsense.md §2.1, the auto-added IPsec WAN rules (§2.2), the
 * negate rule and <vpn_networks> (§2.4). Every case is built so that the wrong
 * semantics (first-match for non-quick, config order instead of section
 * order, ...) gives a different verdict. */
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
#include "engine/trace.h"
#include "import/load.h"

/* ---- field matching (rule_matches) ---- */

enum { V4 = 1, V6 = 2 };

struct mcase {
	const char *name;
	unsigned fam;	    /* V4|V6 */
	const char *protos; /* NULL = any, "tcp/udp", "icmp", ... */
	int icmptype;	    /* -1 = any type */
	const char *src, *dst;
	unsigned sport_lo, sport_hi, dport_lo, dport_hi; /* 0 = any */
	const char *psrc, *pdst, *pproto;		 /* the packet */
	int picmp;					 /* -1 = echo request */
	bool match;
};

#define ANY "any"
static const struct mcase mcases[] = {
    /* families: inet / inet6 / inet46 */
    {"inet rule, IPv4 packet", V4, NULL, -1, ANY, ANY, 0, 0, 0, 0, "10.0.1.10",
     "10.0.2.10", "icmp", -1, true},
    {"inet rule, IPv6 packet", V4, NULL, -1, ANY, ANY, 0, 0, 0, 0,
     "2001:db8:1::10", "2001:db8:2::10", "icmp6", -1, false},
    {"inet6 rule, IPv6 packet", V6, NULL, -1, ANY, ANY, 0, 0, 0, 0,
     "2001:db8:1::10", "2001:db8:2::10", "icmp6", -1, true},
    {"inet6 rule, IPv4 packet", V6, NULL, -1, ANY, ANY, 0, 0, 0, 0, "10.0.1.10",
     "10.0.2.10", "icmp", -1, false},
    {"inet46 rule, IPv4 packet", V4 | V6, NULL, -1, ANY, ANY, 0, 0, 0, 0,
     "10.0.1.10", "10.0.2.10", "tcp/445", -1, true},
    {"inet46 rule, IPv6 packet", V4 | V6, NULL, -1, ANY, ANY, 0, 0, 0, 0,
     "2001:db8:1::10", "2001:db8:2::10", "tcp/445", -1, true},
    /* protocol sets */
    {"tcp/udp rule, tcp", V4, "tcp/udp", -1, ANY, ANY, 0, 0, 0, 0, "10.0.1.10",
     "10.0.2.10", "tcp/445", -1, true},
    {"tcp/udp rule, udp", V4, "tcp/udp", -1, ANY, ANY, 0, 0, 0, 0, "10.0.1.10",
     "10.0.2.10", "udp/53", -1, true},
    {"tcp/udp rule, icmp", V4, "tcp/udp", -1, ANY, ANY, 0, 0, 0, 0, "10.0.1.10",
     "10.0.2.10", "icmp", -1, false},
    {"tcp rule, udp", V4, "tcp", -1, ANY, ANY, 0, 0, 0, 0, "10.0.1.10",
     "10.0.2.10", "udp/445", -1, false},
    {"esp rule, esp", V4, "esp", -1, ANY, ANY, 0, 0, 0, 0, "9.10.11.2",
     "5.6.7.1", "esp", -1, true},
    {"any-protocol rule, gre", V4, NULL, -1, ANY, ANY, 0, 0, 0, 0, "10.0.1.10",
     "10.0.2.10", "gre", -1, true},
    /* ICMP types */
    {"icmp echoreq rule, echo request", V4, "icmp", 8, ANY, ANY, 0, 0, 0, 0,
     "10.0.1.10", "10.0.2.10", "icmp", 8, true},
    {"icmp echoreq rule, echo reply", V4, "icmp", 8, ANY, ANY, 0, 0, 0, 0,
     "10.0.1.10", "10.0.2.10", "icmp", 0, false},
    {"icmp any-type rule, unreachable", V4, "icmp", -1, ANY, ANY, 0, 0, 0, 0,
     "10.0.1.10", "10.0.2.10", "icmp", 3, true},
    {"icmp6 echoreq rule, icmp6 128", V6, "icmp6", 128, ANY, ANY, 0, 0, 0, 0,
     "2001:db8:1::10", "2001:db8:2::10", "icmp6", 128, true},
    /* ports and port ranges */
    {"port 445, tcp/445", V4, "tcp", -1, ANY, ANY, 0, 0, 445, 445, "10.0.1.10",
     "10.0.2.10", "tcp/445", -1, true},
    {"port 445, tcp/446", V4, "tcp", -1, ANY, ANY, 0, 0, 445, 445, "10.0.1.10",
     "10.0.2.10", "tcp/446", -1, false},
    {"range 1000-2000, low end", V4, "tcp/udp", -1, ANY, ANY, 0, 0, 1000, 2000,
     "10.0.1.10", "10.0.2.10", "udp/1000", -1, true},
    {"range 1000-2000, high end", V4, "tcp/udp", -1, ANY, ANY, 0, 0, 1000, 2000,
     "10.0.1.10", "10.0.2.10", "tcp/2000", -1, true},
    {"range 1000-2000, below", V4, "tcp/udp", -1, ANY, ANY, 0, 0, 1000, 2000,
     "10.0.1.10", "10.0.2.10", "tcp/999", -1, false},
    {"range 1000-2000, above", V4, "tcp/udp", -1, ANY, ANY, 0, 0, 1000, 2000,
     "10.0.1.10", "10.0.2.10", "udp/2001", -1, false},
    {"source port 53, sport 49152", V4, "udp", -1, ANY, ANY, 53, 53, 0, 0,
     "10.0.1.10", "10.0.2.10", "udp/53", -1, false},
    /* a rule with ports never matches ICMP (or ESP), whatever its
     * protocol field says */
    {"any-proto rule with port 80, icmp", V4, NULL, -1, ANY, ANY, 0, 0, 80, 80,
     "10.0.1.10", "10.0.2.10", "icmp", -1, false},
    {"any-proto rule with port 80, esp", V4, NULL, -1, ANY, ANY, 0, 0, 80, 80,
     "9.10.11.2", "5.6.7.1", "esp", -1, false},
    {"any-proto rule with port 80, tcp/80", V4, NULL, -1, ANY, ANY, 0, 0, 80,
     80, "10.0.1.10", "10.0.2.10", "tcp/80", -1, true},
    /* addresses, negated */
    {"src 10.0.1.0/24, inside", V4, NULL, -1, "10.0.1.0/24", ANY, 0, 0, 0, 0,
     "10.0.1.10", "10.0.2.10", "icmp", -1, true},
    {"src 10.0.1.0/24, outside", V4, NULL, -1, "10.0.1.0/24", ANY, 0, 0, 0, 0,
     "10.0.3.10", "10.0.2.10", "icmp", -1, false},
    {"src !10.0.1.0/24, inside", V4, NULL, -1, "!10.0.1.0/24", ANY, 0, 0, 0, 0,
     "10.0.1.10", "10.0.2.10", "icmp", -1, false},
    {"src !10.0.1.0/24, outside", V4, NULL, -1, "!10.0.1.0/24", ANY, 0, 0, 0, 0,
     "10.0.3.10", "10.0.2.10", "icmp", -1, true},
    {"dst !10.0.2.0/24, inside", V4, NULL, -1, ANY, "!10.0.2.0/24", 0, 0, 0, 0,
     "10.0.1.10", "10.0.2.10", "icmp", -1, false},
    {"dst !10.0.2.0/24, outside", V4, NULL, -1, ANY, "!10.0.2.0/24", 0, 0, 0, 0,
     "10.0.1.10", "8.8.8.8", "icmp", -1, true},
    {"dst set of two, second", V4, NULL, -1, ANY, "10.0.2.0/24,10.0.9.0/24", 0,
     0, 0, 0, "10.0.1.10", "10.0.9.1", "icmp", -1, true},
};

static void
test_match(void **state)
{
	const struct mcase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_PFSENSE);
	struct rule *r = b_rule(&ar, s, "lan", false, ACT_PASS, c->name);
	r->fam[FAM_V4] = c->fam & V4;
	r->fam[FAM_V6] = (c->fam & V6) != 0;
	r->protos = protoset_any();
	if (c->protos && strcmp(c->protos, "tcp/udp") == 0) {
		r->protos = (struct protoset){0};
		protoset_add(&r->protos, PROTO_TCP);
		protoset_add(&r->protos, PROTO_UDP);
	} else if (c->protos) {
		r->protos = (struct protoset){0};
		protoset_add(&r->protos,
			     (unsigned)proto_from_name(str_from(c->protos)));
	}
	if (c->icmptype >= 0) {
		r->icmp_any = false;
		protoset_add(&r->icmptypes, (unsigned)c->icmptype);
	}
	b_end(&ar, &r->src, c->src);
	b_end(&ar, &r->dst, c->dst);
	if (c->sport_lo)
		portset_add(&ar, &r->src.ports, c->sport_lo, c->sport_hi);
	if (c->dport_lo)
		portset_add(&ar, &r->dst.ports, c->dport_lo, c->dport_hi);
	struct packet p = b_pkt(c->psrc, c->pdst, c->pproto);
	if (c->picmp >= 0)
		p.icmp_type = (uint8_t)c->picmp;
	if (rule_matches(r, &p) != c->match)
		fail_msg("%s: expected %s", c->name,
			 c->match ? "match" : "no match");
	arena_free(&ar);
}

/* Aliases are resolved to address and port sets by the importer, nested
 * ones included; the rule then matches every member and nothing else. */
static const char alias_xml[] =
    "<?xml version=\"1.0\"?>\n<pfsense><version>23.3</version>\n"
    "<system><hostname>a</hostname></system>\n"
    "<interfaces><lan><enable/><if>em1</if><descr>LAN</descr>"
    "<ipaddr>10.0.1.1</ipaddr><subnet>24</subnet></lan></interfaces>\n"
    "<aliases>\n"
    "<alias><name>SERVERS</name><type>host</type>"
    "<address>10.0.2.10 10.0.2.20</address></alias>\n"
    "<alias><name>NETS</name><type>network</type>"
    "<address>10.0.3.0/24 SERVERS</address></alias>\n"
    "<alias><name>WEB</name><type>port</type>"
    "<address>443 8000:8080</address></alias>\n"
    "</aliases>\n"
    "<filter><rule><type>pass</type><ipprotocol>inet</ipprotocol>"
    "<interface>lan</interface><protocol>tcp</protocol>"
    "<source><network>lan</network></source>"
    "<destination><address>NETS</address><port>WEB</port></destination>"
    "<descr>to servers</descr></rule></filter>\n"
    "</pfsense>\n";

static void
test_alias_sets(void **state)
{
	(void)state;
	char path[] = "/tmp/ipsecdiag-enginetest-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, alias_xml, sizeof(alias_xml) - 1),
			 (ssize_t)(sizeof(alias_xml) - 1));
	close(fd);
	struct arena ar;
	arena_init(&ar);
	struct site s = {0};
	bool ok = site_load(&ar, arena_printf(&ar, "A=%s", path), &s);
	unlink(path);
	assert_true(ok);
	assert_int_equal(s.nrules, 1);
	const struct rule *r = &s.rules[0];
	static const struct {
		const char *dst, *proto;
		bool match;
	} pk[] = {
	    {"10.0.2.10", "tcp/443", true},   /* SERVERS via NETS */
	    {"10.0.2.20", "tcp/8000", true},  /* range low end */
	    {"10.0.3.77", "tcp/8080", true},  /* network member */
	    {"10.0.2.11", "tcp/443", false},  /* not a member */
	    {"10.0.3.77", "tcp/8081", false}, /* port outside WEB */
	    {"10.0.3.77", "tcp/80", false},
	    {"10.0.3.77", "udp/443", false}, /* protocol */
	};
	for (size_t i = 0; i < sizeof(pk) / sizeof(*pk); i++) {
		struct packet p = b_pkt("10.0.1.10", pk[i].dst, pk[i].proto);
		if (rule_matches(r, &p) != pk[i].match)
			fail_msg("%s %s: expected %s", pk[i].dst, pk[i].proto,
				 pk[i].match ? "match" : "no match");
	}
	arena_free(&ar);
}

/* ---- evaluation order (doc/behaviour/pfsense.md §2.1, §2.2) ---- */

/* WAN 5.6.7.1/24, LAN 10.0.1.1/24, enc0; phase 1 to 9.10.11.2 with a
 * phase 2 10.0.1.0/24 === 10.0.2.0/24 (ESP). */
static struct site *
base_site(struct arena *ar)
{
	struct site *s = b_site(ar, SITE_PFSENSE);
	s->product_version = "2.7.2";
	b_iface(ar, s, "wan", ROLE_WAN, "5.6.7.1/24")->descr = "WAN";
	b_iface(ar, s, "lan", ROLE_LAN, "10.0.1.1/24")->descr = "LAN";
	b_iface(ar, s, "enc0", ROLE_ENC, NULL);
	struct phase1 *p1 = b_p1(ar, s, "1", "wan", "9.10.11.2", 2);
	b_p2(ar, s, p1, "10.0.1.0/24", "10.0.2.0/24", P2_TUNNEL);
	return s;
}

static struct rule *
floating(struct arena *ar, struct site *s, const char *ifkey, bool quick,
	 enum rule_action act, const char *descr)
{
	struct rule *r = b_rule(ar, s, ifkey, true, act, descr);
	r->quick = quick;
	return r;
}

static void
add_group(struct arena *ar, struct site *s, const char *name,
	  const char *member)
{
	struct ifgroup *g = ARENA_PUSH(ar, s->groups, s->ngroups, s->cgroups);
	g->name = name;
	g->members = arena_alloc(ar, sizeof(*g->members));
	g->members[0] = member;
	g->nmembers = g->cmembers = 1;
}

static void
o_float_quick(struct arena *ar, struct site *s)
{
	floating(ar, s, "lan", true, ACT_BLOCK, "first");
	floating(ar, s, "lan", true, ACT_PASS, "second");
}
static void
o_float_nonquick_bp(struct arena *ar, struct site *s)
{
	floating(ar, s, "lan", false, ACT_BLOCK, "first");
	floating(ar, s, "lan", false, ACT_PASS, "second");
}
static void
o_float_nonquick_pb(struct arena *ar, struct site *s)
{
	floating(ar, s, "lan", false, ACT_PASS, "first");
	floating(ar, s, "lan", false, ACT_BLOCK, "second");
}
static void
o_float_nonquick_then_tab(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_PASS, "tab");
	floating(ar, s, "lan", false, ACT_BLOCK, "floating");
}
static void
o_float_quick_before_tab(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_PASS, "tab"); /* first in config */
	floating(ar, s, "lan", true, ACT_BLOCK, "floating");
}
static void
o_float_any_iface(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_PASS, "tab");
	floating(ar, s, "any", true, ACT_BLOCK, "floating");
}
static void
o_float_out_only(struct arena *ar, struct site *s)
{
	floating(ar, s, "lan", true, ACT_BLOCK, "floating out")->dir = DIR_OUT;
	b_rule(ar, s, "lan", false, ACT_PASS, "tab");
}
static void
o_group_before_tab(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_PASS, "tab");
	add_group(ar, s, "G", "lan");
	b_rule(ar, s, "G", false, ACT_BLOCK, "group");
}
static void
o_float_before_group(struct arena *ar, struct site *s)
{
	add_group(ar, s, "G", "lan");
	b_rule(ar, s, "G", false, ACT_BLOCK, "group");
	floating(ar, s, "lan", true, ACT_PASS, "floating");
}
static void
o_group_not_member(struct arena *ar, struct site *s)
{
	add_group(ar, s, "G", "wan");
	b_rule(ar, s, "G", false, ACT_BLOCK, "group");
	b_rule(ar, s, "lan", false, ACT_PASS, "tab");
}
static void
o_ipsec_tab_after_floating(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "enc0", false, ACT_PASS, "ipsec tab");
	floating(ar, s, "enc0", true, ACT_BLOCK, "floating");
}
static void
o_ipsec_tab_after_group(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "enc0", false, ACT_PASS, "ipsec tab");
	add_group(ar, s, "G", "enc0");
	b_rule(ar, s, "G", false, ACT_BLOCK, "group");
}
static void
o_ipsec_tab_only(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "enc0", false, ACT_PASS, "ipsec tab");
}
static void
o_tab_block_first(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_BLOCK, "first");
	b_rule(ar, s, "lan", false, ACT_PASS, "second");
}
static void
o_tab_pass_first(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_PASS, "first");
	b_rule(ar, s, "lan", false, ACT_BLOCK, "second");
}
static void
o_tab_disabled(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_PASS, "off")->disabled = true;
}
static void
o_reject(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_REJECT, "reject");
	b_rule(ar, s, "lan", false, ACT_PASS, "pass");
}
static void
o_block(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "lan", false, ACT_BLOCK, "block");
	b_rule(ar, s, "lan", false, ACT_PASS, "pass");
}
static void
o_match_only(struct arena *ar, struct site *s)
{
	floating(ar, s, "lan", true, ACT_MATCH, "match");
}
static void
o_match_then_pass(struct arena *ar, struct site *s)
{
	floating(ar, s, "lan", true, ACT_MATCH, "match");
	b_rule(ar, s, "lan", false, ACT_PASS, "tab");
}
static void
o_nothing(struct arena *ar, struct site *s)
{
	(void)ar;
	(void)s;
}
static void
o_wan_pass_blockpriv(struct arena *ar, struct site *s)
{
	site_iface(s, "wan")->blockpriv = true;
	b_rule(ar, s, "wan", false, ACT_PASS, "wan pass");
}
static void
o_wan_floating_blockpriv(struct arena *ar, struct site *s)
{
	site_iface(s, "wan")->blockpriv = true;
	floating(ar, s, "wan", true, ACT_PASS, "floating pass");
}
static void
o_wan_pass_bogons(struct arena *ar, struct site *s)
{
	site_iface(s, "wan")->blockbogons = true;
	b_rule(ar, s, "wan", false, ACT_PASS, "wan pass");
}
static void
o_wan_user_block(struct arena *ar, struct site *s)
{
	b_rule(ar, s, "wan", false, ACT_BLOCK, "wan block");
}
static void
o_disablevpnrules(struct arena *ar, struct site *s)
{
	(void)ar;
	s->flags.disablevpnrules = true;
}
static void
o_gw_duplicates(struct arena *ar, struct site *s)
{
	(void)ar;
	s->p1[0].gw_duplicates = true;
}
static void
o_swanctl(struct arena *ar, struct site *s)
{
	(void)ar;
	s->kind = SITE_OPNSENSE;
	s->p1[0].swanctl = true; /* VPN > IPsec > Connections */
}
static void
o_p1_disabled(struct arena *ar, struct site *s)
{
	(void)ar;
	s->p1[0].disabled = true;
}
static void
o_peer_any(struct arena *ar, struct site *s)
{
	(void)ar;
	s->p1[0].peer_known = false; /* remote 0.0.0.0 or a mobile peer */
}
static void
o_ah_phase2(struct arena *ar, struct site *s)
{
	(void)ar;
	s->p2[0].proto = PROTO_AH;
}

/* expect: the deciding rule's description, or an origin name */
struct ocase {
	const char *name;
	void (*setup)(struct arena *, struct site *);
	const char *ifkey, *src, *dst, *proto;
	bool pass;
	enum rule_origin origin;
	const char *descr; /* user rules: the deciding rule */
	enum rule_action action;
};

#define LANPKT "lan", "10.0.1.10", "10.0.2.10", "icmp"
#define ENCPKT "enc0", "10.0.2.10", "10.0.1.10", "icmp"
#define USER(d, a) ORIGIN_USER, d, a
#define SYS(o, a) o, NULL, a

static const struct ocase ocases[] = {
    /* §2.1: floating quick first match, non-quick last match */
    {"floating quick: first match wins", o_float_quick, LANPKT, false,
     USER("first", ACT_BLOCK)},
    {"floating non-quick: last match wins (block, pass)", o_float_nonquick_bp,
     LANPKT, true, USER("second", ACT_PASS)},
    {"floating non-quick: last match wins (pass, block)", o_float_nonquick_pb,
     LANPKT, false, USER("second", ACT_BLOCK)},
    {"floating non-quick is overridden by a tab rule",
     o_float_nonquick_then_tab, LANPKT, true, USER("tab", ACT_PASS)},
    {"floating quick before the interface tab", o_float_quick_before_tab,
     LANPKT, false, USER("floating", ACT_BLOCK)},
    {"floating on 'any' applies to LAN", o_float_any_iface, LANPKT, false,
     USER("floating", ACT_BLOCK)},
    {"floating 'out' rule not evaluated inbound", o_float_out_only, LANPKT,
     true, USER("tab", ACT_PASS)},
    /* groups between floating and tabs */
    {"interface group before the interface tab", o_group_before_tab, LANPKT,
     false, USER("group", ACT_BLOCK)},
    {"floating before interface groups", o_float_before_group, LANPKT, true,
     USER("floating", ACT_PASS)},
    {"a group the interface is not in", o_group_not_member, LANPKT, true,
     USER("tab", ACT_PASS)},
    /* §2.3: the IPsec tab is a system group after floating/user groups */
    {"floating before the IPsec tab", o_ipsec_tab_after_floating, ENCPKT, false,
     USER("floating", ACT_BLOCK)},
    {"user group before the IPsec tab", o_ipsec_tab_after_group, ENCPKT, false,
     USER("group", ACT_BLOCK)},
    {"IPsec tab passes decrypted traffic", o_ipsec_tab_only, ENCPKT, true,
     USER("ipsec tab", ACT_PASS)},
    {"IPsec tab rules do not apply on LAN", o_ipsec_tab_only, LANPKT, false,
     SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    /* interface tabs are "in quick": first match */
    {"tab first match (block above pass)", o_tab_block_first, LANPKT, false,
     USER("first", ACT_BLOCK)},
    {"tab first match (pass above block)", o_tab_pass_first, LANPKT, true,
     USER("first", ACT_PASS)},
    {"disabled rule is not evaluated", o_tab_disabled, LANPKT, false,
     SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    /* reject answers, block drops: both deny, the action tells which */
    {"reject rule", o_reject, LANPKT, false, USER("reject", ACT_REJECT)},
    {"block rule", o_block, LANPKT, false, USER("block", ACT_BLOCK)},
    /* a match rule decides nothing, even quick */
    {"match rule alone: default deny", o_match_only, LANPKT, false,
     SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"match rule then pass", o_match_then_pass, LANPKT, true,
     USER("tab", ACT_PASS)},
    {"no rules: default deny", o_nothing, LANPKT, false,
     SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    /* blockpriv / blockbogons are quick and come before user rules */
    {"blockpriv before a WAN pass", o_wan_pass_blockpriv, "wan", "10.9.9.9",
     "5.6.7.1", "tcp/22", false, SYS(ORIGIN_BLOCKPRIV, ACT_BLOCK)},
    {"blockpriv before a floating quick pass", o_wan_floating_blockpriv, "wan",
     "192.168.7.1", "5.6.7.1", "udp/500", false,
     SYS(ORIGIN_BLOCKPRIV, ACT_BLOCK)},
    {"blockpriv: public peer passes", o_wan_pass_blockpriv, "wan", "8.8.8.8",
     "5.6.7.1", "tcp/22", true, USER("wan pass", ACT_PASS)},
    {"blockbogons before a WAN pass", o_wan_pass_bogons, "wan", "100.64.1.1",
     "5.6.7.1", "esp", false, SYS(ORIGIN_BLOCKBOGONS, ACT_BLOCK)},
    {"no blockbogons: CGNAT peer passes", o_wan_pass_blockpriv, "wan",
     "100.64.1.1", "5.6.7.1", "esp", true, USER("wan pass", ACT_PASS)},
    /* §2.2 auto-added IPsec rules: non-quick, after the tabs, so they
     * override the (earlier, non-quick) default deny but lose to any
     * quick user block */
    {"auto rule passes ESP from the peer", o_nothing, "wan", "9.10.11.2",
     "5.6.7.1", "esp", true, SYS(ORIGIN_AUTO_VPN, ACT_PASS)},
    {"auto rule passes IKE from the peer", o_nothing, "wan", "9.10.11.2",
     "5.6.7.1", "udp/500", true, SYS(ORIGIN_AUTO_VPN, ACT_PASS)},
    {"auto rule passes NAT-T from the peer", o_nothing, "wan", "9.10.11.2",
     "5.6.7.1", "udp/4500", true, SYS(ORIGIN_AUTO_VPN, ACT_PASS)},
    {"auto rules: only from the peer", o_nothing, "wan", "9.9.9.9", "5.6.7.1",
     "esp", false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"auto rules: peer 0.0.0.0 means from any", o_peer_any, "wan", "9.9.9.9",
     "5.6.7.1", "esp", true, SYS(ORIGIN_AUTO_VPN, ACT_PASS)},
    {"auto rules: only to the firewall", o_nothing, "wan", "9.10.11.2",
     "5.6.7.9", "esp", false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"auto rules: no AH rule for an ESP phase 2", o_nothing, "wan", "9.10.11.2",
     "5.6.7.1", "ah", false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"auto rules: AH phase 2 gets AH, not ESP", o_ah_phase2, "wan", "9.10.11.2",
     "5.6.7.1", "esp", false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"auto rules: not on LAN", o_nothing, "lan", "9.10.11.2", "5.6.7.1", "esp",
     false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"user quick block on WAN beats the auto rules", o_wan_user_block, "wan",
     "9.10.11.2", "5.6.7.1", "esp", false, USER("wan block", ACT_BLOCK)},
    {"disablevpnrules removes the auto rules", o_disablevpnrules, "wan",
     "9.10.11.2", "5.6.7.1", "esp", false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"gw_duplicates removes the auto rules", o_gw_duplicates, "wan",
     "9.10.11.2", "5.6.7.1", "udp/500", false,
     SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"disabled phase 1 gets no auto rules", o_p1_disabled, "wan", "9.10.11.2",
     "5.6.7.1", "esp", false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    /* §7: OPNsense adds them for legacy tunnels only */
    {"OPNsense Connections tunnel: no auto ESP rule", o_swanctl, "wan",
     "9.10.11.2", "5.6.7.1", "esp", false, SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
    {"OPNsense Connections tunnel: no auto IKE rule", o_swanctl, "wan",
     "9.10.11.2", "5.6.7.1", "udp/500", false,
     SYS(ORIGIN_DEFAULT_DENY, ACT_BLOCK)},
};

static void
test_order(void **state)
{
	const struct ocase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = base_site(&ar);
	c->setup(&ar, s);
	struct ruleset rs = ruleset_inbound(&ar, s, c->ifkey);
	struct packet p = b_pkt(c->src, c->dst, c->proto);
	struct verdict v = ruleset_eval(&rs, &p);
	if (v.rule == NULL)
		fail_msg("%s: no rule decided", c->name);
	if (v.pass != c->pass || v.rule->origin != c->origin ||
	    v.rule->action != c->action ||
	    (c->descr &&
	     (v.rule->descr == NULL || strcmp(v.rule->descr, c->descr) != 0)))
		fail_msg("%s: expected %s by %s '%s', got %s by %s '%s'",
			 c->name, c->pass ? "pass" : "deny",
			 rule_origin_name(c->origin), c->descr ? c->descr : "",
			 v.pass ? "pass" : "deny",
			 rule_origin_name(v.rule->origin),
			 v.rule->descr ? v.rule->descr : "");
	if (c->origin == ORIGIN_DEFAULT_DENY)
		assert_string_equal(v.rule->tracker, "1000000103");
	/* §2.1/§2.2: default deny and the IPsec service rules are non-quick */
	if (c->origin == ORIGIN_DEFAULT_DENY || c->origin == ORIGIN_AUTO_VPN)
		assert_false(v.rule->quick);
	/* the position names the deciding rule in the evaluated list */
	assert_true(v.position >= 1 && v.position <= rs.n);
	assert_ptr_equal(rs.r[v.position - 1], v.rule);
	arena_free(&ar);
}

/* Outbound: "let out anything" passes unless a floating out rule
 * blocks; interface-tab rules are inbound only (§2.1). */
static void
test_outbound(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = base_site(&ar);
	struct packet p = b_pkt("10.0.2.10", "10.0.1.10", "tcp/445");
	b_rule(&ar, s, "lan", false, ACT_BLOCK, "tab block");
	struct ruleset rs = ruleset_outbound(&ar, s, "lan");
	struct verdict v = ruleset_eval(&rs, &p);
	assert_true(v.pass);
	assert_int_equal(v.rule->origin, ORIGIN_LET_OUT);
	floating(&ar, s, "lan", true, ACT_BLOCK, "float in")->dir = DIR_IN;
	rs = ruleset_outbound(&ar, s, "lan");
	v = ruleset_eval(&rs, &p);
	assert_true(v.pass);
	floating(&ar, s, "lan", true, ACT_BLOCK, "float out")->dir = DIR_OUT;
	rs = ruleset_outbound(&ar, s, "lan");
	v = ruleset_eval(&rs, &p);
	assert_false(v.pass);
	assert_string_equal(v.rule->descr, "float out");
	arena_free(&ar);
}

/* ---- negate rule and <vpn_networks> (§2.4) ---- */

struct ncase {
	const char *name;
	const char *rule_dst; /* the policy-routed rule's destination */
	bool disablenegate;
	bool no_p2;	     /* vpn_networks empty */
	const char *version; /* product version */
	const char *pdst;    /* packet destination */
	bool negate;	     /* expect the negate rule to decide */
};

static const struct ncase ncases[] = {
    {"dst any, to a VPN network", "any", false, false, "2.7.2", "10.0.2.10",
     true},
    {"dst any, to the Internet", "any", false, false, "2.7.2", "8.8.8.8",
     false},
    {"dst 0.0.0.0/0 is not 'any'", "0.0.0.0/0", false, false, "2.7.2",
     "10.0.2.10", false},
    {"dst a network", "10.0.0.0/8", false, false, "2.7.2", "10.0.2.10", false},
    {"dst negated", "!10.9.0.0/16", false, false, "2.7.2", "10.0.2.10", false},
    {"disablenegate", "any", true, false, "2.7.2", "10.0.2.10", false},
    {"no VPN networks", "any", false, true, "2.7.2", "10.0.2.10", false},
    /* OpenVPN networks count before 2.7 only (commit 10ad25403b) */
    {"OpenVPN network on 2.6.0", "any", false, true, "2.6.0", "10.8.0.5", true},
    {"OpenVPN network on 2.7.2", "any", false, true, "2.7.2", "10.8.0.5",
     false},
};

static void
add_ovpn(struct arena *ar, struct site *s, bool disabled)
{
	struct openvpn *o = ARENA_PUSH(ar, s->ovpn, s->novpn, s->covpn);
	o->server = true;
	o->disabled = disabled;
	o->remote = arena_alloc(ar, sizeof(*o->remote));
	o->remote[0] = b_pfx("10.8.0.0/24");
	o->nremote = o->cremote = 1;
	o->tunnel = arena_alloc(ar, sizeof(*o->tunnel));
	o->tunnel[0] = b_pfx("10.9.8.0/24");
	o->ntunnel = o->ctunnel = 1;
}

static void
test_negate(void **state)
{
	const struct ncase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = base_site(&ar);
	s->product_version = c->version;
	s->flags.disablenegate = c->disablenegate;
	if (c->no_p2)
		s->np2 = 0;
	add_ovpn(&ar, s, false);
	struct rule *r = b_rule(&ar, s, "lan", false, ACT_PASS, "via WAN2");
	r->gateway = "WAN2GW";
	b_end(&ar, &r->src, "10.0.1.0/24");
	b_end(&ar, &r->dst, c->rule_dst);
	struct ruleset rs = ruleset_inbound(&ar, s, "lan");
	struct packet p = b_pkt("10.0.1.10", c->pdst, "tcp/445");
	struct verdict v = ruleset_eval(&rs, &p);
	assert_non_null(v.rule);
	assert_true(v.pass);
	if (c->negate) {
		if (v.rule->origin != ORIGIN_NEGATE)
			fail_msg("%s: expected the negate rule, got %s",
				 c->name, rule_origin_name(v.rule->origin));
		assert_null(v.rule->gateway); /* no route-to: the SPD decides */
		assert_true(v.rule->quick);
		/* emitted right before the policy-routed rule */
		assert_ptr_equal(rs.r[v.position], r);
	} else {
		if (v.rule != r)
			fail_msg("%s: expected the policy-routed rule, got %s",
				 c->name, rule_origin_name(v.rule->origin));
		assert_string_equal(v.rule->gateway, "WAN2GW");
	}
	/* the negate copy keeps the rule's source: others are not exempt */
	struct packet o = b_pkt("10.0.5.10", c->pdst, "tcp/445");
	v = ruleset_eval(&rs, &o);
	assert_false(v.pass);
	arena_free(&ar);
}

/* What goes into <vpn_networks> (filter_get_vpns_list()). */
struct vcase {
	const char *name;
	const char *remote;
	enum p2_mode mode;
	bool p2_disabled, p1_disabled, mobile;
	const char *probe;
	bool in;
};

static const struct vcase vcases[] = {
    {"tunnel remote", "10.0.2.0/24", P2_TUNNEL, false, false, false, "10.0.2.1",
     true},
    {"tunnel6 remote", "2001:db8:2::/64", P2_TUNNEL6, false, false, false,
     "2001:db8:2::1", true},
    {"VTI remote (the /32 peer)", "10.255.0.2/32", P2_VTI, false, false, false,
     "10.255.0.2", true},
    {"0.0.0.0/0 remote skipped", "0.0.0.0/0", P2_TUNNEL, false, false, false,
     "10.0.2.1", false},
    {"::/0 remote skipped", "::/0", P2_TUNNEL6, false, false, false,
     "2001:db8:2::1", false},
    {"transport skipped", "10.0.2.0/24", P2_TRANSPORT, false, false, false,
     "10.0.2.1", false},
    {"disabled phase 2 skipped", "10.0.2.0/24", P2_TUNNEL, true, false, false,
     "10.0.2.1", false},
    {"the only phase 1 disabled: no <vpn_networks>", "10.0.2.0/24", P2_TUNNEL,
     false, true, false, "10.0.2.1", false},
    {"mobile phase 2 skipped", "10.0.2.0/24", P2_TUNNEL, false, false, true,
     "10.0.2.1", false},
};

static void
test_vpn_networks(void **state)
{
	const struct vcase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_PFSENSE);
	s->product_version = "2.7.2";
	struct phase1 *p1 = b_p1(&ar, s, "1", "wan", "9.10.11.2", 2);
	p1->disabled = c->p1_disabled;
	struct phase2 *p2 = b_p2(&ar, s, p1, "10.0.1.0/24", c->remote, c->mode);
	p2->disabled = c->p2_disabled;
	p2->mobile = c->mobile;
	struct addrset v = vpn_networks(&ar, s);
	struct ipaddr probe = b_addr(c->probe), zero = {0};
	if (addrset_contains(&v, &zero) ||
	    addrset_contains(&v, &probe) != c->in)
		fail_msg("%s: %s expected %s <vpn_networks> (got %s)", c->name,
			 c->probe, c->in ? "in" : "not in",
			 addrset_format(&ar, &v, 8));
	arena_free(&ar);
}

static void
test_vpn_networks_openvpn(void **state)
{
	(void)state;
	static const struct {
		const char *version;
		bool disabled, in;
	} vc[] = {
	    {"2.5.2", false, true},  {"2.6.0", false, true},
	    {"2.6.0", true, false},  {"2.7.0", false, false},
	    {"2.7.2", false, false}, {"2.8.0", false, false},
	};
	for (size_t i = 0; i < sizeof(vc) / sizeof(*vc); i++) {
		struct arena ar;
		arena_init(&ar);
		struct site *s = b_site(&ar, SITE_PFSENSE);
		s->product_version = vc[i].version;
		add_ovpn(&ar, s, vc[i].disabled);
		struct addrset v = vpn_networks(&ar, s);
		struct ipaddr ra = b_addr("10.8.0.9"), ta = b_addr("10.9.8.1");
		bool remote = addrset_contains(&v, &ra);
		bool tunnel = addrset_contains(&v, &ta);
		if (remote != vc[i].in || tunnel != vc[i].in)
			fail_msg("OpenVPN on %s%s: expected %s vpn_networks",
				 vc[i].version,
				 vc[i].disabled ? " (disabled)" : "",
				 vc[i].in ? "in" : "not in");
		arena_free(&ar);
	}
}

/* ---- end to end: two pfSense sites (tests/fixtures/pairs/healthy) ---- */

static const enum step_kind pair_kinds[] = {
    STEP_ORIGINATED, STEP_RECEIVED,    STEP_FILTER,   STEP_SPD_MATCH,
    STEP_ENCRYPTED,  STEP_TRANSMITTED, STEP_RECEIVED, STEP_WAN_FILTER,
    STEP_DECRYPTED,  STEP_FILTER,      STEP_ROUTED,   STEP_TRANSMITTED,
    STEP_DELIVERED,
};
enum { NPAIR = sizeof(pair_kinds) / sizeof(*pair_kinds) };

static void
expect_kinds(const struct path *p, const char *which)
{
	for (size_t i = 0; i < p->n && i < NPAIR; i++)
		if (p->steps[i].kind != pair_kinds[i])
			fail_msg("%s step %zu: expected %s, got %s (%s)", which,
				 i + 1, step_kind_name(pair_kinds[i]),
				 step_kind_name(p->steps[i].kind),
				 p->steps[i].what ? p->steps[i].what : "");
	if (p->n != NPAIR)
		fail_msg("%s: %zu steps, expected %d", which, p->n, NPAIR);
}

static void
load_pair(struct arena *ar, struct site *a, struct site *b)
{
	assert_true(site_load(ar, "tests/fixtures/pairs/healthy/siteA", a));
	assert_true(site_load(ar, "tests/fixtures/pairs/healthy/siteB", b));
}

static void
test_trace_pair(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site a = {0}, b = {0};
	load_pair(&ar, &a, &b);
	struct site *sites[] = {&a, &b};
	struct engine *e = engine_new(&ar, sites, 2);
	struct flow_trace ft;
	struct packet p = b_pkt("10.0.1.10", "10.0.2.10", "icmp");
	engine_trace(e, &p, "icmp", &ft);
	expect_kinds(&ft.request, "request");
	assert_true(ft.request.delivered);
	const struct path *q = &ft.request;
	/* the deciding rules: siteA's LAN rule, siteB's auto ESP rule and
	 * its IPsec-tab rule */
	assert_string_equal(q->steps[2].site, "siteA");
	assert_string_equal(q->steps[2].rule->descr,
			    "Default allow LAN to any rule");
	assert_string_equal(q->steps[7].site, "siteB");
	assert_int_equal(q->steps[7].rule->origin, ORIGIN_AUTO_VPN);
	assert_string_equal(q->steps[9].iface, "enc0");
	assert_string_equal(q->steps[9].rule->descr, "allow remote site");
	assert_non_null(q->steps[3].p2);
	assert_ptr_equal(q->steps[8].p2->p1, &b.p1[0]);
	/* the reply passes siteB's LAN, siteA's WAN and IPsec by state */
	assert_true(ft.reply_traced);
	expect_kinds(&ft.reply, "reply");
	assert_true(ft.reply.delivered);
	static const size_t by_state[] = {2, 7, 9};
	for (size_t i = 0; i < 3; i++) {
		const struct step *st = &ft.reply.steps[by_state[i]];
		assert_null(st->rule);
		assert_non_null(strstr(st->what, "by state"));
	}
	arena_free(&ar);
}

/* State, not rules, carries the reply: without siteB's LAN rule, siteA's
 * IPsec-tab rule and siteA's auto WAN rules the reply is still
 * delivered, while a new connection the other way is blocked. */
static void
test_trace_pair_stateful(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site a = {0}, b = {0};
	load_pair(&ar, &a, &b);
	for (size_t i = 0; i < a.nrules; i++)
		if (strcmp(a.rules[i].ifaces[0], "enc0") == 0)
			a.rules[i].disabled = true;
	for (size_t i = 0; i < b.nrules; i++)
		if (strcmp(b.rules[i].ifaces[0], "lan") == 0)
			b.rules[i].disabled = true;
	a.flags.disablevpnrules = true;
	struct site *sites[] = {&a, &b};
	struct engine *e = engine_new(&ar, sites, 2);
	struct flow_trace ft;
	struct packet p = b_pkt("10.0.1.10", "10.0.2.10", "tcp/445");
	engine_trace(e, &p, "tcp/445", &ft);
	assert_true(ft.request.delivered);
	expect_kinds(&ft.reply, "reply");
	assert_true(ft.reply.delivered);
	p = b_pkt("10.0.2.10", "10.0.1.10", "tcp/445");
	engine_trace(e, &p, "tcp/445", &ft);
	assert_false(ft.request.delivered);
	assert_false(ft.reply_traced);
	const struct step *st = &ft.request.steps[ft.request.fail_at];
	assert_int_equal(st->kind, STEP_DENIED_IN);
	assert_string_equal(st->site, "siteB");
	assert_int_equal(st->cause, CHK_LAN_RULES_MISSING);
	assert_int_equal(st->rule->origin, ORIGIN_DEFAULT_DENY);
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
	struct CMUnitTest t[160];
	size_t n = 0;
	TABLE(test_match, mcases);
	TABLE(test_order, ocases);
	TABLE(test_negate, ncases);
	TABLE(test_vpn_networks, vcases);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_alias_sets);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_outbound);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_vpn_networks_openvpn);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_trace_pair);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_trace_pair_stateful);
	return _cmocka_run_group_tests("ruleset", t, n, NULL, NULL);
}
