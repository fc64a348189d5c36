/* What a cloud VPN accepts, against the phase 1/phase 2 of the firewall
 * facing it: traffic selectors, IKE parameters, and return traffic over
 * the tunnel the firewall does not route through
 * (doc/behaviour/cloud-and-linux.md §1-§4). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "engine/route.h"
#include "model/cloud.h"

void check_cloud_selectors(struct analysis *an, const struct site *c,
			   const struct site *s,
			   const struct phase1 *const *p1);
void check_cloud_params(struct analysis *an, const struct site *c,
			const struct site *s, const struct phase1 *const *p1);
void check_cloud_asymmetric(struct analysis *an, const struct site *c,
			    const struct site *s,
			    const struct phase1 *const *p1);

static bool
tunnel_mode(const struct phase2 *p)
{
	return p2_enabled(p) && (p->mode == P2_TUNNEL || p->mode == P2_TUNNEL6);
}

static bool
any_net(const struct prefix *p)
{
	return p->len == 0;
}

static void
ev_p2(struct arena *ar, struct finding *f, const struct site *s,
      const struct phase2 *p)
{
	finding_evidence(ar, f, EVREF_CONFIG, &p->loc,
			 arena_printf(ar, "%s phase 2 '%s' %s === %s", s->name,
				      p->descr ? p->descr : "",
				      prefix_str(ar, &p->local.net),
				      prefix_str(ar, &p->remote.net)));
}

/* AWS: one SA pair per tunnel; several phase 2 share it. */
static void
aws_one_pair(struct analysis *an, const struct site *c, const struct site *s,
	     const struct phase1 *p1, const struct cloud_tunnel *t)
{
	struct arena *ar = an->ar;
	size_t n = 0;
	for (size_t i = 0; i < s->np2; i++)
		n += s->p2[i].p1 == p1 && tunnel_mode(&s->p2[i]);
	if (n < 2)
		return;
	struct finding *f =
	    check_finding(an, CHK_CLOUD_SELECTORS, s,
			  arena_printf(ar, "%s#%u", c->name, t->n));
	f->summary = arena_printf(
	    ar,
	    "%s has %zu phase 2 on the phase 1 to AWS tunnel %u; AWS "
	    "keeps one SA pair per tunnel, so only one network pair "
	    "gets through at a time",
	    s->name, n, t->n);
	f->detail = "An AWS VPN tunnel carries a single security association "
		    "pair: a policy-based peer with several phase 2 entries "
		    "gets one of them up, and the others fail or replace it "
		    "(doc/behaviour/cloud-and-linux.md §1).";
	for (size_t i = 0; i < s->np2; i++)
		if (s->p2[i].p1 == p1 && tunnel_mode(&s->p2[i]))
			ev_p2(ar, f, s, &s->p2[i]);
	f->fix = arena_printf(
	    ar,
	    "On %s, VPN > IPsec > Tunnels: use one phase 2 per tunnel "
	    "-- a route-based (VTI) phase 2, or one network pair that "
	    "summarises the local and the VPC networks (e.g. 0.0.0.0/0 "
	    "=== 0.0.0.0/0 with routes).",
	    s->name);
}

/* Azure route-based without UsePolicyBasedTrafficSelectors and Google's
 * route-based tunnels propose 0.0.0.0/0 when they initiate. */
static void
any_to_any(struct analysis *an, const struct site *c, const struct site *s,
	   const struct phase1 *p1)
{
	struct arena *ar = an->ar;
	const struct cloud_vpn *v = c->cloud;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if (p->p1 != p1 || !tunnel_mode(p) ||
		    (any_net(&p->local.net) && any_net(&p->remote.net)))
			continue;
		struct finding *f = check_finding(an, CHK_CLOUD_SELECTORS, s,
						  check_loc(ar, &p->loc));
		bool az = v->provider == CLOUD_AZURE;
		f->summary = arena_printf(
		    ar,
		    "%s phase 2 '%s' (%s === %s) is policy-based, but "
		    "%s is route-based%s: it proposes 0.0.0.0/0 === "
		    "0.0.0.0/0, which this end refuses",
		    s->name, p->descr ? p->descr : "",
		    prefix_str(ar, &p->local.net),
		    prefix_str(ar, &p->remote.net),
		    cloud_provider_name(v->provider),
		    az ? " without UsePolicyBasedTrafficSelectors" : "");
		f->detail = "A route-based cloud gateway's own selectors are "
			    "any-to-any. When the cloud initiates or rekeys "
			    "it proposes 0.0.0.0/0 === 0.0.0.0/0 and this "
			    "end's policy answers TS_UNACCEPTABLE; whether it "
			    "comes up when this end initiates depends on the "
			    "cloud, so expect a tunnel that works for a while "
			    "and drops (doc/behaviour/cloud-and-linux.md "
			    "§2-§3).";
		finding_evidence(
		    ar, f, EVREF_CONFIG,
		    v->route_stated ? &v->type_loc : &v->loc,
		    az ? arena_printf(ar,
				      "VpnType RouteBased, "
				      "UsePolicyBasedTraffic"
				      "Selectors %s",
				      v->policy_ts ? "true" : "false")
		       : "route-based tunnel");
		ev_p2(ar, f, s, p);
		f->fix = az ? "On the Azure connection, enable 'Use policy "
			      "based traffic selector' "
			      "(UsePolicyBasedTrafficSelectors), or make this "
			      "end route-based (a VTI phase 2 with routes)."
			    : "Make this end route-based (a VTI phase 2, "
			      "0.0.0.0/0 === 0.0.0.0/0, with routes), or use "
			      "a policy-based Classic VPN tunnel with these "
			      "networks.";
	}
}

