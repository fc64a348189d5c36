/* The box's own state (pfSense status archive) against the model and the
 * findings: kernel policies for each phase 2, CARP state of the phase 1
 * address, neighbour entries of the examined hosts, routes and MTU.
 * doc/behaviour/status-archive.md §3, §4. */
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "engine/route.h"
#include "engine/ruleset.h"

static struct srcloc
file_loc(const char *file)
{
	return (struct srcloc){.file = file};
}

static bool
prefix_same(const struct prefix *a, const struct prefix *b)
{
	return a->len == b->len && ipaddr_cmp(&a->addr, &b->addr) == 0;
}

static bool
p2_checkable(const struct phase2 *p2)
{
	return p2_enabled(p2) && !p2->mobile &&
	       (p2->mode == P2_TUNNEL || p2->mode == P2_TUNNEL6) &&
	       p2->local.resolved && p2->remote.resolved;
}

/* The trace's failing hop where the kernel lacks p2's policy
 * (engine: no_kernel_policy) is explained by this finding. */
static void
link_spd_hops(struct analysis *an, const struct site *s,
	      const struct phase2 *p2, struct finding *f)
{
	for (size_t i = 0; i < an->nflows && f->flow < 0; i++)
		for (int r = 0; r < 2 && f->flow < 0; r++) {
			const struct path *p =
			    r ? &an->flows[i].reply : &an->flows[i].request;
			for (int k = p->fail_at; k >= 0; k--) {
				const struct step *st = &p->steps[k];
				if (st->kind != STEP_SPD_MISS || st->p2 != p2 ||
				    strcmp(st->site, s->name) != 0)
					continue;
				f->flow = (int)i;
				f->hop = p->fail_at;
				f->reply = r == 1;
				break;
			}
		}
}

/* A phase 2 without its kernel policy sends nothing into the tunnel:
 * the traffic follows the routing table out the WAN (§3.3). */
static void
box_spd(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	const struct boxstate *b = &s->ev.box;
	if (!b->has_spd)
		return;
	for (size_t j = 0; j < s->np2; j++) {
		const struct phase2 *p2 = &s->p2[j];
		if (!p2_checkable(p2))
			continue;
		const struct box_spd *p = box_spd_out(b, p2);
		const char *key = check_loc(ar, &p2->loc);
		struct finding *f = NULL;
		for (size_t i = 0; i < an->fs.n && !f; i++)
			if (an->fs.f[i].id == CHK_SA_MISSING &&
			    an->fs.f[i].key &&
			    strcmp(an->fs.f[i].key, key) == 0)
				f = &an->fs.f[i];
		if (p && f) {
			finding_evidence(
			    ar, f, EVREF_STATUS, &p->loc,
			    "the kernel holds this phase 2's "
			    "outbound policy (a trap): charon loaded "
			    "it, the SA was never negotiated");
			continue;
		}
		if (p)
			continue;
		if (f == NULL) {
			f = check_finding(an, CHK_SA_MISSING, s, key);
			f->summary = arena_printf(
			    ar,
			    "phase 2 '%s' (%s === %s) has no kernel "
			    "policy on %s: its traffic is not sent into "
			    "the tunnel",
			    p2->descr ? p2->descr : "",
			    prefix_str(ar, p2_visible_local(p2)),
			    prefix_str(ar, &p2->remote.net), s->name);
			f->detail = "Without an outbound IPsec policy the "
				    "kernel routes the traffic like any other: "
				    "out the WAN, unencrypted.";
			f->fix =
			    arena_printf(ar,
					 "On %s, Status > IPsec: "
					 "connect the tunnel; look in the "
					 "IPsec log for why charon did not "
					 "load this child.",
					 s->name);
			finding_evidence(ar, f, EVREF_CONFIG, &p2->loc,
					 "configured here");
		}
		f->confidence = CONF_CONFIRMED;
		link_spd_hops(an, s, p2, f);
		struct srcloc l = file_loc(b->spd_file);
		finding_evidence(
		    ar, f, EVREF_STATUS, &l,
		    arena_printf(ar,
				 "no outbound policy %s -> %s in setkey -DP",
				 prefix_str(ar, p2_visible_local(p2)),
				 prefix_str(ar, &p2->remote.net)));
	}
}

/* Drops sa-missing findings of the phase 2s of p1: on the BACKUP node
 * no SA is expected. */
static void
drop_sa_missing(struct analysis *an, struct site *s, const struct phase1 *p1)
{
	for (size_t j = 0; j < s->np2; j++) {
		if (s->p2[j].p1 != p1)
			continue;
		const char *key = check_loc(an->ar, &s->p2[j].loc);
		for (size_t i = an->fs.n; i-- > 0;) {
			const struct finding *f = &an->fs.f[i];
			if (f->id == CHK_SA_MISSING && f->key && f->site &&
			    strcmp(f->site, s->name) == 0 &&
			    strcmp(f->key, key) == 0)
				findings_remove(&an->fs, i);
		}
	}
}

