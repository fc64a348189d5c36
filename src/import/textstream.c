/* Line reader over plain and compressed files (zlib, libbz2, liblzma,
 * libzstd), bounded memory. */
#include "import/textstream.h"

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

enum {
	IN_SIZE = 256 * 1024,
	XZ_MEMLIMIT = 256 << 20, /* xz -9 needs 64 MiB; refuse absurd ones */
};

struct textstream {
	int fd;
	enum ts_comp comp;
	size_t max_line;
	uint64_t size, consumed; /* compressed bytes read */
	uint64_t pos, end;	 /* plain: file offset of the next read */
	unsigned char *in;	 /* compressed input */
	size_t in_len, in_off;
	bool in_eof, out_eof, skipping;
	bool seekable;	  /* a regular file: pread at pos */
	bool at_boundary; /* a gzip/bzip2 member or zstd frame just ended */
	bool xz_finish;	  /* input ended: one more LZMA_FINISH call made */
	char *buf;	  /* line window: [off, len) not yet returned */
	size_t cap, off, len;
	uint64_t buf_start; /* plain: file offset of buf[0] */
	uint64_t lineno, long_len;
	const char *error;
	z_stream z;
	bz_stream bz;
	lzma_stream xz;
	ZSTD_DStream *zs;
};

enum ts_comp
textstream_detect(const unsigned char *h, size_t n)
{
	if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return TS_GZIP;
	if (n >= 3 && memcmp(h, "BZh", 3) == 0)
		return TS_BZIP2;
	if (n >= 6 && memcmp(h,
			     "\xfd"
			     "7zXZ\0",
			     6) == 0)
		return TS_XZ;
	if (n >= 4 && memcmp(h, "\x28\xb5\x2f\xfd", 4) == 0)
		return TS_ZSTD;
	return TS_PLAIN;
}

const char *
textstream_comp_name(enum ts_comp c)
{
	static const char *const names[] = {"plain", "gzip", "bzip2", "xz",
					    "zstd"};
	return names[c];
}

static bool
init_decoder(struct textstream *t)
{
	switch (t->comp) {
	case TS_GZIP: /* 15 + 32: zlib detects the gzip header */
		return inflateInit2(&t->z, 15 + 32) == Z_OK;
	case TS_BZIP2:
		return BZ2_bzDecompressInit(&t->bz, 0, 0) == BZ_OK;
	case TS_XZ:
		return lzma_stream_decoder(&t->xz, XZ_MEMLIMIT,
					   LZMA_CONCATENATED) == LZMA_OK;
	case TS_ZSTD:
		t->zs = ZSTD_createDStream();
		return t->zs && !ZSTD_isError(ZSTD_initDStream(t->zs));
	default:
		return true;
	}
}

static void
end_decoder(struct textstream *t)
{
	switch (t->comp) {
	case TS_GZIP:
		inflateEnd(&t->z);
		break;
	case TS_BZIP2:
		BZ2_bzDecompressEnd(&t->bz);
		break;
	case TS_XZ:
		lzma_end(&t->xz);
		break;
	case TS_ZSTD:
		ZSTD_freeDStream(t->zs);
		break;
	default:
		break;
	}
}

struct textstream *
textstream_open(const char *path, size_t max_line, uint64_t start, uint64_t end,
		const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		*why = "is a directory";
		close(fd);
		return NULL;
	}
	struct textstream *t = calloc(1, sizeof(*t));
	unsigned char head[8];
	ssize_t hn = pread(fd, head, sizeof(head), 0);
	if (t == NULL)
		abort();
	t->fd = fd;
	t->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	t->seekable = S_ISREG(st.st_mode);
	t->comp = textstream_detect(head, hn > 0 ? (size_t)hn : 0);
	t->max_line = max_line;
	t->cap = max_line * 2 > (1u << 20) ? max_line * 2 : (1u << 20);
	t->buf = malloc(t->cap);
	t->in = malloc(IN_SIZE);
	if (t->buf == NULL || t->in == NULL)
		abort();
	t->end = end;
	if (t->comp == TS_PLAIN && start > 0) {
		t->pos = start - 1; /* the line before ends at start - 1? */
		t->buf_start = t->pos;
		t->skipping = true;	  /* drop the partial first line */
		t->lineno = (uint64_t)-1; /* the dropped part is not a line */
	}
	if (!init_decoder(t)) {
		*why = "cannot start the decompressor";
		textstream_close(t);
		return NULL;
	}
	return t;
}

