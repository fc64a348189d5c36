/* netstat -nWr, ifconfig, arp -an, ndp -na, setkey -DP, _errors.txt and
 * Product-Info.txt from pfSense's status archive
 * (doc/behaviour/status-archive.md §3). */
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/status/st_readers.h"

enum { ST_WORDS = 12 };

/* Splits a line on blanks into at most ST_WORDS words; returns count. */
static size_t
words(struct str line, struct str *w)
{
	size_t n = 0, i = 0;
	while (i < line.n && n < ST_WORDS) {
		while (i < line.n && (line.p[i] == ' ' || line.p[i] == '\t'))
			i++;
		size_t s = i;
		while (i < line.n && line.p[i] != ' ' && line.p[i] != '\t')
			i++;
		if (i > s)
			w[n++] = (struct str){line.p + s, i - s};
	}
	return n;
}

/* An address with its zone ("fe80::1%em0") or port ("[any]") cut off. */
static bool
addr_word(struct str w, struct ipaddr *a)
{
	struct str head, rest;
	str_split(w, '%', &head, &rest);
	str_split(head, '[', &head, &rest);
	return ipaddr_parse(head, a);
}

/* "10.0.1.0/24", "10.0.1.5" (host), "fe80::%lo0/64", "default". */
static bool
prefix_word(struct str w, bool v6, struct prefix *p)
{
	if (str_eq(w, "default"))
		return prefix_parse(str_from(v6 ? "::/0" : "0.0.0.0/0"), p,
				    NULL);
	struct str head = w, rest, len = {0};
	str_split(w, '[', &w, &rest); /* setkey: "10.0.1.0/24[any]" */
	head = w;
	const char *sl = memchr(w.p, '/', w.n);
	if (sl) {
		head = (struct str){w.p, (size_t)(sl - w.p)};
		len = (struct str){sl + 1, (size_t)(w.p + w.n - sl - 1)};
	}
	str_split(head, '%', &head, &rest);
	str_split(head, '[', &head, &rest);
	struct ipaddr a;
	if (!ipaddr_parse(head, &a))
		return false;
	uint64_t l = fam_bits(a.fam);
	if (len.n && !str_to_u64(len, fam_bits(a.fam), &l))
		return false;
	*p = prefix_make(a, (unsigned)l);
	return true;
}

static struct srcloc
at(const char *file, uint32_t line)
{
	return (struct srcloc){.file = file, .line = line};
}

/* Column positions from the header line: "Destination Gateway Flags
 * [Use|Nhop#|Refs] [Mtu] Netif Expire" (with -W, FreeBSD 11/12 or 13+;
 * without -W some columns are missing). */
struct ns_cols {
	int flags, mtu, netif, n;
};

static bool
ns_header(const struct str *w, size_t k, struct ns_cols *c)
{
	if (k < 4 || !str_eq(w[0], "Destination") || !str_eq(w[1], "Gateway"))
		return false;
	*c = (struct ns_cols){-1, -1, -1, 0};
	for (size_t i = 2; i < k; i++) {
		if (str_eq(w[i], "Flags"))
			c->flags = (int)i;
		else if (str_eq(w[i], "Mtu"))
			c->mtu = (int)i;
		else if (str_eq(w[i], "Netif"))
			c->netif = (int)i;
	}
	c->n = c->netif + 1; /* Expire, after Netif, is mostly empty */
	return c->netif > 1;
}

