/* Content recognition of the files a user drops into a site folder.
 * Conservative: a kind is claimed (CLAIM_SURE) only when the content has
 * its shape; content that merely resembles a kind is a hint, read only
 * when the user names the file. The kinds, their order and readers are
 * the rows of model/inputs.def; doc/behaviour/inputs.md says why. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "import/cloud/cloud.h"
#include "import/hosts/hostfacts_paste.h"
#include "import/load.h"
#include "import/textstream.h"
#include "util/str.h"

enum { HEAD_MAX = 8192 };

/* What the recognisers see of a file: its first bytes (decompressed when
 * it is compressed) and its base name. */
struct head {
	const unsigned char *p;
	size_t n;
	const char *name; /* base name, NULL when unknown */
	struct str first; /* first non-blank, non-comment line */
	bool text;	  /* no NUL and few control bytes */
	bool truncated;	  /* the file goes on past the head */
	bool compressed;  /* p is what a compressed file holds */
	bool undecodable; /* compressed, but nothing could be decompressed */
};

static bool
has(const struct head *h, const char *needle)
{
	return memmem(h->p, h->n, needle, strlen(needle)) != NULL;
}

static bool
magic(const struct head *h, const char *m, size_t k)
{
	return h->n >= k && memcmp(h->p, m, k) == 0;
}

static bool
name_ends(const struct head *h, const char *suffix)
{
	size_t n = h->name ? strlen(h->name) : 0, k = strlen(suffix);
	return n >= k && strcasecmp(h->name + n - k, suffix) == 0;
}

static bool
name_has(const struct head *h, const char *part)
{
	return h->name && strstr(h->name, part) != NULL;
}

/* Calls fn on each non-blank line of the head that is whole (the last
 * one is cut when the head is); returns how many lines fn accepted. */
static size_t
count_lines(const struct head *h, bool (*fn)(struct str), size_t *lines)
{
	struct str rest = {(const char *)h->p, h->n}, line;
	size_t yes = 0;
	*lines = 0;
	while (str_next(&rest, '\n', &line)) {
		if (rest.n == 0 && h->truncated &&
		    (const char *)h->p + h->n == line.p + line.n)
			break; /* cut by the head */
		line = str_trim(line);
		if (line.n == 0)
			continue;
		(*lines)++;
		yes += fn(line);
	}
	return yes;
}

/* Most lines, or many, have the shape: a log with some damaged lines or
 * a syslog file mixing programs is still a log; prose quoting a line or
 * two is not. */
static enum input_claim
claim_lines(const struct head *h, bool (*fn)(struct str), size_t many)
{
	size_t lines, yes = count_lines(h, fn, &lines);
	if (yes && (yes * 2 >= lines || yes >= many))
		return CLAIM_SURE;
	return yes ? CLAIM_HINT : CLAIM_NONE;
}

static bool
line_starts(const struct head *h, const char *prefix)
{
	struct str rest = {(const char *)h->p, h->n}, line;
	while (str_next(&rest, '\n', &line))
		if (str_starts(line, prefix))
			return true;
	return false;
}

static bool
rec_pcap_magic(const struct head *h)
{
	return magic(h, "\xd4\xc3\xb2\xa1", 4) ||
	       magic(h, "\xa1\xb2\xc3\xd4", 4) ||
	       magic(h, "\x4d\x3c\xb2\xa1", 4) ||
	       magic(h, "\xa1\xb2\x3c\x4d", 4) ||
	       magic(h, "\x0a\x0d\x0d\x0a", 4);
}

static enum input_claim
rec_pcap(const struct head *h)
{
	return !h->compressed && rec_pcap_magic(h) ? CLAIM_SURE : CLAIM_NONE;
}

