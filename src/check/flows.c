/* The flows diagnose examines (doc/ARCHITECTURE.md §1): the user's, else one
 * representative flow per phase 2 network pair and direction for ICMP
 * echo, UDP/53, TCP/445, TCP/3389 and TCP/443. */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"

static const char *const default_protos[] = {"icmp", "udp/53", "tcp/445",
					     "tcp/3389", "tcp/443"};

/* The flows added so far, hashed on (source, destination, protocol):
 * with a phase 2 pair per 10 flows, a linear search made choosing 5,000
 * flows O(n^2). Slots hold flow index + 1; 0 is empty. */
struct flow_set {
	size_t *slot;
	size_t cap; /* a power of two, at least twice the flows */
};

static uint64_t
flow_hash(const struct ipaddr *src, const struct ipaddr *dst, const char *proto)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	const struct ipaddr *a[2] = {src, dst};
	for (size_t k = 0; k < 2; k++) {
		uint64_t w[2] = {(uint64_t)a[k]->v, (uint64_t)(a[k]->v >> 64)};
		h = (h ^ a[k]->fam) * 1099511628211u;
		for (size_t i = 0; i < 2; i++)
			h = (h ^ w[i]) * 1099511628211u;
	}
	for (; *proto; proto++)
		h = (h ^ (unsigned char)*proto) * 1099511628211u;
	return h ^ (h >> 29);
}

static bool
flow_is(const struct flow_trace *ft, const struct ipaddr *src,
	const struct ipaddr *dst, const char *proto)
{
	return ipaddr_cmp(&ft->pkt.src, src) == 0 &&
	       ipaddr_cmp(&ft->pkt.dst, dst) == 0 &&
	       strcmp(ft->proto_text, proto) == 0;
}

static void
flow_set_put(struct analysis *an, struct flow_set *fs, size_t idx)
{
	if (2 * (idx + 1) > fs->cap) {
		size_t *old = fs->slot, ocap = fs->cap;
		fs->cap = ocap ? ocap * 2 : 64;
		fs->slot = arena_alloc(an->ar, fs->cap * sizeof(*fs->slot));
		for (size_t i = 0; i < ocap; i++)
			if (old[i])
				flow_set_put(an, fs, old[i] - 1);
	}
	const struct flow_trace *ft = &an->flows[idx];
	size_t m = fs->cap - 1;
	size_t i = flow_hash(&ft->pkt.src, &ft->pkt.dst, ft->proto_text) & m;
	while (fs->slot[i])
		i = (i + 1) & m;
	fs->slot[i] = idx + 1;
}

static bool
flow_set_has(const struct analysis *an, const struct flow_set *fs,
	     const struct ipaddr *src, const struct ipaddr *dst,
	     const char *proto)
{
	if (fs->cap == 0)
		return false;
	size_t m = fs->cap - 1;
	for (size_t i = flow_hash(src, dst, proto) & m; fs->slot[i];
	     i = (i + 1) & m)
		if (flow_is(&an->flows[fs->slot[i] - 1], src, dst, proto))
			return true;
	return false;
}

static void
add_flow(struct analysis *an, struct flow_set *fs, const struct ipaddr *src,
	 const struct ipaddr *dst, const char *proto, size_t *cap)
{
	/* keyed on the protocol as stored (icmp6 for an IPv6 icmp) */
	if (src->fam == FAM_V6 && strcmp(proto, "icmp") == 0)
		proto = "icmp6";
	if (flow_set_has(an, fs, src, dst, proto))
		return;
	struct packet p = {.src = *src, .dst = *dst};
	const char *err;
	if (!packet_set_proto(&p, proto, &err))
		return;
	struct flow_trace *ft = ARENA_PUSH(an->ar, an->flows, an->nflows, *cap);
	engine_trace(an->eng, &p, arena_strdup(an->ar, proto), ft);
	flow_set_put(an, fs, an->nflows - 1);
}

/* The hosts to stand for a network: the known ones there (host facts),
 * else its tenth address (never the firewall's own). */
