/* pfSense (2.4 line through 2.8/24.x, config versions 17.0..24.5) and
 * OPNsense config.xml: interfaces, gateways, routes, OpenVPN, groups,
 * system flags. IPsec is in cfg_ipsec.c, aliases and rules in
 * cfg_rules.c, OPNsense specifics in cfg_opnsense.c. Schema:
 * doc/behaviour/pfsense.md §0-1, §7. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/pfsense/cfg_internal.h"

static size_t
map_hash(const char *k)
{
	size_t h = 1469598103934665603u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

void **
cfg_map_slot(struct arena *ar, struct cfg_map *m, const char *k)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct cfg_map g = {.cap = m->cap ? m->cap * 2 : 64};
		g.keys = arena_alloc(ar, g.cap * sizeof(*g.keys));
		g.vals = arena_alloc(ar, g.cap * sizeof(*g.vals));
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i])
				*cfg_map_slot(ar, &g, m->keys[i]) = m->vals[i];
		*m = g;
	}
	size_t i = map_hash(k) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], k) != 0)
		i = (i + 1) & (m->cap - 1);
	if (m->keys[i] == NULL) {
		m->n++;
		m->keys[i] = k;
	}
	return &m->vals[i];
}

void
cfg_map_put(struct arena *ar, struct cfg_map *m, const char *k, void *v)
{
	void **slot = cfg_map_slot(ar, m, k);
	if (*slot == NULL) /* first definition wins, as in pfSense lookups */
		*slot = v;
}

void *
cfg_map_get(const struct cfg_map *m, const char *k)
{
	if (m->cap == 0 || k == NULL)
		return NULL;
	size_t i = map_hash(k) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], k) == 0)
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

struct srcloc
cfg_loc(const struct cfg *c, const struct xnode *n)
{
	return xml_loc(n, c->file);
}

const char *
cfg_str(const struct cfg *c, const struct xnode *n, const char *name)
{
	(void)c;
	const char *t = xml_text(n, name);
	return t && *t ? t : NULL;
}

bool
cfg_flag(const struct xnode *n, const char *name)
{
	const char *t = xml_text(n, name);
	return t != NULL && strcmp(t, "0") != 0;
}