static void
carp_finding(struct analysis *an, struct site *s, const struct phase1 *p1,
	     const struct box_carp *c)
{
	struct arena *ar = an->ar;
	struct finding *f =
	    check_finding(an, CHK_P1_CARP_BACKUP, s, check_loc(ar, &p1->loc));
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(
	    ar,
	    "phase 1 '%s' uses %s, a CARP address %s holds as %s "
	    "(vhid %u): the tunnel runs on the MASTER node, not here",
	    p1->descr ? p1->descr : "", ipaddr_str(ar, &c->addr), s->name,
	    c->state, c->vhid);
	f->detail = "pfSense starts IPsec on a CARP address only on the "
		    "node holding it as MASTER: this box's SAs, policies and "
		    "logs say nothing about the tunnel.";
	f->fix = "Collect the status archive from the MASTER node (Status > "
		 "CARP shows which one); if this node should be MASTER, check "
		 "Status > CARP (maintenance mode, advskew) on both.";
	finding_evidence(ar, f, EVREF_CONFIG, &p1->loc, "phase 1");
	finding_evidence(ar, f, EVREF_STATUS, &c->loc,
			 arena_printf(ar, "carp: %s vhid %u on %s", c->state,
				      c->vhid, c->ifname ? c->ifname : "?"));
	drop_sa_missing(an, s, p1);
}

/* Is the CARP address p1's outer address: its interface's own address,
 * or (a phase 1 on a VIP, "_vip..." in the config) the address the
 * other site's phase 1 names as its peer while p1 faces that site? */
static bool
carp_is_p1(const struct analysis *an, const struct site *s,
	   const struct phase1 *p1, const struct box_carp *c)
{
	struct ipaddr la;
	if (p1_local_addr(s, p1, &la) && ipaddr_cmp(&c->addr, &la) == 0)
		return true;
	if (!p1->peer_known)
		return false;
	for (size_t i = 0; i < an->nsites; i++) {
		const struct site *o = an->sites[i];
		if (o == s || !site_is_own_addr(o, &p1->peer))
			continue;
		for (size_t j = 0; j < o->np1; j++)
			if (!o->p1[j].disabled && o->p1[j].peer_known &&
			    ipaddr_cmp(&o->p1[j].peer, &c->addr) == 0)
				return true;
	}
	return false;
}

static void
box_carp(struct analysis *an, struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p1 = &s->p1[i];
		if (p1->disabled)
			continue;
		for (size_t k = 0; k < b->ncarp; k++) {
			const struct box_carp *c = &b->carp[k];
			if (c->state && strcmp(c->state, "MASTER") != 0 &&
			    carp_is_p1(an, s, p1, c)) {
				carp_finding(an, s, p1, c);
				break;
			}
		}
	}
}

/* Evidence for the host findings: the box's neighbour entry of a host
 * the examined flows start or end at on this site's inside. */
static void
box_neigh_note(struct analysis *an, struct site *s, const struct ipaddr *a)
{
	struct arena *ar = an->ar;
	const struct boxstate *b = &s->ev.box;
	for (size_t k = 0; k < b->nneigh; k++) {
		const struct box_neigh *e = &b->neigh[k];
		if (ipaddr_cmp(&e->addr, a) != 0 || e->permanent)
			continue;
		char where[600];
		srcloc_format(&e->loc, where, sizeof(where));
		const char *text =
		    e->incomplete
			? arena_printf(ar,
				       "%s: %s is (incomplete) on %s in %s's "
				       "neighbour table: the host does not "
				       "answer ARP/ND (down, another VLAN or "
				       "subnet, another address)",
				       where, ipaddr_str(ar, a), e->ifname,
				       s->name)
			: arena_printf(ar,
				       "%s: %s answers on %s (resolved in "
				       "%s's neighbour table)",
				       where, ipaddr_str(ar, a), e->ifname,
				       s->name);
		findings_note(ar, &an->fs, SEC_HOST_GATEWAY, s->name, text);
		for (size_t i = 0; i < an->fs.n; i++) {
			struct finding *f = &an->fs.f[i];
			bool host = f->id == CHK_HOST_GATEWAY ||
				    f->id == CHK_HOST_MASK ||
				    f->id == CHK_HOST_FIREWALL;
			/* only the findings about this host */
			if (host && f->site && strcmp(f->site, s->name) == 0 &&
			    f->key && strcmp(f->key, ipaddr_str(ar, a)) == 0)
				finding_evidence(
				    ar, f, EVREF_STATUS, &e->loc,
				    e->incomplete
					? "neighbour entry (incomplete)"
					: "neighbour entry resolved");
		}
	}
}

