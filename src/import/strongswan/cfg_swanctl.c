/* swanctl.conf (strongSwan 5.9 / 6.x settings syntax): sections, key =
 * value, `include` globs resolved relative to the including file, into
 * phase 1 (connections) and phase 2 (children) of a Linux site; the
 * mapping itself is swanctl_map.c, shared with OPNsense's Connections. */
#include <glob.h>
#include <string.h>
#include <sys/stat.h>

#include "import/linux/linux.h"
#include "import/load.h"
#include "import/strongswan/swanctl_map.h"

struct sw_kv {
	const char *key, *val;
	struct srcloc loc;
};

struct sw_node {
	const char *name;
	struct sw_kv *kv;
	size_t nkv, ckv;
	struct sw_node **kid;
	size_t nkid, ckid;
	struct srcloc loc;
	struct sw_node *parent;
	const char *tmpl; /* "name : tmpl {": inherits (swanctl 5.7+) */
};

struct sw_lex {
	struct arena *ar;
	const char *file, *p, *end;
	uint32_t line, col;
	unsigned incdepth;
	size_t *nfiles;
	bool ok;
};

static void
sw_adv(struct sw_lex *lx)
{
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->p++;
}

static struct srcloc
sw_loc(const struct sw_lex *lx)
{
	return (struct srcloc){
	    .file = lx->file, .line = lx->line, .col = lx->col};
}

/* Skips blanks, comments and (when nl) newlines. */
static void
sw_skip(struct sw_lex *lx, bool nl)
{
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				sw_adv(lx);
		} else if (c == ' ' || c == '\t' || c == '\r' ||
			   (nl && c == '\n')) {
			sw_adv(lx);
		} else {
			break;
		}
	}
}

static struct sw_node *
sw_child(struct arena *ar, struct sw_node *n, const char *name,
	 const struct srcloc *loc)
{
	for (size_t i = 0; i < n->nkid; i++)
		if (strcmp(n->kid[i]->name, name) == 0)
			return n->kid[i]; /* sections merge, as in charon */
	struct sw_node *k = arena_alloc(ar, sizeof(*k));
	k->name = name;
	k->loc = *loc;
	k->parent = n;
	*ARENA_PUSH(ar, n->kid, n->nkid, n->ckid) = k;
	return k;
}

static void
sw_error(struct sw_lex *lx, const char *msg)
{
	struct srcloc loc = sw_loc(lx);
	diag(DIAG_ERROR, &loc, "%s", msg);
	lx->ok = false;
}

static const char *
sw_value(struct sw_lex *lx)
{
	sw_skip(lx, false);
	if (lx->p < lx->end && *lx->p == '"') {
		sw_adv(lx);
		const char *start = lx->p;
		while (lx->p < lx->end && *lx->p != '"') {
			if (*lx->p == '\\' && lx->p + 1 < lx->end)
				sw_adv(lx);
			sw_adv(lx);
		}
		if (lx->p >= lx->end) {
			sw_error(lx, "unterminated quoted value");
			return NULL;
		}
		const char *v =
		    arena_strndup(lx->ar, start, (size_t)(lx->p - start));
		sw_adv(lx);
		return v;
	}
	const char *start = lx->p;
	while (lx->p < lx->end && *lx->p != '\n' && *lx->p != '#' &&
	       *lx->p != '}')
		sw_adv(lx);
	return lx_dup(lx->ar,
		      str_trim((struct str){start, (size_t)(lx->p - start)}));
}

static bool sw_parse_file(struct sw_lex *parent, const char *path,
			  struct sw_node *into, unsigned depth);
static void sw_block(struct sw_lex *lx, struct sw_node *n, unsigned depth,
		     bool inner);