size_t
st_read_netstat(struct arena *ar, struct boxstate *b, const char *file,
		const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line, w[ST_WORDS];
	struct ns_cols c = {0};
	bool v6 = false, rows = false;
	size_t n = 0;
	b->routes_file = file;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		size_t k = words(line, w);
		if (k == 1 &&
		    (str_eq(w[0], "Internet:") || str_eq(w[0], "Internet6:"))) {
			v6 = w[0].n == 10;
			rows = false;
			continue;
		}
		if (ns_header(w, k, &c)) {
			rows = true;
			continue;
		}
		struct box_route r = {0};
		uint64_t mtu = 0;
		if (!rows || k < (size_t)c.n ||
		    !prefix_word(w[0], v6, &r.net) ||
		    (c.mtu > 0 && !str_to_u64(w[c.mtu], 1 << 20, &mtu)))
			continue;
		r.is_default = str_eq(w[0], "default");
		r.gateway = lx_dup(ar, w[1]);
		r.has_via = addr_word(w[1], &r.via);
		r.flags = c.flags > 0 ? lx_dup(ar, w[c.flags]) : "";
		r.mtu = (unsigned)mtu;
		r.netif = lx_dup(ar, w[c.netif]);
		r.loc = at(file, it.lineno);
		*ARENA_PUSH(ar, b->routes, b->nroutes, b->croutes) = r;
		n++;
	}
	b->has_routes = b->has_routes || n > 0;
	return n;
}

/* "carp: MASTER vhid 1 advbase 1 advskew 0" */
struct carp_line {
	unsigned vhid;
	const char *state;
};

static unsigned
vhid_of(const struct str *w, size_t k)
{
	uint64_t v = 0;
	for (size_t i = 0; i + 1 < k; i++)
		if (str_eq(w[i], "vhid") && str_to_u64(w[i + 1], 255, &v))
			return (unsigned)v;
	return 0;
}

/* "inet 10.0.1.1 netmask 0xffffff00 broadcast ... [vhid N]" */
static void
if_inet(struct arena *ar, struct boxstate *b, struct box_if *f,
	const struct str *w, size_t k, uint32_t lineno, const char *file)
{
	struct ipaddr a;
	if (k < 2 || !addr_word(w[1], &a))
		return;
	unsigned plen = fam_bits(a.fam);
	for (size_t i = 2; i + 1 < k; i++) {
		uint64_t v;
		if (str_eq(w[i], "prefixlen") && str_to_u64(w[i + 1], 128, &v))
			plen = (unsigned)v;
		if (str_eq(w[i], "netmask") && w[i + 1].n > 2) {
			char hx[16] = {0};
			memcpy(hx, w[i + 1].p,
			       w[i + 1].n < 15 ? w[i + 1].n : 15);
			plen = (unsigned)__builtin_popcountl(
			    strtoul(hx, NULL, 16));
		}
	}
	struct ifaddr *ia = ARENA_PUSH(ar, f->addrs, f->naddrs, f->caddrs);
	ia->addr = a;
	ia->plen = (uint8_t)plen;
	unsigned vhid = vhid_of(w, k);
	if (vhid) {
		struct box_carp *c =
		    ARENA_PUSH(ar, b->carp, b->ncarp, b->ccarp);
		c->addr = a;
		c->vhid = vhid;
		c->ifname = f->name;
		c->loc = at(file, lineno);
	}
}

/* One tab-indented line of the current interface. */
static void
if_detail(struct arena *ar, struct boxstate *b, struct box_if *f,
	  struct str line, uint32_t lineno, const char *file, size_t first_carp)
{
	struct str w[ST_WORDS];
	size_t k = words(line, w);
	uint64_t v;
	if (k == 0)
		return;
	if (str_eq(w[0], "inet") || str_eq(w[0], "inet6")) {
		if_inet(ar, b, f, w, k, lineno, file);
	} else if (str_eq(w[0], "tunnel") && k >= 5) {
		f->has_tunnel = addr_word(w[2], &f->tun_src) &&
				addr_word(w[4], &f->tun_dst);
	} else if (str_eq(w[0], "reqid:") && k >= 2 &&
		   str_to_u64(w[1], UINT32_MAX, &v)) {
		f->reqid = (unsigned)v;
	} else if (str_eq(w[0], "status:")) {
		f->no_carrier =
		    k >= 3 && str_eq(w[1], "no") && str_eq(w[2], "carrier");
	} else if (str_eq(w[0], "carp:") && k >= 2) {
		unsigned vhid = vhid_of(w, k);
		unsigned skew = 0;
		bool has_skew = false;
		for (size_t i = 2; i + 1 < k; i++)
			if (str_eq(w[i], "advskew") &&
			    str_to_u64(w[i + 1], 255, &v)) {
				skew = (unsigned)v;
				has_skew = true;
			}
		for (size_t i = first_carp; i < b->ncarp; i++)
			if (b->carp[i].vhid == vhid) {
				b->carp[i].state = lx_dup(ar, w[1]);
				b->carp[i].advskew = skew;
				b->carp[i].has_advskew = has_skew;
				b->carp[i].state_loc = at(file, lineno);
			}
	}
}

