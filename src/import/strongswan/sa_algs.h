/* The algorithms of an installed SA as the status dumps print them,
 * rewritten into charon's printed transform names ("AES_GCM_16_256",
 * "HMAC_SHA2_256_128") that model/proposal.h reads back
 * (proposals_parse_printed). doc/behaviour/ike-parameters.md §13. */
#ifndef IMPORT_STRONGSWAN_SA_ALGS_H
#define IMPORT_STRONGSWAN_SA_ALGS_H

#include <stdbool.h>

#include "util/arena.h"
#include "util/str.h"

/* One `ip xfrm state` algorithm line after its keyword ("enc", "auth",
 * "auth-trunc", "aead"): "cbc(aes) 0x<key>", "hmac(sha256) 0x<key> 128",
 * "rfc4106(gcm(aes)) 0x<key> 128". Only the key's length is used, never
 * its bytes. NULL when the name is not known. */
const char *sa_algs_xfrm(struct arena *ar, struct str kw, struct str rest);
/* `swanctl --list-sas` child algorithms after "ESP:" / "AH:"
 * ("AES_CBC-256/HMAC_SHA2_256_128/MODP_2048/ESN"): the encryption and
 * integrity pieces, "/"-joined, NULL when there is none. */
const char *sa_algs_list_sas(struct arena *ar, struct str algs);
/* Appends piece to *algs ("ESP:" + first piece, then "/" + piece). */
void sa_algs_add(struct arena *ar, const char **algs, bool ah,
		 const char *piece);

#endif