/* ipsec.secrets: "[selectors] : TYPE ..." (doc/behaviour/inputs.md §3). */
static bool
secret_line(struct str line)
{
	static const char *const types[] = {
	    "PSK",  "RSA", "ECDSA", "ED25519", "ED448", "EAP", "XAUTH",
	    "NTLM", "P12", "PKCS8", "PIN",     "BLISS", "PPK", "PKCS11"};
	if (line.n && line.p[0] == '#')
		return false;
	const char *colon = memchr(line.p, ':', line.n);
	if (colon == NULL)
		return false;
	struct str t = str_trim(
	    (struct str){colon + 1, (size_t)(line.p + line.n - colon - 1)});
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
		size_t k = strlen(types[i]);
		if (t.n > k && memcmp(t.p, types[i], k) == 0 &&
		    (t.p[k] == ' ' || t.p[k] == '\t'))
			return true;
	}
	return false;
}

static bool
include_line(struct str line)
{
	return str_starts(line, "include ") || line.p[0] == '#';
}

/* Most lines are secrets (the rest includes and comments): a config or
 * log with a line such as "<descr>x: PSK tunnel</descr>" is not. */
static enum input_claim
rec_secrets(const struct head *h)
{
	size_t lines, other;
	size_t yes = h->text ? count_lines(h, secret_line, &lines) : 0;
	size_t inc = h->text ? count_lines(h, include_line, &other) : 0;
	if (yes && yes * 2 > lines - inc)
		return CLAIM_SURE;
	return name_ends(h, ".secrets") || name_ends(h, ".secrets.inc")
		   ? CLAIM_SURE
		   : CLAIM_NONE;
}

static enum input_claim
rec_cert_key(const struct head *h)
{
	static const char *const ext[] = {".pem", ".crt", ".cer", ".der",
					  ".key", ".p12", ".pfx", ".csr",
					  ".p7b", ".crl"};
	if (h->text && line_starts(h, "-----BEGIN "))
		return CLAIM_SURE;
	for (size_t i = 0; i < sizeof(ext) / sizeof(*ext); i++)
		if (name_ends(h, ext[i]))
			return h->text ? CLAIM_HINT : CLAIM_SURE;
	return CLAIM_NONE;
}

static bool
is_tar(const struct head *h)
{
	return h->n >= 263 && memcmp(h->p + 257, "ustar", 5) == 0;
}

/* status_output.tgz: gzip'd tar of status_output/<file>
 * (doc/behaviour/inputs.md §4). */
static enum input_claim
rec_status_archive(const struct head *h)
{
	if (is_tar(h) && magic(h, "status_output", 13))
		return CLAIM_SURE;
	if (h->undecodable && name_has(h, "status_output"))
		return CLAIM_SURE;
	return CLAIM_NONE;
}

/* OPNsense configctl ipsec list status|spd|sad|leases: the JSON its
 * scripts print (doc/behaviour/loose-files.md §2), or list_status.py's
 * "ipsec not active". */
static enum input_claim
rec_configctl(const struct head *h)
{
	if (str_eq(h->first, "ipsec not active"))
		return CLAIM_SURE;
	if (!h->text || !str_starts(h->first, "{"))
		return CLAIM_NONE;
	if (has(h, "\"records\"") &&
	    (has(h, "\"upperspec\"") || has(h, "\"satype\"") ||
	     has(h, "\"records\":[]") || has(h, "\"records\": []")))
		return CLAIM_SURE;
	if (has(h, "\"pools\"") && (has(h, "\"leases\"") || h->n < 4096))
		return CLAIM_SURE;
	if (has(h, "\"child-sas\"") ||
	    (has(h, "\"sas\"") && has(h, "\"routed\"")))
		return CLAIM_SURE;
	return CLAIM_NONE;
}

/* setkey -DP: a selector line "A[port] B[port] proto" and tab-indented
 * "<dir> ipsec|none|discard", "spid=" (doc/behaviour/status-archive.md
 * §3.3); or "No SPD entries." alone. */
static enum input_claim
rec_setkey_spd(const struct head *h)
{
	if (!h->text)
		return CLAIM_NONE;
	if (str_starts(h->first, "No SPD entries"))
		return CLAIM_SURE;
	bool dir = has(h, "\tout ipsec") || has(h, "\tin ipsec") ||
		   has(h, "\tout none") || has(h, "\tin none") ||
		   has(h, "\tout discard") || has(h, "\tin discard") ||
		   has(h, "\tfwd ipsec");
	return dir && has(h, "spid=") ? CLAIM_SURE
	       : dir		      ? CLAIM_HINT
				      : CLAIM_NONE;
}

