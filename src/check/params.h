/* The parameters both ends must agree on, shared by check_params.c and
 * `ipsecdiag compare`: which phase 1 talks to which, who initiates, and
 * the GUI field (or swanctl.conf key) of each parameter per product. */
#ifndef CHECK_PARAMS_H
#define CHECK_PARAMS_H

#include "model/compare.h"
#include "model/site.h"

enum params_ui {
	UI_PFSENSE,
	UI_OPNSENSE_LEGACY,
	UI_OPNSENSE_CONN,
	UI_SWANCTL,
	UI_IPSECCONF,
	UI_COUNT
};
enum params_field {
	PF_VERSION,
	PF_P1_PROP,
	PF_P2_PROP,
	PF_PFS,
	PF_MYID,
	PF_PEERID,
	PF_AUTH,
	PF_START,
	PF_MODE
};

/* "VPN > IPsec > Tunnels > 'to siteB' Phase 2 > PFS key group". */
const char *params_field(struct arena *ar, const struct site *s,
			 const struct phase1 *p1, enum params_field f);
/* Does phase 1 p1 face site b (its peer is b, or any peer)? */
bool params_faces(const struct site *a, const struct phase1 *p1,
		  const struct site *b);
/* b's phase 1 that talks to a's x, NULL when none. */
struct analysis;
/* fn for every tunnel between two configured sites: a phase 1 x of a
 * and the phase 1 y of b it pairs with (and y with x), once each. */
typedef void params_tunnel_fn(struct analysis *an, struct site *a,
			      const struct phase1 *x, struct site *b,
			      const struct phase1 *y);
void params_each_tunnel(struct analysis *an, params_tunnel_fn *fn);
const struct phase1 *params_peer_p1(const struct site *a,
				    const struct phase1 *x,
				    const struct site *b);
/* b's enabled phase 2 under y whose networks meet a's p, NULL if none. */
const struct phase2 *params_peer_p2(const struct phase2 *p,
				    const struct site *b,
				    const struct phase1 *y);
/* 1: the phase 2 makes its end initiate; 0: responder only; -1 unknown. */
int params_initiates(const struct site *s, const struct phase1 *p1,
		     const struct phase2 *p2);
/* Does some child of p1 start again by itself after the peer restarted
 * or deleted it (trap, or a DPD/close action restart)? 1 yes, 0 no, -1
 * not known (ike-parameters.md §7). */
int params_p1_recovers(const struct site *s, const struct phase1 *p1);
/* Are two typed identities the same for strongSwan (DNs RDN by RDN,
 * FQDNs and e-mail ids without case)? check_params_certs.c. */
bool params_id_equal(struct arena *ar, const char *a, const char *b);
/* "encryption algorithm", "DH group", ... */
const char *params_type_name(uint8_t type);

void params_table(struct arena *ar, const struct site *a, const struct site *b,
		  struct params_table *out);

#endif
