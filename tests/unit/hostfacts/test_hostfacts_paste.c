/* Host facts pasted as the commands print them: each parser on real
 * shapes, and on hostile input (truncated, binary, huge lines, noise). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/hosts/hostfacts_paste.h"
#include "import/load.h"

static struct arena ar;
static struct site site;
static struct input_file in = {.path = "paste.txt"};

static bool
read_paste(const char *text)
{
	arena_free(&ar);
	arena_init(&ar);
	memset(&site, 0, sizeof(site));
	char *copy = arena_strdup(&ar, text);
	return hostfacts_paste_read(&ar, &in, &site, copy, strlen(copy));
}

static const struct host *
host(const char *addr)
{
	struct ipaddr a;
	assert_true(ipaddr_parse(str_from(addr), &a));
	return site_host(&site, &a);
}

static void
assert_gw(const struct host *h, const char *gw)
{
	assert_non_null(h);
	assert_true(h->has_gateway);
	assert_false(h->gw_unknown);
	assert_string_equal(ipaddr_str(&ar, &h->gateway), gw);
}

static const char ipconfig[] =
    "\r\nWindows IP Configuration\r\n\r\n"
    "   Host Name . . . . . . . . . . . . : PC7\r\n\r\n"
    "Ethernet adapter Ethernet 2:\r\n\r\n"
    "   Connection-specific DNS Suffix  . : corp.example\r\n"
    "   Link-local IPv6 Address . . . . . : fe80::1%12(Preferred)\r\n"
    "   IPv4 Address. . . . . . . . . . . : 10.0.1.10(Preferred)\r\n"
    "   Subnet Mask . . . . . . . . . . . : 255.255.255.0\r\n"
    "   Default Gateway . . . . . . . . . : fe80::1%12\r\n"
    "                                       10.0.1.1\r\n";

static void
test_ipconfig_crlf_leaders(void **state)
{
	(void)state;
	assert_true(hostfacts_paste_recognize((const unsigned char *)ipconfig,
					      strlen(ipconfig)));
	assert_true(read_paste(ipconfig));
	assert_int_equal(site.nhosts, 1);
	const struct host *h = host("10.0.1.10");
	assert_non_null(h);
	assert_int_equal(h->plen, 24);
	assert_true(h->pasted);
	assert_string_equal(h->name, "PC7");
	assert_int_equal(h->loc.line, 10);
	assert_int_equal(h->loc.col, 40);
	assert_int_equal(h->mask_loc.line, 11);
	assert_gw(h, "10.0.1.1");
	assert_int_equal(h->gw_loc.line, 13); /* the continuation line */
}

static void
test_ipconfig_no_gateway_xp(void **state)
{
	(void)state;
	assert_true(
	    read_paste("Windows IP Configuration\n"
		       "Ethernet adapter Local Area Connection:\n"
		       "        IP Address. . . . . . . . . . . . : 10.0.1.20\n"
		       "        Subnet Mask . . . . . . . . . . . : 255.0.0.0\n"
		       "        Default Gateway . . . . . . . . . :\n"));
	const struct host *h = host("10.0.1.20");
	assert_non_null(h);
	assert_int_equal(h->plen, 8);
	assert_false(h->has_gateway);
	assert_false(h->gw_unknown); /* an empty gateway is a fact */
	assert_int_equal(h->gw_loc.line, 5);
}

static void
test_route_print_alone(void **state)
{
	(void)state;
	assert_true(read_paste("IPv4 Route Table\n"
			       "==============================================="
			       "============================\n"
			       "Active Routes:\n"
			       "Network Destination        Netmask          "
			       "Gateway       Interface  Metric\n"
			       "          0.0.0.0          0.0.0.0     "
			       "10.0.1.254       10.0.1.10     25\n"
			       "         10.0.1.0    255.255.255.0         "
			       "On-link       10.0.1.10    281\n"
			       "        10.0.1.10  255.255.255.255         "
			       "On-link       10.0.1.10    281\n"
			       "       172.16.0.0      255.240.0.0       "
			       "10.0.1.1       10.0.1.10     26\n"
			       "        127.0.0.0        255.0.0.0         "
			       "On-link         127.0.0.1    331\n"
			       "==============================================="
			       "============================\n"
			       "Persistent Routes:\n"
			       "  None\n"));
	const struct host *h = host("10.0.1.10");
	assert_non_null(h);
	assert_int_equal(h->plen, 24);
	assert_int_equal(h->mask_loc.line, 6);
	assert_gw(h, "10.0.1.254");
	assert_int_equal(h->gw_loc.line, 5);
	assert_int_equal(h->nroutes, 1);
	assert_string_equal(prefix_str(&ar, &h->routes[0].net),
			    "172.16.0.0/12");
	assert_null(host("127.0.0.1"));
}

