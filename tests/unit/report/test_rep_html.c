/* HTML report helpers: escaping of hostile text (markup, quotes, control
 * characters, invalid UTF-8, truncation on character boundaries) and the
 * links from failing hops to findings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rep_html.h"

static char *
put(const char *s, size_t max)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	html_put(f, s, max);
	fclose(f);
	return buf;
}

static void
test_put(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t max;
		const char *want;
	} cases[] = {
	    {"plain", 0, "plain"},
	    {"<script>alert(1)</script>", 0,
	     "&lt;script&gt;alert(1)&lt;/script&gt;"},
	    {"\"quotes\" & 'apos'", 0,
	     "&quot;quotes&quot; &amp; &#39;apos&#39;"},
	    {"a\x01"
	     "b\x7f"
	     "c\td\n",
	     0,
	     "a\xef\xbf\xbd"
	     "b\xef\xbf\xbd"
	     "c\td\n"},
	    {"caf\xc3\xa9 \xe2\x9c\x93", 0, "caf\xc3\xa9 \xe2\x9c\x93"},
	    {"bad \xff\xc3(", 0, "bad \xef\xbf\xbd\xef\xbf\xbd("},
	    {"overlong \xc0\xaf surrogate \xed\xa0\x80", 0,
	     "overlong \xef\xbf\xbd\xef\xbf\xbd surrogate "
	     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
	    {"cut short \xe2\x9c", 0, "cut short \xef\xbf\xbd\xef\xbf\xbd"},
	    {"abcdef", 4, "abc\xe2\x80\xa6"},
	    {"abcd", 4, "abcd"},
	    {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3,
	     "\xc3\xa9\xc3\xa9\xe2\x80\xa6"},
	    {"<<<<", 2, "&lt;\xe2\x80\xa6"},
	    {"", 0, ""},
	    {NULL, 0, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = put(cases[i].in, cases[i].max);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got '%s' want '%s'", i, got,
				 cases[i].want);
		free(got);
	}
}

/* Two flows failing at the same kind of hop with the same cause: the
 * finding names the first; the second links to it too; a hop whose cause
 * has no finding links nowhere; a finding naming a hop out of range
 * names none. */
static void
test_links(void **state)
{
	(void)state;
	struct step a[3] = {{.kind = STEP_RECEIVED, .site = "B"},
			    {.kind = STEP_DENIED_IN,
			     .site = "B",
			     .failed = true,
			     .cause = CHK_IPSEC_RULES_MISSING}};
	struct step b[2] = {{.kind = STEP_RECEIVED, .site = "B"},
			    {.kind = STEP_DENIED_IN,
			     .site = "B",
			     .failed = true,
			     .cause = CHK_IPSEC_RULES_MISSING}};
	struct step c[1] = {{.kind = STEP_WAN_FILTER,
			     .site = "A",
			     .failed = true,
			     .cause = CHK_WAN_VPN_BLOCKED}};
	struct flow_trace fl[3] = {
	    {.request = {.steps = a, .n = 2, .fail_at = 1}},
	    {.request = {.steps = b, .n = 2, .fail_at = 1}},
	    {.request = {.steps = c, .n = 1, .fail_at = 0}},
	};
	struct finding f[2] = {
	    {.id = CHK_IPSEC_RULES_PROTOCOL, .flow = 0, .hop = 1},
	    {.id = CHK_P2_MISMATCH, .flow = 0, .hop = 7},
	};
	struct findings fs = {.f = f, .n = 2};
	struct report r = {.flows = fl, .nflows = 3, .findings = &fs};
	assert_int_equal(html_hop_finding(&r, 0, false, 1), 0);
	assert_int_equal(html_hop_finding(&r, 1, false, 1), 0);
	assert_int_equal(html_hop_finding(&r, 0, false, 0), -1);
	assert_int_equal(html_hop_finding(&r, 2, false, 0), -1);
	size_t flow, hop;
	bool reply;
	assert_true(html_finding_hop(&r, &f[0], &flow, &reply, &hop));
	assert_int_equal(flow, 0);
	assert_int_equal(hop, 1);
	assert_false(html_finding_hop(&r, &f[1], &flow, &reply, &hop));
	f[1].id = CHK_WAN_VPN_BLOCKED;
	assert_int_equal(html_hop_finding(&r, 2, false, 0), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put),
	    cmocka_unit_test(test_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
