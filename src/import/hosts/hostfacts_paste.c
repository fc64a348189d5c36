/* Host facts from the commands' own output, as users paste it. The file
 * is read in blocks, one per host: a heading line (#, ==, --, **, [..])
 * starts one, and so does a second listing of a kind the block already
 * holds (two `ipconfig /all` one after the other are two hosts). Each
 * block's interfaces, masks, gateways and routes are then joined into
 * struct host entries, each fact with the line it came from. */
#include "import/hosts/hostfacts_paste.h"

#include <jansson.h>
#include <string.h>

#include "import/load.h"
#include "util/str.h"

/* Pastes are of a few hosts; caps keep hostile files linear. */
enum {
	LINE_MAX_TEXT = 4096,
	JSON_MAX = 1 << 20,
	BLOCK_MAX = 1024,
	HOSTS_MAX = 1024
};

/* Kinds of listing seen in a block (bits). */
enum {
	K_IPCONFIG = 1,
	K_ROUTEPRINT = 2,
	K_IPADDR = 4,
	K_IPROUTE = 8,
	K_IFCONFIG = 16,
	K_NETSTAT = 32,
	K_JSON = 64,
};

struct pif { /* one address of an interface */
	const char *dev;
	struct ipaddr addr;
	int plen; /* -1 unknown */
	struct srcloc loc, mask_loc, gw_loc;
	int gw; /* 0 unknown, 1 set, -1 none */
	struct ipaddr gwaddr;
};

struct proute {
	struct prefix net;
	bool on_link, is_default, has_ifaddr;
	struct ipaddr via, ifaddr;
	const char *dev;
	struct srcloc loc;
};

struct block {
	const char *name;
	unsigned kinds;
	struct pif *ifs;
	size_t nifs, cifs;
	struct proute *rts;
	size_t nrts, crts;
	const char *dev; /* current interface / adapter */
	bool gw_cont;	 /* ipconfig: the last key was Default Gateway */
	bool over;	 /* more addresses than BLOCK_MAX */
};

struct paste {
	struct arena *ar;
	struct site *s;
	const char *file;
	struct block b;
	size_t added, warned;
	const char *json_dead; /* a JSON scan failed up to here: no rescans */
	struct pif sink;
};

static struct srcloc
at(const struct paste *p, uint32_t line, struct str raw, struct str tok)
{
	uint32_t col =
	    tok.p && tok.p >= raw.p ? (uint32_t)(tok.p - raw.p) + 1 : 1;
	return (struct srcloc){p->file, line, col, 0};
}

static void
warn(struct paste *p, const struct srcloc *loc, const char *what,
     struct str tok)
{
	if (p->warned++ < 20)
		diag(DIAG_WARNING, loc, "%s '%.*s', ignored", what,
		     (int)(tok.n > 60 ? 60 : tok.n), tok.p);
}

/* "255.255.255.0" or "0xffffff00" -> 24; -1 when not a contiguous mask. */
static int
mask_len(struct str m)
{
	uint64_t v = 0;
	if (m.n > 2 && m.p[0] == '0' && (m.p[1] == 'x' || m.p[1] == 'X')) {
		if (m.n != 10)
			return -1;
		for (size_t i = 2; i < m.n; i++) {
			char c = m.p[i];
			int d = c >= '0' && c <= '9'   ? c - '0'
				: c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10
						       : -1;
			if (d < 0)
				return -1;
			v = v << 4 | (unsigned)d;
		}
	} else {
		struct ipaddr a;
		if (!ipaddr_parse(m, &a) || a.fam != FAM_V4)
			return -1;
		v = (uint64_t)a.v;
	}
	int len = 0;
	while (len < 32 && (v >> (31 - len) & 1))
		len++;
	return ((v << len) & 0xffffffffu) ? -1 : len;
}

/* An address with Windows/BSD decorations dropped: "(Preferred)",
 * "%12" zone, trailing ",". */
static bool
addr_of(struct str t, struct ipaddr *out)
{
	for (size_t i = 0; i < t.n; i++)
		if (t.p[i] == '(' || t.p[i] == '%' || t.p[i] == ',') {
			t.n = i;
			break;
		}
	return ipaddr_parse(str_trim(t), out);
}

static bool
skip_addr(const struct ipaddr *a)
{
	static const char *const nets[] = {"127.0.0.0/8", "169.254.0.0/16",
					   "::1/128", "fe80::/10"};
	for (size_t i = 0; i < sizeof(nets) / sizeof(*nets); i++) {
		struct prefix n;
		if (prefix_parse(str_from(nets[i]), &n, NULL) &&
		    prefix_contains(&n, a))
			return true;
	}
	return false;
}

