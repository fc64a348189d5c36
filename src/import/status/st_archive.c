/* status_output.tgz through libarchive, in memory, under ceilings. */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <string.h>

#include "import/status/st_archive.h"
#include "import/textstream.h"
#include "util/diag.h"

static bool
is_tar_head(const unsigned char *h, size_t n)
{
	return n >= 262 && memcmp(h + 257, "ustar", 5) == 0;
}

bool
st_archive_probe(const char *path)
{
	unsigned char head[1024];
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (is_tar_head(head, n))
		return true;
	if (textstream_detect(head, n) != TS_GZIP)
		return false;
	unsigned char inner[1024];
	size_t k = textstream_peek(path, inner, sizeof(inner));
	return is_tar_head(inner, k);
}

/* Printable copy of an entry name for diagnostics. */
static const char *
safe_name(struct arena *ar, const char *name)
{
	size_t n = strnlen(name, 256);
	char *s = arena_strndup(ar, name, n);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
	return s;
}

/* "status_output/IPsec-SAD.txt" -> "IPsec-SAD.txt"; NULL for names that
 * leave the flat layout (absolute, "..", nested) or are empty. */
static const char *
member_name(const char *raw)
{
	const char *p = raw;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strncmp(p, "status_output/", 14) == 0)
		p += 14;
	if (*p == '\0' || strchr(p, '/') != NULL || strcmp(p, "..") == 0 ||
	    strcmp(p, ".") == 0)
		return NULL;
	return p;
}

static bool
read_member(struct arena *ar, struct archive *a, const char *file,
	    const char *name, int64_t hint, size_t *total, struct st_member *m)
{
	struct srcloc loc = {.file = file};
	size_t cap =
	    hint > 0 && hint < ST_MAX_MEMBER ? (size_t)hint + 1 : 65536;
	char *buf = arena_alloc(ar, cap);
	size_t n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > ST_MAX_MEMBER) {
				diag(DIAG_ERROR, &loc,
				     "member '%s' is larger "
				     "than the %d MiB limit for one member",
				     name, ST_MAX_MEMBER >> 20);
				return false;
			}
			char *nb = arena_alloc(ar, cap * 2);
			memcpy(nb, buf, n);
			buf = nb;
			cap *= 2;
		}
		la_ssize_t r = archive_read_data(a, buf + n, cap - 1 - n);
		if (r == 0)
			break;
		if (r < 0) {
			diag(DIAG_ERROR, &loc,
			     "member '%s': %s (archive "
			     "truncated or damaged)",
			     name,
			     archive_error_string(a) ? archive_error_string(a)
						     : "read error");
			return false;
		}
		n += (size_t)r;
		if (*total + n > ST_MAX_TOTAL) {
			diag(DIAG_ERROR, &loc,
			     "member '%s' takes the archive "
			     "past the %d MiB limit for all members",
			     name, ST_MAX_TOTAL >> 20);
			return false;
		}
	}
	buf[n] = '\0';
	*total += n;
	m->data = buf;
	m->len = n;
	return true;
}

/* One entry: false stops reading the archive. */
static bool
entry(struct arena *ar, struct archive *a, struct archive_entry *e,
      const char *file, bool (*want)(const char *), size_t *total,
      struct st_archive *out, bool *ok)
{
	struct srcloc loc = {.file = file};
	const char *raw = archive_entry_pathname(e);
	const char *shown = safe_name(ar, raw ? raw : "");
	mode_t type = archive_entry_filetype(e);
	if (type == AE_IFDIR)
		return true;
	const char *name = raw ? member_name(raw) : NULL;
	if (type != AE_IFREG || archive_entry_hardlink(e) != NULL) {
		/* status.php writes plain files only: hostile */
		diag(DIAG_ERROR, &loc,
		     "member '%s' is not a regular file "
		     "(link or device): skipped",
		     shown);
		*ok = false;
		return true;
	}
	if (name == NULL) {
		diag(DIAG_ERROR, &loc,
		     "member '%s' is outside the archive's "
		     "flat status_output/ folder: skipped",
		     shown);
		*ok = false;
		return true;
	}
	int64_t size =
	    archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	if (size > ST_MAX_SKIP) { /* even skipping it means inflating it */
		diag(DIAG_ERROR, &loc,
		     "member '%s' is %lld bytes: not a "
		     "status archive, stopped reading",
		     shown, (long long)size);
		*ok = false;
		return false;
	}
	if (want && !want(name))
		return true;
	if (size > ST_MAX_MEMBER) {
		diag(DIAG_ERROR, &loc,
		     "member '%s' is %lld bytes, larger "
		     "than the %d MiB limit for one member: skipped",
		     shown, (long long)size, ST_MAX_MEMBER >> 20);
		*ok = false;
		return true;
	}
	struct st_member m = {.name = arena_strdup(ar, name),
			      .mtime = archive_entry_mtime(e)};
	if (!read_member(ar, a, file, shown, size, total, &m)) {
		*ok = false;
		return false;
	}
	*ARENA_PUSH(ar, out->m, out->n, out->cap) = m;
	return true;
}

bool
st_archive_read(struct arena *ar, const char *path,
		bool (*want)(const char *name), struct st_archive *out)
{
	struct srcloc loc = {.file = path};
	memset(out, 0, sizeof(*out));
	out->path = path;
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_none(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		diag(DIAG_ERROR, &loc, "not a readable tar.gz archive: %s",
		     archive_error_string(a) ? archive_error_string(a) : "?");
		archive_read_free(a);
		return false;
	}
	bool ok = true;
	size_t total = 0;
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		if (++out->nentries > ST_MAX_ENTRIES) {
			diag(DIAG_ERROR, &loc,
			     "more than %d members: not a "
			     "status archive, stopped reading",
			     ST_MAX_ENTRIES);
			ok = false;
			break;
		}
		if (!entry(ar, a, e, path, want, &total, out, &ok))
			break;
	}
	if (ok && r != ARCHIVE_EOF) {
		const char *last = out->n ? out->m[out->n - 1].name : NULL;
		diag(DIAG_ERROR, &loc, "archive truncated or damaged%s%s%s: %s",
		     last ? " after member '" : "", last ? last : "",
		     last ? "'" : "",
		     archive_error_string(a) ? archive_error_string(a) : "?");
		ok = false;
	}
	archive_read_free(a);
	return ok;
}

const struct st_member *
st_archive_get(const struct st_archive *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->m[i].name, name) == 0)
			return &a->m[i];
	return NULL;
}