bool
cfg_uint(const char *s, unsigned max, unsigned *out)
{
	uint64_t v;
	if (s == NULL || !str_to_u64(str_from(s), max, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

const char *
cfg_upper(struct arena *ar, const char *s)
{
	char *u = arena_strdup(ar, s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

static void
iface_add_addr(struct cfg *c, struct iface *f, const char *ip, const char *bits,
	       unsigned fam, const struct srcloc *loc)
{
	struct ipaddr a;
	if (!ipaddr_parse(str_from(ip), &a) || a.fam != fam)
		return;
	unsigned plen = fam_bits(fam);
	if (bits && !cfg_uint(bits, fam_bits(fam), &plen))
		diag(DIAG_WARNING, loc,
		     "interface %s: bad prefix length "
		     "'%s', using /%u",
		     f->key, bits, fam_bits(fam));
	struct ifaddr *ia = ARENA_PUSH(c->ar, f->addrs, f->naddrs, f->caddrs);
	ia->addr = a;
	ia->plen = (uint8_t)plen;
}

static bool
is_dynamic_mode(const char *m)
{
	static const char *const dyn[] = {"dhcp",  "pppoe", "pptp",
					  "l2tp",  "ppp",   "dhcp6",
					  "slaac", "6rd",   "6to4"};
	for (size_t i = 0; m && i < sizeof(dyn) / sizeof(*dyn); i++)
		if (strcmp(m, dyn[i]) == 0)
			return true;
	return false;
}

/* doc/behaviour/pfsense.md §1.1: role from device, gateway, dynamic address,
 * key. */
static enum if_role
iface_role(const struct iface *f, const char *v4mode, const char *v6mode)
{
	if (f->dev && strncmp(f->dev, "ipsec", 5) == 0)
		return ROLE_VTI;
	/* OPNsense registers enc0 under <interfaces> (ipsec_interfaces()) */
	if (f->dev && strcmp(f->dev, "enc0") == 0)
		return ROLE_ENC;
	if (f->dev && strncmp(f->dev, "ovpn", 4) == 0)
		return ROLE_OPENVPN;
	if (f->gateway || is_dynamic_mode(v4mode) || is_dynamic_mode(v6mode) ||
	    strcmp(f->key, "wan") == 0)
		return ROLE_WAN;
	if (strcmp(f->key, "lan") == 0)
		return ROLE_LAN;
	return ROLE_OPT;
}

static void
cfg_interface(struct cfg *c, const struct xnode *n)
{
	struct site *s = c->s;
	struct iface *f = ARENA_PUSH(c->ar, s->ifaces, s->nifaces, s->cifaces);
	struct srcloc loc = cfg_loc(c, n);
	f->key = n->name;
	f->dev = cfg_str(c, n, "if");
	const char *descr = cfg_str(c, n, "descr");
	f->descr = descr ? descr : cfg_upper(c->ar, n->name);
	f->enabled = cfg_flag(n, "enable");
	f->blockpriv = xml_has(n, "blockpriv");
	f->blockbogons = xml_has(n, "blockbogons");
	f->gateway = cfg_str(c, n, "gateway");
	f->loc = loc;
	const char *v4 = cfg_str(c, n, "ipaddr"),
		   *v6 = cfg_str(c, n, "ipaddrv6");
	struct ipaddr tmp;
	if (v4 && !ipaddr_parse(str_from(v4), &tmp))
		f->ipaddr_mode = v4;
	else if (v6 && !ipaddr_parse(str_from(v6), &tmp))
		f->ipaddr_mode = v6;
	if (v4)
		iface_add_addr(c, f, v4, cfg_str(c, n, "subnet"), FAM_V4, &loc);
	if (v6)
		iface_add_addr(c, f, v6, cfg_str(c, n, "subnetv6"), FAM_V6,
			       &loc);
	cfg_uint(cfg_str(c, n, "mtu"), 65535, &f->mtu);
	cfg_uint(cfg_str(c, n, "mss"), 65535, &f->mss);
	f->role = iface_role(f, v4, v6);
}

static void
cfg_interfaces(struct cfg *c)
{
	const struct xnode *ifs = xml_child(c->root, "interfaces");
	for (const struct xnode *n = ifs ? ifs->child : NULL; n; n = n->next)
		cfg_interface(c, n);
	/* VIPs add addresses to their interface (doc/behaviour/pfsense.md §1.6
	 * macros) */
	const struct xnode *v = xml_path(c->root, "virtualip/vip");
	for (; v; v = xml_next_named(v)) {
		struct iface *f = site_iface(
		    c->s, cfg_vip_parent(c, cfg_str(c, v, "interface")));
		const char *ip = cfg_str(c, v, "subnet");
		struct ipaddr a;
		if (f == NULL || ip == NULL || !ipaddr_parse(str_from(ip), &a))
			continue;
		struct srcloc loc = cfg_loc(c, v);
		iface_add_addr(c, f, ip, cfg_str(c, v, "subnet_bits"), a.fam,
			       &loc);
		const char *mode = cfg_str(c, v, "mode");
		if (mode && strcmp(mode, "carp") == 0) {
			struct carp_vip *x = ARENA_PUSH(
			    c->ar, c->s->carps, c->s->ncarps, c->s->ccarps);
			x->iface = f->key;
			x->uniqid = cfg_str(c, v, "uniqid");
			x->descr = cfg_str(c, v, "descr");
			x->addr = a;
			x->loc = loc;
			cfg_uint(cfg_str(c, v, "vhid"), 255, &x->vhid);
		}
	}
}

static void
cfg_dhcp(struct cfg *c)
{
	const struct xnode *d = xml_child(c->root, "dhcpd");
	for (const struct xnode *n = d ? d->child : NULL; n; n = n->next) {
		struct iface *f = site_iface(c->s, n->name);
		if (f == NULL)
			continue;
		f->dhcp_enabled = cfg_flag(n, "enable");
		const char *gw = cfg_str(c, n, "gateway");
		char buf[ADDR_STRLEN];
		for (size_t i = 0; gw == NULL && i < f->naddrs; i++)
			if (f->addrs[i].addr.fam == FAM_V4)
				gw = arena_strdup(
				    c->ar,
				    ipaddr_format(&f->addrs[i].addr, buf));
		f->dhcp_gateway = gw;
	}
}

static void
cfg_ifgroups(struct cfg *c)
{
	const struct xnode *g = xml_path(c->root, "ifgroups/ifgroupentry");
	for (; g; g = xml_next_named(g)) {
		const char *name = cfg_str(c, g, "ifname");
		if (name == NULL)
			continue;
		struct ifgroup *ig = ARENA_PUSH(c->ar, c->s->groups,
						c->s->ngroups, c->s->cgroups);
		ig->name = name;
		ig->loc = cfg_loc(c, g);
		cfg_uint(cfg_str(c, g, "sequence"), 9999, &ig->seq);
		/* pfSense separates members by blanks, OPNsense's MVC model
		 * by commas (filter.inc ifgroup_setup(): '/[ |,]+/') */
		const char *m = cfg_str(c, g, "members");
		char *ms = arena_strdup(c->ar, m ? m : "");
		for (char *p = ms; *p; p++)
			if (*p == ',' || *p == '|')
				*p = ' ';
		struct str rest = str_from(ms), tok;
		while (str_next(&rest, ' ', &tok))
			if (tok.n)
				*(const char **)ARENA_PUSH(c->ar, ig->members,
							   ig->nmembers,
							   ig->cmembers) =
				    arena_strndup(c->ar, tok.p, tok.n);
	}
}

bool
cfg_iface_nets(struct cfg *c, const char *key, bool host_only,
	       struct addrset *out)
{
	const struct iface *f = site_iface(c->s, key);
	if (f == NULL) {
		for (size_t i = 0; i < c->s->ngroups; i++) {
			const struct ifgroup *g = &c->s->groups[i];
			if (strcmp(g->name, key) != 0)
				continue;
			bool ok = true;
			for (size_t j = 0; j < g->nmembers; j++)
				ok = cfg_iface_nets(c, g->members[j], host_only,
						    out) &&
				     ok;
			return ok;
		}
		return false;
	}
	for (size_t i = 0; i < f->naddrs; i++) {
		struct prefix p = prefix_make(
		    f->addrs[i].addr, host_only ? fam_bits(f->addrs[i].addr.fam)
						: f->addrs[i].plen);
		addrset_add_prefix(c->ar, out, &p);
	}
	return f->naddrs > 0;
}

static struct gateway *
gw_add(struct cfg *c, const char *name, const char *iface, unsigned fam)
{
	struct gateway *g =
	    ARENA_PUSH(c->ar, c->s->gateways, c->s->ngateways, c->s->cgateways);
	g->name = name;
	g->iface = iface;
	g->fam = (uint8_t)fam;
	return g;
}

/* Dynamic gateways (WAN_DHCP, WAN_PPPOE, WAN_DHCP6, <IF>_VTIV4) exist at
 * runtime even when absent from the XML (doc/behaviour/pfsense.md §1.9). */
static void
gw_synthesize(struct cfg *c, struct iface *f)
{
	const char *m = f->ipaddr_mode;
	const char *name = NULL;
	unsigned fam = FAM_V4;
	if (f->role == ROLE_VTI) {
		name =
		    arena_printf(c->ar, "%s_VTIV4", cfg_upper(c->ar, f->descr));
	} else if (m && is_dynamic_mode(m)) {
		fam = strcmp(m, "dhcp6") == 0 || strcmp(m, "slaac") == 0 ||
			      strcmp(m, "6rd") == 0 || strcmp(m, "6to4") == 0
			  ? FAM_V6
			  : FAM_V4;
		name = arena_printf(c->ar, "%s_%s", cfg_upper(c->ar, f->descr),
				    cfg_upper(c->ar, m));
	}
	if (name == NULL)
		return;
	if (f->gateway == NULL && fam == FAM_V4)
		f->gateway = name;
	if (site_gateway(c->s, name) != NULL)
		return;
	struct gateway *g = gw_add(c, name, f->key, fam);
	g->dynamic = true;
	g->descr = "dynamic, from the interface";
	g->loc = f->loc;
}

static void
gw_default(struct cfg *c, const char *want, unsigned fam, const struct xnode *n)
{
	struct srcloc loc = cfg_loc(c, n);
	if (want && strcmp(want, "-") == 0)
		return; /* "none" */
	struct gateway *g = NULL;
	if (want && *want) {
		g = site_gateway(c->s, want);
		if (g == NULL) {
			diag(DIAG_NOTE, &loc,
			     "default gateway '%s' is not a "
			     "single gateway (group?): default route not "
			     "modelled",
			     want);
			return;
		}
	}
	/* automatic: the first WAN-type interface's gateway */
	for (size_t i = 0; g == NULL && i < c->s->nifaces; i++) {
		struct iface *f = &c->s->ifaces[i];
		if (f->role != ROLE_WAN || !f->enabled)
			continue;
		for (size_t j = 0; g == NULL && j < c->s->ngateways; j++) {
			struct gateway *h = &c->s->gateways[j];
			if (h->fam == fam && !h->disabled && h->iface &&
			    strcmp(h->iface, f->key) == 0)
				g = h;
		}
		if (g)
			g->default_auto = true;
	}
	if (g)
		g->is_default = true;
}

/* One <gateway_item> of either model; booleans are pfSense's empty
 * elements or OPNsense's 0/1 values (cfg_flag()). */
static struct gateway *
gw_item(struct cfg *c, const struct xnode *g)
{
	const char *name = cfg_str(c, g, "name");
	if (name == NULL)
		return NULL;
	const char *ip = cfg_str(c, g, "gateway");
	const char *proto = cfg_str(c, g, "ipprotocol");
	unsigned fam = proto && strcmp(proto, "inet6") == 0 ? FAM_V6 : FAM_V4;
	struct gateway *gw = gw_add(c, name, cfg_str(c, g, "interface"), fam);
	gw->descr = cfg_str(c, g, "descr");
	gw->disabled = cfg_flag(g, "disabled") || cfg_flag(g, "force_down");
	gw->loc = cfg_loc(c, g);
	if (ip && ipaddr_parse(str_from(ip), &gw->addr))
		gw->fam = gw->addr.fam;
	else
		gw->dynamic = true;
	return gw;
}

/* OPNsense 24.1+ keeps gateways in <OPNsense><Gateways> (the MVC model
 * models/OPNsense/Routing/Gateways.xml; the legacy <gateways> is then
 * ignored). The default of a family is the first usable gateway in
 * OPNsense's order: flagged default first, then the lowest priority,
 * then the one defined last (Gateways.php newKey(), getDefaultGW()). */
static bool
gw_mvc(struct cfg *c, const char *def[FAM_COUNT])
{
	const struct xnode *g =
	    xml_path(c->root, "OPNsense/Gateways/gateway_item");
	long best[FAM_COUNT] = {-1, -1};
	if (g == NULL)
		return false;
	for (; g; g = xml_next_named(g)) {
		struct gateway *gw = gw_item(c, g);
		if (gw == NULL || gw->disabled)
			continue;
		const char *pr = xml_text(g, "priority");
		long prio = pr && *pr ? strtol(pr, NULL, 10) : 255;
		prio = prio < 0 ? 0 : prio > 255 ? 255 : prio;
		long key = (cfg_flag(g, "defaultgw") ? 1000 : 0) + 256 - prio;
		if (key >= best[gw->fam]) { /* ">=": the later one wins a tie */
			best[gw->fam] = key;
			def[gw->fam] = gw->name;
		}
	}
	return true;
}

static void
cfg_gateways(struct cfg *c)
{
	const struct xnode *gws = xml_child(c->root, "gateways");
	const char *def[FAM_COUNT] = {NULL, NULL};
	bool mvc = gw_mvc(c, def);
	const struct xnode *g = mvc ? NULL : xml_child(gws, "gateway_item");
	for (; g; g = xml_next_named(g)) {
		struct gateway *gw = gw_item(c, g);
		if (gw && cfg_flag(g, "defaultgw")) /* before defaultgw4/6 */
			def[gw->fam] = gw->name;
	}
	for (size_t i = 0; i < c->s->nifaces; i++)
		gw_synthesize(c, &c->s->ifaces[i]);
	const char *d4 = mvc ? NULL : xml_text(gws, "defaultgw4");
	const char *d6 = mvc ? NULL : xml_text(gws, "defaultgw6");
	gw_default(c, d4 ? d4 : def[FAM_V4], FAM_V4,
		   xml_child(gws, "defaultgw4") ? xml_child(gws, "defaultgw4")
						: gws);
	gw_default(c, d6 ? d6 : def[FAM_V6], FAM_V6,
		   xml_child(gws, "defaultgw6") ? xml_child(gws, "defaultgw6")
						: gws);
}

static struct route *
route_add(struct cfg *c, enum route_kind kind, const struct prefix *net,
	  const char *iface, const char *origin, const struct srcloc *loc)
{
	struct route *r =
	    ARENA_PUSH(c->ar, c->s->routes, c->s->nroutes, c->s->croutes);
	r->kind = kind;
	r->net = *net;
	r->iface = iface;
	r->origin = origin;
	r->loc = *loc;
	return r;
}

static void
route_via(struct cfg *c, struct route *r, const char *gwname)
{
	struct gateway *g = site_gateway(c->s, gwname);
	r->gateway = gwname;
	if (g == NULL)
		return;
	r->iface = g->iface;
	if (!g->dynamic) {
		r->via = g->addr;
		r->has_via = true;
	}
}

/* log2 of the largest aligned block starting at lo that ends <= hi. */
static unsigned
block_bits(unsigned fbits, u128 lo, u128 hi)
{
	unsigned k = 0;
	while (k < fbits) {
		u128 m = k + 1 >= 128 ? ~(u128)0 : ((u128)1 << (k + 1)) - 1;
		if ((lo & m) != 0 || hi - lo < m)
			break;
		k++;
	}
	return k;
}

/* One route per CIDR block of an address set (aliases may hold ranges). */
static void
routes_of_set(struct cfg *c, enum route_kind kind, const struct addrset *set,
	      const char *iface, const char *origin, const struct srcloc *loc,
	      const char *gw, bool disabled)
{
	for (unsigned fam = 0; fam < FAM_COUNT; fam++)
		for (size_t i = 0; i < set->fam[fam].n; i++) {
			u128 lo = set->fam[fam].r[i].lo;
			u128 hi = set->fam[fam].r[i].hi;
			for (;;) {
				unsigned k = block_bits(fam_bits(fam), lo, hi);
				struct ipaddr a = {.fam = (uint8_t)fam,
						   .v = lo};
				struct prefix p =
				    prefix_make(a, fam_bits(fam) - k);
				struct route *r =
				    route_add(c, kind, &p, iface, origin, loc);
				if (gw)
					route_via(c, r, gw);
				r->disabled = disabled;
				u128 span =
				    k >= 128 ? ~(u128)0 : ((u128)1 << k) - 1;
				if (hi - lo <= span)
					break;
				lo += span + 1;
			}
		}
}

static void
routes_connected(struct cfg *c)
{
	for (size_t i = 0; i < c->s->nifaces; i++) {
		struct iface *f = &c->s->ifaces[i];
		for (size_t j = 0; j < f->naddrs; j++) {
			struct prefix p =
			    prefix_make(f->addrs[j].addr, f->addrs[j].plen);
			struct route *r = route_add(
			    c, ROUTE_CONNECTED, &p, f->key,
			    arena_printf(c->ar, "interface %s", f->descr),
			    &f->loc);
			r->disabled = !f->enabled;
		}
	}
}

static void
routes_static(struct cfg *c)
{
	const struct xnode *r = xml_path(c->root, "staticroutes/route");
	for (; r; r = xml_next_named(r)) {
		struct srcloc loc = cfg_loc(c, r);
		const char *net = cfg_str(c, r, "network");
		const char *gw = cfg_str(c, r, "gateway");
		const char *descr = cfg_str(c, r, "descr");
		if (net == NULL)
			continue;
		struct addrset set = {0};
		cfg_addr_list(c, net, &set, &loc, "static route network");
		const char *origin =
		    descr ? arena_printf(c->ar, "static route '%s'", descr)
			  : "static route";
		/* pfSense <disabled/>; OPNsense <disabled>0|1</disabled>
		 * (Routes model 1.0.0), <enabled>0|1</enabled> (1.0.1) */
		const char *en = xml_text(r, "enabled");
		bool off =
		    cfg_flag(r, "disabled") || (en && strcmp(en, "0") == 0);
		routes_of_set(c, ROUTE_STATIC, &set, NULL, origin, &loc, gw,
			      off);
	}
}

static void
routes_default(struct cfg *c)
{
	for (unsigned fam = 0; fam < FAM_COUNT; fam++) {
		struct gateway *g = site_default_gateway(c->s, fam);
		if (g == NULL)
			continue;
		struct prefix p = {.addr = {.fam = (uint8_t)fam}, .len = 0};
		struct route *r =
		    route_add(c, ROUTE_DEFAULT, &p, g->iface,
			      g->default_auto ? "default gateway (automatic)"
					      : "default gateway",
			      &g->loc);
		route_via(c, r, g->name);
	}
}

static void
ovpn_nets(struct cfg *c, struct openvpn *o, const struct xnode *n,
	  const char *field, struct prefix **v, size_t *nv, size_t *cv,
	  const char *what)
{
	const char *t = cfg_str(c, n, field);
	if (t == NULL)
		return;
	struct srcloc loc = cfg_loc(c, xml_child(n, field));
	struct addrset set = {0};
	cfg_addr_list(c, t, &set, &loc, what);
	/* keep prefixes as written when they are plain CIDR */
	struct str rest = str_from(t), tok;
	while (str_next(&rest, ',', &tok)) {
		struct prefix p;
		if (prefix_parse(str_trim(tok), &p, NULL))
			*ARENA_PUSH(c->ar, *v, *nv, *cv) = p;
		else {
			struct alias *a =
			    cfg_alias(c, arena_strndup(c->ar, str_trim(tok).p,
						       str_trim(tok).n));
			for (unsigned f = 0; a && f < FAM_COUNT; f++)
				for (size_t i = 0; i < a->addrs.fam[f].n; i++) {
					struct ipaddr lo = {
					    .fam = (uint8_t)f,
					    .v = a->addrs.fam[f].r[i].lo};
					unsigned k =
					    block_bits(fam_bits(f), lo.v,
						       a->addrs.fam[f].r[i].hi);
					*ARENA_PUSH(c->ar, *v, *nv, *cv) =
					    prefix_make(lo, fam_bits(f) - k);
				}
		}
	}
	if (o->disabled)
		return;
	const char *dev = o->dev;
	struct iface *f = site_iface_by_dev(c->s, dev);
	const char *origin = arena_printf(
	    c->ar, "OpenVPN %s %s%s%s%s %s", o->server ? "server" : "client",
	    o->vpnid ? o->vpnid : "?", o->descr ? " '" : "",
	    o->descr ? o->descr : "", o->descr ? "'" : "", what);
	routes_of_set(c, ROUTE_OPENVPN, &set, f ? f->key : dev, origin, &loc,
		      NULL, false);
}

static void
cfg_openvpn_one(struct cfg *c, const struct xnode *n, bool server)
{
	struct openvpn *o =
	    ARENA_PUSH(c->ar, c->s->ovpn, c->s->novpn, c->s->covpn);
	o->server = server;
	o->vpnid = cfg_str(c, n, "vpnid");
	o->descr = cfg_str(c, n, "description");
	o->dev = arena_printf(c->ar, "ovpn%c%s", server ? 's' : 'c',
			      o->vpnid ? o->vpnid : "?");
	o->disabled = xml_has(n, "disable");
	o->loc = cfg_loc(c, n);
	ovpn_nets(c, o, n, "tunnel_network", &o->tunnel, &o->ntunnel,
		  &o->ctunnel, "tunnel network");
	ovpn_nets(c, o, n, "tunnel_networkv6", &o->tunnel, &o->ntunnel,
		  &o->ctunnel, "tunnel network");
	ovpn_nets(c, o, n, "remote_network", &o->remote, &o->nremote,
		  &o->cremote, "remote network");
	ovpn_nets(c, o, n, "remote_networkv6", &o->remote, &o->nremote,
		  &o->cremote, "remote network");
	bool dis = o->disabled;
	o->disabled = true; /* local networks are pushed, not routed here */
	ovpn_nets(c, o, n, "local_network", &o->local, &o->nlocal, &o->clocal,
		  "local network");
	ovpn_nets(c, o, n, "local_networkv6", &o->local, &o->nlocal, &o->clocal,
		  "local network");
	o->disabled = dis;
}

static void
cfg_openvpn(struct cfg *c)
{
	const struct xnode *ov = xml_child(c->root, "openvpn");
	const struct xnode *n = xml_child(ov, "openvpn-server");
	for (; n; n = xml_next_named(n))
		cfg_openvpn_one(c, n, true);
	for (n = xml_child(ov, "openvpn-client"); n; n = xml_next_named(n))
		cfg_openvpn_one(c, n, false);
}

/* doc/behaviour/pfsense.md §1.4, §1.5, §1.10, §7. */
static void
cfg_sysflags(struct cfg *c)
{
	struct sysflags *fl = &c->s->flags;
	const struct xnode *sys = xml_child(c->root, "system");
	const struct xnode *ipsec = xml_child(c->root, "ipsec");
	fl->disablevpnrules = xml_has(sys, "disablevpnrules");
	if (fl->disablevpnrules)
		fl->disablevpnrules_loc =
		    cfg_loc(c, xml_child(sys, "disablevpnrules"));
	const struct xnode *g = xml_path(c->root, "OPNsense/IPsec/general");
	if (cfg_flag(g, "disablevpnrules") && !fl->disablevpnrules) {
		fl->disablevpnrules = true;
		fl->disablevpnrules_loc =
		    cfg_loc(c, xml_child(g, "disablevpnrules"));
	}
	fl->disablenegate = xml_has(sys, "disablenegate");
	fl->maxmss_enable = xml_has(sys, "maxmss_enable");
	const struct xnode *mm = xml_child(sys, "maxmss");
	if (fl->maxmss_enable)
		fl->maxmss_loc = cfg_loc(c, xml_child(sys, "maxmss_enable"));
	if (mm && cfg_uint(mm->text, 65535, &fl->maxmss))
		fl->maxmss_loc = cfg_loc(c, mm);
	fl->statepolicy = cfg_str(c, sys, "statepolicy");
	fl->disablereplyto = xml_has(sys, "disablereplyto");
	fl->disablescrub = xml_has(sys, "disablescrub");
	fl->noshuntlaninterfaces = xml_has(ipsec, "noshuntlaninterfaces");
	fl->ipsec_bypassrules = xml_has(ipsec, "bypassrules");
	fl->pf_disable_force_gw = cfg_flag(sys, "pf_disable_force_gw");
	if (fl->pf_disable_force_gw)
		fl->force_gw_loc =
		    cfg_loc(c, xml_child(sys, "pf_disable_force_gw"));
	c->s->hasync_ipsec =
	    cfg_flag(xml_child(c->root, "hasync"), "synchronizeipsec");
	const struct xnode *maint =
	    xml_child(c->root, "virtualip_carp_maintenancemode");
	if ((c->s->carp_maintenance = maint != NULL))
		c->s->carp_maintenance_loc = cfg_loc(c, maint);
	fl->bypassstaticroutes =
	    xml_has(xml_child(c->root, "filter"), "bypassstaticroutes");
	fl->filtermode = cfg_str(c, ipsec, "filtermode");
	fl->nat_outbound_mode =
	    cfg_str(c, xml_path(c->root, "nat/outbound"), "mode");
	fl->ipsec_enable = cfg_flag(ipsec, "enable");
	/* presence, an empty element included (doc/behaviour/pf-ruleset.md
	 * §6, §7) */
	fl->ipv6allow = xml_has(sys, "ipv6allow");
	fl->system_loc = cfg_loc(c, sys ? sys : c->root);
	if (fl->filtermode)
		fl->filtermode_loc = cfg_loc(c, xml_child(ipsec, "filtermode"));
	fl->no_apipa_block = xml_has(sys, "no_apipa_block");
	fl->ipsec_port = 500;
	fl->ipsec_port_nat_t = 4500;
	cfg_uint(cfg_str(c, ipsec, "port"), 65535, &fl->ipsec_port);
	cfg_uint(cfg_str(c, ipsec, "port_nat_t"), 65535, &fl->ipsec_port_nat_t);
}

static bool
check_root(struct cfg *c, const struct xnode *root, struct input_file *in)
{
	struct srcloc loc = cfg_loc(c, root);
	if (strcmp(root->name, "pfsense") == 0)
		c->opnsense = false;
	else if (strcmp(root->name, "opnsense") == 0)
		c->opnsense = true;
	else {
		diag(DIAG_ERROR, &loc,
		     "root element is <%s>, expected "
		     "<pfsense> or <opnsense>: not a firewall config.xml",
		     root->name);
		return false;
	}
	if (c->s->has_config) {
		diag(DIAG_ERROR, &loc,
		     "site '%s' already has a config: give "
		     "one config.xml per site",
		     c->s->name);
		return false;
	}
	(void)in;
	return true;
}

/* Encrypted backups (Diagnostics > Backup & Restore, "Encrypt this
 * configuration file") are an armored block, not XML. */
static bool
refuse_encrypted(const char *path)
{
	char head[64] = {0};
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	size_t n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	const char *h = strncmp(head, "\xef\xbb\xbf", 3) == 0 ? head + 3 : head;
	if (strncmp(h, "---- BEGIN config.xml ----", 26) != 0)
		return false;
	struct srcloc loc = {.file = path, .line = 1, .col = 1};
	diag(DIAG_ERROR, &loc,
	     "encrypted backup: decrypt it in Diagnostics "
	     "> Backup & Restore or export unencrypted");
	return true;
}

bool
cfg_pfsense_import(struct arena *ar, struct input_file *in, struct site *s)
{
	if (refuse_encrypted(in->path))
		return false;
	struct xnode *root = xml_parse_file(ar, in->path, &xml_config_limits);
	return root != NULL && cfg_import_tree(ar, root, in, s);
}

bool
cfg_import_tree(struct arena *ar, const struct xnode *root,
		struct input_file *in, struct site *s)
{
	struct cfg c = {.ar = ar, .s = s, .file = in->path, .root = root};
	if (!check_root(&c, root, in))
		return false;
	s->kind = c.opnsense ? SITE_OPNSENSE : SITE_PFSENSE;
	s->config_version = cfg_str(&c, root, "version");
	if (!c.opnsense)
		s->product_version =
		    pfsense_version_of_config(s->config_version);
	s->hostname = cfg_str(&c, xml_child(root, "system"), "hostname");
	cfg_interfaces(&c);
	cfg_ifgroups(&c);
	cfg_gateways(&c);
	cfg_dhcp(&c);
	cfg_sysflags(&c);
	cfg_aliases(&c);
	cfg_ipsec(&c);
	cfg_certs(&c);
	routes_connected(&c);
	routes_static(&c);
	cfg_openvpn(&c);
	routes_default(&c);
	cfg_rules(&c);
	cfg_self_services(&c);
	if (c.opnsense) {
		cfg_opnsense_swanctl(&c); /* before: it may add enc0 */
		cfg_opnsense_filter(&c);
		cfg_opnsense_scrub(&c);
	}
	s->has_config = true;
	size_t mvc = 0;
	for (size_t i = 0; i < s->nrules; i++)
		mvc += s->rules[i].mvc;
	in->summary = arena_printf(
	    ar,
	    "%s config %s: %zu interfaces, "
	    "%zu phase 1, %zu phase 2, %zu rules%s, "
	    "%zu aliases",
	    c.opnsense ? "OPNsense" : "pfSense",
	    s->config_version ? s->config_version : "?", s->nifaces, s->np1,
	    s->np2, s->nrules,
	    mvc ? arena_printf(ar, " (%zu Automation)", mvc) : "", s->naliases);
	return true;
}
