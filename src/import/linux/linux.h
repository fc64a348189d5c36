/* Helpers shared by the Linux / strongSwan importers (cfg_swanctl.c,
 * cfg_ipsecconf.c, cfg_nft.c, cfg_iptables.c, cfg_iproute.c,
 * status_sa.c, log_ipsec.c). */
#ifndef IMPORT_LINUX_H
#define IMPORT_LINUX_H

#include <stdbool.h>
#include <time.h>
#include <stdint.h>

#include "model/site.h"
#include "util/arena.h"
#include "util/str.h"

/* Ceilings for Linux text inputs. */
enum {
	LX_MAX_FILE = 64 << 20, /* bytes per file */
	LX_MAX_LINE = 64 << 10, /* bytes per line */
	LX_MAX_DEPTH = 32,	/* nested sections / braces */
	LX_MAX_INCLUDE = 8,	/* swanctl include depth */
	LX_MAX_TOKENS = 100000, /* tokens in one nft rule or set */
};

/* Lines of a buffer with their 1-based numbers. */
struct lx_lines {
	struct str rest;
	uint32_t lineno;
};
void lx_lines_init(struct lx_lines *it, const char *buf, size_t n);
bool lx_lines_next(struct lx_lines *it, struct str *line);

/* Marks the site as a Linux site with a configuration. */
void lx_site_mark(struct site *s);
/* `ip -d -j link` (cfg_iproute.c): MTUs, xfrm if_ids, VTI keys. */
bool cfg_iplink_json(struct arena *ar, struct input_file *in, struct site *s,
		     const char *buf, size_t len);
/* A link's "linkinfo" of ip -d -j link / addr into f (role, if_id, VTI
 * keys); true when it has one. */
struct json_t;
bool lx_linkinfo_json(struct iface *f, struct json_t *link);
/* A netfilter ruleset that sets packet marks anywhere (MARK, CONNMARK,
 * nft "mark set", JSON "mangle"): marks are then not decided offline. */
void lx_note_mark_setters(struct site *s, const char *buf, size_t len);
/* After every file of a Linux site: facts that join several inputs. */
void lx_site_finish(struct site *s);
void lx_site_connected(struct arena *ar, struct site *s);
/* The interface with this device name, created (role LAN) when new. */
struct iface *lx_iface(struct arena *ar, struct site *s, struct str dev,
		       const struct srcloc *loc);
/* An arena copy of a slice. */
const char *lx_dup(struct arena *ar, struct str s);
/* Column (1-based) of p inside line. */
uint32_t lx_col(struct str line, const char *p);
/* `ip addr` text as the array `ip -j addr` would write; NULL when buf
 * is JSON already or not ip addr (cfg_iptext.c). */
struct json_t;
struct json_t *lx_iptext_json(struct arena *ar, const char *buf, size_t len);

/* strongSwan proposal lists ("aes256gcm16-modp2048,aes128-sha256") into
 * the phase 2 transforms. Local until transform_parse_proposal() of
 * engine/esp_overhead.h lands in main; then unify. False when nothing
 * was understood. */
bool lx_parse_esp_proposals(struct arena *ar, struct str text,
			    struct phase2 *p2);
/* "10.0.1.0/24", "10.0.1.5", "0.0.0.0/0", "dynamic"; false otherwise. */
bool lx_parse_ts(struct str s, struct prefix *out);
/* Reads a site-level file and notes its summary. NULL on failure. */
char *lx_slurp(struct arena *ar, struct input_file *in, size_t *len);

/* The same importers over a buffer already in memory (status archive
 * members); status_sa_import_text() blanks setkey key lines in buf. */
bool status_sa_import_text(struct arena *ar, struct input_file *in,
			   struct site *s, char *buf, size_t len);
bool log_ipsec_import_text(struct arena *ar, struct input_file *in,
			   struct site *s, const char *buf, size_t len);
/* setkey -D lists one SA per direction: joins the inbound SA of a reqid
 * (observation text "reqid N") to the outbound one, from obs[first]. */
void sa_sad_pair(struct site *s, size_t first);
/* Blanks setkey -D "E:" / "A:" key lines in place; returns how many. */
size_t sa_scrub_keys(char *buf, size_t len);

/* Joins phase 2 to phase 1 by name and phase 1 to the interface holding
 * its local address; every Linux config importer calls it last, so the
 * order in which files are read does not matter. */
void lx_resolve(struct site *s);

/* A BSD syslog (RFC 3164) timestamp at the start of t, the day padded
 * or not ("Jan  1 00:00:00", "Jan 1 00:00:00", optional year): Unix time
 * of its wall clock, the year inferred so that it is not after ref (the
 * file's modification time) by more than a day. */
bool log_ipsec_stamp(struct str t, time_t ref, double *ts, size_t *used);

#endif
