/* OPNsense's Firewall > Automation > Filter rules (import/
 * cfg_opnsense_filter.c): each field as OPNsense's generator reads it,
 * the priority and order pf gets them in, and hostile values with their
 * diagnostics. Every case names what the rule must become; a rule read
 * like a <filter> rule, or with pfSense defaults, fails it. */
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
#include "tmp_site.h"

static struct arena ar;
static struct site site;
static char errs[16384]; /* what the import printed on stderr */

static bool
import(const char *xml)
{
	char path[] = "/tmp/test_opnfilterXXXXXX";
	char epath[] = "/tmp/test_opnfilter_errXXXXXX";
	tmp_site(path, xml, &ar, &site);
	int efd = mkstemp(epath);
	assert_true(efd >= 0);
	struct input_file in = {.path = path, .kind = INPUT_OPNSENSE_XML};
	fflush(stderr);
	int saved = dup(2);
	dup2(efd, 2);
	diag_reset();
	bool ok = cfg_pfsense_import(&ar, &in, &site);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ssize_t n = pread(efd, errs, sizeof(errs) - 1, 0);
	errs[n > 0 ? n : 0] = '\0';
	close(efd);
	unlink(path);
	unlink(epath);
	return ok;
}

/* wan, lan, opt1 (DMZ, disabled), opt2 (DMZ2); enc0 and the openvpn
 * group as OPNsense registers them; group INSIDE = lan,opt2 sequence 5;
 * aliases branch_nets (network) and web (port); gateway WAN_GW. */
#define OPN_HEAD                                                               \
	"<?xml version=\"1.0\"?>\n<opnsense><interfaces>"                      \
	"<wan><if>vtnet0</if><enable>1</enable><ipaddr>9.10.11.2</ipaddr>"     \
	"<subnet>24</subnet><gateway>WAN_GW</gateway></wan>"                   \
	"<lan><if>vtnet1</if><enable>1</enable><ipaddr>10.0.2.1</ipaddr>"      \
	"<subnet>24</subnet></lan>"                                            \
	"<opt1><if>vtnet2</if><descr>DMZ</descr><ipaddr>10.0.3.1</ipaddr>"     \
	"<subnet>24</subnet></opt1>"                                           \
	"<opt2><if>vtnet3</if><descr>DMZ2</descr><enable>1</enable>"           \
	"<ipaddr>10.0.4.1</ipaddr><subnet>24</subnet></opt2>"                  \
	"<enc0><internal_dynamic>1</internal_dynamic><enable>1</enable>"       \
	"<if>enc0</if><descr>IPsec</descr><type>none</type>"                   \
	"<virtual>1</virtual></enc0>"                                          \
	"<openvpn><internal_dynamic>1</internal_dynamic><enable>1</enable>"    \
	"<if>openvpn</if><descr>OpenVPN</descr><type>group</type>"             \
	"<virtual>1</virtual><networks/></openvpn></interfaces>"               \
	"<ifgroups version=\"1.0.0\"><ifgroupentry uuid=\"g1\">"               \
	"<ifname>INSIDE</ifname><members>lan,opt2</members><nogroup>0"         \
	"</nogroup><sequence>5</sequence><descr/></ifgroupentry></ifgroups>"   \
	"<gateways><gateway_item><interface>wan</interface><gateway>"          \
	"9.10.11.254</gateway><name>WAN_GW</name><ipprotocol>inet"             \
	"</ipprotocol></gateway_item></gateways>"                              \
	"<filter><rule uuid=\"l1\"><type>pass</type><interface>INSIDE"         \
	"</interface><descr>legacy group</descr></rule>"                       \
	"<rule uuid=\"l2\"><type>pass</type><floating>yes</floating>"          \
	"<interface>lan</interface><descr>legacy floating</descr></rule>"      \
	"</filter>"                                                            \
	"<OPNsense><Firewall><Alias version=\"1.0.1\"><aliases>"               \
	"<alias uuid=\"a1\"><enabled>1</enabled><name>branch_nets</name>"      \
	"<type>network</type><content>10.0.1.0/24\n10.0.11.0/24</content>"     \
	"</alias><alias uuid=\"a2\"><enabled>1</enabled><name>web</name>"      \
	"<type>port</type><content>80\n443</content></alias>"                  \
	"</aliases></Alias><Filter version=\"%s\"><rules>"
