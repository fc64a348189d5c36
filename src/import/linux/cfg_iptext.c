/* The text form of `ip addr` (iproute2 5.x / 6.x), as users copy it
 * from a Linux gateway's shell: turned into the objects `ip -j addr`
 * writes, so that one reader (cfg_iproute.c) models both.
 * doc/behaviour/real-bundles.md §2 says which lines are read. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"

static struct str
next_word(struct str *s)
{
	size_t i = 0;
	while (i < s->n && isspace((unsigned char)s->p[i]))
		i++;
	size_t j = i;
	while (j < s->n && !isspace((unsigned char)s->p[j]))
		j++;
	struct str w = {s->p + i, j - i};
	s->p += j, s->n -= j;
	return w;
}

static json_t *
jstr(struct str w)
{
	return json_stringn(w.p, w.n);
}

/* "2: eth0@if5: <BROADCAST,UP,LOWER_UP> mtu 1500 ... link/ether ..." */
static json_t *
addr_link(struct arena *ar, struct str line)
{
	struct str rest = line, idx = next_word(&rest), name = next_word(&rest);
	if (idx.n < 2 || idx.p[idx.n - 1] != ':' || name.n < 2 ||
	    name.p[name.n - 1] != ':')
		return NULL;
	name.n--;
	const char *at = memchr(name.p, '@', name.n);
	if (at)
		name.n = (size_t)(at - name.p);
	json_t *l = json_object();
	json_object_set_new(l, "ifindex", json_integer(atoi(idx.p)));
	json_object_set_new(l, "ifname", jstr(name));
	struct str flags = next_word(&rest);
	json_t *fl = json_array();
	if (flags.n > 2 && flags.p[0] == '<') {
		struct str f = {flags.p + 1, flags.n - 2}, tok;
		while (str_next(&f, ',', &tok))
			json_array_append_new(fl, jstr(tok));
	}
	json_object_set_new(l, "flags", fl);
	for (struct str w = next_word(&rest); w.n; w = next_word(&rest))
		if (str_eq(w, "mtu")) {
			struct str v = next_word(&rest);
			json_object_set_new(l, "mtu",
					    json_integer(atoi(lx_dup(ar, v))));
		}
	json_object_set_new(l, "addr_info", json_array());
	return l;
}

static json_t *
addr_text(struct arena *ar, const char *buf, size_t len)
{
	json_t *a = json_array(), *cur = NULL;
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		json_t *l = line.n && !isspace((unsigned char)line.p[0])
				? addr_link(ar, line)
				: NULL;
		if (l) {
			json_array_append_new(a, l);
			cur = l;
			continue;
		}
		struct str rest = line, w = next_word(&rest);
		if (cur && str_starts(w, "link/")) {
			json_object_set_new(cur, "link_type",
					    json_stringn(w.p + 5, w.n - 5));
			continue;
		}
		if (cur == NULL || !(str_eq(w, "inet") || str_eq(w, "inet6")))
			continue;
		struct str v = next_word(&rest), addr, plen;
		json_t *x = json_object();
		if (str_split(v, '/', &addr, &plen)) {
			json_object_set_new(x, "local", jstr(addr));
			json_object_set_new(
			    x, "prefixlen",
			    json_integer(atoi(lx_dup(ar, plen))));
		} else {
			json_object_set_new(x, "local", jstr(v));
		}
		json_array_append_new(json_object_get(cur, "addr_info"), x);
	}
	return a;
}

json_t *
lx_iptext_json(struct arena *ar, const char *buf, size_t len)
{
	struct str s = str_trim((struct str){buf, len});
	if (s.n && s.p[0] == '[')
		return NULL; /* JSON: the caller parses it */
	struct lx_lines it;
	struct str first;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &first) && str_trim(first).n == 0)
		;
	/* text `ip route` has its own reader (cfg_iproute_text_import) */
	json_t *probe = addr_link(ar, first);
	if (probe == NULL)
		return NULL;
	json_decref(probe);
	return addr_text(ar, buf, len);
}
