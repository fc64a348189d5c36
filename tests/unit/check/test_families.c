/* The real-case families (doc/behaviour/field-families.md): each check
 * fires on its evidence or config and stays silent on the healthy
 * variant a user would have instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build.h"
#include "check/check.h"

struct t {
	struct arena ar;
	struct site *a, *b;
	struct site *sites[2];
	struct analysis an;
};

static void
t_init(struct t *t, enum site_kind ka, enum site_kind kb)
{
	memset(t, 0, sizeof(*t));
	arena_init(&t->ar);
	t->a = b_site(&t->ar, ka);
	t->b = b_site(&t->ar, kb);
	t->a->name = "siteA";
	t->b->name = "siteB";
	t->sites[0] = t->a;
	t->sites[1] = t->b;
	t->an.ar = &t->ar;
	t->an.sites = t->sites;
	t->an.nsites = 2;
}

static void
t_free(struct t *t)
{
	arena_free(&t->ar);
}

static struct observation *
t_obs(struct t *t, struct site *s, enum obs_kind k, const char *src,
      const char *dst)
{
	struct observation *o =
	    ARENA_PUSH(&t->ar, s->ev.obs, s->ev.nobs, s->ev.cobs);
	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->src = b_addr(src);
	o->dst = b_addr(dst);
	o->count = 4;
	o->where = (struct srcloc){.file = "evidence", .line = 1};
	return o;
}

/* The one finding of id at site (NULL when none; fails on two). */
static const struct finding *
t_find(const struct t *t, enum finding_id id, const char *site)
{
	const struct finding *hit = NULL;
	for (size_t i = 0; i < t->an.fs.n; i++) {
		const struct finding *f = &t->an.fs.f[i];
		if (f->id == id && strcmp(f->site, site) == 0) {
			assert_null(hit);
			hit = f;
		}
	}
	return hit;
}

/* §6: fragments blocked on enc0 while the flow passes. */
static void
frag_on_enc0(void **state)
{
	(void)state;
	struct t t;
	t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
	b_iface(&t.ar, t.a, "enc0", ROLE_ENC, NULL);
	b_iface(&t.ar, t.a, "wan", ROLE_WAN, "5.6.7.1/24");
	struct observation *o =
	    t_obs(&t, t.a, OBS_FW_BLOCK, "10.0.2.40", "10.0.1.20");
	o->iface = "enc0";
	o->proto = PROTO_TCP;
	o->value = OBS_FW_FRAGMENT;
	check_families(&t.an);
	const struct finding *f = t_find(&t, CHK_FRAG_BLOCKED, "siteA");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_int_equal(f->confidence, CONF_CONFIRMED);
	assert_int_equal(f->ev[0].kind, EVREF_LOG);
	assert_non_null(strstr(f->summary, "10.0.2.40 -> 10.0.1.20 tcp"));
	assert_non_null(strstr(f->fix, "vpn_fragment_reassemble"));
	t_free(&t);
}

/* The flow's whole packets are blocked too: a missing rule, not this. */
static void
frag_whole_flow_blocked(void **state)
{
	(void)state;
	struct t t;
	t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
	b_iface(&t.ar, t.a, "enc0", ROLE_ENC, NULL);
	struct observation *o =
	    t_obs(&t, t.a, OBS_FW_BLOCK, "10.0.2.40", "10.0.1.20");
	o->iface = "enc0";
	o->proto = PROTO_TCP;
	o->value = OBS_FW_FRAGMENT;
	o = t_obs(&t, t.a, OBS_FW_BLOCK, "10.0.2.40", "10.0.1.20");
	o->iface = "enc0";
	o->proto = PROTO_TCP;
	o->dport = 445;
	/* fragments on the WAN are outer packets: not this check */
	o = t_obs(&t, t.a, OBS_FW_BLOCK, "9.10.11.2", "5.6.7.1");
	o->iface = "em0";
	o->proto = PROTO_UDP;
	o->value = OBS_FW_FRAGMENT;
	check_families(&t.an);
	assert_null(t_find(&t, CHK_FRAG_BLOCKED, "siteA"));
	t_free(&t);

	/* a block rule the admin wrote for these hosts: by design */
	t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
	b_iface(&t.ar, t.a, "enc0", ROLE_ENC, NULL);
	struct rule *r =
	    b_rule(&t.ar, t.a, "enc0", false, ACT_BLOCK, "no voip from B");
	b_end(&t.ar, &r->src, "10.0.2.40");
	r->tracker = "1700000099";
	o = t_obs(&t, t.a, OBS_FW_BLOCK, "10.0.2.40", "10.0.1.20");
	o->iface = "enc0";
	o->proto = PROTO_TCP;
	o->value = OBS_FW_FRAGMENT;
	o->tracker = "1700000099";
	check_families(&t.an);
	assert_null(t_find(&t, CHK_FRAG_BLOCKED, "siteA"));
	o->tracker = "1000000103"; /* the default deny: this family's */
	check_families(&t.an);
	assert_non_null(t_find(&t, CHK_FRAG_BLOCKED, "siteA"));
	t_free(&t);
}

