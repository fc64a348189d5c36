/* Recognition of what users drop into a site folder: a kind is claimed
 * only when the content has its shape (model/inputs.def). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "import/load.h"

/* Writes text (n bytes) to a file named name in a new directory and
 * recognises it as a file of a site folder. */
static struct input_guess
guess_named(const char *name, const char *text, size_t n)
{
	char dir[] = "/tmp/ipsecdiag-recognize-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(text, 1, n, f);
	fclose(f);
	struct input_guess g;
	input_guess_file(path, true, &g);
	unlink(path);
	rmdir(dir);
	return g;
}

static struct input_guess
guess_text(const char *name, const char *text)
{
	return guess_named(name, text, strlen(text));
}

static void
assert_sure(struct input_guess g, enum input_kind k)
{
	assert_int_equal(g.kind, k);
	assert_int_equal(g.claim, CLAIM_SURE);
}

/* Not claimed: the folder loader skips it with g.why. */
static void
assert_unknown(struct input_guess g)
{
	assert_true(g.claim != CLAIM_SURE);
	assert_non_null(g.why);
}

static void
test_strongswan_conf_is_not_a_log(void **state)
{
	(void)state;
	assert_unknown(guess_text(
	    "strongswan.conf",
	    "# strongswan.conf\ncharon {\n\tload_modular = yes\n"
	    "\tfilelog {\n\t\tcharon {\n\t\t\tpath = /var/log/charon.log\n"
	    "\t\t}\n\t}\n}\ninclude strongswan.d/*.conf\n"));
}

static void
test_charon_log_lines(void **state)
{
	(void)state;
	assert_sure(
	    guess_text(
		"charon.log",
		"Nov 14 10:00:01 gw charon[812]: 09[IKE] <lan|1> IKE_SA lan[1] "
		"established between 5.6.7.1[5.6.7.1]...9.10.11.2[9.10.11.2]\n"
		"Nov 14 10:00:01 gw charon[812]: 09[CHD] <lan|1> CHILD_SA "
		"lan{1} "
		"established\n"),
	    INPUT_IPSEC_LOG);
	/* strongSwan's own filelog: no syslog tag, thread and group */
	assert_sure(guess_text("x", "Nov 14 10:00:01 09[NET] <lan|1> sending "
				    "packet\n"),
		    INPUT_IPSEC_LOG);
	/* prose mentioning charon and one quoted line among many */
	assert_unknown(guess_text(
	    "notes.txt",
	    "charon shows no errors.\nline two\nline three\nline four\n"
	    "Nov 14 10:00:01 gw charon[812]: 09[IKE] retransmit\n"));
}

static void
test_hosts_format(void **state)
{
	(void)state;
	assert_sure(guess_text("hosts", "# lan\nhost 10.0.2.7 mask 24 gateway "
					"10.0.2.1\n"),
		    INPUT_HOSTS);
	/* damaged, still host facts: hosts.c says where */
	assert_sure(guess_text("hosts", "host 10.0.2.7 mask 33\nhost 10.0.2.8 "
					"gateway none\n"),
		    INPUT_HOSTS);
	/* /etc/hosts and prose are not */
	assert_unknown(guess_text("hosts.txt", "127.0.0.1 localhost\n10.0.2.7 "
					       "app01\n"));
	assert_unknown(guess_text("hosts.txt",
				  "hosts to check:\nhost 10.0.2.10 "
				  "is the file server\n"));
}

static void
test_filterlog(void **state)
{
	(void)state;
	const char *line = "<134>1 2026-11-20T09:30:00+00:00 fw filterlog 4242 "
			   "- - 5,,,1699000000,em0,match,block,in,4,0x0,,55,"
			   "6000,0,none,50,esp,120,5.6.7.1,9.10.11.2,"
			   "datalength=100\n";
	assert_sure(guess_text("filter.log", line), INPUT_FILTERLOG);
	assert_unknown(guess_text("notes.txt", "Checked filterlog, nothing "
					       "obvious.\n"));
}

static void
test_secrets_and_keys(void **state)
{
	(void)state;
	assert_sure(guess_text("secrets", "# psk\n1.2.3.4 5.6.7.8 : PSK "
					  "\"x\"\n"),
		    INPUT_IPSEC_SECRETS);
	assert_sure(guess_text("ipsec.secrets", "include /etc/x\n"),
		    INPUT_IPSEC_SECRETS);
	/* a log quoting a secret's type is still a log */
	assert_sure(
	    guess_text(
		"charon.log",
		"Nov 14 10:00:01 gw charon[812]: 09[CFG] auth: PSK based\n"
		"Nov 14 10:00:01 gw charon[812]: 09[IKE] <lan|1> retransmit\n"
		"Nov 14 10:00:02 gw charon[812]: 09[IKE] <lan|1> retransmit\n"),
	    INPUT_IPSEC_LOG);
	assert_sure(guess_text("a.txt", "-----BEGIN CERTIFICATE-----\nMII\n"),
		    INPUT_CERT_KEY);
	assert_sure(guess_named("peer.p12", "\x30\x82\x01\x00\x02\x01", 6),
		    INPUT_CERT_KEY);
	assert_int_equal(input_kind_role(INPUT_IPSEC_SECRETS), IR_SKIP);
	assert_int_equal(input_kind_role(INPUT_CERT_KEY), IR_SKIP);
}

static void
test_leftovers(void **state)
{
	(void)state;
	assert_unknown(
	    guess_named("shot.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
	assert_unknown(guess_named("empty", "", 0));
	assert_unknown(guess_named("r.docx", "PK\x03\x04\x14\0\0\0", 8));
	/* a backup of config.xml holds a config.xml: its name decides */
	assert_unknown(guess_text(
	    "config.xml~", "<?xml version=\"1.0\"?>\n"
			   "<pfsense><version>23.3</version></pfsense>\n"));
	assert_sure(guess_text("config.xml",
			       "<?xml version=\"1.0\"?>\n"
			       "<pfsense><version>23.3</version></pfsense>\n"),
		    INPUT_PFSENSE_XML);
	/* some other XML resembles a config: read only when named */
	struct input_guess g = guess_text("x.xml", "<?xml version=\"1.0\"?>\n"
						   "<svg/>\n");
	assert_int_equal(g.kind, INPUT_PFSENSE_XML);
	assert_int_equal(g.claim, CLAIM_HINT);
}

static void
test_directory(void **state)
{
	(void)state;
	char dir[] = "/tmp/ipsecdiag-recognize-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct input_guess g;
	input_guess_file(dir, true, &g);
	rmdir(dir);
	assert_true(g.dir);
	assert_int_equal(g.kind, INPUT_UNKNOWN);
	assert_non_null(g.why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strongswan_conf_is_not_a_log),
	    cmocka_unit_test(test_charon_log_lines),
	    cmocka_unit_test(test_hosts_format),
	    cmocka_unit_test(test_filterlog),
	    cmocka_unit_test(test_secrets_and_keys),
	    cmocka_unit_test(test_leftovers),
	    cmocka_unit_test(test_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
