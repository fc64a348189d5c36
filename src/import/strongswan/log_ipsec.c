/* IPsec daemon (strongSwan charon 5.9 / 6.x) logs into OBS_IKE_LOG
 * observations: pfSense /var/log/ipsec.log (BSD syslog, or RFC 5424 from
 * 2.7), OPNsense (RFC 5424), Linux charon.log (filelog, with or without
 * time_format) and journal / syslog lines. Only events that explain a
 * tunnel's state are kept; each names its connection and child. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "import/linux/linux.h"
#include "import/load.h"

struct lg_event {
	const char *needle, *kind;
};

/* First match wins: errors before the generic ones. */
static const struct lg_event events[] = {
    {"received proposals:", "received-proposals"},
    {"configured proposals:", "configured-proposals"},
    {"looking for peer configs matching", "peer-lookup"},
    {"received proposals unacceptable", "no-proposal"}, /* IKE_SA_INIT */
    {"but MAC mismatched", "psk-mismatch"},		/* PSKs differ */
    {"Starting IKE charon daemon", "daemon-start"},
    {"CHILD_SA rekeying failed", "rekey-failed"},
    {"initiating IKE_SA", "ike-initiate"},
    {"no shared key found", "psk-missing"},
    {"no peer config found", "no-peer-config"},		 /* IKEv1 */
    {"no matching peer config found", "no-peer-config"}, /* IKEv2 */
    {"INVALID_ID_INFORMATION", "invalid-id"},
    {"unable to install source route", "route-failed"},
    {"unable to install", "install-failed"},
    {"peer not responding", "give-up"},
    {"deleting duplicate IKE_SA", "duplicate"},
    {"rekey collision", "collision"},
    {"NO_PROPOSAL_CHOSEN", "no-proposal"},
    {"no acceptable proposal found", "no-proposal"},
    {"TS_UNACCEPTABLE", "ts-unacceptable"},
    {"TS_UNACCEPT", "ts-unacceptable"},
    {"unacceptable", "ts-unacceptable"}, /* "traffic selectors ... " */
    {"AUTHENTICATION_FAILED", "auth-failed"},
    {"AUTH_FAILED", "auth-failed"}, /* IKEv1 N(AUTH_FAILED) */
    {"authentication of", "auth"},
    {"INVALID_KE_PAYLOAD", "invalid-ke"},
    {"INVAL_KE", "invalid-ke"},
    {"unacceptable, requesting", "invalid-ke"},
    {"giving up after", "give-up"},
    {"retransmit", "retransmit"},
    {"DPD", "dpd"},
    {"deleting half open IKE_SA", "half-open-timeout"},
    {"failed to establish CHILD_SA", "child-failed"},
    {"received DELETE", "delete"},
    {"deleting IKE_SA", "delete"},
    {"closing CHILD_SA", "delete"},
    {"deleting CHILD_SA", "delete"},
    {"CHILD_SA", "child-up"}, /* ... established with SPIs */
    {"IKE_SA", "ike-up"},     /* ... established between */
    {"selected proposal:", "proposal"},
    {"remote host is behind NAT", "nat"},
    {"local host is behind NAT", "nat"},
    {"NAT detected", "nat"}, /* NAT traversal in use (tunnel-path.md §2) */
    /* doc/behaviour/field-families.md §1, §2 */
    {"unable to resolve", "resolve-failed"},
    {"received unsupported IKE version", "ike-version-unsupported"},
};

static const char *
lg_classify(struct str msg)
{
	for (size_t i = 0; i < sizeof(events) / sizeof(*events); i++) {
		if (!memmem(msg.p, msg.n, events[i].needle,
			    strlen(events[i].needle)))
			continue;
		const char *k = events[i].kind;
		if (strcmp(k, "auth") == 0)
			k = memmem(msg.p, msg.n, "failed", 6) ? "auth-failed"
							      : NULL;
		else if (strcmp(k, "ts-unacceptable") == 0 &&
			 !memmem(msg.p, msg.n, "traffic selectors", 17) &&
			 !memmem(msg.p, msg.n, "TS_UNACCEPT", 11))
			continue;
		else if ((strcmp(k, "child-up") == 0 ||
			  strcmp(k, "ike-up") == 0) &&
			 !memmem(msg.p, msg.n, " established ", 13))
			continue;
		if (k)
			return k;
	}
	return NULL;
}

