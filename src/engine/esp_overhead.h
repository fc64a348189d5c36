/* IPsec encapsulation overhead, exact to the byte: one piece of code for
 * `trace` (ENCRYPTED / MTU_EXCEEDED steps), `mss` and the mss-clamping
 * check. ESP per RFC 4303 §2 (header, IV, padding, trailer, ICV), NAT-T
 * UDP encapsulation per RFC 3948 §2.1, AES-GCM per RFC 4106 §3, AES-CCM
 * per RFC 4309 §3, ChaCha20-Poly1305 per RFC 7634 §2, AH per RFC 4302 §2. */
#ifndef ENGINE_ESP_OVERHEAD_H
#define ENGINE_ESP_OVERHEAD_H

#include <stdbool.h>

#include "model/site.h"
#include "util/str.h"

/* What the encapsulation of one packet depends on. */
struct esp_params {
	struct transform enc; /* ignored when ah */
	enum integ integ;     /* ignored for AEAD ciphers */
	bool natt;	      /* UDP 4500 encapsulation (RFC 3948) */
	bool outer_v6;	      /* tunnel mode: outer family */
	bool tunnel;	      /* else transport: the inner header is reused */
	bool inner_v6;	      /* family of the protected packet */
	bool ah;	      /* AH instead of ESP (no NAT-T possible) */
};

/* The fixed parts of the overhead, and the padding rule. */
struct esp_cost {
	unsigned outer_ip; /* new outer header (tunnel mode), else 0 */
	unsigned udp;	   /* 8 with NAT-T */
	unsigned esp_hdr;  /* SPI + sequence number (AH: its 12-byte header) */
	unsigned iv;
	unsigned block;	  /* (payload + trailer) is padded to this */
	unsigned pad_max; /* block - 1: padding at worst */
	unsigned trailer; /* pad length + next header (ESP only) */
	unsigned icv;	  /* incl. AH alignment padding */
};

/* Sizes for p; false when the cipher's sizes are unknown (CIPHER_UNKNOWN).
 * An AEAD cipher without a known ICV length is costed at its largest, 16. */
bool esp_cost_of(const struct esp_params *p, struct esp_cost *c);
/* Fixed overhead + worst padding: the figure people quote. */
unsigned esp_cost_total_max(const struct esp_cost *c);

/* Bytes on the wire (outer IP packet) for an inner IP packet of inner_len
 * bytes; 0 when p cannot be costed or inner_len is smaller than the inner
 * IP header in transport mode. */
unsigned esp_outer_size(const struct esp_params *p, unsigned inner_len);
/* Largest inner IP packet whose outer packet fits mtu; 0 if none. */
unsigned esp_max_inner(const struct esp_params *p, unsigned mtu);
/* TCP MSS to clamp to: max inner - inner IP header (20/40) - TCP 20;
 * 0 if nothing fits. */
unsigned esp_mss(const struct esp_params *p, unsigned mtu);
/* "aes-cbc-256 + hmac-sha1", "aes-gcm-16 (256)" into buf. */
const char *esp_transform_format(const struct esp_params *p, char *buf,
				 unsigned size);

/* A whole proposal ("aes256gcm16-modp2048", "aes128-sha256-esn"). When it
 * lists several ciphers or integrity algorithms, the largest is kept (the
 * worst case for MTU questions). *i is INTEG_NONE when none is listed.
 * False on an unknown token or when no cipher is named. */
bool transform_parse_proposal(const char *s, struct transform *t,
			      enum integ *i);
/* Parses a cipher as ipsecdiag spells it (aes-cbc-256, aes-gcm-16,
 * chacha20-poly1305, 3des, null) or as strongSwan does. */
bool transform_parse_cipher(const char *s, struct transform *t);
/* sha1 sha256 sha384 sha512 aes-xcbc md5 none, or hmac-/hmac_ forms. */
bool transform_parse_integ(const char *s, enum integ *i);
bool transform_is_aead(const struct transform *t);

/* The phase 2 question "what fits?", for one site's config. */
struct esp_p2_eval {
	const struct phase2 *p2;
	unsigned mtu;		    /* WAN MTU of the phase 1 interface */
	const char *mtu_note;	    /* NULL, "default", "interface unknown",
				       "given" */
	bool natt_forced;	    /* NAT-T in use (esp_encap_of()): only case
				     * [1] holds */
	struct esp_params worst[2]; /* [0] without NAT-T, [1] with */
	unsigned max_inner[2], mss[2];
	unsigned ncosted;  /* enc x integ combinations costed */
	unsigned nunknown; /* transforms whose size is unknown */
};
/* Worst case over every configured enc x integ combination of p2 (the
 * peer may pick any of them), outer family from phase 1, over the phase 1
 * interface's MTU. False when no transform could be costed. */
bool esp_eval_phase2(const struct site *s, const struct phase2 *p2,
		     struct esp_p2_eval *out);
/* The same over a given MTU (mtu 0: the interface's). */
bool esp_eval_phase2_mtu(const struct site *s, const struct phase2 *p2,
			 unsigned mtu, struct esp_p2_eval *out);

/* The MSS pfSense clamps VPN traffic to (doc/behaviour/mss.md §1):
 * system/maxmss when maxmss_enable, 1400 when that is empty; 0 = off. */
unsigned esp_site_maxmss(const struct site *s);
/* Why pfSense's VPN max-mss does not reach this phase 2's traffic
 * (doc/behaviour/mss.md §2: only <vpn_networks>), or NULL when it does. */
const char *esp_maxmss_gap(const struct phase2 *p2);

/* How ESP of one tunnel travels: bare, or in UDP 4500 (NAT-T), and
 * what decided it (doc/behaviour/mss.md §5). */
struct esp_encap {
	bool natt;
	const char *why; /* "phase 1 natt=force", "no NAT-T (assumed)" */
};
/* The encapsulation of p1's tunnels at s. INTEGRATION POINT: today the
 * placeholder "natt=force means NAT-T, else none"; replace its body
 * with engine/natt.c's natt_decide() (a NAT detected from the configs
 * or evidence), keeping this signature: every MSS limit goes through
 * it. */
struct esp_encap esp_encap_of(const struct site *s, const struct phase1 *p1);

/* The largest TCP MSS that fits one phase 2's tunnel at a site. */
struct esp_limit {
	unsigned mss;
	struct esp_encap enc;
	struct esp_p2_eval ev; /* the ESP computation over the WAN MTU */
	/* Linux route-based tunnels: the device whose MTU bounds the inner
	 * packet (kernel-libipsec ipsec0, xfrm, vti), its MTU, and whether
	 * that MTU is its known default rather than read */
	const char *dev;
	unsigned dev_mtu;
	bool dev_mtu_assumed;
};
/* False when no transform of p2 could be costed. */
bool esp_p2_limit(const struct site *s, const struct phase2 *p2,
		  struct esp_limit *out);

#endif
