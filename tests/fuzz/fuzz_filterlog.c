/* libFuzzer target: the filterlog line parser on arbitrary bytes. Each
 * input is also cut at its newlines, as the scanner feeds lines. */
#include <stdint.h>
#include <string.h>

#include "import/log_filterlog.h"
/* The library is built without coverage instrumentation; compiling the
 * parser into the target gives libFuzzer its edges. The static library's
 * copy is then not linked (same symbols, nothing else needed from it). */
#include "../../src/import/log_filterlog.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fl_ctx ctx = {2024, 6};
	struct fl_record r;
	struct fl_error e;
	struct str all = {(const char *)data, size}, line;
	if (fl_parse_line(all, &ctx, &r, &e) == false && e.col == 0)
		__builtin_trap(); /* a failure always says where */
	while (str_next(&all, '\n', &line))
		if (!fl_parse_line(line, &ctx, &r, &e) &&
		    (e.col == 0 || e.col > line.n + 1))
			__builtin_trap();
	return 0;
}