static void
test_ip_addr_route_text_two_hosts(void **state)
{
	(void)state;
	assert_true(read_paste(
	    "== web1 ==\n"
	    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"
	    "    inet 127.0.0.1/8 scope host lo\n"
	    "2: eth0@if9: <BROADCAST,UP,LOWER_UP> mtu 1500\n"
	    "    inet 10.0.2.10/16 brd 10.0.255.255 scope global eth0\n"
	    "default via 10.0.2.1 dev eth0 proto dhcp metric 100\n"
	    "10.0.0.0/16 dev eth0 proto kernel scope link src 10.0.2.10\n"
	    "10.9.0.0/16 via 10.0.2.254 dev eth0\n"
	    "== web2 ==\n"
	    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n"
	    "2: ens3: <BROADCAST,UP,LOWER_UP> mtu 1500\n"
	    "    inet 10.0.2.11/24 scope global ens3\n"));
	assert_int_equal(site.nhosts, 2);
	const struct host *a = host("10.0.2.10"), *b = host("10.0.2.11");
	assert_non_null(a);
	assert_int_equal(a->plen, 16);
	assert_string_equal(a->name, "web1");
	assert_gw(a, "10.0.2.1");
	assert_int_equal(a->nroutes, 1);
	assert_string_equal(ipaddr_str(&ar, &a->routes[0].via), "10.0.2.254");
	assert_non_null(b);
	assert_string_equal(b->name, "web2");
	assert_true(b->gw_unknown); /* no ip route for web2 */
}

static void
test_ip_json_after_heading(void **state)
{
	(void)state;
	static const char t[] =
	    "# db1\n"
	    "[{\"ifindex\":2,\"ifname\":\"eth0\",\"addr_info\":[{\"family\":"
	    "\"inet\",\"local\":\"10.0.2.40\",\"prefixlen\":25}]}]\n"
	    "[{\"dst\":\"default\",\"gateway\":\"10.0.2.126\",\"dev\":\"eth0\"}"
	    "]\n";
	assert_true(
	    hostfacts_paste_recognize((const unsigned char *)t, strlen(t)));
	assert_true(read_paste(t));
	const struct host *h = host("10.0.2.40");
	assert_non_null(h);
	assert_int_equal(h->plen, 25);
	assert_gw(h, "10.0.2.126");
	assert_int_equal(h->gw_loc.line, 3);
	/* a file that is only JSON is a Linux site's own ip -j output */
	assert_false(hostfacts_paste_recognize((const unsigned char *)t + 6,
					       strlen(t) - 6));
}

static void
test_macos_ifconfig_netstat(void **state)
{
	(void)state;
	assert_true(read_paste(
	    "lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu 16384\n"
	    "\tinet 127.0.0.1 netmask 0xff000000\n"
	    "en0: flags=8863<UP,BROADCAST,RUNNING> mtu 1500\n"
	    "\tinet 10.0.2.7 netmask 0xfffffc00 broadcast 10.0.3.255\n"
	    "Routing tables\n\nInternet:\n"
	    "Destination        Gateway            Flags        Netif Expire\n"
	    "default            10.0.2.1           UGScg          en0\n"
	    "10.0.0/22          link#4             UCS            en0      !\n"
	    "10.0.2.1           0:1:2:3:4:5        UHLWIir        en0   "
	    "1183\n"));
	const struct host *h = host("10.0.2.7");
	assert_non_null(h);
	assert_int_equal(h->plen, 22);
	assert_gw(h, "10.0.2.1");
	assert_int_equal(h->nroutes, 0);
}

static void
test_nettools_route_n(void **state)
{
	(void)state;
	assert_true(read_paste(
	    "eth0      Link encap:Ethernet  HWaddr 00:16:3e:00:00:01\n"
	    "          inet addr:10.0.1.30  Bcast:10.0.1.255  "
	    "Mask:255.255.255.0\n"
	    "Kernel IP routing table\n"
	    "Destination     Gateway         Genmask         Flags Metric Ref  "
	    "  Use Iface\n"
	    "0.0.0.0         10.0.1.1        0.0.0.0         UG    0      0    "
	    "    0 eth0\n"
	    "10.0.1.0        0.0.0.0         255.255.255.0   U     0      0    "
	    "    0 eth0\n"));
	const struct host *h = host("10.0.1.30");
	assert_non_null(h);
	assert_int_equal(h->plen, 24);
	assert_gw(h, "10.0.1.1");
}

/* ---- hostile input ---- */

static void
test_truncated(void **state)
{
	(void)state;
	/* cut in the middle of the address: nothing usable, no crash */
	assert_false(
	    read_paste("Windows IP Configuration\r\n"
		       "Ethernet adapter Ethernet:\r\n"
		       "   IPv4 Address. . . . . . . . . . . : 10.0.1"));
	assert_int_equal(site.nhosts, 0);
	/* cut before the mask: the address alone is not a host fact */
	assert_false(read_paste("Windows IP Configuration\n"
				"   IPv4 Address. . . . . : 10.0.1.10\n"
				"   Subnet Mask . . . . . : 255.255."));
	/* JSON cut short */
	assert_false(
	    read_paste("# h\n[{\"ifname\":\"eth0\",\"addr_info\":[{\"local\""));
	/* a mask that is not contiguous */
	assert_false(read_paste("Windows IP Configuration\n"
				"   IPv4 Address. . . . . : 10.0.1.10\n"
				"   Subnet Mask . . . . . : 255.0.255.0\n"));
}

