/* OPNsense VPN > IPsec > Connections (<OPNsense><Swanctl>) into phase 1 /
 * phase 2: the mapping, and hostile input named with file:line:col. */
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
static char path[] = "/tmp/test_opnsense_swanctlXXXXXX";
static char err[16384]; /* what the import wrote to stderr */

/* Imports xml (written to a temp file) into the global site; its
 * diagnostics land in err. */
static bool
import(const char *xml)
{
	strcpy(path, "/tmp/test_opnsense_swanctlXXXXXX");
	tmp_site(path, xml, &ar, &site);
	diag_reset();
	FILE *cap = tmpfile();
	assert_non_null(cap);
	fflush(stderr);
	int saved = dup(2);
	dup2(fileno(cap), 2);
	struct input_file in = {.path = path, .kind = INPUT_OPNSENSE_XML};
	bool ok = cfg_pfsense_import(&ar, &in, &site);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	size_t n = fread(err, 1, sizeof(err) - 1, cap);
	err[n] = '\0';
	fclose(cap);
	unlink(path);
	return ok;
}

/* The diagnostic at line:col of the imported file says what. */
static void
assert_diag(unsigned line, unsigned col, const char *level, const char *what)
{
	char want[512];
	snprintf(want, sizeof(want), "%s:%u:%u: %s: %s", path, line, col, level,
		 what);
	if (strstr(err, want) == NULL)
		fail_msg("no '%s' in:\n%s", want, err);
}

#define IFACES                                                                 \
	"<interfaces>\n"                                                       \
	"<wan><enable>1</enable><if>vtnet0</if><ipaddr>192.0.2.10</ipaddr>"    \
	"<subnet>24</subnet><gateway>WAN_GW</gateway></wan>\n"                 \
	"<lan><enable>1</enable><if>vtnet1</if><ipaddr>10.0.2.1</ipaddr>"      \
	"<subnet>24</subnet></lan>\n"                                          \
	"</interfaces>\n"
/* Lines 1-6: head and interfaces; then <ipsec> (one line when given),
 * <OPNsense><Swanctl>, and the body on the next line. */
#define OPN(ipsec, body)                                                       \
	"<?xml version=\"1.0\"?>\n<opnsense>\n" IFACES ipsec                   \
	"<OPNsense><Swanctl version=\"1.0.0\">\n" body                         \
	"</Swanctl></OPNsense></opnsense>\n"
#define ON "<ipsec><enable>1</enable></ipsec>\n"
#define HQ                                                                     \
	"<Connections><Connection uuid=\"c1\"><enabled>1</enabled>"            \
	"<version>2</version><local_addrs/><remote_addrs>198.51.100.2"         \
	"</remote_addrs><description>HQ</description></Connection>"            \
	"</Connections>\n"
#define AUTH                                                                   \
	"<locals><local uuid=\"l1\"><enabled>1</enabled><connection>c1"        \
	"</connection><auth>psk</auth></local></locals>\n"                     \
	"<remotes><remote uuid=\"r1\"><enabled>1</enabled><connection>c1"      \
	"</connection><auth>psk</auth></remote></remotes>\n"

static const char *
net(const struct selector *s)
{
	static char buf[PREFIX_STRLEN];
	return s->resolved ? prefix_format(&s->net, buf) : "?";
}

