/* swanctl connections and children -> phase 1 / phase 2 (swanctl_map.h),
 * strongSwan 5.9 / 6.x settings semantics. */
#include <stdlib.h>
#include <string.h>

#include "import/linux/linux.h"
#include "import/strongswan/swanctl_map.h"

/* The first address of a comma list ("192.0.2.1, %any"). */
static bool
first_addr(const char *list, struct ipaddr *out)
{
	struct str rest = str_from(list), tok;
	if (!str_next(&rest, ',', &tok))
		return false;
	return ipaddr_parse(str_trim(tok), out);
}

/* A swanctl time ("4h", "30m", "90s", "3600"), def when absent or bad. */
static unsigned
swc_secs(const char *t, unsigned def)
{
	if (t == NULL)
		return def;
	struct str s = str_trim(str_from(t));
	unsigned mul = 1;
	if (s.n && (s.p[s.n - 1] == 's' || s.p[s.n - 1] == 'm' ||
		    s.p[s.n - 1] == 'h' || s.p[s.n - 1] == 'd')) {
		char u = s.p[--s.n];
		mul = u == 'm' ? 60 : u == 'h' ? 3600 : u == 'd' ? 86400 : 1;
	}
	uint64_t v;
	if (!str_to_u64(s, UINT32_MAX / 86400, &v))
		return def;
	return (unsigned)v * mul;
}

/* strongSwan's reading of an untyped identity (identification.c
 * identification_create_from_string(), ike-parameters.md §6): an
 * address, "@x" an FQDN, "a@b" an e-mail, "k=v,..." a DN, else FQDN. */
const char *
swc_id(struct arena *ar, const char *id)
{
	if (id == NULL)
		return NULL; /* default: the IKE address, filled in later */
	struct ipaddr a;
	if (strcmp(id, "%any") == 0)
		return "any";
	if (ipaddr_parse(str_from(id), &a))
		return arena_printf(ar, "address:%s", ipaddr_str(ar, &a));
	static const char *const typed[] = {
	    "fqdn:",  "userfqdn:", "email:", "asn1dn:",
	    "keyid:", "ipv4:",	   "ipv6:",  "dns:"};
	for (size_t i = 0; i < sizeof(typed) / sizeof(*typed); i++)
		if (strncmp(id, typed[i], strlen(typed[i])) == 0) {
			const char *v = id + strlen(typed[i]);
			const char *t =
			    i == 2	       ? "userfqdn"
			    : i == 5 || i == 6 ? "address"
			    : i == 7	       ? "fqdn"
					       : arena_strndup(ar, typed[i],
							       strlen(typed[i]) - 1);
			return arena_printf(ar, "%s:%s", t, v);
		}
	if (strchr(id, '='))
		return arena_printf(ar, "asn1dn:%s", id);
	if (id[0] == '@' && id[1] == '#')
		return arena_printf(ar, "keyid:%s", id + 2);
	if (id[0] == '@')
		return arena_printf(ar, "fqdn:%s", id + 1);
	if (strchr(id, '@'))
		return arena_printf(ar, "userfqdn:%s", id);
	return arena_printf(ar, "fqdn:%s", id);
}

/* Public key authentication in any of its spellings: pubkey, rsa,
 * ecdsa, ed25519, ed448, rsa/pss, with key strength or hash constraints
 * (rsa-sha384, ike:pubkey-sha256, ecdsa-384), swanctl.opt
 * local<suffix>.auth, remote<suffix>.auth
 * (doc/behaviour/real-bundles.md §4): one method, "cert";
 * the constraints only choose the signature scheme. */
static bool
swc_pubkey_auth(const char *au)
{
	static const char *const kinds[] = {"pubkey",  "rsa",	"ecdsa",
					    "ed25519", "ed448", "bliss"};
	if (strncmp(au, "ike:", 4) == 0)
		au += 4;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		size_t k = strlen(kinds[i]);
		if (strncmp(au, kinds[i], k) == 0 &&
		    (au[k] == '\0' || au[k] == '-' || au[k] == '/'))
			return true;
	}
	return false;
}

