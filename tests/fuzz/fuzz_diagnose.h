/* Shared end of the diagnosis fuzz targets: the whole pipeline on the
 * given sites, then every reporter, output thrown away. */
#ifndef FUZZ_DIAGNOSE_H
#define FUZZ_DIAGNOSE_H

#include <stdio.h>

#include "check/check.h"
#include "report/report.h"

static inline void
fuzz_diagnose_sites(struct arena *ar, struct site **sites, size_t n)
{
	struct analysis an = {.ar = ar, .sites = sites, .nsites = n};
	analysis_run(&an, NULL, NULL, NULL);
	struct report r = {.command = "diagnose",
			   .sites = sites,
			   .nsites = n,
			   .flows = an.flows,
			   .nflows = an.nflows,
			   .findings = &an.fs};
	FILE *out = fopen("/dev/null", "w");
	if (out) {
		rep_text(out, &r);
		rep_json(out, &r);
		rep_html(out, &r);
		fclose(out);
	}
}

#endif
