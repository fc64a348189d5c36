/* libFuzzer target: cfg_iprule_import() on arbitrary bytes (written to a temporary
 * file, since importers read files by path). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "import/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_iproute_XXXXXX";
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
	cfg_iprule_import(&ar, &in, &s);
	arena_free(&ar);
	unlink(path);
	return 0;
}
