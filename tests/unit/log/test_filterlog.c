/* filterlog line parser: one case per line variant (doc/behaviour/pfsense.md
 * §3.4 real lines, corpus lines when ../shared/corpus is present). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "import/logs/log_filterlog.h"
#include "import/textstream.h"

static const struct fl_ctx ctx = {2024, 0};

static struct fl_record
ok(const char *line)
{
	struct fl_record r;
	struct fl_error e;
	bool good = fl_parse_line(str_from(line), &ctx, &r, &e);
	if (!good)
		fail_msg("%s\n  col %u: %s", line, e.col, e.msg);
	return r;
}

static struct fl_error
bad(const char *line)
{
	struct fl_record r;
	struct fl_error e;
	if (fl_parse_line(str_from(line), &ctx, &r, &e))
		fail_msg("parsed but should not: %s", line);
	return e;
}

static const char *
addr(const struct ipaddr *a)
{
	static char buf[ADDR_STRLEN];
	return ipaddr_format(a, buf);
}

static bool
eq(struct str s, const char *lit)
{
	return str_eq(s, lit);
}

/* BSD syslog without [pid] (crowdsec pf-logs.log line 1). */
static void
test_bsd_no_pid_tcp(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("Sep 28 10:38:09 pfSense filterlog: 53,,,1000000301,em0,match,"
	       "block,in,4,0x0,,64,420,0,none,6,tcp,460,10.0.2.2,10.0.2.15,"
	       "53742,22,420,PA,29633380:29633800,3617062173,65535,,");
	assert_int_equal(r.env, FL_ENV_BSD);
	assert_true(eq(r.host, "pfSense"));
	assert_int_equal(r.ts, 1727519889); /* 2024-09-28 10:38:09 */
	assert_int_equal(r.rulenr, 53);
	assert_true(eq(r.tracker, "1000000301"));
	assert_true(eq(r.iface, "em0"));
	assert_int_equal(r.action, FL_ACT_BLOCK);
	assert_int_equal(r.dir, PDIR_IN);
	assert_int_equal(r.l4, FL_L4_TCP);
	assert_int_equal(r.sport, 53742);
	assert_int_equal(r.dport, 22);
	assert_int_equal(r.datalen, 420);
	assert_int_equal(r.tcpflagbits, FL_TCP_PSH | FL_TCP_ACK);
	assert_true(eq(r.seq, "29633380:29633800"));
	assert_true(eq(r.ack, "3617062173"));
	assert_int_equal(r.window, 65535);
	assert_string_equal(addr(&r.src), "10.0.2.2");
}

static void
test_bsd_pid_and_padded_day(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("Nov  8 12:37:34 pfSense filterlog[23721]: 5,,,1000102433,em0,"
	       "match,block,in,4,0x0,,128,24677,0,none,17,udp,186,10.9.0.119,"
	       "10.9.0.255,17500,17600,166");
	assert_int_equal(r.env, FL_ENV_BSD);
	assert_int_equal(r.ts, 1731069454); /* 2024-11-08 12:37:34 */
	assert_int_equal(r.l4, FL_L4_UDP);
	assert_int_equal(r.datalen, 166);
}

static void
test_bsd_no_host(void **state)
{
	(void)state;
	/* wazuh: no host; ICMP with datalength= (older filterlog) */
	struct fl_record r =
	    ok("Jan 22 18:34:00 filterlog: 65,,,0,vmx1,match,pass,out,4,0x0,,"
	       "63,21011,0,none,1,icmp,56,192.168.105.11,192.168.105.1,"
	       "datalength=36");
	assert_int_equal(r.host.n, 0);
	assert_int_equal(r.l4, FL_L4_DATALEN);
	assert_int_equal(r.datalen, 36);
	assert_int_equal(r.action, FL_ACT_PASS);
	assert_int_equal(r.dir, PDIR_OUT);
}

static void
test_bsd_year_rollover(void **state)
{
	(void)state;
	struct fl_ctx jan = {2025, 1};
	struct fl_record r;
	struct fl_error e;
	assert_true(fl_parse_line(
	    str_from("Dec 31 23:59:59 fw filterlog[1]: 1,,,0,em0,match,"
		     "pass,in,4,0x0,,64,1,0,none,17,udp,40,10.0.0.1,"
		     "10.0.0.2,1,2,20"),
	    &jan, &r, &e));
	assert_int_equal(r.ts, 1735689599); /* 2024-12-31 23:59:59 */
}

