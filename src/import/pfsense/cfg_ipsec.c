/* config.xml <ipsec>: phase 1 and phase 2 (doc/behaviour/pfsense.md §1.2-1.4).
 */
#include <stdio.h>
#include <string.h>

#include "import/pfsense/cfg_internal.h"

static void
p1_proposal(struct cfg *c, const struct xnode *n, char *buf, size_t size)
{
	const struct xnode *ea = xml_child(n, "encryption-algorithm");
	const char *name = cfg_str(c, ea, "name");
	const char *keylen = cfg_str(c, ea, "keylen");
	const char *hash = cfg_str(c, n, "hash-algorithm");
	const char *dh = cfg_str(c, n, "dhgroup");
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, "%s%s%s%s-%s-dh%s", len ? ", " : "",
		 name ? name : "?", keylen ? "-" : "", keylen ? keylen : "",
		 hash ? hash : "?", dh ? dh : "?");
}

/* Since config 17.5 transforms are encryption/item[]; before, single
 * elements directly under <phase1> (upgrade_174_to_175). */
static const char *
p1_proposals(struct cfg *c, const struct xnode *p1)
{
	char buf[512] = "";
	const struct xnode *it = xml_path(p1, "encryption/item");
	for (; it; it = xml_next_named(it))
		p1_proposal(c, it, buf, sizeof(buf));
	if (buf[0] == '\0' && xml_has(p1, "encryption-algorithm"))
		p1_proposal(c, p1, buf, sizeof(buf));
	return buf[0] ? arena_strdup(c->ar, buf) : NULL;
}

/* An interface with no address of the outer family and no dynamic
 * one (DHCP, PPPoE, ...) */
static bool
iface_addressless(const struct iface *f, unsigned fam)
{
	for (size_t i = 0; i < f->naddrs; i++)
		if (f->addrs[i].addr.fam == fam)
			return false;
	return f->ipaddr_mode == NULL;
}

/* pfSense writes no swanctl connection for a phase 1 without an
 * encryption item or whose interface has no address; OPNsense starts
 * no legacy tunnel without <ipsec><enable/> (doc/behaviour/
 * pf-ruleset.md §10). */
static void
p1_not_started(struct cfg *c, struct phase1 *p)
{
	const struct iface *f = site_iface(c->s, p->iface);
	if (p->disabled)
		return;
	if (c->opnsense && !c->s->flags.ipsec_enable)
		p->not_started = "IPsec is not enabled (VPN > IPsec > Tunnel "
				 "Settings, Enable IPsec)";
	else if (!c->opnsense && p->proposals == NULL)
		p->not_started = "it has no encryption algorithm (VPN > IPsec "
				 "> Tunnels, phase 1 Encryption Algorithm)";
	else if (!c->opnsense && f && iface_addressless(f, p->outer_fam))
		p->not_started =
		    arena_printf(c->ar, "its interface %s has no IPv%c address",
				 f->descr, p->outer_fam == FAM_V6 ? '6' : '4');
}

/* "hmac_sha256" -> "sha256" (ipsec_setup_proposal_algo()). */
static const char *
strip_hmac(struct arena *ar, struct str h)
{
	h = str_trim(h);
	if (h.n > 5 && strncmp(h.p, "hmac_", 5) == 0) {
		h.p += 5;
		h.n -= 5;
	}
	return arena_strndup(ar, h.p, h.n);
}

/* The strongSwan keyword of a DH group number (ipsec.inc
 * ipsec_convert_to_modp(): the group's IANA id), "" when none/0. */
static const char *
modp_of(struct cfg *c, const char *group)
{
	unsigned g;
	if (group == NULL || !cfg_uint(group, 1024, &g) || g == 0)
		return "";
	return arena_printf(c->ar, "-%s", ke_group_name(c->ar, g));
}

/* One phase 1 proposal as pfSense writes it into swanctl.conf
 * (ipsec_setup_proposal_algo(), ike-parameters.md §5): name+keylen,
 * hash, prf (only with prfselect_enable), DH group. OPNsense's legacy
 * tunnels may list several hashes and groups (comma lists): one
 * proposal per combination. */
/* Beyond this the text is not built further: a hostile config must not
 * grow it without bound (proposals_parse() caps the list as well). */
