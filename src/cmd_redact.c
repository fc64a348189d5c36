/* ipsecdiag redact: a copy of a site folder or status archive that can be
 * posted on a forum or sent to support. Writes only under each -o path
 * (created new, never overwritten), reads the input read-only. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "import/load.h"
#include "import/status/st_archive.h"
#include "import/textstream.h"
#include "redact/redact.h"
#include "util/arena.h"
#include "util/diag.h"

static const char help[] =
    "Usage: ipsecdiag redact [--pseudonymize] [-q] IN -o OUT [IN -o OUT]...\n"
    "Writes a copy of each IN (a site folder, or a pfSense status_output.tgz)\n"
    "to OUT with pre-shared keys, passwords, private keys, setkey -D key\n"
    "lines (E:/A:), ip xfrm keys and OpenVPN static keys removed. OUT must\n"
    "not exist; nothing is written elsewhere and IN is only read.\n\n"
    "  --pseudonymize  replace public IPv4 addresses, the same way in every\n"
    "                  IN of this run (give both sites at once), keeping\n"
    "                  subnets, gateways and peers consistent; captures are\n"
    "                  then left out (their addresses cannot be rewritten)\n"
    "  -q              no line per file\n"
    "  -h, --help\n";

enum { REDACT_MAX = 256 << 20 };

struct rd {
	struct arena *ar;
	struct redactor r;
	bool quiet, ok;
};

static void
report(struct rd *d, const char *in, const char *out, const char *what)
{
	if (!d->quiet)
		printf("%s -> %s: %s\n", in, out, what);
}

static const char *
counts(struct rd *d)
{
	return d->r.pseudo
		   ? arena_printf(d->ar,
				  "%zu secrets removed, %zu "
				  "addresses replaced",
				  d->r.secrets, d->r.addrs)
		   : arena_printf(d->ar, "%zu secrets removed", d->r.secrets);
}

/* A new file, never through a link, never over an existing one. */
static bool
write_new(const char *path, const char *buf, size_t n)
{
	struct srcloc loc = {.file = path};
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0) {
		diag(DIAG_ERROR, &loc, "cannot create: %s", strerror(errno));
		return false;
	}
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, buf + off, n - off);
		if (w <= 0) {
			diag(DIAG_ERROR, &loc, "write error: %s",
			     strerror(errno));
			close(fd);
			return false;
		}
		off += (size_t)w;
	}
	return close(fd) == 0;
}

static bool
is_binary(const char *buf, size_t n)
{
	return memchr(buf, '\0', n < 65536 ? n : 65536) != NULL;
}

/* The members of a status archive, redacted, into a new archive. */
static bool
redact_archive(struct rd *d, const char *in, const char *out)
{
	struct st_archive a;
	if (!st_archive_read(d->ar, in, NULL, &a))
		return false;
	struct srcloc loc = {.file = out};
	int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0) {
		diag(DIAG_ERROR, &loc, "cannot create: %s", strerror(errno));
		return false;
	}
	struct archive *w = archive_write_new();
	archive_write_add_filter_gzip(w);
	archive_write_set_format_pax_restricted(w);
	bool ok = archive_write_open_fd(w, fd) == ARCHIVE_OK;
	size_t secrets = 0, addrs = 0;
	for (size_t i = 0; ok && i < a.n; i++) {
		size_t n;
		char *t = redact_text(&d->r, a.m[i].data, a.m[i].len, &n);
		secrets += d->r.secrets;
		addrs += d->r.addrs;
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(
		    e, arena_printf(d->ar, "status_output/%s", a.m[i].name));
		archive_entry_set_size(e, (la_int64_t)n);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		ok = archive_write_header(w, e) == ARCHIVE_OK &&
		     archive_write_data(w, t, n) == (la_ssize_t)n;
		archive_entry_free(e);
	}
	ok = archive_write_close(w) == ARCHIVE_OK && ok;
	if (!ok)
		diag(DIAG_ERROR, &loc, "cannot write the archive: %s",
		     archive_error_string(w) ? archive_error_string(w) : "?");
	archive_write_free(w);
	close(fd);
	d->r.secrets = secrets;
	d->r.addrs = addrs;
	if (ok)
		report(d, in, out,
		       arena_printf(d->ar, "%zu members, %s", a.n, counts(d)));
	return ok;
}

/* A compressed text file (rotated log) read whole through textstream. */
static char *
read_compressed(struct rd *d, const char *path, size_t *len)
{
	const char *why = NULL;
	struct textstream *t = textstream_open(path, 1 << 20, 0, 0, &why);
	struct srcloc loc = {.file = path};
	if (t == NULL) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", why ? why : "?");
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	struct str line;
	enum ts_status st;
	bool ok = m != NULL;
	while (ok && (st = textstream_next(t, &line)) != TS_EOF) {
		if (st == TS_ERROR || n > REDACT_MAX) {
			diag(DIAG_ERROR, &loc, "%s",
			     st == TS_ERROR ? textstream_error(t)
					    : "larger than the limit");
			ok = false;
		} else if (st == TS_LINE) {
			fwrite(line.p, 1, line.n, m);
			fputc('\n', m);
		}
	}
	textstream_close(t);
	if (m)
		fclose(m);
	char *copy = ok ? arena_strndup(d->ar, buf ? buf : "", n) : NULL;
	free(buf);
	*len = n;
	return copy;
}

