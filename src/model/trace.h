/* A traced packet's path: steps in doc/ARCHITECTURE.md §3's vocabulary. The
 * engine builds these; checks and reporters read them. */
#ifndef MODEL_TRACE_H
#define MODEL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/addr.h"
#include "model/finding.h"
#include "model/site.h"

/* One step kind per line (clang-format would pack them). */
/* clang-format off */
#define STEP_KINDS(X) \
	X(ORIGINATED) \
	X(ARP_ON_LINK) \
	X(SENT_TO_GATEWAY) \
	X(RECEIVED) \
	X(FILTER) \
	X(POLICY_ROUTED) \
	X(SPD_MATCH) \
	X(SPD_MISS) \
	X(NAT) \
	X(ENCRYPTED) \
	X(MTU_EXCEEDED) \
	X(ROUTED) \
	X(TRANSMITTED) \
	X(WAN_FILTER) \
	X(DECRYPTED) \
	X(SELECTOR_MISMATCH) \
	X(DELIVERED) \
	X(DENIED_IN) \
	X(DENIED_OUT) \
	X(NO_ROUTE) \
	X(EXITS_NETWORK) \
	X(NEIGHBOR_UNREACHABLE) \
	X(INSUFFICIENT_INFO)
/* clang-format on */

enum step_kind {
#define STEP_ENUM(k) STEP_##k,
	STEP_KINDS(STEP_ENUM)
#undef STEP_ENUM
};

/* The packet as the engine sees it at some point. */
struct packet {
	struct ipaddr src, dst;
	uint8_t proto;
	uint16_t sport, dport;
	uint8_t icmp_type; /* echo request 8 / reply 0 */
	unsigned size;	   /* IP total length */
	bool df;
};

struct step {
	enum step_kind kind;
	const char *site;  /* site name, or "host" */
	const char *iface; /* interface key/descr where it happened */
	const char *what;  /* one line: what decided it */
	const struct rule *rule;
	const struct phase2 *p2;
	const struct route *route;
	struct srcloc loc;     /* config line of what decided it */
	bool failed;	       /* the packet dies here */
	enum finding_id cause; /* failed: the finding it points to */
	bool assumed; /* decided on an assumption (INSUFFICIENT_INFO) */
	/* A pf hop of a site whose running ruleset the engine evaluated
	 * (doc/behaviour/rules-debug.md §4): running; the modelled ruleset
	 * gives the other verdict (model_differs, by model_rule, NULL =
	 * none matched); or the running one could not tell (a table whose
	 * contents the box's files lack) and the modelled one decided. */
	bool running, model_differs, running_unsure;
	const struct rule *model_rule;
	/* A routing hop the box's running table decided (doc/behaviour/
	 * status-archive.md §10); route_differs: the modelled table sends
	 * the packet elsewhere (model_route, NULL = no route). */
	bool route_running, route_differs;
	const struct route *model_route;
};

struct path {
	struct step *steps;
	size_t n, cap;
	enum step_kind disposition; /* last step's kind */
	bool delivered;
	int fail_at; /* index of the failing step, -1 */
};

struct flow_trace {
	struct packet pkt;
	const char *proto_text; /* "icmp", "tcp/445" */
	struct path request, reply;
	bool reply_traced; /* false when the request never arrived */
	/* Evidence shows this flow failing where the model passes it:
	 * "reply: <what the confirmed finding says> (host-gateway)". */
	const char *observed;
	const char **assumptions;
	size_t nassump, cassump;
};

const char *step_kind_name(enum step_kind k);

#endif
