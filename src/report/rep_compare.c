/* `compare` output (rep_compare.h). */
#include <jansson.h>
#include <string.h>

#include "report/json_model.h"
#include "report/rep_compare.h"

static const char *
mark(int match)
{
	return match == 1    ? "\u2713"
	       : match == 0  ? "\u2717"
	       : match == -1 ? "?"
			     : " ";
}

/* Display width of UTF-8 text (the marks and "→" count as one). */
static size_t
width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void
pad(FILE *f, const char *s, size_t to)
{
	fputs(s, f);
	for (size_t w = width(s); w < to; w++)
		fputc(' ', f);
}

void
rep_compare_text(FILE *f, const struct params_table *t)
{
	if (t->n == 0) {
		fprintf(f, "no phase 1 of %s faces %s\n", t->a, t->b);
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct params_block *b = &t->blocks[i];
		size_t wa = width(t->a);
		for (size_t j = 0; j < b->n; j++)
			wa =
			    width(b->rows[j].a) > wa ? width(b->rows[j].a) : wa;
		fprintf(f, "%s%s\n    %-24s", i ? "\n" : "", b->title, "");
		pad(f, t->a, wa + 2);
		fprintf(f, "%s\n", t->b);
		for (size_t j = 0; j < b->n; j++) {
			const struct params_row *r = &b->rows[j];
			fprintf(f, "  %s %-24s", mark(r->match), r->name);
			pad(f, r->a, wa + 2);
			fprintf(f, "%s\n", r->b);
		}
	}
	fprintf(f,
		"\n%zu difference%s (\u2713 agree, \u2717 differ, ? cannot "
		"tell)\n",
		t->ndiffer, t->ndiffer == 1 ? "" : "s");
}

void
rep_compare_json(FILE *f, const struct params_table *t)
{
	json_t *root = json_object(), *blocks = json_array();
	json_object_set_new(root, "a", json_string(t->a));
	json_object_set_new(root, "b", json_string(t->b));
	for (size_t i = 0; i < t->n; i++) {
		const struct params_block *b = &t->blocks[i];
		json_t *o = json_object(), *rows = json_array();
		json_object_set_new(o, "title", json_string(b->title));
		for (size_t j = 0; j < b->n; j++) {
			const struct params_row *r = &b->rows[j];
			json_t *x = json_object();
			json_object_set_new(x, "name", json_string(r->name));
			json_object_set_new(x, "a", json_string(r->a));
			json_object_set_new(x, "b", json_string(r->b));
			json_object_set_new(x, "match",
					    r->match == 1   ? json_true()
					    : r->match == 0 ? json_false()
							    : json_null());
			json_object_set_new(x, "informational",
					    json_boolean(r->match == 2));
			json_array_append_new(rows, x);
		}
		json_object_set_new(o, "rows", rows);
		json_array_append_new(blocks, o);
	}
	json_object_set_new(root, "blocks", blocks);
	json_object_set_new(root, "differences",
			    json_integer((json_int_t)t->ndiffer));
	json_emit(f, root);
}
