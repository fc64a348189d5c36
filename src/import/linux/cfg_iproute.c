/* iproute2 dumps of a Linux gateway (iproute2 5.x / 6.x): `ip -j addr`,
 * `ip -j route show table all` (or their text, cfg_iptext.c) and `ip
 * rule` (text or -j). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"

static json_t *
ipj_parse(struct input_file *in, const char *buf, size_t len)
{
	json_error_t err;
	json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL) {
		struct srcloc loc = {.file = in->path,
				     .line = (uint32_t)err.line,
				     .col = (uint32_t)err.column};
		diag(DIAG_ERROR, &loc, "not valid JSON: %s", err.text);
		return NULL;
	}
	if (!json_is_array(j)) {
		struct srcloc loc = {.file = in->path, .line = 1, .col = 1};
		diag(DIAG_ERROR, &loc,
		     "expected a JSON array, as `ip -j` "
		     "writes");
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *
ipj_load(struct arena *ar, struct input_file *in)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return NULL;
	json_t *t = lx_iptext_json(ar, buf, len); /* the text forms */
	return t ? t : ipj_parse(in, buf, len);
}

static const char *
ipj_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static enum if_role
ipj_role(json_t *link)
{
	const char *name = ipj_str(link, "ifname");
	const char *type = ipj_str(link, "link_type");
	json_t *li = json_object_get(link, "linkinfo");
	const char *kind = li ? ipj_str(li, "info_kind") : NULL;
	if (kind && (strcmp(kind, "xfrm") == 0 || strcmp(kind, "vti") == 0 ||
		     strcmp(kind, "vti6") == 0))
		return ROLE_VTI;
	if (strncmp(name, "xfrm", 4) == 0 || strncmp(name, "vti", 3) == 0)
		return ROLE_VTI;
	/* kernel-libipsec's TUN device: clear text of the tunnel */
	if (strncmp(name, "ipsec", 5) == 0 && type && strcmp(type, "none") == 0)
		return ROLE_ENC;
	if (type && strcmp(type, "loopback") == 0)
		return ROLE_OPT;
	return ROLE_LAN;
}

static void
ipj_addrs(struct arena *ar, struct iface *f, json_t *info,
	  const struct srcloc *loc)
{
	size_t i;
	json_t *a;
	json_array_foreach(info, i, a)
	{
		const char *local = ipj_str(a, "local");
		json_t *plen = json_object_get(a, "prefixlen");
		struct ipaddr ip;
		if (local == NULL || !ipaddr_parse(str_from(local), &ip)) {
			diag(DIAG_WARNING, loc,
			     "%s: address without a "
			     "usable \"local\" skipped",
			     f->dev);
			continue;
		}
		json_int_t pl = json_is_integer(plen) ? json_integer_value(plen)
						      : fam_bits(ip.fam);
		if (pl < 0 || pl > (json_int_t)fam_bits(ip.fam))
			pl = fam_bits(ip.fam);
		struct ifaddr *x =
		    ARENA_PUSH(ar, f->addrs, f->naddrs, f->caddrs);
		x->addr = ip;
		x->plen = (uint8_t)pl;
	}
}

/* WAN: the interface of a default route in the main table. */
static void
lx_roles(struct site *s)
{
	for (size_t i = 0; i < s->nroutes; i++) {
		struct route *r = &s->routes[i];
		if (r->kind != ROUTE_DEFAULT || r->table != 0 || !r->iface)
			continue;
		struct iface *f = site_iface(s, r->iface);
		if (f && f->role == ROLE_LAN) {
			f->role = ROLE_WAN;
			f->gateway = r->gateway;
		}
	}
}

