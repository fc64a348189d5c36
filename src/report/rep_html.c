/* The HTML report (doc/ARCHITECTURE.md §5): one self-contained file, inline CSS
 * and SVG, nothing fetched. Flows with a picture of each path, findings by
 * guide section linked to the hop they explain and back, what to collect
 * next, the inputs. Every input string is escaped (html_put); the same
 * input gives the same bytes; clock times only with --timestamps. */
#include <string.h>
#include <time.h>

#include "report/rep_html.h"

/* Opens every <details> before printing; allowed by its hash in the
 * Content-Security-Policy, which forbids every other script and fetch. */
#define PRINT_SCRIPT                                                           \
	"addEventListener(\"beforeprint\",function(){document."                \
	"querySelectorAll(\"details\").forEach(function(d){d.open=true})})"
#define PRINT_SCRIPT_HASH "sha256-IS6I6+iefQgnm32GXfUoNGLaPMRVmbglcZcgjBP8QPM="

static const char css[] =
    ":root{color-scheme:light;--ok:#1a7f37;--fail:#b3261e;--unk:#57606a;"
    "--line:#d0d7de;--bg2:#f6f8fa}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:#1f2328;background:#fff;font:15px/1.5 system-ui,"
    "-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}\n"
    "header,nav,main,footer{max-width:1240px;margin:0 auto;padding:0 16px}\n"
    "h1{font-size:1.6em;margin:.8em 0 .3em}h2{font-size:1.3em;margin:1.4em 0 "
    ".5em;border-bottom:1px solid var(--line)}h3{font-size:1.1em;margin:1.1em "
    "0 .4em}h4{font-size:1em;margin:.9em 0 .3em}\n"
    "code{font:.9em ui-monospace,'DejaVu Sans Mono',monospace;"
    "overflow-wrap:anywhere}\n"
    "a{color:#0550ae}a:focus-visible,summary:focus-visible{outline:3px solid "
    "#0969da;outline-offset:2px}\n"
    ".m{font-weight:700}.m.ok,.ok>.m{color:var(--ok)}.m.fail{color:"
    "var(--fail)}.m.unk,.m.nr,.m.after{color:var(--unk)}\n"
    ".verdict{font-size:1.1em;font-weight:600}\n"
    "nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3em "
    "1.2em;margin:.4em 0}\n"
    ".tw{overflow-x:auto}table{border-collapse:collapse;margin:.5em 0}"
    "caption{text-align:left;color:var(--unk)}th,td{text-align:left;"
    "vertical-align:top;padding:.25em .6em;border-bottom:1px solid "
    "var(--line)}th[scope=row]{font-weight:400}\n"
    ".flow{border:1px solid var(--line);border-radius:8px;padding:0 12px;"
    "margin:.8em 0}.flow.fail{border-left:6px solid var(--fail)}.flow.unk{"
    "border-left:6px solid var(--unk)}details.flow.ok{border-left:6px solid "
    "var(--ok)}\n"
    "summary{cursor:pointer}summary h3{display:inline;font-size:1em;"
    "font-weight:600}details.flow>summary{padding:.5em 0}\n"
    ".diagram{overflow-x:auto;margin:.4em 0}.diagram svg{display:block;"
    "width:100%;min-width:1000px;height:auto}\n"
    "svg text{font:13px system-ui,sans-serif;text-anchor:middle;fill:"
    "#1f2328}svg .sub{font-size:12px;fill:#424a53}svg .zl{text-anchor:start;"
    "font-weight:600;font-size:13px}\n"
    ".zone{fill:var(--bg2);stroke:#8c959f}\n"
    ".n rect{stroke-width:1.5}.n.ok rect{fill:#dafbe1;stroke:var(--ok)}"
    ".n.fail rect{fill:#ffebe9;stroke:var(--fail);stroke-width:3.5}"
    ".n.unk rect{fill:#eaeef2;stroke:#6e7781}.n.after rect{fill:#f6f8fa;"
    "stroke:#8c959f}.n.nr rect{fill:#fff;stroke:#8c959f;stroke-dasharray:"
    "5 3}.n.nr text{fill:#57606a}.n.ok .mk{fill:var(--ok)}.n.fail .mk{fill:"
    "var(--fail)}.mk{font-weight:700}\n"
    ".ar{fill:none;stroke:#57606a;stroke-width:1.5}.ar.nr{stroke:#8c959f;"
    "stroke-dasharray:4 3}\n"
    ".tun rect{fill:#ddf4ff;stroke:#0969da}.tun.nr rect{fill:#fff;stroke:"
    "#8c959f;stroke-dasharray:5 3}.tun text{font-size:12px}\n"
    "ol.hops{padding-left:2.2em;margin:.3em 0 .8em}ol.hops li{margin:.15em 0;"
    "overflow-wrap:anywhere}.hop.fail{background:#ffebe9;border-radius:4px}"
    ".kind{font:.85em ui-monospace,monospace}.dt{color:var(--unk)}\n"
    ":target{outline:3px solid #0969da;outline-offset:2px}\n"
    ".sections{list-style:none;padding:0}.sections li{margin:.1em 0}\n"
    ".finding{border:1px solid var(--line);border-radius:8px;padding:.4em "
    "12px;margin:.6em 0}.finding.error{border-left:6px solid var(--fail)}"
    ".finding.warning{border-left:6px solid #9a6700}.finding>summary{"
    "font-weight:600}.sev{text-transform:uppercase;font-size:.8em;"
    "letter-spacing:.04em}.sev.error{color:var(--fail)}.sev.warning{color:"
    "#9a6700}.fid{font-weight:700}.conf,.fsite{font-weight:400;color:"
    "var(--unk)}.fix{background:#dafbe1;padding:.3em .6em;border-radius:4px}"
    "\n"
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:"
    "rect(0 0 0 0);white-space:nowrap}table.cmp td.m{width:1.5em}"
    "table.cmp tr[data-match=differ]{background:#ffebe9}\n"
    "@media (max-width:600px){body{font-size:14px}th,td{padding:.2em .3em}"
    ".flow{padding:0 8px}ol.hops{padding-left:1.6em}.diagram svg{"
    "min-width:1150px}}"
    "\n"
    "@media print{nav,.legend a{display:none}body{font-size:10pt}"
    ".diagram{overflow:visible}.diagram svg{min-width:0}.flow,.finding,"
    "svg,li{break-inside:avoid}a{color:inherit;text-decoration:none}"
    ":target{outline:none}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void