static bool
in_list(const struct prefix *p, const struct prefix *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p->len == list[i].len &&
		    ipaddr_cmp(&p->addr, &list[i].addr) == 0)
			return true;
	return false;
}

/* Policy-based selectors the cloud states: each phase 2 must be one of
 * its pairs exactly. */
static void
stated_pairs(struct analysis *an, const struct site *c, const struct site *s,
	     const struct phase1 *p1)
{
	struct arena *ar = an->ar;
	const struct cloud_vpn *v = c->cloud;
	if (v->ncloud == 0 || v->nonprem == 0)
		return;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if (p->p1 != p1 || !tunnel_mode(p) ||
		    (in_list(p2_visible_local(p), v->onprem_nets, v->nonprem) &&
		     in_list(&p->remote.net, v->cloud_nets, v->ncloud)))
			continue;
		struct finding *f = check_finding(an, CHK_CLOUD_SELECTORS, s,
						  check_loc(ar, &p->loc));
		f->summary = arena_printf(
		    ar,
		    "%s phase 2 '%s' (%s === %s) is not one of the "
		    "network pairs %s states",
		    s->name, p->descr ? p->descr : "",
		    prefix_str(ar, p2_visible_local(p)),
		    prefix_str(ar, &p->remote.net), c->name);
		f->detail = "A policy-based cloud gateway negotiates exactly "
			    "its configured address ranges; a pair it does "
			    "not have is refused or narrowed "
			    "(doc/behaviour/cloud-and-linux.md §2).";
		finding_evidence(ar, f, EVREF_CONFIG, &v->ts_loc,
				 "the cloud's stated networks");
		ev_p2(ar, f, s, p);
		f->fix = "Make the phase 2 networks equal the cloud's: local = "
			 "one of onprem_networks, remote = one of "
			 "cloud_networks (or change the cloud's ranges).";
	}
}

void
check_cloud_selectors(struct analysis *an, const struct site *c,
		      const struct site *s, const struct phase1 *const *p1)
{
	const struct cloud_vpn *v = c->cloud;
	for (size_t i = 0; i < v->ntun && i < 16; i++) {
		if (p1[i] == NULL || p1[i]->disabled)
			continue;
		if (v->provider == CLOUD_AWS)
			aws_one_pair(an, c, s, p1[i], &v->tun[i]);
		else if (v->route_based &&
			 (v->provider == CLOUD_GCP || !v->policy_ts))
			any_to_any(an, c, s, p1[i]);
		else
			stated_pairs(an, c, s, p1[i]);
	}
}

/* One IKE proposal of this end, normalised like model/cloud.h's. */
struct prop {
	char enc[24], integ[12];
	unsigned dh;
};

static unsigned
modp_group(const char *t)
{
	static const struct {
		const char *name;
		unsigned group;
	} g[] = {{"modp768", 1},   {"modp1024", 2},  {"modp1536", 5},
		 {"modp2048", 14}, {"modp3072", 15}, {"modp4096", 16},
		 {"modp6144", 17}, {"modp8192", 18}, {"ecp256", 19},
		 {"ecp384", 20},   {"ecp521", 21},   {"curve25519", 31},
		 {"x25519", 31}};
	for (size_t i = 0; i < sizeof(g) / sizeof(*g); i++)
		if (strcmp(t, g[i].name) == 0)
			return g[i].group;
	if (strncmp(t, "dh", 2) == 0 && isdigit((unsigned char)t[2]))
		return (unsigned)strtoul(t + 2, NULL, 10);
	return 0;
}

