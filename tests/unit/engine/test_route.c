/* Routing and SPD lookups (engine/route.c): longest prefix match, Linux
 * table 220 before main, the most specific IPsec policy, IKEv2 merged
 * children (doc/behaviour/pfsense.md §2.7), transport/VTI outside the SPD,
 * phase 2 NAT on the inbound side (§2.6), disabled phase 2s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build.h"
#include "engine/route.h"

/* ---- routing ---- */

struct rcase {
	const char *name;
	enum site_kind kind;
	const char *routes; /* "net iface table;..." in config order */
	const char *dst;
	const char *want; /* the chosen route's net, NULL = none */
};

static const struct rcase rcases[] = {
    {"longest prefix: /24 over /8 and default", SITE_PFSENSE,
     "0.0.0.0/0 wan 0;10.0.0.0/8 opt1 0;10.0.2.0/24 lan 0", "10.0.2.5",
     "10.0.2.0/24"},
    {"longest prefix, /24 listed first", SITE_PFSENSE,
     "10.0.2.0/24 lan 0;10.0.0.0/8 opt1 0;0.0.0.0/0 wan 0", "10.0.2.5",
     "10.0.2.0/24"},
    {"longest prefix: /8 when /24 does not cover", SITE_PFSENSE,
     "0.0.0.0/0 wan 0;10.0.0.0/8 opt1 0;10.0.2.0/24 lan 0", "10.0.3.5",
     "10.0.0.0/8"},
    {"default route", SITE_PFSENSE, "10.0.0.0/8 opt1 0;0.0.0.0/0 wan 0",
     "8.8.8.8", "0.0.0.0/0"},
    {"host route", SITE_PFSENSE, "10.0.2.0/24 lan 0;10.0.2.7/32 opt1 0",
     "10.0.2.7", "10.0.2.7/32"},
    {"no route", SITE_PFSENSE, "10.0.0.0/8 lan 0", "8.8.8.8", NULL},
    {"IPv6 longest prefix", SITE_PFSENSE,
     "::/0 wan 0;2001:db8::/32 opt1 0;2001:db8:2::/64 lan 0", "2001:db8:2::5",
     "2001:db8:2::/64"},
    {"IPv4 route never matches IPv6", SITE_PFSENSE, "0.0.0.0/0 wan 0",
     "2001:db8:2::5", NULL},
    /* strongSwan's table 220 is consulted before main (ip rule 220) */
    {"table 220 before a more specific main route", SITE_LINUX,
     "10.0.2.0/24 lan0 0;10.0.0.0/16 wan0 220", "10.0.2.5", "10.0.0.0/16"},
    {"table 220 listed after main still first", SITE_LINUX,
     "0.0.0.0/0 wan0 0;10.0.2.0/24 wan0 220", "10.0.2.5", "10.0.2.0/24"},
    {"longest prefix within table 220", SITE_LINUX,
     "10.0.0.0/8 wan0 220;10.0.2.0/24 wan0 220;0.0.0.0/0 wan0 0", "10.0.2.5",
     "10.0.2.0/24"},
    {"main when table 220 does not cover", SITE_LINUX,
     "10.0.2.0/24 wan0 220;10.0.1.0/24 lan0 0;0.0.0.0/0 wan0 0", "10.0.1.9",
     "10.0.1.0/24"},
};

static void
test_route(void **state)
{
	const struct rcase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, c->kind);
	char *spec = arena_strdup(&ar, c->routes), *save = NULL;
	for (char *item = strtok_r(spec, ";", &save); item;
	     item = strtok_r(NULL, ";", &save)) {
		char net[64], ifk[16];
		unsigned table;
		assert_int_equal(sscanf(item, "%63s %15s %u", net, ifk, &table),
				 3);
		b_route(&ar, s, arena_strdup(&ar, net), arena_strdup(&ar, ifk),
			table);
	}
	struct ipaddr dst = b_addr(c->dst);
	const struct route *r = route_lookup(s, &dst);
	char buf[PREFIX_STRLEN];
	const char *got = r ? prefix_format(&r->net, buf) : "(none)";
	if ((c->want == NULL) != (r == NULL) ||
	    (c->want && strcmp(got, c->want) != 0))
		fail_msg("%s: expected %s, got %s", c->name,
			 c->want ? c->want : "(none)", got);
	arena_free(&ar);
}

