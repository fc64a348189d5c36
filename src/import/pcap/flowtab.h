/* Live flow table of one capture analysis (see flowtab.c). */
#ifndef IMPORT_FLOWTAB_H
#define IMPORT_FLOWTAB_H

#include "import/pcap/capture.h"

struct flowtab {
	struct cap_flow *slots;
	size_t size, count, max;
};

void flowtab_init(struct flowtab *t, size_t max_flows);
void flowtab_free(struct flowtab *t);
/* The flow of p, created when new; *dir = 0 when p goes a->b. May evict
 * (folding finished flows into r). */
struct cap_flow *flowtab_get(struct flowtab *t, struct arena *ar,
			     struct cap_result *r, const struct pkt *p,
			     int *dir);
/* Retires every live flow into r, sorted by first frame. */
void flowtab_finish(struct flowtab *t, struct arena *ar, struct cap_result *r);

#endif