static void
prop_token(struct prop *p, const char *t)
{
	unsigned g = modp_group(t);
	if (g) {
		p->dh = g;
	} else if (strspn(t, "0123456789") == strlen(t)) {
		/* pfSense "aes-256": the key length of the cipher before */
		if (strcmp(p->enc, "aes") == 0)
			snprintf(p->enc, sizeof(p->enc), "aes%s", t);
	} else if (!strncmp(t, "sha", 3) || !strncmp(t, "md5", 3)) {
		snprintf(p->integ, sizeof(p->integ), "%s", t);
	} else if (!strncmp(t, "aes", 3) || !strcmp(t, "3des")) {
		bool gcm = strstr(t, "gcm") != NULL;
		unsigned bits = (unsigned)strtoul(t + 3, NULL, 10);
		if (!strcmp(t, "3des"))
			snprintf(p->enc, sizeof(p->enc), "3des");
		else if (bits)
			snprintf(p->enc, sizeof(p->enc), "aes%u%s", bits,
				 gcm ? "gcm" : "");
		else
			snprintf(p->enc, sizeof(p->enc), "aes");
	} else if (!strncmp(t, "prf", 3)) {
		/* a PRF, not integrity */
	} else if (p->enc[0] == '\0') {
		snprintf(p->enc, sizeof(p->enc), "%s", t);
	}
}

/* "aes-256-sha256-dh14, aes128gcm-128-sha256-dh14" (pfSense) or
 * "aes128-sha256-modp2048,aes256gcm16-prfsha384-ecp384" (strongSwan). */
static size_t
props_parse(const char *text, struct prop *out, size_t max)
{
	size_t n = 0;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", text ? text : "");
	char *save = NULL;
	for (char *one = strtok_r(buf, ",", &save); one && n < max;
	     one = strtok_r(NULL, ",", &save)) {
		struct prop p = {0};
		char *s2 = NULL;
		for (char *t = strtok_r(one, "- ", &s2); t;
		     t = strtok_r(NULL, "- ", &s2))
			prop_token(&p, t);
		if (strcmp(p.enc, "aes") == 0)
			snprintf(p.enc, sizeof(p.enc), "aes128");
		if (p.enc[0])
			out[n++] = p;
	}
	return n;
}

static bool
one_of(const char *v, const char *const *set)
{
	for (size_t i = 0; set[i]; i++)
		if (strcmp(v, set[i]) == 0)
			return true;
	return false;
}

/* AWS's permitted phase 1 values when the tunnel options are left at
 * their defaults (§1). */
static bool
aws_permits(const struct prop *p)
{
	static const char *const enc[] = {"aes128", "aes256", "aes128gcm",
					  "aes256gcm", NULL};
	static const char *const integ[] = {"sha1", "sha256", "sha384",
					    "sha512", NULL};
	bool gcm = strstr(p->enc, "gcm") != NULL;
	return one_of(p->enc, enc) &&
	       (gcm || p->integ[0] == '\0' || one_of(p->integ, integ)) &&
	       (p->dh == 0 || p->dh == 2 || (p->dh >= 14 && p->dh <= 24));
}

/* Stated values (Azure/GCP profile): every stated one must match. */
static bool
stated_permits(const struct prop *p, const struct cloud_params *c)
{
	return (c->enc == NULL || strcmp(p->enc, c->enc) == 0) &&
	       (c->integ == NULL || p->integ[0] == '\0' ||
		strcmp(p->integ, c->integ) == 0) &&
	       (c->dh == 0 || p->dh == 0 || p->dh == c->dh);
}

static const char *
stated_text(struct arena *ar, const struct cloud_params *c)
{
	return arena_printf(ar, "%s/%s/group %u", c->enc ? c->enc : "?",
			    c->integ ? c->integ : "?", c->dh);
}