static void
test_route_disabled(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_PFSENSE);
	b_route(&ar, s, "0.0.0.0/0", "wan", 0);
	struct route *r = b_route(&ar, s, "10.0.2.0/24", "opt1", 0);
	struct ipaddr dst = b_addr("10.0.2.5");
	assert_ptr_equal(route_lookup(s, &dst), r);
	r->disabled = true;
	assert_ptr_equal(route_lookup(s, &dst), &s->routes[0]);
	arena_free(&ar);
}

/* ---- the box's running table (doc/behaviour/status-archive.md §10) ---- */

static void
b_boxroute(struct arena *ar, struct site *s, const char *net, const char *gw,
	   const char *netif)
{
	struct boxstate *b = &s->ev.box;
	struct box_route *r = ARENA_PUSH(ar, b->routes, b->nroutes, b->croutes);
	r->net = b_pfx(net);
	r->is_default = r->net.len == 0;
	r->gateway = gw;
	r->has_via = gw && strncmp(gw, "link#", 5) != 0;
	if (r->has_via)
		r->via = b_addr(gw);
	r->flags = r->has_via ? "UGS" : "U";
	r->netif = netif;
	b->present = b->has_routes = true;
}

static void
test_route_running(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_PFSENSE);
	b_iface(&ar, s, "wan", ROLE_WAN, "5.6.7.1/24")->dev = "em0";
	b_iface(&ar, s, "lan", ROLE_LAN, "10.0.1.1/24")->dev = "em1";
	b_route(&ar, s, "0.0.0.0/0", "wan", 0);
	bool decided = true;
	struct ipaddr lanhost = b_addr("10.0.1.10");
	/* no table read: the model decides */
	assert_null(route_running(&ar, s, &lanhost, &decided));
	assert_false(decided);
	b_boxroute(&ar, s, "0.0.0.0/0", "5.6.7.254", "em0");
	b_boxroute(&ar, s, "10.0.1.0/24", "link#2", "em1");
	b_boxroute(&ar, s, "10.0.1.0/25", "5.6.7.254", "em0"); /* stale */
	b_boxroute(&ar, s, "10.0.1.1/32", "link#2", "lo0");
	/* longest prefix, the Netif mapped by device name */
	const struct route *r = route_running(&ar, s, &lanhost, &decided);
	assert_true(decided);
	assert_non_null(r);
	assert_string_equal(r->iface, "wan");
	assert_int_equal(r->net.len, 25);
	assert_true(route_differs(r, route_lookup(s, &lanhost)));
	/* the upper half: the connected route */
	struct ipaddr upper = b_addr("10.0.1.200");
	r = route_running(&ar, s, &upper, &decided);
	assert_string_equal(r->iface, "lan");
	assert_int_equal(r->kind, ROUTE_CONNECTED);
	/* lo0 is none of the site's interfaces: the model decides */
	struct ipaddr self = b_addr("10.0.1.1");
	assert_null(route_running(&ar, s, &self, &decided));
	assert_false(decided);
	/* no IPv6 row but the loopback's: the model decides */
	b_boxroute(&ar, s, "::1/128", "link#5", "lo0");
	struct ipaddr v6 = b_addr("2001:db8::1");
	assert_null(route_running(&ar, s, &v6, &decided));
	assert_false(decided);
	/* Linux sites are never decided by a netstat table */
	s->kind = SITE_LINUX;
	assert_null(route_running(&ar, s, &lanhost, &decided));
	assert_false(decided);
	arena_free(&ar);
}

/* ---- SPD, outbound ---- */

/* Most specific policy: strongSwan installs policies with priorities
 * that favour narrower selectors, whatever the config order. */
static struct ip_rule *
b_iprule(struct arena *ar, struct site *s, unsigned pref, unsigned table,
	 const char *action)
{
	struct ip_rule *r =
	    ARENA_PUSH(ar, s->iprules, s->niprules, s->ciprules);
	r->pref = pref;
	r->from_any = r->to_any = true;
	r->table = table;
	r->action = action;
	return r;
}

