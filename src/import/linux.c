/* Helpers shared by the Linux / strongSwan importers. */
#include <string.h>

#include "import/linux.h"
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

static bool
lx_cipher(struct str t, struct transform *x)
{
	static const struct {
		const char *pfx;
		enum cipher c;
	} tab[] = {
		{"chacha20poly1305", CIPHER_CHACHA20_POLY1305},
		{"3des", CIPHER_3DES},	 {"blowfish", CIPHER_BLOWFISH},
		{"cast128", CIPHER_CAST128}, {"null", CIPHER_NULL},
		{"aes", CIPHER_AES_CBC},
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(*tab); i++) {
		if (!str_starts(t, tab[i].pfx))
			continue;
		*x = (struct transform){.cipher = tab[i].c};
		if (tab[i].c == CIPHER_CHACHA20_POLY1305)
			x->icv = 16, x->keylen = 256;
		if (tab[i].c != CIPHER_AES_CBC)
			return t.n == strlen(tab[i].pfx);
		/* aes[128|192|256][cbc|ctr|gcm{8,12,16}|ccm{8,12,16}] */
		const char *p = t.p + 3, *end = t.p + t.n;
		unsigned bits = 0;
		while (p < end && *p >= '0' && *p <= '9' && bits < 1000)
			bits = bits * 10 + (unsigned)(*p++ - '0');
		x->keylen = bits ? bits : 128;
		struct str mode = {p, (size_t)(end - p)};
		if (mode.n == 0 || str_eq(mode, "cbc") || str_eq(mode, "ctr"))
			return true;
		if (str_starts(mode, "gcm") || str_starts(mode, "ccm")) {
			x->cipher = mode.p[0] == 'g' ? CIPHER_AES_GCM :
						       CIPHER_AES_CCM;
			uint64_t icv = 16;
			struct str n = {mode.p + 3, mode.n - 3};
			if (n.n && !str_to_u64(n, 128, &icv))
				return false;
			x->icv = icv > 16 ? (unsigned)icv / 8 : (unsigned)icv;
			return x->icv == 8 || x->icv == 12 || x->icv == 16;
		}
		return false;
	}
	return false;
}

static bool
lx_integ(struct str t, enum integ *out)
{
	static const struct {
		const char *name;
		enum integ i;
	} tab[] = {
		{"md5", INTEG_HMAC_MD5},       {"sha1", INTEG_HMAC_SHA1},
		{"sha", INTEG_HMAC_SHA1},      {"sha256", INTEG_HMAC_SHA256},
		{"sha2_256", INTEG_HMAC_SHA256}, {"sha384", INTEG_HMAC_SHA384},
		{"sha2_384", INTEG_HMAC_SHA384}, {"sha512", INTEG_HMAC_SHA512},
		{"sha2_512", INTEG_HMAC_SHA512}, {"aesxcbc", INTEG_AES_XCBC},
		{"sha256_96", INTEG_HMAC_SHA256},
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(*tab); i++)
		if (str_eq(t, tab[i].name)) {
			*out = tab[i].i;
			return true;
		}
	return false;
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
			if (lx_cipher(tok, &x)) {
				*ARENA_PUSH(ar, p2->enc, p2->nenc, p2->cenc) = x;
				any = true;
			} else if (lx_integ(tok, &ig)) {
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
