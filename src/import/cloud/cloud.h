/* Cloud VPN configurations (model/cloud.h): AWS Site-to-Site VPN's
 * downloadable configuration ("Generic" and "pfSense" device types) and
 * ipsecdiag's documented key=value profile for Azure VPN Gateway,
 * Google Cloud VPN (neither offers a generic download) and AWS.
 * doc/behaviour/cloud-and-linux.md §1-§3 says what each states. */
#ifndef IMPORT_CLOUD_H
#define IMPORT_CLOUD_H

#include <stdbool.h>
#include <stddef.h>

#include "model/cloud.h"
#include "model/site.h"
#include "util/arena.h"
#include "util/str.h"

/* Recognition from a file's head: AWS text, or a key=value profile
 * whose first setting is "provider = aws|azure|gcp". */
bool cloud_recognize(const unsigned char *h, size_t n);

/* The importer of INPUT_CLOUD_VPN (import/load.h signature). */
bool cloud_import(struct arena *ar, struct input_file *in, struct site *s);

/* Parsers, exposed for the unit tests: false (with a located diagnostic)
 * when the text is not usable. */
bool cloud_parse_aws(struct arena *ar, const char *path, const char *buf,
		     size_t len, struct cloud_vpn *out);
bool cloud_parse_kv(struct arena *ar, const char *path, const char *buf,
		    size_t len, struct cloud_vpn *out);

/* Shared helpers (cloud.c). */
const char *cloud_norm_enc(struct arena *ar, struct str v);
const char *cloud_norm_integ(struct arena *ar, struct str v);
/* The first decimal number in v (a DH group, a lifetime), 0 if none. */
unsigned cloud_first_num(struct str v);
/* The tunnel numbered n, created when new. */
struct cloud_tunnel *cloud_tunnel(struct arena *ar, struct cloud_vpn *v,
				  unsigned n, const struct srcloc *loc);
/* At most 60 bytes of v for a message, bytes outside printable ASCII
 * as '?' (input is hostile; a terminal is not). */
const char *cloud_printable(struct arena *ar, struct str v);
/* Lower-cased key with runs of blanks as one space. */
const char *cloud_key(struct arena *ar, struct str k);

#endif
