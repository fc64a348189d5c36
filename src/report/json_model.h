/* JSON values for model pieces, shared by the JSON reporters. */
#ifndef REPORT_JSON_MODEL_H
#define REPORT_JSON_MODEL_H

#include <jansson.h>

#include "model/finding.h"
#include "model/trace.h"

json_t *json_loc(const struct srcloc *loc); /* "file:line:col" or null */
json_t *json_addr(const struct ipaddr *a);
json_t *json_prefix(const struct prefix *p);
json_t *json_str(const char *s); /* null for NULL */
json_t *json_path(const struct path *p);
json_t *json_flow(const struct flow_trace *ft);
json_t *json_finding(const struct finding *f);
/* Writes v to f with stable key order and a final newline; steals v.
 * The one place JSON is written. Returns 0, or -1 on a write error. */
int json_emit(FILE *f, json_t *v);

#endif