static void
test_cross_product(void **state)
{
	(void)state;
	assert_true(import(
	    OPN(ON, HQ AUTH
		"<children><child uuid=\"k1\"><enabled>1</enabled>"
		"<connection>c1</connection><esp_proposals>aes256gcm16-modp2048"
		"</esp_proposals><start_action>trap</start_action><mode>tunnel"
		"</mode><policies>1</policies><local_ts>10.0.2.0/24,10.0.3.0/24"
		"</local_ts><remote_ts>10.0.1.0/24, 10.0.11.0/24</remote_ts>"
		"<description>nets</description></child></children>\n")));
	assert_string_equal(err, "");
	assert_int_equal(site.np1, 1);
	const struct phase1 *p1 = &site.p1[0];
	assert_true(p1->swanctl);
	assert_true(p1->splitconn); /* children are not merged */
	assert_false(p1->disabled);
	assert_string_equal(p1->ikeid, "c1");
	assert_string_equal(p1->descr, "HQ");
	assert_int_equal(p1->ikever, 2);
	assert_true(p1->peer_known);
	assert_false(p1->local_known);
	assert_string_equal(p1->iface, "wan"); /* %any: the WAN interface */
	static const char *const pairs[][2] = {{"10.0.2.0/24", "10.0.1.0/24"},
					       {"10.0.2.0/24", "10.0.11.0/24"},
					       {"10.0.3.0/24", "10.0.1.0/24"},
					       {"10.0.3.0/24", "10.0.11.0/24"}};
	assert_int_equal(site.np2, 4);
	for (size_t i = 0; i < 4; i++) {
		const struct phase2 *p2 = &site.p2[i];
		assert_string_equal(net(&p2->local), pairs[i][0]);
		assert_string_equal(net(&p2->remote), pairs[i][1]);
		assert_ptr_equal(p2->p1, p1);
		assert_int_equal(p2->mode, P2_TUNNEL);
		assert_string_equal(p2->uniqid, "k1");
		assert_string_equal(p2->descr, "nets");
		assert_string_equal(p2->start_action, "trap");
		assert_int_equal(p2->nenc, 1);
		assert_int_equal(p2->enc[0].cipher, CIPHER_AES_GCM);
		assert_int_equal(p2->enc[0].keylen, 256);
		assert_false(p2->disabled);
	}
	assert_non_null(site_iface(&site, "enc0"));
}

/* Fields left at their model defaults, or empty (strongSwan's). */
static void
test_defaults_and_dynamic(void **state)
{
	(void)state;
	assert_true(import(OPN(
	    ON,
	    "<Connections><Connection uuid=\"c1\"><remote_addrs>198.51.100.2"
	    "</remote_addrs></Connection></Connections>\n" AUTH
	    "<children><child uuid=\"k1\"><connection>c1</connection>"
	    "</child><child uuid=\"k2\"><connection>c1</connection>"
	    "<start_action/><local_ts/><remote_ts/></child></children>\n")));
	assert_string_equal(err, "");
	assert_int_equal(site.np1, 1);
	assert_false(site.p1[0].disabled);	/* enabled defaults to 1 */
	assert_int_equal(site.p1[0].ikever, 0); /* version 0: IKEv1+IKEv2 */
	assert_null(site.p1[0].proposals);	/* strongSwan's default */
	assert_int_equal(site.np2, 2);
	/* dynamic: the outer addresses, ours from the WAN interface */
	assert_string_equal(net(&site.p2[0].local), "192.0.2.10/32");
	assert_string_equal(net(&site.p2[0].remote), "198.51.100.2/32");
	assert_string_equal(site.p2[0].start_action, "start");
	assert_null(site.p2[1].start_action); /* empty: strongSwan's none */
	assert_string_equal(site.p2[0].descr, "k1"); /* no description */
}

static const struct {
	const char *conn, *child; /* <enabled> text, NULL = absent */
	bool p1_off, p2_off;
	unsigned warnings;
} enabled_cases[] = {
    {NULL, NULL, false, false, 0}, {"1", "1", false, false, 0},
    {"0", "1", true, false, 0},	   {"1", "0", false, true, 0},
    {"", "1", true, false, 0},	   /* OPNsense tests empty(): off */
    {"yes", "1", false, false, 1}, /* not 0/1: on, named */
};

static void
test_enabled(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(enabled_cases) / sizeof(*enabled_cases);
	     i++) {
		char xml[4096], ce[64] = "", ke[64] = "";
		if (enabled_cases[i].conn)
			snprintf(ce, sizeof(ce), "<enabled>%s</enabled>",
				 enabled_cases[i].conn);
		if (enabled_cases[i].child)
			snprintf(ke, sizeof(ke), "<enabled>%s</enabled>",
				 enabled_cases[i].child);
		snprintf(xml, sizeof(xml),
			 OPN(ON, "<Connections><Connection uuid=\"c1\">%s"
				 "<remote_addrs>198.51.100.2</remote_addrs>"
				 "</Connection></Connections>\n" AUTH
				 "<children><child uuid=\"k1\">%s<connection>c1"
				 "</connection><local_ts>10.0.2.0/24</local_ts>"
				 "<remote_ts>10.0.1.0/24</remote_ts></child>"
				 "</children>\n"),
			 ce, ke);
		assert_true(import(xml));
		assert_int_equal(site.np1, 1);
		assert_int_equal(site.np2, 1);
		assert_int_equal(site.p1[0].disabled, enabled_cases[i].p1_off);
		assert_int_equal(site.p2[0].disabled, enabled_cases[i].p2_off);
		assert_int_equal(diag_count(DIAG_WARNING),
				 enabled_cases[i].warnings);
		/* enc0 exists while a connection is enabled */
		assert_int_equal(site_iface(&site, "enc0") != NULL,
				 !enabled_cases[i].p1_off);
	}
}

