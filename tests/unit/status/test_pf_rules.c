/* The pf syntax of /tmp/rules.debug and pfctl -vvsr (import/pf/) and the
 * running ruleset the engine builds and evaluates from it
 * (doc/behaviour/rules-debug.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/ruleset.h"
#include "import/pf/pf.h"

static struct arena ar;
static struct site s;
static struct iface ifs[3];

static int
setup(void **st)
{
	(void)st;
	arena_init(&ar);
	memset(&s, 0, sizeof(s));
	ifs[0] = (struct iface){.key = "wan", .dev = "em0", .role = ROLE_WAN};
	ifs[1] = (struct iface){.key = "lan", .dev = "em1", .role = ROLE_LAN};
	ifs[2] = (struct iface){.key = "enc0", .dev = "enc0", .role = ROLE_ENC};
	struct ifaddr *a = arena_alloc(&ar, 2 * sizeof(*a));
	ipaddr_parse(str_from("5.6.7.1"), &a[0].addr);
	a[0].plen = 24;
	ipaddr_parse(str_from("10.0.1.1"), &a[1].addr);
	a[1].plen = 24;
	ifs[0].addrs = &a[0], ifs[0].naddrs = 1;
	ifs[1].addrs = &a[1], ifs[1].naddrs = 1;
	s.name = "A";
	s.kind = SITE_PFSENSE;
	s.ifaces = ifs;
	s.nifaces = 3;
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	arena_free(&ar);
	return 0;
}

static struct packet
pkt(const char *src, const char *dst, unsigned proto, unsigned dport)
{
	struct packet p = {.proto = (uint8_t)proto,
			   .sport = 40000,
			   .dport = (uint16_t)dport,
			   .icmp_type = 8};
	ipaddr_parse(str_from(src), &p.src);
	ipaddr_parse(str_from(dst), &p.dst);
	return p;
}

static const char *const rules_272 =
    "#System aliases\n"
    "WAN = \"{ em0 }\"\n"
    "LAN = \"{ em1 }\"\n"
    "IPsec = \"{ enc0 }\"\n"
    "table <bogons> persist file \"/etc/bogons\"\n"
    "table <sshguard> persist\n"
    "table <LAN__NETWORK> persist { 10.0.1.0/24 }\n"
    "LAN__NETWORK = \"<LAN__NETWORK>\"\n"
    "Web = \"{ 80 443 8000:8080 }\"\n"
    "GWWANGW = \" route-to ( em0 5.6.7.254 ) \"\n"
    "scrub from any to <vpn_networks> max-mss 1350 fragment no "
    "reassemble\n"
    "binat on enc0 from 10.0.1.0/24 to 10.0.2.0/24 -> 192.168.99.0/24\n"
    "anchor \"ipsec/*\"\n"
    "block in log inet all ridentifier 1000000103 label \"Default deny "
    "rule IPv4\"\n"
    "block in log quick on $WAN from <bogons> to any ridentifier 11001\n"
    "pass out inet all ridentifier 1000005000 keep state allow-opts\n"
    "# rule old disabled\n"
    "pass in quick on $LAN $GWWANGW inet from $LAN__NETWORK to any \\\n"
    "  ridentifier 1700000002 keep state label \"USER_RULE: out via WAN\" "
    "label \"id:1700000002\" label \"gw:WANGW\"\n"
    "pass in quick on $IPsec inet proto tcp from 10.0.2.0/24 to "
    "$LAN__NETWORK port $Web ridentifier 1700000001 keep state label "
    "\"USER_RULE: web from B\"\n"
    "block in quick on $IPsec inet from ! 10.0.2.0/24 to any label "
    "\"id=1700000003\" label \"descr=not B\"\n"
    "pass in on $WAN reply-to ( em0 5.6.7.254 ) proto udp from 9.10.11.2 "
    "to (self) port = 500 ridentifier 1000102012 keep state label "
    "\"IPsec: B - inbound isakmp\"\n";

/* macros, tables, continuation, labels of 2.7 and master, the parts
 * that are not filter rules passed over */
static void
rules_debug_parsed(void **st)
{
	(void)st;
	struct boxstate *b = &s.ev.box;
	size_t n =
	    pf_read_rules_debug(&ar, b, "rd", rules_272, strlen(rules_272));
	assert_null(b->rd_why_not);
	assert_int_equal(n, 7);
	const struct rule *r = &b->rd_rules[3];
	assert_int_equal(r->origin, ORIGIN_RUNNING);
	assert_true(r->quick);
	assert_int_equal(r->dir, DIR_IN);
	assert_string_equal(r->ifaces[0], "em1");
	assert_string_equal(r->tracker, "1700000002");
	assert_string_equal(r->descr, "out via WAN");
	assert_non_null(r->gateway);
	assert_int_equal(r->loc.line, 18);
	assert_string_equal(b->rd_rules[4].descr, "web from B");
	assert_string_equal(b->rd_rules[5].tracker, "1700000003");
	assert_string_equal(b->rd_rules[5].descr, "not B");
	assert_true(b->rd_rules[5].src.negate);
	/* tables: written (known), from a file or a daemon (not known) */
	assert_int_equal(b->ntables, 3);
	assert_false(b->tables[0].known);
	assert_false(b->tables[1].known);
	assert_true(b->tables[2].known);
}

