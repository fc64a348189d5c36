/* `show --format json`: the same content as the text, stable keys.
 * Top level {"sites": [{"name", "kind", ...}]} (doc/ARCHITECTURE.md §5). */
#include <jansson.h>
#include <string.h>

#include "report/json_model.h"
#include "report/rep_cloud.h"
#include "report/rep_linux.h"
#include "report/rep_site.h"

/* Address sets as a list of CIDR blocks ("any" stays a one-item list). */
static json_t *
jaddrset(struct arena *ar, const struct addrset *s)
{
	json_t *a = json_array();
	char *t = addrset_format(ar, s, (size_t)-1);
	struct str rest = str_from(t), tok;
	while (str_next(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n && !str_eq(tok, "none"))
			json_array_append_new(a, json_stringn(tok.p, tok.n));
	}
	return a;
}

static void
set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new_nocheck(o, k, v); /* keys are ASCII literals */
}

static json_t *
j_iface(struct arena *ar, const struct iface *x, bool linux_site)
{
	(void)ar;
	json_t *o = json_object(), *a = json_array();
	set(o, "key", json_str(x->key));
	set(o, "device", json_str(x->dev));
	set(o, "description", json_str(x->descr));
	set(o, "role", json_str(if_role_name(x->role)));
	set(o, "enabled", json_boolean(x->enabled));
	for (size_t i = 0; i < x->naddrs; i++) {
		struct prefix p = {.addr = x->addrs[i].addr,
				   .len = x->addrs[i].plen};
		char ab[ADDR_STRLEN];
		json_array_append_new(
		    a, json_string(arena_printf(
			   ar, "%s/%u", ipaddr_format(&p.addr, ab), p.len)));
	}
	set(o, "addresses", a);
	set(o, "address_mode", json_str(x->ipaddr_mode));
	set(o, "gateway", json_str(x->gateway));
	set(o, "mtu", x->mtu ? json_integer(x->mtu) : json_null());
	set(o, "mss", x->mss ? json_integer(x->mss) : json_null());
	if (!linux_site) { /* pfSense interface options */
		set(o, "block_private", json_boolean(x->blockpriv));
		set(o, "block_bogons", json_boolean(x->blockbogons));
		json_t *d = json_object();
		set(d, "enabled", json_boolean(x->dhcp_enabled));
		set(d, "gateway", json_str(x->dhcp_gateway));
		set(o, "dhcp_server", d);
	}
	set(o, "source", json_loc(&x->loc));
	return o;
}

static json_t *
j_gateway(const struct gateway *g)
{
	json_t *o = json_object();
	set(o, "name", json_str(g->name));
	set(o, "interface", json_str(g->iface));
	set(o, "family", json_string(g->fam == FAM_V6 ? "inet6" : "inet"));
	set(o, "address", g->dynamic ? json_null() : json_addr(&g->addr));
	set(o, "dynamic", json_boolean(g->dynamic));
	set(o, "default", json_boolean(g->is_default));
	set(o, "default_automatic", json_boolean(g->default_auto));
	set(o, "disabled", json_boolean(g->disabled));
	set(o, "description", json_str(g->descr));
	set(o, "source", json_loc(&g->loc));
	return o;
}

static json_t *
j_route(struct arena *ar, const struct route *r, bool linux_site)
{
	json_t *o = json_object();
	if (linux_site)
		set(o, "table",
		    json_string(rep_linux_table_name(ar, r->table)));
	set(o, "kind", json_string(route_kind_name(r->kind)));
	set(o, "network", json_prefix(&r->net));
	set(o, "interface", json_str(r->iface));
	set(o, "gateway", json_str(r->gateway));
	set(o, "via", r->has_via ? json_addr(&r->via) : json_null());
	set(o, "origin", json_str(r->origin));
	set(o, "disabled", json_boolean(r->disabled));
	set(o, "source", json_loc(&r->loc));
	return o;
}

/* opnsense_site: "swanctl" says whether it is a VPN > IPsec >
 * Connections connection (true) or a legacy tunnel. */
