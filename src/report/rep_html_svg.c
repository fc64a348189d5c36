/* The picture of one path: source host, the first site's firewall, the
 * tunnel, the second site's firewall, destination host; one box per hop,
 * green where it passes, red where it dies, grey where assumed or
 * unknown, dashed where the packet never got. Hops the packet did not
 * reach are filled in from the usual path (doc/ARCHITECTURE.md §3) so the
 * picture always shows the whole way. */
#include <string.h>

#include "report/rep_html.h"
#include "util/arena.h"

enum zone { Z_SRC, Z_SITE1, Z_SITE2, Z_DST };
enum nstate { N_OK, N_FAIL, N_UNK, N_AFTER, N_NR };

/* The usual path, by stage (ghost hops come from here). */
static const struct {
	enum zone zone;
	const char *label, *sub;
} stages[] = {
    {Z_SRC, "host", NULL},	  {Z_SITE1, "in", "lan"},
    {Z_SITE1, "filter", "lan"},	  {Z_SITE1, "SPD", "enc0"},
    {Z_SITE1, "encrypt", "enc0"}, {Z_SITE1, "out", "wan"},
    {Z_SITE2, "in", "wan"},	  {Z_SITE2, "WAN filter", "wan"},
    {Z_SITE2, "decrypt", "enc0"}, {Z_SITE2, "IPsec rules", "enc0"},
    {Z_SITE2, "route", NULL},	  {Z_SITE2, "out", "lan"},
    {Z_DST, "host", NULL},
};
enum { NSTAGES = sizeof(stages) / sizeof(stages[0]) };

struct node {
	const struct step *s; /* NULL: not reached (from stages[]) */
	size_t hop;
	int stage;
	enum zone zone;
	enum nstate st;
	double x;
};

enum {
	NW = 90,   /* node width */
	NH = 50,   /* node height */
	GAP = 14,  /* between nodes, room for the arrow */
	PAD = 10,  /* inside a site's box */
	ZGAP = 24, /* host to site */
	TUN = 84,  /* the tunnel between the sites */
	BOXY = 4,
	NODEY = 30,
	HEIGHT = NODEY + NH + 12,
};

static bool
is_host(const struct step *s)
{
	return s->iface && strcmp(s->iface, "host") == 0;
}

static bool
is_enc(const struct step *s)
{
	return s->iface && (strncmp(s->iface, "enc", 3) == 0 ||
			    strcmp(s->iface, "ipsec") == 0);
}

/* Which stage of the usual path a step stands for, given its zone. */
static int
step_stage(const struct step *s, enum zone z, int prev)
{
	static const int site1[] = {
	    [STEP_RECEIVED] = 1,
	    [STEP_FILTER] = 2,
	    [STEP_DENIED_IN] = 2,
	    [STEP_POLICY_ROUTED] = 2,
	    [STEP_SPD_MATCH] = 3,
	    [STEP_SPD_MISS] = 3,
	    [STEP_NAT] = 3,
	    [STEP_ROUTED] = 3,
	    [STEP_NO_ROUTE] = 3,
	    [STEP_ENCRYPTED] = 4,
	    [STEP_MTU_EXCEEDED] = 4,
	    [STEP_TRANSMITTED] = 5,
	    [STEP_EXITS_NETWORK] = 5,
	    [STEP_DENIED_OUT] = 5,
	    [STEP_INSUFFICIENT_INFO] = 5,
	};
	static const int site2[] = {
	    [STEP_RECEIVED] = 6,
	    [STEP_WAN_FILTER] = 7,
	    [STEP_DECRYPTED] = 8,
	    [STEP_SELECTOR_MISMATCH] = 8,
	    [STEP_FILTER] = 9,
	    [STEP_DENIED_IN] = 9,
	    [STEP_ROUTED] = 10,
	    [STEP_NO_ROUTE] = 10,
	    [STEP_NAT] = 10,
	    [STEP_NEIGHBOR_UNREACHABLE] = 10,
	    [STEP_TRANSMITTED] = 11,
	    [STEP_DENIED_OUT] = 11,
	    [STEP_INSUFFICIENT_INFO] = 11,
	};
	int st = prev;
	size_t k = (size_t)s->kind;
	if (z == Z_SRC)
		st = 0;
	else if (z == Z_DST)
		st = NSTAGES - 1;
	else if (z == Z_SITE1 && k < sizeof(site1) / sizeof(site1[0]))
		st = site1[k] ? site1[k] : prev;
	else if (z == Z_SITE2 && k < sizeof(site2) / sizeof(site2[0]))
		st = site2[k] ? site2[k] : prev;
	return st > prev ? st : prev;
}

