/* What a phase 1 <interface> names besides a plain interface: a VIP
 * (pfSense _vip<uniqid>, following IP alias -> CARP -> parent), an
 * OPNsense CARP VIP X_vip<vhid>, or a gateway group. The automatic WAN
 * rules, the outer address and the WAN filter all use the parent
 * interface (doc/behaviour/pf-ruleset.md §5). */
#include <string.h>

#include "import/pfsense/cfg_internal.h"

const struct xnode *
cfg_gateway_group(const struct cfg *c, const char *name)
{
	const struct xnode *g = xml_path(c->root, "gateways/gateway_group");
	for (; g && name; g = xml_next_named(g)) {
		const char *n = xml_text(g, "name");
		if (n && strcmp(n, name) == 0)
			return g;
	}
	return NULL;
}

/* The <vip> whose field `key` is `val` (and, when vhid_of is set, whose
 * interface is vhid_of), or NULL. */
static const struct xnode *
vip_find(const struct cfg *c, const char *key, const char *val,
	 const char *vhid_of)
{
	const struct xnode *v = xml_path(c->root, "virtualip/vip");
	for (; v; v = xml_next_named(v)) {
		const char *t = xml_text(v, key);
		const char *f = xml_text(v, "interface");
		if (t && strcmp(t, val) == 0 &&
		    (vhid_of == NULL || (f && strcmp(f, vhid_of) == 0)))
			return v;
	}
	return NULL;
}

static void
set_local(struct cfg *c, struct phase1 *p, const char *ip)
{
	struct ipaddr a;
	if (ip && ipaddr_parse(str_from(ip), &a) && a.fam == p->outer_fam) {
		p->local = a;
		p->local_known = true;
	}
	(void)c;
}

/* _vip<uniqid>: an IP alias may sit on a CARP VIP; two hops at most,
 * as in filter.inc. NULL when the chain ends nowhere. */
static const char *
vip_parent(struct cfg *c, const char *name, struct phase1 *p)
{
	const char *iface = name;
	for (int hop = 0; hop < 3 && iface && strncmp(iface, "_vip", 4) == 0;
	     hop++) {
		const struct xnode *v = vip_find(c, "uniqid", iface + 4, NULL);
		if (v == NULL)
			return NULL;
		if (hop == 0 && p)
			set_local(c, p, xml_text(v, "subnet"));
		iface = xml_text(v, "interface");
	}
	return iface && strncmp(iface, "_vip", 4) != 0 ? iface : NULL;
}

const char *
cfg_vip_parent(struct cfg *c, const char *name)
{
	return name && strncmp(name, "_vip", 4) == 0 ? vip_parent(c, name, NULL)
						     : name;
}

/* A gateway group's member while all members are up: the first one of
 * the lowest tier whose gateway exists and is not disabled. Items are
 * "GATEWAY|tier|vip-or-address". */
static const char *
group_member(struct cfg *c, const struct xnode *g, struct phase1 *p,
	     const char **gwname)
{
	unsigned best = ~0u;
	const struct gateway *pick = NULL;
	const char *pick_vip = NULL;
	for (const struct xnode *it = xml_child(g, "item"); it;
	     it = xml_next_named(it)) {
		char *t = arena_strdup(c->ar, it->text ? it->text : "");
		char *tier = strchr(t, '|'), *vip = NULL;
		if (tier) {
			*tier++ = '\0';
			vip = strchr(tier, '|');
			if (vip)
				*vip++ = '\0';
		}
		unsigned n = 1;
		const struct gateway *gw = site_gateway(c->s, t);
		if (gw == NULL || gw->disabled || gw->iface == NULL ||
		    (tier && !cfg_uint(tier, 5, &n)) || n >= best)
			continue;
		best = n;
		pick = gw;
		pick_vip = vip;
	}
	if (pick == NULL)
		return NULL;
	*gwname = pick->name;
	if (pick_vip && strncmp(pick_vip, "_vip", 4) == 0)
		(void)vip_parent(c, pick_vip, p);
	else if (pick_vip && strcmp(pick_vip, "address") != 0)
		set_local(c, p, pick_vip);
	return pick->iface;
}

/* OPNsense: "wan_vip3" is the CARP VIP of wan with vhid 3 (ipsec.inc
 * maps it to wan for the rules). */
static const char *
opn_vip_parent(struct cfg *c, const char *name, struct phase1 *p)
{
	const char *at = strstr(name, "_vip");
	if (at == NULL || at == name)
		return NULL;
	char *parent = arena_strndup(c->ar, name, (size_t)(at - name));
	const struct xnode *v = vip_find(c, "vhid", at + 4, parent);
	if (v)
		set_local(c, p, xml_text(v, "subnet"));
	return parent;
}

void
cfg_p1_bind(struct cfg *c, struct phase1 *p, const struct xnode *n)
{
	const char *name = p->iface;
	if (name == NULL || site_iface(c->s, name) != NULL)
		return;
	struct srcloc loc = cfg_loc(c, xml_child(n, "interface"));
	const char *parent = NULL, *gw = NULL;
	const struct xnode *g = cfg_gateway_group(c, name);
	if (g)
		parent = group_member(c, g, p, &gw);
	else if (strncmp(name, "_vip", 4) == 0)
		parent = vip_parent(c, name, p);
	else if (c->opnsense)
		parent = opn_vip_parent(c, name, p);
	if (parent == NULL || site_iface(c->s, parent) == NULL) {
		diag(
		    DIAG_WARNING, &loc,
		    g ? "phase 1 gateway group '%s' has "
			"no usable gateway on a known interface: the firewall "
			"adds no WAN rules for it"
		      : "phase 1 interface '%s' is "
			"no interface, VIP or gateway group here: the firewall "
			"adds no WAN rules for it",
		    name);
		return;
	}
	p->bind = name;
	p->iface = parent;
	if (g)
		diag(DIAG_NOTE, &loc,
		     "phase 1 on gateway group '%s': assumed "
		     "all its gateways are up, so it uses %s on %s (Status > "
		     "Gateways shows the one in use)",
		     name, gw, parent);
}
