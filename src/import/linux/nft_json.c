/* `nft -j list ruleset` (JSON schema 1, nftables 0.9.3 - 1.1): rendered
 * into the equivalent `nft list ruleset` text and read by the text
 * parser, so both forms mean exactly the same; rules then point back at
 * the JSON file and carry their handle. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "import/linux/nft_match.h"
#include "import/load.h"

bool nft_json_import(struct arena *ar, struct input_file *in, struct site *s,
		     const char *buf, size_t len);
bool nft_text_parse(struct arena *ar, struct site *s, const char *file,
		    const char *buf, size_t len);

static const char *
nj_str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void
nj_value(FILE *f, json_t *v, unsigned depth)
{
	if (depth > 8) {
		fputs("?", f);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (strpbrk(s, " \t{}\";,#\n") || !*s)
			fprintf(f, "\"%s\"", strpbrk(s, "\"\n") ? "?" : s);
		else
			fputs(s, f);
	} else if (json_is_integer(v)) {
		fprintf(f, "%lld", (long long)json_integer_value(v));
	} else if (json_is_array(v)) { /* ct state list */
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
		{
			if (i)
				fputc(',', f);
			nj_value(f, e, depth + 1);
		}
	} else if (json_is_object(v)) {
		json_t *x;
		if ((x = json_object_get(v, "prefix"))) {
			nj_value(f, json_object_get(x, "addr"), depth + 1);
			fputc('/', f);
			nj_value(f, json_object_get(x, "len"), depth + 1);
		} else if ((x = json_object_get(v, "range")) &&
			   json_array_size(x) == 2) {
			nj_value(f, json_array_get(x, 0), depth + 1);
			fputc('-', f);
			nj_value(f, json_array_get(x, 1), depth + 1);
		} else if ((x = json_object_get(v, "set"))) {
			size_t i;
			json_t *e;
			fputs("{ ", f);
			if (!json_is_array(x))
				nj_value(f, x, depth + 1);
			json_array_foreach(x, i, e)
			{
				fputs(i ? ", " : "", f);
				nj_value(f, e, depth + 1);
			}
			fputs(" }", f);
		} else if ((x = json_object_get(v, "elem"))) {
			nj_value(f, json_object_get(x, "val"), depth + 1);
		} else {
			fputs("?", f);
		}
	} else {
		fputs("?", f);
	}
}

static void
nj_left(FILE *f, json_t *l)
{
	json_t *x;
	if ((x = json_object_get(l, "meta"))) {
		const char *k = nj_str(x, "key");
		bool bare = k && (strcmp(k, "iifname") == 0 ||
				  strcmp(k, "oifname") == 0);
		fprintf(f, "%s%s", bare ? "" : "meta ", k ? k : "?");
	} else if ((x = json_object_get(l, "payload"))) {
		fprintf(f, "%s %s", nj_str(x, "protocol") ?: "?",
			nj_str(x, "field") ?: "?");
	} else if ((x = json_object_get(l, "ct"))) {
		fprintf(f, "ct %s", nj_str(x, "key") ?: "?");
	} else if ((x = json_object_get(l, "ipsec"))) {
		fprintf(f, "ipsec %s %s %s", nj_str(x, "dir") ?: "in",
			nj_str(x, "family") ?: "ip", nj_str(x, "key") ?: "?");
	} else if ((x = json_object_get(l, "rt"))) {
		fprintf(f, "rt %s", nj_str(x, "key") ?: "?");
	} else {
		const char *k = json_object_iter_key(json_object_iter(l));
		fprintf(f, "%s", k ? k : "?");
	}
}

static void
nj_stmt(FILE *f, json_t *e)
{
	const char *k = json_object_iter_key(json_object_iter(e));
	json_t *v = json_object_iter_value(json_object_iter(e));
	if (k == NULL)
		return;
	if (strcmp(k, "match") == 0) {
		const char *op = nj_str(v, "op");
		nj_left(f, json_object_get(v, "left"));
		fputs(op && strcmp(op, "!=") == 0 ? " != " : " ", f);
		nj_value(f, json_object_get(v, "right"), 0);
	} else if (strcmp(k, "counter") == 0) {
		json_t *p = json_object_get(v, "packets");
		json_t *b = json_object_get(v, "bytes");
		fputs("counter", f);
		if (json_is_integer(p) && json_is_integer(b))
			fprintf(f, " packets %lld bytes %lld",
				(long long)json_integer_value(p),
				(long long)json_integer_value(b));
	} else if (strcmp(k, "jump") == 0 || strcmp(k, "goto") == 0) {
		fprintf(f, "%s ", k);
		nj_value(f, json_object_get(v, "target"), 0);
	} else if (strcmp(k, "snat") == 0 || strcmp(k, "dnat") == 0) {
		fprintf(f, "%s", k);
		if (json_object_get(v, "addr")) {
			fputs(" to ", f);
			nj_value(f, json_object_get(v, "addr"), 0);
		}
	} else if (strcmp(k, "mangle") == 0) {
		/* {"mangle": {"key": {"tcp option": {"name": "maxseg",
		 * "field": "size"}}, "value": N | {"rt": {"key": "mtu"}}}} */
		json_t *o =
		    json_object_get(json_object_get(v, "key"), "tcp option");
		const char *name = nj_str(o, "name");
		if (name && strcmp(name, "maxseg") == 0) {
			json_t *val = json_object_get(v, "value");
			fputs("tcp option maxseg size set ", f);
			if (json_object_get(val, "rt"))
				fputs("rt mtu", f);
			else
				nj_value(f, val, 0);
		} else {
			fputs("mangle", f);
		}
	} else {
		fputs(k, f); /* accept, drop, log, masquerade, ... */
	}
}

