/* `show` text output (JSON in rep_site_json.c). */
#include "report/rep_site.h"

#include <stdint.h>
#include <string.h>

#include "report/rep_cloud.h"
#include "report/rep_linux.h"

enum { LIST_MAX = 8 }; /* prefixes shown before "... (N more)" */

/* An interface's name for people: its description, else its key (a
 * Linux interface may come with no description). */
static const char *
if_title(const struct iface *x)
{
	return x->descr ? x->descr : x->key ? x->key : "?";
}

/* Distinct tab names of the rules: a small hash table so that big rule
 * sets (10,000 rules, 50 tabs) are bucketed in one pass. */
struct tab_slot {
	const char *name;
	size_t idx; /* index into the distinct list */
};

/* An OPNsense Automation rule is listed just before the <filter> rules
 * of its priority (engine/ruleset.c): its tab is the legacy tab's name
 * behind \002, "\002-" when OPNsense leaves it out. */
static const char *
rule_tab_name(struct arena *ar, const struct rule *r)
{
	if (r->mvc)
		return r->not_loaded	   ? "\002-"
		       : r->prio == 200000 ? "\002\001floating"
		       : r->nifaces ? arena_printf(ar, "\002%s", r->ifaces[0])
				    : "\002\001floating";
	return r->floating  ? "\001"
			      "floating"
	       : r->nifaces ? r->ifaces[0]
			    : "";
}

