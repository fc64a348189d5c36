/* OPNsense's MVC firewall rules: Firewall > Automation > Filter (24.1 to
 * 25.7; "Firewall > Rules [new]" in 26.1, "Firewall > Rules" from 26.7),
 * <OPNsense><Firewall><Filter><rules><rule uuid="..">. Written against
 * opnsense/core 24.1 .. 26.7 (master @f95e815), files under
 * src/opnsense/mvc/app/ unless a path says otherwise:
 *   models/OPNsense/Firewall/Filter.xml      fields and their defaults
 *   models/OPNsense/Firewall/FieldTypes/FilterRuleField.php
 *                       serialize() (the rule as the generator sees it)
 *                       and getPriority() (where pf gets it)
 *   library/OPNsense/Firewall/Rule.php       reader(): one pf rule per
 *                       interface x source x destination x family;
 *                       mapAddressInfo(): what a network or port means
 *   library/OPNsense/Firewall/FilterRule.php parseFilterRules()
 *   src/etc/inc/plugins.inc.d/pf.inc         pf_firewall(): registered
 *                       in sortedBy(['sequence']) order
 *   src/etc/inc/filter.lib.inc               filter_core_rules_user():
 *                       the <filter> rules' priorities
 * The rules are appended to site->rules in OPNsense's registration
 * order, each with its pf priority (r->prio); engine/ruleset.c
 * interleaves them with the <filter> rules by that priority. What the
 * generator would comment out (an unknown interface, address or port)
 * is left out here too, with a diagnostic; a value pfctl would refuse
 * (so that the whole ruleset fails to load) is named as such. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "import/pfsense/cfg_internal.h"

enum {
	PRIO_FLOATING = 200000,
	PRIO_GROUP = 300000,
	PRIO_IFACE = 400000,
	PRIO_INVALID = 600000, /* no interface of the rule exists (master) */
	SEQ_MAX = 999999,      /* FilterSequenceField, 25.7 and later */
	SORT_WIDTH = 30,       /* ArrayField::sortedBy() $MAX_KEY_LENGTH */
};

/* The rule in a diagnostic: its description, else its uuid. */
static const char *
who(struct cfg *c, const struct rule *r)
{
	if (r->descr)
		return arena_printf(c->ar, "rule '%s'", r->descr);
	if (r->tracker)
		return arena_printf(c->ar, "rule %s", r->tracker);
	return "a rule without description or uuid";
}

/* ---- the order: ArrayField::sortedBy(['sequence']) ---- */

/* PHP's compare_right()/compare_left() of ext/standard/strnatcmp.c: a
 * run of digits compared by value (longest run wins), or digit by digit
 * when one of the runs starts with 0. */
static int
nat_run(const char **a, const char **b, bool left)
{
	int bias = 0;
	for (;; (*a)++, (*b)++) {
		bool da = isdigit((unsigned char)**a) != 0;
		bool db = isdigit((unsigned char)**b) != 0;
		if (!da && !db)
			return bias;
		if (!da)
			return -1;
		if (!db)
			return 1;
		int d = (**a > **b) - (**a < **b);
		if (left && d)
			return d;
		if (bias == 0)
			bias = d;
	}
}

/* PHP's strnatcasecmp(), what ksort(SORT_NATURAL | SORT_FLAG_CASE) in
 * sortedBy() uses: blanks skipped, digit runs by value, letters without
 * case. */
static int
nat_cmp(const char *a, const char *b)
{
	if (*a == '\0' || *b == '\0')
		return (*a != '\0') - (*b != '\0');
	while (*a == '0' && isdigit((unsigned char)a[1]))
		a++;
	while (*b == '0' && isdigit((unsigned char)b[1]))
		b++;
	for (;;) {
		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (*a == '\0' || *b == '\0')
			return (*a != '\0') - (*b != '\0');
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			int r = nat_run(&a, &b, *a == '0' || *b == '0');
			if (r)
				return r;
			if (*a == '\0' || *b == '\0')
				return (*a != '\0') - (*b != '\0');
		}
		int ca = toupper((unsigned char)*a),
		    cb = toupper((unsigned char)*b);
		if (ca != cb)
			return ca < cb ? -1 : 1;
		a++, b++;
		if (*a == '\0' || *b == '\0')
			return (*a != '\0') - (*b != '\0');
	}
}

