/* IPsec SA status dumps into OBS_SA observations: `swanctl --list-sas`
 * and `ipsec statusall` (strongSwan 5.9 / 6.x), Linux `ip -s xfrm state`
 * and `ip -s xfrm policy`, FreeBSD `setkey -D` / `setkey -DP`, and
 * /proc/net/xfrm_stat (non-zero counters as OBS_IKE_LOG notes). */
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"
#include "import/strongswan/sa_algs.h"

struct sa_ctx {
	struct arena *ar;
	struct site *s;
	struct input_file *in;
	const char *conn;	/* current IKE SA name */
	struct ipaddr me, peer; /* its outer addresses */
	bool child;		/* a child is open, for in/out/TS lines */
	size_t child_idx;	/* its observation (the array may move) */
	struct str lts, rts;
	size_t nsa, nbad;
};

/* A UDP-encapsulated (NAT-T) SA: its outer ports, 4500 unless the dump
 * names others (doc/behaviour/tunnel-path.md §2: esp-udp, [4500],
 * -in-UDP, espinudp). */
static void
sa_natt(struct observation *o, uint16_t sport, uint16_t dport)
{
	o->sport = sport ? sport : 4500;
	o->dport = dport ? dport : 4500;
}

static struct observation *
sa_obs(struct sa_ctx *c, enum obs_kind k, uint32_t line)
{
	struct observation *o =
	    ARENA_PUSH(c->ar, c->s->ev.obs, c->s->ev.nobs, c->s->ev.cobs);
	o->kind = k;
	o->where = (struct srcloc){.file = c->in->path, .line = line};
	return o;
}

static struct str
sa_word(struct str *rest)
{
	*rest = str_trim(*rest);
	struct str w;
	size_t n = 0;
	while (n < rest->n && rest->p[n] != ' ' && rest->p[n] != '\t')
		n++;
	w = (struct str){rest->p, n};
	*rest = (struct str){rest->p + n, rest->n - n};
	return w;
}

static uint32_t
sa_hex(struct str w)
{
	char buf[24];
	if (w.n == 0 || w.n >= sizeof(buf))
		return 0;
	memcpy(buf, w.p, w.n);
	buf[w.n] = 0;
	return (uint32_t)strtoul(buf, NULL, 16);
}

/* "  in  2e62d1d3,    252 bytes,     3 packets,     1s ago" */
static void
swl_counters(struct sa_ctx *c, struct str line, bool in)
{
	struct str rest = line;
	sa_word(&rest); /* in / out */
	struct str spi = sa_word(&rest);
	if (spi.n && spi.p[spi.n - 1] == ',')
		spi.n--;
	uint64_t bytes = 0, pkts = 0, v;
	struct str tok;
	while (str_next(&rest, ',', &tok)) {
		struct str t = str_trim(tok), num, unit;
		str_split(t, ' ', &num, &unit);
		if (!str_to_u64(num, UINT64_MAX, &v))
			continue;
		if (str_starts(str_trim(unit), "bytes"))
			bytes = v;
		else if (str_starts(str_trim(unit), "packets"))
			pkts = v;
	}
	struct observation *o = &c->s->ev.obs[c->child_idx];
	if (in) {
		o->value = sa_hex(spi);
		o->bytes_rev = bytes;
		o->count_rev = pkts;
	} else {
		o->spi_out = sa_hex(spi);
		o->bytes = bytes;
		o->count = pkts;
	}
}

/* One OBS_SA per (local, remote) TS pair: the first is the template. */
static void
swl_ts_done(struct sa_ctx *c)
{
	if (!c->child || c->lts.p == NULL || c->rts.p == NULL)
		return;
	struct observation tmpl = c->s->ev.obs[c->child_idx];
	struct str l = c->lts, lt;
	bool first = true;
	while (str_next(&l, ' ', &lt)) {
		if (str_trim(lt).n == 0)
			continue;
		struct str r = c->rts, rt;
		while (str_next(&r, ' ', &rt)) {
			if (str_trim(rt).n == 0)
				continue;
			struct observation *o =
			    first ? &c->s->ev.obs[c->child_idx]
				  : sa_obs(c, OBS_SA, tmpl.where.line);
			if (!first)
				*o = tmpl;
			first = false;
			if (!lx_parse_ts(lt, &o->ts_local) ||
			    !lx_parse_ts(rt, &o->ts_remote)) {
				diag(DIAG_WARNING, &o->where,
				     "traffic "
				     "selector not understood: %.*s === %.*s",
				     (int)lt.n, lt.p, (int)rt.n, rt.p);
				c->nbad++;
			}
		}
	}
	c->child = false;
	c->lts = c->rts = (struct str){0};
}

