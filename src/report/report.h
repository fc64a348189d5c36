/* Reporters: findings, traces and the evidence summary to text, JSON and
 * HTML. They see the model, never importers or the engine. */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/compare.h"
#include "model/finding.h"
#include "model/site.h"
#include "model/trace.h"

struct report {
	const char *command; /* "diagnose", "trace", "lint" */
	struct site **sites;
	size_t nsites;
	struct flow_trace *flows;
	size_t nflows;
	struct findings *findings;
	bool timestamps; /* --timestamps: clock times allowed */
	bool color;
	bool verbose; /* -v: the hops of every flow that dies */
	/* both ends' parameters, one table per pair of sites (HTML) */
	const struct params_table *compares;
	size_t ncompares;
};

void rep_text(FILE *f, const struct report *r);
/* Prints text wrapped at 80 columns: the first line continues from
 * column col, the next ones are indented by indent. */
void rep_wrap(FILE *f, const char *text, int col, int indent);
void rep_json(FILE *f, const struct report *r);
void rep_html(FILE *f, const struct report *r);

#endif
