#include "model/site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct iface *
site_iface(const struct site *s, const char *key)
{
	if (key == NULL)
		return NULL;
	for (size_t i = 0; i < s->nifaces; i++)
		if (strcmp(s->ifaces[i].key, key) == 0)
			return &s->ifaces[i];
	return NULL;
}

struct iface *
site_iface_by_dev(const struct site *s, const char *dev)
{
	if (dev == NULL)
		return NULL;
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].dev && strcmp(s->ifaces[i].dev, dev) == 0)
			return &s->ifaces[i];
	return site_iface(s, dev);
}

struct gateway *
site_gateway(const struct site *s, const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < s->ngateways; i++)
		if (strcmp(s->gateways[i].name, name) == 0)
			return &s->gateways[i];
	return NULL;
}

struct gateway *
site_default_gateway(const struct site *s, unsigned fam)
{
	for (size_t i = 0; i < s->ngateways; i++)
		if (s->gateways[i].is_default && s->gateways[i].fam == fam &&
		    !s->gateways[i].disabled)
			return &s->gateways[i];
	return NULL;
}

struct alias *
site_alias(const struct site *s, const char *name)
{
	for (size_t i = 0; i < s->naliases; i++)
		if (strcmp(s->aliases[i].name, name) == 0)
			return &s->aliases[i];
	return NULL;
}

struct iface *
site_iface_for_addr(const struct site *s, const struct ipaddr *a)
{
	struct iface *best = NULL;
	unsigned best_len = 0;
	for (size_t i = 0; i < s->nifaces; i++) {
		struct iface *f = &s->ifaces[i];
		if (!f->enabled)
			continue;
		for (size_t j = 0; j < f->naddrs; j++) {
			struct prefix p =
			    prefix_make(f->addrs[j].addr, f->addrs[j].plen);
			if (prefix_contains(&p, a) &&
			    (best == NULL || p.len > best_len)) {
				best = f;
				best_len = p.len;
			}
		}
	}
	return best;
}

bool
site_is_own_addr(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->nifaces; i++)
		for (size_t j = 0; j < s->ifaces[i].naddrs; j++)
			if (ipaddr_cmp(&s->ifaces[i].addrs[j].addr, a) == 0)
				return true;
	return false;
}

bool
site_is_box_addr(const struct site *s, const struct ipaddr *a)
{
	if (site_is_own_addr(s, a))
		return true;
	const struct boxstate *b = &s->ev.box;
	for (size_t i = 0; i < b->nifs; i++)
		for (size_t j = 0; j < b->ifs[i].naddrs; j++)
			if (ipaddr_cmp(&b->ifs[i].addrs[j].addr, a) == 0)
				return true;
	return false;
}

struct host *
site_host(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->nhosts; i++)
		if (ipaddr_cmp(&s->hosts[i].addr, a) == 0)
			return &s->hosts[i];
	return NULL;
}

const struct host_route *
host_route_lookup(const struct host *h, const struct ipaddr *a)
{
	const struct host_route *best = NULL;
	for (size_t i = 0; i < h->nroutes; i++)
		if (prefix_contains(&h->routes[i].net, a) &&
		    (best == NULL || h->routes[i].net.len > best->net.len))
			best = &h->routes[i];
	return best;
}

/* doc/behaviour/pfsense.md §0: globals.inc latest_config on each branch. */
static const struct {
	const char *config, *product;
} versions[] = {
    {"15.8", "2.3.5"}, {"17.0", "2.4.0"}, {"18.0", "2.4.3"}, {"18.9", "2.4.4"},
    {"19.1", "2.4.5"}, {"21.4", "2.5.0"}, {"21.7", "2.5.2"}, {"22.2", "2.6.0"},
    {"22.9", "2.7.0"}, {"23.3", "2.7.2"}, {"24.0", "2.8.0"}, {"24.5", "2.8.0"},
};

static double
version_number(const char *v)
{
	return v ? strtod(v, NULL) : 0;
}

const char *
pfsense_version_of_config(const char *config_version)
{
	double v = version_number(config_version);
	const char *best = NULL;
	for (size_t i = 0; i < sizeof(versions) / sizeof(*versions); i++)
		if (version_number(versions[i].config) <= v)
			best = versions[i].product;
	return best;
}

