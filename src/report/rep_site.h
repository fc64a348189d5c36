/* `show`: each site as understood, as text or JSON (doc/ARCHITECTURE.md §2
 * model). Output is a pure function of the model: stable order, paths as the
 * user gave them, no clock times. */
#ifndef REPORT_REP_SITE_H
#define REPORT_REP_SITE_H

#include <stddef.h>
#include <stdio.h>

#include "model/site.h"
#include "util/arena.h"

/* A rule tab in pfSense evaluation order (doc/behaviour/pfsense.md §2.1):
 * floating, interface groups (user groups, then l2tp, pppoe, enc0, openvpn),
 * then interface tabs in interface order; unknown names last. OPNsense's
 * Automation rules come just before the tab of their priority (floating,
 * their group or interface), those OPNsense leaves out last. Only tabs
 * with rules are listed. */
struct rule_tab {
	const char *name;  /* "floating", group name or interface key */
	const char *title; /* "Floating", "IPsec (enc0)", "LAN (lan)" */
	const char *kind;  /* "floating", "group", "interface", "automation",
			    * "unknown" */
	size_t *rules;	   /* indices into site->rules, config order */
	size_t nrules;
};
size_t rep_site_tabs(struct arena *ar, const struct site *s,
		     struct rule_tab **out);

/* The box's own state (status archive), after the model (rep_box.c). */
void rep_box_text(FILE *f, struct arena *ar, const struct site *s);
void rep_site_text(FILE *f, struct arena *ar, struct site **sites, size_t n);
void rep_site_json(FILE *f, struct arena *ar, struct site **sites, size_t n);

#endif
