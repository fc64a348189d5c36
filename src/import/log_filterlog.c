/* filterlog line parser, PFSENSE.md §3 (pfSense filterlog as of 2.7 /
 * master @9363ac5 and OPNsense 24.x/25.x: the CSV layout is the same). */
#include "import/log_filterlog.h"

#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
	for (int i = 0; i < 12; i++)
		if (memcmp(p, months + 3 * i, 3) == 0)
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
			return fail(lp, p, "unterminated [pid] after filterlog"),
			       NULL;
		p++;
	}
	if (p < end && *p == ':') {
		r->env = FL_ENV_BSD;
		p++;
		return p < end && *p == ' ' ? p + 1 : p;
	}
	if (p >= end || *p != ' ')
		return fail(lp, p, "expected ':' or ' ' after filterlog"),
		       NULL;
	r->env = FL_ENV_RFC5424;
	p = token_end(p + 1, end); /* PROCID */
	if (p >= end)
		return fail(lp, p, "RFC 5424 header ends before MSGID"), NULL;
	p = token_end(p + 1, end); /* MSGID */
	if (p >= end)
		return fail(lp, p, "RFC 5424 header ends before "
			    "structured data"), NULL;
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

/* The syslog envelope; *csv gets the filterlog CSV. */
static bool
parse_envelope(struct lp *lp, struct str line, const struct fl_ctx *ctx,
	       struct fl_record *r, struct str *csv)
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
	const char *q = parse_iso(p, end, r);
	if (q == NULL)
		q = parse_bsd(p, end, ctx, r);
	if (q == NULL) {
		if (!pri && p == line.p && p < end && is_digit(*p)) {
			r->env = FL_ENV_BARE;
			*csv = line;
			return true;
		}
		return fail(lp, p, "not a filterlog line: no syslog "
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
	{"pass", FL_ACT_PASS},	 {"block", FL_ACT_BLOCK},
	{"scrub", FL_ACT_SCRUB}, {"nat", FL_ACT_NAT},
	{"binat", FL_ACT_BINAT}, {"rdr", FL_ACT_RDR},
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

static bool
ident_ok(struct str f, size_t max, bool allow_empty)
{
	if (f.n > max || (f.n == 0 && !allow_empty))
		return false;
	for (size_t i = 0; i < f.n; i++) {
		char c = f.p[i];
		if (!(is_digit(c) || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '.' || c == '_' ||
		      c == '-' || c == ':'))
			return false;
	}
	return true;
}

/* Fields 1-9 (and error=): PFSENSE.md §3.2 "Common". */
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
		return fail(lp, f.p, "address family does not match the IP "
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
	static const char letters[] = "FSRPAUEC";
	r->tcpflags = f[3];
	for (size_t i = 0; i < f[3].n; i++) {
		const char *c = memchr(letters, f[3].p[i], 8);
		if (c == NULL)
			return fail(lp, f[3].p + i, "TCP: unknown flag letter");
		r->tcpflagbits |= (uint8_t)(1u << (c - letters));
	}
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

/* print-icmp.c prints the ICMP payload length right after the last field,
 * without a comma ("request,40169,0" + "64" = "request,40169,064"). The
 * length is the IP length minus a 20-byte header; it is only stripped when
 * something is left before it. */
static struct str
unglue(struct str f, const struct fl_record *r, bool numeric,
       uint32_t *glued)
{
	if (r->length <= 20)
		return f;
	char g[12];
	int k = snprintf(g, sizeof(g), "%u", r->length - 20);
	if (k <= 0 || f.n <= (size_t)k ||
	    memcmp(f.p + f.n - (size_t)k, g, (size_t)k) != 0)
		return f;
	if (!numeric && is_digit(f.p[f.n - (size_t)k - 1]))
		return f;
	*glued = r->length - 20;
	return (struct str){f.p, f.n - (size_t)k};
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
		r->icmp_text = unglue(t, r, false, &r->icmp_glued);
		return true;
	}
	if (n != want + 1)
		return fail(lp, fin[n <= want ? n - 1 : want + 1].p,
			    "ICMP: wrong number of fields for this type");
	memcpy(f, fin, (want + 1) * sizeof(*f));
	f[want] = unglue(f[want], r, true, &r->icmp_glued);
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

bool
fl_parse_line(struct str line, const struct fl_ctx *ctx, struct fl_record *r,
	      struct fl_error *err)
{
	struct lp lp = {line.p, err};
	struct str f[FL_FIELDS_MAX], csv;
	memset(r, 0, sizeof(*r));
	err->col = 0;
	err->msg = NULL;
	while (line.n && (line.p[line.n - 1] == '\r' ||
			  line.p[line.n - 1] == ' ' ||
			  line.p[line.n - 1] == '\n'))
		line.n--;
	if (!parse_envelope(&lp, line, ctx, r, &csv))
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

void
fl_format_time(double ts, char buf[32])
{
	time_t t = (time_t)ts;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, 32, "?");
}
