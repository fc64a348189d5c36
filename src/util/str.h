/* String slices: views into input buffers, never NUL-terminated. */
#ifndef UTIL_STR_H
#define UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	const char *p;
	size_t n;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

struct str str_from(const char *s);
bool str_eq(struct str s, const char *lit);
bool str_starts(struct str s, const char *prefix);
struct str str_trim(struct str s);
/* Splits at the first sep: *head gets what precedes it; false if absent
 * (then *head = s and *rest is empty). */
bool str_split(struct str s, char sep, struct str *head, struct str *rest);
/* Next token separated by sep from *s; false when *s is exhausted. */
bool str_next(struct str *s, char sep, struct str *tok);
/* Decimal unsigned integer filling the whole slice, at most max. */
bool str_to_u64(struct str s, uint64_t max, uint64_t *out);

#endif
