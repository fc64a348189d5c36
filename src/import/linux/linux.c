/* Helpers shared by the Linux / strongSwan importers. */
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"

void
lx_lines_init(struct lx_lines *it, const char *buf, size_t n)
{
	it->rest = (struct str){buf, n};
	it->lineno = 0;
}

bool
lx_lines_next(struct lx_lines *it, struct str *line)
{
	if (it->rest.p == NULL || (it->rest.n == 0 && it->lineno > 0))
		return false;
	if (!str_next(&it->rest, '\n', line))
		return false;
	if (line->n && line->p[line->n - 1] == '\r')
		line->n--;
	it->lineno++;
	/* A final newline does not open another line. */
	if (it->rest.p != NULL && it->rest.n == 0)
		it->rest.p = NULL;
	return true;
}

void
lx_note_mark_setters(struct site *s, const char *buf, size_t len)
{
	static const char *const set[] = {"-j MARK", "-j CONNMARK", "mark set",
					  "\"mangle\""};
	for (size_t i = 0; i < sizeof(set) / sizeof(*set); i++)
		if (memmem(buf, len, set[i], strlen(set[i])))
			s->nf_sets_mark = true;
}

void
lx_site_mark(struct site *s)
{
	if (s->kind == SITE_UNKNOWN)
		s->kind = SITE_LINUX;
	if (s->kind == SITE_LINUX) {
		s->has_config = true;
		if (s->config_version == NULL)
			s->config_version = "strongSwan";
	}
}

/* No route table was given, but the addresses were (ip addr): the
 * kernel holds a prefix route for each address of an interface that is
 * up (doc/behaviour/loose-files.md §3a), so the networks on its own
 * links are reached without one. */
void
lx_site_connected(struct arena *ar, struct site *s)
{
	if (s->kind != SITE_LINUX || s->nroutes != 0)
		return;
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		for (size_t j = 0; j < f->naddrs; j++) {
			unsigned bits = fam_bits(f->addrs[j].addr.fam);
			if (f->addrs[j].plen >= bits ||
			    (f->dev && strcmp(f->dev, "lo") == 0))
				continue;
			struct route *r =
			    ARENA_PUSH(ar, s->routes, s->nroutes, s->croutes);
			*r = (struct route){
			    .kind = ROUTE_CONNECTED,
			    .net =
				prefix_make(f->addrs[j].addr, f->addrs[j].plen),
			    .iface = f->key,
			    .origin = "connected (from ip addr)",
			    .disabled = !f->enabled,
			    .loc = f->loc,
			};
		}
	}
}

/* charon on kernel-libipsec (`ip -d link` shows its TUN, and no xfrm
 * interface exists): the SAs live in userspace, which ignores if_id, so a
 * child with if_id is an ordinary policy-based one
 * (doc/behaviour/linux-lab.md §4). */
void
lx_site_finish(struct site *s)
{
	bool tun = false;
	if (s->kind != SITE_LINUX)
		return;
	for (size_t i = 0; i < s->nifaces; i++) {
		if (s->ifaces[i].has_if_id)
			return;
		tun = tun || s->ifaces[i].tun;
	}
	for (size_t i = 0; tun && i < s->np2; i++)
		if (s->p2[i].mode == P2_VTI &&
		    (s->p2[i].if_id_in || s->p2[i].if_id_out))
			s->p2[i].mode =
			    s->p2[i].local.resolved &&
				    s->p2[i].local.net.addr.fam == FAM_V6
				? P2_TUNNEL6
				: P2_TUNNEL;
}

const char *
lx_dup(struct arena *ar, struct str s)
{
	if (s.p == NULL || s.n == 0) /* absent value: "" */
		return arena_strdup(ar, "");
	return arena_strndup(ar, s.p, s.n);
}

uint32_t
lx_col(struct str line, const char *p)
{
	if (p < line.p || p > line.p + line.n)
		return 1;
	return (uint32_t)(p - line.p) + 1;
}

struct iface *
lx_iface(struct arena *ar, struct site *s, struct str dev,
	 const struct srcloc *loc)
{
	for (size_t i = 0; i < s->nifaces; i++)
		if (s->ifaces[i].dev && str_eq(dev, s->ifaces[i].dev))
			return &s->ifaces[i];
	struct iface *f = ARENA_PUSH(ar, s->ifaces, s->nifaces, s->cifaces);
	f->dev = f->key = f->descr = lx_dup(ar, dev);
	f->role = ROLE_LAN;
	f->enabled = true;
	if (loc)
		f->loc = *loc;
	return f;
}

bool
lx_parse_esp_proposals(struct arena *ar, struct str text, struct phase2 *p2)
{
	struct str list = text, prop, tok;
	bool any = false;
	while (str_next(&list, ',', &prop)) {
		prop = str_trim(prop);
		if (str_eq(prop, "default"))
			continue; /* strongSwan's defaults: not modelled */
		while (str_next(&prop, '-', &tok)) {
			struct transform x;
			enum integ ig;
			/* one proposal grammar for the whole tool */
			enum proposal_token k =
			    transform_parse_token(tok, &x, &ig);
			if (k == PTOK_CIPHER) {
				*ARENA_PUSH(ar, p2->enc, p2->nenc, p2->cenc) =
				    x;
				any = true;
			} else if (k == PTOK_INTEG) {
				*ARENA_PUSH(ar, p2->integ, p2->ninteg,
					    p2->cinteg) = ig;
				any = true;
			}
			/* DH groups, esn/noesn, prf: no overhead effect */
		}
	}
	return any;
}

bool
lx_parse_ts(struct str s, struct prefix *out)
{
	s = str_trim(s);
	/* "10.0.1.0/24[tcp/22]": protocol/port restriction dropped */
	struct str head, rest;
	str_split(s, '[', &head, &rest);
	str_split(head, '|', &head, &rest); /* pfSense: "10.0.1.0/24|/0" */
	return prefix_parse(str_trim(head), out, NULL);
}

char *
lx_slurp(struct arena *ar, struct input_file *in, size_t *len)
{
	return file_slurp(ar, in->path, LX_MAX_FILE, len);
}
