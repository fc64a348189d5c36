/* pfSense's status archive (status_output.tgz) read in place through
 * libarchive: nothing is unpacked to disk, members are held in memory
 * under ceilings (count, size of one member, total), and hostile entries
 * (links, devices, "../", absolute or nested names) are skipped with a
 * note. doc/behaviour/status-archive.md §1. */
#ifndef IMPORT_STATUS_ST_ARCHIVE_H
#define IMPORT_STATUS_ST_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

enum {
	ST_MAX_ENTRIES = 4096,	  /* entries of one archive */
	ST_MAX_MEMBER = 64 << 20, /* bytes of one member kept */
	ST_MAX_TOTAL = 256 << 20, /* bytes of all members kept */
	ST_MAX_SKIP = 1 << 30,	  /* bytes of a member passed over */
};

struct st_member {
	const char *name; /* "IPsec-SAD.txt", without "status_output/" */
	char *data;	  /* NUL-terminated */
	size_t len;
	long long mtime; /* when the box wrote it (Unix seconds) */
};

struct st_archive {
	const char *path;
	struct st_member *m;
	size_t n, cap;
	size_t nentries;
};

/* Does the file start as a gzip'd (or plain) tar archive? */
bool st_archive_probe(const char *path);
/* Reads the members want() accepts (all when NULL); false with a
 * diagnostic naming the archive (and member) when it cannot. */
bool st_archive_read(struct arena *ar, const char *path,
		     bool (*want)(const char *name), struct st_archive *out);
const struct st_member *st_archive_get(const struct st_archive *a,
				       const char *name);

#endif
