/* Input diagnostics (file:line:col: level: message) and exit codes.
 * Three channels are kept apart: system errors (die_system, exit 3),
 * input diagnostics (here, to stderr), findings (the product, reporters). */
#ifndef UTIL_DIAG_H
#define UTIL_DIAG_H

#include <stdbool.h>
#include <stdint.h>

/* Exit status, doc/ARCHITECTURE.md §1. */
enum exit_code {
	EXIT_CLEAN = 0,	   /* nothing wrong found */
	EXIT_FINDINGS = 1, /* findings at or above --fail-on */
	EXIT_INPUT = 2,	   /* input could not be read or understood */
	EXIT_USAGE = 3,	   /* usage or system error */
};

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

/* Where something came from: file:line:col for text, file#frame for
 * captures (frame > 0, line == 0). Strings are owned by the run arena. */
struct srcloc {
	const char *file;
	uint32_t line, col;
	uint64_t frame;
};

/* Prints "file:line:col: level: message" (or file#frame) to stderr. */
void diag(enum diag_level level, const struct srcloc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Formats a location into buf: "file:line:col", "file:line", "file#N". */
const char *srcloc_format(const struct srcloc *loc, char *buf, unsigned size);
unsigned diag_count(enum diag_level level);
void diag_set_quiet(bool quiet); /* -q: notes are not printed */
void diag_reset(void);		 /* for tests */

_Noreturn void die_system(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
_Noreturn void die_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
