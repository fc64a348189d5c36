/* ipsecdiag's cloud peer profile: "key = value" lines for what a cloud
 * console shows, for providers without a generic download (Azure VPN
 * Gateway, Google Cloud VPN) and for AWS. The first setting must be
 * "provider = aws|azure|gcp"; keys are documented in ipsecdiag(1), CLOUD
 * VPN PEERS. Per-tunnel keys are "tunnelN.key" (N = 1..16); unprefixed
 * tunnel keys mean tunnel 1. Azure's own names (VpnType,
 * UsePolicyBasedTrafficSelectors, EnableBgp) are accepted too. */
#include <ctype.h>
#include <string.h>

#include "import/cloud/cloud.h"
#include "import/linux/linux.h"

struct kv {
	struct arena *ar;
	struct cloud_vpn *v;
	struct cloud_params ike, esp; /* connection-wide, for every tunnel */
	unsigned ikever;
	struct srcloc loc;
};

/* "UsePolicyBased-Traffic Selectors" -> "usepolicybased_trafficselectors" */
static const char *
kv_key(struct arena *ar, struct str k)
{
	char *o = arena_alloc(ar, k.n + 1);
	size_t n = 0;
	for (size_t i = 0; i < k.n; i++) {
		unsigned char c = (unsigned char)k.p[i];
		if (c == ' ' || c == '\t')
			continue;
		o[n++] = c == '-' ? '_' : (char)tolower(c);
	}
	o[n] = '\0';
	return o;
}

static bool
kv_bool(struct str v, bool *out)
{
	v = str_trim(v);
	static const char *const yes[] = {"yes", "true", "1", "on"};
	static const char *const no[] = {"no", "false", "0", "off"};
	for (size_t i = 0; i < 4; i++) {
		if (v.n == strlen(yes[i]) && strncasecmp(v.p, yes[i], v.n) == 0)
			return *out = true, true;
		if (v.n == strlen(no[i]) && strncasecmp(v.p, no[i], v.n) == 0)
			return *out = false, true;
	}
	return false;
}

static bool
kv_nets(struct kv *c, struct str v, bool cloud)
{
	struct str tok;
	while (str_next(&v, ',', &tok)) {
		struct prefix p;
		if (str_trim(tok).n == 0)
			continue;
		if (!prefix_parse(str_trim(tok), &p, NULL))
			return false;
		if (cloud)
			*ARENA_PUSH(c->ar, c->v->cloud_nets, c->v->ncloud,
				    c->v->ccloud) = p;
		else
			*ARENA_PUSH(c->ar, c->v->onprem_nets, c->v->nonprem,
				    c->v->conprem) = p;
	}
	c->v->ts_loc = c->loc;
	return true;
}

static bool
kv_params(struct kv *c, const char *k, struct str v)
{
	struct cloud_params *ike = &c->ike, *esp = &c->esp;
	if (!strcmp(k, "ike_encryption"))
		ike->enc = cloud_norm_enc(c->ar, v), ike->loc = c->loc;
	else if (!strcmp(k, "ike_integrity"))
		ike->integ = cloud_norm_integ(c->ar, v), ike->loc = c->loc;
	else if (!strcmp(k, "dh_group") || !strcmp(k, "dhgroup"))
		ike->dh = cloud_first_num(v);
	else if (!strcmp(k, "ike_lifetime"))
		ike->lifetime = cloud_first_num(v);
	else if (!strcmp(k, "esp_encryption") || !strcmp(k, "ipsec_encryption"))
		esp->enc = cloud_norm_enc(c->ar, v), esp->loc = c->loc;
	else if (!strcmp(k, "esp_integrity") || !strcmp(k, "ipsec_integrity"))
		esp->integ = cloud_norm_integ(c->ar, v), esp->loc = c->loc;
	else if (!strcmp(k, "pfs_group") || !strcmp(k, "pfsgroup"))
		esp->dh = cloud_first_num(v);
	else if (!strcmp(k, "esp_lifetime") || !strcmp(k, "sa_lifetime"))
		esp->lifetime = cloud_first_num(v);
	else if (!strcmp(k, "ike_version") || !strcmp(k, "connection_protocol"))
		c->ikever = cloud_first_num(v) == 1 ? 1 : 2;
	else
		return false;
	return true;
}

