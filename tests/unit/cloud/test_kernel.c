/* Linux kernel facts (import/linux/cfg_kernel.c,
 * import/strongswan/status_sa.c): sysctl dumps in their three shapes, ip -d
 * link's xfrm if_id, ip xfrm policy's directions; bad lines are reported, never
 * fatal unless nothing is usable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "import/load.h"

/* Loads text as one explicit file of a site "t". */
static bool
load_text(struct arena *ar, const char *text, struct site *s, char *path)
{
	strcpy(path, "/tmp/ipsecdiag-kernel-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char *spec = arena_printf(ar, "t=%s", path);
	bool ok = site_load(ar, spec, s);
	unlink(path);
	return ok;
}

static void
test_sysctl(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	char p[64];
	assert_true(load_text(
	    &ar,
	    "net.ipv4.conf.all.rp_filter = 1\n"
	    "net.ipv4.conf.eth0/10.rp_filter = 2\n"
	    "sysctl: permission denied on key 'fs.protected_regular'\n"
	    "net.ipv4.conf.lan0.rp_filter=0\n"
	    "net.ipv4.conf.wan0.rp_filter = x\n"
	    "kernel.hostname = gw\n"
	    "net.ipv4.conf.all.rp_filter = 2\n",
	    &s, p));
	assert_int_equal(s.inputs[0].kind, INPUT_SYSCTL);
	assert_int_equal(
	    site_sysctl(&s, "net.ipv4.conf.eth0.10.rp_filter", NULL), 2);
	assert_int_equal(site_sysctl(&s, "net.ipv4.conf.lan0.rp_filter", NULL),
			 0);
	assert_int_equal(site_sysctl(&s, "net.ipv4.conf.wan0.rp_filter", NULL),
			 -1);
	/* the last value given wins */
	const struct srcloc *loc = NULL;
	assert_int_equal(site_sysctl(&s, "net.ipv4.conf.all.rp_filter", &loc),
			 2);
	assert_int_equal(loc->line, 7);
	arena_free(&ar);
}

static void
test_sysctl_proc(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	char p[64];
	assert_true(load_text(&ar,
			      "/proc/sys/net/ipv4/conf/all/rp_filter:1\n"
			      "/proc/sys/net/ipv4/conf/ipsec0/rp_filter:2\n",
			      &s, p));
	assert_int_equal(
	    site_sysctl(&s, "net.ipv4.conf.ipsec0.rp_filter", NULL), 2);
	arena_free(&ar);
}

static void
test_ip_link(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	char p[64];
	assert_true(load_text(
	    &ar,
	    "7: xfrm0@wan0: <NOARP,UP,LOWER_UP> mtu 1422 qdisc noqueue\n"
	    "    link/none  promiscuity 0\n"
	    "    xfrm if_id 0x2a addrgenmode eui64\n"
	    "8: xfrm1@wan0: <NOARP> mtu 99999999999 qdisc noqueue\n"
	    "    xfrm if_id zzz\n"
	    "garbage line\n",
	    &s, p));
	assert_int_equal(s.inputs[0].kind, INPUT_IP_LINK);
	const struct iface *x = site_iface_by_dev(&s, "xfrm0");
	assert_non_null(x);
	assert_true(x->has_if_id);
	assert_int_equal(x->xfrm_if_id, 42);
	assert_int_equal(x->mtu, 1422);
	assert_int_equal(x->role, ROLE_VTI);
	x = site_iface_by_dev(&s, "xfrm1");
	assert_non_null(x);
	assert_false(x->has_if_id);
	assert_int_equal(x->mtu, 0);
	arena_free(&ar);
}

static void
test_xfrm_policy(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site s;
	char p[64];
	assert_true(
	    load_text(&ar,
		      "src 10.0.2.0/24 dst 10.0.1.0/24 \n"
		      "\tdir out priority 375423 ptype main \n"
		      "\tmark 0x64/0xff\n"
		      "\tif_id 0x2a\n"
		      "\ttmpl src 198.51.100.2 dst 198.51.100.1\n"
		      "\t\tproto esp spi 0xc1a2b3c4 reqid 1 mode tunnel\n"
		      "src 10.0.1.0/24 dst 10.0.2.0/24 \n"
		      "\tdir fwd priority 375423 ptype main \n"
		      "src 0.0.0.0/0 dst 0.0.0.0/0 \n"
		      "\tsocket in priority 0 ptype main \n",
		      &s, p));
	assert_int_equal(s.inputs[0].kind, INPUT_SA_STATUS);
	assert_true(s.has_xpols);
	/* the socket policy has no direction: dropped */
	assert_int_equal(s.nxpols, 2);
	assert_int_equal(s.xpols[0].dir, XDIR_OUT);
	assert_int_equal(s.xpols[0].if_id, 42);
	assert_true(s.xpols[0].has_mark && s.xpols[0].mark == 0x64);
	assert_int_equal(s.xpols[0].mark_mask, 0xff);
	assert_true(s.xpols[0].has_tmpl);
	assert_int_equal(s.xpols[1].dir, XDIR_FWD);
	/* a policy dump states no SA */
	assert_false(s.ev.has_status);
	arena_free(&ar);
}

int
main(void)
{
	diag_set_quiet(true);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sysctl),
	    cmocka_unit_test(test_sysctl_proc),
	    cmocka_unit_test(test_ip_link),
	    cmocka_unit_test(test_xfrm_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