static void
sw_include(struct sw_lex *lx, struct sw_node *n, unsigned depth)
{
	sw_skip(lx, false);
	struct srcloc at = sw_loc(lx);
	const char *start = lx->p;
	while (lx->p < lx->end && *lx->p != '\n' && *lx->p != '#')
		sw_adv(lx);
	struct str pat = str_trim((struct str){start, (size_t)(lx->p - start)});
	if (pat.n >= 2 && pat.p[0] == '"' && pat.p[pat.n - 1] == '"')
		pat = (struct str){pat.p + 1, pat.n - 2};
	if (lx->incdepth >= LX_MAX_INCLUDE) {
		diag(DIAG_ERROR, &at, "includes nested deeper than %d",
		     LX_MAX_INCLUDE);
		lx->ok = false;
		return;
	}
	/* Relative to the directory of the including file. */
	const char *slash = strrchr(lx->file, '/');
	const char *full =
	    pat.n && pat.p[0] == '/'
		? lx_dup(lx->ar, pat)
		: arena_printf(lx->ar, "%.*s%.*s",
			       slash ? (int)(slash - lx->file + 1) : 0,
			       lx->file, (int)pat.n, pat.p);
	glob_t g;
	int rc = glob(full, 0, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		/* charon ignores patterns matching nothing */
		diag(DIAG_NOTE, &at, "include '%s' matches no file", full);
		return;
	}
	if (rc != 0) {
		diag(DIAG_ERROR, &at, "include '%s' cannot be read", full);
		lx->ok = false;
		return;
	}
	for (size_t i = 0; i < g.gl_pathc && lx->ok; i++)
		if (!sw_parse_file(lx, arena_strdup(lx->ar, g.gl_pathv[i]), n,
				   depth))
			lx->ok = false;
	globfree(&g);
}

static struct str
sw_name(struct sw_lex *lx)
{
	const char *start = lx->p;
	while (lx->p < lx->end) {
		char c = *lx->p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '{' || c == '}' || c == '=' || c == '#' || c == ':')
			break;
		sw_adv(lx);
	}
	return (struct str){start, (size_t)(lx->p - start)};
}

/* One item in a section: key = value, name { ... }, include. */
static void
sw_item(struct sw_lex *lx, struct sw_node *n, unsigned depth)
{
	struct srcloc at = sw_loc(lx);
	struct str name = sw_name(lx);
	if (name.n == 0) {
		sw_error(lx, "expected a name, '=' or '{'");
		return;
	}
	if (str_eq(name, "include")) {
		sw_include(lx, n, depth);
		return;
	}
	sw_skip(lx, true);
	struct str tmpl = {0};
	if (lx->p < lx->end && *lx->p == ':') { /* name : template { */
		sw_adv(lx);
		sw_skip(lx, false);
		tmpl = sw_name(lx); /* the first; more after ',' ignored */
		while (lx->p < lx->end && *lx->p != '{' && *lx->p != '\n')
			sw_adv(lx);
	}
	if (lx->p < lx->end && *lx->p == '=') {
		sw_adv(lx);
		const char *v = sw_value(lx);
		if (v == NULL)
			return;
		for (size_t i = 0; i < n->nkv; i++)
			if (strcmp(n->kv[i].key, lx_dup(lx->ar, name)) == 0) {
				n->kv[i].val = v; /* last one wins */
				n->kv[i].loc = at;
				return;
			}
		*ARENA_PUSH(lx->ar, n->kv, n->nkv, n->ckv) =
		    (struct sw_kv){lx_dup(lx->ar, name), v, at};
	} else if (lx->p < lx->end && *lx->p == '{') {
		if (depth >= LX_MAX_DEPTH) {
			sw_error(lx, "sections nested too deeply");
			return;
		}
		sw_adv(lx);
		struct sw_node *k =
		    sw_child(lx->ar, n, lx_dup(lx->ar, name), &at);
		if (tmpl.n)
			k->tmpl = lx_dup(lx->ar, tmpl);
		sw_block(lx, k, depth + 1, true);
	} else {
		sw_error(lx, arena_printf(lx->ar,
					  "expected '=' or '{' after "
					  "'%.*s'",
					  (int)name.n, name.p));
	}
}

static void
sw_block(struct sw_lex *lx, struct sw_node *n, unsigned depth, bool inner)
{
	struct srcloc open = sw_loc(lx);
	while (lx->ok) {
		sw_skip(lx, true);
		if (lx->p >= lx->end) {
			if (inner) {
				sw_error(lx, "missing '}'");
				diag(DIAG_NOTE, &open,
				     "section '%s' opened here", n->name);
			}
			return;
		}
		if (*lx->p == '}') {
			if (!inner) {
				sw_error(lx, "'}' without a section to close");
				return;
			}
			sw_adv(lx);
			return;
		}
		sw_item(lx, n, depth);
	}
}

static bool
sw_parse_buf(struct sw_lex *lx, struct sw_node *into, unsigned depth)
{
	sw_block(lx, into, depth, false);
	return lx->ok;
}

