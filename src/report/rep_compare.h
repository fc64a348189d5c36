/* `compare`: both ends' phase 1 and phase 2 parameters side by side, as
 * text or JSON. A pure function of the table. */
#ifndef REPORT_REP_COMPARE_H
#define REPORT_REP_COMPARE_H

#include <stdio.h>

#include "model/compare.h"

void rep_compare_text(FILE *f, const struct params_table *t);
void rep_compare_json(FILE *f, const struct params_table *t);

#endif
