/* AWS Site-to-Site VPN's downloadable configuration, device types
 * "Generic" (vendor agnostic) and "pfSense": numbered tunnel sections
 * ("IPSec Tunnel #1"), each with IKE and IPsec parameters as
 * "label : value" lines, outside and inside addresses, and BGP or static
 * routing (doc/behaviour/cloud-and-linux.md §1). Labels are matched
 * case-insensitively with list markers ("-", "a.") and comment marks
 * ("#", "!") stripped, so both layouts and older files read alike. The
 * pre-shared key's value is never kept. */
#include <ctype.h>
#include <string.h>

#include "import/cloud/cloud.h"
#include "import/linux/linux.h"

enum aws_sec { SEC_NONE, SEC_IKE, SEC_ESP, SEC_IFACE, SEC_BGP, SEC_STATIC };
enum aws_blk { BLK_NONE, BLK_OUTSIDE, BLK_INSIDE };

struct aws {
	struct arena *ar;
	const char *path;
	struct cloud_vpn *v;
	struct cloud_tunnel *t; /* current tunnel, NULL before the first */
	enum aws_sec sec;
	enum aws_blk blk;
	bool any_iface;
	size_t nbad;
};

/* "  - Pre-Shared Key : x", "# Your VPN Connection ID : vpn-1",
 * " b. Key Exchange version :V1" -> the text after the markers. */
static struct str
strip_markers(struct str l)
{
	for (;;) {
		l = str_trim(l);
		if (l.n && (l.p[0] == '#' || l.p[0] == '!' || l.p[0] == '-' ||
			    l.p[0] == '*')) {
			l.p++, l.n--;
			continue;
		}
		if (l.n > 2 && isalpha((unsigned char)l.p[0]) &&
		    l.p[1] == '.' && l.p[2] == ' ') {
			l.p += 2, l.n -= 2;
			continue;
		}
		return l;
	}
}

static bool
contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* Headings move between sections and blocks; true when l is one. */
static bool
aws_heading(struct aws *a, const char *k, const struct srcloc *loc)
{
	const char *t = strstr(k, "ipsec tunnel #");
	if (t) {
		struct str num = str_from(t + 14);
		unsigned n = cloud_first_num(num);
		if (n == 0 || n > 16)
			return true;
		a->t = cloud_tunnel(a->ar, a->v, n, loc);
		a->sec = SEC_NONE;
		a->blk = BLK_NONE;
		return true;
	}
	if (contains(k, "internet key exchange") ||
	    contains(k, "phase 1 proposal") || contains(k, "phase1 proposal"))
		a->sec = SEC_IKE;
	else if (contains(k, "ipsec configuration") ||
		 contains(k, "phase 2 proposal") ||
		 contains(k, "phase2 proposal"))
		a->sec = SEC_ESP;
	else if (contains(k, "tunnel interface configuration"))
		a->sec = SEC_IFACE, a->any_iface = true;
	else if (contains(k, "border gateway protocol") ||
		 contains(k, "bgp configuration"))
		a->sec = SEC_BGP;
	else if (contains(k, "static rout"))
		a->sec = SEC_STATIC;
	else if (contains(k, "outside ip address"))
		a->blk = BLK_OUTSIDE;
	else if (contains(k, "inside ip address"))
		a->blk = BLK_INSIDE;
	else
		return false;
	if (a->t && (a->sec == SEC_BGP || a->sec == SEC_STATIC)) {
		a->v->routing_stated = true;
		a->v->bgp = a->sec == SEC_BGP;
	}
	return true;
}

/* "169.254.44.2/30" with its host part kept. */
static bool
ifaddr_parse(struct str v, struct ifaddr *out)
{
	struct str a, len;
	if (!str_split(str_trim(v), '/', &a, &len))
		return false;
	uint64_t n;
	if (!ipaddr_parse(str_trim(a), &out->addr) ||
	    !str_to_u64(str_trim(len), fam_bits(out->addr.fam), &n))
		return false;
	out->plen = (uint8_t)n;
	return true;
}

static void
bad_value(struct aws *a, const struct srcloc *loc, const char *what,
	  struct str v)
{
	diag(DIAG_WARNING, loc, "%s '%s' is not an address; ignored", what,
	     cloud_printable(a->ar, str_trim(v)));
	a->nbad++;
}

/* Outside / inside addresses and the pfSense layout's Remote Gateway. */
static bool
aws_address(struct aws *a, const char *k, struct str v,
	    const struct srcloc *loc)
{
	struct cloud_tunnel *t = a->t;
	bool cgw = strcmp(k, "customer gateway") == 0;
	bool cloud = strcmp(k, "virtual private gateway") == 0 ||
		     strcmp(k, "transit gateway") == 0 ||
		     strcmp(k, "remote gateway") == 0;
	if (!cgw && !cloud)
		return false;
	if (a->blk == BLK_INSIDE) {
		struct ifaddr *x = cgw ? &t->inside_onprem : &t->inside_cloud;
		if (!ifaddr_parse(v, x))
			bad_value(a, loc, "inside address", v);
		else
			t->has_inside = true, t->inside_loc = *loc;
		return true;
	}
	struct ipaddr ip;
	if (!ipaddr_parse(str_trim(v), &ip)) {
		bad_value(a, loc, "outside address", v);
		return true;
	}
	if (cgw) {
		t->onprem_ip = ip, t->has_onprem_ip = true;
	} else {
		t->cloud_ip = ip, t->has_cloud_ip = true;
		t->cloud_ip_loc = *loc;
	}
	return true;
}