/* FreeBSD / macOS netstat -rn[W]: "Routing tables", "Internet:" and a
 * header with Netif. */
static enum input_claim
rec_bsd_netstat(const struct head *h)
{
	if (!h->text || !has(h, "Internet") || !has(h, "Destination") ||
	    !has(h, "Netif"))
		return CLAIM_NONE;
	/* with or without -W: whose it is (the firewall's or a LAN host's)
	 * the reader decides against the site (st_loose.c) */
	return has(h, "Routing tables") || has(h, " Mtu ") ? CLAIM_SURE
							   : CLAIM_NONE;
}

/* "em0: flags=8843<UP,...> metric 0 mtu 1500": a FreeBSD interface. */
static bool
bsd_if_line(struct str line)
{
	const char *f = memmem(line.p, line.n, ": flags=", 8);
	return f && f > line.p && memmem(line.p, line.n, " metric ", 8) &&
	       memmem(line.p, line.n, " mtu ", 5) &&
	       memchr(line.p, ' ', (size_t)(f - line.p)) == NULL;
}

/* FreeBSD ifconfig ("metric N mtu N"; macOS and Linux print no metric):
 * a firewall's or a FreeBSD host's. */
static enum input_claim
rec_bsd_ifconfig(const struct head *h)
{
	size_t lines;
	if (!h->text || count_lines(h, bsd_if_line, &lines) == 0)
		return CLAIM_NONE;
	/* whose it is the reader decides against the site (st_loose.c) */
	return CLAIM_SURE;
}

/* FreeBSD / macOS arp -an: "? (10.0.1.5) at 00:0c:29:1a:4e:3b on em1
 * expires in 942 seconds [ethernet]" (Linux prints "[ether] on"). */
static bool
bsd_arp_line(struct str line)
{
	struct str rest = line, w[5];
	for (int i = 0; i < 5; i++)
		if (!str_next(&rest, ' ', &w[i]) || w[i].n == 0)
			return false;
	return w[0].n >= 1 && w[1].n > 2 && w[1].p[0] == '(' &&
	       str_eq(w[2], "at") && str_eq(w[4], "on");
}

static enum input_claim
rec_bsd_arp(const struct head *h)
{
	return h->text ? claim_lines(h, bsd_arp_line, 3) : CLAIM_NONE;
}

/* Text `ip route`: route lines only (and iproute2's error lines). Whose
 * table it is, the gateway's or a LAN host's, the reader decides against
 * the site (cfg_iproute.c). */
static bool
iproute_noise(struct str line)
{
	return str_starts(line, "Error") || str_starts(line, "RTNETLINK") ||
	       str_starts(line, "nexthop ");
}

static bool
iproute_hop(struct str line)
{
	return str_starts(line, "nexthop ");
}

static enum input_claim
rec_iproute_text(const struct head *h)
{
	size_t lines, other;
	if (!h->text)
		return CLAIM_NONE;
	size_t yes = count_lines(h, cfg_iproute_text_line, &lines);
	size_t noise = count_lines(h, iproute_noise, &other);
	/* multipath heads count only where their nexthop lines follow */
	size_t hops = count_lines(h, iproute_hop, &other);
	size_t heads = hops ? count_lines(h, cfg_iproute_text_head, &other) : 0;
	return (yes || heads) && yes + heads + noise >= lines ? CLAIM_SURE
							      : CLAIM_NONE;
}

/* A line of pfctl -vvsr: "@12(0) pass in ..." / "@3 anchor ..." */
static bool
pfctl_rule_line(struct str l)
{
	size_t k = 1;
	if (l.n < 4 || l.p[0] != '@' || l.p[1] < '0' || l.p[1] > '9')
		return false;
	while (k < l.n && l.p[k] >= '0' && l.p[k] <= '9')
		k++;
	if (k < l.n && l.p[k] == '(')
		while (k < l.n && l.p[k] != ')')
			k++;
	struct str t = str_trim((struct str){l.p + k + 1, l.n - k - 1});
	return k < l.n && (str_starts(t, "pass") || str_starts(t, "block") ||
			   str_starts(t, "anchor") || str_starts(t, "scrub") ||
			   str_starts(t, "match"));
}

