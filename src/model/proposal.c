/* Proposals as data (proposal.h). doc/behaviour/ike-parameters.md §1-§4. */
#include <stdio.h>
#include <string.h>

#include "model/proposal.h"
#include "model/site.h"

/* strongSwan's proposal keywords with their IANA ids (RFC 7296 §3.3.2,
 * IANA "IKEv2 Transform Type 1-5" registries), in strongSwan's order
 * (proposal_keywords_static.txt, doc/behaviour/ike-parameters.md §1).
 * Post-quantum and private-use keywords are left out. */
static const struct xf_keyword keywords[] = {
    {"null", XF_ENCR, 11, 0},
    {"des", XF_ENCR, 2, 0},
    {"3des", XF_ENCR, 3, 0},
    {"aes", XF_ENCR, 12, 128},
    {"aes128", XF_ENCR, 12, 128},
    {"aes192", XF_ENCR, 12, 192},
    {"aes256", XF_ENCR, 12, 256},
    {"aes128ctr", XF_ENCR, 13, 128},
    {"aes192ctr", XF_ENCR, 13, 192},
    {"aes256ctr", XF_ENCR, 13, 256},
    {"aes128ccm8", XF_ENCR, 14, 128},
    {"aes128ccm64", XF_ENCR, 14, 128},
    {"aes128ccm12", XF_ENCR, 15, 128},
    {"aes128ccm96", XF_ENCR, 15, 128},
    {"aes128ccm16", XF_ENCR, 16, 128},
    {"aes128ccm128", XF_ENCR, 16, 128},
    {"aes128ccm", XF_ENCR, 16, 128},
    {"aes192ccm8", XF_ENCR, 14, 192},
    {"aes192ccm64", XF_ENCR, 14, 192},
    {"aes192ccm12", XF_ENCR, 15, 192},
    {"aes192ccm96", XF_ENCR, 15, 192},
    {"aes192ccm16", XF_ENCR, 16, 192},
    {"aes192ccm128", XF_ENCR, 16, 192},
    {"aes192ccm", XF_ENCR, 16, 192},
    {"aes256ccm8", XF_ENCR, 14, 256},
    {"aes256ccm64", XF_ENCR, 14, 256},
    {"aes256ccm12", XF_ENCR, 15, 256},
    {"aes256ccm96", XF_ENCR, 15, 256},
    {"aes256ccm16", XF_ENCR, 16, 256},
    {"aes256ccm128", XF_ENCR, 16, 256},
    {"aes256ccm", XF_ENCR, 16, 256},
    {"aes128gcm8", XF_ENCR, 18, 128},
    {"aes128gcm64", XF_ENCR, 18, 128},
    {"aes128gcm12", XF_ENCR, 19, 128},
    {"aes128gcm96", XF_ENCR, 19, 128},
    {"aes128gcm16", XF_ENCR, 20, 128},
    {"aes128gcm128", XF_ENCR, 20, 128},
    {"aes128gcm", XF_ENCR, 20, 128},
    {"aes192gcm8", XF_ENCR, 18, 192},
    {"aes192gcm64", XF_ENCR, 18, 192},
    {"aes192gcm12", XF_ENCR, 19, 192},
    {"aes192gcm96", XF_ENCR, 19, 192},
    {"aes192gcm16", XF_ENCR, 20, 192},
    {"aes192gcm128", XF_ENCR, 20, 192},
    {"aes192gcm", XF_ENCR, 20, 192},
    {"aes256gcm8", XF_ENCR, 18, 256},
    {"aes256gcm64", XF_ENCR, 18, 256},
    {"aes256gcm12", XF_ENCR, 19, 256},
    {"aes256gcm96", XF_ENCR, 19, 256},
    {"aes256gcm16", XF_ENCR, 20, 256},
    {"aes256gcm128", XF_ENCR, 20, 256},
    {"aes256gcm", XF_ENCR, 20, 256},
    {"aes128gmac", XF_ENCR, 21, 128},
    {"aes192gmac", XF_ENCR, 21, 192},
    {"aes256gmac", XF_ENCR, 21, 256},
    {"chacha20poly1305", XF_ENCR, 28, 0},
    {"chacha20poly1305compat", XF_ENCR, 28, 256},
    {"blowfish", XF_ENCR, 7, 128},
    {"blowfish128", XF_ENCR, 7, 128},
    {"blowfish192", XF_ENCR, 7, 192},
    {"blowfish256", XF_ENCR, 7, 256},
    {"camellia", XF_ENCR, 23, 128},
    {"camellia128", XF_ENCR, 23, 128},
    {"camellia192", XF_ENCR, 23, 192},
    {"camellia256", XF_ENCR, 23, 256},
    {"camellia128ctr", XF_ENCR, 24, 128},
    {"camellia192ctr", XF_ENCR, 24, 192},
    {"camellia256ctr", XF_ENCR, 24, 256},
    {"camellia128ccm8", XF_ENCR, 25, 128},
    {"camellia128ccm64", XF_ENCR, 25, 128},
    {"camellia128ccm12", XF_ENCR, 26, 128},
    {"camellia128ccm96", XF_ENCR, 26, 128},
    {"camellia128ccm16", XF_ENCR, 27, 128},
    {"camellia128ccm128", XF_ENCR, 27, 128},
    {"camellia192ccm8", XF_ENCR, 25, 192},
    {"camellia192ccm64", XF_ENCR, 25, 192},
    {"camellia192ccm12", XF_ENCR, 26, 192},
    {"camellia192ccm96", XF_ENCR, 26, 192},
    {"camellia192ccm16", XF_ENCR, 27, 192},
    {"camellia192ccm128", XF_ENCR, 27, 192},
    {"camellia256ccm8", XF_ENCR, 25, 256},
    {"camellia256ccm64", XF_ENCR, 25, 256},
    {"camellia256ccm12", XF_ENCR, 26, 256},
    {"camellia256ccm96", XF_ENCR, 26, 256},
    {"camellia256ccm16", XF_ENCR, 27, 256},
    {"camellia256ccm128", XF_ENCR, 27, 256},
    {"cast128", XF_ENCR, 6, 128},
    {"sha", XF_INTEG, 2, 0},
    {"sha1", XF_INTEG, 2, 0},
    {"sha1_160", XF_INTEG, 7, 0},
    {"sha256", XF_INTEG, 12, 0},
    {"sha2_256", XF_INTEG, 12, 0},
    {"sha384", XF_INTEG, 13, 0},
    {"sha2_384", XF_INTEG, 13, 0},
    {"sha512", XF_INTEG, 14, 0},
    {"sha2_512", XF_INTEG, 14, 0},
    {"md5", XF_INTEG, 1, 0},
    {"md5_128", XF_INTEG, 6, 0},
    {"aesxcbc", XF_INTEG, 5, 0},
    {"aescmac", XF_INTEG, 8, 0},
    {"prfsha1", XF_PRF, 2, 0},
    {"prfsha256", XF_PRF, 5, 0},
    {"prfsha384", XF_PRF, 6, 0},
    {"prfsha512", XF_PRF, 7, 0},
    {"prfmd5", XF_PRF, 1, 0},
    {"prfaesxcbc", XF_PRF, 4, 0},
    {"prfaescmac", XF_PRF, 8, 0},
    {"none", XF_KE, 0, 0},
    {"modpnone", XF_KE, 0, 0},
    {"modp768", XF_KE, 1, 0},
    {"modp1024", XF_KE, 2, 0},
    {"modp1536", XF_KE, 5, 0},
    {"modp2048", XF_KE, 14, 0},
    {"modp3072", XF_KE, 15, 0},
    {"modp4096", XF_KE, 16, 0},
    {"modp6144", XF_KE, 17, 0},
    {"modp8192", XF_KE, 18, 0},
    {"ecp192", XF_KE, 25, 0},
    {"ecp224", XF_KE, 26, 0},
    {"ecp256", XF_KE, 19, 0},
    {"ecp384", XF_KE, 20, 0},
    {"ecp521", XF_KE, 21, 0},
    {"modp1024s160", XF_KE, 22, 0},
    {"modp2048s224", XF_KE, 23, 0},
    {"modp2048s256", XF_KE, 24, 0},
    {"ecp224bp", XF_KE, 27, 0},
    {"ecp256bp", XF_KE, 28, 0},
    {"ecp384bp", XF_KE, 29, 0},
    {"ecp512bp", XF_KE, 30, 0},
    {"curve25519", XF_KE, 31, 0},
    {"x25519", XF_KE, 31, 0},
    {"curve448", XF_KE, 32, 0},
    {"x448", XF_KE, 32, 0},
    {"noesn", XF_ESN, 0, 0},
    {"esn", XF_ESN, 1, 0},
};

