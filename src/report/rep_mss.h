/* `mss`: the overhead table of one transform, or each site's phase 2
 * against its Maximum MSS, as text or JSON. */
#ifndef REPORT_REP_MSS_H
#define REPORT_REP_MSS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/mss.h"

/* Returns 0, or -1 when the output could not be written. */
int rep_mss_calc(FILE *f, const struct mss_calc *c, bool json);

/* Sites one at a time: text at once, JSON gathered in *sites (NULL for
 * text) and written by rep_mss_sites_end. */
void rep_mss_site(FILE *f, const struct mss_site *s, json_t *sites, bool first);
int rep_mss_sites_end(FILE *f, json_t *sites);

#endif
