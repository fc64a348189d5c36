/* Scanning filterlog files into counts and flow groups with bounded
 * memory; the importer that puts them on a site. A large plain file is
 * split in two byte ranges parsed by two threads, each with its own
 * tables, merged at the end (line numbers of the second range are
 * shifted by the first range's line count). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import/load.h"
#include "import/logs/log_filterlog.h"
#include "import/textstream.h"

enum {
	INTERN_MAX = 16384,   /* distinct interface/tracker strings */
	SPLIT_MIN = 32 << 20, /* plain files this big use 2 threads */
	GROUP_SLOTS = FL_GROUPS_MAX * 2,
	COUNTER_SLOTS = FL_COUNTERS_MAX * 2,
	GROUP_BATCH = 16, /* keys looked up together, their memory fetched */
	HUGE_PAGE = 2 << 20,
};

struct warn {
	uint64_t line;
	uint32_t col;
	const char *msg;
	uint64_t long_len;
};

/* An interned string with its length, its bytes as two words when it
 * has at most 16 (interface names and trackers do: compared without a
 * call) and the high bits of its hash; for a reader on a frozen table,
 * the same string there (or NULL). */
struct islot {
	const char *s;
	uint32_t n, h;
	uint64_t w[2];
	const char *canon;
	bool tunnel_if; /* an interface name, it is the tunnel's */
};

/* A flow's key as lookups compare it: one cache line, built whole with
 * no padding hole, compared and hashed as eight words. Interface and
 * tracker are interned: equal strings are equal pointers. */
struct fkey {
	u128 src, dst;
	const char *iface, *tracker;
	uint32_t value; /* needfrag: MTU; else OBS_FW_FRAGMENT or 0 */
	uint16_t dport;
	uint8_t kind, dir, proto, ipver, src_fam, dst_fam;
	uint8_t zero[4];
};
_Static_assert(sizeof(struct fkey) == 64, "a flow key is one cache line");

/* What a flow's lines add up to; also what a reader on a frozen table
 * adds to one of its flows. */
struct fcount {
	uint64_t count, bytes;
	double first_ts, last_ts;
};

/* What a flow's first line sets. */
struct ffirst {
	struct srcloc where;
	bool tunnel;
};

/* A line's flow waiting in a batch. */
struct fpend {
	struct fkey k;
	struct fcount c;
	struct ffirst f;
	uint64_t hash;
};

/* One parser's state: its own arena and tables, so threads share
 * nothing but read-only options. The tables are calloc'ed: untouched
 * pages cost no memory, so a log with few flows stays small. */
struct worker {
	const struct fl_scan_opts *o;
	struct arena ar;
	struct fl_ctx ctx;
	struct fl_memo memo; /* the fast path's */
	const char *file;    /* as cited */
	const char *path;    /* as opened (differs for archive members) */
	struct fl_summary sum;
	/* The flows (FL_GROUPS_MAX), in the order of their first lines:
	 * what lookups read apart from what they add to */
	struct fkey *fkeys;
	struct fcount *fcounts;
	struct ffirst *ffirst;
	uint64_t *gslot; /* (hash >> 32) << 32 | index + 1, 0 = empty */
	struct fpend batch[GROUP_BATCH]; /* flows not yet in the table */
	size_t nbatch;
	struct fl_counter *counters;
	uint32_t *cslot;
	struct islot *istr; /* interned strings */
	size_t nistr;
	struct warn warns[FL_WARN_SHOWN];
	size_t nwarns;
	uint64_t start, end; /* byte range */
	uint64_t line_base;  /* added to the range's line numbers */
	bool stop_when_full; /* second range: stop when a table is full */
	bool stopped;	     /* ... and it did, before stop_off */
	uint64_t stop_off, size;
	/* A reader of the rest of a file once the flow table is full: its
	 * flows are frozen's (read only) and what it adds goes to delta;
	 * it stops before its strings or counters could overflow. */
	const struct worker *frozen;
	struct fcount *delta;
	size_t budget_strings, budget_counters;
	bool ok, open_failed;
	const char *why;
};

struct fl_scan {
	struct arena *ar; /* results */
	struct fl_scan_opts o;
	struct worker acc; /* everything merged */
	uint64_t warned, unshown;
};

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* A string of at most 16 bytes as two words, read without touching a
 * byte outside it (overlapping loads); with its length, equal words
 * mean equal strings. */
