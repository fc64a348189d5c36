/* Dissectors (table of raw packets) and the capture importer (fixtures
 * from tests/fixtures/pcap/gen.py against a hand-built site). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "import/pcap/dissect/dissect.h"
#include "import/load.h"
#include "import/pcap/capture.h"

static struct arena ar;
#define FIX "tests/fixtures/pcap/"

static size_t
hex(const char *s, uint8_t *out)
{
	size_t n = 0;
	unsigned v;
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

struct dcase {
	const char *name;
	int lt;
	const char *bytes;
	uint32_t extra; /* wire length beyond the captured bytes */
	uint8_t proto;
	uint16_t sport, dport;
	uint32_t spi, seq, value;
	uint8_t ike_exch;
	uint16_t notify;
	bool truncated, malformed, keepalive;
};

static const struct dcase dcases[] = {
    {"enc0 header: af/flags little-endian, spi network order", LT_ENC,
     "02000000 c1000001 000c0000 4500001c00010000400100000a0001050a000207"
     "0800f7ff00000000",
     0, 1, 0, 0, 0xc1000001},
    {"NULL, UDP 4500 with non-ESP marker: IKE_SA_INIT + notify 14", LT_NULL,
     "02000000 45000044 0001 0000 4011 0000 cb007101 c6336402 "
     "11941194 0030 0000 00000000 1122334455667788 0000000000000000 "
     "29 20 22 20 00000000 00000024 00000008 00 00 000e",
     0, 17, 4500, 4500, 0, 0, 0, 34, 14},
    {"raw IP, NAT-T keepalive", LT_RAW,
     "4500001d 0001 0000 4011 0000 cb007101 c6336402 11941194 0009 0000 ff", 0,
     17, 4500, 4500, .keepalive = true},
    {"Ethernet 802.1Q, ESP in UDP 4500", LT_ETHERNET,
     "005056000001 005056000002 8100 000a 0800 "
     "45000024 0001 0000 4011 0000 cb007101 c6336402 "
     "11941194 0010 0000 c0ffee02 00000007",
     0, 17, 4500, 4500, 0xc0ffee02, 7},
    {"Linux SLL, TCP SYN with MSS 1460", LT_LINUX_SLL,
     "0000 0001 0006 005056000105 0000 0800 "
     "4500002c 0001 4000 4006 0000 0a000105 0a000207 "
     "c3500050 00000001 00000000 6002ffff 0000 0000 020405b4",
     0, 6, 50000, 80, .value = 1460},
    {"IPv6 fragment header, first fragment of UDP", LT_IPV6,
     "60000000 0018 2c 40 20010db8000000000000000000000001 "
     "20010db8000000000000000000000002 "
     "11 00 0001 00000001 "
     "d4310035 0100 0000 00000000 00000000",
     0, 17, 54321, 53},
    {"ICMP need-frag MTU 1400 quoting TCP", LT_IPV4,
     "45000038 0001 0000 4001 0000 0a000101 0a000105 "
     "0304 0000 0000 0578 "
     "45000000 000a 4000 4006 0000 0a000105 0a000207 c3b40050 000003e9",
     0, 1, 50100, 80, .value = 1400},
    {"snaplen cut in the TCP header: truncated, not malformed", LT_IPV4,
     "45000028 0001 4000 4006 0000 0a000105 0a000207 c350", 14, 6,
     .truncated = true},
    {"IP length beyond the frame, not cut: malformed", LT_IPV4,
     "45002328 0001 4000 4006 0000 0a000105 0a000207", 0, 6, .malformed = true},
    {"ESP with its SPI and sequence", LT_IPV4,
     "4500001c 0001 0000 4032 0000 c6336402 cb007101 c0ffee01 00000005", 0, 50,
     0, 0, 0xc0ffee01, 5},
};

