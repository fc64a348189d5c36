/* The text report: flows and where they die, findings by guide section,
 * what to collect next. Stable, 80 columns, no clock times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

enum { WIDTH = 80 };

struct style {
	const char *red, *green, *yellow, *bold, *dim, *off;
};

static struct style
style_of(const struct report *r)
{
	if (r->color)
		return (struct style){"\033[31m", "\033[32m", "\033[33m",
				      "\033[1m",  "\033[2m",  "\033[0m"};
	return (struct style){"", "", "", "", "", ""};
}

/* Prints text wrapped at WIDTH; the first line starts at column `col`,
 * continuation lines are indented by `indent`. */
void
rep_wrap(FILE *f, const char *text, int col, int indent)
{
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		int room = WIDTH - col;
		size_t len = strlen(p);
		if ((int)len <= room) {
			fputs(p, f);
			break;
		}
		int cut = room;
		while (cut > 0 && p[cut] != ' ')
			cut--;
		if (cut <= 0) { /* one long word: let it overflow */
			cut = room;
			while (p[cut] && p[cut] != ' ')
				cut++;
		}
		fprintf(f, "%.*s\n%*s", cut, p, indent, "");
		p += cut;
		col = indent;
	}
	fputc('\n', f);
}

static const char *
mark_utf8(const struct path *p)
{
	return p->delivered ? "\u2713" : p->fail_at >= 0 ? "\u2717" : "?";
}

static void
print_path(FILE *f, const struct path *p, const struct style *st)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->steps[i];
		char head[96];
		int n = snprintf(head, sizeof(head), "%3zu %s %s%s%s", i + 1,
				 s->site, step_kind_name(s->kind),
				 s->iface ? " " : "", s->iface ? s->iface : "");
		const char *color = s->failed	 ? st->red
				    : s->assumed ? st->yellow
						 : "";
		fprintf(f, "%s%s%s: ", color, head, *color ? st->off : "");
		char what[2048];
		snprintf(what, sizeof(what), "%s%s", s->what ? s->what : "",
			 s->failed ? "  <-- dies here" : "");
		rep_wrap(f, what, n + 2, 8);
	}
}

static const char *
step_where(const struct step *s)
{
	return s->iface ? s->iface : "";
}

/* "x dies at siteB DENIED_IN enc0" */
static void
path_summary(FILE *f, const char *label, const struct path *p,
	     const struct style *st)
{
	if (p->n == 0) {
		fprintf(f, "    %-7s  not traced\n", label);
		return;
	}
	if (p->delivered) {
		fprintf(f, "    %-7s %s%s%s delivered\n", label, st->green,
			mark_utf8(p), st->off);
		return;
	}
	const struct step *s =
	    &p->steps[p->fail_at >= 0 ? (size_t)p->fail_at : p->n - 1];
	fprintf(f, "    %-7s %s%s%s %s at %s %s%s%s\n", label,
		p->fail_at >= 0 ? st->red : st->yellow, mark_utf8(p), st->off,
		p->fail_at >= 0 ? "dies" : "unknown", s->site,
		step_kind_name(s->kind), *step_where(s) ? " " : "",
		step_where(s));
}

static void
print_flow_head(FILE *f, const struct flow_trace *ft, const struct style *st)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	fprintf(f, "%s%s -> %s %s%s\n", st->bold,
		ipaddr_format(&ft->pkt.src, a), ipaddr_format(&ft->pkt.dst, b),
		ft->proto_text, st->off);
}

static void
print_trace(FILE *f, const struct report *r, const struct style *st)
{
	for (size_t i = 0; i < r->nflows; i++) {
		const struct flow_trace *ft = &r->flows[i];
		if (i)
			fputc('\n', f);
		print_flow_head(f, ft, st);
		fprintf(f, "request (%u bytes%s):\n", ft->pkt.size,
			ft->pkt.df ? ", DF" : "");
		print_path(f, &ft->request, st);
		if (ft->reply_traced) {
			fputs("reply:\n", f);
			print_path(f, &ft->reply, st);
		} else {
			fputs("reply: not traced (the request does not "
			      "arrive)\n",
			      f);
		}
		fputs("result:\n", f);
		path_summary(f, "request", &ft->request, st);
		path_summary(f, "reply", &ft->reply, st);
		if (ft->nassump) {
			fputs("assumed:\n", f);
			for (size_t j = 0; j < ft->nassump; j++) {
				fputs("  - ", f);
				rep_wrap(f, ft->assumptions[j], 4, 4);
			}
		}
	}
}

