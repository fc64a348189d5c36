/* Link layers: Ethernet (IEEE 802.3) with 802.1Q/802.1ad tags, Linux
 * cooked SLL and SLL2, BSD NULL and LOOP, raw IP, ENC (109) and PFLOG
 * (117); NFLOG (239) in d_nflog.c. Header layouts after
 * tcpdump.org/linktypes.html. */
#include <string.h>

#include "import/pcap/dissect/dissect.h"

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_ARP = 0x0806,
	ETHERTYPE_VLAN = 0x8100,
	ETHERTYPE_QINQ = 0x88a8,
	ETHERTYPE_IPV6 = 0x86dd,
	MAX_VLAN_TAGS = 4,
};

void
pkt_short(struct pkt *p, const char *what)
{
	if (p->cut)
		p->truncated = true;
	else if (p->malformed == NULL)
		p->malformed = what;
}

static void
dissect_ethertype(struct cursor *c, struct pkt *p, uint16_t type)
{
	switch (type) {
	case ETHERTYPE_IPV4:
		dissect_ipv4(c, p);
		break;
	case ETHERTYPE_IPV6:
		dissect_ipv6(c, p);
		break;
	case ETHERTYPE_ARP:
		dissect_arp(c, p);
		break;
	default:
		break; /* not ours: counted as "other" */
	}
}

/* IEEE 802.3 / Ethernet II; 802.1Q and 802.1ad tags in front of the
 * type (IEEE 802.1Q §9.6). Frames with a length (< 1536) are LLC. */
static void
dissect_ether(struct cursor *c, struct pkt *p)
{
	uint16_t type;
	if (!cursor_get_bytes(c, p->mac_dst, 6) ||
	    !cursor_get_bytes(c, p->mac_src, 6) ||
	    !cursor_get_u16be(c, &type)) {
		pkt_short(p, "Ethernet header cut short");
		return;
	}
	p->has_mac = true;
	for (int i = 0; (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) &&
			i < MAX_VLAN_TAGS;
	     i++) {
		uint16_t tci;
		if (!cursor_get_u16be(c, &tci) || !cursor_get_u16be(c, &type)) {
			pkt_short(p, "802.1Q tag cut short");
			return;
		}
		if (!p->has_vlan) {
			p->has_vlan = true;
			p->vlan = tci & 0x0fff;
		}
	}
	dissect_ethertype(c, p, type);
}

/* Linux cooked capture v1: 16-byte header, protocol last. */
static void
dissect_sll(struct cursor *c, struct pkt *p)
{
	uint16_t pkttype, hatype, alen, proto;
	uint8_t addr[8];
	if (!cursor_get_u16be(c, &pkttype) || !cursor_get_u16be(c, &hatype) ||
	    !cursor_get_u16be(c, &alen) || !cursor_get_bytes(c, addr, 8) ||
	    !cursor_get_u16be(c, &proto)) {
		pkt_short(p, "Linux SLL header cut short");
		return;
	}
	if (alen == 6) {
		memcpy(p->mac_src, addr, 6);
		p->has_mac = true; /* source only; destination unknown */
	}
	dissect_ethertype(c, p, proto);
}

/* Linux cooked capture v2: 20-byte header, protocol first. */
static void
dissect_sll2(struct cursor *c, struct pkt *p)
{
	uint16_t proto, reserved, hatype;
	uint32_t ifindex;
	uint8_t pkttype, alen, addr[8];
	if (!cursor_get_u16be(c, &proto) || !cursor_get_u16be(c, &reserved) ||
	    !cursor_get_u32be(c, &ifindex) || !cursor_get_u16be(c, &hatype) ||
	    !cursor_get_u8(c, &pkttype) || !cursor_get_u8(c, &alen) ||
	    !cursor_get_bytes(c, addr, 8)) {
		pkt_short(p, "Linux SLL2 header cut short");
		return;
	}
	if (alen == 6) {
		memcpy(p->mac_src, addr, 6);
		p->has_mac = true;
	}
	dissect_ethertype(c, p, proto);
}

/* BSD address families as they appear in NULL/LOOP/ENC/PFLOG headers:
 * AF_INET is 2 everywhere, AF_INET6 is 24 (NetBSD/OpenBSD), 28
 * (FreeBSD, doc/behaviour/pfsense.md §4), 30 (Darwin), 10 (Linux). */
