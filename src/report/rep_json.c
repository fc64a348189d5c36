/* The JSON report (doc/schema.json): sites, flows, findings, undecided. */
#include <string.h>

#include "report/json_model.h"
#include "report/report.h"

static json_t *
json_site_brief(const struct site *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "kind", json_string(site_kind_name(s->kind)));
	json_object_set_new(o, "config_version", json_str(s->config_version));
	json_object_set_new(o, "product_version", json_str(s->product_version));
	json_t *in = json_array();
	for (size_t i = 0; i < s->ninputs; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "file", json_string(s->inputs[i].path));
		json_object_set_new(
		    e, "kind", json_string(input_kind_name(s->inputs[i].kind)));
		json_object_set_new(e, "summary",
				    json_str(s->inputs[i].summary));
		json_object_set_new(e, "failed",
				    json_boolean(s->inputs[i].failed));
		json_array_append_new(in, e);
	}
	json_object_set_new(o, "inputs", in);
	return o;
}

/* Inputs that could not be read: what the diagnosis went on without. */
static json_t *
json_missing(const struct report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nsites; i++)
		for (size_t j = 0; j < r->sites[i]->ninputs; j++) {
			const struct input_file *in = &r->sites[i]->inputs[j];
			if (!in->failed && !in->partial)
				continue;
			json_t *o = json_object();
			json_object_set_new(o, "site",
					    json_string(r->sites[i]->name));
			json_object_set_new(o, "file", json_string(in->path));
			json_object_set_new(
			    o, "kind", json_string(input_kind_key(in->kind)));
			json_object_set_new(o, "partial",
					    json_boolean(in->partial));
			json_object_set_new(
			    o, "missing",
			    json_string(
				in->partial ? "what could not be read of it"
				: in->kind == INPUT_UNKNOWN
				    ? "nothing (not a kind ipsecdiag reads)"
				    : input_kind_adds(in->kind)));
			json_object_set_new(o, "why", json_str(in->why));
			json_array_append_new(a, o);
		}
	return a;
}

void
rep_json(FILE *f, const struct report *r)
{
	json_t *root = json_object();
	json_object_set_new(root, "command", json_string(r->command));
	json_t *sites = json_array();
	for (size_t i = 0; i < r->nsites; i++)
		json_array_append_new(sites, json_site_brief(r->sites[i]));
	json_object_set_new(root, "sites", sites);
	json_t *flows = json_array();
	for (size_t i = 0; i < r->nflows; i++)
		json_array_append_new(flows, json_flow(&r->flows[i]));
	json_object_set_new(root, "flows", flows);
	json_t *fs = json_array(), *und = json_array(), *sec = json_object();
	if (r->findings) {
		const struct findings *x = r->findings;
		for (size_t i = 0; i < x->n; i++)
			json_array_append_new(fs, json_finding(&x->f[i]));
		for (size_t i = 0; i < x->nc; i++) {
			json_t *c = json_object();
			json_object_set_new(
			    c, "section",
			    json_string(section_key(x->c[i].section)));
			json_object_set_new(c, "site", json_str(x->c[i].site));
			json_object_set_new(c, "collect",
					    json_string(x->c[i].what));
			json_array_append_new(und, c);
		}
		for (int s = 0; s < SEC_COUNT; s++) {
			bool bad = false;
			for (size_t i = 0; i < x->n; i++)
				bad = bad || x->f[i].section == (enum section)s;
			json_object_set_new(sec, section_key((enum section)s),
					    json_string(bad ? "problem"
							: x->decided[s]
							    ? "ok"
							    : "undecided"));
		}
	}
	json_object_set_new(root, "findings", fs);
	json_object_set_new(root, "sections", sec);
	json_object_set_new(root, "undecided", und);
	json_t *notes = json_array();
	for (size_t i = 0; r->findings && i < r->findings->nnotes; i++) {
		const struct note *n = &r->findings->notes[i];
		json_t *o = json_object();
		json_object_set_new(o, "section",
				    json_string(section_key(n->section)));
		json_object_set_new(o, "site", json_str(n->site));
		json_object_set_new(o, "text", json_string(n->text));
		json_array_append_new(notes, o);
	}
	json_object_set_new(root, "notes", notes);
	json_t *missing = json_missing(r);
	if (json_array_size(missing))
		json_object_set_new(root, "missing_evidence", missing);
	else
		json_decref(missing);
	json_emit(f, root);
}