/* What became of a flow: "" when both directions were delivered. */
static void
flow_outcome(const struct flow_trace *ft, char *buf, size_t size)
{
	const struct path *bad =
	    ft->request.delivered ? &ft->reply : &ft->request;
	if (ft->request.delivered && ft->reply.delivered) {
		if (ft->observed)
			snprintf(buf, size,
				 "predicted \u2713, observed failing: "
				 "%s",
				 ft->observed);
		else
			buf[0] = '\0';
		return;
	}
	const struct step *s =
	    bad->n ? &bad->steps[bad->fail_at >= 0 ? (size_t)bad->fail_at
						   : bad->n - 1]
		   : NULL;
	snprintf(buf, size, "%s %s at %s %s%s%s%s%s",
		 bad == &ft->reply ? "reply" : "request",
		 bad->fail_at >= 0 ? "dies" : "unknown", s ? s->site : "?",
		 s ? step_kind_name(s->kind) : "",
		 s && *step_where(s) ? " " : "", s ? step_where(s) : "",
		 ft->observed ? " (predicted); observed: " : "",
		 ft->observed ? ft->observed : "");
}

/* Dies somewhere, by the model or by the evidence. */
static bool
flow_failed(const struct flow_trace *ft)
{
	return ft->request.fail_at >= 0 || ft->reply.fail_at >= 0 ||
	       ft->observed != NULL;
}

static bool
same_pair(const struct flow_trace *a, const struct flow_trace *b)
{
	return ipaddr_cmp(&a->pkt.src, &b->pkt.src) == 0 &&
	       ipaddr_cmp(&a->pkt.dst, &b->pkt.dst) == 0;
}

/* One line per host pair and direction, protocols grouped by outcome:
 * "x 10.0.1.10 -> 10.0.2.10: icmp, udp/53: request dies at siteB ..." */
static void
print_flow_lines(FILE *f, const struct report *r, const struct style *st)
{
	fprintf(f, "%sFlows%s (request and reply; each direction)\n", st->bold,
		st->off);
	bool *done = calloc(r->nflows ? r->nflows : 1, sizeof(*done));
	for (size_t i = 0; i < r->nflows; i++) {
		if (done[i])
			continue;
		const struct flow_trace *ft = &r->flows[i];
		char a[ADDR_STRLEN], b[ADDR_STRLEN], line[2048], out[512];
		bool all_ok = true, any_bad = false;
		int n = snprintf(line, sizeof(line),
				 "%s -> %s:", ipaddr_format(&ft->pkt.src, a),
				 ipaddr_format(&ft->pkt.dst, b));
		const char *sep = " ";
		for (size_t j = i; j < r->nflows; j++) {
			if (done[j] || !same_pair(ft, &r->flows[j]))
				continue;
			flow_outcome(&r->flows[j], out, sizeof(out));
			all_ok = all_ok && !*out;
			any_bad = any_bad || flow_failed(&r->flows[j]);
			/* every protocol with this outcome, in order */
			const char *psep = "";
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s",
				      sep);
			for (size_t k = j; k < r->nflows; k++) {
				char o2[512];
				if (done[k] || !same_pair(ft, &r->flows[k]))
					continue;
				flow_outcome(&r->flows[k], o2, sizeof(o2));
				if (strcmp(o2, out) != 0)
					continue;
				done[k] = true;
				n += snprintf(line + n,
					      sizeof(line) - (size_t)n, "%s%s",
					      psep, r->flows[k].proto_text);
				psep = ", ";
			}
			n +=
			    snprintf(line + n, sizeof(line) - (size_t)n, "%s%s",
				     *out ? ": " : " ", *out ? out : "\u2713");
			sep = "; ";
			if (n >= (int)sizeof(line) - 300)
				break;
		}
		/* a flow whose fate is unknown (a site missing) is no failure
		 */
		fprintf(f, "  %s%s%s ",
			all_ok	  ? st->green
			: any_bad ? st->red
				  : st->yellow,
			all_ok	  ? "\u2713"
			: any_bad ? "\u2717"
				  : "?",
			st->off);
		rep_wrap(f, line, 4, 6);
	}
	free(done);
	fputc('\n', f);
}

