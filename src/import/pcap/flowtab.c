/* The live flow table: open addressing, a ceiling on live flows, and
 * eviction of the least recently seen half when it is reached. Finished
 * flows are folded into the capture result (totals always, the flow
 * itself while under CAP_MAX_KEPT_FLOWS). */
#include <stdlib.h>
#include <string.h>

#include "import/pcap/flowtab.h"
#include "util/diag.h"

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t
end_hash(const struct ipaddr *a, uint16_t port)
{
	return mix((uint64_t)a->v ^ (uint64_t)(a->v >> 64) * 31 ^
		   (uint64_t)port << 48);
}

/* Symmetric in the two ends, so both directions land in one slot. */
static uint64_t
flow_hash(const struct pkt *p)
{
	return mix(end_hash(&p->src, p->sport) + end_hash(&p->dst, p->dport) +
		   p->proto);
}

void
flowtab_init(struct flowtab *t, size_t max_flows)
{
	memset(t, 0, sizeof(*t));
	t->max = max_flows ? max_flows : CAP_MAX_FLOWS;
	t->size = 16;
	while (t->size < t->max * 2)
		t->size *= 2;
	t->slots = calloc(t->size, sizeof(*t->slots));
	if (t->slots == NULL)
		die_system("out of memory for the flow table");
}

void
flowtab_free(struct flowtab *t)
{
	free(t->slots);
	t->slots = NULL;
}

static bool
same_end(const struct ipaddr *x, uint16_t xp, const struct ipaddr *y,
	 uint16_t yp)
{
	return xp == yp && x->v == y->v && x->fam == y->fam;
}

static void
retire(struct arena *ar, struct cap_result *r, const struct cap_flow *f)
{
	r->flows_total++;
	r->flows_oneway += f->pkts[1] == 0;
	if (r->nflows >= CAP_MAX_KEPT_FLOWS) {
		r->flows_dropped++;
		return;
	}
	*ARENA_PUSH(ar, r->flows, r->nflows, r->cflows) = *f;
}

static int
ts_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* Retires the flows idle longest (half the table), rebuilds the rest. */
static void
evict(struct flowtab *t, struct arena *ar, struct cap_result *r)
{
	double *ts = malloc(t->count * sizeof(*ts));
	struct cap_flow *keep = malloc(t->count * sizeof(*keep));
	if (ts == NULL || keep == NULL)
		die_system("out of memory evicting flows");
	size_t n = 0;
	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].used)
			ts[n++] = t->slots[i].last_ts;
	qsort(ts, n, sizeof(*ts), ts_cmp);
	double cut = ts[n / 2];
	size_t k = 0;
	for (size_t i = 0; i < t->size; i++) {
		struct cap_flow *f = &t->slots[i];
		if (!f->used)
			continue;
		if (f->last_ts < cut || (f->last_ts == cut && k >= n / 2)) {
			retire(ar, r, f);
			r->flows_evicted++;
		} else {
			keep[k++] = *f;
		}
	}
	memset(t->slots, 0, t->size * sizeof(*t->slots));
	t->count = 0;
	for (size_t i = 0; i < k; i++) {
		struct pkt key = {.src = keep[i].a,
				  .dst = keep[i].b,
				  .sport = keep[i].aport,
				  .dport = keep[i].bport,
				  .proto = keep[i].proto};
		size_t j = flow_hash(&key) & (t->size - 1);
		while (t->slots[j].used)
			j = (j + 1) & (t->size - 1);
		t->slots[j] = keep[i];
		t->count++;
	}
	free(ts);
	free(keep);
}

struct cap_flow *
flowtab_get(struct flowtab *t, struct arena *ar, struct cap_result *r,
	    const struct pkt *p, int *dir)
{
	uint64_t h = flow_hash(p);
	for (;;) {
		size_t j = h & (t->size - 1);
		for (; t->slots[j].used; j = (j + 1) & (t->size - 1)) {
			struct cap_flow *f = &t->slots[j];
			if (f->proto != p->proto)
				continue;
			if (same_end(&f->a, f->aport, &p->src, p->sport) &&
			    same_end(&f->b, f->bport, &p->dst, p->dport)) {
				*dir = 0;
				return f;
			}
			if (same_end(&f->b, f->bport, &p->src, p->sport) &&
			    same_end(&f->a, f->aport, &p->dst, p->dport)) {
				*dir = 1;
				return f;
			}
		}
		if (t->count >= t->max) {
			evict(t, ar, r);
			continue;
		}
		struct cap_flow *f = &t->slots[j];
		memset(f, 0, sizeof(*f));
		f->used = true;
		f->a = p->src;
		f->b = p->dst;
		f->aport = p->sport;
		f->bport = p->dport;
		f->proto = p->proto;
		f->ipver = p->ipver;
		t->count++;
		*dir = 0;
		return f;
	}
}

static int
frame_cmp(const void *x, const void *y)
{
	const struct cap_flow *a = x, *b = y;
	return a->first_frame < b->first_frame
		   ? -1
		   : a->first_frame > b->first_frame;
}

void
flowtab_finish(struct flowtab *t, struct arena *ar, struct cap_result *r)
{
	size_t n = 0;
	struct cap_flow *live = malloc((t->count + 1) * sizeof(*live));
	if (live == NULL)
		die_system("out of memory finishing flows");
	for (size_t i = 0; i < t->size; i++)
		if (t->slots[i].used)
			live[n++] = t->slots[i];
	qsort(live, n, sizeof(*live), frame_cmp);
	for (size_t i = 0; i < n; i++)
		retire(ar, r, &live[i]);
	free(live);
	if (r->nflows > 1)
		qsort(r->flows, r->nflows, sizeof(*r->flows), frame_cmp);
	t->count = 0;
}