static void
test_bsd_with_pri(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("<134>May  1 08:00:00 fw-a filterlog[1]: 7,,,1000000103,igb0,"
	       "match,block,in,4,0x0,,52,5512,0,none,17,udp,160,203.0.113.5,"
	       "198.51.100.2,4500,4500,140");
	assert_int_equal(r.env, FL_ENV_BSD);
	assert_int_equal(r.dport, 4500);
}

/* RFC 5424 with OPNsense [meta sequenceId=...], 32-hex tracker. */
static void
test_rfc5424_meta(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("<134>1 2022-09-06T18:37:34+02:00 opnsense filterlog 69805 - "
	       "[meta sequenceId=\"2633353\"] 10,,,02f4bab031b57d1e30553ce08e0e"
	       "c131,re0,match,block,in,4,0x0,,118,28579,0,none,17,udp,132,"
	       "212.102.36.22,37.120.48.198,49838,52938,112");
	assert_int_equal(r.env, FL_ENV_RFC5424);
	assert_true(r.has_tz);
	assert_int_equal(r.tz_min, 120);
	assert_int_equal(r.ts, 1662482254); /* 16:37:34Z */
	assert_true(eq(r.tracker, "02f4bab031b57d1e30553ce08e0ec131"));
	assert_true(eq(r.host, "opnsense"));
}

static void
test_rfc5424_dash_fraction(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("<134>1 2025-11-06T11:32:42.868451+00:00 firewall.lan filterlog "
	       "92653 - - 7,,,1000000102,vtnet0.5,match,block,in,4,0x0,,64,"
	       "19008,0,DF,6,tcp,60,192.168.5.6,192.168.1.100,42970,80,0,S,"
	       "523876198,,64240,,mss;sackOK;TS;nop;wscale");
	assert_int_equal(r.usec, 868451);
	assert_true(eq(r.iface, "vtnet0.5"));
	assert_true(eq(r.tcpopts, "mss;sackOK;TS;nop;wscale"));
	assert_int_equal(r.tcpflagbits, FL_TCP_SYN);
	assert_int_equal(r.ack.n, 0);
}

static void
test_rfc5424_no_pri(void **state)
{
	(void)state;
	/* wazuh: "1 <ts>" without <PRI>; 2026 OPNsense line without both */
	struct fl_record r =
	    ok("1 2021-08-04T06:59:07.691848+04:00 BBFW01.posoiden.local "
	       "filterlog 48906 - - 98,,,1627710987,vmx1,match,pass,in,4,0x2,0,"
	       "128,848,0,DF,6,tcp,52,10.10.10.100,13.235.226.255,1029,443,0,"
	       "SEC,3291118522,,8192,,mss;nop;wscale;nop;nop;sackOK");
	assert_int_equal(r.tz_min, 240);
	assert_true(eq(r.ecn, "0"));
	assert_int_equal(r.tcpflagbits, FL_TCP_SYN | FL_TCP_ECE | FL_TCP_CWR);
	r = ok("2026-03-10T17:20:33+00:00 OPNsense.internal filterlog 87496 - "
	       "[meta sequenceId=\"7\"] 69,,,49484b4b90e87d327015604798f010e9,"
	       "em0,match,pass,out,4,0xb8,,64,21200,0,none,17,udp,76,"
	       "192.168.122.91,51.91.83.168,123,123,56");
	assert_int_equal(r.env, FL_ENV_RFC5424);
	assert_int_equal(r.sport, 123);
}

static void
test_remote_iso_bsd_tag(void **state)
{
	(void)state;
	/* rsyslog forwarding: RFC 3339 time with a BSD-style tag */
	struct fl_record r =
	    ok("2024-05-01T10:00:00+02:00 192.0.2.1 filterlog[77]: 6,,,"
	       "1000000103,enc0,match,block,in,4,0x0,,63,1,0,none,17,udp,60,"
	       "10.0.2.7,10.0.1.5,1,53,40");
	assert_int_equal(r.env, FL_ENV_BSD);
	assert_true(eq(r.host, "192.0.2.1"));
	assert_int_equal(r.ts, 1714550400);
}

static void
test_bare_csv(void **state)
{
	(void)state;
	struct fl_record r = ok(
	    "6,,,02f4bab031b57d1e30553ce08e0ec131,enc0,match,block,in,4,"
	    "0xa0,,63,33476,0,+,6,tcp,1396,10.63.37.32,10.63.64.17,50087,"
	    "5060,1344,PA,3177873646:3177874990,3880894730,1996,,nop;nop;TS");
	assert_int_equal(r.env, FL_ENV_BARE);
	assert_false(r.has_ts);
	assert_true(eq(r.ipflags, "+"));
	assert_false(r.fragment);
	assert_int_equal(r.dport, 5060);
}

