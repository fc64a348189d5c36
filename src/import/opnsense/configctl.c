/* OPNsense's `configctl ipsec list status|spd|sad|leases`: the JSON its
 * configd scripts print (doc/behaviour/loose-files.md §2). status = the
 * vici list-conns/list-sas of charon, keyed by connection; spd / sad =
 * `setkey -DP` / `setkey -D` parsed into {"records": [...]}; leases =
 * `swanctl --list-pools --leases`. The SAs become OBS_SA observations as
 * `swanctl --list-sas` and `setkey -D` do, the SPD the box's policies.
 * The SAD records carry the keys ("m_enc", "m_auth"): never read. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"

struct cc {
	struct arena *ar;
	struct input_file *in;
	struct site *s;
	const char *buf;
	size_t len;
	size_t searches; /* cc_where() scans: bounded, each is O(len) */
};

/* Located evidence for the first records of a file of bounded size; the
 * rest cite line 1 (a hostile file must not make the scans quadratic). */
enum { CC_LOCATE_MAX = 512, CC_LOCATE_BYTES = 4 << 20 };

/* Where a value's text first appears ("\"spi-in\":\"c8931e89\""): the
 * line and column evidence cites; line 1 when it cannot be found (the
 * scripts print one line; jq or an editor may have spread it). */
static struct srcloc
cc_where(struct cc *c, const char *key, const char *val)
{
	struct srcloc loc = {c->in->path, 1, 0, 0};
	if (val == NULL || c->len > CC_LOCATE_BYTES ||
	    c->searches++ >= CC_LOCATE_MAX)
		return loc;
	const char *needle = arena_printf(c->ar, "\"%s\"", val);
	const char *qkey = arena_printf(c->ar, "\"%s\"", key);
	size_t k = strlen(needle), kk = strlen(qkey);
	const char *end = c->buf + c->len;
	for (const char *p = c->buf;
	     (p = memmem(p, (size_t)(end - p), needle, k)) != NULL; p++) {
		/* its key just before: "key":"val" or "key": "val" */
		size_t back = kk + 4;
		const char *from =
		    (size_t)(p - c->buf) > back ? p - back : c->buf;
		if (memmem(from, (size_t)(p - from), qkey, kk) == NULL)
			continue;
		loc.line = 1;
		loc.col = 1;
		for (const char *q = c->buf; q < p; q++) {
			loc.col++;
			if (*q == '\n')
				loc.line++, loc.col = 1;
		}
		return loc;
	}
	return loc;
}

static const char *
cc_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v))
		return json_string_value(v);
	return NULL;
}

/* A number as the scripts print it: a string ("84", vici) or an integer
 * (list_sad.py converts digit strings). */
static bool
cc_num(json_t *o, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return true;
	}
	const char *t = json_is_string(v) ? json_string_value(v) : NULL;
	return t && str_to_u64(str_from(t), UINT64_MAX, out);
}

static uint32_t
cc_hex(const char *t)
{
	return t ? (uint32_t)strtoul(t, NULL, 16) : 0;
}

/* vici "local-ts": ["10.0.1.0/24"] (a list), or one string. */
static size_t
cc_ts(json_t *v, struct prefix *out, size_t max)
{
	size_t n = 0, i;
	json_t *e;
	if (json_is_string(v))
		return lx_parse_ts(str_from(json_string_value(v)), out) ? 1 : 0;
	json_array_foreach(v, i, e)
	{
		if (n < max && json_is_string(e) &&
		    lx_parse_ts(str_from(json_string_value(e)), &out[n]))
			n++;
	}
	return n;
}

/* One child of an IKE SA: one OBS_SA per (local, remote) selector pair,
 * as swanctl --list-sas gives them. */
