/* OPNsense VPN > IPsec > Connections: the <OPNsense><Swanctl> model
 * (models/OPNsense/IPsec/Swanctl.xml, model version 1.0.0, OPNsense 23.1
 * through 25.x; written against opnsense/core master @f95e815) into phase
 * 1 and phase 2 (doc/behaviour/pfsense.md §7).
 *
 * OPNsense writes this model out as swanctl.conf (Swanctl::getConfig()):
 * each enabled Connection is a connection named by its uuid, each enabled
 * local, remote and child whose <connection> names an enabled Connection's
 * uuid becomes its local-<uuid>, remote-<uuid> and children.<uuid>
 * section; the rest is left out. Empty fields are left out too, so
 * strongSwan's defaults apply (local_addrs, remote_addrs %any; local_ts,
 * remote_ts dynamic). Booleans are 0/1. The swanctl settings are then
 * mapped as for a Linux swanctl.conf (swanctl_map.c).
 *
 * Unlike legacy tunnels these get no automatic WAN rules (ipsec_firewall()
 * in plugins.inc.d/ipsec.inc reads <ipsec><phase1> only), and they run
 * only with <ipsec><enable> set, like legacy tunnels. Disabled
 * connections and children are kept, marked disabled, so that a trace can
 * say why a flow is not carried. */
#include <ctype.h>
#include <string.h>

#include "import/pfsense/cfg_internal.h"
#include "import/linux/linux.h"
#include "import/strongswan/swanctl_map.h"

struct osw_conn {
	const struct xnode *n;
	const char *name; /* description, else uuid */
	size_t p1idx;
	bool enabled;
	unsigned nlocal, nremote, nchild; /* enabled, pointing at it */
};

struct osw {
	struct cfg *c;
	struct cfg_map conns; /* uuid -> struct osw_conn */
	struct osw_conn **v;  /* in config order */
	size_t nv, cv;
	unsigned *vti; /* reqids of the enabled VTIs */
	size_t nvti, cvti;
};

/* A BooleanField: 1 or 0, absent = the model default. OPNsense tests
 * empty() (Swanctl::getConfig()), so "" is off and other text on. */
static bool
osw_bool(struct cfg *c, const struct xnode *n, const char *name, bool def)
{
	const struct xnode *e = xml_child(n, name);
	if (e == NULL)
		return def;
	const char *t = e->text ? e->text : "";
	if (*t && strcmp(t, "0") != 0 && strcmp(t, "1") != 0) {
		struct srcloc loc = cfg_loc(c, e);
		diag(DIAG_WARNING, &loc, "%s '%s' is not 0 or 1: read as 1",
		     name, t);
	}
	return *t && strcmp(t, "0") != 0;
}

static void
osw_warn_at(struct cfg *c, const struct xnode *n, const char *field,
	    const char *msg)
{
	const struct xnode *e = xml_child(n, field);
	struct srcloc loc = cfg_loc(c, e ? e : n);
	diag(DIAG_WARNING, &loc, "%s", msg);
}

/* An IKEAddressField entry: address, CIDR, range, %any or a DNS name. */
static bool
ike_addr_ok(struct str t)
{
	struct ipaddr a, b;
	struct prefix p;
	struct str lo, hi;
	if (ipaddr_parse(t, &a) || prefix_parse(t, &p, NULL) ||
	    str_starts(t, "%any"))
		return true;
	if (str_split(t, '-', &lo, &hi) && ipaddr_parse(str_trim(lo), &a) &&
	    ipaddr_parse(str_trim(hi), &b))
		return true;
	if (t.n == 0 || t.n > 253)
		return false;
	for (size_t i = 0; i < t.n; i++)
		if (!isalnum((unsigned char)t.p[i]) && t.p[i] != '.' &&
		    t.p[i] != '-' && t.p[i] != '_')
			return false;
	return true;
}

/* A local_ts / remote_ts entry (NetworkField): a network or address. */
static bool
ts_ok(struct str t)
{
	struct prefix p;
	return t.n == 0 || lx_parse_ts(t, &p);
}

/* A comma list field, NULL when empty: each entry that fails ok() is
 * named ("<field> entry 'x' is not <what>"). local_addrs/remote_addrs
 * then count as %any; a bad selector stays unknown. */
