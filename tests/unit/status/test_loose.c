/* The status archive's facts as loose files (doc/behaviour/loose-files.md):
 * recognition by content, the readers into the box state and SA
 * observations, and what is never kept (setkey keys). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "import/load.h"

#define OPN "tests/fixtures/pairs/opnsense-loose-healthy/siteB"
#define LOOSE "tests/fixtures/loose/"

static enum input_kind
kind_of(const char *text)
{
	return input_recognize((const unsigned char *)text, strlen(text), NULL);
}

/* Each format claimed by its content; a LAN host's look-alikes are not
 * the gateway's. */
static void
recognise(void **st)
{
	(void)st;
	assert_int_equal(kind_of("10.0.1.0/24[any] 10.0.2.0/24[any] any\n"
				 "\tout ipsec\n\tesp/tunnel/1.1.1.1-2.2.2.2/"
				 "unique:1\n\tspid=1 seq=0 pid=1\n"),
			 INPUT_SETKEY_SPD);
	assert_int_equal(kind_of("No SPD entries.\n"), INPUT_SETKEY_SPD);
	assert_int_equal(kind_of("1.1.1.1 2.2.2.2\n\tesp mode=tunnel "
				 "spi=1(0x00000001) reqid=1(0x00000001)\n"),
			 INPUT_SA_STATUS);
	assert_int_equal(kind_of("Routing tables\n\nInternet:\nDestination "
				 "Gateway Flags Nhop# Mtu Netif Expire\n"
				 "default 9.10.11.254 UGS 4 1500 vtnet0\n"),
			 INPUT_BSD_NETSTAT);
	assert_int_equal(kind_of("enc0: flags=41<UP,RUNNING> metric 0 mtu "
				 "1536\n\tgroups: enc\n"),
			 INPUT_BSD_IFCONFIG);
	assert_int_equal(kind_of("{\"records\":[{\"src\":\"10.0.1.0/24\","
				 "\"upperspec\":\"any\",\"dir\":\"out\"}]}"),
			 INPUT_CONFIGCTL);
	assert_int_equal(kind_of("{\"records\":[{\"satype\":\"esp\"}]}"),
			 INPUT_CONFIGCTL);
	assert_int_equal(kind_of("{\"con1\":{\"routed\":true,\"sas\":[]}}"),
			 INPUT_CONFIGCTL);
	assert_int_equal(kind_of("ipsec not active\n"), INPUT_CONFIGCTL);
	/* the gateway's table: strongSwan's table 220 */
	assert_int_equal(kind_of("default via 198.51.100.254 dev wan0\n"
				 "10.0.2.0/24 dev ipsec0 table 220 proto "
				 "static src 10.0.1.1\n"),
			 INPUT_IP_ROUTE_TEXT);
	assert_int_equal(kind_of("? (10.0.2.10) at 52:54:00:aa:bb:cc on vtnet1 "
				 "expires in 1183 seconds [ethernet]\n"
				 "? (10.0.2.20) at (incomplete) on vtnet1 "
				 "expired [ethernet]\n"),
			 INPUT_BSD_ARP);
	/* Linux arp -an: "[ether] on" */
	assert_int_not_equal(kind_of("? (10.0.1.1) at 00:11:22:33:44:55 "
				     "[ether] on eth0\n"),
			     INPUT_BSD_ARP);
	/* a LAN host's `ip route` is the same command: the reader decides
	 * (linux_hostroute) */
	assert_int_equal(kind_of("default via 10.0.1.1 dev eth0 proto dhcp "
				 "metric 100\n10.0.1.0/24 dev eth0 proto "
				 "kernel scope link src 10.0.1.10\n"),
			 INPUT_IP_ROUTE_TEXT);
	/* a paste with ip addr in it stays a host paste */
	assert_int_equal(kind_of("2: eth0: <BROADCAST,UP> mtu 1500\n    inet "
				 "10.0.1.10/24 brd 10.0.1.255 scope global "
				 "eth0\ndefault via 10.0.1.1 dev eth0\n"),
			 INPUT_HOST_PASTE);
	/* Linux ifconfig prints no metric: not a FreeBSD box's */
	assert_int_not_equal(
	    kind_of("eth0: flags=4163<UP,RUNNING>  mtu 1500\n"
		    "\tinet 10.0.1.10  netmask 255.255.255.0\n"),
	    INPUT_BSD_IFCONFIG);
}

static bool
obs_has(const struct site *s, const char *needle)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		const char *t[] = {o->text, o->conn, o->child, o->action};
		for (size_t k = 0; k < 4; k++)
			if (t[k] && strstr(t[k], needle))
				return true;
	}
	return false;
}