static size_t
cc_child(struct cc *c, const char *conn, json_t *ike, json_t *ch)
{
	struct observation o = {.kind = OBS_SA, .proto = PROTO_ESP};
	const char *spi_in = cc_str(ch, "spi-in");
	o.where = cc_where(c, "spi-in", spi_in);
	o.conn = conn;
	/* the JSON tree is freed after reading: copies */
	const char *name = cc_str(ch, "name"), *state = cc_str(ch, "state");
	o.child = o.text = name ? arena_strdup(c->ar, name) : NULL;
	o.action = state ? arena_strdup(c->ar, state) : NULL;
	const char *proto = cc_str(ch, "protocol");
	if (proto && strcmp(proto, "AH") == 0)
		o.proto = PROTO_AH;
	const char *lh = cc_str(ike, "local-host"),
		   *rh = cc_str(ike, "remote-host");
	if (lh)
		ipaddr_parse(str_from(lh), &o.src);
	if (rh)
		ipaddr_parse(str_from(rh), &o.dst);
	const char *encap = cc_str(ch, "encap");
	if (encap && strcmp(encap, "yes") == 0)
		o.sport = o.dport = 4500; /* ESP in UDP (NAT-T) */
	o.value = cc_hex(spi_in);
	o.spi_out = cc_hex(cc_str(ch, "spi-out"));
	cc_num(ch, "bytes-in", &o.bytes_rev);
	cc_num(ch, "packets-in", &o.count_rev);
	cc_num(ch, "bytes-out", &o.bytes);
	cc_num(ch, "packets-out", &o.count);
	struct prefix l[16], r[16];
	size_t nl = cc_ts(json_object_get(ch, "local-ts"), l, 16);
	size_t nr = cc_ts(json_object_get(ch, "remote-ts"), r, 16);
	if (nl == 0 || nr == 0) {
		diag(DIAG_WARNING, &o.where,
		     "child SA '%s' of '%s' without traffic selectors "
		     "(local-ts / remote-ts): skipped",
		     o.child ? o.child : "?", conn);
		return 0;
	}
	for (size_t i = 0; i < nl; i++)
		for (size_t j = 0; j < nr; j++) {
			o.ts_local = l[i];
			o.ts_remote = r[j];
			*ARENA_PUSH(c->ar, c->s->ev.obs, c->s->ev.nobs,
				    c->s->ev.cobs) = o;
		}
	return 1;
}

/* An IKE SA not (yet) up: a note, as for swanctl --list-sas. */
static void
cc_ike_state(struct cc *c, const char *conn, json_t *ike)
{
	const char *st = cc_str(ike, "state");
	if (st == NULL || strcmp(st, "ESTABLISHED") == 0)
		return;
	struct observation *o =
	    ARENA_PUSH(c->ar, c->s->ev.obs, c->s->ev.nobs, c->s->ev.cobs);
	*o = (struct observation){.kind = OBS_IKE_LOG, .action = "ike-state"};
	o->where = cc_where(c, "state", st);
	o->conn = conn;
	o->text = arena_printf(c->ar, "IKE_SA %s %s", conn, st);
}

/* list.status: {"con1": {"local-addrs": ..., "sas": [{IKE SA with
 * "child-sas": {"con1-3": {...}}}]}}. */
static bool
cc_status(struct cc *c, json_t *root)
{
	const char *conn;
	json_t *v;
	size_t nconn = 0, nsa = 0;
	json_object_foreach(root, conn, v)
	{
		json_t *sas = json_object_get(v, "sas");
		if (!json_is_object(v) || !json_is_array(sas))
			continue;
		nconn++;
		const char *name = arena_strdup(c->ar, conn);
		size_t i;
		json_t *ike;
		json_array_foreach(sas, i, ike)
		{
			if (!json_is_object(ike))
				continue;
			cc_ike_state(c, name, ike);
			const char *k;
			json_t *ch;
			json_t *children = json_object_get(ike, "child-sas");
			json_object_foreach(children, k, ch)
			{
				if (json_is_object(ch))
					nsa += cc_child(c, name, ike, ch);
			}
		}
	}
	c->s->ev.has_status = true;
	c->in->summary = arena_printf(c->ar,
				      "configctl ipsec list status: %zu "
				      "connections, %zu child SAs",
				      nconn, nsa);
	return true;
}

