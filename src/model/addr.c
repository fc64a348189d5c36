#include "model/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned
fam_bits(unsigned fam)
{
	return fam == FAM_V4 ? 32 : 128;
}

u128
fam_max(unsigned fam)
{
	return fam == FAM_V4 ? (u128)0xffffffffu : ~(u128)0;
}

bool
ipaddr_parse(struct str s, struct ipaddr *out)
{
	char buf[64];
	unsigned char b[16];
	if (s.n == 0 || s.n >= sizeof(buf))
		return false;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	char *pct = strchr(buf, '%'); /* fe80::1%igb0: scope is not ours */
	if (pct)
		*pct = '\0';
	if (inet_pton(AF_INET, buf, b) == 1) {
		out->fam = FAM_V4;
		out->v = (u128)b[0] << 24 | (u128)b[1] << 16 | (u128)b[2] << 8 |
			 b[3];
		return true;
	}
	if (inet_pton(AF_INET6, buf, b) == 1) {
		out->fam = FAM_V6;
		out->v = 0;
		for (int i = 0; i < 16; i++)
			out->v = out->v << 8 | b[i];
		return true;
	}
	return false;
}

const char *
ipaddr_format(const struct ipaddr *a, char buf[ADDR_STRLEN])
{
	unsigned char b[16];
	if (a->fam == FAM_V4) {
		uint32_t v = (uint32_t)a->v;
		snprintf(buf, ADDR_STRLEN, "%u.%u.%u.%u", v >> 24,
			 v >> 16 & 255, v >> 8 & 255, v & 255);
		return buf;
	}
	for (int i = 15; i >= 0; i--)
		b[15 - i] = (unsigned char)(a->v >> (i * 8));
	if (inet_ntop(AF_INET6, b, buf, ADDR_STRLEN) == NULL)
		snprintf(buf, ADDR_STRLEN, "?");
	return buf;
}

const char *
ipaddr_str(struct arena *ar, const struct ipaddr *a)
{
	char b[ADDR_STRLEN];
	return arena_strdup(ar, ipaddr_format(a, b));
}

const char *
prefix_str(struct arena *ar, const struct prefix *p)
{
	char b[PREFIX_STRLEN];
	return arena_strdup(ar, prefix_format(p, b));
}

int
ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	return a->v < b->v ? -1 : a->v > b->v;
}

static u128
host_mask(unsigned fam, unsigned len)
{
	unsigned bits = fam_bits(fam);
	if (len >= bits)
		return 0;
	return fam_max(fam) >> len;
}

struct prefix
prefix_make(struct ipaddr a, unsigned len)
{
	if (len > fam_bits(a.fam))
		len = fam_bits(a.fam);
	a.v &= ~host_mask(a.fam, len) & fam_max(a.fam);
	return (struct prefix){a, (uint8_t)len};
}

bool
prefix_parse(struct str s, struct prefix *out, bool *had_host_bits)
{
	struct str addr, bits;
	bool has_len = str_split(str_trim(s), '/', &addr, &bits);
	struct ipaddr a;
	if (!ipaddr_parse(addr, &a))
		return false;
	uint64_t len = fam_bits(a.fam);
	if (has_len && !str_to_u64(bits, fam_bits(a.fam), &len))
		return false;
	*out = prefix_make(a, (unsigned)len);
	if (had_host_bits)
		*had_host_bits = out->addr.v != a.v;
	return true;
}

const char *
prefix_format(const struct prefix *p, char buf[PREFIX_STRLEN])
{
	char a[ADDR_STRLEN];
	snprintf(buf, PREFIX_STRLEN, "%s/%u", ipaddr_format(&p->addr, a),
		 p->len);
	return buf;
}

struct range
prefix_range(const struct prefix *p)
{
	return (struct range){p->addr.v,
			      p->addr.v | host_mask(p->addr.fam, p->len)};
}

bool
prefix_contains(const struct prefix *p, const struct ipaddr *a)
{
	/* the hot test of every route, SPD and interface lookup: the
	 * family first, and the mask without calls */
	if (a->fam != p->addr.fam)
		return false;
	unsigned bits = a->fam == FAM_V4 ? 32 : 128;
	u128 max = a->fam == FAM_V4 ? (u128)0xffffffffu : ~(u128)0;
	u128 hm = p->len >= bits ? 0 : max >> p->len;
	return a->v >= p->addr.v && a->v <= (p->addr.v | hm);
}

bool
prefix_equal(const struct prefix *a, const struct prefix *b)
{
	return a->len == b->len && ipaddr_cmp(&a->addr, &b->addr) == 0;
}

