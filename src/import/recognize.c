/* Content recognition of the files a user drops into a site folder. */
#include <string.h>

#include "import/cloud/cloud.h"
#include "import/load.h"
#include "import/textstream.h"
#include "util/str.h"

static bool
has(const unsigned char *h, size_t n, const char *needle)
{
	return memmem(h, n, needle, strlen(needle)) != NULL;
}

static bool
magic(const unsigned char *h, size_t n, const char *m, size_t k)
{
	return n >= k && memcmp(h, m, k) == 0;
}

/* First non-blank, non-comment line. */
static struct str
first_line(const unsigned char *h, size_t n)
{
	struct str rest = {(const char *)h, n}, line;
	while (str_next(&rest, '\n', &line)) {
		line = str_trim(line);
		if (line.n && line.p[0] != '#')
			return line;
	}
	return (struct str){"", 0};
}

static bool
looks_like_filterlog_csv(struct str line)
{
	/* rulenr,subrulenr,anchor,tracker,if,reason,action,dir,ipver */
	struct str f;
	int i = 0;
	bool ok = true;
	while (i < 9 && str_next(&line, ',', &f)) {
		if (i == 0)
			ok = ok && f.n && f.p[0] >= '0' && f.p[0] <= '9';
		if (i == 7)
			ok = ok && (str_eq(f, "in") || str_eq(f, "out"));
		i++;
	}
	return ok && i == 9;
}

/* Shapes of SA status dumps that also name charon or look like logs:
 * ipsec statusall, swanctl --list-sas, ip xfrm, setkey, xfrm_stat. */
static bool
looks_like_sa_status(const unsigned char *h, size_t n, struct str line)
{
	if (str_starts(line, "Status of IKE charon daemon") ||
	    str_starts(line, "Security Associations (") ||
	    str_starts(line, "Xfrm") || str_starts(line, "No SAD entries"))
		return true;
	if (str_starts(line, "src ") &&
	    (has(h, n, "proto esp spi") || has(h, n, "proto ah spi") ||
	     has(h, n, "tmpl src") || has(h, n, "\tdir ")))
		return true;
	/* swanctl --list-sas: "name: #1, ESTABLISHED, IKEv2, ..." */
	return (has(h, n, ", ESTABLISHED, IKEv") ||
		has(h, n, ", CONNECTING, IKEv")) &&
	       !has(h, n, "[IKE]");
}

/* "220:\tfrom all lookup 220" or "0: from all ..." */
static bool
looks_like_ip_rule(struct str line)
{
	size_t i = 0;
	if (line.p == NULL)
		return false;
	while (i < line.n && line.p[i] >= '0' && line.p[i] <= '9')
		i++;
	return i > 0 && i + 1 < line.n && line.p[i] == ':' &&
	       (line.p[i + 1] == '\t' || line.p[i + 1] == ' ') &&
	       (memmem(line.p, line.n, "from ", 5) != NULL ||
		memmem(line.p, line.n, "not ", 4) != NULL);
}

/* sysctl -a / sysctl.conf ("net.ipv4.conf.all.rp_filter = 1") or
 * grep . /proc/sys/... ("/proc/sys/net/ipv4/ip_forward:1"). */
static bool
looks_like_sysctl(struct str line)
{
	static const char *const roots[] = {"net.",  "kernel.", "vm.",
					    "fs.",   "dev.",    "abi.",
					    "user.", "debug.",  "crypto.",
					    "sunrpc."};
	if (str_starts(line, "/proc/sys/"))
		return memchr(line.p, ':', line.n) != NULL;
	const char *eq = memchr(line.p, '=', line.n);
	if (eq == NULL)
		return false;
	/* the key is one word: "net.ipv4.ip_forward = 1" */
	struct str key = str_trim((struct str){line.p, (size_t)(eq - line.p)});
	if (memchr(key.p, ' ', key.n) || memchr(key.p, '\t', key.n))
		return false;
	for (size_t i = 0; i < sizeof(roots) / sizeof(*roots); i++)
		if (str_starts(key, roots[i]))
			return true;
	return false;
}

/* ip -d link text with an xfrm interface or a VTI in it:
 * "5: xfrm0@eth0: <NOARP,UP,LOWER_UP> mtu 1400 ..." */
static bool
looks_like_ip_link(const unsigned char *h, size_t n, struct str line)
{
	size_t i = 0;
	while (i < line.n && line.p[i] >= '0' && line.p[i] <= '9')
		i++;
	return i > 0 && i + 1 < line.n && line.p[i] == ':' &&
	       memmem(line.p, line.n, ": <", 3) != NULL &&
	       (has(h, n, "xfrm if_id") || has(h, n, "\n    vti "));
}

