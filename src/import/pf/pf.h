/* The pf syntax pfSense and OPNsense write to /tmp/rules.debug and pfctl
 * prints with -vvsr, read into the model's rules (struct rule,
 * ORIGIN_RUNNING) of the box's running ruleset (model/box.h):
 * doc/behaviour/rules-debug.md. */
#ifndef IMPORT_PF_PF_H
#define IMPORT_PF_PF_H

#include <stdbool.h>
#include <stddef.h>

#include "model/site.h"
#include "util/arena.h"

/* rules.debug: macros, tables, scrub, nat/binat/rdr, anchors, filter
 * rules. Lines it cannot read are reported (file:line:col) and make the
 * ruleset unusable for the engine (b->rd_why_not). Returns the number of
 * filter rules read. */
size_t pf_read_rules_debug(struct arena *ar, struct boxstate *b,
			   const char *file, const char *buf, size_t len);
/* pfctl -vvsr: "@nr(cuid) rule" and its "[ Evaluations: ... ]" lines. */
size_t pf_read_pfctl_rules(struct arena *ar, struct boxstate *b,
			   const char *file, const char *buf, size_t len);

#endif
