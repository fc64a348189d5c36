/* What one capture file holds, summed up: counters and bounded tables of
 * flows, ESP SPIs, IKE messages, ARP requests, ICMP errors, TCP facts and
 * NFLOG records. Filled by the pcap importer (import/pcap/capture.c) and
 * printed by report/rep_pcap.c; the names of what it records (link types,
 * IKE exchanges and notifies) are here for both. */
#ifndef MODEL_CAPTURE_H
#define MODEL_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/addr.h"
#include "util/arena.h"

/* LINKTYPE_* values (tcpdump.org/linktypes.html); DLT values that differ
 * on some systems (raw IP 12/14, LOOP 108) are accepted too. */
enum {
	LT_NULL = 0,
	LT_ETHERNET = 1,
	LT_RAW_DLT12 = 12,
	LT_RAW_DLT14 = 14,
	LT_RAW = 101,
	LT_LOOP = 108,
	LT_ENC = 109,
	LT_LINUX_SLL = 113,
	LT_PFLOG = 117,
	LT_IPV4 = 228,
	LT_NFLOG = 239,
	LT_IPV6 = 229,
	LT_LINUX_SLL2 = 276,
};

enum { PKT_MAX_NOTIFY = 8 };

/* The 5-tuple of the header an ICMP error quotes (RFC 792, RFC 4443 §3). */
struct pkt_inner {
	bool valid;
	uint8_t proto;
	struct ipaddr src, dst;
	uint16_t sport, dport;
};

/* One flow, a = the side that sent the first packet (the initiator). */
struct cap_flow {
	struct ipaddr a, b;
	uint16_t aport, bport;
	uint8_t proto, ipver;
	bool used;
	uint64_t pkts[2], bytes[2]; /* [0] a->b, [1] b->a */
	double first_ts, last_ts;
	uint64_t first_frame, rev_frame; /* first packet, first reply */
	bool has_mac[2];
	uint8_t mac_src[2][6], mac_dst[2][6]; /* per direction, first seen */
	/* TCP */
	bool syn[2], rst[2];
	uint16_t mss[2]; /* SYN MSS option, 0 = none */
	uint64_t mss_frame[2], rst_frame[2];
	bool seq_valid[2];
	uint32_t next_seq[2], max_seg[2];
	uint32_t retrans[2], retrans_full[2], retrans_len[2];
	uint64_t retrans_frame[2];
};

struct cap_esp {
	struct ipaddr src, dst;
	uint32_t spi;
	bool udp, used;
	uint64_t pkts, bytes, frags;
	uint32_t seq_first, seq_last;
	double first_ts, last_ts;
	uint64_t first_frame;
};

struct cap_ike {
	struct ipaddr src, dst;
	uint16_t sport, dport;
	uint8_t ver, exch, flags;
	bool natt, encrypted;
	uint32_t msgid;
	uint64_t ispi, rspi;
	uint16_t notify[PKT_MAX_NOTIFY];
	uint8_t nnotify;
	uint64_t count, first_frame;
	double first_ts, last_ts;
};

struct cap_arp {
	struct ipaddr spa, tpa;
	uint8_t sha[6];
	uint64_t requests, replies;
	uint64_t first_frame;
	double first_ts, last_ts;
};

struct cap_icmp {
	struct ipaddr src, dst;
	uint8_t ipver, type, code;
	uint16_t mtu;
	struct pkt_inner inner;
	uint64_t count, first_frame;
	double first_ts, last_ts;
	uint8_t mac_dst[6];
};

struct cap_mss {
	uint16_t mss;
	uint64_t count, first_frame;
};

/* NFLOG (239): the firewall's log, not an interface. Logged packets
 * grouped like filterlog lines (doc/behaviour/pfsense.md §3): prefix, in/out
 * device, addresses, protocol, destination port. */
