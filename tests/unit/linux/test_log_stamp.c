/* BSD syslog timestamps of IPsec logs: the day padded or not, an
 * optional year, and a year inferred never after the file's time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <time.h>

#include "import/linux/linux.h"

static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = s};
	return timegm(&tm);
}

static void
test_padding(void **state)
{
	(void)state;
	double a, b;
	size_t ua, ub;
	time_t ref = utc(2026, 3, 1, 0, 0, 0);
	assert_true(log_ipsec_stamp(str_from("Jan  1 10:00:05 fw charon"), ref,
				    &a, &ua));
	assert_true(log_ipsec_stamp(str_from("Jan 1 10:00:05 fw charon"), ref,
				    &b, &ub));
	assert_true(a == b);
	assert_true(a == (double)utc(2026, 1, 1, 10, 0, 5));
	assert_int_equal(ua, 15);
	assert_int_equal(ub, 14);
	assert_false(
	    log_ipsec_stamp(str_from("Jan 32 10:00:05 x"), ref, &a, &ua));
	assert_false(
	    log_ipsec_stamp(str_from("Foo  1 10:00:05 x"), ref, &a, &ua));
	assert_false(log_ipsec_stamp(str_from("Jan  1 10:0"), ref, &a, &ua));
}

static void
test_year_never_future(void **state)
{
	(void)state;
	double t;
	size_t u;
	/* a December line in a file written in January: last year */
	time_t jan = utc(2026, 1, 2, 8, 0, 0);
	assert_true(
	    log_ipsec_stamp(str_from("Dec 31 23:59:59 fw"), jan, &t, &u));
	assert_true(t == (double)utc(2025, 12, 31, 23, 59, 59));
	/* the same day as the file, a few hours later (zone skew): kept */
	assert_true(
	    log_ipsec_stamp(str_from("Jan  2 20:00:00 fw"), jan, &t, &u));
	assert_true(t == (double)utc(2026, 1, 2, 20, 0, 0));
	/* an explicit year wins */
	assert_true(log_ipsec_stamp(str_from("Dec 31 23:59:59 2030 09[IKE]"),
				    jan, &t, &u));
	assert_true(t == (double)utc(2030, 12, 31, 23, 59, 59));
	assert_int_equal(u, 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_padding),
	    cmocka_unit_test(test_year_never_future),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
