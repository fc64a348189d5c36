/* Analysis of one capture file (pcap or pcapng, read through libpcap):
 * per-packet dissection folded into bounded tables of flows, ESP SPIs,
 * IKE messages, ARP requests, ICMP errors and TCP facts. Site-independent;
 * the importer (pcap_import.c) and `ipsecdiag pcap` read the result. */
#ifndef IMPORT_CAPTURE_H
#define IMPORT_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "import/pcap/dissect/dissect.h"
#include "model/capture.h"
#include "util/arena.h"

struct cap_opts {
	size_t max_flows; /* 0 = CAP_MAX_FLOWS */
	FILE *dump;	  /* per-packet fields for tests (--dump), or NULL */
	bool progress;	  /* progress on stderr (a terminal) */
	bool quiet;	  /* no malformed-packet warnings */
};

/* Reads and analyses one capture. false with a diagnostic when the file
 * cannot be opened or read as a capture (r->path and what was read up to
 * an error stay valid). */
bool cap_analyze(struct arena *ar, const char *path, const struct cap_opts *o,
		 struct cap_result *r);

#endif
