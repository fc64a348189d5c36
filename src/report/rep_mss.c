/* `mss` output: the overhead breakdown and the guide's advice for one
 * transform, or the phase 2 cases of each site; text or JSON. */
#include "report/rep_mss.h"

#include <string.h>

#include "report/json_model.h"

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
print_breakdown(FILE *f, const struct mss_calc *c)
{
	char buf[96], note[64];
	snprintf(buf, sizeof(buf), "outer %s header", fam_name(c->outer_v6));
	print_row(f, buf, c->outer_ip,
		  c->tunnel ? NULL : "  transport mode: none added");
	print_row(f, "UDP encapsulation (NAT-T)", c->udp, NULL);
	print_row(f, c->tr.ah ? "AH header" : "ESP header (SPI, sequence)",
		  c->esp_hdr, NULL);
	print_row(f, "IV", c->iv, NULL);
	snprintf(note, sizeof(note), "payload + 2 to %u-byte blocks", c->block);
	print_row(f, "padding, at most", c->pad_max, note);
	print_row(f, "pad length, next header", c->trailer, NULL);
	snprintf(buf, sizeof(buf), "ICV (%s)", c->tr.icv_label);
	print_row(f, buf, c->icv, NULL);
	print_row(f, "overhead, worst case", c->total_max, NULL);
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
	if (mss < MSS_GUIDE)
		fprintf(f,
			"\nHere 1400 is %u byte%s too high: clamp to %u or "
			"lower.\n",
			MSS_GUIDE - mss, MSS_GUIDE - mss == 1 ? "" : "s", mss);
	else
		fprintf(f, "\nHere %u is the largest MSS that fits.\n", mss);
	fputs("pfSense: System > Advanced > Firewall & NAT, VPN Packet "
	      "Processing,\nEnable Maximum MSS (VPN > IPsec > Advanced "
	      "Settings up to 2.5.2).\n",
	      f);
}

static void
calc_text(FILE *f, const struct mss_calc *c)
{
	fprintf(f, "%s %s mode, %s%s\n", c->tr.ah ? "AH" : "ESP",
		c->tunnel ? "tunnel" : "transport", c->tr.text,
		c->defaults ? " (default; see --cipher, --integ)" : "");
	if (c->tunnel)
		fprintf(f, "%s outer, %s inner, ", fam_name(c->outer_v6),
			fam_name(c->inner_v6));
	else
		fprintf(f, "%s, ", fam_name(c->inner_v6));
	fprintf(f, "%s, MTU %u\n\n", c->natt ? "NAT-T" : "no NAT-T", c->mtu);
	print_breakdown(f, c);
	fputc('\n', f);
	if (c->max_inner == 0) {
		fprintf(f, "Nothing fits in an MTU of %u.\n", c->mtu);
	} else {
		fprintf(f, "Largest inner packet: %u bytes (%u on the wire)\n",
			c->max_inner, c->outer_at_max);
		if (c->mss)
			fprintf(f, "MSS to clamp: %u (%u - %u %s - 20 TCP)\n",
				c->mss, c->max_inner, c->inner_v6 ? 40 : 20,
				fam_name(c->inner_v6));
		else
			fputs("MSS to clamp: none (no room for TCP)\n", f);
	}
	print_advice(f, c->mss);
}

static json_t *
json_transform(const struct mss_transform *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", json_string(t->text));
	json_object_set_new(o, "protocol", json_string(t->ah ? "ah" : "esp"));
	json_object_set_new(o, "cipher",
			    t->ah ? json_null() : json_string(t->cipher));
	json_object_set_new(o, "keylen",
			    t->keylen ? json_integer(t->keylen) : json_null());
	json_object_set_new(o, "integ", json_string(t->integ));
	return o;
}

static json_t *
json_overhead(const struct mss_calc *c)
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
	json_object_set_new(o, "total_max", json_integer(c->total_max));
	return o;
}

static int
calc_json(FILE *f, const struct mss_calc *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "mtu", json_integer(c->mtu));
	json_object_set_new(o, "mode",
			    json_string(c->tunnel ? "tunnel" : "transport"));
	json_object_set_new(o, "outer",
			    json_string(c->outer_v6 ? "ipv6" : "ipv4"));
	json_object_set_new(o, "inner",
			    json_string(c->inner_v6 ? "ipv6" : "ipv4"));
	json_object_set_new(o, "nat_t", json_boolean(c->natt));
	json_object_set_new(o, "transform", json_transform(&c->tr));
	json_object_set_new(o, "overhead", json_overhead(c));
	json_object_set_new(o, "max_inner", json_integer(c->max_inner));
	json_object_set_new(o, "outer_at_max", json_integer(c->outer_at_max));
	json_object_set_new(o, "mss", json_integer(c->mss));
	return json_emit(f, o);
}

int
rep_mss_calc(FILE *f, const struct mss_calc *c, bool json)
{
	if (json)
		return calc_json(f, c);
	calc_text(f, c);
	return 0;
}

/* ---- per site ---------------------------------------------------- */

static void
print_case(FILE *f, const struct mss_p2 *e, int n, unsigned maxmss)
{
	const struct mss_case *c = &e->cases[n];
	const char *label = e->cases[0].tr.ah ? "AH:"
			    : n == 0	      ? "without NAT-T:"
			    : e->natt_forced  ? "NAT-T (forced):"
					      : "with NAT-T:";
	fprintf(f, "    %-15s inner %u, MSS %u", label, c->max_inner, c->mss);
	if (e->gap == NULL && maxmss == 0)
		fputs(", not clamped", f);
	else if (e->gap == NULL && maxmss > c->mss)
		fprintf(f, ", maxmss %u too high by %u", maxmss,
			maxmss - c->mss);
	else if (e->gap == NULL)
		fprintf(f, ", maxmss %u fits", maxmss);
	if (n != e->first && c->other_cipher)
		fprintf(f, " (%s)", c->tr.text);
	fputc('\n', f);
}

