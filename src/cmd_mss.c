/* ipsecdiag mss: the exact ESP/NAT-T overhead, the largest inner packet
 * that fits and the MSS to clamp, for given transforms or per phase 2 of
 * each SITE's config (the guide's "Connection hangs" section). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "engine/esp_overhead.h"
#include "report/rep_mss.h"
#include "import/load.h"
#include "util/arena.h"
#include "util/diag.h"

static const char help[] =
    "Usage: ipsecdiag mss [--mtu N] [--cipher C] [--integ I] [--nat-t]\n"
    "                     [--ipv6] [--inner-ipv6] [--transport]\n"
    "       ipsecdiag mss [--mtu N] [--nat-t] SITE...\n"
    "Prints the exact ESP overhead (outer IP, NAT-T UDP, ESP header, IV,\n"
    "padding, trailer, ICV), the largest inner packet that fits the MTU\n"
    "and the TCP MSS to clamp to. With SITEs, does so for every enabled\n"
    "phase 2 of each config, for the worst of its configured transforms,\n"
    "and says whether the site's Maximum MSS setting is low enough.\n\n"
    "  --mtu N        link MTU of the WAN (default 1500; with SITEs it\n"
    "                 overrides the phase 1 interface's MTU)\n"
    "  --cipher C     aes-cbc-128|aes-cbc-192|aes-cbc-256|aes-gcm-8|\n"
    "                 aes-gcm-12|aes-gcm-16|aes-ccm-8|aes-ccm-12|\n"
    "                 aes-ccm-16|chacha20-poly1305|3des|null, or a\n"
    "                 strongSwan proposal (aes256gcm16, aes128-sha256)\n"
    "                 (default aes-cbc-256)\n"
    "  --integ I      sha1|sha256|sha384|sha512|aes-xcbc|md5|none\n"
    "                 (default sha256; AEAD ciphers take none)\n"
    "  --nat-t        UDP-encapsulated ESP (RFC 3948), +8 bytes; with\n"
    "                 SITEs: assume NAT-T for every phase 1\n"
    "  --ipv6         IPv6 outer header (40 bytes instead of 20)\n"
    "  --inner-ipv6   the protected packets are IPv6 (MSS - 20 more)\n"
    "  --transport    transport mode (no new outer header)\n"
    "  --format text|json, -o FILE, -q, -h/--help\n";

enum {
	OPT_MTU = OPT_CMD_BASE,
	OPT_CIPHER,
	OPT_INTEG,
	OPT_NATT,
	OPT_IPV6,
	OPT_INNER_V6,
	OPT_TRANSPORT,
};

struct mss_opts {
	struct cli_opts cli;
	unsigned mtu;		    /* 0 = not given */
	const char *cipher, *integ; /* as given, NULL = default */
	bool natt, v6, inner_v6, transport;
};

enum { DEFAULT_MTU = 1500 };

static unsigned
parse_mtu(const char *arg)
{
	uint64_t v;
	if (!str_to_u64(str_from(arg), 65535, &v) || v < 68)
		die_usage("mss: --mtu '%s': want a number from 68 to 65535",
			  arg);
	return (unsigned)v;
}

static void
mss_parse_args(int argc, char **argv, struct mss_opts *o)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONGOPTS,
	    {"mtu", required_argument, NULL, OPT_MTU},
	    {"cipher", required_argument, NULL, OPT_CIPHER},
	    {"integ", required_argument, NULL, OPT_INTEG},
	    {"nat-t", no_argument, NULL, OPT_NATT},
	    {"ipv6", no_argument, NULL, OPT_IPV6},
	    {"inner-ipv6", no_argument, NULL, OPT_INNER_V6},
	    {"transport", no_argument, NULL, OPT_TRANSPORT},
	    {NULL, 0, NULL, 0},
	};
	int c;
	memset(o, 0, sizeof(*o));
	cli_init(&o->cli);
	optind = 1;
	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(help);
		case OPT_MTU:
			o->mtu = parse_mtu(optarg);
			break;
		case OPT_CIPHER:
			o->cipher = optarg;
			break;
		case OPT_INTEG:
			o->integ = optarg;
			break;
		case OPT_NATT:
			o->natt = true;
			break;
		case OPT_IPV6:
			o->v6 = true;
			break;
		case OPT_INNER_V6:
			o->inner_v6 = true;
			break;
		case OPT_TRANSPORT:
			o->transport = true;
			break;
		case '?':
			die_usage("mss: see 'ipsecdiag mss --help'");
		default:
			if (!cli_common_option(&o->cli, c, optarg))
				die_usage("mss: see 'ipsecdiag mss --help'");
		}
	}
	if (o->cli.format == FMT_HTML)
		die_usage("mss: --format html is not supported (text, json)");
	cli_finish(&o->cli, NULL);
}