static size_t
name_hash(const char *k)
{
	size_t h = 1469598103934665603u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

static struct tab_slot *
slot_of(struct tab_slot *tbl, size_t cap, const char *name)
{
	size_t i = name_hash(name) & (cap - 1);
	while (tbl[i].name && strcmp(tbl[i].name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &tbl[i];
}

struct tab_build {
	struct arena *ar;
	struct tab_slot *tbl;
	size_t cap;
	size_t *count; /* rules per distinct name */
	size_t *order; /* distinct index -> tab position + 1 */
	struct rule_tab *v;
	size_t n, vcap;
	const char **names; /* each rule's tab name */
	const char *page;   /* OPNsense's Automation page */
};

static void
tab_place(struct tab_build *b, const char *name, const char *title,
	  const char *kind)
{
	struct tab_slot *sl = slot_of(b->tbl, b->cap, name);
	if (sl->name == NULL || b->order[sl->idx] != 0)
		return; /* no rules in it, or placed already */
	struct rule_tab *t = ARENA_PUSH(b->ar, b->v, b->n, b->vcap);
	t->name = name;
	while (*t->name == '\001' || *t->name == '\002')
		t->name++;
	t->title = title;
	t->kind = kind;
	t->rules = arena_alloc(b->ar, b->count[sl->idx] * sizeof(*t->rules));
	b->order[sl->idx] = b->n;
}

/* The Automation rules of a tab's priority, then the tab. */
static void
tab_add(struct tab_build *b, const char *name, const char *title,
	const char *kind)
{
	const char *page = b->page;
	if (*name != '\002')
		tab_place(b, arena_printf(b->ar, "\002%s", name),
			  *name == '\001'
			      ? arena_printf(b->ar, "%s, floating", page)
			      : arena_printf(b->ar, "%s on %s", page, title),
			  "automation");
	tab_place(b, name, title, kind);
}

static void
tabs_in_order(struct tab_build *b, const struct site *s)
{
	struct arena *ar = b->ar;
	b->page = s->automation_page ? s->automation_page
				     : "Firewall > Automation > Filter";
	tab_add(b,
		"\001"
		"floating",
		"Floating", "floating");
	for (size_t i = 0; i < s->ngroups; i++)
		tab_add(b, s->groups[i].name,
			arena_printf(ar, "group %s", s->groups[i].name),
			"group");
	static const char *const sysgroups[][2] = {
	    {"l2tp", "L2TP VPN (l2tp)"},
	    {"pppoe", "PPPoE Server (pppoe)"},
	    {"enc0", "IPsec (enc0)"},
	    {"openvpn", "OpenVPN (openvpn)"}};
	for (size_t i = 0; i < 4; i++)
		tab_add(b, sysgroups[i][0], sysgroups[i][1], "group");
	for (size_t i = 0; i < s->nifaces; i++)
		tab_add(b, s->ifaces[i].key,
			arena_printf(ar, "%s (%s)", if_title(&s->ifaces[i]),
				     s->ifaces[i].key),
			"interface");
	for (size_t i = 0; i < s->nrules; i++) {
		const char *name = b->names[i];
		if (strcmp(name, "\002-") == 0)
			tab_add(b, name,
				arena_printf(ar,
					     "%s, not loaded by "
					     "OPNsense",
					     b->page),
				"automation");
		else if (*name == '\002')
			tab_add(b, name,
				arena_printf(ar, "%s on %s", b->page, name + 1),
				"automation");
		else
			tab_add(b, name,
				arena_printf(ar, "%s (unknown interface)",
					     *name ? name : "no interface"),
				"unknown");
	}
}

size_t
rep_site_tabs(struct arena *ar, const struct site *s, struct rule_tab **out)
{
	struct tab_build b = {.ar = ar, .cap = 16};
	while (b.cap < 2 * s->nrules + 2)
		b.cap *= 2;
	b.tbl = arena_alloc(ar, b.cap * sizeof(*b.tbl));
	b.count = arena_alloc(ar, (s->nrules + 1) * sizeof(*b.count));
	b.order = arena_alloc(ar, (s->nrules + 1) * sizeof(*b.order));
	size_t *of = arena_alloc(ar, (s->nrules + 1) * sizeof(*of));
	b.names = arena_alloc(ar, (s->nrules + 1) * sizeof(*b.names));
	size_t distinct = 0;
	for (size_t i = 0; i < s->nrules; i++) {
		b.names[i] = rule_tab_name(ar, &s->rules[i]);
		struct tab_slot *sl = slot_of(b.tbl, b.cap, b.names[i]);
		if (sl->name == NULL) {
			sl->name = b.names[i];
			sl->idx = distinct++;
		}
		b.count[sl->idx]++;
		of[i] = sl->idx;
	}
	tabs_in_order(&b, s);
	for (size_t i = 0; i < s->nrules; i++) {
		struct rule_tab *t = &b.v[b.order[of[i]] - 1];
		t->rules[t->nrules++] = i;
	}
	*out = b.v;
	return b.n;
}

static const char *
loc_str(struct arena *ar, const struct srcloc *loc)
{
	char buf[512];
	if (loc->file == NULL)
		return "";
	return arena_strdup(ar, srcloc_format(loc, buf, sizeof(buf)));
}

static const char *
addrs_str(struct arena *ar, const struct ifaddr *a, size_t n)
{
	char *s = arena_strdup(ar, "");
	for (size_t i = 0; i < n; i++) {
		char buf[ADDR_STRLEN];
		s = arena_printf(ar, "%s%s%s/%u", s, i ? ", " : "",
				 ipaddr_format(&a[i].addr, buf), a[i].plen);
	}
	return s;
}

static void
text_ifaces(FILE *f, struct arena *ar, const struct site *s)
{
	fprintf(f, "\ninterfaces:\n");
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *x = &s->ifaces[i];
		const char *addrs = addrs_str(ar, x->addrs, x->naddrs);
		/* Linux: key, device and description are the device name */
		char *line =
		    s->kind == SITE_LINUX
			? arena_printf(ar, "  %-10s %-4s %s", x->key,
				       if_role_name(x->role), addrs)
			: arena_printf(ar, "  %-6s %-10s %-10s %-7s %s%s%s",
				       x->key, x->dev ? x->dev : "-",
				       if_title(x), if_role_name(x->role),
				       addrs,
				       *addrs && x->ipaddr_mode ? ", " : "",
				       x->ipaddr_mode ? x->ipaddr_mode : "");
		size_t n = strlen(line);
		while (n > 0 && line[n - 1] == ' ')
			line[--n] = '\0';
		fprintf(f, "%s\n", line);
		char *extra = arena_strdup(ar, "");
		if (!x->enabled)
			extra = arena_printf(ar, "%s; disabled", extra);
		if (x->mtu)
			extra = arena_printf(ar, "%s; mtu %u", extra, x->mtu);
		if (x->mss)
			extra = arena_printf(ar, "%s; mss %u", extra, x->mss);
		if (x->gateway)
			extra = arena_printf(ar, "%s; gateway %s", extra,
					     x->gateway);
		if (x->blockpriv)
			extra = arena_printf(ar, "%s; blocks private networks",
					     extra);
		if (x->blockbogons)
			extra = arena_printf(ar, "%s; blocks bogon networks",
					     extra);
		if (*extra)
			fprintf(f, "         %s\n", extra + 2);
	}
}

static void
text_gateways(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->ngateways == 0)
		return;
	fprintf(f, "\ngateways:\n");
	for (size_t i = 0; i < s->ngateways; i++) {
		const struct gateway *g = &s->gateways[i];
		char buf[ADDR_STRLEN];
		fprintf(f, "  %-16s %-6s %-5s %s%s%s%s\n", g->name,
			g->iface ? g->iface : "-",
			g->fam == FAM_V6 ? "inet6" : "inet",
			g->dynamic ? "dynamic" : ipaddr_format(&g->addr, buf),
			g->is_default
			    ? (g->default_auto ? ", default (automatic)"
					       : ", default")
			    : "",
			g->disabled ? ", disabled" : "",
			g->descr ? arena_printf(ar, " '%s'", g->descr) : "");
	}
}

static void
text_routes(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->nroutes == 0)
		return;
	fprintf(f, "\nroutes:\n");
	for (size_t i = 0; i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		char pb[PREFIX_STRLEN], ab[ADDR_STRLEN];
		const char *via =
		    r->has_via ? ipaddr_format(&r->via, ab) : NULL;
		const char *how =
		    via && r->gateway
			? arena_printf(ar, "via %s (%s)", via, r->gateway)
		    : r->gateway ? arena_printf(ar, "via %s", r->gateway)
				 : "on link";
		fprintf(f, "  %-9s %-18s %s on %s%s\n",
			route_kind_name(r->kind), prefix_format(&r->net, pb),
			how, r->iface ? r->iface : "?",
			r->disabled ? ", disabled" : "");
		if (r->kind != ROUTE_CONNECTED && r->origin)
			fprintf(f, "            %s; %s\n", r->origin,
				loc_str(ar, &r->loc));
	}
}

