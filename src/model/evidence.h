/* Evidence: observations from logs, captures and SA status, each with the
 * place it came from. Importers add them to a site; checks read them. */
#ifndef MODEL_EVIDENCE_H
#define MODEL_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/addr.h"
#include "model/box.h"
#include "util/diag.h"

enum obs_kind {
	OBS_FW_BLOCK,	   /* firewall log: blocked packets of one flow */
	OBS_FW_PASS,	   /* firewall log: passed packets */
	OBS_FW_NEEDFRAG,   /* firewall log: ICMP needfrag, value = MTU */
	OBS_CAP_FLOW,	   /* capture: a flow, count = a->b, count_rev = b->a */
	OBS_CAP_ESP,	   /* capture: ESP / NAT-T packets of one SPI */
	OBS_CAP_IKE,	   /* capture: IKE exchange; text = notify if any */
	OBS_CAP_ARP,	   /* capture: ARP who-has src -> dst (target) */
	OBS_CAP_ICMP_ERR,  /* capture: ICMP error; value = MTU for needfrag */
	OBS_CAP_TCP_MSS,   /* capture: SYN with MSS option, value = MSS */
	OBS_CAP_TCP_RST,   /* capture: RST sent by src */
	OBS_CAP_RETRANS,   /* capture: full-size segment retransmitted */
	OBS_CAP_CLEARTEXT, /* capture: tunnel-bound traffic in clear on WAN */
	OBS_SA,		   /* SA status: installed child SA; sport/dport
			    * set (4500) when ESP is in UDP (NAT-T) */
	OBS_IKE_LOG,	   /* IPsec daemon log event; text = what happened */
};

/* OBS_FW_BLOCK / OBS_FW_PASS value: the lines are IPv4 fragments (flag
 * '+', or an offset: no ports), doc/behaviour/field-families.md §6. */
#define OBS_FW_FRAGMENT 1u

enum pkt_dir { PDIR_NONE, PDIR_IN, PDIR_OUT };

struct observation {
	enum obs_kind kind;
	const char *iface; /* as named by the source: igb0, enc0, ipsec0 */
	enum pkt_dir dir;
	struct ipaddr src, dst;
	uint8_t proto, icmp_type, icmp_code;
	uint16_t sport, dport;
	uint64_t count, count_rev;
	uint64_t bytes, bytes_rev;
	double first_ts, last_ts; /* Unix seconds, 0 = unknown */
	struct srcloc where;	  /* first or example line / frame */
	const char *tracker;	  /* firewall log: the rule's tracker */
	const char *action;	  /* firewall log: block, pass */
	uint32_t value;		  /* MSS, MTU, SPI */
	const char *text;	  /* notify, child name, event detail */
	struct prefix ts_local, ts_remote; /* SA: negotiated selectors */
	const char *mac_dst;		   /* capture: L2 destination */
	/* SA status and IPsec daemon log: the connection (IKE SA) and
	 * child names as the daemon knows them (swanctl names on Linux,
	 * con<ikeid> / con<ikeid>_<reqid> on pfSense), to join with
	 * phase 1 (ikeid) and phase 2 (descr). value is the inbound SPI,
	 * spi_out the outbound one. */
	const char *conn, *child;
	uint32_t spi_out;
	/* IPsec log, a refused proposal: the proposals the peer sent and
	 * the ones configured, as charon printed them just before; for
	 * "no matching peer config", received is the lookup line before
	 * it ("looking for peer configs matching A[idA]...B[idB]"). */
	const char *received, *configured;
	/* SA status: the SA's encryption and integrity in charon's printed
	 * names ("ESP:AES_CBC_256/HMAC_SHA2_256_128"), NULL when the dump
	 * does not show them (ike-parameters.md §13). */
	const char *algs;
};

struct evidence {
	struct observation *obs;
	size_t nobs, cobs;
	bool has_log, has_capture, has_status;
	double log_first, log_last; /* span of the firewall logs */
	uint64_t log_lines;
	struct boxstate box; /* the box's own state (status archive) */
};

#endif
