/* Legacy ipsec.conf (strongSwan 5.x starter / stroke): `conn` sections
 * with left/right, leftsubnet/rightsubnet, also= and %default, into
 * phase 1 and phase 2 of a Linux site. left is taken as the local side
 * unless the site's interfaces hold the right address. */
#include <string.h>

#include "import/linux/linux.h"
#include "import/strongswan/swanctl_map.h"
#include "import/load.h"

struct ic_kv {
	struct str key, val;
	struct srcloc loc;
};

struct ic_conn {
	struct str name;
	struct ic_kv *kv;
	size_t nkv, ckv;
	struct srcloc loc;
};

struct ic {
	struct arena *ar;
	struct ic_conn *c;
	size_t n, cap;
};

static const struct ic_conn *
ic_find(const struct ic *p, struct str name)
{
	for (size_t i = 0; i < p->n; i++)
		if (name.n == p->c[i].name.n &&
		    memcmp(name.p, p->c[i].name.p, name.n) == 0)
			return &p->c[i];
	return NULL;
}

/* The value of key in conn, following also= (depth bounded) and
 * %default; NULL when unset. */
/* *budget bounds the walk: also= may form cycles and fans (hostile
 * input), which a depth limit alone leaves exponential. */
static const struct ic_kv *
ic_walk(const struct ic *p, const struct ic_conn *c, const char *key,
	unsigned depth, unsigned *budget)
{
	if (c == NULL || depth > LX_MAX_DEPTH || *budget == 0)
		return NULL;
	--*budget;
	for (size_t i = c->nkv; i-- > 0;)
		if (str_eq(c->kv[i].key, key))
			return &c->kv[i];
	for (size_t i = 0; i < c->nkv; i++)
		if (str_eq(c->kv[i].key, "also")) {
			const struct ic_kv *v =
			    ic_walk(p, ic_find(p, c->kv[i].val), key, depth + 1,
				    budget);
			if (v)
				return v;
		}
	if (depth == 0 && !str_eq(c->name, "%default"))
		return ic_walk(p, ic_find(p, STR_LIT("%default")), key, 1,
			       budget);
	return NULL;
}

static const struct ic_kv *
ic_get(const struct ic *p, const struct ic_conn *c, const char *key,
       unsigned depth)
{
	unsigned budget = 256;
	return ic_walk(p, c, key, depth, &budget);
}

static const char *
ic_val(const struct ic *p, const struct ic_conn *c, const char *key,
       const char *dflt)
{
	const struct ic_kv *kv = ic_get(p, c, key, 0);
	return kv ? lx_dup(p->ar, kv->val) : dflt;
}

/* Without the strict flag '!' stroke appends strongSwan's default
 * proposals to the list (stroke_config.c lines 176-190,
 * ike-parameters.md §5), which ipsecdiag does not model: such a list is
 * not compared. */
static void
ic_nonstrict(struct proposals *ps)
{
	size_t n = ps->text ? strlen(ps->text) : 0;
	if (n && ps->text[n - 1] != '!')
		ps->unknown = true;
}

static void
ic_p2(struct arena *ar, struct site *s, size_t p1i, const struct ic *p,
      const struct ic_conn *c, struct str lt, struct str rt)
{
	struct phase1 *p1 = &s->p1[p1i];
	struct phase2 *p2 = ARENA_PUSH(ar, s->p2, s->np2, s->cp2);
	p2->ikeid = p2->descr = p1->ikeid;
	p2->uniqid = p1->ikeid;
	p2->loc = c->loc;
	p2->proto = PROTO_ESP;
	p2->disabled = p1->disabled;
	p2->start_action = ic_val(p, c, "auto", "ignore");
	struct selector *ends[2] = {&p2->local, &p2->remote};
	struct str ts[2] = {lt, rt};
	const struct ipaddr *own[2] = {&p1->local, &p1->peer};
	bool known[2] = {p1->local_known, p1->peer_known};
	for (int k = 0; k < 2; k++) {
		ends[k]->text = lx_dup(ar, ts[k]);
		ends[k]->type = ts[k].n ? "network" : "address";
		ends[k]->resolved =
		    ts[k].n ? lx_parse_ts(ts[k], &ends[k]->net) : known[k];
		if (!ts[k].n && known[k])
			ends[k]->net =
			    prefix_make(*own[k], fam_bits(own[k]->fam));
	}
	const char *type = ic_val(p, c, "type", "tunnel");
	p2->mode = strcmp(type, "transport") == 0 ? P2_TRANSPORT
		   : p2->local.resolved && p2->local.net.addr.fam == FAM_V6
		       ? P2_TUNNEL6
		       : P2_TUNNEL;
	/* mark= sets both directions, mark_in=/mark_out= one (ipsec.conf(5)) */
	const char *mark = ic_val(p, c, "mark", NULL);
	p2->has_mark_in = swc_mark(ic_val(p, c, "mark_in", mark), &p2->mark_in,
				   &p2->mark_in_mask);
	p2->has_mark_out = swc_mark(ic_val(p, c, "mark_out", mark),
				    &p2->mark_out, &p2->mark_out_mask);
	const char *esp = ic_val(p, c, "esp", NULL);
	const char *ah = ic_val(p, c, "ah", NULL);
	if (ah && !esp)
		p2->proto = PROTO_AH;
	p2->esp.proto = ah && !esp ? PROP_AH : PROP_ESP;
	p2->esp.loc = c->loc;
	if (esp || ah)
		proposals_parse(ar, esp ? esp : ah, p2->esp.proto, &p2->esp,
				NULL);
	ic_nonstrict(&p2->esp);
	if (esp || ah) {
		struct str pr = str_from(esp ? esp : ah);
		if (pr.n && pr.p[pr.n - 1] == '!') /* strict flag */
			pr.n--;
		lx_parse_esp_proposals(ar, pr, p2);
	}
}

