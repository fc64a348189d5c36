#include "engine/esp_overhead.h"

#include <stdio.h>
#include <string.h>

enum {
	IPV4_HDR = 20,
	IPV6_HDR = 40,
	TCP_HDR = 20,
	UDP_HDR = 8,  /* RFC 3948 §2.1: UDP header before the ESP header */
	ESP_HDR = 8,  /* RFC 4303 §2: SPI 4 + sequence number 4 */
	ESP_TRL = 2,  /* RFC 4303 §2.4-2.6: pad length 1 + next header 1 */
	AH_HDR = 12,  /* RFC 4302 §2: next hdr, len, reserved, SPI, seq */
	ESP_ALIGN = 4 /* RFC 4303 §2.4: ciphertext ends on a 4-byte boundary */
};

bool
transform_is_aead(const struct transform *t)
{
	return t->cipher == CIPHER_AES_GCM || t->cipher == CIPHER_AES_CCM ||
	       t->cipher == CIPHER_CHACHA20_POLY1305;
}

/* Integrity ICV lengths: RFC 2404 (SHA1-96), RFC 2403 (MD5-96), RFC 3566
 * (AES-XCBC-MAC-96), RFC 4868 §2.3 (SHA-256/384/512 truncated to half). */
static unsigned
integ_icv(enum integ i)
{
	switch (i) {
	case INTEG_HMAC_MD5:
	case INTEG_HMAC_SHA1:
	case INTEG_AES_XCBC:
		return 12;
	case INTEG_HMAC_SHA256:
		return 16;
	case INTEG_HMAC_SHA384:
		return 24;
	case INTEG_HMAC_SHA512:
		return 32;
	case INTEG_NONE:
		break;
	}
	return 0;
}

/* IV and padding block of the cipher; false when unknown. */
static bool
cipher_sizes(const struct transform *t, unsigned *iv, unsigned *block,
	     unsigned *icv)
{
	*icv = 0;
	switch (t->cipher) {
	case CIPHER_NULL: /* RFC 2410: no IV, ESP's 4-byte alignment */
		*iv = 0, *block = ESP_ALIGN;
		return true;
	case CIPHER_AES_CBC: /* RFC 3602 §3: 16-byte IV and block */
		*iv = 16, *block = 16;
		return true;
	case CIPHER_3DES: /* RFC 2451 §2: 8-byte IV and block */
	case CIPHER_BLOWFISH:
	case CIPHER_CAST128:
		*iv = 8, *block = 8;
		return true;
	case CIPHER_AES_GCM: /* RFC 4106 §3.1, §3.2: 8-byte IV, 4 padding */
	case CIPHER_AES_CCM: /* RFC 4309 §3.1, §3.2: same */
		*iv = 8, *block = ESP_ALIGN;
		*icv = t->icv == 8 || t->icv == 12 ? t->icv : 16;
		return true;
	case CIPHER_CHACHA20_POLY1305: /* RFC 7634 §2-3: IV 8, tag 16 */
		*iv = 8, *block = ESP_ALIGN, *icv = 16;
		return true;
	case CIPHER_UNKNOWN:
		break;
	}
	return false;
}

bool
esp_cost_of(const struct esp_params *p, struct esp_cost *c)
{
	memset(c, 0, sizeof(*c));
	if (p->tunnel)
		c->outer_ip = p->outer_v6 ? IPV6_HDR : IPV4_HDR;
	if (p->ah) {
		/* RFC 4302 §2: AH length is a multiple of 32 bits in IPv4 and
		 * 64 bits in IPv6 (of the header AH follows); no NAT-T. */
		bool v6 = p->tunnel ? p->outer_v6 : p->inner_v6;
		unsigned align = v6 ? 8 : 4, len = AH_HDR + integ_icv(p->integ);
		len = (len + align - 1) / align * align;
		c->esp_hdr = AH_HDR, c->icv = len - AH_HDR, c->block = 1;
		return true;
	}
	unsigned aead_icv;
	if (!cipher_sizes(&p->enc, &c->iv, &c->block, &aead_icv))
		return false;
	c->udp = p->natt ? UDP_HDR : 0;
	c->esp_hdr = ESP_HDR;
	c->trailer = ESP_TRL;
	c->pad_max = c->block - 1;
	c->icv = transform_is_aead(&p->enc) ? aead_icv : integ_icv(p->integ);
	return true;
}

unsigned
esp_cost_total_max(const struct esp_cost *c)
{
	return c->outer_ip + c->udp + c->esp_hdr + c->iv + c->pad_max +
	       c->trailer + c->icv;
}

