/* config.xml importer: schema conventions (doc/behaviour/pfsense.md §0) and
 * resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/load.h"
#include "import/xml.h"
#include "tmp_site.h"

static struct arena ar;
static struct site site;

/* Imports xml (written to a temp file) into the global site. */
static bool
import(const char *xml)
{
	char path[] = "/tmp/test_import_cfgXXXXXX";
	tmp_site(path, xml, &ar, &site);
	struct input_file in = {.path = path, .kind = INPUT_PFSENSE_XML};
	bool ok = cfg_pfsense_import(&ar, &in, &site);
	unlink(path);
	return ok;
}

#define PF(body)                                                               \
	"<?xml version=\"1.0\"?>\n<pfsense><version>23.3</version>" body       \
	"</pfsense>"
#define IFACES                                                                 \
	"<interfaces><wan><enable/><if>igb0</if><ipaddr>198.51.100.2</ipaddr>" \
	"<subnet>24</subnet>%s</wan><lan><enable/><if>igb1</if>"               \
	"<ipaddr>10.0.1.1</ipaddr><subnet>24</subnet></lan>"                   \
	"<opt1><enable/><if>igb2</if><ipaddr>dhcp</ipaddr></opt1></"           \
	"interfaces>"

static void
test_presence_booleans(void **state)
{
	(void)state;
	static const char *const forms[] = {"<blockpriv></blockpriv>",
					    "<blockpriv/>",
					    "<blockpriv>on</blockpriv>", ""};
	for (size_t i = 0; i < 4; i++) {
		char xml[2048];
		snprintf(xml, sizeof(xml), PF(IFACES), forms[i]);
		assert_true(import(xml));
		struct iface *w = site_iface(&site, "wan");
		assert_non_null(w);
		assert_int_equal(w->blockpriv, i < 3);
		assert_false(w->blockbogons);
	}
}

static void
test_cdata_and_list_of_one(void **state)
{
	(void)state;
	assert_true(import(PF("<filter><rule><type>block</type>"
			      "<interface>lan</interface>"
			      "<descr><![CDATA[a <b> & c]]></descr>"
			      "<source><any/></source><destination><any/>"
			      "</destination></rule></filter>")));
	assert_int_equal(site.nrules, 1);
	assert_string_equal(site.rules[0].descr, "a <b> & c");
	assert_int_equal(site.rules[0].action, ACT_BLOCK);
	assert_int_equal(site.rules[0].position, 1);
	assert_true(site.has_config);
	assert_int_equal(site.kind, SITE_PFSENSE);
	assert_string_equal(site.product_version, "2.7.2");
}

static void
test_pre175_transforms(void **state)
{
	(void)state;
	assert_true(import(
	    "<pfsense><version>17.0</version><ipsec><phase1><ikeid>1</ikeid>"
	    "<remote-gateway>203.0.113.5</remote-gateway>"
	    "<encryption-algorithm><name>aes</name><keylen>128</keylen>"
	    "</encryption-algorithm><hash-algorithm>sha1</hash-algorithm>"
	    "<dhgroup>2</dhgroup></phase1></ipsec></pfsense>"));
	assert_int_equal(site.np1, 1);
	assert_string_equal(site.p1[0].proposals, "aes-128-sha1-dh2");
	assert_int_equal(site.p1[0].ikever, 1); /* no iketype = IKEv1 */
	assert_true(site.p1[0].peer_known);
	/* a phase 1 is enabled: the IPsec tab exists */
	assert_non_null(site_iface(&site, "enc0"));
	assert_int_equal(site_iface(&site, "enc0")->role, ROLE_ENC);
}