static void
test_fragment(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("6,,,02f4bab031b57d1e30553ce08e0ec131,enc0,match,block,in,4,"
	       "0xa0,,63,33476,1376,none,6,tcp,71,10.63.37.32,10.63.64.17,");
	assert_true(r.fragment);
	assert_int_equal(r.offset, 1376);
	assert_int_equal(r.l4, FL_L4_NONE);
	assert_false(r.has_ports);
}

static void
test_ipv6_udp(void **state)
{
	(void)state;
	struct fl_record r = ok(
	    "<134>1 2022-09-06T19:00:06+02:00 opnsense filterlog 57126 - "
	    "[meta sequenceId=\"2667099\"] 98,,,881dd59a3e942966c90498ac1047"
	    "15a0,re0,match,pass,in,6,0x00,0x0ea87,51,udp,17,73,2008:8a0:702e"
	    ":ce00:acc6:c7ee:fa01:2f8a,2c02:2454:ada:d900::1738,6881,51918,"
	    "73");
	assert_int_equal(r.ipver, 6);
	assert_true(eq(r.flowlabel, "0x0ea87"));
	assert_int_equal(r.ttl, 51);
	assert_int_equal(r.proto, 17);
	assert_int_equal(r.length, 73);
	assert_string_equal(addr(&r.dst), "2c02:2454:ada:d900::1738");
	assert_int_equal(r.dport, 51918);
}

static void
test_ipv6_tcp_uppercase_name(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("<134>1 2025-11-06T11:42:14.270789+00:00 firewall.lan filterlog "
	       "92653 - - 621,,,1644355515,vtnet0.10,match,block,in,6,0x00,"
	       "0x07c63,64,TCP,6,44,fdfd:ace:ace:10:d8:cdbf:f6f8:6d69,"
	       "fdfd:ace:ace:5::6,65382,443,0,S,1927530165,,0,,mss;nop;wscale;"
	       "nop;nop;TS;sackOK;eol");
	assert_int_equal(r.proto, PROTO_TCP);
	assert_true(eq(r.protoname, "TCP"));
	assert_int_equal(r.window, 0);
}

static void
test_icmpv6_empty(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("6,,,1000000105,enc0,match,block,in,6,0x00,0x00000,64,ICMPv6,58,"
	       "16,fd00:2::7,fd00:1::5,");
	assert_int_equal(r.proto, 58);
	assert_int_equal(r.l4, FL_L4_NONE);
}

static void
test_carp(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("48,16777216,,1000000201,em0,match,block,in,4,0x10,,255,53650,0,"
	       "DF,112,carp,56,192.168.11.1,224.0.0.18,advertise,255,1,2,0,1");
	assert_int_equal(r.l4, FL_L4_CARP);
	assert_true(eq(r.carp_type, "advertise"));
	assert_int_equal(r.carp_ttl, 255);
	assert_int_equal(r.carp_vhid, 1);
	assert_int_equal(r.carp_version, 2);
	assert_int_equal(r.carp_advskew, 0);
	assert_int_equal(r.carp_advbase, 1);
	assert_true(eq(r.subrule, "16777216"));
	r = ok("48,16777216,,1000000201,em0,match,block,in,6,0x00,0x00000,255,"
	       "VRRP,112,36,fe80::100:1000:1001:1011,ff02::12,");
	assert_int_equal(r.l4, FL_L4_NONE);
	assert_int_equal(r.proto, 112);
}

static void
test_icmp_request_glued(void **state)
{
	(void)state;
	/* request,40169,0 + payload length 64 glued: "064" */
	struct fl_record r = ok(
	    "6,,,1000000103,enc0,match,block,in,4,0x0,,63,1,0,none,1,icmp,84,"
	    "10.0.2.7,10.0.1.5,request,40169,064");
	assert_int_equal(r.icmp, FL_ICMP_REQUEST);
	assert_int_equal(r.icmp_id, 40169);
	assert_int_equal(r.icmp_seq, 0);
	assert_int_equal(r.icmp_glued, 64);
	r = ok("6,,,1000000103,enc0,match,pass,out,4,0x0,,63,1,0,none,1,icmp,"
	       "84,10.0.1.5,10.0.2.7,reply,7,1264");
	assert_int_equal(r.icmp, FL_ICMP_REPLY);
	assert_int_equal(r.icmp_seq, 12);
	/* not glued: left as is */
	r = ok("6,,,1000000103,enc0,match,pass,out,4,0x0,,63,1,0,none,1,icmp,"
	       "84,10.0.1.5,10.0.2.7,reply,7,12");
	assert_int_equal(r.icmp_seq, 12);
	assert_int_equal(r.icmp_glued, 0);
}

