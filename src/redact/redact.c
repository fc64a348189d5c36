/* Secrets out of text files; public IPv4 addresses pseudonymized. Every
 * pass copies into a growing output buffer; nothing is edited in place
 * except the final setkey key-line blanking. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "import/linux/linux.h"
#include "redact/redact.h"

struct out {
	struct arena *ar;
	char *p;
	size_t n, cap;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (o->n + n + 1 > cap)
			cap *= 2;
		char *np = arena_alloc(o->ar, cap);
		if (o->n)
			memcpy(np, o->p, o->n);
		o->p = np;
		o->cap = cap;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void
puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* Element names whose text is a secret (pfSense, OPNsense, OpenVPN
 * inline blocks), compared without case. */
static const char *const secret_tags[] = {
    "password",
    "passwd",
    "pre-shared-key",
    "presharedkey",
    "ipsecpsk",
    "psk",
    "secret",
    "prv",
    "privatekey",
    "private-key",
    "private_key",
    "tls",
    "tls-auth",
    "tls-crypt",
    "tls-crypt-v2",
    "shared_key",
    "key",
    "pkcs12",
    "auth-user-pass",
    "bcrypt-hash",
    "sha512-hash",
    "md5-hash",
    "nt-hash",
    "auth_pass",
    "ldap_bindpw",
    "radius_secret",
    "radius_secret2",
    "encryption_password",
    "rocommunity",
    "authkey",
    "pin",
    "pkcs11pin",
    "otp_seed",
    "presharedkeys",
};

static bool
is_secret_tag(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(secret_tags) / sizeof(*secret_tags); i++)
		if (strlen(secret_tags[i]) == n &&
		    strncasecmp(secret_tags[i], name, n) == 0)
			return true;
	return false;
}

/* "<pre-shared-key>...</pre-shared-key>" -> "<pre-shared-key>xxxxx</...>",
 * CDATA and several lines included. */
static void
pass_tags(struct redactor *r, const char *b, size_t len, struct out *o)
{
	size_t i = 0, from = 0;
	while (i < len) {
		const char *lt = memchr(b + i, '<', len - i);
		if (lt == NULL)
			break;
		size_t s = (size_t)(lt - b) + 1, e = s;
		while (e < len && (isalnum((unsigned char)b[e]) ||
				   b[e] == '-' || b[e] == '_' || b[e] == ':'))
			e++;
		size_t gt = e;
		while (gt < len && b[gt] != '>' && b[gt] != '<' &&
		       b[gt] != '\n')
			gt++;
		i = s;
		if (e == s || gt >= len || b[gt] != '>' || b[gt - 1] == '/' ||
		    !is_secret_tag(b + s, e - s))
			continue;
		char close[80];
		if (e - s > 60)
			continue;
		snprintf(close, sizeof(close), "</%.*s>", (int)(e - s), b + s);
		const char *end =
		    memmem(b + gt + 1, len - gt - 1, close, strlen(close));
		if (end == NULL)
			continue;
		size_t cs = gt + 1, ce = (size_t)(end - b);
		bool done = ce - cs == 5 && memcmp(b + cs, "xxxxx", 5) == 0;
		put(o, b + from, cs - from);
		if (ce > cs && !done) {
			puts_(o, "xxxxx");
			r->secrets++;
		} else {
			put(o, b + cs, ce - cs);
		}
		from = i = ce;
	}
	put(o, b + from, len - from);
}

static bool
starts_word(struct str t, const char *w)
{
	size_t n = strlen(w);
	return t.n > n && strncmp(t.p, w, n) == 0 &&
	       (t.p[n] == ' ' || t.p[n] == '\t' || t.p[n] == '=');
}

/* "secret = x" anywhere in the line (also "eap { secret=x }"): where
 * the value starts, or NULL. */