#define NKEYWORDS (sizeof(keywords) / sizeof(*keywords))

const struct xf_keyword *
proposal_keywords(size_t *n)
{
	*n = NKEYWORDS;
	return keywords;
}

const struct xf_keyword *
proposal_keyword(struct str tok)
{
	char buf[32];
	if (tok.n == 0 || tok.n >= sizeof(buf))
		return NULL;
	for (size_t i = 0; i < tok.n; i++) /* keywords are lower case */
		buf[i] =
		    (char)(tok.p[i] >= 'A' && tok.p[i] <= 'Z' ? tok.p[i] + 32
							      : tok.p[i]);
	buf[tok.n] = '\0';
	for (size_t i = 0; i < NKEYWORDS; i++)
		if (strcmp(keywords[i].name, buf) == 0)
			return &keywords[i];
	return NULL;
}

/* Short aliases that are never the canonical spelling. */
static bool
is_alias(const char *name)
{
	static const char *const alias[] = {"aes", "sha", "camellia",
					    "blowfish", "none"};
	for (size_t i = 0; i < sizeof(alias) / sizeof(*alias); i++)
		if (strcmp(name, alias[i]) == 0)
			return true;
	return false;
}

const char *
xform_name(struct arena *ar, const struct xform *x)
{
	for (size_t i = 0; i < NKEYWORDS; i++)
		if (keywords[i].type == x->type && keywords[i].id == x->id &&
		    keywords[i].keylen == x->keylen &&
		    !is_alias(keywords[i].name))
			return keywords[i].name;
	static const char *const types[] = {"?",     "encr", "prf",
					    "integ", "ke",   "esn"};
	const char *t = x->type < 6 ? types[x->type] : "?";
	return x->keylen ? arena_printf(ar, "%s#%u/%u", t, x->id, x->keylen)
			 : arena_printf(ar, "%s#%u", t, x->id);
}

