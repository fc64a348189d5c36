/* A small, bounded XML tree built with expat for config.xml. Hostile input
 * is expected: DOCTYPE and entity declarations are refused (no billion
 * laughs, no external entities), depth, text node and file sizes have
 * ceilings, and every error names file:line:col. Only leaf elements keep
 * their text (config.xml has no meaningful mixed content). */
#ifndef IMPORT_XML_H
#define IMPORT_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/diag.h"

struct xattr {
	const char *name, *value;
	struct xattr *next;
};

struct xnode {
	const char *name;
	const char *text; /* leaf text (CDATA included), NULL otherwise */
	size_t textlen;
	struct xnode *parent, *child, *last, *next;
	struct xattr *attrs;
	uint32_t line, col;
};

struct xml_limits {
	unsigned max_depth;    /* elements nested deeper are refused */
	size_t max_text;       /* bytes of one text node */
	size_t max_file;       /* bytes of the whole document */
	const char *skip_text; /* subtree whose text is not kept, or NULL */
};

/* The limits config.xml is read with: depth 64, text 1 MB, file 64 MB;
 * text under <rrddata> (base64 RRD archives in backups) is not kept. */
extern const struct xml_limits xml_config_limits;

struct xml_parser;

/* A parser for one document named file (used in diagnostics). */
struct xml_parser *xml_begin(struct arena *ar, const char *file,
			     const struct xml_limits *lim);
/* Feeds the next chunk; false (diagnostic printed) on the first error.
 * Nothing beyond the current text node is buffered, so an oversized node
 * is refused as soon as it crosses the limit. */
bool xml_feed(struct xml_parser *p, const char *buf, size_t n, bool final);
/* The root element after a successful final feed (else NULL); frees the
 * parser in every case. */
struct xnode *xml_end(struct xml_parser *p);
/* Reads and parses a whole file in chunks; NULL with a diagnostic. */
struct xnode *xml_parse_file(struct arena *ar, const char *path,
			     const struct xml_limits *lim);

/* Tree access. */
struct xnode *xml_child(const struct xnode *n, const char *name);
/* Next sibling after c with the same name (list elements). */
struct xnode *xml_next_named(const struct xnode *c);
/* Child text (trimmed of white space when stored), NULL when the child is
 * absent;
 * "" when present but empty. */
const char *xml_text(const struct xnode *n, const char *name);
/* Presence boolean (doc/behaviour/pfsense.md §0): present means enabled. */
bool xml_has(const struct xnode *n, const char *name);
const char *xml_attr(const struct xnode *n, const char *name);
struct srcloc xml_loc(const struct xnode *n, const char *file);
/* Follows a path of child names separated by '/'. */
struct xnode *xml_path(const struct xnode *n, const char *path);

#endif
