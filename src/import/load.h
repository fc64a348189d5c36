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

/* Recognises a file from its first bytes (and name, as a tie-breaker
 * only). Never from the extension alone. */
enum input_kind input_recognize(const unsigned char *head, size_t n,
				const char *name);

/* Loads one SITE argument. Bad files are reported (diag) and skipped;
 * returns false when nothing usable was found. */
bool site_load(struct arena *ar, const char *spec, struct site *out);
/* Loads every SITE argument; prints what was understood of each on
 * stderr unless quiet. False when any input could not be read (the
 * usable sites are still returned): exit status 2. */
bool sites_load(struct arena *ar, char **specs, size_t n, bool quiet,
		struct site ***out);
/* One line per site on stderr: what was understood (DESIGN.md §1). */
void site_describe(FILE *f, const struct site *s);
/* Reads a whole file into the arena, at most max bytes; NULL with a
 * diagnostic when it cannot. */
char *file_slurp(struct arena *ar, const char *path, size_t max,
		 size_t *len);

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
/* Linux / strongSwan (import/linux.h) */
bool cfg_swanctl_import(struct arena *ar, struct input_file *in,
			struct site *s);
bool cfg_ipsecconf_import(struct arena *ar, struct input_file *in,
			  struct site *s);
bool cfg_nft_import(struct arena *ar, struct input_file *in, struct site *s);
bool cfg_iptables_import(struct arena *ar, struct input_file *in,
			 struct site *s);
bool cfg_ipaddr_import(struct arena *ar, struct input_file *in,
		       struct site *s);
bool cfg_iproute_import(struct arena *ar, struct input_file *in,
			struct site *s);
bool cfg_iprule_import(struct arena *ar, struct input_file *in,
		       struct site *s);
bool status_sa_import(struct arena *ar, struct input_file *in,
		      struct site *s);
bool log_ipsec_import(struct arena *ar, struct input_file *in,
		      struct site *s);
/* pfSense status archive (import/status/) */
bool status_archive_import(struct arena *ar, struct input_file *in,
			   struct site *s);

#endif
