/* Linux kernel facts a gateway's forwarding depends on: a sysctl dump
 * (`sysctl -a`, /etc/sysctl.conf lines, or `grep . /proc/sys/...`) and
 * `ip -d link` text for xfrm interfaces (their if_id) and VTIs
 * (doc/behaviour/cloud-and-linux.md §5, §7). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/load.h"

enum { MAX_SYSCTLS = 200000 };

/* A line with control or non-ASCII bytes is not dump text: skipped
 * with a warning, so no message ever echoes such bytes. */
static bool
text_line(struct str line, const struct srcloc *loc)
{
	for (size_t i = 0; i < line.n; i++) {
		unsigned char c = (unsigned char)line.p[i];
		if ((c < 0x20 && c != '\t') || c >= 0x7f) {
			diag(DIAG_WARNING, loc,
			     "not text (byte 0x%02x at "
			     "column %zu); line skipped",
			     c, i + 1);
			return false;
		}
	}
	return true;
}

/* Keys whose value the checks read: a non-number there is reported. */
static bool
sysctl_used(const char *k)
{
	size_t n = strlen(k);
	return (n > 10 && strcmp(k + n - 10, ".rp_filter") == 0) ||
	       strcmp(k, "net.ipv4.ip_forward") == 0;
}

/* "/proc/sys/net/ipv4/conf/eth0/rp_filter" or the dotted key, with
 * '/' as '.' (sysctl writes VLAN eth0.10 as eth0/10). */
static const char *
sysctl_key(struct arena *ar, struct str k)
{
	if (str_starts(k, "/proc/sys/"))
		k = (struct str){k.p + 10, k.n - 10};
	char *o = arena_strndup(ar, k.p, k.n);
	for (char *p = o; *p; p++)
		if (*p == '/')
			*p = '.';
	return o;
}

static void
sysctl_line(struct arena *ar, struct site *s, struct str line,
	    const struct srcloc *loc)
{
	struct str t = str_trim(line), k, v;
	if (t.n == 0 || t.p[0] == '#' || t.p[0] == ';' ||
	    str_starts(t, "sysctl:"))
		return;
	char sep = str_starts(t, "/proc/sys/") ? ':' : '=';
	if (!str_split(t, sep, &k, &v)) {
		diag(DIAG_WARNING, loc,
		     "not a sysctl 'key = value' line; "
		     "skipped");
		return;
	}
	const char *key = sysctl_key(ar, str_trim(k));
	v = str_trim(v);
	char *end = NULL;
	const char *val = lx_dup(ar, v);
	long num = strtol(val, &end, 10);
	if (v.n == 0 || end == val || (*end && !isspace((unsigned char)*end))) {
		if (sysctl_used(key))
			diag(DIAG_WARNING, loc,
			     "%s: value '%s' is not a "
			     "number; ignored",
			     key, val);
		return;
	}
	if (s->nsysctls >= MAX_SYSCTLS)
		return;
	struct sysctl_kv *x =
	    ARENA_PUSH(ar, s->sysctls, s->nsysctls, s->csysctls);
	x->key = key;
	x->value = num;
	x->loc = *loc;
}

bool
cfg_sysctl_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct lx_lines it;
	struct str line;
	size_t before = s->nsysctls;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct srcloc loc = {in->path, it.lineno, 1, 0};
		if (line.n > LX_MAX_LINE) {
			diag(DIAG_ERROR, &loc, "line longer than %d bytes",
			     LX_MAX_LINE);
			return false;
		}
		if (text_line(line, &loc))
			sysctl_line(ar, s, line, &loc);
	}
	lx_site_mark(s);
	in->summary =
	    arena_printf(ar, "sysctl %zu values", s->nsysctls - before);
	return true;
}

/* "0x2a" or "42". */
static bool
parse_id(struct str w, unsigned *out)
{
	char b[24];
	if (w.n == 0 || w.n >= sizeof(b))
		return false;
	memcpy(b, w.p, w.n);
	b[w.n] = '\0';
	char *end;
	unsigned long v = strtoul(b, &end, 0);
	if (*end || v > 0xffffffffUL)
		return false;
	*out = (unsigned)v;
	return true;
}