/* The transform the options describe, with the defaults filled in. */
static void
mss_params_from_opts(const struct mss_opts *o, struct esp_params *p)
{
	enum integ prop_integ = INTEG_NONE;
	memset(p, 0, sizeof(*p));
	p->enc = (struct transform){CIPHER_AES_CBC, 256, 0};
	if (o->cipher && !transform_parse_cipher(o->cipher, &p->enc) &&
	    !transform_parse_proposal(o->cipher, &p->enc, &prop_integ))
		die_usage("mss: unknown --cipher '%s' (aes-cbc-128, "
			  "aes-cbc-192, aes-cbc-256, aes-gcm-8, aes-gcm-12, "
			  "aes-gcm-16, chacha20-poly1305, 3des, or a "
			  "strongSwan proposal such as aes256gcm16)",
			  o->cipher);
	bool aead = transform_is_aead(&p->enc);
	p->integ = aead ? INTEG_NONE : INTEG_HMAC_SHA256;
	if (prop_integ != INTEG_NONE)
		p->integ = prop_integ;
	if (o->integ) {
		if (!transform_parse_integ(o->integ, &p->integ))
			die_usage("mss: unknown --integ '%s' (sha1, sha256, "
				  "sha384, sha512, aes-xcbc, md5, none)",
				  o->integ);
		if (prop_integ != INTEG_NONE)
			die_usage("mss: --cipher '%s' already names its "
				  "integrity algorithm; drop --integ",
				  o->cipher);
		if (aead && p->integ != INTEG_NONE)
			die_usage("mss: --cipher '%s' is an AEAD cipher with "
				  "its own ICV: --integ must be none",
				  o->cipher);
	}
	p->natt = o->natt;
	p->tunnel = !o->transport;
	p->outer_v6 = o->v6;
	p->inner_v6 = o->transport ? o->v6 : o->inner_v6;
	if (o->transport && o->inner_v6 && !o->v6)
		die_usage("mss: --transport keeps the packet's own header: "
			  "use --ipv6, not --inner-ipv6");
	if (o->v6 && o->mtu && o->mtu < 1280)
		die_usage("mss: --mtu %u: IPv6 links carry at least 1280 "
			  "bytes (RFC 8200 §5)",
			  o->mtu);
}

/* ---- run: the engine's figures into what `mss` shows -------------- */

static void
mss_transform_of(const struct esp_params *p, struct mss_transform *t)
{
	esp_transform_format(p, t->text, sizeof(t->text));
	t->ah = p->ah;
	t->cipher = p->ah ? NULL : cipher_name(p->enc.cipher);
	t->keylen = p->enc.keylen && !p->ah ? p->enc.keylen : 0;
	t->integ = integ_name(p->integ);
	t->icv_label = !p->ah && transform_is_aead(&p->enc)
			   ? "AEAD tag"
			   : integ_name(p->integ);
}

static void
mss_calc_of(const struct esp_params *p, unsigned mtu, bool defaults,
	    struct mss_calc *m)
{
	struct esp_cost c;
	esp_cost_of(p, &c);
	memset(m, 0, sizeof(*m));
	mss_transform_of(p, &m->tr);
	m->defaults = defaults;
	m->tunnel = p->tunnel;
	m->outer_v6 = p->outer_v6;
	m->inner_v6 = p->inner_v6;
	m->natt = p->natt;
	m->mtu = mtu;
	m->outer_ip = c.outer_ip;
	m->udp = c.udp;
	m->esp_hdr = c.esp_hdr;
	m->iv = c.iv;
	m->block = c.block;
	m->pad_max = c.pad_max;
	m->trailer = c.trailer;
	m->icv = c.icv;
	m->total_max = esp_cost_total_max(&c);
	m->max_inner = esp_max_inner(p, mtu);
	m->outer_at_max = m->max_inner ? esp_outer_size(p, m->max_inner) : 0;
	m->mss = esp_mss(p, mtu);
}

static int
mss_run_options(const struct mss_opts *o)
{
	struct esp_params p;
	mss_params_from_opts(o, &p);
	unsigned mtu = o->mtu ? o->mtu : DEFAULT_MTU;
	struct mss_calc m;
	mss_calc_of(&p, mtu, o->cipher == NULL && o->integ == NULL, &m);
	FILE *f = cli_output(&o->cli);
	if (rep_mss_calc(f, &m, o->cli.format == FMT_JSON) != 0)
		die_system("mss: cannot write JSON");
	cli_close_output(f);
	return EXIT_CLEAN;
}

/* ---- per site ---------------------------------------------------- */

static const char *
sel_text(const struct selector *sel, char buf[PREFIX_STRLEN])
{
	if (sel->resolved)
		return prefix_format(&sel->net, buf);
	if (sel->text)
		return sel->text;
	return sel->type ? sel->type : "?";
}