bool
prefix_overlaps(const struct prefix *a, const struct prefix *b)
{
	if (a->addr.fam != b->addr.fam)
		return false;
	struct range x = prefix_range(a), y = prefix_range(b);
	return x.lo <= y.hi && y.lo <= x.hi;
}

/* ---- range lists ---- */

/* Adds [lo, hi] to a normalized list in place: the ranges it touches
 * (overlapping or adjacent) become one: the list stays sorted, disjoint
 * and not adjacent without re-sorting on every add (appending and
 * re-sorting made a set of n networks in any order O(n^2 log n)). */
static void
ranges_insert(struct arena *ar, struct ranges *r, u128 lo, u128 hi)
{
	/* i: the first range not wholly below [lo, hi] with a gap */
	size_t i = 0, j = r->n;
	while (i < j) {
		size_t mid = (i + j) / 2;
		if (r->r[mid].hi != ~(u128)0 && r->r[mid].hi + 1 < lo)
			i = mid + 1;
		else
			j = mid;
	}
	/* j: the first range from i on wholly above it with a gap */
	size_t a = i, b = r->n;
	while (hi != ~(u128)0 && a < b) {
		size_t mid = (a + b) / 2;
		if (hi + 1 < r->r[mid].lo)
			b = mid;
		else
			a = mid + 1;
	}
	j = hi == ~(u128)0 ? r->n : a;
	if (i == j) {
		ARENA_PUSH(ar, r->r, r->n, r->cap);
		memmove(&r->r[i + 1], &r->r[i], (r->n - 1 - i) * sizeof(*r->r));
		r->r[i] = (struct range){lo, hi};
		return;
	}
	struct range m = {r->r[i].lo < lo ? r->r[i].lo : lo,
			  r->r[j - 1].hi > hi ? r->r[j - 1].hi : hi};
	r->r[i] = m;
	memmove(&r->r[i + 1], &r->r[j], (r->n - j) * sizeof(*r->r));
	r->n -= j - i - 1;
}

void
ranges_add(struct arena *ar, struct ranges *r, u128 lo, u128 hi)
{
	if (lo > hi)
		return;
	bool in_order = r->n == 0 || (r->r[r->n - 1].hi != ~(u128)0 &&
				      lo > r->r[r->n - 1].hi + 1);
	if (!in_order) {
		ranges_insert(ar, r, lo, hi);
		return;
	}
	struct range *slot = ARENA_PUSH(ar, r->r, r->n, r->cap);
	slot->lo = lo;
	slot->hi = hi;
}

bool
ranges_contains(const struct ranges *r, u128 v)
{
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v < r->r[mid].lo)
			hi = mid;
		else if (v > r->r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

struct ranges
ranges_union(struct arena *ar, const struct ranges *a, const struct ranges *b)
{
	struct ranges out = {0};
	for (size_t i = 0; i < a->n; i++)
		ranges_add(ar, &out, a->r[i].lo, a->r[i].hi);
	for (size_t i = 0; i < b->n; i++)
		ranges_add(ar, &out, b->r[i].lo, b->r[i].hi);
	return out;
}

struct ranges
ranges_intersect(struct arena *ar, const struct ranges *a,
		 const struct ranges *b)
{
	struct ranges out = {0};
	size_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		u128 lo = a->r[i].lo > b->r[j].lo ? a->r[i].lo : b->r[j].lo;
		u128 hi = a->r[i].hi < b->r[j].hi ? a->r[i].hi : b->r[j].hi;
		if (lo <= hi)
			ranges_add(ar, &out, lo, hi);
		if (a->r[i].hi < b->r[j].hi)
			i++;
		else
			j++;
	}
	return out;
}

struct ranges
ranges_complement(struct arena *ar, const struct ranges *a, u128 max)
{
	struct ranges out = {0};
	u128 next = 0;
	bool done = false;
	for (size_t i = 0; i < a->n && !done; i++) {
		if (a->r[i].lo > next)
			ranges_add(ar, &out, next, a->r[i].lo - 1);
		if (a->r[i].hi >= max)
			done = true;
		else
			next = a->r[i].hi + 1;
	}
	if (!done)
		ranges_add(ar, &out, next, max);
	return out;
}

struct ranges
ranges_diff(struct arena *ar, const struct ranges *a, const struct ranges *b,
	    u128 max)
{
	struct ranges nb = ranges_complement(ar, b, max);
	return ranges_intersect(ar, a, &nb);
}

bool
ranges_overlap(const struct ranges *a, const struct ranges *b)
{
	size_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		if (a->r[i].hi < b->r[j].lo)
			i++;
		else if (b->r[j].hi < a->r[i].lo)
			j++;
		else
			return true;
	}
	return false;
}