static void
test_dissect_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(dcases) / sizeof(*dcases); i++) {
		const struct dcase *c = &dcases[i];
		uint8_t b[512];
		size_t n = hex(c->bytes, b);
		struct pkt p;
		dissect_packet(c->lt, b, (uint32_t)n, (uint32_t)n + c->extra,
			       &p);
		print_message("case: %s\n", c->name);
		assert_int_equal(p.proto, c->proto);
		assert_int_equal(p.truncated, c->truncated);
		assert_int_equal(p.malformed != NULL, c->malformed);
		assert_int_equal(p.natt_keepalive, c->keepalive);
		if (c->sport || c->dport) {
			bool icmp = c->proto == PROTO_ICMP;
			assert_int_equal(icmp ? p.inner.sport : p.sport,
					 c->sport);
			assert_int_equal(icmp ? p.inner.dport : p.dport,
					 c->dport);
		}
		if (c->lt == LT_ENC) {
			assert_int_equal(p.enc_spi, c->spi);
			assert_int_equal(p.enc_af, 2);
			assert_int_equal(p.enc_flags, 0x0c00);
		} else if (c->spi) {
			assert_true(p.is_esp);
			assert_int_equal(p.esp_spi, c->spi);
			assert_int_equal(p.esp_seq, c->seq);
		}
		if (c->ike_exch) {
			assert_true(p.is_ike && p.ike_marker);
			assert_int_equal(p.ike_exch, c->ike_exch);
			assert_int_equal(p.nnotify, 1);
			assert_int_equal(p.notify[0], c->notify);
		}
		if (c->value)
			assert_int_equal(c->proto == PROTO_TCP ? p.mss
							       : p.icmp_mtu,
					 c->value);
	}
}

/* Site A of the fixtures: LAN 10.0.1.1/24 on igb1, WAN 203.0.113.1/24 on
 * igb0, a tunnel to 198.51.100.2 for 10.0.1.0/24 <-> 10.0.2.0/24. */
static void
site_a(struct site *s)
{
	memset(s, 0, sizeof(*s));
	s->name = "a";
	s->has_config = true;
	static const struct {
		const char *key, *dev, *descr, *addr;
		enum if_role role;
	} ifs[] = {{"lan", "igb1", "LAN", "10.0.1.1", ROLE_LAN},
		   {"wan", "igb0", "WAN", "203.0.113.1", ROLE_WAN},
		   {"enc0", "enc0", "IPsec", NULL, ROLE_ENC}};
	for (size_t i = 0; i < 3; i++) {
		struct iface *f =
		    ARENA_PUSH(&ar, s->ifaces, s->nifaces, s->cifaces);
		f->key = ifs[i].key;
		f->dev = ifs[i].dev;
		f->descr = ifs[i].descr;
		f->role = ifs[i].role;
		f->enabled = true;
		if (ifs[i].addr) {
			struct ifaddr *a =
			    ARENA_PUSH(&ar, f->addrs, f->naddrs, f->caddrs);
			assert_true(
			    ipaddr_parse(str_from(ifs[i].addr), &a->addr));
			a->plen = 24;
		}
	}
	struct phase1 *p1 = ARENA_PUSH(&ar, s->p1, s->np1, s->cp1);
	p1->ikeid = "1";
	p1->iface = "wan";
	assert_true(ipaddr_parse(str_from("198.51.100.2"), &p1->peer));
	p1->peer_known = true;
	struct phase2 *p2 = ARENA_PUSH(&ar, s->p2, s->np2, s->cp2);
	p2->p1 = p1;
	p2->remote.text = "10.0.2.0/24";
	p2->remote.resolved = true;
	assert_true(
	    prefix_parse(str_from("10.0.2.0/24"), &p2->remote.net, NULL));
	p2->local.text = "lan";
	p2->local.resolved = true;
	assert_true(
	    prefix_parse(str_from("10.0.1.0/24"), &p2->local.net, NULL));
}

static const struct observation *
find(const struct site *s, enum obs_kind k, size_t nth)
{
	for (size_t i = 0; i < s->ev.nobs; i++)
		if (s->ev.obs[i].kind == k && nth-- == 0)
			return &s->ev.obs[i];
	return NULL;
}

static struct site *
imported(const char *file)
{
	static struct site s;
	site_a(&s);
	struct input_file *in = ARENA_PUSH(&ar, s.inputs, s.ninputs, s.cinputs);
	in->path = file;
	in->kind = INPUT_PCAP;
	assert_true(pcap_import(&ar, in, &s));
	assert_true(s.ev.has_capture);
	return &s;
}

static void
test_import_lan_arp(void **state)
{
	(void)state;
	struct site *s = imported(FIX "packetcapture-igb1-20240501100100.pcap");
	assert_string_equal(s->inputs[0].summary,
			    "capture lan (LAN) 4 packets");
	const struct observation *o = find(s, OBS_CAP_ARP, 0);
	assert_non_null(o);
	assert_null(find(s, OBS_CAP_ARP, 1)); /* the answered one is fine */
	char b[ADDR_STRLEN];
	assert_string_equal(ipaddr_format(&o->dst, b), "10.0.2.7");
	assert_int_equal(o->count, 2);
	assert_int_equal(o->where.frame, 1);
	assert_non_null(strstr(o->text, "remote phase 2 network 10.0.2.0/24"));
	assert_string_equal(o->iface, "lan");
}