static void
box_neigh(struct analysis *an, struct site *s)
{
	if (!s->ev.box.has_arp && !s->ev.box.has_ndp)
		return;
	for (size_t i = 0; i < an->nflows; i++) {
		const struct packet *p = &an->flows[i].pkt;
		const struct ipaddr *ends[2] = {&p->src, &p->dst};
		for (int k = 0; k < 2; k++) {
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = ipaddr_cmp(&an->flows[j].pkt.src,
						  ends[k]) == 0 ||
				       ipaddr_cmp(&an->flows[j].pkt.dst,
						  ends[k]) == 0;
			if (!seen && k == 1)
				seen = ipaddr_cmp(&p->src, ends[1]) == 0;
			struct prefix host =
			    prefix_make(*ends[k], fam_bits(ends[k]->fam));
			if (!seen && check_on_inside(s, &host))
				box_neigh_note(an, s, ends[k]);
		}
	}
}

static void
differs(struct analysis *an, struct site *s, const char *key,
	const struct srcloc *cfg, const struct srcloc *box, const char *what)
{
	struct arena *ar = an->ar;
	struct finding *f = check_finding(an, CHK_BOX_DIFFERS, s, key);
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(ar,
				  "%s's running state differs from its "
				  "config: %s",
				  s->name, what);
	f->detail = "The checks model the config; the box runs something "
		    "else (a change not applied, a route added by a "
		    "package or DHCP, an interface renegotiated).";
	f->fix = "Apply the pending change (or reload the filter and "
		 "routes), or correct the config so both agree.";
	if (cfg && cfg->file)
		finding_evidence(ar, f, EVREF_CONFIG, cfg, "config");
	finding_evidence(ar, f, EVREF_STATUS, box, "the box");
}

static const struct box_route *
box_route_for(const struct boxstate *b, const struct prefix *net)
{
	for (size_t i = 0; i < b->nroutes; i++)
		if (prefix_same(&b->routes[i].net, net))
			return &b->routes[i];
	return NULL;
}

static void
box_routes(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	const struct boxstate *b = &s->ev.box;
	if (!b->has_routes)
		return;
	struct srcloc all = file_loc(b->routes_file);
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		if (r->disabled || r->net.addr.fam != FAM_V4 ||
		    (r->kind != ROUTE_STATIC && r->kind != ROUTE_DEFAULT))
			continue;
		const struct box_route *br = box_route_for(b, &r->net);
		const char *net = prefix_str(ar, &r->net);
		if (br == NULL)
			differs(an, s, arena_printf(ar, "route %s", net),
				&r->loc, &all,
				arena_printf(ar,
					     "route %s is not in its "
					     "routing table",
					     net));
		else if (r->has_via && br->has_via &&
			 ipaddr_cmp(&r->via, &br->via) != 0)
			differs(an, s, arena_printf(ar, "route %s", net),
				&r->loc, &br->loc,
				arena_printf(ar, "route %s goes via %s, not %s",
					     net, ipaddr_str(ar, &br->via),
					     ipaddr_str(ar, &r->via)));
	}
}

/* A traced hop the box's running table decided otherwise than the
 * config's routes (engine: mark_route): box-differs names the flow; an
 * error when the difference is where the flow dies. */
static void
route_hop(struct analysis *an, struct site *s, size_t i, const struct path *p,
	  bool reply)
{
	struct arena *ar = an->ar;
	for (size_t k = 0; k < p->n; k++) {
		const struct step *st = &p->steps[k];
		if (!st->route_differs || strcmp(st->site, s->name) != 0)
			continue;
		const struct flow_trace *ft = &an->flows[i];
		const struct ipaddr *dst = reply ? &ft->pkt.src : &ft->pkt.dst;
		const char *net = st->route ? prefix_str(ar, &st->route->net)
					    : ipaddr_str(ar, dst);
		const char *key = arena_printf(ar, "route %s", net);
		bool fresh = true;
		for (size_t j = 0; j < an->fs.n && fresh; j++)
			fresh = !(an->fs.f[j].id == CHK_BOX_DIFFERS &&
				  an->fs.f[j].key &&
				  strcmp(an->fs.f[j].key, key) == 0 &&
				  an->fs.f[j].site &&
				  strcmp(an->fs.f[j].site, s->name) == 0);
		const struct route *m = st->model_route;
		struct srcloc none = {0};
		if (fresh)
			differs(
			    an, s, key, m ? &m->loc : &none, &st->loc,
			    arena_printf(ar, "traffic for %s (%s %s -> %s): %s",
					 ipaddr_str(ar, dst), ft->proto_text,
					 ipaddr_str(ar, reply ? &ft->pkt.dst
							      : &ft->pkt.src),
					 ipaddr_str(ar, dst), st->what));
		struct finding *f = check_finding(an, CHK_BOX_DIFFERS, s, key);
		if (p->fail_at >= (int)k &&
		    p->steps[p->fail_at].cause == CHK_BOX_DIFFERS) {
			f->severity = SEV_ERROR; /* a flow dies on it */
			if (f->flow < 0) {
				f->flow = (int)i;
				f->hop = p->fail_at;
				f->reply = reply;
			}
		}
		return;
	}
}

static void
box_route_hops(struct analysis *an, struct site *s)
{
	for (size_t i = 0; i < an->nflows; i++) {
		route_hop(an, s, i, &an->flows[i].request, false);
		route_hop(an, s, i, &an->flows[i].reply, true);
	}
}

