/* The filterlog parse alone: the first MB of a log held in memory, each
 * line parsed as the scanner does (fast path, else the full parser),
 * nothing else. Prints nanoseconds a line, best of 5 passes: the floor
 * under what `ipsecdiag log` can cost per line. Usage: parse FILE [MB] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "import/logs/log_filterlog.h"

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: parse FILE [MB]\n");
		return 2;
	}
	size_t cap = (size_t)(argc > 2 ? atol(argv[2]) : 256) << 20;
	FILE *f = fopen(argv[1], "rb");
	char *buf = malloc(cap);
	if (f == NULL || buf == NULL) {
		perror(argv[1]);
		return 1;
	}
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	while (n > 0 && buf[n - 1] != '\n')
		n--; /* whole lines only */
	struct fl_ctx ctx = fl_ctx_for_file(argv[1]);
	double best = 1e30;
	unsigned long lines = 0, parsed = 0;
	for (int pass = 0; pass < 5; pass++) {
		struct fl_memo memo = {0};
		struct fl_record r;
		struct fl_error e;
		lines = parsed = 0;
		double t0 = now();
		for (char *p = buf, *end = buf + n; p < end;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			struct str line = {p, (size_t)(nl - p)};
			lines++;
			parsed += fl_parse_fast(line, &ctx, &memo, &r) ||
				  fl_parse_line(line, &ctx, &r, &e);
			p = nl + 1;
		}
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	printf("%.1f ns a line (%lu lines, %lu parsed)\n",
	       best * 1e9 / (double)lines, lines, parsed);
	free(buf);
	return 0;
}
