/* Tracker join, doc/behaviour/pfsense.md §3.3 (filter.inc:689-745, master
 * @9363ac5). */
#include "engine/log_tracker.h"

#include <stdio.h>
#include <string.h>

#include "engine/ruleset.h"

static const char *const kind_names[] = {
    [LT_NONE] = "none",
    [LT_USER] = "user",
    [LT_DEFAULT_DENY] = "default-deny",
    [LT_LINKLOCAL] = "link-local",
    [LT_BOGONS] = "bogons",
    [LT_PRIVATE] = "private-networks",
    [LT_ANTILOCKOUT] = "anti-lockout",
    [LT_CAPTIVE] = "captive-portal",
    [LT_NEGATE] = "negate",
    [LT_VIRUSPROT] = "virusprot",
    [LT_AUTO_VPN] = "auto-ipsec",
    [LT_SYSTEM] = "system",
    [LT_OPNSENSE] = "opnsense",
    [LT_UNKNOWN] = "unknown",
};

const char *
lt_kind_name(enum lt_kind k)
{
	return kind_names[k];
}

/* "user rule 3 on IPsec 'allow tcp' (config.xml:812)" */
static const char *
describe_rule(struct arena *ar, const struct site *s, const struct rule *r)
{
	const char *on = r->nifaces ? r->ifaces[0] : "?";
	const struct iface *ifc = site_iface(s, on);
	if (ifc && ifc->descr)
		on = ifc->descr;
	else if (strcmp(on, "enc0") == 0)
		on = "IPsec";
	char loc[256];
	srcloc_format(&r->loc, loc, sizeof(loc));
	if (r->mvc) /* the pf label is the rule's uuid */
		return arena_printf(
		    ar, "rule '%s' of %s (%s%s%s)", r->descr ? r->descr : "",
		    rule_page(ar, s, r),
		    r->sequence ? arena_printf(ar, "sequence %u, ", r->sequence)
				: "",
		    r->not_loaded ? "not loaded, " : "", loc);
	return arena_printf(ar, "%s rule %u%s%s%s%s%s (%s)",
			    r->floating ? "floating" : "user", r->position,
			    r->floating ? "" : " on ", r->floating ? "" : on,
			    r->descr && *r->descr ? " '" : "",
			    r->descr && *r->descr ? r->descr : "",
			    r->descr && *r->descr ? "'" : "", loc);
}

static bool
find_user(struct arena *ar, const struct site *s, const char *tracker,
	  struct lt_result *res)
{
	for (size_t i = 0; s && i < s->nrules; i++) {
		const struct rule *r = &s->rules[i];
		if (r->tracker == NULL || strcmp(r->tracker, tracker) != 0)
			continue;
		if (res->nmatch++ == 0)
			res->rule = r;
	}
	if (res->nmatch == 0)
		return false;
	res->kind = LT_USER;
	res->descr = describe_rule(ar, s, res->rule);
	if (res->nmatch > 1)
		res->descr = arena_printf(ar,
					  "%s; tracker %s is duplicated: "
					  "%zu rules share it (copied rules)",
					  res->descr, tracker, res->nmatch);
	return true;
}

static bool
is_hex_id(const char *t)
{
	size_t n = 0;
	for (; *t; t++, n++)
		if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'f') ||
		      (*t >= 'A' && *t <= 'F') || *t == '-'))
			return false;
	return n >= 32;
}

static bool
is_linklocal(const struct lt_context *c)
{
	uint32_t m = 0xa9fe0000; /* 169.254.0.0/16 */
	return c->ipver == 4 && (((uint32_t)c->src.v & 0xffff0000) == m ||
				 ((uint32_t)c->dst.v & 0xffff0000) == m);
}

static bool
is_ike_esp(const struct lt_context *c)
{
	return c->proto == PROTO_ESP || c->proto == PROTO_AH ||
	       (c->proto == PROTO_UDP && (c->dport == 500 || c->dport == 4500 ||
					  c->sport == 500 || c->sport == 4500));
}

/* 1000000101..106: link-local blocks, then the default deny pair(s);
 * the numbers shift with ipv6allow and no_apipa_block, so the packet
 * decides (a 169.254/16 address is the link-local rule). */
