/* Certificate authentication across both ends (pfSense/OPNsense <cert>,
 * <ca>): the identity an end sends must be in its certificate's subject
 * or SANs, the peer must trust the CA that issued it, and neither the
 * certificate nor the CA may be expired. strongSwan's x509 has_subject()
 * and trust chain, doc/behaviour/ike-parameters.md §14. Kept apart from
 * check_params.c so both can change independently. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "check/check.h"
#include "check/params.h"

/* "C = US, O=x" -> "C=US, O=x" with keys upper case, for comparing
 * DNs RDN by RDN in order (strongSwan compares them in order, values
 * case-insensitively). */
static const char *
dn_norm(struct arena *ar, const char *dn)
{
	struct str s = str_from(dn), one;
	const char *out = "";
	char sep = s.n && s.p[0] == '/' ? '/' : ',';
	while (str_next(&s, sep, &one)) {
		struct str k, v;
		one = str_trim(one);
		if (one.n == 0)
			continue;
		if (!str_split(one, '=', &k, &v))
			return NULL;
		k = str_trim(k);
		v = str_trim(v);
		char key[32];
		if (k.n == 0 || k.n >= sizeof(key))
			return NULL;
		for (size_t i = 0; i < k.n; i++)
			key[i] = (char)toupper((unsigned char)k.p[i]);
		key[k.n] = '\0';
		const char *kk = strcmp(key, "EMAILADDRESS") == 0 ||
					 strcmp(key, "EMAIL") == 0
				     ? "E"
				 : strcmp(key, "S") == 0 ? "ST"
							 : key;
		out = arena_printf(ar, "%s%s%s=%.*s", out, *out ? ", " : "", kk,
				   (int)v.n, v.p);
	}
	return out;
}

bool
params_id_equal(struct arena *ar, const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return true;
	if (strncmp(a, "asn1dn:", 7) == 0 && strncmp(b, "asn1dn:", 7) == 0) {
		const char *x = dn_norm(ar, a + 7), *y = dn_norm(ar, b + 7);
		return x && y && strcasecmp(x, y) == 0;
	}
	/* FQDN and e-mail ids compare case-insensitively (identification.c
	 * equals_strcasecmp) */
	return (strncmp(a, "fqdn:", 5) == 0 ||
		strncmp(a, "userfqdn:", 9) == 0) &&
	       strcasecmp(a, b) == 0;
}

/* Does the certificate hold the identity? 1 yes, 0 no, -1 cannot tell
 * (key ids, wildcards, types ipsecdiag does not model). */
static int
cert_has_id(struct arena *ar, const struct x509_info *c, const char *id)
{
	if (id == NULL || strchr(id, '*') || strcmp(id, "any") == 0)
		return -1;
	if (strncmp(id, "asn1dn:", 7) == 0) {
		const char *a = dn_norm(ar, id + 7),
			   *b = dn_norm(ar, c->subject);
		return a && b ? strcasecmp(a, b) == 0 : -1;
	}
	if (strncmp(id, "address:", 8) != 0 && strncmp(id, "fqdn:", 5) != 0 &&
	    strncmp(id, "userfqdn:", 9) != 0)
		return -1;
	int r = 0;
	for (size_t i = 0; i < c->nsan; i++) {
		if (strcasecmp(c->san[i], id) == 0)
			return 1;
		if (strchr(c->san[i], '*')) /* a wildcard SAN: not judged */
			r = -1;
	}
	return r;
}

/* The time certificates are judged at: the latest evidence of the site,
 * else now (*from_evidence false). */
static int64_t
judge_time(const struct site *s, bool *from_evidence)
{
	double t = s->ev.log_last;
	for (size_t i = 0; i < s->ev.nobs; i++)
		if (s->ev.obs[i].last_ts > t)
			t = s->ev.obs[i].last_ts;
	int64_t now = (int64_t)time(NULL);
	/* a log time past today is a guessed year (RFC 3164 lines carry
	 * none), not a later day */
	*from_evidence = t > 0 && (int64_t)t <= now;
	return *from_evidence ? (int64_t)t : now;
}