/* swanctl --list-sas. */
/* "ESP:AES_CBC-256/HMAC_SHA2_256_128/MODP_2048": what the SA runs. */
static void
swl_algs(struct sa_ctx *c, struct observation *o, struct str tok)
{
	bool ah = str_starts(tok, "AH:");
	if (!ah && !str_starts(tok, "ESP:"))
		return;
	struct str algs = {tok.p + (ah ? 3 : 4), tok.n - (ah ? 3 : 4)};
	const char *p = sa_algs_list_sas(c->ar, algs);
	if (p)
		sa_algs_add(c->ar, &o->algs, ah, p);
}

static void
swl_line(struct sa_ctx *c, struct str line, uint32_t lineno)
{
	struct str t = str_trim(line);
	size_t indent = (size_t)(t.p - line.p);
	if (t.n == 0)
		return;
	if (indent == 0) { /* "site-gwb: #1, ESTABLISHED, IKEv2, ..." */
		swl_ts_done(c);
		struct str name, rest, tok;
		str_split(t, ':', &name, &rest);
		c->conn = lx_dup(c->ar, name);
		/* "#3, CONNECTING, IKEv2, ...": an IKE_SA not (yet) up */
		str_next(&rest, ',', &tok);
		if (str_next(&rest, ',', &tok)) {
			tok = str_trim(tok);
			if (str_eq(tok, "CONNECTING") ||
			    str_eq(tok, "REKEYING") ||
			    str_eq(tok, "DELETING")) {
				struct observation *o =
				    sa_obs(c, OBS_IKE_LOG, lineno);
				o->action = "ike-state";
				o->conn = c->conn;
				o->text =
				    arena_printf(c->ar, "IKE_SA %s %.*s",
						 c->conn, (int)tok.n, tok.p);
			}
		}
		return;
	}
	if (str_starts(t, "local ") || str_starts(t, "remote ")) {
		bool loc = t.p[0] == 'l';
		struct str rest = t, w;
		sa_word(&rest);
		w = str_trim(rest);
		if (c->child && indent >= 4) {
			*(loc ? &c->lts : &c->rts) = w;
			if (!loc)
				swl_ts_done(c);
			return;
		}
		/* "local  '198.51.100.1' @ 198.51.100.1[4500]" */
		const char *at = memchr(w.p, '@', w.n);
		if (at) {
			struct str a = str_trim((struct str){
				       at + 1, (size_t)(w.p + w.n - at - 1)}),
				   ip, port;
			str_split(a, '[', &ip, &port);
			ipaddr_parse(ip, loc ? &c->me : &c->peer);
		}
		return;
	}
	if (str_starts(t, "in ") || str_starts(t, "out ")) {
		if (c->child)
			swl_counters(c, t, t.p[0] == 'i');
		return;
	}
	/* "lan-lan: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:..." */
	struct str name, rest;
	if (indent == 2 && str_split(t, ':', &name, &rest) &&
	    str_starts(str_trim(rest), "#")) {
		swl_ts_done(c);
		struct observation *o = sa_obs(c, OBS_SA, lineno);
		c->child_idx = c->s->ev.nobs - 1;
		c->child = true;
		o->conn = c->conn;
		o->child = o->text = lx_dup(c->ar, name);
		o->src = c->me;
		o->dst = c->peer;
		o->proto = PROTO_ESP;
		struct str tok;
		int k = 0;
		while (str_next(&rest, ',', &tok)) {
			if (k == 2)
				o->action = lx_dup(c->ar, str_trim(tok));
			/* "TUNNEL-in-UDP": ESP in UDP (NAT-T) */
			if (k++ == 3 && memmem(tok.p, tok.n, "-in-UDP", 7))
				sa_natt(o, 0, 0);
			swl_algs(c, o, str_trim(tok));
		}
		c->nsa++;
	}
}

