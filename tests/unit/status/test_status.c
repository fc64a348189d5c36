/* Readers of the pfSense status archive's members, each format in its
 * version variants (doc/behaviour/status-archive.md §2, §3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "import/linux/linux.h"
#include "import/status/st_readers.h"

#define RD(fn, text) fn(&ar, &b, "m.txt", text, strlen(text))

static struct arena ar;
static struct boxstate b;

static int
setup(void **st)
{
	(void)st;
	arena_init(&ar);
	memset(&b, 0, sizeof(b));
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	arena_free(&ar);
	return 0;
}

static const char *
ip(const struct ipaddr *a)
{
	return ipaddr_str(&ar, a);
}

/* FreeBSD 11/12 (pfSense 2.4 - 2.6): "Use"; Netgate docs sample. */
static void
netstat_use(void **st)
{
	(void)st;
	size_t n = RD(st_read_netstat,
		      "Routing tables\n\nInternet:\n"
		      "Destination        Gateway            Flags       Use   "
		      " Mtu      Netif Expire\n"
		      "default            198.51.100.1       UGS        1822   "
		      "1500       igb1\n"
		      "10.2.0.0/24        link#2             U             0   "
		      "1500       igb0\n"
		      "198.51.100.1       00:08:a2:09:95:b6  UHS        2789   "
		      "1500       igb1     1187\n"
		      "\nInternet6:\n"
		      "Destination                       Gateway               "
		      "        Flags     Use     Mtu    Netif Expire\n"
		      "::1                               link#5                "
		      "        UH          0   16384      lo0\n"
		      "fe80::%lo0/64                     link#5                "
		      "        U           0   16384      lo0\n");
	assert_int_equal(n, 5);
	assert_true(b.routes[0].is_default && b.routes[0].has_via);
	assert_string_equal(ip(&b.routes[0].via), "198.51.100.1");
	assert_string_equal(b.routes[0].netif, "igb1");
	assert_int_equal(b.routes[1].net.len, 24);
	assert_false(b.routes[1].has_via); /* link#2 */
	assert_false(b.routes[2].has_via); /* a MAC */
	assert_int_equal(b.routes[2].net.len, 32);
	assert_int_equal(b.routes[4].net.len, 64);
	assert_int_equal(b.routes[4].mtu, 16384);
	assert_string_equal(b.routes[0].loc.file, "m.txt");
	assert_int_equal(b.routes[0].loc.line, 5);
}

/* FreeBSD 13+ (pfSense 2.7, 2.8): "Nhop#", with stderr noise first. */
static void
netstat_nhop(void **st)
{
	(void)st;
	size_t n =
	    RD(st_read_netstat,
	       "netstat: kvm not available\nRouting tables\n\nInternet:\n"
	       "Destination        Gateway            Flags     Nhop#    Mtu   "
	       "   Netif Expire\n"
	       "default            192.168.0.1        UGS           5   1500   "
	       "  vtnet0\n"
	       "203.0.113.9        198.51.100.1       UGHS          7   1492   "
	       " pppoe0\n");
	assert_int_equal(n, 2);
	assert_int_equal(b.routes[1].mtu, 1492);
	assert_string_equal(b.routes[1].flags, "UGHS");
	assert_true(b.has_routes);
}

/* netstat -r without -W/-n (jc's FreeBSD 12 fixture): no Use/Mtu column,
 * names instead of addresses (those rows are passed over). */
static void
netstat_plain(void **st)
{
	(void)st;
	size_t n =
	    RD(st_read_netstat,
	       "Routing tables\n\nInternet:\n"
	       "Destination        Gateway            Flags     Netif Expire\n"
	       "default            192.168.71.2       UGS         em0\n"
	       "localhost          link#2             UH          lo0\n"
	       "192.168.71.0/24    link#1             U           em0\n"
	       "\nInternet6:\n"
	       "Destination        Gateway            Flags     Netif Expire\n"
	       "fe80::%em0/64      link#1             U           em0\n");
	assert_int_equal(n, 3);
	assert_string_equal(b.routes[0].netif, "em0");
	assert_int_equal(b.routes[0].mtu, 0);
	assert_string_equal(b.routes[1].flags, "U");
	assert_int_equal(b.routes[2].net.len, 64);
}

static void
netstat_garbage(void **st)
{
	(void)st;
	assert_int_equal(RD(st_read_netstat, "sh: netstat: not found\n"), 0);
	assert_false(b.has_routes);
	/* rows before any header are not routes */
	assert_int_equal(
	    RD(st_read_netstat, "default 1.2.3.4 UGS 1 1500 em0\n"), 0);
}

