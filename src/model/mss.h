/* What `mss` shows: the encapsulation overhead of one transform over one
 * MTU, or per site the worst case of each enabled phase 2 against the
 * site's Maximum MSS. Plain figures and texts, computed by the engine's
 * esp_overhead (through the command) and printed by report/rep_mss.c. */
#ifndef MODEL_MSS_H
#define MODEL_MSS_H

#include <stdbool.h>
#include <stddef.h>

/* The guide's starting point for MSS clamping ("Connection hangs"). */
enum { MSS_GUIDE = 1400 };

/* One ESP/AH transform. */
struct mss_transform {
	char text[96];	       /* "aes-cbc-256 + hmac-sha1" */
	bool ah;	       /* AH instead of ESP */
	const char *cipher;    /* cipher name; NULL with AH */
	unsigned keylen;       /* 0: none to show */
	const char *integ;     /* integrity name */
	const char *icv_label; /* "AEAD tag" or the integrity name */
};

/* `mss` with options: one transform over one MTU. */
struct mss_calc {
	struct mss_transform tr;
	bool defaults; /* no --cipher nor --integ given */
	bool tunnel, outer_v6, inner_v6, natt;
	unsigned mtu;
	/* the overhead, as esp_overhead's struct esp_cost */
	unsigned outer_ip, udp, esp_hdr, iv, block, pad_max, trailer, icv;
	unsigned total_max;
	unsigned max_inner;    /* 0: nothing fits */
	unsigned outer_at_max; /* wire size of max_inner, or 0 */
	unsigned mss;	       /* 0: no room for TCP */
};

/* One case of a phase 2: [0] without NAT-T, [1] with. */
struct mss_case {
	bool natt;
	struct mss_transform tr;
	unsigned max_inner, mss;
	bool other_cipher; /* its cipher differs from the first case's */
};

struct mss_p2 {
	size_t idx; /* in site->p2 */
	const char *descr, *ikeid, *mode, *ifname;
	unsigned reqid;
	const char *local, *remote; /* selectors as text */
	unsigned mtu;
	const char *mtu_note; /* NULL, "default", "interface unknown",
				 "given" */
	bool natt_forced;
	bool costed; /* some transform could be costed */
	unsigned ncosted, nunknown;
	const char *gap; /* why maxmss does not reach it, or NULL */
	bool use[2];	 /* the cases that apply */
	int first;	 /* the first case that applies */
	struct mss_case cases[2];
};

struct mss_site {
	const char *name;
	unsigned maxmss;   /* 0: off */
	bool maxmss_set;   /* system/maxmss not empty */
	struct mss_p2 *p2; /* the enabled phase 2 */
	size_t n;
	size_t ngap;	 /* how many maxmss does not reach */
	unsigned lowest; /* MSS to clamp to, 0: none reached */
};

#endif