enum { P1_TEXT_MAX = 1 << 14 };

static void
p1_item_text(struct cfg *c, const struct xnode *n, bool prf_on,
	     const char **out)
{
	const struct xnode *ea = xml_child(n, "encryption-algorithm");
	const char *name = cfg_str(c, ea, "name");
	const char *kl = cfg_str(c, ea, "keylen");
	const char *hashes = cfg_str(c, n, "hash-algorithm");
	const char *prf = prf_on ? cfg_str(c, n, "prf-algorithm") : NULL;
	const char *dhs = cfg_str(c, n, "dhgroup");
	if (name == NULL || hashes == NULL)
		return; /* pfSense skips such an item */
	struct str hl = str_from(hashes), h;
	while (strlen(*out) < P1_TEXT_MAX && str_next(&hl, ',', &h)) {
		struct str dl = str_from(dhs ? dhs : ""), d;
		bool any = false;
		while ((str_next(&dl, ',', &d) || !any) &&
		       strlen(*out) < P1_TEXT_MAX) {
			any = true;
			const char *hash = strip_hmac(c->ar, h);
			*out = arena_printf(
			    c->ar, "%s%s%s%s-%s%s%s%s", *out, **out ? "," : "",
			    name, kl && strcmp(kl, "auto") ? kl : "", hash,
			    prf ? "-prf" : "", prf ? prf : "",
			    modp_of(c, d.p ? arena_strndup(c->ar, d.p, d.n)
					   : NULL));
			if (d.p == NULL)
				break;
		}
	}
}

static void
p1_parse_proposals(struct cfg *c, struct phase1 *p, const struct xnode *n)
{
	bool prf_on = xml_has(n, "prfselect_enable") &&
		      strcmp(cfg_str(c, n, "prfselect_enable")
				 ? cfg_str(c, n, "prfselect_enable")
				 : "",
			     "yes") == 0;
	const char *text = "";
	const struct xnode *it = xml_path(n, "encryption/item");
	for (; it && strlen(text) < P1_TEXT_MAX; it = xml_next_named(it))
		p1_item_text(c, it, prf_on, &text);
	if (*text == '\0' && xml_has(n, "encryption-algorithm"))
		p1_item_text(c, n, prf_on, &text);
	p->ike.proto = PROP_IKE;
	p->ike.loc = p->loc;
	struct str bad = {0};
	if (*text && !proposals_parse(c->ar, text, PROP_IKE, &p->ike, &bad))
		proposals_warn(&p->loc, "phase 1", bad);
}

/* "address:192.0.2.1", "fqdn:vpn.example.org"; NULL when the value is
 * only known on the box (auto, dyn_dns resolved, a peer hostname).
 * ipsec.inc ipsec_find_id() / ipsec_fixup_id(), ike-parameters.md §6. */