/* "5: xfrm0@eth0: <NOARP,UP,LOWER_UP> mtu 1400 qdisc ..." */
static struct iface *
link_header(struct arena *ar, struct site *s, struct str t,
	    const struct srcloc *loc)
{
	struct str idx, rest, name, tail;
	if (!str_split(t, ':', &idx, &rest) ||
	    !str_split(str_trim(rest), ':', &name, &tail))
		return NULL;
	struct str dev, parent;
	str_split(str_trim(name), '@', &dev, &parent);
	if (dev.n == 0)
		return NULL;
	struct iface *f = lx_iface(ar, s, dev, loc);
	const char *m = memmem(tail.p, tail.n, " mtu ", 5);
	unsigned mtu;
	if (m) {
		struct str w = {m + 5, (size_t)(tail.p + tail.n - m - 5)}, num;
		str_split(w, ' ', &num, &(struct str){0});
		if (parse_id(num, &mtu) && mtu > 0 && mtu < 1u << 20)
			f->mtu = mtu;
	}
	return f;
}

/* "0.0.0.42" (iproute2 prints VTI keys as IPv4 addresses) or "42". */
static bool
vti_key(struct str w, uint32_t *out)
{
	struct ipaddr a;
	unsigned v;
	if (ipaddr_parse(w, &a) && a.fam == FAM_V4) {
		*out = (uint32_t)a.v;
		return true;
	}
	if (!parse_id(w, &v))
		return false;
	*out = v;
	return true;
}

/* "vti remote A local B ikey 0.0.0.42 okey 0.0.0.42 ...": the keys are
 * the marks of the tunnel's xfrm lookups (cloud-and-linux.md §10). */
static void
vti_keys(struct iface *f, struct str t)
{
	struct str rest = t, w;
	while (str_next(&rest, ' ', &w)) {
		uint32_t *k = str_eq(w, "ikey")	  ? &f->vti_ikey
			      : str_eq(w, "okey") ? &f->vti_okey
						  : NULL;
		struct str v;
		if (k && str_next(&rest, ' ', &v) && vti_key(v, k))
			f->has_vti_keys = true;
	}
}

static void
link_detail(struct iface *f, struct str t, const struct srcloc *loc)
{
	const char *x = memmem(t.p, t.n, "xfrm if_id ", 11);
	if (x) {
		struct str w = {x + 11, (size_t)(t.p + t.n - x - 11)}, id;
		str_split(w, ' ', &id, &(struct str){0});
		if (parse_id(id, &f->xfrm_if_id))
			f->has_if_id = true;
		else
			diag(DIAG_WARNING, loc,
			     "%s: if_id '%.*s' not "
			     "understood",
			     f->dev, (int)(id.n > 20 ? 20 : id.n), id.p);
		f->role = ROLE_VTI;
	} else if (str_starts(t, "vti ") || str_starts(t, "vti6 ")) {
		f->role = ROLE_VTI;
		vti_keys(f, t);
	} else if (str_starts(t, "tun type tun")) {
		f->tun = true;
	}
}

bool
cfg_iplink_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	struct str head = str_trim((struct str){buf, len < 64 ? len : 64});
	if (head.n && head.p[0] == '[')
		return cfg_iplink_json(ar, in, s, buf, len);
	struct lx_lines it;
	struct str line;
	struct iface *cur = NULL;
	size_t nlinks = 0;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct srcloc loc = {in->path, it.lineno, 1, 0};
		if (line.n > LX_MAX_LINE) {
			diag(DIAG_ERROR, &loc, "line longer than %d bytes",
			     LX_MAX_LINE);
			return false;
		}
		struct str t = str_trim(line);
		if (t.n == 0 || !text_line(line, &loc))
			continue;
		if (line.p[0] != ' ' && line.p[0] != '\t') {
			cur = link_header(ar, s, t, &loc);
			nlinks += cur != NULL;
			if (cur == NULL)
				diag(DIAG_WARNING, &loc,
				     "not an 'N: name: "
				     "<flags> ...' line of ip link; skipped");
		} else if (cur) {
			link_detail(cur, t, &loc);
		}
	}
	if (nlinks == 0) {
		struct srcloc loc = {in->path, 1, 1, 0};
		diag(DIAG_ERROR, &loc, "no interface in this ip link output");
		return false;
	}
	lx_site_mark(s);
	s->has_link_details = true;
	in->summary = arena_printf(ar, "ip link %zu interfaces", nlinks);
	return true;
}