static enum nstate
step_state(const struct path *p, size_t i)
{
	const struct step *s = &p->steps[i];
	if (s->failed)
		return N_FAIL;
	if (p->fail_at >= 0 && (int)i > p->fail_at)
		return N_AFTER;
	if (s->assumed || s->kind == STEP_INSUFFICIENT_INFO)
		return N_UNK;
	return N_OK;
}

/* Steps to nodes: zones follow the packet (source host, the site it
 * starts in, the other site, destination host); then the stages it
 * never reached. Returns the count. */
static size_t
path_nodes(const struct path *p, struct node *nd)
{
	size_t n = 0;
	enum zone z = Z_SRC;
	int stage = 0;
	const char *first = p->n ? p->steps[0].site : NULL;
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];
		bool host = is_host(s);
		if (z == Z_SRC && !host)
			z = s->site && first && strcmp(s->site, first) == 0
				? Z_SITE1
				: Z_SITE2;
		else if (z == Z_SITE1 && !host &&
			 !(s->site && first && strcmp(s->site, first) == 0))
			z = Z_SITE2;
		else if (z != Z_SRC && host)
			z = Z_DST;
		stage = step_stage(s, z, stage);
		nd[n++] = (struct node){.s = s,
					.hop = i,
					.stage = stage,
					.zone = z,
					.st = step_state(p, i)};
	}
	if (!p->delivered)
		for (int k = stage + 1; k < NSTAGES; k++)
			nd[n++] = (struct node){
			    .stage = k, .zone = stages[k].zone, .st = N_NR};
	return n;
}

static bool
is_box(enum zone z)
{
	return z == Z_SITE1 || z == Z_SITE2;
}

/* x of every node; returns the picture's width. */
static double
layout(struct node *nd, size_t n)
{
	double x = 4;
	for (size_t i = 0; i < n; i++) {
		if (i == 0)
			x += is_box(nd[0].zone) ? PAD : 0;
		else if (nd[i].zone != nd[i - 1].zone)
			x += NW + (is_box(nd[i - 1].zone) ? PAD : 0) +
			     (nd[i - 1].zone <= Z_SITE1 && nd[i].zone >= Z_SITE2
				  ? TUN
				  : ZGAP) +
			     (is_box(nd[i].zone) ? PAD : 0);
		else
			x += NW + GAP;
		nd[i].x = x;
	}
	return x + NW + (n && is_box(nd[n - 1].zone) ? PAD : 0) + 4;
}

static const char *const state_class[] = {"ok", "fail", "unk", "after", "nr"};
static const char *const state_mark[] = {"\xe2\x9c\x93", "\xe2\x9c\x97", "?",
					 "\xc2\xb7", "\xe2\x80\x93"};
static const char *const state_word[] = {
    "passes", "dies here", "assumed or unknown", "after the packet went wrong",
    "not reached"};

static const char *
node_label(const struct node *nd)
{
	const struct step *s = nd->s;
	if (s == NULL)
		return stages[nd->stage].label;
	switch (s->kind) {
	case STEP_ORIGINATED:
	case STEP_DELIVERED:
		return "host";
	case STEP_ARP_ON_LINK:
		return "ARP";
	case STEP_SENT_TO_GATEWAY:
		return "gateway";
	case STEP_RECEIVED:
		return "in";
	case STEP_FILTER:
	case STEP_DENIED_IN:
		return is_host(s)  ? "host firewall"
		       : is_enc(s) ? "IPsec rules"
				   : "filter";
	case STEP_POLICY_ROUTED:
		return "policy route";
	case STEP_SPD_MATCH:
		return "SPD";
	case STEP_SPD_MISS:
		return "no SPD";
	case STEP_NAT:
		return "NAT";
	case STEP_ENCRYPTED:
		return "encrypt";
	case STEP_MTU_EXCEEDED:
		return "MTU";
	case STEP_ROUTED:
	case STEP_NO_ROUTE:
		return "route";
	case STEP_TRANSMITTED:
		return "out";
	case STEP_WAN_FILTER:
		return "WAN filter";
	case STEP_DECRYPTED:
		return "decrypt";
	case STEP_SELECTOR_MISMATCH:
		return "selectors";
	case STEP_DENIED_OUT:
		return "out filter";
	case STEP_EXITS_NETWORK:
		return "Internet";
	case STEP_NEIGHBOR_UNREACHABLE:
		return "neighbour";
	case STEP_INSUFFICIENT_INFO:
		return "unknown";
	}
	return step_kind_name(s->kind);
}

