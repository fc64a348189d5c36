/* NFLOG (link type 239): the dissector on hand-built records, and the
 * importer turning a log capture into firewall-log observations of a
 * Linux site whose ip -j addr names the ifindexes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/pcap/dissect/dissect.h"
#include "import/load.h"
#include "import/pcap/capture.h"

static struct arena ar;

static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;
	while (*s && n < cap) {
		if (*s == ' ') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* Record pieces, TLV length and type little-endian (an x86 capture). */
#define HDR "02 00 0001 "	       /* AF_INET, version 0, group 1 */
#define PKTHDR "0800 0100 0800 02 00 " /* hook forward */
#define PREFIX "1300 0a00 666f7277617264206472 6f703a20 00 00 " /* +pad */
#define INDEV "0800 0400 00000004 "
#define OUTDEV "0800 0500 00000002 "
#define UDP4                                                                   \
	"4500001c 0001 0000 4011 0000 0a00010a 0a00020a "                      \
	"d4311393 0008 0000"
#define PAYLOAD_UDP4 "2000 0900 " UDP4

struct ncase {
	const char *name;
	const char *bytes;
	uint32_t extra; /* wire length beyond the captured bytes */
	bool nflog;	/* the NFLOG header was read */
	const char *prefix;
	uint32_t indev, outdev;
	uint8_t proto;
	uint16_t dport;
	bool truncated, malformed;
};

static const struct ncase ncases[] = {
    {"a forward drop: prefix, devices, UDP payload",
     HDR PKTHDR PREFIX INDEV OUTDEV PAYLOAD_UDP4, 0, true, "forward drop: ", 4,
     2, 17, 5011},
    {"type with NLA_F_NET_BYTEORDER set, no prefix",
     HDR "0800 0440 00000003 " PAYLOAD_UDP4, 0, true, "", 3, 0, 17, 5011},
    {"IPv6 family, payload without its padding at the end",
     "0a 00 0002 "
     "2d00 0900 60000000 0000 3b 40 "
     "20010db8000000000000000000000001 20010db8000000000000000000000002 "
     "00",
     0, true, "", 0, 0, 59},
    {"payload TLV longer than the record, not cut: malformed",
     HDR PREFIX "4000 0900 " UDP4, 0, true, "forward drop: ", 0, 0, 0, 0, false,
     true},
    {"same record cut by snaplen: truncated, prefix kept",
     HDR PREFIX "4000 0900 " UDP4, 40, true, "forward drop: ", 0, 0, 0, 0, true,
     false},
    {"attribute length below its header: malformed",
     HDR "0200 0400 " PAYLOAD_UDP4, 0, true, NULL, 0, 0, 0, 0, false, true},
    {"attribute header cut in half, not cut: malformed", HDR INDEV "0800", 0,
     true, NULL, 4, 0, 0, 0, false, true},
    {"ifindex of 2 bytes: malformed", HDR "0600 0400 0004 0000 " PAYLOAD_UDP4,
     0, true, NULL, 0, 0, 0, 0, false, true},
    {"version 1: malformed, nothing read", "02 01 0001 " PAYLOAD_UDP4, 0, false,
     NULL, 0, 0, 0, 0, false, true},
    {"header cut short: truncated", "02 00", 10, false, NULL, 0, 0, 0, 0, true,
     false},
    {"IP length beyond the copy range (log snaplen): truncated",
     HDR "2000 0900 45000100 0001 0000 4011 0000 0a00010a 0a00020a "
	 "d4311393 0008 0000",
     0, true, "", 0, 0, 17, 5011, true, false},
};

static void
test_dissect_nflog(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ncases) / sizeof(*ncases); i++) {
		const struct ncase *c = &ncases[i];
		uint8_t b[512];
		size_t n = hex(c->bytes, b, sizeof(b));
		struct pkt p;
		print_message("case: %s\n", c->name);
		dissect_packet(LT_NFLOG, b, (uint32_t)n, (uint32_t)n + c->extra,
			       &p);
		assert_int_equal(p.has_nflog, c->nflog);
		assert_int_equal(p.truncated, c->truncated);
		assert_int_equal(p.malformed != NULL, c->malformed);
		if (c->prefix) {
			assert_int_equal(p.nflog_prefix_len, strlen(c->prefix));
			assert_memory_equal(p.nflog_prefix
						? p.nflog_prefix
						: (const uint8_t *)"",
					    c->prefix, strlen(c->prefix));
		}
		assert_int_equal(p.nflog_indev, c->indev);
		assert_int_equal(p.nflog_outdev, c->outdev);
		assert_int_equal(p.proto, c->proto);
		assert_int_equal(p.dport, c->dport);
	}
	/* the header and the packet header attribute of the first case */
	uint8_t b[512];
	size_t n = hex(ncases[0].bytes, b, sizeof(b));
	struct pkt p;
	dissect_packet(LT_NFLOG, b, (uint32_t)n, (uint32_t)n, &p);
	assert_int_equal(p.nflog_group, 1);
	assert_int_equal(p.nflog_family, 2);
	assert_true(p.nflog_has_hook);
	assert_int_equal(p.nflog_hook, 2);
	assert_string_equal(nflog_hook_name(p.nflog_hook), "forward");
	assert_true(linktype_supported(LT_NFLOG));
}