static const char *
p1_peer(struct arena *ar, const struct phase1 *p)
{
	struct ipaddr a;
	if (p->mobile)
		return "any (mobile clients)";
	if (p->remote == NULL)
		return "(none)";
	if (p->peer_known)
		return p->remote;
	if (ipaddr_parse(str_from(p->remote), &a))
		return arena_printf(ar, "any (%s)", p->remote);
	return arena_printf(ar, "%s (host name)", p->remote);
}

static const char *
ike_version(const struct phase1 *p)
{
	return p->ikever == 1 ? "IKEv1" : p->ikever == 2 ? "IKEv2" : "IKE auto";
}

/* A strongSwan connection (swanctl.conf connection, ipsec.conf conn, or
 * OPNsense's VPN > IPsec > Connections, named by uuid). */
static void
text_p1_linux(FILE *f, struct arena *ar, const struct phase1 *p)
{
	char b[ADDR_STRLEN];
	bool any = p->remote == NULL || strcmp(p->remote, "%any") == 0;
	bool named = p->swanctl && p->descr;
	fprintf(f, "  connection %s%s%s%s: local %s, peer %s on %s\n",
		p->ikeid ? p->ikeid : "?", named ? " '" : "",
		named ? p->descr : "", named ? "'" : "",
		p->local_known ? ipaddr_format(&p->local, b) : "%any",
		p->peer_known ? p->remote
		: any	      ? "any (%any)"
			      : arena_printf(ar, "%s (host name)", p->remote),
		p->iface ? p->iface : "?");
	fprintf(f, "    %s, %s, NAT-T %s%s%s\n", ike_version(p),
		p->outer_fam == FAM_V6 ? "inet6" : "inet",
		p->natt ? p->natt : "auto",
		p->swanctl ? ", no auto-added WAN rules" : "",
		p->disabled ? ", DISABLED" : "");
	fprintf(f, "    proposals %s\n    %s\n",
		p->proposals ? p->proposals : "default", loc_str(ar, &p->loc));
}