static void
swl_close(struct sa_ctx *c)
{
	swl_ts_done(c);
}

/* ipsec statusall / ipsec status (stroke):
 *   con1{1}:  INSTALLED, TUNNEL, reqid 1, ESP SPIs: c1234567_i c7654321_o
 *   con1{1}:  AES_CBC_256/HMAC_SHA2_256_128, 252 bytes_i (3 pkts, 1s ago),
 *             252 bytes_o (3 pkts, 1s ago), rekeying in 40 minutes
 *   con1{1}:   10.0.1.0/24 === 10.0.2.0/24
 *   con1[1]: ESTABLISHED 2 minutes ago, 198.51.100.1[..]...198.51.100.2[..] */
static void
stroke_line(struct sa_ctx *c, struct str line, uint32_t lineno)
{
	struct str t = str_trim(line), name, rest;
	const char *br = memchr(t.p, '{', t.n);
	if (!str_split(t, ':', &name, &rest) || name.n == 0)
		return;
	rest = str_trim(rest);
	if (br == NULL || br > name.p + name.n) {
		const char *sq = memchr(name.p, '[', name.n);
		const char *dots = strstr(lx_dup(c->ar, rest), "...");
		if (sq && str_starts(rest, "ESTABLISHED") && dots) {
			struct str r = rest, w;
			while ((w = sa_word(&r)).n) {
				const char *d = memmem(w.p, w.n, "...", 3);
				if (!d)
					continue;
				struct str a = {w.p, (size_t)(d - w.p)}, ip, x;
				str_split(a, '[', &ip, &x);
				ipaddr_parse(ip, &c->me);
				a = (struct str){d + 3,
						 (size_t)(w.p + w.n - d - 3)};
				str_split(a, '[', &ip, &x);
				ipaddr_parse(ip, &c->peer);
			}
		}
		return;
	}
	struct str conn = {name.p, (size_t)(br - name.p)};
	if (str_starts(rest, "INSTALLED") || str_starts(rest, "REKEYED") ||
	    str_starts(rest, "INSTALLING")) {
		struct observation *o = sa_obs(c, OBS_SA, lineno);
		c->child_idx = c->s->ev.nobs - 1;
		c->child = true;
		o->conn = o->child = o->text = lx_dup(c->ar, conn);
		o->src = c->me;
		o->dst = c->peer;
		o->proto = PROTO_ESP;
		struct str st;
		str_split(rest, ',', &st, &(struct str){0});
		o->action = lx_dup(c->ar, st);
		/* "TUNNEL-in-UDP" / "ESP in UDP SPIs:" */
		if (memmem(rest.p, rest.n, "in UDP", 6) ||
		    memmem(rest.p, rest.n, "-in-UDP", 7))
			sa_natt(o, 0, 0);
		const char *spis = memmem(rest.p, rest.n, "SPIs:", 5);
		if (spis) {
			struct str r = {spis + 5,
					(size_t)(rest.p + rest.n - spis - 5)};
			struct str w;
			while ((w = sa_word(&r)).n) {
				if (str_starts(
					(struct str){
					    w.p + (w.n > 2 ? w.n - 2 : 0), 2},
					"_i"))
					o->value =
					    sa_hex((struct str){w.p, w.n - 2});
				else if (w.n > 2 && w.p[w.n - 2] == '_' &&
					 w.p[w.n - 1] == 'o')
					o->spi_out =
					    sa_hex((struct str){w.p, w.n - 2});
			}
		}
		c->nsa++;
		return;
	}
	if (!c->child)
		return;
	struct observation *o = &c->s->ev.obs[c->child_idx];
	if (memmem(rest.p, rest.n, "bytes_i", 7)) {
		struct str tok;
		while (str_next(&rest, ',', &tok)) {
			struct str tt = str_trim(tok), num, unit;
			str_split(tt, ' ', &num, &unit);
			uint64_t v = 0, pk = 0;
			if (!str_to_u64(num, UINT64_MAX, &v)) {
				/* "AES_CBC_256/HMAC_SHA2_256_128": what runs */
				const char *a =
				    o->algs ? NULL
					    : sa_algs_list_sas(c->ar, tt);
				if (a)
					sa_algs_add(c->ar, &o->algs,
						    o->proto == PROTO_AH, a);
				continue;
			}
			const char *par = memchr(unit.p, '(', unit.n);
			if (par) {
				struct str pp = {par + 1,
						 (size_t)(unit.p + unit.n -
							  par - 1)},
					   pn;
				str_split(pp, ' ', &pn, &(struct str){0});
				str_to_u64(pn, UINT64_MAX, &pk);
			}
			if (str_starts(unit, "bytes_i"))
				o->bytes_rev = v, o->count_rev = pk;
			else if (str_starts(unit, "bytes_o"))
				o->bytes = v, o->count = pk;
		}
		return;
	}
	const char *eq = memmem(rest.p, rest.n, "===", 3);
	if (eq) {
		c->lts = str_trim((struct str){rest.p, (size_t)(eq - rest.p)});
		c->rts = str_trim(
		    (struct str){eq + 3, (size_t)(rest.p + rest.n - eq - 3)});
		swl_ts_done(c);
	}
}