static json_t *
j_p1(const struct phase1 *p, bool linux_site, bool opnsense_site)
{
	json_t *o = json_object();
	set(o, "ikeid", json_str(p->ikeid));
	if (opnsense_site)
		set(o, "swanctl", json_boolean(p->swanctl));
	if (linux_site || p->swanctl) /* strongSwan: local_addrs / left */
		set(o, "local",
		    p->local_known ? json_addr(&p->local) : json_null());
	set(o, "description", json_str(p->descr));
	set(o, "interface", json_str(p->iface));
	if (p->bind &&
	    strstr(p->bind,
		   "_vip")) /* bound to a virtual IP: its name and address */
		set(o, "vip",
		    json_pack("{s:s, s:o}", "name", p->bind, "address",
			      p->local_known ? json_addr(&p->local)
					     : json_null()));
	set(o, "remote_gateway", json_str(p->remote));
	set(o, "peer", p->peer_known ? json_addr(&p->peer) : json_null());
	set(o, "ike_version", json_integer(p->ikever));
	set(o, "family",
	    json_string(p->outer_fam == FAM_V6 ? "inet6" : "inet"));
	set(o, "nat_traversal", json_str(p->natt));
	set(o, "split_connections", json_boolean(p->splitconn));
	set(o, "gw_duplicates", json_boolean(p->gw_duplicates));
	set(o, "mobile", json_boolean(p->mobile));
	set(o, "disabled", json_boolean(p->disabled));
	set(o, "proposals", json_str(p->proposals));
	set(o, "source", json_loc(&p->loc));
	return o;
}

static json_t *
j_sel(const struct selector *s)
{
	json_t *o = json_object();
	set(o, "type", json_str(s->type));
	set(o, "as_written", json_str(s->text));
	set(o, "network", s->resolved ? json_prefix(&s->net) : json_null());
	set(o, "resolved", json_boolean(s->resolved));
	return o;
}

static json_t *
j_p2(const struct phase2 *p, bool linux_site)
{
	json_t *o = json_object(), *enc = json_array(), *integ = json_array();
	set(o, "ikeid", json_str(p->ikeid));
	if (linux_site || (p->p1 && p->p1->swanctl)) {
		/* strongSwan child: route-based with if_id or a VTI */
		set(o, "child", json_str(p->uniqid));
		set(o, "start_action", json_str(p->start_action));
		set(o, "route_based", json_boolean(p->mode == P2_VTI));
		set(o, "if_id_in", json_integer(p->if_id_in));
		set(o, "if_id_out", json_integer(p->if_id_out));
	}
	set(o, "reqid", json_integer(p->reqid));
	set(o, "description", json_str(p->descr));
	set(o, "mode", json_string(p2_mode_name(p->mode)));
	set(o, "protocol", json_string(p->proto == PROTO_AH ? "ah" : "esp"));
	set(o, "local", j_sel(&p->local));
	set(o, "remote", j_sel(&p->remote));
	set(o, "nat_local", p->has_nat ? j_sel(&p->natlocal) : json_null());
	for (size_t i = 0; i < p->nenc; i++) {
		json_t *t = json_object();
		set(t, "cipher", json_string(cipher_name(p->enc[i].cipher)));
		set(t, "keylen",
		    p->enc[i].keylen ? json_integer(p->enc[i].keylen)
				     : json_null());
		set(t, "icv", json_integer(p->enc[i].icv));
		json_array_append_new(enc, t);
	}
	for (size_t i = 0; i < p->ninteg; i++)
		json_array_append_new(integ,
				      json_string(integ_name(p->integ[i])));
	set(o, "encryption", enc);
	set(o, "integrity", integ);
	set(o, "has_phase1", json_boolean(p->p1 != NULL));
	set(o, "mobile", json_boolean(p->mobile));
	set(o, "disabled", json_boolean(p->disabled));
	set(o, "source", json_loc(&p->loc));
	return o;
}

