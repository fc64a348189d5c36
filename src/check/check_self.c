/* self-traffic-uncovered: services of the firewall that send to an
 * address behind a tunnel from a source no phase 2 covers
 * (doc/behaviour/self-traffic.md §1-§5). */
#include <string.h>

#include "check/check.h"
#include "engine/route.h"
#include "engine/ruleset.h"
#include "engine/trace_self.h"

/* A tunnel-mode phase 2 whose remote network (not 0/0) holds a. */
static const struct phase2 *
tunnel_to(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p2 = &s->p2[i];
		if (p2_enabled(p2) && p2->mode != P2_TRANSPORT &&
		    p2->mode != P2_VTI && p2->remote.resolved &&
		    p2->remote.net.len > 0 &&
		    prefix_contains(&p2->remote.net, a))
			return p2;
	}
	return NULL;
}

static bool
iface_addr(const struct iface *f, unsigned fam, struct ipaddr *out)
{
	for (size_t i = 0; f && i < f->naddrs; i++)
		if (f->addrs[i].addr.fam == fam) {
			*out = f->addrs[i].addr;
			return true;
		}
	return false;
}

/* The sources the service sends from: its setting (an address or
 * interface keys, comma separated), else the kernel's pick (§1). False
 * when one of them is not covered; *src gets that one. */
static bool
covered(const struct site *s, const struct self_service *v, struct ipaddr *src,
	const char **how)
{
	struct str rest = str_from(v->source ? v->source : ""), w;
	const struct phase2 *off;
	bool any = false;
	while (str_next(&rest, ',', &w)) {
		struct ipaddr a;
		char key[64];
		w = str_trim(w);
		if (!ipaddr_parse(w, &a)) {
			if (w.n == 0 || w.n >= sizeof(key))
				continue;
			memcpy(key, w.p, w.n);
			key[w.n] = '\0';
			if (!iface_addr(site_iface(s, key), v->addr.fam, &a))
				continue;
		}
		any = true;
		*src = a;
		*how = "its source setting";
		if (!spd_lookup(s, &a, &v->addr, &off))
			return false;
	}
	if (any)
		return true;
	const struct route *rt = route_lookup(s, &v->addr);
	if (rt == NULL ||
	    !iface_addr(site_iface(s, rt->iface), v->addr.fam, src))
		return true; /* unknown source: say nothing */
	*how = iface_label(s, rt->iface);
	return spd_lookup(s, src, &v->addr, &off) != NULL;
}

static const char *
generic_fix(struct arena *ar, const struct site *s, const struct phase2 *p2,
	    const struct ipaddr *src)
{
	struct ipaddr lan;
	const struct iface *in = NULL;
	for (size_t i = 0; i < s->nifaces && in == NULL; i++)
		if (iface_addr(&s->ifaces[i], p2->local.net.addr.fam, &lan) &&
		    prefix_contains(&p2->local.net, &lan))
			in = &s->ifaces[i];
	const char *remote = prefix_str(ar, &p2->remote.net);
	if (in == NULL)
		return arena_printf(ar,
				    "add a phase 2 whose local network is "
				    "%s/32 and remote %s (mirrored at the far "
				    "end)",
				    ipaddr_str(ar, src), remote);
	if (s->kind == SITE_OPNSENSE) /* self-traffic.md §5 */
		return arena_printf(
		    ar,
		    "System > Gateways > Configuration: add a gateway %s on "
		    "%s, and System > Routes > Configuration: a route %s via "
		    "it, so the firewall sends from %s, which phase 2 '%s' "
		    "covers; or add a phase 2 (child) %s/32 === %s (mirrored "
		    "at the far end)",
		    ipaddr_str(ar, &lan), iface_label(s, in->key), remote,
		    ipaddr_str(ar, &lan), p2->descr ? p2->descr : "",
		    ipaddr_str(ar, src), remote);
	return arena_printf(ar,
			    "System > Routing: add a gateway %s on %s "
			    "and a static route %s via it, so the firewall "
			    "sends from %s, which phase 2 '%s' covers; or add "
			    "a phase 2 %s/32 === %s (mirrored at the far end)",
			    ipaddr_str(ar, &lan), iface_label(s, in->key),
			    remote, ipaddr_str(ar, &lan),
			    p2->descr ? p2->descr : "", ipaddr_str(ar, src),
			    remote);
}