/* ip -s xfrm state (iproute2) and setkey -D (FreeBSD / pfSense): one
 * OBS_SA per SA; the direction follows from the site's own addresses. */
/* "198.51.100.2[4500]" (setkey, NAT-T): the address and the port. */
static bool
sad_addr(struct str w, struct ipaddr *a, uint16_t *port)
{
	struct str ip, rest;
	uint64_t v = 0;
	*port = 0;
	if (str_split(w, '[', &ip, &rest)) {
		struct str num;
		str_split(rest, ']', &num, &(struct str){0});
		if (!str_to_u64(num, 65535, &v))
			return false;
		*port = (uint16_t)v;
	}
	return ipaddr_parse(ip, a);
}

static void
sad_begin(struct sa_ctx *c, struct str a, struct str b, uint32_t lineno)
{
	struct observation *o = sa_obs(c, OBS_SA, lineno);
	c->child_idx = c->s->ev.nobs - 1;
	c->child = true;
	uint16_t pa, pb;
	sad_addr(a, &o->src, &pa);
	sad_addr(b, &o->dst, &pb);
	if (pa || pb)
		sa_natt(o, pa, pb);
	o->dir = site_is_box_addr(c->s, &o->src)   ? PDIR_OUT
		 : site_is_box_addr(c->s, &o->dst) ? PDIR_IN
						   : PDIR_NONE;
	o->action = "SA";
	c->nsa++;
}

static void
sad_count(struct observation *o, uint64_t bytes, uint64_t pkts, bool b)
{
	/* Counters of an inbound SA count what came in: the "rev" pair. */
	uint64_t *cb = o->dir == PDIR_IN ? &o->bytes_rev : &o->bytes;
	uint64_t *cp = o->dir == PDIR_IN ? &o->count_rev : &o->count;
	if (b)
		*cb = bytes;
	else
		*cp = pkts;
}