struct cap_nflog {
	const char *prefix;	/* the log prefix, "" when none */
	uint32_t indev, outdev; /* ifindex, 0 = none */
	bool has_hook;
	uint8_t hook; /* NF_INET_PRE_ROUTING 0 .. POST_ROUTING 4 */
	uint8_t proto, ipver;
	struct ipaddr src, dst;
	uint16_t sport, dport; /* sport of the first packet */
	bool esp, esp_udp;     /* an ESP packet (in UDP 4500) of SPI spi */
	uint32_t spi;
	uint64_t count, bytes, first_frame;
	double first_ts, last_ts;
};

/* Ceilings: memory stays bounded on any capture size. */
enum {
	CAP_MAX_FLOWS = 65536,	   /* live flows before eviction */
	CAP_MAX_KEPT_FLOWS = 4096, /* finished flows kept for reports */
	CAP_MAX_ESP = 1024,
	CAP_MAX_IKE = 1024,
	CAP_MAX_ARP = 256,
	CAP_MAX_ICMP = 256,
	CAP_MAX_MSS = 64,
	CAP_MAX_NFLOG = 1024,
	CAP_MAX_NFLOG_PREFIX = 128, /* the kernel allows 128 */
	CAP_MAX_WARNINGS = 10,
};

struct cap_result {
	const char *path;
	int linktype;
	uint64_t packets, bytes, truncated, malformed, other;
	uint64_t ipv4, ipv6, arp, frag4, frag6, esp_frag;
	uint64_t esp_pkts, natt_pkts, keepalives, ike_pkts, pflog_pkts;
	double first_ts, last_ts;
	uint32_t max_len;
	bool read_error; /* stopped at a bad record: what came before is kept */
	/* flows: kept (finished, first ones up to the ceiling) + totals */
	struct cap_flow *flows;
	size_t nflows, cflows;
	uint64_t flows_total, flows_oneway, flows_evicted, flows_dropped;
	struct cap_esp *esp;
	size_t nesp, cesp;
	uint64_t esp_dropped;
	struct cap_ike *ike;
	size_t nike, cike;
	uint64_t ike_dropped;
	struct cap_arp *arps;
	size_t narps, carps;
	struct cap_icmp *icmp;
	size_t nicmp, cicmp;
	struct cap_mss mss[CAP_MAX_MSS];
	size_t nmss;
	uint64_t syn_with_mss, rst_pkts, retrans_pkts;
	uint32_t enc_spis[16]; /* ENC header SPIs seen (first 16) */
	size_t nenc_spis;
	struct cap_nflog *nflog; /* NFLOG records grouped, first ones */
	size_t nnflog, cnflog;
	uint64_t nflog_pkts, nflog_dropped; /* dropped: beyond the ceiling */
	uint16_t nflog_groups[8];	    /* groups seen (first 8) */
	size_t nnflog_groups;
};

/* What the link type and name say about where it was captured, without
 * a config: "IPsec enc0", "WAN side (IKE/ESP seen)", ... */
const char *cap_role_guess(const struct cap_result *r);
/* pfSense's packetcapture-<if>-<timestamp>.pcap (doc/behaviour/pfsense.md §4):
 * the interface device, or NULL. Also packetcapture.cap (2.6): NULL. */
const char *cap_name_iface(struct arena *ar, const char *path);
const char *mac_format(const uint8_t mac[6], char buf[18]);
/* NF_INET_* hook name (forward, input, ...) or "hook N". */
const char *nflog_hook_name(uint8_t hook);
/* Whether a log prefix says the packet was dropped ("drop", "reject",
 * "block" in any case): the log itself cannot tell. */
bool nflog_prefix_drops(const char *prefix);

const char *linktype_name(int linktype);
const char *ike_exch_name(uint8_t ver, uint8_t exch);
const char *ike_notify_name(uint8_t ver, uint16_t type);
/* Notify types that report an error (IKEv2 < 16384, IKEv1 < 8192). */
bool ike_notify_is_error(uint8_t ver, uint16_t type);

#endif
