#include "util/str.h"

#include <string.h>

struct str
str_from(const char *s)
{
	return (struct str){s, s ? strlen(s) : 0};
}

bool
str_eq(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool
str_starts(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

struct str
str_trim(struct str s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

bool
str_split(struct str s, char sep, struct str *head, struct str *rest)
{
	const char *q = s.n ? memchr(s.p, sep, s.n) : NULL;
	if (q == NULL) {
		*head = s;
		*rest = (struct str){s.p + s.n, 0};
		return false;
	}
	*head = (struct str){s.p, (size_t)(q - s.p)};
	*rest = (struct str){q + 1, s.n - (size_t)(q - s.p) - 1};
	return true;
}

bool
str_next(struct str *s, char sep, struct str *tok)
{
	if (s->p == NULL)
		return false;
	if (!str_split(*s, sep, tok, s))
		s->p = NULL;
	return true;
}

bool
str_to_u64(struct str s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (s.n == 0 || s.n > 20)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		unsigned d = (unsigned)(s.p[i] - '0');
		if (d > max || v > (max - d) / 10) /* max - d must not wrap */
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}
