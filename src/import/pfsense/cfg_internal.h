/* Shared by the pfSense/OPNsense config.xml importer's files. */
#ifndef IMPORT_CFG_INTERNAL_H
#define IMPORT_CFG_INTERNAL_H

#include "import/load.h"
#include "import/xml.h"

/* Name -> pointer lookup for aliases and interfaces (many rules refer to
 * few names; a linear scan per rule end is too slow on big configs). */
struct cfg_map {
	const char **keys;
	void **vals;
	size_t cap, n;
};

struct cfg {
	struct arena *ar;
	struct site *s;
	const char *file;
	const struct xnode *root;
	bool opnsense;
	struct cfg_map aliases;	    /* name -> struct alias index + 1 */
	unsigned char *alias_state; /* 0 new, 1 resolving, 2 done */
};

/* The value slot of k, inserted (NULL) when absent. */
void **cfg_map_slot(struct arena *ar, struct cfg_map *m, const char *k);
/* Sets k to v unless k already has a value. */
/* The import proper, on a parsed tree (the fuzz target enters here). */
bool cfg_import_tree(struct arena *ar, const struct xnode *root,
		     struct input_file *in, struct site *s);

void cfg_map_put(struct arena *ar, struct cfg_map *m, const char *k, void *v);
void *cfg_map_get(const struct cfg_map *m, const char *k);

struct srcloc cfg_loc(const struct cfg *c, const struct xnode *n);
/* Text of a child, NULL when absent or empty. */
const char *cfg_str(const struct cfg *c, const struct xnode *n,
		    const char *name);
/* Presence boolean; OPNsense MVC style "0" counts as off. */
bool cfg_flag(const struct xnode *n, const char *name);
bool cfg_uint(const char *s, unsigned max, unsigned *out);
/* Upper-cased copy. */
const char *cfg_upper(struct arena *ar, const char *s);

/* The subnets (or, with host_only, the addresses) of interface key or
 * interface group name; false when unknown or without static address. */
bool cfg_iface_nets(struct cfg *c, const char *key, bool host_only,
		    struct addrset *out);
/* A network macro of a rule (lan, lanip, (self), group); false when it
 * is not one. *text gets its GUI wording ("LAN net"). */
bool cfg_net_macro(struct cfg *c, const char *m, struct addrset *out,
		   bool *resolved, const char **text);

void cfg_aliases(struct cfg *c);
/* The servers the firewall's own services send to (cfg_selfsvc.c). */
void cfg_self_services(struct cfg *c);
/* Resolved alias by name (NULL when none). */
struct alias *cfg_alias(struct cfg *c, const char *name);
/* Address list text (CIDR, IP, alias names), comma or blank separated,
 * added to out; false when some part is not resolvable offline. */
bool cfg_addr_list(struct cfg *c, const char *list, struct addrset *out,
		   const struct srcloc *loc, const char *what);

/* Rule fields shared by <filter> rules (cfg_rules.c) and OPNsense's MVC
 * rules (cfg_opnsense_filter.c). */
/* Protocol p ("any", "tcp/udp", a name or number) into r->protos;
 * an unknown name is warned about and read as any. */
void cfg_rule_proto(struct cfg *c, struct rule *r, const char *p,
		    const struct srcloc *loc);
/* ICMP type names (or numbers), comma separated, into out. */
void cfg_icmp_types(struct protoset *out, const char *t, bool v6,
		    const struct srcloc *loc);
/* TCP, UDP or SCTP only: the protocols with ports. */
bool cfg_rule_has_ports(const struct rule *r);
/* A port, a range lo-hi or a port alias added to e->ports; false, with
 * nothing added and nothing printed, when t is none of them. */
bool cfg_port_value(struct cfg *c, struct rule_end *e, const char *t);
/* An address, a network or an address alias added to e->addrs; false,
 * with nothing added and nothing printed, when t is none of them. */
bool cfg_addr_value(struct cfg *c, struct rule_end *e, const char *t);

void cfg_ipsec(struct cfg *c);
/* <cert>, <ca> and each phase 1's certref/caref (cfg_certs.c). */
void cfg_certs(struct cfg *c);
/* <gateways><gateway_group> named name, or NULL. */
const struct xnode *cfg_gateway_group(const struct cfg *c, const char *name);
/* A phase 1 <interface> that is a VIP, OPNsense's X_vipN or a gateway
 * group: p->iface becomes the parent interface, p->local the address
 * (doc/behaviour/pf-ruleset.md §5). */
void cfg_p1_bind(struct cfg *c, struct phase1 *p, const struct xnode *n);
/* The interface a VIP named _vip<uniqid> sits on (an IP alias on a CARP
 * VIP: the CARP's); any other name unchanged. */
const char *cfg_vip_parent(struct cfg *c, const char *name);
/* Adds enc0, the IPsec tab (located at `at`), unless the site has it. */
void cfg_enc0(struct cfg *c, const struct xnode *at);
/* OPNsense VPN > IPsec > Connections (<OPNsense><Swanctl>); needs the
 * routes (a connection without local address uses the interface that
 * routes to its peer). */
void cfg_opnsense_swanctl(struct cfg *c);
void cfg_rules(struct cfg *c);
void cfg_opnsense_aliases(struct cfg *c);
/* Firewall > Automation > Filter rules, after cfg_rules(). */
void cfg_opnsense_filter(struct cfg *c);
void cfg_opnsense_scrub(struct cfg *c);

#endif