/* Transport mode keeps the inner header in front; tunnel protects it. */
static unsigned
kept_header(const struct esp_params *p)
{
	if (p->tunnel)
		return 0;
	return p->inner_v6 ? IPV6_HDR : IPV4_HDR;
}

unsigned
esp_outer_size(const struct esp_params *p, unsigned inner_len)
{
	struct esp_cost c;
	unsigned hdr = kept_header(p);
	if (!esp_cost_of(p, &c) || inner_len < hdr)
		return 0;
	/* RFC 4303 §2.4: payload + padding + trailer fill whole blocks. */
	unsigned body = inner_len - hdr + c.trailer;
	body = (body + c.block - 1) / c.block * c.block;
	return hdr + c.outer_ip + c.udp + c.esp_hdr + c.iv + body + c.icv;
}

unsigned
esp_max_inner(const struct esp_params *p, unsigned mtu)
{
	struct esp_cost c;
	unsigned hdr = kept_header(p);
	if (!esp_cost_of(p, &c))
		return 0;
	unsigned fixed = hdr + c.outer_ip + c.udp + c.esp_hdr + c.iv + c.icv;
	if (mtu <= fixed)
		return 0;
	unsigned body = (mtu - fixed) / c.block * c.block;
	if (body < c.trailer)
		return 0;
	return hdr + body - c.trailer;
}

unsigned
esp_mss(const struct esp_params *p, unsigned mtu)
{
	unsigned inner = esp_max_inner(p, mtu);
	unsigned hdr = (p->inner_v6 ? IPV6_HDR : IPV4_HDR) + TCP_HDR;
	return inner > hdr ? inner - hdr : 0;
}

const char *
esp_transform_format(const struct esp_params *p, char *buf, unsigned size)
{
	const struct transform *t = &p->enc;
	const char *integ = integ_name(p->integ);
	if (p->ah) {
		snprintf(buf, size, "ah %s", integ);
		return buf;
	}
	switch (t->cipher) {
	case CIPHER_AES_CBC:
		if (t->keylen)
			snprintf(buf, size, "aes-cbc-%u + %s", t->keylen,
				 integ);
		else
			snprintf(buf, size, "aes-cbc + %s", integ);
		return buf;
	case CIPHER_AES_GCM:
	case CIPHER_AES_CCM: {
		unsigned iv, block, icv;
		cipher_sizes(t, &iv, &block, &icv);
		snprintf(buf, size, "%s-%u%s", cipher_name(t->cipher), icv,
			 t->icv ? "" : " (ICV assumed)");
		return buf;
	}
	case CIPHER_CHACHA20_POLY1305:
		snprintf(buf, size, "%s", cipher_name(t->cipher));
		return buf;
	default:
		snprintf(buf, size, "%s + %s", cipher_name(t->cipher), integ);
		return buf;
	}
}

/* Fixed overhead of a transform with worst padding, to rank candidates. */
static unsigned
transform_weight(const struct transform *t, enum integ i)
{
	struct esp_params p = {.enc = *t, .integ = i, .tunnel = true};
	struct esp_cost c;
	return esp_cost_of(&p, &c) ? esp_cost_total_max(&c) : 0;
}

bool
transform_parse_proposal(const char *s, struct transform *t, enum integ *i)
{
	struct str rest = str_from(s), tok;
	struct transform best = {0}, tr;
	enum integ worst = INTEG_NONE, in;
	bool any = false;
	if (rest.n > 0 && rest.p[rest.n - 1] == '!') /* strict flag */
		rest.n--;
	/* First pass: the largest integrity; second: the costliest cipher
	 * with it (an AEAD cipher ignores it). */
	for (struct str r = rest; str_next(&r, '-', &tok);) {
		enum proposal_token k = transform_parse_token(tok, &tr, &in);
		if (k == PTOK_UNKNOWN)
			return false;
		if (k == PTOK_INTEG && integ_icv(in) > integ_icv(worst))
			worst = in;
	}
	while (str_next(&rest, '-', &tok)) {
		if (transform_parse_token(tok, &tr, &in) != PTOK_CIPHER)
			continue;
		if (!any || transform_weight(&tr, worst) >
				transform_weight(&best, worst))
			best = tr;
		any = true;
	}
	if (!any)
		return false;
	*t = best;
	*i = transform_is_aead(&best) ? INTEG_NONE : worst;
	return true;
}

