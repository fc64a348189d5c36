/* Transport: TCP (RFC 9293 §3.1, options §3.2), UDP (RFC 768), ICMP
 * (RFC 792, need-frag MTU RFC 1191 §4), ICMPv6 (RFC 4443 §3, Packet Too
 * Big §3.2). UDP 500 and 4500 go on to IKE and ESP (RFC 3948). */
#include "import/pcap/dissect/dissect.h"

enum { PORT_IKE = 500, PORT_NATT = 4500 };

/* RFC 9293 §3.2: EOL, NOP, then kind-length options; MSS is kind 2. */
static void
tcp_options(struct cursor opt, struct pkt *p)
{
	uint8_t kind, len;
	while (cursor_get_u8(&opt, &kind)) {
		if (kind == 0)
			return;
		if (kind == 1)
			continue;
		if (!cursor_get_u8(&opt, &len) || len < 2) {
			p->malformed = "TCP option with a bad length";
			return;
		}
		struct cursor body;
		if (!cursor_sub(&opt, (size_t)len - 2, &body)) {
			p->malformed = "TCP option longer than the header";
			return;
		}
		if (kind == 2 && len == 4 && cursor_get_u16be(&body, &p->mss))
			p->has_mss = true;
	}
}

static void
dissect_tcp(struct cursor *c, struct pkt *p)
{
	uint8_t off, flags;
	uint16_t win, sum, urg;
	if (!cursor_get_u16be(c, &p->sport) ||
	    !cursor_get_u16be(c, &p->dport) ||
	    !cursor_get_u32be(c, &p->tcp_seq) ||
	    !cursor_get_u32be(c, &p->tcp_ack) || !cursor_get_u8(c, &off) ||
	    !cursor_get_u8(c, &flags) || !cursor_get_u16be(c, &win) ||
	    !cursor_get_u16be(c, &sum) || !cursor_get_u16be(c, &urg)) {
		pkt_short(p, "TCP header cut short");
		return;
	}
	p->has_l4 = true;
	p->tcp_flags = flags;
	size_t hlen = (size_t)(off >> 4) * 4;
	if (hlen < 20) {
		p->malformed = "TCP header length below 20";
		return;
	}
	/* by the IP length, even when snaplen cut the capture short */
	p->payload_len = p->l4_len >= hlen ? (uint32_t)(p->l4_len - hlen) : 0;
	struct cursor opt;
	if (!cursor_sub(c, hlen - 20, &opt)) {
		pkt_short(p, "TCP options cut short");
		return;
	}
	tcp_options(opt, p);
}

static void
dissect_udp(struct cursor *c, struct pkt *p)
{
	uint16_t len, sum;
	if (!cursor_get_u16be(c, &p->sport) ||
	    !cursor_get_u16be(c, &p->dport) || !cursor_get_u16be(c, &len) ||
	    !cursor_get_u16be(c, &sum)) {
		pkt_short(p, "UDP header cut short");
		return;
	}
	p->has_l4 = true;
	if (len < 8 && !p->is_frag) {
		p->malformed = "UDP length below 8";
		return;
	}
	p->payload_len = len >= 8 ? len - 8u : 0;
	bool cut;
	struct cursor pl = cursor_sub_upto(c, p->payload_len, &cut);
	if (cut && !p->is_frag)
		pkt_short(p, "UDP datagram shorter than its length field");
	if (p->is_frag)
		return; /* the rest is in later fragments */
	if (p->sport == PORT_NATT || p->dport == PORT_NATT)
		dissect_udp_4500(&pl, p);
	else if (p->sport == PORT_IKE || p->dport == PORT_IKE)
		dissect_ike(&pl, p);
}

static bool
icmp4_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static void
dissect_icmp(struct cursor *c, struct pkt *p, bool v6)
{
	uint16_t sum, w1, w2;
	if (!cursor_get_u8(c, &p->icmp_type) ||
	    !cursor_get_u8(c, &p->icmp_code) || !cursor_get_u16be(c, &sum) ||
	    !cursor_get_u16be(c, &w1) || !cursor_get_u16be(c, &w2)) {
		pkt_short(p, v6 ? "ICMPv6 header cut short"
				: "ICMP header cut short");
		return;
	}
	p->has_l4 = true;
	bool err;
	if (v6) {
		/* RFC 4443 §3.2: Packet Too Big carries a 32-bit MTU */
		if (p->icmp_type == 2)
			p->icmp_mtu = w1 ? 0xffff : w2;
		err = p->icmp_type < 128;
	} else {
		/* RFC 1191 §4: need-frag, next-hop MTU in the low 16 bits */
		if (p->icmp_type == 3 && p->icmp_code == 4)
			p->icmp_mtu = w2;
		err = icmp4_is_error(p->icmp_type);
	}
	if (err && !p->is_frag)
		dissect_quoted(c, &p->inner);
}

void
dissect_l4(struct cursor *c, struct pkt *p)
{
	switch (p->proto) {
	case PROTO_TCP:
		dissect_tcp(c, p);
		break;
	case PROTO_UDP:
		dissect_udp(c, p);
		break;
	case PROTO_ICMP:
		if (p->ipver == 4)
			dissect_icmp(c, p, false);
		break;
	case PROTO_ICMP6:
		if (p->ipver == 6)
			dissect_icmp(c, p, true);
		break;
	case PROTO_ESP:
		dissect_esp(c, p);
		break;
	default:
		break;
	}
}