bool
ranges_subset(const struct ranges *a, const struct ranges *b)
{
	size_t j = 0;
	for (size_t i = 0; i < a->n; i++) {
		while (j < b->n && b->r[j].hi < a->r[i].lo)
			j++;
		if (j == b->n || b->r[j].lo > a->r[i].lo ||
		    b->r[j].hi < a->r[i].hi)
			return false;
	}
	return true;
}

bool
ranges_equal(const struct ranges *a, const struct ranges *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->r[i].lo != b->r[i].lo || a->r[i].hi != b->r[i].hi)
			return false;
	return true;
}

/* ---- address sets ---- */

void
addrset_add_prefix(struct arena *ar, struct addrset *s, const struct prefix *p)
{
	struct range r = prefix_range(p);
	ranges_add(ar, &s->fam[p->addr.fam], r.lo, r.hi);
}

void
addrset_add_range(struct arena *ar, struct addrset *s, const struct ipaddr *lo,
		  const struct ipaddr *hi)
{
	if (lo->fam == hi->fam)
		ranges_add(ar, &s->fam[lo->fam], lo->v, hi->v);
}

void
addrset_add_set(struct arena *ar, struct addrset *s, const struct addrset *t)
{
	for (int f = 0; f < FAM_COUNT; f++)
		for (size_t i = 0; i < t->fam[f].n; i++)
			ranges_add(ar, &s->fam[f], t->fam[f].r[i].lo,
				   t->fam[f].r[i].hi);
}

struct addrset
addrset_any(struct arena *ar)
{
	struct addrset s = {0};
	for (int f = 0; f < FAM_COUNT; f++)
		ranges_add(ar, &s.fam[f], 0, fam_max((unsigned)f));
	return s;
}

struct addrset
addrset_of_prefix(struct arena *ar, const struct prefix *p)
{
	struct addrset s = {0};
	addrset_add_prefix(ar, &s, p);
	return s;
}

struct addrset
addrset_union(struct arena *ar, const struct addrset *a,
	      const struct addrset *b)
{
	struct addrset s;
	for (int f = 0; f < FAM_COUNT; f++)
		s.fam[f] = ranges_union(ar, &a->fam[f], &b->fam[f]);
	return s;
}

struct addrset
addrset_intersect(struct arena *ar, const struct addrset *a,
		  const struct addrset *b)
{
	struct addrset s;
	for (int f = 0; f < FAM_COUNT; f++)
		s.fam[f] = ranges_intersect(ar, &a->fam[f], &b->fam[f]);
	return s;
}

struct addrset
addrset_diff(struct arena *ar, const struct addrset *a, const struct addrset *b)
{
	struct addrset s;
	for (int f = 0; f < FAM_COUNT; f++)
		s.fam[f] = ranges_diff(ar, &a->fam[f], &b->fam[f],
				       fam_max((unsigned)f));
	return s;
}

struct addrset
addrset_negate(struct arena *ar, const struct addrset *a)
{
	struct addrset s;
	for (int f = 0; f < FAM_COUNT; f++)
		s.fam[f] =
		    ranges_complement(ar, &a->fam[f], fam_max((unsigned)f));
	return s;
}

bool
addrset_contains(const struct addrset *s, const struct ipaddr *a)
{
	return ranges_contains(&s->fam[a->fam], a->v);
}

bool
addrset_overlaps(const struct addrset *a, const struct addrset *b)
{
	return ranges_overlap(&a->fam[0], &b->fam[0]) ||
	       ranges_overlap(&a->fam[1], &b->fam[1]);
}

bool
addrset_subset(const struct addrset *a, const struct addrset *b)
{
	return ranges_subset(&a->fam[0], &b->fam[0]) &&
	       ranges_subset(&a->fam[1], &b->fam[1]);
}

bool
addrset_equal(const struct addrset *a, const struct addrset *b)
{
	return ranges_equal(&a->fam[0], &b->fam[0]) &&
	       ranges_equal(&a->fam[1], &b->fam[1]);
}

bool
addrset_is_empty(const struct addrset *s)
{
	return s->fam[0].n == 0 && s->fam[1].n == 0;
}

static bool
ranges_is_full(const struct ranges *r, u128 max)
{
	return r->n == 1 && r->r[0].lo == 0 && r->r[0].hi == max;
}

bool
addrset_is_any(const struct addrset *s)
{
	return ranges_is_full(&s->fam[0], fam_max(FAM_V4)) &&
	       ranges_is_full(&s->fam[1], fam_max(FAM_V6));
}