static size_t
representatives(struct analysis *an, const struct prefix *net,
		struct ipaddr *out, size_t max, const struct site *only,
		const struct site *skip)
{
	size_t n = 0;
	for (size_t i = 0; i < an->nsites; i++)
		for (size_t j = 0; j < an->sites[i]->nhosts && n < max; j++)
			if (prefix_contains(net, &an->sites[i]->hosts[j].addr))
				out[n++] = an->sites[i]->hosts[j].addr;
	if (n)
		return n;
	/* the site this network is on listed its hosts: none here */
	for (size_t i = 0; i < an->nsites; i++)
		if (an->sites[i]->nhosts && check_on_inside(an->sites[i], net))
			return 0;
	/* a summary network (a hub's 10.0.0.0/16): a host of an inside
	 * subnet of the right site that lies in it */
	struct prefix in = *net;
	for (size_t i = 0; i < an->nsites && in.len == net->len; i++)
		if ((only == NULL || an->sites[i] == only) &&
		    an->sites[i] != skip)
			in = check_inside_part(an->sites[i], net);
	struct range r = prefix_range(&in);
	struct ipaddr a = {in.addr.fam, r.hi - r.lo >= 20 ? r.lo + 10 : r.lo};
	for (size_t i = 0; i < an->nsites; i++)
		while (site_is_own_addr(an->sites[i], &a) && a.v < r.hi)
			a.v++;
	out[0] = a;
	return 1;
}

/* With other sites given, a remote network that is none of theirs is a
 * typo or a third site: flows to it say nothing about these sites.
 * *nat_only: it is only the address another site's phase 2 NAT shows. */
static bool
plausible_remote_nat(const struct analysis *an, const struct site *self,
		     const struct prefix *net, bool *nat_only)
{
	bool others = false, nat = false;
	*nat_only = false;
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *o = an->sites[i];
		if (o == self || !o->has_config)
			continue;
		others = true;
		for (size_t j = 0; j < o->nifaces; j++)
			for (size_t k = 0; k < o->ifaces[j].naddrs; k++) {
				struct prefix p =
				    prefix_make(o->ifaces[j].addrs[k].addr,
						o->ifaces[j].addrs[k].plen);
				if (o->ifaces[j].role != ROLE_WAN &&
				    prefix_overlaps(&p, net))
					return true;
			}
		for (size_t j = 0; j < o->nhosts; j++)
			if (prefix_contains(net, &o->hosts[j].addr))
				return true;
		/* the address another site's phase 2 NAT shows the tunnel */
		for (size_t j = 0; j < o->np2; j++)
			nat = nat ||
			      (o->p2[j].has_nat && o->p2[j].natlocal.resolved &&
			       prefix_overlaps(&o->p2[j].natlocal.net, net));
	}
	*nat_only = nat;
	return nat || !others;
}

static bool
plausible_remote(const struct analysis *an, const struct site *self,
		 const struct prefix *net)
{
	bool nat_only;
	return plausible_remote_nat(an, self, net, &nat_only) && !nat_only;
}

static void
pair_flows(struct analysis *an, struct flow_set *fs, const struct site *self,
	   const struct prefix *ln, const struct prefix *rn,
	   const char *const *protos, size_t nprotos, size_t *cap, bool one_way)
{
	struct ipaddr l[8], r[8];
	size_t nl = representatives(an, ln, l, 8, self, NULL);
	size_t nr = representatives(an, rn, r, 8, NULL, self);
	for (size_t x = 0; x < nl; x++)
		for (size_t y = 0; y < nr; y++)
			for (size_t k = 0; k < nprotos; k++) {
				add_flow(an, fs, &l[x], &r[y], protos[k], cap);
				if (!one_way)
					add_flow(an, fs, &r[y], &l[x],
						 protos[k], cap);
			}
}

/* A network behind a cloud VPN gateway given as its provider's config:
 * read for what it states, not simulated, so no flow is traced into it. */
static bool
cloud_side(struct analysis *an, const struct prefix *net)
{
	bool cloud = false;
	for (size_t i = 0; i < an->nsites; i++)
		cloud = cloud || an->sites[i]->kind == SITE_CLOUD;
	return cloud && engine_site_of(an->eng, &net->addr) == NULL;
}

/* Route-based tunnels (doc/behaviour/tunnel-path.md §1): the networks
 * a site routes into a VTI (static routes via its gateway), paired with
 * the site's inside interface subnets. */