static void
short_words(struct str s, uint64_t w[2])
{
	const char *p = s.p;
	size_t n = s.n;
	uint32_t a, b;
	w[0] = w[1] = 0;
	if (n >= 8) {
		memcpy(&w[0], p, 8);
		memcpy(&w[1], p + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w[0] = (uint64_t)a << 32 | b;
	} else if (n > 0) {
		w[0] = (uint64_t)(unsigned char)p[0] << 16 |
		       (uint64_t)(unsigned char)p[n / 2] << 8 |
		       (unsigned char)p[n - 1];
	}
}

static uint64_t
hash_str(struct str s, const uint64_t w[2])
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ s.n, v;
	if (s.n <= 16) {
		h = (h ^ w[0]) * 0xff51afd7ed558ccdull;
		h = (h ^ (h >> 32) ^ w[1]) * 0xc4ceb9fe1a85ec53ull;
		return h ^ (h >> 29);
	}
	for (size_t i = 0; i + 8 <= s.n; i += 8) {
		memcpy(&v, s.p + i, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	memcpy(&v, s.p + s.n - 8, 8);
	h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

/* A zeroed table; calloc'ed, untouched pages cost no memory. */
static void *
table(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (p == NULL)
		die_system("out of memory");
	return p;
}

/* Lookups in the flow table of a big log land anywhere in its 11 MB:
 * with 4 KiB pages most would also miss the TLB. Such tables ask for
 * huge pages (where the kernel gives them on madvise), before their
 * first use; a small log keeps small pages and a small footprint. */
static void
table_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	uintptr_t a =
	    ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t e = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (e > a)
		madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

/* A zeroed table that will be used whole (the counts a reader on a
 * full flow table adds to its flows): on huge pages. */
static void *
table_full(size_t n, size_t size)
{
	size_t bytes = (n * size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	void *p = aligned_alloc(HUGE_PAGE, bytes);
	if (p == NULL)
		die_system("out of memory");
	table_huge(p, bytes);
	return memset(p, 0, bytes);
}

static void
worker_init(struct worker *w, const struct fl_scan_opts *o)
{
	memset(w, 0, sizeof(*w));
	w->o = o;
	arena_init(&w->ar);
	w->fkeys = table(FL_GROUPS_MAX, sizeof(*w->fkeys));
	w->fcounts = table(FL_GROUPS_MAX, sizeof(*w->fcounts));
	w->ffirst = table(FL_GROUPS_MAX, sizeof(*w->ffirst));
	w->gslot = table(GROUP_SLOTS, sizeof(*w->gslot));
	w->counters = table(FL_COUNTERS_MAX, sizeof(*w->counters));
	w->cslot = table(COUNTER_SLOTS, sizeof(*w->cslot));
	w->istr = table(INTERN_MAX * 2, sizeof(*w->istr));
	w->ok = true;
}

static void
worker_free(struct worker *w)
{
	free(w->fkeys);
	free(w->fcounts);
	free(w->ffirst);
	free(w->gslot);
	free(w->counters);
	free(w->cslot);
	free(w->istr);
	free(w->delta);
	arena_free(&w->ar);
}

/* enc0 (pfSense, OPNsense) or ipsecN (route-based) */
static bool
tunnel_iface(const char *iface)
{
	return strcmp(iface, "enc0") == 0 ||
	       (strncmp(iface, "ipsec", 5) == 0 && iface[5] >= '0' &&
		iface[5] <= '9');
}

/* The slot of s (words w, hash h) in a table of interned strings, or
 * NULL: open addressing over INTERN_MAX * 2 slots. */
static const struct islot *
intern_find(const struct worker *w, struct str s, const uint64_t sw[2],
	    uint64_t h, size_t *at)
{
	size_t mask = INTERN_MAX * 2 - 1, i = h & mask;
	for (;; i = (i + 1) & mask) {
		const struct islot *e = &w->istr[i];
		if (e->s == NULL)
			break;
		if (e->h == (uint32_t)(h >> 32) && e->n == s.n &&
		    (s.n <= 16 ? e->w[0] == sw[0] && e->w[1] == sw[1]
			       : memcmp(e->s, s.p, s.n) == 0))
			return e;
	}
	*at = i;
	return NULL;
}

/* The slot of s, added when new (a NUL-terminated copy, so equal strings
 * of one worker are equal pointers); NULL when the table is full. */
static const struct islot *
intern_slot(struct worker *w, struct str s)
{
	uint64_t sw[2];
	short_words(s, sw);
	uint64_t h = hash_str(s, sw);
	size_t i, unused;
	const struct islot *e = intern_find(w, s, sw, h, &i);
	if (e)
		return e;
	if (w->nistr >= INTERN_MAX || s.n > UINT32_MAX)
		return NULL;
	const struct islot *f =
	    w->frozen ? intern_find(w->frozen, s, sw, h, &unused) : NULL;
	const char *copy = arena_strndup(&w->ar, s.p, s.n);
	w->istr[i] =
	    (struct islot){copy,	   (uint32_t)s.n,   (uint32_t)(h >> 32),
			   {sw[0], sw[1]}, f ? f->s : NULL, tunnel_iface(copy)};
	w->nistr++;
	return &w->istr[i];
}

static const char *
intern(struct worker *w, struct str s)
{
	const struct islot *e = intern_slot(w, s);
	return e ? e->s : "(other)";
}

/* Interned strings hash by address: a flow's hash only places it in
 * this worker's table (a merge hashes again), never orders output. The
 * eight words multiplied in pairs (128-bit products folded), so that
 * the four products do not wait for each other. */
static uint64_t
key_hash(const struct fkey *k)
{
	static const uint64_t salt[8] = {
	    0xa0761d6478bd642full, 0xe7037ed1a0b428dbull, 0x8ebc6af09c88c6e3ull,
	    0x589965cc75374cc3ull, 0x1d8e4e27c47d124full, 0x9e3779b97f4a7c15ull,
	    0xff51afd7ed558ccdull, 0xc4ceb9fe1a85ec53ull,
	};
	uint64_t w[8], h = 0;
	memcpy(w, k, sizeof(w));
	for (int i = 0; i < 8; i += 2) {
		u128 m = (u128)(w[i] ^ salt[i]) * (w[i + 1] ^ salt[i + 1]);
		h ^= (uint64_t)m ^ (uint64_t)(m >> 64);
	}
	h ^= h >> 33; /* MurmurHash3 fmix64: low bits index the table */
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

static bool
key_same(const struct fkey *a, const struct fkey *b)
{
	uint64_t x[8], y[8], d = 0;
	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	for (int i = 0; i < 8; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

static void
count_fold(struct fcount *g, const struct fcount *k)
{
	g->count += k->count;
	g->bytes += k->bytes;
	if (k->first_ts && (!g->first_ts || k->first_ts < g->first_ts))
		g->first_ts = k->first_ts;
	if (k->last_ts > g->last_ts)
		g->last_ts = k->last_ts;
}

/* A reader on a frozen table: e's lines go to its flow there, or over
 * the ceiling. */
static void
group_add_frozen(struct worker *w, const struct fpend *e)
{
	const struct worker *f = w->frozen;
	size_t mask = GROUP_SLOTS - 1;
	for (size_t i = e->hash & mask;; i = (i + 1) & mask) {
		uint64_t s = f->gslot[i];
		if (s == 0) {
			w->sum.overflow += e->c.count;
			return;
		}
		if (s >> 32 == e->hash >> 32 &&
		    key_same(&f->fkeys[(uint32_t)s - 1], &e->k)) {
			count_fold(&w->delta[(uint32_t)s - 1], &e->c);
			return;
		}
	}
}

/* Adds e (its hash set) to its flow, or a new flow; the earliest line
 * wins. */
static void
group_add(struct worker *w, const struct fpend *e)
{
	size_t mask = GROUP_SLOTS - 1;
	if (w->frozen) {
		group_add_frozen(w, e);
		return;
	}
	for (size_t i = e->hash & mask;; i = (i + 1) & mask) {
		uint64_t s = w->gslot[i];
		if (s == 0) {
			size_t n = w->sum.ngroups;
			if (n >= FL_GROUPS_MAX) {
				w->sum.overflow += e->c.count;
				return;
			}
			w->fkeys[n] = e->k;
			w->fcounts[n] = e->c;
			w->ffirst[n] = e->f;
			w->gslot[i] = (e->hash >> 32 << 32) | ++w->sum.ngroups;
			return;
		}
		if (s >> 32 == e->hash >> 32 &&
		    key_same(&w->fkeys[(uint32_t)s - 1], &e->k)) {
			count_fold(&w->fcounts[(uint32_t)s - 1], &e->c);
			return;
		}
	}
}

static void
counter_add(struct worker *w, const char *iface, enum pkt_dir dir,
	    uint8_t proto, uint64_t n)
{
	size_t mask = COUNTER_SLOTS - 1;
	uint64_t h =
	    mix((uint64_t)(uintptr_t)iface, (uint64_t)dir << 8 | proto);
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t s = w->cslot[i];
		if (s == 0) {
			if (w->sum.ncounters >= FL_COUNTERS_MAX) {
				w->sum.counter_overflow += n;
				return;
			}
			w->counters[w->sum.ncounters] =
			    (struct fl_counter){iface, dir, proto, n};
			w->cslot[i] = (uint32_t)++w->sum.ncounters;
			return;
		}
		struct fl_counter *c = &w->counters[s - 1];
		if (c->iface == iface && c->dir == dir && c->proto == proto) {
			c->count += n;
			return;
		}
	}
}

static bool
in_p2(const struct site *s, const struct ipaddr *a)
{
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if ((p->local.resolved && prefix_contains(&p->local.net, a)) ||
		    (p->remote.resolved &&
		     prefix_contains(&p->remote.net, a)) ||
		    (p->has_nat && p->natlocal.resolved &&
		     prefix_contains(&p->natlocal.net, a)))
			return true;
	}
	for (size_t i = 0; i < s->np1; i++)
		if (s->p1[i].peer_known && ipaddr_cmp(&s->p1[i].peer, a) == 0)
			return true;
	return false;
}

/* fl_is_tunnel() with the interface's part already known. */
static bool
is_tunnel(const struct site *s, bool tunnel_if, uint8_t proto, uint16_t sport,
	  uint16_t dport, const struct ipaddr *src, const struct ipaddr *dst)
{
	if (proto == PROTO_ESP || proto == PROTO_AH || tunnel_if)
		return true;
	if (proto == PROTO_UDP &&
	    (sport == 500 || sport == 4500 || dport == 500 || dport == 4500))
		return true;
	return s && (in_p2(s, src) || in_p2(s, dst));
}

bool
fl_is_tunnel(const struct site *s, const char *iface, uint8_t proto,
	     uint16_t sport, uint16_t dport, const struct ipaddr *src,
	     const struct ipaddr *dst)
{
	return is_tunnel(s, tunnel_iface(iface), proto, sport, dport, src, dst);
}

static double
rec_time(const struct fl_record *r)
{
	return r->has_ts ? (double)r->ts + r->usec / 1e6 : 0;
}

/* Adds the batch of flows in line order. A table of 65,536 flows does
 * not fit in the caches: its slots were fetched when each key was
 * hashed, the keys and counts they point to are fetched here, all
 * before the first lookup waits for memory. */
static void
worker_flush(struct worker *w)
{
	const struct worker *t = w->frozen ? w->frozen : w;
	for (size_t i = 0; i < w->nbatch; i++) {
		uint64_t s = t->gslot[w->batch[i].hash & (GROUP_SLOTS - 1)];
		if (s) {
			__builtin_prefetch(&t->fkeys[(uint32_t)s - 1]);
			__builtin_prefetch(w->frozen
					       ? &w->delta[(uint32_t)s - 1]
					       : &t->fcounts[(uint32_t)s - 1],
					   1);
		}
	}
	for (size_t i = 0; i < w->nbatch; i++)
		group_add(w, &w->batch[i]);
	w->nbatch = 0;
}

/* One parsed line into the tables. */
static void
worker_take(struct worker *w, const struct fl_record *r, uint64_t line)
{
	struct fl_summary *m = &w->sum;
	double t = rec_time(r);
	if (t && (!m->first_ts || t < m->first_ts))
		m->first_ts = t;
	if (t > m->last_ts)
		m->last_ts = t;
	bool block = r->action == FL_ACT_BLOCK;
	m->blocks += block;
	m->passes += r->action == FL_ACT_PASS;
	m->others += !block && r->action != FL_ACT_PASS;
	const struct islot *is = intern_slot(w, r->iface);
	const char *iface = is ? is->s : "(other)";
	if (block)
		counter_add(w, iface, r->dir, r->proto, 1);
	bool needfrag = r->icmp == FL_ICMP_NEEDFRAG;
	bool tunnel = is_tunnel(w->o->site, is && is->tunnel_if, r->proto,
				r->sport, r->dport, &r->src, &r->dst);
	if (!needfrag && !(block && (tunnel || w->o->all_blocks)) &&
	    !(r->action == FL_ACT_PASS && tunnel))
		return;
	/* the key is written in place, field by field: zeroing and copying
	 * a whole struct per line costs more than filling it */
	struct fpend *e = &w->batch[w->nbatch];
	struct fkey *k = &e->k;
	const struct islot *ts = intern_slot(w, r->tracker);
	k->iface = iface;
	k->tracker = ts ? ts->s : "(other)";
	if (w->frozen) { /* the key in the frozen table's strings */
		if (!is || !ts || !is->canon || !ts->canon) {
			w->sum.overflow++; /* a new string: a new flow */
			return;
		}
		k->iface = is->canon;
		k->tracker = ts->canon;
	}
	k->src = r->src.v;
	k->dst = r->dst.v;
	bool frag = r->fragment ||
		    (r->ipflags.n && memchr(r->ipflags.p, '+', r->ipflags.n));
	k->value = needfrag ? r->icmp_mtu : frag ? OBS_FW_FRAGMENT : 0;
	k->dport = r->has_ports ? r->dport : 0;
	k->kind = needfrag ? OBS_FW_NEEDFRAG
		  : block  ? OBS_FW_BLOCK
			   : OBS_FW_PASS;
	k->dir = (uint8_t)r->dir;
	k->proto = r->proto;
	k->ipver = r->ipver;
	k->src_fam = r->src.fam;
	k->dst_fam = r->dst.fam;
	memset(k->zero, 0, sizeof(k->zero));
	e->c = (struct fcount){1, r->length, t, t};
	e->f.where = (struct srcloc){.file = w->file, .line = (uint32_t)line};
	e->f.tunnel = tunnel;
	/* a log often repeats the flow of the line before */
	if (w->nbatch && key_same(&w->batch[w->nbatch - 1].k, k)) {
		count_fold(&w->batch[w->nbatch - 1].c, &e->c);
		return;
	}
	e->hash = key_hash(k);
	__builtin_prefetch(
	    &(w->frozen ? w->frozen : w)->gslot[e->hash & (GROUP_SLOTS - 1)]);
	if (++w->nbatch == GROUP_BATCH)
		worker_flush(w);
}

static void
worker_warn(struct worker *w, uint64_t line, uint32_t col, const char *msg,
	    uint64_t long_len)
{
	w->sum.unparsed += long_len == 0;
	w->sum.long_lines += long_len != 0;
	if (w->nwarns < FL_WARN_SHOWN)
		w->warns[w->nwarns++] = (struct warn){line, col, msg, long_len};
}

static bool
blank(struct str s)
{
	return s.n == 0 || ((unsigned char)s.p[0] <= ' ' && str_trim(s).n == 0);
}

static void
progress(struct worker *w, struct textstream *ts, uint64_t line)
{
	if (!w->o->progress || (line & 0xfffff) != 0 || w->start != 0)
		return;
	uint64_t size = textstream_size(ts), done = textstream_consumed(ts);
	if (w->end)
		size = w->end; /* first half of a split file */
	if (size)
		fprintf(stderr, "\r%s: %3u%% %llu lines", w->file,
			(unsigned)(done > size ? 100 : done * 100 / size),
			(unsigned long long)line);
}

/* The second range of a split file stops where one of its tables is
 * full: past that point what a line adds depends on the first range's
 * tables, so fl_scan_file() reads the rest after merging. */
static bool
worker_full(struct worker *w, struct textstream *ts)
{
	if (w->frozen) {
		if (w->nistr + 2 <= w->budget_strings &&
		    w->sum.ncounters + 1 <= w->budget_counters)
			return false;
		w->stopped = true;
		w->stop_off = textstream_offset(ts);
		return true;
	}
	if (!w->stop_when_full)
		return false;
	if (w->sum.ngroups + w->nbatch >= FL_GROUPS_MAX)
		worker_flush(w); /* cannot overflow: one key per line */
	if (w->sum.ngroups < FL_GROUPS_MAX &&
	    w->sum.ncounters < FL_COUNTERS_MAX && w->nistr + 2 <= INTERN_MAX)
		return false;
	w->stopped = true;
	w->stop_off = textstream_offset(ts);
	return true;
}

static void
worker_line(struct worker *w, struct str line, uint64_t n)
{
	struct fl_record r;
	struct fl_error e;
	if (blank(line))
		w->sum.blank++;
	else if (fl_parse_fast(line, &w->ctx, &w->memo, &r) ||
		 fl_parse_line(line, &w->ctx, &r, &e)) {
		w->sum.parsed++;
		if (w->o->jsonl)
			fl_write_jsonl(w->o->jsonl, &r, w->file, n);
		worker_take(w, &r, n);
	} else
		worker_warn(w, n, e.col, e.msg, 0);
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	struct textstream *ts =
	    textstream_open(w->path, FL_LINE_MAX, w->start, w->end, &w->why);
	if (ts == NULL) {
		w->ok = false;
		w->open_failed = true;
		return NULL;
	}
	struct str line;
	enum ts_status st = TS_EOF;
	while (!worker_full(w, ts) &&
	       (st = textstream_next(ts, &line)) != TS_EOF && st != TS_ERROR) {
		uint64_t n = textstream_lineno(ts) + w->line_base;
		w->sum.lines++;
		progress(w, ts, n);
		if (st == TS_LONG)
			worker_warn(w, n, 1, NULL, textstream_long_len(ts));
		else
			worker_line(w, line, n);
	}
	worker_flush(w);
	if (!w->stopped && st == TS_ERROR) {
		w->ok = false;
		w->why = textstream_error(ts);
		w->sum.read_error = true;
	}
	textstream_close(ts);
	return NULL;
}

/* Folds src into dst; src's lines are shifted by base. Strings are
 * re-interned in dst, whose arena outlives src's; file names belong to
 * the scan's arena. */
static void
worker_merge(struct worker *dst, struct worker *src, uint64_t base)
{
	struct fl_summary *d = &dst->sum, *s = &src->sum;
	d->lines += s->lines;
	d->parsed += s->parsed;
	d->unparsed += s->unparsed;
	d->long_lines += s->long_lines;
	d->blank += s->blank;
	d->blocks += s->blocks;
	d->passes += s->passes;
	d->others += s->others;
	d->overflow += s->overflow;
	d->counter_overflow += s->counter_overflow;
	d->read_error |= s->read_error;
	if (s->first_ts && (!d->first_ts || s->first_ts < d->first_ts))
		d->first_ts = s->first_ts;
	if (s->last_ts > d->last_ts)
		d->last_ts = s->last_ts;
	for (size_t i = 0; i < s->ncounters; i++) {
		struct fl_counter *c = &src->counters[i];
		counter_add(dst, intern(dst, str_from(c->iface)), c->dir,
			    c->proto, c->count);
	}
	for (size_t i = 0; i < s->ngroups; i++) {
		struct fpend e = {src->fkeys[i], src->fcounts[i],
				  src->ffirst[i], 0};
		e.k.iface = intern(dst, str_from(e.k.iface));
		e.k.tracker = intern(dst, str_from(e.k.tracker));
		e.f.where.line += (uint32_t)base;
		e.hash = key_hash(&e.k);
		group_add(dst, &e);
	}
}

struct fl_scan *
fl_scan_new(struct arena *ar, const struct fl_scan_opts *o)
{
	struct fl_scan *sc = calloc(1, sizeof(*sc));
	if (sc == NULL)
		die_system("out of memory");
	sc->ar = ar;
	sc->o = *o;
	if (sc->o.threads == 0)
		sc->o.threads = 1;
	worker_init(&sc->acc, &sc->o);
	return sc;
}

static void
print_warns(struct fl_scan *sc, const struct worker *w, uint64_t base)
{
	for (size_t i = 0; i < w->nwarns && sc->warned < FL_WARN_SHOWN; i++) {
		const struct warn *x = &w->warns[i];
		struct srcloc loc = {.file = w->file,
				     .line = (uint32_t)(x->line + base),
				     .col = x->col};
		if (x->long_len)
			diag(DIAG_WARNING, &loc,
			     "line of %llu bytes is longer "
			     "than %u bytes: skipped",
			     (unsigned long long)x->long_len, FL_LINE_MAX);
		else
			diag(DIAG_WARNING, &loc, "%s", x->msg);
		sc->warned++;
	}
}

/* A plain file big enough is cut in two at its middle byte; each half
 * owns the lines that start in it. */
static size_t
plan_ranges(struct fl_scan *sc, const char *path, struct worker *w)
{
	unsigned char head[8];
	struct stat st;
	uint64_t min = sc->o.split_min ? sc->o.split_min : SPLIT_MIN;
	/* stat first: reading the head of a pipe would eat its data */
	if (sc->o.threads < 2 || sc->o.jsonl || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size < 2 ||
	    (uint64_t)st.st_size < min)
		return 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t hn = fd >= 0 ? pread(fd, head, sizeof(head), 0) : -1;
	if (fd >= 0)
		close(fd);
	if (hn < 0 || textstream_detect(head, (size_t)hn) != TS_PLAIN)
		return 1;
	w[0].size = (uint64_t)st.st_size;
	w[0].end = (uint64_t)st.st_size / 2;
	w[1].start = (uint64_t)st.st_size / 2;
	return 2;
}

/* Runs the n ranges, the second in a thread of its own. */
static void
run_ranges(struct worker *w, size_t n)
{
	pthread_t th;
	bool threaded =
	    n == 2 && pthread_create(&th, NULL, worker_run, &w[1]) == 0;
	worker_run(&w[0]);
	if (threaded)
		pthread_join(th, NULL);
	else if (n == 2)
		worker_run(&w[1]);
}

/* Folds what a reader on w's frozen table found into w; its warnings
 * are printed with their lines shifted by base. */
static void
merge_frozen(struct fl_scan *sc, struct worker *w, struct worker *f,
	     uint64_t base)
{
	print_warns(sc, f, base);
	worker_merge(w, f, base); /* counts, counters; f has no flows */
	for (size_t i = 0; i < w->sum.ngroups; i++)
		if (f->delta[i].count)
			count_fold(&w->fcounts[i], &f->delta[i]);
	if (!f->ok) {
		w->ok = false;
		w->why = f->why;
		w->open_failed = f->open_failed;
	}
}

/* Two readers on w's frozen table for [a0, b0) and [a1, b1) (0: to the
 * end), each allowed half of what is left below the string and counter
 * ceilings after `taken` strings and counters more. */
static void
frozen_pair(struct worker *w, struct worker *f, const uint64_t r[4],
	    size_t taken_strings, size_t taken_counters)
{
	for (int i = 0; i < 2; i++) {
		worker_init(&f[i], w->o);
		f[i].file = w->file;
		f[i].path = w->path;
		f[i].ctx = w->ctx;
		f[i].frozen = w;
		f[i].delta = table_full(FL_GROUPS_MAX, sizeof(*f[i].delta));
		f[i].budget_strings =
		    (INTERN_MAX - w->nistr - taken_strings) / 2;
		f[i].budget_counters =
		    (FL_COUNTERS_MAX - w->sum.ncounters - taken_counters) / 2;
		f[i].start = r[2 * i];
		f[i].end = r[2 * i + 1];
	}
	f[0].line_base = w->sum.lines;
	run_ranges(f, 2);
}

static bool
frozen_ok(const struct worker *w, size_t taken_strings, size_t taken_counters)
{
	return w->sum.ngroups == FL_GROUPS_MAX &&
	       w->nistr + taken_strings + 8 <= INTERN_MAX &&
	       w->sum.ncounters + taken_counters + 4 <= FL_COUNTERS_MAX;
}

/* Reads [a, b) (b 0: to the end) with w alone, on its tables. */
static void
scan_serial(struct fl_scan *sc, struct worker *w, uint64_t a, uint64_t b)
{
	if (!w->ok)
		return;
	w->start = a;
	w->end = b;
	w->line_base = w->sum.lines;
	w->nwarns = 0;
	w->stop_when_full = w->stopped = false;
	worker_run(w);
	print_warns(sc, w, 0);
}

/* Once the flow table is full no line can add a flow: the rest of the
 * file, from off, is read by two readers sharing the table read-only,
 * each adding to its own counts, merged in file order. A reader stops
 * before its strings or counters could reach the ceiling (where the
 * order of new ones would matter); one reader goes on from there. */
static void
scan_rest(struct fl_scan *sc, struct worker *w, uint64_t off)
{
	struct worker f[2];
	if (!w->ok || !frozen_ok(w, 0, 0) || w->size <= off + 2) {
		scan_serial(sc, w, off, 0);
		return;
	}
	uint64_t mid = off + (w->size - off) / 2, r[4] = {off, mid, mid, 0};
	frozen_pair(w, f, r, 0, 0);
	merge_frozen(sc, w, &f[0], 0);
	if (f[0].stopped)
		scan_serial(sc, w, f[0].stop_off, 0);
	else if (w->ok) {
		merge_frozen(sc, w, &f[1], w->sum.lines);
		if (f[1].stopped)
			scan_serial(sc, w, f[1].stop_off, 0);
	}
	for (int i = 0; i < 2; i++)
		worker_free(&f[i]);
}

static void
merge_second(struct fl_scan *sc, struct worker *w, struct worker *w1)
{
	uint64_t base = w->sum.lines;
	print_warns(sc, w1, base);
	worker_merge(w, w1, base);
	if (!w1->ok) {
		w->ok = false;
		w->why = w1->why;
		w->open_failed = w1->open_failed;
	}
}

/* Both halves stopped early or the first did: its table is full (the
 * usual case for a log of many flows), so what is left of the first
 * half and of the second is read by two readers on it, merged in file
 * order around the second half's own results. */
static void
scan_first_full(struct fl_scan *sc, struct worker *w)
{
	uint64_t p0 = w[0].stop_off, half = w[0].end,
		 s1 = w[1].stopped ? w[1].stop_off : 0;
	struct worker f[2];
	if (!frozen_ok(&w[0], w[1].nistr, w[1].sum.ncounters)) {
		scan_serial(sc, &w[0], p0, half);
		merge_second(sc, &w[0], &w[1]);
		if (s1 && w[0].ok)
			scan_rest(sc, &w[0], s1);
		return;
	}
	uint64_t mid = p0 + (half - p0) / 2;
	uint64_t r[4] = {p0, s1 ? half : mid, s1 ? s1 : mid, s1 ? 0 : half};
	frozen_pair(&w[0], f, r, w[1].nistr, w[1].sum.ncounters);
	merge_frozen(sc, &w[0], &f[0], 0);
	if (f[0].stopped) {
		scan_serial(sc, &w[0], f[0].stop_off, half);
		merge_second(sc, &w[0], &w[1]);
		if (s1 && w[0].ok)
			scan_rest(sc, &w[0], s1);
	} else if (s1) { /* f[1] read what followed the second half's stop */
		merge_second(sc, &w[0], &w[1]);
		if (w[0].ok)
			merge_frozen(sc, &w[0], &f[1], w[0].sum.lines);
		if (w[0].ok && f[1].stopped)
			scan_serial(sc, &w[0], f[1].stop_off, 0);
	} else {
		if (w[0].ok)
			merge_frozen(sc, &w[0], &f[1], w[0].sum.lines);
		if (f[1].stopped)
			scan_serial(sc, &w[0], f[1].stop_off, half);
		merge_second(sc, &w[0], &w[1]);
	}
	for (int i = 0; i < 2; i++)
		worker_free(&f[i]);
}

/* Two ranges merged give the tables one reader would have built, line
 * for line: a range stops where one of its tables fills (worker_full())
 * and the rest is read on the merged tables, in file order. */
static bool
merge_ranges(struct fl_scan *sc, struct worker *w, size_t n)
{
	print_warns(sc, &w[0], 0);
	if (n == 2 && w[0].ok && w[0].stopped)
		scan_first_full(sc, w);
	else if (n == 2) {
		merge_second(sc, &w[0], &w[1]);
		if (w[0].ok && w[1].stopped)
			scan_rest(sc, &w[0], w[1].stop_off);
	}
	struct srcloc loc = {.file = w[0].file};
	if (!w[0].ok)
		diag(DIAG_ERROR, &loc, "%s%s",
		     w[0].open_failed ? "cannot open: " : "",
		     w[0].why ? w[0].why : "read error");
	return w[0].ok;
}

bool
fl_scan_file(struct fl_scan *sc, const char *path)
{
	return fl_scan_file_as(sc, path, path);
}

bool
fl_scan_file_as(struct fl_scan *sc, const char *path, const char *label)
{
	struct worker w[2];
	const char *file = arena_strdup(sc->ar, label);
	for (int i = 0; i < 2; i++) {
		worker_init(&w[i], &sc->o);
		w[i].file = file;
		w[i].path = path;
		w[i].ctx = fl_ctx_for_file(path);
		if (sc->o.year)
			w[i].ctx = (struct fl_ctx){sc->o.year, 0};
	}
	size_t n = plan_ranges(sc, path, w);
	w[0].stop_when_full = w[1].stop_when_full = n == 2;
	for (size_t i = 0; i < n && n == 2; i++) /* a big log */
	{
		table_huge(w[i].fkeys, FL_GROUPS_MAX * sizeof(*w[i].fkeys));
		table_huge(w[i].fcounts, FL_GROUPS_MAX * sizeof(*w[i].fcounts));
		table_huge(w[i].ffirst, FL_GROUPS_MAX * sizeof(*w[i].ffirst));
	}
	run_ranges(w, n);
	if (sc->o.progress)
		fputs("\r\033[K", stderr);
	bool ok = merge_ranges(sc, w, n);
	const struct fl_summary *fs = &w[0].sum;
	if (ok && fs->parsed == 0 && fs->unparsed + fs->long_lines > 0) {
		diag(DIAG_ERROR, &(struct srcloc){.file = file},
		     "no line of this file is a filterlog line: not a "
		     "pfSense/OPNsense firewall log?");
		ok = false;
	}
	worker_merge(&sc->acc, &w[0], 0);
	sc->acc.sum.files++;
	for (int i = 0; i < 2; i++)
		worker_free(&w[i]);
	return ok;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct fl_group *x = a, *y = b;
	if (x->tunnel != y->tunnel)
		return x->tunnel ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	int c = strcmp(x->where.file, y->where.file);
	if (c)
		return c;
	return x->where.line < y->where.line ? -1
					     : x->where.line > y->where.line;
}

static int
counter_cmp(const void *a, const void *b)
{
	const struct fl_counter *x = a, *y = b;
	int c = strcmp(x->iface, y->iface);
	if (c)
		return c;
	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return x->proto < y->proto ? -1 : x->proto > y->proto;
}

/* Flow i of w as the scan gives it, its strings in ar. */
static struct fl_group
group_out(struct arena *ar, const struct worker *w, size_t i)
{
	const struct fkey *k = &w->fkeys[i];
	const struct fcount *c = &w->fcounts[i];
	return (struct fl_group){
	    .kind = (enum obs_kind)k->kind,
	    .iface = arena_strdup(ar, k->iface),
	    .tracker = arena_strdup(ar, k->tracker),
	    .dir = (enum pkt_dir)k->dir,
	    .proto = k->proto,
	    .ipver = k->ipver,
	    .src = {k->src_fam, k->src},
	    .dst = {k->dst_fam, k->dst},
	    .dport = k->dport,
	    .value = k->value,
	    .count = c->count,
	    .bytes = c->bytes,
	    .first_ts = c->first_ts,
	    .last_ts = c->last_ts,
	    .where = w->ffirst[i].where,
	    .tunnel = w->ffirst[i].tunnel,
	};
}

void
fl_scan_finish(struct fl_scan *sc, struct fl_summary *out)
{
	struct fl_summary *s = &sc->acc.sum;
	uint64_t bad = s->unparsed + s->long_lines;
	if (bad > sc->warned)
		diag(DIAG_NOTE, &(struct srcloc){.file = "ipsecdiag"},
		     "%llu more unparsed line%s not shown "
		     "(%llu in all)",
		     (unsigned long long)(bad - sc->warned),
		     bad - sc->warned == 1 ? "" : "s", (unsigned long long)bad);
	*out = *s;
	out->groups =
	    arena_alloc(sc->ar, (s->ngroups + 1) * sizeof(*out->groups));
	out->counters =
	    arena_alloc(sc->ar, (s->ncounters + 1) * sizeof(*out->counters));
	for (size_t i = 0; i < s->ngroups; i++)
		out->groups[i] = group_out(sc->ar, &sc->acc, i);
	for (size_t i = 0; i < s->ncounters; i++) {
		out->counters[i] = sc->acc.counters[i];
		out->counters[i].iface =
		    arena_strdup(sc->ar, sc->acc.counters[i].iface);
	}
	qsort(out->groups, s->ngroups, sizeof(*out->groups), group_cmp);
	qsort(out->counters, s->ncounters, sizeof(*out->counters), counter_cmp);
}

void
fl_scan_free(struct fl_scan *sc)
{
	if (sc == NULL)
		return;
	worker_free(&sc->acc);
	free(sc);
}

/* A JSON string of a slice: control characters escaped, invalid UTF-8
 * replaced by U+FFFD so the output is always valid JSON. */
static void
json_str(FILE *f, struct str s)
{
	putc('"', f);
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else if (c < 0x80)
			putc(c, f);
		else {
			size_t k = c >= 0xf0 && c < 0xf5   ? 4
				   : c >= 0xe0		   ? 3
				   : c >= 0xc2 && c < 0xe0 ? 2
							   : 0;
			bool ok = k && i + k <= s.n;
			for (size_t j = 1; ok && j < k; j++)
				ok = ((unsigned char)s.p[i + j] & 0xc0) == 0x80;
			if (!ok) {
				fputs("\\ufffd", f);
				continue;
			}
			fwrite(s.p + i, 1, k, f);
			i += k - 1;
		}
	}
	putc('"', f);
}

static void
json_kv(FILE *f, const char *key, struct str v)
{
	fprintf(f, ",\"%s\":", key);
	json_str(f, v);
}

static void
jsonl_time(FILE *f, const struct fl_record *r)
{
	if (!r->has_ts) {
		fputs("\"time\":null", f);
		return;
	}
	char buf[32];
	fl_format_time((double)r->ts, buf);
	buf[10] = 'T';
	fprintf(f, "\"time\":\"%s", buf);
	if (r->usec)
		fprintf(f, ".%06u", r->usec);
	fputs(r->has_tz ? "Z\"" : "\"", f);
}

static void
jsonl_l4(FILE *f, const struct fl_record *r)
{
	if (r->has_ports)
		fprintf(f, ",\"sport\":%u,\"dport\":%u", r->sport, r->dport);
	if (r->l4 == FL_L4_TCP || r->l4 == FL_L4_UDP || r->l4 == FL_L4_DATALEN)
		fprintf(f, ",\"datalen\":%u", r->datalen);
	if (r->l4 == FL_L4_TCP)
		json_kv(f, "tcp_flags", r->tcpflags);
	if (r->l4 == FL_L4_ICMP) {
		json_kv(f, "icmp_type", r->icmp_name);
		if (r->icmp == FL_ICMP_REQUEST || r->icmp == FL_ICMP_REPLY ||
		    r->icmp == FL_ICMP_TSTAMP || r->icmp == FL_ICMP_TSTAMPREPLY)
			fprintf(f, ",\"icmp_id\":%u,\"icmp_seq\":%u",
				r->icmp_id, r->icmp_seq);
		if (r->icmp == FL_ICMP_NEEDFRAG)
			fprintf(f, ",\"icmp_mtu\":%u", r->icmp_mtu);
		if (r->icmp == FL_ICMP_TEXT)
			json_kv(f, "icmp_text", r->icmp_text);
	}
	if (r->l4 == FL_L4_CARP)
		fprintf(f, ",\"carp_vhid\":%u", r->carp_vhid);
}

void
fl_write_jsonl(FILE *f, const struct fl_record *r, const char *file,
	       uint64_t line)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	putc('{', f);
	jsonl_time(f, r);
	json_kv(f, "host", r->host);
	fputs(",\"file\":", f);
	json_str(f, str_from(file));
	fprintf(f, ",\"line\":%llu,\"rule\":%u", (unsigned long long)line,
		r->rulenr);
	json_kv(f, "tracker", r->tracker);
	json_kv(f, "interface", r->iface);
	json_kv(f, "reason", r->reason);
	json_kv(f, "action", r->action_text);
	fprintf(f, ",\"dir\":\"%s\",\"ipver\":%u,\"proto\":%u",
		r->dir == PDIR_IN ? "in" : "out", r->ipver, r->proto);
	json_kv(f, "protoname", r->protoname);
	fprintf(f, ",\"length\":%u,\"src\":\"%s\",\"dst\":\"%s\"", r->length,
		ipaddr_format(&r->src, a), ipaddr_format(&r->dst, b));
	if (r->fragment)
		fputs(",\"fragment\":true", f);
	jsonl_l4(f, r);
	if (r->error.n)
		json_kv(f, "error", r->error);
	fputs("}\n", f);
}

static const char *
span_text(struct arena *ar, const struct fl_summary *s)
{
	char a[32], b[32];
	if (!s->first_ts)
		return "";
	fl_format_time(s->first_ts, a);
	fl_format_time(s->last_ts, b);
	return arena_printf(ar, " %s..%s", a, b);
}

/* Observations for the site: one per group, doc/behaviour/pfsense.md §3; the
 * log span and line count on the evidence. */
static void
add_observations(struct arena *ar, struct site *s, const struct fl_summary *m)
{
	struct evidence *ev = &s->ev;
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct fl_group *g = &m->groups[i];
		struct observation *o =
		    ARENA_PUSH(ar, ev->obs, ev->nobs, ev->cobs);
		o->kind = g->kind;
		o->iface = g->iface;
		o->dir = g->dir;
		o->src = g->src;
		o->dst = g->dst;
		o->proto = g->proto;
		o->dport = g->dport;
		o->count = g->count;
		o->bytes = g->bytes;
		o->first_ts = g->first_ts;
		o->last_ts = g->last_ts;
		o->where = g->where;
		o->tracker = g->tracker;
		o->action = g->kind == OBS_FW_PASS ? "pass" : "block";
		o->value = g->value;
		if (g->kind == OBS_FW_NEEDFRAG)
			o->icmp_type = 3; /* unreach, code 4 needfrag */
		if (g->kind == OBS_FW_NEEDFRAG)
			o->icmp_code = 4;
	}
	if (m->parsed) {
		if (m->first_ts &&
		    (!ev->log_first || m->first_ts < ev->log_first))
			ev->log_first = m->first_ts;
		if (m->last_ts > ev->log_last)
			ev->log_last = m->last_ts;
		ev->has_log = true;
	}
	ev->log_lines += m->lines;
}

static bool
compressed_not_filterlog(struct input_file *in, const char *path)
{
	unsigned char head[8];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(head, 1, sizeof(head), f) : 0;
	if (f)
		fclose(f);
	enum ts_comp c = textstream_detect(head, n);
	if (c == TS_PLAIN)
		return false;
	unsigned char buf[8192];
	size_t got = textstream_peek(path, buf, sizeof(buf));
	if (got == 0 || input_recognize(buf, got, NULL) == INPUT_FILTERLOG)
		return false; /* corrupt data is reported by the reader */
	struct srcloc loc = {.file = in->path};
	diag(DIAG_NOTE, &loc,
	     "%s-compressed, but what it holds is not a "
	     "firewall log (filterlog): skipped",
	     textstream_comp_name(c));
	return true;
}

bool
log_filterlog_import(struct arena *ar, struct input_file *in, struct site *s)
{
	return log_filterlog_import_from(ar, in, s, in->path);
}

bool
log_filterlog_import_from(struct arena *ar, struct input_file *in,
			  struct site *s, const char *path)
{
	if (compressed_not_filterlog(in, path)) {
		in->kind = INPUT_UNKNOWN;
		return true;
	}
	struct fl_scan_opts o = {.site = s,
				 .all_blocks = true,
				 .threads = 2,
				 .year = fl_year_from_env()};
	struct fl_scan *sc = fl_scan_new(ar, &o);
	bool ok = fl_scan_file_as(sc, path, in->path);
	struct fl_summary m;
	fl_scan_finish(sc, &m);
	fl_scan_free(sc);
	add_observations(ar, s, &m);
	const char *base = strrchr(in->path, '/');
	in->summary =
	    arena_printf(ar, "%s %llu lines%s%s", base ? base + 1 : in->path,
			 (unsigned long long)m.lines, span_text(ar, &m),
			 m.unparsed + m.long_lines ? " (some unparsed)" : "");
	return ok;
}