static void
test_interface_selectors(void **state)
{
	(void)state;
	char xml[4096];
	snprintf(xml, sizeof(xml),
		 PF(IFACES
		    "<ipsec><phase1><ikeid>1</ikeid><iketype>ikev2</iketype>"
		    "<remote-gateway>0.0.0.0</remote-gateway></phase1>"
		    "<phase2><ikeid>1</ikeid><localid><type>lan</type>"
		    "</localid><remoteid><type>address</type><address>"
		    "10.0.2.7</address></remoteid></phase2>"
		    "<phase2><ikeid>1</ikeid><localid><type>opt1</type>"
		    "</localid><remoteid><type>none</type></remoteid>"
		    "<encryption-algorithm-option><name>aes256gcm</name>"
		    "<keylen>auto</keylen></encryption-algorithm-option>"
		    "</phase2></ipsec>"),
		 "");
	assert_true(import(xml));
	assert_int_equal(site.np2, 2);
	char buf[PREFIX_STRLEN];
	assert_true(site.p2[0].local.resolved);
	assert_string_equal(prefix_format(&site.p2[0].local.net, buf),
			    "10.0.1.0/24");
	assert_string_equal(prefix_format(&site.p2[0].remote.net, buf),
			    "10.0.2.7/32");
	assert_ptr_equal(site.p2[0].p1, &site.p1[0]);
	assert_false(site.p1[0].peer_known);	 /* 0.0.0.0 = any peer */
	assert_false(site.p2[1].local.resolved); /* opt1 is DHCP */
	assert_string_equal(prefix_format(&site.p2[1].remote.net, buf),
			    "0.0.0.0/0");
	assert_int_equal(site.p2[1].nenc, 1);
	assert_int_equal(site.p2[1].enc[0].cipher, CIPHER_AES_GCM);
	assert_int_equal(site.p2[1].enc[0].keylen, 256);
	assert_int_equal(site.p2[1].enc[0].icv, 16);
	/* opt1 is dynamic: role wan with a synthesized OPT1_DHCP gateway */
	assert_int_equal(site_iface(&site, "opt1")->role, ROLE_WAN);
	assert_non_null(site_gateway(&site, "OPT1_DHCP"));
}

static const char *
fmt(const struct addrset *s)
{
	return addrset_format(&ar, s, 64);
}

static void
test_nested_and_cyclic_aliases(void **state)
{
	(void)state;
	assert_true(import(
	    PF("<aliases>"
	       "<alias><name>A</name><type>network</type><address>10.1.0.0/24 B"
	       "</address></alias>"
	       "<alias><name>B</name><type>network</type><address>10.2.0.0/24 C"
	       "</address></alias>"
	       "<alias><name>C</name><type>host</type><address>10.3.0.1 "
	       "10.3.0.5-10.3.0.6</address></alias>"
	       "<alias><name>X</name><type>host</type><address>10.9.0.1 Y"
	       "</address></alias>"
	       "<alias><name>Y</name><type>host</type><address>10.9.0.2 X"
	       "</address></alias>"
	       "<alias><name>F</name><type>host</type><address>10.8.0.1 "
	       "host.example.test</address></alias>"
	       "<alias><name>P</name><type>port</type><address>80 Q</address>"
	       "</alias><alias><name>Q</name><type>port</type><address>"
	       "8000:8002</address></alias>"
	       "</aliases>")));
	struct alias *a = site_alias(&site, "A");
	assert_string_equal(fmt(&a->addrs), "10.1.0.0/24, 10.2.0.0/24, "
					    "10.3.0.1, 10.3.0.5, 10.3.0.6");
	assert_true(a->resolved);
	assert_false(a->cyclic);
	assert_true(site_alias(&site, "X")->cyclic);
	assert_true(site_alias(&site, "Y")->cyclic);
	assert_string_equal(fmt(&site_alias(&site, "X")->addrs),
			    "10.9.0.1, 10.9.0.2");
	assert_false(site_alias(&site, "F")->resolved);
	assert_string_equal(fmt(&site_alias(&site, "F")->addrs), "10.8.0.1");
	struct alias *p = site_alias(&site, "P");
	assert_true(portset_contains(&p->ports, 80));
	assert_true(portset_contains(&p->ports, 8001));
	assert_false(portset_contains(&p->ports, 81));
}

static void
test_rule_resolution(void **state)
{
	(void)state;
	char xml[4096];
	snprintf(xml, sizeof(xml),
		 PF(IFACES "<aliases><alias><name>WEB</name><type>port</type>"
			   "<address>80 443</address></alias></aliases>"
			   "<filter><rule><interface>lan</interface>"
			   "<ipprotocol>inet46</ipprotocol><protocol>tcp/udp"
			   "</protocol><source><network>lan</network></source>"
			   "<destination><not/><network>wanip</network>"
			   "<port>WEB</port></destination><tracker>42</tracker>"
			   "</rule><rule><interface>wan,lan</interface>"
			   "<floating>yes</floating><direction>out</direction>"
			   "<destination><any/><port>22</port></destination>"
			   "</rule></filter>"),
		 "");
	assert_true(import(xml));
	struct rule *r = &site.rules[0];
	assert_true(r->fam[FAM_V4] && r->fam[FAM_V6]);
	assert_true(protoset_has(&r->protos, PROTO_TCP));
	assert_true(protoset_has(&r->protos, PROTO_UDP));
	assert_false(protoset_has(&r->protos, PROTO_ICMP));
	assert_string_equal(fmt(&r->src.addrs), "10.0.1.0/24");
	assert_true(r->dst.negate);
	assert_string_equal(fmt(&r->dst.addrs), "198.51.100.2");
	assert_true(portset_contains(&r->dst.ports, 443));
	assert_false(portset_contains(&r->dst.ports, 22));
	assert_string_equal(r->tracker, "42");
	assert_true(r->quick); /* interface tabs are "in quick" */
	r = &site.rules[1];
	assert_true(r->floating);
	assert_false(r->quick);
	assert_int_equal(r->dir, DIR_OUT);
	assert_int_equal(r->nifaces, 2);
	/* no protocol: the port is meaningless and ignored, as pfSense does */
	assert_true(portset_is_any(&r->dst.ports));
	assert_true(r->loc.line > 0);
}