static void
sad_line(struct sa_ctx *c, struct str line, uint32_t lineno, bool setkey)
{
	struct str t = str_trim(line), rest = t, w = sa_word(&rest);
	bool top = t.n && line.p == t.p;
	if (!setkey && str_eq(w, "src") && top) {
		struct str a = sa_word(&rest), d = sa_word(&rest),
			   b = sa_word(&rest);
		if (str_eq(d, "dst"))
			sad_begin(c, a, b, lineno);
		return;
	}
	if (setkey && top && t.n) {
		/* NAT-T: "198.51.100.2[4500] 203.0.113.9[4500]" */
		struct str b = sa_word(&rest), x1;
		str_split(w, '[', &w, &x1);
		str_split(b, '[', &b, &x1);
		struct ipaddr x;
		uint16_t port;
		if (sad_addr(w, &x, &port) && sad_addr(b, &x, &port))
			sad_begin(c, w, b, lineno);
		return;
	}
	if (!c->child)
		return;
	struct observation *o = &c->s->ev.obs[c->child_idx];
	uint64_t v;
	if (!setkey && str_eq(w, "proto")) { /* proto esp spi 0x.. reqid 1 */
		struct str pr = sa_word(&rest);
		o->proto = str_eq(pr, "ah") ? PROTO_AH : PROTO_ESP;
		sa_word(&rest); /* spi */
		o->value = sa_hex(sa_word(&rest));
		sa_word(&rest); /* reqid */
		struct str rq = sa_word(&rest);
		o->text = arena_printf(c->ar, "reqid %.*s", (int)rq.n, rq.p);
	} else if (!setkey && (str_eq(w, "enc") || str_eq(w, "auth") ||
			       str_eq(w, "auth-trunc") || str_eq(w, "aead"))) {
		/* "aead rfc4106(gcm(aes)) 0x<key> 128": the name and the
		 * key's length, never its bytes */
		const char *a = sa_algs_xfrm(c->ar, w, rest);
		if (a)
			sa_algs_add(c->ar, &o->algs, o->proto == PROTO_AH, a);
	} else if (!setkey && str_eq(w, "sel")) { /* sel src A dst B */
		sa_word(&rest);
		lx_parse_ts(sa_word(&rest), &o->ts_local);
		sa_word(&rest);
		lx_parse_ts(sa_word(&rest), &o->ts_remote);
	} else if (!setkey && memmem(t.p, t.n, "(bytes)", 7)) {
		/* "252(bytes), 3(packets)" */
		struct str bs, ps;
		str_split(t, ',', &bs, &ps);
		struct str n1, n2;
		str_split(bs, '(', &n1, &(struct str){0});
		str_split(str_trim(ps), '(', &n2, &(struct str){0});
		if (str_to_u64(str_trim(n1), UINT64_MAX, &v))
			sad_count(o, v, 0, true);
		if (str_to_u64(str_trim(n2), UINT64_MAX, &v))
			sad_count(o, 0, v, false);
	} else if (!setkey && str_eq(w, "encap")) {
		/* encap type espinudp sport 4500 dport 4500 addr 0.0.0.0 */
		uint16_t sp = 0, dp = 0;
		struct str k;
		while ((k = sa_word(&rest)).n) {
			struct str n = sa_word(&rest);
			if (str_eq(k, "sport") && str_to_u64(n, 65535, &v))
				sp = (uint16_t)v;
			else if (str_eq(k, "dport") && str_to_u64(n, 65535, &v))
				dp = (uint16_t)v;
		}
		sa_natt(o, sp, dp);
	} else if (setkey && (str_eq(w, "esp") || str_eq(w, "ah") ||
			      str_eq(w, "esp-udp"))) {
		o->proto = str_eq(w, "ah") ? PROTO_AH : PROTO_ESP;
		if (str_eq(w, "esp-udp") && o->dport == 0)
			sa_natt(o, 0, 0);
		const char *sp = memmem(t.p, t.n, "spi=", 4);
		const char *par =
		    sp ? memchr(sp, '(', (size_t)(t.p + t.n - sp)) : NULL;
		if (par && t.p + t.n - par > 3) {
			struct str hx = {par + 1,
					 (size_t)(t.p + t.n - par - 1)},
				   h;
			str_split(hx, ')', &h, &(struct str){0});
			o->value = sa_hex(h);
		}
		const char *rq = memmem(t.p, t.n, "reqid=", 6);
		if (rq) {
			struct str r = {rq + 6, (size_t)(t.p + t.n - rq - 6)},
				   n;
			str_split(r, '(', &n, &(struct str){0});
			o->text =
			    arena_printf(c->ar, "reqid %.*s", (int)n.n, n.p);
		}
	} else if (setkey && str_eq(w, "current:") &&
		   memmem(t.p, t.n, "(bytes)", 7)) {
		struct str n;
		str_split(str_trim(rest), '(', &n, &(struct str){0});
		if (str_to_u64(n, UINT64_MAX, &v))
			sad_count(o, v, 0, true);
	} else if (setkey && str_eq(w, "allocated:")) {
		if (str_to_u64(sa_word(&rest), UINT64_MAX, &v))
			sad_count(o, 0, v, false);
	}
}