/* "em0: flags=8863<UP,BROADCAST,...> metric 0 mtu 1500" */
static bool
if_header(struct arena *ar, struct str line, uint32_t lineno, const char *file,
	  struct box_if *f)
{
	struct str w[ST_WORDS];
	size_t k = words(line, w);
	if (k < 2 || w[0].n < 2 || w[0].p[w[0].n - 1] != ':' ||
	    !str_starts(w[1], "flags="))
		return false;
	memset(f, 0, sizeof(*f));
	f->name = lx_dup(ar, (struct str){w[0].p, w[0].n - 1});
	f->up = memmem(w[1].p, w[1].n, "<UP", 3) != NULL;
	f->running = memmem(w[1].p, w[1].n, "RUNNING", 7) != NULL;
	for (size_t i = 2; i + 1 < k; i++) {
		uint64_t v;
		if (str_eq(w[i], "mtu") && str_to_u64(w[i + 1], 1 << 20, &v))
			f->mtu = (unsigned)v;
	}
	f->loc = at(file, lineno);
	return true;
}

size_t
st_read_ifconfig(struct arena *ar, struct boxstate *b, const char *file,
		 const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	struct box_if *cur = NULL;
	size_t first_carp = b->ncarp, n = 0;
	b->ifs_file = file;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		if (line.n == 0)
			continue;
		if (line.p[0] != '\t' && line.p[0] != ' ') {
			struct box_if f;
			cur = NULL;
			if (if_header(ar, line, it.lineno, file, &f)) {
				cur = ARENA_PUSH(ar, b->ifs, b->nifs, b->cifs);
				*cur = f;
				first_carp = b->ncarp;
				n++;
			}
			continue;
		}
		if (cur)
			if_detail(ar, b, &b->ifs[b->nifs - 1], line, it.lineno,
				  file, first_carp);
	}
	b->has_ifs = b->has_ifs || n > 0;
	return n;
}

static void
neigh_add(struct arena *ar, struct boxstate *b, struct box_neigh *e,
	  const char *file, uint32_t lineno)
{
	e->loc = at(file, lineno);
	*ARENA_PUSH(ar, b->neigh, b->nneigh, b->cneigh) = *e;
}

/* "? (10.0.1.5) at 00:0c:29:1a:4e:3b on em1 expires in 942 seconds
 * [ethernet]", "? (10.0.1.9) at (incomplete) on em1 expired [ethernet]" */
size_t
st_read_arp(struct arena *ar, struct boxstate *b, const char *file,
	    const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line, w[ST_WORDS];
	size_t n = 0;
	b->arp_file = file;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		size_t k = words(line, w);
		if (k < 6 || !str_eq(w[2], "at") || !str_eq(w[4], "on") ||
		    w[1].n < 3 || w[1].p[0] != '(')
			continue;
		struct box_neigh e = {0};
		struct str a = {w[1].p + 1, w[1].n - 2};
		if (!addr_word(a, &e.addr))
			continue;
		e.incomplete = str_eq(w[3], "(incomplete)");
		e.ifname = lx_dup(ar, w[5]);
		e.permanent = k > 6 && str_eq(w[6], "permanent");
		neigh_add(ar, b, &e, file, it.lineno);
		n++;
	}
	b->has_arp = b->has_arp || n > 0;
	return n;
}

