/* Linux / strongSwan importers: each fixture site is loaded and its
 * model rendered (report/rep_linux.c) and compared with the expected
 * text in tests/fixtures/linux/expected/NAME.txt; diagnostics go to
 * NAME.err. IPSECDIAG_UPDATE=1 rewrites the expected files (review!). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "import/load.h"
#include "report/rep_linux.h"

#define FIX "tests/fixtures/linux/"

struct gcase {
	const char *name, *spec;
	bool ok; /* site_load's result */
	bool corpus;
};

static const struct gcase gcases[] = {
#include "cases.inc"
};

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = NULL;
	size_t cap = 0;
	FILE *m = open_memstream(&b, &cap);
	char buf[4096];
	size_t r;
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, r, m);
	fclose(f);
	fclose(m);
	*n = cap;
	return b;
}

static void
compare(const char *path, const char *got, size_t n)
{
	if (getenv("IPSECDIAG_UPDATE")) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fwrite(got, 1, n, f);
		fclose(f);
		return;
	}
	size_t en = 0;
	char *exp = slurp(path, &en);
	if (exp == NULL && n == 0)
		return;
	if (exp == NULL || en != n || memcmp(exp, got, n) != 0) {
		fprintf(stderr, "--- %s\n+++ got\n%.*s\n", path, (int)n, got);
		free(exp);
		fail_msg("%s differs", path);
	}
	free(exp);
}

static void
test_golden(void **state)
{
	const struct gcase *c = *state;
	if (c->corpus && access("../shared/corpus", R_OK) != 0)
		skip();
	struct arena ar;
	arena_init(&ar);
	/* stderr to a file: the diagnostics are part of the expectation */
	fflush(stderr);
	FILE *errf = tmpfile();
	int saved = dup(2);
	dup2(fileno(errf), 2);
	diag_reset();
	struct site s;
	bool ok = site_load(&ar, c->spec, &s);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	char *out = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&out, &n);
	if (ok || s.ninputs)
		rep_linux_site(m, &ar, &s);
	site_describe(m, &s);
	fclose(m);
	rewind(errf);
	char *err = NULL;
	size_t en = 0;
	FILE *em = open_memstream(&err, &en);
	char buf[4096];
	size_t r;
	while ((r = fread(buf, 1, sizeof(buf), errf)) > 0)
		fwrite(buf, 1, r, em);
	fclose(em);
	fclose(errf);
	compare(arena_printf(&ar, FIX "expected/%s.txt", c->name), out, n);
	compare(arena_printf(&ar, FIX "expected/%s.err", c->name), err, en);
	assert_int_equal(ok, c->ok);
	free(out);
	free(err);
	arena_free(&ar);
}

int
main(void)
{
	struct CMUnitTest t[sizeof(gcases) / sizeof(*gcases)];
	for (size_t i = 0; i < sizeof(gcases) / sizeof(*gcases); i++)
		t[i] = (struct CMUnitTest){gcases[i].name, test_golden, NULL,
					   NULL, (void *)&gcases[i]};
	return _cmocka_run_group_tests("linux", t, sizeof(t) / sizeof(*t), NULL,
				       NULL);
}
