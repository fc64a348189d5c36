/* `pcap`: a capture's summary as text and JSON. */
#ifndef REPORT_REP_PCAP_H
#define REPORT_REP_PCAP_H

#include <jansson.h>
#include <stdio.h>

#include "model/capture.h"

void rep_pcap_text(FILE *f, struct arena *ar, const struct cap_result *r,
		   bool blank_before);
json_t *rep_pcap_json(struct arena *ar, const struct cap_result *r);

#endif
