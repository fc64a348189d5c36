/* Content recognition of the files a user drops into a site folder. */
#include <string.h>

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

static enum input_kind
recognize_text(const unsigned char *h, size_t n)
{
	struct str line = first_line(h, n);
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
	if (has(h, n, "charon") || has(h, n, "[IKE]") || has(h, n, "[CFG]"))
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
	if (has(h, n, "from all lookup"))
		return INPUT_IP_RULE;
	if (has(h, n, "connections {") || has(h, n, "connections{"))
		return INPUT_SWANCTL_CONF;
	if (has(h, n, "config setup") || str_starts(line, "conn "))
		return INPUT_IPSEC_CONF;
	if (has(h, n, "INSTALLED") || has(h, n, "ESTABLISHED") ||
	    has(h, n, "Security Associations") || has(h, n, "proto esp spi") ||
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
