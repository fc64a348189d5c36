/* util/str: the bounded number reader every importer uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/str.h"

static const struct {
	const char *text;
	uint64_t max;
	bool ok;
	uint64_t v;
} u64_cases[] = {
    {"0", 2, true, 0},
    {"2", 2, true, 2},
    {"3", 2, false, 0}, /* one digit above a small max */
    {"7", 2, false, 0}, /* max - d wrapped: was accepted as 7 */
    {"12", 2, false, 0},
    {"65535", 65535, true, 65535},
    {"65536", 65535, false, 0},
    {"99999", 65535, false, 0},
    {"18446744073709551615", UINT64_MAX, true, UINT64_MAX},
    {"18446744073709551616", UINT64_MAX, false, 0},
    {"", 10, false, 0},
    {"1a", 10, false, 0},
    {"-1", 10, false, 0},
};

static void
test_to_u64(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(u64_cases) / sizeof(*u64_cases); i++) {
		uint64_t v = 0;
		bool ok = str_to_u64(str_from(u64_cases[i].text),
				     u64_cases[i].max, &v);
		if (ok != u64_cases[i].ok)
			fail_msg("'%s' (max %llu): %s", u64_cases[i].text,
				 (unsigned long long)u64_cases[i].max,
				 ok ? "accepted" : "refused");
		if (ok)
			assert_int_equal(v, u64_cases[i].v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_to_u64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