static enum input_kind
recognize_text(const unsigned char *h, size_t n)
{
	struct str line = first_line(h, n);
	bool xml = str_starts(line, "<?xml") || str_starts(line, "<pfsense") ||
		   str_starts(line, "<opnsense");
	if (!xml && cloud_recognize(h, n))
		return INPUT_CLOUD_VPN;
	if (looks_like_sysctl(line) ||
	    (str_starts(line, "sysctl:") && has(h, n, "\nnet.")))
		return INPUT_SYSCTL;
	if (looks_like_ip_link(h, n, line))
		return INPUT_IP_LINK;
	if (str_starts(line, "<?xml") || str_starts(line, "<pfsense") ||
	    str_starts(line, "<opnsense")) {
		if (has(h, n, "<opnsense"))
			return INPUT_OPNSENSE_XML;
		return INPUT_PFSENSE_XML;
	}
	if (str_starts(line, "---- BEGIN config.xml"))
		return INPUT_PFSENSE_XML; /* encrypted: the importer refuses */
	if (str_starts(line, "host "))
		return INPUT_HOSTS;
	if (has(h, n, "filterlog") || looks_like_filterlog_csv(line))
		return INPUT_FILTERLOG;
	if (looks_like_sa_status(h, n, line))
		return INPUT_SA_STATUS;
	/* strongSwan configs before logs: their comments may say "charon" */
	if (has(h, n, "connections {") || has(h, n, "connections{") ||
	    str_starts(line, "connections"))
		return INPUT_SWANCTL_CONF;
	if (str_starts(line, "config setup") || str_starts(line, "conn ") ||
	    has(h, n, "\nconn ") || has(h, n, "\nconfig setup"))
		return INPUT_IPSEC_CONF;
	if (has(h, n, "charon") || has(h, n, "[IKE]") || has(h, n, "[CFG]") ||
	    has(h, n, "[NET]"))
		return INPUT_IPSEC_LOG;
	if (str_starts(line, "{\"nftables\"") || str_starts(line, "table "))
		return INPUT_NFT;
	if (str_starts(line, "*filter") || str_starts(line, "*nat") ||
	    str_starts(line, "*mangle") || str_starts(line, "*raw"))
		return INPUT_IPTABLES;
	if (str_starts(line, "[") && has(h, n, "\"addr_info\""))
		return INPUT_IP_ADDR;
	if (str_starts(line, "[") && has(h, n, "\"dst\""))
		return INPUT_IP_ROUTE;
	if (has(h, n, "from all lookup") || looks_like_ip_rule(line))
		return INPUT_IP_RULE;
	if (str_starts(line, "# Generated by iptables-save") ||
	    str_starts(line, "# Generated by ip6tables-save") ||
	    (str_starts(line, "*") && has(h, n, "\nCOMMIT")))
		return INPUT_IPTABLES;
	if (has(h, n, "INSTALLED") || has(h, n, "ESTABLISHED") ||
	    has(h, n, "mode=tunnel") || has(h, n, "XfrmInError"))
		return INPUT_SA_STATUS;
	return INPUT_UNKNOWN;
}

enum input_kind
input_recognize(const unsigned char *h, size_t n, const char *name)
{
	(void)name;
	if (magic(h, n, "\xd4\xc3\xb2\xa1", 4) ||
	    magic(h, n, "\xa1\xb2\xc3\xd4", 4) ||
	    magic(h, n, "\x4d\x3c\xb2\xa1", 4) ||
	    magic(h, n, "\xa1\xb2\x3c\x4d", 4) ||
	    magic(h, n, "\x0a\x0d\x0d\x0a", 4))
		return INPUT_PCAP;
	/* Compressed: mostly rotated logs (filter.log.1.bz2); what the
	 * decompressed head holds decides. Unknown or unreadable content
	 * goes to the filterlog importer, which says what is wrong. */
	if (textstream_detect(h, n) != TS_PLAIN) {
		unsigned char inner[8192];
		size_t k = name ? textstream_peek(name, inner, sizeof(inner)) : 0;
		enum input_kind kind = k && textstream_detect(inner, k) ==
						    TS_PLAIN
					       ? input_recognize(inner, k, NULL)
					       : INPUT_UNKNOWN;
		return kind == INPUT_UNKNOWN ? INPUT_FILTERLOG : kind;
	}
	size_t skip = magic(h, n, "\xef\xbb\xbf", 3) ? 3 : 0; /* UTF-8 BOM */
	return recognize_text(h + skip, n - skip);
}