/* Largest CIDR block starting at lo and not passing hi. */
static unsigned
block_len(unsigned fam, u128 lo, u128 hi)
{
	unsigned bits = fam_bits(fam), len = bits;
	while (len > 0) {
		u128 hm = host_mask(fam, len - 1);
		if ((lo & hm) != 0 || (lo | hm) > hi)
			break;
		len--;
	}
	return len;
}

struct strbuf {
	char *p;
	size_t n, cap;
	struct arena *ar;
};

static void
sb_add(struct strbuf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->n + k + 1 > b->cap) {
		size_t ncap = (b->cap + k + 1) * 2;
		char *np = arena_alloc(b->ar, ncap);
		if (b->n)
			memcpy(np, b->p, b->n);
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->n, s, k + 1);
	b->n += k;
}

char *
addrset_format(struct arena *ar, const struct addrset *s, size_t max_items)
{
	if (addrset_is_empty(s))
		return arena_strdup(ar, "none");
	if (addrset_is_any(s))
		return arena_strdup(ar, "any");
	struct strbuf b = {.ar = ar};
	size_t items = 0, skipped = 0;
	for (unsigned f = 0; f < FAM_COUNT; f++) {
		if (ranges_is_full(&s->fam[f], fam_max(f))) {
			if (items++ < max_items)
				sb_add(&b, b.n ? ", " : ""),
				    sb_add(&b, f ? "::/0" : "0.0.0.0/0");
			continue;
		}
		for (size_t i = 0; i < s->fam[f].n; i++) {
			u128 lo = s->fam[f].r[i].lo, hi = s->fam[f].r[i].hi;
			for (;;) {
				unsigned len = block_len(f, lo, hi);
				if (items++ < max_items) {
					char buf[PREFIX_STRLEN];
					struct prefix p = {{(uint8_t)f, lo},
							   (uint8_t)len};
					if (b.n)
						sb_add(&b, ", ");
					prefix_format(&p, buf);
					if (len == fam_bits(f))
						*strchr(buf, '/') = '\0';
					sb_add(&b, buf);
				} else {
					skipped++;
				}
				u128 end = lo | host_mask(f, len);
				if (end >= hi)
					break;
				lo = end + 1;
			}
		}
	}
	if (skipped) {
		char more[48];
		snprintf(more, sizeof(more), ", ... (%zu more)", skipped);
		sb_add(&b, more);
	}
	return b.p;
}

bool
addrset_pick(const struct addrset *s, struct ipaddr *out)
{
	for (unsigned f = 0; f < FAM_COUNT; f++) {
		if (s->fam[f].n == 0)
			continue;
		struct range r = s->fam[f].r[0];
		out->fam = (uint8_t)f;
		/* a host, not the network address, when there is room */
		out->v = r.hi - r.lo >= 2 ? r.lo + 1 : r.lo;
		return true;
	}
	return false;
}

void
portset_add(struct arena *ar, struct portset *p, unsigned lo, unsigned hi)
{
	if (hi > 65535)
		hi = 65535;
	ranges_add(ar, &p->r, lo, hi);
}

bool
portset_contains(const struct portset *p, unsigned port)
{
	return ranges_contains(&p->r, port);
}

bool
portset_is_any(const struct portset *p)
{
	return ranges_is_full(&p->r, 65535);
}

char *
portset_format(struct arena *ar, const struct portset *p)
{
	if (portset_is_any(p))
		return arena_strdup(ar, "any");
	if (p->r.n == 0)
		return arena_strdup(ar, "none");
	struct strbuf b = {.ar = ar};
	for (size_t i = 0; i < p->r.n; i++) {
		char buf[32];
		unsigned lo = (unsigned)p->r.r[i].lo,
			 hi = (unsigned)p->r.r[i].hi;
		if (lo == hi)
			snprintf(buf, sizeof(buf), "%s%u", i ? "," : "", lo);
		else
			snprintf(buf, sizeof(buf), "%s%u-%u", i ? "," : "", lo,
				 hi);
		sb_add(&b, buf);
	}
	return b.p;
}

bool
protoset_is_any(const struct protoset *s)
{
	return s->bits[0] == ~(uint64_t)0 && s->bits[1] == ~(uint64_t)0 &&
	       s->bits[2] == ~(uint64_t)0 && s->bits[3] == ~(uint64_t)0;
}

struct protoset
protoset_any(void)
{
	struct protoset s;
	for (int i = 0; i < 4; i++)
		s.bits[i] = ~(uint64_t)0;
	return s;
}