/* list.spd records: src, dst, dir, type, "src-dst" [outer], reqid. */
static bool
cc_spd_rec(struct cc *c, json_t *r, struct box_spd *p)
{
	const char *src = cc_str(r, "src"), *dst = cc_str(r, "dst");
	const char *dir = cc_str(r, "dir");
	if (!src || !dst || !lx_parse_ts(str_from(src), &p->src) ||
	    !lx_parse_ts(str_from(dst), &p->dst))
		return false;
	p->dir = !dir			   ? BSPD_OTHER
		 : strcmp(dir, "in") == 0  ? BSPD_IN
		 : strcmp(dir, "out") == 0 ? BSPD_OUT
		 : strcmp(dir, "fwd") == 0 ? BSPD_FWD
					   : BSPD_OTHER;
	const char *type = cc_str(r, "type");
	p->action = type ? arena_strdup(c->ar, type) : NULL;
	json_t *ends = json_object_get(r, "src-dst");
	if (json_is_array(ends) && json_array_size(ends) == 2 &&
	    json_is_string(json_array_get(ends, 0)) &&
	    json_is_string(json_array_get(ends, 1)))
		p->has_outer =
		    ipaddr_parse(
			str_from(json_string_value(json_array_get(ends, 0))),
			&p->outer_src) &&
		    ipaddr_parse(
			str_from(json_string_value(json_array_get(ends, 1))),
			&p->outer_dst);
	uint64_t v;
	if (cc_num(r, "reqid", &v) && v <= UINT32_MAX)
		p->reqid = (unsigned)v;
	const char *ifn = cc_str(r, "ifname");
	p->ifname = ifn ? arena_strdup(c->ar, ifn) : NULL;
	p->loc = cc_where(c, "id", cc_str(r, "id"));
	return true;
}

static bool
cc_spd(struct cc *c, json_t *recs)
{
	struct boxstate *b = &c->s->ev.box;
	size_t i, n = 0;
	json_t *r;
	json_array_foreach(recs, i, r)
	{
		struct box_spd p = {0};
		if (!json_is_object(r) || !cc_spd_rec(c, r, &p))
			continue;
		*ARENA_PUSH(c->ar, b->spd, b->nspd, b->cspd) = p;
		n++;
	}
	b->has_spd = true;
	b->spd_file = c->in->path;
	b->present = true;
	if (b->archive == NULL)
		b->archive = "loose files";
	c->in->summary = arena_printf(
	    c->ar, "configctl ipsec list spd: %zu kernel policies", n);
	return true;
}

/* "198.51.100.2[4500]": the address and the NAT-T port. */
static bool
cc_addr_port(const char *t, struct ipaddr *a, uint16_t *port)
{
	struct str ip, rest, num;
	uint64_t v;
	*port = 0;
	if (t == NULL)
		return false;
	if (str_split(str_from(t), '[', &ip, &rest)) {
		str_split(rest, ']', &num, &(struct str){0});
		if (str_to_u64(num, 65535, &v))
			*port = (uint16_t)v;
	}
	return ipaddr_parse(ip, a);
}

/* list.sad records (one SA per direction): src, dst, satype, spi (hex),
 * reqid, bytes_current; paired by reqid as setkey -D's. */