bool
transform_parse_cipher(const char *s, struct transform *t)
{
	static const struct {
		const char *s;
		struct transform t;
	} names[] = {
	    {"aes-cbc", {CIPHER_AES_CBC, 0, 0}},
	    {"aes-cbc-128", {CIPHER_AES_CBC, 128, 0}},
	    {"aes-cbc-192", {CIPHER_AES_CBC, 192, 0}},
	    {"aes-cbc-256", {CIPHER_AES_CBC, 256, 0}},
	    {"aes-gcm-8", {CIPHER_AES_GCM, 0, 8}},
	    {"aes-gcm-12", {CIPHER_AES_GCM, 0, 12}},
	    {"aes-gcm-16", {CIPHER_AES_GCM, 0, 16}},
	    {"aes-ccm-8", {CIPHER_AES_CCM, 0, 8}},
	    {"aes-ccm-12", {CIPHER_AES_CCM, 0, 12}},
	    {"aes-ccm-16", {CIPHER_AES_CCM, 0, 16}},
	    {"chacha20-poly1305", {CIPHER_CHACHA20_POLY1305, 256, 16}},
	};
	for (unsigned k = 0; k < sizeof(names) / sizeof(*names); k++)
		if (strcmp(s, names[k].s) == 0) {
			*t = names[k].t;
			return true;
		}
	enum integ unused;
	return transform_parse_token(str_from(s), t, &unused) == PTOK_CIPHER;
}

bool
transform_parse_integ(const char *s, enum integ *i)
{
	struct transform unused;
	if (strcmp(s, "none") == 0) {
		*i = INTEG_NONE;
		return true;
	}
	if (strcmp(s, "aes-xcbc") == 0) {
		*i = INTEG_AES_XCBC;
		return true;
	}
	if (strncmp(s, "hmac-", 5) == 0 || strncmp(s, "hmac_", 5) == 0)
		s += 5;
	return transform_parse_token(str_from(s), &unused, i) == PTOK_INTEG;
}

/* WAN MTU of the phase 1 interface (doc/behaviour/pfsense.md §1.2: an interface
 * key, or a VIP / gateway group we cannot follow here). */
static void
eval_mtu(const struct site *s, const struct phase1 *p1, struct esp_p2_eval *e)
{
	const struct iface *f = p1 ? site_iface(s, p1->iface) : NULL;
	e->mtu = 1500;
	if (f == NULL)
		e->mtu_note = "interface unknown";
	else if (f->mtu == 0)
		e->mtu_note = "default";
	else
		e->mtu = f->mtu;
}

/* Keeps p when it fits less than the case's current worst. */
static void
eval_consider(struct esp_p2_eval *e, struct esp_params p)
{
	for (int n = 0; n < 2; n++) {
		p.natt = n == 1 && !p.ah;
		unsigned inner = esp_max_inner(&p, e->mtu);
		if (e->ncosted == 0 || inner < e->max_inner[n]) {
			e->worst[n] = p;
			e->max_inner[n] = inner;
			e->mss[n] = esp_mss(&p, e->mtu);
		}
	}
	e->ncosted++;
}

/* Every integrity algorithm with one cipher (AEAD: none of them). */
static void
eval_cipher(const struct phase2 *p2, struct esp_params p, struct esp_p2_eval *e)
{
	struct esp_cost c;
	if (!p.ah && !esp_cost_of(&p, &c)) {
		e->nunknown++;
		return;
	}
	if ((!p.ah && transform_is_aead(&p.enc)) || p2->ninteg == 0) {
		p.integ = INTEG_NONE;
		eval_consider(e, p);
		return;
	}
	for (size_t j = 0; j < p2->ninteg; j++) {
		p.integ = p2->integ[j];
		eval_consider(e, p);
	}
}

bool
esp_eval_phase2(const struct site *s, const struct phase2 *p2,
		struct esp_p2_eval *e)
{
	return esp_eval_phase2_mtu(s, p2, 0, e);
}

bool
esp_eval_phase2_mtu(const struct site *s, const struct phase2 *p2, unsigned mtu,
		    struct esp_p2_eval *e)
{
	const struct phase1 *p1 = p2->p1;
	memset(e, 0, sizeof(*e));
	e->p2 = p2;
	eval_mtu(s, p1, e);
	if (mtu) {
		e->mtu = mtu;
		e->mtu_note = "given";
	}
	/* the one encapsulation decision (esp_encap_of) */
	e->natt_forced = esp_encap_of(s, p1).natt;