/* ip xfrm policy: "src A dst B" opens a policy; indented "dir fwd ...",
 * "mark 0x1/0xff", "if_id 0x2a", "tmpl ..." describe it. Socket
 * policies ("dir" absent) are dropped when the next one opens. */
static void
xpol_line(struct sa_ctx *c, struct str line, uint32_t lineno, bool *open)
{
	struct str t = str_trim(line), rest = t, w = sa_word(&rest);
	struct site *s = c->s;
	if (t.n && line.p == t.p && str_eq(w, "src")) {
		if (*open && s->xpols[s->nxpols - 1].dir > XDIR_FWD)
			s->nxpols--; /* the previous one had no direction */
		struct xfrm_pol *x =
		    ARENA_PUSH(c->ar, s->xpols, s->nxpols, s->cxpols);
		x->dir = XDIR_FWD + 1; /* unknown until its dir line */
		x->loc = (struct srcloc){c->in->path, lineno, 1, 0};
		lx_parse_ts(sa_word(&rest), &x->src);
		sa_word(&rest); /* dst */
		lx_parse_ts(sa_word(&rest), &x->dst);
		*open = true;
		return;
	}
	if (!*open)
		return;
	struct xfrm_pol *x = &s->xpols[s->nxpols - 1];
	if (str_eq(w, "dir")) {
		struct str d = sa_word(&rest);
		x->dir = str_eq(d, "in")    ? XDIR_IN
			 : str_eq(d, "out") ? XDIR_OUT
			 : str_eq(d, "fwd") ? XDIR_FWD
					    : XDIR_FWD + 1;
		x->block = memmem(rest.p, rest.n, "action block", 12) != NULL;
	} else if (str_eq(w, "if_id")) {
		x->if_id = sa_hex(sa_word(&rest)); /* printed as 0x.. */
	} else if (str_eq(w, "mark")) {
		struct str m = sa_word(&rest), v, mask;
		str_split(m, '/', &v, &mask);
		x->mark = sa_hex(v);
		x->mark_mask = mask.n ? sa_hex(mask) : 0xffffffffu;
		x->has_mark = true;
	} else if (str_eq(w, "tmpl")) {
		x->has_tmpl = true;
	}
}

/* setkey -D lists one SA per direction: the inbound one of a reqid joins
 * the outbound one, so that one observation holds both counters (the
 * one-way check reads count and count_rev of one observation). An SA
 * whose partner or direction is unknown keeps no counters: one half of a
 * pair is not evidence of one-way traffic. */
/* Outbound SAs ordered by their "reqid N" text, then by position. */
static int
pair_cmp(const void *x, const void *y, void *arg)
{
	const struct observation *obs = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(obs[a].text, obs[b].text);
	return c ? c : (a > b) - (a < b);
}

/* The first outbound SA not yet paired whose text is t, or SIZE_MAX;
 * a binary search over the ordered outbound SAs (a hostile dump of many
 * SAs stays n log n). */
static size_t
pair_find(const struct observation *obs, const size_t *outs, size_t n,
	  const char *t)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(obs[outs[mid]].text, t) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(obs[outs[lo]].text, t) == 0; lo++)
		if (obs[outs[lo]].spi_out == 0)
			return outs[lo];
	return SIZE_MAX;
}