/* Ethernet-like interfaces default to 1500; tunnels and PPP links have
 * MTUs of their own when the config sets none. */
static bool
mtu_comparable(const struct iface *f)
{
	static const char *const own[] = {"ovpn", "tun",  "ipsec", "gif", "gre",
					  "wg",	  "l2tp", "ppp",   "enc", "lo"};
	if (f->role != ROLE_LAN && f->role != ROLE_WAN && f->role != ROLE_OPT)
		return false;
	if (f->mtu)
		return true;
	if (f->ipaddr_mode && (strcmp(f->ipaddr_mode, "pppoe") == 0 ||
			       strcmp(f->ipaddr_mode, "pptp") == 0 ||
			       strcmp(f->ipaddr_mode, "l2tp") == 0))
		return false;
	for (size_t i = 0; i < sizeof(own) / sizeof(*own); i++)
		if (strncmp(f->dev, own[i], strlen(own[i])) == 0)
			return false;
	return true;
}

static void
box_mtu(struct analysis *an, struct site *s)
{
	struct arena *ar = an->ar;
	const struct boxstate *b = &s->ev.box;
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		if (!f->dev || !f->enabled || !mtu_comparable(f))
			continue;
		unsigned want = f->mtu ? f->mtu : 1500;
		for (size_t k = 0; k < b->nifs; k++)
			if (strcmp(b->ifs[k].name, f->dev) == 0 &&
			    b->ifs[k].mtu && b->ifs[k].mtu != want)
				differs(
				    an, s, arena_printf(ar, "mtu %s", f->dev),
				    &f->loc, &b->ifs[k].loc,
				    arena_printf(
					ar,
					"%s (%s) has MTU %u, the "
					"config %s %u",
					f->dev, f->descr ? f->descr : f->key,
					b->ifs[k].mtu,
					f->mtu ? "says" : "implies", want));
	}
}

/* A config rule pfSense would load for sure: user rule, enabled, no
 * gateway (a down gateway turns it into a comment), no schedule, on
 * known enabled interfaces (§3.6). */
static bool
rule_expected(const struct site *s, const struct rule *r, uint64_t *tracker)
{
	/* an address not known offline (DHCP, FQDN) or an IPv6-only rule
	 * may be skipped by pfSense for want of an address */
	if (r->disabled || r->origin != ORIGIN_USER || r->mvc || r->gateway ||
	    r->scheduled || r->tracker == NULL || r->nifaces == 0 ||
	    r->src.partial || r->dst.partial || !r->fam[FAM_V4])
		return false;
	for (size_t i = 0; i < r->nifaces; i++) {
		const struct iface *f = site_iface(s, r->ifaces[i]);
		if (f == NULL || !f->enabled)
			return false;
	}
	return str_to_u64(str_from(r->tracker), UINT64_MAX, tracker) &&
	       *tracker > 0;
}

static bool
loaded(const struct boxstate *b, uint64_t tracker)
{
	for (size_t i = 0; i < b->nrules; i++)
		if (b->rules[i].has_tracker && b->rules[i].tracker == tracker)
			return true;
	return false;
}

/* Does /tmp/rules.debug carry the rule ("ridentifier N" 2.6+, "tracker
 * N" before, label "id:N"/"id=N")? */
static bool
generated(const struct boxstate *b, uint64_t tracker)
{
	char keys[4][48];
	snprintf(keys[0], sizeof(keys[0]), "ridentifier %llu",
		 (unsigned long long)tracker);
	snprintf(keys[1], sizeof(keys[1]), "tracker %llu",
		 (unsigned long long)tracker);
	snprintf(keys[2], sizeof(keys[2]), "\"id:%llu\"",
		 (unsigned long long)tracker);
	snprintf(keys[3], sizeof(keys[3]), "\"id=%llu\"",
		 (unsigned long long)tracker);
	for (int i = 0; i < 4; i++) {
		const char *p = memmem(b->rules_debug, b->rules_debug_len,
				       keys[i], strlen(keys[i]));
		size_t k =
		    p ? (size_t)(p - b->rules_debug) + strlen(keys[i]) : 0;
		if (p && (k >= b->rules_debug_len || b->rules_debug[k] < '0' ||
			  b->rules_debug[k] > '9'))
			return true;
	}
	return false;
}