/* §5: ESP leaves A, B's capture has the IKE but no ESP. */
static void
esp_setup(struct t *t, bool arrives, bool b_sees_ike)
{
	t_init(t, SITE_PFSENSE, SITE_PFSENSE);
	b_iface(&t->ar, t->a, "wan", ROLE_WAN, "5.6.7.1/24");
	b_iface(&t->ar, t->b, "wan", ROLE_WAN, "9.10.11.2/24");
	t->a->ev.has_capture = t->b->ev.has_capture = true;
	struct observation *o =
	    t_obs(t, t->a, OBS_CAP_ESP, "5.6.7.1", "9.10.11.2");
	o->proto = PROTO_ESP;
	o->dir = PDIR_OUT;
	o->value = 0xc1000001;
	o->first_ts = 100;
	o->last_ts = 110;
	if (b_sees_ike) {
		o = t_obs(t, t->b, OBS_CAP_IKE, "9.10.11.2", "5.6.7.1");
		o->first_ts = 99;
		o->last_ts = 99;
		/* B's capture runs on: its own ESP to A */
		o = t_obs(t, t->b, OBS_CAP_ESP, "9.10.11.2", "5.6.7.1");
		o->proto = PROTO_ESP;
		o->dir = PDIR_OUT;
		o->first_ts = 100;
		o->last_ts = 112;
	}
	if (arrives) {
		o = t_obs(t, t->b, OBS_CAP_ESP, "5.6.7.1", "9.10.11.2");
		o->proto = PROTO_ESP;
		o->dir = PDIR_IN;
		o->first_ts = 100;
		o->last_ts = 110;
	}
}

static void
esp_filtered(void **state)
{
	(void)state;
	struct t t;
	esp_setup(&t, false, true);
	check_families(&t.an);
	const struct finding *f = t_find(&t, CHK_ESP_PATH_FILTERED, "siteA");
	assert_non_null(f);
	assert_int_equal(f->confidence, CONF_CONFIRMED);
	assert_int_equal(f->nev, 2);
	assert_int_equal(f->ev[1].kind, EVREF_CAPTURE);
	assert_non_null(strstr(f->fix, "NAT Traversal 'Force'"));
	t_free(&t);
}

static void
esp_arrives_or_unknown(void **state)
{
	(void)state;
	struct t t;
	esp_setup(&t, false, true); /* B's capture ended before the ESP */
	t.b->ev.obs[1].first_ts = t.b->ev.obs[1].last_ts = 99;
	check_families(&t.an);
	assert_null(t_find(&t, CHK_ESP_PATH_FILTERED, "siteA"));
	t_free(&t);
	esp_setup(&t, true, true); /* healthy: it arrives */
	check_families(&t.an);
	assert_null(t_find(&t, CHK_ESP_PATH_FILTERED, "siteA"));
	t_free(&t);
	esp_setup(&t, false, true); /* B's capture holds no ESP at all: */
	t.b->ev.obs[1].count = 0;   /* a capture filter, not the path */
	check_families(&t.an);
	assert_null(t_find(&t, CHK_ESP_PATH_FILTERED, "siteA"));
	t_free(&t);
	esp_setup(&t, false, false); /* B's capture saw no IKE either */
	check_families(&t.an);
	assert_null(t_find(&t, CHK_ESP_PATH_FILTERED, "siteA"));
	t_free(&t);
}

