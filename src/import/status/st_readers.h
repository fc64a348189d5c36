/* Readers of the status archive's FreeBSD command outputs into the box
 * state (model/box.h). Each reads a buffer named file (for evidence
 * "file:line") and returns how many items it understood; lines it does
 * not understand (stderr noise, other sections) are passed over.
 * Formats: doc/behaviour/status-archive.md §3. */
#ifndef IMPORT_STATUS_ST_READERS_H
#define IMPORT_STATUS_ST_READERS_H

#include <stddef.h>

#include "model/site.h"
#include "util/arena.h"

/* netstat -nWr: both headers (Use, FreeBSD <= 12; Nhop#, 13+). */
size_t st_read_netstat(struct arena *ar, struct boxstate *b, const char *file,
		       const char *buf, size_t len);
/* ifconfig -vvvvvam (and the shorter -a / -va of older versions). */
size_t st_read_ifconfig(struct arena *ar, struct boxstate *b, const char *file,
			const char *buf, size_t len);
/* arp -an and ndp -na. */
size_t st_read_arp(struct arena *ar, struct boxstate *b, const char *file,
		   const char *buf, size_t len);
size_t st_read_ndp(struct arena *ar, struct boxstate *b, const char *file,
		   const char *buf, size_t len);
/* setkey -DP. */
size_t st_read_spd(struct arena *ar, struct boxstate *b, const char *file,
		   const char *buf, size_t len);
/* pfctl -vvsr: rules with @nr, ridentifier/tracker, counters. */
size_t st_read_pfrules(struct arena *ar, struct boxstate *b, const char *file,
		       const char *buf, size_t len);
/* pfctl -vvss: states with their sides, packets and rule. */
size_t st_read_pfstates(struct arena *ar, struct boxstate *b, const char *file,
			const char *buf, size_t len);
/* _errors.txt (2.7.1+). */
size_t st_read_errors(struct arena *ar, struct boxstate *b, const char *file,
		      const char *buf, size_t len);
/* A DHCP/PPPoE interface of the config takes its address from the box's
 * ifconfig (and the connected route with it); returns how many. */
size_t st_fill_dynamic(struct arena *ar, struct site *s);
/* Product-Info.txt: "pfSense version: 2.7.2-RELEASE"; NULL when absent. */
const char *st_read_product(struct arena *ar, const char *buf, size_t len);

#endif