/* 2.4.5+ ifconfig -vvvvvam: capabilities, CARP, VTI with reqid. */
static void
ifconfig_full(void **st)
{
	(void)st;
	size_t n = RD(
	    st_read_ifconfig,
	    "igb0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 "
	    "mtu 1500\n"
	    "\toptions=e527bb<RXCSUM,TXCSUM>\n\tcapabilities=f53fbb<RXCSUM>\n"
	    "\tether 00:08:a2:09:95:b5\n"
	    "\tinet 198.51.100.2 netmask 0xffffff00 broadcast 198.51.100.255\n"
	    "\tinet 198.51.100.5 netmask 0xffffffff broadcast 198.51.100.5 "
	    "vhid 1\n"
	    "\tinet 198.51.100.6 netmask 0xffffffff broadcast 198.51.100.6 "
	    "vhid 2\n"
	    "\tcarp: MASTER vhid 1 advbase 1 advskew 0\n"
	    "\tcarp: BACKUP vhid 2 advbase 1 advskew 100\n"
	    "\tstatus: active\n"
	    "enc0: flags=41<UP,RUNNING> metric 0 mtu 1536\n\tgroups: enc\n"
	    "ipsec1: flags=8051<UP,POINTOPOINT,RUNNING,MULTICAST> metric 0 mtu "
	    "1400\n"
	    "\ttunnel inet 198.51.100.2 --> 203.0.113.9\n"
	    "\tinet 10.6.106.1 --> 10.6.106.2 netmask 0xfffffffc\n"
	    "\tgroups: ipsec\n\treqid: 5001\n"
	    "igb2: flags=8802<BROADCAST,SIMPLEX,MULTICAST> metric 0 mtu 9000\n"
	    "\tstatus: no carrier\n");
	assert_int_equal(n, 4);
	assert_int_equal(b.ifs[0].mtu, 1500);
	assert_int_equal(b.ifs[0].naddrs, 3);
	assert_int_equal(b.ifs[0].addrs[0].plen, 24);
	assert_int_equal(b.ncarp, 2);
	assert_string_equal(ip(&b.carp[0].addr), "198.51.100.5");
	assert_string_equal(b.carp[0].state, "MASTER");
	assert_string_equal(b.carp[1].state, "BACKUP");
	assert_string_equal(b.carp[1].ifname, "igb0");
	/* the carp: line's skew (254: maintenance mode, ha.md §3) and
	 * where it is */
	assert_true(b.carp[0].has_advskew);
	assert_int_equal(b.carp[0].advskew, 0);
	assert_int_equal(b.carp[1].advskew, 100);
	assert_int_equal(b.carp[1].state_loc.line,
			 b.carp[0].state_loc.line + 1);
	assert_int_equal(b.ifs[1].mtu, 1536);
	assert_string_equal(b.ifs[2].name, "ipsec1");
	assert_int_equal(b.ifs[2].reqid, 5001);
	assert_true(b.ifs[2].has_tunnel);
	assert_string_equal(ip(&b.ifs[2].tun_dst), "203.0.113.9");
	assert_int_equal(b.ifs[2].addrs[0].plen, 30);
	assert_false(b.ifs[3].up);
	assert_true(b.ifs[3].no_carrier);
}

/* 2.3 ifconfig -a / 2.4.4 -va: no capabilities, trailing blanks gone;
 * inet6 with prefixlen. */
static void
ifconfig_old(void **st)
{
	(void)st;
	size_t n =
	    RD(st_read_ifconfig,
	       "em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric "
	       "0 mtu 1500\n"
	       "\tinet6 fe80::1%em0 prefixlen 64 scopeid 0x1\n"
	       "\tinet 10.0.0.1 netmask 0xff000000 broadcast 10.255.255.255\n");
	assert_int_equal(n, 1);
	assert_int_equal(b.ifs[0].naddrs, 2);
	assert_int_equal(b.ifs[0].addrs[0].plen, 64);
	assert_int_equal(b.ifs[0].addrs[1].plen, 8);
	assert_int_equal(b.ncarp, 0);
}