static struct pif *
pif_add(struct paste *p, const char *dev, struct ipaddr a,
	const struct srcloc *loc)
{
	struct block *b = &p->b;
	for (size_t i = 0; i < b->nifs; i++)
		if (ipaddr_cmp(&b->ifs[i].addr, &a) == 0)
			return &b->ifs[i];
	if (b->nifs >= BLOCK_MAX) {
		if (!b->over)
			diag(DIAG_WARNING, loc,
			     "more than %d addresses for one "
			     "host: the rest is ignored",
			     BLOCK_MAX);
		b->over = true;
		memset(&p->sink, 0, sizeof(p->sink));
		return &p->sink; /* written, never read */
	}
	struct pif *f = ARENA_PUSH(p->ar, b->ifs, b->nifs, b->cifs);
	memset(f, 0, sizeof(*f));
	f->dev = dev;
	f->addr = a;
	f->plen = -1;
	f->loc = *loc;
	return f;
}

static void
route_add(struct paste *p, const struct proute *r)
{
	if (p->b.nrts >= BLOCK_MAX)
		return;
	*ARENA_PUSH(p->ar, p->b.rts, p->b.nrts, p->b.crts) = *r;
}

/* ---- joining a block into host facts ---- */

static const struct proute *
default_for(const struct block *b, const struct pif *f)
{
	const struct proute *only = NULL;
	size_t n = 0, nfam = 0;
	for (size_t i = 0; i < b->nifs; i++)
		nfam += b->ifs[i].addr.fam == f->addr.fam;
	for (size_t i = 0; i < b->nrts; i++) {
		const struct proute *r = &b->rts[i];
		if (!r->is_default || r->net.addr.fam != f->addr.fam)
			continue;
		if ((r->has_ifaddr && ipaddr_cmp(&r->ifaddr, &f->addr) == 0) ||
		    (r->dev && f->dev && strcmp(r->dev, f->dev) == 0))
			return r;
		only = r;
		n++;
	}
	if (n != 1 || only->has_ifaddr || only->dev)
		return NULL;
	return nfam == 1 || only->on_link ? only : NULL;
}

static bool
has_routes(const struct block *b, unsigned fam)
{
	for (size_t i = 0; i < b->nrts; i++)
		if (b->rts[i].net.addr.fam == fam)
			return true;
	return false;
}

/* The on-link route that holds f's address gives its mask. */
static void
mask_from_routes(const struct block *b, struct pif *f)
{
	int best = -1;
	for (size_t i = 0; i < b->nrts; i++) {
		const struct proute *r = &b->rts[i];
		if (!r->on_link || r->is_default ||
		    r->net.len >= fam_bits(f->addr.fam) ||
		    !prefix_contains(&r->net, &f->addr) ||
		    (r->has_ifaddr && ipaddr_cmp(&r->ifaddr, &f->addr) != 0))
			continue;
		if ((int)r->net.len > best) {
			best = r->net.len;
			f->mask_loc = r->loc;
		}
	}
	f->plen = best;
}

static void
host_routes(struct paste *p, struct host *h, const struct pif *f)
{
	struct prefix own = prefix_make(f->addr, (unsigned)f->plen);
	for (size_t i = 0; i < p->b.nrts; i++) {
		const struct proute *r = &p->b.rts[i];
		if (r->is_default || r->net.addr.fam != f->addr.fam ||
		    r->net.len == fam_bits(f->addr.fam) ||
		    (r->on_link && prefix_overlaps(&r->net, &own)) ||
		    (r->has_ifaddr && ipaddr_cmp(&r->ifaddr, &f->addr) != 0) ||
		    (r->dev && f->dev && strcmp(r->dev, f->dev) != 0))
			continue;
		struct host_route *hr =
		    ARENA_PUSH(p->ar, h->routes, h->nroutes, h->croutes);
		hr->net = r->net;
		hr->via = r->via;
		hr->on_link = r->on_link;
		hr->loc = r->loc;
	}
}