static int
lg_month(struct str s)
{
	static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12 && s.n >= 3; i++)
		if (memcmp(s.p, m + 3 * i, 3) == 0)
			return i;
	return -1;
}

static bool
lg_num(const char *p, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

/* "2024-02-18T02:29:57+08:00" / "2024-02-18 02:29:57": Unix time. */
static bool
lg_iso(struct str w, double *ts, size_t *used)
{
	int y, mo, d, h, mi, s;
	if (w.n < 19 || !lg_num(w.p, 4, &y) || w.p[4] != '-' ||
	    !lg_num(w.p + 5, 2, &mo) || !lg_num(w.p + 8, 2, &d) ||
	    (w.p[10] != 'T' && w.p[10] != ' ') || !lg_num(w.p + 11, 2, &h) ||
	    !lg_num(w.p + 14, 2, &mi) || !lg_num(w.p + 17, 2, &s))
		return false;
	size_t i = 19;
	while (i < w.n && (w.p[i] == '.' || (w.p[i] >= '0' && w.p[i] <= '9')))
		i++;
	int off = 0, oh, om;
	if (i < w.n && (w.p[i] == '+' || w.p[i] == '-') && i + 6 <= w.n &&
	    lg_num(w.p + i + 1, 2, &oh) && lg_num(w.p + i + 4, 2, &om)) {
		off = (oh * 60 + om) * 60 * (w.p[i] == '-' ? -1 : 1);
		i += 6;
	} else if (i < w.n && w.p[i] == 'Z') {
		i++;
	}
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = s};
	*ts = (double)(timegm(&tm) - off);
	*used = i;
	return true;
}

struct lg_line {
	double ts;
	struct str msg, conn;
};

static struct str
lg_skip_word(struct str s)
{
	const char *sp = memchr(s.p, ' ', s.n);
	if (!sp)
		return (struct str){s.p + s.n, 0};
	return str_trim((struct str){sp + 1, (size_t)(s.p + s.n - sp - 1)});
}

/* "Jan  1 00:00:00" or "Jan 1 00:00:00" (relays drop the padding):
 * the wall clock of a yearless BSD syslog (RFC 3164) timestamp. */
static bool
lg_bsd(struct str t, struct tm *tm, size_t *used)
{
	int mon = lg_month(t), d = 0, v;
	if (mon < 0 || t.n < 14 || t.p[3] != ' ')
		return false;
	size_t i = 4;
	while (i < t.n && t.p[i] == ' ')
		i++;
	size_t d0 = i;
	while (i < t.n && i - d0 < 2 && t.p[i] >= '0' && t.p[i] <= '9')
		d = d * 10 + (t.p[i++] - '0');
	if (i == d0 || d < 1 || d > 31 || i + 9 > t.n || t.p[i] != ' ')
		return false;
	int h, mi, sec;
	i++;
	if (!lg_num(t.p + i, 2, &h) || t.p[i + 2] != ':' ||
	    !lg_num(t.p + i + 3, 2, &mi) || t.p[i + 5] != ':' ||
	    !lg_num(t.p + i + 6, 2, &sec))
		return false;
	i += 8;
	*tm = (struct tm){.tm_mon = mon,
			  .tm_mday = d,
			  .tm_hour = h,
			  .tm_min = mi,
			  .tm_sec = sec};
	if (i + 5 <= t.n && t.p[i] == ' ' && lg_num(t.p + i + 1, 4, &v) &&
	    (i + 5 == t.n || t.p[i + 5] == ' ')) {
		tm->tm_year = v - 1900; /* charon time_format with %Y */
		i += 5;
	}
	*used = i;
	return true;
}

/* The year of a yearless line: the file's, or the one before when the
 * date would lie after the file was last written (ike-parameters.md §9). */
static double
lg_bsd_time(struct tm tm, time_t ref)
{
	if (tm.tm_year == 0) {
		struct tm r;
		gmtime_r(&ref, &r);
		tm.tm_year = r.tm_year;
		if ((double)timegm(&tm) > (double)ref + 86400)
			tm.tm_year--;
	}
	return (double)timegm(&tm);
}

bool
log_ipsec_stamp(struct str t, time_t ref, double *ts, size_t *used)
{
	struct tm tm;
	if (!lg_bsd(t, &tm, used))
		return false;
	*ts = lg_bsd_time(tm, ref);
	return true;
}