static bool
cc_sad(struct cc *c, json_t *recs)
{
	struct site *s = c->s;
	size_t first = s->ev.nobs, i, n = 0;
	json_t *r;
	json_array_foreach(recs, i, r)
	{
		struct observation o = {.kind = OBS_SA, .action = "SA"};
		uint16_t sp, dp;
		if (!json_is_object(r) ||
		    !cc_addr_port(cc_str(r, "src"), &o.src, &sp) ||
		    !cc_addr_port(cc_str(r, "dst"), &o.dst, &dp))
			continue;
		const char *type = cc_str(r, "satype"), *spi = cc_str(r, "spi");
		o.proto =
		    type && strcmp(type, "ah") == 0 ? PROTO_AH : PROTO_ESP;
		if (sp || dp || (type && strcmp(type, "esp-udp") == 0)) {
			o.sport = sp ? sp : 4500;
			o.dport = dp ? dp : 4500;
		}
		o.value = cc_hex(spi);
		o.where = cc_where(c, "spi", spi);
		uint64_t v;
		if (cc_num(r, "reqid", &v))
			o.text = arena_printf(c->ar, "reqid %llu",
					      (unsigned long long)v);
		o.dir = site_is_box_addr(s, &o.src)   ? PDIR_OUT
			: site_is_box_addr(s, &o.dst) ? PDIR_IN
						      : PDIR_NONE;
		if (cc_num(r, "bytes_current", &v)) {
			if (o.dir == PDIR_IN)
				o.bytes_rev = v;
			else
				o.bytes = v;
		}
		*ARENA_PUSH(c->ar, s->ev.obs, s->ev.nobs, s->ev.cobs) = o;
		n++;
	}
	sa_sad_pair(s, first);
	s->ev.has_status = true;
	c->in->summary =
	    arena_printf(c->ar, "configctl ipsec list sad: %zu SAs", n);
	return true;
}

/* list.leases: {"pools": {...}, "leases": [{pool, address, online,
 * user}]}: mobile clients' addresses, counted. */
static bool
cc_leases(struct cc *c, json_t *root)
{
	json_t *l = json_object_get(root, "leases");
	size_t i, n = 0, on = 0;
	json_t *e;
	json_array_foreach(l, i, e)
	{
		n++;
		on += json_is_true(json_object_get(e, "online"));
	}
	c->in->summary = arena_printf(
	    c->ar,
	    "configctl ipsec list leases: %zu pools, %zu leases (%zu online)",
	    json_object_size(json_object_get(root, "pools")), n, on);
	return true;
}

/* Which of the four lists this is: by its keys, never by the name. */
static bool
cc_dispatch(struct cc *c, json_t *root)
{
	json_t *recs = json_object_get(root, "records");
	if (json_is_array(recs)) {
		json_t *r0 = json_array_get(recs, 0);
		if (r0 == NULL) { /* no entries: which list cannot matter */
			c->in->summary = "configctl ipsec list spd/sad: no "
					 "entries";
			return true;
		}
		if (json_object_get(r0, "satype"))
			return cc_sad(c, recs);
		return cc_spd(c, recs);
	}
	if (json_object_get(root, "pools"))
		return cc_leases(c, root);
	return cc_status(c, root);
}

bool
configctl_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct cc c = {ar, in, s, buf, len, 0};
	struct str t = str_trim((struct str){buf, len});
	if (str_starts(t, "ipsec not active")) {
		/* list_status.py when charon's vici socket is closed */
		struct boxstate *b = &s->ev.box;
		struct box_error *e =
		    ARENA_PUSH(ar, b->errors, b->nerrors, b->cerrors);
		e->text = "configctl ipsec list status: ipsec not active "
			  "(charon was not running)";
		e->loc = (struct srcloc){in->path, 1, 1, 0};
		b->present = true;
		if (b->archive == NULL)
			b->archive = "loose files";
		in->summary = "configctl ipsec list status: ipsec not active";
		return true;
	}
	json_error_t err;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		struct srcloc loc = {in->path, (uint32_t)err.line,
				     (uint32_t)err.column, 0};
		diag(DIAG_ERROR, &loc, "not valid JSON: %s", err.text);
		return false;
	}
	bool ok = json_is_object(root);
	if (!ok) {
		struct srcloc loc = {in->path, 1, 1, 0};
		diag(DIAG_ERROR, &loc,
		     "expected a JSON object, as configctl ipsec list "
		     "prints");
	} else {
		ok = cc_dispatch(&c, root);
	}
	json_decref(root);
	return ok;
}
