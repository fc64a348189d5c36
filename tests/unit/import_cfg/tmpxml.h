/* The config.xml importer's tests: a document in a temporary file and a
 * fresh site to import it into (cmocka and unistd.h included first). */
#ifndef TESTS_IMPORT_CFG_TMPXML_H
#define TESTS_IMPORT_CFG_TMPXML_H

#include <stdlib.h>
#include <string.h>

#include "model/site.h"
#include "util/arena.h"

/* Writes xml to a new file named after the template path (XXXXXX). */
static void
tmpxml_write(char *path, const char *xml)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
	close(fd);
}

/* Frees the previous import and clears the site, named "t". */
static void
tmpxml_site(struct arena *ar, struct site *s)
{
	arena_free(ar);
	arena_init(ar);
	memset(s, 0, sizeof(*s));
	s->name = "t";
}

#endif