/* the engine evaluates it: quick first match, else the last match;
 * ports from a macro list; (self); negation */
static void
running_evaluated(void **st)
{
	(void)st;
	pf_read_rules_debug(&ar, &s.ev.box, "rd", rules_272, strlen(rules_272));
	struct ruleset enc = ruleset_running(&ar, &s, "enc0", false);
	assert_true(enc.running);
	struct packet p = pkt("10.0.2.10", "10.0.1.10", PROTO_TCP, 8080);
	struct verdict v = ruleset_eval(&enc, &p);
	assert_true(v.pass);
	assert_string_equal(v.rule->tracker, "1700000001");
	p.dport = 22; /* no pass rule: the default deny */
	v = ruleset_eval(&enc, &p);
	assert_false(v.pass);
	assert_string_equal(v.rule->tracker, "1000000103");
	p = pkt("10.0.3.10", "10.0.1.10", PROTO_TCP, 443);
	v = ruleset_eval(&enc, &p);
	assert_false(v.pass);
	assert_string_equal(v.rule->tracker, "1700000003");
	struct ruleset wan = ruleset_running(&ar, &s, "wan", false);
	p = pkt("9.10.11.2", "5.6.7.1", PROTO_UDP, 500);
	v = ruleset_eval(&wan, &p);
	assert_true(v.pass); /* (self) holds the WAN address */
	p = pkt("9.10.11.2", "5.6.7.1", PROTO_UDP, 4500);
	assert_false(ruleset_eval(&wan, &p).pass);
	/* /etc/bogons: the engine's list, so a bogon peer is blocked */
	p = pkt("198.51.100.7", "5.6.7.1", PROTO_UDP, 500);
	v = ruleset_eval(&wan, &p);
	assert_false(v.pass);
	assert_string_equal(v.rule->tracker, "11001");
}

static const char *const pfctl_out =
    "No ALTQ support in kernel\n"
    "@0(0) scrub in all fragment reassemble\n"
    "  [ Evaluations: 10        Packets: 0         Bytes: 0           "
    "States: 0     ]\n"
    "@1(0) block drop in log inet all label \"Default deny rule IPv4\" "
    "tracker 1000000103\n"
    "  [ Evaluations: 2000      Packets: 77        Bytes: 6468        "
    "States: 0     ]\n"
    "  [ Inserted: uid 0 pid 4242 State Creations: 0     ]\n"
    "@2 pass in quick on enc0 inet from 10.0.2.0/24 to <LAN__NETWORK:1> "
    "flags S/SA keep state label \"USER_RULE: B\" ridentifier 1700000001\n"
    "  [ Evaluations: 12        Packets: 0         Bytes: 0           "
    "States: 0     ]\n"
    "@3(0) pass in on em0 proto udp from (em1:network:1) to (self:3) port "
    "= isakmp keep state label \"IPsec: B - inbound isakmp\"\n";

/* pfctl -vvsr: @nr with and without (cuid), counters, <table:count> */
static void
pfctl_parsed(void **st)
{
	(void)st;
	struct boxstate *b = &s.ev.box;
	size_t n =
	    pf_read_pfctl_rules(&ar, b, "ld", pfctl_out, strlen(pfctl_out));
	assert_null(b->ld_why_not);
	assert_int_equal(n, 3);
	assert_int_equal(b->ld_rules[0].pf_nr, 1);
	assert_true(b->ld_rules[0].has_evals);
	assert_int_equal(b->ld_rules[0].packets, 77);
	assert_string_equal(b->ld_rules[0].tracker, "1000000103");
	assert_int_equal(b->ld_rules[1].pf_nr, 2);
	assert_int_equal(b->ld_rules[1].evals, 12);
	assert_string_equal(b->ld_rules[1].dst.refs[0], "<LAN__NETWORK>");
	assert_string_equal(b->ld_rules[2].dst.refs[0], "self");
	assert_string_equal(b->ld_rules[2].src.refs[0], "(em1:network)");
	assert_string_equal(ruleset_running_file(&s), "ld");
}

/* hostile lines: a diagnostic and the ruleset not used, never a crash */
static void
hostile(void **st)
{
	(void)st;
	static const char *const bad[] = {
	    "pass in label \"open\n",
	    "A = \"$A\"\npass in on $A\n",
	    "pass in on em0 frobnicate\n",
	    "pass in from 10.0.0.0/33\n",
	    "pass in proto 999\n",
	    "table <x { 1.2.3.4 }\n",
	    "pass in port\n",
	    "pass in quick on { em0\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct boxstate b = {0};
		pf_read_rules_debug(&ar, &b, "x", bad[i], strlen(bad[i]));
		assert_non_null(b.rd_why_not);
	}
	s.ev.box = (struct boxstate){0};
	pf_read_rules_debug(&ar, &s.ev.box, "x", bad[2], strlen(bad[2]));
	assert_null(ruleset_running_file(&s));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(rules_debug_parsed, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(running_evaluated, setup, teardown),
	    cmocka_unit_test_setup_teardown(pfctl_parsed, setup, teardown),
	    cmocka_unit_test_setup_teardown(hostile, setup, teardown),
	};
	diag_set_quiet(true);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
