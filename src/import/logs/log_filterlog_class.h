/* Byte classes of a filterlog CSV as bit masks, 64 bytes a word: what the
 * mask parser of fl_parse_fast() reads fields from (commas give the field
 * boundaries, the other classes check a field in a few instructions with
 * no loop over its bytes). Internal to log_filterlog.c. */
#ifndef IMPORT_LOG_FILTERLOG_CLASS_H
#define IMPORT_LOG_FILTERLOG_CLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	FLC_MAX = 256, /* longest CSV classified (4 words) */
	FLC_WORDS = 5, /* one zero word past the last, for bits_at() */
};

/* Bit i of word i / 64 describes byte i of the CSV; bytes past its end
 * are in no class. */
struct flc_masks {
	uint64_t comma[FLC_WORDS];
	uint64_t digit[FLC_WORDS]; /* 0-9 */
	uint64_t dot[FLC_WORDS];
	uint64_t ident[FLC_WORDS]; /* [0-9A-Za-z._:-], as ident_char() */
};

/* How the bytes are classified: one byte at a time (any CPU), or 16 or
 * 32 at a time on x86-64. The results are identical. */
enum flc_how {
	FLC_SCALAR,
	FLC_SSE2,
	FLC_AVX2,
};

/* The best method this CPU has. */
enum flc_how flc_best(void);
/* Whether this build and CPU can run how (FLC_AVX2: with POPCNT and
 * BMI2, which every AVX2 CPU of x86-64-v3 has). */
bool flc_available(enum flc_how how);
/* Classifies p[0..n), n <= FLC_MAX. p must be readable up to the next
 * multiple of 64 bytes past n, and those bytes must be zero. */
void flc_classify(const char *p, size_t n, enum flc_how how,
		  struct flc_masks *m);

#endif
