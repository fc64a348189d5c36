/* libFuzzer target: status_archive_import() on arbitrary bytes (a tar.gz
 * or not): the libarchive walk, the name and size checks, then every
 * member reader on whatever the members hold. */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_bytes(data, size, status_archive_import);
}
