/* A capture analysis as text and JSON (ipsecdiag pcap). */
#ifndef IMPORT_CAP_REPORT_H
#define IMPORT_CAP_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "import/pcap/capture.h"

void cap_print_text(FILE *f, struct arena *ar, const struct cap_result *r,
		    bool blank_before);
json_t *cap_to_json(struct arena *ar, const struct cap_result *r);

#endif