page_head(FILE *f, const struct report *r)
{
	fputs(
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<meta "
	    "http-equiv=\"Content-Security-Policy\" content=\"default-src "
	    "'none'; style-src 'unsafe-inline'; script-src '" PRINT_SCRIPT_HASH
	    "'; base-uri 'none'; form-action 'none'\">\n<meta "
	    "name=\"generator\" content=\"ipsecdiag\">\n<title>ipsecdiag ",
	    f);
	html_put(f, r->command, 0);
	for (size_t i = 0; i < r->nsites; i++) {
		fputs(i ? ", " : ": ", f);
		html_put(f, r->sites[i]->name, 0);
	}
	fprintf(f,
		"</title>\n<style>\n%s</style>\n<script>" PRINT_SCRIPT
		"</script>\n</head>\n<body>\n",
		css);
}

static size_t
count_bad_flows(const struct report *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nflows; i++)
		n += !(r->flows[i].request.delivered &&
		       r->flows[i].reply.delivered);
	return n;
}

static void
page_header(FILE *f, const struct report *r)
{
	fputs("<header>\n<h1>IPsec diagnosis", f);
	for (size_t i = 0; i < r->nsites; i++) {
		fputs(i == 0 ? ": " : i + 1 == r->nsites ? " and " : ", ", f);
		html_put(f, r->sites[i]->name, 0);
	}
	fputs("</h1>\n", f);
	size_t bad = count_bad_flows(r), ne = 0, nw = 0, nf = 0;
	if (r->findings) {
		nf = r->findings->n;
		for (size_t i = 0; i < nf; i++) {
			ne += r->findings->f[i].severity == SEV_ERROR;
			nw += r->findings->f[i].severity == SEV_WARNING;
		}
	}
	bool ok = bad == 0 && ne == 0;
	fprintf(f,
		"<p class=\"verdict\"><span class=\"m %s\" "
		"aria-hidden=\"true\">%s</span> ",
		ok ? "ok" : "fail", ok ? "\xe2\x9c\x93" : "\xe2\x9c\x97");
	if (r->nflows)
		fprintf(f, "%zu of %zu flow%s fail%s; ", bad, r->nflows,
			r->nflows == 1 ? "" : "s",
			bad == 1 && r->nflows != 1 ? "s" : "");
	fprintf(f, "%zu finding%s (%zu error%s, %zu warning%s).</p>\n", nf,
		nf == 1 ? "" : "s", ne, ne == 1 ? "" : "s", nw,
		nw == 1 ? "" : "s");
	fputs(
	    "</header>\n<nav aria-label=\"Contents\"><ul><li><a "
	    "href=\"#flows\">Flows</a></li><li><a href=\"#findings\">Findings "
	    "by section</a></li>",
	    f);
	if (r->ncompares)
		fputs("<li><a href=\"#compare\">Both ends compared</a></li>",
		      f);
	fputs(
	    "<li><a href=\"#collect\">What to collect "
	    "next</a></li><li><a href=\"#inputs\">Inputs</a></li></ul></nav>\n"
	    "<main>\n",
	    f);
}

