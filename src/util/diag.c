#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned counts[3];
static bool quiet;

static const char *const level_names[] = {"note", "warning", "error"};

const char *
srcloc_format(const struct srcloc *loc, char *buf, unsigned size)
{
	const char *f = loc && loc->file ? loc->file : "-";
	if (loc && loc->frame)
		snprintf(buf, size, "%s#%llu", f,
			 (unsigned long long)loc->frame);
	else if (loc && loc->line && loc->col)
		snprintf(buf, size, "%s:%u:%u", f, loc->line, loc->col);
	else if (loc && loc->line)
		snprintf(buf, size, "%s:%u", f, loc->line);
	else
		snprintf(buf, size, "%s", f);
	return buf;
}

void
diag(enum diag_level level, const struct srcloc *loc, const char *fmt, ...)
{
	counts[level]++;
	if (quiet && level == DIAG_NOTE)
		return;
	char where[512];
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: %s: ", srcloc_format(loc, where, sizeof(where)),
		level_names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

unsigned
diag_count(enum diag_level level)
{
	return counts[level];
}

void
diag_set_quiet(bool q)
{
	quiet = q;
}

void
diag_reset(void)
{
	counts[0] = counts[1] = counts[2] = 0;
}

void
die_system(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ipsecdiag: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(EXIT_USAGE);
}

void
die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ipsecdiag: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'ipsecdiag --help'.\n", stderr);
	va_end(ap);
	exit(EXIT_USAGE);
}
