/* Scanning filterlog files: a file split in two ranges parsed by two
 * threads gives what one reader gives, byte for byte (counts, flows,
 * counters, warnings with their line numbers), also when the flow table
 * fills up and wherever the middle of the file falls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/load.h"
#include "import/logs/log_filterlog.h"

struct buf {
	char *p;
	size_t n, cap;
};

static void
put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		assert_true(k >= 0);
		if ((size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		b->cap = b->cap * 2 + (size_t)k + 1;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
}

/* One block line of flow f (the source address says which); with
 * strings, flows from 1000 up have their own tracker and interface, so
 * that the string and counter tables fill up too. */
static void
flow_line(struct buf *b, unsigned f, unsigned sec, bool strings)
{
	bool own = strings && f >= 1000;
	unsigned tr = own ? f : f % 5, ifc = own ? f % 6000 : f % 3;
	put(b,
	    "May  3 %02u:%02u:%02u fw filterlog[1]: 6,,,%u,igb%u,match,"
	    "block,in,4,0x0,,63,1,0,DF,6,tcp,60,10.%u.%u.%u,10.0.1.1,%u,443,"
	    "0,S,1,,64240,,mss\n",
	    sec / 3600 % 24, sec / 60 % 60, sec % 60, 1000 + tr, ifc,
	    f >> 16 & 255, f >> 8 & 255, f & 255, 1024 + f % 60000);
}

/* The odd lines a scan meets: bad, blank, CRLF, RFC 5424, ESP pass. */
static void
odd_lines(struct buf *b, unsigned k)
{
	put(b,
	    "May  3 10:00:%02u fw filterlog[1]: 6,,,1,igb0,match,"
	    "sideways,in,4\n",
	    k % 60);
	put(b, "\n   \n");
	put(b,
	    "May  3 10:00:01 fw filterlog[1]: 7,,,1,enc0,match,pass,in,4,"
	    "0x0,,52,0,0,none,50,esp,136,203.0.113.%u,198.51.100.2,"
	    "datalength=116\r\n",
	    k % 200);
	put(b,
	    "<134>1 2024-05-03T10:00:%02u+02:00 fw filterlog 1 - - 5,,,2,"
	    "igb1,match,block,out,6,0x00,0x00000,255,UDP,17,32,fd00::%x,"
	    "fd00::1,500,500,32\n",
	    k % 60, k);
}

enum shape {
	SMALL,		    /* a few hundred flows */
	FLOWS_FULL,	    /* more flows than the table holds; few
			     * strings */
	SECOND_FULL,	    /* ... all in the second half */
	ALL_FULL,	    /* ... and more strings and counters too */
	LATE_STRINGS,	    /* FLOWS_FULL, then many new trackers */
	FIRST_FULL,	    /* the table fills in the first half */
	BOTH_FULL,	    /* ... and the second half fills its own */
	FIRST_FULL_STRINGS, /* FIRST_FULL, then many new trackers */
};

/* Sections of a log: recurring flows (300 of them), distinct flows from
 * base (with their own strings or not), recurring flows mixed with new
 * ones, distinct trackers. */
static void
recurring(struct buf *b, unsigned n, unsigned *sec)
{
	for (unsigned i = 0; i < n; i++)
		flow_line(b, i % 300, *sec += i % 3 == 0, false);
}

static void
distinct(struct buf *b, unsigned n, unsigned base, bool strings, unsigned *sec)
{
	for (unsigned i = 0; i < n; i++)
		flow_line(b, base + i, *sec += i % 3 == 0, strings);
}

static void
mixed(struct buf *b, unsigned n, unsigned *sec)
{
	for (unsigned i = 0; i < n; i++)
		flow_line(b, i % 2 ? i % 300 : 200000 + i, *sec += i % 3 == 0,
			  false);
}

