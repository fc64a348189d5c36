/* Is ESP of a tunnel carried in UDP 4500 (NAT traversal), and is an
 * address NAT between the two peers? Decided per tunnel from, in this
 * order, a WAN capture, SA status, the IKE log, then both configs
 * (doc/behaviour/tunnel-path.md §2). */
#ifndef ENGINE_NATT_H
#define ENGINE_NATT_H

#include "model/site.h"
#include "util/arena.h"

enum natt_by {
	NATT_BY_CAPTURE, /* ESP (proto 50) or UDP 4500 between the peers */
	NATT_BY_SA,	 /* SA status: [4500], esp-udp, -in-UDP, encap */
	NATT_BY_LOG,	 /* IKE log: "NAT detected", "behind NAT" */
	NATT_BY_CONFIG,	 /* NAT-T force/off, or the two ends' addresses */
	NATT_BY_ASSUMED, /* nothing shows a NAT */
};

struct natt_verdict {
	bool in_use;	  /* ESP travels in UDP 4500: +8 bytes, WAN 4500 */
	bool nat_between; /* the configs show an address NAT between the
			   * peers: the receiver matches the phase 1 by its
			   * config, not by the sender's own address */
	enum natt_by decided_by;
	const char *citation; /* "wan.pcap#3: ...", "config: ...",
			       * "assumed: ..." */
};

/* The verdict for phase 1 p1 of site s, the other sites' configs and
 * evidence included. Never NULL citation. */
struct natt_verdict natt_decide(struct arena *ar, struct site *const *sites,
				size_t nsites, const struct site *s,
				const struct phase1 *p1);

/* The phase 1 at another site that is the other end of p1 (matched by
 * the peers' addresses, allowing for a NAT between them); NULL when no
 * given config has it. *peer gets its site. */
const struct phase1 *natt_counterpart(struct site *const *sites, size_t nsites,
				      const struct site *s,
				      const struct phase1 *p1,
				      const struct site **peer);

const char *natt_by_name(enum natt_by b);
/* RFC 1918, 100.64/10 (carrier NAT) or fc00::/7: never a peer's address
 * as seen across the Internet. */
bool natt_private_addr(const struct ipaddr *a);

#endif