/* `ip rule` decides which table is consulted first: a rule to table 100
 * ahead of strongSwan's 220 wins, main (254 = routes' table 0) last; an
 * "unreachable" rule ends the lookup. */
static void
test_route_ip_rules(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	b_route(&ar, s, "10.0.2.0/24", "ipsec0", 220);
	b_route(&ar, s, "10.0.2.0/25", "vpn100", 100);
	b_route(&ar, s, "0.0.0.0/0", "wan0", 0);
	b_iprule(&ar, s, 100, 100, NULL);
	b_iprule(&ar, s, 220, 220, NULL);
	b_iprule(&ar, s, 32766, 254, NULL);
	struct ipaddr in100 = b_addr("10.0.2.7"), in220 = b_addr("10.0.2.200"),
		      other = b_addr("192.0.2.1");
	assert_string_equal(route_lookup(s, &in100)->iface, "vpn100");
	assert_string_equal(route_lookup(s, &in220)->iface, "ipsec0");
	assert_string_equal(route_lookup(s, &other)->iface, "wan0");
	s->iprules[0].action = "unreachable";
	assert_null(route_lookup(s, &in100));
	arena_free(&ar);
}

/* rp_filter's reverse lookup (doc/behaviour/linux-lab.md §1): every rule
 * selector against the reversed flow; mark 0, so a fwmark rule never
 * applies; iif as given (the forward route's device, or lo); "not". */
static void
test_route_rpf_rules(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_LINUX);
	b_route(&ar, s, "10.0.1.0/24", "ipsec0", 100);
	b_route(&ar, s, "0.0.0.0/0", "wan0", 0);
	struct ip_rule *r = b_iprule(&ar, s, 100, 100, NULL);
	b_iprule(&ar, s, 32766, 254, NULL);
	struct ipaddr remote = b_addr("10.0.1.10"), host = b_addr("10.0.2.10");
	r->has_fwmark = true; /* fwmark 0x1 lookup 100 */
	r->fwmark = 1;
	r->fwmask = UINT32_MAX;
	assert_string_equal(route_lookup_rpf(s, &remote, &host, "lan0")->iface,
			    "wan0");
	r->has_fwmark = false; /* iif lan0 lookup 100 */
	r->iif = "lan0";
	assert_string_equal(route_lookup_rpf(s, &remote, &host, "lan0")->iface,
			    "ipsec0");
	assert_string_equal(route_lookup_rpf(s, &remote, &host, "lo")->iface,
			    "wan0");
	r->iif = NULL; /* from 10.0.2.0/24 lookup 100 */
	r->from_any = false;
	assert_true(prefix_parse(str_from("10.0.2.0/24"), &r->from, NULL));
	assert_string_equal(route_lookup_rpf(s, &remote, &host, "lo")->iface,
			    "ipsec0");
	r->not = true; /* not from 10.0.2.0/24 */
	assert_string_equal(route_lookup_rpf(s, &remote, &host, "lo")->iface,
			    "wan0");
	s->iprules[1].table = 253; /* nothing else: no route back */
	assert_null(route_lookup_rpf(s, &remote, &host, "lo"));
	arena_free(&ar);
}

