/* Certificates from configs (import/x509.c, pfsense/cfg_certs.c,
 * doc/behaviour/ike-parameters.md §14): subject, issuer, SANs and
 * validity as strongSwan sees them, PEM or pfSense's base64 of the PEM,
 * hostile text refused. The certificates are tests/fixtures/certs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "import/load.h"
#include "import/x509.h"

static struct arena ar;

static int
setup(void **st)
{
	(void)st;
	arena_init(&ar);
	return 0;
}

static int
teardown(void **st)
{
	(void)st;
	arena_free(&ar);
	return 0;
}

static const char *
pem(const char *key)
{
	json_t *j = json_load_file("tests/fixtures/certs/certs.json", 0, NULL);
	assert_non_null(j);
	const char *v =
	    arena_strdup(&ar, json_string_value(json_object_get(j, key)));
	json_decref(j);
	return v;
}

static void
decode_pem(void **st)
{
	(void)st;
	struct x509_info x = {0};
	assert_true(x509_decode(&ar, pem("siteB"), &x));
	assert_string_equal(x.subject,
			    "C=US, O=ipsecdiag test, CN=siteB.example.org");
	assert_string_equal(x.issuer, "C=US, O=ipsecdiag test, CN=Test CA A");
	assert_int_equal(x.nsan, 2);
	assert_string_equal(x.san[0], "fqdn:siteB.example.org");
	assert_string_equal(x.san[1], "address:9.10.11.2");
	assert_false(x.is_ca);
	assert_int_equal(x.not_before, 1577836800);  /* 2020-01-01 */
	assert_int_equal(x.not_after, 4070908800LL); /* 2099-01-01 */
	struct x509_info ca = {0};
	assert_true(x509_decode(&ar, pem("caA"), &ca));
	assert_true(ca.is_ca);
}

/* pfSense's <crt>: base64 of the PEM, with or without line breaks */
static void
decode_base64(void **st)
{
	(void)st;
	const char *p = pem("siteB-expired");
	size_t n = strlen(p);
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *b = arena_alloc(&ar, n * 2 + 8), *o = b;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)(unsigned char)p[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)p[i + 2];
		*o++ = tab[v >> 18 & 63];
		*o++ = tab[v >> 12 & 63];
		*o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
		*o++ = i + 2 < n ? tab[v & 63] : '=';
		if (i % 48 == 45)
			*o++ = '\n';
	}
	*o = '\0';
	struct x509_info x = {0};
	assert_true(x509_decode(&ar, b, &x));
	assert_int_equal(x.not_after, 978307200); /* 2001-01-01 */
}

static void
hostile(void **st)
{
	(void)st;
	struct x509_info x = {0};
	assert_false(x509_decode(&ar, "", &x));
	assert_false(x509_decode(&ar, "not base64 at all!", &x));
	assert_false(x509_decode(&ar, "QUJD", &x)); /* "ABC" */
	assert_false(
	    x509_decode(&ar, "-----BEGIN CERTIFICATE-----\nAAAA\n", &x));
	assert_null(x.subject);
}

/* A pair's config: each phase 1 finds its certificate and peer CA. */
static void
config_refs(void **st)
{
	(void)st;
	struct site s = {0};
	assert_true(
	    site_load(&ar, "tests/fixtures/pairs/cert-healthy/siteA", &s));
	assert_int_equal(s.ncerts, 2);
	assert_non_null(s.p1[0].cert);
	assert_string_equal(s.p1[0].cert->refid, "siteA");
	assert_non_null(s.p1[0].ca);
	assert_true(s.p1[0].ca->is_ca);
	assert_string_equal(s.p1[0].auth, "cert");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(decode_pem, setup, teardown),
	    cmocka_unit_test_setup_teardown(decode_base64, setup, teardown),
	    cmocka_unit_test_setup_teardown(hostile, setup, teardown),
	    cmocka_unit_test_setup_teardown(config_refs, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