bool
cfg_ipaddr_import(struct arena *ar, struct input_file *in, struct site *s)
{
	json_t *j = ipj_load(ar, in);
	if (j == NULL)
		return false;
	struct srcloc loc = {.file = in->path, .line = 1};
	size_t i, n = 0, na = 0;
	json_t *link;
	json_array_foreach(j, i, link)
	{
		const char *name = ipj_str(link, "ifname");
		if (name == NULL || !*name) {
			diag(DIAG_WARNING, &loc,
			     "entry %zu has no \"ifname\", "
			     "skipped",
			     i + 1);
			continue;
		}
		struct iface *f = lx_iface(ar, s, str_from(name), &loc);
		f->role = ipj_role(link);
		if (lx_linkinfo_json(f, link)) /* ip -d -j addr */
			s->has_link_details = true;
		json_t *idx = json_object_get(link, "ifindex");
		if (json_is_integer(idx) && json_integer_value(idx) > 0 &&
		    json_integer_value(idx) <= UINT32_MAX)
			f->ifindex = (unsigned)json_integer_value(idx);
		json_t *mtu = json_object_get(link, "mtu");
		if (json_is_integer(mtu) && json_integer_value(mtu) > 0 &&
		    json_integer_value(mtu) < 1 << 20)
			f->mtu = (unsigned)json_integer_value(mtu);
		json_t *flags = json_object_get(link, "flags");
		size_t k;
		json_t *fl;
		bool up = !json_is_array(flags);
		json_array_foreach(flags, k, fl) up =
		    up || (json_is_string(fl) &&
			   strcmp(json_string_value(fl), "UP") == 0);
		f->enabled = up;
		size_t before = f->naddrs;
		ipj_addrs(ar, f, json_object_get(link, "addr_info"), &loc);
		na += f->naddrs - before;
		n++;
	}
	json_decref(j);
	lx_site_mark(s);
	lx_roles(s);
	lx_resolve(s);
	in->summary = arena_printf(ar,
				   "ip addr %zu interfaces, %zu "
				   "addresses",
				   n, na);
	return true;
}

/* A number as iproute2's JSON prints it: "0x2a" (print_0xhex), "0.0.0.42"
 * (VTI keys, printed as IPv4 addresses) or an integer. */
static bool
ipj_u32(json_t *v, uint32_t *out)
{
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (x < 0 || x > (json_int_t)UINT32_MAX)
			return false;
		*out = (uint32_t)x;
		return true;
	}
	const char *t = json_is_string(v) ? json_string_value(v) : NULL;
	struct ipaddr a;
	if (t == NULL)
		return false;
	if (ipaddr_parse(str_from(t), &a) && a.fam == FAM_V4) {
		*out = (uint32_t)a.v;
		return true;
	}
	char *end;
	unsigned long x = strtoul(t, &end, 0);
	if (*t == '\0' || *t == '-' || *end || x > 0xffffffffUL)
		return false;
	*out = (uint32_t)x;
	return true;
}

bool
lx_linkinfo_json(struct iface *f, json_t *link)
{
	json_t *li = json_object_get(link, "linkinfo");
	if (!json_is_object(li))
		return json_object_get(link, "promiscuity") != NULL;
	const char *kind = ipj_str(li, "info_kind");
	json_t *d = json_object_get(li, "info_data");
	if (kind && strcmp(kind, "xfrm") == 0 &&
	    ipj_u32(json_object_get(d, "if_id"), &f->xfrm_if_id))
		f->has_if_id = true;
	if (kind && (strcmp(kind, "vti") == 0 || strcmp(kind, "vti6") == 0)) {
		bool i = ipj_u32(json_object_get(d, "ikey"), &f->vti_ikey);
		bool o = ipj_u32(json_object_get(d, "okey"), &f->vti_okey);
		f->has_vti_keys = i || o;
	}
	return true;
}

bool
cfg_iplink_json(struct arena *ar, struct input_file *in, struct site *s,
		const char *buf, size_t len)
{
	json_t *j = ipj_parse(in, buf, len);
	if (j == NULL)
		return false;
	struct srcloc loc = {.file = in->path, .line = 1};
	size_t i, n = 0;
	json_t *link;
	json_array_foreach(j, i, link)
	{
		const char *name = ipj_str(link, "ifname");
		if (name == NULL || !*name) {
			diag(DIAG_WARNING, &loc,
			     "entry %zu has no \"ifname\", skipped", i + 1);
			continue;
		}
		struct iface *f = lx_iface(ar, s, str_from(name), &loc);
		enum if_role r = ipj_role(link);
		if (r == ROLE_VTI || r == ROLE_ENC) /* else ip addr/route say */
			f->role = r;
		json_t *mtu = json_object_get(link, "mtu");
		if (json_is_integer(mtu) && json_integer_value(mtu) > 0 &&
		    json_integer_value(mtu) < 1 << 20)
			f->mtu = (unsigned)json_integer_value(mtu);
		if (lx_linkinfo_json(f, link))
			s->has_link_details = true;
		n++;
	}
	json_decref(j);
	if (n == 0) {
		diag(DIAG_ERROR, &loc, "no interface in this ip link output");
		return false;
	}
	lx_site_mark(s);
	in->summary = arena_printf(ar, "ip -j link %zu interfaces", n);
	return true;
}