/* pfctl -vvsr (doc/behaviour/rules-debug.md §5) */
static enum input_claim
rec_pfctl_rules(const struct head *h)
{
	if (!h->text)
		return CLAIM_NONE;
	enum input_claim c = claim_lines(h, pfctl_rule_line, 4);
	if (c == CLAIM_NONE && pfctl_rule_line(h->first))
		return CLAIM_SURE;
	return c;
}

/* /tmp/rules.debug: pf.conf as pfSense / OPNsense write it: its
 * "#System aliases" header, or filter rules beside the statements only
 * a generated pf.conf has */
static enum input_claim
rec_rules_debug(const struct head *h)
{
	if (!h->text || pfctl_rule_line(h->first))
		return CLAIM_NONE;
	bool rules = has(h, "\npass ") || has(h, "\nblock ");
	if (has(h, "#System aliases") && (rules || h->truncated))
		return CLAIM_SURE;
	if (rules && (has(h, "set skip on") || has(h, "\nanchor \"")) &&
	    (has(h, "keep state") || has(h, " label \"")))
		return CLAIM_SURE;
	return rules && has(h, "keep state") ? CLAIM_HINT : CLAIM_NONE;
}

/* pfctl -vvss: "all tcp A -> B  ESTABLISHED:ESTABLISHED" and its
 * "age ..., expires in ..., N:M pkts" lines */
static enum input_claim
rec_pfctl_states(const struct head *h)
{
	if (!h->text)
		return CLAIM_NONE;
	if (has(h, "expires in ") && has(h, " pkts, ") &&
	    (has(h, " -> ") || has(h, " <- ")) && has(h, "age "))
		return CLAIM_SURE;
	return CLAIM_NONE;
}

static bool
xml_root(const struct head *h)
{
	return str_starts(h->first, "<?xml") ||
	       str_starts(h->first, "<pfsense") ||
	       str_starts(h->first, "<opnsense");
}

static enum input_claim
rec_opnsense_xml(const struct head *h)
{
	return xml_root(h) && has(h, "<opnsense") ? CLAIM_SURE : CLAIM_NONE;
}

static enum input_claim
rec_pfsense_xml(const struct head *h)
{
	if (str_starts(h->first, "---- BEGIN config.xml"))
		return CLAIM_SURE; /* encrypted: the importer refuses */
	if (!xml_root(h))
		return CLAIM_NONE;
	return has(h, "<pfsense") ? CLAIM_SURE : CLAIM_HINT;
}

/* "host ADDRESS ...": the word and an address (hosts.c reads the rest). */
static bool
host_line(struct str line)
{
	struct str word, rest, addr;
	struct ipaddr a;
	str_split(line, ' ', &word, &rest);
	if (!str_eq(word, "host"))
		return false;
	str_split(str_trim(rest), ' ', &addr, &rest);
	if (!ipaddr_parse(addr, &a))
		return false;
	/* the next word, if any, is one of the format's */
	str_split(str_trim(rest), ' ', &word, &rest);
	return word.n == 0 || str_eq(word, "mask") || str_eq(word, "gateway") ||
	       str_eq(word, "firewall") || str_eq(word, "ignores-gateway");
}

static bool
comment_line(struct str line)
{
	return line.p[0] == '#';
}

/* Most of its non-comment lines are host lines: the others are errors
 * hosts.c locates. */
static enum input_claim
rec_hosts(const struct head *h)
{
	size_t lines, yes = count_lines(h, host_line, &lines);
	size_t comments = count_lines(h, comment_line, &lines);
	if (yes && yes * 2 > lines - comments)
		return CLAIM_SURE;
	return str_starts(h->first, "host ") ? CLAIM_HINT : CLAIM_NONE;
}