static void
test_binary(void **state)
{
	(void)state;
	static const char bin[] = "Windows IP Configuration\n\x7f\x00\x01\x02";
	assert_false(
	    hostfacts_paste_recognize((const unsigned char *)bin, sizeof(bin)));
	arena_free(&ar);
	arena_init(&ar);
	memset(&site, 0, sizeof(site));
	char *copy = arena_alloc(&ar, sizeof(bin));
	memcpy(copy, bin, sizeof(bin));
	assert_false(
	    hostfacts_paste_read(&ar, &in, &site, copy, sizeof(bin) - 1));
	assert_int_equal(site.nhosts, 0);
}

static void
test_huge_lines(void **state)
{
	(void)state;
	size_t big = 2u << 20;
	char *t = malloc(big + 512);
	assert_non_null(t);
	strcpy(t, "Windows IP Configuration\n   IPv4 Address. . : ");
	size_t n = strlen(t);
	memset(t + n, '1', big); /* an address line of 2 MiB */
	n += big;
	strcpy(t + n, "\n   IPv4 Address. . . . : 10.0.1.10\n"
		      "   Subnet Mask . . . . : 255.255.255.0\n"
		      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n");
	assert_true(read_paste(t));
	free(t);
	assert_int_equal(site.nhosts, 1);
	assert_int_equal(host("10.0.1.10")->plen, 24);
}

static void
test_noise_never_crashes(void **state)
{
	(void)state;
	static const char *const words[] = {"Windows IP Configuration",
					    "IPv4 Address. . :",
					    "Subnet Mask . :",
					    "Default Gateway . :",
					    "inet",
					    "inet6",
					    "netmask",
					    "0xffffff00",
					    "10.0.1.10",
					    "/24",
					    "default",
					    "via",
					    "dev",
					    "eth0",
					    "1:",
					    "lo:",
					    "<UP>",
					    "On-link",
					    "255.255.255.0",
					    "Routing tables",
					    "link#4",
					    "UGSc",
					    "[",
					    "{",
					    "\"addr_info\"",
					    "]",
					    "}",
					    "#",
					    "==",
					    ":",
					    "\t",
					    "\n",
					    "\r\n",
					    " ",
					    "flags=1",
					    "Mask:",
					    "addr:",
					    "src",
					    "%12",
					    "("};
	unsigned seed = 12345;
	for (int round = 0; round < 300; round++) {
		char buf[2048];
		size_t n = 0;
		while (n < sizeof(buf) - 64) {
			seed = seed * 1103515245u + 12345u;
			const char *w = words[(seed >> 16) %
					      (sizeof(words) / sizeof(*words))];
			size_t k = strlen(w);
			memcpy(buf + n, w, k);
			n += k;
			buf[n++] = (seed >> 8) & 1 ? ' ' : '\n';
		}
		buf[n] = '\0';
		(void)hostfacts_paste_recognize((const unsigned char *)buf, n);
		(void)read_paste(buf);
		for (size_t i = 0; i < site.nhosts; i++)
			assert_true(site.hosts[i].plen <=
				    fam_bits(site.hosts[i].addr.fam));
	}
}

static void
test_recognize(void **state)
{
	(void)state;
	static const char own[] = "host 10.0.2.7 mask 24 gateway 10.0.2.1\n";
	static const char log[] = "Jan 1 00:00:00 fw charon: 12[IKE] hello\n";
	assert_false(
	    hostfacts_paste_recognize((const unsigned char *)own, strlen(own)));
	assert_false(
	    hostfacts_paste_recognize((const unsigned char *)log, strlen(log)));
	assert_int_equal(input_recognize((const unsigned char *)ipconfig,
					 strlen(ipconfig), NULL),
			 INPUT_HOST_PASTE);
}

int
main(void)
{
	diag_set_quiet(true);
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipconfig_crlf_leaders),
	    cmocka_unit_test(test_ipconfig_no_gateway_xp),
	    cmocka_unit_test(test_route_print_alone),
	    cmocka_unit_test(test_ip_addr_route_text_two_hosts),
	    cmocka_unit_test(test_ip_json_after_heading),
	    cmocka_unit_test(test_macos_ifconfig_netstat),
	    cmocka_unit_test(test_nettools_route_n),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_binary),
	    cmocka_unit_test(test_huge_lines),
	    cmocka_unit_test(test_noise_never_crashes),
	    cmocka_unit_test(test_recognize),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