static void
test_dangling_uuids(void **state)
{
	(void)state;
	assert_true(import(
	    OPN(ON, HQ
		"<locals><local uuid=\"l1\"><connection>gone</connection>"
		"</local></locals>\n"
		"<children>\n"
		"<child uuid=\"k1\"><connection>gone</connection></child>\n"
		"<child uuid=\"k2\"><description>lost</description></child>\n"
		"<child uuid=\"k3\"><connection/></child>\n"
		"</children>\n")));
	assert_int_equal(site.np1, 1);
	assert_int_equal(site.np2, 0);
	assert_int_equal(diag_count(DIAG_WARNING), 4);
	assert_diag(10, 26, "warning",
		    "local authentication 'l1' refers to a "
		    "connection that does not exist: gone: OPNsense leaves it "
		    "out of swanctl.conf");
	assert_diag(12, 18, "warning",
		    "child 'k1' refers to a connection "
		    "that does not exist: gone");
	assert_diag(13, 1, "warning", "child 'lost' names no connection");
	assert_diag(14, 18, "warning", "child 'k3' names no connection");
	/* HQ has no child and no authentication: noted, not warned */
	assert_diag(9, 14, "note", "connection 'HQ' has no enabled child");
}

static void
test_hostile_values(void **state)
{
	(void)state;
	assert_true(import(OPN(
	    ON, "<Connections>\n"
		"<Connection uuid=\"c1\"><version>7</version><remote_addrs>"
		"1.2.3.4 5.6.7.8</remote_addrs></Connection>\n"
		"<Connection><remote_addrs>198.51.100.9</remote_addrs>"
		"</Connection>\n"
		"<Connection uuid=\"c1\"><remote_addrs>198.51.100.3"
		"</remote_addrs></Connection>\n"
		"</Connections>\n" AUTH "<children>\n"
		"<child uuid=\"k1\"><connection>c1</connection><reqid>99999"
		"</reqid><mode>tunnell</mode><local_ts>10.0.0.0/33,10.9.0.0/16"
		"</local_ts><remote_ts>10.0.1.0/24</remote_ts></child>\n"
		"<child uuid=\"k2\"><connection>c1</connection><reqid>0</reqid>"
		"<local_ts>10.0.2.0/24</local_ts><remote_ts>any</remote_ts>"
		"</child>\n"
		"</children>\n")));
	assert_int_equal(site.np1, 1); /* no uuid, duplicate: skipped */
	assert_int_equal(site.p1[0].ikever, 0);
	assert_false(site.p1[0].peer_known);
	assert_int_equal(site.np2, 3);
	assert_false(site.p2[0].local.resolved);
	assert_string_equal(net(&site.p2[1].local), "10.9.0.0/16");
	assert_int_equal(site.p2[0].mode, P2_TUNNEL);
	assert_int_equal(site.p2[0].reqid, 0);
	assert_false(site.p2[2].remote.resolved);
	assert_int_equal(diag_count(DIAG_WARNING), 9);
	assert_diag(10, 23, "warning", "version '7' is not 0, 1 or 2");
	assert_diag(10, 43, "warning",
		    "remote_addrs entry '1.2.3.4 5.6.7.8' "
		    "is not an address, network, range or host name");
	assert_diag(11, 1, "warning",
		    "connection without a uuid attribute: "
		    "no child can refer to it; skipped");
	assert_diag(12, 1, "warning",
		    "connection c1 is defined twice: the "
		    "first one is read");
	assert_diag(17, 45, "warning",
		    "child reqid '99999' is not a number "
		    "from 1 to 65535: ignored");
	assert_diag(17, 65, "warning",
		    "child 'k1': mode 'tunnell' is not "
		    "tunnel, transport, pass or drop: read as tunnel");
	assert_diag(17, 85, "warning",
		    "local_ts entry '10.0.0.0/33' is not "
		    "a network or address: that selector is not known");
	assert_diag(18, 45, "warning", "child reqid '0' is not a number");
	assert_diag(18, 93, "warning",
		    "remote_ts entry 'any' is not a "
		    "network or address");
	/* in the order of the fields */
	assert_true(strstr(err, "'99999'") < strstr(err, "'tunnell'"));
	assert_true(strstr(err, "'tunnell'") < strstr(err, "'10.0.0.0/33'"));
}

