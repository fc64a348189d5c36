/* The servers an OPNsense firewall's own services send to (import/pfsense/
 * cfg_selfsvc.c, doc/behaviour/self-traffic.md §4a): each read only where
 * OPNsense's generator writes it, with its port, protocol and source
 * setting. A disabled service, an empty MVC boolean or a relay naming
 * another destination must add nothing. */
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

#define HEAD "<?xml version=\"1.0\"?>\n<opnsense><system><hostname>b</hostname>"
#define IFS                                                                    \
	"<interfaces><wan><if>vtnet0</if><enable>1</enable>"                   \
	"<ipaddr>9.10.11.2</ipaddr><subnet>24</subnet></wan>"                  \
	"<lan><if>vtnet1</if><enable>1</enable><ipaddr>10.0.2.1</ipaddr>"      \
	"<subnet>24</subnet></lan></interfaces>"

static void
import(const char *xml)
{
	char path[] = "/tmp/test_opnselfXXXXXX";
	tmp_site(path, xml, &ar, &site);
	struct input_file in = {.path = path, .kind = INPUT_OPNSENSE_XML};
	diag_reset();
	assert_true(cfg_pfsense_import(&ar, &in, &site));
	unlink(path);
}

static const struct self_service *
svc(const char *target)
{
	for (size_t i = 0; i < site.nservices; i++)
		if (strcmp(site.services[i].target, target) == 0)
			return &site.services[i];
	return NULL;
}

static void
unbound_forwards(void **state)
{
	(void)state;
	import(HEAD "<dnsserver>10.0.1.9</dnsserver></system>" IFS
		    "<OPNsense><unboundplus><general><enabled>1</enabled>"
		    "<outgoing_interface>lan</outgoing_interface></general>"
		    "<forwarding><enabled>1</enabled></forwarding><dots>"
		    "<dot><enabled>1</enabled><type>forward</type>"
		    "<server>10.0.1.53</server><port>5353</port></dot>"
		    "<dot><enabled>1</enabled><type>dot</type>"
		    "<server>10.0.1.54</server><port/></dot>"
		    "<dot><enabled>0</enabled><type>forward</type>"
		    "<server>10.0.1.55</server></dot>"
		    "</dots></unboundplus></OPNsense></opnsense>");
	const struct self_service *f = svc("10.0.1.53"), *t = svc("10.0.1.54");
	const struct self_service *sys = svc("10.0.1.9");
	assert_non_null(f);
	assert_int_equal(f->port, 5353);
	assert_int_equal(f->proto, PROTO_UDP);
	assert_string_equal(f->source, "lan");
	assert_non_null(t);
	assert_int_equal(t->port, 853);
	assert_int_equal(t->proto, PROTO_TCP);
	assert_null(svc("10.0.1.55")); /* disabled entry */
	assert_non_null(sys);	       /* "Use System Nameservers" */
	assert_string_equal(sys->source, "lan");
}

static void
unbound_off(void **state)
{
	(void)state;
	import(HEAD "<dnsserver>10.0.1.9</dnsserver></system>" IFS
		    "<OPNsense><unboundplus><general><enabled>0</enabled>"
		    "<outgoing_interface>lan</outgoing_interface></general>"
		    "<forwarding><enabled>1</enabled></forwarding><dots>"
		    "<dot><enabled>1</enabled><type>forward</type>"
		    "<server>10.0.1.53</server></dot></dots></unboundplus>"
		    "</OPNsense></opnsense>");
	assert_null(svc("10.0.1.53"));
	/* the system resolver still asks it (resolv.conf), from no set
	 * source */
	assert_non_null(svc("10.0.1.9"));
	assert_null(svc("10.0.1.9")->source);
}

