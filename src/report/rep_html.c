/* placeholder until the HTML report lands */
#include "report/report.h"

void
rep_html(FILE *f, const struct report *r)
{
	(void)r;
	fputs("<!doctype html><title>ipsecdiag</title><p>HTML report not "
	      "built yet.</p>\n", f);
}