static void
vti_flows(struct analysis *an, struct flow_set *fs, const struct site *s,
	  const char *const *protos, size_t nprotos, size_t *cap)
{
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *rt = &s->routes[i];
		const struct iface *vf = site_iface(s, rt->iface);
		if (rt->disabled || rt->kind != ROUTE_STATIC ||
		    rt->net.len == 0 || vf == NULL || vf->role != ROLE_VTI ||
		    !plausible_remote(an, s, &rt->net) ||
		    cloud_side(an, &rt->net))
			continue;
		for (size_t j = 0; j < s->nifaces; j++) {
			const struct iface *f = &s->ifaces[j];
			if (!f->enabled ||
			    (f->role != ROLE_LAN && f->role != ROLE_OPT))
				continue;
			for (size_t k = 0; k < f->naddrs; k++) {
				struct prefix ln = prefix_make(
				    f->addrs[k].addr, f->addrs[k].plen);
				if (ln.addr.fam == rt->net.addr.fam)
					pair_flows(an, fs, s, &ln, &rt->net,
						   protos, nprotos, cap, false);
			}
		}
	}
}

/* Flows the logs and captures saw blocked or one-way come first. */
static void
evidence_flows(struct analysis *an, struct flow_set *fs, size_t *cap)
{
	size_t added = 0;
	for (size_t i = 0; i < an->nsites && added < 16; i++) {
		const struct evidence *ev = &an->sites[i]->ev;
		for (size_t j = 0; j < ev->nobs && added < 16; j++) {
			const struct observation *o = &ev->obs[j];
			bool oneway = o->kind == OBS_CAP_FLOW && o->count &&
				      !o->count_rev;
			if ((o->kind != OBS_FW_BLOCK && !oneway) ||
			    check_frag_on_tunnel(an, an->sites[i], o))
				continue;
			/* only flows between hosts of the given sites */
			if (engine_site_of(an->eng, &o->src) == NULL ||
			    engine_site_of(an->eng, &o->dst) == NULL ||
			    engine_site_of(an->eng, &o->src) ==
				engine_site_of(an->eng, &o->dst))
				continue;
			const char *proto =
			    o->proto == PROTO_ICMP ? "icmp"
			    : o->proto == PROTO_TCP
				? arena_printf(an->ar, "tcp/%u", o->dport)
			    : o->proto == PROTO_UDP
				? arena_printf(an->ar, "udp/%u", o->dport)
				: NULL;
			if (proto == NULL ||
			    (o->proto != PROTO_ICMP && o->dport == 0))
				continue;
			add_flow(an, fs, &o->src, &o->dst, proto, cap);
			added++;
		}
	}
}

void
flows_choose(struct analysis *an, const struct ipaddr *from,
	     const struct ipaddr *to, const char *proto)
{
	size_t cap = 0;
	struct flow_set fs = {0};
	size_t nprotos =
	    proto ? 1 : sizeof(default_protos) / sizeof(*default_protos);
	const char *const *protos = proto ? &proto : default_protos;
	if (from && to) {
		for (size_t k = 0; k < nprotos; k++)
			add_flow(an, &fs, from, to, protos[k], &cap);
		return;
	}
	evidence_flows(an, &fs, &cap);
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *s = an->sites[i];
		for (size_t j = 0; j < s->np2; j++) {
			const struct phase2 *p2 = &s->p2[j];
			bool nat_only = false;
			if (p2->mode == P2_TRANSPORT || p2->mode == P2_VTI ||
			    p2->mobile || !p2->local.resolved ||
			    !p2->remote.resolved || p2->remote.net.len == 0 ||
			    !plausible_remote_nat(an, s, &p2->remote.net,
						  &nat_only) ||
			    (s->nifaces && !check_on_inside(s, &p2->local.net)))
				continue;
			/* toward a NAT address only: it is no host's source;
			 * from behind a many-to-one NAT only outbound, the
			 * peer reaches the NAT address (tunnel-path.md §5) */
			pair_flows(an, &fs, s, &p2->local.net, &p2->remote.net,
				   protos, nprotos, &cap,
				   nat_only || p2_nat_many_to_one(p2));
		}
		vti_flows(an, &fs, s, protos, nprotos, &cap);
	}
}
