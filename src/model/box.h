/* The box's own running state, read from what it printed (pfSense's
 * status archive, doc/behaviour/status-archive.md): routes, interfaces
 * with MTU and CARP state, neighbours, kernel IPsec policies, and the
 * items the box failed to collect. Beside the modelled config, never
 * instead of it: checks compare the two. */
#ifndef MODEL_BOX_H
#define MODEL_BOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/addr.h"
#include "util/diag.h"

/* netstat -nWr */
struct box_route {
	struct prefix net;
	bool is_default;
	const char *gateway; /* as printed: address, link#N or MAC */
	struct ipaddr via;
	bool has_via;
	const char *flags, *netif;
	unsigned mtu;
	struct srcloc loc;
};

/* ifconfig -vvvvvam: one CARP VIP with its state on this box */
struct box_carp {
	struct ipaddr addr;
	unsigned vhid;
	const char *state; /* MASTER, BACKUP, INIT */
	const char *ifname;
	struct srcloc loc;
	/* the "carp: STATE vhid N advbase B advskew S" line */
	unsigned advskew;
	bool has_advskew;
	struct srcloc state_loc;
};

struct box_if {
	const char *name;
	unsigned mtu;
	bool up, running, no_carrier;
	struct ifaddr *addrs;
	size_t naddrs, caddrs;
	unsigned reqid; /* ipsecN (if_ipsec): its kernel reqid */
	struct ipaddr tun_src, tun_dst; /* "tunnel inet A --> B" */
	bool has_tunnel;
	struct srcloc loc;
};

/* arp -an / ndp -na */
struct box_neigh {
	struct ipaddr addr;
	bool incomplete, permanent;
	const char *ifname;
	struct srcloc loc;
};

enum box_spd_dir { BSPD_IN, BSPD_OUT, BSPD_FWD, BSPD_OTHER };

/* setkey -DP: one kernel security policy */
struct box_spd {
	struct prefix src, dst;
	enum box_spd_dir dir;
	const char *action; /* ipsec, none, discard */
	struct ipaddr outer_src, outer_dst;
	bool has_outer;
	unsigned reqid;	    /* unique:N / require:N, 0 = none */
	const char *ifname; /* scope=ifnet ifname=ipsecN (VTI) */
	struct srcloc loc;
};

/* pfctl -vvsr: one loaded rule, its identity and counters */
struct box_rule {
	unsigned nr;	    /* @nr */
	const char *action; /* pass, block, match, anchor, scrub, ... */
	const char *iface;  /* "on X", or NULL */
	uint64_t tracker;   /* ridentifier / tracker / label "id:N" */
	bool has_tracker, has_counters;
	uint64_t evals, packets, bytes, states;
	struct srcloc loc;
};

/* pfctl -vvss: one state; a is the side that opened it (the left of
 * "->", the right of "<-"), pkts_ab its packets, pkts_ba the replies */
struct box_state {
	const char *ifname; /* "all" = floating */
	const char *proto;  /* icmp, tcp, udp, esp, ... */
	struct ipaddr a, b;
	unsigned aport, bport;
	bool outbound;		   /* "->": created going out */
	uint64_t pkts_ab, pkts_ba; /* "N:M pkts": a->b, replies */
	bool has_pkts;
	unsigned rule; /* "rule N" = @N of pfctl -vvsr */
	bool has_rule;
	struct srcloc loc;
};

/* A pf table as rules.debug defines it ("table <vpn_networks> {
 * 10.0.2.0/24 }"); known is false when pf fills it from a file, a URL
 * or a hostname the text does not hold (doc/behaviour/rules-debug.md §2) */
struct box_table {
	const char *name;
	struct addrset addrs;
	bool known;
	struct srcloc loc;
};

struct rule;

/* _errors.txt, or a member holding a command's error text */
struct box_error {
	const char *text;
	struct srcloc loc;
};

struct boxstate {
	bool present;
	const char *archive;	     /* file it came from */
	const char *product_version; /* "2.7.2-RELEASE", "23.09.1-RELEASE" */
	const char *version_from;    /* where the version was read */
	struct box_route *routes;
	size_t nroutes, croutes;
	struct box_if *ifs;
	size_t nifs, cifs;
	struct box_carp *carp;
	size_t ncarp, ccarp;
	struct box_neigh *neigh;
	size_t nneigh, cneigh;
	struct box_spd *spd;
	size_t nspd, cspd;
	struct box_error *errors;
	size_t nerrors, cerrors;
	struct box_rule *rules;
	size_t nrules, crules;
	struct box_state *states;
	size_t nstates, cstates;
	/* Firewall-Generated Ruleset.txt (/tmp/rules.debug) as written */
	const char *rules_debug;
	size_t rules_debug_len;
	/* The ruleset the box runs, parsed (import/pf/): from pfctl -vvsr
	 * (what pf has loaded) when given, else from rules.debug (what was
	 * generated). Rules are ORIGIN_RUNNING, in pf's order; the engine
	 * evaluates them for this site's pf hops unless rd_why_not /
	 * ld_why_not say why it cannot (doc/behaviour/rules-debug.md §1). */
	struct rule *rd_rules, *ld_rules; /* rules.debug, pfctl -vvsr */
	size_t nrd_rules, crd_rules, nld_rules, cld_rules;
	struct box_table *tables;
	size_t ntables, ctables;
	const char *rd_why_not, *ld_why_not; /* first line not understood */
	bool has_routes, has_ifs, has_arp, has_ndp, has_spd, has_rules;
	bool has_states;
	/* the member each came from ("status_output.tgz:IPsec-SPD.txt") */
	const char *spd_file, *routes_file, *ifs_file, *arp_file, *rules_file,
	    *rules_debug_file, *states_file;
};

#endif
