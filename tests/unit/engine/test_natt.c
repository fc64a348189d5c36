/* NAT traversal per tunnel (tunnel-path.md §2): what decides it, in the
 * order capture, SA status, IKE log, configs; and the SA reader marking
 * UDP-encapsulated SAs in each dump format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "build.h"
#include "engine/natt.h"
#include "import/load.h"

/* siteA 5.6.7.1 <-> siteB, whose WAN is wanb and whom siteA names
 * peer_a (9.10.11.2 behind a NAT when wanb is private). */
struct pair {
	struct arena ar;
	struct site *a, *b;
	struct phase1 *pa, *pb;
};

static void
pair_make(struct pair *p, const char *wanb, const char *peer_a)
{
	arena_init(&p->ar);
	p->a = b_site(&p->ar, SITE_PFSENSE);
	p->b = b_site(&p->ar, SITE_PFSENSE);
	p->a->name = "siteA";
	p->b->name = "siteB";
	b_iface(&p->ar, p->a, "wan", ROLE_WAN, "5.6.7.1/24");
	b_iface(&p->ar, p->b, "wan", ROLE_WAN,
		arena_printf(&p->ar, "%s/24", wanb));
	p->pa = b_p1(&p->ar, p->a, "1", "wan", peer_a, 2);
	p->pb = b_p1(&p->ar, p->b, "1", "wan", "5.6.7.1", 2);
	p->pa->natt = p->pb->natt = "on";
}

static struct natt_verdict
decide(struct pair *p, bool from_a)
{
	struct site *sites[] = {p->a, p->b};
	return from_a ? natt_decide(&p->ar, sites, 2, p->a, p->pa)
		      : natt_decide(&p->ar, sites, 2, p->b, p->pb);
}

static struct observation *
obs(struct pair *p, struct site *s, enum obs_kind k, const char *src,
    const char *dst)
{
	struct observation *o =
	    ARENA_PUSH(&p->ar, s->ev.obs, s->ev.nobs, s->ev.cobs);
	o->kind = k;
	o->src = b_addr(src);
	o->dst = b_addr(dst);
	o->count = 3;
	o->where = (struct srcloc){.file = "wan.pcap", .frame = 2};
	return o;
}

static void
test_config(void **state)
{
	(void)state;
	struct pair p;
	/* no NAT: each end names the other's own address */
	pair_make(&p, "9.10.11.2", "9.10.11.2");
	struct natt_verdict v = decide(&p, true);
	assert_false(v.in_use);
	assert_false(v.nat_between);
	assert_int_equal(v.decided_by, NATT_BY_CONFIG);
	arena_free(&p.ar);
	/* siteB behind a NAT: its private WAN is not what siteA names */
	pair_make(&p, "192.168.1.2", "9.10.11.2");
	for (int side = 0; side < 2; side++) {
		v = decide(&p, side == 0);
		assert_true(v.in_use);
		assert_true(v.nat_between);
		assert_int_equal(v.decided_by, NATT_BY_CONFIG);
		assert_non_null(strstr(v.citation, "192.168.1.2"));
	}
	struct site *sites[] = {p.a, p.b};
	const struct site *peer = NULL;
	assert_ptr_equal(natt_counterpart(sites, 2, p.a, p.pa, &peer), p.pb);
	assert_ptr_equal(peer, p.b);
	assert_ptr_equal(natt_counterpart(sites, 2, p.b, p.pb, &peer), p.pa);
	/* force always, off never, whatever the addresses */
	p.pa->natt = "force";
	v = decide(&p, true);
	assert_true(v.in_use);
	assert_int_equal(v.decided_by, NATT_BY_CONFIG);
	p.pa->natt = "off";
	assert_false(decide(&p, true).in_use);
	arena_free(&p.ar);
	/* two public addresses that differ: a wrong peer, not a NAT */
	pair_make(&p, "9.10.11.3", "9.10.11.2");
	sites[0] = p.a;
	sites[1] = p.b;
	assert_null(natt_counterpart(sites, 2, p.a, p.pa, NULL));
	v = decide(&p, true);
	assert_false(v.nat_between);
	assert_int_equal(v.decided_by, NATT_BY_ASSUMED);
	arena_free(&p.ar);
}

/* Only one config: a private WAN talking to a public peer is NATed. */
static void
test_one_site(void **state)
{
	(void)state;
	struct pair p;
	pair_make(&p, "192.168.1.2", "9.10.11.2");
	struct site *one[] = {p.b};
	struct natt_verdict v = natt_decide(&p.ar, one, 1, p.b, p.pb);
	assert_true(v.in_use);
	assert_int_equal(v.decided_by, NATT_BY_CONFIG);
	struct site *pub[] = {p.a};
	v = natt_decide(&p.ar, pub, 1, p.a, p.pa);
	assert_false(v.in_use);
	assert_int_equal(v.decided_by, NATT_BY_ASSUMED);
	arena_free(&p.ar);
}

