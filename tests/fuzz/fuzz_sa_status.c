/* libFuzzer target: status_sa_import() on arbitrary bytes (written to a
 * temporary file, since importers read files by path). */
#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_import_bytes(data, size, status_sa_import);
}