static const char *
osw_list(struct cfg *c, const struct xnode *n, const char *field,
	 bool (*ok)(struct str), const char *what)
{
	const char *t = cfg_str(c, n, field);
	struct str rest = str_from(t ? t : ""), tok;
	while (t && str_next(&rest, ',', &tok)) {
		struct str e = str_trim(tok);
		if (!ok(e))
			osw_warn_at(c, n, field,
				    arena_printf(c->ar,
						 "%s entry '%.*s' is not %s",
						 field, (int)e.n, e.p, what));
	}
	return t;
}

static const char *const ike_addr_what =
    "an address, network, range or host name";
static const char *const ts_what =
    "a network or address: that selector is not known";

/* A reqid (IntegerField 1..65535); NULL when absent or out of range. */
static const char *
osw_reqid(struct cfg *c, const struct xnode *n, const char *what, unsigned *out)
{
	const char *t = cfg_str(c, n, "reqid");
	*out = 0;
	if (t && (!cfg_uint(t, 65535, out) || *out == 0)) {
		osw_warn_at(
		    c, n, "reqid",
		    arena_printf(c->ar,
				 "%s reqid '%s' is not a number from 1 to "
				 "65535: ignored",
				 what, t));
		*out = 0;
		return NULL;
	}
	return t;
}

/* The uuid of an item, "" when it has none. */
static const char *
osw_uuid(const struct xnode *n)
{
	const char *u = xml_attr(n, "uuid");
	return u ? u : "";
}

static const char *
osw_name(struct cfg *c, const struct xnode *n)
{
	const char *d = cfg_str(c, n, "description");
	return d ? d : *osw_uuid(n) ? osw_uuid(n) : "(no uuid)";
}

/* The Connection an item's <connection> names; NULL with a warning. */
static struct osw_conn *
osw_parent(struct osw *o, const struct xnode *n, const char *what)
{
	struct cfg *c = o->c;
	const char *ref = cfg_str(c, n, "connection");
	struct osw_conn *oc = ref ? cfg_map_get(&o->conns, ref) : NULL;
	if (oc)
		return oc;
	osw_warn_at(
	    c, n, "connection",
	    arena_printf(c->ar,
			 "%s '%s' %s%s: OPNsense leaves it out of swanctl.conf",
			 what, osw_name(c, n),
			 ref ? "refers to a connection that does not exist: "
			     : "names no connection",
			 ref ? ref : ""));
	return NULL;
}

/* Where IKE leaves: the interface holding the first local address, else
 * (no local address: %any) the interface routing to the peer (the
 * default route's for an unknown peer), else the first WAN interface. */
static void
osw_iface(struct cfg *c, const struct osw_conn *oc, struct phase1 *p1)
{
	if (p1->local_known) {
		const struct iface *f = site_iface_for_addr(c->s, &p1->local);
		if (f && site_is_own_addr(c->s, &p1->local))
			p1->iface = f->key;
		else
			osw_warn_at(
			    c, oc->n, "local_addrs",
			    arena_printf(c->ar,
					 "connection '%s': local address %s is "
					 "not an address of this firewall",
					 oc->name,
					 ipaddr_str(c->ar, &p1->local)));
		return;
	}
	struct ipaddr to = {.fam = p1->outer_fam};
	if (p1->peer_known)
		to = p1->peer;
	const struct route *r = route_lookup(c->s, &to);
	if (r && r->iface) {
		p1->iface = r->iface;
		return;
	}
	/* no route known (gateways in <OPNsense><Gateways> are not read):
	 * the first WAN-type interface with an address of that family */
	for (size_t i = 0; i < c->s->nifaces && !p1->iface; i++) {
		const struct iface *f = &c->s->ifaces[i];
		for (size_t j = 0;
		     f->role == ROLE_WAN && f->enabled && j < f->naddrs; j++)
			if (f->addrs[j].addr.fam == p1->outer_fam)
				p1->iface = f->key;
	}
}