/* FreeBSD 12 lines (jc fixtures) and an incomplete entry. */
static void
arp_lines(void **st)
{
	(void)st;
	size_t n =
	    RD(st_read_arp,
	       "? (192.168.71.163) at 00:0c:29:1a:4e:3b on em0 permanent "
	       "[ethernet]\n"
	       "? (192.168.71.2) at 00:50:56:f7:4a:fc on em0 expires in 942 "
	       "seconds [ethernet]\n"
	       "? (10.0.1.50) at (incomplete) on em1 expired [ethernet]\n"
	       "arp: garbage\n");
	assert_int_equal(n, 3);
	assert_true(b.neigh[0].permanent);
	assert_false(b.neigh[1].permanent || b.neigh[1].incomplete);
	assert_true(b.neigh[2].incomplete);
	assert_string_equal(b.neigh[2].ifname, "em1");
	assert_int_equal(b.neigh[2].loc.line, 3);
}

static void
ndp_lines(void **st)
{
	(void)st;
	size_t n = RD(st_read_ndp, "Neighbor                             "
				   "Linklayer Address  Netif Expire    1s 5s\n"
				   "fe80::20c:29ff:fe00:1%em0            "
				   "00:0c:29:00:00:01    em0 permanent R\n"
				   "2001:db8::5                          "
				   "(incomplete)         em1 4s        I\n");
	assert_int_equal(n, 2);
	assert_true(b.neigh[0].permanent);
	assert_true(b.neigh[1].incomplete);
	assert_string_equal(ip(&b.neigh[1].addr), "2001:db8::5");
}

/* setkey -DP: tunnel policies with unique reqid, the LAN bypass, a VTI
 * policy (scope=ifnet), IPv6 outer addresses, host selectors. */
static void
spd_entries(void **st)
{
	(void)st;
	size_t n = RD(
	    st_read_spd,
	    "10.0.1.0/24[any] 10.0.1.0/24[any] any\n\tin none\n"
	    "\tspid=1 seq=3 pid=42 scope=global \n\trefcnt=1\n"
	    "10.0.1.0/24[any] 10.0.2.0/24[any] any\n\tout ipsec\n"
	    "\tesp/tunnel/198.51.100.2-203.0.113.9/unique:5\n"
	    "\tcreated: Jan  1 00:00:00 2027  lastused:                     \n"
	    "\tlifetime: 0(s) validtime: 0(s)\n\tspid=10 seq=2 pid=42 "
	    "scope=global \n\trefcnt=1\n"
	    "0.0.0.0/0[any] 0.0.0.0/0[any] any\n\tout ipsec\n"
	    "\tesp/tunnel/198.51.100.2-203.0.113.9/unique:5001\n"
	    "\tspid=12 seq=1 pid=42 scope=ifnet ifname=ipsec1\n"
	    "10.0.1.5[any] 2001:db8:2::/64[any] any\n\tfwd ipsec\n"
	    "\tesp/tunnel/2001:db8::1-2001:db8::2/require\n");
	assert_int_equal(n, 4);
	assert_int_equal(b.spd[0].dir, BSPD_IN);
	assert_string_equal(b.spd[0].action, "none");
	assert_int_equal(b.spd[1].dir, BSPD_OUT);
	assert_int_equal(b.spd[1].reqid, 5);
	assert_true(b.spd[1].has_outer);
	assert_string_equal(ip(&b.spd[1].outer_dst), "203.0.113.9");
	assert_int_equal(b.spd[2].reqid, 5001);
	assert_string_equal(b.spd[2].ifname, "ipsec1");
	assert_int_equal(b.spd[3].src.len, 32);
	assert_int_equal(b.spd[3].reqid, 0);
	assert_string_equal(ip(&b.spd[3].outer_src), "2001:db8::1");
	assert_int_equal(b.spd[1].loc.line, 5);
}

static void
spd_empty(void **st)
{
	(void)st;
	assert_int_equal(RD(st_read_spd, "No SPD entries.\n"), 0);
	assert_true(b.has_spd);
}

static void
errors_file(void **st)
{
	(void)st;
	size_t n = RD(st_read_errors,
		      "Errors: 2\nNetwork-NDP Table: command failed\n"
		      "Log-OpenVPN: log file missing\n"
		      "Some errors are normal if a feature is not enabled.\n");
	assert_int_equal(n, 2);
	assert_string_equal(b.errors[1].text, "Log-OpenVPN: log file missing");
	assert_int_equal(b.errors[0].loc.line, 2);
}

static void
product_versions(void **st)
{
	(void)st;
	const char *ce = "Product Name: pfSense\nPlatform: pfSense\n"
			 "pfSense version: 2.7.2-RELEASE\nBuilt On: x\n";
	const char *plus = "pfSense Plus version: 23.09.1-RELEASE\n";
	assert_string_equal(st_read_product(&ar, ce, strlen(ce)),
			    "2.7.2-RELEASE");
	assert_string_equal(st_read_product(&ar, plus, strlen(plus)),
			    "23.09.1-RELEASE");
	assert_null(st_read_product(&ar, "cat: x: No such file\n", 21));
}

