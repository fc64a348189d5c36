/* Addresses, prefixes and sets of them as sorted interval lists.
 * IPv4 and IPv6 live in separate lists of the same set, so "any" can mean
 * both families and no operation ever mixes them. */
#ifndef MODEL_ADDR_H
#define MODEL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/str.h"

typedef unsigned __int128 u128;

enum { FAM_V4 = 0, FAM_V6 = 1, FAM_COUNT = 2 };

struct ipaddr {
	uint8_t fam; /* FAM_V4 (value in the low 32 bits) or FAM_V6 */
	u128 v;
};

struct prefix {
	struct ipaddr addr; /* network address (host bits cleared) */
	uint8_t len;
};

/* Closed intervals, sorted, disjoint and not adjacent. */
struct range {
	u128 lo, hi;
};
struct ranges {
	struct range *r;
	size_t n, cap;
};

struct addrset {
	struct ranges fam[FAM_COUNT];
};

/* A port set is a range list over 0..65535; empty list = no ports. */
struct portset {
	struct ranges r;
};

enum { ADDR_STRLEN = 48, PREFIX_STRLEN = 52 };

bool ipaddr_parse(struct str s, struct ipaddr *out);
const char *ipaddr_format(const struct ipaddr *a, char buf[ADDR_STRLEN]);
int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b);
/* Formatted into the arena, for messages. */
const char *ipaddr_str(struct arena *ar, const struct ipaddr *a);
const char *prefix_str(struct arena *ar, const struct prefix *p);
unsigned fam_bits(unsigned fam);
u128 fam_max(unsigned fam);

/* "10.0.0.0/24", "10.0.0.1" (host prefix), "2001:db8::/32". Host bits
 * set in the address are cleared (pfSense does the same with gen_subnet);
 * *had_host_bits tells so when non-NULL. */
bool prefix_parse(struct str s, struct prefix *out, bool *had_host_bits);
struct prefix prefix_make(struct ipaddr a, unsigned len);
const char *prefix_format(const struct prefix *p, char buf[PREFIX_STRLEN]);
bool prefix_contains(const struct prefix *p, const struct ipaddr *a);
bool prefix_overlaps(const struct prefix *a, const struct prefix *b);
bool prefix_equal(const struct prefix *a, const struct prefix *b);
/* Is all of in inside out (same family)? */
bool prefix_within(const struct prefix *in, const struct prefix *out);
struct range prefix_range(const struct prefix *p);

/* Range lists, max = the largest value of the universe. */
void ranges_add(struct arena *ar, struct ranges *r, u128 lo, u128 hi);
bool ranges_contains(const struct ranges *r, u128 v);
struct ranges ranges_union(struct arena *ar, const struct ranges *a,
			   const struct ranges *b);
struct ranges ranges_intersect(struct arena *ar, const struct ranges *a,
			       const struct ranges *b);
struct ranges ranges_complement(struct arena *ar, const struct ranges *a,
				u128 max);
struct ranges ranges_diff(struct arena *ar, const struct ranges *a,
			  const struct ranges *b, u128 max);
bool ranges_overlap(const struct ranges *a, const struct ranges *b);
bool ranges_subset(const struct ranges *a, const struct ranges *b);
bool ranges_equal(const struct ranges *a, const struct ranges *b);

void addrset_add_prefix(struct arena *ar, struct addrset *s,
			const struct prefix *p);
void addrset_add_range(struct arena *ar, struct addrset *s,
		       const struct ipaddr *lo, const struct ipaddr *hi);
void addrset_add_set(struct arena *ar, struct addrset *s,
		     const struct addrset *t);
struct addrset addrset_any(struct arena *ar);
struct addrset addrset_of_prefix(struct arena *ar, const struct prefix *p);
struct addrset addrset_union(struct arena *ar, const struct addrset *a,
			     const struct addrset *b);
struct addrset addrset_intersect(struct arena *ar, const struct addrset *a,
				 const struct addrset *b);
struct addrset addrset_diff(struct arena *ar, const struct addrset *a,
			    const struct addrset *b);
struct addrset addrset_negate(struct arena *ar, const struct addrset *a);
bool addrset_contains(const struct addrset *s, const struct ipaddr *a);
bool addrset_overlaps(const struct addrset *a, const struct addrset *b);
bool addrset_subset(const struct addrset *a, const struct addrset *b);
bool addrset_equal(const struct addrset *a, const struct addrset *b);
bool addrset_is_empty(const struct addrset *s);
bool addrset_is_any(const struct addrset *s);
/* Smallest list of CIDR blocks, ", "-separated; "any" and "none" too.
 * Long lists are cut after max_items with ", ... (N more)". */
char *addrset_format(struct arena *ar, const struct addrset *s,
		     size_t max_items);
/* Some address in the set (the lowest, skipping network addresses of
 * prefixes shorter than /31 when possible): a representative host. */
bool addrset_pick(const struct addrset *s, struct ipaddr *out);

void portset_add(struct arena *ar, struct portset *p, unsigned lo, unsigned hi);
bool portset_contains(const struct portset *p, unsigned port);
bool portset_is_any(const struct portset *p);
char *portset_format(struct arena *ar, const struct portset *p);

/* IP protocol numbers as a 256-bit set. */
struct protoset {
	uint64_t bits[4];
};
static inline void
protoset_add(struct protoset *s, unsigned p)
{
	s->bits[(p & 255) >> 6] |= (uint64_t)1 << (p & 63);
}
static inline bool
protoset_has(const struct protoset *s, unsigned p)
{
	return s->bits[(p & 255) >> 6] >> (p & 63) & 1;
}
bool protoset_is_any(const struct protoset *s);
struct protoset protoset_any(void);

enum {
	PROTO_ICMP = 1,
	PROTO_TCP = 6,
	PROTO_UDP = 17,
	PROTO_GRE = 47,
	PROTO_ESP = 50,
	PROTO_AH = 51,
	PROTO_ICMP6 = 58,
};
/* "tcp", "udp", "icmp", "esp", ... or a number; -1 if unknown. */
int proto_from_name(struct str s);
/* A service name of /etc/services (Linux or FreeBSD) to its TCP/UDP
 * port: "https" -> 443; -1 when not known. */
int service_port(struct str name);
const char *proto_name(unsigned p); /* "tcp", or "proto-N" (constant) */

#endif
