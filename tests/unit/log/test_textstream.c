/* Streaming reader: compressed formats, ranges, over-long lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/textstream.h"

static unsigned
count_lines(const char *path, size_t max, uint64_t start, uint64_t end,
	    unsigned *longs, enum ts_status *last)
{
	const char *why;
	struct textstream *t = textstream_open(path, max, start, end, &why);
	assert_non_null(t);
	struct str l;
	unsigned n = 0;
	*longs = 0;
	while ((*last = textstream_next(t, &l)) == TS_LINE ||
	       *last == TS_LONG) {
		n++;
		*longs += *last == TS_LONG;
		assert_int_equal(textstream_lineno(t), n);
	}
	textstream_close(t);
	return n;
}

static void
test_compressed_fixtures(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		enum ts_comp comp;
		unsigned lines;
	} cases[] = {
	    {"tests/fixtures/log/site-a/filter.log", TS_PLAIN, 19},
	    {"tests/fixtures/log/site-a/filter.log.0.gz", TS_GZIP, 2},
	    {"tests/fixtures/log/site-a/filter.log.1.bz2", TS_BZIP2, 1},
	    {"tests/fixtures/log/site-a/filter.log.2.xz", TS_XZ, 1},
	    {"tests/fixtures/log/site-a/filter.log.3.zst", TS_ZSTD, 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		unsigned longs;
		enum ts_status last;
		const char *why;
		struct textstream *t =
		    textstream_open(cases[i].path, 65536, 0, 0, &why);
		assert_non_null(t);
		assert_int_equal(textstream_comp(t), cases[i].comp);
		textstream_close(t);
		assert_int_equal(
		    count_lines(cases[i].path, 65536, 0, 0, &longs, &last),
		    cases[i].lines);
		assert_int_equal(last, TS_EOF);
	}
}

static void
test_truncated(void **state)
{
	(void)state;
	unsigned longs;
	enum ts_status last;
	count_lines("tests/fixtures/log/bad/truncated.log.gz", 65536, 0, 0,
		    &longs, &last);
	assert_int_equal(last, TS_ERROR);
}

/* Lines split between two ranges: each line read exactly once. */
static void
test_ranges(void **state)
{
	(void)state;
	char path[] = "/tmp/ipsecdiag-ts-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	unsigned total = 0;
	for (unsigned i = 0; i < 5000; i++, total++)
		fprintf(
		    f, "line %u %.*s\n", i, (int)(i % 97),
		    "xxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	long size = ftell(f);
	fclose(f);
	for (long cut = 1; cut < size; cut += size / 37) {
		unsigned l1, l2;
		enum ts_status last;
		unsigned a =
		    count_lines(path, 65536, 0, (uint64_t)cut, &l1, &last);
		unsigned b =
		    count_lines(path, 65536, (uint64_t)cut, 0, &l2, &last);
		assert_int_equal(a + b, total);
	}
	unlink(path);
}

/* A 10 MB line is skipped without being buffered; the next is read. */
static void
test_long_line(void **state)
{
	(void)state;
	char path[] = "/tmp/ipsecdiag-ts-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	fputs("first\n", f);
	for (int i = 0; i < 10 * 1024; i++)
		fprintf(f, "%01024d", 7);
	fputs("\nlast\n", f);
	fclose(f);
	const char *why;
	struct textstream *t = textstream_open(path, 65536, 0, 0, &why);
	struct str l;
	assert_int_equal(textstream_next(t, &l), TS_LINE);
	assert_int_equal(textstream_next(t, &l), TS_LONG);
	assert_int_equal(textstream_lineno(t), 2);
	assert_int_equal(textstream_long_len(t), 10 * 1024 * 1024);
	assert_int_equal(textstream_next(t, &l), TS_LINE);
	assert_true(str_eq(l, "last"));
	assert_int_equal(textstream_next(t, &l), TS_EOF);
	textstream_close(t);
	unlink(path);
}

static void
test_peek(void **state)
{
	(void)state;
	unsigned char buf[64];
	size_t n = textstream_peek("tests/fixtures/log/site-a/filter.log.2.xz",
				   buf, sizeof(buf));
	assert_int_equal(n, 64);
	assert_memory_equal(buf, "May  1 12:00:00 fw-a filterlog:", 31);
}

/* A pipe (/dev/stdin, <(zcat ...)) cannot be read with pread: lines come
 * all the same, and the offset of the next line follows them. */
static void
test_pipe(void **state)
{
	(void)state;
	int fds[2];
	char path[64];
	const char *why;
	static const char text[] = "one\ntwo\n\nthree";
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, sizeof(text) - 1),
			 (ssize_t)sizeof(text) - 1);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	struct textstream *t = textstream_open(path, 100, 0, 0, &why);
	assert_non_null(t);
	struct str l;
	assert_int_equal(textstream_next(t, &l), TS_LINE);
	assert_true(str_eq(l, "one"));
	assert_int_equal(textstream_offset(t), 4);
	assert_int_equal(textstream_next(t, &l), TS_LINE);
	assert_true(str_eq(l, "two"));
	assert_int_equal(textstream_next(t, &l), TS_LINE);
	assert_int_equal(l.n, 0);
	assert_int_equal(textstream_next(t, &l), TS_LINE);
	assert_true(str_eq(l, "three"));
	assert_int_equal(textstream_next(t, &l), TS_EOF);
	assert_int_equal(textstream_lineno(t), 4);
	textstream_close(t);
	close(fds[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compressed_fixtures),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_ranges),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_peek),
	    cmocka_unit_test(test_pipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
