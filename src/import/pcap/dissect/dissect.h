/* Packet dissectors: link layer to IKE, on the bounds-checked cursor
 * (doc/ARCHITECTURE.md, after tcpdump's netdissect). One call fills one struct
 * pkt with what the packet says; truncated (snaplen) packets are normal and
 * keep what was read, malformed ones carry a reason. No allocation. */
#ifndef IMPORT_DISSECT_H
#define IMPORT_DISSECT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/addr.h"
#include "model/capture.h"
#include "util/cursor.h"

struct pkt {
	int linktype;
	/* layer 2 */
	bool has_mac;
	uint8_t mac_src[6], mac_dst[6];
	bool has_vlan;
	uint16_t vlan;
	/* ENC (109) header, doc/behaviour/pfsense.md §4 */
	bool has_enc;
	uint32_t enc_af, enc_spi, enc_flags;
	/* PFLOG (117): action and direction, as pf wrote them */
	bool has_pflog;
	uint8_t pflog_action, pflog_dir;
	/* NFLOG (239): the Linux firewall's log record (d_nflog.c) */
	bool has_nflog, nflog_has_hook;
	uint8_t nflog_family, nflog_hook; /* NF_INET_* hook, 2 = forward */
	uint16_t nflog_group;
	uint32_t nflog_indev, nflog_outdev; /* ifindex, 0 = none */
	const uint8_t *nflog_prefix; /* into the packet data, not NUL-ended */
	uint16_t nflog_prefix_len;
	/* ARP (RFC 826) */
	bool is_arp;
	uint16_t arp_op;
	uint8_t arp_sha[6];
	struct ipaddr arp_spa, arp_tpa;
	/* IP */
	uint8_t ipver; /* 0 = no IP */
	struct ipaddr src, dst;
	uint8_t ip_proto; /* IPv4 protocol / IPv6 first next header */
	uint8_t proto;	  /* upper layer after extension headers and AH */
	uint8_t ttl;
	uint32_t ip_len; /* total length as the header says */
	bool is_frag;	 /* a fragment (first or later) */
	bool frag_more;
	uint32_t frag_off; /* bytes */
	uint32_t frag_id;
	bool df;
	/* transport, present when has_l4 (first fragment, header read) */
	uint32_t l4_len; /* upper-layer bytes by the IP length fields */
	bool has_l4;
	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint32_t tcp_seq, tcp_ack;
	bool has_mss;
	uint16_t mss;
	uint32_t payload_len; /* TCP/UDP payload by the headers' lengths */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_mtu; /* need-frag next-hop MTU / Packet Too Big */
	struct pkt_inner inner;
	/* ESP (RFC 4303 §2), plain or in UDP (RFC 3948 §2.2) */
	bool is_esp, esp_udp, natt_keepalive;
	uint32_t esp_spi, esp_seq;
	/* IKE (RFC 7296 §3.1, RFC 2408 §3.1) */
	bool is_ike, ike_marker; /* marker: on 4500 after non-ESP marker */
	uint8_t ike_ver;	 /* 1 or 2 */
	uint8_t ike_exch, ike_flags;
	uint32_t ike_msgid;
	uint64_t ike_ispi, ike_rspi;
	bool ike_encrypted; /* SK / encrypted payloads not readable */
	uint16_t notify[PKT_MAX_NOTIFY];
	uint8_t nnotify;
	/* what went wrong */
	bool cut; /* caplen < wirelen: short reads are truncation */
	bool truncated;
	const char *malformed; /* static reason, NULL when fine */
};

enum {
	TCP_FIN = 0x01,
	TCP_SYN = 0x02,
	TCP_RST = 0x04,
	TCP_PSH = 0x08,
	TCP_ACK = 0x10,
};

/* Dissects one captured packet of the given link type. caplen bytes are
 * at data; wirelen is the original length. Never fails: problems are in
 * p->truncated and p->malformed. */
void dissect_packet(int linktype, const uint8_t *data, uint32_t caplen,
		    uint32_t wirelen, struct pkt *p);
bool linktype_supported(int linktype);

/* Layer entry points (each a fuzz target). */
void dissect_ip(struct cursor *c, struct pkt *p); /* d_ip.c, v4 or v6 */
void dissect_ipv4(struct cursor *c, struct pkt *p);
void dissect_ipv6(struct cursor *c, struct pkt *p);
void dissect_l4(struct cursor *c, struct pkt *p); /* d_l4.c by p->proto */
void dissect_quoted(struct cursor *c, struct pkt_inner *in); /* d_ip.c */
void dissect_arp(struct cursor *c, struct pkt *p);	     /* d_arp.c */
void dissect_esp(struct cursor *c, struct pkt *p);	     /* d_esp.c */
void dissect_udp_4500(struct cursor *c, struct pkt *p);
void dissect_ike(struct cursor *c, struct pkt *p);   /* d_ike.c */
void dissect_nflog(struct cursor *c, struct pkt *p); /* d_nflog.c */

/* Marks p truncated (snaplen) or malformed (wire length says the data
 * should be there): the caller decides by whether the packet was cut. */
void pkt_short(struct pkt *p, const char *what);

#endif