static void
test_import_lan_noreply(void **state)
{
	(void)state;
	struct site *s = imported(FIX "packetcapture-igb1-20240501100500.pcap");
	const struct observation *f = find(s, OBS_CAP_FLOW, 0);
	assert_int_equal(f->count, 3);
	assert_int_equal(f->count_rev, 0); /* delivered, never answered */
	assert_null(f->mac_dst);
	const struct observation *rst = find(s, OBS_CAP_TCP_RST, 0);
	char b[ADDR_STRLEN];
	assert_string_equal(ipaddr_format(&rst->src, b), "10.0.1.6");
	assert_int_equal(rst->where.frame, 5);
	const struct observation *u = find(s, OBS_CAP_FLOW, 2);
	assert_string_equal(u->mac_dst, "00:50:56:00:01:99");
}

static void
test_import_wan(void **state)
{
	(void)state;
	struct site *s = imported(FIX "packetcapture-igb0-20240501101000.pcap");
	assert_string_equal(s->inputs[0].summary,
			    "capture wan (WAN) 10 packets");
	const struct observation *e = find(s, OBS_CAP_ESP, 0);
	assert_int_equal(e->value, 0xc0ffee01);
	assert_int_equal(e->dir, PDIR_IN);
	assert_int_equal(e->count, 5);
	assert_int_equal(find(s, OBS_CAP_ESP, 1)->proto, PROTO_UDP);
	const struct observation *k = find(s, OBS_CAP_IKE, 1);
	assert_string_equal(k->text,
			    "IKEv2 IKE_SA_INIT response NO_PROPOSAL_CHOSEN");
	assert_int_equal(k->where.frame, 7);
	const struct observation *c = find(s, OBS_CAP_CLEARTEXT, 0);
	assert_non_null(c);
	assert_non_null(strstr(c->text, "NATed to the WAN address"));
	assert_int_equal(c->where.frame, 10);
	assert_true(c->first_ts > 1714557600.0);
}

static void
test_import_mss_enc(void **state)
{
	(void)state;
	struct site *s = imported(FIX "mss-needfrag.pcap");
	assert_int_equal(find(s, OBS_CAP_TCP_MSS, 0)->value, 1460);
	const struct observation *i = find(s, OBS_CAP_ICMP_ERR, 0);
	assert_int_equal(i->value, 1400);
	assert_int_equal(i->icmp_type, 3);
	assert_int_equal(i->icmp_code, 4);
	assert_int_equal(i->dport, 80);
	const struct observation *r = find(s, OBS_CAP_RETRANS, 0);
	assert_int_equal(r->count, 2);
	assert_int_equal(r->value, 1448);
	assert_string_equal(i->iface, "lan"); /* by addresses */
	s = imported(FIX "enc0.pcap");
	assert_string_equal(find(s, OBS_CAP_FLOW, 0)->iface, "enc0");
}

static void
test_flow_eviction(void **state)
{
	(void)state;
	struct cap_result r;
	struct cap_opts o = {.max_flows = 2};
	assert_true(cap_analyze(
	    &ar, FIX "packetcapture-igb0-20240501101000.pcap", &o, &r));
	assert_true(r.flows_evicted > 0);
	assert_int_equal(r.flows_total, 4);
	o.max_flows = 0;
	assert_true(cap_analyze(
	    &ar, FIX "packetcapture-igb0-20240501101000.pcap", &o, &r));
	assert_int_equal(r.flows_evicted, 0);
	assert_int_equal(r.flows_total, 4);
	assert_int_equal(r.flows_oneway, 2);
}

static void
test_name_iface(void **state)
{
	(void)state;
	assert_string_equal(cap_name_iface(&ar, "x/packetcapture-igb1.10-"
						"20240501100000.pcap"),
			    "igb1.10");
	assert_null(cap_name_iface(&ar, "packetcapture.cap"));
	assert_null(cap_name_iface(&ar, "lan.pcap"));
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dissect_table),
	    cmocka_unit_test(test_import_lan_arp),
	    cmocka_unit_test(test_import_lan_noreply),
	    cmocka_unit_test(test_import_wan),
	    cmocka_unit_test(test_import_mss_enc),
	    cmocka_unit_test(test_flow_eviction),
	    cmocka_unit_test(test_name_iface),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