size_t
swc_phase1(struct arena *ar, struct site *s, const struct swc_conn *c)
{
	struct phase1 *p1 = ARENA_PUSH(ar, s->p1, s->np1, s->cp1);
	p1->ikeid = c->name;
	p1->descr = c->descr;
	p1->loc = c->loc;
	uint64_t v;
	if (c->version && str_to_u64(str_from(c->version), 2, &v))
		p1->ikever = (unsigned)v;
	else if (c->version)
		diag(DIAG_WARNING, &c->version_loc,
		     "version '%s' is not 0, 1 "
		     "or 2",
		     c->version);
	if (c->remote_addrs) {
		p1->remote = c->remote_addrs;
		p1->peer_known = first_addr(c->remote_addrs, &p1->peer);
	} else {
		p1->remote = "%any";
	}
	if (c->local_addrs)
		p1->local_known = first_addr(c->local_addrs, &p1->local);
	p1->outer_fam = p1->peer_known	  ? p1->peer.fam
			: p1->local_known ? p1->local.fam
					  : FAM_V4;
	p1->proposals = c->proposals; /* as written, for show */
	p1->ike.proto = PROP_IKE;
	p1->ike.loc = c->loc;
	struct str bad = {0};
	if (c->proposals &&
	    !proposals_parse(ar, c->proposals, PROP_IKE, &p1->ike, &bad))
		proposals_warn(&c->loc, "proposals", bad);
	if (c->ids_known) { /* swanctl.opt: local.id = the IKE address,
			     * remote.id = %any (ike-parameters.md §6) */
		const char *au = c->local_auth ? c->local_auth : "pubkey";
		/* no id with a certificate: charon sends its subject
		 * (ike_auth.c determine_default_id()), unknown offline */
		p1->myid = c->local_id		 ? swc_id(ar, c->local_id)
			   : swc_pubkey_auth(au) ? NULL
			   : p1->local_known
			       ? arena_printf(ar, "address:%s",
					      ipaddr_str(ar, &p1->local))
			       : NULL;
		p1->peerid = c->remote_id ? swc_id(ar, c->remote_id) : "any";
		p1->auth = strcmp(au, "psk") == 0 ? "psk"
			   : swc_pubkey_auth(au)  ? "cert"
						  : au;
	}
	p1->id_loc = p1->psk_loc = p1->start_loc = p1->dpd_loc = c->loc;
	p1->rekey = swc_secs(c->rekey_time, 14400);
	p1->reauth = swc_secs(c->reauth_time, 0);
	p1->dpd_delay = swc_secs(c->dpd_delay, 0);
	p1->ver_loc = c->version_loc.file ? c->version_loc : c->loc;
	if (c->encap && strcmp(c->encap, "yes") == 0)
		p1->natt = "force";
	p1->mobile = !p1->peer_known; /* %any or a name */
	return s->np1 - 1;
}

static void
selector(struct str ts, const struct ipaddr *own, bool own_known,
	 struct arena *ar, struct selector *sel)
{
	sel->text = lx_dup(ar, ts);
	if (str_eq(ts, "dynamic") || ts.n == 0) {
		sel->type = "address";
		sel->resolved = own_known;
		if (own_known)
			sel->net = prefix_make(*own, fam_bits(own->fam));
		return;
	}
	sel->type = "network";
	sel->resolved = lx_parse_ts(ts, &sel->net);
}