static void
test_prefix_drops(void **state)
{
	(void)state;
	assert_true(nflog_prefix_drops("forward drop: "));
	assert_true(nflog_prefix_drops("IN-REJECT "));
	assert_true(nflog_prefix_drops("blocked"));
	assert_false(nflog_prefix_drops("ssh new: "));
	assert_false(nflog_prefix_drops(""));
}

/* Writes records as an NFLOG capture; returns its path (arena). */
static const char *
write_capture(const char *const *recs, size_t n)
{
	char tmpl[] = "/tmp/ipsecdiag-nflog-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	close(fd);
	pcap_t *pd = pcap_open_dead(DLT_NFLOG, 65535);
	pcap_dumper_t *d = pcap_dump_open(pd, tmpl);
	assert_non_null(d);
	for (size_t i = 0; i < n; i++) {
		uint8_t b[512];
		size_t len = hex(recs[i], b, sizeof(b));
		struct pcap_pkthdr h = {.ts = {1714557600 + (long)i, 0},
					.caplen = (bpf_u_int32)len,
					.len = (bpf_u_int32)len};
		pcap_dump((u_char *)d, &h, b);
	}
	pcap_dump_close(d);
	pcap_close(pd);
	return arena_strdup(&ar, tmpl);
}

static struct iface *
add_iface(struct site *s, const char *dev, enum if_role role, unsigned idx)
{
	struct iface *f = ARENA_PUSH(&ar, s->ifaces, s->nifaces, s->cifaces);
	f->key = f->dev = f->descr = dev;
	f->role = role;
	f->ifindex = idx;
	f->enabled = true;
	return f;
}

static const struct observation *
nth_block(const struct site *s, size_t nth)
{
	for (size_t i = 0; i < s->ev.nobs; i++)
		if (s->ev.obs[i].kind == OBS_FW_BLOCK && nth-- == 0)
			return &s->ev.obs[i];
	return NULL;
}

static void
test_import_nflog(void **state)
{
	(void)state;
	static const char *const recs[] = {
	    HDR PKTHDR PREFIX INDEV OUTDEV PAYLOAD_UDP4,
	    HDR PKTHDR PREFIX INDEV OUTDEV PAYLOAD_UDP4,
	    /* input hook, lan0 in, a prefix that does not say drop */
	    HDR "0800 0100 0800 01 00 "
		"0c00 0a00 7373682d6e657700 "
		"0800 0400 00000002 " PAYLOAD_UDP4,
	    /* locally sent, out on an ifindex the site does not know */
	    HDR PREFIX "0800 0500 00000009 " PAYLOAD_UDP4,
	};
	const char *path = write_capture(recs, 4);
	static struct site s;
	memset(&s, 0, sizeof(s));
	s.name = "gwB";
	s.kind = SITE_LINUX;
	s.has_config = true;
	add_iface(&s, "lan0", ROLE_LAN, 2);
	add_iface(&s, "ipsec0", ROLE_ENC, 4);
	struct input_file *in = ARENA_PUSH(&ar, s.inputs, s.ninputs, s.cinputs);
	in->path = path;
	in->kind = INPUT_PCAP;
	assert_true(pcap_import(&ar, in, &s));
	unlink(path);
	assert_string_equal(in->summary, "NFLOG (firewall log, group 1) "
					 "4 packets, 3 flows");
	assert_true(s.ev.has_log);
	assert_false(s.ev.has_capture); /* a log, not an interface */
	assert_int_equal(s.ev.log_lines, 4);
	assert_true(s.ev.log_first == 1714557600.0);
	assert_true(s.ev.log_last == 1714557603.0);
	const struct observation *o = nth_block(&s, 0);
	assert_non_null(o);
	assert_string_equal(o->iface, "ipsec0"); /* ifindex 4, the in-dev */
	assert_int_equal(o->dir, PDIR_IN);
	assert_string_equal(o->tracker, "forward drop: ");
	assert_string_equal(o->action, "block");
	assert_int_equal(o->count, 2);
	assert_int_equal(o->dport, 5011);
	assert_int_equal(o->where.frame, 1);
	assert_string_equal(o->text, "ipsec0 -> lan0");
	o = nth_block(&s, 1);
	assert_string_equal(o->iface, "lan0");
	assert_string_equal(o->tracker, "ssh-new");
	assert_string_equal(o->action, "log");
	assert_int_equal(o->where.frame, 3);
	o = nth_block(&s, 2);
	assert_int_equal(o->dir, PDIR_OUT);
	assert_string_equal(o->iface, "ifindex 9"); /* no guess for 10.0.2.10 */
	assert_null(nth_block(&s, 3));
}

