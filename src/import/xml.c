/* Bounded expat tree (see xml.h). Written against expat 2.5. */
#include "import/xml.h"
#include "import/textstream.h"

#include <errno.h>
#include <limits.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const struct xml_limits xml_config_limits = {
    .max_depth = 64,
    .max_text = 1 << 20,
    .max_file = 64 << 20,
    .skip_text = "rrddata",
};

struct xml_parser {
	XML_Parser xp;
	struct arena *ar;
	const char *file;
	const struct xml_limits *lim;
	struct xnode *root, *cur;
	unsigned depth, skip_depth; /* skip_depth > 0: inside skip_text */
	char *text;		    /* text of the innermost open element */
	size_t ntext, ctext;
	size_t fed;
	bool failed; /* our own error, already reported */
};

static void
xml_fail(struct xml_parser *p, const char *fmt, const char *arg)
{
	struct srcloc loc = {
	    .file = p->file,
	    .line = (uint32_t)XML_GetCurrentLineNumber(p->xp),
	    .col = (uint32_t)XML_GetCurrentColumnNumber(p->xp) + 1,
	};
	diag(DIAG_ERROR, &loc, fmt, arg);
	p->failed = true;
	XML_StopParser(p->xp, XML_FALSE);
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_parser *p = ud;
	if (p->failed)
		return;
	if (++p->depth > p->lim->max_depth) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%u", p->lim->max_depth);
		xml_fail(p, "elements nested deeper than %s levels: refused",
			 buf);
		return;
	}
	struct xnode *n = arena_alloc(p->ar, sizeof(*n));
	n->name = arena_strdup(p->ar, name);
	n->line = (uint32_t)XML_GetCurrentLineNumber(p->xp);
	n->col = (uint32_t)XML_GetCurrentColumnNumber(p->xp) + 1;
	for (size_t i = 0; atts[i] && atts[i + 1]; i += 2) {
		struct xattr *a = arena_alloc(p->ar, sizeof(*a));
		a->name = arena_strdup(p->ar, atts[i]);
		a->value = arena_strdup(p->ar, atts[i + 1]);
		a->next = n->attrs;
		n->attrs = a;
	}
	n->parent = p->cur;
	if (p->cur == NULL)
		p->root = n;
	else if (p->cur->last == NULL)
		p->cur->child = p->cur->last = n;
	else
		p->cur->last = p->cur->last->next = n;
	p->cur = n;
	p->ntext = 0; /* the parent's text so far is layout, not data */
	if (p->skip_depth == 0 && p->lim->skip_text &&
	    strcmp(name, p->lim->skip_text) == 0)
		p->skip_depth = p->depth;
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct xml_parser *p = ud;
	(void)name;
	if (p->failed || p->cur == NULL)
		return;
	struct xnode *n = p->cur;
	if (n->child == NULL && p->skip_depth == 0) {
		size_t a = 0, b = p->ntext;
		while (a < b && is_ws(p->text[a]))
			a++;
		while (b > a && is_ws(p->text[b - 1]))
			b--;
		n->text =
		    arena_strndup(p->ar, p->text ? p->text + a : "", b - a);
		n->textlen = b - a;
	}
	if (p->skip_depth == p->depth)
		p->skip_depth = 0;
	p->ntext = 0;
	p->depth--;
	p->cur = n->parent;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_parser *p = ud;
	if (p->failed || p->cur == NULL || len <= 0 || p->skip_depth)
		return;
	size_t n = (size_t)len;
	if (p->ntext + n > p->lim->max_text) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%zu", p->lim->max_text);
		xml_fail(p, "text node larger than %s bytes: refused", buf);
		return;
	}
	if (p->ntext + n > p->ctext) {
		size_t c = p->ctext ? p->ctext : 256;
		while (c < p->ntext + n)
			c *= 2;
		char *t = realloc(p->text, c);
		if (t == NULL)
			die_system("out of memory");
		p->text = t;
		p->ctext = c;
	}
	memcpy(p->text + p->ntext, s, n);
	p->ntext += n;
}

