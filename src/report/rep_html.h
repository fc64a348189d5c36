/* Internal to the HTML report (rep_html*.c): escaping, the links between
 * failing hops and findings, and the parts of the page. */
#ifndef REPORT_REP_HTML_H
#define REPORT_REP_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

/* Writes s as HTML text or attribute value: markup characters become
 * entities, control characters and invalid UTF-8 become U+FFFD. With
 * max > 0, at most max characters, then an ellipsis. NULL writes "". */
void html_put(FILE *f, const char *s, size_t max);
/* "req" or "rep": the path part of a hop's anchor. */
const char *html_dir(bool reply);
/* The path of a flow, by direction. */
const struct path *html_path(const struct flow_trace *ft, bool reply);
/* The finding (index) a failing hop links to, or -1. */
int html_hop_finding(const struct report *r, size_t flow, bool reply,
		     size_t hop);
/* The hop a finding names itself, checked against the flows; false when
 * it names none. */
bool html_finding_hop(const struct report *r, const struct finding *fd,
		      size_t *flow, bool *reply, size_t *hop);
/* "✓ delivered", "✗ dies at siteB DENIED_IN enc0", "– not traced". */
void html_path_result(FILE *f, const struct path *p);
/* Whether a flow is shown collapsed: both paths delivered and no
 * finding points into it. */
bool html_flow_healthy(const struct report *r, size_t flow);

void html_flows(FILE *f, const struct report *r);
/* Both ends' parameters side by side (rep_html_compare.c). */
void html_compare(FILE *f, const struct report *r);
void html_svg_path(FILE *f, const struct report *r, size_t flow, bool reply);

#endif