static const char *const sev_mark[] = {"i", "!", "\xe2\x9c\x97"};

static void
finding_where(FILE *f, const struct report *r, size_t k)
{
	const struct finding *fd = &r->findings->f[k];
	size_t fl, hop;
	bool rp;
	bool has = html_finding_hop(r, fd, &fl, &rp, &hop);
	if (!has) {
		fputs("<p class=\"where\">Not tied to one hop of a traced "
		      "flow.</p>\n",
		      f);
		return;
	}
	const struct step *s = &html_path(&r->flows[fl], rp)->steps[hop];
	fprintf(
	    f,
	    "<p class=\"where\">Where the packet dies: <a "
	    "class=\"to-hop\" href=\"#flow-%zu-%s-hop-%zu\">flow %zu, %s, hop "
	    "%zu (",
	    fl + 1, html_dir(rp), hop + 1, fl + 1, rp ? "reply" : "request",
	    hop + 1);
	html_put(f, s->site, 0);
	fprintf(f, " %s", step_kind_name(s->kind));
	if (s->iface) {
		fputc(' ', f);
		html_put(f, s->iface, 0);
	}
	fputs(")</a>", f);
	size_t also = 0;
	for (size_t i = 0; i < r->nflows; i++)
		for (int d = 0; d < 2; d++) {
			const struct path *p = html_path(&r->flows[i], d);
			for (size_t j = 0; j < p->n; j++) {
				if (!p->steps[j].failed ||
				    (i == fl && (bool)d == rp && j == hop) ||
				    html_hop_finding(r, i, d, j) != (int)k)
					continue;
				fprintf(
				    f,
				    "%s<a href=\"#flow-%zu-%s-hop-%zu\">flow "
				    "%zu%s</a>",
				    also++ ? ", " : "; the same in ", i + 1,
				    html_dir(d), j + 1, i + 1,
				    d ? " reply" : "");
			}
		}
	fputs(".</p>\n", f);
}