static void
text_p1(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->np1 == 0)
		return;
	fprintf(f, "\nphase 1:\n");
	for (size_t i = 0; i < s->np1; i++) {
		const struct phase1 *p = &s->p1[i];
		if (s->kind == SITE_LINUX || p->swanctl) {
			text_p1_linux(f, ar, p);
			continue;
		}
		const char *peer = p1_peer(ar, p);
		fprintf(f, "  ikeid %s%s%s%s: peer %s on %s\n",
			p->ikeid ? p->ikeid : "?", p->descr ? " '" : "",
			p->descr ? p->descr : "", p->descr ? "'" : "", peer,
			p->bind ? arena_printf(ar, "%s (%s)", p->iface, p->bind)
			: p->iface ? p->iface
				   : "?");
		if (p->not_started)
			fprintf(f, "    never started: %s\n", p->not_started);
		fprintf(f, "    %s, %s, NAT-T %s%s%s%s%s\n", ike_version(p),
			p->outer_fam == FAM_V6 ? "inet6" : "inet",
			p->natt ? p->natt : "on",
			p->ikever != 1
			    ? (p->splitconn ? ", split connections"
					    : ", no split connections")
			    : "",
			p->gw_duplicates ? ", allows duplicate gateways" : "",
			p->mobile ? ", mobile" : "",
			p->disabled ? ", DISABLED" : "");
		fprintf(f, "    proposals %s\n    %s\n",
			p->proposals ? p->proposals : "(none)",
			loc_str(ar, &p->loc));
	}
}

static const char *
sel_str(struct arena *ar, const struct selector *sel)
{
	char pb[PREFIX_STRLEN];
	if (!sel->resolved)
		return arena_printf(ar, "%s (not known offline)", sel->text);
	prefix_format(&sel->net, pb);
	if (strcmp(pb, sel->text) == 0 || strcmp(sel->type, "address") == 0)
		return arena_strdup(ar, pb);
	return arena_printf(ar, "%s (%s)", pb, sel->text);
}

static const char *
transforms_str(struct arena *ar, const struct phase2 *p)
{
	char *s = arena_strdup(ar, "");
	for (size_t i = 0; i < p->nenc; i++) {
		const struct transform *t = &p->enc[i];
		s = arena_printf(ar, "%s%s%s", s, i ? ", " : "",
				 cipher_name(t->cipher));
		if (t->keylen)
			s = arena_printf(ar, "%s-%u", s, t->keylen);
		else if (t->cipher == CIPHER_AES_CBC)
			s = arena_printf(ar, "%s-auto", s);
		if (t->icv)
			s = arena_printf(ar, "%s (icv %u)", s, t->icv);
	}
	for (size_t i = 0; i < p->ninteg; i++)
		s = arena_printf(ar, "%s%s%s", s,
				 i    ? ", "
				 : *s ? "; "
				      : "",
				 integ_name(p->integ[i]));
	return *s ? s : "(none)";
}

/* A strongSwan child: route-based when it has XFRM interface ids (Linux)
 * or installs no policies (OPNsense, a VTI by reqid). */
static void
text_p2_linux(FILE *f, struct arena *ar, const struct phase2 *p)
{
	bool named = p->p1 && p->p1->swanctl && p->descr &&
		     (p->uniqid == NULL || strcmp(p->descr, p->uniqid) != 0);
	fprintf(f, "  child %s%s%s%s: %s, %s%s%s%s%s%s\n",
		p->uniqid ? p->uniqid : "?", named ? " '" : "",
		named ? p->descr : "", named ? "'" : "",
		p->mode == P2_VTI && (p->if_id_in || p->if_id_out)
		    ? arena_printf(ar, "route-based (if_id in %u, out %u)",
				   p->if_id_in, p->if_id_out)
		: p->mode == P2_VTI ? "route-based"
				    : p2_mode_name(p->mode),
		p->proto == PROTO_AH ? "ah" : "esp",
		p->reqid ? arena_printf(ar, ", reqid %u", p->reqid) : "",
		p->start_action ? ", start_action " : "",
		p->start_action ? p->start_action : "",
		p->p1 ? "" : ", NO CONNECTION",
		p->disabled ? ", DISABLED" : "");
}

