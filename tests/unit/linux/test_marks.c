/* xfrm marks and the links that set them (doc/behaviour/cloud-and-linux.md
 * §10): swanctl mark_in/mark_out and ipsec.conf mark= as value/mask (run
 * time marks such as %unique are no mark), VTI keys and MTUs from
 * `ip -d link` text and `ip -d -j link` JSON, and a netfilter ruleset
 * that sets marks. Each case names what the model must hold. */
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

static struct arena ar;
static struct site site;

/* Loads the site NAME=files, each written from texts[i] into a temporary
 * file whose name ends in sfx[i]. */
static bool
load(const char *const *texts, const char *const *sfx, size_t n)
{
	char spec[1024] = "gw=";
	char paths[4][64];
	for (size_t i = 0; i < n; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/tmp/test_marksXXXXXX%s",
			 sfx[i]);
		int fd = mkstemps(paths[i], (int)strlen(sfx[i]));
		assert_true(fd >= 0);
		assert_int_equal(write(fd, texts[i], strlen(texts[i])),
				 (ssize_t)strlen(texts[i]));
		close(fd);
		strcat(spec, paths[i]);
		if (i + 1 < n)
			strcat(spec, ",");
	}
	arena_free(&ar);
	arena_init(&ar);
	diag_set_quiet(true);
	bool ok = site_load(&ar, spec, &site);
	for (size_t i = 0; i < n; i++)
		unlink(paths[i]);
	return ok;
}

static const struct iface *
dev(const char *name)
{
	for (size_t i = 0; i < site.nifaces; i++)
		if (site.ifaces[i].dev && strcmp(site.ifaces[i].dev, name) == 0)
			return &site.ifaces[i];
	return NULL;
}

#define SWANCTL(MARKS)                                                         \
	"connections {\n gw {\n  remote_addrs = 198.51.100.1\n"                \
	"  local { auth = psk }\n  remote { auth = psk }\n  children {\n"      \
	"   a {\n    local_ts = 10.0.2.0/24\n    remote_ts = "                 \
	"10.0.1.0/24\n" MARKS "   }\n  }\n }\n}\n"

static void
swanctl_marks(void **state)
{
	(void)state;
	const char *t[] = {SWANCTL("    mark_in = 42\n"
				   "    mark_out = 0x2a/0xff\n")};
	const char *x[] = {".conf"};
	assert_true(load(t, x, 1));
	assert_int_equal(site.np2, 1);
	assert_true(site.p2[0].has_mark_in);
	assert_int_equal(site.p2[0].mark_in, 42);
	assert_int_equal(site.p2[0].mark_in_mask, 0xffffffffu);
	assert_true(site.p2[0].has_mark_out);
	assert_int_equal(site.p2[0].mark_out, 0x2a);
	assert_int_equal(site.p2[0].mark_out_mask, 0xff);
	const char *u[] = {SWANCTL("    mark_in = %unique\n"
				   "    mark_out = -1\n")};
	assert_true(load(u, x, 1));
	assert_false(site.p2[0].has_mark_in); /* set per SA at run time */
	assert_false(site.p2[0].has_mark_out);
}

static void
ipsecconf_mark(void **state)
{
	(void)state;
	const char *t[] = {"conn gw\n\tleft=198.51.100.2\n\tright=198.51.100.1"
			   "\n\tleftsubnet=10.0.2.0/24\n\trightsubnet=10.0.1.0/"
			   "24\n\tmark=100\n\tmark_out=7/0xf\n\tauto=start\n"};
	const char *x[] = {"ipsec.conf"};
	assert_true(load(t, x, 1));
	assert_int_equal(site.np2, 1);
	assert_int_equal(site.p2[0].mark_in, 100); /* mark= for both */
	assert_int_equal(site.p2[0].mark_out, 7);  /* mark_out= wins */
	assert_int_equal(site.p2[0].mark_out_mask, 0xf);
}

static void
link_text(void **state)
{
	(void)state;
	const char *t[] = {
	    "8: vti0@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1422 qdisc "
	    "noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n"
	    "    link/ipip 198.51.100.2 peer 198.51.100.1 promiscuity 0\n"
	    "    vti remote 198.51.100.1 local 198.51.100.2 ikey 0.0.0.42 "
	    "okey 0.0.1.0 pmtudisc addrgenmode eui64\n"};
	const char *x[] = {"ip-link.txt"};
	assert_true(load(t, x, 1));
	const struct iface *v = dev("vti0");
	assert_non_null(v);
	assert_true(site.has_link_details);
	assert_true(v->has_vti_keys);
	assert_int_equal(v->vti_ikey, 42);
	assert_int_equal(v->vti_okey, 256);
	assert_int_equal(v->mtu, 1422);
	assert_int_equal(v->role, ROLE_VTI);
}

static void
link_json(void **state)
{
	(void)state;
	const char *t[] = {
	    "[{\"ifindex\":2,\"ifname\":\"wan0\",\"mtu\":1500,"
	    "\"link_type\":\"ether\",\"promiscuity\":0},"
	    "{\"ifindex\":7,\"ifname\":\"xfrm0\",\"mtu\":1400,"
	    "\"link_type\":\"none\",\"promiscuity\":0,\"linkinfo\":"
	    "{\"info_kind\":\"xfrm\",\"info_data\":{\"link\":\"wan0\","
	    "\"if_id\":\"0x2a\"}}},"
	    "{\"ifindex\":8,\"ifname\":\"vti1\",\"mtu\":1436,"
	    "\"link_type\":\"ipip\",\"promiscuity\":0,\"linkinfo\":"
	    "{\"info_kind\":\"vti\",\"info_data\":{\"ikey\":\"0.0.0.100\","
	    "\"okey\":\"0.0.0.101\"}}}]\n"};
	const char *x[] = {"ip-link.json"};
	assert_true(load(t, x, 1));
	assert_true(site.has_link_details);
	const struct iface *xf = dev("xfrm0"), *v = dev("vti1");
	assert_non_null(xf);
	assert_non_null(v);
	assert_true(xf->has_if_id);
	assert_int_equal(xf->xfrm_if_id, 42);
	assert_int_equal(xf->mtu, 1400);
	assert_int_equal(xf->role, ROLE_VTI);
	assert_int_equal(v->vti_ikey, 100);
	assert_int_equal(v->vti_okey, 101);
	assert_int_equal(v->mtu, 1436);
	assert_int_equal(dev("wan0")->role, ROLE_LAN); /* routes decide WAN */
}

static void
nf_mark_setter(void **state)
{
	(void)state;
	const char *t[] = {"*mangle\n:PREROUTING ACCEPT [0:0]\n"
			   "-A PREROUTING -p esp -j MARK --set-xmark "
			   "0x2a/0xffffffff\nCOMMIT\n"};
	const char *x[] = {"iptables.save"};
	assert_true(load(t, x, 1));
	assert_true(site.nf_sets_mark);
	const char *u[] = {"*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j "
			   "ACCEPT\nCOMMIT\n"};
	assert_true(load(u, x, 1));
	assert_false(site.nf_sets_mark);
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(swanctl_marks),  cmocka_unit_test(ipsecconf_mark),
	    cmocka_unit_test(link_text),      cmocka_unit_test(link_json),
	    cmocka_unit_test(nf_mark_setter),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return r;
}
