/* Shared body of the fuzz targets of file importers: the bytes go to a
 * temporary file (importers read files by path) and through `fn`. */
#ifndef FUZZ_IMPORT_H
#define FUZZ_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "import/load.h"

static inline int
fuzz_import_bytes(const uint8_t *data, size_t size, importer_fn fn)
{
	char path[] = "/tmp/fuzz_import_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	struct arena ar;
	arena_init(&ar);
	diag_set_quiet(true);
	struct site s = {.name = "fuzz"};
	struct input_file in = {.path = path};
	fn(&ar, &in, &s);
	arena_free(&ar);
	unlink(path);
	return 0;
}

#endif