void
check_self_traffic(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	struct finding *f = NULL;
	const char *fixes = NULL, *route_fix = NULL, *list = NULL;
	for (size_t i = 0; i < s->nservices; i++) {
		const struct self_service *v = &s->services[i];
		const struct phase2 *p2 = tunnel_to(s, &v->addr);
		struct ipaddr src;
		const char *how = NULL;
		if (p2 == NULL || covered(s, v, &src, &how))
			continue;
		if (f == NULL) {
			f = check_finding(an, CHK_SELF_TRAFFIC_UNCOVERED, s,
					  "services");

			f->detail =
			    "The firewall's own traffic takes the "
			    "address of the interface its route leaves "
			    "by (the WAN for the default route); the "
			    "IPsec policies are asked with that source. "
			    "To confirm: 'ipsecdiag trace self ADDRESS', "
			    "or a WAN capture showing the service's "
			    "packets in clear.";
		}
		finding_evidence(
		    ar, f, EVREF_CONFIG, &v->loc,
		    arena_printf(
			ar,
			"%s %s: %s; sends from %s (%s), not in phase 2 "
			"'%s' %s === %s",
			v->path, v->target, v->what, ipaddr_str(ar, &src), how,
			p2->descr ? p2->descr : "",
			prefix_str(ar, &p2->local.net),
			prefix_str(ar, &p2->remote.net)));
		const char *one = arena_printf(ar, "%s %s", v->path, v->target);
		list = list ? arena_printf(ar, "%s, %s", list, one) : one;
		if (v->fix && (fixes == NULL || strstr(fixes, v->fix) == NULL))
			fixes = fixes
				    ? arena_printf(ar, "%s; %s", fixes, v->fix)
				    : v->fix;
		else if (v->fix == NULL && route_fix == NULL)
			route_fix = generic_fix(ar, s, p2, &src);
	}
	if (f == NULL)
		return;
	f->summary = arena_printf(ar,
				  "services of the firewall itself send "
				  "to addresses behind the tunnel from a "
				  "source no phase 2 covers, so they leave "
				  "the WAN in clear: %s",
				  list);
	f->fix = arena_printf(ar, "On %s: %s%s%s.", s->name, fixes ? fixes : "",
			      fixes && route_fix
				  ? "; for "
				    "the services without a source setting: "
				  : "",
			      route_fix ? route_fix : "");
}

bool
flows_self(struct analysis *an, const char *iface, const struct ipaddr *to,
	   const char *proto, const char **err)
{
	static const char *const protos[] = {"icmp", "udp/53", "udp/514",
					     "udp/123", "tcp/389"};
	if (an->eng == NULL)
		an->eng = engine_new(an->ar, an->sites, an->nsites);
	struct site *b = engine_site_of(an->eng, to), *a = an->sites[0];
	for (size_t i = 0; a == b && i < an->nsites; i++)
		a = an->sites[i];
	size_t n = proto ? 1 : sizeof(protos) / sizeof(*protos), cap = 0;
	for (size_t k = 0; k < n; k++) {
		const char *pr = proto ? proto : protos[k];
		if (to->fam == FAM_V6 && strcmp(pr, "icmp") == 0)
			pr = "icmp6";
		struct packet p = {.dst = *to};
		p.src.fam = to->fam;
		if (!packet_set_proto(&p, pr, err))
			return false;
		struct flow_trace *ft =
		    ARENA_PUSH(an->ar, an->flows, an->nflows, cap);
		if (!engine_trace_self(an->eng, a, *iface ? iface : NULL, &p,
				       pr, ft, err))
			return false;
	}
	return true;
}