/* A table by name or number ("main", "local", "220"). */
static unsigned
ipr_table(const char *name)
{
	uint64_t v;
	if (name == NULL || strcmp(name, "main") == 0)
		return 0;
	if (strcmp(name, "local") == 0)
		return 255;
	if (strcmp(name, "default") == 0)
		return 253;
	return str_to_u64(str_from(name), UINT32_MAX, &v) ? (unsigned)v : 254;
}

static unsigned
ipj_table(json_t *r)
{
	json_t *t = json_object_get(r, "table");
	if (json_is_integer(t))
		return (unsigned)json_integer_value(t);
	return ipr_table(json_is_string(t) ? json_string_value(t) : NULL);
}

/* One route as iproute2 states it, -j or text: its fields by name. */
struct ipr_fields {
	const char *type, *dst, *dev, *gw, *proto, *scope;
	unsigned table;
};

static bool
ipr_add(struct arena *ar, struct site *s, const struct ipr_fields *x,
	struct srcloc *loc)
{
	const char *type = x->type, *dst = x->dst, *dev = x->dev, *gw = x->gw;
	if (type &&
	    (strcmp(type, "local") == 0 || strcmp(type, "broadcast") == 0 ||
	     strcmp(type, "multicast") == 0 || strcmp(type, "anycast") == 0))
		return false; /* own addresses come from ip addr */
	struct route rt = {.loc = *loc, .table = x->table};
	if (dst == NULL) {
		diag(DIAG_WARNING, loc, "route without \"dst\" skipped");
		return false;
	}
	bool v6 = (gw && strchr(gw, ':')) || strchr(dst, ':');
	if (strcmp(dst, "default") == 0) {
		rt.kind = ROUTE_DEFAULT;
		rt.net = (struct prefix){.addr = {.fam = v6 ? FAM_V6 : FAM_V4}};
	} else if (!prefix_parse(str_from(dst), &rt.net, NULL)) {
		diag(DIAG_WARNING, loc,
		     "route to '%s': not an address, "
		     "skipped",
		     dst);
		return false;
	} else {
		const char *proto = x->proto, *scope = x->scope;
		rt.kind = rt.table == 220 ? ROUTE_IPSEC
			  : proto && strcmp(proto, "kernel") == 0 &&
				  (!scope || strcmp(scope, "link") == 0)
			      ? ROUTE_CONNECTED
			      : ROUTE_STATIC;
	}
	if (dev) {
		struct iface *f = lx_iface(ar, s, str_from(dev), loc);
		rt.iface = f->key;
		if (f->role == ROLE_VTI && rt.kind == ROUTE_STATIC)
			rt.kind = ROUTE_VTI;
	}
	if (gw) {
		rt.gateway = arena_strdup(ar, gw);
		rt.has_via = ipaddr_parse(str_from(gw), &rt.via);
	}
	if (type && strcmp(type, "unicast") != 0) {
		rt.origin = arena_printf(ar, "%s route", type);
		rt.iface = NULL; /* blackhole, unreachable, prohibit, throw */
	} else {
		rt.origin = rt.table == 220 ? "strongSwan (table 220)"
			    : rt.kind == ROUTE_CONNECTED ? "connected"
							 : "ip route";
	}
	*ARENA_PUSH(ar, s->routes, s->nroutes, s->croutes) = rt;
	return true;
}

