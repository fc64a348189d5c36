/* Host facts: what the user knows of a LAN host, one line each:
 *   host 10.0.2.7 mask 24 gateway 10.0.2.1 [firewall drop|reject]
 *   host 10.0.2.8 mask 8 gateway none [ignores-gateway]
 * (ipsecdiag's own format; a line per host, '#' comments.) */
#include <string.h>

#include "import/hosts/hostfacts_paste.h"
#include "import/load.h"

enum { HOSTS_MAX_BYTES = 4 << 20 };

static bool
host_word(struct arena *ar, struct host *h, struct str key, struct str *rest,
	  const struct srcloc *loc)
{
	struct str val = {0};
	bool needs_value = str_eq(key, "mask") || str_eq(key, "gateway") ||
			   str_eq(key, "firewall");
	if (needs_value) {
		*rest = str_trim(*rest);
		str_split(*rest, ' ', &val, rest);
		if (val.n == 0) {
			diag(DIAG_ERROR, loc, "'%.*s' needs a value",
			     (int)key.n, key.p);
			return false;
		}
	}
	uint64_t v;
	if (str_eq(key, "mask")) {
		if (!str_to_u64(val, fam_bits(h->addr.fam), &v)) {
			diag(DIAG_ERROR, loc, "bad mask '%.*s' (prefix length)",
			     (int)val.n, val.p);
			return false;
		}
		h->plen = (uint8_t)v;
	} else if (str_eq(key, "gateway")) {
		h->has_gateway = !str_eq(val, "none");
		if (h->has_gateway && !ipaddr_parse(val, &h->gateway)) {
			diag(DIAG_ERROR, loc, "bad gateway '%.*s'", (int)val.n,
			     val.p);
			return false;
		}
	} else if (str_eq(key, "firewall")) {
		if (str_eq(val, "drop"))
			h->firewall = HOST_FW_DROP;
		else if (str_eq(val, "reject"))
			h->firewall = HOST_FW_REJECT;
		else if (str_eq(val, "none"))
			h->firewall = HOST_FW_NONE;
		else {
			diag(DIAG_ERROR, loc,
			     "bad firewall '%.*s' (drop, "
			     "reject, none)",
			     (int)val.n, val.p);
			return false;
		}
	} else if (str_eq(key, "ignores-gateway")) {
		h->ignores_gateway = true;
	} else {
		diag(DIAG_ERROR, loc,
		     "unknown word '%.*s' (mask, gateway, "
		     "firewall, ignores-gateway)",
		     (int)key.n, key.p);
		return false;
	}
	(void)ar;
	return true;
}

static bool
host_line(struct arena *ar, struct site *s, struct str line,
	  const struct srcloc *loc)
{
	struct str word, rest;
	str_split(line, ' ', &word, &rest);
	if (!str_eq(word, "host")) {
		diag(DIAG_ERROR, loc, "expected 'host ADDRESS ...'");
		return false;
	}
	rest = str_trim(rest);
	str_split(rest, ' ', &word, &rest);
	struct host h = {.plen = 0, .has_gateway = false, .loc = *loc};
	if (!ipaddr_parse(word, &h.addr)) {
		diag(DIAG_ERROR, loc, "bad address '%.*s'", (int)word.n,
		     word.p);
		return false;
	}
	h.plen = (uint8_t)fam_bits(h.addr.fam);
	while ((rest = str_trim(rest)).n) {
		str_split(rest, ' ', &word, &rest);
		if (!host_word(ar, &h, word, &rest, loc))
			return false;
	}
	*ARENA_PUSH(ar, s->hosts, s->nhosts, s->chosts) = h;
	return true;
}

bool
hosts_import(struct arena *ar, struct input_file *in, struct site *s)
{
	size_t len;
	char *text = file_slurp(ar, in->path, HOSTS_MAX_BYTES, &len);
	if (text == NULL)
		return false;
	/* the recogniser's view: the head; the reader finds binary tails */
	if (hostfacts_paste_recognize((const unsigned char *)text,
				      len < 8192 ? len : 8192))
		return hostfacts_paste_read(ar, in, s, text, len);
	struct str rest = {text, len}, line;
	uint32_t lineno = 0;
	bool ok = true;
	while (str_next(&rest, '\n', &line)) {
		lineno++;
		struct str t = str_trim(line);
		if (t.n == 0 || t.p[0] == '#')
			continue;
		struct srcloc loc = {in->path, lineno,
				     (uint32_t)(t.p - line.p) + 1, 0};
		ok = host_line(ar, s, t, &loc) && ok;
	}
	in->summary = arena_printf(ar, "host facts (%zu hosts)", s->nhosts);
	return ok;
}