/* §5 from SA status: A counts out on SPI x, B's SA x counts nothing in;
 * a suspected warning, silent when B counts it or it is NAT-T. */
static void
esp_status(void **state)
{
	(void)state;
	for (int c = 0; c < 3; c++) {
		struct t t;
		t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
		struct observation *o =
		    t_obs(&t, t.a, OBS_SA, "10.0.1.0", "10.0.2.0");
		o->spi_out = 0xc2000002;
		o->count = 100;
		if (c == 2)
			o->sport = o->dport = 4500;
		o = t_obs(&t, t.b, OBS_SA, "10.0.2.0", "10.0.1.0");
		o->value = 0xc2000002;
		o->count = 98; /* B sends: its counters are live */
		o->count_rev = c == 1 ? 97 : 0;
		check_families(&t.an);
		const struct finding *f =
		    t_find(&t, CHK_ESP_PATH_FILTERED, "siteA");
		if (c == 0) {
			assert_non_null(f);
			assert_int_equal(f->severity, SEV_WARNING);
			assert_int_equal(f->confidence, CONF_SUSPECTED);
			assert_int_equal(f->ev[0].kind, EVREF_STATUS);
		} else {
			assert_null(f);
		}
		t_free(&t);
	}
}

/* §2: "unable to resolve %any, initiate aborted"; info when up later. */
static void
dyndns_any(void **state)
{
	(void)state;
	struct t t;
	t_init(&t, SITE_OPNSENSE, SITE_PFSENSE);
	struct observation *o =
	    t_obs(&t, t.a, OBS_IKE_LOG, "0.0.0.0", "0.0.0.0");
	o->action = "resolve-failed";
	o->text = "unable to resolve %any, initiate aborted";
	o->conn = "con1";
	o->first_ts = 50;
	check_families(&t.an);
	const struct finding *f = t_find(&t, CHK_DYNDNS_PEER, "siteA");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->summary, "remote address is any"));
	t_free(&t);

	/* another "unable to resolve" of charon: not the peer's address */
	t_init(&t, SITE_OPNSENSE, SITE_PFSENSE);
	o = t_obs(&t, t.a, OBS_IKE_LOG, "0.0.0.0", "0.0.0.0");
	o->action = "resolve-failed";
	o->text = "unable to resolve gateway ID 'gw.example', redirect failed";
	check_families(&t.an);
	assert_null(t_find(&t, CHK_DYNDNS_PEER, "siteA"));
	t_free(&t);

	t_init(&t, SITE_OPNSENSE, SITE_PFSENSE);
	o = t_obs(&t, t.a, OBS_IKE_LOG, "0.0.0.0", "0.0.0.0");
	o->action = "resolve-failed";
	o->text = "unable to resolve peer.example, initiate aborted";
	o->conn = "con1";
	o->first_ts = 50;
	o = t_obs(&t, t.a, OBS_SA, "10.0.1.0", "10.0.2.0");
	o->conn = "con1";
	check_families(&t.an);
	f = t_find(&t, CHK_DYNDNS_PEER, "siteA");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_INFO);
	t_free(&t);
}

/* §2: IKE sent to a stale address while the peer's config is elsewhere;
 * silent when it goes to where the peer is. */
static void
dyndns_stale(void **state)
{
	(void)state;
	for (int ok = 0; ok < 2; ok++) {
		struct t t;
		t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
		b_iface(&t.ar, t.a, "wan", ROLE_WAN, "5.6.7.1/24");
		b_iface(&t.ar, t.b, "wan", ROLE_WAN, "9.10.11.2/24");
		b_p1(&t.ar, t.a, "1", "wan", "peer.example", 2);
		b_p1(&t.ar, t.b, "1", "wan", "5.6.7.1", 2);
		struct observation *o =
		    t_obs(&t, t.a, OBS_IKE_LOG, "0.0.0.0", "0.0.0.0");
		o->action = "ike-initiate";
		o->conn = "con1";
		o->text = ok ? "initiating IKE_SA con1[1] to 9.10.11.2"
			     : "initiating IKE_SA con1[1] to 9.10.11.77";
		check_families(&t.an);
		const struct finding *f = t_find(&t, CHK_DYNDNS_PEER, "siteA");
		if (ok) {
			assert_null(f);
		} else {
			assert_non_null(f);
			assert_int_equal(f->severity, SEV_ERROR);
			assert_non_null(strstr(f->summary, "9.10.11.77"));
		}
		t_free(&t);
	}
}

