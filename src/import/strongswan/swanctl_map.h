/* The mapping of swanctl connections and children onto phase 1 and
 * phase 2, shared by the two importers that read swanctl settings: the
 * Linux swanctl.conf importer (cfg_swanctl.c) and OPNsense's VPN > IPsec >
 * Connections (cfg_opnsense_swanctl.c: the <OPNsense><Swanctl> model,
 * which OPNsense writes out as swanctl.conf). Values are settings as
 * swanctl.conf spells them, NULL when not set; defaults are strongSwan's.
 * Everything is owned by the arena. */
#ifndef IMPORT_SWANCTL_MAP_H
#define IMPORT_SWANCTL_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "model/site.h"
#include "util/arena.h"

struct swc_conn {
	const char *name; /* ikeid of the phase 1 */
	const char *descr;
	const char *version;	  /* "0", "1", "2"; other: a warning */
	const char *local_addrs;  /* comma list; the first address counts */
	const char *remote_addrs; /* NULL = %any */
	const char *proposals;	  /* IKE proposals, kept as written */
	const char *encap;	  /* "yes" = NAT-T forced */
	const char *local_id,
	    *remote_id;		/* local/remote "id", NULL = default */
	bool ids_known;		/* local/remote sections read (swanctl.conf) */
	const char *local_auth; /* local "auth", NULL = pubkey */
	const char *rekey_time, *reauth_time, *dpd_delay; /* "4h", "30s" */
	struct srcloc loc, version_loc;
};

struct swc_child {
	const char *name;   /* in notes, and the phase 2 descr */
	const char *uniqid; /* the phase 2 uniqid */
	const char *mode;   /* tunnel (NULL), transport, pass, drop */
	const char *local_ts, *remote_ts; /* comma lists, NULL = dynamic */
	const char *esp_proposals, *ah_proposals;
	const char *reqid, *start_action, *if_id_in, *if_id_out;
	const char *mark_in, *mark_out; /* "42", "0x2a/0xff", "%unique" */
	const char *rekey_time;		/* NULL = 1h */
	const char *dpd_action, *close_action; /* NULL = clear, none */
	struct srcloc loc;
};

/* Adds the phase 1 of a connection and returns its index in s->p1 (the
 * array moves as it grows, so keep the index, not a pointer). */
/* An identity as strongSwan reads it: "address:192.0.2.1", "fqdn:x",
 * "any"; NULL for NULL. */
const char *swc_id(struct arena *ar, const char *id);
/* A mark "value[/mask]" (swanctl mark_in/mark_out, ipsec.conf mark=):
 * false when absent or set at run time (%unique). */
bool swc_mark(const char *text, uint32_t *value, uint32_t *mask);

size_t swc_phase1(struct arena *ar, struct site *s, const struct swc_conn *c);

enum { SWC_MAX_PAIRS = 4096 }; /* phase 2 per child, at most */

/* Adds one phase 2 per (local_ts, remote_ts) pair of the child to phase 1
 * s->p1[p1idx]: the policies a CHILD_SA installs are the cross product of
 * its selector lists (at most SWC_MAX_PAIRS, with a warning). "dynamic" (or no
 * selector) is the tunnel's own outer address: *local when local_known, the
 * phase 1 peer on the remote side. A pass or drop child is a shunt, not a
 * tunnel: noted, nothing added. Returns how many phase 2 were added. */
size_t swc_children(struct arena *ar, struct site *s, size_t p1idx,
		    const struct swc_child *ch, const struct ipaddr *local,
		    bool local_known);

#endif