	struct esp_params p = {0};
	p.outer_v6 = p1 && p1->outer_fam == FAM_V6;
	p.tunnel = p2->mode != P2_TRANSPORT;
	if (p2->mode == P2_TUNNEL6)
		p.inner_v6 = true;
	else if (p2->mode == P2_TRANSPORT)
		p.inner_v6 = p.outer_v6; /* the outer header is the inner one */
	else if (p2->mode == P2_VTI && p2->local.resolved)
		p.inner_v6 = p2->local.net.addr.fam == FAM_V6;
	p.ah = p2->proto == PROTO_AH;
	if (p.ah) {
		eval_cipher(p2, p, e);
	} else {
		for (size_t k = 0; k < p2->nenc; k++) {
			p.enc = p2->enc[k];
			eval_cipher(p2, p, e);
		}
	}
	return e->ncosted > 0;
}

unsigned
esp_site_maxmss(const struct site *s)
{
	if (!s->flags.maxmss_enable)
		return 0;
	return s->flags.maxmss ? s->flags.maxmss : 1400;
}

const char *
esp_maxmss_gap(const struct phase2 *p2)
{
	/* filter_get_vpns_list(): enabled non-mobile, non-transport P2
	 * remote networks, 0.0.0.0/0 and ::/0 skipped, VTI = peer /32. */
	if (p2->mode == P2_TRANSPORT)
		return "transport mode is not in <vpn_networks>";
	if (p2->mode == P2_VTI)
		return "VTI: clamp with the MSS of its ipsecN interface";
	if (p2->remote.resolved && p2->remote.net.len == 0)
		return "remote default route is not in <vpn_networks>";
	return NULL;
}

struct esp_encap
esp_encap_of(const struct site *s, const struct phase1 *p1)
{
	(void)s;
	/* the engine's verdict (engine/natt.c: capture, SA status, IKE log,
	 * both configs); before it has run, only natt=force is known to
	 * encapsulate (doc/behaviour/mss.md §5) */
	if (p1 && p1->natt_decided)
		return (struct esp_encap){p1->natt_in_use, p1->natt_why};
	if (p1 && p1->natt && strcmp(p1->natt, "force") == 0)
		return (struct esp_encap){true, "NAT-T forced on phase 1"};
	return (struct esp_encap){false, "no NAT assumed"};
}

/* kernel-libipsec's TUN device ipsec0: 1400 unless ip addr says
 * (doc/behaviour/mss.md §4). */
enum { LIBIPSEC_MTU = 1400 };

/* Does a route send p2's remote network out of device f? */
static bool
routed_via(const struct site *s, const struct iface *f, const struct phase2 *p2)
{
	for (size_t i = 0; i < s->nroutes; i++)
		if (s->routes[i].iface &&
		    strcmp(s->routes[i].iface, f->key) == 0 &&
		    s->routes[i].net.len > 0 &&
		    prefix_overlaps(&s->routes[i].net, &p2->remote.net))
			return true;
	return false;
}

/* The Linux device that carries p2's inner packets, or NULL:
 * kernel-libipsec's ipsec0, or an xfrm/vti device routing to it. */
static const struct iface *
tunnel_dev(const struct site *s, const struct phase2 *p2)
{
	if (s->kind != SITE_LINUX)
		return NULL;
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface *f = &s->ifaces[i];
		if (f->role == ROLE_ENC ||
		    (f->role == ROLE_VTI &&
		     (p2->mode == P2_VTI || routed_via(s, f, p2))))
			return f;
	}
	return NULL;
}

bool
esp_p2_limit(const struct site *s, const struct phase2 *p2,
	     struct esp_limit *out)
{
	memset(out, 0, sizeof(*out));
	out->enc = esp_encap_of(s, p2->p1);
	if (!esp_eval_phase2(s, p2, &out->ev))
		return false;
	bool ah = out->ev.worst[0].ah;
	out->mss = out->ev.mss[out->enc.natt && !ah ? 1 : 0];
	const struct iface *f = tunnel_dev(s, p2);
	if (f == NULL)
		return true;
	out->dev = f->dev ? f->dev : f->key;
	out->dev_mtu = f->mtu;
	if (f->mtu == 0 && f->role == ROLE_ENC) {
		out->dev_mtu = LIBIPSEC_MTU;
		out->dev_mtu_assumed = true;
	}
	unsigned hdr = out->ev.worst[0].inner_v6 ? 60 : 40;
	if (out->dev_mtu > hdr && out->dev_mtu - hdr < out->mss)
		out->mss = out->dev_mtu - hdr;
	return true;
}
