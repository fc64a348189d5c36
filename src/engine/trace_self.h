/* Tracing traffic the firewall itself originates (`trace self DST`). */
#ifndef ENGINE_TRACE_SELF_H
#define ENGINE_TRACE_SELF_H

#include "engine/trace.h"

/* A packet from site s's firewall to pkt->dst (pkt->src is chosen here:
 * the address of ifname, an interface key, device or description, or
 * else what the kernel picks) and the reply back. False with *err set
 * when no source address can be found. */
bool engine_trace_self(struct engine *e, struct site *s, const char *ifname,
		       const struct packet *pkt, const char *proto_text,
		       struct flow_trace *out, const char **err);

#endif
