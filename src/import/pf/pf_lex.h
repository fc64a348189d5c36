/* pf.conf tokens for the rules.debug / pfctl -vvsr reader (pf_parse.c). */
#ifndef IMPORT_PF_PF_LEX_H
#define IMPORT_PF_PF_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/str.h"

/* a rule, after macro expansion, holds at most this many tokens */
enum { PF_MAX_TOKENS = 200000 };

enum pf_tk {
	PF_WORD,  /* pass, em0, 10.0.1.0/24, 1024:65535, $MACRO */
	PF_STR,	  /* "quoted", without the quotes */
	PF_TABLE, /* <name> (or pfctl's <name:count>), the name */
	PF_OP,	  /* = != < <= > >= <> >< ! */
	PF_PUNCT, /* { } ( ) , */
};

struct pf_tok {
	enum pf_tk k;
	struct str s;
	uint32_t line, col;
};

struct pf_lex {
	struct arena *ar;
	struct pf_tok *t;
	size_t n, cap;
	bool overflow;
	struct str comment; /* the last "# ..." of the line, or empty */
	const char *err;    /* why lexing failed, at err_line:err_col */
	uint32_t err_line, err_col;
};

/* Appends the tokens of p[0..n) (a logical line whose continuation
 * newlines are kept) starting at line:col; false with lx->err set. */
bool pf_lex_line(struct pf_lex *lx, const char *p, size_t n, uint32_t line,
		 uint32_t col);
bool pf_tok_is(const struct pf_tok *t, const char *s);

#endif
