/* Imports one Linux SITE argument N times (import only, no report):
 * bench_linux_import N SITE. Prints the rule count once. */
#include <stdio.h>
#include <stdlib.h>

#include "import/load.h"

int
main(int argc, char **argv)
{
	if (argc != 3)
		die_usage("usage: bench_linux_import N SITE");
	int n = atoi(argv[1]);
	size_t rules = 0;
	for (int i = 0; i < n; i++) {
		struct arena ar;
		arena_init(&ar);
		struct site s;
		if (!site_load(&ar, argv[2], &s))
			return EXIT_INPUT;
		rules = s.nrules;
		arena_free(&ar);
	}
	printf("%zu rules\n", rules);
	return 0;
}