static void
text_p2_head(FILE *f, struct arena *ar, const struct phase2 *p)
{
	fprintf(
	    f, "  ikeid %s%s%s%s%s: %s, %s%s%s%s\n", p->ikeid ? p->ikeid : "?",
	    p->reqid ? arena_printf(ar, " reqid %u", p->reqid) : "",
	    p->descr ? " '" : "", p->descr ? p->descr : "", p->descr ? "'" : "",
	    p2_mode_name(p->mode), p->proto == PROTO_AH ? "ah" : "esp",
	    p->p1 ? "" : ", NO PHASE 1", p->mobile ? ", mobile" : "",
	    p->disabled ? ", DISABLED" : "");
}

static void
text_p2(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->np2 == 0)
		return;
	fprintf(f, "\nphase 2:\n");
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		bool sw = s->kind == SITE_LINUX || (p->p1 && p->p1->swanctl);
		if (sw)
			text_p2_linux(f, ar, p);
		else
			text_p2_head(f, ar, p);
		fprintf(f, "    local  %s\n", sel_str(ar, &p->local));
		if (p->has_nat)
			fprintf(f, "    NAT    %s (%s)\n",
				sel_str(ar, &p->natlocal),
				p->natlocal.net.len == p->local.net.len
				    ? "binat"
				    : "nat");
		fprintf(f, "    remote %s\n", sel_str(ar, &p->remote));
		/* no esp_proposals: strongSwan's default proposals */
		const char *tr = sw && !p->nenc && !p->ninteg
				     ? "default"
				     : transforms_str(ar, p);
		fprintf(f, "    transforms %s\n    %s\n", tr,
			loc_str(ar, &p->loc));
	}
}

static void
text_aliases(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->naliases == 0)
		return;
	fprintf(f, "\naliases:\n");
	for (size_t i = 0; i < s->naliases; i++) {
		const struct alias *a = &s->aliases[i];
		bool port = a->type && strstr(a->type, "port");
		fprintf(f, "  %s (%s)%s%s: %s\n", a->name,
			a->type ? a->type : "?", a->cyclic ? ", CYCLIC" : "",
			a->resolved ? "" : ", not fully known offline",
			port ? portset_format(ar, &a->ports)
			     : addrset_format(ar, &a->addrs, LIST_MAX));
		fprintf(f, "    = %s; %s\n", a->content ? a->content : "",
			loc_str(ar, &a->loc));
	}
}

static const char *
protos_str(struct arena *ar, const struct rule *r)
{
	if (protoset_is_any(&r->protos))
		return "any";
	char *s = arena_strdup(ar, "");
	for (unsigned p = 0; p < 256; p++)
		if (protoset_has(&r->protos, p))
			s = arena_printf(ar, "%s%s%s", s, *s ? "/" : "",
					 proto_name(p));
	if (!r->icmp_any) {
		s = arena_printf(ar, "%s type ", s);
		const char *sep = "";
		for (unsigned t = 0; t < 256; t++)
			if (protoset_has(&r->icmptypes, t)) {
				s = arena_printf(ar, "%s%s%u", s, sep, t);
				sep = ",";
			}
	}
	return s;
}

static const char *
fam_str(const struct rule *r)
{
	return r->fam[FAM_V4] && r->fam[FAM_V6] ? "inet46"
	       : r->fam[FAM_V6]			? "inet6"
						: "inet";
}

static const char *
end_str(struct arena *ar, const struct rule_end *e)
{
	const char *t = arena_printf(ar, "%s%s", e->negate ? "!" : "",
				     e->text ? e->text : "any");
	if (!portset_is_any(&e->ports))
		t = arena_printf(ar, "%s port %s", t,
				 e->port_text ? e->port_text
					      : portset_format(ar, &e->ports));
	return t;
}

/* The resolved form, when it says more than the text. */
static const char *
end_resolved(struct arena *ar, const struct rule_end *e)
{
	bool any = e->text && strcmp(e->text, "any") == 0;
	char *a = any ? "any" : addrset_format(ar, &e->addrs, LIST_MAX);
	char *p = portset_format(ar, &e->ports);
	const char *t = arena_printf(
	    ar, "%s%s%s%s%s", e->negate ? "not " : "", a,
	    strcmp(p, "any") ? " port " : "", strcmp(p, "any") ? p : "",
	    e->partial ? " (not fully known offline)" : "");
	return t;
}

