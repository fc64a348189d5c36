/* redact: secrets out of every format they occur in; --pseudonymize
 * keeps public addresses public, private ones as they are, subnets
 * together, and maps the same address the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "redact/redact.h"

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
run(struct redactor *r, const char *in)
{
	size_t n;
	return redact_text(r, in, strlen(in), &n);
}

static void
xml_values(void **st)
{
	(void)st;
	struct redactor r;
	assert_true(redactor_init(&r, &ar, false));
	const char *out = run(
	    &r, "<phase1><pre-shared-key>S3CRET1</pre-shared-key>\n"
		"<descr>keep me</descr><prv>\nLS0tS3CRET2\nS3CRET3\n</prv>\n"
		"<Key><![CDATA[S3CRET4]]></Key><PASSWORD>S3CRET5</PASSWORD>\n"
		"<pre-shared-key>xxxxx</pre-shared-key><password/></phase1>\n");
	assert_null(strstr(out, "S3CRET"));
	assert_non_null(strstr(out, "<pre-shared-key>xxxxx</pre-shared-key>"));
	assert_non_null(strstr(out, "<descr>keep me</descr>"));
	assert_non_null(strstr(out, "<password/>"));
	assert_int_equal(r.secrets, 4);
}

static void
config_lines(void **st)
{
	(void)st;
	struct redactor r;
	assert_true(redactor_init(&r, &ar, false));
	const char *out = run(
	    &r, "secrets {\n  ike-1 {\n    secret = \"S3CRET1\"\n  }\n"
		"  eap { secret=0sS3CRET2 }\n}\n"
		"1.2.3.4 : PSK \"S3CRET3\"\n"
		"\tenc cbc(aes) 0x5ec2e7aa\n\tauth-trunc hmac(sha256) "
		"0x5ec2e7bb 128\n"
		"5.6.7.1 9.10.11.2\n\tE: aes-cbc  5ec2e7cc\n\tA: hmac-sha1  "
		"5ec2e7dd\n"
		"-----BEGIN RSA PRIVATE KEY-----\nS3CRET4\n-----END RSA "
		"PRIVATE KEY-----\n"
		"<tls-auth>\n-----BEGIN OpenVPN Static key V1-----\nS3CRET5\n"
		"-----END OpenVPN Static key V1-----\n</tls-auth>\n"
		"Jan 1 charon: 09[IKE] Sk_ei secret => 16 bytes @ 0x1\n"
		"Jan 1 charon: 09[IKE]    0: 5E C2 E7 EE 00 11  ..\n"
		"Jan 1 charon: 09[IKE] next line kept\n");
	assert_null(strstr(out, "S3CRET"));
	assert_null(strstr(out, "5ec2e7"));
	assert_null(strstr(out, "5E C2 E7"));
	assert_non_null(strstr(out, "secret = <redacted>"));
	assert_non_null(strstr(out, "next line kept"));
	assert_non_null(strstr(out, "enc cbc(aes) 0x<redacted>"));
	assert_non_null(strstr(out, "5.6.7.1 9.10.11.2"));
}

static uint32_t
v4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | b << 16 | c << 8 | d;
}

static void
pseudonyms(void **st)
{
	(void)st;
	struct redactor r;
	assert_true(redactor_init(&r, &ar, true));
	/* private, loopback, CGNAT, link-local, multicast: unchanged */
	assert_int_equal(redact_ipv4(&r, v4(10, 0, 1, 1)), v4(10, 0, 1, 1));
	assert_int_equal(redact_ipv4(&r, v4(192, 168, 1, 1)),
			 v4(192, 168, 1, 1));
	assert_int_equal(redact_ipv4(&r, v4(172, 20, 0, 1)), v4(172, 20, 0, 1));
	assert_int_equal(redact_ipv4(&r, v4(100, 64, 0, 1)), v4(100, 64, 0, 1));
	assert_int_equal(redact_ipv4(&r, v4(224, 0, 0, 5)), v4(224, 0, 0, 5));
	/* public: first and last octet kept, the same address the same way,
	 * one /24 stays one /24; a mixed first octet keeps 16 bits */
	int changed = 0;
	for (unsigned i = 1; i < 200; i++) {
		uint32_t a = v4(5, i, 7, 1), m = redact_ipv4(&r, a);
		assert_int_equal(m >> 24, 5);
		assert_int_equal(m & 0xff, 1);
		assert_int_equal(m, redact_ipv4(&r, a));
		assert_int_equal(redact_ipv4(&r, v4(5, i, 7, 254)) >> 8,
				 m >> 8);
		changed += m != a;
		uint32_t p = redact_ipv4(&r, v4(172, 32, i, 9));
		assert_int_equal(p >> 16, v4(0, 0, 172, 32));
	}
	assert_true(changed > 150);
	/* in text: version numbers and longer dotted runs are not addresses */
	const char *out =
	    run(&r, "peer 5.6.7.1, strongSwan 5.9.14.1.2 10.0.1.1\n");
	assert_null(strstr(out, "5.6.7.1,"));
	assert_non_null(strstr(out, "5.9.14.1.2"));
	assert_non_null(strstr(out, "10.0.1.1"));
	assert_int_equal(r.addrs, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(xml_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(config_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(pseudonyms, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