static struct buf
make_log(size_t pad, enum shape shape)
{
	struct buf b = {NULL, 0, 0};
	unsigned n = 75000, sec = 0;
	bool first = shape >= FIRST_FULL;
	if (pad) /* a blank line of pad bytes */
		put(&b, "%*s\n", (int)pad - 1, "");
	odd_lines(&b, 1);
	if (shape == SMALL) {
		recurring(&b, 3000, &sec);
		odd_lines(&b, 2);
		put(&b, "%070000d\n", 7); /* longer than FL_LINE_MAX */
		for (unsigned i = 0; i < 3000; i++)
			flow_line(&b, i % 700, sec += i % 3 == 0, false);
		odd_lines(&b, 3);
		mixed(&b, 3000, &sec);
		odd_lines(&b, 4);
		recurring(&b, 750, &sec);
		odd_lines(&b, 5);
		return b;
	}
	recurring(&b, 1000, &sec);
	if (first)
		distinct(&b, n, 1000, false, &sec);
	if (shape == FIRST_FULL_STRINGS)
		distinct(&b, 9000, 100000, true, &sec);
	odd_lines(&b, 2);
	put(&b, "%070000d\n", 7);
	recurring(&b, shape == SECOND_FULL ? 2 * n : n, &sec);
	if (!first || shape == BOTH_FULL)
		distinct(&b, first ? n : 2 * n, 300000, shape == ALL_FULL,
			 &sec);
	odd_lines(&b, 3);
	mixed(&b, n, &sec);
	odd_lines(&b, 4);
	if (shape == LATE_STRINGS)
		distinct(&b, 9000, 100000, true, &sec);
	recurring(&b, n / 4, &sec);
	odd_lines(&b, 5);
	return b;
}

struct result {
	struct fl_summary sum;
	char *err; /* what the scan wrote on stderr */
	size_t nerr;
	bool ok;
};

static struct result
scan(struct arena *ar, const char *path, unsigned threads)
{
	struct fl_scan_opts o = {.all_blocks = true,
				 .threads = threads,
				 .year = 2024,
				 .split_min = 1};
	struct result r;
	FILE *err = tmpfile();
	assert_non_null(err);
	int saved = dup(STDERR_FILENO);
	assert_true(saved >= 0 && dup2(fileno(err), STDERR_FILENO) >= 0);
	struct fl_scan *sc = fl_scan_new(ar, &o);
	r.ok = fl_scan_file(sc, path);
	fl_scan_finish(sc, &r.sum);
	fl_scan_free(sc);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	r.nerr = (size_t)ftell(err);
	r.err = arena_alloc(ar, r.nerr + 1);
	rewind(err);
	assert_int_equal(fread(r.err, 1, r.nerr, err), r.nerr);
	fclose(err);
	return r;
}

static void
same_group(const struct fl_group *a, const struct fl_group *b)
{
	assert_string_equal(a->iface, b->iface);
	assert_string_equal(a->tracker, b->tracker);
	assert_string_equal(a->where.file, b->where.file);
	assert_int_equal(a->where.line, b->where.line);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->dir, b->dir);
	assert_int_equal(a->proto, b->proto);
	assert_true(ipaddr_cmp(&a->src, &b->src) == 0);
	assert_true(ipaddr_cmp(&a->dst, &b->dst) == 0);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->bytes, b->bytes);
	assert_true(a->first_ts == b->first_ts && a->last_ts == b->last_ts);
	assert_int_equal(a->tunnel, b->tunnel);
}

static void
same_scan(const struct result *x, const struct result *y)
{
	const struct fl_summary *a = &x->sum, *b = &y->sum;
	assert_int_equal(x->ok, y->ok);
	assert_int_equal(x->nerr, y->nerr);
	assert_memory_equal(x->err, y->err, x->nerr);
	assert_int_equal(a->lines, b->lines);
	assert_int_equal(a->parsed, b->parsed);
	assert_int_equal(a->unparsed, b->unparsed);
	assert_int_equal(a->long_lines, b->long_lines);
	assert_int_equal(a->blank, b->blank);
	assert_int_equal(a->blocks, b->blocks);
	assert_int_equal(a->passes, b->passes);
	assert_int_equal(a->others, b->others);
	assert_int_equal(a->overflow, b->overflow);
	assert_int_equal(a->counter_overflow, b->counter_overflow);
	assert_true(a->first_ts == b->first_ts && a->last_ts == b->last_ts);
	assert_int_equal(a->ngroups, b->ngroups);
	for (size_t i = 0; i < a->ngroups; i++)
		same_group(&a->groups[i], &b->groups[i]);
	assert_int_equal(a->ncounters, b->ncounters);
	for (size_t i = 0; i < a->ncounters; i++) {
		assert_string_equal(a->counters[i].iface, b->counters[i].iface);
		assert_int_equal(a->counters[i].dir, b->counters[i].dir);
		assert_int_equal(a->counters[i].proto, b->counters[i].proto);
		assert_int_equal(a->counters[i].count, b->counters[i].count);
	}
}