static const char *
assign_value(struct str line, const char *key)
{
	size_t k = strlen(key);
	for (size_t i = 0; i + k < line.n; i++) {
		if (strncasecmp(line.p + i, key, k) != 0 ||
		    (i > 0 && (isalnum((unsigned char)line.p[i - 1]) ||
			       line.p[i - 1] == '_' || line.p[i - 1] == '-')))
			continue;
		size_t j = i + k;
		while (j < line.n && (line.p[j] == ' ' || line.p[j] == '\t'))
			j++;
		if (j < line.n && line.p[j] == '=' &&
		    (j + 1 >= line.n || line.p[j + 1] != '>')) /* "=>" */
			return line.p + j + 1;
	}
	return NULL;
}

/* swanctl.conf / strongswan.conf "secret = x", ipsec.secrets ": PSK x" */
static bool
line_assign(struct redactor *r, struct str line, struct str t, struct out *o)
{
	static const char *const keys[] = {"secret", "pin", "psk", "password",
					   "xauth_password"};
	(void)t;
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		const char *v = assign_value(line, keys[k]);
		if (v == NULL)
			continue;
		/* the value runs to the end of the line or an inline '}' */
		const char *end = memchr(v, '}', (size_t)(line.p + line.n - v));
		if (end == NULL)
			end = line.p + line.n;
		struct str val = str_trim((struct str){v, (size_t)(end - v)});
		put(o, line.p, (size_t)(v - line.p));
		puts_(o,
		      end < line.p + line.n ? " <redacted> " : " <redacted>");
		put(o, end, (size_t)(line.p + line.n - end));
		r->secrets += !str_eq(val, "<redacted>") && val.n;
		return true;
	}
	static const char *const kinds[] = {": PSK ", ": EAP ", ": XAUTH ",
					    ": NTLM ", ": PIN "};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		const char *m =
		    memmem(line.p, line.n, kinds[k], strlen(kinds[k]));
		if (m == NULL)
			continue;
		put(o, line.p, (size_t)(m - line.p) + strlen(kinds[k]));
		puts_(o, "\"<redacted>\"");
		r->secrets++;
		return true;
	}
	return false;
}

/* ip xfrm state "enc cbc(aes) 0x..." / "auth-trunc ... 0x... 128" /
 * "aead rfc4106(gcm(aes)) 0x... 128": the hex key replaced. */
static bool
line_xfrm(struct redactor *r, struct str line, struct str t, struct out *o)
{
	if (!starts_word(t, "enc") && !starts_word(t, "auth") &&
	    !starts_word(t, "auth-trunc") && !starts_word(t, "aead"))
		return false;
	const char *hx = memmem(t.p, t.n, " 0x", 3);
	if (hx == NULL)
		return false;
	hx++;
	size_t k = 2;
	while (hx + k < t.p + t.n && isxdigit((unsigned char)hx[k]))
		k++;
	put(o, line.p, (size_t)(hx - line.p));
	puts_(o, "0x<redacted>");
	put(o, hx + k, (size_t)(line.p + line.n - hx - k));
	r->secrets++;
	return true;
}

/* charon at log level 4: "Sk_ei secret => 16 bytes @ 0x..." then hex
 * dump lines "   0: 7A 96 ...": the dump goes. */
static bool
is_hexdump(struct str t)
{
	size_t i = 0;
	while (i < t.n && isdigit((unsigned char)t.p[i]))
		i++;
	return i > 0 && i + 4 < t.n && t.p[i] == ':' && t.p[i + 1] == ' ' &&
	       isxdigit((unsigned char)t.p[i + 2]) &&
	       isxdigit((unsigned char)t.p[i + 3]);
}

/* Dump lines may carry a syslog prefix: the text after "]: " or the
 * charon thread "NN[XXX] " is what counts. */
static struct str
log_body(struct str t)
{
	const char *m = memmem(t.p, t.n, "] ", 2);
	const char *c = memmem(t.p, t.n, "]: ", 3);
	const char *x = m ? m + 2 : c ? c + 3 : NULL;
	if (x && (size_t)(x - t.p) < t.n)
		return str_trim((struct str){x, (size_t)(t.p + t.n - x)});
	return t;
}