/* The SAD's key lines are blanked in place, line numbers kept. */
static void
sad_keys_scrubbed(void **st)
{
	(void)st;
	char buf[] = "1.2.3.4 5.6.7.8\n"
		     "\tesp mode=tunnel spi=1(0x00000001) reqid=1(0x00000001)\n"
		     "\tE: aes-cbc  deadbeef 0badc0de\n"
		     "\tA: hmac-sha2-256  feedface cafef00d\n"
		     "\tcurrent: 10(bytes)\n";
	size_t len = strlen(buf);
	assert_int_equal(sa_scrub_keys(buf, len), 2);
	assert_int_equal(strlen(buf), len);
	assert_null(strstr(buf, "deadbeef"));
	assert_null(strstr(buf, "cafef00d"));
	assert_null(strstr(buf, "E:"));
	assert_non_null(strstr(buf, "spi=1"));
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert_int_equal(lines, 5);
}

/* setkey -D with NAT-T headers: both directions paired into one SA
 * with both counters; keys never reach the model. */
static void
sad_natt_paired(void **st)
{
	(void)st;
	struct site s = {.name = "x"};
	struct iface *f = ARENA_PUSH(&ar, s.ifaces, s.nifaces, s.cifaces);
	f->key = "wan";
	struct ifaddr *a = ARENA_PUSH(&ar, f->addrs, f->naddrs, f->caddrs);
	ipaddr_parse(str_from("198.51.100.2"), &a->addr);
	a->plen = 24;
	char buf[] =
	    "198.51.100.2[4500] 203.0.113.9[4500]\n"
	    "\tesp-udp mode=tunnel spi=3(0xc0000003) reqid=7(0x00000007)\n"
	    "\tE: aes-cbc  5ec7e7aa\n\tcurrent: 840(bytes)\thard: 0(bytes)\n"
	    "\tallocated: 10\thard: 0\n"
	    "203.0.113.9[4500] 198.51.100.2[4500]\n"
	    "\tesp-udp mode=tunnel spi=4(0xc0000004) reqid=7(0x00000007)\n"
	    "\tA: hmac-sha1  5ec7e7bb\n\tcurrent: 0(bytes)\thard: 0(bytes)\n"
	    "\tallocated: 0\thard: 0\n";
	struct input_file in = {.path = "sad.txt"};
	assert_true(status_sa_import_text(&ar, &in, &s, buf, strlen(buf)));
	assert_int_equal(s.ev.nobs, 1);
	const struct observation *o = &s.ev.obs[0];
	assert_int_equal(o->spi_out, 0xc0000003);
	assert_int_equal(o->value, 0xc0000004);
	assert_int_equal(o->count, 10);
	assert_int_equal(o->count_rev, 0); /* one way: nothing came back */
	assert_null(strstr(buf, "5ec7e7"));
}

/* pfctl -vvsr: "tracker" (2.4/2.5), "ridentifier" (2.6+), label id:N
 * (2.7) and id=N (master), counters, anchors without identity. */
static void
pfrules_versions(void **st)
{
	(void)st;
	size_t n = RD(st_read_pfrules,
		      "No ALTQ support in kernel\n"
		      "@0(0) scrub in all fragment reassemble\n"
		      "  [ Evaluations: 2         Packets: 0         Bytes: 0  "
		      "         States: 0     ]\n"
		      "  [ Inserted: uid 0 pid 1022 State Creations: 0     ]\n"
		      "@1(0) block drop in log inet all label \"Default deny "
		      "rule IPv4\" ridentifier 1000000103\n"
		      "  [ Evaluations: 812       Packets: 44        Bytes: "
		      "3520        States: 0     ]\n"
		      "@2(0) anchor \"ipsec/*\" all\n"
		      "@3(0) pass in quick on em1 inet all flags S/SA keep "
		      "state label \"USER_RULE: lan\" tracker 100000101\n"
		      "@4(0) pass in quick on enc0 inet all keep state label "
		      "\"USER_RULE: x\" label \"id:1700000001\"\n"
		      "@5(0) pass in quick on enc0 inet all keep state label "
		      "\"id=1700000002\" label \"tags=user_rule\"\n"
		      "@112 block return in log quick on em1 from any to "
		      "<pfB_PRI1:160323> label \"USER_RULE: pfB\"\n");
	assert_int_equal(n, 7);
	assert_true(b.has_rules);
	assert_true(b.rules[0].has_counters);
	assert_false(b.rules[0].has_tracker);
	assert_int_equal(b.rules[1].tracker, 1000000103);
	assert_int_equal(b.rules[1].packets, 44);
	assert_int_equal(b.rules[1].evals, 812);
	assert_string_equal(b.rules[1].action, "block");
	assert_false(b.rules[2].has_tracker);
	assert_int_equal(b.rules[3].tracker, 100000101);
	assert_string_equal(b.rules[3].iface, "em1");
	assert_int_equal(b.rules[4].tracker, 1700000001);
	assert_int_equal(b.rules[5].tracker, 1700000002);
	assert_int_equal(b.rules[6].nr, 112);
	assert_false(b.rules[6].has_tracker);
	assert_int_equal(b.rules[1].loc.line, 5);
}