/* Writes the log, scans it with one and with two threads, compares. */
static struct result
split_matches(struct arena *ar, struct buf b)
{
	char path[] = "/tmp/ipsecdiag-test-scan.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.p, b.n), (ssize_t)b.n);
	close(fd);
	struct result one = scan(ar, path, 1), two = scan(ar, path, 2);
	unlink(path);
	free(b.p);
	same_scan(&one, &two);
	return one;
}

/* Offset of the last line start at or before off. */
static size_t
line_start(const struct buf *b, size_t off)
{
	while (off > 0 && b->p[off - 1] != '\n')
		off--;
	return off;
}

static void
test_split_boundaries(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	/* pad so that the middle byte falls exactly on a line start, and
	 * one byte either side of it */
	struct buf b = make_log(0, SMALL);
	size_t o = line_start(&b, (b.n - 1) / 2), exact = b.n - 2 * o;
	free(b.p);
	size_t pads[] = {0, 1, exact - 1, exact, exact + 1, exact + 2};
	for (size_t i = 0; i < sizeof(pads) / sizeof(*pads); i++) {
		struct result r = split_matches(&ar, make_log(pads[i], SMALL));
		assert_int_equal(r.sum.lines,
				 3 * 3000 + 750 + 5 * 5 + 1 + (pads[i] != 0));
		assert_int_equal(r.sum.unparsed, 5);
		assert_int_equal(r.sum.long_lines, 1);
		assert_int_equal(r.sum.overflow, 0);
	}
	arena_free(&ar);
}

/* More flows, strings and counters than the tables hold, all in the
 * second half: one reader keeps the first ones and counts the recurring
 * flows of the first half to the end; so must two. */
static void
test_split_tables_full(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	static const enum shape shapes[] = {
	    FLOWS_FULL, SECOND_FULL, ALL_FULL,		 LATE_STRINGS,
	    FIRST_FULL, BOTH_FULL,   FIRST_FULL_STRINGS,
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		struct result r = split_matches(&ar, make_log(0, shapes[i]));
		assert_int_equal(r.sum.ngroups, FL_GROUPS_MAX);
		assert_true(r.sum.overflow > 0);
		assert_int_equal(r.sum.counter_overflow > 0,
				 shapes[i] == ALL_FULL ||
				     shapes[i] == LATE_STRINGS ||
				     shapes[i] == FIRST_FULL_STRINGS);
		/* the recurring flows, met first, got all their lines:
		 * 1,000 + 75,000 (twice for SECOND_FULL) + 37,500 (of
		 * the mixed ones) + 18,750 */
		uint64_t late = 0;
		for (size_t g = 0; g < r.sum.ngroups; g++)
			if (r.sum.groups[g].count > 1)
				late += r.sum.groups[g].count;
		assert_int_equal(
		    late, 1000 + 75000 * (1 + (shapes[i] == SECOND_FULL)) +
			      37500 + 18750);
	}
	arena_free(&ar);
}

/* IPSECDIAG_LOG_YEAR pins the year of BSD timestamps for the importer
 * (and for ipsecdiag log without --year); unset, the file's mtime. */
static void
test_year_from_env(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar);
	assert_int_equal(setenv("IPSECDIAG_LOG_YEAR", "2019", 1), 0);
	assert_int_equal(fl_year_from_env(), 2019);
	struct input_file in = {.path = "tests/fixtures/log/site-a/filter.log",
				.kind = INPUT_FILTERLOG};
	struct site s;
	memset(&s, 0, sizeof(s));
	assert_true(log_filterlog_import(&ar, &in, &s));
	assert_string_equal(in.summary,
			    "filter.log 19 lines "
			    "2019-05-03 10:01:02..2019-05-03 10:09:30");
	assert_true(s.ev.has_log);
	char t[32];
	fl_format_time(s.ev.log_first, t);
	assert_string_equal(t, "2019-05-03 10:01:02");
	/* not a year: a warning, and the mtime again */
	assert_int_equal(setenv("IPSECDIAG_LOG_YEAR", "19x", 1), 0);
	assert_int_equal(fl_year_from_env(), 0);
	assert_int_equal(setenv("IPSECDIAG_LOG_YEAR", "1969", 1), 0);
	assert_int_equal(fl_year_from_env(), 0);
	assert_int_equal(unsetenv("IPSECDIAG_LOG_YEAR"), 0);
	assert_int_equal(fl_year_from_env(), 0);
	arena_free(&ar);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_boundaries),
	    cmocka_unit_test(test_split_tables_full),
	    cmocka_unit_test(test_year_from_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