static bool
ipj_route(struct arena *ar, struct site *s, json_t *r, struct srcloc *loc)
{
	struct ipr_fields x = {
	    .type = ipj_str(r, "type"),
	    .dst = ipj_str(r, "dst"),
	    .dev = ipj_str(r, "dev"),
	    .gw = ipj_str(r, "gateway"),
	    .proto = ipj_str(r, "protocol"),
	    .scope = ipj_str(r, "scope"),
	    .table = ipj_table(r),
	};
	return ipr_add(ar, s, &x, loc);
}

static void
ipj_gateway(struct arena *ar, struct site *s, const struct route *r)
{
	if (r->kind != ROUTE_DEFAULT || r->table != 0 || !r->has_via)
		return;
	struct gateway *g =
	    ARENA_PUSH(ar, s->gateways, s->ngateways, s->cgateways);
	g->name = r->gateway;
	g->iface = r->iface;
	g->addr = r->via;
	g->fam = r->via.fam;
	g->is_default = true;
	g->loc = r->loc;
}

bool
cfg_iproute_import(struct arena *ar, struct input_file *in, struct site *s)
{
	json_t *j = ipj_load(ar, in);
	if (j == NULL)
		return false;
	struct srcloc loc = {.file = in->path, .line = 1};
	size_t i, n = 0, n220 = 0;
	json_t *r;
	json_array_foreach(j, i, r)
	{
		if (!json_is_object(r) || !ipj_route(ar, s, r, &loc))
			continue;
		n++;
		n220 += s->routes[s->nroutes - 1].table == 220;
		ipj_gateway(ar, s, &s->routes[s->nroutes - 1]);
	}
	json_decref(j);
	lx_site_mark(s);
	lx_roles(s);
	in->summary = arena_printf(ar,
				   "ip route %zu routes (%zu in table "
				   "220)",
				   n, n220);
	return true;
}

/* Route types iproute2 prints before the destination. */
static bool
ipr_type_word(struct str w)
{
	static const char *const t[] = {
	    "unicast",	 "local",	"broadcast", "multicast", "anycast",
	    "blackhole", "unreachable", "prohibit",  "throw",	  "nat"};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (str_eq(w, t[i]))
			return true;
	return false;
}

/* "[type] DST [via [inet6] GW] [dev DEV] [table T] [proto P] [scope S]
 * [src A] [metric N] ..." (iproute2 ip/iproute.c print_route). */
static bool
ipr_text_line(struct arena *ar, struct str line, struct ipr_fields *x)
{
	struct str rest = line, w;
	*x = (struct ipr_fields){0};
	if (!str_next(&rest, ' ', &w))
		return false;
	if (ipr_type_word(w)) {
		x->type = lx_dup(ar, w);
		if (!str_next(&rest, ' ', &w))
			return false;
	}
	struct prefix p;
	if (!str_eq(w, "default") && !prefix_parse(w, &p, NULL))
		return false;
	x->dst = lx_dup(ar, w);
	const char *table = NULL;
	while (str_next(&rest, ' ', &w)) {
		const char **slot = str_eq(w, "via")	 ? &x->gw
				    : str_eq(w, "dev")	 ? &x->dev
				    : str_eq(w, "table") ? &table
				    : str_eq(w, "proto") ? &x->proto
				    : str_eq(w, "scope") ? &x->scope
							 : NULL;
		struct str v;
		if (slot == NULL || !str_next(&rest, ' ', &v))
			continue;
		if (slot == &x->gw && (str_eq(v, "inet") || str_eq(v, "inet6")))
			str_next(&rest, ' ', &v);
		*slot = lx_dup(ar, v);
	}
	x->table = ipr_table(table);
	return true;
}

/* Multipath "nexthop via GW dev DEV weight 1": the first hop stands
 * for the route. */
static void
ipr_nexthop(struct arena *ar, struct site *s, struct route *r, struct str t)
{
	struct str rest = t, w, v;
	while (str_next(&rest, ' ', &w))
		if (str_eq(w, "via") && str_next(&rest, ' ', &v)) {
			r->gateway = lx_dup(ar, v);
			r->has_via = ipaddr_parse(v, &r->via);
		} else if (str_eq(w, "dev") && str_next(&rest, ' ', &v)) {
			r->iface = lx_iface(ar, s, v, &r->loc)->key;
		}
	ipj_gateway(ar, s, r);
}