static const char *
ifaces_str(struct arena *ar, const struct rule *r)
{
	char *s = arena_strdup(ar, r->nifaces ? "" : "any");
	for (size_t i = 0; i < r->nifaces; i++)
		s = arena_printf(ar, "%s%s%s", s, i ? "," : "", r->ifaces[i]);
	return s;
}

static void
text_rule(FILE *f, struct arena *ar, const struct rule *r)
{
	const char *head =
	    r->mvc ? (r->sequence ? arena_printf(ar, "seq %u", r->sequence)
				  : "seq ?")
		   : arena_printf(ar, "%3u", r->position);
	fprintf(f, "    %s %s%s %s %s from %s to %s\n", head,
		rule_action_name(r->action),
		r->floating || r->mvc
		    ? arena_printf(ar, " %s%s on %s%s",
				   r->dir == DIR_IN    ? "in"
				   : r->dir == DIR_OUT ? "out"
						       : "any",
				   r->quick ? " quick" : "",
				   r->ifaces_negate ? "! " : "",
				   ifaces_str(ar, r))
		    : "",
		fam_str(r), protos_str(ar, r), end_str(ar, &r->src),
		end_str(ar, &r->dst));
	const char *src = end_resolved(ar, &r->src);
	const char *dst = end_resolved(ar, &r->dst);
	if (strcmp(src, end_str(ar, &r->src)) ||
	    strcmp(dst, end_str(ar, &r->dst)))
		fprintf(f, "        = %s -> %s\n", src, dst);
	char *x = arena_strdup(ar, "");
	if (r->not_loaded)
		x = arena_printf(ar, "%sNOT LOADED: %s; ", x, r->not_loaded);
	else if (r->disabled)
		x = arena_printf(ar, "%sDISABLED; ", x);
	if (r->gateway)
		x = arena_printf(ar, "%sgateway %s; ", x, r->gateway);
	if (r->log)
		x = arena_printf(ar, "%slog; ", x);
	if (r->statetype && strcmp(r->statetype, "keep state"))
		x = arena_printf(ar, "%s%s; ", x, r->statetype);
	if (r->descr)
		x = arena_printf(ar, "%s'%s'; ", x, r->descr);
	fprintf(f, "        %s%s %s; %s\n", x, r->mvc ? "uuid" : "tracker",
		r->tracker ? r->tracker : "-", loc_str(ar, &r->loc));
}

static void
text_rules(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->nrules == 0)
		return;
	struct rule_tab *tabs;
	size_t n = rep_site_tabs(ar, s, &tabs);
	fprintf(f, "\nfirewall rules (evaluation order):\n");
	for (size_t t = 0; t < n; t++) {
		fprintf(f, "  %s:\n", tabs[t].title);
		for (size_t i = 0; i < tabs[t].nrules; i++)
			text_rule(f, ar, &s->rules[tabs[t].rules[i]]);
	}
}

