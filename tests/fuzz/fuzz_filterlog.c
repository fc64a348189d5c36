/* libFuzzer target: the filterlog line parser on arbitrary bytes. Each
 * input is also cut at its newlines, as the scanner feeds lines, and
 * each line also goes through the fast path, which must agree, and
 * through each way of the fast path, which must agree with each other. */
#include <stdint.h>
#include <string.h>

#include "import/logs/log_filterlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fl_ctx ctx = {2024, 6};
	struct fl_record r;
	struct fl_error e;
	struct str all = {(const char *)data, size}, line;
	if (fl_parse_line(all, &ctx, &r, &e) == false && e.col == 0)
		__builtin_trap();  /* a failure always says where */
	struct fl_memo memo = {0}; /* kept across lines, as a scan does */
	struct fl_memo way_memo[FL_FAST_AVX2 + 1] = {{0}};
	struct fl_record fast, ref, way;
	while (str_next(&all, '\n', &line)) {
		/* every way of the fast path (byte by byte, masks) agrees */
		bool ref_ok = fl_parse_fast_how(
		    line, &ctx, &way_memo[FL_FAST_BYTES], &ref, FL_FAST_BYTES);
		for (enum fl_fast how = FL_FAST_MASKS; how <= FL_FAST_AVX2;
		     how++) {
			if (!fl_fast_available(how))
				continue;
			bool way_ok = fl_parse_fast_how(
			    line, &ctx, &way_memo[how], &way, how);
			if (way_ok != ref_ok ||
			    (way_ok && memcmp(&way, &ref, sizeof(way)) != 0))
				__builtin_trap();
		}
		bool ok = fl_parse_line(line, &ctx, &r, &e);
		if (!ok && (e.col == 0 || e.col > line.n + 1))
			__builtin_trap();
		/* the fast path accepts only what the parser accepts, and
		 * gives the same record */
		if (fl_parse_fast(line, &ctx, &memo, &fast) &&
		    (!ok || memcmp(&fast, &r, sizeof(r)) != 0))
			__builtin_trap();
	}
	return 0;
}
