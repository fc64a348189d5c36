/* Cloud VPN configurations: recognition, the importer and helpers shared
 * by the AWS text parser (cloud_aws.c) and the key=value profile
 * (cloud_kv.c). */
#include <ctype.h>
#include <string.h>

#include "import/cloud/cloud.h"
#include "import/linux/linux.h"

static bool
has_ci(const unsigned char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp((const char *)h + i, needle, k) == 0)
			return true;
	return false;
}

/* "provider = aws" as the first setting (comments and blanks skipped). */
static bool
kv_head(const unsigned char *h, size_t n)
{
	struct str rest = {(const char *)h, n}, line;
	while (str_next(&rest, '\n', &line)) {
		line = str_trim(line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		struct str k, v;
		if (!str_split(line, '=', &k, &v))
			return false;
		k = str_trim(k);
		return k.n == 8 && strncasecmp(k.p, "provider", 8) == 0;
	}
	return false;
}

bool
cloud_recognize(const unsigned char *h, size_t n)
{
	if (kv_head(h, n))
		return true;
	/* AWS's download: its banner and its numbered tunnels */
	return has_ci(h, n, "Amazon Web Services") &&
	       has_ci(h, n, "IPSec Tunnel #");
}

const char *
cloud_printable(struct arena *ar, struct str v)
{
	size_t n = v.n > 60 ? 60 : v.n;
	char *o = arena_alloc(ar, n + 4);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v.p[i];
		o[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (v.n > n)
		memcpy(o + n, "...", 4);
	return o;
}

const char *
cloud_key(struct arena *ar, struct str k)
{
	char *out = arena_alloc(ar, k.n + 1);
	size_t o = 0;
	bool blank = false;
	for (size_t i = 0; i < k.n; i++) {
		unsigned char c = (unsigned char)k.p[i];
		if (c == ' ' || c == '\t') {
			blank = o > 0;
			continue;
		}
		if (blank)
			out[o++] = ' ';
		blank = false;
		out[o++] = (char)tolower(c);
	}
	out[o] = '\0';
	return out;
}

/* Letters and digits only, lower-cased: "AES-128-CBC" -> "aes128cbc". */
static void
compact(struct str v, char *buf, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < v.n && o + 1 < size; i++)
		if (isalnum((unsigned char)v.p[i]))
			buf[o++] = (char)tolower((unsigned char)v.p[i]);
	buf[o] = '\0';
}

const char *
cloud_norm_enc(struct arena *ar, struct str v)
{
	char b[64];
	compact(v, b, sizeof(b));
	static const char *const known[] = {"aes128", "aes192", "aes256"};
	bool gcm = strstr(b, "gcm") != NULL;
	for (size_t i = 0; i < 3; i++)
		if (strncmp(b, known[i], 6) == 0)
			return arena_printf(ar, "%s%s", known[i],
					    gcm ? "gcm" : "");
	if (strstr(b, "3des") || strstr(b, "tripledes") || strstr(b, "des3"))
		return "3des";
	if (strcmp(b, "aes") == 0)
		return "aes128"; /* pfSense's "aes" with no key length */
	return b[0] ? arena_strdup(ar, b) : NULL;
}

const char *
cloud_norm_integ(struct arena *ar, struct str v)
{
	char b[64];
	compact(v, b, sizeof(b));
	static const struct {
		const char *in, *out;
	} map[] = {{"sha2512", "sha512"}, {"sha512", "sha512"},
		   {"sha2384", "sha384"}, {"sha384", "sha384"},
		   {"sha2256", "sha256"}, {"sha256", "sha256"},
		   {"sha196", "sha1"},	  {"sha1", "sha1"},
		   {"md5", "md5"},	  {"gcm", "gcm"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strstr(b, map[i].in))
			return map[i].out;
	return b[0] ? arena_strdup(ar, b) : NULL;
}

unsigned
cloud_first_num(struct str v)
{
	size_t i = 0;
	while (i < v.n && !isdigit((unsigned char)v.p[i]))
		i++;
	unsigned long n = 0;
	for (; i < v.n && isdigit((unsigned char)v.p[i]) && n < 1000000; i++)
		n = n * 10 + (unsigned)(v.p[i] - '0');
	return (unsigned)n;
}

struct cloud_tunnel *
cloud_tunnel(struct arena *ar, struct cloud_vpn *v, unsigned n,
	     const struct srcloc *loc)
{
	for (size_t i = 0; i < v->ntun; i++)
		if (v->tun[i].n == n)
			return &v->tun[i];
	struct cloud_tunnel *t = ARENA_PUSH(ar, v->tun, v->ntun, v->ctun);
	t->n = n;
	t->loc = *loc;
	return t;
}

static const char *
cloud_summary(struct arena *ar, const struct cloud_vpn *v)
{
	unsigned asn = v->ntun ? v->tun[0].bgp_asn_cloud : 0;
	return arena_printf(
	    ar, "%s config (%s)%s%s, %zu tunnel%s, %s%s%s",
	    cloud_provider_name(v->provider), v->format, v->id ? " " : "",
	    v->id ? v->id : "", v->ntun, v->ntun == 1 ? "" : "s",
	    !v->routing_stated ? "routing not stated"
	    : v->bgp	       ? "BGP"
			       : "static routing",
	    asn ? arena_printf(ar, " (cloud ASN %u)", asn) : "",
	    v->route_based ? ", route-based" : ", policy-based");
}

bool
cloud_import(struct arena *ar, struct input_file *in, struct site *s)
{
	struct srcloc loc = {.file = in->path, .line = 1, .col = 1};
	if (s->has_config ||
	    (s->kind != SITE_UNKNOWN && s->kind != SITE_CLOUD)) {
		diag(DIAG_ERROR, &loc,
		     "a cloud VPN configuration describes the "
		     "cloud end: give it as a site of its own, not in site "
		     "'%s' with a firewall's config",
		     s->name);
		return false;
	}
	if (s->cloud) {
		diag(DIAG_ERROR, &loc,
		     "site '%s' already has a cloud VPN "
		     "configuration: give one per site",
		     s->name);
		return false;
	}
	size_t len;
	char *buf = lx_slurp(ar, in, &len);
	if (buf == NULL)
		return false;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3; /* a UTF-8 BOM (Windows editors) */
		len -= 3;
	}
	struct cloud_vpn *v = arena_alloc(ar, sizeof(*v));
	bool ok = kv_head((const unsigned char *)buf, len)
		      ? cloud_parse_kv(ar, in->path, buf, len, v)
		      : cloud_parse_aws(ar, in->path, buf, len, v);
	if (!ok)
		return false;
	s->kind = SITE_CLOUD;
	s->cloud = v;
	in->summary = cloud_summary(ar, v);
	return true;
}
