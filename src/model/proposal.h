/* IKE and ESP proposals as data: IANA transform ids (RFC 7296 §3.3.2,
 * §3.3.3), one keyword table (strongSwan's proposal keywords) that every
 * importer goes through, strongSwan's proposal selection, and the RFC
 * 8247 / RFC 8221 verdict on each transform. Display strings are
 * rendered from the ids. doc/behaviour/ike-parameters.md §1-§4. */
#ifndef MODEL_PROPOSAL_H
#define MODEL_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/str.h"

/* Transform types, RFC 7296 §3.3.2 (KE was "D-H", RFC 9370). */
enum xf_type {
	XF_ENCR = 1,
	XF_PRF = 2,
	XF_INTEG = 3,
	XF_KE = 4,
	XF_ESN = 5,
};

struct xform {
	uint8_t type;	 /* enum xf_type */
	uint16_t id;	 /* IANA transform id of that type */
	uint16_t keylen; /* bits; 0 = the algorithm's fixed size */
};

/* One proposal: transforms in configured order (several of a type mean
 * "any of these", RFC 7296 §3.3). */
struct proposal {
	struct xform *xf;
	size_t n, c;
};

enum prop_proto { PROP_IKE, PROP_ESP, PROP_AH };

/* More proposals than this in one list are not compared (selection is
 * quadratic; real configs have a handful). */
enum { PROPOSALS_MAX = 512 };

/* A proposal list as a config gives it. text == NULL: the product's
 * default list, which ipsecdiag does not model (compared as unknown). */
struct proposals {
	enum prop_proto proto;
	struct proposal *p;
	size_t n, c;
	const char *text; /* as written (or as the product renders it) */
	bool unknown;	  /* a name ipsecdiag does not know: not compared */
	struct srcloc loc;
};

/* One keyword of the table: strongSwan's name for a transform. */
struct xf_keyword {
	const char *name;
	uint8_t type;
	uint16_t id, keylen;
};

/* The table, for tests (every keyword round-trips). */
const struct xf_keyword *proposal_keywords(size_t *n);
/* A keyword ("aes256", "sha256", "modp2048", "esn"); NULL if unknown. */
const struct xf_keyword *proposal_keyword(struct str tok);
/* The canonical keyword of a transform ("aes256gcm16", "ecp256"), or a
 * made-up "encr#99/128" when none is known. Arena-owned when made up. */
const char *xform_name(struct arena *ar, const struct xform *x);
/* Is this encryption id an AEAD (GCM, CCM, ChaCha20-Poly1305)? */
bool xform_is_aead(uint16_t encr_id);
/* The IANA group number of a KE transform is its id; the name of it. */
const char *ke_group_name(struct arena *ar, unsigned group);

/* Parses one comma list of dash-separated proposals, strongSwan's
 * grammar ("aes256gcm16-prfsha256-ecp256,aes128-sha256-modp2048!"; the
 * trailing '!' of ipsec.conf is accepted). Each proposal is normalized
 * as strongSwan does (proposal.c check_proposal(): PRF from integrity
 * for IKE, no integrity with AEAD, noesn added for ESP). "default" is
 * skipped and marks the list unknown (not compared: the defaults are not
 * modelled). On an unknown token, false with *bad set to it (the rest is
 * still read). */
bool proposals_parse(struct arena *ar, const char *text, enum prop_proto proto,
		     struct proposals *out, struct str *bad);
/* The diagnostic for a list proposals_parse() refused (bad: its unknown
 * token, empty when the list was too long). */
void proposals_warn(const struct srcloc *loc, const char *what, struct str bad);
/* Proposals as charon prints them ("IKE:AES_CBC_256/HMAC_SHA2_256_128/
 * PRF_HMAC_SHA2_256/MODP_2048, ESP:AES_GCM_16_256/NO_EXT_SEQ"), already
 * normalized by strongSwan. False when nothing or a name is unknown. */
bool proposals_parse_printed(struct arena *ar, const char *text,
			     struct proposals *out);
/* "aes256-sha256-modp2048" for one proposal; "a, b" for a list. */
const char *proposal_format(struct arena *ar, const struct proposal *p);
const char *proposals_format(struct arena *ar, const struct proposals *ps);

/* strongSwan's selection (proposal.c proposal_select(), with
 * prefer_configured_proposals = yes): the responder's configured
 * proposals in its order, each against the initiator's in theirs; the
 * first that matches wins. skip_ke: the KE transforms are ignored (the
 * CHILD_SA created with IKE_AUTH). Returns true and the two indexes on
 * a match. On none, *fail_type is the transform type that failed for
 * the closest pair (their first proposals), *fail_resp / *fail_init
 * index those proposals. */
struct prop_select {
	size_t resp, init; /* matching proposals */
	uint8_t fail_type; /* no match: the first type with nothing common */
};
bool proposals_select(const struct proposals *responder,
		      const struct proposals *initiator, bool skip_ke,
		      struct prop_select *out);

/* The proposal strongSwan settles on ("aes256-sha256-prfsha256-modp2048"),
 * NULL when none matches. */
const char *proposals_selected(struct arena *ar,
			       const struct proposals *responder,
			       const struct proposals *initiator, bool skip_ke);

/* The KE groups of an ESP list (PFS): the first proposal's first KE
 * group, 0 when none (no PFS). */
unsigned proposals_pfs_group(const struct proposals *ps);

/* RFC 8247 (IKEv2) and RFC 8221 (ESP) requirement levels. */
enum xf_verdict { XFV_OK, XFV_SHOULD_NOT, XFV_MUST_NOT };
/* The verdict for x in a proto proposal; unless XFV_OK, what to use
 * instead and which RFC section says what (static strings). */
enum xf_verdict xform_verdict(const struct xform *x, enum prop_proto proto,
			      const char **instead, const char **why);

#endif