static void
finding_evidence_list(FILE *f, const struct finding *fd)
{
	if (fd->nev == 0)
		return;
	fputs("<h4>Evidence</h4>\n<ul class=\"ev\">\n", f);
	for (size_t i = 0; i < fd->nev; i++) {
		fprintf(f, "<li><span class=\"dt\">%s</span> ",
			evref_kind_name(fd->ev[i].kind));
		if (fd->ev[i].loc.file) {
			char loc[600];
			fputs("<code>", f);
			html_put(
			    f, srcloc_format(&fd->ev[i].loc, loc, sizeof(loc)),
			    0);
			fputs("</code> ", f);
		}
		html_put(f, fd->ev[i].text, 0);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

static void
finding_one(FILE *f, const struct report *r, size_t k)
{
	const struct finding *fd = &r->findings->f[k];
	const char *sev = severity_name(fd->severity);
	fprintf(f,
		"<details open class=\"finding %s\" id=\"finding-%zu\" "
		"data-id=\"",
		sev, k + 1);
	html_put(f, finding_name(fd->id), 0);
	fprintf(f,
		"\">\n<summary><span class=\"sev %s\"><span "
		"aria-hidden=\"true\">%s</span> %s</span> <code class=\"fid\">",
		sev, sev_mark[fd->severity], sev);
	html_put(f, finding_name(fd->id), 0);
	fputs("</code> <span class=\"fsite\">", f);
	html_put(f, fd->site ? fd->site : "-", 0);
	fprintf(f, "</span> <span class=\"conf\">(%s)</span><br>",
		confidence_name(fd->confidence));
	html_put(f, fd->summary, 0);
	fputs("</summary>\n", f);
	if (fd->detail) {
		fputs("<p>", f);
		html_put(f, fd->detail, 0);
		fputs("</p>\n", f);
	}
	finding_evidence_list(f, fd);
	if (fd->contradiction) {
		fputs("<p><strong>Contradicted by:</strong> ", f);
		html_put(f, fd->contradiction, 0);
		fputs("</p>\n", f);
	}
	if (fd->ruled_out_by) {
		fputs("<p><strong>Ruled out:</strong> ", f);
		html_put(f, fd->ruled_out_by, 0);
		fputs("</p>\n", f);
	}
	if (fd->fix) {
		fputs("<p class=\"fix\"><strong>Fix:</strong> ", f);
		html_put(f, fd->fix, 0);
		fputs("</p>\n", f);
	}
	finding_where(f, r, k);
	fputs("</details>\n", f);
}

/* ✗ problem, ✓ nothing found, ? undecided: symbol and word, not only
 * colour. */
static const char *
section_state(const struct findings *fs, int sec, size_t *nf)
{
	*nf = 0;
	for (size_t i = 0; i < fs->n; i++)
		*nf += fs->f[i].section == (enum section)sec;
	return *nf ? "fail" : fs->decided[sec] ? "ok" : "unk";
}

static void
section_overview(FILE *f, const struct findings *fs)
{
	fputs("<ul class=\"sections\">\n", f);
	for (int sec = 0; sec < SEC_COUNT; sec++) {
		size_t nf;
		const char *st = section_state(fs, sec, &nf);
		const char *mark = *st == 'f'	? "\xe2\x9c\x97"
				   : *st == 'o' ? "\xe2\x9c\x93"
						: "?";
		fprintf(f,
			"<li class=\"%s\"><span class=\"m %s\" "
			"aria-hidden=\"true\">%s</span> ",
			st, st, mark);
		if (nf)
			fprintf(f,
				"<a href=\"#sec-%s\">%s</a> \xe2\x80\x94 %zu "
				"finding%s</li>\n",
				section_key((enum section)sec),
				section_name((enum section)sec), nf,
				nf == 1 ? "" : "s");
		else
			fprintf(f, "%s \xe2\x80\x94 %s</li>\n",
				section_name((enum section)sec),
				*st == 'o' ? "no problem found"
					   : "undecided, see <a "
					     "href=\"#collect\">what to "
					     "collect</a>");
	}
	fputs("</ul>\n", f);
}

static void
findings_part(FILE *f, const struct report *r)
{
	fputs("<section id=\"findings\" aria-labelledby=\"findings-h\">\n<h2 "
	      "id=\"findings-h\">Findings by section of the guide</h2>\n",
	      f);
	const struct findings *fs = r->findings;
	if (fs == NULL) {
		fputs("<p>No checks were run.</p>\n</section>\n", f);
		return;
	}
	section_overview(f, fs);
	for (int sec = 0; sec < SEC_COUNT; sec++) {
		size_t nf;
		section_state(fs, sec, &nf);
		if (nf == 0)
			continue;
		fprintf(f,
			"<section id=\"sec-%s\" aria-labelledby=\"sec-%s-h\">\n"
			"<h3 id=\"sec-%s-h\"><span class=\"m fail\" "
			"aria-hidden=\"true\">\xe2\x9c\x97</span> %s</h3>\n",
			section_key((enum section)sec),
			section_key((enum section)sec),
			section_key((enum section)sec),
			section_name((enum section)sec));
		for (size_t i = 0; i < fs->n; i++)
			if (fs->f[i].section == (enum section)sec)
				finding_one(f, r, i);
		fputs("</section>\n", f);
	}
	if (fs->n == 0)
		fputs("<p>No findings.</p>\n", f);
	fputs("</section>\n", f);
}

static void
collect_part(FILE *f, const struct report *r)
{
	fputs("<section id=\"collect\" aria-labelledby=\"collect-h\">\n<h2 "
	      "id=\"collect-h\">What to collect next</h2>\n",
	      f);
	const struct findings *fs = r->findings;
	if (fs == NULL || fs->nc == 0) {
		fputs(
		    "<p>Nothing: every section of the guide was decided.</p>\n"
		    "</section>\n",
		    f);
		return;
	}
	fputs("<p>Sections the tool could not decide, and what would decide "
	      "them.</p>\n<ol>\n",
	      f);
	for (size_t i = 0; i < fs->nc; i++) {
		fprintf(f, "<li id=\"collect-%zu\"><strong>%s</strong>", i + 1,
			section_name(fs->c[i].section));
		if (fs->c[i].site) {
			fputs(" (", f);
			html_put(f, fs->c[i].site, 0);
			fputc(')', f);
		}
		fputs(": ", f);
		html_put(f, fs->c[i].what, 0);
		fputs("</li>\n", f);
	}
	fputs("</ol>\n</section>\n", f);
}

static void
inputs_part(FILE *f, const struct report *r)
{
	fputs("<section id=\"inputs\" aria-labelledby=\"inputs-h\">\n<h2 "
	      "id=\"inputs-h\">Inputs</h2>\n<ul>\n",
	      f);
	for (size_t i = 0; i < r->nsites; i++) {
		const struct site *s = r->sites[i];
		fputs("<li><strong>", f);
		html_put(f, s->name, 0);
		fputs("</strong> ", f);
		html_put(f, site_kind_name(s->kind), 0);
		if (s->product_version) {
			fputc(' ', f);
			html_put(f, s->product_version, 0);
		}
		if (s->config_version) {
			fputs(" (config ", f);
			html_put(f, s->config_version, 0);
			fputc(')', f);
		}
		fputs("\n<ul>\n", f);
		for (size_t j = 0; j < s->ninputs; j++) {
			const struct input_file *in = &s->inputs[j];
			fputs("<li><code>", f);
			html_put(f, in->path, 0);
			fputs("</code> ", f);
			html_put(f, input_kind_name(in->kind), 0);
			if (in->summary) {
				fputs(": ", f);
				html_put(f, in->summary, 0);
			}
			if (in->failed)
				fputs(" <strong>(could not be read)</strong>",
				      f);
			fputs("</li>\n", f);
		}
		fputs("</ul></li>\n", f);
	}
	fputs("</ul>\n</section>\n", f);
}

void
rep_html(FILE *f, const struct report *r)
{
	page_head(f, r);
	page_header(f, r);
	html_flows(f, r);
	findings_part(f, r);
	html_compare(f, r);
	collect_part(f, r);
	inputs_part(f, r);
	fputs("</main>\n<footer><p>Made by ipsecdiag", f);
	if (r->timestamps) {
		char when[64];
		time_t now = time(NULL);
		struct tm tm;
		if (gmtime_r(&now, &tm) &&
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
			fprintf(f, " on %s", when);
	}
	fputs(".</p></footer>\n</body>\n</html>\n", f);
}
