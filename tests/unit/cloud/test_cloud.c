/* Cloud VPN configurations (import/cloud/): what AWS's generic and
 * pfSense texts and the key=value profile state; hostile input is
 * refused with a located diagnostic; pre-shared keys are never kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import/cloud/cloud.h"
#include "import/load.h"

#define FIX "tests/fixtures/cloud/ends/"

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	*n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

static void
ip_is(const struct ipaddr *a, const char *text)
{
	struct ipaddr want;
	assert_true(ipaddr_parse(str_from(text), &want));
	assert_int_equal(ipaddr_cmp(a, &want), 0);
}

/* Everything the parser kept, as text: no key may appear in it. */
static void
no_secret(const struct cloud_vpn *v, const char *secret)
{
	assert_true(v->id == NULL || strstr(v->id, secret) == NULL);
	for (size_t i = 0; i < v->ntun; i++) {
		const struct cloud_params *p[] = {&v->tun[i].ike,
						  &v->tun[i].esp};
		for (size_t k = 0; k < 2; k++) {
			assert_true(!p[k]->enc || !strstr(p[k]->enc, secret));
			assert_true(!p[k]->integ ||
				    !strstr(p[k]->integ, secret));
		}
	}
}

static void
test_aws_generic(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	size_t n;
	char *buf = slurp(FIX "aws-bgp.txt", &n);
	struct cloud_vpn v;
	assert_true(cloud_parse_aws(&ar, "aws-bgp.txt", buf, n, &v));
	assert_string_equal(v.format, "generic");
	assert_string_equal(v.id, "vpn-0a1b2c3d4e5f60718");
	assert_int_equal(v.ntun, 2);
	assert_true(v.route_based && v.bgp && v.routing_stated);
	const struct cloud_tunnel *t = &v.tun[1];
	assert_int_equal(t->n, 2);
	ip_is(&t->cloud_ip, "203.0.113.20");
	ip_is(&t->onprem_ip, "5.6.7.1");
	ip_is(&t->inside_onprem.addr, "169.254.45.2");
	assert_int_equal(t->inside_onprem.plen, 30);
	assert_true(t->has_psk);
	assert_int_equal(t->ikever, 2);
	assert_string_equal(t->ike.enc, "aes128");
	assert_string_equal(t->ike.integ, "sha1");
	assert_int_equal(t->ike.dh, 2);
	assert_int_equal(t->esp.dh, 2);
	assert_string_equal(t->esp.integ, "sha1");
	assert_int_equal(t->bgp_asn_cloud, 64512);
	assert_int_equal(t->bgp_asn_onprem, 65000);
	assert_int_equal(v.tun[0].mss, 1379);
	assert_int_equal(v.tun[0].mtu, 1436);
	no_secret(&v, "fixture_psk");
	arena_free(&ar);
}

static void
test_aws_static_and_pfsense(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	size_t n;
	struct cloud_vpn v;
	char *buf = slurp(FIX "aws-static.txt", &n);
	assert_true(cloud_parse_aws(&ar, "s", buf, n, &v));
	assert_true(v.routing_stated && !v.bgp);
	buf = slurp(FIX "aws-pfsense.txt", &n);
	assert_true(cloud_parse_aws(&ar, "p", buf, n, &v));
	assert_string_equal(v.format, "pfSense");
	assert_int_equal(v.ntun, 2);
	assert_false(v.route_based);
	ip_is(&v.tun[0].cloud_ip, "203.0.113.10");
	ip_is(&v.tun[1].cloud_ip, "203.0.113.20");
	assert_int_equal(v.tun[0].ike.dh, 2);
	assert_string_equal(v.tun[0].ike.enc, "aes128");
	assert_int_equal(v.tun[1].ikever, 2);
	no_secret(&v, "fixture_psk");
	arena_free(&ar);
}

static void
test_kv(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	size_t n;
	struct cloud_vpn v;
	char *buf = slurp(FIX "azure-route.conf", &n);
	assert_true(cloud_parse_kv(&ar, "a", buf, n, &v));
	assert_int_equal(v.provider, CLOUD_AZURE);
	assert_true(v.route_based && v.route_stated && !v.policy_ts);
	assert_int_equal(v.ncloud, 1);
	assert_int_equal(v.nonprem, 1);
	assert_int_equal(v.tun[0].ike.dh, 14);
	assert_string_equal(v.tun[0].ike.enc, "aes256");
	assert_true(v.tun[0].has_psk);
	buf = slurp(FIX "gcp-ha.conf", &n);
	assert_true(cloud_parse_kv(&ar, "g", buf, n, &v));
	assert_int_equal(v.provider, CLOUD_GCP);
	assert_int_equal(v.ntun, 2);
	ip_is(&v.tun[1].inside_cloud.addr, "169.254.32.1");
	assert_true(v.bgp);
	no_secret(&v, "fixture-not-a-secret");
	arena_free(&ar);
}