static void
test_icmp_needfrag(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("4,,,1000000104,igb0,match,block,out,4,0x0,,64,0,0,DF,1,icmp,56,"
	       "198.51.100.2,203.0.113.5,needfrag,10.0.1.5,140036");
	assert_int_equal(r.icmp, FL_ICMP_NEEDFRAG);
	assert_int_equal(r.icmp_mtu, 1400);
	assert_string_equal(addr(&r.icmp_dst), "10.0.1.5");
	r = ok("4,,,1000000104,igb0,match,block,out,4,0x0,,64,0,0,DF,1,icmp,56,"
	       "198.51.100.2,203.0.113.5,needfrag,10.0.1.5,1400");
	assert_int_equal(r.icmp_mtu, 1400);
}

static void
test_icmp_unreach_kinds(void **state)
{
	(void)state;
	const char *pre = "4,,,1,igb0,match,block,in,4,0x0,,64,0,0,none,1,"
			  "icmp,56,198.51.100.2,203.0.113.5,";
	char line[512];
	snprintf(line, sizeof(line), "%sunreachport,10.0.1.5,UDP,5336", pre);
	struct fl_record r = ok(line);
	assert_int_equal(r.icmp, FL_ICMP_UNREACHPORT);
	assert_true(eq(r.icmp_proto, "UDP"));
	assert_int_equal(r.icmp_port, 53);
	snprintf(line, sizeof(line), "%sunreachproto,10.0.1.5,4736", pre);
	r = ok(line);
	assert_int_equal(r.icmp, FL_ICMP_UNREACHPROTO);
	assert_true(eq(r.icmp_proto, "47"));
	snprintf(line, sizeof(line), "%sunreach,10.0.1.5 host unreachable",
		 pre);
	r = ok(line);
	assert_int_equal(r.icmp, FL_ICMP_TEXT);
	assert_true(eq(r.icmp_name, "unreach"));
	assert_true(eq(r.icmp_text, "10.0.1.5 host unreachable"));
	snprintf(line, sizeof(line), "%stimexceed,time exceeded in-transit36",
		 pre);
	r = ok(line);
	assert_true(eq(r.icmp_text, "time exceeded in-transit"));
	assert_int_equal(r.icmp_glued, 36);
	snprintf(line, sizeof(line), "%sparamprob,parameter problem", pre);
	assert_true(eq(ok(line).icmp_name, "paramprob"));
	snprintf(line, sizeof(line),
		 "%sredirect,redirect 10.0.0.1 to net "
		 "10.0.0.254",
		 pre);
	assert_int_equal(ok(line).icmp, FL_ICMP_TEXT);
	snprintf(line, sizeof(line), "%ststamp,5,636", pre);
	r = ok(line);
	assert_int_equal(r.icmp, FL_ICMP_TSTAMP);
	assert_int_equal(r.icmp_seq, 6);
	snprintf(line, sizeof(line), "%ststampreply,5,6,1,2,336", pre);
	r = ok(line);
	assert_int_equal(r.icmp, FL_ICMP_TSTAMPREPLY);
	snprintf(line, sizeof(line), "%sneedfrag,10.0.1.5", pre);
	assert_int_not_equal(bad(line).col, 0);
}

static void
test_datalength_esp_gre(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("7,,,1000000103,igb0,match,block,in,4,0x0,,52,0,0,none,50,esp,"
	       "136,203.0.113.5,198.51.100.2,datalength=116 ");
	assert_int_equal(r.proto, PROTO_ESP);
	assert_int_equal(r.l4, FL_L4_DATALEN);
	assert_int_equal(r.datalen, 116);
	r = ok("7,,,1000000103,igb0,match,block,in,4,0x0,,52,0,0,none,47,gre,"
	       "80,203.0.113.5,198.51.100.2,datalength=60");
	assert_int_equal(r.proto, PROTO_GRE);
	r = ok("7,,,1000000103,igb0,match,block,in,4,0x0,,52,0,0,none,51,ah,"
	       "80,203.0.113.5,198.51.100.2,datalength=60");
	assert_int_equal(r.proto, PROTO_AH);
	r = ok("7,,,0,igb0,match,pass,in,4,0x0,,52,0,0,none,4,ipencap,80,"
	       "203.0.113.5,198.51.100.2,IPV4-IN-IPV4,");
	assert_int_equal(r.l4, FL_L4_IPINIP);
}