void
sa_sad_pair(struct site *s, size_t first)
{
	struct evidence *ev = &s->ev;
	size_t n = ev->nobs - first, nout = 0, w = first;
	size_t *outs = malloc((n ? n : 1) * sizeof(*outs));
	bool *gone = calloc(n ? n : 1, sizeof(*gone));
	if (outs == NULL || gone == NULL) {
		free(outs);
		free(gone);
		return;
	}
	for (size_t i = first; i < ev->nobs; i++)
		if (ev->obs[i].dir == PDIR_OUT && ev->obs[i].text)
			outs[nout++] = i;
	qsort_r(outs, nout, sizeof(*outs), pair_cmp, ev->obs);
	for (size_t i = first; i < ev->nobs; i++) {
		const struct observation *o = &ev->obs[i];
		size_t j = o->dir == PDIR_IN && o->text
			       ? pair_find(ev->obs, outs, nout, o->text)
			       : SIZE_MAX;
		if (j == SIZE_MAX)
			continue;
		struct observation *p = &ev->obs[j];
		p->spi_out = p->value;
		p->value = o->value;
		p->bytes_rev = o->bytes_rev;
		p->count_rev = o->count_rev;
		gone[i - first] = true;
	}
	for (size_t i = first; i < ev->nobs; i++)
		if (!gone[i - first])
			ev->obs[w++] = ev->obs[i];
	ev->nobs = w;
	free(outs);
	free(gone);
	for (size_t i = first; i < ev->nobs; i++) {
		struct observation *o = &ev->obs[i];
		if (o->dir != PDIR_OUT || o->spi_out == 0) {
			o->count = o->count_rev = 0;
			o->bytes = o->bytes_rev = 0;
		}
		/* "allocated:" counts lookups, not packets: bytes decide */
		o->count = o->bytes ? (o->count ? o->count : 1) : 0;
		o->count_rev =
		    o->bytes_rev ? (o->count_rev ? o->count_rev : 1) : 0;
	}
}

/* /proc/net/xfrm_stat: "XfrmInNoStates  12". */
static void
xstat_line(struct sa_ctx *c, struct str line, uint32_t lineno)
{
	struct str rest = line, name = sa_word(&rest), num = sa_word(&rest);
	uint64_t v;
	if (!str_starts(name, "Xfrm") || !str_to_u64(num, UINT64_MAX, &v))
		return;
	if (v == 0)
		return;
	struct observation *o = sa_obs(c, OBS_IKE_LOG, lineno);
	o->action = "xfrm-stat";
	o->count = v;
	o->text = arena_printf(c->ar, "%.*s %llu", (int)name.n, name.p,
			       (unsigned long long)v);
	c->nbad++;
}

enum sa_fmt {
	SA_SWANCTL,
	SA_STROKE,
	SA_XFRM,
	SA_XFRM_POLICY,
	SA_SETKEY,
	SA_SETKEY_POLICY,
	SA_XFRM_STAT
};

/* ip xfrm policy: the line after the first "src A dst B" is "dir ..."
 * or "socket ..." (a template may name an SPI, so that cannot tell). */
static bool
xfrm_policy_head(struct str head)
{
	struct str rest = head, line;
	while (str_next(&rest, '\n', &line)) {
		if (!str_starts(line, "src "))
			continue;
		struct str next;
		if (!str_next(&rest, '\n', &next))
			return false;
		next = str_trim(next);
		return str_starts(next, "dir ") || str_starts(next, "socket ");
	}
	return false;
}

static enum sa_fmt
sa_format(struct str head)
{
	if (xfrm_policy_head(head))
		return SA_XFRM_POLICY;
	if (memmem(head.p, head.n, "Xfrm", 4) && head.n && head.p[0] == 'X')
		return SA_XFRM_STAT;
	if (memmem(head.p, head.n, "Security Associations", 21) ||
	    memmem(head.p, head.n, "Status of IKE", 13))
		return SA_STROKE;
	if (memmem(head.p, head.n, "proto esp spi", 13) ||
	    memmem(head.p, head.n, "proto ah spi", 12))
		return SA_XFRM;
	if (memmem(head.p, head.n, "\tdir ", 5) ||
	    memmem(head.p, head.n, "tmpl src", 8))
		return SA_XFRM_POLICY;
	if (memmem(head.p, head.n, "spid=", 5) ||
	    memmem(head.p, head.n, "ipsec\n", 6))
		return SA_SETKEY_POLICY;
	if (memmem(head.p, head.n, "spi=", 4) ||
	    memmem(head.p, head.n, "No SAD entries", 14))
		return SA_SETKEY;
	return SA_SWANCTL;
}