/* "2001:db8::5   (incomplete)   em1 4s   I" after the "Neighbor" header */
size_t
st_read_ndp(struct arena *ar, struct boxstate *b, const char *file,
	    const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line, w[ST_WORDS];
	size_t n = 0;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		size_t k = words(line, w);
		struct box_neigh e = {0};
		if (k < 3 || str_eq(w[0], "Neighbor") ||
		    !addr_word(w[0], &e.addr))
			continue;
		e.incomplete = str_eq(w[1], "(incomplete)");
		e.ifname = lx_dup(ar, w[2]);
		e.permanent = k > 3 && str_eq(w[3], "permanent");
		neigh_add(ar, b, &e, file, it.lineno);
		n++;
	}
	b->has_ndp = b->has_ndp || n > 0;
	return n;
}

/* "esp/tunnel/198.51.100.2-203.0.113.9/unique:5" */
static void
spd_request(struct box_spd *p, struct str t)
{
	struct str proto, mode, ends, level, rest = t;
	str_split(rest, '/', &proto, &rest);
	str_split(rest, '/', &mode, &rest);
	if (str_eq(mode, "tunnel")) {
		const char *sl = NULL;
		for (size_t i = rest.n; i > 0 && !sl; i--)
			if (rest.p[i - 1] == '/')
				sl = rest.p + i - 1;
		ends = sl ? (struct str){rest.p, (size_t)(sl - rest.p)} : rest;
		level = sl ? (struct str){sl + 1,
					  (size_t)(rest.p + rest.n - sl - 1)}
			   : (struct str){0};
		struct str a, c;
		if (str_split(ends, '-', &a, &c))
			p->has_outer = ipaddr_parse(a, &p->outer_src) &&
				       ipaddr_parse(c, &p->outer_dst);
	} else {
		level = rest;
	}
	const char *colon = level.p ? memchr(level.p, ':', level.n) : NULL;
	uint64_t v;
	if (colon &&
	    str_to_u64((struct str){colon + 1,
				    (size_t)(level.p + level.n - colon - 1)},
		       UINT32_MAX, &v))
		p->reqid = (unsigned)v;
}

static void
spd_detail(struct arena *ar, struct box_spd *p, struct str line)
{
	struct str w[ST_WORDS];
	size_t k = words(line, w);
	if (k >= 2 && (str_eq(w[0], "in") || str_eq(w[0], "out") ||
		       str_eq(w[0], "fwd"))) {
		p->dir = str_eq(w[0], "in")    ? BSPD_IN
			 : str_eq(w[0], "out") ? BSPD_OUT
					       : BSPD_FWD;
		p->action = lx_dup(ar, w[1]);
	} else if (k >= 1 &&
		   (str_starts(w[0], "esp/") || str_starts(w[0], "ah/") ||
		    str_starts(w[0], "ipcomp/"))) {
		spd_request(p, w[0]);
	} else {
		for (size_t i = 0; i < k; i++)
			if (str_starts(w[i], "ifname="))
				p->ifname = lx_dup(
				    ar, (struct str){w[i].p + 7, w[i].n - 7});
	}
}

size_t
st_read_spd(struct arena *ar, struct boxstate *b, const char *file,
	    const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line, w[ST_WORDS];
	struct box_spd *cur = NULL;
	size_t n = 0;
	b->spd_file = file;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		if (line.n == 0)
			continue;
		if (line.p[0] == '\t' || line.p[0] == ' ') {
			if (cur)
				spd_detail(ar, &b->spd[b->nspd - 1], line);
			continue;
		}
		cur = NULL;
		if (str_starts(line, "No SPD entries")) {
			b->has_spd = true;
			continue;
		}
		struct box_spd p = {.dir = BSPD_OTHER};
		if (words(line, w) != 3 || !prefix_word(w[0], false, &p.src) ||
		    !prefix_word(w[1], false, &p.dst))
			continue;
		p.loc = at(file, it.lineno);
		cur = ARENA_PUSH(ar, b->spd, b->nspd, b->cspd);
		*cur = p;
		n++;
	}
	b->has_spd = b->has_spd || n > 0;
	return n;
}

