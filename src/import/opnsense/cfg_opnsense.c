/* OPNsense specifics (doc/behaviour/pfsense.md §7), written against
 * OPNsense 23.x-25.x (opnsense/core master @f95e815): MVC aliases. */
#include <string.h>

#include "import/pfsense/cfg_internal.h"

/* <OPNsense><Firewall><Alias><aliases><alias uuid=..>: content is one
 * member per line; enabled is 0/1. */
void
cfg_opnsense_aliases(struct cfg *c)
{
	const struct xnode *n =
	    xml_path(c->root, "OPNsense/Firewall/Alias/aliases/alias");
	for (; n; n = xml_next_named(n)) {
		const char *name = cfg_str(c, n, "name");
		const char *en = xml_text(n, "enabled");
		if (name == NULL || (en && strcmp(en, "0") == 0))
			continue;
		struct alias *a = ARENA_PUSH(c->ar, c->s->aliases,
					     c->s->naliases, c->s->caliases);
		a->name = name;
		a->type = cfg_str(c, n, "type");
		if (a->type && strcmp(a->type, "networkgroup") == 0)
			a->type = "network";
		a->descr = cfg_str(c, n, "description");
		const char *content = cfg_str(c, n, "content");
		if (content) {
			char *t = arena_strdup(c->ar, content);
			for (char *p = t; *p; p++)
				if (*p == '\n' || *p == '\r' || *p == '\t')
					*p = ' ';
			a->content = t;
		}
		a->loc = cfg_loc(c, n);
	}
}

/* Firewall > Settings > Normalization: <filter><scrub><rule>, each with
 * interface (comma list), src/dst (any, address, network name) plus
 * srcmask/dstmask, max-mss; disabled and noscrub rules clamp nothing
 * (doc/behaviour/mss.md §3). */
static const char *
scrub_end(struct cfg *c, const struct xnode *n, const char *k, const char *mk)
{
	const char *v = cfg_str(c, n, k), *m = cfg_str(c, n, mk);
	if (v == NULL || *v == 0)
		return "any";
	if (m && *m && strchr(v, '/') == NULL && strcmp(v, "any") != 0)
		return arena_printf(c->ar, "%s/%s", v, m);
	return v;
}

void
cfg_opnsense_scrub(struct cfg *c)
{
	const struct xnode *n = xml_path(c->root, "filter/scrub/rule");
	for (; n; n = xml_next_named(n)) {
		const char *dis = xml_text(n, "disabled");
		const char *mt = cfg_str(c, n, "max-mss");
		unsigned mss = 0;
		if ((dis && strcmp(dis, "0") != 0) || xml_has(n, "noscrub") ||
		    mt == NULL || *mt == 0)
			continue;
		if (!cfg_uint(mt, 65535, &mss) || mss == 0) {
			struct srcloc loc = cfg_loc(c, xml_child(n, "max-mss"));
			diag(DIAG_WARNING, &loc,
			     "normalization max-mss '%s' is "
			     "not a number from 1 to 65535: the rule is not "
			     "counted as a clamp",
			     mt);
			continue;
		}
		const char *proto = cfg_str(c, n, "proto");
		if (proto && *proto && strcmp(proto, "any") != 0 &&
		    strcmp(proto, "tcp") != 0)
			continue;
		struct scrub_clamp *x = ARENA_PUSH(
		    c->ar, c->s->scrubs, c->s->nscrubs, c->s->cscrubs);
		x->ifaces = cfg_str(c, n, "interface");
		x->src = scrub_end(c, n, "src", "srcmask");
		x->dst = scrub_end(c, n, "dst", "dstmask");
		x->max_mss = mss;
		x->descr = cfg_str(c, n, "descr");
		x->loc = cfg_loc(c, n);
	}
}