bool
xform_is_aead(uint16_t id)
{
	/* CCM 14-16, GCM 18-20, Camellia-CCM 25-27, ChaCha20-Poly1305 28 */
	return (id >= 14 && id <= 16) || (id >= 18 && id <= 20) ||
	       (id >= 25 && id <= 28);
}

const char *
ke_group_name(struct arena *ar, unsigned group)
{
	struct xform x = {.type = XF_KE, .id = (uint16_t)group};
	return xform_name(ar, &x);
}

static bool
has_type(const struct proposal *p, uint8_t type)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->xf[i].type == type)
			return true;
	return false;
}

static void
add_xf(struct arena *ar, struct proposal *p, uint8_t type, uint16_t id,
       uint16_t keylen)
{
	for (size_t i = 0; i < p->n; i++) /* the same transform twice: once */
		if (p->xf[i].type == type && p->xf[i].id == id &&
		    p->xf[i].keylen == keylen)
			return;
	*ARENA_PUSH(ar, p->xf, p->n, p->c) =
	    (struct xform){.type = type, .id = id, .keylen = keylen};
}

static void
drop_type(struct proposal *p, uint8_t type, bool only_none)
{
	size_t k = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->xf[i].type != type || (only_none && p->xf[i].id != 0))
			p->xf[k++] = p->xf[i];
	p->n = k;
}

/* The PRF strongSwan derives from an integrity algorithm. */
static uint16_t
prf_of_integ(uint16_t integ)
{
	switch (integ) {
	case 2:
	case 7:
		return 2; /* HMAC-SHA1 */
	case 12:
		return 5; /* SHA2-256 */
	case 13:
		return 6;
	case 14:
		return 7;
	case 1:
	case 6:
		return 1; /* HMAC-MD5 */
	case 5:
		return 4; /* AES128-XCBC */
	case 8:
		return 8; /* AES128-CMAC */
	default:
		return 0;
	}
}

