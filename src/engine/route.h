/* Routing table and IPsec SPD lookups of one site. */
#ifndef ENGINE_ROUTE_H
#define ENGINE_ROUTE_H

#include "model/site.h"
#include "util/arena.h"

/* Phase 2 whose outbound policy covers src -> dst (doc/behaviour/pfsense.md
 * §2.7: an IKEv2 phase 1 without split connections installs the cross product
 * of all its phase 2 networks). Disabled ones are skipped; *disabled_cover gets
 * one that would cover the flow if it were enabled. */
const struct phase2 *spd_lookup(const struct site *s, const struct ipaddr *src,
				const struct ipaddr *dst,
				const struct phase2 **disabled_cover);

/* Phase 2 of phase 1 p1 (NULL = any) that accepts a decrypted packet
 * src -> dst: remote covers src, local (or the NAT local) covers dst. */
const struct phase2 *spd_inbound(const struct site *s, const struct phase1 *p1,
				 const struct ipaddr *src,
				 const struct ipaddr *dst);

/* A disabled phase 2 (or one of a disabled phase 1) that would accept
 * the packet if it were enabled. */
const struct phase2 *spd_inbound_disabled(const struct site *s,
					  const struct phase1 *p1,
					  const struct ipaddr *src,
					  const struct ipaddr *dst);
/* Does the phase 2 (as part of its phase 1's policies) cover the pair? */
bool p2_covers(const struct site *s, const struct phase2 *p2,
	       const struct ipaddr *local, const struct ipaddr *remote);
bool p2_enabled(const struct phase2 *p2);
/* The local network the peer sees: NAT local when set. */
const struct prefix *p2_visible_local(const struct phase2 *p2);
/* A static route via one of the firewall's own addresses: its only
 * effect is the source of the firewall's own traffic
 * (doc/behaviour/self-traffic.md §5), not a network of its own. */
bool route_via_self(const struct site *s, const struct route *r);
/* pfSense/OPNsense negotiate all phase 2 of p1 as one child SA (IKEv2
 * or auto without split connections / tunnel isolation, mobile). */
bool p1_merged_children(const struct site *s, const struct phase1 *p1);
/* Phase 2 NAT that pf renders as `nat` (many-to-one), not `binat`:
 * inbound new connections to the NAT address are not translated. */
bool p2_nat_many_to_one(const struct phase2 *p2);
/* Linux: the VTI whose ikey or okey is the mark value/mask, or NULL. */
const struct iface *xfrm_mark_vti(const struct site *s, uint32_t value,
				  uint32_t mask);
/* Linux: nothing the dumps show sets the mark (no VTI key, no netfilter
 * rule that sets marks, ip -d link given), and unmarked packets do not
 * match it (doc/behaviour/cloud-and-linux.md §10). */
bool xfrm_mark_unset(const struct site *s, uint32_t value, uint32_t mask);

/* The box's running routing table (netstat -rnW, doc/behaviour/
 * status-archive.md §10) for a pfSense/OPNsense site whose table was read:
 * the longest prefix for dst, as a route of the site (its interface
 * mapped from the Netif by the config's device names, origin "running
 * table, member:line", loc the netstat line). *decided is false (and NULL
 * returned) when the table does not decide: not read, no route of dst's family,
 * or the Netif of the longest match is none of the site's interfaces;
 * the modelled lookup decides then. Decided with NULL: no route. */
const struct route *route_running(struct arena *ar, const struct site *s,
				  const struct ipaddr *dst, bool *decided);
/* Does the running route take the packet elsewhere than the modelled
 * one (another interface, another gateway, or none)? */
bool route_differs(const struct route *running, const struct route *model);
/* The box's outbound IPsec policy (setkey -DP) for the phase 2's
 * selectors, or NULL (doc/behaviour/status-archive.md §3.3). */
const struct box_spd *box_spd_out(const struct boxstate *b,
				  const struct phase2 *p2);
/* The kernel policies were read and decide for this phase 2: enabled
 * tunnel-mode, not mobile, both networks known, and its phase 1's
 * address not held by a CARP VIP this box has in BACKUP (no policy is
 * expected there). */
bool box_spd_decides(const struct site *s, const struct phase2 *p2);
#endif