static bool
sw_parse_file(struct sw_lex *parent, const char *path, struct sw_node *into,
	      unsigned depth)
{
	size_t len;
	if (++*parent->nfiles > 1000) {
		struct srcloc loc = {.file = path};
		diag(DIAG_ERROR, &loc, "more than 1000 included files");
		return false;
	}
	struct stat st;
	if (parent->incdepth > 0 &&
	    (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
		/* an include of /dev/stdin or a FIFO would hang */
		struct srcloc loc = {.file = path};
		diag(DIAG_WARNING, &loc, "not a regular file, not included");
		return true;
	}
	char *buf = file_slurp(parent->ar, path, LX_MAX_FILE, &len);
	if (buf == NULL)
		return false;
	struct sw_lex lx = {
	    parent->ar,		  path,		  buf, buf + len, 1, 1,
	    parent->incdepth + 1, parent->nfiles, true};
	return sw_parse_buf(&lx, into, depth);
}

static const struct sw_node *sw_sub(const struct sw_node *n, const char *name);

/* A section of the tree by its full name ("connections.base"), as
 * charon resolves a reference: from the root (settings.c
 * resolve_reference(), doc/behaviour/real-bundles.md §3). */
static const struct sw_node *
sw_path(const struct sw_node *n, const char *path)
{
	while (n->parent)
		n = n->parent;
	const char *p = path;
	while (n && *p) {
		const char *dot = strchr(p, '.');
		size_t k = dot ? (size_t)(dot - p) : strlen(p);
		const struct sw_node *next = NULL;
		for (size_t i = 0; i < n->nkid && !next; i++)
			if (strlen(n->kid[i]->name) == k &&
			    strncmp(n->kid[i]->name, p, k) == 0)
				next = n->kid[i];
		n = next;
		p = dot ? dot + 1 : p + k;
	}
	return n;
}

static const struct sw_node *sw_own(const struct sw_node *n, const char *name);

/* What a section inherits from: the section it names ("name : ref", a
 * full name; a sibling's bare name is taken too), else the same-named
 * subsection of what its parent inherits from (charon looks a key up in
 * the referenced sections, relative to them: settings.c
 * find_value_buffered()). NULL if none. */
static const struct sw_node *
sw_tmpl_d(const struct sw_node *n, unsigned d, bool full)
{
	if (!n || d >= LX_MAX_DEPTH)
		return NULL;
	if (n->tmpl) {
		const struct sw_node *t = sw_path(n, n->tmpl);
		for (size_t i = 0;
		     !full && !t && n->parent && i < n->parent->nkid; i++)
			if (strcmp(n->parent->kid[i]->name, n->tmpl) == 0)
				t = n->parent->kid[i];
		return t != n ? t : NULL;
	}
	if (!n->parent)
		return NULL;
	const struct sw_node *pt = sw_tmpl_d(n->parent, d + 1, full);
	return pt ? sw_own(pt, n->name) : NULL;
}

static const struct sw_node *
sw_tmpl(const struct sw_node *n)
{
	return sw_tmpl_d(n, 0, false);
}

/* Only what charon itself resolves (a full name): the children of such a
 * template join the section's own. */
static const struct sw_node *
sw_tmpl_full(const struct sw_node *n)
{
	return sw_tmpl_d(n, 0, true);
}

static const struct sw_node *
sw_own(const struct sw_node *n, const char *name)
{
	for (size_t i = 0; n && i < n->nkid; i++)
		if (strcmp(n->kid[i]->name, name) == 0)
			return n->kid[i];
	return NULL;
}

static const struct sw_kv *
sw_get(const struct sw_node *n, const char *key)
{
	for (unsigned d = 0; n && d < LX_MAX_DEPTH; d++, n = sw_tmpl(n))
		for (size_t i = 0; i < n->nkv; i++)
			if (strcmp(n->kv[i].key, key) == 0)
				return &n->kv[i];
	return NULL;
}

/* A subsection: the section's own (which inherits the rest from the
 * template's same-named one, sw_tmpl()), else the template's. */
static const struct sw_node *
sw_sub(const struct sw_node *n, const char *name)
{
	for (unsigned d = 0; n && d < LX_MAX_DEPTH; d++, n = sw_tmpl(n)) {
		const struct sw_node *k = sw_own(n, name);
		if (k)
			return k;
	}
	return NULL;
}

static const char *
sw_val(const struct sw_node *n, const char *key)
{
	const struct sw_kv *kv = sw_get(n, key);
	return kv ? kv->val : NULL;
}

static void
sw_children(struct arena *ar, struct site *s, size_t p1idx,
	    const struct sw_node *conn)
{
	const struct sw_node *kids = sw_sub(conn, "children");
	/* the children of the section and of what it inherits from, each
	 * name once, its own first (as charon enumerates them) */
	const struct sw_node **all = NULL;
	size_t n = 0, cap = 0;
	const struct sw_node *t = kids;
	for (unsigned d = 0; t && d < LX_MAX_DEPTH; d++, t = sw_tmpl_full(t))
		for (size_t i = 0; i < t->nkid; i++) {
			bool seen = false;
			for (size_t j = 0; j < n && !seen; j++)
				seen =
				    strcmp(all[j]->name, t->kid[i]->name) == 0;
			if (!seen)
				*ARENA_PUSH(ar, all, n, cap) =
				    sw_sub(kids, t->kid[i]->name);
		}
	for (size_t i = 0; i < n; i++) {
		const struct sw_node *ch = all[i];
		const struct phase1 *p1 = &s->p1[p1idx];
		struct swc_child sc = {
		    .name = ch->name,
		    .uniqid = arena_printf(ar, "%s/%s", p1->ikeid, ch->name),
		    .mode = sw_val(ch, "mode"),
		    .local_ts = sw_val(ch, "local_ts"),
		    .remote_ts = sw_val(ch, "remote_ts"),
		    .esp_proposals = sw_val(ch, "esp_proposals"),
		    .ah_proposals = sw_val(ch, "ah_proposals"),
		    .reqid = sw_val(ch, "reqid"),
		    .start_action = sw_val(ch, "start_action"),
		    .rekey_time = sw_val(ch, "rekey_time"),
		    .dpd_action = sw_val(ch, "dpd_action"),
		    .close_action = sw_val(ch, "close_action"),
		    .if_id_in = sw_val(ch, "if_id_in"),
		    .if_id_out = sw_val(ch, "if_id_out"),
		    .mark_in = sw_val(ch, "mark_in"),
		    .mark_out = sw_val(ch, "mark_out"),
		    .loc = ch->loc,
		};
		swc_children(ar, s, p1idx, &sc, &p1->local, p1->local_known);
	}
}

static void
sw_conn(struct arena *ar, struct site *s, const struct sw_node *conn)
{
	const struct sw_kv *ver = sw_get(conn, "version");
	struct swc_conn c = {
	    .name = conn->name,
	    .descr = conn->name,
	    .version = ver ? ver->val : NULL,
	    .local_addrs = sw_val(conn, "local_addrs"),
	    .remote_addrs = sw_val(conn, "remote_addrs"),
	    .proposals = sw_val(conn, "proposals"),
	    .encap = sw_val(conn, "encap"),
	    .local_id = sw_val(sw_sub(conn, "local"), "id"),
	    .remote_id = sw_val(sw_sub(conn, "remote"), "id"),
	    .ids_known = true,
	    .local_auth = sw_val(sw_sub(conn, "local"), "auth"),
	    .rekey_time = sw_val(conn, "rekey_time"),
	    .reauth_time = sw_val(conn, "reauth_time"),
	    .dpd_delay = sw_val(conn, "dpd_delay"),
	    .loc = conn->loc,
	};
	if (ver)
		c.version_loc = ver->loc;
	sw_children(ar, s, swc_phase1(ar, s, &c), conn);
}

/* A secret as bytes: "0x" hex and "0s" base64 decoded, as strongSwan's
 * settings do (swanctl.opt secrets.ike<suffix>.secret); NULL when it
 * does not decode or holds a NUL (then the keys are not compared). */
static const char *
sw_secret_bytes(struct arena *ar, const char *v)
{
	static const char hex[] = "0123456789abcdef";
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				  "qrstuvwxyz0123456789+/";
	/* load_creds.c: a case-insensitive "0x" / "0s" prefix */
	char kind = v && v[0] == '0' ? (char)(v[1] | 0x20) : 0;
	if (kind != 'x' && kind != 's')
		return v;
	const char *digits = kind == 'x' ? hex : b64;
	unsigned w = kind == 'x' ? 4 : 6;
	char *out = arena_alloc(ar, strlen(v) + 1);
	size_t k = 0;
	unsigned acc = 0, bits = 0;
	for (const char *c = v + 2; *c && *c != '='; c++) {
		char ch = kind == 'x' ? (char)(*c | 0x20) : *c;
		const char *d = strchr(digits, ch);
		if (d == NULL)
			return NULL;
		acc = ((acc << w) | (unsigned)(d - digits)) & 0xffff;
		bits += w;
		if (bits >= 8) {
			bits -= 8;
			out[k] = (char)((acc >> bits) & 0xff);
			if (out[k++] == 0)
				return NULL;
		}
	}
	out[k] = 0;
	return out;
}

/* How well a secret's ids name one end (strongSwan's shared key lookup,
 * ike-parameters.md §6): 20 listed, 1 the secret has no id or %any, 0
 * not its key. */
static int
sw_owner_match(struct arena *ar, const struct sw_node *sec, const char *id)
{
	int best = 1, nids = 0;
	for (size_t i = 0; i < sec->nkv; i++) {
		if (strncmp(sec->kv[i].key, "id", 2) != 0)
			continue;
		const char *t = swc_id(ar, sec->kv[i].val);
		if (nids++ == 0)
			best = 0;
		if (id && t && strcmp(t, id) == 0)
			return 20;
		if (t && strcmp(t, "any") == 0)
			best = 1;
	}
	return best;
}

/* The IKE secret charon would use for each PSK phase 1 of this file:
 * the best match of its own and the peer's identity (a peer sending
 * %any is named by its address). */
static void
sw_secrets(struct arena *ar, struct site *s, const struct sw_node *root,
	   size_t p1_before)
{
	const struct sw_node *secs = sw_sub(root, "secrets");
	for (size_t j = p1_before; secs && j < s->np1; j++) {
		struct phase1 *p1 = &s->p1[j];
		if (p1->auth == NULL || strcmp(p1->auth, "psk") != 0)
			continue;
		const char *peer =
		    p1->peerid && strcmp(p1->peerid, "any") != 0 ? p1->peerid
		    : p1->peer_known ? arena_printf(ar, "address:%s",
						    ipaddr_str(ar, &p1->peer))
				     : NULL;
		int best = 0;
		for (size_t i = 0; i < secs->nkid; i++) {
			const struct sw_node *k = secs->kid[i];
			const struct sw_kv *v = sw_get(k, "secret");
			if (strncmp(k->name, "ike", 3) != 0 || v == NULL)
				continue;
			int m = sw_owner_match(ar, k, p1->myid),
			    o = sw_owner_match(ar, k, peer);
			if ((m == 0 && o == 0) || m + o <= best)
				continue;
			best = m + o;
			p1->psk = sw_secret_bytes(ar, v->val);
			p1->psk_loc = v->loc;
		}
	}
}

void
lx_resolve(struct site *s)
{
	/* Recomputed each time: s->p1 may have moved since. */
	for (size_t i = 0; i < s->np2; i++)
		s->p2[i].p1 = NULL;
	for (size_t i = 0; i < s->np2; i++)
		for (size_t j = 0; j < s->np1 && !s->p2[i].p1; j++)
			if (s->p2[i].ikeid && s->p1[j].ikeid &&
			    strcmp(s->p2[i].ikeid, s->p1[j].ikeid) == 0)
				s->p2[i].p1 = &s->p1[j];
	for (size_t j = 0; j < s->np1; j++) {
		struct phase1 *p1 = &s->p1[j];
		for (size_t k = 0;
		     p1->local_known && !p1->iface && k < s->nifaces; k++)
			for (size_t a = 0; a < s->ifaces[k].naddrs; a++)
				if (ipaddr_cmp(&s->ifaces[k].addrs[a].addr,
					       &p1->local) == 0)
					p1->iface = s->ifaces[k].key;
	}
}

bool
cfg_swanctl_import(struct arena *ar, struct input_file *in, struct site *s)
{
	struct sw_node root = {.name = ""};
	size_t nfiles = 0;
	struct sw_lex top = {
	    .ar = ar, .file = in->path, .nfiles = &nfiles, .ok = true};
	if (!sw_parse_file(&top, in->path, &root, 0))
		return false;
	lx_site_mark(s);
	size_t p1_before = s->np1, p2_before = s->np2;
	const struct sw_node *conns = sw_sub(&root, "connections");
	for (size_t i = 0; conns && i < conns->nkid; i++)
		sw_conn(ar, s, conns->kid[i]);
	sw_secrets(ar, s, &root, p1_before);
	lx_resolve(s);
	in->summary = arena_printf(
	    ar,
	    "swanctl.conf %zu connections, %zu "
	    "children%s",
	    s->np1 - p1_before, s->np2 - p2_before,
	    nfiles > 1 ? arena_printf(ar, " (%zu files)", nfiles) : "");
	return true;
}
