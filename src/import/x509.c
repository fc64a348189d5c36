/* X.509 certificates into the model (x509.h), by libcrypto.
 * doc/behaviour/ike-parameters.md §14. */
#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "import/x509.h"

enum { X509_TEXT_MAX = 64 * 1024 };

/* base64 without blanks into DER/PEM bytes; NULL when not base64 */
static unsigned char *
unbase64(struct arena *ar, const char *text, size_t *len)
{
	size_t n = strlen(text), k = 0;
	if (n == 0 || n > X509_TEXT_MAX)
		return NULL;
	char *clean = arena_alloc(ar, n + 1);
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", text[i]))
			clean[k++] = text[i];
	if (k == 0 || k % 4)
		return NULL;
	unsigned char *out = arena_alloc(ar, k / 4 * 3 + 1);
	int r = EVP_DecodeBlock(out, (const unsigned char *)clean, (int)k);
	if (r < 0)
		return NULL;
	*len = (size_t)r - (clean[k - 1] == '=') - (clean[k - 2] == '=');
	return out;
}

static X509 *
parse_any(const unsigned char *p, size_t n)
{
	BIO *b = BIO_new_mem_buf(p, (int)n);
	X509 *x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (x == NULL) {
		const unsigned char *q = p;
		x = d2i_X509(NULL, &q, (long)n);
	}
	return x;
}

/* "C=CH, O=Example, CN=gw" in the certificate's RDN order, as
 * strongSwan prints a DN (emailAddress as E). */
static const char *
dn_str(struct arena *ar, const X509_NAME *nm)
{
	const char *out = "";
	int n = X509_NAME_entry_count(nm);
	for (int i = 0; i < n; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(nm, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		const char *key = nid == NID_pkcs9_emailAddress ? "E"
				  : nid == NID_undef		? "?"
						     : OBJ_nid2sn(nid);
		unsigned char *v = NULL;
		int len = ASN1_STRING_to_UTF8(
		    &v, X509_NAME_ENTRY_get_data((X509_NAME_ENTRY *)e));
		if (len < 0)
			continue;
		out = arena_printf(ar, "%s%s%s=%.*s", out, i ? ", " : "", key,
				   len, v);
		OPENSSL_free(v);
	}
	return out;
}

static void
add_san(struct arena *ar, struct x509_info *o, const char *s)
{
	*ARENA_PUSH(ar, o->san, o->nsan, o->csan) = s;
}

static void
sans(struct arena *ar, X509 *x, struct x509_info *o)
{
	GENERAL_NAMES *g =
	    X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; g && i < sk_GENERAL_NAME_num(g); i++) {
		const GENERAL_NAME *n = sk_GENERAL_NAME_value(g, i);
		int t;
		const ASN1_STRING *v = GENERAL_NAME_get0_value(n, &t);
		const unsigned char *d = ASN1_STRING_get0_data(v);
		int len = ASN1_STRING_length(v);
		char ip[INET6_ADDRSTRLEN];
		if (t == GEN_DNS)
			add_san(ar, o,
				arena_printf(ar, "fqdn:%.*s", len, (char *)d));
		else if (t == GEN_EMAIL)
			add_san(
			    ar, o,
			    arena_printf(ar, "userfqdn:%.*s", len, (char *)d));
		else if (t == GEN_IPADD && (len == 4 || len == 16) &&
			 inet_ntop(len == 4 ? AF_INET : AF_INET6, d, ip,
				   sizeof(ip)))
			add_san(ar, o, arena_printf(ar, "address:%s", ip));
	}
	GENERAL_NAMES_free(g);
}

static int64_t
asn1_secs(const ASN1_TIME *t)
{
	struct tm tm;
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

bool
x509_decode(struct arena *ar, const char *text, struct x509_info *out)
{
	if (text == NULL)
		return false;
	size_t n = strlen(text);
	X509 *x = NULL;
	if (n <= X509_TEXT_MAX && strstr(text, "-----BEGIN"))
		x = parse_any((const unsigned char *)text, n);
	else {
		unsigned char *raw = unbase64(ar, text, &n);
		x = raw ? parse_any(raw, n) : NULL;
	}
	if (x == NULL)
		return false;
	out->subject = dn_str(ar, X509_get_subject_name(x));
	out->issuer = dn_str(ar, X509_get_issuer_name(x));
	out->not_before = asn1_secs(X509_get0_notBefore(x));
	out->not_after = asn1_secs(X509_get0_notAfter(x));
	out->is_ca = X509_check_ca(x) > 0;
	sans(ar, x, out);
	X509_free(x);
	return true;
}