static bool
kv_tunnel_key(struct kv *c, struct cloud_tunnel *t, const char *k, struct str v)
{
	struct str tv = str_trim(v);
	if (!strcmp(k, "cloud_ip") || !strcmp(k, "gateway_ip")) {
		t->cloud_ip_loc = c->loc;
		return t->has_cloud_ip = ipaddr_parse(tv, &t->cloud_ip);
	}
	if (!strcmp(k, "onprem_ip"))
		return t->has_onprem_ip = ipaddr_parse(tv, &t->onprem_ip);
	if (!strcmp(k, "inside_cloud") || !strcmp(k, "inside_onprem")) {
		struct ifaddr *x = !strcmp(k, "inside_cloud")
				       ? &t->inside_cloud
				       : &t->inside_onprem;
		struct str a, l;
		uint64_t n;
		if (!str_split(tv, '/', &a, &l) ||
		    !ipaddr_parse(str_trim(a), &x->addr) ||
		    !str_to_u64(str_trim(l), fam_bits(x->addr.fam), &n))
			return false;
		x->plen = (uint8_t)n;
		t->inside_loc = c->loc;
		return t->has_inside = true;
	}
	if (!strcmp(k, "shared_key") || !strcmp(k, "psk")) {
		t->has_psk = tv.n > 0; /* never kept */
		return true;
	}
	if (!strcmp(k, "bgp_asn_cloud") || !strcmp(k, "bgp_asn_onprem")) {
		unsigned *asn = !strcmp(k, "bgp_asn_cloud")
				    ? &t->bgp_asn_cloud
				    : &t->bgp_asn_onprem;
		return (*asn = cloud_first_num(tv)) != 0;
	}
	return false;
}