/* A route of text `ip route` output, or NULL: for the recogniser. */
bool
cfg_iproute_text_line(struct str line)
{
	struct arena ar;
	arena_init(&ar);
	struct ipr_fields x;
	bool ok =
	    ipr_text_line(&ar, str_trim(line), &x) && (x.dev || x.gw || x.type);
	arena_free(&ar);
	return ok;
}

/* The first line of a multipath route ("default proto static metric
 * 100"; its hops follow as nexthop lines): a destination, no via or dev. */
bool
cfg_iproute_text_head(struct str line)
{
	struct arena ar;
	arena_init(&ar);
	struct ipr_fields x;
	bool ok = ipr_text_line(&ar, str_trim(line), &x) && !x.dev && !x.gw &&
		  !x.type;
	arena_free(&ar);
	return ok;
}

/* Does this table name d as "dev d" with "proto kernel" (a connected
 * network), or "src a" with a in the site's own addresses? */
static void
ipr_scan(const struct site *s, struct str t, struct str *first_dev,
	 bool *two_devs, bool *own_src, bool *own_dev)
{
	struct str rest = t, w, v;
	bool kernel = memmem(t.p, t.n, "proto kernel", 12) != NULL;
	while (str_next(&rest, ' ', &w)) {
		if (str_eq(w, "src") && str_next(&rest, ' ', &v)) {
			struct ipaddr a;
			*own_src |=
			    ipaddr_parse(v, &a) && site_is_own_addr(s, &a);
		} else if (str_eq(w, "dev") && str_next(&rest, ' ', &v)) {
			for (size_t i = 0; i < s->nifaces; i++)
				*own_dev |= s->ifaces[i].dev &&
					    str_eq(v, s->ifaces[i].dev) &&
					    !str_eq(v, "lo");
			if (!kernel)
				continue;
			if (first_dev->n &&
			    !(first_dev->n == v.n &&
			      memcmp(first_dev->p, v.p, v.n) == 0))
				*two_devs = true;
			*first_dev = v;
		}
	}
}

/* The gateway's own table, or a LAN host's (the same command,
 * doc/behaviour/loose-files.md §3)? In a pfSense or OPNsense site a
 * host's. Else the gateway's when it has what only a gateway's table
 * has (another table such as strongSwan's 220, a tunnel device,
 * connected networks on two devices) or names the site's own devices
 * or addresses (from ip addr). */
static bool
ipr_gateways(const struct site *s, const char *buf, size_t len)
{
	if (s->kind == SITE_PFSENSE || s->kind == SITE_OPNSENSE ||
	    s->kind == SITE_CLOUD)
		return false;
	struct str text = {buf, len};
	if (memmem(buf, len, " table ", 7) ||
	    memmem(buf, len, "dev ipsec", 9) ||
	    memmem(buf, len, "dev xfrm", 8) || memmem(buf, len, "dev vti", 7))
		return true;
	struct str rest = text, line, first = {0};
	bool two = false, src = false, dev = false;
	while (str_next(&rest, '\n', &line))
		ipr_scan(s, str_trim(line), &first, &two, &src, &dev);
	return two || src || dev;
}

/* The gateway's own table (`ip route show table all`, text); a LAN
 * host's is read as the host facts it is. */
bool
cfg_iproute_text_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	if (!in->gateways && !ipr_gateways(s, buf, len)) {
		in->kind = INPUT_HOST_PASTE;
		return hosts_import(ar, in, s);
	}
	struct lx_lines it;
	struct str line;
	size_t n = 0, n220 = 0, bad = 0;
	struct route *last = NULL;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		struct srcloc loc = {in->path, it.lineno, lx_col(line, t.p), 0};
		struct ipr_fields x;
		if (t.n == 0)
			continue;
		if (str_starts(t, "nexthop ")) {
			if (last && !last->has_via && !last->iface)
				ipr_nexthop(ar, s, last, t);
			continue;
		}
		if (!ipr_text_line(ar, t, &x)) {
			if (bad++ == 0 && !str_starts(t, "Error") &&
			    !str_starts(t, "RTNETLINK"))
				diag(DIAG_WARNING, &loc,
				     "not a route of `ip route`: skipped");
			continue;
		}
		if (!ipr_add(ar, s, &x, &loc))
			continue;
		last = &s->routes[s->nroutes - 1];
		n++;
		n220 += last->table == 220;
		ipj_gateway(ar, s, last);
	}
	if (n == 0) {
		struct srcloc loc = {in->path, 1, 1, 0};
		diag(DIAG_ERROR, &loc,
		     "no route understood: not the output "
		     "of `ip route`");
		return false;
	}
	lx_site_mark(s);
	lx_roles(s);
	in->summary = arena_printf(ar,
				   "ip route (text) %zu routes (%zu in "
				   "table 220)",
				   n, n220);
	return true;
}

