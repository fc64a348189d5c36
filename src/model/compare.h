/* Both ends' IKE/ESP parameters side by side (ipsecdiag compare): the
 * table check/params_table.c fills and report/rep_compare.c prints. */
#ifndef MODEL_COMPARE_H
#define MODEL_COMPARE_H

#include <stddef.h>

/* `ipsecdiag compare`: both ends side by side. match: 1 agree, 0 differ
 * (the tunnel fails), -1 cannot tell (default or redacted), 2 shown for
 * information only. */
struct params_row {
	const char *name, *a, *b;
	int match;
};
struct params_block {
	const char *title; /* "phase 1: siteA 'to siteB' / siteB 'to siteA'" */
	struct params_row *rows;
	size_t n, c;
};
struct params_table {
	const char *a, *b; /* site names */
	struct params_block *blocks;
	size_t n, c;
	size_t ndiffer; /* rows with match 0 */
};
#endif