/* Each is refused: load fails, a located error is printed. */
static const char *const bad_kv[] = {
    "provider = azure\ncloud_ip 1.2.3.4\n",	       /* no '=' */
    "provider = oracle\ncloud_ip = 1.2.3.4\n",	       /* provider */
    "provider = aws\ntunnel99.cloud_ip = 1.2.3.4\n",   /* tunnel number */
    "provider = aws\ntunnel1.cloud_ip = 1.2.3\n",      /* address */
    "provider = aws\ninside_cloud = 169.254.1.1/33\n", /* prefix length */
    "provider = aws\nname = x\n",		       /* no tunnel */
    "provider = aws\n= 1\n",			       /* empty key */
};

static void
test_kv_hostile(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	for (size_t i = 0; i < sizeof(bad_kv) / sizeof(*bad_kv); i++) {
		struct cloud_vpn v;
		unsigned before = diag_count(DIAG_ERROR);
		assert_false(cloud_parse_kv(&ar, "bad", bad_kv[i],
					    strlen(bad_kv[i]), &v));
		assert_int_equal(diag_count(DIAG_ERROR), before + 1);
	}
	arena_free(&ar);
}

static void
test_aws_hostile(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct cloud_vpn v;
	/* nothing, garbage with NULs, a banner without tunnels */
	assert_false(cloud_parse_aws(&ar, "e", "", 0, &v));
	char junk[4096];
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)((i * 7919u) % 251);
	assert_false(cloud_parse_aws(&ar, "j", junk, sizeof(junk), &v));
	const char *banner = "Amazon Web Services\nIPSec Tunnel #\n";
	assert_false(cloud_parse_aws(&ar, "b", banner, strlen(banner), &v));
	/* truncated in tunnel 2: read, tunnel 2 has no address */
	size_t n;
	char *buf = slurp(FIX "aws-bgp.txt", &n);
	const char *cut = strstr(buf, "IPSec Tunnel #2");
	assert_non_null(cut);
	size_t len = (size_t)(cut - buf) + 40;
	assert_true(cloud_parse_aws(&ar, "t", buf, len, &v));
	assert_int_equal(v.ntun, 2);
	assert_true(v.tun[0].has_cloud_ip);
	assert_false(v.tun[1].has_cloud_ip);
	/* a bad address is a warning, the rest is read */
	const char *bad = "IPSec Tunnel #1\nOutside IP Addresses:\n"
			  "  - Virtual Private Gateway : 300.1.2.3\n";
	assert_true(cloud_parse_aws(&ar, "a", bad, strlen(bad), &v));
	assert_false(v.tun[0].has_cloud_ip);
	/* tunnel numbers outside 1..16 are not tunnels */
	const char *big = "IPSec Tunnel #99999999999\n";
	assert_false(cloud_parse_aws(&ar, "n", big, strlen(big), &v));
	arena_free(&ar);
}

static void
test_recognize(void **state)
{
	(void)state;
	size_t n;
	char *buf = slurp(FIX "aws-bgp.txt", &n);
	assert_int_equal(input_recognize((unsigned char *)buf, n, NULL),
			 INPUT_CLOUD_VPN);
	buf = slurp(FIX "gcp-ha.conf", &n);
	assert_int_equal(input_recognize((unsigned char *)buf, n, NULL),
			 INPUT_CLOUD_VPN);
	/* a firewall config that mentions AWS's tunnels stays a config */
	const char *xml = "<?xml version=\"1.0\"?>\n<pfsense><descr>Amazon "
			  "Web Services IPSec Tunnel #1</descr></pfsense>\n";
	assert_int_equal(
	    input_recognize((const unsigned char *)xml, strlen(xml), NULL),
	    INPUT_PFSENSE_XML);
	const char *other = "providers = 1\n";
	assert_int_not_equal(
	    input_recognize((const unsigned char *)other, strlen(other), NULL),
	    INPUT_CLOUD_VPN);
}

int
main(void)
{
	diag_set_quiet(true);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_aws_generic),
	    cmocka_unit_test(test_aws_static_and_pfsense),
	    cmocka_unit_test(test_kv),
	    cmocka_unit_test(test_kv_hostile),
	    cmocka_unit_test(test_aws_hostile),
	    cmocka_unit_test(test_recognize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
