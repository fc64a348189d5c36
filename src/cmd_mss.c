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
#include "report/json_model.h"
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

/* The guide's starting point for MSS clamping ("Connection hangs"). */
enum { GUIDE_MSS = 1400, DEFAULT_MTU = 1500 };

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

static const char *
fam_name(bool v6)
{
	return v6 ? "IPv6" : "IPv4";
}

static void
print_row(FILE *f, const char *label, unsigned v, const char *note)
{
	if (v == 0)
		fprintf(f, "  %-30s %5s%s\n", label, "-", note ? note : "");
	else
		fprintf(f, "  %-30s %5u%s%s\n", label, v, note ? "  " : "",
			note ? note : "");
}

static void
print_breakdown(FILE *f, const struct esp_params *p, const struct esp_cost *c)
{
	char buf[96], note[64];
	snprintf(buf, sizeof(buf), "outer %s header", fam_name(p->outer_v6));
	print_row(f, buf, c->outer_ip,
		  p->tunnel ? NULL : "  transport mode: none added");
	print_row(f, "UDP encapsulation (NAT-T)", c->udp, NULL);
	print_row(f, p->ah ? "AH header" : "ESP header (SPI, sequence)",
		  c->esp_hdr, NULL);
	print_row(f, "IV", c->iv, NULL);
	snprintf(note, sizeof(note), "payload + 2 to %u-byte blocks", c->block);
	print_row(f, "padding, at most", c->pad_max, note);
	print_row(f, "pad length, next header", c->trailer, NULL);
	snprintf(buf, sizeof(buf), "ICV (%s)",
		 !p->ah && transform_is_aead(&p->enc) ? "AEAD tag"
						      : integ_name(p->integ));
	print_row(f, buf, c->icv, NULL);
	print_row(f, "overhead, worst case", esp_cost_total_max(c), NULL);
}

/* The guide's advice, made concrete for the computed MSS. */
static void
print_advice(FILE *f, unsigned mss)
{
	if (mss == 0)
		return;
	fputs("\nThe guide: start MSS clamping at 1400, raise it until "
	      "transfers break,\nthen back off a little.",
	      f);
	if (mss < GUIDE_MSS)
		fprintf(f,
			"\nHere 1400 is %u byte%s too high: clamp to %u or "
			"lower.\n",
			GUIDE_MSS - mss, GUIDE_MSS - mss == 1 ? "" : "s", mss);
	else
		fprintf(f, "\nHere %u is the largest MSS that fits.\n", mss);
	fputs("pfSense: System > Advanced > Firewall & NAT, VPN Packet "
	      "Processing,\nEnable Maximum MSS (VPN > IPsec > Advanced "
	      "Settings up to 2.5.2).\n",
	      f);
}

static void
mss_print_text(FILE *f, const struct esp_params *p, unsigned mtu, bool defaults)
{
	struct esp_cost c;
	char tr[96];
	esp_cost_of(p, &c);
	unsigned inner = esp_max_inner(p, mtu), mss = esp_mss(p, mtu);
	fprintf(f, "%s %s mode, %s%s\n", p->ah ? "AH" : "ESP",
		p->tunnel ? "tunnel" : "transport",
		esp_transform_format(p, tr, sizeof(tr)),
		defaults ? " (default; see --cipher, --integ)" : "");
	if (p->tunnel)
		fprintf(f, "%s outer, %s inner, ", fam_name(p->outer_v6),
			fam_name(p->inner_v6));
	else
		fprintf(f, "%s, ", fam_name(p->inner_v6));
	fprintf(f, "%s, MTU %u\n\n", p->natt ? "NAT-T" : "no NAT-T", mtu);
	print_breakdown(f, p, &c);
	fputc('\n', f);
	if (inner == 0) {
		fprintf(f, "Nothing fits in an MTU of %u.\n", mtu);
	} else {
		fprintf(f, "Largest inner packet: %u bytes (%u on the wire)\n",
			inner, esp_outer_size(p, inner));
		if (mss)
			fprintf(f, "MSS to clamp: %u (%u - %u %s - 20 TCP)\n",
				mss, inner, p->inner_v6 ? 40 : 20,
				fam_name(p->inner_v6));
		else
			fputs("MSS to clamp: none (no room for TCP)\n", f);
	}
	print_advice(f, mss);
}