static void
test_unkn_and_error(void **state)
{
	(void)state;
	struct fl_record r =
	    ok("3,,,1000000103,em0,match,unkn(11),in,4,0x0,,64,1,0,none,17,udp,"
	       "40,10.0.0.1,10.0.0.2,1,2,20");
	assert_int_equal(r.action, FL_ACT_UNKN);
	assert_int_equal(r.unkn, 11);
	r = ok("3,,,1000000103,em0,match,block,in,4,error='truncated-ip 20 "
	       "bytes missing!',0x0,,64,1,0,none,17,udp,40,10.0.0.1,10.0.0.2,"
	       "1,2,20");
	assert_true(eq(r.error, "'truncated-ip 20 bytes missing!'"));
	assert_int_equal(r.dport, 2);
	r = ok("3,,,1000000103,em0,bad-offset,synproxy-drop,in,4,0x0,,64,1,0,"
	       "none,17,udp,40,10.0.0.1,10.0.0.2,1,2,20");
	assert_int_equal(r.action, FL_ACT_SYNPROXY_DROP);
	assert_true(eq(r.reason, "bad-offset"));
}

static void
test_errors_have_columns(void **state)
{
	(void)state;
	const char *base = "May  3 10:01:05 fw-a filterlog[1]: ";
	char line[512];
	snprintf(line, sizeof(line), "%s6,,,1,enc0,match,block,sideways,4",
		 base);
	struct fl_error e = bad(line);
	assert_int_equal(e.col,
			 strlen(base) + strlen("6,,,1,enc0,match,block,") + 1);
	assert_string_equal(e.msg, "direction is not 'in' or 'out'");
	e = bad("Mai  3 10:01:05 fw filterlog: 1");
	assert_int_equal(e.col, 1);
	e = bad("May  3 10:01:05 fw sshd[1]: hello");
	assert_int_equal(e.col, 20);
	snprintf(line, sizeof(line),
		 "%s6,,,1,enc0,match,block,in,4,0x0,,63,1,"
		 "0,none,6,tcp,60,10.0.2.7,10.0.1.5,504",
		 base);
	e = bad(line);
	assert_string_equal(e.msg, "TCP: too few fields (9 expected after the "
				   "addresses)");
	snprintf(line, sizeof(line), "%s6,,,1,enc0,match,nope,in,4", base);
	assert_string_equal(bad(line).msg, "unknown action (pass, block, "
					   "unkn(N), ...)");
	assert_int_not_equal(bad("").col, 0);
	assert_int_not_equal(bad("<134").col, 0);
	assert_int_not_equal(
	    bad("<134>1 2024-01-01T00:00:00Z h filterlog 1 -").col, 0);
	assert_int_not_equal(
	    bad("<134>1 2024-01-01T00:00:00Z h filterlog 1 - [x").col, 0);
	/* IPv4 address with IP version 6 */
	assert_string_equal(bad("1,,,1,em0,match,block,in,6,0x00,0x0,64,udp,17,"
				"8,10.0.0.1,10.0.0.2,1,2,8")
				.msg,
			    "address family does not match the IP version");
}

/* Every filterlog line of the corpus logs parses. */
static void
test_corpus(void **state)
{
	(void)state;
	static const char *const files[] = {
	    "../shared/corpus/crowdsec-hub/pf-logs/pf-logs.log",
	    "../shared/corpus/crowdsec-hub/pf-scan-multi-port/"
	    "pf-scan-multi-port.log",
	    "../shared/corpus/crowdsec-hub/pfsense-rfc5424-filterlog/"
	    "pfsense-rfc5424-filterlog.log",
	    "../shared/corpus/wazuh/pfsense.ini.log",
	};
	FILE *f = fopen(files[0], "r");
	if (f == NULL)
		skip();
	fclose(f);
	unsigned n = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char line[4096];
		f = fopen(files[i], "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			if (*line == '\0')
				continue;
			ok(line);
			n++;
		}
		fclose(f);
	}
	assert_int_equal(n, 9 + 16 + 4 + 4);
}

/* The fast path and the full parser agree: whenever fl_parse_fast()
 * accepts a line, fl_parse_line() accepts it with the same record. */
static unsigned fast_taken, fast_lines;
static struct fl_memo memo; /* kept from line to line, as a scan does */

/* The ways of the fast path (byte by byte, masks made one byte, 16 or 32
 * at a time) accept the same lines with the same records; each keeps its
 * own memo, as each reader of a scan does. */
static unsigned ways_compared;
static struct fl_memo way_memo[FL_FAST_AVX2 + 1];