static void
params_one(struct analysis *an, const struct site *c, const struct site *s,
	   const struct phase1 *p1, const struct cloud_tunnel *t)
{
	struct arena *ar = an->ar;
	const struct cloud_vpn *v = c->cloud;
	struct prop props[16];
	size_t n = props_parse(p1->proposals, props, 16);
	bool aws = v->provider == CLOUD_AWS;
	if (n == 0 || (!aws && t->ike.enc == NULL && t->ike.integ == NULL &&
		       t->ike.dh == 0))
		return;
	for (size_t i = 0; i < n; i++)
		if (aws ? aws_permits(&props[i])
			: stated_permits(&props[i], &t->ike))
			return;
	struct finding *f = check_finding(
	    an, CHK_CLOUD_PARAMS, s, arena_printf(ar, "%s#%u", c->name, t->n));
	f->summary = arena_printf(
	    ar, "%s phase 1 %s proposes %s; %s tunnel %u %s", s->name,
	    p1->descr ? p1->descr : "", p1->proposals,
	    cloud_provider_name(v->provider), t->n,
	    aws ? "permits none of it with its default tunnel options"
		: arena_printf(ar, "states %s", stated_text(ar, &t->ike)));
	f->detail = aws ? "AWS permits, unless its tunnel options were "
			  "changed: AES128, AES256, AES128-GCM-16, "
			  "AES256-GCM-16; SHA1, SHA2-256/384/512; DH groups "
			  "2 and 14-24 (doc/behaviour/cloud-and-linux.md §1). "
			  "Expect NO_PROPOSAL_CHOSEN in the IKE log."
			: "The cloud negotiates what its connection states; a "
			  "proposal without it fails with NO_PROPOSAL_CHOSEN "
			  "(doc/behaviour/cloud-and-linux.md §2-§3).";
	finding_evidence(
	    ar, f, EVREF_CONFIG, &p1->loc,
	    arena_printf(ar, "%s phase 1: %s", s->name, p1->proposals));
	if (t->ike.enc || t->ike.integ || t->ike.dh)
		finding_evidence(ar, f, EVREF_CONFIG, &t->ike.loc,
				 arena_printf(ar, "tunnel %u states %s", t->n,
					      stated_text(ar, &t->ike)));
	f->fix = arena_printf(ar,
			      "On %s, VPN > IPsec > Tunnels, phase 1 "
			      "%s: add a proposal the cloud accepts (%s).",
			      s->name, p1->descr ? p1->descr : "",
			      aws ? "e.g. AES256 / SHA256 / DH 14"
				  : stated_text(ar, &t->ike));
}

/* AWS phase 2 encryption: AES128/256, AES128/256-GCM-16 (§1); a key
 * length left to negotiation (0) may be either. */
static bool
aws_esp_cipher(const struct transform *t)
{
	bool aes = t->cipher == CIPHER_AES_CBC || t->cipher == CIPHER_AES_GCM;
	return aes &&
	       (t->keylen == 0 || t->keylen == 128 || t->keylen == 256) &&
	       (t->cipher != CIPHER_AES_GCM || t->icv == 0 || t->icv == 16);
}

static bool
aws_esp_integ(enum integ i)
{
	return i == INTEG_HMAC_SHA1 || i == INTEG_HMAC_SHA256 ||
	       i == INTEG_HMAC_SHA384 || i == INTEG_HMAC_SHA512;
}

/* Phase 2 of an AWS tunnel whose ciphers (or, without AEAD, hashes) AWS
 * permits none of. */
static void
aws_esp(struct analysis *an, const struct site *s, const struct phase1 *p1,
	const struct cloud_tunnel *t)
{
	struct arena *ar = an->ar;
	for (size_t i = 0; i < s->np2; i++) {
		const struct phase2 *p = &s->p2[i];
		if (p->p1 != p1 || !p2_enabled(p) || p->nenc == 0)
			continue;
		bool enc = false, aead = false, integ = p->ninteg == 0;
		for (size_t k = 0; k < p->nenc; k++) {
			enc = enc || aws_esp_cipher(&p->enc[k]);
			aead = aead || (aws_esp_cipher(&p->enc[k]) &&
					p->enc[k].cipher == CIPHER_AES_GCM);
		}
		for (size_t k = 0; k < p->ninteg; k++)
			integ = integ || aws_esp_integ(p->integ[k]);
		if (enc && (aead || integ))
			continue;
		struct finding *f = check_finding(an, CHK_CLOUD_PARAMS, s,
						  check_loc(ar, &p->loc));
		f->summary = arena_printf(
		    ar,
		    "%s phase 2 '%s' proposes no %s that AWS tunnel %u "
		    "permits with its default tunnel options",
		    s->name, p->descr ? p->descr : "",
		    enc ? "integrity algorithm" : "encryption algorithm", t->n);
		f->detail =
		    "AWS permits for phase 2, unless its tunnel options "
		    "were changed: AES128, AES256, AES128-GCM-16, "
		    "AES256-GCM-16 with SHA1 or SHA2-256/384/512 "
		    "(doc/behaviour/cloud-and-linux.md §1). Expect "
		    "NO_PROPOSAL_CHOSEN for the CHILD_SA.";
		ev_p2(ar, f, s, p);
		f->fix = arena_printf(ar,
				      "On %s, VPN > IPsec > Tunnels, phase "
				      "2 '%s': select AES 256 (or AES-GCM 256) "
				      "and SHA256.",
				      s->name, p->descr ? p->descr : "");
	}
}

