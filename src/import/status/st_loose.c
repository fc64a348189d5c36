/* The status archive's facts as loose files in a site folder (OPNsense
 * and other FreeBSD boxes have no archive, doc/behaviour/loose-files.md
 * §1): `setkey -DP`, `netstat -rnW`, `ifconfig -a`, read by the archive's
 * own member readers (st_net.c) into the same box state. */
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"
#include "import/status/st_readers.h"

typedef size_t (*loose_reader)(struct arena *, struct boxstate *, const char *,
			       const char *, size_t);

/* The first non-blank line (for a diagnostic that points somewhere). */
static struct srcloc
first_text(const char *file, const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		if (t.n)
			return (struct srcloc){file, it.lineno,
					       lx_col(line, t.p), 0};
	}
	return (struct srcloc){file, 1, 1, 0};
}

/* The box state now holds loose facts: `show` and the checks use it as
 * they use the archive's. */
static void
box_mark(struct boxstate *b)
{
	b->present = true;
	if (b->archive == NULL)
		b->archive = "loose files";
}

static bool
loose_read(struct arena *ar, struct input_file *in, struct site *s,
	   loose_reader fn, const char *what, const char *cmd,
	   const char *empty)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct boxstate *b = &s->ev.box;
	size_t n = fn(ar, b, in->path, buf, len);
	if (n == 0 && !(empty && memmem(buf, len, empty, strlen(empty)))) {
		struct srcloc loc = first_text(in->path, buf, len);
		diag(DIAG_ERROR, &loc,
		     "no %s understood: not the output of `%s` (or "
		     "only its error text)",
		     what, cmd);
		return false;
	}
	box_mark(b);
	in->summary = arena_printf(ar, "%s %zu %s", cmd, n, what);
	return true;
}

/* setkey -DP. A policy cut before its direction line is kept (its
 * selectors are real) but said. */
bool
box_spd_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t first = s->ev.box.nspd;
	if (!loose_read(ar, in, s, st_read_spd, "kernel policies", "setkey -DP",
			"No SPD entries"))
		return false;
	const struct boxstate *b = &s->ev.box;
	for (size_t i = first; i < b->nspd; i++)
		if (b->spd[i].dir == BSPD_OTHER || b->spd[i].action == NULL) {
			struct srcloc loc = b->spd[i].loc;
			loc.col = 1;
			diag(DIAG_WARNING, &loc,
			     "policy without its direction line "
			     "(\"<tab>out ipsec\"): the file is cut here?");
		}
	return true;
}

/* netstat -rnW (both FreeBSD headers, doc/behaviour/status-archive.md
 * §3.10). */
bool
box_netstat_import(struct arena *ar, struct input_file *in, struct site *s)
{
	return loose_read(ar, in, s, st_read_netstat, "routes", "netstat -rnW",
			  NULL);
}

/* ifconfig -a / -vvvvvam of the firewall: the box's interfaces; a DHCP
 * or PPPoE interface of the config takes its address from it. */
bool
box_ifconfig_import(struct arena *ar, struct input_file *in, struct site *s)
{
	if (!loose_read(ar, in, s, st_read_ifconfig, "interfaces", "ifconfig",
			NULL))
		return false;
	size_t filled = st_fill_dynamic(ar, s);
	const struct boxstate *b = &s->ev.box;
	if (b->ncarp || filled)
		in->summary = arena_printf(
		    ar, "%s, %zu CARP addresses, %zu dynamic addresses",
		    in->summary, b->ncarp, filled);
	return true;
}