static void
not_loaded(struct analysis *an, struct site *s, const struct rule *r,
	   uint64_t tracker)
{
	struct arena *ar = an->ar;
	const struct boxstate *b = &s->ev.box;
	bool gen = b->rules_debug && generated(b, tracker);
	struct finding *f = check_finding(an, CHK_RULESET_NOT_LOADED, s,
					  check_loc(ar, &r->loc));
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(
	    ar,
	    "rule '%s' (tracker %llu) of %s's config is not in the "
	    "ruleset pf runs%s",
	    r->descr ? r->descr : "", (unsigned long long)tracker, s->name,
	    gen ? ": it was generated but the last filter reload failed"
	    : b->rules_debug ? ": the config change was not applied"
			     : "");
	f->detail =
	    gen ? "/tmp/rules.debug has the rule, pf does not: pf kept "
		  "the previous ruleset when loading the new one "
		  "failed; the checks model the config, the box runs "
		  "the old rules."
		: "The box runs a ruleset older than this config (Apply "
		  "Changes not pressed, or a reload pending or failed): "
		  "the checks model the config, the box runs the old "
		  "rules.";
	f->fix = gen ? "Look in Status > System Logs > System for 'There "
		       "were error(s) loading the rules' and fix what it "
		       "names; then Status > Filter Reload."
		     : "Apply the changes (Firewall > Rules, Apply Changes) or "
		       "Status > Filter Reload, and check the system log for "
		       "errors.";
	finding_evidence(ar, f, EVREF_CONFIG, &r->loc, "the rule");
	struct srcloc l = file_loc(b->rules_file);
	finding_evidence(
	    ar, f, EVREF_STATUS, &l,
	    arena_printf(ar,
			 "no loaded rule carries tracker %llu (pfctl -vvsr)",
			 (unsigned long long)tracker));
	if (b->rules_debug_file) {
		struct srcloc d = file_loc(b->rules_debug_file);
		char t[32];
		snprintf(t, sizeof(t), "%llu", (unsigned long long)tracker);
		for (size_t i = 0; gen && i < b->nrd_rules; i++)
			if (b->rd_rules[i].tracker &&
			    strcmp(b->rd_rules[i].tracker, t) == 0) {
				d = b->rd_rules[i].loc;
				break;
			}
		finding_evidence(ar, f, EVREF_STATUS, &d,
				 gen ? "generated here"
				     : "not generated either");
	}
}

static void
ev_once(struct arena *ar, struct finding *f, enum evref_kind k,
	const struct srcloc *loc, const char *text)
{
	for (size_t i = 0; i < f->nev; i++)
		if (strcmp(f->ev[i].text, text) == 0)
			return;
	finding_evidence(ar, f, k, loc, text);
}

struct finding *
check_running_block(struct analysis *an, struct site *s, const struct step *st,
		    const char *flow_text)
{
	struct arena *ar = an->ar;
	const struct rule *m = st->model_rule, *r = st->rule;
	bool user = m && m->origin == ORIGIN_USER;
	const char *key = user ? check_loc(ar, &m->loc)
			  : r  ? check_loc(ar, &r->loc)
			       : "running ruleset";
	struct finding *f = check_finding(an, CHK_RULESET_NOT_LOADED, s, key);
	f->severity = SEV_ERROR; /* a flow dies on the box as it runs */
	f->confidence = CONF_CONFIRMED;
	const char *file = ruleset_running_file(s);
	if (f->summary == NULL) {
		f->summary = arena_printf(ar,
					  "%s: %s's running ruleset blocks it, "
					  "the ruleset its config "
					  "generates passes it%s%s%s",
					  flow_text, s->name, m ? " (" : "",
					  m ? rule_describe(ar, s, m) : "",
					  m ? ")" : "");
		f->detail =
		    "The ruleset pf runs (pfctl -vvsr, else /tmp/rules.debug) "
		    "decides this flow differently from the one the config "
		    "generates: a change not applied (Apply Changes not "
		    "pressed), a filter reload that failed and left pf on the "
		    "previous rules, or rules added outside the config (a "
		    "package, the shell).";
		f->fix = arena_printf(
		    ar,
		    "On %s: Status > Filter Reload (or Apply Changes on the "
		    "rules page) and look in Status > System Logs > System "
		    "for 'There were error(s) loading the rules'; a block "
		    "rule that stays after the reload%s%s%s comes from a "
		    "package (pfBlockerNG, Snort, Suricata) or a floating "
		    "rule: find it by that tracker.",
		    s->name, r && r->tracker ? " (tracker " : "",
		    r && r->tracker ? r->tracker : "",
		    r && r->tracker ? ")" : "");
	}
	if (m)
		ev_once(ar, f, EVREF_CONFIG, &m->loc,
			arena_printf(ar, "the config passes it: %s",
				     rule_describe(ar, s, m)));
	if (r) {
		ev_once(ar, f, EVREF_STATUS, &r->loc,
			arena_printf(ar, "the box blocks it: %s",
				     rule_describe(ar, s, r)));
	} else if (file) {
		struct srcloc l = file_loc(file);
		ev_once(ar, f, EVREF_STATUS, &l,
			"no rule of the running ruleset passes it");
	}
	return f;
}

/* Only rules.debug given (no pfctl -vvsr): a config rule it lacks was
 * never generated, the change not applied (rules-debug.md §4). */