static void
test_opnsense_aliases(void **state)
{
	(void)state;
	assert_true(import(
	    "<opnsense><interfaces><lan><if>em1</if><enable>1</enable>"
	    "<ipaddr>10.0.2.1</ipaddr><subnet>24</subnet></lan></interfaces>"
	    "<filter><rule uuid=\"u-1\"><interface>lan</interface>"
	    "<source><address>nets</address></source></rule></filter>"
	    "<OPNsense><Firewall><Alias><aliases>"
	    "<alias uuid=\"x\"><enabled>1</enabled><name>nets</name><type>"
	    "network</type><content>10.5.0.0/16\n10.6.0.0/16</content>"
	    "</alias><alias><enabled>0</enabled><name>off</name><type>host"
	    "</type><content>10.0.0.1</content></alias>"
	    "</aliases></Alias></Firewall></OPNsense></opnsense>"));
	assert_int_equal(site.kind, SITE_OPNSENSE);
	assert_int_equal(site.naliases, 1);
	assert_string_equal(fmt(&site.rules[0].src.addrs),
			    "10.5.0.0/16, 10.6.0.0/16");
	assert_string_equal(site.rules[0].tracker, "u-1");
	assert_true(site_iface(&site, "lan")->enabled);
}

/* OPNsense's <interfaces> holds enc0 (the IPsec interface) and its
 * interface groups separate members by commas and carry a sequence;
 * pfSense's separate them by blanks. */
static void
test_opnsense_groups_enc0(void **state)
{
	(void)state;
	assert_true(import(
	    "<opnsense><interfaces><lan><if>em1</if><enable>1</enable>"
	    "</lan><opt1><if>em2</if><enable>1</enable></opt1>"
	    "<enc0><internal_dynamic>1</internal_dynamic><enable>1</enable>"
	    "<if>enc0</if><descr>IPsec</descr><type>none</type><virtual>1"
	    "</virtual></enc0></interfaces><ifgroups version=\"1.0.0\">"
	    "<ifgroupentry uuid=\"g\"><ifname>IN</ifname><members>lan,opt1"
	    "</members><sequence>7</sequence></ifgroupentry></ifgroups>"
	    "</opnsense>"));
	assert_int_equal(site_iface(&site, "enc0")->role, ROLE_ENC);
	assert_int_equal(site.ngroups, 1);
	assert_int_equal(site.groups[0].nmembers, 2);
	assert_string_equal(site.groups[0].members[0], "lan");
	assert_string_equal(site.groups[0].members[1], "opt1");
	assert_int_equal(site.groups[0].seq, 7);
	assert_true(import("<pfsense><ifgroups><ifgroupentry><ifname>G</ifname>"
			   "<members>lan opt1</members></ifgroupentry>"
			   "</ifgroups></pfsense>"));
	assert_int_equal(site.groups[0].nmembers, 2);
	assert_int_equal(site.groups[0].seq, 0);
}

static void
test_refusals(void **state)
{
	(void)state;
	assert_false(import("<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a "
			    "\"b\">]><pfsense>&a;</pfsense>"));
	assert_false(import("<config/>"));
	assert_false(import("<pfsense><version>"));
	assert_false(import("---- BEGIN config.xml ----\nxx\n"));
}

/* A 100 MB text node is refused once it crosses the 1 MB limit, without
 * buffering the rest: fed in chunks, memory stays near the limit. */
static void
test_huge_text_node(void **state)
{
	(void)state;
	arena_free(&ar);
	arena_init(&ar);
	struct xml_parser *p = xml_begin(&ar, "big.xml", &xml_config_limits);
	const char *head = "<pfsense><descr>";
	assert_true(xml_feed(p, head, strlen(head), false));
	static char chunk[1 << 16];
	memset(chunk, 'A', sizeof(chunk));
	size_t fed = 0;
	bool ok = true;
	while (ok && fed < (size_t)100 << 20) {
		ok = xml_feed(p, chunk, sizeof(chunk), false);
		fed += sizeof(chunk);
	}
	assert_false(ok);
	assert_true(fed <= (size_t)2 << 20);
	assert_null(xml_end(p));
	assert_true(ar.total < (size_t)1 << 20);
}