bool
site_version_at_least(const struct site *s, unsigned major, unsigned minor)
{
	if (s->product_version == NULL)
		return true; /* unknown: assume current */
	unsigned ma = 0, mi = 0;
	if (sscanf(s->product_version, "%u.%u", &ma, &mi) < 1)
		return true;
	return ma > major || (ma == major && mi >= minor);
}

const char *
site_kind_name(enum site_kind k)
{
	static const char *const n[] = {"unknown", "pfsense", "opnsense",
					"linux", "cloud"};
	return n[k];
}

const char *
if_role_name(enum if_role r)
{
	static const char *const n[] = {"lan", "wan", "opt",
					"enc", "vti", "openvpn"};
	return n[r];
}

const char *
route_kind_name(enum route_kind k)
{
	static const char *const n[] = {"connected", "static", "openvpn",
					"vti",	     "ipsec",  "default"};
	return n[k];
}

const char *
p2_mode_name(enum p2_mode m)
{
	static const char *const n[] = {"tunnel", "tunnel6", "transport",
					"vti"};
	return n[m];
}

const char *
rule_action_name(enum rule_action a)
{
	static const char *const n[] = {"pass", "block", "reject", "match"};
	return n[a];
}

const char *
rule_origin_name(enum rule_origin o)
{
	static const char *const n[] = {
	    "user rule",
	    "block private networks",
	    "block bogon networks",
	    "anti-lockout rule",
	    "negate rule (VPN networks bypass policy routing)",
	    "auto-added IPsec rule",
	    "default deny rule",
	    "let out anything",
	    "IPsec internal host to host",
	    "chain policy",
	    "Block all IPv6",
	    "block IPv4 link-local",
	    "running rule",
	};
	return n[o];
}

const char *
cipher_name(enum cipher c)
{
	static const char *const n[] = {
	    "unknown",		 "null", "aes-cbc",  "aes-gcm", "aes-ccm",
	    "chacha20-poly1305", "3des", "blowfish", "cast128"};
	return n[c];
}

const char *
integ_name(enum integ i)
{
	static const char *const n[] = {
	    "none",	   "hmac-md5",	  "hmac-sha1", "hmac-sha256",
	    "hmac-sha384", "hmac-sha512", "aes-xcbc"};
	return n[i];
}

#define INPUT(id, key, name, role, rec, reader, adds) [INPUT_##id] = name,
static const char *const input_names[] = {
#include "model/inputs.def"
};
#undef INPUT
#define INPUT(id, key, name, role, rec, reader, adds) [INPUT_##id] = key,
static const char *const input_keys[] = {
#include "model/inputs.def"
};
#undef INPUT
#define INPUT(id, key, name, role, rec, reader, adds) [INPUT_##id] = adds,
static const char *const input_adds[] = {
#include "model/inputs.def"
};
#undef INPUT

const char *
input_kind_name(enum input_kind k)
{
	return input_names[k];
}

const char *
input_kind_key(enum input_kind k)
{
	return input_keys[k];
}

const char *
input_kind_adds(enum input_kind k)
{
	return input_adds[k];
}

long
site_sysctl(const struct site *s, const char *key, const struct srcloc **loc)
{
	/* the last value given wins, as when the lines are applied */
	for (size_t i = s->nsysctls; i-- > 0;)
		if (strcmp(s->sysctls[i].key, key) == 0) {
			if (loc)
				*loc = &s->sysctls[i].loc;
			return s->sysctls[i].value;
		}
	return -1;
}

/* Routes keep "main" as table 0, `ip rule` names it 254. */
static unsigned
table_id(unsigned t)
{
	return t == 0 ? 254 : t;
}

static const struct route *
lookup_table(const struct site *s, const struct ipaddr *dst, unsigned table)
{
	const struct route *best = NULL;
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		if (r->disabled || table_id(r->table) != table ||
		    !prefix_contains(&r->net, dst))
			continue;
		if (best == NULL || r->net.len > best->net.len)
			best = r;
	}
	return best;
}

