/* Writes a realistic pfSense filter.log of about SIZE bytes to stdout:
 * mixed interfaces (WAN igb0, LAN igb1, enc0, VLAN), IPv4 and IPv6,
 * TCP/UDP/ICMP/ESP, blocks and passes, BSD syslog envelope. Deterministic
 * (fixed seed). Usage: gen SIZE_MB */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s = 0x9e3779b97f4a7c15ull;

static unsigned
rnd(unsigned n)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return (unsigned)(s % n);
}

int
main(int argc, char **argv)
{
	uint64_t want = (uint64_t)(argc > 1 ? atol(argv[1]) : 1024) << 20;
	uint64_t done = 0;
	static const char *const ifs[] = {"igb0", "igb1", "enc0", "igb1.10"};
	static const char *const tr[] = {"1000000103", "1700000001",
					 "1000000104", "12001", "1700000002"};
	unsigned sec = 0;
	char buf[512];
	while (done < want) {
		sec += rnd(3) == 0;
		unsigned h = sec / 3600 % 24, m = sec / 60 % 60, x = sec % 60;
		const char *ifc = ifs[rnd(4)];
		const char *t = tr[rnd(5)];
		const char *act = rnd(4) ? "block" : "pass";
		unsigned k = rnd(100), n;
		/* recurring flows: 90% of lines come from ~4,000 host
		 * pairs with a skew, 10% are scanner noise */
		unsigned a, b;
		if (rnd(10)) {
			a = rnd(1 + rnd(63)) + 1;
			b = rnd(1 + rnd(63)) + 1;
		} else {
			a = rnd(250) + 1;
			b = rnd(250) + 1;
		}
		if (k < 45)
			n = snprintf(
			    buf, sizeof(buf),
			    "May  3 %02u:%02u:%02u fw "
			    "filterlog[23721]: 6,,,%s,%s,match,%s,in,4,0x0,,63,"
			    "%u,0,DF,6,tcp,60,10.0.%u.%u,10.0.1.%u,%u,%u,0,S,"
			    "%u,,64240,,mss;sackOK;TS;nop;wscale\n",
			    h, m, x, t, ifc, act, rnd(65535), rnd(4), a, b,
			    1024 + rnd(60000),
			    (unsigned[]){22, 80, 443, 445, 3389, 53}[rnd(6)],
			    rnd(2000000000));
		else if (k < 70)
			n = snprintf(
			    buf, sizeof(buf),
			    "May  3 %02u:%02u:%02u fw "
			    "filterlog[23721]: 7,,,%s,%s,match,%s,in,4,0x0,,"
			    "52,%u,0,none,17,udp,76,203.0.113.%u,198.51.100.%u,"
			    "%u,%u,56\n",
			    h, m, x, t, ifc, act, rnd(65535), a, b,
			    (unsigned[]){500, 4500, 53, 123}[rnd(4)],
			    (unsigned[]){500, 4500, 53, 123}[rnd(4)]);
		else if (k < 82)
			n = snprintf(
			    buf, sizeof(buf),
			    "May  3 %02u:%02u:%02u fw "
			    "filterlog[23721]: 6,,,%s,%s,match,%s,in,4,0x0,,"
			    "63,%u,0,none,1,icmp,84,10.0.2.%u,10.0.1.%u,"
			    "request,%u,%u64\n",
			    h, m, x, t, ifc, act, rnd(65535), a, b, rnd(65535),
			    rnd(100));
		else if (k < 92)
			n = snprintf(
			    buf, sizeof(buf),
			    "May  3 %02u:%02u:%02u fw "
			    "filterlog[23721]: 7,,,%s,igb0,match,%s,in,4,0x0,,"
			    "52,0,0,none,50,esp,136,203.0.113.%u,198.51.100.2,"
			    "datalength=116\n",
			    h, m, x, t, act, a);
		else
			n = snprintf(
			    buf, sizeof(buf),
			    "May  3 %02u:%02u:%02u fw "
			    "filterlog[23721]: 98,,,%s,%s,match,%s,in,6,0x00,"
			    "0x0ea87,51,UDP,17,73,2001:db8:%x::%x,2001:db8:1::"
			    "%x,6881,%u,73\n",
			    h, m, x, t, ifc, act, rnd(16), a, b,
			    1024 + rnd(60000));
		fwrite(buf, 1, n, stdout);
		done += n;
	}
	return 0;
}
