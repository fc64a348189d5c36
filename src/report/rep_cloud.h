/* `show` of what a cloud VPN configuration states (model/cloud.h) and of
 * a Linux site's kernel facts (sysctl rp_filter, xfrm if_id, policies). */
#ifndef REPORT_REP_CLOUD_H
#define REPORT_REP_CLOUD_H

#include <jansson.h>
#include <stdio.h>

#include "model/site.h"
#include "util/arena.h"

void rep_cloud_text(FILE *f, struct arena *ar, const struct site *s);
json_t *rep_cloud_json(struct arena *ar, const struct site *s);
/* Linux: rp_filter values, xfrm interfaces and xfrm policies; nothing
 * when the site has none of them. */
void rep_kernel_text(FILE *f, struct arena *ar, const struct site *s);

#endif