/* §3: remote 0/0 takes LAN -> DMZ; bypass rules and LAN bypass quiet. */
static void
ts_too_broad(void **state)
{
	(void)state;
	for (int bypass = 0; bypass < 2; bypass++) {
		struct t t;
		t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
		b_iface(&t.ar, t.a, "wan", ROLE_WAN, "5.6.7.1/24");
		b_iface(&t.ar, t.a, "lan", ROLE_LAN, "10.0.1.1/24");
		b_iface(&t.ar, t.a, "opt1", ROLE_OPT, "10.0.5.1/24");
		struct phase1 *p1 =
		    b_p1(&t.ar, t.a, "1", "wan", "9.10.11.2", 2);
		b_p2(&t.ar, t.a, p1, "10.0.1.0/24", "0.0.0.0/0", P2_TUNNEL);
		t.a->flags.ipsec_bypassrules = bypass;
		check_families(&t.an);
		const struct finding *f = t_find(&t, CHK_TS_TOO_BROAD, "siteA");
		if (bypass) {
			assert_null(f);
		} else {
			assert_non_null(f);
			assert_int_equal(f->confidence, CONF_PREDICTED);
			assert_non_null(strstr(f->summary, "10.0.5.0/24"));
			assert_null(strstr(f->summary, "firewall's own"));
			/* no rule asks for LAN -> DMZ: information */
			assert_int_equal(f->severity, SEV_INFO);
		}
		t_free(&t);
	}
	/* a LAN rule passes LAN -> DMZ: that traffic is wanted */
	{
		struct t t;
		t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
		b_iface(&t.ar, t.a, "lan", ROLE_LAN, "10.0.1.1/24");
		b_iface(&t.ar, t.a, "opt1", ROLE_OPT, "10.0.5.1/24");
		struct phase1 *p1 =
		    b_p1(&t.ar, t.a, "1", "wan", "9.10.11.2", 2);
		b_p2(&t.ar, t.a, p1, "10.0.1.0/24", "0.0.0.0/0", P2_TUNNEL);
		struct rule *r =
		    b_rule(&t.ar, t.a, "lan", false, ACT_PASS, "to DMZ");
		b_end(&t.ar, &r->dst, "10.0.5.0/24");
		check_families(&t.an);
		const struct finding *f = t_find(&t, CHK_TS_TOO_BROAD, "siteA");
		assert_non_null(f);
		assert_int_equal(f->severity, SEV_WARNING);
		t_free(&t);
	}
	/* no LAN bypass: the firewall's own LAN traffic is taken */
	struct t t;
	t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
	b_iface(&t.ar, t.a, "lan", ROLE_LAN, "10.0.1.1/24");
	struct phase1 *p1 = b_p1(&t.ar, t.a, "1", "wan", "9.10.11.2", 2);
	b_p2(&t.ar, t.a, p1, "10.0.1.0/24", "0.0.0.0/0", P2_TUNNEL);
	check_families(&t.an);
	assert_null(t_find(&t, CHK_TS_TOO_BROAD, "siteA"));
	t.a->flags.noshuntlaninterfaces = true;
	check_families(&t.an);
	assert_non_null(t_find(&t, CHK_TS_TOO_BROAD, "siteA"));
	t_free(&t);
}

