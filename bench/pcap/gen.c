/* Writes a classic pcap of mixed LAN and ESP traffic of about SIZE MB:
 * 1,000 TCP flows between 10.0.1.0/24 and 10.0.2.0/24 (full-size data
 * and ACKs), ESP both ways between two peers on 4 SPIs, DNS, ICMP echo
 * and ARP. Usage: gen FILE SIZE_MB */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t buf[2048];

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* Ethernet + IPv4 header; returns the offset of the IP payload. */
static size_t
ip(uint32_t src, uint32_t dst, uint8_t proto, size_t plen)
{
	memset(buf, 0, 34);
	/* replies (from the remote side) come from the firewall's MAC */
	bool back = (src & 0xffffff00) == 0x0a000200 || src == 0xc6336402;
	memcpy(buf,
	       back ? "\x00\x50\x56\x00\x01\x05\x00\x50\x56\x00\x00\x01"
		    : "\x00\x50\x56\x00\x00\x01\x00\x50\x56\x00\x01\x05",
	       12);
	put16(buf + 12, 0x0800);
	buf[14] = 0x45;
	put16(buf + 16, (unsigned)(20 + plen));
	buf[22] = 64;
	buf[23] = proto;
	put32(buf + 26, src);
	put32(buf + 30, dst);
	return 34;
}

static size_t
packet(uint64_t i)
{
	unsigned k = (unsigned)(i % 100), flow = (unsigned)(i / 7 % 1000);
	uint32_t lan = 0x0a000100 | (flow % 250 + 2),
		 rem = 0x0a000200 | (flow / 4 % 250 + 2);
	if (k < 60) { /* TCP: data one way, ACK the other */
		bool data = k % 2 == 0;
		size_t pl = data ? 1448 : 0, o;
		o = data ? ip(lan, rem, 6, 20 + pl) : ip(rem, lan, 6, 20);
		put16(buf + o, data ? 40000 + flow : 443);
		put16(buf + o + 2, data ? 443 : 40000 + flow);
		put32(buf + o + 4, (uint32_t)(i * 1448));
		buf[o + 12] = 0x50;
		buf[o + 13] = 0x10;
		return o + 20 + pl;
	}
	if (k < 90) { /* ESP both ways */
		bool out = k % 2;
		size_t o = ip(out ? 0xcb007101 : 0xc6336402,
			      out ? 0xc6336402 : 0xcb007101, 50, 8 + 1200);
		put32(buf + o, 0xc0000000u | (k % 4));
		put32(buf + o + 4, (uint32_t)i);
		return o + 8 + 1200;
	}
	if (k < 95) { /* DNS */
		size_t o = ip(lan, 0x0a000101, 17, 8 + 40);
		put16(buf + o, 50000 + flow);
		put16(buf + o + 2, 53);
		put16(buf + o + 4, 48);
		return o + 48;
	}
	if (k < 99) { /* ICMP echo */
		size_t o = ip(lan, rem, 1, 8 + 56);
		buf[o] = 8;
		return o + 64;
	}
	memset(buf, 0xff, 6); /* ARP who-has */
	memcpy(buf + 6, "\x00\x50\x56\x00\x01\x05\x08\x06", 8);
	memcpy(buf + 14, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memset(buf + 22, 0, 20);
	put32(buf + 28, lan);
	put32(buf + 38, 0x0a000101);
	return 42;
}

int
main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: gen FILE SIZE_MB\n"), 3;
	FILE *f = fopen(argv[1], "wb");
	if (f == NULL)
		return perror(argv[1]), 3;
	uint64_t want = strtoull(argv[2], NULL, 10) << 20, done = 24;
	uint32_t hdr[6] = {0xa1b2c3d4, 2 | 4 << 16, 0, 0, 262144, 1};
	fwrite(hdr, 1, 24, f);
	for (uint64_t i = 0; done < want; i++) {
		size_t n = packet(i);
		uint32_t rec[4] = {1714557600 + (uint32_t)(i / 100000),
				   (uint32_t)(i % 100000) * 10, (uint32_t)n,
				   (uint32_t)n};
		fwrite(rec, 1, 16, f);
		fwrite(buf, 1, n, f);
		done += 16 + n;
	}
	return fclose(f) == 0 ? 0 : 3;
}
