/* `inputs`: each file of each site, the kind it was read as and what it
 * added, or why it was skipped or could not be read. */
#ifndef REPORT_REP_INPUTS_H
#define REPORT_REP_INPUTS_H

#include <stddef.h>
#include <stdio.h>

#include "model/site.h"

void rep_inputs_text(FILE *f, struct site *const *sites, size_t n);
void rep_inputs_json(FILE *f, struct site *const *sites, size_t n);

#endif
