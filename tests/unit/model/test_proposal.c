/* Proposals as data: the keyword table, strongSwan's normalization and
 * selection, PFS and the RFC 8247 / 8221 verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/proposal.h"

static struct arena ar;

static struct proposals
parse(const char *text, enum prop_proto proto)
{
	struct proposals ps = {0};
	assert_true(proposals_parse(&ar, text, proto, &ps, NULL));
	return ps;
}

/* Every keyword parses to its ids, and the rendered name parses back
 * to the same transform. */
static void
test_keywords_round_trip(void **state)
{
	(void)state;
	size_t n;
	const struct xf_keyword *k = proposal_keywords(&n);
	assert_true(n > 100);
	for (size_t i = 0; i < n; i++) {
		const struct xf_keyword *got =
		    proposal_keyword(str_from(k[i].name));
		assert_non_null(got);
		assert_int_equal(got->type, k[i].type);
		assert_int_equal(got->id, k[i].id);
		assert_int_equal(got->keylen, k[i].keylen);
		struct xform x = {k[i].type, k[i].id, k[i].keylen};
		const char *name = xform_name(&ar, &x);
		const struct xf_keyword *back =
		    proposal_keyword(str_from(name));
		assert_non_null(back);
		assert_int_equal(back->type, x.type);
		assert_int_equal(back->id, x.id);
		assert_int_equal(back->keylen, x.keylen);
	}
	assert_null(proposal_keyword(str_from("aes257")));
	assert_string_equal(xform_name(&ar, &(struct xform){XF_ENCR, 12, 128}),
			    "aes128");
	assert_string_equal(xform_name(&ar, &(struct xform){XF_KE, 31, 0}),
			    "curve25519");
	assert_string_equal(ke_group_name(&ar, 14), "modp2048");
}

static void
test_normalize(void **state)
{
	(void)state;
	/* IKE: PRF derived from integrity; AEAD drops integrity */
	struct proposals a = parse("aes256-sha256-modp2048", PROP_IKE);
	assert_string_equal(proposals_format(&ar, &a),
			    "aes256-sha256-prfsha256-modp2048");
	struct proposals b = parse("aes256gcm16-sha256-ecp256", PROP_ESP);
	assert_string_equal(proposals_format(&ar, &b), "aes256gcm16-ecp256");
	/* ipsec.conf strict flag, upper case, "default" skipped */
	struct proposals c = parse("AES128-SHA1,default!", PROP_ESP);
	assert_int_equal(c.n, 1);
	assert_string_equal(proposals_format(&ar, &c), "aes128-sha1");
	struct proposals d = {0};
	struct str bad = {0};
	assert_false(proposals_parse(&ar, "aes256-sha257", PROP_ESP, &d, &bad));
	assert_true(str_eq(bad, "sha257"));
	assert_true(d.unknown);
}

static void
test_select(void **state)
{
	(void)state;
	struct prop_select s;
	struct proposals resp =
	    parse("aes128-sha256-modp2048,aes256gcm16-ecp256", PROP_IKE);
	struct proposals init = parse("aes256gcm16-prfsha384-ecp256,"
				      "aes256gcm16-prfsha256-ecp256",
				      PROP_IKE);
	/* the responder's AEAD proposal has no PRF (nothing to derive it
	 * from), the initiator's have one: no match */
	assert_false(proposals_select(&resp, &init, false, &s));
	assert_int_equal(s.fail_type, XF_ENCR);
	struct proposals resp2 = parse("aes128-sha256-modp2048,"
				       "aes256gcm16-prfsha256-ecp256",
				       PROP_IKE);
	assert_true(proposals_select(&resp2, &init, false, &s));
	assert_int_equal(s.resp, 1);
	assert_int_equal(s.init, 1);
	/* ESP without overlap: encryption is the first type that fails */
	struct proposals e1 =
	    parse("aes128gcm16-modp2048,aes256-sha256-modp2048", PROP_ESP);
	struct proposals e2 =
	    parse("aes256gcm16-modp2048,chacha20poly1305-modp2048", PROP_ESP);
	assert_false(proposals_select(&e1, &e2, false, &s));
	assert_int_equal(s.fail_type, XF_ENCR);
}

/* PFS on one side only: fine for the IKE_AUTH child, fails at rekey. */
static void
test_pfs_one_side(void **state)
{
	(void)state;
	struct prop_select s;
	struct proposals pfs = parse("aes256gcm16-modp2048", PROP_ESP);
	struct proposals none = parse("aes256gcm16", PROP_ESP);
	assert_int_equal(proposals_pfs_group(&pfs), 14);
	assert_int_equal(proposals_pfs_group(&none), 0);
	assert_true(proposals_select(&none, &pfs, true, &s));
	assert_false(proposals_select(&none, &pfs, false, &s));
	assert_int_equal(s.fail_type, XF_KE);
	assert_false(proposals_select(&pfs, &none, false, &s));
	/* "none" listed makes no-PFS acceptable (select_algo()) */
	struct proposals opt = parse("aes256gcm16-modp2048-none", PROP_ESP);
	assert_true(proposals_select(&opt, &none, false, &s));
}

static void
test_verdicts(void **state)
{
	(void)state;
	const char *instead = NULL, *why = NULL;
	struct xform des = {XF_ENCR, 2, 0}, tdes = {XF_ENCR, 3, 0};
	struct xform sha1 = {XF_INTEG, 2, 0}, md5 = {XF_INTEG, 1, 0};
	struct xform g2 = {XF_KE, 2, 0}, g1 = {XF_KE, 1, 0},
		     g14 = {XF_KE, 14, 0};
	assert_int_equal(xform_verdict(&des, PROP_ESP, &instead, &why),
			 XFV_MUST_NOT);
	assert_non_null(strstr(why, "RFC 8221"));
	assert_int_equal(xform_verdict(&tdes, PROP_ESP, &instead, &why),
			 XFV_SHOULD_NOT);
	assert_int_equal(xform_verdict(&md5, PROP_IKE, &instead, &why),
			 XFV_MUST_NOT);
	assert_int_equal(xform_verdict(&sha1, PROP_IKE, &instead, &why),
			 XFV_OK);
	assert_int_equal(xform_verdict(&g1, PROP_IKE, &instead, &why),
			 XFV_MUST_NOT);
	assert_int_equal(xform_verdict(&g2, PROP_IKE, &instead, &why),
			 XFV_SHOULD_NOT);
	assert_non_null(strstr(instead, "modp2048"));
	assert_int_equal(xform_verdict(&g14, PROP_IKE, &instead, &why), XFV_OK);
}

int
main(void)
{
	arena_init(&ar);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keywords_round_trip),
	    cmocka_unit_test(test_normalize),
	    cmocka_unit_test(test_select),
	    cmocka_unit_test(test_pfs_one_side),
	    cmocka_unit_test(test_verdicts),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