static void
block_flush(struct paste *p)
{
	struct block *b = &p->b;
	for (size_t i = 0; i < b->nifs; i++) {
		struct pif *f = &b->ifs[i];
		if (skip_addr(&f->addr))
			continue;
		if (f->plen < 0)
			mask_from_routes(b, f);
		if (f->plen < 0) {
			if (p->warned++ < 20)
				diag(DIAG_NOTE, &f->loc,
				     "host %s: no subnet "
				     "mask in the paste, not used",
				     ipaddr_str(p->ar, &f->addr));
			continue;
		}
		if (p->added == HOSTS_MAX) {
			diag(DIAG_WARNING, &f->loc,
			     "more than %d hosts in one "
			     "paste: the rest is ignored",
			     HOSTS_MAX);
			p->added++;
		}
		if (p->added > HOSTS_MAX)
			continue;
		struct host *h =
		    ARENA_PUSH(p->ar, p->s->hosts, p->s->nhosts, p->s->chosts);
		memset(h, 0, sizeof(*h));
		h->addr = f->addr;
		h->plen = (uint8_t)f->plen;
		h->loc = f->loc;
		h->mask_loc = f->mask_loc.file ? f->mask_loc : f->loc;
		h->pasted = true;
		h->name = b->name;
		const struct proute *d = f->gw ? NULL : default_for(b, f);
		if (f->gw > 0 || (d && !d->on_link)) {
			h->has_gateway = true;
			h->gateway = f->gw > 0 ? f->gwaddr : d->via;
			h->gw_loc = f->gw > 0 ? f->gw_loc : d->loc;
		} else if (f->gw < 0 ||
			   (d == NULL && has_routes(b, f->addr.fam))) {
			h->gw_loc = f->gw < 0 ? f->gw_loc : b->rts[0].loc;
		} else {
			h->gw_unknown = true;
		}
		host_routes(p, h, f);
		p->added++;
	}
	memset(b, 0, sizeof(*b));
}

static void
block_new(struct paste *p, const char *name)
{
	block_flush(p);
	p->b.name = name;
}

/* A listing of kind k begins: a second one in the block is a new host. */
static void
kind_begin(struct paste *p, unsigned k)
{
	if (p->b.kinds & k)
		block_new(p, NULL);
	p->b.kinds |= k;
}

/* ---- line kinds ---- */

static size_t
toks(struct str t, struct str *out, size_t max)
{
	size_t n = 0;
	size_t i = 0;
	while (i < t.n && n < max) {
		while (i < t.n && (t.p[i] == ' ' || t.p[i] == '\t'))
			i++;
		size_t s = i;
		while (i < t.n && t.p[i] != ' ' && t.p[i] != '\t')
			i++;
		if (i > s)
			out[n++] = (struct str){t.p + s, i - s};
	}
	return n;
}

static bool
at_col0(struct str raw)
{
	return raw.n && raw.p[0] != ' ' && raw.p[0] != '\t';
}

static void
win_gateway(struct paste *p, struct str val, const struct srcloc *loc)
{
	struct ipaddr a;
	bool empty = val.n == 0;
	if (!empty && (!addr_of(val, &a) || a.fam != FAM_V4))
		return; /* an IPv6 gateway: the IPv4 one may follow */
	for (size_t i = 0; i < p->b.nifs; i++) {
		struct pif *f = &p->b.ifs[i];
		if (f->addr.fam != FAM_V4 || f->dev != p->b.dev ||
		    (empty && f->gw))
			continue;
		f->gw = empty ? -1 : 1;
		if (!empty)
			f->gwaddr = a;
		f->gw_loc = *loc;
	}
}