static void
pass_lines(struct redactor *r, const char *b, size_t len, struct out *o)
{
	struct str rest = {b, len}, line;
	bool pem = false, dump = false;
	while (rest.n) {
		const char *nl = memchr(rest.p, '\n', rest.n);
		line =
		    (struct str){rest.p, nl ? (size_t)(nl - rest.p) : rest.n};
		rest = nl ? (struct str){nl + 1,
					 (size_t)(rest.p + rest.n - nl - 1)}
			  : (struct str){rest.p + rest.n, 0};
		struct str t = str_trim(line);
		bool priv = memmem(t.p, t.n, "PRIVATE KEY-----", 16) ||
			    memmem(t.p, t.n, "Static key V1-----", 18);
		if (priv && memmem(t.p, t.n, "-----BEGIN", 10)) {
			pem = true;
			puts_(o, "[private key removed]");
			r->secrets++;
		} else if (pem) {
			pem = !(priv && memmem(t.p, t.n, "-----END", 8));
		} else if (dump && is_hexdump(log_body(t))) {
			/* dropped */
		} else if (!line_assign(r, line, t, o) &&
			   !line_xfrm(r, line, t, o)) {
			dump = memmem(t.p, t.n, "secret =>", 9) ||
			       memmem(t.p, t.n, "key =>", 6);
			put(o, line.p, line.n);
		}
		if (nl)
			put(o, "\n", 1);
	}
}

/* SipHash-2-4 (Aumasson, Bernstein) of one 64-bit word. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = ROTL(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = ROTL(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = ROTL(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = ROTL(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = ROTL(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = ROTL(v2, 32);                                             \
	} while (0)

static uint64_t
siphash(const uint64_t k[2], uint64_t m)
{
	uint64_t v0 = 0x736f6d6570736575ull ^ k[0];
	uint64_t v1 = 0x646f72616e646f6dull ^ k[1];
	uint64_t v2 = 0x6c7967656e657261ull ^ k[0];
	uint64_t v3 = 0x7465646279746573ull ^ k[1];
	uint64_t b = 8ull << 56;
	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static bool
is_public4(uint32_t a)
{
	unsigned o1 = a >> 24, o2 = (a >> 16) & 0xff;
	return !(o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224 ||
		 (o1 == 100 && (o2 & 0xc0) == 64) || (o1 == 169 && o2 == 254) ||
		 (o1 == 172 && (o2 & 0xf0) == 16) || (o1 == 192 && o2 == 168));
}

/* Prefix-preserving (Crypto-PAn style) on the middle bits: the first
 * octet (16 bits where an octet mixes public and special ranges) and the
 * last octet stay, so a public address stays public and a /24's
 * network, gateway and broadcast keep their roles. */
uint32_t
redact_ipv4(const struct redactor *r, uint32_t a)
{
	if (!r->pseudo || !is_public4(a))
		return a;
	unsigned o1 = a >> 24;
	unsigned keep = (o1 == 100 || o1 == 169 || o1 == 172 || o1 == 192 ||
			 o1 == 198 || o1 == 203)
			    ? 16
			    : 8;
	uint32_t out = a;
	for (unsigned i = keep; i < 24; i++) {
		uint64_t prefix = i ? (uint64_t)(a >> (32 - i)) : 0;
		uint64_t f = siphash(r->key, prefix << 8 | i) & 1;
		out ^= (uint32_t)f << (31 - i);
	}
	return out;
}

