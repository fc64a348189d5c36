/* The IPsec log lines and swanctl.conf secrets the parameter lab
 * scenarios showed with real strongSwan 5.9.8 (tests/lab/README.md):
 * each exact line shape is read as the event the checks use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "import/linux/linux.h"
#include "import/load.h"

static struct site
read_log(struct arena *ar, const char *text)
{
	struct site s;
	memset(&s, 0, sizeof(s));
	struct input_file in = {.path = "lab/charon.log"};
	assert_true(log_ipsec_import_text(ar, &in, &s, text, strlen(text)));
	return s;
}

/* The i-th IKE log event, its kind and connection. */
static const struct observation *
ev(const struct site *s, size_t i, const char *kind, const char *conn)
{
	assert_true(i < s->ev.nobs);
	const struct observation *o = &s->ev.obs[i];
	assert_int_equal(o->kind, OBS_IKE_LOG);
	assert_string_equal(o->action, kind);
	if (conn)
		assert_string_equal(o->conn, conn);
	return o;
}

/* gwB refusing gwA's IKE_SA_INIT: the lists, a NAT note, the refusal. */
static void
test_ike_sa_init_refused(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site s = read_log(
	    &ar, "Dec  6 22:42:10 12[CFG] <1> received proposals: "
		 "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/"
		 "MODP_2048\n"
		 "Dec  6 22:42:10 12[CFG] <1> configured proposals: "
		 "IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/MODP_2048\n"
		 "Dec  6 22:42:10 12[IKE] <1> remote host is behind NAT\n"
		 "Dec  6 22:42:10 12[IKE] <1> received proposals "
		 "unacceptable\n");
	ev(&s, 0, "nat", NULL);
	const struct observation *o = ev(&s, 1, "no-proposal", NULL);
	assert_non_null(o->received);
	assert_non_null(strstr(o->received, "AES_CBC_256"));
	assert_non_null(strstr(o->configured, "AES_GCM_16_128"));
	assert_int_equal(o->where.line, 4);
	arena_free(&ar);
}

static void
test_auth_lines(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site s = read_log(
	    &ar,
	    "Dec  6 22:43:25 10[IKE] <siteA|1> tried 1 shared key for "
	    "'198.51.100.2' - '198.51.100.1', but MAC mismatched\n"
	    "Dec  6 22:43:34 13[CFG] <1> looking for peer configs matching "
	    "198.51.100.2[198.51.100.2]...198.51.100.1[198.51.100.1]\n"
	    "Dec  6 22:43:34 13[CFG] <1> no matching peer config found\n"
	    /* journald, as VyOS documents it */
	    "Jun 23 08:07:26 vyos charon-systemd[2440]: tried 1 shared key "
	    "for '192.168.1.2' - '192.168.0.1', but MAC mismatched\n"
	    "Dec  6 22:43:25 10[IKE] <siteB|1> received AUTHENTICATION_FAILED "
	    "notify error\n");
	ev(&s, 0, "psk-mismatch", "siteA");
	const struct observation *o = ev(&s, 1, "no-peer-config", NULL);
	assert_non_null(o->received);
	assert_non_null(strstr(o->received, "...198.51.100.1[198.51.100.1]"));
	ev(&s, 2, "psk-mismatch", NULL);
	ev(&s, 3, "auth-failed", "siteB");
	arena_free(&ar);
}

