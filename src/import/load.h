/* Loading sites: a SITE argument (directory or NAME=FILE[,FILE]) becomes a
 * struct site. Each file is recognised by content and handed to the
 * importer of its kind; the importers below are the plug-in points. */
#ifndef IMPORT_LOAD_H
#define IMPORT_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model/site.h"
#include "util/arena.h"

/* How sure a recogniser is of a kind: CLAIM_SURE when the content has
 * the kind's shape, CLAIM_HINT when it only resembles it (read only when
 * the user names the file). */
enum input_claim { CLAIM_NONE, CLAIM_HINT, CLAIM_SURE };
/* When a kind is read (model/inputs.def). */
enum input_role { IR_CONFIG, IR_EVIDENCE, IR_SKIP };

struct input_guess {
	enum input_kind kind;
	enum input_claim claim;
	const char *why; /* not sure of a kind: why (static text) */
	bool dir;	 /* a directory */
	int err;	 /* cannot be opened: its errno, else 0 */
	bool gateways;	 /* the folder shows it is the gateway's own dump */
};

/* Recognises a file from its first bytes (and name, as a tie-breaker
 * only). Never from the extension alone. The best guess, sure or not. */
enum input_kind input_recognize(const unsigned char *head, size_t n,
				const char *name);
/* Recognises the file at path from its first 8 KiB (decompressed when
 * compressed). in_folder: found in a site folder (editor backups are
 * skipped by their name). */
void input_guess_file(const char *path, bool in_folder, struct input_guess *g);
enum input_role input_kind_role(enum input_kind k);

/* Loads one SITE argument. Bad files are reported (diag) and skipped;
 * returns false when nothing usable was found. */
bool site_load(struct arena *ar, const char *spec, struct site *out);
/* Loads every SITE argument; prints what was understood of each on
 * stderr unless quiet. False when any input could not be read (the
 * usable sites are still returned): exit status 2. */
bool sites_load(struct arena *ar, char **specs, size_t n, bool quiet,
		struct site ***out);
/* The site has something read (a config or evidence): diagnose and trace
 * stop (exit 2) when a site has not. */
bool site_usable(const struct site *s);
bool sites_usable(struct site *const *sites, size_t n);
/* One line per site on stderr: what was understood (doc/ARCHITECTURE.md §1). */
void site_describe(FILE *f, const struct site *s);
/* Reads a whole file into the arena, at most max bytes; NULL with a
 * diagnostic when it cannot. */
char *file_slurp(struct arena *ar, const char *path, size_t max, size_t *len);
/* Text saved as UTF-16 with a byte order mark (Windows' "Unicode", what
 * PowerShell's > writes): its UTF-8 in out (at most cap - 1 bytes, NUL
 * terminated) and the length; 0 when in is not such text. */
size_t utf16_to_utf8(const unsigned char *in, size_t n, char *out, size_t cap);

/* Importers: each adds what its file says to the site; false (with
 * diagnostics printed) when the file could not be used. */
typedef bool (*importer_fn)(struct arena *ar, struct input_file *in,
			    struct site *s);
bool cfg_pfsense_import(struct arena *ar, struct input_file *in,
			struct site *s);
bool hosts_import(struct arena *ar, struct input_file *in, struct site *s);
bool log_filterlog_import(struct arena *ar, struct input_file *in,
			  struct site *s);
bool pcap_import(struct arena *ar, struct input_file *in, struct site *s);
/* Linux / strongSwan (import/linux/linux.h) */
bool cfg_swanctl_import(struct arena *ar, struct input_file *in,
			struct site *s);
bool cfg_ipsecconf_import(struct arena *ar, struct input_file *in,
			  struct site *s);
bool cfg_nft_import(struct arena *ar, struct input_file *in, struct site *s);
bool cfg_iptables_import(struct arena *ar, struct input_file *in,
			 struct site *s);
bool cfg_ipaddr_import(struct arena *ar, struct input_file *in, struct site *s);
bool cfg_iproute_import(struct arena *ar, struct input_file *in,
			struct site *s);
bool cfg_iprule_import(struct arena *ar, struct input_file *in, struct site *s);
bool status_sa_import(struct arena *ar, struct input_file *in, struct site *s);
/* Linux kernel facts (cfg_kernel.c): sysctl dumps, ip -d link text. */
bool cfg_sysctl_import(struct arena *ar, struct input_file *in, struct site *s);
bool cfg_iplink_import(struct arena *ar, struct input_file *in, struct site *s);
bool log_ipsec_import(struct arena *ar, struct input_file *in, struct site *s);
/* The box's pf ruleset and states as loose files (import/pf/):
 * /tmp/rules.debug, pfctl -vvsr, pfctl -vvss (pfSense, OPNsense). */
bool pf_rules_debug_import(struct arena *ar, struct input_file *in,
			   struct site *s);
bool pf_pfctl_rules_import(struct arena *ar, struct input_file *in,
			   struct site *s);
bool pf_pfctl_states_import(struct arena *ar, struct input_file *in,
			    struct site *s);
/* pfSense status archive (import/status/) */
bool status_archive_import(struct arena *ar, struct input_file *in,
			   struct site *s);
/* Only the interfaces of an archive (ifconfig), into b: which node of an
 * HA pair the archive comes from. The number of interfaces read. */
size_t status_archive_addrs(struct arena *ar, const char *path,
			    struct boxstate *b);
/* The archive's facts as loose files (import/status/st_loose.c):
 * setkey -DP, netstat -rnW, the firewall's ifconfig. */
bool box_spd_import(struct arena *ar, struct input_file *in, struct site *s);
bool box_netstat_import(struct arena *ar, struct input_file *in,
			struct site *s);
bool box_ifconfig_import(struct arena *ar, struct input_file *in,
			 struct site *s);
bool box_arp_import(struct arena *ar, struct input_file *in, struct site *s);
/* OPNsense configctl ipsec list status|spd|sad|leases JSON
 * (import/opnsense/configctl.c). */
bool configctl_import(struct arena *ar, struct input_file *in, struct site *s);
/* Text `ip route` of a Linux gateway (cfg_iproute.c); the line test is
 * the recogniser's. */
bool cfg_iproute_text_import(struct arena *ar, struct input_file *in,
			     struct site *s);
bool cfg_iproute_text_line(struct str line);
bool cfg_iproute_text_head(struct str line);

#endif
