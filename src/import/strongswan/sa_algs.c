/* SA algorithms into charon's printed names (sa_algs.h).
 * doc/behaviour/ike-parameters.md §13. */
#include <string.h>

#include "import/strongswan/sa_algs.h"

/* Kernel crypto names (strongSwan kernel_netlink_ipsec.c encryption_algs
 * and integrity_algs; the kernel prints its canonical name, e.g. "aes"
 * becomes "cbc(aes)"), the printed name, and the bits of salt or nonce
 * the key carries beyond the cipher key (RFC 4106 §8.1, RFC 4309 §7.1,
 * RFC 3686 §5.1, RFC 7634 §2). icv: AEAD names choose by ICV bits. */
static const struct {
	const char *kernel, *alias, *printed;
	unsigned salt;
	bool keyed; /* the printed name takes "_<key bits>" */
} encr[] = {
    {"cbc(des)", "des", "DES_CBC", 0, false},
    {"cbc(des3_ede)", "des3_ede", "3DES_CBC", 0, false},
    {"cbc(cast5)", "cast5", "CAST_CBC", 0, true},
    {"cbc(blowfish)", "blowfish", "BLOWFISH_CBC", 0, true},
    {"ecb(cipher_null)", "cipher_null", "NULL", 0, false},
    {"cbc(aes)", "aes", "AES_CBC", 0, true},
    {"rfc3686(ctr(aes))", NULL, "AES_CTR", 32, true},
    {"cbc(camellia)", NULL, "CAMELLIA_CBC", 0, true},
};

static const struct {
	const char *kernel, *alias;
	unsigned trunc; /* ICV bits; 0 = the plain "auth" default */
	const char *printed;
} integ[] = {
    {"hmac(md5)", "md5", 96, "HMAC_MD5_96"},
    {"hmac(md5)", NULL, 128, "HMAC_MD5_128"},
    {"hmac(sha1)", "sha1", 96, "HMAC_SHA1_96"},
    {"hmac(sha1)", NULL, 160, "HMAC_SHA1_160"},
    {"hmac(sha256)", NULL, 128, "HMAC_SHA2_256_128"},
    {"hmac(sha384)", NULL, 192, "HMAC_SHA2_384_192"},
    {"hmac(sha512)", NULL, 256, "HMAC_SHA2_512_256"},
    {"xcbc(aes)", NULL, 96, "AES_XCBC_96"},
    {"cmac(aes)", NULL, 96, "AES_CMAC_96"},
};

static struct str
word(struct str *rest)
{
	struct str t = str_trim(*rest);
	size_t i = 0;
	while (i < t.n && t.p[i] != ' ' && t.p[i] != '\t')
		i++;
	*rest = (struct str){t.p + i, t.n - i};
	return (struct str){t.p, i};
}

/* Bits of a "0x..." key: its hex digits times four (0 if not hex). */
static unsigned
key_bits(struct str k)
{
	if (k.n < 3 || k.p[0] != '0' || (k.p[1] != 'x' && k.p[1] != 'X'))
		return 0;
	for (size_t i = 2; i < k.n; i++)
		if (!strchr("0123456789abcdefABCDEF", k.p[i]))
			return 0;
	return (unsigned)(k.n - 2) * 4;
}

static const char *
aead_name(struct arena *ar, struct str name, unsigned bits, unsigned icv)
{
	const char *base = NULL;
	unsigned salt = 32;
	if (str_eq(name, "rfc4106(gcm(aes))"))
		base = icv == 64    ? "AES_GCM_8"
		       : icv == 96  ? "AES_GCM_12"
		       : icv == 128 ? "AES_GCM_16"
				    : NULL;
	else if (str_eq(name, "rfc4309(ccm(aes))")) {
		salt = 24;
		base = icv == 64    ? "AES_CCM_8"
		       : icv == 96  ? "AES_CCM_12"
		       : icv == 128 ? "AES_CCM_16"
				    : NULL;
	} else if (str_eq(name, "rfc4543(gcm(aes))"))
		base = "NULL_AES_GMAC";
	else if (str_eq(name, "rfc7539esp(chacha20,poly1305)"))
		return bits == 288 ? "CHACHA20_POLY1305" : NULL;
	if (base == NULL || bits <= salt)
		return NULL;
	return arena_printf(ar, "%s_%u", base, bits - salt);
}

const char *
sa_algs_xfrm(struct arena *ar, struct str kw, struct str rest)
{
	struct str name = word(&rest), key = word(&rest), n = word(&rest);
	unsigned bits = key_bits(key);
	uint64_t v = 0;
	if (bits == 0)
		return NULL;
	if (str_eq(kw, "aead"))
		return str_to_u64(n, 1024, &v)
			   ? aead_name(ar, name, bits, (unsigned)v)
			   : NULL;
	if (str_eq(kw, "enc")) {
		for (size_t i = 0; i < sizeof(encr) / sizeof(*encr); i++)
			if (str_eq(name, encr[i].kernel) ||
			    (encr[i].alias && str_eq(name, encr[i].alias))) {
				if (!encr[i].keyed)
					return encr[i].printed;
				if (bits <= encr[i].salt)
					return NULL;
				return arena_printf(ar, "%s_%u",
						    encr[i].printed,
						    bits - encr[i].salt);
			}
		return NULL;
	}
	bool trunc = str_eq(kw, "auth-trunc");
	if (!trunc && !str_eq(kw, "auth"))
		return NULL;
	if (trunc && !str_to_u64(n, 1024, &v))
		return NULL;
	for (size_t i = 0; i < sizeof(integ) / sizeof(*integ); i++)
		if ((str_eq(name, integ[i].kernel) ||
		     (integ[i].alias && str_eq(name, integ[i].alias))) &&
		    (trunc ? v == integ[i].trunc
			   : integ[i].trunc == 96 || integ[i].trunc == 128))
			return integ[i].printed;
	return NULL;
}

void
sa_algs_add(struct arena *ar, const char **algs, bool ah, const char *piece)
{
	*algs = *algs ? arena_printf(ar, "%s/%s", *algs, piece)
		      : arena_printf(ar, "%s:%s", ah ? "AH" : "ESP", piece);
}

/* "AES_CBC-256" -> "AES_CBC_256"; "HMAC_SHA2_256_128-128" (an integrity
 * key size) -> "HMAC_SHA2_256_128". */
static const char *
list_piece(struct arena *ar, struct str p, bool first)
{
	const char *dash = memchr(p.p, '-', p.n);
	if (dash == NULL)
		return arena_printf(ar, "%.*s", (int)p.n, p.p);
	int head = (int)(dash - p.p);
	if (!first)
		return arena_printf(ar, "%.*s", head, p.p);
	return arena_printf(ar, "%.*s_%.*s", head, p.p,
			    (int)(p.n - (size_t)head - 1), dash + 1);
}

const char *
sa_algs_list_sas(struct arena *ar, struct str algs)
{
	struct str one;
	const char *out = NULL;
	bool first = true;
	while (str_next(&algs, '/', &one)) {
		one = str_trim(one);
		if (one.n == 0)
			continue;
		bool is_integ = str_starts(one, "HMAC_") ||
				str_starts(one, "AES_XCBC") ||
				str_starts(one, "AES_CMAC");
		if (first && !is_integ)
			out = list_piece(ar, one, true);
		else if (is_integ)
			out = out ? arena_printf(ar, "%s/%s", out,
						 list_piece(ar, one, false))
				  : list_piece(ar, one, false);
		first = false;
	}
	return out;
}