/* pfctl -vvss: "->" opened here, "<-" opened by the right side; IPv4
 * addr:port, IPv6 addr[port], ESP without ports; stderr noise first. */
static void
pfstates_sides(void **st)
{
	(void)st;
	size_t n =
	    RD(st_read_pfstates,
	       "No ALTQ support in kernel\n"
	       "all tcp 10.0.2.4:61856 (172.16.1.10:35802) -> 192.168.0.5:22   "
	       "    ESTABLISHED:ESTABLISHED\n"
	       "   [1234 + 65535] wscale 7  [5678 + 65535] wscale 7\n"
	       "   age 00:01:02, expires in 23:59:58, 120:98 pkts, 9000:12000 "
	       "bytes, rule 7\n"
	       "   id: 6571a8c400000001 creatorid: 1a2b3c4d\n"
	       "all icmp 10.0.1.10:9 <- 10.0.2.10:9       0:0\n"
	       "   age 00:00:12, expires in 00:00:08, 5:0 pkts, 420:0 bytes, "
	       "rule 12\n"
	       "vtnet0 esp 10.21.7.102 -> 10.21.7.100       MULTIPLE:MULTIPLE\n"
	       "   age 12:45:07, expires in 00:00:44, 8484:8484 pkts, "
	       "1187760:1187760 bytes, rule 93, allow-opts\n"
	       "igb1 udp 2001:db8::1[53] <- 2001:db8::2[41000]       "
	       "MULTIPLE:SINGLE\n");
	assert_int_equal(n, 4);
	assert_true(b.states[0].outbound);
	assert_string_equal(ip(&b.states[0].a), "10.0.2.4");
	assert_int_equal(b.states[0].bport, 22);
	assert_int_equal(b.states[0].pkts_ab, 120);
	assert_int_equal(b.states[0].pkts_ba, 98);
	assert_int_equal(b.states[0].rule, 7);
	assert_false(b.states[1].outbound);
	assert_string_equal(ip(&b.states[1].a), "10.0.2.10"); /* opened it */
	assert_string_equal(ip(&b.states[1].b), "10.0.1.10");
	assert_int_equal(b.states[1].pkts_ba, 0);
	assert_string_equal(b.states[2].proto, "esp");
	assert_string_equal(b.states[2].ifname, "vtnet0");
	assert_int_equal(b.states[2].aport, 0);
	assert_int_equal(b.states[2].rule, 93);
	assert_string_equal(ip(&b.states[3].a), "2001:db8::2");
	assert_int_equal(b.states[3].aport, 41000);
	assert_int_equal(b.states[3].bport, 53);
	assert_false(b.states[3].has_pkts);
	assert_int_equal(b.states[1].loc.line, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(netstat_use, setup, teardown),
	    cmocka_unit_test_setup_teardown(netstat_nhop, setup, teardown),
	    cmocka_unit_test_setup_teardown(netstat_plain, setup, teardown),
	    cmocka_unit_test_setup_teardown(netstat_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(ifconfig_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(ifconfig_old, setup, teardown),
	    cmocka_unit_test_setup_teardown(arp_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(ndp_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(spd_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(spd_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(errors_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(product_versions, setup, teardown),
	    cmocka_unit_test_setup_teardown(sad_keys_scrubbed, setup, teardown),
	    cmocka_unit_test_setup_teardown(sad_natt_paired, setup, teardown),
	    cmocka_unit_test_setup_teardown(pfrules_versions, setup, teardown),
	    cmocka_unit_test_setup_teardown(pfstates_sides, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
