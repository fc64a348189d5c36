/* The pf rules pfSense and OPNsense really generate, from config.xml to
 * the verdict (doc/behaviour/pf-ruleset.md): the negate rule's "any"
 * test, <vpn_networks> with disabled phase 1, Block all IPv6, the APIPA
 * block, bogons, per-network trackers, phase 1 on a VIP or gateway
 * group, custom IPsec ports, a phase 2 without protocol, OPNsense's
 * automatic rules, filter mode if_ipsec and phase 1 never started. Each
 * case differs from the previous model's verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "engine/route.h"
#include "engine/ruleset.h"
#include "import/load.h"

static struct arena ar;
static struct site site;

/* Imports a config built from the template below with the parts given. */
struct parts {
	const char *root;    /* "pfsense" (default) or "opnsense" */
	const char *system;  /* inside <system> */
	const char *wan;     /* inside <wan> */
	const char *p1iface; /* phase 1 <interface>, default wan */
	const char *p1;	     /* inside <phase1> */
	const char *p2;	     /* inside <phase2>, default protocol esp */
	const char *ipsec;   /* inside <ipsec>, before the phase 1 */
	const char *extra;   /* top level: aliases, virtualip, gateways */
	const char *rules;   /* inside <filter> */
};

static const char * or (const char *a, const char *b)
{
	return a ? a : b;
}

static void
import(const struct parts *p)
{
	char xml[8192];
	const char *root = or (p->root, "pfsense");
	snprintf(
	    xml, sizeof(xml),
	    "<?xml version=\"1.0\"?><%s><version>23.3</version>"
	    "<system>%s</system><interfaces>"
	    "<wan><enable/><if>em0</if><descr>WAN</descr><ipaddr>5.6.7.1"
	    "</ipaddr><subnet>24</subnet><gateway>WANGW</gateway>%s</wan>"
	    "<lan><enable/><if>em1</if><descr>LAN</descr><ipaddr>10.0.1.1"
	    "</ipaddr><subnet>24</subnet></lan>"
	    "<opt2><enable/><if>em3</if><descr>EMPTY</descr></opt2>"
	    "</interfaces>%s<ipsec>%s<phase1><ikeid>1</ikeid>"
	    "<iketype>ikev2</iketype><interface>%s</interface>"
	    "<remote-gateway>9.10.11.2</remote-gateway><protocol>inet"
	    "</protocol>%s</phase1><phase2><ikeid>1</ikeid><mode>tunnel"
	    "</mode><localid><type>lan</type></localid><remoteid><type>"
	    "network</type><address>10.0.2.0</address><netbits>24</netbits>"
	    "</remoteid>%s</phase2></ipsec><filter>%s</filter></%s>",
	    root, or (p->system, "<ipv6allow/>"), or (p->wan, "<blockpriv/>"),
	    or (p->extra, "<gateways><gateway_item><interface>wan</interface>"
			  "<gateway>5.6.7.254</gateway><name>WANGW</name>"
			  "</gateway_item></gateways>"),
	    or (p->ipsec,
		strcmp(root, "opnsense") == 0 ? "<enable>1</enable>" : ""),
	    or (p->p1iface, "wan"),
	    or (p->p1, "<encryption><item><encryption-algorithm><name>aes"
		       "</name><keylen>256</keylen></encryption-algorithm>"
		       "<hash-algorithm>sha256</hash-algorithm><dhgroup>14"
		       "</dhgroup></item></encryption>"),
	    or (p->p2, "<protocol>esp</protocol>"), or (p->rules, ""), root);
	char path[] = "/tmp/test_ruleset_fidelityXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
	close(fd);
	arena_free(&ar);
	arena_init(&ar);
	memset(&site, 0, sizeof(site));
	site.name = "t";
	struct input_file in = {.path = path, .kind = INPUT_PFSENSE_XML};
	bool ok = cfg_pfsense_import(&ar, &in, &site);
	unlink(path);
	assert_true(ok);
}

static struct verdict
eval(const char *ifkey, bool out, const char *src, const char *dst,
     const char *proto)
{
	struct ruleset rs = out ? ruleset_outbound(&ar, &site, ifkey)
				: ruleset_inbound(&ar, &site, ifkey);
	struct packet p = b_pkt(src, dst, proto);
	return ruleset_eval(&rs, &p);
}

/* ---- the negate rule: strstr($dst, "any") ---- */