static void
test_spd_most_specific(void **state)
{
	(void)state;
	for (int order = 0; order < 2; order++) {
		struct arena ar;
		arena_init(&ar);
		struct site *s = b_site(&ar, SITE_PFSENSE);
		struct phase1 *a = b_p1(&ar, s, "1", "wan", "9.10.11.2", 1);
		struct phase1 *b = b_p1(&ar, s, "2", "wan", "9.10.11.3", 1);
		struct phase2 *wide = NULL, *narrow = NULL;
		if (order == 0) {
			wide = b_p2(&ar, s, a, "10.0.1.0/24", "10.0.0.0/8",
				    P2_TUNNEL);
			narrow = b_p2(&ar, s, b, "10.0.1.0/24", "10.0.2.0/24",
				      P2_TUNNEL);
		} else {
			narrow = b_p2(&ar, s, b, "10.0.1.0/24", "10.0.2.0/24",
				      P2_TUNNEL);
			wide = b_p2(&ar, s, a, "10.0.1.0/24", "10.0.0.0/8",
				    P2_TUNNEL);
		}
		struct ipaddr src = b_addr("10.0.1.10");
		struct ipaddr d1 = b_addr("10.0.2.10"),
			      d2 = b_addr("10.0.3.10");
		struct ipaddr d3 = b_addr("8.8.8.8");
		const struct phase2 *off;
		assert_ptr_equal(spd_lookup(s, &src, &d1, &off), narrow);
		assert_ptr_equal(spd_lookup(s, &src, &d2, &off), wide);
		assert_null(spd_lookup(s, &src, &d3, &off));
		assert_null(off);
		/* the source must be in the local selector too */
		struct ipaddr other = b_addr("10.0.5.10");
		assert_null(spd_lookup(s, &other, &d1, &off));
		arena_free(&ar);
	}
}

/* IKEv2 without split connections: one child whose local_ts/remote_ts
 * are all the phase 2 networks, so the policies cover the cross product
 * (§2.7). IKEv1, split connections and strongSwan on Linux (one child
 * per swanctl child, its own selectors) do not. */
struct mcase {
	const char *name;
	enum site_kind kind;
	unsigned ikever;
	bool splitconn;
	bool crossed; /* 10.0.1.x -> 10.0.12.x covered */
};

static const struct mcase mcases[] = {
    {"IKEv2 merged children: cross product", SITE_PFSENSE, 2, false, true},
    {"IKEv2 with split connections", SITE_PFSENSE, 2, true, false},
    {"IKEv1: one child per phase 2", SITE_PFSENSE, 1, false, false},
    {"Linux never merges", SITE_LINUX, 2, false, false},
    {"IKE auto (version 0) merges like IKEv2", SITE_PFSENSE, 0, false, true},
    {"IKE auto with split connections", SITE_PFSENSE, 0, true, false},
    {"OPNsense IKEv2 (tunnel isolation off) merges", SITE_OPNSENSE, 2, false,
     true},
};

static void
test_spd_merged(void **state)
{
	const struct mcase *c = *state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, c->kind);
	struct phase1 *p1 = b_p1(&ar, s, "1", "wan", "9.10.11.2", c->ikever);
	p1->splitconn = c->splitconn;
	struct phase2 *a =
	    b_p2(&ar, s, p1, "10.0.1.0/24", "10.0.2.0/24", P2_TUNNEL);
	struct phase2 *b =
	    b_p2(&ar, s, p1, "10.0.11.0/24", "10.0.12.0/24", P2_TUNNEL);
	/* a phase 2 of another phase 1 is never part of the product */
	struct phase1 *q1 = b_p1(&ar, s, "2", "wan", "9.10.11.3", 2);
	b_p2(&ar, s, q1, "10.0.21.0/24", "10.0.22.0/24", P2_TUNNEL);
	const struct phase2 *off;
	struct ipaddr l1 = b_addr("10.0.1.5"), l2 = b_addr("10.0.11.5");
	struct ipaddr r1 = b_addr("10.0.2.5"), r2 = b_addr("10.0.12.5");
	struct ipaddr r3 = b_addr("10.0.22.5");
	/* the configured pairs always */
	assert_ptr_equal(spd_lookup(s, &l1, &r1, &off), a);
	assert_ptr_equal(spd_lookup(s, &l2, &r2, &off), b);
	const struct phase2 *x = spd_lookup(s, &l1, &r2, &off);
	const struct phase2 *y = spd_lookup(s, &l2, &r1, &off);
	if ((x != NULL) != c->crossed || (y != NULL) != c->crossed)
		fail_msg("%s: crossed pairs expected %s", c->name,
			 c->crossed ? "covered" : "not covered");
	if (c->crossed) {
		assert_ptr_equal(x->p1, p1);
		assert_ptr_equal(y->p1, p1);
	}
	assert_null(spd_lookup(s, &l1, &r3, &off));
	/* inbound (decrypted) the same way: src remote, dst local */
	const struct phase2 *in = spd_inbound(s, p1, &r2, &l1);
	if ((in != NULL) != c->crossed)
		fail_msg("%s: inbound crossed pair expected %s", c->name,
			 c->crossed ? "accepted" : "dropped");
	assert_ptr_equal(spd_inbound(s, p1, &r1, &l1), a);
	assert_null(spd_inbound(s, p1, &r3, &l1));
	arena_free(&ar);
}