static void
aws_param(struct aws *a, const char *k, struct str v, const struct srcloc *loc)
{
	struct cloud_tunnel *t = a->t;
	struct cloud_params *p = a->sec == SEC_ESP ? &t->esp : &t->ike;
	bool in_params = a->sec == SEC_IKE || a->sec == SEC_ESP;
	if (contains(k, "pre-shared key")) {
		t->has_psk = str_trim(v).n > 0; /* the value is never kept */
	} else if (strcmp(k, "ike version") == 0 ||
		   strcmp(k, "key exchange version") == 0) {
		t->ikever = cloud_first_num(v) == 2 ? 2 : 1;
	} else if (in_params && (strcmp(k, "authentication algorithm") == 0 ||
				 contains(k, "hash algorithm"))) {
		p->integ = cloud_norm_integ(a->ar, v), p->loc = *loc;
	} else if (in_params && contains(k, "encryption algorithm")) {
		p->enc = cloud_norm_enc(a->ar, v), p->loc = *loc;
	} else if (in_params && strcmp(k, "lifetime") == 0) {
		p->lifetime = cloud_first_num(v);
	} else if (in_params && (strcmp(k, "diffie-hellman") == 0 ||
				 contains(k, "dh key group") ||
				 contains(k, "perfect forward secrecy") ||
				 contains(k, "pfs key group"))) {
		p->dh = cloud_first_num(v);
	} else if (contains(k, "customer gateway asn")) {
		t->bgp_asn_onprem = cloud_first_num(v);
	} else if (contains(k, "gateway asn")) {
		t->bgp_asn_cloud = cloud_first_num(v);
	} else if (contains(k, "tunnel interface mtu")) {
		t->mtu = cloud_first_num(v);
	} else if (contains(k, "tcp mss adjustment")) {
		t->mss = cloud_first_num(v);
	} else {
		aws_address(a, k, v, loc);
	}
}

static void
aws_line(struct aws *a, struct str line, uint32_t lineno)
{
	struct str l = strip_markers(line), k, v;
	struct srcloc loc = {
	    .file = a->path, .line = lineno, .col = lx_col(line, l.p)};
	if (l.n == 0)
		return;
	bool kv = str_split(l, ':', &k, &v) && str_trim(v).n > 0;
	/* "#1: Internet Key Exchange Configuration" is a heading */
	if (kv && cloud_first_num(k) &&
	    strspn(lx_dup(a->ar, str_trim(k)), "0123456789") == str_trim(k).n)
		kv = false;
	const char *key = cloud_key(a->ar, kv ? k : l);
	if (!kv || strstr(key, "ipsec tunnel #")) {
		aws_heading(a, key, &loc);
		return;
	}
	if (strcmp(key, "your vpn connection id") == 0) {
		a->v->id = lx_dup(a->ar, str_trim(v));
		return;
	}
	if (a->t)
		aws_param(a, key, v, &loc);
}

/* A tunnel the file names but says nothing usable about (truncated). */
static void
aws_tunnels_check(struct aws *a)
{
	for (size_t i = 0; i < a->v->ntun; i++) {
		struct cloud_tunnel *t = &a->v->tun[i];
		if (!t->has_cloud_ip)
			diag(DIAG_WARNING, &t->loc,
			     "tunnel #%u states no AWS "
			     "outside address (file truncated?): it is not "
			     "compared with the other end",
			     t->n);
	}
}

bool
cloud_parse_aws(struct arena *ar, const char *path, const char *buf, size_t len,
		struct cloud_vpn *out)
{
	memset(out, 0, sizeof(*out));
	out->provider = CLOUD_AWS;
	out->loc = (struct srcloc){.file = path, .line = 1, .col = 1};
	struct aws a = {.ar = ar, .path = path, .v = out};
	struct lx_lines it;
	struct str line;
	lx_lines_init(&it, buf, len);
	bool pfsense_layout = false;
	while (lx_lines_next(&it, &line)) {
		if (line.n > LX_MAX_LINE) {
			struct srcloc loc = {path, it.lineno, 1, 0};
			diag(DIAG_ERROR, &loc, "line longer than %d bytes",
			     LX_MAX_LINE);
			return false;
		}
		pfsense_layout = pfsense_layout ||
				 memmem(line.p, line.n, "Remote Gateway", 14);
		aws_line(&a, line, it.lineno);
	}
	if (out->ntun == 0) {
		diag(DIAG_ERROR, &out->loc,
		     "no 'IPSec Tunnel #N' section: not "
		     "an AWS Site-to-Site VPN configuration (or truncated)");
		return false;
	}
	out->format = pfsense_layout ? "pfSense" : "generic";
	/* a tunnel interface with inside addresses: route-based (VTI) */
	out->route_based = a.any_iface && out->tun[0].has_inside;
	aws_tunnels_check(&a);
	return true;
}