/* ipconfig /all: "   IPv4 Address. . . . . . : 10.0.2.7(Preferred)" */
static bool
win_line(struct paste *p, uint32_t ln, struct str raw, struct str t)
{
	struct block *b = &p->b;
	if (str_eq(t, "Windows IP Configuration")) {
		kind_begin(p, K_IPCONFIG);
		b->dev = NULL;
		return true;
	}
	if (at_col0(raw) && t.p[t.n - 1] == ':' &&
	    memmem(t.p, t.n, " adapter ", 9)) {
		b->kinds |= K_IPCONFIG;
		b->dev = arena_strndup(p->ar, t.p, t.n - 1);
		b->gw_cont = false;
		return true;
	}
	const char *c = memmem(t.p, t.n, ": ", 2);
	if (c == NULL && t.p[t.n - 1] == ':')
		c = t.p + t.n - 1;
	if (c == NULL) {
		struct ipaddr a;
		if (!b->gw_cont || !addr_of(t, &a))
			return false;
		struct srcloc loc = at(p, ln, raw, t);
		win_gateway(p, t, &loc);
		return true;
	}
	struct str key = {t.p, (size_t)(c - t.p)};
	while (key.n && (key.p[key.n - 1] == '.' || key.p[key.n - 1] == ' '))
		key.n--;
	struct str val =
	    str_trim((struct str){c + 1, t.n - (size_t)(c + 1 - t.p)});
	struct srcloc loc = at(p, ln, raw, val.n ? val : t);
	b->gw_cont = false;
	struct ipaddr a;
	if (str_eq(key, "Host Name")) {
		if (b->name == NULL && val.n)
			b->name = arena_strndup(p->ar, val.p, val.n);
	} else if (str_eq(key, "IPv4 Address") || str_eq(key, "IP Address")) {
		if (addr_of(val, &a) && a.fam == FAM_V4)
			pif_add(p, b->dev, a, &loc);
		else if (val.n)
			warn(p, &loc, "bad IPv4 address", val);
	} else if (str_eq(key, "Subnet Mask")) {
		int len = mask_len(val);
		struct pif *f = b->nifs ? &b->ifs[b->nifs - 1] : NULL;
		if (len < 0) {
			if (val.n)
				warn(p, &loc, "bad subnet mask", val);
		} else if (f && f->dev == b->dev && f->addr.fam == FAM_V4 &&
			   f->plen < 0) {
			f->plen = len;
			f->mask_loc = loc;
		}
	} else if (str_eq(key, "Default Gateway")) {
		b->gw_cont = true;
		win_gateway(p, val, &loc);
	} else {
		return memmem(key.p, key.n, ". .", 3) != NULL;
	}
	b->kinds |= K_IPCONFIG;
	return true;
}

/* route print: "0.0.0.0  0.0.0.0  10.0.2.1  10.0.2.7  25" */
static bool
routeprint_line(struct paste *p, uint32_t ln, struct str raw, struct str t)
{
	if (str_eq(t, "IPv4 Route Table")) {
		kind_begin(p, K_ROUTEPRINT);
		return true;
	}
	struct str f[6];
	struct ipaddr d, gw = {0}, ifa;
	uint64_t metric;
	if (toks(t, f, 6) != 5 || !ipaddr_parse(f[0], &d) || d.fam != FAM_V4 ||
	    !ipaddr_parse(f[3], &ifa) || !str_to_u64(f[4], 1u << 31, &metric))
		return false;
	bool on_link = str_eq(f[2], "On-link");
	int len = mask_len(f[1]);
	if (len < 0 || (!on_link && !ipaddr_parse(f[2], &gw)))
		return false;
	struct srcloc loc = at(p, ln, raw, f[0]);
	p->b.kinds |= K_ROUTEPRINT;
	pif_add(p, NULL, ifa, &loc);
	struct proute r = {.net = prefix_make(d, (unsigned)len),
			   .on_link = on_link,
			   .is_default = len == 0,
			   .has_ifaddr = true,
			   .via = gw,
			   .ifaddr = ifa,
			   .loc = loc};
	if (on_link)
		r.via = (struct ipaddr){0};
	if (len < 32 && !(d.v >> 24 == 127) && !(d.v >> 28 == 14))
		route_add(p, &r);
	return true;
}

/* "1.2.3.4/24" into a and len */
static bool
cidr(struct str t, struct ipaddr *a, int *len)
{
	struct str ad, ln;
	uint64_t v;
	if (!str_split(t, '/', &ad, &ln) || !addr_of(ad, a) ||
	    !str_to_u64(ln, fam_bits(a->fam), &v))
		return false;
	*len = (int)v;
	return true;
}

static void
iface_addr(struct paste *p, struct ipaddr a, int len, const struct srcloc *l,
	   const struct srcloc *ml)
{
	struct pif *f = pif_add(p, p->b.dev, a, l);
	if (len >= 0 && f->plen < 0) {
		f->plen = len;
		f->mask_loc = *ml;
	}
}

/* ip addr: "2: eth0: <...>" and "inet 10.0.2.7/24 ..."; ifconfig:
 * "en0: flags=..." and "inet 10.0.2.7 netmask 0xffffff00 ...". */
