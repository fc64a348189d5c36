/* OPNsense specifics (PFSENSE.md §7), written against OPNsense 23.x-25.x
 * (opnsense/core master @f95e815): MVC aliases. */
#include <string.h>

#include "import/cfg_internal.h"

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