static void
ways_agree(struct str line)
{
	struct fl_record ref, r;
	bool ref_ok = fl_parse_fast_how(line, &ctx, &way_memo[FL_FAST_BYTES],
					&ref, FL_FAST_BYTES);
	for (enum fl_fast how = FL_FAST_MASKS; how <= FL_FAST_AVX2; how++) {
		if (!fl_fast_available(how))
			continue;
		ways_compared++;
		bool ok =
		    fl_parse_fast_how(line, &ctx, &way_memo[how], &r, how);
		if (ok != ref_ok)
			fail_msg("fast path way %d %s, byte by byte %s: %.*s",
				 (int)how, ok ? "accepts" : "rejects",
				 ref_ok ? "accepts" : "rejects", (int)line.n,
				 line.p);
		if (ok && memcmp(&r, &ref, sizeof(r)) != 0) {
			fl_write_jsonl(stderr, &ref, "bytes", 0);
			fl_write_jsonl(stderr, &r, "masks", 0);
			fail_msg("fast path way %d and byte by byte differ: "
				 "%.*s",
				 (int)how, (int)line.n, line.p);
		}
	}
}

static void
agree(struct str line)
{
	struct fl_record a, b;
	struct fl_error e;
	fast_lines++;
	ways_agree(line);
	if (!fl_parse_fast(line, &ctx, &memo, &a))
		return;
	fast_taken++;
	if (!fl_parse_line(line, &ctx, &b, &e))
		fail_msg("fast path accepts what the parser rejects (col %u: "
			 "%s): %.*s",
			 e.col, e.msg, (int)line.n, line.p);
	if (memcmp(&a, &b, sizeof(a)) != 0) {
		fl_write_jsonl(stderr, &a, "fast", 0);
		fl_write_jsonl(stderr, &b, "full", 0);
		fail_msg("fast and full records differ: %.*s", (int)line.n,
			 line.p);
	}
}

/* The line and variants of it with one byte changed, removed or
 * doubled: the fast path must never accept more than the parser. */
static void
agree_mutants(struct str line)
{
	static const char subst[] = ",0919a :.-[]F";
	char buf[4200];
	agree(line);
	if (line.n + 2 > sizeof(buf))
		return;
	for (size_t i = 0; i < line.n; i++) {
		memcpy(buf, line.p, line.n);
		for (size_t k = 0; k < sizeof(subst) - 1; k++) {
			buf[i] = subst[k];
			agree((struct str){buf, line.n});
		}
		memcpy(buf, line.p, i); /* without byte i */
		memcpy(buf + i, line.p + i + 1, line.n - i - 1);
		agree((struct str){buf, line.n - 1});
		memcpy(buf, line.p, i + 1); /* byte i twice */
		memcpy(buf + i + 1, line.p + i, line.n - i);
		agree((struct str){buf, line.n + 1});
	}
}

/* The line with each CSV field replaced in turn by numbers at and past
 * the limits of the fields, long forms and non-numbers. */
static void
agree_fields(struct str line)
{
	static const char *const tokens[] = {
	    "",
	    "0",
	    "00",
	    "255",
	    "256",
	    "65535",
	    "65536",
	    "524280",
	    "999999999",
	    "4294967295",
	    "4294967296",
	    "000000000065535",
	    "x",
	    "1:2",
	    "1:",
	    "-1",
	    " 1",
	    "1 ",
	    "S",
	    "FSRPAUECX",
	    "4",
	    "6",
	    "in",
	    "out",
	    "pass",
	    "block",
	    "unkn(1)",
	    "error=x",
	    "datalength=1",
	    "datalength= 1",
	    "10.0.0.1",
	    "::1",
	    "request",
	    "reply",
	    "needfrag",
	};
	char buf[4400];
	if (line.n + 20 > sizeof(buf))
		return;
	for (size_t start = 0; start <= line.n;) {
		const char *c = memchr(line.p + start, ',', line.n - start);
		size_t stop = c ? (size_t)(c - line.p) : line.n;
		for (size_t k = 0; k < sizeof(tokens) / sizeof(*tokens); k++) {
			size_t t = strlen(tokens[k]);
			memcpy(buf, line.p, start);
			memcpy(buf + start, tokens[k], t);
			memcpy(buf + start + t, line.p + stop, line.n - stop);
			agree((struct str){buf, start + t + line.n - stop});
		}
		start = stop + 1;
	}
}