static json_t *
json_transform(const struct esp_params *p)
{
	char tr[96];
	json_t *o = json_object();
	json_object_set_new(
	    o, "text", json_string(esp_transform_format(p, tr, sizeof(tr))));
	json_object_set_new(o, "protocol", json_string(p->ah ? "ah" : "esp"));
	json_object_set_new(o, "cipher",
			    p->ah ? json_null()
				  : json_string(cipher_name(p->enc.cipher)));
	json_object_set_new(o, "keylen",
			    p->enc.keylen && !p->ah
				? json_integer(p->enc.keylen)
				: json_null());
	json_object_set_new(o, "integ", json_string(integ_name(p->integ)));
	return o;
}

static json_t *
json_overhead(const struct esp_cost *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "outer_ip", json_integer(c->outer_ip));
	json_object_set_new(o, "udp", json_integer(c->udp));
	json_object_set_new(o, "esp_header", json_integer(c->esp_hdr));
	json_object_set_new(o, "iv", json_integer(c->iv));
	json_object_set_new(o, "block", json_integer(c->block));
	json_object_set_new(o, "padding_max", json_integer(c->pad_max));
	json_object_set_new(o, "trailer", json_integer(c->trailer));
	json_object_set_new(o, "icv", json_integer(c->icv));
	json_object_set_new(o, "total_max",
			    json_integer(esp_cost_total_max(c)));
	return o;
}

static void
mss_emit(FILE *f, json_t *root)
{
	if (json_emit(f, root) != 0)
		die_system("mss: cannot write JSON");
}

static void
mss_print_json(FILE *f, const struct esp_params *p, unsigned mtu)
{
	struct esp_cost c;
	esp_cost_of(p, &c);
	unsigned inner = esp_max_inner(p, mtu);
	json_t *o = json_object();
	json_object_set_new(o, "mtu", json_integer(mtu));
	json_object_set_new(o, "mode",
			    json_string(p->tunnel ? "tunnel" : "transport"));
	json_object_set_new(o, "outer",
			    json_string(p->outer_v6 ? "ipv6" : "ipv4"));
	json_object_set_new(o, "inner",
			    json_string(p->inner_v6 ? "ipv6" : "ipv4"));
	json_object_set_new(o, "nat_t", json_boolean(p->natt));
	json_object_set_new(o, "transform", json_transform(p));
	json_object_set_new(o, "overhead", json_overhead(&c));
	json_object_set_new(o, "max_inner", json_integer(inner));
	json_object_set_new(o, "outer_at_max",
			    json_integer(inner ? esp_outer_size(p, inner) : 0));
	json_object_set_new(o, "mss", json_integer(esp_mss(p, mtu)));
	mss_emit(f, o);
}