/* A failed rekey (PFS on one side), a DPD teardown, a restart. */
static void
test_rekey_dpd_restart(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	struct site s = read_log(
	    &ar,
	    "Dec  6 22:43:43 03[IKE] <siteB|1> CHILD_SA lan{1} established "
	    "with SPIs 72ae00aa_i 62f24f6f_o and TS 10.0.1.0/24 === "
	    "10.0.2.0/24\n"
	    "Dec  6 22:43:51 14[CFG] <siteA|1> received proposals: "
	    "ESP:AES_GCM_16_128/MODP_2048/NO_EXT_SEQ\n"
	    "Dec  6 22:43:51 14[CFG] <siteA|1> configured proposals: "
	    "ESP:AES_GCM_16_128/NO_EXT_SEQ\n"
	    "Dec  6 22:43:51 14[IKE] <siteA|1> no acceptable proposal found\n"
	    "Dec  6 22:43:51 07[IKE] <siteB|1> received NO_PROPOSAL_CHOSEN "
	    "notify, no CHILD_SA built\n"
	    "Dec  6 22:43:51 07[IKE] <siteB|1> CHILD_SA rekeying failed, "
	    "trying again in 15 seconds\n"
	    "Dec  6 22:44:04 16[IKE] <siteB|1> initiating IKE_SA siteB[1] to "
	    "198.51.100.2\n"
	    "Dec  6 22:44:07 16[IKE] <siteB|1> sending DPD request\n"
	    "Dec  6 22:44:19 10[IKE] <siteB|1> giving up after 3 "
	    "retransmits\n"
	    "Dec  6 22:44:05 00[DMN] Starting IKE charon daemon (strongSwan "
	    "5.9.8, Linux 6.18.44-fc-v1300, x86_64)\n");
	ev(&s, 0, "child-up", "siteB");
	const struct observation *o = ev(&s, 1, "no-proposal", "siteA");
	assert_non_null(strstr(o->received, "MODP_2048"));
	assert_null(strstr(o->configured, "MODP"));
	o = ev(&s, 2, "no-proposal", "siteB");
	assert_null(o->received); /* the initiator's side: no lists */
	ev(&s, 3, "rekey-failed", "siteB");
	ev(&s, 4, "ike-initiate", "siteB");
	ev(&s, 5, "dpd", "siteB");
	ev(&s, 6, "give-up", "siteB");
	ev(&s, 7, "daemon-start", NULL);
	arena_free(&ar);
}

static const char *
write_tmp(const char *text)
{
	static char path[64];
	strcpy(path, "/tmp/ipsecdiag-swanctl-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* The secret charon picks for each connection: the one naming both
 * identities wins; "0x" and "0s" are the same bytes as the plain text. */
static void
test_swanctl_secrets(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	const char *path = write_tmp(
	    "connections {\n"
	    " b { local_addrs = 192.0.2.1\n remote_addrs = 192.0.2.2\n"
	    "  local { auth = psk }\n remote { auth = psk } }\n"
	    " c { local_addrs = 192.0.2.1\n remote_addrs = 192.0.2.3\n"
	    "  local { auth = psk }\n remote { auth = psk } }\n"
	    " d { local_addrs = 192.0.2.1\n remote_addrs = 192.0.2.4\n"
	    "  local { auth = psk }\n remote { auth = psk } }\n"
	    "}\n"
	    "secrets {\n"
	    " ike-any { secret = \"fallback\" }\n"
	    " ike-b { id-1 = 192.0.2.2\n"
	    "  secret = \"lab-psk\" }\n"
	    " ike-c { id = 192.0.2.3\n secret = 0x6c61622d70736b }\n"
	    " ike-d { id-a = 192.0.2.4\n secret = 0SbGFiLXBzaw== }\n"
	    "}\n");
	struct site s;
	memset(&s, 0, sizeof(s));
	struct input_file in = {.path = path};
	assert_true(cfg_swanctl_import(&ar, &in, &s));
	unlink(path);
	assert_int_equal(s.np1, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(s.p1[i].auth, "psk");
		assert_string_equal(s.p1[i].psk, "lab-psk");
	}
	assert_int_equal(s.p1[0].psk_loc.line, 18);
	arena_free(&ar);
}

int
main(void)
{
	const struct CMUnitTest t[] = {
	    cmocka_unit_test(test_ike_sa_init_refused),
	    cmocka_unit_test(test_auth_lines),
	    cmocka_unit_test(test_rekey_dpd_restart),
	    cmocka_unit_test(test_swanctl_secrets),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