#define OPN_TAIL "</rules></Filter></Firewall></OPNsense></opnsense>"

/* A rule: uuid, sequence and description, then the fields given. */
#define R(uuid, seq, descr, fields)                                            \
	"<rule uuid=\"" uuid "\"><sequence>" seq "</sequence>" fields          \
	"<description>" descr "</description></rule>"

static bool
import_rules(const char *version, const char *rules)
{
	size_t n = strlen(OPN_HEAD) + strlen(rules) + 256;
	char *xml = malloc(n);
	assert_non_null(xml);
	if (xml == NULL)
		return false; /* not reached; says so to the compiler */
	snprintf(xml, n, OPN_HEAD "%s" OPN_TAIL, version, rules);
	bool ok = import(xml);
	free(xml);
	return ok;
}

/* The nth Automation rule, in the order they were stored. */
static const struct rule *
mvc(size_t nth)
{
	for (size_t i = 0; i < site.nrules; i++)
		if (site.rules[i].mvc && nth-- == 0)
			return &site.rules[i];
	fail_msg("no Automation rule #%zu", nth);
	return NULL;
}

static size_t
mvc_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < site.nrules; i++)
		n += site.rules[i].mvc;
	return n;
}

static const char *
set_str(const struct addrset *s)
{
	return addrset_format(&ar, s, 8);
}

/* ---- one rule, field by field ---- */

struct fcase {
	const char *name;
	const char *fields; /* inside <rule> */
	/* expectations; NULL / -1 = not checked */
	int action, quick, dir, v4, v6;
	unsigned prio;
	const char *ifaces;	/* "lan,opt2"; "" = none */
	const char *src, *dst;	/* addrset_format(), "!" prefix if negated */
	const char *dports;	/* portset_format() */
	const char *protos;	/* "tcp,udp", "1,58", "any" */
	const char *not_loaded; /* substring, "" = loaded */
	const char *diag;	/* substring of stderr, "" = none */
};

#define ANYX -1, -1, -1, -1, -1

