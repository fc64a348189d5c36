/* ARP over Ethernet for IPv4 (RFC 826): who-has (1) and is-at (2). */
#include "import/pcap/dissect/dissect.h"

void
dissect_arp(struct cursor *c, struct pkt *p)
{
	uint16_t htype, ptype, op;
	uint8_t hlen, plen, tha[6];
	uint32_t spa, tpa;
	if (!cursor_get_u16be(c, &htype) || !cursor_get_u16be(c, &ptype) ||
	    !cursor_get_u8(c, &hlen) || !cursor_get_u8(c, &plen) ||
	    !cursor_get_u16be(c, &op)) {
		pkt_short(p, "ARP header cut short");
		return;
	}
	p->is_arp = true;
	p->arp_op = op;
	if (hlen != 6 || plen != 4 || ptype != 0x0800)
		return; /* not Ethernet/IPv4 ARP: only the operation */
	if (!cursor_get_bytes(c, p->arp_sha, 6) || !cursor_get_u32be(c, &spa) ||
	    !cursor_get_bytes(c, tha, 6) || !cursor_get_u32be(c, &tpa)) {
		pkt_short(p, "ARP addresses cut short");
		return;
	}
	p->arp_spa = (struct ipaddr){.fam = FAM_V4, .v = spa};
	p->arp_tpa = (struct ipaddr){.fam = FAM_V4, .v = tpa};
}