static void
test_depth_limit(void **state)
{
	(void)state;
	char xml[8192] = "<pfsense>";
	for (int i = 0; i < 70; i++)
		strcat(xml, "<a>");
	assert_false(import(xml));
}

#define OPN(body)                                                              \
	"<?xml "                                                               \
	"version=\"1.0\"?>\n<opnsense><interfaces><wan><enable>1</enable>"     \
	"<if>vtnet0</if><ipaddr>192.0.2.2</ipaddr><subnet>24</subnet></wan>"   \
	"</interfaces>" body "</opnsense>"
#define OPN_GW(name, ip, dis, def, prio)                                       \
	"<gateway_item uuid=\"u-" name "\"><disabled>" dis                     \
	"</disabled><name>" name                                               \
	"</name><interface>wan</interface><ipprotocol>inet</ipprotocol>"       \
	"<gateway>" ip "</gateway><defaultgw>" def                             \
	"</defaultgw><priority>" prio "</priority></gateway_item>"

static const char *
default_gw(void)
{
	const struct gateway *g = site_default_gateway(&site, FAM_V4);
	return g ? g->name : "(none)";
}

/* OPNsense 24.1+ gateways (<OPNsense><Gateways>, 0/1 booleans): the
 * default is the usable one OPNsense's order puts first (flagged
 * default, then lowest priority, then the one defined last); the legacy
 * <gateways> is ignored then. */
static void
test_opnsense_gateways(void **state)
{
	(void)state;
	assert_true(import(OPN(
	    "<gateways><gateway_item><name>OLD</name><interface>wan</interface>"
	    "<gateway>192.0.2.9</gateway><defaultgw>1</defaultgw>"
	    "</gateway_item></gateways><OPNsense><Gateways>" OPN_GW(
		"A", "192.0.2.1", "0", "0", "1")
		OPN_GW("B", "192.0.2.3", "0", "1", "200")
		    OPN_GW("C", "192.0.2.4", "1", "1",
			   "1") "</Gateways></OPNsense>")));
	assert_string_equal(default_gw(), "B"); /* flagged; C is disabled */
	assert_null(site_gateway(&site, "OLD"));
	assert_true(site_gateway(&site, "C")->disabled);
	assert_false(site_gateway(&site, "A")->disabled);
	assert_true(import(
	    OPN("<OPNsense><Gateways>" OPN_GW("A", "192.0.2.1", "0", "0", "100")
		    OPN_GW("B", "192.0.2.3", "0", "0", "5")
			OPN_GW("C", "192.0.2.4", "0", "0",
			       "5") "</Gateways></OPNsense>")));
	assert_string_equal(default_gw(), "C"); /* lowest, defined last */
	/* pfSense and OPNsense before 24.1: presence means set */
	assert_true(import(OPN(
	    "<gateways><gateway_item><name>OLD</name><interface>wan</interface>"
	    "<gateway>192.0.2.9</gateway><defaultgw/></gateway_item>"
	    "<gateway_item><name>OFF</name><interface>wan</interface>"
	    "<gateway>192.0.2.8</gateway><disabled>0</disabled>"
	    "</gateway_item></gateways>")));
	assert_string_equal(default_gw(), "OLD");
	assert_false(site_gateway(&site, "OFF")->disabled);
}

/* Static routes: pfSense's <disabled/>, OPNsense's <disabled>0|1</disabled>
 * (Routes model 1.0.0) and <enabled>0|1</enabled> (1.0.1). */