struct nj_map {
	uint32_t *handle; /* synthesized line -> rule handle */
	size_t n, cap;
};

static void
nj_emit(struct arena *ar, FILE *f, json_t *items, struct nj_map *m)
{
	size_t i, k;
	json_t *it;
	uint32_t line = 1;
	json_array_foreach(items, i, it)
	{
		json_t *t = json_object_get(it, "table");
		if (!t)
			continue;
		const char *fam = nj_str(t, "family"),
			   *name = nj_str(t, "name");
		if (!fam || !name)
			continue;
		fprintf(f, "table %s %s {\n", fam, name), line++;
		json_array_foreach(items, k, it)
		{
			json_t *o = json_object_get(it, "set");
			if (!o || strcmp(nj_str(o, "table") ?: "", name) ||
			    strcmp(nj_str(o, "family") ?: "", fam))
				continue;
			fprintf(f, "set %s { elements = ",
				nj_str(o, "name") ?: "?");
			json_t *el = json_object_get(o, "elem");
			json_t *wrap =
			    json_pack("{s:O}", "set", el ? el : json_null());
			nj_value(f, wrap, 0);
			json_decref(wrap);
			fputs(" }\n", f), line++;
		}
		json_array_foreach(items, k, it)
		{
			json_t *c = json_object_get(it, "chain");
			if (!c || strcmp(nj_str(c, "table") ?: "", name) ||
			    strcmp(nj_str(c, "family") ?: "", fam))
				continue;
			const char *cn = nj_str(c, "name") ?: "?";
			fprintf(f, "chain %s {\n", cn), line++;
			if (nj_str(c, "hook")) {
				json_t *pr = json_object_get(c, "prio");
				fprintf(f,
					"type %s hook %s priority %lld; policy "
					"%s;\n",
					nj_str(c, "type") ?: "filter",
					nj_str(c, "hook"),
					(long long)(json_is_integer(pr)
							? json_integer_value(pr)
							: 0),
					nj_str(c, "policy") ?: "accept"),
				    line++;
			}
			size_t r;
			json_t *ri;
			json_array_foreach(items, r, ri)
			{
				json_t *rule = json_object_get(ri, "rule");
				if (!rule ||
				    strcmp(nj_str(rule, "chain") ?: "", cn) ||
				    strcmp(nj_str(rule, "table") ?: "", name) ||
				    strcmp(nj_str(rule, "family") ?: "", fam))
					continue;
				size_t e;
				json_t *ex;
				json_array_foreach(
				    json_object_get(rule, "expr"), e, ex)
				{
					nj_stmt(f, ex);
					fputc(' ', f);
				}
				if (nj_str(rule, "comment"))
					fprintf(
					    f, "comment \"%s\"",
					    strchr(nj_str(rule, "comment"), '"')
						? "?"
						: nj_str(rule, "comment"));
				fputc('\n', f);
				json_t *h = json_object_get(rule, "handle");
				while (m->n <= line)
					*ARENA_PUSH(ar, m->handle, m->n,
						    m->cap) = 0;
				m->handle[line++] =
				    json_is_integer(h)
					? (uint32_t)json_integer_value(h)
					: 0;
			}
			fputs("}\n", f), line++;
		}
		fputs("}\n", f), line++;
	}
}

bool
nft_json_import(struct arena *ar, struct input_file *in, struct site *s,
		const char *buf, size_t len)
{
	json_error_t err;
	json_t *j = json_loadb(buf, len, 0, &err);
	json_t *items = j ? json_object_get(j, "nftables") : NULL;
	if (!json_is_array(items)) {
		struct srcloc loc = {in->path, j ? 1 : (uint32_t)err.line,
				     j ? 1 : (uint32_t)err.column, 0};
		diag(DIAG_ERROR, &loc, "%s",
		     j ? "expected {\"nftables\": [...]}" : err.text);
		json_decref(j);
		return false;
	}
	char *text = NULL;
	size_t tn = 0;
	FILE *f = open_memstream(&text, &tn);
	if (f == NULL)
		die_system("open_memstream");
	struct nj_map m = {0};
	nj_emit(ar, f, items, &m);
	fclose(f);
	json_decref(j);
	size_t r0 = s->nrules, c0 = s->nchains;
	const char *as_text = arena_printf(ar, "%s (as nft text)", in->path);
	bool ok = nft_text_parse(ar, s, as_text, text, tn);
	free(text);
	if (!ok)
		return false;
	for (size_t i = r0; i < s->nrules; i++) {
		struct rule *r = &s->rules[i];
		uint32_t h = r->loc.line < m.n ? m.handle[r->loc.line] : 0;
		r->loc = (struct srcloc){in->path, 1, 0, 0};
		if (h)
			r->tracker = arena_printf(ar, "handle %u", h);
	}
	if (s->flags.maxmss_loc.file == as_text)
		s->flags.maxmss_loc = (struct srcloc){in->path, 1, 0, 0};
	for (size_t i = c0; i < s->nchains; i++)
		s->chains[i].loc = (struct srcloc){in->path, 1, 0, 0};
	lx_site_mark(s);
	in->summary = arena_printf(ar, "nftables JSON %zu chains, %zu rules",
				   s->nchains - c0, s->nrules - r0);
	return true;
}
