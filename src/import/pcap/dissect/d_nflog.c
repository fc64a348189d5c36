/* NFLOG (link type 239): packets the Linux firewall logged through
 * nfnetlink_log (nftables "log group N", iptables -j NFLOG), as
 * tcpdump -i nflog:N writes them. Layout after tcpdump.org/linktypes/
 * LINKTYPE_NFLOG.html and Linux include/uapi/linux/netfilter/
 * nfnetlink_log.h: a 4-byte header (family, version 0, resource id = the
 * group, big-endian), then netlink attributes (TLVs): length (with its
 * 4-byte header) and type in the byte order of the host (libpcap swaps
 * them for a file from the other byte order), each padded to 4 bytes;
 * attribute values in network byte order. */
#include "import/pcap/dissect/dissect.h"

enum {
	NFULA_PACKET_HDR = 1,
	NFULA_TIMESTAMP = 3,
	NFULA_IFINDEX_INDEV = 4,
	NFULA_IFINDEX_OUTDEV = 5,
	NFULA_PAYLOAD = 9,
	NFULA_PREFIX = 10,
	NLA_TYPE_MASK = 0x3fff, /* without NLA_F_NESTED, NLA_F_NET_BYTEORDER */
	NFLOG_MAX_TLVS = 64,	/* the kernel writes about 20 kinds */
};

/* A 16-bit attribute header field in the capturing host's order. */
static bool
get_u16_host(struct cursor *c, uint16_t *v)
{
	uint8_t b[2];
	if (!cursor_get_bytes(c, b, 2))
		return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	*v = (uint16_t)(b[0] << 8 | b[1]);
#else
	*v = (uint16_t)(b[1] << 8 | b[0]);
#endif
	return true;
}

/* One attribute's value into p; the payload is dissected last. */
static void
nflog_attr(struct pkt *p, uint16_t type, struct cursor v,
	   struct cursor *payload, bool *has_payload)
{
	uint32_t ifindex;
	uint8_t b;
	switch (type) {
	case NFULA_PACKET_HDR: /* hw_protocol be16, hook u8, pad */
		if (cursor_peek_u8(&v, 2, &b)) {
			p->nflog_has_hook = true;
			p->nflog_hook = b;
		}
		break;
	case NFULA_IFINDEX_INDEV:
	case NFULA_IFINDEX_OUTDEV:
		if (!cursor_get_u32be(&v, &ifindex)) {
			p->malformed = "NFLOG interface index shorter than 4 "
				       "bytes";
			break;
		}
		if (type == NFULA_IFINDEX_INDEV)
			p->nflog_indev = ifindex;
		else
			p->nflog_outdev = ifindex;
		break;
	case NFULA_PREFIX: {
		/* NUL-terminated by the kernel; stop at the first NUL */
		size_t n = 0;
		while (cursor_peek_u8(&v, n, &b) && b != 0)
			n++;
		p->nflog_prefix = v.p + v.off;
		p->nflog_prefix_len = (uint16_t)n;
		break;
	}
	case NFULA_PAYLOAD:
		*payload = v;
		*has_payload = true;
		break;
	default:
		break; /* timestamp (the record has one), hwheader, uid, ... */
	}
}

/* The attributes: a short one ends the walk (cut by snaplen, or a
 * length that cannot be); the padding of the last may be absent. */
static bool
nflog_attrs(struct cursor *c, struct pkt *p, struct cursor *payload)
{
	bool has_payload = false;
	for (int i = 0; i < NFLOG_MAX_TLVS && cursor_left(c) > 0; i++) {
		uint16_t len, type;
		if (!get_u16_host(c, &len) || !get_u16_host(c, &type)) {
			pkt_short(p, "NFLOG attribute header cut short");
			break;
		}
		if (len < 4) {
			p->malformed = "NFLOG attribute length below 4";
			break;
		}
		struct cursor v;
		if (!cursor_sub(c, (size_t)len - 4, &v)) {
			pkt_short(p, "NFLOG attribute cut short");
			break;
		}
		size_t pad = (4 - len % 4) % 4;
		(void)cursor_skip(c,
				  pad < cursor_left(c) ? pad : cursor_left(c));
		nflog_attr(p, type & NLA_TYPE_MASK, v, payload, &has_payload);
	}
	return has_payload;
}

void
dissect_nflog(struct cursor *c, struct pkt *p)
{
	uint8_t family, version;
	uint16_t group;
	if (!cursor_get_u8(c, &family) || !cursor_get_u8(c, &version) ||
	    !cursor_get_u16be(c, &group)) {
		pkt_short(p, "NFLOG header cut short");
		return;
	}
	if (version != 0) {
		p->malformed = "NFLOG version not 0";
		return;
	}
	p->has_nflog = true;
	p->nflog_family = family;
	p->nflog_group = group;
	struct cursor payload;
	if (!nflog_attrs(c, p, &payload) || p->malformed)
		return;
	/* the log's copy range (nft "log snaplen") may cut the packet:
	 * short reads inside it are truncation, not a malformed packet */
	bool cut = p->cut;
	p->cut = true;
	switch (family) {
	case 2: /* AF_INET */
		dissect_ipv4(&payload, p);
		break;
	case 10: /* AF_INET6 */
		dissect_ipv6(&payload, p);
		break;
	default: /* NFPROTO_BRIDGE, NFPROTO_INET...: the version nibble */
		dissect_ip(&payload, p);
		break;
	}
	p->cut = cut;
}