static int
mss_run_options(const struct mss_opts *o)
{
	struct esp_params p;
	mss_params_from_opts(o, &p);
	unsigned mtu = o->mtu ? o->mtu : DEFAULT_MTU;
	FILE *f = cli_output(&o->cli);
	if (o->cli.format == FMT_JSON)
		mss_print_json(f, &p, mtu);
	else
		mss_print_text(f, &p, mtu,
			       o->cipher == NULL && o->integ == NULL);
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
print_case(FILE *f, const struct esp_p2_eval *e, int n, int first,
	   unsigned maxmss, const char *gap)
{
	char tr[96];
	const char *label = e->worst[0].ah   ? "AH:"
			    : n == 0	     ? "without NAT-T:"
			    : e->natt_forced ? "NAT-T (forced):"
					     : "with NAT-T:";
	fprintf(f, "    %-15s inner %u, MSS %u", label, e->max_inner[n],
		e->mss[n]);
	if (gap == NULL && maxmss == 0)
		fputs(", not clamped", f);
	else if (gap == NULL && maxmss > e->mss[n])
		fprintf(f, ", maxmss %u too high by %u", maxmss,
			maxmss - e->mss[n]);
	else if (gap == NULL)
		fprintf(f, ", maxmss %u fits", maxmss);
	if (n != first && memcmp(&e->worst[n].enc, &e->worst[first].enc,
				 sizeof(struct transform)) != 0)
		fprintf(f, " (%s)",
			esp_transform_format(&e->worst[n], tr, sizeof(tr)));
	fputc('\n', f);
}

static void
print_p2_head(FILE *f, size_t idx, const struct esp_p2_eval *e, int first)
{
	const struct phase2 *p2 = e->p2;
	const char *ifname = p2->p1 ? p2->p1->iface : "?";
	char l[PREFIX_STRLEN], r[PREFIX_STRLEN], tr[96];
	fprintf(f, "  phase 2 #%zu", idx + 1);
	if (p2->descr && *p2->descr)
		fprintf(f, " \"%s\"", p2->descr);
	fprintf(f, "\n    %s <-> %s (%s, ikeid %s)\n", sel_text(&p2->local, l),
		sel_text(&p2->remote, r), p2_mode_name(p2->mode),
		p2->ikeid ? p2->ikeid : "?");
	fprintf(f, "    WAN MTU %u (%s%s%s)", e->mtu,
		e->mtu_note && !strcmp(e->mtu_note, "given") ? "--mtu" : ifname,
		e->mtu_note && !strcmp(e->mtu_note, "default") ? ", unset" : "",
		e->mtu_note && !strcmp(e->mtu_note, "interface unknown")
		    ? " unknown"
		    : "");
	if (e->ncosted == 0) {
		fputs(", no transform of known size\n", f);
		return;
	}
	fprintf(f, ", worst of %u: %s\n", e->ncosted,
		esp_transform_format(&e->worst[first], tr, sizeof(tr)));
	if (e->nunknown)
		fprintf(f, "    %u transform%s of unknown size not counted\n",
			e->nunknown, e->nunknown == 1 ? "" : "s");
}

/* The site's clamp line and, at the end, what to set. */
static void
print_site_head(FILE *f, const struct site *s, unsigned maxmss)
{
	fprintf(f, "site %s: ", s->name);
	if (maxmss)
		fprintf(f, "Maximum MSS %u (system/maxmss%s)\n", maxmss,
			s->flags.maxmss ? "" : " empty: 1400");
	else
		fputs("Maximum MSS off\n", f);
}

static void
print_site_tail(FILE *f, unsigned maxmss, unsigned lowest, size_t n,
		size_t ngap)
{
	if (n == 0)
		fputs("  no enabled phase 2\n", f);
	else if (lowest == 0)
		fputs("  Maximum MSS reaches none of these phase 2.\n", f);
	else if (maxmss && maxmss <= lowest)
		fprintf(f, "  Maximum MSS %u fits every phase 2%s.\n", maxmss,
			ngap ? " it clamps" : "");
	else
		fprintf(f, "  Set Maximum MSS to %u or lower.\n", lowest);
}

static json_t *
json_case(const struct esp_p2_eval *e, int n, unsigned maxmss, const char *gap)
{
	json_t *c = json_object();
	json_object_set_new(c, "nat_t", json_boolean(e->worst[n].natt));
	json_object_set_new(c, "transform", json_transform(&e->worst[n]));
	json_object_set_new(c, "max_inner", json_integer(e->max_inner[n]));
	json_object_set_new(c, "mss", json_integer(e->mss[n]));
	json_object_set_new(c, "maxmss_ok",
			    gap || maxmss == 0
				? json_null()
				: json_boolean(maxmss <= e->mss[n]));
	return c;
}

static json_t *
json_p2(const struct esp_p2_eval *e, const bool use[2], unsigned maxmss)
{
	const struct phase2 *p2 = e->p2;
	const char *gap = esp_maxmss_gap(p2);
	char l[PREFIX_STRLEN], r[PREFIX_STRLEN];
	json_t *o = json_object(), *cases = json_array();
	json_object_set_new(o, "ikeid",
			    json_string(p2->ikeid ? p2->ikeid : ""));
	json_object_set_new(o, "reqid", json_integer(p2->reqid));
	json_object_set_new(o, "descr",
			    json_string(p2->descr ? p2->descr : ""));
	json_object_set_new(o, "mode", json_string(p2_mode_name(p2->mode)));
	json_object_set_new(o, "local", json_string(sel_text(&p2->local, l)));
	json_object_set_new(o, "remote", json_string(sel_text(&p2->remote, r)));
	json_object_set_new(o, "mtu", json_integer(e->mtu));
	json_object_set_new(o, "mtu_note",
			    e->mtu_note ? json_string(e->mtu_note)
					: json_null());
	json_object_set_new(o, "transforms", json_integer(e->ncosted));
	json_object_set_new(o, "transforms_unknown", json_integer(e->nunknown));
	json_object_set_new(o, "maxmss_gap",
			    gap ? json_string(gap) : json_null());
	for (int n = 0; n < 2; n++)
		if (use[n] && e->ncosted)
			json_array_append_new(cases,
					      json_case(e, n, maxmss, gap));
	json_object_set_new(o, "cases", cases);
	return o;
}

struct site_out {
	FILE *f;
	json_t *sites; /* JSON mode */
	const struct mss_opts *o;
};

/* One phase 2: its lines (text) or object (JSON); returns its lowest
 * MSS where the site's maxmss reaches it, else 0. */
static unsigned
mss_site_p2(struct site_out *out, const struct site *s, size_t idx,
	    unsigned maxmss, json_t *list)
{
	struct esp_p2_eval e;
	bool use[2];
	unsigned lowest = 0;
	const char *gap = esp_maxmss_gap(&s->p2[idx]);
	bool ok = esp_eval_phase2_mtu(s, &s->p2[idx], out->o->mtu, &e);
	eval_cases(&e, out->o->natt, use);
	for (int n = 0; ok && !gap && n < 2; n++)
		if (use[n] && (lowest == 0 || e.mss[n] < lowest))
			lowest = e.mss[n];
	if (list) {
		json_array_append_new(list, json_p2(&e, use, maxmss));
		return lowest;
	}
	int first = use[0] ? 0 : 1;
	print_p2_head(out->f, idx, &e, first);
	for (int n = 0; ok && n < 2; n++)
		if (use[n])
			print_case(out->f, &e, n, first, maxmss, gap);
	if (gap)
		fprintf(out->f, "    not clamped by maxmss: %s\n", gap);
	return lowest;
}

static void
mss_site(struct site_out *out, const struct site *s)
{
	unsigned maxmss = esp_site_maxmss(s), lowest = 0;
	size_t n = 0, ngap = 0;
	json_t *site = NULL, *list = NULL;
	if (out->sites) {
		site = json_object();
		list = json_array();
		json_object_set_new(site, "name", json_string(s->name));
		json_object_set_new(site, "maxmss",
				    maxmss ? json_integer(maxmss)
					   : json_null());
	} else {
		print_site_head(out->f, s, maxmss);
	}
	for (size_t i = 0; i < s->np2; i++) {
		if (!p2_enabled(&s->p2[i]))
			continue;
		unsigned m = mss_site_p2(out, s, i, maxmss, list);
		ngap += esp_maxmss_gap(&s->p2[i]) != NULL;
		if (m && (lowest == 0 || m < lowest))
			lowest = m;
		n++;
	}
	if (site) {
		json_object_set_new(site, "phase2", list);
		json_object_set_new(site, "clamp_to",
				    lowest ? json_integer(lowest)
					   : json_null());
		json_array_append_new(out->sites, site);
	} else {
		print_site_tail(out->f, maxmss, lowest, n, ngap);
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
	struct site_out out = {.o = o};
	out.f = cli_output(&o->cli);
	if (o->cli.format == FMT_JSON)
		out.sites = json_array();
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
		if (!out.sites && i > 0)
			fputc('\n', out.f);
		mss_site(&out, &s);
	}
	if (out.sites) {
		json_t *root = json_object();
		json_object_set_new(root, "sites", out.sites);
		mss_emit(out.f, root);
	}
	cli_close_output(out.f);
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