/* ESP in UDP 4500 (RFC 3948 §2.1-2.2): 198.51.100.1 -> .2, SPI
 * 0xc1a2b3c4 seq 7, 16 bytes of ciphertext; and IKE behind the zero
 * non-ESP marker. The same IP packet under each link layer that can
 * carry it must give the same SPI. */
#define ESPUDP                                                                 \
	"45000034 0001 0000 4011 0000 c6336401 c6336402 "                      \
	"11941194 0020 0000 c1a2b3c4 00000007 "                                \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define IKEUDP                                                                 \
	"4500003c 0001 0000 4011 0000 c6336401 c6336402 "                      \
	"11941194 0028 0000 00000000 1111111111111111 "                        \
	"0000000000000000 21202208 00000000 0000001c"

static void
test_natt_spi_everywhere(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		unsigned lt;
		const char *bytes;
	} cases[] = {
	    {"NFLOG", LT_NFLOG, HDR INDEV "3800 0900 " ESPUDP},
	    {"raw IP", LT_RAW, ESPUDP},
	    {"IPv4 link type", LT_IPV4, ESPUDP},
	    {"Ethernet", LT_ETHERNET, "020000000002 020000000001 0800 " ESPUDP},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uint8_t b[512];
		size_t n = hex(cases[i].bytes, b, sizeof(b));
		struct pkt p;
		print_message("case: %s\n", cases[i].name);
		dissect_packet(cases[i].lt, b, (uint32_t)n, (uint32_t)n, &p);
		assert_null(p.malformed);
		assert_true(p.is_esp);
		assert_true(p.esp_udp);
		assert_false(p.ike_marker);
		assert_int_equal(p.esp_spi, 0xc1a2b3c4);
		assert_int_equal(p.esp_seq, 7);
	}
	/* a zero marker is IKE, not an ESP packet with SPI 0 */
	uint8_t b[512];
	size_t n = hex(HDR INDEV "4000 0900 " IKEUDP, b, sizeof(b));
	struct pkt p;
	dissect_packet(LT_NFLOG, b, (uint32_t)n, (uint32_t)n, &p);
	assert_false(p.is_esp);
	assert_true(p.ike_marker);
	assert_true(p.is_ike);
}

/* The log's records keep the SPI, and so do the observations. */
static void
test_import_nflog_esp(void **state)
{
	(void)state;
	static const char *const recs[] = {
	    HDR PKTHDR PREFIX INDEV "3800 0900 " ESPUDP,
	    HDR PKTHDR PREFIX INDEV "3800 0900 " ESPUDP,
	};
	const char *path = write_capture(recs, 2);
	struct cap_opts co = {.quiet = true};
	struct cap_result r;
	assert_true(cap_analyze(&ar, path, &co, &r));
	assert_int_equal(r.nnflog, 1);
	assert_true(r.nflog[0].esp);
	assert_true(r.nflog[0].esp_udp);
	assert_int_equal(r.nflog[0].spi, 0xc1a2b3c4);
	assert_int_equal(r.nflog[0].count, 2);
	static struct site s;
	memset(&s, 0, sizeof(s));
	s.name = "gwB";
	s.kind = SITE_LINUX;
	s.has_config = true;
	add_iface(&s, "wan0", ROLE_WAN, 4);
	struct input_file *in = ARENA_PUSH(&ar, s.inputs, s.ninputs, s.cinputs);
	in->path = path;
	in->kind = INPUT_PCAP;
	assert_true(pcap_import(&ar, in, &s));
	unlink(path);
	const struct observation *o = nth_block(&s, 0);
	assert_non_null(o);
	assert_int_equal(o->value, 0xc1a2b3c4);
	assert_string_equal(o->text, "ESP SPI 0xc1a2b3c4 in UDP 4500");
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dissect_nflog),
	    cmocka_unit_test(test_prefix_drops),
	    cmocka_unit_test(test_import_nflog),
	    cmocka_unit_test(test_natt_spi_everywhere),
	    cmocka_unit_test(test_import_nflog_esp),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
