/* Hand-built sites for the engine's unit tests: just the model fields a
 * case needs, every array pre-sized so pointers into it (phase2->p1,
 * rulesets) stay valid while a case adds more. */
#ifndef TESTS_ENGINE_BUILD_H
#define TESTS_ENGINE_BUILD_H

#include <string.h>

#include "model/site.h"
#include "model/trace.h"
#include "util/arena.h"

enum { B_CAP = 128 };

#define B_ARRAY(ar, vec, cap)                                                  \
	((vec) = arena_alloc((ar), B_CAP * sizeof(*(vec))), (cap) = B_CAP)

static __attribute__((unused)) struct ipaddr
b_addr(const char *s)
{
	struct ipaddr a = {0};
	assert_true(ipaddr_parse(str_from(s), &a));
	return a;
}

static __attribute__((unused)) struct prefix
b_pfx(const char *s)
{
	struct prefix p = {0};
	assert_true(prefix_parse(str_from(s), &p, NULL));
	return p;
}

static __attribute__((unused)) struct site *
b_site(struct arena *ar, enum site_kind kind)
{
	struct site *s = arena_alloc(ar, sizeof(*s));
	s->name = "t";
	s->kind = kind;
	s->has_config = true;
	/* as the factory config: IPv6 allowed (no "Block all IPv6"),
	 * OPNsense IPsec enabled */
	s->flags.ipv6allow = s->flags.ipsec_enable = true;
	B_ARRAY(ar, s->ifaces, s->cifaces);
	B_ARRAY(ar, s->routes, s->croutes);
	B_ARRAY(ar, s->p1, s->cp1);
	B_ARRAY(ar, s->p2, s->cp2);
	B_ARRAY(ar, s->rules, s->crules);
	B_ARRAY(ar, s->groups, s->cgroups);
	B_ARRAY(ar, s->ovpn, s->covpn);
	B_ARRAY(ar, s->chains, s->cchains);
	return s;
}

/* addr like "10.0.1.1/24"; NULL for none (enc0) */
static __attribute__((unused)) struct iface *
b_iface(struct arena *ar, struct site *s, const char *key, enum if_role role,
	const char *addr)
{
	struct iface *f = ARENA_PUSH(ar, s->ifaces, s->nifaces, s->cifaces);
	f->key = f->dev = key;
	f->role = role;
	f->enabled = true;
	if (addr) {
		struct prefix p = b_pfx(addr);
		const char *slash = strchr(addr, '/');
		struct ifaddr *ia =
		    ARENA_PUSH(ar, f->addrs, f->naddrs, f->caddrs);
		ia->addr =
		    b_addr(arena_strndup(ar, addr, (size_t)(slash - addr)));
		ia->plen = p.len;
	}
	return f;
}

/* "any", "!10.0.0.0/8", "10.0.1.0/24,10.0.9.0/24" */
static __attribute__((unused)) void
b_end(struct arena *ar, struct rule_end *e, const char *spec)
{
	e->text = spec;
	e->addrs = (struct addrset){0};
	e->any_word = strstr(spec, "any") != NULL; /* as the importer */
	e->negate = spec[0] == '!';
	if (e->negate)
		spec++;
	if (strcmp(spec, "any") == 0) {
		e->addrs = addrset_any(ar);
		return;
	}
	struct str rest = str_from(spec), item;
	while (rest.n) {
		bool more = str_split(rest, ',', &item, &rest);
		struct prefix p = b_pfx(arena_strndup(ar, item.p, item.n));
		addrset_add_prefix(ar, &e->addrs, &p);
		if (!more)
			break;
	}
}

/* A user rule on tab (or floating on ifkey when tab is NULL): both
 * families, any protocol, any to any; quick as the importer sets it. */
static __attribute__((unused)) struct rule *
b_rule(struct arena *ar, struct site *s, const char *tab, bool floating,
       enum rule_action act, const char *descr)
{
	struct rule *r = ARENA_PUSH(ar, s->rules, s->nrules, s->crules);
	r->action = act;
	r->origin = ORIGIN_USER;
	r->floating = floating;
	r->quick = !floating;
	r->dir = floating ? DIR_ANY : DIR_IN;
	r->ifaces = arena_alloc(ar, sizeof(*r->ifaces));
	r->ifaces[0] = tab;
	r->nifaces = r->cifaces = 1;
	r->fam[FAM_V4] = r->fam[FAM_V6] = true;
	r->icmp_any = true;
	r->descr = descr;
	r->position = (unsigned)s->nrules;
	b_end(ar, &r->src, "any");
	b_end(ar, &r->dst, "any");
	return r;
}

static __attribute__((unused)) struct phase1 *
b_p1(struct arena *ar, struct site *s, const char *ikeid, const char *iface,
     const char *peer, unsigned ikever)
{
	struct phase1 *p1 = ARENA_PUSH(ar, s->p1, s->np1, s->cp1);
	p1->ikeid = p1->descr = ikeid;
	p1->iface = iface;
	p1->remote = peer;
	p1->ikever = ikever;
	struct ipaddr a;
	if (ipaddr_parse(str_from(peer), &a)) {
		p1->peer = a;
		p1->peer_known = true;
		p1->outer_fam = a.fam;
	}
	return p1;
}

static __attribute__((unused)) void
b_sel(struct selector *sel, const char *net)
{
	sel->type = "network";
	sel->text = net;
	sel->net = b_pfx(net);
	sel->resolved = true;
}

static __attribute__((unused)) struct phase2 *
b_p2(struct arena *ar, struct site *s, struct phase1 *p1, const char *local,
     const char *remote, enum p2_mode mode)
{
	struct phase2 *p2 = ARENA_PUSH(ar, s->p2, s->np2, s->cp2);
	p2->p1 = p1;
	p2->ikeid = p1 ? p1->ikeid : NULL;
	p2->descr = arena_printf(ar, "%s === %s", local, remote);
	p2->mode = mode;
	p2->proto = PROTO_ESP;
	p2->reqid = (unsigned)s->np2;
	b_sel(&p2->local, local);
	b_sel(&p2->remote, remote);
	return p2;
}

static __attribute__((unused)) struct route *
b_route(struct arena *ar, struct site *s, const char *net, const char *iface,
	unsigned table)
{
	struct route *r = ARENA_PUSH(ar, s->routes, s->nroutes, s->croutes);
	r->kind = table == 220 ? ROUTE_IPSEC : ROUTE_STATIC;
	r->net = b_pfx(net);
	r->iface = iface;
	r->table = table;
	r->origin = net;
	return r;
}

/* proto "icmp" (echo request), "tcp/445", "udp/53", "esp", "udp/500" */
static __attribute__((unused)) struct packet
b_pkt(const char *src, const char *dst, const char *proto)
{
	struct packet p = {.src = b_addr(src), .dst = b_addr(dst)};
	const char *slash = strchr(proto, '/');
	char name[16] = "";
	size_t n = slash ? (size_t)(slash - proto) : strlen(proto);
	assert_true(n < sizeof(name));
	memcpy(name, proto, n);
	int pr = proto_from_name(str_from(name));
	assert_true(pr >= 0);
	p.proto = (uint8_t)pr;
	if (slash) {
		p.dport = (uint16_t)atoi(slash + 1);
		p.sport = 49152;
	}
	if (pr == PROTO_ICMP)
		p.icmp_type = 8;
	if (pr == PROTO_ICMP6)
		p.icmp_type = 128;
	p.size = 84;
	return p;
}

#endif