static void
dissect_af(struct cursor *c, struct pkt *p, uint32_t af)
{
	switch (af) {
	case 2:
		dissect_ipv4(c, p);
		break;
	case 10:
	case 24:
	case 28:
	case 30:
		dissect_ipv6(c, p);
		break;
	default:
		dissect_ip(c, p); /* unknown family: the version nibble */
		break;
	}
}

/* A 32-bit word in the capturing host's byte order: families and flags
 * are small, so a value above 16 bits was written the other way round. */
static uint32_t
host_order(uint32_t le)
{
	if (le > 0xffff)
		return __builtin_bswap32(le);
	return le;
}

static void
dissect_null(struct cursor *c, struct pkt *p, bool loop)
{
	uint32_t af;
	if (!(loop ? cursor_get_u32be(c, &af) : cursor_get_u32le(c, &af))) {
		pkt_short(p, "NULL/LOOP header cut short");
		return;
	}
	dissect_af(c, p, loop ? af : host_order(af));
}

/* ENC, struct enchdr {af, spi, flags}: af and flags in host order, spi
 * in network order (doc/behaviour/pfsense.md §4, FreeBSD sys/net/if_enc.c). */
static void
dissect_enc(struct cursor *c, struct pkt *p)
{
	uint32_t af, spi, flags;
	if (!cursor_get_u32le(c, &af) || !cursor_get_u32be(c, &spi) ||
	    !cursor_get_u32le(c, &flags)) {
		pkt_short(p, "ENC header cut short");
		return;
	}
	p->has_enc = true;
	p->enc_af = host_order(af);
	p->enc_spi = spi;
	p->enc_flags = host_order(flags);
	dissect_af(c, p, p->enc_af);
}

/* PFLOG: struct pfloghdr, its first byte the header length, padded to a
 * 4-byte boundary (libpcap pcap/pflog.h, BPF_WORDALIGN). */
static void
dissect_pflog(struct cursor *c, struct pkt *p)
{
	uint8_t len, af, action;
	if (!cursor_peek_u8(c, 0, &len) || !cursor_peek_u8(c, 1, &af) ||
	    !cursor_peek_u8(c, 2, &action)) {
		pkt_short(p, "PFLOG header cut short");
		return;
	}
	size_t hdr = ((size_t)len + 3) & ~(size_t)3;
	/* length, af, action, reason, ifname[16], ruleset[16], 6 x u32 */
	if (len < 61) {
		p->malformed = "PFLOG header length too small";
		return;
	}
	uint8_t dir;
	if (!cursor_peek_u8(c, 60, &dir) || !cursor_skip(c, hdr)) {
		pkt_short(p, "PFLOG header cut short");
		return;
	}
	p->has_pflog = true;
	p->pflog_action = action;
	p->pflog_dir = dir;
	dissect_af(c, p, af);
}

void
dissect_packet(int linktype, const uint8_t *data, uint32_t caplen,
	       uint32_t wirelen, struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->linktype = linktype;
	p->cut = caplen < wirelen;
	struct cursor c = cursor_make(data, caplen);
	switch (linktype) {
	case LT_ETHERNET:
		dissect_ether(&c, p);
		break;
	case LT_LINUX_SLL:
		dissect_sll(&c, p);
		break;
	case LT_LINUX_SLL2:
		dissect_sll2(&c, p);
		break;
	case LT_NULL:
		dissect_null(&c, p, false);
		break;
	case LT_LOOP:
		dissect_null(&c, p, true);
		break;
	case LT_ENC:
		dissect_enc(&c, p);
		break;
	case LT_PFLOG:
		dissect_pflog(&c, p);
		break;
	case LT_NFLOG:
		dissect_nflog(&c, p);
		break;
	case LT_RAW:
	case LT_RAW_DLT12:
	case LT_RAW_DLT14:
		dissect_ip(&c, p);
		break;
	case LT_IPV4:
		dissect_ipv4(&c, p);
		break;
	case LT_IPV6:
		dissect_ipv6(&c, p);
		break;
	default:
		break;
	}
}

bool
linktype_supported(int lt)
{
	switch (lt) {
	case LT_ETHERNET:
	case LT_LINUX_SLL:
	case LT_LINUX_SLL2:
	case LT_NULL:
	case LT_LOOP:
	case LT_ENC:
	case LT_PFLOG:
	case LT_NFLOG:
	case LT_RAW:
	case LT_RAW_DLT12:
	case LT_RAW_DLT14:
	case LT_IPV4:
	case LT_IPV6:
		return true;
	default:
		return false;
	}
}