static const char *
sev_color(const struct style *st, enum severity s)
{
	return s == SEV_ERROR ? st->red : s == SEV_WARNING ? st->yellow : "";
}

static void
print_finding(FILE *f, const struct finding *fd, const struct style *st)
{
	fprintf(f, "  %s%s%s %s [%s] (%s)\n", sev_color(st, fd->severity),
		severity_name(fd->severity), st->off, finding_name(fd->id),
		fd->site ? fd->site : "-", confidence_name(fd->confidence));
	fputs("    ", f);
	rep_wrap(f, fd->summary, 4, 4);
	if (fd->detail) {
		fputs("    ", f);
		rep_wrap(f, fd->detail, 4, 4);
	}
	for (size_t i = 0; i < fd->nev; i++) {
		char loc[512] = "";
		if (fd->ev[i].loc.file)
			srcloc_format(&fd->ev[i].loc, loc, sizeof(loc));
		char line[2048];
		const char *text = fd->ev[i].text ? fd->ev[i].text : "";
		if (*loc && strstr(text, loc))
			*loc = '\0'; /* the text names it already */
		snprintf(line, sizeof(line), "evidence (%s)%s%s: %s",
			 evref_kind_name(fd->ev[i].kind), *loc ? " " : "", loc,
			 text);
		fputs("    ", f);
		rep_wrap(f, line, 4, 6);
	}
	if (fd->contradiction) {
		fputs("    contradicted: ", f);
		rep_wrap(f, fd->contradiction, 18, 6);
	}
	if (fd->ruled_out_by) {
		fputs("    ruled out: ", f);
		rep_wrap(f, fd->ruled_out_by, 15, 6);
	}
	if (fd->fix) {
		fputs("    fix: ", f);
		rep_wrap(f, fd->fix, 9, 6);
	}
}

/* "✓ fine: a, b, c" or "? undecided: ..." over the sections in the
 * guide's order that have no finding. */
static void
print_section_list(FILE *f, const struct findings *fs, bool decided,
		   const char *mark, const char *label, const char *color,
		   const struct style *st)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "%s:", label);
	bool any = false;
	for (int sec = 0; sec < SEC_COUNT; sec++) {
		bool has = false;
		for (size_t i = 0; i < fs->n; i++)
			has = has || fs->f[i].section == (enum section)sec;
		if (has || fs->decided[sec] != decided)
			continue;
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s %s",
			      any ? ";" : "", section_name((enum section)sec));
		any = true;
	}
	if (!any)
		return;
	fprintf(f, "%s%s%s ", color, mark, st->off);
	rep_wrap(f, line, 2, 4);
}

