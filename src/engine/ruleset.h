/* The rules pf evaluates on one interface and direction, in pfSense's
 * order (doc/behaviour/pfsense.md §2.1), system rules included, and their
 * evaluation. */
#ifndef ENGINE_RULESET_H
#define ENGINE_RULESET_H

#include <stdbool.h>
#include <stddef.h>

#include "model/site.h"
#include "model/trace.h"
#include "util/arena.h"

struct rs_index;

struct ruleset {
	const struct rule **r;
	size_t n, cap;
	/* the rules that can match each protocol, built with the ruleset;
	 * NULL: ruleset_eval() scans every rule */
	const struct rs_index *idx;
	/* built from the box's running ruleset (ruleset_running()) */
	bool running;
};

/* Inbound rules for packets entering interface key ifkey. */
struct ruleset ruleset_inbound(struct arena *ar, const struct site *s,
			       const char *ifkey);
/* Outbound rules for packets leaving ifkey. */
struct ruleset ruleset_outbound(struct arena *ar, const struct site *s,
				const char *ifkey);

/* The box's running ruleset (pfctl -vvsr, else rules.debug) as pf
 * evaluates it for packets entering (out false) or leaving ifkey, with
 * tables, self and interface addresses resolved; .n == 0 and .running
 * false when the site has none the engine can use
 * (doc/behaviour/rules-debug.md §4). */
struct ruleset ruleset_running(struct arena *ar, const struct site *s,
			       const char *ifkey, bool out);
/* The file the running ruleset comes from, or NULL when there is none
 * the engine can use. */
const char *ruleset_running_file(const struct site *s);
/* Could a rule of rs whose addresses are not all known (a table filled
 * from a file or by a daemon, a hostname) and that passes (pass) or
 * blocks (!pass) match p? Then the running ruleset cannot tell that
 * verdict apart from its own. */
bool ruleset_unsure(const struct ruleset *rs, const struct packet *p,
		    bool pass);

/* Does the rule match the packet on this interface/direction? Interface
 * and direction are decided by the ruleset; this checks the fields. */
bool rule_matches(const struct rule *r, const struct packet *p);

struct verdict {
	const struct rule *rule; /* the deciding rule; NULL = none matched */
	bool pass;
	unsigned position; /* 1-based index in the evaluated list */
};

/* pf semantics: quick rules decide at first match; otherwise the last
 * matching non-quick rule decides (doc/behaviour/pfsense.md §2.1). */
struct verdict ruleset_eval(const struct ruleset *rs, const struct packet *p);

/* The networks pfSense puts in <vpn_networks>/<negate_networks>
 * (doc/behaviour/pfsense.md §2.4, filter_get_vpns_list()). */
struct addrset vpn_networks(struct arena *ar, const struct site *s);

/* Where pf filters a decrypted tunnel-mode packet of phase 1 p1: enc0,
 * or with filter mode if_ipsec the interface it arrived on
 * (doc/behaviour/pf-ruleset.md §9). */
const char *ruleset_tunnel_filter_iface(const struct site *s,
					const struct phase1 *p1);

/* Is user rule r evaluated on interface ifkey (its tab, a group holding
 * ifkey, a floating list, an OPNsense Automation rule's list or its
 * negation)? Direction and disabled are not looked at. */
bool rule_on_interface(const struct site *s, const struct rule *r,
		       const char *ifkey);

/* "rule 3 on LAN 'allow all' (tracker 1700000001, config.xml:812)";
 * "rule 'x' of Firewall > Automation > Filter (sequence 100, uuid ..,
 * config.xml:90:4)" */
const char *rule_describe(struct arena *ar, const struct site *s,
			  const struct rule *r);
/* The GUI page a user rule is edited on: "Firewall > Rules > IPsec",
 * "Firewall > Automation > Filter". */
const char *rule_page(struct arena *ar, const struct site *s,
		      const struct rule *r);
/* Human name of an interface key: "LAN", "IPsec", "WAN". */
const char *iface_label(const struct site *s, const char *key);

#endif