/* A dotted quad at b[i] (not inside a longer number or version). */
static bool
quad_at(const char *b, size_t len, size_t i, uint32_t *a, size_t *n)
{
	if (i > 0 && (isdigit((unsigned char)b[i - 1]) || b[i - 1] == '.'))
		return false;
	uint32_t v = 0;
	size_t j = i;
	for (int k = 0; k < 4; k++) {
		unsigned o = 0, d = 0;
		while (j < len && isdigit((unsigned char)b[j]) && d < 4)
			o = o * 10 + (unsigned)(b[j++] - '0'), d++;
		if (d == 0 || d > 3 || o > 255)
			return false;
		v = v << 8 | o;
		if (k < 3) {
			if (j >= len || b[j] != '.')
				return false;
			j++;
		}
	}
	if (j < len &&
	    (isdigit((unsigned char)b[j]) ||
	     (b[j] == '.' && j + 1 < len && isdigit((unsigned char)b[j + 1]))))
		return false;
	*a = v;
	*n = j - i;
	return true;
}

static void
pass_addrs(struct redactor *r, const char *b, size_t len, struct out *o)
{
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		uint32_t a, m;
		size_t n;
		if (!isdigit((unsigned char)b[i]) ||
		    !quad_at(b, len, i, &a, &n))
			continue;
		m = redact_ipv4(r, a);
		if (m != a) {
			char q[16];
			snprintf(q, sizeof(q), "%u.%u.%u.%u", m >> 24,
				 (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
			put(o, b + from, i - from);
			puts_(o, q);
			from = i + n;
			r->addrs++;
		}
		i += n - 1;
	}
	put(o, b + from, len - from);
}

bool
redactor_init(struct redactor *r, struct arena *ar, bool pseudo)
{
	memset(r, 0, sizeof(*r));
	r->ar = ar;
	r->pseudo = pseudo;
	if (!pseudo)
		return true;
	return getrandom(r->key, sizeof(r->key), 0) == sizeof(r->key);
}

/* OPNsense configctl ipsec list sad JSON carries the SA keys as word
 * lists "m_enc": ["0a1b..", ..] / "m_auth": [..]
 * (doc/behaviour/loose-files.md §2): the lists are emptied. */
static void
pass_json_keys(struct redactor *r, const char *b, size_t len, struct out *o)
{
	static const char *const keys[] = {"\"m_enc\"", "\"m_auth\""};
	size_t i = 0;
	while (i < len) {
		size_t k = 0, klen = 0;
		for (; k < 2; k++) {
			klen = strlen(keys[k]);
			if (len - i >= klen &&
			    memcmp(b + i, keys[k], klen) == 0)
				break;
		}
		const char *open = NULL, *close = NULL;
		if (k < 2) {
			size_t j = i + klen;
			while (j < len && (b[j] == ' ' || b[j] == ':'))
				j++;
			open = j < len && b[j] == '[' ? b + j : NULL;
			close =
			    open ? memchr(open, ']', len - (size_t)(open - b))
				 : NULL;
		}
		if (close == NULL) {
			put(o, b + i, 1);
			i++;
			continue;
		}
		put(o, b + i, (size_t)(open - (b + i)) + 1);
		puts_(o, "\"<redacted>\"]");
		r->secrets++;
		i = (size_t)(close - b) + 1;
	}
}

char *
redact_text(struct redactor *r, const char *buf, size_t len, size_t *outlen)
{
	r->secrets = r->addrs = 0;
	struct out j = {.ar = r->ar}, a = {.ar = r->ar}, b = {.ar = r->ar};
	if (memmem(buf, len, "\"m_enc\"", 7) ||
	    memmem(buf, len, "\"m_auth\"", 8)) {
		pass_json_keys(r, buf, len, &j);
		buf = j.p ? j.p : "";
		len = j.n;
	}
	pass_tags(r, buf, len, &a);
	pass_lines(r, a.p ? a.p : "", a.n, &b);
	size_t keys = sa_scrub_keys(b.p ? b.p : (char *)"", b.n);
	r->secrets += keys;
	if (r->pseudo) {
		struct out c = {.ar = r->ar};
		pass_addrs(r, b.p ? b.p : "", b.n, &c);
		b = c;
	}
	if (b.p == NULL)
		put(&b, "", 0);
	*outlen = b.n;
	return b.p;
}