static const struct fcase fcases[] = {
    {"defaults of the model", "<interface>lan</interface>", ACT_PASS, 1, DIR_IN,
     1, 0, 400000, "lan", "0.0.0.0/0", "0.0.0.0/0", "any", "any", "",
     "lacks <enabled>, <action>, <quick>, <direction>, <ipprotocol>, "
     "<protocol>, <source_net>, <destination_net>, which OPNsense always "
     "writes"},
    {"a full 25.7 rule",
     "<enabled>1</enabled><statetype>keep</statetype><state-policy/>"
     "<action>block</action><quick>1</quick><interfacenot>0</interfacenot>"
     "<interface>enc0</interface><direction>in</direction><ipprotocol>inet"
     "</ipprotocol><protocol>any</protocol><icmptype/><source_net>"
     "branch_nets</source_net><source_not>0</source_not><source_port/>"
     "<destination_net>lan</destination_net><destination_not>0"
     "</destination_not><destination_port/><gateway/><replyto/>"
     "<disablereplyto>0</disablereplyto><log>1</log><categories/>",
     ACT_BLOCK, 1, DIR_IN, 1, 0, 400000, "enc0", "10.0.1.0/24, 10.0.11.0/24",
     "10.0.2.0/24", NULL, "any", "", ""},
    {"quick empty is off", "<interface>lan</interface><quick/>", -1, 0, -1, -1,
     -1, 0, NULL, NULL, NULL, NULL, NULL, "", ""},
    {"quick 0, direction out",
     "<interface>lan</interface><quick>0</quick>"
     "<direction>out</direction>",
     -1, 0, DIR_OUT, -1, -1, 0, NULL, NULL, NULL, NULL, NULL, "", ""},
    {"direction any", "<interface>lan</interface><direction>any</direction>",
     -1, -1, DIR_ANY, -1, -1, 0, NULL, NULL, NULL, NULL, NULL, "", ""},
    {"reject", "<interface>lan</interface><action>reject</action>", ACT_REJECT,
     -1, -1, -1, -1, 0, NULL, NULL, NULL, NULL, NULL, "", ""},
    {"inet46 ICMP: icmp for IPv4, ipv6-icmp for IPv6",
     "<interface>lan</interface><ipprotocol>inet46</ipprotocol>"
     "<protocol>ICMP</protocol>",
     -1, -1, -1, 1, 1, 0, NULL, NULL, NULL, NULL, "1,58", "", ""},
    {"empty ipprotocol: no family, both",
     "<interface>lan</interface>"
     "<ipprotocol/>",
     -1, -1, -1, 1, 1, 0, NULL, NULL, NULL, NULL, NULL, "", ""},
    {"TCP/UDP upper case",
     "<interface>lan</interface><protocol>TCP/UDP"
     "</protocol><destination_port>https</destination_port>",
     -1, -1, -1, -1, -1, 0, NULL, NULL, NULL, "443", "6,17", "", ""},
    {"service name of FreeBSD's /etc/services",
     "<interface>lan</interface>"
     "<protocol>TCP</protocol><destination_port>ms-wbt-server"
     "</destination_port>",
     ANYX, 0, NULL, NULL, NULL, "3389", NULL, "", ""},
    {"a service name PortField does not accept",
     "<interface>lan</interface>"
     "<protocol>TCP</protocol><destination_port>www</destination_port>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "is not a port", "'www'"},
    {"port range with a colon",
     "<interface>lan</interface><protocol>TCP"
     "</protocol><destination_port>8000:8080</destination_port>",
     ANYX, 0, NULL, NULL, NULL, "8000-8080", NULL, "", ""},
    {"port range open upwards",
     "<interface>lan</interface><protocol>UDP"
     "</protocol><destination_port>1024-any</destination_port>",
     ANYX, 0, NULL, NULL, NULL, "1024-65535", NULL, "", ""},
    {"port alias",
     "<interface>lan</interface><protocol>TCP</protocol>"
     "<destination_port>web</destination_port>",
     ANYX, 0, NULL, NULL, NULL, "80,443", NULL, "", ""},
    {"floating: two interfaces", "<interface>lan,opt2</interface>", ANYX,
     200000, "lan,opt2", NULL, NULL, NULL, NULL, "", ""},
    {"floating: no interface", "<interface/>", ANYX, 200000, "", NULL, NULL,
     NULL, NULL, "", ""},
    {"floating: interface negated",
     "<interface>lan</interface>"
     "<interfacenot>1</interfacenot>",
     ANYX, 200000, "lan", NULL, NULL, NULL, NULL, "", ""},
    {"group sequence 5: 300005", "<interface>INSIDE</interface>", ANYX, 300005,
     "INSIDE", NULL, NULL, NULL, NULL, "", ""},
    {"openvpn is a group: 300000", "<interface>openvpn</interface>", ANYX,
     300000, "openvpn", NULL, NULL, NULL, NULL, "", ""},
    {"disabled interface: left out", "<interface>opt1</interface>", ANYX,
     400000, "opt1", NULL, NULL, NULL, NULL, "none of its interfaces",
     "interface 'opt1' is not an enabled interface"},
    {"unknown interface: left out, priority 600000",
     "<interface>opt9</interface>", ANYX, 600000, "opt9", NULL, NULL, NULL,
     NULL, "none of its interfaces", "interface 'opt9'"},
    {"one unknown interface of two: the other stays",
     "<interface>lan,opt9</interface>", ANYX, 200000, "lan", NULL, NULL, NULL,
     NULL, "", "this part of the rule out"},
    {"network macros",
     "<interface>lan</interface><source_net>lanip"
     "</source_net><destination_net>__opt2_network</destination_net>",
     ANYX, 0, NULL, "10.0.2.1", "10.0.4.0/24", NULL, NULL, "", ""},
    {"(self)",
     "<interface>lan</interface><destination_net>(self)"
     "</destination_net>",
     ANYX, 0, NULL, NULL, "9.10.11.2, 10.0.2.1, 10.0.3.1, 10.0.4.1", NULL, NULL,
     "", ""},
    {"a list of networks: union",
     "<interface>lan</interface><source_net>"
     "10.0.1.0/24,10.0.5.0/24</source_net>",
     ANYX, 0, NULL, "10.0.1.0/24, 10.0.5.0/24", NULL, NULL, NULL, "", ""},
    {"negated network",
     "<interface>lan</interface><source_net>10.0.1.0/24"
     "</source_net><source_not>1</source_not>",
     ANYX, 0, NULL, "!10.0.1.0/24", NULL, NULL, NULL, "", ""},
    {"negated list: all but the common part",
     "<interface>lan</interface>"
     "<source_net>10.0.0.0/16,10.0.1.0/24,10.0.9.0/24</source_net>"
     "<source_not>1</source_not>",
     ANYX, 0, NULL, "!none", NULL, NULL, NULL, "", "negated list"},
    {"negated any is any",
     "<interface>lan</interface><source_net>any"
     "</source_net><source_not>1</source_not>",
     ANYX, 0, NULL, "0.0.0.0/0", NULL, NULL, NULL, "", ""},
    {"enc0ip is not a macro the generator knows",
     "<interface>lan</interface>"
     "<source_net>enc0ip</source_net>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "no usable source_net",
     "source_net 'enc0ip' is not an address"},
    {"dangling alias: left out",
     "<interface>lan</interface><source_net>"
     "gone_nets,10.0.1.0/24</source_net>",
     ANYX, 0, NULL, "10.0.1.0/24", NULL, NULL, NULL, "",
     "source_net 'gone_nets'"},
    {"runtime table",
     "<interface>lan</interface><source_net>bogons"
     "</source_net>",
     ANYX, 0, NULL, "none", NULL, NULL, NULL, "", ""},
    {"unknown port: left out",
     "<interface>lan</interface><protocol>TCP"
     "</protocol><destination_port>nosuchport</destination_port>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "is not a port", "nosuchport"},
    {"port on protocol any: pfctl refuses",
     "<interface>lan</interface>"
     "<destination_port>443</destination_port>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "refuse",
     "pfctl refuses the whole ruleset"},
    {"unknown action: pfctl refuses",
     "<interface>lan</interface><action>"
     "drop</action>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "action 'drop'",
     "is not pass, block or reject"},
    {"unknown direction",
     "<interface>lan</interface><direction>both"
     "</direction>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "direction",
     "is not in, out or any"},
    {"unknown family",
     "<interface>lan</interface><ipprotocol>ipv4"
     "</ipprotocol>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "ipprotocol",
     "is not inet, inet6 or inet46"},
    {"unknown protocol", "<interface>lan</interface><protocol>FOO</protocol>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "protocol 'FOO'",
     "a protocol of /etc/protocols"},
    {"boolean not 0 or 1", "<interface>lan</interface><quick>yes</quick>", -1,
     1, -1, -1, -1, 0, NULL, NULL, NULL, NULL, NULL, "", "is not 0 or 1"},
    {"gateway on inet46: IPv4 only",
     "<interface>lan</interface><ipprotocol>"
     "inet46</ipprotocol><gateway>WAN_GW</gateway>",
     -1, -1, -1, 1, 0, 0, NULL, NULL, NULL, NULL, NULL, "", ""},
    {"gateway on IPv6 rule: left out",
     "<interface>lan</interface>"
     "<ipprotocol>inet6</ipprotocol><gateway>WAN_GW</gateway>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "other address family", ""},
    {"unknown gateway: kept as written",
     "<interface>lan</interface>"
     "<gateway>GW_GROUP</gateway>",
     ANYX, 0, NULL, NULL, NULL, NULL, NULL, "", "not a single gateway"},
};

static void
test_field(void **state)
{
	const struct fcase *c = *state;
	char rules[4096];
	snprintf(rules, sizeof(rules), R("u1", "10", "r", "%s"), c->fields);
	assert_true(import_rules("1.0.4", rules));
	assert_int_equal(mvc_count(), 1);
	const struct rule *r = mvc(0);
	if (c->action >= 0)
		assert_int_equal(r->action, c->action);
	if (c->quick >= 0)
		assert_int_equal(r->quick, c->quick);
	if (c->dir >= 0)
		assert_int_equal(r->dir, c->dir);
	if (c->v4 >= 0)
		assert_int_equal(r->fam[FAM_V4], c->v4);
	if (c->v6 >= 0)
		assert_int_equal(r->fam[FAM_V6], c->v6);
	if (c->prio)
		assert_int_equal(r->prio, c->prio);
	if (c->ifaces) {
		char *l = arena_strdup(&ar, "");
		for (size_t i = 0; i < r->nifaces; i++)
			l = arena_printf(&ar, "%s%s%s", l, i ? "," : "",
					 r->ifaces[i]);
		assert_string_equal(l, c->ifaces);
	}
	if (c->src)
		assert_string_equal(arena_printf(&ar, "%s%s",
						 r->src.negate ? "!" : "",
						 set_str(&r->src.addrs)),
				    c->src);
	if (c->dst)
		assert_string_equal(set_str(&r->dst.addrs), c->dst);
	if (c->dports)
		assert_string_equal(portset_format(&ar, &r->dst.ports),
				    c->dports);
	if (c->protos) {
		char *l = arena_strdup(&ar, "");
		if (protoset_is_any(&r->protos))
			l = "any";
		else
			for (unsigned p = 0; p < 256; p++)
				if (protoset_has(&r->protos, p))
					l = arena_printf(&ar, "%s%s%u", l,
							 *l ? "," : "", p);
		assert_string_equal(l, c->protos);
	}
	if (*c->not_loaded) {
		assert_non_null(r->not_loaded);
		assert_true(r->disabled);
		if (strstr(r->not_loaded, c->not_loaded) == NULL)
			fail_msg("not_loaded '%s' lacks '%s'", r->not_loaded,
				 c->not_loaded);
	} else {
		assert_null(r->not_loaded);
	}
	if (*c->diag && strstr(errs, c->diag) == NULL)
		fail_msg("stderr lacks '%s': %s", c->diag, errs);
	/* the cases leave fields out on purpose: that warning aside, none */
	for (char *l = errs; !*c->diag && *l;) {
		char *end = strchr(l, '\n');
		if (end)
			*end = '\0';
		if (strstr(l, "warning") && !strstr(l, "which OPNsense always "
						       "writes"))
			fail_msg("unexpected warning: %s", l);
		l = end ? end + 1 : l + strlen(l);
	}
}

/* ---- the order: sortedBy(['sequence']), PHP's natural sort ---- */

static void
test_order(void **state)
{
	(void)state;
	assert_true(import_rules(
	    "1.0.4", R("e0000000-0000-0000-0000-000000000001", "200", "200", "")
	    /* ties break on the uuid, naturally: 9 before 10 */
	    R("10aaaaaa-0000-0000-0000-000000000000", "100", "100 b",
	      "") R("9aaaaaaa-0000-0000-0000-000000000000", "100", "100 a", "")
		R("e0000000-0000-0000-0000-000000000002", "abc", "abc",
		  "") R("e0000000-0000-0000-0000-000000000003", "", "empty", "")
		    R("e0000000-0000-0000-0000-000000000004", "-5", "minus 5",
		      "") R("e0000000-0000-0000-0000-000000000005", "1000000",
			    "big", "")
	    /* a run starting with 0 compares digit by digit: 0042 < 5 */
	    R("e0000000-0000-0000-0000-000000000006", "0042", "0042", "")
		R("e0000000-0000-0000-0000-000000000007", "5", "5", "")));
	static const char *const want[] = {"empty", "minus 5", "0042",
					   "5",	    "100 a",   "100 b",
					   "200",   "big",     "abc"};
	assert_int_equal(mvc_count(), 9);
	for (size_t i = 0; i < 9; i++) {
		if (strcmp(mvc(i)->descr, want[i]) != 0)
			fail_msg("#%zu is '%s', expected '%s'", i,
				 mvc(i)->descr, want[i]);
		assert_int_equal(mvc(i)->position, i + 1);
	}
	/* the Automation rules follow the <filter> ones in site->rules */
	assert_false(site.rules[0].mvc);
	assert_true(site.rules[2].mvc);
	assert_int_equal(mvc(3)->sequence, 5);
	assert_int_equal(mvc(7)->sequence, 0); /* out of range */
	assert_non_null(strstr(errs, "sequence '1000000' is not a number "
				     "from 1 to 999999"));
	assert_non_null(strstr(errs, "sequence 'abc'"));
	assert_non_null(strstr(errs, "after the numbered rules"));
	assert_non_null(strstr(errs, "before every numbered rule"));
	/* diagnostics point at the field: file:line:col (the rules are on
	 * line 4, after the aliases' two-line contents) */
	assert_non_null(strstr(errs, ":4:"));
}

/* The <filter> rules get OPNsense's priorities too. */
static void
test_legacy_prio(void **state)
{
	(void)state;
	assert_true(import_rules("1.0.4", ""));
	assert_int_equal(site.nrules, 2);
	assert_string_equal(site.rules[0].descr, "legacy group");
	assert_int_equal(site.rules[0].prio, 300005);
	assert_int_equal(site.rules[1].prio, 200000);
	/* no Automation rules: no page, no note */
	assert_null(site.automation_page);
	assert_null(strstr(errs, "Automation"));
	/* OPNsense's group members are comma separated */
	assert_int_equal(site.ngroups, 1);
	assert_int_equal(site.groups[0].nmembers, 2);
	assert_string_equal(site.groups[0].members[1], "opt2");
	assert_int_equal(site_iface(&site, "enc0")->role, ROLE_ENC);
}

static void
test_hostile(void **state)
{
	(void)state;
	/* two rules with one uuid, one without, disabled ones, garbage */
	assert_true(import_rules(
	    "1.0.5",
	    R("d0000000-0000-0000-0000-000000000001", "10", "first", "") R(
		"d0000000-0000-0000-0000-000000000001", "20", "second",
		"") "<rule><sequence>30</sequence><description>no uuid"
		    "</description></rule>" R(
			"d0000000-0000-0000-0000-000000000002", "40", "off",
			"<enabled>0</enabled>")
			R("d0000000-0000-0000-0000-000000000003", "50",
			  "off too", "<enabled/>") "<rule "
						   "uuid=\"x\"><garbage><deep/"
						   "></garbage></rule>"));
	assert_int_equal(mvc_count(), 6);
	assert_string_equal(site.automation_page, "Firewall > Rules");
	/* no sequence: the model's default 1, so first */
	assert_null(mvc(0)->descr);
	assert_int_equal(mvc(0)->sequence, 1);
	assert_int_equal(mvc(0)->prio, 200000); /* no interface */
	assert_string_equal(mvc(1)->descr, "first");
	assert_non_null(mvc(1)->not_loaded); /* lost to "second" */
	assert_null(mvc(2)->not_loaded);
	assert_non_null(strstr(errs, "has the uuid of rule 'second'"));
	assert_non_null(strstr(errs, "has no uuid"));
	assert_null(mvc(3)->tracker);
	assert_true(mvc(4)->disabled);
	assert_null(mvc(4)->not_loaded);
	assert_true(mvc(5)->disabled);
}

int
main(void)
{
	struct CMUnitTest t[96];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(fcases) / sizeof(*fcases); i++)
		t[n++] = (struct CMUnitTest){fcases[i].name, test_field, NULL,
					     NULL, (void *)&fcases[i]};
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_order);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_legacy_prio);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_hostile);
	int rc = _cmocka_run_group_tests("opnsense_filter", t, n, NULL, NULL);
	arena_free(&ar);
	return rc;
}