/* Second line of a node: the host's address, else the interface. */
static void
node_sub(FILE *f, const struct node *nd, const char *src, const char *dst)
{
	if (nd->zone == Z_SRC || nd->zone == Z_DST)
		html_put(f, nd->zone == Z_SRC ? src : dst, 14);
	else if (nd->s == NULL)
		html_put(f, stages[nd->stage].sub, 14);
	else if (nd->s->kind == STEP_INSUFFICIENT_INFO)
		fputs("no data", f);
	else
		html_put(f, nd->s->iface, 14);
}

/* The tooltip: the hop as the text report has it, and what decided it. */
static void
node_title(FILE *f, const struct node *nd, const char *site)
{
	fputs("<title>", f);
	const struct step *s = nd->s;
	if (s == NULL) {
		fputs("not reached: ", f);
		if (nd->zone == Z_SRC || nd->zone == Z_DST)
			fputs(nd->zone == Z_SRC ? "source" : "destination", f);
		else
			html_put(f, site, 0);
		fprintf(f, " %s</title>", stages[nd->stage].label);
		return;
	}
	fprintf(f, "hop %zu: ", nd->hop + 1);
	html_put(f, s->site, 0);
	fprintf(f, " %s ", step_kind_name(s->kind));
	html_put(f, s->iface, 0);
	fputs(" \xe2\x80\x94 ", f);
	html_put(f, s->what, 0);
	char loc[600];
	if (s->loc.file && srcloc_format(&s->loc, loc, sizeof(loc)) &&
	    !(s->what && strstr(s->what, loc))) {
		fputs(" [", f);
		html_put(f, loc, 0);
		fputc(']', f);
	}
	fprintf(f, " (%s", state_word[nd->st]);
	if (s->cause != FINDING_NONE) {
		fputs(": ", f);
		html_put(f, finding_name(s->cause), 0);
	}
	fputs(")</title>", f);
}

static const char *
zone_site(const struct report *r, const struct node *nd, size_t n, enum zone z,
	  const char *first)
{
	for (size_t i = 0; i < n; i++)
		if (nd[i].zone == z && nd[i].s && nd[i].s->site)
			return nd[i].s->site;
	if (z == Z_SITE1)
		return first ? first : "site";
	for (size_t i = 0; i < r->nsites; i++)
		if (first == NULL || strcmp(r->sites[i]->name, first) != 0)
			return r->sites[i]->name;
	return "other site";
}

/* Boxes around each site's hops, the tunnel between them, and labels
 * over the hosts. */
static void
draw_zones(FILE *f, const struct report *r, const struct node *nd, size_t n,
	   const char *first, const char *site[4])
{
	double lo[4] = {0}, hi[4] = {0};
	bool has[4] = {false};
	for (size_t i = 0; i < n; i++) {
		enum zone z = nd[i].zone;
		if (!has[z])
			lo[z] = nd[i].x;
		has[z] = true;
		hi[z] = nd[i].x + NW;
	}
	static const char *const hostword[] = {"source", "", "", "destination"};
	for (int z = Z_SRC; z <= Z_DST; z++) {
		site[z] = zone_site(r, nd, n, (enum zone)z, first);
		if (!has[z])
			continue;
		if (!is_box((enum zone)z)) {
			fprintf(f,
				"<text class=\"zl\" x=\"%.0f\" "
				"y=\"%d\">%s</text>\n",
				lo[z], NODEY - 8, hostword[z]);
			continue;
		}
		fprintf(
		    f,
		    "<rect class=\"zone\" x=\"%.0f\" y=\"%d\" width=\"%.0f\""
		    " height=\"%d\" rx=\"8\"/>\n<text class=\"zl\" x=\"%.0f\" "
		    "y=\"%d\">",
		    lo[z] - PAD, BOXY, hi[z] - lo[z] + 2 * PAD,
		    HEIGHT - BOXY - 2, lo[z], BOXY + 17);
		/* the name must fit its box: about 8 units a character */
		size_t fit = (size_t)((hi[z] - lo[z]) / 8);
		if (strcmp(site[z], "-") == 0)
			fputs("unknown site", f);
		else
			html_put(f, site[z], fit);
		fputs("</text>\n", f);
	}
	if (has[Z_SITE1] && has[Z_SITE2]) {
		bool crossed = false;
		for (size_t i = 0; i < n; i++)
			crossed = crossed || (nd[i].zone == Z_SITE2 && nd[i].s);
		double x = hi[Z_SITE1] + PAD + 8;
		fprintf(
		    f,
		    "<g class=\"tun %s\"><rect x=\"%.0f\" y=\"%d\" "
		    "width=\"%d\" height=\"22\" rx=\"11\"/><text x=\"%.0f\" "
		    "y=\"%d\">tunnel</text></g>\n",
		    crossed ? "ok" : "nr", x, NODEY + NH / 2 - 11, TUN - 16,
		    x + (TUN - 16) / 2.0, NODEY + NH / 2 + 4);
	}
}