/* Every line of a (possibly compressed) file; false when absent. */
static bool
agree_file(const char *path)
{
	const char *why;
	struct textstream *t = textstream_open(path, 4096, 0, 0, &why);
	struct str line;
	if (t == NULL)
		return false;
	while (textstream_next(t, &line) == TS_LINE) {
		agree_mutants(line);
		agree_fields(line);
	}
	textstream_close(t);
	return true;
}

static void
test_fast_path_agrees(void **state)
{
	(void)state;
	static const char *const fixtures[] = {
	    "tests/fixtures/log/site-a/filter.log",
	    "tests/fixtures/log/site-a/filter.log.0.gz",
	    "tests/fixtures/log/site-a/filter.log.1.bz2",
	    "tests/fixtures/log/site-a/filter.log.2.xz",
	    "tests/fixtures/log/site-a/filter.log.3.zst",
	    "tests/fixtures/log/filter_20250101.log",
	    "tests/fixtures/log/bad/fields.log",
	    "tests/fixtures/log/bad/garbage.log",
	    "tests/fixtures/log/bad/utf8.log",
	    "tests/fixtures/evidence/log-alone/siteB/filter.log",
	    "tests/fixtures/evidence/log-wan/siteB/filter.log",
	    "tests/fixtures/evidence/log-contradicts/siteB/filter.log",
	};
	/* shapes of bench/log/gen.c and of the cases above */
	static const char *const lines[] = {
	    "May  3 00:00:01 fw filterlog[23721]: 7,,,1000000103,enc0,"
	    "match,pass,in,4,0x0,,52,36697,0,none,17,udp,76,203.0.113.1,"
	    "198.51.100.27,123,4500,56",
	    "May  3 00:00:01 fw filterlog[23721]: 98,,,12001,igb1.10,match,"
	    "pass,in,6,0x00,0x0ea87,51,UDP,17,73,2001:db8:d::16,"
	    "2001:db8:1::3,6881,47422,73",
	    "May  3 00:00:01 fw filterlog[23721]: 7,,,1700000001,igb0,match,"
	    "block,in,4,0x0,,52,0,0,none,50,esp,136,203.0.113.9,"
	    "198.51.100.2,datalength=116",
	    "<134>1 2024-01-05T10:00:00.25+01:00 fw filterlog 1 - - 5,,,1,"
	    "em0,match,block,out,6,0x00,0x00000,255,ipv6-icmp,58,32,fe80::1,"
	    "ff02::16,",
	    "5,,,1,em0,match,block,out,6,0x00,0x00000,255,ipv6-icmp,58,32,"
	    "fe80::1,ff02::16",
	    "5,,,1,em0,match,unkn(12),in,4,0x0,,64,1,0,DF,6,tcp,40,1.2.3.4,"
	    "5.6.7.8,1,2,0,FSRPAUEC,1:2,3,4,5,",
	    "5,,,1,em0,match,block,in,4,0x0,,64,1,0,DF,1,icmp,84,1.2.3.4,"
	    "5.6.7.8,needfrag,9.9.9.9,1400",
	    "Sep 28 10:38:09 pfSense filterlog: 53,,,1000000301,em0,match,"
	    "block,in,4,0x0,,64,420,0,none,6,tcp,460,10.0.2.2,10.0.2.15,"
	    "53742,22,420,PA,29633380:29633800,3617062173,65535,,",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		agree_mutants(str_from(lines[i]));
		agree_fields(str_from(lines[i]));
	}
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(*fixtures); i++)
		if (!agree_file(fixtures[i]))
			fail_msg("cannot read %s", fixtures[i]);
	/* the corpus, when present */
	agree_file("../shared/corpus/crowdsec-hub/pf-logs/pf-logs.log");
	agree_file("../shared/corpus/crowdsec-hub/pf-scan-multi-port/"
		   "pf-scan-multi-port.log");
	agree_file("../shared/corpus/crowdsec-hub/pfsense-rfc5424-filterlog/"
		   "pfsense-rfc5424-filterlog.log");
	agree_file("../shared/corpus/wazuh/pfsense.ini.log");
	/* the fast path is taken for most lines, not just never wrong */
	assert_true(fast_taken > fast_lines / 20);
	/* masks made one byte at a time run on every CPU, SSE2 on x86-64 */
	assert_true(ways_compared >= fast_lines);
#if defined(__x86_64__)
	assert_true(ways_compared >= 2 * fast_lines);
#endif
}

/* Unmutated lines of the common shapes all take the fast path (ICMP
 * other than echo, CARP and fragments are left to the full parser). */