static json_t *
j_alias(struct arena *ar, const struct alias *a)
{
	json_t *o = json_object();
	bool port = a->type && strstr(a->type, "port");
	set(o, "name", json_str(a->name));
	set(o, "type", json_str(a->type));
	set(o, "description", json_str(a->descr));
	set(o, "content", json_str(a->content));
	set(o, "addresses", port ? json_array() : jaddrset(ar, &a->addrs));
	set(o, "ports",
	    port ? json_string(portset_format(ar, &a->ports)) : json_null());
	set(o, "resolved", json_boolean(a->resolved));
	set(o, "cyclic", json_boolean(a->cyclic));
	set(o, "source", json_loc(&a->loc));
	return o;
}

static json_t *
j_end(struct arena *ar, const struct rule_end *e)
{
	json_t *o = json_object();
	set(o, "as_written", json_str(e->text));
	set(o, "not", json_boolean(e->negate));
	set(o, "addresses", jaddrset(ar, &e->addrs));
	set(o, "port_as_written", json_str(e->port_text));
	set(o, "ports", json_string(portset_format(ar, &e->ports)));
	set(o, "resolved", json_boolean(!e->partial));
	return o;
}

static const char *
rule_fam(const struct rule *r)
{
	return r->fam[FAM_V4] && r->fam[FAM_V6] ? "inet46"
	       : r->fam[FAM_V6]			? "inet6"
						: "inet";
}

/* Protocol names, empty = any. */
static json_t *
j_protos(const struct rule *r)
{
	json_t *pr = json_array();
	if (!protoset_is_any(&r->protos))
		for (unsigned p = 0; p < 256; p++)
			if (protoset_has(&r->protos, p))
				json_array_append_new(
				    pr, json_string(proto_name(p)));
	return pr;
}

/* ICMP types, null = any. */
static json_t *
j_icmp(const struct rule *r)
{
	if (r->icmp_any)
		return json_null();
	json_t *it = json_array();
	for (unsigned t = 0; t < 256; t++)
		if (protoset_has(&r->icmptypes, t))
			json_array_append_new(it, json_integer(t));
	return it;
}

static json_t *
j_rule(struct arena *ar, const struct rule *r)
{
	json_t *o = json_object(), *ifs = json_array();
	set(o, "position", json_integer(r->position));
	set(o, "action", json_string(rule_action_name(r->action)));
	for (size_t i = 0; i < r->nifaces; i++)
		json_array_append_new(ifs, json_string(r->ifaces[i]));
	set(o, "interfaces", ifs);
	set(o, "floating", json_boolean(r->floating));
	set(o, "quick", json_boolean(r->quick));
	set(o, "direction",
	    json_string(r->dir == DIR_IN    ? "in"
			: r->dir == DIR_OUT ? "out"
					    : "any"));
	set(o, "ipprotocol", json_string(rule_fam(r)));
	set(o, "protocols", j_protos(r));
	set(o, "icmp_types", j_icmp(r));
	set(o, "source", j_end(ar, &r->src));
	set(o, "destination", j_end(ar, &r->dst));
	set(o, "gateway", json_str(r->gateway));
	set(o, "description", json_str(r->descr));
	set(o, "tracker", json_str(r->tracker));
	set(o, "statetype", json_str(r->statetype));
	set(o, "log", json_boolean(r->log));
	set(o, "disabled", json_boolean(r->disabled));
	/* OPNsense: pf priority; Automation rules: sequence, interface
	 * negation, why OPNsense leaves the rule out */
	set(o, "priority", r->prio ? json_integer(r->prio) : json_null());
	set(o, "automation", json_boolean(r->mvc));
	set(o, "sequence",
	    r->mvc && r->sequence ? json_integer(r->sequence) : json_null());
	set(o, "interface_not", json_boolean(r->ifaces_negate));
	set(o, "not_loaded", json_str(r->not_loaded));
	set(o, "location", json_loc(&r->loc));
	return o;
}

