/* NAT traversal per tunnel (doc/behaviour/tunnel-path.md §2): pfSense's
 * and OPNsense's "Auto" (nat_traversal on) lets strongSwan detect a NAT
 * and wrap ESP in UDP 4500; "force" always wraps. Evidence first, then
 * the two configs' addresses. */
#include "engine/natt.h"

#include <string.h>

#include "engine/route.h"

const char *
natt_by_name(enum natt_by b)
{
	static const char *const n[] = {"capture", "sa", "log", "config",
					"assumed"};
	return b <= NATT_BY_ASSUMED ? n[b] : "?";
}

static bool
local_addr(const struct site *s, const struct phase1 *p1, struct ipaddr *a)
{
	if (p1->local_known) {
		*a = p1->local;
		return true;
	}
	return p1_local_addr(s, p1, a);
}

/* RFC 1918, shared address space 100.64/10 (carrier NAT), ULA. */
bool
natt_private_addr(const struct ipaddr *a)
{
	static const char *const nets[] = {"10.0.0.0/8", "172.16.0.0/12",
					   "192.168.0.0/16", "100.64.0.0/10",
					   "fc00::/7"};
	for (size_t i = 0; i < sizeof(nets) / sizeof(*nets); i++) {
		struct prefix p;
		if (prefix_parse(str_from(nets[i]), &p, NULL) &&
		    prefix_contains(&p, a))
			return true;
	}
	return false;
}

/* Does p1 (at s) point at site o, whose end of the tunnel has local
 * address ol: its remote gateway is o's, or o sits behind a NAT? */
static bool
points_at(const struct phase1 *p1, const struct site *o, bool have_ol,
	  const struct ipaddr *ol, bool *by_addr)
{
	*by_addr = p1->peer_known && site_is_own_addr(o, &p1->peer);
	return *by_addr ||
	       (p1->peer_known && have_ol && natt_private_addr(ol) &&
		ipaddr_cmp(ol, &p1->peer) != 0);
}

const struct phase1 *
natt_counterpart(struct site *const *sites, size_t nsites, const struct site *s,
		 const struct phase1 *p1, const struct site **peer)
{
	struct ipaddr sl;
	bool have_sl = local_addr(s, p1, &sl);
	for (size_t i = 0; i < nsites; i++) {
		const struct site *o = sites[i];
		if (o == s || !o->has_config)
			continue;
		for (size_t j = 0; j < o->np1; j++) {
			const struct phase1 *q = &o->p1[j];
			struct ipaddr ol;
			bool have_ol = local_addr(o, q, &ol), a1, a2;
			if (q->mobile || !q->peer_known ||
			    !points_at(p1, o, have_ol, &ol, &a1) ||
			    !points_at(q, s, have_sl, &sl, &a2) || !(a1 || a2))
				continue;
			if (peer)
				*peer = o;
			return q;
		}
	}
	return NULL;
}

/* The outer addresses of the tunnel, for matching evidence. */
struct ends {
	struct ipaddr a[4];
	size_t n;
};

static void
ends_add(struct ends *e, bool ok, const struct ipaddr *a)
{
	if (ok && e->n < 4)
		e->a[e->n++] = *a;
}

static bool
ends_has(const struct ends *e, const struct ipaddr *a)
{
	for (size_t i = 0; i < e->n; i++)
		if (ipaddr_cmp(&e->a[i], a) == 0)
			return true;
	return false;
}

static const char *
where(struct arena *ar, const struct observation *o)
{
	char b[600];
	return arena_strdup(ar, srcloc_format(&o->where, b, sizeof(b)));
}

static bool
from_evidence(struct arena *ar, const struct site *s, const struct phase1 *p1,
	      const struct ends *e, enum natt_by by, struct natt_verdict *v)
{
	char x[ADDR_STRLEN], y[ADDR_STRLEN];
	for (size_t i = 0; s && i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		bool pair = ends_has(e, &o->src) && ends_has(e, &o->dst);
		if (by == NATT_BY_CAPTURE && o->kind == OBS_CAP_ESP && pair &&
		    o->count) {
			v->in_use = o->proto == PROTO_UDP;
			v->citation = arena_printf(
			    ar, "%s: %s %s -> %s", where(ar, o),
			    v->in_use ? "ESP in UDP 4500"
				      : "plain ESP (IP protocol 50)",
			    ipaddr_format(&o->src, x),
			    ipaddr_format(&o->dst, y));
		} else if (by == NATT_BY_SA && o->kind == OBS_SA &&
			   (pair || p1_named(p1, o->conn))) {
			v->in_use = o->dport == 4500;
			v->citation = arena_printf(
			    ar, "%s: the SA %s", where(ar, o),
			    v->in_use ? "is UDP-encapsulated (port 4500)"
				      : "is plain ESP (no UDP encapsulation)");
		} else if (by == NATT_BY_LOG && o->kind == OBS_IKE_LOG &&
			   o->action && strcmp(o->action, "nat") == 0 &&
			   (o->conn == NULL || p1_named(p1, o->conn))) {
			v->in_use = true;
			v->citation =
			    arena_printf(ar, "%s: %s", where(ar, o),
					 o->text ? o->text : "NAT detected");
		} else {
			continue;
		}
		v->decided_by = by;
		return true;
	}
	return false;
}