static const char *
strip_comp(struct arena *ar, const char *name)
{
	static const char *const ext[] = {".gz", ".bz2", ".xz", ".zst"};
	size_t n = strlen(name);
	for (size_t i = 0; i < 4; i++) {
		size_t k = strlen(ext[i]);
		if (n > k && strcmp(name + n - k, ext[i]) == 0)
			return arena_strndup(ar, name, n - k);
	}
	return name;
}

static bool
redact_file(struct rd *d, const char *in, const char *outdir, const char *name)
{
	const char *out = arena_printf(d->ar, "%s/%s", outdir, name);
	if (st_archive_probe(in))
		return redact_archive(d, in, out);
	unsigned char head[512];
	FILE *f = fopen(in, "rb");
	size_t k = f ? fread(head, 1, sizeof(head), f) : 0;
	if (f)
		fclose(f);
	size_t len = 0;
	char *buf;
	if (textstream_detect(head, k) != TS_PLAIN) {
		out = arena_printf(d->ar, "%s/%s", outdir,
				   strip_comp(d->ar, name));
		buf = read_compressed(d, in, &len);
	} else {
		buf = file_slurp(d->ar, in, REDACT_MAX, &len);
	}
	if (buf == NULL)
		return false;
	if (is_binary(buf, len)) {
		if (d->r.pseudo) {
			report(d, in, "-",
			       "binary (capture?), left out: its "
			       "addresses cannot be replaced");
			return true;
		}
		report(d, in, out, "binary, copied as is");
		return write_new(out, buf, len);
	}
	size_t n;
	char *t = redact_text(&d->r, buf, len, &n);
	if (!write_new(out, t, n))
		return false;
	report(d, in, out, counts(d));
	return true;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
redact_dir(struct rd *d, const char *in, const char *out)
{
	struct srcloc loc = {.file = in};
	DIR *dir = opendir(in);
	if (dir == NULL) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", strerror(errno));
		return false;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL)
		if (e->d_name[0] != '.')
			*ARENA_PUSH(d->ar, names, n, cap) =
			    arena_strdup(d->ar, e->d_name);
	closedir(dir);
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	if (mkdir(out, 0700) != 0) {
		struct srcloc ol = {.file = out};
		diag(DIAG_ERROR, &ol, "cannot create the folder: %s",
		     strerror(errno));
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		const char *p = arena_printf(d->ar, "%s/%s", in, names[i]);
		struct stat st;
		if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			struct srcloc pl = {.file = p};
			diag(DIAG_WARNING, &pl,
			     "not a regular file (folder, "
			     "link): left out");
			continue;
		}
		ok = redact_file(d, p, out, names[i]) && ok;
	}
	return ok;
}

static bool
redact_one(struct rd *d, const char *in, const char *out)
{
	struct stat st;
	struct srcloc loc = {.file = in};
	if (stat(in, &st) != 0) {
		diag(DIAG_ERROR, &loc, "cannot open: %s", strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode))
		return redact_dir(d, in, out);
	if (st_archive_probe(in))
		return redact_archive(d, in, out);
	/* one loose file: OUT is the new file */
	size_t len;
	char *buf = file_slurp(d->ar, in, REDACT_MAX, &len);
	if (buf == NULL)
		return false;
	if (is_binary(buf, len)) {
		diag(DIAG_ERROR, &loc, "binary file: give its folder instead");
		return false;
	}
	size_t n;
	char *t = redact_text(&d->r, buf, len, &n);
	if (!write_new(out, t, n))
		return false;
	report(d, in, out, counts(d));
	return true;
}

int
cmd_redact(int argc, char **argv)
{
	const char **ins = calloc((size_t)argc, sizeof(*ins));
	const char **outs = calloc((size_t)argc, sizeof(*outs));
	size_t n = 0;
	bool pseudo = false, quiet = false;
	if (!ins || !outs)
		die_system("out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			cli_help(help);
		else if (strcmp(a, "--pseudonymize") == 0)
			pseudo = true;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			quiet = true;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= argc || n == 0 || outs[n - 1])
				die_usage("redact: -o OUT follows its IN\n%s",
					  help);
			outs[n - 1] = argv[++i];
		} else if (a[0] == '-' && a[1])
			die_usage("redact: unknown option %s\n%s", a, help);
		else
			ins[n++] = a;
	}
	if (n == 0)
		die_usage("redact: no input\n%s", help);
	for (size_t i = 0; i < n; i++)
		if (outs[i] == NULL)
			die_usage("redact: %s has no -o OUT\n%s", ins[i], help);
	struct arena ar;
	arena_init(&ar);
	struct rd d = {.ar = &ar, .quiet = quiet, .ok = true};
	if (!redactor_init(&d.r, &ar, pseudo))
		die_system("redact: no random key: %s", strerror(errno));
	for (size_t i = 0; i < n; i++)
		d.ok = redact_one(&d, ins[i], outs[i]) && d.ok;
	arena_free(&ar);
	free(ins);
	free(outs);
	return d.ok ? EXIT_CLEAN : EXIT_INPUT;
}