static void
not_generated(struct analysis *an, struct site *s, const struct rule *r,
	      uint64_t tracker)
{
	struct arena *ar = an->ar;
	const struct boxstate *b = &s->ev.box;
	struct finding *f = check_finding(an, CHK_RULESET_NOT_LOADED, s,
					  check_loc(ar, &r->loc));
	f->confidence = CONF_CONFIRMED;
	if (f->summary == NULL) {
		f->summary = arena_printf(
		    ar,
		    "rule '%s' (tracker %llu) of %s's config is not in the "
		    "ruleset the box generated: the config change was not "
		    "applied",
		    r->descr ? r->descr : "", (unsigned long long)tracker,
		    s->name);
		f->detail = "The box's /tmp/rules.debug predates this config "
			    "(Apply Changes not pressed, or a reload pending): "
			    "the checks model the config, the box runs the "
			    "old rules.";
		f->fix = "Apply the changes (Firewall > Rules, Apply Changes) "
			 "or Status > Filter Reload, and check the system log "
			 "for errors.";
	}
	ev_once(ar, f, EVREF_CONFIG, &r->loc, "the rule");
	struct srcloc l = file_loc(b->rules_debug_file);
	ev_once(ar, f, EVREF_STATUS, &l,
		arena_printf(ar, "no generated rule carries tracker %llu",
			     (unsigned long long)tracker));
}

static bool
in_rules_debug(const struct boxstate *b, uint64_t tracker)
{
	for (size_t i = 0; i < b->nrd_rules; i++) {
		uint64_t t;
		if (b->rd_rules[i].tracker &&
		    str_to_u64(str_from(b->rd_rules[i].tracker), UINT64_MAX,
			       &t) &&
		    t == tracker)
			return true;
	}
	return false;
}

static void
box_ruleset(struct analysis *an, struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	if (s->kind != SITE_PFSENSE)
		return;
	if (!b->has_rules && b->nrd_rules && !b->rd_why_not &&
	    b->rules_debug_file) {
		for (size_t i = 0; i < s->nrules; i++) {
			uint64_t t;
			if (rule_expected(s, &s->rules[i], &t) &&
			    !in_rules_debug(b, t))
				not_generated(an, s, &s->rules[i], t);
		}
		return;
	}
	if (!b->has_rules)
		return;
	for (size_t i = 0; i < s->nrules; i++) {
		uint64_t t;
		if (rule_expected(s, &s->rules[i], &t) && !loaded(b, t))
			not_loaded(an, s, &s->rules[i], t);
	}
}

static unsigned
proto_num(const char *name)
{
	static const struct {
		const char *n;
		unsigned v;
	} t[] = {{"icmp", PROTO_ICMP},
		 {"tcp", PROTO_TCP},
		 {"udp", PROTO_UDP},
		 {"esp", PROTO_ESP},
		 {"ah", PROTO_AH}};
	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (strcmp(t[i].n, name) == 0)
			return t[i].v;
	return 256;
}

/* A state of this flow: opened by src towards dst (port when TCP/UDP). */
static const struct box_state *
flow_state(const struct boxstate *b, const struct packet *p)
{
	const struct box_state *best = NULL;
	for (size_t i = 0; i < b->nstates; i++) {
		const struct box_state *st = &b->states[i];
		if (!st->has_pkts || proto_num(st->proto) != p->proto ||
		    ipaddr_cmp(&st->a, &p->src) != 0 ||
		    ipaddr_cmp(&st->b, &p->dst) != 0 ||
		    (p->proto != PROTO_ICMP && st->bport != p->dport))
			continue;
		if (best == NULL || st->pkts_ba > best->pkts_ba)
			best = st;
	}
	return best;
}

/* pf's states say what really happened to an examined flow: requests
 * with no reply confirm a failure, replies rule a predicted one out. */
static void
state_of_flow(struct analysis *an, struct site *s, size_t i,
	      const struct box_state *st)
{
	struct arena *ar = an->ar;
	const struct flow_trace *ft = &an->flows[i];
	char where[600];
	srcloc_format(&st->loc, where, sizeof(where));
	const char *text = arena_printf(
	    ar, "%s: %s's pf state %s %s -> %s: %llu packets, %llu back", where,
	    s->name, ft->proto_text, ipaddr_str(ar, &st->a),
	    ipaddr_str(ar, &st->b), (unsigned long long)st->pkts_ab,
	    (unsigned long long)st->pkts_ba);
	findings_note(ar, &an->fs, SEC_BEYOND, s->name, text);
	for (size_t k = 0; k < an->fs.n; k++) {
		struct finding *f = &an->fs.f[k];
		if (f->flow != (int)i)
			continue;
		if (st->pkts_ba == 0) {
			finding_evidence(ar, f, EVREF_STATUS, &st->loc,
					 "pf state: requests, no reply");
			/* the request passed this box and nothing came back:
			 * a failure downstream of the state is seen, not
			 * predicted (doc/behaviour/rules-debug.md §6) */
			if (f->confidence == CONF_PREDICTED &&
			    !f->contradiction &&
			    (f->reply || !f->site ||
			     strcmp(f->site, s->name) != 0))
				f->confidence = CONF_CONFIRMED;
		} else if (f->confidence == CONF_PREDICTED && !f->contradiction)
			f->contradiction = arena_printf(
			    ar,
			    "%s's pf state shows %llu replies for this "
			    "flow (%s)",
			    s->name, (unsigned long long)st->pkts_ba, where);
	}
}