static json_t *
j_rulesets(struct arena *ar, const struct site *s)
{
	json_t *a = json_array();
	struct rule_tab *tabs;
	size_t n = rep_site_tabs(ar, s, &tabs);
	for (size_t t = 0; t < n; t++) {
		json_t *o = json_object(), *rules = json_array();
		set(o, "tab", json_string(tabs[t].name));
		set(o, "title", json_string(tabs[t].title));
		set(o, "kind", json_string(tabs[t].kind));
		for (size_t i = 0; i < tabs[t].nrules; i++)
			json_array_append_new(
			    rules, j_rule(ar, &s->rules[tabs[t].rules[i]]));
		set(o, "rules", rules);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
j_flags(const struct sysflags *fl)
{
	json_t *o = json_object();
	set(o, "disablevpnrules", json_boolean(fl->disablevpnrules));
	set(o, "disablevpnrules_source",
	    fl->disablevpnrules ? json_loc(&fl->disablevpnrules_loc)
				: json_null());
	set(o, "disablenegate", json_boolean(fl->disablenegate));
	set(o, "maxmss_enable", json_boolean(fl->maxmss_enable));
	set(o, "maxmss", fl->maxmss ? json_integer(fl->maxmss) : json_null());
	set(o, "maxmss_source",
	    fl->maxmss_enable || fl->maxmss ? json_loc(&fl->maxmss_loc)
					    : json_null());
	set(o, "statepolicy", json_str(fl->statepolicy));
	set(o, "filtermode", json_str(fl->filtermode));
	set(o, "nat_outbound_mode", json_str(fl->nat_outbound_mode));
	set(o, "noshuntlaninterfaces", json_boolean(fl->noshuntlaninterfaces));
	set(o, "disablereplyto", json_boolean(fl->disablereplyto));
	set(o, "disablescrub", json_boolean(fl->disablescrub));
	set(o, "bypassstaticroutes", json_boolean(fl->bypassstaticroutes));
	set(o, "ipsec_enable", json_boolean(fl->ipsec_enable));
	return o;
}

static json_t *
j_prefixes(const struct prefix *p, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_prefix(&p[i]));
	return a;
}

static json_t *
j_ovpn(const struct openvpn *v)
{
	json_t *o = json_object();
	set(o, "role", json_string(v->server ? "server" : "client"));
	set(o, "vpnid", json_str(v->vpnid));
	set(o, "description", json_str(v->descr));
	set(o, "device", json_str(v->dev));
	set(o, "tunnel_networks", j_prefixes(v->tunnel, v->ntunnel));
	set(o, "remote_networks", j_prefixes(v->remote, v->nremote));
	set(o, "local_networks", j_prefixes(v->local, v->nlocal));
	set(o, "disabled", json_boolean(v->disabled));
	set(o, "source", json_loc(&v->loc));
	return o;
}

static json_t *
j_host(const struct host *h)
{
	json_t *o = json_object();
	set(o, "address", json_addr(&h->addr));
	set(o, "prefix_length", json_integer(h->plen));
	set(o, "gateway",
	    h->has_gateway ? json_addr(&h->gateway) : json_null());
	set(o, "ignores_gateway", json_boolean(h->ignores_gateway));
	set(o, "firewall",
	    json_string(h->firewall == HOST_FW_DROP	? "drop"
			: h->firewall == HOST_FW_REJECT ? "reject"
							: "none"));
	set(o, "source", json_loc(&h->loc));
	if (h->pasted) { /* read from the host's own output */
		set(o, "name", h->name ? json_string(h->name) : json_null());
		set(o, "gateway_known", json_boolean(!h->gw_unknown));
		set(o, "mask_source", json_loc(&h->mask_loc));
		set(o, "gateway_source",
		    h->gw_loc.file ? json_loc(&h->gw_loc) : json_null());
		set(o, "routes", json_integer((json_int_t)h->nroutes));
	}
	return o;
}

/* Linux: the parts only a Linux site has, and the keys it adds to
 * routes, phase 1 and phase 2 (pfSense output keeps its keys). */
static json_t *
j_ip_rule(struct arena *ar, const struct ip_rule *r)
{
	json_t *o = json_object();
	set(o, "priority", json_integer(r->pref));
	set(o, "not", json_boolean(r->not ));
	set(o, "from",
	    r->from_any ? json_string("all") : json_prefix(&r->from));
	set(o, "to", r->to_any ? json_string("all") : json_prefix(&r->to));
	set(o, "iif", json_str(r->iif));
	set(o, "oif", json_str(r->oif));
	set(o, "fwmark",
	    r->has_fwmark ? json_string(arena_printf(ar, "0x%x/0x%x", r->fwmark,
						     r->fwmask))
			  : json_null());
	set(o, "action", json_string(r->action ? r->action : "lookup"));
	set(o, "table",
	    r->action ? json_null()
		      : json_string(rep_linux_table_name(ar, r->table)));
	set(o, "source", json_loc(&r->loc));
	return o;
}

static json_t *
j_names(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_str(v[i]));
	return a;
}