static void
test_fast_path_taken(void **state)
{
	(void)state;
	const char *why;
	struct textstream *t = textstream_open(
	    "tests/fixtures/log/site-a/filter.log", 4096, 0, 0, &why);
	struct str line;
	struct fl_record r;
	struct fl_memo m = {0};
	unsigned n = 0;
	assert_non_null(t);
	while (textstream_next(t, &line) == TS_LINE) {
		struct fl_record full;
		struct fl_error e;
		bool rare =
		    fl_parse_line(line, &ctx, &full, &e) &&
		    (full.fragment || full.l4 == FL_L4_CARP ||
		     (full.l4 == FL_L4_ICMP && full.icmp != FL_ICMP_REQUEST &&
		      full.icmp != FL_ICMP_REPLY));
		if (!rare && !fl_parse_fast(line, &ctx, &m, &r))
			fail_msg("not on the fast path: %.*s", (int)line.n,
				 line.p);
		n++;
	}
	textstream_close(t);
	assert_int_equal(n, 19);
}

/* The envelope memo follows the seconds of the line before (BSD and
 * RFC 5424), and gives up where the full parser would refuse them. */
#define TCP_CSV                                                                \
	"53,,,1000000301,em0,match,block,in,4,0x0,,64,420,0,none,6,tcp,"       \
	"460,10.0.2.2,10.0.2.15,53742,22,420,PA,29633380:29633800,"            \
	"3617062173,65535,,"

static void
test_memo_seconds(void **state)
{
	(void)state;
	static const char *const lines[] = {
	    "May  3 00:00:59 fw filterlog[1]: " TCP_CSV,
	    "May  3 00:00:07 fw filterlog[1]: " TCP_CSV,
	    "May  3 00:00:60 fw filterlog[1]: " TCP_CSV, /* leap second */
	    "May  3 00:00:61 fw filterlog[1]: " TCP_CSV, /* refused */
	    "May  3 00:00:6x fw filterlog[1]: " TCP_CSV,
	    "May  3 00:01:00 fw filterlog[1]: " TCP_CSV, /* a new minute */
	    "May  3 00:01:09 fw filterlog[2]: " TCP_CSV, /* not the seconds */
	    "<134>1 2024-01-05T10:00:00+01:00 fw filterlog 1 - - " TCP_CSV,
	    "<134>1 2024-01-05T10:00:42+01:00 fw filterlog 1 - - " TCP_CSV,
	    "<134>1 2024-01-05T10:00:43.5+01:00 fw filterlog 1 - - " TCP_CSV,
	};
	static const int64_t want[] = {59, 7, 60, -1, -1, 60, 69, 0, 42, 43};
	struct fl_memo m = {0};
	int64_t base[2] = {0, 0};
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		struct fl_record fast, full;
		struct fl_error e;
		struct str line = str_from(lines[i]);
		bool ok = fl_parse_fast(line, &ctx, &m, &fast);
		assert_int_equal(ok, fl_parse_line(line, &ctx, &full, &e));
		assert_int_equal(ok, want[i] >= 0);
		if (!ok)
			continue;
		assert_memory_equal(&fast, &full, sizeof(fast));
		if (i == 0 || i == 7)
			base[i == 7] = full.ts - want[i];
		assert_int_equal(full.ts - base[i >= 7], want[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bsd_no_pid_tcp),
	    cmocka_unit_test(test_bsd_pid_and_padded_day),
	    cmocka_unit_test(test_bsd_no_host),
	    cmocka_unit_test(test_bsd_year_rollover),
	    cmocka_unit_test(test_bsd_with_pri),
	    cmocka_unit_test(test_rfc5424_meta),
	    cmocka_unit_test(test_rfc5424_dash_fraction),
	    cmocka_unit_test(test_rfc5424_no_pri),
	    cmocka_unit_test(test_remote_iso_bsd_tag),
	    cmocka_unit_test(test_bare_csv),
	    cmocka_unit_test(test_fragment),
	    cmocka_unit_test(test_ipv6_udp),
	    cmocka_unit_test(test_ipv6_tcp_uppercase_name),
	    cmocka_unit_test(test_icmpv6_empty),
	    cmocka_unit_test(test_carp),
	    cmocka_unit_test(test_icmp_request_glued),
	    cmocka_unit_test(test_icmp_needfrag),
	    cmocka_unit_test(test_icmp_unreach_kinds),
	    cmocka_unit_test(test_datalength_esp_gre),
	    cmocka_unit_test(test_unkn_and_error),
	    cmocka_unit_test(test_errors_have_columns),
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_fast_path_agrees),
	    cmocka_unit_test(test_fast_path_taken),
	    cmocka_unit_test(test_memo_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