/* config.xml never has a DOCTYPE; refusing it rules out entity expansion
 * (billion laughs) and external entities before anything is expanded. */
static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
	   const XML_Char *pubid, int has_internal_subset)
{
	(void)sysid, (void)pubid, (void)has_internal_subset;
	xml_fail(ud,
		 "DOCTYPE declaration <!DOCTYPE %s>: refused (entity "
		 "declarations and external entities are not accepted)",
		 name);
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *v,
	  int vlen, const XML_Char *base, const XML_Char *sysid,
	  const XML_Char *pubid, const XML_Char *notation)
{
	(void)is_param, (void)v, (void)vlen, (void)base, (void)sysid;
	(void)pubid, (void)notation;
	xml_fail(ud, "entity declaration '%s': refused", name);
}

static int XMLCALL
on_extref(XML_Parser xp, const XML_Char *ctx, const XML_Char *base,
	  const XML_Char *sysid, const XML_Char *pubid)
{
	(void)xp, (void)ctx, (void)base, (void)sysid, (void)pubid;
	return XML_STATUS_ERROR;
}

struct xml_parser *
xml_begin(struct arena *ar, const char *file, const struct xml_limits *lim)
{
	struct xml_parser *p = calloc(1, sizeof(*p));
	if (p == NULL || (p->xp = XML_ParserCreate(NULL)) == NULL)
		die_system("out of memory");
	p->ar = ar;
	p->file = file;
	p->lim = lim;
	XML_SetUserData(p->xp, p);
	XML_SetElementHandler(p->xp, on_start, on_end);
	XML_SetCharacterDataHandler(p->xp, on_text);
	XML_SetStartDoctypeDeclHandler(p->xp, on_doctype);
	XML_SetEntityDeclHandler(p->xp, on_entity);
	XML_SetExternalEntityRefHandler(p->xp, on_extref);
	XML_SetParamEntityParsing(p->xp, XML_PARAM_ENTITY_PARSING_NEVER);
	return p;
}

static void
report_expat(struct xml_parser *p, bool final)
{
	enum XML_Error e = XML_GetErrorCode(p->xp);
	struct srcloc loc = {
	    .file = p->file,
	    .line = (uint32_t)XML_GetErrorLineNumber(p->xp),
	    .col = (uint32_t)XML_GetErrorColumnNumber(p->xp) + 1,
	};
	bool at_end = e == XML_ERROR_NO_ELEMENTS ||
		      e == XML_ERROR_UNCLOSED_TOKEN ||
		      e == XML_ERROR_PARTIAL_CHAR ||
		      e == XML_ERROR_UNCLOSED_CDATA_SECTION;
	if (final && at_end && p->cur != NULL)
		diag(DIAG_ERROR, &loc,
		     "truncated XML: the file ends inside "
		     "<%s> opened at line %u",
		     p->cur->name, p->cur->line);
	else if (final && at_end && p->root == NULL)
		diag(DIAG_ERROR, &loc,
		     "no XML element found (empty or "
		     "truncated file)");
	else
		diag(DIAG_ERROR, &loc, "malformed XML: %s", XML_ErrorString(e));
}

bool
xml_feed(struct xml_parser *p, const char *buf, size_t n, bool final)
{
	if (p->failed)
		return false;
	p->fed += n;
	if (p->fed > p->lim->max_file) {
		struct srcloc loc = {.file = p->file};
		diag(DIAG_ERROR, &loc,
		     "larger than the %zu byte limit for a "
		     "config file",
		     p->lim->max_file);
		p->failed = true;
		return false;
	}
	if (n > INT_MAX) { /* expat takes int lengths */
		struct srcloc loc = {.file = p->file};
		diag(DIAG_ERROR, &loc, "chunk too large");
		p->failed = true;
		return false;
	}
	if (XML_Parse(p->xp, buf, (int)n, final) != XML_STATUS_OK) {
		if (!p->failed)
			report_expat(p, final);
		p->failed = true;
		return false;
	}
	return true;
}