/* From the configs: each end's remote gateway against the other's own
 * address; a private address on one end that the other does not name
 * means a NAT between them. */
static void
from_config(struct arena *ar, const struct site *s, const struct phase1 *p1,
	    const struct site *o, const struct phase1 *q,
	    struct natt_verdict *v)
{
	char x[ADDR_STRLEN], y[ADDR_STRLEN];
	struct ipaddr sl, ol;
	bool have_sl = local_addr(s, p1, &sl);
	bool have_ol = q && local_addr(o, q, &ol);
	v->decided_by = NATT_BY_CONFIG;
	if (q && have_ol && p1->peer_known && natt_private_addr(&ol) &&
	    !site_is_own_addr(o, &p1->peer)) {
		v->nat_between = true;
		v->citation = arena_printf(
		    ar,
		    "config: %s's phase 1 address %s is private and %s's "
		    "remote gateway is %s: a NAT between them",
		    o->name, ipaddr_format(&ol, x), s->name,
		    ipaddr_format(&p1->peer, y));
	} else if (q && have_sl && natt_private_addr(&sl) &&
		   !site_is_own_addr(s, &q->peer)) {
		v->nat_between = true;
		v->citation = arena_printf(
		    ar,
		    "config: %s's phase 1 address %s is private and %s's "
		    "remote gateway is %s: a NAT between them",
		    s->name, ipaddr_format(&sl, x), o->name,
		    ipaddr_format(&q->peer, y));
	} else if (q == NULL && have_sl && natt_private_addr(&sl) &&
		   p1->peer_known && !natt_private_addr(&p1->peer)) {
		v->nat_between = true;
		v->citation = arena_printf(
		    ar,
		    "config: %s's phase 1 address %s is private, its "
		    "peer %s public: %s is behind a NAT",
		    s->name, ipaddr_format(&sl, x), ipaddr_format(&p1->peer, y),
		    s->name);
	} else if (q) {
		v->citation =
		    arena_printf(ar, "config: each end's remote "
				     "gateway is the other's own address");
	} else {
		v->decided_by = NATT_BY_ASSUMED;
		v->citation = "assumed: no NAT in this site's config (a WAN "
			      "capture or swanctl --list-sas would show it)";
	}
	v->in_use = v->nat_between;
}

struct natt_verdict
natt_decide(struct arena *ar, struct site *const *sites, size_t nsites,
	    const struct site *s, const struct phase1 *p1)
{
	struct natt_verdict v = {0};
	const struct site *o = NULL;
	const struct phase1 *q = natt_counterpart(sites, nsites, s, p1, &o);
	from_config(ar, s, p1, o, q, &v);
	bool nat_between = v.nat_between;
	const char *mode = p1->natt ? p1->natt : "";
	if (strcmp(mode, "force") == 0 || strcmp(mode, "off") == 0) {
		v.in_use = mode[0] == 'f';
		v.decided_by = NATT_BY_CONFIG;
		v.citation = v.in_use ? "config: NAT Traversal is Force"
				      : "config: NAT Traversal is off";
		return v;
	}
	struct ends e = {0};
	struct ipaddr a;
	ends_add(&e, p1->peer_known, &p1->peer);
	ends_add(&e, local_addr(s, p1, &a), &a);
	if (q) {
		ends_add(&e, q->peer_known, &q->peer);
		ends_add(&e, local_addr(o, q, &a), &a);
	}
	for (enum natt_by by = NATT_BY_CAPTURE; by <= NATT_BY_LOG; by++)
		if (from_evidence(ar, s, p1, &e, by, &v) ||
		    (q && from_evidence(ar, o, q, &e, by, &v)))
			break;
	v.nat_between = nat_between;
	return v;
}
