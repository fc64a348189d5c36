/* The packet path engine: one packet from a source host through site A,
 * the tunnel and site B to the destination host, and the reply back,
 * with stateful semantics (doc/ARCHITECTURE.md §3, doc/behaviour/pfsense.md
 * §2.8). */
#ifndef ENGINE_TRACE_H
#define ENGINE_TRACE_H

#include "model/trace.h"
#include "util/arena.h"

struct engine;

struct engine *engine_new(struct arena *ar, struct site **sites, size_t n);
void engine_trace(struct engine *e, const struct packet *pkt,
		  const char *proto_text, struct flow_trace *out);
/* The site a host address belongs to: an interface subnet, else a local
 * phase 2 network, else a host-facts entry. NULL when none. */
struct site *engine_site_of(struct engine *e, const struct ipaddr *a);

/* Would a Linux site's forward hook pass p arriving from the tunnel? */
bool linux_tunnel_passes(const struct site *s, const struct packet *p);
/* ... from the inside toward the tunnel? */
bool linux_inside_passes(const struct site *s, const struct packet *p);
/* Would its input hook pass this IKE/ESP packet from the peer? */
bool linux_wan_passes(const struct site *s, const struct phase1 *p1,
		      const struct packet *outer);

/* "icmp", "tcp/445", "udp/53", "esp", "tcp" (port 80): fills proto,
 * ports and ICMP type of p; false with *err set on bad input. */
bool packet_set_proto(struct packet *p, const char *spec, const char **err);

#endif