/* A cloud provider's VPN configuration (AWS download, the Azure/GCP
 * key = value profile; import/cloud/). */
static enum input_claim
rec_cloud(const struct head *h)
{
	bool xml = str_starts(h->first, "<?xml") ||
		   str_starts(h->first, "<pfsense") ||
		   str_starts(h->first, "<opnsense");
	return h->text && !xml && cloud_recognize(h->p, h->n) ? CLAIM_SURE
							      : CLAIM_NONE;
}

/* sysctl -a / sysctl.conf ("net.ipv4.conf.all.rp_filter = 1") or
 * grep . /proc/sys/... ("/proc/sys/net/ipv4/ip_forward:1"). */
static bool
sysctl_line(struct str line)
{
	static const char *const roots[] = {
	    "net.", "kernel.", "vm.",	 "fs.",	    "dev.",
	    "abi.", "user.",   "debug.", "crypto.", "sunrpc."};
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

static enum input_claim
rec_sysctl(const struct head *h)
{
	return h->text &&
		       (sysctl_line(h->first) ||
			(str_starts(h->first, "sysctl:") && has(h, "\nnet.")))
		   ? CLAIM_SURE
		   : CLAIM_NONE;
}

/* ip -d link text with an xfrm interface or a VTI in it:
 * "5: xfrm0@eth0: <NOARP,UP,LOWER_UP> mtu 1400 ..." */
static enum input_claim
rec_iplink(const struct head *h)
{
	/* ip -d -j link: links without addr_info (ip -j addr has them) */
	if (str_starts(h->first, "[") && has(h, "\"ifname\"") &&
	    !has(h, "\"addr_info\"") &&
	    (has(h, "\"linkinfo\"") || has(h, "\"promiscuity\"")))
		return CLAIM_SURE;
	struct str line = h->first;
	size_t i = 0;
	while (i < line.n && line.p[i] >= '0' && line.p[i] <= '9')
		i++;
	return h->text && i > 0 && i + 1 < line.n && line.p[i] == ':' &&
		       memmem(line.p, line.n, ": <", 3) != NULL &&
		       (has(h, "xfrm if_id") || has(h, "\n    vti ") ||
			/* `ip -d link` with no xfrm link: it says there is
			 * none (`ip addr` has inet lines, no promiscuity) */
			(has(h, " promiscuity ") && !has(h, "\n    inet")))
		   ? CLAIM_SURE
		   : CLAIM_NONE;
}

/* What users paste about a LAN host: ipconfig /all, route print, ip
 * addr/route, ifconfig, netstat -rn (import/hosts/hostfacts_paste.c). */
static enum input_claim
rec_host_paste(const struct head *h)
{
	return h->text && hostfacts_paste_recognize(h->p, h->n) ? CLAIM_SURE
								: CLAIM_NONE;
}

static bool
filterlog_csv(struct str line)
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

/* A syslog line of the program filterlog whose CSV has the direction and
 * IP version fields, or the bare CSV. */
static bool
filterlog_line(struct str line)
{
	const char *tag = memmem(line.p, line.n, "filterlog", 9);
	if (tag == NULL)
		return filterlog_csv(line);
	struct str t = {tag, (size_t)(line.p + line.n - tag)};
	return memmem(t.p, t.n, ",in,4,", 6) ||
	       memmem(t.p, t.n, ",out,4,", 7) ||
	       memmem(t.p, t.n, ",in,6,", 6) || memmem(t.p, t.n, ",out,6,", 7);
}

static enum input_claim
rec_filterlog(const struct head *h)
{
	if (h->undecodable) /* what it held cannot be seen: the name */
		return name_has(h, "filter") ? CLAIM_SURE : CLAIM_HINT;
	enum input_claim c = claim_lines(h, filterlog_line, 8);
	return c == CLAIM_NONE && has(h, "filterlog") ? CLAIM_HINT : c;
}

/* Shapes of SA status dumps that also name charon or look like logs:
 * ipsec statusall, swanctl --list-sas, ip xfrm, setkey, xfrm_stat. */
static enum input_claim
rec_sa_status(const struct head *h)
{
	struct str line = h->first;
	if (str_starts(line, "Status of IKE charon daemon") ||
	    str_starts(line, "Security Associations (") ||
	    str_starts(line, "Xfrm") || str_starts(line, "No SAD entries"))
		return CLAIM_SURE;
	if (str_starts(line, "src ") &&
	    (has(h, "proto esp spi") || has(h, "proto ah spi") ||
	     has(h, "tmpl src") || has(h, "\tdir ")))
		return CLAIM_SURE;
	/* swanctl --list-sas: "name: #1, ESTABLISHED, IKEv2, ..." */
	if ((has(h, ", ESTABLISHED, IKEv") || has(h, ", CONNECTING, IKEv")) &&
	    !has(h, "[IKE]"))
		return CLAIM_SURE;
	/* setkey -D: "\tesp mode=tunnel spi=...(0x...) reqid=..." */
	if (has(h, " mode=") && has(h, " spi=") && has(h, " reqid="))
		return CLAIM_SURE;
	if (has(h, "INSTALLED") || has(h, "ESTABLISHED") ||
	    has(h, "mode=tunnel") || has(h, "XfrmInError"))
		return CLAIM_HINT;
	return CLAIM_NONE;
}

/* A line that opens a section: "name {" or "name{" at its start. */
static bool
section_line(const struct head *h, const char *name)
{
	struct str rest = {(const char *)h->p, h->n}, line;
	size_t k = strlen(name);
	while (str_next(&rest, '\n', &line)) {
		line = str_trim(line);
		if (line.n > k && memcmp(line.p, name, k) == 0 &&
		    str_trim((struct str){line.p + k, line.n - k}).p[0] == '{')
			return true;
	}
	return false;
}

static enum input_claim
rec_swanctl(const struct head *h)
{
	if (section_line(h, "connections"))
		return CLAIM_SURE;
	return has(h, "connections {") ? CLAIM_HINT : CLAIM_NONE;
}

static enum input_claim
rec_ipsecconf(const struct head *h)
{
	return line_starts(h, "config setup") || line_starts(h, "conn ")
		   ? CLAIM_SURE
		   : CLAIM_NONE;
}

/* strongSwan's log groups (doc/behaviour/inputs.md §2). */
static bool
log_group(const char *p, size_t n)
{
	static const char *const groups[] = {
	    "DMN", "MGR", "IKE", "CHD", "JOB", "CFG", "KNL", "NET", "ASN",
	    "ENC", "TNC", "IMC", "IMV", "PTS", "TLS", "APP", "ESP", "LIB"};
	if (n != 3)
		return false;
	for (size_t i = 0; i < sizeof(groups) / sizeof(*groups); i++)
		if (memcmp(p, groups[i], 3) == 0)
			return true;
	return false;
}

/* "... 09[IKE] ..." (thread and group) or "charon[123]: ..." */
static bool
charon_line(struct str line)
{
	for (const char *p = line.p;
	     (p = memchr(p, '[', (size_t)(line.p + line.n - p))) != NULL; p++) {
		size_t left = (size_t)(line.p + line.n - p);
		if (left >= 6 && p[4] == ']' && (p[5] == ' ' || p[5] == '\t') &&
		    log_group(p + 1, 3))
			return true;
	}
	const char *c = memmem(line.p, line.n, "charon", 6);
	if (c == NULL)
		return false;
	c += 6;
	while (c < line.p + line.n && *c != ':' && *c != ' ')
		c++; /* charon[12], charon-systemd[1] */
	return c + 1 < line.p + line.n && c[0] == ':' && c[1] == ' ';
}

static enum input_claim
rec_ipsec_log(const struct head *h)
{
	enum input_claim c = claim_lines(h, charon_line, 3);
	return c == CLAIM_NONE && (has(h, "charon") || has(h, "[IKE]"))
		   ? CLAIM_HINT
		   : c;
}

static enum input_claim
rec_nft(const struct head *h)
{
	static const char *const fam[] = {"ip ",  "ip6 ",    "inet ",
					  "arp ", "bridge ", "netdev "};
	if (str_starts(h->first, "{\"nftables\""))
		return CLAIM_SURE;
	if (!str_starts(h->first, "table "))
		return CLAIM_NONE;
	struct str t = str_trim((struct str){h->first.p + 6, h->first.n - 6});
	for (size_t i = 0; i < sizeof(fam) / sizeof(*fam); i++)
		if (str_starts(t, fam[i]))
			return CLAIM_SURE;
	return CLAIM_HINT;
}

static enum input_claim
rec_iptables(const struct head *h)
{
	struct str l = h->first;
	if (str_starts(l, "*filter") || str_starts(l, "*nat") ||
	    str_starts(l, "*mangle") || str_starts(l, "*raw") ||
	    str_starts(l, "*security"))
		return CLAIM_SURE;
	/* first_line() skips comments: the header is looked for as is */
	if (has(h, "# Generated by iptables-save") ||
	    has(h, "# Generated by ip6tables-save"))
		return CLAIM_SURE;
	return str_starts(l, "*") && has(h, "\nCOMMIT") ? CLAIM_SURE
							: CLAIM_NONE;
}

static enum input_claim
rec_ipaddr(const struct head *h)
{
	return str_starts(h->first, "[") && has(h, "\"addr_info\"")
		   ? CLAIM_SURE
		   : CLAIM_NONE;
}

static enum input_claim
rec_iproute(const struct head *h)
{
	return str_starts(h->first, "[") && has(h, "\"dst\"") ? CLAIM_SURE
							      : CLAIM_NONE;
}

/* "220:\tfrom all lookup 220" or "0: from all ..." */
static bool
ip_rule_line(struct str line)
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

static enum input_claim
rec_iprule(const struct head *h)
{
	if (h->first.n && ip_rule_line(h->first))
		return CLAIM_SURE;
	return has(h, "from all lookup") ? CLAIM_HINT : CLAIM_NONE;
}

#define INPUT(id, key, name, role, rec, reader, adds) {INPUT_##id, role, rec},
static const struct {
	enum input_kind kind;
	enum input_role role;
	enum input_claim (*rec)(const struct head *h);
} kinds[] = {
#include "model/inputs.def"
};
#undef INPUT

enum input_role
input_kind_role(enum input_kind k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (kinds[i].kind == k)
			return kinds[i].role;
	return IR_SKIP;
}

/* First non-blank, non-comment line. */
static struct str
first_line(const unsigned char *p, size_t n)
{
	struct str rest = {(const char *)p, n}, line;
	while (str_next(&rest, '\n', &line)) {
		line = str_trim(line);
		if (line.n && line.p[0] != '#')
			return line;
	}
	return (struct str){"", 0};
}

static bool
looks_text(const unsigned char *p, size_t n)
{
	size_t odd = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0)
			return false;
		odd += p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' &&
		       p[i] != '\t' && p[i] != '\f';
	}
	return odd * 100 <= n;
}