/* One `ip rule` line: "220:\tfrom all lookup 220". */
static bool
iprule_line(struct arena *ar, struct str line, struct srcloc *loc,
	    struct ip_rule *r)
{
	struct str pref, rest, tok;
	if (!str_split(line, ':', &pref, &rest) ||
	    !str_to_u64(str_trim(pref), UINT32_MAX, &(uint64_t){0})) {
		loc->col = 1;
		diag(DIAG_ERROR, loc,
		     "expected 'PRIORITY:' at the start of "
		     "an ip rule line");
		return false;
	}
	uint64_t v;
	str_to_u64(str_trim(pref), UINT32_MAX, &v);
	r->pref = (unsigned)v;
	r->from_any = r->to_any = true;
	r->loc = *loc;
	struct str toks = str_trim(rest);
	while (str_next(&toks, ' ', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		struct str arg = {0};
		bool need =
		    !str_eq(tok, "not") && !str_eq(tok, "unreachable") &&
		    !str_eq(tok, "prohibit") && !str_eq(tok, "blackhole");
		if (need && !str_next(&toks, ' ', &arg)) {
			loc->col = lx_col(line, tok.p);
			diag(DIAG_ERROR, loc, "'%.*s' without a value",
			     (int)tok.n, tok.p);
			return false;
		}
		arg = str_trim(arg);
		if (str_eq(tok, "not"))
			r->not = true;
		else if (str_eq(tok, "from") && !str_eq(arg, "all"))
			r->from_any = !prefix_parse(arg, &r->from, NULL);
		else if (str_eq(tok, "to") && !str_eq(arg, "all"))
			r->to_any = !prefix_parse(arg, &r->to, NULL);
		else if (str_eq(tok, "iif"))
			r->iif = lx_dup(ar, arg);
		else if (str_eq(tok, "oif"))
			r->oif = lx_dup(ar, arg);
		else if (str_eq(tok, "lookup") || str_eq(tok, "table")) {
			r->table = str_eq(arg, "main")	    ? 254
				   : str_eq(arg, "local")   ? 255
				   : str_eq(arg, "default") ? 253
				   : str_to_u64(arg, UINT32_MAX, &v)
				       ? (unsigned)v
				       : 0;
		} else if (str_eq(tok, "fwmark")) {
			struct str m, mask;
			bool has_mask = str_split(arg, '/', &m, &mask);
			r->has_fwmark = true;
			r->fwmark = (uint32_t)strtoul(lx_dup(ar, m), NULL, 0);
			r->fwmask =
			    has_mask
				? (uint32_t)strtoul(lx_dup(ar, mask), NULL, 0)
				: UINT32_MAX;
		} else if (!need) {
			r->action = lx_dup(ar, tok);
		}
		/* proto, suppress_prefixlength, goto, ...: not modelled */
	}
	return true;
}

bool
cfg_iprule_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	bool ok = true;
	size_t n = 0;
	while (lx_lines_next(&it, &line)) {
		if (str_trim(line).n == 0)
			continue;
		struct srcloc loc = {.file = in->path, .line = it.lineno};
		struct ip_rule r = {0};
		if (!iprule_line(ar, line, &loc, &r)) {
			ok = false;
			continue;
		}
		*ARENA_PUSH(ar, s->iprules, s->niprules, s->ciprules) = r;
		n++;
	}
	if (!ok)
		return false;
	lx_site_mark(s);
	in->summary = arena_printf(ar, "ip rule %zu rules", n);
	return true;
}