static const char *
day(struct arena *ar, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char b[32];
	if (!gmtime_r(&tt, &tm) || !strftime(b, sizeof(b), "%Y-%m-%d", &tm))
		return "?";
	return arena_strdup(ar, b);
}

static const char *
cname(const struct x509_info *c)
{
	return c->descr ? c->descr : c->refid;
}

static void
expiry_one(struct analysis *an, struct site *s, const struct phase1 *p,
	   const struct x509_info *c, const char *role, const struct site *peer)
{
	struct arena *ar = an->ar;
	bool ev;
	int64_t now = judge_time(s, &ev);
	if (c == NULL || (now >= c->not_before && now <= c->not_after))
		return;
	bool early = now < c->not_before;
	/* not yet valid when the logs were written, valid today: renewed
	 * since, and the tunnel runs with it now */
	if (early && ev && (int64_t)time(NULL) >= c->not_before)
		return;
	struct finding *f = check_finding(
	    an, CHK_CERT_EXPIRED, s,
	    arena_printf(ar, "%s|%s", c->refid, check_loc(ar, &c->loc)));
	if (f->summary)
		return;
	f->summary = arena_printf(
	    ar, "%s's %s '%s' %s %s: %s refuses the authentication", s->name,
	    role, cname(c), early ? "is valid only from" : "expired on",
	    day(ar, early ? c->not_before : c->not_after), peer->name);
	f->detail = arena_printf(
	    ar,
	    "strongSwan checks every certificate of the chain against its "
	    "validity ('certificate invalid (valid from … to …)') and finds "
	    "no trusted public key: AUTHENTICATION_FAILED. Judged %s%s "
	    "(doc/behaviour/ike-parameters.md §14).",
	    ev ? "at the time of the latest evidence, "
	       : "today (no evidence "
		 "carries a time)",
	    ev ? day(ar, now) : "");
	finding_evidence(ar, f, EVREF_CONFIG, &c->loc,
			 arena_printf(ar, "%s: %s '%s' (%s) valid %s to %s",
				      s->name, role, cname(c), c->subject,
				      day(ar, c->not_before),
				      day(ar, c->not_after)));
	finding_evidence(ar, f, EVREF_CONFIG, &p->cert_loc,
			 arena_printf(ar, "used by phase 1 '%s'",
				      p->descr ? p->descr : p->ikeid));
	f->fix = arena_printf(ar,
			      "Renew it (System > Cert. Manager) and select "
			      "the new one: %s.",
			      params_field(ar, s, p, PF_AUTH));
}

static void
id_in_cert(struct analysis *an, struct site *a, const struct phase1 *x,
	   struct site *b)
{
	struct arena *ar = an->ar;
	if (x->cert == NULL || cert_has_id(ar, x->cert, x->myid) != 0)
		return;
	struct finding *f =
	    check_finding(an, CHK_CERT_ID_MISMATCH, a,
			  arena_printf(ar, "%s|%s", check_loc(ar, &x->id_loc),
				       x->cert->refid));
	if (f->summary)
		return;
	const char *sans = "none";
	for (size_t i = 0; i < x->cert->nsan; i++)
		sans = i ? arena_printf(ar, "%s, %s", sans, x->cert->san[i])
			 : x->cert->san[i];
	f->summary = arena_printf(ar,
				  "%s sends the identity %s, which its "
				  "certificate '%s' does not hold: %s finds "
				  "no trusted public key for it",
				  a->name, x->myid, cname(x->cert), b->name);
	f->detail =
	    "The peer looks for a certificate whose subject or a "
	    "subjectAltName "
	    "equals the identity sent (x509 has_subject()); an address "
	    "identity needs an IP address SAN, an FQDN a DNS SAN, a "
	    "distinguished name the subject itself. It logs 'no trusted RSA "
	    "public key found for …' and answers AUTHENTICATION_FAILED "
	    "(doc/behaviour/ike-parameters.md §14).";
	finding_evidence(
	    ar, f, EVREF_CONFIG, &x->id_loc,
	    arena_printf(ar, "%s: my identifier %s", a->name, x->myid));
	finding_evidence(ar, f, EVREF_CONFIG, &x->cert->loc,
			 arena_printf(ar,
				      "certificate '%s': subject %s; SANs %s",
				      cname(x->cert), x->cert->subject, sans));
	f->fix = arena_printf(
	    ar,
	    "Send an identity the certificate holds (Distinguished name %s, "
	    "or one of its SANs) and expect the same at %s: %s; or issue a "
	    "certificate with %s as a SAN.",
	    x->cert->subject, b->name, params_field(ar, a, x, PF_MYID),
	    x->myid);
}

