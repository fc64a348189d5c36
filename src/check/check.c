/* The catalog and the finding store shared by every check. */
#include "check/check.h"

#include <string.h>

static const struct check_info catalog[CHK_COUNT] = {
#define CHECK(sym, id, sec, sev, what) [CHK_##sym] = {id, sec, sev, what},
#include "check/checks.def"
#undef CHECK
};

const struct check_info *
check_info(enum check_id c)
{
	return &catalog[c];
}

const struct check_info *
check_by_id(const char *id, enum check_id *out)
{
	for (int i = 0; i < CHK_COUNT; i++)
		if (id && strcmp(catalog[i].id, id) == 0) {
			if (out)
				*out = (enum check_id)i;
			return &catalog[i];
		}
	return NULL;
}

/* One root cause, one finding: deduplicated by (id, site, key). */
struct finding *
check_finding(struct analysis *an, enum check_id c, const struct site *s,
	      const char *key)
{
	const struct check_info *ci = check_info(c);
	const char *site = s ? s->name : NULL;
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		if (strcmp(f->id, ci->id) == 0 &&
		    strcmp(f->site ? f->site : "", site ? site : "") == 0 &&
		    strcmp(f->key ? f->key : "", key ? key : "") == 0)
			return f;
	}
	struct finding *f = finding_add(an->ar, &an->fs, ci->id, ci->severity,
					site, ci->section);
	f->key = key;
	return f;
}

const char *
gui_mss_location(const struct site *s)
{
	/* PFSENSE.md §1.5: moved in 2.6.0 (commit a8e97945b4) */
	if (s->kind == SITE_OPNSENSE)
		return "Firewall > Settings > Normalization: add a rule with "
		       "Max mss for the tunnel networks (OPNsense has no "
		       "IPsec MSS option)";
	if (s->kind == SITE_LINUX)
		return "nftables: 'tcp flags syn tcp option maxseg size set N' "
		       "in the forward chain for the tunnel networks";
	if (site_version_at_least(s, 2, 6))
		return "System > Advanced > Firewall & NAT, VPN Packet "
		       "Processing: check 'Enable MSS clamping on VPN "
		       "traffic' and set the Maximum MSS";
	return "VPN > IPsec > Advanced Settings: check 'Enable MSS "
	       "clamping on VPN traffic' and set the Maximum MSS";
}

/* The checks word their findings for pfSense; on a Linux/strongSwan site
 * the same root cause is fixed elsewhere. One table says where. */
static const struct {
	const char *pf, *lx;
} linux_words[] = {
	{"Firewall > Rules > IPsec", "the forward chain (nft/iptables), for "
				     "packets from the tunnel (iifname "
				     "\"ipsec0\" or 'meta ipsec exists')"},
	{"IPsec-tab rule", "forward-chain rule for tunnel traffic"},
	{"IPsec tab (enc0)", "forward chain, from the tunnel"},
	{"IPsec tab", "forward chain for tunnel traffic"},
	{"rules of the IPsec tab (enc0)", "forward chain"},
	{"VPN > IPsec > Tunnels", "swanctl.conf (children local_ts/remote_ts)"},
	{"Firewall > Rules > ", "the forward or input chain of "},
	{"Interfaces > ", "the input chain of "},
};

static const char *
localize(struct arena *ar, const char *text)
{
	if (text == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(linux_words) / sizeof(*linux_words); i++) {
		const char *hit;
		while ((hit = strstr(text, linux_words[i].pf)) != NULL)
			text = arena_printf(ar, "%.*s%s%s", (int)(hit - text),
					    text, linux_words[i].lx,
					    hit + strlen(linux_words[i].pf));
	}
	return text;
}

void
check_localize(struct analysis *an)
{
	for (size_t i = 0; i < an->fs.n; i++) {
		struct finding *f = &an->fs.f[i];
		const struct site *s = NULL;
		for (size_t j = 0; j < an->nsites && f->site; j++)
			if (strcmp(an->sites[j]->name, f->site) == 0)
				s = an->sites[j];
		if (s == NULL || s->kind != SITE_LINUX)
			continue;
		f->summary = localize(an->ar, f->summary);
		f->detail = localize(an->ar, f->detail);
		f->fix = localize(an->ar, f->fix);
	}
}
