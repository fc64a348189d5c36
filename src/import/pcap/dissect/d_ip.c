/* IPv4 (RFC 791 §3.1, options, fragments) and IPv6 (RFC 8200 §3-§4,
 * extension headers, fragments), plus AH (RFC 4302 §2) walked to the
 * upper layer, and the IP header an ICMP error quotes. */
#include "import/pcap/dissect/dissect.h"

enum { MAX_EXT_HEADERS = 16 };

static void
addr_v4(struct ipaddr *a, uint32_t v)
{
	a->fam = FAM_V4;
	a->v = v;
}

static bool
get_addr_v6(struct cursor *c, struct ipaddr *a)
{
	uint64_t hi, lo;
	if (!cursor_get_u64be(c, &hi) || !cursor_get_u64be(c, &lo))
		return false;
	a->fam = FAM_V6;
	a->v = (u128)hi << 64 | lo;
	return true;
}

void
dissect_ip(struct cursor *c, struct pkt *p)
{
	uint8_t b;
	if (!cursor_peek_u8(c, 0, &b)) {
		pkt_short(p, "no IP header");
		return;
	}
	if (b >> 4 == 4)
		dissect_ipv4(c, p);
	else if (b >> 4 == 6)
		dissect_ipv6(c, p);
	else
		p->malformed = "IP version neither 4 nor 6";
}

/* RFC 791 §3.1 options: EOL, NOP single bytes, others type-length. */
static bool
ipv4_options_ok(struct cursor opt)
{
	uint8_t type, len;
	while (cursor_get_u8(&opt, &type)) {
		if (type == 0)
			return true;
		if (type == 1)
			continue;
		if (!cursor_get_u8(&opt, &len) || len < 2 ||
		    !cursor_skip(&opt, (size_t)len - 2))
			return false;
	}
	return true;
}

/* Bytes of IP payload: by the header's length, cut to what was captured
 * (snaplen), and without link-layer padding beyond it. */
static struct cursor
ip_payload(struct cursor *c, struct pkt *p, size_t want)
{
	bool cut;
	struct cursor pl = cursor_sub_upto(c, want, &cut);
	if (cut)
		pkt_short(p, "IP packet shorter than its length field");
	return pl;
}

/* AH (RFC 4302 §2): next header, payload length in 32-bit words - 2. */
static bool
skip_ah(struct cursor *c, struct pkt *p, uint8_t *next)
{
	uint8_t len;
	if (!cursor_peek_u8(c, 0, next) || !cursor_peek_u8(c, 1, &len) ||
	    !cursor_skip(c, ((size_t)len + 2) * 4)) {
		pkt_short(p, "AH header cut short");
		return false;
	}
	return true;
}

void
dissect_ipv4(struct cursor *c, struct pkt *p)
{
	uint8_t vihl, tos, ttl, proto;
	uint16_t totlen, id, foff, sum;
	uint32_t src, dst;
	if (!cursor_get_u8(c, &vihl) || !cursor_get_u8(c, &tos) ||
	    !cursor_get_u16be(c, &totlen) || !cursor_get_u16be(c, &id) ||
	    !cursor_get_u16be(c, &foff) || !cursor_get_u8(c, &ttl) ||
	    !cursor_get_u8(c, &proto) || !cursor_get_u16be(c, &sum) ||
	    !cursor_get_u32be(c, &src) || !cursor_get_u32be(c, &dst)) {
		pkt_short(p, "IPv4 header cut short");
		return;
	}
	if (vihl >> 4 != 4) {
		p->malformed = "IPv4 header with another version";
		return;
	}
	size_t hlen = (size_t)(vihl & 15) * 4;
	p->ipver = 4;
	addr_v4(&p->src, src);
	addr_v4(&p->dst, dst);
	p->ip_proto = p->proto = proto;
	p->ttl = ttl;
	p->ip_len = totlen;
	p->frag_id = id;
	p->df = foff & 0x4000;
	p->frag_more = foff & 0x2000;
	p->frag_off = (uint32_t)(foff & 0x1fff) * 8;
	p->is_frag = p->frag_more || p->frag_off;
	if (hlen < 20) {
		p->malformed = "IPv4 header length below 20";
		return;
	}
	struct cursor opt;
	if (!cursor_sub(c, hlen - 20, &opt)) {
		pkt_short(p, "IPv4 options cut short");
		return;
	}
	if (!ipv4_options_ok(opt))
		p->malformed = "IPv4 option with a bad length";
	/* Total length 0: TCP segmentation offload captures; use the rest. */
	size_t want =
	    totlen ? (totlen >= hlen ? totlen - hlen : 0) : cursor_left(c);
	if (totlen && totlen < hlen) {
		p->malformed = "IPv4 total length below header length";
		return;
	}
	struct cursor pl = ip_payload(c, p, want);
	if (p->frag_off)
		return; /* later fragment: no upper-layer header */
	if (proto == PROTO_AH && !skip_ah(&pl, p, &p->proto))
		return;
	p->l4_len = (uint32_t)(want - pl.off);
	dissect_l4(&pl, p);
}