static void
osw_connection(struct osw *o, const struct xnode *n)
{
	struct cfg *c = o->c;
	struct srcloc loc = cfg_loc(c, n);
	const char *uuid = osw_uuid(n);
	if (*uuid == '\0') {
		diag(DIAG_WARNING, &loc,
		     "connection without a uuid "
		     "attribute: no child can refer to it; skipped");
		return;
	}
	if (cfg_map_get(&o->conns, uuid)) {
		diag(DIAG_WARNING, &loc,
		     "connection %s is defined twice: the "
		     "first one is read",
		     uuid);
		return;
	}
	struct osw_conn *oc = arena_alloc(c->ar, sizeof(*oc));
	oc->n = n;
	oc->name = osw_name(c, n);
	oc->enabled = osw_bool(c, n, "enabled", true);
	/* one statement each: diagnostics come out in field order */
	struct swc_conn sc = {.name = uuid, .loc = loc};
	sc.descr = cfg_str(c, n, "description");
	sc.version = cfg_str(c, n, "version");
	sc.version_loc = cfg_loc(c, xml_child(n, "version"));
	unsigned v;
	if (sc.version && !cfg_uint(sc.version, 2, &v)) {
		diag(DIAG_WARNING, &sc.version_loc,
		     "version '%s' is not 0, 1 "
		     "or 2",
		     sc.version); /* here, before the addresses' */
		sc.version = NULL;
	}
	sc.local_addrs =
	    osw_list(c, n, "local_addrs", ike_addr_ok, ike_addr_what);
	sc.remote_addrs =
	    osw_list(c, n, "remote_addrs", ike_addr_ok, ike_addr_what);
	sc.proposals = cfg_str(c, n, "proposals"); /* NULL: default */
	sc.encap = osw_bool(c, n, "encap", false) ? "yes" : "no";
	oc->p1idx = swc_phase1(c->ar, c->s, &sc);
	struct phase1 *p1 = &c->s->p1[oc->p1idx];
	p1->swanctl = p1->splitconn = true;
	p1->disabled = !oc->enabled;
	osw_iface(c, oc, p1);
	cfg_map_put(c->ar, &o->conns, uuid, oc);
	*ARENA_PUSH(c->ar, o->v, o->nv, o->cv) = oc;
}

/* locals / remotes: only counted (authentication is not modelled). */
static void
osw_auths(struct osw *o, const struct xnode *list, const char *item,
	  bool remote)
{
	for (const struct xnode *n = xml_child(list, item); n;
	     n = xml_next_named(n)) {
		struct osw_conn *oc = osw_parent(
		    o, n,
		    remote ? "remote authentication" : "local authentication");
		if (oc && osw_bool(o->c, n, "enabled", true))
			++*(remote ? &oc->nremote : &oc->nlocal);
	}
}

static const char *
osw_mode(struct cfg *c, const struct xnode *n)
{
	static const char *const modes[] = {"tunnel", "transport", "pass",
					    "drop"};
	const char *m = cfg_str(c, n, "mode");
	for (size_t i = 0; m && i < sizeof(modes) / sizeof(*modes); i++)
		if (strcmp(m, modes[i]) == 0)
			return m;
	if (m)
		osw_warn_at(
		    c, n, "mode",
		    arena_printf(c->ar,
				 "child '%s': mode '%s' is not tunnel, "
				 "transport, pass or drop: read as tunnel",
				 osw_name(c, n), m));
	return NULL;
}

static bool
osw_has_vti(const struct osw *o, unsigned reqid)
{
	for (size_t i = 0; i < o->nvti; i++)
		if (o->vti[i] == reqid)
			return true;
	return false;
}

/* Policies off: nothing enters the CHILD_SA but what is routed into the
 * VTI (ipsec<reqid>) with the child's reqid. */
static void
osw_route_based(struct osw *o, const struct xnode *n, size_t first,
		unsigned reqid)
{
	struct cfg *c = o->c;
	for (size_t i = first; i < c->s->np2; i++)
		c->s->p2[i].mode = P2_VTI;
	if (c->s->p2[first].disabled || (reqid && osw_has_vti(o, reqid)))
		return;
	osw_warn_at(c, n, "policies",
		    arena_printf(
			c->ar,
			"child '%s' installs no IPsec policies (Policies off) "
			"and %s: nothing sends traffic into it",
			osw_name(c, n),
			reqid ? arena_printf(
				    c->ar, "no enabled VTI has reqid %u", reqid)
			      : "has no reqid for a VTI to use"));
}