static bool
is_tunnel_key(const char *k)
{
	static const char *const keys[] = {
	    "cloud_ip",	    "gateway_ip",    "onprem_ip",
	    "inside_cloud", "inside_onprem", "shared_key",
	    "psk",	    "bgp_asn_cloud", "bgp_asn_onprem"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (strcmp(k, keys[i]) == 0)
			return true;
	return false;
}

/* vpn_type, routing and the Azure selector switch. */
static bool
kv_conn(struct kv *c, const char *k, struct str v)
{
	struct cloud_vpn *cv = c->v;
	char b[32];
	size_t n = 0;
	for (size_t i = 0; i < v.n && n + 1 < sizeof(b); i++)
		if (isalpha((unsigned char)v.p[i]))
			b[n++] = (char)tolower((unsigned char)v.p[i]);
	b[n] = '\0';
	if (!strcmp(k, "vpn_type") || !strcmp(k, "vpntype")) {
		cv->route_stated = true, cv->type_loc = c->loc;
		cv->route_based = !strcmp(b, "routebased");
		return cv->route_based || !strcmp(b, "policybased");
	}
	if (!strcmp(k, "routing")) {
		cv->routing_stated = true;
		cv->bgp = !strcmp(b, "bgp") || !strcmp(b, "dynamic");
		return cv->bgp || !strcmp(b, "static");
	}
	if (!strcmp(k, "enable_bgp") || !strcmp(k, "enablebgp"))
		return cv->routing_stated = kv_bool(v, &cv->bgp);
	if (!strcmp(k, "policy_based_traffic_selectors") ||
	    !strcmp(k, "usepolicybasedtrafficselectors")) {
		cv->ts_loc = c->loc;
		return kv_bool(v, &cv->policy_ts);
	}
	if (!strcmp(k, "name") || !strcmp(k, "connection")) {
		cv->id = lx_dup(c->ar, str_trim(v));
		return true;
	}
	if (!strcmp(k, "cloud_networks") || !strcmp(k, "onprem_networks"))
		return kv_nets(c, v, !strcmp(k, "cloud_networks"));
	return kv_params(c, k, v);
}

static bool
kv_provider(struct kv *c, struct str v)
{
	v = str_trim(v);
	static const struct {
		const char *name;
		enum cloud_provider p;
	} names[] = {{"aws", CLOUD_AWS},
		     {"azure", CLOUD_AZURE},
		     {"gcp", CLOUD_GCP},
		     {"google", CLOUD_GCP}};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (v.n == strlen(names[i].name) &&
		    strncasecmp(v.p, names[i].name, v.n) == 0) {
			c->v->provider = names[i].p;
			return true;
		}
	diag(DIAG_ERROR, &c->loc, "provider '%s' is not aws, azure or gcp",
	     cloud_printable(c->ar, v));
	return false;
}

/* One "key = value" line; false on a line that cannot be understood. */
static bool
kv_line(struct kv *c, struct str k, struct str v, bool first)
{
	for (size_t i = 0; i < k.n; i++)
		if ((unsigned char)k.p[i] < 0x20 ||
		    (unsigned char)k.p[i] >= 0x7f) {
			diag(DIAG_ERROR, &c->loc,
			     "key '%s' is not plain text: "
			     "not a cloud profile",
			     cloud_printable(c->ar, k));
			return false;
		}
	const char *key = kv_key(c->ar, k);
	if (first || !strcmp(key, "provider"))
		return kv_provider(c, v);
	unsigned n = 1;
	if (!strncmp(key, "tunnel", 6) && isdigit((unsigned char)key[6])) {
		n = cloud_first_num(str_from(key + 6));
		const char *dot = strchr(key, '.');
		if (n == 0 || n > 16 || dot == NULL) {
			diag(DIAG_ERROR, &c->loc,
			     "'%s': tunnels are numbered "
			     "1 to 16, as tunnelN.key",
			     key);
			return false;
		}
		key = dot + 1;
	}
	if (is_tunnel_key(key)) {
		struct cloud_tunnel *t = cloud_tunnel(c->ar, c->v, n, &c->loc);
		if (kv_tunnel_key(c, t, key, v))
			return true;
		diag(DIAG_ERROR, &c->loc, "'%s': value '%s' not understood",
		     key, cloud_printable(c->ar, v));
		return false;
	}
	if (kv_conn(c, key, v))
		return true;
	diag(DIAG_WARNING, &c->loc,
	     "'%s' is not a cloud profile key (or its "
	     "value is not understood); ignored",
	     key);
	return true;
}

/* Connection-wide parameters apply to every tunnel that states none. */
static void
kv_finish(struct kv *c)
{
	for (size_t i = 0; i < c->v->ntun; i++) {
		struct cloud_tunnel *t = &c->v->tun[i];
		if (t->ike.enc == NULL && t->ike.integ == NULL && !t->ike.dh)
			t->ike = c->ike;
		if (t->esp.enc == NULL && t->esp.integ == NULL && !t->esp.dh)
			t->esp = c->esp;
		if (t->ikever == 0)
			t->ikever = c->ikever;
		if (!t->has_cloud_ip)
			diag(DIAG_WARNING, &t->loc,
			     "tunnel %u has no cloud_ip: "
			     "it is not compared with the other end",
			     t->n);
	}
}

bool
cloud_parse_kv(struct arena *ar, const char *path, const char *buf, size_t len,
	       struct cloud_vpn *out)
{
	memset(out, 0, sizeof(*out));
	out->format = "key=value";
	out->loc = (struct srcloc){.file = path, .line = 1, .col = 1};
	struct kv c = {.ar = ar, .v = out};
	struct lx_lines it;
	struct str line, k, v;
	bool first = true;
	lx_lines_init(&it, buf, len);
	while (lx_lines_next(&it, &line)) {
		struct str t = str_trim(line);
		c.loc = (struct srcloc){path, it.lineno, lx_col(line, t.p), 0};
		if (line.n > LX_MAX_LINE) {
			diag(DIAG_ERROR, &c.loc, "line longer than %d bytes",
			     LX_MAX_LINE);
			return false;
		}
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (!str_split(t, '=', &k, &v) || str_trim(k).n == 0) {
			diag(DIAG_ERROR, &c.loc, "expected 'key = value'");
			return false;
		}
		if (!kv_line(&c, str_trim(k), str_trim(v), first))
			return false;
		first = false;
	}
	if (out->ntun == 0) {
		diag(DIAG_ERROR, &out->loc,
		     "the profile names no tunnel "
		     "(cloud_ip or tunnelN.cloud_ip)");
		return false;
	}
	kv_finish(&c);
	if (out->provider == CLOUD_AWS && !out->route_stated)
		out->route_based = out->tun[0].has_inside;
	return true;
}