/* strongSwan's check_proposal() (ike-parameters.md §2). */
static void
normalize(struct arena *ar, struct proposal *p, enum prop_proto proto)
{
	if (proto == PROP_IKE && !has_type(p, XF_PRF)) {
		size_t n = p->n;
		for (size_t i = 0; i < n; i++)
			if (p->xf[i].type == XF_INTEG &&
			    prf_of_integ(p->xf[i].id))
				add_xf(ar, p, XF_PRF, prf_of_integ(p->xf[i].id),
				       0);
	}
	if (proto == PROP_IKE) {
		drop_type(p, XF_KE, true); /* KE "none" means nothing in IKE */
		drop_type(p, XF_ESN, false); /* ESN is for ESP/AH only (RFC
					      * 7296 §3.3.3) */
	} else
		drop_type(p, XF_PRF, false);
	bool any_enc = false, all_aead = true;
	for (size_t i = 0; i < p->n; i++)
		if (p->xf[i].type == XF_ENCR) {
			any_enc = true;
			all_aead = all_aead && xform_is_aead(p->xf[i].id);
		}
	if (any_enc && all_aead && proto != PROP_AH)
		drop_type(p, XF_INTEG, false);
	if (proto != PROP_IKE && !has_type(p, XF_ESN))
		add_xf(ar, p, XF_ESN, 0, 0);
}

static bool
parse_one(struct arena *ar, struct str text, enum prop_proto proto,
	  struct proposals *out, struct str *bad)
{
	struct proposal p = {0};
	struct str tok;
	bool ok = true;
	while (str_next(&text, '-', &tok)) {
		tok = str_trim(tok);
		const struct xf_keyword *k = proposal_keyword(tok);
		if (k == NULL) {
			if (ok && bad)
				*bad = tok;
			ok = false;
			continue;
		}
		add_xf(ar, &p, k->type, k->id, k->keylen);
	}
	if (!ok) { /* strongSwan rejects it: nothing to compare */
		out->unknown = true;
		return false;
	}
	normalize(ar, &p, proto);
	if (p.n)
		*ARENA_PUSH(ar, out->p, out->n, out->c) = p;
	return ok;
}

bool
proposals_parse(struct arena *ar, const char *text, enum prop_proto proto,
		struct proposals *out, struct str *bad)
{
	out->proto = proto;
	out->text = text;
	struct str list = str_from(text ? text : ""), one;
	if (list.n && list.p[list.n - 1] == '!') /* ipsec.conf strict flag */
		list.n--;
	bool ok = true;
	while (str_next(&list, ',', &one)) {
		one = str_trim(one);
		if (one.n == 0)
			continue;
		if (str_eq(one, "default")) { /* strongSwan's defaults: not */
			out->unknown = true;  /* modelled, so not compared */
			continue;
		}
		if (out->n >= PROPOSALS_MAX) { /* hostile input: not compared */
			out->unknown = true;
			return false;
		}
		if (!parse_one(ar, one, proto, out, bad))
			ok = false;
	}
	return ok;
}

void
proposals_warn(const struct srcloc *loc, const char *what, struct str bad)
{
	if (bad.n)
		diag(DIAG_WARNING, loc,
		     "%s: unknown algorithm '%.*s' (strongSwan "
		     "refuses the proposal; not compared)",
		     what, bad.n > 64 ? 64 : (int)bad.n, bad.p);
	else
		diag(DIAG_NOTE, loc, "%s: more than %d proposals, not compared",
		     what, PROPOSALS_MAX);
}

const char *
proposal_format(struct arena *ar, const struct proposal *p)
{
	static const uint8_t order[] = {XF_ENCR, XF_INTEG, XF_PRF, XF_KE,
					XF_ESN};
	char buf[512] = "";
	size_t len = 0;
	for (size_t t = 0; t < sizeof(order); t++)
		for (size_t i = 0; i < p->n; i++) {
			const struct xform *x = &p->xf[i];
			if (x->type != order[t] ||
			    (x->type == XF_ESN && x->id == 0))
				continue; /* noesn is strongSwan's default */
			int w = snprintf(buf + len, sizeof(buf) - len, "%s%s",
					 len ? "-" : "", xform_name(ar, x));
			if (w < 0 || (size_t)w >= sizeof(buf) - len)
				return arena_strdup(ar, buf);
			len += (size_t)w;
		}
	return arena_strdup(ar, buf);
}

const char *
proposals_format(struct arena *ar, const struct proposals *ps)
{
	if (ps->text == NULL)
		return "default";
	const char *s = "";
	for (size_t i = 0; i < ps->n; i++)
		s = arena_printf(ar, "%s%s%s", s, i ? ", " : "",
				 proposal_format(ar, &ps->p[i]));
	return s;
}

/* Does p list a transform of this type with id 0 (NONE)? */
static bool
lists_none(const struct proposal *p, uint8_t type)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->xf[i].type == type && p->xf[i].id == 0)
			return true;
	return false;
}