static json_t *
j_nf_rule(struct arena *ar, const struct site *s, const struct rule *r)
{
	json_t *o = json_object();
	set(o, "position", json_integer(r->position));
	set(o, "text", json_string(rep_linux_rule(ar, s, r)));
	set(o, "verdict", json_string(rep_linux_verdict_name(r->verdict)));
	set(o, "target", json_str(r->target));
	set(o, "nat_to",
	    r->has_nat_addr ? json_addr(&r->nat_addr) : json_null());
	set(o, "family", json_string(rule_fam(r)));
	set(o, "iif", j_names(r->iifnames, r->niif));
	set(o, "iif_not", json_boolean(r->iif_negate));
	set(o, "oif", j_names(r->oifnames, r->noif));
	set(o, "oif_not", json_boolean(r->oif_negate));
	set(o, "ct_state",
	    r->ct_state ? json_string(rep_linux_ct_names(ar, r->ct_state))
			: json_null());
	set(o, "ct_not", json_boolean(r->ct_negate));
	json_t *ip = json_null();
	if (r->ipsec_match) {
		ip = json_object();
		set(ip, "direction",
		    json_string(r->ipsec_dir == DIR_OUT ? "out" : "in"));
		set(ip, "policy",
		    json_string(r->ipsec_match > 0 ? "exists" : "missing"));
	}
	set(o, "ipsec", ip);
	set(o, "protocols", j_protos(r));
	set(o, "icmp_types", j_icmp(r));
	set(o, "source", j_end(ar, &r->src));
	set(o, "destination", j_end(ar, &r->dst));
	set(o, "log", json_boolean(r->log));
	set(o, "comment", json_str(r->descr));
	set(o, "handle", json_str(r->tracker));
	json_t *c = json_null();
	if (r->has_counter) {
		c = json_object();
		set(c, "packets", json_integer((json_int_t)r->packets));
		set(c, "bytes", json_integer((json_int_t)r->bytes));
	}
	set(o, "counter", c);
	set(o, "not_modelled", json_str(r->unparsed));
	set(o, "location", json_loc(&r->loc));
	return o;
}

static json_t *
j_chain(struct arena *ar, const struct site *s, const struct nf_chain *c)
{
	json_t *o = json_object(), *rules = json_array();
	set(o, "family", json_str(c->family));
	set(o, "table", json_str(c->table));
	set(o, "name", json_str(c->name));
	set(o, "base", json_boolean(c->base));
	set(o, "hook", c->base ? json_str(c->hook) : json_null());
	set(o, "type",
	    c->base ? json_str(c->type ? c->type : "filter") : json_null());
	set(o, "priority", c->base ? json_integer(c->priority) : json_null());
	set(o, "policy",
	    c->base ? json_string(c->policy == ACT_BLOCK ? "drop" : "accept")
		    : json_null());
	set(o, "source", json_loc(&c->loc));
	for (size_t k = 0; k < c->nrules && c->first_rule + k < s->nrules; k++)
		json_array_append_new(
		    rules, j_nf_rule(ar, s, &s->rules[c->first_rule + k]));
	set(o, "rules", rules);
	return o;
}

