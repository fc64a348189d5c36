/* What a firewall log scan adds up to: counts, blocks per interface and
 * the groups of flows, filled by the filterlog importer
 * (import/logs/log_filterlog_scan.c) and printed by report/rep_log.c. */
#ifndef MODEL_LOG_SUMMARY_H
#define MODEL_LOG_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/evidence.h"
#include "model/site.h"

enum {
	FL_GROUPS_MAX = 65536, /* distinct flow groups kept per scan */
};

struct fl_group {
	enum obs_kind kind;	     /* OBS_FW_BLOCK, OBS_FW_PASS, NEEDFRAG */
	const char *iface, *tracker; /* interned */
	enum pkt_dir dir;
	uint8_t proto, ipver;
	struct ipaddr src, dst;
	uint16_t dport;
	uint32_t value; /* needfrag: MTU; block/pass: OBS_FW_FRAGMENT */
	uint64_t count, bytes;
	double first_ts, last_ts;
	struct srcloc where; /* first line */
	bool tunnel;	     /* tunnel-related (ESP, IKE, enc0, P2 nets) */
};

struct fl_counter {
	const char *iface;
	enum pkt_dir dir;
	uint8_t proto;
	uint64_t count;
};

struct fl_summary {
	uint64_t files, lines, parsed, unparsed, long_lines, blank;
	uint64_t blocks, passes, others;
	uint64_t overflow; /* lines whose group did not fit the ceiling */
	uint64_t counter_overflow;
	double first_ts, last_ts; /* 0 when no timestamp */
	bool read_error;
	struct fl_group *groups;
	size_t ngroups;
	struct fl_counter *counters;
	size_t ncounters;
};

/* The firewall rule behind a group, joined by the engine's log tracker
 * from its tracker id. */
struct fl_rule {
	const char *kind;  /* "user", "default-deny", ... */
	const char *descr; /* for a person */
};

/* The summary as `log` shows it. */
struct fl_view {
	const struct fl_summary *m;
	const struct fl_rule *rules; /* one per group; kind NULL: not joined */
	unsigned top;		     /* blocked flows shown, 0 = all */
};

/* "YYYY-MM-DD HH:MM:SS" of a Unix time, UTC. */
void fl_format_time(double ts, char buf[32]);

#endif
