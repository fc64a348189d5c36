/* pfctl -vvss from pfSense's status archive
 * (doc/behaviour/status-archive.md §8). */
#include <string.h>

#include "import/linux/linux.h"
#include "import/status/st_readers.h"

/* "10.0.1.10:5", "2001:db8::1[443]", "5.6.7.1" (ESP: no port) */
static bool
endpoint(struct str w, struct ipaddr *a, unsigned *port)
{
	struct str host = w, p = {0};
	uint64_t v = 0;
	const char *br = memchr(w.p, '[', w.n);
	if (br) { /* IPv6 "addr[port]" */
		host = (struct str){w.p, (size_t)(br - w.p)};
		p = (struct str){br + 1, w.n - (size_t)(br - w.p) - 1};
		if (p.n && p.p[p.n - 1] == ']')
			p.n--;
	} else if (memchr(w.p, ':', w.n) &&
		   memchr(w.p, ':', w.n) == memrchr(w.p, ':', w.n)) {
		const char *c = memchr(w.p, ':', w.n); /* IPv4 "addr:port" */
		host = (struct str){w.p, (size_t)(c - w.p)};
		p = (struct str){c + 1, w.n - (size_t)(c - w.p) - 1};
	}
	if (!ipaddr_parse(host, a))
		return false;
	*port = p.n && str_to_u64(p, 65535, &v) ? (unsigned)v : 0;
	return true;
}

/* "<if> <proto> A [(A')] ->|<- B [(B')] SRC:DST" */
static bool
state_line(struct arena *ar, struct str line, struct box_state *st)
{
	struct str w[12], rest = line, tok;
	size_t k = 0;
	while (k < 12 && str_next(&rest, ' ', &tok))
		if (str_trim(tok).n)
			w[k++] = str_trim(tok);
	if (k < 5)
		return false;
	size_t arrow = 0;
	for (size_t i = 3; i < k && !arrow; i++)
		if (str_eq(w[i], "->") || str_eq(w[i], "<-"))
			arrow = i;
	if (arrow == 0 || arrow + 1 >= k || !endpoint(w[2], &st->a, &st->aport))
		return false;
	size_t bi = arrow + 1;
	if (!endpoint(w[bi], &st->b, &st->bport))
		return false;
	st->outbound = w[arrow].p[0] == '-';
	if (!st->outbound) { /* "ours <- theirs": the right side opened it */
		struct ipaddr t = st->a;
		unsigned tp = st->aport;
		st->a = st->b, st->aport = st->bport;
		st->b = t, st->bport = tp;
	}
	st->ifname = lx_dup(ar, w[0]);
	st->proto = lx_dup(ar, w[1]);
	return true;
}

/* "   age 00:00:10, expires in 00:00:09, 5:0 pkts, 420:0 bytes, rule 4" */
static void
state_detail(struct box_state *st, struct str line)
{
	struct str rest = line, tok;
	while (str_next(&rest, ',', &tok)) {
		struct str t = str_trim(tok), a, b;
		uint64_t x, y;
		if (t.n > 5 && memcmp(t.p + t.n - 5, " pkts", 5) == 0 &&
		    str_split((struct str){t.p, t.n - 5}, ':', &a, &b) &&
		    str_to_u64(a, UINT64_MAX, &x) &&
		    str_to_u64(b, UINT64_MAX, &y)) {
			st->pkts_ab = x, st->pkts_ba = y;
			st->has_pkts = true;
		} else if (str_starts(t, "rule ") &&
			   str_to_u64((struct str){t.p + 5, t.n - 5},
				      UINT32_MAX, &x)) {
			st->rule = (unsigned)x;
			st->has_rule = true;
		}
	}
}

size_t
st_read_pfstates(struct arena *ar, struct boxstate *b, const char *file,
		 const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	bool cur = false;
	size_t n = 0;
	b->states_file = file;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		if (line.n == 0)
			continue;
		if (line.p[0] == ' ' || line.p[0] == '\t') {
			if (cur)
				state_detail(&b->states[b->nstates - 1], line);
			continue;
		}
		struct box_state st = {0};
		cur = state_line(ar, line, &st);
		if (!cur)
			continue;
		st.loc = (struct srcloc){.file = file, .line = it.lineno};
		*ARENA_PUSH(ar, b->states, b->nstates, b->cstates) = st;
		n++;
	}
	b->has_states = b->has_states || n > 0;
	return n;
}