/* The counters pf keeps for the rule r decided by: the running rule's
 * own (pfctl -vvsr), else the loaded rule with r's tracker. */
static bool
rule_counts(const struct boxstate *b, const struct rule *r, uint64_t *evals,
	    uint64_t *packets, struct srcloc *loc)
{
	if (r == NULL)
		return false;
	if (r->has_evals) {
		*evals = r->evals, *packets = r->packets, *loc = r->loc;
		return true;
	}
	uint64_t t;
	if (r->tracker == NULL ||
	    !str_to_u64(str_from(r->tracker), UINT64_MAX, &t))
		return false;
	for (size_t i = 0; i < b->nrules; i++)
		if (b->rules[i].has_tracker && b->rules[i].tracker == t &&
		    b->rules[i].has_counters) {
			*evals = b->rules[i].evals;
			*packets = b->rules[i].packets;
			*loc = b->rules[i].loc;
			return true;
		}
	return false;
}

/* A catch-all rule (default deny: "block in log inet all") counts every
 * packet nothing else took, on every interface: its counters say
 * nothing about one flow. */
static bool
catch_all(const struct rule *r)
{
	return r->nifaces == 0 && addrset_is_any(&r->src.addrs) &&
	       addrset_is_any(&r->dst.addrs) && !r->src.negate &&
	       !r->dst.negate && r->src.ports.r.n == 0 && r->dst.ports.r.n == 0;
}

/* pf's rule counters for the hop where an examined flow dies: a block
 * rule of its own that did block packets confirms the prediction
 * (doc/behaviour/rules-debug.md §6). */
static void
counters_of_path(struct analysis *an, struct site *s, int i, bool reply)
{
	const struct flow_trace *ft = &an->flows[i];
	const struct path *p = reply ? &ft->reply : &ft->request;
	if (p->fail_at < 0)
		return;
	const struct step *st = &p->steps[p->fail_at];
	uint64_t ev, pk;
	struct srcloc loc;
	if (strcmp(st->site, s->name) != 0 || st->rule == NULL ||
	    st->rule->action == ACT_PASS ||
	    !rule_counts(&s->ev.box, st->rule, &ev, &pk, &loc))
		return;
	bool own = !catch_all(st->rule);
	const char *text =
	    pk > 0 ? arena_printf(
			 an->ar,
			 "pf counted %llu packets blocked by this "
			 "rule (pfctl -vvsr)%s",
			 (unsigned long long)pk,
			 own ? "" : "; it is the catch-all, for any traffic")
		   : arena_printf(an->ar,
				  "pf evaluated this rule %llu times and it "
				  "matched no packet (pfctl -vvsr)",
				  (unsigned long long)ev);
	for (size_t k = 0; k < an->fs.n; k++) {
		struct finding *f = &an->fs.f[k];
		if (f->flow != i || f->reply != reply || f->hop != p->fail_at)
			continue;
		ev_once(an->ar, f, EVREF_STATUS, &loc, text);
		if (pk > 0 && own && f->confidence == CONF_PREDICTED)
			f->confidence = CONF_CONFIRMED;
	}
}

/* The pass rule an examined flow went through on this box has been
 * evaluated but never matched: the traffic has not come this way since
 * the counters were last reset. */
static void
idle_pass_rules(struct analysis *an, struct site *s, int i)
{
	const struct path *p = &an->flows[i].request;
	for (size_t k = 0; k < p->n; k++) {
		const struct step *st = &p->steps[k];
		uint64_t ev, pk;
		struct srcloc loc;
		if (st->kind != STEP_FILTER || st->rule == NULL ||
		    strcmp(st->site, s->name) != 0 ||
		    st->rule->action != ACT_PASS || catch_all(st->rule) ||
		    !rule_counts(&s->ev.box, st->rule, &ev, &pk, &loc) ||
		    ev == 0 || pk > 0)
			continue;
		char where[600];
		srcloc_format(&loc, where, sizeof(where));
		findings_note(
		    an->ar, &an->fs, SEC_BEYOND, s->name,
		    arena_printf(an->ar,
				 "%s: %s's rule passing %s %s -> %s was "
				 "evaluated %llu times and matched no packet: "
				 "this traffic has not reached it since the "
				 "counters were reset",
				 where, s->name, an->flows[i].proto_text,
				 ipaddr_str(an->ar, &an->flows[i].pkt.src),
				 ipaddr_str(an->ar, &an->flows[i].pkt.dst),
				 (unsigned long long)ev));
	}
}

static void
box_counters(struct analysis *an, struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	if (!b->has_rules && b->nld_rules == 0)
		return;
	for (size_t i = 0; i < an->nflows; i++) {
		counters_of_path(an, s, (int)i, false);
		counters_of_path(an, s, (int)i, true);
		idle_pass_rules(an, s, (int)i);
	}
}