/* Evidence wins over the configs, capture first. */
static void
test_evidence(void **state)
{
	(void)state;
	struct pair p;
	pair_make(&p, "192.168.1.2", "9.10.11.2");
	/* a WAN capture at siteA: plain ESP from the NAT's public address */
	struct observation *o =
	    obs(&p, p.a, OBS_CAP_ESP, "9.10.11.2", "5.6.7.1");
	o->proto = PROTO_ESP;
	struct natt_verdict v = decide(&p, false);
	assert_false(v.in_use);
	assert_true(v.nat_between); /* still matched by config */
	assert_int_equal(v.decided_by, NATT_BY_CAPTURE);
	assert_non_null(strstr(v.citation, "wan.pcap#2"));
	/* ESP of other hosts says nothing about this tunnel */
	o->src = b_addr("203.0.113.9");
	v = decide(&p, true);
	assert_int_equal(v.decided_by, NATT_BY_CONFIG);
	/* SA status: UDP-encapsulated, before the log (pushing may move
	 * the arrays: pointers taken after the last push) */
	obs(&p, p.b, OBS_SA, "192.168.1.2", "5.6.7.1")->dport = 4500;
	obs(&p, p.a, OBS_IKE_LOG, "0.0.0.0", "0.0.0.0");
	struct observation *sa = &p.b->ev.obs[p.b->ev.nobs - 1];
	struct observation *lg = &p.a->ev.obs[p.a->ev.nobs - 1];
	lg->action = "nat";
	lg->conn = "con1";
	lg->text = "remote host is behind NAT";
	v = decide(&p, true);
	assert_true(v.in_use);
	assert_int_equal(v.decided_by, NATT_BY_SA);
	sa->kind = OBS_FW_PASS;
	v = decide(&p, true);
	assert_true(v.in_use);
	assert_int_equal(v.decided_by, NATT_BY_LOG);
	assert_non_null(strstr(v.citation, "behind NAT"));
	/* another tunnel's NAT line is not this one's */
	lg->conn = "con7";
	assert_int_equal(decide(&p, true).decided_by, NATT_BY_CONFIG);
	arena_free(&p.ar);
}

/* The SA reader marks NAT-T SAs of every format (tunnel-path.md §2;
 * setkey's "a[4500] b[4500]" header and "esp-udp" were skipped). */
static const struct {
	const char *name, *text;
	unsigned nat; /* OBS_SA expected with dport 4500 */
	unsigned plain;
} sa_cases[] = {
    {"setkey -D NAT-T",
     "198.51.100.2[4500] 203.0.113.9[4500]\n"
     "\tesp-udp mode=tunnel spi=3232235777(0xc0a80101) reqid=1(0x00000001)\n"
     "\tseq=0x00000000 replay=4 flags=0x00000000 state=mature \n"
     "203.0.113.9 198.51.100.2\n"
     "\tesp mode=tunnel spi=3232235778(0xc0a80102) reqid=2(0x00000002)\n",
     1, 1},
    {"swanctl --list-sas TUNNEL-in-UDP",
     "con1: #1, ESTABLISHED, IKEv2, 1111_i* 2222_r\n"
     "  local  '192.168.1.2' @ 192.168.1.2[4500]\n"
     "  remote '5.6.7.1' @ 5.6.7.1[4500]\n"
     "  con1: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-128\n"
     "    local  10.0.2.0/24\n"
     "    remote 10.0.1.0/24\n"
     "  con1: #2, reqid 2, INSTALLED, TUNNEL, ESP:AES_GCM_16-128\n"
     "    local  10.0.3.0/24\n"
     "    remote 10.0.4.0/24\n",
     1, 1},
    {"ip xfrm state encap",
     "src 192.168.1.2 dst 5.6.7.1\n"
     "\tproto esp spi 0xc0a80101 reqid 1 mode tunnel\n"
     "\tencap type espinudp sport 4500 dport 4500 addr 0.0.0.0\n"
     "src 5.6.7.1 dst 192.168.1.2\n"
     "\tproto esp spi 0xc0a80102 reqid 1 mode tunnel\n",
     1, 1},
    {"ipsec statusall ESP in UDP",
     "Security Associations (1 up, 0 connecting):\n"
     "        con1[1]: ESTABLISHED 2 minutes ago, "
     "192.168.1.2[..]...5.6.7.1[..]\n"
     "        con1{1}:  INSTALLED, TUNNEL-in-UDP, reqid 1, ESP in UDP SPIs: "
     "c1234567_i c7654321_o\n"
     "        con1{1}:   10.0.2.0/24 === 10.0.1.0/24\n",
     1, 0},
};

static void
test_sa_reader(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sa_cases) / sizeof(*sa_cases); i++) {
		struct arena ar;
		arena_init(&ar);
		char path[] = "/tmp/ipsecdiag-natt-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		size_t n = strlen(sa_cases[i].text);
		assert_int_equal(write(fd, sa_cases[i].text, n), (ssize_t)n);
		close(fd);
		struct site *s = b_site(&ar, SITE_PFSENSE);
		struct input_file in = {.path = path, .kind = INPUT_SA_STATUS};
		assert_true(status_sa_import(&ar, &in, s));
		unlink(path);
		unsigned nat = 0, plain = 0;
		for (size_t j = 0; j < s->ev.nobs; j++) {
			const struct observation *o = &s->ev.obs[j];
			if (o->kind != OBS_SA)
				continue;
			if (o->dport == 4500)
				nat++;
			else
				plain++;
			assert_true(o->src.fam == FAM_V4);
		}
		if (nat != sa_cases[i].nat || plain != sa_cases[i].plain)
			fail_msg("%s: %u NAT-T and %u plain SAs, expected %u "
				 "and %u",
				 sa_cases[i].name, nat, plain, sa_cases[i].nat,
				 sa_cases[i].plain);
		arena_free(&ar);
	}
}

int
main(void)
{
	const struct CMUnitTest t[] = {
	    cmocka_unit_test(test_config),
	    cmocka_unit_test(test_one_site),
	    cmocka_unit_test(test_evidence),
	    cmocka_unit_test(test_sa_reader),
	};
	return cmocka_run_group_tests_name("natt", t, NULL, NULL);
}