static bool
to_u32(const char *text, unsigned *out)
{
	uint64_t v;
	if (text == NULL || !str_to_u64(str_from(text), UINT32_MAX, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

/* "42", "0x2a", "0x2a/0xff" (value/mask, mask 0xffffffff when absent);
 * false for none, %unique, %unique-dir, %same (set per SA at run time)
 * and anything else (swanctl.conf(5) mark_in; ipsec.conf(5) mark). */
static bool
mark_num(struct str w, uint32_t *out)
{
	char b[16];
	if (w.n == 0 || w.n >= sizeof(b))
		return false;
	memcpy(b, w.p, w.n);
	b[w.n] = '\0';
	char *end;
	unsigned long v = strtoul(b, &end, 0);
	if (*end || v > 0xffffffffUL || b[0] == '-')
		return false;
	*out = (uint32_t)v;
	return true;
}

bool
swc_mark(const char *text, uint32_t *value, uint32_t *mask)
{
	struct str v, m;
	if (text == NULL)
		return false;
	if (!str_split(str_trim(str_from(text)), '/', &v, &m))
		m = (struct str){"0xffffffff", 10};
	return mark_num(str_trim(v), value) && mark_num(str_trim(m), mask);
}

static void
child_p2(struct arena *ar, struct site *s, size_t p1idx,
	 const struct swc_child *ch, struct str lts, struct str rts,
	 const struct ipaddr *local, bool local_known)
{
	const struct phase1 *p1 = &s->p1[p1idx];
	struct phase2 *p2 = ARENA_PUSH(ar, s->p2, s->np2, s->cp2);
	p2->ikeid = p1->ikeid;
	p2->descr = ch->name;
	p2->uniqid = ch->uniqid;
	p2->loc = ch->loc;
	p2->proto = PROTO_ESP;
	selector(lts, local, local_known, ar, &p2->local);
	selector(rts, &p1->peer, p1->peer_known, ar, &p2->remote);
	const char *mode = ch->mode ? ch->mode : "tunnel";
	p2->mode = strcmp(mode, "transport") == 0 ? P2_TRANSPORT
		   : p2->local.resolved && p2->local.net.addr.fam == FAM_V6
		       ? P2_TUNNEL6
		       : P2_TUNNEL;
	p2->esp.proto =
	    ch->ah_proposals && !ch->esp_proposals ? PROP_AH : PROP_ESP;
	p2->esp.loc = ch->loc;
	if (ch->esp_proposals || ch->ah_proposals)
		proposals_parse(ar,
				ch->esp_proposals ? ch->esp_proposals
						  : ch->ah_proposals,
				p2->esp.proto, &p2->esp, NULL);
	if (ch->esp_proposals)
		lx_parse_esp_proposals(ar, str_from(ch->esp_proposals), p2);
	else if (ch->ah_proposals) {
		p2->proto = PROTO_AH;
		lx_parse_esp_proposals(ar, str_from(ch->ah_proposals), p2);
	}
	to_u32(ch->reqid, &p2->reqid);
	p2->rekey = swc_secs(ch->rekey_time, 3600);
	p2->dpd_action = ch->dpd_action;
	p2->close_action = ch->close_action;
	p2->start_action = ch->start_action;
	/* if_id (strongSwan 5.8+): route-based via an XFRM interface */
	to_u32(ch->if_id_in, &p2->if_id_in);
	to_u32(ch->if_id_out, &p2->if_id_out);
	if (p2->if_id_in || p2->if_id_out)
		p2->mode = P2_VTI;
	p2->has_mark_in =
	    swc_mark(ch->mark_in, &p2->mark_in, &p2->mark_in_mask);
	p2->has_mark_out =
	    swc_mark(ch->mark_out, &p2->mark_out, &p2->mark_out_mask);
}

size_t
swc_children(struct arena *ar, struct site *s, size_t p1idx,
	     const struct swc_child *ch, const struct ipaddr *local,
	     bool local_known)
{
	if (ch->mode &&
	    (strcmp(ch->mode, "pass") == 0 || strcmp(ch->mode, "drop") == 0)) {
		diag(DIAG_NOTE, &ch->loc,
		     "child '%s' is a %s shunt, not a "
		     "tunnel",
		     ch->name, ch->mode);
		return 0;
	}
	/* Several selectors: one phase 2 per (local, remote) pair, all
	 * with the child's name in descr; a ceiling on hostile lists. */
	size_t n = 0;
	struct str ll = str_from(ch->local_ts ? ch->local_ts : "dynamic"), lt;
	while (str_next(&ll, ',', &lt)) {
		struct str rl = str_from(ch->remote_ts ? ch->remote_ts
						       : "dynamic"),
			   rt;
		while (str_next(&rl, ',', &rt)) {
			if (n == SWC_MAX_PAIRS) {
				diag(DIAG_WARNING, &ch->loc,
				     "child '%s': more "
				     "than %d local x remote selector pairs, "
				     "only the first %d are read",
				     ch->name, SWC_MAX_PAIRS, SWC_MAX_PAIRS);
				return n;
			}
			child_p2(ar, s, p1idx, ch, str_trim(lt), str_trim(rt),
				 local, local_known);
			n++;
		}
	}
	return n;
}
