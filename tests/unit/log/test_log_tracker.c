/* Tracker -> rule join: user rules, duplicates, system ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/log_tracker.h"

static struct arena ar;

static struct site *
site_with_rules(void)
{
	struct site *s = arena_alloc(&ar, sizeof(*s));
	s->has_config = true;
	struct iface *enc = ARENA_PUSH(&ar, s->ifaces, s->nifaces, s->cifaces);
	enc->key = "enc0";
	enc->descr = "IPsec";
	static const char *const trackers[] = {"1700000001", "1700000002",
					       "1700000002"};
	for (unsigned i = 0; i < 3; i++) {
		struct rule *r =
		    ARENA_PUSH(&ar, s->rules, s->nrules, s->crules);
		const char **ifc =
		    ARENA_PUSH(&ar, r->ifaces, r->nifaces, r->cifaces);
		*ifc = i == 0 ? "enc0" : "lan";
		r->position = i + 1;
		r->tracker = trackers[i];
		r->descr = i == 0 ? "allow tcp" : "copied";
		r->loc = (struct srcloc){"config.xml", 812 + i, 0, 0};
	}
	return s;
}

static struct lt_result
join(const struct site *s, const char *t, const struct lt_context *c)
{
	return log_tracker_join(&ar, s, t, c);
}

static void
test_user_rule(void **state)
{
	(void)state;
	struct site *s = site_with_rules();
	struct lt_result r = join(s, "1700000001", NULL);
	assert_int_equal(r.kind, LT_USER);
	assert_ptr_equal(r.rule, &s->rules[0]);
	assert_string_equal(
	    r.descr, "user rule 1 on IPsec 'allow tcp' (config.xml:812)");
}

static void
test_duplicate_tracker(void **state)
{
	(void)state;
	struct site *s = site_with_rules();
	struct lt_result r = join(s, "1700000002", NULL);
	assert_int_equal(r.kind, LT_USER);
	assert_int_equal(r.nmatch, 2);
	assert_ptr_equal(r.rule, &s->rules[1]);
	assert_non_null(strstr(r.descr, "is duplicated: 2 rules share it"));
}

static void
test_default_deny(void **state)
{
	(void)state;
	struct lt_context in4 = {
	    .known = true, .ipver = 4, .dir = PDIR_IN, .block = true};
	ipaddr_parse(str_from("10.0.2.7"), &in4.src);
	ipaddr_parse(str_from("10.0.1.5"), &in4.dst);
	struct lt_result r = join(NULL, "1000000103", &in4);
	assert_int_equal(r.kind, LT_DEFAULT_DENY);
	assert_string_equal(r.descr,
			    "default deny rule IPv4 in (no rule matched)");
	/* shifted numbering (no_apipa_block): the packet decides */
	assert_int_equal(join(NULL, "1000000102", &in4).kind, LT_DEFAULT_DENY);
	assert_string_equal(join(NULL, "1000000104", NULL).descr,
			    "default deny rule IPv4 out (no rule matched)");
	assert_string_equal(join(NULL, "1000000105", NULL).descr,
			    "default deny rule IPv6 in (no rule matched)");
	struct lt_context ll = in4;
	ipaddr_parse(str_from("169.254.3.3"), &ll.src);
	assert_int_equal(join(NULL, "1000000101", &ll).kind, LT_LINKLOCAL);
}

static void
test_system_ranges(void **state)
{
	(void)state;
	assert_int_equal(join(NULL, "11001", NULL).kind, LT_BOGONS);
	assert_int_equal(join(NULL, "12003", NULL).kind, LT_PRIVATE);
	assert_int_equal(join(NULL, "10001", NULL).kind, LT_ANTILOCKOUT);
	assert_int_equal(join(NULL, "13001", NULL).kind, LT_CAPTIVE);
	assert_int_equal(join(NULL, "10000001", NULL).kind, LT_NEGATE);
	assert_int_equal(join(NULL, "1000000400", NULL).kind, LT_VIRUSPROT);
	assert_int_equal(join(NULL, "1000000201", NULL).kind, LT_SYSTEM);
	assert_non_null(strstr(join(NULL, "1000000003", NULL).descr,
			       "Block all IPv6 rule in"));
	assert_int_equal(join(NULL, "0", NULL).kind, LT_NONE);
	assert_int_equal(join(NULL, "", NULL).kind, LT_NONE);
	struct lt_context esp = {
	    .known = true, .ipver = 4, .dir = PDIR_IN, .proto = 50};
	assert_int_equal(join(NULL, "1000100021", &esp).kind, LT_AUTO_VPN);
	esp.block = true; /* auto IPsec rules only pass */
	assert_int_equal(join(NULL, "1000100021", &esp).kind, LT_SYSTEM);
}

static void
test_unknown_and_opnsense(void **state)
{
	(void)state;
	struct site *s = site_with_rules();
	struct lt_result r = join(s, "1700000099", NULL);
	assert_int_equal(r.kind, LT_UNKNOWN);
	assert_non_null(strstr(r.descr, "no rule of this config has it"));
	r = join(NULL, "1700000099", NULL);
	assert_non_null(strstr(r.descr, "no config to resolve it"));
	r = join(s, "02f4bab031b57d1e30553ce08e0ec131", NULL);
	assert_int_equal(r.kind, LT_OPNSENSE);
	s->rules[2].tracker = "02f4bab031b57d1e30553ce08e0ec131";
	r = join(s, "02f4bab031b57d1e30553ce08e0ec131", NULL);
	assert_int_equal(r.kind, LT_USER);
	assert_ptr_equal(r.rule, &s->rules[2]);
	assert_int_equal(
	    join(NULL, "64d253df-ef65-4b56-9df4-c03fc11b8ce4", NULL).kind,
	    LT_OPNSENSE);
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_user_rule),
	    cmocka_unit_test(test_duplicate_tracker),
	    cmocka_unit_test(test_default_deny),
	    cmocka_unit_test(test_system_ranges),
	    cmocka_unit_test(test_unknown_and_opnsense),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
