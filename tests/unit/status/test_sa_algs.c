/* The algorithms of installed SAs read from `ip xfrm state` and
 * `swanctl --list-sas` (import/strongswan/sa_algs.c,
 * doc/behaviour/ike-parameters.md §13): kernel and vici names become the
 * transform ids the configs are compared with; key bytes never reach
 * the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "import/linux/linux.h"
#include "import/strongswan/sa_algs.h"
#include "model/proposal.h"

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
xf(const char *kw, const char *rest)
{
	return sa_algs_xfrm(&ar, str_from(kw), str_from(rest));
}

#define K128 "0x000102030405060708090a0b0c0d0e0f"
#define K160 K128 "10111213"
#define K256 K128 "000102030405060708090a0b0c0d0e0f"
#define K288 K256 "deadbeef"

static void
xfrm_names(void **st)
{
	(void)st;
	/* GCM: the key carries 32 bits of salt, the ICV picks the name */
	assert_string_equal(xf("aead", "rfc4106(gcm(aes)) " K288 " 128"),
			    "AES_GCM_16_256");
	assert_string_equal(xf("aead", "rfc4106(gcm(aes)) " K160 " 64"),
			    "AES_GCM_8_128");
	assert_string_equal(
	    xf("aead", "rfc7539esp(chacha20,poly1305) " K288 " 128"),
	    "CHACHA20_POLY1305");
	assert_string_equal(xf("enc", "cbc(aes) " K256), "AES_CBC_256");
	assert_string_equal(xf("enc", "cbc(des3_ede) " K128 "0001020304050607"),
			    "3DES_CBC");
	assert_string_equal(xf("auth-trunc", "hmac(sha256) " K256 " 128"),
			    "HMAC_SHA2_256_128");
	assert_string_equal(xf("auth-trunc", "hmac(sha1) " K160 " 96"),
			    "HMAC_SHA1_96");
	assert_string_equal(xf("auth", "hmac(md5) " K128), "HMAC_MD5_96");
	/* unknown names, a missing or non-hex key: nothing */
	assert_null(xf("enc", "cbc(serpent) " K256));
	assert_null(xf("enc", "cbc(aes)"));
	assert_null(xf("enc", "cbc(aes) 0xzz"));
	assert_null(xf("auth-trunc", "hmac(sha256) " K256 " 77"));
}

static void
list_sas_names(void **st)
{
	(void)st;
	assert_string_equal(
	    sa_algs_list_sas(&ar, str_from("AES_CBC-256/HMAC_SHA2_256_128/"
					   "MODP_2048/ESN")),
	    "AES_CBC_256/HMAC_SHA2_256_128");
	assert_string_equal(sa_algs_list_sas(&ar, str_from("AES_GCM_16-128")),
			    "AES_GCM_16_128");
	assert_null(sa_algs_list_sas(&ar, str_from("")));
}

/* Both directions of an xfrm dump: one SA, its algorithms as ids, no
 * byte of a key kept. */
static void
xfrm_dump(void **st)
{
	(void)st;
	struct site s = {.name = "x"};
	char buf[] = "src 198.51.100.2 dst 198.51.100.1\n"
		     "\tproto esp spi 0xc7654321 reqid 1 mode tunnel\n"
		     "\tauth-trunc hmac(sha256) " K256 " 128\n"
		     "\tenc cbc(aes) " K256 "\n"
		     "\tsel src 10.0.2.0/24 dst 10.0.1.0/24\n"
		     "src 198.51.100.1 dst 198.51.100.2\n"
		     "\tproto esp spi 0xc1234567 reqid 1 mode tunnel\n"
		     "\taead rfc4106(gcm(aes)) " K288 " 128\n"
		     "\tsel src 10.0.1.0/24 dst 10.0.2.0/24\n";
	struct input_file in = {.path = "xfrm.txt"};
	assert_true(status_sa_import_text(&ar, &in, &s, buf, strlen(buf)));
	assert_int_equal(s.ev.nobs, 2); /* direction unknown: not paired */
	assert_string_equal(s.ev.obs[0].algs,
			    "ESP:HMAC_SHA2_256_128/AES_CBC_256");
	assert_string_equal(s.ev.obs[1].algs, "ESP:AES_GCM_16_256");
	struct proposals p = {0};
	assert_true(proposals_parse_printed(&ar, s.ev.obs[0].algs, &p));
	assert_string_equal(proposals_format(&ar, &p), "aes256-sha256");
	for (size_t i = 0; i < s.ev.nobs; i++)
		assert_null(strstr(s.ev.obs[i].algs, "0x"));
}

/* charon's own enum names (crypter.c: "3DES_CBC", "CAST_CBC") read back,
 * as a NO_PROPOSAL_CHOSEN log line prints them. */
static void
printed_names(void **st)
{
	(void)st;
	struct proposals p = {0};
	assert_true(proposals_parse_printed(
	    &ar, "ESP:3DES_CBC/HMAC_MD5_96/NO_EXT_SEQ", &p));
	assert_string_equal(proposals_format(&ar, &p), "3des-md5");
	struct proposals q = {0};
	assert_true(proposals_parse_printed(
	    &ar, "ESP:BLOWFISH_CBC_128/HMAC_SHA1_96", &q));
	assert_string_equal(proposals_format(&ar, &q), "blowfish128-sha1");
}

/* ipsec statusall prints charon's names on the counters line. */
static void
statusall_dump(void **st)
{
	(void)st;
	struct site s = {.name = "x"};
	char buf[] = "Security Associations (1 up, 0 connecting):\n"
		     "     c[1]: ESTABLISHED 2 minutes ago, "
		     "198.51.100.1[a]...198.51.100.2[b]\n"
		     "     c{1}:  INSTALLED, TUNNEL, reqid 1, ESP SPIs: "
		     "c1234567_i c7654321_o\n"
		     "     c{1}:  3DES_CBC/HMAC_MD5_96, 0 bytes_i, 84 bytes_o "
		     "(1 pkts, 1s ago)\n"
		     "     c{1}:  AES_GCM_16_256, 0 bytes_i\n";
	struct input_file in = {.path = "statusall.txt"};
	assert_true(status_sa_import_text(&ar, &in, &s, buf, strlen(buf)));
	assert_int_equal(s.ev.nobs, 1);
	/* the first line names them; a later one does not overwrite */
	assert_string_equal(s.ev.obs[0].algs, "ESP:3DES_CBC/HMAC_MD5_96");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(xfrm_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(list_sas_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(xfrm_dump, setup, teardown),
	    cmocka_unit_test_setup_teardown(statusall_dump, setup, teardown),
	    cmocka_unit_test_setup_teardown(printed_names, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