/* strongSwan's select_algo() for one type: conf's order preferred. */
static bool
select_type(const struct proposal *conf, const struct proposal *sup,
	    uint8_t type, enum prop_proto proto, struct xform *chosen)
{
	bool hc = has_type(conf, type), hs = has_type(sup, type);
	bool optional = type == XF_KE && proto != PROP_IKE;
	*chosen = (struct xform){.type = type};
	if (!hc && !hs)
		return true;
	if (!hc || !hs) /* only NONE on the other side makes it acceptable */
		return optional && lists_none(hc ? conf : sup, type);
	for (size_t i = 0; i < conf->n; i++)
		for (size_t j = 0; conf->xf[i].type == type && j < sup->n; j++)
			if (sup->xf[j].type == type &&
			    sup->xf[j].id == conf->xf[i].id &&
			    sup->xf[j].keylen == conf->xf[i].keylen) {
				*chosen = conf->xf[i];
				return true;
			}
	return false;
}

/* select_algos(): every type of either side; 0 or the failing type. */
static uint8_t
match(const struct proposal *conf, const struct proposal *sup,
      enum prop_proto proto, bool skip_ke)
{
	static const uint8_t types[] = {XF_ENCR, XF_PRF, XF_INTEG, XF_KE,
					XF_ESN};
	bool aead = false;
	for (size_t t = 0; t < sizeof(types); t++) {
		uint8_t type = types[t];
		if ((type == XF_INTEG && aead) || (type == XF_KE && skip_ke))
			continue;
		struct xform x;
		if (!select_type(conf, sup, type, proto, &x))
			return type;
		if (type == XF_ENCR && x.id && xform_is_aead(x.id))
			aead = true;
	}
	return 0;
}

bool
proposals_select(const struct proposals *responder,
		 const struct proposals *initiator, bool skip_ke,
		 struct prop_select *out)
{
	*out = (struct prop_select){0};
	for (size_t i = 0; i < responder->n; i++)
		for (size_t j = 0; j < initiator->n; j++)
			if (match(&responder->p[i], &initiator->p[j],
				  responder->proto, skip_ke) == 0) {
				out->resp = i;
				out->init = j;
				return true;
			}
	if (responder->n && initiator->n)
		out->fail_type = match(&responder->p[0], &initiator->p[0],
				       responder->proto, skip_ke);
	return false;
}

const char *
proposals_selected(struct arena *ar, const struct proposals *responder,
		   const struct proposals *initiator, bool skip_ke)
{
	struct prop_select sel;
	if (!proposals_select(responder, initiator, skip_ke, &sel))
		return NULL;
	static const uint8_t types[] = {XF_ENCR, XF_PRF, XF_INTEG, XF_KE,
					XF_ESN};
	const struct proposal *c = &responder->p[sel.resp];
	const struct proposal *u = &initiator->p[sel.init];
	struct proposal out = {0};
	bool aead = false;
	for (size_t t = 0; t < sizeof(types); t++) {
		struct xform x;
		if ((types[t] == XF_INTEG && aead) ||
		    (types[t] == XF_KE && skip_ke))
			continue;
		if (select_type(c, u, types[t], responder->proto, &x) && x.id) {
			add_xf(ar, &out, x.type, x.id, x.keylen);
			aead =
			    aead || (x.type == XF_ENCR && xform_is_aead(x.id));
		} else if (types[t] == XF_ESN) {
			add_xf(ar, &out, XF_ESN, 0, 0);
		}
	}
	return proposal_format(ar, &out);
}

/* strongSwan's printed transform names (the %N enum names of
 * transform_names in libstrongswan/crypto/{crypters,signers,prfs}, key
 * exchange and ESN), as charon logs "received proposals:". Encryption
 * names carry "_<key size>" when the algorithm has one. */
