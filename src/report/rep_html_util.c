/* HTML report helpers: escaping of hostile text, and which finding
 * explains which failing hop. */
#include <string.h>

#include "report/rep_html.h"

/* Length of the valid UTF-8 sequence at p (RFC 3629 §4), 0 if invalid. */
static size_t
utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f; /* no surrogates */
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static void
put_char(FILE *f, const unsigned char *p, size_t len)
{
	switch (*p) {
	case '&':
		fputs("&amp;", f);
		return;
	case '<':
		fputs("&lt;", f);
		return;
	case '>':
		fputs("&gt;", f);
		return;
	case '"':
		fputs("&quot;", f);
		return;
	case '\'':
		fputs("&#39;", f);
		return;
	}
	if (len == 1 && ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f))
		fputs("\xef\xbf\xbd", f);
	else
		fwrite(p, 1, len, f);
}

void
html_put(FILE *f, const char *s, size_t max)
{
	if (s == NULL)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;
	while (*p) {
		if (max && chars == max - 1 &&
		    p[utf8_len(p) ? utf8_len(p) : 1]) {
			fputs("\xe2\x80\xa6", f); /* … */
			return;
		}
		size_t n = utf8_len(p);
		if (n == 0) {
			fputs("\xef\xbf\xbd", f);
			p++;
		} else {
			put_char(f, p, n);
			p += n;
		}
		chars++;
	}
}

const char *
html_dir(bool reply)
{
	return reply ? "rep" : "req";
}

const struct path *
html_path(const struct flow_trace *ft, bool reply)
{
	return reply ? &ft->reply : &ft->request;
}

bool
html_finding_hop(const struct report *r, const struct finding *fd, size_t *flow,
		 bool *reply, size_t *hop)
{
	if (fd->flow < 0 || fd->hop < 0 || (size_t)fd->flow >= r->nflows)
		return false;
	const struct path *p = html_path(&r->flows[fd->flow], fd->reply);
	if ((size_t)fd->hop >= p->n)
		return false;
	*flow = (size_t)fd->flow;
	*reply = fd->reply;
	*hop = (size_t)fd->hop;
	return true;
}

static bool
same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* One finding stands for a root cause across flows (doc/ARCHITECTURE.md §4): it
 * names one hop; other hops that fail the same way (same cause, same
 * site, same kind of step) belong to it too. Failing that, a finding
 * whose id is the hop's cause. */
int
html_hop_finding(const struct report *r, size_t flow, bool reply, size_t hop)
{
	const struct findings *fs = r->findings;
	const struct step *s = &html_path(&r->flows[flow], reply)->steps[hop];
	if (fs == NULL || !s->failed)
		return -1;
	int by_kind = -1, by_id = -1;
	for (size_t i = 0; i < fs->n; i++) {
		size_t fl, h;
		bool rp;
		const struct finding *fd = &fs->f[i];
		if (html_finding_hop(r, fd, &fl, &rp, &h)) {
			if (fl == flow && rp == reply && h == hop)
				return (int)i;
			const struct step *t =
			    &html_path(&r->flows[fl], rp)->steps[h];
			if (by_kind < 0 && t->failed &&
			    s->cause != FINDING_NONE && t->cause == s->cause &&
			    same(t->site, s->site) && t->kind == s->kind)
				by_kind = (int)i;
		}
		if (by_id < 0 && s->cause != FINDING_NONE && fd->id == s->cause)
			by_id = (int)i;
	}
	return by_kind >= 0 ? by_kind : by_id;
}

void
html_path_result(FILE *f, const struct path *p)
{
	if (p->n == 0) {
		fputs("<span class=\"m nr\" aria-hidden=\"true\">\xe2\x80\x93"
		      "</span> not traced",
		      f);
		return;
	}
	if (p->delivered) {
		fputs("<span class=\"m ok\" aria-hidden=\"true\">\xe2\x9c\x93"
		      "</span> delivered",
		      f);
		return;
	}
	bool dies = p->fail_at >= 0 && (size_t)p->fail_at < p->n;
	const struct step *s = &p->steps[dies ? (size_t)p->fail_at : p->n - 1];
	fprintf(f, "<span class=\"m %s\" aria-hidden=\"true\">%s</span> %s at ",
		dies ? "fail" : "unk", dies ? "\xe2\x9c\x97" : "?",
		dies ? "dies" : "unknown");
	html_put(f, s->site, 0);
	fprintf(f, " %s", step_kind_name(s->kind));
	if (s->iface) {
		fputc(' ', f);
		html_put(f, s->iface, 0);
	}
}

bool
html_flow_healthy(const struct report *r, size_t flow)
{
	const struct flow_trace *ft = &r->flows[flow];
	if (!ft->request.delivered || !ft->reply.delivered)
		return false;
	if (r->findings)
		for (size_t i = 0; i < r->findings->n; i++)
			if (r->findings->f[i].flow == (int)flow)
				return false;
	return true;
}
