/* `log` output: counts, blocks per interface and the top flows with the
 * rule that logged them, as text or one JSON document. */
#include "report/rep_log.h"

#include <jansson.h>
#include <string.h>

#include "report/json_model.h"
#include "util/diag.h"

static const char *
span(const struct fl_group *g, char buf[80])
{
	char a[32], b[32];
	if (!g->first_ts)
		return "no time";
	fl_format_time(g->first_ts, a);
	fl_format_time(g->last_ts, b);
	/* same day: only the time of the last */
	if (strcmp(a, b) == 0)
		snprintf(buf, 80, "%s", a);
	else
		snprintf(buf, 80, "%s .. %s", a,
			 strncmp(a, b, 10) == 0 ? b + 11 : b);
	return buf;
}

/* "em0 in tcp 10.0.0.1 -> 10.0.0.2:443" */
static void
print_flow(FILE *f, const struct fl_group *g)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], port[16] = "";
	bool v6 = g->dst.fam == FAM_V6;
	if (g->dport && (g->proto == PROTO_TCP || g->proto == PROTO_UDP))
		snprintf(port, sizeof(port), "%s%u", v6 ? "." : ":", g->dport);
	fprintf(f, "%s %s %s %s -> %s%s", g->iface,
		g->dir == PDIR_IN ? "in" : "out", proto_name(g->proto),
		ipaddr_format(&g->src, a), ipaddr_format(&g->dst, b), port);
}

static const struct fl_rule *
rule_of(const struct fl_view *v, const struct fl_group *g)
{
	return &v->rules[g - v->m->groups];
}

static void
print_group(FILE *f, const struct fl_view *v, const struct fl_group *g)
{
	char sp[80], loc[300];
	const struct fl_rule *j = rule_of(v, g);
	fprintf(f, "%c %6llu  ", g->tunnel ? '*' : ' ',
		(unsigned long long)g->count);
	print_flow(f, g);
	if (g->kind == OBS_FW_NEEDFRAG)
		fprintf(f, " need-frag MTU %u", g->value);
	else if (g->value == OBS_FW_FRAGMENT)
		fputs(" fragments", f);
	fprintf(f, "\n          %s\n          rule: %s", span(g, sp), j->descr);
	if (*g->tracker && strstr(j->descr, g->tracker) == NULL)
		fprintf(f, " [%s]", g->tracker);
	fprintf(f, "\n          e.g. %s\n",
		srcloc_format(&g->where, loc, sizeof(loc)));
}

void
rep_log_text(FILE *f, const struct fl_view *v)
{
	const struct fl_summary *m = v->m;
	char a[32], b[32];
	fprintf(f,
		"Files: %llu, lines: %llu (%llu parsed, %llu unparsed, "
		"%llu too long, %llu blank)\n",
		(unsigned long long)m->files, (unsigned long long)m->lines,
		(unsigned long long)m->parsed, (unsigned long long)m->unparsed,
		(unsigned long long)m->long_lines,
		(unsigned long long)m->blank);
	if (m->first_ts) {
		fl_format_time(m->first_ts, a);
		fl_format_time(m->last_ts, b);
		fprintf(f, "Span: %s .. %s\n", a, b);
	}
	fprintf(f, "Actions: %llu block, %llu pass, %llu other\n",
		(unsigned long long)m->blocks, (unsigned long long)m->passes,
		(unsigned long long)m->others);
	if (m->ncounters)
		fputs("\nBlocks by interface, direction, protocol:\n", f);
	for (size_t i = 0; i < m->ncounters; i++)
		fprintf(f, "  %-12s %-3s %-8s %10llu\n", m->counters[i].iface,
			m->counters[i].dir == PDIR_IN ? "in" : "out",
			proto_name(m->counters[i].proto),
			(unsigned long long)m->counters[i].count);
	static const struct {
		enum obs_kind kind;
		const char *title;
	} sections[] = {
	    {OBS_FW_BLOCK, "Top blocked flows (* = tunnel-related, listed "
			   "first):"},
	    {OBS_FW_PASS, "Tunnel-related passes:"},
	    {OBS_FW_NEEDFRAG, "ICMP need-frag (path MTU):"},
	};
	for (size_t s = 0; s < 3; s++) {
		unsigned shown = 0;
		size_t total = 0;
		for (size_t i = 0; i < m->ngroups; i++)
			total += m->groups[i].kind == sections[s].kind;
		for (size_t i = 0; i < m->ngroups; i++) {
			const struct fl_group *g = &m->groups[i];
			if (g->kind != sections[s].kind ||
			    (v->top && shown >= v->top))
				continue;
			if (shown++ == 0)
				fprintf(f, "\n%s\n", sections[s].title);
			print_group(f, v, g);
			if (v->top && shown == v->top && total > v->top)
				fprintf(
				    f, "  (%u of %zu shown; --top 0 for all)\n",
				    v->top, total);
		}
	}
	if (m->overflow)
		fprintf(f,
			"\n%llu lines belonged to flows beyond the %u-flow "
			"ceiling: counted, not grouped.\n",
			(unsigned long long)m->overflow, FL_GROUPS_MAX);
}

