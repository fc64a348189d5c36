/* `inputs`: what ipsecdiag made of each file of each site. The order is
 * the files' names, whatever order they were read in. */
#include "report/rep_inputs.h"

#include <stdlib.h>
#include <string.h>

#include "report/json_model.h"
#include "report/report.h"

enum status { ST_READ, ST_SKIPPED, ST_FAILED };

static enum status
status_of(const struct input_file *in)
{
	if (in->failed)
		return ST_FAILED;
	return in->kind == INPUT_UNKNOWN || in->why ? ST_SKIPPED : ST_READ;
}

static const char *const status_key[] = {"read", "skipped", "failed"};

static int
path_cmp(const void *a, const void *b)
{
	const struct input_file *x = *(const struct input_file *const *)a;
	const struct input_file *y = *(const struct input_file *const *)b;
	return strcmp(x->path, y->path);
}

/* The site's files sorted by name; the caller frees the array. */
static const struct input_file **
sorted(const struct site *s)
{
	const struct input_file **v = malloc((s->ninputs + 1) * sizeof(*v));
	if (v == NULL)
		abort();
	for (size_t i = 0; i < s->ninputs; i++)
		v[i] = &s->inputs[i];
	if (s->ninputs > 1)
		qsort(v, s->ninputs, sizeof(*v), path_cmp);
	return v;
}

/* Length of the directory all the site's files are in ("dir/"), 0 when
 * they are not in one. */
static size_t
common_dir(const struct site *s)
{
	size_t k = 0;
	for (size_t i = 0; i < s->ninputs; i++) {
		const char *p = s->inputs[i].path, *slash = strrchr(p, '/');
		size_t d = slash ? (size_t)(slash - p) + 1 : 0;
		if (i == 0)
			k = d;
		else if (d != k || strncmp(p, s->inputs[0].path, k) != 0)
			return 0;
	}
	return k;
}

static void
text_file(FILE *f, const struct input_file *in, size_t skip, int width)
{
	char line[2048];
	const char *kind = input_kind_name(in->kind);
	switch (status_of(in)) {
	case ST_READ:
		snprintf(line, sizeof(line), "read as %s: %s%s", kind,
			 in->summary ? in->summary : kind,
			 in->partial ? " (damaged: only what could be "
				       "read of it, see the diagnostics on "
				       "stderr)"
				     : "");
		break;
	case ST_SKIPPED:
		snprintf(line, sizeof(line), "skipped: %s",
			 in->why ? in->why : "unrecognised");
		break;
	case ST_FAILED:
		if (in->kind == INPUT_UNKNOWN)
			snprintf(line, sizeof(line), "NOT READ: %s",
				 in->why ? in->why : "unrecognised");
		else
			snprintf(line, sizeof(line),
				 "NOT READ (%s): %s; the "
				 "diagnosis goes on without %s",
				 kind, in->why ? in->why : "damaged",
				 input_kind_adds(in->kind));
		break;
	}
	int n = fprintf(f, "  %-*s ", width, in->path + skip);
	rep_wrap(f, line, n, width + 3);
}

void
rep_inputs_text(FILE *f, struct site *const *sites, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct site *s = sites[i];
		size_t cnt[3] = {0}, skip = common_dir(s);
		int width = 0;
		for (size_t j = 0; j < s->ninputs; j++) {
			int w = (int)strlen(s->inputs[j].path + skip);
			cnt[status_of(&s->inputs[j])]++;
			width = w > width && w <= 24 ? w : width;
		}
		fprintf(f, "%ssite %s", i ? "\n" : "", s->name);
		if (skip)
			fprintf(f, " (%.*s)", (int)skip, s->inputs[0].path);
		fprintf(f, ": %zu read, %zu skipped, %zu not read%s\n",
			cnt[ST_READ], cnt[ST_SKIPPED], cnt[ST_FAILED],
			cnt[ST_READ] ? "" : " - nothing to diagnose");
		const struct input_file **v = sorted(s);
		for (size_t j = 0; j < s->ninputs; j++)
			text_file(f, v[j], skip, width);
		free(v);
	}
}

static json_t *
json_file(const struct input_file *in)
{
	enum status st = status_of(in);
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(in->path));
	json_object_set_new(o, "kind", json_string(input_kind_key(in->kind)));
	json_object_set_new(o, "kind_name",
			    json_string(input_kind_name(in->kind)));
	json_object_set_new(o, "status", json_string(status_key[st]));
	json_object_set_new(o, "summary",
			    json_str(st == ST_READ ? in->summary : NULL));
	json_object_set_new(o, "why", json_str(in->why));
	json_object_set_new(o, "partial", json_boolean(in->partial));
	json_object_set_new(
	    o, "missing",
	    json_str(st == ST_FAILED && in->kind != INPUT_UNKNOWN
			 ? input_kind_adds(in->kind)
			 : NULL));
	return o;
}

void
rep_inputs_json(FILE *f, struct site *const *sites, size_t n)
{
	json_t *root = json_object(), *a = json_array();
	json_object_set_new(root, "command", json_string("inputs"));
	for (size_t i = 0; i < n; i++) {
		const struct site *s = sites[i];
		json_t *o = json_object(), *files = json_array();
		bool usable = false;
		json_object_set_new(o, "name", json_string(s->name));
		const struct input_file **v = sorted(s);
		for (size_t j = 0; j < s->ninputs; j++) {
			usable = usable || status_of(v[j]) == ST_READ;
			json_array_append_new(files, json_file(v[j]));
		}
		free(v);
		json_object_set_new(o, "usable", json_boolean(usable));
		json_object_set_new(o, "files", files);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "sites", a);
	json_emit(f, root);
}