static void
ic_conn(struct arena *ar, struct site *s, const struct ic *p,
	const struct ic_conn *c)
{
	struct phase1 *p1 = ARENA_PUSH(ar, s->p1, s->np1, s->cp1);
	size_t p1i = s->np1 - 1;
	p1->ikeid = p1->descr = lx_dup(ar, c->name);
	p1->loc = c->loc;
	const char *l = ic_val(p, c, "left", "%any");
	const char *r = ic_val(p, c, "right", "%any");
	struct ipaddr la, ra;
	bool lk = ipaddr_parse(str_from(l), &la);
	bool rk = ipaddr_parse(str_from(r), &ra);
	bool swap =
	    rk && site_is_own_addr(s, &ra) && !(lk && site_is_own_addr(s, &la));
	const char *ls = ic_val(p, c, swap ? "rightsubnet" : "leftsubnet", "");
	const char *rs = ic_val(p, c, swap ? "leftsubnet" : "rightsubnet", "");
	p1->remote = swap ? l : r;
	p1->peer_known = swap ? lk : rk;
	p1->peer = swap ? la : ra;
	p1->local_known = swap ? rk : lk;
	p1->local = swap ? ra : la;
	p1->outer_fam = p1->peer_known ? p1->peer.fam : FAM_V4;
	p1->mobile = !p1->peer_known;
	const char *kx = ic_val(p, c, "keyexchange", "ike");
	p1->ikever = strcmp(kx, "ikev1") == 0	? 1
		     : strcmp(kx, "ikev2") == 0 ? 2
						: 0;
	if (strcmp(ic_val(p, c, "forceencaps", "no"), "yes") == 0)
		p1->natt = "force";
	p1->disabled = strcmp(ic_val(p, c, "auto", "ignore"), "ignore") == 0;
	p1->proposals = ic_val(p, c, "ike", NULL); /* as written, for show */
	p1->ike.proto = PROP_IKE;
	p1->ike.loc = c->loc;
	if (p1->proposals)
		proposals_parse(ar, p1->proposals, PROP_IKE, &p1->ike, NULL);
	ic_nonstrict(&p1->ike);
	p1->id_loc = p1->ver_loc = c->loc;
	/* leftid/rightid default to the addresses (ipsec.conf(5)) */
	p1->myid = swc_id(
	    ar, ic_val(p, c, swap ? "rightid" : "leftid",
		       p1->local_known ? ipaddr_str(ar, &p1->local) : NULL));
	p1->peerid = swc_id(
	    ar, ic_val(p, c, swap ? "leftid" : "rightid",
		       p1->peer_known ? ipaddr_str(ar, &p1->peer) : "%any"));
	struct str ll = str_from(ls), lt;
	while (str_next(&ll, ',', &lt)) {
		struct str rl = str_from(rs), rt;
		while (str_next(&rl, ',', &rt))
			ic_p2(ar, s, p1i, p, c, str_trim(lt), str_trim(rt));
	}
}

bool
cfg_ipsecconf_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct ic p = {.ar = ar};
	struct ic_conn *cur = NULL;
	bool in_setup = false;
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line), key, val;
		struct srcloc loc = {in->path, it.lineno, 1, 0};
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (line.p[0] != ' ' && line.p[0] != '\t') {
			cur = NULL;
			in_setup = str_starts(t, "config ");
			if (str_starts(t, "conn ")) {
				cur = ARENA_PUSH(ar, p.c, p.n, p.cap);
				cur->name =
				    str_trim((struct str){t.p + 5, t.n - 5});
				cur->loc = loc;
			} else if (str_starts(t, "include ")) {
				diag(DIAG_NOTE, &loc,
				     "include not followed; "
				     "give the included file too");
			} else if (!in_setup) {
				diag(DIAG_ERROR, &loc,
				     "expected 'conn NAME', "
				     "'config setup' or 'include'");
				return false;
			}
			continue;
		}
		if (!str_split(t, '=', &key, &val)) {
			loc.col = lx_col(line, t.p);
			diag(DIAG_ERROR, &loc, "expected 'key=value'");
			return false;
		}
		if (cur == NULL)
			continue; /* config setup */
		val = str_trim(val);
		if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"')
			val = (struct str){val.p + 1, val.n - 2};
		*ARENA_PUSH(ar, cur->kv, cur->nkv, cur->ckv) =
		    (struct ic_kv){str_trim(key), val, loc};
	}
	lx_site_mark(s);
	size_t p10 = s->np1, p20 = s->np2;
	for (size_t i = 0; i < p.n; i++)
		if (!str_eq(p.c[i].name, "%default"))
			ic_conn(ar, s, &p, &p.c[i]);
	lx_resolve(s);
	in->summary = arena_printf(ar, "ipsec.conf %zu conns, %zu phase 2",
				   s->np1 - p10, s->np2 - p20);
	return true;
}