static void
dnsmasq_overrides(void **state)
{
	(void)state;
	import(HEAD "</system>" IFS "<dnsmasq><enable>1</enable>"
		    "<domainoverrides><domain>a</domain><srcip>10.0.2.1</srcip>"
		    "<ip>10.0.1.53</ip></domainoverrides>"
		    "<domainoverrides><domain>b</domain><ip>10.0.1.54@10.0.2.1"
		    "</ip></domainoverrides>"
		    "<domainoverrides><domain>c</domain><ip>10.0.1.55</ip>"
		    "</domainoverrides></dnsmasq></opnsense>");
	assert_string_equal(svc("10.0.1.53")->source, "10.0.2.1");
	assert_string_equal(svc("10.0.1.54@10.0.2.1")->source, "10.0.2.1");
	assert_null(svc("10.0.1.55")->source);
	import(HEAD
	       "</system>" IFS
	       "<dnsmasq><enable/><domainoverrides><domain>a</domain>"
	       "<ip>10.0.1.53</ip></domainoverrides></dnsmasq></opnsense>");
	assert_int_equal(site.nservices, 0); /* empty: !empty() is false */
}

static void
syslog_destinations(void **state)
{
	(void)state;
	import(HEAD "</system>" IFS "<OPNsense><Syslog><destinations>"
		    "<destination><enabled>1</enabled><transport>tls4"
		    "</transport><hostname>10.0.1.5</hostname><port>6514</port>"
		    "</destination>"
		    "<destination><enabled>1</enabled><transport>udp4"
		    "</transport><hostname>logs.example.org</hostname>"
		    "<port>514</port></destination>"
		    "<destination><enabled>0</enabled><transport>udp4"
		    "</transport><hostname>10.0.1.6</hostname><port>514</port>"
		    "</destination></destinations></Syslog></OPNsense>"
		    "</opnsense>");
	assert_int_equal(site.nservices, 1);
	assert_int_equal(svc("10.0.1.5")->proto, PROTO_TCP);
	assert_int_equal(svc("10.0.1.5")->port, 6514);
	assert_null(svc("10.0.1.5")->source); /* syslog-ng: no source */
}

static void
dhcrelay_by_uuid(void **state)
{
	(void)state;
	import(HEAD
	       "</system>" IFS
	       "<OPNsense><DHCRelay><relays><enabled>1</enabled>"
	       "<interface>lan</interface><destination>u1</destination>"
	       "</relays><relays><enabled>0</enabled><interface>lan"
	       "</interface><destination>u2</destination></relays>"
	       "<destinations uuid=\"u1\"><name>a</name><server>10.0.1.67,"
	       "10.0.1.68</server></destinations>"
	       "<destinations uuid=\"u2\"><name>b</name><server>10.0.1.69"
	       "</server></destinations>"
	       "<destinations uuid=\"u3\"><name>c</name><server>10.0.1.70"
	       "</server></destinations></DHCRelay></OPNsense></opnsense>");
	assert_non_null(svc("10.0.1.67"));
	assert_non_null(svc("10.0.1.68"));
	assert_null(svc("10.0.1.69")); /* its relay is disabled */
	assert_null(svc("10.0.1.70")); /* no relay names it */
}

static void
ntp_auth_labels(void **state)
{
	(void)state;
	import(HEAD "<timeservers>0.opnsense.pool.ntp.org 10.0.1.123"
		    "</timeservers><authserver><type>ldap</type><host>10.0.1.20"
		    "</host></authserver></system>" IFS "</opnsense>");
	assert_int_equal(site.nservices, 2);
	assert_non_null(strstr(svc("10.0.1.123")->what, "Network Time"));
	assert_non_null(strstr(svc("10.0.1.20")->what, "System > Access"));
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unbound_forwards),
	    cmocka_unit_test(unbound_off),
	    cmocka_unit_test(dnsmasq_overrides),
	    cmocka_unit_test(syslog_destinations),
	    cmocka_unit_test(dhcrelay_by_uuid),
	    cmocka_unit_test(ntp_auth_labels),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return r;
}