static void
print_p2_head(FILE *f, const struct mss_p2 *e)
{
	fprintf(f, "  phase 2 #%zu", e->idx + 1);
	if (e->descr && *e->descr)
		fprintf(f, " \"%s\"", e->descr);
	fprintf(f, "\n    %s <-> %s (%s, ikeid %s)\n", e->local, e->remote,
		e->mode, e->ikeid ? e->ikeid : "?");
	const char *note = e->mtu_note ? e->mtu_note : "";
	fprintf(f, "    WAN MTU %u (%s%s%s)", e->mtu,
		!strcmp(note, "given") ? "--mtu" : e->ifname,
		!strcmp(note, "default") ? ", unset" : "",
		!strcmp(note, "interface unknown") ? " unknown" : "");
	if (e->ncosted == 0) {
		fputs(", no transform of known size\n", f);
		return;
	}
	fprintf(f, ", worst of %u: %s\n", e->ncosted,
		e->cases[e->first].tr.text);
	if (e->nunknown)
		fprintf(f, "    %u transform%s of unknown size not counted\n",
			e->nunknown, e->nunknown == 1 ? "" : "s");
}

static void
p2_text(FILE *f, const struct mss_p2 *e, unsigned maxmss)
{
	print_p2_head(f, e);
	for (int n = 0; e->costed && n < 2; n++)
		if (e->use[n])
			print_case(f, e, n, maxmss);
	if (e->gap)
		fprintf(f, "    not clamped by maxmss: %s\n", e->gap);
}

/* The site's clamp line and, at the end, what to set. */
static void
site_text(FILE *f, const struct mss_site *s)
{
	fprintf(f, "site %s: ", s->name);
	if (s->maxmss)
		fprintf(f, "Maximum MSS %u (system/maxmss%s)\n", s->maxmss,
			s->maxmss_set ? "" : " empty: 1400");
	else
		fputs("Maximum MSS off\n", f);
	for (size_t i = 0; i < s->n; i++)
		p2_text(f, &s->p2[i], s->maxmss);
	if (s->n == 0)
		fputs("  no enabled phase 2\n", f);
	else if (s->lowest == 0)
		fputs("  Maximum MSS reaches none of these phase 2.\n", f);
	else if (s->maxmss && s->maxmss <= s->lowest)
		fprintf(f, "  Maximum MSS %u fits every phase 2%s.\n",
			s->maxmss, s->ngap ? " it clamps" : "");
	else
		fprintf(f, "  Set Maximum MSS to %u or lower.\n", s->lowest);
}

static json_t *
json_case(const struct mss_p2 *e, int n, unsigned maxmss)
{
	const struct mss_case *k = &e->cases[n];
	json_t *c = json_object();
	json_object_set_new(c, "nat_t", json_boolean(k->natt));
	json_object_set_new(c, "transform", json_transform(&k->tr));
	json_object_set_new(c, "max_inner", json_integer(k->max_inner));
	json_object_set_new(c, "mss", json_integer(k->mss));
	json_object_set_new(c, "maxmss_ok",
			    e->gap || maxmss == 0
				? json_null()
				: json_boolean(maxmss <= k->mss));
	return c;
}

static json_t *
json_p2(const struct mss_p2 *e, unsigned maxmss)
{
	json_t *o = json_object(), *cases = json_array();
	json_object_set_new(o, "ikeid", json_string(e->ikeid ? e->ikeid : ""));
	json_object_set_new(o, "reqid", json_integer(e->reqid));
	json_object_set_new(o, "descr", json_string(e->descr ? e->descr : ""));
	json_object_set_new(o, "mode", json_string(e->mode));
	json_object_set_new(o, "local", json_string(e->local));
	json_object_set_new(o, "remote", json_string(e->remote));
	json_object_set_new(o, "mtu", json_integer(e->mtu));
	json_object_set_new(o, "mtu_note", json_str(e->mtu_note));
	json_object_set_new(o, "transforms", json_integer(e->ncosted));
	json_object_set_new(o, "transforms_unknown", json_integer(e->nunknown));
	json_object_set_new(o, "maxmss_gap", json_str(e->gap));
	for (int n = 0; n < 2; n++)
		if (e->use[n] && e->ncosted)
			json_array_append_new(cases, json_case(e, n, maxmss));
	json_object_set_new(o, "cases", cases);
	return o;
}

static json_t *
site_json(const struct mss_site *s)
{
	json_t *site = json_object(), *list = json_array();
	json_object_set_new(site, "name", json_string(s->name));
	json_object_set_new(site, "maxmss",
			    s->maxmss ? json_integer(s->maxmss) : json_null());
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(list, json_p2(&s->p2[i], s->maxmss));
	json_object_set_new(site, "phase2", list);
	json_object_set_new(site, "clamp_to",
			    s->lowest ? json_integer(s->lowest) : json_null());
	return site;
}

void
rep_mss_site(FILE *f, const struct mss_site *s, json_t *sites, bool first)
{
	if (sites) {
		json_array_append_new(sites, site_json(s));
		return;
	}
	if (!first)
		fputc('\n', f);
	site_text(f, s);
}

int
rep_mss_sites_end(FILE *f, json_t *sites)
{
	if (sites == NULL)
		return 0;
	json_t *root = json_object();
	json_object_set_new(root, "sites", sites);
	return json_emit(f, root);
}