static json_t *
j_chains(struct arena *ar, const struct site *s)
{
	json_t *a = json_array();
	size_t *order = rep_linux_chain_order(ar, s);
	for (size_t i = 0; i < s->nchains; i++)
		json_array_append_new(a, j_chain(ar, s, &s->chains[order[i]]));
	return a;
}

static json_t *
j_sa(struct arena *ar, const struct observation *o)
{
	json_t *x = json_object();
	set(x, "connection", json_str(o->conn));
	set(x, "child", json_str(o->child ? o->child : o->text));
	set(x, "local", json_prefix(&o->ts_local));
	set(x, "remote", json_prefix(&o->ts_remote));
	set(x, "spi_in", json_string(arena_printf(ar, "0x%08x", o->value)));
	set(x, "spi_out", json_string(arena_printf(ar, "0x%08x", o->spi_out)));
	set(x, "bytes_in", json_integer((json_int_t)o->bytes_rev));
	set(x, "packets_in", json_integer((json_int_t)o->count_rev));
	set(x, "bytes_out", json_integer((json_int_t)o->bytes));
	set(x, "packets_out", json_integer((json_int_t)o->count));
	set(x, "source", json_loc(&o->where));
	return x;
}

static json_t *
j_log_event(const struct observation *o)
{
	json_t *x = json_object();
	set(x, "event", json_str(o->action));
	set(x, "connection", json_str(o->conn));
	set(x, "child", json_str(o->child));
	set(x, "text", json_str(o->text));
	set(x, "source", json_loc(&o->where));
	return x;
}

/* SA status and IPsec log, as the text lists them (any site kind; only
 * when there is some, so that pfSense output keeps its keys). */
static void
j_ipsec_evidence(json_t *o, struct arena *ar, const struct site *s)
{
	json_t *sas = json_array(), *ev = json_array(), *kinds = json_object();
	size_t nlog = 0;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *x = &s->ev.obs[i];
		if (x->kind == OBS_SA)
			json_array_append_new(sas, j_sa(ar, x));
		if (x->kind != OBS_IKE_LOG)
			continue;
		const char *k = x->action ? x->action : "other";
		json_t *n = json_object_get(kinds, k);
		json_object_set_new(
		    kinds, k, json_integer(n ? json_integer_value(n) + 1 : 1));
		if (nlog++ < REP_LINUX_LOG_MAX)
			json_array_append_new(ev, j_log_event(x));
	}
	bool linux_site = s->kind == SITE_LINUX;
	if (linux_site || json_array_size(sas))
		set(o, "sa_status", sas);
	else
		json_decref(sas);
	if (linux_site || nlog) {
		json_t *l = json_object();
		set(l, "events", json_integer((json_int_t)nlog));
		set(l, "by_kind", kinds);
		set(l, "first", ev);
		set(o, "ipsec_log", l);
	} else {
		json_decref(kinds);
		json_decref(ev);
	}
}

/* The box's own running state (status archive or loose files): what
 * `show` prints under "box state". Keys only when present. */
static json_t *
j_box_route(struct arena *ar, const struct box_route *r)
{
	json_t *x = json_object();
	set(x, "net",
	    r->is_default ? json_string("default")
			  : json_string(prefix_str(ar, &r->net)));
	set(x, "gateway", json_str(r->gateway));
	set(x, "flags", json_str(r->flags));
	set(x, "interface", json_str(r->netif));
	set(x, "mtu", json_integer(r->mtu));
	set(x, "source", json_loc(&r->loc));
	return x;
}