/* Linux policy routing: `ip rule` in priority order, each naming the
 * table to look in. Rules that depend on what a destination-only lookup
 * cannot know (source, iif, fwmark) are passed over. */
static bool
rules_lookup(const struct site *s, const struct ipaddr *dst,
	     const struct route **out)
{
	for (size_t i = 0; i < s->niprules; i++) {
		const struct ip_rule *r = &s->iprules[i];
		if (!r->from_any || r->iif || r->oif || r->has_fwmark ||
		    r->not || (!r->to_any && !prefix_contains(&r->to, dst)))
			continue;
		if (r->action) { /* unreachable, prohibit, blackhole */
			*out = NULL;
			return true;
		}
		if (r->table == 255) /* local: the gateway's own addresses */
			continue;
		const struct route *rt = lookup_table(s, dst, r->table);
		if (rt) {
			*out = rt;
			return true;
		}
	}
	return false;
}

/* A rule against a flow whose every key is known; the reverse-path
 * lookup binds no output interface and carries mark 0. */
static bool
rule_matches(const struct ip_rule *r, const struct ipaddr *to,
	     const struct ipaddr *from, const char *iif)
{
	bool m = (r->from_any || prefix_contains(&r->from, from)) &&
		 (r->to_any || prefix_contains(&r->to, to)) &&
		 (r->iif == NULL || strcmp(r->iif, iif) == 0) &&
		 r->oif == NULL &&
		 (!r->has_fwmark || (r->fwmark & r->fwmask) == 0);
	return r->not ? !m : m;
}

const struct route *
route_lookup_rpf(const struct site *s, const struct ipaddr *src,
		 const struct ipaddr *dst, const char *iif)
{
	if (s->kind != SITE_LINUX || s->niprules == 0)
		return route_lookup(s, src);
	for (size_t i = 0; i < s->niprules; i++) {
		const struct ip_rule *r = &s->iprules[i];
		if (!rule_matches(r, src, dst, iif))
			continue;
		if (r->action) /* unreachable, prohibit, blackhole */
			return NULL;
		if (r->table == 255) /* local: the gateway's own addresses */
			continue;
		const struct route *rt = lookup_table(s, src, r->table);
		if (rt)
			return rt;
	}
	return NULL;
}

const struct route *
route_lookup(const struct site *s, const struct ipaddr *dst)
{
	const struct route *best = NULL;
	if (s->kind == SITE_LINUX && s->niprules && rules_lookup(s, dst, &best))
		return best;
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		if (r->disabled || !prefix_contains(&r->net, dst))
			continue;
		bool t220 = r->table == 220,
		     best220 = best && best->table == 220;
		if (best == NULL || (t220 && !best220) ||
		    (t220 == best220 && r->net.len > best->net.len))
			best = r;
	}
	return best;
}

bool
p1_local_addr(const struct site *s, const struct phase1 *p1, struct ipaddr *out)
{
	/* a VIP or gateway-group member address (doc/behaviour/
	 * pf-ruleset.md §5) */
	if (p1->bind && p1->local_known) {
		*out = p1->local;
		return true;
	}
	const struct iface *f = site_iface(s, p1->iface);
	if (f == NULL)
		return false;
	for (size_t i = 0; i < f->naddrs; i++)
		if (f->addrs[i].addr.fam == p1->outer_fam) {
			*out = f->addrs[i].addr;
			return true;
		}
	return false;
}

bool
p1_named(const struct phase1 *p1, const char *conn)
{
	if (conn == NULL)
		return false;
	if (p1->ikeid && strncmp(conn, "con", 3) == 0) {
		size_t k = strlen(p1->ikeid);
		if (strncmp(conn + 3, p1->ikeid, k) == 0 &&
		    (conn[3 + k] == '\0' || conn[3 + k] == '_'))
			return true;
	}
	return (p1->ikeid && strcmp(conn, p1->ikeid) == 0) ||
	       (p1->descr && strcmp(conn, p1->descr) == 0);
}

const struct phase1 *
site_p1_named(const struct site *s, const char *conn)
{
	for (size_t i = 0; conn && i < s->np1; i++)
		if (p1_named(&s->p1[i], conn))
			return &s->p1[i];
	return NULL;
}
