/* Internals shared by the trace of pfSense sites (trace.c) and of Linux
 * sites (trace_linux.c): one leg of a flow and the step helpers. */
#ifndef ENGINE_TRACE_INTERNAL_H
#define ENGINE_TRACE_INTERNAL_H

#include "engine/natt.h"
#include "engine/route.h"
#include "engine/ruleset.h"
#include "engine/trace.h"

struct rs_cache {
	const struct site *site;
	const char *iface;
	bool out, model; /* model: the config's, never the running one */
	struct ruleset rs;
};

struct natt_memo {
	const struct site *site;
	const struct phase1 *p1;
	struct natt_verdict v;
};

struct engine {
	struct arena *ar;
	struct site **sites;
	size_t nsites;
	struct rs_cache *cache;
	size_t ncache, ccache;
	/* natt_decide() per phase 1: it scans the sites' evidence, once */
	struct natt_memo *natt;
	size_t nnatt, cnatt;
};

/* One direction of a flow through the network. */
struct leg {
	struct engine *e;
	struct flow_trace *ft;
	struct path *path;
	struct site *from, *to; /* NULL: no config for that site */
	struct packet pkt;	/* as it travels (NAT rewrites it) */
	bool reply;		/* stateful: filters pass by state */
	/* set by the sending side for the receiving side */
	const struct phase2 *p2;
	struct ipaddr outer_src;
	bool outer_known, natt;
	bool nat_between;     /* an address NAT between the peers */
	const char *natt_why; /* what decided natt (natt_decide()) */
};

/* NAT-T of the tunnel of p1 at s (natt_decide(), remembered). */
struct natt_verdict engine_natt(struct engine *e, const struct site *s,
				const struct phase1 *p1);
const struct ruleset *engine_rules_for(struct engine *e, const struct site *s,
				       const char *iface, bool out);
/* The modelled ruleset even where the box's running one is used. */
const struct ruleset *engine_model_rules_for(struct engine *e,
					     const struct site *s,
					     const char *iface, bool out);
/* pf's verdict at a hop: the running ruleset's where the site has one
 * and it differs from the modelled one; where both agree, the modelled
 * verdict (its rule is what the checks know) with the running rule that
 * decides alike in alt->alike; the modelled one's where the running one
 * cannot tell (doc/behaviour/rules-debug.md §4). */
struct pf_alt {
	bool running, differs, unsure;
	struct verdict model;
	const struct rule *alike; /* agreeing: the running rule */
};
struct verdict engine_eval(struct engine *e, const struct site *s,
			   const char *iface, bool out, const struct packet *p,
			   struct pf_alt *alt);
/* Records alt on the step of the hop; the cause of a failing step
 * becomes ruleset-not-loaded where the two rulesets differ. */
struct leg;
enum finding_id leg_mark_alt(struct leg *l, const struct site *s,
			     struct step *st, const struct pf_alt *alt,
			     enum finding_id cause);
struct step *leg_step(struct leg *l, enum step_kind kind, const struct site *s,
		      const char *iface, const char *what);
/* Marks st as where the packet dies, for the finding id `cause`. */
bool leg_fail(struct leg *l, struct step *st, enum finding_id cause);
/* The reply to p: addresses and ports swapped, echo request -> reply. */
struct packet packet_reply(const struct packet *p);
void leg_assume(struct leg *l, const char *what);
struct step *leg_step_rule(struct leg *l, enum step_kind kind,
			   const struct site *s, const char *iface,
			   const struct verdict *v, const char *prefix);
/* SPD_MISS: no policy takes the packet (off: a disabled one would). */
struct step *leg_spd_miss(struct leg *l, const struct site *s,
			  const struct phase2 *off, const char *what);
bool leg_leaks_out(struct leg *l, const struct site *s, const struct route *rt,
		   enum finding_id cause);
void leg_encrypt(struct leg *l, const struct site *s, const struct phase2 *p2);
const struct phase1 *peer_phase1(const struct site *s, const struct leg *l);
struct packet outer_packet(const struct leg *l, const struct phase1 *p1,
			   const struct site *s, unsigned proto, unsigned port);
bool deliver_inside(struct leg *l, const struct site *s);
/* The far end of a leg: the receiving site (found from the phase 2's
 * peer when unknown) decrypts, filters and delivers. */
bool leg_arrive(struct leg *l, bool esp_state);
/* A whole leg: the source host sends, both firewalls pass it on. */
bool leg_run(struct leg *l, bool esp_state);

/* Linux sites (trace_linux.c): netfilter hooks, table 220, xfrm. */
bool linux_send(struct leg *l);
bool linux_recv(struct leg *l, bool esp_state);

#endif