/* Transport and VTI phase 2s install no tunnel policy the SPD would
 * catch plaintext with (VTI is route-based, §2.7). Inbound, the VTI
 * child's selectors end in 0.0.0.0/0: its SA takes any inner pair of
 * its phase 1 (tunnel-path.md §1); transport takes none. */
static void
test_spd_transport_vti(void **state)
{
	(void)state;
	static const enum p2_mode modes[] = {P2_TRANSPORT, P2_VTI};
	for (size_t i = 0; i < 2; i++) {
		struct arena ar;
		arena_init(&ar);
		struct site *s = b_site(&ar, SITE_PFSENSE);
		struct phase1 *p1 = b_p1(&ar, s, "1", "wan", "9.10.11.2", 1);
		b_p2(&ar, s, p1, "10.0.1.0/24", "10.0.2.0/24", modes[i]);
		struct ipaddr src = b_addr("10.0.1.5"),
			      dst = b_addr("10.0.2.5");
		const struct phase2 *off;
		assert_null(spd_lookup(s, &src, &dst, &off));
		assert_null(off);
		struct ipaddr far = b_addr("192.0.2.7");
		if (modes[i] == P2_VTI) {
			assert_ptr_equal(spd_inbound(s, p1, &dst, &src),
					 &s->p2[0]);
			assert_ptr_equal(spd_inbound(s, p1, &far, &src),
					 &s->p2[0]);
			/* another phase 1's SA: not this VTI */
			struct phase1 *q1 =
			    b_p1(&ar, s, "2", "wan", "9.9.9.9", 2);
			assert_null(spd_inbound(s, q1, &dst, &src));
			s->p2[0].disabled = true;
			assert_null(spd_inbound(s, p1, &dst, &src));
			assert_ptr_equal(
			    spd_inbound_disabled(s, p1, &dst, &src), &s->p2[0]);
			s->p2[0].disabled = false;
		} else {
			assert_null(spd_inbound(s, p1, &dst, &src));
		}
		/* the same networks as tunnel mode are in the SPD */
		s->p2[0].mode = P2_TUNNEL;
		assert_ptr_equal(spd_lookup(s, &src, &dst, &off), &s->p2[0]);
		arena_free(&ar);
	}
}

/* Disabled phase 2 (or phase 1): no policy; the lookups still name it so
 * the report can say "would cover it but is disabled". */
static void
test_spd_disabled(void **state)
{
	(void)state;
	for (int which = 0; which < 2; which++) {
		struct arena ar;
		arena_init(&ar);
		struct site *s = b_site(&ar, SITE_PFSENSE);
		struct phase1 *p1 = b_p1(&ar, s, "1", "wan", "9.10.11.2", 2);
		struct phase2 *p2 =
		    b_p2(&ar, s, p1, "10.0.1.0/24", "10.0.2.0/24", P2_TUNNEL);
		struct ipaddr l = b_addr("10.0.1.5"), r = b_addr("10.0.2.5");
		const struct phase2 *off = (void *)1;
		assert_ptr_equal(spd_lookup(s, &l, &r, &off), p2);
		assert_null(off);
		assert_null(spd_inbound_disabled(s, p1, &r, &l));
		if (which == 0)
			p2->disabled = true;
		else
			p1->disabled = true;
		assert_null(spd_lookup(s, &l, &r, &off));
		assert_ptr_equal(off, p2);
		assert_null(spd_inbound(s, p1, &r, &l));
		assert_ptr_equal(spd_inbound_disabled(s, p1, &r, &l), p2);
		assert_ptr_equal(spd_inbound_disabled(s, NULL, &r, &l), p2);
		/* not for a packet it would not accept anyway */
		struct ipaddr x = b_addr("10.0.3.5");
		assert_null(spd_inbound_disabled(s, p1, &x, &l));
		arena_free(&ar);
	}
}