struct xnode *
xml_end(struct xml_parser *p)
{
	struct xnode *root = p->failed || p->cur != NULL ? NULL : p->root;
	XML_ParserFree(p->xp);
	free(p->text);
	free(p);
	return root;
}

/* A gzip'd (or bzip2/xz/zstd) config: fed decompressed; the document
 * limit (xml_feed) bounds what it may expand to. */
static struct xnode *
xml_parse_compressed(struct arena *ar, const char *path,
		     const struct xml_limits *lim)
{
	struct srcloc loc = {.file = path};
	const char *why;
	struct textstream *t = textstream_open(path, 1 << 16, 0, 0, &why);
	if (t == NULL) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", why);
		return NULL;
	}
	struct xml_parser *p = xml_begin(ar, path, lim);
	unsigned char buf[1 << 16];
	bool ok = true;
	size_t r;
	while (ok && (r = textstream_read(t, buf, sizeof(buf))) > 0)
		ok = xml_feed(p, (const char *)buf, r, false);
	if (ok && textstream_error(t)) {
		diag(DIAG_ERROR, &loc, "%s", textstream_error(t));
		ok = false;
	}
	if (ok)
		ok = xml_feed(p, "", 0, true);
	textstream_close(t);
	struct xnode *root = xml_end(p);
	return ok ? root : NULL;
}

struct xnode *
xml_parse_file(struct arena *ar, const char *path, const struct xml_limits *lim)
{
	struct srcloc loc = {.file = path};
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size > lim->max_file) {
		diag(DIAG_ERROR, &loc,
		     "file is %lld bytes, larger than the "
		     "%zu byte limit for a config file",
		     (long long)st.st_size, lim->max_file);
		fclose(f);
		return NULL;
	}
	unsigned char magic[8];
	size_t m = fread(magic, 1, sizeof(magic), f);
	if (textstream_detect(magic, m) != TS_PLAIN) {
		fclose(f);
		return xml_parse_compressed(ar, path, lim);
	}
	rewind(f);
	struct xml_parser *p = xml_begin(ar, path, lim);
	static const size_t chunk = 256 << 10;
	char *buf = malloc(chunk);
	if (buf == NULL)
		die_system("out of memory");
	bool ok = true;
	size_t r;
	while (ok && (r = fread(buf, 1, chunk, f)) > 0)
		ok = xml_feed(p, buf, r, false);
	if (ok && ferror(f)) {
		diag(DIAG_ERROR, &loc, "read error: %s", strerror(errno));
		ok = false;
	}
	if (ok)
		ok = xml_feed(p, "", 0, true);
	free(buf);
	fclose(f);
	struct xnode *root = xml_end(p);
	return ok ? root : NULL;
}

struct xnode *
xml_child(const struct xnode *n, const char *name)
{
	if (n == NULL)
		return NULL;
	for (struct xnode *c = n->child; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

struct xnode *
xml_next_named(const struct xnode *c)
{
	for (struct xnode *s = c->next; s; s = s->next)
		if (strcmp(s->name, c->name) == 0)
			return s;
	return NULL;
}

const char *
xml_text(const struct xnode *n, const char *name)
{
	struct xnode *c = xml_child(n, name);
	if (c == NULL)
		return NULL;
	return c->text ? c->text : "";
}

bool
xml_has(const struct xnode *n, const char *name)
{
	return xml_child(n, name) != NULL;
}

const char *
xml_attr(const struct xnode *n, const char *name)
{
	for (struct xattr *a = n ? n->attrs : NULL; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->value;
	return NULL;
}

struct srcloc
xml_loc(const struct xnode *n, const char *file)
{
	return (struct srcloc){
	    .file = file, .line = n ? n->line : 0, .col = n ? n->col : 0};
}

struct xnode *
xml_path(const struct xnode *n, const char *path)
{
	char name[64];
	while (n && *path) {
		size_t k = strcspn(path, "/");
		if (k >= sizeof(name))
			return NULL;
		memcpy(name, path, k);
		name[k] = '\0';
		n = xml_child(n, name);
		path += k + (path[k] == '/');
	}
	return (struct xnode *)n;
}
