/* The flows part of the HTML report: a table of every flow, then each
 * flow with the picture of its request and reply and the hops as a
 * numbered list (the diagram's text alternative, and the anchors that
 * findings link to: #flow-N-req-hop-M, 1-based as in the text report).
 * Healthy flows are collapsed. */
#include <string.h>

#include "report/rep_html.h"

static void
flow_head(FILE *f, const struct flow_trace *ft)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	fprintf(f, "%s \xe2\x86\x92 %s ", ipaddr_format(&ft->pkt.src, a),
		ipaddr_format(&ft->pkt.dst, b));
	html_put(f, ft->proto_text, 0);
}

static const char *
flow_mark(const struct flow_trace *ft, const char **cls)
{
	if (ft->request.delivered && ft->reply.delivered && !ft->observed) {
		*cls = "ok";
		return "\xe2\x9c\x93";
	}
	if (ft->request.delivered && ft->reply.delivered) {
		*cls = "fail"; /* the evidence shows it failing */
		return "\xe2\x9c\x97";
	}
	const struct path *p =
	    ft->request.delivered ? &ft->reply : &ft->request;
	*cls = p->fail_at >= 0 ? "fail" : "unk";
	return p->fail_at >= 0 ? "\xe2\x9c\x97" : "?";
}

static void
flows_table(FILE *f, const struct report *r)
{
	fputs("<div class=\"tw\"><table class=\"flows\">\n<caption>Every flow "
	      "examined, request and reply</caption>\n<thead><tr><th "
	      "scope=\"col\">Flow</th><th scope=\"col\">Request</th><th "
	      "scope=\"col\">Reply</th></tr></thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < r->nflows; i++) {
		const struct flow_trace *ft = &r->flows[i];
		const char *cls;
		const char *mark = flow_mark(ft, &cls);
		fprintf(
		    f,
		    "<tr class=\"%s\"><th scope=\"row\"><span class=\"m %s\" "
		    "aria-hidden=\"true\">%s</span> <a "
		    "href=\"#flow-%zu\">%zu. ",
		    cls, cls, mark, i + 1, i + 1);
		flow_head(f, ft);
		fputs("</a></th><td>", f);
		html_path_result(f, &ft->request);
		fputs("</td><td>", f);
		html_path_result(f, &ft->reply);
		if (ft->observed) {
			fputs("<br><strong>observed:</strong> ", f);
			html_put(f, ft->observed, 0);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

static bool
in_what(const struct step *s, const char *text)
{
	return text && s->what && strstr(s->what, text);
}

/* What decided the hop, field by field, where the one-line `what` does
 * not already say it. */
static void
hop_details(FILE *f, const struct step *s)
{
	if (s->rule &&
	    !(in_what(s, s->rule->descr) &&
	      (s->rule->tracker == NULL || in_what(s, s->rule->tracker)))) {
		fputs("<br><span class=\"dt\">rule:</span> ", f);
		html_put(f, rule_action_name(s->rule->action), 0);
		fputc(' ', f);
		html_put(f, rule_origin_name(s->rule->origin), 0);
		if (s->rule->position)
			fprintf(f, " %u", s->rule->position);
		if (s->rule->descr) {
			fputs(" \xe2\x80\x9c", f);
			html_put(f, s->rule->descr, 0);
			fputs("\xe2\x80\x9d", f);
		}
		if (s->rule->tracker) {
			fputs(" tracker ", f);
			html_put(f, s->rule->tracker, 0);
		}
	}
	if (s->p2 && !in_what(s, s->p2->descr)) {
		char l[PREFIX_STRLEN], rm[PREFIX_STRLEN];
		fputs("<br><span class=\"dt\">phase 2:</span> ", f);
		if (s->p2->descr) {
			fputs("\xe2\x80\x9c", f);
			html_put(f, s->p2->descr, 0);
			fputs("\xe2\x80\x9d ", f);
		}
		fprintf(f, "%s === %s", prefix_format(&s->p2->local.net, l),
			prefix_format(&s->p2->remote.net, rm));
	}
	if (s->route) {
		char n[PREFIX_STRLEN];
		fprintf(f, "<br><span class=\"dt\">route:</span> %s %s",
			route_kind_name(s->route->kind),
			prefix_format(&s->route->net, n));
		if (s->route->iface) {
			fputs(" on ", f);
			html_put(f, s->route->iface, 0);
		}
	}
	char loc[600];
	if (s->loc.file &&
	    !in_what(s, srcloc_format(&s->loc, loc, sizeof(loc)))) {
		fputs("<br><span class=\"dt\">source:</span> <code>", f);
		html_put(f, loc, 0);
		fputs("</code>", f);
	}
}

/* One hop of the text list; a failing hop links to its finding. */
static void
hop_item(FILE *f, const struct report *r, size_t flow, bool reply, size_t i)
{
	const struct path *p = html_path(&r->flows[flow], reply);
	const struct step *s = &p->steps[i];
	bool after = p->fail_at >= 0 && (int)i > p->fail_at;
	const char *cls = s->failed ? "fail"
			  : after   ? "after"
			  : s->assumed || s->kind == STEP_INSUFFICIENT_INFO
			      ? "unk"
			      : "ok";
	const char *mark = s->failed	 ? "\xe2\x9c\x97"
			   : after	 ? "\xc2\xb7"
			   : *cls == 'u' ? "?"
					 : "\xe2\x9c\x93";
	fprintf(f,
		"<li id=\"flow-%zu-%s-hop-%zu\" class=\"hop %s\"><span "
		"class=\"m %s\" aria-hidden=\"true\">%s</span> <strong>",
		flow + 1, html_dir(reply), i + 1, cls, cls, mark);
	html_put(f, s->site, 0);
	fprintf(f, "</strong> <span class=\"kind\">%s</span> ",
		step_kind_name(s->kind));
	html_put(f, s->iface, 0);
	fputs(": ", f);
	html_put(f, s->what, 0);
	if (s->failed)
		fputs(" <strong class=\"dies\">\xe2\x80\x94 dies here</strong>",
		      f);
	else if (*cls == 'u')
		fputs(" <em>(assumed)</em>", f);
	else if (after)
		fputs(" <em>(after the packet went wrong)</em>", f);
	hop_details(f, s);
	int k = html_hop_finding(r, flow, reply, i);
	if (k >= 0) {
		fprintf(f,
			"<br><a class=\"to-finding\" href=\"#finding-%d\">"
			"\xe2\x86\x92 finding %d: ",
			k + 1, k + 1);
		html_put(f, finding_name(r->findings->f[k].id), 0);
		fputs("</a>", f);
	} else if (s->failed && s->cause != FINDING_NONE) {
		fputs("<br>cause: ", f);
		html_put(f, finding_name(s->cause), 0);
	}
	fputs("</li>\n", f);
}

static void
flow_path(FILE *f, const struct report *r, size_t flow, bool reply)
{
	const struct flow_trace *ft = &r->flows[flow];
	const struct path *p = html_path(ft, reply);
	fprintf(
	    f,
	    "<section class=\"path\" id=\"flow-%zu-%s\" "
	    "aria-labelledby=\"flow-%zu-%s-h\">\n<h4 id=\"flow-%zu-%s-h\">%s",
	    flow + 1, html_dir(reply), flow + 1, html_dir(reply), flow + 1,
	    html_dir(reply), reply ? "Reply" : "Request");
	if (!reply)
		fprintf(f, " (%u bytes%s)", ft->pkt.size,
			ft->pkt.df ? ", DF" : "");
	fputs(": ", f);
	html_path_result(f, p);
	fputs("</h4>\n", f);
	if (p->n == 0) {
		fputs("<p>Not traced: the request does not arrive.</p>\n"
		      "</section>\n",
		      f);
		return;
	}
	html_svg_path(f, r, flow, reply);
	fputs("<ol class=\"hops\">\n", f);
	for (size_t i = 0; i < p->n; i++)
		hop_item(f, r, flow, reply, i);
	fputs("</ol>\n</section>\n", f);
}

static void
flow_body(FILE *f, const struct report *r, size_t i)
{
	const struct flow_trace *ft = &r->flows[i];
	flow_path(f, r, i, false);
	flow_path(f, r, i, true);
	if (ft->nassump) {
		fprintf(f,
			"<details class=\"assume\"><summary>Assumptions "
			"(%zu)</summary>\n<ul>\n",
			ft->nassump);
		for (size_t j = 0; j < ft->nassump; j++) {
			fputs("<li>", f);
			html_put(f, ft->assumptions[j], 0);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n</details>\n", f);
	}
}

static void
flow_one(FILE *f, const struct report *r, size_t i)
{
	const struct flow_trace *ft = &r->flows[i];
	const char *cls;
	const char *mark = flow_mark(ft, &cls);
	bool healthy = html_flow_healthy(r, i);
	if (healthy)
		fprintf(f,
			"<details class=\"flow %s\" id=\"flow-%zu\">\n"
			"<summary><h3 id=\"flow-%zu-h\">",
			cls, i + 1, i + 1);
	else
		fprintf(
		    f,
		    "<article class=\"flow %s\" id=\"flow-%zu\" "
		    "aria-labelledby=\"flow-%zu-h\">\n<h3 id=\"flow-%zu-h\">",
		    cls, i + 1, i + 1, i + 1);
	fprintf(f,
		"<span class=\"m %s\" aria-hidden=\"true\">%s</span> Flow "
		"%zu: ",
		cls, mark, i + 1);
	flow_head(f, ft);
	if (healthy)
		fputs(" \xe2\x80\x94 request and reply "
		      "delivered</h3></summary>\n",
		      f);
	else
		fputs("</h3>\n", f);
	flow_body(f, r, i);
	fputs(healthy ? "</details>\n" : "</article>\n", f);
}

void
html_flows(FILE *f, const struct report *r)
{
	fputs("<section id=\"flows\" aria-labelledby=\"flows-h\">\n<h2 "
	      "id=\"flows-h\">Flows</h2>\n",
	      f);
	if (r->nflows == 0) {
		fputs("<p>No flows were examined.</p>\n</section>\n", f);
		return;
	}
	fputs("<p class=\"legend\">Each hop: <span class=\"m ok\">\xe2\x9c\x93"
	      "</span> passes, <span class=\"m fail\">\xe2\x9c\x97</span> the "
	      "packet dies here, <span class=\"m unk\">?</span> assumed or "
	      "unknown, <span class=\"m after\">\xc2\xb7</span> after the "
	      "packet went wrong, <span class=\"m nr\">\xe2\x80\x93</span> not "
	      "reached. Hover a hop in a picture for what decided it; the "
	      "numbered list under each picture says the same in words.</p>\n",
	      f);
	flows_table(f, r);
	for (size_t i = 0; i < r->nflows; i++)
		flow_one(f, r, i);
	fputs("</section>\n", f);
}