static json_t *
j_box_if(struct arena *ar, const struct box_if *f)
{
	json_t *x = json_object(), *a = json_array();
	set(x, "name", json_str(f->name));
	set(x, "mtu", json_integer(f->mtu));
	set(x, "up", json_boolean(f->up));
	set(x, "no_carrier", json_boolean(f->no_carrier));
	for (size_t i = 0; i < f->naddrs; i++)
		json_array_append_new(
		    a, json_string(arena_printf(
			   ar, "%s/%u", ipaddr_str(ar, &f->addrs[i].addr),
			   f->addrs[i].plen)));
	set(x, "addresses", a);
	if (f->has_tunnel) {
		set(x, "tunnel_src", json_string(ipaddr_str(ar, &f->tun_src)));
		set(x, "tunnel_dst", json_string(ipaddr_str(ar, &f->tun_dst)));
	}
	if (f->reqid)
		set(x, "reqid", json_integer(f->reqid));
	set(x, "source", json_loc(&f->loc));
	return x;
}

static json_t *
j_box_carp(struct arena *ar, const struct box_carp *c)
{
	json_t *x = json_object();
	set(x, "address", json_string(ipaddr_str(ar, &c->addr)));
	set(x, "vhid", json_integer(c->vhid));
	set(x, "state", json_str(c->state));
	set(x, "interface", json_str(c->ifname));
	set(x, "source", json_loc(&c->loc));
	return x;
}

static json_t *
j_box_spd(struct arena *ar, const struct box_spd *p)
{
	static const char *const dirs[] = {"in", "out", "fwd", "other"};
	json_t *x = json_object();
	set(x, "dir", json_string(dirs[p->dir]));
	set(x, "action", json_str(p->action));
	set(x, "src", json_prefix(&p->src));
	set(x, "dst", json_prefix(&p->dst));
	if (p->has_outer) {
		set(x, "tunnel_src",
		    json_string(ipaddr_str(ar, &p->outer_src)));
		set(x, "tunnel_dst",
		    json_string(ipaddr_str(ar, &p->outer_dst)));
	}
	set(x, "reqid", json_integer(p->reqid));
	set(x, "interface", json_str(p->ifname));
	set(x, "source", json_loc(&p->loc));
	return x;
}

static json_t *
j_box_neigh(struct arena *ar, const struct box_neigh *e)
{
	json_t *x = json_object();
	set(x, "address", json_string(ipaddr_str(ar, &e->addr)));
	set(x, "interface", json_str(e->ifname));
	set(x, "incomplete", json_boolean(e->incomplete));
	set(x, "source", json_loc(&e->loc));
	return x;
}

/* ip xfrm policy: the Linux kernel's policies (the SPD). */
static json_t *
j_xpol(const struct xfrm_pol *x)
{
	static const char *const dirs[] = {"in", "out", "fwd"};
	json_t *o = json_object();
	set(o, "dir", json_string(x->dir <= XDIR_FWD ? dirs[x->dir] : "?"));
	set(o, "src", json_prefix(&x->src));
	set(o, "dst", json_prefix(&x->dst));
	set(o, "if_id", json_integer(x->if_id));
	set(o, "block", json_boolean(x->block));
	set(o, "source", json_loc(&x->loc));
	return o;
}

static json_t *
j_box(struct arena *ar, const struct boxstate *b)
{
	json_t *o = json_object(), *a;
	set(o, "from", json_str(b->archive));
	set(o, "product_version", json_str(b->product_version));
#define BOXLIST(key, has, n, expr)                                             \
	if (has) {                                                             \
		a = json_array();                                              \
		for (size_t i = 0; i < (n); i++)                               \
			json_array_append_new(a, (expr));                      \
		set(o, key, a);                                                \
	}
	BOXLIST("routes", b->has_routes, b->nroutes,
		j_box_route(ar, &b->routes[i]))
	BOXLIST("interfaces", b->has_ifs, b->nifs, j_box_if(ar, &b->ifs[i]))
	BOXLIST("carp", b->ncarp, b->ncarp, j_box_carp(ar, &b->carp[i]))
	BOXLIST("kernel_policies", b->has_spd, b->nspd,
		j_box_spd(ar, &b->spd[i]))
	BOXLIST("neighbours", b->has_arp || b->has_ndp, b->nneigh,
		j_box_neigh(ar, &b->neigh[i]))
#undef BOXLIST
	a = json_array();
	for (size_t i = 0; i < b->nerrors; i++) {
		json_t *x = json_object();
		set(x, "text", json_str(b->errors[i].text));
		set(x, "source", json_loc(&b->errors[i].loc));
		json_array_append_new(a, x);
	}
	set(o, "not_collected", a);
	return o;
}