static void
test_route_based(void **state)
{
	(void)state;
	assert_true(import(OPN(
	    ON, HQ AUTH
	    "<children>\n"
	    "<child uuid=\"k1\"><connection>c1</connection><reqid>10</reqid>"
	    "<policies>0</policies><local_ts>0.0.0.0/0</local_ts><remote_ts>"
	    "0.0.0.0/0</remote_ts></child>\n"
	    "<child uuid=\"k2\"><connection>c1</connection><reqid>11</reqid>"
	    "<policies>0</policies></child>\n"
	    "<child uuid=\"k3\"><connection>c1</connection><policies>0"
	    "</policies></child>\n"
	    "<child uuid=\"k4\"><connection>c1</connection><reqid>12</reqid>"
	    "<policies>1</policies><local_ts>10.0.2.0/24</local_ts>"
	    "<remote_ts>10.0.1.0/24</remote_ts></child>\n"
	    "<child uuid=\"k5\"><enabled>0</enabled><connection>c1"
	    "</connection><reqid>13</reqid><policies>0</policies></child>\n"
	    "</children>\n"
	    "<VTIs><VTI uuid=\"v1\"><enabled>1</enabled><reqid>10</reqid>"
	    "</VTI><VTI uuid=\"v2\"><enabled>0</enabled><reqid>11</reqid>"
	    "</VTI></VTIs>\n")));
	assert_int_equal(site.np2, 5);
	assert_int_equal(site.p2[0].mode, P2_VTI);
	assert_int_equal(site.p2[0].reqid, 10);
	assert_int_equal(site.p2[1].mode, P2_VTI);
	assert_int_equal(site.p2[2].mode, P2_VTI);
	assert_int_equal(site.p2[3].mode, P2_TUNNEL); /* policies: SPD */
	assert_int_equal(site.p2[3].reqid, 12);
	assert_int_equal(site.p2[4].mode, P2_VTI);
	assert_true(site.p2[4].disabled);
	assert_int_equal(diag_count(DIAG_WARNING), 2); /* k5 is off: quiet */
	assert_diag(14, 62, "warning",
		    "child 'k2' installs no IPsec policies "
		    "(Policies off) and no enabled VTI has reqid 11: nothing "
		    "sends traffic into it");
	assert_diag(15, 45, "warning",
		    "child 'k3' installs no IPsec policies "
		    "(Policies off) and has no reqid for a VTI to use");
}

/* Legacy phase 2 keep their phase 1 while s->p1 grows (and moves). */
static void
test_legacy_relinked(void **state)
{
	(void)state;
	char conns[16384] = "<Connections>";
	for (int i = 0; i < 40; i++) {
		char c[160];
		snprintf(c, sizeof(c),
			 "<Connection uuid=\"c%d\"><remote_addrs>"
			 "198.51.100.%d</remote_addrs></Connection>",
			 i, i + 1);
		strcat(conns, c);
	}
	strcat(conns, "</Connections>\n");
	char xml[32768];
	snprintf(xml, sizeof(xml),
		 OPN("<ipsec><enable>1</enable><phase1><ikeid>1</ikeid>"
		     "<iketype>ikev2</iketype><interface>wan</interface>"
		     "<remote-gateway>203.0.113.5</remote-gateway></phase1>"
		     "<phase2><ikeid>1</ikeid><localid><type>lan</type>"
		     "</localid><remoteid><type>network</type><address>"
		     "10.5.0.0</address><netbits>16</netbits></remoteid>"
		     "</phase2></ipsec>\n",
		     "%s"),
		 conns);
	assert_true(import(xml));
	assert_int_equal(site.np1, 41);
	assert_int_equal(site.np2, 1);
	assert_ptr_equal(site.p2[0].p1, &site.p1[0]);
	assert_false(site.p1[0].swanctl);
	assert_true(site.p1[40].swanctl);
	assert_false(site.p1[0].splitconn); /* legacy IKEv2: merged */
}