static void
text_flags(FILE *f, struct arena *ar, const struct site *s)
{
	const struct sysflags *fl = &s->flags;
	bool swanctl = false;
	for (size_t i = 0; i < s->np1; i++)
		swanctl = swanctl || s->p1[i].swanctl;
	fprintf(f, "\nsystem flags:\n");
	fprintf(f, "  automatic IPsec WAN rules: %s%s%s%s\n",
		fl->disablevpnrules ? "disabled" : "enabled",
		fl->disablevpnrules ? " at " : "",
		fl->disablevpnrules ? loc_str(ar, &fl->disablevpnrules_loc)
				    : "",
		swanctl ? " (legacy tunnels only: none for VPN > IPsec > "
			  "Connections)"
			: "");
	fprintf(f,
		"  negate rules (VPN networks bypass policy routing): "
		"%s\n",
		s->kind == SITE_OPNSENSE
		    ? "none (OPNsense adds no negate rules)"
		: fl->disablenegate ? "disabled"
				    : "enabled");
	if (fl->maxmss_enable)
		fprintf(f,
			"  MSS clamping for VPN networks: on, max-mss %u%s "
			"at %s\n",
			fl->maxmss ? fl->maxmss : 1400,
			fl->maxmss ? "" : " (default)",
			loc_str(ar, &fl->maxmss_loc));
	else
		fprintf(f, "  MSS clamping for VPN networks: off\n");
	fprintf(f, "  state policy: %s\n",
		fl->statepolicy ? fl->statepolicy : "version default");
	fprintf(f, "  IPsec filter mode: %s\n",
		fl->filtermode ? fl->filtermode : "enc (default)");
	fprintf(f, "  outbound NAT mode: %s\n",
		fl->nat_outbound_mode ? fl->nat_outbound_mode
				      : "automatic (default)");
	const char *more = arena_printf(
	    ar, "%s%s%s%s%s",
	    fl->noshuntlaninterfaces ? ", LAN bypass off (noshuntlaninterfaces)"
				     : "",
	    fl->disablereplyto ? ", reply-to off" : "",
	    fl->disablescrub ? ", scrub off" : "",
	    fl->bypassstaticroutes ? ", static route filtering bypass" : "",
	    s->kind == SITE_OPNSENSE
		? (fl->ipsec_enable ? ", IPsec enabled" : ", IPsec not enabled")
		: "");
	if (*more)
		fprintf(f, "  other: %s\n", more + 2);
}

static const char *
prefixes_str(struct arena *ar, const struct prefix *p, size_t n)
{
	char *s = arena_strdup(ar, "");
	for (size_t i = 0; i < n; i++) {
		char pb[PREFIX_STRLEN];
		s = arena_printf(ar, "%s%s%s", s, i ? ", " : "",
				 prefix_format(&p[i], pb));
	}
	return *s ? s : "-";
}

static void
text_ovpn(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->novpn == 0)
		return;
	fprintf(f, "\nOpenVPN:\n");
	for (size_t i = 0; i < s->novpn; i++) {
		const struct openvpn *o = &s->ovpn[i];
		fprintf(f, "  %s %s%s%s%s (%s)%s\n",
			o->server ? "server" : "client",
			o->vpnid ? o->vpnid : "?", o->descr ? " '" : "",
			o->descr ? o->descr : "", o->descr ? "'" : "", o->dev,
			o->disabled ? ", DISABLED" : "");
		fprintf(f, "    tunnel %s\n    remote %s\n    local  %s\n",
			prefixes_str(ar, o->tunnel, o->ntunnel),
			prefixes_str(ar, o->remote, o->nremote),
			prefixes_str(ar, o->local, o->nlocal));
	}
}

static void
text_dhcp(FILE *f, const struct site *s)
{
	bool any = false;
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *x = &s->ifaces[i];
		if (!x->dhcp_enabled && x->dhcp_gateway == NULL)
			continue;
		if (!any)
			fprintf(f, "\nDHCP server:\n");
		any = true;
		fprintf(f, "  %-6s %s, hands out gateway %s\n", x->key,
			x->dhcp_enabled ? "on" : "off",
			x->dhcp_gateway ? x->dhcp_gateway : "(none)");
	}
}

static void
text_groups(FILE *f, const struct site *s)
{
	if (s->ngroups == 0)
		return;
	fprintf(f, "\ninterface groups:\n");
	for (size_t i = 0; i < s->ngroups; i++) {
		fprintf(f, "  %s:", s->groups[i].name);
		for (size_t j = 0; j < s->groups[i].nmembers; j++)
			fprintf(f, " %s", s->groups[i].members[j]);
		fputc('\n', f);
	}
}

static void
text_hosts(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->nhosts == 0)
		return;
	fprintf(f, "\nhosts:\n");
	for (size_t i = 0; i < s->nhosts; i++) {
		const struct host *h = &s->hosts[i];
		char a[ADDR_STRLEN], g[ADDR_STRLEN];
		fprintf(f, "  %s/%u%s%s%s gateway %s%s%s; %s\n",
			ipaddr_format(&h->addr, a), h->plen,
			h->name ? " (" : "", h->name ? h->name : "",
			h->name ? ")" : "",
			h->has_gateway	? ipaddr_format(&h->gateway, g)
			: h->gw_unknown ? "unknown"
					: "none",
			h->ignores_gateway ? " (ignored)" : "",
			h->firewall == HOST_FW_DROP	? ", firewall drops"
			: h->firewall == HOST_FW_REJECT ? ", firewall rejects"
							: "",
			loc_str(ar, &h->loc));
	}
}