static bool
read_in(struct textstream *t)
{
	ssize_t r;
	do
		r = read(t->fd, t->in, IN_SIZE);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		t->error = strerror(errno);
		return false;
	}
	t->in_len = (size_t)r;
	t->in_off = 0;
	t->in_eof = r == 0;
	t->consumed += (uint64_t)r;
	return true;
}

/* Plain file: pread so that ranges of one file can be read in parallel;
 * read for pipes and terminals (/dev/stdin, <(zcat ...)). */
static bool
fill_plain(struct textstream *t, char *dst, size_t room, size_t *got)
{
	ssize_t r;
	do
		r = t->seekable ? pread(t->fd, dst, room, (off_t)t->pos)
				: read(t->fd, dst, room);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		t->error = strerror(errno);
		return false;
	}
	t->pos += (uint64_t)r;
	t->consumed = t->pos;
	*got = (size_t)r;
	t->out_eof = r == 0;
	return true;
}

static bool
inflate_some(struct textstream *t, char *dst, size_t room, size_t *got)
{
	size_t before = room;
	int rc;
	switch (t->comp) {
	case TS_GZIP:
		t->z.next_in = t->in + t->in_off;
		t->z.avail_in = (uInt)(t->in_len - t->in_off);
		t->z.next_out = (Bytef *)dst;
		t->z.avail_out = (uInt)room;
		rc = inflate(&t->z, Z_NO_FLUSH);
		t->in_off = t->in_len - t->z.avail_in;
		room = t->z.avail_out;
		t->at_boundary = rc == Z_STREAM_END;
		if (rc == Z_STREAM_END)
			rc = inflateReset(&t->z); /* concatenated members */
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			t->error = "gzip data is corrupt";
			return false;
		}
		break;
	case TS_BZIP2:
		t->bz.next_in = (char *)t->in + t->in_off;
		t->bz.avail_in = (unsigned)(t->in_len - t->in_off);
		t->bz.next_out = dst;
		t->bz.avail_out = (unsigned)room;
		rc = BZ2_bzDecompress(&t->bz);
		t->in_off = t->in_len - t->bz.avail_in;
		room = t->bz.avail_out;
		t->at_boundary = rc == BZ_STREAM_END;
		if (rc == BZ_STREAM_END) {
			BZ2_bzDecompressEnd(&t->bz); /* multi-stream (pbzip2) */
			memset(&t->bz, 0, sizeof(t->bz));
			rc = BZ2_bzDecompressInit(&t->bz, 0, 0);
		}
		if (rc != BZ_OK) {
			t->error = "bzip2 data is corrupt";
			return false;
		}
		break;
	case TS_XZ:
		t->xz.next_in = t->in + t->in_off;
		t->xz.avail_in = t->in_len - t->in_off;
		t->xz.next_out = (uint8_t *)dst;
		t->xz.avail_out = room;
		rc = lzma_code(&t->xz, t->in_eof ? LZMA_FINISH : LZMA_RUN);
		t->in_off = t->in_len - t->xz.avail_in;
		room = t->xz.avail_out;
		if (rc == LZMA_STREAM_END)
			t->out_eof = true;
		else if (rc == LZMA_MEMLIMIT_ERROR) {
			t->error = "xz data needs more than 256 MiB to decode";
			return false;
		} else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
			t->error = "xz data is corrupt";
			return false;
		}
		break;
	case TS_ZSTD: {
		ZSTD_inBuffer zi = {t->in, t->in_len, t->in_off};
		ZSTD_outBuffer zo = {dst, room, 0};
		size_t zr = ZSTD_decompressStream(t->zs, &zo, &zi);
		if (ZSTD_isError(zr)) {
			t->error = "zstd data is corrupt";
			return false;
		}
		t->in_off = zi.pos;
		room -= zo.pos;
		t->at_boundary = zr == 0;
		break;
	}
	default:
		break;
	}
	*got = before - room;
	return true;
}

/* Appends decompressed bytes after buf[len]; false on error. At EOF of
 * the input with a truncated stream, says so. */