#define JLIST(o, key, n, expr)                                                 \
	do {                                                                   \
		json_t *a_ = json_array();                                     \
		for (size_t i = 0; i < (n); i++)                               \
			json_array_append_new(a_, (expr));                     \
		set((o), (key), a_);                                           \
	} while (0)

static json_t *
j_site(struct arena *ar, const struct site *s)
{
	json_t *o = json_object();
	set(o, "name", json_str(s->name));
	set(o, "kind", json_string(site_kind_name(s->kind)));
	set(o, "config_version", json_str(s->config_version));
	set(o, "product_version", json_str(s->product_version));
	set(o, "hostname", json_str(s->hostname));
	json_t *in = json_array();
	for (size_t i = 0; i < s->ninputs; i++) {
		json_t *x = json_object();
		set(x, "path", json_str(s->inputs[i].path));
		set(x, "kind", json_string(input_kind_name(s->inputs[i].kind)));
		set(x, "summary", json_str(s->inputs[i].summary));
		set(x, "failed", json_boolean(s->inputs[i].failed));
		json_array_append_new(in, x);
	}
	set(o, "inputs", in);
	bool lx = s->kind == SITE_LINUX;
	JLIST(o, "interfaces", s->nifaces, j_iface(ar, &s->ifaces[i], lx));
	json_t *g = json_array();
	for (size_t i = 0; i < s->ngroups; i++) {
		json_t *x = json_object(), *m = json_array();
		set(x, "name", json_str(s->groups[i].name));
		for (size_t j = 0; j < s->groups[i].nmembers; j++)
			json_array_append_new(
			    m, json_str(s->groups[i].members[j]));
		set(x, "members", m);
		json_array_append_new(g, x);
	}
	set(o, "interface_groups", g);
	JLIST(o, "gateways", s->ngateways, j_gateway(&s->gateways[i]));
	if (lx)
		JLIST(o, "ip_rules", s->niprules,
		      j_ip_rule(ar, &s->iprules[i]));
	JLIST(o, "routes", s->nroutes, j_route(ar, &s->routes[i], lx));
	JLIST(o, "phase1", s->np1,
	      j_p1(&s->p1[i], lx, s->kind == SITE_OPNSENSE));
	JLIST(o, "phase2", s->np2, j_p2(&s->p2[i], lx));
	JLIST(o, "aliases", s->naliases, j_alias(ar, &s->aliases[i]));
	if (lx) {
		set(o, "chains", j_chains(ar, s));
	} else {
		set(o, "rulesets", j_rulesets(ar, s));
		set(o, "flags",
		    s->has_config ? j_flags(&s->flags) : json_null());
		JLIST(o, "openvpn", s->novpn, j_ovpn(&s->ovpn[i]));
	}
	if (s->kind == SITE_CLOUD)
		set(o, "cloud", rep_cloud_json(ar, s));
	j_ipsec_evidence(o, ar, s);
	if (s->ev.box.present)
		set(o, "box", j_box(ar, &s->ev.box));
	if (s->has_xpols)
		JLIST(o, "xfrm_policies", s->nxpols, j_xpol(&s->xpols[i]));
	JLIST(o, "hosts", s->nhosts, j_host(&s->hosts[i]));
	return o;
}

void
rep_site_json(FILE *f, struct arena *ar, struct site **sites, size_t n)
{
	json_t *root = json_object(), *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, j_site(ar, sites[i]));
	set(root, "sites", a);
	json_emit(f, root);
}