static const struct {
	const char *name;
	uint8_t type;
	uint16_t id;
} printed[] = {
    {"DES_CBC", XF_ENCR, 2}, /* crypter.c encryption_algorithm_names */
    {"3DES_CBC", XF_ENCR, 3},
    {"CAST_CBC", XF_ENCR, 6},
    {"BLOWFISH_CBC", XF_ENCR, 7},
    {"DES", XF_ENCR, 2},
    {"3DES", XF_ENCR, 3},
    {"CAST", XF_ENCR, 6},
    {"BLOWFISH", XF_ENCR, 7},
    {"NULL", XF_ENCR, 11},
    {"AES_CBC", XF_ENCR, 12},
    {"AES_CTR", XF_ENCR, 13},
    {"AES_CCM_8", XF_ENCR, 14},
    {"AES_CCM_12", XF_ENCR, 15},
    {"AES_CCM_16", XF_ENCR, 16},
    {"AES_GCM_8", XF_ENCR, 18},
    {"AES_GCM_12", XF_ENCR, 19},
    {"AES_GCM_16", XF_ENCR, 20},
    {"NULL_AES_GMAC", XF_ENCR, 21},
    {"CAMELLIA_CBC", XF_ENCR, 23},
    {"CAMELLIA_CTR", XF_ENCR, 24},
    {"CAMELLIA_CCM_8", XF_ENCR, 25},
    {"CAMELLIA_CCM_12", XF_ENCR, 26},
    {"CAMELLIA_CCM_16", XF_ENCR, 27},
    {"CHACHA20_POLY1305", XF_ENCR, 28},
    {"HMAC_MD5_96", XF_INTEG, 1},
    {"HMAC_SHA1_96", XF_INTEG, 2},
    {"AES_XCBC_96", XF_INTEG, 5},
    {"HMAC_MD5_128", XF_INTEG, 6},
    {"HMAC_SHA1_160", XF_INTEG, 7},
    {"AES_CMAC_96", XF_INTEG, 8},
    {"HMAC_SHA2_256_128", XF_INTEG, 12},
    {"HMAC_SHA2_384_192", XF_INTEG, 13},
    {"HMAC_SHA2_512_256", XF_INTEG, 14},
    {"PRF_HMAC_MD5", XF_PRF, 1},
    {"PRF_HMAC_SHA1", XF_PRF, 2},
    {"PRF_AES128_XCBC", XF_PRF, 4},
    {"PRF_HMAC_SHA2_256", XF_PRF, 5},
    {"PRF_HMAC_SHA2_384", XF_PRF, 6},
    {"PRF_HMAC_SHA2_512", XF_PRF, 7},
    {"PRF_AES128_CMAC", XF_PRF, 8},
    {"MODP_768", XF_KE, 1},
    {"MODP_1024", XF_KE, 2},
    {"MODP_1536", XF_KE, 5},
    {"MODP_2048", XF_KE, 14},
    {"MODP_3072", XF_KE, 15},
    {"MODP_4096", XF_KE, 16},
    {"MODP_6144", XF_KE, 17},
    {"MODP_8192", XF_KE, 18},
    {"ECP_256", XF_KE, 19},
    {"ECP_384", XF_KE, 20},
    {"ECP_521", XF_KE, 21},
    {"MODP_1024_160", XF_KE, 22},
    {"MODP_2048_224", XF_KE, 23},
    {"MODP_2048_256", XF_KE, 24},
    {"ECP_192", XF_KE, 25},
    {"ECP_224", XF_KE, 26},
    {"ECP_224_BP", XF_KE, 27},
    {"ECP_256_BP", XF_KE, 28},
    {"ECP_384_BP", XF_KE, 29},
    {"ECP_512_BP", XF_KE, 30},
    {"CURVE_25519", XF_KE, 31},
    {"CURVE_448", XF_KE, 32},
    {"KE_NONE", XF_KE, 0},
    {"MODP_NONE", XF_KE, 0},
    {"NO_EXT_SEQ", XF_ESN, 0},
    {"EXT_SEQ", XF_ESN, 1},
};

static bool
printed_xform(struct str name, struct xform *x)
{
	for (int pass = 0; pass < 2; pass++) {
		struct str base = name;
		unsigned ks = 0;
		if (pass == 1) { /* "AES_GCM_16_256": a key size at the end */
			const char *us = NULL;
			for (size_t i = name.n; i > 0; i--)
				if (name.p[i - 1] == '_') {
					us = name.p + i - 1;
					break;
				}
			uint64_t v;
			if (us == NULL ||
			    !str_to_u64(
				(struct str){
				    us + 1, (size_t)(name.p + name.n - us - 1)},
				1024, &v))
				return false;
			base.n = (size_t)(us - name.p);
			ks = (unsigned)v;
		}
		for (size_t i = 0; i < sizeof(printed) / sizeof(*printed); i++)
			if (str_eq(base, printed[i].name) &&
			    (pass == 0 || printed[i].type == XF_ENCR)) {
				*x =
				    (struct xform){printed[i].type,
						   printed[i].id, (uint16_t)ks};
				return true;
			}
	}
	return false;
}