static void
head_init(struct head *h, const unsigned char *p, size_t n, const char *name)
{
	size_t skip = n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	*h = (struct head){.p = p + skip, .n = n - skip, .name = name};
	h->text = looks_text(h->p, h->n);
	h->first = first_line(h->p, h->n); /* a damaged XML may hold NULs */
	h->truncated = n >= HEAD_MAX;
}

/* Runs the rows in order: the first sure claim wins, else the first
 * hint. */
static struct input_guess
guess_rows(const struct head *h)
{
	struct input_guess g = {INPUT_UNKNOWN, CLAIM_NONE, NULL};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		if (kinds[i].rec == NULL)
			continue;
		enum input_claim c = kinds[i].rec(h);
		if (c == CLAIM_SURE)
			return (struct input_guess){kinds[i].kind, c, NULL};
		if (c == CLAIM_HINT && g.claim == CLAIM_NONE)
			g = (struct input_guess){kinds[i].kind, c, NULL};
	}
	return g;
}

/* Why content no row is sure of is not read. */
static const char *
unknown_why(const struct head *h)
{
	if (magic(h, "\x89PNG", 4))
		return "a PNG image";
	if (magic(h, "\xff\xd8\xff", 3))
		return "a JPEG image";
	if (magic(h, "GIF8", 4))
		return "a GIF image";
	if (magic(h, "%PDF", 4))
		return "a PDF document";
	if (magic(h, "PK\x03\x04", 4) || magic(h, "PK\x05\x06", 4))
		return name_ends(h, ".docx") || name_ends(h, ".xlsx") ||
			       name_ends(h, ".odt")
			   ? "an office document"
			   : "a zip archive: unpack it into the site "
			     "folder to have its files read";
	if (is_tar(h))
		return "a tar archive: unpack it into the site folder to "
		       "have its files read";
	if (h->undecodable)
		return "compressed, but it cannot be decompressed";
	if (!h->text)
		return "binary data, not an input kind ipsecdiag reads";
	if (name_has(h, "hosts"))
		return "named like host facts, but its lines do not have the "
		       "form "
		       "'host ADDRESS [mask BITS] [gateway ADDRESS|none] ...'";
	return h->compressed ? "compressed text, but not an input kind "
			       "ipsecdiag reads"
			     : "text, but not an input kind ipsecdiag reads";
}