static void
test_static_route_flags(void **state)
{
	(void)state;
	static const struct {
		const char *flag;
		bool disabled;
	} cases[] = {
	    {"", false},
	    {"<disabled/>", true},
	    {"<disabled>0</disabled>", false},
	    {"<disabled>1</disabled>", true},
	    {"<enabled>1</enabled>", false},
	    {"<enabled>0</enabled>", true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char xml[2048];
		snprintf(
		    xml, sizeof(xml),
		    OPN("<OPNsense><Gateways>" OPN_GW(
			"GW", "192.0.2.1", "0", "1",
			"255") "</Gateways></OPNsense><staticroutes "
			       "version=\"1.0.1\"><route uuid=\"r\"><network>"
			       "10.9.0.0/16</network><gateway>GW</gateway>%s"
			       "</route></staticroutes>"),
		    cases[i].flag);
		assert_true(import(xml));
		const struct route *r = NULL;
		for (size_t j = 0; j < site.nroutes; j++)
			if (site.routes[j].kind == ROUTE_STATIC)
				r = &site.routes[j];
		assert_non_null(r);
		assert_int_equal(r->disabled, cases[i].disabled);
		assert_string_equal(r->gateway, "GW");
	}
}

/* Children split on <splitconn> (pfSense) or <tunnel_isolation>
 * (OPNsense legacy), never the other's element (tunnel-path.md §4). */
static void
test_split_children(void **state)
{
	(void)state;
	static const struct {
		const char *root, *el;
		bool split;
	} c[] = {
	    {"pfsense", "<splitconn/>", true},
	    {"pfsense", "<tunnel_isolation>1</tunnel_isolation>", false},
	    {"opnsense", "<tunnel_isolation>1</tunnel_isolation>", true},
	    {"opnsense", "<splitconn/>", false},
	    {"opnsense", "", false},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		char xml[1024];
		snprintf(
		    xml, sizeof(xml),
		    "<?xml version=\"1.0\"?>\n<%s><version>23.3</version>"
		    "<ipsec><enable/><phase1><ikeid>1</ikeid><iketype>ikev2"
		    "</iketype><interface>wan</interface><remote-gateway>"
		    "9.10.11.2</remote-gateway>%s</phase1></ipsec></%s>",
		    c[i].root, c[i].el, c[i].root);
		assert_true(import(xml));
		assert_int_equal(site.np1, 1);
		if (site.p1[0].splitconn != c[i].split)
			fail_msg("%s %s: splitconn %d", c[i].root, c[i].el,
				 site.p1[0].splitconn);
	}
}

/* An assigned ipsecN without <ipaddr> takes its VTI phase 2's local
 * address, its dynamic gateway the remote one (tunnel-path.md §1). */
static void
test_vti_addresses(void **state)
{
	(void)state;
	assert_true(import(
	    PF("<interfaces><wan><enable/><if>igb0</if><ipaddr>198.51.100.2"
	       "</ipaddr><subnet>24</subnet></wan><opt1><enable/><if>ipsec3"
	       "</if><descr>VTI</descr></opt1></interfaces>"
	       "<gateways><gateway_item><interface>opt1</interface><gateway>"
	       "dynamic</gateway><name>VTIGW</name><ipprotocol>inet"
	       "</ipprotocol></gateway_item></gateways>"
	       "<staticroutes><route><network>10.9.0.0/16</network><gateway>"
	       "VTIGW</gateway></route></staticroutes>"
	       "<ipsec><phase1><ikeid>1</ikeid><interface>wan</interface>"
	       "<remote-gateway>9.10.11.2</remote-gateway></phase1><phase2>"
	       "<ikeid>1</ikeid><mode>vti</mode><reqid>3</reqid><localid><type>"
	       "address</type><address>169.254.10.1</address></localid>"
	       "<remoteid><type>address</type><address>169.254.10.2</address>"
	       "</remoteid></phase2></ipsec>")));
	struct iface *f = site_iface(&site, "opt1");
	assert_non_null(f);
	assert_int_equal(f->role, ROLE_VTI);
	assert_int_equal(f->naddrs, 1);
	char b[ADDR_STRLEN];
	assert_string_equal(ipaddr_format(&f->addrs[0].addr, b),
			    "169.254.10.1");
	assert_int_equal(f->addrs[0].plen, 30);
	const struct gateway *g = site_gateway(&site, "VTIGW");
	assert_non_null(g);
	assert_string_equal(ipaddr_format(&g->addr, b), "169.254.10.2");
	bool routed = false;
	for (size_t i = 0; i < site.nroutes; i++)
		routed = routed || (site.routes[i].kind == ROUTE_STATIC &&
				    site.routes[i].has_via &&
				    strcmp(site.routes[i].iface, "opt1") == 0);
	assert_true(routed);
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_presence_booleans),
	    cmocka_unit_test(test_cdata_and_list_of_one),
	    cmocka_unit_test(test_pre175_transforms),
	    cmocka_unit_test(test_interface_selectors),
	    cmocka_unit_test(test_nested_and_cyclic_aliases),
	    cmocka_unit_test(test_rule_resolution),
	    cmocka_unit_test(test_opnsense_aliases),
	    cmocka_unit_test(test_opnsense_groups_enc0),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_huge_text_node),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_opnsense_gateways),
	    cmocka_unit_test(test_static_route_flags),
	    cmocka_unit_test(test_split_children),
	    cmocka_unit_test(test_vti_addresses),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