static const struct {
	const char *local_addrs, *iface;
	bool local_known;
	unsigned warnings;
} local_cases[] = {
    {"192.0.2.10", "wan", true, 0},
    {"10.0.2.1", "lan", true, 0},
    {"192.0.2.99", NULL, true, 1},	  /* in the WAN subnet, not ours */
    {"vpn.example.org", "wan", false, 0}, /* a name: as %any */
    {"%any", "wan", false, 0},
};

static void
test_local_addrs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(local_cases) / sizeof(*local_cases);
	     i++) {
		char xml[4096];
		snprintf(xml, sizeof(xml),
			 OPN(ON, "<Connections><Connection uuid=\"c1\">"
				 "<local_addrs>%s</local_addrs><remote_addrs>"
				 "198.51.100.2</remote_addrs></Connection>"
				 "</Connections>\n" AUTH),
			 local_cases[i].local_addrs);
		assert_true(import(xml));
		const struct phase1 *p1 = &site.p1[0];
		assert_int_equal(p1->local_known, local_cases[i].local_known);
		if (local_cases[i].iface)
			assert_string_equal(p1->iface, local_cases[i].iface);
		else
			assert_null(p1->iface);
		assert_int_equal(diag_count(DIAG_WARNING),
				 local_cases[i].warnings);
	}
}

/* A hostile child: 100 x 100 selectors stop at the ceiling. */
static void
test_selector_ceiling(void **state)
{
	(void)state;
	static char lts[2048], rts[2048], xml[8192];
	lts[0] = rts[0] = '\0';
	for (int i = 0; i < 100; i++) {
		char t[32];
		snprintf(t, sizeof(t), "%s10.1.%d.0/24", i ? "," : "", i);
		strcat(lts, t);
		snprintf(t, sizeof(t), "%s10.2.%d.0/24", i ? "," : "", i);
		strcat(rts, t);
	}
	snprintf(xml, sizeof(xml),
		 OPN(ON,
		     HQ AUTH "<children><child uuid=\"k1\"><connection>c1"
			     "</connection><local_ts>%s</local_ts><remote_ts>%s"
			     "</remote_ts></child></children>\n"),
		 lts, rts);
	assert_true(import(xml));
	assert_int_equal(site.np2, 4096);
	assert_int_equal(diag_count(DIAG_WARNING), 1);
	assert_diag(12, 11, "warning",
		    "child 'k1': more than 4096 local x "
		    "remote selector pairs, only the first 4096 are read");
}

static void
test_notes(void **state)
{
	(void)state;
	/* IPsec off; a pass child is a shunt; manual SPDs are not modelled */
	assert_true(import(OPN(
	    "", HQ AUTH
	    "<children><child uuid=\"k1\"><connection>c1</connection>"
	    "<mode>pass</mode><local_ts>10.0.2.0/24</local_ts><remote_ts>"
	    "10.0.2.0/24</remote_ts><description>bypass</description>"
	    "</child></children>\n"
	    "<SPDs><SPD uuid=\"s1\"><enabled>1</enabled><source>10.0.20.0/24"
	    "</source></SPD></SPDs>\n")));
	assert_int_equal(site.np2, 0);
	assert_int_equal(diag_count(DIAG_WARNING), 0);
	assert_diag(11, 11, "note",
		    "child 'bypass' is a pass shunt, not a "
		    "tunnel");
	assert_diag(7, 11, "note",
		    "1 manual SPD entry (VPN > IPsec > Manual "
		    "SPD) not modelled");
	assert_diag(7, 11, "note",
		    "IPsec is not enabled (<ipsec><enable/> "
		    "absent): OPNsense starts none of the 1 connection of "
		    "VPN > IPsec > Connections");
	assert_null(strstr(err, "has no enabled child")); /* the shunt is one */
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cross_product),
	    cmocka_unit_test(test_defaults_and_dynamic),
	    cmocka_unit_test(test_enabled),
	    cmocka_unit_test(test_dangling_uuids),
	    cmocka_unit_test(test_hostile_values),
	    cmocka_unit_test(test_route_based),
	    cmocka_unit_test(test_legacy_relinked),
	    cmocka_unit_test(test_local_addrs),
	    cmocka_unit_test(test_selector_ceiling),
	    cmocka_unit_test(test_notes),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