/* A hop the running ruleset passes where the config's blocks: the box
 * works today, the config's block takes effect at the next reload
 * (doc/behaviour/rules-debug.md §4). The config's predictions of that
 * block are contradicted by what the box runs. */
static void
running_passes(struct analysis *an, struct site *s, int i, const struct path *p)
{
	struct arena *ar = an->ar;
	for (size_t k = 0; k < p->n; k++) {
		const struct step *st = &p->steps[k];
		if (!st->model_differs || st->failed || st->rule == NULL ||
		    strcmp(st->site, s->name) != 0)
			continue;
		char where[600];
		srcloc_format(&st->rule->loc, where, sizeof(where));
		const char *text = arena_printf(
		    ar,
		    "%s: %s's running ruleset passes traffic the ruleset its "
		    "config generates blocks (%s, first for %s %s -> %s; the "
		    "config's: %s): the next filter reload applies the block",
		    where, s->name, rule_describe(ar, s, st->rule),
		    an->flows[i].proto_text,
		    ipaddr_str(ar, &an->flows[i].pkt.src),
		    ipaddr_str(ar, &an->flows[i].pkt.dst),
		    st->model_rule ? rule_describe(ar, s, st->model_rule)
				   : "no rule passes it");
		bool noted = false;
		for (size_t j = 0; j < an->fs.nnotes && !noted; j++)
			noted = strncmp(an->fs.notes[j].text, where,
					strlen(where)) == 0 &&
				strstr(an->fs.notes[j].text, "running ruleset "
							     "passes traffic");
		if (!noted)
			findings_note(ar, &an->fs, SEC_BEYOND, s->name, text);
		for (size_t j = 0; j < an->fs.n; j++) {
			struct finding *f = &an->fs.f[j];
			bool block = f->id == CHK_IPSEC_RULES_MISSING ||
				     f->id == CHK_LAN_RULES_MISSING ||
				     f->id == CHK_WAN_VPN_BLOCKED ||
				     f->id == CHK_SYSTEM_BLOCK;
			if (block && f->site && strcmp(f->site, s->name) == 0 &&
			    f->confidence == CONF_PREDICTED &&
			    !f->contradiction)
				f->contradiction = arena_printf(
				    ar,
				    "%s's running ruleset passes this traffic "
				    "today (%s): the config's block is not "
				    "applied yet",
				    s->name, where);
		}
		return;
	}
}

static void
box_running(struct analysis *an, struct site *s)
{
	for (size_t i = 0; i < an->nflows; i++) {
		running_passes(an, s, (int)i, &an->flows[i].request);
		running_passes(an, s, (int)i, &an->flows[i].reply);
	}
}

/* ESP states with a peer moving packets one way back a one-way SA. */
static void
esp_states(struct analysis *an, struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (f->id != CHK_SA_ONE_WAY || !f->site ||
		    strcmp(f->site, s->name) != 0)
			continue;
		for (size_t k = 0; k < b->nstates; k++) {
			const struct box_state *st = &b->states[k];
			if (strcmp(st->proto, "esp") != 0 || !st->has_pkts ||
			    (st->pkts_ab > 0) == (st->pkts_ba > 0))
				continue;
			finding_evidence(
			    an->ar, f, EVREF_STATUS, &st->loc,
			    arena_printf(an->ar,
					 "pf state esp %s -> "
					 "%s: %llu packets, %llu back",
					 ipaddr_str(an->ar, &st->a),
					 ipaddr_str(an->ar, &st->b),
					 (unsigned long long)st->pkts_ab,
					 (unsigned long long)st->pkts_ba));
		}
	}
}

static void
box_states(struct analysis *an, struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	if (!b->has_states)
		return;
	for (size_t i = 0; i < an->nflows; i++) {
		const struct box_state *st = flow_state(b, &an->flows[i].pkt);
		if (st && st->pkts_ab > 0)
			state_of_flow(an, s, i, st);
	}
	esp_states(an, s);
}

/* Items the box failed to collect: evidence missing, not empty state. */
static void
box_errors(struct analysis *an, struct site *s)
{
	const struct boxstate *b = &s->ev.box;
	for (size_t i = 0; i < b->nerrors; i++) {
		char where[600];
		srcloc_format(&b->errors[i].loc, where, sizeof(where));
		findings_note(an->ar, &an->fs, SEC_BEYOND, s->name,
			      arena_printf(an->ar,
					   "%s: not collected by the "
					   "box: %s",
					   where, b->errors[i].text));
	}
}

void
evidence_box(struct analysis *an, struct site *s)
{
	if (!s->ev.box.present)
		return;
	box_spd(an, s);
	box_carp(an, s);
	box_neigh(an, s);
	box_routes(an, s);
	box_route_hops(an, s);
	box_mtu(an, s);
	box_ruleset(an, s);
	box_counters(an, s);
	box_running(an, s);
	box_states(an, s);
	box_errors(an, s);
}
