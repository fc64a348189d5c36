/* filterlog lines from pfSense 2.5+ and OPNsense (doc/behaviour/pfsense.md §3),
 * and the importer that turns log files into observations on a site.
 *
 * fl_parse_line() parses one line into a record of slices pointing into
 * the line (zero copy): the caller keeps the line alive while it reads the
 * record. It never allocates and never fails hard: a line it cannot read
 * gives false and a column and message saying where and why. */
#ifndef IMPORT_LOG_FILTERLOG_H
#define IMPORT_LOG_FILTERLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/evidence.h"
#include "model/log_summary.h"
#include "model/site.h"
#include "util/arena.h"
#include "util/str.h"

enum fl_envelope {
	FL_ENV_BARE,	/* the CSV alone */
	FL_ENV_BSD,	/* RFC 3164: "Sep 28 10:38:09 host filterlog[1]: " */
	FL_ENV_RFC5424, /* "<134>1 2024-...T...+01:00 host filterlog 1 - - " */
};

enum fl_action {
	FL_ACT_PASS,
	FL_ACT_BLOCK, /* reject is logged as block */
	FL_ACT_SCRUB,
	FL_ACT_NAT,
	FL_ACT_BINAT,
	FL_ACT_RDR,
	FL_ACT_SYNPROXY_DROP,
	FL_ACT_UNKN, /* "unkn(N)": pf "match" rules; N in unkn */
};

/* What follows the addresses. */
enum fl_l4 {
	FL_L4_NONE, /* nothing: non-first fragment, ICMPv6, IPv6 CARP */
	FL_L4_TCP,
	FL_L4_UDP, /* also SCTP: ports and length */
	FL_L4_ICMP,
	FL_L4_CARP,
	FL_L4_DATALEN, /* "datalength=N" (ESP, AH, GRE, IGMP, ...) */
	FL_L4_IPINIP,  /* "IPV4-IN-IPV4," / "IPV6-IN-IPV4," */
	FL_L4_OTHER,   /* fields filterlog prints for a protocol we skip */
};

/* ICMP subtypes as filterlog prints them (doc/behaviour/pfsense.md §3.2). */
enum fl_icmp {
	FL_ICMP_NONE,
	FL_ICMP_REQUEST,      /* id, seq */
	FL_ICMP_REPLY,	      /* id, seq */
	FL_ICMP_UNREACHPROTO, /* dst, proto */
	FL_ICMP_UNREACHPORT,  /* dst, TCP|UDP, port */
	FL_ICMP_NEEDFRAG,     /* dst, mtu */
	FL_ICMP_TSTAMP,	      /* id, seq */
	FL_ICMP_TSTAMPREPLY,  /* id, seq, otime, rtime, ttime */
	FL_ICMP_TEXT,	      /* unreach, timexceed, paramprob, redirect, ... */
};

enum {
	FL_TCP_FIN = 1,
	FL_TCP_SYN = 2,
	FL_TCP_RST = 4,
	FL_TCP_PSH = 8,
	FL_TCP_ACK = 16,
	FL_TCP_URG = 32,
	FL_TCP_ECE = 64,
	FL_TCP_CWR = 128,
};

struct fl_record {
	/* envelope */
	enum fl_envelope env;
	bool has_ts, has_tz;
	int64_t ts; /* Unix seconds; without a zone the wall clock as UTC */
	uint32_t usec;
	int32_t tz_min;	 /* RFC 5424 offset from UTC, minutes */
	struct str host; /* empty when the envelope has none */
	/* common fields 1-9 */
	uint32_t rulenr;
	struct str subrule, anchor, tracker, iface, reason, action_text;
	enum fl_action action;
	uint32_t unkn; /* N of unkn(N) */
	enum pkt_dir dir;
	uint8_t ipver;	  /* 4 or 6 */
	struct str error; /* "error='truncated-ip ...'" value, or empty */
	/* IP header */
	struct str tos;	      /* IPv4 tos / IPv6 class, "0x.." */
	struct str ecn;	      /* IPv4 only */
	struct str flowlabel; /* IPv6 only */
	struct str ipflags;   /* IPv4 "none", "DF", "+", ... */
	uint8_t ttl;	      /* or hop limit */
	uint32_t ipid, offset;
	uint8_t proto;
	struct str protoname;
	uint32_t length; /* IPv4 total length, IPv6 payload length */
	struct ipaddr src, dst;
	bool fragment; /* IPv4 non-first fragment: no L4 fields */
	/* after the addresses */
	enum fl_l4 l4;
	bool has_ports;
	uint16_t sport, dport;
	uint32_t datalen; /* TCP payload, UDP length field, datalength= */
	struct str tcpflags, seq, ack, urg, tcpopts;
	uint8_t tcpflagbits;
	uint32_t window;
	enum fl_icmp icmp;
	struct str icmp_name, icmp_text;
	uint32_t icmp_id, icmp_seq, icmp_mtu;
	struct ipaddr icmp_dst;
	bool has_icmp_dst;
	struct str icmp_proto; /* unreachproto: number; unreachport: TCP|UDP */
	uint16_t icmp_port;
	uint32_t
	    icmp_glued; /* payload length glued to the last field, 0 none */
	struct str carp_type;
	uint8_t carp_ttl, carp_vhid, carp_version, carp_advskew, carp_advbase;
};