/* The OPNsense folder: SPD, routes (Nhop# header, CRLF and stderr noise
 * in the SPD file), interfaces, SAs with counters; no key kept. */
static void
opnsense_folder(void **st)
{
	(void)st;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	assert_true(site_load(&ar, OPN, &s));
	const struct boxstate *b = &s.ev.box;
	assert_true(b->present && b->has_spd && b->has_routes && b->has_ifs);
	assert_int_equal(b->nspd, 2);
	assert_int_equal(b->spd[1].dir, BSPD_OUT);
	assert_int_equal(b->spd[1].reqid, 1);
	assert_true(b->spd[1].has_outer);
	assert_int_equal(b->spd[1].loc.line, 9);
	assert_int_equal(b->nroutes, 8);
	assert_true(b->has_arp);
	assert_int_equal(b->nneigh, 4);
	assert_true(b->neigh[2].incomplete);
	assert_true(b->routes[0].is_default);
	assert_int_equal(b->routes[0].mtu, 1500);
	size_t sa = 0, counted = 0;
	for (size_t i = 0; i < s.ev.nobs; i++)
		if (s.ev.obs[i].kind == OBS_SA) {
			sa++;
			counted += s.ev.obs[i].bytes == 1344 &&
				   s.ev.obs[i].bytes_rev == 1344;
		}
	assert_int_equal(sa, 2); /* configctl status + setkey -D (paired) */
	assert_int_equal(counted, 2);
	assert_false(obs_has(&s, "1f2e3d4c"));
	assert_false(obs_has(&s, "a1b2c3d4"));
	arena_free(&ar);
}

/* configctl ipsec list sad / spd / leases / "ipsec not active". */
static void
configctl_lists(void **st)
{
	(void)st;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	assert_true(site_load(&ar, LOOSE "opnsense-json", &s));
	const struct boxstate *b = &s.ev.box;
	assert_int_equal(b->nspd, 2);
	assert_int_equal(b->spd[0].dir, BSPD_IN);
	assert_int_equal(b->spd[0].loc.line, 1);
	assert_true(b->spd[0].loc.col > 1);
	assert_int_equal(b->nerrors, 1); /* ipsec not active */
	size_t sa = 0;
	for (size_t i = 0; i < s.ev.nobs; i++) {
		const struct observation *o = &s.ev.obs[i];
		if (o->kind != OBS_SA)
			continue;
		sa++;
		assert_int_equal(o->bytes, 2688);
		assert_int_equal(o->bytes_rev, 1344);
		assert_int_equal(o->value, 0xdeadbeef);
	}
	assert_int_equal(sa, 1);
	assert_false(obs_has(&s, "1f2e3d4c"));
	arena_free(&ar);
}

/* Linux: text ip route (CRLF, an "Error:" line) and ip -s xfrm state,
 * its two directions joined into one SA with both counters. */
static void
linux_folder(void **st)
{
	(void)st;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	assert_true(site_load(&ar, LOOSE "linux-gwa", &s));
	size_t n220 = 0, sa = 0;
	for (size_t i = 0; i < s.nroutes; i++)
		n220 +=
		    s.routes[i].table == 220 && s.routes[i].kind == ROUTE_IPSEC;
	assert_int_equal(n220, 1);
	for (size_t i = 0; i < s.ev.nobs; i++) {
		const struct observation *o = &s.ev.obs[i];
		if (o->kind != OBS_SA)
			continue;
		sa++;
		assert_int_equal(o->bytes, 3528);
		assert_int_equal(o->bytes_rev, 4032);
	}
	assert_int_equal(sa, 1);
	assert_int_equal(s.nhosts, 0); /* the routes are no host's */
	arena_free(&ar);
}

/* In a Linux gateway's folder: a LAN host's ip route (its own source
 * address, a device the gateway has not) is host facts; the gateway's
 * single-NIC table (src = its own address) is its routes. */
static void
linux_hostroute(void **st)
{
	(void)st;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	assert_true(site_load(&ar, LOOSE "linux-hostroute", &s));
	size_t host = 0, gw = 0;
	for (size_t i = 0; i < s.ninputs; i++) {
		const struct input_file *in = &s.inputs[i];
		if (strstr(in->path, "pc1-route"))
			host += in->kind == INPUT_HOST_PASTE;
		if (strstr(in->path, "gw-route"))
			gw += in->kind == INPUT_IP_ROUTE_TEXT;
	}
	assert_int_equal(host, 1);
	assert_int_equal(gw, 1);
	assert_true(s.nhosts >= 1);
	arena_free(&ar);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(recognise),
	    cmocka_unit_test(opnsense_folder),
	    cmocka_unit_test(configctl_lists),
	    cmocka_unit_test(linux_folder),
	    cmocka_unit_test(linux_hostroute),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
