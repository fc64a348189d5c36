/* For the config.xml importer tests: the text to import goes to a new
 * temporary file (the importers read paths) and the site starts empty. */
#ifndef TESTS_TMP_SITE_H
#define TESTS_TMP_SITE_H

#include <string.h>
#include <unistd.h>

#include "model/site.h"
#include "util/arena.h"

/* tmpl: a mkstemp() template, replaced by the file's path. */
static inline void
tmp_site(char *tmpl, const char *text, struct arena *ar, struct site *s)
{
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	arena_free(ar);
	arena_init(ar);
	memset(s, 0, sizeof(*s));
	s->name = "t";
}

#endif
