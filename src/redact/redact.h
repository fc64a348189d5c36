/* Redaction of what users export, so it can be posted or sent to
 * support: secrets removed (pre-shared keys, passwords, private keys,
 * setkey -D "E:"/"A:" key lines, xfrm keys, OpenVPN static keys) and,
 * on request, public IPv4 addresses replaced consistently across every
 * file of a run (both sites), prefix-preserving so that subnets,
 * gateways and peers still match. IPv6 addresses are left as they are. */
#ifndef REDACT_REDACT_H
#define REDACT_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

struct redactor {
	struct arena *ar;
	bool pseudo;
	uint64_t key[2];       /* per run, from the system's random source */
	size_t secrets, addrs; /* counts of the last redact_text() call */
};

/* False (errno set) when no random key can be had with pseudo. */
bool redactor_init(struct redactor *r, struct arena *ar, bool pseudo);
/* A redacted copy of buf (arena, NUL-terminated); *outlen its length. */
char *redact_text(struct redactor *r, const char *buf, size_t len,
		  size_t *outlen);
/* One IPv4 address (host order) as --pseudonymize maps it; public
 * addresses only, others unchanged. */
uint32_t redact_ipv4(const struct redactor *r, uint32_t a);

#endif