/* How to read timestamps without a year (BSD syslog): the year of the
 * file's modification time; a month later than that month means the
 * previous year (a log spanning New Year). */
struct fl_ctx {
	int ref_year;  /* e.g. 2024 */
	int ref_month; /* 1..12, 0 = do not roll back */
};

struct fl_error {
	uint32_t col; /* 1-based column in the line */
	const char *msg;
};

bool fl_parse_line(struct str line, const struct fl_ctx *ctx,
		   struct fl_record *r, struct fl_error *err);
/* What the fast path keeps of the line before (one per reader, zeroed
 * to start): syslog headers repeat from line to line, so the envelope
 * parse is skipped when a line starts with the bytes of the last one. */
struct fl_memo {
	size_t n; /* bytes of the envelope kept, 0 = none */
	char head[128];
	enum fl_envelope env;
	bool has_ts, has_tz;
	int64_t ts;
	uint32_t usec;
	int32_t tz_min;
	size_t host_off, host_n;
	size_t sec_off; /* the timestamp's seconds in head, 0 = none */
	int sec;
};

/* The scanner's fast path: true when the line is certainly one that
 * fl_parse_line() accepts, and then *r is the record it would give. It
 * covers the lines a firewall writes most (BSD, RFC 5424 or bare CSV;
 * TCP, UDP, ICMP echo, datalength=, nothing after the addresses); false
 * means "not sure": ask fl_parse_line(), which decides and says why. */
bool fl_parse_fast(struct str line, const struct fl_ctx *ctx, struct fl_memo *m,
		   struct fl_record *r);
/* How the fast path reads the CSV: byte by byte (the fc_* helpers), or
 * from byte-class masks made one byte at a time, 16 (SSE2) or 32 (AVX2)
 * at a time; BEST: masks, the widest this CPU has. All accept the same
 * lines with the same records; tests compare them. */
enum fl_fast {
	FL_FAST_BEST,
	FL_FAST_BYTES,
	FL_FAST_MASKS,
	FL_FAST_SSE2,
	FL_FAST_AVX2,
};
bool fl_fast_available(enum fl_fast how);
bool fl_parse_fast_how(struct str line, const struct fl_ctx *ctx,
		       struct fl_memo *m, struct fl_record *r,
		       enum fl_fast how);
/* The reference year and month of a file's mtime (UTC). */
struct fl_ctx fl_ctx_for_file(const char *path);
/* The year of BSD timestamps set by IPSECDIAG_LOG_YEAR, or 0 when unset
 * (the file's mtime then); a value that is not a year is warned about
 * and ignored. For checkouts and copies whose mtime says nothing. */
int fl_year_from_env(void);
const char *fl_action_name(enum fl_action a);

/* Scanning files: counts, blocks per interface, groups of flows. */
enum {
	FL_LINE_MAX = 64 * 1024, /* longer lines are reported and skipped */
	FL_WARN_SHOWN = 10,	 /* unparsed lines printed, per scan */
	FL_COUNTERS_MAX = 4096,	 /* (interface, dir, proto) block counters */
};

struct fl_scan;
struct fl_scan_opts {
	const struct site *site; /* may be NULL; P2 nets make flows tunnel */
	bool all_blocks;	 /* group every block (else tunnel ones only) */
	FILE *jsonl;		 /* stream one JSON record per line here */
	bool progress;		 /* progress on stderr */
	unsigned threads;	 /* parser threads for plain files (1-2) */
	int year;		 /* BSD timestamps: this year, 0 = file mtime */
	uint64_t split_min;	 /* plain files this big use 2 threads
				  * (0: 32 MiB; tests set it low) */
};

struct fl_scan *fl_scan_new(struct arena *ar, const struct fl_scan_opts *o);
/* Reads one file (plain or compressed) into the scan. Unparsed lines are
 * warned about (at most FL_WARN_SHOWN per scan, then a count); false when
 * the file could not be read at all or is not a filterlog file. */
bool fl_scan_file(struct fl_scan *sc, const char *path);
/* The same, opening path but citing label (a status archive member read
 * through a memory file). */
bool fl_scan_file_as(struct fl_scan *sc, const char *path, const char *label);
/* Prints the "N more unparsed lines" note; fills *out (arena memory). */
void fl_scan_finish(struct fl_scan *sc, struct fl_summary *out);
void fl_scan_free(struct fl_scan *sc);
/* True when a flow concerns the tunnel: ESP/AH, UDP 500/4500, enc0 or
 * ipsecN, or (with a site) its phase 2 networks and peers. */
bool fl_is_tunnel(const struct site *s, const char *iface, uint8_t proto,
		  uint16_t sport, uint16_t dport, const struct ipaddr *src,
		  const struct ipaddr *dst);
/* Writes one record as a JSON object with stable keys and a newline. */
void fl_write_jsonl(FILE *f, const struct fl_record *r, const char *file,
		    uint64_t line);

/* The site importer for INPUT_FILTERLOG (load.c importers[]). */
bool log_filterlog_import(struct arena *ar, struct input_file *in,
			  struct site *s);
/* The same, reading path while citing in->path. */
bool log_filterlog_import_from(struct arena *ar, struct input_file *in,
			       struct site *s, const char *path);

#endif
