/* iproute2 dumps of a Linux gateway (iproute2 5.x / 6.x): `ip -j addr`,
 * `ip -j route show table all` (or their text, cfg_iptext.c) and `ip
 * rule` (text or -j). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"

static json_t *
ipj_load(struct arena *ar, struct input_file *in)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return NULL;
	json_t *t = lx_iptext_json(ar, buf, len);
	if (t)
		return t;
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

static unsigned
ipj_table(json_t *r)
{
	json_t *t = json_object_get(r, "table");
	if (json_is_integer(t))
		return (unsigned)json_integer_value(t);
	const char *name = json_is_string(t) ? json_string_value(t) : "main";
	uint64_t v;
	if (strcmp(name, "main") == 0)
		return 0;
	if (strcmp(name, "local") == 0)
		return 255;
	if (strcmp(name, "default") == 0)
		return 253;
	return str_to_u64(str_from(name), UINT32_MAX, &v) ? (unsigned)v : 254;
}

static bool
ipj_route(struct arena *ar, struct site *s, json_t *r, struct srcloc *loc)
{
	const char *type = ipj_str(r, "type");
	if (type &&
	    (strcmp(type, "local") == 0 || strcmp(type, "broadcast") == 0 ||
	     strcmp(type, "multicast") == 0 || strcmp(type, "anycast") == 0))
		return false; /* own addresses come from ip addr */
	const char *dst = ipj_str(r, "dst"), *dev = ipj_str(r, "dev");
	const char *gw = ipj_str(r, "gateway");
	struct route rt = {.loc = *loc, .table = ipj_table(r)};
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
		const char *proto = ipj_str(r, "protocol");
		const char *scope = ipj_str(r, "scope");
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
