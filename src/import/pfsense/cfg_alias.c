/* config.xml aliases (doc/behaviour/pfsense.md §1.11): collection and
 * resolution with nesting, cycle detection
 * (filter_generate_nested_alias_recurse(), filter.inc:1422) and a note for what
 * only exists at runtime. */
#include <stdint.h>
#include <string.h>

#include "import/pfsense/cfg_internal.h"

enum { ALIAS_MAX_NESTING = 64 };

static bool
alias_is_port(const struct alias *a)
{
	return a->type && (strcmp(a->type, "port") == 0 ||
			   strcmp(a->type, "url_ports") == 0 ||
			   strcmp(a->type, "urltable_ports") == 0);
}

/* Types whose members are only known at runtime. */
static bool
alias_is_runtime(const struct alias *a)
{
	static const char *const rt[] = {
	    "url",	 "urltable", "url_ports", "urltable_ports",
	    "geoip",	 "asn",	     "mac",	  "dynipv6host",
	    "authgroup", "internal", "external"};
	for (size_t i = 0; a->type && i < sizeof(rt) / sizeof(*rt); i++)
		if (strcmp(a->type, rt[i]) == 0)
			return true;
	return false;
}

static size_t
alias_index(const struct cfg *c, const char *name)
{
	return (size_t)(uintptr_t)cfg_map_get(&c->aliases, name);
}

static bool
looks_like_fqdn(struct str t)
{
	bool alpha = false, dot = false;
	for (size_t i = 0; i < t.n; i++) {
		char ch = t.p[i];
		alpha = alpha || (ch >= 'a' && ch <= 'z') ||
			(ch >= 'A' && ch <= 'Z');
		dot = dot || ch == '.';
	}
	return alpha && dot;
}

static bool
parse_range(struct str t, struct ipaddr *lo, struct ipaddr *hi)
{
	struct str a, b;
	return str_split(t, '-', &a, &b) && ipaddr_parse(a, lo) &&
	       ipaddr_parse(b, hi) && lo->fam == hi->fam &&
	       ipaddr_cmp(lo, hi) <= 0;
}

static void alias_resolve(struct cfg *c, size_t i, unsigned depth);

/* A nested alias member; false when it is not an alias name. */
static bool
member_alias(struct cfg *c, struct alias *a, const char *name, unsigned depth)
{
	size_t j = alias_index(c, name);
	if (j == 0)
		return false;
	struct alias *b = &c->s->aliases[j - 1];
	if (c->alias_state[j - 1] == 1) {
		char where[256];
		srcloc_format(&b->loc, where, sizeof(where));
		diag(DIAG_WARNING, &a->loc,
		     "alias cycle: '%s' includes '%s' "
		     "(%s), which leads back to '%s'; the cycle is ignored",
		     a->name, b->name, where, a->name);
		a->cyclic = b->cyclic = true;
		return true;
	}
	if (depth >= ALIAS_MAX_NESTING) {
		diag(DIAG_WARNING, &a->loc,
		     "alias '%s': aliases nested "
		     "deeper than %d levels, '%s' not expanded",
		     a->name, ALIAS_MAX_NESTING, name);
		a->resolved = false;
		return true;
	}
	alias_resolve(c, j - 1, depth + 1);
	if (alias_is_port(b) != alias_is_port(a))
		diag(DIAG_WARNING, &a->loc,
		     "alias '%s' (%s) includes '%s' "
		     "(%s): ignored",
		     a->name, a->type, b->name, b->type);
	else if (alias_is_port(a))
		a->ports.r = ranges_union(c->ar, &a->ports.r, &b->ports.r);
	else
		addrset_add_set(c->ar, &a->addrs, &b->addrs);
	a->resolved = a->resolved && b->resolved;
	return true;
}

static bool
member_port(struct cfg *c, struct alias *a, struct str t)
{
	struct str lo, hi;
	uint64_t l, h;
	if (!str_split(t, ':', &lo, &hi))
		hi = lo;
	if (!str_to_u64(lo, 65535, &l) || !str_to_u64(hi, 65535, &h) || l > h)
		return false;
	portset_add(c->ar, &a->ports, (unsigned)l, (unsigned)h);
	return true;
}