static void
osw_child(struct osw *o, const struct xnode *n)
{
	struct cfg *c = o->c;
	struct osw_conn *oc = osw_parent(o, n, "child");
	if (oc == NULL)
		return;
	bool enabled = osw_bool(c, n, "enabled", true);
	oc->nchild += enabled;
	unsigned reqid;
	/* one statement each: diagnostics come out in field order */
	struct swc_child ch = {.name = osw_name(c, n), .loc = cfg_loc(c, n)};
	ch.uniqid = *osw_uuid(n) ? osw_uuid(n) : NULL;
	ch.reqid = osw_reqid(c, n, "child", &reqid);
	ch.esp_proposals = cfg_str(c, n, "esp_proposals");
	/* absent: the model's default; empty: strongSwan's (none) */
	ch.start_action = cfg_str(c, n, "start_action");
	if (!xml_has(n, "start_action"))
		ch.start_action = "start";
	ch.dpd_action = cfg_str(c, n, "dpd_action");
	ch.close_action = cfg_str(c, n, "close_action");
	ch.mode = osw_mode(c, n);
	ch.local_ts = osw_list(c, n, "local_ts", ts_ok, ts_what);
	ch.remote_ts = osw_list(c, n, "remote_ts", ts_ok, ts_what);
	/* "dynamic": the outer address, the interface's when %any */
	const struct phase1 *p1 = &c->s->p1[oc->p1idx];
	struct ipaddr own = p1->local;
	bool own_known = p1->local_known || p1_local_addr(c->s, p1, &own);
	size_t first = c->s->np2;
	if (swc_children(c->ar, c->s, oc->p1idx, &ch, &own, own_known) == 0)
		return;
	for (size_t i = first; i < c->s->np2; i++)
		c->s->p2[i].disabled = !enabled;
	if (!osw_bool(c, n, "policies", true))
		osw_route_based(o, n, first, reqid);
}

static void
osw_vtis(struct osw *o, const struct xnode *sw)
{
	const struct xnode *n = xml_path(sw, "VTIs/VTI");
	for (; n; n = xml_next_named(n)) {
		unsigned reqid;
		if (osw_bool(o->c, n, "enabled", true) &&
		    osw_reqid(o->c, n, "VTI", &reqid))
			*ARENA_PUSH(o->c->ar, o->vti, o->nvti, o->cvti) = reqid;
	}
}

/* What keeps an enabled connection from carrying traffic on its own. */
static void
osw_conn_notes(struct cfg *c, const struct osw_conn *oc)
{
	struct srcloc loc = cfg_loc(c, oc->n);
	if (!oc->enabled)
		return;
	if (oc->nchild == 0)
		diag(DIAG_NOTE, &loc,
		     "connection '%s' has no enabled child: "
		     "it carries no traffic",
		     oc->name);
	if (oc->nlocal == 0 || oc->nremote == 0)
		diag(DIAG_NOTE, &loc,
		     "connection '%s' has no enabled %s "
		     "authentication",
		     oc->name,
		     oc->nlocal	   ? "remote"
		     : oc->nremote ? "local"
				   : "local or remote");
}

static void
osw_notes(struct osw *o, const struct xnode *sw)
{
	struct cfg *c = o->c;
	size_t on = 0, spd = 0;
	for (size_t i = 0; i < o->nv; i++) {
		osw_conn_notes(c, o->v[i]);
		on += o->v[i]->enabled;
	}
	const struct xnode *n = xml_path(sw, "SPDs/SPD");
	for (; n; n = xml_next_named(n))
		spd += osw_bool(c, n, "enabled", true);
	struct srcloc loc = cfg_loc(c, sw);
	if (spd)
		diag(DIAG_NOTE, &loc,
		     "%zu manual SPD entr%s (VPN > IPsec > "
		     "Manual SPD) not modelled",
		     spd, spd == 1 ? "y" : "ies");
	if (on == 0)
		return;
	if (!c->s->flags.ipsec_enable)
		diag(DIAG_NOTE, &loc,
		     "IPsec is not enabled (<ipsec><enable/> "
		     "absent): OPNsense starts none of the %zu connection%s "
		     "of VPN > IPsec > Connections",
		     on, on == 1 ? "" : "s");
	cfg_enc0(c, sw);
}

void
cfg_opnsense_swanctl(struct cfg *c)
{
	const struct xnode *sw = xml_path(c->root, "OPNsense/Swanctl");
	if (sw == NULL)
		return;
	struct osw o = {.c = c};
	osw_vtis(&o, sw);
	const struct xnode *n = xml_path(sw, "Connections/Connection");
	for (; n; n = xml_next_named(n))
		osw_connection(&o, n);
	osw_auths(&o, xml_child(sw, "locals"), "local", false);
	osw_auths(&o, xml_child(sw, "remotes"), "remote", true);
	for (n = xml_path(sw, "children/child"); n; n = xml_next_named(n))
		osw_child(&o, n);
	osw_notes(&o, sw);
	/* s->p1 may have moved: every phase 2 finds its phase 1 again */
	lx_resolve(c->s);
}