/* §4: Linux, local address on wan2, default route out wan1. */
static void
egress(void **state)
{
	(void)state;
	for (int routed = 0; routed < 2; routed++) {
		struct t t;
		t_init(&t, SITE_LINUX, SITE_PFSENSE);
		b_iface(&t.ar, t.a, "eth0", ROLE_WAN, "198.51.100.1/24");
		b_iface(&t.ar, t.a, "eth1", ROLE_WAN, "203.0.113.1/24");
		b_route(&t.ar, t.a, "0.0.0.0/0", "eth0", 0);
		b_route(&t.ar, t.a, "203.0.113.0/24", "eth1", 0);
		struct phase1 *p1 =
		    b_p1(&t.ar, t.a, "1", "eth1", "192.0.2.2", 2);
		p1->local = b_addr("203.0.113.1");
		p1->local_known = true;
		if (routed) {
			struct ip_rule *r = arena_alloc(&t.ar, sizeof(*r));
			r->from = b_pfx("203.0.113.1/32");
			r->table = 100;
			t.a->iprules = r;
			t.a->niprules = 1;
		}
		check_families(&t.an);
		const struct finding *f = t_find(&t, CHK_P1_EGRESS, "siteA");
		if (routed) {
			assert_null(f);
		} else {
			assert_non_null(f);
			assert_int_equal(f->severity, SEV_WARNING);
			assert_non_null(
			    strstr(f->summary, "leave through eth0"));
		}
		t_free(&t);
	}
}

/* §4: OPNsense routes its own traffic by gateway unless force gateway
 * is disabled. */
static void
egress_opnsense(void **state)
{
	(void)state;
	for (int off = 0; off < 2; off++) {
		struct t t;
		t_init(&t, SITE_OPNSENSE, SITE_PFSENSE);
		b_iface(&t.ar, t.a, "wan", ROLE_WAN, "198.51.100.1/24");
		b_iface(&t.ar, t.a, "opt1", ROLE_WAN, "203.0.113.1/24");
		b_route(&t.ar, t.a, "0.0.0.0/0", "wan", 0);
		b_p1(&t.ar, t.a, "1", "opt1", "192.0.2.2", 2);
		t.a->flags.pf_disable_force_gw = off;
		check_families(&t.an);
		const struct finding *f = t_find(&t, CHK_P1_EGRESS, "siteA");
		if (off) {
			assert_non_null(f);
			assert_non_null(
			    strstr(f->fix, "Disable force gateway"));
		} else {
			assert_null(f);
		}
		t_free(&t);
	}
}

/* §1: a row needs its symptom; the version alone is not enough. */
static void
known_issue(void **state)
{
	(void)state;
	struct t t;
	t_init(&t, SITE_OPNSENSE, SITE_PFSENSE);
	t.a->ev.box.product_version = "19.1.3";
	t.a->ev.box.version_from = "status.tgz";
	check_families(&t.an);
	assert_null(t_find(&t, CHK_KNOWN_ISSUE, "siteA"));
	struct finding *dup = check_finding(&t.an, CHK_SA_DUPLICATE, t.a, NULL);
	dup->summary = "two SAs";
	check_families(&t.an);
	const struct finding *f = t_find(&t, CHK_KNOWN_ISSUE, "siteA");
	assert_non_null(f);
	assert_non_null(strstr(f->detail, "opnsense/core#3360"));
	t_free(&t);

	t_init(&t, SITE_PFSENSE, SITE_PFSENSE);
	b_p1(&t.ar, t.a, "1", "wan", "9.10.11.2", 2);
	struct observation *o =
	    t_obs(&t, t.a, OBS_IKE_LOG, "0.0.0.0", "0.0.0.0");
	o->action = "ike-version-unsupported";
	o->text = "received unsupported IKE version 3.4 from 198.18.7.7, "
		  "sending INVALID_MAJOR_VERSION"; /* a scanner */
	check_families(&t.an);
	assert_null(t_find(&t, CHK_KNOWN_ISSUE, "siteA"));
	o->text = "received unsupported IKE version 3.4 from 9.10.11.2, "
		  "sending INVALID_MAJOR_VERSION";
	check_families(&t.an);
	f = t_find(&t, CHK_KNOWN_ISSUE, "siteA");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	t_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(frag_on_enc0),
	    cmocka_unit_test(frag_whole_flow_blocked),
	    cmocka_unit_test(esp_filtered),
	    cmocka_unit_test(esp_arrives_or_unknown),
	    cmocka_unit_test(esp_status),
	    cmocka_unit_test(dyndns_any),
	    cmocka_unit_test(dyndns_stale),
	    cmocka_unit_test(ts_too_broad),
	    cmocka_unit_test(egress),
	    cmocka_unit_test(egress_opnsense),
	    cmocka_unit_test(known_issue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