size_t
st_read_errors(struct arena *ar, struct boxstate *b, const char *file,
	       const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	size_t n = 0;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		if (t.n == 0 || str_starts(t, "Errors:") ||
		    str_starts(t, "Some errors are normal"))
			continue;
		struct box_error *e =
		    ARENA_PUSH(ar, b->errors, b->nerrors, b->cerrors);
		e->text = lx_dup(ar, (struct str){t.p, t.n > 300 ? 300 : t.n});
		e->loc = at(file, it.lineno);
		n++;
	}
	return n;
}

const char *
st_read_product(struct arena *ar, const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		const char *v = memmem(line.p, line.n, " version: ", 10);
		if (v == NULL || line.n > 200)
			continue;
		struct str ver = str_trim(
		    (struct str){v + 10, (size_t)(line.p + line.n - v - 10)});
		if (ver.n && ver.n < 64)
			return lx_dup(ar, ver);
	}
	return NULL;
}

/* The number after `key` in a rule line ("ridentifier 1700000001"),
 * or after a label "id:N" / "id=N" (2.7+, master). */
static bool
rule_number(struct str line, const char *key, uint64_t *v)
{
	const char *p = memmem(line.p, line.n, key, strlen(key));
	if (p == NULL)
		return false;
	p += strlen(key);
	size_t n = 0;
	while (p + n < line.p + line.n && p[n] >= '0' && p[n] <= '9')
		n++;
	return n > 0 && str_to_u64((struct str){p, n}, UINT64_MAX, v);
}

/* "[ Evaluations: 2  Packets: 0  Bytes: 0  States: 0 ]" */
static void
rule_counters(struct box_rule *r, struct str line)
{
	uint64_t v;
	if (rule_number(line, "Evaluations: ", &v))
		r->evals = v, r->has_counters = true;
	if (rule_number(line, "Packets: ", &v))
		r->packets = v;
	if (rule_number(line, "Bytes: ", &v))
		r->bytes = v;
	if (rule_number(line, "States: ", &v))
		r->states = v;
}

/* "@12(0) pass in quick on em1 inet from ... ridentifier 1700000001" */
static bool
rule_line(struct arena *ar, struct str line, struct box_rule *r)
{
	struct str w[ST_WORDS];
	size_t k = words(line, w);
	uint64_t nr;
	if (k < 2 || w[0].p[0] != '@')
		return false;
	struct str num = {w[0].p + 1, 0};
	while (num.n + 1 < w[0].n && num.p[num.n] >= '0' && num.p[num.n] <= '9')
		num.n++;
	if (!str_to_u64(num, UINT32_MAX, &nr))
		return false;
	r->nr = (unsigned)nr;
	r->action = lx_dup(ar, w[1]);
	for (size_t i = 2; i + 1 < k; i++)
		if (str_eq(w[i], "on")) {
			r->iface = lx_dup(ar, w[i + 1]);
			break;
		}
	r->has_tracker = rule_number(line, " ridentifier ", &r->tracker) ||
			 rule_number(line, " tracker ", &r->tracker) ||
			 rule_number(line, "label \"id:", &r->tracker) ||
			 rule_number(line, "label \"id=", &r->tracker);
	return true;
}

size_t
st_read_pfrules(struct arena *ar, struct boxstate *b, const char *file,
		const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	struct box_rule *cur = NULL;
	size_t n = 0;
	b->rules_file = file;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		if (t.n && t.p[0] == '[' && cur) {
			rule_counters(&b->rules[b->nrules - 1], t);
			continue;
		}
		struct box_rule r = {0};
		cur = NULL;
		if (!rule_line(ar, t, &r))
			continue;
		r.loc = at(file, it.lineno);
		cur = ARENA_PUSH(ar, b->rules, b->nrules, b->crules);
		*cur = r;
		n++;
	}
	b->has_rules = b->has_rules || n > 0;
	return n;
}