#define LANRULE(ipp, dst, gw, extra)                                           \
	"<rule><type>pass</type><ipprotocol>" ipp "</ipprotocol><interface>"   \
	"lan</interface>" extra "<gateway>" gw "</gateway><source><network>"   \
	"lan</network></source><destination>" dst "</destination>"             \
	"<descr>routed</descr></rule>"
#define ALIASES                                                                \
	"<aliases><alias><name>Germany_hosts</name><type>network</type>"       \
	"<address>10.0.0.0/8</address></alias><alias><name>Branch_hosts"       \
	"</name><type>network</type><address>10.0.0.0/8</address></alias>"     \
	"<alias><name>Many_ports</name><type>port</type><address>445"          \
	"</address></alias></aliases><gateways><gateway_item><interface>wan"   \
	"</interface><gateway>5.6.7.254</gateway><name>WANGW</name>"           \
	"</gateway_item></gateways>"

struct ncase {
	const char *name, *system, *rules;
	const char *proto;
	enum rule_origin origin; /* what decides 10.0.1.10 -> 10.0.2.10 */
	bool gateway;		 /* the deciding rule routes */
};

static const struct ncase ncases[] = {
    {"inet rule to any (the GUI default)", NULL,
     LANRULE("inet", "<any/>", "WANGW", ""), "tcp/445", ORIGIN_NEGATE, false},
    {"inet46 rule to any", NULL, LANRULE("inet46", "<any/>", "WANGW", ""),
     "tcp/445", ORIGIN_NEGATE, false},
    {"<not/> of any still reads 'any'", NULL,
     LANRULE("inet", "<any/><not/>", "WANGW", ""), "tcp/445", ORIGIN_NEGATE,
     false},
    {"alias whose name holds 'any'", NULL,
     LANRULE("inet", "<address>Germany_hosts</address>", "WANGW", ""),
     "tcp/445", ORIGIN_NEGATE, false},
    {"alias without 'any' in its name", NULL,
     LANRULE("inet", "<address>Branch_hosts</address>", "WANGW", ""), "tcp/445",
     ORIGIN_USER, true},
    {"port alias whose name holds 'any'", NULL,
     LANRULE("inet", "<address>10.0.0.0/8</address><port>Many_ports</port>",
	     "WANGW", "<protocol>tcp</protocol>"),
     "tcp/445", ORIGIN_NEGATE, false},
    {"! LAN net is not 'any'", NULL,
     LANRULE("inet", "<network>lan</network><not/>", "WANGW", ""), "tcp/445",
     ORIGIN_USER, true},
    {"disablenegate", "<ipv6allow/><disablenegate/>",
     LANRULE("inet", "<any/>", "WANGW", ""), "tcp/445", ORIGIN_USER, true},
    {"unknown gateway: no route-to, no negate rule", NULL,
     LANRULE("inet", "<any/>", "NOSUCHGW", ""), "tcp/445", ORIGIN_USER, false},
    /* floating without quick: the negate copy is non-quick too, and the
     * routed rule after it wins under last match */
    {"floating non-quick: the routed rule wins", NULL,
     "<rule><type>pass</type><ipprotocol>inet</ipprotocol><floating>yes"
     "</floating><interface>lan</interface><direction>in</direction>"
     "<gateway>WANGW</gateway><source><any/></source><destination><any/>"
     "</destination><descr>routed</descr></rule>",
     "tcp/445", ORIGIN_USER, true},
};

static void
test_negate(void **state)
{
	const struct ncase *c = *state;
	import(&(struct parts){
	    .system = c->system, .rules = c->rules, .extra = ALIASES});
	struct verdict v =
	    eval("lan", false, "10.0.1.10", "10.0.2.10", c->proto);
	assert_non_null(v.rule);
	if (v.rule->origin != c->origin ||
	    (v.rule->gateway != NULL) != c->gateway)
		fail_msg("%s: decided by %s%s", c->name,
			 rule_origin_name(v.rule->origin),
			 v.rule->gateway ? " with a gateway" : "");
	assert_true(v.pass);
}

/* inet6: the importer keeps only the IPv6 half of "any"; the test is on
 * the text, so the rule still gets its negate rule */
