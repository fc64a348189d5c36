/* Tracker -> rule: which rule produced a filterlog line
 * (doc/behaviour/pfsense.md §3.3). User rules are found by their tracker in the
 * site's config; pfSense's own rules by their tracker ranges; the line itself
 * (direction, IP version, addresses, protocol) decides between the few system
 * rules that share a range. */
#ifndef IMPORT_LOG_TRACKER_H
#define IMPORT_LOG_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "model/site.h"
#include "util/arena.h"

enum lt_kind {
	LT_NONE,	 /* tracker 0 or empty: package or anchor rule */
	LT_USER,	 /* a user rule of the config */
	LT_DEFAULT_DENY, /* 1000000103..106: no rule matched */
	LT_LINKLOCAL,	 /* 1000000101/102: block 169.254/16 */
	LT_BOGONS,	 /* 11001+ */
	LT_PRIVATE,	 /* 12001+ */
	LT_ANTILOCKOUT,	 /* 10001+ */
	LT_CAPTIVE,	 /* 13001+ */
	LT_NEGATE,	 /* 10000001+ */
	LT_VIRUSPROT,	 /* 1000000400 */
	LT_AUTO_VPN,	 /* automatic IPsec WAN rule range, IKE/ESP */
	LT_SYSTEM,	 /* another pfSense system rule */
	LT_OPNSENSE,	 /* OPNsense rule hash not found in the config */
	LT_UNKNOWN,	 /* a user-rule-like tracker not in the config */
};

/* What the log line says, to tell system rules of one range apart. */
struct lt_context {
	bool known;
	uint8_t ipver, proto;
	enum pkt_dir dir;
	bool block;
	uint16_t sport, dport;
	struct ipaddr src, dst;
};

struct lt_result {
	enum lt_kind kind;
	const struct rule *rule; /* the (first) user rule, or NULL */
	size_t nmatch;		 /* user rules with this tracker; >1: copies */
	const char *descr;	 /* for a person, arena memory */
};

struct lt_result log_tracker_join(struct arena *ar, const struct site *s,
				  const char *tracker,
				  const struct lt_context *ctx);
/* Stable name for JSON: "user", "default-deny", "bogons", ... */
const char *lt_kind_name(enum lt_kind k);

#endif
