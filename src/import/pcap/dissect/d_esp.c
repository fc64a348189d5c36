/* ESP (RFC 4303 §2: SPI and sequence number, the rest is encrypted) and
 * UDP encapsulation on port 4500 (RFC 3948 §2.1-§2.3): a zero non-ESP
 * marker means IKE follows, a single 0xff byte is a NAT-keepalive,
 * anything else is ESP. */
#include "import/pcap/dissect/dissect.h"

void
dissect_esp(struct cursor *c, struct pkt *p)
{
	if (!cursor_get_u32be(c, &p->esp_spi) ||
	    !cursor_get_u32be(c, &p->esp_seq)) {
		pkt_short(p, "ESP header cut short");
		return;
	}
	p->is_esp = true;
	/* RFC 4303 §2.1: SPI 0 is reserved for local use, 1..255 by IANA */
	if (p->esp_spi == 0)
		p->malformed = "ESP with SPI 0";
}

void
dissect_udp_4500(struct cursor *c, struct pkt *p)
{
	uint8_t b;
	size_t n = cursor_left(c);
	if (n == 1 && cursor_peek_u8(c, 0, &b) && b == 0xff) {
		p->natt_keepalive = true; /* RFC 3948 §2.3 */
		return;
	}
	uint32_t marker;
	struct cursor peek = *c;
	if (!cursor_get_u32be(&peek, &marker)) {
		if (p->payload_len == 1 && p->cut)
			p->natt_keepalive = true;
		else if (p->payload_len)
			pkt_short(p, "UDP 4500 payload cut short");
		return;
	}
	if (marker == 0) {
		p->ike_marker = true;
		*c = peek;
		dissect_ike(c, p);
		return;
	}
	p->esp_udp = true;
	dissect_esp(c, p);
}