static void
test_negate_inet6(void **state)
{
	(void)state;
	struct site *s = b_site(&ar, SITE_PFSENSE);
	s->product_version = "2.7.2";
	b_iface(&ar, s, "lan", ROLE_LAN, "10.0.1.1/24");
	struct phase1 *p1 = b_p1(&ar, s, "1", "wan", "9.10.11.2", 2);
	b_p2(&ar, s, p1, "fd00:1::/64", "fd00:2::/64", P2_TUNNEL6);
	struct rule *r = b_rule(&ar, s, "lan", false, ACT_PASS, "v6 routed");
	r->gateway = "WANGW6";
	r->fam[FAM_V4] = false;
	r->dst.addrs.fam[FAM_V4].n = r->src.addrs.fam[FAM_V4].n = 0;
	struct ruleset rs = ruleset_inbound(&ar, s, "lan");
	struct packet p = b_pkt("fd00:1::10", "fd00:2::10", "tcp/445");
	struct verdict v = ruleset_eval(&rs, &p);
	assert_non_null(v.rule);
	assert_int_equal(v.rule->origin, ORIGIN_NEGATE);
	assert_false(v.rule->fam[FAM_V4]); /* inet6 as the rule */
	p = b_pkt("fd00:1::10", "2001:db8::1", "tcp/445");
	v = ruleset_eval(&rs, &p);
	assert_ptr_equal(v.rule, r);
}

/* ---- <vpn_networks>: a disabled phase 1's phase 2 stays ---- */

static void
test_vpn_networks_disabled_p1(void **state)
{
	(void)state;
	struct site *s = b_site(&ar, SITE_PFSENSE);
	s->product_version = "2.7.2";
	struct phase1 *on = b_p1(&ar, s, "1", "wan", "9.10.11.2", 2);
	struct phase1 *off = b_p1(&ar, s, "7", "wan", "77.1.1.1", 2);
	off->disabled = true;
	b_p2(&ar, s, on, "10.0.1.0/24", "10.0.2.0/24", P2_TUNNEL);
	b_p2(&ar, s, off, "10.0.1.0/24", "10.0.9.0/24", P2_TUNNEL);
	struct addrset v = vpn_networks(&ar, s);
	struct ipaddr a = b_addr("10.0.9.1");
	assert_true(addrset_contains(&v, &a));
	/* no phase 1 enabled: no <vpn_networks> at all */
	on->disabled = true;
	v = vpn_networks(&ar, s);
	a = b_addr("10.0.2.1");
	assert_false(addrset_contains(&v, &a));
}

/* ---- Block all IPv6, APIPA ---- */

static void
test_block_ipv6(void **state)
{
	(void)state;
	import(&(struct parts){
	    .system = "",
	    .rules = "<rule><type>pass</type><ipprotocol>inet6</ipprotocol>"
		     "<interface>lan</interface><source><any/></source>"
		     "<destination><any/></destination></rule>"});
	struct verdict v =
	    eval("lan", false, "fd00:1::10", "fd00:2::10", "icmp6");
	assert_false(v.pass);
	assert_int_equal(v.rule->origin, ORIGIN_BLOCK_IPV6);
	v = eval("lan", true, "fd00:2::10", "fd00:1::10", "icmp6");
	assert_false(v.pass); /* out too, before "let out anything" */
	assert_int_equal(v.rule->origin, ORIGIN_BLOCK_IPV6);
	v = eval("lan", false, "10.0.1.10", "10.0.2.10", "icmp");
	assert_int_not_equal(v.rule->origin, ORIGIN_BLOCK_IPV6);
	/* an empty <ipv6allow/> counts as set */
	import(&(struct parts){
	    .system = "<ipv6allow></ipv6allow>",
	    .rules = "<rule><type>pass</type><ipprotocol>inet6</ipprotocol>"
		     "<interface>lan</interface><source><any/></source>"
		     "<destination><any/></destination></rule>"});
	v = eval("lan", false, "fd00:1::10", "fd00:2::10", "icmp6");
	assert_true(v.pass);
	/* OPNsense: the same rule, filter_core_rules_system() */
	import(&(struct parts){.root = "opnsense", .system = ""});
	v = eval("lan", false, "fd00:1::10", "fd00:2::10", "icmp6");
	assert_int_equal(v.rule->origin, ORIGIN_BLOCK_IPV6);
}