static bool
fill(struct textstream *t)
{
	if (t->off > 0) {
		memmove(t->buf, t->buf + t->off, t->len - t->off);
		t->buf_start += t->off;
		t->len -= t->off;
		t->off = 0;
	}
	size_t room = t->cap - t->len, got = 0;
	if (t->comp == TS_PLAIN)
		return fill_plain(t, t->buf + t->len, room, &got) &&
		       (t->len += got, true);
	while (got == 0 && !t->out_eof) {
		if (t->in_off == t->in_len) {
			if (t->in_eof && t->at_boundary) {
				t->out_eof = true;
				break;
			}
			if (t->in_eof && (t->comp != TS_XZ || t->xz_finish)) {
				t->error = "compressed data ends early "
					   "(truncated file)";
				return false;
			}
			if (t->in_eof) {
				t->xz_finish = true; /* LZMA_FINISH flushes */
			} else {
				if (!read_in(t))
					return false;
				continue;
			}
		}
		if (!inflate_some(t, t->buf + t->len, room, &got))
			return false;
		if (got)
			t->xz_finish = false;
	}
	t->len += got;
	return true;
}

/* Skips to the end of an over-long line without keeping it. */
static enum ts_status
skip_long(struct textstream *t)
{
	for (;;) {
		char *nl = memchr(t->buf + t->off, '\n', t->len - t->off);
		if (nl) {
			size_t n = (size_t)(nl - (t->buf + t->off));
			t->long_len += n;
			t->off += n + 1;
			t->skipping = false;
			return TS_LONG;
		}
		t->long_len += t->len - t->off;
		t->off = t->len;
		if (t->out_eof)
			return t->skipping = false, TS_LONG;
		if (!fill(t))
			return TS_ERROR;
	}
}

enum ts_status
textstream_next(struct textstream *t, struct str *line)
{
	for (;;) {
		if (t->error)
			return TS_ERROR;
		if (t->skipping) {
			t->lineno++;
			t->long_len = 0;
			enum ts_status s = skip_long(t);
			if (s != TS_LONG || t->lineno == 0)
				continue; /* the partial line before a range */
			return s;
		}
		/* A range owns the lines that start before its end. */
		if (t->end && t->comp == TS_PLAIN &&
		    t->buf_start + t->off >= t->end)
			return TS_EOF;
		char *p = t->buf + t->off;
		char *nl = memchr(p, '\n', t->len - t->off);
		if (nl) {
			*line = (struct str){p, (size_t)(nl - p)};
			t->off += line->n + 1;
			t->lineno++;
			if (line->n <= t->max_line)
				return TS_LINE;
			t->long_len = line->n;
			return TS_LONG;
		}
		if (t->out_eof) {
			if (t->off == t->len)
				return TS_EOF;
			*line = (struct str){p, t->len - t->off};
			t->off = t->len;
			t->lineno++;
			return TS_LINE;
		}
		if (t->len - t->off >= t->max_line) {
			t->skipping = true;
			continue;
		}
		if (!fill(t))
			return TS_ERROR;
	}
}

uint64_t
textstream_lineno(const struct textstream *t)
{
	return t->lineno;
}

uint64_t
textstream_long_len(const struct textstream *t)
{
	return t->long_len;
}

uint64_t
textstream_offset(const struct textstream *t)
{
	return t->buf_start + t->off;
}

uint64_t
textstream_consumed(const struct textstream *t)
{
	return t->consumed;
}

uint64_t
textstream_size(const struct textstream *t)
{
	return t->size;
}

enum ts_comp
textstream_comp(const struct textstream *t)
{
	return t->comp;
}

const char *
textstream_error(const struct textstream *t)
{
	return t->error;
}

void
textstream_close(struct textstream *t)
{
	if (t == NULL)
		return;
	end_decoder(t);
	close(t->fd);
	free(t->buf);
	free(t->in);
	free(t);
}

size_t
textstream_read(struct textstream *t, unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n && t->error == NULL) {
		if (t->off == t->len && (t->out_eof || !fill(t)))
			break;
		size_t k =
		    t->len - t->off < n - got ? t->len - t->off : n - got;
		memcpy(buf + got, t->buf + t->off, k);
		got += k;
		t->off += k;
	}
	return got;
}

size_t
textstream_peek(const char *path, unsigned char *buf, size_t n)
{
	const char *why;
	struct textstream *t = textstream_open(path, n, 0, 0, &why);
	if (t == NULL)
		return 0;
	size_t got = 0;
	while (got < n && !t->out_eof && t->error == NULL) {
		if (!fill(t))
			break;
		size_t k = t->len < n - got ? t->len : n - got;
		memcpy(buf + got, t->buf, k);
		got += k;
		t->off = t->len;
	}
	textstream_close(t);
	return got;
}