static void
join_low_system(uint64_t v, const struct lt_context *c, struct lt_result *res,
		struct arena *ar)
{
	if (c && c->known && is_linklocal(c)) {
		res->kind = LT_LINKLOCAL;
		res->descr = "block IPv4 link-local (169.254.0.0/16) rule";
		return;
	}
	res->kind = LT_DEFAULT_DENY;
	if (c && c->known)
		res->descr =
		    arena_printf(ar,
				 "default deny rule IPv%u %s "
				 "(no rule matched)",
				 c->ipver, c->dir == PDIR_OUT ? "out" : "in");
	else if (v >= 1000000103)
		res->descr = arena_printf(ar,
					  "default deny rule IPv%c %s "
					  "(no rule matched)",
					  v <= 1000000104 ? '4' : '6',
					  v % 2 ? "in" : "out");
	else
		res->descr = "link-local block or default deny rule";
}

static void
join_system(struct arena *ar, uint64_t v, const struct lt_context *c,
	    struct lt_result *res, const char *tracker)
{
	if (v >= 1000000101 && v <= 1000000106)
		return join_low_system(v, c, res, ar);
	if (v == 1000000003 || v == 1000000004) {
		/* after the two IPv6 loopback passes (doc/behaviour/
		 * pf-ruleset.md §6) */
		res->kind = LT_SYSTEM;
		res->descr = arena_printf(ar,
					  "Block all IPv6 rule %s (System "
					  "> Advanced > Networking, Allow IPv6 "
					  "off)",
					  v == 1000000003 ? "in" : "out");
	} else if (v == 1000000400) {
		res->kind = LT_VIRUSPROT;
		res->descr = "virusprot overload table block rule";
	} else if (v >= 1000100000 && v < 1000500000 && c && c->known &&
		   !c->block && is_ike_esp(c)) {
		res->kind = LT_AUTO_VPN;
		res->descr = arena_printf(ar,
					  "automatic IPsec rule (tracker "
					  "%s)",
					  tracker);
	} else {
		res->kind = LT_SYSTEM;
		res->descr = arena_printf(ar,
					  "pfSense system rule (tracker "
					  "%s), not a user rule",
					  tracker);
	}
}

static bool
join_small(uint64_t v, struct lt_result *res)
{
	static const struct {
		uint64_t lo, hi;
		enum lt_kind kind;
		const char *descr;
	} ranges[] = {
	    {10000001, 10999999, LT_NEGATE,
	     "negate rule (VPN networks bypass policy routing)"},
	    {10001, 10999, LT_ANTILOCKOUT, "anti-lockout rule"},
	    {11001, 11999, LT_BOGONS, "block bogon networks rule"},
	    {12001, 12999, LT_PRIVATE, "block private networks rule"},
	    {13001, 13999, LT_CAPTIVE, "captive portal rule"},
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(*ranges); i++)
		if (v >= ranges[i].lo && v <= ranges[i].hi) {
			res->kind = ranges[i].kind;
			res->descr = ranges[i].descr;
			return true;
		}
	return false;
}

struct lt_result
log_tracker_join(struct arena *ar, const struct site *s, const char *tracker,
		 const struct lt_context *ctx)
{
	struct lt_result res = {0};
	bool config = s && s->has_config;
	if (tracker == NULL || *tracker == '\0' || strcmp(tracker, "0") == 0) {
		res.kind = LT_NONE;
		res.descr = "rule without a tracker (package or anchor rule)";
		return res;
	}
	if (find_user(ar, s, tracker, &res))
		return res;
	uint64_t v;
	if (is_hex_id(tracker)) {
		res.kind = LT_OPNSENSE;
		res.descr =
		    arena_printf(ar,
				 config ? "OPNsense rule %s (not a "
					  "rule of this config: automatic or "
					  "system rule)"
					: "OPNsense rule %s (no "
					  "config to resolve it)",
				 tracker);
		return res;
	}
	if (!str_to_u64(str_from(tracker), UINT64_MAX, &v)) {
		res.kind = LT_UNKNOWN;
		res.descr = arena_printf(ar, "unknown rule id '%s'", tracker);
	} else if (v >= 1000000000 && v < 1000500000) {
		join_system(ar, v, ctx, &res, tracker);
	} else if (!join_small(v, &res)) {
		res.kind = LT_UNKNOWN;
		res.descr =
		    arena_printf(ar,
				 config ? "tracker %s: no rule of "
					  "this config has it (rules changed "
					  "since the log?)"
					: "user rule with "
					  "tracker %s (no config to resolve "
					  "it)",
				 tracker);
	}
	return res;
}
