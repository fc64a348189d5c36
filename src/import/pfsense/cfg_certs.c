/* Certificates and CAs of a pfSense/OPNsense config (<cert>, <ca> at the
 * top: refid, descr, crt = base64 of the PEM) and the phase 1s that use
 * them (certref: this end's certificate, caref: the CA required of the
 * peer; ipsec.inc lines 2130-2206, ike-parameters.md §14). Private keys
 * (<prv>) are never read. */
#include <string.h>

#include "import/pfsense/cfg_internal.h"
#include "import/x509.h"

static void
certs_read(struct cfg *c, const char *elem, bool ca)
{
	for (const struct xnode *n = xml_child(c->root, elem); n;
	     n = xml_next_named(n)) {
		struct x509_info x = {.loc = cfg_loc(c, n)};
		x.refid = cfg_str(c, n, "refid");
		x.descr = cfg_str(c, n, "descr");
		const char *crt = cfg_str(c, n, "crt");
		if (x.refid == NULL || crt == NULL || *crt == '\0')
			continue; /* a CSR in progress, or an external CA */
		if (!x509_decode(c->ar, crt, &x)) {
			diag(DIAG_WARNING, &x.loc,
			     "%s '%s': the certificate could not be read; "
			     "certificate checks skip it",
			     ca ? "CA" : "certificate",
			     x.descr ? x.descr : x.refid);
			continue;
		}
		x.is_ca = x.is_ca || ca;
		*ARENA_PUSH(c->ar, c->s->certs, c->s->ncerts, c->s->ccerts) = x;
	}
}

static const struct x509_info *
cert_by_ref(const struct site *s, const char *ref)
{
	for (size_t i = 0; ref && i < s->ncerts; i++)
		if (strcmp(s->certs[i].refid, ref) == 0)
			return &s->certs[i];
	return NULL;
}

void
cfg_certs(struct cfg *c)
{
	certs_read(c, "cert", false);
	certs_read(c, "ca", true);
	const struct xnode *ipsec = xml_child(c->root, "ipsec");
	for (const struct xnode *n = xml_child(ipsec, "phase1"); n;
	     n = xml_next_named(n)) {
		const char *id = cfg_str(c, n, "ikeid");
		struct phase1 *p = NULL;
		for (size_t i = 0; id && i < c->s->np1 && p == NULL; i++)
			if (!c->s->p1[i].swanctl && c->s->p1[i].ikeid &&
			    strcmp(c->s->p1[i].ikeid, id) == 0)
				p = &c->s->p1[i];
		if (p == NULL)
			continue;
		p->certref = cfg_str(c, n, "certref");
		p->caref = cfg_str(c, n, "caref");
		const struct xnode *at = xml_child(n, "certref");
		p->cert_loc = cfg_loc(c, at ? at : n);
		p->cert = cert_by_ref(c->s, p->certref);
		p->ca = cert_by_ref(c->s, p->caref);
	}
}