/* PHP's is_numeric() for a trimmed string: [+-]digits[.digits][e[+-]N]. */
static bool
php_numeric(const char *s)
{
	bool digits = false;
	if (*s == '+' || *s == '-')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits = true;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits = true;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

struct pending {
	struct rule r;
	const char *key; /* sortedBy()'s key: padded sequence, ',', uuid */
};

static int
pending_cmp(const void *x, const void *y)
{
	const struct pending *a = x, *b = y;
	int r = nat_cmp(a->key, b->key);
	return r ? r : strcmp(a->key, b->key);
}

/* The sequence: its number for people, and sortedBy()'s key (numbers
 * right-aligned, anything else left-aligned in SORT_WIDTH, then the
 * uuid, which breaks ties). */
static void
mvc_sequence(struct cfg *c, const struct xnode *n, struct pending *p,
	     size_t idx)
{
	const struct xnode *x = xml_child(n, "sequence");
	/* an absent field keeps the model's default, 1 */
	const char *t = x == NULL ? "1" : x->text ? x->text : "";
	uint64_t v = 0;
	bool ok = str_to_u64(str_from(t), SEQ_MAX, &v) && v >= 1;
	struct rule *r = &p->r;
	r->sequence = ok ? (unsigned)v : 0;
	if (x && !ok) {
		struct srcloc loc = cfg_loc(c, x);
		diag(DIAG_WARNING, &loc,
		     "%s: sequence '%s' is not a number from 1 to %d "
		     "(OPNsense refuses to save it); ordered where OPNsense's "
		     "sort puts it (%s)",
		     who(c, r), t, SEQ_MAX,
		     *t == '\0'	      ? "before every numbered rule"
		     : php_numeric(t) ? "by its value"
				      : "after the numbered rules");
	}
	const char *uuid = xml_attr(n, "uuid");
	p->key = arena_printf(c->ar, php_numeric(t) ? "%*s,%s" : "%-*s,%s",
			      SORT_WIDTH, t,
			      uuid ? uuid : arena_printf(c->ar, "~%08zu", idx));
}

/* ---- fields ---- */

/* A BooleanField: "1" on, "0" or empty off, absent the model's default;
 * anything else counts as on (FilterRuleField::serialize(): !empty()). */
static bool
mvc_bool(struct cfg *c, const struct rule *r, const struct xnode *n,
	 const char *name, bool def)
{
	const struct xnode *x = xml_child(n, name);
	if (x == NULL)
		return def;
	const char *t = x->text ? x->text : "";
	if (*t == '\0' || strcmp(t, "0") == 0)
		return false;
	if (strcmp(t, "1") != 0) {
		struct srcloc loc = cfg_loc(c, x);
		diag(DIAG_WARNING, &loc,
		     "%s: %s '%s' is not 0 or 1: read as 1, as OPNsense does",
		     who(c, r), name, t);
	}
	return true;
}

/* A value pfctl refuses: OPNsense writes it into the ruleset as it is,
 * and the whole ruleset fails to load. The rule is left out here. */
static void
refused(struct cfg *c, struct rule *r, const struct xnode *n, const char *what,
	const char *value, const char *expected)
{
	struct srcloc loc = cfg_loc(c, n);
	diag(DIAG_WARNING, &loc,
	     "%s: %s '%s' is not %s: OPNsense writes it into the pf ruleset "
	     "as it is and pfctl refuses the whole ruleset (the firewall "
	     "keeps its previous rules); the rule is left out here",
	     who(c, r), what, value, expected);
	if (r->not_loaded == NULL)
		r->not_loaded = arena_printf(
		    c->ar, "%s '%s' makes pfctl refuse the ruleset", what,
		    value);
}

/* The generator comments the rule (or its copy for this value) out. */
static void
left_out(struct cfg *c, struct rule *r, const struct srcloc *loc,
	 const char *why, bool whole)
{
	diag(DIAG_WARNING, loc,
	     "%s: %s: OPNsense leaves %s out of the pf "
	     "ruleset",
	     who(c, r), why, whole ? "the rule" : "this part of the rule");
	if (whole && r->not_loaded == NULL)
		r->not_loaded = why;
}

/* An OptionField value: absent is the model's default, empty is what
 * the generator makes of "" (dflt_empty), other values pfctl refuses. */
static int
mvc_option(struct cfg *c, struct rule *r, const struct xnode *n,
	   const char *name, const char *const *opts, int dflt, int dflt_empty,
	   const char *expected)
{
	const struct xnode *x = xml_child(n, name);
	if (x == NULL)
		return dflt;
	const char *t = x->text ? x->text : "";
	if (*t == '\0')
		return dflt_empty;
	for (int i = 0; opts[i]; i++)
		if (strcmp(t, opts[i]) == 0)
			return i;
	refused(c, r, x, name, t, expected);
	return dflt;
}

static bool
is_group(struct cfg *c, const char *k, unsigned *seq)
{
	*seq = 0;
	for (size_t i = 0; i < c->s->ngroups; i++)
		if (strcmp(c->s->groups[i].name, k) == 0) {
			*seq = c->s->groups[i].seq;
			return true;
		}
	/* openvpn, wireguard: plugins register them as <type>group</type> */
	const struct xnode *f = xml_child(xml_child(c->root, "interfaces"), k);
	const char *type = xml_text(f, "type");
	return type && strcmp(type, "group") == 0;
}

/* The interfaces the generator knows: enabled ones and groups
 * (filter.lib.inc: legacy_config_get_interfaces(['enable' => true])). */
static bool
iface_known(struct cfg *c, const char *k)
{
	unsigned seq;
	const struct iface *f = site_iface(c->s, k);
	return (f && f->enabled) || is_group(c, k, &seq);
}

/* FilterRuleField::getPriority() (24.1.2 and later; 24.1 and 24.1.1
 * put every Automation rule before all others, 1000-3000) and the
 * interface list, without the ones the generator leaves out. */
static void
mvc_interfaces(struct cfg *c, struct rule *r, const struct xnode *n)
{
	const char *t = cfg_str(c, n, "interface");
	const char **listed = NULL, **unknown = NULL;
	size_t nlisted = 0, clisted = 0, nunknown = 0, cunknown = 0;
	bool exists = false;
	struct str rest = str_from(t ? t : ""), tok;
	while (str_next(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		const char *k = arena_strndup(c->ar, tok.p, tok.n);
		*ARENA_PUSH(c->ar, listed, nlisted, clisted) = k;
		unsigned seq;
		exists = exists || site_iface(c->s, k) || is_group(c, k, &seq);
		if (iface_known(c, k))
			*ARENA_PUSH(c->ar, r->ifaces, r->nifaces, r->cifaces) =
			    k;
		else
			*ARENA_PUSH(c->ar, unknown, nunknown, cunknown) = k;
	}
	struct srcloc loc = cfg_loc(c, xml_child(n, "interface"));
	for (size_t i = 0; i < nunknown; i++)
		left_out(c, r, &loc,
			 arena_printf(c->ar,
				      "interface '%s' is not an enabled "
				      "interface or group of this config",
				      unknown[i]),
			 r->nifaces == 0);
	if (nlisted && r->nifaces == 0) {
		r->not_loaded = "none of its interfaces is enabled in this "
				"config";
		r->ifaces = listed; /* as written, for people */
		r->nifaces = r->cifaces = nlisted;
	}
	unsigned seq = 0;
	if (nlisted && !exists)
		r->prio = PRIO_INVALID;
	else if (nlisted != 1 || r->ifaces_negate)
		r->prio = PRIO_FLOATING;
	else if (is_group(c, listed[0], &seq))
		r->prio = PRIO_GROUP + seq;
	else
		r->prio = PRIO_IFACE;
}

/* ---- addresses and ports: Rule.php mapAddressInfo() ---- */

static const char *const runtime_tables[] = {"bogons", "bogonsv6", "virusprot",
					     "sshlockout", NULL};

/* lanip, wanip, optNip: the only "...ip" names the generator maps. */
static bool
ip_macro(const char *v)
{
	size_t n = strlen(v);
	if (n < 3 || strcmp(v + n - 2, "ip") != 0)
		return false;
	if (n == 5 && (strncmp(v, "lan", 3) == 0 || strncmp(v, "wan", 3) == 0))
		return true;
	if (n < 6 || strncmp(v, "opt", 3) != 0)
		return false;
	for (size_t i = 3; i < n - 2; i++)
		if (!isdigit((unsigned char)v[i]))
			return false;
	return true;
}

/* One value of source_net/destination_net: false when the generator
 * cannot convert it. An alias name wins over an interface name. */
static bool
mvc_net(struct cfg *c, const char *v, struct rule_end *e)
{
	if (strcmp(v, "any") == 0) {
		e->addrs = addrset_any(c->ar);
		e->text = "any";
		return true;
	}
	e->text = v;
	if (cfg_addr_value(c, e, v))
		return true;
	for (size_t i = 0; runtime_tables[i]; i++)
		if (strcmp(v, runtime_tables[i]) == 0) {
			e->partial = true; /* filled at runtime */
			return true;
		}
	/* the interface named: lan, lanip, __lan_network (the 25.7+
	 * InterfaceNetworkAliases), or none for (self) */
	size_t n = strlen(v);
	const char *macro = v, *key = v;
	if (n > 10 && strncmp(v, "__", 2) == 0 &&
	    strcmp(v + n - 8, "_network") == 0)
		macro = key = arena_strndup(c->ar, v + 2, n - 10);
	else if (ip_macro(v))
		key = arena_strndup(c->ar, v, n - 2);
	else if (strcmp(v, "(self)") == 0)
		key = NULL;
	if (key && !iface_known(c, key))
		return false;
	bool resolved = true;
	if (!cfg_net_macro(c, macro, &e->addrs, &resolved, &e->text))
		return false;
	e->partial = e->partial || !resolved;
	return true;
}

/* source_net or destination_net with its _not: one pf rule per listed
 * value, each negated on its own. */
static void
mvc_end(struct cfg *c, struct rule *r, const struct xnode *n, const char *field,
	bool negate, struct rule_end *e)
{
	const char *t = cfg_str(c, n, field);
	struct srcloc loc =
	    cfg_loc(c, xml_child(n, field) ? xml_child(n, field) : n);
	struct str rest = str_from(t ? t : "any"), tok;
	size_t kept = 0, listed = 0;
	bool any = false;
	const char *text = NULL;
	while (str_next(&rest, ',', &tok)) {
		tok = str_trim(tok);
		if (tok.n == 0)
			continue;
		listed++;
		struct rule_end one = {0};
		const char *v = arena_strndup(c->ar, tok.p, tok.n);
		if (!mvc_net(c, v, &one)) {
			left_out(c, r, &loc,
				 arena_printf(c->ar,
					      "%s '%s' is not an "
					      "address, network, interface or "
					      "alias",
					      field, v),
				 false);
			continue;
		}
		any = any || strcmp(v, "any") == 0;
		e->partial = e->partial || one.partial;
		text = text ? arena_printf(c->ar, "%s,%s", text, one.text)
			    : one.text;
		/* negated: !A or !B or ... = everything but A and B's common
		 * part; plain: A or B or ... */
		e->addrs = kept == 0 ? one.addrs
			   : negate
			       ? addrset_intersect(c->ar, &e->addrs, &one.addrs)
			       : addrset_union(c->ar, &e->addrs, &one.addrs);
		kept++;
	}
	if (kept == 0) {
		e->addrs = (struct addrset){0};
		e->text = t;
		if (listed)
			r->not_loaded =
			    arena_printf(c->ar, "no usable %s", field);
		return;
	}
	e->text = text;
	e->negate = negate && !any; /* "any" is never negated */
	if (any)
		e->addrs = addrset_any(c->ar);
	if (e->negate && kept > 1)
		diag(DIAG_WARNING, &loc,
		     "%s: %s is a negated list: OPNsense makes one rule per "
		     "network, each matching everything outside its own "
		     "network, so together they match all but what the "
		     "networks have in common (use an alias to exclude them "
		     "all)",
		     who(c, r), field);
}

/* The service names PortField accepts (models/OPNsense/Base/FieldTypes/
 * PortField.php $wellknownservices); others are not ports to it. */
static const char *const wellknown[] = {"cvsup",	"domain",
					"ftp",		"hbci",
					"http",		"https",
					"aol",		"auth",
					"imap",		"imaps",
					"ipsec-msft",	"isakmp",
					"l2f",		"ldap",
					"ms-streaming", "afs3-fileserver",
					"microsoft-ds", "ms-wbt-server",
					"wins",		"msnp",
					"nntp",		"ntp",
					"netbios-dgm",	"netbios-ns",
					"netbios-ssn",	"openvpn",
					"pop3",		"pop3s",
					"pptp",		"radius",
					"radius-acct",	"avt-profile-1",
					"sip",		"smtp",
					"igmpv3lite",	"urd",
					"snmp",		"snmptrap",
					"ssh",		"nat-stun-port",
					"submission",	"teredo",
					"telnet",	"tftp",
					"rfb",		NULL};

/* A port, "lo-hi" or "lo:hi" (one end may be "any"), a service name
 * or a port alias; false when the generator cannot map it. */
static bool
mvc_port_value(struct cfg *c, struct rule_end *e, const char *t)
{
	if (cfg_port_value(c, e, t))
		return true;
	for (size_t i = 0; wellknown[i]; i++)
		if (strcmp(t, wellknown[i]) == 0) {
			unsigned p = (unsigned)service_port(str_from(t));
			portset_add(c->ar, &e->ports, p, p);
			return true;
		}
	char *v = arena_strdup(c->ar, t);
	char *sep = strpbrk(v, ":-");
	if (sep == NULL)
		return false;
	*sep = '-';
	bool lo_any = sep == v + 3 && strncmp(v, "any", 3) == 0;
	bool hi_any = strcmp(sep + 1, "any") == 0;
	if (hi_any && !lo_any)
		v = arena_printf(c->ar, "%.*s-65535", (int)(sep - v), v);
	else if (lo_any && !hi_any)
		v = arena_printf(c->ar, "1-%s", sep + 1);
	return cfg_port_value(c, e, v);
}

static void
mvc_port(struct cfg *c, struct rule *r, const struct xnode *n,
	 const char *field, struct rule_end *e)
{
	const char *t = cfg_str(c, n, field);
	if (t == NULL || strcmp(t, "any") == 0) {
		portset_add(c->ar, &e->ports, 0, 65535);
		return;
	}
	e->port_text = t;
	if (!cfg_rule_has_ports(r)) {
		refused(c, r, xml_child(n, field), field, t,
			"allowed on a rule whose protocol has no ports (only "
			"TCP and UDP have them)");
		portset_add(c->ar, &e->ports, 0, 65535);
		return;
	}
	if (mvc_port_value(c, e, t))
		return;
	struct srcloc loc = cfg_loc(c, xml_child(n, field));
	left_out(c, r, &loc,
		 arena_printf(c->ar,
			      "%s '%s' is not a port, range, service "
			      "name or port alias",
			      field, t),
		 true);
	portset_add(c->ar, &e->ports, 0, 65535);
}

/* ---- one rule ---- */

static void
mvc_proto(struct cfg *c, struct rule *r, const struct xnode *n)
{
	const char *p = cfg_str(c, n, "protocol");
	if (p && strcmp(p, "any") != 0 && strcmp(p, "TCP/UDP") != 0 &&
	    strcmp(p, "tcp/udp") != 0 && proto_from_name(str_from(p)) < 0) {
		refused(c, r, xml_child(n, "protocol"), "protocol", p,
			"a protocol of /etc/protocols");
		p = NULL;
	}
	cfg_rule_proto(c, r, p, &r->loc);
	/* inet46: the IPv6 copy of an ICMP rule is ipv6-icmp */
	if (protoset_has(&r->protos, PROTO_ICMP) && r->fam[FAM_V6] &&
	    !protoset_is_any(&r->protos))
		protoset_add(&r->protos, PROTO_ICMP6);
	if (protoset_is_any(&r->protos) ||
	    (!protoset_has(&r->protos, PROTO_ICMP) &&
	     !protoset_has(&r->protos, PROTO_ICMP6))) {
		r->icmp_any = true;
		return;
	}
	/* icmptype for the IPv4 copy, icmp6type (numbers) for the IPv6 one;
	 * one set holds both, and a family without types lets all pass */
	const char *t4 = r->fam[FAM_V4] ? cfg_str(c, n, "icmptype") : NULL;
	const char *t6 = r->fam[FAM_V6] ? cfg_str(c, n, "icmp6type") : NULL;
	r->icmp_any =
	    (r->fam[FAM_V4] && t4 == NULL) || (r->fam[FAM_V6] && t6 == NULL);
	struct srcloc l4 = cfg_loc(c, xml_child(n, "icmptype"));
	struct srcloc l6 = cfg_loc(c, xml_child(n, "icmp6type"));
	if (!r->icmp_any && t4)
		cfg_icmp_types(&r->icmptypes, t4, false, &l4);
	if (!r->icmp_any && t6)
		cfg_icmp_types(&r->icmptypes, t6, true, &l6);
}

static const char *
mvc_statetype(const char *t)
{
	static const char *const map[][2] = {{"keep", "keep state"},
					     {"sloppy", "sloppy state"},
					     {"modulate", "modulate state"},
					     {"synproxy", "synproxy state"},
					     {"none", "none"}};
	for (size_t i = 0; t && i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(t, map[i][0]) == 0)
			return map[i][1];
	return t;
}

/* Route-to only for pass rules, and only when the gateway's family is
 * the rule's (FilterRule::parseFilterRules()). */
static void
mvc_gateway(struct cfg *c, struct rule *r, const struct xnode *n)
{
	const char *gw = cfg_str(c, n, "gateway");
	if (gw == NULL || r->action != ACT_PASS)
		return;
	r->gateway = gw;
	const struct gateway *g = site_gateway(c->s, gw);
	if (g == NULL) {
		struct srcloc loc = cfg_loc(c, xml_child(n, "gateway"));
		diag(DIAG_NOTE, &loc,
		     "%s: gateway '%s' is not a single gateway of this config "
		     "(a group?): its policy routing is taken as written",
		     who(c, r), gw);
		return;
	}
	/* inet46: only the copy of the gateway's family is loaded */
	if (r->fam[g->fam] && r->fam[!g->fam])
		r->fam[!g->fam] = false;
	else if (!r->fam[g->fam])
		r->not_loaded = "its gateway is of the other address family";
}

/* OPNsense writes every field of the model; a rule without some was
 * edited by hand or damaged, and gets the model's defaults. */
static void
mvc_missing(struct cfg *c, const struct rule *r, const struct xnode *n)
{
	static const char *const required[] = {
	    "enabled",	  "sequence",	     "action",	   "quick",
	    "interface",  "direction",	     "ipprotocol", "protocol",
	    "source_net", "destination_net", NULL};
	const char *miss = NULL;
	for (size_t i = 0; required[i]; i++)
		if (xml_child(n, required[i]) == NULL)
			miss = miss ? arena_printf(c->ar, "%s, <%s>", miss,
						   required[i])
				    : arena_printf(c->ar, "<%s>", required[i]);
	if (miss)
		diag(DIAG_WARNING, &r->loc,
		     "%s lacks %s, which OPNsense always writes: read with "
		     "the model's defaults (enabled, sequence 1, pass, quick, "
		     "every interface, in, inet, any protocol, from any to "
		     "any)",
		     who(c, r), miss);
}

static void
mvc_rule(struct cfg *c, const struct xnode *n, struct pending *p, size_t idx)
{
	static const char *const actions[] = {"pass", "block", "reject", NULL};
	static const char *const dirs[] = {"in", "out", "any", NULL};
	static const char *const fams[] = {"inet", "inet6", "inet46", NULL};
	static const enum rule_action act[] = {ACT_PASS, ACT_BLOCK, ACT_REJECT};
	static const enum rule_dir dir[] = {DIR_IN, DIR_OUT, DIR_ANY};
	struct rule *r = &p->r;
	r->loc = cfg_loc(c, n);
	r->origin = ORIGIN_USER;
	r->mvc = true;
	r->descr = cfg_str(c, n, "description");
	r->tracker = xml_attr(n, "uuid"); /* the pf label, in filterlog */
	mvc_missing(c, r, n);
	mvc_sequence(c, n, p, idx);
	r->disabled = !mvc_bool(c, r, n, "enabled", true);
	r->quick = mvc_bool(c, r, n, "quick", true);
	r->log = mvc_bool(c, r, n, "log", false);
	r->ifaces_negate = mvc_bool(c, r, n, "interfacenot", false);
	r->action = act[mvc_option(c, r, n, "action", actions, 0, 0,
				   "pass, block or reject")];
	r->dir =
	    dir[mvc_option(c, r, n, "direction", dirs, 0, 0, "in, out or any")];
	/* empty: no family keyword, pf matches both */
	int fam = mvc_option(c, r, n, "ipprotocol", fams, 0, 2,
			     "inet, inet6 or inet46");
	r->fam[FAM_V4] = fam != 1;
	r->fam[FAM_V6] = fam != 0;
	mvc_interfaces(c, r, n);
	mvc_proto(c, r, n);
	mvc_end(c, r, n, "source_net", mvc_bool(c, r, n, "source_not", false),
		&r->src);
	mvc_end(c, r, n, "destination_net",
		mvc_bool(c, r, n, "destination_not", false), &r->dst);
	mvc_port(c, r, n, "source_port", &r->src);
	mvc_port(c, r, n, "destination_port", &r->dst);
	mvc_gateway(c, r, n);
	for (unsigned f = 0; f < FAM_COUNT; f++)
		if (!r->fam[f])
			r->src.addrs.fam[f].n = r->dst.addrs.fam[f].n = 0;
	r->statetype = mvc_statetype(cfg_str(c, n, "statetype"));
	if (r->not_loaded)
		r->disabled = true;
	if (r->tracker == NULL)
		diag(DIAG_NOTE, &r->loc,
		     "%s has no uuid: OPNsense gives it a new one on every "
		     "load, so its log lines cannot be joined to it",
		     who(c, r));
}

/* filter_core_rules_user(): floating 200000, a rule on a group of
 * <ifgroups> 300000 + its sequence, any other 400000. */
static void
legacy_prio(struct cfg *c)
{
	for (size_t i = 0; i < c->s->nrules; i++) {
		struct rule *r = &c->s->rules[i];
		unsigned seq = 0;
		bool group = false;
		for (size_t j = 0;
		     !r->floating && r->nifaces && j < c->s->ngroups; j++)
			if (strcmp(c->s->groups[j].name, r->ifaces[0]) == 0) {
				group = true;
				seq = c->s->groups[j].seq;
			}
		r->prio = r->floating ? PRIO_FLOATING
			  : group     ? PRIO_GROUP + seq
				      : PRIO_IFACE;
	}
}

/* Two rules with one uuid: the model keys its items by uuid, so the one
 * loaded last replaces the other [inferred from ArrayField loading]. */
static void
same_uuid(struct cfg *c, struct pending *p, size_t np)
{
	struct cfg_map seen = {0};
	for (size_t i = 0; i < np; i++) {
		struct rule *r = &p[i].r;
		if (r->tracker == NULL)
			continue;
		void **slot = cfg_map_slot(c->ar, &seen, r->tracker);
		struct rule *o = *slot;
		*slot = r;
		if (o == NULL)
			continue;
		bool o_first = o->loc.line != r->loc.line
				   ? o->loc.line < r->loc.line
				   : o->loc.col < r->loc.col;
		struct rule *lost = o_first ? o : r;
		struct rule *kept = lost == o ? r : o;
		*slot = kept;
		char where[300];
		srcloc_format(&kept->loc, where, sizeof(where));
		diag(DIAG_WARNING, &lost->loc,
		     "%s has the uuid of %s (%s): "
		     "OPNsense keeps only the later one",
		     who(c, lost), who(c, kept), where);
		lost->not_loaded = "another rule has its uuid";
		lost->disabled = true;
	}
}

/* "1.0.5" -> 10005 */
static unsigned
model_version(const char *v)
{
	unsigned part[3] = {0, 0, 0};
	char *end;
	for (size_t i = 0; v && *v && i < 3; i++, v = end) {
		part[i] = (unsigned)(strtoul(v, &end, 10) % 100);
		if (end == v)
			break;
		if (*end == '.')
			end++;
	}
	return part[0] * 10000 + part[1] * 100 + part[2];
}

void
cfg_opnsense_filter(struct cfg *c)
{
	legacy_prio(c);
	const struct xnode *f = xml_path(c->root, "OPNsense/Firewall/Filter");
	const struct xnode *n = xml_path(f, "rules/rule");
	if (n == NULL)
		return;
	/* 26.7 (model 1.0.5) dropped the legacy rule pages */
	c->s->automation_page = model_version(xml_attr(f, "version")) >= 10005
				    ? "Firewall > Rules"
				    : "Firewall > Automation > Filter";
	struct pending *p = NULL;
	size_t np = 0, cp = 0;
	for (; n; n = xml_next_named(n)) {
		struct pending *x = ARENA_PUSH(c->ar, p, np, cp);
		mvc_rule(c, n, x, np - 1);
	}
	qsort(p, np, sizeof(*p), pending_cmp);
	same_uuid(c, p, np);
	for (size_t i = 0; i < np; i++) {
		struct rule *r =
		    ARENA_PUSH(c->ar, c->s->rules, c->s->nrules, c->s->crules);
		*r = p[i].r;
		r->position = (unsigned)i + 1;
	}
}