static bool
member_addr(struct cfg *c, struct alias *a, struct str t)
{
	struct prefix p;
	struct ipaddr lo, hi;
	if (prefix_parse(t, &p, NULL)) {
		addrset_add_prefix(c->ar, &a->addrs, &p);
		return true;
	}
	if (parse_range(t, &lo, &hi)) {
		addrset_add_range(c->ar, &a->addrs, &lo, &hi);
		return true;
	}
	return false;
}

static void
alias_resolve(struct cfg *c, size_t i, unsigned depth)
{
	struct alias *a = &c->s->aliases[i];
	if (c->alias_state[i] != 0)
		return;
	c->alias_state[i] = 1;
	a->resolved = !alias_is_runtime(a);
	struct str rest = str_from(a->resolved && a->content ? a->content : "");
	struct str tok;
	const char *fqdn = NULL;
	while (str_next(&rest, ' ', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		char *name = arena_strndup(c->ar, tok.p, tok.n);
		if (member_alias(c, a, name, depth))
			continue;
		if (alias_is_port(a) ? member_port(c, a, tok)
				     : member_addr(c, a, tok))
			continue;
		a->resolved = false;
		if (!alias_is_port(a) && looks_like_fqdn(tok)) {
			fqdn = fqdn ? fqdn : name;
			continue;
		}
		diag(DIAG_WARNING, &a->loc,
		     "alias '%s': member '%s' is not "
		     "a%s or an alias: ignored",
		     a->name, name,
		     alias_is_port(a) ? " port or port range"
				      : "n address, network or range");
	}
	if (fqdn)
		diag(DIAG_NOTE, &a->loc,
		     "alias '%s': host name '%s' is "
		     "resolved at runtime (filterdns); not included",
		     a->name, fqdn);
	if (alias_is_runtime(a))
		diag(DIAG_NOTE, &a->loc,
		     "alias '%s' is of type %s: its "
		     "content is only known at runtime",
		     a->name, a->type);
	c->alias_state[i] = 2;
}

void
cfg_aliases(struct cfg *c)
{
	const struct xnode *n = xml_path(c->root, "aliases/alias");
	for (; n; n = xml_next_named(n)) {
		const char *name = cfg_str(c, n, "name");
		if (name == NULL)
			continue;
		struct alias *a = ARENA_PUSH(c->ar, c->s->aliases,
					     c->s->naliases, c->s->caliases);
		a->name = name;
		a->type = cfg_str(c, n, "type");
		a->descr = cfg_str(c, n, "descr");
		a->content = cfg_str(c, n, "address");
		if (a->content == NULL)
			a->content = cfg_str(c, n, "url");
		a->loc = cfg_loc(c, n);
	}
	if (c->opnsense)
		cfg_opnsense_aliases(c);
	for (size_t i = 0; i < c->s->naliases; i++)
		cfg_map_put(c->ar, &c->aliases, c->s->aliases[i].name,
			    (void *)(uintptr_t)(i + 1));
	c->alias_state = arena_alloc(c->ar, c->s->naliases + 1);
	for (size_t i = 0; i < c->s->naliases; i++)
		alias_resolve(c, i, 0);
}

struct alias *
cfg_alias(struct cfg *c, const char *name)
{
	size_t j = alias_index(c, name);
	return j ? &c->s->aliases[j - 1] : NULL;
}

bool
cfg_addr_list(struct cfg *c, const char *list, struct addrset *out,
	      const struct srcloc *loc, const char *what)
{
	bool ok = true;
	struct str rest = str_from(list), tok;
	while (str_next(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		struct prefix p;
		struct ipaddr lo, hi;
		if (prefix_parse(tok, &p, NULL)) {
			addrset_add_prefix(c->ar, out, &p);
			continue;
		}
		if (parse_range(tok, &lo, &hi)) {
			addrset_add_range(c->ar, out, &lo, &hi);
			continue;
		}
		char *name = arena_strndup(c->ar, tok.p, tok.n);
		struct alias *a = cfg_alias(c, name);
		if (a && !alias_is_port(a)) {
			addrset_add_set(c->ar, out, &a->addrs);
			ok = ok && a->resolved;
			continue;
		}
		diag(DIAG_WARNING, loc,
		     "%s '%s' is not a network or a "
		     "network alias: ignored",
		     what, name);
		ok = false;
	}
	return ok;
}