bool
proposals_parse_printed(struct arena *ar, const char *text,
			struct proposals *out)
{
	struct str list = str_from(text ? text : ""), one;
	bool ok = true;
	out->text = text;
	while (str_next(&list, ',', &one)) {
		one = str_trim(one);
		struct str proto, algs, a;
		if (out->n >= PROPOSALS_MAX) {
			out->unknown = true;
			return false;
		}
		if (!str_split(one, ':', &proto, &algs))
			return false;
		out->proto = str_eq(proto, "IKE")  ? PROP_IKE
			     : str_eq(proto, "AH") ? PROP_AH
						   : PROP_ESP;
		struct proposal p = {0};
		while (str_next(&algs, '/', &a)) {
			struct xform x;
			if (!printed_xform(str_trim(a), &x)) {
				ok = false;
				out->unknown = true;
				continue;
			}
			add_xf(ar, &p, x.type, x.id, x.keylen);
		}
		*ARENA_PUSH(ar, out->p, out->n, out->c) = p;
	}
	return ok && out->n > 0;
}

unsigned
proposals_pfs_group(const struct proposals *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; j < ps->p[i].n; j++)
			if (ps->p[i].xf[j].type == XF_KE)
				return ps->p[i].xf[j].id;
	return 0;
}

/* RFC 8247 (IKEv2) §2.1-2.4 and RFC 8221 (ESP/AH) §5-6 levels for the
 * transforms they rate SHOULD NOT or MUST NOT, and the ones only one of
 * them rates (ike-parameters.md §4). */
struct weak_row {
	uint8_t type;
	uint16_t id;
	uint8_t ike, esp; /* enum xf_verdict for IKE, for ESP/AH */
	const char *ike_why, *esp_why, *instead;
};
#define AES "aes256gcm16 (or aes256 with sha256)"
#define DH "modp2048 (group 14), ecp256 (19) or curve25519 (31)"
static const struct weak_row weak[] = {
    {XF_ENCR, 2, XFV_MUST_NOT, XFV_MUST_NOT, "RFC 8247 §2.1: MUST NOT",
     "RFC 8221 §5: MUST NOT", AES}, /* DES */
    {XF_ENCR, 3, XFV_SHOULD_NOT, XFV_SHOULD_NOT,
     "RFC 8247 §2.1: only MAY, "
     "its 64-bit block is expected to be demoted",
     "RFC 8221 §5: SHOULD "
     "NOT",
     AES}, /* 3DES */
    {XF_ENCR, 6, XFV_SHOULD_NOT, XFV_MUST_NOT,
     "not in RFC 8247's list; "
     "RFC 8221 §5 says MUST NOT for ESP",
     "RFC 8221 §5: MUST NOT", AES},
    {XF_ENCR, 7, XFV_SHOULD_NOT, XFV_MUST_NOT,
     "not in RFC 8247's list; "
     "RFC 8221 §5 says MUST NOT for ESP",
     "RFC 8221 §5: MUST NOT", AES},
    {XF_INTEG, 1, XFV_MUST_NOT, XFV_MUST_NOT, "RFC 8247 §2.3: MUST NOT",
     "RFC 8221 §6: MUST NOT", "sha256"}, /* HMAC-MD5-96 */
    {XF_INTEG, 6, XFV_MUST_NOT, XFV_MUST_NOT,
     "not in RFC 8247's list "
     "(HMAC-MD5)",
     "not in RFC 8221's list (HMAC-MD5)", "sha256"},
    {XF_PRF, 1, XFV_MUST_NOT, XFV_OK, "RFC 8247 §2.2: MUST NOT", NULL,
     "prfsha256"},
    {XF_KE, 1, XFV_MUST_NOT, XFV_MUST_NOT, "RFC 8247 §2.4: MUST NOT",
     "RFC 8247 §2.4: MUST NOT", DH},
    {XF_KE, 2, XFV_SHOULD_NOT, XFV_SHOULD_NOT, "RFC 8247 §2.4: SHOULD NOT",
     "RFC 8247 §2.4: SHOULD NOT", DH},
    {XF_KE, 5, XFV_SHOULD_NOT, XFV_SHOULD_NOT, "RFC 8247 §2.4: SHOULD NOT",
     "RFC 8247 §2.4: SHOULD NOT", DH},
    {XF_KE, 22, XFV_SHOULD_NOT, XFV_SHOULD_NOT, "RFC 8247 §2.4: SHOULD NOT",
     "RFC 8247 §2.4: SHOULD NOT", DH},
    {XF_KE, 23, XFV_SHOULD_NOT, XFV_SHOULD_NOT, "RFC 8247 §2.4: SHOULD NOT",
     "RFC 8247 §2.4: SHOULD NOT", DH},
    {XF_KE, 24, XFV_SHOULD_NOT, XFV_SHOULD_NOT, "RFC 8247 §2.4: SHOULD NOT",
     "RFC 8247 §2.4: SHOULD NOT", DH},
};