/* Phase 2 NAT (§2.6): the outbound policy uses the real local network
 * (binat on enc0 happens after the SPD decision); the peer sends to the
 * NAT network, which the inbound side must accept. */
static void
test_spd_nat(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site *s = b_site(&ar, SITE_PFSENSE);
	struct phase1 *p1 = b_p1(&ar, s, "1", "wan", "9.10.11.2", 2);
	struct phase2 *p2 =
	    b_p2(&ar, s, p1, "10.0.1.0/24", "10.0.2.0/24", P2_TUNNEL);
	b_sel(&p2->natlocal, "172.16.1.0/24");
	p2->has_nat = true;
	struct ipaddr real = b_addr("10.0.1.5"), nat = b_addr("172.16.1.5");
	struct ipaddr peer = b_addr("10.0.2.5");
	const struct phase2 *off;
	assert_ptr_equal(spd_lookup(s, &real, &peer, &off), p2);
	assert_null(spd_lookup(s, &nat, &peer, &off));
	assert_ptr_equal(spd_inbound(s, p1, &peer, &nat), p2);
	assert_null(spd_inbound(s, p1, &peer, &real));
	assert_ptr_equal(p2_visible_local(p2), &p2->natlocal.net);
	/* the phase 1 filter: another phase 1 does not accept it */
	struct phase1 *q1 = b_p1(&ar, s, "2", "wan", "9.10.11.3", 2);
	assert_null(spd_inbound(s, q1, &peer, &nat));
	assert_ptr_equal(spd_inbound(s, NULL, &peer, &nat), p2);
	arena_free(&ar);
}

/* pf's nat vs binat on enc0 (tunnel-path.md §5): equal sizes binat; a
 * NAT address for a network, or other sizes, nat (many-to-one). */
static void
test_nat_many_to_one(void **state)
{
	(void)state;
	static const struct {
		const char *ltype, *local, *ntype, *nat;
		bool many;
	} c[] = {
	    {"network", "10.0.1.0/24", "network", "172.16.1.0/24", false},
	    {"network", "10.0.1.0/24", "network", "172.16.1.0/25", true},
	    {"lan", "10.0.1.0/24", "address", "192.168.50.5", true},
	    {"address", "10.0.1.5", "address", "192.168.50.5", false},
	    {"network", "10.0.1.5/32", "address", "192.168.50.5", true},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		struct arena ar;
		arena_init(&ar);
		struct site *s = b_site(&ar, SITE_PFSENSE);
		struct phase1 *p1 = b_p1(&ar, s, "1", "wan", "9.10.11.2", 2);
		struct phase2 *p2 =
		    b_p2(&ar, s, p1, c[i].local, "10.0.2.0/24", P2_TUNNEL);
		p2->local.type = c[i].ltype;
		assert_false(p2_nat_many_to_one(p2)); /* no NAT at all */
		b_sel(&p2->natlocal, c[i].nat);
		p2->natlocal.type = c[i].ntype;
		p2->has_nat = true;
		if (p2_nat_many_to_one(p2) != c[i].many)
			fail_msg("%s -> %s: expected %s", c[i].local, c[i].nat,
				 c[i].many ? "nat" : "binat");
		arena_free(&ar);
	}
}

#define TABLE(fn, arr)                                                         \
	for (size_t i = 0; i < sizeof(arr) / sizeof(*arr); i++)                \
		t[n++] = (struct CMUnitTest)                                   \
		{                                                              \
			arr[i].name, fn, NULL, NULL, (void *)&arr[i]           \
		}

int
main(void)
{
	struct CMUnitTest t[64];
	size_t n = 0;
	TABLE(test_route, rcases);
	TABLE(test_spd_merged, mcases);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_route_disabled);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_route_running);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_route_ip_rules);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_route_rpf_rules);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_spd_most_specific);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_spd_transport_vti);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_spd_disabled);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_spd_nat);
	t[n++] = (struct CMUnitTest)cmocka_unit_test(test_nat_many_to_one);
	return _cmocka_run_group_tests("route", t, n, NULL, NULL);
}