/* Strips syslog / filelog headers; false when the line is not charon's.
 * A relay may put its own header (timestamp, host) in front of the
 * box's: then the rest is read again, once. */
static bool
lg_parse(struct str t, struct lg_line *out, time_t ref, int depth)
{
	size_t used;
	struct tm tm;
	out->ts = 0;
	bool tagged = false;
	if (t.n > 3 && t.p[0] == '<') { /* <PRI>, then RFC 5424 "1 " */
		const char *gt = memchr(t.p, '>', t.n < 6 ? t.n : 6);
		if (!gt)
			return false;
		t = (struct str){gt + 1, (size_t)(t.p + t.n - gt - 1)};
		if (str_starts(t, "1 ")) {
			t = str_trim((struct str){t.p + 2, t.n - 2});
			lg_iso(t, &out->ts, &used);
			t = lg_skip_word(t); /* timestamp */
			t = lg_skip_word(t); /* host */
			struct str app = t;
			t = lg_skip_word(lg_skip_word(lg_skip_word(t)));
			if (!str_starts(app, "charon") &&
			    !str_starts(app, "ipsec"))
				return false;
			if (t.n && t.p[0] == '[') { /* structured data */
				const char *e = memchr(t.p, ']', t.n);
				if (!e)
					return false;
				t = str_trim((struct str){
				    e + 1, (size_t)(t.p + t.n - e - 1)});
			} else if (str_starts(t, "- ")) {
				t = lg_skip_word(t);
			}
			tagged = true;
		}
	}
	bool stamped = false;
	if (!tagged && lg_iso(t, &out->ts, &used)) {
		t = str_trim((struct str){t.p + used, t.n - used});
		stamped = true;
	} else if (!tagged && lg_bsd(t, &tm, &used)) {
		out->ts = lg_bsd_time(tm, ref);
		t = str_trim((struct str){t.p + used, t.n - used});
		stamped = true;
	}
	if (!tagged && !(t.n > 2 && t.p[0] >= '0' && t.p[0] <= '9')) {
		/* "host charon[123]: ..." or "host charon-systemd[1]: ..." */
		struct str after_host = lg_skip_word(t);
		if (!str_starts(after_host, "charon") &&
		    !str_starts(after_host, "ipsec")) {
			struct lg_line inner;
			if (stamped && depth == 0 &&
			    lg_parse(after_host, &inner, ref, 1)) {
				*out = inner; /* a relay's header in front */
				return true;
			}
			return false;
		}
		t = after_host;
		const char *colon = memchr(t.p, ':', t.n);
		if (!colon)
			return false;
		t = str_trim(
		    (struct str){colon + 1, (size_t)(t.p + t.n - colon - 1)});
	}
	/* "09[IKE] " thread and group */
	size_t i = 0;
	while (i < t.n && t.p[i] >= '0' && t.p[i] <= '9')
		i++;
	if (i < t.n && t.p[i] == '[') {
		const char *e = memchr(t.p + i, ']', t.n - i);
		if (e)
			t = str_trim(
			    (struct str){e + 1, (size_t)(t.p + t.n - e - 1)});
	}
	out->conn = (struct str){0};
	if (t.n && t.p[0] == '<') { /* <con1|12> or <12> */
		const char *e = memchr(t.p, '>', t.n);
		if (!e)
			return false;
		struct str in = {t.p + 1, (size_t)(e - t.p - 1)}, name, id;
		if (str_split(in, '|', &name, &id))
			out->conn = name;
		t = str_trim((struct str){e + 1, (size_t)(t.p + t.n - e - 1)});
	}
	out->msg = t;
	return true;
}

/* "CHILD_SA lan-lan{1} established with SPIs 2e62d1d3_i 9c5fb46d_o and
 *  TS 10.0.1.0/24 === 10.0.2.0/24" */
