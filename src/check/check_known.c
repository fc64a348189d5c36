/* Known defects (doc/behaviour/field-families.md §1): a small table of
 * version-specific bugs of pfSense, OPNsense and strongSwan, each matched
 * by the product version the box reported AND a symptom the evidence
 * shows, never by the version alone. A match is a warning that names the
 * report; it never replaces a configuration finding. */
#include <ctype.h>
#include <string.h>

#include "check/check.h"

struct known {
	enum site_kind kind;	 /* SITE_UNKNOWN: any product */
	const char *version;	 /* version prefix, NULL: any version */
	const char *log_kind;	 /* IPsec log event (log_ipsec.c), or NULL */
	const char *log_needle;	 /* text the event must hold, or NULL */
	enum finding_id symptom; /* a finding at the site, or FINDING_NONE */
	bool from_peer;		 /* the log line's "from ADDR" is a peer */
	const char *what, *detail, *fix;
};

static const struct known known_issues[] = {
    {SITE_UNKNOWN, NULL, "ike-version-unsupported", NULL, FINDING_NONE, true,
     "strongSwan reads ESP-in-UDP as IKE ('received unsupported IKE "
     "version')",
     "Packets arrive on the IKE port that strongSwan cannot parse as IKE: "
     "the peer sends ESP in UDP for an SA this end set up without UDP "
     "encapsulation (after the peer restarted or its path changed). "
     "The SAs stay up, DPD answers, and no data passes until the IKE_SA "
     "is re-authenticated (strongswan/strongswan#861, strongSwan 5.9.4).",
     "Restart the IKE_SA (VPN > IPsec > Status: disconnect and connect; "
     "swanctl --terminate --ike NAME, then --initiate); to avoid the "
     "switch, force UDP encapsulation (NAT-T) on both ends."},
    {SITE_OPNSENSE, "19.1.3", NULL, NULL, CHK_SA_DUPLICATE, false,
     "OPNsense 19.1.3 adds an SA on every connection attempt",
     "OPNsense 19.1.3 installs another SPI for the same phase 2 on each "
     "attempt while the bytes out stay 0; reverting to 19.1.2 fixed it "
     "(opnsense/core#3360).",
     "Update OPNsense (or go back to 19.1.2), then restart IPsec."},
    {SITE_OPNSENSE, "20.7", "give-up", "path probing", FINDING_NONE, false,
     "OPNsense 20.7 stalls IPsec with AES-NI hardware acceleration",
     "On OPNsense 20.7 (FreeBSD 12.1) tunnels stalled after a few hundred "
     "MB with 'giving up after N path probings'; setting the hardware "
     "acceleration to none fixed it (opnsense/core#4415, "
     "opnsense/src#118).",
     "If System > Settings > Miscellaneous, Hardware acceleration is "
     "AES-NI, set it to none and reboot; update OPNsense."},
};

/* The product version the box printed (status archive), e.g.
 * "19.1.3-RELEASE" or "20.7.8_4". */
static bool
version_is(const struct site *s, const char *prefix)
{
	const char *v = s->ev.box.product_version;
	size_t n = strlen(prefix);
	return v && strncmp(v, prefix, n) == 0 && !isdigit((unsigned char)v[n]);
}

/* "... from 9.10.11.2, sending ...": is the sender a peer of s? Garbage
 * from anywhere else on the IKE port (scanners) is no symptom. */
static bool
from_a_peer(const struct site *s, const char *t)
{
	const char *p = t ? strstr(t, " from ") : NULL;
	struct ipaddr a;
	if (p == NULL)
		return false;
	p += 6;
	size_t n = strcspn(p, ", []");
	if (!ipaddr_parse((struct str){p, n}, &a))
		return false;
	for (size_t i = 0; i < s->np1; i++)
		if (s->p1[i].peer_known && ipaddr_cmp(&s->p1[i].peer, &a) == 0)
			return true;
	return false;
}

static const struct observation *
log_event(const struct site *s, const struct known *k)
{
	for (size_t i = 0; i < s->ev.nobs; i++) {
		const struct observation *o = &s->ev.obs[i];
		if (o->kind == OBS_IKE_LOG && o->action &&
		    strcmp(o->action, k->log_kind) == 0 &&
		    (k->log_needle == NULL ||
		     (o->text && strstr(o->text, k->log_needle))) &&
		    (!k->from_peer || from_a_peer(s, o->text)))
			return o;
	}
	return NULL;
}

static const struct finding *
site_finding(const struct analysis *an, const struct site *s,
	     enum finding_id id)
{
	for (size_t i = 0; i < an->fs.n; i++)
		if (an->fs.f[i].id == id && an->fs.f[i].site &&
		    strcmp(an->fs.f[i].site, s->name) == 0)
			return &an->fs.f[i];
	return NULL;
}

static void
known_one(struct analysis *an, struct site *s, const struct known *k)
{
	struct arena *ar = an->ar;
	if (k->kind != SITE_UNKNOWN && s->kind != k->kind)
		return;
	if (k->version && !version_is(s, k->version))
		return;
	const struct observation *o = k->log_kind ? log_event(s, k) : NULL;
	const struct finding *sym =
	    k->symptom != FINDING_NONE ? site_finding(an, s, k->symptom) : NULL;
	if ((k->log_kind && o == NULL) ||
	    (k->symptom != FINDING_NONE && sym == NULL))
		return;
	struct finding *f = check_finding(an, CHK_KNOWN_ISSUE, s, k->what);
	if (f->summary)
		return;
	f->confidence = CONF_CONFIRMED;
	f->summary = arena_printf(ar, "%s: %s", s->name, k->what);
	f->detail = arena_printf(ar,
				 "%s The version and the symptom match the "
				 "report; a configuration finding, when there "
				 "is one, comes first "
				 "(doc/behaviour/field-families.md §1).",
				 k->detail);
	if (k->version)
		finding_evidence(
		    ar, f, EVREF_STATUS,
		    &(struct srcloc){.file = s->ev.box.version_from
						 ? s->ev.box.version_from
						 : s->ev.box.archive},
		    arena_printf(ar, "product version %s",
				 s->ev.box.product_version));
	if (o)
		finding_evidence(ar, f, EVREF_LOG, &o->where, o->text);
	if (sym)
		finding_evidence(ar, f, EVREF_STATUS,
				 sym->nev ? &sym->ev[0].loc
					  : &(struct srcloc){0},
				 sym->summary ? sym->summary : "");
	f->fix = k->fix;
}

void
check_known_issues(struct analysis *an, struct site *s)
{
	for (size_t i = 0; i < sizeof(known_issues) / sizeof(*known_issues);
	     i++)
		known_one(an, s, &known_issues[i]);
}