static const struct {
	const char *name;
	unsigned num;
} proto_names[] = {
    {"icmp", 1},     {"igmp", 2},     {"ipv4", 4},	 {"tcp", 6},
    {"udp", 17},     {"ipv6", 41},    {"gre", 47},	 {"esp", 50},
    {"ah", 51},	     {"icmp6", 58},   {"ipv6-icmp", 58}, {"ospf", 89},
    {"etherip", 97}, {"pim", 103},    {"carp", 112},	 {"vrrp", 112},
    {"sctp", 132},   {"pfsync", 240},
};

int
proto_from_name(struct str s)
{
	for (size_t i = 0; i < sizeof(proto_names) / sizeof(*proto_names);
	     i++) {
		const char *n = proto_names[i].name;
		size_t k = strlen(n);
		if (s.n != k)
			continue;
		size_t j = 0;
		while (j < k && (s.p[j] | 0x20) == n[j])
			j++;
		if (j == k)
			return (int)proto_names[i].num;
	}
	uint64_t v;
	if (str_to_u64(s, 255, &v))
		return (int)v;
	return -1;
}

/* The names nftables and OPNsense's port fields accept, with their
 * /etc/services ports. */
static const struct {
	const char *name;
	unsigned port;
} services[] = {
    {"ftp", 21},
    {"ssh", 22},
    {"telnet", 23},
    {"smtp", 25},
    {"domain", 53},
    {"bootps", 67},
    {"bootpc", 68},
    {"tftp", 69},
    {"http", 80},
    {"www", 80},
    {"pop3", 110},
    {"auth", 113},
    {"nntp", 119},
    {"ntp", 123},
    {"netbios-ns", 137},
    {"netbios-dgm", 138},
    {"netbios-ssn", 139},
    {"imap", 143},
    {"snmp", 161},
    {"snmptrap", 162},
    {"ldap", 389},
    {"https", 443},
    {"microsoft-ds", 445},
    {"urd", 465},
    {"igmpv3lite", 465},
    {"isakmp", 500},
    {"submission", 587},
    {"ldaps", 636},
    {"imaps", 993},
    {"pop3s", 995},
    {"openvpn", 1194},
    {"wins", 1512},
    {"l2f", 1701},
    {"pptp", 1723},
    {"ms-streaming", 1755},
    {"radius", 1812},
    {"radius-acct", 1813},
    {"msnp", 1863},
    {"hbci", 3000},
    {"ms-wbt-server", 3389},
    {"nat-stun-port", 3478},
    {"teredo", 3544},
    {"ipsec-nat-t", 4500},
    {"ipsec-msft", 4500},
    {"avt-profile-1", 5004},
    {"sip", 5060},
    {"aol", 5190},
    {"rfb", 5900},
    {"cvsup", 5999},
    {"afs3-fileserver", 7000},
    {"http-alt", 8080},
};

int
service_port(struct str name)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(*services); i++)
		if (str_eq(name, services[i].name))
			return (int)services[i].port;
	return -1;
}

/* "proto-N" for every protocol number, ten at a time: constant
 * strings, so that two names in one printf() never share a buffer. */
#define TEN(p)                                                                 \
	p "0", p "1", p "2", p "3", p "4", p "5", p "6", p "7", p "8", p "9"
static const char *const proto_numbered[256] = {
    TEN("proto-"),   TEN("proto-1"),  TEN("proto-2"),  TEN("proto-3"),
    TEN("proto-4"),  TEN("proto-5"),  TEN("proto-6"),  TEN("proto-7"),
    TEN("proto-8"),  TEN("proto-9"),  TEN("proto-10"), TEN("proto-11"),
    TEN("proto-12"), TEN("proto-13"), TEN("proto-14"), TEN("proto-15"),
    TEN("proto-16"), TEN("proto-17"), TEN("proto-18"), TEN("proto-19"),
    TEN("proto-20"), TEN("proto-21"), TEN("proto-22"), TEN("proto-23"),
    TEN("proto-24"), "proto-250",     "proto-251",     "proto-252",
    "proto-253",     "proto-254",     "proto-255",
};
#undef TEN

const char *
proto_name(unsigned p)
{
	for (size_t i = 0; i < sizeof(proto_names) / sizeof(*proto_names); i++)
		if (proto_names[i].num == p)
			return proto_names[i].name;
	return p < 256 ? proto_numbered[p] : "proto-?";
}

bool
prefix_within(const struct prefix *in, const struct prefix *out)
{
	return in->addr.fam == out->addr.fam && in->len >= out->len &&
	       prefix_contains(out, &in->addr);
}
