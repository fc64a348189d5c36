/* pf.conf tokens (pfctl's parse.y lexer, reduced to what pfSense and
 * OPNsense write, doc/behaviour/rules-debug.md §1): words, quoted
 * strings, <tables>, the port operators and the punctuation. */
#include "import/pf/pf_lex.h"

#include <string.h>

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' ||
	       ch == '\v';
}

static bool
is_punct(char ch)
{
	return ch == '{' || ch == '}' || ch == '(' || ch == ')' || ch == ',' ||
	       ch == '!' || ch == '=' || ch == '<' || ch == '>' || ch == '"' ||
	       ch == '#';
}

static bool
is_name_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_';
}

static void
push(struct pf_lex *lx, enum pf_tk k, const char *p, size_t n, uint32_t line,
     uint32_t col)
{
	if (lx->n >= PF_MAX_TOKENS) {
		lx->overflow = true;
		return;
	}
	struct pf_tok *t = ARENA_PUSH(lx->ar, lx->t, lx->n, lx->cap);
	*t = (struct pf_tok){k, {p, n}, line, col};
}

/* An operator at p: "!=", "<=", ">=", "<>", "><", "=", "<", ">", "!" */
static size_t
op_len(const char *p, const char *end)
{
	if (p + 1 < end &&
	    ((p[0] == '!' && p[1] == '=') || (p[0] == '<' && p[1] == '=') ||
	     (p[0] == '>' && p[1] == '=') || (p[0] == '<' && p[1] == '>') ||
	     (p[0] == '>' && p[1] == '<')))
		return 2;
	return 1;
}

bool
pf_lex_line(struct pf_lex *lx, const char *p, size_t n, uint32_t line,
	    uint32_t col)
{
	const char *end = p + n, *ls = p - (col - 1);
	while (p < end) {
		if (*p == '\n') { /* a continued line: "\" then newline */
			line++;
			ls = ++p;
			continue;
		}
		if (is_space(*p) ||
		    (*p == '\\' && (p + 1 == end || p[1] == '\n' ||
				    (p[1] == '\r' && p + 2 <= end)))) {
			p++;
			continue;
		}
		uint32_t c = (uint32_t)(p - ls) + 1;
		if (*p == '#') { /* comment: kept for OPNsense's descriptions */
			const char *q = p + 1;
			while (q < end && *q != '\n')
				q++;
			lx->comment = (struct str){p + 1, (size_t)(q - p - 1)};
			p = q;
			continue;
		}
		if (*p == '"') {
			const char *q =
			    memchr(p + 1, '"', (size_t)(end - p - 1));
			/* a newline inside only where continued ("\\") */
			const char *nl =
			    q ? memchr(p + 1, '\n', (size_t)(q - p)) : NULL;
			if (q == NULL || (nl && nl[-1] != '\\')) {
				lx->err_line = line, lx->err_col = c;
				lx->err = "unterminated quoted string";
				return false;
			}
			push(lx, PF_STR, p + 1, (size_t)(q - p - 1), line, c);
			p = q + 1;
			continue;
		}
		if (*p == '<' && p + 1 < end && is_name_start(p[1])) {
			const char *q = p + 1;
			while (q < end && *q != '>' && !is_space(*q) &&
			       *q != '\n')
				q++;
			if (q == end || *q != '>') {
				lx->err_line = line, lx->err_col = c;
				lx->err = "table name without its closing '>'";
				return false;
			}
			/* pfctl -vv prints "<name:count>" */
			const char *colon =
			    memchr(p + 1, ':', (size_t)(q - p - 1));
			push(lx, PF_TABLE, p + 1,
			     (size_t)((colon ? colon : q) - p - 1), line, c);
			p = q + 1;
			continue;
		}
		if (*p == '!' || *p == '=' || *p == '<' || *p == '>') {
			size_t k = op_len(p, end);
			push(lx, PF_OP, p, k, line, c);
			p += k;
			continue;
		}
		if (is_punct(*p)) {
			push(lx, PF_PUNCT, p, 1, line, c);
			p++;
			continue;
		}
		const char *q = p;
		while (q < end && !is_space(*q) && *q != '\n' &&
		       !is_punct(*q) &&
		       !(*q == '\\' && (q + 1 == end || q[1] == '\n')))
			q++;
		push(lx, PF_WORD, p, (size_t)(q - p), line, c);
		p = q;
	}
	if (lx->overflow) {
		lx->err_line = line, lx->err_col = 1;
		lx->err = "too many tokens in one rule";
		return false;
	}
	return true;
}

bool
pf_tok_is(const struct pf_tok *t, const char *s)
{
	return t && str_eq(t->s, s);
}