static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* path (may be NULL) is read again when the head is compressed. */
static struct input_guess
guess(const unsigned char *p, size_t n, const char *path)
{
	struct head h;
	unsigned char inner[HEAD_MAX];
	head_init(&h, p, n, path ? base_of(path) : NULL);
	size_t k16 = utf16_to_utf8(p, n, (char *)inner, sizeof(inner));
	if (k16)
		head_init(&h, inner, k16, h.name);
	else if (!rec_pcap_magic(&h) && textstream_detect(p, n) != TS_PLAIN) {
		/* compressed: what the decompressed head holds decides */
		size_t k =
		    path ? textstream_peek(path, inner, sizeof(inner)) : 0;
		if (k)
			head_init(&h, inner, k, h.name);
		h.undecodable = k == 0;
		h.compressed = true;
	}
	struct input_guess g = guess_rows(&h);
	if (g.claim != CLAIM_SURE)
		g.why = unknown_why(&h);
	return g;
}

enum input_kind
input_recognize(const unsigned char *head, size_t n, const char *name)
{
	return guess(head, n, name).kind;
}

/* Editor and tool leftovers: in a folder their name decides, since a
 * backup of config.xml holds a config.xml. */
static bool
backup_name(const char *b)
{
	static const char *const ext[] = {"~",	  ".bak", ".orig",
					  ".swp", ".tmp", ".rej"};
	size_t n = strlen(b);
	if (b[0] == '#' && n > 1 && b[n - 1] == '#')
		return true;
	for (size_t i = 0; i < sizeof(ext) / sizeof(*ext); i++) {
		size_t k = strlen(ext[i]);
		if (n > k && strcasecmp(b + n - k, ext[i]) == 0)
			return true;
	}
	return false;
}

void
input_guess_file(const char *path, bool in_folder, struct input_guess *g)
{
	struct stat st;
	*g = (struct input_guess){INPUT_UNKNOWN, CLAIM_NONE, NULL};
	if (stat(path, &st) != 0) {
		g->err = errno ? errno : ENOENT;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		g->dir = true;
		g->why = strstr(base_of(path), "status_output")
			     ? "a directory (an unpacked status archive?): "
			       "only the site folder's own files are read"
			     : "a directory: only the site folder's own "
			       "files are read";
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		g->why = "not a regular file";
		return;
	}
	if (in_folder && backup_name(base_of(path))) {
		g->why = "an editor or tool backup (by its name): name it "
			 "as NAME=FILE to have it read";
		return;
	}
	unsigned char head[HEAD_MAX];
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		g->err = errno ? errno : EACCES;
		return;
	}
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n == 0) {
		g->why = "empty file";
		return;
	}
	struct input_guess r = guess(head, n, path);
	r.dir = false;
	r.err = 0;
	*g = r;
}