static const char *
p1_id(struct cfg *c, const struct xnode *n, bool mine, const struct phase1 *p)
{
	const char *type = cfg_str(c, n, mine ? "myid_type" : "peerid_type");
	const char *data = cfg_str(c, n, mine ? "myid_data" : "peerid_data");
	if (type == NULL)
		type = mine ? "myaddress" : "peeraddress";
	if (strcmp(type, "any") == 0)
		return "any";
	if (strcmp(type, "myaddress") == 0) {
		struct iface *f = site_iface(c->s, p->iface ? p->iface : "wan");
		for (size_t i = 0; f && i < f->naddrs; i++)
			if (f->addrs[i].addr.fam == p->outer_fam)
				return arena_printf(
				    c->ar, "address:%s",
				    ipaddr_str(c->ar, &f->addrs[i].addr));
		return NULL;
	}
	if (strcmp(type, "peeraddress") == 0)
		return p->peer_known ? arena_printf(c->ar, "address:%s",
						    ipaddr_str(c->ar, &p->peer))
				     : NULL;
	if (data == NULL || strcmp(type, "auto") == 0)
		return NULL;
	static const char *const map[][2] = {
	    {"address", "address"}, {"fqdn", "fqdn"},
	    {"dyn_dns", "fqdn"},    {"user_fqdn", "userfqdn"},
	    {"asn1dn", "asn1dn"},   {"keyid tag", "keyid"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(type, map[i][0]) == 0)
			return arena_printf(c->ar, "%s:%s", map[i][1], data);
	return NULL;
}

static unsigned
cfg_secs(struct cfg *c, const struct xnode *n, const char *name)
{
	unsigned v = 0;
	cfg_uint(cfg_str(c, n, name), 1u << 30, &v);
	return v;
}

/* Lifetimes as ipsec.inc ipsec_get_rekey_time() derives them: rekey_time,
 * else 90% of lifetime, else 14400 s (phase 1) / 3600 s (phase 2). */
static void
cfg_times(struct cfg *c, const struct xnode *n, bool p1, unsigned *life,
	  unsigned *rekey)
{
	*life = cfg_secs(c, n, "lifetime");
	if (cfg_str(c, n, "rekey_time"))
		*rekey = cfg_secs(c, n, "rekey_time");
	else
		*rekey = *life ? *life / 10 * 9 + (*life % 10) * 9 / 10
			       : (p1 ? 14400 : 3600);
	if (*life == 0)
		*life = *rekey ? *rekey / 9 * 10 : (p1 ? 16000 : 4000);
}

static void
p1_params(struct cfg *c, struct phase1 *p, const struct xnode *n)
{
	p1_parse_proposals(c, p, n);
	p->id_loc = cfg_loc(
	    c, xml_child(n, "myid_type") ? xml_child(n, "myid_type") : n);
	p->myid = p1_id(c, n, true, p);
	p->peerid = p1_id(c, n, false, p);
	const char *am = cfg_str(c, n, "authentication_method");
	p->auth = am == NULL || strcmp(am, "pre_shared_key") == 0 ? "psk"
		  /* OPNsense legacy: Mutual RSA / public key = pubkey, like
		   * pfSense's cert (ike-parameters.md §14) */
		  : strcmp(am, "cert") == 0 || strcmp(am, "rsasig") == 0 ||
			  strcmp(am, "pubkey") == 0
		      ? "cert"
		      : am;
	p->psk = cfg_str(c, n, "pre-shared-key");
	if (p->psk) { /* pfSense trims it (ike-parameters.md §6) */
		struct str k = str_trim(str_from(p->psk));
		p->psk = arena_strndup(c->ar, k.p, k.n);
	}
	p->psk_loc = cfg_loc(c, xml_child(n, "pre-shared-key")
				    ? xml_child(n, "pre-shared-key")
				    : n);
	p->psk_redacted = p->psk && strcmp(p->psk, "xxxxx") == 0;
	p->start_action = cfg_str(c, n, "startaction");
	p->close_action = cfg_str(c, n, "closeaction");
	p->start_loc = cfg_loc(
	    c, xml_child(n, "startaction") ? xml_child(n, "startaction") : n);
	p->dpd_loc = cfg_loc(
	    c, xml_child(n, "dpd_delay") ? xml_child(n, "dpd_delay") : n);
	if (cfg_str(c, n, "dpd_maxfail"))
		p->dpd_delay = cfg_secs(c, n, "dpd_delay");
	p->ver_loc =
	    cfg_loc(c, xml_child(n, "iketype") ? xml_child(n, "iketype") : n);
	cfg_times(c, n, true, &p->life, &p->rekey);
	if (p->ikever == 1) /* IKEv1 reauthenticates instead of rekeying */
		p->reauth = p->rekey;
}

static void
cfg_phase1(struct cfg *c, const struct xnode *n)
{
	struct phase1 *p = ARENA_PUSH(c->ar, c->s->p1, c->s->np1, c->s->cp1);
	p->loc = cfg_loc(c, n);
	p->ikeid = cfg_str(c, n, "ikeid");
	p->descr = cfg_str(c, n, "descr");
	p->iface = cfg_str(c, n, "interface");
	p->remote = cfg_str(c, n, "remote-gateway");
	const char *ike = cfg_str(c, n, "iketype");
	p->ikever = ike == NULL || strcmp(ike, "ikev1") == 0 ? 1
		    : strcmp(ike, "ikev2") == 0		     ? 2
							     : 0;
	p->natt = cfg_str(c, n, "nat_traversal");
	p->disabled = xml_has(n, "disabled");
	p->mobile = xml_has(n, "mobile");
	/* OPNsense legacy splits children on <tunnel_isolation>, not
	 * <splitconn> (doc/behaviour/tunnel-path.md §4) */
	p->splitconn =
	    xml_has(n, c->opnsense ? "tunnel_isolation" : "splitconn");
	p->gw_duplicates = xml_has(n, "gw_duplicates");
	const char *proto = cfg_str(c, n, "protocol");
	p->outer_fam = proto && strcmp(proto, "inet6") == 0 ? FAM_V6 : FAM_V4;
	p->proposals = p1_proposals(c, n);
	if (p->remote && ipaddr_parse(str_from(p->remote), &p->peer)) {
		/* 0.0.0.0 / :: = any peer (responder only) */
		p->peer_known = p->peer.v != 0;
		p->outer_fam = p->peer.fam;
	}
	p1_params(c, p, n);
	/* OPNsense splits the children on <tunnel_isolation> */
	if (c->opnsense && cfg_flag(n, "tunnel_isolation"))
		p->splitconn = true;
	cfg_p1_bind(c, p, n);
	p1_not_started(c, p);
}

static struct phase1 *
p1_by_ikeid(struct site *s, const char *ikeid)
{
	for (size_t i = 0; ikeid && i < s->np1; i++)
		if (s->p1[i].ikeid && strcmp(s->p1[i].ikeid, ikeid) == 0)
			return &s->p1[i];
	return NULL;
}

/* ipsec_idinfo_to_cidr() (ipsec.inc:521), doc/behaviour/pfsense.md §1.3. */
static bool
sel_parse(struct cfg *c, const struct xnode *n, enum p2_mode mode,
	  struct selector *sel, const char *what, const struct srcloc *p2loc)
{
	if (n == NULL)
		return false;
	struct srcloc loc = cfg_loc(c, n);
	unsigned fam = mode == P2_TUNNEL6 ? FAM_V6 : FAM_V4;
	const char *type = cfg_str(c, n, "type");
	const char *addr = cfg_str(c, n, "address");
	const char *bits = cfg_str(c, n, "netbits");
	sel->type = type ? type : "";
	sel->resolved = true;
	if (type == NULL) {
		sel->resolved = false;
		sel->text = "";
		diag(DIAG_WARNING, &loc, "phase 2 %s has no type", what);
		return true;
	}
	if (strcmp(type, "none") == 0 || strcmp(type, "mobile") == 0) {
		sel->net = (struct prefix){.addr = {.fam = (uint8_t)fam}};
		sel->text = type;
		return true;
	}
	if (strcmp(type, "network") == 0 || strcmp(type, "address") == 0) {
		bool net = strcmp(type, "network") == 0;
		sel->text =
		    net ? arena_printf(c->ar, "%s/%s", addr ? addr : "?",
				       bits ? bits : "?")
			: (addr ? addr : "?");
		if (!prefix_parse(str_from(sel->text), &sel->net, NULL)) {
			sel->resolved = false;
			diag(DIAG_WARNING, &loc,
			     "phase 2 %s '%s' is not an "
			     "address or network",
			     what, sel->text);
		}
		return true;
	}
	/* an interface key: that interface's subnet at runtime */
	sel->text = type;
	struct iface *f = site_iface(c->s, type);
	for (size_t i = 0; f && i < f->naddrs; i++)
		if (f->addrs[i].addr.fam == fam) {
			sel->net =
			    prefix_make(f->addrs[i].addr, f->addrs[i].plen);
			return true;
		}
	sel->resolved = false;
	sel->net = (struct prefix){.addr = {.fam = (uint8_t)fam}};
	diag(DIAG_WARNING, p2loc,
	     "phase 2 %s is interface '%s'%s: it has no "
	     "static IPv%c address, so the network is not known offline",
	     what, type, f ? "" : " (not in <interfaces>)",
	     fam == FAM_V6 ? '6' : '4');
	return true;
}

static const struct {
	const char *name;
	enum cipher cipher;
	unsigned keylen, icv;
} ciphers[] = {
    {"aes", CIPHER_AES_CBC, 0, 0},
    {"aes128gcm", CIPHER_AES_GCM, 128, 16},
    {"aes192gcm", CIPHER_AES_GCM, 192, 16},
    {"aes256gcm", CIPHER_AES_GCM, 256, 16},
    {"aes128ccm", CIPHER_AES_CCM, 128, 16},
    {"aes192ccm", CIPHER_AES_CCM, 192, 16},
    {"aes256ccm", CIPHER_AES_CCM, 256, 16},
    {"chacha20poly1305", CIPHER_CHACHA20_POLY1305, 256, 16},
    {"3des", CIPHER_3DES, 192, 0},
    {"blowfish", CIPHER_BLOWFISH, 0, 0},
    {"cast128", CIPHER_CAST128, 128, 0},
    {"null", CIPHER_NULL, 0, 0},
};

static void
p2_transforms(struct cfg *c, struct phase2 *p, const struct xnode *n)
{
	const struct xnode *e = xml_child(n, "encryption-algorithm-option");
	for (; e; e = xml_next_named(e)) {
		const char *name = cfg_str(c, e, "name");
		const char *kl = cfg_str(c, e, "keylen");
		struct transform *t =
		    ARENA_PUSH(c->ar, p->enc, p->nenc, p->cenc);
		for (size_t i = 0;
		     name && i < sizeof(ciphers) / sizeof(*ciphers); i++)
			if (strcmp(name, ciphers[i].name) == 0) {
				t->cipher = ciphers[i].cipher;
				t->keylen = ciphers[i].keylen;
				t->icv = ciphers[i].icv;
			}
		unsigned k;
		if (t->keylen == 0 && kl && cfg_uint(kl, 1024, &k))
			t->keylen = k; /* "auto" stays 0 */
		if (t->cipher == CIPHER_UNKNOWN) {
			struct srcloc loc = cfg_loc(c, e);
			diag(DIAG_WARNING, &loc,
			     "unknown phase 2 encryption "
			     "algorithm '%s'",
			     name ? name : "");
		}
	}
	static const struct {
		const char *name;
		enum integ integ;
	} hashes[] = {
	    {"hmac_md5", INTEG_HMAC_MD5},
	    {"hmac_sha1", INTEG_HMAC_SHA1},
	    {"hmac_sha256", INTEG_HMAC_SHA256},
	    {"hmac_sha384", INTEG_HMAC_SHA384},
	    {"hmac_sha512", INTEG_HMAC_SHA512},
	    {"aesxcbc", INTEG_AES_XCBC},
	};
	const struct xnode *h = xml_child(n, "hash-algorithm-option");
	for (; h; h = xml_next_named(h))
		for (size_t i = 0;
		     h->text && i < sizeof(hashes) / sizeof(*hashes); i++)
			if (strcmp(h->text, hashes[i].name) == 0)
				*ARENA_PUSH(c->ar, p->integ, p->ninteg,
					    p->cinteg) = hashes[i].integ;
}

/* One cipher of a phase 2 with every hash (ipsec_setup_proposal_entry():
 * no hash with AEAD ciphers), the PFS group on each. */
static const char *
p2_entry(struct cfg *c, const struct xnode *n, const char *name, const char *kl,
	 const char *text)
{
	const char *dh = modp_of(c, cfg_str(c, n, "pfsgroup"));
	bool aead =
	    strstr(name, "gcm") || strcmp(name, "chacha20poly1305") == 0;
	const struct xnode *h = xml_child(n, "hash-algorithm-option");
	if (aead || h == NULL || *name == '\0') {
		if (*name == '\0' && h) /* AH: one proposal per hash */
			for (; h && strlen(text) < P1_TEXT_MAX;
			     h = xml_next_named(h))
				text = arena_printf(
				    c->ar, "%s%s%s%s", text, *text ? "," : "",
				    strip_hmac(c->ar, str_from(h->text ? h->text
								       : "")),
				    dh);
		else
			text = arena_printf(c->ar, "%s%s%s%s%s", text,
					    *text ? "," : "", name, kl, dh);
		return text;
	}
	for (; h && strlen(text) < P1_TEXT_MAX; h = xml_next_named(h))
		text = arena_printf(
		    c->ar, "%s%s%s%s-%s%s", text, *text ? "," : "", name, kl,
		    strip_hmac(c->ar, str_from(h->text ? h->text : "")), dh);
	return text;
}

/* The esp_proposals pfSense writes (ipsec.inc:2705-2745, ike-parameters.md
 * §5): GCM ciphers first, in reverse order, then the others; "auto" key
 * length expands to every length, longest first. */
static void
p2_parse_proposals(struct cfg *c, struct phase2 *p, const struct xnode *n)
{
	const char *text = "";
	enum prop_proto proto = p->proto == PROTO_AH ? PROP_AH : PROP_ESP;
	if (proto == PROP_AH)
		text = p2_entry(c, n, "", "", text);
	for (int pass = 0; proto == PROP_ESP && pass < 2; pass++) {
		const struct xnode *list[64];
		size_t nl = 0;
		for (const struct xnode *e =
			 xml_child(n, "encryption-algorithm-option");
		     e && nl < 64; e = xml_next_named(e)) {
			const char *name = cfg_str(c, e, "name");
			if (name &&
			    (strstr(name, "gcm") != NULL) == (pass == 0))
				list[nl++] = e;
		}
		for (size_t k = 0; k < nl; k++) {
			const struct xnode *e =
			    list[pass == 0 ? nl - 1 - k : k];
			const char *name = cfg_str(c, e, "name");
			const char *kl = cfg_str(c, e, "keylen");
			bool gcm = strstr(name, "gcm") != NULL;
			if (kl && strcmp(kl, "auto") == 0 &&
			    (gcm || strcmp(name, "aes") == 0)) {
				unsigned hi = gcm ? 128 : 256,
					 lo = gcm ? 64 : 128;
				for (unsigned b = hi; b >= lo;
				     b -= gcm ? 32 : 64)
					text = p2_entry(
					    c, n, name,
					    arena_printf(c->ar, "%u", b), text);
			} else {
				text = p2_entry(
				    c, n, name,
				    kl && strcmp(kl, "auto") ? kl : "", text);
			}
		}
	}
	p->esp.loc = p->loc;
	/* unknown names: p2_transforms() has said so; esp.unknown is set */
	proposals_parse(c->ar, text, proto, &p->esp, NULL);
	cfg_times(c, n, false, &p->life, &p->rekey);
}

static void
cfg_phase2(struct cfg *c, const struct xnode *n)
{
	struct phase2 *p = ARENA_PUSH(c->ar, c->s->p2, c->s->np2, c->s->cp2);
	p->loc = cfg_loc(c, n);
	p->ikeid = cfg_str(c, n, "ikeid");
	p->descr = cfg_str(c, n, "descr");
	p->uniqid = cfg_str(c, n, "uniqid");
	cfg_uint(cfg_str(c, n, "reqid"), 1u << 30, &p->reqid);
	const char *mode = cfg_str(c, n, "mode");
	p->mode = mode == NULL			   ? P2_TUNNEL
		  : strcmp(mode, "tunnel6") == 0   ? P2_TUNNEL6
		  : strcmp(mode, "transport") == 0 ? P2_TRANSPORT
		  : strcmp(mode, "vti") == 0	   ? P2_VTI
						   : P2_TUNNEL;
	const char *proto = cfg_str(c, n, "protocol");
	p->proto = proto && strcmp(proto, "ah") == 0 ? PROTO_AH : PROTO_ESP;
	/* strongSwan then proposes ESP; pfSense adds no ESP WAN rule */
	p->proto_missing = proto == NULL || (strcmp(proto, "esp") != 0 &&
					     strcmp(proto, "ah") != 0);
	p->disabled = xml_has(n, "disabled");
	p->mobile = xml_has(n, "mobile");
	sel_parse(c, xml_child(n, "localid"), p->mode, &p->local,
		  "local network", &p->loc);
	sel_parse(c, xml_child(n, "remoteid"), p->mode, &p->remote,
		  "remote network", &p->loc);
	p->has_nat =
	    sel_parse(c, xml_child(n, "natlocalid"), p->mode, &p->natlocal,
		      "NAT/BINAT local network", &p->loc);
	p2_transforms(c, p, n);
	p2_parse_proposals(c, p, n);
	p->p1 = p1_by_ikeid(c->s, p->ikeid);
	/* a phase 2 of a mobile phase 1, or with remote type "mobile", is
	 * for remote access clients, whether or not it says <mobile/> */
	const char *rt = xml_text(xml_child(n, "remoteid"), "type");
	p->mobile = p->mobile || (p->p1 && p->p1->mobile) ||
		    (rt && strcmp(rt, "mobile") == 0);
	if (p->p1 == NULL)
		diag(DIAG_WARNING, &p->loc,
		     "phase 2 '%s' refers to ikeid %s: "
		     "no phase 1 has it",
		     p->descr ? p->descr : "", p->ikeid ? p->ikeid : "(none)");
}

void
cfg_enc0(struct cfg *c, const struct xnode *at)
{
	if (site_iface(c->s, "enc0") != NULL)
		return;
	struct iface *f =
	    ARENA_PUSH(c->ar, c->s->ifaces, c->s->nifaces, c->s->cifaces);
	f->key = "enc0";
	f->dev = "enc0";
	f->descr = "IPsec";
	f->role = ROLE_ENC;
	f->enabled = true;
	f->loc = cfg_loc(c, at);
}

/* enc0, the IPsec tab, exists when IPsec is on (doc/behaviour/pfsense.md §2.3).
 */
static void
add_enc0(struct cfg *c)
{
	bool any = false;
	for (size_t i = 0; i < c->s->np1; i++)
		any = any || !c->s->p1[i].disabled;
	if (any && c->opnsense && !c->s->flags.ipsec_enable) {
		struct srcloc loc = cfg_loc(c, xml_child(c->root, "ipsec"));
		diag(DIAG_NOTE, &loc,
		     "IPsec is not enabled (<ipsec><enable/> "
		     "absent): OPNsense does not start the legacy tunnels");
	}
	if (any)
		cfg_enc0(c, xml_child(c->root, "ipsec"));
}

/* The selector's address as written (10.255.0.1 of 10.255.0.1/30). */
static bool
sel_addr(const struct selector *sel, struct ipaddr *out)
{
	if (!sel->resolved || sel->text == NULL)
		return false;
	struct str a, bits;
	str_split(str_from(sel->text), '/', &a, &bits);
	return ipaddr_parse(a, out);
}

/* interface_ipsec_vti_configure(): ipsec<reqid> takes the phase 2 local
 * address (a /30 or /64 for a bare address) and routes to the remote
 * one, its <IF>_VTIV4 gateway (doc/behaviour/tunnel-path.md §1). */
static void
vti_addresses(struct cfg *c)
{
	for (size_t i = 0; i < c->s->np2; i++) {
		const struct phase2 *p = &c->s->p2[i];
		struct ipaddr la, ra;
		if (p->mode != P2_VTI || p->disabled ||
		    !sel_addr(&p->local, &la))
			continue;
		char dev[32];
		snprintf(dev, sizeof(dev), "ipsec%u", p->reqid);
		struct iface *f = site_iface_by_dev(c->s, dev);
		if (f == NULL || f->role != ROLE_VTI)
			continue;
		bool has = false;
		for (size_t j = 0; j < f->naddrs; j++)
			has = has || f->addrs[j].addr.fam == la.fam;
		if (!has) {
			struct ifaddr *ia =
			    ARENA_PUSH(c->ar, f->addrs, f->naddrs, f->caddrs);
			ia->addr = la;
			ia->plen = p->local.type &&
					   strcmp(p->local.type, "address") == 0
				       ? (la.fam == FAM_V6 ? 64 : 30)
				       : p->local.net.len;
		}
		if (!sel_addr(&p->remote, &ra))
			continue;
		for (size_t j = 0; j < c->s->ngateways; j++) {
			struct gateway *g = &c->s->gateways[j];
			if (g->iface && strcmp(g->iface, f->key) == 0 &&
			    g->dynamic && g->fam == ra.fam) {
				g->addr = ra;
				g->dynamic = false;
			}
		}
	}
}

void
cfg_ipsec(struct cfg *c)
{
	const struct xnode *ipsec = xml_child(c->root, "ipsec");
	const struct xnode *n = xml_child(ipsec, "phase1");
	for (; n; n = xml_next_named(n))
		cfg_phase1(c, n);
	for (n = xml_child(ipsec, "phase2"); n; n = xml_next_named(n))
		cfg_phase2(c, n);
	vti_addresses(c);
	add_enc0(c);
}