static bool
ifaddr_line(struct paste *p, uint32_t ln, struct str raw, struct str t)
{
	struct str f[12];
	size_t n = toks(t, f, 12);
	if (n >= 2 && at_col0(raw) && f[0].p[f[0].n - 1] == ':' && f[1].n &&
	    (f[1].p[f[1].n - 1] == ':' || str_starts(f[1], "flags="))) {
		bool ipaddr = f[1].p[f[1].n - 1] == ':';
		struct str dev = ipaddr ? f[1] : f[0];
		dev.n--;
		for (size_t i = 0; i < dev.n; i++)
			if (dev.p[i] == '@')
				dev.n = i;
		bool first =
		    ipaddr ? str_eq(f[0], "1:") : str_starts(dev, "lo");
		if (first)
			kind_begin(p, ipaddr ? K_IPADDR : K_IFCONFIG);
		p->b.kinds |= ipaddr ? K_IPADDR : K_IFCONFIG;
		p->b.dev = arena_strndup(p->ar, dev.p, dev.n);
		return true;
	}
	if (n >= 2 && at_col0(raw) && memmem(t.p, t.n, "Link encap:", 11)) {
		p->b.kinds |= K_IFCONFIG;
		p->b.dev = arena_strndup(p->ar, f[0].p, f[0].n);
		return true;
	}
	if (n < 2 || at_col0(raw) ||
	    !(str_eq(f[0], "inet") || str_eq(f[0], "inet6")))
		return false;
	struct srcloc loc = at(p, ln, raw, f[1]);
	struct ipaddr a;
	int len = -1;
	struct str v = str_starts(f[1], "addr:")
			   ? (struct str){f[1].p + 5, f[1].n - 5}
			   : f[1];
	if (memchr(v.p, '/', v.n) ? !cidr(v, &a, &len) : !addr_of(v, &a)) {
		warn(p, &loc, "bad address", f[1]);
		return true;
	}
	struct srcloc ml = loc;
	for (size_t i = 2; i < n; i++) {
		struct str m = f[i];
		bool key =
		    (str_eq(f[i], "netmask") || str_eq(f[i], "prefixlen")) &&
		    i + 1 < n;
		if (key)
			m = f[i + 1];
		else if (str_starts(f[i], "Mask:"))
			m = (struct str){f[i].p + 5, f[i].n - 5};
		else
			continue;
		uint64_t pl;
		len = str_eq(f[i], "prefixlen")
			  ? (str_to_u64(m, fam_bits(a.fam), &pl) ? (int)pl : -1)
			  : mask_len(m);
		ml = at(p, ln, raw, m);
		if (len < 0)
			warn(p, &ml, "bad netmask", m);
		break;
	}
	iface_addr(p, a, len, &loc, &ml);
	return true;
}

/* "10.0.2/24", "10.0.2.7", "127", "default", "fe80::%lo0/64" */
static bool
bsd_dest(struct str t, struct prefix *out)
{
	if (str_eq(t, "default") || str_eq(t, "0.0.0.0")) {
		*out = prefix_make((struct ipaddr){.fam = FAM_V4}, 0);
		return true;
	}
	struct str a = t, l = {0};
	str_split(t, '/', &a, &l);
	struct ipaddr ad;
	uint64_t len;
	if (memchr(a.p, ':', a.n)) {
		if (!addr_of(a, &ad))
			return false;
		len = 128;
	} else {
		unsigned oct[4] = {0}, k = 0;
		struct str rest = a, o;
		while (str_next(&rest, '.', &o)) {
			uint64_t v;
			if (k == 4 || !str_to_u64(o, 255, &v))
				return false;
			oct[k++] = (unsigned)v;
		}
		if (k == 0)
			return false;
		ad = (struct ipaddr){.fam = FAM_V4,
				     .v = oct[0] << 24 | oct[1] << 16 |
					  oct[2] << 8 | oct[3]};
		len = 8 * k;
	}
	if (l.n && !str_to_u64(l, fam_bits(ad.fam), &len))
		return false;
	*out = prefix_make(ad, (unsigned)len);
	return true;
}

static bool
flag_word(struct str t)
{
	bool up = false;
	for (size_t i = 0; i < t.n; i++) {
		char c = t.p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return false;
		up = up || c == 'U';
	}
	return up;
}

/* netstat -rn: BSD/macOS "default 10.0.2.1 UGScg en0", Linux
 * "0.0.0.0 10.0.2.1 0.0.0.0 UG 100 0 0 eth0". */
