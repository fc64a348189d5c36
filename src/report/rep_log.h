/* `log`: the firewall log summary as text or JSON. */
#ifndef REPORT_REP_LOG_H
#define REPORT_REP_LOG_H

#include <stdio.h>

#include "model/log_summary.h"

void rep_log_text(FILE *f, const struct fl_view *v);
void rep_log_json(FILE *f, const struct fl_view *v);

#endif
