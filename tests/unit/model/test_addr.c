/* Address, prefix and set arithmetic, IPv4 and IPv6. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "model/addr.h"

static struct arena ar;

static struct addrset
set_of(const char *list)
{
	struct addrset s = {0};
	struct str rest = str_from(list), tok;
	while (str_next(&rest, ',', &tok)) {
		struct prefix p;
		assert_true(prefix_parse(str_trim(tok), &p, NULL));
		addrset_add_prefix(&ar, &s, &p);
	}
	return s;
}

static const char *
fmt(const struct addrset *s)
{
	return addrset_format(&ar, s, 64);
}

static void
test_prefix_parse(void **state)
{
	(void)state;
	struct prefix p;
	bool host;
	char buf[PREFIX_STRLEN];
	assert_true(prefix_parse(str_from("10.0.1.7/24"), &p, &host));
	assert_true(host);
	assert_string_equal(prefix_format(&p, buf), "10.0.1.0/24");
	assert_true(prefix_parse(str_from("0.0.0.0/0"), &p, NULL));
	assert_int_equal(p.len, 0);
	assert_true(prefix_parse(str_from("10.0.0.1"), &p, NULL));
	assert_int_equal(p.len, 32);
	assert_true(prefix_parse(str_from("2001:db8::1/128"), &p, NULL));
	assert_string_equal(prefix_format(&p, buf), "2001:db8::1/128");
	assert_true(prefix_parse(str_from("::/0"), &p, NULL));
	assert_int_equal(p.addr.fam, FAM_V6);
	assert_false(prefix_parse(str_from("10.0.0.0/33"), &p, NULL));
	assert_false(prefix_parse(str_from("10.0.0/24"), &p, NULL));
	assert_false(prefix_parse(str_from("2001:db8::/129"), &p, NULL));
	assert_false(prefix_parse(str_from("10.0.0.0/"), &p, NULL));
	assert_false(prefix_parse(str_from(""), &p, NULL));
}

static void
test_contains_edges(void **state)
{
	(void)state;
	struct prefix p;
	struct ipaddr a;
	prefix_parse(str_from("0.0.0.0/0"), &p, NULL);
	ipaddr_parse(str_from("255.255.255.255"), &a);
	assert_true(prefix_contains(&p, &a));
	ipaddr_parse(str_from("::1"), &a);
	assert_false(prefix_contains(&p, &a)); /* families never mix */
	prefix_parse(str_from("10.0.0.5/32"), &p, NULL);
	ipaddr_parse(str_from("10.0.0.5"), &a);
	assert_true(prefix_contains(&p, &a));
	ipaddr_parse(str_from("10.0.0.6"), &a);
	assert_false(prefix_contains(&p, &a));
	prefix_parse(str_from("::/0"), &p, NULL);
	ipaddr_parse(str_from("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), &a);
	assert_true(prefix_contains(&p, &a));
}

static void
test_union_adjacent_merges(void **state)
{
	(void)state;
	struct addrset a = set_of("10.0.0.0/25"), b = set_of("10.0.0.128/25");
	struct addrset u = addrset_union(&ar, &a, &b);
	assert_string_equal(fmt(&u), "10.0.0.0/24");
	struct addrset c = set_of("10.0.1.0/24, 10.0.0.0/24");
	assert_string_equal(fmt(&c), "10.0.0.0/23");
}

static void
test_intersect_and_diff(void **state)
{
	(void)state;
	struct addrset a = set_of("10.0.2.0/23"), b = set_of("10.0.2.0/24");
	struct addrset i = addrset_intersect(&ar, &a, &b);
	assert_string_equal(fmt(&i), "10.0.2.0/24");
	struct addrset d = addrset_diff(&ar, &a, &b);
	assert_string_equal(fmt(&d), "10.0.3.0/24");
	struct addrset e = addrset_diff(&ar, &b, &a);
	assert_true(addrset_is_empty(&e));
	assert_string_equal(fmt(&e), "none");
	struct addrset x = set_of("10.0.0.0/24"), y = set_of("10.0.1.0/24");
	assert_false(addrset_overlaps(&x, &y));
	struct addrset z = addrset_intersect(&ar, &x, &y);
	assert_true(addrset_is_empty(&z));
}

static void
test_negate(void **state)
{
	(void)state;
	struct addrset a = set_of("0.0.0.0/1");
	struct addrset n = addrset_negate(&ar, &a);
	assert_string_equal(fmt(&n), "128.0.0.0/1, ::/0");
	struct addrset any = addrset_any(&ar);
	assert_true(addrset_is_any(&any));
	assert_string_equal(fmt(&any), "any");
	struct addrset none = addrset_negate(&ar, &any);
	assert_true(addrset_is_empty(&none));
	struct addrset back = addrset_negate(&ar, &none);
	assert_true(addrset_is_any(&back));
	struct addrset h = set_of("255.255.255.255/32");
	struct addrset nh = addrset_negate(&ar, &h);
	assert_string_equal(addrset_format(&ar, &nh, 2),
			    "0.0.0.0/1, 128.0.0.0/2, ... (30 more)");
}

static void
test_ipv6_sets(void **state)
{
	(void)state;
	struct addrset a = set_of("2001:db8::/32"),
		       b = set_of("2001:db8:1::/48, 10.0.0.0/8");
	assert_true(addrset_overlaps(&a, &b));
	struct addrset i = addrset_intersect(&ar, &a, &b);
	assert_string_equal(fmt(&i), "2001:db8:1::/48");
	struct addrset d = addrset_diff(&ar, &b, &a);
	assert_string_equal(fmt(&d), "10.0.0.0/8");
	struct addrset all = set_of("::/0");
	struct ipaddr v4;
	ipaddr_parse(str_from("10.1.1.1"), &v4);
	assert_false(addrset_contains(&all, &v4));
	struct addrset top =
	    set_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128, "
		   "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/128");
	assert_string_equal(fmt(&top),
			    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127");
}

static void
test_subset_pick(void **state)
{
	(void)state;
	struct addrset a = set_of("10.0.2.0/25"), b = set_of("10.0.2.0/24");
	assert_true(addrset_subset(&a, &b));
	assert_false(addrset_subset(&b, &a));
	struct ipaddr h;
	char buf[ADDR_STRLEN];
	assert_true(addrset_pick(&b, &h));
	assert_string_equal(ipaddr_format(&h, buf), "10.0.2.1");
	struct addrset one = set_of("10.9.9.9/32");
	assert_true(addrset_pick(&one, &h));
	assert_string_equal(ipaddr_format(&h, buf), "10.9.9.9");
}

static void
test_ports(void **state)
{
	(void)state;
	struct portset p = {0};
	portset_add(&ar, &p, 1000, 2000);
	portset_add(&ar, &p, 2001, 2001);
	portset_add(&ar, &p, 80, 80);
	assert_string_equal(portset_format(&ar, &p), "80,1000-2001");
	assert_true(portset_contains(&p, 2001));
	assert_false(portset_contains(&p, 2002));
	struct portset any = {0};
	portset_add(&ar, &any, 0, 65535);
	assert_true(portset_is_any(&any));
}

/* Known protocols by name, the others as proto-N; two unknown names
 * stay distinct (they are constants, not one reused buffer). */
static void
test_proto_names(void **state)
{
	(void)state;
	assert_string_equal(proto_name(50), "esp");
	assert_string_equal(proto_name(112), "carp");
	const char *a = proto_name(0), *b = proto_name(99),
		   *c = proto_name(255);
	assert_string_equal(a, "proto-0");
	assert_string_equal(b, "proto-99");
	assert_string_equal(c, "proto-255");
	assert_string_equal(proto_name(249), "proto-249");
	assert_string_equal(proto_name(1000), "proto-?");
	for (unsigned p = 0; p < 256; p++) {
		char want[16];
		snprintf(want, sizeof(want), "proto-%u", p);
		const char *n = proto_name(p);
		if (strncmp(n, "proto-", 6) == 0)
			assert_string_equal(n, want);
		else /* a name reads back as its number */
			assert_int_equal(proto_from_name(str_from(n)), (int)p);
	}
}

/* Service names of Linux's and FreeBSD's /etc/services: nft rules and
 * OPNsense port fields name ports so. */
static void
test_service_ports(void **state)
{
	(void)state;
	assert_int_equal(service_port(str_from("https")), 443);
	assert_int_equal(service_port(str_from("ipsec-nat-t")), 4500);
	assert_int_equal(service_port(str_from("ipsec-msft")), 4500);
	assert_int_equal(service_port(str_from("ms-wbt-server")), 3389);
	assert_int_equal(service_port(str_from("rfb")), 5900);
	assert_int_equal(service_port(str_from("HTTPS")), -1);
	assert_int_equal(service_port(str_from("nosuchservice")), -1);
	assert_int_equal(service_port(str_from("")), -1);
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prefix_parse),
	    cmocka_unit_test(test_contains_edges),
	    cmocka_unit_test(test_union_adjacent_merges),
	    cmocka_unit_test(test_intersect_and_diff),
	    cmocka_unit_test(test_negate),
	    cmocka_unit_test(test_ipv6_sets),
	    cmocka_unit_test(test_subset_pick),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_proto_names),
	    cmocka_unit_test(test_service_ports),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