static void
print_findings(FILE *f, const struct report *r, const struct style *st)
{
	const struct findings *fs = r->findings;
	fprintf(f, "%sFindings by section of the guide%s\n", st->bold, st->off);
	for (int sec = 0; sec < SEC_COUNT; sec++) {
		size_t n = 0, bad = 0;
		for (size_t i = 0; i < fs->n; i++) {
			const struct finding *x = &fs->f[i];
			n += x->section == (enum section)sec;
			bad += x->section == (enum section)sec &&
			       finding_counts(x) && x->severity > SEV_INFO;
		}
		/* a section with only information or ruled-out findings is
		 * not a failure */
		if (n)
			fprintf(f, "%s%s%s %s\n", bad ? st->red : "",
				bad ? "\u2717" : "\u2022", st->off,
				section_name((enum section)sec));
		for (size_t i = 0; i < fs->n; i++)
			if (fs->f[i].section == (enum section)sec)
				print_finding(f, &fs->f[i], st);
		for (size_t i = 0; i < fs->nnotes; i++)
			if (fs->notes[i].section == (enum section)sec) {
				fprintf(f, "  note (%s): ",
					section_name((enum section)sec));
				rep_wrap(f, fs->notes[i].text, 10, 4);
			}
	}
	print_section_list(f, fs, true, "\u2713", "checked and fine", st->green,
			   st);
	print_section_list(f, fs, false, "?", "not decided (see below)",
			   st->yellow, st);
	size_t ne = 0, nw = 0, nr = 0;
	for (size_t i = 0; i < fs->n; i++) {
		bool counts = finding_counts(&fs->f[i]);
		ne += counts && fs->f[i].severity == SEV_ERROR;
		nw += counts && fs->f[i].severity == SEV_WARNING;
		nr += !counts;
	}
	fprintf(f, "\n%zu finding%s (%zu error%s, %zu warning%s", fs->n,
		fs->n == 1 ? "" : "s", ne, ne == 1 ? "" : "s", nw,
		nw == 1 ? "" : "s");
	if (nr)
		fprintf(f, ", %zu ruled out", nr);
	fputs(")\n", f);
}

static void
print_collect(FILE *f, const struct report *r, const struct style *st)
{
	const struct findings *fs = r->findings;
	if (fs->nc == 0)
		return;
	fprintf(f, "\n%sWhat to collect next%s (sections not decided)\n",
		st->bold, st->off);
	for (size_t i = 0; i < fs->nc; i++) {
		char line[2048];
		snprintf(line, sizeof(line), "%s: %s",
			 section_name(fs->c[i].section), fs->c[i].what);
		fputs("  - ", f);
		rep_wrap(f, line, 4, 6);
	}
}

/* Inputs of a known kind that could not be read: the findings were
 * reached without them. */
static void
print_missing(FILE *f, const struct report *r, const struct style *st)
{
	bool any = false;
	for (size_t i = 0; i < r->nsites; i++)
		for (size_t j = 0; j < r->sites[i]->ninputs; j++) {
			const struct input_file *in = &r->sites[i]->inputs[j];
			if (!in->failed && !in->partial)
				continue;
			if (!any)
				fprintf(f,
					"\n%sMissing evidence%s (inputs that "
					"could not be read, or only in part)\n",
					st->bold, st->off);
			any = true;
			char line[2048];
			if (in->partial)
				snprintf(
				    line, sizeof(line),
				    "%s: %s (%s) is "
				    "damaged: the diagnosis used only what "
				    "could be read of it (%s)",
				    r->sites[i]->name, in->path,
				    input_kind_name(in->kind),
				    in->summary ? in->summary : "");
			else if (in->kind == INPUT_UNKNOWN)
				snprintf(line, sizeof(line),
					 "%s: %s: not read "
					 "(%s)",
					 r->sites[i]->name, in->path,
					 in->why ? in->why : "unrecognised");
			else
				snprintf(line, sizeof(line),
					 "%s: %s (%s) could "
					 "not be read: the diagnosis went on "
					 "without %s",
					 r->sites[i]->name, in->path,
					 input_kind_name(in->kind),
					 input_kind_adds(in->kind));
			fputs("  - ", f);
			rep_wrap(f, line, 4, 6);
		}
}

void
rep_text(FILE *f, const struct report *r)
{
	struct style st = style_of(r);
	if (strcmp(r->command, "trace") == 0) {
		print_trace(f, r, &st);
		return;
	}
	if (r->nflows)
		print_flow_lines(f, r, &st);
	for (size_t i = 0; r->verbose && i < r->nflows; i++) {
		const struct flow_trace *ft = &r->flows[i];
		if (ft->request.delivered && ft->reply.delivered)
			continue;
		print_flow_head(f, ft, &st);
		print_path(f, ft->request.delivered ? &ft->reply : &ft->request,
			   &st);
		fputc('\n', f);
	}
	if (r->findings) {
		print_findings(f, r, &st);
		print_missing(f, r, &st);
		print_collect(f, r, &st);
	}
}