static void
text_linux(FILE *f, struct arena *ar, const struct site *s)
{
	if (s->nifaces)
		text_ifaces(f, ar, s);
	text_gateways(f, ar, s);
	if (s->niprules || s->nroutes) {
		fprintf(f, "\nrouting (ip rules in order, then routes with "
			   "their table):\n");
		rep_linux_routing(f, ar, s, "  ");
	}
	text_p1(f, ar, s);
	text_p2(f, ar, s);
	text_aliases(f, ar, s);
	if (s->nchains) {
		fprintf(f, "\nnetfilter (base chains by hook and priority, "
			   "then regular chains):\n");
		rep_linux_chains(f, ar, s, "  ");
	}
}

/* SA status and IPsec daemon log, whatever the site kind. */
static void
text_ipsec_evidence(FILE *f, struct arena *ar, const struct site *s)
{
	size_t nsa = 0, nlog = 0;
	for (size_t i = 0; i < s->ev.nobs; i++) {
		nsa += s->ev.obs[i].kind == OBS_SA;
		nlog += s->ev.obs[i].kind == OBS_IKE_LOG;
	}
	if (nsa) {
		fprintf(f, "\nSA status: %zu child SA%s installed\n", nsa,
			nsa == 1 ? "" : "s");
		rep_linux_evidence(f, ar, s, OBS_SA, "  ", SIZE_MAX);
	}
	if (nlog) {
		fprintf(f, "\nIPsec log: %zu event%s (%s)\n", nlog,
			nlog == 1 ? "" : "s", rep_linux_log_counts(ar, s));
		rep_linux_evidence(f, ar, s, OBS_IKE_LOG, "  ",
				   REP_LINUX_LOG_MAX);
		if (nlog > REP_LINUX_LOG_MAX)
			fprintf(f, "  ... %zu more events\n",
				nlog - REP_LINUX_LOG_MAX);
	}
}

static void
text_site(FILE *f, struct arena *ar, const struct site *s)
{
	fprintf(f, "site %s: %s", s->name,
		s->kind == SITE_PFSENSE	   ? "pfSense"
		: s->kind == SITE_OPNSENSE ? "OPNsense"
		: s->kind == SITE_LINUX	   ? "Linux"
		: s->kind == SITE_CLOUD	   ? "cloud VPN (its stated config)"
					   : "no config");
	if (s->config_version)
		fprintf(f, " config %s", s->config_version);
	if (s->product_version)
		fprintf(f, " (%s)", s->product_version);
	if (s->hostname)
		fprintf(f, ", hostname %s", s->hostname);
	fputc('\n', f);
	for (size_t i = 0; i < s->ninputs; i++)
		fprintf(f, "  input %s: %s%s\n", s->inputs[i].path,
			s->inputs[i].summary
			    ? s->inputs[i].summary
			    : input_kind_name(s->inputs[i].kind),
			s->inputs[i].failed ? " (FAILED)" : "");
	if (s->has_config && s->kind == SITE_LINUX) {
		text_linux(f, ar, s);
		rep_kernel_text(f, ar, s);
	} else if (s->kind == SITE_CLOUD) {
		rep_cloud_text(f, ar, s);
	} else if (s->has_config) {
		text_ifaces(f, ar, s);
		text_groups(f, s);
		text_gateways(f, ar, s);
		text_routes(f, ar, s);
		text_p1(f, ar, s);
		text_p2(f, ar, s);
		text_aliases(f, ar, s);
		text_rules(f, ar, s);
		text_flags(f, ar, s);
		text_ovpn(f, ar, s);
		text_dhcp(f, s);
	}
	text_ipsec_evidence(f, ar, s);
	rep_box_text(f, ar, s);
	text_hosts(f, ar, s);
}

void
rep_site_text(FILE *f, struct arena *ar, struct site **sites, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc('\n', f);
		text_site(f, ar, sites[i]);
	}
}