static bool
netstat_line(struct paste *p, uint32_t ln, struct str raw, struct str t)
{
	if (str_eq(t, "Routing tables") ||
	    str_eq(t, "Kernel IP routing table")) {
		kind_begin(p, K_NETSTAT);
		return true;
	}
	if (!(p->b.kinds & K_NETSTAT))
		return false;
	struct str f[10];
	size_t n = toks(t, f, 10);
	struct proute r = {.loc = at(p, ln, raw, t)};
	struct str gw, dev;
	int linux_mask = n == 8 ? mask_len(f[2]) : -1;
	if (linux_mask >= 0 && flag_word(f[3])) {
		struct ipaddr d;
		if (!ipaddr_parse(f[0], &d))
			return false;
		r.net = prefix_make(d, (unsigned)linux_mask);
		gw = f[1];
		dev = f[7];
		if (memchr(f[3].p, 'H', f[3].n))
			return true;
	} else if (n >= 4 && flag_word(f[2])) {
		if (!bsd_dest(f[0], &r.net))
			return false;
		gw = f[1];
		dev = f[3];
		if (memchr(f[2].p, 'H', f[2].n) || memchr(f[2].p, 'L', f[2].n))
			return true; /* host and link-layer entries */
	} else {
		return false;
	}
	struct ipaddr g;
	r.on_link =
	    str_starts(gw, "link#") || str_eq(gw, "0.0.0.0") || str_eq(gw, "*");
	if (!r.on_link && !addr_of(gw, &g))
		return true; /* a MAC address: an ARP entry */
	if (!r.on_link)
		r.via = g;
	r.is_default = r.net.len == 0;
	r.dev = arena_strndup(p->ar, dev.p, dev.n);
	route_add(p, &r);
	return true;
}

/* ip route: "default via 10.0.2.1 dev eth0", "10.0.2.0/24 dev eth0
 * proto kernel scope link src 10.0.2.7" */
static bool
iproute_line(struct paste *p, uint32_t ln, struct str raw, struct str t)
{
	struct str f[16];
	size_t n = toks(t, f, 16);
	if (n < 3 || !at_col0(raw))
		return false;
	struct proute r = {.loc = at(p, ln, raw, f[0])};
	struct ipaddr a;
	int len = -1;
	if (str_eq(f[0], "default")) {
		r.is_default = true;
		r.net = prefix_make((struct ipaddr){.fam = FAM_V4}, 0);
	} else if (memchr(f[0].p, '/', f[0].n) ? cidr(f[0], &a, &len)
					       : addr_of(f[0], &a)) {
		r.net =
		    prefix_make(a, len < 0 ? fam_bits(a.fam) : (unsigned)len);
	} else {
		return false;
	}
	bool dev = false, via = false;
	struct ipaddr src;
	bool has_src = false;
	for (size_t i = 1; i + 1 < n; i++) {
		if (str_eq(f[i], "via") && addr_of(f[i + 1], &r.via)) {
			via = true;
			if (r.is_default)
				r.net.addr.fam = r.via.fam;
		} else if (str_eq(f[i], "dev")) {
			dev = true;
			r.dev = arena_strndup(p->ar, f[i + 1].p, f[i + 1].n);
		} else if (str_eq(f[i], "src") && addr_of(f[i + 1], &src)) {
			has_src = true;
		}
	}
	if (!dev && !via)
		return false;
	if (r.is_default && (p->b.kinds & K_IPROUTE)) {
		for (size_t i = 0; i < p->b.nrts; i++)
			if (p->b.rts[i].is_default &&
			    p->b.rts[i].net.addr.fam == r.net.addr.fam) {
				block_new(p, NULL);
				break;
			}
	}
	p->b.kinds |= K_IPROUTE;
	r.on_link = !via;
	route_add(p, &r);
	if (has_src && r.on_link && !r.is_default) {
		const char *keep = p->b.dev;
		p->b.dev = r.dev;
		struct srcloc l = r.loc;
		iface_addr(p, src, -1, &l, &l);
		p->b.dev = keep;
	}
	return true;
}

/* "# pc1", "== PC1 ==", "--- host pc2 ---", "**pc3**", "[pc4]" */
static bool
heading_line(struct paste *p, struct str raw, struct str t)
{
	if (!at_col0(raw) || strchr("#=-*[", t.p[0]) == NULL)
		return false;
	size_t s = 0, e = t.n;
	while (s < e && strchr("#=-*[ \t", t.p[s]))
		s++;
	while (e > s && strchr("#=-*]: \t", t.p[e - 1]))
		e--;
	if (s == e)
		return t.p[0] == '=' || t.p[0] == '-' || t.p[0] == '*';
	block_new(p, arena_strndup(p->ar, t.p + s, e - s));
	return true;
}

