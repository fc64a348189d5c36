/* The HTML report's side-by-side table of both ends' phase 1 and phase 2
 * parameters: the params_table `ipsecdiag compare` prints
 * (model/compare.h), one table per phase 1 or phase 2 pair, a mark per
 * row. */
#include "report/rep_html.h"

/* class, visible mark, the words a screen reader says instead */
static void
cmp_mark(FILE *f, int match)
{
	static const char *const cls[] = {"fail", "ok", "info"};
	static const char *const mk[] = {"\xe2\x9c\x97", "\xe2\x9c\x93", ""};
	static const char *const say[] = {"differ", "agree", "for information"};
	if (match == -1) {
		fputs("<td class=\"m unk\"><span aria-hidden=\"true\">?"
		      "</span><span class=\"sr\">cannot tell</span></td>",
		      f);
		return;
	}
	int k = match == 0 ? 0 : match == 1 ? 1 : 2;
	fprintf(f,
		"<td class=\"m %s\"><span aria-hidden=\"true\">%s</span>"
		"<span class=\"sr\">%s</span></td>",
		cls[k], mk[k], say[k]);
}

static void
cmp_block(FILE *f, const struct params_table *t, const struct params_block *b)
{
	fputs("<div class=\"tw\"><table class=\"cmp\"><caption>", f);
	html_put(f, b->title, 0);
	fputs("</caption>\n<thead><tr><th scope=\"col\"><span class=\"sr\">"
	      "agree</span></th><th scope=\"col\">parameter</th><th "
	      "scope=\"col\">",
	      f);
	html_put(f, t->a, 0);
	fputs("</th><th scope=\"col\">", f);
	html_put(f, t->b, 0);
	fputs("</th></tr></thead>\n<tbody>\n", f);
	for (size_t j = 0; j < b->n; j++) {
		const struct params_row *r = &b->rows[j];
		fprintf(f, "<tr data-match=\"%s\">",
			r->match == 1	 ? "agree"
			: r->match == 0	 ? "differ"
			: r->match == -1 ? "unknown"
					 : "info");
		cmp_mark(f, r->match);
		fputs("<th scope=\"row\">", f);
		html_put(f, r->name, 0);
		fputs("</th><td><code>", f);
		html_put(f, r->a, 0);
		fputs("</code></td><td><code>", f);
		html_put(f, r->b, 0);
		fputs("</code></td></tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
}

void
html_compare(FILE *f, const struct report *r)
{
	if (r->ncompares == 0)
		return;
	fputs("<section id=\"compare\" aria-labelledby=\"compare-h\">\n<h2 "
	      "id=\"compare-h\">Both ends compared</h2>\n<p>Phase 1 and "
	      "phase 2 parameters side by side, as <code>ipsecdiag "
	      "compare</code> shows them: \xe2\x9c\x93 agree, \xe2\x9c\x97 "
	      "differ (the tunnel fails), ? cannot tell (a default or "
	      "redacted value), no mark for information.</p>\n",
	      f);
	for (size_t i = 0; i < r->ncompares; i++) {
		const struct params_table *t = &r->compares[i];
		fputs("<h3>", f);
		html_put(f, t->a, 0);
		fputs(" and ", f);
		html_put(f, t->b, 0);
		fprintf(f, ": %zu difference%s</h3>\n", t->ndiffer,
			t->ndiffer == 1 ? "" : "s");
		for (size_t k = 0; k < t->n; k++)
			cmp_block(f, t, &t->blocks[k]);
	}
	fputs("</section>\n", f);
}
