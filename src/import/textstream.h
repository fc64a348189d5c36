/* Streaming line reader over plain, gzip, bzip2, xz and zstd files with
 * bounded memory: one input buffer and one line window, whatever the
 * size of the file. Lines longer than the ceiling are not buffered: they
 * are reported (TS_LONG with their number and length) and skipped.
 * Lines are returned without their '\n' and stay valid until the next
 * call. */
#ifndef IMPORT_TEXTSTREAM_H
#define IMPORT_TEXTSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/str.h"

enum ts_comp { TS_PLAIN, TS_GZIP, TS_BZIP2, TS_XZ, TS_ZSTD };

enum ts_status {
	TS_LINE, /* *line is the next line */
	TS_LONG, /* a line longer than the ceiling was skipped */
	TS_EOF,
	TS_ERROR, /* read or decompression error: textstream_error() */
};

struct textstream;

/* The compression of a file from its first bytes. */
enum ts_comp textstream_detect(const unsigned char *head, size_t n);
const char *textstream_comp_name(enum ts_comp c);

/* Opens path; NULL with *why set (static text or strerror) on failure.
 * For plain files [start, end) selects the lines that begin in that byte
 * range (end 0 = to the end), so several readers can share one file;
 * compressed files are always read whole. */
struct textstream *textstream_open(const char *path, size_t max_line,
				   uint64_t start, uint64_t end,
				   const char **why);
enum ts_status textstream_next(struct textstream *t, struct str *line);
/* Number (1-based, from the start of the range) of the line last
 * returned, and for TS_LONG its length in bytes. */
uint64_t textstream_lineno(const struct textstream *t);
uint64_t textstream_long_len(const struct textstream *t);
/* Plain files: the file offset of the next line (what a range starting
 * there would read first). */
uint64_t textstream_offset(const struct textstream *t);
/* Bytes of the file consumed so far and its size, for progress. */
uint64_t textstream_consumed(const struct textstream *t);
uint64_t textstream_size(const struct textstream *t);
enum ts_comp textstream_comp(const struct textstream *t);
const char *textstream_error(const struct textstream *t);
void textstream_close(struct textstream *t);

/* Up to n decompressed bytes from where the stream stands, for readers
 * that want bytes, not lines (an XML parser); 0 at the end or on error
 * (textstream_error() tells). Do not mix with textstream_next(). */
size_t textstream_read(struct textstream *t, unsigned char *buf, size_t n);
/* Up to n decompressed bytes from the start of path, for recognising
 * what a compressed file holds; returns the count (0 on error). */
size_t textstream_peek(const char *path, unsigned char *buf, size_t n);

#endif
