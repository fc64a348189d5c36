/* IKE headers and unencrypted payloads: IKEv2 (RFC 7296 §3.1 header,
 * §3.2 generic payload header, §3.10 Notify) and IKEv1 (RFC 2408 §3.1
 * header, §3.2 generic payload header, §3.14 Notification). Encrypted
 * payloads (IKEv2 SK/SKF, IKEv1 E flag) end the walk. */
#include <stdio.h>

#include "import/pcap/dissect/dissect.h"

enum {
	IKE_HDR_LEN = 28,
	MAX_PAYLOADS = 64,
	V2_NOTIFY = 41,
	V2_SK = 46,
	V2_SKF = 53,
	V1_NOTIFY = 11,
	V1_FLAG_ENC = 0x01,
};

/* One Notify payload body: RFC 7296 §3.10 (protocol, SPI size, type) or
 * RFC 2408 §3.14 (DOI first). */
static void
ike_notify(struct cursor body, struct pkt *p)
{
	uint8_t proto, spisize;
	uint16_t type;
	if (p->ike_ver == 1 && !cursor_skip(&body, 4))
		goto bad;
	if (!cursor_get_u8(&body, &proto) || !cursor_get_u8(&body, &spisize) ||
	    !cursor_get_u16be(&body, &type))
		goto bad;
	if (p->nnotify < PKT_MAX_NOTIFY)
		p->notify[p->nnotify++] = type;
	return;
bad:
	if (p->malformed == NULL)
		p->malformed = "IKE notify payload too short";
}

static void
ike_payloads(struct cursor *c, struct pkt *p, uint8_t np)
{
	for (int i = 0; np != 0 && i < MAX_PAYLOADS; i++) {
		if ((p->ike_ver == 2 && (np == V2_SK || np == V2_SKF)) ||
		    (p->ike_ver == 1 && (p->ike_flags & V1_FLAG_ENC))) {
			p->ike_encrypted = true;
			return;
		}
		uint8_t next, crit;
		uint16_t len;
		if (!cursor_get_u8(c, &next) || !cursor_get_u8(c, &crit) ||
		    !cursor_get_u16be(c, &len)) {
			pkt_short(p, "IKE payload header cut short");
			return;
		}
		struct cursor body;
		if (len < 4) {
			p->malformed = "IKE payload length below 4";
			return;
		}
		if (!cursor_sub(c, (size_t)len - 4, &body)) {
			pkt_short(p, "IKE payload longer than the message");
			return;
		}
		if ((p->ike_ver == 2 && np == V2_NOTIFY) ||
		    (p->ike_ver == 1 && np == V1_NOTIFY))
			ike_notify(body, p);
		np = next;
	}
}

void
dissect_ike(struct cursor *c, struct pkt *p)
{
	uint8_t np, ver;
	uint32_t len;
	if (cursor_left(c) < IKE_HDR_LEN) {
		if (p->payload_len)
			pkt_short(p, "IKE header cut short");
		return;
	}
	cursor_get_u64be(c, &p->ike_ispi);
	cursor_get_u64be(c, &p->ike_rspi);
	cursor_get_u8(c, &np);
	cursor_get_u8(c, &ver);
	cursor_get_u8(c, &p->ike_exch);
	cursor_get_u8(c, &p->ike_flags);
	cursor_get_u32be(c, &p->ike_msgid);
	cursor_get_u32be(c, &len);
	if (ver >> 4 != 1 && ver >> 4 != 2) {
		p->malformed = "IKE header with an unknown major version";
		return;
	}
	p->is_ike = true;
	p->ike_ver = ver >> 4;
	if (len < IKE_HDR_LEN) {
		p->malformed = "IKE length below the header size";
		return;
	}
	bool cut;
	struct cursor msg = cursor_sub_upto(c, len - IKE_HDR_LEN, &cut);
	if (cut)
		pkt_short(p, "IKE message shorter than its length field");
	ike_payloads(&msg, p, np);
}
