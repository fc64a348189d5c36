/* `lint`: each site's config findings, one site at a time, as text or
 * JSON ({"command": "lint", "sites": [...]}). */
#ifndef REPORT_REP_LINT_H
#define REPORT_REP_LINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/finding.h"
#include "model/site.h"

struct rep_lint {
	FILE *f;
	bool json;
	json_t *sites; /* JSON: the sites so far, written by rep_lint_end */
};

void rep_lint_begin(struct rep_lint *r, FILE *f, bool json);
/* One site; loaded is false when some of its input could not be read. */
void rep_lint_site(struct rep_lint *r, const struct site *s, bool loaded,
		   const struct findings *fs);
void rep_lint_end(struct rep_lint *r);

#endif