static json_t *
group_json(const struct fl_view *v, const struct fl_group *g)
{
	static const char *const kinds[] = {[OBS_FW_BLOCK] = "block",
					    [OBS_FW_PASS] = "pass",
					    [OBS_FW_NEEDFRAG] = "needfrag"};
	char a[ADDR_STRLEN], b[ADDR_STRLEN], t1[32], t2[32], loc[300];
	const struct fl_rule *j = rule_of(v, g);
	fl_format_time(g->first_ts, t1);
	fl_format_time(g->last_ts, t2);
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:I, s:I, s:b, s:s, "
	    "s:{s:s, s:s}, s:s}",
	    "kind", kinds[g->kind], "interface", g->iface, "dir",
	    g->dir == PDIR_IN ? "in" : "out", "proto", proto_name(g->proto),
	    "protoid", g->proto, "src", ipaddr_format(&g->src, a), "dst",
	    ipaddr_format(&g->dst, b), "dport", g->dport, "count",
	    (json_int_t)g->count, "bytes", (json_int_t)g->bytes, "tunnel",
	    g->tunnel, "tracker", g->tracker, "rule", "kind", j->kind, "descr",
	    j->descr, "example", srcloc_format(&g->where, loc, sizeof(loc)));
	json_object_set_new(o, "first",
			    g->first_ts ? json_string(t1) : json_null());
	json_object_set_new(o, "last",
			    g->first_ts ? json_string(t2) : json_null());
	if (g->kind == OBS_FW_NEEDFRAG)
		json_object_set_new(o, "mtu", json_integer(g->value));
	return o;
}

void
rep_log_json(FILE *f, const struct fl_view *v)
{
	const struct fl_summary *m = v->m;
	char a[32], b[32];
	fl_format_time(m->first_ts, a);
	fl_format_time(m->last_ts, b);
	json_t *root = json_pack(
	    "{s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:I}", "files",
	    (json_int_t)m->files, "lines", (json_int_t)m->lines, "parsed",
	    (json_int_t)m->parsed, "unparsed", (json_int_t)m->unparsed,
	    "too_long", (json_int_t)m->long_lines, "blank",
	    (json_int_t)m->blank, "actions", "block", (json_int_t)m->blocks,
	    "pass", (json_int_t)m->passes, "other", (json_int_t)m->others,
	    "overflow", (json_int_t)m->overflow);
	json_object_set_new(root, "first",
			    m->first_ts ? json_string(a) : json_null());
	json_object_set_new(root, "last",
			    m->first_ts ? json_string(b) : json_null());
	json_t *cs = json_array(), *gs = json_array();
	for (size_t i = 0; i < m->ncounters; i++)
		json_array_append_new(
		    cs, json_pack("{s:s, s:s, s:s, s:I}", "interface",
				  m->counters[i].iface, "dir",
				  m->counters[i].dir == PDIR_IN ? "in" : "out",
				  "proto", proto_name(m->counters[i].proto),
				  "count", (json_int_t)m->counters[i].count));
	unsigned shown = 0;
	for (size_t i = 0; i < m->ngroups; i++)
		if (m->groups[i].kind != OBS_FW_BLOCK || !v->top ||
		    shown++ < v->top)
			json_array_append_new(gs, group_json(v, &m->groups[i]));
	json_object_set_new(root, "blocks_by_interface", cs);
	json_object_set_new(root, "flows", gs);
	json_emit(f, root);
}