static bool
p2_enabled(const struct phase2 *p2)
{
	return !p2->disabled && !(p2->p1 && p2->p1->disabled);
}

/* The cases that apply: [0] no NAT-T, [1] NAT-T. */
static void
eval_cases(const struct esp_p2_eval *e, bool force_natt, bool use[2])
{
	use[1] = true;
	use[0] = !(e->natt_forced || force_natt || e->worst[0].ah);
	if (e->worst[0].ah) /* AH cannot be UDP-encapsulated */
		use[1] = false, use[0] = true;
}

static void
mss_p2_of(struct arena *ar, const struct site *s, size_t idx, unsigned mtu,
	  bool force_natt, struct mss_p2 *m)
{
	const struct phase2 *p2 = &s->p2[idx];
	struct esp_p2_eval e;
	char buf[PREFIX_STRLEN];
	memset(m, 0, sizeof(*m));
	m->costed = esp_eval_phase2_mtu(s, p2, mtu, &e);
	eval_cases(&e, force_natt, m->use);
	m->first = m->use[0] ? 0 : 1;
	m->idx = idx;
	m->descr = p2->descr;
	m->ikeid = p2->ikeid;
	m->reqid = p2->reqid;
	m->mode = p2_mode_name(p2->mode);
	m->ifname = p2->p1 ? p2->p1->iface : "?";
	m->local = arena_strdup(ar, sel_text(&p2->local, buf));
	m->remote = arena_strdup(ar, sel_text(&p2->remote, buf));
	m->mtu = e.mtu;
	m->mtu_note = e.mtu_note;
	m->natt_forced = e.natt_forced;
	m->ncosted = e.ncosted;
	m->nunknown = e.nunknown;
	m->gap = esp_maxmss_gap(p2);
	for (int n = 0; n < 2; n++) {
		struct mss_case *c = &m->cases[n];
		c->natt = e.worst[n].natt;
		mss_transform_of(&e.worst[n], &c->tr);
		c->max_inner = e.max_inner[n];
		c->mss = e.mss[n];
		c->other_cipher =
		    memcmp(&e.worst[n].enc, &e.worst[m->first].enc,
			   sizeof(struct transform)) != 0;
	}
}

/* The site's enabled phase 2 and the MSS that fits them all where the
 * site's maxmss reaches them. */
static void
mss_site_of(struct arena *ar, const struct site *s, const struct mss_opts *o,
	    struct mss_site *m)
{
	size_t cap = 0;
	memset(m, 0, sizeof(*m));
	m->name = s->name;
	m->maxmss = esp_site_maxmss(s);
	m->maxmss_set = s->flags.maxmss;
	for (size_t i = 0; i < s->np2; i++) {
		if (!p2_enabled(&s->p2[i]))
			continue;
		struct mss_p2 *e = ARENA_PUSH(ar, m->p2, m->n, cap);
		mss_p2_of(ar, s, i, o->mtu, o->natt, e);
		m->ngap += e->gap != NULL;
		for (int n = 0; e->costed && !e->gap && n < 2; n++)
			if (e->use[n] &&
			    (m->lowest == 0 || e->cases[n].mss < m->lowest))
				m->lowest = e->cases[n].mss;
	}
}

static int
mss_run_sites(const struct mss_opts *o, int nsites, char **specs)
{
	if (o->cipher || o->integ || o->v6 || o->inner_v6 || o->transport)
		die_usage("mss: with SITEs the transforms come from each "
			  "config; only --mtu and --nat-t apply");
	struct arena ar;
	int rc = EXIT_CLEAN;
	arena_init(&ar);
	FILE *f = cli_output(&o->cli);
	json_t *sites = o->cli.format == FMT_JSON ? json_array() : NULL;
	for (int i = 0; i < nsites; i++) {
		struct site s;
		if (!site_load(&ar, specs[i], &s)) {
			rc = EXIT_INPUT;
			continue;
		}
		if (!o->cli.quiet)
			site_describe(stderr, &s);
		if (!s.has_config) {
			struct srcloc loc = {.file = specs[i]};
			diag(DIAG_ERROR, &loc,
			     "site '%s' has no firewall config: no phase 2 "
			     "to compute",
			     s.name);
			rc = EXIT_INPUT;
			continue;
		}
		struct mss_site m;
		mss_site_of(&ar, &s, o, &m);
		rep_mss_site(f, &m, sites, i == 0);
	}
	if (rep_mss_sites_end(f, sites) != 0)
		die_system("mss: cannot write JSON");
	cli_close_output(f);
	arena_free(&ar);
	return rc;
}

int
cmd_mss(int argc, char **argv)
{
	struct mss_opts o;
	mss_parse_args(argc, argv, &o);
	if (optind < argc)
		return mss_run_sites(&o, argc - optind, argv + optind);
	return mss_run_options(&o);
}