static const struct x509_info *
ca_by_subject(const struct site *s, const char *dn)
{
	for (size_t i = 0; i < s->ncerts; i++)
		if (s->certs[i].is_ca && strcmp(s->certs[i].subject, dn) == 0)
			return &s->certs[i];
	return NULL;
}

/* Does the chain of c, through CAs either config holds, reach want? */
static bool
chain_reaches(const struct x509_info *c, const struct x509_info *want,
	      const struct site *a, const struct site *b)
{
	const char *issuer = c->issuer;
	for (int depth = 0; depth < 8; depth++) {
		if (strcmp(issuer, want->subject) == 0)
			return true;
		const struct x509_info *up = ca_by_subject(b, issuer);
		if (up == NULL)
			up = ca_by_subject(a, issuer);
		if (up == NULL || strcmp(up->issuer, up->subject) == 0)
			return false;
		issuer = up->issuer;
	}
	return false;
}

static void
ca_check(struct analysis *an, struct site *a, const struct phase1 *x,
	 struct site *b, const struct phase1 *y)
{
	struct arena *ar = an->ar;
	if (x->cert == NULL || y->ca == NULL ||
	    chain_reaches(x->cert, y->ca, a, b))
		return;
	struct finding *f = check_finding(
	    an, CHK_CERT_CA_UNKNOWN, b,
	    arena_printf(ar, "%s|%s", x->cert->refid, y->ca->refid));
	if (f->summary)
		return;
	f->summary = arena_printf(ar,
				  "%s trusts only CA '%s' for %s, but %s's "
				  "certificate '%s' is issued by %s: "
				  "authentication fails",
				  b->name, cname(y->ca), a->name, a->name,
				  cname(x->cert), x->cert->issuer);
	f->detail = "The phase 1's Peer Certificate Authority becomes the "
		    "peer's required CA (remote cacerts); strongSwan builds "
		    "the trust chain of the certificate received up to it and, "
		    "failing, logs 'no issuer certificate found' and 'no "
		    "trusted RSA public key found': AUTHENTICATION_FAILED "
		    "(doc/behaviour/ike-parameters.md §14).";
	finding_evidence(ar, f, EVREF_CONFIG, &y->cert_loc,
			 arena_printf(ar, "%s: peer CA '%s' (%s)", b->name,
				      cname(y->ca), y->ca->subject));
	finding_evidence(ar, f, EVREF_CONFIG, &x->cert->loc,
			 arena_printf(ar, "%s: certificate '%s' issued by %s",
				      a->name, cname(x->cert),
				      x->cert->issuer));
	f->fix =
	    arena_printf(ar,
			 "Import the CA that issued %s's certificate into "
			 "%s (System > Cert. Manager > CAs) and select it: "
			 "%s.",
			 a->name, b->name, params_field(ar, b, y, PF_AUTH));
}

static bool
uses_cert(const struct phase1 *p)
{
	return p->auth && (strstr(p->auth, "cert") || strstr(p->auth, "rsa"));
}

static void
certs_p1(struct analysis *an, struct site *a, const struct phase1 *x,
	 struct site *b, const struct phase1 *y)
{
	if (!uses_cert(x) || !uses_cert(y))
		return;
	expiry_one(an, a, x, x->cert, "certificate", b);
	expiry_one(an, b, y, y->cert, "certificate", a);
	expiry_one(an, a, x, x->ca, "peer CA", b);
	expiry_one(an, b, y, y->ca, "peer CA", a);
	id_in_cert(an, a, x, b);
	id_in_cert(an, b, y, a);
	ca_check(an, a, x, b, y);
	ca_check(an, b, y, a, x);
}

void
check_params_certs(struct analysis *an)
{
	params_each_tunnel(an, certs_p1);
}
