/* filterlog line parser, doc/behaviour/pfsense.md §3 (pfSense filterlog as
 * of 2.7 / master @9363ac5 and OPNsense 24.x/25.x: the CSV layout is the same).
 */
#include "import/logs/log_filterlog.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include "import/logs/log_filterlog_class.h"
#include "util/diag.h"

enum { FL_FIELDS_MAX = 64 };

/* The line being parsed: slices know their column through base. */
struct lp {
	const char *base;
	struct fl_error *err;
};

static bool
fail(struct lp *lp, const char *at, const char *msg)
{
	lp->err->col = (uint32_t)(at - lp->base) + 1;
	lp->err->msg = msg;
	return false;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
num(struct str s, uint64_t max, uint32_t *out)
{
	uint64_t v;
	if (!str_to_u64(s, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Fixed-width decimal digits at p (no sign). */
static bool
digits(const char *p, const char *end, int n, int *out)
{
	if (end - p < n)
		return false;
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
time_valid(int mo, int d, int h, int mi, int s)
{
	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 &&
	       mi <= 59 && s <= 60;
}

/* RFC 5424 §6.2.3 / RFC 3339: 2024-01-05T10:00:00[.123456](Z|+01:00). */
static const char *
parse_iso(const char *p, const char *end, struct fl_record *r)
{
	int y, mo, d, h, mi, s;
	if (!digits(p, end, 4, &y) || end - p < 19 || p[4] != '-' ||
	    !digits(p + 5, end, 2, &mo) || p[7] != '-' ||
	    !digits(p + 8, end, 2, &d) || (p[10] != 'T' && p[10] != ' ') ||
	    !digits(p + 11, end, 2, &h) || p[13] != ':' ||
	    !digits(p + 14, end, 2, &mi) || p[16] != ':' ||
	    !digits(p + 17, end, 2, &s) || !time_valid(mo, d, h, mi, s))
		return NULL;
	p += 19;
	r->usec = 0;
	if (p < end && *p == '.') {
		uint32_t scale = 100000;
		for (p++; p < end && is_digit(*p); p++, scale /= 10)
			r->usec += (uint32_t)(*p - '0') * scale;
	}
	r->ts = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	r->has_ts = true;
	if (p < end && (*p == 'Z' || *p == 'z')) {
		r->has_tz = true;
		return p + 1;
	}
	int th, tm;
	if (end - p >= 6 && (*p == '+' || *p == '-') &&
	    digits(p + 1, end, 2, &th) && p[3] == ':' &&
	    digits(p + 4, end, 2, &tm) && th <= 23 && tm <= 59) {
		r->has_tz = true;
		r->tz_min = (*p == '-' ? -1 : 1) * (th * 60 + tm);
		r->ts -= r->tz_min * 60;
		return p + 6;
	}
	return p; /* no zone: wall clock taken as UTC */
}

/* RFC 3164 §4.1.2: "Sep 28 10:38:09", day space-padded ("Nov  8"). */
static const char *
parse_bsd(const char *p, const char *end, const struct fl_ctx *ctx,
	  struct fl_record *r)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (end - p < 15 || p[3] != ' ')
		return NULL;
	int mo = 0;
	for (int i = 0; i < 12 && mo == 0; i++)
		if (p[0] == months[3 * i] && p[1] == months[3 * i + 1] &&
		    p[2] == months[3 * i + 2])
			mo = i + 1;
	int d, h, mi, s;
	char dd[2] = {p[4] == ' ' ? '0' : p[4], p[5]};
	if (mo == 0 || !digits(dd, dd + 2, 2, &d) || p[6] != ' ' ||
	    !digits(p + 7, end, 2, &h) || p[9] != ':' ||
	    !digits(p + 10, end, 2, &mi) || p[12] != ':' ||
	    !digits(p + 13, end, 2, &s) || !time_valid(mo, d, h, mi, s))
		return NULL;
	int y = ctx && ctx->ref_year ? ctx->ref_year : 1970;
	if (ctx && ctx->ref_month && mo > ctx->ref_month)
		y--; /* December lines in a file last written in January */
	r->ts = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	r->has_ts = true;
	return p + 15;
}

/* RFC 5424 §6.3 STRUCTURED-DATA: "-" or one or more [id k="v" ...]. */
static const char *
skip_sd(const char *p, const char *end)
{
	if (p < end && *p == '-')
		return p + 1;
	if (p >= end || *p != '[')
		return NULL;
	while (p < end && *p == '[') {
		bool quoted = false;
		for (p++; p < end; p++) {
			if (quoted && *p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				quoted = !quoted;
			else if (!quoted && *p == ']')
				break;
		}
		if (p >= end)
			return NULL;
		p++;
	}
	return p;
}

static const char *
token_end(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	return p;
}

/* After "filterlog": "[pid]:" / ":" (BSD and remote receivers) or
 * " PROCID MSGID SD" (RFC 5424). Returns the start of the CSV. */
static const char *
parse_tag(struct lp *lp, const char *p, const char *end, struct fl_record *r)
{
	if (p < end && *p == '[') {
		while (p < end && *p != ']')
			p++;
		if (p >= end)
			return fail(lp, p,
				    "unterminated [pid] after filterlog"),
			       NULL;
		p++;
	}
	if (p < end && *p == ':') {
		r->env = FL_ENV_BSD;
		p++;
		return p < end && *p == ' ' ? p + 1 : p;
	}
	if (p >= end || *p != ' ')
		return fail(lp, p, "expected ':' or ' ' after filterlog"), NULL;
	r->env = FL_ENV_RFC5424;
	p = token_end(p + 1, end); /* PROCID */
	if (p >= end)
		return fail(lp, p, "RFC 5424 header ends before MSGID"), NULL;
	p = token_end(p + 1, end); /* MSGID */
	if (p >= end)
		return fail(lp, p,
			    "RFC 5424 header ends before "
			    "structured data"),
		       NULL;
	const char *q = skip_sd(p + 1, end);
	if (q == NULL)
		return fail(lp, p + 1, "bad RFC 5424 structured data"), NULL;
	if (q < end && *q == ' ')
		q++;
	if (end - q >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0)
		q += 3; /* RFC 5424 §6.4 BOM before a UTF-8 MSG */
	return q;
}

static bool
is_tag(const char *p, const char *end)
{
	return end - p >= 9 && memcmp(p, "filterlog", 9) == 0 &&
	       (end - p == 9 || p[9] == '[' || p[9] == ':' || p[9] == ' ');
}

/* The syslog envelope; *csv gets the filterlog CSV, *secs (when not
 * NULL) the two digits of the timestamp's seconds or NULL. */
static bool
parse_envelope(struct lp *lp, struct str line, const struct fl_ctx *ctx,
	       struct fl_record *r, struct str *csv, const char **secs)
{
	const char *p = line.p, *end = line.p + line.n;
	bool pri = false;
	if (p < end && *p == '<') {
		const char *q = p + 1;
		while (q < end && q - p <= 4 && is_digit(*q))
			q++;
		if (q == p + 1 || q >= end || *q != '>')
			return fail(lp, q, "bad syslog <PRI>");
		p = q + 1;
		pri = true;
	}
	if (end - p > 2 && is_digit(p[0]) && p[1] == ' ' && is_digit(p[2]))
		p += 2; /* RFC 5424 VERSION, also without <PRI> */
	const char *q = parse_iso(p, end, r), *sec = p + 17;
	if (q == NULL) {
		q = parse_bsd(p, end, ctx, r);
		sec = p + 13;
	}
	if (secs)
		*secs = q ? sec : NULL;
	if (q == NULL) {
		if (!pri && p == line.p && p < end && is_digit(*p)) {
			r->env = FL_ENV_BARE;
			*csv = line;
			return true;
		}
		return fail(lp, p,
			    "not a filterlog line: no syslog "
			    "timestamp and no CSV");
	}
	if (q >= end || *q != ' ')
		return fail(lp, q, "expected a space after the timestamp");
	p = q + 1;
	if (!is_tag(p, end)) {
		const char *h = p;
		p = token_end(p, end);
		r->host = (struct str){h, (size_t)(p - h)};
		if (p < end)
			p++;
		if (!is_tag(p, end))
			return fail(lp, p, "no 'filterlog' tag after the host");
	}
	p = parse_tag(lp, p + 9, end, r);
	if (p == NULL)
		return false;
	*csv = (struct str){p, (size_t)(end - p)};
	return true;
}

static const struct {
	const char *name;
	enum fl_action act;
} actions[] = {
    {"pass", FL_ACT_PASS},
    {"block", FL_ACT_BLOCK},
    {"scrub", FL_ACT_SCRUB},
    {"nat", FL_ACT_NAT},
    {"binat", FL_ACT_BINAT},
    {"rdr", FL_ACT_RDR},
    {"synproxy-drop", FL_ACT_SYNPROXY_DROP},
};

const char *
fl_action_name(enum fl_action a)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(*actions); i++)
		if (actions[i].act == a)
			return actions[i].name;
	return "unkn";
}

static bool
parse_action(struct lp *lp, struct str f, struct fl_record *r)
{
	r->action_text = f;
	for (size_t i = 0; i < sizeof(actions) / sizeof(*actions); i++)
		if (str_eq(f, actions[i].name)) {
			r->action = actions[i].act;
			return true;
		}
	/* syslog.inc:1540: pf "match" and unknown actions print unkn(%u) */
	if (str_starts(f, "unkn(") && f.n > 6 && f.p[f.n - 1] == ')' &&
	    num((struct str){f.p + 5, f.n - 6}, UINT32_MAX, &r->unkn)) {
		r->action = FL_ACT_UNKN;
		return true;
	}
	return fail(lp, f.p, "unknown action (pass, block, unkn(N), ...)");
}

/* [0-9A-Za-z._:-] as a bit set of the 128 ASCII codes. */
static bool
ident_char(unsigned char c)
{
	static const uint64_t set[2] = {
	    0x07ff600000000000ull, /* - . 0-9 : */
	    0x07fffffe87fffffeull, /* A-Z _ a-z */
	};
	return c < 128 && (set[c >> 6] >> (c & 63) & 1);
}

static bool
ident_ok(struct str f, size_t max, bool allow_empty)
{
	if (f.n > max || (f.n == 0 && !allow_empty))
		return false;
	for (size_t i = 0; i < f.n; i++)
		if (!ident_char((unsigned char)f.p[i]))
			return false;
	return true;
}

/* Fields 1-9 (and error=): doc/behaviour/pfsense.md §3.2 "Common". */
static bool
parse_common(struct lp *lp, const struct str *f, size_t nf, size_t *i,
	     struct fl_record *r)
{
	if (nf < 9)
		return fail(lp, f[nf - 1].p + f[nf - 1].n,
			    "too few fields: the 9 common fields end here");
	if (f[0].n && !num(f[0], UINT32_MAX, &r->rulenr))
		return fail(lp, f[0].p, "rule number is not a number");
	r->subrule = f[1];
	r->anchor = f[2];
	r->tracker = f[3];
	if (!ident_ok(f[3], 64, true))
		return fail(lp, f[3].p, "bad tracker (rule id)");
	r->iface = f[4];
	if (!ident_ok(f[4], 32, false))
		return fail(lp, f[4].p, "bad interface name");
	r->reason = f[5];
	if (!ident_ok(f[5], 32, false))
		return fail(lp, f[5].p, "bad reason");
	if (!parse_action(lp, f[6], r))
		return false;
	if (str_eq(f[7], "in"))
		r->dir = PDIR_IN;
	else if (str_eq(f[7], "out"))
		r->dir = PDIR_OUT;
	else
		return fail(lp, f[7].p, "direction is not 'in' or 'out'");
	if (str_eq(f[8], "4") || str_eq(f[8], "6"))
		r->ipver = (uint8_t)(f[8].p[0] - '0');
	else
		return fail(lp, f[8].p, "IP version is not 4 or 6");
	*i = 9;
	if (nf > 9 && str_starts(f[9], "error=")) {
		r->error = (struct str){f[9].p + 6, f[9].n - 6};
		*i = 10;
	}
	return true;
}

/* Dotted quad without inet_pton: the hot path of a 1 GB log. Anything
 * unusual falls back to ipaddr_parse(). */
static bool
fast_ip4(struct str f, struct ipaddr *a)
{
	uint32_t v = 0, octet = 0;
	unsigned dots = 0, nd = 0;
	for (size_t i = 0; i < f.n; i++) {
		char c = f.p[i];
		if (c == '.') {
			if (nd == 0 || ++dots > 3)
				return false;
			v = v << 8 | octet;
			octet = nd = 0;
		} else if (is_digit(c) && nd < 3) {
			if (nd == 1 && octet == 0)
				return false; /* leading zero */
			octet = octet * 10 + (uint32_t)(c - '0');
			nd++;
			if (octet > 255)
				return false;
		} else
			return false;
	}
	if (dots != 3 || nd == 0)
		return false;
	a->fam = FAM_V4;
	a->v = v << 8 | octet;
	return true;
}

static bool
parse_addr(struct lp *lp, struct str f, uint8_t ipver, struct ipaddr *a)
{
	if (!(ipver == 4 && fast_ip4(f, a)) && !ipaddr_parse(f, a))
		return fail(lp, f.p, "bad IP address");
	if (a->fam != (ipver == 4 ? FAM_V4 : FAM_V6))
		return fail(lp, f.p,
			    "address family does not match the IP "
			    "version");
	return true;
}

/* IPv4: tos,ecn,ttl,id,offset,flags,protoid,protoname,length,src,dst */
static bool
parse_ip4(struct lp *lp, const struct str *f, struct fl_record *r)
{
	uint32_t v;
	r->tos = f[0];
	r->ecn = f[1];
	if (!num(f[2], 255, &v))
		return fail(lp, f[2].p, "bad TTL");
	r->ttl = (uint8_t)v;
	if (!num(f[3], 65535, &r->ipid))
		return fail(lp, f[3].p, "bad IP id");
	if (!num(f[4], 65535 * 8, &r->offset))
		return fail(lp, f[4].p, "bad fragment offset");
	r->ipflags = f[5];
	if (!num(f[6], 255, &v))
		return fail(lp, f[6].p, "bad protocol number");
	r->proto = (uint8_t)v;
	r->protoname = f[7];
	if (!num(f[8], 65535, &r->length))
		return fail(lp, f[8].p, "bad IP length");
	r->fragment = r->offset != 0;
	return parse_addr(lp, f[9], 4, &r->src) &&
	       parse_addr(lp, f[10], 4, &r->dst);
}

/* IPv6: class,flowlabel,hoplimit,protoname,protoid,length,src,dst */
static bool
parse_ip6(struct lp *lp, const struct str *f, struct fl_record *r)
{
	uint32_t v;
	r->tos = f[0];
	r->flowlabel = f[1];
	if (!num(f[2], 255, &v))
		return fail(lp, f[2].p, "bad hop limit");
	r->ttl = (uint8_t)v;
	r->protoname = f[3];
	if (!num(f[4], 255, &v))
		return fail(lp, f[4].p, "bad protocol number");
	r->proto = (uint8_t)v;
	if (!num(f[5], 65535, &r->length))
		return fail(lp, f[5].p, "bad IPv6 payload length");
	return parse_addr(lp, f[6], 6, &r->src) &&
	       parse_addr(lp, f[7], 6, &r->dst);
}

static bool
parse_ports(struct lp *lp, const struct str *f, struct fl_record *r)
{
	uint32_t s, d;
	if (!num(f[0], 65535, &s))
		return fail(lp, f[0].p, "bad source port");
	if (!num(f[1], 65535, &d))
		return fail(lp, f[1].p, "bad destination port");
	if (!num(f[2], 65535, &r->datalen))
		return fail(lp, f[2].p, "bad data length");
	r->sport = (uint16_t)s;
	r->dport = (uint16_t)d;
	r->has_ports = true;
	return true;
}

static bool
seq_ok(struct str s)
{
	struct str a, b;
	uint64_t v;
	if (s.n == 0)
		return true;
	if (!str_split(s, ':', &a, &b))
		return str_to_u64(s, UINT32_MAX, &v);
	return str_to_u64(a, UINT32_MAX, &v) && str_to_u64(b, UINT64_MAX, &v);
}

/* Bits of the TCP flag letters of f; the offset of the first unknown
 * letter, or f.n. */
static size_t
tcp_flag_bits(struct str f, uint8_t *bits)
{
	for (size_t i = 0; i < f.n; i++) {
		uint8_t b;
		switch (f.p[i]) {
		case 'F':
			b = FL_TCP_FIN;
			break;
		case 'S':
			b = FL_TCP_SYN;
			break;
		case 'R':
			b = FL_TCP_RST;
			break;
		case 'P':
			b = FL_TCP_PSH;
			break;
		case 'A':
			b = FL_TCP_ACK;
			break;
		case 'U':
			b = FL_TCP_URG;
			break;
		case 'E':
			b = FL_TCP_ECE;
			break;
		case 'C':
			b = FL_TCP_CWR;
			break;
		default:
			return i;
		}
		*bits |= b;
	}
	return f.n;
}

/* TCP (print-tcp.c): sport,dport,datalen,flags,seq,ack,window,urg,opts */
static bool
parse_tcp(struct lp *lp, const struct str *f, size_t n, struct fl_record *r)
{
	if (n != 9)
		return fail(lp, f[n < 9 ? n - 1 : 9].p,
			    n < 9 ? "TCP: too few fields (9 expected after "
				    "the addresses)"
				  : "TCP: too many fields (9 expected after "
				    "the addresses)");
	if (!parse_ports(lp, f, r))
		return false;
	r->tcpflags = f[3];
	size_t at = tcp_flag_bits(f[3], &r->tcpflagbits);
	if (at < f[3].n)
		return fail(lp, f[3].p + at, "TCP: unknown flag letter");
	r->seq = f[4];
	r->ack = f[5];
	uint64_t v;
	if (!seq_ok(f[4]))
		return fail(lp, f[4].p, "TCP: bad sequence number");
	if (f[5].n && !str_to_u64(f[5], UINT32_MAX, &v))
		return fail(lp, f[5].p, "TCP: bad acknowledgment number");
	if (f[6].n && !num(f[6], 65535, &r->window))
		return fail(lp, f[6].p, "TCP: bad window");
	r->urg = f[7];
	r->tcpopts = f[8];
	r->l4 = FL_L4_TCP;
	return true;
}

/* Decimal digits of v into buf (no NUL); returns their count. */
static size_t
u32_digits(uint32_t v, char buf[10])
{
	char t[10];
	size_t n = 0, k = 0;
	do
		t[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		buf[k++] = t[--n];
	return k;
}

/* print-icmp.c prints the ICMP payload length right after the last field,
 * without a comma ("request,40169,0" + "64" = "request,40169,064"). The
 * length is the IP length minus a 20-byte header; it is only stripped when
 * something is left before it. */
static struct str
unglue(struct str f, uint32_t length, bool numeric, uint32_t *glued)
{
	if (length <= 20)
		return f;
	char g[10];
	size_t k = u32_digits(length - 20, g);
	if (f.n <= k || memcmp(f.p + f.n - k, g, k) != 0)
		return f;
	if (!numeric && is_digit(f.p[f.n - k - 1]))
		return f;
	*glued = length - 20;
	return (struct str){f.p, f.n - k};
}

static const struct {
	const char *name;
	enum fl_icmp kind;
	unsigned nfields; /* after the name; 0 = free text */
} icmp_kinds[] = {
    {"request", FL_ICMP_REQUEST, 2},
    {"reply", FL_ICMP_REPLY, 2},
    {"unreachproto", FL_ICMP_UNREACHPROTO, 2},
    {"unreachport", FL_ICMP_UNREACHPORT, 3},
    {"needfrag", FL_ICMP_NEEDFRAG, 2},
    {"tstamp", FL_ICMP_TSTAMP, 2},
    {"tstampreply", FL_ICMP_TSTAMPREPLY, 5},
};

static bool
parse_icmp_fixed(struct lp *lp, const struct str *f, struct fl_record *r)
{
	switch (r->icmp) {
	case FL_ICMP_REQUEST:
	case FL_ICMP_REPLY:
	case FL_ICMP_TSTAMP:
	case FL_ICMP_TSTAMPREPLY:
		if (!num(f[1], 65535, &r->icmp_id))
			return fail(lp, f[1].p, "ICMP: bad id");
		if (!num(f[2], 65535, &r->icmp_seq))
			return fail(lp, f[2].p, "ICMP: bad sequence");
		return true;
	case FL_ICMP_NEEDFRAG:
		if (!num(f[2], 65535, &r->icmp_mtu))
			return fail(lp, f[2].p, "ICMP needfrag: bad MTU");
		break;
	case FL_ICMP_UNREACHPORT: {
		uint32_t port;
		if (!num(f[3], 65535, &port))
			return fail(lp, f[3].p, "ICMP unreachport: bad port");
		r->icmp_port = (uint16_t)port;
	}
		/* fall through */
	case FL_ICMP_UNREACHPROTO:
		r->icmp_proto = f[2];
		break;
	default:
		return true;
	}
	if (!ipaddr_parse(f[1], &r->icmp_dst))
		return fail(lp, f[1].p, "ICMP: bad quoted destination");
	r->has_icmp_dst = true;
	return true;
}

static bool
parse_icmp(struct lp *lp, const struct str *fin, size_t n, struct str rest,
	   struct fl_record *r)
{
	struct str f[6];
	r->l4 = FL_L4_ICMP;
	r->icmp_name = fin[0];
	r->icmp = FL_ICMP_TEXT;
	unsigned want = 0;
	for (size_t i = 0; i < sizeof(icmp_kinds) / sizeof(*icmp_kinds); i++)
		if (str_eq(fin[0], icmp_kinds[i].name)) {
			r->icmp = icmp_kinds[i].kind;
			want = icmp_kinds[i].nfields;
		}
	if (want == 0) { /* unreach, timexceed, paramprob, redirect, ... */
		struct str t = {rest.p + fin[0].n, rest.n - fin[0].n};
		if (t.n && t.p[0] == ',') {
			t.p++;
			t.n--;
		}
		r->icmp_text = unglue(t, r->length, false, &r->icmp_glued);
		return true;
	}
	if (n != want + 1)
		return fail(lp, fin[n <= want ? n - 1 : want + 1].p,
			    "ICMP: wrong number of fields for this type");
	memcpy(f, fin, (want + 1) * sizeof(*f));
	f[want] = unglue(f[want], r->length, true, &r->icmp_glued);
	return parse_icmp_fixed(lp, f, r);
}

/* CARP (112): type,ttl,vhid,version,advskew,advbase (syslog.inc order) */
static bool
parse_carp(struct lp *lp, const struct str *f, size_t n, struct fl_record *r)
{
	uint32_t v[5];
	if (n != 6)
		return fail(lp, f[n < 6 ? n - 1 : 6].p,
			    "CARP: 6 fields expected after the addresses");
	r->carp_type = f[0];
	for (int i = 0; i < 5; i++)
		if (!num(f[i + 1], 255, &v[i]))
			return fail(lp, f[i + 1].p, "CARP: bad number");
	r->carp_ttl = (uint8_t)v[0];
	r->carp_vhid = (uint8_t)v[1];
	r->carp_version = (uint8_t)v[2];
	r->carp_advskew = (uint8_t)v[3];
	r->carp_advbase = (uint8_t)v[4];
	r->l4 = FL_L4_CARP;
	return true;
}

/* Everything after the addresses; rest is the raw text of f[0..n). */
static bool
parse_l4(struct lp *lp, const struct str *f, size_t n, struct str rest,
	 struct fl_record *r)
{
	if (n == 0 || (n == 1 && f[0].n == 0) || r->fragment)
		return true; /* non-first fragment, ICMPv6, IPv6 CARP */
	if (str_starts(f[0], "datalength=")) {
		struct str v = str_trim((struct str){f[0].p + 11, f[0].n - 11});
		if (n != 1 || !num(v, UINT32_MAX, &r->datalen))
			return fail(lp, f[0].p, "bad datalength=");
		r->l4 = FL_L4_DATALEN;
		return true;
	}
	if (str_eq(f[0], "IPV4-IN-IPV4") || str_eq(f[0], "IPV6-IN-IPV4")) {
		r->l4 = FL_L4_IPINIP;
		return true;
	}
	switch (r->proto) {
	case PROTO_TCP:
		return parse_tcp(lp, f, n, r);
	case PROTO_UDP:
	case 132: /* SCTP */
		if (n != 3)
			return fail(lp, f[n < 3 ? n - 1 : 3].p,
				    "UDP: 3 fields expected after the "
				    "addresses");
		r->l4 = FL_L4_UDP;
		return parse_ports(lp, f, r);
	case PROTO_ICMP:
		if (r->ipver == 4)
			return parse_icmp(lp, f, n, rest, r);
		break;
	case 112:
		return parse_carp(lp, f, n, r);
	}
	r->l4 = FL_L4_OTHER;
	return true;
}

/* One pass over the bytes: memchr per field costs more than the field. */
static size_t
split_csv(struct str csv, struct str *f, size_t max, bool *more)
{
	size_t n = 0;
	const char *p = csv.p, *start = p, *end = p + csv.n;
	*more = false;
	for (; p < end; p++) {
		if (*p != ',')
			continue;
		if (n == max - 1) {
			*more = true;
			f[n++] = (struct str){start, (size_t)(p - start)};
			return n;
		}
		f[n++] = (struct str){start, (size_t)(p - start)};
		start = p + 1;
	}
	f[n++] = (struct str){start, (size_t)(end - start)};
	return n;
}

static struct str
trim_end(struct str line)
{
	while (line.n &&
	       (line.p[line.n - 1] == '\r' || line.p[line.n - 1] == ' ' ||
		line.p[line.n - 1] == '\n'))
		line.n--;
	return line;
}

bool
fl_parse_line(struct str line, const struct fl_ctx *ctx, struct fl_record *r,
	      struct fl_error *err)
{
	struct lp lp = {line.p, err};
	struct str f[FL_FIELDS_MAX], csv;
	memset(r, 0, sizeof(*r));
	err->col = 0;
	err->msg = NULL;
	line = trim_end(line);
	if (!parse_envelope(&lp, line, ctx, r, &csv, NULL))
		return false;
	bool more;
	size_t nf = split_csv(csv, f, FL_FIELDS_MAX, &more), i;
	if (more)
		return fail(&lp, f[FL_FIELDS_MAX - 1].p, "too many fields");
	if (!parse_common(&lp, f, nf, &i, r))
		return false;
	size_t nip = r->ipver == 4 ? 11 : 8;
	if (nf - i < nip)
		return fail(&lp, f[nf - 1].p + f[nf - 1].n,
			    "too few fields for the IP header");
	if (!(r->ipver == 4 ? parse_ip4(&lp, f + i, r)
			    : parse_ip6(&lp, f + i, r)))
		return false;
	i += nip;
	struct str rest = {csv.p + csv.n, 0};
	if (i < nf)
		rest = (struct str){f[i].p, (size_t)(csv.p + csv.n - f[i].p)};
	return parse_l4(&lp, f + i, nf - i, rest, r);
}

/* The fast path: one pass over the CSV with no field table. Each fc_*
 * helper reads one field and the ',' after it and returns false on
 * anything it is not sure of; fl_parse_fast() then gives up and the
 * caller asks fl_parse_line(), which decides and says why. The checks
 * are those of the full parser (the same helpers where possible): a line
 * accepted here is accepted there with the same record. */
struct fc {
	const char *p, *end;
};

/* The first ',' in [p, end), or end. Eight bytes at a time where the
 * line has them: the lowest byte flagged by the zero-byte test is
 * always a real ',' (false hits only follow a real one). */
static const char *
find_comma(const char *p, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ull;
	while (end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		w ^= ones * ',';
		w = (w - ones) & ~w & ones * 0x80;
		if (w)
			return p + (__builtin_ctzll(w) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p != ',')
		p++;
	return p;
}

/* A field up to the next ',' (consumed); false at the end of the line. */
static bool
fc_field(struct fc *c, struct str *f)
{
	const char *p = find_comma(c->p, c->end);
	if (p >= c->end)
		return false;
	*f = (struct str){c->p, (size_t)(p - c->p)};
	c->p = p + 1;
	return true;
}

/* 1 to 'most' (at most 19) digits: their value, without overflow. */
static bool
fc_digits(struct fc *c, long most, uint64_t *v)
{
	const char *p = c->p, *lim = c->end - p > most ? p + most : c->end;
	uint64_t x = 0;
	for (; p < lim && (unsigned char)(*p - '0') < 10; p++)
		x = x * 10 + (uint64_t)(*p - '0');
	if (p == c->p)
		return false;
	c->p = p;
	*v = x;
	return true;
}

/* The separator after a field: ',' (consumed) or, when last, the end. */
static bool
fc_sep(struct fc *c, bool last)
{
	if (last)
		return c->p == c->end;
	if (c->p >= c->end || *c->p != ',')
		return false;
	c->p++;
	return true;
}

/* 1-10 digits, at most max, then ',' or, when last, the end of the line:
 * what num() accepts, minus the long forms left to the full parser. */
static bool
fc_num(struct fc *c, uint32_t max, bool last, uint32_t *v)
{
	uint64_t x;
	if (!fc_digits(c, 10, &x) || x > max || !fc_sep(c, last))
		return false;
	*v = (uint32_t)x;
	return true;
}

/* An empty field, or a number at most max (TCP ack, window). */
static bool
fc_opt_num(struct fc *c, uint32_t max, struct str *f, uint32_t *v)
{
	f->p = c->p;
	if (c->p < c->end && *c->p == ',') {
		f->n = 0;
		c->p++;
		return true;
	}
	uint64_t x;
	if (!fc_digits(c, 10, &x) || x > max)
		return false;
	f->n = (size_t)(c->p - f->p);
	*v = (uint32_t)x;
	return fc_sep(c, false);
}

/* TCP sequence as seq_ok() takes it: empty, N or N:M. */
static bool
fc_seq(struct fc *c, struct str *f)
{
	uint64_t x;
	f->p = c->p;
	if (c->p < c->end && *c->p != ',') {
		if (!fc_digits(c, 10, &x) || x > UINT32_MAX)
			return false;
		if (c->p < c->end && *c->p == ':') {
			c->p++;
			if (!fc_digits(c, 19, &x))
				return false;
		}
	}
	f->n = (size_t)(c->p - f->p);
	return fc_sep(c, false);
}

/* A dotted quad as fast_ip4() reads it: no leading zeros. */
static bool
fc_ip4(struct fc *c, struct ipaddr *a)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		if (i && (c->p >= c->end || *c->p++ != '.'))
			return false;
		const char *p = c->p;
		uint64_t o;
		if (!fc_digits(c, 3, &o) || o > 255 ||
		    (c->p - p > 1 && *p == '0'))
			return false;
		v = v << 8 | (uint32_t)o;
	}
	a->fam = FAM_V4;
	a->v = v;
	return true;
}

static bool
fc_word(struct fc *c, const char *w, size_t n)
{
	if ((size_t)(c->end - c->p) <= n || c->p[n] != ',')
		return false;
	for (size_t i = 0; i < n; i++) /* 1-3 bytes: no memcmp call */
		if (c->p[i] != w[i])
			return false;
	c->p += n + 1;
	return true;
}

/* pass and block without a call; the rest as parse_action() reads them. */
static bool
fc_action(struct lp *lp, struct str f, struct fl_record *r)
{
	if (f.n == 5 && f.p[0] == 'b' && memcmp(f.p, "block", 5) == 0) {
		r->action = FL_ACT_BLOCK;
		r->action_text = f;
		return true;
	}
	if (f.n == 4 && f.p[0] == 'p' && memcmp(f.p, "pass", 4) == 0) {
		r->action = FL_ACT_PASS;
		r->action_text = f;
		return true;
	}
	return parse_action(lp, f, r);
}

/* Not "error=" next: parse_common() reads it, the fast paths do not. */
static bool
fc_no_error(const char *p, const char *end)
{
	return p == end || *p != 'e' || (size_t)(end - p) < 6 ||
	       memcmp(p, "error=", 6) != 0;
}

/* Fields 1-9 as parse_common() reads them, without error=. */
static bool
fc_common(struct fc *c, struct lp *lp, struct fl_record *r)
{
	struct str f;
	if (c->p < c->end && *c->p == ',')
		c->p++; /* no rule number */
	else if (!fc_num(c, UINT32_MAX, false, &r->rulenr))
		return false;
	if (!fc_field(c, &r->subrule) || !fc_field(c, &r->anchor) ||
	    !fc_field(c, &r->tracker) || !ident_ok(r->tracker, 64, true) ||
	    !fc_field(c, &r->iface) || !ident_ok(r->iface, 32, false) ||
	    !fc_field(c, &r->reason) || !ident_ok(r->reason, 32, false) ||
	    !fc_field(c, &f))
		return false;
	if (!fc_action(lp, f, r))
		return false;
	if (fc_word(c, "in", 2))
		r->dir = PDIR_IN;
	else if (fc_word(c, "out", 3))
		r->dir = PDIR_OUT;
	else
		return false;
	if (fc_word(c, "4", 1))
		r->ipver = 4;
	else if (fc_word(c, "6", 1))
		r->ipver = 6;
	else
		return false;
	return fc_no_error(c->p, c->end);
}

/* Source and destination; the destination may end the line. */
static bool
fc_addrs(struct fc *c, struct lp *lp, struct fl_record *r)
{
	struct str f;
	if (r->ipver == 4)
		return fc_ip4(c, &r->src) && fc_sep(c, false) &&
		       fc_ip4(c, &r->dst) && (c->p == c->end || *c->p == ',');
	if (!fc_field(c, &f) || !parse_addr(lp, f, r->ipver, &r->src))
		return false;
	const char *p = c->p;
	while (p < c->end && *p != ',')
		p++;
	f = (struct str){c->p, (size_t)(p - c->p)};
	c->p = p;
	return parse_addr(lp, f, r->ipver, &r->dst);
}

/* The IP header as parse_ip4() / parse_ip6() read it; no fragments. */
static bool
fc_ip(struct fc *c, struct lp *lp, struct fl_record *r)
{
	uint32_t ttl, proto;
	if (r->ipver == 4) {
		if (!fc_field(c, &r->tos) || !fc_field(c, &r->ecn) ||
		    !fc_num(c, 255, false, &ttl) ||
		    !fc_num(c, 65535, false, &r->ipid) ||
		    !fc_num(c, 0, false, &r->offset) ||
		    !fc_field(c, &r->ipflags) ||
		    !fc_num(c, 255, false, &proto) ||
		    !fc_field(c, &r->protoname))
			return false;
	} else if (!fc_field(c, &r->tos) || !fc_field(c, &r->flowlabel) ||
		   !fc_num(c, 255, false, &ttl) ||
		   !fc_field(c, &r->protoname) ||
		   !fc_num(c, 255, false, &proto))
		return false;
	r->ttl = (uint8_t)ttl;
	r->proto = (uint8_t)proto;
	return fc_num(c, 65535, false, &r->length) && fc_addrs(c, lp, r);
}

/* TCP as parse_tcp() reads it: exactly 9 fields. */
static bool
fc_tcp(struct fc *c, struct fl_record *r)
{
	uint32_t sport, dport, ack;
	struct str w;
	if (!fc_num(c, 65535, false, &sport) ||
	    !fc_num(c, 65535, false, &dport) ||
	    !fc_num(c, 65535, false, &r->datalen) ||
	    !fc_field(c, &r->tcpflags) ||
	    tcp_flag_bits(r->tcpflags, &r->tcpflagbits) < r->tcpflags.n ||
	    !fc_seq(c, &r->seq) || !fc_opt_num(c, UINT32_MAX, &r->ack, &ack) ||
	    !fc_opt_num(c, 65535, &w, &r->window) || !fc_field(c, &r->urg) ||
	    memchr(c->p, ',', (size_t)(c->end - c->p)) != NULL)
		return false;
	r->tcpopts = (struct str){c->p, (size_t)(c->end - c->p)};
	r->sport = (uint16_t)sport;
	r->dport = (uint16_t)dport;
	r->has_ports = true;
	r->l4 = FL_L4_TCP;
	return true;
}

/* ICMP echo request/reply as parse_icmp() reads them; other types are
 * left to the full parser. */
static bool
fc_echo(struct fc *c, struct fl_record *r)
{
	struct str name;
	if (!fc_field(c, &name))
		return false;
	if (str_eq(name, "request"))
		r->icmp = FL_ICMP_REQUEST;
	else if (str_eq(name, "reply"))
		r->icmp = FL_ICMP_REPLY;
	else
		return false;
	if (!fc_num(c, 65535, false, &r->icmp_id) ||
	    memchr(c->p, ',', (size_t)(c->end - c->p)) != NULL)
		return false;
	struct str seq = unglue((struct str){c->p, (size_t)(c->end - c->p)},
				r->length, true, &r->icmp_glued);
	if (!num(seq, 65535, &r->icmp_seq))
		return false;
	r->icmp_name = name;
	r->l4 = FL_L4_ICMP;
	return true;
}

/* After the addresses, as parse_l4() reads the common cases. */
static bool
fc_l4(struct fc *c, struct fl_record *r)
{
	if (c->p == c->end)
		return true; /* nothing after the addresses */
	c->p++;		     /* the ',' after the destination */
	if (c->p == c->end)
		return true; /* one empty field: ICMPv6 */
	if ((size_t)(c->end - c->p) > 11 &&
	    memcmp(c->p, "datalength=", 11) == 0) {
		c->p += 11;
		r->l4 = FL_L4_DATALEN;
		return fc_num(c, UINT32_MAX, true, &r->datalen);
	}
	uint32_t sport, dport;
	switch (r->proto) {
	case PROTO_TCP:
		return fc_tcp(c, r);
	case PROTO_UDP:
	case 132: /* SCTP */
		if (!fc_num(c, 65535, false, &sport) ||
		    !fc_num(c, 65535, false, &dport) ||
		    !fc_num(c, 65535, true, &r->datalen))
			return false;
		r->sport = (uint16_t)sport;
		r->dport = (uint16_t)dport;
		r->has_ports = true;
		r->l4 = FL_L4_UDP;
		return true;
	case PROTO_ICMP:
		return r->ipver == 4 && fc_echo(c, r);
	}
	return false;
}

/* The envelope of the line before, when this line starts with the same
 * bytes but perhaps the timestamp's seconds (a log writes a few lines a
 * second: the seconds are what changes most). Its parse read nothing
 * past them but what decides where the CSV starts (a ' ' or a BOM after
 * the header): a line differing there gets a CSV starting with that
 * byte, which fc_common() rejects. The seconds count linearly in both
 * timestamp forms (parse_bsd(), parse_iso()), so a new second moves the
 * time by the difference; the memo takes the new second. */
static bool
memo_envelope(struct fl_memo *m, struct str line, struct fl_record *r,
	      struct str *csv)
{
	if (m->n == 0 || line.n <= m->n)
		return false;
	if (memcmp(line.p, m->head, m->n) != 0) {
		size_t s = m->sec_off;
		const char *d = line.p + s;
		if (s == 0 || memcmp(line.p, m->head, s) != 0 ||
		    memcmp(d + 2, m->head + s + 2, m->n - s - 2) != 0 ||
		    !is_digit(d[0]) || !is_digit(d[1]))
			return false;
		int sec = (d[0] - '0') * 10 + (d[1] - '0');
		if (sec > 60)
			return false; /* time_valid() */
		m->ts += sec - m->sec;
		m->sec = sec;
		memcpy(m->head + s, d, 2);
	}
	r->env = m->env;
	r->has_ts = m->has_ts;
	r->has_tz = m->has_tz;
	r->ts = m->ts;
	r->usec = m->usec;
	r->tz_min = m->tz_min;
	if (m->host_off) /* 1 + offset; 0: no host */
		r->host = (struct str){line.p + m->host_off - 1, m->host_n};
	*csv = (struct str){line.p + m->n, line.n - m->n};
	return true;
}

static void
memo_keep(struct fl_memo *m, struct str line, const struct fl_record *r,
	  struct str csv, const char *secs)
{
	size_t n = (size_t)(csv.p - line.p);
	m->n = n <= sizeof(m->head) ? n : 0;
	memcpy(m->head, line.p, m->n);
	m->env = r->env;
	m->has_ts = r->has_ts;
	m->has_tz = r->has_tz;
	m->ts = r->ts;
	m->usec = r->usec;
	m->tz_min = r->tz_min;
	m->host_off = r->host.p ? (size_t)(r->host.p - line.p) + 1 : 0;
	m->host_n = r->host.n;
	/* 0: no seconds to vary (no timestamp, or not inside the head) */
	m->sec_off = secs && secs > line.p && secs + 2 <= csv.p
			 ? (size_t)(secs - line.p)
			 : 0;
	m->sec = m->sec_off ? (secs[0] - '0') * 10 + (secs[1] - '0') : 0;
}

/* The mask parser: the fc_* checks again, on fields found from a comma
 * mask and checked against class masks (log_filterlog_class.h), so the
 * work per field does not depend on its length: no loop whose exit the
 * CPU mispredicts from line to line. It accepts exactly the lines the
 * fc_* helpers accept, with the same record (a unit test runs both over
 * every test line and its mutants). The CSV is copied into a buffer with
 * 16 bytes before it (digits are read as the 8 or 16 bytes that end at a
 * field's end) and zeros after it. */
#define MP_INLINE static inline __attribute__((always_inline))

enum {
	MP_COMMAS = 28, /* the most an accepted line has (IPv4 TCP) */
	MP_PAD = 16,
};

struct mp {
	const char *b;	  /* the copy */
	const char *orig; /* the CSV in the line, for the record's slices */
	uint16_t at[MP_COMMAS + 12]; /* start of field i; at[nf] = n + 1 */
	unsigned nf;
	struct flc_masks m;
};

/* Set bits of x without a call: x86-64 before POPCNT has no instruction
 * for it, and libgcc's function costs more than this. */
MP_INLINE unsigned
mp_popcount(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* 64 bits of a mask from bit s on. */
MP_INLINE uint64_t
bits_at(const uint64_t *m, size_t s)
{
	size_t w = s >> 6, sh = s & 63;
	return (m[w] >> sh) | ((m[w + 1] << 1) << (63 - sh));
}

MP_INLINE uint64_t
low_ones(size_t n)
{
	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

MP_INLINE size_t
mp_len(const struct mp *p, unsigned i)
{
	return (size_t)(p->at[i + 1] - 1 - p->at[i]);
}

static inline struct str
mp_str(const struct mp *p, unsigned i)
{
	return (struct str){p->orig + p->at[i], mp_len(p, i)};
}

/* Whether bytes [s, s + n) are all in mask m (n <= 64). */
MP_INLINE bool
mp_all(const uint64_t *m, size_t s, size_t n)
{
	uint64_t ones = low_ones(n);
	return (bits_at(m, s) & ones) == ones;
}

/* Up to 8 digit values in the high bytes of x (the low ones zero), the
 * first digit lowest: their number (the usual SWAR reduction: pairs,
 * fours, eight). */
MP_INLINE uint64_t
mp_eight(uint64_t x)
{
	x = x * 10 + (x >> 8);
	return (((x & 0x000000ff000000ffull) * (100 + (1000000ull << 32))) +
		(((x >> 16) & 0x000000ff000000ffull) *
		 (1 + (10000ull << 32)))) >>
	       32;
}

/* The digit values of the last min(n, 8) of the n digits that end at e,
 * in the high bytes (the others zero). */
MP_INLINE uint64_t
mp_low8(const char *e, size_t n)
{
	uint64_t lo;
	memcpy(&lo, e - 8, 8);
	return lo & 0x0f0f0f0f0f0f0f0full &
	       ~0ull << (8 * (8 - (n < 8 ? n : 8)));
}

/* The same of the n - 8 digits before those (0 when n <= 8). */
MP_INLINE uint64_t
mp_high8(const char *e, size_t n)
{
	uint64_t hi;
	memcpy(&hi, e - 16, 8);
	return n > 8 ? hi & 0x0f0f0f0f0f0f0f0full & ~0ull << (8 * (16 - n)) : 0;
}

/* Bytes [s, s + n) as fc_digits() + fc_sep() take them: 1-10 digits.
 * Below 10^8 (every ceiling but UINT32_MAX) the digits before the last
 * eight must be zeros and are not converted. */
MP_INLINE bool
mp_num_at(const struct mp *p, size_t s, size_t n, uint64_t max, uint32_t *v)
{
	if (n - 1 >= 10 || !mp_all(p->m.digit, s, n))
		return false;
	const char *e = p->b + s + n;
	uint64_t hi = mp_high8(e, n), x;
	if (max < 100000000) {
		if (hi != 0)
			return false;
		x = mp_eight(mp_low8(e, n));
	} else
		x = mp_eight(hi) * 100000000 + mp_eight(mp_low8(e, n));
	if (x > max)
		return false;
	*v = (uint32_t)x;
	return true;
}

MP_INLINE bool
mp_num(const struct mp *p, unsigned i, uint64_t max, uint32_t *v)
{
	return mp_num_at(p, p->at[i], mp_len(p, i), max, v);
}

/* An empty field or a number, as fc_opt_num(). */
MP_INLINE bool
mp_opt_num(const struct mp *p, unsigned i, uint64_t max, uint32_t *v)
{
	return mp_len(p, i) == 0 || mp_num(p, i, max, v);
}

MP_INLINE bool
mp_ident(const struct mp *p, unsigned i, size_t max, bool allow_empty)
{
	size_t n = mp_len(p, i);
	if (n > max || (n == 0 && !allow_empty))
		return false;
	return mp_all(p->m.ident, p->at[i], n);
}

MP_INLINE bool
mp_word(const struct mp *p, unsigned i, const char *w, size_t n)
{
	return mp_len(p, i) == n && memcmp(p->b + p->at[i], w, n) == 0;
}

/* One octet [s, e) of a dotted quad as fc_ip4() reads it. */
MP_INLINE bool
mp_octet(const char *q, size_t s, size_t e, uint32_t *v)
{
	size_t n = e - s;
	uint32_t x;
	if ((n - 1 >= 3) | ((n > 1) & (q[s] == '0')))
		return false;
	memcpy(&x, q + e - 4, 4);
	x &= 0x0f0f0f0fu & ~0u << (8 * (4 - n));
	x = ((x >> 8) & 0xff) * 100 + ((x >> 16) & 0xff) * 10 + (x >> 24);
	*v = *v << 8 | x;
	return x <= 255;
}

MP_INLINE bool
mp_ip4(const struct mp *p, unsigned i, struct ipaddr *a)
{
	size_t s = p->at[i], n = mp_len(p, i);
	if (n - 7 > 8)
		return false; /* 7-15 bytes */
	uint64_t ones = low_ones(n), dot = bits_at(p->m.dot, s) & ones;
	if (((bits_at(p->m.digit, s) & ones) | dot) != ones)
		return false;
	const char *q = p->b + s;
	size_t d1 = (size_t)__builtin_ctzll(dot | 1ull << 63);
	dot &= dot - 1;
	size_t d2 = (size_t)__builtin_ctzll(dot | 1ull << 63);
	dot &= dot - 1;
	size_t d3 = (size_t)__builtin_ctzll(dot | 1ull << 63);
	if (d3 >= n || (dot & (dot - 1)) != 0)
		return false; /* not 3 dots */
	uint32_t v = 0;
	if (!mp_octet(q, 0, d1, &v) || !mp_octet(q, d1 + 1, d2, &v) ||
	    !mp_octet(q, d2 + 1, d3, &v) || !mp_octet(q, d3 + 1, n, &v))
		return false;
	a->fam = FAM_V4;
	a->v = v;
	return true;
}

/* The field starts from the comma mask: 8 at a time whatever the count,
 * so the loop runs once or twice a word. False past MP_COMMAS. */
MP_INLINE bool
mp_split(struct mp *p, size_t n)
{
	unsigned nc = 0, k = 1;
	for (size_t w = 0; w * 64 < n; w++)
		nc += mp_popcount(p->m.comma[w]);
	if (nc > MP_COMMAS)
		return false;
	p->at[0] = 0;
	for (size_t w = 0; w * 64 < n; w++) {
		uint64_t c = p->m.comma[w];
		unsigned cnt = mp_popcount(c);
		uint16_t base = (uint16_t)(w * 64 + 1);
		for (unsigned j = 0; j < cnt; j += 8)
#pragma GCC unroll 8
			for (unsigned t = 0; t < 8; t++) {
				p->at[k + j + t] =
				    (uint16_t)(base +
					       __builtin_ctzll(c | 1ull << 63));
				c &= c - 1;
			}
		k += cnt;
	}
	p->nf = nc + 1;
	p->at[p->nf] = (uint16_t)(n + 1);
	return true;
}

/* Fields 1-9 as fc_common() reads them. */
MP_INLINE bool
mp_common(const struct mp *p, struct lp *lp, struct fl_record *r, size_t n)
{
	if (mp_len(p, 0) != 0 && !mp_num(p, 0, UINT32_MAX, &r->rulenr))
		return false;
	r->subrule = mp_str(p, 1);
	r->anchor = mp_str(p, 2);
	r->tracker = mp_str(p, 3);
	r->iface = mp_str(p, 4);
	r->reason = mp_str(p, 5);
	if (!mp_ident(p, 3, 64, true) || !mp_ident(p, 4, 32, false) ||
	    !mp_ident(p, 5, 32, false) || !fc_action(lp, mp_str(p, 6), r))
		return false;
	if (mp_word(p, 7, "in", 2))
		r->dir = PDIR_IN;
	else if (mp_word(p, 7, "out", 3))
		r->dir = PDIR_OUT;
	else
		return false;
	if (mp_word(p, 8, "4", 1))
		r->ipver = 4;
	else if (mp_word(p, 8, "6", 1))
		r->ipver = 6;
	else
		return false;
	return fc_no_error(p->b + p->at[9], p->b + n);
}

/* The IP header and addresses as fc_ip() reads them; *d: the index of
 * the destination. */
MP_INLINE bool
mp_ip(const struct mp *p, struct lp *lp, struct fl_record *r, unsigned *d)
{
	uint32_t ttl, proto;
	r->tos = mp_str(p, 9);
	if (r->ipver == 4) {
		r->ecn = mp_str(p, 10);
		r->ipflags = mp_str(p, 14);
		r->protoname = mp_str(p, 16);
		*d = 19;
		if (p->nf < 20 || !mp_num(p, 11, 255, &ttl) ||
		    !mp_num(p, 12, 65535, &r->ipid) ||
		    !mp_num(p, 13, 0, &r->offset) ||
		    !mp_num(p, 15, 255, &proto) ||
		    !mp_num(p, 17, 65535, &r->length) ||
		    !mp_ip4(p, 18, &r->src) || !mp_ip4(p, 19, &r->dst))
			return false;
	} else {
		r->flowlabel = mp_str(p, 10);
		r->protoname = mp_str(p, 12);
		*d = 16;
		if (!mp_num(p, 11, 255, &ttl) || !mp_num(p, 13, 255, &proto) ||
		    !mp_num(p, 14, 65535, &r->length) ||
		    !parse_addr(lp, mp_str(p, 15), 6, &r->src) ||
		    !parse_addr(lp, mp_str(p, 16), 6, &r->dst))
			return false;
	}
	r->ttl = (uint8_t)ttl;
	r->proto = (uint8_t)proto;
	return true;
}

/* A TCP sequence as fc_seq() takes it: empty, N or N:M. */
MP_INLINE bool
mp_seq(const struct mp *p, unsigned i)
{
	size_t s = p->at[i], n = mp_len(p, i);
	if (n == 0)
		return true;
	if (n > 30)
		return false;
	uint64_t dg = bits_at(p->m.digit, s) & low_ones(n);
	size_t nd = (size_t)__builtin_ctzll(~dg);
	uint32_t v;
	if (!mp_num_at(p, s, nd, UINT32_MAX, &v))
		return false;
	return nd == n || (p->b[s + nd] == ':' && n - nd - 2 < 19 &&
			   mp_all(p->m.digit, s + nd + 1, n - nd - 1));
}

/* TCP after the destination d, as fc_tcp(). */
MP_INLINE bool
mp_tcp(const struct mp *p, unsigned d, struct fl_record *r)
{
	uint32_t sport, dport, ack;
	if (p->nf != d + 10 || !mp_num(p, d + 1, 65535, &sport) ||
	    !mp_num(p, d + 2, 65535, &dport) ||
	    !mp_num(p, d + 3, 65535, &r->datalen))
		return false;
	r->tcpflags = mp_str(p, d + 4);
	r->seq = mp_str(p, d + 5);
	r->ack = mp_str(p, d + 6);
	r->urg = mp_str(p, d + 8);
	r->tcpopts = mp_str(p, d + 9);
	if (tcp_flag_bits(r->tcpflags, &r->tcpflagbits) < r->tcpflags.n ||
	    !mp_seq(p, d + 5) || !mp_opt_num(p, d + 6, UINT32_MAX, &ack) ||
	    !mp_opt_num(p, d + 7, 65535, &r->window))
		return false;
	r->sport = (uint16_t)sport;
	r->dport = (uint16_t)dport;
	r->has_ports = true;
	r->l4 = FL_L4_TCP;
	return true;
}

/* ICMP echo after the destination d, as fc_echo(). */
MP_INLINE bool
mp_echo(const struct mp *p, unsigned d, struct fl_record *r)
{
	struct str name = mp_str(p, d + 1);
	if (p->nf != d + 4)
		return false;
	if (str_eq(name, "request"))
		r->icmp = FL_ICMP_REQUEST;
	else if (str_eq(name, "reply"))
		r->icmp = FL_ICMP_REPLY;
	else
		return false;
	if (!mp_num(p, d + 2, 65535, &r->icmp_id))
		return false;
	struct str seq =
	    unglue(mp_str(p, d + 3), r->length, true, &r->icmp_glued);
	if (!num(seq, 65535, &r->icmp_seq))
		return false;
	r->icmp_name = name;
	r->l4 = FL_L4_ICMP;
	return true;
}

/* After the destination d, as fc_l4(). */
MP_INLINE bool
mp_l4(const struct mp *p, unsigned d, struct fl_record *r)
{
	unsigned rest = p->nf - 1 - d;
	if (rest == 0)
		return true; /* nothing after the addresses */
	size_t s = p->at[d + 1], n = mp_len(p, d + 1);
	uint32_t sport, dport;
	if (rest == 1 && n == 0)
		return true; /* one empty field: ICMPv6 */
	if (n > 11 && memcmp(p->b + s, "datalength=", 11) == 0) {
		r->l4 = FL_L4_DATALEN;
		return rest == 1 &&
		       mp_num_at(p, s + 11, n - 11, UINT32_MAX, &r->datalen);
	}
	switch (r->proto) {
	case PROTO_TCP:
		return mp_tcp(p, d, r);
	case PROTO_UDP:
	case 132: /* SCTP */
		if (rest != 3 || !mp_num(p, d + 1, 65535, &sport) ||
		    !mp_num(p, d + 2, 65535, &dport) ||
		    !mp_num(p, d + 3, 65535, &r->datalen))
			return false;
		r->sport = (uint16_t)sport;
		r->dport = (uint16_t)dport;
		r->has_ports = true;
		r->l4 = FL_L4_UDP;
		return true;
	case PROTO_ICMP:
		return r->ipver == 4 && mp_echo(p, d, r);
	}
	return false;
}

/* The CSV (at most FLC_MAX bytes) by the mask parser. */
MP_INLINE bool
mp_parse_inline(struct str csv, enum flc_how how, struct lp *lp,
		struct fl_record *r)
{
	_Alignas(64) char buf[MP_PAD + FLC_MAX + 64];
	struct mp p;
	unsigned d;
	p.b = buf + MP_PAD;
	p.orig = csv.p;
	memset(buf, 0, MP_PAD);
	/* 8 copies of 32 bytes, the last ones overlapping: no branch on the
	 * length (csv.n >= 32), no read outside the CSV */
	for (size_t i = 0; i < FLC_MAX / 32; i++) {
		size_t at = 32 * i < csv.n - 32 ? 32 * i : csv.n - 32;
		memcpy(buf + MP_PAD + at, csv.p + at, 32);
	}
	memset(buf + MP_PAD + csv.n, 0, 64);
	flc_classify(p.b, csv.n, how, &p.m);
	return mp_split(&p, csv.n) && p.nf >= 17 &&
	       mp_common(&p, lp, r, csv.n) && mp_ip(&p, lp, r, &d) &&
	       mp_l4(&p, d, r);
}

static bool
mp_parse(struct str csv, enum flc_how how, struct lp *lp, struct fl_record *r)
{
	return mp_parse_inline(csv, how, lp, r);
}

#if defined(__x86_64__)
/* The same compiled for the CPUs FLC_AVX2 runs on, which have POPCNT
 * and BMI2 too (flc_available()): one instruction each for
 * mp_popcount(), bits_at()'s shifts and the field starts' bit scans. */
#define MP_V3 "avx2,bmi,bmi2,popcnt,lzcnt"
__attribute__((target(MP_V3))) static bool
mp_parse_v3(struct str csv, struct lp *lp, struct fl_record *r)
{
	return mp_parse_inline(csv, FLC_AVX2, lp, r);
}

#endif

bool
fl_fast_available(enum fl_fast how)
{
	switch (how) {
	case FL_FAST_SSE2:
		return flc_available(FLC_SSE2);
	case FL_FAST_AVX2:
		return flc_available(FLC_AVX2);
	default:
		return true;
	}
}

bool
fl_parse_fast(struct str line, const struct fl_ctx *ctx, struct fl_memo *m,
	      struct fl_record *r)
{
	return fl_parse_fast_how(line, ctx, m, r, FL_FAST_BEST);
}

/* *r zeroed. gcc turns memset() of a struct this size (over 600 bytes)
 * into "rep stos", whose start-up costs more, once a line, than plain
 * vector stores. */
static void
record_clear(struct fl_record *r)
{
#if defined(__x86_64__)
	char *p = (char *)r;
	size_t i = 0;
#pragma GCC unroll 64
	for (; i + 16 <= sizeof(*r); i += 16)
		_mm_storeu_si128((__m128i *)(void *)(p + i),
				 _mm_setzero_si128());
	if (i < sizeof(*r))
		memset(p + i, 0, sizeof(*r) - i);
#else
	memset(r, 0, sizeof(*r));
#endif
}

bool
fl_parse_fast_how(struct str line, const struct fl_ctx *ctx, struct fl_memo *m,
		  struct fl_record *r, enum fl_fast how)
{
	struct fl_error e;
	struct lp lp = {line.p, &e};
	struct str csv;
	record_clear(r);
	line = trim_end(line);
	if (!memo_envelope(m, line, r, &csv)) {
		const char *secs;
		if (!parse_envelope(&lp, line, ctx, r, &csv, &secs))
			return false;
		memo_keep(m, line, r, csv, secs);
	}
	if (how != FL_FAST_BYTES && csv.n >= 32 && csv.n < FLC_MAX) {
		enum flc_how ch = how == FL_FAST_MASKS	? FLC_SCALAR
				  : how == FL_FAST_SSE2 ? FLC_SSE2
				  : how == FL_FAST_AVX2 ? FLC_AVX2
							: flc_best();
#if defined(__x86_64__)
		if (ch == FLC_AVX2)
			return mp_parse_v3(csv, &lp, r);
#endif
		return mp_parse(csv, ch, &lp, r);
	}
	struct fc c = {csv.p, csv.p + csv.n};
	return fc_common(&c, &lp, r) && fc_ip(&c, &lp, r) && fc_l4(&c, r);
}

struct fl_ctx
fl_ctx_for_file(const char *path)
{
	struct fl_ctx c = {1970, 0};
	struct stat st;
	struct tm tm;
	if (path && stat(path, &st) == 0 && gmtime_r(&st.st_mtime, &tm)) {
		c.ref_year = tm.tm_year + 1900;
		c.ref_month = tm.tm_mon + 1;
	}
	return c;
}

int
fl_year_from_env(void)
{
	const char *v = getenv("IPSECDIAG_LOG_YEAR");
	char *end;
	if (v == NULL || *v == '\0')
		return 0;
	long y = strtol(v, &end, 10);
	if (*end || y < 1970 || y > 9999) {
		diag(DIAG_WARNING,
		     &(struct srcloc){.file = "IPSECDIAG_LOG_YEAR"},
		     "'%s' is not a year (1970-9999): ignored", v);
		return 0;
	}
	return (int)y;
}
