/* `lint` output: a count line and the wrapped findings per site, or one
 * JSON document for all sites. */
#include "report/rep_lint.h"

#include "report/json_model.h"
#include "report/report.h"

void
rep_lint_begin(struct rep_lint *r, FILE *f, bool json)
{
	r->f = f;
	r->json = json;
	r->sites = json ? json_array() : NULL;
}

static void
lint_text(FILE *f, const struct site *s, const struct findings *fs)
{
	size_t ne = 0, nw = 0;
	for (size_t i = 0; i < fs->n; i++) {
		ne += fs->f[i].severity == SEV_ERROR;
		nw += fs->f[i].severity == SEV_WARNING;
	}
	fprintf(f, "%s: %zu finding%s (%zu error%s, %zu warning%s)\n", s->name,
		fs->n, fs->n == 1 ? "" : "s", ne, ne == 1 ? "" : "s", nw,
		nw == 1 ? "" : "s");
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *x = &fs->f[i];
		char head[160];
		int n = snprintf(head, sizeof(head),
				 "  %s %s: ", severity_name(x->severity),
				 finding_name(x->id));
		fputs(head, f);
		rep_wrap(f, x->summary ? x->summary : "", n, 4);
		if (x->fix) {
			fputs("    fix: ", f);
			rep_wrap(f, x->fix, 9, 6);
		}
	}
}

void
rep_lint_site(struct rep_lint *r, const struct site *s, bool loaded,
	      const struct findings *fs)
{
	if (!r->json) {
		lint_text(r->f, s, fs);
		return;
	}
	json_t *o = json_object(), *fa = json_array();
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "kind", json_string(site_kind_name(s->kind)));
	json_object_set_new(o, "loaded", json_boolean(loaded));
	for (size_t j = 0; j < fs->n; j++)
		json_array_append_new(fa, json_finding(&fs->f[j]));
	json_object_set_new(o, "findings", fa);
	json_array_append_new(r->sites, o);
}

void
rep_lint_end(struct rep_lint *r)
{
	if (!r->json)
		return;
	json_t *root = json_object();
	json_object_set_new(root, "command", json_string("lint"));
	json_object_set_new(root, "sites", r->sites);
	r->sites = NULL;
	json_emit(r->f, root);
}
