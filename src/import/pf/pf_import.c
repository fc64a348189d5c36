/* The box's pf ruleset and states given as loose files in a site folder
 * (OPNsense has no status archive; a pfSense admin may paste them): the
 * same readers as the status archive's members
 * (doc/behaviour/rules-debug.md §5). */
#include "import/linux/linux.h"
#include "import/load.h"
#include "import/pf/pf.h"
#include "import/status/st_readers.h"

static struct boxstate *
box_of(struct site *s, struct input_file *in)
{
	struct boxstate *b = &s->ev.box;
	if (!b->present) {
		b->present = true;
		b->archive = in->path;
	}
	return b;
}

bool
pf_rules_debug_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct boxstate *b = box_of(s, in);
	b->rules_debug = buf;
	b->rules_debug_len = len;
	b->rules_debug_file = in->path;
	size_t n = pf_read_rules_debug(ar, b, in->path, buf, len);
	in->summary =
	    arena_printf(ar, "rules.debug, %zu filter rules%s", n,
			 b->rd_why_not ? " (not all understood)" : "");
	in->partial = b->rd_why_not != NULL;
	return n > 0 || b->ntables > 0;
}

bool
pf_pfctl_rules_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct boxstate *b = box_of(s, in);
	size_t k = st_read_pfrules(ar, b, in->path, buf, len);
	size_t n = pf_read_pfctl_rules(ar, b, in->path, buf, len);
	in->summary =
	    arena_printf(ar, "pfctl -vvsr, %zu loaded rules%s", k,
			 b->ld_why_not ? " (not all understood)" : "");
	in->partial = b->ld_why_not != NULL;
	return n > 0 || k > 0;
}

bool
pf_pfctl_states_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	size_t n = st_read_pfstates(ar, box_of(s, in), in->path, buf, len);
	in->summary = arena_printf(ar, "pfctl -vvss, %zu states", n);
	return n > 0;
}