void
check_cloud_params(struct analysis *an, const struct site *c,
		   const struct site *s, const struct phase1 *const *p1)
{
	const struct cloud_vpn *v = c->cloud;
	for (size_t i = 0; i < v->ntun && i < 16; i++) {
		if (p1[i] == NULL || p1[i]->disabled)
			continue;
		if (p1[i]->proposals)
			params_one(an, c, s, p1[i], &v->tun[i]);
		if (v->provider == CLOUD_AWS)
			aws_esp(an, s, p1[i], &v->tun[i]);
	}
}

/* The VTI interface of a route-based phase 2 (pfSense's ipsecN, as the
 * engine names it: engine/trace.c vti_send). */
static const struct iface *
vti_iface(const struct site *s, const struct phase1 *p1)
{
	for (size_t i = 0; p1 && i < s->np2; i++) {
		const struct phase2 *q = &s->p2[i];
		char dev[32];
		if (q->p1 != p1 || q->mode != P2_VTI || !p2_enabled(q))
			continue;
		snprintf(dev, sizeof(dev), "ipsec%u", q->reqid);
		const struct iface *f = site_iface_by_dev(s, dev);
		if (f)
			return f;
	}
	return NULL;
}

static size_t
routes_via(const struct site *s, const struct iface *f,
	   const struct route **one)
{
	size_t n = 0;
	for (size_t i = 0; f && i < s->nroutes; i++) {
		const struct route *r = &s->routes[i];
		if (r->kind == ROUTE_STATIC && !r->disabled && r->iface &&
		    strcmp(r->iface, f->key) == 0) {
			n++;
			*one = r;
		}
	}
	return n;
}

/* pf keeps if-bound states (pfSense 2.8 / Plus 24.03 default, or set). */
static bool
if_bound(const struct site *s)
{
	const char *sp = s->flags.statepolicy;
	return sp ? strcmp(sp, "if-bound") == 0
		  : site_version_at_least(s, 2, 8);
}

void
check_cloud_asymmetric(struct analysis *an, const struct site *c,
		       const struct site *s, const struct phase1 *const *p1)
{
	struct arena *ar = an->ar;
	const struct cloud_vpn *v = c->cloud;
	if (s->kind != SITE_PFSENSE || !v->routing_stated || v->bgp ||
	    !if_bound(s))
		return;
	const struct iface *routed = NULL, *bare = NULL;
	const struct route *r = NULL, *tmp = NULL;
	unsigned nr = 0, nb = 0;
	for (size_t i = 0; i < v->ntun && i < 16; i++) {
		const struct iface *f =
		    p1[i] && !p1[i]->disabled ? vti_iface(s, p1[i]) : NULL;
		if (f == NULL)
			continue;
		if (routes_via(s, f, &tmp))
			routed = f, r = tmp, nr = v->tun[i].n;
		else
			bare = f, nb = v->tun[i].n;
	}
	if (routed == NULL || bare == NULL)
		return;
	struct finding *f = check_finding(an, CHK_CLOUD_ASYMMETRIC, s, c->name);
	f->summary = arena_printf(
	    ar,
	    "%s routes the cloud networks only via tunnel %u (%s) while "
	    "tunnel %u (%s) is up too: replies the cloud sends over "
	    "tunnel %u are dropped",
	    s->name, nr, routed->descr, nb, bare->descr, nb);
	f->detail = arena_printf(
	    ar,
	    "With static routing and both tunnels up the cloud may "
	    "send over either tunnel. A reply arriving on %s belongs "
	    "to a state pf created on %s; with if-bound states "
	    "(%s) it matches no state there and is dropped: TCP "
	    "fails, ping may pass as a new state "
	    "(doc/behaviour/cloud-and-linux.md §4).",
	    bare->descr, routed->descr,
	    s->flags.statepolicy ? "set in System > Advanced > Firewall "
				   "& NAT"
				 : "the default of this version");
	finding_evidence(ar, f, EVREF_CONFIG, &r->loc,
			 arena_printf(ar, "%s via %s", prefix_str(ar, &r->net),
				      routed->descr));
	finding_evidence(
	    ar, f, EVREF_CONFIG, &bare->loc,
	    arena_printf(ar, "VTI %s (tunnel %u): no route", bare->descr, nb));
	f->fix =
	    arena_printf(ar,
			 "On %s: route the cloud networks over both tunnels (a "
			 "gateway group of both VTI gateways, or BGP), or set "
			 "System > Advanced > Firewall & NAT > Firewall State "
			 "Policy to 'Floating States'.",
			 s->name);
}