static const char *const fmt_names[] = {
    "swanctl --list-sas", "ipsec statusall", "ip xfrm state", "ip xfrm policy",
    "setkey -D",	  "setkey -DP",	     "xfrm_stat",
};

/* setkey -D prints the live keys ("\tE: aes-cbc  0a1b..." / "\tA: ...",
 * doc/behaviour/status-archive.md §1): their lines are blanked in place,
 * before anything else reads the buffer, so no byte of a key is kept or
 * printed; line numbers stay as in the file. */
size_t
sa_scrub_keys(char *buf, size_t len)
{
	size_t n = 0;
	char *p = buf, *end = buf + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end, *q = p;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (le - q >= 2 && (q[0] == 'E' || q[0] == 'A') &&
		    q[1] == ':' && q > p) {
			memset(p, ' ', (size_t)(le - p));
			n++;
		}
		p = nl ? nl + 1 : end;
	}
	return n;
}

bool
status_sa_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	return status_sa_import_text(ar, in, s, buf, len);
}

bool
status_sa_import_text(struct arena *ar, struct input_file *in, struct site *s,
		      char *buf, size_t len)
{
	struct sa_ctx c = {.ar = ar, .s = s, .in = in};
	enum sa_fmt fmt = sa_format((struct str){buf, len < 4096 ? len : 4096});
	size_t first = s->ev.nobs;
	if (fmt == SA_SETKEY)
		sa_scrub_keys(buf, len);
	struct lx_lines it;
	struct str line;
	size_t npol = 0;
	bool xopen = false;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		if (line.n > LX_MAX_LINE) {
			struct srcloc loc = {in->path, it.lineno, 1, 0};
			diag(DIAG_ERROR, &loc, "line longer than %d bytes",
			     LX_MAX_LINE);
			return false;
		}
		switch (fmt) {
		case SA_SWANCTL:
			swl_line(&c, line, it.lineno);
			break;
		case SA_STROKE:
			stroke_line(&c, line, it.lineno);
			break;
		case SA_XFRM:
			sad_line(&c, line, it.lineno, false);
			break;
		case SA_SETKEY:
			sad_line(&c, line, it.lineno, true);
			break;
		case SA_XFRM_STAT:
			xstat_line(&c, line, it.lineno);
			break;
		case SA_XFRM_POLICY:
			xpol_line(&c, line, it.lineno, &xopen);
			/* fall through */
		case SA_SETKEY_POLICY:
			/* the SPD: counted; the engine uses the config's */
			npol += line.n && line.p[0] != ' ' && line.p[0] != '\t';
			break;
		}
	}
	swl_close(&c);
	if (xopen && s->xpols[s->nxpols - 1].dir > XDIR_FWD)
		s->nxpols--;
	s->has_xpols = s->has_xpols || fmt == SA_XFRM_POLICY;
	/* both list one SA per direction: alone, half a pair reads as
	 * one-way traffic on a healthy tunnel */
	if (fmt == SA_SETKEY || fmt == SA_XFRM)
		sa_sad_pair(s, first);
	/* policies and error counters state no SA: alone they must not
	 * read as "no SA installed" (sa-missing) */
	if (fmt != SA_XFRM_POLICY && fmt != SA_SETKEY_POLICY &&
	    fmt != SA_XFRM_STAT)
		s->ev.has_status = true;
	if (fmt == SA_XFRM_STAT)
		in->summary = arena_printf(ar,
					   "xfrm_stat %zu non-zero error "
					   "counters",
					   c.nbad);
	else if (fmt == SA_XFRM_POLICY || fmt == SA_SETKEY_POLICY)
		in->summary =
		    arena_printf(ar, "%s %zu policies", fmt_names[fmt], npol);
	else
		in->summary =
		    arena_printf(ar, "%s %zu SAs", fmt_names[fmt], c.nsa);
	return true;
}