/* ---- ip -j addr / ip -j route ---- */

static size_t
json_extent(const char *s, size_t n)
{
	int depth = 0;
	bool str = false, esc = false;
	for (size_t i = 0; i < n && i < JSON_MAX; i++) {
		char c = s[i];
		if (str) {
			esc = !esc && c == '\\';
			str = esc || c != '"';
			continue;
		}
		if (c == '"')
			str = true;
		else if (c == '[' || c == '{')
			depth++;
		else if ((c == ']' || c == '}') && --depth == 0)
			return i + 1;
	}
	return 0;
}

static void
json_addr(struct paste *p, json_t *o, const struct srcloc *loc)
{
	const char *dev = json_string_value(json_object_get(o, "ifname"));
	p->b.dev = dev ? arena_strdup(p->ar, dev) : NULL;
	size_t i;
	json_t *ai;
	json_array_foreach(json_object_get(o, "addr_info"), i, ai)
	{
		const char *l = json_string_value(json_object_get(ai, "local"));
		json_t *pl = json_object_get(ai, "prefixlen");
		struct ipaddr a;
		if (l == NULL || !addr_of(str_from(l), &a) ||
		    !json_is_integer(pl) || json_integer_value(pl) < 0 ||
		    json_integer_value(pl) > (json_int_t)fam_bits(a.fam))
			continue;
		iface_addr(p, a, (int)json_integer_value(pl), loc, loc);
	}
}

static void
json_route(struct paste *p, json_t *o, const struct srcloc *loc)
{
	const char *dst = json_string_value(json_object_get(o, "dst"));
	const char *gw = json_string_value(json_object_get(o, "gateway"));
	const char *dev = json_string_value(json_object_get(o, "dev"));
	const char *type = json_string_value(json_object_get(o, "type"));
	struct proute r = {.loc = *loc};
	struct ipaddr a;
	int len = -1;
	if (dst == NULL || (type && strcmp(type, "unicast") != 0))
		return;
	if (strcmp(dst, "default") == 0)
		r.is_default = true;
	else if (strchr(dst, '/') ? !cidr(str_from(dst), &a, &len)
				  : !addr_of(str_from(dst), &a))
		return;
	if (gw && !addr_of(str_from(gw), &r.via))
		return;
	r.net = r.is_default
		    ? prefix_make(
			  (struct ipaddr){.fam = gw ? r.via.fam : FAM_V4}, 0)
		    : prefix_make(a, len < 0 ? fam_bits(a.fam) : (unsigned)len);
	r.on_link = gw == NULL;
	r.dev = dev ? arena_strdup(p->ar, dev) : NULL;
	route_add(p, &r);
}

/* A JSON array at text s (line ln): returns the bytes it spans, 0 when
 * it is not JSON ipsecdiag can read. */
static size_t
json_block(struct paste *p, uint32_t ln, const char *s, size_t n)
{
	if (s < p->json_dead)
		return 0;
	size_t len = json_extent(s, n);
	struct srcloc loc = {p->file, ln, 1, 0};
	if (len == 0) { /* unclosed: lines inside are not rescanned */
		p->json_dead = s + (n < JSON_MAX ? n : JSON_MAX);
		return 0;
	}
	json_error_t err;
	json_t *root = json_loadb(s, len, 0, &err);
	if (!json_is_array(root)) {
		diag(DIAG_WARNING, &loc,
		     "JSON that is not `ip -j addr` or "
		     "`ip -j route` output: %s",
		     root ? "not an array" : err.text);
		json_decref(root);
		return len;
	}
	size_t i;
	json_t *o;
	unsigned kind = 0;
	json_array_foreach(root, i, o)
	{
		if (json_object_get(o, "addr_info"))
			kind |= K_IPADDR;
		else if (json_object_get(o, "dst"))
			kind |= K_IPROUTE;
	}
	if (kind & K_IPADDR)
		kind_begin(p, K_JSON);
	json_array_foreach(root, i, o)
	{
		if (json_object_get(o, "addr_info"))
			json_addr(p, o, &loc);
		else if (json_object_get(o, "dst"))
			json_route(p, o, &loc);
	}
	p->b.kinds |= kind;
	json_decref(root);
	return len;
}

/* ---- the file ---- */