static void
test_apipa(void **state)
{
	(void)state;
	const char *pass_all = "<rule><type>pass</type><ipprotocol>inet"
			       "</ipprotocol><interface>enc0</interface>"
			       "<source><any/></source><destination><any/>"
			       "</destination></rule>";
	import(&(struct parts){.rules = pass_all});
	struct verdict v =
	    eval("enc0", false, "169.254.10.2", "10.0.1.10", "icmp");
	assert_false(v.pass);
	assert_int_equal(v.rule->origin, ORIGIN_BLOCK_APIPA);
	assert_string_equal(v.rule->tracker, "1000000101");
	v = eval("enc0", false, "10.0.2.10", "169.254.10.1", "icmp");
	assert_false(v.pass);
	assert_string_equal(v.rule->tracker, "1000000102");
	v = eval("enc0", false, "10.0.2.10", "10.0.1.10", "icmp");
	assert_true(v.pass);
	/* inbound only */
	v = eval("enc0", true, "10.0.1.10", "169.254.10.2", "icmp");
	assert_true(v.pass);
	import(&(struct parts){.system = "<ipv6allow/><no_apipa_block/>",
			       .rules = pass_all});
	v = eval("enc0", false, "169.254.10.2", "10.0.1.10", "icmp");
	assert_true(v.pass);
}

/* ---- bogons and per-network trackers ---- */