static void
draw_node(FILE *f, const struct node *nd, size_t flow, bool reply,
	  const char *site, const char *src, const char *dst)
{
	fprintf(f, "<g class=\"n %s\"", state_class[nd->st]);
	if (nd->s)
		fprintf(f, " data-hop=\"flow-%zu-%s-hop-%zu\"", flow + 1,
			html_dir(reply), nd->hop + 1);
	fputc('>', f);
	node_title(f, nd, site);
	fprintf(f,
		"<rect x=\"%.0f\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"rx=\"%d\"/>",
		nd->x, NODEY, NW, NH,
		nd->zone == Z_SRC || nd->zone == Z_DST ? 18 : 5);
	fprintf(f, "<text x=\"%.0f\" y=\"%d\"><tspan class=\"mk\">%s</tspan> ",
		nd->x + NW / 2.0, NODEY + 20, state_mark[nd->st]);
	html_put(f, node_label(nd), 13);
	fprintf(f, "</text><text class=\"sub\" x=\"%.0f\" y=\"%d\">",
		nd->x + NW / 2.0, NODEY + 39);
	node_sub(f, nd, src, dst);
	fputs("</text></g>\n", f);
}

static void
draw_arrows(FILE *f, const struct node *nd, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x1 = nd[i - 1].x + NW, x2 = nd[i].x - 2;
		int y = NODEY + NH / 2;
		fprintf(f,
			"<path class=\"ar %s\" d=\"M%.0f %dH%.0fm-7 -4l7 4l-7 "
			"4\"/>\n",
			nd[i].s && nd[i - 1].s ? "ok" : "nr", x1, y, x2);
	}
}

/* The text alternative: where it passes, where it dies, what it never
 * reached, in words. */
static void
path_desc(FILE *f, const struct node *nd, size_t n, const char *site[4])
{
	enum nstate prev = N_NR;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || nd[i].st != prev)
			fprintf(f, "%s%s: ", i ? ". " : "",
				state_word[nd[i].st]);
		else
			fputs(", ", f);
		if (nd[i].zone == Z_SITE1 || nd[i].zone == Z_SITE2) {
			html_put(f, site[nd[i].zone], 40);
			fputc(' ', f);
		}
		html_put(f, node_label(&nd[i]), 0);
		prev = nd[i].st;
	}
	fputs(".", f);
}

void
html_svg_path(FILE *f, const struct report *r, size_t flow, bool reply)
{
	const struct flow_trace *ft = &r->flows[flow];
	const struct path *p = html_path(ft, reply);
	struct arena ar;
	arena_init(&ar);
	struct node *nd = arena_alloc(&ar, (p->n + NSTAGES) * sizeof(*nd));
	size_t n = path_nodes(p, nd);
	double w = layout(nd, n);
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	const char *src = ipaddr_format(reply ? &ft->pkt.dst : &ft->pkt.src, a);
	const char *dst = ipaddr_format(reply ? &ft->pkt.src : &ft->pkt.dst, b);
	const char *dir = html_dir(reply);
	fprintf(
	    f,
	    "<div class=\"diagram\"><svg role=\"img\" viewBox=\"0 0 %.0f %d\" "
	    "width=\"%.0f\" height=\"%d\" aria-labelledby=\"flow-%zu-%s-t "
	    "flow-%zu-%s-d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
	    w, HEIGHT, w, HEIGHT, flow + 1, dir, flow + 1, dir);
	fprintf(
	    f, "<title id=\"flow-%zu-%s-t\">%s of flow %zu, %s to %s</title>\n",
	    flow + 1, dir, reply ? "Reply" : "Request", flow + 1, src, dst);
	const char *site[4];
	const char *first = p->n ? p->steps[0].site : NULL;
	draw_zones(f, r, nd, n, first, site);
	fprintf(f, "<desc id=\"flow-%zu-%s-d\">", flow + 1, dir);
	path_desc(f, nd, n, site);
	fputs("</desc>\n", f);
	draw_arrows(f, nd, n);
	for (size_t i = 0; i < n; i++)
		draw_node(f, &nd[i], flow, reply,
			  nd[i].zone == Z_SITE1 || nd[i].zone == Z_SITE2
			      ? site[nd[i].zone]
			      : "host",
			  src, dst);
	fputs("</svg></div>\n", f);
	arena_free(&ar);
}