static void
paste_line(struct paste *p, uint32_t ln, struct str raw)
{
	struct str t = str_trim(raw);
	if (t.n == 0)
		return;
	if (raw.n > LINE_MAX_TEXT) {
		struct srcloc loc = {p->file, ln, 1, 0};
		diag(DIAG_WARNING, &loc,
		     "line of %zu bytes, longer than any "
		     "line of these outputs: skipped",
		     raw.n);
		return;
	}
	if (heading_line(p, raw, t) || win_line(p, ln, raw, t) ||
	    routeprint_line(p, ln, raw, t) || netstat_line(p, ln, raw, t) ||
	    ifaddr_line(p, ln, raw, t))
		return;
	iproute_line(p, ln, raw, t);
}

static bool
binary(const struct paste *p, const char *text, size_t len)
{
	const char *z = memchr(text, '\0', len);
	if (z == NULL)
		return false;
	uint32_t line = 1, col = 1;
	for (const char *c = text; c < z; c++, col++)
		if (*c == '\n') {
			line++;
			col = 0;
		}
	struct srcloc loc = {p->file, line, col, 0};
	diag(DIAG_ERROR, &loc,
	     "binary data (a NUL byte) in a host facts "
	     "paste: save the command output as text");
	return true;
}

bool
hostfacts_paste_read(struct arena *ar, struct input_file *in, struct site *s,
		     const char *text, size_t len)
{
	struct paste p = {.ar = ar, .s = s, .file = in->path};
	if (binary(&p, text, len))
		return false;
	size_t before = s->nhosts, off = 0;
	uint32_t ln = 0;
	while (off < len) {
		ln++;
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct str raw = {text + off, end - off};
		if (raw.n && raw.p[raw.n - 1] == '\r')
			raw.n--;
		struct str t = str_trim(raw);
		size_t j =
		    t.n && t.p[0] == '['
			? json_block(&p, ln, t.p, len - (size_t)(t.p - text))
			: 0;
		if (j) {
			const char *stop = t.p + j;
			for (const char *c = text + off; c < stop; c++)
				ln += *c == '\n';
			nl = memchr(stop, '\n', len - (size_t)(stop - text));
			off = nl ? (size_t)(nl - text) + 1 : len;
			continue;
		}
		paste_line(&p, ln, raw);
		off = end + 1;
	}
	block_flush(&p);
	size_t n = s->nhosts - before;
	in->summary = arena_printf(ar, "host facts pasted (%zu host address%s)",
				   n, n == 1 ? "" : "es");
	if (n == 0) {
		struct srcloc loc = {in->path, 0, 0, 0};
		diag(DIAG_ERROR, &loc,
		     "no host address with a subnet mask in "
		     "this paste (ipconfig /all, ip addr, ifconfig, route "
		     "print, ip route or netstat -rn output)");
		return false;
	}
	return true;
}

static bool
has(const unsigned char *h, size_t n, const char *needle)
{
	return memmem(h, n, needle, strlen(needle)) != NULL;
}

/* `ip addr` text: a line "N: dev: <FLAGS>" */
static bool
ipaddr_text(const unsigned char *h, size_t n)
{
	const char *s = (const char *)h;
	for (size_t i = 0; i + 4 < n; i++) {
		if (i && s[i - 1] != '\n')
			continue;
		size_t j = i;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j == i || j + 2 >= n || s[j] != ':' || s[j + 1] != ' ')
			continue;
		const char *e = memchr(s + j + 2, '\n', n - j - 2);
		size_t k = e ? (size_t)(e - s) : n;
		if (memmem(s + j + 2, k - j - 2, ": <", 3))
			return true;
	}
	return false;
}

bool
hostfacts_paste_recognize(const unsigned char *h, size_t n)
{
	size_t i = 0;
	while (i < n &&
	       (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
		i++;
	/* JSON from the first byte is a Linux site's own `ip -j` output */
	if (memchr(h, '\0', n) || (i < n && (h[i] == '[' || h[i] == '{')))
		return false;
	return has(h, n, "Windows IP Configuration") ||
	       has(h, n, "IPv4 Address. .") || has(h, n, "Subnet Mask . .") ||
	       has(h, n, "IPv4 Route Table") ||
	       has(h, n, "Kernel IP routing table") ||
	       (has(h, n, "Routing tables") && has(h, n, "Destination")) ||
	       (has(h, n, "\tinet ") && has(h, n, " netmask ")) ||
	       (has(h, n, "inet addr:") && has(h, n, "Mask:")) ||
	       (ipaddr_text(h, n) && has(h, n, "    inet")) ||
	       has(h, n, "default via ") || has(h, n, "\"addr_info\"");
}