static void
test_bogons_trackers(void **state)
{
	(void)state;
	import(&(struct parts){.wan = "<blockpriv/><blockbogons/>"});
	static const struct {
		const char *src, *tracker;
	} cases[] = {
	    {"127.0.0.1", "11001"}, /* bogons come first, and hold 127/8 */
	    {"224.0.0.5", "11001"}, /* multicast is in /etc/bogons */
	    {"10.1.2.3", "12001"},    {"172.16.0.1", "12003"},
	    {"192.168.1.1", "12004"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct verdict v =
		    eval("wan", false, cases[i].src, "5.6.7.1", "udp/500");
		assert_false(v.pass);
		if (strcmp(v.rule->tracker, cases[i].tracker) != 0)
			fail_msg("%s: tracker %s, expected %s", cases[i].src,
				 v.rule->tracker, cases[i].tracker);
	}
	/* OPNsense: CGNAT space is a private network; no tracker numbers */
	import(&(struct parts){.root = "opnsense",
			       .wan = "<blockpriv>1"
				      "</blockpriv>"});
	struct verdict v =
	    eval("wan", false, "100.64.1.1", "5.6.7.1", "udp/500");
	assert_false(v.pass);
	assert_int_equal(v.rule->origin, ORIGIN_BLOCKPRIV);
	assert_null(v.rule->tracker);
}

/* ---- phase 1 interface: VIP, IP alias on CARP, gateway group ---- */

#define CARPVIP                                                                \
	"<vip><mode>carp</mode><interface>wan</interface><vhid>3</vhid>"       \
	"<uniqid>c1</uniqid><subnet>5.6.7.2</subnet><subnet_bits>24"           \
	"</subnet_bits></vip>"
#define GWS                                                                    \
	"<gateways><gateway_item><interface>wan</interface><gateway>"          \
	"5.6.7.254</gateway><name>WANGW</name></gateway_item><gateway_item>"   \
	"<interface>lan</interface><gateway>10.0.1.254</gateway><name>LANGW"   \
	"</name></gateway_item><gateway_group><name>FO</name><item>LANGW|2|"   \
	"address</item><item>WANGW|1|address</item></gateway_group>"           \
	"</gateways>"

struct bcase {
	const char *name, *root, *iface, *extra;
	const char *parent, *local; /* NULL local: the interface address */
};

static const struct bcase bcases[] = {
    {"CARP VIP", NULL, "_vipc1", "<virtualip>" CARPVIP "</virtualip>" GWS,
     "wan", "5.6.7.2"},
    {"IP alias on a CARP VIP", NULL, "_vipa1",
     "<virtualip>" CARPVIP "<vip><mode>ipalias</mode><interface>_vipc1"
     "</interface><uniqid>a1</uniqid><subnet>5.6.7.3</subnet></vip>"
     "</virtualip>" GWS,
     "wan", "5.6.7.3"},
    {"gateway group: lowest tier, not the first item", NULL, "FO", GWS, "wan",
     NULL},
    {"OPNsense wan_vip3", "opnsense", "wan_vip3",
     "<virtualip>" CARPVIP "</virtualip>" GWS, "wan", "5.6.7.2"},
};

static void
test_p1_bind(void **state)
{
	const struct bcase *c = *state;
	import(&(struct parts){
	    .root = c->root, .p1iface = c->iface, .extra = c->extra});
	const struct phase1 *p1 = &site.p1[0];
	assert_string_equal(p1->iface, c->parent);
	struct ipaddr a;
	assert_true(p1_local_addr(&site, p1, &a));
	struct ipaddr want = b_addr(c->local ? c->local : "5.6.7.1");
	assert_int_equal(ipaddr_cmp(&a, &want), 0);
	/* the automatic rules are on the parent interface */
	struct verdict v = eval("wan", false, "9.10.11.2",
				c->local ? c->local : "5.6.7.1", "udp/500");
	assert_true(v.pass);
	assert_int_equal(v.rule->origin, ORIGIN_AUTO_VPN);
}

/* ---- automatic rules: ports, protocol, OPNsense ---- */

static void
test_auto_rules(void **state)
{
	(void)state;
	import(&(struct parts){.ipsec = "<port>5000</port><port_nat_t>5001"
					"</port_nat_t>"});
	assert_true(
	    eval("wan", false, "9.10.11.2", "5.6.7.1", "udp/5000").pass);
	assert_true(
	    eval("wan", false, "9.10.11.2", "5.6.7.1", "udp/5001").pass);
	assert_false(
	    eval("wan", false, "9.10.11.2", "5.6.7.1", "udp/500").pass);
	/* a phase 2 without <protocol>: no ESP rule */
	import(&(struct parts){.p2 = ""});
	assert_false(eval("wan", false, "9.10.11.2", "5.6.7.1", "esp").pass);
	assert_true(eval("wan", false, "9.10.11.2", "5.6.7.1", "udp/500").pass);
	/* OPNsense: gw_duplicates keeps its rules; NAT-T off drops 4500;
	 * the inbound rules have no destination */
	import(&(struct parts){.root = "opnsense",
			       .p1 = "<gw_duplicates/><nat_traversal>off"
				     "</nat_traversal><encryption/>"});
	assert_true(eval("wan", false, "9.10.11.2", "5.6.7.9", "udp/500").pass);
	assert_false(
	    eval("wan", false, "9.10.11.2", "5.6.7.1", "udp/4500").pass);
	/* OPNsense without <ipsec><enable>: no rules, tunnel not started */
	import(
	    &(struct parts){.root = "opnsense", .ipsec = "<enable>0</enable>"});
	assert_false(
	    eval("wan", false, "9.10.11.2", "5.6.7.1", "udp/500").pass);
	assert_non_null(site.p1[0].not_started);
	assert_false(p2_enabled(&site.p2[0]));
	/* OPNsense splits children on <tunnel_isolation>, not splitconn */
	import(&(struct parts){.root = "opnsense",
			       .p1 = "<tunnel_isolation>1</tunnel_isolation>"});
	assert_true(site.p1[0].splitconn);
	import(&(struct parts){.root = "opnsense"});
	assert_false(site.p1[0].splitconn);
}

/* ---- filter mode, phase 1 never started ---- */

static void
test_filtermode_not_started(void **state)
{
	(void)state;
	import(&(struct parts){.ipsec = "<filtermode>if_ipsec</filtermode>"});
	assert_string_equal(ruleset_tunnel_filter_iface(&site, &site.p1[0]),
			    "wan");
	import(&(struct parts){0});
	assert_string_equal(ruleset_tunnel_filter_iface(&site, &site.p1[0]),
			    "enc0");
	assert_null(site.p1[0].not_started);
	/* no encryption item */
	import(&(struct parts){.p1 = ""});
	assert_non_null(site.p1[0].not_started);
	/* an interface with no address: no connection, but the WAN rules
	 * are still written */
	import(&(struct parts){.p1iface = "opt2"});
	assert_non_null(site.p1[0].not_started);
	assert_false(p2_enabled(&site.p2[0]));
}

int
main(void)
{
	arena_init(&ar);
	struct CMUnitTest t[64];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(ncases) / sizeof(*ncases); i++)
		t[n++] = (struct CMUnitTest){ncases[i].name, test_negate, NULL,
					     NULL, (void *)&ncases[i]};
	for (size_t i = 0; i < sizeof(bcases) / sizeof(*bcases); i++)
		t[n++] = (struct CMUnitTest){bcases[i].name, test_p1_bind, NULL,
					     NULL, (void *)&bcases[i]};
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_negate_inet6);
	t[n++] =
	    (struct CMUnitTest)cmocka_unit_test(test_vpn_networks_disabled_p1);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_block_ipv6);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_apipa);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_bogons_trackers);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_auto_rules);
	t[n++] =
	    (struct CMUnitTest)cmocka_unit_test(test_filtermode_not_started);
	int rc = _cmocka_run_group_tests("ruleset_fidelity", t, n, NULL, NULL);
	arena_free(&ar);
	return rc;
}
