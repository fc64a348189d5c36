/* Times the packet path engine after import: one two-site trace (cold,
 * then warm), and a reachability matrix over the phase 2 of the first
 * site (5 protocols, both directions). Only engine_trace() is timed;
 * the import of the same files is timed too, as the reference.
 *
 * Usage: bench_trace [-n REPEAT] [-p PAIRS] SITE_A SITE_B
 * Prints "key value" lines for bench/trace/run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/trace.h"
#include "import/load.h"

static const char *const protos[] = {"icmp", "udp/53", "tcp/445", "tcp/3389",
				     "tcp/443"};
#define NPROTOS (sizeof(protos) / sizeof(*protos))

static double
now(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The tenth address of a network, never a firewall's own (flows.c). */
static struct ipaddr
host_in(struct site **sites, size_t n, const struct prefix *net)
{
	struct range r = prefix_range(net);
	struct ipaddr a = {net->addr.fam, r.hi - r.lo >= 20 ? r.lo + 10 : r.lo};
	for (size_t i = 0; i < n; i++)
		while (site_is_own_addr(sites[i], &a) && a.v < r.hi)
			a.v++;
	return a;
}

static bool
trace_one(struct engine *e, const struct ipaddr *src, const struct ipaddr *dst,
	  const char *proto, bool *delivered)
{
	struct packet p = {.src = *src, .dst = *dst};
	const char *err;
	if (!packet_set_proto(&p, proto, &err))
		return false;
	struct flow_trace ft;
	engine_trace(e, &p, proto, &ft);
	*delivered = ft.request.delivered && ft.reply.delivered;
	return true;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One flow: the first phase 2's hosts, icmp; cold then warm. */
static void
single(struct arena *ar, struct site **sites, const struct phase2 *p2,
       size_t repeat)
{
	struct ipaddr l = host_in(sites, 2, &p2->local.net);
	struct ipaddr r = host_in(sites, 2, &p2->remote.net);
	struct engine *e = engine_new(ar, sites, 2);
	bool ok;
	double t0 = now(CLOCK_MONOTONIC);
	trace_one(e, &l, &r, "icmp", &ok);
	double cold = now(CLOCK_MONOTONIC) - t0;
	double *t = calloc(repeat, sizeof(*t));
	for (size_t i = 0; i < repeat; i++) {
		t0 = now(CLOCK_MONOTONIC);
		trace_one(e, &l, &r, "icmp", &ok);
		t[i] = now(CLOCK_MONOTONIC) - t0;
	}
	qsort(t, repeat, sizeof(*t), cmp_double);
	printf("trace_delivered %d\n", ok);
	printf("trace_cold_s %.9f\n", cold);
	printf("trace_best_s %.9f\n", t[0]);
	printf("trace_median_s %.9f\n", t[repeat / 2]);
	free(t);
}

/* PAIRS phase 2 of site A x 5 protocols x both directions, on a fresh
 * engine (building its rule sets counts). */
static void
matrix(struct arena *ar, struct site **sites, size_t pairs)
{
	struct site *a = sites[0];
	struct engine *e = engine_new(ar, sites, 2);
	size_t n = 0, delivered = 0, np2 = 0;
	double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	for (size_t i = 0; i < a->np2 && np2 < pairs; i++) {
		const struct phase2 *p2 = &a->p2[i];
		if (!p2->local.resolved || !p2->remote.resolved ||
		    p2->mode == P2_TRANSPORT || p2->mode == P2_VTI)
			continue;
		np2++;
		struct ipaddr l = host_in(sites, 2, &p2->local.net);
		struct ipaddr r = host_in(sites, 2, &p2->remote.net);
		for (size_t k = 0; k < NPROTOS; k++) {
			bool ok;
			n += trace_one(e, &l, &r, protos[k], &ok);
			delivered += ok;
			n += trace_one(e, &r, &l, protos[k], &ok);
			delivered += ok;
		}
	}
	double w = now(CLOCK_MONOTONIC) - w0;
	double c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("matrix_pairs %zu\n", np2);
	printf("matrix_traces %zu\n", n);
	printf("matrix_delivered %zu\n", delivered);
	printf("matrix_s %.6f\n", w);
	printf("matrix_cpu_s %.6f\n", c);
}

int
main(int argc, char **argv)
{
	size_t repeat = 1000, pairs = 1000;
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-n") == 0)
			repeat = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "-p") == 0)
			pairs = strtoul(argv[i + 1], NULL, 10);
		else
			break;
	}
	if (argc - i != 2 || repeat == 0) {
		fprintf(stderr, "usage: bench_trace [-n REPEAT] [-p PAIRS] "
				"SITE_A SITE_B\n");
		return 3;
	}
	struct arena ar;
	arena_init(&ar);
	struct site **sites;
	double t0 = now(CLOCK_MONOTONIC);
	if (!sites_load(&ar, argv + i, 2, true, &sites))
		return 2;
	printf("import_s %.6f\n", now(CLOCK_MONOTONIC) - t0);
	const struct phase2 *first = NULL;
	for (size_t j = 0; j < sites[0]->np2 && !first; j++)
		if (sites[0]->p2[j].local.resolved &&
		    sites[0]->p2[j].remote.resolved)
			first = &sites[0]->p2[j];
	if (first == NULL) {
		fprintf(stderr, "bench_trace: %s has no usable phase 2\n",
			argv[i]);
		return 2;
	}
	single(&ar, sites, first, repeat);
	matrix(&ar, sites, pairs);
	arena_free(&ar);
	return 0;
}