/* RFC 8200 §4: hop-by-hop (0), routing (43), destination options (60)
 * and mobility (135) share the (next, length in 8-octet units - 1)
 * layout; fragment (44) is 8 octets; AH (51) counts in 4-octet units. */
static bool
ipv6_ext(struct cursor *c, struct pkt *p, uint8_t *nh)
{
	for (int i = 0; i < MAX_EXT_HEADERS; i++) {
		uint8_t next, len;
		uint16_t offm;
		uint32_t id;
		switch (*nh) {
		case 0:
		case 43:
		case 60:
		case 135:
			if (!cursor_peek_u8(c, 0, &next) ||
			    !cursor_peek_u8(c, 1, &len) ||
			    !cursor_skip(c, ((size_t)len + 1) * 8))
				goto cut;
			*nh = next;
			break;
		case 44:
			if (!cursor_get_u8(c, &next) || !cursor_skip(c, 1) ||
			    !cursor_get_u16be(c, &offm) ||
			    !cursor_get_u32be(c, &id))
				goto cut;
			p->is_frag = true;
			p->frag_off = offm & 0xfff8;
			p->frag_more = offm & 1;
			p->frag_id = id;
			*nh = next;
			if (p->frag_off)
				return false;
			break;
		case PROTO_AH:
			if (!skip_ah(c, p, nh))
				return false;
			break;
		default:
			return true;
		}
	}
	p->malformed = "more than 16 IPv6 extension headers";
	return false;
cut:
	pkt_short(p, "IPv6 extension header cut short");
	return false;
}

void
dissect_ipv6(struct cursor *c, struct pkt *p)
{
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh, hlim;
	if (!cursor_get_u32be(c, &vtf) || !cursor_get_u16be(c, &plen) ||
	    !cursor_get_u8(c, &nh) || !cursor_get_u8(c, &hlim) ||
	    !get_addr_v6(c, &p->src) || !get_addr_v6(c, &p->dst)) {
		pkt_short(p, "IPv6 header cut short");
		return;
	}
	if (vtf >> 28 != 6) {
		p->malformed = "IPv6 header with another version";
		return;
	}
	p->ipver = 6;
	p->ip_proto = p->proto = nh;
	p->ttl = hlim;
	p->ip_len = (uint32_t)plen + 40;
	/* Payload length 0 with a jumbogram option: use what is there. */
	size_t want = plen ? plen : cursor_left(c);
	struct cursor pl = ip_payload(c, p, want);
	if (!ipv6_ext(&pl, p, &nh))
		return;
	p->proto = nh;
	p->l4_len = want >= pl.off ? (uint32_t)(want - pl.off) : 0;
	dissect_l4(&pl, p);
}

/* The IP header and first 8 bytes an ICMP error quotes (RFC 792, RFC
 * 4443 §3): enough for the 5-tuple. Quotes are often cut; keep what is
 * there. */
void
dissect_quoted(struct cursor *c, struct pkt_inner *in)
{
	uint8_t b, proto;
	uint32_t s4, d4;
	if (!cursor_peek_u8(c, 0, &b))
		return;
	if (b >> 4 == 4) {
		if (!cursor_skip(c, 9) || !cursor_get_u8(c, &proto) ||
		    !cursor_skip(c, 2) || !cursor_get_u32be(c, &s4) ||
		    !cursor_get_u32be(c, &d4) ||
		    !cursor_skip(c, (size_t)(b & 15) * 4 > 20
					? (size_t)(b & 15) * 4 - 20
					: 0))
			return;
		addr_v4(&in->src, s4);
		addr_v4(&in->dst, d4);
	} else if (b >> 4 == 6) {
		if (!cursor_skip(c, 6) || !cursor_get_u8(c, &proto) ||
		    !cursor_skip(c, 1) || !get_addr_v6(c, &in->src) ||
		    !get_addr_v6(c, &in->dst))
			return;
	} else {
		return;
	}
	in->valid = true;
	in->proto = proto;
	if (proto == PROTO_TCP || proto == PROTO_UDP) {
		if (!cursor_get_u16be(c, &in->sport) ||
		    !cursor_get_u16be(c, &in->dport))
			in->sport = in->dport = 0;
	}
}