static void
lg_child(struct arena *ar, struct observation *o, struct str msg)
{
	const char *c = memmem(msg.p, msg.n, "CHILD_SA ", 9);
	if (c) {
		struct str r = {c + 9, (size_t)(msg.p + msg.n - c - 9)}, name;
		const char *br = memchr(r.p, '{', r.n);
		const char *sp = memchr(r.p, ' ', r.n);
		if (br && (!sp || br < sp)) {
			name = (struct str){r.p, (size_t)(br - r.p)};
			o->child = lx_dup(ar, name);
		}
	}
	const char *spis = memmem(msg.p, msg.n, "SPIs ", 5);
	if (spis) {
		char buf[20];
		struct str r = {spis + 5, (size_t)(msg.p + msg.n - spis - 5)},
			   w;
		for (int k = 0; k < 2 && str_next(&r, ' ', &w); k++) {
			if (w.n < 3 || w.n > 18 || w.p[w.n - 2] != '_')
				continue;
			memcpy(buf, w.p, w.n - 2);
			buf[w.n - 2] = 0;
			uint32_t v = (uint32_t)strtoul(buf, NULL, 16);
			if (w.p[w.n - 1] == 'i')
				o->value = v;
			else
				o->spi_out = v;
		}
	}
	const char *ts = memmem(msg.p, msg.n, "TS ", 3);
	const char *eq = memmem(msg.p, msg.n, " === ", 5);
	if (!eq)
		return;
	struct str l = {ts ? ts + 3 : msg.p, 0}, r;
	if (!ts) { /* "traffic selectors A === B unacceptable" */
		const char *t2 = memmem(msg.p, msg.n, "selectors ", 10);
		if (!t2)
			return;
		l.p = t2 + 10;
	}
	l.n = (size_t)(eq - l.p);
	r = (struct str){eq + 5, (size_t)(msg.p + msg.n - eq - 5)};
	struct str lt, rt;
	str_next(&l, ' ', &lt);
	str_next(&r, ' ', &rt);
	lx_parse_ts(lt, &o->ts_local);
	lx_parse_ts(rt, &o->ts_remote);
}

bool
log_ipsec_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	return log_ipsec_import_text(ar, in, s, buf, len);
}

bool
log_ipsec_import_text(struct arena *ar, struct input_file *in, struct site *s,
		      const char *buf, size_t len)
{
	struct lx_lines it;
	struct str line;
	size_t lines = 0, kept = 0, bad = 0;
	struct stat st;
	time_t ref = stat(in->path, &st) == 0 ? st.st_mtime : time(NULL);
	const char *rx = NULL, *cf = NULL; /* the last proposals printed */
	const char *lookup = NULL; /* the last "looking for peer configs" */
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		struct lg_line l;
		if (t.n == 0)
			continue;
		lines++;
		if (t.n > LX_MAX_LINE || !lg_parse(t, &l, ref, 0)) {
			bad++;
			continue;
		}
		const char *kind = lg_classify(l.msg);
		if (kind == NULL)
			continue;
		if (strcmp(kind, "peer-lookup") == 0) { /* kept for a refusal */
			lookup = lx_dup(ar, l.msg);
			continue;
		}
		if (strstr(kind, "-proposals")) { /* kept for a refusal */
			const char *c = memmem(l.msg.p, l.msg.n, ": ", 2);
			struct str v =
			    c ? (struct str){c + 2, (size_t)(l.msg.p + l.msg.n -
							     c - 2)}
			      : l.msg;
			*(kind[0] == 'r' ? &rx : &cf) = lx_dup(ar, str_trim(v));
			continue;
		}
		struct observation *o =
		    ARENA_PUSH(ar, s->ev.obs, s->ev.nobs, s->ev.cobs);
		o->kind = OBS_IKE_LOG;
		o->where = (struct srcloc){in->path, it.lineno, 0, 0};
		o->first_ts = o->last_ts = l.ts;
		o->action = kind;
		o->text = lx_dup(ar, l.msg);
		o->conn = l.conn.n ? lx_dup(ar, l.conn) : NULL;
		if (strcmp(kind, "no-proposal") == 0) {
			o->received = rx;
			o->configured = cf;
		}
		if (strcmp(kind, "no-peer-config") == 0)
			o->received = lookup; /* the identities looked for */
		/* a NAT note sits between the lists and the refusal */
		if (strcmp(kind, "proposal") != 0 && strcmp(kind, "nat") != 0)
			rx = cf = NULL;
		if (strstr(kind, "child") || strstr(kind, "ts-") ||
		    strcmp(kind, "delete") == 0)
			lg_child(ar, o, l.msg);
		kept++;
	}
	if (lines && kept == 0 && bad == lines) {
		struct srcloc loc = {in->path, 1, 1, 0};
		diag(DIAG_ERROR, &loc,
		     "no line has the shape of a charon log "
		     "line");
		return false;
	}
	/* not has_log: that flag speaks of firewall logs */
	in->summary =
	    arena_printf(ar, "IPsec log %zu lines, %zu events", lines, kept);
	return true;
}