enum xf_verdict
xform_verdict(const struct xform *x, enum prop_proto proto,
	      const char **instead, const char **why)
{
	for (size_t i = 0; i < sizeof(weak) / sizeof(*weak); i++) {
		if (weak[i].type != x->type || weak[i].id != x->id)
			continue;
		bool ike = proto == PROP_IKE;
		enum xf_verdict v = ike ? weak[i].ike : weak[i].esp;
		if (v != XFV_OK) {
			*instead = weak[i].instead;
			*why = ike ? weak[i].ike_why : weak[i].esp_why;
		}
		return v;
	}
	return XFV_OK;
}

/* Tokens the keyword table leaves out that still name no cipher or
 * integrity: post-quantum and additional key exchanges. */
static bool
parse_other_token(struct str s)
{
	static const char *const prefixes[] = {
	    "modp",    "ecp",	"curve", "x25519", "x448",  "ntru",
	    "newhope", "mlkem", "prf",	 "esn",	   "noesn", "ke1_",
	    "ke2_",    "ke3_",	"ke4_",	 "ke5_",   "ke6_",  "ke7_",
	};
	for (unsigned k = 0; k < sizeof(prefixes) / sizeof(*prefixes); k++)
		if (str_starts(s, prefixes[k]))
			return true;
	return false;
}

/* An encryption transform id (model/proposal.h) as the costed cipher;
 * false for the ones without a cost model (CTR, Camellia, ...). */
static bool
cipher_of_xform(const struct xf_keyword *k, struct transform *t)
{
	static const struct {
		uint16_t id;
		enum cipher c;
		unsigned keylen, icv; /* keylen 0: the keyword's */
	} map[] = {
	    {11, CIPHER_NULL, 0, 0},
	    {3, CIPHER_3DES, 192, 0},
	    {6, CIPHER_CAST128, 128, 0},
	    {7, CIPHER_BLOWFISH, 0, 0},
	    {12, CIPHER_AES_CBC, 0, 0},
	    {14, CIPHER_AES_CCM, 0, 8},
	    {15, CIPHER_AES_CCM, 0, 12},
	    {16, CIPHER_AES_CCM, 0, 16},
	    {18, CIPHER_AES_GCM, 0, 8},
	    {19, CIPHER_AES_GCM, 0, 12},
	    {20, CIPHER_AES_GCM, 0, 16},
	    {28, CIPHER_CHACHA20_POLY1305, 256, 16},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (map[i].id == k->id) {
			*t = (struct transform){
			    map[i].c, map[i].keylen ? map[i].keylen : k->keylen,
			    map[i].icv};
			return true;
		}
	return false;
}

enum proposal_token
transform_parse_token(struct str tok, struct transform *t, enum integ *i)
{
	/* one keyword table for the whole tool (model/proposal.c) */
	const struct xf_keyword *k = proposal_keyword(tok);
	if (k == NULL)
		return parse_other_token(tok) ? PTOK_OTHER : PTOK_UNKNOWN;
	if (k->type == XF_ENCR)
		return cipher_of_xform(k, t) ? PTOK_CIPHER : PTOK_UNKNOWN;
	if (k->type != XF_INTEG)
		return PTOK_OTHER; /* PRF, DH group, ESN: no size effect */
	static const struct {
		uint16_t id;
		enum integ i;
	} integs[] = {
	    {1, INTEG_HMAC_MD5},     {2, INTEG_HMAC_SHA1},
	    {12, INTEG_HMAC_SHA256}, {13, INTEG_HMAC_SHA384},
	    {14, INTEG_HMAC_SHA512}, {5, INTEG_AES_XCBC},
	};
	for (size_t n = 0; n < sizeof(integs) / sizeof(*integs); n++)
		if (integs[n].id == k->id) {
			*i = integs[n].i;
			return PTOK_INTEG;
		}
	return PTOK_UNKNOWN;
}
